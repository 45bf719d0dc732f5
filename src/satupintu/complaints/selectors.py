"""Reads of complaints, already scoped to what the caller may see.

- A **complainant** sees their own complaints: signed in, those filed with their account;
  without an account, the one whose report number *and* follow-up code they gave.
- A **coordinator** (role ``complaint_coordinator``, platform-wide) sees every complaint.
- An **agency** sees the complaints routed to it, once routed: its officers and supervisors
  (of the unit it was routed to, or agency-wide; every unit's staff when it was routed to
  no unit) work them, and its agency administrators read them (they are told of overdue
  ones). A complaint routed elsewhere is "not found".
- **The public** sees complaints that were routed and are not confidential — never who
  filed them.

What is shown of the complainant is decided by :func:`complainant_identity` alone: nothing
for an anonymous complaint, whoever asks.
"""

import datetime
import statistics
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.cases.selectors import staff_scope
from satupintu.complaints import codes
from satupintu.complaints.constants import COORDINATOR_STATUSES, ComplaintStatus
from satupintu.complaints.models import Complaint, ComplaintEvent, ComplaintMessage
from satupintu.core.calendar import WorkingCalendar
from satupintu.core.errors import NotFound
from satupintu.core.keyset import after_q
from satupintu.organisations.models import Agency

# Who does what --------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintScope:
    """Where a person works complaints."""

    coordinator: bool
    unit_ids: frozenset[int]  # officer or supervisor of these units
    agency_ids: frozenset[int]  # officer or supervisor of the whole agency
    member_agency_ids: frozenset[int]  # the agencies of their units
    admin_agency_ids: frozenset[int]  # agency administrator: reads only

    @property
    def is_agency_staff(self) -> bool:
        return bool(self.unit_ids or self.agency_ids or self.admin_agency_ids)

    def agency_q(self, *, acting: bool = False) -> Q:
        """The complaints routed to the agencies (and units) of this scope; with ``acting``,
        only those the person may act on (not as an administrator)."""
        where = (
            Q(unit__in=self.unit_ids)
            | Q(agency__in=self.agency_ids)
            | Q(unit__isnull=True, agency__in=self.member_agency_ids)
        )
        if not acting:
            where |= Q(agency__in=self.admin_agency_ids)
        return Q(routed_at__isnull=False) & where

    def handles(self, complaint: Complaint) -> bool:
        """Whether the person may write the agency's follow-up and messages."""
        if complaint.routed_at is None:
            return False
        return (
            complaint.unit_id in self.unit_ids
            or complaint.agency_id in self.agency_ids
            or (complaint.unit_id is None and complaint.agency_id in self.member_agency_ids)
        )

    def sees(self, complaint: Complaint) -> bool:
        """Whether the complaint is on the person's agency pages."""
        return self.handles(complaint) or (
            complaint.routed_at is not None and complaint.agency_id in self.admin_agency_ids
        )


EMPTY_SCOPE = ComplaintScope(False, frozenset(), frozenset(), frozenset(), frozenset())


def complaint_scope(user) -> ComplaintScope:
    """Where ``user`` works complaints (empty for everyone else). One query beyond the case
    staff scope (which the page header reads anyway); kept on the user for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_satupintu_complaint_scope", None)
    if cached is not None:
        return cached
    staff = staff_scope(user)
    coordinator, members, admins = False, set(), set()
    for role, agency_id in RoleAssignment.objects.filter(
        Q(role__in=[Role.COMPLAINT_COORDINATOR, Role.AGENCY_ADMIN])
        | Q(role__in=[Role.OFFICER, Role.SUPERVISOR], unit__isnull=False),
        user=user,
    ).values_list("role", "agency_id"):
        if role == Role.COMPLAINT_COORDINATOR:
            coordinator = True
        elif role == Role.AGENCY_ADMIN:
            admins.add(agency_id)
        else:
            members.add(agency_id)
    scope = ComplaintScope(
        coordinator=coordinator,
        unit_ids=staff.unit_ids,
        agency_ids=staff.agency_ids,
        member_agency_ids=frozenset(members),
        admin_agency_ids=frozenset(admins),
    )
    user._satupintu_complaint_scope = scope
    return scope


def is_coordinator(user) -> bool:
    return complaint_scope(user).coordinator


# The complainant ------------------------------------------------------------------------

_RELATED = ("service", "agency", "unit", "case__service", "case__submission")


def complaint_list_for_complainant(*, user) -> QuerySet[Complaint]:
    """``user``'s own complaints, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(complainant=user)
        .select_related("service", "agency")
        .order_by("-submitted_at", "-id")
    )


