"""Factories of the competency framework: employees in the example catalogue's agencies,
competencies with five levels, positions with requirements, placements and assessments.

``Agency`` rows come from the example catalogue that the test database loads once
(``tests/conftest.py``); the managerial framework comes from migration 0002.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from satupintu.accounts.models import EmployeeProfile, RoleAssignment
from satupintu.organisations.models import Agency, Unit
from satupintu.talent.constants import AssessmentSource, CompetencyGroup
from satupintu.talent.models import (
    Assessment,
    Competency,
    CompetencyLevel,
    Placement,
    Position,
    PositionRequirement,
)

User = get_user_model()

MANAGERIAL_CODES = [
    "integritas",
    "kerja-sama",
    "komunikasi",
    "orientasi-pada-hasil",
    "pelayanan-publik",
    "pengembangan-diri-dan-orang-lain",
    "mengelola-perubahan",
    "pengambilan-keputusan",
]
SOCIO_CULTURAL_CODES = ["perekat-bangsa"]


def agency(code: str = "dukcapil-surabaya") -> Agency:
    return Agency.objects.get(code=code)


def unit(agency_code: str = "dukcapil-surabaya", code: str = "pencatatan-sipil") -> Unit:
    return Unit.objects.get(agency__code=agency_code, code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"asn.uji.{n}")
    email = factory.Sequence(lambda n: f"asn.uji.{n}@jatimprov.go.id")
    first_name = factory.Iterator(["Sri", "Agus", "Wulan", "Dimas", "Intan"])
    last_name = factory.Iterator(["Handayani", "Prasetyo", "Maharani", "Saputra"])


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployeeProfile

    user = factory.SubFactory(UserFactory)
    nip = factory.Sequence(lambda n: f"19900101201501{n % 10000:04d}")
    agency = factory.LazyFunction(agency)
    unit = factory.LazyAttribute(lambda o: o.agency.units.order_by("code").first())
    position = "Pengadministrasi"


def role(user, name, *, agency=None, unit=None) -> RoleAssignment:
    if unit is not None and agency is None:
        agency = unit.agency
    return RoleAssignment.objects.create(user=user, role=name, agency=agency, unit=unit)


class CompetencyFactory(factory.django.DjangoModelFactory):
    """A technical competency of dukcapil-surabaya with its five levels."""

    class Meta:
        model = Competency
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"teknis-uji-{n}")
    group = CompetencyGroup.TECHNICAL
    agency = factory.LazyFunction(agency)
    name_id = factory.Sequence(lambda n: f"Kompetensi Teknis Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Technical Competency {n}")

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for number in range(1, 6):
            CompetencyLevel.objects.create(
                competency=self,
                level=number,
                description_id=f"Tingkat {number}",
                description_en=f"Level {number}",
                indicators_id="Indikator satu\nIndikator dua",
                indicators_en="Indicator one\nIndicator two",
            )


def competency(code: str) -> Competency:
    return Competency.objects.get(code=code)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    agency = factory.LazyFunction(agency)
    code = factory.Sequence(lambda n: f"jabatan-uji-{n}")
    name_id = factory.Sequence(lambda n: f"Jabatan Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Position {n}")


def position_with(requirements: dict, *, agency_code: str = "dukcapil-surabaya") -> Position:
    """A position requiring ``{competency or code: level}``."""
    position = PositionFactory(agency=agency(agency_code))
    for key, level in requirements.items():
        PositionRequirement.objects.create(
            position=position,
            competency=key if isinstance(key, Competency) else competency(key),
            level=level,
        )
    return position


def place(employee: EmployeeProfile, position: Position) -> Placement:
    return Placement.objects.create(
        employee=employee, position=position, since=datetime.date(2024, 1, 2)
    )


def assess(
    employee: EmployeeProfile,
    key,
    level: int,
    *,
    on: datetime.date | None = None,
    source: str = AssessmentSource.ENTERED,
) -> Assessment:
    return Assessment.objects.create(
        employee=employee,
        competency=key if isinstance(key, Competency) else competency(key),
        level=level,
        source=source,
        assessed_on=on or timezone.localdate() - datetime.timedelta(days=10),
    )
