"""Handling a report: the coordinator's steps, the agency's follow-up, messages, closing,
and reading the complainant's identity."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.complaints.constants import (
    BODY_MAX_LENGTH,
    COORDINATOR_STATUSES,
    ComplaintStatus,
    EventKind,
    RejectionReason,
    Sender,
    Step,
)
from satupintu.complaints.models import Complaint, ComplaintMessage
from satupintu.complaints.selectors import Identity, complainant_identity
from satupintu.complaints.services.common import (
    agency_handler,
    coordinator_only,
    event_add,
    invalid,
    locked,
    notify_on_commit,
    resume,
    start_step,
    text_checked,
    today_or_now,
)
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.organisations.models import Agency, Unit

# The coordinator ----------------------------------------------------------------------


def _coordinator_step(complaint: Complaint, *, allow_routed: bool = False) -> None:
    allowed = set(COORDINATOR_STATUSES) | ({ComplaintStatus.ROUTED} if allow_routed else set())
    if complaint.status not in allowed:
        raise Conflict(
            _("This complaint is “%(status)s”; the coordinator's step is done.")
            % {"status": complaint.get_status_display()},
            code="complaint_moved_on",
        )


@transaction.atomic
def complaint_request_information(
    *, complaint: Complaint, actor, message: str, today: datetime.date | None = None
) -> Complaint:
    """The coordinator asks the complainant for more information: the verification clock
    stops until they answer (:func:`complaint_message_post`)."""
    coordinator_only(actor)
    message = text_checked(
        message,
        path="message",
        limit=BODY_MAX_LENGTH,
        required=_("Write what the complainant should add."),
    )
    complaint = locked(complaint)
    _coordinator_step(complaint)
    today = today_or_now(today)
    if not complaint.is_paused:
        complaint.is_paused = True
        complaint.paused_since = today
    complaint.status = ComplaintStatus.NEEDS_INFO
    complaint.coordinator = actor
    complaint.save()
    ComplaintMessage.objects.create(
        complaint=complaint, author=actor, sender=Sender.COORDINATOR, body=message
    )
    event_add(complaint, EventKind.INFO_REQUESTED, by=Sender.COORDINATOR, actor=actor)
    audit_record(actor=actor, action="complaint.info_requested", target=complaint)
    notify_on_commit("info_requested", complaint)
    return complaint


@transaction.atomic
def complaint_route(
    *,
    complaint: Complaint,
    actor,
    agency: Agency,
    unit: Unit | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Complaint:
    """The coordinator sends the complaint to the agency responsible (and, optionally, one
    of its units), with an internal note for it. The agency's follow-up is due in
    ``SATUPINTU_COMPLAINT_FOLLOW_UP_DAYS`` of its working days. A complaint already with an
    agency that has not followed it up may be routed again (to another agency)."""
    coordinator_only(actor)
    if unit is not None and unit.agency_id != agency.pk:
        raise invalid("unit", _("Choose a unit of the chosen agency."), "invalid_unit")
    note = text_checked(note, path="note", limit=BODY_MAX_LENGTH)
    complaint = locked(complaint)
    _coordinator_step(complaint, allow_routed=True)
    previous = complaint.agency.code if complaint.routed_at and complaint.agency else ""
    today = today_or_now(today)
    complaint.agency, complaint.unit = agency, unit
    complaint.status = ComplaintStatus.ROUTED
    complaint.routed_at = timezone.now()
    complaint.coordinator = actor
    start_step(complaint, Step.FOLLOW_UP, today)
    complaint.save()
    if note:
        ComplaintMessage.objects.create(
            complaint=complaint,
            author=actor,
            sender=Sender.COORDINATOR,
            internal=True,
            body=note,
        )
    data = {
        "agency": agency.code,
        "agency_name": {
            "id": agency.short_name or agency.name_id,
            "en": agency.short_name or agency.name_en,
        },
        **({"unit": unit.code} if unit else {}),
    }
    if previous:
        data["from"] = previous
    event_add(complaint, EventKind.ROUTED, by=Sender.COORDINATOR, actor=actor, data=data)
    audit_record(actor=actor, action="complaint.routed", target=complaint, details=data)
    notify_on_commit("routed", complaint)
    return complaint


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor, reason: str, note: str) -> Complaint:
    """The coordinator does not take the report further — not a complaint, a duplicate, or
    outside the scope of public services — and tells the complainant why."""
    coordinator_only(actor)
    if reason not in RejectionReason.values:
        raise invalid("reason", _("Choose why the report is not taken further."), "invalid_reason")
    note = text_checked(
        note,
        path="note",
        limit=2000,
        required=_("Explain to the complainant why, and where they can turn instead."),
    )
    complaint = locked(complaint)
    _coordinator_step(complaint)
    complaint.status = ComplaintStatus.REJECTED
    complaint.rejection_reason, complaint.rejection_note = reason, note
    complaint.is_open, complaint.is_paused, complaint.paused_since = False, False, None
    complaint.closed_at = timezone.now()
    complaint.coordinator = actor
    complaint.save()
    event_add(
        complaint, EventKind.REJECTED, by=Sender.COORDINATOR, actor=actor, data={"reason": reason}
    )
    audit_record(
        actor=actor, action="complaint.rejected", target=complaint, details={"reason": reason}
    )
    notify_on_commit("rejected", complaint)
    return complaint


# The agency ---------------------------------------------------------------------------


@transaction.atomic
def complaint_follow_up(
    *, complaint: Complaint, actor, body: str, today: datetime.date | None = None
) -> ComplaintMessage:
    """The agency answers the complaint: what it found and what it did or will do. The
    complaint then closes after ``SATUPINTU_COMPLAINT_CLOSE_DAYS`` of the agency's working
    days unless the complainant or the agency writes again. A later follow-up restarts that
    wait."""
    body = text_checked(
        body, path="body", limit=BODY_MAX_LENGTH, required=_("Write the agency's follow-up.")
    )
    complaint = locked(complaint)
    agency_handler(actor, complaint)
    if complaint.status not in {ComplaintStatus.ROUTED, ComplaintStatus.FOLLOWED_UP}:
        raise Conflict(_("This complaint is closed."), code="complaint_closed")
    now = timezone.now()
    complaint.status = ComplaintStatus.FOLLOWED_UP
    complaint.followed_up_at = complaint.followed_up_at or now
    start_step(complaint, Step.CLOSE, today_or_now(today))
    complaint.save()
    message = ComplaintMessage.objects.create(
        complaint=complaint, author=actor, sender=Sender.AGENCY, is_follow_up=True, body=body
    )
    event_add(complaint, EventKind.FOLLOWED_UP, by=Sender.AGENCY, actor=actor)
    audit_record(actor=actor, action="complaint.followed_up", target=complaint)
    notify_on_commit("followed_up", complaint, message_id=message.pk)
    return message


# Messages -----------------------------------------------------------------------------


@transaction.atomic
def complaint_message_post(
    *,
    complaint: Complaint,
    actor,
    body: str,
    sender: str,
    internal: bool = False,
    today: datetime.date | None = None,
) -> ComplaintMessage:
    """Write about a complaint as ``sender``.

    - The **complainant** (the caller has found the complaint through a complainant's
      selector: their account, or the follow-up code) writes to whoever has the complaint.
      An answer to a request for information restarts the verification clock; an answer
      after the follow-up restarts the wait before closing.
    - The **coordinator** writes to the complainant or, ``internal``, to the agency.
    - The **agency** writes to the complainant (which, after its follow-up, restarts the
      wait before closing) or, ``internal``, to the coordinator.
    """
    body = text_checked(
        body, path="body", limit=BODY_MAX_LENGTH, required=_("Write a message first.")
    )
    complaint = locked(complaint)
    if sender == Sender.COORDINATOR:
        coordinator_only(actor)
    elif sender == Sender.AGENCY:
        agency_handler(actor, complaint)
    elif sender == Sender.COMPLAINANT:
        if internal:
            raise Forbidden(_("Only staff can write internal notes."))
    else:
        raise DomainError(_("Unknown sender."), code="invalid_sender")
    if not complaint.is_open:
        raise Conflict(_("This complaint is closed."), code="complaint_closed")
    today = today_or_now(today)
    resumed = False
    if sender == Sender.COMPLAINANT and complaint.status == ComplaintStatus.NEEDS_INFO:
        resume(complaint, today)
        complaint.status = ComplaintStatus.RECEIVED
        resumed = True
    elif (
        sender in (Sender.COMPLAINANT, Sender.AGENCY)
        and not internal
        and complaint.status == ComplaintStatus.FOLLOWED_UP
    ):
        start_step(complaint, Step.CLOSE, today)
    complaint.save()
    # An anonymous complainant is not named on the message, the timeline or the audit trail.
    if sender == Sender.COMPLAINANT and complaint.is_anonymous:
        actor = None
    message = ComplaintMessage.objects.create(
        complaint=complaint,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        sender=sender,
        internal=internal,
        body=body,
    )
    event_add(
        complaint,
        EventKind.INFO_GIVEN if resumed else (EventKind.NOTE if internal else EventKind.MESSAGE),
        by=sender,
        actor=actor,
        internal=internal,
    )
    audit_record(
        actor=actor,
        action="complaint.message",
        target=complaint,
        details={"from": sender, "internal": internal},
    )
    notify_on_commit("message", complaint, message_id=message.pk)
    return message


# The sweep's step ---------------------------------------------------------------------


@transaction.atomic
def complaint_close(*, complaint: Complaint, today: datetime.date | None = None) -> bool:
    """Close a followed-up complaint whose wait has run out (nobody answered within
    ``SATUPINTU_COMPLAINT_CLOSE_DAYS`` working days of the last follow-up or answer); returns
    whether it closed. Safe to call again: a complaint that is not due (any more) is left as
    it is."""
    complaint = locked(complaint)
    today = today_or_now(today)
    if (
        not complaint.is_open
        or complaint.status != ComplaintStatus.FOLLOWED_UP
        or complaint.due_date > today
    ):
        return False
    complaint.status = ComplaintStatus.CLOSED
    complaint.is_open = False
    complaint.closed_at = timezone.now()
    complaint.save()
    event_add(complaint, EventKind.CLOSED, by=Sender.SYSTEM, data={"date": today.isoformat()})
    audit_record(actor=None, action="complaint.closed", target=complaint)
    notify_on_commit("closed", complaint)
    return True


@transaction.atomic
def complaint_close_by_complainant(*, complaint: Complaint, actor) -> Complaint:
    """The complainant is satisfied with the agency's follow-up and closes the report now,
    rather than waiting for the sweep to close it ``SATUPINTU_COMPLAINT_CLOSE_DAYS`` working
    days later. The caller has found the complaint through a complainant's selector (their
    account, or the follow-up code). Only a followed-up report can be closed this way: before
    the agency answers, there is nothing to be satisfied with yet. The agency's handlers are
    told."""
    complaint = locked(complaint)
    if not complaint.is_open:
        raise Conflict(_("This complaint is closed."), code="complaint_closed")
    if complaint.status != ComplaintStatus.FOLLOWED_UP:
        raise Conflict(
            _("You can close your report once the agency has followed it up."),
            code="complaint_not_followed_up",
        )
    complaint.status = ComplaintStatus.CLOSED
    complaint.is_open = False
    complaint.closed_at = timezone.now()
    complaint.save()
    # An anonymous complainant is not named on the timeline or in the audit trail.
    named = (
        actor if getattr(actor, "is_authenticated", False) and not complaint.is_anonymous else None
    )
    event_add(complaint, EventKind.CLOSED, by=Sender.COMPLAINANT, actor=named)
    audit_record(
        actor=named,
        action="complaint.closed",
        target=complaint,
        subject=named,
        details={"by": Sender.COMPLAINANT.value},
    )
    notify_on_commit("closed_by_complainant", complaint)
    return complaint


# Reading personal data ----------------------------------------------------------------


@transaction.atomic
def complainant_identity_view(*, complaint: Complaint, actor, via: str = "page") -> Identity:
    """The complainant's identity as ``actor`` (staff) may see it, recording in the audit
    trail that it was read whenever anything of it is shown (never for an anonymous
    complaint, which shows nothing)."""
    identity = complainant_identity(complaint=complaint)
    if identity.shown:
        audit_record(
            actor=actor,
            action="complainant.viewed",
            target=complaint,
            subject=complaint.complainant,
            details={"via": via},
        )
    return identity
