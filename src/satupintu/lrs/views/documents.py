"""The document resources: State (/activities/state), Activity Profile
(/activities/profile) and Agent Profile (/agents/profile)."""

import re
from dataclasses import dataclass

from django.http import HttpResponse

from satupintu.core.uploads import file_headers
from satupintu.lrs import selectors, services
from satupintu.lrs.constants import DOCUMENT_ID_MAX_BYTES, DocumentKind
from satupintu.lrs.identifiers import agent_key
from satupintu.lrs.services import DocumentAddress
from satupintu.lrs.services.documents import DEFAULT_CONTENT_TYPE
from satupintu.lrs.validation import agent_parameter, check_iri, check_uuid, parse_timestamp
from satupintu.lrs.views.protocol import (
    XapiError,
    XapiRequest,
    check_params,
    content_response,
    endpoint,
    etag,
    json_response,
    last_modified,
    no_content,
    require_write,
)

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Resource:
    kind: str
    id_param: str
    activity: bool
    agent: bool

    @property
    def context(self) -> set[str]:
        names = set()
        if self.activity:
            names.add("activityId")
        if self.agent:
            names.add("agent")
        if self.kind == DocumentKind.STATE:
            names.add("registration")
        return names


STATE = Resource(DocumentKind.STATE, "stateId", activity=True, agent=True)
ACTIVITY_PROFILE = Resource(DocumentKind.ACTIVITY_PROFILE, "profileId", activity=True, agent=False)
AGENT_PROFILE = Resource(DocumentKind.AGENT_PROFILE, "profileId", activity=False, agent=True)


def _context(xreq: XapiRequest, resource: Resource) -> dict:
    params = xreq.params
    values = {"activity_id": "", "agent_key": "", "registration": None}
    if resource.activity:
        values["activity_id"] = check_iri(params["activityId"], "activityId")
    if resource.agent:
        values["agent_key"] = agent_key(agent_parameter(params["agent"]))
    if "registration" in params:
        values["registration"] = check_uuid(params["registration"], "registration").lower()
    return values


def _address(xreq: XapiRequest, resource: Resource) -> DocumentAddress:
    context = _context(xreq, resource)
    document_id = xreq.params[resource.id_param]
    if not document_id:
        raise XapiError(400, f"{resource.id_param}: must not be empty")
    if CONTROL_RE.search(document_id):
        raise XapiError(400, f"{resource.id_param}: must not contain control characters")
    if len(document_id.encode("utf-8")) > DOCUMENT_ID_MAX_BYTES:
        raise XapiError(
            400, f"{resource.id_param}: must not be longer than {DOCUMENT_ID_MAX_BYTES} bytes"
        )
    return DocumentAddress(
        kind=resource.kind,
        document_id=document_id,
        activity_id=context["activity_id"],
        agent_key=context["agent_key"],
        registration=context["registration"] or "",
    )


def _required(resource: Resource) -> tuple[str, ...]:
    return tuple(sorted(resource.context - {"registration"}))


def _get(resource: Resource):
    def get(xreq: XapiRequest) -> HttpResponse:
        if resource.id_param in xreq.params:
            check_params(xreq, resource.context | {resource.id_param}, _required(resource))
            document = selectors.document_get(address=_address(xreq, resource))
            if document is None:
                raise XapiError(404, "There is no such document.", code="not_found")
            # A document is whatever its client stored, with the type it claimed: it is
            # never shown as a page of the site (see core.uploads).
            return file_headers(
                content_response(
                    bytes(document.content),
                    document.content_type,
                    headers={
                        "ETag": f'"{document.etag}"',
                        "Last-Modified": last_modified(document.updated_at),
                    },
                )
            )
        check_params(xreq, resource.context | {"since"}, _required(resource))
        context = _context(xreq, resource)
        since = xreq.params.get("since")
        ids, latest = selectors.document_ids(
            kind=resource.kind,
            activity_id=context["activity_id"],
            agent_key=context["agent_key"],
            registration=context["registration"],
            since=parse_timestamp(since, "since") if since is not None else None,
        )
        response = json_response(ids)
        response["ETag"] = etag(response.content)
        if latest is not None:
            response["Last-Modified"] = last_modified(latest)
        return response

    return get


def _content_type(xreq: XapiRequest) -> str:
    value = xreq.header("content-type") or DEFAULT_CONTENT_TYPE
    if CONTROL_RE.search(value) or len(value) > 255:
        raise XapiError(400, "Content-Type: is not a media type this LRS can keep")
    return value


def _write(resource: Resource, service):
    def write(xreq: XapiRequest) -> HttpResponse:
        require_write(xreq)
        params = (*_required(resource), resource.id_param)
        check_params(xreq, resource.context | {resource.id_param}, params)
        service(
            address=_address(xreq, resource),
            content=xreq.body,
            content_type=_content_type(xreq),
            if_match=xreq.header("if-match"),
            if_none_match=xreq.header("if-none-match"),
            client=xreq.client,
        )
        return no_content()

    return write


def _delete(resource: Resource):
    def delete(xreq: XapiRequest) -> HttpResponse:
        require_write(xreq)
        if resource.id_param in xreq.params or resource.kind != DocumentKind.STATE:
            params = (*_required(resource), resource.id_param)
            check_params(xreq, resource.context | {resource.id_param}, params)
            services.document_delete(
                address=_address(xreq, resource),
                if_match=xreq.header("if-match"),
                client=xreq.client,
            )
            return no_content()
        check_params(xreq, resource.context, _required(resource))
        context = _context(xreq, resource)
        services.states_delete(
            activity_id=context["activity_id"],
            agent_key=context["agent_key"],
            registration=context["registration"],
            client=xreq.client,
        )
        return no_content()

    return delete


def _resource(resource: Resource):
    return endpoint(
        {
            "GET": _get(resource),
            "PUT": _write(resource, services.document_put),
            "POST": _write(resource, services.document_post),
            "DELETE": _delete(resource),
        }
    )


state = _resource(STATE)
activity_profile = _resource(ACTIVITY_PROFILE)
agent_profile = _resource(AGENT_PROFILE)
