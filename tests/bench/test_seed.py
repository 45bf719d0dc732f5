"""Synthetic data at scale (issue: `satupintu bench seed --scale S`): the counts follow the
scale, 3 % of cases are open, the heavy citizen and the heavy unit's deep queue are there,
the people the benchmark signs in as exist with the shared password, the same seed gives the
same data, the app works on it (queues, "my cases", search, the public performance page, the
IKM report), and the command refuses a database that holds other data."""

import argparse
import math

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Min
from django.test import Client
from django.utils import timezone

from satupintu.accounts.models import CitizenProfile, EmployeeProfile
from satupintu.bench import (
    CITIZEN_USERNAME,
    EMPLOYEE_USERNAME,
    HEAVY_AGENCY,
    HEAVY_CITIZEN,
    OFFICER,
    PASSWORD,
    SUBMITTER_USERNAME,
    SUBMITTERS,
    SUPERVISOR,
)
from satupintu.bench import seed as seed_command
from satupintu.bench.seed import Sizes, seed_database, seed_state, seed_streams
from satupintu.bench.seed_cases import TrackingNumbers, case_plan
from satupintu.bench.seed_people import citizens, employees
from satupintu.cases.models import Case, CaseEvent, ServiceMonth, Submission
from satupintu.cases.services import case_open
from satupintu.cases.services.performance import service_month_refresh
from satupintu.catalog.models import Service
from satupintu.core import tracking
from satupintu.core.identifiers import validate_nik, validate_nip
from satupintu.feedback.models import SurveyResponse
from satupintu.learning.models import JpEntry
from satupintu.organisations.models import Agency, Unit

