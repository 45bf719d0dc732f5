"""The business registry (OSS, the Online Single Submission system): the business a person
owns.

``business.registration`` → ``business``: {nib, name, legal_form, address, owner_nik} of the
first active business registered to the person's NIK (the earliest registered).
"""

from django.utils.translation import gettext_lazy as _

from satupintu.registries.base import ADDRESS, BuiltinAdapter, Dataset, Registry
from satupintu.registries.models import BusinessRecord

REGISTRATION = Dataset(
    name="business.registration",
    key="business",
    registry="business",
    path="registration",
    identity="nib",
    shape={"nib": None, "name": None, "legal_form": None, "address": ADDRESS, "owner_nik": None},
    label=_("The business you own (OSS)"),
    not_found=_(
        "OSS has no active business registered to the NIK in your profile; fill in the "
        "details yourself."
    ),
)


def business_data(record: BusinessRecord) -> dict:
    """A business record in the shape of ``business.registration``."""
    return {
        "nib": record.nib,
        "name": record.name,
        "legal_form": record.legal_form,
        "address": {"street": record.street, "village": record.village_code},
        "owner_nik": record.owner_nik,
    }


class BuiltinBusinessAdapter(BuiltinAdapter):
    """Serves the business records in this app's table (the demo's businesses)."""

    registry = "business"

    def lookup(self, dataset: Dataset, nik: str) -> dict | None:
        record = (
            BusinessRecord.objects.filter(owner_nik=nik, is_active=True)
            .order_by("created_at", "id")
            .first()
        )
        return business_data(record) if record is not None else None


REGISTRY = Registry(
    code="business",
    source=_("OSS — Business Identification Number (NIB)"),
    datasets=(REGISTRATION,),
    builtin=BuiltinBusinessAdapter,
    timeout=_(
        "The business registry (OSS) did not answer in time; fill in the details yourself, "
        "or try again later."
    ),
    unreachable=_(
        "The business registry (OSS) could not be reached; fill in the details yourself."
    ),
    bad_answer=_(
        "The business registry (OSS) gave an answer we could not read; fill in the details "
        "yourself."
    ),
    not_configured=_(
        "The business registry (OSS) is not connected to this service; fill in the details "
        "yourself."
    ),
)
