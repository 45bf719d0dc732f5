"""Requirement: ``accounts.services.citizen_register`` creates a citizen's account in one
transaction with an audit event free of personal data, and refuses a known e-mail address or
NIK with one message that does not tell which of the two is taken."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from satupintu.accounts.models import CitizenProfile
from satupintu.accounts.services import citizen_register
from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PERSON = {
    "email": "budi.santoso@contoh.id",
    "password": "kopi-tubruk-pagi-hari",
    "full_name": "Budi Santoso",
    "nik": "3578101708850003",
    "birth_date": date(1985, 8, 17),
    "sex": "M",
    "phone": "",
}


def test_register_creates_the_user_profile_and_audit_event():
    user = citizen_register(**PERSON)
    assert user.check_password(PERSON["password"])
    assert CitizenProfile.objects.get(user=user).nik == PERSON["nik"]
    event = AuditEvent.objects.get(subject=user)
    assert event.action == "citizen.registered" and event.actor == user
    assert "budi" not in str(event.details).lower() and PERSON["nik"] not in str(event.details)


@pytest.mark.parametrize(
    "other",
    [{"email": "BUDI.SANTOSO@contoh.id", "nik": "3578056503920001"}, {"email": "lain@contoh.id"}],
    ids=["same e-mail", "same NIK"],
)
def test_register_refuses_a_known_email_or_nik_with_one_message(other):
    citizen_register(**PERSON)
    with pytest.raises(DomainError) as refused:
        citizen_register(**{**PERSON, **other})
    assert refused.value.code == "account_exists" and refused.value.status == 409
    assert "alamat email atau NIK" in refused.value.detail  # Indonesian by default
    assert get_user_model().objects.count() == 1
    assert AuditEvent.objects.filter(action="citizen.registered").count() == 1
