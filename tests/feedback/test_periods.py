"""Report periods (docs/ikm.md, "Reports"): quarters, half years, years and any span of
dates, as keys in addresses and exports, on the page and over the API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from satupintu.feedback.periods import (
    CUSTOM,
    HALF,
    QUARTER,
    YEAR,
    last_complete_quarter,
    period_parse,
    period_span,
    quarters_ending_with,
)
from tests.feedback.factories import BIRTH, answer

D = datetime.date


@pytest.mark.parametrize(
    ("key", "start", "end", "kind"),
    [
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), QUARTER),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), QUARTER),
        ("2024-H1", D(2024, 1, 1), D(2024, 6, 30), HALF),
        ("2024-S2", D(2024, 7, 1), D(2024, 12, 31), HALF),
        ("2025", D(2025, 1, 1), D(2025, 12, 31), YEAR),
        ("2026-02-03..2026-02-20", D(2026, 2, 3), D(2026, 2, 20), CUSTOM),
        ("2026-04-01..2026-06-30", D(2026, 4, 1), D(2026, 6, 30), QUARTER),
    ],
)
def test_period_keys(key, start, end, kind):
    period = period_parse(key)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert period_parse(period.key) == period


@pytest.mark.parametrize("key", ["2026-Q5", "2026-H3", "26", "2026-02-20..2026-02-01", "x"])
def test_keys_that_are_no_period(key):
    with pytest.raises(ValueError):
        period_parse(key)


def test_a_span_over_ten_years_is_refused():
    with pytest.raises(ValueError):
        period_span(D(2000, 1, 1), D(2020, 1, 1))


def test_quarters_and_labels():
    assert last_complete_quarter(D(2026, 1, 15)).key == "2025-Q4"
    assert [q.key for q in quarters_ending_with(D(2026, 2, 1), 4)] == [
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    with translation.override("en"):
        assert period_parse("2026-Q3").label == "Quarter 3, 2026"
        assert period_parse("2026-H1").label == "Half year 1, 2026"
        assert period_parse("2026").label == "Year 2026"


@pytest.mark.django_db
def test_any_dates_on_the_page_and_over_the_api(people):
    answer(BIRTH, D(2026, 2, 10), U1=4)
    answer(BIRTH, D(2026, 2, 25), U1=1)
    client = Client()
    client.force_login(people["petugas.dukcapil"])
    api = client.get("/api/v1/ikm?from=2026-02-01&to=2026-02-15").json()
    assert api["respondents"] == 1 and api["period"]["key"] == "2026-02-01..2026-02-15"
    assert client.get("/api/v1/ikm?period=2026").json()["respondents"] == 2
    assert client.get("/api/v1/ikm?from=2026-02-01").status_code == 422
    with translation.override("en"):
        url = reverse("feedback:reports")
    page = client.get(f"{url}?date_from=2026-02-01&date_to=2026-02-28")
    assert page.status_code == 200
    assert "1 February 2026 to 28 February 2026" in page.content.decode()
    wrong = client.get(f"{url}?date_from=2026-02-28&date_to=2026-02-01")
    assert wrong.status_code == 400
    assert "The end must be on or after the start" in wrong.content.decode()
