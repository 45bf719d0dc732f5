"""Who may see a complaint (complaints, 3 and 8): another agency's staff get "not found" on
the pages and in the API; a citizen cannot read another's complaint; a report filed without
an account opens only with its follow-up code; only coordinators reach the coordinator's
pages; the agency sees a complaint only once it is routed to it."""

import pytest

from satupintu.complaints import services
from satupintu.complaints.constants import Sender
from tests.complaints.factories import agency, file, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(people):
    complaint = file(people["warga"]).complaint
    return services.complaint_route(
        complaint=complaint, actor=people["koordinator.lapor"], agency=agency()
    )


def test_another_agency_s_staff_get_not_found(as_user, routed):
    client = as_user("petugas.dpmptsp")
    assert client.get(url("agency_complaint", routed.tracking)).status_code == 404
    assert client.post(url("agency_follow_up", routed.tracking), {"body": "x"}).status_code == 404
    assert client.post(url("agency_message", routed.tracking), {"body": "x"}).status_code == 404
    api = client.get(f"/api/v1/agency/complaints/{routed.tracking}")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    answer = client.post(
        f"/api/v1/agency/complaints/{routed.tracking}/follow-up",
        {"body": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert routed.tracking not in client.get(url("agency_queue")).content.decode()
    assert routed.tracking not in client.get("/api/v1/agency/complaints").content.decode()
    # Its own agency sees it.
    own = as_user("petugas.dukcapil")
    assert own.get(url("agency_complaint", routed.tracking)).status_code == 200
    assert routed.tracking in own.get(url("agency_queue")).content.decode()


def test_the_agency_sees_a_complaint_only_once_routed(as_user, people):
    complaint = file(people["warga"]).complaint  # about a Dukcapil service, not yet routed
    client = as_user("petugas.dukcapil")
    assert client.get(url("agency_complaint", complaint.tracking)).status_code == 404
    assert complaint.tracking not in client.get(url("agency_queue")).content.decode()


def test_an_agency_administrator_reads_but_does_not_answer(as_user, routed):
    client = as_user("admin.dukcapil")
    page = client.get(url("agency_complaint", routed.tracking))
    assert page.status_code == 200
    assert "Send the follow-up" not in page.content.decode()
    assert client.post(url("agency_follow_up", routed.tracking), {"body": "x"}).status_code == 403


def test_a_citizen_cannot_read_another_s_complaint(as_user, people):
    complaint = file(people["warga"]).complaint
    client = as_user("warga2")
    assert client.get(url("complaint", complaint.tracking)).status_code == 404
    assert client.get(f"/api/v1/complaints/{complaint.tracking}").status_code == 404
    message = client.post(
        f"/api/v1/complaints/{complaint.tracking}/messages",
        {"body": "x"},
        content_type="application/json",
    )
    assert message.status_code == 404
    assert as_user("warga").get(url("complaint", complaint.tracking)).status_code == 200


def test_a_guest_s_report_opens_only_with_its_code(client, people):
    filed = file(None)
    tracking = filed.complaint.tracking
    assert client.get(url("complaint", tracking)).status_code == 302  # to the follow page
    assert client.get(f"/api/v1/complaints/{tracking}").status_code == 404
    wrong = client.get(
        f"/api/v1/complaints/{tracking}", headers={"x-follow-up-code": "2222-3333-4444"}
    )
    assert wrong.status_code == 404
    right = client.get(f"/api/v1/complaints/{tracking}", headers={"x-follow-up-code": filed.code})
    assert right.status_code == 200 and right.json()["tracking"] == tracking
    # Even a signed-in person, and even the one who filed a report of their own, needs it.
    client.force_login(people["warga"])
    assert client.get(url("complaint", tracking)).status_code == 404
    # The code of one report does not open another.
    other = file(None)
    crossed = client.get(
        f"/api/v1/complaints/{other.complaint.tracking}", headers={"x-follow-up-code": filed.code}
    )
    assert crossed.status_code == 404


def test_only_coordinators_reach_the_coordinator_s_pages(as_user, people):
    complaint = file(people["warga"]).complaint
    for username in ("warga", "petugas.dukcapil", "admin"):
        client = as_user(username)
        assert client.get(url("coordinator_queue")).status_code == 403
        assert client.get(url("coordinator_complaint", complaint.tracking)).status_code == 403
        refused = client.post(
            url("coordinator_route", complaint.tracking), {"agency": "dukcapil-surabaya"}
        )
        assert refused.status_code == 403
    client = as_user("koordinator.lapor")
    assert client.get(url("coordinator_complaint", complaint.tracking)).status_code == 200


def test_a_complainant_cannot_write_as_staff(people):
    complaint = file(people["warga"]).complaint
    with pytest.raises(Exception) as refused:
        services.complaint_message_post(
            complaint=complaint, actor=people["warga"], body="x", sender=Sender.COORDINATOR
        )
    assert getattr(refused.value, "status", None) == 403
