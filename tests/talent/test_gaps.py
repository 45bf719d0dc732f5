"""Each employee sees their profile against their position's standard: the gaps, largest
first (issue: Learn — competencies). A missing assessment counts as level 0, the latest
assessment wins, and an employee without a position has no gaps."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.talent.constants import AssessmentSource, JpmBand
from satupintu.talent.selectors import (
    competency_gaps,
    competency_overview,
    competency_profile,
    job_person_match,
    jpm_band,
)
from tests.talent.factories import (
    CompetencyFactory,
    EmployeeFactory,
    assess,
    place,
    position_with,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_largest_gap_first_then_framework_order():
    employee = EmployeeFactory()
    technical = CompetencyFactory()
    place(
        employee,
        position_with({"integritas": 3, "komunikasi": 3, "kerja-sama": 4, technical: 2}),
    )
    assess(employee, "integritas", 3)
    assess(employee, "komunikasi", 2)
    assess(employee, "kerja-sama", 1)
    assess(employee, technical, 1)

    gaps = competency_gaps(employee=employee)

    assert [(g.competency.code, g.required, g.actual, g.gap) for g in gaps] == [
        ("kerja-sama", 4, 1, 3),
        # Equal gaps: managerial before technical, then by code.
        ("komunikasi", 3, 2, 1),
        (technical.code, 2, 1, 1),
        ("integritas", 3, 3, 0),
    ]


def test_missing_assessment_counts_as_zero():
    employee = EmployeeFactory()
    place(employee, position_with({"integritas": 2, "komunikasi": 3}))
    assess(employee, "integritas", 2)

    gaps = competency_gaps(employee=employee)

    assert gaps[0].competency.code == "komunikasi"
    assert (gaps[0].actual, gaps[0].gap, gaps[0].source, gaps[0].assessed_on) == (
        None,
        3,
        None,
        None,
    )


def test_a_level_above_the_requirement_is_no_negative_gap():
    employee = EmployeeFactory()
    place(employee, position_with({"integritas": 2}))
    assess(employee, "integritas", 5)

    assert competency_gaps(employee=employee)[0].gap == 0


def test_latest_assessment_wins_by_date_then_by_recording():
    employee = EmployeeFactory()
    place(employee, position_with({"integritas": 4, "komunikasi": 4}))
    today = datetime.date.today()
    # An older assessment recorded later does not replace a newer one.
    assess(employee, "integritas", 4, on=today - 5 * DAY, source=AssessmentSource.QUIZ)
    assess(employee, "integritas", 1, on=today - 50 * DAY, source=AssessmentSource.IMPORTED)
    # Same date: the one recorded last wins.
    assess(employee, "komunikasi", 2, on=today - 3 * DAY)
    assess(employee, "komunikasi", 3, on=today - 3 * DAY, source=AssessmentSource.QUIZ)

    gaps = {gap.competency.code: gap for gap in competency_gaps(employee=employee)}

    assert (gaps["integritas"].actual, gaps["integritas"].source) == (4, "quiz")
    assert gaps["integritas"].assessed_on == today - 5 * DAY
    assert (gaps["komunikasi"].actual, gaps["komunikasi"].source) == (3, "quiz")
    profile = {a.competency.code: a.level for a in competency_profile(employee=employee)}
    assert profile == {"integritas": 4, "komunikasi": 3}


def test_no_position_means_no_gaps_and_no_jpm():
    employee = EmployeeFactory()
    assess(employee, "integritas", 3)

    assert competency_gaps(employee=employee) == []
    assert job_person_match(employee=employee) is None
    overview = competency_overview(employee=employee)
    assert overview.placement is None
    assert [a.competency.code for a in overview.other] == ["integritas"]


def test_other_employees_assessments_do_not_count():
    employee, other = EmployeeFactory(), EmployeeFactory()
    place(employee, position_with({"integritas": 3}))
    assess(other, "integritas", 3)

    assert competency_gaps(employee=employee)[0].actual is None


def test_gaps_take_a_fixed_number_of_queries():
    def queries(count: int) -> int:
        employee = EmployeeFactory()
        place(
            employee,
            position_with({CompetencyFactory(): 3 for _ in range(count)}),
        )
        for requirement in employee.placement.position.requirements.all():
            assess(employee, requirement.competency, 2)
            assess(employee, requirement.competency, 1, on=datetime.date(2020, 1, 1))
        with CaptureQueriesContext(connection) as context:
            assert len(competency_gaps(employee=employee)) == count
        return len(context.captured_queries)

    assert queries(2) == queries(12) <= 2


def test_jpm_caps_each_competency_at_its_requirement():
    employee = EmployeeFactory()
    place(employee, position_with({"integritas": 4, "komunikasi": 2, "kerja-sama": 2}))
    assess(employee, "integritas", 3)
    assess(employee, "komunikasi", 5)  # above the standard: counts as 2, not 5
    # kerja-sama never assessed: 0

    # (3 + 2 + 0) / (4 + 2 + 2) = 62.5 %
    assert job_person_match(employee=employee) == Decimal("62.50")


def test_jpm_full_match_and_rounding():
    employee = EmployeeFactory()
    place(employee, position_with({"integritas": 3, "komunikasi": 3, "kerja-sama": 3}))
    for code in ("integritas", "komunikasi", "kerja-sama"):
        assess(employee, code, 3)
    assert job_person_match(employee=employee) == Decimal("100.00")

    other = EmployeeFactory()
    place(other, position_with({"integritas": 3, "komunikasi": 3, "kerja-sama": 3}))
    assess(other, "integritas", 2)
    assess(other, "komunikasi", 3)
    assess(other, "kerja-sama", 3)
    # 8 / 9 = 88.888… → 88.89
    assert job_person_match(employee=other) == Decimal("88.89")


@pytest.mark.parametrize(
    ("jpm", "band"),
    [
        (Decimal("100"), JpmBand.OPTIMAL),
        (Decimal("90"), JpmBand.OPTIMAL),
        (Decimal("89.99"), JpmBand.FAIRLY_OPTIMAL),
        (Decimal("78"), JpmBand.FAIRLY_OPTIMAL),
        (Decimal("77.99"), JpmBand.LESS_OPTIMAL),
        (Decimal("0"), JpmBand.LESS_OPTIMAL),
        (None, None),
    ],
)
def test_jpm_bands(jpm, band):
    assert jpm_band(jpm) == band


def test_jpm_band_thresholds_are_settings(settings):
    settings.TALENT_JPM_OPTIMAL = 95
    settings.TALENT_JPM_FAIRLY_OPTIMAL = 80
    assert jpm_band(Decimal("92")) == JpmBand.FAIRLY_OPTIMAL
    assert jpm_band(Decimal("79")) == JpmBand.LESS_OPTIMAL
