"""The synthetic catalogue: agencies with units and an office each, and services whose
definitions are clones of shipped ones (so that they are valid and their workflows work),
each with its own code, Indonesian name and place in the search index.

These are a few thousand rows: they go through the ORM. What the case generator needs to
know of each service is kept in :class:`ServicePlan`.
"""

import copy
import random
import uuid
from dataclasses import dataclass

from django.db.models import F
from django.utils.text import slugify

from satupintu.bench import AGENCY_CODE, HEAVY_AGENCY
from satupintu.bench.seed_words import (
    AGENCY_SECTORS,
    PLACES,
    SERVICE_ACTIONS,
    SERVICE_GROUPS,
    SERVICE_OBJECTS,
    UNIT_NAMES,
)
from satupintu.catalog import search
from satupintu.catalog.format import content_hash
from satupintu.catalog.models import CatalogRevision, Category, Service, ServiceVersion
from satupintu.organisations.models import Agency, AgencyLevel, Office, Unit

# Deadlines outside this range make poor templates: a one-day service has hardly any open
# cases, a hundred-day one hardly any closed ones.
_DEADLINE_RANGE = range(2, 31)


@dataclass(frozen=True)
class Template:
    """A shipped service whose workflow the synthetic services reuse: submitted in
    ``start``, taken by an officer to ``middle``, closed in ``granted`` or ``refused``."""

    definition: dict
    start: str
    middle: str
    granted: str
    refused: str
    working_days: int


@dataclass(frozen=True)
class ServicePlan:
    """What the generators need to know of one synthetic service."""

    id: int
    version_id: int
    agency_id: int
    unit_id: int
    office_id: int
    heavy_agency: bool
    heavy_unit: bool
    start: str
    middle: str
    granted: str
    refused: str
    working_days: int


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def templates_find() -> list[Template]:
    """The shipped services that a citizen applies for, whose workflow goes from its start by
    an officer to a state from which an officer or supervisor closes the case both ways."""
    found = []
    services = Service.objects.filter(is_active=True).exclude(code__startswith="bench-")
    for service in services.select_related("current_version").order_by("code"):
        definition = service.current_version.definition
        if "citizen" not in definition.get("applicants", ["citizen"]):
            continue
        workflow = definition["workflow"]
        states = workflow["states"]
        days = definition.get("deadline", {}).get("working_days", 0)
        if days not in _DEADLINE_RANGE:
            continue
        staff = [t for t in workflow["transitions"] if t["by"] in ("officer", "supervisor")]
        for step in staff:
            if step["from"] != workflow["start"] or states[step["to"]].get("final"):
                continue
            if states[step["to"]].get("pauses_clock") or step.get("requires"):
                continue
            ends = [
                t["to"] for t in staff if t["from"] == step["to"] and states[t["to"]].get("final")
            ]
            if len(ends) >= 2:
                found.append(
                    Template(definition, workflow["start"], step["to"], ends[0], ends[-1], days)
                )
                break
    return found


