"""The complainant's operations: file a report, read it, write about it, close it, list one's
own."""

import datetime

from django.utils.translation import gettext as _
from ninja import Header, Query, Schema, Status

from satupintu.accounts.api_auth import PEOPLE
from satupintu.cases import selectors as case_selectors
from satupintu.cases.api import Ref
from satupintu.catalog import selectors as catalog_selectors
from satupintu.complaints import selectors, services
from satupintu.complaints.api import router
from satupintu.complaints.api.common import (
    ANYONE,
    CODE_HEADER,
    ComplaintIn,
    ComplaintMessageIn,
    ComplaintMessageOut,
    ComplaintOut,
    FiledOut,
    ListQuery,
    complaint_out,
    cursor_decode,
    cursor_encode,
    error_responses,
    invalid,
    message_out,
    next_url,
    ref,
)
from satupintu.complaints.constants import Sender
from satupintu.complaints.models import Complaint
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.keyset import after_q
from satupintu.core.ratelimits import rate_limited
from satupintu.organisations import selectors as organisation_selectors

# Filing and following -------------------------------------------------------------------


def _subject(user, payload: ComplaintIn):
    service = agency = case = None
    if payload.service:
        try:
            service = catalog_selectors.service_get(code=payload.service)
        except NotFound as exc:
            raise invalid("service", exc.detail, "unknown_service") from exc
    elif payload.agency:
        try:
            agency = organisation_selectors.agency_get(code=payload.agency)
        except NotFound as exc:
            raise invalid("agency", exc.detail, "unknown_agency") from exc
    if payload.case is not None:
        if not user.is_authenticated:
            raise invalid("case", _("Sign in to complain about one of your cases."), "sign_in")
        try:
            case = case_selectors.case_get_for_applicant(user=user, public_id=payload.case)
        except NotFound as exc:
            raise invalid("case", exc.detail, "unknown_case") from exc
    return service, agency, case


@router.post(
    "/complaints",
    auth=ANYONE,
    response={201: FiledOut, 200: FiledOut, **error_responses(400, 403, 413, 422, 429)},
    summary="File a complaint, an aspiration, an information request or a whistle-blowing report",
    url_name="complaint_create",
)
@rate_limited("complaint", api=True)
def complaint_create(
    request,
    payload: ComplaintIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="A string you choose for this report (at most 128 characters; at least "
        "16 without an account — use a UUID). The same key again returns the first report "
        "(200) instead of making a second.",
    ),
):
    """File a report about a service, an agency or one of your cases; a coordinator routes it
    to the agency responsible within 3 working days.

    Without an account, the answer's `follow_up_code` and the report number are the only
    way to read the report: keep both. With `anonymous`, nobody who handles it learns who
    you are. Send an `Idempotency-Key` to retry safely: the same key returns the report it
    made the first time, with the same follow-up code, whatever the body of the retry says.
    """
    user = request.auth
    service, agency, case = _subject(user, payload)
    filed = services.complaint_file(
        actor=user,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        service=service,
        agency=agency,
        case=case,
        anonymous=payload.anonymous,
        confidential=payload.confidential,
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        idempotency_key=idempotency_key or "",
    )
    body = {
        **complaint_out(request, filed.complaint, for_staff=False),
        "follow_up_code": filed.code,
    }
    return Status(200 if filed.replayed else 201, body)


def _for_complainant(request, tracking: str, code: str | None) -> Complaint:
    """The report as its complainant may see it: by its follow-up code, or the caller's own.
    Anything else is "not found", the same whichever was wrong."""
    if code:
        complaint = selectors.complaint_by_code(tracking=tracking, code=code)
        if complaint is not None:
            return complaint
    user = request.auth
    if user.is_authenticated:
        return selectors.complaint_get_for_complainant(user=user, tracking=tracking)
    raise NotFound(_("There is no such complaint among yours."))


@router.get(
    "/complaints/{tracking}",
    auth=ANYONE,
    response={200: ComplaintOut, **error_responses()},
    summary="Your report, by its report number",
    url_name="complaint",
)
def complaint_get(
    request,
    tracking: str,
    follow_up_code: str | None = Header(
        None, alias=CODE_HEADER, description="Without an account: the report's follow-up code."
    ),
):
    """Your report: its status, what it waits for and until when, the agency's follow-up,
    the messages and the timeline. Without an account, give the follow-up code."""
    complaint = _for_complainant(request, tracking, follow_up_code)
    return complaint_out(request, complaint, for_staff=False)


@router.post(
    "/complaints/{tracking}/messages",
    auth=ANYONE,
    response={201: ComplaintMessageOut, **error_responses(400, 403, 409, 413, 422)},
    summary="Write about your report",
    url_name="complaint_message",
)
def complaint_message(
    request,
    tracking: str,
    payload: ComplaintMessageIn,
    follow_up_code: str | None = Header(None, alias=CODE_HEADER),
):
    """Answer the coordinator's question (the clock restarts) or the agency's follow-up (the
    report stays open for another 10 working days), or add something."""
    complaint = _for_complainant(request, tracking, follow_up_code)
    message = services.complaint_message_post(
        complaint=complaint, actor=request.auth, body=payload.body, sender=Sender.COMPLAINANT
    )
    return Status(201, message_out(message, complaint, for_staff=False))


@router.post(
    "/complaints/{tracking}/close",
    auth=ANYONE,
    response={200: ComplaintOut, **error_responses(403, 409)},
    summary="Close your report: you are satisfied with the follow-up",
    url_name="complaint_close",
)
def complaint_close(
    request,
    tracking: str,
    follow_up_code: str | None = Header(None, alias=CODE_HEADER),
):
    """Close your report now, satisfied with the agency's follow-up, instead of waiting for
    it to close 10 working days after the last answer. Only a followed-up report can be
    closed this way (409 otherwise); nobody can write about it afterwards."""
    complaint = _for_complainant(request, tracking, follow_up_code)
    complaint = services.complaint_close_by_complainant(complaint=complaint, actor=request.auth)
    return complaint_out(request, complaint, for_staff=False)


class MyComplaintItem(Schema):
    tracking: str
    kind: str
    status: str
    status_label: str
    title: str
    submitted_at: datetime.datetime
    agency: Ref | None


class MyComplaintList(Schema):
    items: list[MyComplaintItem]
    next: str | None


@router.get(
    "/my/complaints",
    auth=PEOPLE,
    response={200: MyComplaintList, **error_responses(400, 401, 422)},
    summary="Your reports",
)
def my_complaints(request, query: Query[ListQuery]):
    """The reports you filed signed in, newest first."""
    complaints = selectors.complaint_list_for_complainant(user=request.auth)
    if query.cursor:
        key, last_id = cursor_decode(query.cursor)
        try:
            submitted_at = datetime.datetime.fromisoformat(key)
        except ValueError as exc:
            raise DomainError(_("The cursor is not valid."), code="invalid_cursor") from exc
        complaints = complaints.filter(
            after_q(["submitted_at", "id"], (submitted_at, last_id), descending=True)
        )
    page = list(complaints[: query.limit + 1])
    more, page = len(page) > query.limit, page[: query.limit]
    return {
        "items": [
            {
                "tracking": complaint.tracking,
                "kind": complaint.kind,
                "status": complaint.status,
                "status_label": complaint.get_status_display(),
                "title": complaint.title,
                "submitted_at": complaint.submitted_at,
                "agency": ref(complaint.agency),
            }
            for complaint in page
        ],
        "next": next_url(request, cursor_encode(page[-1].submitted_at.isoformat(), page[-1].pk))
        if more
        else None,
    }
