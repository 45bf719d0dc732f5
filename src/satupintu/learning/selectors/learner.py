"""Reads of one learner's own learning: whether they may enrol, their enrolments and
lessons, their JP for a year, "My learning", and the courses suggested for their gaps.

Everything here is the learner's own: each selector takes the learner and reads only their
rows, and a public id of somebody else's row is "not found".
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound
from satupintu.learning.constants import (
    OPEN_ENROLMENT_STATUSES,
    YEARLY_JP_RIGHT,
    BookingStatus,
    ClaimStatus,
    EnrolmentStatus,
)
from satupintu.learning.models import (
    Certificate,
    Course,
    CourseCompetency,
    Enrolment,
    JpEntry,
    LearningClaim,
    Lesson,
    LessonProgress,
    QuizAttempt,
    SessionBooking,
)
from satupintu.learning.selectors.keyset import (
    PAGE_SIZE,
    after_q,
    aware_datetime,
    cursor_decode,
    paginate,
)

if TYPE_CHECKING:
    from satupintu.accounts.models import EmployeeProfile, User

RECENT_COMPLETIONS = 10
GAPS_SHOWN = 3
SUGGESTIONS_PER_GAP = 3


def employee_of(user: User) -> EmployeeProfile | None:
    """The user's employee profile, or None (citizens, anonymous visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from satupintu.accounts.models import EmployeeProfile

    try:
        return user.employee
    except EmployeeProfile.DoesNotExist:
        return None


def _open_statuses() -> list[str]:
    return [status.value for status in OPEN_ENROLMENT_STATUSES]


# May I enrol? -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Obstacle:
    """Why a learner cannot enrol in a course now, and what to do about it."""

    code: str
    message: str


def open_to(course: Course, employee: EmployeeProfile | None) -> bool:
    """Whether the course's audience includes the employee's agency (empty: everyone)."""
    audience = [agency.pk for agency in course.audience_agencies.all()]
    return not audience or (employee is not None and employee.agency_id in audience)


def completed_course_ids(*, learner: User) -> set[int]:
    return set(
        Enrolment.objects.filter(learner=learner, status=EnrolmentStatus.COMPLETED).values_list(
            "course_id", flat=True
        )
    )


def missing_prerequisites(*, learner: User, course: Course) -> list[Course]:
    """The course's prerequisites that the learner has not completed, by title."""
    prerequisites = list(course.prerequisites.all())
    if not prerequisites:
        return []
    done = completed_course_ids(learner=learner) if learner.is_authenticated else set()
    return sorted(
        (prerequisite for prerequisite in prerequisites if prerequisite.pk not in done),
        key=lambda prerequisite: prerequisite.title,
    )


def seats_left(course: Course) -> int | None:
    """Places left in a course with a capacity (None: no limit)."""
    if course.capacity is None:
        return None
    taken = Enrolment.objects.filter(course=course, status__in=_open_statuses()).count()
    return max(course.capacity - taken, 0)


def enrolment_obstacles(*, learner: User, course: Course) -> list[Obstacle]:
    """Everything that stops ``learner`` enrolling in ``course`` now; empty when they may."""
    employee = employee_of(learner)
    if employee is None:
        return [
            Obstacle(
                "not_employee",
                _(
                    "Only civil servants with an employee profile can enrol. If you work for "
                    "an agency, ask its HR to link your account to your employee record."
                ),
            )
        ]
    if not course.is_published:
        return [
            Obstacle(
                "not_published",
                _("This course is not open for enrolment. Choose another from the catalogue."),
            )
        ]
    obstacles = []
    if Enrolment.objects.filter(
        learner=learner, course=course, status__in=_open_statuses()
    ).exists():
        obstacles.append(
            Obstacle(
                "already_enrolled",
                _("You are already enrolled in this course. Open it from My learning."),
            )
        )
    if not open_to(course, employee):
        obstacles.append(
            Obstacle(
                "not_in_audience",
                _(
                    "This course is open only to employees of particular agencies, and yours "
                    "is not one of them. Look for a similar course in the catalogue, or ask "
                    "your HR."
                ),
            )
        )
    missing = missing_prerequisites(learner=learner, course=course)
    if missing:
        obstacles.append(
            Obstacle(
                "prerequisites",
                _("Complete these courses first: %(courses)s.")
                % {"courses": ", ".join(prerequisite.title for prerequisite in missing)},
            )
        )
    if course.capacity is not None and seats_left(course) == 0:
        obstacles.append(
            Obstacle(
                "full",
                _(
                    "This course is full. Try again later, when a place may have been freed, "
                    "or choose another course for the same competency."
                ),
            )
        )
    return obstacles


