"""Class sessions: scheduling, seats and the waiting list, and attendance.

Rules:
- A session belongs to a classroom or virtual-classroom course. HR of the course's provider
  schedule it (HR of the whole government any), in the future, with at least one seat; a
  classroom session takes place at an office (and a room), a virtual one at an online link.
  Its trainer holds the trainer role for the provider's agency or for every agency.
- A learner books a seat with an enrolment in progress in the course: one is made for them
  when they have none and the course needs no approval; a course that needs the unit head's
  approval is booked once the enrolment is approved.
- Seats are counted under a lock on the session's row, so two learners never take the last
  seat: once the seats are taken a booking joins the waiting list, in the order of arrival.
  A learner holds one booking per session (a database constraint) and one booking in a
  session to come per course.
- Cancelling a seat before the session starts gives it to the first learner on the waiting
  list at once, in the same transaction, who is told in their inbox. A booking cannot be
  cancelled once its session has started.
- Attendance is taken by the QR code shown in the room (from 30 minutes before the start to
  the end) or by the trainer's list. It completes the learner's enrolment in the course,
  which credits the session's JP (else the course's) to their ledger, once a year per course.
"""

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.services import audit_record
from satupintu.learning.constants import (
    SESSION_MODALITIES,
    BookingStatus,
    CheckInMethod,
    EnrolmentSource,
    EnrolmentStatus,
    JpSource,
    Modality,
)
from satupintu.learning.models import ClassSession, Course, Enrolment, SessionBooking
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.services.ledger import course_key, jp_credit
from satupintu.learning.services.notices import learner_notify

# The QR check-in opens this long before the session starts.
CHECK_IN_OPENS = datetime.timedelta(minutes=30)
JP_MIN = Decimal("0.5")
JP_MAX = Decimal(200)
CAPACITY_MAX = 10_000
REASON_MAX_LENGTH = 300


def invalid(field: str, message: str, *, code: str = "invalid") -> DomainError:
    """A refusal of one input, placed next to ``field`` on a form."""
    return DomainError(message, code=code, status=422, errors=[{"path": field, "message": message}])


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def _name(user) -> str:
    return user.get_full_name() or user.username


def _check_jp(jp) -> Decimal | None:
    if jp is None or jp == "":
        return None
    try:
        value = Decimal(str(jp))
    except (InvalidOperation, ValueError):
        raise invalid("jp", _("Enter the lesson hours as a number, such as 4 or 2.5.")) from None
    if not value.is_finite() or value < JP_MIN or value > JP_MAX:
        raise invalid(
            "jp",
            _("The lesson hours of a session are between %(min)s and %(max)s JP.")
            % {"min": JP_MIN, "max": JP_MAX},
        )
    return value.quantize(Decimal("0.1"))


