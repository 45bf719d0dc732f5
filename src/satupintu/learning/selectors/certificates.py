"""Reads of certificates: the learner's own list and downloads, and the public check of a
verification code.

The public check answers only what proves a certificate: the course, its provider, the
number, the JP, the date of issue, whether it still holds, and the holder's initials.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound
from satupintu.learning.models import Certificate
from satupintu.learning.selectors.keyset import (
    Page,
    after_q,
    aware_datetime,
    cursor_decode,
    paginate,
)

if TYPE_CHECKING:
    import datetime

    from satupintu.accounts.models import User

PAGE_SIZE = 20


def certificate_list(*, learner: User, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """The learner's certificates, newest first, a page at a time. One query a page."""
    certificates = Certificate.objects.filter(learner=learner).select_related("course__provider")
    key = cursor_decode(cursor, aware_datetime, str)
    if key is not None:
        certificates = certificates.filter(after_q(["issued_at", "number"], key, descending=True))
    rows = list(certificates.order_by("-issued_at", "-number")[: size + 1])
    if not rows:
        return Page()
    return paginate(rows, size, lambda item: (item.issued_at, item.number))


def certificate_get_for_learner(*, learner: User, public_id: uuid.UUID | str) -> Certificate:
    """One of the learner's own certificates; anybody else's is "not found"."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        public_id = None
    certificate = (
        Certificate.objects.filter(learner=learner, public_id=public_id)
        .select_related("course__provider")
        .first()
        if public_id
        else None
    )
    if certificate is None:
        raise NotFound(_("There is no such certificate among yours."), code="certificate_not_found")
    return certificate


def initials(name: str) -> str:
    """``Siti Rahmawati`` → ``S. R.``: enough to compare with the certificate in hand,
    too little to identify anyone."""
    letters = [
        part[0].upper() for part in (name or "").replace(".", " ").split() if part[:1].isalpha()
    ]
    return " ".join(f"{letter}." for letter in letters[:4])


@dataclass(frozen=True)
class CertificateCheck:
    """What the public verification page says about a certificate (no personal data beyond
    the holder's initials)."""

    status: str  # "valid" or "revoked"
    number: str
    code: str
    course: str
    course_en: str
    provider: str
    provider_code: str
    jp: Decimal
    issued_on: datetime.date
    revoked_on: datetime.date | None
    holder_initials: str


def certificate_verify(code: str) -> CertificateCheck | None:
    """The certificate with verification ``code`` (in its compact form, 9 characters), as the
    public page shows it; None when no certificate has it."""
    compact = "".join(char for char in (code or "").upper()[:32] if char.isalnum())
    if len(compact) != 9:
        return None
    certificate = (
        Certificate.objects.filter(verification_code=compact)
        .select_related("course__provider")
        .first()
    )
    if certificate is None:
        return None
    course = certificate.course
    return CertificateCheck(
        status="revoked" if certificate.revoked_at is not None else "valid",
        number=certificate.number,
        code=certificate.verification_code,
        course=course.title,
        course_en=course.title_en,
        provider=course.provider.name,
        provider_code=course.provider.code,
        jp=certificate.jp,
        issued_on=timezone.localdate(certificate.issued_at),
        revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
        holder_initials=initials(certificate.holder_name),
    )
