"""The cases API (issue: cases API and API keys): citizens send applications (safely retried
with an Idempotency-Key) and follow only their own; officers, supervisors and agencies' API
keys work only their own agency's cases, by the steps their role allows, against the version
they saw; every list is paged by keyset; every error has the one shape `{"detail", "code"}`;
the OpenAPI schema publishes the operations and the ways to authenticate."""

import datetime
import hashlib
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.accounts.models import ApiKey, RoleAssignment
from satupintu.accounts.services import api_key_create, api_key_revoke
from satupintu.cases.models import Case, Message, OutcomeDocument, Submission
from satupintu.core.models import AuditEvent
from satupintu.core.tracking import ALPHABET
from satupintu.organisations.models import Agency

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"  # Dukcapil, unit pencatatan-sipil
MOVE = "dukcapil-surabaya.pindah-keluar"  # Dukcapil; a form without uploads
NIB = "dpmptsp-surabaya.pendampingan-nib"  # DPMPTSP, unit perizinan-usaha
ENGLISH = {"accept-language": "en"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code"}
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def move_answers(**changes) -> dict:
    """A complete, valid application to move out of Surabaya (warga's own NIK and KK)."""
    answers = {
        "kk_number": "3578050101200001",
        "nik": "3578056503920001",
        "move_classification": "antar_kota",
        "destination_city": "3573",
        "destination_address": {
            "street": "Jl. Borobudur No. 5, RT 02 RW 03",
            "village": "3573011001",
        },
        "move_reason": "pekerjaan",
        "move_scope": "seluruh_keluarga",
        "planned_date": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
    }
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


def post(client, url: str, data: dict, **headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def case_url(case: Case, rest: str = "") -> str:
    return f"/api/v1/cases/{case.public_id}{rest}"


def as_user(people, username: str) -> Client:
    client = Client()
    client.force_login(people[username])
    return client


def bearer(key: str) -> dict:
    return {"authorization": f"Bearer {key}"}


@pytest.fixture(autouse=True)
def without_demo_cases(people):
    """Start without the demo's cases, so that every case a test sees is one it made."""
    OutcomeDocument.objects.all().delete()
    Case.objects.all().delete()
    Submission.objects.all().delete()


@pytest.fixture
def warga(people):
    return as_user(people, "warga")


@pytest.fixture
def dukcapil_key(people):
    """An API key of Dukcapil Surabaya, and the key itself."""
    return api_key_create(
        agency=Agency.objects.get(code="dukcapil-surabaya"),
        name="SIAK bridge",
        actor=people["admin.dukcapil"],
    )


@pytest.fixture
def dpmptsp_key(people):
    return api_key_create(
        agency=Agency.objects.get(code="dpmptsp-surabaya"),
        name="OSS bridge",
        actor=people["admin.dpmptsp"],
    )


# The schema ------------------------------------------------------------------------------


def test_openapi_lists_the_operations_and_the_ways_to_authenticate(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/submissions", "post"),
        ("/api/v1/submissions/{tracking}", "get"),
        ("/api/v1/my/cases", "get"),
        ("/api/v1/cases", "get"),
        ("/api/v1/cases/{id}", "get"),
        ("/api/v1/cases/{id}/transitions", "post"),
        ("/api/v1/cases/{id}/messages", "post"),
    ]:
        assert method in paths[path], path
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKeyBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["ApiKeyBearer"]["description"],
    }
    assert schemes["ApiKeyHeader"]["in"] == "header"
    assert schemes["ApiKeyHeader"]["name"] == "X-API-Key"
    assert schemes["SessionAuth"]["in"] == "cookie"

    def security(path, method):
        return {name for entry in paths[path][method]["security"] for name in entry}

    assert security("/api/v1/cases", "get") == {"ApiKeyBearer", "ApiKeyHeader", "SessionAuth"}
    assert security("/api/v1/submissions", "post") == {"SessionAuth"}
    parameters = paths["/api/v1/submissions"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in parameters)


# Sending an application ------------------------------------------------------------------


def test_a_citizen_sends_an_application(warga, people):
    response = post(warga, "/api/v1/submissions", {"service": MOVE, "answers": move_answers()})

    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]", body["tracking"])
    assert body["status"] == "submitted"
    assert body["url"].endswith(f"/api/v1/submissions/{body['tracking']}")
    (case,) = body["cases"]
    assert set(case) == {
        "id",
        "service",
        "agency",
        "state",
        "state_label",
        "due_date",
        "waiting_for",
    }
    assert case["waiting_for"] is None
    assert case["service"]["code"] == MOVE
    assert case["agency"]["code"] == "dukcapil-surabaya"
    assert case["state"] == "diajukan" and case["state_label"] == "Diajukan"
    submission = Submission.objects.get(tracking=body["tracking"])
    assert submission.applicant == people["warga"]
    assert str(submission.cases.get().public_id) == case["id"]


