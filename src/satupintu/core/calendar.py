"""The working-day calendar that service deadlines count in.

A working day is a Monday to Friday that is not a non-working day. The non-working days come
from two sources:

1. The ``holidays`` package's Indonesian calendar, two categories of it:

   * ``public``: the national public holidays (hari libur nasional), including the special
     ones the government declared, such as election days;
   * ``government``: the collective leave days (cuti bersama) of the joint ministerial
     decree (SKB) of each year, which the package knows for 2002, 2003 and 2017 onwards up
     to the last decree it was released with (2027 in holidays 0.109). These are included
     unless the setting ``SATUPINTU_COLLECTIVE_LEAVE_FROM_PACKAGE`` is ``False``: agencies
     close on those days, so a deadline must not fall on them.

   Islamic holidays of years that the package has no decree for are its estimates.

2. Rows of :class:`~satupintu.core.models.NonWorkingDay`, which operators keep: collective
   leave that the package does not know yet, extra holidays, agency closures, and
   ``working_day`` rows. A ``working_day`` row makes its date a working day whatever day it
   is, a Saturday included, and whatever the package says (decrees sometimes move a
   holiday). Every other kind makes its date a non-working day. A row with an agency applies
   to that agency only and, for that agency, wins over a national row of the same date; a
   national row (no agency) wins over the package.

Counting convention (the pair below is consistent; see each function for the details):

* ``add_working_days(start, n)`` with ``n > 0`` is the n-th working day *after* ``start``;
  ``start`` itself is never counted, so Friday + 1 = Monday and Saturday + 1 = Monday.
* ``working_days_between(start, end)`` counts the working days ``d`` with
  ``start < d <= end``.

so that ``working_days_between(a, add_working_days(a, n)) == n`` for every date ``a`` and
every ``n >= 0``.

For many computations build one :class:`WorkingCalendar` (one database query) and reuse it;
the module functions build a fresh one per call.
"""

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from satupintu.core.models import NonWorkingDay, NonWorkingDayKind

if TYPE_CHECKING:
    from satupintu.organisations.models import Agency

#: A function that returns, for the dates between two dates (both included), the days whose
#: status differs from the package's calendar: ``True`` for a working day, ``False`` for a
#: non-working one.
OverrideSource = Callable[[date, date], Mapping[date, bool]]

# A year has at least this many working days in practice (about 245 in Indonesia); used only to
# guess how many years to load in one query. A wrong guess costs one more query, not a wrong
# answer.
_WORKING_DAYS_PER_YEAR_AT_LEAST = 200

# date.fromordinal(1) is Monday, 1 January of year 1.
_SATURDAY = 5


def _weekday(ordinal: int) -> int:
    return (ordinal - 1) % 7


@lru_cache(maxsize=1024)
def package_holidays(year: int, *, collective_leave: bool = True) -> frozenset[date]:
    """The non-working days that the ``holidays`` package lists for Indonesia in ``year``.

    Public holidays always; collective leave (the package's ``government`` category) when
    ``collective_leave`` is true. Cached per process: it is a pure function of its arguments.
    """
    categories = ("public", "government") if collective_leave else ("public",)
    return frozenset(holidays.country_holidays("ID", years=year, categories=categories))


def _collective_leave_setting() -> bool:
    return bool(getattr(settings, "SATUPINTU_COLLECTIVE_LEAVE_FROM_PACKAGE", True))


def _agency_id(agency: "Agency | int | None") -> int | None:
    # Accept an Agency instance or its primary key, so callers holding only an id need no query.
    return getattr(agency, "pk", agency)


