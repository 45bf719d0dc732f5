"""Statements and callers for the LRS's tests: an xAPI caller that sends the version header
and the credentials the way an xAPI client does, and small valid statements."""

import base64
import json
import uuid
from urllib.parse import urlencode

from django.test import Client

VERSION = "1.0.3"


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class Xapi:
    """Calls /xapi/<resource> as one client."""

    def __init__(self, credentials: str | None, version: str | None = VERSION):
        self.http = Client()
        self.credentials = credentials
        self.version = version

    def headers(self, extra: dict | None = None) -> dict:
        headers = {}
        if self.credentials:
            headers["Authorization"] = self.credentials
        if self.version:
            headers["X-Experience-API-Version"] = self.version
        headers.update(extra or {})
        return {key: value for key, value in headers.items() if value is not None}

    def url(self, resource: str, params: dict | None = None) -> str:
        if resource.startswith("/"):
            return resource
        query = urlencode(
            {
                key: json.dumps(value) if isinstance(value, dict) else value
                for key, value in (params or {}).items()
            }
        )
        return f"/xapi/{resource}" + (f"?{query}" if query else "")

    def request(
        self,
        method: str,
        resource: str,
        params: dict | None = None,
        *,
        data=None,
        body: bytes | str | None = None,
        content_type: str = "application/json",
        headers: dict | None = None,
    ):
        if data is not None:
            body = json.dumps(data)
        return self.http.generic(
            method,
            self.url(resource, params),
            data=body or b"",
            content_type=content_type,
            headers=self.headers(headers),
        )

    def get(self, resource, params=None, **kwargs):
        return self.request("GET", resource, params, **kwargs)

    def put(self, resource, params=None, **kwargs):
        return self.request("PUT", resource, params, **kwargs)

    def post(self, resource, params=None, **kwargs):
        return self.request("POST", resource, params, **kwargs)

    def delete(self, resource, params=None, **kwargs):
        return self.request("DELETE", resource, params, **kwargs)


def agent(name: str = "ani") -> dict:
    return {"objectType": "Agent", "name": name.title(), "mbox": f"mailto:{name}@example.org"}


def statement(**overrides) -> dict:
    """A small valid statement: ani completed the course, unless overridden."""
    result = {
        "id": str(uuid.uuid4()),
        "actor": agent(),
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": "https://satupintu.example/courses/etika",
            "definition": {"name": {"en": "Public service ethics", "id": "Etika pelayanan"}},
        },
    }
    result.update(overrides)
    return {key: value for key, value in result.items() if value is not None}


def voiding(target: str, **overrides) -> dict:
    return statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en": "voided"}},
        object={"objectType": "StatementRef", "id": target},
        **overrides,
    )
