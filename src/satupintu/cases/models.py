"""Applications and the cases they become.

A citizen (alone or for a business they represent) fills in a service's form as a
**submission**; submitting it opens one **case** per service at the agency that owns it.
A case moves through the workflow of the service *version* it started on; everything that
happens to it is an **event** on its timeline.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.models import BusinessProfile
from satupintu.cases.constants import Actor, EventKind, SubmissionStatus
from satupintu.catalog.models import LifeEvent, LifeEventVersion, Service, ServiceVersion
from satupintu.core.models import BaseModel
from satupintu.organisations.models import Agency, Partner, Unit


class Submission(BaseModel):
    """What an applicant filled in: a draft until submitted, then the source of its cases."""

    tracking = models.CharField(
        _("tracking number"), max_length=16, unique=True, null=True, blank=True
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    business = models.ForeignKey(
        BusinessProfile,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    service_version = models.ForeignKey(
        ServiceVersion,
        verbose_name=_("service version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    life_event_version = models.ForeignKey(
        LifeEventVersion,
        verbose_name=_("life event version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Set when the submission came with an Idempotency-Key (API) or a form token (pages):
    # the same key from the same applicant never makes a second submission.
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, blank=True)
    # Life events: what the registries said (read once, with the applicant's consent), and
    # which answers came from where, so that the pages can say "from the population registry".
    registry_data = models.JSONField(_("registry data"), default=dict, blank=True)
    prefill_sources = models.JSONField(_("sources of prefilled answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="cases_submission_idempotency",
            ),
            models.CheckConstraint(
                condition=Q(service_version__isnull=False) | Q(life_event_version__isnull=False),
                name="cases_submission_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["applicant", "status", "-updated_at"])]

    def __str__(self) -> str:
        return self.tracking or str(self.public_id)

    @property
    def form_definition(self) -> dict:
        """The form the applicant fills in: the service's, or a life event's shared
        questions in the same shape."""
        if self.service_version_id:
            return self.service_version.definition
        questions = self.life_event_version.definition.get("questions") or []
        return {"form": questions, "requirements": []}

    @property
    def subject(self):
        """The service or the life event applied for (each has ``name`` and ``code``)."""
        if self.service_version_id:
            return self.service_version.service
        return self.life_event_version.life_event


class Case(BaseModel):
    """One service being delivered by one agency for one submission."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="cases"
    )
    # Copies of the submission's applicant and business, which never change once sent: a
    # person's list of cases is then one range of an index in its order (newest first),
    # not a join that sorts every case of theirs before the first page.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    business = models.ForeignKey(
        BusinessProfile,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    service_version = models.ForeignKey(
        ServiceVersion,
        verbose_name=_("service version"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="cases"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    state = models.CharField(_("state"), max_length=64)
    is_open = models.BooleanField(_("open"), default=True)
    is_paused = models.BooleanField(_("waiting on the applicant"), default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    # Due date = the submission date + the service's working days + the working days spent
    # waiting on the applicant. ``paused_since`` is set while the clock is stopped.
    due_date = models.DateField(_("due date"))
    paused_since = models.DateField(_("waiting since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days waiting"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Bumped by every change; an action based on an older version is refused (two officers
    # acting at once: one wins, the other sees the new state).
    version = models.PositiveIntegerField(_("version"), default=1)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    # The answers to this service's form: the submission's own for a single service, or
    # those mapped from a life event's shared answers (and the outcomes it waited for).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # A case of a life event may wait until another case of the same submission reaches a
    # state; until then it is neither open (in no queue, no clock) nor closed.
    waits_for = models.ForeignKey(
        "self",
        verbose_name=_("waits for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
    )
    waits_for_state = models.CharField(_("starts when it reaches"), max_length=64, blank=True)
    is_waiting = models.BooleanField(_("waiting to start"), default=False)
    # Co-production: the partner organisation that fulfils this case's task.
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # A person's cases and a business's, newest first.
            models.Index(
                fields=["applicant", "-submitted_at", "-id"], name="cases_applicant_recent"
            ),
            models.Index(
                fields=["business", "-submitted_at", "-id"],
                condition=Q(business__isnull=False),
                name="cases_business_recent",
            ),
            # The officer's queue: open cases of a unit by due date, paged by (due_date, id).
            models.Index(fields=["unit", "is_open", "due_date", "id"], name="cases_queue"),
            models.Index(fields=["agency", "is_open", "state"], name="cases_agency_state"),
            models.Index(fields=["assigned_to", "is_open", "due_date"], name="cases_assigned"),
            # A partner's task list.
            models.Index(
                fields=["partner", "is_open", "due_date", "id"],
                condition=Q(partner__isnull=False),
                name="cases_partner_tasks",
            ),
            # Monthly figures of a service (received and completed in a month).
            models.Index(fields=["service", "submitted_at"], name="cases_service_submitted"),
            # The population an IKM report samples: served cases closed in a period, by
            # agency or unit (``feedback.selectors.reports.population_served``).
            models.Index(
                fields=["agency", "closed_at"],
                condition=Q(is_open=False, is_waiting=False, outcome__called_off__isnull=True),
                name="cases_served_agency",
            ),
            models.Index(
                fields=["unit", "closed_at"],
                condition=Q(is_open=False, is_waiting=False, outcome__called_off__isnull=True),
                name="cases_served_unit",
            ),
            # The reminder sweep: running cases by due date.
            models.Index(
                fields=["agency", "due_date"],
                condition=Q(is_open=True, is_paused=False),
                name="cases_running_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.public_id}"

    @property
    def definition(self) -> dict:
        return self.service_version.definition

    @property
    def workflow_states(self) -> dict:
        """The states of the case's workflow: given by ``selectors.workflow_states_attach``
        to the cases of a list (one query that reads only this part of the definitions),
        else read from the whole definition."""
        states = self.__dict__.get("_workflow_states")
        if states is None:
            states = self.definition["workflow"]["states"]
        return states

    @property
    def state_definition(self) -> dict:
        return self.workflow_states.get(self.state, {})


class CaseEvent(models.Model):
    """One line of a case's timeline. ``internal`` events are hidden from the applicant."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
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
    actor_role = models.CharField(_("as"), max_length=16, choices=Actor.choices, blank=True)
    from_state = models.CharField(_("from"), max_length=64, blank=True)
    to_state = models.CharField(_("to"), max_length=64, blank=True)
    internal = models.BooleanField(_("internal"), default=False)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Message(BaseModel):
    """A message in a case's thread: between the applicant and the agency, or an internal note
    between officers that the applicant never sees."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_agency = models.BooleanField(_("from the agency"), default=False)
    internal = models.BooleanField(_("internal note"), default=False)
    body = models.TextField(_("message"), max_length=5000)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d %H:%M}"


def document_path(instance: "Document", filename: str) -> str:
    # Opaque names: no personal data (names, NIKs) in paths or URLs.
    return f"documents/{instance.public_id.hex[:2]}/{instance.public_id.hex}"


class Document(BaseModel):
    """An uploaded file: a requirement of a submission, or an attachment to a message."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="documents"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    field_key = models.CharField(_("form field"), max_length=200, blank=True)
    requirement = models.CharField(_("requirement"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A replaced upload stays (the case's history) but no longer counts.
    replaced = models.BooleanField(_("replaced"), default=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["submission", "field_key", "replaced"])]

    def __str__(self) -> str:
        return self.original_name


class OutcomeDocument(BaseModel):
    """The document a case ends with, verifiable by anyone with its code."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="outcome_document"
    )
    number = models.CharField(_("document number"), max_length=100)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_at = models.DateTimeField(_("issued"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="outcomes/", max_length=200, blank=True)

    class Meta:
        verbose_name = _("outcome document")
        verbose_name_plural = _("outcome documents")

    def __str__(self) -> str:
        return self.number


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    STARTED = "started", _("Started")
    DISMISSED = "dismissed", _("Dismissed")


class Suggestion(BaseModel):
    """Proactive service: a completed case sent a signal (a birth registered, a business
    licensed), and a life event that listens for it suggests the services of the event that
    the person has not used yet, with what is already known filled in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    life_event = models.ForeignKey(
        LifeEvent, verbose_name=_("life event"), on_delete=models.CASCADE, related_name="+"
    )
    signal = models.CharField(_("signal"), max_length=64)
    source_case = models.ForeignKey(
        Case, verbose_name=_("because of"), on_delete=models.CASCADE, related_name="+"
    )
    services = models.JSONField(_("services suggested"), default=list)
    answers = models.JSONField(_("known answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("started as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "life_event", "source_case"], name="cases_suggestion_once"
            )
        ]
        indexes = [models.Index(fields=["user", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.life_event_id} for {self.user_id}"


class ServiceMonth(models.Model):
    """How one service's cases went in one month, kept up to date by tasks so that public
    figures over years of cases are sums of a few rows, never scans of millions of cases.

    ``received`` counts the cases submitted (or started, for a case that waited) in the
    month; ``completed`` those that ended in it (called-off ones are not counted),
    ``completed_on_time`` those of them that ended by their due date. ``processing_days`` is
    a histogram of the working days each completed case took, time waiting on the applicant
    left out: ``{"3": 12}`` means twelve cases took three working days. Medians over any
    run of months come from summing histograms.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="months"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))  # the first day of the month
    received = models.PositiveIntegerField(_("received"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    completed_on_time = models.PositiveIntegerField(_("completed on time"), default=0)
    processing_days = models.JSONField(_("working days taken"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service month")
        verbose_name_plural = _("service months")
        constraints = [
            models.UniqueConstraint(fields=["service", "month"], name="cases_service_month_once")
        ]
        indexes = [models.Index(fields=["agency", "month"])]

    def __str__(self) -> str:
        return f"{self.service_id} {self.month:%Y-%m}"
