"""Middleware for the JSON API."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

API_PREFIX = "/api/"
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
