"""The population registry (Dukcapil's SIAK): a person's record and their family card.

``population.person`` → ``person``: {nik, name, sex, birth_date, birth_place, religion,
marital_status, occupation, kk_number, address}. ``population.family_card`` →
``family_card``: {number, address, head, mother, father, members}, where ``mother`` is the
wife (or the female head) and ``father`` the husband (or the male head) of the family, each
{nik, name} or null, and ``members`` lists {nik, name, sex, birth_date, relationship} in the
card's order: the head, the spouse, the children from the eldest.
"""

from django.utils.translation import gettext_lazy as _

from satupintu.registries.base import (
    ADDRESS,
    PERSON_REF,
    BuiltinAdapter,
    Dataset,
    Registry,
)
from satupintu.registries.constants import RELATIONSHIP_ORDER, Relationship
from satupintu.registries.models import PopulationRecord

PERSON = Dataset(
    name="population.person",
    key="person",
    registry="population",
    path="person",
    identity="nik",
    shape={
        "nik": None,
        "name": None,
        "sex": None,
        "birth_date": None,
        "birth_place": None,
        "religion": None,
        "marital_status": None,
        "occupation": None,
        "kk_number": None,
        "address": ADDRESS,
    },
    label=_("Your population record (Dukcapil)"),
    not_found=_(
        "The population registry has no record for the NIK in your profile; fill in the "
        "details yourself."
    ),
)

FAMILY_CARD = Dataset(
    name="population.family_card",
    key="family_card",
    registry="population",
    path="family-card",
    identity="number",
    shape={
        "number": None,
        "address": ADDRESS,
        "head": PERSON_REF,
        "mother": PERSON_REF,
        "father": PERSON_REF,
        "members": [
            {"nik": None, "name": None, "sex": None, "birth_date": None, "relationship": None}
        ],
    },
    label=_("Your family card (Dukcapil)"),
    not_found=_(
        "The population registry has no family card for the NIK in your profile; fill in "
        "the details yourself."
    ),
)

# Both population datasets together, as the consent page names them.
BOTH_LABEL = _("Your population record and family card (Dukcapil)")


def _address(record: PopulationRecord) -> dict:
    return {"street": record.street, "village": record.village_code}


def _ref(record: PopulationRecord | None) -> dict | None:
    return {"nik": record.nik, "name": record.name} if record is not None else None


def person_data(record: PopulationRecord) -> dict:
    """A population record in the shape of ``population.person``."""
    return {
        "nik": record.nik,
        "name": record.name,
        "sex": record.sex,
        "birth_date": record.birth_date.isoformat(),
        "birth_place": record.birth_place,
        "religion": record.religion,
        "marital_status": record.marital_status,
        "occupation": record.occupation,
        "kk_number": record.kk_number,
        "address": _address(record),
    }


def family_card_data(number: str, records: list[PopulationRecord]) -> dict:
    """The members of family card ``number`` in the shape of ``population.family_card``."""
    members = sorted(
        records,
        key=lambda record: (RELATIONSHIP_ORDER.get(record.relationship, 99), record.birth_date),
    )
    heads = [record for record in members if record.relationship == Relationship.KEPALA_KELUARGA]
    head = heads[0] if heads else members[0]

    def first(relationship: str) -> PopulationRecord | None:
        return next((record for record in members if record.relationship == relationship), None)

    mother = first(Relationship.ISTRI) or (head if head.sex == "F" else None)
    father = first(Relationship.SUAMI) or (head if head.sex == "M" else None)
    return {
        "number": number,
        "address": _address(head),
        "head": _ref(head),
        "mother": _ref(mother),
        "father": _ref(father),
        "members": [
            {
                "nik": record.nik,
                "name": record.name,
                "sex": record.sex,
                "birth_date": record.birth_date.isoformat(),
                "relationship": record.relationship,
            }
            for record in members
        ],
    }


class BuiltinPopulationAdapter(BuiltinAdapter):
    """Serves the population records in this app's table (the demo's people)."""

    registry = "population"

    def lookup(self, dataset: Dataset, nik: str) -> dict | None:
        record = PopulationRecord.objects.filter(nik=nik).first()
        if record is None:
            return None
        if dataset.name == PERSON.name:
            return person_data(record)
        members = list(PopulationRecord.objects.filter(kk_number=record.kk_number))
        return family_card_data(record.kk_number, members)


REGISTRY = Registry(
    code="population",
    source=_("Dispendukcapil — population data (SIAK)"),
    datasets=(PERSON, FAMILY_CARD),
    builtin=BuiltinPopulationAdapter,
    timeout=_(
        "The population registry did not answer in time; fill in the details yourself, or "
        "try again later."
    ),
    unreachable=_("The population registry could not be reached; fill in the details yourself."),
    bad_answer=_(
        "The population registry gave an answer we could not read; fill in the details yourself."
    ),
    not_configured=_(
        "The population registry is not connected to this service; fill in the details yourself."
    ),
)
