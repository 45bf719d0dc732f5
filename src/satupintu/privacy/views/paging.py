"""Keyset cursors of the data protection lists: (moment, id) of the last row of a page, in an
opaque token for the next page's address."""

import base64
import binascii
import datetime


def cursor_encode(moment: datetime.datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(token: str) -> tuple[datetime.datetime, int] | None:
    """The key in ``token``, or None (the first page) for anything that is not a cursor."""
    token = (token or "")[:80]
    if not token:
        return None
    try:
        moment, pk = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split("|")
        key = datetime.datetime.fromisoformat(moment), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return key if key[0].tzinfo is not None else None
