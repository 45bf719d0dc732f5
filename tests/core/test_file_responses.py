"""Uploaded files are served safely (issue: "Uploaded files: real type detection, size limits,
no executable or active content served inline").

Every view that sends a stored or generated file answers through ``core.uploads``: the type
stored when the file was checked (or read from its bytes), never a guess from its name;
``Content-Disposition: attachment`` for everything but PDF and raster images;
``X-Content-Type-Options: nosniff``; ``Content-Security-Policy: default-src 'none'; sandbox``;
``Cache-Control: private, no-store``. A web page or an SVG disguised as a PDF or a photo is
refused by every upload path, and one that reached the storage another way (an older
version, the shell) is downloaded, never shown. The site never serves MEDIA_URL itself.
"""

import datetime
import io
import struct
import zlib
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from reportlab.pdfgen import canvas

from satupintu.accounts.constants import Role
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.documents import document_upload
from satupintu.cases.models import Case, Document, OutcomeDocument, Submission
from satupintu.cases.services import case_open, case_transition
from satupintu.catalog.models import Service
from satupintu.core.uploads import FILE_POLICY, INLINE_TYPES, file_headers, file_response
from satupintu.demo.people import demo_people_load
from satupintu.learning.models import LearningClaim, Lesson
from satupintu.learning.services import claim_create
from satupintu.lrs.services import lrs_client_create
from tests.learning.factories import (
    ClassSessionFactory,
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    make_learner,
    make_staff,
)
from tests.lrs.factories import Xapi, agent, basic

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
FOOD = "dinsos-surabaya.bantuan-pangan-isolasi"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"></svg>'
DISGUISED = [
    pytest.param(HTML, "text/html", id="html"),
    pytest.param(SVG, "image/svg+xml", id="svg"),
]
ATTACHMENT, INLINE = "attachment", "inline"


def pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Surat keterangan")
    page.save()
    return buffer.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xc8\x0a\x0a"))
        + chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_served_safely(response, *, content_type: str, disposition: str) -> None:
    """The headers every file response carries."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def people():
    demo_people_load()
    return {user.username: user for user in get_user_model().objects.all()}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The helper ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind", "inline"),
    [
        pytest.param(pdf(), "application/pdf", True, id="pdf-inline"),
        pytest.param(png(), "image/png", True, id="png-inline"),
        pytest.param(pdf(), "application/pdf", False, id="pdf-download"),
    ],
)
def test_a_pdf_or_an_image_may_be_shown_and_carries_every_header(content, kind, inline):
    response = file_response(content, filename="berkas.bin", inline=inline)

    assert_served_safely(response, content_type=kind, disposition=INLINE if inline else ATTACHMENT)
    assert 'filename="berkas.bin"' in response["Content-Disposition"]
    assert body_of(response) == content


@pytest.mark.parametrize(("content", "detected"), DISGUISED)
def test_active_content_is_downloaded_whatever_its_name_or_the_view_asks(content, detected):
    # Named as a PDF, asked to be shown: the bytes are a web page or an SVG.
    response = file_response(content, filename="surat.pdf", inline=True)

    assert_served_safely(response, content_type=detected, disposition=ATTACHMENT)


def test_the_stored_type_is_sent_not_a_guess_from_the_name():
    response = file_response(pdf(), filename="laporan.html", content_type="application/pdf")
    assert response["Content-Type"] == "application/pdf"

    unknown = file_response(b"\x00\x01\x02 bytes of nothing known", filename="data.pdf")
    assert_served_safely(unknown, content_type="application/octet-stream", disposition=ATTACHMENT)


def test_a_stored_active_type_is_never_shown_even_when_asked():
    for kind in ("text/html", "image/svg+xml", "application/xml", "text/javascript"):
        response = file_response(b"x", filename="x", content_type=kind, inline=True)
        assert response["Content-Disposition"].startswith("attachment"), kind
    assert {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"} == INLINE_TYPES


def test_an_export_keeps_its_type_and_gets_the_same_headers():
    response = file_headers(
        HttpResponse("a,b\n", content_type="text/csv; charset=utf-8"), filename="data.csv"
    )

    assert_served_safely(response, content_type="text/csv", disposition=ATTACHMENT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="data.csv"'


def test_a_name_outside_ascii_is_encoded_not_passed_through():
    response = file_response(pdf(), filename='Surat "Lahir" Ayu – ü.pdf')
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert '"Lahir"' not in disposition


# Applicants' documents and outcome documents -------------------------------------------------


def submitted(applicant, *, content: bytes, name: str) -> tuple[Case, Document]:
    """A case whose form carried the upload ``name``."""
    service = Service.objects.get(code=BIRTH)
    submission = Submission.objects.create(
        applicant=applicant, service_version=service.current_version
    )
    document = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(content, name, "application/octet-stream"),
        actor=applicant,
    )
    now = timezone.now()
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, now
    submission.tracking = f"T{submission.pk:07d}"
    submission.save()
    case = case_open(
        submission=submission,
        service_version=service.current_version,
        submitted_at=now,
        actor=applicant,
    )
    return case, document


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        pytest.param(pdf(), "surat lahir.pdf", "application/pdf", id="pdf"),
        pytest.param(png(), "foto-surat.jpg", "image/png", id="png-named-jpg"),
    ],
)
def test_an_applicants_document_downloads_with_its_checked_type(people, content, name, kind):
    case, document = submitted(people["warga"], content=content, name=name)

    mine = signed_in(people["warga"]).get(
        reverse("cases:my_document", args=[case.submission.public_id, document.public_id])
    )
    officers = signed_in(people["petugas.dukcapil"]).get(
        reverse("cases:officer_document", args=[case.public_id, document.public_id])
    )

    for response in (mine, officers):
        # The type read from the bytes at upload, not the one the name suggests.
        assert_served_safely(response, content_type=kind, disposition=ATTACHMENT)
        assert body_of(response) == content


@pytest.mark.parametrize(("content", "detected"), DISGUISED)
def test_an_applicant_cannot_upload_a_web_page_or_an_svg_as_a_pdf(people, content, detected):
    service = Service.objects.get(code=BIRTH)
    submission = Submission.objects.create(
        applicant=people["warga"], service_version=service.current_version
    )
    url = f"/api/v1/drafts/{submission.public_id}/documents"

    response = signed_in(people["warga"]).post(
        url,
        {"field": "birth_statement_file", "file": upload(content, "akta.pdf")},
    )

    assert response.status_code == 422, response.content
    assert response.json()["code"] == "file_type_not_allowed"
    assert not Document.objects.filter(submission=submission).exists()


def test_an_outcome_document_downloads_as_a_pdf(people):
    case, _document = submitted(people["warga"], content=pdf(), name="surat.pdf")
    supervisor = people["penyelia.dukcapil"]
    case = case_transition(case=case, actor=supervisor, to="verifikasi")
    case = case_transition(case=case, actor=supervisor, to="menunggu_tte", data={"note": "Ok."})
    case_transition(case=case, actor=supervisor, to="terbit", data={"document_number": "A-1"})
    assert OutcomeDocument.objects.filter(case=case).exists()

    response = signed_in(people["warga"]).get(reverse("cases:my_outcome", args=[case.public_id]))

    assert_served_safely(response, content_type="application/pdf", disposition=ATTACHMENT)
    assert body_of(response).startswith(b"%PDF-")


# Partners' proofs --------------------------------------------------------------------------------


@pytest.fixture
def delivery(people):
    """A food parcel that the partner accepted: its last step wants a proof of delivery."""
    service = Service.objects.get(code=FOOD)
    now = timezone.now()
    submission = Submission.objects.create(
        applicant=people["warga"],
        service_version=service.current_version,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=now,
        tracking="TPROOF01",
    )
    case = case_open(
        submission=submission,
        service_version=service.current_version,
        submitted_at=now,
        actor=people["warga"],
    )
    case = case_transition(
        case=case,
        actor=people["petugas.dinsos"],
        to="ditugaskan_mitra",
        data={"partner": "kampung-tangguh-wonokromo"},
    )
    return case_transition(case=case, actor=people["mitra.wonokromo"], to="diterima_mitra")


def proof(people, case: Case, content: bytes, name: str):
    url = f"/api/v1/partner/tasks/{case.public_id}/transitions/with-file"
    return signed_in(people["mitra.wonokromo"]).post(
        url,
        {
            "to": "terkirim",
            "version": str(case.version),
            "note": "Diterima tetangga.",
            "file": upload(content, name, "image/png"),
        },
    )


@pytest.mark.parametrize(("content", "detected"), DISGUISED)
def test_a_partner_cannot_send_a_web_page_or_an_svg_as_a_photo(people, delivery, content, detected):
    response = proof(people, delivery, content, "bukti.png")

    assert response.status_code == 422, response.content
    assert response.json()["code"] == "file_type_not_allowed"
    delivery.refresh_from_db()
    assert delivery.state == "diterima_mitra"
    assert not Document.objects.filter(case=delivery).exists()


def test_a_partners_proof_has_a_size_limit(people, delivery, settings):
    settings.SATUPINTU_UPLOAD_MAX_MB = 1
    too_big = png() + b"\x00" * (1024 * 1024)

    response = proof(people, delivery, too_big, "bukti.png")

    assert response.status_code == 413, response.content
    assert response.json()["code"] == "file_too_large"
    assert not Document.objects.filter(case=delivery).exists()


# Learn: claims' certificates, lesson files, certificates, the check-in QR code ------------------


def claim_of(learner, content: bytes, name: str) -> LearningClaim:
    return claim_create(
        learner=learner,
        title="Pelatihan di luar",
        provider="LAN RI",
        completed_on=timezone.localdate() - datetime.timedelta(days=3),
        jp=Decimal(4),
        certificate=upload(content, name, "application/octet-stream"),
        actor=learner,
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [pytest.param(pdf(), "application/pdf", id="pdf"), pytest.param(png(), "image/png", id="png")],
)
def test_a_claims_certificate_opens_in_the_browser_when_it_is_a_pdf_or_an_image(content, kind):
    learner = make_learner()
    claim = claim_of(learner, content, "sertifikat.bin")

    response = signed_in(learner).get(reverse("learning:claim_certificate", args=[claim.public_id]))

    assert_served_safely(response, content_type=kind, disposition=INLINE)
    assert body_of(response) == content


@pytest.mark.parametrize(("content", "detected"), DISGUISED)
def test_a_claim_refuses_a_disguised_file_and_a_stored_one_is_downloaded(content, detected):
    learner = make_learner()
    refused = signed_in(learner).post(
        "/api/v1/learning/me/claims",
        {
            "title": "Pelatihan di luar",
            "provider": "LAN RI",
            "completed_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
            "jp": "4",
            "certificate": upload(content, "sertifikat.pdf"),
        },
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["code"] == "file_type_not_allowed"
    assert not LearningClaim.objects.filter(learner=learner).exists()

    # One that reached the storage another way, under a name that says PDF.
    claim = LearningClaim.objects.create(
        learner=learner,
        title="Lama",
        provider="LAN RI",
        completed_on=timezone.localdate(),
        jp=Decimal(2),
        certificate=ContentFile(content, name="sertifikat.pdf"),
    )
    response = signed_in(learner).get(reverse("learning:claim_certificate", args=[claim.public_id]))
    assert_served_safely(response, content_type=detected, disposition=ATTACHMENT)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        pytest.param(pdf(), "application/pdf", id="pdf"),
        pytest.param(png(), "image/png", id="png"),
        *DISGUISED,
    ],
)
def test_a_lessons_file_downloads_with_the_type_of_its_bytes(content, kind):
    learner = make_learner()
    lesson = LessonFactory(kind="file")
    lesson.file.save("materi.pdf", ContentFile(content), save=True)
    EnrolmentFactory(learner=learner, course=lesson.course)

    response = signed_in(learner).get(
        reverse("learning:lesson_file", args=[lesson.course.code, lesson.public_id])
    )

    assert_served_safely(response, content_type=kind, disposition=ATTACHMENT)


@pytest.mark.parametrize(("content", "detected"), DISGUISED)
def test_the_admin_refuses_a_disguised_lesson_file(content, detected):
    admin = get_user_model().objects.create_superuser("admin.uji", "admin.uji@contoh.id", "x")
    course = CourseFactory()
    client = signed_in(admin)
    data = {
        "course": course.pk,
        "order": 1,
        "kind": "file",
        "title_id": "Materi",
        "title_en": "Material",
        "minutes": 10,
        "pass_mark": 70,
        "file": upload(content, "materi.pdf"),
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }

    response = client.post(reverse("admin:learning_lesson_add"), data)

    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["file"], errors
    assert not Lesson.objects.filter(course=course).exists()

    data["file"] = upload(pdf(), "materi.pdf")
    saved = client.post(reverse("admin:learning_lesson_add"), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Lesson.objects.get(course=course).file.read().startswith(b"%PDF-")


@pytest.mark.parametrize(("content", "detected"), DISGUISED)
def test_a_course_file_may_not_offer_a_disguised_download(tmp_path, content, detected):
    from satupintu.learning.catalogue_file import courses_validate
    from tests.learning.factories import AgencyFactory

    AgencyFactory(code="pusdiklat-berkas")
    (tmp_path / "materi.pdf").write_bytes(content)
    (tmp_path / "kursus.yaml").write_text(
        """courses:
  - code: berkas-uji
    title: {id: Berkas, en: Files}
    summary: {id: Ringkasan., en: Summary.}
    modality: self_paced
    jp: 2
    provider: pusdiklat-berkas
    lessons:
      - kind: file
        title: {id: Materi, en: Material}
        file: materi.pdf
