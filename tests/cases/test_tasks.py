"""Background work of the case engine (issue: notifications and background work): the
people concerned are told of a submission, a change of status and a message, in their own
language, once however often a task runs; the sweep reminds officers of cases due soon and
escalates overdue cases to supervisors, once a day per case, leaving paused and closed cases
alone; and the tasks run through the database queue, through RQ on Redis, and on the
worker's clock."""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tasks_db.models import DBTaskResult

from satupintu import cli
from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.cases import tasks
from satupintu.cases.constants import EventKind
from satupintu.cases.models import Case, CaseEvent
from satupintu.cases.notices import cases_sweep
from satupintu.cases.services import case_claim, case_transition, message_post
from satupintu.core.calendar import WorkingCalendar
from satupintu.notifications.models import Notification
from satupintu.notifications.tasks import send_notification_email
from satupintu.organisations.models import Agency

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


@pytest.fixture(autouse=True)
def indonesian():
    """Each test starts in the default language, and leaves it as it found it (a request to
    an /en/ page leaves English active)."""
    with translation.override("id"):
        yield


@pytest.fixture(autouse=True)
def database_queue(settings):
    """The embedded default: tasks wait in the database (SATUPINTU_TASKS=database)."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def run_queue(monkeypatch, django_capture_on_commit_callbacks):
    """Run the database worker in batch mode (``db_worker --batch``: every task that is
    ready, then exit) until the queue is empty, tasks queued by tasks included; fail on a
    task that failed."""
    from django_tasks_db.management.commands import db_worker

    # Between tasks the worker closes a connection that is in a transaction; on PostgreSQL
    # that would end the test's own transaction, which holds everything the tasks read.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        handlers = {number: signal.getsignal(number) for number in SIGNALS}
        try:
            for _ in range(10):
                if not DBTaskResult.objects.ready().exists():
                    break
                # Tasks run inside the test's transaction: their on-commit work (queuing
                # the e-mail) runs when this block ends, as it would at their commit.
                with django_capture_on_commit_callbacks(execute=True):
                    call_command(
                        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
                    )
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
        failed = list(DBTaskResult.objects.failed().values_list("task_path", "traceback"))
        assert failed == [], failed
        assert not DBTaskResult.objects.ready().exists()

    return run


@pytest.fixture
def submit(make_case, django_capture_on_commit_callbacks):
    """Open a case the way submission does, with its tasks queued on commit."""

    def make(*args, **kwargs) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            return make_case(*args, **kwargs)

    return make


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Call a service the way a page does: its tasks are queued when it commits."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def english(monkeypatch):
    """Make the given usernames' accounts English-speaking (the ``language`` of an account,
    as ``recipient_language`` reads it)."""

    def speak_english(*usernames: str) -> None:
        monkeypatch.setattr(
            get_user_model(),
            "language",
            property(lambda user: "en" if user.username in usernames else "id", lambda u, v: None),
            raising=False,
        )

    return speak_english


def notices(user, kind: str | None = None):
    found = Notification.objects.filter(recipient=user).order_by("created_at", "id")
    return found.filter(kind=kind) if kind else found


def in_language(language: str, function, *args, **kwargs):
    with translation.override(language):
        return function(*args, **kwargs)


def long_date(day: datetime.date, language: str) -> str:
    return in_language(language, formats.date_format, day, "j F Y")


# Submission -------------------------------------------------------------------------------


def test_a_submission_tells_the_applicant_in_indonesian_by_default(submit, people, run_queue):
    case = submit(BIRTH)
    assert DBTaskResult.objects.ready().filter(task_path__endswith="notify_case_event").exists()
    run_queue()
    (notice,) = notices(people["warga"])
    assert notice.kind == "case.submitted" and notice.language == "id"
    assert "Penerbitan Akta Kelahiran" in notice.title
    assert case.submission.tracking in notice.body
    assert long_date(case.due_date, "id") in notice.body
    assert notice.link == in_language(
        "id", reverse, "cases:case", kwargs={"public_id": case.public_id}
    )
    # Officers see new cases in their queue; they are not notified one by one.
    assert not notices(people["petugas.dukcapil"]).exists()
    assert [message.to for message in mail.outbox] == [[people["warga"].email]]
    assert mail.outbox[0].subject == notice.title


def test_a_submission_is_written_in_english_for_an_english_speaker(
    submit, people, run_queue, english
):
    english("warga")
    case = submit(BIRTH)
    run_queue()
    (notice,) = notices(people["warga"])
    assert notice.language == "en"
    assert "Birth Certificate" in notice.title and "Penerbitan" not in notice.title
    assert long_date(case.due_date, "en") in notice.body
    assert notice.link.startswith("/en/")


def test_no_email_without_an_address_but_the_inbox_has_it(submit, people, run_queue):
    warga = people["warga"]
    warga.email = ""
    warga.save()
    submit(BIRTH)
    run_queue()
    assert notices(warga).count() == 1
    assert mail.outbox == []


def test_running_the_task_twice_creates_and_sends_once(submit, people, run_queue):
    case = submit(BIRTH)
    run_queue()
    # The same task again, twice: a retry after a worker died, a duplicate in the queue.
    for _ in range(2):
        tasks.notify_case_event.enqueue(case_id=case.pk, kind="submitted", data={})
    run_queue()
    notice = notices(people["warga"]).get()
    # And the e-mail task of the same notification, twice.
    for _ in range(2):
        send_notification_email.enqueue(notification_id=notice.pk)
    run_queue()
    assert len(mail.outbox) == 1


# Transitions ------------------------------------------------------------------------------


def test_a_change_of_status_tells_the_applicant_the_new_status_in_plain_words(
    submit, act, people, run_queue
):
    case = submit(BIRTH)
    case = act(case_transition, case=case, actor=people["petugas.dukcapil"], to="verifikasi")
    run_queue()
    notice = notices(people["warga"], "case.transition").get()
    assert "Verifikasi berkas dan data SIAK" in notice.title
    assert case.submission.tracking in notice.body
    assert long_date(case.due_date, "id") in notice.body


def test_a_status_that_stops_the_clock_says_the_agency_waits_for_the_applicant(
    submit, act, people, run_queue, english
):
    english("warga")
    case = submit(BIRTH)
    officer = people["petugas.dukcapil"]
    case = act(case_transition, case=case, actor=officer, to="verifikasi")
    case = act(
        case_transition,
        case=case,
        actor=officer,
        to="perlu_data",
        data={"message": "Mohon unggah surat keterangan lahir yang terbaca."},
    )
    run_queue()
    waiting = notices(people["warga"], "case.transition").last()
    assert "Waiting for the applicant" in waiting.title
    assert "The agency is waiting for you" in waiting.body
    # What the officer wrote stays on the case's page, not in the notification.
    assert "surat keterangan" not in waiting.body
    assert notices(people["warga"], "case.transition").count() == 2


def test_the_applicants_answer_goes_back_to_the_assigned_officer(submit, act, people, run_queue):
    case = submit(BIRTH)
    officer, applicant = people["petugas.dukcapil"], people["warga"]
    case = act(case_claim, case=case, actor=officer)
    case = act(case_transition, case=case, actor=officer, to="verifikasi")
    case = act(case_transition, case=case, actor=officer, to="perlu_data", data={"message": "?"})
    run_queue()
    before = notices(applicant).count()
    # Answering the request takes the case back to the agency (a transition by the applicant).
    act(message_post, case=case, actor=applicant, body="Sudah saya unggah ulang.")
    run_queue()
    case.refresh_from_db()
    assert case.state == "verifikasi"
    back = notices(officer).get()
    assert back.kind == "case.transition"
    assert case.submission.tracking in back.title
    assert "Sudah saya" not in back.body
    assert notices(applicant).count() == before  # not told of their own step


def test_a_repeated_transition_task_creates_nothing_new(submit, act, people, run_queue):
    case = submit(BIRTH)
    act(case_transition, case=case, actor=people["petugas.dukcapil"], to="verifikasi")
    run_queue()
    data = {"from_state": "diajukan", "to_state": "verifikasi"}
    tasks.notify_case_event.enqueue(case_id=case.pk, kind="transition", data=data)
    run_queue()
    assert notices(people["warga"], "case.transition").count() == 1


# Messages ---------------------------------------------------------------------------------


def test_a_message_from_the_agency_tells_the_applicant(submit, act, people, run_queue):
    case = submit(BIRTH)
    act(message_post, case=case, actor=people["petugas.dukcapil"], body="Berkas kami terima.")
    run_queue()
    notice = notices(people["warga"], "case.message").get()
    assert case.submission.tracking in notice.title
    assert "Berkas kami terima" not in notice.body  # the message itself stays on the page


def test_a_message_from_the_applicant_tells_the_assigned_officer_only(
    submit, act, people, run_queue
):
    case = submit(BIRTH)
    applicant, officer = people["warga"], people["petugas.dukcapil"]
    act(message_post, case=case, actor=applicant, body="Kapan selesai?")
    run_queue()
    assert not Notification.objects.filter(kind="case.message").exists()  # nobody has it yet
    case = act(case_claim, case=case, actor=officer)
    act(message_post, case=case, actor=applicant, body="Terima kasih.")
    run_queue()
    assert notices(officer, "case.message").count() == 1
    assert not notices(applicant, "case.message").exists()
    assert not notices(people["penyelia.dukcapil"]).exists()


def test_an_internal_note_tells_nobody(submit, act, people, run_queue):
    case = submit(BIRTH)
    act(message_post, case=case, actor=people["petugas.dukcapil"], body="Cek SIAK.", internal=True)
    run_queue()
    assert not Notification.objects.filter(kind="case.message").exists()


# The sweep --------------------------------------------------------------------------------


@pytest.fixture
def workday(people):
    """Dukcapil Surabaya's calendar, and one of its working days a little ahead to sweep on.
    The demo's own cases (some overdue on purpose) are closed, out of the sweep's way."""
    Case.objects.filter(is_open=True).update(is_open=False)
    agency_calendar = WorkingCalendar.for_agency(Agency.objects.get(code="dukcapil-surabaya"))
    return agency_calendar, agency_calendar.add_working_days(timezone.localdate(), 5)


def due(case: Case, day: datetime.date, **changes) -> Case:
    Case.objects.filter(pk=case.pk).update(due_date=day, **changes)
    case.refresh_from_db()
    return case


def sweep_events(case: Case, kind: str):
    return CaseEvent.objects.filter(case=case, kind=kind)


def test_a_case_due_soon_reminds_the_unit_officers_once_a_day(make_case, people, workday):
    agency_calendar, today = workday
    case = due(make_case(BIRTH), agency_calendar.add_working_days(today, 1))
    later = due(make_case(BIRTH), agency_calendar.add_working_days(today, 3))
    officer = people["petugas.dukcapil"]

    first = cases_sweep(today=today)
    again = cases_sweep(today=today)

    assert first["reminders"] == 1 and again["reminders"] == 0
    assert again["notifications"] == 0
    reminder = sweep_events(case, EventKind.REMINDER).get()
    assert reminder.internal and reminder.data["date"] == today.isoformat()
    assert not sweep_events(later, EventKind.REMINDER).exists()
    (notice,) = notices(officer, "case.reminder")
    assert case.submission.tracking in notice.title
    assert notice.link == in_language("id", reverse, "cases:officer_case", args=[case.public_id])
    assert long_date(case.due_date, "id") in notice.body
    # Supervisors are not reminded, and nothing reaches the applicant.
    assert not notices(people["penyelia.dukcapil"]).exists()
    assert not notices(people["warga"], "case.reminder").exists()
    # The next working day it reminds again: once a day, not once for ever.
    next_day = agency_calendar.add_working_days(today, 1)
    assert cases_sweep(today=next_day)["reminders"] == 1
    assert sweep_events(case, EventKind.REMINDER).count() == 2


def test_a_reminder_goes_to_the_assigned_officer_or_else_every_officer_of_the_unit(
    make_case, people, workday
):
    _calendar, today = workday
    officer = people["petugas.dukcapil"]
    role = officer.roles.get(role=Role.OFFICER)
    colleague = get_user_model().objects.create_user(username="petugas.dua", password="x" * 12)
    RoleAssignment.objects.create(
        user=colleague, role=Role.OFFICER, agency=role.agency, unit=role.unit
    )
    unassigned = due(make_case(BIRTH), today)
    taken = due(make_case(BIRTH), today, assigned_to=colleague)

    report = cases_sweep(today=today)

    assert report["reminders"] == 2 and report["notifications"] == 3
    officers_titles = [notice.title for notice in notices(officer)]
    colleagues_titles = [notice.title for notice in notices(colleague)]
    assert len(officers_titles) == 1 and unassigned.submission.tracking in officers_titles[0]
    assert len(colleagues_titles) == 2
    assert any(taken.submission.tracking in title for title in colleagues_titles)


def test_an_overdue_case_is_escalated_to_the_supervisors_only(make_case, people, workday):
    agency_calendar, today = workday
    officer = people["petugas.dukcapil"]
    case = due(make_case(BIRTH), agency_calendar.add_working_days(today, -2), assigned_to=officer)

    report = cases_sweep(today=today)
    cases_sweep(today=today)

    assert report["escalations"] == 1 and report["reminders"] == 0
    escalation = sweep_events(case, EventKind.ESCALATED).get()
    assert escalation.internal
    (notice,) = notices(people["penyelia.dukcapil"], "case.escalated")
    assert case.submission.tracking in notice.title
    assert "Ahmad Fauzi" in notice.body  # who has it
    assert not notices(officer).exists()
    assert not notices(people["penyelia.dpmptsp"]).exists()  # another agency's supervisor
    assert not sweep_events(case, EventKind.REMINDER).exists()


def test_paused_and_closed_cases_are_left_alone(make_case, people, workday):
    agency_calendar, today = workday
    overdue = agency_calendar.add_working_days(today, -3)
    paused = due(make_case(BIRTH), overdue, is_paused=True, paused_since=overdue)
    closed = due(make_case(BIRTH), today, is_open=False, closed_at=timezone.now())

    report = cases_sweep(today=today)

    assert report["reminders"] == report["escalations"] == 0
    assert not CaseEvent.objects.filter(
        case__in=[paused, closed], kind__in=[EventKind.REMINDER, EventKind.ESCALATED]
    ).exists()
    assert not Notification.objects.exists()


def test_nothing_is_sent_on_the_agencys_days_off(make_case, people, workday):
    agency_calendar, today = workday
    day_off = today
    while agency_calendar.is_working_day(day_off):
        day_off += datetime.timedelta(days=1)
    due(make_case(BIRTH), day_off - datetime.timedelta(days=10))
    assert cases_sweep(today=day_off)["escalations"] == 0
    assert not Notification.objects.exists()


def test_the_sweep_task_runs_through_the_queue(make_case, people, workday, run_queue):
    agency_calendar, _ = workday
    due(make_case(BIRTH), agency_calendar.add_working_days(timezone.localdate(), -1))
    tasks.sweep_cases.enqueue()
    tasks.sweep_cases.enqueue()  # two workers' clocks
    run_queue()
    results = DBTaskResult.objects.successful().filter(task_path__endswith="sweep_cases")
    assert results.count() == 2
    today_real = timezone.localdate()
    expected = 1 if agency_calendar.is_working_day(today_real) else 0
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATED).count() == expected


# The queues and the worker ----------------------------------------------------------------


def test_the_database_queue_end_to_end(submit, people, run_queue):
    """Enqueued on commit into the database, run by ``db_worker --batch``: the notification,
    then its e-mail (a task queued by a task)."""
    submit(BIRTH)
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "satupintu.cases.tasks.notify_case_event"
    run_queue()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == 1
    email_task = DBTaskResult.objects.get(task_path__endswith="send_notification_email")
    assert email_task.status == "SUCCESSFUL" and email_task.return_value is True
    assert len(mail.outbox) == 1


@pytest.fixture
def redis_queue(settings):
    """The RQ backend against the local Redis (database 15), emptied before and after."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}: the RQ backend is not tested")
    import django_rq
    from django_tasks_rq.backend import Job

    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    yield queue
    queue.empty()