SCALE = 0.001
SEED = 4242


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One seeding at a thousandth of the scale for the tests of a class, rolled back after
    them so that other tests never see it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_database(scale=SCALE, seed=SEED, out=None)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def heavy_unit() -> Unit:
    return Unit.objects.filter(agency__code=HEAVY_AGENCY).order_by("pk").first()


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestSeeded:
    def test_counts_follow_the_scale(self, seeded):
        sizes = Sizes.of(SCALE)
        assert Agency.objects.filter(code__startswith="bench-").count() == sizes.agencies
        bench_services = Service.objects.filter(agency__code__startswith="bench-")
        assert bench_services.count() == sizes.services
        assert not bench_services.filter(current_version__isnull=True).exists()
        assert CitizenProfile.objects.count() == sizes.citizens + 1 + SUBMITTERS
        assert Case.objects.count() == sizes.cases == Submission.objects.count()
        assert SurveyResponse.objects.count() == sizes.responses
        assert EmployeeProfile.objects.filter(agency__code__startswith="bench-").count() == (
            sizes.employees + 2
        )
        # Every closed case has three events, an open one one or two.
        events = CaseEvent.objects.count()
        assert 2.9 * sizes.cases <= events <= 3 * sizes.cases
        credits = JpEntry.objects.values("learner").annotate(n=Count("id"))
        assert credits.count() == sizes.employees
        assert credits.aggregate(low=Min("n"), high=Max("n")) == {"low": 2, "high": 5}

    def test_three_per_cent_open_and_closed_consistently(self, seeded):
        sizes = Sizes.of(SCALE)
        assert Case.objects.filter(is_open=True).count() == round(0.03 * sizes.cases)
        assert not Case.objects.filter(is_open=True, closed_at__isnull=False).exists()
        assert not Case.objects.filter(is_open=False, closed_at__isnull=True).exists()
        today = timezone.localdate()
        open_cases = Case.objects.filter(is_open=True)
        assert open_cases.filter(due_date__lt=today).exists()
        assert open_cases.filter(due_date__gte=today).exists()
        assert not Case.objects.filter(submitted_at__gt=timezone.now()).exists()

    def test_heavy_citizen_and_heavy_unit(self, seeded):
        sizes = Sizes.of(SCALE)
        assert Case.objects.filter(submission__applicant__username=HEAVY_CITIZEN).count() == (
            sizes.heavy_cases
        )
        assert sizes.heavy_cases >= 20
        deep = Case.objects.filter(unit=heavy_unit(), is_open=True).count()
        assert deep >= math.ceil(12_000 * SCALE)
        share = Case.objects.filter(agency__code=HEAVY_AGENCY).count() / sizes.cases
        assert 0.15 < share < 0.25
        submitters = [SUBMITTER_USERNAME.format(i) for i in range(1, SUBMITTERS + 1)]
        assert not Submission.objects.filter(applicant__username__in=submitters).exists()

    def test_named_people_sign_in_with_the_password(self, seeded):
        people = [
            OFFICER,
            SUPERVISOR,
            HEAVY_CITIZEN,
            SUBMITTER_USERNAME.format(1),
            SUBMITTER_USERNAME.format(SUBMITTERS),
            CITIZEN_USERNAME.format(1),
            EMPLOYEE_USERNAME.format(1),
        ]
        users = {
            user.username: user for user in get_user_model().objects.filter(username__in=people)
        }
        assert set(users) == set(people)
        for user in users.values():
            assert user.check_password(PASSWORD), user.username
            assert not user.check_password(PASSWORD + "x")
        submitter = CitizenProfile.objects.get(user__username=SUBMITTER_USERNAME.format(1))
        assert submitter.email and submitter.phone and submitter.address
        assert submitter.region_code.startswith("3578")
        assert validate_nik(
            submitter.nik, birth_date=submitter.birth_date, sex=submitter.sex
        ).is_valid

    def test_identifiers_are_valid_and_unique(self, seeded):
        niks = list(CitizenProfile.objects.values_list("nik", "birth_date", "sex"))
        assert len({nik for nik, _, _ in niks}) == len(niks)
        for nik, birth_date, sex in niks[:300]:
            result = validate_nik(nik, birth_date=birth_date, sex=sex)
            assert result.is_valid and not result.warnings, (nik, result.errors, result.warnings)
        nips = list(EmployeeProfile.objects.values_list("nip", flat=True))
        assert all(validate_nip(nip).is_valid for nip in nips)
        numbers = list(Submission.objects.values_list("tracking", flat=True))
        assert len(set(numbers)) == len(numbers)
        assert all(tracking.normalise(number) == number for number in numbers)

    def test_same_seed_gives_the_same_data(self, seeded):
        sizes = Sizes.of(SCALE)
        # People: the stream of the seed, computed again, gives the stored people.
        again = list(citizens(seed_streams(SEED)["citizens"], count=sizes.citizens))
        stored = dict(CitizenProfile.objects.values_list("user__username", "nik"))
        assert {person.username: person.number for person in again} == stored
        other = next(citizens(seed_streams(SEED + 1)["citizens"], count=sizes.citizens))
        assert other.number != again[0].number
        nips = [person.number for person in employees(seed_streams(SEED)["employees"], count=20)]
        assert (
            list(
                EmployeeProfile.objects.filter(user__username__startswith="bench-e")
                .order_by("user_id")
                .values_list("nip", flat=True)[:20]
            )
            == nips
        )
        # Cases: the plan and the tracking numbers of the seed, computed again.
        stream = seed_streams(SEED)["plan"]
        plan = case_plan(
            stream,
            services=seeded.plans,
            count=sizes.cases,
            scale=SCALE,
            heavy_cases=sizes.heavy_cases,
        )
        numbers = TrackingNumbers(stream)
        rows = Case.objects.order_by("pk").values_list(
            "service_id", "is_open", "submission__tracking"
        )
        assert list(rows) == [
            (plan.services[plan.service_of[i]].id, bool(plan.open[i]), numbers(i))
            for i in range(plan.count)
        ]

    def test_monthly_figures_match_a_recount(self, seeded):
        row = (
            ServiceMonth.objects.filter(service__agency__code=HEAVY_AGENCY, completed__gt=0)
            .select_related("service")
            .order_by("-completed", "pk")
            .first()
        )
        stored = (row.received, row.completed, row.completed_on_time, row.processing_days)
        counted = service_month_refresh(service=row.service, month=row.month)
        assert (
            counted.received,
            counted.completed,
            counted.completed_on_time,
            counted.processing_days,
        ) == stored

    def test_the_app_works_on_the_data(self, seeded):
        queue = signed_in(OFFICER).get("/api/v1/cases")
        assert queue.status_code == 200, queue.content
        items = queue.json()["items"]
        assert items and {item["unit"]["code"] for item in items} == {heavy_unit().code}

        mine = signed_in(HEAVY_CITIZEN).get("/api/v1/my/cases")
        assert mine.status_code == 200, mine.content
        assert mine.json()["items"]

        service = Service.objects.filter(agency__code=HEAVY_AGENCY).order_by("pk").first()
        found = Client().get("/api/v1/services", {"q": service.name_id})
        assert found.status_code == 200, found.content
        assert service.code in [item["code"] for item in found.json()["items"]]

        page = Client().get("/kinerja/")
        assert page.status_code == 200
        heavy = Agency.objects.get(code=HEAVY_AGENCY)
        assert heavy.name_id in page.content.decode()

        year = timezone.localdate().year - 1
        report = signed_in(SUPERVISOR).get(
            "/api/v1/ikm", {"agency": HEAVY_AGENCY, "period": str(year)}
        )
        assert report.status_code == 200, report.content
        body = report.json()
        assert body["respondents"] > 0 and body["elements"]

    def test_seeding_again_does_nothing_and_another_seed_is_refused(self, seeded, capsys):
        assert seed_state(scale=SCALE, seed=SEED)[0] == "done"
        assert seed_command.main(argparse.Namespace(scale=SCALE, seed=SEED)) == 0
        assert "already holds" in capsys.readouterr().out
        assert seed_command.main(argparse.Namespace(scale=SCALE, seed=SEED + 1)) == 2
        assert "new database" in capsys.readouterr().err


@pytest.mark.django_db
def test_refuses_a_database_with_other_cases(capsys):
    applicant = get_user_model().objects.create_user(username="someone", password="x")
    service = Service.objects.get(code="dukcapil-surabaya.akta-kelahiran")
    now = timezone.now()
    submission = Submission.objects.create(
        applicant=applicant,
        service_version=service.current_version,
        status="submitted",
        submitted_at=now,
        tracking=tracking.generate(),
    )
    case_open(
        submission=submission,
        service_version=service.current_version,
        submitted_at=now,
        actor=applicant,
    )
    assert seed_command.main(argparse.Namespace(scale=SCALE, seed=SEED)) == 2
    message = capsys.readouterr().err
    assert "seed into an empty database" in message and "DATABASE_URL" in message
    assert not Agency.objects.filter(code__startswith="bench-").exists()
