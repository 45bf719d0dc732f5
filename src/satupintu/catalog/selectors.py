"""Reads of the catalogue that pages, the API and other apps use."""

from django.db import DatabaseError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from satupintu.catalog.models import Category, LifeEvent, Service
from satupintu.core.errors import NotFound
from satupintu.organisations.models import Agency, Unit


def known_references() -> dict:
    """What the database already holds that a definitions folder may refer to. Empty when
    the database is not set up yet, so that ``catalog validate`` works on a bare checkout."""
    try:
        agencies: dict[str, set[str]] = {code: set() for code in Agency.objects.values_list("code", flat=True)}
        for agency_code, unit_code in Unit.objects.values_list("agency__code", "code"):
            agencies.setdefault(agency_code, set()).add(unit_code)
        categories = set(Category.objects.values_list("code", flat=True))
        services = {
            service.code: set(service.current_version.definition["workflow"]["states"])
            for service in Service.objects.filter(is_active=True).select_related("current_version")
            if service.current_version
        }
    except DatabaseError:
        return {}
    return {"known_agencies": agencies, "known_categories": categories, "known_services": services}


def service_list() -> QuerySet[Service]:
    """Services offered now, with what a list shows."""
    return (
        Service.objects.filter(is_active=True)
        .select_related("agency")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position")))
        .order_by("name_id", "id")
    )


def service_get(*, code: str) -> Service:
    """One offered service with its current version, or ``NotFound``."""
    service = (
        Service.objects.filter(is_active=True, code=code)
        .select_related("agency", "unit", "current_version")
        .prefetch_related("categories", "life_events", "agency__offices")
        .first()
    )
    if service is None or service.current_version is None:
        raise NotFound(_("There is no service with the code '%(code)s'.") % {"code": code[:130]})
    return service


def life_event_list() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(is_active=True).select_related("current_version").order_by("position", "code")


def life_event_get(*, code: str) -> LifeEvent:
    event = LifeEvent.objects.filter(is_active=True, code=code).select_related("current_version").first()
    if event is None or event.current_version is None:
        raise NotFound(_("There is no life event with the code '%(code)s'.") % {"code": code[:64]})
    return event


def life_event_services(*, event: LifeEvent) -> list[tuple[dict, Service | None]]:
    """The entries of a life event's definition, each with its service (None if withdrawn)."""
    entries = event.current_version.definition["services"]
    services = {
        service.code: service
        for service in Service.objects.filter(is_active=True, code__in=[e["service"] for e in entries])
        .select_related("agency", "current_version")
    }
    return [(entry, services.get(entry["service"])) for entry in entries]


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("position", "code")
