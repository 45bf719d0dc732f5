"""A satisfied complainant closes their report (complaints: "I am satisfied, close my
report"): once the agency has followed it up, the complainant — signed in, or with the report
number and follow-up code — closes it on its page or through the API instead of waiting
for the sweep. The closing is on the timeline and in the audit trail (without naming an
anonymous complainant), the agency's handlers are told, and the report's page shows it
closed. Before the follow-up, or for anyone else, nothing closes."""

import datetime

import pytest

from satupintu.complaints import services
from satupintu.complaints.constants import ComplaintStatus, EventKind, Sender
from satupintu.complaints.models import Complaint
from satupintu.core.errors import Conflict
from satupintu.core.models import AuditEvent
from tests.complaints.factories import agency, file, url
from tests.complaints.test_pages import text

pytestmark = pytest.mark.django_db


def follow_up(people, complaint: Complaint) -> Complaint:
    """The agency's officer answers ``complaint``."""
    services.complaint_follow_up(
        complaint=complaint, actor=people["petugas.dukcapil"], body="Akta sudah terbit."
    )
    complaint.refresh_from_db()
    return complaint


def route(people, complaint: Complaint) -> Complaint:
    """The coordinator sends ``complaint`` to Dukcapil."""
    return services.complaint_route(
        complaint=complaint, actor=people["koordinator.lapor"], agency=agency()
    )


def followed_up(people, complainant=None, **kwargs) -> Complaint:
    """A complaint routed to Dukcapil and followed up by its officer."""
    return follow_up(people, route(people, file(complainant, **kwargs).complaint))


def open_with_code(client, complaint, code: str) -> None:
    response = client.post(url("follow"), {"tracking": complaint.tracking, "code": code})
    assert response.status_code == 302


def test_a_guest_closes_a_followed_up_report_on_its_page(
    client, people, django_capture_on_commit_callbacks
):
    filed = file(None)
    complaint = follow_up(people, route(people, filed.complaint))
    open_with_code(client, complaint, filed.code)
    page = text(client.get(url("complaint", complaint.tracking)))
    assert "I am satisfied: close my report" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("complaint_close", complaint.tracking))

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and not complaint.is_open
    assert complaint.closed_at is not None
    event = complaint.events.get(kind=EventKind.CLOSED)
    assert event.by == Sender.COMPLAINANT and event.actor is None
    audit = AuditEvent.objects.get(action="complaint.closed", object_id=str(complaint.public_id))
    assert audit.actor is None and audit.details == {"by": "complainant"}
    # The agency's handlers hear of it; the complainant, who did it, is not told again.
    notice = people["petugas.dukcapil"].notifications.get(kind="complaint.closed")
    assert complaint.tracking in notice.title
    page = text(client.get(response.url))
    assert "Your report is closed. Thank you for telling us." in page
    assert "You closed the report, satisfied with the follow-up" in page
    assert "This report is closed." in page
    assert "I am satisfied: close my report" not in page
    assert 'name="body"' not in page  # no more writing


def test_a_signed_in_complainant_closes_and_the_staff_see_who_closed_it(as_user, people):
    complaint = followed_up(people, people["warga"])
    client = as_user("warga")
    client.post(url("complaint_close", complaint.tracking))
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    event = complaint.events.get(kind=EventKind.CLOSED)
    assert event.actor == people["warga"]
    assert AuditEvent.objects.filter(
        action="complaint.closed", actor=people["warga"], subject=people["warga"]
    ).exists()
    staff = text(as_user("petugas.dukcapil").get(url("agency_complaint", complaint.tracking)))
    assert "The complainant closed the report, satisfied with the follow-up" in staff


def test_an_anonymous_complainant_with_an_account_is_not_named(as_user, people):
    complaint = followed_up(people, people["warga"], anonymous=True)
    as_user("warga").post(url("complaint_close", complaint.tracking))
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.events.get(kind=EventKind.CLOSED).actor is None
    audit = AuditEvent.objects.get(action="complaint.closed", object_id=str(complaint.public_id))
    assert audit.actor is None and audit.subject is None


def test_nothing_closes_before_the_agency_follows_it_up(as_user, people):
    complaint = file(people["warga"]).complaint
    client = as_user("warga")
    assert "I am satisfied: close my report" not in text(
        client.get(url("complaint", complaint.tracking))
    )
    response = client.post(url("complaint_close", complaint.tracking), follow=True)
    assert "once the agency has followed it up" in text(response)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and complaint.is_open
    routed = route(people, complaint)
    with pytest.raises(Conflict):
        services.complaint_close_by_complainant(complaint=routed, actor=people["warga"])
    assert not Complaint.objects.filter(status=ComplaintStatus.CLOSED).exists()


def test_a_closed_report_stays_closed(people):
    complaint = followed_up(people, people["warga"])
    services.complaint_close_by_complainant(complaint=complaint, actor=people["warga"])
    with pytest.raises(Conflict):
        services.complaint_close_by_complainant(complaint=complaint, actor=people["warga"])
    # The sweep's closing, later, leaves it as it is.
    later = datetime.date.today() + datetime.timedelta(days=60)
    assert services.complaint_close(complaint=complaint, today=later) is False
    assert complaint.events.filter(kind=EventKind.CLOSED).count() == 1


def test_nobody_else_closes_it(client, as_user, people):
    complaint = followed_up(people, people["warga"])
    guest = client.post(url("complaint_close", complaint.tracking))
    assert guest.status_code == 302 and guest.url == url("follow")
    other = as_user("warga2").post(url("complaint_close", complaint.tracking))
    assert other.status_code == 404
    officer = as_user("petugas.dukcapil").post(url("complaint_close", complaint.tracking))
    assert officer.status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FOLLOWED_UP and complaint.is_open


def test_the_api_closes_with_the_follow_up_code(client, people):
    filed = file(None)
    complaint = route(people, filed.complaint)
    path = f"/api/v1/complaints/{complaint.tracking}/close"
    assert client.post(path, headers={"x-follow-up-code": "2222-2222-2222"}).status_code == 404
    early = client.post(path, headers={"x-follow-up-code": filed.code})
    assert early.status_code == 409
    assert early.json()["code"] == "complaint_not_followed_up"
    follow_up(people, complaint)
    closed = client.post(path, headers={"x-follow-up-code": filed.code})
    assert closed.status_code == 200
    body = closed.json()
    assert body["status"] == "closed" and body["is_open"] is False
    assert body["deadline"]["kind"] == "closed"
    again = client.post(path, headers={"x-follow-up-code": filed.code})
    assert again.status_code == 409 and again.json()["code"] == "complaint_closed"
