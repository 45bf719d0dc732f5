"""The structure of statements (xAPI 1.0.3, Part Two, 2.4): actors, verbs, objects,
results, contexts, attachments and sub-statements, and the agent parameter."""

import copy
from typing import Any

from satupintu.lrs.constants import SHA2_LENGTHS, VOIDED_VERB
from satupintu.lrs.validation.values import (
    DURATION_RE,
    HEX_RE,
    MBOX_RE,
    MEDIA_TYPE_RE,
    SHA1_RE,
    VERSION_RE,
    check_extensions,
    check_iri,
    check_keys,
    check_language_map,
    check_language_tag,
    check_uuid,
    expect_boolean,
    expect_list,
    expect_number,
    expect_object,
    expect_string,
    fail,
    parse_json,
    parse_timestamp,
)

INTERACTION_LISTS = {
    "true-false": set(),
    "choice": {"choices"},
    "fill-in": set(),
    "long-fill-in": set(),
    "matching": {"source", "target"},
    "performance": {"steps"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "numeric": set(),
    "other": set(),
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
IFI_NAMES = "mbox, mbox_sha1sum, openid or account"


# Agents and groups ---------------------------------------------------------------------


def _check_ifi(obj: dict, name: str, path: str) -> None:
    value = obj[name]
    where = f"{path}.{name}"
    if name == "mbox":
        expect_string(value, where)
        if not MBOX_RE.match(value):
            fail(where, 'must be a "mailto:" IRI')
    elif name == "mbox_sha1sum":
        expect_string(value, where)
        if not SHA1_RE.match(value):
            fail(where, "must be the 40 hexadecimal digits of a SHA-1 digest")
    elif name == "openid":
        check_iri(value, where, what="URI")
    else:
        account = expect_object(value, where)
        check_keys(account, where, {"homePage", "name"}, ("homePage", "name"))
        check_iri(account["homePage"], f"{where}.homePage", what="IRL")
        expect_string(account["name"], f"{where}.name", empty=False)


def _ifis(obj: dict) -> list[str]:
    return [name for name in IFIS if name in obj]


def check_agent(obj: dict, path: str) -> None:
    check_keys(obj, path, {"objectType", "name", *IFIS})
    if "name" in obj:
        expect_string(obj["name"], f"{path}.name")
    ifis = _ifis(obj)
    if not ifis:
        fail(path, f"an Agent must have exactly one inverse functional identifier ({IFI_NAMES})")
    if len(ifis) > 1:
        fail(
            path,
            "an Agent must have exactly one inverse functional identifier, "
            f"not {len(ifis)} ({', '.join(ifis)})",
        )
    _check_ifi(obj, ifis[0], path)


def check_group(obj: dict, path: str, *, anonymous: bool = True) -> None:
    check_keys(obj, path, {"objectType", "name", "member", *IFIS})
    if "name" in obj:
        expect_string(obj["name"], f"{path}.name")
    ifis = _ifis(obj)
    if len(ifis) > 1:
        fail(
            path,
            "an identified Group must have exactly one inverse functional identifier, "
            f"not {len(ifis)} ({', '.join(ifis)})",
        )
    if "member" in obj:
        members = expect_list(obj["member"], f"{path}.member")
        for index, member in enumerate(members):
            where = f"{path}.member[{index}]"
            expect_object(member, where)
            if member.get("objectType") == "Group":
                fail(f"{where}.objectType", "a Group's members must be Agents, not Groups")
            check_actor(member, where)
    if ifis:
        _check_ifi(obj, ifis[0], path)
        return
    if not anonymous:
        fail(path, f"must be identified by one inverse functional identifier ({IFI_NAMES})")
    if not obj.get("member"):
        fail(
            f"{path}.member",
            "an anonymous Group (one without an inverse functional identifier) must list "
            "its members",
        )


def check_actor(
    value: Any,
    path: str,
    *,
    object_type_required: bool = False,
    groups: bool = True,
    anonymous: bool = True,
) -> str:
    """Check an Agent or a Group; returns its objectType."""
    obj = expect_object(value, path)
    object_type = obj.get("objectType")
    if object_type is None:
        if object_type_required:
            fail(f"{path}.objectType", 'is required here ("Agent" or "Group")')
        object_type = "Agent"
    elif object_type not in ("Agent", "Group"):
        fail(f"{path}.objectType", 'must be "Agent" or "Group"')
    if object_type == "Group":
        if not groups:
            fail(f"{path}.objectType", "must be an Agent, not a Group")
        check_group(obj, path, anonymous=anonymous)
    else:
        check_agent(obj, path)
    return object_type


# Verbs, activities and objects ---------------------------------------------------------


def check_verb(value: Any, path: str) -> None:
    verb = expect_object(value, path)
    check_keys(verb, path, {"id", "display"}, ("id",))
    check_iri(verb["id"], f"{path}.id")
    if "display" in verb:
        check_language_map(verb["display"], f"{path}.display")


DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        *COMPONENT_LISTS,
    }
)


