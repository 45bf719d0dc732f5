"""Filing a report (issue: satisfaction, complaints and public performance — complaints, 1
and 2): anyone files a complaint, an aspiration, an information request or a whistle-blowing
report, signed in or without an account; it gets a tracking number of its own; a person
without an account gets a follow-up code shown once, of which only a hash is kept; the
responsible agency candidate comes from the service, the agency or the person's own case."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from satupintu.cases.models import Case
from satupintu.complaints import codes, services
from satupintu.complaints.constants import ComplaintKind, ComplaintStatus
from satupintu.complaints.models import Complaint
from satupintu.core import tracking as case_tracking
from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.notifications.models import Notification
from tests.complaints.factories import BIRTH, GUEST, agency, file, url

pytestmark = pytest.mark.django_db

TRACKING = re.compile(r"ADU-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]")


def form(**changes) -> dict:
    data = {
        "kind": "complaint",
        "subject": f"service:{BIRTH}",
        "title": "Loket tutup sebelum jam layanan",
        "body": "Loket akta kelahiran sudah tutup pukul 13.00.",
        "token": "a" * 32,
    }
    return {**data, **changes}


def test_a_tracking_number_cannot_be_read_as_an_application_s():
    number = codes.tracking_generate()
    assert TRACKING.fullmatch(number)
    assert codes.tracking_normalise(number.lower().replace("-", " ")) == number
    assert codes.tracking_normalise(number[4:]) == number  # typed without the prefix
    assert case_tracking.normalise(number) is None  # the application lookup refuses it
    wrong = number[:-1] + ("2" if number[-1] != "2" else "3")
    assert codes.tracking_normalise(wrong) is None


def test_a_signed_in_citizen_files_about_a_service(
    as_user, people, django_capture_on_commit_callbacks
):
    client = as_user("warga")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("file"), form())
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking in response.content.decode()
    assert complaint.complainant == people["warga"]
    assert complaint.agency == agency() and complaint.service.code == BIRTH
    assert complaint.status == ComplaintStatus.RECEIVED and complaint.is_open
    assert complaint.follow_up_code_hash == ""  # the account is the way in
    assert "Follow-up code" not in response.content.decode()
    # Told in the inbox, and the filing is in the audit trail with the citizen as subject.
    assert Notification.objects.filter(recipient=people["warga"], kind="complaint.filed").exists()
    assert AuditEvent.objects.filter(
        action="complaint.filed", subject=people["warga"], object_id=str(complaint.public_id)
    ).exists()
    # Pressing the button again (same form token) makes nothing new.
    again = client.post(url("file"), form())
    assert again.status_code == 200 and Complaint.objects.count() == 1
    assert complaint.tracking in again.content.decode()


def test_somebody_without_an_account_gets_a_code_shown_once(client, people):
    response = client.post(url("file"), form(subject="", **GUEST))
    assert response.status_code == 200
    page = response.content.decode()
    complaint = Complaint.objects.get()
    code = re.search(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", page)
    assert code, page
    assert complaint.complainant is None and complaint.agency is None
    assert complaint.name == GUEST["name"] and complaint.email == GUEST["email"]
    # Only a hash is kept: the code itself is nowhere in the row.
    assert code.group(0) not in str(Complaint.objects.filter(pk=complaint.pk).values().get())
    assert codes.code_matches(
        tracking_number=complaint.tracking, code=code.group(0), stored=complaint.follow_up_code_hash
    )
    # Another browser opens it with both, and not with the tracking number alone.
    client.logout()
    client.cookies.clear()
    assert client.get(url("complaint", complaint.tracking)).status_code == 302
    wrong = client.post(url("follow"), {"tracking": complaint.tracking, "code": "2222-2222-2222"})
    assert wrong.status_code == 400
    opened = client.post(url("follow"), {"tracking": complaint.tracking, "code": code.group(0)})
    assert opened.status_code == 302
    page = client.get(opened.url)
    assert page.status_code == 200 and complaint.title in page.content.decode()


def test_an_anonymous_complaint_keeps_no_name_nor_phone(client, people):
    client.post(url("file"), form(anonymous="on", **GUEST))
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert (complaint.name, complaint.phone) == ("", "")
    assert complaint.email == GUEST["email"]  # only to tell them of news
    # The database refuses an anonymous complaint with a name.
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(name="Someone")


def test_the_form_keeps_what_was_typed_and_says_what_is_missing(client, people):
    response = client.post(url("file"), form(title="", body="Isi tetap ada"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give your report a title." in page
    assert "Isi tetap ada" in page
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("kind", ComplaintKind.values)
def test_every_kind_can_be_filed(people, kind):
    filed = file(people["warga"], kind=kind)
    assert filed.complaint.kind == kind


def test_a_complaint_about_one_s_case_takes_its_agency(people, as_user):
    case = (
        Case.objects.filter(submission__applicant=people["warga"]).select_related("agency").first()
    )
    client = as_user("warga")
    client.post(url("file"), form(subject=f"case:{case.public_id}"))
    complaint = Complaint.objects.get()
    assert complaint.case == case and complaint.agency == case.agency
    # Another person's case is not theirs to name.
    with pytest.raises(DomainError) as refused:
        file(people["warga2"], case=case)
    assert refused.value.code == "unknown_case"


def test_a_guest_s_idempotency_key_must_be_hard_to_guess(people):
    with pytest.raises(DomainError) as refused:
        services.complaint_file(
            actor=AnonymousUser(),
            kind="complaint",
            title="Judul",
            body="Isi",
            idempotency_key="short",
        )
    assert refused.value.code == "weak_idempotency_key"
    first = file(None, idempotency_key="k" * 20)
    again = file(None, idempotency_key="k" * 20, title="Something else")
    assert again.replayed and again.complaint == first.complaint
    assert again.code == first.code  # the same code is shown to whoever holds the key
    assert Complaint.objects.count() == 1
