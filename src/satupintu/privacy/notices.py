"""Who is told what about requests and breaches, in their inbox (and by e-mail, as every
notification).

A notice names the request's reference, its kind and its deadline, never the person or the
data: the rest is behind the link, on pages that check who asks. Every notice carries a
deduplication key, so that a sweep or a retry that runs twice tells nobody twice.

The one exception is the answer to a deletion that closes the person's account: the account
can then no longer receive anything, so the answer goes straight to the e-mail address the
account had, once the deletion has committed, and the address is kept nowhere.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from satupintu.notifications.selectors import recipient_language
from satupintu.notifications.services import notification_send
from satupintu.privacy import selectors
from satupintu.privacy.models import Breach, DataRequest

logger = logging.getLogger(__name__)

# Seconds to wait for the mail server when a deletion's answer is sent directly.
MAIL_TIMEOUT = 15


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def request_facts(data_request: DataRequest) -> dict[str, Any]:
    """What a notice may say about a request, in the active language."""
    return {
        "tracking": data_request.tracking,
        "kind": data_request.get_kind_display(),
        "subject": data_request.subject_text,
        "due": _moment(data_request.due_at),
    }


def breach_facts(breach: Breach) -> dict[str, Any]:
    return {"tracking": breach.tracking, "due": _moment(breach.notify_due_at)}


def _send(
    people: list,
    *,
    kind: str,
    key: str,
    link: Callable[[], str],
    render: Callable[[], tuple[str, str]],
) -> int:
    """Tell each of ``people`` in their own language, once per ``key``; returns how many
    notices were new."""
    sent = 0
    for person in people:
        with translation.override(recipient_language(person)):
            title, body = render()
            address = link()
        created = notification_send(
            recipient=person,
            kind=kind,
            title=title,
            body=body,
            link=address,
            dedup_key=f"{key}:{person.pk}",
        )
        sent += created is not None
    return sent


def _officer_link(data_request: DataRequest) -> Callable[[], str]:
    return lambda: reverse("privacy:request", args=[data_request.tracking])


def request_received(data_request: DataRequest) -> int:
    """Tell the data protection officers that a request came in."""

    def render() -> tuple[str, str]:
        facts = request_facts(data_request)
        return (
            _("New request about personal data: %(tracking)s") % facts,
            _("A %(kind)s request (%(subject)s) came in; answer it by %(due)s.") % facts,
        )

    return _send(
        selectors.officers(),
        kind="privacy.request_received",
        key=f"privacy:request:{data_request.pk}:received",
        link=_officer_link(data_request),
        render=render,
    )


def request_answered(data_request: DataRequest) -> int:
    """Tell the person that their request was answered (carried out or refused)."""

    def render() -> tuple[str, str]:
        facts = request_facts(data_request)
        if data_request.status == "refused":
            return (
                _("Your request %(tracking)s was refused") % facts,
                _("Your %(kind)s request (%(subject)s) was refused. Read why on its page.") % facts,
            )
        return (
            _("Your request %(tracking)s was carried out") % facts,
            _("Your %(kind)s request (%(subject)s) was carried out. Read the answer on its page.")
            % facts,
        )

    return _send(
        [data_request.requester],
        kind="privacy.request_answered",
        key=f"privacy:request:{data_request.pk}:answered",
        link=lambda: reverse("privacy:my_request", args=[data_request.tracking]),
        render=render,
    )


def request_reminder(data_request: DataRequest) -> int:
    """Half of the time is gone: remind the officers."""

    def render() -> tuple[str, str]:
        facts = request_facts(data_request)
        return (
            _("Due soon: request %(tracking)s") % facts,
            _("The %(kind)s request %(tracking)s must be answered by %(due)s.") % facts,
        )

    return _send(
        selectors.officers(),
        kind="privacy.request_reminder",
        key=f"privacy:request:{data_request.pk}:reminder",
        link=_officer_link(data_request),
        render=render,
    )


def request_escalation(data_request: DataRequest) -> int:
    """The time has run out: tell the platform's administrators (and the officers)."""

    def render() -> tuple[str, str]:
        facts = request_facts(data_request)
        return (
            _("Overdue: request %(tracking)s") % facts,
            _(
                "The %(kind)s request %(tracking)s was due by %(due)s and is not answered. "
                "UU PDP gives 3×24 hours."
            )
            % facts,
        )

    people = {person.pk: person for person in selectors.platform_administrators()}
    people.update({person.pk: person for person in selectors.officers()})
    return _send(
        list(people.values()),
        kind="privacy.request_escalated",
        key=f"privacy:request:{data_request.pk}:escalated",
        link=_officer_link(data_request),
        render=render,
    )


def breach_reminder(breach: Breach) -> int:
    def render() -> tuple[str, str]:
        facts = breach_facts(breach)
        return (
            _("Due soon: notice of breach %(tracking)s") % facts,
            _(
                "The people concerned and the authority must be told of breach %(tracking)s "
                "by %(due)s."
            )
            % facts,
        )

    return _send(
        selectors.officers(),
        kind="privacy.breach_reminder",
        key=f"privacy:breach:{breach.pk}:reminder",
        link=lambda: reverse("privacy:breach", args=[breach.tracking]),
        render=render,
    )


def breach_escalation(breach: Breach) -> int:
    def render() -> tuple[str, str]:
        facts = breach_facts(breach)
        return (
            _("Overdue: notice of breach %(tracking)s") % facts,
            _(
                "Breach %(tracking)s had to be notified by %(due)s (UU PDP art. 46: 3×24 "
                "hours) and is not yet."
            )
            % facts,
        )

    people = {person.pk: person for person in selectors.platform_administrators()}
    people.update({person.pk: person for person in selectors.officers()})
    return _send(
        list(people.values()),
        kind="privacy.breach_escalated",
        key=f"privacy:breach:{breach.pk}:escalated",
        link=lambda: reverse("privacy:breach", args=[breach.tracking]),
        render=render,
    )


def mail_after_commit(*, address: str, language: str, render: Callable[[], tuple[str, str]]):
    """Send one e-mail to ``address`` once the current transaction commits: for the answer to
    a deletion that leaves the account with no address and no inbox. A failure is logged
    without the address."""
    if not address:
        return
    with translation.override(language):
        subject, body = render()

    def send() -> None:
        try:
            EmailMessage(
                subject=subject[:200],
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
                connection=get_connection(timeout=MAIL_TIMEOUT),
            ).send()
        except Exception as error:  # the deletion stands; the answer is on record
            logger.warning(
                "The answer to a deletion request was not e-mailed: %s", type(error).__name__
            )

    transaction.on_commit(send)
