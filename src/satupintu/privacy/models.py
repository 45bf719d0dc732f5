"""Data protection (UU PDP 27/2022): the retention rules per kind of record, the requests of
a data subject to correct or delete their data, and the register of personal-data breaches.

A request is answered within 3×24 hours of its receipt (``due_at``); a breach is notified to
the people concerned and to the authority within 3×24 hours of its discovery
(``notify_due_at``). The sweep reminds the data protection officers when half of the time is
gone and escalates to the platform's administrators when it has run out (``reminded_at``,
``escalated_at``: once each).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.language import Localised
from satupintu.core.models import BaseModel
from satupintu.privacy.constants import (
    ALLOWED_ACTIONS,
    PERIOD_STARTS,
    WITHOUT_PERIOD,
    CorrectableField,
    DeletionScope,
    EndAction,
    RecordKind,
    RequestKind,
    RequestStatus,
)


def _allowed_actions() -> Q:
    allowed = Q()
    for kind, actions in ALLOWED_ACTIONS.items():
        allowed |= Q(kind=kind, action__in=list(actions))
    return allowed


class RetentionRule(Localised, BaseModel):
    """How long one kind of record is kept, what happens to it then, and why.

    ``period_days`` counts from the kind's own moment (``PERIOD_STARTS``: a case's closing, a
    notification's sending…); at its end the sweep applies ``action``. ``kept_on_request``
    says that a law requires the records for the whole period, so that a person's request to
    delete them keeps them until it ends; otherwise the request makes them go at once.
    """

    kind = models.CharField(
        _("kind of record"), max_length=20, choices=RecordKind.choices, unique=True
    )
    period_days = models.PositiveIntegerField(
        _("kept for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: no end of its own (kept, or gone only on the person's request)."),
    )
    action = models.CharField(_("at the end"), max_length=12, choices=EndAction.choices)
    kept_on_request = models.BooleanField(
        _("kept when the person asks for deletion"),
        default=False,
        help_text=_("A law requires these records for the whole period."),
    )
    legal_basis_id = models.TextField(_("legal basis (Indonesian)"))
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    # The sweep applies a rule once a day, and remembers up to when it has applied it.
    swept_on = models.DateField(_("last applied"), null=True, blank=True, editable=False)
    swept_until = models.DateTimeField(_("applied up to"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=_allowed_actions(), name="privacy_rule_action_allowed"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(WITHOUT_PERIOD)) | Q(period_days__isnull=True),
                name="privacy_rule_no_period_for_kind",
            ),
            # What is kept for good has no end to count to.
            models.CheckConstraint(
                condition=~Q(action=EndAction.KEEP) | Q(period_days__isnull=True),
                name="privacy_rule_keep_without_period",
            ),
            # Kept records stay when the person asks; others go.
            models.CheckConstraint(
                condition=~Q(action=EndAction.KEEP) | Q(kept_on_request=True),
                name="privacy_rule_kept_on_request",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        errors = {}
        if self.action not in ALLOWED_ACTIONS.get(self.kind, ()):
            labels = ", ".join(str(EndAction(a).label) for a in ALLOWED_ACTIONS.get(self.kind, ()))
            errors["action"] = _("For this kind of record: %(actions)s.") % {"actions": labels}
        if self.period_days is not None and (
            self.kind in WITHOUT_PERIOD or self.action == EndAction.KEEP
        ):
            errors["period_days"] = _("Leave it empty: these records have no end of their own.")
        if self.action == EndAction.KEEP and not self.kept_on_request:
            errors["kept_on_request"] = _("Records that are kept are kept on request too.")
        if errors:
            raise ValidationError(errors)

    @property
    def legal_basis(self) -> str:
        return self.localised("legal_basis")

    @property
    def starts(self) -> str:
        return str(PERIOD_STARTS.get(self.kind, ""))


class DataRequest(BaseModel):
    """A person's request to correct or delete their data (UU PDP arts. 6 and 8)."""

    tracking = models.CharField(_("reference"), max_length=16, unique=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    # A correction: which data is wrong and what it should be.
    field = models.CharField(
        _("data to correct"), max_length=16, choices=CorrectableField.choices, blank=True
    )
    proposed_value = models.CharField(_("what it should be"), max_length=300, blank=True)
    # A deletion: everything, or one kind of record.
    scope = models.CharField(
        _("what to delete"), max_length=16, choices=DeletionScope.choices, blank=True
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("to be answered by"))
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    # What a deletion did: {"erased": [{kind, count}], "kept": [{kind, count, until, open}]}.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        verbose_name = _("request about personal data")
        verbose_name_plural = _("requests about personal data")
        indexes = [
            # The officers' queue: open requests by due time, paged by (due_at, id).
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status=RequestStatus.OPEN),
                name="privacy_request_queue",
            ),
            models.Index(fields=["-due_at", "-id"], name="privacy_request_by_due"),
            # A person's requests, newest first.
            models.Index(fields=["requester", "-received_at", "-id"], name="privacy_request_mine"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RequestKind.CORRECTION, scope="") & ~Q(field="")
                | Q(kind=RequestKind.DELETION, field="", proposed_value="") & ~Q(scope=""),
                name="privacy_request_kind_fields",
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.OPEN, answered_at__isnull=True)
                | ~Q(status=RequestStatus.OPEN) & Q(answered_at__isnull=False),
                name="privacy_request_answered_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REFUSED) | ~Q(answer=""),
                name="privacy_request_refusal_has_reason",
            ),
            # One open deletion request per person and scope: asking twice changes nothing.
            models.UniqueConstraint(
                fields=["requester", "scope"],
                condition=Q(kind=RequestKind.DELETION, status=RequestStatus.OPEN),
                name="privacy_request_one_open_deletion",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def subject_text(self) -> str:
        """What the request is about, in a few words."""
        if self.kind == RequestKind.CORRECTION:
            return str(self.get_field_display())
        return str(self.get_scope_display())


class Breach(BaseModel):
    """A personal-data breach (kegagalan pelindungan data pribadi) and its notification: to
    the people concerned and to the authority within 3×24 hours of its discovery, saying which
    data were disclosed, when and how, and what is done to handle it (UU PDP art. 46)."""

    tracking = models.CharField(_("reference"), max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered"))
    occurred_at = models.DateTimeField(_("happened"), null=True, blank=True)
    description = models.TextField(_("what happened"), max_length=5000)
    data_kinds = models.JSONField(_("kinds of personal data"), default=list)
    data_other = models.CharField(_("other data"), max_length=300, blank=True)
    people_affected = models.PositiveIntegerField(_("people affected"))
    cause = models.TextField(_("cause"), max_length=5000, blank=True)
    measures = models.TextField(_("measures taken"), max_length=5000)
    contact = models.CharField(_("contact for questions"), max_length=300, blank=True)
    notify_due_at = models.DateTimeField(_("to be notified by"))
    subjects_notified_at = models.DateTimeField(_("people notified"), null=True, blank=True)
    authority_notified_at = models.DateTimeField(_("authority notified"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        indexes = [
            # Breaches still to notify, by deadline.
            models.Index(
                fields=["notify_due_at", "id"],
                condition=Q(subjects_notified_at__isnull=True)
                | Q(authority_notified_at__isnull=True),
                name="privacy_breach_pending",
            ),
            models.Index(fields=["-notify_due_at", "-id"], name="privacy_breach_by_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_at__isnull=True)
                | Q(occurred_at__lte=models.F("discovered_at")),
                name="privacy_breach_happened_before_discovery",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking

    @property
    def is_notified(self) -> bool:
        """Both the people concerned and the authority have been told."""
        return self.subjects_notified_at is not None and self.authority_notified_at is not None
