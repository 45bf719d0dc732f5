"""Writes of the competency framework and of employees' assessed levels."""

from __future__ import annotations

import csv
import datetime
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.accounts.models import EmployeeProfile
from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.talent import loading
from satupintu.talent.constants import LEVEL_MAX, LEVEL_MIN, AssessmentSource
from satupintu.talent.models import Assessment, Competency, Placement, Position
from satupintu.talent.selectors import talent_scope

# The framework -------------------------------------------------------------------------------


@transaction.atomic
def framework_load(*, path: str | Path | None = None) -> loading.LoadResult:
    """Load (or load again) the managerial and socio-cultural competencies shipped in
    ``talent/framework/managerial.yaml`` (or ``path``). Idempotent: what did not change is
    not written, so an edited file can be re-applied at any time."""
    data = loading.check(loading.read_file(path or loading.MANAGERIAL_FILE))
    return loading.apply(data, models=loading.Models.current())


@transaction.atomic
def dictionary_load(
    *,
    path: str | Path | None = None,
    text: str | bytes | None = None,
    skip_missing_agencies: bool = False,
) -> loading.LoadResult:
    """Load a YAML file of competencies (an agency's technical dictionary) and positions
    with their requirements; see ``talent.loading`` for the format. Everything is checked
    before anything is written; a second load of the same file changes nothing. An unknown
    agency is an error unless ``skip_missing_agencies``."""
    if (path is None) == (text is None):
        raise ValueError("Give either path or text.")
    data = loading.read_file(path) if path is not None else loading.read(text)
    return loading.apply(
        loading.check(data),
        models=loading.Models.current(),
        skip_missing_agencies=skip_missing_agencies,
    )


@transaction.atomic
def placement_set(
    *, employee: EmployeeProfile, position: Position, since: datetime.date, actor: Any | None
) -> Placement:
    """Place ``employee`` in ``position`` (of their own agency) from ``since``."""
    if position.agency_id != employee.agency_id:
        raise DomainError(
            _(
                "The position belongs to another agency. Choose a position of the employee's agency."
            ),
            code="position_other_agency",
        )
    placement = Placement.objects.filter(employee=employee).first()
    if placement is not None and (placement.position_id, placement.since) == (position.pk, since):
        return placement
    previous = placement.position.code if placement is not None else None
    if placement is None:
        placement = Placement.objects.create(employee=employee, position=position, since=since)
    else:
        placement.position = position
        placement.since = since
        placement.save(update_fields=["position", "since", "updated_at"])
    audit_record(
        actor=actor,
        action="talent.placement_set",
        target=placement,
        subject=employee.user,
        details={"position": position.code, "since": since.isoformat(), "previous": previous},
    )
    return placement


# Assessments ---------------------------------------------------------------------------------


def _check_level(level: Any) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not LEVEL_MIN <= level <= LEVEL_MAX:
        raise DomainError(_("The level must be a whole number from 1 to 5."), code="invalid_level")
    return level


@transaction.atomic
def assessment_record(
    *,
    employee: EmployeeProfile,
    competency: Competency,
    level: int,
    source: str,
    assessed_on: datetime.date,
    actor: Any | None,
    evidence: str = "",
    reference: str = "",
) -> Assessment:
    """Record that ``employee`` was found at ``level`` of ``competency`` on ``assessed_on``.

    Earlier assessments are kept; the latest one is the employee's current level. The
    caller decides who may assess whom (HR pages go through ``selectors.employee_get_for_hr``;
    a quiz records the learner's own result). ``actor`` is stored as the assessor when it is
    a signed-in person.
    """
    _check_level(level)
    if source not in AssessmentSource.values:
        raise DomainError(
            _("The source must be one of: %(sources)s.")
            % {"sources": ", ".join(AssessmentSource.values)},
            code="invalid_source",
        )
    if not isinstance(assessed_on, datetime.date) or isinstance(assessed_on, datetime.datetime):
        raise DomainError(_("Give the date of the assessment."), code="invalid_date")
    if assessed_on > timezone.localdate():
        raise DomainError(
            _("The assessment date is in the future. Give the day it took place."),
            code="future_date",
        )
    if not competency.is_active:
        raise DomainError(
            _("This competency is no longer in use. Choose an active competency."),
            code="inactive_competency",
        )
    evidence = (evidence or "").strip()
    if len(evidence) > 300:
        raise DomainError(
            _("Keep the evidence to 300 characters; link to a longer report instead."),
            code="evidence_too_long",
        )
    assessor = actor if getattr(actor, "is_authenticated", False) else None
    assessment = Assessment.objects.create(
        employee=employee,
        competency=competency,
        level=level,
        source=source,
        assessed_on=assessed_on,
        assessor=assessor,
        evidence=evidence,
        reference=(reference or "")[:100],
    )
    audit_record(
        actor=actor,
        action="talent.assessment_recorded",
        target=assessment,
        subject=employee.user,
        details={
            "competency": competency.code,
            "level": level,
            "source": source,
            "assessed_on": assessed_on.isoformat(),
        },
    )
    return assessment