def _years_spanned(working_days: int) -> int:
    return -(-working_days // _WORKING_DAYS_PER_YEAR_AT_LEAST)


def database_overrides(agency: "Agency | int | None", first: date, last: date) -> dict[date, bool]:
    """The ``NonWorkingDay`` rows between ``first`` and ``last`` (both included) for
    ``agency`` (an Agency, its primary key, or ``None`` for national rows only), as a map from
    date to "is a working day". The agency's own rows win over national rows of the same date.
    """
    agency_id = _agency_id(agency)
    scope = Q(agency__isnull=True)
    if agency_id is not None:
        scope |= Q(agency_id=agency_id)
    rows = NonWorkingDay.objects.filter(scope, date__range=(first, last)).values_list(
        "date", "kind", "agency_id"
    )
    national: dict[date, bool] = {}
    own: dict[date, bool] = {}
    for day, kind, row_agency_id in rows:
        target = national if row_agency_id is None else own
        target[day] = kind == NonWorkingDayKind.WORKING_DAY
    return national | own


class WorkingCalendar:
    """The working days of a span of whole years, held in memory.

    Build it once with :meth:`for_agency` (one database query) for a batch of computations:
    a queue of cases, a report, a benchmark. Each operation then costs a binary search:
    ``add_working_days(start, 1000)`` is as cheap as ``add_working_days(start, 1)``.

    A computation that leaves the loaded years loads the missing years (one more query), so
    an answer is never wrong for lack of data. Database rows are read when the calendar is
    built or grows, never cached between calendars: build a new calendar to see new rows.
    An instance is meant for one request or job, not to be shared between threads.
    """

    def __init__(
        self,
        years: Iterable[int],
        *,
        source: OverrideSource | None = None,
        overrides: Mapping[date, bool] | None = None,
        collective_leave: bool = True,
    ) -> None:
        """A calendar of ``years`` (a non-empty iterable; the span from its smallest to its
        largest year is loaded).

        ``source`` supplies the operators' rows (``for_agency`` passes the database);
        ``overrides`` are fixed exceptions that win over everything (``True``: a working day,
        ``False``: not one). ``collective_leave`` says whether the package's cuti bersama
        count as non-working days.
        """
        years = list(years)
        if not years:
            raise ValueError("A working calendar needs at least one year.")
        self._source = source
        self._fixed = {day.toordinal(): working for day, working in (overrides or {}).items()}
        self._collective_leave = collective_leave
        self._loaded: dict[int, bool] = {}
        self._first_year, self._last_year = min(years), max(years)
        if self._first_year < MINYEAR or self._last_year > MAXYEAR:
            raise OverflowError("The working-day computation goes beyond the supported dates.")
        self._fetch(self._first_year, self._last_year)
        self._rebuild()

    @classmethod
    def for_agency(
        cls, agency: "Agency | int | None" = None, *, years: Iterable[int] | None = None
    ) -> "WorkingCalendar":
        """The calendar of ``agency`` (an Agency, its primary key, or ``None`` for the
        national calendar) for ``years``; by default last year to three years ahead.

        Reads the national rows and the agency's own rows in one query.
        """
        if years is None:
            this_year = timezone.localdate().year
            years = range(this_year - 1, this_year + 4)

        def source(first: date, last: date) -> Mapping[date, bool]:
            return database_overrides(agency, first, last)

        return cls(years, source=source, collective_leave=_collective_leave_setting())

    # Queries -----------------------------------------------------------------------------

    @property
    def years(self) -> range:
        """The years loaded so far."""
        return range(self._first_year, self._last_year + 1)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day of this calendar."""
        self._cover(day.year, day.year)
        return self._is_working(day.toordinal())

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days ``d`` with ``start < d <= end``.

        Negative when ``end < start``: then minus the number of working days ``d`` with
        ``end < d <= start``, so that ``working_days_between(a, b) == -working_days_between(b,
        a)``. Zero when ``start == end``. Working days add up along a path:
        ``between(a, b) + between(b, c) == between(a, c)``.
        """
        self._cover(min(start, end).year, max(start, end).year)
        days = self._days
        return bisect_right(days, end.toordinal()) - bisect_right(days, start.toordinal())

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself is not counted.

        * ``n > 0``: Friday + 1 is Monday, Saturday + 1 is Monday, and
          ``working_days_between(start, result) == n`` for every ``start``.
        * ``n == 0``: ``start`` unchanged, even when it is not a working day.
        * ``n < 0``: the ``|n|``-th working day *before* ``start`` (Monday - 1 and Sunday - 1
          are Friday). When ``start`` is a working day,
          ``working_days_between(result, start) == -n`` and
          ``add_working_days(result, -n) == start``.

        For ``n != 0`` the result is always a working day.
        """
        n = operator.index(n)
        if n == 0:
            return start
        origin = start.toordinal()
        self._cover(start.year, start.year)
        while True:
            days = self._days
            if n > 0:
                position = bisect_right(days, origin) + n - 1
                if position < len(days):
                    return date.fromordinal(days[position])
                missing = position - len(days) + 1
                self._cover(self._first_year, self._last_year + _years_spanned(missing))
            else:
                position = bisect_left(days, origin) + n
                if position >= 0:
                    return date.fromordinal(days[position])
                self._cover(self._first_year - _years_spanned(-position), self._last_year)

    # Internals ---------------------------------------------------------------------------

    def _is_working(self, ordinal: int) -> bool:
        if ordinal in self._opened:
            return True
        return _weekday(ordinal) < _SATURDAY and ordinal not in self._closed

    def _cover(self, first_year: int, last_year: int) -> None:
        """Load the years from ``first_year`` to ``last_year`` if they are not loaded yet."""
        if first_year >= self._first_year and last_year <= self._last_year:
            return
        # The loaded span stays contiguous, so that the sorted list of working days can
        # answer counts by binary search.
        first_year = min(first_year, self._first_year)
        last_year = max(last_year, self._last_year)
        if first_year < MINYEAR or last_year > MAXYEAR:
            raise OverflowError("The working-day computation goes beyond the supported dates.")
        if first_year < self._first_year:
            self._fetch(first_year, self._first_year - 1)
        if last_year > self._last_year:
            self._fetch(self._last_year + 1, last_year)
        self._first_year, self._last_year = first_year, last_year
        self._rebuild()

    def _fetch(self, first_year: int, last_year: int) -> None:
        if self._source is None:
            return
        rows = self._source(date(first_year, 1, 1), date(last_year, 12, 31))
        for day, working in rows.items():
            self._loaded[day.toordinal()] = working

    def _rebuild(self) -> None:
        first = date(self._first_year, 1, 1).toordinal()
        last = date(self._last_year, 12, 31).toordinal()
        exceptions: dict[int, bool] = {}
        # The neighbouring years too: a holiday observed on another day can cross New Year.
        for year in range(
            max(self._first_year - 1, MINYEAR), min(self._last_year + 1, MAXYEAR) + 1
        ):
            for day in package_holidays(year, collective_leave=self._collective_leave):
                exceptions[day.toordinal()] = False
        exceptions.update(self._loaded)
        exceptions.update(self._fixed)
        # Only the days that differ from "Monday to Friday" are kept: weekdays that are
        # closed and weekend days that are open.
        closed: set[int] = set()
        opened: set[int] = set()
        for ordinal, working in exceptions.items():
            if not first <= ordinal <= last:
                continue
            on_weekday = _weekday(ordinal) < _SATURDAY
            if on_weekday and not working:
                closed.add(ordinal)
            elif working and not on_weekday:
                opened.add(ordinal)
        self._closed = closed
        self._opened = opened
        # Every working day of the loaded span, in order: counting is then a binary search.
        self._days = [o for o in range(first, last + 1) if self._is_working(o)]


def _calendar(agency: "Agency | int | None", first_year: int, last_year: int) -> WorkingCalendar:
    return WorkingCalendar.for_agency(agency, years=range(first_year, last_year + 1))


def add_working_days(start: date, n: int, *, agency: "Agency | int | None" = None) -> date:
    """The ``n``-th working day after ``start`` for ``agency`` (``None``: national calendar).

    ``start`` is not counted: Friday + 1 = Monday, Saturday + 1 = Monday; ``n == 0`` returns
    ``start`` unchanged; a negative ``n`` counts backwards (the ``|n|``-th working day before
    ``start``). See :meth:`WorkingCalendar.add_working_days`. One database query; use a
    :class:`WorkingCalendar` for many computations.
    """
    n = operator.index(n)
    span = _years_spanned(abs(n))
    if n >= 0:
        return _calendar(agency, start.year, start.year + span).add_working_days(start, n)
    return _calendar(agency, start.year - span, start.year).add_working_days(start, n)


def working_days_between(start: date, end: date, *, agency: "Agency | int | None" = None) -> int:
    """The number of working days ``d`` with ``start < d <= end`` for ``agency``.

    Negative when ``end < start`` (minus the working days ``d`` with ``end < d <= start``).
    ``working_days_between(a, add_working_days(a, n)) == n`` for every ``a`` and ``n >= 0``.
    See :meth:`WorkingCalendar.working_days_between`.
    """
    low, high = min(start, end), max(start, end)
    return _calendar(agency, low.year, high.year).working_days_between(start, end)


def is_working_day(day: date, *, agency: "Agency | int | None" = None) -> bool:
    """Whether ``day`` is a working day for ``agency`` (``None``: national calendar)."""
    return _calendar(agency, day.year, day.year).is_working_day(day)