# Enrolments and lessons -----------------------------------------------------------------------


def enrolment_current(*, learner: User, course: Course) -> Enrolment | None:
    """The learner's enrolment in ``course`` that matters now: the open one, else the latest
    completed one, else the latest of any status."""
    if not getattr(learner, "is_authenticated", False):
        return None
    enrolments = list(
        Enrolment.objects.filter(learner=learner, course=course).order_by("-created_at", "-id")
    )
    for wanted in (_open_statuses(), [EnrolmentStatus.COMPLETED.value]):
        for enrolment in enrolments:
            if enrolment.status in wanted:
                return enrolment
    return enrolments[0] if enrolments else None


def enrolment_get_for_learner(*, learner: User, public_id: uuid.UUID | str) -> Enrolment:
    """One of the learner's own enrolments; anybody else's is "not found"."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError as error:
        raise NotFound(_("There is no such enrolment."), code="enrolment_not_found") from error
    enrolment = (
        Enrolment.objects.filter(learner=learner, public_id=public_id)
        .select_related("course__provider")
        .first()
    )
    if enrolment is None:
        raise NotFound(_("There is no such enrolment."), code="enrolment_not_found")
    return enrolment


@dataclass
class LessonView:
    """A lesson as its learner sees it: whether it is done, its neighbours, and for a quiz
    the questions, the attempts used and the latest attempt."""

    lesson: Lesson
    enrolment: Enrolment
    lessons: list[Lesson]
    done_ids: set[int]
    previous: Lesson | None = None
    next: Lesson | None = None
    questions: list = field(default_factory=list)
    attempts_used: int = 0
    latest_attempt: QuizAttempt | None = None
    best_score: int | None = None

    @property
    def done(self) -> bool:
        return self.lesson.pk in self.done_ids

    @property
    def position(self) -> int:
        """The lesson's number in the course, from 1."""
        return self.lessons.index(self.lesson) + 1

    @property
    def attempts_left(self) -> int | None:
        if self.lesson.max_attempts is None:
            return None
        return max(self.lesson.max_attempts - self.attempts_used, 0)


def course_lessons(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(course=course).order_by("order", "id"))


def done_lesson_ids(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )


def lesson_view(*, learner: User, course: Course, public_id: uuid.UUID | str) -> LessonView:
    """The lesson ``public_id`` of ``course`` for a learner enrolled in it (in progress or
    completed). Anyone else, or a lesson of another course, is "not found"."""
    enrolment = enrolment_current(learner=learner, course=course)
    if enrolment is None or enrolment.status not in (
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.COMPLETED,
    ):
        raise NotFound(
            _("Enrol in the course (and wait for approval if it needs one) to open its lessons."),
            code="not_enrolled",
        )
    lessons = course_lessons(course)
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError:
        wanted = None
    position = next((i for i, lesson in enumerate(lessons) if lesson.public_id == wanted), None)
    if position is None:
        raise NotFound(_("This lesson is not part of the course."), code="lesson_not_found")
    lesson = lessons[position]
    view = LessonView(
        lesson=lesson,
        enrolment=enrolment,
        lessons=lessons,
        done_ids=done_lesson_ids(enrolment),
        previous=lessons[position - 1] if position > 0 else None,
        next=lessons[position + 1] if position + 1 < len(lessons) else None,
    )
    if lesson.kind == "quiz":
        view.questions = list(lesson.questions.prefetch_related("choices").order_by("order"))
        attempts = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson)
        view.attempts_used = attempts.count()
        view.latest_attempt = attempts.order_by("-created_at", "-id").first()
        view.best_score = (
            LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson)
            .values_list("best_score", flat=True)
            .first()
        )
    return view


