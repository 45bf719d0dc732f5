"""The second factor of staff sign-in: a time-based one-time code (TOTP, RFC 6238) from an
authenticator app after the password, and one-time recovery codes for a lost phone
(django-otp; see docs/security.md).

Who must give one is decided here (``second_factor_required``); the middleware
``accounts.middleware.SecondFactorMiddleware`` holds every page and API call back until the
session is verified, and the pages in ``accounts.views_second_factor`` ask for the code.

Wrong codes slow down (django-otp's throttling: after *n* wrong codes in a row the next try
waits 2^(n-1) seconds), and every attempt is written to the audit trail — never the code.
"""

import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from math import ceil
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.models import User
from satupintu.core.errors import Conflict, Forbidden
from satupintu.core.permissions import is_platform_admin
from satupintu.core.services import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
# Six digits from the app; recovery codes are eight characters of base32 (StaticToken).
TOTP_CODE = re.compile(r"^\d{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")
_SEPARATORS = re.compile(r"[\s\-]")

METHOD_TOTP = "totp"
METHOD_RECOVERY = "recovery_code"


def code_normalise(code: str) -> str:
    """A code as typed, without spaces or hyphens and in lower case ("123 456" is 123456,
    "ABCD-EFGH" is abcdefgh)."""
    return _SEPARATORS.sub("", code or "").lower()


def code_method(code: str) -> str | None:
    """Which kind of code ``code`` (normalised) is: ``"totp"``, ``"recovery_code"`` or None
    when it is neither."""
    if TOTP_CODE.match(code):
        return METHOD_TOTP
    if RECOVERY_CODE.match(code):
        return METHOD_RECOVERY
    return None


# Reads ---------------------------------------------------------------------------------------


def second_factor_required(*, user: Any) -> bool:
    """Whether ``user`` must give a second factor after signing in: when the deployment asks
    it of staff (``SATUPINTU_STAFF_TOTP``) and ``user`` is staff — anyone with a role, and
    the admin's users. Citizens are never asked."""
    if not settings.SATUPINTU_STAFF_TOTP or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or user.roles.exists()


def totp_device_get(*, user: User) -> TOTPDevice | None:
    """``user``'s confirmed authenticator, or None before they set one up."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("id").first()


def totp_secret_groups(*, device: TOTPDevice) -> list[str]:
    """The device's key in base32, as the person types it into an app: groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return [secret[start : start + 4] for start in range(0, len(secret), 4)]


@dataclass(frozen=True)
class SecondFactorStatus:
    """What the profile shows of a person's second factor."""

    enrolled_at: datetime | None
    recovery_codes_left: int


def second_factor_status(*, user: User) -> SecondFactorStatus:
    """When ``user`` set up their authenticator (None: not yet) and how many recovery codes
    they have left."""
    device = totp_device_get(user=user)
    left = StaticToken.objects.filter(device__user_id=user.pk).count() if device else 0
    return SecondFactorStatus(
        enrolled_at=device.created_at if device is not None else None, recovery_codes_left=left
    )


