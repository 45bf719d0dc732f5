"""Outcome documents: the PDF a case ends with, its status, its revocation, its download.

The PDF is the applicant's own document, so it names them. Its QR code opens the public
verification page (``cases:verify_code``), which shows no personal data: only whether the
document is authentic and still valid, with its number, product, agency and dates.

The PDF carries both languages at once (Indonesian first, English below in smaller type),
whatever language the person who triggered its rendering was using; so its fixed wording is
written here in pairs, like the ``{id, en}`` texts of service definitions, rather than
through the interface's translation catalogue.
"""

import datetime
from io import BytesIO
from typing import Literal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from satupintu.cases.models import OutcomeDocument
from satupintu.cases.selectors import staff_scope
from satupintu.core import tracking
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.language import pick
from satupintu.core.services import audit_record
from satupintu.core.uploads import file_response

OutcomeStatus = Literal["valid", "revoked", "expired"]

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
REVOKE_REASON_MAX_LENGTH = 300


# Verification codes and addresses ---------------------------------------------------------


def verification_code_normalise(value: str) -> str | None:
    """The stored form of a verification code as a person typed it (any case, with or
    without spaces and dashes), or None when it cannot be one: wrong length, a character
    outside the alphabet, or a check character that does not match (a typing mistake)."""
    canonical = tracking.normalise(value or "")
    return canonical.replace("-", "") if canonical else None


def verification_code_display(code: str) -> str:
    """The code in groups of 4 characters, as printed: ``K7QM 4XRT 9``."""
    return " ".join(code[start : start + 4] for start in range(0, len(code), 4))


