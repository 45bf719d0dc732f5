"""The JP ledger's rules, end to end: a completed course credits its JP once per learner per
year, whichever way it was completed; completing it again in a later year credits again; a
blended programme credits only through its steps; an xAPI completion and the module's own
completion of the same course credit once; a session's own JP replaces the course's; a course
without JP writes nothing; and the learner's progress towards 20 JP adds it all up."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from satupintu.learning.constants import EnrolmentStatus, JpSource, Modality
from satupintu.learning.models import JpEntry
from satupintu.learning.selectors.learner import jp_progress
from satupintu.learning.services import (
    course_key,
    enrolment_complete,
    enrolment_create,
    jp_credit,
    lesson_complete,
    quiz_submit,
    xapi_completion_record,
)
from satupintu.learning.statements import COMPLETED, agent, course_activity_id
from tests.learning.factories import (
    ClassSessionFactory,
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    ProgrammeStepFactory,
    make_learner,
    quiz_with_questions,
    right_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def this_year() -> int:
    return timezone.localdate().year


def a_year_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=370)


def test_a_completed_course_credits_its_jp():
    course = CourseFactory(jp=Decimal("6.5"))
    enrolment = EnrolmentFactory(course=course)

    enrolment_complete(enrolment=enrolment)

    entry = JpEntry.objects.get()
    assert entry.learner == enrolment.learner
    assert entry.jp == Decimal("6.5")
    assert entry.year == this_year()
    assert entry.key == course_key(course)
    assert entry.source == JpSource.COURSE
    assert entry.course == course


def test_a_course_credits_once_a_year_however_often_it_is_completed():
    learner = make_learner()
    course = CourseFactory(jp=Decimal(4))
    enrolment_complete(enrolment=enrolment_create(learner=learner, course=course))
    enrolment_complete(enrolment=enrolment_create(learner=learner, course=course))

    assert JpEntry.objects.filter(learner=learner).count() == 1
    assert jp_progress(learner=learner, year=this_year()).total == Decimal(4)


def test_the_same_course_credits_again_in_a_later_year():
    learner = make_learner()
    course = CourseFactory(jp=Decimal(4))
    earlier = a_year_ago()
    enrolment_complete(
        enrolment=enrolment_create(learner=learner, course=course), completed_at=earlier
    )
    enrolment_complete(enrolment=enrolment_create(learner=learner, course=course))

    years = sorted(JpEntry.objects.filter(learner=learner).values_list("year", flat=True))
    assert years == [timezone.localtime(earlier).year, this_year()]


def test_a_credit_belongs_to_the_year_the_learning_happened():
    enrolment = EnrolmentFactory()
    enrolment_complete(enrolment=enrolment, completed_at=a_year_ago())

    assert jp_progress(learner=enrolment.learner, year=this_year()).total == 0
    assert jp_progress(learner=enrolment.learner, year=this_year() - 1).total == Decimal(4)


def test_a_programme_credits_only_through_its_steps():
    programme = CourseFactory(modality=Modality.BLENDED, jp=Decimal(40))
    first, second = CourseFactory(jp=Decimal(8)), CourseFactory(jp=Decimal(12))
    ProgrammeStepFactory(programme=programme, course=first, order=1)
    ProgrammeStepFactory(programme=programme, course=second, order=2)
    learner = make_learner()
    enrolment = enrolment_create(learner=learner, course=programme)

    for step in (first, second):
        enrolment_complete(enrolment=enrolment_create(learner=learner, course=step))

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert set(JpEntry.objects.values_list("course_id", "jp")) == {
        (first.pk, Decimal(8)),
        (second.pk, Decimal(12)),
    }
    assert jp_progress(learner=learner, year=this_year()).total == Decimal(20)


def test_an_xapi_completion_and_the_module_credit_once():
    course = CourseFactory(jp=Decimal(5), external_activity_id="https://lms.example.id/k/77")
    lesson = LessonFactory(course=course, order=1)
    quiz = quiz_with_questions(course=course, order=2)
    learner = make_learner()
    enrolment = enrolment_create(learner=learner, course=course)
    statement = {
        "actor": agent(learner),
        "verb": {"id": COMPLETED},
        "object": {"id": course.external_activity_id},
    }

    # The content elsewhere reports the completion first…
    xapi_completion_record(statement=statement)
    # …then the learner finishes the module here, and the LRS repeats itself.
    lesson_complete(enrolment=enrolment, lesson=lesson, actor=learner)
    quiz_submit(enrolment=enrolment, lesson=quiz, answers=right_answers(quiz), actor=learner)
    xapi_completion_record(statement=statement)
    xapi_completion_record(statement={**statement, "object": {"id": course_activity_id(course)}})

    entry = JpEntry.objects.get()
    assert entry.jp == Decimal(5)
    assert entry.source == JpSource.XAPI


def test_an_xapi_completion_without_an_enrolment_credits_the_ledger_once():
    course = CourseFactory(jp=Decimal(3))
    learner = make_learner()
    statement = {
        "actor": agent(learner),
        "verb": {"id": COMPLETED},
        "object": {"id": course_activity_id(course)},
    }

    xapi_completion_record(statement=statement)
    xapi_completion_record(statement=statement)
    # Enrolling and completing afterwards in the same year adds nothing.
    enrolment_complete(enrolment=enrolment_create(learner=learner, course=course))

    assert JpEntry.objects.filter(learner=learner).count() == 1
    assert JpEntry.objects.get().source == JpSource.XAPI


def test_a_session_with_its_own_jp_credits_those():
    course = CourseFactory(modality=Modality.CLASSROOM, jp=Decimal(8))
    session = ClassSessionFactory(course=course, jp=Decimal(6))
    enrolment = EnrolmentFactory(course=course)

    enrolment_complete(enrolment=enrolment, session=session, source=JpSource.SESSION)

    entry = JpEntry.objects.get()
    assert (entry.jp, entry.source, entry.session) == (Decimal(6), JpSource.SESSION, session)
    assert entry.key == course_key(course)


def test_a_session_without_its_own_jp_credits_the_courses():
    course = CourseFactory(modality=Modality.CLASSROOM, jp=Decimal(8))
    enrolment = EnrolmentFactory(course=course)

    enrolment_complete(
        enrolment=enrolment, session=ClassSessionFactory(course=course), source=JpSource.SESSION
    )

    assert JpEntry.objects.get().jp == Decimal(8)


def test_a_course_without_jp_writes_nothing():
    enrolment = EnrolmentFactory(course=CourseFactory(jp=Decimal(0)))

    enrolment = enrolment_complete(enrolment=enrolment)

    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert not JpEntry.objects.exists()


def test_progress_adds_courses_sessions_and_claims_towards_twenty():
    learner = make_learner()
    enrolment_complete(enrolment=EnrolmentFactory(learner=learner, course=CourseFactory(jp=8)))
    jp_credit(
        learner=learner,
        jp=Decimal("4.5"),
        source=JpSource.CLAIM,
        key="claim:seminar",
        occurred_on=timezone.localdate(),
    )
    enrolment_complete(
        enrolment=EnrolmentFactory(learner=make_learner(), course=CourseFactory(jp=30))
    )

    progress = jp_progress(learner=learner, year=this_year())

    assert progress.total == Decimal("12.5")
    assert progress.right == Decimal(20)
    assert progress.percent == 62
    assert progress.remaining == Decimal("7.5")
    assert not progress.reached
    assert len(progress.entries) == 2


def test_progress_stops_at_a_hundred_percent():
    learner = make_learner()
    enrolment_complete(enrolment=EnrolmentFactory(learner=learner, course=CourseFactory(jp=32)))

    progress = jp_progress(learner=learner, year=this_year())

    assert progress.percent == 100
    assert progress.reached
    assert progress.remaining == 0
    assert progress.bar_value == Decimal(20)
