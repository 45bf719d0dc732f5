"""A life event end to end through the services: consent and prefill from the registry, one
submission that opens cases at several agencies (all or none), cases that start by themselves
when the case they wait for is issued, and the suggestions a finished case makes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.accounts.constants import Role
from satupintu.accounts.models import Consent, RoleAssignment
from satupintu.cases.constants import EventKind, SubmissionStatus
from satupintu.cases.documents import document_upload
from satupintu.cases.models import Case, CaseEvent, Suggestion
from satupintu.cases.services import case_transition, submission_draft_save, submission_submit
from satupintu.cases.services.life_events import life_event_draft_start
from satupintu.catalog.models import LifeEvent
from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.notifications.models import Notification

AKTA = "dukcapil-surabaya.akta-kelahiran"
KK = "dukcapil-surabaya.perubahan-kk"
KIA = "dukcapil-surabaya.kia"
BPJS = "bpjs-kesehatan-surabaya.pendaftaran-peserta"
IMUNISASI = "dinkes-surabaya.pendaftaran-imunisasi-bayi"

# A valid one-page PDF is enough for an upload.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

ANSWERS = {
    "child_name": "Ayu Lestari Prasetyo",
    "child_sex": "perempuan",
    "birth_date": "2026-11-20",
    "birth_place_city": "3578",
    "birth_facility": "RSUD dr. Soetomo",
    "birth_weight": 3100,
    "parents_status": "tercatat",
    "has_birth_statement": True,
    "puskesmas": "Puskesmas Tegalsari",
    "hb0_given": True,
    "has_kia_book": True,
    "wants_kia": True,
    "kia_pickup": "kecamatan",
    "wants_insurance": True,
    "insurance_segment": "pbpu_pemda",
    "primary_facility": "Puskesmas Tegalsari",
}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def birth():
    return LifeEvent.objects.select_related("current_version").get(code="kelahiran")


def upload(submission, key, user):
    return document_upload(
        submission=submission,
        field_key=key,
        upload=SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf"),
        actor=user,
    )


def start(birth, user, *, share=True, answers=ANSWERS):
    draft, unavailable = life_event_draft_start(
        applicant=user, life_event=birth, share_registry=share
    )
    draft = submission_draft_save(
        applicant=user, submission=draft, answers={**draft.answers, **answers}
    )
    return draft, unavailable


def send(draft, user, **kwargs):
    upload(draft, "marriage_book_file", user)
    upload(draft, "birth_statement_file", user)
    return submission_submit(submission=draft, actor=user, **kwargs)


@pytest.mark.django_db
def test_consent_is_recorded_and_the_registry_fills_in_the_family(people, birth):
    warga = people["warga"]
    draft, unavailable = start(birth, warga, answers={})
    assert unavailable == {}
    consent = Consent.objects.get(user=warga, purpose_code="prefill:kelahiran")
    assert consent.granted and consent.withdrawn_at is None
    assert set(consent.datasets) == {"population.family_card", "population.person"}
    assert consent.purpose["id"].startswith("Mengisi otomatis")
    # The family card's number and the mother (warga herself) come from the registry.
    assert draft.answers["kk_number"] == draft.registry_data["family_card"]["number"]
    assert draft.answers["mother_nik"] == warga.citizen.nik
    assert draft.prefill_sources["kk_number"] == "registry.family_card"
    assert AuditEvent.objects.filter(action="registry.read", subject_id=warga.pk).exists()


@pytest.mark.django_db
def test_declining_records_the_refusal_and_reads_no_registry(people, birth):
    warga = people["warga"]
    draft, _unavailable = start(birth, warga, share=False, answers={})
    consent = Consent.objects.get(user=warga, purpose_code="prefill:kelahiran")
    assert consent.granted is False
    assert "kk_number" not in draft.answers
    assert draft.registry_data == {}
    assert not AuditEvent.objects.filter(action="registry.read", subject_id=warga.pk).exists()


@pytest.mark.django_db
def test_one_submission_opens_cases_at_three_agencies_and_dependants_wait(people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    submission = send(draft, warga)
    assert submission.status == SubmissionStatus.SUBMITTED and submission.tracking
    cases = {case.service.code: case for case in submission.cases.select_related("service")}
    assert set(cases) == {AKTA, KK, KIA, BPJS, IMUNISASI}
    assert len({case.agency_id for case in cases.values()}) >= 3
    # Started now: the certificate and the immunisation registration.
    assert cases[AKTA].is_open and not cases[AKTA].is_waiting
    assert cases[IMUNISASI].is_open
    # Waiting, in no queue: the family card (for the certificate), KIA and insurance (for the card).
    assert cases[KK].is_waiting and not cases[KK].is_open and cases[KK].waits_for == cases[AKTA]
    assert cases[KIA].waits_for == cases[KK] and cases[BPJS].waits_for == cases[KK]
    # Each case has its own answers, mapped from the shared ones, and its own copy of files.
    assert cases[AKTA].answers["child_name"] == "Ayu Lestari Prasetyo"
    assert cases[KK].answers["change_reason"] == "kelahiran"
    assert cases[AKTA].documents.filter(field_key="birth_statement_file").count() == 1
    assert cases[IMUNISASI].documents.filter(field_key="birth_statement_file").count() == 1


@pytest.mark.django_db
def test_one_invalid_service_answer_creates_no_case_at_all(people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga, answers={**ANSWERS, "birth_weight": 100})  # below 500 g
    with pytest.raises(DomainError) as raised:
        send(draft, warga)
    assert raised.value.code == "invalid_answers"
    assert any(error["path"] == "birth_weight" for error in raised.value.errors)
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT
    assert not Case.objects.filter(submission=draft).exists()


@pytest.mark.django_db
def test_the_same_idempotency_key_makes_one_bundle(people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    first = send(draft, warga, idempotency_key="kelahiran-1")
    again = submission_submit(submission=draft, actor=warga, idempotency_key="kelahiran-1")
    assert again.pk == first.pk
    assert Case.objects.filter(submission=first).count() == 5


def issue(case, people, number):
    officer, supervisor = people["petugas.dukcapil"], people["penyelia.dukcapil"]
    case = case_transition(case=case, actor=officer, to="verifikasi")
    case = case_transition(case=case, actor=officer, to="menunggu_tte", data={"note": "SIAK ok"})
    return case_transition(
        case=case, actor=supervisor, to="terbit", data={"document_number": number}
    )


@pytest.mark.django_db
def test_the_family_card_starts_by_itself_with_the_certificate_number(
    people, birth, django_capture_on_commit_callbacks
):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    submission = send(draft, warga)
    akta = submission.cases.get(service__code=AKTA)
    with django_capture_on_commit_callbacks(execute=True):
        issue(akta, people, "3578-LT-20112026-0001")
    kk = submission.cases.get(service__code=KK)
    assert kk.is_open and not kk.is_waiting
    assert kk.state == kk.definition["workflow"]["start"]
    assert kk.answers["birth_certificate_number"] == "3578-LT-20112026-0001"
    assert CaseEvent.objects.filter(case=kk, kind=EventKind.STARTED).exists()
    # KIA and the insurance still wait, for the family card.
    assert submission.cases.get(service__code=KIA).is_waiting
    assert Notification.objects.filter(recipient=warga, kind="case.started").exists()


@pytest.mark.django_db
def test_a_refused_prerequisite_calls_off_what_waits_for_it(people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    submission = send(draft, warga)
    akta = submission.cases.get(service__code=AKTA)
    akta = case_transition(case=akta, actor=people["petugas.dukcapil"], to="verifikasi")
    case_transition(
        case=akta, actor=people["penyelia.dukcapil"], to="ditolak", data={"reason": "Palsu"}
    )
    for code in (KK, KIA, BPJS):
        case = submission.cases.get(service__code=code)
        assert not case.is_waiting and not case.is_open and case.outcome.get("called_off")


@pytest.mark.django_db
def test_a_waiting_case_cannot_be_worked(people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    kk = send(draft, warga).cases.get(service__code=KK)
    with pytest.raises(DomainError) as raised:
        case_transition(case=kk, actor=people["petugas.dukcapil"], to="verifikasi")
    assert raised.value.code == "case_waiting"


@pytest.mark.django_db
def test_a_registered_birth_suggests_the_services_not_used_yet_prefilled(
    people, make_case, birth, django_capture_on_commit_callbacks
):
    warga = people["warga"]
    akta = make_case(
        AKTA,
        answers={"child_name": "Bima Prasetyo", "child_sex": "laki_laki"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue(akta, people, "3578-LT-01112026-0009")
    suggestion = Suggestion.objects.get(user=warga, life_event=birth, source_case=akta)
    assert suggestion.signal == "birth_registered"
    assert AKTA not in suggestion.services and KK in suggestion.services
    assert suggestion.answers["child_name"] == "Bima Prasetyo"  # read back through the map
    assert Notification.objects.filter(recipient=warga, kind="suggestion").exists()

    # One tap: a draft of the birth event with what the certificate told us.
    draft, _ = life_event_draft_start(
        applicant=warga, life_event=birth, share_registry=True, suggestion=suggestion
    )
    assert draft.answers["child_name"] == "Bima Prasetyo"
    suggestion.refresh_from_db()
    assert suggestion.status == "started" and suggestion.submission == draft
    draft = submission_draft_save(
        applicant=warga,
        submission=draft,
        answers={**draft.answers, **ANSWERS, "child_name": "Bima Prasetyo"},
    )
    submission = send(draft, warga)
    codes = set(submission.cases.values_list("service__code", flat=True))
    assert AKTA not in codes  # already done: not applied for twice
    kk = submission.cases.get(service__code=KK)
    # The certificate was issued already, so the family card starts at once with its number.
    assert kk.is_open and kk.answers["birth_certificate_number"] == "3578-LT-01112026-0009"


@pytest.mark.django_db
def test_no_suggestion_when_every_service_was_used(people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    submission = send(draft, warga)
    akta = submission.cases.get(service__code=AKTA)
    issue(akta, people, "3578-LT-20112026-0002")
    # Every service of the birth event is in this very application: nothing to suggest.
    assert not Suggestion.objects.filter(source_case=akta).exists()


@pytest.mark.django_db
def test_the_submission_page_shows_the_bundle(client, people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    submission = send(draft, warga)
    client.force_login(warga)
    page = client.get(f"/permohonan/{submission.public_id}/terkirim/")
    assert page.status_code == 200
    html = page.content.decode()
    for case in submission.cases.select_related("service", "agency"):
        assert case.service.name in html
    assert "Menunggu" in html  # the waiting cases say so


@pytest.mark.django_db
def test_only_what_the_event_reads_from_the_registry_is_kept(people, birth):
    draft, _ = start(birth, people["warga"], answers={})
    family = draft.registry_data["family_card"]
    assert "members" not in family  # the other members of the card are not kept
    assert set(family) <= {"number", "mother", "address", "father", "head"}
    assert family["mother"]["nik"] == people["warga"].citizen.nik


@pytest.mark.django_db
def test_each_agency_sees_only_its_own_case_and_files(client, people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    submission = send(draft, warga)
    immunisation = submission.cases.get(service__code=IMUNISASI)
    akta = submission.cases.get(service__code=AKTA)
    client.force_login(people["petugas.dinkes"])
    page = client.get(f"/petugas/kasus/{immunisation.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ayu Lestari Prasetyo" in html
    assert "birth_statement_file.pdf" in html
    assert "marriage_book_file.pdf" not in html  # the marriage book is the registry's, not theirs
    assert client.get(f"/petugas/kasus/{akta.public_id}/").status_code == 404
    # The shared upload itself (not a case's copy) is no agency's to open.
    shared = submission.documents.get(case__isnull=True, field_key="marriage_book_file")
    from satupintu.cases.documents import document_open

    with pytest.raises(DomainError):
        document_open(document=shared, actor=people["petugas.dukcapil"])


@pytest.mark.django_db
def test_a_waiting_case_page_says_what_it_waits_for(client, people, birth):
    warga = people["warga"]
    draft, _ = start(birth, warga)
    kk = send(draft, warga).cases.get(service__code=KK)
    officer = people["petugas.dukcapil"]
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER, agency=kk.agency, unit=kk.unit)
    client.force_login(officer)
    page = client.get(f"/petugas/kasus/{kk.public_id}/")
    assert page.status_code == 200
    assert not page.context["transitions"]  # nothing to do until it starts
    client.force_login(warga)
    page = client.get(f"/layanan-saya/kasus/{kk.public_id}/").content.decode()
    assert "Menunggu “Penerbitan Akta Kelahiran”" in page


@pytest.mark.django_db
def test_on_behalf_of_a_business_the_business_services_apply(people):
    from satupintu.accounts.models import BusinessProfile
    from satupintu.cases.services.life_events import life_event_plan_for

    warga = people["warga"]
    cooperative = BusinessProfile.objects.get(representatives=warga)
    event = LifeEvent.objects.select_related("current_version").get(code="memulai-usaha")
    own, _ = life_event_draft_start(applicant=warga, life_event=event, share_registry=False)
    behalf, _ = life_event_draft_start(
        applicant=warga, life_event=event, share_registry=False, business=cooperative
    )
    assert behalf.business == cooperative
    for draft in (own, behalf):
        submission_draft_save(
            applicant=warga, submission=draft, answers={**draft.answers, "wants_signboard": True}
        )
        draft.refresh_from_db()

    def reasons(draft, code):
        plan = next(p for p in life_event_plan_for(draft) if p.code == code)
        return plan.applies, plan.reasons

    applies, why = reasons(own, "dpmptsp-surabaya.izin-reklame")
    assert not applies
    assert any("atas nama badan usaha" in reason for reason in why)
    _applies, why = reasons(behalf, "dpmptsp-surabaya.izin-reklame")
    assert not any("atas nama badan usaha" in reason for reason in why)
    # Another person's business cannot be applied for.
    with pytest.raises(DomainError):
        life_event_draft_start(
            applicant=people["warga2"], life_event=event, share_registry=False, business=cooperative
        )
