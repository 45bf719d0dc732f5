"""The words of data protection (UU PDP 27/2022): requests of a data subject, the kinds of
record that retention rules govern, what happens at the end of a period, and the kinds of
personal data a breach may disclose."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# A data subject's request is answered within 3×24 hours of its receipt, and a breach is
# notified within 3×24 hours of its discovery (UU PDP art. 46): clock hours, not working days.
RESPONSE_TIME = datetime.timedelta(hours=72)
# The handlers are reminded when this share of the time is gone.
REMIND_AFTER = RESPONSE_TIME / 2


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    DELETION = "deletion", _("Deletion")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Received, being handled")
    DONE = "done", _("Carried out")
    REFUSED = "refused", _("Refused")


class CorrectableField(models.TextChoices):
    """What a person may ask to have corrected, as they know it; each maps to fields of the
    account and the citizen profile (see ``services.requests``)."""

    NAME = "name", _("Name")
    NIK = "nik", _("NIK")
    BIRTH_DATE = "birth_date", _("Date of birth")
    SEX = "sex", _("Sex")
    ADDRESS = "address", _("Street address")
    REGION_CODE = "region_code", _("Village or district code")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail address")
    OTHER = "other", _("Something else")


# Fields that only a citizen profile holds.
CITIZEN_FIELDS = {
    CorrectableField.NIK,
    CorrectableField.BIRTH_DATE,
    CorrectableField.SEX,
    CorrectableField.ADDRESS,
    CorrectableField.REGION_CODE,
}


class RecordKind(models.TextChoices):
    """The kinds of record that a retention rule governs."""

    ACCOUNT = "account", _("Account and citizen profile")
    DRAFTS = "drafts", _("Draft applications and their uploads")
    CASES = "cases", _("Applications and cases with their documents")
    COMPLAINTS = "complaints", _("Complaints")
    NOTIFICATIONS = "notifications", _("Notifications")
    SUGGESTIONS = "suggestions", _("Suggested services")
    CONSENTS = "consents", _("Consents")
    LEARNING = "learning", _("Employee profile and learning records")
    AUDIT = "audit", _("Processing history and requests about your data")


# From when each kind's period counts…
PERIOD_STARTS = {
    RecordKind.DRAFTS: _("the last change to the draft"),
    RecordKind.CASES: _("the closing of the application's last case"),
    RecordKind.COMPLAINTS: _("the closing of the complaint"),
    RecordKind.NOTIFICATIONS: _("the sending of the notification"),
    RecordKind.SUGGESTIONS: _("the making of the suggestion"),
    RecordKind.CONSENTS: _("the withdrawal or the decline"),
}
# …and how long the kinds without a period are kept.
WITHOUT_PERIOD_TEXT = {
    RecordKind.ACCOUNT: _("Until you ask for deletion"),
    RecordKind.LEARNING: _("With the personnel record"),
    RecordKind.AUDIT: _("For good"),
}


class EndAction(models.TextChoices):
    DELETE = "delete", _("Delete")
    ANONYMISE = "anonymise", _("Anonymise")
    KEEP = "keep", _("Keep")


# What each kind of record can become at the end of its period. An account cannot be deleted
# (the audit trail and kept cases point to it); it is anonymised. A case, a complaint and a
# learning record stay for the figures of public services; at most they lose who they were.
ALLOWED_ACTIONS: dict[str, tuple[str, ...]] = {
    RecordKind.ACCOUNT: (EndAction.ANONYMISE,),
    RecordKind.DRAFTS: (EndAction.DELETE, EndAction.KEEP),
    RecordKind.CASES: (EndAction.ANONYMISE, EndAction.KEEP),
    RecordKind.COMPLAINTS: (EndAction.ANONYMISE, EndAction.KEEP),
    RecordKind.NOTIFICATIONS: (EndAction.DELETE, EndAction.KEEP),
    RecordKind.SUGGESTIONS: (EndAction.DELETE, EndAction.KEEP),
    RecordKind.CONSENTS: (EndAction.DELETE, EndAction.KEEP),
    RecordKind.LEARNING: (EndAction.KEEP,),
    RecordKind.AUDIT: (EndAction.KEEP,),
}

# Kinds whose period cannot be set: the account goes on request only; the others are kept.
WITHOUT_PERIOD = {RecordKind.ACCOUNT, RecordKind.LEARNING, RecordKind.AUDIT}


class DeletionScope(models.TextChoices):
    """What a person may ask to have deleted: everything, or one kind of record."""

    ALL = "all", _("All my data, and close my account")
    DRAFTS = RecordKind.DRAFTS.value, RecordKind.DRAFTS.label
    CASES = RecordKind.CASES.value, RecordKind.CASES.label
    COMPLAINTS = RecordKind.COMPLAINTS.value, RecordKind.COMPLAINTS.label
    NOTIFICATIONS = RecordKind.NOTIFICATIONS.value, RecordKind.NOTIFICATIONS.label
    SUGGESTIONS = RecordKind.SUGGESTIONS.value, RecordKind.SUGGESTIONS.label
    CONSENTS = RecordKind.CONSENTS.value, RecordKind.CONSENTS.label
    LEARNING = RecordKind.LEARNING.value, RecordKind.LEARNING.label


class DataKind(models.TextChoices):
    """Kinds of personal data that a breach may have disclosed."""

    IDENTITY = "identity", _("Identity: NIK, name, date of birth")
    CONTACT = "contact", _("Contact details: address, phone, e-mail")
    FAMILY = "family", _("Family card and family members")
    DOCUMENTS = "documents", _("Uploaded documents")
    APPLICATIONS = "applications", _("Answers in applications and cases")
    HEALTH = "health", _("Health data")
    FINANCIAL = "financial", _("Financial data")
    CHILDREN = "children", _("Data of children")
    EMPLOYMENT = "employment", _("Employment and learning records")
    CREDENTIALS = "credentials", _("Sign-in credentials")
    OTHER = "other", _("Other")


# Specific personal data (UU PDP art. 4(2)): a breach of these calls for extra care.
SPECIFIC_DATA = {DataKind.HEALTH, DataKind.FINANCIAL, DataKind.CHILDREN}
