"""The LRS's services for the platform's own modules (issue: "Our own modules write
statements too"): ``statements_store`` validates exactly like the Statement resource and
raises ``StatementError`` (a DomainError, 400) with the message, or a 409 for a changed
statement; without a client the platform is the authority; a read-only client may not
write; every write and every read of statements is one audit event that names the client,
the count and the ids, and no personal data."""

import hashlib
import json
import uuid

import pytest
from django.conf import settings

from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.lrs.models import Statement
from satupintu.lrs.services import lrs_client_create, statements_store
from satupintu.lrs.validation import StatementConflict, StatementError
from tests.lrs.factories import agent, statement

pytestmark = pytest.mark.django_db


def test_the_platform_stores_statements_as_its_own_authority():
    body = statement()
    assert statements_store(statements=[body]) == [body["id"]]
    payload = Statement.objects.get().payload
    assert payload["authority"] == {
        "objectType": "Agent",
        "account": {"homePage": settings.SATUPINTU_PUBLIC_URL, "name": "satupintu"},
    }


def test_invalid_statements_raise_a_domain_error_with_the_message():
    with pytest.raises(StatementError) as caught:
        statements_store(statements=[statement(), statement(verb={"id": "done"})])
    assert isinstance(caught.value, DomainError)
    assert caught.value.status == 400
    assert caught.value.detail == (
        "statement[1].verb.id: must be an absolute IRI with a scheme, such as http://example.org/x"
    )
    assert not Statement.objects.exists()
    with pytest.raises(StatementError):
        statements_store(statements={"actor": {}})


def test_a_changed_statement_is_a_conflict():
    body = statement()
    statements_store(statements=[body])
    with pytest.raises(StatementConflict) as caught:
        statements_store(statements=[{**body, "result": {"success": False}}])
    assert caught.value.status == 409


def test_a_read_only_client_may_not_store():
    client, _ = lrs_client_create(name="Dashboard", can_write=False)
    with pytest.raises(DomainError) as caught:
        statements_store(statements=[statement()], client=client)
    assert caught.value.status == 403


def test_attachments_are_given_by_digest(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = b"certificate"
    sha2 = hashlib.sha256(data).hexdigest()
    declared = {
        "usageType": "http://x.org/certificate",
        "display": {"en": "Certificate"},
        "contentType": "text/plain",
        "length": len(data),
        "sha2": sha2,
    }
    body = statement(attachments=[declared])
    with pytest.raises(StatementError):
        statements_store(statements=[body])
    assert statements_store(statements=[body], attachments={sha2: data}) == [body["id"]]


def test_writes_and_reads_are_audited_once_per_request_without_personal_data(xapi, lrs_client):
    bodies = [statement(), statement(actor=agent("budi"))]
    xapi.post("statements", data=bodies)
    xapi.get("statements", {"agent": agent("ani")})
    xapi.get("statements", {"statementId": bodies[1]["id"]})
    written = AuditEvent.objects.filter(action="lrs.statements_written").get()
    assert written.details == {
        "client": lrs_client.key,
        "count": 2,
        "statements": [body["id"] for body in bodies],
    }
    assert written.object_id == str(lrs_client.public_id)
    reads = list(AuditEvent.objects.filter(action="lrs.statements_read").order_by("id"))
    assert [event.details["count"] for event in reads] == [1, 1]
    assert reads[0].details["statements"] == [bodies[0]["id"]]
    everything = json.dumps([event.details for event in AuditEvent.objects.all()])
    assert "example.org" not in everything and "Ani" not in everything


def test_ids_are_assigned_when_missing():
    body = statement(id=None)
    (statement_id,) = statements_store(statements=[body])
    assert uuid.UUID(statement_id)
    assert "id" not in body  # the caller's dict is left alone
