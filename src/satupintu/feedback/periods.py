"""The periods IKM is reported over: quarters (triwulan), half years (semester), years, and
any span of dates. Written as keys in addresses and exports: ``2026-Q3``, ``2026-H1``,
``2026``, or ``2026-01-05..2026-02-20`` for a span of dates."""

import datetime
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

QUARTER, HALF, YEAR, CUSTOM = "quarter", "half", "year", "custom"
# The longest span of dates a report may cover, in days (ten years and a little).
MAX_SPAN_DAYS = 3700

_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[QqHhSs])(?P<number>\d))?$")
_SPAN = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included
    kind: str = CUSTOM

    @property
    def key(self) -> str:
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == HALF:
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """The period in words, in the active language."""
        year = self.start.year
        if self.kind == QUARTER:
            return _("Quarter %(quarter)s, %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": year,
            }
        if self.kind == HALF:
            return _("Half year %(half)s, %(year)s") % {
                "half": 1 if self.start.month == 1 else 2,
                "year": year,
            }
        if self.kind == YEAR:
            return _("Year %(year)s") % {"year": year}
        return _("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "j F Y"),
            "end": formats.date_format(self.end, "j F Y"),
        }

    @property
    def short_label(self) -> str:
        """A short label for charts: ``Q3 2026``, ``H1 2026``, ``2026``."""
        if self.kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if self.kind == HALF:
            return f"H{1 if self.start.month == 1 else 2} {self.start.year}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start:%d.%m.%y}–{self.end:%d.%m.%y}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * (number - 1) + 1, 1)
    end = (
        datetime.date(year, 12, 31)
        if number == 4
        else datetime.date(year, 3 * number + 1, 1) - datetime.timedelta(days=1)
    )
    return Period(start, end, QUARTER)


def quarter_containing(day: datetime.date) -> Period:
    return _quarter(day.year, (day.month - 1) // 3 + 1)


def half_year(year: int, number: int) -> Period:
    if number == 1:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30), HALF)
    return Period(datetime.date(year, 7, 1), datetime.date(year, 12, 31), HALF)


def year(number: int) -> Period:
    return Period(datetime.date(number, 1, 1), datetime.date(number, 12, 31), YEAR)


def period_span(start: datetime.date, end: datetime.date) -> Period:
    """Any span of dates, both included: recognised as a quarter, half year or year when it
    is one. Refuses (``ValueError``) an end before the start or a span over ten years."""
    if end < start:
        raise ValueError("The period ends before it starts.")
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("The period is longer than ten years.")
    for candidate in (
        quarter_containing(start),
        half_year(start.year, 1 if start.month <= 6 else 2),
        year(start.year),
    ):
        if candidate.start == start and candidate.end == end:
            return candidate
    return Period(start, end, CUSTOM)


def period_parse(key: str) -> Period:
    """The period of a key (``2026-Q3``, ``2026-H1`` or ``2026-S1``, ``2026``,
    ``2026-01-05..2026-02-20``); ``ValueError`` when it is none."""
    key = (key or "").strip()
    span = _SPAN.match(key)
    if span:
        return period_span(
            datetime.date.fromisoformat(span.group(1)), datetime.date.fromisoformat(span.group(2))
        )
    match = _KEY.match(key)
    if not match:
        raise ValueError(f"Not a period: {key[:40]!r}")
    number_of_year = int(match.group("year"))
    if not 1900 <= number_of_year <= 2999:
        raise ValueError("The year is out of range.")
    kind = (match.group("kind") or "").upper()
    number = int(match.group("number") or 0)
    if kind == "Q" and 1 <= number <= 4:
        return _quarter(number_of_year, number)
    if kind in {"H", "S"} and number in {1, 2}:
        return half_year(number_of_year, number)
    if not kind:
        return year(number_of_year)
    raise ValueError(f"Not a period: {key[:40]!r}")


def previous_quarter(period: Period) -> Period:
    return quarter_containing(period.start - datetime.timedelta(days=1))


def last_complete_quarter(today: datetime.date) -> Period:
    return previous_quarter(quarter_containing(today))


def quarters_ending_with(day: datetime.date, count: int) -> list[Period]:
    """The ``count`` quarters up to the one containing ``day``, oldest first."""
    quarters = [quarter_containing(day)]
    while len(quarters) < count:
        quarters.append(previous_quarter(quarters[-1]))
    return list(reversed(quarters))


def recent_periods(today: datetime.date) -> list[Period]:
    """The periods to choose from on the report page: the last eight quarters, the last
    four half years and the last three years, newest first."""
    periods = list(reversed(quarters_ending_with(today, 8)))
    current_half = 1 if today.month <= 6 else 2
    halves = [half_year(today.year, current_half)]
    while len(halves) < 4:
        last = halves[-1]
        halves.append(
            half_year(last.start.year, 1)
            if last.start.month == 7
            else half_year(last.start.year - 1, 2)
        )
    return periods + halves + [year(today.year - offset) for offset in range(3)]