def test_the_same_idempotency_key_returns_the_first_application(warga):
    headers = {"idempotency-key": "retry-3f9c"}
    first = post(
        warga, "/api/v1/submissions", {"service": MOVE, "answers": move_answers()}, **headers
    )
    # A retry whose body differs (even names another service) still answers the first.
    again = post(warga, "/api/v1/submissions", {"service": BIRTH, "answers": {}}, **headers)

    assert first.status_code == 201, first.content
    assert again.status_code == 200, again.content
    assert again.json()["tracking"] == first.json()["tracking"]
    assert again.json()["cases"] == first.json()["cases"]
    assert Submission.objects.count() == 1 and Case.objects.count() == 1


def test_an_idempotency_key_belongs_to_one_person(warga, people):
    headers = {"idempotency-key": "same-key"}
    mine = post(
        warga, "/api/v1/submissions", {"service": MOVE, "answers": move_answers()}, **headers
    )
    budi = as_user(people, "warga2")
    theirs = post(
        budi,
        "/api/v1/submissions",
        {"service": MOVE, "answers": move_answers(nik="3578101708850003")},
        **headers,
    )
    assert (mine.status_code, theirs.status_code) == (201, 201), theirs.content
    assert mine.json()["tracking"] != theirs.json()["tracking"]


def test_an_idempotency_key_over_128_characters_is_refused(warga):
    response = post(
        warga,
        "/api/v1/submissions",
        {"service": MOVE, "answers": move_answers()},
        **{"idempotency-key": "k" * 129},
    )
    assert_error(response, 400, "invalid_idempotency_key")
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("answers", "path"),
    [
        (move_answers(move_reason=None), "move_reason"),  # a required field is missing
        (move_answers(nik="12345"), "nik"),  # not a NIK
    ],
)
def test_answers_that_do_not_fit_the_form_are_422_naming_the_field(warga, answers, path):
    response = post(warga, "/api/v1/submissions", {"service": MOVE, "answers": answers})

    body = assert_error(response, 422, "invalid_answers")
    assert path in {error["path"] for error in body["errors"]}
    assert all(error["message"] for error in body["errors"])
    # Nothing is left behind, not even a draft.
    assert not Submission.objects.exists()


def test_an_unknown_service_or_business_is_422_naming_the_field(warga):
    body = assert_error(
        post(warga, "/api/v1/submissions", {"service": "no.such-service", "answers": {}}),
        422,
        "unknown_service",
    )
    assert body["errors"][0]["path"] == "service"
    body = assert_error(
        post(
            warga,
            "/api/v1/submissions",
            {"service": MOVE, "business": "00000000-0000-4000-8000-000000000000", "answers": {}},
        ),
        422,
        "unknown_business",
    )
    assert body["errors"][0]["path"] == "business"


def test_a_malformed_body_is_422_naming_the_field(warga):
    body = assert_error(post(warga, "/api/v1/submissions", {"answers": {}}), 422, "invalid")
    assert body["errors"][0]["path"] == "service"


# Following one's own applications --------------------------------------------------------


def test_a_citizen_finds_their_application_by_tracking_number_as_typed(warga, make_case):
    case = make_case(BIRTH)
    number = case.submission.tracking
    for typed in (number, number.lower(), number.replace("-", ""), f" {number} "):
        response = warga.get(f"/api/v1/submissions/{typed}")
        assert response.status_code == 200, (typed, response.content)
        assert response.json()["tracking"] == number
        assert response.json()["cases"][0]["id"] == str(case.public_id)


