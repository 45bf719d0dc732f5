"""Reads of submissions and cases, already scoped to what the caller may see.

- A citizen sees their own submissions and cases, and those of the businesses they
  represent — nothing else.
- An officer or supervisor sees the cases of their unit (or of every unit of their agency
  when their role has no unit).

Anything outside the caller's scope is "not found", never "forbidden": the answer does not
reveal that it exists.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Role
from satupintu.accounts.models import BusinessRepresentative, RoleAssignment
from satupintu.cases.constants import Actor, SubmissionStatus
from satupintu.cases.models import (
    Case,
    CaseEvent,
    Document,
    Message,
    OutcomeDocument,
    Submission,
    Suggestion,
    SuggestionStatus,
)
from satupintu.catalog.models import ServiceVersion
from satupintu.core.errors import NotFound
from satupintu.core.keyset import after_q

STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR)


@dataclass(frozen=True)
class StaffScope:
    """The units whose cases a member of staff works, and where they supervise."""

    unit_ids: frozenset[int]
    agency_ids: frozenset[int]  # agency-wide roles (no unit)
    supervised_unit_ids: frozenset[int]
    supervised_agency_ids: frozenset[int]

    @property
    def empty(self) -> bool:
        return not (self.unit_ids or self.agency_ids)

    def covers(self, case: Case) -> bool:
        return case.unit_id in self.unit_ids or case.agency_id in self.agency_ids

    def supervises(self, case: Case) -> bool:
        return (
            case.unit_id in self.supervised_unit_ids or case.agency_id in self.supervised_agency_ids
        )

    def as_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}unit__in": self.unit_ids}) | Q(
            **{f"{prefix}agency__in": self.agency_ids}
        )


def staff_scope(user) -> StaffScope:
    """What ``user`` works on as an officer or supervisor (empty for everyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return StaffScope(frozenset(), frozenset(), frozenset(), frozenset())
    cached = getattr(user, "_satupintu_staff_scope", None)
    if cached is not None:
        return cached
    units, agencies, supervised_units, supervised_agencies = set(), set(), set(), set()
    for role, agency_id, unit_id in RoleAssignment.objects.filter(
        user=user, role__in=STAFF_ROLES
    ).values_list("role", "agency_id", "unit_id"):
        (units.add(unit_id) if unit_id else agencies.add(agency_id))
        if role == Role.SUPERVISOR:
            (supervised_units.add(unit_id) if unit_id else supervised_agencies.add(agency_id))
    scope = StaffScope(
        frozenset(units),
        frozenset(agencies),
        frozenset(supervised_units),
        frozenset(supervised_agencies),
    )
    user._satupintu_staff_scope = scope
    return scope


def is_staff_member(user) -> bool:
    return not staff_scope(user).empty


def applicant_q(user, prefix: str = "", *, for_list: bool = False) -> Q:
    """Submissions (or, with ``prefix="submission__"``, cases) that ``user`` applied for,
    alone or for a business they represent.

    The businesses are never joined: a join through the representatives repeats rows and
    needs DISTINCT. For one row they are a subquery. For a list (``for_list``) they are read
    first, in one indexed query: with an OR over a subquery the database cannot tell how few
    rows are the person's, and reads every case newest first to find them; and most people
    represent no business, when the condition is then one column.
    """
    own = Q(**{f"{prefix}applicant": user})
    if not for_list:
        represented = BusinessRepresentative.objects.filter(user=user).values("business_id")
        return own | Q(**{f"{prefix}business__in": represented})
    business_ids = list(
        BusinessRepresentative.objects.filter(user=user).values_list("business_id", flat=True)
    )
    return own | Q(**{f"{prefix}business__in": business_ids}) if business_ids else own


def roles_on_case(user, case: Case) -> set[str]:
    """The workflow roles (``Actor``) that ``user`` holds on ``case``."""
    roles: set[str] = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    submission = case.submission
    if submission.applicant_id == user.pk or (
        submission.business_id and submission.business.representatives.filter(pk=user.pk).exists()
    ):
        roles.add(Actor.APPLICANT)
    scope = staff_scope(user)
    if scope.covers(case):
        roles.add(Actor.OFFICER)
        if scope.supervises(case):
            roles.add(Actor.SUPERVISOR)
    if case.partner_id and case.partner_id in partner_ids(user):
        roles.add(Actor.PARTNER)
    return roles


def partner_ids(user) -> frozenset[int]:
    """The partner organisations ``user`` works for."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_satupintu_partner_ids", None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(
                user=user, role=Role.PARTNER, partner__is_active=True
            ).values_list("partner_id", flat=True)
        )
        user._satupintu_partner_ids = cached
    return cached


def partner_task_list(*, user, closed: bool = False) -> QuerySet[Case]:
    """The tasks given to the partner organisations of ``user`` — nothing else."""
    return (
        Case.objects.filter(partner__in=partner_ids(user), is_open=not closed)
        .select_related("service", "agency", "partner", "service_version", "submission")
        .order_by("due_date", "id")
    )


def partner_task_get(*, user, public_id) -> Case:
    case = (
        Case.objects.filter(partner__in=partner_ids(user), public_id=public_id)
        .select_related("service", "agency", "partner", "service_version", "submission")
        .first()
    )
    if case is None:
        raise NotFound(_("There is no such task for your organisation."))
    return case


# Citizens --------------------------------------------------------------------------------


def submission_list_for_applicant(*, user) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(applicant_q(user, for_list=True))
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .select_related(
            "service_version__service__agency", "life_event_version__life_event", "business"
        )
        .prefetch_related("cases__service", "cases__agency")
        .order_by("-updated_at", "-id")
    )


def draft_list_for_applicant(*, user, limit: int) -> list[Submission]:
    """The person's own drafts (a draft is never a business's until it is sent), most
    recently changed first."""
    return list(
        Submission.objects.filter(applicant=user, status=SubmissionStatus.DRAFT)
        .select_related(
            "service_version__service__agency", "life_event_version__life_event", "business"
        )
        .order_by("-updated_at", "-id")[:limit]
    )


def submission_get_for_applicant(*, user, public_id) -> Submission:
    submission = (
        Submission.objects.filter(applicant_q(user), public_id=public_id)
        .select_related(
            "service_version__service__agency", "life_event_version__life_event", "business"
        )
        .first()
    )
    if submission is None:
        raise NotFound(_("There is no such application among yours."))
    return submission


def submission_get_by_tracking(*, user, tracking: str) -> Submission:
    submission = (
        Submission.objects.filter(applicant_q(user), tracking=tracking)
        .select_related("service_version__service__agency")
        .first()
    )
    if submission is None:
        raise NotFound(_("There is no application with this tracking number among yours."))
    return submission


def case_get_for_applicant(*, user, public_id) -> Case:
    case = (
        Case.objects.filter(applicant_q(user, "submission__"), public_id=public_id)
        .select_related(
            "service",
            "agency",
            "unit",
            "partner",
            "submission__life_event_version__life_event",
            "service_version",
            "waits_for__service",
        )
        .first()
    )
    if case is None:
        raise NotFound(_("There is no such case among yours."))
    return case


# What a list of cases leaves unread: the answers, which no list shows and which can be long.
LIST_DEFERRED = (
    "answers",
    "submission__answers",
    "submission__registry_data",
    "submission__prefill_sources",
)


def workflow_states_attach(cases: list[Case]) -> list[Case]:
    """Give each case of a page the states of its workflow (labels, descriptions) in one
    query that reads only that part of the service versions: a definition is large, and a
    page of 25 cases of 25 services would read and parse 25 of them whole."""
    ids = {case.service_version_id for case in cases}
    if ids:
        states = dict(
            ServiceVersion.objects.filter(pk__in=ids).values_list(
                "pk", "definition__workflow__states"
            )
        )
        for case in cases:
            case._workflow_states = states.get(case.service_version_id) or {}
    return cases


def case_list_for_applicant(*, user) -> QuerySet[Case]:
    """The person's cases, newest first. Give a page of them its states with
    ``workflow_states_attach``."""
    return (
        Case.objects.filter(applicant_q(user, for_list=True))
        # At most three joins: the planner's work grows fast with each one (six took it
        # 6 ms, ten times what running the query took); the rest come in small queries.
        .select_related("service", "agency", "submission")
        .prefetch_related("partner", "waits_for__service")
        .defer(*LIST_DEFERRED)
        .order_by("-submitted_at", "-id")
    )


def suggestion_list_open(
    *, user, limit: int = 5, after: tuple[datetime.datetime, int] | None = None
) -> list[Suggestion]:
    """The person's open suggestions, newest first, after the key (created_at, id) of the
    previous page's last one."""
    suggestions = Suggestion.objects.filter(user=user, status=SuggestionStatus.OPEN)
    if after is not None:
        created_at, last_id = after
        suggestions = suggestions.filter(
            after_q(["created_at", "id"], (created_at, last_id), descending=True)
        )
    return list(
        suggestions.select_related("life_event", "source_case__service").order_by(
            "-created_at", "-id"
        )[:limit]
    )


