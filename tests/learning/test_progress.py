"""Self-paced modules: lessons marked as done, quizzes scored against their pass mark with
limited attempts, progress kept on the enrolment, the completion rule (every lesson done and
every quiz passed), and a passed quiz recording the competency level the course builds —
never lowering a level the learner already has."""

import pytest

from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.learning.constants import EnrolmentStatus, LessonKind, Modality
from satupintu.learning.models import LessonProgress, QuizAttempt
from satupintu.learning.services import lesson_complete, quiz_submit
from satupintu.talent.constants import AssessmentSource
from satupintu.talent.models import Assessment
from tests.learning.factories import (
    CompetencyFactory,
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    QuestionFactory,
    assess,
    make_learner,
    quiz_with_questions,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def module():
    """A self-paced course of two readings and a quiz of four questions (pass mark 75%,
    two attempts), and a learner enrolled in it."""
    course = CourseFactory()
    reading = LessonFactory(course=course, order=1)
    video = LessonFactory(
        course=course, order=2, kind=LessonKind.VIDEO, video_url="https://youtu.be/abcdefghijk"
    )
    quiz = quiz_with_questions(course=course, count=4, order=3, pass_mark=75, max_attempts=2)
    enrolment = EnrolmentFactory(course=course)
    return {"course": course, "lessons": [reading, video], "quiz": quiz, "enrolment": enrolment}


def _answers(quiz, right: int) -> dict[str, str]:
    """Answers with the first ``right`` questions right and the rest wrong."""
    good, bad = right_answers(quiz), wrong_answers(quiz)
    keys = [str(question.public_id) for question in quiz.questions.order_by("order")]
    return {key: (good if position < right else bad)[key] for position, key in enumerate(keys)}


def test_marking_lessons_done_moves_progress(module):
    enrolment = module["enrolment"]

    lesson_complete(enrolment=enrolment, lesson=module["lessons"][0], actor=enrolment.learner)

    enrolment.refresh_from_db()
    assert enrolment.progress == 33
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_marking_a_lesson_twice_changes_nothing(module):
    enrolment, lesson = module["enrolment"], module["lessons"][0]
    first = lesson_complete(enrolment=enrolment, lesson=lesson, actor=enrolment.learner)
    second = lesson_complete(enrolment=enrolment, lesson=lesson, actor=enrolment.learner)
    assert first.completed_at == second.completed_at
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1


def test_a_quiz_is_not_marked_done_by_hand(module):
    enrolment = module["enrolment"]
    with pytest.raises(DomainError) as error:
        lesson_complete(enrolment=enrolment, lesson=module["quiz"], actor=enrolment.learner)
    assert error.value.code == "quiz_needs_answers"


def test_the_course_completes_when_every_lesson_is_done_and_the_quiz_passed(module):
    enrolment, quiz = module["enrolment"], module["quiz"]
    learner = enrolment.learner
    for lesson in module["lessons"]:
        lesson_complete(enrolment=enrolment, lesson=lesson, actor=learner)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # the quiz is not passed yet

    attempt = quiz_submit(
        enrolment=enrolment, lesson=quiz, answers=_answers(quiz, 3), actor=learner
    )

    assert attempt.score == 75 and attempt.passed
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.progress == 100


def test_passing_the_quiz_first_leaves_the_readings_to_do(module):
    enrolment, quiz = module["enrolment"], module["quiz"]

    quiz_submit(
        enrolment=enrolment, lesson=quiz, answers=right_answers(quiz), actor=enrolment.learner
    )

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.progress == 33


def test_a_failed_quiz_keeps_the_best_score_but_is_not_done(module):
    enrolment, quiz = module["enrolment"], module["quiz"]

    attempt = quiz_submit(
        enrolment=enrolment, lesson=quiz, answers=_answers(quiz, 2), actor=enrolment.learner
    )

    assert attempt.score == 50 and not attempt.passed
    row = LessonProgress.objects.get(enrolment=enrolment, lesson=quiz)
    assert row.best_score == 50 and row.completed_at is None
    enrolment.refresh_from_db()
    assert enrolment.progress == 0


def test_attempts_are_limited(module):
    enrolment, quiz = module["enrolment"], module["quiz"]
    learner = enrolment.learner
    quiz_submit(enrolment=enrolment, lesson=quiz, answers=_answers(quiz, 0), actor=learner)
    quiz_submit(enrolment=enrolment, lesson=quiz, answers=_answers(quiz, 1), actor=learner)

    with pytest.raises(Conflict) as error:
        quiz_submit(enrolment=enrolment, lesson=quiz, answers=right_answers(quiz), actor=learner)

    assert error.value.code == "no_attempts_left"
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 2


def test_every_question_needs_an_answer_and_choices_of_other_questions_do_not_count(module):
    enrolment, quiz = module["enrolment"], module["quiz"]
    answers = right_answers(quiz)
    questions = list(quiz.questions.order_by("order"))
    del answers[str(questions[0].public_id)]
    # The right choice of the second question given as the answer to the third.
    answers[str(questions[2].public_id)] = answers[str(questions[1].public_id)]

    with pytest.raises(DomainError) as error:
        quiz_submit(enrolment=enrolment, lesson=quiz, answers=answers, actor=enrolment.learner)

    assert {problem["path"] for problem in error.value.errors} == {
        str(questions[0].public_id),
        str(questions[2].public_id),
    }
    assert not QuizAttempt.objects.exists()


def test_only_the_learner_works_through_their_course(module):
    enrolment = module["enrolment"]
    with pytest.raises(Forbidden):
        lesson_complete(enrolment=enrolment, lesson=module["lessons"][0], actor=make_learner())


def test_a_lesson_of_another_course_is_not_found(module):
    enrolment = module["enrolment"]
    with pytest.raises(NotFound):
        lesson_complete(enrolment=enrolment, lesson=LessonFactory(), actor=enrolment.learner)


def test_a_request_awaiting_approval_cannot_start():
    enrolment = EnrolmentFactory(status=EnrolmentStatus.REQUESTED)
    lesson = LessonFactory(course=enrolment.course)
    with pytest.raises(Conflict) as error:
        lesson_complete(enrolment=enrolment, lesson=lesson, actor=enrolment.learner)
    assert error.value.code == "awaiting_approval"


def test_only_self_paced_courses_complete_by_their_lessons():
    course = CourseFactory(modality=Modality.CLASSROOM)
    pre_reading = LessonFactory(course=course)
    enrolment = EnrolmentFactory(course=course)

    lesson_complete(enrolment=enrolment, lesson=pre_reading, actor=enrolment.learner)

    enrolment.refresh_from_db()
    assert enrolment.progress == 100
    assert enrolment.status == EnrolmentStatus.ACTIVE


# Quiz → competency ---------------------------------------------------------------------------


@pytest.fixture
def tagged():
    """A course building data literacy to level 3 and integrity to level 2, with a quiz of
    two data questions and two integrity questions (pass mark 50%)."""
    data, integrity = CompetencyFactory(), CompetencyFactory()
    course = CourseFactory(builds=[(data, 3), (integrity, 2)])
    quiz = LessonFactory(course=course, kind=LessonKind.QUIZ, pass_mark=50, order=1)
    for order, competency in enumerate([data, data, integrity, integrity], start=1):
        QuestionFactory(lesson=quiz, order=order, competency=competency)
    enrolment = EnrolmentFactory(course=course)
    return {"data": data, "integrity": integrity, "quiz": quiz, "enrolment": enrolment}


def _answer(quiz, rights: list[bool]) -> dict[str, str]:
    good, bad = right_answers(quiz), wrong_answers(quiz)
    questions = [str(question.public_id) for question in quiz.questions.order_by("order")]
    return {
        key: (good if right else bad)[key] for key, right in zip(questions, rights, strict=True)
    }


def test_a_passed_quiz_records_the_levels_it_shows(tagged):
    enrolment, quiz = tagged["enrolment"], tagged["quiz"]
    employee = enrolment.learner.employee

    attempt = quiz_submit(
        enrolment=enrolment, lesson=quiz, answers=_answer(quiz, [True] * 4), actor=enrolment.learner
    )

    recorded = {a.competency_id: a for a in Assessment.objects.filter(employee=employee)}
    assert recorded[tagged["data"].pk].level == 3
    assert recorded[tagged["integrity"].pk].level == 2
    assert all(a.source == AssessmentSource.QUIZ for a in recorded.values())
    assert recorded[tagged["data"].pk].reference == f"quiz:{attempt.public_id}"


def test_a_competency_whose_questions_fell_below_the_pass_mark_is_not_recorded(tagged):
    enrolment, quiz = tagged["enrolment"], tagged["quiz"]

    # Data: both right (100%); integrity: both wrong (0%). Overall 50%: passed.
    quiz_submit(
        enrolment=enrolment,
        lesson=quiz,
        answers=_answer(quiz, [True, True, False, False]),
        actor=enrolment.learner,
    )

    recorded = set(Assessment.objects.values_list("competency_id", flat=True))
    assert recorded == {tagged["data"].pk}


def test_a_failed_quiz_records_nothing(tagged):
    enrolment, quiz = tagged["enrolment"], tagged["quiz"]
    quiz_submit(
        enrolment=enrolment,
        lesson=quiz,
        answers=_answer(quiz, [True, False, False, False]),
        actor=enrolment.learner,
    )
    assert not Assessment.objects.exists()


def test_a_quiz_never_lowers_a_level(tagged):
    enrolment, quiz = tagged["enrolment"], tagged["quiz"]
    assess(enrolment.learner, tagged["data"], 4)
    assess(enrolment.learner, tagged["integrity"], 1)

    quiz_submit(
        enrolment=enrolment, lesson=quiz, answers=_answer(quiz, [True] * 4), actor=enrolment.learner
    )

    quiz_levels = dict(
        Assessment.objects.filter(source=AssessmentSource.QUIZ).values_list(
            "competency_id", "level"
        )
    )
    assert quiz_levels == {tagged["integrity"].pk: 2}


def test_a_competency_the_course_does_not_build_is_not_recorded():
    course = CourseFactory()
    stray = CompetencyFactory()
    quiz = quiz_with_questions(course=course, count=2, competency=stray)
    enrolment = EnrolmentFactory(course=course)

    quiz_submit(
        enrolment=enrolment, lesson=quiz, answers=right_answers(quiz), actor=enrolment.learner
    )

    assert not Assessment.objects.exists()
