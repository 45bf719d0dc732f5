"""Reads of the staff side of Learn: requests awaiting approval, enrolments to confirm,
claims, the catalogue HR manage, and the employees a course can be assigned to.

Everything is scoped by ``selectors.access``: a unit head sees the employees of the units
they head, HR of an agency that agency's employees and courses, HR of the whole government
everything. Anything outside the caller's scope is "not found".
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Role
from satupintu.accounts.models import EmployeeProfile
from satupintu.core.errors import NotFound
from satupintu.learning.constants import ClaimStatus, EnrolmentStatus, Modality
from satupintu.learning.models import Course, Enrolment, LearningClaim, Lesson
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.selectors.keyset import (
    PAGE_SIZE,
    Page,
    after_q,
    aware_datetime,
    cursor_decode,
    paginate,
)

# Courses completed when HR or the unit head confirm it.
CONFIRMED_MODALITIES = (Modality.COACHING, Modality.EXPERIENTIAL)


def _created_page(rows: QuerySet, *, cursor: str | None, limit: int) -> Page:
    """Oldest first, by (created_at, id)."""
    key = cursor_decode(cursor, aware_datetime, int)
    if key is not None:
        rows = rows.filter(after_q(["created_at", "id"], key))
    found = list(rows.order_by("created_at", "id")[: limit + 1])
    return paginate(found, limit, lambda row: (row.created_at, row.pk))


# Approvals and confirmations ---------------------------------------------------------------


def _people_enrolments(user, *, unit_head_only: bool) -> QuerySet[Enrolment]:
    access = learning_access(user)
    if unit_head_only:
        scope = Q(learner__employee__unit_id__in=sorted(access.unit_ids))
    else:
        scope = access.employee_q("learner__employee__")
    if not access.manages_people:
        scope = Q(pk__in=[])
    return Enrolment.objects.filter(scope).select_related(
        "course", "learner__employee__unit", "learner__employee__agency"
    )


def enrolment_requests(
    *, user, cursor: str | None = None, limit: int = PAGE_SIZE, unit_head_only: bool = True
) -> Page[Enrolment]:
    """Self-enrolments awaiting approval of the employees ``user`` decides for (the units
    they head; with ``unit_head_only`` false, also their agency as HR), oldest first."""
    enrolments = _people_enrolments(user, unit_head_only=unit_head_only).filter(
        status=EnrolmentStatus.REQUESTED
    )
    return _created_page(enrolments, cursor=cursor, limit=limit)


def enrolments_to_confirm(
    *, user, cursor: str | None = None, limit: int = PAGE_SIZE, unit_head_only: bool = True
) -> Page[Enrolment]:
    """Coaching and experiential enrolments in progress whose completion ``user`` may
    confirm, oldest first."""
    enrolments = _people_enrolments(user, unit_head_only=unit_head_only).filter(
        status=EnrolmentStatus.ACTIVE, course__modality__in=CONFIRMED_MODALITIES
    )
    return _created_page(enrolments, cursor=cursor, limit=limit)


def enrolment_get_for_manager(*, user, public_id, unit_head_only: bool = False) -> Enrolment:
    """An enrolment of an employee whom ``user`` covers as HR or unit head (as unit head
    only, with ``unit_head_only``)."""
    enrolment = (
        _people_enrolments(user, unit_head_only=unit_head_only).filter(public_id=public_id).first()
        if learning_access(user).manages_people
        else None
    )
    if enrolment is None:
        raise NotFound(_("There is no such enrolment among those of the employees you manage."))
    return enrolment


# Claims ------------------------------------------------------------------------------------


def claim_queue(
    *,
    user,
    status: str = ClaimStatus.PENDING,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page[LearningClaim]:
    """The claims of the employees ``user`` works for as HR, with ``status``, oldest
    first."""
    access = learning_access(user)
    if access.hr_everywhere:
        scope = Q(learner__employee__isnull=False)
    else:
        scope = Q(learner__employee__agency_id__in=sorted(access.hr_agency_ids))
    claims = LearningClaim.objects.filter(scope)
    claims = claims.filter(status=status).select_related(
        "learner__employee__unit", "learner__employee__agency", "decided_by"
    )
    return _created_page(claims, cursor=cursor, limit=limit)


def claim_get_for_hr(*, user, public_id) -> LearningClaim:
    """A claim of an employee of an agency ``user`` works for as HR."""
    access = learning_access(user)
    claim = (
        LearningClaim.objects.filter(public_id=public_id)
        .select_related("learner__employee__unit", "learner__employee__agency", "decided_by")
        .first()
        if access.is_hr
        else None
    )
    if claim is None or not access.covers_hr(getattr(claim.learner, "employee", None)):
        raise NotFound(_("There is no such claim among those of your agency."))
    return claim


def claim_list_for_learner(
    *, learner, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[LearningClaim]:
    """The learner's own claims, newest first, a page at a time. One query a page."""
    claims = LearningClaim.objects.filter(learner_id=learner.pk)
    key = cursor_decode(cursor, aware_datetime, int)
    if key is not None:
        claims = claims.filter(after_q(["created_at", "id"], key, descending=True))
    found = list(claims.order_by("-created_at", "-id")[: limit + 1])
    return paginate(found, limit, lambda claim: (claim.created_at, claim.pk))


