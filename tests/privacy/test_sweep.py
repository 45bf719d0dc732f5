"""Requirement (UU PDP: answers within 3×24 hours; retention periods per kind of record): the
periodic sweep reminds the data protection officers when half of a request's time is gone,
escalates overdue requests (flag, and the platform's administrators are told), does the same
for breach notices, and applies the retention rules to records whose period has ended —
deleting or anonymising them in batches, once a day, and reporting the counts. It runs from
``satupintu sweep`` and on the worker's clock. Times are relative to now; nothing sleeps."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from satupintu import cli
from satupintu.accounts.models import CitizenProfile, Consent
from satupintu.accounts.services import consent_record, consent_withdraw
from satupintu.cases.models import Case, Document, Submission
from satupintu.complaints.constants import ComplaintStatus
from satupintu.complaints.models import Complaint
from satupintu.core.models import AuditEvent
from satupintu.learning.models import Enrolment
from satupintu.notifications.models import Notification
from satupintu.privacy import services, tasks
from satupintu.privacy.constants import DataKind, RecordKind, RequestKind
from satupintu.privacy.models import Breach, DataRequest, RetentionRule
from satupintu.privacy.services import BreachFacts
from satupintu.privacy.sweep import privacy_sweep
from tests.complaints.factories import file as complaint_file
from tests.feedback.factories import close_birth_case, open_case
from tests.learning.factories import EnrolmentFactory, make_learner
from tests.privacy.factories import ago, draft_with_file

pytestmark = pytest.mark.django_db


def notices(kind: str) -> set[str]:
    return set(
        Notification.objects.filter(kind=f"privacy.{kind}").values_list(
            "recipient__username", flat=True
        )
    )


def request_received(user, hours_ago: float) -> DataRequest:
    filed = services.data_request_file(
        requester=user, kind=RequestKind.CORRECTION, field="phone", proposed_value="0812"
    )
    received = ago(hours=hours_ago)
    DataRequest.objects.filter(pk=filed.pk).update(
        received_at=received, due_at=received + datetime.timedelta(hours=72)
    )
    return DataRequest.objects.get(pk=filed.pk)


def breach_discovered(officer, hours_ago: float) -> Breach:
    return services.breach_record(
        actor=officer,
        facts=BreachFacts(
            title="Uji",
            discovered_at=ago(hours=hours_ago),
            description="Berkas terkirim ke alamat yang salah.",
            data_kinds=[DataKind.CONTACT],
            people_affected=3,
            measures="Penerima menghapus berkas.",
        ),
    )


# Requests ---------------------------------------------------------------------------------


def test_nothing_happens_before_half_of_the_time_is_gone(people):
    request_received(people["warga"], hours_ago=30)
    report = privacy_sweep()
    assert report["requests"] == {"reminders": 0, "escalations": 0, "notifications": 0}
    assert not notices("request_reminder")


def test_the_officers_are_reminded_once_when_half_of_the_time_is_gone(people):
    filed = request_received(people["warga"], hours_ago=37)
    report = privacy_sweep()
    assert report["requests"]["reminders"] == 1
    assert notices("request_reminder") == {"ppdp"}
    assert DataRequest.objects.get(pk=filed.pk).reminded_at is not None
    again = privacy_sweep()
    assert again["requests"]["reminders"] == 0
    assert Notification.objects.filter(kind="privacy.request_reminder").count() == 1


def test_an_overdue_request_is_flagged_and_escalated_to_the_platform_admins(people, as_user):
    filed = request_received(people["warga"], hours_ago=73)
    report = privacy_sweep()
    assert report["requests"]["escalations"] == 1
    filed.refresh_from_db()
    assert filed.escalated_at is not None
    assert notices("request_escalated") == {"admin", "ppdp"}
    assert not notices("request_reminder"), "too late for a reminder"
    assert privacy_sweep()["requests"]["escalations"] == 0
    queue = as_user("ppdp").get(reverse("privacy:queue")).content.decode()
    assert filed.tracking in queue and "badge--overdue" in queue


def test_answered_requests_are_left_alone(people):
    filed = request_received(people["warga"], hours_ago=80)
    services.data_request_refuse(data_request=filed, actor=people["ppdp"], reason="Bukan Anda.")
    report = privacy_sweep()
    assert report["requests"] == {"reminders": 0, "escalations": 0, "notifications": 0}


# Breaches ---------------------------------------------------------------------------------


def test_breach_notices_are_reminded_then_escalated_until_notified(people):
    soon = breach_discovered(people["ppdp"], hours_ago=40)
    late = breach_discovered(people["ppdp"], hours_ago=75)
    told = breach_discovered(people["ppdp"], hours_ago=90)
    services.breach_notified(
        breach=told, actor=people["ppdp"], subjects_at=ago(hours=2), authority_at=ago(hours=1)
    )
    report = privacy_sweep()
    assert report["breaches"]["reminders"] == 1 and report["breaches"]["escalations"] == 1
    assert Breach.objects.get(pk=soon.pk).reminded_at is not None
    assert Breach.objects.get(pk=late.pk).escalated_at is not None
    assert Breach.objects.get(pk=told.pk).escalated_at is None
    assert notices("breach_escalated") == {"admin", "ppdp"}
    assert privacy_sweep()["breaches"] == {"reminders": 0, "escalations": 0, "notifications": 0}


# Retention --------------------------------------------------------------------------------


def test_old_drafts_and_their_files_go_recent_ones_stay(people, django_capture_on_commit_callbacks):
    old, old_file = draft_with_file(people["warga"])
    recent, _recent_file = draft_with_file(people["warga"])
    Submission.objects.filter(pk=old.pk).update(updated_at=ago(days=181))
    storage, name = old_file.file.storage, old_file.file.name
    with django_capture_on_commit_callbacks(execute=True):
        report = privacy_sweep()
    assert report["retention"][RecordKind.DRAFTS] == 1
    assert not Submission.objects.filter(pk=old.pk).exists()
    assert not Document.objects.filter(pk=old_file.pk).exists() and not storage.exists(name)
    assert Submission.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(action="retention.deleted", subject=people["warga"]).exists()


def test_old_notifications_suggestions_and_ended_consents_are_deleted(people):
    citizen = people["warga"]
    old = Notification.objects.create(recipient=citizen, kind="uji", title="lama", body=".")
    Notification.objects.filter(pk=old.pk).update(created_at=ago(days=366))
    new = Notification.objects.create(recipient=citizen, kind="uji", title="baru", body=".")
    purpose = {"id": "Uji", "en": "Test"}
    ended = consent_record(
        user=citizen, purpose_code="uji:lama", purpose=purpose, datasets=["a"], granted=True
    )
    consent_withdraw(user=citizen, consent=ended)
    Consent.objects.filter(pk=ended.pk).update(withdrawn_at=ago(days=5 * 365 + 1))
    declined = consent_record(
        user=citizen, purpose_code="uji:tolak", purpose=purpose, datasets=["a"], granted=False
    )
    Consent.objects.filter(pk=declined.pk).update(decided_at=ago(days=5 * 365 + 1))
    active = consent_record(
        user=citizen, purpose_code="uji:aktif", purpose=purpose, datasets=["a"], granted=True
    )
    Consent.objects.filter(pk=active.pk).update(decided_at=ago(days=10 * 365))

    report = privacy_sweep()

    assert report["retention"][RecordKind.NOTIFICATIONS] >= 1
    assert not Notification.objects.filter(pk=old.pk).exists()
    assert Notification.objects.filter(pk=new.pk).exists()
    assert report["retention"][RecordKind.CONSENTS] == 2
    assert list(Consent.objects.filter(user=citizen).values_list("pk", flat=True)) == [active.pk]


def test_cases_are_anonymised_when_the_last_one_closed_before_the_period(
    people, django_capture_on_commit_callbacks
):
    old = close_birth_case(open_case(people, applicant="warga"), people)
    Submission.objects.filter(pk=old.submission_id).update(answers={"nama": "Bayi Lama"})
    Case.objects.filter(pk=old.pk).update(
        closed_at=ago(days=5 * 365 + 2), answers={"nama": "Bayi Lama"}
    )
    document = Document.objects.create(
        submission=old.submission,
        file="documents/uji/lama",
        original_name="lama.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=people["warga"],
    )
    recent = close_birth_case(open_case(people, applicant="warga"), people)
    Case.objects.filter(pk=recent.pk).update(answers={"nama": "Bayi Baru"})
    running = open_case(people, applicant="warga")

    with django_capture_on_commit_callbacks(execute=True):
        report = privacy_sweep()

    assert report["retention"][RecordKind.CASES] == 1
    old = Case.objects.select_related("submission").get(pk=old.pk)
    assert old.answers == {} and old.submission.answers == {}
    assert old.submission.tracking and old.state  # what the figures need stays
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not old.messages.exclude(body="").exists()
    assert not old.events.filter(data__has_key="reason").exists()
    assert Case.objects.get(pk=recent.pk).answers == {"nama": "Bayi Baru"}
    assert Case.objects.get(pk=running.pk).is_open
    assert AuditEvent.objects.filter(
        action="retention.anonymised", object_id=str(old.submission_id)
    ).exists()


def test_old_complaints_lose_who_filed_them(people):
    old = complaint_file(people["warga"]).complaint
    new = complaint_file(people["warga"]).complaint
    Complaint.objects.filter(pk__in=[old.pk, new.pk]).update(
        is_open=False, status=ComplaintStatus.CLOSED, closed_at=timezone.now()
    )
    Complaint.objects.filter(pk=old.pk).update(closed_at=ago(days=5 * 365 + 1))

    report = privacy_sweep()

    assert report["retention"][RecordKind.COMPLAINTS] == 1
    old = Complaint.objects.get(pk=old.pk)
    assert old.complainant_id is None and old.is_anonymous
    assert (old.name, old.email, old.phone) == ("", "", "")
    assert old.body  # the text stays for the figures
    assert not old.messages.filter(author=people["warga"]).exists()
    assert Complaint.objects.get(pk=new.pk).complainant_id == people["warga"].pk


def test_rules_that_keep_touch_nothing(people):
    learner = make_learner()
    enrolment = EnrolmentFactory(learner=learner)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=ago(days=40 * 365))
    history = AuditEvent.objects.count()
    privacy_sweep()
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert AuditEvent.objects.count() >= history


def test_the_rules_are_applied_once_a_day(people):
    first = privacy_sweep()
    assert set(first["retention"]) == {
        RecordKind.DRAFTS,
        RecordKind.CASES,
        RecordKind.COMPLAINTS,
        RecordKind.NOTIFICATIONS,
        RecordKind.SUGGESTIONS,
        RecordKind.CONSENTS,
    }
    old = Notification.objects.create(recipient=people["warga"], kind="uji", title="t", body=".")
    Notification.objects.filter(pk=old.pk).update(created_at=ago(days=400))
    assert privacy_sweep()["retention"] == {}
    assert Notification.objects.filter(pk=old.pk).exists()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert privacy_sweep(now=tomorrow)["retention"][RecordKind.NOTIFICATIONS] >= 1
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_batches_cover_every_record(people):
    for _ in range(7):
        Notification.objects.create(recipient=people["warga"], kind="uji", title="t", body=".")
    Notification.objects.filter(kind="uji").update(created_at=ago(days=400))
    rule = RetentionRule.objects.get(kind=RecordKind.NOTIFICATIONS)
    from satupintu.privacy.services.retention import rule_expire

    assert rule_expire(rule=rule, now=timezone.now(), size=3) >= 7
    assert not Notification.objects.filter(kind="uji").exists()
    assert AuditEvent.objects.filter(action="retention.deleted").count() >= 3


def test_the_identity_of_an_erased_person_goes_with_their_last_kept_case(
    people, django_capture_on_commit_callbacks
):
    citizen = people["warga2"]
    Case.objects.filter(applicant=citizen).update(
        is_open=False, is_waiting=False, closed_at=timezone.now()
    )
    data_request = services.data_request_file(
        requester=citizen, kind=RequestKind.DELETION, scope="all"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.data_request_erase(data_request=data_request, actor=people["ppdp"])
    assert CitizenProfile.objects.filter(user=citizen).exists(), "kept with the cases"
    privacy_sweep()
    assert CitizenProfile.objects.filter(user=citizen).exists(), "the cases are still kept"
    Case.objects.filter(applicant=citizen).update(closed_at=ago(days=5 * 365 + 1))
    privacy_sweep(now=timezone.now() + datetime.timedelta(days=1))
    assert not CitizenProfile.objects.filter(user=citizen).exists()
    assert AuditEvent.objects.filter(action="retention.identity_released", subject=citizen).exists()
    assert get_user_model().objects.filter(pk=citizen.pk).exists()


def test_failed_sign_ins_are_forgotten_once_their_lockout_window_has_passed(settings):
    from axes.models import AccessAttempt

    def failure(username: str, minutes_ago: int) -> None:
        attempt = AccessAttempt.objects.create(
            username=username,
            ip_address="203.0.113.7",
            user_agent="",
            http_accept="",
            path_info="/akun/masuk/",
            get_data="",
            post_data="",
            failures_since_start=3,
        )
        stamp = timezone.now() - datetime.timedelta(minutes=minutes_ago)
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=stamp)

    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    failure("lama", 16)
    failure("baru", 14)
    assert privacy_sweep()["sign_in_failures_forgotten"] == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["baru"]


# Where the sweep runs ---------------------------------------------------------------------


def test_the_command_and_the_task_run_the_sweep(people, capsys):
    request_received(people["warga"], hours_ago=50)
    assert tasks.sweep_privacy.call()["requests"]["reminders"] == 1
    assert cli.main(["sweep"]) == 0
    assert "Data protection:" in capsys.readouterr().out


def test_the_worker_clock_enqueues_the_privacy_sweep(monkeypatch):
    started = {}
    monkeypatch.setattr(
        cli, "_start_sweep_clock", lambda minutes, also=(): started.update(also=also)
    )
    monkeypatch.setattr(cli, "_manage", lambda *args: None)
    assert cli.main(["worker", "--sweep-minutes", "5"]) == 0
    assert tasks.sweep_privacy in started["also"]
