"""IKM reports (docs/ikm.md, "Reports"): for a service, unit, agency or service centre and
any period, the figures equal a direct computation from the raw answers; the population
served, the sample required, the weakest elements first, the trend and the follow-up plan;
charts as inline SVG with their numbers in tables; CSV, XLSX and PDF exports; staff see
their own agency only, citizens nothing, and no page or answer reveals who responded."""

import csv
import datetime
import io
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from satupintu.cases.models import Case
from satupintu.catalog.models import Service
from satupintu.feedback import selectors, services
from satupintu.feedback.ikm import ELEMENT_CODES, compute_ikm, required_sample_size
from satupintu.feedback.models import FollowUpPlan, ServiceCentreStaff, SurveyResponse
from satupintu.feedback.periods import period_parse
from satupintu.organisations.models import Agency, Office
from tests.feedback.factories import BILLBOARD, BIRTH, DEATH, answer, close_birth_case, open_case

pytestmark = pytest.mark.django_db

NOT_AT_SIOLA = "dinsos-surabaya.santunan-kematian"
Q2 = period_parse("2026-Q2")  # 1 April – 30 June 2026
IN_Q2 = [datetime.date(2026, 4, 1), datetime.date(2026, 5, 15), datetime.date(2026, 6, 30)]


def report_url(name: str = "reports", language: str = "en", **params) -> str:
    with translation.override(language):
        url = reverse(f"feedback:{name}")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def seeded_answers(count: int, *, seed: int, service=BIRTH, days=IN_Q2) -> list[SurveyResponse]:
    """``count`` answers with scores from a fixed seed; about one item in ten unanswered."""
    rng = random.Random(seed)
    made = []
    for number in range(count):
        scores = {code: rng.randint(1, 4) for code in ELEMENT_CODES if rng.random() > 0.1}
        scores["U1"] = scores.get("U1") or rng.randint(1, 4)
        made.append(answer(service, days[number % len(days)], **scores))
    return made


def direct(rows) -> dict[str, list[int]]:
    """Each element's answers, read straight off the rows."""
    return {
        code: [getattr(row, code.lower()) for row in rows if getattr(row, code.lower()) is not None]
        for code in ELEMENT_CODES
    }


@pytest.fixture
def dukcapil(people):
    return Agency.objects.get(code="dukcapil-surabaya")


@pytest.fixture
def answers_q2(people):
    """Answers of the population office (two services) in 2026-Q2, with answers outside
    the period and of another agency around them that must not count."""
    birth = seeded_answers(9, seed=1)
    death = seeded_answers(4, seed=2, service=DEATH)
    seeded_answers(3, seed=3, days=[datetime.date(2026, 3, 31), datetime.date(2026, 7, 1)])
    seeded_answers(6, seed=4, service=BILLBOARD)
    return birth + death


# Figures ---------------------------------------------------------------------------------------


def test_the_agency_report_equals_a_direct_computation_from_the_rows(dukcapil, answers_q2):
    scope = selectors.ReportScope(agency=dukcapil)
    report = selectors.ikm_report(scope=scope, period=Q2)
    expected = compute_ikm(direct(answers_q2), respondents=len(answers_q2))
    assert report.respondents == 13
    assert report.result.index == expected.index
    assert report.result.nrr == expected.nrr
    assert report.result.grade == expected.grade
    # One element by hand: the plain average of its answers.
    u1 = [row.u1 for row in answers_q2]
    assert report.result.nrr["U1"] == Decimal(sum(u1) / len(u1)).quantize(Decimal("0.01"))
    # Weakest first.
    averages = [row.nrr for row in report.elements if row.nrr is not None]
    assert averages == sorted(averages)


def test_a_service_report_counts_that_service_only(people, answers_q2):
    service = Service.objects.get(code=DEATH)
    report = selectors.ikm_report(
        scope=selectors.ReportScope(service=service, agency=service.agency), period=Q2
    )
    rows = [row for row in answers_q2 if row.service_id == service.pk]
    assert report.respondents == len(rows) == 4
    assert report.result is None  # fewer than five respondents: withheld
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.SATUPINTU_IKM_MIN_RESPONDENTS", 1)
        report = selectors.ikm_report(
            scope=selectors.ReportScope(service=service, agency=service.agency), period=Q2
        )
    assert report.result.index == compute_ikm(direct(rows)).index


def test_the_exact_weight_setting_is_used_by_reports(settings, dukcapil, answers_q2):
    settings.SATUPINTU_IKM_EXACT_WEIGHT = True
    report = selectors.ikm_report(scope=selectors.ReportScope(agency=dukcapil), period=Q2)
    assert report.exact_weight
    assert report.result.index == compute_ikm(direct(answers_q2), exact_weight=True).index
    assert report.result.index != compute_ikm(direct(answers_q2)).index


