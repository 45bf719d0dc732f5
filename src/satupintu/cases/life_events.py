"""One life event, many services: which of the event's services apply to the applicant and
why, and what each service's form receives from the shared answers.

A life event's definition lists services, each with a condition (``when``, explained by
``why``/``why_not``), the service it waits for (``after``) and a ``map`` from its form's fields
to sources: a shared answer, the applicant's profile, what a registry said (with consent), the
outcome of an earlier case of the bundle, or a constant. The service's own eligibility rules
apply too, read against the answers the map gives it.

Nothing here writes: ``services.life_events`` submits, and the pages and the API show a
``Plan`` to the applicant before they send anything.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from satupintu.cases.answers import FieldError, validate_answers
from satupintu.cases.answers.prefill import fit_value, source_value
from satupintu.catalog.format.sources import parse_source
from satupintu.catalog.models import Service
from satupintu.catalog.rules import evaluate
from satupintu.core.language import pick

NAME = re.compile(r"\b(answers|applicant|business)\.([A-Za-z_][A-Za-z0-9_]*)")


def _reads_unknown(rule: str, answers: dict, context: dict) -> bool:
    """Whether ``rule`` reads an answer not given yet or a fact about the applicant that is
    not known (nobody signed in): it cannot refuse anyone then. The form asks for a missing
    answer; an unknown applicant is judged when they apply."""
    known = {"answers": answers, **context}
    return any(name not in (known.get(root) or {}) for root, name in NAME.findall(rule))


@dataclass
class Plan:
    """What becomes of one service of a life event for this applicant."""

    entry: dict
    service: Service | None
    applies: bool
    reasons: list[str]
    answers: dict[str, Any] = field(default_factory=dict)
    # Form fields filled from an earlier case's outcome once it is known.
    pending: dict[str, str] = field(default_factory=dict)
    # Form fields (file fields included) given by a shared answer: field -> question key.
    from_questions: dict[str, str] = field(default_factory=dict)
    # The case (of an earlier application) that already delivers this service.
    done_by: Any = None

    @property
    def code(self) -> str:
        return self.entry["service"]

    @property
    def after(self) -> dict | None:
        return self.entry.get("after")

    @property
    def name(self) -> str:
        return self.service.name if self.service else self.code


@dataclass
class Sources:
    """Everything a map may read."""

    answers: dict[str, Any]
    user: Any
    registry: dict[str, Any] = field(default_factory=dict)
    # The business the applicant applies for, if any (``business.*`` sources).
    business: Any = None
    # Service code -> {"document_number": …, "issued_on": …} of cases that already ended.
    outcomes: dict[str, dict[str, Any]] = field(default_factory=dict)


def _form_field(definition: dict, key: str) -> dict | None:
    return next((f for f in definition.get("form") or [] if f.get("key") == key), None)


def map_answers(entry: dict, service_definition: dict, sources: Sources) -> tuple[dict, dict, dict]:
    """The answers ``entry``'s map gives the service's form, the fields still waiting for
    an outcome (field -> service code), and the fields given by shared questions."""
    answers: dict[str, Any] = {}
    pending: dict[str, str] = {}
    from_questions: dict[str, str] = {}
    for target, raw in (entry.get("map") or {}).items():
        spec = _form_field(service_definition, target) or {"type": "text"}
        source = parse_source(raw)
        if source.kind == "value":
            value = source.value
        elif source.kind == "answers":
            value = sources.answers.get(source.name)
            from_questions[target] = source.name
        elif source.kind == "outcome":
            outcome = sources.outcomes.get(source.name)
            if outcome is None:
                pending[target] = source.name
                continue
            value = outcome.get(source.path)
        elif source.kind == "registry":
            value = source_value(
                f"registry.{source.name}.{source.path}", sources.user, None, sources.registry
            )
        else:
            value = source_value(f"{source.kind}.{source.name}", sources.user, sources.business)
        if source.kind in ("profile", "business", "registry") and spec.get("type") != "file":
            value = fit_value(spec, value)  # the profile's and registries' shapes → the field's
        if value not in (None, "", []):
            answers[target] = value
    return answers, pending, from_questions


def _rule_context(answers: dict, context: dict) -> dict:
    return {"answers": answers, **context}


def life_event_plan(
    *,
    definition: dict,
    sources: Sources,
    context: dict,
    services: dict[str, Service] | None = None,
    done: dict[str, Any] | None = None,
) -> list[Plan]:
    """Each service of the life event of ``definition``: whether it applies and why (or why
    not), in plain words from the definition, and the answers its form receives.

    ``done`` names services the applicant already has (service code -> case), from an
    earlier application: they do not apply again, and what waits for them can start from
    their outcome.
    """
    entries = definition["services"]
    done = done or {}
    if services is None:
        services = {
            service.code: service
            for service in Service.objects.filter(
                is_active=True, code__in=[entry["service"] for entry in entries]
            ).select_related("agency", "current_version")
        }
    plans: dict[str, Plan] = {}
    view = _rule_context(sources.answers, context)
    for entry in entries:
        code = entry["service"]
        service = services.get(code)
        if service is None or service.current_version is None:
            plans[code] = Plan(entry, None, False, [_("This service is no longer offered.")])
            continue
        if code in done:
            plans[code] = Plan(
                entry,
                service,
                False,
                [
                    _("You already applied for it (%(tracking)s).")
                    % {"tracking": done[code].submission.tracking}
                ],
                done_by=done[code],
            )
            continue
        reasons: list[str] = []
        applies = True
        if entry.get("when") and not evaluate(entry["when"], view):
            applies = False
            reasons.append(pick(entry.get("why_not")) or _("Your answers do not call for it."))
        after = entry.get("after")
        if applies and after:
            earlier = plans.get(after["service"])
            if earlier is not None and not earlier.applies and earlier.done_by is None:
                applies = False
                reasons.append(
                    _("It follows “%(service)s”, which does not apply to you.")
                    % {"service": earlier.name}
                )
        definition_of_service = service.current_version.definition
        answers, pending, from_questions = map_answers(entry, definition_of_service, sources)
        if applies:
            for rule in definition_of_service.get("eligibility") or []:
                if _reads_unknown(rule["rule"], answers, context):
                    continue
                if not evaluate(rule["rule"], _rule_context(answers, context)):
                    applies = False
                    reasons.append(pick(rule.get("reason")))
        if applies:
            kinds = definition_of_service.get("applicants") or ["citizen"]
            if sources.business is None and "citizen" not in kinds:
                applies = False
                reasons.append(_("It is for businesses: apply for it on behalf of your business."))
            elif sources.business is not None and "business" not in kinds:
                applies = False
                reasons.append(_("It is for individuals: apply for it in your own name."))
        if applies:
            reasons.append(pick(entry.get("why")) or _("Part of this life event."))
            if after:
                reasons.append(
                    _("It starts by itself once “%(service)s” is done.")
                    % {
                        "service": services[after["service"]].name
                        if after["service"] in services
                        else after["service"]
                    }
                )
        plans[code] = Plan(entry, service, applies, reasons, answers, pending, from_questions)
    return [plans[entry["service"]] for entry in entries]


def plan_errors(
    *, plans: list[Plan], context: dict, uploads: dict[str, str] | None
) -> tuple[dict[str, dict], list[FieldError]]:
    """Check the answers each applicable service receives against that service's form.

    Returns the cleaned answers by service code, and the problems: a problem with a field
    given by a shared question is reported on that question; any other is reported under
    the service's code with the service named, since the applicant cannot type it directly.
    Fields waiting for an earlier case's outcome are not checked yet, nor blank fields of
    a service that starts after another.
    """
    cleaned_by_service: dict[str, dict] = {}
    problems: list[FieldError] = []
    for plan in plans:
        if not plan.applies:
            continue
        service_uploads = None
        if uploads is not None:
            service_uploads = {
                target: uploads[question]
                for target, question in plan.from_questions.items()
                if question in uploads
            }
        cleaned, errors = validate_answers(
            definition=plan.service.current_version.definition,
            answers=plan.answers,
            context=context,
            uploads=service_uploads,
        )
        cleaned_by_service[plan.code] = cleaned
        for error in errors:
            key = error.path.split("[")[0].split(".")[0]
            if key in plan.pending:
                continue
            if plan.after and key not in plan.answers:
                # A service that starts later may need what only an earlier case gives (the
                # baby's NIK comes with the new family card): left blank, its officer takes
                # it from there. Only what was typed is checked now.
                continue
            question = plan.from_questions.get(key)
            if question is not None:
                problems.append(FieldError(question + error.path[len(key) :], error.message))
            else:
                problems.append(
                    FieldError(
                        f"{plan.code}.{error.path}",
                        _("%(service)s: %(message)s")
                        % {"service": plan.name, "message": error.message},
                    )
                )
    # One problem per path is enough: two services reading one question say the same thing.
    seen: set[str] = set()
    unique = []
    for problem in problems:
        if problem.path not in seen:
            seen.add(problem.path)
            unique.append(problem)
    return cleaned_by_service, unique


def start_order(plans: list[Plan]) -> list[Plan]:
    """The applicable plans, each after the one it waits for (definitions have no cycles:
    ``catalog validate`` refuses them)."""
    by_code = {plan.code: plan for plan in plans if plan.applies}
    ordered: list[Plan] = []
    placed: set[str] = set()

    def place(plan: Plan) -> None:
        if plan.code in placed:
            return
        after = plan.after
        if after and after["service"] in by_code:
            place(by_code[after["service"]])
        placed.add(plan.code)
        ordered.append(plan)

    for plan in by_code.values():
        place(plan)
    return ordered
