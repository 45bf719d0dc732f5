"""Account pages: sign up as a citizen, sign in and out, your profile and the consents you
gave, the privacy notice."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from satupintu.accounts import second_factor, selectors, services
from satupintu.accounts.forms import CitizenSignupForm, LoginForm
from satupintu.core.errors import DomainError
from satupintu.core.ratelimits import posted_username, rate_limited
from satupintu.registries.selectors import registry_dataset_labels

_BACKEND = "satupintu.accounts.backends.EmailOrUsernameBackend"


@method_decorator(rate_limited("login", person=posted_username), name="post")
class LoginView(auth_views.LoginView):
    """Sign in with an e-mail address or a username. Attempts are rate-limited, and too many
    wrong passwords pause the account from that address (``accounts.lockout``)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"nav": "login"}


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, with the CSRF token)."""


@sensitive_post_parameters("password1", "password2", "nik")
@csrf_protect
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """A citizen creates an account. Errors stay next to their fields with what was typed;
    warnings about the NIK do not block."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = CitizenSignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.citizen_register(
                email=data["email"],
                password=data["password1"],
                full_name=data["full_name"],
                nik=data["nik"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                phone=data["phone"],
            )
        except DomainError as error:
            form.add_error(None, error.detail)
        else:
            login(request, user, backend=_BACKEND)
            messages.success(request, _("Your account is ready. You are signed in."))
            for warning in form.nik_warnings:
                messages.warning(request, warning)
            return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form, "nav": "signup"})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own profile, roles, and the consents they gave or declined to
    read government registries about them."""
    found = selectors.profile_get(user=request.user)
    consents = (
        selectors.consent_overview(user=request.user)
        if found.citizen or found.has_consents
        else selectors.ConsentOverview(active=[], earlier=[])
    )

    def rows(items):
        return [
            (
                consent,
                registry_dataset_labels(datasets=consent.datasets),
                consent.pk in consents.replaced,
            )
            for consent in items
        ]

    return render(
        request,
        "accounts/profile.html",
        {
            "profile": found,
            "active_consents": rows(consents.active),
            "earlier_consents": rows(consents.earlier),
            "second_factor": second_factor.second_factor_status(user=request.user)
            if second_factor.second_factor_required(user=request.user)
            else None,
            "nav": "profile",
        },
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    """Withdraw one of the signed-in person's consents (a form on the profile page)."""
    consent = selectors.consent_get_for_user(user=request.user, public_id=public_id)
    if consent is None:
        raise Http404
    try:
        services.consent_withdraw(user=request.user, consent=consent)
    except DomainError as error:
        raise Http404 from error
    messages.success(
        request,
        _(
            "Your consent is withdrawn: the registries will not be read for this purpose "
            "again. Applications you already sent keep what they hold."
        ),
    )
    return redirect(reverse("accounts:profile") + "#consents")


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice (UU PDP 27/2022)."""
    return render(request, "accounts/privacy.html", {"nav": "privacy"})
