"""One answer of one field: reading it whatever shape it arrives in, checking it as the
field's type and limits say (docs/catalogue.md, "Form fields"), and saying what is wrong.

Values arrive as JSON types from the API and as strings from pages; both are read the same
way and stored as JSON types:

========= ==================================================================================
type      stored as
========= ==================================================================================
text      ``str``, one line, trimmed (``textarea`` keeps its line breaks)
number    ``int`` when whole, else ``float``; "2,5", "2.5", "1.500" (Indonesian grouping) and
          "1,500,000" read as numbers
money     ``int`` rupiah; "Rp 1.500.000,-" reads as 1500000
date      ``"YYYY-MM-DD"``; "17-08-2024" and "17/08/2024" (day first) are read too
choice    the option's value, or a list of values (``multiple``) in the options' order
yes_no    ``bool``; "true"/"false", "ya"/"tidak", "yes"/"no", "1"/"0"
nik, kk   the 16 digits, without the spaces, dots and dashes people type
nib       the 13 digits
email     the address, its domain in lower case
phone     ``08…`` (from 08…, +62 8… or 62 8…)
region    the Home Affairs code in digits (a unique name is looked up)
address   ``{"street": …, "village": <10-digit village code>}``
file      the public id of the uploaded document (uploads are stored by ``documents``)
========= ==================================================================================

Messages are translated (English msgids), say what is wrong and how to fix it, and quote at
most a short part of what was typed.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.cases.answers import places
from satupintu.cases.answers.context import today
from satupintu.core.identifiers import normalise, validate_kk, validate_nik
from satupintu.core.language import pick

# Without a max_length in the definition, one line of text and a textarea are still bounded:
# answers are stored in the submission's row and shown to officers.
TEXT_MAX_LENGTH = 500
TEXTAREA_MAX_LENGTH = 5000
STREET_MAX_LENGTH = 300
# Larger than any amount in rupiah a public service deals with, well inside CEL's 64 bits.
NUMBER_LIMIT = 10**15
NIB_LENGTH = 13
PHONE_DIGITS = (10, 14)
DEFAULT_ACCEPT = ("application/pdf", "image/jpeg", "image/png")
TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}

_YES = {"true", "yes", "ya", "y", "1", "on"}
_NO = {"false", "no", "tidak", "t", "n", "0", "off"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+")
_ID_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_EN_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+\.\d+|[+-]?\d{1,3}(?:,\d{3}){2,}")
_DECIMAL = re.compile(r"[+-]?\d*[.,]\d+")
_MONEY_PREFIX = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_PHONE_NOISE = re.compile(r"[\s\-.()/]")


@dataclass(frozen=True)
class FieldError:
    """A problem with one answer. ``path`` names it: ``child_name``, ``witnesses[1].nik``,
    ``akad_address.village``; ``message`` is translated."""

    path: str
    message: str


class Invalid(ValueError):
    """An answer that cannot be accepted; ``problems`` are (sub-path, message) pairs, the
    sub-path empty or ``.street``-like."""

    def __init__(self, message: str = "", subpath: str = "", *, problems=None):
        self.problems: list[tuple[str, str]] = problems or [(subpath, message)]
        super().__init__(self.problems[0][1])


# Names and hints ---------------------------------------------------------------------------


def label(field: dict) -> str:
    """The field's label in the active language, as it reads inside a sentence."""
    text = pick(field.get("label")) or field.get("key", "")
    letters = [character for character in text.split(" ")[0] if character.isalpha()][:2]
    if len(letters) == 2 and letters[0].isupper() and letters[1].isupper():
        return text  # an acronym: NIK, KTP-el
    return text[:1].lower() + text[1:]


def accepted_types(field: dict, requirement: dict | None = None) -> list[str]:
    """The content types a file field takes: its own ``accept``, else its requirement's,
    else PDF, JPEG and PNG."""
    return list(field.get("accept") or (requirement or {}).get("accept") or DEFAULT_ACCEPT)


def size_limit_mb(field: dict, requirement: dict | None = None) -> float:
    """The largest upload a file field takes, in MB: its own ``max_mb``, else its
    requirement's, else ``SATUPINTU_UPLOAD_MAX_MB``."""
    return (
        field.get("max_mb") or (requirement or {}).get("max_mb") or settings.SATUPINTU_UPLOAD_MAX_MB
    )


def type_names(types) -> str:
    """ "PDF, JPEG or PNG"."""
    names = list(dict.fromkeys(TYPE_NAMES.get(t, t.rsplit("/", 1)[-1].upper()) for t in types))
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def megabytes(value: float) -> str:
    return f"{value:g}"


