"""Requirement (UU PDP art. 8 and 16(2); ARCHITECTURE "retention periods per kind of
record"): carrying out a deletion applies the retention rules. What may go is deleted or
anonymised now — drafts and their files, notifications, suggestions, the profile's contact
details, the account's name and e-mail address, and the account can no longer sign in; what a
law keeps (applications and cases, complaints, consents as proof, learning records, the
history) stays, and the answer lists it with its legal basis and the date it is released.
Nothing is half done: one transaction, and files are removed only after it commits."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import Max, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts.models import (
    BusinessRepresentative,
    CitizenProfile,
    Consent,
    EmployeeProfile,
    RoleAssignment,
)
from satupintu.accounts.services import consent_record
from satupintu.cases.models import Case, Document, Submission, Suggestion
from satupintu.catalog.models import LifeEvent
from satupintu.complaints.constants import ComplaintStatus
from satupintu.complaints.models import Complaint
from satupintu.core.models import AuditEvent
from satupintu.demo.people import DEMO_PASSWORD
from satupintu.learning.models import Enrolment
from satupintu.notifications.models import Notification
from satupintu.privacy import selectors, services
from satupintu.privacy.constants import RecordKind, RequestKind, RequestStatus
from satupintu.privacy.models import DataRequest, RetentionRule
from satupintu.privacy.services import requests as request_services
from tests.complaints.factories import file as complaint_file
from tests.feedback.factories import close_birth_case, open_case
from tests.learning.factories import EnrolmentFactory, make_learner
from tests.privacy.factories import draft_with_file

pytestmark = pytest.mark.django_db

FIVE_YEARS = datetime.timedelta(days=5 * 365)


def ask(user, scope="all"):
    return services.data_request_file(requester=user, kind=RequestKind.DELETION, scope=scope)


@pytest.fixture
def world(people):
    """Everything ``warga`` has: a draft with an uploaded file, a closed and an open case, a
    closed complaint, notifications, a suggestion, an active and a declined consent, a
    business they represent."""
    citizen = people["warga"]
    draft, document = draft_with_file(citizen)
    closed = close_birth_case(open_case(people, applicant="warga"), people)
    running = open_case(people, applicant="warga")
    complaint = complaint_file(citizen).complaint
    Complaint.objects.filter(pk=complaint.pk).update(
        is_open=False, status=ComplaintStatus.CLOSED, closed_at=timezone.now()
    )
    Notification.objects.create(recipient=citizen, kind="uji.kabar", title="kabar", body="isi")
    Suggestion.objects.create(
        user=citizen, life_event=LifeEvent.objects.first(), signal="uji", source_case=closed
    )
    purpose = {"id": "Isi otomatis", "en": "Prefill"}
    consent_record(
        user=citizen, purpose_code="prefill:uji", purpose=purpose, datasets=["a"], granted=True
    )
    consent_record(
        user=citizen, purpose_code="prefill:lain", purpose=purpose, datasets=["b"], granted=False
    )
    assert BusinessRepresentative.objects.filter(user=citizen).exists()
    return {
        "citizen": citizen,
        "draft": draft,
        "document": document,
        "closed": Case.objects.get(pk=closed.pk),
        "running": running,
        "complaint": complaint,
    }


def running_and_last_closed(user):
    """How many of the person's applications still run, and when the last of the others
    closed (the start of the period of kept cases)."""
    cases = Case.objects.filter(applicant=user)
    running = set(
        cases.filter(Q(is_open=True) | Q(is_waiting=True)).values_list("submission", flat=True)
    )
    ended = cases.exclude(submission__in=running).aggregate(last=Max("closed_at"))["last"]
    return len(running), ended


def carry_out(data_request, officer, capture):
    with capture(execute=True):
        return services.data_request_erase(data_request=data_request, actor=officer, answer="")


def rows_of(data_request) -> dict[str, dict]:
    return {row["kind"]: row for row in data_request.outcome["rows"]}


def test_deleting_everything_honours_every_rule(people, world, django_capture_on_commit_callbacks):
    citizen = world["citizen"]
    nik = citizen.citizen.nik
    storage, name = world["document"].file.storage, world["document"].file.name
    history = AuditEvent.objects.filter(subject=citizen).count()
    answers = dict(world["closed"].answers)
    data_request = ask(citizen)

    done = carry_out(data_request, people["ppdp"], django_capture_on_commit_callbacks)

    assert done.status == RequestStatus.DONE
    # Gone now: drafts and their files, notifications, suggestions.
    assert not Submission.objects.filter(pk=world["draft"].pk).exists()
    assert not Document.objects.filter(pk=world["document"].pk).exists()
    assert not storage.exists(name)
    assert not Notification.objects.filter(recipient=citizen).exists()
    assert not Suggestion.objects.filter(user=citizen).exists()
    # The account is anonymised and closed; its roles and business links are gone.
    user = get_user_model().objects.get(pk=citizen.pk)
    assert (user.first_name, user.last_name, user.email, user.phone) == ("", "", None, "")
    assert user.username.startswith("terhapus-")
    assert not user.is_active and not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=citizen).exists()
    assert not BusinessRepresentative.objects.filter(user=citizen).exists()
    # The profile keeps the identity for the kept cases, without contact details.
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.nik == nik
    assert (profile.address, profile.region_code, profile.phone, profile.email) == ("",) * 4
    # Kept: cases untouched, the complaint, the consents (the active one withdrawn), history.
    closed = Case.objects.get(pk=world["closed"].pk)
    assert closed.answers == answers and closed.applicant_id == citizen.pk
    assert Case.objects.filter(pk=world["running"].pk, is_open=True).exists()
    assert Complaint.objects.get(pk=world["complaint"].pk).complainant_id == citizen.pk
    assert Consent.objects.filter(user=citizen).count() == 2
    assert not Consent.objects.filter(user=citizen, granted=True, withdrawn_at=None).exists()
    assert AuditEvent.objects.filter(subject=citizen).count() > history

    rows = rows_of(done)
    assert {kind for kind, row in rows.items() if row["what"] == selectors.ERASE} == {
        RecordKind.ACCOUNT,
        RecordKind.DRAFTS,
        RecordKind.NOTIFICATIONS,
        RecordKind.SUGGESTIONS,
    }
    kept_cases = rows[RecordKind.CASES]
    running, last_closed = running_and_last_closed(citizen)
    assert kept_cases["what"] == selectors.KEEP and kept_cases["running"] == running >= 1
    assert last_closed >= closed.closed_at
    closed_on = timezone.localtime(last_closed + FIVE_YEARS).date()
    assert kept_cases["until"] == closed_on.isoformat()
    rule = RetentionRule.objects.get(kind=RecordKind.CASES)
    assert kept_cases["legal_basis"]["id"] == rule.legal_basis_id
    assert rows[selectors.IDENTITY]["until"] == closed_on.isoformat()
    assert rows[RecordKind.CONSENTS]["until"] == (timezone.localdate() + FIVE_YEARS).isoformat()
    assert rows[RecordKind.AUDIT]["until"] is None
    assert rows[RecordKind.COMPLAINTS]["what"] == selectors.KEEP


def test_the_closed_account_cannot_sign_in(people, world, django_capture_on_commit_callbacks):
    citizen, email = world["citizen"], world["citizen"].email
    assert Client().login(username=email, password=DEMO_PASSWORD)
    carry_out(ask(citizen), people["ppdp"], django_capture_on_commit_callbacks)
    assert not Client().login(username=email, password=DEMO_PASSWORD)
    assert not Client().login(username="warga", password=DEMO_PASSWORD)
    client = Client()
    client.post(reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_session_open_before_the_deletion_ends(people, world, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(world["citizen"])
    assert client.get(reverse("accounts:my_data")).status_code == 200
    carry_out(ask(world["citizen"]), people["ppdp"], django_capture_on_commit_callbacks)
    assert client.get(reverse("accounts:my_data")).status_code == 302


def test_the_answer_goes_to_the_address_the_account_had(
    people, world, django_capture_on_commit_callbacks
):
    email = world["citizen"].email
    data_request = ask(world["citizen"])
    carry_out(data_request, people["ppdp"], django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == [email]]
    assert data_request.tracking in message.body
    assert "Permohonan dan perkara" in message.body or "Applications" in message.body
    assert not Notification.objects.filter(recipient=world["citizen"]).exists()


def test_a_rule_that_lets_cases_go_anonymises_the_ended_ones_now(
    people, world, django_capture_on_commit_callbacks
):
    RetentionRule.objects.filter(kind=RecordKind.CASES).update(kept_on_request=False)
    RetentionRule.objects.filter(kind=RecordKind.COMPLAINTS).update(kept_on_request=False)
    done = carry_out(
        ask(world["citizen"], "all"), people["ppdp"], django_capture_on_commit_callbacks
    )

    closed = Case.objects.get(pk=world["closed"].pk)
    assert closed.answers == {} and closed.submission.answers == {}
    assert not closed.messages.exclude(body="").exists()
    assert Case.objects.get(pk=world["running"].pk).is_open  # running: kept until it ends
    complaint = Complaint.objects.get(pk=world["complaint"].pk)
    assert complaint.complainant_id is None and complaint.is_anonymous and not complaint.email
    rows = [row for row in done.outcome["rows"] if row["kind"] == RecordKind.CASES]
    running, _last = running_and_last_closed(world["citizen"])
    sent = Submission.objects.filter(applicant=world["citizen"]).exclude(status="draft")
    erased = sent.count() - running
    assert {(row["what"], row["count"]) for row in rows} == {
        (selectors.KEEP, running),
        (selectors.ERASE, erased),
    }
    # The identity stays only for the running case.
    assert CitizenProfile.objects.filter(user=world["citizen"]).exists()


def test_without_cases_the_identity_goes_at_once(people, django_capture_on_commit_callbacks):
    citizen = people["warga2"]
    Case.objects.filter(applicant=citizen).update(
        is_open=False, is_waiting=False, closed_at=timezone.now()
    )
    RetentionRule.objects.filter(kind=RecordKind.CASES).update(kept_on_request=False)
    carry_out(ask(citizen), people["ppdp"], django_capture_on_commit_callbacks)
    assert not CitizenProfile.objects.filter(user=citizen).exists()


def test_deleting_one_section_leaves_the_account(people, world, django_capture_on_commit_callbacks):
    citizen = world["citizen"]
    done = carry_out(
        ask(citizen, "notifications"), people["ppdp"], django_capture_on_commit_callbacks
    )
    assert get_user_model().objects.get(pk=citizen.pk).is_active
    assert Submission.objects.filter(pk=world["draft"].pk).exists()
    assert [row["kind"] for row in done.outcome["rows"]] == [RecordKind.NOTIFICATIONS]
    # The only notification left is the answer itself.
    assert list(Notification.objects.filter(recipient=citizen).values_list("kind", flat=True)) == [
        "privacy.request_answered"
    ]


def test_asking_to_delete_kept_records_keeps_them_and_says_why(
    people, world, django_capture_on_commit_callbacks
):
    done = carry_out(
        ask(world["citizen"], "cases"), people["ppdp"], django_capture_on_commit_callbacks
    )
    (row,) = done.outcome["rows"]
    assert row["what"] == selectors.KEEP
    sent = Submission.objects.filter(applicant=world["citizen"]).exclude(status="draft")
    assert row["count"] == sent.count()
    assert Case.objects.get(pk=world["closed"].pk).answers == world["closed"].answers
    page = Client()
    page.force_login(world["citizen"])
    body = page.get(reverse("privacy:my_request", args=[done.tracking])).content.decode()
    assert "UU 25/2009" in body


def test_learning_records_of_an_employee_are_kept_with_no_date(
    people, django_capture_on_commit_callbacks
):
    learner = make_learner()
    EnrolmentFactory(learner=learner)
    done = carry_out(ask(learner), people["ppdp"], django_capture_on_commit_callbacks)
    row = rows_of(done)[RecordKind.LEARNING]
    assert row["what"] == selectors.KEEP and row["until"] is None and row["count"] >= 2
    assert Enrolment.objects.filter(learner=learner).exists()
    assert EmployeeProfile.objects.filter(user=learner).exists()
    assert not get_user_model().objects.get(pk=learner.pk).is_active


def test_the_deletion_is_one_transaction(
    people, world, monkeypatch, django_capture_on_commit_callbacks
):
    """A failure half-way leaves everything as it was, the file included."""
    citizen = world["citizen"]
    storage, name = world["document"].file.storage, world["document"].file.name
    data_request = ask(citizen)
    erase = request_services.records_erase

    def failing(**kwargs):
        if kwargs["kind"] == RecordKind.NOTIFICATIONS:
            raise RuntimeError("disk full")
        return erase(**kwargs)

    monkeypatch.setattr(request_services, "records_erase", failing)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.data_request_erase(data_request=data_request, actor=people["ppdp"])

    assert Submission.objects.filter(pk=world["draft"].pk).exists()
    assert storage.exists(name)
    user = get_user_model().objects.get(pk=citizen.pk)
    assert user.is_active and user.email and user.username == "warga"
    assert DataRequest.objects.get(pk=data_request.pk).status == RequestStatus.OPEN
    assert not AuditEvent.objects.filter(action="personal_data.erased").exists()


def test_the_officer_sees_what_the_deletion_will_do_first(people, world, as_user):
    data_request = ask(world["citizen"])
    body = as_user("ppdp").get(reverse("privacy:request", args=[data_request.tracking]))
    text = body.content.decode()
    assert "UU 25/2009" in text and "erase_form" not in text
    assert 'name="confirm"' in text
    refused = as_user("ppdp").post(
        reverse("privacy:request_erase", args=[data_request.tracking]), {}
    )
    assert refused.status_code == 422
    assert Submission.objects.filter(pk=world["draft"].pk).exists()
