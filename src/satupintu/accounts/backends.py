"""Ways to sign in: e-mail or username with a password; a national identity provider over
OpenID Connect when one is configured."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import Q
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from satupintu.accounts.models import CitizenProfile
from satupintu.core.identifiers import validate_nik
from satupintu.core.services import audit_record


class EmailOrUsernameBackend(ModelBackend):
    """Citizens sign in with their e-mail address, staff with a username or e-mail."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user_model = get_user_model()
        user = user_model.objects.filter(
            Q(username__iexact=username) | Q(email__iexact=username)
        ).first()
        if user is None:
            # Run the hasher anyway so that unknown accounts take as long as known ones.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class NationalIdentityBackend(OIDCAuthenticationBackend):
    """Sign-in through a national identity provider over OpenID Connect.

    The provider vouches for the person's NIK (the claim named by ``OIDC_NIK_CLAIM``); the
    citizen account is found by that NIK, or created from the claims on first sign-in.
    """

    def _nik(self, claims: dict) -> str:
        return str(claims.get(settings.OIDC_NIK_CLAIM, "")).strip()

    def verify_claims(self, claims):
        return super().verify_claims(claims) and validate_nik(self._nik(claims)).is_valid

    def filter_users_by_claims(self, claims):
        nik = self._nik(claims)
        if not nik:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(citizen__nik=nik)

    @transaction.atomic
    def create_user(self, claims):
        nik = validate_nik(self._nik(claims))
        user = self.UserModel.objects.create_user(
            username=f"nik-{uuid.uuid4().hex[:12]}",
            email=claims.get("email") or None,
            first_name=(claims.get("given_name") or claims.get("name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        CitizenProfile.objects.create(
            user=user,
            nik=nik.value,
            full_name=(claims.get("name") or user.get_full_name() or "")[:150],
            birth_date=nik.birth_date,
            sex=nik.sex,
            email=claims.get("email") or "",
            phone=(claims.get("phone_number") or "")[:20],
        )
        audit_record(
            actor=user,
            action="citizen.registered",
            target=user,
            subject=user,
            details={"via": "oidc"},
        )
        return user

    def update_user(self, user, claims):
        return user
