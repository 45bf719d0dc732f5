"""The whole journey (issue: cases, "done when"): a citizen applies for a birth certificate
and uploads a document; an officer of the owning agency works the case from the queue and
asks for more information; the citizen answers; the supervisor approves and the certificate
is issued; the citizen downloads the outcome document and anyone can verify it — once
through the pages, once through the API."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Submission
from satupintu.cases.services import allowed_transitions

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWERS = {
    "child_name": "Ayu Lestari",
    "child_sex": "perempuan",
    "birth_date": "2026-11-02",
    "birth_place_city": "3578",
    "kk_number": "3578051203150001",
    "parents_status": "tidak_kawin",
    "has_birth_statement": "true",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name: str, *args) -> str:
    with translation.override("id"):
        return reverse(name, args=args)


def signed_in(people, username: str) -> Client:
    client = Client()
    client.force_login(people[username])
    return client


def forward(options: list[dict], visited: set[str]) -> dict:
    """The step that moves the case on: the outcome if it is on offer, else a state it has
    not been in — never a rejection or another request to the applicant."""
    options = [
        t for t in options if t["by"] != "applicant" and t["to"] not in {"perlu_data", "ditolak"}
    ]
    return next((t for t in options if t["to"] == "terbit"), None) or next(
        t for t in options if t["to"] not in visited
    )


def step(case: Case, user, to: str) -> int:
    return next(t["index"] for t in allowed_transitions(case=case, user=user) if t["to"] == to)


def test_the_journey_through_the_pages(people):
    citizen = signed_in(people, "warga")
    nik = people["warga"].citizen.nik

    # The citizen applies, uploads the birth statement, checks and sends.
    citizen.post(url("cases:apply", BIRTH), {"applicant": "self"})
    draft = Submission.objects.filter(
        applicant=people["warga"], status=SubmissionStatus.DRAFT
    ).latest("id")
    form = {**ANSWERS, "mother_nik": nik}
    citizen.post(url("cases:draft", draft.public_id), {**form, "update_questions": "1"})
    citizen.post(
        url("cases:draft", draft.public_id),
        {
            **form,
            "update_questions": "1",
            "birth_statement_file": SimpleUploadedFile("surat-lahir.pdf", PDF, "application/pdf"),
        },
    )
    checked = citizen.post(url("cases:draft", draft.public_id), {**form, "action": "check"})
    assert checked.status_code == 302, checked.content.decode()[:2000]
    review = citizen.get(checked["Location"])
    token = re.search(r'name="token" value="([^"]+)"', review.content.decode())[1]
    assert citizen.post(url("cases:review", draft.public_id), {"token": token}).status_code == 302
    case = Case.objects.get(submission=draft)

    # The officer finds it in the unit's queue, claims it and starts checking.
    officer = signed_in(people, "petugas.dukcapil")
    assert (
        draft.public_id and str(case.public_id) in officer.get(url("cases:queue")).content.decode()
    )
    officer.post(url("cases:officer_claim", case.public_id), {"version": case.version})
    case.refresh_from_db()
    index = step(case, people["petugas.dukcapil"], "verifikasi")
    officer.post(
        url("cases:officer_transition", case.public_id),
        {"version": case.version, "transition": index},
    )
    case.refresh_from_db()
    assert case.state == "verifikasi"

    # …and asks for more information: the clock stops.
    index = step(case, people["petugas.dukcapil"], "perlu_data")
    officer.post(
        url("cases:officer_transition", case.public_id),
        {
            "version": case.version,
            "transition": index,
            f"t{index}-message": "Mohon unggah KK terbaru.",
        },
    )
    case.refresh_from_db()
    assert case.is_paused

    # The citizen sees the request and answers with a file: the case goes back to the agency.
    page = citizen.get(url("cases:case", case.public_id)).content.decode()
    assert "Mohon unggah KK terbaru." in page
    citizen.post(
        url("cases:case", case.public_id),
        {
            "body": "Sudah saya unggah.",
            "attachment": SimpleUploadedFile("kk.pdf", PDF, "application/pdf"),
        },
    )
    case.refresh_from_db()
    assert case.state == "verifikasi" and not case.is_paused

    # The supervisor takes it to the end; the certificate is issued with its number.
    supervisor = signed_in(people, "penyelia.dukcapil")
    visited = {case.state}
    while case.is_open:
        chosen = forward(allowed_transitions(case=case, user=people["penyelia.dukcapil"]), visited)
        visited.add(chosen["to"])
        data = {"version": case.version, "transition": chosen["index"]}
        for field in chosen.get("requires", []):
            data[f"t{chosen['index']}-{field}"] = (
                "AL-3578-2026-0001" if field == "document_number" else "Sesuai."
            )
        response = supervisor.post(url("cases:officer_transition", case.public_id), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        case.refresh_from_db()
    assert case.state == "terbit"

    # The citizen downloads the outcome; anyone can verify it without seeing personal data.
    download = citizen.get(url("cases:my_outcome", case.public_id))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    code = case.outcome_document.verification_code
    public = Client().get(url("cases:verify_code", code))
    assert public.status_code == 200
    assert "AL-3578-2026-0001" in public.content.decode()
    assert nik not in public.content.decode() and "Siti" not in public.content.decode()


def test_the_journey_through_the_api(people):
    citizen = signed_in(people, "warga")
    nik = people["warga"].citizen.nik
    answers = {**ANSWERS, "has_birth_statement": False, "mother_nik": nik}
    # Without its document the application cannot be sent in one call…
    refused = citizen.post(
        "/api/v1/submissions",
        {"service": BIRTH, "answers": answers},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "sptjm_birth_file" in {error["path"] for error in refused.json()["errors"]}
    # …so it goes as a draft, its document is uploaded, and the draft is sent.
    draft = citizen.post(
        "/api/v1/drafts", {"service": BIRTH, "answers": answers}, content_type="application/json"
    )
    assert draft.status_code == 201, draft.json()
    draft_id = draft.json()["id"]
    uploaded = citizen.post(
        f"/api/v1/drafts/{draft_id}/documents",
        {
            "field": "sptjm_birth_file",
            "file": SimpleUploadedFile("sptjm.pdf", PDF, "application/pdf"),
        },
    )
    assert uploaded.status_code == 201, uploaded.json()
    assert uploaded.json()["content_type"] == "application/pdf"
    disguised = citizen.post(
        f"/api/v1/drafts/{draft_id}/documents",
        {
            "field": "sptjm_birth_file",
            "file": SimpleUploadedFile("sptjm.pdf", b"MZ\x90\x00" * 64, "application/pdf"),
        },
    )
    assert disguised.status_code == 422 and disguised.json()["code"] == "file_type_not_allowed"
    created = citizen.post(
        f"/api/v1/drafts/{draft_id}/submit", headers={"Idempotency-Key": "journey-1"}
    )
    assert created.status_code == 201, created.json()
    again = citizen.post(
        f"/api/v1/drafts/{draft_id}/submit", headers={"Idempotency-Key": "journey-1"}
    )
    assert again.status_code == 200 and again.json()["tracking"] == created.json()["tracking"]
    tracking = created.json()["tracking"]
    case_id = created.json()["cases"][0]["id"]

    officer = signed_in(people, "penyelia.dukcapil")
    assert case_id in {item["id"] for item in officer.get("/api/v1/cases").json()["items"]}
    detail = officer.get(f"/api/v1/cases/{case_id}").json()
    moved = officer.post(
        f"/api/v1/cases/{case_id}/transitions",
        {"to": "verifikasi", "expected_version": detail["version"]},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.json()
    asked = officer.post(
        f"/api/v1/cases/{case_id}/transitions",
        {"to": "perlu_data", "message": "Mohon kirim KK."},
        content_type="application/json",
    )
    assert asked.status_code == 200, asked.json()
    answered = citizen.post(
        f"/api/v1/cases/{case_id}/messages", {"body": "Sudah."}, content_type="application/json"
    )
    assert answered.status_code == 201, answered.json()
    assert (
        citizen.get(f"/api/v1/submissions/{tracking}").json()["cases"][0]["state"] == "verifikasi"
    )

    visited = {"verifikasi"}
    while Case.objects.get(public_id=case_id).is_open:
        body = officer.get(f"/api/v1/cases/{case_id}").json()
        chosen = forward(body["allowed_transitions"], visited)
        visited.add(chosen["to"])
        payload = {"to": chosen["to"], "expected_version": body["version"]}
        for field in chosen.get("requires", []):
            payload[field] = "AL-3578-2026-0002" if field == "document_number" else "Sesuai."
        response = officer.post(
            f"/api/v1/cases/{case_id}/transitions", payload, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
    case = Case.objects.get(public_id=case_id)
    assert case.state == "terbit" and case.outcome_document.number == "AL-3578-2026-0002"
