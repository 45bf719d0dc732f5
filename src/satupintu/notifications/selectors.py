"""Reads of notifications, scoped to their recipient: nobody sees another person's inbox."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound
from satupintu.core.keyset import after_q
from satupintu.core.language import LANGUAGE_CODES
from satupintu.notifications.models import Notification


def recipient_language(user) -> str:
    """The language to write to ``user`` in: their own choice when the account has one (a
    ``language`` attribute), else the platform's default, Indonesian."""
    language = (getattr(user, "language", "") or "")[:2]
    if language in LANGUAGE_CODES:
        return language
    default = settings.LANGUAGE_CODE[:2]
    return default if default in LANGUAGE_CODES else "id"


@dataclass(frozen=True)
class InboxPage:
    notifications: list[Notification]
    # The public id of the last notification shown, to ask for the next page with; None on
    # the last page.
    next_after: uuid.UUID | None


def notification_inbox(
    *, user, after: uuid.UUID | str | None = None, limit: int | None = None
) -> InboxPage:
    """A page of ``user``'s notifications, newest first, after the notification ``after``
    (its public id, as the page's link carries it: no sequential ids in URLs).

    Keyset pagination on (created_at, id) with the matching index: a deep page costs what
    the first one costs. An ``after`` that is not one of the user's notifications starts
    from the top.
    """
    limit = limit or settings.SATUPINTU_PAGE_SIZE
    notifications = Notification.objects.filter(recipient=user)
    if after:
        try:
            after_id = uuid.UUID(str(after))
        except ValueError:
            after_id = None
        key = (
            Notification.objects.filter(recipient=user, public_id=after_id)
            .values_list("created_at", "id")
            .first()
            if after_id
            else None
        )
        if key is not None:
            created_at, last_id = key
            notifications = notifications.filter(
                after_q(["created_at", "id"], (created_at, last_id), descending=True)
            )
    rows = list(notifications.order_by("-created_at", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return InboxPage(notifications=rows, next_after=rows[-1].public_id if more else None)


def notification_unread_count(*, user) -> int:
    """How many of ``user``'s notifications are unread."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(*, user, public_id) -> Notification:
    """One of ``user``'s own notifications; anyone else's is "not found"."""
    notification = Notification.objects.filter(recipient=user, public_id=public_id).first()
    if notification is None:
        raise NotFound(_("There is no such notification in your inbox."))
    return notification
