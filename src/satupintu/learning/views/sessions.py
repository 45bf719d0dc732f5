"""The pages of class sessions and of claims.

Learners: a session's page (book a seat or join the waiting list, cancel, add it to a
calendar), the calendar file of all their sessions, the QR check-in, and claims for learning
done elsewhere. Trainers: their sessions, and each session's participants with their
progress, the waiting list, the attendance list and the check-in QR code (HR of the course
see the same session page).

Anonymous visitors are sent to sign in; a person without the role of a page gets 403; a
session, booking or claim outside the person's scope is "not found". Every action is a POST
form that works without JavaScript, and a refusal says why and what to do.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.pages import error_page, errors_to_form, pages_for
from satupintu.core.services import audit_record
from satupintu.core.uploads import file_headers, file_response, stored_type
from satupintu.learning import calendar, services
from satupintu.learning.constants import BookingStatus
from satupintu.learning.forms import ClaimForm
from satupintu.learning.selectors import manage as manage_selectors
from satupintu.learning.selectors import sessions as session_selectors
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.services.claims import CERTIFICATE_TYPES
from satupintu.learning.services.sessions import CHECK_IN_OPENS

NAV = "learning"
QR_SIZE = 240
# What a service refuses about a claim's certificate: shown next to the file input.
FILE_ERRORS = {"invalid_file", "file_too_large", "empty_file", "file_type_not_allowed"}


# Access ------------------------------------------------------------------------------------


learners_only = pages_for(
    lambda user: learning_access(user).is_learner,
    gettext_lazy(
        "Learning is for civil servants. If you work for an agency, ask its HR to link your "
        "account to your employee record."
    ),
)
trainers_only = pages_for(
    lambda user: learning_access(user).trainer,
    gettext_lazy("These pages are for trainers (widyaiswara)."),
)
trainers_and_hr = pages_for(
    lambda user: learning_access(user).trainer or learning_access(user).is_hr,
    gettext_lazy("These pages are for trainers (widyaiswara) and human resources."),
)


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def seat_counts(session) -> dict:
    taken = getattr(session, "seats_taken", 0)
    return {
        "taken": taken,
        "free": max(session.capacity - taken, 0),
        "waiting": getattr(session, "waiting", 0),
        "full": taken >= session.capacity,
    }


# A session, booking and cancelling -----------------------------------------------------------


@login_required
@require_safe
def session_page(request: HttpRequest, public_id) -> HttpResponse:
    """A session of a published course: when and where, seats, and the learner's place."""
    try:
        session = session_selectors.session_get_for_learner(public_id=public_id)
    except DomainError as error:
        return error_page(request, error)
    booking = session_selectors.booking_for_learner(learner=request.user, session=session)
    now = timezone.now()
    position = None
    if booking is not None and booking.status == BookingStatus.WAITLISTED:
        position = session.bookings.filter(
            status=BookingStatus.WAITLISTED, created_at__lte=booking.created_at
        ).count()
    return render(
        request,
        "learning/sessions/session.html",
        {
            "session": session,
            "course": session.course,
            "booking": booking,
            "position": position,
            "seats": seat_counts(session),
            "is_employee": learning_access(request.user).is_learner,
            "open": session.cancelled_at is None and session.starts_at > now,
            "trainer_name": _person(session.trainer),
            "note": session.localised("note"),
            "nav": NAV,
        },
    )


@learners_only
@require_POST
def booking_create(request: HttpRequest, public_id) -> HttpResponse:
    """Book a seat, or a place on the waiting list, for oneself."""
    session = session_selectors.session_get_for_learner(public_id=public_id)
    try:
        booking = services.booking_create(session=session, learner=request.user, actor=request.user)
    except DomainError as error:
        if error.status == 403:
            return error_page(request, error)
        messages.error(request, error.detail)
    else:
        if booking.status == BookingStatus.CONFIRMED:
            messages.success(request, _("Your seat is booked. Add the session to your calendar."))
        else:
            messages.info(
                request,
                _(
                    "The session is full: you are on its waiting list. If a seat frees up it is "
                    "yours automatically, and you are told in your inbox."
                ),
            )
    return redirect("learning:session", public_id=session.public_id)


