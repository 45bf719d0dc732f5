"""Certificates of completed courses: issuing them, revoking them, and their PDF.

A certificate has a number ``SERT/<year>/<6-digit sequence of the year>`` and a verification
code of 9 letters and digits (8 random ones and a check character, like an outcome
document's), which the public verification page checks. That page shows the course, the
provider, the number, the JP, the date and the status, and the holder's name only as
initials.

The PDF (A4 landscape) carries both languages at once, Indonesian first and English below in
smaller type, whatever language the learner was using; its fixed wording is therefore
written here in pairs rather than through the interface's translation catalogue. It is
rendered by a task after the certificate is committed, or on first download.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from satupintu.core import tracking
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.core.uploads import file_response
from satupintu.learning.constants import Modality
from satupintu.learning.models import Certificate, CourseCompetency, Enrolment, JpEntry
from satupintu.learning.services.ledger import course_key
from satupintu.learning.statements import public_url

if TYPE_CHECKING:
    from satupintu.accounts.models import User

NUMBER_PREFIX = "SERT"
ATTEMPTS = 8
REVOKE_REASON_MAX_LENGTH = 300


# Numbers and codes --------------------------------------------------------------------------


def certificate_number(*, year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}/{year}/{sequence:06d}"


def _next_number(year: int) -> str:
    prefix = f"{NUMBER_PREFIX}/{year}/"
    last = (
        Certificate.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return certificate_number(year=year, sequence=sequence)


def verification_code_new() -> str:
    """A new verification code in its stored, compact form (9 characters, no dashes)."""
    return tracking.generate().replace("-", "")


def verification_url(code: str, *, language: str = "id") -> str:
    """The absolute address of the public verification page of ``code``."""
    with translation.override(language):
        path = reverse("cases:verify_code", args=[code])
    return public_url() + path


def _holder_name(user: User) -> str:
    return (user.get_full_name() or user.get_username())[:200]


def _credited_jp(enrolment: Enrolment, year: int) -> Decimal:
    """The JP that the completion credited (a session may credit its own), else the
    course's."""
    credited = (
        JpEntry.objects.filter(
            learner_id=enrolment.learner_id, year=year, key=course_key(enrolment.course)
        )
        .values_list("jp", flat=True)
        .first()
    )
    return credited if credited is not None else enrolment.course.jp


# Issuing and revoking -----------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed enrolment, or answer the one it already has.

    The number is the next of the year of completion. Two certificates issued at the same
    moment may reach for the same number: the unique constraint refuses the second, which
    then takes the next one.
    """
    enrolment = Enrolment.objects.select_related("course", "learner").get(pk=enrolment.pk)
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    if enrolment.completed_at is None:
        raise DomainError(
            _("A certificate is issued only when the course is completed."),
            code="not_completed",
        )
    issued_at = enrolment.completed_at
    year = timezone.localdate(issued_at).year
    learner, course = enrolment.learner, enrolment.course
    certificate = None
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=_next_number(year),
                    verification_code=verification_code_new(),
                    learner=learner,
                    course=course,
                    enrolment=enrolment,
                    holder_name=_holder_name(learner),
                    jp=_credited_jp(enrolment, year),
                    issued_at=issued_at,
                )
            break
        except IntegrityError:
            existing = Certificate.objects.filter(enrolment=enrolment).first()
            if existing is not None:
                return existing
    if certificate is None:
        raise Conflict(
            _("The certificate could not be numbered just now. Try again in a moment."),
            code="number_busy",
        )
    audit_record(
        actor=None,
        action="learning.certificate_issued",
        target=certificate,
        subject=learner,
        details={"number": certificate.number, "course": course.code},
    )
    certificate_id = certificate.pk
    transaction.on_commit(lambda: _enqueue_render(certificate_id))
    return certificate


def _enqueue_render(certificate_id: int) -> None:
    from satupintu.learning.tasks import render_certificate

    render_certificate.enqueue(certificate_id=certificate_id)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Revoke a certificate issued in error: from now on the verification page says it is
    no longer valid, and since when. HR of the course's provider or of the holder's agency
    may; the reason stays inside the platform."""
    from satupintu.learning.selectors.access import learning_access

    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("course", "learner__employee")
        .get(pk=certificate.pk)
    )
    access = learning_access(actor)
    if not (
        access.manages_course(certificate.course)
        or access.covers_hr(getattr(certificate.learner, "employee", None))
    ):
        raise Forbidden(
            _(
                "Only HR of the agency that provides the course, or of the holder's agency, "
                "may revoke this certificate."
            ),
            code="not_allowed",
        )
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REVOKE_REASON_MAX_LENGTH:
        message = (
            _("Give the reason for revoking the certificate.")
            if not reason
            else _("Keep the reason to %(count)s characters or fewer.")
            % {"count": REVOKE_REASON_MAX_LENGTH}
        )
        raise DomainError(
            message,
            code="invalid_reason",
            status=422,
            errors=[{"path": "reason", "message": message}],
        )
    if certificate.revoked_at is not None:
        raise Conflict(
            _("This certificate was already revoked on %(date)s.")
            % {"date": formats.date_format(timezone.localdate(certificate.revoked_at), "j F Y")},
            code="already_revoked",
        )
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.certificate_revoked",
        target=certificate,
        subject=certificate.learner,
        details={"number": certificate.number},
    )
    return certificate


