"""Who calls the JSON API, and as whom.

- **People in a browser** use their signed-in session (django-ninja's ``django_auth``, the
  session cookie). Unsafe methods (POST, PUT, PATCH, DELETE) must carry the CSRF token
  (``X-CSRFToken`` header), as Django's forms do.
- **Agencies' back-end systems** use an API key, given as ``Authorization: Bearer <key>`` or
  ``X-API-Key: <key>``. A key acts as its agency through its service account (an
  agency-wide supervisor: see ``accounts.services.api_key_service_account``). No CSRF token
  is needed: a browser never adds these headers by itself.

Every auth class answers with the user who acts (``request.auth``). A key that is given but
is not valid (unknown, revoked, of an inactive agency) is refused with 401 at once, even when
a session is present too, so that a system learns at its first call that its key is gone.
"""

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from satupintu.accounts.models import User
from satupintu.accounts.services import api_key_authenticate
from satupintu.core.errors import Forbidden


def _acting_user(key: str | None) -> User:
    api_key = api_key_authenticate(key=key or "")
    if api_key is None:
        raise AuthenticationError()
    user = api_key.service_account
    # Operations may name the key in what they record (the user says which key already).
    user.api_key_prefix = api_key.prefix
    return user


class SessionAuth(NinjaSessionAuth):
    """``django_auth`` with one change of order: it checks that someone is signed in before
    it checks the CSRF token, so that an anonymous call is told 401 (sign in) rather than
    403 (CSRF), and a failed CSRF check answers in the API's error shape."""

    openapi_description = (
        "The session cookie of a person signed in to the site. Unsafe methods also need the "
        "CSRF token in the `X-CSRFToken` header."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        try:
            try:
                return super()._get_key(request)
            except MultiPartParserError:
                # The CSRF check looks for the token in a form body, and this one cannot be
                # read. Django then holds the form as empty: the check runs again on the
                # header's token, and the operation answers about the body as it does
                # without a session.
                return super()._get_key(request)
        except HttpError as exc:
            raise Forbidden(
                _("The security token (CSRF) is missing or wrong. Reload the page and try again."),
                code="csrf_failed",
            ) from exc


class ApiKeyBearer(HttpBearer):
    """An agency's API key as ``Authorization: Bearer <key>``."""

    openapi_description = "An agency's API key: `Authorization: Bearer <key>`."

    def authenticate(self, request: HttpRequest, token: str) -> User:
        return _acting_user(token)


class ApiKeyHeader(APIKeyHeader):
    """An agency's API key as ``X-API-Key: <key>``."""

    param_name = "X-API-Key"
    openapi_description = "An agency's API key: `X-API-Key: <key>`."

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not key:
            return None
        return _acting_user(key)


session_auth = SessionAuth()
api_key_bearer = ApiKeyBearer()
api_key_header = ApiKeyHeader()

#: Operations for people only (a citizen's own applications).
PEOPLE = [session_auth]
#: Operations for people and agencies' systems. Keys come first: a system's call never
#: depends on a cookie.
PEOPLE_AND_SYSTEMS = [api_key_bearer, api_key_header, session_auth]
