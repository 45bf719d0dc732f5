"""Synthetic people: citizens with valid-format NIKs and employees with valid-format NIPs.

Each generator yields one record per person, computed only from its random stream, so the
same stream gives the same people; a table is written by running the generator again on a
copy of the stream (users first, then their profiles), which costs less than keeping a
million people in memory.
"""

import datetime
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from satupintu.bench import (
    CITIZEN_USERNAME,
    EMPLOYEE_USERNAME,
    HEAVY_CITIZEN,
    SUBMITTER_USERNAME,
    SUBMITTERS,
)
from satupintu.bench.seed_words import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, STREETS

# Citizens are born between these days; everyone is an adult by the time the data starts.
_BORN_FROM = datetime.date(1950, 1, 1).toordinal()
_BORN_UNTIL = datetime.date(2005, 12, 31).toordinal()


@dataclass(frozen=True, slots=True)
class Person:
    username: str
    first_name: str
    last_name: str
    sex: str  # "M" or "F"
    birth_date: datetime.date
    number: str  # NIK of a citizen, NIP of an employee
    region_code: str  # a village (kelurahan) code
    address: str
    phone: str
    email: str


def clone(rng: random.Random) -> random.Random:
    """A new stream in the state ``rng`` is in now."""
    copied = random.Random()
    copied.setstate(rng.getstate())
    return copied


def _villages() -> list[str]:
    """The villages of Surabaya (the shipped catalogue's city), by code."""
    from satupintu.core import regions

    return sorted(
        village.code
        for district in regions.children("3578")
        for village in regions.children(district.code)
    )


def citizens(rng: random.Random, *, count: int) -> Iterator[Person]:
    """``count`` numbered citizens, then the heavy citizen, then the submitters (these two
    with complete profiles, e-mail included).

    NIKs are unique by construction: the serial (last four digits) counts the citizens
    already given the same district, birth date and sex.
    """
    villages = _villages()
    districts = sorted({village[:6] for village in villages})
    district_index = {code: position for position, code in enumerate(districts)}
    days = _BORN_UNTIL - _BORN_FROM + 1
    serials = array("H", bytes(2 * len(districts) * days * 2))
    usernames = [CITIZEN_USERNAME.format(i) for i in range(1, count + 1)]
    usernames.append(HEAVY_CITIZEN)
    usernames.extend(SUBMITTER_USERNAME.format(i) for i in range(1, SUBMITTERS + 1))
    for position, username in enumerate(usernames):
        complete = position >= count
        female = rng.random() < 0.5
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        last = rng.choice(FAMILY_NAMES)
        born = rng.randrange(days) if not complete else rng.randrange(days - 6000, days - 2000)
        village = rng.choice(villages)
        district = village[:6]
        slot = (district_index[district] * days + born) * 2 + female
        serials[slot] += 1
        birth = datetime.date.fromordinal(_BORN_FROM + born)
        day = birth.day + (40 if female else 0)
        nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serials[slot]:04d}"
        yield Person(
            username=username,
            first_name=first,
            last_name=last,
            sex="F" if female else "M",
            birth_date=birth,
            number=nik,
            region_code=village,
            address=f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}, RT {rng.randint(1, 12):02d} RW {rng.randint(1, 9):02d}",
            phone=f"08{rng.randrange(10**9, 10**10)}",
            email=f"{username}@contoh.id" if complete else "",
        )


def employees(rng: random.Random, *, count: int) -> Iterator[Person]:
    """``count`` numbered employees. NIPs are unique by construction: the serial (last three
    digits) counts the employees already given the same birth date, appointment and sex."""
    serials: dict[str, int] = {}
    born_from = datetime.date(1966, 1, 1).toordinal()
    born_days = datetime.date(2000, 12, 31).toordinal() - born_from
    for i in range(1, count + 1):
        female = rng.random() < 0.5
        birth = datetime.date.fromordinal(born_from + rng.randrange(born_days))
        appointed = min(birth.year + rng.randint(22, 35), 2025)
        prefix = f"{birth:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{2 if female else 1}"
        serial = serials.get(prefix, 0) + 1
        serials[prefix] = serial
        username = EMPLOYEE_USERNAME.format(i)
        yield Person(
            username=username,
            first_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
            last_name=rng.choice(FAMILY_NAMES),
            sex="F" if female else "M",
            birth_date=birth,
            number=f"{prefix}{serial:03d}",
            region_code="",
            address="",
            phone="",
            email="",
        )
