"""Synthetic answers to the satisfaction survey (IKM): anonymous, by service and day, with
the skew real surveys show (mostly "good", a few weak services) and some elements left
unanswered."""

import bisect
import datetime
import itertools
import random
from collections.abc import Iterator

from satupintu.bench.seed_catalogue import ServicePlan
from satupintu.bench.seed_tables import Dialect
from satupintu.bench.seed_words import SURVEY_SUGGESTIONS
from satupintu.feedback.constants import AgeBand, Channel, Education, Occupation

FIRST_DAY = datetime.date(2024, 1, 1)
HEAVY_AGENCY_SHARE = 0.25
COUNTER_SHARE = 0.3
# Chances of a score of 1, 2, 3 and 4: at most services, and at the one in ten that serve
# badly.
GOOD = tuple(itertools.accumulate((0.03, 0.12, 0.55, 0.30)))
WEAK = tuple(itertools.accumulate((0.10, 0.30, 0.45, 0.15)))
# Chance that an element is left unanswered (U4, the fee, most often: many services are free).
UNANSWERED = (0.03, 0.03, 0.03, 0.12, 0.04, 0.03, 0.03, 0.06, 0.05)

COLUMNS = (
    "id",
    "service",
    "unit",
    "agency",
    "office",
    "channel",
    "submitted_on",
    "u1",
    "u2",
    "u3",
    "u4",
    "u5",
    "u6",
    "u7",
    "u8",
    "u9",
    "suggestion",
    "age_band",
    "sex",
    "education",
    "occupation",
)


def response_rows(
    rng: random.Random,
    *,
    dialect: Dialect,
    services: list[ServicePlan],
    count: int,
    today: datetime.date,
) -> Iterator[tuple]:
    heavy = [service for service in services if service.heavy_agency]
    others = [service for service in services if not service.heavy_agency]
    weak = {service.id for service in services if rng.random() < 0.1}
    ages = [choice.value for choice in AgeBand]
    educations = [choice.value for choice in Education]
    occupations = [choice.value for choice in Occupation]
    span = (today - FIRST_DAY).days
    days = [(FIRST_DAY + datetime.timedelta(days=n)).isoformat() for n in range(span)]
    online, counter = str(Channel.ONLINE.value), str(Channel.COUNTER.value)
    for _ in range(count):
        service = rng.choice(heavy if rng.random() < HEAVY_AGENCY_SHARE else others)
        scale = WEAK if service.id in weak else GOOD
        scores = [
            None
            if rng.random() < blank
            else str(bisect.bisect(scale, rng.random() * scale[-1]) + 1)
            for blank in UNANSWERED
        ]
        at_counter = rng.random() < COUNTER_SHARE
        profile = rng.random() < 0.8
        yield (
            dialect.uuid(rng.getrandbits(128)),
            str(service.id),
            str(service.unit_id),
            str(service.agency_id),
            str(service.office_id) if at_counter else None,
            counter if at_counter else online,
            rng.choice(days),
            *scores,
            rng.choice(SURVEY_SUGGESTIONS) if rng.random() < 0.1 else "",
            rng.choice(ages) if profile else "",
            rng.choice("MF") if profile else "",
            rng.choice(educations) if profile else "",
            rng.choice(occupations) if profile else "",
        )
