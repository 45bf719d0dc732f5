"""Unit heads and HR: requests awaiting approval, learning to confirm, assignments, and
compliance with the yearly 20 JP with its exports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from satupintu.core.errors import DomainError
from satupintu.core.pages import error_page, errors_to_form
from satupintu.core.services import audit_record
from satupintu.learning import exports, services
from satupintu.learning.forms import (
    AssignForm,
    ComplianceForm,
    DecisionForm,
)
from satupintu.learning.selectors import compliance as compliance_selectors
from satupintu.learning.selectors import manage as manage_selectors
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.views.manage.common import (
    _base,
    _page_urls,
    _person,
    hr_only,
    unit_heads_only,
)
from satupintu.organisations.models import Unit

# Unit heads and HR: requests, confirmations -------------------------------------------------


def _requests_context(request: HttpRequest, *, unit_head_only: bool) -> dict:
    requests_page = manage_selectors.enrolment_requests(
        user=request.user,
        cursor=request.GET.get("after", "")[:400],
        unit_head_only=unit_head_only,
    )
    confirm_page = manage_selectors.enrolments_to_confirm(
        user=request.user, limit=50, unit_head_only=unit_head_only
    )
    return {
        "requests": requests_page.items,
        "to_confirm": confirm_page.items,
        "more_to_confirm": confirm_page.has_next,
        **_page_urls(request, requests_page),
    }


@unit_heads_only
@require_safe
def unit_home(request: HttpRequest) -> HttpResponse:
    """The unit head's page: requests awaiting approval, learning to confirm."""
    return _requests_page(request, "unit")


def _requests_page(request: HttpRequest, area: str, **extra) -> HttpResponse:
    """The page with the requests: the unit head's, or HR's."""
    unit_head_only = area == "unit"
    context = {
        **_base(request, area),
        **_requests_context(request, unit_head_only=unit_head_only),
        "area": area,
        **extra,
    }
    if unit_head_only:
        context["units"] = list(
            Unit.objects.filter(pk__in=sorted(learning_access(request.user).unit_ids))
            .select_related("agency")
            .order_by("name_id")
        )
    if request.method == "GET":
        audit_record(
            actor=request.user,
            action="learning.requests_viewed",
            object_type="learning.enrolment",
            details={
                "area": area,
                "requests": len(context["requests"]),
                "to_confirm": len(context["to_confirm"]),
            },
        )
    template = "unit_home" if unit_head_only else "requests"
    return render(
        request,
        f"learning/manage/{template}.html",
        context,
        status=422 if extra.get("failed_form") else 200,
    )


