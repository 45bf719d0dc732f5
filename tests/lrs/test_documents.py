"""The document resources (xAPI 1.0.3, Part Three, 2.2-2.7 and 3.1): State, Activity
Profile and Agent Profile store documents with their content type, answer them with an
ETag (the SHA-1 of the content) and Last-Modified, list ids (since a time), merge a posted
JSON object into a stored one, delete one or (State) all; If-Match and If-None-Match are
honoured (412), and a PUT that would overwrite a profile document without either header
is a 409."""

import hashlib
import json

import pytest

from satupintu.core.models import AuditEvent
from satupintu.lrs.models import Document
from tests.lrs.factories import agent

pytestmark = pytest.mark.django_db

ACTIVITY = "https://satupintu.example/courses/etika"
REGISTRATION = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"


def state(**extra) -> dict:
    return {"activityId": ACTIVITY, "agent": agent(), "stateId": "bookmark", **extra}


def test_state_put_then_get_keeps_content_and_type(xapi):
    response = xapi.put("activities/state", state(), body=b"page=7", content_type="text/plain")
    assert response.status_code == 204, response.content
    response = xapi.get("activities/state", state())
    assert response.status_code == 200
    assert response.content == b"page=7"
    assert response["Content-Type"] == "text/plain"
    assert (
        response["ETag"] == '"' + hashlib.sha1(b"page=7", usedforsecurity=False).hexdigest() + '"'
    )
    assert response["Last-Modified"]


def test_state_is_kept_per_registration(xapi):
    xapi.put("activities/state", state(), data={"page": 1})
    xapi.put("activities/state", state(registration=REGISTRATION), data={"page": 2})
    assert xapi.get("activities/state", state()).json() == {"page": 1}
    assert xapi.get("activities/state", state(registration=REGISTRATION)).json() == {"page": 2}


def test_state_post_merges_json_objects(xapi):
    xapi.put("activities/state", state(), data={"x": "foo", "y": "bar"})
    response = xapi.post("activities/state", state(), data={"x": "bash", "z": "faz"})
    assert response.status_code == 204
    assert xapi.get("activities/state", state()).json() == {"x": "bash", "y": "bar", "z": "faz"}


def test_state_post_refuses_to_merge_what_is_not_json(xapi):
    xapi.put("activities/state", state(), body=b"page=7", content_type="text/plain")
    response = xapi.post("activities/state", state(), data={"x": 1})
    assert response.status_code == 400
    xapi.put("activities/state", state(), data={"x": 1})
    response = xapi.post("activities/state", state(), body=b"[1, 2]")
    assert response.status_code == 400
    assert xapi.get("activities/state", state()).json() == {"x": 1}


def test_state_post_creates_a_document_that_does_not_exist(xapi):
    assert xapi.post("activities/state", state(), data={"x": 1}).status_code == 204
    assert xapi.get("activities/state", state()).json() == {"x": 1}


def test_state_ids_since_and_delete_all(xapi):
    for state_id in ("a", "b"):
        xapi.put("activities/state", state(stateId=state_id), data={})
    xapi.put("activities/state", state(stateId="c", registration=REGISTRATION), data={})
    context = {"activityId": ACTIVITY, "agent": agent()}
    response = xapi.get("activities/state", context)
    assert response.json() == ["a", "b", "c"]
    assert response["ETag"] and response["Last-Modified"]
    in_registration = xapi.get("activities/state", {**context, "registration": REGISTRATION})
    assert in_registration.json() == ["c"]
    latest = Document.objects.order_by("-updated_at").first().updated_at.isoformat()
    assert xapi.get("activities/state", {**context, "since": latest}).json() == []
    assert xapi.delete("activities/state", context).status_code == 204
    assert xapi.get("activities/state", context).json() == []


def test_state_delete_one(xapi):
    xapi.put("activities/state", state(), data={})
    xapi.put("activities/state", state(stateId="other"), data={})
    assert xapi.delete("activities/state", state()).status_code == 204
    assert xapi.get("activities/state", state()).status_code == 404
    assert xapi.get("activities/state", state(stateId="other")).status_code == 200


def test_state_put_without_concurrency_headers_overwrites(xapi):
    xapi.put("activities/state", state(), data={"v": 1})
    assert xapi.put("activities/state", state(), data={"v": 2}).status_code == 204
    assert xapi.get("activities/state", state()).json() == {"v": 2}


