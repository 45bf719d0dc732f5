"""Middleware for the JSON API, and the refusal of text that cannot be stored."""

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import translation

from satupintu.core.errors import DomainError
from satupintu.core.pages import error_page
from satupintu.core.storable import NUL, first_nul, pairs

API_PREFIX = "/api/"
LRS_PREFIX = "/xapi/"
STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
    500: "server_error",
}


class ApiMiddleware:
    """Under /api/: choose the language from ``Accept-Language`` (pages choose it from the
    URL prefix instead), and give every error the one shape ``{"detail", "code"}`` even when
    Django answers before the API does (a wrong method, CSRF, a too-large body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            code = STATUS_CODES.get(response.status_code, "error")
            detail = {
                "method_not_allowed": translation.gettext(
                    "This operation does not accept the %(method)s method."
                )
                % {"method": request.method},
                "forbidden": translation.gettext("You may not do this."),
                "not_found": translation.gettext("There is no such API operation."),
            }.get(code, translation.gettext("The request could not be handled."))
            shaped = JsonResponse({"detail": detail, "code": code}, status=response.status_code)
            if "Allow" in response:
                shaped["Allow"] = response["Allow"]
            return shaped
        return response


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UnstorableTextMiddleware:
    """Refuse, with 400 and a clear message, an address, an API query or a form that holds a
    NUL character, which PostgreSQL cannot store or even compare; drop NULs from the query of
    a page that is only read. JSON bodies of the API are checked by its parser
    (``satupintu.api.JsonParser``), and the learning record store checks its own input."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(LRS_PREFIX):
            return self.get_response(request)  # the xAPI rules say what to answer there
        if NUL in request.path:
            return self.refuse(request, None)
        name = first_nul(request.GET)
        if name is not None:
            if request.path.startswith(API_PREFIX) or request.method not in ("GET", "HEAD"):
                return self.refuse(request, name)
            # A page's query only reads, and no stored text holds a NUL: it is dropped, so
            # that a search with a stray control character still answers.
            cleaned = QueryDict(mutable=True)
            for key, value in pairs(request.GET):
                cleaned.appendlist(key.replace(NUL, ""), value.replace(NUL, ""))
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs):
        # After the CSRF check, which has read the form already: a form that cannot be read
        # is left for the view to answer. The API's forms are checked by its parser.
        if request.method != "POST" or request.path.startswith((API_PREFIX, LRS_PREFIX)):
            return None
        if not request.content_type.startswith(FORM_TYPES):
            return None
        try:
            name = first_nul(request.POST)
        except Exception:
            return None
        return self.refuse(request, name) if name is not None else None

    @staticmethod
    def refuse(request: HttpRequest, field: str | None) -> HttpResponse:
        detail = nul_message(field)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": detail, "code": "bad_request"}, status=400)
        return error_page(request, DomainError(detail, code="bad_request"))


def nul_message(field: str | None) -> str:
    if field:
        return translation.gettext(
            "The field “%(field)s” holds a NUL character (\\u0000), which cannot be stored: "
            "remove it and send again."
        ) % {"field": field[:60]}
    return translation.gettext(
        "The address holds a NUL character, which cannot be stored: remove it and try again."
    )
