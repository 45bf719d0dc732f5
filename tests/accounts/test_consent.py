"""Requirement: consent to read government registries for prefill is explicit and recorded
(UU PDP 27/2022): a decline is recorded too; a person sees every decision on their profile
page, in their language, with the data in plain words, and withdraws a consent there (a form
that works without JavaScript, protected against cross-site requests), after which the
registries are not read for that purpose again. Nobody withdraws another person's consent.
"""

import re
from html import unescape

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from satupintu.accounts.models import Consent, User
from satupintu.accounts.selectors import consent_current, consent_list_for_user
from satupintu.accounts.services import consent_record, consent_withdraw
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BIRTH = "prefill:kelahiran"
PURPOSE = {
    "id": "Mengisi otomatis data orang tua dan KK untuk layanan kelahiran",
    "en": "Prefill the parents' and family card data for the birth services",
}
POPULATION = ["population.family_card", "population.person"]


@pytest.fixture
def siti():
    return User.objects.create_user(username="siti", email="siti@contoh.id", password="x" * 12)


@pytest.fixture
def budi():
    return User.objects.create_user(username="budi", email="budi@contoh.id", password="x" * 12)


def record(user, *, granted=True, purpose_code=BIRTH, datasets=None):
    return consent_record(
        user=user,
        purpose_code=purpose_code,
        purpose=PURPOSE,
        datasets=POPULATION if datasets is None else datasets,
        granted=granted,
    )


def url(name: str, language: str = "id", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def text(html: bytes) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html.decode())).split())


# Services and selectors ----------------------------------------------------------------------


def test_a_consent_is_recorded_and_audited(siti):
    consent = record(siti, datasets=[*POPULATION, "population.person"])

    assert consent.user == siti and consent.granted and consent.withdrawn_at is None
    assert consent.purpose == PURPOSE and consent.purpose_code == BIRTH
    assert consent.datasets == POPULATION  # the repeat is dropped
    assert consent.is_active
    event = AuditEvent.objects.get(action="consent.granted")
    assert event.subject == siti and event.actor == siti
    assert event.object_id == str(consent.public_id)
    assert event.details == {"purpose_code": BIRTH, "datasets": POPULATION}
    assert consent_current(user=siti, purpose_code=BIRTH) == consent


def test_a_decline_is_recorded_too(siti):
    declined = record(siti, granted=False)
    assert not declined.granted and not declined.is_active
    assert AuditEvent.objects.filter(action="consent.declined", subject=siti).count() == 1
    assert consent_current(user=siti, purpose_code=BIRTH) is None
    assert list(consent_list_for_user(user=siti)) == [declined]


def test_the_newest_decision_counts_and_ends_the_one_before(siti):
    first = record(siti)
    declined = record(siti, granted=False)
    first.refresh_from_db()
    assert first.withdrawn_at == declined.decided_at
    assert consent_current(user=siti, purpose_code=BIRTH) is None
    assert AuditEvent.objects.filter(action="consent.withdrawn", object_id=str(first.public_id))

    again = record(siti)
    assert consent_current(user=siti, purpose_code=BIRTH) == again
    assert consent_current(user=siti, purpose_code="prefill:pindah-rumah") is None
    assert list(consent_list_for_user(user=siti)) == [again, declined, first]


def test_withdrawing_is_recorded_once(siti):
    consent = record(siti)
    withdrawn = consent_withdraw(user=siti, consent=consent)
    assert withdrawn.withdrawn_at is not None and not withdrawn.is_active
    assert consent_current(user=siti, purpose_code=BIRTH) is None

    again = consent_withdraw(user=siti, consent=consent)
    assert again.withdrawn_at == withdrawn.withdrawn_at
    assert AuditEvent.objects.filter(action="consent.withdrawn", subject=siti).count() == 1


def test_a_decline_has_nothing_to_withdraw(siti):
    declined = record(siti, granted=False)
    assert consent_withdraw(user=siti, consent=declined).withdrawn_at is None


def test_nobody_withdraws_another_persons_consent(siti, budi):
    consent = record(siti)
    with pytest.raises(NotFound):
        consent_withdraw(user=budi, consent=consent)
    consent.refresh_from_db()
    assert consent.is_active