def test_population_and_sample_size(people, dukcapil, answers_q2):
    closed = []
    for _ in range(3):
        case = close_birth_case(open_case(people), people)
        closed.append(case.pk)
    Case.objects.filter(pk__in=closed[:2]).update(
        closed_at=timezone.make_aware(datetime.datetime(2026, 5, 20, 10))
    )
    # One closed in the period but called off: not served.
    Case.objects.filter(pk=closed[2]).update(
        closed_at=timezone.make_aware(datetime.datetime(2026, 5, 21, 10)),
        outcome={"called_off": True},
    )
    report = selectors.ikm_report(scope=selectors.ReportScope(agency=dukcapil), period=Q2)
    assert report.population == 2
    assert report.required_sample == required_sample_size(2) == 2
    assert report.sample_met  # 13 answered


def test_the_trend_covers_the_last_four_quarters(dukcapil, answers_q2):
    seeded_answers(5, seed=5, days=[datetime.date(2025, 8, 1)])
    report = selectors.ikm_report(scope=selectors.ReportScope(agency=dukcapil), period=Q2)
    assert [point.period.key for point in report.trend] == [
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
    ]
    # 2026-Q1 has the two answers of 31 March: counted, but too few to show an index.
    assert [point.respondents for point in report.trend] == [5, 0, 2, 13]
    assert report.trend[-1].index == report.result.index
    assert report.trend[0].index is not None
    assert report.trend[2].index is None


def test_too_few_respondents_withhold_the_averages(people, dukcapil):
    seeded_answers(4, seed=6, days=[datetime.date(2026, 5, 1)])
    report = selectors.ikm_report(scope=selectors.ReportScope(agency=dukcapil), period=Q2)
    assert report.respondents == 4 and report.withheld and report.result is None
    page = signed_in(people["petugas.dukcapil"]).get(report_url(period="2026-Q2"))
    assert page.status_code == 200
    assert "Fewer than 5 people answered" in page.content.decode()


def test_a_report_is_a_few_aggregate_queries_whatever_the_number_of_answers(dukcapil, answers_q2):
    scope = selectors.ReportScope(agency=dukcapil)
    with CaptureQueriesContext(connection) as few:
        selectors.ikm_report(scope=scope, period=Q2)
    seeded_answers(40, seed=7)
    with CaptureQueriesContext(connection) as many:
        selectors.ikm_report(scope=scope, period=Q2)
    assert len(many) == len(few) <= 6


def test_a_service_centre_counts_its_services_and_its_own_counters(people, answers_q2):
    siola = Office.objects.get(code="mpp-siola")
    jatim = Office.objects.get(code="mpp-jatim")
    at_siola = answer(BIRTH, IN_Q2[0], office=siola, U1=1)
    answer(BIRTH, IN_Q2[0], office=jatim, U1=1)  # collected at another centre
    seeded_answers(5, seed=8, service=NOT_AT_SIOLA)
    scope = selectors.report_scope_resolve(user=people["admin"], office="mpp-siola")
    report = selectors.ikm_report(scope=scope, period=Q2)
    # The population office's services and the billboard permit are offered at Siola (their
    # definitions say so); the social office's funeral benefit is not.
    offered = set(
        SurveyResponse.objects.filter(service__code__in=[BIRTH, DEATH, BILLBOARD]).values_list(
            "service", flat=True
        )
    )
    assert offered <= scope.office_services
    assert Service.objects.get(code=NOT_AT_SIOLA).pk not in scope.office_services
    rows = list(
        SurveyResponse.objects.filter(
            service__code__in=[BIRTH, DEATH, BILLBOARD], submitted_on__range=(Q2.start, Q2.end)
        ).exclude(office=jatim)
    )
    assert at_siola.pk in {row.pk for row in rows}
    assert report.respondents == len(rows) == 13 + 6 + 1
    assert report.result.nrr == compute_ikm(direct(rows)).nrr


# Pages, charts and exports -----------------------------------------------------------------------


def test_the_report_page_draws_accessible_charts_with_tables(people, answers_q2):
    response = signed_in(people["petugas.dukcapil"]).get(report_url(period="2026-Q2"))
    assert response.status_code == 200
    page = response.content.decode()
    report = selectors.ikm_report(
        scope=selectors.ReportScope(agency=Agency.objects.get(code="dukcapil-surabaya")),
        period=Q2,
    )
    assert "<svg" in page and 'role="img"' in page
    assert '<title id="elements-chart-title">' in page and "<desc" in page
    assert "<script" not in page
    assert f"{report.result.index:.2f}" in page
    # Every element's average is in the table as well as in the chart.
    for row in report.elements:
        assert f"{row.nrr:.2f}" in page
    assert "Quarter 2, 2026" in page