def public_url() -> str:
    """Where the platform is reached from outside, without a trailing slash."""
    return str(getattr(settings, "SATUPINTU_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")


def verification_url(*, code: str | None = None, language: str = "id") -> str:
    """The absolute address of the verification page (of one code when ``code`` is given),
    in ``language`` (Indonesian at the root, English under /en/)."""
    with translation.override(language):
        path = reverse("cases:verify_code", args=[code]) if code else reverse("cases:verify")
    return public_url() + path


# Status and revocation --------------------------------------------------------------------


def outcome_status(
    outcome: OutcomeDocument, *, today: datetime.date | None = None
) -> OutcomeStatus:
    """Whether ``outcome`` holds today: ``revoked`` wins over ``expired``."""
    if outcome.revoked_at is not None:
        return "revoked"
    today = today or timezone.localdate()
    if outcome.valid_until is not None and outcome.valid_until < today:
        return "expired"
    return "valid"


@transaction.atomic
def outcome_revoke(*, outcome: OutcomeDocument, actor, reason: str) -> OutcomeDocument:
    """Revoke an outcome document: from now on its verification page says it is no longer
    valid, and since when. Only a supervisor of the case's unit (or of its whole agency) may;
    the reason is kept for the agency and never shown on the public page."""
    outcome = (
        OutcomeDocument.objects.select_for_update(of=("self",))
        .select_related("case__submission")
        .get(pk=outcome.pk)
    )
    case = outcome.case
    if not staff_scope(actor).supervises(case):
        raise Forbidden(
            _("Only a supervisor of the unit that issued this document may revoke it."),
            code="supervisor_only",
        )
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REVOKE_REASON_MAX_LENGTH:
        message = (
            _("Give the reason for revoking the document.")
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
    if outcome.revoked_at is not None:
        raise Conflict(
            _("This document was already revoked on %(date)s.")
            % {"date": formats.date_format(timezone.localdate(outcome.revoked_at), "j F Y")},
            code="already_revoked",
        )
    outcome.revoked_at = timezone.now()
    outcome.revoked_reason = reason
    outcome.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="outcome.revoked",
        target=outcome,
        subject=case.submission.applicant,
        details={"case": str(case.public_id), "number": outcome.number},
    )
    return outcome


# The PDF ----------------------------------------------------------------------------------


def _has_pdf(outcome: OutcomeDocument) -> bool:
    return bool(outcome.pdf) and outcome.pdf.storage.exists(outcome.pdf.name)


@transaction.atomic
def outcome_render_pdf(*, outcome_id: int) -> None:
    """Make the PDF of an outcome document and store it (through Django's default storage)
    in its ``pdf`` field, under an opaque name: its public id.

    Safe to run twice or at once from two workers: the row is locked, and a document that
    already has its PDF is left as it is.
    """
    outcome = OutcomeDocument.objects.select_for_update().get(pk=outcome_id)
    if _has_pdf(outcome):
        return
    outcome = OutcomeDocument.objects.select_related(
        "case__agency",
        "case__service_version",
        "case__service",
        "case__submission__applicant__citizen",
        "case__submission__business",
    ).get(pk=outcome_id)
    name = f"{outcome.public_id.hex}.pdf"
    storage = outcome.pdf.storage
    target = outcome.pdf.field.generate_filename(outcome, name)
    # A file left by an attempt whose transaction rolled back: replace it rather than let the
    # storage invent another name beside it (we hold the row's lock).
    if storage.exists(target):
        storage.delete(target)
    outcome.pdf.save(name, ContentFile(_pdf_bytes(outcome)), save=False)
    outcome.save(update_fields=["pdf", "updated_at"])


def outcome_pdf_response(outcome: OutcomeDocument) -> FileResponse:
    """The outcome's PDF as a download, rendered first if it is missing.

    The caller has already checked that the person may have it (the applicant, or staff of
    the case's unit). The file name is the document number, never personal data.
    """
    if not _has_pdf(outcome):
        outcome_render_pdf(outcome_id=outcome.pk)
        outcome.refresh_from_db(fields=["pdf"])
    filename = f"{slugify(outcome.number) or 'dokumen'}.pdf"
    return file_response(
        outcome.pdf.storage.open(outcome.pdf.name, "rb"),
        filename=filename,
        content_type="application/pdf",
    )


# Layout -----------------------------------------------------------------------------------

INK = HexColor("#1b1f23")
MUTED = HexColor("#4a5561")
LINE = HexColor("#b8c2cc")
WASH = HexColor("#f2f5f8")
BRAND = HexColor("#0b2e4f")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 48 * mm
QR_SIZE = 46 * mm
BOX_PADDING = 5 * mm
BOX_HEIGHT = QR_SIZE + 2 * BOX_PADDING
BOX_BOTTOM = MARGIN + 12 * mm

# The document's fixed wording, Indonesian first (see the module's docstring).
WORDING = {
    "kind": ("Dokumen hasil layanan", "Service outcome document"),
    "number": ("Nomor dokumen", "Document number"),
    "issued": ("Tanggal terbit", "Date of issue"),
    "applicant": ("Pemohon", "Applicant"),
    "business": ("Atas nama", "On behalf of"),
    "tracking": ("Nomor permohonan", "Application number"),
    "validity": ("Masa berlaku", "Validity"),
    "valid_until": ("Berlaku sampai %s", "Valid until %s"),
    "verify": ("Periksa keaslian dokumen ini", "Check that this document is authentic"),
    "code": ("Kode verifikasi", "Verification code"),
    "how": (
        "Pindai kode QR, atau buka %s dan masukkan kode verifikasi, untuk memastikan "
        "dokumen ini asli dan masih berlaku.",
        "Scan the QR code, or go to %s and enter the verification code, to make sure this "
        "document is authentic and still valid.",
    ),
    "footer": (
        "Diterbitkan secara elektronik melalui Satupintu.",
        "Issued electronically through Satupintu.",
    ),
}


def _date_pair(value: datetime.date) -> tuple[str, str]:
    dates = []
    for language in ("id", "en"):
        with translation.override(language):
            dates.append(formats.date_format(value, "j F Y"))
    return dates[0], dates[1]


def _applicant_name(outcome: OutcomeDocument) -> str:
    applicant = outcome.case.submission.applicant
    citizen = getattr(applicant, "citizen", None)
    return (citizen.full_name if citizen else "") or applicant.get_full_name()


class _Page:
    """A cursor down an A4 page that wraps text to a width."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.y = PAGE_HEIGHT - MARGIN

    def text(
        self,
        text: str,
        *,
        font: str = "Helvetica",
        size: float = 11,
        colour=INK,
        x: float = MARGIN,
        width: float = CONTENT_WIDTH,
        leading: float | None = None,
        max_lines: int = 4,
    ) -> None:
        leading = leading or size * 1.25
        lines = simpleSplit(text, font, size, width) or [""]
        if len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
            while lines[-1] and self.canvas.stringWidth(lines[-1] + "…", font, size) > width:
                lines[-1] = lines[-1][:-1]
            lines[-1] += "…"
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(colour)
        for line in lines:
            self.y -= leading
            self.canvas.drawString(x, self.y + (leading - size) / 2, line)

    def gap(self, height: float) -> None:
        self.y -= height

    def rule(self, *, colour=LINE, width: float = 0.5) -> None:
        self.canvas.setStrokeColor(colour)
        self.canvas.setLineWidth(width)
        self.canvas.line(MARGIN, self.y, MARGIN + CONTENT_WIDTH, self.y)


def _fact(page: _Page, label: tuple[str, str], value: str, english: str = "", *, strong=False):
    """One row of the facts: the label in both languages on the left, the value on the
    right (with its English form below it when it differs)."""
    page.rule()
    page.gap(2 * mm)
    top = page.y
    page.text(label[0], font="Helvetica-Bold", size=9.5, width=LABEL_WIDTH - 4 * mm)
    page.text(label[1], font="Helvetica-Oblique", size=8, colour=MUTED, width=LABEL_WIDTH - 4 * mm)
    left_bottom = page.y
    page.y = top
    value_x, value_width = MARGIN + LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH
    page.text(
        value,
        font="Helvetica-Bold" if strong else "Helvetica",
        size=12,
        x=value_x,
        width=value_width,
        max_lines=3,
    )
    if english and english != value:
        page.text(english, size=9, colour=MUTED, x=value_x, width=value_width, max_lines=3)
    page.y = min(page.y, left_bottom) - 2 * mm


def _qr_code(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
    # The QR code is also a link, for whoever opens the PDF on the phone that would scan it.
    canvas.linkURL(url, (x, y, x + size, y + size), relative=0, thickness=0)


def _pdf_bytes(outcome: OutcomeDocument) -> bytes:
    case = outcome.case
    agency = case.agency
    product = case.service_version.definition.get("product", {})
    product_id = pick(product.get("name"), "id") or case.service.name_id
    product_en = pick(product.get("name"), "en")
    code = outcome.verification_code
    url = verification_url(code=code)

    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{product_id} — {outcome.number}")
    canvas.setAuthor(agency.name_id)
    canvas.setSubject(WORDING["kind"][0])
    canvas.setCreator("Satupintu")

    # A band in the platform's colour across the top.
    band = 9 * mm
    canvas.setFillColor(BRAND)
    canvas.rect(0, PAGE_HEIGHT - band, PAGE_WIDTH, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(MARGIN, PAGE_HEIGHT - band + 3.2 * mm, "SATUPINTU")
    canvas.setFont("Helvetica", 8.5)
    canvas.drawRightString(
        PAGE_WIDTH - MARGIN, PAGE_HEIGHT - band + 3.2 * mm, " · ".join(WORDING["kind"])
    )

    page = _Page(canvas)
    page.y = PAGE_HEIGHT - band - 12 * mm
    page.text(agency.name_id, font="Helvetica-Bold", size=13, max_lines=2)
    if agency.name_en and agency.name_en != agency.name_id:
        page.text(agency.name_en, size=9.5, colour=MUTED, max_lines=2)
    page.gap(3 * mm)
    page.rule(colour=BRAND, width=1.5)

    page.gap(9 * mm)
    page.text(product_id, font="Helvetica-Bold", size=19, leading=23)
    if product_en and product_en != product_id:
        page.gap(1 * mm)
        page.text(product_en, size=11.5, colour=MUTED, leading=14.5)
    page.gap(9 * mm)

    _fact(page, WORDING["number"], outcome.number, strong=True)
    _fact(page, WORDING["issued"], *_date_pair(timezone.localdate(outcome.issued_at)))
    name = _applicant_name(outcome)
    if name:
        _fact(page, WORDING["applicant"], name)
    if case.submission.business_id:
        _fact(page, WORDING["business"], case.submission.business.name)
    if case.submission.tracking:
        _fact(page, WORDING["tracking"], case.submission.tracking)
    if outcome.valid_until:
        until_id, until_en = _date_pair(outcome.valid_until)
        _fact(
            page,
            WORDING["validity"],
            WORDING["valid_until"][0] % until_id,
            WORDING["valid_until"][1] % until_en,
        )
    elif product.get("validity"):
        _fact(
            page,
            WORDING["validity"],
            pick(product["validity"], "id"),
            pick(product["validity"], "en"),
        )
    page.rule()

    # The verification box: the QR code on the left, the code and how to use it on the right.
    canvas.setFillColor(WASH)
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.75)
    canvas.roundRect(MARGIN, BOX_BOTTOM, CONTENT_WIDTH, BOX_HEIGHT, 2 * mm, stroke=1, fill=1)
    canvas.setFillColor(white)
    canvas.rect(MARGIN + BOX_PADDING, BOX_BOTTOM + BOX_PADDING, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    _qr_code(canvas, url, MARGIN + BOX_PADDING, BOX_BOTTOM + BOX_PADDING, QR_SIZE)

    text_x = MARGIN + BOX_PADDING + QR_SIZE + 6 * mm
    text_width = MARGIN + CONTENT_WIDTH - BOX_PADDING - text_x
    box = _Page(canvas)
    box.y = BOX_BOTTOM + BOX_HEIGHT - BOX_PADDING + 1 * mm
    box.text(WORDING["verify"][0], font="Helvetica-Bold", size=11.5, x=text_x, width=text_width)
    box.text(WORDING["verify"][1], size=8.5, colour=MUTED, x=text_x, width=text_width)
    box.gap(3 * mm)
    box.text(" · ".join(WORDING["code"]), size=8.5, colour=MUTED, x=text_x, width=text_width)
    box.text(
        verification_code_display(code),
        font="Courier-Bold",
        size=22,
        leading=26,
        x=text_x,
        width=text_width,
        max_lines=1,
    )
    box.gap(2 * mm)
    box.text(
        WORDING["how"][0] % verification_url(language="id"),
        size=9,
        x=text_x,
        width=text_width,
    )
    box.gap(1 * mm)
    box.text(
        WORDING["how"][1] % verification_url(language="en"),
        size=8,
        colour=MUTED,
        x=text_x,
        width=text_width,
    )

    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, MARGIN + 5 * mm, MARGIN + CONTENT_WIDTH, MARGIN + 5 * mm)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(MARGIN, MARGIN, WORDING["footer"][0])
    canvas.setFont("Helvetica-Oblique", 8)
    canvas.drawRightString(MARGIN + CONTENT_WIDTH, MARGIN, WORDING["footer"][1])

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
