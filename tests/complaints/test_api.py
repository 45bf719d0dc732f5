"""Complaints over the API (complaints, 5): anyone files with `POST /api/v1/complaints`
(bounded input, Idempotency-Key honoured), the complainant reads and writes with their
session or the follow-up code, and the agency lists, reads and follows up its complaints
(session or API key). Errors answer `{"detail", "code"}`."""

import pytest

from satupintu.accounts.services import api_key_create
from satupintu.complaints import services
from satupintu.complaints.constants import ComplaintStatus
from satupintu.complaints.models import Complaint
from tests.complaints.factories import BIRTH, agency, file

pytestmark = pytest.mark.django_db

REPORT = {
    "kind": "complaint",
    "title": "Petugas tidak ramah",
    "body": "Saya dibentak di loket 2.",
    "service": BIRTH,
}


def post(client, path, data, **headers):
    return client.post(path, data, content_type="application/json", headers=headers)


def test_somebody_without_an_account_files_and_follows_with_the_code(client, people):
    response = post(client, "/api/v1/complaints", {**REPORT, "anonymous": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking"].startswith("ADU-")
    assert body["status"] == ComplaintStatus.RECEIVED
    assert body["agency"]["code"] == "dukcapil-surabaya"
    code = body["follow_up_code"]
    assert code and len(code) == 14

    read = client.get(f"/api/v1/complaints/{body['tracking']}", headers={"x-follow-up-code": code})
    assert read.status_code == 200
    assert read.json()["deadline"]["kind"] == "due"
    assert "follow_up_code" not in read.json()  # shown once, when filed

    message = post(
        client,
        f"/api/v1/complaints/{body['tracking']}/messages",
        {"body": "Terjadi pukul 10.00."},
        **{"x-follow-up-code": code},
    )
    assert message.status_code == 201 and message.json()["sender"] == "complainant"
    assert message.json()["sender_label"]


def test_the_idempotency_key_returns_the_first_report_and_its_code(client, people):
    key = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    first = post(client, "/api/v1/complaints", REPORT, **{"idempotency-key": key})
    again = post(
        client, "/api/v1/complaints", {**REPORT, "title": "Lain"}, **{"idempotency-key": key}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking"] == first.json()["tracking"]
    assert again.json()["follow_up_code"] == first.json()["follow_up_code"]
    assert again.json()["title"] == REPORT["title"]
    assert Complaint.objects.count() == 1
    # Another key makes another report; a short key from nobody is refused.
    assert (
        post(client, "/api/v1/complaints", REPORT, **{"idempotency-key": "x" * 20}).status_code
        == 201
    )
    weak = post(client, "/api/v1/complaints", REPORT, **{"idempotency-key": "abc"})
    assert weak.status_code == 400 and weak.json()["code"] == "weak_idempotency_key"
    long = post(client, "/api/v1/complaints", REPORT, **{"idempotency-key": "y" * 129})
    assert long.status_code == 400


def test_a_signed_in_citizen_files_with_a_key_of_their_own(client, people):
    client.force_login(people["warga"])
    first = post(client, "/api/v1/complaints", REPORT, **{"idempotency-key": "a1"})
    again = post(client, "/api/v1/complaints", REPORT, **{"idempotency-key": "a1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["follow_up_code"] is None
    assert Complaint.objects.get().complainant == people["warga"]
    # The same key from another person is another report.
    client.force_login(people["warga2"])
    other = post(client, "/api/v1/complaints", REPORT, **{"idempotency-key": "a1"})
    assert other.status_code == 201 and other.json()["tracking"] != first.json()["tracking"]
    mine = client.get("/api/v1/my/complaints").json()["items"]
    assert [item["tracking"] for item in mine] == [other.json()["tracking"]]


def test_input_is_bounded(client, people):
    too_long = post(client, "/api/v1/complaints", {**REPORT, "body": "x" * 5001})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["path"] == "body"
    empty = post(client, "/api/v1/complaints", {**REPORT, "title": ""})
    assert empty.status_code == 422
    unknown = post(client, "/api/v1/complaints", {**REPORT, "service": "no-such-service"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_service"
    kind = post(client, "/api/v1/complaints", {**REPORT, "kind": "gossip"})
    assert kind.status_code == 422
    assert Complaint.objects.count() == 0


def test_the_agency_lists_reads_and_follows_up_with_an_api_key(client, people):
    complaint = file(people["warga"]).complaint
    services.complaint_route(
        complaint=complaint, actor=people["koordinator.lapor"], agency=agency()
    )
    _key, secret = api_key_create(agency=agency(), name="SIAK", actor=None)
    auth = {"authorization": f"Bearer {secret}"}
    items = client.get("/api/v1/agency/complaints", headers=auth).json()["items"]
    assert [item["tracking"] for item in items] == [complaint.tracking]
    detail = client.get(f"/api/v1/agency/complaints/{complaint.tracking}", headers=auth).json()
    assert detail["complainant"]["name"] == "Siti Rahayu"
    answer = post(
        client,
        f"/api/v1/agency/complaints/{complaint.tracking}/follow-up",
        {"body": "Akta sudah dapat diambil."},
        **auth,
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == ComplaintStatus.FOLLOWED_UP
    assert answer.json()["follow_ups"][0]["body"] == "Akta sudah dapat diambil."
    note = post(
        client,
        f"/api/v1/agency/complaints/{complaint.tracking}/messages",
        {"body": "Untuk koordinator.", "internal": True},
        **auth,
    )
    assert note.status_code == 201 and note.json()["internal"] is True
    # The complainant sees the follow-up, not the internal note.
    client.force_login(people["warga"])
    mine = client.get(f"/api/v1/complaints/{complaint.tracking}").json()
    assert [m["body"] for m in mine["follow_ups"]] == ["Akta sudah dapat diambil."]
    assert "Untuk koordinator." not in str(mine)
    # Citizens have no agency list.
    assert client.get("/api/v1/agency/complaints").status_code == 403


def test_the_agency_queue_pages_by_keyset(client, people):
    for _ in range(5):
        services.complaint_route(
            complaint=file(people["warga"]).complaint,
            actor=people["koordinator.lapor"],
            agency=agency(),
        )
    client.force_login(people["petugas.dukcapil"])
    seen, address = [], "/api/v1/agency/complaints?limit=2"
    while address:
        body = client.get(address).json()
        seen += [item["tracking"] for item in body["items"]]
        address = body["next"]
    assert len(seen) == len(set(seen)) == 5
    bad = client.get("/api/v1/agency/complaints?cursor=%%%")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"


def test_the_operations_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/complaints",
        "/api/v1/complaints/{tracking}",
        "/api/v1/complaints/{tracking}/messages",
        "/api/v1/agency/complaints",
        "/api/v1/agency/complaints/{tracking}",
        "/api/v1/agency/complaints/{tracking}/follow-up",
    ):
        assert path in paths


def test_a_signed_in_call_needs_the_csrf_token_and_a_call_by_nobody_does_not(people):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert post(browser, "/api/v1/complaints", REPORT).status_code == 201
    browser.force_login(people["warga"])
    refused = post(browser, "/api/v1/complaints", REPORT)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert not Complaint.objects.filter(complainant=people["warga"]).exists()