def test_the_indonesian_page_renders_too(people, answers_q2):
    response = signed_in(people["petugas.dukcapil"]).get(
        report_url(language="id", period="2026-Q2")
    )
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()


def test_csv_export_parses_and_holds_the_figures(people, answers_q2):
    response = signed_in(people["petugas.dukcapil"]).get(report_url("report_csv", period="2026-Q2"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    summary = {row["code"]: row["value"] for row in rows if row["section"] == "summary"}
    expected = compute_ikm(direct(answers_q2))
    assert summary["index"] == str(expected.index)
    assert summary["respondents"] == "13"
    elements = {row["code"]: row for row in rows if row["section"] == "element"}
    assert set(elements) == set(ELEMENT_CODES)
    assert elements["U1"]["value"] == str(expected.nrr["U1"])
    assert [row["code"] for row in rows if row["section"] == "trend"][-1] == "2026-Q2"


def test_xlsx_export_opens_with_openpyxl(people, answers_q2):
    response = signed_in(people["petugas.dukcapil"]).get(
        report_url("report_xlsx", period="2026-Q2")
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    values = [cell for row in workbook["IKM"].iter_rows(values_only=True) for cell in row]
    assert Decimal(str(compute_ikm(direct(answers_q2)).index)) in {
        Decimal(str(value)) for value in values if isinstance(value, int | float)
    }
    assert "Trend" in workbook.sheetnames


def test_pdf_export_is_a_pdf(people, answers_q2):
    response = signed_in(people["petugas.dukcapil"]).get(report_url("report_pdf", period="2026-Q2"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_api_gives_the_report_as_json(people, answers_q2):
    client = signed_in(people["petugas.dukcapil"])
    response = client.get(
        "/api/v1/ikm?agency=dukcapil-surabaya&from=2026-04-01&to=2026-06-30",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    expected = compute_ikm(direct(answers_q2))
    assert body["index"] == str(expected.index)
    assert body["grade"] == expected.grade
    assert body["respondents"] == 13
    assert body["period"]["key"] == "2026-Q2"
    assert body["scope"]["kind"] == "agency"
    assert [element["code"] for element in body["elements"]][:1] == [body["elements"][0]["code"]]
    assert len(body["trend"]) == 4
    service = client.get(f"/api/v1/ikm?service={BIRTH}&period=2026-Q2").json()
    assert service["scope"]["kind"] == "service" and service["respondents"] == 9


def test_the_openapi_document_describes_the_operations(db):
    document = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/ikm" in document["paths"]
    assert "/api/v1/surveys/{token}" in document["paths"]
    answer_operation = document["paths"]["/api/v1/surveys/{token}"]["post"]
    assert {"201", "404", "409", "410", "422"} <= set(answer_operation["responses"])


# Who may see what ------------------------------------------------------------------------------


def test_a_citizen_may_not_see_reports(people, answers_q2):
    client = signed_in(people["warga"])
    assert client.get(report_url(period="2026-Q2")).status_code == 403
    assert client.get(report_url("report_csv", period="2026-Q2")).status_code == 403
    assert client.get("/api/v1/ikm?agency=dukcapil-surabaya").status_code == 403


def test_anonymous_visitors_sign_in_first(db):
    assert Client().get(report_url()).status_code == 302
    assert Client().get("/api/v1/ikm").status_code == 401


def test_another_agencys_officer_does_not_find_the_report(people, answers_q2):
    client = signed_in(people["petugas.dpmptsp"])
    assert client.get(report_url(agency="dukcapil-surabaya")).status_code == 404
    assert client.get(report_url(service=BIRTH)).status_code == 404
    assert client.get(report_url("report_pdf", agency="dukcapil-surabaya")).status_code == 404
    assert client.get("/api/v1/ikm?agency=dukcapil-surabaya").status_code == 404
    # Their own agency's report is what they get by default.
    own = client.get("/api/v1/ikm?period=2026-Q2").json()
    assert own["scope"]["agency"] == "dpmptsp-surabaya"
    assert own["respondents"] == 6  # the billboard permit's answers only


def test_the_platform_administrator_sees_every_agency(people, answers_q2):
    body = signed_in(people["admin"]).get("/api/v1/ikm?period=2026-Q2").json()
    assert body["scope"]["kind"] == "all"
    assert body["respondents"] == 13 + 6


def test_service_centre_staff_see_their_centre(people, answers_q2):
    person = people["warga2"]
    ServiceCentreStaff.objects.create(user=person, office=Office.objects.get(code="mpp-siola"))
    client = signed_in(person)
    body = client.get("/api/v1/ikm?period=2026-Q2").json()
    assert body["scope"]["kind"] == "office" and body["scope"]["office"] == "mpp-siola"
    assert client.get("/api/v1/ikm?office=mpp-jatim").status_code == 404


def test_no_page_or_answer_reveals_the_respondent(people, run_queue, answers_q2):
    """An applicant answers through their link; nothing staff can read names them."""
    case = close_birth_case(open_case(people), people)
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.make_aware(datetime.datetime(2026, 5, 2, 9))
    )
    invitation = services.invitation_create(case_id=case.pk)
    from satupintu.notifications.models import Notification

    token = Notification.objects.get(kind="feedback.survey").link.rstrip("/").rsplit("/", 1)[-1]
    services.survey_response_submit(
        token=token,
        answers={"U1": 1, "U2": 1},
        suggestion="Lambat.",
        today=datetime.date(2026, 5, 3),
    )
    profile = people["warga"].citizen
    secrets = [
        profile.nik,
        profile.full_name,
        "Siti",
        "Rahayu",
        people["warga"].email,
        case.submission.tracking,
        str(case.public_id),
        str(invitation.public_id),
        token,
    ]
    for username in ("petugas.dukcapil", "penyelia.dukcapil", "admin.dukcapil", "admin"):
        client = signed_in(people[username])
        for url in (
            report_url(period="2026-Q2"),
            report_url(language="id", period="2026-Q2", service=BIRTH),
            report_url("report_csv", period="2026-Q2"),
            "/api/v1/ikm?period=2026-Q2&agency=dukcapil-surabaya",
            f"/api/v1/ikm?period=2026-Q2&service={BIRTH}",
        ):
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            content = response.content.decode()
            for secret in secrets:
                assert secret not in content, (username, url, secret)
        pdf = client.get(report_url("report_pdf", period="2026-Q2")).content
        xlsx = client.get(report_url("report_xlsx", period="2026-Q2")).content
        for secret in secrets:
            assert secret.encode() not in pdf and secret.encode() not in xlsx
    # The answer itself holds nothing of the case.
    stored = SurveyResponse.objects.get(suggestion="Lambat.")
    assert stored.submitted_on == datetime.date(2026, 5, 3)


# Follow-up plans --------------------------------------------------------------------------------


def test_an_agency_administrator_writes_and_publishes_the_follow_up_plan(people, answers_q2):
    client = signed_in(people["admin.dukcapil"])
    page = client.get(report_url(period="2026-Q2"))
    assert 'action="/en/petugas/ikm/tindak-lanjut/"' in page.content.decode()
    response = client.post(
        report_url("followup"),
        {
            "report": "period=2026-Q2&agency=dukcapil-surabaya",
            "plan": "Tambah loket.",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    plan = FollowUpPlan.objects.get()
    assert plan.is_published and plan.published_at is not None
    assert plan.plan == "Tambah loket."
    assert (plan.period_start, plan.period_end) == (Q2.start, Q2.end)
    assert "Tambah loket." in client.get(response["Location"]).content.decode()
    api = signed_in(people["petugas.dukcapil"]).get("/api/v1/ikm?period=2026-Q2").json()
    assert api["followup"]["plan"] == "Tambah loket." and api["followup"]["published"]


def test_an_officer_may_not_write_the_plan(people, answers_q2):
    client = signed_in(people["petugas.dukcapil"])
    page = client.get(report_url(period="2026-Q2")).content.decode()
    assert 'name="plan"' not in page
    # The unit's supervisor writes the plans of the unit's services (not the agency's).
    supervisor = signed_in(people["penyelia.dukcapil"])
    assert (
        'name="plan"'
        in supervisor.get(report_url(period="2026-Q2", service=BIRTH)).content.decode()
    )
    assert 'name="plan"' not in supervisor.get(report_url(period="2026-Q2")).content.decode()
    response = client.post(report_url("followup"), {"report": "period=2026-Q2", "plan": "X"})
    assert response.status_code == 403
    assert not FollowUpPlan.objects.exists()


def test_another_agencys_supervisor_may_not_write_the_plan(people, answers_q2):
    response = signed_in(people["penyelia.dpmptsp"]).post(
        report_url("followup"),
        {"report": "period=2026-Q2&agency=dukcapil-surabaya", "plan": "X"},
    )
    assert response.status_code == 404
    assert not FollowUpPlan.objects.exists()


def test_an_empty_plan_is_refused_next_to_the_field(people, answers_q2):
    response = signed_in(people["penyelia.dukcapil"]).post(
        report_url("followup"),
        {"report": f"period=2026-Q2&service={BIRTH}", "plan": "  "},
    )
    assert response.status_code == 400
    assert "Write what the agency will do about these results." in response.content.decode()
