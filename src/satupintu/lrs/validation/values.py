"""The values of statements and parameters: their types and formats (UUIDs, IRIs, language
tags, timestamps, durations), JSON parsing, and the error that names what is wrong."""

import datetime
import json
import math
import re
from typing import Any

from satupintu.core.errors import Conflict, DomainError
from satupintu.core.storable import find_unstorable
from satupintu.lrs.constants import IRI_MAX_BYTES


class StatementError(DomainError):
    """A statement, a document or a parameter does not follow the specification."""

    status = 400

    def __init__(self, detail: str, *, code: str = "invalid"):
        super().__init__(detail, code=code)


class StatementConflict(Conflict):
    """A statement with the same id and different content is already stored."""


def fail(path: str, message: str) -> None:
    raise StatementError(f"{path}: {message}")


# Formats -------------------------------------------------------------------------------

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
# Best-effort IRI check (the specification allows it): a scheme, then no white space.
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]+$")
MBOX_RE = re.compile(r"^mailto:[^\s@]+@[^\s@]+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
HEX_RE = re.compile(r"^[0-9a-fA-F]+$")
VERSION_RE = re.compile(r"^1\.0(?:\.\d+)?$")
MEDIA_TYPE_RE = re.compile(r"^[\w!#$&^.+\-]+/[\w!#$&^.+\-]+(?:\s*;.*)?$", re.DOTALL)
TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUMBER = r"\d+(?:[.,]\d+)?"
DURATION_RE = re.compile(
    rf"^P(?:{_NUMBER}W|(?=\d|T\d)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?)$"
)
# RFC 5646 language tags: the sequence of subtag lengths, and the irregular tags.
_ALNUM = "[A-Za-z0-9]"
LANGUAGE_TAG_RE = re.compile(
    r"^(?:"
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language (+ extlang)
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|\d{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9A-WY-Za-wy-z](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-[xX](?:-{_ALNUM}{{1,8}})+)?"  # private use
    rf"|[xX](?:-{_ALNUM}{{1,8}})+"  # a private-use tag
    r"|en-GB-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)"
    r"|sgn-(?:BE-FR|BE-NL|CH-DE)"
    r")$",
    re.IGNORECASE,
)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def expect_object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        fail(path, f"must be a JSON object, not {_kind(value)}")
    return value


def expect_list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        fail(path, f"must be a JSON array, not {_kind(value)}")
    return value


def expect_string(value: Any, path: str, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        fail(path, f"must be a string, not {_kind(value)}")
    if not empty and not value:
        fail(path, "must not be empty")
    return value


def expect_boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        fail(path, f"must be true or false, not {_kind(value)}")
    return value


def expect_number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, f"must be a number, not {_kind(value)}")
    return value


def check_keys(
    obj: dict, path: str, allowed: set[str] | frozenset[str], required: tuple[str, ...] = ()
) -> None:
    for key, value in obj.items():
        if key not in allowed:
            lowered = {name.lower(): name for name in allowed}
            if key.lower() in lowered:
                fail(f"{path}.{key}", f'is not allowed; the property is "{lowered[key.lower()]}"')
            fail(f"{path}.{key}", "is not a property the specification allows here")
        if value is None:
            fail(f"{path}.{key}", "must not be null")
    for key in required:
        if key not in obj:
            fail(f"{path}.{key}", "is required")


def check_uuid(value: Any, path: str) -> str:
    expect_string(value, path)
    if not UUID_RE.match(value):
        fail(path, "must be a UUID in its standard form (8-4-4-4-12 hexadecimal digits)")
    return value


def check_iri(value: Any, path: str, *, what: str = "IRI") -> str:
    expect_string(value, path)
    if not IRI_RE.match(value):
        fail(path, f"must be an absolute {what} with a scheme, such as http://example.org/x")
    if len(value.encode("utf-8")) > IRI_MAX_BYTES:
        fail(path, f"must not be longer than {IRI_MAX_BYTES} bytes")
    return value


def check_language_tag(value: Any, path: str) -> str:
    expect_string(value, path)
    if not LANGUAGE_TAG_RE.match(value):
        fail(path, "must be an RFC 5646 language tag, such as en, id or en-US")
    return value


def check_language_map(value: Any, path: str) -> None:
    expect_object(value, path)
    for key, text in value.items():
        if not LANGUAGE_TAG_RE.match(key):
            fail(f"{path}.{key}", "the key must be an RFC 5646 language tag, such as en or id")
        expect_string(text, f"{path}.{key}")


def check_extensions(value: Any, path: str) -> None:
    expect_object(value, path)
    for key in value:
        # Values may be anything, null included: the LRS must not reject them.
        if not IRI_RE.match(key) or len(key.encode("utf-8")) > IRI_MAX_BYTES:
            fail(f"{path}.{key}", "the key of an extension must be an absolute IRI")


def parse_timestamp(value: Any, path: str) -> datetime.datetime:
    """An ISO 8601 timestamp as an aware datetime (UTC when it names no time zone)."""
    expect_string(value, path)
    match = TIMESTAMP_RE.match(value)
    message = "must be an ISO 8601 timestamp, such as 2024-05-01T08:30:00.000Z"
    if not match:
        fail(path, message)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if zone and zone[0] == "-" and not zone[1:].replace(":", "").strip("0"):
        fail(path, "must not use the offset -00:00; use Z or +00:00 for UTC")
    try:
        if not zone or zone in ("Z", "z"):
            tz = datetime.UTC
        else:
            digits = zone[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
            if hours > 23 or minutes > 59:
                raise ValueError
            offset = datetime.timedelta(hours=hours, minutes=minutes)
            tz = datetime.timezone(-offset if zone[0] == "-" else offset)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        return datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
        )
    except ValueError:
        fail(path, message)
    raise AssertionError  # unreachable: fail() raises


# JSON --------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f'the property "{key}" appears twice in one object')
        result[key] = value
    return result


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"the number {text[:20]} is too large")
    return number


def _reject_constant(text: str) -> None:
    raise ValueError(f"{text} is not a JSON value")


def _check_text(value: Any, path: str) -> None:
    """Reject what the database cannot store: NUL characters and lone surrogates."""
    found = find_unstorable(value, path)
    if found:
        where, reason = found
        fail(where, STORABLE_MESSAGES[reason])


STORABLE_MESSAGES = {
    "nul": "must not contain a NUL character (\\u0000)",
    "surrogate": "must be valid Unicode (it holds an unpaired surrogate)",
    "deep": "is nested too deeply",
}


def parse_json(data: bytes | str, what: str) -> Any:
    """Parse a JSON request body or parameter, saying what is wrong when it is not JSON."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        fail(what, "must be encoded as UTF-8")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_finite,
            parse_constant=_reject_constant,
        )
    except RecursionError:
        fail(what, "is nested too deeply")
    except ValueError as error:
        fail(what, f"is not valid JSON ({error})")
    _check_text(value, what)
    return value
