"""The Statement resource: PUT, POST and GET /xapi/statements."""

import json

from django.http import HttpResponse
from django.urls import reverse

from satupintu.core.uploads import file_headers
from satupintu.lrs import multipart, selectors, services
from satupintu.lrs.formats import (
    FORMATS,
    accepted_languages,
    activity_and_verb_ids,
    statement_canonical,
    statement_ids,
)
from satupintu.lrs.identifiers import agent_key
from satupintu.lrs.models import Statement
from satupintu.lrs.validation import (
    StatementError,
    agent_parameter,
    check_iri,
    check_uuid,
    parse_json,
    parse_timestamp,
)
from satupintu.lrs.views.protocol import (
    XapiError,
    XapiRequest,
    boolean,
    check_params,
    consistent_through,
    content_response,
    endpoint,
    etag,
    json_response,
    last_modified,
    no_content,
    require_write,
)

QUERY_PARAMS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
GET_PARAMS = QUERY_PARAMS | {"statementId", "voidedStatementId", "more"}
SINGLE_PARAMS = {"statementId", "voidedStatementId", "format", "attachments"}


def _statements_in(xreq: XapiRequest) -> tuple[object, dict[str, bytes]]:
    """The statement(s) in a request, and the attachment data sent with them."""
    if not xreq.body:
        raise XapiError(400, "The request has no content: send a statement or an array of them.")
    content_type = xreq.content_type
    if content_type in ("application/json", ""):
        return parse_json(xreq.body, "statement"), {}
    if content_type == "multipart/mixed":
        _, parameters = multipart.content_type_parameters(xreq.header("content-type") or "")
        parts = multipart.parse(xreq.body, parameters.get("boundary", ""))
        if not parts:
            raise XapiError(400, "multipart body: it has no parts")
        first = multipart.content_type_parameters(parts[0].headers.get("content-type", ""))[0]
        if first != "application/json":
            raise XapiError(
                400, "multipart body: the first part must hold the statements as application/json"
            )
        return parse_json(parts[0].body, "statement"), multipart.attachment_parts(parts)
    raise XapiError(400, "Content-Type: statements are sent as application/json or multipart/mixed")


def statements_put(xreq: XapiRequest) -> HttpResponse:
    require_write(xreq)
    params = check_params(xreq, {"statementId"}, ("statementId",))
    statement_id = check_uuid(params["statementId"], "statementId")
    statement, attachments = _statements_in(xreq)
    if isinstance(statement, list):
        raise XapiError(400, "statement: a PUT stores one statement; send an object, not an array")
    if not isinstance(statement, dict):
        raise XapiError(400, "statement: must be a JSON object")
    if "id" in statement and str(statement["id"]).lower() != statement_id.lower():
        raise XapiError(400, "statement.id: does not match the statementId parameter")
    statement = {"id": statement_id, **statement}
    services.statements_store(statements=[statement], client=xreq.client, attachments=attachments)
    return no_content(consistent_through())


def statements_post(xreq: XapiRequest) -> HttpResponse:
    require_write(xreq)
    check_params(xreq, set())
    statements, attachments = _statements_in(xreq)
    batch = statements if isinstance(statements, list) else [statements]
    ids = services.statements_store(statements=batch, client=xreq.client, attachments=attachments)
    return json_response(ids, headers=consistent_through())


def _query(xreq: XapiRequest) -> selectors.StatementQuery:
    params = xreq.params
    values: dict = {}
    if "agent" in params:
        values["agent"] = agent_key(agent_parameter(params["agent"], groups=True))
    if "verb" in params:
        values["verb"] = check_iri(params["verb"], "verb")
    if "activity" in params:
        values["activity"] = check_iri(params["activity"], "activity")
    if "registration" in params:
        values["registration"] = check_uuid(params["registration"], "registration").lower()
    for name in ("since", "until"):
        if name in params:
            values[name] = parse_timestamp(params[name], name)
    if "limit" in params:
        limit = params["limit"]
        if not (limit.isascii() and limit.isdigit()):
            raise StatementError("limit: must be a whole number, 0 or more")
        values["limit"] = int(limit)
    for name in ("related_agents", "related_activities", "ascending", "attachments"):
        values[name] = boolean(xreq, name)
    values["format"] = _format(xreq)
    return selectors.StatementQuery(**values)


