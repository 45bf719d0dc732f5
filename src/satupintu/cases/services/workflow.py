"""Working a case: workflow transitions, outcome documents, claims, assignment,
forwarding and messages.

Every function here is keyword-only, runs in one transaction, records what it did on the
case's timeline and in the audit trail, and leaves notifications to tasks that are enqueued
only when the transaction commits.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.cases import signals
from satupintu.cases.constants import Actor, EventKind
from satupintu.cases.models import Case, CaseEvent, Message, OutcomeDocument
from satupintu.cases.selectors import roles_on_case, staff_scope
from satupintu.cases.services.applications import _due_date, _notify
from satupintu.cases.services.life_events import waiting_cases_release
from satupintu.cases.services.partners import partner_for_case
from satupintu.cases.services.suggestions import suggestions_offer
from satupintu.core import tracking
from satupintu.core.calendar import WorkingCalendar
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.services import audit_record
from satupintu.organisations.models import Unit

# Transitions -----------------------------------------------------------------------------


def _closed(case: Case, state: str) -> None:
    """Once a case's closing commits: refresh its service's month, and tell the apps that
    follow up on closed cases (the satisfaction survey)."""
    from satupintu.cases import tasks

    case_id, service_id = case.pk, case.service_id
    month = timezone.localdate(case.closed_at).replace(day=1).isoformat()
    transaction.on_commit(
        lambda: tasks.refresh_service_month.enqueue(service_id=service_id, month=month)
    )
    transaction.on_commit(
        lambda: signals.case_closed.send(sender=Case, case_id=case_id, state=state)
    )


def _partner_hands_back(case: Case, transition: dict, to: str) -> bool:
    """Whether a partner's step hands the task back: it leads to a state from which the
    agency chooses a partner again (a partner declining)."""
    return transition["by"] == Actor.PARTNER and any(
        "partner" in t.get("requires", []) and t["from"] == to
        for t in case.definition["workflow"]["transitions"]
    )


def allowed_transitions(*, case: Case, user) -> list[dict]:
    """The transitions ``user`` may take on ``case`` now, each with its index."""
    if not case.is_open:
        return []
    roles = roles_on_case(user, case)
    if Actor.SUPERVISOR in roles:
        roles.add(Actor.OFFICER)  # a supervisor may do what an officer may
    return [
        {**transition, "index": index}
        for index, transition in enumerate(case.definition["workflow"]["transitions"])
        if transition["from"] == case.state and transition["by"] in roles
    ]


def _locked(case: Case, expected_version: int | None) -> Case:
    fresh = (
        Case.objects.select_for_update(of=("self",))
        .select_related("service_version", "submission", "agency")
        .get(pk=case.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            _(
                "This case changed while you were looking at it; it is now “%(state)s”. Check it and try again."
            )
            % {"state": _state_label(fresh, fresh.state)},
            code="case_changed",
        )
    return fresh


def _state_label(case: Case, state: str) -> str:
    from satupintu.core.language import pick

    return pick(case.definition["workflow"]["states"].get(state, {}).get("label")) or state


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor,
    to: str,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Move ``case`` to the state ``to`` by a transition that the service's workflow allows
    from its current state for one of ``actor``'s roles, with what that transition requires
    (a message, a reason, a document number, a note).

    Refuses with 409 when the case is closed, when no transition leads there from the current
    state, or when the case changed since ``expected_version``; with 403 when the transition
    exists but is not the actor's to take.
    """
    data = {key: value for key, value in (data or {}).items() if value not in (None, "")}
    case = _locked(case, expected_version)
    if case.is_waiting:
        raise Conflict(
            _("This case has not started yet: it waits for another part of the application."),
            code="case_waiting",
        )
    if not case.is_open:
        raise Conflict(_("This case is closed."), code="case_closed")
    transitions = [
        t
        for t in case.definition["workflow"]["transitions"]
        if t["from"] == case.state and t["to"] == to
    ]
    if not transitions:
        possible = (
            ", ".join(
                _state_label(case, t["to"])
                for t in case.definition["workflow"]["transitions"]
                if t["from"] == case.state
            )
            or "—"
        )
        raise Conflict(
            _("A case in “%(state)s” cannot go to “%(to)s”. From here it can go to: %(possible)s.")
            % {
                "state": _state_label(case, case.state),
                "to": _state_label(case, to) if to else to,
                "possible": possible,
            },
            code="transition_not_allowed",
        )
    roles = roles_on_case(actor, case)
    if Actor.SUPERVISOR in roles:
        roles.add(Actor.OFFICER)
    transition = next((t for t in transitions if t["by"] in roles), None)
    if transition is None:
        needed = ", ".join(sorted({str(Actor(t["by"]).label) for t in transitions}))
        raise Forbidden(
            _("Only the %(role)s may take this step.") % {"role": needed.lower()},
            code="role_not_allowed",
        )
    missing = [field for field in transition.get("requires", []) if not data.get(field)]
    if missing:
        raise DomainError(
            _("This step needs: %(fields)s.") % {"fields": ", ".join(missing)},
            code="missing_fields",
            status=422,
            errors=[
                {"path": field, "message": _("This is required for this step.")}
                for field in missing
            ],
        )

    partner = None
    if "partner" in transition.get("requires", []):
        partner = partner_for_case(case=case, code=str(data.get("partner", "")))
        case.partner = partner

    today = today or timezone.localdate()
    states = case.definition["workflow"]["states"]
    previous = case.state
    calendar = None
    if case.is_paused and case.paused_since:
        calendar = WorkingCalendar.for_agency(case.agency)
        case.paused_working_days += max(calendar.working_days_between(case.paused_since, today), 0)
        case.paused_since = None
        case.is_paused = False
    target = states[to]
    if target.get("pauses_clock"):
        case.is_paused = True
        case.paused_since = today
    if calendar is not None:
        case.due_date = _due_date(
            calendar=calendar,
            start=timezone.localdate(case.submitted_at),
            working_days=case.definition["deadline"]["working_days"],
            paused=case.paused_working_days,
        )
    case.state = to
    if _partner_hands_back(case, transition, to):
        case.partner = None  # the task is back with the agency, to give to another partner
    if target.get("final"):
        case.is_open = False
        case.closed_at = timezone.now()
    if "document_number" in data:
        case.outcome = {**case.outcome, "document_number": str(data["document_number"])[:100]}
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db(fields=["version"])

    role = transition["by"] if transition["by"] in roles else Actor.OFFICER
    event_data = {
        key: str(data[key])[:5000] for key in ("reason", "document_number") if key in data
    }
    event_data["transition"] = transition["name"]
    if partner is not None:
        event_data["partner"] = partner.code
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.TRANSITION,
        actor=actor,
        actor_role=role,
        from_state=previous,
        to_state=to,
        data=event_data,
    )
    from_agency = role != Actor.APPLICANT
    if data.get("message") or data.get("reason"):
        Message.objects.create(
            case=case,
            author=actor,
            from_agency=from_agency,
            # A partner writes to the coordinating agency, not to the resident.
            internal=role == Actor.PARTNER,
            body=str(data.get("message") or data.get("reason"))[:5000],
        )
    if data.get("note"):
        Message.objects.create(
            case=case, author=actor, from_agency=True, internal=True, body=str(data["note"])[:5000]
        )
    if target.get("outcome"):
        outcome_issue(
            case=case,
            actor=actor,
            number=str(data.get("document_number") or case.submission.tracking),
        )
    audit_record(
        actor=actor,
        action="case.transition",
        target=case,
        subject=case.submission.applicant,
        details={"from": previous, "to": to},
    )
    _notify("transition", case, from_state=previous, to_state=to, event_id=event.pk)
    if partner is not None:
        _notify("partner", case)
    waiting_cases_release(case=case, actor=actor, today=today)
    if target.get("final"):
        _closed(case, to)
    if target.get("final") and target.get("outcome"):
        suggestions_offer(case=case)
    return case


