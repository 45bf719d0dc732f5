"""The world of ``tests/test_access_matrix.py``: everything that a citizen and an employee
of agency A own, and the people of agency B (and a citizen B) who must reach none of it.

Agency A is the civil registry of Surabaya (``dukcapil-surabaya``); agency B is the licensing
office (``dpmptsp-surabaya``). The demo's people give both agencies their officers,
supervisors and administrators; the rest is made here. Citizen A and employee A have names,
numbers and texts that appear nowhere else (``World.markers``): a response that shows one of
them to somebody of B has leaked.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model, Q
from django.utils import timezone
from reportlab.pdfgen import canvas

from satupintu.accounts.constants import LegalForm, Role, Sex
from satupintu.accounts.models import (
    ApiKey,
    BusinessProfile,
    BusinessRepresentative,
    CitizenProfile,
    Consent,
    EmployeeProfile,
    RoleAssignment,
)
from satupintu.accounts.services import api_key_create, consent_record
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.documents import document_attach_to_message, document_upload
from satupintu.cases.models import (
    Case,
    CaseEvent,
    Document,
    Message,
    OutcomeDocument,
    Submission,
    Suggestion,
)
from satupintu.cases.services import case_open, case_transition, message_post
from satupintu.catalog.models import LifeEvent, Service
from satupintu.complaints import services as complaint_services
from satupintu.complaints.constants import ComplaintKind
from satupintu.complaints.models import Complaint, ComplaintEvent, ComplaintMessage
from satupintu.core.models import AuditEvent
from satupintu.core.tracking import generate
from satupintu.demo.people import demo_people_load
from satupintu.feedback.models import SurveyInvitation, SurveyResponse
from satupintu.feedback.services import invitation_create
from satupintu.learning import services as learning_services
from satupintu.learning.constants import Modality
from satupintu.learning.models import (
    Certificate,
    ClassSession,
    Course,
    Enrolment,
    JpEntry,
    LearningClaim,
    Lesson,
    SessionBooking,
)
from satupintu.notifications.models import Notification
from satupintu.notifications.services import notification_send
from satupintu.organisations.models import Agency, Partner, Unit
from satupintu.privacy.models import Breach, DataRequest
from satupintu.talent.models import Assessment

AGENCY_A = "dukcapil-surabaya"
UNIT_A = "pencatatan-sipil"
AGENCY_B = "dpmptsp-surabaya"
UNIT_B = "perizinan-usaha"
BIRTH = "dukcapil-surabaya.akta-kelahiran"
FOOD = "dinsos-surabaya.bantuan-pangan-isolasi"
# A service that a citizen may apply for on behalf of a business they represent.
BUSINESS_SERVICE = "atrbpn-surabaya.pengecekan-sertifikat"
PARTNER_A = "kampung-tangguh-wonokromo"
PARTNER_B = "pkk-tegalsari"

# Citizen A: names and numbers that nothing else in the database holds.
CITIZEN_A = {
    "username": "kinanti.wiranegara",
    "first_name": "Kinanti",
    "last_name": "Wiranegara",
    "email": "kinanti.wiranegara@contoh.id",
    "phone": "081377712345",
    "nik": "3578054409910007",
    "address": "Jl. Gading Kirana Utara No. 17",
}
EMPLOYEE_A = {
    "first_name": "Larasmaya",
    "last_name": "Handoyoputri",
    "email": "larasmaya.handoyoputri@dukcapil-surabaya.go.id",
    "nip": "199204182018032011",
}
BUSINESS_A = {"name": "CV Kinanti Sarana Wiguna", "nib": "9120009876543"}
CHILD = "Arjunasena Wiranegara"
DRAFT_FILE = "surat-lahir-kinanti-draf.pdf"
CASE_FILE = "surat-lahir-kinanti-kasus.pdf"
ATTACHMENT = "balasan-kinanti-lampiran.pdf"
OFFICER_MESSAGE = "Mohon lengkapi buku nikah, Ibu Kinanti (pesan 7741)."
CITIZEN_MESSAGE = "Buku nikah saya kirim besok (pesan 7742)."
INTERNAL_NOTE = "Catatan internal 7743 tentang berkas pemohon."
OUTCOME_NUMBER = "3578-LT-KINANTI-7744"
COMPLAINT_TITLE = "Keluhan rahasia 7745 tentang akta"
COMPLAINT_BODY = "Petugas loket meminta uang tambahan 7746 untuk akta anak saya."
COMPLAINT_REPLY = "Jawaban instansi 7747 atas keluhan."
NOTIFICATION = "Pemberitahuan pribadi 7748 untuk Kinanti"
CLAIM_TITLE = "Diklat Kearsipan Daerah 7749"
DATA_REQUEST = "Alamat saya yang benar 7752"
BREACH = "Insiden surel salah kirim 7753"
COURSE_INTERNAL = "Pelatihan Internal Dukcapil 7750"


@dataclass
class World:
    """Agency A's records (``objects`` by name), the markers of its personal data, the
    people who look (``actors``), and what must not change (``state``)."""

    objects: dict[str, Model] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)
    actors: dict[str, object] = field(default_factory=dict)
    owners: dict[str, object] = field(default_factory=dict)
    # The secrets of the agencies' API keys (only their digests are stored).
    keys: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.objects[name]

    def state(self) -> dict[str, list[dict]]:
        """Every row of A's world, as stored: a change to any of them, or a row added to or
        taken from them, changes this."""
        return {label: list(rows().values().order_by("pk")) for label, rows in self._rows()}

    def _rows(self) -> list[tuple[str, callable]]:
        o = self.objects
        citizen, employee, agency = o["citizen_a"], o["employee_a"], o["agency_a"]
        cases = Q(submission__applicant=citizen)
        return [
            (
                "submissions",
                lambda: Submission.objects.filter(
                    Q(applicant=citizen) | Q(business=o["business_a"])
                ),
            ),
            ("cases", lambda: Case.objects.filter(cases)),
            ("events", lambda: CaseEvent.objects.filter(case__submission__applicant=citizen)),
            ("messages", lambda: Message.objects.filter(case__submission__applicant=citizen)),
            ("documents", lambda: Document.objects.filter(submission__applicant=citizen)),
            (
                "outcomes",
                lambda: OutcomeDocument.objects.filter(case__submission__applicant=citizen),
            ),
            ("suggestions", lambda: Suggestion.objects.filter(user=citizen)),
            ("consents", lambda: Consent.objects.filter(user=citizen)),
            (
                "citizen",
                lambda: CitizenProfile.objects.filter(Q(user=citizen) | Q(nik=CITIZEN_A["nik"])),
            ),
            ("business", lambda: BusinessRepresentative.objects.filter(business=o["business_a"])),
            (
                "complaints",
                lambda: Complaint.objects.filter(
                    Q(complainant=citizen) | Q(case__in=Case.objects.filter(cases))
                ),
            ),
            (
                "complaint_messages",
                lambda: ComplaintMessage.objects.filter(complaint__complainant=citizen),
            ),
            (
                "complaint_events",
                lambda: ComplaintEvent.objects.filter(complaint__complainant=citizen),
            ),
            ("invitations", lambda: SurveyInvitation.objects.filter(agency=agency)),
            ("survey_responses", lambda: SurveyResponse.objects.filter(agency=agency)),
            (
                "notifications",
                lambda: Notification.objects.filter(recipient__in=[citizen, employee]),
            ),
            ("api_keys", lambda: ApiKey.objects.filter(agency=agency)),
            ("employee", lambda: EmployeeProfile.objects.filter(user=employee)),
            ("roles", lambda: RoleAssignment.objects.filter(agency=agency)),
            (
                "enrolments",
                lambda: Enrolment.objects.filter(Q(learner=employee) | Q(course__provider=agency)),
            ),
            ("bookings", lambda: SessionBooking.objects.filter(session__course__provider=agency)),
            ("sessions", lambda: ClassSession.objects.filter(course__provider=agency)),
            ("courses", lambda: Course.objects.filter(provider=agency)),
            ("lessons", lambda: Lesson.objects.filter(course__provider=agency)),
            ("claims", lambda: LearningClaim.objects.filter(learner=employee)),
            ("certificates", lambda: Certificate.objects.filter(learner=employee)),
            ("jp", lambda: JpEntry.objects.filter(learner=employee)),
            ("assessments", lambda: Assessment.objects.filter(employee__user=employee)),
            ("audit", lambda: AuditEvent.objects.filter(subject__in=[citizen, employee])),
            ("data_requests", lambda: DataRequest.objects.filter(requester=citizen)),
            ("breaches", lambda: Breach.objects.filter(pk=o["breach_a"].pk)),
        ]


# Files ---------------------------------------------------------------------------------------


def pdf_bytes(text: str = "Surat keterangan lahir") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def pdf_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# Citizen A -----------------------------------------------------------------------------------


def _citizen_a(world: World):
    user = get_user_model().objects.create_user(
        CITIZEN_A["username"],
        email=CITIZEN_A["email"],
        first_name=CITIZEN_A["first_name"],
        last_name=CITIZEN_A["last_name"],
        phone=CITIZEN_A["phone"],
    )
    CitizenProfile.objects.create(
        user=user,
        nik=CITIZEN_A["nik"],
        full_name=f"{CITIZEN_A['first_name']} {CITIZEN_A['last_name']}",
        birth_date=datetime.date(1991, 9, 4),
        sex=Sex.FEMALE,
        address=CITIZEN_A["address"],
        region_code="3578051003",
        phone=CITIZEN_A["phone"],
        email=CITIZEN_A["email"],
    )
    business = BusinessProfile.objects.create(
        nib=BUSINESS_A["nib"],
        name=BUSINESS_A["name"],
        legal_form=LegalForm.CV,
        address=CITIZEN_A["address"],
        region_code="3578051003",
    )
    BusinessRepresentative.objects.create(business=business, user=user, position="Direktur")
    world.objects.update(citizen_a=user, business_a=business)
    world.objects["consent_a"] = consent_record(
        user=user,
        purpose_code="prefill:kelahiran",
        purpose={"id": "Mengisi formulir akta kelahiran", "en": "Filling in the birth form"},
        datasets=["population.person"],
        granted=True,
    )


def _submission(applicant, service_code: str, **fields) -> Submission:
    service = Service.objects.get(code=service_code)
    return Submission.objects.create(
        applicant=applicant, service_version=service.current_version, **fields
    )


def _submitted_case(submission: Submission) -> Case:
    now = timezone.now()
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, now
    submission.tracking = generate()
    submission.save()
    return case_open(
        submission=submission,
        service_version=submission.service_version,
        submitted_at=now,
        actor=submission.applicant,
    )


def _cases_a(world: World, people: dict) -> None:
    citizen = world["citizen_a"]
    officer, supervisor = people["petugas.dukcapil"], people["penyelia.dukcapil"]
    answers = {"child_name": CHILD}

    draft = _submission(citizen, BIRTH, answers=answers)
    world.objects["draft_a"] = draft
    world.objects["draft_document_a"] = document_upload(
        submission=draft,
        field_key="birth_statement_file",
        upload=pdf_upload(DRAFT_FILE),
        actor=citizen,
    )

    # An open case, waiting for the applicant, with messages both ways and an attachment.
    sent = _submission(citizen, BIRTH, answers=answers)
    world.objects["case_document_a"] = document_upload(
        submission=sent,
        field_key="birth_statement_file",
        upload=pdf_upload(CASE_FILE),
        actor=citizen,
    )
    case = _submitted_case(sent)
    case = case_transition(case=case, actor=officer, to="verifikasi")
    case = case_transition(
        case=case, actor=officer, to="perlu_data", data={"message": OFFICER_MESSAGE}
    )
    reply = message_post(case=case, actor=citizen, body=CITIZEN_MESSAGE)
    world.objects["attachment_a"] = document_attach_to_message(
        case=case, message=reply, upload=pdf_upload(ATTACHMENT), actor=citizen
    )
    message_post(case=case, actor=officer, body=INTERNAL_NOTE, internal=True)
    world.objects.update(submission_a=sent, case_a=case)

    # A case that ended with its outcome document, and the survey about it.
    closed = _submitted_case(_submission(citizen, BIRTH, answers=answers, business=None))
    closed = case_transition(case=closed, actor=officer, to="verifikasi")
    closed = case_transition(
        case=closed, actor=officer, to="menunggu_tte", data={"note": "Entri selesai."}
    )
    closed = case_transition(
        case=closed, actor=supervisor, to="terbit", data={"document_number": OUTCOME_NUMBER}
    )
    world.objects["closed_case_a"] = closed
    world.objects["outcome_a"] = OutcomeDocument.objects.get(case=closed)
    invitation = invitation_create(case_id=closed.pk)
    world.objects["invitation_a"] = invitation
    # Only the token's hash is kept: the token is in the link of the applicant's notice.
    notice = Notification.objects.get(dedup_key=f"survey:{invitation.pk}")
    world.values["survey_token"] = notice.link.rstrip("/").rsplit("/", 1)[-1]

    # A case of the social office that a community partner delivers.
    food = _submitted_case(_submission(citizen, FOOD, answers={"recipient_name": CHILD}))
    world.objects["partner_case_a"] = case_transition(
        case=food,
        actor=people["petugas.dinsos"],
        to="ditugaskan_mitra",
        data={"partner": PARTNER_A},
    )

    world.objects["suggestion_a"] = Suggestion.objects.create(
        user=citizen,
        life_event=world["life_event"],
        signal="akta-terbit",
        source_case=closed,
        services=[BIRTH],
    )
    world.objects["notification_a"] = notification_send(
        recipient=citizen, kind="uji.akses", title=NOTIFICATION, body=NOTIFICATION, link="/"
    )


def _complaint_a(world: World, people: dict) -> None:
    citizen = world["citizen_a"]
    filed = complaint_services.complaint_file(
        actor=citizen,
        kind=ComplaintKind.COMPLAINT,
        title=COMPLAINT_TITLE,
        body=COMPLAINT_BODY,
        case=world["case_a"],
        confidential=True,
    )
    complaint = complaint_services.complaint_route(
        complaint=filed.complaint,
        actor=people["koordinator.lapor"],
        agency=world["agency_a"],
        note="Mohon ditindaklanjuti.",
    )
    complaint_services.complaint_message_post(
        complaint=complaint, actor=people["petugas.dukcapil"], body=COMPLAINT_REPLY, sender="agency"
    )
    world.objects["complaint_a"] = Complaint.objects.get(pk=complaint.pk)


def _privacy_a(world: World) -> None:
    """Citizen A's request to correct their data, and a breach in the register of the data
    protection officer."""
    from satupintu.privacy import services as privacy_services
    from satupintu.privacy.constants import CorrectableField, DataKind, RequestKind

    officer = get_user_model().objects.create_user(
        "ppdp.uji", email="ppdp.uji@satupintu.example", first_name="Pejabat"
    )
    RoleAssignment.objects.create(user=officer, role=Role.DATA_PROTECTION_OFFICER)
    world.owners["data_protection_officer"] = officer
    world.objects["data_request_a"] = privacy_services.data_request_file(
        requester=world["citizen_a"],
        kind=RequestKind.CORRECTION,
        field=CorrectableField.ADDRESS,
        proposed_value=DATA_REQUEST,
    )
    now = timezone.now()
    world.objects["breach_a"] = privacy_services.breach_record(
        actor=officer,
        facts=privacy_services.BreachFacts(
            title=BREACH,
            discovered_at=now - datetime.timedelta(hours=2),
            description="Surel berisi data pemohon terkirim ke alamat yang salah.",
            data_kinds=[DataKind.CONTACT],
            people_affected=1,
            measures="Penerima diminta menghapus surel.",
        ),
    )


# Employee A ----------------------------------------------------------------------------------


def _learning_a(world: World, people: dict) -> None:
    from tests.learning.factories import (
        ClassSessionFactory,
        CourseFactory,
        EnrolmentFactory,
        LessonFactory,
        make_learner,
        make_staff,
        quiz_with_questions,
    )

    agency, unit = world["agency_a"], world["unit_a"]
    employee = make_learner(
        unit=unit,
        first_name=EMPLOYEE_A["first_name"],
        last_name=EMPLOYEE_A["last_name"],
        email=EMPLOYEE_A["email"],
    )
    EmployeeProfile.objects.filter(user=employee).update(nip=EMPLOYEE_A["nip"])
    employee.refresh_from_db()
    trainer = make_staff(Role.TRAINER, agency=agency)

    classroom = CourseFactory(
        provider=agency, modality=Modality.CLASSROOM, jp=Decimal(8), audience=[agency]
    )
    session = ClassSessionFactory(course=classroom, trainer=trainer)
    booking = learning_services.booking_create(session=session, learner=employee, actor=employee)

    internal = CourseFactory(provider=agency, title_id=COURSE_INTERNAL, audience=[agency])
    lesson = LessonFactory(course=internal, order=1)
    lesson.file.save("bahan-bacaan.pdf", ContentFile(pdf_bytes("Bahan bacaan")), save=True)
    quiz = quiz_with_questions(course=internal, order=2)
    enrolment = EnrolmentFactory(learner=employee, course=internal)

    needs_approval = CourseFactory(provider=agency, requires_approval=True, audience=[agency])
    request = learning_services.enrolment_create(learner=employee, course=needs_approval)
    coaching = EnrolmentFactory(
        learner=employee, course=CourseFactory(provider=agency, modality=Modality.COACHING)
    )
    done = EnrolmentFactory(learner=employee, course=CourseFactory(provider=agency))
    learning_services.enrolment_complete(enrolment=done)
    claim = learning_services.claim_create(
        learner=employee,
        title=CLAIM_TITLE,
        provider="LAN RI",
        completed_on=timezone.localdate() - datetime.timedelta(days=3),
        jp=Decimal(10),
        certificate=pdf_upload("sertifikat-larasmaya.pdf"),
        actor=employee,
    )
    from tests.learning.factories import CompetencyFactory, assess

    competency = CompetencyFactory(agency=agency)
    assess(employee, competency, 2)
    world.objects["competency_a"] = competency
    world.objects.update(
        employee_a=employee,
        employee_profile_a=employee.employee,
        trainer_a=trainer,
        course_a=internal,
        lesson_a=lesson,
        quiz_a=quiz,
        enrolment_a=enrolment,
        classroom_a=classroom,
        session_a=ClassSession.objects.get(pk=session.pk),
        booking_a=booking,
        request_a=request,
        coaching_a=coaching,
        certificate_a=Certificate.objects.get(enrolment=done),
        claim_a=claim,
    )
    # The unit head and HR of agency A, so that what they would see exists.
    world.objects["head_a"] = people["kabid.dukcapil"]
    world.objects["hr_a"] = people["sdm.dukcapil"]


# Agency B ------------------------------------------------------------------------------------


def _actors_b(world: World, people: dict) -> None:
    from tests.learning.factories import make_learner, make_staff

    agency, unit = world["agency_b"], world["unit_b"]
    partner_user = get_user_model().objects.create_user(
        "mitra.tegalsari", email="pkk.tegalsari@contoh.id", first_name="Wiwik"
    )
    RoleAssignment.objects.create(
        user=partner_user, role=Role.PARTNER, partner=Partner.objects.get(code=PARTNER_B)
    )
    world.actors.update(
        {
            "citizen_b": people["warga2"],
            "officer_b": people["petugas.dpmptsp"],
            "supervisor_b": people["penyelia.dpmptsp"],
            "admin_b": people["admin.dpmptsp"],
            "employee_b": make_learner(unit=unit),
            "hr_b": make_staff(Role.HR, agency=agency),
            "unit_head_b": make_staff(Role.UNIT_HEAD, unit=unit),
            "trainer_b": make_staff(Role.TRAINER, agency=agency),
            "partner_b": partner_user,
        }
    )
    _key, world.keys["api_key_b"] = api_key_create(agency=agency, name="Sistem B", actor=None)


def world_build() -> World:
    """Make the world; the catalogue must be loaded already."""
    demo_people_load()
    people = {user.username: user for user in get_user_model().objects.all()}
    world = World()
    world.objects.update(
        agency_a=Agency.objects.get(code=AGENCY_A),
        unit_a=Unit.objects.get(agency__code=AGENCY_A, code=UNIT_A),
        agency_b=Agency.objects.get(code=AGENCY_B),
        unit_b=Unit.objects.get(agency__code=AGENCY_B, code=UNIT_B),
    )
    world.objects.update(
        service_a=Service.objects.get(code=BIRTH),
        business_service=Service.objects.get(code=BUSINESS_SERVICE),
        life_event=LifeEvent.objects.filter(is_active=True).order_by("code").first(),
    )
    # A survey link that nobody was given.
    world.values["survey_token_guess"] = "bukan-token-siapa-pun-" + "x" * 21
    _citizen_a(world)
    _cases_a(world, people)
    _complaint_a(world, people)
    _privacy_a(world)
    _learning_a(world, people)
    _actors_b(world, people)
    key_a, world.keys["api_key_a"] = api_key_create(
        agency=world["agency_a"], name="Sistem SIAK 7751", actor=None
    )
    world.objects["api_key_a"] = key_a
    world.owners.update(
        {
            "citizen_a": world["citizen_a"],
            "officer_a": people["petugas.dukcapil"],
            "supervisor_a": people["penyelia.dukcapil"],
            "coordinator": people["koordinator.lapor"],
            "partner_a": people["mitra.wonokromo"],
            "employee_a": world["employee_a"],
            "hr_a": people["sdm.dukcapil"],
            "head_a": people["kabid.dukcapil"],
            "trainer_a": world["trainer_a"],
        }
    )

    submissions = [world["draft_a"], world["submission_a"], world["closed_case_a"].submission]
    world.markers = [
        CITIZEN_A["first_name"],
        CITIZEN_A["last_name"],
        CITIZEN_A["email"],
        CITIZEN_A["phone"],
        CITIZEN_A["nik"],
        CITIZEN_A["address"],
        CITIZEN_A["username"],
        EMPLOYEE_A["first_name"],
        EMPLOYEE_A["last_name"],
        EMPLOYEE_A["email"],
        EMPLOYEE_A["nip"],
        BUSINESS_A["name"],
        BUSINESS_A["nib"],
        CHILD,
        DRAFT_FILE,
        CASE_FILE,
        ATTACHMENT,
        OFFICER_MESSAGE,
        CITIZEN_MESSAGE,
        INTERNAL_NOTE,
        OUTCOME_NUMBER,
        COMPLAINT_TITLE,
        COMPLAINT_BODY,
        COMPLAINT_REPLY,
        NOTIFICATION,
        CLAIM_TITLE,
        DATA_REQUEST,
        BREACH,
        "Sistem SIAK 7751",
        *[submission.tracking for submission in submissions if submission.tracking],
        world["complaint_a"].tracking,
        world["data_request_a"].tracking,
        world["breach_a"].tracking,
    ]
    return world
