"""Reads of organisations."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from satupintu.core.errors import NotFound
from satupintu.organisations.models import Agency


def agency_list() -> QuerySet[Agency]:
    """Active agencies with the number of services they offer."""
    return (
        Agency.objects.filter(is_active=True)
        .annotate(service_count=Count("services", filter=Q(services__is_active=True)))
        .order_by("name_id")
    )


def agency_get(*, code: str) -> Agency:
    agency = (
        Agency.objects.filter(is_active=True, code=code)
        .prefetch_related("units", "offices")
        .first()
    )
    if agency is None:
        raise NotFound(_("There is no agency with the code '%(code)s'.") % {"code": code[:64]})
    return agency
