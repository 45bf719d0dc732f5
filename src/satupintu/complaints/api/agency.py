"""The agency's operations: its queue, one report, its follow-up and messages."""

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE_AND_SYSTEMS
from satupintu.cases.api import Ref
from satupintu.complaints import presenting, selectors, services
from satupintu.complaints.api import router
from satupintu.complaints.api.common import (
    ComplaintMessageIn,
    ComplaintMessageOut,
    ComplaintOut,
    DeadlineOut,
    ListQuery,
    StaffMessageIn,
    complaint_out,
    cursor_decode,
    cursor_encode,
    error_responses,
    message_out,
    next_url,
    ref,
)
from satupintu.complaints.constants import Sender
from satupintu.complaints.models import Complaint
from satupintu.core.errors import DomainError, Forbidden

# The agency -----------------------------------------------------------------------------


class AgencyQueueQuery(ListQuery):
    status: Literal["", "routed", "followed_up", "closed"] = Field(
        "", description="`routed`: waiting for the follow-up; `followed_up`: waiting to close."
    )
    kind: Literal["", "complaint", "aspiration", "information", "whistleblowing"] = ""
    due: Literal["", "overdue", "soon"] = ""
    closed: bool = Field(False, description="Closed reports instead of open ones.")


class AgencyComplaintItem(Schema):
    tracking: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    title: str
    submitted_at: datetime.datetime
    routed_at: datetime.datetime | None
    unit: Ref | None
    deadline: DeadlineOut


class AgencyComplaintList(Schema):
    items: list[AgencyComplaintItem]
    next: str | None


class IdentityOut(Schema):
    name: str
    email: str
    phone: str
    has_account: bool


class AgencyComplaintOut(ComplaintOut):
    complainant: IdentityOut | None = Field(
        description="Who filed it; null when it is anonymous (or they left nothing)."
    )
    can_be_reached: bool = Field(
        description="Whether messages reach the complainant beyond the report's page."
    )
    case_tracking: str | None = Field(
        description="The application it is about; never for an anonymous report."
    )
    unit: Ref | None


def _agency_staff(user) -> None:
    if not selectors.complaint_scope(user).is_agency_staff:
        raise Forbidden(
            _("Only an agency's staff and systems have complaints to answer."), code="staff_only"
        )


@router.get(
    "/agency/complaints",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: AgencyComplaintList, **error_responses(400, 401, 403, 422)},
    summary="The reports routed to your agency",
)
def agency_complaints(request, query: Query[AgencyQueueQuery]):
    """The reports routed to your agency (your unit's, and those routed to no unit), the
    earliest deadline first: overdue ones on top. No personal data: `GET
    /agency/complaints/{tracking}` gives it when the report is not anonymous, and records
    that it was read."""
    user = request.auth
    _agency_staff(user)
    after = None
    if query.cursor:
        key, last_id = cursor_decode(query.cursor)
        try:
            after = (datetime.date.fromisoformat(key), last_id)
        except ValueError as exc:
            raise DomainError(_("The cursor is not valid."), code="invalid_cursor") from exc
    page = selectors.complaint_queue(
        user=user,
        as_coordinator=False,
        filters=selectors.QueueFilters(
            status=query.status, kind=query.kind, due=query.due, closed=query.closed
        ),
        after=after,
        limit=query.limit + 1,
    )
    more, page = len(page) > query.limit, page[: query.limit]
    items = []
    deadlines = presenting.Deadlines(page, for_staff=True)
    for complaint in page:
        deadline = deadlines.of(complaint)
        items.append(
            {
                "tracking": complaint.tracking,
                "kind": complaint.kind,
                "kind_label": complaint.get_kind_display(),
                "status": complaint.status,
                "status_label": complaint.get_status_display(),
                "title": complaint.title,
                "submitted_at": complaint.submitted_at,
                "routed_at": complaint.routed_at,
                "unit": ref(complaint.unit),
                "deadline": {"kind": deadline.kind, "text": deadline.text, "date": deadline.date},
            }
        )
    return {
        "items": items,
        "next": next_url(request, cursor_encode(page[-1].due_date.isoformat(), page[-1].pk))
        if more
        else None,
    }


def _agency_out(request, complaint: Complaint) -> dict:
    identity = services.complainant_identity_view(
        complaint=complaint, actor=request.auth, via="api"
    )
    return {
        **complaint_out(request, complaint, for_staff=True),
        "complainant": {
            "name": identity.name,
            "email": identity.email,
            "phone": identity.phone,
            "has_account": identity.has_account,
        }
        if identity.shown
        else None,
        "can_be_reached": identity.has_contact,
        "case_tracking": complaint.case.submission.tracking
        if complaint.case_id and not complaint.is_anonymous
        else None,
        "unit": ref(complaint.unit),
    }


@router.get(
    "/agency/complaints/{tracking}",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: AgencyComplaintOut, **error_responses(401, 403)},
    summary="One report routed to your agency",
    url_name="agency_complaint",
)
def agency_complaint(request, tracking: str):
    """The report with its messages (internal notes included) and, unless it is anonymous,
    who filed it; reading them is recorded in the audit trail."""
    _agency_staff(request.auth)
    complaint = selectors.complaint_get_for_agency(user=request.auth, tracking=tracking)
    return _agency_out(request, complaint)


@router.post(
    "/agency/complaints/{tracking}/follow-up",
    auth=PEOPLE_AND_SYSTEMS,
    response={201: AgencyComplaintOut, **error_responses(400, 401, 403, 409, 413, 422)},
    summary="Post your agency's follow-up",
)
def agency_follow_up(request, tracking: str, payload: ComplaintMessageIn):
    """What the agency found and did. The report then closes after 10 of the agency's
    working days unless the complainant or the agency writes again."""
    _agency_staff(request.auth)
    complaint = selectors.complaint_get_for_agency(user=request.auth, tracking=tracking)
    services.complaint_follow_up(complaint=complaint, actor=request.auth, body=payload.body)
    complaint = selectors.complaint_get_for_agency(user=request.auth, tracking=tracking)
    return Status(201, _agency_out(request, complaint))


@router.post(
    "/agency/complaints/{tracking}/messages",
    auth=PEOPLE_AND_SYSTEMS,
    response={201: ComplaintMessageOut, **error_responses(400, 401, 403, 409, 413, 422)},
    summary="Write to the complainant, or a note for the coordinator",
)
def agency_message(request, tracking: str, payload: StaffMessageIn):
    """A message to the complainant (after the follow-up it keeps the report open for
    another 10 working days), or with `internal` a note for the coordinator."""
    _agency_staff(request.auth)
    complaint = selectors.complaint_get_for_agency(user=request.auth, tracking=tracking)
    message = services.complaint_message_post(
        complaint=complaint,
        actor=request.auth,
        body=payload.body,
        sender=Sender.AGENCY,
        internal=payload.internal,
    )
    return Status(201, message_out(message, complaint, for_staff=True))
