"""The breach register (``/ppdp/insiden/``): breaches by the deadline of their notice, the
overdue ones marked; one breach, with when the people concerned and the authority were told;
and its notice, ready to print, with what UU PDP art. 46 requires it to say."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.pages import error_page, errors_to_form
from satupintu.privacy import selectors, services
from satupintu.privacy.constants import SPECIFIC_DATA, DataKind
from satupintu.privacy.forms import MOMENT, BreachForm, NotifiedForm
from satupintu.privacy.models import Breach
from satupintu.privacy.views.deadlines import deadline_of
from satupintu.privacy.views.officer import PAGE_SIZE, handles, readers_only
from satupintu.privacy.views.paging import cursor_decode, cursor_encode


def _refused(request: HttpRequest) -> HttpResponse:
    return error_page(request, Forbidden(_("Only a data protection officer keeps the register.")))


@readers_only
def breaches(request: HttpRequest) -> HttpResponse:
    """Breaches still to notify, the earliest deadline first; or (``?semua=1``) all."""
    everything = request.GET.get("semua") == "1"
    after = cursor_decode(request.GET.get("after", ""))
    page = selectors.breach_list(pending=not everything, after=after, limit=PAGE_SIZE + 1)
    has_next, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    base = {"semua": "1"} if everything else {}
    url = reverse("privacy:breaches")

    def link(**extra: str) -> str:
        query = urlencode({**base, **extra})
        return f"{url}?{query}" if query else url

    now = timezone.now()
    return render(
        request,
        "privacy/breaches/list.html",
        {
            "everything": everything,
            "rows": [
                {
                    "breach": breach,
                    "deadline": deadline_of(
                        breach.notify_due_at, running=not breach.is_notified, now=now
                    ),
                    "url": reverse("privacy:breach", args=[breach.tracking]),
                }
                for breach in page
            ],
            "can_record": handles(request),
            "next_url": link(after=cursor_encode(page[-1].notify_due_at, page[-1].pk))
            if has_next
            else "",
            "first_url": link() if after else "",
            "nav": "privacy",
        },
    )


def _facts(data: dict) -> services.BreachFacts:
    return services.BreachFacts(
        title=data["title"],
        discovered_at=data["discovered_at"],
        occurred_at=data.get("occurred_at"),
        description=data["description"],
        data_kinds=list(data["data_kinds"]),
        data_other=data.get("data_other", ""),
        people_affected=data["people_affected"],
        cause=data.get("cause", ""),
        measures=data["measures"],
        contact=data.get("contact", ""),
    )


def _form_page(request: HttpRequest, form: BreachForm, breach: Breach | None) -> HttpResponse:
    return render(
        request,
        "privacy/breaches/form.html",
        {"form": form, "breach": breach, "nav": "privacy"},
        status=422 if form.errors else 200,
    )


@readers_only
def breach_new(request: HttpRequest) -> HttpResponse:
    if not handles(request):
        return _refused(request)
    form = BreachForm(
        request.POST or None,
        initial={"discovered_at": timezone.localtime().strftime(MOMENT)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_record(actor=request.user, facts=_facts(form.cleaned_data))
        except DomainError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The breach is recorded. Tell the people concerned and the authority by %(due)s.")
                % {"due": _when(breach.notify_due_at)},
            )
            return redirect("privacy:breach", tracking=breach.tracking)
    return _form_page(request, form, None)


@readers_only
def breach_edit(request: HttpRequest, tracking: str) -> HttpResponse:
    breach = selectors.breach_get(tracking=tracking)
    if not handles(request):
        return _refused(request)
    initial = {
        name: getattr(breach, name)
        for name in (
            "title",
            "description",
            "data_kinds",
            "data_other",
            "people_affected",
            "cause",
            "measures",
            "contact",
        )
    }
    initial["discovered_at"] = timezone.localtime(breach.discovered_at).strftime(MOMENT)
    if breach.occurred_at:
        initial["occurred_at"] = timezone.localtime(breach.occurred_at).strftime(MOMENT)
    form = BreachForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_update(
                breach=breach, actor=request.user, facts=_facts(form.cleaned_data)
            )
        except DomainError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The breach record was updated."))
            return redirect("privacy:breach", tracking=breach.tracking)
    return _form_page(request, form, breach)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def _data_labels(breach: Breach) -> list[str]:
    labels = []
    for kind in breach.data_kinds:
        if kind == DataKind.OTHER:
            labels.append(breach.data_other or str(DataKind.OTHER.label))
        elif kind in DataKind.values:
            labels.append(str(DataKind(kind).label))
    return labels


def _breach_page(
    request: HttpRequest, breach: Breach, form: NotifiedForm | None = None
) -> HttpResponse:
    return render(
        request,
        "privacy/breaches/breach.html",
        {
            "breach": breach,
            "data": _data_labels(breach),
            "specific": bool(set(breach.data_kinds) & set(SPECIFIC_DATA)),
            "deadline": deadline_of(breach.notify_due_at, running=not breach.is_notified),
            "can_record": handles(request),
            "notified_form": form or NotifiedForm(),
            "nav": "privacy",
        },
        status=422 if form is not None and form.errors else 200,
    )


@readers_only
def breach_detail(request: HttpRequest, tracking: str) -> HttpResponse:
    return _breach_page(request, selectors.breach_get(tracking=tracking))


@readers_only
def breach_notify(request: HttpRequest, tracking: str) -> HttpResponse:
    """Record when the people concerned and the authority were told."""
    breach = selectors.breach_get(tracking=tracking)
    if request.method != "POST":
        return redirect("privacy:breach", tracking=breach.tracking)
    if not handles(request):
        return _refused(request)
    form = NotifiedForm(request.POST)
    if form.is_valid():
        try:
            services.breach_notified(
                breach=breach,
                actor=request.user,
                subjects_at=form.cleaned_data.get("subjects_at"),
                authority_at=form.cleaned_data.get("authority_at"),
            )
        except DomainError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The notice is recorded."))
            return redirect("privacy:breach", tracking=breach.tracking)
    return _breach_page(request, breach, form)


@readers_only
def breach_notice(request: HttpRequest, tracking: str) -> HttpResponse:
    """The notice to the people concerned and to the authority, from the record: which
    personal data were disclosed, when and how, and what is done to handle it and recover
    (UU PDP art. 46(2)). In the page's language; printable."""
    breach = selectors.breach_get(tracking=tracking)
    return render(
        request,
        "privacy/breaches/notice.html",
        {
            "breach": breach,
            "data": _data_labels(breach),
            "specific": bool(set(breach.data_kinds) & set(SPECIFIC_DATA)),
            "today": timezone.localdate(),
            "nav": "privacy",
        },
    )
