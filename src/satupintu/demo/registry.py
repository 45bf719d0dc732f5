"""The demo's registry records, served by the built-in registry adapters: the family cards of
the demo citizens, a business, a pupil. Loading twice changes nothing.

- ``warga`` (Siti Rahayu) is the wife in the family card of her husband, Agus Prasetyo, with
  their daughter Putri, who is in year 4 of primary school (Dapodik).
- ``warga2`` (Budi Santoso) heads his own family card and owns a sole proprietorship (OSS),
  besides an earlier business that is closed.

The numbers are made up but well-formed: each NIK passes ``core.identifiers.validate_nik``
with the person's birth date and sex (a woman's day of birth plus 40), each family card
``validate_kk``; regions are Surabaya's (3578), villages those of the citizens' profiles.
"""

from datetime import date

from django.db import transaction

from satupintu.accounts.constants import LegalForm, Sex
from satupintu.registries.constants import MaritalStatus, Relationship, Religion, SchoolLevel
from satupintu.registries.models import BusinessRecord, EducationRecord, PopulationRecord

# Kedungdoro, Tegalsari and Tambaksari, Tambaksari (Kota Surabaya), as in demo.people.
KEDUNGDORO = "3578051003"
TAMBAKSARI = "3578101001"
SITI_STREET = "Jl. Kedungdoro Gg. III No. 12, RT 03 RW 05"
BUDI_STREET = "Jl. Tambaksari Selatan No. 7"

# Family card of Agus and Siti, issued in Tegalsari on 3 February 2015.
KK_PRASETYO = "3578050302150007"
# Family card of Budi, issued in Tambaksari on 12 March 2010.
KK_SANTOSO = "3578101203100004"

PEOPLE = [
    {
        # A man born on 12 January 1989, first registered in Tegalsari.
        "nik": "3578051201890001",
        "kk_number": KK_PRASETYO,
        "name": "Agus Prasetyo",
        "sex": Sex.MALE,
        "birth_date": date(1989, 1, 12),
        "birth_place": "Surabaya",
        "religion": Religion.ISLAM,
        "marital_status": MaritalStatus.KAWIN,
        "occupation": "Karyawan Swasta",
        "relationship": Relationship.KEPALA_KELUARGA,
        "street": SITI_STREET,
        "village_code": KEDUNGDORO,
    },
    {
        # The demo citizen ``warga``: a woman born on 25 March 1992 (day 25 + 40 = 65).
        "nik": "3578056503920001",
        "kk_number": KK_PRASETYO,
        "name": "Siti Rahayu",
        "sex": Sex.FEMALE,
        "birth_date": date(1992, 3, 25),
        "birth_place": "Surabaya",
        "religion": Religion.ISLAM,
        "marital_status": MaritalStatus.KAWIN,
        "occupation": "Wiraswasta",
        "relationship": Relationship.ISTRI,
        "street": SITI_STREET,
        "village_code": KEDUNGDORO,
    },
    {
        # Their daughter, born on 14 July 2016 (day 14 + 40 = 54).
        "nik": "3578055407160001",
        "kk_number": KK_PRASETYO,
        "name": "Putri Ayu Prasetyo",
        "sex": Sex.FEMALE,
        "birth_date": date(2016, 7, 14),
        "birth_place": "Surabaya",
        "religion": Religion.ISLAM,
        "marital_status": MaritalStatus.BELUM_KAWIN,
        "occupation": "Pelajar/Mahasiswa",
        "relationship": Relationship.ANAK,
        "street": SITI_STREET,
        "village_code": KEDUNGDORO,
    },
    {
        # The demo citizen ``warga2``: a man born on 17 August 1985, first registered in
        # Tambaksari.
        "nik": "3578101708850003",
        "kk_number": KK_SANTOSO,
        "name": "Budi Santoso",
        "sex": Sex.MALE,
        "birth_date": date(1985, 8, 17),
        "birth_place": "Surabaya",
        "religion": Religion.ISLAM,
        "marital_status": MaritalStatus.BELUM_KAWIN,
        "occupation": "Wiraswasta",
        "relationship": Relationship.KEPALA_KELUARGA,
        "street": BUDI_STREET,
        "village_code": TAMBAKSARI,
    },
]

BUSINESSES = [
    {
        "nib": "8120108765432",
        "name": "Warung Kopi Santoso",
        "legal_form": LegalForm.INDIVIDUAL,
        "owner_nik": "3578101708850003",
        "street": BUDI_STREET,
        "village_code": TAMBAKSARI,
        "is_active": False,  # closed: a registry read passes over it
    },
    {
        "nib": "8120216543210",
        "name": "UD Santoso Jaya",
        "legal_form": LegalForm.INDIVIDUAL,
        "owner_nik": "3578101708850003",
        "street": BUDI_STREET,
        "village_code": TAMBAKSARI,
        "is_active": True,
    },
]

PUPILS = [
    {
        "nisn": "0167381924",
        "nik": "3578055407160001",
        "name": "Putri Ayu Prasetyo",
        "school_name": "SD Negeri Kedungdoro",
        "school_npsn": "20532871",
        "level": SchoolLevel.SD,
        "grade": 4,
    },
]


@transaction.atomic
def demo_registry_load() -> None:
    """Create the demo's population, business and education records that are missing."""
    for person in PEOPLE:
        PopulationRecord.objects.get_or_create(nik=person["nik"], defaults=person)
    for business in BUSINESSES:
        BusinessRecord.objects.get_or_create(nib=business["nib"], defaults=business)
    for pupil in PUPILS:
        EducationRecord.objects.get_or_create(nisn=pupil["nisn"], defaults=pupil)