@pytest.mark.parametrize(
    "changes",
    [
        {"purpose": {"en": "Only English"}},
        {"purpose": "Mengisi data"},
        {"purpose_code": ""},
        {"purpose_code": "x" * 101},
        {"datasets": "population.person"},
    ],
)
def test_a_consent_says_what_for_and_which_data(siti, changes):
    arguments = {
        "user": siti,
        "purpose_code": BIRTH,
        "purpose": PURPOSE,
        "datasets": POPULATION,
        "granted": True,
        **changes,
    }
    with pytest.raises(DomainError):
        consent_record(**arguments)
    assert not Consent.objects.exists()


def test_the_database_holds_one_active_consent_per_purpose(siti):
    record(siti)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            user=siti, purpose_code=BIRTH, purpose=PURPOSE, datasets=POPULATION, granted=True
        )


# The profile page ----------------------------------------------------------------------------


def test_the_profile_lists_consents_in_the_persons_language(client, siti):
    record(siti, purpose_code="prefill:pindah-rumah", granted=False)
    active = record(siti)
    client.force_login(siti)

    page = text(client.get(url("accounts:profile")).content)
    assert "Persetujuan penggunaan data" in page
    assert PURPOSE["id"] in page
    assert "Data kependudukan dan kartu keluarga (Dukcapil)" in page
    assert "Tarik persetujuan" in page
    assert "Ditolak" in page
    assert "tidak lagi dibaca" in page

    english = text(client.get(url("accounts:profile", "en")).content)
    assert "Consent to use your data" in english
    assert PURPOSE["en"] in english
    assert "Your population record and family card (Dukcapil)" in english
    assert "Withdraw consent" in english and "Declined" in english

    html = client.get(url("accounts:profile")).content.decode()
    assert html.count('action="/akun/persetujuan/') == 1
    assert f"/akun/persetujuan/{active.public_id}/tarik/" in html


def test_withdrawing_from_the_page_needs_the_csrf_token(siti):
    consent = record(siti)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(siti)
    withdraw = url("accounts:consent_withdraw", public_id=consent.public_id)

    assert browser.post(withdraw).status_code == 403
    consent.refresh_from_db()
    assert consent.is_active

    page = browser.get(url("accounts:profile")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = browser.post(withdraw, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == url("accounts:profile") + "#consents"
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None

    after = text(browser.get(url("accounts:profile")).content)
    assert "Persetujuan Anda ditarik" in after
    assert "Ditarik pada" in after
    assert "Tarik persetujuan" not in after


def test_withdrawing_is_a_post_of_the_owner_only(client, siti, budi):
    consent = record(siti)
    withdraw = url("accounts:consent_withdraw", public_id=consent.public_id)

    assert client.post(withdraw).status_code == 302  # to the login page
    client.force_login(budi)
    assert client.post(withdraw).status_code == 404
    client.force_login(siti)
    assert client.get(withdraw).status_code == 405
    consent.refresh_from_db()
    assert consent.is_active
    assert client.post(withdraw).status_code == 302
    consent.refresh_from_db()
    assert not consent.is_active


def test_the_profile_counts_the_same_queries_for_few_and_many_consents(client, siti):
    client.force_login(siti)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("accounts:profile")).status_code == 200
        return len(captured)

    record(siti, purpose_code="prefill:a")
    few = queries()
    for number in range(8):
        record(siti, purpose_code=f"prefill:b{number}", granted=number % 2 == 0)
        record(siti, purpose_code=f"prefill:b{number}")
    assert queries() == few


def test_the_platform_admin_sees_consents_and_changes_none(client, siti):
    consent = record(siti)
    admin = User.objects.create_superuser(username="root", email="root@contoh.id", password="x")
    client.force_login(admin)
    assert client.get("/admin/accounts/consent/").status_code == 200
    assert client.get(f"/admin/accounts/consent/{consent.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/consent/add/").status_code == 403
    response = client.post(f"/admin/accounts/consent/{consent.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Consent.objects.filter(pk=consent.pk).exists()
