"""Checking a catalogue: first each document against its JSON Schema, then what a schema
cannot say — references between files, workflow soundness, rules that compile."""

import json
import re
from collections import defaultdict
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from satupintu.catalog.format.forms import check_form, check_form_rules, file_requirements
from satupintu.catalog.format.life_events import check_life_event
from satupintu.catalog.format.reading import Catalogue, Document
from satupintu.catalog.format.sources import SCHEMA_DIR
from satupintu.catalog.rules import Names, check_rule


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
        elif error.validator in {"anyOf", "oneOf"} and "errorMessage" in error.schema:
            # A choice between shapes: jsonschema can only say that none fits; the schema
            # says what would.
            message = f"{error.instance!r} is not allowed; {error.schema['errorMessage']}"
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
    known_partners: set[str] | None = None,
) -> None:
    """Add every problem of ``catalogue`` to ``catalogue.problems``."""
    agencies = {code: set(units) for code, units in known_agencies.items()}
    offices: set[str] = set()
    partners = set(known_partners or ())
    categories = set(known_categories)

    if (doc := catalogue.organisations) and schema_problems(catalogue, doc, "organisations"):
        agencies.update(_check_organisations(catalogue, doc))
        offices = {office["code"] for office in doc.data.get("offices", [])}
        partners |= {partner["code"] for partner in doc.data.get("partners", [])}
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
    broken: set[str] = set()  # services whose file has schema problems, reported there
    for document in catalogue.services:
        if not schema_problems(catalogue, document, "service"):
            if isinstance(document.data, dict) and isinstance(document.data.get("code"), str):
                broken.add(document.data["code"])
            continue
        data = document.data
        code = data["code"]
        if code in services:
            catalogue.problem(document.path, "code", f"'{code}' is already defined in another file")
            continue
        services[code] = data
        service_states[code] = set(data["workflow"]["states"])
        _check_service(
            catalogue,
            document,
            agencies=agencies,
            categories=categories,
            offices=offices,
            partners=partners,
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
        check_life_event(
            catalogue,
            document,
            services=services,
            service_states=service_states,
            signals=signals,
            broken=broken - set(services),
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
    catalogue: Catalogue, document: Document, *, agencies, categories, offices, partners
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

    keys = check_form(catalogue, document, data["form"], "form", requirement_codes)
    collected = set(file_requirements(data["form"]))
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
    check_form_rules(catalogue, document, data["form"], "form", names)
    _check_workflow(catalogue, document, data["workflow"])
    _check_partners(catalogue, document, keys=keys, partners=partners)


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


def _check_partners(
    catalogue: Catalogue, document: Document, *, keys: set[str], partners: set[str]
) -> None:
    """A service fulfilled by partners names them and what they may see, lets an officer
    choose one and lets the partner act; a service without partners has no partner steps."""
    data = document.data
    problem = lambda where, message: catalogue.problem(document.path, where, message)  # noqa: E731
    transitions = data["workflow"]["transitions"]
    if "partners" not in data:
        for index, transition in enumerate(transitions):
            if transition["by"] == "partner":
                problem(
                    f"workflow.transitions[{index}].by",
                    "only a service fulfilled by partners has steps taken by a partner; "
                    "add partners: {organisations: […], sees: […]} or choose another role",
                )
            if "partner" in transition.get("requires", []):
                problem(
                    f"workflow.transitions[{index}].requires",
                    "only a service fulfilled by partners can hand a case to a partner; "
                    "add partners: {organisations: […], sees: […]} or remove partner",
                )
        return
    for index, code in enumerate(data["partners"]["organisations"]):
        if code not in partners:
            known = ", ".join(sorted(partners)) or "none"
            problem(
                f"partners.organisations[{index}]",
                f"unknown partner '{code}'; define it under partners in organisations.yaml "
                f"(known partners: {known})",
            )
    for index, key in enumerate(data["partners"]["sees"]):
        if key not in keys:
            problem(
                f"partners.sees[{index}]",
                f"'{key}' is not a field of this service's form; a partner can see only "
                "top-level fields of the form",
            )
    for index, transition in enumerate(transitions):
        if "partner" in transition.get("requires", []) and transition["by"] not in {
            "officer",
            "supervisor",
        }:
            problem(
                f"workflow.transitions[{index}].requires",
                "an officer or a supervisor chooses the partner; give this step by: officer",
            )
    if not any("partner" in transition.get("requires", []) for transition in transitions):
        problem(
            "partners",
            "no step hands the case to a partner; add requires: [partner] to the officer's "
            "transition that assigns it",
        )
    if not any(transition["by"] == "partner" for transition in transitions):
        problem(
            "partners",
            "no step is taken by a partner; add the partner's transitions (by: partner), "
            "such as accepting and delivering",
        )
