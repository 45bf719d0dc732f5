"""What every write of complaints does: check its text, lock the row, keep the clock,
check the role, write the timeline, and enqueue its notices after commit."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.complaints import deadlines
from satupintu.complaints.constants import Step
from satupintu.complaints.models import Complaint, ComplaintEvent
from satupintu.complaints.selectors import complaint_scope
from satupintu.core.errors import DomainError, Forbidden, NotFound


def notify_on_commit(kind: str, complaint: Complaint, **data: Any) -> None:
    """Enqueue the notices of ``kind`` about ``complaint`` once the transaction commits."""
    from satupintu.complaints import tasks

    complaint_id = complaint.pk
    transaction.on_commit(
        lambda: tasks.notify_complaint_event.enqueue(
            complaint_id=complaint_id, kind=kind, data=data
        )
    )


def event_add(
    complaint: Complaint,
    kind: str,
    *,
    by: str,
    actor=None,
    internal: bool = False,
    data: dict | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        by=by,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        internal=internal,
        data=data or {},
    )


def invalid(path: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, status=422, errors=[{"path": path, "message": message}])


def text_checked(value: str, *, path: str, limit: int, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(path, required, "missing_fields")
    if len(value) > limit:
        raise invalid(
            path,
            _("Use at most %(count)d characters; this has %(length)d.")
            % {"count": limit, "length": len(value)},
            "too_long",
        )
    return value


def locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "complainant")
        .get(pk=complaint.pk)
    )


def today_or_now(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def start_step(complaint: Complaint, step: str, today: datetime.date) -> None:
    """Start the clock of ``step`` today (no pause carried over)."""
    complaint.step_started_on = today
    complaint.is_paused = False
    complaint.paused_since = None
    complaint.paused_working_days = 0
    calendar = deadlines.calendar_for(step=step, agency_id=complaint.agency_id)
    complaint.due_date = deadlines.due_date(step=step, start=today, calendar=calendar)


def resume(complaint: Complaint, today: datetime.date) -> None:
    """Restart the verification clock after a pause: the working days spent waiting on the
    complainant move the deadline."""
    if not complaint.is_paused:
        return
    calendar = deadlines.calendar_for(step=Step.VERIFY, agency_id=None)
    if complaint.paused_since:
        complaint.paused_working_days += max(
            calendar.working_days_between(complaint.paused_since, today), 0
        )
    complaint.is_paused = False
    complaint.paused_since = None
    complaint.due_date = deadlines.due_date(
        step=Step.VERIFY,
        start=complaint.step_started_on,
        calendar=calendar,
        paused_working_days=complaint.paused_working_days,
    )


def coordinator_only(actor) -> None:
    if not complaint_scope(actor).coordinator:
        raise Forbidden(_("Only a complaint coordinator may do this."), code="coordinator_only")


def agency_handler(actor, complaint: Complaint) -> None:
    scope = complaint_scope(actor)
    if not scope.sees(complaint):
        raise NotFound(_("There is no such complaint for your agency."))
    if not scope.handles(complaint):
        raise Forbidden(
            _("Only the agency's officers and supervisors may answer complaints."),
            code="handler_only",
        )
