"""The guard table of the API's lists: for every list operation, who may call it and how to
make rows that this caller sees.

Each entry's ``caller`` function signs somebody in (or gives an API key), sets the world up
so that the list shows only what ``Caller.add`` makes (a filter of its own, or the other
rows switched off), and returns the client with ``add(count)``: make ``count`` more rows
that the caller sees in this list.

A new list operation must get an entry here (``tests/test_api_lists.py`` fails until it
has one). A list that cannot grow past a fixed size gets a ``Bound`` with the reason; a
known failure gets ``paging_xfail`` or ``queries_xfail`` with what is wrong.
"""

import datetime
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.accounts.services import api_key_create
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, OutcomeDocument, Submission, Suggestion
from satupintu.cases.services import case_open
from satupintu.catalog.models import LifeEvent, Service
from satupintu.complaints import services as complaint_services
from satupintu.core.tracking import generate
from satupintu.demo.people import demo_people_load
from satupintu.learning.constants import EnrolmentStatus, Modality
from satupintu.learning.models import Certificate, LearningClaim
from satupintu.organisations.models import Agency, Partner
from satupintu.talent.models import Position, PositionRequirement
from tests.complaints.factories import file as complaint_file
from tests.learning.factories import (
    AgencyFactory,
    ClassSessionFactory,
    CompetencyFactory,
    CourseFactory,
    EnrolmentFactory,
    SessionBookingFactory,
    UnitFactory,
    make_learner,
    make_staff,
)

BIRTH = "dukcapil-surabaya.akta-kelahiran"
FOOD_PARCEL = "dinsos-surabaya.bantuan-pangan-isolasi"
WONOKROMO = "kampung-tangguh-wonokromo"


@dataclass
class Caller:
    """A client that may call the list, and how to make more rows it sees there."""

    client: Client
    add: Callable[[int], object]
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Bound:
    """A list that cannot grow past ``size`` rows, and why."""

    size: int
    reason: str


@dataclass(frozen=True)
class ListGuard:
    path: str
    caller: Callable[[], Caller]
    bound: Bound | None = None
    paging_xfail: str = ""
    queries_xfail: str = ""


# Who calls ---------------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def people() -> dict:
    """The demo's people (citizens ``warga``, officers of Dukcapil, the partner user
    ``mitra.wonokromo``, the complaint coordinator ``koordinator.lapor``…)."""
    demo_people_load()
    return {user.username: user for user in get_user_model().objects.all()}


def key_of(agency_code: str) -> dict[str, str]:
    _key, secret = api_key_create(
        agency=Agency.objects.get(code=agency_code), name="Guard", actor=None
    )
    return {"authorization": f"Bearer {secret}"}


def case_for(applicant, service_code: str = BIRTH) -> Case:
    """A case opened directly for ``applicant``, without the form."""
    service = Service.objects.get(code=service_code)
    now = timezone.now()
    submission = Submission.objects.create(
        applicant=applicant,
        service_version=service.current_version,
        answers={},
        status=SubmissionStatus.SUBMITTED,
        submitted_at=now,
        tracking=generate(),
    )
    return case_open(
        submission=submission,
        service_version=service.current_version,
        submitted_at=now,
        actor=applicant,
    )


def repeat(make: Callable[[], object]) -> Callable[[int], list]:
    return lambda count: [make() for _ in range(count)]


# The catalogue and agencies ----------------------------------------------------------------


def anyone_services() -> Caller:
    """Services of an agency of their own, each sharing a shipped service's version."""
    model = Service.objects.get(code=BIRTH)
    agency = AgencyFactory()
    unit = UnitFactory(agency=agency)

    def make():
        number = secrets.token_hex(4)
        service = Service.objects.create(
            code=f"{agency.code}.layanan-{number}",
            agency=agency,
            unit=unit,
            name_id=f"Layanan {number}",
            name_en=f"Service {number}",
            summary_id="Ringkasan.",
            summary_en="Summary.",
            current_version=model.current_version,
        )
        service.categories.set(model.categories.all())

    return Caller(Client(), repeat(make), params={"agency": agency.code})


