"""Anonymous complaints never reveal who filed them (complaints, 1 and 8): the agency's pages,
its API answers, the export and the notices sent to staff hold neither the name, the e-mail,
the phone, the NIK nor the username of the complainant — nor the application the complaint
was about, which would name them. Even the coordinator learns only that the complainant can
be reached. The same checks on a complaint that is not anonymous find the identity (so that
these tests can fail), and reading it is audited with the complainant as the data subject."""

import datetime
import json

import pytest
from django.utils import timezone

from satupintu.accounts.services import api_key_create
from satupintu.cases.models import Case
from satupintu.complaints import services
from satupintu.complaints.constants import Sender
from satupintu.core.models import AuditEvent
from satupintu.notifications.models import Notification
from tests.complaints.factories import (
    GUEST,
    GUEST_MARKERS,
    SECRET,
    SECRET_MARKERS,
    agency,
    file,
    url,
)

pytestmark = pytest.mark.django_db


def found(text: str, markers: list[str]) -> list[str]:
    return [marker for marker in markers if marker.lower() in text.lower()]


@pytest.fixture
def case_of_secret(people, make_secret_case):
    return make_secret_case()


@pytest.fixture
def make_secret_case(people):
    """An application of `pelapor.rahasia`, so that a complaint can be about it."""
    from satupintu.cases.constants import SubmissionStatus
    from satupintu.cases.models import Submission
    from satupintu.cases.services import case_open
    from satupintu.catalog.models import Service
    from satupintu.core.tracking import generate

    def make() -> Case:
        service = Service.objects.get(code="dukcapil-surabaya.akta-kelahiran")
        now = timezone.now()
        submission = Submission.objects.create(
            applicant=people["pelapor.rahasia"],
            service_version=service.current_version,
            status=SubmissionStatus.SUBMITTED,
            submitted_at=now,
            tracking=generate(),
        )
        return case_open(
            submission=submission,
            service_version=service.current_version,
            submitted_at=now,
            actor=people["pelapor.rahasia"],
        )

    return make


def routed(people, act, complaint, *, follow_up: bool = True):
    act(
        services.complaint_route,
        complaint=complaint,
        actor=people["koordinator.lapor"],
        agency=agency(),
    )
    act(
        services.complaint_message_post,
        complaint=complaint,
        actor=complaint.complainant,
        body="Tambahan dari pelapor.",
        sender=Sender.COMPLAINANT,
    )
    if follow_up:
        act(
            services.complaint_follow_up,
            complaint=complaint,
            actor=people["petugas.dukcapil"],
            body="Sudah kami tindak lanjuti.",
        )
    complaint.refresh_from_db()
    return complaint


def everything_the_agency_sees(client, people, complaint) -> str:
    """The agency's pages and API answers about ``complaint``, the export, and every notice
    its staff and the coordinators were sent."""
    client.force_login(people["petugas.dukcapil"])
    parts = [
        client.get(url("agency_queue")).content.decode(),
        client.get(url("agency_complaint", complaint.tracking)).content.decode(),
        client.get(url("agency_queue", language="id")).content.decode(),
        client.get(url("agency_complaint", complaint.tracking, language="id")).content.decode(),
        client.get("/api/v1/agency/complaints").content.decode(),
        client.get(f"/api/v1/agency/complaints/{complaint.tracking}").content.decode(),
    ]
    today = timezone.localdate()
    parts.append(
        client.post(
            url("export"),
            {"date_from": today - datetime.timedelta(days=3), "date_to": today, "format": "json"},
        ).content.decode()
    )
    parts.append(
        client.post(
            url("export"),
            {"date_from": today - datetime.timedelta(days=3), "date_to": today, "format": "csv"},
        ).content.decode()
    )
    # An agency's system, with its API key.
    _key, secret = api_key_create(agency=agency(), name="Sistem", actor=None)
    parts.append(
        client.get(
            f"/api/v1/agency/complaints/{complaint.tracking}",
            headers={"authorization": f"Bearer {secret}"},
        ).content.decode()
    )
    staff_notices = Notification.objects.exclude(recipient=complaint.complainant).values_list(
        "title", "body"
    )
    parts += [f"{title} {body}" for title, body in staff_notices]
    for part in parts[:2]:
        assert complaint.title in part  # the pages were really shown
    return "\n".join(parts)