def complaint_by_code(*, tracking: str, code: str) -> Complaint | None:
    """The complaint of a complainant without an account with this report number and
    follow-up code (as typed), or None when either is wrong — the same answer for both, so
    that it tells nothing about which was wrong."""
    number = codes.tracking_normalise(tracking)
    if number is None:
        return None
    complaint = (
        Complaint.objects.filter(tracking=number, complainant__isnull=True)
        .exclude(follow_up_code_hash="")
        .select_related(*_RELATED)
        .first()
    )
    if complaint is None or not codes.code_matches(
        tracking_number=number, code=code, stored=complaint.follow_up_code_hash
    ):
        return None
    return complaint


def complaint_get_for_complainant(*, user, tracking: str, granted: Iterable[str] = ()) -> Complaint:
    """The complaint with ``tracking`` if it is ``user``'s own, or if it is one of
    ``granted`` (public ids for which this browser gave the follow-up code earlier)."""
    number = codes.tracking_normalise(tracking) or ""
    mine = Q(complainant=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    granted_ids = [value for value in granted if value]
    complaint = (
        Complaint.objects.filter(
            mine | Q(public_id__in=granted_ids, complainant__isnull=True), tracking=number
        )
        .select_related(*_RELATED)
        .first()
    )
    if complaint is None:
        raise NotFound(_("There is no such complaint among yours."))
    return complaint


# Staff ---------------------------------------------------------------------------------


def complaint_get_for_coordinator(*, user, tracking: str) -> Complaint:
    if not is_coordinator(user):
        raise NotFound(_("There is no such complaint."))
    complaint = (
        Complaint.objects.filter(tracking=codes.tracking_normalise(tracking) or "")
        .select_related(*_RELATED, "complainant__citizen", "coordinator")
        .first()
    )
    if complaint is None:
        raise NotFound(_("There is no such complaint."))
    return complaint


def complaint_get_for_agency(*, user, tracking: str) -> Complaint:
    """A complaint routed to the caller's agency; anything else is "not found"."""
    scope = complaint_scope(user)
    complaint = (
        Complaint.objects.filter(
            scope.agency_q(), tracking=codes.tracking_normalise(tracking) or ""
        )
        .select_related(*_RELATED, "complainant__citizen")
        .first()
        if scope.is_agency_staff
        else None
    )
    if complaint is None:
        raise NotFound(_("There is no such complaint for your agency."))
    return complaint


@dataclass(frozen=True)
class QueueFilters:
    # "verify" (received and waiting for information), or a status; "" for every open one.
    status: str = ""
    kind: str = ""
    due: str = ""  # "overdue" | "soon" | ""
    closed: bool = False


STATUS_FILTERS = {"verify": sorted(COORDINATOR_STATUSES)} | {
    status.value: [status.value] for status in ComplaintStatus
}


def _queue_base(*, user, as_coordinator: bool) -> QuerySet[Complaint]:
    if as_coordinator:
        return Complaint.objects.all() if is_coordinator(user) else Complaint.objects.none()
    scope = complaint_scope(user)
    if not scope.is_agency_staff:
        return Complaint.objects.none()
    return Complaint.objects.filter(scope.agency_q())


def complaint_queue(
    *,
    user,
    as_coordinator: bool,
    filters: QueueFilters,
    after: tuple[datetime.date, int] | None = None,
    limit: int = 25,
    today: datetime.date | None = None,
) -> list[Complaint]:
    """A page of the complaints the caller works — every complaint for a coordinator, the
    agency's for its staff — by due date then id (overdue first), after the key ``after``.
    Keyset pagination on (due_date, id) with the matching indexes."""
    today = today or timezone.localdate()
    complaints = _queue_base(user=user, as_coordinator=as_coordinator).filter(
        is_open=not filters.closed
    )
    if filters.status in STATUS_FILTERS:
        complaints = complaints.filter(status__in=STATUS_FILTERS[filters.status])
    if filters.kind:
        complaints = complaints.filter(kind=filters.kind)
    responsible = sorted(COORDINATOR_STATUSES | {ComplaintStatus.ROUTED})
    if filters.due == "overdue":
        complaints = complaints.filter(due_date__lt=today, is_paused=False, status__in=responsible)
    elif filters.due == "soon":
        complaints = complaints.filter(
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=3),
            is_paused=False,
            status__in=responsible,
        )
    if after is not None:
        due, last_id = after
        complaints = complaints.filter(after_q(["due_date", "id"], (due, last_id)))
    return list(complaints.select_related("agency", "service").order_by("due_date", "id")[:limit])


