"""The demo's week at the civil registry (issue: browser journeys — the officer's queue shows
its filters and pages): residents without a demo login have applied for birth, death and
marriage certificates, so that the registry's queue runs to a second page, some cases being
checked and some overdue. Their numbers are well-formed, and loading again changes nothing."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.cases.models import Case
from satupintu.cases.views.officer import QUEUE_PAGE_SIZE
from satupintu.core.identifiers import validate_nik
from satupintu.demo.cases import BACKLOG_SIZE, demo_backlog_load
from satupintu.demo.people import demo_people_load

pytestmark = pytest.mark.django_db


def test_the_registry_queue_runs_to_a_second_page(client):
    demo_people_load()
    assert demo_backlog_load() == BACKLOG_SIZE
    officer = get_user_model().objects.get(username="petugas.dukcapil")
    open_cases = Case.objects.filter(unit__code="pencatatan-sipil", is_open=True)
    assert open_cases.count() > QUEUE_PAGE_SIZE
    assert open_cases.filter(state="verifikasi").exists()
    assert open_cases.filter(due_date__lt=timezone.localdate()).exists()
    assert open_cases.values("service").distinct().count() == 3

    client.force_login(officer)
    with translation.override("en"):
        page = client.get(reverse("cases:queue")).content.decode()
    assert re.search(r'rel="next" href="\?after=', page)


def test_residents_have_well_formed_numbers_and_no_password():
    demo_people_load()
    demo_backlog_load()
    residents = get_user_model().objects.filter(username__startswith="penduduk.")
    assert residents.count() >= 2
    for person in residents.select_related("citizen"):
        assert not person.has_usable_password()
        profile = person.citizen
        result = validate_nik(profile.nik, birth_date=profile.birth_date, sex=profile.sex)
        assert result.is_valid and not result.warnings, (profile.nik, result.errors)


def test_loading_again_changes_nothing():
    demo_people_load()
    demo_backlog_load()
    counts = (get_user_model().objects.count(), Case.objects.count())
    assert demo_backlog_load() == BACKLOG_SIZE
    assert (get_user_model().objects.count(), Case.objects.count()) == counts
