"""Reads of class sessions and their bookings.

A learner sees the sessions of published courses and their own bookings; a trainer the
sessions they teach; HR the sessions of the courses their agency provides (all for HR of the
whole government). A session outside the caller's scope is "not found".
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound
from satupintu.learning.constants import BookingStatus
from satupintu.learning.models import ClassSession, Course, SessionBooking
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.selectors.keyset import (
    PAGE_SIZE,
    Page,
    after_q,
    aware_datetime,
    cursor_decode,
    paginate,
)

# Bookings that hold a seat or a place in the queue.
LIVE_BOOKING = ~Q(status=BookingStatus.CANCELLED)


def _with_counts(sessions: QuerySet[ClassSession]) -> QuerySet[ClassSession]:
    """Sessions with ``seats_taken`` and ``waiting`` counted in the same query."""
    return sessions.annotate(
        seats_taken=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
    )


def _sessions_page(
    sessions: QuerySet[ClassSession], *, past: bool, cursor: str | None, limit: int, now
) -> Page[ClassSession]:
    """Upcoming (and running) sessions soonest first, or past ones latest first."""
    if past:
        sessions = sessions.filter(ends_at__lt=now)
        order = ["-starts_at", "-id"]
    else:
        sessions = sessions.filter(ends_at__gte=now)
        order = ["starts_at", "id"]
    key = cursor_decode(cursor, aware_datetime, int)
    if key is not None:
        sessions = sessions.filter(after_q(["starts_at", "id"], key, descending=past))
    rows = list(
        _with_counts(sessions)
        .select_related("course", "office", "trainer")
        .order_by(*order)[: limit + 1]
    )
    return paginate(rows, limit, lambda session: (session.starts_at, session.pk))


def session_list_for_trainer(
    *,
    user,
    past: bool = False,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime.datetime | None = None,
) -> Page[ClassSession]:
    """The sessions ``user`` teaches: upcoming ones soonest first, or past ones latest
    first; with the seats taken and the number waiting."""
    return _sessions_page(
        ClassSession.objects.filter(trainer_id=user.pk),
        past=past,
        cursor=cursor,
        limit=limit,
        now=now or timezone.now(),
    )


def session_list_for_hr(
    *,
    user,
    past: bool = False,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime.datetime | None = None,
) -> Page[ClassSession]:
    """The sessions of the courses that ``user`` manages as HR."""
    access = learning_access(user)
    if not access.is_hr:
        return Page()
    return _sessions_page(
        ClassSession.objects.filter(access.course_q("course__")),
        past=past,
        cursor=cursor,
        limit=limit,
        now=now or timezone.now(),
    )


def session_get_for_staff(*, user, public_id) -> ClassSession:
    """A session that ``user`` teaches, or whose course they manage as HR."""
    access = learning_access(user)
    scope = Q(trainer_id=user.pk) if access.trainer else Q(pk__in=[])
    if access.is_hr:
        scope |= access.course_q("course__")
    session = (
        _with_counts(ClassSession.objects.filter(scope, public_id=public_id))
        .select_related("course__provider", "office", "trainer")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if session is None:
        raise NotFound(_("There is no such session among those you teach or manage."))
    return session


@dataclass
class Roster:
    """Who is in a session: the seats (in booking order), the waiting list (in the order
    of arrival), and how many cancelled."""

    confirmed: list[SessionBooking] = field(default_factory=list)
    waitlist: list[SessionBooking] = field(default_factory=list)
    cancelled: int = 0

    @property
    def attended(self) -> int:
        return sum(1 for booking in self.confirmed if booking.attended_at)


def session_roster(*, session: ClassSession) -> Roster:
    """The bookings of ``session`` with each learner, their unit and their enrolment (its
    progress), in two queries whatever their number."""
    bookings = (
        SessionBooking.objects.filter(session=session)
        .filter(LIVE_BOOKING)
        .select_related("learner__employee__unit", "learner__employee__agency", "enrolment")
        .order_by("created_at", "id")
    )
    roster = Roster()
    for booking in bookings:
        if booking.status == BookingStatus.CONFIRMED:
            roster.confirmed.append(booking)
        else:
            roster.waitlist.append(booking)
    roster.cancelled = SessionBooking.objects.filter(
        session=session, status=BookingStatus.CANCELLED
    ).count()
    return roster


def session_get_for_learner(*, public_id) -> ClassSession:
    """A session of a published course, as anyone signed in may see it on the course
    page."""
    session = (
        _with_counts(ClassSession.objects.filter(public_id=public_id, course__is_published=True))
        .select_related("course__provider", "office", "trainer")
        .first()
    )
    if session is None:
        raise NotFound(_("There is no such session. It may have been removed from the catalogue."))
    return session


def session_list_for_course(
    *, course: Course, now: datetime.datetime | None = None, limit: int = 50
) -> list[ClassSession]:
    """The sessions of ``course`` that have not started, soonest first, with the seats
    taken and the number waiting (for the course page)."""
    now = now or timezone.now()
    return list(
        _with_counts(
            ClassSession.objects.filter(course=course, starts_at__gt=now, cancelled_at__isnull=True)
        )
        .select_related("office", "trainer")
        .order_by("starts_at", "id")[:limit]
    )


def session_get_by_token(*, token: str) -> ClassSession:
    """The session whose check-in QR code holds ``token``."""
    token = (token or "").strip()[:64]
    session = (
        ClassSession.objects.filter(checkin_token=token).select_related("course", "office").first()
        if token
        else None
    )
    if session is None:
        raise NotFound(
            _(
                "This check-in code is not valid. Scan the QR code shown in the room again, or "
                "ask the trainer to mark you present on their list."
            ),
            code="unknown_check_in_code",
        )
    return session


def booking_for_learner(*, learner, session: ClassSession) -> SessionBooking | None:
    """The learner's seat or place on the waiting list in ``session``, if any."""
    if not getattr(learner, "is_authenticated", False):
        return None
    return (
        SessionBooking.objects.filter(session=session, learner_id=learner.pk)
        .filter(LIVE_BOOKING)
        .first()
    )


