"""Rate limits on the operations that anyone can call again and again: signing in, sending an
application, filing a complaint, answering a survey.

Each limit is a group in ``settings.SATUPINTU_RATELIMITS`` with two rates: one per client
address (``ip``) and one per person (``user``: the signed-in user, or what stands for the
person where nobody is signed in — the username typed, a survey link's token). Counts live in
the default cache (django-ratelimit), so processes share them when the cache is Redis.

Over a limit, a page answers 429 with a page that says when to try again, and the API answers
429 in its error shape (``{"detail", "code": "rate_limited"}``); both send ``Retry-After``.
``SATUPINTU_RATELIMITS_ENABLED`` turns every limit off (the tests and the benchmarks do).
"""

from collections.abc import Callable
from functools import wraps
from math import ceil

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

#: Says who the person is for the per-person rate: ``(request, view_kwargs) -> key or None``.
PersonKey = Callable[[HttpRequest, dict], str | None]


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``SATUPINTU_PROXY_COUNT`` reverse proxies it is the
    entry that the outermost trusted proxy appended to ``X-Forwarded-For``; entries further
    left were written by the client and prove nothing."""
    proxies = settings.SATUPINTU_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a key, not a bind


def signed_in_user(request: HttpRequest, view_kwargs: dict) -> str | None:
    """The signed-in user (the default per-person key); anonymous callers count by address
    only."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def posted_username(request: HttpRequest, view_kwargs: dict) -> str | None:
    """The username typed into the sign-in form, so that one account cannot be tried from
    many addresses at full speed."""
    username = request.POST.get("username", "").strip().lower()
    return f"username:{username[:254]}" if username else None


def survey_token(request: HttpRequest, view_kwargs: dict) -> str | None:
    """A survey link's token: the credential of whoever answers without an account."""
    token = view_kwargs.get("token") or ""
    return f"token:{token[:200]}" if token else None


def _wait_seconds(request: HttpRequest, *, group: str, scope: str, key: str) -> int | None:
    rate = settings.SATUPINTU_RATELIMITS.get(group, {}).get(scope) or None
    if rate is None:
        return None
    usage = get_usage(
        request,
        group=f"satupintu.{group}.{scope}",
        key=lambda _group, _request: key,
        rate=rate,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, ceil(usage["time_left"]))


def ratelimit_exceeded(
    request: HttpRequest, *, group: str, view_kwargs: dict, person: PersonKey = signed_in_user
) -> int | None:
    """Count this request against the group's limits; the seconds to wait when it goes over
    either of them, None when it may go on."""
    if not settings.SATUPINTU_RATELIMITS_ENABLED:
        return None
    waits = []
    waits.append(_wait_seconds(request, group=group, scope="ip", key=f"ip:{client_ip(request)}"))
    if (who := person(request, view_kwargs)) is not None:
        waits.append(_wait_seconds(request, group=group, scope="user", key=who))
    over = [wait for wait in waits if wait is not None]
    return max(over) if over else None


def too_many_requests_page(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    """The friendly 429 page, in the site's layout."""
    minutes = max(1, ceil(retry_after / 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def too_many_requests_api(*, retry_after: int) -> JsonResponse:
    """The API's 429, in its one error shape."""
    response = JsonResponse(
        {
            "detail": _("Too many requests. Wait %(seconds)s seconds and try again.")
            % {"seconds": retry_after},
            "code": "rate_limited",
            "retry_after": retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(
    group: str,
    *,
    api: bool = False,
    methods: tuple[str, ...] = ("POST",),
    person: PersonKey = signed_in_user,
) -> Callable:
    """Decorate a page view (or, with ``api=True``, a ninja operation under its
    ``@router.…`` line) so that requests of ``methods`` count against ``group``'s limits.
    Reading a page never counts: only what sends something."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                wait = ratelimit_exceeded(request, group=group, view_kwargs=kwargs, person=person)
                if wait is not None:
                    if api:
                        return too_many_requests_api(retry_after=wait)
                    return too_many_requests_page(request, retry_after=wait)
            return view(request, *args, **kwargs)

        wrapped.rate_limit_group = group  # read by the test that each API one documents 429
        return wrapped

    return decorator
