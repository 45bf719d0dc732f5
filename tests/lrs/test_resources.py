"""The About, Activities and Agents resources (xAPI 1.0.3, Part Three, 2.4, 2.5, 2.8):
About answers the versions without credentials; Activities answers the canonical
definition the LRS merged from statements (only the id for an activity it does not know);
Agents answers a Person object with what the LRS knows of the agent."""

import pytest

from satupintu.lrs.services import lrs_client_create
from tests.lrs.factories import Xapi, agent, basic, statement

pytestmark = pytest.mark.django_db

COURSE = "https://satupintu.example/courses/etika"


def test_about_needs_no_credentials_nor_version(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.json() == {"version": ["1.0.3", "1.0.2", "1.0.1", "1.0.0"], "extensions": {}}
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert response["ETag"]


def test_an_unknown_activity_is_only_its_id(xapi):
    response = xapi.get("activities", {"activityId": COURSE})
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": COURSE}
    assert xapi.get("activities", {"activityId": "etika"}).status_code == 400
    assert xapi.get("activities").status_code == 400


def test_the_definition_is_merged_from_the_statements_of_clients_that_may_define(xapi, db):
    xapi.post("statements", data=statement())
    xapi.post(
        "statements",
        data=statement(
            object={
                "id": COURSE,
                "definition": {
                    "name": {"en-GB": "Ethics of public service"},
                    "type": "http://adlnet.gov/expapi/activities/course",
                },
            }
        ),
    )
    client, secret = lrs_client_create(name="Untrusted", can_define=False)
    Xapi(basic(client.key, secret)).post(
        "statements",
        data=statement(object={"id": COURSE, "definition": {"name": {"en": "Hijacked"}}}),
    )
    definition = xapi.get("activities", {"activityId": COURSE}).json()["definition"]
    assert definition == {
        "name": {
            "en": "Public service ethics",
            "id": "Etika pelayanan",
            "en-GB": "Ethics of public service",
        },
        "type": "http://adlnet.gov/expapi/activities/course",
    }


def test_interaction_type_and_correct_responses_are_not_changed_later(xapi):
    question = "https://satupintu.example/questions/1"

    def answer(pattern):
        return statement(
            object={
                "id": question,
                "definition": {
                    "interactionType": "choice",
                    "correctResponsesPattern": [pattern],
                    "choices": [{"id": pattern, "description": {"en": pattern.upper()}}],
                },
            }
        )

    xapi.post("statements", data=answer("a"))
    xapi.post("statements", data=answer("b"))
    definition = xapi.get("activities", {"activityId": question}).json()["definition"]
    assert definition["correctResponsesPattern"] == ["a"]
    assert [choice["id"] for choice in definition["choices"]] == ["a", "b"]


def test_a_person_gathers_the_names_of_an_agent(xapi):
    xapi.post("statements", data=statement(actor={**agent(), "name": "Ani Lestari"}))
    xapi.post("statements", data=statement(actor={**agent(), "name": "Ani L."}))
    response = xapi.get("agents", {"agent": {"mbox": "mailto:ani@example.org"}})
    assert response.status_code == 200
    assert response.json() == {
        "objectType": "Person",
        "name": ["Ani Lestari", "Ani L."],
        "mbox": ["mailto:ani@example.org"],
    }


def test_an_unknown_agent_is_a_person_with_what_was_asked(xapi):
    asked = {"name": "Budi", "account": {"homePage": "https://lms.example.org", "name": "42"}}
    response = xapi.get("agents", {"agent": asked})
    assert response.json() == {
        "objectType": "Person",
        "name": ["Budi"],
        "account": [{"homePage": "https://lms.example.org", "name": "42"}],
    }
    group = {"objectType": "Group", "mbox": "mailto:team@example.org"}
    assert xapi.get("agents", {"agent": group}).status_code == 400
