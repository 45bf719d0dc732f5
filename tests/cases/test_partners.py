"""Co-production with partner organisations (issue: partner portal): an officer gives a case's
task to one of the partners that the service names (an unlisted one is refused); the people
of that partner — and nobody else — see the task, with only the answers the definition lets
them see (no NIK), and take their steps on the portal or over the API (accept, decline with a
reason, complete with a proof of delivery), with the case's version and a CSRF token; every
view is audited; the officer and the resident follow the partner's progress on their own
pages."""

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.cases import services
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Document, Message, Submission
from satupintu.cases.notices import case_notify
from satupintu.cases.views import partner as partner_views
from satupintu.catalog.models import Service, ServiceVersion
from satupintu.catalog.services import catalog_validate
from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.core.tracking import generate
from satupintu.organisations.models import Agency, Partner, PartnerKind, Unit

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.PACKAGE_DIR) / "definitions"
FOOD = "dinsos-surabaya.antar-pangan-uji"
WONOKROMO, TEGALSARI = "kampung-tangguh-wonokromo", "pkk-tegalsari"
NIK = "3578046512880004"
# Jagir, a village of Wonokromo district, Surabaya.
JAGIR = "3578041002"
ANSWERS = {
    "recipient_nik": NIK,
    "recipient_name": "Sri Wahyuni",
    "address": {"street": "Jl. Jagir Sidomukti No. 12, RT 03 RW 05", "village": JAGIR},
    "phone": "081233344455",
    "household_size": 4,
    "dietary_notes": "Tanpa kacang",
    "isolation_start": "2025-03-03",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The test's own service, on the shape of the shipped catalogue (which another change extends
# with the real one): food delivered by a partner to a household in self-isolation.
STEPS = {
    "checking": "verifikasi",
    "given": "ke_mitra",
    "delivering": "diantar",
    "delivered": "selesai",
}


def _definition() -> dict:
    base = yaml.safe_load(
        (CATALOG / "services/dinsos-surabaya/santunan-kematian.yaml").read_text(encoding="utf-8")
    )

    def text(id_: str, en: str) -> dict:
        return {"id": id_, "en": en}

    return {
        **{key: base[key] for key in ("agency", "unit", "categories", "applicants", "channels")},
        **{key: base[key] for key in ("fee", "complaints", "standard", "procedure")},
        "code": FOOD,
        "name": text("Antar Pangan Isolasi (uji)", "Food for Self-Isolation (test)"),
        "summary": text(
            "Paket pangan diantar oleh mitra ke rumah warga yang isolasi mandiri.",
            "A food package that a partner delivers to residents in self-isolation.",
        ),
        "requirements": [
            {
                "code": "surat-isolasi",
                "name": text("Surat keterangan isolasi", "Self-isolation letter"),
                "kind": "document",
                "accept": ["application/pdf", "image/jpeg", "image/png"],
                "max_mb": 5,
            }
        ],
        "form": [
            {"key": "recipient_nik", "type": "nik", "label": text("NIK penerima", "NIK")},
            {
                "key": "recipient_name",
                "type": "text",
                "label": text("Nama penerima", "Recipient's name"),
            },
            {"key": "address", "type": "address", "label": text("Alamat", "Delivery address")},
            {"key": "phone", "type": "phone", "label": text("Nomor HP", "Mobile number")},
            {
                "key": "household_size",
                "type": "number",
                "label": text("Jumlah anggota keluarga", "People in the household"),
                "integer": True,
                "min": 1,
            },
            {
                "key": "dietary_notes",
                "type": "textarea",
                "label": text("Catatan makanan", "Dietary notes"),
                "required": False,
            },
            {
                "key": "isolation_start",
                "type": "date",
                "label": text("Mulai isolasi", "Self-isolation began"),
            },
            {
                "key": "isolation_letter_file",
                "type": "file",
                "label": text("Surat keterangan isolasi", "Self-isolation letter"),
                "requirement": "surat-isolasi",
                "required": False,
            },
        ],
        "partners": {
            "organisations": [WONOKROMO, TEGALSARI],
            "sees": ["recipient_name", "address", "phone", "household_size", "dietary_notes"],
        },
        "workflow": {
            "start": "diajukan",
            "states": {
                "diajukan": {"label": text("Diajukan", "Submitted")},
                "verifikasi": {"label": text("Verifikasi", "Checking")},
                "ke_mitra": {"label": text("Diserahkan ke mitra", "Given to a partner")},
                "diantar": {"label": text("Sedang diantar", "Being delivered")},
                "selesai": {"label": text("Pangan diterima", "Food delivered"), "final": True},
                "ditolak": {"label": text("Ditolak", "Rejected"), "final": True},
            },
            "transitions": [
                {
                    "from": "diajukan",
                    "to": "verifikasi",
                    "by": "officer",
                    "name": text("Mulai verifikasi", "Start checking"),
                },
                {
                    "from": "verifikasi",
                    "to": "ke_mitra",
                    "by": "officer",
                    "requires": ["partner"],
                    "name": text("Serahkan ke mitra", "Give to a partner"),
                },
                {
                    "from": "ke_mitra",
                    "to": "diantar",
                    "by": "partner",
                    "name": text("Terima tugas", "Accept the task"),
                },
                {
                    "from": "ke_mitra",
                    "to": "verifikasi",
                    "by": "partner",
                    "requires": ["reason"],
                    "name": text("Tolak tugas", "Decline the task"),
                },
                {
                    "from": "diantar",
                    "to": "selesai",
                    "by": "partner",
                    "requires": ["file", "note"],
                    "name": text("Sudah diantar", "Mark as delivered"),
                },
                {
                    "from": "verifikasi",
                    "to": "ditolak",
                    "by": "supervisor",
                    "requires": ["reason"],
                    "name": text("Tolak", "Reject"),
                },
            ],
        },
        "deadline": {"working_days": 3},
        "product": {"name": text("Paket pangan", "A food package")},
    }


DEFINITION = _definition()


# Fixtures ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads of these tests go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def food(db) -> Service:
    """The test's partner-fulfilled service, as the catalogue loader would store it."""
    unit = Unit.objects.get(agency__code="dinsos-surabaya", code="linjamsos")
    service = Service.objects.create(
        code=FOOD,
        agency=unit.agency,
        unit=unit,
        name_id=DEFINITION["name"]["id"],
        name_en=DEFINITION["name"]["en"],
        summary_id=DEFINITION["summary"]["id"],
        summary_en=DEFINITION["summary"]["en"],
    )
    version = ServiceVersion.objects.create(
        service=service, number=1, definition=DEFINITION, content_hash="0" * 64
    )
    service.current_version = version
    service.save(update_fields=["current_version"])
    return service


def _user(username: str, **role):
    user = get_user_model().objects.create_user(
        username=username, password="x", first_name=username.split(".")[0].title()
    )
    RoleAssignment.objects.create(user=user, **role)
    return user


@pytest.fixture
def staff(people, food) -> dict:
    """An officer and a supervisor of Dinsos (the coordinating agency), the demo partner user
    of Kampung Tangguh Wonokromo and a user of PKK Tegalsari."""
    dinsos = Agency.objects.get(code="dinsos-surabaya")
    unit = Unit.objects.get(agency=dinsos, code="linjamsos")
    return {
        "officer": _user("uji.petugas.dinsos", role=Role.OFFICER, agency=dinsos, unit=unit),
        "supervisor": _user("uji.penyelia.dinsos", role=Role.SUPERVISOR, agency=dinsos, unit=unit),
        "wonokromo": people["mitra.wonokromo"],
        "tegalsari": _user(
            "uji.mitra.tegalsari",
            role=Role.PARTNER,
            partner=Partner.objects.get(code=TEGALSARI),
        ),
    }


@pytest.fixture
def new_case(people, food):
    """Open a case of the test service for ``warga`` (no form: straight to the case)."""

    def make(answers: dict | None = None) -> Case:
        now = timezone.now()
        submission = Submission.objects.create(
            applicant=people["warga"],
            service_version=food.current_version,
            answers=ANSWERS if answers is None else answers,
            status=SubmissionStatus.SUBMITTED,
            submitted_at=now,
            tracking=generate(),
        )
        return services.case_open(
            submission=submission,
            service_version=food.current_version,
            submitted_at=now,
            actor=people["warga"],
        )

    return make


@pytest.fixture
def task(new_case, staff):
    """A case that the officer checked and gave to ``partner``."""

    def make(partner: str = WONOKROMO, **kwargs) -> Case:
        case = new_case(**kwargs)
        officer = staff["officer"]
        case = services.case_transition(case=case, actor=officer, to=STEPS["checking"])
        return services.case_transition(
            case=case, actor=officer, to=STEPS["given"], data={"partner": partner}
        )

    return make


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, case: Case | None = None, *, language: str = "en", **kwargs) -> str:
    """A page's address; English by default, so that the tests read the interface's own
    words whatever the Indonesian translation says."""
    if case is not None:
        kwargs["public_id"] = case.public_id
    with translation.override(language):
        return reverse(name if ":" in name else f"cases:{name}", kwargs=kwargs or None)


