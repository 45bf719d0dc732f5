"""Checking a catalogue: first each document against its JSON Schema, then what a schema
cannot say — references between files, workflow soundness, rules that compile."""

import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from satupintu.catalog.format.reading import Catalogue, Document
from satupintu.catalog.rules import Names, check_rule

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


@cache
def validator(kind: str) -> Draft202012Validator:
    """The JSON Schema validator of one kind of document (service, life_event, …)."""
    resources = []
    for file in SCHEMA_DIR.glob("*.json"):
        schema = json.loads(file.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
        resources.append((file.name, Resource.from_contents(schema)))
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=registry)


def dotted(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def schema_problems(catalogue: Catalogue, document: Document, kind: str) -> bool:
    """Report schema errors of ``document``; True when there were none."""
    errors = sorted(
        validator(kind).iter_errors(document.data), key=lambda e: list(map(str, e.absolute_path))
    )
    for error in errors:
        path = list(error.absolute_path)
        message = error.message
        if error.validator == "required":
            missing = re.match(r"'([^']+)' is a required property", error.message)
            if missing:
                path.append(missing.group(1))
                message = "is required"
        elif error.validator == "additionalProperties":
            message = error.message.replace("Additional properties are not allowed", "unknown key")
        elif error.validator == "enum":
            message = f"{error.instance!r} is not allowed; use one of: " + ", ".join(
                map(str, error.validator_value)
            )
        elif error.validator == "pattern" and path and path[-1] in {"code", "agency", "unit"}:
            message = (
                f"{error.instance!r} is not a valid code: use lower-case letters, digits and '-'"
            )
        elif (
            error.validator == "type"
            and error.validator_value == "object"
            and isinstance(error.instance, str)
        ):
            message = f"{error.message}; give the text in both languages as {{id: …, en: …}}"
        catalogue.problem(document.path, dotted(path), message)
    return not errors


def check_catalogue(
    catalogue: Catalogue,
    *,
    known_agencies: dict[str, set[str]],
    known_categories: set[str],
    known_services: dict[str, set[str]],
) -> None:
    """Add every problem of ``catalogue`` to ``catalogue.problems``."""
    agencies = {code: set(units) for code, units in known_agencies.items()}
    offices: set[str] = set()
    categories = set(known_categories)

    if (doc := catalogue.organisations) and schema_problems(catalogue, doc, "organisations"):
        agencies.update(_check_organisations(catalogue, doc))
        offices = {office["code"] for office in doc.data.get("offices", [])}
        for index, office in enumerate(doc.data.get("offices", [])):
            for position, agency in enumerate(office.get("agencies", [])):
                if agency not in agencies:
                    catalogue.problem(
                        doc.path,
                        f"offices[{index}].agencies[{position}]",
                        f"unknown agency '{agency}'",
                    )
    if (doc := catalogue.categories) and schema_problems(catalogue, doc, "categories"):
        seen = _unique_codes(catalogue, doc, doc.data["categories"], "categories")
        categories |= seen

    services: dict[str, dict[str, Any]] = {}
    service_states: dict[str, set[str]] = dict(known_services)
    for document in catalogue.services:
        if not schema_problems(catalogue, document, "service"):
            continue
        data = document.data
        code = data["code"]
        if code in services:
            catalogue.problem(document.path, "code", f"'{code}' is already defined in another file")
            continue
        services[code] = data
        service_states[code] = set(data["workflow"]["states"])
        _check_service(
            catalogue, document, agencies=agencies, categories=categories, offices=offices
        )

    signals = {signal for data in services.values() for signal in data.get("signals", [])}
    life_events: set[str] = set()
    for document in catalogue.life_events:
        if not schema_problems(catalogue, document, "life_event"):
            continue
        code = document.data["code"]
        if code in life_events:
            catalogue.problem(document.path, "code", f"'{code}' is already defined in another file")
            continue
        life_events.add(code)
        _check_life_event(
            catalogue, document, services=services, service_states=service_states, signals=signals
        )


def _unique_codes(
    catalogue: Catalogue, document: Document, items: list[dict], path: str
) -> set[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["code"] in seen:
            catalogue.problem(
                document.path, f"{path}[{index}].code", f"'{item['code']}' appears twice"
            )
        seen.add(item["code"])
    return seen


def _check_organisations(catalogue: Catalogue, document: Document) -> dict[str, set[str]]:
    agencies = document.data.get("agencies", [])
    _unique_codes(catalogue, document, agencies, "agencies")
    _unique_codes(catalogue, document, document.data.get("offices", []), "offices")
    _unique_codes(catalogue, document, document.data.get("partners", []), "partners")
    result = {}
    for index, agency in enumerate(agencies):
        result[agency["code"]] = _unique_codes(
            catalogue, document, agency["units"], f"agencies[{index}].units"
        )
    return result


def _check_service(
    catalogue: Catalogue, document: Document, *, agencies, categories, offices
) -> None:
    data = document.data
    problem = lambda path, message: catalogue.problem(document.path, path, message)  # noqa: E731

    agency, _, slug = data["code"].partition(".")
    if agency != data["agency"]:
        problem("code", f"a service code starts with its agency's code: '{data['agency']}.{slug}'")
    if document.stem != slug:
        problem("code", f"the file of '{data['code']}' should be named '{slug}.yaml'")
    if data["agency"] not in agencies:
        problem(
            "agency",
            f"unknown agency '{data['agency']}'; define it in organisations.yaml or in the admin",
        )
    elif data["unit"] not in agencies[data["agency"]]:
        units = ", ".join(sorted(agencies[data["agency"]])) or "none"
        problem("unit", f"'{data['unit']}' is not a unit of {data['agency']} (its units: {units})")
    for index, category in enumerate(data["categories"]):
        if category not in categories:
            problem(f"categories[{index}]", f"unknown category '{category}'")
    for index, office in enumerate(data.get("offices", [])):
        if office not in offices:
            problem(f"offices[{index}]", f"unknown office '{office}'")

    requirement_codes: set[str] = set()
    for index, requirement in enumerate(data["requirements"]):
        if requirement["code"] in requirement_codes:
            problem(f"requirements[{index}].code", f"'{requirement['code']}' appears twice")
        requirement_codes.add(requirement["code"])
        if requirement["kind"] != "document" and (
            "accept" in requirement or "max_mb" in requirement
        ):
            problem(
                f"requirements[{index}]",
                "accept and max_mb apply to documents only (kind: document)",
            )

    keys = _check_form(catalogue, document, data["form"], "form", requirement_codes)
    collected = set(_file_requirements(data["form"]))
    for index, requirement in enumerate(data["requirements"]):
        if requirement["kind"] == "document" and requirement["code"] not in collected:
            problem(
                f"requirements[{index}]",
                f"no field of the form collects this document; add a field with type: file and "
                f"requirement: {requirement['code']}",
            )
    names = Names(answers=frozenset(keys))
    for index, rule in enumerate(data.get("eligibility", [])):
        for message in check_rule(rule["rule"], names):
            problem(f"eligibility[{index}].rule", message)
    for index, requirement in enumerate(data["requirements"]):
        if "required_if" in requirement:
            for message in check_rule(requirement["required_if"], names):
                problem(f"requirements[{index}].required_if", message)
    _check_form_rules(catalogue, document, data["form"], "form", names)
    _check_workflow(catalogue, document, data["workflow"])


def _check_form(catalogue, document, fields, path, requirement_codes) -> set[str]:
    """Check fields and return the keys of the top level."""
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
        if (
            kind == "file"
            and "requirement" in field
            and field["requirement"] not in requirement_codes
        ):
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
            _check_form(catalogue, document, field["fields"], f"{where}.fields", requirement_codes)
    return keys


def _file_requirements(fields):
    for field in fields:
        if field["type"] == "file" and "requirement" in field:
            yield field["requirement"]
        if field["type"] == "group":
            yield from _file_requirements(field["fields"])


def _check_form_rules(catalogue, document, fields, path, names: Names) -> None:
    for index, field in enumerate(fields):
        if "when" in field:
            for message in check_rule(field["when"], names):
                catalogue.problem(document.path, f"{path}[{index}].when", message)
        if field["type"] == "group":
            _check_form_rules(
                catalogue, document, field["fields"], f"{path}[{index}].fields", names
            )


def _check_workflow(catalogue: Catalogue, document: Document, workflow: dict) -> None:
    problem = lambda where, message: catalogue.problem(document.path, f"workflow.{where}", message)  # noqa: E731
    states: dict[str, dict] = workflow["states"]
    known = ", ".join(states)
    if workflow["start"] not in states:
        problem("start", f"unknown state '{workflow['start']}'; known states: {known}")
        return
    outgoing: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    all_valid = True
    for index, transition in enumerate(workflow["transitions"]):
        valid = True
        for end in ("from", "to"):
            if transition[end] not in states:
                problem(
                    f"transitions[{index}].{end}",
                    f"unknown state '{transition[end]}'; known states: {known}",
                )
                valid = all_valid = False
        signature = (transition["from"], transition["to"], transition["by"])
        if signature in seen:
            problem(
                f"transitions[{index}]", "the same transition by the same role is defined twice"
            )
        seen.add(signature)
        if valid:
            outgoing[transition["from"]].append(transition)
    if not all_valid:
        return  # the checks below would only repeat the same mistake in other words

    if not any(state.get("final") for state in states.values()):
        problem("states", "no state is final: mark where a case ends with final: true")
    if states[workflow["start"]].get("final"):
        problem(f"states.{workflow['start']}", "the start state cannot be final")
    for code, state in states.items():
        if state.get("outcome") and not state.get("final"):
            problem(f"states.{code}", "an outcome state must also be final")
        if state.get("final") and outgoing[code]:
            problem(f"states.{code}", "a final state cannot have transitions out of it")
        if state.get("final") and state.get("pauses_clock"):
            problem(f"states.{code}", "a final state cannot pause the clock")
        if not state.get("final") and not outgoing[code]:
            problem(
                f"states.{code}", "no transition leads out of this state; add one or mark it final"
            )
        if state.get("pauses_clock") and not any(t["by"] == "applicant" for t in outgoing[code]):
            problem(
                f"states.{code}",
                "the clock waits on the applicant here, so the applicant needs a transition out",
            )

    reachable, frontier = {workflow["start"]}, [workflow["start"]]
    while frontier:
        for transition in outgoing[frontier.pop()]:
            if transition["to"] not in reachable:
                reachable.add(transition["to"])
                frontier.append(transition["to"])
    for code in states:
        if code not in reachable:
            problem(
                f"states.{code}", f"cannot be reached from the start state '{workflow['start']}'"
            )


def _check_life_event(catalogue, document, *, services, service_states, signals) -> None:
    data = document.data
    problem = lambda where, message: catalogue.problem(document.path, where, message)  # noqa: E731
    if document.stem != data["code"]:
        problem("code", f"the file of '{data['code']}' should be named '{data['code']}.yaml'")
    keys = _check_form(catalogue, document, data.get("questions", []), "questions", set())
    names = Names(answers=frozenset(keys))
    _check_form_rules(catalogue, document, data.get("questions", []), "questions", names)

    in_event = [entry["service"] for entry in data["services"]]
    after: dict[str, str] = {}
    for index, entry in enumerate(data["services"]):
        where = f"services[{index}]"
        code = entry["service"]
        if in_event.count(code) > 1 and in_event.index(code) != index:
            problem(f"{where}.service", f"'{code}' is listed twice")
        if code not in service_states:
            problem(f"{where}.service", f"unknown service '{code}'")
            continue
        if "when" in entry:
            for message in check_rule(entry["when"], names):
                problem(f"{where}.when", message)
        if "after" in entry:
            target = entry["after"]["service"]
            if target not in in_event:
                problem(f"{where}.after.service", f"'{target}' is not a service of this life event")
            elif target == code:
                problem(f"{where}.after.service", "a service cannot wait for itself")
            elif entry["after"]["state"] not in service_states.get(target, set()):
                states = ", ".join(sorted(service_states.get(target, set())))
                problem(
                    f"{where}.after.state",
                    f"'{entry['after']['state']}' is not a state of {target} (its states: {states})",
                )
            else:
                after[code] = target
        form_keys = {field["key"] for field in services[code]["form"]} if code in services else None
        for target_key, source in entry.get("map", {}).items():
            if form_keys is not None and target_key not in form_keys:
                problem(
                    f"{where}.map.{target_key}", f"'{target_key}' is not a field of {code}'s form"
                )
            root, _, rest = source.partition(".")
            if root == "answers" and rest.split(".")[0] not in keys:
                problem(
                    f"{where}.map.{target_key}",
                    f"answers.{rest} is not a question of this life event",
                )
            if root == "outcome":
                outcome_service = rest.rsplit(".", 1)[0]
                if outcome_service not in in_event:
                    problem(
                        f"{where}.map.{target_key}",
                        f"'{outcome_service}' is not a service of this life event",
                    )
    for code in after:
        chain, current = [code], code
        while current in after:
            current = after[current]
            if current in chain:
                problem(
                    "services",
                    "the services wait for each other in a circle: "
                    + " → ".join([*chain, current]),
                )
                break
            chain.append(current)
        else:
            continue
        break
    for index, signal in enumerate(data.get("suggest_after", [])):
        if signal not in signals:
            problem(f"suggest_after[{index}]", f"no service sends the signal '{signal}'")