def test_a_mistyped_tracking_number_says_to_check_it(warga, make_case):
    number = make_case(BIRTH).submission.tracking
    last = number[-1]
    wrong = number[:-1] + next(char for char in ALPHABET if char != last)
    body = assert_error(
        warga.get(f"/api/v1/submissions/{wrong}", headers=ENGLISH), 404, "invalid_tracking"
    )
    assert "check" in body["detail"].lower()


def test_a_citizen_lists_their_own_cases(warga, make_case):
    mine = make_case(BIRTH)
    make_case(BIRTH, applicant="warga2")

    body = warga.get("/api/v1/my/cases").json()

    assert [item["id"] for item in body["items"]] == [str(mine.public_id)]
    assert body["next"] is None
    item = body["items"][0]
    assert item["tracking"] == mine.submission.tracking
    assert item["state_label"] == "Diajukan" and item["is_open"] is True


def test_a_citizen_sees_their_case_without_internal_notes_and_is_not_audited(
    warga, make_case, people
):
    case = make_case(BIRTH)
    Message.objects.create(
        case=case, author=people["petugas.dukcapil"], from_agency=True, internal=True, body="x"
    )

    body = warga.get(case_url(case)).json()

    assert body["applicant"] is None
    assert body["messages"] == []
    assert body["version"] == 1
    assert body["allowed_transitions"] == []  # the birth workflow has no step for her now
    assert not AuditEvent.objects.filter(action="citizen.viewed").exists()


def test_a_citizen_takes_their_own_step(warga, people):
    sent = post(warga, "/api/v1/submissions", {"service": MOVE, "answers": move_answers()}).json()
    case_id = sent["cases"][0]["id"]
    detail = warga.get(f"/api/v1/cases/{case_id}").json()
    assert [t["to"] for t in detail["allowed_transitions"]] == ["dibatalkan"]

    response = post(warga, f"/api/v1/cases/{case_id}/transitions", {"to": "dibatalkan"})

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "dibatalkan" and response.json()["is_open"] is False


# A citizen never sees another's ----------------------------------------------------------


def test_a_citizen_never_sees_or_touches_another_persons_application(people, make_case):
    case = make_case(MOVE)  # Siti's
    budi = as_user(people, "warga2")
    number = case.submission.tracking

    for method, url, data in [
        ("get", f"/api/v1/submissions/{number}", None),
        ("get", case_url(case), None),
        ("post", case_url(case, "/transitions"), {"to": "dibatalkan"}),
        ("post", case_url(case, "/messages"), {"body": "Halo"}),
    ]:
        response = budi.get(url) if method == "get" else post(budi, url, data)
        assert_error(response, 404, "not_found")

    assert budi.get("/api/v1/my/cases").json()["items"] == []
    assert_error(budi.get("/api/v1/cases"), 403, "staff_only")
    case.refresh_from_db()
    assert case.state == "diajukan" and not case.messages.exists()


# Officers --------------------------------------------------------------------------------


def test_an_officer_lists_the_cases_of_their_unit(people, make_case):
    birth = make_case(BIRTH)
    make_case(NIB)
    officer = as_user(people, "petugas.dukcapil")

    body = officer.get("/api/v1/cases").json()

    assert [item["id"] for item in body["items"]] == [str(birth.public_id)]
    item = body["items"][0]
    assert item["unit"]["code"] == "pencatatan-sipil"
    assert item["version"] == 1 and item["assigned_to"] is None
    assert "applicant" not in item  # the list holds no personal data


