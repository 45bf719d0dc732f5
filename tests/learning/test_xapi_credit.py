"""xAPI and Learn: our modules write statements (the learner as an account of the platform,
never an e-mail address or NIK; ADL verbs; our activity ids) once their change commits; a
completion stored in the learning record store for a known course by a known employee
completes their enrolment or credits their JP once; unknown actors and activities are
ignored; our own statements do not credit twice; and a failing store loses no completion
and logs no personal data."""

import json
import logging
from decimal import Decimal

import pytest
from django.utils import timezone

from satupintu.learning import statements
from satupintu.learning.constants import EnrolmentStatus, JpSource
from satupintu.learning.models import Certificate, JpEntry
from satupintu.learning.services import (
    enrolment_complete,
    enrolment_create,
    lesson_complete,
    quiz_submit,
)
from satupintu.lrs.models import Statement
from satupintu.lrs.services import lrs_client_create, statements_store
from tests.learning.factories import (
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    make_learner,
    quiz_with_questions,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://satupintu.jatimprov.go.id"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SATUPINTU_PUBLIC_URL = PUBLIC_URL
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a call as a page would: what waits for the commit happens when it returns."""

    def run(function, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def content_client():
    client, _secret = lrs_client_create(name="Platform konten mitra")
    return client


def completion(actor: dict, activity_id: str, verb: str = statements.COMPLETED, **extra) -> dict:
    return {
        "actor": {"objectType": "Agent", **actor},
        "verb": {"id": verb, "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": activity_id},
        **extra,
    }


def account(user) -> dict:
    return {"account": {"homePage": PUBLIC_URL, "name": str(user.employee.public_id)}}


# What we write ----------------------------------------------------------------------------------


def test_a_completion_writes_a_completed_statement_about_an_account(commit):
    learner = make_learner(email="siti.rahma@jatimprov.go.id")
    enrolment = EnrolmentFactory(learner=learner)

    commit(enrolment_complete, enrolment=enrolment)

    stored = Statement.objects.get(verb_id=statements.COMPLETED).payload
    assert stored["actor"]["account"] == {
        "homePage": PUBLIC_URL,
        "name": str(learner.employee.public_id),
    }
    assert learner.username not in json.dumps(stored)
    assert "mbox" not in stored["actor"]
    assert learner.email not in str(stored)
    assert learner.employee.nip not in str(stored)
    assert stored["object"]["id"] == f"{PUBLIC_URL}/xapi/activities/course/{enrolment.course.code}"
    assert stored["result"]["completion"] is True


def test_lessons_and_quizzes_write_their_statements(commit):
    course = CourseFactory()
    reading = LessonFactory(course=course, order=1)
    quiz = quiz_with_questions(course=course, order=2)
    enrolment = EnrolmentFactory(course=course)
    learner = enrolment.learner

    commit(lesson_complete, enrolment=enrolment, lesson=reading, actor=learner)
    commit(
        quiz_submit, enrolment=enrolment, lesson=quiz, answers=wrong_answers(quiz), actor=learner
    )

    lesson_statement = Statement.objects.get(verb_id=statements.COMPLETED).payload
    assert (
        lesson_statement["object"]["id"]
        == f"{PUBLIC_URL}/xapi/activities/lesson/{reading.public_id}"
    )
    assert lesson_statement["context"]["contextActivities"]["parent"][0]["id"].endswith(course.code)
    failed = Statement.objects.get(verb_id=statements.FAILED).payload
    assert failed["result"]["score"]["raw"] == 0
    assert failed["result"]["success"] is False


def test_nothing_is_written_for_work_that_rolled_back():
    enrolment_complete(enrolment=EnrolmentFactory())  # the test's transaction never commits
    assert not Statement.objects.exists()


def test_a_failing_store_loses_no_completion_and_logs_no_personal_data(commit, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("the store is down for siti.rahma@jatimprov.go.id")

    monkeypatch.setattr("satupintu.lrs.services.statements_store", broken)
    learner = make_learner(email="siti.rahma@jatimprov.go.id", username="siti.rahma")
    enrolment = EnrolmentFactory(learner=learner)

    with caplog.at_level(logging.WARNING):
        commit(enrolment_complete, enrolment=enrolment)

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert JpEntry.objects.filter(learner=learner).exists()
    assert "were not stored" in caplog.text
    assert "siti.rahma" not in caplog.text


# What we read ---------------------------------------------------------------------------------


def test_a_stored_completion_completes_the_enrolment(commit, content_client):
    course = CourseFactory(external_activity_id="https://konten.example.id/kursus/spbe-101")
    enrolment = enrolment_create(learner=make_learner(), course=course)

    commit(
        statements_store,
        statements=[completion(account(enrolment.learner), course.external_activity_id)],
        client=content_client,
    )

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert JpEntry.objects.get().source == JpSource.XAPI
    assert Certificate.objects.filter(enrolment=enrolment).exists()


def test_an_mbox_equal_to_the_users_email_names_the_learner(commit, content_client):
    course = CourseFactory(jp=Decimal(2))
    learner = make_learner(email="Budi.Santoso@jatimprov.go.id")

    commit(
        statements_store,
        statements=[
            completion(
                {"mbox": "mailto:budi.santoso@jatimprov.go.id"},
                statements.course_activity_id(course),
                verb=statements.PASSED,
            )
        ],
        client=content_client,
    )

    entry = JpEntry.objects.get()
    assert (entry.learner, entry.jp, entry.source) == (learner, Decimal(2), JpSource.XAPI)


def _course_id(course, learner):
    return statements.course_activity_id(course)


IGNORED = {
    "somebody unknown": lambda course, learner: completion(
        {"mbox": "mailto:tidak.dikenal@contoh.id"}, _course_id(course, learner)
    ),
    "an account of another system": lambda course, learner: completion(
        {"account": {"homePage": "https://lain.example.id", "name": learner.username}},
        _course_id(course, learner),
    ),
    "an unknown activity": lambda course, learner: completion(
        account(learner), "https://konten.example.id/lain"
    ),
    "one of our lessons": lambda course, learner: completion(
        account(learner), f"{PUBLIC_URL}/xapi/activities/lesson/{course.public_id}"
    ),
    "attempted": lambda course, learner: completion(
        account(learner), _course_id(course, learner), verb=statements.ATTEMPTED
    ),
    "failed": lambda course, learner: completion(
        account(learner), _course_id(course, learner), verb=statements.FAILED
    ),
    "completed without completion": lambda course, learner: completion(
        account(learner), _course_id(course, learner), result={"completion": False}
    ),
}


@pytest.mark.parametrize("case", IGNORED)
def test_anything_else_is_ignored(commit, content_client, case):
    course = CourseFactory()
    learner = make_learner()
    enrolment = enrolment_create(learner=learner, course=course)

    commit(statements_store, statements=[IGNORED[case](course, learner)], client=content_client)

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert not JpEntry.objects.exists()


def test_a_citizen_without_an_employee_profile_is_ignored(commit, content_client):
    from tests.learning.factories import UserFactory

    citizen = UserFactory(email="warga@contoh.id")
    course = CourseFactory()

    commit(
        statements_store,
        statements=[
            completion({"mbox": f"mailto:{citizen.email}"}, statements.course_activity_id(course))
        ],
        client=content_client,
    )

    assert not JpEntry.objects.exists()


def test_our_own_statements_do_not_credit_twice(commit):
    course = CourseFactory(jp=Decimal(4))
    learner = make_learner()
    enrolment = enrolment_create(learner=learner, course=course)

    commit(enrolment_complete, enrolment=enrolment)
    # The completed statement went through the store and back to Learn.
    assert Statement.objects.filter(verb_id=statements.COMPLETED).count() == 1
    # The same completion reported again by the platform.
    commit(
        statements.statements_send,
        statements=[
            statements.course_completed(user=learner, course=course, moment=timezone.now())
        ],
    )

    assert JpEntry.objects.filter(learner=learner).count() == 1
    assert JpEntry.objects.get().source == JpSource.COURSE
    assert Certificate.objects.filter(learner=learner).count() == 1


def test_a_completion_the_module_reported_credits_once_when_other_content_reports_it(
    commit, content_client
):
    course = CourseFactory(jp=Decimal(4), external_activity_id="https://konten.example.id/k/9")
    learner = make_learner()
    commit(enrolment_complete, enrolment=enrolment_create(learner=learner, course=course))

    commit(
        statements_store,
        statements=[completion(account(learner), course.external_activity_id)],
        client=content_client,
    )

    assert JpEntry.objects.filter(learner=learner).count() == 1
