"""The data protection officers' pages (``/ppdp/``): the queue of requests by due time, and
one request with the person's data and the answers: correct, carry out the deletion (with
what the retention rules erase and keep, shown first) or refuse.

Platform administrators read these pages (overdue requests are escalated to them); only a
data protection officer answers. Each opening of a request shows the person's data and is
recorded in their history.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.pages import error_page, errors_to_form, pages_for
from satupintu.privacy import presenting, selectors, services
from satupintu.privacy.constants import RequestKind
from satupintu.privacy.forms import CorrectForm, EraseForm, RefuseForm
from satupintu.privacy.models import DataRequest
from satupintu.privacy.views.deadlines import deadline_of
from satupintu.privacy.views.paging import cursor_decode, cursor_encode

PAGE_SIZE = 25

readers_only = pages_for(
    lambda user: selectors.privacy_scope(user).sees,
    gettext_lazy("These pages are for the data protection officer."),
)


def handles(request: HttpRequest) -> bool:
    return selectors.privacy_scope(request.user).handles


@readers_only
def queue(request: HttpRequest) -> HttpResponse:
    """Open requests, the earliest due first; or (``?dijawab=1``) the answered ones."""
    answered = request.GET.get("dijawab") == "1"
    after = cursor_decode(request.GET.get("after", ""))
    page = selectors.data_request_queue(answered=answered, after=after, limit=PAGE_SIZE + 1)
    has_next, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    base = {"dijawab": "1"} if answered else {}
    url = reverse("privacy:queue")

    def link(**extra: str) -> str:
        query = urlencode({**base, **extra})
        return f"{url}?{query}" if query else url

    return render(
        request,
        "privacy/officer/queue.html",
        {
            "answered": answered,
            "rows": [
                {
                    "request": item,
                    "deadline": deadline_of(item.due_at, running=item.is_open),
                    "url": reverse("privacy:request", args=[item.tracking]),
                }
                for item in page
            ],
            "open_count": selectors.data_request_open_count(),
            "next_url": link(after=cursor_encode(page[-1].due_at, page[-1].pk)) if has_next else "",
            "first_url": link() if after else "",
            "nav": "privacy",
        },
    )


def _request_page(
    request: HttpRequest, item: DataRequest, *, error: DomainError | None = None, **forms
) -> HttpResponse:
    person = item.requester
    services.data_request_view(data_request=item, actor=request.user)
    context = {
        "request_": item,
        "person": person,
        "citizen": getattr(person, "citizen", None),
        "deadline": deadline_of(item.due_at, running=item.is_open),
        "outcome": presenting.outcome_rows(item),
        "can_answer": item.is_open and handles(request),
        "problem": error,
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "nav": "privacy",
    }
    if item.is_open and item.kind == RequestKind.CORRECTION:
        initial = {"value": item.proposed_value}
        if item.field != "other":
            initial["field"] = item.field
        context["correct_form"] = forms.get("correct_form") or CorrectForm(initial=initial)
    if item.is_open and item.kind == RequestKind.DELETION:
        plan = selectors.deletion_plan(user=person, scope=item.scope)
        context["plan"] = presenting.plan_rows(plan)
        context["erase_form"] = forms.get("erase_form") or EraseForm()
    return render(
        request, "privacy/officer/request.html", context, status=error.status if error else 200
    )


@readers_only
def request_detail(request: HttpRequest, tracking: str) -> HttpResponse:
    return _request_page(request, selectors.data_request_get(tracking=tracking))


def _answer(request: HttpRequest, tracking: str, form_class, form_name: str, call, done: str):
    """Run the answer ``call`` with the posted form, or show the request again with the form
    and what is wrong, next to its field."""
    item = selectors.data_request_get(tracking=tracking)
    if request.method != "POST":
        return redirect("privacy:request", tracking=item.tracking)
    if not handles(request):
        return error_page(request, Forbidden(_("Only a data protection officer answers requests.")))
    form = form_class(request.POST)
    if not form.is_valid():
        problem = DomainError(_("Check what you typed in the form below."), status=422)
        return _request_page(request, item, error=problem, **{form_name: form})
    try:
        call(item, form.cleaned_data)
    except DomainError as error:
        errors_to_form(form, error)
        return _request_page(request, item, error=error, **{form_name: form})
    messages.success(request, done)
    return redirect("privacy:request", tracking=item.tracking)


@readers_only
def request_correct(request: HttpRequest, tracking: str) -> HttpResponse:
    return _answer(
        request,
        tracking,
        CorrectForm,
        "correct_form",
        lambda item, data: services.data_request_correct(
            data_request=item,
            actor=request.user,
            field=data["field"],
            value=data["value"],
            answer=data["answer"],
        ),
        _("The data was corrected and the person is told."),
    )


@readers_only
def request_erase(request: HttpRequest, tracking: str) -> HttpResponse:
    return _answer(
        request,
        tracking,
        EraseForm,
        "erase_form",
        lambda item, data: services.data_request_erase(
            data_request=item, actor=request.user, answer=data["answer"]
        ),
        _("The deletion was carried out and the person is told what was kept."),
    )


@readers_only
def request_refuse(request: HttpRequest, tracking: str) -> HttpResponse:
    return _answer(
        request,
        tracking,
        RefuseForm,
        "refuse_form",
        lambda item, data: services.data_request_refuse(
            data_request=item, actor=request.user, reason=data["reason"]
        ),
        _("The request was refused and the person is told why."),
    )
