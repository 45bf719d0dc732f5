"""Reads of the course catalogue: search with filters, one course with everything a learner
needs to decide, and learning paths (the courses that build one competency, by level).

Only published courses are in the catalogue. It is paged by keyset on (Indonesian title,
code), so a deep page costs what the first one costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound
from satupintu.learning.constants import BookingStatus, Modality
from satupintu.learning.models import (
    ClassSession,
    Course,
    CourseCompetency,
    ProgrammeStep,
    SessionBooking,
)
from satupintu.learning.selectors.keyset import Page, after_q, cursor_decode, paginate
from satupintu.learning.selectors.learner import employee_of
from satupintu.organisations.models import Agency

if TYPE_CHECKING:
    from satupintu.accounts.models import User
    from satupintu.talent.models import Competency

PAGE_SIZE = 20
QUERY_MAX_LENGTH = 100
QUERY_MAX_WORDS = 8
UPCOMING_SESSIONS = 10


def _competencies_prefetch() -> Prefetch:
    return Prefetch(
        "competencies",
        queryset=CourseCompetency.objects.select_related("competency").order_by("competency__code"),
    )


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(is_published=True)


def _words(q: str) -> list[str]:
    return [word for word in (q or "")[:QUERY_MAX_LENGTH].split() if word][:QUERY_MAX_WORDS]


def course_search(
    *,
    user: User | None,
    q: str = "",
    modality: str | None = None,
    competency: str | None = None,
    provider: str | None = None,
    fits_me: bool = False,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> Page[Course]:
    """Published courses matching every word of ``q`` (in any case, in their title or
    summary, in either language), of one ``modality``, building one ``competency`` (its
    code), from one ``provider`` (an agency code), and with ``fits_me`` only those open to
    the user's agency. Ordered by title; ``cursor`` is the page's ``next_cursor`` before it.
    Two queries a page (the courses, and the competencies they build)."""
    courses = published_courses()
    for word in _words(q):
        courses = courses.filter(
            Q(title_id__icontains=word)
            | Q(title_en__icontains=word)
            | Q(summary_id__icontains=word)
            | Q(summary_en__icontains=word)
        )
    if modality in Modality.values:
        courses = courses.filter(modality=modality)
    if competency:
        courses = courses.filter(
            Exists(
                CourseCompetency.objects.filter(
                    course_id=OuterRef("pk"), competency__code=competency[:80]
                )
            )
        )
    if provider:
        courses = courses.filter(provider__code=provider[:64])
    if fits_me:
        employee = employee_of(user)
        restricted = Course.audience_agencies.through.objects.filter(course_id=OuterRef("pk"))
        fits = ~Exists(restricted)
        if employee is not None:
            fits |= Exists(restricted.filter(agency_id=employee.agency_id))
        courses = courses.filter(fits)
    key = cursor_decode(cursor, str, str)
    if key is not None:
        courses = courses.filter(after_q(["title_id", "code"], key))
    rows = list(
        courses.select_related("provider")
        .prefetch_related(_competencies_prefetch())
        .order_by("title_id", "code")[: size + 1]
    )
    if not rows:
        return Page()
    return paginate(rows, size, lambda course: (course.title_id, course.code))


@dataclass(frozen=True)
class Facets:
    """The choices of the catalogue's filters: only values some published course has."""

    modalities: list[tuple[str, str]]
    competencies: list[Competency]
    providers: list[Agency]


def catalogue_facets() -> Facets:
    from satupintu.talent.models import Competency

    published = published_courses()
    used_modalities = set(published.values_list("modality", flat=True).distinct())
    return Facets(
        modalities=[
            (value, label) for value, label in Modality.choices if value in used_modalities
        ],
        competencies=list(
            Competency.objects.filter(
                Exists(
                    CourseCompetency.objects.filter(
                        competency_id=OuterRef("pk"), course__is_published=True
                    )
                )
            ).order_by("group", "code")
        ),
        providers=list(
            Agency.objects.filter(Exists(published.filter(provider_id=OuterRef("pk")))).order_by(
                "name_id"
            )
        ),
    )


