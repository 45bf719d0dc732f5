"""The demo's survey answers (docs/ikm.md, "Demo"): a few hundred seeded answers about the
demo agencies' services over the last four quarters, the same on every load and every
machine, loaded by ``demo_load``; closing a demo case invites its applicant."""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from satupintu.demo.people import demo_load
from satupintu.feedback import selectors
from satupintu.feedback.demo import demo_surveys_load
from satupintu.feedback.models import FollowUpPlan, ServicePerformanceSignal, SurveyResponse
from satupintu.feedback.periods import period_parse
from satupintu.organisations.models import Agency
from tests.conftest import EXAMPLE_CATALOG

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def test_the_demo_answers_are_seeded_and_loaded_once(people):
    count = demo_surveys_load(today=TODAY)
    assert 300 <= count <= 800
    first = sorted(SurveyResponse.objects.values_list("id", "u1", "u3", "submitted_on"))
    assert demo_surveys_load(today=TODAY) == count
    assert sorted(SurveyResponse.objects.values_list("id", "u1", "u3", "submitted_on")) == first
    # Over the four quarters up to today, none in the future.
    dates = SurveyResponse.objects.values_list("submitted_on", flat=True)
    assert min(dates) >= datetime.date(2026, 1, 1) and max(dates) <= TODAY
    assert SurveyResponse.objects.filter(office__code="mpp-siola").exists()


def test_the_demo_reports_have_content(people):
    demo_surveys_load(today=TODAY)
    dukcapil = Agency.objects.get(code="dukcapil-surabaya")
    report = selectors.ikm_report(
        scope=selectors.ReportScope(agency=dukcapil), period=period_parse("2026-Q3")
    )
    assert report.respondents >= 50
    assert report.result.grade in {"A", "B", "C", "D"}
    # The population office is slow: U3 is among its weakest elements.
    assert "U3" in [row.code for row in report.elements[:2]]
    # The trend to 2026-Q3 starts in 2025-Q4, before the demo's four quarters (2026).
    assert [point.index is not None for point in report.trend] == [False, True, True, True]
    assert report.followup is not None and report.followup.is_published
    assert FollowUpPlan.objects.count() == 1
    assert ServicePerformanceSignal.objects.filter(period_start=datetime.date(2026, 7, 1)).exists()


def test_demo_load_includes_the_answers_and_closing_a_demo_case_invites(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert SurveyResponse.objects.count() >= 300
    # The demo closes a case: its applicant's invitation is queued.
    assert DBTaskResult.objects.filter(task_path__endswith="invite_to_survey").exists()
