"""The birth life event through the pages (consent, prefill marked with its source, the plan
with reasons, the bundle) and through the API (evaluate, one submission with an
Idempotency-Key, the bundle in the submission resource)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from satupintu.accounts.models import Consent
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Submission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {
    "child_name": "Ayu Lestari Prasetyo",
    "child_sex": "perempuan",
    "birth_date": "2026-11-20",
    "birth_place_city": "3578",
    "birth_facility": "RSUD dr. Soetomo",
    "birth_weight": "3100",
    "parents_status": "tercatat",
    "has_birth_statement": "true",
    "puskesmas": "Puskesmas Tegalsari",
    "hb0_given": "true",
    "has_kia_book": "true",
    "wants_kia": "false",
    "wants_insurance": "false",
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


def test_the_consent_question_must_be_answered(people):
    citizen = signed_in(people, "warga")
    page = citizen.get(url("cases:life_event_apply", "kelahiran"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="registry" value="yes"' in html and 'name="registry" value="no"' in html
    assert "UU 27/2022" in html  # the law that requires recording it
    refused = citizen.post(url("cases:life_event_apply", "kelahiran"), {})
    assert refused.status_code == 400
    assert (
        not Submission.objects.filter(applicant=people["warga"])
        .exclude(life_event_version=None)
        .exists()
    )


def test_the_birth_journey_through_the_pages(people):
    warga = people["warga"]
    citizen = signed_in(people, "warga")
    started = citizen.post(url("cases:life_event_apply", "kelahiran"), {"registry": "yes"})
    draft = Submission.objects.filter(applicant=warga).exclude(life_event_version=None).latest("id")
    assert started.url == url("cases:draft", draft.public_id)
    assert Consent.objects.filter(user=warga, granted=True).exists()

    # The form shows what came from the registry, and where it came from.
    page = citizen.get(url("cases:draft", draft.public_id)).content.decode()
    assert draft.answers["kk_number"] in page
    assert "Dispendukcapil" in page

    form = {
        **FORM,
        "kk_number": draft.answers["kk_number"],
        "mother_name": draft.answers["mother_name"],
        "mother_nik": draft.answers["mother_nik"],
        "home_address_street": "Jl. Kedungdoro Gg. III No. 12",
        "home_address_village": "3578051003",
        "phone": "081234567890",
        "marriage_book_file": SimpleUploadedFile("nikah.pdf", PDF, "application/pdf"),
        "birth_statement_file": SimpleUploadedFile("lahir.pdf", PDF, "application/pdf"),
        "action": "check",
    }
    checked = citizen.post(url("cases:draft", draft.public_id), form)
    assert checked.status_code == 302, re.findall(
        r"error-summary.*?</ul>", checked.content.decode(), re.S
    )
    review = citizen.get(url("cases:review", draft.public_id))
    html = review.content.decode()
    # Which services the answers start, and why the others do not apply.
    assert "Akta" in html
    assert "tidak meminta Kartu Identitas Anak" in html
    token = review.context["token"]
    sent = citizen.post(url("cases:review", draft.public_id), {"token": token})
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED
    cases = Case.objects.filter(submission=draft)
    assert cases.count() == 3  # certificate, family card (waiting), immunisation
    assert cases.values("agency").distinct().count() == 2
    bundle = citizen.get(sent.url).content.decode()
    for case in cases.select_related("service"):
        assert case.service.name in bundle


def test_evaluate_says_what_applies_without_signing_in(people):
    answered = Client().post(
        "/api/v1/life-events/kelahiran/evaluate",
        {"answers": {"wants_kia": False, "wants_insurance": True}},
        content_type="application/json",
    )
    assert answered.status_code == 200
    services = {item["service"]: item for item in answered.json()["services"]}
    assert services["dukcapil-surabaya.kia"]["applies"] is False
    assert services["dukcapil-surabaya.kia"]["reasons"]
    assert services["bpjs-kesehatan-surabaya.pendaftaran-peserta"]["applies"] is True, services[
        "bpjs-kesehatan-surabaya.pendaftaran-peserta"
    ]["reasons"]
    assert services["dukcapil-surabaya.perubahan-kk"]["after"] == {
        "service": "dukcapil-surabaya.akta-kelahiran",
        "state": "terbit",
    }
    unknown = Client().post(
        "/api/v1/life-events/tidak-ada/evaluate", {}, content_type="application/json"
    )
    assert unknown.status_code == 404


def test_a_life_event_submission_over_the_api(people):
    citizen = signed_in(people, "warga2")
    answers = {
        **{k: v for k, v in FORM.items() if k not in ("has_birth_statement",)},
        "birth_weight": 3100,
        "has_birth_statement": False,
        "parents_status": "tidak_kawin",
        "hb0_given": True,
        "has_kia_book": True,
        "wants_kia": False,
        "wants_insurance": False,
        "mother_name": "Rina Santoso",
        "mother_nik": "3578105007900002",
        "home_address": {"street": "Jl. Tambaksari Selatan No. 7", "village": "3578101001"},
        "phone": "081298765432",
        "kk_number": "3578101203100004",
    }
    first = citizen.post(
        "/api/v1/life-events/kelahiran/submissions",
        {"answers": answers, "share_registry": False},
        content_type="application/json",
        headers={"Idempotency-Key": "lahir-1"},
    )
    # The statement of responsibility is a file: without it nothing is created, and the
    # draft is kept to add it.
    assert first.status_code == 422
    body = first.json()
    assert any(error["path"] == "sptjm_birth_file" for error in body["errors"])
    draft_id = body["draft"]
    assert not Case.objects.filter(submission__public_id=draft_id).exists()

    uploaded = citizen.post(
        f"/api/v1/drafts/{draft_id}/documents",
        {"field": "sptjm_birth_file", "file": SimpleUploadedFile("s.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 201
    sent = citizen.post(f"/api/v1/drafts/{draft_id}/submit", headers={"Idempotency-Key": "lahir-2"})
    assert sent.status_code == 201, sent.json()
    bundle = sent.json()
    assert bundle["life_event"]["code"] == "kelahiran"
    by_service = {case["service"]["code"]: case for case in bundle["cases"]}
    assert by_service["dukcapil-surabaya.perubahan-kk"]["waiting_for"] == str(
        Case.objects.get(public_id=by_service["dukcapil-surabaya.akta-kelahiran"]["id"]).public_id
    )
    again = citizen.post(
        f"/api/v1/drafts/{draft_id}/submit", headers={"Idempotency-Key": "lahir-2"}
    )
    assert again.status_code == 200
    assert Case.objects.filter(submission__public_id=draft_id).count() == len(bundle["cases"])
    status = citizen.get(f"/api/v1/submissions/{bundle['tracking']}")
    assert status.status_code == 200 and len(status.json()["cases"]) == len(bundle["cases"])


def test_suggestions_over_the_api(people, make_case, settings):
    from satupintu.cases.services import case_transition

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    akta = make_case("dukcapil-surabaya.akta-kelahiran", answers={"child_name": "Bima Prasetyo"})
    officer, supervisor = people["petugas.dukcapil"], people["penyelia.dukcapil"]
    akta = case_transition(case=akta, actor=officer, to="verifikasi")
    akta = case_transition(case=akta, actor=officer, to="menunggu_tte", data={"note": "ok"})
    case_transition(case=akta, actor=supervisor, to="terbit", data={"document_number": "X-1"})
    mine = signed_in(people, "warga").get("/api/v1/my/suggestions").json()["items"]
    birth = next(item for item in mine if item["after_service"] == akta.service.code)
    assert birth["life_event"] == "kelahiran"
    assert birth["answers"]["child_name"] == "Bima Prasetyo"
    others = signed_in(people, "warga2").get("/api/v1/my/suggestions").json()["items"]
    assert all(item["id"] != birth["id"] for item in others)
