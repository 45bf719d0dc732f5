"""Every read of the Learning Record Store.

A query of statements filters on the derived rows written with each statement (never on
the JSON), excludes voided statements, and pages by keyset on (stored, id) so that a page
costs the same however deep it is. Each filter other than time also matches a statement
that targets (through a chain of StatementRefs) a statement that matches it.
"""

import datetime
import hmac
import uuid
from dataclasses import asdict, dataclass, replace

from django.core import signing
from django.core.files.storage import default_storage
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from satupintu.core.keyset import after_q
from satupintu.lrs import conf
from satupintu.lrs.constants import ACTIVITY_DIRECT, AGENT_DIRECT, DocumentKind
from satupintu.lrs.identifiers import agent_key, identifier_of
from satupintu.lrs.models import (
    Activity,
    Agent,
    AttachmentPayload,
    Document,
    LrsClient,
    Statement,
    StatementActivity,
    StatementAgent,
    StatementTarget,
    Verb,
)
from satupintu.lrs.services.clients import secret_digest
from satupintu.lrs.services.documents import DocumentAddress
from satupintu.lrs.validation import StatementError

MORE_SALT = "satupintu.lrs.more"


def client_authenticate(*, key: str, secret: str) -> LrsClient | None:
    """The active client with these credentials, or ``None``."""
    client = LrsClient.objects.filter(key=key, is_active=True).first()
    digest = secret_digest(secret)
    if client is None or not hmac.compare_digest(client.secret_hash, digest):
        return None
    return client


# Statements ----------------------------------------------------------------------------


def statement_get(*, statement_id: str, voided: bool = False) -> Statement | None:
    """The statement with this id when it is not voided; with ``voided``, only when it
    is."""
    try:
        public_id = uuid.UUID(statement_id)
    except ValueError:
        return None
    return Statement.objects.filter(public_id=public_id, voided=voided).first()


@dataclass(frozen=True)
class StatementQuery:
    """The filters of a query of statements. ``agent`` is an agent key
    (``identifiers.agent_key``); times are aware datetimes."""

    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_agents: bool = False
    related_activities: bool = False
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    limit: int = 0
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False


@dataclass
class StatementPage:
    statements: list[Statement]
    # Where the next page starts ((stored, id) of the last statement), or None.
    cursor: tuple[datetime.datetime, int] | None


def _targeting(pks: QuerySet) -> QuerySet:
    """The primary keys of the statements that target, through a chain of StatementRefs,
    one of the statements whose primary key is in ``pks``."""
    return StatementTarget.objects.filter(
        target_id__in=Statement.objects.filter(pk__in=pks).values("public_id")
    ).values("statement_id")


def _matching(pks: QuerySet) -> Q:
    """Statements whose primary key is in ``pks`` (they meet a filter themselves), or that
    target one of them. One ``IN`` over a union rather than an ``OR`` of two, so that the
    planner may start from the few statements that match (an agent, a registration)."""
    return Q(pk__in=pks.union(_targeting(pks)))


def _filtered(query: StatementQuery) -> QuerySet:
    statements = Statement.objects.filter(voided=False)
    if query.agent:
        relations = Q() if query.related_agents else Q(relation__in=AGENT_DIRECT)
        rows = StatementAgent.objects.filter(relations, agent_key=query.agent)
        statements = statements.filter(_matching(rows.values("statement_id")))
    if query.activity:
        relations = Q() if query.related_activities else Q(relation__in=ACTIVITY_DIRECT)
        rows = StatementActivity.objects.filter(relations, activity_id=query.activity)
        statements = statements.filter(_matching(rows.values("statement_id")))
    if query.verb:
        # A verb is usually common: reading the newest statements and keeping those with
        # the verb is cheaper than gathering every statement that has it.
        rows = Statement.objects.filter(verb_id=query.verb).values("pk")
        statements = statements.filter(Q(verb_id=query.verb) | Q(pk__in=_targeting(rows)))
    if query.registration:
        rows = Statement.objects.filter(registration=uuid.UUID(query.registration))
        statements = statements.filter(_matching(rows.values("pk")))
    if query.since:
        statements = statements.filter(stored__gt=query.since)
    if query.until:
        statements = statements.filter(stored__lte=query.until)
    return statements


def page_limit(query: StatementQuery) -> int:
    largest = conf.page_size()
    return largest if query.limit <= 0 else min(query.limit, largest)


