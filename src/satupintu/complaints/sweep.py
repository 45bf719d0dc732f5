"""The sweep: it closes complaints nobody answered, reminds the coordinator or the agency's
staff before a deadline, and escalates overdue steps — the coordinator's to the other
coordinators (their supervisors), the agency's to its supervisors and administrators.

It acts once a day per complaint and step however often it runs: each reminder and
escalation is an internal event whose key (kind, step, day) the database holds unique, and
its notices carry deduplication keys. ``satupintu worker`` enqueues it on its clock
(``tasks.sweep_complaints``) and ``satupintu sweep`` runs it once.
"""

import datetime
import logging
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.accounts.constants import Role
from satupintu.complaints import deadlines
from satupintu.complaints.constants import ComplaintStatus, EventKind, Sender, Step
from satupintu.complaints.models import Complaint, ComplaintEvent
from satupintu.complaints.notices import (
    AGENCY_URL,
    COORDINATOR_URL,
    agency_handlers,
    agency_supervisors,
    coordinators,
    facts_of,
    people_with,
    tell_staff,
)
from satupintu.complaints.services import complaint_close
from satupintu.core.calendar import WorkingCalendar

logger = logging.getLogger(__name__)


def _swept_today(kind: str, step: str, today: datetime.date) -> Exists:
    return Exists(
        ComplaintEvent.objects.filter(
            complaint=OuterRef("pk"), sweep_key=f"{kind}:{step}:{today.isoformat()}"
        )
    )


def _render_reminder(facts: dict[str, Any]) -> tuple[str, str]:
    return (
        _("Due soon: complaint %(tracking)s") % facts,
        _("Complaint %(tracking)s (%(kind)s): %(step)s is due on %(due_date)s.") % facts,
    )


def _render_escalation(facts: dict[str, Any]) -> tuple[str, str]:
    return (
        _("Overdue: complaint %(tracking)s") % facts,
        ngettext(
            "Complaint %(tracking)s (%(kind)s): %(step)s was due on %(due_date)s and is "
            "%(days)d working day late.",
            "Complaint %(tracking)s (%(kind)s): %(step)s was due on %(due_date)s and is "
            "%(days)d working days late.",
            facts["days"],
        )
        % facts,
    )


def _sweep_recipients(complaint: Complaint, kind: str, step: str) -> tuple[list, str]:
    if step == Step.VERIFY:
        assigned = complaint.coordinator
        if kind == EventKind.REMINDER:
            people = [assigned] if assigned and assigned.is_active else coordinators()
        else:
            # The coordinator's supervisors are the other coordinators; with nobody else,
            # the platform's administrators.
            people = coordinators(exclude=assigned) or people_with(
                Q(roles__role=Role.PLATFORM_ADMIN), Q(is_superuser=True)
            )
        return people, COORDINATOR_URL
    if kind == EventKind.REMINDER:
        return agency_handlers(complaint), AGENCY_URL
    return agency_supervisors(complaint), AGENCY_URL


