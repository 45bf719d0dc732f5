"""The demo's competency data: the technical dictionaries and positions of the demo
agencies, the demo employees placed in positions, and their assessed levels.

Every employee's gaps differ: a few competencies were never assessed, levels come from
different sources and dates, and the head of the births and deaths section meets her
position's standard in full. Loading twice changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.accounts.models import EmployeeProfile, RoleAssignment
from satupintu.talent import loading
from satupintu.talent.constants import AssessmentSource
from satupintu.talent.models import Assessment, Competency, Position
from satupintu.talent.services import assessment_record, dictionary_load, placement_set

DEMO_POSITIONS_FILE = loading.FRAMEWORK_DIR / "demo_positions.yaml"

E, IMP, Q, A = (
    AssessmentSource.ENTERED,
    AssessmentSource.IMPORTED,
    AssessmentSource.QUIZ,
    AssessmentSource.ASSESSMENT_CENTRE,
)

# username: (agency, position, days in the position)
PLACEMENTS = {
    "petugas.dukcapil": ("dukcapil-surabaya", "pengadministrasi-kependudukan", 1900),
    "penyelia.dukcapil": ("dukcapil-surabaya", "kepala-seksi-kelahiran-kematian", 1200),
    "admin.dukcapil": ("dukcapil-surabaya", "sekretaris-dinas", 800),
    "petugas.dpmptsp": ("dpmptsp-surabaya", "analis-perizinan", 1500),
    "penyelia.dpmptsp": ("dpmptsp-surabaya", "kepala-bidang-perizinan-berusaha", 700),
    "admin.dpmptsp": ("dpmptsp-surabaya", "sekretaris-dinas", 1000),
    "petugas.dinsos": ("dinsos-surabaya", "pekerja-sosial-ahli-pertama", 1300),
    "penyelia.dinsos": ("dinsos-surabaya", "kepala-bidang-linjamsos", 600),
    "petugas.dinkes": ("dinkes-surabaya", "epidemiolog-kesehatan-ahli-pertama", 900),
}

# username: [(competency, level, source, days ago)], oldest first where a competency was
# assessed more than once (the latest counts).
ASSESSMENTS = {
    "petugas.dukcapil": [
        ("integritas", 2, A, 400),
        ("kerja-sama", 2, A, 400),
        ("komunikasi", 1, A, 400),
        ("komunikasi", 2, Q, 30),
        ("orientasi-pada-hasil", 2, A, 400),
        ("pelayanan-publik", 3, A, 400),
        ("pengembangan-diri-dan-orang-lain", 1, A, 400),
        ("mengelola-perubahan", 1, A, 400),
        ("pengambilan-keputusan", 1, A, 400),
        ("perekat-bangsa", 2, A, 400),
        ("dukcapil-pelayanan-adminduk", 3, E, 90),
        ("dukcapil-pengelolaan-data-siak", 1, IMP, 60),
    ],
    # Meets every requirement of her position.
    "penyelia.dukcapil": [
        ("integritas", 3, A, 300),
        ("kerja-sama", 3, A, 300),
        ("komunikasi", 3, A, 300),
        ("orientasi-pada-hasil", 4, A, 300),
        ("pelayanan-publik", 3, A, 300),
        ("pengembangan-diri-dan-orang-lain", 2, A, 300),
        ("pengembangan-diri-dan-orang-lain", 3, Q, 20),
        ("mengelola-perubahan", 3, A, 300),
        ("pengambilan-keputusan", 3, A, 300),
        ("perekat-bangsa", 3, A, 300),
        ("dukcapil-pelayanan-adminduk", 4, E, 120),
        ("dukcapil-pengelolaan-data-siak", 3, IMP, 60),
    ],
    "admin.dukcapil": [
        ("integritas", 4, A, 500),
        ("kerja-sama", 3, A, 500),
        ("komunikasi", 4, A, 500),
        ("orientasi-pada-hasil", 3, A, 500),
        ("pelayanan-publik", 3, A, 500),
        ("pengembangan-diri-dan-orang-lain", 3, A, 500),
        ("mengelola-perubahan", 2, A, 500),
        ("pengambilan-keputusan", 3, A, 500),
        ("perekat-bangsa", 4, A, 500),
        ("dukcapil-pelayanan-adminduk", 3, E, 200),
    ],
    "petugas.dpmptsp": [
        ("integritas", 3, IMP, 200),
        ("kerja-sama", 2, IMP, 200),
        ("komunikasi", 2, IMP, 200),
        ("orientasi-pada-hasil", 2, IMP, 200),
        ("pelayanan-publik", 2, IMP, 200),
        ("dpmptsp-sby-perizinan-oss-rba", 2, Q, 45),
        ("dpmptsp-sby-perizinan-bangunan", 1, E, 150),
    ],
    "penyelia.dpmptsp": [
        ("integritas", 4, A, 350),
        ("kerja-sama", 4, A, 350),
        ("komunikasi", 3, A, 350),
        ("orientasi-pada-hasil", 4, A, 350),
        ("pelayanan-publik", 3, A, 350),
        ("pengembangan-diri-dan-orang-lain", 3, A, 350),
        ("mengelola-perubahan", 3, A, 350),
        ("pengambilan-keputusan", 4, A, 350),
        ("perekat-bangsa", 4, A, 350),
        ("dpmptsp-sby-perizinan-oss-rba", 4, E, 100),
        ("dpmptsp-sby-perizinan-bangunan", 2, E, 100),
        ("dpmptsp-sby-reklame", 3, E, 100),
    ],
    "petugas.dinsos": [
        ("integritas", 2, A, 250),
        ("kerja-sama", 3, A, 250),
        ("komunikasi", 2, A, 250),
        ("orientasi-pada-hasil", 1, A, 250),
        ("pelayanan-publik", 2, A, 250),
        ("pengembangan-diri-dan-orang-lain", 2, A, 250),
        ("mengelola-perubahan", 2, A, 250),
        ("pengambilan-keputusan", 1, A, 250),
        ("perekat-bangsa", 3, A, 250),
        ("dinsos-pengelolaan-dtks", 2, IMP, 80),
        ("dinsos-penyaluran-bansos", 2, IMP, 80),
        ("dinsos-pendampingan-sosial", 1, Q, 15),
    ],
    "penyelia.dinsos": [
        ("integritas", 4, A, 420),
        ("kerja-sama", 4, A, 420),
        ("komunikasi", 4, A, 420),
        ("orientasi-pada-hasil", 3, A, 420),
        ("pelayanan-publik", 4, A, 420),
        ("pengembangan-diri-dan-orang-lain", 3, A, 420),
        ("mengelola-perubahan", 4, A, 420),
        ("pengambilan-keputusan", 4, A, 420),
        ("perekat-bangsa", 4, A, 420),
        ("dinsos-pengelolaan-dtks", 3, E, 150),
        ("dinsos-penyaluran-bansos", 4, E, 150),
        ("dinsos-pendampingan-sosial", 3, E, 150),
    ],
    "petugas.dinkes": [
        ("integritas", 2, Q, 40),
        ("komunikasi", 2, Q, 40),
        ("pelayanan-publik", 2, Q, 40),
        ("dinkes-surveilans-epidemiologi", 2, E, 100),
        ("dinkes-imunisasi", 2, IMP, 70),
    ],
}

# Workforce duties of demo people, so that the HR and unit pages have someone to show them:
# (username, role, agency, unit).
ROLES = [
    ("admin.dukcapil", Role.HR, "dukcapil-surabaya", None),
    ("penyelia.dukcapil", Role.UNIT_HEAD, "dukcapil-surabaya", "pencatatan-sipil"),
    ("penyelia.dpmptsp", Role.UNIT_HEAD, "dpmptsp-surabaya", "perizinan-usaha"),
    ("penyelia.dinsos", Role.UNIT_HEAD, "dinsos-surabaya", "linjamsos"),
]


def _reference(username: str, code: str, index: int) -> str:
    return f"demo:{username}:{code}:{index}"


@transaction.atomic
def demo_talent_load() -> None:
    """Load the demo dictionaries and positions (skipping agencies that are not there),
    place the demo employees that exist and record their assessments."""
    dictionary_load(path=loading.DEMO_TECHNICAL_FILE, skip_missing_agencies=True)
    dictionary_load(path=DEMO_POSITIONS_FILE, skip_missing_agencies=True)
    today = timezone.localdate()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=set(PLACEMENTS) | set(ASSESSMENTS))
    }
    employees = {
        employee.user.username: employee
        for employee in EmployeeProfile.objects.filter(user__in=users.values()).select_related(
            "user", "agency", "unit"
        )
    }
    positions = {
        (position.agency.code, position.code): position
        for position in Position.objects.select_related("agency")
    }
    for username, (agency_code, position_code, days) in PLACEMENTS.items():
        employee = employees.get(username)
        position = positions.get((agency_code, position_code))
        if employee is None or position is None or employee.agency_id != position.agency_id:
            continue
        if not hasattr(employee, "placement"):
            placement_set(
                employee=employee,
                position=position,
                since=today - datetime.timedelta(days=days),
                actor=None,
            )

    competencies = {competency.code: competency for competency in Competency.objects.all()}
    existing = set(
        Assessment.objects.filter(reference__startswith="demo:").values_list("reference", flat=True)
    )
    for username, rows in ASSESSMENTS.items():
        employee = employees.get(username)
        if employee is None:
            continue
        for index, (code, level, source, days) in enumerate(rows):
            reference = _reference(username, code, index)
            competency = competencies.get(code)
            if competency is None or reference in existing:
                continue
            assessment_record(
                employee=employee,
                competency=competency,
                level=level,
                source=source,
                assessed_on=today - datetime.timedelta(days=days),
                actor=None,
                evidence="Data contoh",
                reference=reference,
            )

    for username, role, agency_code, unit_code in ROLES:
        employee = employees.get(username)
        if employee is None or employee.agency.code != agency_code:
            continue
        unit = employee.unit if unit_code else None
        if unit_code and (unit is None or unit.code != unit_code):
            continue
        RoleAssignment.objects.get_or_create(
            user=employee.user, role=role, agency=employee.agency, unit=unit
        )