def _format(xreq: XapiRequest) -> str:
    value = xreq.params.get("format", "exact")
    if value not in FORMATS:
        raise XapiError(400, "format: must be ids, exact or canonical")
    return value


def _shown(rows: list[Statement], fmt: str, xreq: XapiRequest) -> list[dict]:
    payloads = [row.payload for row in rows]
    if fmt == "ids":
        return [statement_ids(payload) for payload in payloads]
    if fmt == "canonical":
        activity_ids, verb_ids = set(), set()
        for payload in payloads:
            activities, verbs = activity_and_verb_ids(payload)
            activity_ids |= activities
            verb_ids |= verbs
        activities, verbs = selectors.canonical_definitions(activity_ids, verb_ids)
        ranges = accepted_languages(xreq.header("accept-language"))
        return [
            statement_canonical(payload, activities=activities, verbs=verbs, ranges=ranges)
            for payload in payloads
        ]
    return payloads


def _answer(xreq: XapiRequest, data, statements: list[dict], *, attachments: bool, headers):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {**headers, "ETag": etag(body)}
    if not attachments:
        return content_response(body, "application/json", headers=headers)
    content, content_type = multipart.build(body, selectors.attachment_payloads(statements))
    # Attachments are bytes of any type that clients sent: never shown as a page of the site.
    return file_headers(content_response(content, content_type, headers=headers))


def statements_get(xreq: XapiRequest) -> HttpResponse:
    params = check_params(xreq, GET_PARAMS)
    headers = consistent_through()
    if "statementId" in params or "voidedStatementId" in params:
        extra = set(params) - SINGLE_PARAMS
        if "statementId" in params and "voidedStatementId" in params:
            raise XapiError(400, "statementId: give statementId or voidedStatementId, not both")
        if extra:
            raise XapiError(
                400,
                f"{sorted(extra)[0]}: cannot be combined with statementId or voidedStatementId "
                "(only format and attachments can)",
            )
        voided = "voidedStatementId" in params
        name = "voidedStatementId" if voided else "statementId"
        check_uuid(params[name], name)
        fmt, attachments = _format(xreq), boolean(xreq, "attachments")
        row = selectors.statement_get(statement_id=params[name], voided=voided)
        if row is None:
            raise XapiError(
                404,
                f"{name}: no {'voided ' if voided else ''}statement with this id is stored"
                + ("" if voided else " (a voided statement is fetched with voidedStatementId)"),
                code="not_found",
            )
        services.statements_read_record(client=xreq.client, statement_ids=[str(row.public_id)])
        headers["Last-Modified"] = last_modified(row.stored)
        shown = _shown([row], fmt, xreq)[0]
        return _answer(xreq, shown, [row.payload], attachments=attachments, headers=headers)

    if "more" in params:
        if len(params) > 1:
            raise XapiError(
                400, "more: must be the only parameter; the address holds the whole query"
            )
        query, cursor = selectors.more_token_read(params["more"])
        page = selectors.statements_page(query=query, cursor=cursor)
    else:
        query, page = selectors.statements_first_page(query=_query(xreq))
    more = ""
    if page.cursor is not None:
        token = selectors.more_token(query, page.cursor)
        more = f"{reverse('lrs:statements')}?more={token}"
    services.statements_read_record(
        client=xreq.client, statement_ids=[str(row.public_id) for row in page.statements]
    )
    if page.statements:
        headers["Last-Modified"] = last_modified(max(row.stored for row in page.statements))
    data = {"statements": _shown(page.statements, query.format, xreq), "more": more}
    payloads = [row.payload for row in page.statements]
    return _answer(xreq, data, payloads, attachments=query.attachments, headers=headers)


statements = endpoint({"GET": statements_get, "PUT": statements_put, "POST": statements_post})
