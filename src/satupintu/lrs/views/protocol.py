"""What every xAPI resource shares (xAPI 1.0.3, Part Three): the version header, HTTP
Basic authentication, the alternate request syntax, the size limit, parameters, errors,
HEAD and cross-origin requests.

A resource is a dict of handlers by method, wrapped by ``endpoint``; a handler receives an
``XapiRequest`` in which the alternate syntax has already been turned into the ordinary
one.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from satupintu.core.errors import DomainError
from satupintu.lrs import conf, selectors
from satupintu.lrs.constants import XAPI_VERSION
from satupintu.lrs.formats import format_timestamp
from satupintu.lrs.models import LrsClient
from satupintu.lrs.multipart import content_type_parameters
from satupintu.lrs.validation import VERSION_RE

# Form parameters of the alternate syntax that stand for headers.
FORM_HEADERS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}
METHODS = {"GET", "PUT", "POST", "DELETE"}
FORM_TYPE = "application/x-www-form-urlencoded"
REALM = 'Basic realm="xapi"'
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Content-Type, X-Experience-API-Version, "
    "X-Experience-API-Consistent-Through"
)
ALLOWED_HEADERS = (
    "Authorization, Content-Type, If-Match, If-None-Match, X-Experience-API-Version, "
    "Accept-Language"
)


class XapiError(Exception):
    """A request the LRS refuses, with the status and the message it answers with."""

    def __init__(
        self, status: int, detail: str, *, code: str = "invalid", headers: dict | None = None
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.headers = headers or {}


@dataclass
class XapiRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    http: HttpRequest
    client: LrsClient | None = None
    alternate: bool = False
    extra: dict = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def content_type(self) -> str:
        return content_type_parameters(self.header("content-type") or "")[0]


# Reading a request ---------------------------------------------------------------------


def _body(request: HttpRequest) -> bytes:
    limit = conf.max_request_bytes()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise _too_large(limit)
    # Read the stream directly: the LRS's own limit applies, not Django's in-memory one.
    body = request.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    return body


def _too_large(limit: int) -> XapiError:
    megabytes = limit / (1024 * 1024)
    return XapiError(
        413,
        f"The request is larger than this LRS accepts ({megabytes:g} MB, attachments "
        "included); send fewer statements or smaller attachments per request.",
        code="too_large",
    )


def _single(values: QueryDict, where: str) -> dict[str, str]:
    result = {}
    for name in values:
        items = values.getlist(name)
        if len(items) > 1:
            raise XapiError(400, f"{name}: the {where} parameter is given more than once")
        result[name] = items[0]
    return result


def xapi_request(request: HttpRequest) -> XapiRequest:
    """Read a request, turning the alternate request syntax (a POST with ``?method=``)
    into the method, headers, parameters and content it stands for."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    query = _single(request.GET, "query")
    body = _body(request) if request.method in ("PUT", "POST") else b""
    content_type = content_type_parameters(headers.get("content-type", ""))[0]
    if request.method != "POST" or "method" not in query:
        if request.method == "POST" and content_type == FORM_TYPE:
            raise XapiError(
                400,
                "A form-encoded POST must use the alternate request syntax: name the intended "
                "method in the query string (?method=GET, PUT, POST or DELETE).",
            )
        return XapiRequest(
            method=request.method, params=query, headers=headers, body=body, http=request
        )
    if set(query) != {"method"}:
        raise XapiError(
            400,
            "With the alternate request syntax the query string holds only 'method'; send "
            "the other parameters as form parameters.",
        )
    method = query["method"]
    if method not in METHODS:
        raise XapiError(400, "method: must be GET, PUT, POST or DELETE")
    if content_type != FORM_TYPE:
        raise XapiError(
            400, f"Content-Type: the alternate request syntax sends {FORM_TYPE} content"
        )
    try:
        form = _single(QueryDict(body.decode("utf-8"), encoding="utf-8"), "form")
    except UnicodeDecodeError as error:
        raise XapiError(400, "The form content must be encoded as UTF-8.") from error
    headers = {name: value for name, value in headers.items() if name not in ("content-type",)}
    params, content = {}, b""
    for name, value in form.items():
        if name.lower() in FORM_HEADERS:
            headers[name.lower()] = value
        elif name == "content":
            content = value.encode("utf-8")
        else:
            params[name] = value
    return XapiRequest(
        method=method,
        params=params,
        headers=headers,
        body=content,
        http=request,
        alternate=True,
    )