def is_blank(value: Any) -> bool:
    """Nothing was given: no value, blank text, an empty list, an address with no part."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(is_blank(item) for item in value)
    if isinstance(value, dict):
        return all(is_blank(item) for item in value.values())
    return False


def missing_message(field: dict, requirement: dict | None = None) -> str:
    """What to say when a required field was left empty."""
    kind = field["type"]
    name = label(field)
    if kind == "yes_no":
        return _("Answer yes or no.")
    if kind == "choice":
        if field.get("multiple"):
            return _("Choose at least one option for %(label)s.") % {"label": name}
        return _("Choose %(label)s.") % {"label": name}
    if kind == "date":
        return _("Enter %(label)s, for example 17-08-2024.") % {"label": name}
    if kind == "nik":
        return _("Enter %(label)s: 16 digits, as on the KTP or the family card.") % {"label": name}
    if kind == "kk":
        return _("Enter %(label)s: the 16 digits at the top of the family card.") % {"label": name}
    if kind == "nib":
        return _("Enter %(label)s: the 13-digit NIB on the OSS certificate.") % {"label": name}
    if kind == "email":
        return _("Enter %(label)s, for example nama@contoh.id.") % {"label": name}
    if kind == "phone":
        return _("Enter %(label)s, for example 0812 3456 7890.") % {"label": name}
    if kind == "region":
        return _("Enter %(label)s: type its name or its Home Affairs code.") % {"label": name}
    if kind == "address":
        return _("Enter %(label)s: the street and the village (kelurahan or desa).") % {
            "label": name
        }
    if kind == "file":
        return _("Upload %(label)s (%(types)s, at most %(mb)s MB).") % {
            "label": name,
            "types": type_names(accepted_types(field, requirement)),
            "mb": megabytes(size_limit_mb(field, requirement)),
        }
    if kind == "group":
        return _("Add %(label)s.") % {"label": name}
    return _("Enter %(label)s.") % {"label": name}


# Reading one answer --------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid(_("Enter this as text."))
    return unicodedata.normalize("NFC", str(value))


def _length_checks(field: dict, value: str, default_max: int) -> str:
    n = len(value)
    maximum = field.get("max_length") or default_max
    minimum = field.get("min_length")
    if minimum and n < minimum:
        raise Invalid(
            ngettext(
                "Enter at least %(min)d character; this has %(n)d.",
                "Enter at least %(min)d characters; this has %(n)d.",
                minimum,
            )
            % {"min": minimum, "n": n}
        )
    if n > maximum:
        raise Invalid(
            ngettext(
                "Enter at most %(max)d character; this has %(n)d. Shorten it.",
                "Enter at most %(max)d characters; this has %(n)d. Shorten it.",
                maximum,
            )
            % {"max": maximum, "n": n}
        )
    return value


def parse_text(field: dict, raw: Any) -> str:
    # One line: line breaks and runs of spaces that a paste brings become one space.
    value = " ".join(_CONTROL.sub("", _as_text(raw)).split())
    _length_checks(field, value, TEXT_MAX_LENGTH)
    pattern = field.get("pattern")
    if pattern and not re.fullmatch(pattern, value):
        raise Invalid(
            _(
                "“%(value)s” is not in the expected form. Check it against the hint under the "
                "question and enter it again."
            )
            % {"value": places.short(value, 20)}
        )
    return value


def parse_textarea(field: dict, raw: Any) -> str:
    text = _CONTROL.sub("", _as_text(raw).replace("\r\n", "\n").replace("\r", "\n"))
    return _length_checks(field, text.strip(), TEXTAREA_MAX_LENGTH)


def _number(raw: Any, *, example: str) -> Decimal:
    """A number from JSON or from what people type, with Indonesian or English grouping."""
    not_a_number = Invalid(
        _("Enter a number using digits, for example %(example)s.") % {"example": example}
    )
    if isinstance(raw, bool):
        raise not_a_number
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise not_a_number
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = re.sub(r"[\s_\u00a0\u202f]", "", unicodedata.normalize("NFKC", raw))
        if len(text) > 40:
            raise Invalid(_("This number is too long. Enter it again without extra digits."))
        if _PLAIN_NUMBER.fullmatch(text):
            pass
        elif _ID_GROUPED.fullmatch(text):  # 1.500.000 or 1.500,75
            text = text.replace(".", "").replace(",", ".")
        elif _EN_GROUPED.fullmatch(text):  # 1,500,000 or 1,500.75
            text = text.replace(",", "")
        elif _DECIMAL.fullmatch(text):  # 2,5 or 2.5
            text = text.replace(",", ".")
        else:
            raise not_a_number
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise not_a_number from None
    else:
        raise not_a_number
    if abs(number) >= NUMBER_LIMIT:
        raise Invalid(_("This number is too large. Check how many digits it has."))
    return number


def _json_number(number: Decimal) -> int | float:
    # Whole numbers stay integers: rules compare them with integer literals.
    return int(number) if number == number.to_integral_value() else float(number)


def _shown(number, *, money: bool) -> str:
    # Rupiah with Indonesian thousands dots (Rp1.500.000); other numbers, often years, plain.
    if money and isinstance(number, int):
        return f"{number:,}".replace(",", ".")
    return f"{number:g}" if isinstance(number, float) else str(number)


def _limits(field: dict, number: Decimal, *, money: bool) -> None:
    minimum, maximum = field.get("min"), field.get("max")
    if minimum is not None and number < Decimal(str(minimum)):
        message = (
            _("Enter an amount of at least Rp%(min)s.")
            if money
            else _("Enter a number of at least %(min)s.")
        )
        raise Invalid(message % {"min": _shown(minimum, money=money)})
    if maximum is not None and number > Decimal(str(maximum)):
        message = (
            _("Enter an amount of at most Rp%(max)s.")
            if money
            else _("Enter a number of at most %(max)s.")
        )
        raise Invalid(message % {"max": _shown(maximum, money=money)})


def parse_number(field: dict, raw: Any) -> int | float:
    integer = bool(field.get("integer"))
    number = _number(raw, example="12" if integer else "12 or 2,5")
    if integer and number != number.to_integral_value():
        raise Invalid(_("Enter a whole number, without a decimal part, for example 12."))
    _limits(field, number, money=False)
    return _json_number(number)


def parse_money(field: dict, raw: Any) -> int:
    if isinstance(raw, str):
        raw = _MONEY_PREFIX.sub("", raw.strip())
        raw = raw[:-2] if raw.endswith((",-", ".-")) else raw
    number = _number(raw, example="1500000 or 1.500.000")
    if number != number.to_integral_value():
        raise Invalid(_("Enter the amount in whole rupiah, without cents."))
    _limits(field, number, money=True)
    return int(number)


def read_date(raw: Any) -> date:
    """A date from a date object, ``YYYY-MM-DD`` or day-month-year."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    not_a_date = Invalid(_("Enter a real date as day, month and year, for example 17-08-2024."))
    if not isinstance(raw, str):
        raise not_a_date
    text = unicodedata.normalize("NFKC", raw).strip()
    iso, dmy = _ISO_DATE.fullmatch(text), _DMY_DATE.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        pass
    raise not_a_date


