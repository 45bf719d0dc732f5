"""Factories of registry records and of citizens whose NIK the registries look up."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from satupintu.accounts.constants import LegalForm, Sex
from satupintu.accounts.models import CitizenProfile
from satupintu.registries.constants import MaritalStatus, Relationship, Religion, SchoolLevel
from satupintu.registries.models import BusinessRecord, EducationRecord, PopulationRecord


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"warga-test-{n}")
    email = factory.Sequence(lambda n: f"warga{n}@contoh.id")


class CitizenProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenProfile

    user = factory.SubFactory(UserFactory)
    nik = factory.Sequence(lambda n: f"357805010190{n % 10000:04d}")
    full_name = "Warga Uji"
    birth_date = date(1990, 1, 1)
    sex = Sex.MALE


class PopulationRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationRecord

    nik = factory.Sequence(lambda n: f"357810010180{n % 10000:04d}")
    kk_number = "3578100101100001"
    name = factory.Sequence(lambda n: f"Penduduk {n}")
    sex = Sex.MALE
    birth_date = date(1980, 1, 1)
    birth_place = "Surabaya"
    religion = Religion.ISLAM
    marital_status = MaritalStatus.KAWIN
    occupation = "Wiraswasta"
    relationship = Relationship.KEPALA_KELUARGA
    street = "Jl. Tambaksari No. 1"
    village_code = "3578101001"


class BusinessRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessRecord

    nib = factory.Sequence(lambda n: f"81201{n % 100000000:08d}")
    name = factory.Sequence(lambda n: f"Usaha {n}")
    legal_form = LegalForm.INDIVIDUAL
    owner_nik = "3578100101800001"
    street = "Jl. Tambaksari No. 1"
    village_code = "3578101001"
    is_active = True


class EducationRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationRecord

    nisn = factory.Sequence(lambda n: f"01{n % 100000000:08d}")
    nik = "3578104101160001"
    name = factory.Sequence(lambda n: f"Murid {n}")
    school_name = "SD Negeri Tambaksari"
    school_npsn = "20532000"
    level = SchoolLevel.SD
    grade = 3
