"""The demo's competencies (issue: Learn — competencies): technical dictionaries and
positions of the demo agencies, the demo employees placed and assessed with varied sources
and dates so that their gaps differ (a few missing, one employee meeting the standard);
loading twice changes nothing, and a missing agency is skipped."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from satupintu.accounts.models import EmployeeProfile
from satupintu.core.models import AuditEvent
from satupintu.demo.people import demo_people_load
from satupintu.organisations.models import Agency
from satupintu.talent.demo import demo_talent_load
from satupintu.talent.models import Assessment, Competency, Placement, Position
from satupintu.talent.selectors import competency_gaps, job_person_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    demo_people_load()
    demo_talent_load()
    return {e.user.username: e for e in EmployeeProfile.objects.select_related("user")}


def test_every_demo_employee_with_a_dictionary_is_placed_and_gaps_differ(loaded):
    placed = set(Placement.objects.values_list("employee__user__username", flat=True))
    assert {
        "petugas.dukcapil",
        "penyelia.dukcapil",
        "admin.dukcapil",
        "petugas.dpmptsp",
        "penyelia.dpmptsp",
        "petugas.dinsos",
        "penyelia.dinsos",
        "petugas.dinkes",
    } <= placed
    matches = {name: job_person_match(employee=loaded[name]) for name in placed}
    assert matches["penyelia.dukcapil"] == Decimal("100.00")
    assert len(set(matches.values())) >= 6
    # Some requirements were never assessed.
    missing = [
        gap
        for name in placed
        for gap in competency_gaps(employee=loaded[name])
        if gap.actual is None
    ]
    assert len(missing) >= 3
    assert set(Assessment.objects.values_list("source", flat=True)) == {
        "entered",
        "imported",
        "quiz",
        "assessment_centre",
    }
    assert Assessment.objects.values("assessed_on").distinct().count() >= 8


def test_positions_require_the_nine_shared_competencies_at_the_jobs_level(loaded):
    staff = Position.objects.get(
        agency__code="dukcapil-surabaya", code="pengadministrasi-kependudukan"
    )
    head = Position.objects.get(agency__code="dinsos-surabaya", code="kepala-bidang-linjamsos")
    for position, level in ((staff, 2), (head, 4)):
        shared = position.requirements.filter(competency__agency__isnull=True)
        assert shared.count() == 9
        assert set(shared.values_list("level", flat=True)) == {level}
        assert position.requirements.filter(competency__agency=position.agency).count() >= 1
    for code in (
        "dukcapil-surabaya",
        "dpmptsp-jatim",
        "dinsos-surabaya",
        "diskopukm-jatim",
        "dinkes-surabaya",
    ):
        assert 3 <= Competency.objects.filter(agency__code=code).count() <= 5
        assert Position.objects.filter(agency__code=code).count() >= 1


def test_loading_twice_changes_nothing(loaded):
    def state():
        return (
            sorted(Assessment.objects.values_list("public_id", flat=True)),
            sorted(Placement.objects.values_list("public_id", "updated_at")),
            sorted(Position.objects.values_list("public_id", "updated_at")),
            sorted(Competency.objects.values_list("public_id", "updated_at")),
            AuditEvent.objects.count(),
        )

    before = state()
    demo_talent_load()
    assert state() == before


def test_a_missing_agency_is_skipped(db):
    demo_people_load()
    Position.objects.all().delete()
    Competency.objects.filter(agency__code="diskopukm-jatim").delete()
    # An installation without this agency (agencies are looked up by code).
    Agency.objects.filter(code="diskopukm-jatim").update(code="diskopukm-lain")

    demo_talent_load()

    assert not Competency.objects.filter(code__startswith="diskopukm-").exists()
    assert Position.objects.filter(agency__code="dinkes-surabaya").exists()


def test_demo_roles_show_the_hr_and_unit_pages(loaded):
    from satupintu.talent.selectors import talent_scope

    users = get_user_model().objects
    assert talent_scope(users.get(username="admin.dukcapil")).is_hr
    assert talent_scope(users.get(username="penyelia.dukcapil")).is_unit_head
