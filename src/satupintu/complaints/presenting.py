"""How a complaint is put into words, the same on the pages and in the API: its deadline,
who wrote each message, and each line of its timeline — for the complainant (who never sees
the names of staff) or for staff (who never see an anonymous complainant's)."""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from satupintu.complaints import deadlines
from satupintu.complaints.constants import ComplaintStatus, EventKind, Sender, Step
from satupintu.complaints.models import Complaint, ComplaintEvent, ComplaintMessage
from satupintu.core.calendar import WorkingCalendar
from satupintu.core.language import pick


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def agency_label(complaint: Complaint) -> str:
    if not complaint.agency_id:
        return ""
    return complaint.agency.short_name or complaint.agency.name


@dataclass(frozen=True)
class Deadline:
    """The deadline of the step a complaint is in, in words; ``kind`` is ``paused``,
    ``today``, ``overdue``, ``due``, ``closing`` or ``closed`` (for the badge)."""

    kind: str
    text: str
    date: datetime.date | None
    late_working_days: int = 0


def deadline(
    complaint: Complaint,
    *,
    for_staff: bool,
    today: datetime.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """What the complaint waits for and until when. ``calendar`` (the step's) is read only
    for an overdue step, to count the working days late."""
    today = today or timezone.localdate()
    facts = {"date": _date(complaint.due_date), "agency": agency_label(complaint)}
    if not complaint.is_open:
        when = timezone.localdate(complaint.closed_at) if complaint.closed_at else None
        return Deadline(
            "closed", _("Closed on %(date)s") % {"date": _date(when)} if when else "", when
        )
    if complaint.status == ComplaintStatus.NEEDS_INFO:
        text = (
            _("Paused: waiting for the complainant's answer")
            if for_staff
            else _("Paused until you answer")
        )
        return Deadline("paused", text, None)
    if complaint.status == ComplaintStatus.FOLLOWED_UP:
        text = (
            _("Closes on %(date)s unless the complainant or the agency writes")
            if for_staff
            else _("Closes on %(date)s unless you or the agency write again")
        ) % facts
        return Deadline("closing", text, complaint.due_date)
    step = deadlines.step_of(complaint.status)
    if complaint.due_date < today:
        calendar = calendar or deadlines.calendar_for(step=step, agency_id=complaint.agency_id)
        late = max(calendar.working_days_between(complaint.due_date, today), 0)
        return Deadline(
            "overdue",
            _("Overdue since %(date)s") % facts,
            complaint.due_date,
            late_working_days=late,
        )
    if step == Step.VERIFY:
        text = _("Routed to the agency responsible by %(date)s") % facts
    else:
        text = _("%(agency)s follows it up by %(date)s") % facts
    kind = "today" if complaint.due_date == today else "due"
    return Deadline(kind, text, complaint.due_date)


class Deadlines:
    """The deadlines of a page of complaints, with one working calendar per step's agency
    built up front (one query each; an agency's queue has one), so that every page costs
    the same queries whatever it holds."""

    def __init__(self, complaints, *, for_staff: bool, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.for_staff = for_staff
        self._calendars: dict[int | None, WorkingCalendar] = {}
        for complaint in complaints:
            if complaint.is_open and (step := deadlines.step_of(complaint.status)):
                self._calendar(step, complaint.agency_id)

    def _calendar(self, step: str, agency_id: int | None) -> WorkingCalendar:
        key = None if step == Step.VERIFY else agency_id
        if key not in self._calendars:
            self._calendars[key] = deadlines.calendar_for(step=step, agency_id=agency_id)
        return self._calendars[key]

    def of(self, complaint: Complaint) -> Deadline:
        step = deadlines.step_of(complaint.status)
        calendar = self._calendar(step, complaint.agency_id) if complaint.is_open and step else None
        return deadline(complaint, for_staff=self.for_staff, today=self.today, calendar=calendar)


def sender_label(message: ComplaintMessage, complaint: Complaint, *, for_staff: bool) -> str:
    """Who wrote ``message``: to the complainant, "You", the agency or the coordinator (staff
    are never named to them); to staff, the person and their side, and "the complainant"
    for the complainant, whoever they are."""
    if message.sender == Sender.COMPLAINANT:
        return _("Complainant") if for_staff else _("You")
    side = agency_label(complaint) if message.sender == Sender.AGENCY else _("Coordinator")
    if for_staff and message.author is not None:
        name = message.author.get_full_name() or message.author.username
        return f"{name} ({side})"
    return side


def event_title(event: ComplaintEvent, complaint: Complaint, *, for_staff: bool) -> str:
    """One line of the timeline in words."""
    data = event.data or {}
    if event.kind == EventKind.FILED:
        return _("Complaint received") if for_staff else _("You sent your report")
    if event.kind == EventKind.ROUTED:
        # The agency of that routing (a complaint may be routed on to another since).
        facts = {"agency": pick(data.get("agency_name")) or agency_label(complaint)}
        return (_("Sent on to %(agency)s") if data.get("from") else _("Sent to %(agency)s")) % facts
    if event.kind == EventKind.MESSAGE:
        if event.by == Sender.COMPLAINANT:
            return _("The complainant wrote") if for_staff else _("You sent a message")
        if event.by == Sender.AGENCY:
            return _("%(agency)s wrote") % {"agency": agency_label(complaint)}
        return _("The coordinator wrote")
    if event.kind == EventKind.CLOSED and event.by == Sender.COMPLAINANT:
        return (
            _("The complainant closed the report, satisfied with the follow-up")
            if for_staff
            else _("You closed the report, satisfied with the follow-up")
        )
    if event.kind == EventKind.INFO_GIVEN:
        return _("The complainant answered") if for_staff else _("You answered")
    if event.kind in (EventKind.REMINDER, EventKind.ESCALATED) and data.get("step"):
        step = Step(data["step"]).label if data["step"] in Step.values else data["step"]
        return f"{EventKind(event.kind).label}: {step}"
    return str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind


def actor_label(event: ComplaintEvent, *, for_staff: bool) -> str:
    """Who did it, for staff only: the member of staff's name, or the side for the rest."""
    if not for_staff:
        return ""
    if event.by in (Sender.COORDINATOR, Sender.AGENCY) and event.actor is not None:
        return event.actor.get_full_name() or event.actor.username
    return str(Sender(event.by).label) if event.by in Sender.values else ""
