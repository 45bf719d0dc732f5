"""Between a service's answers and the values of its page's form: the names of the form's
fields, the form values that show a draft's answers, and the answers in posted values.

``<key>`` for a question; ``<key>_street`` and ``<key>_village`` for an address;
``<group>-<index>-<key>`` for a question of a repeating group's item (index from 0, as in the
error paths ``witnesses[1].nik``).
"""

import re
from typing import Any

from satupintu.cases.answers import places
from satupintu.cases.answers.fields import coerce_quietly, is_blank

GROUP_PATH = re.compile(r"^([a-z][a-z0-9_]*)\[(\d+)\](?:\.([a-z][a-z0-9_]*))?")


# Names ---------------------------------------------------------------------------------------


def row_name(group: str, index: int, key: str) -> str:
    return f"{group}-{index}-{key}"


def name_for_path(path: str) -> str:
    """The form field that shows the answer at ``path`` (``witnesses[1].nik`` →
    ``witnesses-1-nik``; ``akad_address.village`` → ``akad_address_village``)."""
    match = GROUP_PATH.match(path)
    if match and match[3]:
        base, rest = row_name(match[1], int(match[2]), match[3]), path[match.end() :]
    elif match:
        return path
    else:
        base, _dot, rest = path.partition(".")
        rest = "." + rest if rest else ""
    if rest in (".street", ".village"):
        return f"{base}_{rest[1:]}"
    return base


# Answers <-> form values ------------------------------------------------------------------


def _initial_value(field: dict, value: Any) -> Any:
    kind = field["type"]
    if is_blank(value) or kind == "file":
        return None
    if kind == "yes_no":
        parsed = coerce_quietly(field, value)
        return None if parsed is None else ("true" if parsed else "false")
    if kind == "region" and isinstance(value, str) and value.isdigit():
        return places.display(value) if field["level"] != "province" else value
    if kind == "choice" and field.get("multiple") and not isinstance(value, list):
        return [value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _initial_into(initial: dict, field: dict, name: str, value: Any) -> None:
    if field["type"] == "address":
        parts = value if isinstance(value, dict) else {"street": value}
        village = parts.get("village")
        if isinstance(village, str) and village.isdigit():
            village = places.display(village)
        initial[f"{name}_street"] = parts.get("street")
        initial[f"{name}_village"] = village
    else:
        initial[name] = _initial_value(field, value)


def initial_from_answers(*, definition: dict, answers: dict) -> dict[str, Any]:
    """Form values (by field name) that show ``answers``: dates as ``YYYY-MM-DD``, yes/no as
    ``"true"``/``"false"``, a region as its name and code, a group's items as rows."""
    initial: dict[str, Any] = {}
    for field in definition.get("form") or []:
        key = field["key"]
        value = (answers or {}).get(key)
        if field["type"] == "group":
            items = value if isinstance(value, list) else []
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                for sub in field["fields"]:
                    _initial_into(
                        initial, sub, row_name(key, index, sub["key"]), item.get(sub["key"])
                    )
        else:
            _initial_into(initial, field, key, value)
    return {name: value for name, value in initial.items() if value is not None}


def _answer_from(values: dict[str, Any], field: dict, name: str) -> Any:
    kind = field["type"]
    if kind == "file":
        return None  # uploads are stored by the documents service, not in the answers
    if kind == "address":
        street, village = values.get(f"{name}_street"), values.get(f"{name}_village")
        if is_blank(street) and is_blank(village):
            return None
        return {"street": street or "", "village": village or ""}
    value = values.get(name)
    return None if is_blank(value) else value


def answers_from_cleaned_data(*, definition: dict, cleaned_data: dict[str, Any]) -> dict:
    """The answers (as ``validate_answers`` takes them) in a form's values by field name.
    A group's rows keep their positions, empty rows included, so that the paths of errors
    are those of the rows on the page."""
    answers: dict[str, Any] = {}
    for field in definition.get("form") or []:
        key = field["key"]
        if field["type"] == "group":
            pattern = re.compile(rf"^{re.escape(key)}-(\d+)-")
            indexes = {int(m[1]) for name in cleaned_data if (m := pattern.match(name))}
            if not indexes:
                continue
            items = []
            for index in range(max(indexes) + 1):
                item = {}
                for sub in field["fields"]:
                    value = _answer_from(cleaned_data, sub, row_name(key, index, sub["key"]))
                    if value is not None:
                        item[sub["key"]] = value
                items.append(item)
            answers[key] = items
        else:
            value = _answer_from(cleaned_data, field, key)
            if value is not None:
                answers[key] = value
    return answers
