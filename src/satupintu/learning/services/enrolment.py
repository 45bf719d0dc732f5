"""Enrolments: joining a course, leaving it, and completing it.

A learner joins a course by enrolling themselves, or is assigned to it by their unit head or
HR. A self-enrolment in a course that needs approval waits for the unit head. Completing a
course credits its JP to the learner's ledger (once a year, see ``services.ledger``), issues
its certificate, reports it to the learning record store, and completes every blended
programme of the learner whose required steps are now all done.

How a course is completed depends on its modality:
- self-paced: by its lessons and quizzes (``services.progress``);
- classroom and virtual classroom: by attending a session (the trainer's list or the QR
  check-in call ``enrolment_complete(session=…)``);
- coaching and experiential learning: HR or the learner's unit head confirm it
  (``enrolment_confirm_completion``);
- a blended programme: when all its required steps are completed;
- any course: by an xAPI completion of its activity (``xapi_completion_record``).
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.learning import statements
from satupintu.learning.constants import (
    OPEN_ENROLMENT_STATUSES,
    BookingStatus,
    EnrolmentSource,
    EnrolmentStatus,
    JpSource,
    Modality,
)
from satupintu.learning.models import (
    ClassSession,
    Course,
    Enrolment,
    JpEntry,
    ProgrammeStep,
    SessionBooking,
)
from satupintu.learning.selectors.learner import enrolment_obstacles
from satupintu.learning.services.certificates import certificate_issue
from satupintu.learning.services.ledger import course_key, jp_credit

if TYPE_CHECKING:
    from satupintu.accounts.models import User

logger = logging.getLogger(__name__)

# Courses that nobody can complete by themselves: a coach, a host or HR says they are done.
CONFIRMED_MODALITIES = {Modality.COACHING, Modality.EXPERIENTIAL}


def _open_statuses() -> list[str]:
    return [status.value for status in OPEN_ENROLMENT_STATUSES]


@transaction.atomic
def enrolment_create(
    *,
    learner: User,
    course: Course,
    actor: User | None = None,
    source: EnrolmentSource | str = EnrolmentSource.SELF,
    due_on: datetime.date | None = None,
) -> Enrolment:
    """Enrol ``learner`` in ``course``, by themselves (``source`` SELF) or assigned by their
    unit head or HR (``actor``).

    Refused, with the reason and what to do, when the learner is not an employee, the course
    is not published or not open to their agency, a prerequisite is not completed, they are
    already enrolled, or the course is full. A self-enrolment in a course that needs approval
    waits for the unit head (status REQUESTED); everything else starts at once.
    """
    # One enrolment at a time per course: the lock makes the capacity count exact.
    course = Course.objects.select_for_update().get(pk=course.pk)
    source = EnrolmentSource(source)
    if source == EnrolmentSource.SELF:
        actor = actor or learner
    obstacles = enrolment_obstacles(learner=learner, course=course)
    if obstacles:
        first = obstacles[0]
        error_class = Conflict if first.code in {"already_enrolled", "full"} else DomainError
        error = error_class(first.message, code=first.code)
        error.errors = [{"path": "course", "message": obstacle.message} for obstacle in obstacles]
        raise error
    status = (
        EnrolmentStatus.REQUESTED
        if course.requires_approval and source == EnrolmentSource.SELF
        else EnrolmentStatus.ACTIVE
    )
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                learner=learner,
                course=course,
                status=status,
                source=source,
                assigned_by=actor if source != EnrolmentSource.SELF else None,
                due_on=due_on,
            )
    except IntegrityError as error:
        raise Conflict(
            _("You are already enrolled in this course. Open it from My learning."),
            code="already_enrolled",
        ) from error
    audit_record(
        actor=actor,
        action="learning.enrolment_created",
        target=enrolment,
        subject=learner,
        details={"course": course.code, "status": status.value, "source": source.value},
    )
    if status == EnrolmentStatus.ACTIVE:
        statements.send_on_commit([statements.course_attempted(user=learner, course=course)])
        if course.modality == Modality.BLENDED:
            # Steps done before joining the programme count.
            _programme_complete_if_done(enrolment=enrolment, actor=actor)
            enrolment.refresh_from_db()
    return enrolment


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, actor: User) -> Enrolment:
    """Cancel an enrolment that is awaiting approval or in progress, with the learner's
    bookings of the course's sessions that have not started (which frees their seats for the
    waiting list). The caller has checked that ``actor`` may (the learner, or HR or the unit
    head through their own pages)."""
    from satupintu.learning.services.sessions import booking_cancel

    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if enrolment.status not in _open_statuses():
        message = (
            _("This course is already completed; a completed course cannot be cancelled.")
            if enrolment.status == EnrolmentStatus.COMPLETED
            else _("This enrolment has already ended. Enrol again from the course page.")
        )
        raise Conflict(message, code="not_open")
    bookings = SessionBooking.objects.filter(
        learner_id=enrolment.learner_id,
        session__course_id=enrolment.course_id,
        session__starts_at__gt=timezone.now(),
        status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED],
    ).order_by("created_at", "id")
    for booking in bookings:
        booking_cancel(booking=booking, actor=actor)
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.enrolment_cancelled",
        target=enrolment,
        subject=enrolment.learner,
        details={"course": enrolment.course.code},
    )
    return enrolment


def _credit_jp(
    *,
    learner: User,
    course: Course,
    moment: datetime.datetime,
    source: JpSource | str,
    session: ClassSession | None,
    actor: User | None,
) -> JpEntry | None:
    """The ledger's credit for completing ``course`` (none for a programme: its JP come
    from its steps)."""
    if course.modality == Modality.BLENDED:
        return None
    jp = session.jp if session is not None and session.jp is not None else course.jp
    return jp_credit(
        learner=learner,
        jp=jp,
        source=source,
        key=course_key(course),
        occurred_on=timezone.localdate(moment),
        description=course.title_id,
        course=course,
        session=session,
        actor=actor,
    )


@transaction.atomic
def enrolment_complete(
    *,
    enrolment: Enrolment,
    actor: User | None = None,
    completed_at: datetime.datetime | None = None,
    source: JpSource | str = JpSource.COURSE,
    session: ClassSession | None = None,
) -> Enrolment:
    """Complete an enrolment: safe to call again (a completed enrolment stays as it is).

    Credits the course's JP (the session's own JP when it has some) to the ledger for the
    year of ``completed_at``, issues the certificate if the course gives one, reports the
    completion to the learning record store after commit, and completes the learner's
    programmes whose required steps are now all completed.
    """
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "learner")
        .get(pk=enrolment.pk)
    )
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return enrolment
    if enrolment.status != EnrolmentStatus.ACTIVE:
        message = (
            _("This enrolment is still awaiting approval; it can be completed once approved.")
            if enrolment.status == EnrolmentStatus.REQUESTED
            else _("This enrolment was cancelled or not approved. Enrol again to complete it.")
        )
        raise Conflict(message, code="not_active")
    course, learner = enrolment.course, enrolment.learner
    now = timezone.now()
    moment = min(completed_at or now, now)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = moment
    enrolment.progress = 100
    enrolment.save(update_fields=["status", "completed_at", "progress", "updated_at"])
    entry = _credit_jp(
        learner=learner, course=course, moment=moment, source=source, session=session, actor=actor
    )
    audit_record(
        actor=actor,
        action="learning.enrolment_completed",
        target=enrolment,
        subject=learner,
        details={
            "course": course.code,
            "source": str(source),
            "session": str(session.public_id) if session is not None else None,
            "jp": str(entry.jp) if entry is not None else None,
        },
    )
    if course.issues_certificate:
        certificate_issue(enrolment=enrolment)
    statements.send_on_commit(
        [statements.course_completed(user=learner, course=course, moment=moment)]
    )
    _programmes_complete(learner=learner, course=course, actor=actor)
    return enrolment


def _required_steps_done(*, learner: User, programme: Course) -> bool:
    required = list(
        ProgrammeStep.objects.filter(programme=programme, is_required=True).values_list(
            "course_id", flat=True
        )
    )
    if not required:
        return False
    done = set(
        Enrolment.objects.filter(
            learner=learner, course_id__in=required, status=EnrolmentStatus.COMPLETED
        ).values_list("course_id", flat=True)
    )
    return done.issuperset(required)


def _programme_complete_if_done(*, enrolment: Enrolment, actor: User | None) -> None:
    if _required_steps_done(learner=enrolment.learner, programme=enrolment.course):
        enrolment_complete(enrolment=enrolment, actor=actor)


def _programmes_complete(*, learner: User, course: Course, actor: User | None) -> None:
    """Complete the learner's programmes (in progress) that ``course`` is a step of, when
    every required step is now completed."""
    enrolments = Enrolment.objects.filter(
        learner=learner,
        status=EnrolmentStatus.ACTIVE,
        course__steps__course=course,
    ).select_related("course", "learner")
    for enrolment in enrolments:
        _programme_complete_if_done(enrolment=enrolment, actor=actor)


@transaction.atomic
def enrolment_confirm_completion(*, enrolment: Enrolment, actor: User) -> Enrolment:
    """Confirm that the learner has finished a coaching or experiential course (secondment,
    job shadowing): HR of the learner's agency, or the head of their unit, may."""
    from satupintu.learning.selectors.access import learning_access

    enrolment = Enrolment.objects.select_related("course", "learner__employee").get(pk=enrolment.pk)
    employee = getattr(enrolment.learner, "employee", None)
    if not learning_access(actor).covers(employee):
        raise Forbidden(
            _(
                "Only HR of the learner's agency or the head of their unit may confirm that "
                "they completed this course."
            ),
            code="not_allowed",
        )
    if enrolment.course.modality not in CONFIRMED_MODALITIES:
        raise DomainError(
            _(
                "Only coaching and experiential courses are completed by confirmation. This "
                "course is completed through its lessons, its sessions or its programme steps."
            ),
            code="not_confirmable",
        )
    return enrolment_complete(enrolment=enrolment, actor=actor)


