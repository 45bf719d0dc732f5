"""The Statement resource stores statements (xAPI 1.0.3, Part Three, 2.1): PUT with a
statementId answers 204, POST of one statement or an array answers 200 with the ids, a
batch is stored whole or not at all, the LRS sets id, stored, timestamp, authority and
version, and a statement sent again is accepted when it is the same and refused with 409
when it is not."""

import uuid

import pytest
from django.conf import settings

from satupintu.lrs.models import Statement, StatementActivity, StatementAgent
from tests.lrs.factories import agent, statement

pytestmark = pytest.mark.django_db


def test_put_stores_a_statement_and_answers_204(xapi, lrs_client):
    body = statement()
    body.pop("id")
    statement_id = str(uuid.uuid4())
    response = xapi.put("statements", {"statementId": statement_id}, data=body)
    assert response.status_code == 204, response.content
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert "X-Experience-API-Consistent-Through" in response
    stored = Statement.objects.get(public_id=statement_id)
    assert stored.payload["id"] == statement_id
    assert stored.client == lrs_client


def test_put_with_an_id_that_differs_from_statement_id_is_refused(xapi):
    response = xapi.put("statements", {"statementId": str(uuid.uuid4())}, data=statement())
    assert response.status_code == 400
    assert "statementId" in response.json()["detail"]
    assert not Statement.objects.exists()


def test_put_needs_statement_id(xapi):
    response = xapi.put("statements", data=statement())
    assert response.status_code == 400
    assert response.json()["detail"].startswith("statementId:")


def test_put_of_an_array_is_refused(xapi):
    response = xapi.put("statements", {"statementId": str(uuid.uuid4())}, data=[statement()])
    assert response.status_code == 400


def test_post_of_one_statement_answers_its_id(xapi):
    body = statement()
    response = xapi.post("statements", data=body)
    assert response.status_code == 200, response.content
    assert response.json() == [body["id"]]


def test_post_of_an_array_answers_the_ids_in_order_and_assigns_missing_ones(xapi):
    first, second = statement(), statement(id=None)
    response = xapi.post("statements", data=[first, second])
    assert response.status_code == 200, response.content
    ids = response.json()
    assert ids[0] == first["id"]
    assert uuid.UUID(ids[1])
    assert Statement.objects.count() == 2


def test_the_lrs_sets_stored_timestamp_authority_and_version(xapi, lrs_client):
    body = statement(authority=agent("impostor"), stored="2001-01-01T00:00:00Z", version="1.0.0")
    xapi.post("statements", data=body)
    payload = Statement.objects.get().payload
    assert payload["authority"] == {
        "objectType": "Agent",
        "account": {"homePage": settings.SATUPINTU_PUBLIC_URL, "name": lrs_client.key},
    }
    assert payload["stored"] != "2001-01-01T00:00:00Z"
    assert payload["stored"].endswith("Z")
    assert payload["timestamp"] == payload["stored"]
    assert payload["version"] == "1.0.0"


def test_a_missing_version_becomes_1_0_0_and_a_given_1_0_x_is_kept(xapi):
    xapi.post("statements", data=[statement(id=None), statement(id=None, version="1.0.3")])
    versions = sorted(row.payload["version"] for row in Statement.objects.all())
    assert versions == ["1.0.0", "1.0.3"]


def test_a_given_timestamp_is_kept(xapi):
    body = statement(timestamp="2024-05-01T08:30:00.123+07:00")
    xapi.post("statements", data=body)
    assert Statement.objects.get().payload["timestamp"] == "2024-05-01T08:30:00.123+07:00"


def test_context_activities_given_as_one_object_are_stored_as_lists(xapi):
    parent = {"id": "https://satupintu.example/programmes/latsar"}
    body = statement(context={"contextActivities": {"parent": parent}})
    xapi.post("statements", data=body)
    stored = Statement.objects.get().payload
    assert stored["context"]["contextActivities"]["parent"] == [parent]


