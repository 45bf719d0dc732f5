"""What every app's pages share: the page for a refused request, a guard for the pages of
one kind of user, and placing a service's refusal next to the form fields it names."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from satupintu.core.errors import DomainError, Forbidden


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The page for a refused request, in the site's layout, with the error's status."""
    template = {403: "403.html", 404: "404.html"}.get(error.status, "400.html")
    return render(request, template, {"detail": error.detail}, status=error.status)


def pages_for(
    allowed: Callable[..., bool], refusal
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A decorator for the pages of one kind of user: sign-in for anonymous visitors, 403
    with ``refusal`` for users that ``allowed`` refuses; a ``DomainError`` that the view does
    not handle (an object outside the user's scope) becomes its error page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not allowed(request.user):
                return error_page(request, Forbidden(str(refusal)))
            try:
                return view(request, *args, **kwargs)
            except DomainError as error:
                return error_page(request, error)

        return wrapped

    return decorator


def errors_to_form(form, error: DomainError, fields: set[str] | None = None) -> None:
    """Put a service's refusal next to the fields it names (those of ``fields`` when given),
    or on the form as a whole when it names none of them."""
    placed = False
    for problem in error.errors:
        name = problem.get("path", "")
        if name in form.fields and (fields is None or name in fields):
            form.add_error(name, problem["message"])
            placed = True
    if not placed:
        form.add_error(None, error.detail)
