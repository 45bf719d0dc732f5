"""What every xAPI request shares (xAPI 1.0.3, Part Three): HTTP Basic credentials issued
per client (401 without them or with wrong ones or a deactivated client, 403 for a
read-only client that writes), the X-Experience-API-Version header on every request
(except About) and every answer, the alternate request syntax, unknown parameters, 405
with Allow, the size limit (413), HEAD, unknown resources, and cross-origin calls."""

import base64
import json
import uuid
from urllib.parse import urlencode

import pytest

from satupintu.lrs.models import Statement
from satupintu.lrs.services import lrs_client_deactivate
from tests.lrs.factories import Xapi, agent, basic, statement

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_with_a_challenge(db):
    response = Xapi(None).get("statements")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="xapi"'
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert Xapi("Basic Og==").get("statements").status_code == 401  # empty credentials
    assert Xapi("Bearer abc").get("statements").status_code == 401
    assert Xapi("Basic !!!").get("statements").status_code == 401


def test_a_wrong_secret_is_401(credentials):
    client, _ = credentials
    response = Xapi(basic(client.key, "guess")).get("statements")
    assert response.status_code == 401
    assert "refused" in response.json()["detail"]
    assert Xapi(basic("nobody", "guess")).get("statements").status_code == 401


def test_a_deactivated_client_is_refused(credentials):
    client, secret = credentials
    caller = Xapi(basic(client.key, secret))
    assert caller.get("statements").status_code == 200
    lrs_client_deactivate(client=client)
    assert caller.get("statements").status_code == 401


def test_a_read_only_client_may_read_but_not_write(reader):
    assert reader.get("statements").status_code == 200
    response = reader.post("statements", data=statement())
    assert response.status_code == 403
    assert not Statement.objects.exists()
    params = {"activityId": "http://x.org/a", "agent": agent(), "stateId": "s"}
    assert reader.put("activities/state", params, data={}).status_code == 403
    assert reader.delete("activities/state", params).status_code == 403
    assert reader.get("activities/state", params).status_code == 404


def test_the_version_header_is_required_and_checked(credentials):
    client, secret = credentials
    for version, status in [(None, 400), ("0.95", 400), ("1.1.0", 400), ("2.0.0", 400)]:
        response = Xapi(basic(client.key, secret), version=version).get("statements")
        assert response.status_code == status, version
        assert "X-Experience-API-Version" in response.json()["detail"]
        assert response["X-Experience-API-Version"] == "1.0.3"
    for version in ("1.0", "1.0.0", "1.0.3", "1.0.9"):
        response = Xapi(basic(client.key, secret), version=version).get("statements")
        assert response.status_code == 200, version


