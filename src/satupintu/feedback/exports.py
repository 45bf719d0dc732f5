"""A report as CSV and as an XLSX workbook (openpyxl), in the active language. Both hold
the report's aggregates only: no response, no suggestion, no person.

The CSV is one table with the columns ``section, code, label, count, value, extra``:

- ``summary`` rows: ``code`` names the figure (``respondents``, ``population``,
  ``required_sample``, ``sample_met``, ``ikm``, ``index``, ``grade``, …), ``value`` holds it;
- ``element`` rows: ``code`` is U1–U9, ``count`` the number of answers, ``value`` the NRR
  and ``extra`` the NRR times its weight, weakest first;
- ``trend`` rows: ``code`` the quarter (``2026-Q3``), ``count`` the respondents, ``value``
  the index and ``extra`` its grade.

Numbers are written with a full stop for decimals whatever the language.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.core.uploads import file_headers
from satupintu.feedback.constants import GRADE_LABELS
from satupintu.feedback.selectors import IkmReport

CSV_COLUMNS = ["section", "code", "label", "count", "value", "extra"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_filename(report: IkmReport, extension: str) -> str:
    """``ikm-<scope codes>-<period>.<ext>``: codes and dates only, never a name."""
    scope = "-".join(report.scope.params.values()) or "all"
    return f"ikm-{slugify(scope)[:80]}-{slugify(report.period.key)}.{extension}"


def summary_rows(report: IkmReport) -> list[tuple[str, str, object]]:
    """(code, label, value) of the report's headline figures."""
    result = report.result
    weight = "1/9" if report.exact_weight else "0.111"
    rows: list[tuple[str, str, object]] = [
        ("scope", _("Scope"), report.scope.label),
        ("period", _("Period"), report.period.label),
        ("period_start", _("From"), report.period.start.isoformat()),
        ("period_end", _("Until"), report.period.end.isoformat()),
        ("respondents", _("Respondents"), report.respondents),
        ("population", _("People served (cases closed)"), report.population),
        ("required_sample", _("Sample size required"), report.required_sample),
        ("sample_met", _("Sample size met"), report.sample_met),
        ("weight", _("Weight of each element"), weight),
    ]
    if result is not None:
        rows += [
            ("ikm", _("IKM (1–4)"), result.ikm),
            ("index", _("IKM index (25–100)"), result.index),
            ("grade", _("Grade"), result.grade),
            (
                "grade_label",
                _("Service quality"),
                GRADE_LABELS[result.grade] if result.grade else "",
            ),
            ("missing", _("Elements nobody answered"), " ".join(result.missing)),
        ]
    else:
        rows.append(
            (
                "withheld",
                _("Averages withheld (fewer respondents than %(count)s)")
                % {"count": report.min_respondents},
                report.withheld,
            )
        )
    return rows


def report_csv(report: IkmReport) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for code, label, value in summary_rows(report):
        writer.writerow(["summary", code, str(label), "", _text(value), ""])
    for row in report.elements:
        writer.writerow(
            ["element", row.code, row.name, row.answers, _text(row.nrr), _text(row.weighted)]
        )
    for point in report.trend:
        writer.writerow(
            [
                "trend",
                point.period.key,
                point.period.label,
                point.respondents,
                _text(point.index),
                point.grade or "",
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return file_headers(response, filename=export_filename(report, "csv"))


def _number(value):
    # Numbers stay numbers in the workbook (openpyxl writes Decimal as a number).
    return (
        value if isinstance(value, int | Decimal) and not isinstance(value, bool) else _text(value)
    )


def report_workbook(report: IkmReport) -> bytes:
    """The report as an XLSX workbook: a sheet with the summary, the elements and the
    follow-up plan, and a sheet with the trend."""
    # Imported here: openpyxl takes 18 MB in every web process that loads it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "IKM"
    bold = Font(bold=True)
    sheet.append([_("Community Satisfaction Index (IKM)")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.scope.label])
    sheet.append([report.period.label])
    sheet.append([])
    for _code, label, value in summary_rows(report):
        sheet.append([str(label), _number(value)])
    sheet.append([])
    header = [_("Code"), _("Element"), _("Answers"), _("Average (NRR)"), _("NRR × weight")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in report.elements:
        sheet.append([row.code, row.name, row.answers, row.nrr, row.weighted])
    sheet.append([])
    sheet.append([_("Follow-up plan")])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    plan = report.followup.plan if report.followup else _("No follow-up plan has been written yet.")
    sheet.append([plan])
    sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip(range(1, 6), (34, 48, 12, 16, 16), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width

    trend = workbook.create_sheet(_("Trend"))
    trend.append([_("Quarter"), _("Respondents"), _("IKM index"), _("Grade")])
    for cell in trend[1]:
        cell.font = bold
    for point in report.trend:
        trend.append([point.period.label, point.respondents, point.index, point.grade or ""])
    trend.column_dimensions["A"].width = 24

    workbook.properties.title = str(_("Community Satisfaction Index (IKM)"))
    workbook.properties.created = timezone.now().replace(tzinfo=None)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def report_xlsx(report: IkmReport) -> HttpResponse:
    response = HttpResponse(
        report_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return file_headers(response, filename=export_filename(report, "xlsx"))