def date_limit(limit: Any) -> date | None:
    """A limit of a date field: a date, ``YYYY-MM-DD`` or ``today`` (in Jakarta)."""
    if limit is None:
        return None
    if limit == "today":
        return today()
    return read_date(limit)


def parse_date(field: dict, raw: Any) -> str:
    value = read_date(raw)
    earliest, latest = date_limit(field.get("min")), date_limit(field.get("max"))
    if earliest and value < earliest:
        if field.get("min") == "today":
            raise Invalid(_("The date cannot be in the past: enter today's date or a later one."))
        raise Invalid(
            _("Enter a date on or after %(date)s.") % {"date": date_format(earliest, "DATE_FORMAT")}
        )
    if latest and value > latest:
        if field.get("max") == "today":
            raise Invalid(
                _("The date cannot be in the future: enter today's date or an earlier one.")
            )
        raise Invalid(
            _("Enter a date on or before %(date)s.") % {"date": date_format(latest, "DATE_FORMAT")}
        )
    return value.isoformat()


def parse_choice(field: dict, raw: Any) -> str | list[str]:
    values = [option["value"] for option in field["options"]]

    def one(item: Any) -> str:
        if not isinstance(item, str | int) or isinstance(item, bool) or str(item) not in values:
            raise Invalid(
                _("“%(value)s” is not one of the options. Choose one from the list.")
                % {"value": places.short(str(item), 20)}
            )
        return str(item)

    if field.get("multiple"):
        items = raw if isinstance(raw, list | tuple) else [raw]
        chosen = {one(item) for item in items if not is_blank(item)}
        return [value for value in values if value in chosen]
    if isinstance(raw, list | tuple):
        if len(raw) != 1:
            raise Invalid(_("Choose only one option."))
        raw = raw[0]
    return one(raw.strip() if isinstance(raw, str) else raw)


def parse_yes_no(field: dict, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, str | int) else ""
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise Invalid(_("Answer yes or no."))