# CSV import ----------------------------------------------------------------------------------

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 10_000
IMPORT_COLUMNS = ("nip", "competency", "level", "assessed_on")
IMPORT_OPTIONAL = ("evidence",)
CSV_TYPES = {"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", ""}


@dataclass(frozen=True)
class ImportResult:
    """A saved import: how many assessments of how many employees, and its reference."""

    imported: int
    employees: int
    reference: str


def _file_text(file: IO) -> str:
    """The text of an uploaded CSV file, checked for name, type, size and encoding."""
    name = str(getattr(file, "name", "") or "")
    content_type = str(getattr(file, "content_type", "") or "").split(";")[0].strip().lower()
    if not name.lower().endswith(".csv") or content_type not in CSV_TYPES:
        raise DomainError(
            _("Upload a CSV file (ending in .csv). Save a spreadsheet as “CSV UTF-8” first."),
            code="not_csv",
        )
    size = getattr(file, "size", None)
    if size is not None and size > IMPORT_MAX_BYTES:
        raise DomainError(
            _("The file is larger than 2 MB. Split it into smaller files."), code="too_large"
        )
    if hasattr(file, "seek"):
        file.seek(0)
    raw = file.read(IMPORT_MAX_BYTES + 1)
    if len(raw) > IMPORT_MAX_BYTES:
        raise DomainError(
            _("The file is larger than 2 MB. Split it into smaller files."), code="too_large"
        )
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if b"\x00" in raw:
        raise DomainError(
            _("This is not a CSV text file. Save the spreadsheet as “CSV UTF-8” and upload that."),
            code="not_csv",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("The file is not in UTF-8. Save it as “CSV UTF-8” and upload it again."),
            code="not_utf8",
        ) from exc


def _delimiter(header: str) -> str:
    """``;`` (what spreadsheets write in Indonesian locales) or ``,``."""
    return ";" if header.count(";") > header.count(",") else ","


@dataclass
class _Row:
    number: int
    nip: str
    code: str
    level: int | None
    assessed_on: datetime.date | None
    evidence: str


def _row_error(number: int, column: str, message: str) -> dict[str, Any]:
    return {"row": number, "column": column, "path": f"row {number}", "message": message}


def _parse_rows(text: str) -> tuple[list[_Row], list[dict]]:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise DomainError(
            _("The file is empty. Download the template and fill in one assessment a row."),
            code="empty",
        )
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    errors: list[dict] = []
    rows: list[_Row] = []
    header: list[str] | None = None
    today = timezone.localdate()
    for fields in reader:
        number = reader.line_num
        if not any(field.strip() for field in fields):
            continue
        if header is None:
            header = [field.strip().lower() for field in fields]
            expected = list(IMPORT_COLUMNS)
            if header not in (expected, [*expected, *IMPORT_OPTIONAL]):
                raise DomainError(
                    _(
                        "The first row must name the columns: nip, competency, level, "
                        "assessed_on and, if you like, evidence — in that order. Download the "
                        "template to see an example."
                    ),
                    code="bad_header",
                )
            continue
        if len(rows) + len(errors) >= IMPORT_MAX_ROWS:
            raise DomainError(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": IMPORT_MAX_ROWS},
                code="too_many_rows",
            )
        if len(fields) not in (len(header), 4, 5) or len(fields) > 5:
            errors.append(
                _row_error(
                    number,
                    "",
                    _(
                        "This row has %(found)s columns instead of %(expected)s. Check for a "
                        "separator inside a value, and put such a value in double quotes."
                    )
                    % {"found": len(fields), "expected": len(header)},
                )
            )
            continue
        nip, code, level_text, date_text = (field.strip() for field in fields[:4])
        evidence = fields[4].strip() if len(fields) > 4 else ""
        level = None
        if (
            level_text.isascii()
            and level_text.isdigit()
            and LEVEL_MIN <= int(level_text) <= LEVEL_MAX
        ):
            level = int(level_text)
        else:
            errors.append(
                _row_error(
                    number,
                    "level",
                    _("The level “%(value)s” is not a whole number from 1 to 5.")
                    % {"value": level_text},
                )
            )
        assessed_on = None
        try:
            if len(date_text) != 10:
                raise ValueError(date_text)
            assessed_on = datetime.date.fromisoformat(date_text)
        except ValueError:
            errors.append(
                _row_error(
                    number,
                    "assessed_on",
                    _(
                        "The date “%(value)s” is not in the form YYYY-MM-DD (for example "
                        "2026-03-31)."
                    )
                    % {"value": date_text},
                )
            )
        else:
            if assessed_on > today:
                errors.append(
                    _row_error(
                        number,
                        "assessed_on",
                        _(
                            "The date %(value)s is in the future. Give the day the assessment "
                            "took place."
                        )
                        % {"value": date_text},
                    )
                )
        if len(evidence) > 300:
            errors.append(_row_error(number, "evidence", _("Keep the evidence to 300 characters.")))
        rows.append(_Row(number, nip, code, level, assessed_on, evidence))
    if header is None or (not rows and not errors):
        raise DomainError(
            _("The file has no assessments below its header row. Add one assessment a row."),
            code="empty",
        )
    return rows, errors