# Staff -----------------------------------------------------------------------------------


def case_get_for_staff(*, user, public_id) -> Case:
    scope = staff_scope(user)
    case = (
        Case.objects.filter(scope.as_q(), public_id=public_id)
        .select_related(
            "service",
            "agency",
            "unit",
            "submission__applicant",
            "submission__business",
            "service_version",
            "assigned_to",
        )
        .first()
    )
    if case is None:
        raise NotFound(_("There is no such case in your unit."))
    return case


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    service: str = ""  # service code
    unit: int | None = None
    due: str = ""  # "overdue" | "soon" | ""
    assigned: str = ""  # "me" | "unassigned" | ""
    closed: bool = False


def case_queue(
    *,
    user,
    filters: QueueFilters,
    after: tuple[datetime.date, int] | None = None,
    limit: int = 25,
    today: datetime.date | None = None,
) -> list[Case]:
    """A page of the cases ``user`` works, by due date then id, after the key ``after``.

    Keyset pagination on (due_date, id) with the matching index: page 10,000 costs what
    page 1 costs.
    """
    today = today or timezone.localdate()
    cases = Case.objects.filter(
        staff_scope(user).as_q(), is_open=not filters.closed, is_waiting=False
    )
    if filters.unit:
        cases = cases.filter(unit_id=filters.unit)
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.service:
        cases = cases.filter(service__code=filters.service)
    if filters.due == "overdue":
        cases = cases.filter(due_date__lt=today, is_paused=False)
    elif filters.due == "soon":
        cases = cases.filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=3), is_paused=False
        )
    if filters.assigned == "me":
        cases = cases.filter(assigned_to=user)
    elif filters.assigned == "unassigned":
        cases = cases.filter(assigned_to__isnull=True)
    if after is not None:
        due, last_id = after
        cases = cases.filter(after_q(["due_date", "id"], (due, last_id)))
    # The page's ids first, from the queue index alone; then those rows with what the list
    # shows. Joined in one query, a misjudged count (many cases due on one day) can make the
    # database join every remaining case of the unit before it sorts and cuts the page.
    ids = list(cases.order_by("due_date", "id").values_list("id", flat=True)[:limit])
    return workflow_states_attach(
        list(
            # Three joins at most (see ``case_list_for_applicant``).
            Case.objects.filter(id__in=ids)
            .select_related("service", "agency", "submission")
            .prefetch_related("unit", "assigned_to")
            .defer(*LIST_DEFERRED)
            .order_by("due_date", "id")
        )
    )


