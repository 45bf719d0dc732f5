"""Invitations to the survey (docs/ikm.md, "How surveys are sent"): a case that ends sends
the ``case_closed`` signal after commit, a task creates one invitation per case and tells the
applicant in their inbox and by e-mail, in their language, with a one-time link whose token
is stored only as a hash. Called-off and never-started cases are not invited."""

import hashlib

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from satupintu.cases.models import Case
from satupintu.cases.signals import case_closed
from satupintu.feedback import services, tasks
from satupintu.feedback.models import SurveyInvitation
from satupintu.notifications.models import Notification
from tests.feedback.factories import close_birth_case, open_case

pytestmark = pytest.mark.django_db


def survey_notices(user):
    return Notification.objects.filter(recipient=user, kind="feedback.survey")


def token_of(notice: Notification) -> str:
    prefix = "/en/survei/" if notice.link.startswith("/en/") else "/survei/"
    assert notice.link.startswith(prefix) and notice.link.endswith("/")
    return notice.link[len(prefix) : -1]


def test_closing_a_case_invites_its_applicant_once(
    people, run_queue, django_capture_on_commit_callbacks
):
    case = open_case(people)
    with django_capture_on_commit_callbacks(execute=True):
        close_birth_case(case, people)
    # The signal queued the task; nothing is sent before a worker runs it.
    assert DBTaskResult.objects.ready().filter(task_path__endswith="invite_to_survey").exists()
    assert not SurveyInvitation.objects.exists()
    run_queue()

    invitation = SurveyInvitation.objects.get(case=case)
    (notice,) = survey_notices(people["warga"])
    assert notice.language == "id"
    assert "Penerbitan Akta Kelahiran" in notice.title
    token = token_of(notice)
    # Only the hash of the token is kept; the token is long and random.
    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert not invitation.answered
    # And by e-mail, with the link.
    assert any(token in message.body for message in mail.outbox)

    # The signal again (a retry), and the task again: still one invitation, one notice.
    with django_capture_on_commit_callbacks(execute=True):
        case_closed.send(sender=Case, case_id=case.pk, state="ditolak")
    tasks.invite_to_survey.enqueue(case_id=case.pk)
    run_queue()
    assert SurveyInvitation.objects.filter(case=case).count() == 1
    assert survey_notices(people["warga"]).count() == 1


def test_the_invitation_is_written_in_the_applicants_language(people, run_queue):
    warga = people["warga"]
    warga.language = "en"
    warga.save(update_fields=["language"])
    case = close_birth_case(open_case(people), people)
    services.invitation_create(case_id=case.pk)
    (notice,) = survey_notices(warga)
    assert notice.language == "en"
    assert notice.title.startswith("How was the service?")
    assert "Birth Certificate" in notice.title
    assert notice.link.startswith("/en/survei/")


def test_an_open_case_is_not_invited(people):
    case = open_case(people)
    assert services.invitation_create(case_id=case.pk) is None
    assert not SurveyInvitation.objects.exists()


def test_a_called_off_case_is_not_invited(people):
    case = close_birth_case(open_case(people), people)
    Case.objects.filter(pk=case.pk).update(outcome={"called_off": True})
    assert services.invitation_create(case_id=case.pk) is None
    assert not survey_notices(people["warga"]).exists()


def test_a_case_that_never_started_is_not_invited(people):
    case = open_case(people)
    Case.objects.filter(pk=case.pk).update(is_open=False, is_waiting=True)
    assert services.invitation_create(case_id=case.pk) is None


def test_a_case_that_is_gone_is_not_invited(db):
    assert services.invitation_create(case_id=987654) is None


def test_the_invitation_names_the_service_and_no_personal_data(people):
    case = close_birth_case(open_case(people), people)
    services.invitation_create(case_id=case.pk)
    (notice,) = survey_notices(people["warga"])
    profile = people["warga"].citizen
    for secret in (profile.nik, profile.full_name, case.submission.tracking):
        assert secret not in notice.title and secret not in notice.body
