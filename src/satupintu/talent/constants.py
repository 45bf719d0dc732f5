from django.db import models
from django.utils.translation import gettext_lazy as _

# Competency levels run from 1 (basic) to 5 (expert), as in the national framework.
LEVEL_MIN = 1
LEVEL_MAX = 5
LEVELS = range(LEVEL_MIN, LEVEL_MAX + 1)


class CompetencyGroup(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    MANAGERIAL = "managerial", _("Managerial")
    SOCIO_CULTURAL = "socio_cultural", _("Socio-cultural")


class AssessmentSource(models.TextChoices):
    ENTERED = "entered", _("Entered by HR")
    IMPORTED = "imported", _("Imported")
    QUIZ = "quiz", _("Quiz")
    ASSESSMENT_CENTRE = "assessment_centre", _("Assessment centre")


class JpmBand(models.TextChoices):
    """Bands of the job-person match; the thresholds are settings (see ``selectors``)."""

    OPTIMAL = "optimal", _("Optimal")
    FAIRLY_OPTIMAL = "fairly_optimal", _("Fairly optimal")
    LESS_OPTIMAL = "less_optimal", _("Less optimal")
