"""Seats and the waiting list (Learn: "capacity, waitlist with automatic promotion"): a booking
takes a free seat or joins the waiting list in the order of arrival; it needs an enrolment in
progress (made on the way when the course needs no approval); one booking per session and
one future booking per course; cancelling a seat gives it at once to the first on the list,
who is told; nothing is cancelled once the session has started."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from satupintu.accounts.constants import Role
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.learning import services
from satupintu.learning.constants import BookingStatus, EnrolmentSource, EnrolmentStatus, Modality
from satupintu.learning.models import Enrolment, SessionBooking
from tests.learning.factories import (
    AgencyFactory,
    ClassSessionFactory,
    CourseFactory,
    EnrolmentFactory,
    UserFactory,
    make_learner,
    make_staff,
    session_at,
)

pytestmark = pytest.mark.django_db


def book(session, learner, actor=None):
    return services.booking_create(session=session, learner=learner, actor=actor or learner)


@pytest.fixture
def course():
    return CourseFactory(modality=Modality.CLASSROOM, jp=Decimal(6))


def test_seats_then_the_waiting_list_in_order_of_arrival(course):
    session = ClassSessionFactory(course=course, capacity=2)
    people = [make_learner() for _ in range(4)]
    bookings = [book(session, person) for person in people]
    assert [b.status for b in bookings] == [
        BookingStatus.CONFIRMED,
        BookingStatus.CONFIRMED,
        BookingStatus.WAITLISTED,
        BookingStatus.WAITLISTED,
    ]
    # Each booking enrolled its learner in the course, by themselves.
    for person, booking in zip(people, bookings, strict=True):
        enrolment = Enrolment.objects.get(learner=person, course=course)
        assert enrolment.status == EnrolmentStatus.ACTIVE
        assert enrolment.source == EnrolmentSource.SELF
        assert booking.enrolment == enrolment


def test_cancelling_a_seat_promotes_the_first_waiting_and_tells_them(course):
    session = ClassSessionFactory(course=course, capacity=1)
    holder, first, second = make_learner(), make_learner(), make_learner()
    seat = book(session, holder)
    waiting_first = book(session, first)
    waiting_second = book(session, second)

    services.booking_cancel(booking=seat, actor=holder)

    seat.refresh_from_db()
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert seat.status == BookingStatus.CANCELLED and seat.cancelled_at is not None
    assert waiting_first.status == BookingStatus.CONFIRMED
    assert waiting_first.promoted_at is not None
    assert waiting_second.status == BookingStatus.WAITLISTED
    notice = first.notifications.get(kind="learning.booking_promoted")
    assert course.title_id in notice.title
    assert not second.notifications.filter(kind="learning.booking_promoted").exists()
    # Cancelling a waiting-list place frees no seat: nobody moves.
    services.booking_cancel(booking=waiting_second, actor=second)
    assert (
        SessionBooking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count() == 1
    )


def test_the_waiting_order_is_arrival_even_when_rows_are_out_of_order(course):
    session = ClassSessionFactory(course=course, capacity=1)
    holder, late, early = make_learner(), make_learner(), make_learner()
    seat = book(session, holder)
    late_booking = book(session, late)
    early_booking = book(session, early)
    # ``early`` arrived first (created_at), although their row was written second.
    SessionBooking.objects.filter(pk=early_booking.pk).update(
        created_at=late_booking.created_at - datetime.timedelta(minutes=1)
    )
    services.booking_cancel(booking=seat, actor=holder)
    early_booking.refresh_from_db()
    late_booking.refresh_from_db()
    assert early_booking.status == BookingStatus.CONFIRMED
    assert late_booking.status == BookingStatus.WAITLISTED


def test_booking_again_answers_the_same_booking(course):
    session = ClassSessionFactory(course=course)
    learner = make_learner()
    assert book(session, learner).pk == book(session, learner).pk
    assert SessionBooking.objects.filter(session=session, learner=learner).count() == 1


def test_one_future_booking_per_course(course):
    learner = make_learner()
    first = ClassSessionFactory(course=course)
    second = session_at(first.starts_at + datetime.timedelta(days=7), course=course)
    book(first, learner)
    with pytest.raises(Conflict) as refused:
        book(second, learner)
    assert refused.value.code == "already_booked"
    # Once the first is cancelled, the other date can be booked.
    services.booking_cancel(booking=SessionBooking.objects.get(session=first), actor=learner)
    assert book(second, learner).status == BookingStatus.CONFIRMED


def test_a_course_that_needs_approval_is_booked_once_approved():
    course = CourseFactory(modality=Modality.CLASSROOM, requires_approval=True)
    session = ClassSessionFactory(course=course)
    learner = make_learner()
    with pytest.raises(Conflict) as refused, translation.override("en"):
        book(session, learner)
    assert refused.value.code == "approval_required"
    assert "approval" in refused.value.detail
    assert not Enrolment.objects.filter(learner=learner).exists()

    enrolment = services.enrolment_create(learner=learner, course=course)
    assert enrolment.status == EnrolmentStatus.REQUESTED
    with pytest.raises(Conflict) as waiting:
        book(session, learner)
    assert waiting.value.code == "awaiting_approval"

    head = make_staff(Role.UNIT_HEAD, unit=learner.employee.unit)
    services.enrolment_decide(enrolment=enrolment, approve=True, actor=head)
    booking = book(session, learner)
    assert booking.status == BookingStatus.CONFIRMED and booking.enrolment == enrolment


def test_an_existing_enrolment_is_used(course):
    learner = make_learner()
    enrolment = EnrolmentFactory(learner=learner, course=course)
    booking = book(ClassSessionFactory(course=course), learner)
    assert booking.enrolment == enrolment
    assert Enrolment.objects.filter(learner=learner).count() == 1


def test_only_employees_book_and_only_for_themselves_or_those_they_manage(course):
    session = ClassSessionFactory(course=course)
    citizen = UserFactory()
    with pytest.raises(Forbidden):
        book(session, citizen)
    learner, other = make_learner(), make_learner()
    with pytest.raises(Forbidden):
        book(session, learner, actor=other)
    hr = make_staff(Role.HR, agency=learner.employee.agency)
    booking = book(session, learner, actor=hr)
    assert booking.enrolment.source == EnrolmentSource.HR
    with pytest.raises(NotFound):
        services.booking_cancel(booking=booking, actor=other)


def test_no_booking_of_a_started_or_cancelled_session_and_no_cancelling_once_started(course):
    now = timezone.now()
    started = session_at(now - datetime.timedelta(minutes=10), course=course)
    with pytest.raises(Conflict) as refused:
        book(started, make_learner())
    assert refused.value.code == "started"

    learner = make_learner()
    upcoming = session_at(now + datetime.timedelta(hours=1), course=course)
    booking = book(upcoming, learner)
    upcoming.starts_at = now - datetime.timedelta(minutes=1)
    upcoming.save()
    with pytest.raises(Conflict) as too_late:
        services.booking_cancel(booking=booking, actor=learner)
    assert too_late.value.code == "started"

    hr = make_staff(Role.HR, agency=course.provider)
    cancelled = session_at(now + datetime.timedelta(days=3), course=course)
    services.session_cancel(session=cancelled, actor=hr, reason="Ruangan dipakai")
    with pytest.raises(Conflict):
        book(cancelled, make_learner())


def test_enrolment_cancel_gives_up_the_seat_to_the_waiting_list(course):
    session = ClassSessionFactory(course=course, capacity=1)
    holder, waiting = make_learner(), make_learner()
    seat = book(session, holder)
    queued = book(session, waiting)
    services.enrolment_cancel(enrolment=seat.enrolment, actor=holder)
    seat.refresh_from_db()
    queued.refresh_from_db()
    assert seat.status == BookingStatus.CANCELLED
    assert queued.status == BookingStatus.CONFIRMED


def test_the_seat_count_runs_under_a_lock_on_the_session(course):
    session = ClassSessionFactory(course=course)
    with CaptureQueriesContext(connection) as queries:
        book(session, make_learner())
    locks = [
        q["sql"]
        for q in queries
        if "FOR UPDATE" in q["sql"] and "learning_classsession" in q["sql"]
    ]
    if connection.features.has_select_for_update:
        assert locks, "the session's row is locked before its seats are counted"
    else:  # SQLite: every write transaction holds the database's write lock.
        assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"


def test_audience_rules_of_the_course_still_apply():
    other_agency = AgencyFactory()
    course = CourseFactory(modality=Modality.CLASSROOM, audience=[other_agency])
    session = ClassSessionFactory(course=course)
    with pytest.raises(DomainError) as refused:
        book(session, make_learner())
    assert refused.value.detail
    assert not SessionBooking.objects.filter(session=session).exists()
