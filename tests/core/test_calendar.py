"""Requirement: service deadlines count working days (REFERENCE.md, "Working days").

A working day is Monday to Friday, minus the national holidays and collective leave (cuti
bersama) of the ``holidays`` package, minus the operators' ``NonWorkingDay`` rows (national,
or one agency's only); a ``working_day`` row makes its date a working day. ``start`` is not
counted: ``add_working_days`` and ``working_days_between`` are consistent with each other.
"""

from datetime import date, timedelta
from functools import cache

import holidays
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from satupintu.core.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    package_holidays,
    working_days_between,
)
from satupintu.core.models import NonWorkingDay, NonWorkingDayKind
from satupintu.organisations.models import Agency

# 2025, as the holidays package and the joint ministerial decree (SKB) give them.
IDUL_FITRI_2025 = [date(2025, 3, 31), date(2025, 4, 1)]
LEBARAN_LEAVE_2025 = [date(2025, 3, 28), date(2025, 4, 2), date(2025, 4, 3), date(2025, 4, 4)]
LEBARAN_LEAVE_2025.append(date(2025, 4, 7))


def make_agency(code: str) -> Agency:
    return Agency.objects.create(code=code, name_id=code, name_en=code, level="city")


def add_row(day: date, kind: str, agency: Agency | None = None) -> NonWorkingDay:
    return NonWorkingDay.objects.create(date=day, kind=kind, name=kind, agency=agency)


# What the package provides --------------------------------------------------------------


def test_package_lists_idul_fitri_2025_as_public_holidays_and_lebaran_leave_as_government():
    public = holidays.country_holidays("ID", years=2025, categories=("public",))
    government = holidays.country_holidays("ID", years=2025, categories=("government",))

    assert all(day in public for day in IDUL_FITRI_2025)
    assert all(day in government for day in LEBARAN_LEAVE_2025)
    assert not any(day in public for day in LEBARAN_LEAVE_2025)


def test_package_holidays_include_collective_leave_only_when_asked():
    assert date(2025, 4, 2) in package_holidays(2025)
    assert date(2025, 4, 2) not in package_holidays(2025, collective_leave=False)
    assert date(2025, 3, 31) in package_holidays(2025, collective_leave=False)


# Weekends and the counting convention -----------------------------------------------------


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    """The national calendar of the package alone (no database rows)."""
    return WorkingCalendar(range(2024, 2028))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 6, 13), date(2025, 6, 16)),  # Friday + 1 = Monday
        (date(2025, 6, 14), date(2025, 6, 16)),  # Saturday + 1 = Monday
        (date(2025, 6, 15), date(2025, 6, 16)),  # Sunday + 1 = Monday
        (date(2025, 6, 16), date(2025, 6, 17)),  # Monday + 1 = Tuesday
    ],
)
def test_the_start_is_not_counted(calendar, start, expected):
    assert calendar.add_working_days(start, 1) == expected
    assert calendar.working_days_between(start, expected) == 1


def test_zero_returns_the_start_even_on_a_weekend(calendar):
    saturday = date(2025, 6, 14)
    assert calendar.add_working_days(saturday, 0) == saturday
    assert calendar.working_days_between(saturday, saturday) == 0


def test_weekend_days_are_not_counted(calendar):
    friday, sunday, monday = date(2025, 6, 13), date(2025, 6, 15), date(2025, 6, 16)
    assert not calendar.is_working_day(sunday)
    assert calendar.working_days_between(friday, sunday) == 0
    assert calendar.working_days_between(friday, monday) == 1
    assert calendar.working_days_between(monday, friday) == -1


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 6, 16), -1, date(2025, 6, 13)),  # Monday - 1 = Friday
        (date(2025, 6, 15), -1, date(2025, 6, 13)),  # Sunday - 1 = Friday
        # Idul Adha on Friday 6 June 2025, collective leave on Monday 9 June.
        (date(2025, 6, 13), -5, date(2025, 6, 4)),
        (date(2025, 4, 8), -1, date(2025, 3, 27)),  # back across the Lebaran week
    ],
)
def test_negative_n_counts_backwards(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


def test_negative_n_undoes_positive_n_from_a_working_day(calendar):
    start = date(2025, 4, 8)
    earlier = calendar.add_working_days(start, -7)
    assert calendar.add_working_days(earlier, 7) == start
    assert calendar.working_days_between(earlier, start) == 7


# Holidays ---------------------------------------------------------------------------------


def test_lebaran_2025_from_the_package(calendar):
    """Idul Fitri 31 March and 1 April 2025, cuti bersama 28 March, 2 to 4 and 7 April."""
    thursday = date(2025, 3, 27)
    for day in IDUL_FITRI_2025 + LEBARAN_LEAVE_2025:
        assert not calendar.is_working_day(day)
    assert calendar.add_working_days(thursday, 1) == date(2025, 4, 8)
    # A five-working-day deadline set on Monday 24 March.
    assert calendar.add_working_days(date(2025, 3, 24), 5) == date(2025, 4, 9)
    assert calendar.working_days_between(date(2025, 3, 24), date(2025, 4, 9)) == 5


def test_independence_day(calendar):
    # 2026: 17 August is a Monday.
    assert date(2026, 8, 17).weekday() == 0
    assert not calendar.is_working_day(date(2026, 8, 17))
    assert calendar.add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)
    # 2025: 17 August is a Sunday and Monday 18 August was decreed collective leave.
    assert calendar.add_working_days(date(2025, 8, 15), 1) == date(2025, 8, 19)


