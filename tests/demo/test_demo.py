"""`make demo` (issue: foundation): the demo loads the example catalogue and the demo people
— a citizen, an officer and an agency admin of two different agencies, a platform admin —
and loading it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.demo.people import DEMO_PASSWORD, demo_load
from tests.conftest import EXAMPLE_CATALOG

pytestmark = pytest.mark.django_db


def test_demo_people_cover_every_role_of_two_agencies():
    logins = demo_load(catalog_dir=EXAMPLE_CATALOG)
    usernames = {username for _role, username in logins}
    assert {
        "warga",
        "petugas.dukcapil",
        "admin.dukcapil",
        "petugas.dpmptsp",
        "admin.dpmptsp",
        "admin",
    } <= usernames

    def agencies_with(role):
        return set(RoleAssignment.objects.filter(role=role).values_list("agency__code", flat=True))

    assert agencies_with(Role.OFFICER) >= {"dukcapil-surabaya", "dpmptsp-surabaya"}
    assert agencies_with(Role.AGENCY_ADMIN) >= {"dukcapil-surabaya", "dpmptsp-surabaya"}
    assert get_user_model().objects.get(username="admin").is_superuser
    assert get_user_model().objects.get(username="warga").citizen.nik


def test_demo_load_is_idempotent():
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    counts = (get_user_model().objects.count(), RoleAssignment.objects.count())
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert (get_user_model().objects.count(), RoleAssignment.objects.count()) == counts


@pytest.mark.parametrize("username", ["warga", "petugas.dukcapil", "admin.dpmptsp", "admin"])
def test_demo_logins_work(client, username):
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert client.login(username=username, password=DEMO_PASSWORD)


def test_demo_command_without_serving(monkeypatch, capsys):
    from satupintu.cli import main

    assert main(["demo", "--no-serve"]) == 0
    assert "Demo data loaded." in capsys.readouterr().out
    assert get_user_model().objects.filter(username="petugas.dpmptsp").exists()


def test_demo_gives_officers_cases_in_several_states():
    from satupintu.cases.models import Case

    demo_load(catalog_dir=EXAMPLE_CATALOG)
    cases = Case.objects.filter(agency__code="dukcapil-surabaya")
    assert cases.count() >= 4
    assert cases.filter(is_open=False).exists()
    assert len(set(cases.values_list("state", flat=True))) >= 3
    assert Case.objects.filter(agency__code="dpmptsp-surabaya").exists()
    count = Case.objects.count()
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert Case.objects.count() == count


def test_demo_has_a_birth_bundle_and_an_isolation_request(settings, tmp_path):
    from satupintu.cases.models import Case, Submission

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    birth = Submission.objects.get(life_event_version__life_event__code="kelahiran")
    cases = Case.objects.filter(submission=birth)
    assert cases.values("agency").distinct().count() >= 3
    assert cases.filter(is_waiting=True, waits_for__isnull=False).exists()
    # Prefilled from the registry, with the applicant's consent.
    assert birth.registry_data["family_card"]["number"] == birth.answers["kk_number"]
    isolation = Submission.objects.get(life_event_version__life_event__code="isolasi-mandiri")
    food = Case.objects.get(
        submission=isolation, service__code="dinsos-surabaya.bantuan-pangan-isolasi"
    )
    assert food.is_open and food.partner is None  # for the social office to give to a partner
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert Submission.objects.exclude(life_event_version=None).count() == 2


def test_demo_public_figures_are_counted(settings, tmp_path):
    from satupintu.cases.models import ServiceMonth

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert ServiceMonth.objects.filter(agency__code="dukcapil-surabaya", received__gt=0).exists()
