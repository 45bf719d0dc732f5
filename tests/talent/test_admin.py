"""Operators in the admin (issue: Learn — competencies): an agency administrator manages
their agency's technical dictionary and positions and sees its employees' assessments, and
nothing of other agencies; the shared framework and assessments do not change there."""

import pytest

from satupintu.accounts.constants import Role
from tests.talent.factories import (
    CompetencyFactory,
    EmployeeFactory,
    UserFactory,
    agency,
    assess,
    position_with,
    role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_admin():
    user = UserFactory(is_staff=True)
    role(user, Role.AGENCY_ADMIN, agency=agency("dukcapil-surabaya"))
    return user


def test_agency_admin_sees_only_their_dictionary_positions_and_assessments(client, agency_admin):
    own = CompetencyFactory(agency=agency("dukcapil-surabaya"))
    other = CompetencyFactory(agency=agency("dinsos-surabaya"))
    own_position = position_with({"integritas": 2})
    other_position = position_with({"integritas": 2}, agency_code="dinsos-surabaya")
    own_assessment = assess(EmployeeFactory(agency=agency("dukcapil-surabaya")), "integritas", 2)
    assess(EmployeeFactory(agency=agency("dinsos-surabaya")), "integritas", 4)
    client.force_login(agency_admin)

    page = client.get("/admin/talent/competency/").content.decode()
    assert own.code in page and other.code not in page
    assert ">integritas<" not in page  # the shared framework changes with its file
    page = client.get("/admin/talent/position/").content.decode()
    assert own_position.code in page and other_position.code not in page
    assert client.get(f"/admin/talent/position/{other_position.pk}/change/").status_code in (
        302,
        404,
    )
    assert client.get(f"/admin/talent/position/{own_position.pk}/change/").status_code == 200
    response = client.get("/admin/talent/assessment/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own_assessment]
    assert client.get(f"/admin/talent/assessment/{own_assessment.pk}/change/").status_code == 200
    assert client.get("/admin/talent/assessment/add/").status_code == 403


def test_a_shared_competency_cannot_get_an_agency():
    from django.core.exceptions import ValidationError

    from satupintu.talent.models import Competency

    competency = Competency.objects.get(code="integritas")
    competency.agency = agency("dukcapil-surabaya")
    with pytest.raises(ValidationError):
        competency.full_clean()


def test_the_platform_admin_sees_everything(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/talent/competency/?all=").content.decode()
    assert "integritas" in page
    assert client.get("/admin/talent/competency/").status_code == 200
    assert client.get("/admin/talent/placement/").status_code == 200


def test_a_placement_made_in_the_admin_is_audited_and_stays_in_the_agency(client, agency_admin):
    from satupintu.core.models import AuditEvent
    from satupintu.talent.models import Placement

    employee = EmployeeFactory(agency=agency("dukcapil-surabaya"))
    own = position_with({"integritas": 2})
    other = position_with({"integritas": 2}, agency_code="dinsos-surabaya")
    client.force_login(agency_admin)
    form = {"employee": employee.pk, "since": "2025-01-02"}

    refused = client.post("/admin/talent/placement/add/", {**form, "position": other.pk})
    assert refused.status_code == 200  # the form again, with its error
    assert not Placement.objects.exists()

    response = client.post("/admin/talent/placement/add/", {**form, "position": own.pk})
    assert response.status_code == 302
    assert Placement.objects.get(employee=employee).position == own
    assert AuditEvent.objects.filter(
        action="talent.placement_set", actor=agency_admin, subject=employee.user
    ).exists()
