"""Which questions are asked: a field with ``when`` is asked only while its rule holds.

Rules read ``answers`` (the form, each answer read as its type, so that "true" typed on a
page is the boolean a rule compares with) and the applicant's context (``applicant``,
``business``). An unanswered or not-yet-valid answer is absent, and a rule that reads it does
not hold. A hidden field's answer is absent too, so that a question that depends on a hidden
one is hidden as well.
"""

from datetime import date
from typing import Any

from satupintu.cases.answers.fields import coerce_quietly
from satupintu.catalog.rules import evaluate


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def rule_view(fields: list[dict], answers: dict) -> dict[str, Any]:
    """``answers`` as rules read them: the answers of ``fields`` read as their types, blank
    and invalid ones left out; other keys as they are."""
    by_key = {field["key"]: field for field in fields}
    view: dict[str, Any] = {}
    for key, raw in (answers or {}).items():
        value = coerce_quietly(by_key[key], raw) if key in by_key else _jsonable(raw)
        if value is not None:
            view[key] = value
    return view


def holds(expression: str, answers_view: dict, context: dict) -> bool:
    """Whether a rule holds for these answers (already as ``rule_view`` gives them)."""
    return evaluate(expression, {**context, "answers": answers_view})


def shown(fields: list[dict], answers_view: dict, context: dict) -> list[dict]:
    """The fields of a group's item whose ``when`` holds; their rules read the form's answers,
    not the item's."""
    return [
        field
        for field in fields
        if not field.get("when") or holds(field["when"], answers_view, context)
    ]


def settle(fields: list[dict], answers: dict, context: dict) -> tuple[list[dict], dict]:
    """The visible fields of a form and the answers view rules see once hidden answers are
    left out (repeated until nothing changes: hiding one question can hide another)."""
    keys = {field["key"] for field in fields}
    full = rule_view(fields, answers)
    visible = list(fields)
    view = full
    # Each round can only change what the previous round hid or showed; a definition whose
    # rules contradict each other stops after one round per field.
    for _round in range(len(fields) + 1):
        present = {field["key"] for field in visible}
        view = {key: value for key, value in full.items() if key not in keys or key in present}
        now = shown(fields, view, context)
        if [field["key"] for field in now] == [field["key"] for field in visible]:
            break
        visible = now
    present = {field["key"] for field in visible}
    view = {key: value for key, value in full.items() if key not in keys or key in present}
    return visible, view


def visible_fields(*, fields: list[dict], answers: dict, context: dict) -> list[dict]:
    """The fields of ``fields`` whose ``when`` holds for ``answers`` (raw or cleaned) and the
    applicant's ``context`` (from ``applicant_context``)."""
    return settle(fields, answers, context)[0]