def outcome_issue(*, case: Case, actor, number: str) -> OutcomeDocument:
    """Record the outcome document of a closed case; its PDF is made by a task."""
    from satupintu.cases import tasks

    document, _created = OutcomeDocument.objects.get_or_create(
        case=case,
        defaults={
            "number": number,
            "verification_code": tracking.generate().replace("-", ""),
            "issued_at": timezone.now(),
        },
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.OUTCOME,
        actor=actor,
        actor_role=Actor.OFFICER,
        data={"number": number},
    )
    document_id = document.pk
    transaction.on_commit(lambda: tasks.render_outcome_document.enqueue(outcome_id=document_id))
    return document


# Claims, assignment, forwarding ----------------------------------------------------------


@transaction.atomic
def case_claim(*, case: Case, actor, expected_version: int | None = None) -> Case:
    """An officer takes an open case of their unit for themselves."""
    case = _locked(case, expected_version)
    if not staff_scope(actor).covers(case):
        raise NotFound(_("There is no such case in your unit."))
    if not case.is_open:
        raise Conflict(_("This case is closed."), code="case_closed")
    if case.assigned_to_id and case.assigned_to_id != actor.pk:
        raise Conflict(_("Another officer has already taken this case."), code="already_claimed")
    case.assigned_to = actor
    case.version = F("version") + 1
    case.save(update_fields=["assigned_to", "version", "updated_at"])
    case.refresh_from_db(fields=["version"])
    CaseEvent.objects.create(
        case=case, kind=EventKind.CLAIMED, actor=actor, actor_role=Actor.OFFICER, internal=True
    )
    audit_record(actor=actor, action="case.claimed", target=case)
    return case


