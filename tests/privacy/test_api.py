"""Requirement (UU PDP; the API for the subject): ``GET/POST /api/v1/me/data-requests`` lists
and files the signed-in person's requests to correct or delete their data, with the due time
and the answer; one request by its reference; nobody else's; errors in the API's one shape."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from satupintu.privacy import services
from satupintu.privacy.constants import RecordKind, RequestKind
from satupintu.privacy.models import DataRequest

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/data-requests"


def post(client, body: dict):
    return client.post(URL, body, content_type="application/json")


def test_the_person_files_a_correction_due_in_72_hours(people, as_user):
    client = as_user("warga")
    response = post(
        client,
        {"kind": "correction", "field": "address", "proposed_value": "Jl. Melati No. 3"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    received, due = parse_datetime(body["received_at"]), parse_datetime(body["due_at"])
    assert due - received == datetime.timedelta(hours=72)
    assert body["status"] == "open" and body["overdue"] is False
    filed = DataRequest.objects.get(tracking=body["reference"])
    assert filed.requester == people["warga"] and filed.proposed_value == "Jl. Melati No. 3"
    assert client.get(body["url"]).json()["reference"] == body["reference"]


def test_the_list_holds_only_the_persons_own_requests_newest_first(people, as_user):
    first = services.data_request_file(
        requester=people["warga"], kind=RequestKind.DELETION, scope="suggestions"
    )
    second = services.data_request_file(
        requester=people["warga"], kind=RequestKind.CORRECTION, field="name", proposed_value="X"
    )
    theirs = services.data_request_file(
        requester=people["warga2"], kind=RequestKind.CORRECTION, field="name", proposed_value="Y"
    )
    body = as_user("warga").get(URL).json()
    assert [item["reference"] for item in body["items"]] == [second.tracking, first.tracking]
    assert body["next"] is None
    assert as_user("warga").get(f"{URL}/{theirs.tracking}").status_code == 404


def test_the_answer_and_what_was_kept_are_in_the_request(
    people, as_user, django_capture_on_commit_callbacks
):
    filed = services.data_request_file(
        requester=people["warga"], kind=RequestKind.DELETION, scope="cases"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.data_request_erase(data_request=filed, actor=people["ppdp"], answer="Selesai.")
    body = as_user("warga").get(f"{URL}/{filed.tracking}").json()
    assert body["status"] == "done" and body["answer"] == "Selesai."
    (row,) = body["outcome"]
    assert row["kind"] == RecordKind.CASES and row["what"] == "keep"
    assert "UU 25/2009" in row["legal_basis"] and row["until"]


@pytest.mark.parametrize(
    ("body", "status", "path"),
    [
        ({"kind": "correction", "field": "nik", "proposed_value": ""}, 422, "proposed_value"),
        ({"kind": "deletion", "scope": "semuanya"}, 422, "scope"),
        ({"kind": "koreksi"}, 422, "kind"),
    ],
)
def test_a_wrong_request_answers_in_the_error_shape(people, as_user, body, status, path):
    response = post(as_user("warga"), body)
    assert response.status_code == status
    answer = response.json()
    assert answer["code"] and answer["detail"]
    assert path in [problem["path"] for problem in answer["errors"]]
    assert not DataRequest.objects.exists()


def test_the_same_deletion_twice_is_a_conflict(people, as_user):
    client = as_user("warga")
    assert post(client, {"kind": "deletion", "scope": "all"}).status_code == 201
    again = post(client, {"kind": "deletion", "scope": "all"})
    assert again.status_code == 409 and again.json()["code"] == "already_requested"


def test_signing_in_and_the_csrf_token_are_needed(people):
    assert Client().get(URL).status_code == 401
    assert post(Client(), {"kind": "deletion", "scope": "all"}).status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["warga"])
    refused = post(strict, {"kind": "deletion", "scope": "all"})
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert not DataRequest.objects.exists()


def test_a_cursor_that_is_not_one_of_ours_is_refused(people, as_user):
    response = as_user("warga").get(URL, {"cursor": "bukan-kursor"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"


def test_the_operations_are_in_the_schema():
    schema = Client().get(reverse("api:openapi-json")).json()
    operations = schema["paths"][URL]
    assert {"get", "post"} <= set(operations)
    assert {"201", "409", "422"} <= set(operations["post"]["responses"])
