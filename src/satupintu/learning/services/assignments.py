"""Assignments and approvals: a unit head or HR assigns a course to employees, and a unit head
approves or refuses the self-enrolments that wait for approval.

Rules:
- A unit head assigns to the employees of the units they head (source SUPERVISOR); HR to the
  employees of their agency, or of every agency for HR of the whole government (source HR).
  The course's own rules still apply (published, audience, prerequisites, capacity).
- Assigning a course to an employee who is already enrolled keeps that enrolment: a request
  awaiting approval is approved by the assignment, and a new date to finish by is kept.
- A request is decided by the head of the learner's unit or HR of their agency, never by the
  learner. A refusal says why: the learner reads it.
- Every assigned or decided learner is told in their inbox.
"""

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import EmployeeProfile
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.services import audit_record
from satupintu.learning.constants import EnrolmentSource, EnrolmentStatus
from satupintu.learning.models import Course, Enrolment
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.services.notices import learner_notify
from satupintu.learning.services.sessions import REASON_MAX_LENGTH, invalid

ASSIGN_MAX = 500


def _name(user) -> str:
    return user.get_full_name() or user.username


def _notify_assigned(enrolment: Enrolment, course: Course) -> None:
    def render() -> tuple[str, str]:
        title = _("New course for you: %(course)s") % {"course": course.title}
        if enrolment.due_on:
            body = _("You have been enrolled in %(course)s. Finish it by %(date)s.") % {
                "course": course.title,
                "date": formats.date_format(enrolment.due_on, "j F Y"),
            }
        else:
            body = _("You have been enrolled in %(course)s. Find it in My learning.") % {
                "course": course.title
            }
        return title, body

    learner_notify(
        recipient=enrolment.learner,
        kind="enrolment_assigned",
        key=str(enrolment.public_id),
        render=render,
        url_name="learning:course",
        url_args=(course.code,),
    )


@transaction.atomic
def enrolment_assign(
    *, course: Course, learners: list, actor, due_on: datetime.date | None = None
) -> list[Enrolment]:
    """Enrol every one of ``learners`` (users) in ``course`` on behalf of ``actor``, their
    unit head or HR. All or nothing: when one of them cannot be enrolled, nobody is, and the
    message names who and why. Answers the enrolments, in the order of ``learners``."""
    from satupintu.learning.services.enrolment import enrolment_create  # import cycle

    access = learning_access(actor)
    if not access.manages_people:
        raise Forbidden(
            _("Courses are assigned by unit heads and human resources."), code="not_allowed"
        )
    unique = list({learner.pk: learner for learner in learners}.values())
    if not unique:
        raise invalid("learners", _("Choose at least one employee to assign the course to."))
    if len(unique) > ASSIGN_MAX:
        raise invalid(
            "learners",
            _("Assign a course to at most %(max)s employees at a time.") % {"max": ASSIGN_MAX},
        )
    if due_on is not None and due_on < timezone.localdate():
        raise invalid("due_on", _("Choose a date to finish by that is today or later."))
    employees = {
        employee.user_id: employee
        for employee in EmployeeProfile.objects.filter(user_id__in=[u.pk for u in unique])
    }
    for learner in unique:
        employee = employees.get(learner.pk)
        if employee is None or not access.covers(employee):
            raise invalid(
                "learners",
                _("%(name)s is not an employee of a unit you head or an agency you work for as HR.")
                % {"name": _name(learner)},
                code="not_in_scope",
            )
    course = Course.objects.select_for_update().get(pk=course.pk)
    existing = {
        enrolment.learner_id: enrolment
        for enrolment in Enrolment.objects.select_for_update()
        .filter(
            course=course,
            learner_id__in=[u.pk for u in unique],
            status__in=[EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE],
        )
        .select_related("learner")
    }
    now = timezone.now()
    found: list[Enrolment] = []
    for learner in unique:
        employee = employees[learner.pk]
        source = EnrolmentSource.HR if access.covers_hr(employee) else EnrolmentSource.SUPERVISOR
        enrolment = existing.get(learner.pk)
        if enrolment is None:
            try:
                enrolment = enrolment_create(
                    learner=learner, course=course, actor=actor, source=source, due_on=due_on
                )
            except DomainError as error:
                raise DomainError(
                    _("%(name)s: %(reason)s") % {"name": _name(learner), "reason": error.detail},
                    code=error.code,
                    status=error.status if error.status != 409 else 422,
                    errors=[{"path": "learners", "message": f"{_name(learner)}: {error.detail}"}],
                ) from error
        else:
            changed = []
            if enrolment.status == EnrolmentStatus.REQUESTED:
                enrolment.status = EnrolmentStatus.ACTIVE
                enrolment.decided_by = actor
                enrolment.decided_at = now
                changed += ["status", "decided_by", "decided_at"]
            if due_on is not None and enrolment.due_on != due_on:
                enrolment.due_on = due_on
                changed.append("due_on")
            if changed:
                enrolment.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="learning.enrolment_assigned",
            target=enrolment,
            subject=learner,
            details={
                "course": course.code,
                "source": source.value,
                "due_on": due_on.isoformat() if due_on else None,
            },
        )
        _notify_assigned(enrolment, course)
        found.append(enrolment)
    return found


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, approve: bool, actor, reason: str = "") -> Enrolment:
    """Approve or refuse a self-enrolment awaiting approval. ``actor`` heads the learner's
    unit or works as HR for their agency; a refusal needs a ``reason`` for the learner."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "learner")
        .get(pk=enrolment.pk)
    )
    learner = enrolment.learner
    employee = EmployeeProfile.objects.filter(user_id=learner.pk).first()
    if actor is None or not learning_access(actor).covers(employee):
        raise NotFound(_("There is no such request among those of your unit."))
    if actor.pk == learner.pk:
        raise Forbidden(
            _("You cannot decide on your own request. It goes to your own unit head or HR."),
            code="own_request",
        )
    if enrolment.status != EnrolmentStatus.REQUESTED:
        raise Conflict(
            _("This request has already been decided: %(status)s.")
            % {"status": enrolment.get_status_display()},
            code="already_decided",
        )
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    if not approve and not reason:
        raise invalid("reason", _("Say why you refuse: the employee reads it."))
    enrolment.status = EnrolmentStatus.ACTIVE if approve else EnrolmentStatus.REJECTED
    enrolment.decided_by = actor
    enrolment.decided_at = timezone.now()
    enrolment.reason = reason
    enrolment.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.enrolment_approved" if approve else "learning.enrolment_refused",
        target=enrolment,
        subject=learner,
        details={"course": enrolment.course.code, "reason": reason},
    )
    course = enrolment.course

    def render() -> tuple[str, str]:
        if approve:
            return (
                _("Approved: %(course)s") % {"course": course.title},
                _("Your enrolment in %(course)s is approved. You can start now.")
                % {"course": course.title},
            )
        return (
            _("Not approved: %(course)s") % {"course": course.title},
            _("Your enrolment in %(course)s was not approved. Reason: %(reason)s")
            % {"course": course.title, "reason": reason},
        )

    learner_notify(
        recipient=learner,
        kind="enrolment_decided",
        key=str(enrolment.public_id),
        render=render,
        url_name="learning:course",
        url_args=(course.code,),
    )
    return enrolment
