"""The complainant's pages, and the public list: file a report (signed in or not), open one
with its report number and follow-up code, "My reports", the page of one report with its
status, deadline, follow-up and messages (where a satisfied complainant closes it), and the
reports anyone may read.

Everything works without JavaScript. The follow-up code is never in an address: it is
posted, checked, and the browser's session then remembers that it may open that report (for
people without an account, who have no other way in).
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.cases import selectors as case_selectors
from satupintu.catalog.models import Service
from satupintu.complaints import presenting, selectors, services
from satupintu.complaints.constants import ComplaintStatus, Sender
from satupintu.complaints.models import Complaint
from satupintu.complaints.views.forms import ComplaintForm, FollowForm, MessageForm
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.keyset import after_q
from satupintu.core.pages import error_page
from satupintu.core.ratelimits import rate_limited
from satupintu.organisations.models import Agency

GRANTED = "complaints_granted"
GRANTS_KEPT = 20
OWN_CASES_OFFERED = 30
PAGE_SIZE = 20


def _subjects(user) -> list:
    """The choices of "What is it about?": the person's recent cases, then every agency with
    its services."""
    choices: list = []
    if user.is_authenticated:
        cases = case_selectors.case_list_for_applicant(user=user)[:OWN_CASES_OFFERED]
        own = [
            (f"case:{case.public_id}", f"{case.service.name} ({case.submission.tracking})")
            for case in cases
        ]
        if own:
            choices.append((_("Your applications"), own))
    services_by_agency: dict[int, list] = {}
    for service in Service.objects.filter(is_active=True).order_by("name_id"):
        services_by_agency.setdefault(service.agency_id, []).append(service)
    for agency in Agency.objects.filter(is_active=True).order_by("name_id"):
        options = [
            (f"agency:{agency.code}", _("%(agency)s (in general)") % {"agency": agency.name})
        ]
        options += [
            (f"service:{service.code}", service.name)
            for service in services_by_agency.get(agency.pk, [])
        ]
        choices.append((agency.name, options))
    return choices


def _resolve_subject(request: HttpRequest, value: str) -> dict:
    """The service, agency or case a choice of "What is it about?" names."""
    kind, _sep, key = (value or "").partition(":")
    if kind == "service":
        return {"service": Service.objects.filter(is_active=True, code=key[:130]).first()}
    if kind == "agency":
        return {"agency": Agency.objects.filter(is_active=True, code=key[:64]).first()}
    if kind == "case" and request.user.is_authenticated:
        try:
            public_id = uuid.UUID(key[:36])
            return {
                "case": case_selectors.case_get_for_applicant(
                    user=request.user, public_id=public_id
                )
            }
        except (ValueError, NotFound):
            return {}
    return {}


@rate_limited("complaint")
@require_http_methods(["GET", "POST"])
def file_report(request: HttpRequest) -> HttpResponse:
    """The report form; after sending, the report number (and, without an account, the
    follow-up code, shown only here)."""
    signed_in = request.user.is_authenticated
    form = ComplaintForm(
        request.POST or None, subjects=_subjects(request.user), signed_in=signed_in
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.complaint_file(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                anonymous=data["anonymous"],
                confidential=data["confidential"],
                name=data.get("name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                # A form token is random and long: as safe as an API caller's key.
                idempotency_key=f"page:{data['token']}" if data.get("token") else "",
                **_resolve_subject(request, data.get("subject", "")),
            )
        except DomainError as error:
            for problem in error.errors:
                name = problem.get("path")
                form.add_error(name if name in form.fields else None, problem.get("message"))
            if not error.errors:
                form.add_error(None, error.detail)
        else:
            complaint = filed.complaint
            if not signed_in:
                _grant(request, complaint)
            return render(
                request,
                "complaints/filed.html",
                {
                    "complaint": complaint,
                    "code": filed.code,
                    "tracking_spelled": " ".join(c for c in complaint.tracking if c != "-"),
                    "deadline": presenting.deadline(complaint, for_staff=False),
                    "nav": "complaints",
                },
            )
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "signed_in": signed_in,
            "is_coordinator": selectors.is_coordinator(request.user),
            "nav": "complaints",
        },
        status=400 if form.errors else 200,
    )


def _grant(request: HttpRequest, complaint: Complaint) -> None:
    granted = [
        value for value in request.session.get(GRANTED, []) if value != str(complaint.public_id)
    ]
    request.session[GRANTED] = [str(complaint.public_id), *granted][:GRANTS_KEPT]


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Open a report filed without an account, with its report number and code."""
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        complaint = selectors.complaint_by_code(
            tracking=form.cleaned_data["tracking"], code=form.cleaned_data["code"]
        )
        if complaint is not None:
            _grant(request, complaint)
            return redirect("complaints:complaint", tracking=complaint.tracking)
        form.add_error(
            "code",
            _("The report number and this code do not belong together. Check both and try again."),
        )
    return render(
        request,
        "complaints/follow.html",
        {"form": form, "nav": "complaints"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    """The reports the signed-in person filed, newest first, a page at a time."""
    complaints = selectors.complaint_list_for_complainant(user=request.user)
    after = request.GET.get("setelah", "")[:36]
    anchor = None
    if after:
        try:
            anchor = (
                complaints.filter(public_id=uuid.UUID(after))
                .values_list("submitted_at", "id")
                .first()
            )
        except ValueError:
            anchor = None
    if anchor is not None:
        complaints = complaints.filter(after_q(["submitted_at", "id"], anchor, descending=True))
    page = list(complaints[: PAGE_SIZE + 1])
    more, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    deadlines = presenting.Deadlines(page, for_staff=False)
    return render(
        request,
        "complaints/mine.html",
        {
            "rows": [
                {"complaint": complaint, "deadline": deadlines.of(complaint)} for complaint in page
            ],
            "next_url": f"?setelah={page[-1].public_id}" if more else "",
            "is_later_page": anchor is not None,
            "nav": "complaints",
        },
    )


@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest, tracking: str) -> HttpResponse:
    """One report as its complainant sees it; they answer and write here."""
    try:
        found = selectors.complaint_get_for_complainant(
            user=request.user, tracking=tracking, granted=request.session.get(GRANTED, [])
        )
    except NotFound as error:
        if not request.user.is_authenticated:
            return redirect(reverse("complaints:follow"))
        return error_page(request, error)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and found.is_open and form.is_valid():
        try:
            services.complaint_message_post(
                complaint=found,
                actor=request.user,
                body=form.cleaned_data["body"],
                sender=Sender.COMPLAINANT,
            )
        except DomainError as error:
            form.add_error("body", error.detail)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect(reverse("complaints:complaint", args=[found.tracking]) + "#pesan")
    thread = selectors.complaint_messages(complaint=found, include_internal=False)
    for message in thread:
        message.label = presenting.sender_label(message, found, for_staff=False)
    question = None
    if found.status == ComplaintStatus.NEEDS_INFO:
        question = next((m for m in reversed(thread) if m.sender == Sender.COORDINATOR), None)
    timeline = [
        {"when": event.created_at, "title": presenting.event_title(event, found, for_staff=False)}
        for event in selectors.complaint_timeline(complaint=found, include_internal=False)
    ]
    return render(
        request,
        "complaints/complaint.html",
        {
            "complaint": found,
            "agency": presenting.agency_label(found),
            "deadline": presenting.deadline(found, for_staff=False),
            "follow_ups": [message for message in thread if message.is_follow_up],
            "thread": thread,
            "question": question,
            "timeline": timeline,
            "form": form,
            "nav": "complaints",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["POST"])
def close(request: HttpRequest, tracking: str) -> HttpResponse:
    """The complainant is satisfied with the agency's follow-up and closes the report."""
    try:
        found = selectors.complaint_get_for_complainant(
            user=request.user, tracking=tracking, granted=request.session.get(GRANTED, [])
        )
    except NotFound as error:
        if not request.user.is_authenticated:
            return redirect(reverse("complaints:follow"))
        return error_page(request, error)
    try:
        services.complaint_close_by_complainant(complaint=found, actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Your report is closed. Thank you for telling us."))
    return redirect("complaints:complaint", tracking=found.tracking)


@require_http_methods(["GET"])
def public(request: HttpRequest) -> HttpResponse:
    """Reports anyone may read: routed to an agency and not confidential, with the agency's
    latest answer. Nobody's name is on this page."""
    after = request.GET.get("setelah", "")[:36]
    page = selectors.complaint_public_list(after=after, limit=PAGE_SIZE + 1)
    more, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    answers = selectors.complaint_public_follow_ups(complaints=page)
    return render(
        request,
        "complaints/public.html",
        {
            "rows": [
                {
                    "complaint": complaint,
                    "agency": presenting.agency_label(complaint),
                    "answer": answers.get(complaint.pk),
                }
                for complaint in page
            ],
            "next_url": f"?setelah={page[-1].public_id}" if more else "",
            "is_later_page": bool(after),
            "nav": "complaints",
        },
    )


urlpatterns = [
    path("pengaduan/", file_report, name="file"),
    path("pengaduan/lacak/", follow, name="follow"),
    path("pengaduan/saya/", mine, name="mine"),
    path("pengaduan/publik/", public, name="public"),
    path("pengaduan/laporan/<str:tracking>/", complaint, name="complaint"),
    path("pengaduan/laporan/<str:tracking>/tutup/", close, name="complaint_close"),
]