def test_christmas_and_new_year(calendar):
    # 25 December 2025 (Thursday) is Christmas, 26 December collective leave.
    assert calendar.add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    # 1 January 2026 (Thursday) is New Year's Day: the count crosses the year.
    assert calendar.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    assert calendar.working_days_between(date(2025, 12, 24), date(2026, 1, 2)) == 4


def test_a_thousand_working_days_agree_with_counting_day_by_day(calendar):
    start = date(2025, 1, 2)
    result = calendar.add_working_days(start, 1000)
    assert result == naive_add(start, 1000, {})
    assert calendar.working_days_between(start, result) == 1000
    assert calendar.add_working_days(result, -1000) == start


# Operators' rows --------------------------------------------------------------------------


@pytest.mark.django_db
def test_lebaran_collective_leave_entered_by_operators(settings):
    """When the package's collective leave is switched off, the operators' rows count."""
    settings.SATUPINTU_COLLECTIVE_LEAVE_FROM_PACKAGE = False
    thursday = date(2025, 3, 27)
    assert add_working_days(thursday, 1) == date(2025, 3, 28)

    for day in LEBARAN_LEAVE_2025:
        add_row(day, NonWorkingDayKind.COLLECTIVE_LEAVE)

    assert add_working_days(thursday, 1) == date(2025, 4, 8)
    assert working_days_between(thursday, date(2025, 4, 8)) == 1
    assert not is_working_day(date(2025, 4, 7))


@pytest.mark.django_db
def test_an_agency_closure_applies_to_that_agency_only():
    closed, other = make_agency("test-dukcapil"), make_agency("test-dpmptsp")
    monday = date(2025, 6, 2)
    add_row(monday, NonWorkingDayKind.CLOSURE, agency=closed)

    assert not is_working_day(monday, agency=closed)
    assert not is_working_day(monday, agency=closed.pk)
    assert is_working_day(monday, agency=other)
    assert is_working_day(monday)
    assert add_working_days(date(2025, 5, 30), 1, agency=closed) == date(2025, 6, 3)
    assert add_working_days(date(2025, 5, 30), 1, agency=other) == monday


@pytest.mark.django_db
def test_a_working_day_row_overrides_the_package_and_weekends():
    collective_leave, saturday = date(2025, 12, 26), date(2025, 6, 14)
    add_row(collective_leave, NonWorkingDayKind.WORKING_DAY)
    add_row(saturday, NonWorkingDayKind.WORKING_DAY)

    assert is_working_day(collective_leave)
    assert add_working_days(date(2025, 12, 24), 1) == collective_leave
    assert is_working_day(saturday)
    assert add_working_days(date(2025, 6, 13), 1) == saturday


@pytest.mark.django_db
def test_an_agency_row_wins_over_a_national_row_for_that_agency():
    serving, closing = make_agency("test-mpp"), make_agency("test-bapenda")
    leave, opened = date(2025, 4, 2), date(2025, 7, 1)
    add_row(leave, NonWorkingDayKind.COLLECTIVE_LEAVE)
    add_row(leave, NonWorkingDayKind.WORKING_DAY, agency=serving)
    add_row(opened, NonWorkingDayKind.WORKING_DAY)
    add_row(opened, NonWorkingDayKind.CLOSURE, agency=closing)

    assert is_working_day(leave, agency=serving)
    assert not is_working_day(leave)
    assert not is_working_day(opened, agency=closing)
    assert is_working_day(opened, agency=serving)


