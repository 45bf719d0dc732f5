"""The competency framework and where each employee stands against it.

A **competency** belongs to one of three groups: managerial and socio-cultural ones are the
same for the whole civil service; technical ones form each agency's own dictionary. Each has
five **levels** with a short description and behaviour indicators. A **position** (jabatan)
states the level it requires of each competency (its SKJ); a **placement** says which
position an employee holds. An **assessment** records a level an employee was found to have,
with its source and date; the history is kept and the latest one counts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.language import Localised
from satupintu.core.models import BaseModel
from satupintu.talent.constants import LEVEL_MAX, LEVEL_MIN, AssessmentSource, CompetencyGroup

__all__ = [
    "Assessment",
    "AssessmentSource",
    "Competency",
    "CompetencyGroup",
    "CompetencyLevel",
    "Placement",
    "Position",
    "PositionRequirement",
]

LEVEL_RANGE = Q(level__gte=LEVEL_MIN) & Q(level__lte=LEVEL_MAX)


class Competency(Localised, BaseModel):
    """One competency of the framework, with its five levels."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    group = models.CharField(_("group"), max_length=16, choices=CompetencyGroup.choices)
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competencies",
        help_text=_("The agency whose technical dictionary this belongs to."),
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["group", "code"]
        constraints = [
            # Managerial and socio-cultural competencies are the same for every agency; a
            # technical one usually belongs to an agency's dictionary (or, without an
            # agency, to one shared by the whole government).
            models.CheckConstraint(
                condition=Q(group=CompetencyGroup.TECHNICAL) | Q(agency__isnull=True),
                name="talent_competency_shared_has_no_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.name_id

    def clean(self):
        if self.group != CompetencyGroup.TECHNICAL and self.agency_id is not None:
            raise ValidationError(
                {
                    "agency": _(
                        "Managerial and socio-cultural competencies belong to no agency: "
                        "leave the agency empty, or make the competency technical."
                    )
                }
            )

    @property
    def name(self) -> str:
        return self.localised("name")

    @property
    def description(self) -> str:
        return self.localised("description")


class CompetencyLevel(Localised, BaseModel):
    """One of the five levels of a competency, with the behaviour that shows it."""

    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="levels"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    description_id = models.CharField(_("description (Indonesian)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300)
    indicators_id = models.TextField(
        _("behaviour indicators (Indonesian)"), blank=True, help_text=_("One indicator a line.")
    )
    indicators_en = models.TextField(
        _("behaviour indicators (English)"), blank=True, help_text=_("One indicator a line.")
    )

    class Meta:
        verbose_name = _("competency level")
        verbose_name_plural = _("competency levels")
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="talent_level_once"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="talent_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id} {self.level}"

    @property
    def description(self) -> str:
        return self.localised("description")

    @property
    def indicators(self) -> list[str]:
        """The behaviour indicators in the active language, one per item."""
        return [line.strip() for line in self.localised("indicators").splitlines() if line.strip()]


class Position(Localised, BaseModel):
    """A position (jabatan) in an agency and its competency standard (SKJ)."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    code = models.SlugField(_("code"), max_length=80)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    competencies = models.ManyToManyField(
        Competency,
        verbose_name=_("competencies"),
        through="PositionRequirement",
        related_name="positions",
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="talent_position_code"),
        ]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return self.localised("name")


class PositionRequirement(BaseModel):
    """The level of one competency that a position requires."""

    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="requirements"
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    level = models.PositiveSmallIntegerField(_("required level"))

    class Meta:
        verbose_name = _("position requirement")
        verbose_name_plural = _("position requirements")
        ordering = ["position", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "competency"], name="talent_requirement_once"
            ),
            models.CheckConstraint(condition=LEVEL_RANGE, name="talent_requirement_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.position_id} {self.competency_id} {self.level}"


class Placement(BaseModel):
    """The position an employee holds now."""

    employee = models.OneToOneField(
        "accounts.EmployeeProfile",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="placement",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="placements"
    )
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.position_id}"

    def clean(self):
        if (
            self.employee_id
            and self.position_id
            and self.employee.agency_id != self.position.agency_id
        ):
            raise ValidationError(
                {"position": _("Choose a position of the employee's own agency.")}
            )


class Assessment(BaseModel):
    """A level an employee was found to have in one competency, with its source and date.

    Assessments are never overwritten: a new one is added, and the latest (by
    ``assessed_on``, then ``created_at``) is the employee's current level.
    """

    employee = models.ForeignKey(
        "accounts.EmployeeProfile",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    level = models.PositiveSmallIntegerField(_("level"))
    source = models.CharField(_("source"), max_length=20, choices=AssessmentSource.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("Where the level came from: an import file, a quiz attempt, a report number."),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["employee", "competency", "-assessed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=LEVEL_RANGE, name="talent_assessment_level_range"),
        ]
        indexes = [
            models.Index(
                fields=["employee", "competency", "assessed_on"], name="talent_assessment_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.competency_id} {self.level} ({self.assessed_on})"
