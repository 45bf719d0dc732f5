"""A signed-in employee's seats in class sessions over the API: book, cancel, list."""

import datetime
import uuid

from ninja import Query, Router, Schema, Status
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE
from satupintu.core.errors import NotFound
from satupintu.learning import services
from satupintu.learning.api.common import (
    CourseRef,
    ListQuery,
    VenueRef,
    agency_ref,
    course_ref,
    cursor_checked,
    errors,
    invalid_input,
    learner_of,
    link,
    page_out,
)
from satupintu.learning.constants import BookingStatus
from satupintu.learning.selectors import mine
from satupintu.learning.selectors import sessions as session_selectors

router = Router(tags=["learning: my learning"], auth=PEOPLE)


# Sessions -----------------------------------------------------------------------------------


class BookingSession(Schema):
    id: uuid.UUID
    course: CourseRef
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: VenueRef | None
    room: str
    online_url: str = Field(description="The link of a virtual class.")
    cancelled: bool


class BookingOut(Schema):
    id: uuid.UUID
    session: BookingSession
    status: str = Field(description="confirmed, waitlisted or cancelled.")
    status_label: str
    promoted_at: datetime.datetime | None = Field(description="Moved off the waiting list.")
    attended_at: datetime.datetime | None
    calendar_url: str | None = Field(description="The session as an iCalendar file.")


def booking_out(request, booking) -> dict:
    session = booking.session
    return {
        "id": booking.public_id,
        "session": {
            "id": session.public_id,
            "course": course_ref(session.course),
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "venue": agency_ref(session.office) if session.office_id else None,
            "room": session.room,
            "online_url": session.online_url if booking.status != BookingStatus.CANCELLED else "",
            "cancelled": session.cancelled_at is not None,
        },
        "status": booking.status,
        "status_label": booking.get_status_display(),
        "promoted_at": booking.promoted_at,
        "attended_at": booking.attended_at,
        "calendar_url": link(request, "learning:booking_ical", session.public_id),
    }


class BookingList(Schema):
    items: list[BookingOut]
    next: str | None


class BookingQuery(ListQuery):
    past: bool = Field(False, description="Sessions that have ended, latest first.")


@router.get(
    "/me/bookings",
    response={200: BookingList, **errors(400, 403, 422)},
    summary="Your seats in class sessions",
)
def booking_list(request, query: Query[BookingQuery]):
    """Your seats and waiting-list places: in sessions to come (soonest first), or with
    `past` in those that have ended."""
    learner = learner_of(request)
    page = mine.booking_page_for_learner(
        learner=learner,
        past=query.past,
        cursor=cursor_checked(query.cursor),
        limit=query.limit,
    )
    return page_out(request, page, lambda booking: booking_out(request, booking))


class BookingIn(Schema):
    session: uuid.UUID = Field(description="The id of the session.")


@router.post(
    "/me/bookings",
    response={201: BookingOut, 200: BookingOut, **errors(400, 403, 409, 413, 422)},
    summary="Book a seat in a session",
)
def booking_create(request, payload: BookingIn):
    """Take a seat in a session, or a place on its waiting list when it is full (you move
    up by yourself when a seat frees). You are enrolled in its course when needed. Booking a
    session you already hold a place in answers that booking (200)."""
    learner = learner_of(request)
    try:
        session = session_selectors.session_get_for_learner(public_id=payload.session)
    except NotFound as exc:
        raise invalid_input("session", str(exc.detail), "session_not_found") from exc
    held = session_selectors.booking_for_learner(learner=learner, session=session)
    services.booking_create(session=session, learner=learner, actor=learner)
    booking = session_selectors.booking_get_for_learner(
        learner=learner, session_public_id=session.public_id
    )
    return Status(200 if held else 201, booking_out(request, booking))


@router.post(
    "/me/bookings/{session}/cancel",
    response={200: BookingOut, **errors(403, 409, 422)},
    summary="Give up your seat in a session",
)
def booking_cancel(request, session: uuid.UUID):
    """Cancel your seat or waiting-list place in the session (by the session's id) before it
    starts; a freed seat goes to the first on the waiting list at once."""
    learner = learner_of(request)
    booking = session_selectors.booking_get_for_learner(learner=learner, session_public_id=session)
    services.booking_cancel(booking=booking, actor=learner)
    booking = session_selectors.booking_get_for_learner(learner=learner, session_public_id=session)
    return booking_out(request, booking)