def test_the_rq_queue_end_to_end(submit, people, redis_queue, django_capture_on_commit_callbacks):
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    submit(BIRTH)
    assert redis_queue.count == 1
    assert not DBTaskResult.objects.exists()
    failed_before = redis_queue.failed_job_registry.count
    handlers = {number: signal.getsignal(number) for number in SIGNALS}
    try:
        for _ in range(3):  # the notification, then its e-mail
            with django_capture_on_commit_callbacks(execute=True):
                SimpleWorker([redis_queue], connection=redis_queue.connection, job_class=Job).work(
                    burst=True
                )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert redis_queue.failed_job_registry.count == failed_before
    assert notices(people["warga"], "case.submitted").count() == 1
    assert [message.to for message in mail.outbox] == [[people["warga"].email]]


def test_the_worker_clock_enqueues_the_sweep_once_per_interval(monkeypatch):
    enqueued = threading.Event()
    calls = []

    class Sweep:
        def enqueue(self):
            calls.append(time.monotonic())
            enqueued.set()

    monkeypatch.setattr(tasks, "sweep_cases", Sweep())
    cache.delete("satupintu:sweep-enqueued")
    stop = cli._start_sweep_clock(10)
    try:
        assert enqueued.wait(5), "the clock enqueues a sweep as the worker starts"
    finally:
        stop.set()
    # Another worker sharing the cache within the interval does not enqueue a second one.
    other = cli._start_sweep_clock(10)
    time.sleep(0.5)
    other.set()
    assert len(calls) == 1
    cache.delete("satupintu:sweep-enqueued")


