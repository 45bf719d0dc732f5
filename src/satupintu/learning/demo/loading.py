"""Loading the demo of Learn (see the package's docstring) through the services."""

import datetime
import io
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.accounts.models import EmployeeProfile, RoleAssignment
from satupintu.learning import services
from satupintu.learning.constants import BookingStatus, LessonKind, Modality
from satupintu.learning.demo.plan import (
    ASSIGNMENTS,
    CAMPUS,
    CLAIMS,
    CONFIRMED,
    FULL_SESSION,
    FULL_SESSION_BOOKERS,
    HISTORY,
    HR_EVERYWHERE,
    HR_PERSON,
    JOURNEY_CLASS,
    LEARNERS,
    PAST,
    PROVIDER,
    TRAINER,
    UPCOMING,
    Person,
    Slot,
)
from satupintu.learning.models import (
    ClassSession,
    Course,
    Enrolment,
    LearningClaim,
    SessionBooking,
)
from satupintu.organisations.models import Agency, Office, Unit
from satupintu.talent.demo import demo_talent_load
from satupintu.talent.models import Position
from satupintu.talent.services import placement_set


def courses_dir() -> Path:
    """The demo's course files: ``courses/`` in the definitions folder."""
    return Path(settings.SATUPINTU_CATALOG_DIR) / "courses"


def _person_load(person: Person, units: dict) -> EmployeeProfile | None:
    from satupintu.demo.people import DEMO_PASSWORD  # the demo's one password

    unit = units.get((person.agency, person.unit))
    if unit is None:
        return None
    user, created = get_user_model().objects.get_or_create(
        username=person.username,
        defaults={
            "email": f"{person.username}@{person.agency}.go.id",
            "first_name": person.first_name,
            "last_name": person.last_name,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    employee, _ = EmployeeProfile.objects.get_or_create(
        user=user,
        defaults={
            "nip": person.nip,
            "agency": unit.agency,
            "unit": unit,
            "position": person.position,
        },
    )
    return employee


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour_minute: tuple[int, int]) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))


def _this_year(days: int, today: datetime.date) -> datetime.date:
    """``days`` ago, but not before the year began: the demo's history counts this year."""
    return max(today - datetime.timedelta(days=days), datetime.date(today.year, 1, 1))


