"""Fixtures of the survey: the demo people, cases that close, and the task queue."""

import signal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from satupintu.demo.people import demo_people_load

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture(autouse=True)
def database_queue(settings):
    """Tasks wait in the database, as in the embedded default."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def people(db):
    """The demo people (see ``tests/cases/conftest.py``): citizens ``warga`` and ``warga2``;
    ``petugas.dukcapil`` and ``penyelia.dukcapil`` (unit pencatatan-sipil of
    dukcapil-surabaya), ``admin.dukcapil`` (its agency administrator), the same three for
    dpmptsp-surabaya, and ``admin`` (platform administrator)."""
    demo_people_load()
    return {user.username: user for user in get_user_model().objects.all()}


@pytest.fixture
def run_queue(monkeypatch, django_capture_on_commit_callbacks):
    """Run the database worker until the queue is empty; fail on a task that failed."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        handlers = {number: signal.getsignal(number) for number in SIGNALS}
        try:
            for _ in range(10):
                if not DBTaskResult.objects.ready().exists():
                    break
                with django_capture_on_commit_callbacks(execute=True):
                    call_command(
                        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
                    )
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
        failed = list(DBTaskResult.objects.failed().values_list("task_path", "traceback"))
        assert failed == [], failed

    return run