def case_list_by_tracking(*, user, tracking: str) -> list[Case]:
    """The cases of the caller's units that came with the application ``tracking`` (a
    normalised tracking number): open, closed and waiting to start alike. A life event's
    application has one case per service, so there may be several; most often there is
    one."""
    return workflow_states_attach(
        list(
            Case.objects.filter(staff_scope(user).as_q(), submission__tracking=tracking)
            .select_related("service", "agency", "submission", "waits_for__service")
            .prefetch_related("unit", "assigned_to")
            .defer(*LIST_DEFERRED)
            .order_by("id")
        )
    )


def case_counts_by_state(*, user, unit: int | None = None) -> dict[str, int]:
    """Open cases per state in the caller's scope (for the queue's filter)."""
    cases = Case.objects.filter(staff_scope(user).as_q(), is_open=True)
    if unit:
        cases = cases.filter(unit_id=unit)
    return dict(cases.values_list("state").annotate(n=Count("id")).order_by())


def case_workload(*, user, today: datetime.date | None = None) -> list[dict]:
    """For a supervisor: each officer's open, overdue and unassigned cases in the units they
    supervise."""
    today = today or timezone.localdate()
    scope = staff_scope(user)
    supervised = Q(unit__in=scope.supervised_unit_ids) | Q(agency__in=scope.supervised_agency_ids)
    return list(
        Case.objects.filter(supervised, is_open=True)
        .values("assigned_to", "assigned_to__first_name", "assigned_to__last_name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_date__lt=today, is_paused=False)),
        )
        .order_by("assigned_to__first_name", "assigned_to")
    )