def test_queue_filters(people, make_case):
    first, second = make_case(BIRTH), make_case(BIRTH)
    officer = people["petugas.dukcapil"]
    Case.objects.filter(pk=second.pk).update(
        state="verifikasi",
        assigned_to=officer,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    client = as_user(people, "petugas.dukcapil")

    def ids(**query):
        return [item["id"] for item in client.get("/api/v1/cases", query).json()["items"]]

    assert ids(state="verifikasi") == [str(second.public_id)]
    assert ids(assigned="me") == [str(second.public_id)]
    assert ids(assigned="unassigned") == [str(first.public_id)]
    assert ids(due="overdue") == [str(second.public_id)]
    assert ids(service=BIRTH) == [str(second.public_id), str(first.public_id)]
    assert ids(service=NIB) == []
    assert ids(closed="true") == []
    assert_error(client.get("/api/v1/cases", {"due": "someday"}), 422, "invalid")


def test_an_officer_reads_a_case_with_the_applicants_data_and_the_read_is_audited(
    people, make_case
):
    case = make_case(BIRTH)
    officer = as_user(people, "petugas.dukcapil")

    body = officer.get(case_url(case)).json()

    assert body["applicant"]["nik"] == "3578056503920001"
    assert body["applicant"]["name"] == "Siti Rahayu"
    assert body["version"] == 1
    assert [t["to"] for t in body["allowed_transitions"]] == ["verifikasi"]
    assert body["allowed_transitions"][0]["by"] == "officer"
    assert body["events"][0]["kind"] == "submitted"
    event = AuditEvent.objects.get(action="citizen.viewed")
    assert event.actor == people["petugas.dukcapil"]
    assert event.subject == people["warga"]
    assert event.object_id == str(case.public_id)
    assert event.details["via"] == "api"


def test_an_officer_takes_a_step(people, make_case):
    case = make_case(BIRTH)
    officer = as_user(people, "petugas.dukcapil")

    response = post(
        officer, case_url(case, "/transitions"), {"to": "verifikasi", "expected_version": 1}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "verifikasi" and body["version"] == 2
    assert {t["to"] for t in body["allowed_transitions"]} == {"perlu_data", "menunggu_tte"}
    case.refresh_from_db()
    assert case.state == "verifikasi"


def test_a_step_of_another_role_is_403_naming_the_role(people, make_case):
    case = make_case(BIRTH)
    officer = as_user(people, "petugas.dukcapil")
    post(officer, case_url(case, "/transitions"), {"to": "verifikasi"})

    response = post(
        officer,
        case_url(case, "/transitions"),
        {"to": "ditolak", "reason": "Data tidak cocok"},
        **ENGLISH,
    )

    body = assert_error(response, 403, "role_not_allowed")
    assert "supervisor" in body["detail"]


def test_a_step_the_state_does_not_allow_is_409_naming_where_it_can_go(people, make_case):
    case = make_case(BIRTH)
    supervisor = as_user(people, "penyelia.dukcapil")

    response = post(
        supervisor,
        case_url(case, "/transitions"),
        {"to": "terbit", "document_number": "1"},
        **ENGLISH,
    )

    body = assert_error(response, 409, "transition_not_allowed")
    assert "Checking documents and registry data" in body["detail"]


def test_a_step_on_a_stale_version_is_409_case_changed(people, make_case):
    case = make_case(BIRTH)
    first = as_user(people, "petugas.dukcapil")
    second = as_user(people, "penyelia.dukcapil")
    post(first, case_url(case, "/transitions"), {"to": "verifikasi", "expected_version": 1})

    response = post(
        second,
        case_url(case, "/transitions"),
        {"to": "menunggu_tte", "note": "SIAK ok", "expected_version": 1},
    )

    assert_error(response, 409, "case_changed")
    case.refresh_from_db()
    assert case.state == "verifikasi"


def test_a_step_without_what_it_requires_is_422_naming_it(people, make_case):
    case = make_case(BIRTH)
    officer = as_user(people, "petugas.dukcapil")
    post(officer, case_url(case, "/transitions"), {"to": "verifikasi"})

    response = post(officer, case_url(case, "/transitions"), {"to": "perlu_data"})

    body = assert_error(response, 422, "missing_fields")
    assert [error["path"] for error in body["errors"]] == ["message"]


def test_messages_between_the_applicant_and_the_agency(people, make_case, warga):
    case = make_case(BIRTH)
    officer = as_user(people, "petugas.dukcapil")

    to_citizen = post(officer, case_url(case, "/messages"), {"body": "Mohon tunggu."})
    note = post(officer, case_url(case, "/messages"), {"body": "Cek SIAK", "internal": True})
    reply = post(warga, case_url(case, "/messages"), {"body": "Terima kasih."})

    assert [r.status_code for r in (to_citizen, note, reply)] == [201, 201, 201]
    assert to_citizen.json()["from_agency"] is True
    assert note.json()["internal"] is True
    assert reply.json()["from_agency"] is False
    seen = [m["body"] for m in warga.get(case_url(case)).json()["messages"]]
    assert seen == ["Mohon tunggu.", "Terima kasih."]
    assert len(officer.get(case_url(case)).json()["messages"]) == 3
    assert_error(
        post(warga, case_url(case, "/messages"), {"body": "x", "internal": True}), 403, "forbidden"
    )
    body = assert_error(
        post(warga, case_url(case, "/messages"), {"body": "  "}), 422, "empty_message"
    )
    assert body["errors"][0]["path"] == "body"


# Agencies never see each other's cases ---------------------------------------------------


def test_an_officer_of_dpmptsp_never_sees_or_acts_on_a_dukcapil_case(people, make_case):
    dukcapil_case = make_case(BIRTH)
    own = make_case(NIB)
    for username in ("petugas.dpmptsp", "penyelia.dpmptsp"):
        officer = as_user(people, username)

        listed = [item["id"] for item in officer.get("/api/v1/cases").json()["items"]]
        assert listed == [str(own.public_id)]
        assert officer.get("/api/v1/cases", {"service": BIRTH}).json()["items"] == []
        for method, url, data in [
            ("get", case_url(dukcapil_case), None),
            ("post", case_url(dukcapil_case, "/transitions"), {"to": "verifikasi"}),
            ("post", case_url(dukcapil_case, "/messages"), {"body": "Halo"}),
            ("get", f"/api/v1/submissions/{dukcapil_case.submission.tracking}", None),
        ]:
            response = officer.get(url) if method == "get" else post(officer, url, data)
            assert_error(response, 404, "not_found")

    dukcapil_case.refresh_from_db()
    assert dukcapil_case.state == "diajukan" and dukcapil_case.version == 1
    assert not dukcapil_case.messages.exists()
    assert not AuditEvent.objects.filter(action="citizen.viewed").exists()


# API keys --------------------------------------------------------------------------------


def test_an_api_key_is_stored_only_as_its_hash(dukcapil_key):
    api_key, secret = dukcapil_key
    assert api_key.prefix == secret[:8]
    assert api_key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiKey.objects.filter(pk=api_key.pk).values().get()
    assert secret not in {str(value) for value in stored.values()}


def test_an_api_key_works_its_agencys_cases_only(people, make_case, dukcapil_key, dpmptsp_key):
    birth, move, nib = make_case(BIRTH), make_case(MOVE), make_case(NIB)
    _api_key, secret = dukcapil_key
    client = Client()

    # Agency-wide: both of Dukcapil's units, none of DPMPTSP's; by either header.
    for headers in (bearer(secret), {"x-api-key": secret}):
        listed = {
            item["id"] for item in client.get("/api/v1/cases", headers=headers).json()["items"]
        }
        assert listed == {str(birth.public_id), str(move.public_id)}
    assert_error(client.get(case_url(nib), headers=bearer(secret)), 404, "not_found")
    assert_error(
        post(client, case_url(nib, "/transitions"), {"to": "verifikasi"}, **bearer(secret)),
        404,
        "not_found",
    )
    other = {
        item["id"]
        for item in client.get("/api/v1/cases", headers=bearer(dpmptsp_key[1])).json()["items"]
    }
    assert other == {str(nib.public_id)}


def test_an_api_key_takes_officer_and_supervisor_steps_as_its_service_account(
    people, make_case, dukcapil_key
):
    case = make_case(BIRTH)
    api_key, secret = dukcapil_key
    client = Client()

    detail = client.get(case_url(case), headers=bearer(secret)).json()
    assert detail["applicant"]["nik"] == "3578056503920001"
    started = post(client, case_url(case, "/transitions"), {"to": "verifikasi"}, **bearer(secret))
    rejected = post(
        client,
        case_url(case, "/transitions"),
        {"to": "ditolak", "reason": "Bukan domisili Surabaya", "expected_version": 2},
        **{"x-api-key": secret},
    )

    assert started.status_code == 200, started.content
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["is_open"] is False
    api_key.refresh_from_db()
    account = api_key.service_account
    assert account.username == f"api-{api_key.prefix}"
    assert not account.has_usable_password()
    assert RoleAssignment.objects.filter(
        user=account, role=Role.SUPERVISOR, agency=api_key.agency, unit=None
    ).exists()
    assert case.events.filter(kind="transition", actor=account).count() == 2
    viewed = AuditEvent.objects.get(action="citizen.viewed")
    assert viewed.actor == account and viewed.details["api_key"] == api_key.prefix
    assert api_key.last_used_at is not None


def test_one_service_account_per_key(make_case, dukcapil_key):
    make_case(BIRTH)
    api_key, secret = dukcapil_key
    for _ in range(3):
        assert Client().get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    api_key.refresh_from_db()
    assert api_key.service_account.username == f"api-{api_key.prefix}"
    assert RoleAssignment.objects.filter(user__username=f"api-{api_key.prefix}").count() == 1


def test_a_revoked_key_is_401_and_its_account_is_deactivated(people, make_case, dukcapil_key):
    make_case(BIRTH)
    api_key, secret = dukcapil_key
    assert Client().get("/api/v1/cases", headers=bearer(secret)).status_code == 200

    api_key_revoke(api_key=api_key, actor=people["admin.dukcapil"])

    for headers in (bearer(secret), {"x-api-key": secret}):
        assert_error(Client().get("/api/v1/cases", headers=headers), 401, "unauthenticated")
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert api_key.service_account.is_active is False
    assert AuditEvent.objects.filter(action="api_key.revoked").count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        bearer("x" * 40),
        bearer(""),
        {"x-api-key": "not-a-key"},
        {"x-api-key": "a" * 40},
    ],
)
def test_a_wrong_key_is_401_with_the_error_shape(make_case, headers, warga):
    case = make_case(BIRTH)
    assert_error(Client().get("/api/v1/cases", headers=headers), 401, "unauthenticated")
    # A bad key is refused even next to a good session: the system must learn its key is bad.
    assert_error(warga.get(case_url(case), headers=headers), 401, "unauthenticated")


