"""The competency pages.

- ``pegawai/kompetensi/``: an employee's own profile against their position's standard.
- ``kompetensi/`` and ``kompetensi/<code>/``: the framework and the agencies' technical
  dictionaries, with levels and behaviour indicators.
- ``sdm/kompetensi/…``: human resources enter one assessment, import a CSV file, and see one
  employee's competencies.
- ``unit/kompetensi/``: a unit head's overview of the unit's employees.

Every page is for employees (a citizen gets 403); the HR and unit pages need the role, and
what they show comes from selectors scoped to it. Each time HR or a unit head sees or
changes an employee's assessments, the audit trail records it.
"""

import base64
import binascii
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.core.errors import DomainError, NotFound
from satupintu.core.pages import pages_for
from satupintu.core.services import audit_record
from satupintu.core.uploads import file_headers
from satupintu.talent import selectors, services
from satupintu.talent.constants import AssessmentSource, CompetencyGroup
from satupintu.talent.forms import AssessmentForm, ImportForm

app_name = "talent"


employees_only = pages_for(
    lambda user: selectors.employee_of(user) is not None,
    gettext_lazy("These pages are for the employees of an agency."),
)
framework_readers = pages_for(
    selectors.framework_reader, gettext_lazy("These pages are for the employees of an agency.")
)
hr_only = pages_for(
    lambda user: selectors.talent_scope(user).is_hr,
    gettext_lazy("These pages are for human resources staff."),
)
unit_heads_only = pages_for(
    lambda user: selectors.talent_scope(user).is_unit_head,
    gettext_lazy("These pages are for the heads of a unit."),
)
reviewers_only = pages_for(
    lambda user: selectors.talent_scope(user).is_hr or selectors.talent_scope(user).is_unit_head,
    gettext_lazy("These pages are for human resources staff and the heads of a unit."),
)


def _gap_rows(gaps) -> list[dict]:
    catalogue = reverse("learning:catalogue")
    return [
        {
            "gap": gap,
            "learn_url": f"{catalogue}?{urlencode({'kompetensi': gap.competency.code})}"
            if catalogue and gap.gap > 0
            else "",
        }
        for gap in gaps
    ]


def _overview_context(overview: selectors.CompetencyOverview) -> dict:
    return {
        "overview": overview,
        "rows": _gap_rows(overview.gaps),
        "open_gaps": sum(1 for gap in overview.gaps if gap.gap > 0),
        "jpm": overview.jpm,
        "band": overview.band,
    }


# The employee's own page ---------------------------------------------------------------------


@employees_only
def my_competencies(request: HttpRequest) -> HttpResponse:
    """My position, my job-person match and my gaps, the largest first."""
    employee = selectors.employee_of(request.user)
    overview = selectors.competency_overview(employee=employee)
    return render(
        request,
        "talent/mine.html",
        {**_overview_context(overview), "nav": "competencies"},
    )


# The framework -------------------------------------------------------------------------------


def _framework_cursor_encode(key: selectors.FrameworkKey) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _framework_cursor_decode(token: str) -> selectors.FrameworkKey | None:
    """The key in a cursor of the framework's pages; None (the first page) for anything
    else."""
    token = (token or "")[:400]
    if not token:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(key, list) or len(key) != 3 or not all(isinstance(k, str) for k in key):
        return None
    return (key[0], key[1], key[2])


@framework_readers
def framework(request: HttpRequest) -> HttpResponse:
    """Every competency by group; technical ones by agency (one agency when chosen)."""
    group = request.GET.get("kelompok", "")[:20]
    if group not in CompetencyGroup.values:
        group = ""
    agency_code = request.GET.get("instansi", "")[:64]
    agencies = selectors.dictionary_agencies()
    agency = next((a for a in agencies if a.code == agency_code), None)
    filters = {
        key: value for key, value in (("kelompok", group), ("instansi", agency_code)) if value
    }
    after = _framework_cursor_decode(request.GET.get("setelah", ""))
    page = selectors.framework_page(group=group or None, agency=agency, after=after)
    listed = page.competencies
    groups = []
    for code in (
        CompetencyGroup.MANAGERIAL,
        CompetencyGroup.SOCIO_CULTURAL,
        CompetencyGroup.TECHNICAL,
    ):
        items = [c for c in listed if c.group == code]
        if items:
            groups.append({"group": code, "label": code.label, "items": items})
    return render(
        request,
        "talent/framework.html",
        {
            "groups": groups,
            "agencies": agencies,
            "chosen_group": group,
            "chosen_agency": agency.code if agency else "",
            "group_choices": CompetencyGroup.choices,
            "next_url": "?"
            + urlencode(
                {
                    **filters,
                    "setelah": _framework_cursor_encode(page.next_after),
                }
            )
            if page.next_after
            else "",
            "first_url": "?" + urlencode(filters) if after is not None else "",
            "nav": "competencies",
        },
    )


@framework_readers
def competency(request: HttpRequest, code: str) -> HttpResponse:
    """One competency with its five levels and their behaviour indicators."""
    found = selectors.competency_get(code=code[:80])
    catalogue = reverse("learning:catalogue")
    return render(
        request,
        "talent/competency.html",
        {
            "competency": found,
            "levels": list(found.levels.all()),
            "learn_url": f"{catalogue}?{urlencode({'kompetensi': found.code})}"
            if catalogue
            else "",
            "nav": "competencies",
        },
    )