# Checking a code -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a code. ``device`` is the device that accepted it (None: not
    accepted); ``problem`` is ``"wrong"`` or ``"throttled"`` (then ``wait_seconds`` says how
    long until the next try is allowed)."""

    method: str | None
    device: Device | None = None
    problem: str = ""
    wait_seconds: int = 0
    recovery_codes_left: int | None = None

    @property
    def accepted(self) -> bool:
        return self.device is not None


def _wait_seconds(info: dict | None) -> int:
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, ceil((locked_until - timezone.now()).total_seconds()))


def _check(*, user: User, device: Device | None, code: str, method: str, purpose: str) -> CodeCheck:
    """Check ``code`` against ``device`` (locked for update by the caller) and audit the
    outcome. A failure is recorded and returned, never raised, so that the throttle's count
    and the audit event commit."""
    if device is None:
        check = CodeCheck(method=method, problem="wrong")
    else:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            check = CodeCheck(method=method, problem="throttled", wait_seconds=_wait_seconds(info))
        elif device.verify_token(code):
            left = device.token_set.count() if isinstance(device, StaticDevice) else None
            check = CodeCheck(method=method, device=device, recovery_codes_left=left)
        else:
            check = CodeCheck(method=method, problem="wrong")
    details: dict[str, Any] = {"method": method, "purpose": purpose}
    if check.accepted:
        if check.recovery_codes_left is not None:
            details["recovery_codes_left"] = check.recovery_codes_left
        audit_record(actor=user, action="second_factor.verified", target=user, details=details)
    else:
        details["reason"] = check.problem
        if device is not None:
            details["failures"] = device.throttling_failure_count
        audit_record(actor=user, action="second_factor.failed", target=user, details=details)
    return check


@transaction.atomic
def second_factor_verify(*, user: User, code: str, purpose: str = "sign_in") -> CodeCheck:
    """Check a code that ``user`` gave: six digits from their authenticator, or one of their
    recovery codes (which is used up). ``purpose`` says why, for the audit trail
    (``sign_in``, ``reset``, ``renew``).

    The caller marks the session verified with ``django_otp.login(request, check.device)``
    when the check is accepted. Wrong codes count towards django-otp's throttle of that
    device; while it holds, even the right code is refused as ``"throttled"``.
    """
    code = code_normalise(code)
    method = code_method(code)
    if method == METHOD_TOTP:
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user_id=user.pk, confirmed=True)
            .order_by("id")
            .first()
        )
    elif method == METHOD_RECOVERY:
        device = StaticDevice.objects.select_for_update().filter(user_id=user.pk).first()
    else:
        method, device = METHOD_TOTP, None
    return _check(user=user, device=device, code=code, method=method, purpose=purpose)


# Setting up ---------------------------------------------------------------------------------


@transaction.atomic
def totp_enrolment_begin(*, user: User) -> TOTPDevice:
    """The authenticator that ``user`` is setting up: the one they began already (so that a
    reloaded page shows the same QR code), or a new one with a fresh random key.

    Raises ``Conflict`` when ``user`` has a confirmed authenticator: a new one replaces it
    only after a reset (``second_factor_reset_own`` or an administrator's).
    """
    if TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists():
        raise Conflict(
            _("Your authenticator app is set up already."), code="second_factor_enrolled"
        )
    pending = (
        TOTPDevice.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=False)
        .order_by("-id")
        .first()
    )
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def _recovery_codes_issue(*, user: User) -> list[str]:
    """Replace ``user``'s recovery codes by ``RECOVERY_CODE_COUNT`` new ones and return them.
    They are stored as django-otp keeps them; show them to the person once."""
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return codes


@transaction.atomic
def totp_enrolment_confirm(*, user: User, code: str) -> tuple[CodeCheck, list[str]]:
    """Confirm the authenticator that ``user`` is setting up with the first code it shows.

    Accepted: the authenticator is confirmed, any other of theirs removed, and
    ``RECOVERY_CODE_COUNT`` new recovery codes are returned (to be shown once). Audited as
    ``second_factor.enrolled``; a wrong code as ``second_factor.failed``. Raises ``Conflict``
    when ``user`` has a confirmed authenticator already.
    """
    device = totp_enrolment_begin(user=user)
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    check = _check(
        user=user, device=device, code=code_normalise(code), method=METHOD_TOTP, purpose="enrol"
    )
    if not check.accepted:
        return check, []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
    codes = _recovery_codes_issue(user=user)
    audit_record(
        actor=user,
        action="second_factor.enrolled",
        target=user,
        subject=user,
        details={"recovery_codes": len(codes)},
    )
    return check, codes


@transaction.atomic
def recovery_codes_renew(*, user: User, code: str) -> tuple[CodeCheck, list[str]]:
    """New recovery codes for ``user`` after a code of theirs is accepted: the old ones stop
    working. Returns the check and the new codes (empty when the check failed). Audited as
    ``second_factor.recovery_codes_renewed``."""
    check = second_factor_verify(user=user, code=code, purpose="renew")
    if not check.accepted:
        return check, []
    codes = _recovery_codes_issue(user=user)
    audit_record(
        actor=user,
        action="second_factor.recovery_codes_renewed",
        target=user,
        subject=user,
        details={"recovery_codes": len(codes)},
    )
    return check, codes


# Resetting ------------------------------------------------------------------------------------


def _reset(*, user: User, actor: User, by: str) -> None:
    removed = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    audit_record(
        actor=actor,
        action="second_factor.reset",
        target=user,
        subject=user,
        details={"by": by, "had_authenticator": removed},
    )


@transaction.atomic
def second_factor_reset_own(*, user: User, code: str) -> CodeCheck:
    """``user`` removes their own authenticator and recovery codes after giving a current
    code (from the app, or a recovery code). Their sessions are no longer verified: at the
    next page they set up a new authenticator. Audited as ``second_factor.reset``."""
    check = second_factor_verify(user=user, code=code, purpose="reset")
    if check.accepted:
        _reset(user=user, actor=user, by="self")
    return check


@transaction.atomic
def second_factor_reset(*, user: User, actor: User) -> None:
    """A platform administrator removes ``user``'s authenticator and recovery codes (a lost
    phone): every session of ``user`` stops being verified, and at their next page they set
    up a new authenticator. Audited as ``second_factor.reset`` with the administrator as the
    actor. Raises ``Forbidden`` for anyone else."""
    if not is_platform_admin(actor):
        raise Forbidden(
            _("Only a platform administrator may reset another person's second factor."),
            code="forbidden",
        )
    _reset(user=user, actor=actor, by="administrator")
