"""Overdue steps escalate by tasks (complaints, 2): the sweep reminds the coordinator or the
agency's staff before a deadline, escalates overdue steps — the coordinator's to the other
coordinators, the agency's to its supervisors and administrators — and closes complaints
nobody answered; once a day per complaint and step, only on working days, and running it
twice changes nothing. `satupintu sweep` and the worker's clock run it."""

import datetime

import pytest

from satupintu import cli
from satupintu.complaints import services, tasks
from satupintu.complaints.constants import ComplaintStatus, EventKind, Sender
from satupintu.complaints.models import Complaint, ComplaintEvent
from satupintu.complaints.sweep import complaints_sweep
from satupintu.notifications.models import Notification
from tests.complaints.factories import agency, file

pytestmark = pytest.mark.django_db

THU_13_AUG = datetime.date(2026, 8, 13)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def told(kind: str) -> set[str]:
    return set(
        Notification.objects.filter(kind=f"complaint.{kind}").values_list(
            "recipient__username", flat=True
        )
    )


def snapshot():
    return (
        list(ComplaintEvent.objects.order_by("pk").values_list("pk", flat=True)),
        Notification.objects.count(),
        list(Complaint.objects.order_by("pk").values_list("status", "is_open")),
    )


@pytest.fixture
def worked_by_one_coordinator(people):
    """A complaint filed on Thu 13 August that `koordinator.lapor` asked about and the
    complainant answered the same day: due Wed 19 August, worked by that coordinator."""
    complaint = file(people["warga"], today=THU_13_AUG).complaint
    services.complaint_request_information(
        complaint=complaint, actor=people["koordinator.lapor"], message="?", today=THU_13_AUG
    )
    services.complaint_message_post(
        complaint=complaint,
        actor=people["warga"],
        body="!",
        sender=Sender.COMPLAINANT,
        today=THU_13_AUG,
    )
    complaint.refresh_from_db()
    assert complaint.due_date == d(8, 19)
    Notification.objects.all().delete()
    return complaint


def test_the_coordinator_is_reminded_and_the_other_coordinators_get_the_overdue_one(
    people, worked_by_one_coordinator
):
    report = complaints_sweep(today=d(8, 18))
    assert report["reminders"] == 1 and report["escalations"] == 0
    assert told("reminder") == {"koordinator.lapor"}
    before = snapshot()
    assert complaints_sweep(today=d(8, 18))["reminders"] == 0
    assert snapshot() == before  # twice the same day changes nothing

    report = complaints_sweep(today=d(8, 20))
    assert report["escalations"] == 1
    assert told("escalated") == {"koordinator.dua"}
    event = ComplaintEvent.objects.get(kind=EventKind.ESCALATED)
    assert event.internal and event.data["step"] == "verify"
    before = snapshot()
    complaints_sweep(today=d(8, 20))
    assert snapshot() == before
    # The next working day it is escalated again.
    assert complaints_sweep(today=d(8, 21))["escalations"] == 1


def test_nothing_is_sent_on_a_day_off(people, worked_by_one_coordinator):
    for day in (d(8, 15), d(8, 16), d(8, 17)):  # Saturday, Sunday, Independence Day
        report = complaints_sweep(today=day)
        assert report["reminders"] == report["escalations"] == 0
    assert not Notification.objects.exists()


def test_a_paused_complaint_is_left_alone(people):
    complaint = file(people["warga"], today=THU_13_AUG).complaint
    services.complaint_request_information(
        complaint=complaint, actor=people["koordinator.lapor"], message="?", today=THU_13_AUG
    )
    Notification.objects.all().delete()
    report = complaints_sweep(today=d(8, 25))
    assert report["reminders"] == report["escalations"] == 0


def test_the_agency_is_reminded_and_its_supervisors_and_admins_get_the_overdue_follow_up(
    people,
):
    complaint = services.complaint_route(
        complaint=file(people["warga"], today=THU_13_AUG).complaint,
        actor=people["koordinator.lapor"],
        agency=agency(),
        today=d(8, 21),
    )
    assert complaint.due_date == d(8, 31)
    Notification.objects.all().delete()

    complaints_sweep(today=d(8, 28))
    assert {"petugas.dukcapil", "penyelia.dukcapil"} <= told("reminder")
    assert "petugas.dpmptsp" not in told("reminder")
    assert "admin.dukcapil" not in told("reminder")

    complaints_sweep(today=d(9, 1))
    assert told("escalated") == {"penyelia.dukcapil", "admin.dukcapil"}
    before = snapshot()
    complaints_sweep(today=d(9, 1))
    assert snapshot() == before


def test_a_followed_up_complaint_closes_when_nobody_answers(people):
    complaint = services.complaint_route(
        complaint=file(people["warga"], today=THU_13_AUG).complaint,
        actor=people["koordinator.lapor"],
        agency=agency(),
        today=d(8, 21),
    )
    services.complaint_follow_up(
        complaint=complaint, actor=people["petugas.dukcapil"], body="Selesai.", today=d(8, 31)
    )
    assert complaints_sweep(today=d(9, 11))["closed"] == 0
    complaint.refresh_from_db()
    assert complaint.is_open

    report = complaints_sweep(today=d(9, 14))
    assert report["closed"] == 1
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and not complaint.is_open
    assert complaint.events.filter(kind=EventKind.CLOSED).count() == 1
    before = snapshot()
    assert complaints_sweep(today=d(9, 14))["closed"] == 0
    assert complaints_sweep(today=d(9, 15))["closed"] == 0
    assert snapshot() == before


def test_the_sweep_task_and_the_command_run_it(people, capsys):
    file(people["warga"], today=THU_13_AUG)
    assert tasks.sweep_complaints.call()["date"]
    assert cli.main(["sweep"]) == 0
    assert "complaints:" in capsys.readouterr().out


def test_the_worker_clock_enqueues_the_complaint_sweep_too(monkeypatch):
    import threading

    from django.core.cache import cache

    from satupintu.cases import tasks as case_tasks

    enqueued = threading.Event()
    calls = []

    class Sweep:
        def __init__(self, name):
            self.name = name

        def enqueue(self):
            calls.append(self.name)
            if self.name == "complaints":
                enqueued.set()

    monkeypatch.setattr(case_tasks, "sweep_cases", Sweep("cases"))
    cache.delete("satupintu:sweep-enqueued")
    stop = cli._start_sweep_clock(10, also=(Sweep("complaints"),))
    try:
        assert enqueued.wait(5)
    finally:
        stop.set()
        cache.delete("satupintu:sweep-enqueued")
    assert calls == ["cases", "complaints"]