def booking_list_for_learner(
    *, learner, upcoming: bool = True, now: datetime.datetime | None = None, limit: int = 100
) -> list[SessionBooking]:
    """The learner's seats and waiting-list places: in sessions that have not ended (soonest
    first), or in past ones (latest first). Cancelled sessions stay in the list, marked."""
    now = now or timezone.now()
    bookings = SessionBooking.objects.filter(learner_id=learner.pk).filter(LIVE_BOOKING)
    if upcoming:
        bookings = bookings.filter(session__ends_at__gte=now).order_by("session__starts_at", "id")
    else:
        bookings = bookings.filter(session__ends_at__lt=now).order_by("-session__starts_at", "-id")
    return list(
        bookings.select_related("session__course", "session__office", "session__trainer")[:limit]
    )


def booking_calendar_for_learner(
    *, learner, now: datetime.datetime | None = None, days_back: int = 30, limit: int = 200
) -> list[SessionBooking]:
    """The bookings a learner's calendar file holds: one per session that ended less than
    ``days_back`` days ago or is still to come — a live booking where there is one, else the
    latest cancelled one (so that calendars remove the event), soonest session first."""
    now = now or timezone.now()
    bookings = (
        SessionBooking.objects.filter(
            learner_id=learner.pk, session__ends_at__gte=now - datetime.timedelta(days=days_back)
        )
        .select_related("session__course", "session__office")
        .order_by("session__starts_at", "session_id", "-created_at", "-id")[: limit * 2]
    )
    chosen: dict[int, SessionBooking] = {}
    for booking in bookings:
        kept = chosen.get(booking.session_id)
        if kept is None or (
            kept.status == BookingStatus.CANCELLED and booking.status != BookingStatus.CANCELLED
        ):
            chosen[booking.session_id] = booking
    return list(chosen.values())[:limit]


def booking_get_for_learner(*, learner, session_public_id) -> SessionBooking:
    """The learner's booking of the session with ``session_public_id``: the live one, else
    the latest cancelled one (a calendar file then says the event is cancelled)."""
    bookings = list(
        SessionBooking.objects.filter(
            learner_id=getattr(learner, "pk", None), session__public_id=session_public_id
        )
        .select_related("session__course", "session__office")
        .order_by("-created_at", "-id")[:20]
    )
    booking = next(
        (b for b in bookings if b.status != BookingStatus.CANCELLED),
        bookings[0] if bookings else None,
    )
    if booking is None:
        raise NotFound(_("You have no seat or waiting-list place in this session."))
    return booking
