"""Validation of statements and of the values of xAPI parameters (xAPI 1.0.3, Part Two).

The LRS is strict where the specification says MUST: unknown properties, wrong types,
nulls outside extensions, values that do not follow their format, missing required
properties and more than one inverse functional identifier are all rejected. Each error
names the property by its path (``statement[0].actor.mbox``) and says what is wrong.

These messages are read by the developers of xAPI clients, in English, like the rest of
the protocol; they are not translated.
"""

from satupintu.lrs.validation.statements import (
    IFIS,
    agent_parameter,
    check_actor,
    statement_validate,
)
from satupintu.lrs.validation.values import (
    VERSION_RE,
    StatementConflict,
    StatementError,
    check_iri,
    check_uuid,
    fail,
    parse_json,
    parse_timestamp,
)

__all__ = [
    "IFIS",
    "VERSION_RE",
    "StatementConflict",
    "StatementError",
    "agent_parameter",
    "check_actor",
    "check_iri",
    "check_uuid",
    "fail",
    "parse_json",
    "parse_timestamp",
    "statement_validate",
]
