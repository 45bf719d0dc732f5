"""The citizen's pages of a life event: start it (deciding first whether the registries may
fill in what they know), and the suggestions made after a life event was signalled.

The questions themselves, the last check and the confirmation are the same pages as for one
service (``citizen.py``): a life-event draft is a submission whose form is the event's shared
questions, and its confirmation lists every case it opened.
"""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.accounts import selectors as account_selectors
from satupintu.cases.models import Suggestion, SuggestionStatus
from satupintu.cases.services import life_events as life_event_services
from satupintu.cases.services.suggestions import suggestion_dismiss
from satupintu.cases.views.citizen import citizen_page
from satupintu.catalog import selectors as catalog_selectors
from satupintu.catalog.models import Service
from satupintu.core.errors import NotFound
from satupintu.core.language import pick
from satupintu.registries.selectors import registry_dataset_labels

CODE_MAX_LENGTH = 64


def _suggestion(request: HttpRequest, public_id) -> Suggestion:
    suggestion = (
        Suggestion.objects.filter(user=request.user, public_id=public_id)
        .select_related("life_event__current_version", "source_case__service")
        .first()
    )
    if suggestion is None:
        raise NotFound(_("There is no such suggestion among yours."))
    return suggestion


@citizen_page
@require_http_methods(["GET", "POST"])
def life_event_apply(request: HttpRequest, code: str) -> HttpResponse:
    """Start a life event: what it asks and starts, and — when it can read registries — the
    consent question, with its purpose and the data named. Declining is as easy as agreeing:
    the applicant then types what the registries would have given."""
    event = catalog_selectors.life_event_get(code=code[:CODE_MAX_LENGTH])
    definition = event.current_version.definition
    reading = definition.get("prefill")
    suggestion = None
    suggestion_id = request.POST.get("saran") or request.GET.get("saran") or ""
    try:
        suggestion = _suggestion(request, uuid.UUID(suggestion_id)) if suggestion_id else None
    except (NotFound, ValueError):
        suggestion = None  # a stale or mistyped link starts the event without it
    if suggestion is not None and suggestion.life_event_id != event.pk:
        suggestion = None
    entries = catalog_selectors.life_event_services(event=event)
    services = [service for _entry, service in entries if service is not None]
    businesses = []
    if any(
        "business" in (service.current_version.definition.get("applicants") or [])
        for service in services
    ):
        businesses = list(account_selectors.business_list_for_representative(user=request.user))
    error = ""
    applicant_error = ""
    chosen = request.POST.get("applicant", "self") if request.method == "POST" else "self"
    if request.method == "POST":
        choice = request.POST.get("registry", "")
        business = next((b for b in businesses if str(b.public_id) == chosen), None)
        if chosen != "self" and business is None:
            applicant_error = _("Choose who you are applying for.")
        elif reading and choice not in ("yes", "no"):
            error = _("Choose whether we may fill in your data from the registries.")
        else:
            submission, unavailable = life_event_services.life_event_draft_start(
                applicant=request.user,
                life_event=event,
                share_registry=choice == "yes",
                suggestion=suggestion,
                business=business,
            )
            for reason in unavailable.values():
                messages.warning(request, reason)
            if reading and choice == "yes":
                messages.info(
                    request,
                    _(
                        "Your consent is recorded. You can withdraw it at any time on your "
                        "profile page."
                    ),
                )
            return redirect("cases:draft", public_id=submission.public_id)

    return render(
        request,
        "cases/citizen/life_event_apply.html",
        {
            "event": event,
            "definition": definition,
            "services": services,
            "businesses": businesses,
            "chosen": chosen,
            "applicant_error": applicant_error,
            "reading": reading,
            "purpose": pick(reading["purpose"]) if reading else "",
            "datasets": registry_dataset_labels(datasets=list((reading or {}).get("from", []))),
            "suggestion": suggestion,
            "error": error,
            "nav": "my_services",
        },
        status=400 if error or applicant_error else 200,
    )


@citizen_page
@require_http_methods(["GET", "POST"])
def suggestion_detail(request: HttpRequest, public_id) -> HttpResponse:
    """A suggestion: what happened, the services of the life event not used yet, and one
    button to start them with what is known filled in (or one to dismiss it)."""
    suggestion = _suggestion(request, public_id)
    if request.method == "POST" and request.POST.get("action") == "dismiss":
        suggestion_dismiss(suggestion=suggestion, user=request.user)
        messages.success(request, _("The suggestion is dismissed."))
        return redirect("cases:my_services")
    services = {
        service.code: service
        for service in Service.objects.filter(
            code__in=suggestion.services, is_active=True
        ).select_related("agency")
    }
    return render(
        request,
        "cases/citizen/suggestion.html",
        {
            "suggestion": suggestion,
            "event": suggestion.life_event,
            "services": [services[code] for code in suggestion.services if code in services],
            "is_open": suggestion.status == SuggestionStatus.OPEN,
            "nav": "my_services",
        },
    )


urlpatterns = [
    path("peristiwa/<slug:code>/ajukan/", life_event_apply, name="life_event_apply"),
    path("saran/<uuid:public_id>/", suggestion_detail, name="suggestion"),
]
