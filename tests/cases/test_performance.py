"""The monthly figures behind the public performance page equal what the cases say:
received, completed, completed by the due date, and the median working days taken (waiting
on the applicant left out); the tasks keep them up to date."""

import datetime

import pytest
from django.utils import timezone

from satupintu.cases.models import Case, ServiceMonth
from satupintu.cases.selectors import Performance, performance_by
from satupintu.cases.services import case_transition
from satupintu.cases.services.performance import service_month_refresh, service_months_refresh
from satupintu.core.calendar import WorkingCalendar

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"


def close(case, people, *, on: datetime.date, submitted: datetime.date, paused: int = 0):
    """Issue ``case`` and set its dates as if it had been submitted and closed then."""
    officer, supervisor = people["petugas.dukcapil"], people["penyelia.dukcapil"]
    case = case_transition(case=case, actor=officer, to="verifikasi")
    case = case_transition(case=case, actor=officer, to="menunggu_tte", data={"note": "ok"})
    case_transition(case=case, actor=supervisor, to="terbit", data={"document_number": "N"})
    zone = timezone.get_current_timezone()
    calendar = WorkingCalendar.for_agency(case.agency)
    Case.objects.filter(pk=case.pk).update(
        submitted_at=datetime.datetime.combine(submitted, datetime.time(9), tzinfo=zone),
        closed_at=datetime.datetime.combine(on, datetime.time(14), tzinfo=zone),
        due_date=calendar.add_working_days(submitted, 1 + paused),
        paused_working_days=paused,
    )


def test_the_month_matches_the_cases(people, make_case):
    # October 2026 has no public holiday. Three certificates: one in a working day, one in
    # three (late: due in one), one that took five in all of which four waited on the
    # applicant (one of its own, on time); a fourth is still open.
    cases = [make_case(BIRTH) for _ in range(4)]
    close(cases[0], people, submitted=datetime.date(2026, 10, 5), on=datetime.date(2026, 10, 6))
    close(cases[1], people, submitted=datetime.date(2026, 10, 12), on=datetime.date(2026, 10, 15))
    close(
        cases[2],
        people,
        submitted=datetime.date(2026, 10, 19),
        on=datetime.date(2026, 10, 26),
        paused=4,
    )
    zone = timezone.get_current_timezone()
    Case.objects.filter(pk=cases[3].pk).update(
        submitted_at=datetime.datetime(2026, 10, 30, 10, tzinfo=zone)
    )
    service = cases[0].service
    row = service_month_refresh(service=service, month=datetime.date(2026, 10, 1))
    assert (row.received, row.completed, row.completed_on_time) == (4, 3, 2)
    assert row.processing_days == {"1": 2, "3": 1}

    figures = performance_by(
        key="service", date_from=datetime.date(2026, 10, 1), date_to=datetime.date(2026, 10, 31)
    )[service.pk]
    assert figures.median_days == 1
    assert figures.share_on_time == pytest.approx(2 / 3)
    by_agency = performance_by(
        key="agency", date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 12, 31)
    )
    assert by_agency[service.agency_id].received == 4


def test_refreshing_a_month_twice_changes_nothing(people, make_case):
    case = make_case(BIRTH)
    close(case, people, submitted=datetime.date(2026, 4, 6), on=datetime.date(2026, 4, 7))
    assert service_months_refresh(month=datetime.date(2026, 4, 1)) >= 1
    first = list(ServiceMonth.objects.values("service", "received", "completed"))
    service_months_refresh(month=datetime.date(2026, 4, 1))
    assert list(ServiceMonth.objects.values("service", "received", "completed")) == first


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    figures = Performance(completed=4, days={1: 1, 2: 1, 5: 1, 9: 1})
    assert figures.median_days == 3.5
    assert Performance().median_days is None
    assert Performance().share_on_time is None


def test_a_closing_case_refreshes_its_month(
    people, make_case, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    case = make_case(BIRTH)
    officer, supervisor = people["petugas.dukcapil"], people["penyelia.dukcapil"]
    with django_capture_on_commit_callbacks(execute=True):
        case = case_transition(case=case, actor=officer, to="verifikasi")
        case = case_transition(case=case, actor=officer, to="menunggu_tte", data={"note": "ok"})
        case_transition(case=case, actor=supervisor, to="terbit", data={"document_number": "N"})
    month = timezone.localdate().replace(day=1)
    row = ServiceMonth.objects.get(service=case.service, month=month)
    assert row.completed >= 1
