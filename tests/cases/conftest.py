"""Fixtures for the case engine: the demo's people and ready-made cases."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Submission
from satupintu.cases.services import case_open
from satupintu.catalog.models import Service
from satupintu.core.tracking import generate
from satupintu.demo.people import demo_people_load


@pytest.fixture
def people(db):
    """The demo people: `warga` and `warga2` (citizens), `petugas.dukcapil` and
    `penyelia.dukcapil` (Dukcapil Surabaya, unit pencatatan-sipil), `petugas.dpmptsp` and
    `penyelia.dpmptsp` (DPMPTSP Surabaya, unit perizinan-usaha)."""
    demo_people_load()  # the catalogue itself is loaded once per test session
    return {user.username: user for user in get_user_model().objects.all()}


@pytest.fixture
def make_case(people):
    """Open a case of ``service_code`` for ``applicant`` directly, without the form: for tests
    of what happens after submission."""

    def make(
        service_code: str = "dukcapil-surabaya.akta-kelahiran",
        applicant: str = "warga",
        answers=None,
        business=None,
    ):
        service = Service.objects.get(code=service_code)
        now = timezone.now()
        submission = Submission.objects.create(
            applicant=people[applicant],
            business=business,
            service_version=service.current_version,
            answers=answers or {},
            status=SubmissionStatus.SUBMITTED,
            submitted_at=now,
            tracking=generate(),
        )
        return case_open(
            submission=submission,
            service_version=service.current_version,
            submitted_at=now,
            actor=people[applicant],
        )

    return make
