"""Compliance with the yearly 20 JP as CSV and as an XLSX workbook (openpyxl), one row per
employee: NIP, name, agency, unit, JP of the year, JP still needed, and whether they reached
the 20 JP. Column headings are in the active language; numbers use a full stop for decimals
whatever the language.

The file names hold the year and codes only, never a person's name.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.core.uploads import file_headers
from satupintu.learning.constants import YEARLY_JP_RIGHT
from satupintu.learning.selectors.compliance import Standing, UnitCompliance

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(*, year: int, scope: str, extension: str) -> str:
    """``jp-<year>-<scope code>.<ext>``."""
    return f"jp-{year}-{slugify(scope)[:80] or 'semua'}.{extension}"


def _headings() -> list[str]:
    return [
        _("NIP"),
        _("Name"),
        _("Agency"),
        _("Unit"),
        _("JP this year"),
        _("JP still needed"),
        _("Reached 20 JP"),
    ]


def _jp(value: Decimal) -> Decimal:
    # One decimal whatever the database answers (21 on one, 21.0 on another).
    return Decimal(value).quantize(Decimal("0.1"))


def _row(standing: Standing) -> list:
    employee = standing.employee
    return [
        employee.nip or "",
        standing.name,
        employee.agency.name,
        employee.unit.name if employee.unit_id else "",
        _jp(standing.jp),
        _jp(standing.remaining),
        _("yes") if standing.reached else _("no"),
    ]


class _Echo:
    """A file that hands back what is written, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def compliance_csv(rows: Iterable[Standing], *, year: int, scope: str) -> StreamingHttpResponse:
    """Every employee's standing as CSV, streamed row by row."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        yield writer.writerow(_headings())
        for standing in rows:
            yield writer.writerow([str(value) for value in _row(standing)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return file_headers(response, filename=export_filename(year=year, scope=scope, extension="csv"))


def compliance_workbook(
    rows: Iterable[Standing], *, units: list[UnitCompliance], year: int, title: str
) -> bytes:
    """A workbook with a sheet per employee and a sheet of the units' figures."""
    # Imported here: openpyxl takes 18 MB in every web process that loads it.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Employees")
    bold = Font(bold=True)
    sheet.append(_headings())
    for cell in sheet[1]:
        cell.font = bold
    for standing in rows:
        sheet.append(_row(standing))
    for column, width in zip(range(1, 8), (22, 32, 30, 36, 14, 16, 14), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"

    summary = workbook.create_sheet(_("Units"))
    summary.append(
        [
            _("Agency"),
            _("Unit"),
            _("Employees"),
            _("Reached 20 JP"),
            _("Percent reached"),
            _("Average JP"),
        ]
    )
    for cell in summary[1]:
        cell.font = bold
    for unit in units:
        summary.append(
            [
                unit.agency.name,
                str(unit.label),
                unit.employees,
                unit.reached,
                unit.percent,
                unit.average_jp,
            ]
        )
    for column, width in zip(range(1, 7), (30, 36, 12, 14, 16, 12), strict=True):
        summary.column_dimensions[get_column_letter(column)].width = width

    workbook.properties.title = title
    workbook.properties.created = timezone.now().replace(tzinfo=None)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def compliance_xlsx(
    rows: Iterable[Standing], *, units: list[UnitCompliance], year: int, scope: str
) -> HttpResponse:
    title = _("Lesson hours (JP) of %(year)s: the right to %(right)s JP") % {
        "year": year,
        "right": Decimal(YEARLY_JP_RIGHT),
    }
    response = HttpResponse(
        compliance_workbook(rows, units=units, year=year, title=title), content_type=XLSX_TYPE
    )
    return file_headers(
        response, filename=export_filename(year=year, scope=scope, extension="xlsx")
    )