def _slot_times(slot: Slot, today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    if slot.days >= 0:
        first = _weekday(today + datetime.timedelta(days=slot.days))
    else:
        first = _this_year(-slot.days, today)
        while first.weekday() >= 5 and first > datetime.date(today.year, 1, 1):
            first -= datetime.timedelta(days=1)
    last = first + datetime.timedelta(days=slot.length - 1)
    return _at(first, slot.start), _at(last, slot.end)


def _certificate_file(title: str, provider: str) -> SimpleUploadedFile:
    """A one-page PDF standing for a certificate of learning done elsewhere."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    canvas.setFont("Helvetica-Bold", 28)
    canvas.drawCentredString(width / 2, height - 150, "SERTIFIKAT")
    canvas.setFont("Helvetica", 16)
    canvas.drawCentredString(width / 2, height - 220, title)
    canvas.drawCentredString(width / 2, height - 250, provider)
    canvas.showPage()
    canvas.save()
    return SimpleUploadedFile("sertifikat.pdf", buffer.getvalue(), "application/pdf")


def _right_answers(lesson) -> dict[str, str]:
    return {
        str(question.public_id): str(choice.pk)
        for question in lesson.questions.prefetch_related("choices")
        for choice in question.choices.all()
        if choice.is_correct
    }


class _Loader:
    """One load of the demo; every step finds what an earlier load made."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.now = timezone.now()
        self.users = {}
        self.courses = {course.code: course for course in Course.objects.all()}

    def user(self, username: str):
        if username not in self.users:
            self.users[username] = get_user_model().objects.filter(username=username).first()
        return self.users[username]

    def enrolment(self, learner, course: Course) -> Enrolment | None:
        return (
            Enrolment.objects.filter(learner=learner, course=course).order_by("-created_at").first()
        )

    # Sessions -----------------------------------------------------------------------------

    def sessions(self, *, actor, trainer, campus) -> dict[tuple[str, int], ClassSession]:
        """Every demo session, by (course, days); made when the course has fewer sessions
        than the demo plans for it."""
        slots = [slot for slot, _present, _absent in PAST] + UPCOMING
        plans: dict[str, list[Slot]] = {}
        for slot in slots:
            plans.setdefault(slot.course, []).append(slot)
        found: dict[tuple[str, int], ClassSession] = {}
        for code, planned in plans.items():
            course = self.courses.get(code)
            if course is None:
                continue
            planned.sort(key=lambda slot: slot.days)
            existing = list(ClassSession.objects.filter(course=course).order_by("starts_at", "id"))
            if len(existing) >= len(planned):
                found.update(
                    {
                        (code, slot.days): session
                        for slot, session in zip(planned, existing, strict=False)
                    }
                )
                continue
            for slot in planned:
                starts_at, ends_at = _slot_times(slot, self.today)
                values = {
                    "course": course,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "capacity": slot.capacity,
                    "trainer": trainer if slot.trainer else None,
                    "office": None if slot.online else campus,
                    "room": slot.room,
                    "online_url": f"https://meet.jit.si/{slot.online}" if slot.online else "",
                }
                if slot.days < 0:
                    # The past cannot be scheduled through the service; as it happened.
                    session = ClassSession.objects.create(
                        checkin_token=secrets.token_urlsafe(24), **values
                    )
                else:
                    session = services.session_create(actor=actor, **values)
                found[(code, slot.days)] = session
        return found

    def session_today(self, *, actor, trainer, campus) -> None:
        """A session of the journey's class later today (or tonight), so that the whole way
        through Learn can be walked on the day the demo is loaded."""
        course = self.courses.get(JOURNEY_CLASS)
        if course is None:
            return
        window = self.now + datetime.timedelta(hours=12)
        if ClassSession.objects.filter(
            course=course, starts_at__gt=self.now, starts_at__lte=window
        ).exists():
            return
        if ClassSession.objects.filter(course=course).count() > len(
            [slot for slot in UPCOMING if slot.course == JOURNEY_CLASS]
        ):
            return  # made by an earlier load, now over
        start = (self.now + datetime.timedelta(minutes=75)).replace(second=0, microsecond=0)
        start -= datetime.timedelta(minutes=start.minute % 15)
        services.session_create(
            course=course,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=4),
            capacity=20,
            actor=actor,
            trainer=trainer,
            office=campus,
            room="Ruang Kelas Majapahit",
        )

    def past_attendance(self, sessions, *, hr) -> None:
        for slot, present, absent in PAST:
            session = sessions.get((slot.course, slot.days))
            if session is None or session.starts_at > self.now:
                continue
            course = session.course
            booked = []
            for username in [*present, *absent]:
                learner = self.user(username)
                if learner is None:
                    continue
                if SessionBooking.objects.filter(session=session, learner=learner).exists():
                    continue
                enrolment = self.enrolment(learner, course)
                if enrolment is None:
                    enrolment = services.enrolment_create(
                        learner=learner, course=course, actor=learner
                    )
                    Enrolment.objects.filter(pk=enrolment.pk).update(
                        created_at=session.starts_at - datetime.timedelta(days=10)
                    )
                booking = SessionBooking.objects.create(
                    session=session,
                    learner=learner,
                    enrolment=enrolment,
                    status=BookingStatus.CONFIRMED,
                )
                SessionBooking.objects.filter(pk=booking.pk).update(
                    created_at=session.starts_at - datetime.timedelta(days=7)
                )
                if username in present:
                    booked.append(learner)
            if booked:
                services.attendance_mark(
                    session=session,
                    learners_present=booked,
                    actor=session.trainer or hr,
                )

    def full_session(self, sessions) -> None:
        session = sessions.get(FULL_SESSION)
        if session is None or session.starts_at <= self.now:
            return
        for username in FULL_SESSION_BOOKERS:
            learner = self.user(username)
            if learner is None:
                continue
            if SessionBooking.objects.filter(session=session, learner=learner).exists():
                continue
            services.booking_create(session=session, learner=learner, actor=learner)

    # Enrolments ---------------------------------------------------------------------------

    def history(self) -> None:
        for username, what, code, days in HISTORY:
            learner, course = self.user(username), self.courses.get(code)
            if learner is None or course is None or self.enrolment(learner, course):
                continue
            enrolment = services.enrolment_create(learner=learner, course=course, actor=learner)
            if what == "enrol":
                continue
            lessons = list(course.lessons.order_by("order"))
            if what == "progress":
                for lesson in [lesson for lesson in lessons if lesson.kind != LessonKind.QUIZ][
                    :days
                ]:
                    services.lesson_complete(enrolment=enrolment, lesson=lesson, actor=learner)
                continue
            if days is None and course.modality == Modality.SELF_PACED and lessons:
                for lesson in lessons:
                    if lesson.kind == LessonKind.QUIZ:
                        services.quiz_submit(
                            enrolment=enrolment,
                            lesson=lesson,
                            answers=_right_answers(lesson),
                            actor=learner,
                        )
                    else:
                        services.lesson_complete(enrolment=enrolment, lesson=lesson, actor=learner)
                continue
            moment = _at(_this_year(days or 0, self.today), (10, 0))
            Enrolment.objects.filter(pk=enrolment.pk).update(
                created_at=moment - datetime.timedelta(days=7)
            )
            services.enrolment_complete(enrolment=enrolment, actor=learner, completed_at=moment)

    def assignments(self) -> None:
        for by, username, code, days in ASSIGNMENTS:
            actor, learner, course = self.user(by), self.user(username), self.courses.get(code)
            if None in (actor, learner, course) or self.enrolment(learner, course):
                continue
            services.enrolment_assign(
                course=course,
                learners=[learner],
                actor=actor,
                due_on=self.today + datetime.timedelta(days=days),
            )
        for by, username, code in CONFIRMED:
            actor, learner, course = self.user(by), self.user(username), self.courses.get(code)
            enrolment = self.enrolment(learner, course) if learner and course else None
            if actor is None or enrolment is None or enrolment.completed_at is not None:
                continue
            services.enrolment_confirm_completion(enrolment=enrolment, actor=actor)

    def claims(self) -> None:
        for username, title, provider, days, jp, by, approve, reason in CLAIMS:
            learner = self.user(username)
            if (
                learner is None
                or LearningClaim.objects.filter(learner=learner, title=title).exists()
            ):
                continue
            claim = services.claim_create(
                learner=learner,
                title=title,
                provider=provider,
                completed_on=_this_year(days, self.today),
                jp=jp,
                certificate=_certificate_file(title, provider),
                actor=learner,
            )
            decider = self.user(by) if by else None
            if decider is not None:
                services.claim_decide(claim=claim, approve=approve, actor=decider, reason=reason)


