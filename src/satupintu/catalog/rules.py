"""Rules in definitions — eligibility, conditional questions, conditional requirements —
written in the Common Expression Language (CEL) and run by ``cel-python``, never ``eval``.

A rule reads a small set of names: ``answers`` (the form), ``applicant`` and ``business``.
``check_rule`` compiles a rule and finds names the platform does not provide, so that a
typo in a definition is reported when the definition is validated, not when a citizen
applies.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import celpy
from celpy import celparser

APPLICANT_ATTRIBUTES = {"age", "sex", "kind", "region"}
BUSINESS_ATTRIBUTES = {"legal_form", "nib", "region"}
# CEL's keywords, literals, macros and built-in functions that may appear bare.
_BUILTINS = {
    "true",
    "false",
    "null",
    "in",
    "has",
    "size",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "bytes",
    "type",
    "timestamp",
    "duration",
    "matches",
    "contains",
    "startsWith",
    "endsWith",
    "exists",
    "all",
    "exists_one",
    "map",
    "filter",
    "dyn",
}
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)")

_environment = celpy.Environment()


class RuleError(ValueError):
    """A rule that does not compile or names something that does not exist."""


@dataclass(frozen=True)
class Names:
    """What a rule may read: the roots, and the keys known under ``answers``."""

    answers: frozenset[str]
    roots: frozenset[str] = frozenset({"answers", "applicant", "business"})


def check_rule(expression: str, names: Names) -> list[str]:
    """Problems with ``expression``: a syntax error, or names that are not available."""
    try:
        _compile(expression)
    except RuleError as exc:
        return [str(exc)]
    problems = []
    for root, rest in _NAME.findall(_STRING.sub('""', expression)):
        if root in _BUILTINS:
            continue
        attribute = rest[1:].split(".", 1)[0] if rest else ""
        if root not in names.roots:
            roots = ", ".join(f"{r}.<…>" for r in sorted(names.roots))
            problems.append(
                f"unknown name '{root}' in rule '{expression}'; a rule can read {roots}"
            )
        elif not attribute:
            problems.append(
                f"'{root}' needs an attribute in rule '{expression}', such as {root}.<name>"
            )
        elif root == "answers" and attribute not in names.answers:
            known = ", ".join(sorted(names.answers)) or "none"
            problems.append(
                f"answers.{attribute} is not a question of this form (questions: {known})"
            )
        elif root == "applicant" and attribute not in APPLICANT_ATTRIBUTES:
            problems.append(
                f"applicant.{attribute} is not known; use one of "
                + ", ".join(f"applicant.{a}" for a in sorted(APPLICANT_ATTRIBUTES))
            )
        elif root == "business" and attribute not in BUSINESS_ATTRIBUTES:
            problems.append(
                f"business.{attribute} is not known; use one of "
                + ", ".join(f"business.{a}" for a in sorted(BUSINESS_ATTRIBUTES))
            )
    return problems


@lru_cache(maxsize=4096)
def _compile(expression: str):
    """Compiled program of an expression; definitions are few and immutable per version, so
    the cache is bounded and always correct."""
    try:
        ast = _environment.compile(expression)
    except celparser.CELParseError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise RuleError(f"the rule '{expression}' is not valid CEL: {first_line}") from exc
    return _environment.program(ast)


_CEL_INTEGERS = range(-(2**63), 2**63)


def _within_cel_range(value: Any) -> Any:
    """``value`` with each integer outside CEL's 64 bits replaced by null."""
    if isinstance(value, dict):
        return {key: _within_cel_range(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_within_cel_range(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and value not in _CEL_INTEGERS:
        return None
    return value


def evaluate(expression: str, context: dict[str, Any]) -> bool:
    """Evaluate a rule against ``context`` (``{"answers": {...}, "applicant": {...}}``).

    A rule that reads a value that was not given (an unanswered question) is false: the
    condition it guards does not hold yet.
    """
    program = _compile(expression)
    try:
        activation = {key: celpy.json_to_cel(value) for key, value in context.items()}
    except ValueError:
        # An integer that CEL cannot hold (beyond 64 bits): such a value counts as not given.
        activation = {
            key: celpy.json_to_cel(_within_cel_range(value)) for key, value in context.items()
        }
    try:
        result = program.evaluate(activation)
    except Exception:
        return False
    if isinstance(result, Exception):
        return False
    return bool(result)
