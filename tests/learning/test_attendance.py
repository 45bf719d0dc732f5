"""Attendance (Learn: "attendance by QR check-in or the trainer's list"): a learner with a seat
checks in with the code of the QR code shown in the room, from 30 minutes before the start
to the end; the trainer (or HR of the course) marks the learners on their list. Attending
completes the learner's enrolment and credits the JP — the session's own JP, else the
course's — once per course per year."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.core.errors import Conflict, DomainError, NotFound
from satupintu.learning import services
from satupintu.learning.constants import CheckInMethod, EnrolmentStatus, JpSource, Modality
from satupintu.learning.models import ClassSession, Enrolment, JpEntry
from satupintu.learning.selectors.learner import jp_progress
from tests.learning.factories import CourseFactory, make_learner, make_staff, session_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def course():
    return CourseFactory(modality=Modality.CLASSROOM, jp=Decimal(6), issues_certificate=False)


def running_session(course, **fields):
    """A session that started 10 minutes ago and runs for two hours more."""
    return session_at(
        timezone.now() - datetime.timedelta(minutes=10), hours=2, course=course, **fields
    )


def booked(session, learner=None):
    """Book ``learner`` (a new one by default) into ``session`` as if they had booked while
    it was still to come."""
    learner = learner or make_learner()
    starts, ends = session.starts_at, session.ends_at
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    ClassSession.objects.filter(pk=session.pk).update(
        starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=2)
    )
    booking = services.booking_create(session=session, learner=learner, actor=learner)
    ClassSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=ends)
    session.refresh_from_db()
    return learner, booking


def test_qr_check_in_completes_the_course_and_moves_the_ledger(course):
    session = running_session(course)
    learner, booking = booked(session)
    year = timezone.localdate().year
    assert jp_progress(learner=learner, year=year).total == 0

    checked = services.attendance_check_in(token=session.checkin_token, learner=learner)

    assert checked.pk == booking.pk and checked.attended_at is not None
    assert checked.check_in_method == CheckInMethod.QR
    enrolment = Enrolment.objects.get(pk=booking.enrolment_id)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    entry = JpEntry.objects.get(learner=learner)
    assert entry.jp == Decimal(6) and entry.source == JpSource.SESSION and entry.session == session
    assert jp_progress(learner=learner, year=year).total == Decimal(6)
    # Checking in again changes nothing and credits nothing more.
    services.attendance_check_in(token=session.checkin_token, learner=learner)
    assert JpEntry.objects.filter(learner=learner).count() == 1


def test_the_session_jp_overrides_the_course_jp(course):
    session = running_session(course, jp=Decimal("3.5"))
    learner, _booking = booked(session)
    services.attendance_check_in(token=session.checkin_token, learner=learner)
    assert JpEntry.objects.get(learner=learner).jp == Decimal("3.5")


def test_check_in_opens_30_minutes_before_and_closes_at_the_end(course):
    soon = session_at(timezone.now() + datetime.timedelta(minutes=45), course=course)
    learner, _ = booked(soon)
    with pytest.raises(Conflict) as early:
        services.attendance_check_in(token=soon.checkin_token, learner=learner)
    assert early.value.code == "too_early"

    nearly = session_at(
        timezone.now() + datetime.timedelta(minutes=20),
        course=CourseFactory(modality=Modality.CLASSROOM),
    )
    other, _ = booked(nearly)
    assert services.attendance_check_in(token=nearly.checkin_token, learner=other).attended_at

    over = session_at(
        timezone.now() - datetime.timedelta(hours=3),
        hours=2,
        course=CourseFactory(modality=Modality.CLASSROOM),
    )
    late, _ = booked(over)
    with pytest.raises(Conflict) as ended:
        services.attendance_check_in(token=over.checkin_token, learner=late)
    assert ended.value.code == "ended"


def test_check_in_needs_a_seat_and_a_valid_code(course):
    session = running_session(course, capacity=1)
    _holder, _ = booked(session)
    waiting, _queued = booked(session)
    with pytest.raises(Conflict) as on_list:
        services.attendance_check_in(token=session.checkin_token, learner=waiting)
    assert on_list.value.code == "waitlisted"
    with pytest.raises(Conflict) as no_seat:
        services.attendance_check_in(token=session.checkin_token, learner=make_learner())
    assert no_seat.value.code == "no_seat"
    with pytest.raises(NotFound):
        services.attendance_check_in(token="not-a-real-code", learner=waiting)
    assert not JpEntry.objects.exists()


def test_the_trainer_marks_the_list(course):
    trainer = make_staff(Role.TRAINER, agency=course.provider)
    session = running_session(course, trainer=trainer)
    present, _ = booked(session)
    absent, _ = booked(session)

    marked = services.attendance_mark(session=session, learners_present=[present], actor=trainer)

    assert [booking.learner for booking in marked] == [present]
    assert marked[0].check_in_method == CheckInMethod.LIST and marked[0].marked_by == trainer
    assert JpEntry.objects.filter(learner=present, jp=Decimal(6)).exists()
    assert not JpEntry.objects.filter(learner=absent).exists()
    # Marking again credits nothing more.
    services.attendance_mark(session=session, learners_present=[present], actor=trainer)
    assert JpEntry.objects.filter(learner=present).count() == 1


def test_the_list_is_the_trainers_or_hr_and_only_of_booked_learners(course):
    trainer = make_staff(Role.TRAINER, agency=course.provider)
    session = running_session(course, trainer=trainer)
    learner, _ = booked(session)
    other_trainer = make_staff(Role.TRAINER, agency=course.provider)
    with pytest.raises(NotFound):
        services.attendance_mark(session=session, learners_present=[learner], actor=other_trainer)
    with pytest.raises(DomainError) as stranger:
        services.attendance_mark(session=session, learners_present=[make_learner()], actor=trainer)
    assert stranger.value.code == "no_seat"
    hr = make_staff(Role.HR, agency=course.provider)
    assert services.attendance_mark(session=session, learners_present=[learner], actor=hr)


def test_no_list_before_the_session(course):
    trainer = make_staff(Role.TRAINER, agency=course.provider)
    session = session_at(
        timezone.now() + datetime.timedelta(days=2), course=course, trainer=trainer
    )
    learner = make_learner()
    services.booking_create(session=session, learner=learner, actor=learner)
    with pytest.raises(Conflict) as early:
        services.attendance_mark(session=session, learners_present=[learner], actor=trainer)
    assert early.value.code == "too_early"


def test_attending_a_course_already_completed_this_year_credits_once(course):
    learner = make_learner()
    first = running_session(course)
    booked(first, learner)
    services.attendance_check_in(token=first.checkin_token, learner=learner)
    # The learner comes to another session of the same course the same year.
    second = running_session(course)
    booked(second, learner)
    services.attendance_check_in(token=second.checkin_token, learner=learner)
    assert JpEntry.objects.filter(learner=learner).count() == 1
