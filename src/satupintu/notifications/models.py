"""Notifications: one line in a person's inbox, and the e-mail that may go with it.

A notification is written in its recipient's language when it is sent, and says no more
than the recipient may see anyway (the service, a tracking number, a status, a date): the
details stay behind its link, on pages that check who is asking.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel


class Notification(BaseModel):
    """One notification for one person."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        # A person's notifications go with their account (a deletion request under UU PDP).
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Free text rather than choices: every app adds its own kinds ("case.submitted",
    # "case.reminder", …) without a migration here. Named "<app>.<event>".
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=8, default="id")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=2000)
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # Whoever sends the same notification twice (a retried task, a sweep that runs twice)
    # passes the same key, and the database keeps one. Empty: no key (like
    # Submission.idempotency_key: unique when set, without NULL strings).
    dedup_key = models.CharField(_("deduplication key"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=~Q(dedup_key=""),
                name="notifications_dedup_key_unique",
            )
        ]
        indexes = [
            # The inbox: a person's notifications, newest first, paged by (created_at, id).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_inbox"),
            # The unread count.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def path(self) -> str:
        """The link when it is a path on this site (never another site's address)."""
        link = self.link
        return link if link.startswith("/") and not link.startswith("//") else ""
