"""Classroom sessions (Learn: "classroom sessions: dates, venue, trainer, capacity"): HR of the
provider schedule a session in the future, at an office for a classroom and at an online
link for a virtual classroom, with a trainer of the provider's agency (or of every agency)
and a fresh check-in code; a cancelled session cancels its bookings and tells the learners
why."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.models import AuditEvent
from satupintu.learning import services
from satupintu.learning.constants import BookingStatus, Modality
from satupintu.learning.models import SessionBooking
from tests.learning.factories import (
    AgencyFactory,
    ClassSessionFactory,
    CourseFactory,
    OfficeFactory,
    make_learner,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    agency = AgencyFactory()
    course = CourseFactory(provider=agency, modality=Modality.CLASSROOM, jp=Decimal(8))
    return {
        "agency": agency,
        "course": course,
        "hr": make_staff(Role.HR, agency=agency),
        "trainer": make_staff(Role.TRAINER, agency=agency),
        "office": OfficeFactory(),
        "start": timezone.now() + datetime.timedelta(days=10),
    }


def create(setting, **changes):
    fields = {
        "course": setting["course"],
        "starts_at": setting["start"],
        "ends_at": setting["start"] + datetime.timedelta(hours=4),
        "capacity": 25,
        "actor": setting["hr"],
        "trainer": setting["trainer"],
        "office": setting["office"],
        "room": "Ruang Sidang 1",
    }
    fields.update(changes)
    return services.session_create(**fields)


def test_hr_schedules_a_classroom_session_with_a_check_in_code(setting):
    session = create(setting)
    assert session.capacity == 25 and session.trainer == setting["trainer"]
    assert session.office == setting["office"] and session.room == "Ruang Sidang 1"
    assert len(session.checkin_token) >= 30
    other = create(
        setting,
        starts_at=setting["start"] + datetime.timedelta(days=1),
        ends_at=setting["start"] + datetime.timedelta(days=1, hours=2),
    )
    assert other.checkin_token != session.checkin_token
    assert AuditEvent.objects.filter(
        action="learning.session_created", object_id=str(session.public_id)
    ).exists()


def test_a_government_wide_trainer_may_teach_any_course(setting):
    anywhere = make_staff(Role.TRAINER)  # no agency on the role
    assert create(setting, trainer=anywhere).trainer == anywhere


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": "same as start"}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"office": None}, "office"),
        ({"jp": Decimal("0.2")}, "jp"),
        ({"online_url": "http://meet.example.id/kelas"}, "online_url"),
    ],
)
def test_a_session_is_refused_with_the_field_that_is_wrong(setting, changes, field):
    if changes.get("ends_at") == "same as start":
        changes["ends_at"] = setting["start"]
    if "starts_at" in changes:
        changes["ends_at"] = changes["starts_at"] + datetime.timedelta(hours=2)
    with pytest.raises(DomainError) as refused:
        create(setting, **changes)
    assert refused.value.errors[0]["path"] == field
    assert refused.value.status == 422


def test_the_trainer_must_hold_the_trainer_role_for_the_provider(setting):
    plain = make_learner(agency=setting["agency"])
    other_agency_trainer = make_staff(Role.TRAINER, agency=AgencyFactory())
    for person in (plain, other_agency_trainer):
        with pytest.raises(DomainError) as refused:
            create(setting, trainer=person)
        assert refused.value.code == "not_a_trainer"


def test_a_virtual_session_needs_its_link_and_no_office(setting):
    course = CourseFactory(provider=setting["agency"], modality=Modality.VIRTUAL)
    with pytest.raises(DomainError) as refused:
        create(setting, course=course, office=None)
    assert refused.value.errors[0]["path"] == "online_url"
    session = create(setting, course=course, office=None, online_url="https://zoom.example.id/j/1")
    assert session.online_url == "https://zoom.example.id/j/1"


def test_only_session_courses_have_sessions(setting):
    course = CourseFactory(provider=setting["agency"], modality=Modality.SELF_PACED)
    with pytest.raises(DomainError) as refused:
        create(setting, course=course)
    assert refused.value.code == "not_a_session_course"


def test_only_hr_of_the_provider_schedule(setting):
    for person in (
        make_learner(agency=setting["agency"]),
        setting["trainer"],
        make_staff(Role.HR, agency=AgencyFactory()),
        make_staff(Role.UNIT_HEAD, agency=setting["agency"]),
    ):
        person_setting = {**setting, "hr": person}
        with pytest.raises(Forbidden):
            create(person_setting)
    government_wide = make_staff(Role.HR)
    assert create({**setting, "hr": government_wide}).pk


def test_cancelling_a_session_cancels_its_bookings_and_tells_the_learners(setting):
    session = ClassSessionFactory(course=setting["course"], capacity=1)
    first, second = make_learner(), make_learner()
    services.booking_create(session=session, learner=first, actor=first)
    services.booking_create(session=session, learner=second, actor=second)

    with pytest.raises(DomainError) as refused:
        services.session_cancel(session=session, actor=setting["hr"], reason="  ")
    assert refused.value.errors[0]["path"] == "reason"

    services.session_cancel(session=session, actor=setting["hr"], reason="Widyaiswara sakit")
    session.refresh_from_db()
    assert session.cancelled_at is not None
    assert set(SessionBooking.objects.filter(session=session).values_list("status", flat=True)) == {
        BookingStatus.CANCELLED
    }
    # Nobody was promoted from the waiting list into a cancelled session.
    assert not SessionBooking.objects.filter(session=session, promoted_at__isnull=False).exists()
    for learner in (first, second):
        notice = learner.notifications.get(kind="learning.session_cancelled")
        assert "Widyaiswara sakit" in notice.body
    event = AuditEvent.objects.get(action="learning.session_cancelled")
    assert event.details["reason"] == "Widyaiswara sakit"
    # Again: nothing changes, nobody is told twice.
    services.session_cancel(session=session, actor=setting["hr"], reason="Lagi")
    assert first.notifications.filter(kind="learning.session_cancelled").count() == 1


def test_a_started_session_cannot_be_cancelled_and_others_cannot_cancel(setting):
    started = ClassSessionFactory(
        course=setting["course"],
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    with pytest.raises(Conflict):
        services.session_cancel(session=started, actor=setting["hr"], reason="Terlambat")
    later = ClassSessionFactory(course=setting["course"])
    with pytest.raises(Forbidden):
        services.session_cancel(session=later, actor=setting["trainer"], reason="Tidak bisa")
