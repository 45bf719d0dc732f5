"""How services perform, month by month: the figures behind the public performance page,
kept in ``ServiceMonth`` rows by tasks (a case that closes refreshes its month; the daily
sweep refreshes the current month of every service), so that reading them never scans the
cases themselves.
"""

import datetime
from collections import Counter

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from satupintu.cases.models import Case, ServiceMonth
from satupintu.catalog.models import Service
from satupintu.core.calendar import WorkingCalendar

NOT_CALLED_OFF = Q(outcome__called_off__isnull=True)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_range(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(month, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(following, datetime.time(), tzinfo=zone),
    )


@transaction.atomic
def service_month_refresh(*, service: Service, month: datetime.date) -> ServiceMonth:
    """Count ``service``'s cases of ``month`` again: received, completed, completed by
    their due date, and the working days each completed case took (waiting on the
    applicant left out)."""
    month = month_start(month)
    start, end = _month_range(month)
    cases = Case.objects.filter(NOT_CALLED_OFF, service=service, is_waiting=False)
    received = cases.filter(submitted_at__gte=start, submitted_at__lt=end).count()
    closed = list(
        cases.filter(is_open=False, closed_at__gte=start, closed_at__lt=end).values_list(
            "submitted_at", "closed_at", "due_date", "paused_working_days"
        )
    )
    calendar = WorkingCalendar.for_agency(service.agency_id) if closed else None
    days: Counter[int] = Counter()
    on_time = 0
    for submitted_at, closed_at, due_date, paused in closed:
        finished = timezone.localdate(closed_at)
        taken = calendar.working_days_between(timezone.localdate(submitted_at), finished)
        days[max(taken - paused, 0)] += 1
        on_time += finished <= due_date
    row, _created = ServiceMonth.objects.update_or_create(
        service=service,
        month=month,
        defaults={
            "agency_id": service.agency_id,
            "received": received,
            "completed": len(closed),
            "completed_on_time": on_time,
            "processing_days": {str(n): count for n, count in sorted(days.items())},
        },
    )
    return row


def service_months_refresh(*, month: datetime.date) -> int:
    """Refresh ``month`` for every service that had a case submitted or closed in it.
    Returns how many services were refreshed."""
    start, end = _month_range(month_start(month))
    active = (
        Case.objects.filter(
            Q(submitted_at__gte=start, submitted_at__lt=end)
            | Q(closed_at__gte=start, closed_at__lt=end)
        )
        .values("service")
        .annotate(n=Count("id"))
        .values_list("service", flat=True)
    )
    services = Service.objects.filter(pk__in=list(active)).select_related("agency")
    for service in services:
        service_month_refresh(service=service, month=month)
    return len(services)


def service_months_refresh_daily(*, today: datetime.date | None = None) -> int:
    """Once a day (the sweep calls it every time): the current month, and the previous one
    during the first days of a month, when late closures still change it."""
    today = today or timezone.localdate()
    month = month_start(today)
    if ServiceMonth.objects.filter(month=month, updated_at__date__gte=today).exists():
        return 0
    refreshed = service_months_refresh(month=month)
    if today.day <= 5:
        refreshed += service_months_refresh(month=month_start(month - datetime.timedelta(days=1)))
    return refreshed
