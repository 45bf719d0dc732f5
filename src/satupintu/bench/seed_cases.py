"""Synthetic applications: one submission and one case per application, with the case's
timeline, spread over the synthetic services from 2024-01-01 to today.

A :class:`CasePlan` first fixes, for every case, its service, whether it is still open and
whether the heavy citizen applied — small arrays, a few bytes per case — so that the quotas
hold exactly (3 % open, the deep queue of the heavy unit, the heavy citizen's count). The
cases themselves are then generated one at a time from their own stream, as often as there
are tables to write (submissions, cases, events), and give the same cases each time.
"""

import bisect
import datetime
import itertools
import json
import math
import random
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from satupintu.bench.seed_catalogue import ServicePlan
from satupintu.bench.seed_tables import Dialect
from satupintu.bench.seed_words import CASE_PURPOSES
from satupintu.core import tracking
from satupintu.core.calendar import WorkingCalendar

FIRST_DAY = datetime.date(2024, 1, 1)
OPEN_SHARE = 0.03
# The heavy agency's share of all cases, and the open cases its first unit holds at full
# scale (the benchmark pages 10,000 deep into that queue).
HEAVY_AGENCY_SHARE = 0.20
HEAVY_UNIT_OPEN = 12_000
# Share of closed cases that end within their deadline, and that are granted.
ON_TIME_SHARE = 0.85
GRANTED_SHARE = 0.9
_EPOCH = datetime.date(1970, 1, 1).toordinal()
_TRACKING_SPACE = len(tracking.ALPHABET) ** tracking.LENGTH


def _local_epoch(day: datetime.date, seconds: int, offset: int) -> int:
    """Seconds since the epoch of ``seconds`` after local midnight of ``day``."""
    return (day.toordinal() - _EPOCH) * 86_400 + seconds - offset


class TrackingNumbers:
    """Unique, random-looking tracking numbers: case ``i`` gets the ``i``-th value of an
    affine permutation of all 30⁸ bodies (the multiplier shares no factor with 30), with its
    check character."""

    def __init__(self, rng: random.Random):
        while True:
            self.multiplier = rng.randrange(1, _TRACKING_SPACE)
            if math.gcd(self.multiplier, 30) == 1:
                break
        self.offset = rng.randrange(_TRACKING_SPACE)

    def compact(self, index: int) -> str:
        value = (self.multiplier * index + self.offset) % _TRACKING_SPACE
        digits = []
        for _ in range(tracking.LENGTH):
            value, digit = divmod(value, 30)
            digits.append(tracking.ALPHABET[digit])
        body = "".join(digits)
        return body + tracking.check_character(body)

    def __call__(self, index: int) -> str:
        return tracking.format_tracking(self.compact(index))


@dataclass
class CasePlan:
    """Which service each case is of, which cases are open and which are the heavy
    citizen's."""

    services: list[ServicePlan]
    service_of: array
    open: bytearray
    heavy: bytearray

    @property
    def count(self) -> int:
        return len(self.service_of)


def case_plan(
    rng: random.Random,
    *,
    services: list[ServicePlan],
    count: int,
    scale: float,
    heavy_cases: int,
) -> CasePlan:
    """Fix each case's service (the heavy agency takes ``HEAVY_AGENCY_SHARE`` of them, the
    rest follows a long tail), the 3 % that are open (at least ``HEAVY_UNIT_OPEN × scale``
    of them in the heavy agency's first unit) and the heavy citizen's ``heavy_cases``."""
    heavy = [i for i, service in enumerate(services) if service.heavy_agency]
    others = [i for i, service in enumerate(services) if not service.heavy_agency]
    weights = [0.0] * len(services)
    for i in heavy:
        weights[i] = HEAVY_AGENCY_SHARE / len(heavy)
    tail = [1 / (rank + 1) ** 0.8 for rank in range(len(others))]
    rng.shuffle(others)
    for i, weight in zip(others, tail, strict=True):
        weights[i] = (1 - HEAVY_AGENCY_SHARE) * weight / sum(tail)
    cumulative = list(itertools.accumulate(weights))
    last = len(services) - 1
    service_of = array(
        "H",
        (min(bisect.bisect(cumulative, rng.random() * cumulative[-1]), last) for _ in range(count)),
    )

    deep = [i for i in range(count) if services[service_of[i]].heavy_unit]
    rest = [i for i in range(count) if not services[service_of[i]].heavy_unit]
    total_open = round(count * OPEN_SHARE)
    deep_open = min(len(deep), total_open, max(1, math.ceil(HEAVY_UNIT_OPEN * scale)))
    is_open = bytearray(count)
    for i in rng.sample(deep, deep_open) + rng.sample(rest, min(len(rest), total_open - deep_open)):
        is_open[i] = 1
    is_heavy = bytearray(count)
    for i in rng.sample(range(count), heavy_cases):
        is_heavy[i] = 1
    return CasePlan(services, service_of, is_open, is_heavy)