def test_one_bad_statement_stores_none_of_the_batch(xapi):
    bad = statement(actor={"mbox": "ani@example.org"})
    response = xapi.post("statements", data=[statement(), bad])
    assert response.status_code == 400
    assert response.json()["detail"] == 'statement[1].actor.mbox: must be a "mailto:" IRI'
    assert not Statement.objects.exists()
    assert not StatementAgent.objects.exists()


def test_two_statements_with_the_same_id_in_one_batch_are_refused(xapi):
    body = statement()
    response = xapi.post("statements", data=[body, {**body, "verb": {"id": "http://x.org/v"}}])
    assert response.status_code == 400
    assert "statement[1].id" in response.json()["detail"]
    assert not Statement.objects.exists()


def test_the_same_statement_again_is_accepted_and_changes_nothing(xapi):
    body = statement()
    xapi.post("statements", data=body)
    stored = Statement.objects.get().payload
    # The same statement, with a different serialisation of what does not count.
    again = {
        **body,
        "verb": {"id": body["verb"]["id"]},
        "actor": {**body["actor"], "mbox": "mailto:ani@EXAMPLE.org"},
    }
    response = xapi.put("statements", {"statementId": body["id"]}, data=again)
    assert response.status_code == 204
    response = xapi.post("statements", data=again)
    assert response.status_code == 200
    assert response.json() == [body["id"]]
    assert Statement.objects.get().payload == stored


def test_a_different_statement_with_a_stored_id_is_a_conflict(xapi):
    body = statement()
    xapi.post("statements", data=body)
    changed = {**body, "result": {"completion": False}}
    response = xapi.put("statements", {"statementId": body["id"]}, data=changed)
    assert response.status_code == 409
    response = xapi.post("statements", data=[statement(), changed])
    assert response.status_code == 409
    assert Statement.objects.count() == 1


def test_the_derived_rows_name_every_agent_and_activity(xapi):
    body = statement(
        context={
            "instructor": agent("budi"),
            "contextActivities": {"grouping": [{"id": "https://satupintu.example/p"}]},
        }
    )
    xapi.post("statements", data=body)
    relations = set(StatementAgent.objects.values_list("relation", flat=True))
    assert relations == {"actor", "instructor", "authority"}
    activities = set(StatementActivity.objects.values_list("relation", "activity_id"))
    assert activities == {
        ("object", "https://satupintu.example/courses/etika"),
        ("grouping", "https://satupintu.example/p"),
    }


def test_get_by_statement_id_returns_the_statement_exactly(xapi):
    body = statement()
    xapi.post("statements", data=body)
    response = xapi.get("statements", {"statementId": body["id"]})
    assert response.status_code == 200
    assert response.json() == Statement.objects.get().payload
    assert response["Last-Modified"]
    assert response["ETag"].startswith('"')
    assert "X-Experience-API-Consistent-Through" in response


def test_get_of_an_unknown_statement_is_404(xapi):
    response = xapi.get("statements", {"statementId": str(uuid.uuid4())})
    assert response.status_code == 404


def test_statement_id_cannot_be_combined_with_filters(xapi):
    body = statement()
    xapi.post("statements", data=body)
    response = xapi.get("statements", {"statementId": body["id"], "verb": "http://x.org/v"})
    assert response.status_code == 400
    both = {"statementId": body["id"], "voidedStatementId": body["id"]}
    assert xapi.get("statements", both).status_code == 400
    ok = xapi.get("statements", {"statementId": body["id"], "format": "ids"})
    assert ok.status_code == 200


def test_an_empty_or_non_json_body_is_refused(xapi):
    assert xapi.post("statements", body=b"").status_code == 400
    response = xapi.post("statements", body=b"{not json")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    response = xapi.post("statements", body=b"<x/>", content_type="text/xml")
    assert response.status_code == 400
