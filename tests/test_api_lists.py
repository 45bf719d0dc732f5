"""Every list of the JSON API is guarded (issue: "a query-count test for every list endpoint —
the count must not grow with the number of rows shown — and a test that every list is
paginated").

The list operations are found in the OpenAPI schema, so a new list without a guard in
``tests/api_lists_cases.py`` fails here. Each list answers ``{"items", "next"}``, takes a
``limit`` with a maximum (above it: 422, as ``ListQuery`` does) and a ``cursor``, and its
pages, followed by ``next``, give every row once, in the order of one big page. Showing more
rows costs no more queries.
"""

import functools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.api import api
from tests.api_lists_cases import GUARDS, Caller, ListGuard

pytestmark = pytest.mark.django_db

FEW = 2  # rows made before the first count: enough for any per-row query to show
MORE = 10  # rows added before the second count
PAGE = 10  # the page size both counts ask for: the second page is full
WALK = 5  # the page size of the walk: FEW + MORE rows take three pages or more


@functools.cache
def schema() -> dict:
    return api.get_openapi_schema()


def resolved(node: dict) -> dict:
    if "$ref" in node:
        return schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def is_list(operation: dict) -> bool:
    """Whether a GET operation answers with a list: an array, or an object whose `items` is
    an array."""
    ok = operation.get("responses", {}).get("200") or operation.get("responses", {}).get(200)
    content = (ok or {}).get("content", {}).get("application/json")
    if not content:
        return False
    body = resolved(content["schema"])
    if body.get("type") == "array":
        return True
    items = body.get("properties", {}).get("items")
    return items is not None and resolved(items).get("type") == "array"


def list_paths() -> set[str]:
    return {
        path
        for path, operations in schema()["paths"].items()
        if "get" in operations and is_list(operations["get"])
    }


def query_parameters(path: str) -> dict[str, dict]:
    operation = schema()["paths"][path]["get"]
    return {
        parameter["name"]: parameter.get("schema", {})
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "query"
    }


def fetch(caller: Caller, url: str, **params):
    """GET ``url`` as the caller, with the caller's filters (a `next` link has them already)."""
    data = {} if "?" in url else {**caller.params, **params}
    return caller.client.get(url, data, headers=caller.headers)


def body_of(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def guarded(test: str):
    """The table as parameters of ``test`` ("paging" or "queries"), with its known failures
    marked."""
    params = []
    for guard in GUARDS:
        reason = guard.paging_xfail if test == "paging" else guard.queries_xfail
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(guard, id=guard.path.removeprefix("/api/v1/"), marks=marks))
    return params


# Discovery ---------------------------------------------------------------------------------


def test_the_schema_has_lists_to_guard():
    found = list_paths()
    assert "/api/v1/services" in found
    assert "/api/v1/services/{code}" not in found


def test_every_list_operation_has_a_guard_and_every_guard_an_operation():
    guarded_paths = [guard.path for guard in GUARDS]
    assert len(guarded_paths) == len(set(guarded_paths)), "a path is in the table twice"
    found = list_paths()
    missing = sorted(found - set(guarded_paths))
    gone = sorted(set(guarded_paths) - found)
    assert not missing, f"list operations without a guard in tests/api_lists_cases.py: {missing}"
    assert not gone, f"guards of operations that are no longer lists (or gone): {gone}"


# Pages -------------------------------------------------------------------------------------


def walk(caller: Caller, path: str) -> tuple[list[dict], int]:
    items, pages, url = [], 0, path
    first = True
    while url:
        body = body_of(fetch(caller, url, limit=WALK) if first else fetch(caller, url))
        assert set(body) >= {"items", "next"}
        assert len(body["items"]) <= WALK
        items += body["items"]
        url, pages, first = body["next"], pages + 1, False
        assert pages <= 20, "the pages do not end"
    return items, pages


def assert_bounded(guard: ListGuard, caller: Caller) -> None:
    caller.add(guard.bound.size)
    body = body_of(fetch(caller, guard.path))
    assert set(body) >= {"items", "next"}
    assert len(body["items"]) <= guard.bound.size
    assert body["next"] is None


@pytest.mark.parametrize("guard", guarded("paging"))
def test_every_list_is_paginated(guard: ListGuard):
    caller = guard.caller()
    if guard.bound is not None:
        assert_bounded(guard, caller)
        return
    caller.add(FEW + MORE)

    parameters = query_parameters(guard.path)
    assert "cursor" in parameters, "the list takes no cursor"
    assert "limit" in parameters, "the list takes no limit"
    maximum = parameters["limit"].get("maximum")
    assert isinstance(maximum, int), "the limit has no maximum"
    assert fetch(caller, guard.path, limit=maximum).status_code == 200
    refused = fetch(caller, guard.path, limit=maximum + 1)
    assert refused.status_code == 422, refused.content
    assert refused.json()["code"] == "invalid"
    assert refused.json()["errors"][0]["path"] == "limit"

    walked, pages = walk(caller, guard.path)
    keys = [json.dumps(item, sort_keys=True) for item in walked]
    assert len(keys) == len(set(keys)), "a row is on two pages"
    assert len(walked) >= FEW + MORE and pages >= 3
    everything = body_of(fetch(caller, guard.path, limit=maximum))
    assert everything["next"] is None
    assert walked == everything["items"], "the pages skip rows or change the order"

    bad = fetch(caller, guard.path, cursor="%%%")
    assert bad.status_code == 400, bad.content
    assert bad.json()["code"] == "invalid_cursor"


# Queries -----------------------------------------------------------------------------------


def counted(caller: Caller, path: str) -> tuple[int, int]:
    """The number of queries of one page of the list, and the number of rows it shows."""
    with CaptureQueriesContext(connection) as queries:
        body = body_of(fetch(caller, path, limit=PAGE))
    return len(queries), len(body["items"])


@pytest.mark.parametrize("guard", guarded("queries"))
def test_a_list_costs_the_same_queries_for_any_number_of_rows(guard: ListGuard):
    caller = guard.caller()
    caller.add(FEW)
    body_of(fetch(caller, guard.path, limit=PAGE))  # warm whatever a process caches once

    few_queries, few_rows = counted(caller, guard.path)
    caller.add(MORE)
    many_queries, many_rows = counted(caller, guard.path)

    assert few_rows >= FEW and many_rows > few_rows, (few_rows, many_rows)
    assert few_queries == many_queries, (
        f"{few_queries} queries for {few_rows} rows, {many_queries} for {many_rows}"
    )
