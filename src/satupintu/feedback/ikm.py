"""The arithmetic of the community satisfaction index (IKM, PermenPANRB 14/2017).

Pure functions, usable without the database: the reports feed them sums and counts that
the database aggregated, the tests feed them lists of answers.

- The NRR (nilai rata-rata) of an element is the sum of its answers divided by the number
  of answers to it; an unanswered item is left out of that element's count.
- IKM (1–4) = Σ NRRᵢ × weight; the weight is 0.111 (the regulation prints 1/9 so), or
  exactly 1/9 with ``exact_weight``.
- The converted index (25–100) = IKM × 25, rounded half-up to two decimals.
- Grade of the converted index: A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, D below.

**An element that nobody answered.** The regulation assumes all nine elements. Summing
the answered elements with the usual weight would count the missing element as zero and
pull the index down by about eleven points per missing element (a service whose
respondents all said "very good" but skipped U8 would score 88.80 instead of 99.90). Leaving
the index out altogether would throw away every answer that was given. So the elements that
were answered share the nine elements' total weight (9 × 0.111 = 0.999, or exactly 1): each
weighs ``9 × weight ÷ k`` for ``k`` answered elements. The index stays on the same 25–100
scale, and the result says which elements are ``missing`` (``complete`` is false): reports
print that next to the index. With all nine answered this is exactly the regulation's
computation.

Rounding happens once, at the end: the NRRs and the IKM are exact fractions inside, and only
the converted index is rounded to two decimals (half-up, as the regulation's examples do), so
that an index of exactly 88.305 is 88.31, grade A. The ``nrr`` and ``ikm`` that the result
shows are rounded for display (two and four decimals).
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ELEMENT_CODES: tuple[str, ...] = tuple(f"U{number}" for number in range(1, 10))
SCALE = range(1, 5)

DEFAULT_WEIGHT = Fraction(111, 1000)
EXACT_WEIGHT = Fraction(1, 9)
CONVERSION = 25

#: The lowest converted index of each grade, best first; anything lower is "D".
GRADE_THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("88.31"), "A"),
    (Decimal("76.61"), "B"),
    (Decimal("65.00"), "C"),
)
LOWEST_GRADE = "D"

# Krejcie and Morgan (1970): chi-square for one degree of freedom at 95 %, the population
# proportion, and the margin of error.
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)

TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


def _decimal(value: Fraction, places: Decimal) -> Decimal:
    """``value`` rounded half-up to the places of ``places``, without passing through a
    float or a rounded division (so that 88.305 exactly becomes 88.31)."""
    exponent = -places.as_tuple().exponent
    scaled = value * 10**exponent
    # Half-up for positive and negative values alike (away from zero at .5).
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    result = Decimal(whole).scaleb(-exponent)
    return (-result if scaled < 0 else result).quantize(places, rounding=ROUND_HALF_UP)


def grade_for(index: Decimal | float | int) -> str:
    """The grade (A–D) of a converted index (25–100) that is already rounded."""
    index = Decimal(str(index))
    for threshold, grade in GRADE_THRESHOLDS:
        if index >= threshold:
            return grade
    return LOWEST_GRADE


def weight_for(*, exact_weight: bool = False) -> Fraction:
    """The weight of one element: 0.111, or exactly 1/9."""
    return EXACT_WEIGHT if exact_weight else DEFAULT_WEIGHT


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a set of answers.

    ``nrr`` maps each answered element to its average (rounded to two decimals; the exact
    value is in ``nrr_exact``); ``answers`` to its number of answers. ``index`` is the
    converted index (25–100, two decimals) and ``grade`` its grade; both are None when no
    element was answered. ``missing`` lists the elements without any answer.
    """

    nrr: dict[str, Decimal]
    nrr_exact: dict[str, Fraction]
    answers: dict[str, int]
    weight: Fraction
    element_weight: Fraction
    ikm: Decimal | None
    index: Decimal | None
    grade: str | None
    respondents: int
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether every one of the nine elements had at least one answer."""
        return not self.missing

    def weighted(self, code: str) -> Decimal | None:
        """An element's NRR times the weight it carried (four decimals)."""
        if code not in self.nrr_exact:
            return None
        return _decimal(self.nrr_exact[code] * self.element_weight, FOUR_PLACES)


def ikm_from_totals(
    totals: Mapping[str, tuple[int, int]],
    *,
    respondents: int,
    exact_weight: bool = False,
) -> IkmResult:
    """The IKM from each element's (sum of answers, number of answers), as the database
    aggregates them. Elements that are absent or have no answers count as missing."""
    unknown = set(totals) - set(ELEMENT_CODES)
    if unknown:
        raise ValueError(f"Unknown IKM elements: {', '.join(sorted(unknown))}")
    weight = weight_for(exact_weight=exact_weight)
    nrr_exact: dict[str, Fraction] = {}
    answers: dict[str, int] = {}
    for code in ELEMENT_CODES:
        total, count = totals.get(code, (0, 0))
        total, count = int(total or 0), int(count or 0)
        if count <= 0:
            continue
        if not count * min(SCALE) <= total <= count * max(SCALE):
            raise ValueError(f"{code}: a sum of {total} cannot come from {count} answers of 1–4")
        nrr_exact[code] = Fraction(total, count)
        answers[code] = count
    missing = tuple(code for code in ELEMENT_CODES if code not in nrr_exact)
    if not nrr_exact:
        return IkmResult(
            nrr={},
            nrr_exact={},
            answers={},
            weight=weight,
            element_weight=weight,
            ikm=None,
            index=None,
            grade=None,
            respondents=respondents,
            missing=missing,
        )
    # The answered elements share the nine elements' total weight (see the module's notes).
    element_weight = weight * len(ELEMENT_CODES) / len(nrr_exact)
    ikm = sum(nrr_exact.values(), Fraction(0)) * element_weight
    index = _decimal(ikm * CONVERSION, TWO_PLACES)
    return IkmResult(
        nrr={code: _decimal(value, TWO_PLACES) for code, value in nrr_exact.items()},
        nrr_exact=nrr_exact,
        answers=answers,
        weight=weight,
        element_weight=element_weight,
        ikm=_decimal(ikm, FOUR_PLACES),
        index=index,
        grade=grade_for(index),
        respondents=respondents,
        missing=missing,
    )


def compute_ikm(
    scores: Mapping[str, Iterable[int]],
    exact_weight: bool = False,
    *,
    respondents: int | None = None,
) -> IkmResult:
    """The IKM of ``scores``: element code ("U1" … "U9") → the answers given to it (1–4);
    an unanswered item is simply not in the list, an element nobody answered may be absent.

    ``respondents`` is the number of people who answered; by default the largest number of
    answers to any one element.
    """
    totals: dict[str, tuple[int, int]] = {}
    for code, values in scores.items():
        values = list(values)
        for value in values:
            if isinstance(value, bool) or value not in SCALE:
                raise ValueError(f"{code}: {value!r} is not an answer on the 1–4 scale")
        totals[code] = (sum(values), len(values))
    if respondents is None:
        respondents = max((count for _sum, count in totals.values()), default=0)
    return ikm_from_totals(totals, respondents=respondents, exact_weight=exact_weight)


def required_sample_size(population: int) -> int:
    """The smallest sample for a population of ``population`` people served (Krejcie and
    Morgan: χ² = 3.841, P = 0.5, d = 0.05), rounded up: 1,000 → 278; 100,000 → 383."""
    population = int(population)
    if population < 0:
        raise ValueError("A population cannot be negative.")
    if population == 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    size = spread * population / (MARGIN**2 * (population - 1) + spread)
    return math.ceil(size)