# Scheduling ---------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    actor,
    trainer=None,
    office=None,
    room: str = "",
    online_url: str = "",
    jp: Decimal | None = None,
) -> ClassSession:
    """Schedule a session of a classroom or virtual-classroom ``course``.

    Refused unless ``actor`` manages the course as HR; the times are in the future with the
    end after the start; ``capacity`` is at least 1; ``trainer`` (optional) holds the trainer
    role for the course's provider or every agency; a classroom session has an ``office``, a
    virtual one an ``online_url``. The session gets a fresh check-in code for its QR code.
    """
    access = learning_access(actor)
    if not access.manages_course(course):
        raise Forbidden(
            _("Only HR of the agency that provides this course may schedule its sessions."),
            code="not_allowed",
        )
    if course.modality not in SESSION_MODALITIES:
        raise invalid(
            "course",
            _(
                "Sessions are for classroom and virtual-classroom courses. Change the course's "
                "modality first, or choose another course."
            ),
            code="not_a_session_course",
        )
    now = timezone.now()
    if starts_at is None or starts_at <= now:
        raise invalid("starts_at", _("Choose a start in the future."))
    if ends_at is None or ends_at <= starts_at:
        raise invalid("ends_at", _("Choose an end after the start."))
    if ends_at - starts_at > datetime.timedelta(days=14):
        raise invalid(
            "ends_at",
            _("A session lasts at most 14 days. Schedule a longer course as several sessions."),
        )
    if capacity is None or int(capacity) < 1 or int(capacity) > CAPACITY_MAX:
        raise invalid(
            "capacity",
            _("Give the session between 1 and %(max)s seats.") % {"max": CAPACITY_MAX},
        )
    if trainer is not None and not learning_access(trainer).teaches(course):
        raise invalid(
            "trainer",
            _(
                "%(name)s is not a trainer for this course's agency. Choose a trainer (widyaiswara) "
                "of the agency, or ask an administrator to give them the trainer role."
            )
            % {"name": _name(trainer)},
            code="not_a_trainer",
        )
    room = (room or "").strip()[:120]
    online_url = (online_url or "").strip()[:200]
    if course.modality == Modality.CLASSROOM and office is None:
        raise invalid("office", _("Choose the office where the class meets."))
    if course.modality == Modality.VIRTUAL and not online_url:
        raise invalid("online_url", _("Give the link of the online meeting."))
    if online_url and not online_url.startswith("https://"):
        raise invalid("online_url", _("Give the full https:// address of the online meeting."))
    session = ClassSession.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=int(capacity),
        trainer=trainer,
        office=office,
        room=room,
        online_url=online_url,
        jp=_check_jp(jp),
        checkin_token=secrets.token_urlsafe(24),
    )
    audit_record(
        actor=actor,
        action="learning.session_created",
        target=session,
        details={
            "course": course.code,
            "starts_at": starts_at.isoformat(),
            "capacity": session.capacity,
            "trainer": str(trainer.pk) if trainer is not None else None,
        },
    )
    return session


def _lock(session: ClassSession) -> ClassSession:
    """The session's row, locked: every change to its seats queues behind this lock."""
    return (
        ClassSession.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=session.pk)
    )


@transaction.atomic
def session_cancel(*, session: ClassSession, actor, reason: str) -> ClassSession:
    """Cancel a session that has not started, with every booking of it; each learner booked
    or waiting is told why. Cancelling a cancelled session changes nothing."""
    session = _lock(session)
    if not learning_access(actor).manages_course(session.course):
        raise Forbidden(
            _("Only HR of the agency that provides this course may cancel its sessions."),
            code="not_allowed",
        )
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    if not reason:
        raise invalid(
            "reason", _("Say why the session is cancelled: the learners booked on it read it.")
        )
    if session.cancelled_at is not None:
        return session
    now = timezone.now()
    if session.starts_at <= now:
        raise Conflict(
            _("This session has started and can no longer be cancelled."), code="started"
        )
    session.cancelled_at = now
    session.save(update_fields=["cancelled_at", "updated_at"])
    bookings = list(
        SessionBooking.objects.filter(session=session)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("learner")
    )
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.session_cancelled",
        target=session,
        details={"reason": reason, "bookings": len(bookings)},
    )
    course = session.course
    for booking in bookings:

        def render(course=course, session=session) -> tuple[str, str]:
            title = _("Session cancelled: %(course)s") % {"course": course.title}
            body = _(
                "The session of %(course)s on %(when)s is cancelled. Reason: %(reason)s. Choose "
                "another date on the course page."
            ) % {"course": course.title, "when": _when(session.starts_at), "reason": reason}
            return title, body

        learner_notify(
            recipient=booking.learner,
            kind="session_cancelled",
            key=str(session.public_id),
            render=render,
            url_name="learning:course",
            url_args=(course.code,),
        )
    return session


# Booking ------------------------------------------------------------------------------------