@transaction.atomic
def xapi_completion_record(*, statement: dict) -> Enrolment | JpEntry | None:
    """Act on a stored xAPI statement: a completion (``completed`` or ``passed``) of a known
    course by a known employee completes their enrolment in progress, or, without one,
    credits the course's JP to their ledger. Anything else is ignored (None).

    A completion that Learn itself reported, or that two systems report, credits once: the
    enrolment is already completed and the ledger counts a course once a year.
    """
    if not isinstance(statement, dict):
        return None
    verb = statement.get("verb")
    if not isinstance(verb, dict) or verb.get("id") not in statements.COMPLETING_VERBS:
        return None
    result = statement.get("result")
    if isinstance(result, dict) and (
        result.get("completion") is False or result.get("success") is False
    ):
        return None
    obj = statement.get("object")
    if not isinstance(obj, dict) or obj.get("objectType", "Activity") != "Activity":
        return None
    course = statements.course_for_activity(obj.get("id"))
    if course is None:
        return None
    learner = statements.learner_for_actor(statement.get("actor"))
    if learner is None:
        return None
    moment = statements.statement_moment(statement)
    enrolment = Enrolment.objects.filter(
        learner=learner, course=course, status=EnrolmentStatus.ACTIVE
    ).first()
    if enrolment is not None:
        return enrolment_complete(enrolment=enrolment, completed_at=moment, source=JpSource.XAPI)
    return _credit_jp(
        learner=learner,
        course=course,
        moment=moment,
        source=JpSource.XAPI,
        session=None,
        actor=None,
    )
