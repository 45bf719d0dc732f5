"""Who may see which IKM reports, and what a report covers (its scope).

- Officers and supervisors see the reports of their own agency (every agency where they
  hold a role, as ``cases.selectors.staff_scope`` reads them), agency administrators those of
  the agencies they administer, service centre staff those of their centre; the platform
  administrator sees all. A scope outside someone's is "not found"; a person with no such
  role at all is refused (403).
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.catalog.models import Service
from satupintu.core.errors import DomainError, Forbidden, NotFound
from satupintu.core.permissions import is_platform_admin
from satupintu.feedback.constants import ScopeKind
from satupintu.feedback.models import ServiceCentreStaff
from satupintu.organisations.models import Agency, Office, Unit

REPORT_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.AGENCY_ADMIN)


# Who may see which reports ------------------------------------------------------------------


@dataclass(frozen=True)
class ReportAccess:
    """The reports a person may see, and the follow-up plans they may write."""

    everything: bool = False
    agency_ids: frozenset[int] = frozenset()
    office_ids: frozenset[int] = frozenset()
    # Follow-up plans: whole agencies (administrators, agency-wide supervisors), units
    # (their supervisors).
    plan_agency_ids: frozenset[int] = frozenset()
    plan_unit_ids: frozenset[int] = frozenset()

    @property
    def any(self) -> bool:
        return self.everything or bool(self.agency_ids or self.office_ids)


def report_access(user) -> ReportAccess:
    """What ``user`` may see of the IKM reports (kept on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ReportAccess()
    cached = getattr(user, "_satupintu_ikm_access", None)
    if cached is not None:
        return cached
    if is_platform_admin(user):
        access = ReportAccess(everything=True)
    else:
        agencies, plan_agencies, plan_units = set(), set(), set()
        for role, agency_id, unit_id in RoleAssignment.objects.filter(
            user=user, role__in=REPORT_ROLES
        ).values_list("role", "agency_id", "unit_id"):
            agencies.add(agency_id)
            if role == Role.AGENCY_ADMIN or (role == Role.SUPERVISOR and not unit_id):
                plan_agencies.add(agency_id)
            elif role == Role.SUPERVISOR:
                plan_units.add(unit_id)
        offices = ServiceCentreStaff.objects.filter(user=user).values_list("office_id", flat=True)
        access = ReportAccess(
            agency_ids=frozenset(agencies),
            office_ids=frozenset(offices),
            plan_agency_ids=frozenset(plan_agencies),
            plan_unit_ids=frozenset(plan_units),
        )
    user._satupintu_ikm_access = access
    return access


# Scopes -------------------------------------------------------------------------------------


def office_service_ids(office: Office) -> frozenset[int]:
    """The services whose current definition names ``office`` as a place to get them (one
    query over the catalogue, which holds hundreds of services, not millions)."""
    rows = Service.objects.values_list("pk", "current_version__definition__offices")
    return frozenset(pk for pk, codes in rows if isinstance(codes, list) and office.code in codes)


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: one service, one unit, one agency, one public service centre
    (optionally only one agency's services there), or everything."""

    agency: Agency | None = None
    unit: Unit | None = None
    service: Service | None = None
    office: Office | None = None
    office_services: frozenset[int] = field(default=frozenset(), compare=False)

    @property
    def kind(self) -> str:
        if self.service:
            return ScopeKind.SERVICE
        if self.unit:
            return ScopeKind.UNIT
        if self.office:
            return ScopeKind.OFFICE
        if self.agency:
            return ScopeKind.AGENCY
        return ScopeKind.ALL

    @property
    def key(self) -> str:
        """A stable key of the scope: ``service:31``, ``office:2:agency:5``, ``all``."""
        parts = [f"office:{self.office.pk}"] if self.office else []
        if self.service:
            parts.append(f"service:{self.service.pk}")
        elif self.unit:
            parts.append(f"unit:{self.unit.pk}")
        elif self.agency:
            parts.append(f"agency:{self.agency.pk}")
        return ":".join(parts) or "all"

    @property
    def label(self) -> str:
        """The scope in words, in the active language."""
        if self.service:
            label = f"{self.service.name} — {self.service.agency.name}"
        elif self.unit:
            label = f"{self.unit.name} — {self.unit.agency.name}"
        elif self.agency:
            label = self.agency.name
        else:
            label = "" if self.office else str(_("All agencies"))
        if self.office:
            label = f"{label} — {self.office.name}" if label else self.office.name
        return label

    @property
    def params(self) -> dict[str, str]:
        """The query parameters that name this scope (pages, exports, the API)."""
        params = {}
        if self.agency:
            params["agency"] = self.agency.code
        if self.unit:
            params["unit"] = self.unit.code
        if self.service:
            params["service"] = self.service.code
        if self.office:
            params["office"] = self.office.code
        return params

    def filter_q(self, prefix: str = "") -> Q:
        """Rows of this scope among rows with ``service``, ``unit`` and ``agency`` fields."""
        q = Q()
        if self.service:
            q &= Q(**{f"{prefix}service": self.service.pk})
        elif self.unit:
            q &= Q(**{f"{prefix}unit": self.unit.pk})
        if self.agency:
            q &= Q(**{f"{prefix}agency": self.agency.pk})
        if self.office:
            q &= Q(**{f"{prefix}service__in": sorted(self.office_services)})
        return q

    def responses_q(self) -> Q:
        # At a centre: the answers given online for its services and those collected at its
        # own counters, not at another centre's.
        q = self.filter_q()
        if self.office:
            q &= Q(office__isnull=True) | Q(office=self.office.pk)
        return q


def _one(queryset, what: str, code: str):
    found = queryset.first()
    if found is None:
        raise NotFound(
            _("There is no %(what)s with the code “%(code)s” among yours.")
            % {"what": what, "code": code[:130]}
        )
    return found


def report_scope_resolve(
    *, user, agency: str = "", unit: str = "", service: str = "", office: str = ""
) -> ReportScope:
    """The scope named by codes, checked against what ``user`` may see. Without any code:
    everything for the platform administrator, else the person's agency (or centre).

    Refuses (403) a person who sees no reports at all; a scope outside theirs is "not
    found"; codes that contradict each other are refused (422)."""
    access = report_access(user)
    if not access.any:
        raise Forbidden(
            _("The satisfaction reports are for the staff of agencies and service centres."),
            code="staff_only",
        )
    agencies = Agency.objects.all()
    if not access.everything:
        agencies = agencies.filter(pk__in=access.agency_ids)
    found_agency = found_unit = found_service = found_office = None
    if office:
        found_office = _one(Office.objects.filter(code=office), _("service centre"), office)
        if not access.everything and found_office.pk in access.office_ids:
            # Centre staff see every agency's services at their centre.
            agencies = Agency.objects.all()
    if agency:
        found_agency = _one(agencies.filter(code=agency), _("agency"), agency)
    if service:
        services = Service.objects.select_related("agency", "unit").filter(
            code=service, agency__in=agencies
        )
        found_service = _one(services, _("service"), service)
    if unit:
        units = Unit.objects.select_related("agency").filter(code=unit, agency__in=agencies)
        if found_agency or found_service:
            units = units.filter(agency=(found_agency or found_service.agency))
        matches = list(units[:2])
        if len(matches) > 1:
            raise DomainError(
                _("Several agencies have a unit “%(code)s”: name the agency too.") % {"code": unit},
                code="ambiguous_unit",
                status=422,
            )
        found_unit = _one(units, _("unit"), unit)
    found_agency = (
        found_agency
        or (found_service.agency if found_service else None)
        or (found_unit.agency if found_unit else None)
    )
    if found_service and (
        found_service.agency_id != found_agency.pk
        or (found_unit and found_service.unit_id != found_unit.pk)
    ):
        raise DomainError(
            _("The service “%(code)s” is not one of the agency's or unit's given.")
            % {"code": service},
            code="inconsistent_scope",
            status=422,
        )
    if (
        found_office
        and not found_agency
        and not access.everything
        and found_office.pk not in access.office_ids
    ):
        # Agency staff see their own agency's services at a centre.
        if len(access.agency_ids) != 1:
            raise NotFound(_("Name your agency to see its results at this service centre."))
        found_agency = Agency.objects.get(pk=next(iter(access.agency_ids)))
    if not (found_agency or found_office) and not access.everything:
        if access.agency_ids:
            found_agency = agencies.order_by("name_id").first()
        else:
            found_office = (
                Office.objects.filter(pk__in=access.office_ids).order_by("name_id").first()
            )
    return ReportScope(
        agency=found_agency,
        unit=found_unit,
        service=found_service,
        office=found_office,
        office_services=office_service_ids(found_office) if found_office else frozenset(),
    )


@dataclass
class ScopeChoices:
    """What the report page offers to choose from."""

    agencies: list[Agency]
    units: list[Unit]
    services: list[Service]
    offices: list[Office]


def scope_choices(*, user) -> ScopeChoices:
    """The agencies, units, services and centres whose reports ``user`` may see."""
    access = report_access(user)
    agencies = (
        Agency.objects.all()
        if access.everything
        else Agency.objects.filter(pk__in=access.agency_ids)
    )
    offices = Office.objects.all()
    if not access.everything and access.office_ids and not access.agency_ids:
        offices = offices.filter(pk__in=access.office_ids)
    return ScopeChoices(
        agencies=list(agencies.order_by("name_id")),
        units=list(
            Unit.objects.filter(agency__in=agencies)
            .select_related("agency")
            .order_by("agency__name_id", "name_id")
        ),
        services=list(
            Service.objects.filter(agency__in=agencies)
            .select_related("agency")
            .order_by("agency__name_id", "name_id")
        ),
        offices=list(offices.order_by("name_id")),
    )


def followup_may_write(*, user, scope: ReportScope) -> bool:
    """Agency administrators and agency-wide supervisors write any plan of their agency; a
    unit's supervisor the plans of their unit and its services; the platform administrator
    any plan. A centre's plan (without an agency) is the platform administrator's."""
    access = report_access(user)
    if access.everything:
        return True
    if scope.agency is None:
        return False
    if scope.agency.pk in access.plan_agency_ids:
        return True
    unit_id = scope.unit.pk if scope.unit else (scope.service.unit_id if scope.service else None)
    return unit_id is not None and unit_id in access.plan_unit_ids and not scope.office