def test_an_api_key_cannot_act_as_a_citizen(dukcapil_key):
    secret = dukcapil_key[1]
    client = Client()
    assert_error(client.get("/api/v1/my/cases", headers=bearer(secret)), 401, "unauthenticated")
    assert_error(
        post(client, "/api/v1/submissions", {"service": MOVE, "answers": {}}, **bearer(secret)),
        401,
        "unauthenticated",
    )


def test_an_agency_admin_makes_a_key_in_the_admin_and_sees_it_once(people):
    admin = as_user(people, "admin.dukcapil")
    dukcapil = Agency.objects.get(code="dukcapil-surabaya")

    response = admin.post(
        "/admin/accounts/apikey/add/", {"agency": dukcapil.pk, "name": "SIAK"}, follow=True
    )

    assert response.status_code == 200
    shown = " ".join(str(message) for message in response.context["messages"])
    (secret,) = re.findall(r"\b[a-z0-9]{40}\b", shown)
    api_key = ApiKey.objects.get()
    assert api_key.prefix == secret[:8] and api_key.created_by == people["admin.dukcapil"]
    assert Client().get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    # Shown once: the key's page says its prefix, never the key.
    page = admin.get(f"/admin/accounts/apikey/{api_key.pk}/change/")
    assert api_key.prefix in page.content.decode() and secret not in page.content.decode()
    # Another agency's administrator does not see it.
    other = as_user(people, "admin.dpmptsp")
    assert api_key.prefix not in other.get("/admin/accounts/apikey/").content.decode()
    assert other.get(f"/admin/accounts/apikey/{api_key.pk}/change/").status_code in (302, 403, 404)
    # Revoked from the list, by its own agency's administrator: refused from then on.
    admin.post(
        "/admin/accounts/apikey/", {"action": "revoke_keys", "_selected_action": [api_key.pk]}
    )
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert Client().get("/api/v1/cases", headers=bearer(secret)).status_code == 401


