"""The register of personal-data breaches (UU PDP art. 46): a data protection officer
records a breach (:func:`breach_record`), keeps it up to date as more is known
(:func:`breach_update`) and records when the people concerned and the authority were told
(:func:`breach_notified`). Both must be told within 3×24 hours of the discovery."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import User
from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.core.tracking import generate
from satupintu.privacy import selectors
from satupintu.privacy.constants import RESPONSE_TIME, DataKind
from satupintu.privacy.models import Breach

TEXT_MAX_LENGTH = 5000
# How far a clock may run ahead of the server's: a time "now" from a form is not refused.
CLOCK_SKEW = datetime.timedelta(minutes=10)


@dataclass
class BreachFacts:
    """What is known of a breach."""

    title: str
    discovered_at: datetime.datetime
    description: str
    data_kinds: list[str]
    people_affected: int
    measures: str
    occurred_at: datetime.datetime | None = None
    data_other: str = ""
    cause: str = ""
    contact: str = ""


def _officer(actor: User) -> None:
    if not selectors.privacy_scope(actor).handles:
        raise Forbidden(_("Only a data protection officer keeps the breach register."))


def _checked(facts: BreachFacts) -> BreachFacts:
    errors = []

    def problem(path: str, message: str) -> None:
        errors.append({"path": path, "message": message})

    facts.title = facts.title.strip()
    facts.description, facts.measures = facts.description.strip(), facts.measures.strip()
    facts.cause, facts.contact = facts.cause.strip(), facts.contact.strip()
    facts.data_other = facts.data_other.strip()
    if not facts.title or len(facts.title) > 200:
        problem("title", _("Give the breach a title of at most 200 characters."))
    now = timezone.now()
    if facts.discovered_at > now + CLOCK_SKEW:
        problem("discovered_at", _("The discovery cannot be in the future."))
    if facts.occurred_at is not None and facts.occurred_at > facts.discovered_at:
        problem("occurred_at", _("It cannot have happened after it was discovered."))
    if not facts.description:
        problem("description", _("Describe what happened and how the data were disclosed."))
    kinds = list(dict.fromkeys(facts.data_kinds))
    if not kinds or any(kind not in DataKind.values for kind in kinds):
        problem("data_kinds", _("Choose the kinds of personal data that were disclosed."))
    facts.data_kinds = kinds
    if DataKind.OTHER in kinds and not facts.data_other:
        problem("data_other", _("Say which other data were disclosed."))
    if facts.people_affected < 0:
        problem("people_affected", _("Give the number of people, or your best estimate."))
    if not facts.measures:
        problem("measures", _("Say what is being done to handle and recover from it."))
    for name in ("description", "cause", "measures"):
        if len(getattr(facts, name)) > TEXT_MAX_LENGTH:
            problem(name, _("Write at most 5000 characters."))
    if len(facts.data_other) > 300 or len(facts.contact) > 300:
        problem("contact" if len(facts.contact) > 300 else "data_other", _("Too long."))
    if errors:
        raise DomainError(errors[0]["message"], code="invalid", status=422, errors=errors)
    return facts


def _write(breach: Breach, facts: BreachFacts) -> None:
    for name, value in facts.__dict__.items():
        setattr(breach, name, value)
    breach.notify_due_at = facts.discovered_at + RESPONSE_TIME


@transaction.atomic
def breach_record(*, actor: User, facts: BreachFacts) -> Breach:
    """Record a breach; its notice is due 3×24 hours after its discovery."""
    _officer(actor)
    breach = Breach(tracking=generate(), recorded_by=actor)
    _write(breach, _checked(facts))
    breach.save()
    audit_record(
        actor=actor,
        action="breach.recorded",
        target=breach,
        details={"people_affected": breach.people_affected, "data_kinds": breach.data_kinds},
    )
    return breach


@transaction.atomic
def breach_update(*, breach: Breach, actor: User, facts: BreachFacts) -> Breach:
    """Change what is known of a breach (its deadline follows its discovery)."""
    _officer(actor)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    _write(breach, _checked(facts))
    breach.save()
    audit_record(actor=actor, action="breach.changed", target=breach)
    return breach


@transaction.atomic
def breach_notified(
    *,
    breach: Breach,
    actor: User,
    subjects_at: datetime.datetime | None = None,
    authority_at: datetime.datetime | None = None,
) -> Breach:
    """Record when the people concerned (``subjects_at``) and the authority
    (``authority_at``) were told; a time not given is left as it was."""
    _officer(actor)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    now = timezone.now()
    for path, moment in (("subjects_at", subjects_at), ("authority_at", authority_at)):
        if moment is None:
            continue
        if moment > now + CLOCK_SKEW:
            raise DomainError(
                _("The notice cannot have been given in the future."),
                code="invalid",
                status=422,
                errors=[
                    {"path": path, "message": _("The notice cannot have been given in the future.")}
                ],
            )
    if subjects_at is None and authority_at is None:
        raise DomainError(
            _("Give when the people or the authority were told."), code="invalid", status=422
        )
    if subjects_at is not None:
        breach.subjects_notified_at = subjects_at
    if authority_at is not None:
        breach.authority_notified_at = authority_at
    breach.save()
    audit_record(
        actor=actor,
        action="breach.notified",
        target=breach,
        details={
            "subjects": subjects_at.isoformat() if subjects_at else None,
            "authority": authority_at.isoformat() if authority_at else None,
        },
    )
    return breach
