"""The demo's people: a citizen who represents a cooperative, officers, supervisors and
administrators of two agencies, and a platform administrator. Loading twice changes nothing."""

import datetime
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from satupintu.accounts.constants import LegalForm, Role, Sex
from satupintu.accounts.models import (
    BusinessProfile,
    BusinessRepresentative,
    CitizenProfile,
    EmployeeProfile,
    RoleAssignment,
)
from satupintu.cases.services.performance import service_months_refresh
from satupintu.catalog.services import catalog_load
from satupintu.complaints.demo import demo_complaints_load
from satupintu.demo.cases import demo_backlog_load, demo_cases_load, demo_life_events_load
from satupintu.demo.registry import demo_registry_load
from satupintu.feedback.demo import demo_surveys_load
from satupintu.learning.demo import demo_learning_load
from satupintu.organisations.models import Agency, Partner, Unit
from satupintu.privacy.demo import demo_privacy_load

DEMO_PASSWORD = "satupintu-demo"  # noqa: S105 — printed by `satupintu demo`; demo data only

CITIZENS = [
    {
        "username": "warga",
        "email": "siti.rahayu@contoh.id",
        "first_name": "Siti",
        "last_name": "Rahayu",
        # A woman born on 25 March 1992, first registered in Tegalsari, Surabaya: day 25 + 40 = 65.
        "nik": "3578056503920001",
        "birth_date": date(1992, 3, 25),
        "sex": Sex.FEMALE,
        "address": "Jl. Kedungdoro Gg. III No. 12, RT 03 RW 05",
        "region_code": "3578051003",
        "phone": "081234567890",
    },
    {
        "username": "warga2",
        "email": "budi.santoso@contoh.id",
        "first_name": "Budi",
        "last_name": "Santoso",
        "nik": "3578101708850003",
        "birth_date": date(1985, 8, 17),
        "sex": Sex.MALE,
        "address": "Jl. Tambaksari Selatan No. 7",
        "region_code": "3578101001",
        "phone": "081298765432",
    },
]

STAFF = [
    # username, first, last, NIP, agency, unit, position, roles
    (
        "petugas.dukcapil",
        "Ahmad",
        "Fauzi",
        "198703152010011002",
        "dukcapil-surabaya",
        "pencatatan-sipil",
        "Pengadministrasi Kependudukan",
        [Role.OFFICER],
    ),
    (
        "penyelia.dukcapil",
        "Dewi",
        "Lestari",
        "197911202005012003",
        "dukcapil-surabaya",
        "pencatatan-sipil",
        "Kepala Seksi Kelahiran dan Kematian",
        [Role.SUPERVISOR],
    ),
    (
        "admin.dukcapil",
        "Rudi",
        "Hartono",
        "197504082000031004",
        "dukcapil-surabaya",
        None,
        "Sekretaris Dinas",
        [Role.AGENCY_ADMIN],
    ),
    (
        "petugas.dpmptsp",
        "Nur",
        "Aini",
        "199002142015032001",
        "dpmptsp-surabaya",
        "perizinan-usaha",
        "Analis Perizinan",
        [Role.OFFICER],
    ),
    (
        "penyelia.dpmptsp",
        "Bambang",
        "Wijaya",
        "198106302006041005",
        "dpmptsp-surabaya",
        "perizinan-usaha",
        "Kepala Bidang Perizinan Berusaha",
        [Role.SUPERVISOR],
    ),
    (
        "admin.dpmptsp",
        "Lina",
        "Marlina",
        "197808172003122006",
        "dpmptsp-surabaya",
        None,
        "Sekretaris Dinas",
        [Role.AGENCY_ADMIN],
    ),
    (
        "petugas.dinsos",
        "Yuliana",
        "Kartika",
        "198805122012012004",
        "dinsos-surabaya",
        "linjamsos",
        "Pekerja Sosial Ahli Pertama",
        [Role.OFFICER],
    ),
    (
        "penyelia.dinsos",
        "Hendra",
        "Gunawan",
        "198402282009011007",
        "dinsos-surabaya",
        "linjamsos",
        "Kepala Bidang Perlindungan dan Jaminan Sosial",
        [Role.SUPERVISOR],
    ),
    (
        # Agency-wide: the health office's immunisation and isolation-monitoring cases.
        "petugas.dinkes",
        "Ratna",
        "Sari",
        "199107072019032003",
        "dinkes-surabaya",
        None,
        "Epidemiolog Kesehatan",
        [Role.OFFICER, Role.SUPERVISOR],
    ),
    (
        "petugas.bpjs",
        "Fajar",
        "Nugroho",
        "198612252011011002",
        "bpjs-kesehatan-surabaya",
        "kepesertaan",
        "Petugas Kepesertaan",
        [Role.OFFICER, Role.SUPERVISOR],
    ),
    # Learn: a trainer (widyaiswara) of the provincial training centre, the civil registry's
    # HR and the head of its civil registration division.
    (
        "pelatih",
        "Sugeng",
        "Riyanto",
        "197406121999031003",
        "bpsdm-jatim",
        "widyaiswara",
        "Widyaiswara Ahli Madya",
        [Role.TRAINER],
    ),
    (
        "sdm.dukcapil",
        "Endah",
        "Purwaningsih",
        "198309212008042002",
        "dukcapil-surabaya",
        None,
        "Analis Sumber Daya Manusia Aparatur",
        [Role.HR],
    ),
    (
        "kabid.dukcapil",
        "Joko",
        "Susilo",
        "197602032001121001",
        "dukcapil-surabaya",
        "pencatatan-sipil",
        "Kepala Bidang Pelayanan Pencatatan Sipil",
        [Role.UNIT_HEAD],
    ),
]


