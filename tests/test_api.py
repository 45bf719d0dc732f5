"""The JSON API (issue: foundation): services, agencies and life events; lists answer
`{"items", "next"}`; every error answers `{"detail", "code"}` with the right status."""

import pytest

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code"}
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]


def test_openapi_schema_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/services",
        "/api/v1/services/{code}",
        "/api/v1/agencies",
        "/api/v1/life-events",
        "/api/v1/life-events/{code}",
    ):
        assert path in paths


def test_docs_page_needs_no_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content and b"unpkg" not in response.content


def test_services_are_listed_page_by_page(client):
    seen, url, pages = [], "/api/v1/services?limit=25", 0
    while url:
        body = client.get(url).json()
        seen += [item["code"] for item in body["items"]]
        url, pages = body["next"], pages + 1
        assert pages < 10
    assert len(seen) == len(set(seen)) >= 60
    assert seen == sorted(seen)
    assert pages >= 3


def test_service_item_shape(client):
    item = client.get("/api/v1/services?agency=dukcapil-surabaya").json()["items"][0]
    assert set(item) >= {"code", "name", "agency", "summary", "categories", "url"}
    assert item["agency"]["code"] == "dukcapil-surabaya"


def test_search_ranks_by_relevance(client):
    items = client.get("/api/v1/services", {"q": "akta kelahiran"}).json()["items"]
    assert items[0]["code"] == "dukcapil-surabaya.akta-kelahiran"


def test_filters_combine(client):
    items = client.get(
        "/api/v1/services", {"agency": "dukcapil-surabaya", "category": "keluarga"}
    ).json()["items"]
    assert items
    assert all(
        item["agency"]["code"] == "dukcapil-surabaya" and "keluarga" in item["categories"]
        for item in items
    )
    by_event = client.get("/api/v1/services", {"life_event": "kelahiran"}).json()["items"]
    assert "dukcapil-surabaya.akta-kelahiran" in {item["code"] for item in by_event}


def test_language_follows_accept_language(client):
    code = "dukcapil-surabaya.akta-kelahiran"
    indonesian = client.get(f"/api/v1/services/{code}").json()
    english = client.get(f"/api/v1/services/{code}", headers={"accept-language": "en"}).json()
    assert indonesian["name"] == indonesian["definition"]["name"]["id"]
    assert english["name"] == english["definition"]["name"]["en"]


def test_service_detail_has_the_whole_definition(client):
    body = client.get("/api/v1/services/dukcapil-surabaya.akta-kelahiran").json()
    assert body["version"]["number"] >= 1
    for component in (
        "requirements",
        "procedure",
        "deadline",
        "fee",
        "product",
        "complaints",
        "standard",
    ):
        assert component in body["definition"]


def test_agencies_and_life_events(client):
    agencies = client.get("/api/v1/agencies").json()
    assert len(agencies["items"]) >= 15 and agencies["next"] is None
    events = client.get("/api/v1/life-events").json()["items"]
    assert {
        "kelahiran",
        "pernikahan",
        "masuk-sekolah",
        "pindah-rumah",
        "kematian",
        "memulai-usaha",
    } <= {event["code"] for event in events}
    event = client.get("/api/v1/life-events/kelahiran").json()
    assert any(
        entry["service"] == "dukcapil-surabaya.akta-kelahiran" for entry in event["services"]
    )


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/services/dukcapil-surabaya.tidak-ada", 404, "not_found"),
        ("/api/v1/life-events/tidak-ada", 404, "not_found"),
        ("/api/v1/no-such-thing", 404, "not_found"),
        ("/api/v1/services?limit=0", 422, "invalid"),
        ("/api/v1/services?limit=abc", 422, "invalid"),
        ("/api/v1/services?cursor=%%%", 400, "invalid_cursor"),
    ],
)
def test_errors_have_one_shape(client, url, status, code):
    assert_error(client.get(url), status, code)


def test_wrong_method_has_the_error_shape(client):
    response = client.post("/api/v1/services", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "query", ["", " ", "x" * 10_000, "' OR 1=1 --", "<script>alert(1)</script>", "🙂🙂", "%_\\"]
)
def test_odd_queries_answer_normally(client, query):
    response = client.get("/api/v1/services", {"q": query})
    assert response.status_code == 200
    assert "items" in response.json()


def test_validation_errors_name_the_field(client):
    body = client.get("/api/v1/services?limit=1000").json()
    assert body["errors"][0]["path"] == "limit"