def _decide(request: HttpRequest, public_id, area: str) -> HttpResponse:
    """Approve or refuse a request (the unit head's page, or HR's). A refused form comes
    back on the page, next to its request, with what was typed."""
    enrolment = manage_selectors.enrolment_get_for_manager(
        user=request.user, public_id=public_id, unit_head_only=area == "unit"
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_decide(
                enrolment=enrolment,
                approve=form.approve,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            if error.status == 404:
                return error_page(request, error)
            if error.status != 409:
                errors_to_form(form, error)
            else:
                messages.error(request, error.detail)
                return redirect(_requests_url(area))
        else:
            message = (
                _("The enrolment of %(name)s is approved.")
                if form.approve
                else _("The enrolment of %(name)s is refused; they are told why.")
            )
            messages.success(request, message % {"name": _person(enrolment.learner)})
            return redirect(_requests_url(area))
    return _requests_page(request, area, failed_form=form, failed_id=enrolment.public_id)


def _requests_url(area: str) -> str:
    return reverse("learning:unit_home" if area == "unit" else "learning:hr_requests")


def _confirm(request: HttpRequest, public_id, area: str) -> HttpResponse:
    """Confirm that an employee completed a coaching or experiential course."""
    enrolment = manage_selectors.enrolment_get_for_manager(
        user=request.user, public_id=public_id, unit_head_only=area == "unit"
    )
    back = _requests_url(area)
    try:
        services.enrolment_confirm_completion(enrolment=enrolment, actor=request.user)
    except DomainError as error:
        if error.status == 404:
            return error_page(request, error)
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("%(course)s is completed for %(name)s; its lesson hours are counted.")
            % {"course": enrolment.course.title, "name": _person(enrolment.learner)},
        )
    return redirect(back)


@unit_heads_only
@require_POST
def unit_decide(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(request, public_id, "unit")


@unit_heads_only
@require_POST
def unit_confirm(request: HttpRequest, public_id) -> HttpResponse:
    return _confirm(request, public_id, "unit")


@hr_only
@require_POST
def hr_decide(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(request, public_id, "hr")


@hr_only
@require_POST
def hr_confirm(request: HttpRequest, public_id) -> HttpResponse:
    return _confirm(request, public_id, "hr")


@hr_only
@require_safe
def hr_requests(request: HttpRequest) -> HttpResponse:
    """HR's view of requests awaiting approval and learning to confirm in their agency."""
    return _requests_page(request, "hr")


# Assignments -------------------------------------------------------------------------------


def _assign(request: HttpRequest, *, area: str) -> HttpResponse:
    by_nip = area == "hr"
    courses = list(manage_selectors.course_choices_for_assignment(user=request.user))
    employees = [] if by_nip else manage_selectors.assignable_employees(user=request.user)
    form = AssignForm(
        request.POST or None,
        courses=courses,
        employees=employees,
        by_nip=by_nip,
        initial={"course": request.GET.get("kursus", "")[:80]},
    )
    status = 200
    if request.method == "POST":
        learners = []
        if form.is_valid():
            if by_nip:
                found, missing = manage_selectors.employees_by_nip(
                    user=request.user, nips=form.cleaned_data["nips"]
                )
                if missing:
                    form.add_error(
                        "nips",
                        _("No employee you manage has these NIPs: %(nips)s")
                        % {"nips": ", ".join(missing[:10])},
                    )
                learners = [employee.user for employee in found]
            else:
                learners = form.cleaned_data["learners"]
        if form.is_valid() and learners:
            try:
                enrolments = services.enrolment_assign(
                    course=form.cleaned_data["course"],
                    learners=learners,
                    actor=request.user,
                    due_on=form.cleaned_data.get("due_on"),
                )
            except DomainError as error:
                if error.status == 403:
                    return error_page(request, error)
                field = "nips" if by_nip else "learners"
                form.add_error(field if error.errors else None, error.detail)
            else:
                messages.success(
                    request,
                    _(
                        "%(course)s is assigned to %(count)s employees; they are told in their inbox."
                    )
                    % {
                        "course": form.cleaned_data["course"].title,
                        "count": len(enrolments),
                    },
                )
                return redirect("learning:unit_assign" if area == "unit" else "learning:hr_assign")
        status = 422
    return render(
        request,
        "learning/manage/assign.html",
        {**_base(request, area), "form": form, "area": area},
        status=status,
    )


@unit_heads_only
def unit_assign(request: HttpRequest) -> HttpResponse:
    """Assign a course to employees of the unit head's units."""
    return _assign(request, area="unit")


@hr_only
def hr_assign(request: HttpRequest) -> HttpResponse:
    """Assign a course to employees of HR's agency, by NIP."""
    return _assign(request, area="hr")


# Compliance --------------------------------------------------------------------------------


def _compliance_units(request: HttpRequest) -> list[Unit]:
    access = learning_access(request.user)
    units = Unit.objects.select_related("agency").order_by("agency__name_id", "name_id")
    if not access.hr_everywhere:
        units = units.filter(
            Q(pk__in=sorted(access.unit_ids)) | Q(agency_id__in=sorted(access.hr_agency_ids))
        )
    return list(units[:2000])


def _compliance_scope(request: HttpRequest):
    form = ComplianceForm(
        {"year": request.GET.get("tahun", ""), "unit": request.GET.get("unit", "")}
        if request.GET
        else None,
        units=_compliance_units(request),
    )
    year, unit = form.chosen()
    return form, year, unit


def _compliance(request: HttpRequest, *, area: str) -> HttpResponse:
    form, year, unit = _compliance_scope(request)
    units = compliance_selectors.compliance_by_unit(user=request.user, year=year)
    if unit is not None:
        units = [row for row in units if row.unit is not None and row.unit.pk == unit.pk]
    summary = compliance_selectors.compliance_summary(units)
    page = compliance_selectors.learners_behind(
        user=request.user, year=year, unit=unit, cursor=request.GET.get("after", "")[:400]
    )
    audit_record(
        actor=request.user,
        action="learning.compliance_viewed",
        object_type="learning.compliance",
        object_id=str(year),
        details={
            "year": year,
            "unit": str(unit.public_id) if unit else None,
            "employees_listed": len(page.items),
        },
    )
    query = {"tahun": year, "unit": str(unit.public_id) if unit else ""}
    export_query = urlencode({key: value for key, value in query.items() if value})
    prefix = "learning:unit_compliance" if area == "unit" else "learning:hr_compliance"
    return render(
        request,
        "learning/manage/compliance.html",
        {
            **_base(request, area),
            "form": form,
            "year": year,
            "unit": unit,
            "units": units,
            "summary": summary,
            "behind": page.items,
            **_page_urls(request, page, **query),
            "csv_url": f"{reverse(prefix + '_csv')}?{export_query}",
            "xlsx_url": f"{reverse(prefix + '_xlsx')}?{export_query}",
            "area": area,
        },
    )


def _compliance_export(request: HttpRequest, *, kind: str) -> HttpResponse:
    _form, year, unit = _compliance_scope(request)
    rows = compliance_selectors.compliance_rows(user=request.user, year=year, unit=unit)
    scope = unit.code if unit else "semua"
    audit_record(
        actor=request.user,
        action="learning.compliance_exported",
        object_type="learning.compliance",
        object_id=str(year),
        details={"year": year, "unit": str(unit.public_id) if unit else None, "format": kind},
    )
    if kind == "csv":
        response = exports.compliance_csv(rows, year=year, scope=scope)
    else:
        units = compliance_selectors.compliance_by_unit(user=request.user, year=year)
        if unit is not None:
            units = [row for row in units if row.unit is not None and row.unit.pk == unit.pk]
        response = exports.compliance_xlsx(rows, units=units, year=year, scope=scope)
    response["Cache-Control"] = "private, no-store"
    return response


@unit_heads_only
@require_safe
def unit_compliance(request: HttpRequest) -> HttpResponse:
    """The unit head's units: compliance with the 20 JP and who is behind."""
    return _compliance(request, area="unit")


@unit_heads_only
@require_safe
def unit_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="csv")


@unit_heads_only
@require_safe
def unit_compliance_xlsx(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="xlsx")


@hr_only
@require_safe
def hr_compliance(request: HttpRequest) -> HttpResponse:
    """Compliance with the 20 JP per unit of HR's agency (or every agency)."""
    return _compliance(request, area="hr")


@hr_only
@require_safe
def hr_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="csv")


@hr_only
@require_safe
def hr_compliance_xlsx(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="xlsx")
