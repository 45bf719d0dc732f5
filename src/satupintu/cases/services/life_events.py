"""Life events: one submission, a case at each agency, and cases that start by themselves.

- ``life_event_draft_start`` records the applicant's decision about their registry data
  (UU PDP: consent with its purpose), reads the registries only with consent, and starts a
  draft of the shared questions, prefilled and marked with where each value came from.
- ``life_event_submit`` checks the shared answers and every applicable service's form, then
  opens all the cases in one transaction — or none.
- ``waiting_cases_release`` (called by ``case_transition``) starts the cases that waited for
  a case reaching a state, carrying over its outcome; when that case ends any other way, the
  cases waiting for it are called off.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import BusinessProfile
from satupintu.cases.answers import applicant_context, prefill, validate_answers
from satupintu.cases.constants import Actor, EventKind
from satupintu.cases.life_events import Plan, Sources, life_event_plan, plan_errors, start_order
from satupintu.cases.models import Case, CaseEvent, Document, Submission, Suggestion
from satupintu.cases.services.applications import (
    _check_business,
    _due_date,
    _notify,
    case_open,
    submission_already_sent,
    submission_stamp,
)
from satupintu.catalog.models import LifeEvent
from satupintu.core.calendar import WorkingCalendar
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.services import audit_record

PROFILE_SOURCE = "profile"


def consent_purpose_code(event: LifeEvent) -> str:
    return f"prefill:{event.code}"


def life_event_draft_start(
    *,
    applicant,
    life_event: LifeEvent,
    share_registry: bool,
    suggestion: Suggestion | None = None,
    business: BusinessProfile | None = None,
) -> tuple[Submission, dict[str, str]]:
    """Start a draft of ``life_event``'s shared questions for ``applicant``.

    When the event reads registries (its ``prefill``), the applicant's decision is recorded
    as a consent (or a refusal) with the event's purpose and the datasets named; only with
    consent are the registries read, and their answers prefill the questions. A registry
    that does not answer is skipped: the applicant types what it would have given.

    With ``business`` (one the applicant represents) the event is applied for on its behalf:
    the services for businesses apply, those for individuals do not.

    Returns the draft and the registries that did not answer (dataset -> reason in words).
    """
    from satupintu.accounts.services import consent_record
    from satupintu.registries.services import registry_read

    if life_event.current_version is None or not life_event.is_active:
        raise NotFound(_("This life event is not offered."))
    _check_business(applicant, business)
    definition = life_event.current_version.definition
    reading = definition.get("prefill")
    registry: dict[str, Any] = {}
    unavailable: dict[str, str] = {}
    if reading:
        consent = consent_record(
            user=applicant,
            purpose_code=consent_purpose_code(life_event),
            purpose=reading["purpose"],
            datasets=list(reading["from"]),
            granted=share_registry,
        )
        if share_registry:
            answer = registry_read(
                user=applicant,
                datasets=list(reading["from"]),
                consent=consent,
                purpose=consent_purpose_code(life_event),
            )
            registry = _only_what_is_used(answer.data, definition)
            unavailable = answer.unavailable

    form = {"form": definition.get("questions") or []}
    initial = prefill(definition=form, user=applicant, business=business, registry=registry)
    sources: dict[str, str] = {}
    for question in form["form"]:
        origin = str(question.get("prefill") or "")
        if question["key"] not in initial or not origin:
            continue
        root, _dot, rest = origin.partition(".")
        # Kept as a code ("registry.family_card"), named on the page in the reader's language.
        sources[question["key"]] = (
            f"registry.{rest.partition('.')[0]}" if root == "registry" else PROFILE_SOURCE
        )
    if suggestion is not None:
        # What the earlier case already told us comes first; the registry fills the rest.
        initial = {**initial, **suggestion.answers}
        for key in suggestion.answers:
            sources[key] = "suggestion"

    with transaction.atomic():
        submission = Submission.objects.create(
            applicant=applicant,
            business=business,
            life_event_version=life_event.current_version,
            answers=initial,
            registry_data=registry,
            prefill_sources=sources,
        )
        if suggestion is not None:
            Suggestion.objects.filter(pk=suggestion.pk, user=applicant).update(
                submission=submission, status="started"
            )
        audit_record(
            actor=applicant, action="submission.drafted", target=submission, subject=applicant
        )
    return submission, unavailable


def _registry_paths(definition: dict) -> set[str]:
    """The registry paths (``family_card.mother.nik``) that the event's questions and maps
    read."""
    sources = [str(q.get("prefill") or "") for q in definition.get("questions") or []]
    for entry in definition["services"]:
        sources += [str(raw) for raw in (entry.get("map") or {}).values()]
    return {raw.removeprefix("registry.") for raw in sources if raw.startswith("registry.")}


def _only_what_is_used(data: dict[str, Any], definition: dict) -> dict[str, Any]:
    """What the registries said, cut down to what this event reads: the rest (the other
    members of the family card, say) is not kept with the application (UU PDP: data
    minimisation)."""
    kept: dict[str, Any] = {}
    for path in _registry_paths(definition):
        value: Any = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        target = kept
        *parents, last = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return kept


def _done_services(submission: Submission) -> dict[str, Case]:
    """Services of the event that the applicant already has, when the draft was started
    from a suggestion: the case that sent the signal, and what its application opened."""
    suggestion = (
        Suggestion.objects.filter(submission=submission)
        .select_related("source_case__submission")
        .first()
    )
    if suggestion is None:
        return {}
    source = suggestion.source_case
    cases = Case.objects.filter(submission=source.submission_id).select_related(
        "service", "submission", "outcome_document"
    )
    return {case.service.code: case for case in cases}


def _outcome_of(case: Case) -> dict[str, Any]:
    issued = getattr(case, "outcome_document", None)  # None when the case issued nothing
    issued_on = timezone.localdate(issued.issued_at).isoformat() if issued is not None else None
    return {
        key: value
        for key, value in {
            "document_number": case.outcome.get("document_number")
            or (issued.number if issued is not None else None),
            "issued_on": issued_on,
        }.items()
        if value
    }


def life_event_plan_for(submission: Submission, *, answers: dict | None = None) -> list[Plan]:
    """The plan of a life-event draft or submission with its saved (or given) answers."""
    done = _done_services(submission)
    return life_event_plan(
        definition=submission.life_event_version.definition,
        sources=Sources(
            answers=submission.answers if answers is None else answers,
            user=submission.applicant,
            registry=submission.registry_data or {},
            outcomes={code: _outcome_of(case) for code, case in done.items() if not case.is_open},
            business=submission.business,
        ),
        context=applicant_context(user=submission.applicant, business=submission.business),
        done=done,
    )


def _copy_documents(submission: Submission, case: Case, plan: Plan, uploads: dict) -> None:
    """The case's own copies of the shared uploads its form's file fields take (one stored
    file, a document row per case: each agency sees the files of its own case)."""
    form = {f["key"]: f for f in plan.service.current_version.definition.get("form") or []}
    for target, question in plan.from_questions.items():
        if form.get(target, {}).get("type") != "file" or question not in uploads:
            continue
        original = Document.objects.get(public_id=uploads[question])
        Document.objects.create(
            submission=submission,
            case=case,
            field_key=target,
            requirement=form[target].get("requirement", ""),
            file=original.file.name,
            original_name=original.original_name,
            content_type=original.content_type,
            size=original.size,
            sha256=original.sha256,
            uploaded_by=original.uploaded_by,
        )


@transaction.atomic
def life_event_submit(*, submission: Submission, actor, idempotency_key: str = "") -> Submission:
    """Send a life-event application: check the shared answers and every applicable
    service's form, then open a case at each agency — all of them, or none when anything is
    wrong. A service that waits for another is created waiting and starts by itself."""
    from satupintu.cases.answers.validation import submission_uploads

    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("life_event_version__life_event", "applicant")
        .get(pk=submission.pk)
    )
    if submission.applicant_id != actor.pk or submission.life_event_version_id is None:
        raise NotFound(_("There is no such application among yours."))
    sent = submission_already_sent(
        submission=submission, actor=actor, idempotency_key=idempotency_key
    )
    if sent is not None:
        return sent

    context = applicant_context(user=actor, business=submission.business)
    uploads = submission_uploads(submission)
    cleaned, errors = validate_answers(
        definition=submission.form_definition,
        answers=submission.answers,
        context=context,
        uploads=uploads,
    )
    plans = life_event_plan_for(submission, answers=cleaned)
    applicable = [plan for plan in plans if plan.applies]
    if not errors:
        _cleaned_by_service, service_errors = plan_errors(
            plans=plans, context=context, uploads=uploads
        )
        errors = service_errors
    if errors:
        raise DomainError(
            _("Some answers need your attention before the application can be sent."),
            code="invalid_answers",
            status=422,
            errors=[{"path": error.path, "message": str(error.message)} for error in errors],
        )
    if not applicable:
        raise DomainError(
            _("None of this life event's services apply to you with these answers."),
            code="nothing_applies",
            status=422,
        )

    submission.answers = cleaned
    earlier = submission_stamp(submission=submission, actor=actor, idempotency_key=idempotency_key)
    if earlier is not None:
        return earlier
    now = submission.submitted_at
    done = _done_services(submission)
    opened: dict[str, Case] = {}
    for plan in start_order(plans):
        version = plan.service.current_version
        after = plan.after
        prerequisite = None
        if after:
            prerequisite = opened.get(after["service"]) or done.get(after["service"])
        ready = prerequisite is None or (
            prerequisite.state == after["state"] and not prerequisite.is_waiting
        )
        if ready:
            case = case_open(
                submission=submission,
                service_version=version,
                submitted_at=now,
                actor=actor,
                answers=plan.answers,
                claim_documents=False,
            )
        else:
            case = _case_wait(
                submission=submission,
                plan=plan,
                prerequisite=prerequisite,
                state=after["state"],
                submitted_at=now,
            )
        _copy_documents(submission, case, plan, uploads)
        opened[plan.code] = case
    audit_record(
        actor=actor,
        action="submission.submitted",
        target=submission,
        subject=actor,
        details={"tracking": submission.tracking, "cases": len(opened)},
    )
    return submission


def _case_wait(
    *,
    submission: Submission,
    plan: Plan,
    prerequisite: Case,
    state: str,
    submitted_at: datetime.datetime,
) -> Case:
    """A case that exists from the start but waits for ``prerequisite`` to reach ``state``:
    in no queue and on no clock until then."""
    version = plan.service.current_version
    service = version.service
    year = timezone.localdate(submitted_at).year
    calendar = WorkingCalendar.for_agency(service.agency, years=(year, year + 1))
    return Case.objects.create(
        submission=submission,
        applicant_id=submission.applicant_id,
        business_id=submission.business_id,
        service_version=version,
        service=service,
        agency=service.agency,
        unit=service.unit,
        state="",
        is_open=False,
        is_waiting=True,
        waits_for=prerequisite,
        waits_for_state=state,
        submitted_at=submitted_at,
        due_date=_due_date(
            calendar=calendar,
            start=timezone.localdate(submitted_at),
            working_days=version.definition["deadline"]["working_days"],
            paused=0,
        ),
        answers=plan.answers,
    )


def _entry(case: Case) -> dict:
    definition = case.submission.life_event_version.definition
    return next(
        (entry for entry in definition["services"] if entry["service"] == case.service.code), {}
    )


def _bundle_outcomes(case: Case) -> dict[str, dict[str, Any]]:
    """The outcomes known so far of the cases of ``case``'s application (and of the cases
    those waited for, which may belong to an earlier application)."""
    outcomes: dict[str, dict[str, Any]] = {}
    related = list(
        Case.objects.filter(submission=case.submission_id, is_waiting=False).select_related(
            "service"
        )
    )
    current = case.waits_for
    while current is not None:
        related.append(current)
        current = current.waits_for
    for other in related:
        found = _outcome_of(other)
        if found:
            outcomes.setdefault(other.service.code, found)
    return outcomes


def _save_by_the_platform(case: Case, data: dict[str, Any]) -> None:
    """Save a waiting case that the platform started or called off, with its event."""
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db(fields=["version"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.STARTED,
        actor=None,
        actor_role=Actor.SYSTEM,
        to_state=case.state,
        data={"after": case.waits_for.service.code, **data},
    )


def _start(case: Case, *, actor, today: datetime.date) -> None:
    """Start a waiting case now: its answers completed with the outcomes it waited for, its
    due date counted from today."""
    from satupintu.cases.life_events import map_answers

    sources = Sources(answers={}, user=case.submission.applicant, outcomes=_bundle_outcomes(case))
    entry = _entry(case)
    mapped, _pending, _questions = map_answers(
        {
            "map": {
                k: v for k, v in (entry.get("map") or {}).items() if str(v).startswith("outcome.")
            }
        },
        case.definition,
        sources,
    )
    definition = case.definition
    now = timezone.now()
    year = timezone.localdate(now).year
    calendar = WorkingCalendar.for_agency(case.agency, years=(year, year + 1))
    case.answers = {**case.answers, **mapped}
    case.state = definition["workflow"]["start"]
    case.is_waiting = False
    case.is_open = True
    case.submitted_at = now
    case.due_date = _due_date(
        calendar=calendar,
        start=today,
        working_days=definition["deadline"]["working_days"],
        paused=0,
    )
    _save_by_the_platform(case, {"carried": sorted(mapped)})
    audit_record(
        actor=actor,
        action="case.started",
        target=case,
        subject=case.submission.applicant,
        details={"after": case.waits_for_id},
    )
    for target, code in _outcome_document_sources(case).items():
        earlier = Case.objects.filter(submission=case.submission_id, service__code=code).first()
        outcome = getattr(earlier, "outcome_document", None) if earlier else None
        if outcome is not None:
            _outcome_document_attach(case, target, outcome)
    _notify("started", case)


def _call_off(case: Case, *, actor) -> None:
    """A waiting case whose prerequisite ended without reaching its state will never start."""
    case.is_waiting = False
    case.is_open = False
    case.closed_at = timezone.now()
    case.outcome = {**case.outcome, "called_off": True}
    _save_by_the_platform(case, {"called_off": True})
    audit_record(
        actor=actor, action="case.called_off", target=case, subject=case.submission.applicant
    )
    _notify("called_off", case)
    for dependant in Case.objects.filter(waits_for=case, is_waiting=True).select_related(
        "waits_for__service", "submission"
    ):
        _call_off(dependant, actor=actor)


def waiting_cases_release(*, case: Case, actor, today: datetime.date) -> list[Case]:
    """After ``case`` moved: start the cases waiting for its new state; when it ended in
    another way, call off the cases that can no longer start. Returns the started cases."""
    started = []
    waiting = Case.objects.filter(waits_for=case, is_waiting=True).select_related(
        "service",
        "agency",
        "service_version",
        "waits_for__service",
        "submission__life_event_version",
        "submission__applicant",
    )
    for dependant in waiting:
        if dependant.waits_for_state == case.state:
            _start(dependant, actor=actor, today=today)
            started.append(dependant)
        elif not case.is_open:
            _call_off(dependant, actor=actor)
    return started


def plan_summary(plans: list[Plan]) -> list[dict[str, Any]]:
    """A plan as the pages and the API show it."""
    names = {plan.code: plan.name for plan in plans}
    return [
        {
            "service": plan.code,
            "name": plan.name,
            "agency": (plan.service.agency.short_name or plan.service.agency.name)
            if plan.service
            else "",
            "applies": plan.applies,
            "reasons": plan.reasons,
            "after": plan.after,
            "after_name": names.get((plan.after or {}).get("service", ""), ""),
        }
        for plan in plans
    ]


def _outcome_document_sources(case: Case) -> dict[str, str]:
    """The file fields of ``case``'s form that its life event fills with the outcome
    document of an earlier case: field -> that case's service code."""
    if not case.submission.life_event_version_id:
        return {}
    found = {}
    for target, raw in (_entry(case).get("map") or {}).items():
        if isinstance(raw, str) and raw.startswith("outcome.") and raw.endswith(".document"):
            found[target] = raw.removeprefix("outcome.").removesuffix(".document")
    return found