def _user(
    username: str,
    *,
    email: str,
    first_name: str,
    last_name: str,
    staff: bool = False,
    superuser: bool = False,
):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": staff or superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_load(*, catalog_dir: str | Path) -> list[tuple[str, str]]:
    """Load the catalogue at ``catalog_dir``, the demo people and their cases; return
    (role, username) of each demo login."""
    catalog_load(directory=catalog_dir)
    logins = demo_people_load()
    demo_backlog_load()
    demo_life_events_load()
    demo_surveys_load()
    demo_complaints_load()
    demo_privacy_load()
    logins += demo_learning_load(directory=Path(catalog_dir) / "courses")
    # The public figures, as the worker's daily sweep would count them (this month and the
    # last, which the demo's cases span).
    today = timezone.localdate()
    service_months_refresh(month=today)
    service_months_refresh(month=today.replace(day=1) - datetime.timedelta(days=1))
    return logins


@transaction.atomic
def demo_people_load() -> list[tuple[str, str]]:
    """The demo people and their cases, on a catalogue that is already loaded."""
    logins: list[tuple[str, str]] = []

    for person in CITIZENS:
        user = _user(
            person["username"],
            email=person["email"],
            first_name=person["first_name"],
            last_name=person["last_name"],
        )
        CitizenProfile.objects.get_or_create(
            user=user,
            defaults={
                "nik": person["nik"],
                "full_name": f"{person['first_name']} {person['last_name']}",
                "birth_date": person["birth_date"],
                "sex": person["sex"],
                "address": person["address"],
                "region_code": person["region_code"],
                "phone": person["phone"],
                "email": person["email"],
            },
        )
    citizen = get_user_model().objects.get(username="warga")
    cooperative, _ = BusinessProfile.objects.get_or_create(
        nib="9120001234567",
        defaults={
            "name": "Koperasi Serba Usaha Mekar Sari",
            "legal_form": LegalForm.KOPERASI,
            "address": "Jl. Kedungdoro No. 45, Tegalsari, Surabaya",
            "region_code": "3578051003",
        },
    )
    BusinessRepresentative.objects.get_or_create(
        business=cooperative, user=citizen, defaults={"position": "Ketua"}
    )
    # What the registries know about the citizens (read for prefill with their consent).
    demo_registry_load()
    logins.append(("citizen (represents a cooperative)", "warga"))
    logins.append(("citizen", "warga2"))

    for username, first, last, nip, agency_code, unit_code, position, roles in STAFF:
        agency = Agency.objects.get(code=agency_code)
        unit = Unit.objects.get(agency=agency, code=unit_code) if unit_code else None
        user = _user(
            username,
            email=f"{username}@{agency_code}.go.id",
            first_name=first,
            last_name=last,
            staff=Role.AGENCY_ADMIN in roles,
        )
        EmployeeProfile.objects.get_or_create(
            user=user, defaults={"nip": nip, "agency": agency, "unit": unit, "position": position}
        )
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role, agency=agency, unit=unit)
        labels = " & ".join(str(role.label) for role in roles)
        logins.append((f"{labels} — {agency.short_name or agency.code}", username))

    partner = Partner.objects.filter(code="kampung-tangguh-wonokromo").first()
    if partner:
        user = _user(
            "mitra.wonokromo",
            email="rw05.wonokromo@contoh.id",
            first_name="Slamet",
            last_name="Riyadi",
        )
        RoleAssignment.objects.get_or_create(user=user, role=Role.PARTNER, partner=partner)
        logins.append(("partner — Kampung Tangguh Wonokromo", "mitra.wonokromo"))

    admin = _user(
        "admin",
        email="admin@satupintu.jatimprov.go.id",
        first_name="Admin",
        last_name="Platform",
        superuser=True,
    )
    RoleAssignment.objects.get_or_create(user=admin, role=Role.PLATFORM_ADMIN)
    logins.append(("platform administrator", "admin"))
    coordinator = _user(
        "koordinator.lapor",
        email="lapor@satupintu.jatimprov.go.id",
        first_name="Sri",
        last_name="Wahyuni",
    )
    RoleAssignment.objects.get_or_create(user=coordinator, role=Role.COMPLAINT_COORDINATOR)
    logins.append(("complaint coordinator (SP4N-LAPOR!)", "koordinator.lapor"))
    protection_officer = _user(
        "ppdp",
        email="ppdp@satupintu.jatimprov.go.id",
        first_name="Wahyu",
        last_name="Hidayat",
    )
    RoleAssignment.objects.get_or_create(user=protection_officer, role=Role.DATA_PROTECTION_OFFICER)
    logins.append(("data protection officer (PPDP)", "ppdp"))
    demo_cases_load()
    return logins
