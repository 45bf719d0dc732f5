"""Keyset (seek) paging for the staff lists of Learn: a page is the rows after the key of the
last row shown, so page 1,000 costs what page 1 costs.

A cursor is the key of the last row, encoded for a URL (``?after=…``). A cursor that cannot
be read is treated as none: the first page.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from satupintu.core.keyset import after_q  # noqa: F401 (the learning selectors import it from here)

Row = TypeVar("Row")
PAGE_SIZE = 25
_CURSOR_MAX_LENGTH = 400


@dataclass
class Page(Generic[Row]):
    """One page of a list, and the cursor of the next page (empty on the last)."""

    items: list[Row] = field(default_factory=list)
    next_cursor: str = ""

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def cursor_encode(*values: Any) -> str:
    raw = json.dumps([_plain(value) for value in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(token: str | None, *types: Callable[[Any], Any]) -> tuple | None:
    """The key in ``token``, each part converted by ``types``; None for anything else."""
    token = (token or "").strip()
    if not token or len(token) > _CURSOR_MAX_LENGTH:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw.decode())
        if not isinstance(values, list) or len(values) != len(types):
            return None
        return tuple(kind(value) for kind, value in zip(types, values, strict=True))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, InvalidOperation):
        return None


def aware_datetime(value: str) -> datetime.datetime:
    found = datetime.datetime.fromisoformat(value)
    if found.tzinfo is None:
        raise ValueError("naive datetime")
    return found


def paginate(rows: list[Row], limit: int, key: Callable[[Row], tuple]) -> Page[Row]:
    """A page from ``limit + 1`` rows read: the extra row only says that there is more."""
    has_next = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=cursor_encode(*key(rows[-1])) if has_next else "")
