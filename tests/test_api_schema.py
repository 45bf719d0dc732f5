"""The whole JSON API against its own OpenAPI schema (issue: "property-based API testing of the
whole OpenAPI schema in CI: no 500 and no response that breaks its schema").

Every operation of ``/api/v1/openapi.json`` is called with input that schemathesis generates
from the schema — valid and invalid — and each generated request is sent by four callers in
turn: nobody, a signed-in citizen (session cookie and CSRF token), an officer signed in with a
session, and an agency's back-end system with an API key. Whatever the input and whoever
calls, the answer is never a server error, its status is one that the operation documents, and
its content type, headers and body are the documented ones.

Generated identifiers rarely name anything, so a small world is seeded (the demo's people,
cases, surveys, complaints and learning) and some of the generated identifiers in paths and
bodies are swapped for real ones: the operations then also answer about things that exist,
of the caller's or of someone else.

The run is deterministic (``derandomize``, no example database) and bounded (``EXAMPLES``
generated requests per operation, each sent by the four callers). Alongside it, plain checks
read the schema itself: the errors that an operation's input can cause are documented, and no
two schemas share a name (a shared name makes the schema describe one of them with the other's
fields). Last, the server errors that the run found stay fixed, each with a test of its own.
"""

import datetime
import os
import secrets
import uuid
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.accounts.services import api_key_create
from satupintu.api import api
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Submission
from satupintu.cases.services import case_transition, submission_draft_save
from satupintu.catalog.models import LifeEvent, Service
from satupintu.complaints.demo import demo_complaints_load
from satupintu.complaints.models import Complaint
from satupintu.demo.cases import demo_life_events_load
from satupintu.demo.people import demo_people_load
from satupintu.feedback.demo import demo_surveys_load
from satupintu.feedback.models import SurveyInvitation
from satupintu.feedback.selectors import token_hash
from satupintu.learning.demo import demo_learning_load
from satupintu.learning.models import ClassSession, Course, Enrolment, LearningClaim, Lesson
from satupintu.organisations.models import Agency, Partner
from satupintu.talent.models import Competency

# Generated requests per operation; each is sent by every caller. A deeper run, locally:
# SATUPINTU_FUZZ_EXAMPLES=200, and SATUPINTU_FUZZ_COVERAGE=1 for schemathesis' coverage phase
# too (each parameter's boundary values, wrong types, undeclared content types), which
# doubles the time.
EXAMPLES = int(os.environ.get("SATUPINTU_FUZZ_EXAMPLES", "10"))
COVERAGE = os.environ.get("SATUPINTU_FUZZ_COVERAGE") == "1"

SCHEMA = schemathesis.openapi.from_dict(
    api.get_openapi_schema(),
    config=schemathesis.Config.from_dict(
        {
            # No examples phase: the schema has none. No stateful phase: it follows links
            # between operations, which the schema does not declare.
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": COVERAGE},
                "stateful": {"enabled": False},
            },
            "generation": {"max-examples": EXAMPLES},
        }
    ),
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

CALLERS = ["nobody", "citizen", "officer", "agency"]
REFUSALS = 3  # answers that show a caller is refused whatever it sends
CITIZEN = "warga"
OFFICER = "petugas.dukcapil"  # Dukcapil Surabaya, unit pencatatan-sipil
AGENCY = "dukcapil-surabaya"
ISOLATION_SUPPORT = "dinsos-surabaya.bantuan-pangan-isolasi"  # a service fulfilled by partners
AUTH_HEADERS = {"authorization", "x-api-key", "cookie"}

# Real identifiers of the seeded world: {path template: [path parameters]} and {body field:
# [values]}. Filled by the `world` fixture, read while cases are drawn.
KNOWN_PATHS: dict[str, list[dict[str, str]]] = {}
KNOWN_FIELDS: dict[str, list[Any]] = {}


@SCHEMA.hook
def flatmap_path_parameters(context, path_parameters):
    known = KNOWN_PATHS.get(context.operation.path) if context.operation else None
    if not known:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(known).map(lambda real: {**path_parameters, **real}),
    )


@SCHEMA.hook
def flatmap_body(context, body):
    if not isinstance(body, dict):
        return st.just(body)
    fields = [name for name in body if KNOWN_FIELDS.get(name)]
    if not fields:
        return st.just(body)
    real = st.fixed_dictionaries({name: st.sampled_from(KNOWN_FIELDS[name]) for name in fields})
    return st.one_of(st.just(body), real.map(lambda values: {**body, **values}))