@transaction.atomic
def _sweep_one(
    *,
    complaint_id: int,
    kind: str,
    step: str,
    today: datetime.date,
    calendar: WorkingCalendar,
    last_day: datetime.date,
) -> int:
    """Remind about, or escalate, one complaint's step, at most once a day; returns the
    notices sent. The row is locked, and the day's event key is unique, so two sweeps at
    once act once."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "coordinator")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None or not complaint.is_open or complaint.is_paused:
        return 0
    if deadlines.step_of(complaint.status) != step:
        return 0
    if kind == EventKind.REMINDER and not today <= complaint.due_date <= last_day:
        return 0
    if kind == EventKind.ESCALATED and not complaint.due_date < today:
        return 0
    sweep_key = f"{kind}:{step}:{today.isoformat()}"
    if complaint.events.filter(sweep_key=sweep_key).exists():
        return 0
    people, url_name = _sweep_recipients(complaint, kind, step)
    if not people:
        logger.warning("Complaint %s is %s but has nobody to tell.", complaint.tracking, kind)
        return 0
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        by=Sender.SYSTEM,
        internal=True,
        sweep_key=sweep_key,
        data={
            "date": today.isoformat(),
            "step": step,
            "due_date": complaint.due_date.isoformat(),
            "recipients": len(people),
        },
    )
    render = _render_reminder if kind == EventKind.REMINDER else _render_escalation

    def facts() -> dict[str, Any]:  # in each recipient's language
        return {
            **facts_of(complaint),
            "step": Step(step).label,
            "days": calendar.working_days_between(complaint.due_date, today),
        }

    return tell_staff(
        complaint,
        people,
        kind=kind,
        key=f"{kind}:{step}:{today.isoformat()}",
        url_name=url_name,
        render=lambda: render(facts()),
    )


def _sweep_step(report: dict, *, step: str, status: str, agency_id, today: datetime.date) -> None:
    calendar = deadlines.calendar_for(step=step, agency_id=agency_id)
    if not calendar.is_working_day(today):
        return  # nobody is there to act on it
    last_day = calendar.add_working_days(today, deadlines.remind_days_before())
    running = Complaint.objects.filter(is_open=True, is_paused=False, status=status)
    if step != Step.VERIFY:
        running = running.filter(agency_id=agency_id)
    due_soon = running.filter(due_date__gte=today, due_date__lte=last_day).exclude(
        _swept_today(EventKind.REMINDER, step, today)
    )
    overdue = running.filter(due_date__lt=today).exclude(
        _swept_today(EventKind.ESCALATED, step, today)
    )
    for kind, complaints, counter in (
        (EventKind.REMINDER, due_soon, "reminders"),
        (EventKind.ESCALATED, overdue, "escalations"),
    ):
        for complaint_id in list(
            complaints.order_by("due_date", "pk").values_list("pk", flat=True)
        ):
            sent = _sweep_one(
                complaint_id=complaint_id,
                kind=kind,
                step=step,
                today=today,
                calendar=calendar,
                last_day=last_day,
            )
            if sent:
                report[counter] += 1
                report["notifications"] += sent


def complaints_sweep(*, today: datetime.date | None = None) -> dict[str, Any]:
    """Close, remind and escalate: safe to run as often as one likes; it acts once a day per
    complaint and step.

    - A followed-up complaint whose wait has run out (its due date has come) closes.
    - On national working days, complaints waiting for the coordinator (not paused) that are
      due within ``SATUPINTU_REMIND_DAYS_BEFORE`` working days remind the coordinator who
      works them, or every coordinator; overdue ones go to the other coordinators.
    - On each agency's working days, complaints waiting for its follow-up that are due soon
      remind its officers and supervisors; overdue ones go to its supervisors and agency
      administrators.

    Each reminder and escalation is an internal event on the complaint's timeline.
    """
    today = today or timezone.localdate()
    report = {
        "date": today.isoformat(),
        "reminders": 0,
        "escalations": 0,
        "closed": 0,
        "notifications": 0,
    }
    for complaint in list(
        Complaint.objects.filter(
            is_open=True, status=ComplaintStatus.FOLLOWED_UP, due_date__lte=today
        ).order_by("due_date", "pk")
    ):
        if complaint_close(complaint=complaint, today=today):
            report["closed"] += 1
    _sweep_step(
        report, step=Step.VERIFY, status=ComplaintStatus.RECEIVED, agency_id=None, today=today
    )
    agencies = (
        Complaint.objects.filter(is_open=True, is_paused=False, status=ComplaintStatus.ROUTED)
        .order_by("agency_id")
        .values_list("agency_id", flat=True)
        .distinct()
    )
    for agency_id in list(agencies):
        _sweep_step(
            report,
            step=Step.FOLLOW_UP,
            status=ComplaintStatus.ROUTED,
            agency_id=agency_id,
            today=today,
        )
    return report
