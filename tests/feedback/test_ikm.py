"""The IKM arithmetic (PermenPANRB 14/2017, docs/ikm.md): NRR per element, the index with the
weight 0.111 or exactly 1/9, rounding half-up to two decimals, the grade boundaries, elements
that nobody answered, and the Krejcie–Morgan sample size. Every expected number below was
worked out by hand; the module is used without the database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.feedback.ikm import (
    ELEMENT_CODES,
    compute_ikm,
    grade_for,
    ikm_from_totals,
    required_sample_size,
)


def uniform(respondents: int, total: int) -> dict[str, list[int]]:
    """``respondents`` people who answered all nine elements, ``total`` the sum of all their
    answers (9 × respondents of them). Each element then has ``respondents`` answers, so
    Σ NRR = total / respondents, and the index is 25 × weight × total / respondents."""
    extra = total - 9 * respondents
    assert 0 <= extra <= 27 * respondents
    answers = []
    for _ in range(9 * respondents):
        step = min(3, extra)
        answers.append(1 + step)
        extra -= step
    return {
        code: answers[position * respondents : (position + 1) * respondents]
        for position, code in enumerate(ELEMENT_CODES)
    }


# Worked examples ----------------------------------------------------------------------------

FOUR_PEOPLE = {
    "U1": [4, 3, 3, 4],  # 14/4 = 3.50
    "U2": [3, 3, 3, 3],  # 3.00
    "U3": [2, 3, 2, 3],  # 2.50
    "U4": [4, 4, 4, 4],  # 4.00
    "U5": [3, 4, 3, 3],  # 13/4 = 3.25
    "U6": [3, 3, 4, 4],  # 3.50
    "U7": [4, 4, 3, 4],  # 15/4 = 3.75
    "U8": [2, 2, 3, 3],  # 2.50
    "U9": [3, 3, 3, 2],  # 11/4 = 2.75
}  # Σ NRR = 28.75


def test_the_worked_example_with_the_regulations_weight():
    result = compute_ikm(FOUR_PEOPLE)
    assert result.nrr == {
        "U1": Decimal("3.50"),
        "U2": Decimal("3.00"),
        "U3": Decimal("2.50"),
        "U4": Decimal("4.00"),
        "U5": Decimal("3.25"),
        "U6": Decimal("3.50"),
        "U7": Decimal("3.75"),
        "U8": Decimal("2.50"),
        "U9": Decimal("2.75"),
    }
    # 28.75 × 0.111 = 3.19125; × 25 = 79.78125 → 79.78, grade B (76.61 ≤ 79.78 < 88.31).
    assert result.ikm == Decimal("3.1913")
    assert result.index == Decimal("79.78")
    assert isinstance(result.index, Decimal)
    assert result.grade == "B"
    assert result.respondents == 4
    assert result.complete and result.missing == ()
    assert result.weighted("U1") == Decimal("0.3885")  # 3.5 × 0.111


def test_the_worked_example_with_the_exact_weight():
    result = compute_ikm(FOUR_PEOPLE, exact_weight=True)
    # 28.75 / 9 = 3.19444…; × 25 = 79.8611… → 79.86.
    assert result.index == Decimal("79.86")
    assert result.ikm == Decimal("3.1944")
    assert result.grade == "B"


UNANSWERED_ITEMS = {
    "U1": [4, 3],  # one person skipped it: 7/2 = 3.50 (not 7/3)
    "U2": [3, 3, 3],  # 3.00
    "U3": [2],  # 2.00
    "U4": [4, 4, 4],  # 4.00
    "U5": [3, 3],  # 3.00
    "U6": [4, 4, 3],  # 11/3 = 3.67
    "U7": [4, 4, 4],  # 4.00
    "U8": [],  # nobody answered it
    "U9": [3, 2, 3],  # 8/3 = 2.67
}  # Σ NRR of the eight answered = 19.5 + 19/3 = 155/6 = 25.8333…


def test_unanswered_items_are_left_out_of_their_elements_count():
    result = compute_ikm(UNANSWERED_ITEMS)
    assert result.nrr["U1"] == Decimal("3.50")
    assert result.answers["U1"] == 2
    assert result.nrr["U6"] == Decimal("3.67")
    assert result.respondents == 3


def test_an_element_nobody_answered_is_reported_and_the_others_share_its_weight():
    result = compute_ikm(UNANSWERED_ITEMS)
    assert result.missing == ("U8",)
    assert not result.complete
    assert "U8" not in result.nrr
    # Eight elements share 9 × 0.111 = 0.999: each weighs 0.124875.
    # IKM = 155/6 × 0.124875 = 3.2259375; × 25 = 80.6484375 → 80.65, grade B.
    assert result.ikm == Decimal("3.2259")
    assert result.index == Decimal("80.65")
    assert result.grade == "B"
    # Counting U8 as zero (0.111 for each of the eight) would have said 71.69, grade C.
    assert result.index != Decimal("71.69")


def test_an_element_nobody_answered_with_the_exact_weight():
    result = compute_ikm(UNANSWERED_ITEMS, exact_weight=True)
    # Eight elements of 1/8 each: 155/48 = 3.2291666…; × 25 = 80.7291666… → 80.73.
    assert result.index == Decimal("80.73")
    assert result.missing == ("U8",)


def test_an_absent_element_is_the_same_as_an_empty_list():
    without = {code: values for code, values in UNANSWERED_ITEMS.items() if code != "U8"}
    assert compute_ikm(without).index == compute_ikm(UNANSWERED_ITEMS).index


def test_no_answers_at_all_give_no_index():
    result = compute_ikm({})
    assert result.index is None and result.grade is None and result.ikm is None
    assert result.missing == ELEMENT_CODES


def test_all_very_good_answers():
    best = {code: [4] for code in ELEMENT_CODES}
    # 36 × 0.111 × 25 = 99.90 with the printed weight; exactly 100 with 1/9.
    assert compute_ikm(best).index == Decimal("99.90")
    assert compute_ikm(best, exact_weight=True).index == Decimal("100.00")
    worst = {code: [1] for code in ELEMENT_CODES}
    assert compute_ikm(worst).index == Decimal("24.98")  # 9 × 0.111 × 25 = 24.975 → half-up
    assert compute_ikm(worst).grade == "D"


# Grade boundaries: 25 × weight × total / respondents, every element answered by everyone ----

BOUNDARIES = [
    # weight 0.111: index = 2.775 × total / respondents
    (False, 17, 541, "88.31", "A"),  # 1501.275 / 17 = 88.3103
    (False, 11, 350, "88.30", "B"),  # 971.25 / 11 = 88.2955
    (False, 23, 635, "76.61", "B"),  # 1762.125 / 23 = 76.6141
    (False, 38, 1049, "76.60", "C"),  # 2910.975 / 38 = 76.6046
    (False, 26, 609, "65.00", "C"),  # 1689.975 / 26 = 64.99904
    (False, 19, 445, "64.99", "D"),  # 1234.875 / 19 = 64.9934
    # weight 1/9: index = 25 × total / (9 × respondents)
    (True, 24, 763, "88.31", "A"),  # 19075 / 216 = 88.3102
    (True, 19, 604, "88.30", "B"),  # 15100 / 171 = 88.3041
    (True, 19, 524, "76.61", "B"),  # 13100 / 171 = 76.6082
    (True, 26, 717, "76.60", "C"),  # 17925 / 234 = 76.6026
    (True, 5, 117, "65.00", "C"),  # 2925 / 45 = 65 exactly
    (True, 38, 889, "64.99", "D"),  # 22225 / 342 = 64.9854
]


@pytest.mark.parametrize(("exact", "respondents", "total", "index", "grade"), BOUNDARIES)
def test_each_grade_boundary(exact, respondents, total, index, grade):
    result = compute_ikm(uniform(respondents, total), exact_weight=exact)
    assert result.index == Decimal(index)
    assert result.grade == grade


def test_the_index_is_rounded_half_up_from_the_exact_value():
    # U1–U8 answered by five people (sums 18, 18, 18, 18, 18, 17, 17, 17: 141 in all), U9 by
    # all 37 (23 × 4 + 14 × 3 = 134). Σ NRR = 141/5 + 134/37 = 5887/185, and
    # 0.111 × 25 × 5887/185 = 653457/7400 = 88.305 exactly: half-up gives 88.31 (A), where
    # rounding half to even would give 88.30 (B).
    scores = {
        code: [4, 4, 4, 3, 3] if total == 18 else [4, 4, 3, 3, 3]
        for code, total in zip(ELEMENT_CODES[:8], [18] * 5 + [17] * 3, strict=True)
    }
    scores["U9"] = [4] * 23 + [3] * 14
    result = compute_ikm(scores)
    assert result.index == Decimal("88.31")
    assert result.grade == "A"


def test_the_same_figures_from_sums_and_counts():
    # What the database aggregates: (sum, count) per element.
    totals = {code: (sum(values), len(values)) for code, values in UNANSWERED_ITEMS.items()}
    assert ikm_from_totals(totals, respondents=3) == compute_ikm(UNANSWERED_ITEMS)


@pytest.mark.parametrize("bad", [0, 5, -1, True, "4", 2.5])
def test_answers_outside_the_scale_are_refused(bad):
    with pytest.raises(ValueError):
        compute_ikm({"U1": [4, bad]})


def test_an_unknown_element_is_refused():
    with pytest.raises(ValueError):
        compute_ikm({"U10": [4]})


@pytest.mark.parametrize(
    ("index", "grade"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25", "D"),
    ],
)
def test_grade_thresholds(index, grade):
    assert grade_for(Decimal(index)) == grade


# Sample size -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        # S = 3.841 × N × 0.25 / (0.0025 × (N − 1) + 0.96025), rounded up.
        (0, 0),
        (1, 1),  # 0.96025 / 0.96025 = 1
        (10, 10),  # 9.6025 / 0.98275 = 9.771 → 10
        (50, 45),  # 48.0125 / 1.08275 = 44.343 → 45
        (100, 80),  # 96.025 / 1.20775 = 79.507 → 80
        (1000, 278),  # 960.25 / 3.45775 = 277.71 → 278
        (100_000, 383),  # 96025 / 250.95775 = 382.63 → 383
    ],
)
def test_krejcie_morgan_sample_size(population, sample):
    assert required_sample_size(population) == sample


def test_a_negative_population_is_refused():
    with pytest.raises(ValueError):
        required_sample_size(-1)


@given(st.integers(min_value=1, max_value=10_000_000))
def test_the_sample_never_exceeds_the_population_nor_385(population):
    sample = required_sample_size(population)
    assert 1 <= sample <= min(population, 385)