def test_state_needs_its_parameters(xapi):
    assert xapi.get("activities/state", {"agent": agent()}).status_code == 400
    bad_agent = {"activityId": ACTIVITY, "agent": "{}", "stateId": "x"}
    assert xapi.get("activities/state", bad_agent).status_code == 400
    assert xapi.get("activities/state", state(registration="x")).status_code == 400
    assert xapi.get("activities/state", state(since="2024-01-01T00:00:00Z")).status_code == 400
    group = {"objectType": "Group", "mbox": "mailto:team@example.org"}
    assert xapi.get("activities/state", state(agent=group)).status_code == 400


PROFILES = [
    ("activities/profile", {"activityId": ACTIVITY, "profileId": "settings"}),
    ("agents/profile", {"agent": agent(), "profileId": "settings"}),
]


@pytest.mark.parametrize(("resource", "params"), PROFILES)
def test_profiles_honour_if_match_and_if_none_match(xapi, resource, params):
    created = xapi.put(resource, params, data={"v": 1}, headers={"If-None-Match": "*"})
    assert created.status_code == 204
    again = xapi.put(resource, params, data={"v": 9}, headers={"If-None-Match": "*"})
    assert again.status_code == 412
    conflict = xapi.put(resource, params, data={"v": 9})
    assert conflict.status_code == 409
    assert "If-Match" in conflict.json()["detail"]
    current = xapi.get(resource, params)
    tag = current["ETag"]
    stale = xapi.put(resource, params, data={"v": 9}, headers={"If-Match": '"0000"'})
    assert stale.status_code == 412
    fresh = xapi.put(resource, params, data={"v": 2}, headers={"If-Match": tag})
    assert fresh.status_code == 204
    assert xapi.get(resource, params).json() == {"v": 2}
    # POST and DELETE check If-Match too, but need no header.
    assert xapi.post(resource, params, data={"w": 3}, headers={"If-Match": tag}).status_code == 412
    assert xapi.post(resource, params, data={"w": 3}).status_code == 204
    assert xapi.get(resource, params).json() == {"v": 2, "w": 3}
    assert xapi.delete(resource, params, headers={"If-Match": tag}).status_code == 412
    assert xapi.delete(resource, params).status_code == 204
    assert xapi.get(resource, params).status_code == 404


@pytest.mark.parametrize(("resource", "params"), PROFILES)
def test_profiles_list_ids_and_need_an_id_to_delete(xapi, resource, params):
    xapi.put(resource, params, data={}, headers={"If-None-Match": "*"})
    xapi.put(resource, {**params, "profileId": "more"}, data={}, headers={"If-None-Match": "*"})
    context = {key: value for key, value in params.items() if key != "profileId"}
    assert xapi.get(resource, context).json() == ["more", "settings"]
    assert xapi.delete(resource, context).status_code == 400


def test_if_match_on_a_missing_document_fails(xapi):
    response = xapi.put("activities/state", state(), data={}, headers={"If-Match": '"abc"'})
    assert response.status_code == 412
    assert not Document.objects.exists()


def test_document_writes_are_audited_once_per_request(xapi):
    xapi.put("activities/state", state(), data={})
    xapi.delete("activities/state", state())
    actions = list(
        AuditEvent.objects.filter(action__startswith="lrs.document").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["lrs.document_deleted", "lrs.document_written"]
    details = AuditEvent.objects.filter(action="lrs.document_written").get().details
    assert json.dumps(details).find("ani@example.org") == -1


def test_document_ids_and_content_types_the_database_cannot_keep_are_refused(xapi):
    assert xapi.put("activities/state", state(stateId="a\x00b"), data={}).status_code == 400
    assert xapi.put("activities/state", state(stateId=""), data={}).status_code == 400
    assert xapi.put("activities/state", state(stateId="x" * 300), data={}).status_code == 400
    from urllib.parse import urlencode

    form = {
        "Authorization": xapi.credentials,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "text/plain\x00",
        "content": "hello",
        **{
            key: json.dumps(value) if isinstance(value, dict) else value
            for key, value in state().items()
        },
    }
    response = xapi.http.post(
        "/xapi/activities/state?method=PUT",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not Document.objects.exists()