def _outcome_document_attach(case: Case, field_key: str, outcome) -> None:
    if not outcome.pdf or case.documents.filter(field_key=field_key).exists():
        return
    import hashlib

    with outcome.pdf.storage.open(outcome.pdf.name, "rb") as handle:
        content = handle.read()
    Document.objects.create(
        submission=case.submission,
        case=case,
        field_key=field_key,
        file=outcome.pdf.name,
        original_name=f"{outcome.number}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=case.submission.applicant,
    )


@transaction.atomic
def outcome_document_share(*, outcome_id: int) -> int:
    """Once an outcome document's PDF exists: give it to the cases of the same application
    whose life event maps it into a file field (the new family card for the insurance
    enrolment). Returns how many cases received it."""
    from satupintu.cases.models import OutcomeDocument

    outcome = OutcomeDocument.objects.select_related(
        "case__service", "case__submission__life_event_version"
    ).get(pk=outcome_id)
    source = outcome.case
    shared = 0
    candidates = Case.objects.filter(
        submission=source.submission_id, is_waiting=False
    ).select_related("service", "submission__life_event_version", "submission__applicant")
    for case in candidates:
        for target, code in _outcome_document_sources(case).items():
            if code == source.service.code and outcome.pdf:
                _outcome_document_attach(case, target, outcome)
                shared += 1
    return shared