def statements_page(
    *, query: StatementQuery, cursor: tuple[datetime.datetime, int] | None = None
) -> StatementPage:
    """One page of the statements that match ``query``, after ``cursor``."""
    statements = _filtered(query)
    if cursor is not None:
        stored, pk = cursor
        statements = statements.filter(
            after_q(["stored", "id"], (stored, pk), descending=not query.ascending)
        )
    order = ("stored", "pk") if query.ascending else ("-stored", "-pk")
    limit = page_limit(query)
    rows = list(
        statements.order_by(*order).only("pk", "public_id", "payload", "stored")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return StatementPage(
        statements=rows, cursor=(rows[-1].stored, rows[-1].pk) if more and rows else None
    )


def statements_first_page(*, query: StatementQuery) -> tuple[StatementQuery, StatementPage]:
    """The first page of a query, and the query fixed for the pages after it: statements
    stored after this moment do not slip into later pages."""
    now = timezone.now()
    fixed = replace(query, until=min(query.until, now) if query.until else now)
    return fixed, statements_page(query=fixed)


def more_token(query: StatementQuery, cursor: tuple[datetime.datetime, int]) -> str:
    """An opaque, signed token that continues a query after ``cursor``."""
    data = {key: value for key, value in asdict(query).items() if value not in (None, False)}
    for key in ("since", "until"):
        if key in data:
            data[key] = data[key].isoformat()
    data["cursor"] = [cursor[0].isoformat(), cursor[1]]
    return signing.dumps(data, salt=MORE_SALT, compress=True)


def more_token_read(token: str) -> tuple[StatementQuery, tuple[datetime.datetime, int]]:
    try:
        data = signing.loads(token, salt=MORE_SALT)
        stored, pk = data.pop("cursor")
        for key in ("since", "until"):
            if key in data:
                data[key] = datetime.datetime.fromisoformat(data[key])
        return StatementQuery(**data), (datetime.datetime.fromisoformat(stored), int(pk))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise StatementError(
            "more: is not an address this LRS gave out; start the query again"
        ) from error


def attachment_payloads(statements: list[dict]) -> list[tuple[str, str, bytes]]:
    """``(sha2, content type, data)`` of the attachments of these statements whose data the
    LRS holds, each once."""
    wanted = {
        attachment["sha2"].lower()
        for statement in statements
        for attachment in statement.get("attachments", [])
    }
    result = []
    for payload in AttachmentPayload.objects.filter(sha2__in=wanted).order_by("sha2"):
        with default_storage.open(payload.file, "rb") as handle:
            result.append((payload.sha2, payload.content_type, handle.read()))
    return result


def canonical_definitions(
    activity_ids: set[str], verb_ids: set[str]
) -> tuple[dict[str, dict], dict[str, dict]]:
    """The canonical activity definitions and verb displays the LRS knows of these ids."""
    activities = dict(
        Activity.objects.filter(activity_id__in=activity_ids).values_list(
            "activity_id", "definition"
        )
    )
    verbs = dict(Verb.objects.filter(verb_id__in=verb_ids).values_list("verb_id", "display"))
    return activities, verbs


# Activities and agents -----------------------------------------------------------------


def activity_get(*, activity_id: str) -> dict:
    """The Activity object the LRS has for an id; only the id when it knows nothing more."""
    result = {"objectType": "Activity", "id": activity_id}
    definition = (
        Activity.objects.filter(activity_id=activity_id)
        .values_list("definition", flat=True)
        .first()
    )
    if definition:
        result["definition"] = definition
    return result


def person_get(*, agent: dict) -> dict:
    """The Person object of an agent: its identifier and every name it was known by."""
    known = Agent.objects.filter(agent_key=agent_key(agent)).first()
    names = list(known.names) if known else []
    if agent.get("name") and agent["name"] not in names:
        names.insert(0, agent["name"])
    person: dict = {"objectType": "Person"}
    if names:
        person["name"] = names
    for name, value in identifier_of(agent).items():
        person[name] = [value]
    return person


# Documents -----------------------------------------------------------------------------


def document_get(*, address: DocumentAddress) -> Document | None:
    return Document.objects.filter(**address.lookup()).first()


def document_ids(
    *,
    kind: str,
    activity_id: str = "",
    agent_key: str = "",
    registration: str | None = None,
    since: datetime.datetime | None = None,
) -> tuple[list[str], datetime.datetime | None]:
    """The ids of the documents of an activity and/or agent (of a registration, when one
    is given; stored or changed after ``since``), and when the latest of them changed."""
    documents = Document.objects.filter(kind=kind, activity_id=activity_id, agent_key=agent_key)
    if kind == DocumentKind.STATE and registration is not None:
        documents = documents.filter(registration=registration)
    if since is not None:
        documents = documents.filter(updated_at__gt=since)
    ids = sorted(set(documents.values_list("document_id", flat=True)))
    latest = documents.aggregate(latest=Max("updated_at"))["latest"]
    return ids, latest


# A person's statements --------------------------------------------------------------------


def statements_about(*, agents: list[dict]) -> QuerySet[Statement]:
    """Every stored statement, voided ones too, that names one of ``agents`` anywhere (as
    actor, object, authority, instructor, team, or in a group), oldest first: what the LRS
    holds about the person these identifiers stand for (UU PDP: the right of access)."""
    keys = sorted({key for key in (agent_key(agent) for agent in agents) if key})
    if not keys:
        return Statement.objects.none()
    return Statement.objects.filter(
        pk__in=StatementAgent.objects.filter(agent_key__in=keys).values("statement_id")
    ).order_by("stored", "id")
