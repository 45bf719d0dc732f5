"""Inverse functional identifiers of agents and groups, and the keys the LRS files them by.

Two agents are the same when they use the same identifier with the same value. The key of
an agent is the SHA-256 digest of its identifier written in one canonical way: of a fixed
length for the index, and free of the address it may hold.
"""

import hashlib
import json

from django.conf import settings

from satupintu.lrs.validation import IFIS


def canonical_mbox(mbox: str) -> str:
    # The domain of an e-mail address is case-insensitive; its local part is not.
    local, _, domain = mbox.rpartition("@")
    return f"{local}@{domain.lower()}"


def identifier_of(agent: dict) -> dict:
    """The one inverse functional identifier of a (validated) agent or identified group,
    as a dict of one property; empty for an anonymous group."""
    for name in IFIS:
        if name in agent:
            return {name: agent[name]}
    return {}


def agent_key(agent: dict) -> str | None:
    """The key of an agent or identified group; ``None`` for an anonymous group."""
    identifier = identifier_of(agent)
    if not identifier:
        return None
    ((name, value),) = identifier.items()
    if name == "mbox":
        value = canonical_mbox(value)
    elif name == "mbox_sha1sum":
        value = value.lower()
    elif name == "account":
        value = [value["homePage"], value["name"]]
    canonical = json.dumps([name, value], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def platform_home_page() -> str:
    return settings.SATUPINTU_PUBLIC_URL


def client_agent(key: str | None) -> dict:
    """The authority of the statements a client stores: an Agent identified by an account
    on this platform named by the client's key (``None``: the platform itself)."""
    return {
        "objectType": "Agent",
        "account": {"homePage": platform_home_page(), "name": key or "satupintu"},
    }
