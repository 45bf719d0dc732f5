"""Storing statements: the one way in, for the Statement resource and for the platform's
own modules alike."""

import datetime
import logging
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from satupintu.core.errors import Forbidden
from satupintu.core.services import audit_record
from satupintu.lrs import signals
from satupintu.lrs.constants import (
    SIGNATURE_CONTENT_TYPE,
    SIGNATURE_USAGE,
    STATEMENT_VERSION,
    VOIDED_VERB,
    ActivityRelation,
    AgentRelation,
)
from satupintu.lrs.equivalence import statements_equivalent
from satupintu.lrs.formats import format_timestamp
from satupintu.lrs.identifiers import agent_key, client_agent, identifier_of
from satupintu.lrs.models import (
    Activity,
    Agent,
    AttachmentPayload,
    LrsClient,
    Statement,
    StatementActivity,
    StatementAgent,
    StatementTarget,
    Verb,
)
from satupintu.lrs.multipart import content_type_parameters
from satupintu.lrs.signatures import signature_check
from satupintu.lrs.validation import (
    StatementConflict,
    StatementError,
    fail,
    parse_timestamp,
    statement_validate,
)

logger = logging.getLogger(__name__)

# How many names the LRS keeps for one agent (the Agents resource lists them).
AGENT_NAMES_KEPT = 10


def _client_label(client: LrsClient | None) -> str:
    return client.key if client is not None else "platform"


def client_may_write(client: LrsClient | None) -> None:
    """Refuse a client that may only read (or no longer may do anything)."""
    if client is not None and not (client.is_active and client.can_write):
        raise Forbidden(
            "These credentials may only read: ask the LRS's administrator for a client "
            "that may write."
        )


def _now() -> datetime.datetime:
    # Stored times are kept to the millisecond, the precision they are shown with, so that
    # "since" a statement's stored time never finds that statement again.
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


# Checks on the whole request -----------------------------------------------------------


def _check_ids(statements: list[dict]) -> None:
    seen: dict[str, int] = {}
    for index, statement in enumerate(statements):
        if "id" not in statement:
            continue
        key = statement["id"].lower()
        if key in seen:
            fail(
                f"statement[{index}].id",
                f"statement[{seen[key]}] in this request has the same id; ids must be unique",
            )
        seen[key] = index


def _check_attachments(statements: list[dict], payloads: dict[str, bytes]) -> set[str]:
    """Every attachment without a fileUrl must come with its data, every part of data must
    belong to an attachment, and signatures must be well formed. Returns the digests of
    the data to keep."""
    used: set[str] = set()
    for index, statement in enumerate(statements):
        for number, attachment in enumerate(statement.get("attachments", [])):
            where = f"statement[{index}].attachments[{number}]"
            sha2 = attachment["sha2"].lower()
            data = payloads.get(sha2)
            if data is not None:
                used.add(sha2)
            if attachment["usageType"] == SIGNATURE_USAGE:
                main, _ = content_type_parameters(attachment["contentType"])
                if main != SIGNATURE_CONTENT_TYPE:
                    fail(f"{where}.contentType", f"a signature must be {SIGNATURE_CONTENT_TYPE}")
                if data is None:
                    fail(
                        where,
                        "a signature must be sent with its data, in a part of a "
                        "multipart/mixed request",
                    )
                signature_check(statement=statement, jws=data, path=where)
            elif data is None and "fileUrl" not in attachment:
                fail(
                    where,
                    "has no fileUrl, so its data must be sent in a part of a multipart/mixed "
                    f"request with the header X-Experience-API-Hash: {sha2}",
                )
    for sha2 in payloads:
        if sha2 not in used:
            fail(
                "multipart body",
                f"the part with X-Experience-API-Hash {sha2} belongs to no attachment of the "
                "statements",
            )
    return used


# Derived rows --------------------------------------------------------------------------


def _agent_rows(statement: dict) -> list[tuple[str, str, dict]]:
    """``(relation, key, agent)`` of every agent and identified group in a statement; the
    members of a group count with the group's relation."""
    rows: list[tuple[str, str, dict]] = []

    def add(relation: str, agent: dict) -> None:
        key = agent_key(agent)
        if key:
            rows.append((relation, key, agent))
        for member in agent.get("member", []):
            add(relation, member)

    def body(part: dict, prefix: str) -> None:
        add(prefix + AgentRelation.ACTOR, part["actor"])
        obj = part["object"]
        if obj.get("objectType") in ("Agent", "Group"):
            add(prefix + AgentRelation.OBJECT, obj)
        context = part.get("context", {})
        for key in ("instructor", "team"):
            if key in context:
                add(prefix + key, context[key])

    body(statement, "")
    if statement["object"].get("objectType") == "SubStatement":
        body(statement["object"], "sub_")
    add(AgentRelation.AUTHORITY, statement["authority"])
    return rows


