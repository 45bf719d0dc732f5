import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every table of the platform: an opaque public id for URLs, and when it changed."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One line of the append-only audit trail: who did what to which object, and when.

    Rows are written by ``core.services.audit_record`` in the same transaction as the change
    they describe, and are never updated or deleted by the application.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    # The person whose data was read or changed, so that a citizen can see the history
    # of processing of their own data (UU PDP).
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("data subject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at"]),
            models.Index(fields=["subject", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class NonWorkingDayKind(models.TextChoices):
    COLLECTIVE_LEAVE = "collective_leave", _("Collective leave (cuti bersama)")
    HOLIDAY = "holiday", _("Additional holiday")
    CLOSURE = "closure", _("Agency closure")
    WORKING_DAY = "working_day", _("Working day (overrides a holiday)")


class NonWorkingDay(models.Model):
    """A day that the national holiday calendar does not know about.

    Collective leave is decreed each year; an agency may close for a day (``agency`` set);
    a decree may also move a holiday, which an operator records as a ``working_day``.
    """

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=NonWorkingDayKind.choices)
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Leave empty for a day that applies to every agency."),
    )

    class Meta:
        verbose_name = _("non-working day")
        verbose_name_plural = _("non-working days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "agency"], name="core_nonworkingday_unique_per_agency"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="core_nonworkingday_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
