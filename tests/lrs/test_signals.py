"""Other apps learn of stored statements (issue: "a completion statement credits the JP
ledger"): ``statement_stored`` is sent once per statement stored, only after the
transaction commits, with the statement as stored and the client; never for a statement
that was rolled back or that was already stored; a failing receiver does not undo the
statement."""

import pytest
from django.db import transaction

from satupintu.lrs.models import Statement
from satupintu.lrs.services import statements_store
from satupintu.lrs.signals import statement_stored
from tests.lrs.factories import statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, *, statement, client, **kwargs):
        calls.append((statement, client))

    statement_stored.connect(receiver, dispatch_uid="tests.lrs.received")
    yield calls
    statement_stored.disconnect(dispatch_uid="tests.lrs.received")


def test_sent_once_per_statement_after_commit(
    received, lrs_client, django_capture_on_commit_callbacks
):
    bodies = [statement(), statement()]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        statements_store(statements=bodies, client=lrs_client)
        assert received == []  # not before the commit
    for callback in callbacks:
        callback()
    assert [item["id"] for item, _ in received] == [body["id"] for body in bodies]
    assert all(client == lrs_client for _, client in received)
    stored = Statement.objects.get(public_id=bodies[0]["id"]).payload
    assert received[0][0] == stored


def test_not_sent_when_the_transaction_rolls_back(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                statements_store(statements=[statement()])
                raise RuntimeError("the caller's own work failed")
        except RuntimeError:
            pass
    assert received == []
    assert not Statement.objects.exists()


def test_not_sent_for_a_statement_already_stored(received, django_capture_on_commit_callbacks):
    body = statement()
    with django_capture_on_commit_callbacks(execute=True):
        statements_store(statements=[body])
    with django_capture_on_commit_callbacks(execute=True):
        statements_store(statements=[body])
    assert len(received) == 1
    assert received[0][1] is None  # the platform itself


def test_sent_for_statements_that_arrive_over_http(
    received, xapi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = xapi.post("statements", data=statement())
    assert response.status_code == 200
    assert [item["id"] for item, _ in received] == response.json()


def test_a_failing_receiver_is_logged_and_the_statement_stays(
    caplog, django_capture_on_commit_callbacks
):
    def broken(sender, **kwargs):
        raise ValueError("the ledger is down")

    statement_stored.connect(broken, dispatch_uid="tests.lrs.broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ids = statements_store(statements=[statement()])
    finally:
        statement_stored.disconnect(dispatch_uid="tests.lrs.broken")
    assert Statement.objects.filter(public_id=ids[0]).exists()
    assert "the ledger is down" in caplog.text