# JP ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JpProgress:
    """A learner's lesson hours of one year against the yearly right."""

    year: int
    total: Decimal
    right: Decimal = YEARLY_JP_RIGHT
    entries: list[JpEntry] = field(default_factory=list)

    @property
    def percent(self) -> int:
        if not self.right:
            return 100
        return min(100, int(self.total * 100 / self.right))

    @property
    def remaining(self) -> Decimal:
        return max(self.right - self.total, Decimal(0))

    @property
    def reached(self) -> bool:
        return self.total >= self.right

    @property
    def bar_value(self) -> Decimal:
        """The total for a progress bar that ends at the right."""
        return min(self.total, self.right)


def jp_progress(*, learner: User, year: int) -> JpProgress:
    """The learner's ledger for ``year``, newest first, with its total."""
    entries = list(
        JpEntry.objects.filter(learner=learner, year=year)
        .select_related("course", "session", "claim")
        .order_by("-occurred_on", "-id")
    )
    total = sum((entry.jp for entry in entries), Decimal(0))
    return JpProgress(year=year, total=total, entries=entries)


def jp_total(*, learner: User, year: int) -> Decimal:
    return JpEntry.objects.filter(learner=learner, year=year).aggregate(total=Sum("jp"))[
        "total"
    ] or Decimal(0)


# Suggestions for gaps ------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A course suggested to close one gap, and why."""

    course: Course
    gap: object  # talent.selectors.Gap
    level: int  # the level the course builds
    prerequisites_met: bool

    @property
    def reason(self) -> str:
        return _("Closes your gap in %(competency)s: %(actual)s → %(required)s") % {
            "competency": self.gap.competency.name,
            "actual": self.gap.actual or 0,
            "required": self.gap.required,
        }


@dataclass
class GapSuggestions:
    gap: object  # talent.selectors.Gap
    suggestions: list[Suggestion] = field(default_factory=list)


def gap_suggestions(
    *, learner: User, gaps: list | None = None, per_gap: int = SUGGESTIONS_PER_GAP
) -> list[GapSuggestions]:
    """For each of the learner's open gaps (largest first), the published courses open to
    them that build that competency to at least the required level, leaving out courses
    they have completed or are enrolled in: prerequisites met first, then the smallest
    level above the requirement, then by title. Four queries, whatever the number of gaps."""
    employee = employee_of(learner)
    if employee is None:
        return []
    if gaps is None:
        from satupintu.talent.selectors import competency_gaps

        gaps = competency_gaps(employee=employee)
    gaps = [gap for gap in gaps if gap.gap > 0]
    if not gaps:
        return []
    taken = set(
        Enrolment.objects.filter(
            learner=learner,
            status__in=[*_open_statuses(), EnrolmentStatus.COMPLETED.value],
        ).values_list("course_id", flat=True)
    )
    completed = set(
        Enrolment.objects.filter(learner=learner, status=EnrolmentStatus.COMPLETED).values_list(
            "course_id", flat=True
        )
    )
    rows = list(
        CourseCompetency.objects.filter(
            competency_id__in=[gap.competency.pk for gap in gaps],
            course__is_published=True,
        )
        .filter(
            Q(course__audience_agencies__isnull=True)
            | Q(course__audience_agencies=employee.agency_id)
        )
        .exclude(course_id__in=taken)
        .select_related("course__provider")
        .prefetch_related(Prefetch("course__prerequisites", queryset=Course.objects.only("id")))
        .distinct()
    )
    by_competency: dict[int, list[CourseCompetency]] = {}
    for row in rows:
        by_competency.setdefault(row.competency_id, []).append(row)
    answer = []
    for gap in gaps:
        found = []
        for row in by_competency.get(gap.competency.pk, []):
            if row.level < gap.required:
                continue
            prerequisites = {course.pk for course in row.course.prerequisites.all()}
            found.append(
                Suggestion(
                    course=row.course,
                    gap=gap,
                    level=row.level,
                    prerequisites_met=prerequisites <= completed,
                )
            )
        found.sort(
            key=lambda item: (
                not item.prerequisites_met,
                item.level - (gap.actual or 0),
                item.course.title,
                item.course.pk,
            )
        )
        answer.append(GapSuggestions(gap=gap, suggestions=found[:per_gap]))
    return answer


