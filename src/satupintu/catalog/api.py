"""The catalogue over the API: services and life events.

Texts come in the language of the request (``Accept-Language``; Indonesian by default); the
detail operations also return the whole definition, with both languages.
"""

import base64
import binascii
from datetime import datetime
from typing import Any

from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from satupintu.catalog import search, selectors
from satupintu.catalog.models import LifeEvent, Service
from satupintu.core.api_errors import error_responses
from satupintu.core.errors import DomainError
from satupintu.core.keyset import after_q
from satupintu.core.keyset import next_page_url as _next_url
from satupintu.core.language import active_language, pick

router = Router(tags=["catalogue"])


class AgencyRef(Schema):
    code: str
    name: str


class ServiceItem(Schema):
    code: str
    name: str
    summary: str
    agency: AgencyRef
    categories: list[str]
    deadline_working_days: int
    fee: int
    url: str


class ServiceList(Schema):
    items: list[ServiceItem]
    next: str | None


class VersionOut(Schema):
    number: int
    loaded_at: datetime


class ServiceDetail(ServiceItem):
    unit: AgencyRef
    version: VersionOut
    life_events: list[str]
    definition: dict[str, Any]


class ServiceFilters(Schema):
    q: str = Field("", max_length=10_000, description="What the person needs, in their own words.")
    agency: str = Field("", max_length=64, description="An agency's code.")
    category: str = Field("", max_length=64, description="A category's code.")
    life_event: str = Field("", max_length=64, description="A life event's code.")
    limit: int = Field(20, ge=1, le=100)
    cursor: str = Field(
        "", max_length=400, description="From the `next` link of the previous page."
    )


