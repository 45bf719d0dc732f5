"""The tables behind ``tests/test_access_matrix.py``: for every page of the site and every
operation of the JSON API, what its address names and what the people of agency B may do
with it.

- ``target(...)``: the address (or the body) names records of citizen A or employee A. Each
  URL parameter maps to a record of the world (``"case_a"``, or ``"submission_a.tracking"``
  for another attribute than the one the parameter is named after). Every actor is refused:
  401, 403 or 404 (a page may also send an anonymous visitor to sign in), and nothing of A's
  world changes. ``owner`` names who may reach it, to prove that the address is right.
- ``scoped(reason)``: the address names nothing of A's; the answer is the caller's own (their
  inbox, their queue, a form). It may answer, but must show nothing of A's; a body that names
  A's records must change nothing of them.
- ``public(reason)``: open to everyone (the catalogue, the performance figures, sign-in); it
  must show nothing of A's either.

A page is keyed by its URL name, an operation by ``"METHOD /api/v1/path"``. A target page is
tried with GET and POST, any other page with GET, and with POST too when it has a body
(``methods`` says otherwise, with the reason). A body is a dict, or a
function of the world that returns one; a file in a body is sent as an upload.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access_matrix_world import EMPLOYEE_A, OUTCOME_NUMBER, World, pdf_bytes

TARGET, SCOPED, PUBLIC = "target", "scoped", "public"
PAGE_METHODS = ("GET", "POST")


@dataclass(frozen=True)
class Entry:
    kind: str
    params: dict[str, str] = field(default_factory=dict)
    body: dict | Callable[[World], dict] | None = None
    reason: str = ""
    owner: str = ""
    methods: tuple[str, ...] = PAGE_METHODS
    # Markers that this public page shows by design (say why in ``reason``).
    shows: tuple[str, ...] = ()
    # Where a page sends an anonymous visitor instead of the sign-in page.
    sign_in: str = ""

    def data(self, world: World) -> dict:
        body = self.body(world) if callable(self.body) else self.body
        return dict(body or {})


def target(
    owner: str = "", body=None, methods=PAGE_METHODS, sign_in: str = "", **params: str
) -> Entry:
    return Entry(TARGET, params, body, owner=owner, methods=methods, sign_in=sign_in)


def scoped(reason: str, body=None, methods=None, owner: str = "", **params) -> Entry:
    methods = methods or (PAGE_METHODS if body is not None else ("GET",))
    return Entry(SCOPED, params, body, reason, owner=owner, methods=methods)


def public(reason: str, body=None, methods=None, shows=(), **params) -> Entry:
    methods = methods or (PAGE_METHODS if body is not None else ("GET",))
    return Entry(PUBLIC, params, body, reason, methods=methods, shows=shows)


# Bodies --------------------------------------------------------------------------------------


def pdf(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def today(days: int = 0) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def uuid_of(name: str) -> Callable[[World], str]:
    return lambda world: str(world[name].public_id)


# What a form of the site may ask for, with every reference pointing at A's records: a page
# that takes one of these must refuse it, whatever else it asks.
def form_body(world: World) -> dict:
    return {
        "body": "Uji akses.",
        "message": "Uji akses.",
        "reason": "Uji akses.",
        "note": "Uji akses.",
        "title": "Uji akses",
        "provider": "Uji",
        "decision": "approve",
        "approve": "1",
        "publish": "1",
        "up": "1",
        "action": "send",
        "audience": "applicant",
        "transition": "0",
        "version": str(world["case_a"].version),
        "document_number": "UJI-1",
        "to": "verifikasi",
        "assignee": str(world.owners["officer_a"].pk),
        "unit": str(world["unit_a"].pk),
        "agency": world["agency_a"].code,
        "code": world["course_a"].code,
        "course": world["course_a"].code,
        "nip": EMPLOYEE_A["nip"],
        "nips": EMPLOYEE_A["nip"],
        "learners": [str(world["employee_a"].pk)],
        "competency": world["competency_a"].code,
        "level": "3",
        "assessed_on": today(-1),
        "due_on": today(30),
        "present": [str(world["booking_a"].public_id)],
        "service": world["service_a"].code,
    }


def complaint_filing(world: World) -> dict:
    return {
        "kind": "complaint",
        "subject": f"case:{world['case_a'].public_id}",
        "title": "Uji akses",
        "body": "Uji akses.",
    }


def assessment(world: World) -> dict:
    return {
        "nip": EMPLOYEE_A["nip"],
        "competency": world["competency_a"].code,
        "level": 3,
        "assessed_on": today(-1),
        "source": "entered",
    }


def assessment_import(world: World) -> dict:
    from satupintu.talent.services import import_template

    header = import_template().splitlines()[0]
    columns = {"nip": EMPLOYEE_A["nip"], "kompetensi": world["competency_a"].code}
    row = ",".join(columns.get(name.strip().lower(), "3") for name in header.split(","))
    content = f"{header}\n{row}\n".encode()
    return {"file": SimpleUploadedFile("penilaian.csv", content, content_type="text/csv")}


# Pages ---------------------------------------------------------------------------------------

OWN = "the caller's own records only"
STAFF_LIST = "a list of what the caller's own agency or unit handles"
EXPORT = "an export of the caller's own agency or unit"
CATALOGUE = "the public catalogue"
FIGURES = "public performance figures, without people"

PAGES: dict[str, Entry] = {
    "set_language": public("the language switch", body={"language": "en", "next": "/"}),
    "favicon": public("a redirect to the site's icon"),
    # Accounts
    "accounts:login": public(
        "sign-in", body={"username": "bukan.siapa.siapa", "password": "salah-sekali"}
    ),
    "accounts:logout": scoped("signs the caller out", body={}),
    "accounts:signup": public(
        "a citizen creates an account; another person's NIK is refused",
        body=lambda world: {
            "full_name": "Orang Baru",
            "email": "orang.baru@contoh.id",
            "nik": world.owners["citizen_a"].citizen.nik,
            "birth_date": "1991-09-04",
            "sex": "F",
            "phone": "081200000000",
            "password1": "kata-sandi-yang-panjang-1",
            "password2": "kata-sandi-yang-panjang-1",
        },
    ),
    "accounts:profile": scoped(OWN),
    "accounts:consent_withdraw": target("citizen_a", public_id="consent_a"),
    "accounts:privacy": public("the privacy notice", methods=("GET",)),
    "accounts:my_data": scoped(OWN),
    "accounts:my_data_download": scoped(OWN),
    "accounts:second_factor_verify": scoped("the caller's own second factor"),
    "accounts:second_factor_setup": scoped("the caller's own second factor"),
    "accounts:second_factor_manage": scoped("the caller's own second factor"),
    "accounts:recovery_codes": scoped("the caller's own recovery codes"),
    # Cases: the citizen's pages
    "cases:apply": scoped(
        "starts the caller's own application; a business they do not represent is refused",
        body=lambda world: {"applicant": str(world["business_a"].public_id)},
        owner="citizen_a",
        code="business_service",
    ),
    "cases:draft": target("citizen_a", body=form_body, public_id="draft_a"),
    "cases:review": target("citizen_a", body=form_body, public_id="draft_a"),
    "cases:submitted": target("citizen_a", public_id="submission_a"),
    "cases:my_document": target(
        "citizen_a", public_id="submission_a", document_id="case_document_a"
    ),
    "cases:draft_delete": target("citizen_a", public_id="draft_a"),
    "cases:my_services": scoped(OWN),
    "cases:case": target("citizen_a", body=form_body, public_id="case_a"),
    "cases:my_outcome": target("citizen_a", public_id="closed_case_a"),
    "cases:life_event_apply": scoped(
        "starts the caller's own application for a life event",
        body=lambda world: {"applicant": str(world["business_a"].public_id), "registry": "no"},
        code="life_event",
    ),
    "cases:suggestion": target("citizen_a", body={"action": "dismiss"}, public_id="suggestion_a"),
    # Cases: officers
    "cases:queue": scoped(STAFF_LIST),
    "cases:workload": scoped(STAFF_LIST),
    "cases:officer_case": target("officer_a", body=form_body, public_id="case_a"),
    "cases:officer_claim": target("officer_a", body=form_body, public_id="case_a"),
    "cases:officer_transition": target("officer_a", body=form_body, public_id="case_a"),
    "cases:officer_message": target("officer_a", body=form_body, public_id="case_a"),
    "cases:officer_assign": target("supervisor_a", body=form_body, public_id="case_a"),
    "cases:officer_forward": target("officer_a", body=form_body, public_id="case_a"),
    "cases:officer_outcome": target("officer_a", body=form_body, public_id="closed_case_a"),
    "cases:officer_outcome_revoke": target(
        "supervisor_a", body=form_body, public_id="closed_case_a"
    ),
    "cases:officer_document": target(
        "officer_a", public_id="case_a", document_id="case_document_a"
    ),
    # Cases: partners
    "cases:partner_tasks": scoped(STAFF_LIST),
    "cases:partner_task": target("partner_a", public_id="partner_case_a"),
    "cases:partner_step": target("partner_a", body=form_body, public_id="partner_case_a"),
    # Outcome documents are checked by the code printed on them.
    "cases:verify": public(
        "the verification form: a code leads to its own page",
        body=lambda world: {"code": world["outcome_a"].verification_code},
    ),
    "cases:verify_code": public(
        "whoever holds an outcome document may check its code; the page says whether it is "
        "valid and which document number it has, and shows no personal data",
        code="outcome_a.verification_code",
        shows=(OUTCOME_NUMBER,),
    ),
    # Satisfaction surveys and reports
    "feedback:survey_done": public("a thank-you text", methods=("GET",)),
    "feedback:survey": public(
        "the survey of a link: the token is the credential, and the page names the service "
        "only. Answering with somebody else's link is not tried (whoever holds a link may "
        "answer it); the API's POST is tried with a made-up token",
        methods=("GET",),
        token="survey_token",
    ),
    "feedback:counter": scoped(
        "the counter survey of the caller's own agency; another agency's service is refused",
        body=lambda world: {"service": world["service_a"].code, "U1": "4", "U2": "4"},
    ),
    "feedback:reports": scoped(EXPORT),
    "feedback:report_csv": scoped(EXPORT),
    "feedback:report_xlsx": scoped(EXPORT),
    "feedback:report_pdf": scoped(EXPORT),
    "feedback:followup": scoped(
        "the follow-up plan of the caller's own agency",
        body=lambda world: {"service": world["service_a"].code, "plan": "Uji akses."},
    ),
    "feedback:performance": public(FIGURES, methods=("GET",)),
    "feedback:agency_performance": public(FIGURES, methods=("GET",), code="agency_a"),
    # Complaints
    "complaints:file": public(
        "anyone may file a report; another person's case is not offered",
        body=complaint_filing,
    ),
    "complaints:follow": public(
        "a report opens with its number and its follow-up code only",
        body=lambda world: {"tracking": world["complaint_a"].tracking, "code": "ABCD-2345"},
    ),
    "complaints:mine": scoped(OWN),
    "complaints:public": public(
        "published reports, never confidential ones, without names", methods=("GET",)
    ),
    # Without an account, a report opens with its number and follow-up code.
    "complaints:complaint": target(
        "citizen_a", body=form_body, sign_in="complaints:follow", tracking="complaint_a"
    ),
    "complaints:coordinator_queue": scoped(STAFF_LIST),
    "complaints:coordinator_complaint": target(
        "coordinator", body=form_body, tracking="complaint_a"
    ),
    "complaints:coordinator_route": target("coordinator", body=form_body, tracking="complaint_a"),
    "complaints:coordinator_reject": target("coordinator", body=form_body, tracking="complaint_a"),
    "complaints:coordinator_request": target("coordinator", body=form_body, tracking="complaint_a"),
    "complaints:coordinator_message": target("coordinator", body=form_body, tracking="complaint_a"),
    "complaints:agency_queue": scoped(STAFF_LIST),
    "complaints:agency_complaint": target("officer_a", body=form_body, tracking="complaint_a"),
    "complaints:agency_follow_up": target("officer_a", body=form_body, tracking="complaint_a"),
    "complaints:agency_message": target("officer_a", body=form_body, tracking="complaint_a"),
    "complaints:complaint_close": target(
        "citizen_a", sign_in="complaints:follow", tracking="complaint_a"
    ),
    "complaints:export": scoped(EXPORT),
    # Competencies
    "talent:mine": scoped(OWN),
    "talent:framework": scoped("the competency framework, the same for every employee"),
    "talent:competency": scoped(
        "one competency of the framework, without anybody's assessment", code="competency_a"
    ),
    "talent:assessment_new": scoped(
        "records an assessment; an employee of another agency is refused",
        body=assessment,
        owner="hr_a",
    ),
    "talent:import": scoped(
        "imports assessments; an employee of another agency is refused",
        body=assessment_import,
        owner="hr_a",
    ),
    "talent:import_template": scoped("an empty template"),
    "talent:employee": target("hr_a", public_id="employee_profile_a"),
    "talent:unit": scoped(STAFF_LIST),
    # Learn: learners
    "learning:home": scoped(OWN),
    "learning:catalogue": scoped(CATALOGUE),
    "learning:course": scoped(
        "a course's page (for the agencies it is open to): what it teaches, never who takes it",
        code="course_a",
    ),
    "learning:enrol": target("hr_a", code="course_a"),
    "learning:cancel": target("employee_a", code="course_a"),
    "learning:lesson": target("employee_a", code="course_a", public_id="lesson_a"),
    "learning:lesson_done": target("employee_a", code="course_a", public_id="lesson_a"),
    "learning:quiz": target("employee_a", body=form_body, code="course_a", public_id="quiz_a"),
    "learning:lesson_file": target("employee_a", code="course_a", public_id="lesson_a"),
    "learning:path": scoped("the courses that build a competency", code="competency_a"),
    "learning:certificates": scoped(OWN),
    "learning:certificate_download": target("employee_a", public_id="certificate_a"),
    "learning:session": scoped(
        "a session's time, place and free seats, without its participants",
        public_id="session_a",
    ),
    "learning:booking_create": target("hr_a", public_id="session_a"),
    "learning:booking_cancel": target("employee_a", public_id="session_a"),
    "learning:booking_ical": target("employee_a", public_id="session_a"),
    "learning:my_calendar": scoped(OWN),
    "learning:check_in": scoped(
        "checks the caller in with the code shown in the room: only their own booking "
        "counts, and without one they are refused",
        owner="employee_a",
        token="session_a.checkin_token",
    ),
    "learning:claims": scoped(OWN),
    "learning:claim_create": scoped(
        "the caller claims their own learning",
        body=lambda world: {
            "title": "Uji akses",
            "provider": "LAN RI",
            "completed_on": today(-3),
            "jp": "2",
            "certificate": pdf(),
        },
    ),
    "learning:claim_certificate": target("employee_a", public_id="claim_a"),
    # Learn: trainers, unit heads and HR
    "learning:trainer_sessions": scoped(STAFF_LIST),
    "learning:trainer_session": target("trainer_a", public_id="session_a"),
    "learning:trainer_session_qr": target("trainer_a", public_id="session_a"),
    "learning:attendance_mark": target("trainer_a", body=form_body, public_id="session_a"),
    "learning:unit_home": scoped(STAFF_LIST),
    "learning:unit_decide": target("head_a", body=form_body, public_id="request_a"),
    "learning:unit_confirm": target("head_a", body=form_body, public_id="coaching_a"),
    "learning:unit_assign": scoped(
        "assigns a course to the unit's own employees; others are refused",
        body=form_body,
        owner="head_a",
    ),
    "learning:unit_compliance": scoped(STAFF_LIST),
    "learning:unit_compliance_csv": scoped(EXPORT),
    "learning:unit_compliance_xlsx": scoped(EXPORT),
    "learning:hr_home": scoped(STAFF_LIST),
    "learning:hr_requests": scoped(STAFF_LIST),
    "learning:hr_decide": target("hr_a", body=form_body, public_id="request_a"),
    "learning:hr_confirm": target("hr_a", body=form_body, public_id="coaching_a"),
    "learning:hr_courses": scoped(STAFF_LIST),
    "learning:hr_course_create": scoped("a new course of the caller's own agency", body=form_body),
    "learning:hr_course": target("hr_a", body=form_body, code="course_a"),
    "learning:hr_course_publish": target("hr_a", body=form_body, code="course_a"),
    "learning:hr_lesson_create": target("hr_a", body=form_body, code="course_a"),
    "learning:hr_lesson": target("hr_a", body=form_body, code="course_a", public_id="lesson_a"),
    "learning:hr_lesson_move": target(
        "hr_a", body=form_body, code="course_a", public_id="lesson_a"
    ),
    "learning:hr_session_create": target("hr_a", body=form_body, code="classroom_a"),
    "learning:hr_sessions": scoped(STAFF_LIST),
    "learning:hr_session_cancel": target("hr_a", body=form_body, public_id="session_a"),
    "learning:hr_assign": scoped(
        "assigns a course to the agency's own employees; others are refused",
        body=form_body,
        owner="hr_a",
    ),
    "learning:hr_claims": scoped(STAFF_LIST),
    "learning:hr_claim": target("hr_a", public_id="claim_a"),
    "learning:hr_compliance": scoped(STAFF_LIST),
    "learning:hr_compliance_csv": scoped(EXPORT),
    "learning:hr_compliance_xlsx": scoped(EXPORT),
    "learning:manage_home": scoped("sends staff to their own pages"),
    # Notifications
    "notifications:inbox": scoped(OWN),
    "notifications:mark_all_read": scoped(OWN, body={}),
    "notifications:mark_read": target("citizen_a", public_id="notification_a"),
    # Data protection: a person's requests, and the data protection officer's pages
    "privacy:my_requests": scoped(OWN),
    "privacy:request_new": scoped(
        "files the caller's own request",
        body={"field": "address", "proposed_value": "Jl. Uji No. 1", "reason": "Uji akses."},
        kind="=koreksi",
    ),
    "privacy:my_request": target("citizen_a", tracking="data_request_a"),
    "privacy:queue": scoped(STAFF_LIST),
    "privacy:request": target("data_protection_officer", body=form_body, tracking="data_request_a"),
    "privacy:request_correct": target(
        "data_protection_officer", body=form_body, tracking="data_request_a"
    ),
    "privacy:request_erase": target(
        "data_protection_officer", body=form_body, tracking="data_request_a"
    ),
    "privacy:request_refuse": target(
        "data_protection_officer", body=form_body, tracking="data_request_a"
    ),
    "privacy:breaches": scoped(STAFF_LIST),
    "privacy:breach_new": scoped("records a breach", body=form_body),
    "privacy:breach": target("data_protection_officer", tracking="breach_a"),
    "privacy:breach_edit": target("data_protection_officer", body=form_body, tracking="breach_a"),
    "privacy:breach_notify": target("data_protection_officer", body=form_body, tracking="breach_a"),
    "privacy:breach_notice": target("data_protection_officer", tracking="breach_a"),
    # The catalogue
    "catalog:home": public(CATALOGUE, methods=("GET",)),
    "catalog:services": public(CATALOGUE, methods=("GET",)),
    "catalog:service": public(CATALOGUE, methods=("GET",), code="service_a"),
    "catalog:life_event": public(CATALOGUE, methods=("GET",), code="life_event"),
    "catalog:agencies": public(CATALOGUE, methods=("GET",)),
    "catalog:agency": public(CATALOGUE, methods=("GET",), code="agency_a"),
    # The learning record store answers only its clients' HTTP Basic credentials, which no
    # person's session is.
    "lrs:statements": target(),
    "lrs:state": target(),
    "lrs:activity_profile": target(),
    "lrs:activities": target(),
    "lrs:agent_profile": target(),
    "lrs:agents": target(),
    "lrs:about": public("the versions the LRS speaks", methods=("GET",)),
    "lrs:unknown": public("no such resource", body={}, rest="=uji"),
}

# Parts of the URLconf that are not walked, and why.
NOT_WALKED = {
    "admin/": "the Django admin: its own scoping is tested in tests/accounts/test_admin_scoping.py",
    "api/": "the JSON API is walked through its OpenAPI schema (OPERATIONS below)",
    "oidc/": "the identity provider's sign-in, off in tests",
    "static/": "static files",
}


# The JSON API --------------------------------------------------------------------------------


def submission_for_business(world: World) -> dict:
    return {
        "service": world["business_service"].code,
        "business": str(world["business_a"].public_id),
    }


OPERATIONS: dict[str, Entry] = {
    "GET /api/v1/ping": public("the health check"),
    "GET /api/v1/services": public(CATALOGUE),
    "GET /api/v1/services/{code}": public(CATALOGUE, code="service_a"),
    "GET /api/v1/life-events": public(CATALOGUE),
    "GET /api/v1/life-events/{code}": public(CATALOGUE, code="life_event"),
    "GET /api/v1/agencies": public(CATALOGUE),
    "POST /api/v1/submissions": scoped(
        "sends the caller's own application; a business they do not represent is refused",
        body=submission_for_business,
        owner="citizen_a",
    ),
    "GET /api/v1/submissions/{tracking}": target("citizen_a", tracking="submission_a.tracking"),
    "GET /api/v1/my/cases": scoped(OWN),
    "GET /api/v1/cases": scoped(STAFF_LIST),
    "GET /api/v1/cases/{id}": target("officer_a", id="case_a"),
    "POST /api/v1/cases/{id}/transitions": target(
        "officer_a", body={"to": "verifikasi", "message": "Uji akses."}, id="case_a"
    ),
    "POST /api/v1/cases/{id}/messages": target(
        "citizen_a", body={"body": "Uji akses."}, id="case_a"
    ),
    "POST /api/v1/drafts": scoped(
        "starts the caller's own draft; a business they do not represent is refused",
        body=submission_for_business,
        owner="citizen_a",
    ),
    "PUT /api/v1/drafts/{id}": target(
        "citizen_a", body={"answers": {"child_name": "Uji"}}, id="draft_a"
    ),
    "POST /api/v1/drafts/{id}/documents": target(
        "citizen_a",
        body=lambda world: {"field": "birth_statement_file", "file": pdf()},
        id="draft_a",
    ),
    "POST /api/v1/drafts/{id}/submit": target("citizen_a", id="draft_a"),
    "POST /api/v1/life-events/{code}/evaluate": public(
        "evaluates answers that the caller gives, storing nothing",
        body={"answers": {}},
        code="life_event",
    ),
    "POST /api/v1/life-events/{code}/submissions": scoped(
        "starts the caller's own application; another person's suggestion is refused",
        body=lambda world: {"answers": {}, "suggestion": str(world["suggestion_a"].public_id)},
        code="life_event",
    ),
    "GET /api/v1/my/suggestions": scoped(OWN),
    "GET /api/v1/partner/tasks": scoped(STAFF_LIST),
    "GET /api/v1/partner/tasks/{id}": target("partner_a", id="partner_case_a"),
    "POST /api/v1/partner/tasks/{id}/transitions": target(
        "partner_a",
        body=lambda world: {"to": "diterima_mitra", "version": world["partner_case_a"].version},
        id="partner_case_a",
    ),
    "POST /api/v1/partner/tasks/{id}/transitions/with-file": target(
        "partner_a",
        body=lambda world: {
            "to": "diterima_mitra",
            "version": world["partner_case_a"].version,
            "file": pdf(),
        },
        id="partner_case_a",
    ),
    "GET /api/v1/ikm": scoped(EXPORT),
    "GET /api/v1/surveys/{token}": public(
        "the survey of a link: the token is the credential; it names the service only",
        token="survey_token",
    ),
    "POST /api/v1/surveys/{token}": target(body={"answers": {"U1": 4}}, token="survey_token_guess"),
    "GET /api/v1/agency/complaints": scoped(STAFF_LIST),
    "GET /api/v1/agency/complaints/{tracking}": target("officer_a", tracking="complaint_a"),
    "POST /api/v1/agency/complaints/{tracking}/follow-up": target(
        "officer_a", body={"body": "Uji akses."}, tracking="complaint_a"
    ),
    "POST /api/v1/agency/complaints/{tracking}/messages": target(
        "officer_a", body={"body": "Uji akses."}, tracking="complaint_a"
    ),
    "POST /api/v1/complaints": scoped(
        "files the caller's own report; another person's case is refused",
        body=lambda world: {
            "kind": "complaint",
            "title": "Uji akses",
            "body": "Uji akses.",
            "case": str(world["case_a"].public_id),
        },
        owner="citizen_a",
    ),
    "GET /api/v1/complaints/{tracking}": target("citizen_a", tracking="complaint_a"),
    "POST /api/v1/complaints/{tracking}/messages": target(
        "citizen_a", body={"body": "Uji akses."}, tracking="complaint_a"
    ),
    "POST /api/v1/complaints/{tracking}/close": target("citizen_a", tracking="complaint_a"),
    "GET /api/v1/my/complaints": scoped(OWN),
    "GET /api/v1/me/data": scoped(OWN),
    "GET /api/v1/me/data-requests": scoped(OWN),
    "POST /api/v1/me/data-requests": scoped(
        "files the caller's own request",
        body={"kind": "correction", "field": "address", "proposed_value": "Jl. Uji No. 1"},
    ),
    "GET /api/v1/me/data-requests/{reference}": target(
        "citizen_a", reference="data_request_a.tracking"
    ),
    "GET /api/v1/learning/competencies": scoped("the competency framework"),
    "GET /api/v1/learning/competencies/{code}": scoped(
        "one competency of the framework", code="competency_a"
    ),
    "GET /api/v1/learning/positions": scoped("the positions of the framework"),
    "GET /api/v1/learning/me/competencies": scoped(OWN),
    "POST /api/v1/learning/assessments": scoped(
        "records an assessment; an employee of another agency is refused",
        body=assessment,
        owner="hr_a",
    ),
    "GET /api/v1/learning/courses": public(CATALOGUE),
    "GET /api/v1/learning/courses/{code}": public(CATALOGUE, code="course_a"),
    "GET /api/v1/learning/paths/{competency}": public(CATALOGUE, competency="competency_a"),
    "GET /api/v1/learning/sessions/{id}": public(
        "a session's time, place and free seats", id="session_a"
    ),
    "GET /api/v1/learning/me": scoped(OWN),
    "GET /api/v1/learning/me/enrolments": scoped(OWN),
    "POST /api/v1/learning/me/enrolments": scoped(
        "enrols the caller; a course only for another agency is refused",
        body=lambda world: {"course": world["course_a"].code},
    ),
    "GET /api/v1/learning/me/enrolments/{id}": target("employee_a", id="enrolment_a"),
    "POST /api/v1/learning/me/enrolments/{id}/cancel": target("employee_a", id="enrolment_a"),
    "GET /api/v1/learning/me/enrolments/{id}/lessons/{lesson}": target(
        "employee_a", id="enrolment_a", lesson="lesson_a"
    ),
    "POST /api/v1/learning/me/enrolments/{id}/lessons/{lesson}/complete": target(
        "employee_a", id="enrolment_a", lesson="lesson_a"
    ),
    "POST /api/v1/learning/me/enrolments/{id}/lessons/{lesson}/attempts": target(
        "employee_a", body={"answers": {}}, id="enrolment_a", lesson="quiz_a"
    ),
    "GET /api/v1/learning/me/bookings": scoped(OWN),
    "POST /api/v1/learning/me/bookings": scoped(
        "books the caller; a session only for another agency is refused",
        body=lambda world: {"session": str(world["session_a"].public_id)},
    ),
    "POST /api/v1/learning/me/bookings/{session}/cancel": target("employee_a", session="session_a"),
    "GET /api/v1/learning/me/jp": scoped(OWN),
    "GET /api/v1/learning/me/certificates": scoped(OWN),
    "GET /api/v1/learning/me/claims": scoped(OWN),
    "POST /api/v1/learning/me/claims": scoped(
        "the caller claims their own learning",
        body=lambda world: {
            "title": "Uji akses",
            "provider": "LAN RI",
            "completed_on": today(-3),
            "jp": "2",
            "certificate": pdf(),
        },
    ),
    "GET /api/v1/learning/trainer/sessions": scoped(STAFF_LIST),
    "GET /api/v1/learning/trainer/sessions/{id}": target("trainer_a", id="session_a"),
    "POST /api/v1/learning/trainer/sessions/{id}/attendance": target(
        "trainer_a",
        body=lambda world: {"present": [str(world["booking_a"].public_id)]},
        id="session_a",
    ),
    "GET /api/v1/learning/approvals": scoped(STAFF_LIST),
    "POST /api/v1/learning/approvals/{id}": target(
        "head_a", body={"approve": True}, id="request_a"
    ),
    "POST /api/v1/learning/assignments": scoped(
        "assigns a course to the caller's own employees; others are refused",
        body=lambda world: {"course": world["course_a"].code, "employees": [EMPLOYEE_A["nip"]]},
        owner="hr_a",
    ),
    "GET /api/v1/learning/confirmations": scoped(STAFF_LIST),
    "POST /api/v1/learning/confirmations/{id}": target("head_a", id="coaching_a"),
    "GET /api/v1/learning/claims": scoped(STAFF_LIST),
    "POST /api/v1/learning/claims/{id}/decision": target(
        "hr_a", body={"approve": True}, id="claim_a"
    ),
    "GET /api/v1/learning/compliance": scoped(STAFF_LIST),
    "GET /api/v1/learning/compliance/behind": scoped(STAFF_LIST),
}