def _placements_load() -> None:
    """Place this module's learners in the positions of the competency demo that fit them."""

    positions = {
        (position.agency.code, position.code): position
        for position in Position.objects.select_related("agency")
    }
    employees = {
        employee.user.username: employee
        for employee in EmployeeProfile.objects.filter(
            user__username__in=[person.username for person in LEARNERS]
        ).select_related("user", "placement")
    }
    for person in LEARNERS:
        employee = employees.get(person.username)
        position = positions.get((person.agency, person.talent_position))
        if employee is None or position is None or hasattr(employee, "placement"):
            continue
        placement_set(
            employee=employee,
            position=position,
            since=datetime.date(int(person.nip[8:12]), int(person.nip[12:14]), 1),
            actor=None,
        )


@transaction.atomic
def demo_learning_load(
    *, directory: str | Path | None = None, today: datetime.date | None = None
) -> list[tuple[str, str]]:
    """Load the demo of Learn on top of the demo people (see the module's docstring);
    answers (role, username) of the logins it adds. ``directory`` holds the course files
    (default: ``courses/`` in the definitions folder). Nothing happens when the training
    centre or the course files are not there."""
    directory = Path(directory) if directory is not None else courses_dir()
    if not Agency.objects.filter(code=PROVIDER).exists() or not directory.is_dir():
        return []
    # The competency framework first: the courses name its technical competencies.
    demo_talent_load()
    services.courses_load(directory_or_file=directory)

    units = {(unit.agency.code, unit.code): unit for unit in Unit.objects.select_related("agency")}
    hr_employee = _person_load(HR_PERSON, units)
    if hr_employee is None:
        return []
    RoleAssignment.objects.get_or_create(user=hr_employee.user, role=Role.HR, agency=None)
    for person in LEARNERS:
        _person_load(person, units)
    _placements_load()

    loader = _Loader(today or timezone.localdate())
    hr = loader.user(HR_EVERYWHERE)
    trainer = loader.user(TRAINER)
    campus = Office.objects.filter(code=CAMPUS).first()
    if (
        trainer is not None
        and not RoleAssignment.objects.filter(user=trainer, role=Role.TRAINER).exists()
    ):
        trainer = None
    sessions = loader.sessions(actor=hr, trainer=trainer, campus=campus)
    loader.session_today(actor=hr, trainer=trainer, campus=campus)
    loader.history()
    loader.past_attendance(sessions, hr=hr)
    loader.assignments()
    loader.full_session(sessions)
    loader.claims()
    return [("human resources, whole government — BPSDM Jatim", HR_EVERYWHERE)]
