"""Every list page is guarded (issue: query-count and pagination guards for every list page):
each named page of the site is either a list or not a list with a reason, so a new page
cannot come without a guard; every list shows at most its page size with a link to the
next page, and following the links shows each row once; and the number of queries a list
page costs does not grow with the number of rows it shows."""

from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.page_lists_cases import LIST_PAGES, NOT_LIST_PAGES, ListPage

# What is not a page of the site: the admin, the JSON API and the LRS, the language switch
# and the sign-in of an identity provider.
NOT_PAGES = ("admin/", "api/", "xapi/", "i18n/", "oidc/", "static/")


def page_names() -> set[str]:
    """The namespaced names of the site's pages, from the URLconf."""
    found: set[str] = set()

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(NOT_PAGES):
                continue
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver(), "", "")
    return found


def params(pages: list[ListPage], *, paging: bool = False):
    """The table as test parameters; with ``paging``, a page that is known to lack paging
    is expected to fail (strictly: the mark must go once the page is paginated)."""
    return [
        pytest.param(
            page,
            id=page.name,
            marks=[pytest.mark.xfail(strict=True, reason=page.unpaginated)]
            if paging and page.unpaginated
            else [],
        )
        for page in pages
    ]


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def shown(response, markers: list[str]) -> set[str]:
    body = response.content.decode()
    return {marker for marker in markers if marker in body}


def next_url(response, url: str) -> str:
    """The next page's address: the page's ``next_url``, which its HTML links to."""
    following = (response.context or {}).get("next_url") or ""
    if following:
        assert following.replace("&", "&amp;") in response.content.decode()
    return urljoin(url, following) if following else ""


# The table -------------------------------------------------------------------------------


def test_every_page_of_the_site_is_in_the_table():
    listed = {page.name for page in LIST_PAGES}
    assert not listed & set(NOT_LIST_PAGES), "a page cannot be both"
    missing = page_names() - listed - set(NOT_LIST_PAGES)
    assert not missing, (
        f"new pages without a guard: add them to tests/page_lists_cases.py: {missing}"
    )


def test_every_page_of_the_table_still_exists():
    gone = ({page.name for page in LIST_PAGES} | set(NOT_LIST_PAGES)) - page_names()
    assert not gone, f"the table names pages that no longer exist: {gone}"


def test_the_discovery_finds_pages_and_leaves_out_the_api():
    names = page_names()
    assert "notifications:inbox" in names and "cases:queue" in names
    assert not any(name.startswith(("api:", "lrs:", "admin:")) for name in names)


# Pagination ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page", params(LIST_PAGES, paging=True))
def test_every_list_is_paginated(page: ListPage):
    listing = page.build()
    markers = listing.add(page.page_size + 3)
    client = client_of(listing.user)

    url, seen, pages = listing.url, [], 0
    while url and pages < 10:
        response = get(client, url)
        found = shown(response, markers)
        assert len(found) <= page.page_size, f"page {pages + 1} shows {len(found)} rows"
        assert not found & set(seen), "a row shown twice"
        seen += found
        pages += 1
        url = next_url(response, url)
    assert pages >= 2, "more rows than a page, but no link to a next page"
    assert set(seen) == set(markers), "following the pages does not show every row"


# Queries ---------------------------------------------------------------------------------


def queries_of(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        get(client, url)
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("page", params(LIST_PAGES))
def test_no_list_page_costs_more_queries_with_more_rows(page: ListPage):
    listing = page.build()
    client = client_of(listing.user)
    listing.add(2)
    get(client, listing.url)  # warm what a process reads once (holidays, content types)
    few = queries_of(client, listing.url)
    listing.add(page.page_size)
    many = queries_of(client, listing.url)
    assert len(many) == len(few), "\n".join(many)


# Odd filters -----------------------------------------------------------------------------

# Values a person or a crawler may put in any filter of a list: words where numbers go,
# numbers out of range, digits that Python's isdigit() takes and int() refuses, impossible
# dates, quotes, a path, something very long.
ODD_VALUES = [
    "zzz",
    "-1",
    "0",
    "9" * 30,
    "²",
    "٢٠٢٦",
    "2026-13-45",
    "1e309",
    "'\"<>",
    "../..",
    "x" * 300,
]
PAGING = {"page", "cursor", "after", "limit"}


class _GetFields(HTMLParser):
    """The names of the fields of a page's GET forms (its filters and search)."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif (
            tag in ("input", "select", "textarea")
            and self._in_get_form
            and attributes.get("name")
            and attributes.get("type") not in ("submit", "button")
        ):
            self.names.add(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


@pytest.mark.django_db
@pytest.mark.parametrize("page", params(LIST_PAGES))
def test_odd_filter_values_never_break_a_list(page: ListPage):
    """Every field of a list's filters, and its paging, given a value it does not expect:
    the page answers (the filter ignored or explained), never a server error."""
    listing = page.build()
    client = client_of(listing.user)
    listing.add(2)
    fields = _GetFields()
    fields.feed(get(client, listing.url).content.decode())
    names = sorted(fields.names | PAGING)
    separator = "&" if "?" in listing.url else "?"
    for value in ODD_VALUES:
        url = listing.url + separator + urlencode(dict.fromkeys(names, value))
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
    for name in names:
        for value in ("9" * 30, "2026-02-30"):
            url = listing.url + separator + urlencode({name: value})
            assert client.get(url).status_code < 500, (name, value)
