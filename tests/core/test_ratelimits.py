"""Requirement: rate limits on sign-in, sending applications, filing complaints and
answering surveys (issue "security hardening").

Each limit counts per client address and per person; over it, pages answer a friendly 429
page and the API its error shape with ``code: rate_limited``; both say when to try again
(``Retry-After``). Reading a page never counts, and the limits can be turned off.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from satupintu.core.ratelimits import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "kopi-tubruk-pagi-hari"
SURVEY_ANSWER = {"answers": {"U1": 4}, "profile": {}}


@pytest.fixture(autouse=True)
def limits(settings):
    """Small limits, switched on, with counts that start from zero."""
    settings.SATUPINTU_RATELIMITS_ENABLED = True
    settings.SATUPINTU_RATELIMITS = {
        "login": {"ip": "3/m", "user": "100/m"},
        "submission": {"ip": "100/m", "user": "2/m"},
        "complaint": {"ip": "2/m", "user": ""},
        "survey": {"ip": "100/m", "user": "2/m"},
    }
    cache.clear()
    yield settings.SATUPINTU_RATELIMITS
    cache.clear()


def sign_in(client: Client, number: int, address: str = "10.0.0.1"):
    return client.post(
        "/en/akun/masuk/",
        {"username": f"person{number}@contoh.id", "password": "not-the-password"},
        REMOTE_ADDR=address,
    )


def test_sign_in_attempts_over_the_limit_get_the_429_page(client):
    statuses = [sign_in(client, number).status_code for number in range(3)]
    assert statuses == [200, 200, 200]

    refused = sign_in(client, 4)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many attempts" in refused.content.decode()
    # Reading the page does not count, and another address is not affected.
    assert client.get("/en/akun/masuk/").status_code == 200
    assert sign_in(client, 5, address="10.0.0.2").status_code == 200


def test_limits_are_off_when_the_setting_says_so(client, settings):
    settings.SATUPINTU_RATELIMITS_ENABLED = False
    assert {sign_in(client, number).status_code for number in range(6)} == {200}


def test_the_api_answers_429_in_its_error_shape_per_survey_token(client):
    def answer(token: str, address: str):
        return client.post(
            f"/api/v1/surveys/{token}",
            json.dumps(SURVEY_ANSWER),
            content_type="application/json",
            REMOTE_ADDR=address,
        )

    # The same token from different addresses: the per-token limit (2/m) applies.
    first = [answer("t" * 40, f"10.0.1.{n}").status_code for n in range(2)]
    assert 429 not in first

    refused = answer("t" * 40, "10.0.1.9")

    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["detail"]
    assert int(refused["Retry-After"]) >= 1
    # Another token is counted apart.
    assert answer("u" * 40, "10.0.1.9").status_code != 429


def test_sending_applications_is_limited_per_person_across_addresses(client):
    user = get_user_model().objects.create_user(
        username="warga.kilat", email="warga.kilat@contoh.id", password=PASSWORD
    )
    client.force_login(user)

    def send(address: str):
        return client.post(
            "/api/v1/submissions",
            json.dumps({"service": "no-such-service", "answers": {}}),
            content_type="application/json",
            REMOTE_ADDR=address,
        )

    assert [send(f"10.0.2.{n}").status_code for n in range(2)] == [422, 422]
    refused = send("10.0.2.7")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"

    # Somebody else is not affected.
    other = get_user_model().objects.create_user(
        username="warga.lain", email="warga.lain@contoh.id", password=PASSWORD
    )
    client.force_login(other)
    assert send("10.0.2.7").status_code == 422


def test_filing_complaints_on_the_page_is_limited_per_address(client):
    assert [client.post("/en/pengaduan/", {"title": "x"}).status_code for _ in range(2)] == [
        400,
        400,
    ]
    refused = client.post("/en/pengaduan/", {"title": "x"})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert client.get("/en/pengaduan/").status_code == 200


def test_the_complaint_api_is_limited_too(client):
    def file():
        return client.post("/api/v1/complaints", "{}", content_type="application/json")

    # Input that does not validate never reaches the operation, so it is not counted; a
    # well-formed report is.
    report = {"kind": "complaint", "title": "Antrean", "body": "Lama sekali.", "anonymous": True}
    statuses = [
        client.post(
            "/api/v1/complaints", json.dumps(report), content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429
    assert file().status_code in (400, 422)


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("203.0.113.9", 0, "127.0.0.1"),
        ("198.51.100.1, 203.0.113.9", 1, "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", 2, "198.51.100.1"),
        ("", 1, "127.0.0.1"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    rf, settings, forwarded, proxies, expected
):
    settings.SATUPINTU_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == expected


def test_every_rate_limited_operation_documents_429():
    from satupintu.api import api

    schema = api.get_openapi_schema()
    documented = {
        operation["operationId"]: operation["responses"]
        for path_item in schema["paths"].values()
        for operation in path_item.values()
    }
    limited = [
        api.get_openapi_operation_id(operation)
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        if getattr(operation.view_func, "rate_limit_group", None)
    ]
    assert len(limited) >= 4  # applications (two), complaints, survey answers
    assert [name for name in limited if 429 not in documented[name]] == []