@dataclass(slots=True)
class CaseRecord:
    index: int
    service: ServicePlan
    applicant_id: int
    tracking: str
    submission_uuid: int
    case_uuid: int
    submitted: int  # epoch seconds
    due_date: datetime.date
    is_open: bool
    state: str
    closed: int | None
    answers: str
    # (kind, from, to, epoch, actor is the applicant)
    events: list[tuple[str, str, str, int, bool]]


@dataclass
class MonthTotals:
    """What ``cases.ServiceMonth`` holds, gathered while the cases are generated."""

    received: Counter = field(default_factory=Counter)
    completed: Counter = field(default_factory=Counter)
    on_time: Counter = field(default_factory=Counter)
    days: dict = field(default_factory=dict)


class CaseGenerator:
    """Generates the cases of a plan, the same ones each time it is run on a copy of the same
    stream."""

    def __init__(
        self,
        *,
        plan: CasePlan,
        citizen_first_id: int,
        citizens: int,
        heavy_citizen_id: int,
        today: datetime.date,
        now: int,
        utc_offset: int,
        tracking_numbers: TrackingNumbers,
    ):
        self.plan = plan
        self.citizen_first_id = citizen_first_id
        self.citizens = citizens
        self.heavy_citizen_id = heavy_citizen_id
        self.today = today
        self.now = now
        self.offset = utc_offset
        self.tracking = tracking_numbers
        self.calendar = WorkingCalendar.for_agency(
            None, years=range(FIRST_DAY.year - 1, today.year + 2)
        )
        self.span = (today - FIRST_DAY).days
        self.answers = [
            json.dumps({"keperluan": purpose}, ensure_ascii=False) for purpose in CASE_PURPOSES
        ]

    def records(
        self, rng: random.Random, totals: MonthTotals | None = None
    ) -> Iterator[CaseRecord]:
        plan, calendar, today = self.plan, self.calendar, self.today
        for index in range(plan.count):
            service = plan.services[plan.service_of[index]]
            if plan.heavy[index]:
                applicant = self.heavy_citizen_id
            else:
                applicant = self.citizen_first_id + rng.randrange(self.citizens)
            days = service.working_days
            submission_uuid, case_uuid = rng.getrandbits(128), rng.getrandbits(128)
            answers = rng.choice(self.answers)
            if plan.open[index]:
                # Due around today: some overdue, most not yet.
                ahead = rng.randint(-10, min(20, days - 1)) or 1
                due = calendar.add_working_days(today, ahead)
                start = calendar.add_working_days(due, -days)
                submitted = _local_epoch(start, rng.randrange(7 * 3600, 20 * 3600), self.offset)
                events = [("submitted", "", service.start, submitted, True)]
                state = service.start
                if rng.random() < 0.4:
                    state = service.middle
                    moved = submitted + int(rng.random() * (self.now - submitted) * 0.5)
                    events.append(("transition", service.start, service.middle, moved, False))
                closed = None
            else:
                start = FIRST_DAY + datetime.timedelta(days=rng.randrange(self.span))
                if rng.random() < ON_TIME_SHARE:
                    taken = rng.randint(1, days)
                else:
                    taken = rng.randint(days + 1, days * 2)
                finished = calendar.add_working_days(start, taken)
                if finished >= today:
                    finished = calendar.add_working_days(today, -1)
                    start = min(start, calendar.add_working_days(finished, -taken))
                due = calendar.add_working_days(start, days)
                submitted = _local_epoch(start, rng.randrange(7 * 3600, 20 * 3600), self.offset)
                closed = _local_epoch(finished, rng.randrange(8 * 3600, 16 * 3600), self.offset)
                if closed <= submitted:
                    closed = submitted + 3600
                state = service.granted if rng.random() < GRANTED_SHARE else service.refused
                moved = submitted + int(rng.random() * (closed - submitted) * 0.5)
                events = [
                    ("submitted", "", service.start, submitted, True),
                    ("transition", service.start, service.middle, moved, False),
                    ("transition", service.middle, state, closed, False),
                ]
                if totals is not None:
                    key = (service.id, finished.replace(day=1))
                    totals.completed[key] += 1
                    totals.on_time[key] += finished <= due
                    histogram = totals.days.setdefault(key, Counter())
                    histogram[max(calendar.working_days_between(start, finished), 0)] += 1
            if totals is not None:
                totals.received[(service.id, start.replace(day=1))] += 1
            yield CaseRecord(
                index=index,
                service=service,
                applicant_id=applicant,
                tracking=self.tracking(index),
                submission_uuid=submission_uuid,
                case_uuid=case_uuid,
                submitted=submitted,
                due_date=due,
                is_open=closed is None,
                state=state,
                closed=closed,
                answers=answers,
                events=events,
            )


