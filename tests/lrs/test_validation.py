"""Statements are validated as strictly as the specification's MUSTs (xAPI 1.0.3, Part
Two): each rule refuses a statement that breaks it with a message naming the property's
path and what is wrong, and statements that follow the rules pass."""

import copy

import pytest

from satupintu.lrs.validation import StatementError, agent_parameter, statement_validate
from tests.lrs.factories import statement

ACTIVITY = "https://satupintu.example/courses/etika"


def base() -> dict:
    return statement(id="6690e6c9-3ef0-4ed3-8b37-7f3964730bee")


def with_(path: str, value):
    """A statement with the property at a dotted path set to ``value`` (``DELETE``
    removes it)."""

    def make() -> dict:
        result = base()
        target = result
        keys = path.split(".")
        for key in keys[:-1]:
            target = target.setdefault(key, {}) if not key.isdigit() else target[int(key)]
        if value is DELETE:
            target.pop(keys[-1])
        else:
            target[keys[-1]] = copy.deepcopy(value)
        return result

    return make


DELETE = object()
MBOX = "mailto:ani@example.org"
GROUP = {"objectType": "Group", "mbox": "mailto:team@example.org"}

INVALID = [
    # Statement properties
    (with_("actor", DELETE), "statement.actor: is required"),
    (with_("verb", DELETE), "statement.verb: is required"),
    (with_("object", DELETE), "statement.object: is required"),
    (with_("colour", "blue"), "statement.colour: is not a property"),
    (with_("Actor", {"mbox": MBOX}), 'statement.Actor: is not allowed; the property is "actor"'),
    (with_("id", "not-a-uuid"), "statement.id: must be a UUID"),
    (with_("id", ""), "statement.id: must be a UUID"),
    (with_("id", 12), "statement.id: must be a string"),
    (with_("timestamp", "yesterday"), "statement.timestamp: must be an ISO 8601 timestamp"),
    (with_("timestamp", "2024-02-30T10:00:00Z"), "statement.timestamp: must be an ISO 8601"),
    (with_("timestamp", "2024-05-01T10:00:00-00:00"), "statement.timestamp: must not use"),
    (with_("stored", "2024-13-01T10:00:00Z"), "statement.stored: must be an ISO 8601"),
    (with_("version", "1.1.0"), "statement.version: must be 1.0.0"),
    (with_("version", "0.95"), "statement.version: must be 1.0.0"),
    (with_("version", 1.0), "statement.version: must be a string"),
    (with_("result", None), "statement.result: must not be null"),
    # Agents and groups
    (with_("actor.mbox", "ani@example.org"), 'statement.actor.mbox: must be a "mailto:" IRI'),
    (
        with_("actor.openid", "http://openid.example.org/ani"),
        "statement.actor: an Agent must have exactly one inverse functional identifier, not 2",
    ),
    (with_("actor", {"name": "Ani"}), "statement.actor: an Agent must have exactly one"),
    (with_("actor.mbox_sha1sum", DELETE), None),  # a placeholder, replaced below
    (with_("actor.objectType", "Person"), 'statement.actor.objectType: must be "Agent" or'),
    (with_("actor.objectType", "agent"), 'statement.actor.objectType: must be "Agent" or'),
    (
        with_("actor", {"mbox_sha1sum": "xyz"}),
        "statement.actor.mbox_sha1sum: must be the 40 hexadecimal digits",
    ),
    (with_("actor", {"openid": "not an iri"}), "statement.actor.openid: must be an absolute URI"),
    (
        with_("actor", {"account": {"homePage": "http://lms.example.org"}}),
        "statement.actor.account.name: is required",
    ),
    (
        with_("actor", {"account": {"homePage": "lms", "name": "ani"}}),
        "statement.actor.account.homePage: must be an absolute IRL",
    ),
    (
        with_("actor", {"account": {"homePage": "http://x.org", "name": "a", "id": 1}}),
        "statement.actor.account.id: is not a property",
    ),
    (with_("actor.name", 7), "statement.actor.name: must be a string"),
    (
        with_("actor", {"objectType": "Group", "name": "Team"}),
        "statement.actor.member: an anonymous Group",
    ),
    (
        with_("actor", {"objectType": "Group", "member": [GROUP]}),
        "statement.actor.member[0].objectType: a Group's members must be Agents",
    ),
    (
        with_("actor", {"objectType": "Group", "member": [{"mbox": "x"}]}),
        'statement.actor.member[0].mbox: must be a "mailto:" IRI',
    ),
    (
        with_("actor", {**GROUP, "openid": "http://x.org/t"}),
        "statement.actor: an identified Group must have exactly one",
    ),
    (with_("actor", [{"mbox": MBOX}]), "statement.actor: must be a JSON object, not an array"),
    # Verbs
    (with_("verb.id", DELETE), "statement.verb.id: is required"),
    (with_("verb.id", "completed"), "statement.verb.id: must be an absolute IRI"),
    (with_("verb.display", {"en_US": "completed"}), "statement.verb.display.en_US: the key"),
    (with_("verb.display", {"en": 1}), "statement.verb.display.en: must be a string"),
    (with_("verb.display", "completed"), "statement.verb.display: must be a JSON object"),
    # Objects
    (with_("object.objectType", "Course"), "statement.object.objectType: must be one of"),
    (with_("object.id", "/courses/etika"), "statement.object.id: must be an absolute IRI"),
    (with_("object.id", DELETE), "statement.object.id: is required"),
    (with_("object.definition.type", "course"), "statement.object.definition.type: must be"),
    (
        with_("object.definition.moreInfo", "info"),
        "statement.object.definition.moreInfo: must be an absolute IRL",
    ),
    (
        with_("object.definition.interactionType", "essay"),
        "statement.object.definition.interactionType: must be one of",
    ),
    (
        with_("object.definition.choices", [{"id": "a"}]),
        "statement.object.definition.interactionType: is required",
    ),
    (
        with_("object.definition.extensions", {"colour": 1}),
        "statement.object.definition.extensions.colour: the key of an extension must be",
    ),
    (
        with_("object", {"objectType": "Agent", "mbox": "x"}),
        'statement.object.mbox: must be a "mailto:" IRI',
    ),
    (
        with_("object", {"mbox": MBOX}),
        "statement.object.mbox: is not a property",  # an Activity without objectType
    ),
    (
        with_("object", {"objectType": "StatementRef", "id": "nope"}),
        "statement.object.id: must be a UUID",
    ),
    (
        with_(
            "object",
            {
                "objectType": "StatementRef",
                "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
                "definition": {},
            },
        ),
        "statement.object.definition: is not a property",
    ),
    # SubStatements
    (
        with_(
            "object",
            {
                "objectType": "SubStatement",
                "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
                "actor": {"mbox": MBOX},
                "verb": {"id": "http://x.org/v"},
                "object": {"id": ACTIVITY},
            },
        ),
        "statement.object.id: a SubStatement must not have this property",
    ),
    (
        with_(
            "object",
            {
                "objectType": "SubStatement",
                "actor": {"mbox": MBOX},
                "verb": {"id": "http://x.org/v"},
                "object": {
                    "objectType": "SubStatement",
                    "actor": {"mbox": MBOX},
                    "verb": {"id": "http://x.org/v"},
                    "object": {"id": ACTIVITY},
                },
            },
        ),
        "statement.object.object.objectType: a SubStatement cannot contain another",
    ),
    (
        with_(
            "object",
            {"objectType": "SubStatement", "actor": {"mbox": "x"}, "verb": {"id": "x"}},
        ),
        "statement.object.object: is required",
    ),
    # Result
    (with_("result", {"success": "true"}), "statement.result.success: must be true or false"),
    (with_("result", {"completion": 1}), "statement.result.completion: must be true or false"),
    (with_("result", {"score": {"scaled": "0.5"}}), "statement.result.score.scaled: must be a"),
    (with_("result", {"score": {"scaled": 1.5}}), "statement.result.score.scaled: must be between"),
    (with_("result", {"score": {"min": 5, "max": 5}}), "statement.result.score.min: must be less"),
    (
        with_("result", {"score": {"raw": 11, "min": 0, "max": 10}}),
        "statement.result.score.raw: must not be greater than max",
    ),
    (
        with_("result", {"score": {"raw": -1, "min": 0}}),
        "statement.result.score.raw: must not be less than min",
    ),
    (with_("result", {"score": {"raw": True}}), "statement.result.score.raw: must be a number"),
    (with_("result", {"duration": "1 hour"}), "statement.result.duration: must be an ISO 8601"),
    (with_("result", {"duration": "P4W1D"}), "statement.result.duration: must be an ISO 8601"),
    (with_("result", {"duration": "PT"}), "statement.result.duration: must be an ISO 8601"),
    (with_("result", {"response": ["a"]}), "statement.result.response: must be a string"),
    # Context
    (with_("context", {"registration": "abc"}), "statement.context.registration: must be a UUID"),
    (
        with_("context", {"team": {"mbox": MBOX}}),
        "statement.context.team: must be a Group",
    ),
    (
        with_("context", {"contextActivities": {"parents": []}}),
        "statement.context.contextActivities.parents: is not a property",
    ),
    (
        with_("context", {"contextActivities": {"parent": "http://x.org/a"}}),
        "statement.context.contextActivities.parent: must be a JSON array",
    ),
    (
        with_("context", {"contextActivities": {"other": [{"id": "a"}]}}),
        "statement.context.contextActivities.other[0].id: must be an absolute IRI",
    ),
    (with_("context", {"language": "english!"}), "statement.context.language: must be an RFC 5646"),
    (
        with_("context", {"statement": {"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}}),
        "statement.context.statement.objectType: is required",
    ),
    (
        with_("context", {"extensions": {"http://x.org/e": None}, "revision": None}),
        "statement.context.revision: must not be null",
    ),
    # Authority
    (
        with_("authority", {"objectType": "Group", "member": [{"mbox": MBOX}]}),
        "statement.authority: an authority that is a Group must have exactly two members",
    ),
    # Attachments
    (with_("attachments", {}), "statement.attachments: must be a JSON array"),
    (
        with_("attachments", [{"usageType": "http://x.org/u", "display": {"en": "x"}}]),
        "statement.attachments[0].contentType: is required",
    ),
    (
        with_(
            "attachments",
            [
                {
                    "usageType": "http://x.org/u",
                    "display": {"en": "x"},
                    "contentType": "text/plain",
                    "length": "27",
                    "sha2": "a" * 64,
                }
            ],
        ),
        "statement.attachments[0].length: must be a whole number",
    ),
    (
        with_(
            "attachments",
            [
                {
                    "usageType": "http://x.org/u",
                    "display": {"en": "x"},
                    "contentType": "plain",
                    "length": 27,
                    "sha2": "a" * 64,
                }
            ],
        ),
        "statement.attachments[0].contentType: must be an Internet media type",
    ),
    (
        with_(
            "attachments",
            [
                {
                    "usageType": "http://x.org/u",
                    "display": {"en": "x"},
                    "contentType": "text/plain",
                    "length": 27,
                    "sha2": "xyz",
                }
            ],
        ),
        "statement.attachments[0].sha2: must be the hexadecimal SHA-2 digest",
    ),
]
# The placeholder above: an Agent with no identifier at all.
INVALID[19] = (with_("actor.mbox", DELETE), "statement.actor: an Agent must have exactly one")


@pytest.mark.parametrize(("make", "message"), INVALID, ids=[m for _, m in INVALID])
def test_each_rule_refuses_a_statement_that_breaks_it(make, message):
    with pytest.raises(StatementError) as caught:
        statement_validate(make())
    assert caught.value.detail.startswith(message), caught.value.detail
    assert caught.value.status == 400


def test_revision_and_platform_need_an_activity_as_object():
    body = base()
    body["object"] = {"objectType": "Agent", "mbox": MBOX}
    body["context"] = {"platform": "Moodle"}
    with pytest.raises(StatementError) as caught:
        statement_validate(body)
    assert caught.value.detail.startswith("statement.context.platform: may only be used")


def test_a_voiding_statement_must_have_a_statement_ref_object():
    body = base()
    body["verb"] = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    with pytest.raises(StatementError) as caught:
        statement_validate(body)
    assert caught.value.detail.startswith("statement.object.objectType: a statement with")


def test_interaction_component_lists_must_fit_the_interaction_type():
    body = base()
    body["object"]["definition"] = {"interactionType": "true-false", "choices": [{"id": "a"}]}
    with pytest.raises(StatementError) as caught:
        statement_validate(body)
    assert "is not used by the interaction type" in caught.value.detail
    body["object"]["definition"] = {
        "interactionType": "choice",
        "choices": [{"id": "a"}, {"id": "a"}],
    }
    with pytest.raises(StatementError) as caught:
        statement_validate(body)
    assert caught.value.detail.startswith(
        'statement.object.definition.choices[1].id: "a" is used twice'
    )


VALID = [
    {"actor": {"mbox": MBOX}, "verb": {"id": "http://x.org/v"}, "object": {"id": ACTIVITY}},
    {
        "actor": {"objectType": "Group", "member": [{"openid": "http://openid.example.org/a"}]},
        "verb": {"id": "http://x.org/v", "display": {"en-US": "v", "zh-Hant-TW": "v", "tlh": "v"}},
        "object": {"objectType": "Agent", "account": {"homePage": "http://x.org", "name": "7"}},
        "timestamp": "2013-05-18T05:32:34.804+00:00",
    },
    {
        "actor": {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},
        "verb": {"id": "http://x.org/planned"},
        "object": {
            "objectType": "SubStatement",
            "actor": {"mbox": MBOX},
            "verb": {"id": "http://x.org/visited"},
            "object": {"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"},
            "timestamp": "2099-01-01T00:00:00Z",
        },
        "result": {
            "score": {"scaled": -1, "raw": 0, "min": -5, "max": 5.5},
            "success": False,
            "duration": "P3Y1M29DT4H35M59.14S",
            "extensions": {"http://x.org/e": None},
        },
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": {"mbox": "mailto:guru@example.org"},
            "team": {"objectType": "Group", "mbox": "mailto:team@example.org"},
            "contextActivities": {"category": [{"id": "http://x.org/profile"}]},
            "language": "id-ID",
            "statement": {
                "objectType": "StatementRef",
                "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            },
        },
        "version": "1.0",
    },
    {
        "actor": {"mbox": MBOX},
        "verb": {"id": "http://x.org/answered"},
        "object": {
            "id": "http://x.org/q1",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": "matching",
                "correctResponsesPattern": ["ben[.]3"],
                "source": [{"id": "ben", "description": {"en": "Ben"}}],
                "target": [{"id": "3"}],
            },
        },
        "result": {"duration": "P4W"},
        "attachments": [
            {
                "usageType": "http://x.org/certificate",
                "display": {"en": "Certificate"},
                "contentType": "application/pdf",
                "length": 0,
                "sha2": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "fileUrl": "https://files.example.org/c.pdf",
            }
        ],
    },
]


@pytest.mark.parametrize("body", VALID)
def test_statements_that_follow_the_rules_pass(body):
    assert statement_validate(body)["actor"] == body["actor"]


def test_validation_does_not_change_what_it_was_given():
    body = base()
    body["context"] = {"contextActivities": {"parent": {"id": ACTIVITY}}}
    result = statement_validate(body)
    assert result["context"]["contextActivities"]["parent"] == [{"id": ACTIVITY}]
    assert body["context"]["contextActivities"]["parent"] == {"id": ACTIVITY}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{", "agent: is not valid JSON"),
        ('{"mbox": "mailto:a@x.org", "mbox": "mailto:b@x.org"}', "appears twice"),
        ('{"objectType": "Group", "mbox": "mailto:t@x.org"}', "agent.objectType: must be an Agent"),
        ('{"mbox": "mailto:a\\u0000@x.org"}', "agent.mbox: must not contain a NUL"),
        ('{"mbox": "mailto:\\ud800@x.org"}', "unpaired surrogate"),
        ('{"name": NaN}', "agent: is not valid JSON"),
        ('{"name": 1e999}', "too large"),
    ],
)
def test_agent_parameters_are_validated_like_agents_in_statements(value, message):
    with pytest.raises(StatementError) as caught:
        agent_parameter(value)
    assert message in caught.value.detail
