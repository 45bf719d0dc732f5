"""What rules in definitions may read about the applicant, and the date they are judged on.

Dates in definitions (``max: today``, an applicant's age) are Indonesian civil dates: the
date in Jakarta (WIB), whatever time zone the server runs in, so that a birth on the evening
of the 17th is not "in the future" because a server thinks in UTC.
"""

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

JAKARTA = ZoneInfo("Asia/Jakarta")
_CITY_CODE = re.compile(r"[0-9]{4}")


def today() -> date:
    """Today's date in Jakarta."""
    return timezone.localdate(timezone.now(), JAKARTA)


def age_on(born: date, day: date) -> int:
    """Completed years between ``born`` and ``day`` (someone born on 29 February turns a
    year older on 1 March in a common year)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _city(code: str | None) -> str | None:
    """The 4-digit regency or city code at the start of a region code, if it has one."""
    code = (code or "").strip()
    return code[:4] if _CITY_CODE.match(code) else None


def applicant_context(*, user, business=None) -> dict[str, Any]:
    """What rules in definitions may read about the applicant: ``applicant.age``, ``.sex``
    (``"M"``/``"F"``), ``.kind`` (``"citizen"``/``"business"``) and ``.region`` (4-digit city
    code of their address) and, when they apply for a business, ``business.legal_form``,
    ``.nib`` and ``.region``.

    What is not known (no citizen profile, no NIB yet) is left out, so that a rule reading it
    is false rather than comparing against an empty value.
    """
    profile = getattr(user, "citizen", None) if user is not None else None
    born = getattr(profile, "birth_date", None)
    applicant: dict[str, Any] = {
        "kind": "business" if business is not None else "citizen",
        "age": age_on(born, today()) if born else None,
        "sex": (profile.sex or None) if profile is not None else None,
        "region": _city(profile.region_code) if profile is not None else None,
    }
    context: dict[str, Any] = {"applicant": applicant}
    if business is not None:
        context["business"] = {
            "legal_form": business.legal_form or None,
            "nib": business.nib or None,
            "region": _city(business.region_code),
        }
    return {
        key: {name: value for name, value in values.items() if value is not None}
        for key, values in context.items()
    }
