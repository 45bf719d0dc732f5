"""Writes of the core app: the audit trail."""

from typing import Any

from django.db import models, transaction

from satupintu.core.models import AuditEvent


# No savepoint of its own: inside a larger transaction the record and the change commit or
# roll back together, and two statements per record are saved.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    subject: Any | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail.

    Call it inside the transaction of the change it records, so that the change and its
    record commit or roll back together. ``target`` names the object; its public id (or
    primary key) is stored, never personal data. ``subject`` is the person whose data was
    read or changed.
    """
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(getattr(target, "public_id", None) or target.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        subject=subject,
        details=details or {},
    )
