"""Holding staff back until they give their second factor (see docs/security.md).

After a password (or an identity provider), a staff member's session is not yet verified:
every page sends them to the page that asks for their code — or, before they have an
authenticator, to the page that sets one up — and the API answers 403 with the code
``second_factor_required``. Signing out, those pages, the language switch, static files,
the health check and the API's documentation stay open. Agencies' systems that call the API
with a key are not people with a session and are not held back; neither are the clients of
the learning record store, which send their own credentials.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from satupintu.accounts import second_factor

API_PREFIX = "/api/"
# Paths that never rely on a person's session.
OPEN_PREFIXES = ("/xapi/",)
OPEN_VIEWS = {
    "accounts:logout",
    "accounts:second_factor_verify",
    "accounts:second_factor_setup",
    "accounts:recovery_codes",
    "set_language",
    "api:ping",
    "api:openapi-json",
    "api:openapi-view",
}


def _sends_api_key(request: HttpRequest) -> bool:
    authorization = request.headers.get("Authorization", "")
    return authorization.lower().startswith("bearer ") or bool(request.headers.get("X-API-Key"))


def _is_open(request: HttpRequest) -> bool:
    path = request.path
    if path.startswith(settings.STATIC_URL) or path.startswith(OPEN_PREFIXES):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in OPEN_VIEWS


class SecondFactorMiddleware:
    """Installed after django-otp's ``OTPMiddleware`` (which tells whether the session is
    verified) and Django's message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SATUPINTU_STAFF_TOTP:
            held = self._hold(request)
            if held is not None:
                return held
        return self.get_response(request)

    def _hold(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if _is_open(request) or not second_factor.second_factor_required(user=user):
            return None
        if request.path.startswith(API_PREFIX):
            if _sends_api_key(request):
                # The key decides who calls; the unverified session must not count at all.
                request.user = AnonymousUser()
                return None
            return JsonResponse(
                {
                    "detail": _(
                        "Give the code from your authenticator app first: open the site, "
                        "sign in and enter the code, then try again."
                    ),
                    "code": "second_factor_required",
                },
                status=403,
            )
        enrolled = second_factor.totp_device_get(user=user) is not None
        target = reverse(
            "accounts:second_factor_verify" if enrolled else "accounts:second_factor_setup"
        )
        if request.method in ("GET", "HEAD"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