def complaint_counts_by_status(*, user, as_coordinator: bool) -> dict[str, int]:
    """Open complaints per status in the caller's scope (for the queue's filter)."""
    complaints = _queue_base(user=user, as_coordinator=as_coordinator).filter(is_open=True)
    return dict(complaints.values_list("status").annotate(n=Count("id")).order_by())


# One complaint -------------------------------------------------------------------------


def complaint_timeline(*, complaint: Complaint, include_internal: bool) -> list[ComplaintEvent]:
    events = complaint.events.select_related("actor")
    if not include_internal:
        events = events.filter(internal=False)
    return list(events)


def complaint_messages(*, complaint: Complaint, include_internal: bool) -> list[ComplaintMessage]:
    messages = complaint.messages.select_related("author")
    if not include_internal:
        messages = messages.filter(internal=False)
    return list(messages)


@dataclass(frozen=True)
class Identity:
    """What a member of staff may see of the complainant. For an anonymous complaint only
    ``has_contact``: whether the platform can reach them (an account or an e-mail)."""

    shown: bool
    has_contact: bool
    name: str = ""
    email: str = ""
    phone: str = ""
    has_account: bool = False


def complainant_identity(*, complaint: Complaint) -> Identity:
    """The complainant's identity as staff may see it: nothing when the complaint is
    anonymous. Reading it is recorded by ``services.complainant_identity_view``."""
    if complaint.is_anonymous:
        return Identity(shown=False, has_contact=complaint.has_contact)
    user = complaint.complainant
    if user is None:
        return Identity(
            shown=bool(complaint.name or complaint.email or complaint.phone),
            has_contact=complaint.has_contact,
            name=complaint.name,
            email=complaint.email,
            phone=complaint.phone,
        )
    citizen = getattr(user, "citizen", None)
    return Identity(
        shown=True,
        has_contact=True,
        has_account=True,
        name=(citizen.full_name if citizen else "") or user.get_full_name() or user.username,
        email=user.email or (citizen.email if citizen else ""),
        phone=(citizen.phone if citizen else "") or user.phone,
    )


# The public ----------------------------------------------------------------------------


def complaint_public_list(*, after: str = "", limit: int = 20) -> list[Complaint]:
    """Complaints that anyone may read: routed to an agency and not confidential, newest
    first, after the complaint whose public id is ``after`` (keyset on (submitted_at, id)).
    Who filed them is never part of it."""
    complaints = Complaint.objects.filter(is_confidential=False, routed_at__isnull=False)
    if after:
        try:
            anchor = (
                complaints.filter(public_id=uuid.UUID(str(after)[:36]))
                .values_list("submitted_at", "id")
                .first()
            )
        except ValueError:
            anchor = None
        if anchor is not None:
            complaints = complaints.filter(after_q(["submitted_at", "id"], anchor, descending=True))
    return list(
        complaints.select_related("agency", "service").order_by("-submitted_at", "-id")[:limit]
    )