def anyone_life_events() -> Caller:
    LifeEvent.objects.update(is_active=False)

    def make():
        number = secrets.token_hex(4)
        LifeEvent.objects.create(
            code=f"peristiwa-{number}",
            name_id=f"Peristiwa {number}",
            name_en=f"Event {number}",
            summary_id="Ringkasan.",
            summary_en="Summary.",
        )

    return Caller(Client(), repeat(make))


def anyone_agencies() -> Caller:
    Agency.objects.update(is_active=False)
    return Caller(Client(), repeat(AgencyFactory))


# Cases -------------------------------------------------------------------------------------


def without_demo_cases() -> None:
    """The demo's cases (and their outcome documents) go: the list shows only new ones."""
    OutcomeDocument.objects.all().delete()
    Case.objects.all().delete()
    Submission.objects.all().delete()


def citizen_cases() -> Caller:
    found = people()
    without_demo_cases()
    return Caller(signed_in(found["warga"]), repeat(lambda: case_for(found["warga"])))


def agency_system_cases() -> Caller:
    found = people()
    without_demo_cases()
    return Caller(
        Client(), repeat(lambda: case_for(found["warga"])), headers=key_of("dukcapil-surabaya")
    )


def citizen_suggestions() -> Caller:
    found = people()
    warga = found["warga"]
    without_demo_cases()
    event = LifeEvent.objects.filter(is_active=True).first()

    def make():
        Suggestion.objects.create(
            user=warga,
            life_event=event,
            signal="akta-terbit",
            source_case=case_for(warga),
            services=[BIRTH],
        )

    return Caller(signed_in(warga), repeat(make))


def partner_tasks() -> Caller:
    found = people()
    partner = Partner.objects.get(code=WONOKROMO)
    without_demo_cases()

    def make():
        case = case_for(found["warga"], FOOD_PARCEL)
        Case.objects.filter(pk=case.pk).update(partner=partner)

    return Caller(signed_in(found["mitra.wonokromo"]), repeat(make))


# Complaints --------------------------------------------------------------------------------


def officer_complaints() -> Caller:
    found = people()
    dukcapil = Agency.objects.get(code="dukcapil-surabaya")

    def make():
        complaint_services.complaint_route(
            complaint=complaint_file(found["warga"]).complaint,
            actor=found["koordinator.lapor"],
            agency=dukcapil,
        )

    return Caller(signed_in(found["petugas.dukcapil"]), repeat(make))


def citizen_complaints() -> Caller:
    found = people()
    return Caller(signed_in(found["warga"]), repeat(lambda: complaint_file(found["warga"])))


def citizen_data_requests() -> Caller:
    from satupintu.privacy.services import data_request_file

    citizen = make_learner()

    def make():
        return data_request_file(
            requester=citizen, kind="correction", field="name", proposed_value="Nama Benar"
        )

    return Caller(signed_in(citizen), repeat(make))


# Competencies ------------------------------------------------------------------------------


def employee_competencies() -> Caller:
    agency = AgencyFactory()
    return Caller(
        signed_in(make_learner()),
        repeat(lambda: CompetencyFactory(agency=agency)),
        params={"agency": agency.code},
    )


def employee_positions() -> Caller:
    agency = AgencyFactory()

    def make():
        number = secrets.token_hex(4)
        position = Position.objects.create(
            agency=agency, code=f"jabatan-{number}", name_id=f"Jabatan {number}", name_en="Post"
        )
        for level in (2, 3):
            PositionRequirement.objects.create(
                position=position, competency=CompetencyFactory(), level=level
            )

    learner = make_learner(agency=agency)
    return Caller(signed_in(learner), repeat(make), params={"agency": agency.code})


# Learn: the catalogue and my learning ------------------------------------------------------


def anyone_courses() -> Caller:
    provider = AgencyFactory()
    competency = CompetencyFactory()
    return Caller(
        Client(),
        repeat(lambda: CourseFactory(provider=provider, builds=[(competency, 2)])),
        params={"provider": provider.code},
    )


def learner_enrolments() -> Caller:
    learner = make_learner()
    return Caller(signed_in(learner), repeat(lambda: EnrolmentFactory(learner=learner)))


def learner_bookings() -> Caller:
    learner = make_learner()
    return Caller(signed_in(learner), repeat(lambda: SessionBookingFactory(learner=learner)))


