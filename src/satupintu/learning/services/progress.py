"""A learner's way through a self-paced course: lessons marked as done and quizzes taken.

The enrolment keeps the share of the course done (``progress``, in percent): finished
lessons and passed quizzes over all lessons. A self-paced course is complete when every
lesson is done and every quiz passed; the enrolment is then completed (``enrolment_complete``).

A passed quiz is also evidence of competency: for each competency tagged on its questions
where the learner answered at least the pass mark of those questions right, the level the
course builds is recorded in the learner's competency profile, never lowering a level they
already have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.services import audit_record
from satupintu.learning import statements
from satupintu.learning.constants import EnrolmentStatus, LessonKind, Modality
from satupintu.learning.models import (
    CourseCompetency,
    Enrolment,
    Lesson,
    LessonProgress,
    QuizAttempt,
)
from satupintu.learning.services.enrolment import enrolment_complete

if TYPE_CHECKING:
    from satupintu.accounts.models import User


def _check(*, enrolment: Enrolment, lesson: Lesson, actor: User) -> Enrolment:
    """The enrolment, locked, after checking that ``actor`` is its learner, that it is in
    progress and that ``lesson`` belongs to its course."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "learner")
        .get(pk=enrolment.pk)
    )
    if actor is None or actor.pk != enrolment.learner_id:
        raise Forbidden(_("Only the learner can work through their own course."), code="not_yours")
    if lesson.course_id != enrolment.course_id:
        raise NotFound(_("This lesson is not part of the course."), code="lesson_not_found")
    if enrolment.status == EnrolmentStatus.REQUESTED:
        raise Conflict(
            _(
                "Your enrolment is awaiting your unit head's approval. You can start once it "
                "is approved."
            ),
            code="awaiting_approval",
        )
    if enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED):
        raise Conflict(
            _("This enrolment has ended. Enrol in the course again to continue."),
            code="not_active",
        )
    return enrolment


def progress_refresh(*, enrolment: Enrolment, actor: User | None = None) -> Enrolment:
    """Recount the enrolment's progress; complete it when every lesson of a self-paced
    course is done (quizzes passed)."""
    lesson_ids = list(
        Lesson.objects.filter(course_id=enrolment.course_id).values_list("pk", flat=True)
    )
    if not lesson_ids or enrolment.status != EnrolmentStatus.ACTIVE:
        return enrolment
    done = LessonProgress.objects.filter(
        enrolment=enrolment, lesson_id__in=lesson_ids, completed_at__isnull=False
    ).count()
    progress = min(100, done * 100 // len(lesson_ids))
    if progress != enrolment.progress:
        enrolment.progress = progress
        enrolment.save(update_fields=["progress", "updated_at"])
    if done == len(lesson_ids) and enrolment.course.modality == Modality.SELF_PACED:
        enrolment = enrolment_complete(enrolment=enrolment, actor=actor)
    return enrolment


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: Lesson, actor: User) -> LessonProgress:
    """Mark a reading, video or download as done (a quiz is done by passing it). Marking a
    done lesson again changes nothing."""
    enrolment = _check(enrolment=enrolment, lesson=lesson, actor=actor)
    if lesson.kind == LessonKind.QUIZ:
        raise DomainError(
            _("A quiz is done when you pass it. Answer its questions and submit them."),
            code="quiz_needs_answers",
        )
    row, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if row.completed_at is not None:
        return row
    row.completed_at = timezone.now()
    row.save(update_fields=["completed_at"])
    audit_record(
        actor=actor,
        action="learning.lesson_completed",
        target=lesson,
        subject=enrolment.learner,
        details={"course": enrolment.course.code, "enrolment": str(enrolment.public_id)},
    )
    statements.send_on_commit(
        [
            statements.lesson_completed(
                user=enrolment.learner, lesson=lesson, moment=row.completed_at
            )
        ]
    )
    progress_refresh(enrolment=enrolment, actor=actor)
    return row


@dataclass(frozen=True)
class _Tally:
    right: int = 0
    asked: int = 0