def step_index(case: Case, to: str) -> int:
    transitions = case.definition["workflow"]["transitions"]
    return next(i for i, t in enumerate(transitions) if t["from"] == case.state and t["to"] == to)


def step(client: Client, case: Case, to: str, **fields):
    """Post the form of the step of ``case`` that leads to ``to``, as the page does."""
    index = step_index(case, to)
    data = {"version": case.version, "transition": index}
    data.update({f"t{index}-{name}": value for name, value in fields.items()})
    return client.post(url("partner_step", case), data)


def text(response) -> str:
    return response.content.decode()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xc8\x0a\x0a")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_the_test_service_is_a_valid_definition(tmp_path):
    """The definition these tests use passes the catalogue's own checks."""
    folder = tmp_path / "definitions"
    (folder / "services/dinsos-surabaya").mkdir(parents=True)
    for name in ("organisations.yaml", "categories.yaml"):
        shutil.copy(CATALOG / name, folder / name)
    (folder / "services/dinsos-surabaya/antar-pangan-uji.yaml").write_text(
        yaml.safe_dump(DEFINITION, allow_unicode=True), encoding="utf-8"
    )
    assert sorted(map(str, catalog_validate(directory=folder).problems)) == []


# The officer gives the task to a partner -------------------------------------------------


def test_the_officer_chooses_one_of_the_services_partners(new_case, staff):
    case = services.case_transition(case=new_case(), actor=staff["officer"], to=STEPS["checking"])
    client = login(staff["officer"])
    page = text(client.get(url("officer_case", case)))
    index = step_index(case, STEPS["given"])
    # A choice of the partners the definition names, labelled.
    field = re.search(rf'<select name="t{index}-partner"[^>]*>(.*?)</select>', page, re.S)
    assert field is not None
    assert "Partner organisation" in page
    options = re.findall(r'<option value="([^"]*)"', field.group(1))
    assert options == ["", WONOKROMO, TEGALSARI]  # by name

    response = client.post(
        url("officer_transition", case),
        {"version": case.version, "transition": index, f"t{index}-partner": WONOKROMO},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == STEPS["given"] and case.partner.code == WONOKROMO
    # The case page names the partner and its progress.
    page = text(client.get(url("officer_case", case)))
    assert 'id="partner"' in page and "Wonokromo RW 05 Resilient Neighbourhood" in page
    assert "The partner has not taken a step yet." in page
    assert "the partner organisation takes the next one" in page


@pytest.mark.parametrize("chosen", ["", "karang-taruna-lain", "bukan-mitra"])
def test_no_partner_or_an_unlisted_partner_is_refused(new_case, staff, chosen):
    # An active partner organisation that this service does not name.
    Partner.objects.create(
        code="karang-taruna-lain",
        kind=PartnerKind.COMMUNITY,
        name_id="Karang Taruna Lain",
        name_en="Another Youth Group",
    )
    case = services.case_transition(case=new_case(), actor=staff["officer"], to=STEPS["checking"])
    index = step_index(case, STEPS["given"])
    response = login(staff["officer"]).post(
        url("officer_transition", case),
        {"version": case.version, "transition": index, f"t{index}-partner": chosen},
    )
    assert response.status_code == 422
    assert "Choose the partner organisation that will do the task" in text(response)
    case.refresh_from_db()
    assert case.state == STEPS["checking"] and case.partner is None


def test_the_service_refuses_an_unlisted_partner_whatever_the_caller(new_case, staff):
    case = services.case_transition(case=new_case(), actor=staff["officer"], to=STEPS["checking"])
    with pytest.raises(DomainError) as refused:
        services.case_transition(
            case=case, actor=staff["officer"], to=STEPS["given"], data={"partner": "lain"}
        )
    assert refused.value.code == "invalid_partner" and refused.value.status == 422
    assert refused.value.errors[0]["path"] == "partner"


def test_the_partners_people_are_told_with_a_link_to_the_task(task, staff):
    case = task()
    sent = case_notify(case=case, kind="partner", data={})
    assert [notification.recipient for notification in sent] == [staff["wonokromo"]]
    assert sent[0].link == reverse("cases:partner_task", args=[case.public_id])
    assert login(staff["wonokromo"]).get(sent[0].link).status_code == 200


# Who sees what ---------------------------------------------------------------------------


def test_a_partner_sees_only_its_own_tasks(task, new_case, staff):
    own, other = task(WONOKROMO), task(TEGALSARI)
    not_given = new_case()
    client = login(staff["wonokromo"])

    page = client.get(url("partner_tasks"))
    assert page.status_code == 200
    assert url("partner_task", own) in text(page)
    assert url("partner_task", other) not in text(page)
    assert url("partner_task", not_given) not in text(page)
    # The list says where, in words, and how far the task is.
    assert "Jagir, Wonokromo district" in text(page) and "Given to a partner" in text(page)

    for case in (other, not_given):
        assert client.get(url("partner_task", case)).status_code == 404
    # Another partner's step form is "not found" too, and changes nothing.
    index = step_index(other, STEPS["delivering"])
    refused = client.post(
        url("partner_step", other), {"version": other.version, "transition": index}
    )
    assert refused.status_code == 404
    other.refresh_from_db()
    assert other.state == STEPS["given"]
    # And the other way round.
    assert login(staff["tegalsari"]).get(url("partner_task", own)).status_code == 404


def test_people_without_a_partner_role_cannot_open_the_partner_pages(task, people):
    case = task()
    for username in ("warga", "petugas.dukcapil"):  # the applicant herself; another agency
        client = login(people[username])
        for address in (url("partner_tasks"), url("partner_task", case)):
            assert client.get(address).status_code == 403
        index = step_index(case, STEPS["delivering"])
        response = client.post(
            url("partner_step", case), {"version": case.version, "transition": index}
        )
        assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == STEPS["given"]
    # Anonymous visitors are asked to sign in.
    response = Client().get(url("partner_tasks"))
    assert response.status_code == 302 and response["Location"].startswith(url("accounts:login"))


def test_the_task_page_shows_only_what_the_partner_may_see_and_is_audited(task, staff):
    case = task()
    attached = Document.objects.create(
        submission=case.submission,
        field_key="isolation_letter_file",
        original_name="surat-isolasi-rahasia.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=case.submission.applicant,
    )
    response = login(staff["wonokromo"]).get(url("partner_task", case))
    assert response.status_code == 200
    page = text(response)
    # What the definition lets the partner see, in plain words.
    assert "Sri Wahyuni" in page and "081233344455" in page and "Tanpa kacang" in page
    assert "Jl. Jagir Sidomukti No. 12, RT 03 RW 05, Jagir, Wonokromo district" in page
    assert "Food for Self-Isolation (test)" in page
    assert "Surabaya City Social Affairs Office" in page  # the coordinating agency
    # Nothing else: not the NIK, not a field outside `sees`, not the applicant's account,
    # not her documents.
    assert NIK not in page
    assert "Self-isolation began" not in page
    assert "Siti Rahayu" not in page and "3578056503920001" not in page
    assert attached.original_name not in page
    # Her steps: accept, decline with a reason.
    assert "Accept the task" in page and "Decline the task" in page
    assert f'name="version" value="{case.version}"' in page
    assert AuditEvent.objects.filter(
        action="case.viewed_by_partner",
        actor=staff["wonokromo"],
        object_id=str(case.public_id),
    ).exists()


def test_the_header_links_to_the_tasks_for_partner_people_only(staff, people):
    link = f'href="{url("partner_tasks")}"'
    assert link in text(login(staff["wonokromo"]).get(url("catalog:home")))
    assert link not in text(login(people["warga"]).get(url("catalog:home")))
    assert link not in text(login(staff["officer"]).get(url("catalog:home")))


# Steps -------------------------------------------------------------------------------------


def test_the_partner_accepts_and_completes_with_a_proof_and_everyone_sees_the_progress(
    task, staff, people
):
    case = task()
    client = login(staff["wonokromo"])

    accepted = step(client, case, STEPS["delivering"])
    assert accepted.status_code == 302
    assert accepted["Location"] == url("partner_task", case)
    page = text(client.get(accepted["Location"]))
    assert "Done. The task is now “Being delivered”." in page
    case.refresh_from_db()
    assert case.state == STEPS["delivering"]
    assert "Mark as delivered" in page and 'enctype="multipart/form-data"' in page

    # The proof is needed: without it nothing happens, and the form says so.
    refused = step(client, case, STEPS["delivered"], note="Diterima Bu Sri")
    assert refused.status_code == 422
    assert "Choose the photo or PDF that proves the delivery" in text(refused)
    case.refresh_from_db()
    assert case.state == STEPS["delivering"]

    index = step_index(case, STEPS["delivered"])
    # The step asks for a note as well: a file alone is not enough either.
    refused = client.post(
        url("partner_step", case),
        {
            "version": case.version,
            "transition": index,
            f"t{index}-file": SimpleUploadedFile("bukti.png", png(), "image/png"),
        },
    )
    assert refused.status_code == 422
    assert "Write a note for the agency" in text(refused)
    assert not Document.objects.filter(case=case).exists()

    done = client.post(
        url("partner_step", case),
        {
            "version": case.version,
            "transition": index,
            f"t{index}-note": "Diterima langsung oleh Bu Sri pukul 10.00",
            f"t{index}-file": SimpleUploadedFile("bukti.png", png(), "image/png"),
        },
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == STEPS["delivered"] and not case.is_open
    # The proof is kept with the partner's note, for the officers only.
    note = Message.objects.get(case=case, internal=True, author=staff["wonokromo"])
    assert note.body == "Diterima langsung oleh Bu Sri pukul 10.00"
    proof = note.documents.get()
    assert proof.content_type == "image/png" and proof.original_name == "bukti.png"

    # The officer sees the partner, its latest step, the note and the proof.
    officer_page = text(login(staff["officer"]).get(url("officer_case", case)))
    assert "Latest step by the partner: Mark as delivered" in officer_page
    assert "Diterima langsung oleh Bu Sri" in officer_page and "bukti.png" in officer_page
    # The resident sees the progress, not the partner's note or the proof.
    resident_page = text(login(people["warga"]).get(url("case", case)))
    assert "Food delivered" in resident_page
    assert "Being delivered" in resident_page  # the timeline
    assert "Diterima langsung" not in resident_page and "bukti.png" not in resident_page
    # The finished task stays on the partner's list of finished tasks.
    finished = text(client.get(url("partner_tasks") + "?closed=1"))
    assert url("partner_task", case) in finished
    assert url("partner_task", case) not in text(client.get(url("partner_tasks")))


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_and_nothing_changes(task, staff):
    case = task()
    client = login(staff["wonokromo"])
    step(client, case, STEPS["delivering"])
    case.refresh_from_db()
    index = step_index(case, STEPS["delivered"])
    response = client.post(
        url("partner_step", case),
        {
            "version": case.version,
            "transition": index,
            f"t{index}-note": "Sudah",
            f"t{index}-file": SimpleUploadedFile(
                "bukti.png", b"MZ\x90\x00 not an image", "image/png"
            ),
        },
    )
    assert response.status_code == 422
    assert "This file is not a PDF, JPEG or PNG file" in text(response)
    case.refresh_from_db()
    assert case.state == STEPS["delivering"]
    assert not Message.objects.filter(case=case, internal=True).exists()


def test_the_partner_declines_with_a_reason_and_the_officer_gives_it_to_another(task, staff):
    case = task()
    client = login(staff["wonokromo"])
    refused = step(client, case, "verifikasi")
    assert refused.status_code == 422
    assert "Give the reason for the agency" in text(refused)

    declined = step(client, case, "verifikasi", reason="Relawan kami sedang sakit")
    assert declined.status_code == 302
    case.refresh_from_db()
    assert case.state == STEPS["checking"]
    assert "Relawan kami sedang sakit" in text(
        login(staff["officer"]).get(url("officer_case", case))
    )
    # The officer gives it to the other partner, whose people now see it; the first no longer.
    case = services.case_transition(
        case=case, actor=staff["officer"], to=STEPS["given"], data={"partner": TEGALSARI}
    )
    assert login(staff["tegalsari"]).get(url("partner_task", case)).status_code == 200
    assert client.get(url("partner_task", case)).status_code == 404


def test_a_stale_step_is_refused(task, staff):
    case = task()
    client = login(staff["wonokromo"])
    stale_version = case.version
    assert step(client, case, STEPS["delivering"]).status_code == 302
    index = step_index(case, "verifikasi")  # the form as it was, before the task was accepted
    response = client.post(
        url("partner_step", case),
        {"version": stale_version, "transition": index, f"t{index}-reason": "Tidak bisa"},
    )
    assert response.status_code == 409
    page = text(response)
    assert "This case changed while you were looking at it" in page
    assert "Tidak bisa" in page  # what was typed is kept for copying
    case.refresh_from_db()
    assert case.state == STEPS["delivering"]


def test_steps_need_the_csrf_token(task, staff):
    case = task()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["wonokromo"])
    index = step_index(case, STEPS["delivering"])
    response = client.post(
        url("partner_step", case), {"version": case.version, "transition": index}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == STEPS["given"]
    # With the token of the page's form, the same step is taken.
    page = client.get(url("partner_task", case))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    response = client.post(
        url("partner_step", case),
        {"version": case.version, "transition": index, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == STEPS["delivering"]


# The list --------------------------------------------------------------------------------


def test_the_list_pages_by_due_date_at_the_same_cost(task, staff, monkeypatch):
    monkeypatch.setattr(partner_views, "PAGE_SIZE", 4)
    cases = [task() for _ in range(10)]
    client = login(staff["wonokromo"])
    client.get(url("partner_tasks"))  # warm the per-process caches (regions, holidays)

    seen, costs, address = [], [], url("partner_tasks")
    while address:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        costs.append(len(queries))
        seen += re.findall(r"/mitra/tugas/([0-9a-f-]{36})/", text(response))
        found = re.search(r'rel="next" href="([^"]+)"', text(response))
        address = url("partner_tasks") + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == _open_tasks_of(WONOKROMO)
    assert {str(case.public_id) for case in cases} <= set(seen)
    assert len(costs) == -(-len(seen) // 4) >= 3 and len(set(costs)) == 1


def _open_tasks_of(partner: str) -> list[str]:
    """The public ids of the partner's open tasks (the demo's too), earliest due first."""
    return [
        str(public_id)
        for public_id in Case.objects.filter(partner__code=partner, is_open=True)
        .order_by("due_date", "id")
        .values_list("public_id", flat=True)
    ]


# API -------------------------------------------------------------------------------------


def api(client: Client, method: str, path: str, payload=None, **extra):
    address = f"/api/v1/partner/tasks{path}"
    if method == "get":
        return client.get(address, **extra)
    return client.post(address, payload or {}, content_type="application/json", **extra)


def test_the_api_lists_and_shows_only_the_partners_tasks(task, new_case, staff, people):
    own, other = task(WONOKROMO), task(TEGALSARI)
    client = login(staff["wonokromo"])

    listed = api(client, "get", "")
    assert listed.status_code == 200
    items = {item["id"]: item for item in listed.json()["items"]}
    assert str(own.public_id) in items and str(other.public_id) not in items
    # Whatever else is there (the demo's tasks) is the same organisation's too.
    assert {item["partner"]["code"] for item in items.values()} == {WONOKROMO}
    # In the platform's default language, as every API answer.
    assert items[str(own.public_id)]["area"] == "Jagir, Kecamatan Wonokromo"

    detail = api(client, "get", f"/{own.public_id}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["answers"] == {
        key: ANSWERS[key]
        for key in ("recipient_name", "address", "phone", "household_size", "dietary_notes")
    }
    assert NIK not in detail.content.decode()
    assert [step["to"] for step in body["allowed_transitions"]] == ["diantar", "verifikasi"]
    assert AuditEvent.objects.filter(
        action="case.viewed_by_partner", object_id=str(own.public_id), details__via="api"
    ).exists()

    for case in (other, new_case()):
        response = api(client, "get", f"/{case.public_id}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api(client, "get", "/not-a-uuid").status_code == 404
    refused = api(
        client, "post", f"/{other.public_id}/transitions", {"to": "diantar", "version": 3}
    )
    assert refused.status_code == 404
    # People without a partner role have no tasks.
    for username in ("warga", "petugas.dukcapil"):
        response = api(login(people[username]), "get", "")
        assert response.status_code == 403 and response.json()["code"] == "partner_only"
    assert api(Client(), "get", "").status_code == 401


def test_the_api_takes_steps_with_the_version_and_a_proof_by_multipart(task, staff):
    case = task()
    client = login(staff["wonokromo"])

    stale = api(client, "post", f"/{case.public_id}/transitions", {"to": "diantar", "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "case_changed"
    accepted = api(
        client, "post", f"/{case.public_id}/transitions", {"to": "diantar", "version": case.version}
    )
    assert accepted.status_code == 200, accepted.content
    state = accepted.json()
    assert state["state"] == "diantar" and state["version"] == case.version + 1
    assert state["allowed_transitions"][0]["needs_file"] is True

    # The JSON operation says where to send a step that needs a file.
    needs_file = api(
        client,
        "post",
        f"/{case.public_id}/transitions",
        {"to": "selesai", "note": "Sudah", "version": state["version"]},
    )
    assert needs_file.status_code == 422
    assert needs_file.json()["code"] == "file_required"
    assert (
        f"/api/v1/partner/tasks/{case.public_id}/transitions/with-file"
        in needs_file.json()["detail"]
    )

    done = client.post(
        f"/api/v1/partner/tasks/{case.public_id}/transitions/with-file",
        {
            "to": "selesai",
            "note": "Diterima",
            "version": state["version"],
            "file": SimpleUploadedFile("bukti.pdf", PDF, "application/pdf"),
        },
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "selesai" and done.json()["is_open"] is False
    case.refresh_from_db()
    assert case.state == "selesai"
    proof = Document.objects.get(case=case, message__internal=True)
    assert proof.content_type == "application/pdf" and proof.uploaded_by == staff["wonokromo"]


def test_api_steps_in_a_session_need_the_csrf_token(task, staff):
    case = task()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["wonokromo"])
    payload = {"to": "diantar", "version": case.version}
    refused = api(client, "post", f"/{case.public_id}/transitions", payload)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    token = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = api(
        client, "post", f"/{case.public_id}/transitions", payload, HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200, accepted.content


def test_the_api_list_pages_by_keyset_at_the_same_cost(task, staff):
    cases = [task() for _ in range(7)]
    client = login(staff["wonokromo"])
    api(client, "get", "?limit=3")  # warm the per-process caches

    seen, costs, address = [], [], "/api/v1/partner/tasks?limit=3"
    while address:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        costs.append(len(queries))
        seen += [item["id"] for item in response.json()["items"]]
        address = response.json()["next"]
    assert seen == _open_tasks_of(WONOKROMO)
    assert {str(case.public_id) for case in cases} <= set(seen)
    assert len(costs) == -(-len(seen) // 3) >= 3 and len(set(costs)) == 1


# The shipped service ---------------------------------------------------------------------

SHIPPED = "dinsos-surabaya.bantuan-pangan-isolasi"


def test_the_shipped_food_service_works_end_to_end_on_the_portal(make_case, staff, people):
    """The example catalogue's own partner-fulfilled service, through the pages."""
    service = Service.objects.filter(code=SHIPPED).first()
    if service is None:
        pytest.skip("the example catalogue has no partner-fulfilled service")
    workflow = service.current_version.definition["workflow"]
    transitions = workflow["transitions"]
    assign = next(t for t in transitions if "partner" in t.get("requires", []))
    accept = next(
        t
        for t in transitions
        if t["by"] == "partner" and t["from"] == assign["to"] and not t.get("requires")
    )
    deliver = next(
        t
        for t in transitions
        if t["by"] == "partner" and t["from"] == accept["to"] and "file" in t.get("requires", [])
    )
    assert assign["from"] == workflow["start"]
    case = make_case(
        SHIPPED,
        answers={
            "recipient_name": "Sri Wahyuni",
            "recipient_nik": NIK,
            "address": {"street": "Jl. Jagir Sidomukti No. 12", "village": JAGIR},
            "phone": "081233344455",
            "household_size": 3,
            "isolation_start": "2025-03-03",
            "dietary_needs": ["rendah_gula"],
            "has_test_result": False,
        },
    )
    officer = login(staff["officer"])
    index = step_index(case, assign["to"])
    assert "Partner organisation" in text(officer.get(url("officer_case", case)))
    response = officer.post(
        url("officer_transition", case),
        {"version": case.version, "transition": index, f"t{index}-partner": WONOKROMO},
    )
    assert response.status_code == 302
    case.refresh_from_db()

    partner = login(staff["wonokromo"])
    page = text(partner.get(url("partner_task", case)))
    assert "Sri Wahyuni" in page and "Jagir, Wonokromo district" in page
    assert "Low sugar (diabetes)" in page
    assert NIK not in page
    assert step(partner, case, accept["to"]).status_code == 302
    case.refresh_from_db()
    index = step_index(case, deliver["to"])
    response = partner.post(
        url("partner_step", case),
        {
            "version": case.version,
            "transition": index,
            f"t{index}-note": "Diletakkan di depan pintu",
            f"t{index}-file": SimpleUploadedFile("serah-terima.png", png(), "image/png"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == deliver["to"] and not case.is_open
    delivered = service.current_version.definition["workflow"]["states"][deliver["to"]]
    assert delivered["label"]["en"] in text(login(people["warga"]).get(url("case", case)))


def test_the_portal_speaks_indonesian_first(task, staff):
    case = task()
    client = login(staff["wonokromo"])
    tasks_page = text(client.get(url("partner_tasks", language="id")))
    assert "Tugas organisasi Anda" in tasks_page and "Jagir, Kecamatan Wonokromo" in tasks_page
    assert "Tugas mitra" in tasks_page  # the header's link
    task_page = text(client.get(url("partner_task", case, language="id")))
    assert "Yang Anda perlukan untuk tugas ini" in task_page and "Terima tugas" in task_page
    officer_page = text(login(staff["officer"]).get(url("officer_case", case, language="id")))
    assert "Mitra pelaksana" in officer_page and "Kampung Tangguh RW 05 Wonokromo" in officer_page
