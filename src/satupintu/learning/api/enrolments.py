"""A signed-in employee's enrolments over the API, with the lessons and quizzes of their
courses. Anybody else's enrolment is "not found"; a citizen or a system is refused (403)."""

import datetime
import uuid
from typing import Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE
from satupintu.core.errors import NotFound
from satupintu.learning import services
from satupintu.learning.api.common import (
    AgencyRef,
    CourseRef,
    ListQuery,
    agency_ref,
    course_ref,
    cursor_checked,
    errors,
    invalid_input,
    learner_of,
    link,
    page_out,
)
from satupintu.learning.constants import LessonKind
from satupintu.learning.selectors import catalogue as catalogue_selectors
from satupintu.learning.selectors import learner as learner_selectors
from satupintu.learning.selectors import mine

router = Router(tags=["learning: my learning"], auth=PEOPLE)


# Enrolments ---------------------------------------------------------------------------------


class CertificateRef(Schema):
    id: uuid.UUID
    number: str
    verification_code: str
    verify_url: str | None


class EnrolmentOut(Schema):
    id: uuid.UUID
    course: CourseRef
    provider: AgencyRef
    status: str = Field(description="requested, active, completed, cancelled or rejected.")
    status_label: str
    source: str = Field(description="self, supervisor or hr: who enrolled you.")
    progress: int = Field(description="Share of the course done, in percent.")
    due_on: datetime.date | None
    reason: str = Field(description="Why a request was not approved, if it was not.")
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None
    certificate: CertificateRef | None


def certificate_ref(request, certificate) -> dict | None:
    if certificate is None:
        return None
    return {
        "id": certificate.public_id,
        "number": certificate.number,
        "verification_code": certificate.verification_code,
        "verify_url": link(request, "cases:verify_code", certificate.verification_code),
    }


def enrolment_out(request, enrolment) -> dict:
    return {
        "id": enrolment.public_id,
        "course": course_ref(enrolment.course),
        "provider": agency_ref(enrolment.course.provider),
        "status": enrolment.status,
        "status_label": enrolment.get_status_display(),
        "source": enrolment.source,
        "progress": enrolment.progress,
        "due_on": enrolment.due_on,
        "reason": enrolment.reason,
        "enrolled_at": enrolment.created_at,
        "completed_at": enrolment.completed_at,
        "certificate": certificate_ref(request, mine.certificate_of(enrolment)),
    }


class EnrolmentList(Schema):
    items: list[EnrolmentOut]
    next: str | None


class EnrolmentQuery(ListQuery):
    status: Literal["", "requested", "active", "completed", "cancelled", "rejected"] = ""


@router.get(
    "/me/enrolments",
    response={200: EnrolmentList, **errors(400, 403, 422)},
    summary="Your enrolments",
)
def enrolment_list(request, query: Query[EnrolmentQuery]):
    """Your enrolments (of one status, if you say), newest first."""
    learner = learner_of(request)
    page = mine.enrolment_page_for_learner(
        learner=learner,
        status=query.status or None,
        cursor=cursor_checked(query.cursor),
        limit=query.limit,
    )
    return page_out(request, page, lambda enrolment: enrolment_out(request, enrolment))


class EnrolmentIn(Schema):
    course: str = Field(max_length=80, description="The code of the course.")


@router.post(
    "/me/enrolments",
    response={201: EnrolmentOut, **errors(400, 403, 409, 413, 422)},
    summary="Enrol in a course",
)
def enrolment_create(request, payload: EnrolmentIn):
    """Enrol yourself. A course that needs your unit head's approval answers with the status
    `requested`. Refused with the reason and what to do when the course is not open to your
    agency, a prerequisite is missing, the course is full (409) or you are already enrolled
    (409)."""
    learner = learner_of(request)
    try:
        course = catalogue_selectors.course_get(code=payload.course)
    except NotFound as exc:
        raise invalid_input("course", str(exc.detail), "course_not_found") from exc
    enrolment = services.enrolment_create(learner=learner, course=course, actor=learner)
    enrolment = learner_selectors.enrolment_get_for_learner(
        learner=learner, public_id=enrolment.public_id
    )
    return Status(201, enrolment_out(request, enrolment))


