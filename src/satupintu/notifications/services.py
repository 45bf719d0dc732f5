"""Writes of notifications: send one (in the inbox, and by e-mail after commit), mark read.

Delivery guarantees
-------------------
*In the inbox* a notification exists at most once per ``dedup_key``: the database holds the
key unique, so a retried task or a sweep that runs twice creates nothing new.

*By e-mail* it is sent at least once and, as far as the database can tell, exactly once:
:func:`notification_email` locks the row, sends only while ``emailed_at`` is empty, and
records ``emailed_at`` in the same transaction. A second worker that picks up the same
notification waits for the lock and then finds it sent. One window remains: when the mail
server has accepted the message and the worker dies (or loses the database) before the
commit, ``emailed_at`` rolls back and a retry sends the message again. No database can close
that window without the mail server's help; every copy therefore carries the same
``Message-ID`` (derived from the notification), which lets mail systems that deduplicate on
it drop the second copy. The opposite order (mark, commit, then send) would lose the e-mail
instead, which is worse for a citizen waiting on a public service.

The lock is held while the mail server answers (at most ``EMAIL_TIMEOUT``, 15 seconds by
default). On PostgreSQL that is one row; on the embedded SQLite database a write
transaction locks the whole file, so other writers wait that long too.
"""

import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from satupintu.notifications.models import Notification
from satupintu.notifications.selectors import notification_get_for_user, recipient_language

logger = logging.getLogger(__name__)

# Seconds to wait for the mail server: the row stays locked while it answers.
EMAIL_TIMEOUT_DEFAULT = 15


@transaction.atomic
def notification_send(
    *,
    recipient,
    kind: str,
    title: str,
    body: str,
    link: str,
    dedup_key: str | None = None,
) -> Notification | None:
    """Put a notification in ``recipient``'s inbox and, once the transaction commits, queue
    its e-mail when the recipient has an address.

    ``title`` and ``body`` are already written in the recipient's language
    (:func:`~satupintu.notifications.selectors.recipient_language`) and hold nothing the
    recipient may not see; ``link`` is a path on this site. Returns the new notification, or
    ``None`` when one with ``dedup_key`` exists already (or the account is inactive): then
    nothing is created and nothing is sent.
    """
    if not recipient.is_active:
        return None
    dedup_key = dedup_key or ""
    if dedup_key and Notification.objects.filter(dedup_key=dedup_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                language=recipient_language(recipient),
                title=title[:200],
                body=body[:2000],
                link=link[:300],
                dedup_key=dedup_key,
            )
    except IntegrityError:
        # Another worker sent the same notification between our check and our insert.
        if dedup_key and Notification.objects.filter(dedup_key=dedup_key).exists():
            return None
        raise
    if recipient.email:
        from satupintu.notifications import tasks

        notification_id = notification.pk
        transaction.on_commit(
            lambda: tasks.send_notification_email.enqueue(notification_id=notification_id)
        )
    return notification


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of ``user``'s notifications as read (again: no change). Anyone else's
    notification is "not found"."""
    notification = notification_get_for_user(user=user, public_id=notification.public_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    """Mark all of ``user``'s notifications as read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _message_id(notification: Notification) -> str:
    # The same on every attempt and every machine, so that a copy sent twice is one message.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "satupintu"
    return f"<notification.{notification.public_id}@{domain}>"


def _absolute(link: str) -> str:
    base = getattr(settings, "SATUPINTU_PUBLIC_URL", "").rstrip("/")
    return f"{base}{link}" if base and link.startswith("/") else link


def _email_text(notification: Notification) -> str:
    lines = [notification.body, ""]
    if notification.link:
        lines.append(_("See it on Satupintu: %(link)s") % {"link": _absolute(notification.link)})
    lines += [
        "",
        "-- ",
        _(
            "Satupintu, one door to public services. This message was sent automatically; "
            "please do not reply to it. Your inbox on Satupintu holds all your notifications."
        ),
    ]
    return "\n".join(lines)


@transaction.atomic
def notification_email(*, notification_id: int) -> bool:
    """E-mail a notification to its recipient, once; returns whether a message went out.

    Nothing is sent when the notification is gone, was e-mailed already, or its recipient
    has no address (any more) or no active account. See the module's notes on the one
    window in which a message can go out twice.
    """
    notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False
    with translation.override(notification.language or recipient_language(recipient)):
        message = EmailMessage(
            subject=notification.title,
            body=_email_text(notification),
            to=[recipient.email],
            headers={"Message-ID": _message_id(notification)},
            connection=get_connection(
                timeout=getattr(settings, "EMAIL_TIMEOUT", None) or EMAIL_TIMEOUT_DEFAULT
            ),
        )
    message.send()
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at", "updated_at"])
    logger.info("Notification %s e-mailed.", notification.public_id)
    return True
