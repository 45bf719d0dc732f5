"""Personal data found in text and masked: NIKs, NIPs and e-mail addresses.

The log formatter of the settings (``RedactingFormatter``) masks them in every line the
platform writes, exception texts included: a database error can quote the value that broke
a constraint. The suite's log scan (``tests/logscan.py``) uses the same ``scan`` to fail a
test whose code logs personal data in the first place.

- a NIK is sixteen digits that read as one: a known province, a real birth date (the day
  plus 40 for women) and a serial that is not 0000; any other sixteen digits are left alone;
- a NIP is eighteen digits that read as one: a real birth date, an appointment month or a
  PPPK code, a sex digit and a serial;
- an e-mail address is what a sane address pattern matches.
"""

from __future__ import annotations

import logging
import re

_NIK_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9]{16}(?![0-9A-Za-z])")
_NIP_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9]{18}(?![0-9A-Za-z])")
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])"
)


def _is_nik(candidate: str) -> bool:
    from satupintu.core.identifiers import validate_nik

    result = validate_nik(candidate)
    return result.is_valid and "unknown_province" not in result.warning_codes


def _is_nip(candidate: str) -> bool:
    from satupintu.core.identifiers import validate_nip

    return validate_nip(candidate).is_valid


def mask(kind: str, value: str) -> str:
    """The value with enough left to find it in the code and too little to identify anyone:
    the first four and the last two digits of a number, the first character and the domain
    of an address."""
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def scan(text: str) -> tuple[str, list[str]]:
    """The kinds of personal data found in ``text``, and ``text`` with each of them masked."""
    kinds: list[str] = []

    def replace(kind: str, check):
        def substitute(match: re.Match) -> str:
            value = match.group(0)
            if check is not None and not check(value):
                return value
            kinds.append(kind)
            return mask(kind, value)

        return substitute

    text = _NIP_CANDIDATE.sub(replace("NIP", _is_nip), text)
    text = _NIK_CANDIDATE.sub(replace("NIK", _is_nik), text)
    text = _EMAIL.sub(replace("email", None), text)
    return text, kinds


class RedactingFormatter(logging.Formatter):
    """A formatter whose lines, exception and stack included, have their NIKs, NIPs and
    e-mail addresses masked."""

    def format(self, record: logging.LogRecord) -> str:
        return scan(super().format(record))[0]