def _enrolment_for_booking(*, course: Course, learner, actor) -> Enrolment:
    """The learner's enrolment in progress in ``course``, made now when they have none and
    the course needs no approval."""
    from satupintu.learning.services.enrolment import enrolment_create  # import cycle

    enrolment = (
        Enrolment.objects.filter(
            learner=learner,
            course=course,
            status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.REQUESTED],
        )
        .order_by("-created_at")
        .first()
    )
    if enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE:
        return enrolment
    if enrolment is not None:
        raise Conflict(
            _(
                "Your enrolment in this course is awaiting your unit head's approval. Book a "
                "session once it is approved; you will find the news in your inbox."
            ),
            code="awaiting_approval",
        )
    self_booking = actor is not None and actor.pk == learner.pk
    if course.requires_approval and self_booking:
        raise Conflict(
            _(
                "This course needs your unit head's approval. Enrol on the course page first; "
                "once your unit head approves, come back to book a session."
            ),
            code="approval_required",
        )
    if self_booking:
        source = EnrolmentSource.SELF
    elif learning_access(actor).covers_hr(getattr(learner, "employee", None)):
        source = EnrolmentSource.HR
    else:
        source = EnrolmentSource.SUPERVISOR
    enrolment = enrolment_create(learner=learner, course=course, actor=actor, source=source)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise Conflict(
            _("This course needs your unit head's approval. Book a session once it is approved."),
            code="approval_required",
        )
    return enrolment


@transaction.atomic
def booking_create(*, session: ClassSession, learner, actor) -> SessionBooking:
    """Book ``learner`` a seat in ``session``, or a place on its waiting list when the seats
    are taken; enrols them in the course first when needed (see the module's rules).

    ``actor`` is the learner, or HR or the unit head who covers them. Booking a session the
    learner already holds a place in answers that booking.
    """
    employee = getattr(learner, "employee", None) if learning_access(learner).is_learner else None
    if employee is None:
        raise Forbidden(
            _("Sessions are for employees. Sign in with your employee account to book one."),
            code="not_an_employee",
        )
    if actor is None or (actor.pk != learner.pk and not learning_access(actor).covers(employee)):
        raise Forbidden(
            _("You may book sessions only for yourself or for employees you manage."),
            code="not_allowed",
        )
    session = _lock(session)
    course = session.course
    now = timezone.now()
    if session.cancelled_at is not None:
        raise Conflict(
            _("This session is cancelled. Choose another date on the course page."),
            code="session_cancelled",
        )
    if session.starts_at <= now:
        raise Conflict(
            _("This session has already started. Choose a later date on the course page."),
            code="started",
        )
    held = (
        SessionBooking.objects.filter(session=session, learner=learner)
        .exclude(status=BookingStatus.CANCELLED)
        .first()
    )
    if held is not None:
        return held
    # Bookings of one course queue behind the course's row, so that the same learner booking
    # two of its sessions at once still ends with one booking.
    Course.objects.select_for_update().filter(pk=course.pk).first()
    other = (
        SessionBooking.objects.filter(
            learner=learner,
            session__course=course,
            session__starts_at__gt=now,
            session__cancelled_at__isnull=True,
        )
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("session")
        .first()
    )
    if other is not None:
        raise Conflict(
            _(
                "You already have a place in the session of %(when)s of this course. Cancel "
                "that booking first to choose another date."
            )
            % {"when": _when(other.session.starts_at)},
            code="already_booked",
        )
    enrolment = _enrolment_for_booking(course=course, learner=learner, actor=actor)
    taken = SessionBooking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count()
    status = BookingStatus.CONFIRMED if taken < session.capacity else BookingStatus.WAITLISTED
    try:
        with transaction.atomic():
            booking = SessionBooking.objects.create(
                session=session, learner=learner, enrolment=enrolment, status=status
            )
    except IntegrityError:
        # The same learner booked the same session in another request a moment ago.
        return (
            SessionBooking.objects.filter(session=session, learner=learner)
            .exclude(status=BookingStatus.CANCELLED)
            .get()
        )
    audit_record(
        actor=actor,
        action="learning.session_booked",
        target=booking,
        subject=learner,
        details={"session": str(session.public_id), "course": course.code, "status": status},
    )
    return booking


