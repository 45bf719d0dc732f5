"""Checking a life event: its questions, the services it bundles, how each service's form is
filled (``map``), what each service waits for (``after``) and why it may not apply
(``why_not``)."""

from satupintu.catalog.format.forms import (
    answer_fit_problem,
    check_form,
    check_form_rules,
    constant_fit_problem,
    is_required,
    outcome_fit_problem,
)
from satupintu.catalog.format.reading import Catalogue, Document
from satupintu.catalog.format.sources import Source, SourceError, parse_source
from satupintu.catalog.rules import Names, check_rule


def check_life_event(
    catalogue: Catalogue,
    document: Document,
    *,
    services: dict[str, dict],
    service_states: dict[str, set[str]],
    signals: set[str],
    broken: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Add the problems of one life event, already valid against its schema.

    ``services`` are the definitions read from the folder (a service known only from the
    database has no form to check against), ``service_states`` the workflow states of every
    known service, ``signals`` what the services send, ``broken`` the services whose own file
    has problems (the event is not checked against them, so that one mistake is reported
    once).
    """
    data = document.data
    problem = lambda where, message: catalogue.problem(document.path, where, message)  # noqa: E731
    if document.stem != data["code"]:
        problem("code", f"the file of '{data['code']}' should be named '{data['code']}.yaml'")
    questions = data.get("questions", [])
    keys = check_form(catalogue, document, questions, "questions", None)
    names = Names(answers=frozenset(keys))
    check_form_rules(catalogue, document, questions, "questions", names)
    datasets = set(data.get("prefill", {}).get("from", []))
    _check_question_prefill(problem, questions, "questions", datasets)

    entries = data["services"]
    in_event = [entry["service"] for entry in entries]
    # A service → (the index of its entry, the service it waits for, the state it waits for).
    waits: dict[str, tuple[int, str, str]] = {}
    for index, entry in enumerate(entries):
        where = f"services[{index}]"
        code = entry["service"]
        if in_event.index(code) != index:
            problem(f"{where}.service", f"'{code}' is listed twice")
            continue
        if code in broken:
            continue
        if code not in service_states:
            problem(f"{where}.service", f"unknown service '{code}'")
            continue
        if "when" in entry:
            for message in check_rule(entry["when"], names):
                problem(f"{where}.when", message)
            if "why_not" not in entry:
                problem(
                    f"{where}.why_not",
                    "is required with when: say in plain words, in both languages, why this "
                    "service does not apply when its condition is false",
                )
        elif "why_not" in entry:
            problem(
                f"{where}.why_not",
                "is shown only when the service's when is false, and this service has no "
                "when; remove why_not or add a when",
            )
        if "after" in entry and entry["after"]["service"] not in broken:
            target, state = entry["after"]["service"], entry["after"]["state"]
            if target not in in_event:
                problem(f"{where}.after.service", f"'{target}' is not a service of this life event")
            elif target == code:
                problem(f"{where}.after.service", "a service cannot wait for itself")
            elif state not in service_states.get(target, set()):
                states = ", ".join(sorted(service_states.get(target, set())))
                problem(
                    f"{where}.after.state",
                    f"'{state}' is not a state of {target} (its states: {states})",
                )
            else:
                waits[code] = (index, target, state)
    cyclic = _check_cycles(problem, in_event, waits)

    questions_by_key = {question["key"]: question for question in questions}
    for index, entry in enumerate(entries):
        code = entry["service"]
        if in_event.index(code) != index or code not in service_states:
            continue
        waited = {} if code in cyclic else _waited_for(code, waits)
        _check_map(
            problem,
            entry,
            f"services[{index}]",
            definition=services.get(code),
            questions=questions_by_key,
            datasets=datasets,
            in_event=in_event,
            waited=waited,
            services=services,
            broken=broken,
        )

    for index, signal in enumerate(data.get("suggest_after", [])):
        if signal not in signals:
            problem(f"suggest_after[{index}]", f"no service sends the signal '{signal}'")


def _registry_problem(source: Source, datasets: set[str]) -> str | None:
    dataset = source.dataset
    if dataset is not None and dataset.name not in datasets:
        return (
            f"registry.{source.name}.{source.path} comes from the {dataset.name} registry, "
            f"which this life event does not read; add {dataset.name} to prefill.from"
        )
    return None


def _check_question_prefill(problem, fields: list[dict], path: str, datasets: set[str]) -> None:
    """A question prefilled from a registry names a known path of a dataset the event reads
    (``profile.*`` and ``business.*`` are checked by the schema)."""
    for index, field in enumerate(fields):
        where = f"{path}[{index}]"
        if field.get("prefill", "").startswith("registry."):
            try:
                message = _registry_problem(parse_source(field["prefill"]), datasets)
            except SourceError as exc:
                message = str(exc)
            if message:
                problem(f"{where}.prefill", message)
        if field["type"] == "group":
            _check_question_prefill(problem, field["fields"], f"{where}.fields", datasets)


def _check_cycles(problem, in_event: list[str], waits: dict) -> set[str]:
    """Report services that wait for each other in a circle; return those services."""
    cyclic: set[str] = set()
    for code in in_event:
        if code in cyclic or code not in waits:
            continue
        chain, current = [code], code
        while current in waits:
            current = waits[current][1]
            if current in chain:
                circle = chain[chain.index(current) :]
                cyclic.update(circle)
                problem(
                    f"services[{waits[current][0]}].after",
                    "the services wait for each other in a circle, so none of them would ever "
                    "start: " + " → ".join([*circle, current]) + "; remove one of these after",
                )
                break
            chain.append(current)
    return cyclic


def _waited_for(code: str, waits: dict) -> dict[str, str]:
    """The services that ``code`` waits for, directly or through others, each with the state
    it waits for."""
    waited: dict[str, str] = {}
    current = code
    while current in waits and waits[current][1] not in waited:
        _index, current, state = waits[current]
        waited[current] = state
    return waited


def _check_map(
    problem,
    entry: dict,
    where: str,
    *,
    definition: dict | None,
    questions: dict[str, dict],
    datasets: set[str],
    in_event: list[str],
    waited: dict[str, str],
    services: dict[str, dict],
    broken: frozenset[str] | set[str],
) -> None:
    code = entry["service"]
    mapping = entry.get("map", {})
    form = {field["key"]: field for field in definition["form"]} if definition else None
    for target, raw in mapping.items():
        at = f"{where}.map.{target}"
        field = form.get(target) if form is not None else None
        if form is not None and field is None:
            problem(at, f"'{target}' is not a field of {code}'s form")
        try:
            source = parse_source(raw)
        except SourceError as exc:
            problem(at, str(exc))
            continue
        message = None
        if source.kind == "answers":
            question = questions.get(source.name)
            if question is None:
                known = ", ".join(sorted(questions)) or "none"
                message = (
                    f"answers.{source.name} is not a question of this life event "
                    f"(questions: {known})"
                )
            elif field is not None:
                message = answer_fit_problem(
                    question, field, source=f"answers.{source.name}", target=target
                )
        elif source.kind == "registry":
            message = _registry_problem(source, datasets)
        elif source.kind == "outcome" and source.name not in broken:
            message = _outcome_problem(source, code, in_event, waited, services)
            if message is None and field is not None:
                message = outcome_fit_problem(
                    source.path, field, source=f"outcome.{source.name}.{source.path}", target=target
                )
        elif source.kind == "value" and field is not None:
            message = constant_fit_problem(source.value, field, target=target)
        if message:
            problem(at, message)
    if form is not None:
        for key, field in form.items():
            if is_required(field) and key not in mapping:
                problem(
                    f"{where}.map",
                    f"the form of {code} needs '{key}' and the map does not give it; map it "
                    "from a question, the profile, the registry, an outcome or a constant",
                )


def _outcome_problem(
    source: Source,
    code: str,
    in_event: list[str],
    waited: dict[str, str],
    services: dict[str, dict],
) -> str | None:
    """An outcome is known when the case starts only if the service waits, directly or
    through others, for the state in which that outcome is issued."""
    other = source.name
    if other not in in_event:
        return f"'{other}' is not a service of this life event"
    if other == code:
        return "a service cannot use its own outcome: it is not issued yet when the case starts"
    states = services[other]["workflow"]["states"] if other in services else None
    outcome_states = sorted(s for s, state in (states or {}).items() if state.get("outcome"))
    if other not in waited:
        return (
            f"the outcome of {other} is not known when {code} starts, as {code} does not wait "
            f"for it; add after: {{service: {other}, state: "
            f"{outcome_states[0] if outcome_states else '<its outcome state>'}}} to this "
            "service or to a service it waits for"
        )
    if states is not None and not states.get(waited[other], {}).get("outcome"):
        known = ", ".join(outcome_states) or "none"
        return (
            f"{code} waits for {other} to reach '{waited[other]}', where no outcome is issued, "
            f"so outcome.{other}.{source.path} is not known yet; wait for a state with "
            f"outcome: true (its outcome states: {known})"
        )
    return None
