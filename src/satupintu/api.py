"""The JSON API at /api/v1: every app's router, and one shape for every error."""

import json
import logging

from csp.decorators import csp_update
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, RawPostDataException
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from satupintu.accounts.api_personal_data import router as personal_data_router
from satupintu.cases.api import router as cases_router
from satupintu.cases.api_life_events import router as life_events_router
from satupintu.cases.api_partner import router as partner_router
from satupintu.catalog.api import router as catalog_router
from satupintu.complaints.api import router as complaints_router
from satupintu.core.errors import DomainError
from satupintu.core.middleware import STATUS_CODES, nul_message
from satupintu.core.storable import find_unstorable, first_nul
from satupintu.feedback.api import router as feedback_router
from satupintu.learning.api import router as learning_router
from satupintu.organisations.api import router as organisations_router
from satupintu.privacy.api import router as privacy_router
from satupintu.talent.api import router as talent_router

logger = logging.getLogger(__name__)


class UnreadableBody(Exception):
    """Raised by the parser with a message for the client; ninja answers it as a 400."""


class JsonParser(Parser):
    """ninja's parser, refusing text that the databases cannot store (a NUL character, a
    lone surrogate) with a message that names the field, as forms do."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except RecursionError as exc:
            raise UnreadableBody(_("The JSON body is nested too deeply.")) from exc
        except json.JSONDecodeError as exc:
            raise UnreadableBody(
                _("The body of the request is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except ValueError as exc:  # not UTF-8
            raise UnreadableBody(_("The body of the request is not JSON in UTF-8.")) from exc
        found = find_unstorable(data)
        if found:
            path, reason = found
            raise UnreadableBody(storable_message(path, reason))
        return data

    def parse_querydict(self, data, list_fields, request):
        name = first_nul(data)
        if name is not None:
            raise DomainError(nul_message(name), code="bad_request")
        return super().parse_querydict(data, list_fields, request)


def storable_message(path: str, reason: str) -> str:
    if reason == "deep":
        return _("The JSON body is nested too deeply.")
    if reason == "surrogate":
        return _(
            "The field “%(field)s” holds an unpaired surrogate (\\ud800–\\udfff), which is "
            "not valid Unicode: send the text as UTF-8."
        ) % {"field": path[:60] or "body"}
    return nul_message(path or "body")


class SatupintuAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Every operation may answer 400: its address or query can hold text that cannot be
        stored (see ``UnstorableTextMiddleware``), whatever else it documents."""
        schema = super().get_openapi_schema(**kwargs)
        refusal = {
            "description": "Bad Request",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                operation["responses"].setdefault(400, refusal)
        return schema


api = SatupintuAPI(
    title="Satupintu API",
    version="1",
    description=(
        "One door to the public services of many agencies. Lists answer "
        '`{"items": [...], "next": <URL of the next page or null>}`; errors answer '
        '`{"detail": <message>, "code": <machine code>}` with the matching HTTP status.\n\n'
        "Staff who signed in with a password but have not yet given their one-time code are "
        'answered 403 with `"code": "second_factor_required"` on every operation. Operations '
        "that send something anyone can repeat (applications, complaints, survey answers) "
        "answer 429 with `Retry-After` over their rate limit."
    ),
    urls_namespace="api",
    parser=JsonParser(),
    # The docs page loads Swagger UI from our static files (no CDN, no inline script); its
    # components set inline styles, which this page alone allows.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
)


def error(request, status: int, detail: str, code: str, **extra):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    extra = {**exc.extra, **({"errors": exc.errors} if exc.errors else {})}
    return error(request, exc.status, str(exc.detail), exc.code, **extra)


def _error_path(loc) -> str:
    """The field's path as the client wrote it: ninja prefixes where the value came from
    ("body", "query", "path") and, for a body, the operation's parameter name."""
    parts = list(loc)
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts[:1] in (["query"], ["path"]):
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors = [
        {"path": _error_path(item.get("loc", ())), "message": item.get("msg", "")}
        for item in exc.errors
    ]
    return error(request, 422, _("Some of the input is not valid."), "invalid", errors=errors)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return error(request, 404, _("Not found."), "not_found")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc: AuthenticationError):
    return error(
        request, 401, _("Sign in or give an API key to use this operation."), "unauthenticated"
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, UnreadableBody):
        return error(request, 400, str(exc.__cause__), "bad_request")
    return error(request, exc.status_code, str(exc), STATUS_CODES.get(exc.status_code, "error"))


@api.exception_handler(MultiPartParserError)
@api.exception_handler(RawPostDataException)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_unreadable_body(request, exc: Exception):
    """A form body that cannot be parsed, or a form where the operation reads JSON."""
    return error(
        request,
        400,
        _(
            "The body of the request could not be read: send it as the operation describes "
            "(JSON, or a form with its files)."
        ),
        "bad_request",
    )


@api.exception_handler(RequestDataTooBig)
def on_too_large(request, exc: RequestDataTooBig):
    return error(request, 413, _("The body of the request is too large."), "too_large")


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    logger.exception(
        "Unexpected error in %s %s",
        request.method,
        request.resolver_match.route if request.resolver_match else "",
    )
    return error(
        request, 500, _("Something went wrong on our side. Please try again later."), "server_error"
    )


@api.get("/ping", auth=None, summary="Is the service up?", tags=["health"])
def ping(request):
    """A constant answer, through the same middleware as every other operation: for health
    checks, and the floor that benchmarks compare every operation against."""
    return {"status": "ok"}


api.add_router("/", catalog_router)
api.add_router("/", organisations_router)
api.add_router("/", cases_router)
api.add_router("/", life_events_router)
api.add_router("/", partner_router)
api.add_router("/", feedback_router)
api.add_router("/", complaints_router)
api.add_router("/", personal_data_router)
api.add_router("/", privacy_router)
api.add_router("/learning/", talent_router)
api.add_router("/learning/", learning_router)


def unknown_endpoint(request, rest: str = ""):
    """Any other address under /api/v1/ answers in the same error shape."""
    from django.http import JsonResponse

    return JsonResponse(
        {"detail": _("There is no such API operation."), "code": "not_found"}, status=404
    )