def _score(lesson: Lesson, answers: dict[str, str]) -> tuple[int, dict[str, str], dict, list]:
    """Score ``answers`` ({question public id: choice id}) against the quiz: the score in
    percent, the answers kept, the tally per competency id, and the questions left
    unanswered (with a message each)."""
    questions = list(lesson.questions.prefetch_related("choices").order_by("order"))
    kept: dict[str, str] = {}
    tallies: dict[int, _Tally] = {}
    missing = []
    right = 0
    for question in questions:
        key = str(question.public_id)
        chosen = str(answers.get(key, "") or "").strip()
        choice = next((c for c in question.choices.all() if str(c.pk) == chosen), None)
        if choice is None:
            missing.append({"path": key, "message": _("Choose one answer to this question.")})
            continue
        kept[key] = str(choice.pk)
        right += int(choice.is_correct)
        if question.competency_id:
            tally = tallies.get(question.competency_id, _Tally())
            tallies[question.competency_id] = _Tally(
                tally.right + int(choice.is_correct), tally.asked + 1
            )
    score = round(100 * right / len(questions)) if questions else 100
    return score, kept, tallies, missing


def _record_competencies(
    *, enrolment: Enrolment, lesson: Lesson, attempt: QuizAttempt, tallies: dict, actor: User
) -> None:
    """Record the levels that a passed quiz shows (see the module's docstring)."""
    from satupintu.talent.models import AssessmentSource
    from satupintu.talent.selectors import latest_assessments
    from satupintu.talent.services import assessment_record

    employee = getattr(enrolment.learner, "employee", None)
    if employee is None or not tallies:
        return
    shown = [
        competency_id
        for competency_id, tally in tallies.items()
        if tally.asked and tally.right * 100 >= lesson.pass_mark * tally.asked
    ]
    if not shown:
        return
    built = {
        item.competency_id: item
        for item in CourseCompetency.objects.filter(
            course_id=enrolment.course_id, competency_id__in=shown
        ).select_related("competency")
    }
    current = {
        assessment.competency_id: assessment.level
        for assessment in latest_assessments(employee_ids=[employee.pk]).filter(
            competency_id__in=list(built)
        )
    }
    for competency_id, item in built.items():
        if current.get(competency_id, 0) >= item.level or not item.competency.is_active:
            continue
        assessment_record(
            employee=employee,
            competency=item.competency,
            level=item.level,
            source=AssessmentSource.QUIZ,
            assessed_on=timezone.localdate(attempt.created_at),
            actor=actor,
            evidence=lesson.title_id[:300],
            reference=f"quiz:{attempt.public_id}",
        )


@transaction.atomic
def quiz_submit(
    *, enrolment: Enrolment, lesson: Lesson, answers: dict[str, str], actor: User
) -> QuizAttempt:
    """Submit answers to a quiz: every question needs one answer. Scores the attempt; a
    score at or above the pass mark passes the quiz. Refused when the attempts allowed are
    used up (a passed quiz may be retaken while attempts remain; the best score counts)."""
    enrolment = _check(enrolment=enrolment, lesson=lesson, actor=actor)
    if lesson.kind != LessonKind.QUIZ:
        raise DomainError(
            _("This lesson is not a quiz. Mark it as done instead."), code="not_a_quiz"
        )
    if not isinstance(answers, dict):
        answers = {}
    used = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson).count()
    if lesson.max_attempts is not None and used >= lesson.max_attempts:
        raise Conflict(
            _("You have used all %(count)s attempts at this quiz. Ask HR if you need another.")
            % {"count": lesson.max_attempts},
            code="no_attempts_left",
        )
    score, kept, tallies, missing = _score(lesson, answers)
    if missing:
        raise DomainError(
            _("Answer every question before you submit the quiz."),
            code="unanswered",
            status=422,
            errors=missing,
        )
    passed = score >= lesson.pass_mark
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment, lesson=lesson, answers=kept, score=score, passed=passed
    )
    row, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    fields = []
    if row.best_score is None or score > row.best_score:
        row.best_score = score
        fields.append("best_score")
    if passed and row.completed_at is None:
        row.completed_at = attempt.created_at
        fields.append("completed_at")
    if fields:
        row.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="learning.quiz_submitted",
        target=attempt,
        subject=enrolment.learner,
        details={
            "course": enrolment.course.code,
            "lesson": str(lesson.public_id),
            "score": score,
            "passed": passed,
        },
    )
    statements.send_on_commit(
        [
            statements.quiz_scored(
                user=enrolment.learner,
                lesson=lesson,
                score=score,
                passed=passed,
                moment=attempt.created_at,
            )
        ]
    )
    if passed:
        _record_competencies(
            enrolment=enrolment, lesson=lesson, attempt=attempt, tallies=tallies, actor=actor
        )
        progress_refresh(enrolment=enrolment, actor=actor)
    return attempt