# Authentication and CSRF -----------------------------------------------------------------


def test_every_operation_needs_a_signed_in_person_or_a_key(make_case):
    case = make_case(BIRTH)
    client = Client()
    for method, url in [
        ("post", "/api/v1/submissions"),
        ("get", f"/api/v1/submissions/{case.submission.tracking}"),
        ("get", "/api/v1/my/cases"),
        ("get", "/api/v1/cases"),
        ("get", case_url(case)),
        ("post", case_url(case, "/transitions")),
        ("post", case_url(case, "/messages")),
    ]:
        response = client.get(url) if method == "get" else post(client, url, {})
        assert_error(response, 401, "unauthenticated")


def test_session_calls_that_change_something_need_the_csrf_token(people, make_case):
    case = make_case(BIRTH)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["warga"])

    refused = post(client, case_url(case, "/messages"), {"body": "Halo"})
    assert_error(refused, 403, "csrf_failed")
    assert client.get(case_url(case)).status_code == 200  # reading needs no token

    token = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = post(client, case_url(case, "/messages"), {"body": "Halo"}, **{"x-csrftoken": token})
    assert accepted.status_code == 201, accepted.content
    # Anonymous: told to sign in, not about CSRF.
    assert_error(
        post(Client(enforce_csrf_checks=True), case_url(case, "/messages"), {}),
        401,
        "unauthenticated",
    )


