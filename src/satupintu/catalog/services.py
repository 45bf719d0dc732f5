"""Writes of the catalogue: loading a definitions folder into versioned services and life
events, all or nothing."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F

from satupintu.catalog import search
from satupintu.catalog.format import Catalogue, Problem, content_hash, read_catalogue
from satupintu.catalog.models import (
    CatalogRevision,
    Category,
    LifeEvent,
    LifeEventVersion,
    Service,
    ServiceVersion,
)
from satupintu.catalog.selectors import known_references
from satupintu.core.errors import DomainError
from satupintu.core.services import audit_record
from satupintu.organisations import services as organisation_services
from satupintu.organisations.models import Unit


class DefinitionError(DomainError):
    """The definitions folder has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the definitions; nothing was loaded.",
            code="invalid_definitions",
            errors=[str(problem) for problem in problems],
        )
        self.problems = problems


@dataclass
class LoadReport:
    services_new: list[str] = field(default_factory=list)
    services_changed: list[str] = field(default_factory=list)
    services_unchanged: int = 0
    services_withdrawn: list[str] = field(default_factory=list)
    life_events_changed: list[str] = field(default_factory=list)
    life_events_unchanged: int = 0
    agencies: int = 0
    categories: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.services_new
            or self.services_changed
            or self.services_withdrawn
            or self.life_events_changed
        )

    def __str__(self) -> str:
        total = len(self.services_new) + len(self.services_changed) + self.services_unchanged
        versions = len(self.services_new) + len(self.services_changed)
        text = (
            f"Loaded {total} services ({versions} new versions, {self.services_unchanged} unchanged), "
            f"{len(self.life_events_changed) + self.life_events_unchanged} life events "
            f"({len(self.life_events_changed)} new versions), {self.agencies} agencies, {self.categories} categories."
        )
        if self.services_withdrawn:
            text += f" Withdrawn: {', '.join(self.services_withdrawn)}."
        return text


def catalog_validate(*, directory: str | Path) -> Catalogue:
    """Read and check a definitions folder without writing anything."""
    return read_catalogue(directory, **known_references())


@transaction.atomic
def catalog_load(*, directory: str | Path, actor=None) -> LoadReport:
    """Load the definitions folder at ``directory``.

    Validates everything first and raises ``DefinitionError`` (writing nothing) if any file
    has a problem. A service or life event whose content changed gets a new version; an
    unchanged one is left as it is; a service no longer in the folder is withdrawn.
    """
    catalogue = catalog_validate(directory=directory)
    if catalogue.problems:
        raise DefinitionError(sorted(catalogue.problems))
    report = LoadReport()
    if catalogue.organisations:
        report.agencies = organisation_services.organisations_sync(
            data=catalogue.organisations.data
        )
    if catalogue.categories:
        for position, item in enumerate(catalogue.categories.data["categories"]):
            Category.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name_id": item["name"]["id"],
                    "name_en": item["name"]["en"],
                    "position": position,
                },
            )
        report.categories = len(catalogue.categories.data["categories"])

    categories = {category.code: category for category in Category.objects.all()}
    units = {(unit.agency.code, unit.code): unit for unit in Unit.objects.select_related("agency")}
    loaded_codes = set()
    for document in catalogue.services:
        data = document.data
        loaded_codes.add(data["code"])
        unit = units[(data["agency"], data["unit"])]
        service, created = Service.objects.get_or_create(
            code=data["code"],
            defaults={
                "agency": unit.agency,
                "unit": unit,
                "name_id": data["name"]["id"],
                "name_en": data["name"]["en"],
                "summary_id": data["summary"]["id"],
                "summary_en": data["summary"]["en"],
            },
        )
        digest = content_hash(data)
        current = service.current_version
        if current is not None and current.content_hash == digest and service.is_active:
            report.services_unchanged += 1
            continue
        version = service.versions.filter(content_hash=digest).first()
        if version is None:
            last = (
                service.versions.order_by("-number").values_list("number", flat=True).first() or 0
            )
            version = ServiceVersion.objects.create(
                service=service,
                number=last + 1,
                definition=data,
                content_hash=digest,
                source_path=document.path,
            )
        (report.services_new if created else report.services_changed).append(data["code"])
        service.agency, service.unit = unit.agency, unit
        service.name_id, service.name_en = data["name"]["id"], data["name"]["en"]
        service.summary_id, service.summary_en = data["summary"]["id"], data["summary"]["en"]
        service.current_version = version
        service.is_active = True
        service.save()
        service.categories.set([categories[code] for code in data["categories"]])

    withdrawn = Service.objects.filter(is_active=True).exclude(code__in=loaded_codes)
    report.services_withdrawn = sorted(withdrawn.values_list("code", flat=True))
    withdrawn.update(is_active=False)

    services = {service.code: service for service in Service.objects.filter(code__in=loaded_codes)}
    for position, document in enumerate(sorted(catalogue.life_events, key=lambda d: d.path)):
        data = document.data
        event, _created = LifeEvent.objects.get_or_create(
            code=data["code"],
            defaults={
                "name_id": data["name"]["id"],
                "name_en": data["name"]["en"],
                "summary_id": data["summary"]["id"],
                "summary_en": data["summary"]["en"],
            },
        )
        digest = content_hash(data)
        if event.current_version is not None and event.current_version.content_hash == digest:
            report.life_events_unchanged += 1
            continue
        version = event.versions.filter(content_hash=digest).first()
        if version is None:
            last = event.versions.order_by("-number").values_list("number", flat=True).first() or 0
            version = LifeEventVersion.objects.create(
                life_event=event,
                number=last + 1,
                definition=data,
                content_hash=digest,
                source_path=document.path,
            )
        report.life_events_changed.append(data["code"])
        event.name_id, event.name_en = data["name"]["id"], data["name"]["en"]
        event.summary_id, event.summary_en = data["summary"]["id"], data["summary"]["en"]
        event.current_version = version
        event.position = position
        event.is_active = True
        event.save()
        event.services.set(
            [
                services[entry["service"]]
                for entry in data["services"]
                if entry["service"] in services
            ]
        )

    if report.changed or report.agencies:
        search.index_services(Service.objects.filter(is_active=True))
        revision, _ = CatalogRevision.objects.get_or_create(pk=1)
        CatalogRevision.objects.filter(pk=revision.pk).update(number=F("number") + 1)
    if report.changed:
        audit_record(
            actor=actor,
            action="catalog.load",
            object_type="catalog",
            object_id=str(directory)[-64:],
            details={
                "new": report.services_new,
                "changed": report.services_changed,
                "withdrawn": report.services_withdrawn,
                "life_events": report.life_events_changed,
            },
        )
    return report
