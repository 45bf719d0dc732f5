"""Operators in the admin (issue: foundation): agency administrators manage their own
agency's units, staff and roles and nothing of other agencies; definitions are read-only
with their versions visible; viewing a citizen's profile is audited."""

import pytest

from satupintu.accounts.models import CitizenProfile, User
from satupintu.catalog.models import Service
from satupintu.core.models import AuditEvent
from satupintu.demo.people import demo_load
from tests.conftest import EXAMPLE_CATALOG

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_load(catalog_dir=EXAMPLE_CATALOG)


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_agency_admin_sees_only_their_staff(client, demo):
    client = signed_in(client, "admin.dukcapil")
    page = client.get("/admin/accounts/user/").content.decode()
    assert "petugas.dukcapil" in page
    assert "petugas.dpmptsp" not in page
    other = User.objects.get(username="petugas.dpmptsp")
    response = client.get(f"/admin/accounts/user/{other.pk}/change/")
    assert response.status_code in (302, 404)


def test_agency_admin_cannot_see_citizens_or_other_agencies_services(client, demo):
    client = signed_in(client, "admin.dukcapil")
    assert client.get("/admin/accounts/citizenprofile/").status_code == 403
    page = client.get("/admin/catalog/service/?all=").content.decode()
    assert "dukcapil-surabaya.akta-kelahiran" in page
    assert "dpmptsp-surabaya." not in page


def test_agency_admin_creates_staff_in_their_own_agency(client, demo):
    client = signed_in(client, "admin.dpmptsp")
    from satupintu.organisations.models import Agency

    own = Agency.objects.get(code="dpmptsp-surabaya")
    other = Agency.objects.get(code="dukcapil-surabaya")
    form = {
        "username": "petugas.baru",
        "password1": "Rahasia-Sekali-123",
        "password2": "Rahasia-Sekali-123",
        "first_name": "Petugas",
        "last_name": "Baru",
        "email": "",
        "nip": "",
        "position": "",
    }
    refused = client.post("/admin/accounts/user/add/", {**form, "agency": other.pk})
    assert refused.status_code == 200  # the form comes back: that agency is not a choice
    assert not User.objects.filter(username="petugas.baru").exists()
    client.post("/admin/accounts/user/add/", {**form, "agency": own.pk})
    assert User.objects.get(username="petugas.baru").employee.agency == own


def test_definitions_are_read_only_with_versions_visible(client, demo):
    client = signed_in(client, "admin")
    service = Service.objects.get(code="dukcapil-surabaya.akta-kelahiran")
    page = client.get(f"/admin/catalog/service/{service.pk}/change/").content.decode()
    assert "akta-kelahiran.yaml" in page  # the version's source file
    assert 'name="_save"' not in page
    assert client.get("/admin/catalog/service/add/").status_code == 403
    version = service.current_version
    shown = client.get(f"/admin/catalog/serviceversion/{version.pk}/change/")
    assert shown.status_code == 200
    # The definition is readable under the Content-Security-Policy: styled by a stylesheet,
    # not by an inline style attribute, which the policy blocks.
    body = shown.content.decode()
    assert 'class="definition-source"' in body and "satupintu/admin.css" in body
    assert "<pre style=" not in body


def test_viewing_a_citizen_in_the_admin_is_audited(client, demo):
    client = signed_in(client, "admin")
    profile = CitizenProfile.objects.get(user__username="warga")
    assert client.get(f"/admin/accounts/citizenprofile/{profile.pk}/change/").status_code == 200
    event = AuditEvent.objects.get(action="citizen.viewed", object_id=str(profile.public_id))
    assert event.actor.username == "admin"
    assert event.subject == profile.user
