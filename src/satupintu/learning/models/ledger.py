from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel
from satupintu.learning.constants import ClaimStatus, JpSource
from satupintu.learning.models.catalogue import Course
from satupintu.learning.models.enrolment import Enrolment
from satupintu.learning.models.sessions import ClassSession


class LearningClaim(BaseModel):
    """Learning done elsewhere that a learner asks HR to count towards their 20 JP."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="learning_claims",
    )
    title = models.CharField(_("what was learned"), max_length=200)
    provider = models.CharField(_("organised by"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    jp = models.DecimalField(_("lesson hours (JP)"), max_digits=5, decimal_places=1)
    certificate = models.FileField(_("certificate"), upload_to="learning/claims/")
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("learning claim")
        verbose_name_plural = _("learning claims")
        constraints = [
            models.CheckConstraint(condition=models.Q(jp__gt=0), name="learning_claim_jp_positive")
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["learner", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} — {self.title}"


class JpEntry(BaseModel):
    """One credit of lesson hours to a learner's yearly ledger.

    ``key`` names what earned it (``course:<id>``, ``session:<id>``, ``claim:<id>``…); one key
    counts once a year per learner, so the same completion reported twice — by a module and by
    an xAPI statement, or by a task that ran twice — credits once.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="jp_entries",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    jp = models.DecimalField(_("lesson hours (JP)"), max_digits=5, decimal_places=1)
    source = models.CharField(_("source"), max_length=12, choices=JpSource.choices)
    key = models.CharField(_("earned by"), max_length=200)
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.SET_NULL, null=True, blank=True
    )
    session = models.ForeignKey(
        ClassSession, verbose_name=_("session"), on_delete=models.SET_NULL, null=True, blank=True
    )
    claim = models.ForeignKey(
        LearningClaim, verbose_name=_("claim"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("JP ledger entry")
        verbose_name_plural = _("JP ledger entries")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "year", "key"], name="learning_jp_key_once"),
            models.CheckConstraint(condition=~models.Q(jp=0), name="learning_jp_not_zero"),
        ]
        indexes = [models.Index(fields=["year", "learner"])]

    def __str__(self) -> str:
        return f"{self.learner} {self.year}: {self.jp} JP ({self.key})"


class Certificate(BaseModel):
    """The certificate of a completed course: a unique number, and a verification code that
    the public verification page checks, like that of an outcome document."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=9, unique=True)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates"
    )
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificate",
    )
    # The learner's name as printed: the certificate stays as issued if the name changes.
    holder_name = models.CharField(_("holder's name"), max_length=200)
    jp = models.DecimalField(_("lesson hours (JP)"), max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField(_("issued"))
    pdf = models.FileField(_("PDF"), upload_to="learning/certificates/", blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["learner", "issued_at"])]

    def __str__(self) -> str:
        return self.number
