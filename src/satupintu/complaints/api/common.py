"""What the complaint operations share: who may call, the schemas of a complaint and
its messages, and keyset cursors."""

import base64
import binascii
import datetime
import uuid
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from satupintu.accounts.api_auth import SessionAuth
from satupintu.cases.api import ErrorOut, Ref
from satupintu.complaints import presenting, selectors
from satupintu.complaints.constants import (
    BODY_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    RejectionReason,
)
from satupintu.complaints.models import Complaint
from satupintu.core.errors import DomainError

CODE_HEADER = "X-Follow-Up-Code"


class SessionOrNobody(SessionAuth):
    """A signed-in person (whose unsafe calls must carry the CSRF token, like every session
    call), or nobody: filing and following a complaint need no account."""

    openapi_description = (
        "Optional: the session cookie of a person signed in (with the CSRF token in "
        "`X-CSRFToken` for POST). Without it, the call is made by nobody in particular."
    )

    def __call__(self, request):
        if not request.user.is_authenticated:
            return AnonymousUser()
        return super().__call__(request)


ANYONE = [SessionOrNobody()]


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys((404, *statuses), ErrorOut)


def invalid(path: str, message: str, code: str) -> DomainError:
    return DomainError(message, code=code, status=422, errors=[{"path": path, "message": message}])


# Schemas --------------------------------------------------------------------------------


class ComplaintIn(Schema):
    kind: Literal["complaint", "aspiration", "information", "whistleblowing"] = Field(
        description="`complaint` (pengaduan), `aspiration` (aspirasi), `information` "
        "(permintaan informasi) or `whistleblowing`."
    )
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    body: str = Field(min_length=1, max_length=BODY_MAX_LENGTH, description="What happened.")
    service: str = Field("", max_length=130, description="The code of the service it is about.")
    agency: str = Field("", max_length=64, description="The code of the agency it is about.")
    case: uuid.UUID | None = Field(
        None, description="One of your own cases it is about (signed in only)."
    )
    anonymous: bool = Field(
        False,
        description="Hide who you are from everyone who handles it: no name or phone is kept.",
    )
    confidential: bool = Field(False, description="Keep it off every public page.")
    name: str = Field("", max_length=NAME_MAX_LENGTH, description="Without an account only.")
    email: str = Field(
        "",
        max_length=254,
        description="Without an account only: where to tell you of news (never shown).",
    )
    phone: str = Field("", max_length=PHONE_MAX_LENGTH, description="Without an account only.")


class ComplaintMessageIn(Schema):
    body: str = Field(min_length=1, max_length=BODY_MAX_LENGTH)


class StaffMessageIn(ComplaintMessageIn):
    internal: bool = Field(False, description="A note for the coordinator, not the complainant.")


class ComplaintMessageOut(Schema):
    at: datetime.datetime
    sender: str = Field(description="`complainant`, `coordinator` or `agency`.")
    sender_label: str
    body: str
    is_follow_up: bool
    internal: bool = False


class ComplaintEventOut(Schema):
    at: datetime.datetime
    kind: str
    title: str
    by: str = Field(description="Who did it: for staff only, else empty.")


class RejectionOut(Schema):
    reason: str
    reason_label: str
    note: str


class DeadlineOut(Schema):
    kind: str = Field(description="`due`, `today`, `overdue`, `paused`, `closing` or `closed`.")
    text: str
    date: datetime.date | None


class ComplaintOut(Schema):
    tracking: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    title: str
    body: str
    anonymous: bool
    confidential: bool
    submitted_at: datetime.datetime
    agency: Ref | None
    service: Ref | None
    is_open: bool
    deadline: DeadlineOut
    rejection: RejectionOut | None
    follow_ups: list[ComplaintMessageOut]
    messages: list[ComplaintMessageOut]
    timeline: list[ComplaintEventOut]
    url: str


class FiledOut(ComplaintOut):
    follow_up_code: str | None = Field(
        description="Without an account: the code that, with the report number, opens the "
        "report. Shown only in this answer (and to a retry with the same Idempotency-Key): "
        "keep it."
    )


def ref(obj) -> dict | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def message_out(message, complaint: Complaint, *, for_staff: bool) -> dict:
    return {
        "at": message.created_at,
        "sender": message.sender,
        "sender_label": presenting.sender_label(message, complaint, for_staff=for_staff),
        "body": message.body,
        "is_follow_up": message.is_follow_up,
        "internal": message.internal,
    }


def complaint_out(request, complaint: Complaint, *, for_staff: bool) -> dict:
    messages = selectors.complaint_messages(complaint=complaint, include_internal=for_staff)
    deadline = presenting.deadline(complaint, for_staff=for_staff)
    return {
        "tracking": complaint.tracking,
        "kind": complaint.kind,
        "kind_label": complaint.get_kind_display(),
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "title": complaint.title,
        "body": complaint.body,
        "anonymous": complaint.is_anonymous,
        "confidential": complaint.is_confidential,
        "submitted_at": complaint.submitted_at,
        "agency": ref(complaint.agency),
        "service": ref(complaint.service),
        "is_open": complaint.is_open,
        "deadline": {"kind": deadline.kind, "text": deadline.text, "date": deadline.date},
        "rejection": {
            "reason": complaint.rejection_reason,
            "reason_label": RejectionReason(complaint.rejection_reason).label,
            "note": complaint.rejection_note,
        }
        if complaint.rejection_reason
        else None,
        "follow_ups": [
            message_out(message, complaint, for_staff=for_staff)
            for message in messages
            if message.is_follow_up
        ],
        "messages": [message_out(message, complaint, for_staff=for_staff) for message in messages],
        "timeline": [
            {
                "at": event.created_at,
                "kind": event.kind,
                "title": presenting.event_title(event, complaint, for_staff=for_staff),
                "by": presenting.actor_label(event, for_staff=for_staff),
            }
            for event in selectors.complaint_timeline(
                complaint=complaint, include_internal=for_staff
            )
        ],
        "url": request.build_absolute_uri(
            reverse(
                "api:agency_complaint" if for_staff else "api:complaint",
                kwargs={"tracking": complaint.tracking},
            )
        ),
    }


class ListQuery(Schema):
    limit: int = Field(25, ge=1, le=100)
    cursor: str = Field("", max_length=400, description="From the `next` link.")


def cursor_encode(key: str, last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{key}|{last_id}".encode()).decode().rstrip("=")


def cursor_decode(value: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        key, last_id = raw.split("|")
        return key, int(last_id)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise DomainError(
            _("The cursor is not valid; use the `next` link as given."), code="invalid_cursor"
        ) from exc


def next_url(request, cursor: str) -> str:
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