class LessonItem(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    title: str
    minutes: int
    done: bool
    url: str | None = Field(description="The lesson in this API.")


class EnrolmentDetail(EnrolmentOut):
    lessons: list[LessonItem] = Field(description="For a self-paced course, in order.")


def _enrolment_of(learner, id: str):
    return learner_selectors.enrolment_get_for_learner(learner=learner, public_id=id)


@router.get(
    "/me/enrolments/{id}",
    response={200: EnrolmentDetail, **errors(403)},
    summary="One of your enrolments",
)
def enrolment_get(request, id: str):
    """An enrolment with its lessons and which of them you have done."""
    learner = learner_of(request)
    enrolment = _enrolment_of(learner, id)
    done = learner_selectors.done_lesson_ids(enrolment)
    lessons = learner_selectors.course_lessons(enrolment.course)
    return {
        **enrolment_out(request, enrolment),
        "lessons": [
            {
                "id": lesson.public_id,
                "kind": lesson.kind,
                "kind_label": lesson.get_kind_display(),
                "title": lesson.title,
                "minutes": lesson.minutes,
                "done": lesson.pk in done,
                "url": request.build_absolute_uri(
                    f"{request.path.rstrip('/')}/lessons/{lesson.public_id}"
                ),
            }
            for lesson in lessons
        ],
    }


@router.post(
    "/me/enrolments/{id}/cancel",
    response={200: EnrolmentOut, **errors(403, 409)},
    summary="Cancel an enrolment",
)
def enrolment_cancel(request, id: str):
    """Cancel an enrolment awaiting approval or in progress, with your seats in its sessions
    to come (a freed seat goes to the first on the waiting list). A completed course cannot
    be cancelled (409)."""
    learner = learner_of(request)
    enrolment = services.enrolment_cancel(enrolment=_enrolment_of(learner, id), actor=learner)
    return enrolment_out(request, _enrolment_of(learner, enrolment.public_id))


# Lessons and quizzes --------------------------------------------------------------------------


class QuizChoiceOut(Schema):
    id: str = Field(description="Send it as the answer to its question.")
    text: str


class QuizQuestionOut(Schema):
    id: uuid.UUID
    text: str
    choices: list[QuizChoiceOut]


class QuizOut(Schema):
    pass_mark: int = Field(description="The share of right answers to pass, in percent.")
    max_attempts: int | None
    attempts_used: int
    attempts_left: int | None
    best_score: int | None
    questions: list[QuizQuestionOut]


class LessonOut(Schema):
    id: uuid.UUID
    position: int
    kind: str
    kind_label: str
    title: str
    body: str
    video_url: str
    file_url: str | None = Field(description="The file to download (a download lesson).")
    minutes: int
    done: bool
    previous: uuid.UUID | None
    next: uuid.UUID | None
    quiz: QuizOut | None


def _lesson_view(learner, enrolment, lesson_id: str):
    return learner_selectors.lesson_view(
        learner=learner, course=enrolment.course, public_id=lesson_id
    )


def _lesson_out(request, view) -> dict:
    lesson = view.lesson
    quiz = None
    if lesson.kind == LessonKind.QUIZ:
        quiz = {
            "pass_mark": lesson.pass_mark,
            "max_attempts": lesson.max_attempts,
            "attempts_used": view.attempts_used,
            "attempts_left": view.attempts_left,
            "best_score": view.best_score,
            "questions": [
                {
                    "id": question.public_id,
                    "text": question.localised("text"),
                    "choices": [
                        {"id": str(choice.pk), "text": choice.localised("text")}
                        for choice in question.choices.all()
                    ],
                }
                for question in view.questions
            ],
        }
    return {
        "id": lesson.public_id,
        "position": view.position,
        "kind": lesson.kind,
        "kind_label": lesson.get_kind_display(),
        "title": lesson.title,
        "body": lesson.localised("body"),
        "video_url": lesson.video_url,
        "file_url": link(request, "learning:lesson_file", lesson.course.code, lesson.public_id)
        if lesson.file
        else None,
        "minutes": lesson.minutes,
        "done": view.done,
        "previous": view.previous.public_id if view.previous else None,
        "next": view.next.public_id if view.next else None,
        "quiz": quiz,
    }


@router.get(
    "/me/enrolments/{id}/lessons/{lesson}",
    response={200: LessonOut, **errors(403)},
    summary="A lesson of your course",
)
def lesson_get(request, id: str, lesson: str):
    """A lesson's content; a quiz's questions with their choices (not which is right), the
    attempts used and left, and your best score."""
    learner = learner_of(request)
    enrolment = _enrolment_of(learner, id)
    return _lesson_out(request, _lesson_view(learner, enrolment, lesson))


class ProgressOut(Schema):
    lesson: uuid.UUID
    done: bool
    enrolment: EnrolmentOut


@router.post(
    "/me/enrolments/{id}/lessons/{lesson}/complete",
    response={200: ProgressOut, **errors(400, 403, 409)},
    summary="Mark a lesson as done",
)
def lesson_complete(request, id: str, lesson: str):
    """Mark a reading, a video or a download as done (a quiz is done by passing it). When it
    was the last lesson, the course is completed: its JP are credited and its certificate
    issued."""
    learner = learner_of(request)
    enrolment = _enrolment_of(learner, id)
    view = _lesson_view(learner, enrolment, lesson)
    services.lesson_complete(enrolment=enrolment, lesson=view.lesson, actor=learner)
    return {
        "lesson": view.lesson.public_id,
        "done": True,
        "enrolment": enrolment_out(request, _enrolment_of(learner, id)),
    }


class AttemptIn(Schema):
    answers: dict[str, str] = Field(
        description="For every question, by its id: the id of the chosen answer.",
        max_length=100,
    )


class AnswerOut(Schema):
    question: uuid.UUID
    chosen: str | None
    correct: bool
    explanation: str


class AttemptOut(Schema):
    score: int = Field(description="The share of right answers, in percent.")
    passed: bool
    pass_mark: int
    attempts_left: int | None
    answers: list[AnswerOut] = Field(description="Each question, right or not, and why.")
    enrolment: EnrolmentOut


@router.post(
    "/me/enrolments/{id}/lessons/{lesson}/attempts",
    response={201: AttemptOut, **errors(400, 403, 409, 413, 422)},
    summary="Submit a quiz",
)
def quiz_submit(request, id: str, lesson: str, payload: AttemptIn):
    """Answer every question of a quiz. The answer gives the score, whether it passed, and
    for each question whether your answer was right, with the explanation. Passing the last
    open lesson completes the course. Refused when the attempts are used up (409) or a
    question is unanswered (422)."""
    learner = learner_of(request)
    enrolment = _enrolment_of(learner, id)
    view = _lesson_view(learner, enrolment, lesson)
    attempt = services.quiz_submit(
        enrolment=enrolment, lesson=view.lesson, answers=payload.answers, actor=learner
    )
    after = _lesson_view(learner, enrolment, lesson)
    answers = []
    for question in after.questions:
        chosen = (attempt.answers or {}).get(str(question.public_id))
        right = {str(choice.pk) for choice in question.choices.all() if choice.is_correct}
        answers.append(
            {
                "question": question.public_id,
                "chosen": chosen,
                "correct": chosen in right,
                "explanation": question.localised("explanation"),
            }
        )
    return Status(
        201,
        {
            "score": attempt.score,
            "passed": attempt.passed,
            "pass_mark": view.lesson.pass_mark,
            "attempts_left": after.attempts_left,
            "answers": answers,
            "enrolment": enrolment_out(request, _enrolment_of(learner, id)),
        },
    )