@transaction.atomic
def case_assign(*, case: Case, actor, assignee, expected_version: int | None = None) -> Case:
    """A supervisor gives a case to an officer of the same unit (or takes it back)."""
    case = _locked(case, expected_version)
    if not staff_scope(actor).supervises(case):
        raise Forbidden(
            _("Only a supervisor of this unit may assign its cases."), code="supervisor_only"
        )
    if assignee is not None and not staff_scope(assignee).covers(case):
        raise DomainError(
            _("This officer does not work in the case's unit."), code="invalid_assignee"
        )
    case.assigned_to = assignee
    case.version = F("version") + 1
    case.save(update_fields=["assigned_to", "version", "updated_at"])
    case.refresh_from_db(fields=["version"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.ASSIGNED,
        actor=actor,
        actor_role=Actor.SUPERVISOR,
        internal=True,
        data={"to": assignee.get_full_name() if assignee else ""},
    )
    audit_record(
        actor=actor,
        action="case.assigned",
        target=case,
        details={"to": assignee.pk if assignee else None},
    )
    return case


@transaction.atomic
def case_forward(
    *, case: Case, actor, unit: Unit, note: str = "", expected_version: int | None = None
) -> Case:
    """Send a case to another unit of the same agency."""
    case = _locked(case, expected_version)
    if not staff_scope(actor).covers(case):
        raise NotFound(_("There is no such case in your unit."))
    if unit.agency_id != case.agency_id:
        raise DomainError(_("A case can only be forwarded within its agency."), code="invalid_unit")
    previous = case.unit
    case.unit, case.assigned_to = unit, None
    case.version = F("version") + 1
    case.save(update_fields=["unit", "assigned_to", "version", "updated_at"])
    case.refresh_from_db(fields=["version"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.FORWARDED,
        actor=actor,
        actor_role=Actor.OFFICER,
        internal=True,
        data={"from": previous.code, "to": unit.code},
    )
    if note:
        Message.objects.create(
            case=case, author=actor, from_agency=True, internal=True, body=note[:5000]
        )
    audit_record(actor=actor, action="case.forwarded", target=case, details={"to": unit.code})
    return case


# Messages --------------------------------------------------------------------------------


@transaction.atomic
def message_post(*, case: Case, actor, body: str, internal: bool = False) -> Message:
    """Post to a case's thread. The applicant writes to the agency; officers write to the
    applicant or, with ``internal``, to each other. An applicant's answer to a request for
    information takes the case back to the agency (and restarts the clock) when the workflow
    has exactly one way back for the applicant."""
    body = (body or "").strip()
    if not body:
        raise DomainError(
            _("Write a message first."),
            code="empty_message",
            status=422,
            errors=[{"path": "body", "message": _("Write a message first.")}],
        )
    roles = roles_on_case(actor, case)
    if not roles:
        raise NotFound(_("There is no such case among yours."))
    is_staff = bool(roles & {Actor.OFFICER, Actor.SUPERVISOR})
    if roles == {Actor.PARTNER}:
        # A partner organisation writes to the coordinating agency only, never to the
        # resident: its messages are the agency's internal notes.
        is_staff, internal = True, True
    if internal and not is_staff:
        raise Forbidden(_("Only officers can write internal notes."))
    message = Message.objects.create(
        case=case,
        author=actor,
        from_agency=is_staff and Actor.APPLICANT not in roles,
        internal=internal,
        body=body[:5000],
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.NOTE if internal else EventKind.MESSAGE,
        actor=actor,
        actor_role=Actor.PARTNER
        if roles == {Actor.PARTNER}
        else (Actor.OFFICER if message.from_agency else Actor.APPLICANT),
        internal=internal,
    )
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=timezone.now())
    if not message.from_agency and case.is_open and case.is_paused:
        back = [t for t in allowed_transitions(case=case, user=actor) if t["by"] == Actor.APPLICANT]
        if len(back) == 1:
            case_transition(case=case, actor=actor, to=back[0]["to"])
    elif not internal:
        _notify("message", case, message_id=message.pk)
    return message
