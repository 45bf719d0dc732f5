"""The pages (complaints, 2 and 3): the coordinator verifies, routes, rejects and asks for
more; the agency works its queue (keyset paging, overdue first, filters) and writes its
follow-up; the complainant follows status, deadline, follow-up and timeline and answers.
Forms keep what was typed and say what is wrong next to the field. A complainant without an
account who left an e-mail is told of news by e-mail, never with the follow-up code."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.complaints import services
from satupintu.complaints.constants import ComplaintStatus
from satupintu.complaints.models import Complaint, ComplaintMail
from satupintu.complaints.notices import complaint_mail_send
from satupintu.core.models import AuditEvent
from tests.complaints.factories import GUEST, SECRET, agency, file, url

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_coordinator_routes_from_the_page(as_user, people, django_capture_on_commit_callbacks):
    complaint = file(people["warga"]).complaint
    client = as_user("koordinator.lapor")
    queue = text(client.get(url("coordinator_queue")))
    assert complaint.tracking in queue and complaint.title in queue
    page = text(client.get(url("coordinator_complaint", complaint.tracking)))
    assert "Siti Rahayu" in page  # not anonymous: the coordinator sees who filed it
    assert AuditEvent.objects.filter(action="complainant.viewed", subject=people["warga"]).exists()

    refused = client.post(
        url("coordinator_route", complaint.tracking), {"agency": "", "note": "Catatan saya"}
    )
    assert refused.status_code == 422
    assert "Choose the agency to send it to." in text(refused)
    assert "Catatan saya" in text(refused)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url("coordinator_route", complaint.tracking),
            {"agency": "dukcapil-surabaya", "note": "Mohon dicek."},
        )
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ROUTED and complaint.agency == agency()
    assert complaint.coordinator == people["koordinator.lapor"]
    # The agency's staff are told, and see the coordinator's note.
    officer = as_user("petugas.dukcapil")
    assert people["petugas.dukcapil"].notifications.filter(kind="complaint.routed").exists()
    assert "Mohon dicek." in text(officer.get(url("agency_complaint", complaint.tracking)))


def test_the_coordinator_rejects_with_a_reason_the_complainant_reads(as_user, people):
    complaint = file(people["warga"]).complaint
    client = as_user("koordinator.lapor")
    missing = client.post(url("coordinator_reject", complaint.tracking), {"reason": "duplicate"})
    assert missing.status_code == 422
    assert "Explain to the complainant why" in text(missing)
    client.post(
        url("coordinator_reject", complaint.tracking),
        {"reason": "duplicate", "note": "Sama dengan ADU-2222-2222-2."},
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REJECTED and not complaint.is_open
    page = text(as_user("warga").get(url("complaint", complaint.tracking)))
    assert "Duplicate of another report" in page and "Sama dengan ADU-2222-2222-2." in page
    assert "This report is closed." in page


def test_asking_for_more_and_the_answer(as_user, people):
    complaint = file(people["warga"]).complaint
    coordinator = as_user("koordinator.lapor")
    coordinator.post(
        url("coordinator_request", complaint.tracking), {"message": "Kapan kejadiannya?"}
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.NEEDS_INFO and complaint.is_paused
    citizen = as_user("warga")
    page = text(citizen.get(url("complaint", complaint.tracking)))
    assert "The coordinator needs more information from you" in page
    assert "Kapan kejadiannya?" in page and "Paused until you answer" in page
    empty = citizen.post(url("complaint", complaint.tracking), {"body": ""})
    assert empty.status_code == 400 and "Write a message first." in text(empty)
    citizen.post(url("complaint", complaint.tracking), {"body": "Senin lalu."})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and not complaint.is_paused
    timeline = text(citizen.get(url("complaint", complaint.tracking)))
    assert "You answered" in timeline


def test_the_agency_writes_its_follow_up_and_the_complainant_reads_it(as_user, people):
    complaint = services.complaint_route(
        complaint=file(people["warga"]).complaint,
        actor=people["koordinator.lapor"],
        agency=agency(),
    )
    officer = as_user("petugas.dukcapil")
    page = text(officer.get(url("agency_complaint", complaint.tracking)))
    assert "Send the follow-up" in page
    officer.post(url("agency_follow_up", complaint.tracking), {"body": "Akta sudah terbit."})
    officer.post(
        url("agency_message", complaint.tracking),
        {"body": "Catatan internal.", "audience": "internal"},
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FOLLOWED_UP
    page = text(as_user("warga").get(url("complaint", complaint.tracking)))
    assert "The agency's follow-up" in page and "Akta sudah terbit." in page
    assert "Catatan internal." not in page
    assert "Closes on" in page
    assert "Ahmad" not in page  # officers are never named to the complainant


def test_the_agency_queue_puts_overdue_first_and_pages_by_keyset(as_user, people):
    coordinator = people["koordinator.lapor"]
    long_ago = datetime.date.today() - datetime.timedelta(days=30)
    overdue = services.complaint_route(
        complaint=file(people["warga"], title="Terlambat sekali").complaint,
        actor=coordinator,
        agency=agency(),
        today=long_ago,
    )
    for number in range(55):
        services.complaint_route(
            complaint=file(people["warga2"], title=f"Laporan {number}").complaint,
            actor=coordinator,
            agency=agency(),
        )
    client = as_user("petugas.dukcapil")
    client.get(url("agency_queue"))  # warm the per-process caches (holidays)

    def load(address):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        return len(queries), response

    first_count, first = load(url("agency_queue"))
    rows = first.context["rows"]
    assert rows[0]["complaint"] == overdue and rows[0]["deadline"].kind == "overdue"
    assert "working days late" in text(first)
    second_count, second = load(url("agency_queue") + first.context["next_url"])
    assert second_count == first_count
    third_count, third = load(url("agency_queue") + second.context["next_url"])
    assert first_count == third_count
    seen = [row["complaint"].pk for page in (first, second, third) for row in page.context["rows"]]
    assert len(seen) == len(set(seen)) == 56
    only_overdue = client.get(url("agency_queue") + "?due=overdue").context["rows"]
    assert [row["complaint"] for row in only_overdue] == [overdue]
    whistle = client.get(url("agency_queue") + "?kind=whistleblowing").context["rows"]
    assert whistle == []


def test_a_guest_with_an_e_mail_is_told_by_e_mail_without_the_code(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        filed = services.complaint_file(
            actor=AnonymousUser(),
            kind="complaint",
            title="Loket tutup",
            body="Tutup lebih awal.",
            anonymous=True,
            **GUEST,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_request_information(
            complaint=filed.complaint, actor=people["koordinator.lapor"], message="Kapan?"
        )
    sent = [message for message in mail.outbox if message.to == [GUEST["email"]]]
    assert len(sent) == 2  # filed, and the question
    for message in sent:
        assert filed.complaint.tracking in message.body
        assert filed.code not in message.body
        assert "Kapan?" not in message.body  # the text stays behind the page
    # Sending again changes nothing.
    outbox = len(mail.outbox)
    for row in ComplaintMail.objects.all():
        assert complaint_mail_send(mail_id=row.pk) is False
    assert len(mail.outbox) == outbox


def test_my_reports_lists_only_mine(as_user, people):
    mine = file(people["warga"], title="Laporan saya").complaint
    file(people["warga2"], title="Laporan orang lain")
    page = text(as_user("warga").get(url("mine")))
    assert mine.tracking in page and "Laporan orang lain" not in page
    assert Complaint.objects.count() == 2


def test_the_other_lists_cost_the_same_on_every_page(as_user, people):
    for number in range(45):
        complaint = file(people["warga"], title=f"Laporan {number}").complaint
        services.complaint_route(
            complaint=complaint, actor=people["koordinator.lapor"], agency=agency()
        )

    def counts(client, first_address: str, *, api: bool = False) -> list[int]:
        client.get(first_address)  # warm the per-process caches (holidays)
        found, address = [], first_address
        while address and len(found) < 3:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(address)
            assert response.status_code == 200
            found.append(len(queries))
            if api:
                address = response.json()["next"]
            else:
                following = response.context["next_url"]
                address = first_address.split("?")[0] + following if following else ""
        return found

    coordinator = counts(as_user("koordinator.lapor"), url("coordinator_queue"))
    assert len(coordinator) == 2 and len(set(coordinator)) == 1
    mine = counts(as_user("warga"), url("mine"))
    # Later pages find their anchor (the last report shown) by its public id: one query.
    assert len(mine) == 3 and mine[1] == mine[2] <= mine[0] + 1
    api = counts(as_user("petugas.dukcapil"), "/api/v1/agency/complaints?limit=20", api=True)
    assert len(api) == 3 and len(set(api)) == 1


def test_the_admin_lists_complaints_without_who_filed_them(client, people):
    complaint = file(people["pelapor.rahasia"]).complaint
    client.force_login(people["admin"])
    listing = client.get("/en/admin/complaints/complaint/")
    assert listing.status_code == 200 and complaint.tracking in listing.content.decode()
    page = client.get(f"/en/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.status_code == 200
    assert SECRET["last_name"] not in page.content.decode()
    assert SECRET["email"] not in page.content.decode()
    client.force_login(people["admin.dukcapil"])
    assert client.get("/en/admin/complaints/complaint/").status_code == 403