def complaint_public_follow_ups(*, complaints: Iterable[Complaint]) -> dict[int, ComplaintMessage]:
    """The latest follow-up of each public complaint, in one query."""
    ids = [complaint.pk for complaint in complaints if not complaint.is_confidential]
    latest: dict[int, ComplaintMessage] = {}
    for message in ComplaintMessage.objects.filter(
        complaint_id__in=ids, is_follow_up=True
    ).order_by("created_at", "id"):
        latest[message.complaint_id] = message
    return latest


@dataclass(frozen=True)
class AgencyComplaintStats:
    """The public numbers of one agency for one period: how many complaints it received
    (routed to it, confidential ones included), how many it followed up, and the median
    working days from routing to its first follow-up."""

    agency: Agency
    received: int
    followed_up: int
    median_follow_up_working_days: float | None


def complaint_stats(
    *,
    agency: Agency | None = None,
    date_from: datetime.date,
    date_to: datetime.date,
) -> list[AgencyComplaintStats]:
    """Per agency (or for ``agency`` only): the complaints routed to it between ``date_from``
    and ``date_to`` (both included, local dates), and the median time to follow-up in the
    agency's working days. Aggregates only: no complaint is shown individually, so
    confidential ones are counted like the rest."""
    complaints = Complaint.objects.filter(
        routed_at__date__gte=date_from, routed_at__date__lte=date_to
    )
    if agency is not None:
        complaints = complaints.filter(agency=agency)
    rows = list(
        complaints.order_by("agency_id", "id").values_list(
            "agency_id", "routed_at", "followed_up_at"
        )
    )
    by_agency: dict[int, list[tuple[datetime.datetime, datetime.datetime | None]]] = {}
    for agency_id, routed_at, followed_up_at in rows:
        by_agency.setdefault(agency_id, []).append((routed_at, followed_up_at))
    agencies = Agency.objects.in_bulk(list(by_agency))
    result = []
    for agency_id, pairs in by_agency.items():
        done = [(routed, followed) for routed, followed in pairs if followed is not None]
        median = None
        if done:
            days = [timezone.localdate(routed) for routed, _f in done] + [
                timezone.localdate(followed) for _r, followed in done
            ]
            calendar = WorkingCalendar.for_agency(
                agency_id, years=range(min(days).year, max(days).year + 1)
            )
            median = float(
                statistics.median(
                    calendar.working_days_between(
                        timezone.localdate(routed), timezone.localdate(followed)
                    )
                    for routed, followed in done
                )
            )
        result.append(
            AgencyComplaintStats(
                agency=agencies[agency_id],
                received=len(pairs),
                followed_up=len(done),
                median_follow_up_working_days=median,
            )
        )
    result.sort(key=lambda row: row.agency.name_id)
    return result


def complaint_export_list(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    user=None,
    everything: bool = False,
) -> QuerySet[Complaint]:
    """The complaints filed between ``date_from`` and ``date_to`` (both included, local
    dates) for an export: every one with ``everything`` (the command line), else those
    ``user`` works — all for a coordinator, the agency's for its staff."""
    complaints = Complaint.objects.filter(
        submitted_at__date__gte=date_from, submitted_at__date__lte=date_to
    )
    if not everything:
        scope = complaint_scope(user)
        if not scope.coordinator:
            complaints = (
                complaints.filter(scope.agency_q()) if scope.is_agency_staff else complaints.none()
            )
    return (
        complaints.select_related("agency", "service", "complainant__citizen", "case__submission")
        .prefetch_related("messages")
        .order_by("submitted_at", "id")
    )
