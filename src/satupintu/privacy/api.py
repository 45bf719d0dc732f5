"""``/api/v1/me/data-requests``: the signed-in person's requests to correct or delete their
data (UU PDP), filed and followed as on the "My data" pages."""

import datetime
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE
from satupintu.cases.api import ErrorOut
from satupintu.core.errors import DomainError
from satupintu.core.keyset import next_page_url
from satupintu.privacy import presenting, selectors, services
from satupintu.privacy.constants import CorrectableField, DeletionScope
from satupintu.privacy.models import DataRequest
from satupintu.privacy.services.requests import REASON_MAX_LENGTH, VALUE_MAX_LENGTH
from satupintu.privacy.views.paging import cursor_decode, cursor_encode

router = Router(tags=["my data"])


def _errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys((401, *statuses), ErrorOut)


class DataRequestIn(Schema):
    kind: Literal["correction", "deletion"] = Field(
        description="`correction`: data that is wrong; `deletion`: data to delete."
    )
    field: str = Field(
        "",
        max_length=16,
        description="For a correction, which data is wrong: "
        + ", ".join(f"`{value}`" for value in CorrectableField.values)
        + ".",
    )
    proposed_value: str = Field(
        "", max_length=VALUE_MAX_LENGTH, description="For a correction: what it should be."
    )
    scope: str = Field(
        "",
        max_length=16,
        description="For a deletion, what to delete: `all` (everything, and close the account) "
        "or one kind of record: "
        + ", ".join(f"`{value}`" for value in DeletionScope.values if value != "all")
        + ".",
    )
    reason: str = Field("", max_length=REASON_MAX_LENGTH, description="Optional.")


class OutcomeRow(Schema):
    kind: str = Field(description="The kind of record (or `identity`, or the corrected data).")
    label: str
    what: str = Field(description="`erase` (gone now), `keep` (kept by law) or `corrected`.")
    count: int = 0
    until: datetime.date | None = Field(None, description="When kept records are released.")
    running: int = Field(0, description="Kept records still running: released after they end.")
    legal_basis: str = ""


class DataRequestOut(Schema):
    reference: str
    kind: str
    kind_label: str
    status: str = Field(description="`open`, `done` or `refused`.")
    status_label: str
    field: str
    proposed_value: str
    scope: str
    subject: str = Field(description="What the request is about, in words.")
    reason: str
    received_at: datetime.datetime
    due_at: datetime.datetime = Field(description="Answered by then: 3×24 hours after receipt.")
    overdue: bool
    answered_at: datetime.datetime | None
    answer: str = Field(description="The officer's note, or the reason for a refusal.")
    outcome: list[OutcomeRow]
    url: str


class DataRequestList(Schema):
    items: list[DataRequestOut]
    next: str | None


class ListQuery(Schema):
    limit: int = Field(20, ge=1, le=100)
    cursor: str = Field("", max_length=80, description="From the `next` link.")


def _out(request, item: DataRequest) -> dict:
    return {
        "reference": item.tracking,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "status": item.status,
        "status_label": item.get_status_display(),
        "field": item.field,
        "proposed_value": item.proposed_value,
        "scope": item.scope,
        "subject": item.subject_text,
        "reason": item.reason,
        "received_at": item.received_at,
        "due_at": item.due_at,
        "overdue": item.is_open and item.due_at < timezone.now(),
        "answered_at": item.answered_at,
        "answer": item.answer,
        "outcome": [
            {**row, "kind": row.get("kind") or item.field, "count": row.get("count", 1)}
            for row in presenting.outcome_rows(item)
        ],
        "url": request.build_absolute_uri(reverse("api:my_data_request", args=[item.tracking])),
    }


@router.get(
    "/me/data-requests",
    auth=PEOPLE,
    response={200: DataRequestList, **_errors(400, 422)},
    summary="Your requests about your data",
)
def my_data_requests(request, query: Query[ListQuery]):
    """Your requests to correct or delete your data, newest first, each with its status,
    when it is due and the answer."""
    after = None
    if query.cursor:
        after = cursor_decode(query.cursor)
        if after is None:
            raise DomainError(
                _("The cursor is not valid; use the `next` link as given."), code="invalid_cursor"
            )
    page = selectors.data_request_page_for_requester(
        user=request.auth, after=after, limit=query.limit + 1
    )
    more, page = len(page) > query.limit, page[: query.limit]
    return {
        "items": [_out(request, item) for item in page],
        "next": next_page_url(request, cursor_encode(page[-1].received_at, page[-1].pk))
        if more
        else None,
    }


@router.post(
    "/me/data-requests",
    auth=PEOPLE,
    response={201: DataRequestOut, **_errors(400, 403, 409, 413, 422)},
    summary="Ask for your data to be corrected or deleted",
    url_name="my_data_request_create",
)
def my_data_request_create(request, payload: DataRequestIn):
    """File a request; it is answered within 3×24 hours. A deletion deletes or anonymises
    what no law requires to keep; the answer lists what is kept, why and until when. The
    same deletion asked again while it is open answers 409."""
    filed = services.data_request_file(
        requester=request.auth,
        kind=payload.kind,
        field=payload.field,
        proposed_value=payload.proposed_value,
        scope=payload.scope,
        reason=payload.reason,
    )
    return Status(201, _out(request, filed))


@router.get(
    "/me/data-requests/{reference}",
    auth=PEOPLE,
    response={200: DataRequestOut, **_errors(404)},
    summary="One of your requests about your data",
    url_name="my_data_request",
)
def my_data_request(request, reference: str):
    """The request, its deadline and the answer."""
    item = selectors.data_request_get_for_requester(user=request.auth, tracking=reference)
    return _out(request, item)
