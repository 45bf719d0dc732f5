"""Tracking numbers that people read aloud over the phone and type on a cheap keyboard.

Eight random characters from an alphabet without look-alikes (no 0/O, 1/I/L, U) and one
check character (Luhn mod N), shown as ``K7QM-4XRT-9``. The check character catches every
single mistyped character and almost every swap of two neighbours.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {char: position for position, char in enumerate(ALPHABET)}
_BASE = len(ALPHABET)
LENGTH = 8


def check_character(body: str) -> str:
    """The Luhn mod N check character of ``body``."""
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // _BASE + addend % _BASE
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_tracking(body + check_character(body))


def format_tracking(compact: str) -> str:
    return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"


def normalise(value: str) -> str | None:
    """The canonical form of a tracking number as typed (any case, with or without spaces
    and dashes), or None when it is not one — including when its check character does not
    match, which catches most typing mistakes."""
    compact = "".join(char for char in value.upper()[:64] if char.isalnum())
    if len(compact) != LENGTH + 1 or any(char not in _INDEX for char in compact):
        return None
    if check_character(compact[:LENGTH]) != compact[LENGTH]:
        return None
    return format_tracking(compact)
