"""The numbers a complainant keeps: the report number, and the follow-up code that lets a
person without an account read their complaint.

**Report numbers** (tracking numbers) follow the applications' scheme
(:mod:`satupintu.cases.tracking`: eight characters without look-alikes and a check
character) behind the prefix ``ADU`` (*aduan*):
``ADU-K7QM-4XRT-9``. The prefix holds letters that the tracking alphabet leaves out (U), so a
complaint's number can never be read as an application's, and the application lookup refuses
it (its check fails on the length).

**Follow-up codes** are twelve characters of the same alphabet (about 59 bits), shown once as
``ABCD-EFGH-JKMN``. Only their SHA-256 (salted with the report number) is stored. A code is
random, except when the complaint came with an idempotency key: then it is derived from the
key with the server's secret, so that a retry with the same key (a time-out, a double click)
can show the same code again — to whoever holds the key, and nobody else.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

from satupintu.core import tracking

PREFIX = "ADU"
CODE_LENGTH = 12


def tracking_generate() -> str:
    """A new report number for a complaint, ``ADU-XXXX-XXXX-X``."""
    return f"{PREFIX}-{tracking.generate()}"


def tracking_normalise(value: str) -> str | None:
    """The canonical form of a complaint's report number as typed (any case, with or
    without the prefix, spaces and dashes), or None when it is not one."""
    compact = "".join(char for char in (value or "").upper()[:64] if char.isalnum())
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    number = tracking.normalise(compact)
    return f"{PREFIX}-{number}" if number else None


def _format_code(compact: str) -> str:
    return "-".join(compact[index : index + 4] for index in range(0, CODE_LENGTH, 4))


def code_generate() -> str:
    """A random follow-up code, ``XXXX-XXXX-XXXX``."""
    return _format_code("".join(secrets.choice(tracking.ALPHABET) for _ in range(CODE_LENGTH)))


def code_derive(*, idempotency_key: str, public_id) -> str:
    """The follow-up code of the complaint ``public_id`` made with ``idempotency_key``: the
    same every time for the same pair, unpredictable without the server's secret."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"satupintu.complaints.code|{public_id}|{idempotency_key}".encode(),
        hashlib.sha256,
    ).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(tracking.ALPHABET))
        chars.append(tracking.ALPHABET[index])
    return _format_code("".join(chars))


def code_normalise(value: str) -> str | None:
    """A follow-up code as typed (any case, with or without dashes), or None."""
    compact = "".join(char for char in (value or "").upper()[:64] if char.isalnum())
    if len(compact) != CODE_LENGTH or any(char not in tracking.ALPHABET for char in compact):
        return None
    return _format_code(compact)


def code_hash(*, tracking_number: str, code: str) -> str:
    """What is stored of a follow-up code."""
    return hashlib.sha256(f"{tracking_number}:{code}".encode()).hexdigest()


def code_matches(*, tracking_number: str, code: str, stored: str) -> bool:
    """Whether ``code`` (as typed) is the follow-up code whose hash is ``stored``."""
    normalised = code_normalise(code)
    if not normalised or not stored:
        return False
    return hmac.compare_digest(code_hash(tracking_number=tracking_number, code=normalised), stored)


def key_hash(idempotency_key: str) -> str:
    """What is stored of an idempotency key: its SHA-256 (an anonymous caller's key is as
    good as its follow-up code, so the key itself is never kept)."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest() if idempotency_key else ""
