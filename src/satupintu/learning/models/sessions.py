from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.language import Localised
from satupintu.core.models import BaseModel
from satupintu.learning.constants import BookingStatus, CheckInMethod
from satupintu.learning.models.catalogue import Course
from satupintu.learning.models.enrolment import Enrolment


class ClassSession(Localised, BaseModel):
    """A scheduled meeting of a classroom or virtual-classroom course."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    office = models.ForeignKey(
        "organisations.Office",
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="class_sessions",
    )
    room = models.CharField(_("room"), max_length=120, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    capacity = models.PositiveIntegerField(_("seats"))
    jp = models.DecimalField(
        _("lesson hours (JP)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Leave empty to credit the course's JP for attending."),
    )
    # The secret in the session's check-in QR code (shown in the room by the trainer).
    checkin_token = models.CharField(_("check-in code"), max_length=64, unique=True)
    note_id = models.CharField(_("note (Indonesian)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="learning_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="learning_session_has_seats"
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at", "id"]),
            models.Index(fields=["course", "starts_at"]),
            models.Index(fields=["trainer", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"


class SessionBooking(BaseModel):
    """A learner's seat in a session, or their place on its waiting list (by ``created_at``)."""

    session = models.ForeignKey(
        ClassSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="bookings"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="session_bookings",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
    )
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    promoted_at = models.DateTimeField(_("moved off the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    check_in_method = models.CharField(
        _("checked in by"), max_length=8, choices=CheckInMethod.choices, blank=True
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("session booking")
        verbose_name_plural = _("session bookings")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"],
                condition=~models.Q(status=BookingStatus.CANCELLED),
                name="learning_booking_once",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            models.Index(fields=["learner", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} — {self.session} ({self.status})"
