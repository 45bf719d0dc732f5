"""The pages of the people who handle complaints.

- **Coordinators** (``/koordinator-pengaduan/``): every complaint, by deadline; one complaint
  with the steps of verification: route it to an agency, reject it with a reason, or ask the
  complainant for more (the clock stops).
- **Agencies** (``/petugas/pengaduan/``): the complaints routed to the agency, overdue first;
  one complaint with the follow-up form.
- **Export** (``/ekspor-pengaduan/``) for the national system, in the JSON or CSV format.

Both see the messages (internal notes included) and write to the complainant or to each
other. Who filed a complaint is shown only when it is not anonymous, and each time it is
shown the audit trail records it. Guards, errors and paging follow the officers' case pages.
"""

import base64
import binascii
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from satupintu.complaints import deadlines, presenting, selectors, services
from satupintu.complaints.constants import (
    COORDINATOR_STATUSES,
    ComplaintKind,
    ComplaintStatus,
    Sender,
    Step,
)
from satupintu.complaints.models import Complaint
from satupintu.complaints.views.forms import (
    ExportForm,
    FollowUpForm,
    RejectForm,
    RequestInformationForm,
    RouteForm,
    StaffMessageForm,
)
from satupintu.core.errors import DomainError
from satupintu.core.pages import pages_for
from satupintu.core.uploads import file_headers
from satupintu.organisations.models import Agency, Unit

PAGE_SIZE = 25

coordinators_only = pages_for(
    lambda user: selectors.complaint_scope(user).coordinator,
    gettext_lazy("These pages are for complaint coordinators."),
)
agency_staff_only = pages_for(
    lambda user: selectors.complaint_scope(user).is_agency_staff,
    gettext_lazy("These pages are for the staff of an agency."),
)
exporters_only = pages_for(
    lambda user: (
        selectors.complaint_scope(user).coordinator
        or selectors.complaint_scope(user).is_agency_staff
    ),
    gettext_lazy("These pages are for complaint coordinators and the staff of an agency."),
)