def course_get(*, code: str) -> Course:
    """The published course ``code`` with what its page shows prefetched."""
    course = (
        published_courses()
        .filter(code=(code or "")[:80])
        .select_related("provider")
        .prefetch_related(
            _competencies_prefetch(),
            "audience_agencies",
            Prefetch("prerequisites", queryset=Course.objects.order_by("title_id")),
            Prefetch(
                "steps",
                queryset=ProgrammeStep.objects.select_related("course").order_by("order"),
            ),
        )
        .first()
    )
    if course is None:
        raise NotFound(
            _("There is no course with this code in the catalogue. Search the catalogue."),
            code="course_not_found",
        )
    return course


@dataclass
class SessionSeat:
    """An upcoming session of a course, its free seats, and the viewer's booking if any."""

    session: ClassSession
    confirmed: int
    waiting: int
    booking: SessionBooking | None = None

    @property
    def seats_left(self) -> int:
        return max(self.session.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.seats_left == 0


def upcoming_sessions(*, course: Course, learner: User | None = None) -> list[SessionSeat]:
    """The course's sessions that have not started and are not cancelled, soonest first,
    with their seats taken and waiting, and the learner's booking of each. Two queries."""
    sessions = list(
        ClassSession.objects.filter(
            course=course, starts_at__gt=timezone.now(), cancelled_at__isnull=True
        )
        .select_related("office", "trainer")
        .annotate(
            confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
        )
        .order_by("starts_at", "id")[:UPCOMING_SESSIONS]
    )
    mine: dict[int, SessionBooking] = {}
    if sessions and learner is not None and getattr(learner, "is_authenticated", False):
        mine = {
            booking.session_id: booking
            for booking in SessionBooking.objects.filter(
                learner=learner,
                session_id__in=[session.pk for session in sessions],
            ).exclude(status=BookingStatus.CANCELLED)
        }
    return [
        SessionSeat(
            session=session,
            confirmed=session.confirmed,
            waiting=session.waiting,
            booking=mine.get(session.pk),
        )
        for session in sessions
    ]


@dataclass
class PathLevel:
    level: int
    courses: list[Course] = field(default_factory=list)
    description: str = ""  # what the level means, for pages to fill in


PATH_KEY = ["level", "course__title_id", "course__code"]
PATH_PAGE_SIZE = PAGE_SIZE


def _path_rows(competency: Competency | str) -> QuerySet[CourseCompetency]:
    code = competency if isinstance(competency, str) else competency.code
    return (
        CourseCompetency.objects.filter(competency__code=code[:80], course__is_published=True)
        .select_related("course__provider")
        .order_by(*PATH_KEY)
    )


def _path_levels(rows) -> list[PathLevel]:
    levels: list[PathLevel] = []
    for row in rows:
        if not levels or levels[-1].level != row.level:
            levels.append(PathLevel(level=row.level))
        row.course.builds_level = row.level
        levels[-1].courses.append(row.course)
    return levels


def learning_path(*, competency: Competency | str) -> list[PathLevel]:
    """The published courses that build ``competency`` (or its code), grouped by the level
    they build, lowest first; by title within a level. One query."""
    return _path_levels(_path_rows(competency))


@dataclass
class PathPage:
    levels: list[PathLevel]
    next_cursor: str = ""


def learning_path_page(
    *, competency: Competency | str, cursor: str | None = None, size: int = PATH_PAGE_SIZE
) -> PathPage:
    """``learning_path``, ``size`` courses at a time after the key in ``cursor`` (keyset on
    level, title and code): a competency that many courses build makes a long path. One
    query a page."""
    rows = _path_rows(competency)
    key = cursor_decode(cursor, int, str, str)
    if key is not None:
        rows = rows.filter(after_q(PATH_KEY, key))
    page = paginate(
        list(rows[: size + 1]), size, lambda row: (row.level, row.course.title_id, row.course.code)
    )
    return PathPage(levels=_path_levels(page.items), next_cursor=page.next_cursor)