# The PDF ------------------------------------------------------------------------------------


def _has_pdf(certificate: Certificate) -> bool:
    return bool(certificate.pdf) and certificate.pdf.storage.exists(certificate.pdf.name)


@transaction.atomic
def certificate_render_pdf(*, certificate_id: int) -> None:
    """Draw the certificate's PDF and store it under an opaque name (its public id). Safe to
    run twice, or at once from two workers: the row is locked, and a certificate that has its
    PDF keeps it."""
    certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
    if certificate is None or _has_pdf(certificate):
        return
    certificate = Certificate.objects.select_related("course__provider").get(pk=certificate_id)
    name = f"{certificate.public_id.hex}.pdf"
    storage = certificate.pdf.storage
    target = certificate.pdf.field.generate_filename(certificate, name)
    # A file left by an attempt that rolled back: replace it (we hold the row's lock).
    if storage.exists(target):
        storage.delete(target)
    certificate.pdf.save(name, ContentFile(certificate_pdf_bytes(certificate)), save=False)
    certificate.save(update_fields=["pdf", "updated_at"])


def certificate_pdf_response(certificate: Certificate) -> FileResponse:
    """The certificate's PDF as a download, drawn first if it is missing. The caller has
    checked that the person may have it (its holder). The file name is the number."""
    if not _has_pdf(certificate):
        certificate_render_pdf(certificate_id=certificate.pk)
        certificate.refresh_from_db(fields=["pdf"])
    filename = f"{slugify(certificate.number.replace('/', '-')) or 'sertifikat'}.pdf"
    return file_response(
        certificate.pdf.storage.open(certificate.pdf.name, "rb"),
        filename=filename,
        content_type="application/pdf",
    )


INK = HexColor("#1b1f23")
MUTED = HexColor("#4a5561")
LINE = HexColor("#b8c2cc")
WASH = HexColor("#f2f5f8")
BRAND = HexColor("#0b2e4f")
ACCENT = HexColor("#b8860b")

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 16 * mm
QR_SIZE = 34 * mm

