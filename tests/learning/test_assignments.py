"""Assignments and approvals (Learn: "enrolment: self-enrolment, or assignment by a supervisor
or HR; optional supervisor approval"): a unit head assigns to the employees of their unit, HR
to those of their agency (or every agency), all or nothing and with the course's own rules;
a request awaiting approval is decided by the unit head (or HR), never by the learner, and a
refusal says why. The learner is told."""

import datetime

import pytest
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.models import AuditEvent
from satupintu.learning import services
from satupintu.learning.constants import EnrolmentSource, EnrolmentStatus
from satupintu.learning.models import Enrolment
from tests.learning.factories import (
    AgencyFactory,
    CourseFactory,
    UnitFactory,
    make_learner,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory()


def test_a_unit_head_assigns_to_their_unit(unit):
    head = make_staff(Role.UNIT_HEAD, unit=unit)
    course = CourseFactory()
    people = [make_learner(unit=unit) for _ in range(3)]
    due = timezone.localdate() + datetime.timedelta(days=30)

    enrolments = services.enrolment_assign(course=course, learners=people, actor=head, due_on=due)

    assert [e.learner for e in enrolments] == people
    for enrolment in enrolments:
        assert enrolment.status == EnrolmentStatus.ACTIVE
        assert enrolment.source == EnrolmentSource.SUPERVISOR
        assert enrolment.assigned_by == head and enrolment.due_on == due
        assert enrolment.learner.notifications.filter(kind="learning.enrolment_assigned").exists()
    assert AuditEvent.objects.filter(action="learning.enrolment_assigned").count() == 3


def test_hr_assigns_across_their_agency_and_government_wide_hr_everywhere(unit):
    hr = make_staff(Role.HR, agency=unit.agency)
    course = CourseFactory(requires_approval=True)
    learner = make_learner(agency=unit.agency)  # another unit of the same agency
    (enrolment,) = services.enrolment_assign(course=course, learners=[learner], actor=hr)
    # Assigned: no approval needed even though self-enrolment would need it.
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.source == EnrolmentSource.HR

    elsewhere = make_learner()
    with pytest.raises(DomainError) as refused:
        services.enrolment_assign(course=course, learners=[elsewhere], actor=hr)
    assert refused.value.code == "not_in_scope"
    everywhere = make_staff(Role.HR)
    assert services.enrolment_assign(course=course, learners=[elsewhere], actor=everywhere)


def test_all_or_nothing_with_who_and_why(unit):
    head = make_staff(Role.UNIT_HEAD, unit=unit)
    mine = make_learner(unit=unit)
    not_mine = make_learner(agency=unit.agency, first_name="Yohanes", last_name="Pattipeilohy")
    course = CourseFactory()
    with pytest.raises(DomainError) as refused:
        services.enrolment_assign(course=course, learners=[mine, not_mine], actor=head)
    assert "Yohanes Pattipeilohy" in refused.value.detail
    assert not Enrolment.objects.filter(course=course).exists()

    prerequisite = CourseFactory()
    needs = CourseFactory(requires=[prerequisite])
    with pytest.raises(DomainError) as unmet:
        services.enrolment_assign(course=needs, learners=[mine], actor=head)
    assert mine.get_full_name() in unmet.value.detail
    assert not Enrolment.objects.filter(course=needs).exists()


def test_assigning_keeps_an_enrolment_and_approves_a_request(unit):
    head = make_staff(Role.UNIT_HEAD, unit=unit)
    course = CourseFactory(requires_approval=True)
    learner = make_learner(unit=unit)
    requested = services.enrolment_create(learner=learner, course=course)
    assert requested.status == EnrolmentStatus.REQUESTED
    (assigned,) = services.enrolment_assign(course=course, learners=[learner], actor=head)
    assert assigned.pk == requested.pk and assigned.status == EnrolmentStatus.ACTIVE
    assert assigned.decided_by == head


def test_only_unit_heads_and_hr_assign(unit):
    learner = make_learner(unit=unit)
    for person in (make_learner(unit=unit), make_staff(Role.TRAINER, agency=unit.agency)):
        with pytest.raises(Forbidden):
            services.enrolment_assign(course=CourseFactory(), learners=[learner], actor=person)
    head = make_staff(Role.UNIT_HEAD, unit=unit)
    with pytest.raises(DomainError):
        services.enrolment_assign(course=CourseFactory(), learners=[], actor=head)
    with pytest.raises(DomainError) as past:
        services.enrolment_assign(
            course=CourseFactory(),
            learners=[learner],
            actor=head,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert past.value.errors[0]["path"] == "due_on"


def test_the_unit_head_approves_or_refuses_with_a_reason(unit):
    head = make_staff(Role.UNIT_HEAD, unit=unit)
    course = CourseFactory(requires_approval=True)
    asking, other = make_learner(unit=unit), make_learner(unit=unit)
    first = services.enrolment_create(learner=asking, course=course)
    second = services.enrolment_create(learner=other, course=course)

    approved = services.enrolment_decide(enrolment=first, approve=True, actor=head)
    assert approved.status == EnrolmentStatus.ACTIVE and approved.decided_by == head
    assert asking.notifications.filter(kind="learning.enrolment_decided").exists()

    with pytest.raises(DomainError) as no_reason:
        services.enrolment_decide(enrolment=second, approve=False, actor=head)
    assert no_reason.value.errors[0]["path"] == "reason"
    refused = services.enrolment_decide(
        enrolment=second, approve=False, actor=head, reason="Anggaran tahun ini habis"
    )
    assert refused.status == EnrolmentStatus.REJECTED
    notice = other.notifications.get(kind="learning.enrolment_decided")
    assert "Anggaran tahun ini habis" in notice.body

    with pytest.raises(Conflict):
        services.enrolment_decide(enrolment=first, approve=False, actor=head, reason="x")


def test_who_may_decide(unit):
    course = CourseFactory(requires_approval=True)
    learner = make_learner(unit=unit)
    request = services.enrolment_create(learner=learner, course=course)
    other_head = make_staff(Role.UNIT_HEAD, unit=UnitFactory(agency=unit.agency))
    other_hr = make_staff(Role.HR, agency=AgencyFactory())
    for person in (other_head, other_hr, make_learner(unit=unit)):
        with pytest.raises(NotFound):
            services.enrolment_decide(enrolment=request, approve=True, actor=person)
    # A unit head's own request goes to someone else.
    head = make_staff(Role.UNIT_HEAD, unit=unit)
    own = services.enrolment_create(learner=head, course=course)
    with pytest.raises(Forbidden):
        services.enrolment_decide(enrolment=own, approve=True, actor=head)
    hr = make_staff(Role.HR, agency=unit.agency)
    assert services.enrolment_decide(enrolment=own, approve=True, actor=hr).status == "active"
