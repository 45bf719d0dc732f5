"""Sign-in through a national identity provider (issue: foundation): available by
configuration; the citizen is found, or created, by the NIK the provider vouches for."""

import pytest

from satupintu.accounts.backends import NationalIdentityBackend
from satupintu.accounts.models import CitizenProfile

pytestmark = pytest.mark.django_db

CLAIMS = {
    "sub": "abc",
    "email": "ani@contoh.id",
    "name": "Ani Wulandari",
    "nik": "3578056503920002",
}


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID = "satupintu"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://id.example/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_NIK_CLAIM = "nik"
    return NationalIdentityBackend()


def test_first_sign_in_creates_the_citizen_from_the_nik(backend):
    assert backend.verify_claims(CLAIMS)
    user = backend.create_user(CLAIMS)
    profile = CitizenProfile.objects.get(user=user)
    assert profile.nik == CLAIMS["nik"]
    assert profile.sex == "F" and profile.birth_date.isoformat() == "1992-03-25"
    assert not user.has_usable_password()
    assert list(backend.filter_users_by_claims(CLAIMS)) == [user]


def test_claims_without_a_valid_nik_are_refused(backend):
    assert not backend.verify_claims({**CLAIMS, "nik": "1234"})
    assert not backend.filter_users_by_claims({**CLAIMS, "nik": ""}).exists()
