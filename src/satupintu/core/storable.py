"""Text that the databases cannot store: a NUL character (PostgreSQL refuses it in text and
JSON) and a lone UTF-16 surrogate, which JSON can spell ("\\ud800") but UTF-8 cannot.

Requests are checked where they enter, so that such input answers 400 with a message that
names the field, instead of failing deep inside a save.
"""

from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 64
NUL = "\x00"


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None when it can."""
    if NUL in text:
        return "nul"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "surrogate"
    return None


def find_unstorable(value: Any, path: str = "", depth: int = 0) -> tuple[str, str] | None:
    """The path and reason (``nul``, ``surrogate`` or ``deep``) of the first string in a
    parsed JSON value, keys included, that cannot be stored; None when all can."""
    if depth > MAX_DEPTH:
        return path, "deep"
    if isinstance(value, str):
        problem = text_problem(value)
        return (path, problem) if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            found = find_unstorable(key, inner, depth + 1) or find_unstorable(
                item, inner, depth + 1
            )
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = find_unstorable(item, f"{path}[{index}]", depth + 1)
            if found:
                return found
    return None


def pairs(data) -> Iterable[tuple[str, str]]:
    """Every (name, value) of a query or form (a ``MultiValueDict``), repeated names too."""
    for name, values in data.lists():
        for value in values:
            yield name, value


def first_nul(data) -> str | None:
    """The name of the first field of a query or form whose name or value holds a NUL."""
    for name, value in pairs(data):
        if NUL in name or (isinstance(value, str) and NUL in value):
            return name.replace(NUL, "")
    return None
