"""The printable report, in the layout agencies publish their IKM results in: title,
period, scope, respondents and sample, a table of the nine elements with their averages,
the index and the grade, and the provider's follow-up plan. Written in the active language;
made on request (it is small), never stored.
"""

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from satupintu.core.uploads import file_headers
from satupintu.feedback.constants import ELEMENTS, GRADE_LABELS
from satupintu.feedback.exports import export_filename
from satupintu.feedback.selectors import IkmReport

INK = colors.HexColor("#1b1f23")
BRAND = colors.HexColor("#0b2e4f")
LINE = colors.HexColor("#b8c2cc")
WASH = colors.HexColor("#f2f5f8")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontSize=16, leading=20, textColor=BRAND
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base["Normal"], fontSize=11, leading=14, alignment=TA_CENTER
        ),
        "heading": ParagraphStyle(
            "heading", parent=base["Heading2"], fontSize=12, leading=15, textColor=BRAND
        ),
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=10, leading=13),
        "small": ParagraphStyle(
            "small", parent=base["Normal"], fontSize=8, leading=10, textColor=INK
        ),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontSize=9, leading=11),
        "head": ParagraphStyle(
            "head",
            parent=base["Normal"],
            fontName="Helvetica-Bold",
            fontSize=9,
            leading=11,
            textColor=colors.white,
        ),
    }


def _p(text, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _number(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else formats.number_format(value, places)


def _table(rows, widths, *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), BRAND),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ]
    table.setStyle(TableStyle(style))
    return table


def report_pdf_bytes(report: IkmReport) -> bytes:
    styles = _styles()
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=str(_("Community Satisfaction Index (IKM)")),
        author="Satupintu",
    )
    story = [
        _p(_("Community Satisfaction Index (IKM)"), styles["title"]),
        _p(report.scope.label, styles["subtitle"]),
        _p(report.period.label, styles["subtitle"]),
        Spacer(1, 6 * mm),
    ]
    result = report.result
    sample = _("met") if report.sample_met else _("not met")
    facts = [
        [_p(_("Respondents"), styles["cell"]), _p(report.respondents, styles["cell"])],
        [
            _p(_("People served (cases closed)"), styles["cell"]),
            _p(report.population, styles["cell"]),
        ],
        [
            _p(_("Sample size required (Krejcie–Morgan)"), styles["cell"]),
            _p(
                f"{report.required_sample} ({sample})" if report.population else "—", styles["cell"]
            ),
        ],
    ]
    if result is not None:
        grade = f"{result.grade} ({GRADE_LABELS[result.grade]})" if result.grade else "—"
        facts += [
            [
                _p(_("IKM index (25–100)"), styles["cell"]),
                _p(_number(result.index), styles["cell"]),
            ],
            [_p(_("Service quality"), styles["cell"]), _p(grade, styles["cell"])],
        ]
    story += [_table(facts, [80 * mm, 94 * mm], header=False), Spacer(1, 5 * mm)]

    if result is None:
        story.append(
            _p(
                _(
                    "Fewer than %(count)s people answered in this period, so the averages are not "
                    "shown: they could reveal what each of them said."
                )
                % {"count": report.min_respondents},
                styles["body"],
            )
        )
    else:
        story.append(_p(_("Results per element"), styles["heading"]))
        rows = [
            [
                _p(_("No."), styles["head"]),
                _p(_("Element"), styles["head"]),
                _p(_("Answers"), styles["head"]),
                _p(_("Average (NRR)"), styles["head"]),
                _p(_("NRR × weight"), styles["head"]),
            ]
        ]
        for element in ELEMENTS:
            nrr = result.nrr.get(element.code)
            rows.append(
                [
                    element.code,
                    _p(element.name, styles["cell"]),
                    result.answers.get(element.code, 0),
                    _number(nrr),
                    _number(result.weighted(element.code), 3),
                ]
            )
        rows.append(
            [
                "",
                _p(_("IKM (1–4)"), styles["cell"]),
                "",
                "",
                _number(result.ikm, 3),
            ]
        )
        rows.append(
            ["", _p(_("IKM index (IKM × 25)"), styles["cell"]), "", "", _number(result.index)]
        )
        table = _table(rows, [14 * mm, 86 * mm, 20 * mm, 27 * mm, 27 * mm])
        table.setStyle(TableStyle([("BACKGROUND", (0, -2), (-1, -1), WASH)]))
        story.append(table)
        weight = "1/9" if report.exact_weight else formats.number_format(Decimal("0.111"), 3)
        notes = [
            _("Each element's weight is %(weight)s; the index is the IKM times 25.")
            % {"weight": weight}
        ]
        if result.missing:
            notes.append(
                _(
                    "Nobody answered %(elements)s: the index is computed over the other "
                    "elements, which share the nine elements' weight."
                )
                % {"elements": ", ".join(result.missing)}
            )
        for note in notes:
            story.append(_p(note, styles["small"]))
    story.append(Spacer(1, 5 * mm))
    story.append(_p(_("Follow-up plan"), styles["heading"]))
    if report.followup:
        story.append(_p(report.followup.plan, styles["body"]))
        if report.followup.is_published and report.followup.published_at:
            published = formats.date_format(
                timezone.localdate(report.followup.published_at), "j F Y"
            )
            story.append(_p(_("Published on %(date)s.") % {"date": published}, styles["small"]))
    else:
        story.append(_p(_("No follow-up plan has been written yet."), styles["body"]))
    story.append(Spacer(1, 8 * mm))
    story.append(
        _p(
            _("Made on %(date)s by Satupintu from the answers to the satisfaction survey.")
            % {"date": formats.date_format(timezone.localdate(), "j F Y")},
            styles["small"],
        )
    )
    document.build(story)
    return output.getvalue()


def report_pdf(report: IkmReport) -> HttpResponse:
    response = HttpResponse(report_pdf_bytes(report), content_type="application/pdf")
    return file_headers(response, filename=export_filename(report, "pdf"))
