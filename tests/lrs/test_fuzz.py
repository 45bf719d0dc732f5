"""Never a 500 for bad input (issue: "Invalid statements are rejected with a 400 that says
what is wrong"): the validator, fed odd JSON anywhere in a statement (lists where objects
go, huge numbers, nulls, strings the database cannot hold), either accepts it or raises
StatementError with a message; over HTTP the answer is never a server error."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from satupintu.lrs.validation import StatementError, statement_validate
from tests.lrs.factories import statement

ODD_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "mailto:", "\x00", "http://x.org/\u0000", "1.0.0", "Group", "Agent"]),
    st.text(max_size=20),
)
JSON = st.recursive(
    ODD_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["id", "objectType", "mbox", "member", "definition", "name", "en", "score", "x"]
            )
            | st.text(max_size=8),
            children,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
TEMPLATE = statement(
    context={
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "instructor": {"mbox": "mailto:guru@example.org"},
        "contextActivities": {"parent": [{"id": "http://x.org/p"}]},
    },
    result={"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "completion": True},
)


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


PATHS = [path for path in paths(TEMPLATE) if path]


def mutated(path, replacement):
    result = copy.deepcopy(TEMPLATE)
    target = result
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = replacement
    return result


@settings(max_examples=250, deadline=None)
@given(path=st.sampled_from(PATHS), replacement=JSON)
def test_the_validator_accepts_or_explains(path, replacement):
    try:
        statement_validate(mutated(path, replacement))
    except StatementError as error:
        assert error.detail.startswith("statement")
        assert ": " in error.detail


@settings(max_examples=150, deadline=None)
@given(value=JSON)
def test_anything_at_the_top_is_accepted_or_explained(value):
    try:
        statement_validate(value)
    except StatementError as error:
        assert error.detail


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(PATHS), replacement=JSON)
def test_over_http_bad_input_is_never_a_server_error(xapi, path, replacement):
    body = mutated(path, replacement)
    body.pop("id", None)
    response = xapi.post("statements", data=body)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]",
        b"[" * 5000 + b"]" * 5000,
        b'{"actor": 1e400}',
        b'{"actor": ' + b"9" * 5000 + b"}",
        b"\xff\xfe",
        b"null",
        b"[null]",
        b"[]",
        b'{"actor": {"mbox": "mailto:a@x.org"}, "verb": {"id": "http://x.org/v"}, '
        b'"object": {"id": "http://x.org/\\u0000"}}',
    ],
)
def test_odd_bodies_over_http(xapi, raw):
    response = xapi.post("statements", body=raw)
    assert response.status_code in (200, 400), response.content
    if raw == b"[]":
        assert response.json() == []
    else:
        assert response.status_code == 400
        assert json.loads(response.content)["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"agent": "[]"},
        {"agent": '{"mbox": null}'},
        {"agent": "{" * 3000},
        {"since": "2024-99-99T00:00:00Z"},
        {"limit": "99999999999999999999999"},
        {"more": "x" * 5000},
        {"registration": "\x00"},
        {"activity": "http://x.org/" + "a" * 5000},
    ],
)
def test_odd_parameters_over_http(xapi, params):
    response = xapi.get("statements", params)
    assert response.status_code in (200, 400), response.content