def _cursor_encode(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


INVALID_CURSOR = "invalid_cursor"


def _invalid_cursor() -> DomainError:
    return DomainError(
        _("The cursor is not valid; use the `next` link as given."), code=INVALID_CURSOR
    )


def _cursor_decode(value: str) -> str:
    try:
        decoded = base64.b64decode(
            value + "=" * (-len(value) % 4), altchars=b"-_", validate=True
        ).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise _invalid_cursor() from exc
    if not decoded:
        raise _invalid_cursor()
    return decoded


def _offset_decode(value: str) -> int:
    try:
        offset = int(_cursor_decode(value))
    except ValueError as exc:
        raise _invalid_cursor() from exc
    if offset < 0:
        raise _invalid_cursor()
    return offset


def _item(service: Service) -> dict:
    """A service as a list shows it. The list annotates its deadline and fee; one service
    read whole has them in its definition."""
    deadline = getattr(service, "deadline_working_days", None)
    fee = getattr(service, "fee_amount", None)
    if deadline is None or fee is None:
        definition = service.current_version.definition
        deadline, fee = definition["deadline"]["working_days"], definition["fee"]["amount"]
    return {
        "code": service.code,
        "name": service.name,
        "summary": service.summary,
        "agency": {"code": service.agency.code, "name": service.agency.name},
        "categories": [category.code for category in service.categories.all()],
        "deadline_working_days": deadline,
        "fee": fee,
        "url": service.get_absolute_url(),
    }


@router.get(
    "/services", response={200: ServiceList, **error_responses(400, 422)}, summary="Find services"
)
def list_services(request, filters: Query[ServiceFilters]):
    """Services on offer, ranked by relevance when `q` is given, else ordered by code.
    Filters combine."""
    # The two figures a list shows, read out of the definitions by the database: a whole
    # definition per row would be parsed for two numbers.
    definition = "current_version__definition"
    services = selectors.service_list().annotate(
        deadline_working_days=KeyTransform("working_days", KeyTransform("deadline", definition)),
        fee_amount=KeyTransform("amount", KeyTransform("fee", definition)),
    )
    if filters.agency:
        services = services.filter(agency__code=filters.agency)
    if filters.category:
        services = services.filter(categories__code=filters.category)
    if filters.life_event:
        services = services.filter(
            life_events__code=filters.life_event, life_events__is_active=True
        )

    if filters.q.strip():
        ranked = [
            service_id
            for service_id, _score in search.search(filters.q, language=active_language())
        ]
        start = _offset_decode(filters.cursor) if filters.cursor else 0
        allowed = set(services.filter(id__in=ranked).values_list("id", flat=True))
        ranked = [service_id for service_id in ranked if service_id in allowed]
        page_ids = ranked[start : start + filters.limit]
        by_id = {service.id: service for service in services.filter(id__in=page_ids)}
        page = [by_id[service_id] for service_id in page_ids]
        more = start + filters.limit < len(ranked)
        next_cursor = _cursor_encode(str(start + filters.limit)) if more else None
    else:
        services = services.order_by("code")
        if filters.cursor:
            services = services.filter(code__gt=_cursor_decode(filters.cursor))
        page = list(services[: filters.limit + 1])
        more = len(page) > filters.limit
        page = page[: filters.limit]
        next_cursor = _cursor_encode(page[-1].code) if more else None
    return {
        "items": [_item(service) for service in page],
        "next": _next_url(request, next_cursor) if next_cursor else None,
    }


@router.get(
    "/services/{code}",
    response={200: ServiceDetail, **error_responses(404)},
    summary="One service and its Standar Pelayanan",
)
def get_service(request, code: str):
    """The current version of a service, with its whole definition in both languages."""
    service = selectors.service_get(code=code)
    version = service.current_version
    return {
        **_item(service),
        "unit": {"code": service.unit.code, "name": service.unit.name},
        "version": {"number": version.number, "loaded_at": version.created_at},
        "life_events": [event.code for event in service.life_events.all() if event.is_active],
        "definition": version.definition,
    }


class LifeEventService(Schema):
    service: str
    name: str
    agency: AgencyRef | None
    when: str | None
    after: dict[str, str] | None


class LifeEventItem(Schema):
    code: str
    name: str
    summary: str
    url: str


class LifeEventList(Schema):
    items: list[LifeEventItem]
    next: str | None


class LifeEventDetail(LifeEventItem):
    prepare: list[str]
    services: list[LifeEventService]
    version: VersionOut
    definition: dict[str, Any]


def _event_item(event: LifeEvent) -> dict:
    return {
        "code": event.code,
        "name": event.name,
        "summary": event.summary,
        "url": event.get_absolute_url(),
    }


class LifeEventFilters(Schema):
    limit: int = Field(100, ge=1, le=100)
    cursor: str = Field(
        "", max_length=400, description="From the `next` link of the previous page."
    )


@router.get(
    "/life-events",
    response={200: LifeEventList, **error_responses(400, 422)},
    summary="List life events",
)
def list_life_events(request, filters: Query[LifeEventFilters]):
    """Moments in life (a birth, a marriage, starting a business…) that bundle services, in
    the catalogue's order."""
    events = selectors.life_event_list()
    if filters.cursor:
        position, _separator, code = _cursor_decode(filters.cursor).partition(":")
        try:
            position = int(position)
        except ValueError as exc:
            raise _invalid_cursor() from exc
        events = events.filter(after_q(["position", "code"], (position, code)))
    page = list(events[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    next_cursor = _cursor_encode(f"{page[-1].position}:{page[-1].code}") if more else None
    return {
        "items": [_event_item(event) for event in page],
        "next": _next_url(request, next_cursor) if next_cursor else None,
    }


@router.get(
    "/life-events/{code}",
    response={200: LifeEventDetail, **error_responses(404)},
    summary="One life event and its services",
)
def get_life_event(request, code: str):
    event = selectors.life_event_get(code=code)
    definition = event.current_version.definition
    services = [
        {
            "service": entry["service"],
            "name": service.name if service else entry["service"],
            "agency": {"code": service.agency.code, "name": service.agency.name}
            if service
            else None,
            "when": entry.get("when"),
            "after": entry.get("after"),
        }
        for entry, service in selectors.life_event_services(event=event)
    ]
    return {
        **_event_item(event),
        "prepare": [pick(item) for item in definition.get("prepare", [])],
        "services": services,
        "version": {
            "number": event.current_version.number,
            "loaded_at": event.current_version.created_at,
        },
        "definition": definition,
    }
