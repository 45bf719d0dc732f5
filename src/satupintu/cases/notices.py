"""Notices about cases: who is told what when something happens to a case, and the sweep
that reminds officers of deadlines and escalates overdue cases to supervisors.

Each notice is written in its recipient's language at the moment it is sent, and names only
what the recipient may see anyway: the service, the tracking number, the status, the due
date. Messages themselves, reasons and personal data stay behind the link.

Everything here is safe to run twice. Every notification carries a deduplication key made
of the case, the event (or message, or day) it is about, and the recipient, so a retried
task or a second sweep finds its notifications already there and creates nothing. The
functions are called by the tasks in :mod:`satupintu.cases.tasks`.
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.accounts.constants import Role
from satupintu.cases.constants import Actor, EventKind
from satupintu.cases.models import Case, CaseEvent
from satupintu.core.calendar import WorkingCalendar
from satupintu.core.language import pick
from satupintu.notifications.models import Notification
from satupintu.notifications.selectors import recipient_language
from satupintu.notifications.services import notification_send
from satupintu.organisations.models import Agency

logger = logging.getLogger(__name__)

# The pages the notices link to: the applicant's page of a case, and the officer's.
APPLICANT_CASE_URL = "cases:case"
STAFF_CASE_URL = "cases:officer_case"


# Facts, in the active language ------------------------------------------------------------


def _service(case: Case) -> str:
    return case.service.name


def _state(case: Case, state: str) -> str:
    return pick(case.definition["workflow"]["states"].get(state, {}).get("label")) or state


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def _tracking(case: Case) -> str:
    return case.submission.tracking or ""


def _link(case: Case, *, staff: bool) -> str:
    # Reversed in the recipient's language: English pages live under /en/.
    return reverse(STAFF_CASE_URL if staff else APPLICANT_CASE_URL, args=[case.public_id])


def _notify(
    *,
    case: Case,
    recipient,
    kind: str,
    key: str,
    staff: bool,
    render: Callable[[], tuple[str, str]],
    url_name: str = "",
) -> list[Notification]:
    """Send one notice about ``case``, written by ``render`` in ``recipient``'s language;
    returns it in a list, or an empty list when it was sent before."""
    dedup_key = f"case:{case.pk}:{key}:{recipient.pk}"
    if Notification.objects.filter(dedup_key=dedup_key).exists():
        return []  # sent before: no need to render it again
    with translation.override(recipient_language(recipient)):
        title, body = render()
        link = reverse(url_name, args=[case.public_id]) if url_name else _link(case, staff=staff)
    notification = notification_send(
        recipient=recipient,
        kind=f"case.{kind}",
        title=title,
        body=body,
        link=link,
        dedup_key=dedup_key,
    )
    return [notification] if notification is not None else []


# Events of one case -----------------------------------------------------------------------


def _submitted(case: Case, data: dict[str, Any]) -> list[Notification]:
    def render() -> tuple[str, str]:
        facts = {
            "service": _service(case),
            "tracking": _tracking(case),
            "agency": case.agency.name,
            "due_date": _date(case.due_date),
        }
        title = _("Application received: %(service)s") % facts
        body = (
            _(
                "We received your application for %(service)s. Your tracking number is "
                "%(tracking)s. %(agency)s will check it now, and we will tell you here whenever "
                "its status changes."
            )
            % facts
        )
        if case.waits_for_id:
            body += " " + _("Work on it starts once another part of your application is finished.")
        else:
            body += " " + _("It should be finished by %(due_date)s.") % facts
        return title, body

    return _notify(
        case=case,
        recipient=case.submission.applicant,
        kind="submitted",
        key="submitted",
        staff=False,
        render=render,
    )


def _transition_event(case: Case, data: dict[str, Any]) -> CaseEvent | None:
    """The timeline event of the transition a task was enqueued for."""
    events = case.events.filter(kind=EventKind.TRANSITION)
    if data.get("event_id"):
        return events.filter(pk=data["event_id"]).first()
    # Without the event's id: the latest move between the same two states. Two moves between
    # the same states whose tasks both run after the second one share one notice; both would
    # have said the same thing.
    if data.get("to_state"):
        events = events.filter(to_state=data["to_state"])
    if data.get("from_state"):
        events = events.filter(from_state=data["from_state"])
    return events.order_by("-created_at", "-id").first()


def _transition(case: Case, data: dict[str, Any]) -> list[Notification]:
    event = _transition_event(case, data)
    if event is None:
        logger.warning("No transition event found for case %s.", case.public_id)
        return []
    state = event.to_state
    states = case.definition["workflow"]["states"]
    target = states.get(state, {})
    applicant = case.submission.applicant

    if event.actor_role == Actor.APPLICANT:
        # The applicant moved the case themselves (sent what was asked for): they know; the
        # officer who works it does not.
        officer = case.assigned_to
        if officer is None or officer.pk == event.actor_id:
            return []

        def render_for_officer() -> tuple[str, str]:
            facts = {
                "tracking": _tracking(case),
                "service": _service(case),
                "state": _state(case, state),
            }
            return (
                _("Back with you: case %(tracking)s") % facts,
                _(
                    "The applicant of case %(tracking)s (%(service)s) took their step; the "
                    "case is now “%(state)s”."
                )
                % facts,
            )

        return _notify(
            case=case,
            recipient=officer,
            kind="transition",
            key=f"event:{event.pk}",
            staff=True,
            render=render_for_officer,
        )

    if event.actor_id == applicant.pk:
        return []

    def render() -> tuple[str, str]:
        facts = {
            "service": _service(case),
            "tracking": _tracking(case),
            "state": _state(case, state),
            "due_date": _date(case.due_date),
        }
        title = _("%(service)s: %(state)s") % facts
        body = _("Your application %(tracking)s for %(service)s is now: %(state)s.") % facts
        if target.get("pauses_clock"):
            body += " " + _(
                "The agency is waiting for you: read its message on your application's page "
                "and answer there. The time limit stops until you answer."
            )
        elif target.get("final"):
            body += " " + _("Your application is finished.")
        else:
            body += " " + _("It should be finished by %(due_date)s.") % facts
        return title, body

    return _notify(
        case=case,
        recipient=applicant,
        kind="transition",
        key=f"event:{event.pk}",
        staff=False,
        render=render,
    )


def _message(case: Case, data: dict[str, Any]) -> list[Notification]:
    messages = case.messages.filter(internal=False)
    if data.get("message_id"):
        message = messages.filter(pk=data["message_id"]).first()
    else:
        # Without the message's id: the latest one. Several messages in a row whose tasks run
        # after the last one share one notice.
        message = messages.order_by("-created_at", "-id").first()
    if message is None:
        return []

    def facts_for() -> dict[str, str]:  # called in the recipient's language
        return {"service": _service(case), "tracking": _tracking(case), "agency": case.agency.name}

    if message.from_agency:
        recipient, staff = case.submission.applicant, False

        def render() -> tuple[str, str]:
            facts = facts_for()
            return (
                _("New message about %(tracking)s") % facts,
                _(
                    "%(agency)s wrote to you about your application %(tracking)s for "
                    "%(service)s. Read it, and answer if it asks you to, on your "
                    "application's page."
                )
                % facts,
            )
    else:
        recipient, staff = case.assigned_to, True

        def render() -> tuple[str, str]:
            facts = facts_for()
            return (
                _("New message on case %(tracking)s") % facts,
                _("The applicant wrote about case %(tracking)s (%(service)s).") % facts,
            )

    if recipient is None or recipient.pk == message.author_id:
        return []
    return _notify(
        case=case,
        recipient=recipient,
        kind="message",
        key=f"message:{message.pk}",
        staff=staff,
        render=render,
    )


def _started(case: Case, data: dict[str, Any]) -> list[Notification]:
    def render() -> tuple[str, str]:
        facts = {
            "service": _service(case),
            "earlier": _service(case.waits_for),
            "tracking": _tracking(case),
            "due_date": _date(case.due_date),
        }
        return (
            _("Started: %(service)s") % facts,
            _(
                "%(earlier)s is done, so work on %(service)s (application %(tracking)s) has "
                "started with what it gave. It should be finished by %(due_date)s."
            )
            % facts,
        )

    return _notify(
        case=case,
        recipient=case.submission.applicant,
        kind="started",
        key="started",
        staff=False,
        render=render,
    )


def _called_off(case: Case, data: dict[str, Any]) -> list[Notification]:
    def render() -> tuple[str, str]:
        facts = {"service": _service(case), "earlier": _service(case.waits_for)}
        return (
            _("Will not start: %(service)s") % facts,
            _(
                "%(service)s was waiting for %(earlier)s, which ended without the result it "
                "needed, so it will not start. Read why on your application's page."
            )
            % facts,
        )

    return _notify(
        case=case,
        recipient=case.submission.applicant,
        kind="called_off",
        key="called_off",
        staff=False,
        render=render,
    )


def _partner(case: Case, data: dict[str, Any]) -> list[Notification]:
    """The people of the partner organisation that was given the case's task."""
    if case.partner_id is None:
        return []
    people = (
        get_user_model()
        .objects.filter(is_active=True, roles__role=Role.PARTNER, roles__partner=case.partner_id)
        .distinct()
    )
    sent: list[Notification] = []
    for person in people:

        def render() -> tuple[str, str]:
            facts = {"service": _service(case), "due_date": _date(case.due_date)}
            return (
                _("New task: %(service)s") % facts,
                _(
                    "Your organisation was given a task: %(service)s. Accept it and record "
                    "the delivery in the partner portal; it is due by %(due_date)s."
                )
                % facts,
            )

        sent += _notify(
            case=case,
            recipient=person,
            kind="partner",
            key=f"partner:{case.partner_id}",
            staff=True,
            render=render,
            url_name="cases:partner_task",
        )
    return sent


