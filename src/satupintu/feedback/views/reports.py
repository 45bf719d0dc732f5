"""The IKM report pages for staff: one report per scope and period with its charts (inline
SVG, the numbers in tables beside them), its exports (CSV, XLSX, PDF) and the follow-up
plan that agency administrators and supervisors write and publish.

Every read goes through ``feedback.selectors``: a person sees the reports of their own
agency (or centre), the platform administrator all; a scope outside theirs is "not found",
and a person with no staff role is refused (403).
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.pages import error_page
from satupintu.feedback import charts, exports, pdf, selectors, services
from satupintu.feedback.constants import GRADE_LABELS
from satupintu.feedback.forms import FollowUpForm, ReportFilterForm
from satupintu.feedback.periods import CUSTOM, Period


def _refused() -> Forbidden:
    return Forbidden(
        _("The satisfaction reports are for the staff of agencies and service centres."),
        code="staff_only",
    )


def _query(scope: selectors.ReportScope, period: Period) -> str:
    """The query string that names a report (pages, exports, the follow-up form)."""
    params = dict(scope.params)
    if period.kind == CUSTOM:
        params["date_from"] = period.start.isoformat()
        params["date_to"] = period.end.isoformat()
    else:
        params["period"] = period.key
    return urlencode(params)


def _resolve(request: HttpRequest, data: QueryDict):
    """(filter form, scope, period, error) from the filters in ``data``."""
    choices = selectors.scope_choices(user=request.user)
    form = ReportFilterForm(data if data else None, choices=choices)
    codes: dict[str, str] = {}
    period = form.default_period
    if form.is_bound:
        if not form.is_valid():
            return form, None, period, None
        codes = form.scope_codes()
        period = form.cleaned_data["period_value"]
    try:
        scope = selectors.report_scope_resolve(user=request.user, **codes)
    except DomainError as error:
        if error.status == 422:
            form.add_error(None, error.detail)
            return form, None, period, None
        return form, None, period, error
    return form, scope, period, None


def _page(
    request: HttpRequest,
    data: QueryDict,
    *,
    followup_form: FollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if not selectors.report_access(request.user).any:
        return error_page(request, _refused())
    form, scope, period, error = _resolve(request, data)
    if error is not None:
        return error_page(request, error)
    chosen = scope.params if scope is not None else {}
    if scope is not None and not data.get("agency") and set(chosen) == {"agency"}:
        chosen = {}  # the person's own agency, chosen for them: "My agency" in the select
    context = {
        "form": form,
        "period": period,
        "nav": "ikm",
        "period_choices": form.period_choices(period),
        "scope_selects": form.scope_selects(chosen if form.is_bound or scope else {}),
    }
    if scope is None:
        return render(request, "feedback/reports.html", context, status=400)
    report = selectors.ikm_report(scope=scope, period=period)
    threshold = Decimal(str(settings.SATUPINTU_IKM_WEAK_NRR))
    may_write = selectors.followup_may_write(user=request.user, scope=scope)
    if followup_form is None and may_write:
        followup_form = FollowUpForm(
            initial={
                "plan": report.followup.plan if report.followup else "",
                "publish": bool(report.followup and report.followup.is_published),
            }
        )
    query = _query(scope, period)
    context.update(
        {
            "report": report,
            "scope": scope,
            "grade_label": GRADE_LABELS.get(report.result.grade) if report.result else None,
            "element_chart": charts.element_chart(report.elements, threshold=threshold),
            "trend_chart": charts.trend_chart(report.trend),
            "threshold": threshold,
            "followup_form": followup_form if may_write else None,
            "query": query,
            "exports": [
                ("CSV", f"{reverse('feedback:report_csv')}?{query}"),
                ("XLSX", f"{reverse('feedback:report_xlsx')}?{query}"),
                ("PDF", f"{reverse('feedback:report_pdf')}?{query}"),
            ],
        }
    )
    return render(request, "feedback/reports.html", context, status=status)


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """The report of one scope and period (the person's agency and the last complete
    quarter by default)."""
    return _page(request, request.GET)


def _export(request: HttpRequest, make) -> HttpResponse:
    if not selectors.report_access(request.user).any:
        return error_page(request, _refused())
    _form, scope, period, error = _resolve(request, request.GET)
    if error is not None:
        return error_page(request, error)
    if scope is None:
        return redirect(f"{reverse('feedback:reports')}?{request.GET.urlencode()}")
    response = make(selectors.ikm_report(scope=scope, period=period))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.report_csv)


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.report_xlsx)


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, pdf.report_pdf)


@login_required
@require_POST
def followup(request: HttpRequest) -> HttpResponse:
    """Save the follow-up plan of the report named by the form's hidden fields."""
    if not selectors.report_access(request.user).any:
        return error_page(request, _refused())
    filters = QueryDict(request.POST.get("report", ""))
    _form, scope, period, error = _resolve(request, filters)
    if error is not None:
        return error_page(request, error)
    if scope is None:
        return redirect(f"{reverse('feedback:reports')}?{filters.urlencode()}")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_plan_save(
                actor=request.user,
                scope=scope,
                period=period,
                plan=form.cleaned_data["plan"],
                publish=form.cleaned_data["publish"],
            )
        except DomainError as error:
            if error.status == 403:
                return error_page(request, error)
            form.add_error("plan", error.detail)
        else:
            messages.success(
                request,
                _("The follow-up plan is published.")
                if form.cleaned_data["publish"]
                else _("The follow-up plan is saved."),
            )
            return redirect(f"{reverse('feedback:reports')}?{_query(scope, period)}#tindak-lanjut")
    return _page(request, filters, followup_form=form, status=400)


urlpatterns = [
    path("petugas/ikm/", reports, name="reports"),
    path("petugas/ikm/unduh.csv", report_csv, name="report_csv"),
    path("petugas/ikm/unduh.xlsx", report_xlsx, name="report_xlsx"),
    path("petugas/ikm/unduh.pdf", report_pdf, name="report_pdf"),
    path("petugas/ikm/tindak-lanjut/", followup, name="followup"),
]
