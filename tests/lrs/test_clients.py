"""Credentials per client (issue: "Clients authenticate with HTTP Basic credentials issued
per client by an admin"): ``satupintu manage lrs_client_create NAME`` prints key:secret on
one line and nothing else; the secret is kept only as a digest and never shown again; the
admin issues credentials (showing the secret once), lists clients without their secret and
deactivates them; only platform administrators see clients."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from satupintu.core.models import AuditEvent
from satupintu.lrs.models import LrsClient
from tests.lrs.factories import Xapi, basic

pytestmark = pytest.mark.django_db


def test_the_command_prints_key_and_secret_on_one_line():
    out, err = StringIO(), StringIO()
    call_command("lrs_client_create", "Moodle Dinas Pendidikan", stdout=out, stderr=err)
    printed = out.getvalue()
    assert re.fullmatch(r"[0-9a-f]{20}:[A-Za-z0-9_\-]{43}\n", printed), printed
    key, secret = printed.strip().split(":")
    client = LrsClient.objects.get(key=key)
    assert client.name == "Moodle Dinas Pendidikan"
    assert client.can_write
    assert secret not in client.secret_hash
    assert Xapi(basic(key, secret)).get("statements").status_code == 200
    assert AuditEvent.objects.filter(action="lrs.client_created").count() == 1


def test_the_command_issues_read_only_credentials():
    out = StringIO()
    call_command("lrs_client_create", "Dashboard", "--read-only", stdout=out)
    key = out.getvalue().split(":")[0]
    assert not LrsClient.objects.get(key=key).can_write


def test_each_client_gets_its_own_credentials():
    first, second = StringIO(), StringIO()
    call_command("lrs_client_create", "A", stdout=first)
    call_command("lrs_client_create", "B", stdout=second)
    assert first.getvalue().split(":")[0] != second.getvalue().split(":")[0]
    assert first.getvalue().split(":")[1] != second.getvalue().split(":")[1]


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456789")
    client.force_login(user)
    return client


def test_the_admin_issues_credentials_and_shows_the_secret_once(admin_client):
    page = admin_client.get("/en/admin/lrs/lrsclient/add/")
    assert page.status_code == 200
    response = admin_client.post(
        "/en/admin/lrs/lrsclient/add/", {"name": "Course player", "read_only": "on"}
    )
    assert response.status_code == 200
    shown = re.search(r'<code id="lrs-credentials">([^<]+)</code>', response.content.decode())
    key, secret = shown.group(1).split(":")
    client = LrsClient.objects.get(key=key)
    assert not client.can_write
    change = admin_client.get(f"/en/admin/lrs/lrsclient/{client.pk}/change/")
    assert change.status_code == 200
    assert secret not in change.content.decode()
    assert client.secret_hash not in change.content.decode()
    listing = admin_client.get("/en/admin/lrs/lrsclient/")
    assert client.key in listing.content.decode()
    assert secret not in listing.content.decode()


def test_the_admin_keeps_the_name_when_it_is_missing(admin_client):
    response = admin_client.post("/en/admin/lrs/lrsclient/add/", {"name": ""})
    assert response.status_code == 200
    assert "lrs-credentials" not in response.content.decode()
    assert not LrsClient.objects.exists()


def test_the_admin_deactivates_clients(admin_client, credentials):
    client, secret = credentials
    response = admin_client.post(
        "/en/admin/lrs/lrsclient/",
        {"action": "deactivate", "_selected_action": [client.pk]},
        follow=True,
    )
    assert response.status_code == 200
    client.refresh_from_db()
    assert not client.is_active
    assert Xapi(basic(client.key, secret)).get("statements").status_code == 401
    assert AuditEvent.objects.filter(action="lrs.client_deactivated").count() == 1


def test_only_platform_administrators_see_clients(client, credentials):
    staff = get_user_model().objects.create_user("staf", password="pw-123456789", is_staff=True)
    client.force_login(staff)
    assert client.get("/en/admin/lrs/lrsclient/").status_code == 403
    assert client.get("/en/admin/lrs/lrsclient/add/").status_code == 403