def check_definition(value: Any, path: str) -> None:
    definition = expect_object(value, path)
    check_keys(definition, path, DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in definition:
            check_language_map(definition[key], f"{path}.{key}")
    if "type" in definition:
        check_iri(definition["type"], f"{path}.type")
    if "moreInfo" in definition:
        check_iri(definition["moreInfo"], f"{path}.moreInfo", what="IRL")
    if "extensions" in definition:
        check_extensions(definition["extensions"], f"{path}.extensions")
    interaction = definition.get("interactionType")
    lists = [key for key in COMPONENT_LISTS if key in definition]
    if interaction is None:
        if lists or "correctResponsesPattern" in definition:
            fail(
                f"{path}.interactionType",
                "is required when correctResponsesPattern or an interaction component "
                "list is given",
            )
        return
    expect_string(interaction, f"{path}.interactionType")
    if interaction not in INTERACTION_LISTS:
        fail(f"{path}.interactionType", f"must be one of {', '.join(INTERACTION_LISTS)}")
    if "correctResponsesPattern" in definition:
        where = f"{path}.correctResponsesPattern"
        for index, pattern in enumerate(expect_list(definition["correctResponsesPattern"], where)):
            expect_string(pattern, f"{where}[{index}]")
    for key in lists:
        where = f"{path}.{key}"
        if key not in INTERACTION_LISTS[interaction]:
            fail(where, f'is not used by the interaction type "{interaction}"')
        seen: set[str] = set()
        for index, component in enumerate(expect_list(definition[key], where)):
            item = f"{where}[{index}]"
            expect_object(component, item)
            check_keys(component, item, {"id", "description"}, ("id",))
            component_id = expect_string(component["id"], f"{item}.id", empty=False)
            if component_id in seen:
                fail(f"{item}.id", f'"{component_id}" is used twice in this list')
            seen.add(component_id)
            if "description" in component:
                check_language_map(component["description"], f"{item}.description")


def check_activity(value: Any, path: str) -> None:
    activity = expect_object(value, path)
    check_keys(activity, path, {"objectType", "id", "definition"}, ("id",))
    if "objectType" in activity and activity["objectType"] != "Activity":
        fail(f"{path}.objectType", 'must be "Activity"')
    check_iri(activity["id"], f"{path}.id")
    if "definition" in activity:
        check_definition(activity["definition"], f"{path}.definition")


def check_statement_ref(value: Any, path: str) -> None:
    ref = expect_object(value, path)
    check_keys(ref, path, {"objectType", "id"}, ("objectType", "id"))
    if ref["objectType"] != "StatementRef":
        fail(f"{path}.objectType", 'must be "StatementRef"')
    check_uuid(ref["id"], f"{path}.id")


OBJECT_TYPES = ("Activity", "Agent", "Group", "SubStatement", "StatementRef")


def check_object(value: Any, path: str, *, nested: bool = False) -> str:
    """Check a statement's object; returns its objectType."""
    obj = expect_object(value, path)
    object_type = obj.get("objectType", "Activity")
    if object_type not in OBJECT_TYPES:
        fail(f"{path}.objectType", f"must be one of {', '.join(OBJECT_TYPES)}")
    if object_type == "Activity":
        check_activity(obj, path)
    elif object_type in ("Agent", "Group"):
        check_actor(obj, path, object_type_required=True)
    elif object_type == "StatementRef":
        check_statement_ref(obj, path)
    elif nested:
        fail(f"{path}.objectType", "a SubStatement cannot contain another SubStatement")
    else:
        check_substatement(obj, path)
    return object_type


# Result and context --------------------------------------------------------------------


def check_result(value: Any, path: str) -> None:
    result = expect_object(value, path)
    check_keys(
        result, path, {"score", "success", "completion", "response", "duration", "extensions"}
    )
    if "score" in result:
        where = f"{path}.score"
        score = expect_object(result["score"], where)
        check_keys(score, where, {"scaled", "raw", "min", "max"})
        numbers = {key: expect_number(score[key], f"{where}.{key}") for key in score}
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            fail(f"{where}.scaled", "must be between -1 and 1")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and not low < high:
            fail(f"{where}.min", "must be less than max")
        if raw is not None and low is not None and raw < low:
            fail(f"{where}.raw", "must not be less than min")
        if raw is not None and high is not None and raw > high:
            fail(f"{where}.raw", "must not be greater than max")
    for key in ("success", "completion"):
        if key in result:
            expect_boolean(result[key], f"{path}.{key}")
    if "response" in result:
        expect_string(result["response"], f"{path}.response")
    if "duration" in result:
        duration = expect_string(result["duration"], f"{path}.duration")
        if not DURATION_RE.match(duration):
            fail(f"{path}.duration", "must be an ISO 8601 duration, such as PT1H30M or PT45.5S")
    if "extensions" in result:
        check_extensions(result["extensions"], f"{path}.extensions")


CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")


def check_context(value: Any, path: str) -> None:
    """Check a context, and turn each context activity given as one object into a list of
    one (the LRS returns them as lists)."""
    context = expect_object(value, path)
    check_keys(
        context,
        path,
        {
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        },
    )
    if "registration" in context:
        check_uuid(context["registration"], f"{path}.registration")
    if "instructor" in context:
        check_actor(context["instructor"], f"{path}.instructor")
    if "team" in context:
        team = expect_object(context["team"], f"{path}.team")
        if team.get("objectType") != "Group":
            fail(f"{path}.team", 'must be a Group (with "objectType": "Group")')
        check_actor(team, f"{path}.team")
    if "contextActivities" in context:
        where = f"{path}.contextActivities"
        activities = expect_object(context["contextActivities"], where)
        check_keys(activities, where, set(CONTEXT_ACTIVITY_KEYS))
        for key, items in list(activities.items()):
            if isinstance(items, dict):
                items = activities[key] = [items]
            expect_list(items, f"{where}.{key}")
            for index, activity in enumerate(items):
                check_activity(activity, f"{where}.{key}[{index}]")
    for key in ("revision", "platform"):
        if key in context:
            expect_string(context[key], f"{path}.{key}")
    if "language" in context:
        check_language_tag(context["language"], f"{path}.language")
    if "statement" in context:
        check_statement_ref(context["statement"], f"{path}.statement")
    if "extensions" in context:
        check_extensions(context["extensions"], f"{path}.extensions")


# Attachments ---------------------------------------------------------------------------


def check_attachments(value: Any, path: str) -> None:
    for index, item in enumerate(expect_list(value, path)):
        where = f"{path}[{index}]"
        attachment = expect_object(item, where)
        check_keys(
            attachment,
            where,
            {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"},
            ("usageType", "display", "contentType", "length", "sha2"),
        )
        check_iri(attachment["usageType"], f"{where}.usageType")
        check_language_map(attachment["display"], f"{where}.display")
        if "description" in attachment:
            check_language_map(attachment["description"], f"{where}.description")
        content_type = expect_string(attachment["contentType"], f"{where}.contentType")
        if not MEDIA_TYPE_RE.match(content_type):
            fail(f"{where}.contentType", "must be an Internet media type, such as image/png")
        length = attachment["length"]
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            fail(f"{where}.length", "must be a whole number of octets (0 or more)")
        sha2 = expect_string(attachment["sha2"], f"{where}.sha2")
        if not HEX_RE.match(sha2) or len(sha2) not in SHA2_LENGTHS:
            fail(
                f"{where}.sha2",
                "must be the hexadecimal SHA-2 digest of the data (SHA-224, -256, -384 or -512)",
            )
        if "fileUrl" in attachment:
            check_iri(attachment["fileUrl"], f"{where}.fileUrl", what="IRL")


# Statements ----------------------------------------------------------------------------

STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)


def _check_body(statement: dict, path: str, *, nested: bool) -> None:
    check_actor(statement["actor"], f"{path}.actor")
    check_verb(statement["verb"], f"{path}.verb")
    object_type = check_object(statement["object"], f"{path}.object", nested=nested)
    if "result" in statement:
        check_result(statement["result"], f"{path}.result")
    if "context" in statement:
        check_context(statement["context"], f"{path}.context")
        for key in ("revision", "platform"):
            if key in statement["context"] and object_type != "Activity":
                fail(
                    f"{path}.context.{key}",
                    "may only be used when the statement's object is an Activity",
                )
    if "timestamp" in statement:
        parse_timestamp(statement["timestamp"], f"{path}.timestamp")
    if "attachments" in statement:
        check_attachments(statement["attachments"], f"{path}.attachments")


def check_substatement(obj: dict, path: str) -> None:
    for key in ("id", "stored", "version", "authority"):
        if key in obj:
            fail(f"{path}.{key}", "a SubStatement must not have this property")
    check_keys(obj, path, SUBSTATEMENT_KEYS, ("actor", "verb", "object"))
    _check_body(obj, path, nested=True)


def statement_validate(value: Any, path: str = "statement") -> dict:
    """Check one statement; returns a normalised copy (context activities as lists) or
    raises ``StatementError`` naming the first property that is wrong."""
    statement = copy.deepcopy(expect_object(value, path))
    check_keys(statement, path, STATEMENT_KEYS, ("actor", "verb", "object"))
    if "id" in statement:
        check_uuid(statement["id"], f"{path}.id")
    _check_body(statement, path, nested=False)
    if statement["verb"]["id"] == VOIDED_VERB and (
        statement["object"].get("objectType") != "StatementRef"
    ):
        fail(
            f"{path}.object.objectType",
            'a statement with the verb "voided" must have a StatementRef as its object',
        )
    if "stored" in statement:
        parse_timestamp(statement["stored"], f"{path}.stored")
    if "authority" in statement:
        where = f"{path}.authority"
        if check_actor(statement["authority"], where) == "Group" and (
            len(statement["authority"].get("member", [])) != 2
        ):
            fail(where, "an authority that is a Group must have exactly two members")
    if "version" in statement:
        version = expect_string(statement["version"], f"{path}.version")
        if not VERSION_RE.match(version):
            fail(f"{path}.version", "must be 1.0.0 (or another 1.0.x version)")
    return statement


def agent_parameter(value: str, name: str = "agent", *, groups: bool = False) -> dict:
    """The JSON value of an ``agent`` parameter: an Agent (or, where ``groups``, an
    identified Group), with exactly one inverse functional identifier."""
    agent = parse_json(value, name)
    check_actor(agent, name, groups=groups, anonymous=False)
    return agent