def _service_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` different (Indonesian, English) service names."""
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(names) < count:
        action = rng.choice(SERVICE_ACTIONS)
        thing = rng.choice(SERVICE_OBJECTS)
        group = rng.choice(SERVICE_GROUPS)
        name_id = " ".join(part for part in (action[0], thing[0], group[0]) if part)
        if name_id in seen:
            continue
        seen.add(name_id)
        name_en = " ".join(part for part in (action[1], thing[1], group[1]) if part)
        names.append((name_id, name_en[0].upper() + name_en[1:]))
    return names


def catalogue_create(*, rng: random.Random, agencies: int, services: int) -> list[ServicePlan]:
    """Create ``agencies`` synthetic agencies (the first is the heavy one) with 3–5 units and
    an office each, and ``services`` services spread evenly over them, indexed for search."""
    templates = templates_find()
    if not templates:
        raise RuntimeError("The shipped catalogue has no service to clone: load it first.")
    categories = {category.code: category for category in Category.objects.all()}
    combos = [(sector, place) for place in PLACES for sector in AGENCY_SECTORS]
    rng.shuffle(combos)
    agency_rows, units_of, offices = [], {}, {}
    for number in range(1, agencies + 1):
        (name_id, name_en, short), place = combos[(number - 1) % len(combos)]
        code = AGENCY_CODE.format(number)
        agency = Agency.objects.create(
            public_id=_uuid(rng),
            code=code,
            name_id=f"{name_id} {place}",
            name_en=f"{name_en}, {place.replace('Kabupaten', 'Regency of').replace('Kota', 'City of')}",
            short_name=f"{short} {place.split(' ', 1)[1]}",
            level=AgencyLevel.CITY,
            address=f"Jl. Pemuda No. {number}, {place}",
        )
        agency_rows.append(agency)
        units = []
        for unit_name_id, unit_name_en, unit_code in UNIT_NAMES[: rng.randint(3, 5)]:
            units.append(
                Unit.objects.create(
                    public_id=_uuid(rng),
                    agency=agency,
                    code=unit_code,
                    name_id=unit_name_id,
                    name_en=unit_name_en,
                )
            )
        units_of[agency.pk] = units
        office = Office.objects.create(
            public_id=_uuid(rng),
            code=f"{code}-mpp",
            name_id=f"Mal Pelayanan Publik {place}",
            name_en=f"Public Service Mall, {place}",
            address=f"Jl. Pemuda No. {number}, {place}",
            opening_hours_id="Senin–Jumat 08.00–15.00",
            opening_hours_en="Monday–Friday 08:00–15:00",
        )
        office.agencies.add(agency)
        offices[agency.pk] = office

    names = _service_names(rng, services)
    per_agency = [
        services // agencies + (1 if i < services % agencies else 0) for i in range(agencies)
    ]
    created: list[tuple[Service, Template, dict]] = []
    position = 0
    for agency, count in zip(agency_rows, per_agency, strict=True):
        units = units_of[agency.pk]
        for k in range(count):
            # The heavy agency's first unit handles half of its services (the deep queue).
            if agency.code == HEAVY_AGENCY and k < (count + 1) // 2:
                unit = units[0]
            elif agency.code == HEAVY_AGENCY:
                unit = units[1 + k % (len(units) - 1)]
            else:
                unit = units[k % len(units)]
            template = rng.choice(templates)
            name_id, name_en = names[position]
            position += 1
            code = f"{agency.code}.{slugify(name_id)}"[:130]
            summary_id = f"{name_id} pada {agency.name_id}, diproses oleh {unit.name_id}."
            summary_en = f"{name_en} at the {agency.name_en}, handled by its {unit.name_en}."
            definition = copy.deepcopy(template.definition)
            definition.update(
                code=code,
                agency=agency.code,
                unit=unit.code,
                name={"id": name_id, "en": name_en},
                summary={"id": summary_id, "en": summary_en},
                synonyms={"id": [name_id.lower().split(" ", 1)[1]], "en": []},
                offices=[offices[agency.pk].code],
            )
            service = Service(
                public_id=_uuid(rng),
                code=code,
                agency=agency,
                unit=unit,
                name_id=name_id,
                name_en=name_en,
                summary_id=summary_id,
                summary_en=summary_en,
            )
            created.append((service, template, definition))
    Service.objects.bulk_create([service for service, _, _ in created], batch_size=500)
    versions = ServiceVersion.objects.bulk_create(
        [
            ServiceVersion(
                service=service,
                number=1,
                definition=definition,
                content_hash=content_hash(definition),
            )
            for service, _, definition in created
        ],
        batch_size=200,
    )
    links = []
    for (service, _, definition), version in zip(created, versions, strict=True):
        service.current_version = version
        links.extend(
            Service.categories.through(service_id=service.pk, category_id=categories[code].pk)
            for code in definition.get("categories", [])
            if code in categories
        )
    Service.objects.bulk_update([service for service, _, _ in created], ["current_version"], 500)
    Service.categories.through.objects.bulk_create(links, batch_size=1000)

    # As a catalogue load does: rebuild the search entries, and tell every process.
    search.index_services(Service.objects.filter(pk__in=[service.pk for service, _, _ in created]))
    revision, _ = CatalogRevision.objects.get_or_create(pk=1)
    CatalogRevision.objects.filter(pk=revision.pk).update(number=F("number") + 1)

    heavy = agency_rows[0]
    heavy_unit = units_of[heavy.pk][0]
    return [
        ServicePlan(
            id=service.pk,
            version_id=version.pk,
            agency_id=service.agency_id,
            unit_id=service.unit_id,
            office_id=offices[service.agency_id].pk,
            heavy_agency=service.agency_id == heavy.pk,
            heavy_unit=service.unit_id == heavy_unit.pk,
            start=template.start,
            middle=template.middle,
            granted=template.granted,
            refused=template.refused,
            working_days=template.working_days,
        )
        for (service, template, _), version in zip(created, versions, strict=True)
    ]
