"""The demo of Learn (issue: Learn — demo): a realistic catalogue of at least 40 courses of
every modality, sessions in the coming weeks, employees with varied histories, and the
"done when" journey — an employee finds a course for their largest gap, enrols, completes a
module and its quiz, attends a session, receives a verifiable certificate and sees their JP
move, and HR sees the unit's compliance. Loading the demo twice changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.accounts.models import EmployeeProfile, RoleAssignment
from satupintu.core.identifiers import validate_nip
from satupintu.core.models import AuditEvent
from satupintu.demo.people import DEMO_PASSWORD, demo_people_load
from satupintu.learning import services
from satupintu.learning.catalogue_file import courses_validate
from satupintu.learning.constants import (
    SESSION_MODALITIES,
    BookingStatus,
    ClaimStatus,
    EnrolmentStatus,
    LessonKind,
    Modality,
)
from satupintu.learning.demo import courses_dir, demo_learning_load
from satupintu.learning.demo.plan import HR_PERSON, LEARNERS
from satupintu.learning.models import (
    Certificate,
    ClassSession,
    Course,
    Enrolment,
    JpEntry,
    LearningClaim,
    Lesson,
    LessonProgress,
    ProgrammeStep,
    Question,
    QuizAttempt,
    SessionBooking,
)
from satupintu.learning.selectors.certificates import certificate_verify
from satupintu.learning.selectors.compliance import compliance_by_unit
from satupintu.learning.selectors.learner import course_suggestions, jp_progress
from satupintu.talent.models import CompetencyGroup
from satupintu.talent.selectors import competency_gaps

pytestmark = pytest.mark.django_db

FEMALE_NAMES = {"Sri", "Rina", "Fitri", "Maya", "Nurul", "Lestari", "Ratih", "Retno", "Endah"}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    logins = demo_people_load()
    logins += demo_learning_load()
    return logins


def user(username):
    return get_user_model().objects.get(username=username)


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Course,
            Lesson,
            Question,
            ProgrammeStep,
            ClassSession,
            SessionBooking,
            Enrolment,
            LessonProgress,
            QuizAttempt,
            JpEntry,
            Certificate,
            LearningClaim,
            EmployeeProfile,
            RoleAssignment,
            AuditEvent,
        )
    }


def test_loading_the_demo_twice_changes_nothing(demo):
    before = counts()
    statuses = list(SessionBooking.objects.order_by("id").values_list("id", "status"))

    again = demo_learning_load()

    assert counts() == before
    assert list(SessionBooking.objects.order_by("id").values_list("id", "status")) == statuses
    assert again == [("human resources, whole government — BPSDM Jatim", "sdm.bpsdm")]


def test_the_catalogue_is_realistic_and_covers_every_modality(demo):
    files = courses_validate(directory_or_file=courses_dir())
    assert files.problems == []
    assert files.files >= 6  # one file per theme

    courses = Course.objects.filter(is_published=True)
    assert courses.count() >= 40
    assert set(courses.values_list("modality", flat=True)) == set(Modality.values)
    assert courses.filter(modality=Modality.BLENDED).count() >= 3
    assert not courses.filter(title_en="").exists() and not courses.filter(summary_en="").exists()
    assert courses.exclude(provider__code="bpsdm-jatim").exists()
    assert courses.filter(provider__code="bpsdm-jatim").count() > courses.count() / 2
    assert Course.objects.filter(prerequisites__isnull=False).distinct().count() >= 10
    for course in courses.exclude(modality=Modality.BLENDED):
        assert Decimal(2) <= course.jp <= Decimal(40), course.code
        assert course.competencies.exists(), course.code
    for programme in courses.filter(modality=Modality.BLENDED):
        required = programme.steps.filter(is_required=True).aggregate(jp=Sum("course__jp"))["jp"]
        assert programme.jp == required > 0
        assert programme.steps.values("course__modality").distinct().count() >= 2

    self_paced = courses.filter(modality=Modality.SELF_PACED)
    assert self_paced.count() >= 20
    for course in self_paced:
        quiz = course.lessons.get(kind=LessonKind.QUIZ)
        assert course.lessons.filter(kind=LessonKind.TEXT).exists()
        questions = quiz.questions.annotate(right=Count("choices", filter=_correct()))
        assert 3 <= questions.count() <= 5, course.code
        for question in questions:
            assert question.right == 1 and question.explanation_id and question.explanation_en
            assert question.competency_id is not None
    groups = set(courses.values_list("competencies__competency__group", flat=True).distinct())
    assert groups == set(CompetencyGroup.values)  # managerial, socio-cultural, technical


def _correct():
    from django.db.models import Q

    return Q(choices__is_correct=True)


def test_the_new_logins_hold_their_roles_and_the_employees_are_real(demo, client):
    usernames = {username for _label, username in demo}
    assert {"pelatih", "sdm.bpsdm", "sdm.dukcapil", "kabid.dukcapil"} <= usernames

    def roles(username):
        return set(
            RoleAssignment.objects.filter(user__username=username).values_list(
                "role", "agency__code", "unit__code"
            )
        )

    assert (Role.TRAINER, "bpsdm-jatim", "widyaiswara") in roles("pelatih")
    assert (Role.HR, None, None) in roles("sdm.bpsdm")
    assert (Role.HR, "dukcapil-surabaya", None) in roles("sdm.dukcapil")
    assert (Role.UNIT_HEAD, "dukcapil-surabaya", "pencatatan-sipil") in roles("kabid.dukcapil")
    for username in ("pelatih", "sdm.bpsdm", "sdm.dukcapil", "kabid.dukcapil", "sri.wulandari"):
        assert client.login(username=username, password=DEMO_PASSWORD), username

    # About fifteen more employees across the demo agencies, with valid NIPs.
    people = [HR_PERSON, *LEARNERS]
    assert len(LEARNERS) >= 15
    employees = EmployeeProfile.objects.filter(
        user__username__in=[person.username for person in people]
    ).select_related("user", "agency")
    assert employees.count() == len(people)
    assert len({employee.agency.code for employee in employees}) >= 6
    added = [person.username for person in people]
    added += ["pelatih", "sdm.dukcapil", "kabid.dukcapil"]
    for employee in EmployeeProfile.objects.filter(user__username__in=added).select_related("user"):
        sex = "F" if employee.user.first_name in FEMALE_NAMES else "M"
        result = validate_nip(employee.nip, sex=sex)
        assert result.errors == [] and result.warnings == [], (employee.nip, result)


def test_histories_vary_this_year(demo):
    year = timezone.localdate().year
    totals = {
        row["learner__username"]: row["jp"]
        for row in JpEntry.objects.filter(year=year)
        .values("learner__username")
        .annotate(jp=Sum("jp"))
    }
    learners = EmployeeProfile.objects.count()
    reached = [name for name, jp in totals.items() if jp >= 20]
    assert len(reached) >= 4
    assert learners - len(reached) > learners / 2  # most are behind
    assert len(set(JpEntry.objects.values_list("source", flat=True))) >= 3
    assert Certificate.objects.count() >= 10
    assert Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, progress__gt=0).exists()
    assert Enrolment.objects.filter(
        status=EnrolmentStatus.REQUESTED,
        learner__employee__unit__code="pencatatan-sipil",
        learner__employee__agency__code="dukcapil-surabaya",
    ).exists()
    assert Enrolment.objects.filter(source="hr").exists()
    assert Enrolment.objects.filter(source="supervisor").exists()
    assert LearningClaim.objects.filter(status=ClaimStatus.PENDING).exists()
    assert LearningClaim.objects.filter(status=ClaimStatus.APPROVED).exists()


def test_sessions_in_the_coming_weeks_past_ones_with_attendance_and_a_waiting_list(demo):
    now = timezone.now()
    upcoming = ClassSession.objects.filter(starts_at__gt=now)
    weeks = upcoming.filter(
        starts_at__gte=now + datetime.timedelta(days=20),
        starts_at__lte=now + datetime.timedelta(days=45),
    )
    assert weeks.count() >= 10
    assert set(weeks.values_list("course__modality", flat=True)) == SESSION_MODALITIES
    assert weeks.filter(trainer__username="pelatih").count() >= 10
    assert weeks.filter(office__code="kampus-bpsdm-jatim").exclude(room="").exists()
    assert weeks.exclude(online_url="").filter(online_url__startswith="https://").exists()
    past = ClassSession.objects.filter(ends_at__lt=now)
    assert SessionBooking.objects.filter(session__in=past, attended_at__isnull=False).count() >= 5
    assert SessionBooking.objects.filter(session__in=past, attended_at__isnull=True).exists()

    full = [
        session
        for session in upcoming.annotate(
            seats=Count("bookings", filter=_status(BookingStatus.CONFIRMED)),
            waiting=Count("bookings", filter=_status(BookingStatus.WAITLISTED)),
        )
        if session.waiting
    ]
    assert len(full) == 1
    assert full[0].seats == full[0].capacity and full[0].waiting == 2

    # A seat freed in the full session goes to the first on its waiting list.
    session = full[0]
    first = session.bookings.filter(status=BookingStatus.WAITLISTED).order_by("created_at")[0]
    seat = session.bookings.filter(status=BookingStatus.CONFIRMED).first()
    services.booking_cancel(booking=seat, actor=seat.learner)
    first.refresh_from_db()
    assert first.status == BookingStatus.CONFIRMED


def _status(status):
    from django.db.models import Q

    return Q(bookings__status=status)


def test_the_journey_of_petugas_dukcapil(demo):
    """Given the demo, when petugas.dukcapil follows the suggestion for the largest gap,
    works through its lessons and quiz and attends a class that builds it, then JP move,
    the certificates verify and HR sees the unit's compliance."""
    learner = user("petugas.dukcapil")
    year = timezone.localdate().year
    before = jp_progress(learner=learner, year=year).total
    assert before < 20

    # The largest gap, and a self-paced course with a quiz that builds it.
    gap = competency_gaps(employee=learner.employee)[0]
    suggestion = next(
        s for s in course_suggestions(learner=learner) if s.gap.competency == gap.competency
    )
    course = suggestion.course
    assert course.modality == Modality.SELF_PACED
    assert course.lessons.filter(kind=LessonKind.QUIZ).exists()
    assert course.competencies.get(competency=gap.competency).level >= gap.required

    # Enrol, complete the lessons and pass the quiz.
    enrolment = services.enrolment_create(learner=learner, course=course, actor=learner)
    for lesson in course.lessons.order_by("order"):
        if lesson.kind == LessonKind.QUIZ:
            answers = {
                str(question.public_id): str(question.choices.get(is_correct=True).pk)
                for question in lesson.questions.all()
            }
            attempt = services.quiz_submit(
                enrolment=enrolment, lesson=lesson, answers=answers, actor=learner
            )
            assert attempt.passed
        else:
            services.lesson_complete(enrolment=enrolment, lesson=lesson, actor=learner)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED

    # A classroom session of a course that builds the same competency, with seats free.
    session = (
        ClassSession.objects.filter(
            course__modality=Modality.CLASSROOM,
            course__competencies__competency=gap.competency,
            starts_at__gt=timezone.now(),
            cancelled_at__isnull=True,
        )
        .order_by("starts_at")
        .first()
    )
    assert session is not None
    assert session.bookings.filter(status=BookingStatus.CONFIRMED).count() < session.capacity
    booking = services.booking_create(session=session, learner=learner, actor=learner)
    assert booking.status == BookingStatus.CONFIRMED
    # The class begins (its start moves to just now) and the trainer marks who is there.
    ClassSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    session.refresh_from_db()
    services.attendance_mark(session=session, learners_present=[learner], actor=session.trainer)

    after = jp_progress(learner=learner, year=year).total
    assert after == before + course.jp + session.course.jp
    certificates = Certificate.objects.filter(learner=learner, course__in=[course, session.course])
    assert certificates.count() == 2
    for certificate in certificates:
        check = certificate_verify(certificate.verification_code)
        assert check is not None and check.status == "valid"
        assert check.number == certificate.number

    # HR of the civil registry sees the unit's compliance, this learner included.
    rows = compliance_by_unit(user=user("sdm.dukcapil"), year=year)
    unit = next(row for row in rows if row.unit == learner.employee.unit)
    assert unit.employees >= 3
