"""GET /xapi/statements finds statements by every filter of the specification (xAPI 1.0.3,
Part Three, 2.1.3): agent (as actor or object, in a group, and with related_agents as
authority, instructor, team or in a sub-statement), verb, activity (with
related_activities in context activities and sub-statements), registration, since,
until, limit and ascending; statements that target a matching statement match too; and
it answers in the ids, exact and canonical formats."""

import json
import uuid

import pytest

from satupintu.lrs.models import Statement
from tests.lrs.factories import agent, statement

pytestmark = pytest.mark.django_db

COURSE = "https://satupintu.example/courses/etika"
OTHER = "https://satupintu.example/courses/k3"
PROGRAMME = "https://satupintu.example/programmes/latsar"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
REGISTRATION = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"


def ids_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["statements"]]


@pytest.fixture
def stored(xapi):
    """Named statements, stored in this order."""
    made = {
        "ani_course": statement(),
        "budi_other": statement(
            actor=agent("budi"),
            verb={"id": ATTEMPTED},
            object={"id": OTHER},
            context={
                "registration": REGISTRATION,
                "instructor": agent("guru"),
                "contextActivities": {"parent": [{"id": PROGRAMME}]},
            },
        ),
        "team": statement(
            actor={"objectType": "Group", "name": "Team", "member": [agent("cici"), agent("ani")]},
            object={"id": OTHER},
        ),
        "guru_about_budi": statement(
            actor=agent("guru"),
            verb={"id": "http://x.org/mentored"},
            object=agent("budi"),
        ),
        "planned": statement(
            actor=agent("dedi"),
            verb={"id": "http://x.org/planned"},
            object={
                "objectType": "SubStatement",
                "actor": agent("eka"),
                "verb": {"id": "http://x.org/visit"},
                "object": {"id": PROGRAMME},
            },
        ),
    }
    for body in made.values():
        response = xapi.post("statements", data=body)
        assert response.status_code == 200, response.content
    return {name: body["id"] for name, body in made.items()}


def test_without_filters_every_statement_comes_newest_first(xapi, stored):
    assert ids_of(xapi.get("statements")) == list(reversed(stored.values()))


def test_ascending_gives_the_oldest_first(xapi, stored):
    assert ids_of(xapi.get("statements", {"ascending": "true"})) == list(stored.values())


def test_agent_matches_actor_object_and_group_members(xapi, stored):
    found = ids_of(xapi.get("statements", {"agent": agent("ani")}))
    assert set(found) == {stored["ani_course"], stored["team"]}
    found = ids_of(xapi.get("statements", {"agent": {"mbox": "mailto:budi@example.org"}}))
    assert set(found) == {stored["budi_other"], stored["guru_about_budi"]}


def test_related_agents_also_matches_instructor_authority_and_sub_statements(xapi, stored):
    guru = {"agent": agent("guru")}
    assert set(ids_of(xapi.get("statements", guru))) == {stored["guru_about_budi"]}
    related = ids_of(xapi.get("statements", {**guru, "related_agents": "true"}))
    assert set(related) == {stored["guru_about_budi"], stored["budi_other"]}
    eka = {"agent": agent("eka")}
    assert ids_of(xapi.get("statements", eka)) == []
    assert ids_of(xapi.get("statements", {**eka, "related_agents": "true"})) == [stored["planned"]]
    authority = Statement.objects.first().payload["authority"]
    everything = ids_of(xapi.get("statements", {"agent": authority, "related_agents": "true"}))
    assert len(everything) == len(stored)


def test_verb_registration_and_activity_filters(xapi, stored):
    assert ids_of(xapi.get("statements", {"verb": ATTEMPTED})) == [stored["budi_other"]]
    registration = {"registration": REGISTRATION}
    assert ids_of(xapi.get("statements", registration)) == [stored["budi_other"]]
    found = ids_of(xapi.get("statements", {"activity": OTHER}))
    assert set(found) == {stored["budi_other"], stored["team"]}


def test_related_activities_also_matches_context_activities_and_sub_statements(xapi, stored):
    assert ids_of(xapi.get("statements", {"activity": PROGRAMME})) == []
    related = ids_of(xapi.get("statements", {"activity": PROGRAMME, "related_activities": "true"}))
    assert set(related) == {stored["budi_other"], stored["planned"]}


def test_filters_combine(xapi, stored):
    found = ids_of(xapi.get("statements", {"activity": OTHER, "agent": agent("budi")}))
    assert found == [stored["budi_other"]]


def test_since_and_until_compare_with_stored(xapi, stored):
    rows = {str(row.public_id): row.payload["stored"] for row in Statement.objects.all()}
    middle = rows[stored["team"]]
    later = ids_of(xapi.get("statements", {"since": middle}))
    earlier = ids_of(xapi.get("statements", {"until": middle}))
    assert stored["team"] not in later and stored["team"] in earlier
    assert set(later) | set(earlier) == set(stored.values())
    assert xapi.get("statements", {"since": "last week"}).status_code == 400


def test_limit_caps_the_page(xapi, stored):
    response = xapi.get("statements", {"limit": "2"})
    assert len(ids_of(response)) == 2
    assert response.json()["more"].startswith("/xapi/statements?more=")
    everything = xapi.get("statements", {"limit": "0"})
    assert len(ids_of(everything)) == len(stored)
    assert everything.json()["more"] == ""
    assert xapi.get("statements", {"limit": "-1"}).status_code == 400
    assert xapi.get("statements", {"limit": "²"}).status_code == 400  # isdigit(), not int()


