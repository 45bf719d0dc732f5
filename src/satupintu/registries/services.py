"""Reads of the government registries for once-only prefill, with the person's consent.

Other apps call :func:`registry_read` and nothing else here. It reads only what a granted,
unwithdrawn consent of the person covers, writes one audit event per dataset read, and never
fails because a registry did: a registry that cannot answer becomes a plain-words reason in
``unavailable``, and the person fills in the details themselves.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.accounts.models import CitizenProfile, Consent
from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.registries.base import ReadContext, RegistryUnavailable
from satupintu.registries.catalogue import DATASETS, REGISTRIES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistryAnswer:
    """What the registries said.

    ``data`` holds, by key (``person``, ``family_card``, ``business``, ``student``), the
    record of each dataset that answered; ``sources`` the name of each key's source in the
    active language ("Dispendukcapil — data kependudukan (SIAK)"); ``unavailable``, by
    dataset name, why a dataset gave nothing, in plain words for the person.
    """

    data: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)


def _consent_checked(*, user, consent: Consent | None, datasets: list[str]) -> Consent:
    """The consent as it stands in the database now, if it lets ``user``'s registries be
    read for ``datasets``; else Forbidden."""
    refused = Forbidden(
        _(
            "We read the registries only with your consent for this purpose. Give your "
            "consent, or fill in the details yourself."
        ),
        code="consent_required",
    )
    if consent is None or consent.pk is None or not getattr(user, "is_authenticated", False):
        raise refused
    # Read again: the person may have withdrawn it since the caller loaded it.
    current = Consent.objects.filter(pk=consent.pk, user_id=user.pk).first()
    if current is None or not current.granted:
        raise refused
    if current.withdrawn_at is not None:
        raise Forbidden(
            _(
                "You withdrew your consent for this purpose, so the registries are not read. "
                "Give your consent again, or fill in the details yourself."
            ),
            code="consent_withdrawn",
        )
    if not set(datasets) <= set(current.datasets or []):
        raise Forbidden(
            _(
                "Your consent does not cover all the data asked for. Give your consent for "
                "it, or fill in the details yourself."
            ),
            code="consent_not_covering",
        )
    return current


def registry_read(*, user, datasets: list[str], consent: Consent, purpose: str) -> RegistryAnswer:
    """Read ``datasets`` (``population.person``, …) about ``user`` from the registries,
    looked up by the NIK in their citizen profile.

    Raises ``DomainError`` for a dataset name the platform does not know, and ``Forbidden``
    unless ``consent`` is ``user``'s, granted, not withdrawn and lists every dataset asked
    for. Each dataset read writes an audit event ``registry.read`` (subject ``user``, target
    the consent; details: dataset, ``purpose``, whether a record was found) and no personal
    data. A registry that fails — no answer in time, no connection, a bad answer, not
    connected — puts the dataset in ``unavailable`` with the reason in plain words and logs a
    warning without personal data. Without a NIK in the profile nothing is read (and nothing
    audited): every dataset is unavailable.

    Not in one transaction on purpose: the registries are asked first, outside any
    transaction of ours (a slow registry must not hold database locks), and the audit
    events are then written together.
    """
    names = list(dict.fromkeys(datasets))
    unknown = [name for name in names if name not in DATASETS]
    if unknown:
        raise DomainError(
            _("There is no registry dataset named %(names)s.") % {"names": ", ".join(unknown)},
            code="unknown_dataset",
        )
    consent = _consent_checked(user=user, consent=consent, datasets=names)
    answer = RegistryAnswer()
    nik = CitizenProfile.objects.filter(user_id=user.pk).values_list("nik", flat=True).first()
    if not nik:
        reason = _(
            "Your profile has no NIK, so the registries cannot be read; fill in the details "
            "yourself."
        )
        answer.unavailable.update(dict.fromkeys(names, reason))
        return answer

    context = ReadContext(nik=nik, registries=REGISTRIES)
    found: dict[str, bool] = {}
    for name in names:
        dataset = DATASETS[name]
        try:
            record = context.fetch(dataset)
        except RegistryUnavailable as failure:
            level = logging.INFO if failure.reason == "not_configured" else logging.WARNING
            logger.log(
                level,
                "Registry %s gave no %s: %s%s%s",
                failure.registry,
                name,
                failure.reason,
                f" (HTTP {failure.status})" if failure.status else "",
                f" ({failure.cause})" if failure.cause else "",
            )
            answer.unavailable[name] = REGISTRIES[failure.registry].reason(failure)
            record = None
        else:
            if record is None:
                answer.unavailable[name] = str(dataset.not_found)
            else:
                answer.data[dataset.key] = record
                answer.sources[dataset.key] = str(REGISTRIES[dataset.registry].source)
        found[name] = record is not None

    with transaction.atomic():
        for name in names:
            audit_record(
                actor=user,
                action="registry.read",
                target=consent,
                subject=user,
                details={"dataset": name, "purpose": purpose, "found": found[name]},
            )
    return answer
