"""The words of the complaint flow (SP4N-LAPOR!): kinds, statuses, the steps that have a
deadline, who says what, and what happens on a complaint's timeline."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintKind(models.TextChoices):
    """The four classes of the national complaint system."""

    COMPLAINT = "complaint", _("Complaint (pengaduan)")
    ASPIRATION = "aspiration", _("Aspiration (aspirasi)")
    INFORMATION = "information", _("Information request (permintaan informasi)")
    WHISTLEBLOWING = "whistleblowing", _("Whistle-blowing report")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Being verified")
    NEEDS_INFO = "needs_info", _("Waiting for more information")
    ROUTED = "routed", _("With the agency")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not taken further")


# A complaint in these statuses is finished.
FINAL_STATUSES = {ComplaintStatus.CLOSED, ComplaintStatus.REJECTED}
# Statuses in which the coordinator acts (verifies, routes, rejects, asks for information).
COORDINATOR_STATUSES = {ComplaintStatus.RECEIVED, ComplaintStatus.NEEDS_INFO}
# Statuses in which the agency has the complaint (it was routed to it).
AGENCY_STATUSES = {ComplaintStatus.ROUTED, ComplaintStatus.FOLLOWED_UP, ComplaintStatus.CLOSED}


class Step(models.TextChoices):
    """The step whose deadline a complaint's ``due_date`` is."""

    VERIFY = "verify", _("Verification and routing by the coordinator")
    FOLLOW_UP = "follow_up", _("Follow-up by the agency")
    CLOSE = "close", _("Closing unless someone answers")


STEP_OF_STATUS = {
    ComplaintStatus.RECEIVED: Step.VERIFY,
    ComplaintStatus.NEEDS_INFO: Step.VERIFY,
    ComplaintStatus.ROUTED: Step.FOLLOW_UP,
    ComplaintStatus.FOLLOWED_UP: Step.CLOSE,
}


class RejectionReason(models.TextChoices):
    NOT_A_COMPLAINT = "not_a_complaint", _("Not a complaint")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the scope of public services")


class Sender(models.TextChoices):
    """Who a message or a step on the timeline comes from."""

    COMPLAINANT = "complainant", _("Complainant")
    COORDINATOR = "coordinator", _("Coordinator")
    AGENCY = "agency", _("Agency")
    SYSTEM = "system", _("System")


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    INFO_REQUESTED = "info_requested", _("More information requested")
    INFO_GIVEN = "info_given", _("Information given")
    ROUTED = "routed", _("Routed to the agency")
    REJECTED = "rejected", _("Rejected")
    FOLLOWED_UP = "followed_up", _("Followed up")
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Internal note")
    REMINDER = "reminder", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")


# The longest texts a complaint takes, on the pages and in the API (the anonymous endpoint's
# input stays bounded).
TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 150
PHONE_MAX_LENGTH = 20
EMAIL_MAX_LENGTH = 254
