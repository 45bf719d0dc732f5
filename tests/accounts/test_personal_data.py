"""Requirement (UU PDP, the right of access): a citizen downloads all data held about them and
its processing history — who accessed it, when and why — as a readable page and a JSON file.

Only the person themselves sees their data; staff cannot open another person's; taking a copy
is recorded; the cost in queries does not grow with the number of cases; every foreign key to
a person in the platform is either in the export or left out for a stated reason.
"""

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.accounts import personal_data
from satupintu.accounts.models import CitizenProfile, EmployeeProfile
from satupintu.cases.models import Message
from satupintu.core.models import AuditEvent
from satupintu.core.services import audit_record
from satupintu.notifications.models import Notification
from tests.feedback.factories import open_case

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"


@pytest.fixture
def people():
    from satupintu.demo.people import demo_people_load

    demo_people_load()
    return {user.username: user for user in get_user_model().objects.all()}


def _person_keys() -> set[str]:
    targets = {get_user_model(), CitizenProfile, EmployeeProfile}
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model in targets
    }


def test_every_foreign_key_to_a_person_is_exported_or_left_out_for_a_reason():
    found = _person_keys()
    declared = set(personal_data.COVERED) | set(personal_data.NOT_EXPORTED)
    assert not set(personal_data.COVERED) & set(personal_data.NOT_EXPORTED)
    assert found - declared == set(), "add these to COVERED or NOT_EXPORTED"
    assert declared - found == set(), "these no longer exist"


def test_the_collector_holds_the_persons_cases_answers_messages_and_notifications(people):
    citizen = people["warga"]
    case = open_case(people, BIRTH, "warga")
    Message.objects.create(case=case, author=citizen, body="pesan-warga-satu")
    Message.objects.create(
        case=case, author=people["penyelia.dukcapil"], internal=True, body="catatan-internal"
    )
    Notification.objects.create(recipient=citizen, kind="case.submitted", title="t", body="b")
    data = personal_data.personal_data_collect(user=citizen)

    assert data["account"]["username"] == citizen.username
    assert data["citizen"]["nik"] == citizen.citizen.nik
    mine = [row for row in data["cases"] if row["tracking"] == case.submission.tracking]
    texts = [message["text"] for message in mine[0]["messages"]]
    assert texts == ["pesan-warga-satu"], "internal notes of officers are not the person's"
    assert len(data["notifications"]) == Notification.objects.filter(recipient=citizen).count()
    assert all(row["tracking"] != "" for row in data["cases"])
    assert len(data["history"]) == AuditEvent.objects.filter(subject=citizen).count() > 0


def test_the_history_names_the_officer_and_agency_and_says_why(people):
    citizen, officer = people["warga"], people["penyelia.dukcapil"]
    case = open_case(people, BIRTH, "warga")
    audit_record(actor=officer, action="citizen.viewed", target=case, subject=citizen)
    row = personal_data.personal_data_history(user=citizen).rows[0]

    assert row["action"] == "citizen.viewed"
    assert row["by"]["name"] == (officer.get_full_name() or officer.username)
    assert row["by"]["agency"] == officer.employee.agency.name
    assert row["purpose"] == str(personal_data.PURPOSES["citizen.viewed"])


def test_another_citizen_acting_is_not_named(people):
    citizen = people["warga"]
    other = get_user_model().objects.create_user("tetangga", first_name="Namarahasia")
    audit_record(actor=other, action="something.done", object_type="x", subject=citizen)
    row = personal_data.personal_data_history(user=citizen).rows[0]
    assert "Namarahasia" not in json.dumps(row["by"])


def test_the_history_is_paged_by_keyset_without_repeats():
    citizen = get_user_model().objects.create_user("sendiri")
    for number in range(5):
        audit_record(
            actor=None, action="x.y", object_type="t", object_id=f"o{number}", subject=citizen
        )
    first = personal_data.personal_data_history(user=citizen, limit=3)
    second = personal_data.personal_data_history(user=citizen, limit=3, after=str(first.next_after))
    ids = [row["object_id"] for row in first.rows + second.rows]
    assert len(ids) == len(set(ids)) == AuditEvent.objects.filter(subject=citizen).count()
    assert second.next_after is None


def test_the_page_shows_the_data_and_records_the_export(client, people):
    citizen = people["warga"]
    open_case(people, BIRTH, "warga")
    client.force_login(citizen)
    response = client.get(reverse("accounts:my_data"))

    assert response.status_code == 200
    assert citizen.citizen.nik in response.content.decode()
    assert AuditEvent.objects.filter(
        action="personal_data.exported", subject=citizen, details__channel="page"
    ).exists()


def test_the_download_is_an_attachment_named_without_personal_data(client, people):
    citizen = people["warga"]
    client.force_login(citizen)
    response = client.get(reverse("accounts:my_data_download"))

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert citizen.citizen.nik not in disposition and citizen.username not in disposition
    assert json.loads(response.content)["citizen"]["nik"] == citizen.citizen.nik
    assert AuditEvent.objects.filter(
        action="personal_data.exported", subject=citizen, details__channel="file"
    ).exists()


def test_the_page_needs_a_signed_in_person(client):
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 302
    assert client.get(reverse("api:my_data")).status_code == 401


def test_staff_cannot_open_another_persons_data(client, people):
    citizen, officer = people["warga"], people["penyelia.dukcapil"]
    client.force_login(officer)
    for name in ("accounts:my_data", "accounts:my_data_download"):
        body = client.get(reverse(name), {"user": citizen.pk}).content.decode()
        assert citizen.citizen.nik not in body
    assert client.get(reverse("accounts:my_data") + f"{citizen.pk}/").status_code == 404


def test_the_api_answers_one_document_of_the_persons_own_data(client, people):
    citizen = people["warga"]
    case = open_case(people, BIRTH, "warga")
    client.force_login(citizen)
    body = client.get(reverse("api:my_data")).json()
    assert case.submission.tracking in [row["tracking"] for row in body["cases"]]
    assert AuditEvent.objects.filter(
        action="personal_data.exported", subject=citizen, details__channel="api"
    ).exists()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("name", ["accounts:my_data", "accounts:my_data_download", "api:my_data"])
def test_the_cost_does_not_grow_with_the_number_of_cases(client, people, name):
    citizen = people["warga"]
    client.force_login(citizen)
    for _ in range(2):
        case = open_case(people, BIRTH, "warga")
        Message.objects.create(case=case, author=citizen, body="halo")
    url = reverse(name)
    client.get(url)
    few = _queries(client, url)
    for _ in range(18):
        case = open_case(people, BIRTH, "warga")
        Message.objects.create(case=case, author=citizen, body="halo")
    assert _queries(client, url) == few
