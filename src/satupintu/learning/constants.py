from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# Every civil servant has a right to at least this many lesson hours (JP) a year.
YEARLY_JP_RIGHT = Decimal(20)


class Modality(models.TextChoices):
    SELF_PACED = "self_paced", _("Self-paced e-learning")
    CLASSROOM = "classroom", _("Classroom")
    VIRTUAL = "virtual", _("Virtual classroom")
    COACHING = "coaching", _("Coaching")
    EXPERIENTIAL = "experiential", _("Experiential (secondment, job shadowing)")
    BLENDED = "blended", _("Blended programme")


# Modalities taught in scheduled sessions with attendance.
SESSION_MODALITIES = {Modality.CLASSROOM, Modality.VIRTUAL}


class LessonKind(models.TextChoices):
    TEXT = "text", _("Reading")
    VIDEO = "video", _("Video")
    FILE = "file", _("Download")
    QUIZ = "quiz", _("Quiz")


class EnrolmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Not approved")


# An enrolment in one of these holds the learner's place in the course.
OPEN_ENROLMENT_STATUSES = (EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE)


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    SUPERVISOR = "supervisor", _("Assigned by the unit head")
    HR = "hr", _("Assigned by HR")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    LIST = "list", _("Trainer's list")


class JpSource(models.TextChoices):
    COURSE = "course", _("Course completed")
    SESSION = "session", _("Session attended")
    CLAIM = "claim", _("Learning elsewhere (approved claim)")
    XAPI = "xapi", _("Learning record (xAPI)")
    ADJUSTMENT = "adjustment", _("Adjustment by HR")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting HR")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