def _identifier_text(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise Invalid(_("Enter the number as digits."))
    return str(raw)


def parse_nik(field: dict, raw: Any) -> str:
    result = validate_nik(_identifier_text(raw))
    if result.errors:
        raise Invalid(result.errors[0])
    return result.value


def parse_kk(field: dict, raw: Any) -> str:
    result = validate_kk(_identifier_text(raw))
    if result.errors:
        raise Invalid(result.errors[0])
    return result.value


def parse_nib(field: dict, raw: Any) -> str:
    value = normalise(_identifier_text(raw))
    if not value.isascii() or not value.isdigit():
        raise Invalid(
            _(
                "A NIB has only digits. Enter the 13 digits as they are on the OSS "
                "certificate, without letters."
            )
        )
    if len(value) != NIB_LENGTH:
        raise Invalid(
            _("A NIB has 13 digits; this one has %(n)d. Check the number on the OSS certificate.")
            % {"n": len(value)}
        )
    return value


def parse_email(field: dict, raw: Any) -> str:
    value = _as_text(raw).strip()
    local, at, domain = value.rpartition("@")
    value = f"{local}{at}{domain.lower()}" if at else value
    try:
        if len(value) > 254:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        raise Invalid(
            _("Enter an e-mail address in the form nama@contoh.id; check for a typing error.")
        ) from None
    return value


def parse_phone(field: dict, raw: Any) -> str:
    text = unicodedata.normalize("NFKC", _identifier_text(raw)).replace("(0)", "")
    digits = _PHONE_NOISE.sub("", text)
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    if not digits.isascii() or not digits.isdigit() or not digits.startswith("08"):
        raise Invalid(
            _(
                "Enter an Indonesian mobile number that starts with 08 or +62 8, for example "
                "0812 3456 7890."
            )
        )
    low, high = PHONE_DIGITS
    if not low <= len(digits) <= high:
        raise Invalid(
            _(
                "An Indonesian mobile number has 10 to 14 digits, starting with 08; this one "
                "has %(n)d. Check it."
            )
            % {"n": len(digits)}
        )
    return digits


def parse_region(field: dict, raw: Any) -> str:
    try:
        return places.resolve(_identifier_text(raw), places.LEVELS[field["level"]])
    except places.RegionProblem as problem:
        raise Invalid(str(problem)) from None


def parse_address(field: dict, raw: Any) -> dict[str, str]:
    if isinstance(raw, dict):
        street, village = raw.get("street"), raw.get("village")
    elif isinstance(raw, list | tuple) and len(raw) == 2:
        street, village = raw
    elif isinstance(raw, str):
        street, village = raw, None
    else:
        raise Invalid(_("Give the address as its street and its village (kelurahan or desa)."))
    problems = []
    value: dict[str, str] = {}
    if is_blank(street):
        problems.append((".street", _("Enter the street address: street, number, RT/RW.")))
    else:
        try:
            text = " ".join(_CONTROL.sub("", _as_text(street)).split())
            value["street"] = _length_checks({}, text, STREET_MAX_LENGTH)
        except Invalid as invalid:
            problems.append((".street", invalid.problems[0][1]))
    if is_blank(village):
        problems.append(
            (
                ".village",
                _(
                    "Enter the village (kelurahan or desa) of the address: its name or its "
                    "Home Affairs code."
                ),
            )
        )
    else:
        try:
            value["village"] = places.resolve(_identifier_text(village), 4)
        except (places.RegionProblem, Invalid) as problem:
            problems.append((".village", str(problem)))
    if problems:
        raise Invalid(problems=problems)
    return value


PARSERS = {
    "text": parse_text,
    "textarea": parse_textarea,
    "number": parse_number,
    "money": parse_money,
    "date": parse_date,
    "choice": parse_choice,
    "yes_no": parse_yes_no,
    "nik": parse_nik,
    "kk": parse_kk,
    "nib": parse_nib,
    "email": parse_email,
    "phone": parse_phone,
    "region": parse_region,
    "address": parse_address,
}


def parse(field: dict, raw: Any) -> Any:
    """The stored value of a non-blank answer of a simple field (not a file, not a group);
    ``Invalid`` when it cannot be accepted."""
    return PARSERS[field["type"]](field, raw)


def coerce_quietly(field: dict, raw: Any) -> Any:
    """The value as rules should see it, or ``None`` when it is blank or not (yet) valid:
    rules run before and while the applicant types, and a rule that reads a missing answer
    does not hold."""
    kind = field["type"]
    if kind == "group":
        if not isinstance(raw, list):
            return None
        return [
            {sub["key"]: coerce_quietly(sub, item.get(sub["key"])) for sub in field["fields"]}
            for item in raw
            if isinstance(item, dict)
        ]
    if is_blank(raw):
        return None
    if kind == "file":
        return str(raw) if isinstance(raw, str) else None
    if kind in ("region", "address"):
        # A look-up by name is too slow to run for every rule; a code is taken as it is.
        if kind == "region" and isinstance(raw, str) and raw.strip().isdigit():
            return raw.strip()
        return raw if isinstance(raw, dict) else None
    try:
        return parse(field, raw)
    except Invalid:
        return None
