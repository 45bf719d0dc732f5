"""The public performance page (no sign-in) shows, per agency and per service, figures that
match the raw data: cases received, completed, on time and the median working days; the IKM
from the survey answers; complaints and the median working days to their follow-up. Open
data as CSV and JSON."""

import csv
import datetime
import io
import statistics

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.cases.models import Case
from satupintu.cases.services import case_transition
from satupintu.cases.services.performance import service_months_refresh
from satupintu.complaints.models import Complaint
from satupintu.core.calendar import WorkingCalendar
from satupintu.feedback.ikm import compute_ikm
from tests.complaints.factories import file
from tests.feedback.factories import answer, open_case

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
YEAR = 2025  # a past year: nothing of the demo's falls in it
ZONE = datetime.timezone(datetime.timedelta(hours=7))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZONE)


def issued(case, people, *, submitted: datetime.date, closed: datetime.date) -> None:
    officer, supervisor = people["petugas.dukcapil"], people["penyelia.dukcapil"]
    case = case_transition(case=case, actor=officer, to="verifikasi")
    case = case_transition(case=case, actor=officer, to="menunggu_tte", data={"note": "ok"})
    case_transition(case=case, actor=supervisor, to="terbit", data={"document_number": "N"})
    Case.objects.filter(pk=case.pk).update(
        submitted_at=at(submitted), closed_at=at(closed, 15), due_date=submitted
    )


@pytest.fixture
def year_of_data(people):
    """September 2025 (no public holiday after the 5th): certificates taking 1, 2 and 4
    working days; six survey answers; three complaints, two followed up."""
    for submitted, closed in [
        (datetime.date(2025, 9, 8), datetime.date(2025, 9, 9)),
        (datetime.date(2025, 9, 15), datetime.date(2025, 9, 17)),
        (datetime.date(2025, 9, 22), datetime.date(2025, 9, 26)),
    ]:
        issued(open_case(people), people, submitted=submitted, closed=closed)
    service_months_refresh(month=datetime.date(2025, 9, 1))
    scores = [
        {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 2, "U9": 3},
        {"U1": 3, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 3},
        {"U1": 4, "U2": 4, "U3": 3, "U4": 4, "U5": 4, "U6": 4, "U7": 4, "U8": 3, "U9": 4},
        {"U1": 3, "U2": 2, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 3, "U8": 2},
        {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3},
        {"U1": 3, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 2, "U9": 2},
    ]
    for row in scores:
        answer(BIRTH, datetime.date(2025, 9, 20), **row)
    complaints = [file(), file(), file()]
    pks = [filed.complaint.pk for filed in complaints]
    agency_id = Case.objects.filter(service__code=BIRTH).values_list("agency_id", flat=True)[0]
    routes = [
        (datetime.date(2025, 9, 1), datetime.date(2025, 9, 4)),
        (datetime.date(2025, 9, 8), datetime.date(2025, 9, 15)),
        (datetime.date(2025, 9, 10), None),
    ]
    for pk, (routed, followed) in zip(pks, routes, strict=True):
        Complaint.objects.filter(pk=pk).update(
            agency_id=agency_id,
            routed_at=at(routed),
            followed_up_at=at(followed) if followed else None,
        )
    return scores, routes, agency_id


def test_the_page_matches_the_raw_data(year_of_data):
    scores, routes, agency_id = year_of_data
    page = Client().get(f"/kinerja/?tahun={YEAR}&format=json")
    assert page.status_code == 200
    rows = {row["code"]: row for row in page.json()["items"]}
    dukcapil = rows["dukcapil-surabaya"]
    assert (dukcapil["received"], dukcapil["completed"]) == (3, 3)
    assert dukcapil["median_working_days"] == 2
    assert dukcapil["completed_on_time_share"] == 0  # all due the day they were sent
    expected = compute_ikm(
        {code: [row[code] for row in scores if code in row] for code in scores[0]}
    )
    assert dukcapil["ikm"] == float(expected.index)
    assert dukcapil["ikm_grade"] == expected.grade
    calendar = WorkingCalendar.for_agency(agency_id)
    follow_ups = [calendar.working_days_between(r, f) for r, f in routes if f]
    assert dukcapil["complaints"] == 3
    assert dukcapil["median_follow_up_working_days"] == statistics.median(follow_ups)
    # Every agency is on the page, with or without figures.
    assert rows["dpmptsp-surabaya"]["received"] == 0


def test_the_pages_and_the_csv(year_of_data):
    client = Client()
    html = client.get(f"/kinerja/?tahun={YEAR}").content.decode()
    assert "Dinas Kependudukan" in html and "kinerja/dukcapil-surabaya/" in html
    agency = client.get(f"/kinerja/dukcapil-surabaya/?tahun={YEAR}")
    assert agency.status_code == 200
    assert "Penerbitan Akta Kelahiran" in agency.content.decode()
    exported = client.get(f"/kinerja/dukcapil-surabaya/?tahun={YEAR}&format=csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    birth = next(row for row in rows if row["code"] == BIRTH)
    assert birth["received"] == "3" and birth["median_working_days"] == "2.0"


def test_years_out_of_range_are_not_found(db):
    client = Client()
    assert client.get("/kinerja/?tahun=1999").status_code == 404
    assert client.get(f"/kinerja/?tahun={timezone.localdate().year + 1}").status_code == 404
    assert client.get("/kinerja/?tahun=abc").status_code == 404
    assert client.get("/kinerja/?tahun=²").status_code == 404  # a digit to Python, not to int()
    assert client.get("/kinerja/tidak-ada/").status_code == 404


def test_the_figures_are_computed_once_per_interval(year_of_data, settings):
    """The site keeps the figures for SATUPINTU_PUBLIC_FIGURES_SECONDS: a new answer shows
    after that time, not on the next request, and a request in between reads no answers."""
    from django.core.cache import cache
    from django.db import connection

    settings.SATUPINTU_PUBLIC_FIGURES_SECONDS = 300
    cache.clear()
    client = Client()
    first = client.get(f"/kinerja/?tahun={YEAR}&format=json").json()
    respondents = {row["code"]: row["ikm_respondents"] for row in first["items"]}
    answer(BIRTH, datetime.date(2025, 9, 21), U1=4, U2=4, U3=4, U4=4, U5=4, U6=4, U7=4, U8=4)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        again = client.get(f"/kinerja/?tahun={YEAR}&format=json").json()
    assert {row["code"]: row["ikm_respondents"] for row in again["items"]} == respondents
    assert statements and not any("feedback_surveyresponse" in sql for sql in statements)
    cache.clear()  # the interval is over
    later = client.get(f"/kinerja/?tahun={YEAR}&format=json").json()
    assert {row["code"]: row["ikm_respondents"] for row in later["items"]}[
        "dukcapil-surabaya"
    ] == respondents["dukcapil-surabaya"] + 1
