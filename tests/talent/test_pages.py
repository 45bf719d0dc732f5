"""The competency pages (issue: Learn — competencies): "my competency profile" shows the
position, JPM and its band, and the requirements with the largest gap first, each gap
linking to the learning catalogue; the framework with levels and indicators; HR enter one
assessment or import a CSV file; a unit head sees the unit's employees with their JPM and
largest gap, paged by keyset. Employees only; HR and unit pages need the role, scoped to
the agency or unit; HR and unit heads' views and changes are audited."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts.constants import Role
from satupintu.core.models import AuditEvent
from satupintu.talent import views
from satupintu.talent.models import Assessment
from tests.talent.factories import (
    CompetencyFactory,
    EmployeeFactory,
    UserFactory,
    agency,
    assess,
    place,
    position_with,
    role,
    unit,
)

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def employee():
    employee = EmployeeFactory(agency=agency("dukcapil-surabaya"), unit=unit())
    place(employee, position_with({"integritas": 3, "komunikasi": 4, "kerja-sama": 2}))
    assess(employee, "integritas", 3)
    assess(employee, "komunikasi", 1)
    return employee


@pytest.fixture
def hr():
    user = UserFactory()
    role(user, Role.HR, agency=agency("dukcapil-surabaya"))
    return user


def citizen():
    return UserFactory()


# My competencies -----------------------------------------------------------------------------


def test_my_profile_shows_jpm_and_gaps_largest_first(client, employee):
    client.force_login(employee.user)
    response = client.get(reverse("talent:mine"))

    assert response.status_code == 200
    html = response.content.decode()
    # (3 + 1 + 0) / (3 + 4 + 2) = 44.44 %
    assert "44,44%" in html  # Indonesian decimal comma
    assert "Kurang optimal" in html or "Less optimal" in html
    rows = [gap.competency.code for gap in response.context["overview"].gaps]
    assert rows == ["komunikasi", "kerja-sama", "integritas"]
    assert html.index("Komunikasi") < html.index("Kerja Sama") < html.index("Integritas</a>")
    assert "/belajar/katalog/?kompetensi=komunikasi" in html
    assert "/belajar/katalog/?kompetensi=kerja-sama" in html
    # A requirement that is met has nothing to learn.
    assert "kompetensi=integritas" not in html
    assert 'class="level-bar"' in html


def test_my_profile_without_a_position(client):
    lonely = EmployeeFactory()
    client.force_login(lonely.user)
    response = client.get(reverse("talent:mine"))
    assert response.status_code == 200
    assert response.context["overview"].placement is None


def test_my_profile_in_english(client, employee):
    client.force_login(employee.user)
    response = client.get("/en" + reverse("talent:mine"))
    assert response.status_code == 200
    assert "Communication" in response.content.decode()


def test_citizens_are_refused_and_visitors_sign_in(client):
    response = client.get(reverse("talent:mine"))
    assert response.status_code == 302
    client.force_login(citizen())
    for url in (
        reverse("talent:mine"),
        reverse("talent:framework"),
        reverse("talent:competency", args=["integritas"]),
        reverse("talent:assessment_new"),
        reverse("talent:import"),
        reverse("talent:unit"),
    ):
        assert client.get(url).status_code == 403, url


def test_my_profile_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def count(requirements: int) -> int:
        employee = EmployeeFactory()
        place(employee, position_with({CompetencyFactory(): 3 for _ in range(requirements)}))
        for requirement in employee.placement.position.requirements.all():
            assess(employee, requirement.competency, 2)
        client.force_login(employee.user)
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("talent:mine")).status_code == 200
        return len(context.captured_queries)

    assert count(2) == count(10)


# The framework -------------------------------------------------------------------------------


def test_the_framework_lists_groups_and_filters_by_agency(client, employee):
    technical = CompetencyFactory(agency=agency("dukcapil-surabaya"))
    other = CompetencyFactory(agency=agency("dinsos-surabaya"))
    client.force_login(employee.user)

    html = client.get(reverse("talent:framework")).content.decode()
    assert "Integritas" in html and "Perekat Bangsa" in html
    assert technical.name_id in html and other.name_id in html

    html = client.get(reverse("talent:framework"), {"instansi": "dinsos-surabaya"}).content.decode()
    assert other.name_id in html and technical.name_id not in html
    assert "Integritas" in html

    html = client.get(reverse("talent:framework"), {"kelompok": "technical"}).content.decode()
    assert "Integritas</a>" not in html and technical.name_id in html


def test_a_competency_shows_five_levels_with_indicators(client, employee):
    client.force_login(employee.user)
    response = client.get(reverse("talent:competency", args=["integritas"]))
    assert response.status_code == 200
    assert [level.level for level in response.context["levels"]] == [1, 2, 3, 4, 5]
    html = response.content.decode()
    assert response.context["levels"][0].indicators[0] in html
    assert client.get(reverse("talent:competency", args=["tidak-ada"])).status_code == 404


# Human resources: one assessment -------------------------------------------------------------


def form_data(employee, **changes):
    return {
        "nip": employee.nip,
        "competency": "komunikasi",
        "level": "3",
        "assessed_on": YESTERDAY.isoformat(),
        "evidence": "Uji kompetensi Mei",
        **changes,
    }


def test_hr_records_an_assessment(client, hr, employee):
    client.force_login(hr)
    assert client.get(reverse("talent:assessment_new")).status_code == 200

    response = client.post(reverse("talent:assessment_new"), form_data(employee))

    assert response.status_code == 302
    assert response.url == reverse("talent:employee", args=[employee.public_id])
    latest = Assessment.objects.filter(employee=employee).order_by("-id").first()
    assert (latest.competency.code, latest.level, latest.source, latest.assessor) == (
        "komunikasi",
        3,
        "entered",
        hr,
    )
    assert AuditEvent.objects.filter(
        action="talent.assessment_recorded", actor=hr, subject=employee.user
    ).exists()


def test_the_form_keeps_input_and_says_what_is_wrong(client, hr, employee):
    outsider = EmployeeFactory(agency=agency("dinsos-surabaya"))
    client.force_login(hr)

    response = client.post(reverse("talent:assessment_new"), form_data(outsider))
    assert response.status_code == 400
    assert "NIP" in " ".join(response.context["form"].errors["nip"])
    html = response.content.decode()
    assert outsider.nip in html and "Uji kompetensi Mei" in html
    assert 'aria-invalid="true"' in html

    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("talent:assessment_new"), form_data(employee, assessed_on=tomorrow, level="")
    )
    assert set(response.context["form"].errors) == {"assessed_on", "level"}
    assert not Assessment.objects.filter(
        employee=employee, competency__code="komunikasi", level=3
    ).exists()


def test_agency_hr_cannot_choose_another_agencys_technical_competency(client, hr, employee):
    other = CompetencyFactory(agency=agency("dinsos-surabaya"))
    client.force_login(hr)
    response = client.post(
        reverse("talent:assessment_new"), form_data(employee, competency=other.code)
    )
    assert "competency" in response.context["form"].errors


def test_an_employee_without_the_hr_role_is_refused(client, employee):
    client.force_login(employee.user)
    assert client.get(reverse("talent:assessment_new")).status_code == 403
    assert client.get(reverse("talent:import")).status_code == 403


# Human resources: import ---------------------------------------------------------------------


def test_hr_imports_a_file_and_downloads_the_template(client, hr, employee):
    client.force_login(hr)
    template = client.get(reverse("talent:import_template"))
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode().startswith("nip,competency,level,assessed_on")

    data = f"nip,competency,level,assessed_on\n{employee.nip},kerja-sama,2,{YESTERDAY}\n"
    response = client.post(
        reverse("talent:import"),
        {"file": SimpleUploadedFile("a.csv", data.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(employee=employee, source="imported").count() == 1


def test_a_bad_import_lists_its_rows(client, hr, employee):
    client.force_login(hr)
    data = f"nip,competency,level,assessed_on\n{employee.nip},kerja-sama,9,{YESTERDAY}\n"
    response = client.post(
        reverse("talent:import"),
        {"file": SimpleUploadedFile("a.csv", data.encode(), content_type="text/csv")},
    )
    assert response.status_code == 400
    assert [(p["row"], p["column"]) for p in response.context["problems"]] == [(2, "level")]
    assert not Assessment.objects.filter(source="imported").exists()

    response = client.post(
        reverse("talent:import"),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


# One employee, for HR and the unit head ------------------------------------------------------


def test_hr_and_the_unit_head_see_an_employee_and_it_is_audited(client, hr, employee):
    head = UserFactory()
    role(head, Role.UNIT_HEAD, unit=employee.unit)
    url = reverse("talent:employee", args=[employee.public_id])
    for viewer in (hr, head):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert AuditEvent.objects.filter(
            action="talent.assessments_viewed", actor=viewer, subject=employee.user
        ).exists()
    assert len(response.context["history"]) == 2


def test_other_agencies_and_units_get_404_and_employees_403(client, employee):
    other_hr = UserFactory()
    role(other_hr, Role.HR, agency=agency("dinsos-surabaya"))
    other_head = UserFactory()
    role(other_head, Role.UNIT_HEAD, unit=unit("dukcapil-surabaya", "pendaftaran-penduduk"))
    url = reverse("talent:employee", args=[employee.public_id])
    for viewer in (other_hr, other_head):
        client.force_login(viewer)
        assert client.get(url).status_code == 404
    colleague = EmployeeFactory(agency=employee.agency)
    client.force_login(colleague.user)
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="talent.assessments_viewed").exists()


# The unit head's overview --------------------------------------------------------------------


def test_the_unit_page_lists_the_units_employees_with_jpm_and_largest_gap(client, employee):
    head = UserFactory()
    role(head, Role.UNIT_HEAD, unit=employee.unit)
    elsewhere = EmployeeFactory(unit=unit("dukcapil-surabaya", "pendaftaran-penduduk"))
    client.force_login(head)

    response = client.get(reverse("talent:unit"))

    assert response.status_code == 200
    rows = {row.employee.pk: row for row in response.context["page"].rows}
    assert employee.pk in rows and elsewhere.pk not in rows
    row = rows[employee.pk]
    assert str(row.jpm) == "44.44"
    assert row.largest.competency.code == "komunikasi"
    event = AuditEvent.objects.get(action="talent.unit_overview_viewed", actor=head)
    assert str(employee.public_id) in event.details["employees"]


def test_the_unit_page_is_keyset_paged(client, monkeypatch):
    head = UserFactory()
    the_unit = unit("dinsos-surabaya", "rehsos")
    role(head, Role.UNIT_HEAD, unit=the_unit)
    staff = [EmployeeFactory(agency=the_unit.agency, unit=the_unit) for _ in range(5)]
    monkeypatch.setattr(views, "UNIT_PAGE_SIZE", 2)
    client.force_login(head)
    seen, url, pages = [], reverse("talent:unit"), 0
    while url:
        response = client.get(url)
        seen += [row.employee.pk for row in response.context["page"].rows]
        url = response.context["next_url"] and reverse("talent:unit") + response.context["next_url"]
        pages += 1
    assert seen == [employee.pk for employee in staff]
    assert pages == 3
    assert "setelah=" in client.get(reverse("talent:unit")).context["next_url"]
    assert (
        str(staff[0].pk) not in client.get(reverse("talent:unit")).context["next_url"].split("=")[1]
    )


def test_the_unit_page_reads_the_same_queries_for_few_or_many(client):
    def count(size: int) -> int:
        head = UserFactory()
        the_unit = unit("dinkes-surabaya", ["sdk", "kesmas", "p2p"][size % 3])
        role(head, Role.UNIT_HEAD, unit=the_unit)
        position = position_with({"integritas": 3, "komunikasi": 3}, agency_code="dinkes-surabaya")
        for _ in range(size):
            member = EmployeeFactory(agency=the_unit.agency, unit=the_unit)
            place(member, position)
            assess(member, "integritas", 2)
            assess(member, "integritas", 1, on=datetime.date(2020, 1, 1))
        client.force_login(head)
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("talent:unit"))
        assert len(response.context["page"].rows) == size
        return len(context.captured_queries)

    few, many = count(2), count(10)
    assert few == many
    assert many <= 16


def test_only_unit_heads_see_the_unit_page(client, hr, employee):
    for user in (hr, employee.user):
        client.force_login(user)
        assert client.get(reverse("talent:unit")).status_code == 403