@learners_only
@require_POST
def booking_cancel(request: HttpRequest, public_id) -> HttpResponse:
    """Cancel one's own seat or waiting-list place."""
    booking = session_selectors.booking_get_for_learner(
        learner=request.user, session_public_id=public_id
    )
    try:
        services.booking_cancel(booking=booking, actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect("learning:session", public_id=public_id)


def _ics(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    return file_headers(response, filename=filename)


@learners_only
@require_safe
def booking_ical(request: HttpRequest, public_id) -> HttpResponse:
    """The learner's session as an iCalendar file."""
    booking = session_selectors.booking_get_for_learner(
        learner=request.user, session_public_id=public_id
    )
    text = calendar.bookings_calendar([booking])
    return _ics(text, f"sesi-{booking.session.public_id}.ics")


@learners_only
@require_safe
def my_calendar(request: HttpRequest) -> HttpResponse:
    """Every session the learner is booked on (or waiting for), as one iCalendar file."""
    bookings = session_selectors.booking_calendar_for_learner(learner=request.user)
    text = calendar.bookings_calendar(bookings, name=_("My learning sessions"))
    return _ics(text, "sesi-belajar.ics")


# Check-in ----------------------------------------------------------------------------------


def _token_page(response: HttpResponse) -> HttpResponse:
    # The address holds the session's check-in code: never pass it on to another site, never
    # keep the page. "same-origin" rather than "no-referrer": under "no-referrer" browsers
    # send the check-in form with "Origin: null", which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """The page the QR code in the room opens: a button that checks the learner in."""
    try:
        session = session_selectors.session_get_by_token(token=token)
    except DomainError as error:
        return _token_page(error_page(request, error))
    problem, status, booking = None, 200, None
    if request.method == "POST":
        try:
            booking = services.attendance_check_in(token=token, learner=request.user)
        except DomainError as error:
            problem, status = error.detail, error.status
        else:
            messages.success(request, _("You are checked in. Enjoy the session!"))
            return _token_page(redirect("learning:session", public_id=session.public_id))
    else:
        booking = session_selectors.booking_for_learner(learner=request.user, session=session)
    opens = session.starts_at - CHECK_IN_OPENS
    return _token_page(
        render(
            request,
            "learning/sessions/check_in.html",
            {
                "session": session,
                "course": session.course,
                "booking": booking,
                "problem": problem,
                "opens": opens,
                "nav": NAV,
            },
            status=status,
        )
    )


# Claims ------------------------------------------------------------------------------------


@learners_only
@require_safe
def claims(request: HttpRequest) -> HttpResponse:
    """The learner's claims for learning done elsewhere, with HR's decisions, a page at a
    time."""
    cursor = request.GET.get("setelah", "")[:400]
    page = manage_selectors.claim_list_for_learner(learner=request.user, cursor=cursor)
    base = reverse("learning:claims")
    return render(
        request,
        "learning/sessions/claims.html",
        {
            "claims": page.items,
            "next_url": f"{base}?{urlencode({'setelah': page.next_cursor})}"
            if page.has_next
            else "",
            "first_url": base if cursor else "",
            "nav": NAV,
        },
    )


@learners_only
def claim_create(request: HttpRequest) -> HttpResponse:
    """Claim learning done elsewhere, with its certificate."""
    form = ClaimForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.claim_create(
                    learner=request.user,
                    title=data["title"],
                    provider=data["provider"],
                    completed_on=data["completed_on"],
                    jp=data["jp"],
                    certificate=data["certificate"],
                    actor=request.user,
                )
            except DomainError as error:
                if error.status == 403:
                    return error_page(request, error)
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Your claim is sent to HR. You are told in your inbox when they decide."),
                )
                return redirect("learning:claims")
        status = 422
    return render(
        request,
        "learning/sessions/claim_form.html",
        {"form": form, "nav": NAV},
        status=status,
    )


@login_required
@require_safe
def claim_certificate(request: HttpRequest, public_id) -> HttpResponse:
    """A claim's certificate file, for its learner and for HR who decide on it."""
    try:
        claim = manage_selectors.claim_get_for_viewer(user=request.user, public_id=public_id)
    except DomainError as error:
        return error_page(request, error)
    name = claim.certificate.name or ""
    if not name or not claim.certificate.storage.exists(name):
        return error_page(
            request,
            Forbidden(_("The certificate file is missing. Ask the learner to claim again.")),
        )
    if claim.learner_id != request.user.pk:
        audit_record(
            actor=request.user,
            action="learning.claim_certificate_viewed",
            target=claim,
            subject=claim.learner,
        )
    # The type is read from the file's bytes, not from its name; a PDF or a photo opens in
    # the browser, anything else downloads.
    handle = claim.certificate.open("rb")
    content_type = stored_type(handle)
    extension = CERTIFICATE_TYPES.get(content_type, "")
    return file_response(
        handle,
        filename=f"sertifikat-{claim.public_id}{extension}",
        content_type=content_type,
        inline=True,
    )


# The trainer's pages -------------------------------------------------------------------------


@trainers_only
@require_safe
def trainer_sessions(request: HttpRequest) -> HttpResponse:
    """The sessions the trainer teaches: upcoming ones, or past ones."""
    past = request.GET.get("lampau") == "1"
    cursor = request.GET.get("after", "")[:400]
    page = session_selectors.session_list_for_trainer(user=request.user, past=past, cursor=cursor)
    base = reverse("learning:trainer_sessions")
    prefix = f"{base}?lampau=1&" if past else f"{base}?"
    return render(
        request,
        "learning/trainer/sessions.html",
        {
            "rows": [{"session": s, "seats": seat_counts(s)} for s in page.items],
            "past": past,
            "next_url": f"{prefix}after={page.next_cursor}" if page.has_next else "",
            "first_url": prefix.rstrip("?&") if cursor else "",
            "access": learning_access(request.user),
            "nav": "teaching",
            "staff_area": "trainer",
        },
    )


def check_in_url(session) -> str:
    """The absolute address of the session's check-in page (in the QR code), in the
    platform's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        path_ = reverse("learning:check_in", args=[session.checkin_token])
    return f"{settings.SATUPINTU_PUBLIC_URL}{path_}"


def _progress_rows(roster) -> list[dict]:
    rows = []
    for booking in roster.confirmed:
        employee = getattr(booking.learner, "employee", None)
        enrolment = booking.enrolment
        rows.append(
            {
                "booking": booking,
                "name": _person(booking.learner),
                "unit": employee.unit.name if employee and employee.unit_id else "",
                "agency": employee.agency.name if employee else "",
                "progress": enrolment.progress if enrolment else None,
                "enrolment_status": enrolment.get_status_display() if enrolment else "",
            }
        )
    return rows


def _session_context(request: HttpRequest, session, *, problem: str = "") -> dict:
    roster = session_selectors.session_roster(session=session)
    access = learning_access(request.user)
    now = timezone.now()
    return {
        "session": session,
        "course": session.course,
        "seats": seat_counts(session),
        "rows": _progress_rows(roster),
        "waitlist": [
            {"booking": booking, "name": _person(booking.learner)} for booking in roster.waitlist
        ],
        "roster": roster,
        "check_in_url": check_in_url(session),
        "attendance_open": session.cancelled_at is None
        and now >= session.starts_at - CHECK_IN_OPENS,
        "is_trainer": session.trainer_id == request.user.pk,
        "manages": access.manages_course(session.course),
        "cancellable": session.cancelled_at is None and session.starts_at > now,
        "trainer_name": _person(session.trainer),
        "problem": problem,
        "access": access,
        "nav": "teaching",
        "staff_area": "trainer",
    }


@trainers_and_hr
@require_safe
def trainer_session(request: HttpRequest, public_id) -> HttpResponse:
    """A session for its trainer (or HR of the course): participants and their progress,
    the waiting list, the attendance list and the QR code for check-in."""
    session = session_selectors.session_get_for_staff(user=request.user, public_id=public_id)
    context = _session_context(request, session)
    audit_record(
        actor=request.user,
        action="learning.session_roster_viewed",
        target=session,
        details={"participants": len(context["rows"]), "waiting": len(context["waitlist"])},
    )
    return render(request, "learning/trainer/session.html", context)


@trainers_and_hr
@require_safe
def trainer_session_qr(request: HttpRequest, public_id) -> HttpResponse:
    """The session's check-in QR code, as SVG."""
    session = session_selectors.session_get_for_staff(user=request.user, public_id=public_id)
    widget = QrCodeWidget(check_in_url(session), barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        QR_SIZE,
        QR_SIZE,
        transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0],
    )
    drawing.add(widget)
    response = HttpResponse(renderSVG.drawToString(drawing), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    # The page shows it in an <img>, which a download disposition does not change; opened
    # on its own, an SVG (active content) is downloaded rather than run.
    return file_headers(response, filename=f"qr-{session.public_id}.svg")


@trainers_and_hr
@require_POST
def attendance_mark(request: HttpRequest, public_id) -> HttpResponse:
    """Mark the ticked learners present (the trainer's list)."""
    session = session_selectors.session_get_for_staff(user=request.user, public_id=public_id)
    chosen = set(request.POST.getlist("present")[:2000])
    roster = session_selectors.session_roster(session=session)
    by_booking = {str(booking.public_id): booking for booking in roster.confirmed}
    unknown = chosen - set(by_booking)
    present = [by_booking[key].learner for key in chosen if key in by_booking]
    problem = ""
    if unknown:
        problem = _(
            "Some of the ticked learners no longer hold a seat. Reload the page and tick again."
        )
    elif not present:
        problem = _("Tick the learners who are present.")
    else:
        try:
            services.attendance_mark(session=session, learners_present=present, actor=request.user)
        except DomainError as error:
            problem = error.detail
        else:
            messages.success(request, _("Attendance is saved."))
            return redirect("learning:trainer_session", public_id=session.public_id)
    session = session_selectors.session_get_for_staff(user=request.user, public_id=public_id)
    return render(
        request,
        "learning/trainer/session.html",
        _session_context(request, session, problem=problem),
        status=422,
    )


urlpatterns = [
    path("belajar/sesi/<uuid:public_id>/", session_page, name="session"),
    path("belajar/sesi/<uuid:public_id>/pesan/", booking_create, name="booking_create"),
    path("belajar/sesi/<uuid:public_id>/batal/", booking_cancel, name="booking_cancel"),
    path("belajar/sesi/<uuid:public_id>/kalender.ics", booking_ical, name="booking_ical"),
    path("belajar/kalender.ics", my_calendar, name="my_calendar"),
    path("belajar/hadir/<str:token>/", check_in, name="check_in"),
    path("belajar/klaim/", claims, name="claims"),
    path("belajar/klaim/baru/", claim_create, name="claim_create"),
    path("belajar/klaim/<uuid:public_id>/sertifikat/", claim_certificate, name="claim_certificate"),
    path("pelatih/", trainer_sessions, name="trainer_sessions"),
    path("pelatih/sesi/<uuid:public_id>/", trainer_session, name="trainer_session"),
    path("pelatih/sesi/<uuid:public_id>/qr.svg", trainer_session_qr, name="trainer_session_qr"),
    path("pelatih/sesi/<uuid:public_id>/hadir/", attendance_mark, name="attendance_mark"),
]
