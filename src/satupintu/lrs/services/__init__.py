"""Every write of the Learning Record Store: statements, documents and clients."""

from satupintu.lrs.services.clients import lrs_client_create, lrs_client_deactivate
from satupintu.lrs.services.documents import (
    DocumentAddress,
    PreconditionFailed,
    document_delete,
    document_post,
    document_put,
    states_delete,
)
from satupintu.lrs.services.statements import (
    client_may_write,
    statements_read_record,
    statements_store,
)

__all__ = [
    "DocumentAddress",
    "PreconditionFailed",
    "client_may_write",
    "document_delete",
    "document_post",
    "document_put",
    "lrs_client_create",
    "lrs_client_deactivate",
    "statements_read_record",
    "statements_store",
    "states_delete",
]
