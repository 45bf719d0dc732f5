"""Compliance with the yearly right to 20 JP of competency development, per unit and per
employee, for unit heads and HR.

A unit head sees the units they head; HR of an agency the whole agency; HR of the whole
government every agency. Everything is computed by the database: the JP of each employee is
the SUM of their ledger entries for the year (one grouped subquery), and the figures per unit
aggregate those sums — never a loop over employees.

Only active accounts count as employees. An employee without a unit is counted under their
agency with no unit.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from satupintu.accounts.models import EmployeeProfile
from satupintu.core.errors import Forbidden, NotFound
from satupintu.learning.constants import YEARLY_JP_RIGHT
from satupintu.learning.models import JpEntry
from satupintu.learning.selectors.access import LearningAccess, learning_access
from satupintu.learning.selectors.keyset import PAGE_SIZE, Page, after_q, cursor_decode, paginate
from satupintu.organisations.models import Agency, Unit

JP_FIELD = DecimalField(max_digits=9, decimal_places=1)
ZERO = Decimal(0)


def _refused() -> Forbidden:
    return Forbidden(
        _("Compliance with the 20 JP is for unit heads and human resources."),
        code="learning_staff_only",
    )


def _access(user) -> LearningAccess:
    access = learning_access(user)
    if not access.manages_people:
        raise _refused()
    return access


def _jp_of_year(year: int) -> Coalesce:
    """Each employee's JP of ``year``: the sum of their ledger entries, 0 without any."""
    totals = (
        JpEntry.objects.filter(learner_id=OuterRef("user_id"), year=year)
        .order_by()
        .values("learner_id")
        .annotate(total=Sum("jp"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=JP_FIELD), Value(ZERO), output_field=JP_FIELD)


def employees_in_scope(*, user, unit: Unit | None = None) -> QuerySet[EmployeeProfile]:
    """The active employees whose learning ``user`` sees as HR or unit head (of ``unit``
    only, when given: one of theirs)."""
    access = _access(user)
    employees = EmployeeProfile.objects.filter(access.employee_q(), user__is_active=True)
    if unit is not None:
        employees = employees.filter(unit_id=unit.pk)
    return employees


def unit_get_for_compliance(*, user, public_id) -> Unit:
    """A unit whose employees ``user`` sees (HR of its agency, or its head)."""
    access = _access(user)
    units = Unit.objects.select_related("agency").filter(public_id=public_id)
    if not access.hr_everywhere:
        units = units.filter(
            Q(agency_id__in=sorted(access.hr_agency_ids)) | Q(pk__in=sorted(access.unit_ids))
        )
    found = units.first()
    if found is None:
        raise NotFound(_("There is no such unit among those you see."))
    return found


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class UnitCompliance:
    """One unit's compliance for a year: its employees, how many reached the 20 JP, their
    share in percent, and the average JP."""

    agency: Agency
    unit: Unit | None
    employees: int
    reached: int
    average_jp: Decimal

    @property
    def behind(self) -> int:
        return self.employees - self.reached

    @property
    def percent(self) -> Decimal:
        return _percent(self.reached, self.employees)

    @property
    def label(self) -> str:
        return self.unit.name if self.unit else _("No unit")


@dataclass
class ComplianceSummary:
    """The totals of several units."""

    employees: int
    reached: int
    average_jp: Decimal

    @property
    def behind(self) -> int:
        return self.employees - self.reached

    @property
    def percent(self) -> Decimal:
        return _percent(self.reached, self.employees)


def compliance_by_unit(*, user, year: int, agency: Agency | None = None) -> list[UnitCompliance]:
    """For every unit (of ``agency`` only, when given) whose employees ``user`` sees: the
    number of employees, how many have at least 20 JP in ``year``, and the average JP; by
    agency, then unit name. Three queries whatever the number of employees."""
    employees = employees_in_scope(user=user)
    if agency is not None:
        employees = employees.filter(agency_id=agency.pk)
    right = YEARLY_JP_RIGHT
    rows = list(
        employees.annotate(jp_total=_jp_of_year(year))
        .values("agency_id", "unit_id")
        .annotate(
            headcount=Count("id"),
            reached=Count("id", filter=Q(jp_total__gte=right)),
            average=Avg("jp_total", output_field=JP_FIELD),
        )
        .order_by()
    )
    agencies = Agency.objects.in_bulk({row["agency_id"] for row in rows})
    units = Unit.objects.in_bulk({row["unit_id"] for row in rows if row["unit_id"]})
    found = [
        UnitCompliance(
            agency=agencies[row["agency_id"]],
            unit=units.get(row["unit_id"]) if row["unit_id"] else None,
            employees=row["headcount"],
            reached=row["reached"],
            average_jp=Decimal(row["average"] or 0).quantize(Decimal("0.1"), ROUND_HALF_UP),
        )
        for row in rows
    ]
    found.sort(
        key=lambda item: (
            item.agency.name_id,
            item.unit is None,
            item.unit.name_id if item.unit else "",
            item.unit.pk if item.unit else 0,
        )
    )
    return found


def compliance_summary(rows: list[UnitCompliance]) -> ComplianceSummary:
    """The totals of ``rows`` (the average weighted by each unit's employees)."""
    employees = sum(row.employees for row in rows)
    reached = sum(row.reached for row in rows)
    weighted = sum((row.average_jp * row.employees for row in rows), ZERO)
    average = (weighted / employees).quantize(Decimal("0.1"), ROUND_HALF_UP) if employees else ZERO
    return ComplianceSummary(employees=employees, reached=reached, average_jp=average)


@dataclass
class Standing:
    """Where one employee stands against the 20 JP in a year."""

    employee: EmployeeProfile
    jp: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(YEARLY_JP_RIGHT - self.jp, ZERO)

    @property
    def reached(self) -> bool:
        return self.jp >= YEARLY_JP_RIGHT

    @property
    def name(self) -> str:
        user = self.employee.user
        return user.get_full_name() or user.username


def _standings(user, year: int, unit: Unit | None) -> QuerySet[EmployeeProfile]:
    return (
        employees_in_scope(user=user, unit=unit)
        .annotate(jp_total=_jp_of_year(year))
        .select_related("user", "unit", "agency")
    )


def learners_behind(
    *,
    user,
    year: int,
    unit: Unit | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page[Standing]:
    """The employees ``user`` sees (of ``unit`` only, when given) who have fewer than 20 JP
    in ``year``: the furthest behind first, a page of ``limit`` after ``cursor``. One query
    per page."""
    employees = _standings(user, year, unit).filter(jp_total__lt=YEARLY_JP_RIGHT)
    key = cursor_decode(cursor, Decimal, int)
    if key is not None:
        employees = employees.filter(after_q(["jp_total", "id"], key))
    rows = [
        Standing(employee=employee, jp=Decimal(employee.jp_total))
        for employee in employees.order_by("jp_total", "id")[: limit + 1]
    ]
    return paginate(rows, limit, lambda standing: (standing.jp, standing.employee.pk))


def compliance_rows(*, user, year: int, unit: Unit | None = None) -> Iterator[Standing]:
    """Every employee ``user`` sees (of ``unit`` only, when given) with their JP of
    ``year``, by agency, unit and name: for the exports. Read in chunks."""
    employees = _standings(user, year, unit).order_by(
        "agency__name_id", "unit__name_id", "user__first_name", "user__last_name", "id"
    )
    for employee in employees.iterator(chunk_size=500):
        yield Standing(employee=employee, jp=Decimal(employee.jp_total))
