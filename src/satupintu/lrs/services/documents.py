"""Writing the documents of the State, Activity Profile and Agent Profile resources, with
their concurrency rules (xAPI 1.0.3, Part Three, 2.2 and 3.1)."""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from satupintu.core.errors import Conflict, DomainError
from satupintu.core.services import audit_record
from satupintu.lrs.constants import DocumentKind
from satupintu.lrs.models import Document, LrsClient
from satupintu.lrs.multipart import content_type_parameters
from satupintu.lrs.services.statements import client_may_write
from satupintu.lrs.validation import StatementError

DEFAULT_CONTENT_TYPE = "application/octet-stream"


class PreconditionFailed(DomainError):
    status = 412

    def __init__(self, detail: str):
        super().__init__(detail, code="precondition_failed")


@dataclass(frozen=True)
class DocumentAddress:
    """Where a document lives: its kind, the activity and agent (key) it belongs to, its
    registration (empty for none) and its id."""

    kind: str
    document_id: str
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""

    def lookup(self) -> dict:
        return {
            "kind": self.kind,
            "activity_id": self.activity_id,
            "agent_key": self.agent_key,
            "registration": self.registration,
            "document_id": self.document_id,
        }


def etag_of(content: bytes) -> str:
    """The SHA-1 of a document's content in lowercase hexadecimal, as the specification
    asks ETags to be computed."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _tags(header: str) -> set[str]:
    tags = set()
    for item in header.split(","):
        item = item.strip()
        if item.startswith("W/"):
            item = item[2:]
        tags.add(item.strip('"'))
    return tags


def _preconditions(
    document: Document | None, *, if_match: str | None, if_none_match: str | None
) -> None:
    if if_match is not None:
        if document is None:
            raise PreconditionFailed(
                "If-Match: there is no such document; it may have been deleted."
            )
        if if_match.strip() != "*" and document.etag not in _tags(if_match):
            raise PreconditionFailed(
                "If-Match: the document has changed since that ETag; fetch it again."
            )
    if (
        if_none_match is not None
        and document is not None
        and (if_none_match.strip() == "*" or document.etag in _tags(if_none_match))
    ):
        raise PreconditionFailed("If-None-Match: the document already exists.")


def _locked(address: DocumentAddress) -> Document | None:
    return Document.objects.select_for_update().filter(**address.lookup()).first()


def _save(
    address: DocumentAddress, document: Document | None, content: bytes, content_type: str
) -> Document:
    if document is None:
        document = Document(**address.lookup())
    document.content = content
    document.content_type = content_type[:255] or DEFAULT_CONTENT_TYPE
    document.etag = etag_of(content)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise PreconditionFailed(
            "Another request created this document at the same moment; fetch it and try again."
        ) from error
    return document


def _audit(action: str, client: LrsClient | None, kind: str, count: int) -> None:
    audit_record(
        actor=None,
        action=action,
        object_type="lrs.lrsclient",
        object_id=str(client.public_id) if client else "platform",
        details={"client": client.key if client else "platform", "kind": kind, "count": count},
    )


def _is_json(content_type: str) -> bool:
    return content_type_parameters(content_type)[0] == "application/json"


def _json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise StatementError(f"{what}: is not a JSON object, so it cannot be merged")
    return value


@transaction.atomic
def document_put(
    *,
    address: DocumentAddress,
    content: bytes,
    content_type: str,
    if_match: str | None = None,
    if_none_match: str | None = None,
    client: LrsClient | None = None,
) -> Document:
    """Store a document, replacing the one at the address. A profile document that exists
    is only replaced with If-Match or If-None-Match, so that no client overwrites a change
    it has not seen (409 otherwise); a failed precondition is a 412."""
    client_may_write(client)
    document = _locked(address)
    _preconditions(document, if_match=if_match, if_none_match=if_none_match)
    if (
        document is not None
        and address.kind != DocumentKind.STATE
        and if_match is None
        and if_none_match is None
    ):
        raise Conflict(
            "The document already exists. Check its current state (GET it), then send the "
            "PUT again with the header If-Match set to its ETag."
        )
    document = _save(address, document, content, content_type)
    _audit("lrs.document_written", client, address.kind, 1)
    return document


@transaction.atomic
def document_post(
    *,
    address: DocumentAddress,
    content: bytes,
    content_type: str,
    if_match: str | None = None,
    if_none_match: str | None = None,
    client: LrsClient | None = None,
) -> Document:
    """Store a document, or merge a JSON object into the JSON object stored at the address
    (its top-level properties replace those of the stored one)."""
    client_may_write(client)
    document = _locked(address)
    _preconditions(document, if_match=if_match, if_none_match=if_none_match)
    if _is_json(content_type):
        posted = _json_object(content, "document")
    if document is not None:
        if not (_is_json(content_type) and _is_json(document.content_type)):
            raise StatementError(
                "Content-Type: a document is merged only when both the stored and the posted "
                "document are application/json; use PUT to replace it"
            )
        stored = _json_object(bytes(document.content), "stored document")
        content = json.dumps({**stored, **posted}, ensure_ascii=False).encode("utf-8")
    document = _save(address, document, content, content_type)
    _audit("lrs.document_written", client, address.kind, 1)
    return document


@transaction.atomic
def document_delete(
    *, address: DocumentAddress, if_match: str | None = None, client: LrsClient | None = None
) -> None:
    """Delete one document (deleting one that is not there succeeds too)."""
    client_may_write(client)
    document = _locked(address)
    _preconditions(document, if_match=if_match, if_none_match=None)
    if document is not None:
        document.delete()
    _audit("lrs.document_deleted", client, address.kind, 1 if document else 0)


@transaction.atomic
def states_delete(
    *,
    activity_id: str,
    agent_key: str,
    registration: str | None = None,
    client: LrsClient | None = None,
) -> int:
    """Delete every state document of an activity and agent (and registration, when one
    is given)."""
    client_may_write(client)
    documents = Document.objects.filter(
        kind=DocumentKind.STATE, activity_id=activity_id, agent_key=agent_key
    )
    if registration is not None:
        documents = documents.filter(registration=registration)
    count, _ = documents.delete()
    _audit("lrs.document_deleted", client, DocumentKind.STATE, count)
    return count
