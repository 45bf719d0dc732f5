"""The demo (complaints, 7): `satupintu demo` loads reports in several states — one overdue
for routing, which the sweep escalates — and the coordinator's login; loading twice changes
nothing."""

import pytest
from django.utils import timezone

from satupintu.complaints.constants import ComplaintStatus
from satupintu.complaints.demo import demo_complaints_load
from satupintu.complaints.models import Complaint
from satupintu.complaints.sweep import complaints_sweep
from satupintu.core.calendar import WorkingCalendar
from satupintu.demo.people import DEMO_PASSWORD, demo_load
from tests.conftest import EXAMPLE_CATALOG

pytestmark = pytest.mark.django_db


def test_the_demo_has_reports_in_several_states_and_a_coordinator(client):
    logins = demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert ("complaint coordinator (SP4N-LAPOR!)", "koordinator.lapor") in logins
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert statuses >= {
        ComplaintStatus.RECEIVED,
        ComplaintStatus.NEEDS_INFO,
        ComplaintStatus.ROUTED,
        ComplaintStatus.FOLLOWED_UP,
        ComplaintStatus.REJECTED,
    }
    assert Complaint.objects.filter(is_anonymous=True, complainant__isnull=True).exists()
    count = Complaint.objects.count()
    assert demo_complaints_load() == count  # again: nothing new

    overdue = Complaint.objects.get(title__startswith="Akta kelahiran belum terbit")
    day = timezone.localdate()
    assert overdue.due_date < day
    calendar = WorkingCalendar.for_agency(None)
    if not calendar.is_working_day(day):  # the sweep sends nothing on a day off
        day = calendar.add_working_days(day, 1)
    assert complaints_sweep(today=day)["escalations"] >= 1
    assert overdue.events.filter(kind="escalated").exists()
    assert client.login(username="koordinator.lapor", password=DEMO_PASSWORD)
    queue = client.get("/en/koordinator-pengaduan/")
    assert queue.status_code == 200 and overdue.tracking in queue.content.decode()