WORDING = {
    "kind": ("SERTIFIKAT", "CERTIFICATE OF COMPLETION"),
    "awarded": ("Diberikan kepada", "Awarded to"),
    "for": ("atas keberhasilannya menyelesaikan", "for successfully completing"),
    "modality": ("Bentuk pembelajaran", "Mode of learning"),
    "jp": ("Jam pelajaran", "Lesson hours"),
    "jp_value": ("%s JP", "%s JP (lesson hours of 45 minutes)"),
    "competencies": ("Kompetensi yang dikembangkan", "Competencies developed"),
    "level": ("level %s", "level %s"),
    "provider": ("Penyelenggara", "Provided by"),
    "date": ("Tanggal", "Date"),
    "number": ("Nomor sertifikat", "Certificate number"),
    "code": ("Kode verifikasi", "Verification code"),
    "how": (
        "Pindai kode QR atau buka %s untuk memastikan sertifikat ini asli.",
        "Scan the QR code or go to %s to check that this certificate is authentic.",
    ),
    "footer": (
        "Diterbitkan secara elektronik melalui Satupintu.",
        "Issued electronically through Satupintu.",
    ),
}
MODALITY_WORDS = {
    Modality.SELF_PACED: ("E-learning mandiri", "Self-paced e-learning"),
    Modality.CLASSROOM: ("Pelatihan klasikal", "Classroom training"),
    Modality.VIRTUAL: ("Kelas virtual", "Virtual classroom"),
    Modality.COACHING: ("Coaching", "Coaching"),
    Modality.EXPERIENTIAL: ("Pembelajaran pengalaman", "Experiential learning"),
    Modality.BLENDED: ("Program terpadu (blended)", "Blended programme"),
}


def _date_pair(value: datetime.date) -> tuple[str, str]:
    dates = []
    for language in ("id", "en"):
        with translation.override(language):
            dates.append(formats.date_format(value, "j F Y"))
    return dates[0], dates[1]


def _jp_text(jp: Decimal) -> str:
    return f"{jp.normalize():f}"


def _centred(canvas: Canvas, text: str, y: float, font: str, size: float, colour=INK) -> float:
    """Draw ``text`` centred, wrapped to the page's width; answer the y below it."""
    width = PAGE_WIDTH - 2 * MARGIN - 20 * mm
    lines = simpleSplit(text, font, size, width)[:3] or [""]
    canvas.setFont(font, size)
    canvas.setFillColor(colour)
    for line in lines:
        canvas.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= size * 1.25
    return y


def _fact(canvas: Canvas, x: float, y: float, width: float, label, value, english="") -> None:
    """A label in both languages, the value below it, and its English form when it differs."""
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 7.5)
    canvas.drawString(x, y, f"{label[0]} · {label[1]}")
    lines = simpleSplit(value, "Helvetica-Bold", 10.5, width)[:2] or [""]
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 10.5)
    for number, line in enumerate(lines):
        canvas.drawString(x, y - 13 - number * 12, line)
    if english and english != value:
        canvas.setFillColor(MUTED)
        canvas.setFont("Helvetica-Oblique", 8)
        english_line = simpleSplit(english, "Helvetica-Oblique", 8, width)[:1] or [""]
        canvas.drawString(x, y - 13 - len(lines) * 12 + 1, english_line[0])


