"""The three formats in which the Statement resource returns statements.

``exact``     the statement as the LRS stored it.
``ids``       agents and groups reduced to their identifiers (an anonymous group to its
              members' identifiers), activities to their id, verbs to their id.
``canonical`` activities and verbs with the LRS's canonical definition and display, each
              language map reduced to the one language the client prefers
              (``Accept-Language``); agents and groups as in ``exact``.
"""

import copy
import datetime
from collections.abc import Callable, Iterable

from django.conf import settings

from satupintu.lrs.identifiers import identifier_of

FORMATS = ("exact", "ids", "canonical")


def format_timestamp(moment: datetime.datetime) -> str:
    """A timestamp in UTC to the millisecond: ``2024-05-01T08:30:00.123Z``."""
    moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# Language negotiation ------------------------------------------------------------------


def accepted_languages(header: str | None) -> list[str]:
    """The language ranges of an Accept-Language header, most wanted first."""
    ranges = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, parameters = item.strip().partition(";")
        if not tag:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranges)]


def choose_language(keys: Iterable[str], ranges: list[str]) -> str | None:
    """The key of a language map that best meets the ranges (RFC 2616: a range matches a
    tag that equals it or begins with it and a hyphen); else the platform's languages;
    else the first key."""
    keys = list(keys)
    if not keys:
        return None
    fallbacks = [settings.LANGUAGE_CODE, "en"]
    for wanted in [*ranges, *fallbacks]:
        if wanted == "*":
            return keys[0]
        for key in keys:
            lowered = key.lower()
            if lowered == wanted or lowered.startswith(wanted + "-"):
                return key
    return keys[0]


def _one_language(language_map: dict, ranges: list[str]) -> dict:
    key = choose_language(language_map, ranges)
    return {} if key is None else {key: language_map[key]}


# Walking a statement -------------------------------------------------------------------


def _walk(
    statement: dict,
    *,
    actor: Callable[[dict], dict] | None = None,
    activity: Callable[[dict], dict] | None = None,
    verb: Callable[[dict], dict] | None = None,
) -> dict:
    """Rewrite, in place, every agent or group, activity and verb of a statement (and of
    its sub-statement)."""

    def body(part: dict) -> None:
        if actor and "actor" in part:
            part["actor"] = actor(part["actor"])
        if verb and "verb" in part:
            part["verb"] = verb(part["verb"])
        obj = part.get("object")
        if obj is not None:
            kind = obj.get("objectType", "Activity")
            if kind == "Activity" and activity:
                part["object"] = activity(obj)
            elif kind in ("Agent", "Group") and actor:
                part["object"] = actor(obj)
            elif kind == "SubStatement":
                body(obj)
        context = part.get("context")
        if context:
            for key in ("instructor", "team"):
                if actor and key in context:
                    context[key] = actor(context[key])
            if activity:
                for key, items in context.get("contextActivities", {}).items():
                    context["contextActivities"][key] = [activity(item) for item in items]

    body(statement)
    if actor and "authority" in statement:
        statement["authority"] = actor(statement["authority"])
    return statement


def _ids_actor(agent: dict) -> dict:
    result = {"objectType": agent.get("objectType", "Agent"), **identifier_of(agent)}
    if result["objectType"] == "Group" and len(result) == 1:
        result["member"] = [_ids_actor(member) for member in agent.get("member", [])]
    return result


def statement_ids(statement: dict) -> dict:
    return _walk(
        copy.deepcopy(statement),
        actor=_ids_actor,
        activity=lambda item: {"objectType": "Activity", "id": item["id"]},
        verb=lambda item: {"id": item["id"]},
    )


def _canonical_definition(definition: dict, ranges: list[str]) -> dict:
    result = copy.deepcopy(definition)
    for key in ("name", "description"):
        if key in result:
            result[key] = _one_language(result[key], ranges)
    for key in ("choices", "scale", "source", "target", "steps"):
        for component in result.get(key, []):
            if "description" in component:
                component["description"] = _one_language(component["description"], ranges)
    return result


def statement_canonical(
    statement: dict, *, activities: dict[str, dict], verbs: dict[str, dict], ranges: list[str]
) -> dict:
    """``activities`` and ``verbs`` map ids to the canonical definition and display the LRS
    knows; an activity or verb it does not know keeps what the statement says."""

    def activity(item: dict) -> dict:
        definition = activities.get(item["id"], item.get("definition"))
        result = {"objectType": "Activity", "id": item["id"]}
        if definition:
            result["definition"] = _canonical_definition(definition, ranges)
        return result

    def verb(item: dict) -> dict:
        display = verbs.get(item["id"], item.get("display"))
        result = {"id": item["id"]}
        if display:
            result["display"] = _one_language(display, ranges)
        return result

    return _walk(copy.deepcopy(statement), activity=activity, verb=verb)


def activity_and_verb_ids(statement: dict) -> tuple[set[str], set[str]]:
    """The ids of every activity and verb a statement names."""
    activity_ids: set[str] = set()
    verb_ids: set[str] = set()

    def remember_activity(item: dict) -> dict:
        activity_ids.add(item["id"])
        return item

    def remember_verb(item: dict) -> dict:
        verb_ids.add(item["id"])
        return item

    _walk(copy.deepcopy(statement), activity=remember_activity, verb=remember_verb)
    return activity_ids, verb_ids