# Human resources -----------------------------------------------------------------------------

# Errors of ``assessment_record`` that belong to one field of the form.
FIELD_OF_CODE = {
    "invalid_level": "level",
    "future_date": "assessed_on",
    "invalid_date": "assessed_on",
    "inactive_competency": "competency",
    "evidence_too_long": "evidence",
}


@hr_only
def assessment_new(request: HttpRequest) -> HttpResponse:
    """Enter one assessed level of one employee of the agency (or any, government-wide)."""
    competencies = selectors.assessable_competencies(user=request.user)
    form = AssessmentForm(request.POST or None, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employee = selectors.employee_get_for_hr(user=request.user, nip=data["nip"])
        except NotFound as error:
            form.add_error("nip", error.detail)
        else:
            try:
                services.assessment_record(
                    employee=employee,
                    competency=data["competency"],
                    level=data["level"],
                    source=AssessmentSource.ENTERED,
                    assessed_on=data["assessed_on"],
                    actor=request.user,
                    evidence=data["evidence"],
                )
            except DomainError as error:
                form.add_error(FIELD_OF_CODE.get(error.code), error.detail)
            else:
                messages.success(
                    request,
                    _("Level %(level)s of %(competency)s recorded for %(name)s.")
                    % {
                        "level": data["level"],
                        "competency": data["competency"].name,
                        "name": employee.user.get_full_name() or employee.user.username,
                    },
                )
                return redirect("talent:employee", public_id=employee.public_id)
    return render(
        request,
        "talent/hr/assessment.html",
        {"form": form, "nav": "competencies_hr"},
        status=400 if request.method == "POST" else 200,
    )


@hr_only
def assessments_import(request: HttpRequest) -> HttpResponse:
    """Import assessed levels from a CSV file: all rows or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[dict] = []
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = services.assessments_import(file=form.cleaned_data["file"], actor=request.user)
        except DomainError as error:
            if error.errors:
                problem, problems = error.detail, error.errors
            else:
                form.add_error("file", error.detail)
        else:
            messages.success(
                request,
                _(
                    "%(count)s assessments of %(employees)s employees imported (reference "
                    "%(reference)s)."
                )
                % {
                    "count": result.imported,
                    "employees": result.employees,
                    "reference": result.reference,
                },
            )
            return redirect("talent:import")
    return render(
        request,
        "talent/hr/import.html",
        {
            "form": form,
            "problem": problem,
            "problems": problems,
            "nav": "competencies_hr",
        },
        status=400 if request.method == "POST" else 200,
    )


@hr_only
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.import_template(), content_type="text/csv; charset=utf-8")
    return file_headers(response, filename="penilaian-kompetensi.csv")


@reviewers_only
def employee(request: HttpRequest, public_id) -> HttpResponse:
    """One employee's competencies, for HR of their agency or the head of their unit."""
    found = selectors.employee_get_for_reviewer(user=request.user, public_id=public_id)
    overview = selectors.competency_overview(employee=found)
    history = selectors.assessment_history(employee=found)
    audit_record(
        actor=request.user,
        action="talent.assessments_viewed",
        target=found,
        subject=found.user,
    )
    return render(
        request,
        "talent/hr/employee.html",
        {
            **_overview_context(overview),
            "history": history,
            "employee": found,
            "may_assess": selectors.talent_scope(request.user).covers_hr(found),
            "nav": "competencies_hr",
        },
    )


# The unit head -------------------------------------------------------------------------------


UNIT_PAGE_SIZE = selectors.UNIT_PAGE_SIZE


def _cursor_encode(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def _cursor_decode(token: str) -> int | None:
    token = (token or "")[:32]
    if not token:
        return None
    try:
        return int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


@unit_heads_only
def unit(request: HttpRequest) -> HttpResponse:
    """The employees of the units I head, each with their JPM and largest gap."""
    after = _cursor_decode(request.GET.get("setelah", ""))
    page = selectors.unit_overview(user=request.user, after=after, size=UNIT_PAGE_SIZE)
    if page.rows:
        audit_record(
            actor=request.user,
            action="talent.unit_overview_viewed",
            object_type="talent.unit_overview",
            details={"employees": [str(row.employee.public_id) for row in page.rows]},
        )
    return render(
        request,
        "talent/unit.html",
        {
            "page": page,
            "next_url": "?" + urlencode({"setelah": _cursor_encode(page.next_after)})
            if page.next_after
            else "",
            "is_later_page": after is not None,
            "nav": "competencies_unit",
        },
    )


urlpatterns = [
    path("pegawai/kompetensi/", my_competencies, name="mine"),
    path("kompetensi/", framework, name="framework"),
    path("kompetensi/<slug:code>/", competency, name="competency"),
    path("sdm/kompetensi/penilaian/", assessment_new, name="assessment_new"),
    path("sdm/kompetensi/impor/", assessments_import, name="import"),
    path("sdm/kompetensi/impor/templat.csv", import_template, name="import_template"),
    path("sdm/kompetensi/pegawai/<uuid:public_id>/", employee, name="employee"),
    path("unit/kompetensi/", unit, name="unit"),
]