def claim_get_for_viewer(*, user, public_id) -> LearningClaim:
    """A claim that ``user`` may see: their own, or one HR of the learner's agency decide."""
    claim = (
        LearningClaim.objects.filter(public_id=public_id)
        .select_related("learner__employee")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if (
        claim is not None
        and claim.learner_id != user.pk
        and not learning_access(user).covers_hr(getattr(claim.learner, "employee", None))
    ):
        claim = None
    if claim is None:
        raise NotFound(_("There is no such claim among those you may see."))
    return claim


# The catalogue that HR manage ----------------------------------------------------------------


def course_list_for_hr(
    *, user, q: str = "", cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[Course]:
    """The courses ``user`` manages as HR (published or not), by code, with their number of
    lessons and of sessions to come; ``q`` searches codes and titles."""
    access = learning_access(user)
    courses = Course.objects.filter(access.course_q()) if access.is_hr else Course.objects.none()
    q = (q or "").strip()[:100]
    if q:
        courses = courses.filter(
            Q(code__icontains=q) | Q(title_id__icontains=q) | Q(title_en__icontains=q)
        )
    key = cursor_decode(cursor, str, int)
    if key is not None:
        courses = courses.filter(after_q(["code", "id"], key))
    rows = list(
        courses.select_related("provider")
        .annotate(lesson_count=Count("lessons", distinct=True))
        .order_by("code", "id")[: limit + 1]
    )
    return paginate(rows, limit, lambda course: (course.code, course.pk))


def course_get_for_hr(*, user, code: str) -> Course:
    """A course that ``user`` manages as HR."""
    access = learning_access(user)
    course = (
        Course.objects.filter(access.course_q(), code=(code or "")[:80])
        .select_related("provider")
        .first()
        if access.is_hr
        else None
    )
    if course is None:
        raise NotFound(_("There is no course with this code among those your agency provides."))
    return course


def course_lessons(*, course: Course) -> list[Lesson]:
    """The lessons of ``course`` in their order, with their number of questions."""
    return list(
        Lesson.objects.filter(course=course)
        .annotate(question_count=Count("questions"))
        .order_by("order", "id")
    )


def lesson_get_for_hr(*, user, course: Course, public_id) -> Lesson:
    """A lesson of a course that ``user`` manages (``course`` was found through
    ``course_get_for_hr``)."""
    lesson = Lesson.objects.filter(course=course, public_id=public_id).first()
    if lesson is None:
        raise NotFound(_("This course has no such lesson."))
    return lesson


def course_choices_for_assignment(*, user, limit: int = 500) -> QuerySet[Course]:
    """Published courses a unit head or HR may assign, by title."""
    if not learning_access(user).manages_people:
        return Course.objects.none()
    return Course.objects.filter(is_published=True).order_by("title_id", "id")[:limit]


def assignable_employees(*, user, limit: int = 300) -> list[EmployeeProfile]:
    """The employees of the units ``user`` heads (for the unit head's checklist), by name."""
    access = learning_access(user)
    if not access.unit_ids:
        return []
    return list(
        EmployeeProfile.objects.filter(unit_id__in=sorted(access.unit_ids), user__is_active=True)
        .exclude(user_id=user.pk)
        .select_related("user", "unit")
        .order_by("unit__name_id", "user__first_name", "user__last_name", "id")[:limit]
    )


def employees_by_nip(*, user, nips: list[str]) -> tuple[list[EmployeeProfile], list[str]]:
    """The employees with these NIPs among those ``user`` covers, and the NIPs not found
    among them."""
    access = learning_access(user)
    wanted = [nip for nip in dict.fromkeys(n.strip() for n in nips) if nip]
    found = {
        employee.nip: employee
        for employee in EmployeeProfile.objects.filter(
            access.employee_q(), nip__in=wanted, user__is_active=True
        ).select_related("user", "unit")
    }
    if not access.manages_people:
        found = {}
    return [found[nip] for nip in wanted if nip in found], [n for n in wanted if n not in found]


def trainers_for_course(*, course: Course, limit: int = 500) -> list:
    """The active users who may be named trainer of a session of ``course``: trainers of its
    provider's agency and trainers of every agency, by name."""
    users = (
        get_user_model()
        .objects.filter(
            Q(roles__role=Role.TRAINER, roles__agency__isnull=True)
            | Q(roles__role=Role.TRAINER, roles__agency_id=course.provider_id),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "id")
    )
    return list(users[:limit])
