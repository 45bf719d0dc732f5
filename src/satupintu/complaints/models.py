"""Complaints, aspirations, information requests and whistle-blowing reports (the
SP4N-LAPOR! flow).

Anyone files one, signed in or not. A platform-level **coordinator** verifies it and routes
it to the responsible agency (or rejects it, or asks the complainant for more); the agency
posts its **follow-up**; the complaint **closes** some working days after the last answer.
``due_date`` is the deadline of the step the complaint is in (see
:mod:`satupintu.complaints.deadlines`); everything that happens is an event on its timeline.

Identity: a signed-in complainant is ``complainant``; someone without an account may leave a
name, an e-mail and a phone. An **anonymous** complaint keeps no name and no phone at all
(the database refuses them); its account or e-mail serves only to tell the complainant that
there is news, and no page, API answer, export or notice for staff shows either.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.cases.models import Case
from satupintu.catalog.models import Service
from satupintu.complaints.constants import (
    BODY_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ComplaintKind,
    ComplaintStatus,
    EventKind,
    RejectionReason,
    Sender,
)
from satupintu.core.models import BaseModel
from satupintu.organisations.models import Agency, Unit


class Complaint(BaseModel):
    """One report to the platform's complaint channel."""

    tracking = models.CharField(_("report number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ComplaintKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("description"), max_length=BODY_MAX_LENGTH)
    # What it is about: a service, an agency, or one of the complainant's own cases. ``agency``
    # is the responsible agency: a candidate until the coordinator routes the complaint.
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # Who: an account, or what a person without one left. Never shown for anonymous ones.
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("complainant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=8, default="id")
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    # SHA-256 of the follow-up code of a complainant without an account (see codes.py).
    follow_up_code_hash = models.CharField(_("follow-up code hash"), max_length=64, blank=True)
    # SHA-256 of the Idempotency-Key (API) or form token (pages) it came with.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    # The clock: ``due_date`` is the deadline of the current step, which started on
    # ``step_started_on``; while the complainant is asked for more, ``paused_since`` is set
    # and the working days spent waiting add up in ``paused_working_days``.
    submitted_at = models.DateTimeField(_("submitted"))
    is_open = models.BooleanField(_("open"), default=True)
    is_paused = models.BooleanField(_("waiting on the complainant"), default=False)
    due_date = models.DateField(_("due date"))
    step_started_on = models.DateField(_("step started"))
    paused_since = models.DateField(_("waiting since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days waiting"), default=0)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("first follow-up"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejecting"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("explanation"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.UniqueConstraint(
                fields=["complainant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="complaints_idempotency_per_account",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key="") & Q(complainant__isnull=True),
                name="complaints_idempotency_without_account",
            ),
            # Someone can always follow it: its account, or the holder of its code.
            models.CheckConstraint(
                condition=Q(complainant__isnull=False) | ~Q(follow_up_code_hash=""),
                name="complaints_can_be_followed",
            ),
            # An anonymous complaint keeps no name and no phone number.
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | (Q(name="") & Q(phone="")),
                name="complaints_anonymous_keeps_no_identity",
            ),
            models.CheckConstraint(
                condition=~Q(status=ComplaintStatus.REJECTED) | ~Q(rejection_reason=""),
                name="complaints_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(routed_at__isnull=True) | Q(agency__isnull=False),
                name="complaints_routed_has_agency",
            ),
        ]
        indexes = [
            # The coordinator's queue: open complaints by due date, paged by (due_date, id).
            models.Index(fields=["is_open", "status", "due_date", "id"], name="complaints_queue"),
            # An agency's queue.
            models.Index(
                fields=["agency", "is_open", "due_date", "id"],
                condition=Q(routed_at__isnull=False),
                name="complaints_agency_queue",
            ),
            # A complainant's list, newest first.
            models.Index(
                fields=["complainant", "-submitted_at", "-id"], name="complaints_by_complainant"
            ),
            # The public list: published complaints, newest first.
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=Q(is_confidential=False, routed_at__isnull=False),
                name="complaints_public",
            ),
            # Numbers per agency and period.
            models.Index(fields=["agency", "submitted_at"], name="complaints_stats"),
            # The sweep: running complaints by due date.
            models.Index(
                fields=["status", "due_date"],
                condition=Q(is_open=True, is_paused=False),
                name="complaints_running_due",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking

    @property
    def is_final(self) -> bool:
        return self.status in {ComplaintStatus.CLOSED, ComplaintStatus.REJECTED}

    @property
    def has_contact(self) -> bool:
        """Whether the platform can tell the complainant that there is news (an account or an
        e-mail address): all that a coordinator learns of an anonymous complainant."""
        return bool(self.complainant_id or self.email)


class ComplaintMessage(BaseModel):
    """A message about a complaint: between the complainant and the coordinator or the
    agency, or an ``internal`` note between the coordinator and the agency. A follow-up is the
    agency's message that answers the complaint (``is_follow_up``)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="messages"
    )
    # Empty for a complainant without an account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sender = models.CharField(_("from"), max_length=16, choices=Sender.choices)
    internal = models.BooleanField(_("internal note"), default=False)
    is_follow_up = models.BooleanField(_("follow-up"), default=False)
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)

    class Meta:
        verbose_name = _("complaint message")
        verbose_name_plural = _("complaint messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["complaint", "created_at"], name="complaints_message_thread")
        ]
        constraints = [
            # The complainant writes to the staff, never an internal note.
            models.CheckConstraint(
                condition=~Q(sender=Sender.COMPLAINANT) | Q(internal=False, is_follow_up=False),
                name="complaints_message_complainant_not_internal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d %H:%M}"


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline. ``internal`` events are hidden from the
    complainant. A reminder or escalation of the sweep carries a ``sweep_key`` (kind, step and
    day), which the database holds unique: the sweep acts once a day per complaint and step
    however often it runs."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.CharField(_("as"), max_length=16, choices=Sender.choices)
    internal = models.BooleanField(_("internal"), default=False)
    data = models.JSONField(_("details"), default=dict, blank=True)
    sweep_key = models.CharField(_("sweep key"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["complaint", "created_at"], name="complaints_event_timeline")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "sweep_key"],
                condition=~Q(sweep_key=""),
                name="complaints_sweep_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class ComplaintMail(models.Model):
    """An e-mail that tells a complainant without an account that their complaint has news.
    It says no more than a notification would; ``dedup_key`` makes it once per event, and
    ``sent_at`` once per attempt that succeeded (see ``notices.complaint_mail_send``)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="mails"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=2000)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint e-mail")
        verbose_name_plural = _("complaint e-mails")

    def __str__(self) -> str:
        return self.dedup_key
