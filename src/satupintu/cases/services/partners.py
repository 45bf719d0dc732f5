"""Co-production: a case's task fulfilled by a partner organisation (a community group or a
business) — for instance food delivered to residents in self-isolation.

An officer of the coordinating agency gives the task to one of the partners that the
service's definition names (a workflow step that ``requires: [partner]``); the partner's
people then take the workflow's ``by: partner`` steps from their own portal, seeing only the
form fields the definition lets them see (``partners.sees``).
"""

from django.utils.translation import gettext as _

from satupintu.cases.models import Case
from satupintu.core.errors import DomainError
from satupintu.organisations.models import Partner


def partner_choices(*, case: Case) -> list[Partner]:
    """The active partner organisations that may fulfil ``case``, by name."""
    codes = (case.definition.get("partners") or {}).get("organisations") or []
    return list(Partner.objects.filter(code__in=codes, is_active=True).order_by("name_id"))


def partner_for_case(*, case: Case, code: str) -> Partner:
    """The partner organisation ``code`` if it may fulfil ``case``; a clear error if not."""
    partner = next((p for p in partner_choices(case=case) if p.code == code), None)
    if partner is None:
        names = ", ".join(p.name for p in partner_choices(case=case)) or "—"
        raise DomainError(
            _("Choose one of the partners of this service: %(names)s.") % {"names": names},
            code="invalid_partner",
            status=422,
            errors=[{"path": "partner", "message": _("Choose a partner of this service.")}],
        )
    return partner


def partner_visible_answers(*, case: Case) -> dict:
    """The answers a partner may see: only the fields the definition names."""
    visible = (case.definition.get("partners") or {}).get("sees") or []
    return {key: case.answers[key] for key in visible if key in case.answers}
