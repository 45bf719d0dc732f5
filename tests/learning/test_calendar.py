"""The learner's calendar file (Learn: "an iCalendar file for the learner's calendar"): RFC 5545
text — CRLF line ends, lines folded at 75 octets without splitting a character, TEXT values
with backslash, semicolon, comma and line breaks escaped, times in UTC — one event per
session with a stable UID, the place and the session's address; a cancelled session says so.
The file is the booked learner's only."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.learning import calendar, services
from satupintu.learning.constants import Modality
from tests.learning.factories import (
    ClassSessionFactory,
    CourseFactory,
    OfficeFactory,
    make_learner,
    make_staff,
)

pytestmark = pytest.mark.django_db


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def unfold(text: str) -> list[str]:
    """The content lines of ``text`` (RFC 5545 3.1: a CRLF followed by one space joins)."""
    return text.replace("\r\n ", "")[:-2].split("\r\n")


def test_long_lines_fold_at_75_octets_and_unfold_to_the_same_text():
    line = "DESCRIPTION:" + "Pelayanan prima bagi aparatur sipil negara. " * 8
    folded = calendar.fold(line)
    lines = physical_lines(folded)
    assert len(lines) > 1
    assert all(len(part.encode()) <= 75 for part in lines)
    assert all(part.startswith(" ") for part in lines[1:])
    assert unfold(folded) == [line]


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "Kepemimpinan—perubahan ✓ ñ 😀 " * 10
    folded = calendar.fold(line)
    for part in physical_lines(folded):
        encoded = part.encode("utf-8")
        assert len(encoded) <= 75
        encoded.decode("utf-8")  # a split character would not decode
    assert unfold(folded) == [line]


def test_text_escaping():
    assert calendar.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_the_event_of_a_booking(settings):
    settings.SATUPINTU_PUBLIC_URL = "https://satupintu.jatimprov.go.id"
    course = CourseFactory(
        modality=Modality.CLASSROOM,
        title_id="Pelayanan Prima; Standar, Etika\\Praktik",
        summary_id="Baris satu.\nBaris dua, dengan koma.",
        jp=Decimal(8),
    )
    office = OfficeFactory(name_id="Kampus BPSDM Jatim", address="Jl. Kendangsari No. 39, Surabaya")
    starts = timezone.make_aware(datetime.datetime(2031, 3, 4, 8, 0))  # Asia/Jakarta, UTC+7
    session = ClassSessionFactory(
        course=course,
        office=office,
        room="Ruang 2",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
    )
    learner = make_learner()
    booking = services.booking_create(session=session, learner=learner, actor=learner)

    text = calendar.bookings_calendar([booking], name="Sesi saya")

    assert "\n" not in text.replace("\r\n", "")  # no bare line feed
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert f"UID:session-{session.public_id}@satupintu.jatimprov.go.id" in lines
    assert "DTSTART:20310304T010000Z" in lines and "DTEND:20310304T050000Z" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert "SUMMARY:Pelayanan Prima\\; Standar\\, Etika\\\\Praktik" in lines
    assert "LOCATION:Ruang 2\\, Kampus BPSDM Jatim\\, Jl. Kendangsari No. 39\\, Surabaya" in lines
    assert "DESCRIPTION:Baris satu.\\nBaris dua\\, dengan koma." in lines
    url = "https://satupintu.jatimprov.go.id" + reverse(
        "learning:session", args=[session.public_id]
    )
    assert f"URL:{url}" in lines
    assert "STATUS:CONFIRMED" in lines
    assert all(len(part.encode()) <= 75 for part in physical_lines(text))


def test_waiting_and_cancelled_sessions():
    course = CourseFactory(modality=Modality.CLASSROOM)
    session = ClassSessionFactory(course=course, capacity=1)
    first, second = make_learner(), make_learner()
    services.booking_create(session=session, learner=first, actor=first)
    waiting = services.booking_create(session=session, learner=second, actor=second)
    assert "STATUS:TENTATIVE" in unfold(calendar.bookings_calendar([waiting]))

    hr = make_staff(Role.HR, agency=course.provider)
    services.session_cancel(session=session, actor=hr, reason="Libur")
    waiting.refresh_from_db()
    lines = unfold(calendar.bookings_calendar([waiting]))
    assert "STATUS:CANCELLED" in lines and "SEQUENCE:1" in lines


def test_the_file_is_for_the_booked_learner_only(client):
    course = CourseFactory(modality=Modality.CLASSROOM)
    session = ClassSessionFactory(course=course)
    later = ClassSessionFactory(
        course=CourseFactory(modality=Modality.CLASSROOM),
        starts_at=session.starts_at + datetime.timedelta(days=2),
        ends_at=session.ends_at + datetime.timedelta(days=2),
    )
    learner, other = make_learner(), make_learner()
    services.booking_create(session=session, learner=learner, actor=learner)
    services.booking_create(session=later, learner=learner, actor=learner)
    url = reverse("learning:booking_ical", args=[session.public_id])

    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="sesi-{session.public_id}.ics"'
    assert response.content.decode().count("BEGIN:VEVENT") == 1

    feed = client.get(reverse("learning:my_calendar"))
    assert feed.status_code == 200 and feed["Content-Type"] == "text/calendar; charset=utf-8"
    body = feed.content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert str(session.public_id) in body and str(later.public_id) in body

    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("learning:my_calendar")).content.decode().count("BEGIN:VEVENT") == 0
    client.logout()
    assert client.get(url).status_code == 302
