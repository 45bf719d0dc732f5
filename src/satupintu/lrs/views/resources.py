"""The About, Activities and Agents resources."""

from django.http import HttpResponse

from satupintu.lrs import selectors
from satupintu.lrs.constants import XAPI_VERSIONS
from satupintu.lrs.validation import agent_parameter, check_iri
from satupintu.lrs.views.protocol import XapiRequest, check_params, endpoint, etag, json_response


def _with_etag(response: HttpResponse) -> HttpResponse:
    response["ETag"] = etag(response.content)
    return response


def about_get(xreq: XapiRequest) -> HttpResponse:
    return _with_etag(json_response({"version": XAPI_VERSIONS, "extensions": {}}))


def activities_get(xreq: XapiRequest) -> HttpResponse:
    params = check_params(xreq, {"activityId"}, ("activityId",))
    activity_id = check_iri(params["activityId"], "activityId")
    return _with_etag(json_response(selectors.activity_get(activity_id=activity_id)))


def agents_get(xreq: XapiRequest) -> HttpResponse:
    params = check_params(xreq, {"agent"}, ("agent",))
    agent = agent_parameter(params["agent"])
    return _with_etag(json_response(selectors.person_get(agent=agent)))


about = endpoint({"GET": about_get}, public=True)
activities = endpoint({"GET": activities_get})
agents = endpoint({"GET": agents_get})