def _cursor_encode(due_date: datetime.date, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{due_date.isoformat()}.{pk}".encode()).decode().rstrip("=")


def _cursor_decode(token: str) -> tuple[datetime.date, int] | None:
    token = (token or "")[:64]
    if not token:
        return None
    try:
        due, pk = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(".")
        return datetime.date.fromisoformat(due), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


# Queues ---------------------------------------------------------------------------------


def _status_choices(as_coordinator: bool) -> list[tuple[str, str]]:
    if as_coordinator:
        return [
            ("verify", _("To verify")),
            (ComplaintStatus.NEEDS_INFO, ComplaintStatus.NEEDS_INFO.label),
            (ComplaintStatus.ROUTED, ComplaintStatus.ROUTED.label),
            (ComplaintStatus.FOLLOWED_UP, ComplaintStatus.FOLLOWED_UP.label),
        ]
    return [
        (ComplaintStatus.ROUTED, _("Waiting for the follow-up")),
        (ComplaintStatus.FOLLOWED_UP, ComplaintStatus.FOLLOWED_UP.label),
    ]


def _queue(request: HttpRequest, *, as_coordinator: bool) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    statuses = _status_choices(as_coordinator)
    chosen = {
        "status": request.GET.get("status", "")[:16],
        "kind": request.GET.get("kind", "")[:16],
        "due": request.GET.get("due", "")[:16],
        "closed": "1" if request.GET.get("closed") == "1" else "",
    }
    if chosen["status"] not in {code for code, _label in statuses} or chosen["closed"]:
        chosen["status"] = ""
    if chosen["kind"] not in ComplaintKind.values:
        chosen["kind"] = ""
    if chosen["due"] not in ("overdue", "soon") or chosen["closed"]:
        chosen["due"] = ""
    filters = selectors.QueueFilters(
        status=chosen["status"],
        kind=chosen["kind"],
        due=chosen["due"],
        closed=bool(chosen["closed"]),
    )
    after = _cursor_decode(request.GET.get("after", ""))
    page = selectors.complaint_queue(
        user=user,
        as_coordinator=as_coordinator,
        filters=filters,
        after=after,
        limit=PAGE_SIZE + 1,
        today=today,
    )
    has_next, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    counts = selectors.complaint_counts_by_status(user=user, as_coordinator=as_coordinator)
    chosen = {key: value for key, value in chosen.items() if value}

    def url(**change: str) -> str:
        query = urlencode({k: v for k, v in {**chosen, **change}.items() if v})
        return "?" + query if query else "?"

    chips = []
    for code, label in statuses:
        count = (
            sum(counts.get(status, 0) for status in COORDINATOR_STATUSES)
            if code == "verify"
            else counts.get(code, 0)
        )
        chips.append(
            {
                "label": label,
                "count": count,
                "url": url(status=code),
                "current": code == filters.status,
            }
        )
    detail = "complaints:coordinator_complaint" if as_coordinator else "complaints:agency_complaint"
    due = presenting.Deadlines(page, for_staff=True, today=today)
    return render(
        request,
        "complaints/staff/queue.html",
        {
            "as_coordinator": as_coordinator,
            "rows": [
                {
                    "complaint": complaint,
                    "url": reverse(detail, args=[complaint.tracking]),
                    "agency": presenting.agency_label(complaint),
                    "deadline": due.of(complaint),
                }
                for complaint in page
            ],
            "chips": chips,
            "all_url": url(status=""),
            "open_total": sum(counts.values()),
            "chosen": chosen,
            "filters": filters,
            "kinds": ComplaintKind.choices,
            "has_filters": bool(set(chosen) - {"status"}),
            "next_url": url(after=_cursor_encode(page[-1].due_date, page[-1].pk))
            if has_next
            else "",
            "first_url": url() if after else "",
            "is_later_page": after is not None,
            "nav": "complaints_coordinator" if as_coordinator else "complaints_queue",
        },
    )


@coordinators_only
def coordinator_queue(request: HttpRequest) -> HttpResponse:
    """Every complaint, the earliest deadline first; the ones to verify by default."""
    return _queue(request, as_coordinator=True)


@agency_staff_only
def agency_queue(request: HttpRequest) -> HttpResponse:
    """The complaints routed to the agency, the earliest deadline first (overdue on top)."""
    return _queue(request, as_coordinator=False)


# One complaint --------------------------------------------------------------------------


def _problem(error: DomainError) -> dict:
    heading = {
        403: _("You cannot do this"),
        409: _("This could not be done"),
    }.get(error.status, _("There is a problem"))
    return {"heading": heading, "detail": error.detail}


def _complaint_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    as_coordinator: bool,
    error: DomainError | None = None,
    **posted,
) -> HttpResponse:
    """The complaint as its handlers see it. After a refused action it says why, keeps the
    form that was posted, and answers with the error's status."""
    user = request.user
    scope = selectors.complaint_scope(user)
    identity = services.complainant_identity_view(complaint=complaint, actor=user)
    thread = selectors.complaint_messages(complaint=complaint, include_internal=True)
    for message in thread:
        message.label = presenting.sender_label(message, complaint, for_staff=True)
    timeline = [
        {
            "event": event,
            "title": presenting.event_title(event, complaint, for_staff=True),
            "actor": presenting.actor_label(event, for_staff=True),
        }
        for event in selectors.complaint_timeline(complaint=complaint, include_internal=True)
    ]
    context = {
        "complaint": complaint,
        "as_coordinator": as_coordinator,
        "identity": identity,
        "case_tracking": complaint.case.submission.tracking
        if complaint.case_id and not complaint.is_anonymous
        else "",
        "agency": presenting.agency_label(complaint),
        "deadline": presenting.deadline(complaint, for_staff=True),
        "thread": thread,
        "timeline": timeline,
        "problem": _problem(error) if error else None,
        "message_form": posted.get("message_form") or StaffMessageForm(),
        "can_write": complaint.is_open and (as_coordinator or scope.handles(complaint)),
        "nav": "complaints_coordinator" if as_coordinator else "complaints_queue",
    }
    if as_coordinator:
        open_steps = complaint.status in COORDINATOR_STATUSES
        agencies = list(Agency.objects.filter(is_active=True).order_by("name_id"))
        units = list(Unit.objects.select_related("agency").order_by("agency__name_id", "name_id"))
        context.update(
            can_route=open_steps or complaint.status == ComplaintStatus.ROUTED,
            can_reject=open_steps,
            can_request=open_steps,
            route_form=posted.get("route_form")
            or RouteForm(
                agencies=agencies,
                units=units,
                initial={
                    "agency": complaint.agency.code if complaint.agency_id else "",
                    "unit": str(complaint.unit.public_id) if complaint.unit_id else "",
                },
            ),
            reject_form=posted.get("reject_form") or RejectForm(),
            request_form=posted.get("request_form") or RequestInformationForm(),
            message_action=reverse("complaints:coordinator_message", args=[complaint.tracking]),
        )
    else:
        context.update(
            can_follow_up=scope.handles(complaint)
            and complaint.status in {ComplaintStatus.ROUTED, ComplaintStatus.FOLLOWED_UP},
            follow_up_form=posted.get("follow_up_form") or FollowUpForm(),
            message_action=reverse("complaints:agency_message", args=[complaint.tracking]),
        )
    return render(
        request,
        "complaints/staff/complaint.html",
        context,
        status=error.status if error else 200,
    )