@transaction.atomic
def assessments_import(*, file: IO, actor: Any) -> ImportResult:
    """Import assessed levels from a CSV file with the columns
    ``nip,competency,level,assessed_on[,evidence]`` (UTF-8 with or without BOM, ``;`` or
    ``,`` between values, at most 2 MB).

    Every row is checked first; when any row is wrong, nothing is saved and ``DomainError``
    (``code="invalid_rows"``) lists each problem with its row number (the header is row 1).
    HR of an agency imports for that agency's employees; government-wide HR for everyone.
    """
    scope = talent_scope(actor)
    if not scope.is_hr:
        raise Forbidden(_("Only human resources staff may import assessments."))
    rows, errors = _parse_rows(_file_text(file))

    nips = {row.nip for row in rows if row.nip}
    employees = {
        employee.nip: employee
        for employee in EmployeeProfile.objects.filter(nip__in=nips).select_related("user")
    }
    codes = {row.code for row in rows if row.code}
    competencies = {
        competency.code: competency
        for competency in Competency.objects.filter(code__in=codes, is_active=True)
    }
    for row in rows:
        employee = employees.get(row.nip)
        if employee is None:
            errors.append(
                _row_error(
                    row.number,
                    "nip",
                    _(
                        "No employee has the NIP “%(value)s”. Check its 18 digits, without spaces "
                        "or dots; format the column as text so that a spreadsheet does not turn "
                        "it into a number like 1.98703E+17."
                    )
                    % {"value": row.nip},
                )
            )
        elif not scope.covers_hr(employee):
            errors.append(
                _row_error(
                    row.number,
                    "nip",
                    _(
                        "The employee with NIP %(value)s works in an agency you do not manage. "
                        "Remove the row, or ask that agency's HR to import it."
                    )
                    % {"value": row.nip},
                )
            )
        if row.code not in competencies:
            errors.append(
                _row_error(
                    row.number,
                    "competency",
                    _(
                        "There is no competency with the code “%(value)s”. Use a code from the "
                        "competency list, such as integritas."
                    )
                    % {"value": row.code},
                )
            )
    if errors:
        errors.sort(
            key=lambda error: (
                error["row"],
                IMPORT_COLUMNS.index(error["column"]) if error["column"] in IMPORT_COLUMNS else 9,
            )
        )
        raise DomainError(
            ngettext(
                "Nothing was imported: %(count)s problem in the file. Fix it and upload the "
                "whole file again.",
                "Nothing was imported: %(count)s problems in the file. Fix them and upload the "
                "whole file again.",
                len(errors),
            )
            % {"count": len(errors)},
            code="invalid_rows",
            errors=errors,
        )

    reference = f"csv-{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:8]}"
    assessor = actor if getattr(actor, "is_authenticated", False) else None
    created = Assessment.objects.bulk_create(
        [
            Assessment(
                employee=employees[row.nip],
                competency=competencies[row.code],
                level=row.level,
                source=AssessmentSource.IMPORTED,
                assessed_on=row.assessed_on,
                assessor=assessor,
                evidence=row.evidence,
                reference=reference,
            )
            for row in rows
        ]
    )
    by_employee: dict[int, list[str]] = {}
    for row in rows:
        by_employee.setdefault(employees[row.nip].pk, []).append(row.code)
    for employee in {employees[row.nip] for row in rows}:
        audit_record(
            actor=actor,
            action="talent.assessments_imported",
            target=employee,
            subject=employee.user,
            details={"reference": reference, "competencies": by_employee[employee.pk]},
        )
    return ImportResult(imported=len(created), employees=len(by_employee), reference=reference)


def import_template() -> str:
    """The CSV template HR downloads: the header and an example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*IMPORT_COLUMNS, *IMPORT_OPTIONAL])
    writer.writerow(
        [
            "198703152010011002",
            "integritas",
            "3",
            timezone.localdate().isoformat(),
            "Assessment centre 2026",
        ]
    )
    return buffer.getvalue()
