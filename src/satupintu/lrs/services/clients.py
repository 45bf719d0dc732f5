"""Issuing and withdrawing the credentials of xAPI clients."""

import hashlib
import secrets
from typing import Any

from django.db import transaction

from satupintu.core.services import audit_record
from satupintu.lrs.models import LrsClient


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def lrs_client_create(
    *, name: str, can_write: bool = True, can_define: bool = True, actor: Any | None = None
) -> tuple[LrsClient, str]:
    """Issue credentials to a new client; returns the client and its secret, which is
    shown this once and kept only as a digest."""
    secret = secrets.token_urlsafe(32)
    key = secrets.token_hex(10)
    while LrsClient.objects.filter(key=key).exists():
        key = secrets.token_hex(10)
    client = LrsClient.objects.create(
        name=name.strip(),
        key=key,
        secret_hash=secret_digest(secret),
        can_write=can_write,
        can_define=can_define,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="lrs.client_created",
        target=client,
        details={"can_write": can_write, "can_define": can_define},
    )
    return client, secret


@transaction.atomic
def lrs_client_deactivate(*, client: LrsClient, actor: Any | None = None) -> LrsClient:
    """Withdraw a client's credentials: it is refused from the next request on. Its
    statements stay."""
    if client.is_active:
        client.is_active = False
        client.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action="lrs.client_deactivated", target=client)
    return client
