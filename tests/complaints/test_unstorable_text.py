"""Text that PostgreSQL cannot store (a NUL character, a lone surrogate) is refused where it
enters, with 400 and a message naming the field, and nothing is saved: in a JSON body, in a
form, in an address and in an API query. A page's query only reads, and its NULs are
dropped."""

import pytest

from satupintu.complaints.models import Complaint
from tests.complaints.factories import GUEST, url
from tests.complaints.test_api import REPORT
from tests.complaints.test_filing import form

pytestmark = pytest.mark.django_db


def post_json(client, body: str):
    return client.post("/api/v1/complaints", body, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"kind": "complaint", "title": "Loket\\u0000", "body": "Isi"}', "title"),
        ('{"kind": "complaint", "title": "Loket", "body": "Isi", "x\\u0000": 1}', "x"),
        ('{"kind": "complaint", "title": "Loket", "body": ["a", "b\\u0000"]}', "body[1]"),
    ],
)
def test_a_json_body_with_a_nul_is_refused_naming_the_field(client, people, body, field):
    response = post_json(client, body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["code"] == "bad_request"
    assert f"“{field}" in answer["detail"] and "NUL" in answer["detail"]
    assert not Complaint.objects.exists()


def test_a_lone_surrogate_is_refused(client, people):
    response = post_json(client, '{"kind": "complaint", "title": "\\ud800", "body": "Isi"}')
    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]
    assert not Complaint.objects.exists()


def test_a_body_that_is_not_json_says_so_in_the_client_s_language(client, people):
    response = client.post(
        "/api/v1/complaints",
        "{title",
        content_type="application/json",
        headers={"accept-language": "id"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert "bukan JSON yang sah" in response.json()["detail"]


def test_the_same_report_without_the_nul_is_filed(client, people):
    """The check refuses only the character: the report itself goes through."""
    import json

    response = post_json(client, json.dumps(REPORT))
    assert response.status_code == 201, response.content


def test_a_form_with_a_nul_is_refused_and_nothing_is_filed(client, people):
    response = client.post(url("file"), form(title="Loket\x00tutup", subject="", **GUEST))
    assert response.status_code == 400
    assert "title" in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("address", ["/api/v1/complaints/ADU-%00", "/pengaduan/lacak/%00/"])
def test_an_address_with_a_nul_is_refused(client, people, address):
    response = client.get(address)
    assert response.status_code == 400
    if address.startswith("/api/"):
        assert response.json()["code"] == "bad_request"
    else:
        assert "NUL" in response.content.decode()


def test_an_api_query_with_a_nul_is_refused_naming_the_parameter(client, people):
    response = client.get("/api/v1/services", {"q": "ak\x00ta"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request" and "“q”" in response.json()["detail"]


def test_a_page_s_query_drops_its_nuls_and_answers_as_without_them(client, people):
    """A page's query only reads: a stray NUL does not stop a search."""
    plain = client.get("/layanan/", {"q": "akta"})
    odd = client.get("/layanan/", {"q": "ak\x00ta\x00"})
    assert (plain.status_code, odd.status_code) == (200, 200)
    assert odd.context["query"] == "akta"
    assert odd.context["count"] == plain.context["count"] > 0