def course_suggestions(*, learner: User, limit: int = 5) -> list[Suggestion]:
    """Up to ``limit`` courses for the learner's largest gaps, each course once: the best
    for the largest gap first (see ``gap_suggestions``)."""
    chosen: list[Suggestion] = []
    seen: set[int] = set()
    groups = gap_suggestions(learner=learner, per_gap=limit)
    # Round by round: the best course of each gap before the second-best of any.
    for position in range(limit):
        for group in groups:
            if position < len(group.suggestions):
                suggestion = group.suggestions[position]
                if suggestion.course.pk not in seen:
                    seen.add(suggestion.course.pk)
                    chosen.append(suggestion)
                    if len(chosen) >= limit:
                        return chosen
    return chosen


# My learning ----------------------------------------------------------------------------------


MY_LEARNING_PAGE_SIZE = PAGE_SIZE


@dataclass
class MyLearning:
    """Everything on a learner's "My learning" page."""

    employee: EmployeeProfile | None
    current: list[Enrolment]
    requested: list[Enrolment]
    bookings: list[SessionBooking]
    completed: list[Enrolment]
    certificates: list[Certificate]
    jp: JpProgress
    gaps: list[GapSuggestions]
    claims: list[LearningClaim]
    # The cursor of the next page of current and requested enrolments ("" on the last).
    next_cursor: str = ""


def my_learning(
    *, learner: User, year: int | None = None, cursor: str | None = None, size: int | None = None
) -> MyLearning:
    """The learner's current and requested enrolments, upcoming sessions booked or waited
    for, recent completions and certificates, JP of ``year`` (this year by default), their
    largest gaps with suggested courses, and their claims of the year.

    With ``size``, the current and requested enrolments come ``size`` at a time, newest
    first, after the key in ``cursor`` (keyset on (created_at, id))."""
    year = year or timezone.localdate().year
    employee = employee_of(learner)
    enrolments = Enrolment.objects.filter(learner=learner, status__in=_open_statuses())
    key = cursor_decode(cursor, aware_datetime, int)
    if key is not None:
        enrolments = enrolments.filter(after_q(["created_at", "id"], key, descending=True))
    enrolments = enrolments.select_related("course__provider").order_by("-created_at", "-id")
    next_cursor = ""
    if size is None:
        open_enrolments = list(enrolments)
    else:
        page = paginate(list(enrolments[: size + 1]), size, lambda row: (row.created_at, row.pk))
        open_enrolments, next_cursor = page.items, page.next_cursor
    bookings = list(
        SessionBooking.objects.filter(
            learner=learner,
            status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED],
            session__ends_at__gte=timezone.now(),
            session__cancelled_at__isnull=True,
        )
        .select_related("session__course", "session__office")
        .order_by("session__starts_at", "session__id")
    )
    completed = list(
        Enrolment.objects.filter(learner=learner, status=EnrolmentStatus.COMPLETED)
        .select_related("course__provider", "certificate")
        .order_by("-completed_at", "-id")[:RECENT_COMPLETIONS]
    )
    certificates = list(
        Certificate.objects.filter(learner=learner)
        .select_related("course")
        .order_by("-issued_at", "-id")[:RECENT_COMPLETIONS]
    )
    gaps = []
    if employee is not None:
        gaps = gap_suggestions(learner=learner)[:GAPS_SHOWN]
    claims = list(
        LearningClaim.objects.filter(learner=learner)
        .filter(Q(completed_on__year=year) | Q(status=ClaimStatus.PENDING))
        .order_by("-created_at", "-id")
    )
    return MyLearning(
        employee=employee,
        current=[e for e in open_enrolments if e.status == EnrolmentStatus.ACTIVE],
        requested=[e for e in open_enrolments if e.status == EnrolmentStatus.REQUESTED],
        bookings=bookings,
        completed=completed,
        certificates=certificates,
        jp=jp_progress(learner=learner, year=year),
        gaps=gaps,
        claims=claims,
        next_cursor=next_cursor,
    )


def years_with_jp(*, learner: User) -> list[int]:
    """The years in which the learner has ledger entries, newest first, and this year."""
    years = set(JpEntry.objects.filter(learner=learner).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def today() -> datetime.date:
    return timezone.localdate()
