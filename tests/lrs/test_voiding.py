"""Voiding (xAPI 1.0.3, Part Two, 2.3.2 and Part Three, 2.1.4): a statement with the verb
"voided" and a StatementRef object voids its target; a voided statement is fetched only by
voidedStatementId and never appears in query results, while the voiding statement does;
a voiding statement cannot be voided; a voiding statement may arrive before its target."""

import uuid

import pytest

from satupintu.lrs.models import Statement
from tests.lrs.factories import statement, voiding

pytestmark = pytest.mark.django_db


def ids_of(response) -> list[str]:
    return [item["id"] for item in response.json()["statements"]]


def test_a_voided_statement_is_fetched_only_by_voided_statement_id(xapi):
    target = statement()
    void = voiding(target["id"])
    xapi.post("statements", data=target)
    assert xapi.post("statements", data=void).status_code == 200
    assert xapi.get("statements", {"statementId": target["id"]}).status_code == 404
    response = xapi.get("statements", {"voidedStatementId": target["id"]})
    assert response.status_code == 200
    assert response.json()["id"] == target["id"]
    # The voiding statement itself is an ordinary statement.
    assert xapi.get("statements", {"statementId": void["id"]}).status_code == 200
    assert xapi.get("statements", {"voidedStatementId": void["id"]}).status_code == 404


def test_voided_statements_never_appear_in_results_but_the_voiding_one_does(xapi):
    target = statement()
    void = voiding(target["id"])
    xapi.post("statements", data=[target, void])
    assert ids_of(xapi.get("statements")) == [void["id"]]
    # The voiding statement targets a statement that matches the activity filter.
    found = ids_of(xapi.get("statements", {"activity": target["object"]["id"]}))
    assert found == [void["id"]]


def test_a_voiding_statement_cannot_be_voided(xapi):
    target = statement()
    void = voiding(target["id"])
    xapi.post("statements", data=[target, void])
    response = xapi.post("statements", data=voiding(void["id"]))
    assert response.status_code == 400
    assert "cannot be voided" in response.json()["detail"]
    in_one_batch = statement()
    first = voiding(in_one_batch["id"])
    response = xapi.post("statements", data=[in_one_batch, first, voiding(first["id"])])
    assert response.status_code == 400
    assert response.json()["detail"].startswith("statement[2].object.id")
    assert Statement.objects.count() == 2


def test_a_voiding_statement_that_arrives_first_voids_its_target_when_it_arrives(xapi):
    target = statement()
    xapi.post("statements", data=voiding(target["id"]))
    xapi.post("statements", data=target)
    assert Statement.objects.get(public_id=target["id"]).voided
    assert xapi.get("statements", {"statementId": target["id"]}).status_code == 404


def test_voiding_an_unknown_statement_is_accepted(xapi):
    response = xapi.post("statements", data=voiding(str(uuid.uuid4())))
    assert response.status_code == 200


def test_a_voiding_statement_needs_a_statement_ref(xapi):
    body = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"})
    response = xapi.post("statements", data=body)
    assert response.status_code == 400
    assert "StatementRef" in response.json()["detail"]
