"""Reads of the catalogue that pages, the API and other apps use."""

from django.db import DatabaseError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from satupintu.catalog import search
from satupintu.catalog.models import Category, LifeEvent, Service
from satupintu.core.errors import NotFound
from satupintu.organisations.models import Agency, Unit


def known_references() -> dict:
    """What the database already holds that a definitions folder may refer to. Empty when
    the database is not set up yet, so that ``catalog validate`` works on a bare checkout."""
    try:
        agencies: dict[str, set[str]] = {
            code: set() for code in Agency.objects.values_list("code", flat=True)
        }
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


def service_get(*, code: str, for_display: bool = True) -> Service:
    """One offered service with its current version, or ``NotFound``. ``for_display`` also
    reads what its page shows (categories, life events, the agency's offices); applying for
    it needs only the service, its agency, unit and current version."""
    services = Service.objects.filter(is_active=True, code=code).select_related(
        "agency", "unit", "current_version"
    )
    if for_display:
        services = services.prefetch_related("categories", "life_events", "agency__offices")
    service = services.first()
    if service is None or service.current_version is None:
        raise NotFound(_("There is no service with the code '%(code)s'.") % {"code": code[:130]})
    return service


def life_event_list() -> QuerySet[LifeEvent]:
    return (
        LifeEvent.objects.filter(is_active=True)
        .select_related("current_version")
        .order_by("position", "code")
    )


def life_event_get(*, code: str) -> LifeEvent:
    event = (
        LifeEvent.objects.filter(is_active=True, code=code)
        .select_related("current_version")
        .first()
    )
    if event is None or event.current_version is None:
        raise NotFound(_("There is no life event with the code '%(code)s'.") % {"code": code[:64]})
    return event


def life_event_services(*, event: LifeEvent) -> list[tuple[dict, Service | None]]:
    """The entries of a life event's definition, each with its service (None if withdrawn)."""
    entries = event.current_version.definition["services"]
    services = {
        service.code: service
        for service in Service.objects.filter(
            is_active=True, code__in=[e["service"] for e in entries]
        ).select_related("agency", "current_version")
    }
    return [(entry, services.get(entry["service"])) for entry in entries]


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("position", "code")


# Reads of the public pages ---------------------------------------------------------------


def life_event_cards() -> QuerySet[LifeEvent]:
    """Offered life events with their names and summaries only, for lists and menus."""
    return (
        LifeEvent.objects.filter(is_active=True)
        .only("code", "name_id", "name_en", "summary_id", "summary_en", "position")
        .order_by("position", "code")
    )


def category_cards() -> QuerySet[Category]:
    """Categories with the number of services on offer in each (``service_count``)."""
    from django.db.models import Count, Q

    return Category.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    ).order_by("position", "code")


def service_find(
    *,
    query: str = "",
    language: str = "id",
    agency: str = "",
    category: str = "",
    life_event: str = "",
    limit: int = 200,
) -> list[int]:
    """Ids of the offered services that match ``query`` and every filter given (codes of an
    agency, a category, a life event): best first when there is a query, else by name in
    ``language``. The catalogue holds hundreds of services, so the whole list of ids is
    small; pages slice it and fetch only their rows."""
    services = Service.objects.filter(is_active=True)
    if agency:
        services = services.filter(agency__code=agency)
    if category:
        services = services.filter(categories__code=category)
    if life_event:
        services = services.filter(life_events__code=life_event, life_events__is_active=True)
    if query:
        # Imported here: the search module may read selectors itself.
        from satupintu.catalog import search

        ranked = [
            service_id
            for service_id, _score in search.search(query, language=language, limit=limit)
        ]
        if not ranked:
            return []
        allowed = set(services.filter(id__in=ranked).values_list("id", flat=True))
        return [service_id for service_id in ranked if service_id in allowed]
    name = "name_en" if language == "en" else "name_id"
    return list(services.order_by(name, "id").values_list("id", flat=True))


def service_cards(*, ids: list[int]) -> list[Service]:
    """The services with ``ids``, in that order, with what a list shows."""
    by_id = {service.id: service for service in service_list().filter(id__in=ids)}
    return [by_id[service_id] for service_id in ids if service_id in by_id]


def service_offices(*, service: Service) -> list:
    """The service centres (MPP) that the service's definition names, in its order."""
    from satupintu.organisations.models import Office

    codes = service.current_version.definition.get("offices") or []
    if not codes:
        return []
    by_code = {office.code: office for office in Office.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def life_event_find(*, query: str, language: str = "id", limit: int = 2) -> list[int]:
    """Ids of the offered life events that match ``query``, best first (none without a
    query)."""
    if not query:
        return []
    return [
        event_id
        for event_id, _score in search.search_life_events(query, language=language, limit=limit)
    ]
