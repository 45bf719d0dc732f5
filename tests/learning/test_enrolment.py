"""Enrolment: self-enrolment and assignment, the checks that refuse it (employee, published,
audience, prerequisites, already enrolled, capacity), approval, cancellation (with the
learner's bookings), completion (idempotent, programmes completing through their steps), and
the confirmation of coaching and experiential courses by HR or the unit head."""

import datetime

import pytest
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.models import AuditEvent
from satupintu.learning.constants import (
    BookingStatus,
    EnrolmentSource,
    EnrolmentStatus,
    Modality,
)
from satupintu.learning.models import Enrolment, SessionBooking
from satupintu.learning.services import (
    enrolment_cancel,
    enrolment_complete,
    enrolment_confirm_completion,
    enrolment_create,
)
from tests.learning.factories import (
    AgencyFactory,
    ClassSessionFactory,
    CourseFactory,
    EnrolmentFactory,
    ProgrammeStepFactory,
    SessionBookingFactory,
    UserFactory,
    make_learner,
    make_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_self_enrolment_starts_at_once_and_is_audited():
    learner = make_learner()
    course = CourseFactory()

    enrolment = enrolment_create(learner=learner, course=course)

    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.source == EnrolmentSource.SELF
    assert enrolment.assigned_by is None
    event = AuditEvent.objects.get(action="learning.enrolment_created")
    assert event.subject == learner
    assert event.object_id == str(enrolment.public_id)


def test_self_enrolment_in_a_course_needing_approval_waits():
    course = CourseFactory(requires_approval=True)

    enrolment = enrolment_create(learner=make_learner(), course=course)

    assert enrolment.status == EnrolmentStatus.REQUESTED


def test_an_assignment_by_hr_needs_no_approval_and_keeps_who_assigned():
    course = CourseFactory(requires_approval=True)
    hr = UserFactory()
    due = timezone.localdate() + datetime.timedelta(days=30)

    enrolment = enrolment_create(
        learner=make_learner(), course=course, actor=hr, source=EnrolmentSource.HR, due_on=due
    )

    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.assigned_by == hr
    assert enrolment.due_on == due


def test_only_employees_enrol():
    citizen = UserFactory()

    with pytest.raises(DomainError) as error:
        enrolment_create(learner=citizen, course=CourseFactory())

    assert error.value.code == "not_employee"
    assert not Enrolment.objects.exists()


def test_an_unpublished_course_refuses_enrolment():
    with pytest.raises(DomainError) as error:
        enrolment_create(learner=make_learner(), course=CourseFactory(is_published=False))
    assert error.value.code == "not_published"


def test_a_course_for_other_agencies_refuses_enrolment():
    course = CourseFactory(audience=[AgencyFactory()])
    insider = make_learner(agency=course.audience_agencies.get())

    with pytest.raises(DomainError) as error:
        enrolment_create(learner=make_learner(), course=course)

    assert error.value.code == "not_in_audience"
    assert enrolment_create(learner=insider, course=course).status == EnrolmentStatus.ACTIVE


def test_prerequisites_must_be_completed_first():
    basics = CourseFactory(title_id="Dasar-dasar Analisis Data")
    advanced = CourseFactory(requires=[basics])
    learner = make_learner()

    with pytest.raises(DomainError) as error:
        enrolment_create(learner=learner, course=advanced)
    assert error.value.code == "prerequisites"
    assert "Dasar-dasar Analisis Data" in error.value.detail

    enrolment_complete(enrolment=enrolment_create(learner=learner, course=basics))
    assert enrolment_create(learner=learner, course=advanced).status == EnrolmentStatus.ACTIVE


def test_a_second_open_enrolment_is_refused_but_a_completed_course_may_be_taken_again():
    learner = make_learner()
    course = CourseFactory()
    first = enrolment_create(learner=learner, course=course)

    with pytest.raises(Conflict) as error:
        enrolment_create(learner=learner, course=course)
    assert error.value.code == "already_enrolled"

    enrolment_complete(enrolment=first)
    again = enrolment_create(learner=learner, course=course)
    assert again.pk != first.pk and again.status == EnrolmentStatus.ACTIVE


def test_capacity_counts_open_enrolments():
    course = CourseFactory(capacity=2, requires_approval=True)
    enrolment_create(learner=make_learner(), course=course)  # requested: holds a place
    enrolment_create(learner=make_learner(), course=course)

    with pytest.raises(Conflict) as error:
        enrolment_create(learner=make_learner(), course=course)
    assert error.value.code == "full"

    # A cancelled enrolment frees its place.
    enrolment = Enrolment.objects.filter(course=course).first()
    enrolment_cancel(enrolment=enrolment, actor=enrolment.learner)
    assert enrolment_create(learner=make_learner(), course=course)


def test_every_obstacle_is_reported():
    basics = CourseFactory()
    course = CourseFactory(requires=[basics], audience=[AgencyFactory()])

    with pytest.raises(DomainError) as error:
        enrolment_create(learner=make_learner(), course=course)

    assert len(error.value.errors) == 2


def test_cancelling_cancels_the_bookings_of_sessions_to_come():
    course = CourseFactory(modality=Modality.CLASSROOM)
    learner = make_learner()
    enrolment = enrolment_create(learner=learner, course=course)
    coming = SessionBookingFactory(
        session=ClassSessionFactory(course=course), learner=learner, enrolment=enrolment
    )
    other_course = SessionBookingFactory(learner=learner)

    enrolment_cancel(enrolment=enrolment, actor=learner)

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED
    assert enrolment.cancelled_at is not None
    coming.refresh_from_db()
    other_course.refresh_from_db()
    assert coming.status == BookingStatus.CANCELLED
    assert other_course.status == BookingStatus.CONFIRMED
    assert AuditEvent.objects.filter(action="learning.enrolment_cancelled").count() == 1


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list():
    course = CourseFactory(modality=Modality.CLASSROOM)
    session = ClassSessionFactory(course=course, capacity=1)
    learner = make_learner()
    enrolment = enrolment_create(learner=learner, course=course)
    SessionBookingFactory(session=session, learner=learner, enrolment=enrolment)
    waiting = SessionBookingFactory(session=session, status=BookingStatus.WAITLISTED)

    enrolment_cancel(enrolment=enrolment, actor=learner)

    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_a_completed_enrolment_cannot_be_cancelled():
    enrolment = EnrolmentFactory()
    enrolment_complete(enrolment=enrolment)

    with pytest.raises(Conflict):
        enrolment_cancel(enrolment=enrolment, actor=enrolment.learner)


def test_completion_is_idempotent():
    enrolment = EnrolmentFactory()

    first = enrolment_complete(enrolment=enrolment)
    second = enrolment_complete(enrolment=enrolment)

    assert first.status == second.status == EnrolmentStatus.COMPLETED
    assert first.completed_at == second.completed_at
    assert first.progress == 100
    assert AuditEvent.objects.filter(action="learning.enrolment_completed").count() == 1


def test_a_request_awaiting_approval_cannot_be_completed():
    enrolment = EnrolmentFactory(status=EnrolmentStatus.REQUESTED)
    with pytest.raises(Conflict):
        enrolment_complete(enrolment=enrolment)


def test_completion_never_lies_in_the_future():
    enrolment = EnrolmentFactory()
    later = timezone.now() + datetime.timedelta(days=3)

    enrolment = enrolment_complete(enrolment=enrolment, completed_at=later)

    assert enrolment.completed_at <= timezone.now()


def _programme(*steps, optional=()):
    programme = CourseFactory(modality=Modality.BLENDED)
    for order, course in enumerate(steps, start=1):
        ProgrammeStepFactory(
            programme=programme, course=course, order=order, is_required=course not in optional
        )
    return programme


def test_a_programme_completes_when_its_required_steps_are_completed():
    first, second, extra = CourseFactory(), CourseFactory(), CourseFactory()
    programme = _programme(first, second, extra, optional=(extra,))
    learner = make_learner()
    enrolled = enrolment_create(learner=learner, course=programme)

    enrolment_complete(enrolment=enrolment_create(learner=learner, course=first))
    enrolled.refresh_from_db()
    assert enrolled.status == EnrolmentStatus.ACTIVE

    enrolment_complete(enrolment=enrolment_create(learner=learner, course=second))
    enrolled.refresh_from_db()
    assert enrolled.status == EnrolmentStatus.COMPLETED


def test_steps_completed_before_joining_the_programme_count():
    step = CourseFactory()
    programme = _programme(step)
    learner = make_learner()
    enrolment_complete(enrolment=enrolment_create(learner=learner, course=step))

    enrolment = enrolment_create(learner=learner, course=programme)

    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_a_programme_within_a_programme_completes_in_turn():
    step = CourseFactory()
    inner = _programme(step)
    outer = _programme(inner)
    learner = make_learner()
    outer_enrolment = enrolment_create(learner=learner, course=outer)
    inner_enrolment = enrolment_create(learner=learner, course=inner)

    enrolment_complete(enrolment=enrolment_create(learner=learner, course=step))

    inner_enrolment.refresh_from_db()
    outer_enrolment.refresh_from_db()
    assert inner_enrolment.status == outer_enrolment.status == EnrolmentStatus.COMPLETED


def test_another_learners_completion_does_not_complete_my_programme():
    step = CourseFactory()
    programme = _programme(step)
    mine = enrolment_create(learner=make_learner(), course=programme)

    enrolment_complete(enrolment=enrolment_create(learner=make_learner(), course=step))

    mine.refresh_from_db()
    assert mine.status == EnrolmentStatus.ACTIVE


@pytest.mark.parametrize("modality", [Modality.COACHING, Modality.EXPERIENTIAL])
def test_the_unit_head_confirms_coaching_and_experiential_courses(modality):
    learner = make_learner()
    head = UserFactory()
    make_role(head, Role.UNIT_HEAD, unit=learner.employee.unit)
    enrolment = EnrolmentFactory(learner=learner, course=CourseFactory(modality=modality))

    enrolment = enrolment_confirm_completion(enrolment=enrolment, actor=head)

    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_hr_of_the_learners_agency_confirms_but_not_hr_of_another():
    learner = make_learner()
    enrolment = EnrolmentFactory(learner=learner, course=CourseFactory(modality=Modality.COACHING))
    stranger, own = UserFactory(), UserFactory()
    make_role(stranger, Role.HR, agency=AgencyFactory())
    make_role(own, Role.HR, agency=learner.employee.agency)

    with pytest.raises(Forbidden):
        enrolment_confirm_completion(enrolment=enrolment, actor=stranger)
    with pytest.raises(Forbidden):
        enrolment_confirm_completion(enrolment=enrolment, actor=learner)

    assert enrolment_confirm_completion(enrolment=enrolment, actor=own).status == "completed"


def test_a_self_paced_course_is_not_completed_by_confirmation():
    learner = make_learner()
    head = UserFactory()
    make_role(head, Role.UNIT_HEAD, unit=learner.employee.unit)
    enrolment = EnrolmentFactory(learner=learner)

    with pytest.raises(DomainError) as error:
        enrolment_confirm_completion(enrolment=enrolment, actor=head)

    assert error.value.code == "not_confirmable"


def test_booking_enrols_through_the_same_checks():
    course = CourseFactory(modality=Modality.CLASSROOM, audience=[AgencyFactory()])
    from satupintu.learning.services import booking_create

    with pytest.raises(DomainError):
        booking_create(
            session=ClassSessionFactory(course=course), learner=make_learner(), actor=None
        )
    assert not SessionBooking.objects.exists()