def learner_certificates() -> Caller:
    learner = make_learner()

    def make():
        Certificate.objects.create(
            number=f"UJI/{uuid.uuid4().hex[:12]}",
            verification_code=secrets.token_hex(4).upper(),
            learner=learner,
            course=CourseFactory(),
            holder_name="Siti Rahmawati",
            jp=Decimal(4),
            issued_at=timezone.now(),
        )

    return Caller(signed_in(learner), repeat(make))


def claim(learner) -> LearningClaim:
    return LearningClaim.objects.create(
        learner=learner,
        title="Pelatihan di luar",
        provider="LAN RI",
        completed_on=timezone.localdate() - datetime.timedelta(days=3),
        jp=Decimal(6),
        certificate="learning/claims/sertifikat.pdf",
    )


def learner_claims() -> Caller:
    learner = make_learner()
    return Caller(signed_in(learner), repeat(lambda: claim(learner)))


# Learn: staff ------------------------------------------------------------------------------


def trainer_sessions() -> Caller:
    agency = AgencyFactory()
    trainer = make_staff(Role.TRAINER, agency=agency)

    def make():
        ClassSessionFactory(
            trainer=trainer, course=CourseFactory(provider=agency, modality=Modality.CLASSROOM)
        )

    return Caller(signed_in(trainer), repeat(make))


def unit_head(*, status: str, **course_fields) -> Caller:
    """A unit head, and enrolments with ``status`` of the employees of their unit."""
    head = make_staff(Role.UNIT_HEAD)
    unit = head.employee.unit

    def make():
        EnrolmentFactory(
            learner=make_learner(unit=unit), course=CourseFactory(**course_fields), status=status
        )

    return Caller(signed_in(head), repeat(make))


def unit_head_approvals() -> Caller:
    return unit_head(requires_approval=True, status=EnrolmentStatus.REQUESTED)


def unit_head_confirmations() -> Caller:
    return unit_head(modality=Modality.COACHING, status=EnrolmentStatus.ACTIVE)


def hr_claims() -> Caller:
    agency = AgencyFactory()
    hr = make_staff(Role.HR, agency=agency)
    return Caller(signed_in(hr), repeat(lambda: claim(make_learner(agency=agency))))


def hr_compliance_behind() -> Caller:
    agency = AgencyFactory()
    hr = make_staff(Role.HR, agency=agency)
    return Caller(signed_in(hr), repeat(lambda: make_learner(agency=agency)))


# The table ---------------------------------------------------------------------------------

GUARDS: list[ListGuard] = [
    ListGuard("/api/v1/services", anyone_services),
    ListGuard("/api/v1/life-events", anyone_life_events),
    ListGuard("/api/v1/agencies", anyone_agencies),
    ListGuard("/api/v1/my/cases", citizen_cases),
    ListGuard("/api/v1/cases", agency_system_cases),
    ListGuard("/api/v1/my/suggestions", citizen_suggestions),
    ListGuard("/api/v1/partner/tasks", partner_tasks),
    ListGuard("/api/v1/agency/complaints", officer_complaints),
    ListGuard("/api/v1/my/complaints", citizen_complaints),
    ListGuard("/api/v1/me/data-requests", citizen_data_requests),
    ListGuard("/api/v1/learning/competencies", employee_competencies),
    ListGuard("/api/v1/learning/positions", employee_positions),
    ListGuard("/api/v1/learning/courses", anyone_courses),
    ListGuard("/api/v1/learning/me/enrolments", learner_enrolments),
    ListGuard("/api/v1/learning/me/bookings", learner_bookings),
    ListGuard("/api/v1/learning/me/certificates", learner_certificates),
    ListGuard("/api/v1/learning/me/claims", learner_claims),
    ListGuard("/api/v1/learning/trainer/sessions", trainer_sessions),
    ListGuard("/api/v1/learning/approvals", unit_head_approvals),
    ListGuard("/api/v1/learning/confirmations", unit_head_confirmations),
    ListGuard("/api/v1/learning/claims", hr_claims),
    ListGuard("/api/v1/learning/compliance/behind", hr_compliance_behind),
]
