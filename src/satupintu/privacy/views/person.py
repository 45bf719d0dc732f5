"""The person's pages, reached from "Data saya": their requests to correct or delete their
data, a form for each, and one request with its deadline and answer. Nobody else's request
is ever shown: another reference is "not found"."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from satupintu.core.errors import DomainError
from satupintu.core.pages import error_page, errors_to_form
from satupintu.privacy import presenting, selectors, services
from satupintu.privacy.constants import RequestKind
from satupintu.privacy.forms import CorrectionRequestForm, DeletionRequestForm
from satupintu.privacy.views.deadlines import deadline_of
from satupintu.privacy.views.paging import cursor_decode, cursor_encode

PAGE_SIZE = settings.SATUPINTU_PAGE_SIZE
# The words in the address for each kind of request.
KIND_OF_SLUG = {"koreksi": RequestKind.CORRECTION, "hapus": RequestKind.DELETION}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_OF_SLUG.items()}


@never_cache
@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """The person's requests, newest first, each with its status, deadline and answer."""
    after = cursor_decode(request.GET.get("after", ""))
    page = selectors.data_request_page_for_requester(
        user=request.user, after=after, limit=PAGE_SIZE + 1
    )
    has_next, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    url = reverse("privacy:my_requests")
    return render(
        request,
        "privacy/my_requests.html",
        {
            "rows": [
                {"request": item, "deadline": deadline_of(item.due_at, running=item.is_open)}
                for item in page
            ],
            "next_url": f"{url}?{urlencode({'after': cursor_encode(page[-1].received_at, page[-1].pk)})}"
            if has_next
            else "",
            "first_url": url if after else "",
            "nav": "profile",
        },
    )


@never_cache
@login_required
def request_new(request: HttpRequest, kind: str) -> HttpResponse:
    """The form of a correction (``koreksi``) or a deletion (``hapus``)."""
    kind = KIND_OF_SLUG.get(kind)
    if kind is None:
        return error_page(request, DomainError(_("There is no such kind of request."), status=404))
    form_class = CorrectionRequestForm if kind == RequestKind.CORRECTION else DeletionRequestForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.data_request_file(
                requester=request.user,
                kind=kind,
                field=data.get("field", ""),
                proposed_value=data.get("proposed_value", ""),
                scope=data.get("scope", ""),
                reason=data.get("reason", ""),
            )
        except DomainError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Your request was received. It is answered within 3×24 hours."),
            )
            return redirect("privacy:my_request", tracking=filed.tracking)
    context = {"form": form, "kind": kind, "nav": "profile"}
    if kind == RequestKind.DELETION:
        context["rules"] = presenting.rule_rows(selectors.retention_rules())
    return render(request, "privacy/request_form.html", context, status=422 if form.errors else 200)


@never_cache
@login_required
def my_request(request: HttpRequest, tracking: str) -> HttpResponse:
    """One of the person's requests: what they asked, until when, and the answer."""
    try:
        item = selectors.data_request_get_for_requester(user=request.user, tracking=tracking)
    except DomainError as error:
        return error_page(request, error)
    return render(
        request,
        "privacy/my_request.html",
        {
            "request_": item,
            "deadline": deadline_of(item.due_at, running=item.is_open),
            "outcome": presenting.outcome_rows(item),
            "nav": "profile",
        },
    )