# Both ------------------------------------------------------------------------------------


def case_timeline(*, case: Case, include_internal: bool) -> list[CaseEvent]:
    events = case.events.select_related("actor")
    if not include_internal:
        events = events.filter(internal=False)
    return list(events)


def case_messages(*, case: Case, include_internal: bool) -> list[Message]:
    messages = case.messages.select_related("author").prefetch_related("documents")
    if not include_internal:
        messages = messages.filter(internal=False)
    return list(messages)


def submission_documents(
    *, submission: Submission, include_replaced: bool = False
) -> list[Document]:
    documents = submission.documents.all()
    if not include_replaced:
        documents = documents.filter(replaced=False)
    return list(documents)


def case_documents(*, case: Case, include_replaced: bool = False) -> list[Document]:
    """The documents of one case: its form's uploads and its messages' attachments. (For a
    life event each case has its own copies of the shared uploads, so an agency sees only
    what its own service takes.)"""
    documents = Document.objects.filter(case=case).select_related("message")
    if not include_replaced:
        documents = documents.filter(replaced=False)
    return list(documents.order_by("created_at", "id"))


def outcome_verify(*, code: str) -> OutcomeDocument | None:
    """The outcome document with this verification code, for the public page (which shows no
    personal data)."""
    return (
        OutcomeDocument.objects.filter(verification_code=code.strip().upper()[:16])
        .select_related("case__service", "case__agency", "case__service_version")
        .first()
    )


# How services perform ----------------------------------------------------------------------


@dataclass
class Performance:
    """Figures of cases over a run of months: received, completed, completed by the due
    date, and the median of the working days that completed cases took."""

    received: int = 0
    completed: int = 0
    completed_on_time: int = 0
    days: dict[int, int] | None = None

    def add(self, row) -> None:
        self.received += row.received
        self.completed += row.completed
        self.completed_on_time += row.completed_on_time
        self.days = self.days or {}
        for taken, count in (row.processing_days or {}).items():
            self.days[int(taken)] = self.days.get(int(taken), 0) + count

    @property
    def share_on_time(self) -> float | None:
        """Completed by the due date, as a share of completed (``None`` when none were)."""
        return self.completed_on_time / self.completed if self.completed else None

    @property
    def median_days(self) -> float | None:
        """The median working days taken (the mean of the two middle ones for an even
        count); ``None`` when no case was completed."""
        total = sum((self.days or {}).values())
        if not total:
            return None
        middle = [(total - 1) // 2, total // 2]
        found: list[int] = []
        seen = 0
        for taken in sorted(self.days):
            seen += self.days[taken]
            while middle and middle[0] < seen:
                found.append(taken)
                middle.pop(0)
        return sum(found) / len(found)


def performance_by(
    *, key: str, date_from: datetime.date, date_to: datetime.date, agency=None
) -> dict[int, Performance]:
    """Public figures by agency (``key="agency"``) or by service (``key="service"``) for
    the months from ``date_from``'s to ``date_to``'s, from the monthly rows the tasks keep."""
    from satupintu.cases.models import ServiceMonth

    rows = ServiceMonth.objects.filter(
        month__gte=date_from.replace(day=1), month__lte=date_to.replace(day=1)
    )
    if agency is not None:
        rows = rows.filter(agency=agency)
    figures: dict[int, Performance] = {}
    # Tuples, not model instances: a year of every service's months is tens of thousands of
    # rows at a province's scale.
    for row in rows.values_list(
        f"{key}_id", "received", "completed", "completed_on_time", "processing_days", named=True
    ).iterator(chunk_size=2000):
        figures.setdefault(row[0], Performance()).add(row)
    return figures
