"""Synthetic learning histories of the synthetic employees over 2025 and 2026: courses of
the shipped catalogue completed (each credited to the JP ledger), some in progress, and
certificates for some completions."""

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from satupintu.bench.seed_cases import TrackingNumbers
from satupintu.bench.seed_tables import Dialect
from satupintu.learning.constants import EnrolmentSource, EnrolmentStatus, JpSource
from satupintu.learning.models import Course
from satupintu.learning.services.certificates import certificate_number

FIRST_DAY = datetime.date(2025, 1, 1)
CERTIFICATE_SHARE = 0.3
IN_PROGRESS_SHARE = 0.3


@dataclass(frozen=True)
class CourseInfo:
    id: int
    public_id: str
    jp: str
    title: str
    certificate: bool


@dataclass(slots=True)
class Completion:
    enrolment_id: int
    enrolment_uuid: int
    learner_id: int
    course: CourseInfo
    completed: int  # epoch seconds
    day: datetime.date
    in_progress: bool
    certificate: str | None  # the certificate's number
    certificate_uuid: int
    verification_code: str


def courses_for_history() -> list[CourseInfo]:
    """The published courses that credit JP, in a fixed order."""
    return [
        CourseInfo(
            course.pk,
            str(course.public_id),
            str(course.jp),
            course.title_id,
            course.issues_certificate,
        )
        for course in Course.objects.filter(is_published=True, jp__gt=0).order_by("code")
    ]


def completions(
    rng: random.Random,
    *,
    courses: list[CourseInfo],
    first_learner_id: int,
    learners: int,
    first_enrolment_id: int,
    today: datetime.date,
    utc_offset: int,
) -> Iterator[Completion]:
    """Two to five completed courses per learner (and, for some, one in progress), in the
    order of learners; the same each time on a copy of the same stream."""
    span = (today - FIRST_DAY).days
    epoch = datetime.date(1970, 1, 1).toordinal()
    codes = TrackingNumbers(rng)
    sequence: dict[int, int] = {}
    enrolment_id = first_enrolment_id
    issued = 0
    for learner in range(first_learner_id, first_learner_id + learners):
        in_progress = rng.random() < IN_PROGRESS_SHARE
        taken = rng.sample(courses, min(len(courses), rng.randint(2, 5) + in_progress))
        active = taken.pop() if in_progress and len(taken) > 1 else None
        for course in taken:
            day = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
            moment = (
                (day.toordinal() - epoch) * 86_400 + rng.randrange(8 * 3600, 16 * 3600) - utc_offset
            )
            number = None
            if course.certificate and rng.random() < CERTIFICATE_SHARE:
                sequence[day.year] = sequence.get(day.year, 0) + 1
                number = certificate_number(year=day.year, sequence=sequence[day.year])
                issued += 1
            yield Completion(
                enrolment_id,
                rng.getrandbits(128),
                learner,
                course,
                moment,
                day,
                False,
                number,
                rng.getrandbits(128),
                codes.compact(issued) if number else "",
            )
            enrolment_id += 1
        if active is not None:
            day = today - datetime.timedelta(days=rng.randrange(1, 60))
            moment = (day.toordinal() - epoch) * 86_400 + 9 * 3600 - utc_offset
            yield Completion(
                enrolment_id, rng.getrandbits(128), learner, active, moment, day, True, None, 0, ""
            )
            enrolment_id += 1


ENROLMENT_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "learner",
    "course",
    "status",
    "source",
    "reason",
    "progress",
    "completed_at",
)
JP_COLUMNS = (
    "public_id",
    "created_at",
    "updated_at",
    "learner",
    "year",
    "jp",
    "source",
    "key",
    "occurred_on",
    "description",
    "course",
)
CERTIFICATE_COLUMNS = (
    "public_id",
    "created_at",
    "updated_at",
    "number",
    "verification_code",
    "learner",
    "course",
    "enrolment",
    "holder_name",
    "jp",
    "issued_at",
    "pdf",
    "revoked_reason",
)


def enrolment_rows(records, *, dialect: Dialect) -> Iterator[tuple]:
    ts = dialect.timestamp
    for record in records:
        moment = ts(record.completed)
        yield (
            str(record.enrolment_id),
            dialect.uuid(record.enrolment_uuid),
            ts(record.completed - 14 * 86_400) if not record.in_progress else moment,
            moment,
            str(record.learner_id),
            str(record.course.id),
            EnrolmentStatus.ACTIVE.value if record.in_progress else EnrolmentStatus.COMPLETED.value,
            EnrolmentSource.SELF.value,
            "",
            "40" if record.in_progress else "100",
            None if record.in_progress else moment,
        )


def jp_rows(rng: random.Random, records, *, dialect: Dialect) -> Iterator[tuple]:
    ts = dialect.timestamp
    for record in records:
        if record.in_progress:
            continue
        moment = ts(record.completed)
        yield (
            dialect.uuid(rng.getrandbits(128)),
            moment,
            moment,
            str(record.learner_id),
            str(record.day.year),
            record.course.jp,
            JpSource.COURSE.value,
            f"course:{record.course.public_id}",
            record.day.isoformat(),
            record.course.title[:300],
            str(record.course.id),
        )


def certificate_rows(records, *, dialect: Dialect, names: Callable[[int], str]) -> Iterator[tuple]:
    """``names`` gives the holder's name of a learner id."""
    ts = dialect.timestamp
    for record in records:
        if record.certificate is None:
            continue
        moment = ts(record.completed)
        yield (
            dialect.uuid(record.certificate_uuid),
            moment,
            moment,
            record.certificate,
            record.verification_code,
            str(record.learner_id),
            str(record.course.id),
            str(record.enrolment_id),
            names(record.learner_id),
            record.course.jp,
            moment,
            "",
            "",
        )
