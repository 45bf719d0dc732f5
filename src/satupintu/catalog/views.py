"""Public pages of the catalogue: home, the catalogue with search and filters, the service
standard of each service, life events and agencies.

Views are thin: they read through the selectors, pick the active language and hand plain
values to the templates. A ``DomainError`` from a selector becomes the error page of its
status (an unknown code is a 404 page in the site's layout).
"""

import re
from collections import deque
from collections.abc import Callable
from functools import wraps
from math import ceil
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from satupintu.catalog import selectors
from satupintu.core.errors import DomainError
from satupintu.core.language import active_language, pick
from satupintu.core.pages import error_page
from satupintu.organisations import selectors as organisation_selectors
from satupintu.organisations.models import Agency

# What the catalogue searches for and echoes back; longer queries are cut here.
QUERY_MAX_LENGTH = 256
CODE_MAX_LENGTH = 130
FILTERS = ("agency", "category", "life_event")
# The home page lists this many agencies and links to all of them.
HOME_AGENCIES = 12
# Control characters (NUL among them, which PostgreSQL refuses in text) never reach a query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(raw: str) -> str:
    """What a person typed, with whitespace collapsed and control characters removed, cut to
    ``QUERY_MAX_LENGTH`` characters."""
    text = _CONTROL.sub(" ", raw[: QUERY_MAX_LENGTH * 4])
    return " ".join(text.split())[:QUERY_MAX_LENGTH]


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a ``DomainError`` raised while building the page into its error page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return error_page(request, error)

    return wrapped


def home(request: HttpRequest) -> HttpResponse:
    """Three ways to find a service: by what you need (search), by life event, by agency or
    category."""
    return render(
        request,
        "catalog/home.html",
        {
            "life_events": list(selectors.life_event_cards()),
            "categories": [c for c in selectors.category_cards() if c.service_count],
            # A preview: the agencies with the most services, and a link to all of them.
            "agencies": list(
                organisation_selectors.agency_list().order_by("-service_count", "name_id")[
                    :HOME_AGENCIES
                ]
            ),
            "agency_count": Agency.objects.filter(is_active=True).count(),
            "nav": "home",
        },
    )


def _page_number(raw: str | None, pages: int) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), max(pages, 1))


def service_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: search, filters that combine, pages of 20."""
    language = active_language()
    query = clean_query(request.GET.get("q", ""))
    agencies = list(organisation_selectors.agency_list())
    categories = list(selectors.category_list())
    life_events = list(selectors.life_event_cards())
    known = {
        "agency": {agency.code for agency in agencies},
        "category": {category.code for category in categories},
        "life_event": {event.code for event in life_events},
    }
    # An unknown code (an old link, a typo) is ignored rather than refused.
    chosen = {}
    for name in FILTERS:
        value = request.GET.get(name, "")[:CODE_MAX_LENGTH]
        chosen[name] = value if value in known[name] else ""

    ids = selectors.service_find(query=query, language=language, **chosen)
    # A query that names a moment in life ("bayi lahir") also offers that life event.
    events_by_id = {event.id: event for event in life_events}
    matching_events = (
        [
            events_by_id[event_id]
            for event_id in selectors.life_event_find(query=query, language=language)
            if event_id in events_by_id
        ]
        if not chosen["life_event"]
        else []
    )
    size = settings.SATUPINTU_PAGE_SIZE
    pages = ceil(len(ids) / size)
    number = _page_number(request.GET.get("page"), pages)
    services = selectors.service_cards(ids=ids[(number - 1) * size : number * size])

    params = {key: value for key, value in {"q": query, **chosen}.items() if value}

    def page_url(page: int) -> str:
        return "?" + urlencode({**params, "page": page} if page > 1 else params)

    return render(
        request,
        "catalog/service_list.html",
        {
            "query": query,
            "chosen": chosen,
            "has_filters": any(chosen.values()),
            "agencies": agencies,
            "categories": categories,
            "life_event_choices": life_events,
            "matching_events": matching_events if number == 1 else [],
            "services": services,
            "count": len(ids),
            "page": number,
            "pages": pages,
            "first_index": (number - 1) * size + 1,
            "previous_url": page_url(number - 1) if number > 1 else "",
            "next_url": page_url(number + 1) if number < pages else "",
            "without_filters_url": "?" + urlencode({"q": query}) if query else "",
            "nav": "services",
        },
    )


def _workflow_stages(workflow: dict) -> list[dict]:
    """The states of a workflow in the order a case meets them (breadth-first from the
    start), each with its label and what it means for the applicant."""
    states = workflow.get("states") or {}
    following: dict[str, list[str]] = {}
    for transition in workflow.get("transitions") or []:
        following.setdefault(transition["from"], []).append(transition["to"])
    order: list[str] = []
    queue = deque([workflow.get("start")])
    while queue:
        code = queue.popleft()
        if code in order or code not in states:
            continue
        order.append(code)
        queue.extend(following.get(code, []))
    order += [code for code in states if code not in order]
    # Ends after the stages in between, the one with the result first, so the list reads
    # from start to finish.
    order.sort(key=lambda code: (bool(states[code].get("final")), not states[code].get("outcome")))
    return [
        {
            "code": code,
            "label": pick(states[code].get("label")),
            "description": pick(states[code].get("description")),
            "final": bool(states[code].get("final")),
            "outcome": bool(states[code].get("outcome")),
            "pauses_clock": bool(states[code].get("pauses_clock")),
            "start": code == workflow.get("start"),
        }
        for code in order
    ]


@domain_errors
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The service standard (Standar Pelayanan) of one service, all 14 components."""
    service = selectors.service_get(code=code[:CODE_MAX_LENGTH])
    version = service.current_version
    definition = version.definition
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "version": version,
            "definition": definition,
            "form_fields": definition.get("form") or [],
            "stages": _workflow_stages(definition.get("workflow") or {}),
            "offices": selectors.service_offices(service=service),
            "life_events": [event for event in service.life_events.all() if event.is_active],
            "categories": list(service.categories.all()),
            "nav": "services",
        },
    )


