"""iCalendar files (RFC 5545) of a learner's sessions, for their own calendar.

Written by hand, for the few properties a calendar needs: each line ends with CRLF and is
folded at 75 octets (a CRLF and one space, never inside a UTF-8 character); text values
escape backslash, semicolon, comma and line breaks; times are in UTC (``…Z``). An event's
UID comes from the session's public id, so a file downloaded again updates the same event;
a cancelled session or booking comes with ``STATUS:CANCELLED`` and a higher ``SEQUENCE``,
so that calendars remove it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.learning.constants import BookingStatus
from satupintu.learning.models import SessionBooking

CRLF = "\r\n"
LINE_OCTETS = 75
PRODUCT = "-//Satupintu//Learn//EN"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks
    as ``\\n``."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets (RFC 5545 3.1), each ending with
    CRLF; a continuation line starts with one space, which counts in its 75 octets."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts) + CRLF


def utc(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC: ``20260301T010000Z``."""
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class Event:
    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""
    cancelled: bool = False
    tentative: bool = False
    modified_at: datetime.datetime | None = None

    def lines(self, stamp: datetime.datetime) -> list[str]:
        status = "CANCELLED" if self.cancelled else "TENTATIVE" if self.tentative else "CONFIRMED"
        lines = [
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{utc(stamp)}",
            f"DTSTART:{utc(self.starts_at)}",
            f"DTEND:{utc(self.ends_at)}",
            f"SUMMARY:{escape_text(self.summary)}",
        ]
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.url:
            # A URI value: not escaped as text (RFC 5545 3.3.13).
            lines.append(f"URL:{self.url}")
        if self.modified_at is not None:
            lines.append(f"LAST-MODIFIED:{utc(self.modified_at)}")
        lines += [f"STATUS:{status}", f"SEQUENCE:{1 if self.cancelled else 0}", "END:VEVENT"]
        return lines


def calendar_text(events: Iterable[Event], *, name: str = "", now=None) -> str:
    """A VCALENDAR holding ``events``, as text with CRLF line ends."""
    stamp = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += event.lines(stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def _public_url(path: str) -> str:
    return f"{settings.SATUPINTU_PUBLIC_URL}{path}"


def _uid_domain() -> str:
    return urlsplit(settings.SATUPINTU_PUBLIC_URL).hostname or "satupintu"


def booking_event(booking: SessionBooking) -> Event:
    """The event of a learner's booking, in the active language."""
    session = booking.session
    course = session.course
    places = []
    if session.office_id:
        office = session.office
        places += [session.room, office.name, office.address]
    if session.online_url:
        places.append(session.online_url)
    description = [course.summary]
    if booking.status == BookingStatus.WAITLISTED:
        description.insert(0, _("You are on the waiting list of this session."))
    if session.online_url:
        description.append(_("Online meeting: %(url)s") % {"url": session.online_url})
    path = reverse("learning:session", args=[session.public_id])
    return Event(
        uid=f"session-{session.public_id}@{_uid_domain()}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=course.title,
        location=", ".join(place for place in places if place),
        url=_public_url(path),
        description="\n".join(line for line in description if line),
        cancelled=session.cancelled_at is not None or booking.status == BookingStatus.CANCELLED,
        tentative=booking.status == BookingStatus.WAITLISTED,
        modified_at=max(session.updated_at, booking.updated_at),
    )


def bookings_calendar(bookings: Iterable[SessionBooking], *, name: str = "", now=None) -> str:
    """The calendar of a learner's bookings."""
    return calendar_text([booking_event(booking) for booking in bookings], name=name, now=now)
