"""Agencies over the API: the list of those that offer services, a page at a time."""

import base64
import binascii
import json

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from satupintu.core.api_errors import error_responses
from satupintu.core.errors import DomainError
from satupintu.core.keyset import after_q
from satupintu.core.keyset import next_page_url as _next_url
from satupintu.organisations import selectors

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    website: str
    phone: str
    address: str
    service_count: int


class AgencyList(Schema):
    items: list[AgencyOut]
    next: str | None


class AgencyQuery(Schema):
    # The default is the maximum: a client written when this list had no pages keeps
    # receiving every agency in one answer for as long as there are fewer than 100.
    limit: int = Field(100, ge=1, le=100, description="How many agencies a page holds.")
    cursor: str = Field(
        "", max_length=400, description="From the `next` link of the previous page."
    )


def _cursor_encode(name: str, pk: int) -> str:
    # JSON, not a separator: an agency's name may hold any character.
    raw = json.dumps([name, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(value: str) -> tuple[str, int]:
    """The (name, id) of the last agency of the previous page, or 400 ``invalid_cursor``."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
        name, pk = json.loads(raw.decode())
        if not isinstance(name, str) or not isinstance(pk, int):
            raise ValueError(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise DomainError(
            _("The cursor is not valid; use the `next` link as given."), code="invalid_cursor"
        ) from exc
    return name, pk


@router.get(
    "/agencies",
    response={200: AgencyList, **error_responses(400, 422)},
    summary="List agencies",
)
def list_agencies(request, query: Query[AgencyQuery]):
    """Every agency that offers services, with the number of services it offers, by name.
    Follow `next` for the following page."""
    agencies = selectors.agency_list().order_by("name_id", "id")
    if query.cursor:
        name, pk = _cursor_decode(query.cursor)
        agencies = agencies.filter(after_q(["name_id", "id"], (name, pk)))
    page = list(agencies[: query.limit + 1])
    more, page = len(page) > query.limit, page[: query.limit]
    items = [
        AgencyOut(
            code=a.code,
            name=a.name,
            short_name=a.short_name,
            level=a.level,
            website=a.website,
            phone=a.phone,
            address=a.address,
            service_count=a.service_count,
        )
        for a in page
    ]
    return {
        "items": items,
        "next": _next_url(request, _cursor_encode(page[-1].name_id, page[-1].pk)) if more else None,
    }