def test_satupintu_worker_sweeps_on_its_clock(tmp_path):
    """The real command, in its own process, on a fresh embedded database: it enqueues the
    sweep as it starts and runs it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SATUPINTU_TASKS", "DEBUG", "SATUPINTU_DEMO"}
    }
    database = tmp_path / "worker.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    command = [sys.executable, "-m", "satupintu.cli"]
    migrate = subprocess.run(  # noqa: S603
        [*command, "manage", "migrate", "-v", "0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    worker = subprocess.Popen(  # noqa: S603
        [*command, "worker", "--interval", "0.2", "--sweep-minutes", "15"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "worker.log").open("w"),
    )
    statuses: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "SUCCESSFUL" not in statuses:
            time.sleep(0.5)
            with sqlite3.connect(database, timeout=5) as connection:
                statuses = [
                    status
                    for (status,) in connection.execute(
                        f"select status from {DBTaskResult._meta.db_table} "  # noqa: S608
                        "where task_path = 'satupintu.cases.tasks.sweep_cases'"
                    )
                ]
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    assert statuses == ["SUCCESSFUL"], (tmp_path / "worker.log").read_text()


def test_satupintu_sweep_runs_once_for_cron(capsys):
    assert cli.main(["sweep"]) == 0
    assert "reminders" in capsys.readouterr().out
