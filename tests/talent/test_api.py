"""Competencies over the API (issue: Learn — competencies): the framework and dictionaries,
one competency with its levels, positions, the signed-in employee's profile with gaps and
JPM, and HR recording an assessment; citizens are refused, HR is scoped to its agency, and
errors keep the API's one shape."""

import datetime

import pytest
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.accounts.services import api_key_create
from satupintu.talent.models import Assessment
from tests.talent.factories import (
    CompetencyFactory,
    EmployeeFactory,
    UserFactory,
    agency,
    assess,
    place,
    position_with,
    role,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/learning"
YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def employee():
    employee = EmployeeFactory(agency=agency("dukcapil-surabaya"))
    place(employee, position_with({"integritas": 3, "komunikasi": 4}))
    assess(employee, "integritas", 3)
    assess(employee, "komunikasi", 2)
    return employee


@pytest.fixture
def hr():
    user = UserFactory()
    role(user, Role.HR, agency=agency("dukcapil-surabaya"))
    return user


def test_competencies_list_filters_and_pages(client, employee):
    technical = CompetencyFactory(agency=agency("dukcapil-surabaya"))
    client.force_login(employee.user)

    body = client.get(f"{BASE}/competencies", {"group": "managerial"}).json()
    assert len(body["items"]) == 8 and body["next"] is None
    assert body["items"][0]["group"] == "managerial"

    body = client.get(f"{BASE}/competencies", {"agency": "dukcapil-surabaya"}).json()
    assert [item["code"] for item in body["items"]] == [technical.code]
    assert body["items"][0]["agency"]["code"] == "dukcapil-surabaya"

    codes, url = [], f"{BASE}/competencies?limit=4"
    while url:
        page = client.get(url).json()
        codes += [item["code"] for item in page["items"]]
        url = page["next"]
    assert len(codes) == len(set(codes)) == 10
    assert codes[:8] == sorted(codes[:8])  # managerial first, by code

    bad = client.get(f"{BASE}/competencies", {"cursor": "!!"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")


def test_one_competency_with_levels(client, employee):
    client.force_login(employee.user)
    body = client.get(f"{BASE}/competencies/integritas").json()
    assert body["name"] == "Integritas"
    assert [level["level"] for level in body["levels"]] == [1, 2, 3, 4, 5]
    assert len(body["levels"][0]["indicators"]) >= 2

    english = client.get(f"{BASE}/competencies/integritas", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == "Integrity"

    missing = client.get(f"{BASE}/competencies/tidak-ada")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_my_competencies(client, employee):
    client.force_login(employee.user)
    body = client.get(f"{BASE}/me/competencies").json()
    assert body["placement"]["agency"]["code"] == "dukcapil-surabaya"
    # (3 + 2) / (3 + 4) = 71.43
    assert (body["jpm"], body["band"]) == ("71.43", "less_optimal")
    assert [(g["competency"]["code"], g["gap"], g["actual"]) for g in body["gaps"]] == [
        ("komunikasi", 2, 2),
        ("integritas", 0, 3),
    ]
    assert body["gaps"][0]["source"] == "entered"


def test_citizens_and_visitors_are_refused(client):
    assert client.get(f"{BASE}/me/competencies").status_code == 401
    assert client.get(f"{BASE}/competencies").json()["code"] == "unauthenticated"
    client.force_login(UserFactory())
    for path in ("/competencies", "/competencies/integritas", "/positions", "/me/competencies"):
        response = client.get(BASE + path)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), path


def test_an_agencys_system_reads_positions_with_its_key(client, employee):
    _, key = api_key_create(agency=agency("dukcapil-surabaya"), name="SIMPEG", actor=None)
    response = client.get(
        f"{BASE}/positions", {"agency": "dukcapil-surabaya"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 1
    assert {r["competency"]["code"]: r["level"] for r in items[0]["requirements"]} == {
        "integritas": 3,
        "komunikasi": 4,
    }


def test_positions_page_by_keyset(client, employee):
    for _ in range(3):
        position_with({"integritas": 2}, agency_code="dinsos-surabaya")
    client.force_login(employee.user)
    seen, url = [], f"{BASE}/positions?limit=2"
    while url:
        page = client.get(url).json()
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 4


def test_positions_read_a_fixed_number_of_queries(client, employee, django_assert_max_num_queries):
    for _ in range(6):
        position_with({"integritas": 2, "komunikasi": 3}, agency_code="dinkes-surabaya")
    client.force_login(employee.user)
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{BASE}/positions?limit=50").json()["items"]) == 7


def test_hr_records_an_assessment(client, hr, employee):
    client.force_login(hr)
    response = client.post(
        f"{BASE}/assessments",
        {"nip": employee.nip, "competency": "komunikasi", "level": 4, "assessed_on": YESTERDAY},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["level"], body["source"], body["nip"]) == (4, "entered", employee.nip)
    assert Assessment.objects.filter(public_id=body["id"], assessor=hr).exists()


def test_assessment_errors_keep_one_shape(client, hr, employee):
    outsider = EmployeeFactory(agency=agency("dinsos-surabaya"))
    client.force_login(hr)

    def post(**changes):
        payload = {
            "nip": employee.nip,
            "competency": "komunikasi",
            "level": 3,
            "assessed_on": YESTERDAY,
            **changes,
        }
        return client.post(f"{BASE}/assessments", payload, content_type="application/json")

    response = post(level=7)
    assert (response.status_code, response.json()["errors"][0]["path"]) == (422, "level")
    assert post(nip=outsider.nip).status_code == 404
    assert post(competency="tidak-ada").json()["code"] == "unknown_competency"
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    assert (post(assessed_on=future).json()["code"]) == "future_date"
    assert post(source="quiz").status_code == 422
    assert not Assessment.objects.filter(employee=outsider).exists()


def test_only_hr_records_assessments(client, employee):
    client.force_login(employee.user)
    response = client.post(
        f"{BASE}/assessments",
        {"nip": employee.nip, "competency": "komunikasi", "level": 5, "assessed_on": YESTERDAY},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Assessment.objects.filter(employee=employee, level=5).exists()