def test_api_key_calls_need_no_csrf_token(make_case, dukcapil_key):
    case = make_case(BIRTH)
    client = Client(enforce_csrf_checks=True)
    response = post(
        client, case_url(case, "/messages"), {"body": "Halo"}, **bearer(dukcapil_key[1])
    )
    assert response.status_code == 201, response.content


def test_odd_ids_and_cursors_answer_in_the_error_shape(warga, people):
    assert_error(warga.get("/api/v1/cases/not-a-uuid"), 404, "not_found")
    assert_error(warga.get("/api/v1/my/cases?cursor=%%%"), 400, "invalid_cursor")
    assert_error(warga.get("/api/v1/my/cases?cursor=Zm9v"), 400, "invalid_cursor")
    officer = as_user(people, "petugas.dukcapil")
    assert_error(officer.get("/api/v1/cases?cursor=Zm9vfGJhcg"), 400, "invalid_cursor")
    body = assert_error(officer.get("/api/v1/cases?limit=0"), 422, "invalid")
    assert body["errors"][0]["path"] == "limit"


# Paging ----------------------------------------------------------------------------------


def walk(client, url: str, **headers) -> tuple[list[dict], int]:
    items, pages = [], 0
    while url:
        body = client.get(url, headers=headers).json()
        items += body["items"]
        url, pages = body["next"], pages + 1
        assert pages <= 10
    return items, pages


def test_the_queue_pages_by_keyset_without_repeats(people, make_case, dukcapil_key):
    cases = [make_case(BIRTH) for _ in range(60)]
    # Many cases share a due date: the id breaks the tie.
    Case.objects.filter(pk__in=[case.pk for case in cases[::2]]).update(
        due_date=timezone.localdate()
    )
    officer = as_user(people, "petugas.dukcapil")

    for client, headers in ((officer, {}), (Client(), bearer(dukcapil_key[1]))):
        items, pages = walk(client, "/api/v1/cases?limit=25", **headers)
        ids = [item["id"] for item in items]
        assert len(ids) == len(set(ids)) == 60 and pages == 3
        keys = [(item["due_date"], Case.objects.get(public_id=item["id"]).pk) for item in items]
        assert keys == sorted(keys)


def test_my_cases_page_by_keyset_without_repeats(warga, make_case):
    cases = [make_case(BIRTH) for _ in range(60)]
    same_time = timezone.now()
    Case.objects.filter(pk__in=[case.pk for case in cases[:30]]).update(submitted_at=same_time)

    items, pages = walk(warga, "/api/v1/my/cases?limit=25")

    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 60 and pages == 3
    times = [item["submitted_at"] for item in items]
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize("url", ["/api/v1/cases", "/api/v1/my/cases"])
def test_a_list_costs_the_same_queries_whatever_its_length(people, make_case, url):
    for _ in range(30):
        make_case(BIRTH)
    client = as_user(people, "petugas.dukcapil" if url == "/api/v1/cases" else "warga")

    counts = []
    for limit in (2, 25):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"limit": limit})
        assert len(response.json()["items"]) == limit
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8