@pytest.mark.django_db
def test_a_calendar_queries_once_for_a_batch(django_assert_num_queries):
    agency = make_agency("test-dukcapil")
    add_row(date(2025, 6, 2), NonWorkingDayKind.CLOSURE, agency=agency)

    with django_assert_num_queries(1):
        calendar = WorkingCalendar.for_agency(agency, years=range(2025, 2027))
    with django_assert_num_queries(0):
        deadlines = [calendar.add_working_days(date(2025, 5, day), 10) for day in range(1, 26)]
    # From 1 May (Labour Day): Vesak on 12 May and collective leave on 13 May are skipped.
    assert deadlines[0] == date(2025, 5, 19)
    assert deadlines[0] == naive_add(date(2025, 5, 1), 10, {})
    # Leaving the loaded years reads the missing ones, once.
    with django_assert_num_queries(1):
        assert calendar.add_working_days(date(2026, 12, 1), 60) > date(2027, 1, 1)
    assert calendar.years == range(2025, 2028)


@pytest.mark.django_db
def test_a_thousand_working_days_take_one_query(django_assert_num_queries):
    start = date(2025, 1, 2)
    with django_assert_num_queries(1):
        result = add_working_days(start, 1000)
    assert result == naive_add(start, 1000, {})


@pytest.mark.django_db
def test_rows_are_read_fresh_for_each_calendar():
    monday = date(2025, 6, 2)
    before = WorkingCalendar.for_agency(years=[2025])
    add_row(monday, NonWorkingDayKind.HOLIDAY)

    assert not WorkingCalendar.for_agency(years=[2025]).is_working_day(monday)
    assert before.is_working_day(monday)


# Properties -------------------------------------------------------------------------------

FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)


@cache
def national_holidays(year: int) -> frozenset[date]:
    return frozenset(
        holidays.country_holidays("ID", years=year, categories=("public", "government"))
    )


def naive_is_working(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5 and day not in national_holidays(day.year)


def naive_add(start: date, n: int, overrides: dict[date, bool]) -> date:
    """Step one day at a time: the definition, without any cleverness."""
    step = timedelta(days=1 if n > 0 else -1)
    day, left = start, abs(n)
    while left:
        day += step
        if naive_is_working(day, overrides):
            left -= 1
    return day


dates = st.dates(min_value=FIRST, max_value=LAST)
overrides = st.dictionaries(dates, st.booleans(), max_size=40)
steps = st.integers(min_value=-400, max_value=400)


@hypothesis_settings(max_examples=150, deadline=None)
@given(overrides=overrides, start=dates, n=steps)
def test_add_matches_counting_day_by_day(overrides, start, n):
    calendar = WorkingCalendar([2025], overrides=overrides)
    result = calendar.add_working_days(start, n)
    assert result == naive_add(start, n, overrides)
    if n != 0:
        assert calendar.is_working_day(result)


@hypothesis_settings(max_examples=150, deadline=None)
@given(overrides=overrides, start=dates, end=dates)
def test_between_matches_counting_day_by_day(overrides, start, end):
    calendar = WorkingCalendar([2025], overrides=overrides)
    low, high = min(start, end), max(start, end)
    count = sum(
        naive_is_working(low + timedelta(days=i), overrides)
        for i in range(1, (high - low).days + 1)
    )
    assert calendar.working_days_between(start, end) == (count if end >= start else -count)


@hypothesis_settings(max_examples=200, deadline=None)
@given(overrides=overrides, start=dates, n=st.integers(min_value=0, max_value=600))
def test_between_undoes_add(overrides, start, n):
    calendar = WorkingCalendar([2025], overrides=overrides)
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@hypothesis_settings(max_examples=200, deadline=None)
@given(overrides=overrides, start=dates, n=st.integers(min_value=1, max_value=600))
def test_backwards_undoes_forwards_from_a_working_day(overrides, start, n):
    calendar = WorkingCalendar([2025], overrides=overrides)
    working_start = calendar.add_working_days(start, 1)
    later = calendar.add_working_days(working_start, n)
    assert calendar.add_working_days(later, -n) == working_start


@hypothesis_settings(max_examples=200, deadline=None)
@given(overrides=overrides, a=dates, b=dates, n=steps, m=steps)
def test_add_is_monotonic(overrides, a, b, n, m):
    calendar = WorkingCalendar([2025], overrides=overrides)
    a, b = min(a, b), max(a, b)
    n, m = min(n, m), max(n, m)
    assert calendar.add_working_days(a, n) <= calendar.add_working_days(b, n)
    if n < m:
        assert calendar.add_working_days(a, n) < calendar.add_working_days(a, m)
    assert calendar.working_days_between(a, b) >= 0


@hypothesis_settings(max_examples=100, deadline=None)
@given(overrides=overrides, a=dates, b=dates, c=dates)
def test_between_adds_up_along_a_path(overrides, a, b, c):
    calendar = WorkingCalendar([2025], overrides=overrides)
    assert calendar.working_days_between(a, b) + calendar.working_days_between(
        b, c
    ) == calendar.working_days_between(a, c)