# The world ---------------------------------------------------------------------------------


def _some(queryset, field: str, count: int = 4) -> list[str]:
    return [str(value) for value in queryset.order_by("pk").values_list(field, flat=True)[:count]]


def _survey_token() -> list[str]:
    """A survey link's token: only its hash is stored, so one invitation is made here."""
    case = Case.objects.filter(closed_at__isnull=False, survey_invitation__isnull=True).first()
    if case is None:
        return []
    token = secrets.token_urlsafe(32)
    SurveyInvitation.objects.create(
        case=case,
        service=case.service,
        unit=case.unit,
        agency=case.agency,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    return [token]


def _known_identifiers() -> None:
    services = _some(Service.objects.filter(code__startswith=AGENCY), "code") + _some(
        Service.objects.exclude(code__startswith=AGENCY), "code", 2
    )
    events = _some(LifeEvent.objects, "code")
    cases = _some(Case.objects.filter(agency__code=AGENCY), "public_id") + _some(
        Case.objects.exclude(agency__code=AGENCY), "public_id", 2
    )
    partner_tasks = _some(Case.objects.filter(partner__isnull=False), "public_id")
    trackings = _some(Submission.objects.filter(tracking__isnull=False), "tracking")
    drafts = _some(Submission.objects.filter(status=SubmissionStatus.DRAFT), "public_id")
    complaints = _some(Complaint.objects, "tracking", 6)
    competencies = _some(Competency.objects, "code")
    courses = _some(Course.objects, "code")
    sessions = _some(ClassSession.objects, "public_id")
    enrolments = _some(Enrolment.objects, "public_id", 8)
    claims = _some(LearningClaim.objects, "public_id")
    lessons = [
        {"id": str(enrolment), "lesson": str(lesson)}
        for enrolment, course in Enrolment.objects.order_by("pk").values_list(
            "public_id", "course"
        )[:8]
        for lesson in Lesson.objects.filter(course=course)
        .order_by("order")
        .values_list("public_id", flat=True)[:2]
    ]

    def each(name: str, values: list[str]) -> list[dict[str, str]]:
        return [{name: value} for value in values]

    prefix = "/api/v1"
    KNOWN_PATHS.update(
        {
            f"{prefix}/services/{{code}}": each("code", services),
            f"{prefix}/life-events/{{code}}": each("code", events),
            f"{prefix}/life-events/{{code}}/evaluate": each("code", events),
            f"{prefix}/life-events/{{code}}/submissions": each("code", events),
            f"{prefix}/submissions/{{tracking}}": each("tracking", trackings),
            f"{prefix}/cases/{{id}}": each("id", cases),
            f"{prefix}/cases/{{id}}/transitions": each("id", cases),
            f"{prefix}/cases/{{id}}/messages": each("id", cases),
            f"{prefix}/drafts/{{id}}": each("id", drafts),
            f"{prefix}/drafts/{{id}}/documents": each("id", drafts),
            f"{prefix}/drafts/{{id}}/submit": each("id", drafts),
            f"{prefix}/partner/tasks/{{id}}": each("id", partner_tasks),
            f"{prefix}/partner/tasks/{{id}}/transitions": each("id", partner_tasks),
            f"{prefix}/partner/tasks/{{id}}/transitions/with-file": each("id", partner_tasks),
            f"{prefix}/surveys/{{token}}": each("token", _survey_token()),
            f"{prefix}/agency/complaints/{{tracking}}": each("tracking", complaints),
            f"{prefix}/agency/complaints/{{tracking}}/follow-up": each("tracking", complaints),
            f"{prefix}/agency/complaints/{{tracking}}/messages": each("tracking", complaints),
            f"{prefix}/complaints/{{tracking}}": each("tracking", complaints),
            f"{prefix}/complaints/{{tracking}}/messages": each("tracking", complaints),
            f"{prefix}/complaints/{{tracking}}/close": each("tracking", complaints),
            f"{prefix}/learning/competencies/{{code}}": each("code", competencies),
            f"{prefix}/learning/paths/{{competency}}": each("competency", competencies),
            f"{prefix}/learning/courses/{{code}}": each("code", courses),
            f"{prefix}/learning/sessions/{{id}}": each("id", sessions),
            f"{prefix}/learning/trainer/sessions/{{id}}": each("id", sessions),
            f"{prefix}/learning/trainer/sessions/{{id}}/attendance": each("id", sessions),
            f"{prefix}/learning/me/bookings/{{session}}/cancel": each("session", sessions),
            f"{prefix}/learning/me/enrolments/{{id}}": each("id", enrolments),
            f"{prefix}/learning/me/enrolments/{{id}}/cancel": each("id", enrolments),
            f"{prefix}/learning/me/enrolments/{{id}}/lessons/{{lesson}}": lessons,
            f"{prefix}/learning/me/enrolments/{{id}}/lessons/{{lesson}}/complete": lessons,
            f"{prefix}/learning/me/enrolments/{{id}}/lessons/{{lesson}}/attempts": lessons,
            f"{prefix}/learning/approvals/{{id}}": each("id", enrolments),
            f"{prefix}/learning/confirmations/{{id}}": each("id", enrolments),
            f"{prefix}/learning/claims/{{id}}/decision": each("id", claims),
        }
    )
    KNOWN_FIELDS.update(
        {
            "service": services,
            "agency": _some(Agency.objects, "code"),
            "case": cases,
            "course": courses,
            "session": sessions,
            "competency": competencies,
        }
    )


def _session_cookies(username: str) -> dict[str, str]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    # Any well-formed secret does: Django compares the header with the cookie.
    token = secrets.token_hex(16)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo's world, seeded once for the module in a transaction that is rolled back at
    its end; each test runs inside it (pytest-django's own transaction is a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_people_load()
        demo_life_events_load()
        demo_surveys_load()
        demo_complaints_load()
        demo_learning_load()
        # A task given to a partner: the demo's request for food during self-isolation.
        isolation = Case.objects.filter(service__code=ISOLATION_SUPPORT, state="diajukan").first()
        if isolation is not None:
            case_transition(
                case=isolation,
                actor=get_user_model().objects.get(username="petugas.dinsos"),
                to="ditugaskan_mitra",
                data={"partner": "kampung-tangguh-wonokromo"},
            )
        # The officer also heads the unit, is its agency's HR and works for the partner
        # organisation that has tasks, so that one session reaches the staff operations of
        # both pillars and a partner's.
        officer = get_user_model().objects.get(username=OFFICER)
        assignment = RoleAssignment.objects.filter(user=officer).first()
        for role in (Role.UNIT_HEAD, Role.HR):
            RoleAssignment.objects.get_or_create(
                user=officer, role=role, agency=assignment.agency, unit=assignment.unit
            )
        for partner in Partner.objects.filter(cases__isnull=False).distinct():
            RoleAssignment.objects.get_or_create(user=officer, role=Role.PARTNER, partner=partner)
        # A draft of the citizen's, for the operations on drafts.
        submission_draft_save(
            applicant=get_user_model().objects.get(username=CITIZEN),
            service=Service.objects.get(code=f"{AGENCY}.pindah-keluar"),
            answers={},
        )
        _api_key, key = api_key_create(
            agency=Agency.objects.get(code=AGENCY), name="Contract tests", actor=None
        )
        _known_identifiers()
        # The site in this process, through all its middleware: it sees this transaction.
        # (Checks that send a request again take it from the schema.) Like Django's test
        # client, requests leave the connection open: closing it would end the transaction.
        SCHEMA.app = get_wsgi_application()
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield {
                "answers": {},  # {(operation, caller): statuses answered, in order}
                "key": key,
                "citizen": _session_cookies(CITIZEN),
                "officer": _session_cookies(OFFICER),
            }
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            SCHEMA.app = None
        KNOWN_PATHS.clear()
        KNOWN_FIELDS.clear()
        transaction.set_rollback(True)


def refused_for_who_it_is(answers: list[int]) -> bool:
    """Whether a caller's first answers from an operation were all the same refusal."""
    first = answers[:REFUSALS]
    return len(first) == REFUSALS and len(set(first)) == 1 and first[0] in (401, 403)


def credentials(world: dict, caller: str) -> tuple[dict, dict]:
    """The headers and cookies with which ``caller`` calls."""
    if caller == "nobody":
        return {}, {}
    if caller == "agency":
        return {"Authorization": f"Bearer {world['key']}"}, {}
    cookies = world[caller]
    return {"X-CSRFToken": cookies["csrftoken"]}, cookies


def test_the_world_has_real_identifiers_for_the_operations_that_take_them(world, db):
    """Swapping needs real identifiers: a path renamed, or a demo without such things, would
    leave the operation to generated identifiers that name nothing."""
    paths = set(SCHEMA.raw_schema["paths"])
    gone = sorted(set(KNOWN_PATHS) - paths)
    assert not gone, f"no longer in the schema: {gone}"
    empty = sorted(path for path, known in KNOWN_PATHS.items() if not known)
    assert not empty, f"nothing real to swap in for: {empty}"
    assert all(KNOWN_FIELDS.values())


# The contract ------------------------------------------------------------------------------


# The callers as a parameter also give each operation's test an id of its own (pytest builds
# the id from the function's name and its parameters, and the operation is in neither).
@pytest.mark.parametrize("callers", [CALLERS], ids=["every caller"])
@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # Slow generation of large bodies, draws that the schemas' constraints filter out, and
    # the `db` fixture shared by a test's examples (they run in one transaction, in the
    # world's) are how this test works, not problems of the API.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_operation_keeps_its_contract(case, callers, world, db):
    """Each generated case is sent by every caller in turn (one case, four answers: the
    generating is shared). A caller that the operation has refused the same way for its
    first requests, whatever they held, is refused for who it is: it sends no more."""
    generated_headers = dict(case.headers or {})
    generated_cookies = dict(case.cookies or {})
    for caller in callers:
        answers = world["answers"].setdefault((case.operation.label, caller), [])
        if refused_for_who_it_is(answers):
            continue
        if caller == "nobody":
            # Whatever credentials were generated (wrong keys and sessions: 401).
            case.headers, case.cookies = dict(generated_headers), dict(generated_cookies)
        else:
            # The caller's own credentials only.
            case.headers = {
                name: value
                for name, value in generated_headers.items()
                if name.lower() not in AUTH_HEADERS
            }
            case.cookies = {}
        headers, cookies = credentials(world, caller)
        response = case.call(headers=headers, cookies=cookies, app=SCHEMA.app)
        answers.append(response.status_code)
        try:
            case.validate_response(
                response, checks=CHECKS, headers=headers, transport_kwargs={"app": SCHEMA.app}
            )
        except FailureGroup as failures:
            raise FailureGroup(
                list(failures.exceptions), f"As {caller}: {failures.message}"
            ) from None


def test_each_operation_is_a_test_of_its_own(request):
    """pytest-xdist hands tests to its workers by id: two operations under one id would run
    as one, and the others not at all."""
    ids = [
        item.nodeid
        for item in request.session.items
        if getattr(item, "module", None) is request.module
        and item.name.startswith(test_operation_keeps_its_contract.__name__)
    ]
    assert len(ids) == len(set(ids)), sorted(ids)


# The schema itself -------------------------------------------------------------------------

# Security schemes that also let nobody in (an operation open to all, that knows a signed-in
# caller when there is one): they never answer 401.
OPEN_SCHEMES = {"SessionOrNobody"}
# What a parameter's schema may hold and still take any string.
PLAIN = {"type", "title", "description", "default"}


def operations():
    for path, methods in SCHEMA.raw_schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def can_be_invalid(parameter: dict) -> bool:
    """Whether a value of this parameter, or its absence, can fail validation."""
    schema = parameter.get("schema", {})
    required = parameter["in"] == "query" and parameter.get("required", False)
    return required or schema.get("type") != "string" or bool(set(schema) - PLAIN)


def errors_of_the_input(operation: dict) -> set[int]:
    """The statuses that an operation's input alone can cause, whatever it does with it."""
    parameters = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
    body = operation.get("requestBody", {}).get("content", {})
    statuses = set()
    security = operation.get("security")
    if security and not any(set(entry) & OPEN_SCHEMES for entry in security):
        statuses.add(401)  # no credentials, or wrong ones
    if body or any(can_be_invalid(p) for p in parameters):
        statuses.add(422)  # the input does not fit its schema
    if body:
        statuses.add(400)  # a body that cannot be read: not JSON, or a broken form
        statuses.add(413)  # a body larger than the site takes
    if any(p["in"] == "query" and p["name"] == "cursor" for p in parameters):
        statuses.add(400)  # a cursor not made by the list
    if any(p["in"] == "path" for p in parameters):
        statuses.add(404)  # a path that names nothing (or nothing the caller may see)
    return statuses


def test_every_operation_documents_the_errors_its_input_can_cause():
    missing = {
        label: sorted(expected - {int(status) for status in operation["responses"]})
        for label, operation in operations()
        if (expected := errors_of_the_input(operation))
    }
    missing = {label: statuses for label, statuses in missing.items() if statuses}
    assert not missing, f"document these statuses in the operations' `response`: {missing}"


def test_every_error_answer_has_the_error_shape():
    components = SCHEMA.raw_schema["components"]["schemas"]
    wrong = []
    for label, operation in operations():
        for status, answer in operation["responses"].items():
            if int(status) < 400:
                continue
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in schema:
                schema = components[schema["$ref"].rsplit("/", 1)[-1]]
            if not {"detail", "code"} <= set(schema.get("required", [])):
                wrong.append(f"{label} {status}")
    assert not wrong, f"errors documented without the shape {{detail, code}}: {wrong}"


def test_no_two_schemas_share_a_name():
    """ninja names each schema's component by its class name: two classes of one name make
    one of them described with the other's fields. Names only the query models use (their
    fields become parameters) are not referenced and do not matter."""
    clashes = {}

    class Watching(OpenAPISchema):
        def add_schema_definitions(self, definitions: dict) -> None:
            for name, definition in definitions.items():
                if name in self.schemas and self.schemas[name] != definition:
                    clashes.setdefault(name, []).append(definition.get("description", ""))
            super().add_schema_definitions(definitions)

    document = Watching(api, api.get_root_path({}))
    text = repr(document["paths"]) + repr(document["components"]["schemas"])
    referenced = {name for name in clashes if REF_TEMPLATE.format(model=name) in text}
    assert not referenced, f"rename one of the schemas of each name: {sorted(referenced)}"


# Server errors that the run found ----------------------------------------------------------


def test_a_cursor_outside_ascii_is_refused_not_a_server_error(world, db, client):
    response = client.get(
        "/api/v1/learning/positions",
        {"cursor": "é§"},
        headers={"authorization": f"Bearer {world['key']}"},
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_cursor"


def test_a_number_beyond_64_bits_in_the_answers_is_not_a_server_error(world, db, client):
    """Rules are evaluated by CEL, whose integers have 64 bits: a larger number counts as not
    given instead of failing the rule."""
    huge = {"answers": {"something": [2**70], "other": {"deeper": -(2**80)}}}
    evaluated = client.post(
        "/api/v1/life-events/masuk-sekolah/evaluate", huge, content_type="application/json"
    )
    assert evaluated.status_code == 200, evaluated.content

    client.force_login(get_user_model().objects.get(username=CITIZEN))
    sent = client.post(
        "/api/v1/submissions",
        {"service": f"{AGENCY}.akta-kematian", **huge},
        content_type="application/json",
    )
    assert sent.status_code == 422, sent.content
    assert sent.json()["code"] == "invalid_answers"


def test_a_form_body_is_refused_not_a_server_error(world, db):
    """With a session, the CSRF check reads a form body before the operation reads its
    JSON: a form, or a form that cannot be parsed, was a server error."""
    client = Client(enforce_csrf_checks=True)
    client.cookies.load(world["citizen"])
    headers = {"X-CSRFToken": world["citizen"]["csrftoken"]}
    form = b'--x\r\nContent-Disposition: form-data; name="service"\r\n\r\nsome\r\n--x--\r\n'
    for content_type, body in [
        ("multipart/form-data", b"without a boundary"),
        ("multipart/form-data; boundary=x", b"not the parts it announces"),
        ("multipart/form-data; boundary=x", form),
    ]:
        response = client.generic(
            "POST", "/api/v1/submissions", body, content_type=content_type, headers=headers
        )
        assert response.status_code == 400, (content_type, body, response.content)
        assert response.json()["code"] == "bad_request"

    # An operation that reads no body takes a form it cannot parse as no form at all.
    response = client.generic(
        "POST",
        f"/api/v1/drafts/{uuid.uuid4()}/submit",
        b"without a boundary",
        content_type="multipart/form-data",
        headers=headers,
    )
    assert response.status_code == 404, response.content


def test_a_body_too_large_is_refused_not_a_server_error(world, db, client):
    limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    too_large = b'{"answers": {"a": "' + b"x" * limit + b'"}}'
    response = client.generic(
        "POST", "/api/v1/life-events/kelahiran/evaluate", too_large, content_type="application/json"
    )
    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"
