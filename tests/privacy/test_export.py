"""Requirement (UU PDP art. 7, the export's gaps): "My data" holds the person's lesson
progress, quiz attempts and the learning records (xAPI statements) about them in the LRS —
by their account on the platform or their e-mail address, never another person's — and their
requests to correct or delete their data. The cost does not grow with how many there are."""

import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.accounts import personal_data
from satupintu.learning import statements as learning_statements
from satupintu.learning.constants import LessonKind
from satupintu.learning.services import lesson_complete, quiz_submit
from satupintu.lrs.services import statements_store
from satupintu.privacy import services
from satupintu.privacy.constants import RequestKind
from tests.learning.factories import (
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    make_learner,
    quiz_with_questions,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}


def activity(name: str) -> dict:
    return {"objectType": "Activity", "id": f"https://lms.contoh.go.id/{name}"}


@pytest.fixture
def learner(db):
    return make_learner(email="ani.pembelajar@jatimprov.go.id")


def learn(learner, *, lessons: int = 1, attempts: int = 1):
    course = CourseFactory()
    enrolment = EnrolmentFactory(learner=learner, course=course)
    for _ in range(lessons):
        lesson_complete(
            enrolment=enrolment,
            lesson=LessonFactory(course=course, kind=LessonKind.TEXT),
            actor=learner,
        )
    quiz = quiz_with_questions(course=course)
    for _ in range(attempts):
        quiz_submit(enrolment=enrolment, lesson=quiz, answers=wrong_answers(quiz), actor=learner)
    return course, quiz


def test_lessons_and_quiz_attempts_are_in_the_export(learner):
    course, quiz = learn(learner, lessons=2, attempts=1)
    data = personal_data.personal_data_collect(user=learner, with_history=False)
    lessons = data["learning"]["lessons"]
    # The two lessons done, and the quiz: tried, not passed, with its best score.
    assert len(lessons) == 3 and {row["course"] for row in lessons} == {course.title}
    assert sum(1 for row in lessons if row["completed"]) == 2
    (tried,) = [row for row in lessons if row["lesson"] == quiz.title]
    assert tried["completed"] is None and tried["best_score"] == 0
    (attempt,) = data["learning"]["quiz_attempts"]
    assert attempt["quiz"] == quiz.title and attempt["score"] == 0 and not attempt["passed"]
    assert attempt["answers"] == wrong_answers(quiz)


def test_statements_about_the_person_are_in_the_export_and_nobody_elses(learner):
    ours = learning_statements.course_completed(user=learner, course=CourseFactory())
    by_mail = {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:{learner.email}", "objectType": "Agent"},
        "verb": COMPLETED,
        "object": activity("etika"),
    }
    as_instructor = {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": "mailto:orang.lain@contoh.id"},
        "verb": COMPLETED,
        "object": activity("rapat"),
        "context": {"instructor": learning_statements.agent(learner)},
    }
    somebody_else = {
        "id": str(uuid.uuid4()),
        "actor": learning_statements.agent(make_learner()),
        "verb": COMPLETED,
        "object": activity("lain"),
    }
    statements_store(statements=[ours, by_mail, as_instructor, somebody_else])

    rows = personal_data.personal_data_collect(user=learner, with_history=False)["learning"][
        "xapi_statements"
    ]
    assert {row["id"] for row in rows} == {ours["id"], by_mail["id"], as_instructor["id"]}
    found = next(row for row in rows if row["id"] == by_mail["id"])
    assert found["statement"]["object"]["id"] == by_mail["object"]["id"]
    assert found["voided"] is False


def test_an_account_named_with_a_trailing_slash_is_the_same_person(learner):
    agent = learning_statements.agent(learner)
    agent["account"]["homePage"] = settings.SATUPINTU_PUBLIC_URL + "/"
    statement = {
        "id": str(uuid.uuid4()),
        "actor": agent,
        "verb": COMPLETED,
        "object": activity("x"),
    }
    statements_store(statements=[statement])
    rows = personal_data.personal_data_collect(user=learner, with_history=False)["learning"][
        "xapi_statements"
    ]
    assert [row["id"] for row in rows] == [statement["id"]]


def test_the_persons_requests_are_in_the_export(people):
    filed = services.data_request_file(
        requester=people["warga"], kind=RequestKind.DELETION, scope="notifications"
    )
    data = personal_data.personal_data_collect(user=people["warga"], with_history=False)
    (row,) = data["data_requests"]
    assert row["reference"] == filed.tracking and row["due"] == filed.due_at
    assert personal_data.COVERED["privacy.DataRequest.requester"] == "data_requests"


def test_the_page_and_the_api_show_the_new_sections(learner, client):
    learn(learner, lessons=1, attempts=2)
    client.force_login(learner)
    page = client.get(reverse("accounts:my_data")).content.decode()
    assert reverse("privacy:request_new", args=["hapus"]) in page
    assert reverse("privacy:my_requests") in page
    body = client.get(reverse("api:my_data")).json()
    assert len(body["learning"]["quiz_attempts"]) == 2
    assert len(body["learning"]["lessons"]) == 2  # the lesson and the quiz tried
    assert body["data_requests"] == []


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("name", ["accounts:my_data", "accounts:my_data_download"])
def test_the_cost_does_not_grow_with_learning_records(learner, client, name):
    client.force_login(learner)
    learn(learner, lessons=1, attempts=1)
    statements_store(
        statements=[learning_statements.course_completed(user=learner, course=CourseFactory())]
    )
    url = reverse(name)
    client.get(url)
    few = _queries(client, url)
    learn(learner, lessons=4, attempts=3)
    statements_store(
        statements=[
            learning_statements.course_completed(user=learner, course=CourseFactory())
            for _ in range(5)
        ]
    )
    assert _queries(client, url) == few