def _promote(*, session: ClassSession, actor) -> list[SessionBooking]:
    """Give the free seats of ``session`` (locked by the caller) to the waiting list, first
    come first served; each promoted learner is told."""
    taken = SessionBooking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count()
    free = session.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        SessionBooking.objects.filter(session=session, status=BookingStatus.WAITLISTED)
        .select_related("learner")
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    course = session.course
    for booking in promoted:
        booking.status = BookingStatus.CONFIRMED
        booking.promoted_at = now
        booking.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_record(
            actor=actor,
            action="learning.booking_promoted",
            target=booking,
            subject=booking.learner,
            details={"session": str(session.public_id)},
        )

        def render(course=course, session=session) -> tuple[str, str]:
            title = _("You have a seat: %(course)s") % {"course": course.title}
            body = _(
                "A seat freed up in the session of %(course)s on %(when)s and it is now yours. "
                "If you cannot come, cancel your booking so that the next person gets it."
            ) % {"course": course.title, "when": _when(session.starts_at)}
            return title, body

        learner_notify(
            recipient=booking.learner,
            kind="booking_promoted",
            key=str(booking.public_id),
            render=render,
            url_name="learning:session",
            url_args=(session.public_id,),
        )
    return promoted


@transaction.atomic
def booking_cancel(*, booking: SessionBooking, actor) -> SessionBooking:
    """Cancel a seat or a waiting-list place before the session starts. A freed seat goes
    at once to the first learner on the waiting list. Cancelling again changes nothing.

    ``actor`` is the learner, HR or the unit head who covers them, or HR of the course."""
    session = _lock(booking.session)
    booking = (
        SessionBooking.objects.select_for_update().select_related("learner").get(pk=booking.pk)
    )
    access = learning_access(actor)
    if actor is None or (
        actor.pk != booking.learner_id
        and not access.covers(getattr(booking.learner, "employee", None))
        and not access.manages_course(session.course)
    ):
        raise NotFound(_("There is no such booking among yours."))
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if booking.attended_at is not None or session.starts_at <= timezone.now():
        raise Conflict(
            _(
                "This session has started, so the booking can no longer be cancelled. If you "
                "could not attend, tell the trainer."
            ),
            code="started",
        )
    held_seat = booking.status == BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.booking_cancelled",
        target=booking,
        subject=booking.learner,
        details={"session": str(session.public_id), "held_seat": held_seat},
    )
    if held_seat and session.cancelled_at is None:
        _promote(session=session, actor=actor)
    return booking


# Attendance ---------------------------------------------------------------------------------


