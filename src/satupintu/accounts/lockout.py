"""Pausing sign-in after repeated wrong passwords (django-axes; see docs/security.md).

Failures count per username and client address together. This module tells axes which name
to count against, what to show a person who is locked out, and to stand aside when there is
no request to take an address from.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from satupintu.accounts import selectors


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username and address before any password is checked.

    Without a request there is no address to count by and nobody to show a page to (a shell,
    a test client's ``login``): the check stands aside instead of failing. Every sign-in of
    the site, its admin included, comes with a request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """The name that failures count against: the account's own username when the typed name
    (an e-mail address or a username, in any case) finds one, so that every way of naming
    one account shares one count and a successful sign-in clears it."""
    typed = ((credentials or {}).get("username") or request.POST.get("username", "")).strip()
    if not typed:
        return ""
    return (selectors.user_username_for_login(login=typed) or typed).lower()


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The page shown instead of signing in once a username has failed too often from one
    address: it says until when. Every attempt during the pause starts the wait again, so the
    pause ends one cool-off after this request."""
    until = timezone.now() + settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "accounts/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "until": until, "nav": "login"},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