_EVENTS = {
    "submitted": _submitted,
    "transition": _transition,
    "message": _message,
    "started": _started,
    "called_off": _called_off,
    "partner": _partner,
}


@transaction.atomic
def case_notify(*, case: Case, kind: str, data: dict[str, Any]) -> list[Notification]:
    """Tell the people concerned that ``kind`` happened to ``case``; returns the
    notifications that were new.

    - ``submitted``: the applicant, with the tracking number, what happens next and the due
      date. (Officers are not told: new cases show in their queue.)
    - ``transition``: the applicant, with the new status in plain words and, when the status
      stops the clock, that the agency is waiting for them; when the applicant took the step
      themselves, the officer the case is assigned to instead.
    - ``message``: the applicant when the agency wrote; the assigned officer when the
      applicant wrote.

    ``data`` is what the case engine enqueued: ``from_state``/``to_state`` (and, when given,
    ``event_id``) for a transition, ``message_id`` when given for a message.
    """
    handler = _EVENTS.get(kind)
    if handler is None:
        logger.warning("Unknown case event %r; nobody notified.", kind)
        return []
    case = Case.objects.select_related(
        "service", "agency", "submission__applicant", "assigned_to", "waits_for__service"
    ).get(pk=case.pk)
    return handler(case, data or {})


