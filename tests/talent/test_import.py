"""CSV import of assessments (issue: Learn — competencies): columns
``nip,competency,level,assessed_on[,evidence]``; every row is validated first and nothing is
saved when any row is bad, with row-numbered errors that say what is wrong and how to fix
it; CSV only, at most 2 MB, UTF-8 with or without BOM, ``;`` or ``,``; HR of an agency
imports only for its agency's employees, government-wide HR for all."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.talent.models import Assessment
from satupintu.talent.services import assessments_import, import_template
from tests.talent.factories import EmployeeFactory, UserFactory, agency, role

pytestmark = pytest.mark.django_db

YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def upload(text: str, name: str = "penilaian.csv", content_type: str = "text/csv", bom=False):
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def hr():
    user = UserFactory()
    role(user, Role.HR, agency=agency("dukcapil-surabaya"))
    return user


@pytest.fixture
def staff():
    return [EmployeeFactory(agency=agency("dukcapil-surabaya")) for _ in range(2)]


def errors_of(text: str, actor, **kwargs) -> list[dict]:
    with pytest.raises(DomainError) as error:
        assessments_import(file=upload(text, **kwargs), actor=actor)
    assert error.value.code == "invalid_rows"
    assert not Assessment.objects.exists()
    return error.value.errors


def test_a_good_file_imports_every_row(hr, staff):
    a, b = staff
    text = (
        "nip,competency,level,assessed_on,evidence\n"
        f"{a.nip},integritas,3,{YESTERDAY},Assessment centre 2026\n"
        f"{a.nip},komunikasi,2,{YESTERDAY},\n"
        f"{b.nip},perekat-bangsa,4,2025-06-30,\n"
    )
    result = assessments_import(file=upload(text), actor=hr)

    assert (result.imported, result.employees) == (3, 2)
    rows = Assessment.objects.filter(employee=a).order_by("competency__code")
    assert [(x.competency.code, x.level, x.source) for x in rows] == [
        ("integritas", 3, "imported"),
        ("komunikasi", 2, "imported"),
    ]
    assert rows[0].evidence == "Assessment centre 2026"
    assert rows[0].reference == result.reference
    assert rows[0].assessor == hr
    assert Assessment.objects.get(employee=b).assessed_on == datetime.date(2025, 6, 30)
    events = AuditEvent.objects.filter(action="talent.assessments_imported")
    assert {event.subject for event in events} == {a.user, b.user}


def test_semicolons_a_bom_and_no_evidence_column(hr, staff):
    a, _ = staff
    text = f"nip;competency;level;assessed_on\r\n{a.nip};integritas;2;{YESTERDAY}\r\n"
    result = assessments_import(file=upload(text, bom=True), actor=hr)
    assert result.imported == 1


def test_each_bad_row_is_named_and_nothing_is_saved(hr, staff):
    a, _ = staff
    outsider = EmployeeFactory(agency=agency("dinsos-surabaya"))
    text = (
        "nip,competency,level,assessed_on\n"
        f"{a.nip},integritas,3,{YESTERDAY}\n"  # row 2: good
        f"199999999999999999,integritas,3,{YESTERDAY}\n"  # row 3: unknown NIP
        f"{a.nip},integrity,3,{YESTERDAY}\n"  # row 4: unknown code
        f"{a.nip},komunikasi,6,{YESTERDAY}\n"  # row 5: level
        f"{a.nip},komunikasi,3,31/03/2026\n"  # row 6: date format
        f"{a.nip},komunikasi,3,{TOMORROW}\n"  # row 7: future
        f"{outsider.nip},integritas,3,{YESTERDAY}\n"  # row 8: outside the scope
        f"{a.nip},komunikasi,3\n"  # row 9: columns
    )
    errors = errors_of(text, hr)

    by_row = {(error["row"], error["column"]) for error in errors}
    assert by_row == {
        (3, "nip"),
        (4, "competency"),
        (5, "level"),
        (6, "assessed_on"),
        (7, "assessed_on"),
        (8, "nip"),
        (9, ""),
    }
    messages = {error["row"]: error["message"] for error in errors}
    assert "199999999999999999" in messages[3]
    assert "integrity" in messages[4]
    assert "YYYY-MM-DD" in messages[6]
    assert outsider.nip in messages[8]
    assert [error["row"] for error in errors] == sorted(error["row"] for error in errors)


def test_government_wide_hr_imports_for_every_agency(staff):
    everywhere = UserFactory()
    role(everywhere, Role.HR)
    outsider = EmployeeFactory(agency=agency("dinsos-surabaya"))
    text = (
        "nip,competency,level,assessed_on\n"
        f"{staff[0].nip},integritas,3,{YESTERDAY}\n"
        f"{outsider.nip},integritas,2,{YESTERDAY}\n"
    )
    assert assessments_import(file=upload(text), actor=everywhere).imported == 2


def test_only_hr_may_import(staff):
    officer = staff[0].user
    with pytest.raises(DomainError) as error:
        assessments_import(
            file=upload(
                f"nip,competency,level,assessed_on\n{staff[1].nip},integritas,3,{YESTERDAY}\n"
            ),
            actor=officer,
        )
    assert error.value.status == 403


@pytest.mark.parametrize(
    ("name", "content_type", "data", "code"),
    [
        ("penilaian.xlsx", "application/vnd.openxmlformats", b"PK\x03\x04", "not_csv"),
        ("penilaian.csv", "application/pdf", b"nip", "not_csv"),
        ("penilaian.csv", "text/csv", b"nip,\x00\x01", "not_csv"),
        (
            "penilaian.csv",
            "text/csv",
            "nip,competency,level,assessed_on\nÄ".encode("latin-1"),
            "not_utf8",
        ),
        ("penilaian.csv", "text/csv", b"", "empty"),
        ("penilaian.csv", "text/csv", b"nip,competency,level,assessed_on\n", "empty"),
        ("penilaian.csv", "text/csv", b"nip,kompetensi,tingkat,tanggal\n1,2,3,4\n", "bad_header"),
    ],
)
def test_file_level_problems(hr, name, content_type, data, code):
    with pytest.raises(DomainError) as error:
        assessments_import(file=SimpleUploadedFile(name, data, content_type=content_type), actor=hr)
    assert error.value.code == code


def test_a_file_over_two_megabytes_is_refused(hr):
    big = b"nip,competency,level,assessed_on\n" + b"x" * (2 * 1024 * 1024)
    with pytest.raises(DomainError) as error:
        assessments_import(file=SimpleUploadedFile("a.csv", big, content_type="text/csv"), actor=hr)
    assert error.value.code == "too_large"


def test_the_template_is_a_valid_header(hr):
    header = import_template().splitlines()[0]
    assert header == "nip,competency,level,assessed_on,evidence"


def test_the_import_reads_few_queries_whatever_its_size(hr, django_assert_max_num_queries):
    employees = [EmployeeFactory(agency=agency("dukcapil-surabaya")) for _ in range(3)]
    lines = ["nip,competency,level,assessed_on"]
    for employee in employees:
        for code in ("integritas", "komunikasi", "kerja-sama", "perekat-bangsa"):
            lines.append(f"{employee.nip},{code},3,{YESTERDAY}")
    # Roles, employees, competencies, one insert, and one audit event per employee (with
    # its savepoint).
    with django_assert_max_num_queries(6 + 3 * 3):
        result = assessments_import(file=upload("\n".join(lines)), actor=hr)
    assert result.imported == 12
