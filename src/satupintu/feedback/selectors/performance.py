"""The public performance figures: per agency and per service, for a year — applications
received and completed, the median working days taken, the share completed by the due
date, the IKM and its grade, complaints received and the median working days to their
follow-up.

Every figure is an aggregate. Case figures come from the monthly rows that tasks keep
(``cases.ServiceMonth``), the IKM from one grouped query over the survey answers, complaint
figures from the complaints routed in the year; a page costs a handful of queries whatever
the number of cases, answers or complaints behind it, and the figures are computed at most
once per SATUPINTU_PUBLIC_FIGURES_SECONDS (see ``_figures``).
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from satupintu.cases.selectors import Performance, performance_by
from satupintu.catalog.models import Service
from satupintu.complaints.models import Complaint
from satupintu.core.calendar import WorkingCalendar
from satupintu.feedback.ikm import IkmResult, ikm_from_totals
from satupintu.feedback.models import SurveyResponse
from satupintu.feedback.selectors.reports import element_aggregates, totals_of
from satupintu.organisations.models import Agency


@dataclass
class PublicRow:
    """The figures of one agency or one service."""

    subject: Agency | Service
    cases: Performance = field(default_factory=Performance)
    ikm: IkmResult | None = None
    respondents: int = 0
    complaints: int = 0
    follow_up_days: float | None = None


@dataclass(frozen=True)
class Year:
    number: int
    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, number: int) -> "Year":
        return cls(number, datetime.date(number, 1, 1), datetime.date(number, 12, 31))


def _ikm_by(key: str, year: Year, **filters) -> dict[int, tuple[IkmResult | None, int]]:
    """The IKM of each agency or service (``key``) over the year: one grouped query. Too few
    respondents (the setting SATUPINTU_IKM_MIN_RESPONDENTS) gives no index, as in reports."""
    rows = (
        SurveyResponse.objects.filter(submitted_on__range=(year.start, year.end), **filters)
        .values(key)
        .annotate(**element_aggregates())
        .order_by(key)
    )
    minimum = max(settings.SATUPINTU_IKM_MIN_RESPONDENTS, 1)
    found = {}
    for row in rows:
        respondents = row["respondents"] or 0
        result = None
        if respondents >= minimum:
            result = ikm_from_totals(
                totals_of(row),
                respondents=respondents,
                exact_weight=settings.SATUPINTU_IKM_EXACT_WEIGHT,
            )
        found[row[key]] = (result, respondents)
    return found


def _complaints_by(key: str, year: Year, **filters) -> dict[int, tuple[int, float | None]]:
    """Complaints routed in the year to each agency or service, and the median working days
    from routing to the agency's follow-up. Confidential complaints count like the others:
    only totals are public."""
    routed = Complaint.objects.filter(
        routed_at__date__gte=year.start, routed_at__date__lte=year.end, **filters
    )
    counts = dict(routed.values(key).annotate(n=Count("pk")).order_by().values_list(key, "n"))
    days: dict[int, list[int]] = {}
    calendars: dict[int, WorkingCalendar] = {}
    for subject, agency_id, routed_at, followed_at in routed.filter(
        followed_up_at__isnull=False
    ).values_list(key, "agency_id", "routed_at", "followed_up_at"):
        calendar = calendars.get(agency_id)
        if calendar is None:
            calendar = calendars[agency_id] = WorkingCalendar.for_agency(
                agency_id, years=range(year.number, year.number + 2)
            )
        days.setdefault(subject, []).append(
            calendar.working_days_between(
                timezone.localdate(routed_at), timezone.localdate(followed_at)
            )
        )
    return {
        subject: (count, float(statistics.median(days[subject])) if subject in days else None)
        for subject, count in counts.items()
    }


def _figures(key: str, year: Year, **filters) -> tuple[dict, dict, dict]:
    """The case, IKM and complaint figures by agency or service (``key``): computed at most
    once per SATUPINTU_PUBLIC_FIGURES_SECONDS and kept in the cache (shared by every web
    process when the cache is Redis). Behind them are a year of monthly rows of every service
    and a year of survey answers: hundreds of milliseconds at a million of each, for a page
    that everybody may open at any time."""
    seconds = settings.SATUPINTU_PUBLIC_FIGURES_SECONDS
    agency = filters.get("agency")
    cache_key = f"satupintu:public-figures:{key}:{year.number}:{getattr(agency, 'pk', '')}"
    if seconds > 0 and (cached := cache.get(cache_key)) is not None:
        return cached
    figures = (
        performance_by(key=key, date_from=year.start, date_to=year.end, agency=agency),
        _ikm_by(key, year, **filters),
        _complaints_by(key, year, **filters),
    )
    if seconds > 0:
        cache.set(cache_key, figures, timeout=seconds)
    return figures


def _fill(rows: dict[int, PublicRow], key: str, year: Year, **filters) -> list[PublicRow]:
    cases, ikm, complaints = _figures(key, year, **filters)
    for pk, row in rows.items():
        row.cases = cases.get(pk, Performance())
        row.ikm, row.respondents = ikm.get(pk, (None, 0))
        row.complaints, row.follow_up_days = complaints.get(pk, (0, None))
    return list(rows.values())


def public_performance(*, year: Year) -> list[PublicRow]:
    """Every agency's figures for ``year``, by name."""
    agencies = Agency.objects.order_by("name_id")
    return _fill({agency.pk: PublicRow(agency) for agency in agencies}, "agency", year)


def public_agency_performance(*, agency: Agency, year: Year) -> list[PublicRow]:
    """The figures of each service of ``agency`` for ``year`` (withdrawn services too when
    they had cases that year), by name."""
    services = Service.objects.filter(agency=agency).order_by("name_id")
    rows = {service.pk: PublicRow(service) for service in services}
    filled = _fill(rows, "service", year, agency=agency)
    return [
        row
        for row in filled
        if row.subject.is_active or row.cases.received or row.cases.completed or row.respondents
    ]