@domain_errors
def life_event_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A life event: what to prepare, the services it bundles, and the questions it asks."""
    event = selectors.life_event_get(code=code[:CODE_MAX_LENGTH])
    definition = event.current_version.definition
    entries = selectors.life_event_services(event=event)
    names = {entry["service"]: service for entry, service in entries if service is not None}
    bundle = []
    for entry, service in entries:
        after = entry.get("after")
        after_service = names.get(after["service"]) if after else None
        after_state = ""
        if after_service is not None:
            state = after_service.current_version.definition["workflow"]["states"].get(
                after["state"], {}
            )
            after_state = pick(state.get("label")) or after["state"]
        bundle.append(
            {
                "entry": entry,
                "service": service,
                "definition": service.current_version.definition if service else {},
                "after": after,
                "after_service": after_service,
                "after_state": after_state,
            }
        )
    return render(
        request,
        "catalog/life_event_detail.html",
        {
            "event": event,
            "version": event.current_version,
            "definition": definition,
            "questions": definition.get("questions") or [],
            "bundle": bundle,
            "nav": "life_events",
        },
    )


def _paged(request: HttpRequest, rows) -> dict:
    """A page of ``rows`` (a queryset) by the ``page`` parameter, and the links around it.
    Agencies and one agency's services are small sets: a count and an offset cost little."""
    size = settings.SATUPINTU_PAGE_SIZE
    count = rows.count()
    pages = ceil(count / size)
    number = _page_number(request.GET.get("page"), pages)

    def page_url(page: int) -> str:
        return "?" + urlencode({"page": page}) if page > 1 else "?"

    return {
        "rows": list(rows[(number - 1) * size : number * size]),
        "count": count,
        "page": number,
        "pages": pages,
        "previous_url": page_url(number - 1) if number > 1 else "",
        "next_url": page_url(number + 1) if number < pages else "",
    }


def agency_list(request: HttpRequest) -> HttpResponse:
    """Every agency with the number of services it offers, a page at a time."""
    paged = _paged(request, organisation_selectors.agency_list().order_by("name_id", "id"))
    return render(
        request,
        "catalog/agency_list.html",
        {**paged, "agencies": paged["rows"], "nav": "agencies"},
    )


@domain_errors
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One agency: contact details, units, the service centres where it has counters and its
    services."""
    agency = organisation_selectors.agency_get(code=code[:CODE_MAX_LENGTH])
    paged = _paged(request, selectors.service_list().filter(agency=agency))
    return render(
        request,
        "catalog/agency_detail.html",
        {
            "agency": agency,
            "units": list(agency.units.all()),
            "offices": list(agency.offices.all()),
            **paged,
            "services": paged["rows"],
            "nav": "agencies",
        },
    )
