"""Claims for learning done elsewhere (Learn: "approved claims for learning done elsewhere (with
certificate upload and HR approval)"): a learner claims learning completed this year or last
year, 0.5–200 JP, with a PDF, JPEG or PNG certificate of at most 5 MB checked by its bytes;
HR of the learner's agency decide (never their own claim); approval credits the ledger once,
in the year the learning was completed (source CLAIM, key ``claim:<id>``); the certificate is
seen by the learner and HR only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.models import AuditEvent
from satupintu.learning import services
from satupintu.learning.constants import ClaimStatus, JpSource
from satupintu.learning.models import JpEntry, LearningClaim
from tests.learning.factories import (
    PNG_BYTES,
    AgencyFactory,
    certificate_upload,
    make_learner,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def claim(learner, **changes):
    fields = {
        "learner": learner,
        "title": "Sertifikasi Analis Data Pemerintah",
        "provider": "Universitas Airlangga",
        "completed_on": timezone.localdate() - datetime.timedelta(days=10),
        "jp": Decimal(12),
        "certificate": certificate_upload(),
        "actor": learner,
    }
    fields.update(changes)
    return services.claim_create(**fields)


def test_a_learner_claims_with_a_certificate(media):
    learner = make_learner()
    made = claim(learner, certificate=certificate_upload(PNG_BYTES, "foto.jpg"))
    assert made.status == ClaimStatus.PENDING and made.jp == Decimal(12)
    # Stored under an opaque name with the type the bytes say, not the name.
    assert made.certificate.name.startswith("learning/claims/")
    assert made.certificate.name.endswith(".png") and "foto" not in made.certificate.name
    assert (media / made.certificate.name).exists()
    assert AuditEvent.objects.filter(action="learning.claim_created", subject=learner).exists()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"title": "  "}, "title", "invalid"),
        ({"provider": ""}, "provider", "invalid"),
        ({"completed_on": "tomorrow"}, "completed_on", "invalid"),
        ({"completed_on": "two years ago"}, "completed_on", "invalid"),
        ({"jp": Decimal("0.4")}, "jp", "invalid"),
        ({"jp": Decimal("200.5")}, "jp", "invalid"),
        ({"jp": Decimal("2.25")}, "jp", "invalid"),
        ({"certificate": "html"}, "certificate", "file_type_not_allowed"),
        ({"certificate": "empty"}, "certificate", "empty_file"),
        ({"certificate": "cut pdf"}, "certificate", "invalid_file"),
        ({"certificate": "large"}, "certificate", "file_too_large"),
    ],
)
def test_what_a_claim_refuses(media, changes, field, code):
    today = timezone.localdate()
    value = next(iter(changes.values()))
    replacements = {
        "tomorrow": today + datetime.timedelta(days=1),
        "two years ago": datetime.date(today.year - 2, 12, 31),
        "html": certificate_upload(b"<html><script>alert(1)</script></html>", "s.pdf"),
        "empty": certificate_upload(b"", "s.pdf"),
        "cut pdf": certificate_upload(b"%PDF-1.4\n1 0 obj<<>>endobj\n" * 10, "s.pdf"),
        "large": certificate_upload(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "s.pdf"),
    }
    if isinstance(value, str) and value in replacements:
        changes = {next(iter(changes)): replacements[value]}
    learner = make_learner()
    with pytest.raises(DomainError) as refused:
        claim(learner, **changes)
    assert refused.value.errors[0]["path"] == field
    assert refused.value.code == code
    assert not LearningClaim.objects.exists()
    stored = media / "learning" / "claims"
    assert not stored.exists() or not any(stored.iterdir())


def test_last_years_learning_may_be_claimed_and_counts_in_that_year():
    learner = make_learner()
    hr = make_staff(Role.HR, agency=learner.employee.agency)
    last_year = datetime.date(timezone.localdate().year - 1, 11, 20)
    made = claim(learner, completed_on=last_year, jp=Decimal("7.5"))

    services.claim_decide(claim=made, approve=True, actor=hr)

    entry = JpEntry.objects.get(learner=learner)
    assert entry.year == last_year.year and entry.jp == Decimal("7.5")
    assert entry.source == JpSource.CLAIM and entry.key == f"claim:{made.public_id}"
    assert entry.claim == made and entry.occurred_on == last_year
    assert learner.notifications.filter(kind="learning.claim_decided").exists()


def test_hr_refuses_with_a_reason_and_nothing_is_credited():
    learner = make_learner()
    hr = make_staff(Role.HR, agency=learner.employee.agency)
    made = claim(learner)
    with pytest.raises(DomainError) as no_reason:
        services.claim_decide(claim=made, approve=False, actor=hr)
    assert no_reason.value.errors[0]["path"] == "reason"
    services.claim_decide(claim=made, approve=False, actor=hr, reason="Sertifikat tidak terbaca")
    made.refresh_from_db()
    assert made.status == ClaimStatus.REJECTED and made.reason == "Sertifikat tidak terbaca"
    assert not JpEntry.objects.exists()
    notice = learner.notifications.get(kind="learning.claim_decided")
    assert "Sertifikat tidak terbaca" in notice.body
    with pytest.raises(Conflict):
        services.claim_decide(claim=made, approve=True, actor=hr)


def test_who_decides_a_claim():
    learner = make_learner()
    made = claim(learner)
    for person in (
        make_staff(Role.HR, agency=AgencyFactory()),
        make_staff(Role.UNIT_HEAD, unit=learner.employee.unit),
        make_learner(agency=learner.employee.agency),
    ):
        with pytest.raises(NotFound):
            services.claim_decide(claim=made, approve=True, actor=person)
    hr = make_staff(Role.HR, agency=learner.employee.agency)
    own = claim(hr)
    with pytest.raises(Forbidden):
        services.claim_decide(claim=own, approve=True, actor=hr)
    everywhere = make_staff(Role.HR)
    services.claim_decide(claim=own, approve=True, actor=everywhere)
    assert JpEntry.objects.filter(learner=hr).count() == 1


def test_only_the_learner_claims_for_themselves():
    learner = make_learner()
    with pytest.raises(Forbidden):
        claim(learner, actor=make_learner())
    citizen = make_learner()
    citizen.employee.delete()
    citizen = type(citizen).objects.get(pk=citizen.pk)
    with pytest.raises(Forbidden):
        claim(citizen)


def test_the_certificate_is_seen_by_the_learner_and_hr_only(client):
    learner = make_learner()
    made = claim(learner)
    url = reverse("learning:claim_certificate", args=[made.public_id])

    client.force_login(learner)
    mine = client.get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert b"".join(mine.streaming_content).startswith(b"%PDF")

    hr = make_staff(Role.HR, agency=learner.employee.agency)
    client.force_login(hr)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="learning.claim_certificate_viewed", actor=hr, subject=learner
    ).exists()

    for person in (
        make_learner(agency=learner.employee.agency),
        make_staff(Role.HR, agency=AgencyFactory()),
        make_staff(Role.UNIT_HEAD, unit=learner.employee.unit),
    ):
        client.force_login(person)
        assert client.get(url).status_code == 404