def test_an_anonymous_complaint_shows_nobody_who_filed_it(client, people, act, case_of_secret):
    complaint = act(
        file,
        actor=people["pelapor.rahasia"],
        case=case_of_secret,
        anonymous=True,
        service=None,
    ).complaint
    complaint = routed(people, act, complaint)
    seen = everything_the_agency_sees(client, people, complaint)
    assert found(seen, SECRET_MARKERS) == []
    assert case_of_secret.submission.tracking not in seen
    # No identity was read, so nothing of it is in the audit trail as read.
    assert not AuditEvent.objects.filter(action="complainant.viewed").exists()


def test_the_coordinator_learns_only_that_the_complainant_can_be_reached(
    client, people, act, case_of_secret
):
    complaint = act(
        file, actor=people["pelapor.rahasia"], case=case_of_secret, anonymous=True, service=None
    ).complaint
    client.force_login(people["koordinator.lapor"])
    page = client.get(url("coordinator_complaint", complaint.tracking)).content.decode()
    assert complaint.title in page
    assert found(page, SECRET_MARKERS) == []
    assert case_of_secret.submission.tracking not in page
    assert "reach the complainant through the platform" in page


def test_a_guest_s_anonymous_complaint_shows_no_e_mail(client, people, act):
    complaint = act(file, actor=None, anonymous=True, **GUEST).complaint
    complaint.refresh_from_db()
    complaint = routed(people, act, complaint, follow_up=False)
    seen = everything_the_agency_sees(client, people, complaint)
    assert found(seen, GUEST_MARKERS) == []
    client.force_login(people["koordinator.lapor"])
    page = client.get(url("coordinator_complaint", complaint.tracking)).content.decode()
    assert found(page, GUEST_MARKERS) == []


def test_a_complaint_that_is_not_anonymous_shows_who_filed_it_and_audits_it(
    client, people, act, case_of_secret
):
    complaint = act(
        file, actor=people["pelapor.rahasia"], case=case_of_secret, service=None
    ).complaint
    complaint = routed(people, act, complaint)
    seen = everything_the_agency_sees(client, people, complaint)
    assert set(found(seen, SECRET_MARKERS)) >= {
        SECRET["first_name"],
        SECRET["email"],
        SECRET["phone"],
    }
    assert SECRET["nik"] not in seen  # never needed for a complaint
    assert case_of_secret.submission.tracking in seen
    views = AuditEvent.objects.filter(
        action="complainant.viewed", subject=people["pelapor.rahasia"]
    )
    assert views.filter(actor=people["petugas.dukcapil"]).exists()
    assert AuditEvent.objects.filter(
        action="complainant.exported", subject=people["pelapor.rahasia"]
    ).exists()


def test_the_export_of_an_anonymous_complaint_has_no_reporter(people, act, case_of_secret):
    complaint = act(
        file, actor=people["pelapor.rahasia"], case=case_of_secret, anonymous=True, service=None
    ).complaint
    today = timezone.localdate()
    content = services.complaints_export(
        actor=None, date_from=today, date_to=today, everything=True
    ).decode()
    record = json.loads(content)["complaints"][0]
    assert record["tracking"] == complaint.tracking
    assert record["reporter"] is None and record["case_tracking"] is None
    assert found(content, SECRET_MARKERS) == []


def test_only_the_complaint_itself_links_an_anonymous_complainant_s_account(
    people, act, case_of_secret
):
    from django.db.models import Q

    from satupintu.complaints.models import ComplaintEvent, ComplaintMessage

    secret = people["pelapor.rahasia"]
    complaint = act(file, actor=secret, case=case_of_secret, anonymous=True, service=None).complaint
    complaint = routed(people, act, complaint)
    assert complaint.complainant == secret  # so that they can follow it
    assert not ComplaintEvent.objects.filter(complaint=complaint, actor=secret).exists()
    assert not ComplaintMessage.objects.filter(complaint=complaint, author=secret).exists()
    assert not AuditEvent.objects.filter(
        Q(actor=secret) | Q(subject=secret), object_id=str(complaint.public_id)
    ).exists()
    # The same for a complaint that is not anonymous does name them.
    named = act(file, actor=secret, case=case_of_secret, service=None).complaint
    assert AuditEvent.objects.filter(actor=secret, object_id=str(named.public_id)).exists()
