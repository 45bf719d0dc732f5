"""Validation of personal identifiers: NIK (population number), KK (family card number) and
NIP (civil servant number).

Each validator returns an :class:`IdentifierResult`. Its ``errors`` are hard findings: the
number cannot be right, and a form must refuse it. Its ``warnings`` are soft findings: the
number is possible but something should be checked (a region that is not in the data, a
birth date that differs from the person's). Messages are translated and say what is wrong
and how to fix it; ``error_codes`` and ``warning_codes`` give the same findings as stable
machine codes, in the same order.

Region existence is a soft check on purpose: provinces and regencies are created and split
(the Papua provinces of 2022), and a NIK keeps the district of first registration for life.
python-stdnum is not used: its region check rejects valid new provinces.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from satupintu.core import regions

Sex = Literal["M", "F"]
IdentifierKind = Literal["nik", "kk", "nip"]
EmployeeKind = Literal["pns", "pppk"]

#: The 38 provinces by Home Affairs code, with their names in the Home Affairs region list.
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "Daerah Khusus Ibukota Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "Daerah Istimewa Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    # Papua since 2022 (UU 14, 15, 16 and 29 of 2022).
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

NIK_LENGTH = 16
KK_LENGTH = 16
NIP_LENGTH = 18

# The day of birth in a NIK is written plus 40 for women.
_FEMALE_DAY_OFFSET = 40
# NI PPPK (contract civil servants) put a code where a PNS number has the appointment month:
# 21 for PPPK, 24 for part-time PPPK. Treated as a range so that a new code is not refused.
_PPPK_CODES = range(21, 30)
_ADULT_AGE = 18

# Spaces of any kind, dots, and hyphens or dashes that people and documents put in numbers.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]+")
_DIGITS = re.compile(r"[0-9]*")


@dataclass(frozen=True)
class IdentifierResult:
    """The outcome of validating one identifier.

    ``value`` is the number normalised (spaces, dots and dashes removed). The parsed parts
    are set where the identifier has them and they could be read: ``province_code`` (2
    digits), ``region_code`` (regency or city, 4 digits), ``district_code`` (6 digits),
    ``birth_date``, ``sex`` ("M" or "F"), and for a NIP ``appointment`` (year, month of the
    first appointment of a PNS), ``appointment_year`` and ``employee_kind`` ("pns" or
    "pppk").
    """

    kind: IdentifierKind
    value: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)
    warning_codes: list[str] = field(default_factory=list)
    province_code: str | None = None
    region_code: str | None = None
    district_code: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    appointment: tuple[int, int] | None = None
    appointment_year: int | None = None
    employee_kind: EmployeeKind | None = None

    @property
    def is_valid(self) -> bool:
        """True when there is no error; warnings do not make a number invalid."""
        return not self.errors


class _Findings:
    """Collects the findings and parsed parts of one validation, then freezes them."""

    def __init__(self, kind: IdentifierKind, value: str) -> None:
        self.kind = kind
        self.value = value
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.error_codes: list[str] = []
        self.warning_codes: list[str] = []
        self.parts: dict[str, object] = {}

    def error(self, code: str, message: str) -> None:
        self.error_codes.append(code)
        self.errors.append(message)

    def warning(self, code: str, message: str) -> None:
        self.warning_codes.append(code)
        self.warnings.append(message)

    def result(self) -> IdentifierResult:
        return IdentifierResult(
            kind=self.kind,
            value=self.value,
            errors=self.errors,
            warnings=self.warnings,
            error_codes=self.error_codes,
            warning_codes=self.warning_codes,
            **self.parts,  # type: ignore[arg-type]
        )


def normalise(value: str) -> str:
    """The identifier without the spaces, dots and dashes that people type or copy with it.

    Full-width digits (from some phone keyboards) become ASCII digits.
    """
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value)))


def _other_characters(value: str) -> str:
    seen: list[str] = []
    for character in value:
        if not ("0" <= character <= "9") and character not in seen:
            seen.append(character)
    return ", ".join(f"“{character}”" for character in seen[:5])


def _check_shape(findings: _Findings, length: int) -> bool:
    """The hard checks of every identifier: only digits, and the right number of them.
    False when the number cannot be read further."""
    value = findings.value
    kind = findings.kind
    if not value:
        message = {
            "nik": gettext("Enter the NIK: the 16-digit number on the KTP or the family card."),
            "kk": gettext("Enter the family card number: the 16 digits at the top of the card."),
            "nip": gettext(
                "Enter the NIP: the 18-digit number on the appointment decree or the employee card."
            ),
        }[kind]
        findings.error("required", message)
        return False
    if not _DIGITS.fullmatch(value):
        characters = _other_characters(value)
        message = {
            "nik": gettext(
                "A NIK has only digits; this one contains %(characters)s. Check the number "
                "on the KTP or the family card."
            ),
            "kk": gettext(
                "A family card number has only digits; this one contains %(characters)s. "
                "Check the number at the top of the family card."
            ),
            "nip": gettext(
                "A NIP has only digits; this one contains %(characters)s. Check the number on "
                "the appointment decree or the employee card."
            ),
        }[kind]
        findings.error("not_digits", message % {"characters": characters})
        return False
    if len(value) != length:
        n = len(value)
        message = {
            "nik": gettext(
                "A NIK has 16 digits; this one has %(n)d. Check the number on the KTP or the "
                "family card."
            ),
            "kk": gettext(
                "A family card number has 16 digits; this one has %(n)d. Check the number at "
                "the top of the family card."
            ),
            "nip": gettext(
                "A NIP has 18 digits; this one has %(n)d. Check the number on the "
                "appointment decree or the employee card."
            ),
        }[kind]
        findings.error("length", message % {"n": n})
        return False
    return True


def _check_region(findings: _Findings, district: str) -> None:
    """Soft checks of the six-digit region at the start of a NIK or a KK."""
    province = district[:2]
    findings.parts.update(province_code=province, region_code=district[:4], district_code=district)
    if province not in PROVINCES:
        message = {
            "nik": gettext(
                "This NIK starts with %(code)s, which is not the code of an Indonesian "
                "province. Check the first two digits against the KTP."
            ),
            "kk": gettext(
                "This family card number starts with %(code)s, which is not the code of an "
                "Indonesian province. Check the first two digits against the family card."
            ),
        }[findings.kind]
        findings.warning("unknown_province", message % {"code": province})
    elif not regions.region_exists(district, level=3):
        message = {
            "nik": gettext(
                "The region code %(code)s (the first six digits of this NIK) is not in the "
                "Home Affairs list of districts. Regions are sometimes split or renumbered; "
                "if not, check these digits against the KTP."
            ),
            "kk": gettext(
                "The region code %(code)s (the first six digits of this family card number) "
                "is not in the Home Affairs list of districts. Regions are sometimes split or "
                "renumbered; if not, check these digits against the family card."
            ),
        }[findings.kind]
        findings.warning("unknown_district", message % {"code": district})


def _check_sex(findings: _Findings, found: Sex, expected: Sex | None) -> None:
    if expected is None or found == expected:
        return
    if findings.kind == "nik":
        message = (
            gettext(
                "This NIK is a woman's (the day of birth is written plus 40), but the person "
                "is recorded as a man. Check the NIK and the recorded sex against the KTP."
            )
            if found == "F"
            else gettext(
                "This NIK is a man's (a woman's has the day of birth plus 40), but the person "
                "is recorded as a woman. Check the NIK and the recorded sex against the KTP."
            )
        )
    else:
        message = (
            gettext(
                "This NIP is a woman's (digit 15 is 2), but the person is recorded as a man. "
                "Check the NIP and the recorded sex."
            )
            if found == "F"
            else gettext(
                "This NIP is a man's (digit 15 is 1), but the person is recorded as a woman. "
                "Check the NIP and the recorded sex."
            )
        )
    findings.warning("sex_mismatch", message)


def _expected_sex(sex: str | None) -> Sex | None:
    if sex is None:
        return None
    normalised = str(sex).strip().upper()
    if normalised not in ("M", "F"):
        raise ValueError(f"sex must be 'M', 'F' or None, not {sex!r}")
    return normalised  # type: ignore[return-value]


def _today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def _nik_birth_date(day: int, month: int, two_digit_year: int, today: date) -> date | None:
    """The birth date of a NIK's DDMMYY, or ``None`` when it is not a real date.

    The NIK has no century. The year is the latest one ending in those two digits that does
    not put the birth in the future: 20YY when that date is today or earlier, else 19YY.
    This is "20YY if YY is at most this year's two digits, else 19YY", except that a date
    later this year, which would be in the future, is read as a hundred years earlier.
    """
    for century in (2000, 1900):
        try:
            candidate = date(century + two_digit_year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def validate_nik(
    value: str,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> IdentifierResult:
    """Validate a NIK, ``PP KK CC DDMMYY SSSS``: province, regency or city, district of first
    registration, day of birth (plus 40 for women), month, two-digit year, serial.

    Errors: not 16 digits; a day not from 01 to 31 or 41 to 71; a month not from 01 to 12;
    a date that does not exist (31 February); serial 0000. Warnings: a province code that is
    not one of the 38 provinces; a district not in the Home Affairs region list; a
    ``birth_date`` or ``sex`` ("M"/"F") of the person that differs from the NIK. There is no
    check digit.

    The NIK has no century (see ``_nik_birth_date``): when the person's ``birth_date`` agrees
    with the NIK's day, month and two-digit year, the result carries that date. ``today``
    defaults to the current date in the platform's time zone.
    """
    findings = _Findings("nik", normalise(value))
    expected_sex = _expected_sex(sex)
    if not _check_shape(findings, NIK_LENGTH):
        return findings.result()
    number = findings.value
    _check_region(findings, number[:6])

    written_day, month, two_digit_year = int(number[6:8]), int(number[8:10]), int(number[10:12])
    found_sex: Sex | None = None
    day = written_day
    if 1 <= written_day <= 31:
        found_sex = "M"
    elif 1 + _FEMALE_DAY_OFFSET <= written_day <= 31 + _FEMALE_DAY_OFFSET:
        found_sex = "F"
        day = written_day - _FEMALE_DAY_OFFSET
    else:
        findings.error(
            "birth_day",
            gettext(
                "Digits 7 and 8 of a NIK are the day of birth: 01 to 31 for a man, 41 to 71 "
                "for a woman (the day plus 40). This NIK has %(day)s there. Check the number "
                "on the KTP."
            )
            % {"day": number[6:8]},
        )
    if not 1 <= month <= 12:
        findings.error(
            "birth_month",
            gettext(
                "Digits 9 and 10 of a NIK are the month of birth, 01 to 12. This NIK has "
                "%(month)s there. Check the number on the KTP."
            )
            % {"month": number[8:10]},
        )
    if found_sex is not None:
        findings.parts["sex"] = found_sex
        _check_sex(findings, found_sex, expected_sex)

    if found_sex is not None and 1 <= month <= 12:
        found_date = _nik_birth_date(day, month, two_digit_year, _today(today))
        if found_date is None:
            findings.error(
                "birth_date",
                gettext(
                    "The birth date in this NIK (day %(day)02d, month %(month)02d, year "
                    "%(year)02d) does not exist. Check digits 7 to 12 against the KTP."
                )
                % {"day": day, "month": month, "year": two_digit_year},
            )
        elif birth_date is not None and (
            (birth_date.day, birth_date.month, birth_date.year % 100)
            == (day, month, two_digit_year)
        ):
            findings.parts["birth_date"] = birth_date
        else:
            findings.parts["birth_date"] = found_date
            if birth_date is not None:
                findings.warning(
                    "birth_date_mismatch",
                    gettext(
                        "The birth date in this NIK (%(nik_date)s) is not the birth date "
                        "entered (%(birth_date)s). Check both against the KTP."
                    )
                    % {
                        "nik_date": f"{day:02d}-{month:02d}-{two_digit_year:02d}",
                        "birth_date": date_format(birth_date, "SHORT_DATE_FORMAT"),
                    },
                )

    if number[12:] == "0000":
        findings.error(
            "serial",
            gettext(
                "The last four digits of a NIK are a serial number that starts at 0001; this "
                "NIK ends in 0000. Check the number on the KTP."
            ),
        )
    return findings.result()


def validate_kk(value: str) -> IdentifierResult:
    """Validate a family card (KK) number: 16 digits, the first six the issuing region, the
    last four a serial.

    Errors: not 16 digits; serial 0000. Warnings: a province or district that is not in the
    region data. Only the structure is checked: the card's register is not consulted.
    """
    findings = _Findings("kk", normalise(value))
    if not _check_shape(findings, KK_LENGTH):
        return findings.result()
    number = findings.value
    _check_region(findings, number[:6])
    if number[12:] == "0000":
        findings.error(
            "serial",
            gettext(
                "The last four digits of a family card number are a serial number that starts "
                "at 0001; this one ends in 0000. Check the number at the top of the family "
                "card."
            ),
        )
    return findings.result()


def validate_nip(
    value: str,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> IdentifierResult:
    """Validate a civil servant's NIP, ``YYYYMMDD YYYYMM S NNN``: birth date, year and month
    of first appointment, sex (1 man, 2 woman), serial.

    A contract civil servant's number (NI PPPK) has the same shape with a code in place of
    the appointment month (21 PPPK, 24 part-time PPPK; 21 to 29 are accepted): it is read
    as ``employee_kind="pppk"`` with ``appointment_year`` only.

    Errors: not 18 digits; a birth date that does not exist or is in the future; an
    appointment month not from 01 to 12 (nor a PPPK code); a sex digit other than 1 or 2;
    serial 000. Warnings: an appointment before the person turned 18 or in the future; a
    ``birth_date`` or ``sex`` ("M"/"F") of the person that differs from the NIP.
    """
    findings = _Findings("nip", normalise(value))
    expected_sex = _expected_sex(sex)
    if not _check_shape(findings, NIP_LENGTH):
        return findings.result()
    number = findings.value
    now = _today(today)

    found_date: date | None = None
    try:
        found_date = date(int(number[0:4]), int(number[4:6]), int(number[6:8]))
    except ValueError:
        findings.error(
            "birth_date",
            gettext(
                "The first eight digits of a NIP are the birth date as year, month, day; "
                "%(digits)s is not a real date. Check the number on the appointment decree."
            )
            % {"digits": number[0:8]},
        )
    if found_date is not None and found_date > now:
        findings.error(
            "birth_date_future",
            gettext(
                "The birth date in this NIP (%(date)s) is in the future. Check the first "
                "eight digits against the appointment decree."
            )
            % {"date": date_format(found_date, "SHORT_DATE_FORMAT")},
        )
        found_date = None
    if found_date is not None:
        findings.parts["birth_date"] = found_date
        if birth_date is not None and birth_date != found_date:
            findings.warning(
                "birth_date_mismatch",
                gettext(
                    "The birth date in this NIP (%(nip_date)s) is not the birth date entered "
                    "(%(birth_date)s). Check both against the appointment decree."
                )
                % {
                    "nip_date": date_format(found_date, "SHORT_DATE_FORMAT"),
                    "birth_date": date_format(birth_date, "SHORT_DATE_FORMAT"),
                },
            )

    appointment_year, code = int(number[8:12]), int(number[12:14])
    appointment: tuple[int, int] | None = None
    # The first month the person was in service, and the first month they were 18.
    earliest: tuple[int, int] | None = None
    latest = (now.year, now.month)
    if 1 <= code <= 12:
        appointment = (appointment_year, code)
        findings.parts.update(
            appointment=appointment, appointment_year=appointment_year, employee_kind="pns"
        )
        started = appointment
        if found_date is not None:
            earliest = (found_date.year + _ADULT_AGE, found_date.month)
    elif code in _PPPK_CODES:
        findings.parts.update(appointment_year=appointment_year, employee_kind="pppk")
        # Only the year is known: compare years.
        started = (appointment_year, 0)
        latest = (now.year, 0)
        if found_date is not None:
            earliest = (found_date.year + _ADULT_AGE, 0)
    else:
        started = None
        findings.error(
            "appointment_month",
            gettext(
                "Digits 13 and 14 of a NIP are the month of first appointment, 01 to 12 "
                "(or, for a PPPK number, a code from 21 to 29). This NIP has %(month)s "
                "there. Check the number on the appointment decree."
            )
            % {"month": number[12:14]},
        )
    if started is not None:
        shown = number[8:12] if appointment is None else f"{number[8:12]}-{number[12:14]}"
        if earliest is not None and started < earliest:
            findings.warning(
                "appointment_before_adult",
                gettext(
                    "This NIP gives a first appointment (%(appointment)s) before the person "
                    "turned 18. Check digits 9 to 14 against the appointment decree."
                )
                % {"appointment": shown},
            )
        if started > latest:
            findings.warning(
                "appointment_future",
                gettext(
                    "This NIP gives a first appointment (%(appointment)s) in the future. Check "
                    "digits 9 to 14 against the appointment decree."
                )
                % {"appointment": shown},
            )

    sex_digit = number[14]
    if sex_digit in ("1", "2"):
        found_sex: Sex = "M" if sex_digit == "1" else "F"
        findings.parts["sex"] = found_sex
        _check_sex(findings, found_sex, expected_sex)
    else:
        findings.error(
            "sex",
            gettext(
                "Digit 15 of a NIP is 1 for a man or 2 for a woman; this NIP has %(digit)s. "
                "Check the number on the appointment decree."
            )
            % {"digit": sex_digit},
        )

    if number[15:] == "000":
        findings.error(
            "serial",
            gettext(
                "The last three digits of a NIP are a serial number that starts at 001; this "
                "NIP ends in 000. Check the number on the appointment decree."
            ),
        )
    return findings.result()
