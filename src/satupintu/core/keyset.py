"""Keyset pagination: the rows after the last one of the previous page, in a list's order."""

from collections.abc import Sequence

from django.db.models import Q


def after_q(fields: Sequence[str], key: Sequence, *, descending: bool = False) -> Q:
    """Rows that come after ``key`` in the order of ``fields`` (all ascending, or all
    descending): ``a >= x and ((a > x) or (a = x and b > y) …)``.

    The first condition repeats what the others imply. It is there for the database: an
    OR of ranges gives an index nothing to start from, and a page deep in a long list would
    read every row before it; with the bound on the leading column the index scan starts at
    the previous page's key, and page 10,000 costs what page 1 costs.
    """
    op = "lt" if descending else "gt"
    q = Q()
    for position in range(len(fields) - 1, -1, -1):
        step = Q(**{f"{fields[position]}__{op}": key[position]})
        for earlier in range(position):
            step &= Q(**{fields[earlier]: key[earlier]})
        q = step if position == len(fields) - 1 else step | q
    return Q(**{f"{fields[0]}__{op}e": key[0]}) & q
