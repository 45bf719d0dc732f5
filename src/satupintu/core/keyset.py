"""Keyset pagination: the rows after the last one of the previous page, in a list's order."""

from collections.abc import Sequence

from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan


def after_q(fields: Sequence[str], key: Sequence, *, descending: bool = False) -> Q:
    """Rows that come after ``key`` in the order of ``fields`` (all ascending, or all
    descending): the row comparison ``(a, b) > (x, y)``.

    A row comparison is one range of an index on ``(…, a, b)``: the scan starts at the
    previous page's key and reads one page, so that page 10,000 costs what page 1 costs. The
    same condition written as ``a > x or (a = x and b > y)`` is two ranges that the database
    merges and sorts, which costs more the more rows share the value of ``a``. The bound on
    the leading column repeats what the comparison implies, for databases that compare rows
    by expanding them.
    """
    lookup = TupleLessThan if descending else TupleGreaterThan
    bound = "lte" if descending else "gte"
    row = lookup(Tuple(*(F(name) for name in fields)), tuple(key))
    return Q(**{f"{fields[0]}__{bound}": key[0]}) & Q(row)


def next_page_url(request, cursor: str) -> str:
    """The address of the next page of a list: this request's, with ``cursor``."""
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