def _qr_code(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
    canvas.linkURL(url, (x, y, x + size, y + size), relative=0, thickness=0)


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate drawn on one A4 landscape page."""
    course = certificate.course
    provider = course.provider
    code = certificate.verification_code
    url = verification_url(code)
    competencies = list(
        CourseCompetency.objects.filter(course=course)
        .select_related("competency")
        .order_by("competency__code")
    )

    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    canvas.setTitle(f"{WORDING['kind'][0]} {certificate.number}")
    canvas.setAuthor(provider.name_id)
    canvas.setSubject(course.title_id)
    canvas.setCreator("Satupintu")

    # A double frame, the outer one in the platform's colour.
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(8 * mm, 8 * mm, PAGE_WIDTH - 16 * mm, PAGE_HEIGHT - 16 * mm, stroke=1, fill=0)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.rect(11 * mm, 11 * mm, PAGE_WIDTH - 22 * mm, PAGE_HEIGHT - 22 * mm, stroke=1, fill=0)

    y = PAGE_HEIGHT - MARGIN - 10 * mm
    canvas.setFillColor(BRAND)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(MARGIN + 4 * mm, y + 2 * mm, "SATUPINTU")
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8.5)
    canvas.drawRightString(PAGE_WIDTH - MARGIN - 4 * mm, y + 2 * mm, provider.name_id[:90])

    y -= 10 * mm
    y = _centred(canvas, WORDING["kind"][0], y, "Helvetica-Bold", 30, BRAND)
    y = _centred(canvas, WORDING["kind"][1], y + 4, "Helvetica", 11, MUTED)
    y -= 5 * mm
    y = _centred(canvas, f"{WORDING['awarded'][0]} · {WORDING['awarded'][1]}", y, "Helvetica", 10)
    y -= 3 * mm
    y = _centred(canvas, certificate.holder_name, y, "Helvetica-Bold", 22)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(PAGE_WIDTH / 2 - 70 * mm, y + 12, PAGE_WIDTH / 2 + 70 * mm, y + 12)
    y -= 3 * mm
    y = _centred(canvas, WORDING["for"][0], y, "Helvetica", 10.5)
    y = _centred(canvas, WORDING["for"][1], y + 2, "Helvetica-Oblique", 8.5, MUTED)
    y -= 2 * mm
    y = _centred(canvas, course.title_id, y, "Helvetica-Bold", 16)
    if course.title_en and course.title_en != course.title_id:
        y = _centred(canvas, course.title_en, y + 2, "Helvetica", 10.5, MUTED)

    # The facts in three columns above the verification band.
    band_height = QR_SIZE + 8 * mm
    band_bottom = MARGIN + 2 * mm
    facts_y = band_bottom + band_height + 24 * mm
    column = (PAGE_WIDTH - 2 * MARGIN - 8 * mm) / 3
    left = MARGIN + 4 * mm
    issued_id, issued_en = _date_pair(timezone.localdate(certificate.issued_at))
    modality = MODALITY_WORDS.get(course.modality, (course.modality, course.modality))
    jp = _jp_text(certificate.jp)
    _fact(canvas, left, facts_y, column - 6 * mm, WORDING["modality"], *modality)
    _fact(
        canvas,
        left + column,
        facts_y,
        column - 6 * mm,
        WORDING["jp"],
        WORDING["jp_value"][0] % jp,
        WORDING["jp_value"][1] % jp,
    )
    _fact(
        canvas, left + 2 * column, facts_y, column - 6 * mm, WORDING["date"], issued_id, issued_en
    )
    facts_y -= 13 * mm
    _fact(canvas, left, facts_y, column - 6 * mm, WORDING["provider"], provider.name_id)
    if competencies:
        names = "; ".join(
            f"{item.competency.name_id} ({WORDING['level'][0] % item.level})"
            for item in competencies[:4]
        )
        _fact(canvas, left + column, facts_y, 2 * column - 6 * mm, WORDING["competencies"], names)

    # The verification band: QR code, number and code, and how to check.
    canvas.setFillColor(WASH)
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.75)
    canvas.roundRect(
        MARGIN + 4 * mm,
        band_bottom,
        PAGE_WIDTH - 2 * MARGIN - 8 * mm,
        band_height,
        2 * mm,
        stroke=1,
        fill=1,
    )
    qr_x, qr_y = MARGIN + 8 * mm, band_bottom + 4 * mm
    canvas.setFillColor(white)
    canvas.rect(qr_x, qr_y, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    _qr_code(canvas, url, qr_x, qr_y, QR_SIZE)
    text_x = qr_x + QR_SIZE + 8 * mm
    top = band_bottom + band_height - 9 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(text_x, top, " · ".join(WORDING["number"]))
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(text_x, top - 16, certificate.number)
    code_x = text_x + 85 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(code_x, top, " · ".join(WORDING["code"]))
    canvas.setFillColor(INK)
    canvas.setFont("Courier-Bold", 18)
    canvas.drawString(code_x, top - 17, " ".join(code[i : i + 4] for i in range(0, len(code), 4)))
    canvas.setFont("Helvetica", 8.5)
    canvas.drawString(text_x, top - 36, WORDING["how"][0] % verification_url(code, language="id"))
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica-Oblique", 8)
    canvas.drawString(text_x, top - 48, WORDING["how"][1] % verification_url(code, language="en"))
    canvas.setFont("Helvetica", 7.5)
    canvas.drawString(text_x, top - 64, f"{WORDING['footer'][0]} {WORDING['footer'][1]}")

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
