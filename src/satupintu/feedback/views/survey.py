"""The survey pages: the one-time link a person opens without signing in, and the counter
page where an officer hands a tablet to the people they serve.

Neither page shows who answers. The link's page names the service and the agency only;
the counter page goes back to an empty form after every answer.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from satupintu.catalog.models import Service
from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.pages import error_page, errors_to_form
from satupintu.core.ratelimits import rate_limited, survey_token
from satupintu.feedback import selectors, services
from satupintu.feedback.forms import SurveyForm
from satupintu.organisations.models import Office


def _token_page(response: HttpResponse) -> HttpResponse:
    # The address holds the token: never send it on to another site, never keep the page.
    # "same-origin" rather than "no-referrer": under "no-referrer" browsers send the form
    # with "Origin: null", which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@rate_limited("survey", person=survey_token)
@csrf_protect
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The survey of one closed case, from the link in the applicant's message."""
    try:
        invitation = selectors.invitation_for_token(token=token)
    except DomainError as error:
        return _token_page(
            render(
                request,
                "feedback/survey_closed.html",
                {"detail": error.detail, "code": error.code},
                status=error.status,
            )
        )
    if invitation.answered:
        return _token_page(
            render(
                request,
                "feedback/survey_closed.html",
                {
                    "detail": _(
                        "This survey was already answered. Each case can be rated once: thank you."
                    ),
                    "code": "already_answered",
                    "invitation": invitation,
                },
                status=409,
            )
        )
    form = SurveyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_response_submit(
                    token=token,
                    answers=form.answers(),
                    suggestion=form.cleaned_data["suggestion"],
                    profile=form.profile(),
                )
            except DomainError as error:
                if error.status in (409, 410):
                    return _token_page(
                        render(
                            request,
                            "feedback/survey_closed.html",
                            {"detail": error.detail, "code": error.code, "invitation": invitation},
                            status=error.status,
                        )
                    )
                errors_to_form(form, error)
            else:
                return redirect("feedback:survey_done")
        status = 400
    return _token_page(
        render(
            request,
            "feedback/survey.html",
            {"form": form, "invitation": invitation, "action": request.path},
            status=status,
        )
    )


def survey_done(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/survey_done.html")


# The counter -----------------------------------------------------------------------------------


def _counter_target(request: HttpRequest, choices: list[Service]):
    """The service (and centre) chosen for the counter, from the address."""
    code = (request.POST.get("service") or request.GET.get("service") or "").strip()
    service = next((s for s in choices if s.code == code), None)
    if service is None:
        return None, None, []
    offices = selectors.counter_offices(user=request.user, service=service)
    office_code = (request.POST.get("office") or request.GET.get("office") or "").strip()
    office = next((o for o in offices if o.code == office_code), None)
    return service, office, offices


def _counter_url(service: Service, office: Office | None) -> str:
    params = {"service": service.code}
    if office is not None:
        params["office"] = office.code
    return f"{reverse('feedback:counter')}?{urlencode(params)}"


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    """Collect answers at a counter: choose the service (and the centre), then hand the
    tablet over; every answer goes back to an empty form for the next person."""
    choices = selectors.counter_services(user=request.user)
    if not choices:
        return error_page(
            request,
            Forbidden(_("Only officers and service centre staff collect answers at a counter.")),
        )
    service, office, offices = _counter_target(request, choices)
    if service is not None and not selectors.counter_may_collect(
        user=request.user, service=service, office=office
    ):
        # A centre's staff member who does not work the service collects only at a centre.
        office = office or (offices[0] if offices else None)
    form = SurveyForm(request.POST if request.method == "POST" else None) if service else None
    status = 200
    if request.method == "POST" and service is not None:
        if form.is_valid():
            try:
                services.counter_response_submit(
                    actor=request.user,
                    service=service,
                    office=office,
                    answers=form.answers(),
                    suggestion=form.cleaned_data["suggestion"],
                    profile=form.profile(),
                )
            except DomainError as error:
                if error.status == 403:
                    return error_page(request, error)
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you! The answer is saved. The form is ready for the next person."),
                )
                return redirect(_counter_url(service, office))
        status = 400
    return render(
        request,
        "feedback/counter.html",
        {
            "services": choices,
            "service": service,
            "office": office,
            "offices": offices,
            "form": form,
            "nav": "ikm",
        },
        status=status,
    )


urlpatterns = [
    path("survei/terima-kasih/", survey_done, name="survey_done"),
    path("survei/<str:token>/", survey, name="survey"),
    path("petugas/survei-loket/", counter, name="counter"),
]