def test_bad_parameters_are_refused(xapi, stored):
    assert xapi.get("statements", {"verb": "attempted"}).status_code == 400
    assert xapi.get("statements", {"registration": "x"}).status_code == 400
    assert xapi.get("statements", {"ascending": "yes"}).status_code == 400
    assert xapi.get("statements", {"format": "full"}).status_code == 400
    response = xapi.get("statements", {"Verb": ATTEMPTED})
    assert response.status_code == 400
    assert "case-sensitive" in response.json()["detail"]
    anonymous = {"objectType": "Group", "member": [agent("ani")]}
    assert xapi.get("statements", {"agent": anonymous}).status_code == 400


def test_a_statement_targeting_a_matching_statement_matches(xapi, stored):
    """'Andrew confirmed <Ben passed explosives training>' matches Ben and the training."""
    comment = statement(
        actor=agent("fajar"),
        verb={"id": "http://x.org/confirmed"},
        object={"objectType": "StatementRef", "id": stored["budi_other"]},
    )
    about_comment = statement(
        actor=agent("gita"),
        verb={"id": "http://x.org/liked"},
        object={"objectType": "StatementRef", "id": comment["id"]},
    )
    xapi.post("statements", data=[comment, about_comment])
    by_registration = ids_of(xapi.get("statements", {"registration": REGISTRATION}))
    assert by_registration == [about_comment["id"], comment["id"], stored["budi_other"]]
    by_verb = set(ids_of(xapi.get("statements", {"verb": ATTEMPTED})))
    assert by_verb == {stored["budi_other"], comment["id"], about_comment["id"]}
    by_agent = set(ids_of(xapi.get("statements", {"agent": agent("budi")})))
    assert {comment["id"], about_comment["id"]} <= by_agent
    # Each filter may be met by a different statement of the chain.
    both = ids_of(xapi.get("statements", {"agent": agent("fajar"), "activity": OTHER}))
    assert both == [about_comment["id"], comment["id"]]


def test_a_reference_that_arrives_before_its_target_matches_once_the_target_arrives(xapi):
    target = statement(verb={"id": ATTEMPTED})
    first = statement(object={"objectType": "StatementRef", "id": target["id"]})
    second = statement(object={"objectType": "StatementRef", "id": first["id"]})
    xapi.post("statements", data=second)
    xapi.post("statements", data=first)
    assert ids_of(xapi.get("statements", {"verb": ATTEMPTED})) == []
    xapi.post("statements", data=target)
    assert set(ids_of(xapi.get("statements", {"verb": ATTEMPTED}))) == {
        target["id"],
        first["id"],
        second["id"],
    }


def test_ids_format_keeps_only_identifiers(xapi, stored):
    response = xapi.get("statements", {"format": "ids", "verb": ATTEMPTED})
    (found,) = response.json()["statements"]
    assert found["actor"] == {"objectType": "Agent", "mbox": "mailto:budi@example.org"}
    assert found["verb"] == {"id": ATTEMPTED}
    assert found["object"] == {"objectType": "Activity", "id": OTHER}
    assert found["context"]["instructor"] == {
        "objectType": "Agent",
        "mbox": "mailto:guru@example.org",
    }
    team = xapi.get("statements", {"statementId": stored["team"], "format": "ids"}).json()
    assert team["actor"] == {
        "objectType": "Group",
        "member": [
            {"objectType": "Agent", "mbox": "mailto:cici@example.org"},
            {"objectType": "Agent", "mbox": "mailto:ani@example.org"},
        ],
    }


def test_exact_format_returns_what_was_stored(xapi, stored):
    response = xapi.get("statements", {"statementId": stored["ani_course"], "format": "exact"})
    assert response.json() == Statement.objects.get(public_id=stored["ani_course"]).payload


def test_canonical_format_picks_one_language_and_the_canonical_definition(xapi, stored):
    # A later statement teaches the LRS a new description of the course.
    later = statement(
        object={
            "id": COURSE,
            "definition": {"description": {"en": "Ethics for officers", "id": "Etika ASN"}},
        }
    )
    xapi.post("statements", data=later)
    response = xapi.get(
        "statements",
        {"statementId": stored["ani_course"], "format": "canonical"},
        headers={"Accept-Language": "id;q=0.9, en;q=0.5"},
    )
    found = response.json()
    assert found["object"]["definition"] == {
        "name": {"id": "Etika pelayanan"},
        "description": {"id": "Etika ASN"},
    }
    english = xapi.get(
        "statements",
        {"statementId": stored["ani_course"], "format": "canonical"},
        headers={"Accept-Language": "en-GB, id;q=0.1"},
    ).json()
    # No en-GB: the next range (id) wins over a guess.
    assert english["object"]["definition"]["name"] == {"id": "Etika pelayanan"}
    us = xapi.get(
        "statements",
        {"statementId": stored["ani_course"], "format": "canonical"},
        headers={"Accept-Language": "en"},
    ).json()
    assert us["object"]["definition"]["name"] == {"en": "Public service ethics"}
    assert us["verb"]["display"] == {"en-US": "completed"}
    # Agents stay as they were.
    assert us["actor"] == agent()


def test_a_page_of_statements_reads_a_fixed_number_of_queries(
    xapi, stored, django_assert_max_num_queries
):
    # authenticate, the statements, the audit event (with the savepoints of its two nested
    # transactions), and for the canonical format the activity and verb definitions
    with django_assert_max_num_queries(9):
        response = xapi.get("statements", {"agent": agent("ani"), "format": "canonical"})
    assert response.status_code == 200
    with django_assert_max_num_queries(7):
        xapi.get("statements", {"limit": "1"})


def test_statement_results_are_json_with_statements_and_more(xapi, stored):
    response = xapi.get("statements", {"verb": "http://x.org/nothing"})
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"statements": [], "more": ""}
    assert "Last-Modified" not in response
    assert uuid.UUID(stored["ani_course"])
