"""Writes of accounts: citizens signing up."""

import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from satupintu.accounts.models import CitizenProfile, User
from satupintu.core.errors import Conflict
from satupintu.core.services import audit_record


def _already_registered() -> Conflict:
    # One message for a known e-mail address and for a known NIK: it says no more than
    # the person needs to act, and does not tell which of the two is taken.
    return Conflict(
        _(
            "An account already exists with this e-mail address or NIK. Sign in to it, or, "
            "if you did not create it, contact the service desk so that we can check."
        ),
        code="account_exists",
    )


@transaction.atomic
def citizen_register(
    *,
    email: str,
    password: str,
    full_name: str,
    nik: str,
    birth_date: date,
    sex: str,
    phone: str = "",
) -> User:
    """Create a citizen's account and profile and record it in the audit trail.

    ``email`` is compared without regard to case. Raises ``Conflict`` (a ``DomainError``)
    when the e-mail address or the NIK already belongs to an account, without saying which.
    The audit event names the new user only; it carries no personal data.
    """
    user_model = get_user_model()
    email = email.strip()
    if (
        user_model.objects.filter(email__iexact=email).exists()
        or CitizenProfile.objects.filter(nik=nik).exists()
    ):
        raise _already_registered()
    try:
        # A savepoint, so that a race lost to a concurrent sign-up leaves the outer
        # transaction usable and becomes the same clear message.
        with transaction.atomic():
            user = user_model(
                # Citizens sign in with their e-mail address; the username is an opaque
                # identifier, never personal data.
                username=f"warga-{uuid.uuid4().hex[:20]}",
                email=email,
                first_name=full_name[:150],
                phone=phone,
            )
            user.set_password(password)
            user.save()
            CitizenProfile.objects.create(
                user=user,
                nik=nik,
                full_name=full_name,
                birth_date=birth_date,
                sex=sex,
                phone=phone,
                email=email,
            )
    except IntegrityError as exc:
        raise _already_registered() from exc
    audit_record(
        actor=user,
        action="citizen.registered",
        target=user,
        subject=user,
        details={"via": "signup_form"},
    )
    return user