def test_unknown_parameters_are_refused(xapi):
    response = xapi.get("statements", {"colour": "blue"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("colour:")
    assert (
        xapi.post("statements", {"statementId": str(uuid.uuid4())}, data=statement()).status_code
        == 400
    )


def test_a_method_a_resource_does_not_have_is_405_with_allow(xapi):
    response = xapi.delete("statements")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST, PUT"
    response = xapi.request("PATCH", "activities/state")
    assert response.status_code == 405
    assert xapi.post("about").status_code == 405


def test_head_answers_the_headers_of_get_without_the_body(xapi):
    body = statement()
    xapi.post("statements", data=body)
    response = xapi.request("HEAD", "statements", {"statementId": body["id"]})
    assert response.status_code == 200
    assert response.content == b""
    assert response["Last-Modified"]
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_too_large_a_request_is_413(xapi, settings):
    settings.SATUPINTU_LRS_MAX_REQUEST_MB = 0.001
    big = statement(result={"response": "x" * 2000})
    response = xapi.post("statements", data=big)
    assert response.status_code == 413
    assert "larger than this LRS accepts" in response.json()["detail"]
    assert not Statement.objects.exists()


def test_a_request_larger_than_djangos_own_limit_but_within_the_lrs_limit(xapi, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = statement(result={"response": "x" * 5000})
    assert xapi.post("statements", data=big).status_code == 200


def test_unknown_resources_are_404_with_the_version(xapi):
    response = xapi.get("statement")
    assert response.status_code == 404
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert xapi.get("statements/").status_code == 200  # a trailing slash is fine


def test_no_csrf_token_is_needed(credentials):
    from django.test import Client

    client, secret = credentials
    http = Client(enforce_csrf_checks=True)
    response = http.post(
        "/xapi/statements",
        data=json.dumps(statement()),
        content_type="application/json",
        headers={"Authorization": basic(client.key, secret), "X-Experience-API-Version": "1.0.3"},
    )
    assert response.status_code == 200


# Alternate request syntax --------------------------------------------------------------


def alternate(xapi, resource: str, method: str, form: dict, query: dict | None = None):
    credentials = xapi.credentials
    caller = Xapi(None, version=None)
    url = f"/xapi/{resource}?" + urlencode({"method": method, **(query or {})})
    fields = {
        "Authorization": credentials,
        "X-Experience-API-Version": "1.0.3",
        **{k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in form.items()},
    }
    return caller.http.post(
        url, data=urlencode(fields), content_type="application/x-www-form-urlencoded"
    )


def test_alternate_syntax_put_and_get(xapi):
    body = statement()
    response = alternate(
        xapi,
        "statements",
        "PUT",
        {"statementId": body["id"], "Content-Type": "application/json", "content": body},
    )
    assert response.status_code == 204, response.content
    response = alternate(xapi, "statements", "GET", {"statementId": body["id"]})
    assert response.status_code == 200
    assert response.json()["id"] == body["id"]
    response = alternate(xapi, "statements", "GET", {"agent": agent(), "limit": "1"})
    assert [item["id"] for item in response.json()["statements"]] == [body["id"]]


def test_alternate_syntax_for_documents(xapi):
    params = {"activityId": "http://x.org/a", "agent": agent(), "stateId": "s"}
    response = alternate(
        xapi,
        "activities/state",
        "PUT",
        {**params, "Content-Type": "application/json", "content": {"a": 1}},
    )
    assert response.status_code == 204
    assert alternate(xapi, "activities/state", "GET", params).json() == {"a": 1}
    assert alternate(xapi, "activities/state", "DELETE", params).status_code == 204
    assert alternate(xapi, "activities/state", "GET", params).status_code == 404


def test_alternate_syntax_rules(xapi):
    # Other query parameters belong in the form.
    response = alternate(xapi, "statements", "GET", {}, query={"limit": "1"})
    assert response.status_code == 400
    assert alternate(xapi, "statements", "PATCH", {}).status_code == 400
    # The credentials in the form are the credentials.
    caller = Xapi(None, version=None)
    fields = urlencode({"X-Experience-API-Version": "1.0.3"})
    response = caller.http.post(
        "/xapi/statements?method=GET", data=fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 401
    # A form-encoded POST without the method parameter is refused.
    plain = xapi.post("statements", body="a=1", content_type="application/x-www-form-urlencoded")
    assert plain.status_code == 400
    assert "method" in plain.json()["detail"]


def test_basic_credentials_are_checked_even_in_odd_encodings(credentials):
    client, secret = credentials
    token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    assert Xapi(f"basic {token}").get("statements").status_code == 200


# Cross-origin --------------------------------------------------------------------------


def test_cross_origin_calls_from_allowed_origins(xapi, settings, client):
    origin = "https://content.example.org"
    assert "Access-Control-Allow-Origin" not in xapi.get("statements", headers={"Origin": origin})
    settings.SATUPINTU_LRS_CORS_ORIGINS = [origin]
    response = xapi.get("statements", headers={"Origin": origin})
    assert response["Access-Control-Allow-Origin"] == origin
    assert "X-Experience-API-Consistent-Through" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/xapi/statements", headers={"Origin": origin})
    assert preflight.status_code == 204
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Allow-Origin"] == origin
