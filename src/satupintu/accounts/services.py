"""Writes of accounts: citizens signing up; consent to read registries; agencies' API keys."""

import hashlib
import hmac
import secrets
import string
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Role
from satupintu.accounts.models import ApiKey, CitizenProfile, Consent, RoleAssignment, User
from satupintu.core.errors import Conflict, DomainError, NotFound
from satupintu.core.services import audit_record
from satupintu.organisations.models import Agency


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


# Consent to read registries (UU PDP) ------------------------------------------------------


def _consent_purpose(purpose: object) -> dict[str, str]:
    """The purpose's words, ``{"id": …, "en": …}``: Indonesian is required."""
    if not isinstance(purpose, dict) or not str(purpose.get("id") or "").strip():
        raise DomainError(_("Say in Indonesian what the data is used for."), code="consent_purpose")
    return {
        language: str(purpose[language]).strip()
        for language in ("id", "en")
        if str(purpose.get(language) or "").strip()
    }


@transaction.atomic
def consent_record(
    *, user: User, purpose_code: str, purpose: dict, datasets: list[str], granted: bool
) -> Consent:
    """Record ``user``'s decision — ``granted`` or not — to let the registries be read about
    them for ``purpose_code`` (``prefill:kelahiran``), in the words of ``purpose``
    (``{"id": …, "en": …}``), for ``datasets`` (``population.person``, …).

    A decline is recorded as well. A new decision replaces the one before for the same
    purpose: an earlier consent still active is withdrawn now (and that is audited too), so
    that a person has at most one active consent per purpose. Audited as
    ``consent.granted`` or ``consent.declined`` with the purpose code and the datasets.
    """
    purpose_code = (purpose_code or "").strip()
    if not purpose_code or len(purpose_code) > 100:
        raise DomainError(_("A purpose code has 1 to 100 characters."), code="consent_purpose_code")
    if not isinstance(datasets, list | tuple) or not all(
        isinstance(name, str) and name for name in datasets
    ):
        raise DomainError(_("Name the data as a list of dataset names."), code="consent_datasets")
    words = _consent_purpose(purpose)
    now = timezone.now()
    earlier = Consent.objects.select_for_update().filter(
        user=user, purpose_code=purpose_code, granted=True, withdrawn_at__isnull=True
    )
    for active in earlier:
        active.withdrawn_at = now
        active.save(update_fields=["withdrawn_at", "updated_at"])
        audit_record(
            actor=user,
            action="consent.withdrawn",
            target=active,
            subject=user,
            details={"purpose_code": purpose_code, "replaced": True},
        )
    consent = Consent.objects.create(
        user=user,
        purpose_code=purpose_code,
        purpose=words,
        datasets=list(dict.fromkeys(datasets)),
        granted=bool(granted),
        decided_at=now,
    )
    audit_record(
        actor=user,
        action="consent.granted" if consent.granted else "consent.declined",
        target=consent,
        subject=user,
        details={"purpose_code": purpose_code, "datasets": consent.datasets},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, consent: Consent) -> Consent:
    """Withdraw ``user``'s ``consent``: the registries are not read for its purpose again
    (until the person consents anew). Data already used in applications stays there.

    Raises ``NotFound`` unless the consent is ``user``'s, so that nobody learns of another
    person's consents. Withdrawing a withdrawn consent, or a decline, changes nothing.
    Audited as ``consent.withdrawn``.
    """
    found = (
        Consent.objects.select_for_update()
        .filter(pk=getattr(consent, "pk", None), user_id=getattr(user, "pk", None))
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such consent among yours."), code="consent_not_found")
    if not found.is_active:
        return found
    found.withdrawn_at = timezone.now()
    found.save(update_fields=["withdrawn_at", "updated_at"])
    audit_record(
        actor=user,
        action="consent.withdrawn",
        target=found,
        subject=user,
        details={"purpose_code": found.purpose_code},
    )
    return found


# API keys ---------------------------------------------------------------------------------

# Lower-case letters and digits only: a key survives being read out, pasted into a
# configuration file or typed, and the service account's username made from its prefix
# stays unambiguous. 40 characters of 36 symbols are about 206 bits.
API_KEY_ALPHABET = string.ascii_lowercase + string.digits
API_KEY_LENGTH = 40
API_KEY_PREFIX_LENGTH = 8
# How stale ``last_used_at`` may be: recording every call would add a write to every read.
API_KEY_USE_RESOLUTION = timedelta(minutes=1)
_DUMMY_HASH = hashlib.sha256(b"satupintu-no-such-key").hexdigest()


def api_key_hash(key: str) -> str:
    """The SHA-256 (hex) that is stored in place of ``key``. A plain hash suffices: the keys
    are long and random, so there is nothing to guess from a leaked hash."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, agency: Agency, name: str, actor: User | None) -> tuple[ApiKey, str]:
    """Make a new API key for ``agency`` and return it with the key itself.

    The key is returned once, here, and never stored: show it to the person who asked for it
    and tell them to keep it safe. Only its SHA-256 and its first eight characters are kept.
    """
    for _attempt in range(5):
        key = "".join(secrets.choice(API_KEY_ALPHABET) for _position in range(API_KEY_LENGTH))
        try:
            with transaction.atomic():
                api_key = ApiKey.objects.create(
                    agency=agency,
                    name=name.strip()[:100],
                    prefix=key[:API_KEY_PREFIX_LENGTH],
                    key_hash=api_key_hash(key),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            break
        except IntegrityError:  # pragma: no cover — a prefix taken already: 36^8 make it rare
            continue
    else:  # pragma: no cover
        raise Conflict(_("Please try again."), code="api_key_collision")
    audit_record(
        actor=actor,
        action="api_key.created",
        target=api_key,
        details={"agency": agency.code, "prefix": api_key.prefix},
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User | None) -> ApiKey:
    """Revoke ``api_key`` for good: it is refused from now on and its service account is
    deactivated. Revoking a revoked key changes nothing."""
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at", "updated_at"])
    if api_key.service_account_id:
        User.objects.filter(pk=api_key.service_account_id).update(is_active=False)
    audit_record(
        actor=actor,
        action="api_key.revoked",
        target=api_key,
        details={"agency_id": api_key.agency_id, "prefix": api_key.prefix},
    )
    return api_key


@transaction.atomic
def api_key_service_account(*, api_key: ApiKey) -> User:
    """The user that acts for ``api_key``, made on the key's first use.

    The services of the platform record an actor for everything they do, and that actor is a
    user. So each key gets one service account: username ``api-<prefix>``, a password that
    can never be used to sign in, and an agency-wide supervisor role in the key's agency —
    which lets the key see that agency's cases and take its officers' and supervisors' steps,
    and nothing else. Revoking the key deactivates the account.
    """
    api_key = (
        ApiKey.objects.select_for_update(of=("self",)).select_related("agency").get(pk=api_key.pk)
    )
    if api_key.service_account_id:
        return api_key.service_account
    user = User(
        username=f"api-{api_key.prefix}",
        first_name=api_key.name[:150],
        last_name=f"({api_key.agency.short_name or api_key.agency.code})"[:150],
        is_active=api_key.revoked_at is None,
    )
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.SUPERVISOR, agency=api_key.agency, unit=None)
    api_key.service_account = user
    api_key.save(update_fields=["service_account", "updated_at"])
    audit_record(
        actor=None,
        action="api_key.service_account_created",
        target=api_key,
        details={"user_id": user.pk, "agency_id": api_key.agency_id},
    )
    return user


def api_key_authenticate(*, key: str) -> ApiKey | None:
    """The active API key that ``key`` is, with its service account, or None.

    Hashes are compared in constant time; an unknown prefix costs the same comparison as a
    known one. A revoked key, a key of an inactive agency and a key whose service account was
    deactivated are all refused. The time of use is recorded at most once a minute.
    """
    key = (key or "").strip()
    if len(key) != API_KEY_LENGTH or any(char not in API_KEY_ALPHABET for char in key):
        return None
    api_key = (
        ApiKey.objects.select_related("agency", "service_account")
        .filter(prefix=key[:API_KEY_PREFIX_LENGTH])
        .first()
    )
    matches = hmac.compare_digest(
        api_key_hash(key), api_key.key_hash if api_key is not None else _DUMMY_HASH
    )
    if api_key is None or not matches or api_key.revoked_at is not None:
        return None
    if not api_key.agency.is_active:
        return None
    if api_key.service_account is None:
        api_key.service_account = api_key_service_account(api_key=api_key)
    if not api_key.service_account.is_active:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= API_KEY_USE_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def user_language_remember(*, user, language: str) -> None:
    """Remember the language a person uses, for what we send them later (notifications,
    e-mail)."""
    language = (language or "")[:2]
    if language in dict(settings.LANGUAGES) and user.language != language:
        type(user).objects.filter(pk=user.pk).update(language=language)
        user.language = language
