"""Factories of Learn's records and of the people who use it: agencies with units and
offices, employees (learners), competencies, courses with lessons and quizzes, enrolments
and class sessions.

Every factory makes its own agency, unit and competency unless given one, so tests do not
depend on the demo data. A few helpers wire up what the factories cannot express in one
call: ``make_learner`` (an employee with an agency and a unit), ``make_role`` (a role
assignment), ``quiz_with_questions`` and ``give_position`` (a position whose requirements make
the learner's competency gaps).
"""

import datetime
import secrets
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from satupintu.accounts.models import EmployeeProfile, RoleAssignment
from satupintu.learning.constants import (
    BookingStatus,
    EnrolmentSource,
    EnrolmentStatus,
    LessonKind,
    Modality,
)
from satupintu.learning.models import (
    Choice,
    ClassSession,
    Course,
    CourseCompetency,
    Enrolment,
    Lesson,
    ProgrammeStep,
    Question,
    SessionBooking,
)
from satupintu.organisations.models import Agency, AgencyLevel, Office, Unit
from satupintu.talent.constants import AssessmentSource, CompetencyGroup
from satupintu.talent.models import (
    Assessment,
    Competency,
    Placement,
    Position,
    PositionRequirement,
)

User = get_user_model()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"bkd-uji-{n}")
    name_id = factory.Sequence(lambda n: f"Badan Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Agency {n}")
    short_name = factory.Sequence(lambda n: f"BU{n}")
    level = AgencyLevel.PROVINCE


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"bidang-{n}")
    name_id = factory.Sequence(lambda n: f"Bidang Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Division {n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"bpsdm-kampus-{n}")
    name_id = factory.Sequence(lambda n: f"Kampus BPSDM {n}")
    name_en = factory.Sequence(lambda n: f"Training Campus {n}")
    address = "Jl. Kendangsari Industri No. 39, Surabaya"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pegawai.{n}")
    email = factory.Sequence(lambda n: f"pegawai{n}@jatimprov.go.id")
    first_name = factory.Iterator(["Siti", "Bambang", "Dewi", "Agus", "Rina", "Hendra"])
    last_name = factory.Iterator(["Rahmawati", "Sutrisno", "Lestari", "Wibowo", "Kusuma"])


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An employee profile; its user is a learner. Pass ``agency`` (and ``unit``) to place
    them; by default each employee gets a new agency and a unit of it."""

    class Meta:
        model = EmployeeProfile

    user = factory.SubFactory(UserFactory)
    nip = factory.Sequence(lambda n: f"19800101200501{n % 10000:04d}")
    agency = factory.SubFactory(AgencyFactory)
    unit = factory.LazyAttribute(lambda o: UnitFactory(agency=o.agency))
    position = "Analis Kebijakan"


def make_learner(*, agency=None, unit=None, **user_fields):
    """A user with an employee profile in ``agency``/``unit`` (new ones when not given)."""
    if unit is not None and agency is None:
        agency = unit.agency
    kwargs = {"user": UserFactory(**user_fields)}
    if agency is not None:
        kwargs["agency"] = agency
        kwargs["unit"] = unit if unit is not None else UnitFactory(agency=agency)
    return EmployeeFactory(**kwargs).user


def make_role(user, role, *, agency=None, unit=None):
    """Give ``user`` ``role`` (``accounts.constants.Role``) in ``agency``/``unit``."""
    if unit is not None and agency is None:
        agency = unit.agency
    return RoleAssignment.objects.create(user=user, role=role, agency=agency, unit=unit)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"kompetensi-uji-{n}")
    group = CompetencyGroup.TECHNICAL
    name_id = factory.Sequence(lambda n: f"Kompetensi Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Competency {n}")


class CourseFactory(factory.django.DjangoModelFactory):
    """A published self-paced course of 4 JP, open to every agency, with a certificate.

    ``builds=[(competency, level), …]`` adds the competencies it builds."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"kursus-uji-{n}")
    title_id = factory.Sequence(lambda n: f"Pelatihan Uji {n}")
    title_en = factory.Sequence(lambda n: f"Test Course {n}")
    summary_id = "Ringkasan pelatihan untuk pengujian."
    summary_en = "A course summary for tests."
    modality = Modality.SELF_PACED
    jp = Decimal(4)
    provider = factory.SubFactory(AgencyFactory)
    is_published = True
    issues_certificate = True

    @factory.post_generation
    def builds(self, create, extracted, **kwargs):
        for competency, level in extracted or []:
            CourseCompetency.objects.create(course=self, competency=competency, level=level)

    @factory.post_generation
    def audience(self, create, extracted, **kwargs):
        if extracted:
            self.audience_agencies.set(extracted)

    @factory.post_generation
    def requires(self, create, extracted, **kwargs):
        if extracted:
            self.prerequisites.set(extracted)


class CourseCompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseCompetency

    course = factory.SubFactory(CourseFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 2


class ProgrammeStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeStep

    programme = factory.SubFactory(CourseFactory, modality=Modality.BLENDED, jp=Decimal(0))
    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    is_required = True


class LessonFactory(factory.django.DjangoModelFactory):
    """A reading lesson; pass ``kind=LessonKind.QUIZ`` for a quiz (see
    ``quiz_with_questions`` for one with questions)."""

    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = LessonKind.TEXT
    title_id = factory.Sequence(lambda n: f"Pelajaran {n}")
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    body_id = "Isi pelajaran."
    body_en = "The lesson's text."
    minutes = 15


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question with ``choices`` answers (default 3), of which the first
    (order 1) is the right one unless ``choices__correct`` names another order."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    lesson = factory.SubFactory(LessonFactory, kind=LessonKind.QUIZ)
    order = factory.Sequence(lambda n: n + 1)
    text_id = factory.Sequence(lambda n: f"Pertanyaan {n}?")
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    explanation_id = "Karena itulah jawaban yang benar."
    explanation_en = "Because that is the right answer."
    competency = None

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        count = 3 if extracted is None else extracted
        correct = kwargs.get("correct", 1)
        for order in range(1, count + 1):
            Choice.objects.create(
                question=self,
                order=order,
                text_id=f"Jawaban {order}",
                text_en=f"Answer {order}",
                is_correct=order == correct,
            )


def quiz_with_questions(*, course, count=2, competency=None, order=None, **lesson_fields):
    """A quiz lesson of ``course`` with ``count`` questions (tagged with ``competency``)."""
    if order is not None:
        lesson_fields["order"] = order
    quiz = LessonFactory(course=course, kind=LessonKind.QUIZ, **lesson_fields)
    for number in range(1, count + 1):
        QuestionFactory(lesson=quiz, order=number, competency=competency)
    return quiz


def right_answers(quiz) -> dict[str, str]:
    """The answers that score 100% on ``quiz``: {question public id: choice id}."""
    return {
        str(question.public_id): str(question.choices.get(is_correct=True).pk)
        for question in quiz.questions.all()
    }


def wrong_answers(quiz) -> dict[str, str]:
    """The answers that score 0% on ``quiz``."""
    return {
        str(question.public_id): str(question.choices.filter(is_correct=False).first().pk)
        for question in quiz.questions.all()
    }


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An active self-enrolment, made directly (without the service's checks)."""

    class Meta:
        model = Enrolment

    learner = factory.LazyFunction(lambda: make_learner())
    course = factory.SubFactory(CourseFactory)
    status = EnrolmentStatus.ACTIVE
    source = EnrolmentSource.SELF


def _next_week(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class ClassSessionFactory(factory.django.DjangoModelFactory):
    """A classroom session next week from 08:00 to 12:00 at a training campus, 20 seats."""

    class Meta:
        model = ClassSession

    course = factory.SubFactory(CourseFactory, modality=Modality.CLASSROOM)
    starts_at = factory.LazyFunction(lambda: _next_week(8))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=4))
    office = factory.SubFactory(OfficeFactory)
    room = "Ruang Kelas 2"
    capacity = 20
    checkin_token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))


class SessionBookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking, made directly (without the service's checks)."""

    class Meta:
        model = SessionBooking

    session = factory.SubFactory(ClassSessionFactory)
    learner = factory.LazyFunction(lambda: make_learner())
    status = BookingStatus.CONFIRMED


def give_position(learner, requirements, *, agency=None):
    """Place ``learner`` in a new position requiring ``[(competency, level), …]``."""
    employee = learner.employee
    position = Position.objects.create(
        agency=agency or employee.agency,
        code=f"jabatan-{secrets.token_hex(4)}",
        name_id="Jabatan Uji",
        name_en="Test Position",
    )
    for competency, level in requirements:
        PositionRequirement.objects.create(position=position, competency=competency, level=level)
    Placement.objects.update_or_create(
        employee=employee, defaults={"position": position, "since": datetime.date(2020, 1, 1)}
    )
    return position


def assess(learner, competency, level, *, on=None, source=AssessmentSource.ENTERED):
    """Record directly that ``learner`` is at ``level`` of ``competency``."""
    return Assessment.objects.create(
        employee=learner.employee,
        competency=competency,
        level=level,
        source=source,
        assessed_on=on or timezone.localdate() - datetime.timedelta(days=30),
    )


# Staff, sessions and claims ------------------------------------------------------------------


def make_staff(role, *, agency=None, unit=None, **user_fields):
    """A user holding ``role`` (``accounts.constants.Role``) in ``agency``/``unit`` (both may
    be None for a government-wide HR or trainer role). Staff with an agency are employees of
    it, in ``unit`` or a unit of their own."""
    from satupintu.accounts.constants import Role

    if unit is not None and agency is None:
        agency = unit.agency
    if role == Role.UNIT_HEAD and unit is None:
        unit = UnitFactory(agency=agency or AgencyFactory())
        agency = unit.agency
    if agency is not None:
        user = make_learner(agency=agency, unit=unit, **user_fields)
    else:
        user = UserFactory(**user_fields)
    make_role(user, role, agency=agency, unit=unit)
    return user


def session_at(starts_at, *, hours=2, **fields):
    """A classroom session from ``starts_at`` for ``hours`` hours (other fields as for
    ``ClassSessionFactory``)."""
    return ClassSessionFactory(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours), **fields
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def certificate_upload(content: bytes = PDF_BYTES, name: str = "sertifikat.pdf"):
    """An uploaded certificate file (a small valid PDF by default)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def staff_world():
    """Two agencies (``agency`` and ``other_agency``), each with a unit and its head, HR,
    a trainer and a learner; a classroom course of ``agency`` with a session next week that
    ``learner`` is booked on; a self-paced course with a lesson; a course that needs
    approval with ``learner``'s request; a coaching enrolment to confirm; ``learner``'s
    pending claim; and government-wide HR. For the tests of the staff pages."""
    from satupintu.accounts.constants import Role
    from satupintu.learning import services

    world = {}
    for prefix in ("", "other_"):
        agency = AgencyFactory()
        unit = UnitFactory(agency=agency)
        world[f"{prefix}agency"] = agency
        world[f"{prefix}unit"] = unit
        world[f"{prefix}head"] = make_staff(Role.UNIT_HEAD, unit=unit)
        world[f"{prefix}hr"] = make_staff(Role.HR, agency=agency)
        world[f"{prefix}trainer"] = make_staff(Role.TRAINER, agency=agency)
        world[f"{prefix}learner"] = make_learner(unit=unit)
    world["everywhere_hr"] = make_staff(Role.HR)
    agency, learner = world["agency"], world["learner"]
    world["classroom"] = CourseFactory(provider=agency, modality=Modality.CLASSROOM, jp=Decimal(8))
    world["session"] = ClassSessionFactory(course=world["classroom"], trainer=world["trainer"])
    world["booking"] = services.booking_create(
        session=world["session"], learner=learner, actor=learner
    )
    world["self_paced"] = CourseFactory(provider=agency)
    world["lesson"] = LessonFactory(course=world["self_paced"], order=1)
    world["needs_approval"] = CourseFactory(provider=agency, requires_approval=True)
    world["request"] = services.enrolment_create(learner=learner, course=world["needs_approval"])
    world["coaching"] = EnrolmentFactory(
        learner=learner, course=CourseFactory(provider=agency, modality=Modality.COACHING)
    )
    world["claim"] = services.claim_create(
        learner=learner,
        title="Pelatihan Kepemimpinan Daerah",
        provider="LAN RI",
        completed_on=timezone.localdate() - datetime.timedelta(days=3),
        jp=Decimal(10),
        certificate=certificate_upload(),
        actor=learner,
    )
    return world
