"""Account pages: sign up as a citizen, sign in and out, your profile, the privacy notice."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from satupintu.accounts import selectors, services
from satupintu.accounts.forms import CitizenSignupForm, LoginForm
from satupintu.core.errors import DomainError

_BACKEND = "satupintu.accounts.backends.EmailOrUsernameBackend"


class LoginView(auth_views.LoginView):
    """Sign in with an e-mail address or a username."""

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
    """The signed-in person's own profile and roles."""
    return render(
        request,
        "accounts/profile.html",
        {"profile": selectors.profile_get(user=request.user), "nav": "profile"},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice (UU PDP 27/2022)."""
    return render(request, "accounts/privacy.html", {"nav": "privacy"})
