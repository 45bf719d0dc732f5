from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Actor(models.TextChoices):
    """Who takes a workflow transition (the ``by`` of a definition)."""

    APPLICANT = "applicant", _("Applicant")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER = "partner", _("Partner")
    SYSTEM = "system", _("System")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRANSITION = "transition", _("Status changed")
    CLAIMED = "claimed", _("Claimed")
    ASSIGNED = "assigned", _("Assigned")
    FORWARDED = "forwarded", _("Forwarded to another unit")
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Internal note")
    DOCUMENT = "document", _("Document added")
    REMINDER = "reminder", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated to the supervisor")
    OUTCOME = "outcome", _("Outcome document issued")
    STARTED = "started", _("Started after the case it waited for")
    PARTNER = "partner", _("Given to a partner")


# What a transition may require of the person who takes it.
REQUIREMENT_FIELDS = ("message", "reason", "document_number", "file", "note", "partner")