# The sweep --------------------------------------------------------------------------------


def _staff(case: Case, role: str) -> list:
    """The active people who hold ``role`` for ``case``'s unit (or its whole agency)."""
    return list(
        get_user_model()
        .objects.filter(
            Q(roles__unit_id=case.unit_id) | Q(roles__agency_id=case.agency_id, roles__unit=None),
            roles__role=role,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _swept_today(kind: str, today: datetime.date) -> Exists:
    return Exists(
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=kind, data__date=today.isoformat())
    )


def _facts(case: Case, today: datetime.date, calendar: WorkingCalendar) -> dict[str, Any]:
    return {
        "tracking": _tracking(case),
        "service": _service(case),
        "state": _state(case, case.state),
        "due_date": _date(case.due_date),
        "unit": case.unit.name,
        "officer": case.assigned_to.get_full_name() or case.assigned_to.username
        if case.assigned_to
        else "",
        "days": calendar.working_days_between(case.due_date, today),
    }


def _render_reminder(facts: dict[str, Any]) -> tuple[str, str]:
    title = _("Due soon: case %(tracking)s") % facts
    body = (
        _("Case %(tracking)s (%(service)s) is due on %(due_date)s and is now “%(state)s”.") % facts
    )
    if not facts["officer"]:
        body += " " + _("No officer has taken it yet.")
    return title, body


def _render_escalation(facts: dict[str, Any]) -> tuple[str, str]:
    title = _("Overdue: case %(tracking)s") % facts
    body = (
        ngettext(
            "Case %(tracking)s (%(service)s) in %(unit)s was due on %(due_date)s and is "
            "%(days)d working day late; it is now “%(state)s”.",
            "Case %(tracking)s (%(service)s) in %(unit)s was due on %(due_date)s and is "
            "%(days)d working days late; it is now “%(state)s”.",
            facts["days"],
        )
        % facts
    )
    if facts["officer"]:
        body += " " + _("It is assigned to %(officer)s.") % facts
    else:
        body += " " + _("No officer has taken it.")
    return title, body


@transaction.atomic
def _case_sweep(
    *,
    case_id: int,
    kind: str,
    today: datetime.date,
    calendar: WorkingCalendar,
    last_day: datetime.date,
) -> int:
    """Remind about, or escalate, one case, at most once a day; returns the notices sent.

    The case's row is locked, so two sweeps at once take turns, and the second finds the
    day's event written by the first.
    """
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not case.is_open or case.is_paused:
        return 0
    if kind == EventKind.REMINDER and not today <= case.due_date <= last_day:
        return 0
    if kind == EventKind.ESCALATED and not case.due_date < today:
        return 0
    if case.events.filter(kind=kind, data__date=today.isoformat()).exists():
        return 0
    if kind == EventKind.REMINDER:
        assigned = case.assigned_to
        recipients = [assigned] if assigned and assigned.is_active else _staff(case, Role.OFFICER)
        render = _render_reminder
    else:
        recipients, render = _staff(case, Role.SUPERVISOR), _render_escalation
    if not recipients:
        logger.warning("Case %s is %s but has nobody to tell.", case.public_id, kind)
        return 0
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor_role=Actor.SYSTEM,
        internal=True,
        data={
            "date": today.isoformat(),
            "due_date": case.due_date.isoformat(),
            "recipients": len(recipients),
        },
    )
    sent = 0
    for recipient in recipients:
        sent += len(
            _notify(
                case=case,
                recipient=recipient,
                kind=kind,
                key=f"{kind}:{today.isoformat()}",
                staff=True,
                render=lambda: render(_facts(case, today, calendar)),
            )
        )
    return sent


