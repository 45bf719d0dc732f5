"""Keyset conditions give exactly the rows after a key, in either direction."""

import itertools

import pytest

from satupintu.core.keyset import after_q
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def events() -> list[tuple[str, int]]:
    # Repeated leading values, so that the second column decides within each.
    for action, object_id in itertools.product(["a", "b", "c"], ["1", "2"]):
        AuditEvent.objects.create(action="test", object_type=action, object_id=object_id)
    return list(
        AuditEvent.objects.filter(action="test")
        .order_by("object_type", "id")
        .values_list("object_type", "id")
    )


@pytest.mark.parametrize("descending", [False, True])
def test_the_rows_after_each_key_are_those_that_follow_it(events, descending):
    ordered = sorted(events, reverse=descending)
    for position, key in enumerate(ordered):
        found = list(
            AuditEvent.objects.filter(after_q(["object_type", "id"], key, descending=descending))
            .filter(action="test")
            .order_by(*(["-object_type", "-id"] if descending else ["object_type", "id"]))
            .values_list("object_type", "id")
        )
        assert found == ordered[position + 1 :]


def test_the_condition_bounds_the_leading_column_for_the_index():
    sql = str(AuditEvent.objects.filter(after_q(["object_type", "id"], ("b", 5))).query).replace(
        '"', ""
    )
    assert "core_auditevent.object_type >= b" in sql