def _activity_rows(statement: dict) -> list[tuple[str, dict]]:
    rows: list[tuple[str, dict]] = []

    def body(part: dict, sub: bool) -> None:
        obj = part["object"]
        if obj.get("objectType", "Activity") == "Activity":
            rows.append((ActivityRelation.SUB_OBJECT if sub else ActivityRelation.OBJECT, obj))
        for key, items in part.get("context", {}).get("contextActivities", {}).items():
            for item in items:
                rows.append((ActivityRelation.SUB_CONTEXT if sub else key, item))

    body(statement, False)
    if statement["object"].get("objectType") == "SubStatement":
        body(statement["object"], True)
    return rows


def _closures(new: dict[str, str], stored: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every statement each new statement targets through a chain of StatementRefs.
    ``new`` maps the id of each new statement with a StatementRef object to its target;
    ``stored`` holds the chains already known for stored targets."""
    result: dict[str, set[str]] = {}
    for start in new:
        chain: set[str] = set()
        current = start
        while current in new and new[current] not in chain:
            target = new[current]
            chain.add(target)
            chain |= stored.get(target, set())
            current = target
        result[start] = chain
    return result


def _write_targets(created: list[Statement]) -> None:
    new = {
        str(row.public_id): str(row.object_statement_id)
        for row in created
        if row.object_statement_id is not None
    }
    created_ids = {str(row.public_id) for row in created}
    # The chains already known for targets that are stored.
    stored: dict[str, set[str]] = {}
    for public_id, target in StatementTarget.objects.filter(
        statement__public_id__in=[target for target in new.values() if target not in created_ids]
    ).values_list("statement__public_id", "target_id"):
        stored.setdefault(str(public_id), set()).add(str(target))
    chains = _closures(new, stored)
    by_id = {str(row.public_id): row for row in created}
    rows = [
        StatementTarget(statement=by_id[source], target_id=target)
        for source, targets in chains.items()
        for target in targets
    ]
    # Statements stored earlier that target one of the new statements now reach what the
    # new statement targets too.
    for statement_id, target in StatementTarget.objects.filter(
        target_id__in=list(chains)
    ).values_list("statement_id", "target_id"):
        rows += [
            StatementTarget(statement_id=statement_id, target_id=further)
            for further in chains[str(target)]
        ]
    StatementTarget.objects.bulk_create(rows, ignore_conflicts=True)


# Canonical definitions and known agents ------------------------------------------------


def _merge_definition(old: dict, new: dict) -> dict:
    """Fold a newer definition into the canonical one: language maps gain and update
    languages, components are merged by id, other properties take the newer value, except
    the interaction type and the correct responses, which a later statement may not
    change."""
    merged = dict(old)
    for key, value in new.items():
        if key in ("name", "description"):
            merged[key] = {**old.get(key, {}), **value}
        elif key in ("choices", "scale", "source", "target", "steps"):
            components = {item["id"]: dict(item) for item in old.get(key, [])}
            for item in value:
                known = components.get(item["id"], {})
                description = {**known.get("description", {}), **item.get("description", {})}
                components[item["id"]] = {**known, **item}
                if description:
                    components[item["id"]]["description"] = description
            merged[key] = list(components.values())
        elif key in ("interactionType", "correctResponsesPattern") and key in old:
            continue
        elif key == "extensions":
            merged[key] = {**old.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


def _define(statements: list[dict]) -> None:
    """Update the canonical activity definitions and verb displays."""
    definitions: dict[str, dict] = {}
    displays: dict[str, dict] = {}
    for statement in statements:
        for _, activity in _activity_rows(statement):
            definition = activity.get("definition")
            definitions[activity["id"]] = _merge_definition(
                definitions.get(activity["id"], {}), definition or {}
            )
        for part in (statement, statement["object"]):
            verb = part.get("verb")
            if verb:
                displays[verb["id"]] = {**displays.get(verb["id"], {}), **verb.get("display", {})}
    _upsert(Activity, "activity_id", "definition", definitions, _merge_definition)
    _upsert(Verb, "verb_id", "display", displays, lambda old, new: {**old, **new})


def _upsert(model, key_field: str, value_field: str, values: dict[str, Any], merge) -> None:
    if not values:
        return
    model.objects.bulk_create([model(**{key_field: key}) for key in values], ignore_conflicts=True)
    changed = []
    for row in model.objects.select_for_update().filter(**{f"{key_field}__in": list(values)}):
        current = getattr(row, value_field)
        merged = merge(current, values[getattr(row, key_field)])
        if merged != current:
            setattr(row, value_field, merged)
            changed.append(row)
    if changed:
        model.objects.bulk_update(changed, [value_field, "updated_at"])


def _remember_agents(statements: list[dict]) -> None:
    names: dict[str, set[str]] = {}
    identifiers: dict[str, dict] = {}
    for statement in statements:
        for relation, key, agent in _agent_rows(statement):
            if relation == AgentRelation.AUTHORITY:
                continue
            identifiers[key] = {"objectType": agent.get("objectType", "Agent")} | identifier_of(
                agent
            )
            names.setdefault(key, set())
            if agent.get("name"):
                names[key].add(agent["name"])
    if not identifiers:
        return
    Agent.objects.bulk_create(
        [Agent(agent_key=key, identifier=identifier) for key, identifier in identifiers.items()],
        ignore_conflicts=True,
    )
    changed = []
    for row in Agent.objects.filter(agent_key__in=[key for key in names if names[key]]):
        missing = sorted(names[row.agent_key] - set(row.names))
        if missing and len(row.names) < AGENT_NAMES_KEPT:
            row.names = [*row.names, *missing][:AGENT_NAMES_KEPT]
            changed.append(row)
    if changed:
        Agent.objects.bulk_update(changed, ["names", "updated_at"])


def _keep_attachments(statements: list[dict], payloads: dict[str, bytes], used: set[str]) -> None:
    content_types = {
        attachment["sha2"].lower(): attachment["contentType"]
        for statement in statements
        for attachment in statement.get("attachments", [])
    }
    known = set(AttachmentPayload.objects.filter(sha2__in=used).values_list("sha2", flat=True))
    for sha2 in sorted(used - known):
        path = f"lrs/attachments/{sha2}"
        if not default_storage.exists(path):
            path = default_storage.save(path, ContentFile(payloads[sha2]))
        AttachmentPayload.objects.bulk_create(
            [
                AttachmentPayload(
                    sha2=sha2,
                    content_type=content_types.get(sha2, "application/octet-stream")[:255],
                    length=len(payloads[sha2]),
                    file=path,
                )
            ],
            ignore_conflicts=True,
        )


# The service ---------------------------------------------------------------------------


def _prepare(statement: dict, *, client: LrsClient | None, now: datetime.datetime) -> dict:
    stored = format_timestamp(now)
    prepared = {"id": statement.get("id") or str(uuid.uuid4())}
    prepared.update({key: value for key, value in statement.items() if key != "id"})
    prepared.setdefault("timestamp", stored)
    prepared["stored"] = stored
    prepared["authority"] = client_agent(client.key if client else None)
    prepared.setdefault("version", STATEMENT_VERSION)
    return prepared


def _row(payload: dict, *, client: LrsClient | None, now: datetime.datetime) -> Statement:
    obj = payload["object"]
    reference = obj["id"] if obj.get("objectType") == "StatementRef" else None
    registration = payload.get("context", {}).get("registration")
    return Statement(
        public_id=uuid.UUID(payload["id"]),
        payload=payload,
        stored=now,
        timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
        verb_id=payload["verb"]["id"],
        object_statement_id=uuid.UUID(reference) if reference else None,
        registration=uuid.UUID(registration) if registration else None,
        is_voiding=payload["verb"]["id"] == VOIDED_VERB,
        client=client,
    )


def _check_voiding(rows: list[Statement], positions: list[int]) -> None:
    """A voiding statement cannot void another voiding statement. ``positions`` are the
    rows' places in the request."""
    targets = {row.object_statement_id for row in rows if row.is_voiding}
    if not targets:
        return
    voiding = set(
        Statement.objects.filter(public_id__in=targets, is_voiding=True).values_list(
            "public_id", flat=True
        )
    )
    voiding |= {row.public_id for row in rows if row.is_voiding}
    for row, index in zip(rows, positions, strict=True):
        if row.is_voiding and row.object_statement_id in voiding:
            fail(
                f"statement[{index}].object.id",
                "targets a voiding statement, and a voiding statement cannot be voided",
            )


@transaction.atomic
def statements_store(
    *,
    statements: list[dict],
    client: LrsClient | None = None,
    attachments: dict | None = None,
) -> list[str]:
    """Validate and store statements, all or none; return their ids in order.

    ``client`` is the xAPI client that sends them (``None``: the platform itself), and
    becomes their authority. ``attachments`` maps SHA-2 digests to the raw data of the
    attachments that have no ``fileUrl`` (and of signatures). A statement whose id is
    already stored is not stored again: its id is returned when it is the same statement,
    and ``StatementConflict`` (409) is raised when it is not. Anything invalid raises
    ``StatementError`` (400) naming the property. Once the transaction commits,
    ``signals.statement_stored`` is sent for each statement stored.
    """
    client_may_write(client)
    if not isinstance(statements, list):
        raise StatementError("statement: must be a statement or an array of statements")
    validated = [
        statement_validate(statement, f"statement[{index}]")
        for index, statement in enumerate(statements)
    ]
    _check_ids(validated)
    payloads = {str(key).lower(): value for key, value in (attachments or {}).items()}
    used = _check_attachments(validated, payloads)

    given = [uuid.UUID(statement["id"]) for statement in validated if "id" in statement]
    existing = {row.public_id: row for row in Statement.objects.filter(public_id__in=given)}
    now = _now()
    ids: list[str] = []
    fresh: list[dict] = []
    positions: list[int] = []
    for index, statement in enumerate(validated):
        known = existing.get(uuid.UUID(statement["id"])) if "id" in statement else None
        if known is None:
            fresh.append(_prepare(statement, client=client, now=now))
            positions.append(index)
            ids.append(fresh[-1]["id"])
        elif statements_equivalent(known.payload, statement):
            ids.append(known.payload["id"])
        else:
            raise StatementConflict(
                f"statement[{index}].id: a different statement with the id "
                f"{statement['id']} is already stored; statements cannot be changed"
            )
    rows = [_row(payload, client=client, now=now) for payload in fresh]
    _check_voiding(rows, positions)
    if rows:
        _insert(rows, fresh, client)
        _keep_attachments(fresh, payloads, used)
    audit_record(
        actor=None,
        action="lrs.statements_written",
        object_type="lrs.lrsclient",
        object_id=str(client.public_id) if client else "platform",
        details={
            "client": _client_label(client),
            "count": len(rows),
            "statements": [payload["id"] for payload in fresh],
        },
    )
    if fresh:
        transaction.on_commit(lambda: _announce(fresh, client))
    return ids


def _insert(rows: list[Statement], payloads: list[dict], client: LrsClient | None) -> None:
    new_ids = [row.public_id for row in rows]
    # A statement is voided when a (non-voiding) statement is the target of a voiding one,
    # whichever of the two arrived first.
    voided = set(
        Statement.objects.filter(is_voiding=True, object_statement_id__in=new_ids).values_list(
            "object_statement_id", flat=True
        )
    )
    voided |= {row.object_statement_id for row in rows if row.is_voiding}
    for row in rows:
        row.voided = not row.is_voiding and row.public_id in voided
    try:
        with transaction.atomic():
            created = Statement.objects.bulk_create(rows)
    except IntegrityError as error:
        raise StatementConflict(
            "statement: a statement with one of these ids was stored by another request at "
            "the same time; send the request again"
        ) from error
    Statement.objects.filter(public_id__in=voided, is_voiding=False, voided=False).update(
        voided=True
    )
    agents, activities = [], []
    for row, payload in zip(created, payloads, strict=True):
        agents += [
            StatementAgent(statement=row, agent_key=key, relation=relation)
            for relation, key in {(relation, key) for relation, key, _ in _agent_rows(payload)}
        ]
        activities += [
            StatementActivity(statement=row, activity_id=activity_id, relation=relation)
            for relation, activity_id in {
                (relation, item["id"]) for relation, item in _activity_rows(payload)
            }
        ]
    StatementAgent.objects.bulk_create(agents, ignore_conflicts=True)
    StatementActivity.objects.bulk_create(activities, ignore_conflicts=True)
    _write_targets(created)
    if client is None or client.can_define:
        _define(payloads)
    _remember_agents(payloads)


def _announce(payloads: list[dict], client: LrsClient | None) -> None:
    for payload in payloads:
        for _receiver, result in signals.statement_stored.send_robust(
            sender=Statement, statement=payload, client=client
        ):
            if isinstance(result, Exception):
                logger.error(
                    "A receiver of statement_stored failed on statement %s: %r",
                    payload["id"],
                    result,
                    exc_info=result,
                )


@transaction.atomic
def statements_read_record(*, client: LrsClient | None, statement_ids: list[str]) -> None:
    """Record in the audit trail that a client read these statements (one event for one
    request)."""
    audit_record(
        actor=None,
        action="lrs.statements_read",
        object_type="lrs.lrsclient",
        object_id=str(client.public_id) if client else "platform",
        details={
            "client": _client_label(client),
            "count": len(statement_ids),
            "statements": statement_ids,
        },
    )