""",
        encoding="utf-8",
    )

    problems = [str(problem) for problem in courses_validate(directory_or_file=tmp_path).problems]

    assert problems == [
        "kursus.yaml: courses[0].lessons[0].file: 'materi.pdf' is not a PDF, JPEG or PNG "
        "file, whatever its name says; save it as one of these"
    ]


def test_a_learners_certificate_downloads_as_a_pdf():
    from satupintu.learning.services import enrolment_complete

    learner = make_learner()
    enrolment = enrolment_complete(enrolment=EnrolmentFactory(learner=learner))

    response = signed_in(learner).get(
        reverse("learning:certificate_download", args=[enrolment.certificate.public_id])
    )

    assert_served_safely(response, content_type="application/pdf", disposition=ATTACHMENT)


def test_the_check_in_qr_code_is_an_svg_that_is_never_run_as_a_page():
    trainer = make_staff(Role.TRAINER)
    session = ClassSessionFactory(trainer=trainer)

    response = signed_in(trainer).get(
        reverse("learning:trainer_session_qr", args=[session.public_id])
    )

    # The trainer's page shows it in an <img>, which the disposition does not change.
    assert_served_safely(response, content_type="image/svg+xml", disposition=ATTACHMENT)
    assert body_of(response).lstrip().startswith((b"<?xml", b"<svg"))


# The LRS's documents and exports ---------------------------------------------------------------


def test_an_lrs_document_keeps_its_type_but_is_never_shown_as_a_page():
    client, secret = lrs_client_create(name="Pemutar kursus")
    xapi = Xapi(basic(client.key, secret))
    where = {"activityId": "https://satupintu.example/kursus/a", "agent": agent(), "stateId": "s"}
    stored = xapi.put("activities/state", where, body=HTML, content_type="text/html")
    assert stored.status_code == 204, stored.content

    response = xapi.get("activities/state", where)

    assert_served_safely(response, content_type="text/html", disposition=ATTACHMENT)
    assert response.content == HTML


def test_lrs_attachments_of_any_type_are_never_shown_as_a_page():
    from tests.lrs.factories import statement
    from tests.lrs.test_attachments import body_of as multipart_body
    from tests.lrs.test_attachments import declaration, part

    client, secret = lrs_client_create(name="Pemutar kursus")
    xapi = Xapi(basic(client.key, secret))
    sent = statement(attachments=[declaration(HTML, contentType="text/html")])
    content, content_type = multipart_body(sent, [part(HTML)])
    assert xapi.post("statements", body=content, content_type=content_type).status_code == 200

    response = xapi.get("statements", {"statementId": sent["id"], "attachments": "true"})

    assert_served_safely(response, content_type="multipart/mixed", disposition=ATTACHMENT)
    plain = xapi.get("statements", {"statementId": sent["id"]})
    assert plain["Content-Type"].startswith("application/json")


def test_a_persons_data_file_is_an_attachment_with_the_same_headers(people):
    response = signed_in(people["warga"]).get(reverse("accounts:my_data_download"))

    assert_served_safely(response, content_type="application/json", disposition=ATTACHMENT)


# Media ---------------------------------------------------------------------------------------


def test_the_site_never_serves_the_media_folder_itself(people):
    _case, document = submitted(people["warga"], content=pdf(), name="surat.pdf")
    stored = settings.MEDIA_URL + document.file.name

    def routes(resolver: URLResolver, prefix: str = ""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from routes(entry, route)
            elif isinstance(entry, URLPattern):
                yield route, entry.callback

    found = list(routes(get_resolver()))
    assert found, "the walk finds the routes"
    media = settings.MEDIA_URL.strip("/")
    assert not [route for route, _ in found if route.lstrip("^").startswith(media)]
    assert not [route for route, view in found if view.__module__ == "django.views.static"]
    # Not even to its owner: files go out through the views that check who asks.
    assert signed_in(people["warga"]).get(stored).status_code == 404
    assert FILE_POLICY == "default-src 'none'; sandbox"
