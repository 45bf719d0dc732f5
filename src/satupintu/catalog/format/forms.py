"""Checking forms: the fields of a service's form and the questions of a life event, and
whether a question's answer fits a service's field."""

import re

from satupintu.catalog.format.reading import Catalogue, Document
from satupintu.catalog.rules import Names, check_rule


def check_form(
    catalogue: Catalogue,
    document: Document,
    fields: list[dict],
    path: str,
    requirement_codes: set[str] | None,
) -> set[str]:
    """Check the fields of a form (``requirement_codes`` are the service's requirements; None
    for the questions of a life event, which has none) and return the keys of the top
    level."""
    problem = lambda where, message: catalogue.problem(document.path, where, message)  # noqa: E731
    keys: set[str] = set()
    for index, field in enumerate(fields):
        where = f"{path}[{index}]"
        if field["key"] in keys:
            problem(f"{where}.key", f"'{field['key']}' appears twice in this form")
        keys.add(field["key"])
        kind = field["type"]
        limits = (field.get("min"), field.get("max"))
        comparable = (
            None not in limits and "today" not in limits and type(limits[0]) is type(limits[1])
        )
        if comparable and limits[0] > limits[1]:
            problem(where, f"min ({limits[0]}) is greater than max ({limits[1]})")
        if isinstance(field.get("min"), str) or isinstance(field.get("max"), str):
            if kind != "date":
                problem(where, "a date limit (today or YYYY-MM-DD) applies to date fields only")
        elif ("min" in field or "max" in field) and kind not in {"number", "money"}:
            problem(where, f"min and max numbers apply to number and money fields, not {kind}")
        if field.get("min_length", 0) > field.get("max_length", 10**9):
            problem(where, "min_length is greater than max_length")
        if "pattern" in field:
            try:
                re.compile(field["pattern"])
            except re.error as exc:
                problem(f"{where}.pattern", f"not a valid regular expression: {exc}")
        if kind == "file" and "requirement" in field:
            if requirement_codes is None:
                problem(
                    f"{where}.requirement",
                    "a life event has no requirements; leave requirement out (the file field "
                    "of the service that receives this file names its requirement)",
                )
            elif field["requirement"] not in requirement_codes:
                problem(
                    f"{where}.requirement",
                    f"'{field['requirement']}' is not a requirement of this service",
                )
        for attribute, kinds in (
            ("options", {"choice"}),
            ("level", {"region"}),
            ("accept", {"file"}),
            ("max_mb", {"file"}),
            ("repeat", {"group"}),
            ("requirement", {"file"}),
        ):
            if attribute in field and kind not in kinds:
                problem(
                    f"{where}.{attribute}", f"applies to {', '.join(sorted(kinds))} fields only"
                )
        if kind == "choice":
            values = [option["value"] for option in field["options"]]
            if len(values) != len(set(values)):
                problem(f"{where}.options", "two options have the same value")
        if kind == "group":
            repeat = field.get("repeat", {})
            if repeat.get("min", 0) > repeat.get("max", 10**9):
                problem(f"{where}.repeat", "min is greater than max")
            check_form(catalogue, document, field["fields"], f"{where}.fields", requirement_codes)
    return keys


def file_requirements(fields: list[dict]):
    """The requirement codes that the file fields of ``fields`` collect."""
    for field in fields:
        if field["type"] == "file" and "requirement" in field:
            yield field["requirement"]
        if field["type"] == "group":
            yield from file_requirements(field["fields"])


def check_form_rules(
    catalogue: Catalogue, document: Document, fields: list[dict], path: str, names: Names
) -> None:
    """Check that the ``when`` rules of ``fields`` compile and name what exists."""
    for index, field in enumerate(fields):
        if "when" in field:
            for message in check_rule(field["when"], names):
                catalogue.problem(document.path, f"{path}[{index}].when", message)
        if field["type"] == "group":
            check_form_rules(catalogue, document, field["fields"], f"{path}[{index}].fields", names)


# Types whose answer is one plain value, which a text field can hold as it is written.
SIMPLE_TYPES = frozenset(
    {
        "text",
        "textarea",
        "number",
        "money",
        "date",
        "choice",
        "yes_no",
        "nik",
        "kk",
        "nib",
        "email",
        "phone",
        "region",
    }
)
TEXT_TYPES = frozenset({"text", "textarea"})


def is_required(field: dict) -> bool:
    """True when the applicant must always give ``field``: required (the default), asked
    without a condition and not prefilled."""
    return field.get("required", True) and "when" not in field and "prefill" not in field


