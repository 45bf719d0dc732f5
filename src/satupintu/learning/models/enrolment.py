from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel
from satupintu.learning.constants import OPEN_ENROLMENT_STATUSES, EnrolmentSource, EnrolmentStatus
from satupintu.learning.models.catalogue import Course, Lesson


class Enrolment(BaseModel):
    """A learner's place in a course: self-enrolled or assigned, perhaps awaiting approval."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    source = models.CharField(
        _("source"), max_length=12, choices=EnrolmentSource.choices, default=EnrolmentSource.SELF
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("to finish by"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Share of the course done, in percent; kept by the services that record progress.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=models.Q(status__in=[s.value for s in OPEN_ENROLMENT_STATUSES]),
                name="learning_enrolment_open_once",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="learning_enrolment_progress_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "status"]),
            models.Index(fields=["course", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} — {self.course}"


class LessonProgress(models.Model):
    """A lesson that a learner has finished (a quiz: passed), with the best score."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="progress_rows",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("best score (%)"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="learning_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.lesson}"


class QuizAttempt(BaseModel):
    """One submitted attempt at a quiz: the answers as given, and the score."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attempts"
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    # {question public id: chosen choice id}
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["enrolment", "lesson", "created_at"])]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.lesson}: {self.score}%"
