"""Employees have assessed levels, each with its source and date (issue: Learn —
competencies); every change to a person's assessments is audited."""

import datetime

import pytest
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.talent.constants import AssessmentSource
from satupintu.talent.models import Assessment
from satupintu.talent.services import assessment_record, placement_set
from tests.talent.factories import (
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    agency,
    competency,
)

pytestmark = pytest.mark.django_db


def record(employee, **changes):
    values = {
        "employee": employee,
        "competency": competency("integritas"),
        "level": 3,
        "source": AssessmentSource.ENTERED,
        "assessed_on": timezone.localdate() - datetime.timedelta(days=1),
        "actor": None,
    }
    return assessment_record(**{**values, **changes})


def test_an_assessment_keeps_source_date_assessor_and_is_audited():
    employee, hr = EmployeeFactory(), UserFactory()
    assessment = record(employee, actor=hr, evidence="Laporan AC 12/2026", reference="AC-12")

    assert (assessment.level, assessment.source, assessment.assessor) == (3, "entered", hr)
    assert (assessment.evidence, assessment.reference) == ("Laporan AC 12/2026", "AC-12")
    event = AuditEvent.objects.get(action="talent.assessment_recorded")
    assert (event.actor, event.subject, event.object_id) == (
        hr,
        employee.user,
        str(assessment.public_id),
    )
    assert event.details["competency"] == "integritas"


def test_history_is_kept():
    employee = EmployeeFactory()
    record(employee, level=2)
    record(employee, level=3)
    assert Assessment.objects.filter(employee=employee).count() == 2


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"level": 0}, "invalid_level"),
        ({"level": 6}, "invalid_level"),
        ({"level": True}, "invalid_level"),
        ({"source": "gossip"}, "invalid_source"),
        ({"assessed_on": timezone.localdate() + datetime.timedelta(days=1)}, "future_date"),
        ({"evidence": "x" * 301}, "evidence_too_long"),
    ],
)
def test_bad_input_is_refused_with_a_reason(changes, code):
    employee = EmployeeFactory()
    with pytest.raises(DomainError) as error:
        record(employee, **changes)
    assert error.value.code == code
    assert str(error.value.detail)
    assert not Assessment.objects.filter(employee=employee).exists()


def test_an_inactive_competency_cannot_be_assessed():
    integrity = competency("integritas")
    integrity.is_active = False
    integrity.save()
    with pytest.raises(DomainError) as error:
        record(EmployeeFactory(), competency=integrity)
    assert error.value.code == "inactive_competency"


def test_the_database_holds_the_level_range():
    from django.db import IntegrityError, transaction

    employee = EmployeeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            employee=employee,
            competency=competency("integritas"),
            level=6,
            source=AssessmentSource.ENTERED,
            assessed_on=datetime.date(2025, 1, 1),
        )


def test_placement_is_in_the_employees_own_agency_and_audited():
    employee = EmployeeFactory()
    own = PositionFactory(agency=employee.agency)
    other = PositionFactory(agency=agency("dinsos-surabaya"))
    with pytest.raises(DomainError):
        placement_set(
            employee=employee, position=other, since=datetime.date(2025, 1, 1), actor=None
        )

    placement = placement_set(
        employee=employee, position=own, since=datetime.date(2025, 1, 1), actor=None
    )
    assert placement.position == own
    assert (
        AuditEvent.objects.filter(action="talent.placement_set", subject=employee.user).count() == 1
    )
    # The same placement again changes nothing.
    placement_set(employee=employee, position=own, since=datetime.date(2025, 1, 1), actor=None)
    assert AuditEvent.objects.filter(action="talent.placement_set").count() == 1


def test_a_placement_in_another_agencys_position_does_not_validate():
    from django.core.exceptions import ValidationError

    from satupintu.talent.models import Placement

    employee = EmployeeFactory()
    other = PositionFactory(agency=agency("dinsos-surabaya"))
    with pytest.raises(ValidationError):
        Placement(employee=employee, position=other, since=datetime.date(2025, 1, 1)).full_clean()
