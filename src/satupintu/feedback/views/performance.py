"""The public performance page (no sign-in): how each agency, and each service of an agency,
performed in a year, with the figures as open data (CSV and JSON).

Only aggregates are shown: counts, medians, shares, the IKM. Nothing here names a person
or shows a complaint.
"""

import csv
import io
from math import ceil
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from satupintu.core.uploads import file_headers
from satupintu.feedback.selectors.performance import (
    PublicRow,
    Year,
    public_agency_performance,
    public_performance,
)
from satupintu.organisations.models import Agency

FIRST_YEAR = 2020
FORMATS = ("csv", "json")
PAGE_SIZE = 50


def _year(request: HttpRequest) -> Year:
    """The year asked for (``?tahun=2026``), this year by default; a year out of range is
    "not found" rather than an empty page."""
    this_year = timezone.localdate().year
    raw = request.GET.get("tahun", "")
    if not raw:
        return Year.of(this_year)
    if not (raw.isascii() and raw.isdigit()) or not FIRST_YEAR <= int(raw) <= this_year:
        raise Http404(_("There are no figures for this year."))
    return Year.of(int(raw))


def _figures(row: PublicRow) -> dict:
    """One row as open data: plain numbers, ``null`` where there is nothing to measure."""
    cases = row.cases
    share = cases.share_on_time
    return {
        "code": row.subject.code,
        "name": row.subject.name,
        "received": cases.received,
        "completed": cases.completed,
        "median_working_days": cases.median_days,
        "completed_on_time_share": round(share, 4) if share is not None else None,
        "ikm": float(row.ikm.index) if row.ikm and row.ikm.index is not None else None,
        "ikm_grade": row.ikm.grade if row.ikm else None,
        "ikm_respondents": row.respondents,
        "complaints": row.complaints,
        "median_follow_up_working_days": row.follow_up_days,
    }


def _download(rows: list[PublicRow], fmt: str, filename: str) -> HttpResponse:
    figures = [_figures(row) for row in rows]
    if fmt == "json":
        response = JsonResponse({"items": figures}, json_dumps_params={"ensure_ascii": False})
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(figures[0]) if figures else ["code"])
        writer.writeheader()
        writer.writerows(figures)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return file_headers(response, filename=f"{filename}.{fmt}")


def _page(request: HttpRequest, rows: list[PublicRow]) -> dict:
    """One page of the table (``?halaman=2``) and the links to its neighbours. The figures
    of every row are computed in one pass anyway (and the downloads hold them all), so the
    page is a slice of them."""
    pages = max(ceil(len(rows) / PAGE_SIZE), 1)
    try:
        number = min(max(int(request.GET.get("halaman", "1")[:6]), 1), pages)
    except ValueError:
        number = 1
    params = {key: value for key, value in request.GET.items() if key == "tahun"}

    def url(page: int) -> str:
        return "?" + urlencode({**params, "halaman": page} if page > 1 else params)

    return {
        "rows": rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
        "next_url": url(number + 1) if number < pages else "",
        "previous_url": url(number - 1) if number > 1 else "",
    }


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


@require_GET
@cache_control(public=True, max_age=300)
def performance(request: HttpRequest) -> HttpResponse:
    """Every agency's figures for the year."""
    year = _year(request)
    rows = public_performance(year=year)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _download(rows, fmt, f"kinerja-{year.number}")
    return render(
        request,
        "feedback/performance/index.html",
        {**_page(request, rows), "year": year, "years": _years(), "nav": "performance"},
    )


@require_GET
@cache_control(public=True, max_age=300)
def agency_performance(request: HttpRequest, code: str) -> HttpResponse:
    """One agency's figures, service by service."""
    agency = Agency.objects.filter(code=code[:64]).first()
    if agency is None:
        raise Http404(_("There is no such agency."))
    year = _year(request)
    rows = public_agency_performance(agency=agency, year=year)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _download(rows, fmt, f"kinerja-{agency.code}-{year.number}")
    return render(
        request,
        "feedback/performance/agency.html",
        {
            "agency": agency,
            **_page(request, rows),
            "year": year,
            "years": _years(),
            "nav": "performance",
        },
    )


urlpatterns = [
    path("kinerja/", performance, name="performance"),
    path("kinerja/<slug:code>/", agency_performance, name="agency_performance"),
]
