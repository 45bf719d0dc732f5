"""Satisfaction surveys (IKM): invitations, anonymous responses, the providers' follow-up
plans, and the performance signals that feed officers' learning needs.

Anonymity by construction. An **invitation** belongs to a case (one per case) and holds only
the SHA-256 of its one-time token and whether it was answered. A **response** holds no link
to its invitation, its case or a person: only the service, unit, agency and office it is
about, the day (not the time) it came in, and a random primary key, so that neither a join
nor the order of rows ties an answer to an invitation. "One response per case" is kept by
the invitation: answering flips its ``answered`` flag with a conditional update in the same
transaction that stores the response, and a second attempt finds it flipped.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.cases.models import Case
from satupintu.catalog.models import Service
from satupintu.core.models import BaseModel
from satupintu.feedback.constants import (
    SUGGESTION_MAX_LENGTH,
    AgeBand,
    Channel,
    Education,
    Occupation,
    RespondentSex,
    ScopeKind,
)
from satupintu.organisations.models import Agency, Office, Unit


class SurveyInvitation(BaseModel):
    """The invitation of a closed case's applicant to the survey, by a one-time link."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="survey_invitation"
    )
    # Copied from the case, to count invitations per scope without joining cases.
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    # Only the hash: the token itself travels in the link and is never stored here.
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        indexes = [
            models.Index(fields=["agency", "created_at"], name="feedback_invitation_agency"),
            models.Index(fields=["service", "created_at"], name="feedback_invitation_service"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


def _response_id() -> uuid.UUID:
    return uuid.uuid4()


class SurveyResponse(models.Model):
    """One anonymous answer to the survey: up to nine element scores (1–4, by code), a
    suggestion and the optional respondent profile."""

    # Random, so that the order of rows says nothing about the order of answers.
    id = models.UUIDField(primary_key=True, default=_response_id, editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("public service centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The day only: a time would let anyone match an answer to the invitation it came from.
    submitted_on = models.DateField(_("date"))
    u1 = models.PositiveSmallIntegerField(_("U1 requirements"), null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(_("U2 procedure"), null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(_("U3 time"), null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(_("U4 cost"), null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(_("U5 product"), null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(_("U6 competence"), null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(_("U7 behaviour"), null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(_("U8 complaints"), null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(_("U9 facilities"), null=True, blank=True)
    suggestion = models.TextField(_("suggestion"), max_length=SUGGESTION_MAX_LENGTH, blank=True)
    age_band = models.CharField(_("age"), max_length=16, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=RespondentSex.choices, blank=True)
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=16, choices=Occupation.choices, blank=True
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"u{n}__isnull": True}) | Q(**{f"u{n}__range": (1, 4)}),
                    name=f"feedback_response_u{n}_scale",
                )
                for n in range(1, 10)
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.COUNTER) | Q(office__isnull=True),
                name="feedback_response_office_at_counter",
            ),
        ]
        indexes = [
            # The reports: one scope by date (SUM and COUNT per element over a range).
            models.Index(fields=["agency", "submitted_on"], name="feedback_response_agency"),
            models.Index(fields=["unit", "submitted_on"], name="feedback_response_unit"),
            models.Index(fields=["service", "submitted_on"], name="feedback_response_service"),
            models.Index(
                fields=["office", "submitted_on"],
                condition=Q(office__isnull=False),
                name="feedback_response_office",
            ),
            models.Index(fields=["submitted_on"], name="feedback_response_date"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.submitted_on:%Y-%m-%d}"


class FollowUpPlan(BaseModel):
    """What the provider commits to do about a period's results, for one scope; published
    with the report (``is_published``: the report of this scope and period may be shown to
    the public)."""

    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    # "agency:12", "unit:4", "service:31", "office:2": one plan per scope and period.
    scope_key = models.CharField(_("scope key"), max_length=40)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("public service centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    plan = models.TextField(_("follow-up plan"), max_length=5000)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        ordering = ["-period_start", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_key", "period_start", "period_end"], name="feedback_followup_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="feedback_followup_period",
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "-period_start"],
                condition=Q(is_published=True),
                name="feedback_followup_published",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope_key} {self.period_start:%Y-%m-%d}..{self.period_end:%Y-%m-%d}"


class ServicePerformanceSignal(BaseModel):
    """How one service did in one quarter, for the Workforce pillar: its weak IKM elements
    and its share of overdue cases. Computed by ``service_signals_compute``."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    ikm_index = models.DecimalField(
        _("IKM index"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("IKM grade"), max_length=1, blank=True)
    # [{"code": "U3", "nrr": "2.75"}, …], weakest first.
    weak_elements = models.JSONField(_("weak elements"), default=list, blank=True)
    cases_due = models.PositiveIntegerField(_("cases due in the period"), default=0)
    cases_overdue = models.PositiveIntegerField(_("cases overdue"), default=0)
    overdue_share = models.DecimalField(
        _("share of cases overdue"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("service performance signal")
        verbose_name_plural = _("service performance signals")
        ordering = ["-period_start", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period_start", "period_end"], name="feedback_signal_once"
            )
        ]
        indexes = [models.Index(fields=["agency", "-period_start"], name="feedback_signal_agency")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.period_start:%Y-%m-%d}"


class ServiceCentreStaff(BaseModel):
    """A person who works at a public service centre (MPP): they collect surveys at its
    counters for the services offered there, and see the centre's reports."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="service_centres",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("public service centre"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("service centre staff member")
        verbose_name_plural = _("service centre staff")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="feedback_centre_staff_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.office}"
