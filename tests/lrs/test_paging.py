"""Paging with "more" (xAPI 1.0.3, Part Two, 2.5): the address in "more" is relative to the
host and opaque, and following it page by page neither loses nor repeats a statement, even
when statements are stored between two pages; the last page's "more" is empty."""

import pytest

from satupintu.lrs.models import Statement
from tests.lrs.factories import statement

pytestmark = pytest.mark.django_db


def store(xapi, count: int) -> list[str]:
    response = xapi.post("statements", data=[statement() for _ in range(count)])
    assert response.status_code == 200, response.content
    return response.json()


def pages(xapi, params: dict, *, between=None) -> list[list[str]]:
    """Follow "more" to the end; ``between`` runs after each page."""
    result = []
    response = xapi.get("statements", params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        result.append([item["id"] for item in body["statements"]])
        if between:
            between()
        if not body["more"]:
            return result
        assert body["more"].startswith("/xapi/statements?more=")
        response = xapi.get(body["more"])


@pytest.mark.parametrize("ascending", ["false", "true"])
def test_pages_neither_lose_nor_repeat_statements_when_others_arrive(xapi, ascending):
    first = store(xapi, 3)
    second = store(xapi, 4)  # stored in the same millisecond as one another: ties by id
    found = pages(xapi, {"limit": "2", "ascending": ascending}, between=lambda: store(xapi, 1))
    assert [len(page) for page in found] == [2, 2, 2, 1]
    flat = [item for page in found for item in page]
    expected = first + second
    assert flat == (expected if ascending == "true" else list(reversed(expected)))


def test_a_page_boundary_inside_statements_stored_at_the_same_time(xapi):
    ids = store(xapi, 5)
    assert len({row.stored for row in Statement.objects.all()}) == 1
    flat = [item for page in pages(xapi, {"limit": "2"}) for item in page]
    assert flat == list(reversed(ids))


def test_a_voided_statement_drops_out_of_later_pages(xapi):
    ids = store(xapi, 4)
    response = xapi.get("statements", {"limit": "2"})
    more = response.json()["more"]
    from tests.lrs.factories import voiding

    xapi.post("statements", data=voiding(ids[0]))
    rest = [item["id"] for item in xapi.get(more).json()["statements"]]
    assert rest == [ids[1]]


def test_more_is_the_only_parameter_and_cannot_be_forged(xapi):
    store(xapi, 3)
    more = xapi.get("statements", {"limit": "1"}).json()["more"]
    assert xapi.get(more + "&limit=5").status_code == 400
    forged = xapi.get("statements", {"more": "abc"})
    assert forged.status_code == 400
    assert forged.json()["detail"].startswith("more:")


def test_the_query_survives_in_more(xapi):
    ids = store(xapi, 3)
    verb = statement(verb={"id": "http://x.org/other"})
    xapi.post("statements", data=verb)
    found = pages(
        xapi, {"limit": "1", "verb": "http://adlnet.gov/expapi/verbs/completed", "format": "ids"}
    )
    assert [item for page in found for item in page] == list(reversed(ids))