def cases_sweep(*, today: datetime.date | None = None) -> dict[str, Any]:
    """Remind and escalate: safe to run as often as one likes, it acts once a day per case.

    On each working day of a case's agency:

    - open cases whose clock runs and that are due within
      ``SATUPINTU_REMIND_DAYS_BEFORE`` working days (today included) remind the officer the
      case is assigned to or, when nobody has taken it, every officer of its unit;
    - open cases whose clock runs and whose due date has passed are escalated to the
      supervisors of its unit, every working day until they move.

    Each reminder and escalation is written on the case's timeline as an internal
    ``reminder`` or ``escalated`` event. Cases waiting on the applicant and closed cases are
    left alone. Nothing is sent on the agency's days off: nobody is there to act on it.
    """
    today = today or timezone.localdate()
    days_before = max(int(settings.SATUPINTU_REMIND_DAYS_BEFORE), 0)
    report = {"date": today.isoformat(), "reminders": 0, "escalations": 0, "notifications": 0}
    running = Case.objects.filter(is_open=True, is_paused=False)
    for agency_id in Agency.objects.order_by("pk").values_list("pk", flat=True):
        calendar = WorkingCalendar.for_agency(
            agency_id, years=range(today.year - 1, today.year + 2)
        )
        if not calendar.is_working_day(today):
            continue
        last_day = calendar.add_working_days(today, days_before)
        due_soon = running.filter(
            agency_id=agency_id, due_date__gte=today, due_date__lte=last_day
        ).exclude(_swept_today(EventKind.REMINDER, today))
        overdue = running.filter(agency_id=agency_id, due_date__lt=today).exclude(
            _swept_today(EventKind.ESCALATED, today)
        )
        for kind, cases, counter in (
            (EventKind.REMINDER, due_soon, "reminders"),
            (EventKind.ESCALATED, overdue, "escalations"),
        ):
            for case_id in list(cases.order_by("due_date", "pk").values_list("pk", flat=True)):
                sent = _case_sweep(
                    case_id=case_id, kind=kind, today=today, calendar=calendar, last_day=last_day
                )
                if sent:
                    report[counter] += 1
                    report["notifications"] += sent
    return report