def _attend(*, booking: SessionBooking, session: ClassSession, method: str, actor) -> None:
    """Record that the learner of ``booking`` attended, and complete their enrolment (which
    credits the JP)."""
    from satupintu.learning.services.enrolment import enrolment_complete  # import cycle

    now = timezone.now()
    booking.attended_at = now
    booking.check_in_method = method
    booking.marked_by = actor
    booking.save(update_fields=["attended_at", "check_in_method", "marked_by", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.attendance_recorded",
        target=booking,
        subject=booking.learner,
        details={"session": str(session.public_id), "method": method},
    )
    course = session.course
    enrolment = booking.enrolment
    if enrolment is None or enrolment.status not in (
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.COMPLETED,
    ):
        enrolment = (
            Enrolment.objects.filter(
                learner_id=booking.learner_id, course=course, status=EnrolmentStatus.ACTIVE
            )
            .order_by("-created_at")
            .first()
        )
    moment = min(now, session.ends_at)
    if enrolment is not None:
        enrolment_complete(
            enrolment=enrolment,
            actor=actor,
            completed_at=moment,
            source=JpSource.SESSION,
            session=session,
        )
        return
    # Booked without an enrolment in progress (it was cancelled or ended): attendance still
    # counts towards the year's JP, once per course.
    jp_credit(
        learner=booking.learner,
        jp=session.jp if session.jp is not None else course.jp,
        source=JpSource.SESSION,
        key=course_key(course),
        occurred_on=timezone.localdate(moment),
        description=course.title_id,
        course=course,
        session=session,
        actor=actor,
    )


@transaction.atomic
def attendance_check_in(*, token: str, learner) -> SessionBooking:
    """Check ``learner`` in by the code of the session's QR code: from 30 minutes before the
    start to the end, with a seat in the session. Checking in twice answers the booking."""
    token = (token or "").strip()[:64]
    found = ClassSession.objects.filter(checkin_token=token).first() if token else None
    if found is None:
        raise NotFound(
            _(
                "This check-in code is not valid. Scan the QR code shown in the room again, or "
                "ask the trainer to mark you present on their list."
            ),
            code="unknown_check_in_code",
        )
    session = _lock(found)
    if session.cancelled_at is not None:
        raise Conflict(_("This session is cancelled."), code="session_cancelled")
    now = timezone.now()
    if now < session.starts_at - CHECK_IN_OPENS:
        raise Conflict(
            _("Check-in opens at %(time)s, 30 minutes before the session starts.")
            % {"time": _when(session.starts_at - CHECK_IN_OPENS)},
            code="too_early",
        )
    if now > session.ends_at:
        raise Conflict(
            _("This session has ended. Ask the trainer to mark you present on their list."),
            code="ended",
        )
    booking = (
        SessionBooking.objects.select_for_update()
        .filter(session=session, learner_id=getattr(learner, "pk", None))
        .exclude(status=BookingStatus.CANCELLED)
        .first()
    )
    if booking is None:
        raise Conflict(
            _(
                "You have no seat in this session, so you cannot check in. Ask the trainer "
                "whether there is room for you."
            ),
            code="no_seat",
        )
    if booking.status == BookingStatus.WAITLISTED:
        raise Conflict(
            _(
                "You are on the waiting list of this session and have no seat yet. Ask the "
                "trainer whether there is room for you."
            ),
            code="waitlisted",
        )
    if booking.attended_at is None:
        _attend(booking=booking, session=session, method=CheckInMethod.QR, actor=learner)
    return booking


@transaction.atomic
def attendance_mark(
    *, session: ClassSession, learners_present: list, actor
) -> list[SessionBooking]:
    """Mark the learners in ``learners_present`` (users) present, from the trainer's list.
    ``actor`` is the session's trainer or HR of the course. Every one of them must hold a
    seat; those already marked stay as they are. Answers the bookings of those present."""
    session = _lock(session)
    if actor is None or (
        session.trainer_id != actor.pk and not learning_access(actor).manages_course(session.course)
    ):
        raise NotFound(_("There is no such session among those you teach or manage."))
    if session.cancelled_at is not None:
        raise Conflict(_("This session is cancelled."), code="session_cancelled")
    if timezone.now() < session.starts_at - CHECK_IN_OPENS:
        raise Conflict(
            _("Attendance can be taken from 30 minutes before the session starts."),
            code="too_early",
        )
    wanted = {learner.pk for learner in learners_present}
    bookings = list(
        SessionBooking.objects.select_for_update(of=("self",))
        .filter(session=session, status=BookingStatus.CONFIRMED, learner_id__in=wanted)
        .select_related("learner", "enrolment")
        .order_by("created_at", "id")
    )
    missing = wanted - {booking.learner_id for booking in bookings}
    if missing:
        raise invalid(
            "present",
            _(
                "Only learners with a seat in this session can be marked present. Reload the "
                "page: the list may have changed."
            ),
            code="no_seat",
        )
    for booking in bookings:
        if booking.attended_at is None:
            _attend(booking=booking, session=session, method=CheckInMethod.LIST, actor=actor)
    return bookings