def answer_fit_problem(question: dict, field: dict, *, source: str, target: str) -> str | None:
    """Why the answer to ``question`` (named ``source``) cannot fill ``field`` (named
    ``target``), or None when it can: the same type, or a text field taking any simple
    answer; a choice's options and a region's level must agree too."""
    asked, wanted = question["type"], field["type"]
    multiple = bool(question.get("multiple"))
    if "file" in (asked, wanted):
        if asked != wanted:
            return (
                f"{source} is a {asked} question and {target} is a {wanted} field; "
                "a file can fill only a file field, and a file field only from a file question"
            )
        refused = [
            kind for kind in question.get("accept", []) if kind not in field.get("accept", [kind])
        ]
        if refused or ("accept" in field and "accept" not in question):
            allowed = ", ".join(field["accept"])
            return (
                f"{source} accepts {', '.join(refused) or 'any file'}, which {target} does not "
                f"take; give the question accept: [{allowed}] or fewer"
            )
        if question.get("max_mb", 0) > field.get("max_mb", float("inf")):
            return (
                f"{source} allows files up to {question['max_mb']} MB and {target} up to "
                f"{field['max_mb']} MB; lower the question's max_mb"
            )
        return None
    if wanted in TEXT_TYPES and asked in SIMPLE_TYPES and not multiple:
        return None
    if asked != wanted:
        also = " (or any simple type, as it is a text field)" if wanted in TEXT_TYPES else ""
        return (
            f"{source} is a {asked} question and {target} is a {wanted} field; "
            f"map a question of type {wanted}{also}"
        )
    if asked == "choice":
        if multiple != bool(field.get("multiple")):
            return (
                f"{source} takes {'several options' if multiple else 'one option'} and {target} "
                f"{'several' if field.get('multiple') else 'one'}; make multiple agree"
            )
        offered = [option["value"] for option in field["options"]]
        extra = [o["value"] for o in question["options"] if o["value"] not in offered]
        if extra:
            return (
                f"{source} may be {', '.join(extra)}, which {target} does not offer "
                f"(its options: {', '.join(offered)}); give the question the field's options"
            )
    if asked == "region" and question["level"] != field["level"]:
        return (
            f"{source} is a region of level {question['level']} and {target} one of level "
            f"{field['level']}; use the same level"
        )
    if asked == "group":
        items = {item["key"]: item for item in question["fields"]}
        for item in field["fields"]:
            inner_source, inner_target = f"{source}.{item['key']}", f"{target}.{item['key']}"
            if item["key"] in items:
                problem = answer_fit_problem(
                    items[item["key"]], item, source=inner_source, target=inner_target
                )
                if problem:
                    return problem
            elif is_required(item):
                return f"{target} needs '{item['key']}' in each item and {source} does not ask it"
    return None


def constant_fit_problem(value, field: dict, *, target: str) -> str | None:
    """Why the constant ``value`` cannot fill ``field``, or None when it can."""
    kind = field["type"]
    if kind in {"file", "group", "address"}:
        return f"a constant cannot fill {target}, a {kind} field; map it from a question"
    if kind == "yes_no":
        return None if isinstance(value, bool) else f"{target} is yes/no: give true or false"
    if kind in {"number", "money"}:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{target} is a {kind} field: give a number"
        if field.get("integer") and not isinstance(value, int):
            return f"{target} takes whole numbers: give an integer"
        return None
    if not isinstance(value, str):
        return f"{target} is a {kind} field: give the value as text (in quotes)"
    if kind == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{target} is a date: write it as YYYY-MM-DD"
    if kind == "choice":
        offered = [option["value"] for option in field["options"]]
        if field.get("multiple"):
            return f"a constant cannot fill {target}, which takes several options; map a question"
        if value not in offered:
            return f"'{value}' is not an option of {target} (its options: {', '.join(offered)})"
    return None


# Which fields an outcome's parts can fill: its number a field that holds an identifier,
# its date a date (or text), the document itself a file field.
_OUTCOME_TARGETS = {
    "document_number": frozenset({"text", "textarea", "kk", "nib"}),
    "issued_on": frozenset({"date", "text", "textarea"}),
    "document": frozenset({"file"}),
}


def outcome_fit_problem(part: str, field: dict, *, source: str, target: str) -> str | None:
    """Why ``part`` of an outcome (``document_number``, ``issued_on``, ``document``) cannot
    fill ``field``, or None when it can."""
    kinds = _OUTCOME_TARGETS[part]
    if field["type"] in kinds:
        return None
    fitting = [name for name, targets in _OUTCOME_TARGETS.items() if field["type"] in targets]
    hint = f"; a {field['type']} field can take outcome.<service>.{fitting[0]}" if fitting else ""
    return (
        f"{source} fills {' or '.join(sorted(kinds))} fields only, and {target} is a "
        f"{field['type']} field{hint}"
    )