def _coordinator_complaint(request: HttpRequest, tracking: str) -> Complaint:
    return selectors.complaint_get_for_coordinator(user=request.user, tracking=tracking)


def _agency_complaint(request: HttpRequest, tracking: str) -> Complaint:
    return selectors.complaint_get_for_agency(user=request.user, tracking=tracking)


def _back(complaint: Complaint, *, as_coordinator: bool, anchor: str = "") -> HttpResponse:
    name = "complaints:coordinator_complaint" if as_coordinator else "complaints:agency_complaint"
    return redirect(reverse(name, args=[complaint.tracking]) + (f"#{anchor}" if anchor else ""))


def _act(request, complaint, form, call, *, as_coordinator: bool, form_name: str):
    """Run ``call`` with the valid ``form``'s data, or show the page with the form and the
    error next to its field."""
    invalid = DomainError(_("Check what you typed in the form below."), code="invalid", status=422)
    if not form.is_valid():
        return _complaint_page(
            request, complaint, as_coordinator=as_coordinator, error=invalid, **{form_name: form}
        )
    try:
        call(form.cleaned_data)
    except DomainError as error:
        for problem in error.errors:
            field = problem.get("path")
            form.add_error(field if field in form.fields else None, problem.get("message"))
        return _complaint_page(
            request, complaint, as_coordinator=as_coordinator, error=error, **{form_name: form}
        )
    return None


@coordinators_only
def coordinator_complaint(request: HttpRequest, tracking: str) -> HttpResponse:
    return _complaint_page(request, _coordinator_complaint(request, tracking), as_coordinator=True)


@coordinators_only
def coordinator_route(request: HttpRequest, tracking: str) -> HttpResponse:
    complaint = _coordinator_complaint(request, tracking)
    if request.method != "POST":
        return _back(complaint, as_coordinator=True)
    form = RouteForm(
        request.POST,
        agencies=list(Agency.objects.filter(is_active=True)),
        units=list(Unit.objects.select_related("agency")),
    )
    refused = _act(
        request,
        complaint,
        form,
        lambda data: services.complaint_route(
            complaint=complaint,
            actor=request.user,
            agency=data["agency_obj"],
            unit=data["unit_obj"],
            note=data["note"],
        ),
        as_coordinator=True,
        form_name="route_form",
    )
    if refused:
        return refused
    days = deadlines.working_days_for(Step.FOLLOW_UP)
    messages.success(
        request,
        ngettext(
            "Sent to %(agency)s. Its follow-up is due in %(days)d working day.",
            "Sent to %(agency)s. Its follow-up is due in %(days)d working days.",
            days,
        )
        % {"agency": form.cleaned_data["agency_obj"].name, "days": days},
    )
    return _back(complaint, as_coordinator=True)


@coordinators_only
def coordinator_reject(request: HttpRequest, tracking: str) -> HttpResponse:
    complaint = _coordinator_complaint(request, tracking)
    if request.method != "POST":
        return _back(complaint, as_coordinator=True)
    form = RejectForm(request.POST)
    refused = _act(
        request,
        complaint,
        form,
        lambda data: services.complaint_reject(
            complaint=complaint, actor=request.user, reason=data["reason"], note=data["note"]
        ),
        as_coordinator=True,
        form_name="reject_form",
    )
    if refused:
        return refused
    messages.success(request, _("The report is not taken further; the complainant is told why."))
    return _back(complaint, as_coordinator=True)


@coordinators_only
def coordinator_request(request: HttpRequest, tracking: str) -> HttpResponse:
    complaint = _coordinator_complaint(request, tracking)
    if request.method != "POST":
        return _back(complaint, as_coordinator=True)
    form = RequestInformationForm(request.POST)
    refused = _act(
        request,
        complaint,
        form,
        lambda data: services.complaint_request_information(
            complaint=complaint, actor=request.user, message=data["message"]
        ),
        as_coordinator=True,
        form_name="request_form",
    )
    if refused:
        return refused
    messages.success(request, _("Your question was sent. The deadline stops until the answer."))
    return _back(complaint, as_coordinator=True)