def authenticate(xreq: XapiRequest) -> LrsClient:
    header = xreq.header("authorization")
    refused = XapiError(
        401,
        "Send the HTTP Basic credentials (key and secret) of an xAPI client of this LRS.",
        code="unauthenticated",
        headers={"WWW-Authenticate": REALM},
    )
    if not header:
        raise refused
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise refused
    try:
        key, sep, secret = base64.b64decode(token.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise refused from None
    client = selectors.client_authenticate(key=key, secret=secret) if sep and key else None
    if client is None:
        refused.detail = "The credentials were refused: the key or secret is wrong, or the client was deactivated."
        raise refused
    return client


def check_version(xreq: XapiRequest) -> None:
    version = xreq.header("x-experience-api-version")
    if version is None:
        raise XapiError(
            400, "X-Experience-API-Version: every request must name the xAPI version (1.0.3)."
        )
    if not VERSION_RE.match(version.strip()):
        raise XapiError(
            400,
            f"X-Experience-API-Version: {version[:20]!r} is not supported; this LRS speaks "
            f"xAPI 1.0.x (send {XAPI_VERSION}).",
        )


def require_write(xreq: XapiRequest) -> None:
    if xreq.client is not None and not xreq.client.can_write:
        raise XapiError(
            403,
            "These credentials may only read: ask the LRS's administrator for a client that "
            "may write.",
            code="forbidden",
        )


def check_params(
    xreq: XapiRequest, allowed: set[str] | frozenset[str], required: tuple[str, ...] = ()
) -> dict[str, str]:
    lowered = {name.lower(): name for name in allowed}
    for name in xreq.params:
        if name in allowed:
            continue
        if name.lower() in lowered:
            raise XapiError(
                400,
                f"{name}: parameters are case-sensitive; the parameter is {lowered[name.lower()]}",
            )
        raise XapiError(400, f"{name}: is not a parameter of this resource and method")
    for name in required:
        if name not in xreq.params:
            raise XapiError(400, f"{name}: the parameter is required")
    return xreq.params


def boolean(xreq: XapiRequest, name: str) -> bool:
    value = xreq.params.get(name)
    if value is None:
        return False
    if value not in ("true", "false"):
        raise XapiError(400, f"{name}: must be true or false")
    return value == "true"


# Answers -------------------------------------------------------------------------------


def json_response(data, status: int = 200, headers: dict | None = None) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return content_response(body, "application/json", status=status, headers=headers)


def content_response(
    body: bytes, content_type: str, *, status: int = 200, headers: dict | None = None
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'


def no_content(headers: dict | None = None) -> HttpResponse:
    return content_response(b"", "text/plain", status=204, headers=headers)


def last_modified(moment) -> str:
    return http_date(moment.timestamp())


def consistent_through() -> dict[str, str]:
    from django.utils import timezone

    return {"X-Experience-API-Consistent-Through": format_timestamp(timezone.now())}


def error_response(status: int, detail: str, code: str, headers: dict | None = None):
    return json_response({"detail": detail, "code": code}, status=status, headers=headers)


def _cors(request: HttpRequest, response: HttpResponse) -> None:
    origin = request.headers.get("Origin")
    allowed = conf.cors_origins()
    if not origin or not ("*" in allowed or origin in allowed):
        return
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["Vary"] = "Origin"


Handler = Callable[[XapiRequest], HttpResponse]


def endpoint(handlers: dict[str, Handler], *, public: bool = False):
    """A view for one resource: ``handlers`` by method. ``public`` resources (About) need
    neither credentials nor the version header."""
    methods = set(handlers) | ({"HEAD"} if "GET" in handlers else set())
    allow = ", ".join(sorted(methods | {"OPTIONS"}))

    @csrf_exempt
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = no_content({"Allow": allow})
            response["Access-Control-Allow-Methods"] = allow
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "3600"
        else:
            response = _answer(request, handlers, public=public, allow=allow)
        response["X-Experience-API-Version"] = XAPI_VERSION
        _cors(request, response)
        if request.method == "HEAD":
            response.content = b""
        return response

    return view


def _answer(request: HttpRequest, handlers: dict, *, public: bool, allow: str) -> HttpResponse:
    try:
        if request.method not in METHODS | {"HEAD"}:
            raise _not_allowed(request.method, allow)
        xreq = xapi_request(request)
        method = "GET" if xreq.method == "HEAD" else xreq.method
        handler = handlers.get(method)
        if handler is None:
            raise _not_allowed(xreq.method, allow)
        if not public:
            xreq.client = authenticate(xreq)
            check_version(xreq)
        return handler(xreq)
    except XapiError as error:
        return error_response(error.status, error.detail, error.code, error.headers)
    except DomainError as error:
        return error_response(error.status, error.detail, error.code)


def _not_allowed(method: str, allow: str) -> XapiError:
    return XapiError(
        405,
        f"This resource does not accept the method {method}.",
        code="method_not_allowed",
        headers={"Allow": allow},
    )


@csrf_exempt
def unknown_resource(request: HttpRequest, rest: str = "") -> HttpResponse:
    response = error_response(
        404,
        "There is no such xAPI resource. The resources are statements, activities, "
        "activities/state, activities/profile, agents, agents/profile and about.",
        "not_found",
    )
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response
