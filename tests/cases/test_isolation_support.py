"""Co-production (issue: life events): a resident in self-isolation asks for support once; the
health office monitors and the social office gives the food delivery to a community partner,
whose people accept it and complete it with a proof of delivery on their own portal. The
resident follows it like any case; another partner sees nothing of it."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.cases.models import Case
from satupintu.cases.services import case_transition, submission_draft_save, submission_submit
from satupintu.cases.services.life_events import life_event_draft_start
from satupintu.catalog.models import LifeEvent
from satupintu.organisations.models import Partner

pytestmark = pytest.mark.django_db

FOOD = "dinsos-surabaya.bantuan-pangan-isolasi"
MONITORING = "dinkes-surabaya.pemantauan-isolasi"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name: str, *args) -> str:
    with translation.override("id"):
        return reverse(name, args=args)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def request_support(people):
    warga = people["warga"]
    event = LifeEvent.objects.select_related("current_version").get(code="isolasi-mandiri")
    draft, _ = life_event_draft_start(applicant=warga, life_event=event, share_registry=True)
    answers = {
        **draft.answers,
        "phone": "081234567890",
        "household_size": 3,
        "isolation_start": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "symptoms": ["demam", "batuk"],
        "comorbidities": ["tidak_ada"],
        "has_test_result": False,
        "needs_food": True,
        "dietary_needs": ["tidak_ada"],
        "delivery_notes": "Taruh di depan pagar",
    }
    draft = submission_draft_save(applicant=warga, submission=draft, answers=answers)
    return submission_submit(submission=draft, actor=warga)


def test_the_isolation_support_journey_runs_through_a_partner(people, request_support):
    submission = request_support
    cases = {case.service.code: case for case in submission.cases.select_related("service")}
    assert set(cases) == {FOOD, MONITORING}
    assert cases[FOOD].answers["recipient_name"] == people["warga"].citizen.full_name

    # The social office gives the delivery to the neighbourhood's partner.
    food = case_transition(
        case=cases[FOOD],
        actor=people["petugas.dinsos"],
        to="ditugaskan_mitra",
        data={"partner": "kampung-tangguh-wonokromo"},
    )
    assert food.partner.code == "kampung-tangguh-wonokromo"

    partner = signed_in(people["mitra.wonokromo"])
    tasks = partner.get(url("cases:partner_tasks")).content.decode()
    assert str(food.public_id) in tasks
    task = partner.get(url("cases:partner_task", food.public_id)).content.decode()
    assert "Taruh di depan pagar" in task
    assert people["warga"].citizen.nik not in task  # the NIK is not the partner's to see

    # Another partner's people see nothing of it.
    other = get_user_model().objects.create_user("mitra.tegalsari")
    RoleAssignment.objects.create(
        user=other, role=Role.PARTNER, partner=Partner.objects.get(code="pkk-tegalsari")
    )
    outsider = signed_in(other)
    assert str(food.public_id) not in outsider.get(url("cases:partner_tasks")).content.decode()
    assert outsider.get(url("cases:partner_task", food.public_id)).status_code == 404

    # The partner accepts and delivers, with a photo as proof.
    food = case_transition(case=food, actor=people["mitra.wonokromo"], to="diterima_mitra")
    page = partner.get(url("cases:partner_task", food.public_id))
    deliver = next(step for step in page.context["steps"] if step["ends"])
    prefix = deliver["form"].prefix
    done = partner.post(
        url("cases:partner_step", food.public_id),
        {
            "transition": deliver["index"],
            "version": food.version,
            f"{prefix}-note": "Paket sembako diterima Bu Siti pukul 10.15",
            f"{prefix}-file": SimpleUploadedFile("bukti.png", PNG, content_type="image/png"),
        },
    )
    assert done.status_code == 302
    food.refresh_from_db()
    assert food.state == "terkirim" and not food.is_open
    assert food.documents.filter(content_type="image/png").exists()

    # The coordinating agency and the resident follow it; the resident sees the delivery.
    resident = signed_in(people["warga"]).get(url("cases:case", food.public_id))
    assert resident.status_code == 200
    assert Case.objects.get(pk=cases[MONITORING].pk).is_open  # the health office's own case
