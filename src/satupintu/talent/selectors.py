"""Reads of the competency framework and of where employees stand against it.

Everything about an employee's competencies is their own to see; human resources of their
agency (or of the whole government) and the head of their unit see it too. Anything outside
the caller's scope is "not found", never "forbidden": the answer does not reveal that it
exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Role
from satupintu.accounts.models import EmployeeProfile, RoleAssignment
from satupintu.core.errors import NotFound
from satupintu.organisations.models import Agency
from satupintu.talent.constants import AssessmentSource, CompetencyGroup, JpmBand
from satupintu.talent.models import (
    Assessment,
    Competency,
    CompetencyLevel,
    Placement,
    Position,
    PositionRequirement,
)

if TYPE_CHECKING:
    from satupintu.accounts.models import User

# Job-person match bands (REFERENCE: optimal ≥ 90, fairly optimal 78–90, less optimal < 78).
JPM_OPTIMAL_DEFAULT = Decimal(90)
JPM_FAIRLY_OPTIMAL_DEFAULT = Decimal(78)

# The order of the groups on every page: managerial, socio-cultural, then technical.
GROUP_ORDER = {
    CompetencyGroup.MANAGERIAL: 0,
    CompetencyGroup.SOCIO_CULTURAL: 1,
    CompetencyGroup.TECHNICAL: 2,
}


def _competency_key(competency: Competency) -> tuple:
    return (GROUP_ORDER.get(competency.group, 9), competency.code)


# The framework -------------------------------------------------------------------------------


def competency_list(
    *, group: str | None = None, agency: Agency | str | None = None
) -> QuerySet[Competency]:
    """Active competencies, in the framework's order (group, code).

    ``group`` keeps one group; ``agency`` (an ``Agency`` or its code) keeps the technical
    dictionary of that agency.
    """
    competencies = Competency.objects.filter(is_active=True).select_related("agency")
    if group:
        competencies = competencies.filter(group=group)
    if isinstance(agency, Agency):
        competencies = competencies.filter(agency=agency)
    elif agency:
        competencies = competencies.filter(agency__code=agency)
    return competencies.order_by("group", "code")


def framework_list(*, group: str | None = None, agency: Agency | None = None) -> list[Competency]:
    """What the framework page lists: every active competency (of ``group`` if given); with
    ``agency``, that agency's technical dictionary beside the competencies every position
    shares. Technical ones by agency, then by code."""
    competencies = competency_list(group=group)
    if agency is not None:
        competencies = competencies.filter(Q(agency=agency) | Q(agency__isnull=True))
    return list(competencies.order_by("group", "agency__name_id", "code"))


FRAMEWORK_PAGE_SIZE = 50
# The framework's order: group, then the agency of a technical competency (none first), code.
FrameworkKey = tuple[str, str, str]


@dataclass(frozen=True)
class FrameworkPage:
    competencies: list[Competency]
    next_after: FrameworkKey | None  # the key of the last row, or None on the last page


def framework_page(
    *,
    group: str | None = None,
    agency: Agency | None = None,
    after: FrameworkKey | None = None,
    size: int = FRAMEWORK_PAGE_SIZE,
) -> FrameworkPage:
    """A page of what ``framework_list`` lists, after the key ``after`` (keyset on group,
    agency name and code: the dictionaries of many agencies make a long list). One query."""
    competencies = competency_list(group=group).annotate(
        agency_name=Coalesce("agency__name_id", Value(""))
    )
    if agency is not None:
        competencies = competencies.filter(Q(agency=agency) | Q(agency__isnull=True))
    if after is not None:
        group_key, agency_key, code_key = after
        competencies = competencies.filter(
            Q(group__gt=group_key)
            | Q(group=group_key, agency_name__gt=agency_key)
            | Q(group=group_key, agency_name=agency_key, code__gt=code_key)
        )
    page = list(competencies.order_by("group", "agency_name", "code")[: size + 1])
    last = page[size - 1] if len(page) > size else None
    return FrameworkPage(
        page[:size], (last.group, last.agency_name, last.code) if last is not None else None
    )


def dictionary_agencies() -> list[Agency]:
    """The agencies that have a technical dictionary (an active competency of their own)."""
    return list(
        Agency.objects.filter(
            pk__in=Competency.objects.filter(is_active=True, agency__isnull=False).values(
                "agency_id"
            )
        ).order_by("name_id")
    )


def competency_get(*, code: str) -> Competency:
    """The active competency ``code`` with its levels prefetched (in order)."""
    competency = (
        Competency.objects.filter(code=code, is_active=True)
        .select_related("agency")
        .prefetch_related(Prefetch("levels", queryset=CompetencyLevel.objects.order_by("level")))
        .first()
    )
    if competency is None:
        raise NotFound(
            _("There is no competency with this code. Choose one from the competency list.")
        )
    return competency


def position_list(*, agency: Agency | str | None = None) -> QuerySet[Position]:
    """Positions with their requirements (and each requirement's competency) prefetched."""
    positions = Position.objects.select_related("agency").prefetch_related(
        Prefetch(
            "requirements",
            queryset=PositionRequirement.objects.select_related("competency").order_by(
                "competency__group", "competency__code"
            ),
        )
    )
    if isinstance(agency, Agency):
        positions = positions.filter(agency=agency)
    elif agency:
        positions = positions.filter(agency__code=agency)
    return positions.order_by("agency__code", "code")


def placement_of(*, employee: EmployeeProfile) -> Placement | None:
    """The employee's placement with its position, or None."""
    return (
        Placement.objects.filter(employee_id=employee.pk).select_related("position__agency").first()
    )


# One employee --------------------------------------------------------------------------------


def _latest_q() -> Q:
    """Assessments that are the latest of their employee and competency (by date, then
    when they were recorded, then id)."""
    newest = (
        Assessment.objects.filter(
            employee_id=OuterRef("employee_id"), competency_id=OuterRef("competency_id")
        )
        .order_by("-assessed_on", "-created_at", "-id")
        .values("id")[:1]
    )
    return Q(id=Subquery(newest))


def latest_assessments(*, employee_ids) -> QuerySet[Assessment]:
    """The current assessment of every (employee, competency) among ``employee_ids``."""
    return Assessment.objects.filter(employee_id__in=employee_ids).filter(_latest_q())


def competency_profile(*, employee: EmployeeProfile) -> list[Assessment]:
    """The employee's current level of every competency they were assessed in: the latest
    assessment of each (by ``assessed_on``, then ``created_at``), with its competency, in
    the framework's order. One query."""
    current = list(
        latest_assessments(employee_ids=[employee.pk]).select_related("competency", "assessor")
    )
    return sorted(current, key=lambda assessment: _competency_key(assessment.competency))


@dataclass(frozen=True)
class Gap:
    """How far an employee is from one requirement of their position."""

    competency: Competency
    required: int
    actual: int | None  # None: never assessed
    gap: int  # required − (actual or 0), never below 0
    source: str | None
    assessed_on: datetime.date | None

    @property
    def met(self) -> bool:
        return self.gap == 0

    @property
    def source_label(self) -> str:
        return str(AssessmentSource(self.source).label) if self.source else ""


def _gaps(requirements, current: dict[int, Assessment]) -> list[Gap]:
    gaps = []
    for requirement in requirements:
        assessment = current.get(requirement.competency_id)
        actual = assessment.level if assessment else None
        gaps.append(
            Gap(
                competency=requirement.competency,
                required=requirement.level,
                actual=actual,
                gap=max(requirement.level - (actual or 0), 0),
                source=assessment.source if assessment else None,
                assessed_on=assessment.assessed_on if assessment else None,
            )
        )
    gaps.sort(key=lambda gap: (-gap.gap, *_competency_key(gap.competency)))
    return gaps


def competency_gaps(*, employee: EmployeeProfile) -> list[Gap]:
    """Every requirement of the employee's position against their current level: the
    largest gap first, then in the framework's order. Empty without a position. Two queries,
    whatever the number of requirements."""
    requirements = list(
        PositionRequirement.objects.filter(position__placements__employee_id=employee.pk)
        .select_related("competency")
        .order_by()
    )
    if not requirements:
        return []
    current = {
        assessment.competency_id: assessment
        for assessment in latest_assessments(employee_ids=[employee.pk]).filter(
            competency_id__in=[requirement.competency_id for requirement in requirements]
        )
    }
    return _gaps(requirements, current)


def jpm_of(gaps: list[Gap]) -> Decimal | None:
    """The job-person match of a list of gaps: Σ min(actual, required) ÷ Σ required × 100,
    two decimals (half up). A level above the requirement does not make up for a gap
    elsewhere; a competency never assessed counts as 0. None without requirements."""
    required = sum(gap.required for gap in gaps)
    if not required:
        return None
    reached = sum(min(gap.actual or 0, gap.required) for gap in gaps)
    return (Decimal(reached) * 100 / Decimal(required)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def job_person_match(*, employee: EmployeeProfile) -> Decimal | None:
    """The employee's job-person match in percent (see ``jpm_of``); None without a
    position (or when their position requires nothing)."""
    return jpm_of(competency_gaps(employee=employee))


def jpm_band(jpm: Decimal | None) -> JpmBand | None:
    """The band of a job-person match. The thresholds are the settings
    ``TALENT_JPM_OPTIMAL`` (default 90) and ``TALENT_JPM_FAIRLY_OPTIMAL`` (default 78)."""
    if jpm is None:
        return None
    optimal = Decimal(str(getattr(settings, "TALENT_JPM_OPTIMAL", JPM_OPTIMAL_DEFAULT)))
    fairly = Decimal(
        str(getattr(settings, "TALENT_JPM_FAIRLY_OPTIMAL", JPM_FAIRLY_OPTIMAL_DEFAULT))
    )
    if jpm >= optimal:
        return JpmBand.OPTIMAL
    if jpm >= fairly:
        return JpmBand.FAIRLY_OPTIMAL
    return JpmBand.LESS_OPTIMAL


@dataclass(frozen=True)
class CompetencyOverview:
    """What an employee sees on "my competencies"."""

    employee: EmployeeProfile
    placement: Placement | None
    gaps: list[Gap]
    jpm: Decimal | None
    band: JpmBand | None
    # Current levels in competencies that the position does not require.
    other: list[Assessment]


def competency_overview(*, employee: EmployeeProfile) -> CompetencyOverview:
    """The employee's position, gaps (largest first), JPM and its band, and their levels in
    competencies their position does not require. A fixed number of queries."""
    placement = placement_of(employee=employee)
    profile = competency_profile(employee=employee)
    current = {assessment.competency_id: assessment for assessment in profile}
    requirements = (
        list(
            PositionRequirement.objects.filter(position_id=placement.position_id)
            .select_related("competency")
            .order_by()
        )
        if placement
        else []
    )
    gaps = _gaps(requirements, current)
    required_ids = {requirement.competency_id for requirement in requirements}
    jpm = jpm_of(gaps)
    return CompetencyOverview(
        employee=employee,
        placement=placement,
        gaps=gaps,
        jpm=jpm,
        band=jpm_band(jpm),
        other=[a for a in profile if a.competency_id not in required_ids],
    )


def assessment_history(
    *, employee: EmployeeProfile, competency: Competency | None = None, limit: int = 50
) -> list[Assessment]:
    """The employee's assessments, newest first (of one competency if given)."""
    assessments = Assessment.objects.filter(employee_id=employee.pk).select_related(
        "competency", "assessor"
    )
    if competency is not None:
        assessments = assessments.filter(competency=competency)
    return list(assessments.order_by("-assessed_on", "-created_at", "-id")[:limit])


# Who may see whom ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TalentScope:
    """The employees whose competencies ``user`` may see and assess as HR, and the units
    they head."""

    hr_everywhere: bool
    hr_agency_ids: frozenset[int]
    unit_ids: frozenset[int]

    @property
    def is_hr(self) -> bool:
        return self.hr_everywhere or bool(self.hr_agency_ids)

    @property
    def is_unit_head(self) -> bool:
        return bool(self.unit_ids)

    def hr_q(self, prefix: str = "") -> Q:
        if self.hr_everywhere:
            return Q()
        return Q(**{f"{prefix}agency_id__in": self.hr_agency_ids})

    def unit_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}unit_id__in": self.unit_ids})

    def covers_hr(self, employee: EmployeeProfile) -> bool:
        return self.hr_everywhere or employee.agency_id in self.hr_agency_ids


def talent_scope(user: User) -> TalentScope:
    """Where ``user`` works as human resources (an agency, or everywhere when the role has
    no agency) and which units they head. Read once per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return TalentScope(False, frozenset(), frozenset())
    cached = getattr(user, "_satupintu_talent_scope", None)
    if cached is not None:
        return cached
    everywhere, agencies, units = False, set(), set()
    for role, agency_id, unit_id in RoleAssignment.objects.filter(
        user_id=user.pk, role__in=(Role.HR, Role.UNIT_HEAD)
    ).values_list("role", "agency_id", "unit_id"):
        if role == Role.HR:
            if agency_id is None:
                everywhere = True
            else:
                agencies.add(agency_id)
        elif unit_id is not None:
            units.add(unit_id)
    scope = TalentScope(everywhere, frozenset(agencies), frozenset(units))
    user._satupintu_talent_scope = scope
    return scope


def employee_of(user: User) -> EmployeeProfile | None:
    """The signed-in user's employee profile, or None (a citizen, say)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return EmployeeProfile.objects.filter(user_id=user.pk).select_related("agency", "unit").first()


def framework_reader(user: User) -> bool:
    """Whether ``user`` may read the framework, the dictionaries and the positions: an
    employee, human resources, a unit head, or an agency's system (its API key)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "api_key_prefix", None):
        return True
    scope = talent_scope(user)
    return scope.is_hr or scope.is_unit_head or employee_of(user) is not None


def employee_get_for_hr(*, user: User, nip: str) -> EmployeeProfile:
    """The employee with ``nip`` if ``user`` works as HR for their agency."""
    scope = talent_scope(user)
    employee = (
        EmployeeProfile.objects.filter(scope.hr_q(), nip=(nip or "").strip())
        .select_related("user", "agency", "unit")
        .first()
        if scope.is_hr
        else None
    )
    if employee is None:
        raise NotFound(
            _(
                "No employee with this NIP works in an agency you manage. Check the 18 digits "
                "of the NIP."
            )
        )
    return employee


def employee_get_for_reviewer(*, user: User, public_id) -> EmployeeProfile:
    """The employee with ``public_id`` if ``user`` is HR of their agency or heads their
    unit."""
    scope = talent_scope(user)
    employee = None
    if scope.is_hr or scope.is_unit_head:
        q = Q(pk__in=[])
        if scope.is_hr:
            q |= scope.hr_q()
        if scope.is_unit_head:
            q |= scope.unit_q()
        employee = (
            EmployeeProfile.objects.filter(q, public_id=public_id)
            .select_related("user", "agency", "unit")
            .first()
        )
    if employee is None:
        raise NotFound(_("There is no such employee among those you may see."))
    return employee


def assessable_competencies(*, user: User) -> QuerySet[Competency]:
    """The competencies HR ``user`` may record a level of: the shared ones and the technical
    dictionaries of the agencies they work for."""
    scope = talent_scope(user)
    competencies = competency_list()
    if scope.hr_everywhere:
        return competencies
    return competencies.filter(Q(agency__isnull=True) | Q(agency_id__in=scope.hr_agency_ids))


# The unit head's overview --------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    employee: EmployeeProfile
    position: Position | None
    jpm: Decimal | None
    band: JpmBand | None
    largest: Gap | None  # the largest gap (None when every requirement is met)


@dataclass(frozen=True)
class UnitPage:
    rows: list[UnitRow]
    next_after: int | None  # the key of the next page, or None on the last page


UNIT_PAGE_SIZE = 25


def unit_overview(*, user: User, after: int | None = None, size: int = UNIT_PAGE_SIZE) -> UnitPage:
    """The employees of the units ``user`` heads, each with their JPM and largest gap, in
    pages of ``size`` by keyset on the employee's id. Four queries per page, whatever its
    size."""
    scope = talent_scope(user)
    if not scope.is_unit_head:
        return UnitPage([], None)
    employees = (
        EmployeeProfile.objects.filter(scope.unit_q())
        .select_related("user", "unit", "placement__position")
        .order_by("id")
    )
    if after:
        employees = employees.filter(id__gt=after)
    page = list(employees[: size + 1])
    next_after = page[size - 1].pk if len(page) > size else None
    page = page[:size]

    position_ids = {
        employee.placement.position_id for employee in page if _placement(employee) is not None
    }
    requirements: dict[int, list[PositionRequirement]] = {}
    for requirement in PositionRequirement.objects.filter(
        position_id__in=position_ids
    ).select_related("competency"):
        requirements.setdefault(requirement.position_id, []).append(requirement)
    current: dict[int, dict[int, Assessment]] = {}
    for assessment in latest_assessments(employee_ids=[employee.pk for employee in page]):
        current.setdefault(assessment.employee_id, {})[assessment.competency_id] = assessment
    rows = []
    for employee in page:
        placement = _placement(employee)
        position = placement.position if placement else None
        gaps = _gaps(
            requirements.get(position.pk, []) if position else [],
            current.get(employee.pk, {}),
        )
        jpm = jpm_of(gaps)
        largest = gaps[0] if gaps and gaps[0].gap > 0 else None
        rows.append(UnitRow(employee, position, jpm, jpm_band(jpm), largest))
    return UnitPage(rows, next_after)


def _placement(employee: EmployeeProfile) -> Placement | None:
    try:
        return employee.placement
    except Placement.DoesNotExist:
        return None
