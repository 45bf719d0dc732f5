"""Whether two statements are the same statement (xAPI 1.0.3, "Statement comparison
requirements").

Differences that the exceptions to statement immutability could cause are ignored: the
properties the LRS assigns (id, authority, stored, version, and a timestamp that was
missing), activity definitions and verb displays, the serialisation of timestamps, the
order of a group's members, the case of an e-mail domain, attachments and a context
activity given as one object instead of a list of one. Every other difference counts.
"""

import json
from typing import Any

from satupintu.lrs.identifiers import canonical_mbox
from satupintu.lrs.validation import parse_timestamp

ASSIGNED = ("id", "authority", "stored", "version", "attachments")


def _actor(actor: dict) -> dict:
    result = {key: value for key, value in actor.items() if key != "member"}
    result.setdefault("objectType", "Agent")
    if "mbox" in result:
        result["mbox"] = canonical_mbox(result["mbox"])
    if "member" in actor:
        members = [_actor(member) for member in actor["member"]]
        result["member"] = sorted(members, key=lambda item: json.dumps(item, sort_keys=True))
    return result


def _activity(activity: dict) -> dict:
    return {"objectType": "Activity", "id": activity["id"]}


def _object(obj: dict) -> dict:
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        return _activity(obj)
    if object_type in ("Agent", "Group"):
        return _actor(obj)
    if object_type == "SubStatement":
        return _body(obj)
    return dict(obj)


def _body(statement: dict) -> dict:
    result: dict[str, Any] = {}
    for key, value in statement.items():
        if key in ASSIGNED:
            continue
        if key == "actor":
            result[key] = _actor(value)
        elif key == "verb":
            result[key] = value["id"]
        elif key == "object":
            result[key] = _object(value)
        elif key == "timestamp":
            instant = parse_timestamp(value, "timestamp")
            # Compared to the millisecond, the precision the LRS must keep.
            result[key] = instant.timestamp() // 0.001
        elif key == "context":
            result[key] = _context(value)
        else:
            result[key] = value
    return result


def _context(context: dict) -> dict:
    result = dict(context)
    for key in ("instructor", "team"):
        if key in result:
            result[key] = _actor(result[key])
    if "contextActivities" in result:
        result["contextActivities"] = {
            key: [_activity(item) for item in (items if isinstance(items, list) else [items])]
            for key, items in result["contextActivities"].items()
        }
    return result


def statements_equivalent(first: dict, second: dict) -> bool:
    """Whether two validated statements are the same statement. A timestamp that only one
    of them has is ignored: the LRS fills it in when it is missing."""
    one, two = _body(first), _body(second)
    if "timestamp" not in one or "timestamp" not in two:
        one.pop("timestamp", None)
        two.pop("timestamp", None)
    return one == two
