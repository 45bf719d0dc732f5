"""Compliance with the 20 JP (Learn: "a unit head and HR see compliance per unit, who is behind,
and can export it"): per unit the employees, how many reached 20 JP in the year, the share
and the average, from the ledger's sums; who is behind, furthest first, a page at a time;
CSV and XLSX exports per employee (NIP, name, unit, JP, remaining). A unit head sees their
units, HR their agency, government-wide HR everything; views and exports are audited."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from satupintu.accounts.constants import Role
from satupintu.core.errors import Forbidden
from satupintu.core.models import AuditEvent
from satupintu.learning.constants import JpSource
from satupintu.learning.selectors.compliance import (
    compliance_by_unit,
    compliance_rows,
    compliance_summary,
    learners_behind,
)
from satupintu.learning.services import jp_credit
from tests.learning.factories import AgencyFactory, UnitFactory, make_learner, make_staff

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def credit(learner, jp, *, key="x", year=YEAR):
    jp_credit(
        learner=learner,
        jp=Decimal(jp),
        source=JpSource.ADJUSTMENT,
        key=key,
        occurred_on=datetime.date(year, 3, 1),
    )


@pytest.fixture
def world():
    """Agency A with units A1 (three employees) and A2 (one), and agency B with one."""
    agency_a, agency_b = AgencyFactory(), AgencyFactory()
    a1, a2 = UnitFactory(agency=agency_a, name_id="A1"), UnitFactory(agency=agency_a, name_id="A2")
    b1 = UnitFactory(agency=agency_b, name_id="B1")
    done = make_learner(unit=a1, first_name="Ayu", last_name="Lestari")
    half = make_learner(unit=a1, first_name="Budi", last_name="Santoso")
    none = make_learner(unit=a1, first_name="Citra", last_name="Dewi")
    other_unit = make_learner(unit=a2, first_name="Dani", last_name="Pratama")
    other_agency = make_learner(unit=b1, first_name="Eka", last_name="Saputra")
    credit(done, 12, key="a")
    credit(done, 9, key="b")  # 21: reached
    credit(half, "7.5")
    credit(half, 30, key="old", year=YEAR - 1)  # last year's does not count this year
    credit(other_unit, 20)  # exactly 20: reached
    credit(other_agency, 25)
    return locals()


def by_label(rows):
    return {row.label: row for row in rows}


def test_figures_per_unit_from_the_ledger(world, django_assert_max_num_queries):
    hr = make_staff(Role.HR, agency=world["agency_a"])
    with django_assert_max_num_queries(5):
        rows = compliance_by_unit(user=hr, year=YEAR)
    units = by_label(rows)
    # HR's own employee profile sits in a unit of its own.
    a1, a2 = units["A1"], units["A2"]
    assert (a1.employees, a1.reached, a1.behind) == (3, 1, 2)
    assert a1.average_jp == Decimal("9.5")  # (21 + 7.5 + 0) / 3
    assert a1.percent == Decimal("33.3")
    assert (a2.employees, a2.reached, a2.percent) == (1, 1, Decimal(100))
    assert "B1" not in units
    summary = compliance_summary([a1, a2])
    assert (summary.employees, summary.reached, summary.percent) == (4, 2, Decimal(50))


def test_inactive_accounts_do_not_count(world):
    hr = make_staff(Role.HR, agency=world["agency_a"])
    world["none"].is_active = False
    world["none"].save()
    assert by_label(compliance_by_unit(user=hr, year=YEAR))["A1"].employees == 2


def test_scopes(world):
    head = make_staff(Role.UNIT_HEAD, unit=world["a1"])
    assert set(by_label(compliance_by_unit(user=head, year=YEAR))) == {"A1"}
    everywhere = make_staff(Role.HR)
    assert {"A1", "A2", "B1"} <= set(by_label(compliance_by_unit(user=everywhere, year=YEAR)))
    with pytest.raises(Forbidden):
        compliance_by_unit(user=world["done"], year=YEAR)
    with pytest.raises(Forbidden):
        learners_behind(user=make_staff(Role.TRAINER), year=YEAR)


def test_who_is_behind_furthest_first_a_page_at_a_time(world):
    head = make_staff(Role.UNIT_HEAD, unit=world["a1"])
    first = learners_behind(user=head, year=YEAR, limit=2)
    # The head is an employee of A1 too, with 0 JP.
    assert [s.jp for s in first.items] == [Decimal(0), Decimal(0)]
    assert first.has_next
    second = learners_behind(user=head, year=YEAR, limit=2, cursor=first.next_cursor)
    assert [(s.name, s.jp, s.remaining) for s in second.items] == [
        ("Budi Santoso", Decimal("7.5"), Decimal("12.5"))
    ]
    assert not second.has_next
    names = {s.name for s in first.items + second.items}
    assert "Ayu Lestari" not in names  # reached 20
    # A cursor that cannot be read is the first page.
    assert learners_behind(user=head, year=YEAR, limit=2, cursor="rubbish").items == first.items


def test_every_employee_for_the_export(world):
    hr = make_staff(Role.HR, agency=world["agency_a"], unit=world["a2"])
    rows = {s.name: s for s in compliance_rows(user=hr, year=YEAR, unit=world["a1"])}
    assert set(rows) == {"Ayu Lestari", "Budi Santoso", "Citra Dewi"}
    assert rows["Ayu Lestari"].remaining == 0 and rows["Ayu Lestari"].reached


def test_the_page_and_its_exports(client, world, django_assert_max_num_queries):
    hr = make_staff(Role.HR, agency=world["agency_a"])
    client.force_login(hr)
    url = reverse("learning:hr_compliance")
    client.get(url)  # warm up the session
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Citra Dewi" in text and "Budi Santoso" in text and "Eka Saputra" not in text
    assert AuditEvent.objects.filter(action="learning.compliance_viewed", actor=hr).exists()

    unit_query = {"tahun": YEAR, "unit": str(world["a1"].public_id)}
    response = client.get(reverse("learning:hr_compliance_csv"), unit_query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"jp-{YEAR}-" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 4  # the heading and A1's three employees
    ayu = next(row for row in rows if row[1] == "Ayu Lestari")
    assert ayu[0] == world["done"].employee.nip
    assert ayu[4:7] == ["21.0", "0.0", "ya"]
    budi = next(row for row in rows if row[1] == "Budi Santoso")
    assert budi[4:7] == ["7.5", "12.5", "tidak"]

    workbook_response = client.get(reverse("learning:hr_compliance_xlsx"), {"tahun": YEAR})
    assert workbook_response.status_code == 200
    workbook = load_workbook(io.BytesIO(workbook_response.content))
    sheet = workbook.worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    names = [row[1] for row in values[1:]]
    assert "Dani Pratama" in names and "Eka Saputra" not in names
    assert len(workbook.worksheets) == 2
    exports = AuditEvent.objects.filter(action="learning.compliance_exported", actor=hr)
    assert {event.details["format"] for event in exports} == {"csv", "xlsx"}


def test_a_unit_head_cannot_export_another_unit(client, world):
    head = make_staff(Role.UNIT_HEAD, unit=world["a2"])
    client.force_login(head)
    response = client.get(
        reverse("learning:unit_compliance_csv"), {"unit": str(world["a1"].public_id)}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    # The unit is not theirs: the export falls back to their own unit only.
    assert "Ayu Lestari" not in body and "Dani Pratama" in body
    assert client.get(reverse("learning:hr_compliance")).status_code == 403
