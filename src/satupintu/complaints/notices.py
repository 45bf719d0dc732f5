"""Notices about complaints: who is told what when something happens to one. (The sweep
that reminds, escalates and closes is :mod:`satupintu.complaints.sweep`.)

A notice names only the report number, the kind of report, the agency and a date: never
the complainant (to staff) nor the text of the complaint; the rest stays behind the link, on
pages that check who asks. A complainant with an account is told in their inbox (and by
e-mail, as every notification); one without an account who left an e-mail address gets an
e-mail that says there is news and where to read it — never the follow-up code.

Everything here is safe to run twice: every notice carries a deduplication key (complaint,
event, recipient), and an e-mail row is sent once. The functions are called by the tasks in
:mod:`satupintu.complaints.tasks`.
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.accounts.constants import Role
from satupintu.complaints import deadlines
from satupintu.complaints.constants import ComplaintStatus, EventKind, Sender, Step
from satupintu.complaints.models import Complaint, ComplaintMail
from satupintu.notifications.models import Notification
from satupintu.notifications.selectors import recipient_language
from satupintu.notifications.services import notification_send

logger = logging.getLogger(__name__)

COMPLAINANT_URL = "complaints:complaint"
FOLLOW_URL = "complaints:follow"
COORDINATOR_URL = "complaints:coordinator_complaint"
AGENCY_URL = "complaints:agency_complaint"


# Facts, in the active language ------------------------------------------------------------


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def facts_of(complaint: Complaint) -> dict[str, Any]:
    return {
        "tracking": complaint.tracking,
        "kind": complaint.get_kind_display(),
        "agency": complaint.agency.name if complaint.agency_id else "",
        "due_date": _date(complaint.due_date),
    }


# Recipients -----------------------------------------------------------------------------


def people_with(*conditions: Q) -> list:
    where = Q()
    for condition in conditions:
        where |= condition
    return list(get_user_model().objects.filter(where, is_active=True).distinct().order_by("pk"))


def coordinators(*, exclude=None) -> list:
    """The complaint coordinators (but ``exclude``)."""
    people = people_with(Q(roles__role=Role.COMPLAINT_COORDINATOR))
    return [person for person in people if exclude is None or person.pk != exclude.pk]


def agency_handlers(complaint: Complaint) -> list:
    """The officers and supervisors who answer ``complaint`` for its agency: those of its
    unit and the agency-wide ones, or everyone of the agency when it has no unit."""
    staff = Q(roles__role__in=[Role.OFFICER, Role.SUPERVISOR], roles__agency_id=complaint.agency_id)
    if complaint.unit_id is None:
        return people_with(staff)
    return people_with(staff & (Q(roles__unit_id=complaint.unit_id) | Q(roles__unit__isnull=True)))


def agency_supervisors(complaint: Complaint) -> list:
    """Who hears of an overdue follow-up: the supervisors of the complaint's unit (or the
    agency's), and the agency's administrators."""
    supervisors = Q(roles__role=Role.SUPERVISOR, roles__agency_id=complaint.agency_id)
    if complaint.unit_id is not None:
        supervisors &= Q(roles__unit_id=complaint.unit_id) | Q(roles__unit__isnull=True)
    admins = Q(roles__role=Role.AGENCY_ADMIN, roles__agency_id=complaint.agency_id)
    return people_with(supervisors, admins)


# Sending ----------------------------------------------------------------------------------


def _notify_user(
    *,
    complaint: Complaint,
    recipient,
    kind: str,
    key: str,
    url_name: str,
    render: Callable[[], tuple[str, str]],
) -> int:
    dedup_key = f"complaint:{complaint.pk}:{key}:{recipient.pk}"
    if Notification.objects.filter(dedup_key=dedup_key).exists():
        return 0
    with translation.override(recipient_language(recipient)):
        title, body = render()
        link = reverse(url_name, args=[complaint.tracking])
    sent = notification_send(
        recipient=recipient,
        kind=f"complaint.{kind}",
        title=title,
        body=body,
        link=link,
        dedup_key=dedup_key,
    )
    return 1 if sent is not None else 0


def _mail(complaint: Complaint, *, key: str, render: Callable[[], tuple[str, str]]) -> int:
    """Queue an e-mail to a complainant without an account (once per ``key``)."""
    from satupintu.complaints import tasks

    dedup_key = f"complaint:{complaint.pk}:{key}:mail"
    if ComplaintMail.objects.filter(dedup_key=dedup_key).exists():
        return 0
    with translation.override(complaint.language or "id"):
        subject, body = render()
        link = settings.SATUPINTU_PUBLIC_URL + reverse(FOLLOW_URL)
        body += "\n\n" + _(
            "Read it at %(link)s with the report number %(tracking)s and the follow-up "
            "code you were given when you sent it."
        ) % {"link": link, "tracking": complaint.tracking}
    mail, created = ComplaintMail.objects.get_or_create(
        dedup_key=dedup_key,
        defaults={"complaint": complaint, "subject": subject[:200], "body": body[:2000]},
    )
    if not created:
        return 0
    mail_id = mail.pk
    transaction.on_commit(lambda: tasks.send_complaint_mail.enqueue(mail_id=mail_id))
    return 1


def _tell_complainant(
    complaint: Complaint, *, kind: str, key: str, render: Callable[[], tuple[str, str]]
) -> int:
    if complaint.complainant_id:
        return _notify_user(
            complaint=complaint,
            recipient=complaint.complainant,
            kind=kind,
            key=key,
            url_name=COMPLAINANT_URL,
            render=render,
        )
    if complaint.email:
        return _mail(complaint, key=key, render=render)
    return 0  # they follow it with the report number and the code


def tell_staff(
    complaint: Complaint,
    people: list,
    *,
    kind: str,
    key: str,
    url_name: str,
    render: Callable[[], tuple[str, str]],
) -> int:
    return sum(
        _notify_user(
            complaint=complaint,
            recipient=person,
            kind=kind,
            key=key,
            url_name=url_name,
            render=render,
        )
        for person in people
    )


@transaction.atomic
def complaint_mail_send(*, mail_id: int) -> bool:
    """Send one complainant e-mail, once: the row is locked, and ``sent_at`` is recorded in
    the same transaction (see ``notifications.services`` for the one window in which a
    message may go out twice)."""
    mail = (
        ComplaintMail.objects.select_for_update(of=("self",))
        .select_related("complaint")
        .filter(pk=mail_id)
        .first()
    )
    if mail is None or mail.sent_at is not None or not mail.complaint.email:
        return False
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "satupintu"
    EmailMessage(
        subject=mail.subject,
        body=mail.body,
        to=[mail.complaint.email],
        headers={"Message-ID": f"<complaint-mail.{mail.pk}.{mail.complaint.public_id}@{domain}>"},
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 15),
    ).send()
    mail.sent_at = timezone.now()
    mail.save(update_fields=["sent_at"])
    return True


# Events ---------------------------------------------------------------------------------


def _filed(complaint: Complaint, data: dict) -> int:
    def render() -> tuple[str, str]:
        facts = facts_of(complaint)
        return (
            _("Report received: %(tracking)s") % facts,
            _(
                "We received your report (%(kind)s). Its report number is %(tracking)s. A "
                "coordinator checks it and sends it to the agency responsible by %(due_date)s."
            )
            % facts,
        )

    return _tell_complainant(complaint, kind="filed", key="filed", render=render)


def _info_requested(complaint: Complaint, data: dict) -> int:
    def render() -> tuple[str, str]:
        facts = facts_of(complaint)
        return (
            _("More information needed: %(tracking)s") % facts,
            _(
                "The coordinator needs more information about your report %(tracking)s. Read "
                "the question on the report's page and answer there; the time limit stops "
                "until you answer."
            )
            % facts,
        )

    key = f"info_requested:{_latest_event(complaint, EventKind.INFO_REQUESTED)}"
    return _tell_complainant(complaint, kind="info_requested", key=key, render=render)


def _routed(complaint: Complaint, data: dict) -> int:
    event = _latest_event(complaint, EventKind.ROUTED)

    def render_for_complainant() -> tuple[str, str]:
        facts = facts_of(complaint)
        return (
            _("Sent to %(agency)s: %(tracking)s") % facts,
            _(
                "Your report %(tracking)s was sent to %(agency)s, which should follow it up "
                "by %(due_date)s."
            )
            % facts,
        )

    def render_for_agency() -> tuple[str, str]:
        facts = facts_of(complaint)
        return (
            _("New complaint: %(tracking)s") % facts,
            _(
                "A report (%(kind)s) was routed to %(agency)s: %(tracking)s. Post the agency's "
                "follow-up by %(due_date)s."
            )
            % facts,
        )

    sent = _tell_complainant(
        complaint, kind="routed", key=f"routed:{event}", render=render_for_complainant
    )
    return sent + tell_staff(
        complaint,
        agency_handlers(complaint),
        kind="routed",
        key=f"routed:{event}",
        url_name=AGENCY_URL,
        render=render_for_agency,
    )


def _rejected(complaint: Complaint, data: dict) -> int:
    def render() -> tuple[str, str]:
        facts = facts_of(complaint)
        return (
            _("Not taken further: %(tracking)s") % facts,
            _("Your report %(tracking)s is not taken further. Read why on its page.") % facts,
        )

    return _tell_complainant(complaint, kind="rejected", key="rejected", render=render)


def _followed_up(complaint: Complaint, data: dict) -> int:
    def render() -> tuple[str, str]:
        facts = facts_of(complaint)
        return (
            _("Follow-up from %(agency)s: %(tracking)s") % facts,
            _(
                "%(agency)s answered your report %(tracking)s. Read the answer on the report's "
                "page. If nobody writes again, the report closes on %(due_date)s."
            )
            % facts,
        )

    key = f"followed_up:{data.get('message_id', '')}"
    return _tell_complainant(complaint, kind="followed_up", key=key, render=render)


def _message(complaint: Complaint, data: dict) -> int:
    message = complaint.messages.filter(pk=data.get("message_id")).first()
    if message is None:
        return 0
    key = f"message:{message.pk}"
    if message.sender == Sender.COMPLAINANT:

        def render_for_staff() -> tuple[str, str]:
            facts = facts_of(complaint)
            return (
                _("New message on complaint %(tracking)s") % facts,
                _("The complainant wrote about complaint %(tracking)s.") % facts,
            )

        if complaint.routed_at is not None and complaint.status != ComplaintStatus.REJECTED:
            people, url_name = agency_handlers(complaint), AGENCY_URL
        else:
            assigned = complaint.coordinator
            people = [assigned] if assigned and assigned.is_active else coordinators()
            url_name = COORDINATOR_URL
        return tell_staff(
            complaint, people, kind="message", key=key, url_name=url_name, render=render_for_staff
        )
    if message.internal:

        def render_note() -> tuple[str, str]:
            facts = facts_of(complaint)
            if message.sender == Sender.AGENCY:
                return (
                    _("Note from %(agency)s on complaint %(tracking)s") % facts,
                    _("%(agency)s left a note for the coordinator on complaint %(tracking)s.")
                    % facts,
                )
            return (
                _("Note from the coordinator on complaint %(tracking)s") % facts,
                _("The complaint coordinator left a note for %(agency)s on complaint %(tracking)s.")
                % facts,
            )

        if message.sender == Sender.AGENCY:
            people = [complaint.coordinator] if complaint.coordinator_id else coordinators()
            url_name = COORDINATOR_URL
        elif complaint.routed_at is not None:
            people, url_name = agency_handlers(complaint), AGENCY_URL
        else:
            return 0
        people = [person for person in people if person.pk != message.author_id]
        return tell_staff(
            complaint, people, kind="note", key=key, url_name=url_name, render=render_note
        )

    def render() -> tuple[str, str]:
        facts = facts_of(complaint)
        facts["who"] = facts["agency"] if message.sender == Sender.AGENCY else _("The coordinator")
        return (
            _("New message about %(tracking)s") % facts,
            _("%(who)s wrote to you about your report %(tracking)s. Read it on the report's page.")
            % facts,
        )

    return _tell_complainant(complaint, kind="message", key=key, render=render)


def _closed(complaint: Complaint, data: dict) -> int:
    def render() -> tuple[str, str]:
        facts = {**facts_of(complaint), "days": deadlines.working_days_for(Step.CLOSE)}
        return (
            _("Closed: %(tracking)s") % facts,
            ngettext(
                "Your report %(tracking)s is closed: nobody wrote again within %(days)d working "
                "day of the agency's last answer.",
                "Your report %(tracking)s is closed: nobody wrote again within %(days)d working "
                "days of the agency's last answer.",
                facts["days"],
            )
            % facts,
        )

    return _tell_complainant(complaint, kind="closed", key="closed", render=render)


def _closed_by_complainant(complaint: Complaint, data: dict) -> int:
    def render() -> tuple[str, str]:
        facts = facts_of(complaint)
        return (
            _("Closed by the complainant: %(tracking)s") % facts,
            _(
                "The complainant closed complaint %(tracking)s: they are satisfied with the "
                "follow-up of %(agency)s."
            )
            % facts,
        )

    return tell_staff(
        complaint,
        agency_handlers(complaint),
        kind="closed",
        key="closed",
        url_name=AGENCY_URL,
        render=render,
    )


def _latest_event(complaint: Complaint, kind: str) -> int | str:
    event = complaint.events.filter(kind=kind).order_by("-created_at", "-id").first()
    return event.pk if event else ""


_EVENTS = {
    "filed": _filed,
    "info_requested": _info_requested,
    "routed": _routed,
    "rejected": _rejected,
    "followed_up": _followed_up,
    "message": _message,
    "closed": _closed,
    "closed_by_complainant": _closed_by_complainant,
}


@transaction.atomic
def complaint_notify(*, complaint: Complaint, kind: str, data: dict[str, Any]) -> int:
    """Tell the people concerned that ``kind`` happened to ``complaint``; returns how many
    notices were new. See the module's notes for who is told what."""
    handler = _EVENTS.get(kind)
    if handler is None:
        logger.warning("Unknown complaint event %r; nobody notified.", kind)
        return 0
    complaint = Complaint.objects.select_related("agency", "complainant", "coordinator").get(
        pk=complaint.pk
    )
    return handler(complaint, data or {})
