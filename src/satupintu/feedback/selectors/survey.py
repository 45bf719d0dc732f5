"""Reads for answering the survey: the invitation behind a link, and what an officer may
collect at a counter."""

import hashlib

from django.db.models import Q
from django.utils.translation import gettext as _

from satupintu.cases.models import Case
from satupintu.cases.selectors import staff_scope
from satupintu.catalog.models import Service
from satupintu.core.errors import NotFound
from satupintu.feedback.models import SurveyInvitation
from satupintu.feedback.selectors.access import office_service_ids, report_access
from satupintu.organisations.models import Office

TOKEN_MAX_LENGTH = 100


# Counter collection -------------------------------------------------------------------------


def _centre_offices(user) -> list[Office]:
    return list(
        Office.objects.filter(pk__in=report_access(user).office_ids).order_by("name_id")
        if report_access(user).office_ids
        else []
    )


def counter_services(*, user) -> list[Service]:
    """The services ``user`` may collect answers for at a counter: those of the units (or
    agencies) they work, and those offered at the service centres where they work."""
    scope = staff_scope(user)
    q = Q(unit__in=scope.unit_ids) | Q(agency__in=scope.agency_ids)
    for office in _centre_offices(user):
        q |= Q(pk__in=sorted(office_service_ids(office)))
    if not (scope.unit_ids or scope.agency_ids or report_access(user).office_ids):
        return []
    return list(
        Service.objects.filter(q, is_active=True)
        .select_related("agency", "current_version")
        .order_by("agency__name_id", "name_id")
    )


def counter_offices(*, user, service: Service) -> list[Office]:
    """The service centres where ``user`` may collect answers about ``service``: the ones
    its definition names (only their own, for a centre's staff who do not work the
    service)."""
    codes = (
        service.current_version.definition.get("offices") if service.current_version else None
    ) or []
    offices = Office.objects.filter(code__in=codes)
    if not staff_scope(user).covers(_as_case(service)):
        offices = offices.filter(pk__in=report_access(user).office_ids)
    return list(offices.order_by("name_id"))


def _as_case(service: Service) -> Case:
    # ``StaffScope.covers`` reads a case's unit and agency; a service has both.
    return Case(unit_id=service.unit_id, agency_id=service.agency_id)


def counter_may_collect(*, user, service: Service, office: Office | None) -> bool:
    if not service.is_active:
        return False
    works_service = staff_scope(user).covers(_as_case(service))
    if office is None:
        return works_service
    if office.pk not in {o.pk for o in counter_offices(user=user, service=service)}:
        return False
    return works_service or office.pk in report_access(user).office_ids


# Invitations --------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What is stored of a survey token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(*, token: str) -> SurveyInvitation:
    """The invitation whose link carries ``token``; "not found" for any other string."""
    token = (token or "").strip()
    invitation = None
    if 20 <= len(token) <= TOKEN_MAX_LENGTH:
        invitation = (
            SurveyInvitation.objects.select_related("service", "agency")
            .filter(token_hash=token_hash(token))
            .first()
        )
    if invitation is None:
        raise NotFound(
            _(
                "This survey link is not valid. Check that you opened the whole link from your message."
            ),
            code="unknown_survey",
        )
    return invitation
