"""A learner's own lists a page at a time, for the API: their enrolments, their seats and
waiting-list places, and their claims.

Each selector reads only the learner's rows and pages by keyset, so a learner with years of
history costs what a newcomer costs. A cursor that cannot be read gives the first page.
"""

import datetime

from django.utils import timezone

from satupintu.learning.constants import BookingStatus, EnrolmentStatus
from satupintu.learning.models import Certificate, Enrolment, LearningClaim, SessionBooking
from satupintu.learning.selectors.keyset import (
    PAGE_SIZE,
    Page,
    after_q,
    aware_datetime,
    cursor_decode,
    paginate,
)


def enrolment_page_for_learner(
    *,
    learner,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page[Enrolment]:
    """The learner's enrolments (of one ``status``, when given), newest first, with their
    course, its provider and their certificate. One query a page."""
    enrolments = Enrolment.objects.filter(learner_id=learner.pk)
    if status in EnrolmentStatus.values:
        enrolments = enrolments.filter(status=status)
    key = cursor_decode(cursor, aware_datetime, int)
    if key is not None:
        enrolments = enrolments.filter(after_q(["created_at", "id"], key, descending=True))
    rows = list(
        enrolments.select_related("course__provider", "certificate").order_by("-created_at", "-id")[
            : limit + 1
        ]
    )
    if not rows:
        return Page()
    return paginate(rows, limit, lambda enrolment: (enrolment.created_at, enrolment.pk))


def booking_page_for_learner(
    *,
    learner,
    past: bool = False,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime.datetime | None = None,
) -> Page[SessionBooking]:
    """The learner's seats and waiting-list places (not cancelled ones): in sessions that
    have not ended, soonest first, or with ``past`` in those that have, latest first. One
    query a page."""
    now = now or timezone.now()
    bookings = SessionBooking.objects.filter(learner_id=learner.pk).exclude(
        status=BookingStatus.CANCELLED
    )
    if past:
        bookings = bookings.filter(session__ends_at__lt=now)
        order = ["-session__starts_at", "-id"]
    else:
        bookings = bookings.filter(session__ends_at__gte=now)
        order = ["session__starts_at", "id"]
    key = cursor_decode(cursor, aware_datetime, int)
    if key is not None:
        bookings = bookings.filter(after_q(["session__starts_at", "id"], key, descending=past))
    rows = list(
        bookings.select_related(
            "session__course__provider", "session__office", "session__trainer"
        ).order_by(*order)[: limit + 1]
    )
    if not rows:
        return Page()
    return paginate(rows, limit, lambda booking: (booking.session.starts_at, booking.pk))


def claim_page_for_learner(
    *, learner, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[LearningClaim]:
    """The learner's claims, newest first. One query a page."""
    claims = LearningClaim.objects.filter(learner_id=learner.pk)
    key = cursor_decode(cursor, aware_datetime, int)
    if key is not None:
        claims = claims.filter(after_q(["created_at", "id"], key, descending=True))
    rows = list(claims.order_by("-created_at", "-id")[: limit + 1])
    if not rows:
        return Page()
    return paginate(rows, limit, lambda claim: (claim.created_at, claim.pk))


def certificate_of(enrolment: Enrolment) -> Certificate | None:
    """The enrolment's certificate, if it has one (read with the enrolment)."""
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None
