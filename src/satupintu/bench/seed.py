"""``satupintu bench seed --scale S``: reproducible synthetic data at Indonesian scale, written
straight into the configured database (COPY on PostgreSQL, batched inserts on SQLite).

At scale 1: 50 agencies with 2,000 services, 1,000,000 citizens, 1,000,000 applications
(one case each, with its timeline; 3 % still open), 1,000,000 survey answers and 100,000
employees with their learning histories — plus the people the benchmark signs in as (see
``satupintu.bench``). Every figure scales linearly, with minimums so that a thousandth of
the scale still gives a usable database.

Reproducible: one ``random.Random(seed)`` hands each table a stream of its own (in a fixed
order), and every UUID comes from those streams; the same scale and seed on the same day give
the same data (dates run from 2024-01-01 to today).
"""

import datetime
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

STREAMS = (
    "catalogue",
    "citizens",
    "employees",
    "plan",
    "cases",
    "responses",
    "learning",
    "ledger",
    "staff",
    "profiles",
    "placement",
)
# The audit trail remembers a finished seeding (its scale and seed), so that running the
# same seeding again does nothing.
MARKER_ACTION = "bench.seed"


@dataclass(frozen=True)
class Sizes:
    """How many of each at a scale."""

    scale: float
    agencies: int
    services: int
    citizens: int
    cases: int
    heavy_cases: int
    responses: int
    employees: int

    @classmethod
    def of(cls, scale: float) -> "Sizes":
        from satupintu.bench import HEAVY_CITIZEN_CASES

        if scale <= 0:
            raise ValueError("The scale must be above zero.")
        agencies = max(3, round(50 * scale))
        cases = max(200, round(1_000_000 * scale))
        heavy = (
            HEAVY_CITIZEN_CASES
            if scale >= 0.1
            else max(20, round(HEAVY_CITIZEN_CASES * scale * 10))
        )
        return cls(
            scale=scale,
            agencies=agencies,
            services=max(4 * agencies, round(2_000 * scale)),
            citizens=max(200, round(1_000_000 * scale)),
            cases=cases,
            heavy_cases=min(heavy, cases // 4),
            responses=max(200, round(1_000_000 * scale)),
            employees=max(20, round(100_000 * scale)),
        )


def seed_streams(seed: int) -> dict[str, random.Random]:
    """The stream of each table, all drawn from one ``random.Random(seed)``."""
    root = random.Random(seed)
    return {name: random.Random(root.getrandbits(64)) for name in STREAMS}


@dataclass
class SeedResult:
    sizes: Sizes
    timings: list
    seconds: float
    # What the case generator knew of each synthetic service.
    plans: list


def _utc_offset() -> int:
    """Seconds east of UTC of the platform's time zone (Indonesia keeps no summer time)."""
    from django.utils import timezone

    return int(timezone.localtime().utcoffset().total_seconds())


def shipped_load() -> None:
    """The shipped catalogue and organisations, the competency dictionaries and the courses
    — what the demo loads, without its people and cases."""
    from django.conf import settings

    from satupintu.catalog.services import catalog_load
    from satupintu.learning.services import courses_load
    from satupintu.talent.demo import demo_talent_load

    catalog_load(directory=settings.SATUPINTU_CATALOG_DIR)
    courses = Path(settings.SATUPINTU_CATALOG_DIR) / "courses"
    if courses.is_dir():
        demo_talent_load()
        courses_load(directory_or_file=courses)


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _staff_create(*, rng: random.Random, password: str, plans) -> tuple[int, int]:
    """The officer of the heavy agency's first unit and the supervisor of the heavy agency;
    answers their user ids."""
    import uuid

    from django.contrib.auth import get_user_model

    from satupintu.accounts.constants import Role
    from satupintu.accounts.models import EmployeeProfile, RoleAssignment
    from satupintu.bench import OFFICER, SUPERVISOR
    from satupintu.organisations.models import Unit

    heavy_unit = Unit.objects.select_related("agency").get(
        pk=next(p.unit_id for p in plans if p.heavy_unit)
    )
    agency = heavy_unit.agency
    ids = []
    people = (
        (
            OFFICER,
            "Rina",
            "Kartikasari",
            "198804122012012003",
            heavy_unit,
            Role.OFFICER,
            "Analis Pelayanan",
        ),
        (
            SUPERVISOR,
            "Hendra",
            "Wijayakusuma",
            "197911042005011002",
            None,
            Role.SUPERVISOR,
            "Kepala Bidang Pelayanan",
        ),
    )
    for username, first, last, nip, unit, role, position in people:
        user = get_user_model().objects.create(
            username=username, first_name=first, last_name=last, password=password
        )
        EmployeeProfile.objects.create(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            user=user,
            nip=nip,
            agency=agency,
            unit=heavy_unit,
            position=position,
        )
        RoleAssignment.objects.create(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            user=user,
            role=role,
            agency=agency,
            unit=unit,
        )
        ids.append(user.pk)
    return ids[0], ids[1]


def seed_database(
    *, scale: float, seed: int, out: TextIO | None = sys.stderr, today: datetime.date | None = None
) -> SeedResult:
    """Generate the data of ``scale`` and ``seed`` into the current database, which holds the
    schema and no bench data. Everything but the shipped catalogue is written in one
    transaction: a failure leaves no half-seeded database."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from satupintu.accounts.models import CitizenProfile, EmployeeProfile
    from satupintu.bench import HEAVY_CITIZEN, PASSWORD, seed_feedback, seed_learning, seed_people
    from satupintu.bench import seed_cases as cases_gen
    from satupintu.bench.seed_catalogue import catalogue_create
    from satupintu.bench.seed_tables import Dialect, TableWriter
    from satupintu.cases.models import Case, CaseEvent, ServiceMonth, Submission
    from satupintu.core.services import audit_record
    from satupintu.feedback.models import SurveyResponse
    from satupintu.learning.models import Certificate, Enrolment, JpEntry
    from satupintu.organisations.models import Unit

    started = time.monotonic()
    sizes = Sizes.of(scale)
    streams = seed_streams(seed)
    dialect = Dialect(connection.vendor)
    writer = TableWriter(dialect=dialect, out=out)
    today = today or timezone.localdate()
    offset = _utc_offset()
    now = int(time.time())
    clone = seed_people.clone
    User = get_user_model()

    moment = time.monotonic()
    shipped_load()
    writer.record("shipped catalogue", 0, time.monotonic() - moment)

    with transaction.atomic():
        moment = time.monotonic()
        plans = catalogue_create(
            rng=streams["catalogue"], agencies=sizes.agencies, services=sizes.services
        )
        writer.record("services (+ search)", len(plans), time.monotonic() - moment)
        password = make_password(PASSWORD)
        officer_id, _supervisor_id = _staff_create(
            rng=streams["staff"], password=password, plans=plans
        )
        heavy_unit_id = next(plan.unit_id for plan in plans if plan.heavy_unit)

        # People: users first (ids chosen here, so that profiles and cases can point at them).
        joined = dialect.timestamp(
            int(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC).timestamp())
        )
        true, false = dialect.true, dialect.false
        citizen_first = _next_id(User)
        citizen_total = sizes.citizens + 1 + _submitters()

        def user_rows(people, first_id: int, names: list | None = None):
            for number, person in enumerate(people, start=first_id):
                if names is not None:
                    names.append(f"{person.first_name} {person.last_name}")
                yield (
                    str(number),
                    password,
                    false,
                    person.username,
                    person.first_name,
                    person.last_name,
                    person.email or None,
                    false,
                    true,
                    joined,
                    "",
                    "id",
                )

        user_columns = (
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "phone",
            "language",
        )
        citizens = streams["citizens"]
        writer.write(
            model=User,
            columns=user_columns,
            rows=user_rows(
                seed_people.citizens(clone(citizens), count=sizes.citizens), citizen_first
            ),
            total=citizen_total,
            label="users (citizens)",
        )

        def citizen_profiles(people):
            for number, person in enumerate(people, start=citizen_first):
                yield (
                    dialect.uuid(citizens_uuid.getrandbits(128)),
                    joined,
                    joined,
                    str(number),
                    person.number,
                    f"{person.first_name} {person.last_name}",
                    person.birth_date.isoformat(),
                    person.sex,
                    person.address,
                    person.region_code,
                    person.phone,
                    person.email,
                )

        citizens_uuid = streams["profiles"]
        writer.write(
            model=CitizenProfile,
            columns=(
                "public_id",
                "created_at",
                "updated_at",
                "user",
                "nik",
                "full_name",
                "birth_date",
                "sex",
                "address",
                "region_code",
                "phone",
                "email",
            ),
            rows=citizen_profiles(seed_people.citizens(clone(citizens), count=sizes.citizens)),
            total=citizen_total,
            label="citizen profiles",
        )
        heavy_citizen_id = citizen_first + sizes.citizens
        assert User.objects.filter(pk=heavy_citizen_id, username=HEAVY_CITIZEN).exists()

        employees = streams["employees"]
        employee_first = citizen_first + citizen_total
        employee_names: list[str] = []
        writer.write(
            model=User,
            columns=user_columns,
            rows=user_rows(
                seed_people.employees(clone(employees), count=sizes.employees),
                employee_first,
                employee_names,
            ),
            total=sizes.employees,
            label="users (employees)",
        )
        units = list(
            Unit.objects.filter(agency__code__startswith="bench-")
            .order_by("pk")
            .values_list("pk", "agency_id")
        )
        positions = (
            "Analis Pelayanan",
            "Pengadministrasi Umum",
            "Penata Layanan Operasional",
            "Analis Kebijakan",
            "Pranata Komputer",
            "Arsiparis",
            "Verifikator Keuangan",
        )

        def employee_profiles(people):
            placement = streams["placement"]
            for number, person in enumerate(people, start=employee_first):
                unit_id, agency_id = placement.choice(units)
                yield (
                    dialect.uuid(placement.getrandbits(128)),
                    joined,
                    joined,
                    str(number),
                    person.number,
                    str(agency_id),
                    str(unit_id),
                    placement.choice(positions),
                )

        writer.write(
            model=EmployeeProfile,
            columns=(
                "public_id",
                "created_at",
                "updated_at",
                "user",
                "nip",
                "agency",
                "unit",
                "position",
            ),
            rows=employee_profiles(seed_people.employees(clone(employees), count=sizes.employees)),
            total=sizes.employees,
            label="employee profiles",
        )

        # Applications and cases.
        plan = cases_gen.case_plan(
            streams["plan"],
            services=plans,
            count=sizes.cases,
            scale=scale,
            heavy_cases=sizes.heavy_cases,
        )
        numbers = cases_gen.TrackingNumbers(streams["plan"])
        generator = cases_gen.CaseGenerator(
            plan=plan,
            citizen_first_id=citizen_first,
            citizens=sizes.citizens,
            heavy_citizen_id=heavy_citizen_id,
            today=today,
            now=now,
            utc_offset=offset,
            tracking_numbers=numbers,
        )
        stream = streams["cases"]
        submission_first, case_first = _next_id(Submission), _next_id(Case)
        totals = cases_gen.MonthTotals()
        writer.write(
            model=Submission,
            columns=cases_gen.SUBMISSION_COLUMNS,
            rows=cases_gen.submission_rows(
                generator.records(clone(stream), totals), dialect=dialect, first_id=submission_first
            ),
            total=sizes.cases,
            label="submissions",
        )
        writer.write(
            model=Case,
            columns=cases_gen.CASE_COLUMNS,
            rows=cases_gen.case_rows(
                generator.records(clone(stream)),
                dialect=dialect,
                first_id=case_first,
                submission_first_id=submission_first,
            ),
            total=sizes.cases,
            label="cases",
        )
        writer.write(
            model=CaseEvent,
            columns=cases_gen.EVENT_COLUMNS,
            rows=cases_gen.event_rows(
                generator.records(clone(stream)),
                dialect=dialect,
                first_id=case_first,
                officer_id=officer_id,
                heavy_unit_id=heavy_unit_id,
            ),
            total=round(sizes.cases * 2.95),
            label="case events",
        )
        moment = time.monotonic()
        agency_of = {plan.id: plan.agency_id for plan in plans}
        months = [
            ServiceMonth(
                service_id=service_id,
                agency_id=agency_of[service_id],
                month=month,
                received=totals.received.get((service_id, month), 0),
                completed=totals.completed.get((service_id, month), 0),
                completed_on_time=totals.on_time.get((service_id, month), 0),
                processing_days={
                    str(days): n
                    for days, n in sorted(totals.days.get((service_id, month), {}).items())
                },
            )
            for service_id, month in sorted(set(totals.received) | set(totals.completed))
        ]
        ServiceMonth.objects.bulk_create(months, batch_size=2_000)
        writer.record("service months", len(months), time.monotonic() - moment)

        writer.write(
            model=SurveyResponse,
            columns=seed_feedback.COLUMNS,
            rows=seed_feedback.response_rows(
                streams["responses"],
                dialect=dialect,
                services=plans,
                count=sizes.responses,
                today=today,
            ),
            total=sizes.responses,
            label="survey responses",
        )

        # Learning histories.
        courses = seed_learning.courses_for_history()
        if courses:
            learning = streams["learning"]
            enrolment_first = _next_id(Enrolment)

            def history():
                return seed_learning.completions(
                    clone(learning),
                    courses=courses,
                    first_learner_id=employee_first,
                    learners=sizes.employees,
                    first_enrolment_id=enrolment_first,
                    today=today,
                    utc_offset=offset,
                )

            writer.write(
                model=Enrolment,
                columns=seed_learning.ENROLMENT_COLUMNS,
                rows=seed_learning.enrolment_rows(history(), dialect=dialect),
                total=round(sizes.employees * 3.8),
                label="enrolments",
            )
            writer.write(
                model=JpEntry,
                columns=seed_learning.JP_COLUMNS,
                rows=seed_learning.jp_rows(streams["ledger"], history(), dialect=dialect),
                total=round(sizes.employees * 3.5),
                label="JP ledger",
            )
            writer.write(
                model=Certificate,
                columns=seed_learning.CERTIFICATE_COLUMNS,
                rows=seed_learning.certificate_rows(
                    history(),
                    dialect=dialect,
                    names=lambda learner: employee_names[learner - employee_first],
                ),
                total=round(sizes.employees * 0.9),
                label="certificates",
            )

        _sequences_reset([User, Submission, Case, Enrolment])
        audit_record(
            actor=None,
            action=MARKER_ACTION,
            object_type="bench",
            object_id=f"{scale:g}:{seed}",
            details={"scale": scale, "seed": seed, "today": today.isoformat()},
        )

    if dialect.postgres:
        moment = time.monotonic()
        # VACUUM too, not only the planner's statistics: rows loaded in bulk are not marked
        # all-visible until a vacuum, and without that no count can be answered from an
        # index alone (the IKM report's population reads 20 times more).
        if connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        writer.record("vacuum", 0, time.monotonic() - moment)
    return SeedResult(
        sizes=sizes, timings=writer.timings, seconds=time.monotonic() - started, plans=plans
    )


def _submitters() -> int:
    from satupintu.bench import SUBMITTERS

    return SUBMITTERS


def _sequences_reset(models: list) -> None:
    """After rows with explicit ids: the next id the database gives must follow them
    (SQLite's AUTOINCREMENT follows by itself)."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# The command ---------------------------------------------------------------------------------


def _database_ensure() -> str | None:
    """On PostgreSQL, create the configured database when it does not exist yet; answers its
    name when it was created."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        return None
    import psycopg
    from psycopg import sql

    params = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        name = config["NAME"]
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name


def seed_state(*, scale: float, seed: int) -> tuple[str, str]:
    """Whether the current database may be seeded: ``("seed", "")``, ``("done", message)``
    when this seeding is already there, or ``("refuse", message)``."""
    from satupintu.cases.models import Case
    from satupintu.core.models import AuditEvent
    from satupintu.organisations.models import Agency

    marker = AuditEvent.objects.filter(action=MARKER_ACTION).order_by("-id").first()
    if marker is not None:
        if marker.details.get("scale") == scale and marker.details.get("seed") == seed:
            return (
                "done",
                f"The database already holds bench data of scale {scale:g} and seed {seed}; nothing to do.",
            )
        return (
            "refuse",
            f"The database holds bench data of scale {marker.details.get('scale')} and seed "
            f"{marker.details.get('seed')}: set DATABASE_URL to a new database to seed another.",
        )
    if Case.objects.exclude(agency__code__startswith="bench-").exists():
        return (
            "refuse",
            "The database holds cases that are not bench data: seed into an empty database (set DATABASE_URL to a new database).",
        )
    if Agency.objects.filter(code__startswith="bench-").exists():
        return (
            "refuse",
            "The database holds bench agencies from an unfinished seeding: set DATABASE_URL to a new database.",
        )
    return "seed", ""


def _database_size() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


def summary_lines(result: SeedResult, size: str | None) -> list[str]:
    lines = [f"{'table':<22} {'rows':>10} {'time':>9} {'rows/s':>10}"]
    for timing in result.timings:
        rate = timing.rows / timing.seconds if timing.seconds > 0 and timing.rows else 0
        lines.append(
            f"{timing.label:<22} {timing.rows:>10,} {timing.seconds:>8.1f}s {rate:>10,.0f}"
        )
    lines.append(
        f"{'total':<22} {sum(t.rows for t in result.timings):>10,} {result.seconds:>8.1f}s"
    )
    if size:
        lines.append(f"database size: {size}")
    return lines


def main(args) -> int:
    """Seed the configured database at ``args.scale`` with ``args.seed``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    scale, seed = float(args.scale), int(args.seed)
    if not 0 < scale <= 10 or math.isnan(scale):
        print("The scale must be above 0 and at most 10 (1 = full scale).", file=sys.stderr)
        return 2
    created = _database_ensure()
    if created:
        print(f"Created the database {created}.", file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)
    state, message = seed_state(scale=scale, seed=seed)
    if state == "done":
        print(message)
        return 0
    if state == "refuse":
        print(message, file=sys.stderr)
        return 2
    sizes = Sizes.of(scale)
    print(
        f"Seeding scale {scale:g} (seed {seed}): {sizes.services:,} services of {sizes.agencies} "
        f"agencies, {sizes.citizens:,} citizens, {sizes.cases:,} cases, {sizes.responses:,} survey "
        f"answers, {sizes.employees:,} employees.",
        file=sys.stderr,
    )
    result = seed_database(scale=scale, seed=seed)
    for line in summary_lines(result, _database_size()):
        print(line)
    return 0