SUBMISSION_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "tracking",
    "applicant",
    "service_version",
    "status",
    "answers",
    "submitted_at",
    "idempotency_key",
    "registry_data",
    "prefill_sources",
)
CASE_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "submission",
    "applicant",
    "business",
    "service_version",
    "service",
    "agency",
    "unit",
    "state",
    "is_open",
    "is_paused",
    "submitted_at",
    "due_date",
    "paused_working_days",
    "closed_at",
    "version",
    "outcome",
    "answers",
    "waits_for_state",
    "is_waiting",
)
EVENT_COLUMNS = (
    "case",
    "created_at",
    "kind",
    "actor",
    "actor_role",
    "from_state",
    "to_state",
    "internal",
    "data",
)


def submission_rows(records, *, dialect: Dialect, first_id: int) -> Iterator[tuple]:
    ts = dialect.timestamp
    for record in records:
        submitted = ts(record.submitted)
        yield (
            str(first_id + record.index),
            dialect.uuid(record.submission_uuid),
            submitted,
            submitted,
            record.tracking,
            str(record.applicant_id),
            str(record.service.version_id),
            "submitted",
            record.answers,
            submitted,
            "",
            "{}",
            "{}",
        )


def case_rows(
    records, *, dialect: Dialect, first_id: int, submission_first_id: int
) -> Iterator[tuple]:
    ts, true, false = dialect.timestamp, dialect.true, dialect.false
    for record in records:
        service = record.service
        submitted = ts(record.submitted)
        closed = ts(record.closed) if record.closed is not None else None
        yield (
            str(first_id + record.index),
            dialect.uuid(record.case_uuid),
            submitted,
            ts(record.events[-1][3]),
            str(submission_first_id + record.index),
            str(record.applicant_id),
            None,
            str(service.version_id),
            str(service.id),
            str(service.agency_id),
            str(service.unit_id),
            record.state,
            true if record.is_open else false,
            false,
            submitted,
            record.due_date.isoformat(),
            "0",
            closed,
            str(len(record.events)),
            "{}",
            record.answers,
            "",
            false,
        )


def event_rows(
    records, *, dialect: Dialect, first_id: int, officer_id: int, heavy_unit_id: int
) -> Iterator[tuple]:
    ts, false = dialect.timestamp, dialect.false
    officer = str(officer_id)
    for record in records:
        case_id = str(first_id + record.index)
        applicant = str(record.applicant_id)
        staff = officer if record.service.unit_id == heavy_unit_id else None
        for kind, source, target, moment, by_applicant in record.events:
            if by_applicant:
                yield (
                    case_id,
                    ts(moment),
                    kind,
                    applicant,
                    "applicant",
                    source,
                    target,
                    false,
                    f'{{"tracking": "{record.tracking}"}}',
                )
            else:
                yield (case_id, ts(moment), kind, staff, "officer", source, target, false, "{}")
