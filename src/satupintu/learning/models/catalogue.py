from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.language import Localised
from satupintu.core.models import BaseModel
from satupintu.learning.constants import LessonKind, Modality


class Course(Localised, BaseModel):
    """A course of one modality, or a blended programme that orders other courses."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_id = models.CharField(_("summary (Indonesian)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    modality = models.CharField(_("modality"), max_length=16, choices=Modality.choices)
    jp = models.DecimalField(
        _("lesson hours (JP)"),
        max_digits=5,
        decimal_places=1,
        help_text=_("Credited to the learner's yearly 20 JP when the course is completed."),
    )
    provider = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    audience_agencies = models.ManyToManyField(
        "organisations.Agency",
        verbose_name=_("open to employees of"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to open the course to every agency."),
    )
    audience_id = models.CharField(_("audience (Indonesian)"), max_length=300, blank=True)
    audience_en = models.CharField(_("audience (English)"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_(
            "Most learners at once; leave empty for no limit. Sessions have their own capacity."
        ),
    )
    requires_approval = models.BooleanField(
        _("needs the unit head's approval"),
        default=False,
        help_text=_("A self-enrolment waits until the learner's unit head approves it."),
    )
    prerequisites = models.ManyToManyField(
        "self", verbose_name=_("prerequisites"), symmetrical=False, blank=True, related_name="+"
    )
    issues_certificate = models.BooleanField(_("issues a certificate"), default=True)
    external_activity_id = models.CharField(
        _("external xAPI activity id"),
        max_length=500,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "For content hosted elsewhere that reports to our learning record store: a "
            "completion of this activity completes the course."
        ),
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title_id", "id"]
        indexes = [models.Index(fields=["is_published", "modality"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jp__gte=0), name="learning_course_jp_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.title_id

    @property
    def title(self) -> str:
        return self.localised("title")

    @property
    def summary(self) -> str:
        return self.localised("summary")


class CourseCompetency(models.Model):
    """A competency that a course builds, and the level it builds it to."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="competencies"
    )
    competency = models.ForeignKey(
        "talent.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    level = models.PositiveSmallIntegerField(_("level it builds"))

    class Meta:
        verbose_name = _("competency built")
        verbose_name_plural = _("competencies built")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "competency"], name="learning_course_competency_once"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="learning_course_level_1_5"
            ),
        ]
        indexes = [models.Index(fields=["competency", "level"])]

    def __str__(self) -> str:
        return f"{self.course} → {self.competency} {self.level}"


class ProgrammeStep(models.Model):
    """One course in a blended programme, in the programme's order."""

    programme = models.ForeignKey(
        Course, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="steps"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="in_programmes"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    is_required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("programme step")
        verbose_name_plural = _("programme steps")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="learning_step_order_once"),
            models.UniqueConstraint(
                fields=["programme", "course"], name="learning_step_course_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(programme=models.F("course")), name="learning_step_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} #{self.order}: {self.course}"


class Lesson(Localised, BaseModel):
    """One part of a self-paced course: a reading, a video, a download, or a quiz."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="lessons"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=LessonKind.choices)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_id = models.TextField(_("text (Indonesian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    file = models.FileField(_("file"), upload_to="learning/lessons/", blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("For a quiz: the share of right answers.")
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty for no limit.")
    )

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="learning_lesson_order_once"),
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="learning_lesson_pass_mark_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} #{self.order} {self.title_id}"

    @property
    def title(self) -> str:
        return self.localised("title")


class Question(Localised, BaseModel):
    """A single-choice question of a quiz, tagged with the competency it tests."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_id = models.TextField(_("question (Indonesian)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    explanation_id = models.TextField(_("explanation (Indonesian)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    competency = models.ForeignKey(
        "talent.Competency",
        verbose_name=_("competency tested"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["lesson", "order"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="learning_question_order_once")
        ]

    def __str__(self) -> str:
        return self.text_id[:80]


class Choice(Localised, models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_id = models.CharField(_("answer (Indonesian)"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="learning_choice_order_once")
        ]

    def __str__(self) -> str:
        return self.text_id