def _message(request: HttpRequest, complaint: Complaint, *, as_coordinator: bool) -> HttpResponse:
    if request.method != "POST":
        return _back(complaint, as_coordinator=as_coordinator)
    internal = request.POST.get("audience") == "internal"
    form = StaffMessageForm(request.POST)
    refused = _act(
        request,
        complaint,
        form,
        lambda data: services.complaint_message_post(
            complaint=complaint,
            actor=request.user,
            body=data["body"],
            sender=Sender.COORDINATOR if as_coordinator else Sender.AGENCY,
            internal=internal,
        ),
        as_coordinator=as_coordinator,
        form_name="message_form",
    )
    if refused:
        return refused
    messages.success(
        request, _("Your internal note was added.") if internal else _("Your message was sent.")
    )
    return _back(complaint, as_coordinator=as_coordinator, anchor="pesan")


@coordinators_only
def coordinator_message(request: HttpRequest, tracking: str) -> HttpResponse:
    return _message(request, _coordinator_complaint(request, tracking), as_coordinator=True)


@agency_staff_only
def agency_complaint(request: HttpRequest, tracking: str) -> HttpResponse:
    return _complaint_page(request, _agency_complaint(request, tracking), as_coordinator=False)


@agency_staff_only
def agency_follow_up(request: HttpRequest, tracking: str) -> HttpResponse:
    complaint = _agency_complaint(request, tracking)
    if request.method != "POST":
        return _back(complaint, as_coordinator=False)
    form = FollowUpForm(request.POST)
    refused = _act(
        request,
        complaint,
        form,
        lambda data: services.complaint_follow_up(
            complaint=complaint, actor=request.user, body=data["body"]
        ),
        as_coordinator=False,
        form_name="follow_up_form",
    )
    if refused:
        return refused
    messages.success(request, _("The follow-up was sent to the complainant."))
    return _back(complaint, as_coordinator=False)


@agency_staff_only
def agency_message(request: HttpRequest, tracking: str) -> HttpResponse:
    return _message(request, _agency_complaint(request, tracking), as_coordinator=False)


# Export ---------------------------------------------------------------------------------


@exporters_only
def export(request: HttpRequest) -> HttpResponse:
    """Download the complaints of a period for the national system (SP4N-LAPOR!): every
    complaint for a coordinator, the agency's for its staff. Anonymous ones carry no
    identity."""
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = services.complaints_export(
            actor=request.user,
            date_from=data["date_from"],
            date_to=data["date_to"],
            fmt=data["format"],
        )
        extension = "csv" if data["format"] == "csv" else "json"
        response = HttpResponse(
            content,
            content_type="text/csv; charset=utf-8" if extension == "csv" else "application/json",
        )
        name = f"pengaduan-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.{extension}"
        return file_headers(response, filename=name)
    return render(
        request,
        "complaints/staff/export.html",
        {
            "form": form,
            "as_coordinator": selectors.complaint_scope(request.user).coordinator,
            "nav": "complaints_queue",
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("koordinator-pengaduan/", coordinator_queue, name="coordinator_queue"),
    path(
        "koordinator-pengaduan/<str:tracking>/",
        coordinator_complaint,
        name="coordinator_complaint",
    ),
    path(
        "koordinator-pengaduan/<str:tracking>/teruskan/",
        coordinator_route,
        name="coordinator_route",
    ),
    path(
        "koordinator-pengaduan/<str:tracking>/tolak/",
        coordinator_reject,
        name="coordinator_reject",
    ),
    path(
        "koordinator-pengaduan/<str:tracking>/minta-informasi/",
        coordinator_request,
        name="coordinator_request",
    ),
    path(
        "koordinator-pengaduan/<str:tracking>/pesan/",
        coordinator_message,
        name="coordinator_message",
    ),
    path("petugas/pengaduan/", agency_queue, name="agency_queue"),
    path("petugas/pengaduan/<str:tracking>/", agency_complaint, name="agency_complaint"),
    path(
        "petugas/pengaduan/<str:tracking>/tindak-lanjut/",
        agency_follow_up,
        name="agency_follow_up",
    ),
    path("petugas/pengaduan/<str:tracking>/pesan/", agency_message, name="agency_message"),
    path("ekspor-pengaduan/", export, name="export"),
]
