"""Reads of data protection, already scoped to what the caller may see.

- A **person** sees their own requests, nobody else's: another person's reference is "not
  found".
- A **data protection officer** (role ``data_protection_officer``, platform-wide) sees every
  request and the breach register, and answers them.
- A **platform administrator** reads the same pages (the sweep escalates overdue requests to
  them) but does not answer.

``person_holdings`` counts what the platform holds of one person by kind of record, and
``deletion_plan`` says, from the retention rules, what a deletion would erase and what it
must keep, with the legal basis and the date each kept kind is released.
"""

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Role
from satupintu.accounts.models import CitizenProfile, Consent, EmployeeProfile, RoleAssignment
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Submission, Suggestion
from satupintu.complaints.models import Complaint
from satupintu.core.errors import NotFound
from satupintu.core.keyset import after_q
from satupintu.core.models import AuditEvent
from satupintu.learning.models import (
    Certificate,
    Enrolment,
    JpEntry,
    LearningClaim,
    SessionBooking,
)
from satupintu.notifications.models import Notification
from satupintu.privacy.constants import (
    DeletionScope,
    EndAction,
    RecordKind,
    RequestKind,
    RequestStatus,
)
from satupintu.privacy.models import Breach, DataRequest, RetentionRule
from satupintu.talent.models import Assessment

# Who does what --------------------------------------------------------------------------


@dataclass(frozen=True)
class PrivacyScope:
    """What a person may do with requests and breaches."""

    officer: bool = False  # a data protection officer: reads and answers
    administrator: bool = False  # a platform administrator: reads

    @property
    def sees(self) -> bool:
        return self.officer or self.administrator

    @property
    def handles(self) -> bool:
        return self.officer


NOBODY = PrivacyScope()


def privacy_scope(user) -> PrivacyScope:
    """What ``user`` may do here (nothing for everyone else). One query; kept on the user for
    the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_satupintu_privacy_scope", None)
    if cached is not None:
        return cached
    roles = set(
        RoleAssignment.objects.filter(
            user=user, role__in=[Role.DATA_PROTECTION_OFFICER, Role.PLATFORM_ADMIN]
        ).values_list("role", flat=True)
    )
    scope = PrivacyScope(
        officer=Role.DATA_PROTECTION_OFFICER in roles,
        administrator=Role.PLATFORM_ADMIN in roles or user.is_superuser,
    )
    user._satupintu_privacy_scope = scope
    return scope


def officers() -> list:
    """The data protection officers who can be told of something (active accounts)."""
    return _people(Q(roles__role=Role.DATA_PROTECTION_OFFICER))


def platform_administrators() -> list:
    return _people(Q(roles__role=Role.PLATFORM_ADMIN) | Q(is_superuser=True))


def _people(where: Q) -> list:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(where, is_active=True).distinct().order_by("pk"))


# Requests -------------------------------------------------------------------------------


def data_request_list_for_requester(*, user) -> QuerySet[DataRequest]:
    """``user``'s own requests, newest first."""
    return DataRequest.objects.filter(requester_id=user.pk).order_by("-received_at", "-id")


def data_request_page_for_requester(
    *, user, after: tuple[datetime.datetime, int] | None, limit: int
) -> list[DataRequest]:
    """A page of ``user``'s requests after the key (received_at, id) of the last one of the
    page before."""
    requests = data_request_list_for_requester(user=user)
    if after is not None:
        requests = requests.filter(after_q(["received_at", "id"], after, descending=True))
    return list(requests[:limit])


def data_request_get_for_requester(*, user, tracking: str) -> DataRequest:
    found = (
        data_request_list_for_requester(user=user)
        .select_related("handled_by")
        .filter(tracking=tracking[:16])
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such request among yours."))
    return found


def data_request_queue(
    *, answered: bool, after: tuple[datetime.datetime, int] | None, limit: int
) -> list[DataRequest]:
    """The officers' queue: open requests, the earliest due first (one range of the queue's
    index); with ``answered``, the answered and refused ones, the latest due first."""
    if answered:
        requests = DataRequest.objects.exclude(status=RequestStatus.OPEN).order_by("-due_at", "-id")
        if after is not None:
            requests = requests.filter(after_q(["due_at", "id"], after, descending=True))
    else:
        requests = DataRequest.objects.filter(status=RequestStatus.OPEN).order_by("due_at", "id")
        if after is not None:
            requests = requests.filter(after_q(["due_at", "id"], after))
    return list(requests[:limit])


def data_request_open_count() -> int:
    return DataRequest.objects.filter(status=RequestStatus.OPEN).count()


def data_request_get(*, tracking: str) -> DataRequest:
    """Any request, for the officers (the views check who asks)."""
    found = (
        DataRequest.objects.select_related(
            "requester__citizen", "requester__employee", "handled_by"
        )
        .filter(tracking=tracking[:16])
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such request."))
    return found


# Breaches -------------------------------------------------------------------------------


def breach_list(
    *, pending: bool, after: tuple[datetime.datetime, int] | None, limit: int
) -> list[Breach]:
    """The register: breaches still to notify, the earliest deadline first; or (not
    ``pending``) every breach, the latest deadline first."""
    if pending:
        breaches = Breach.objects.filter(
            Q(subjects_notified_at__isnull=True) | Q(authority_notified_at__isnull=True)
        ).order_by("notify_due_at", "id")
        if after is not None:
            breaches = breaches.filter(after_q(["notify_due_at", "id"], after))
    else:
        breaches = Breach.objects.order_by("-notify_due_at", "-id")
        if after is not None:
            breaches = breaches.filter(after_q(["notify_due_at", "id"], after, descending=True))
    return list(breaches[:limit])


def breach_get(*, tracking: str) -> Breach:
    found = Breach.objects.select_related("recorded_by").filter(tracking=tracking[:16]).first()
    if found is None:
        raise NotFound(_("There is no such breach in the register."))
    return found


# Retention ------------------------------------------------------------------------------


def retention_rules() -> dict[str, RetentionRule]:
    """The rules by kind of record."""
    return {rule.kind: rule for rule in RetentionRule.objects.all()}


@dataclass
class Holding:
    """What the platform holds of one person of one kind of record."""

    kind: str
    count: int = 0
    # Records whose period has not started yet: open cases and complaints, active consents.
    running: int = 0
    # The latest start of the period among the others (a case's closing, a withdrawal…).
    last_start: datetime.datetime | None = None
    # Of the records that a request could erase now: those not running.
    ids: list[int] = field(default_factory=list)


def _cases(user) -> Holding:
    submissions = Submission.objects.filter(applicant_id=user.pk).exclude(
        status=SubmissionStatus.DRAFT
    )
    running = set(
        Case.objects.filter(applicant_id=user.pk)
        .filter(Q(is_open=True) | Q(is_waiting=True))
        .values_list("submission_id", flat=True)
    )
    closed = dict(
        Case.objects.filter(applicant_id=user.pk, is_open=False, is_waiting=False)
        .values("submission_id")
        .annotate(last=Max("closed_at"))
        .values_list("submission_id", "last")
    )
    ids = [pk for pk in submissions.values_list("pk", flat=True) if pk not in running]
    starts = [closed[pk] for pk in ids if closed.get(pk)]
    return Holding(
        kind=RecordKind.CASES,
        count=len(ids) + len(running),
        running=len(running),
        last_start=max(starts, default=None),
        ids=ids,
    )


def _complaints(user) -> Holding:
    rows = list(
        Complaint.objects.filter(complainant_id=user.pk).values_list("pk", "is_open", "closed_at")
    )
    done = [(pk, closed) for pk, is_open, closed in rows if not is_open]
    return Holding(
        kind=RecordKind.COMPLAINTS,
        count=len(rows),
        running=len(rows) - len(done),
        last_start=max((closed for _pk, closed in done if closed), default=None),
        ids=[pk for pk, _closed in done],
    )


def _consents(user) -> Holding:
    rows = list(
        Consent.objects.filter(user_id=user.pk).values_list(
            "pk", "granted", "decided_at", "withdrawn_at"
        )
    )
    ended = [
        withdrawn or decided
        for _pk, granted, decided, withdrawn in rows
        if withdrawn or not granted
    ]
    return Holding(
        kind=RecordKind.CONSENTS,
        count=len(rows),
        running=len(rows) - len(ended),
        last_start=max(ended, default=None),
        ids=[row[0] for row in rows],
    )


def _learning(user) -> Holding:
    count = sum(
        model.objects.filter(learner_id=user.pk).count()
        for model in (Enrolment, SessionBooking, JpEntry, Certificate, LearningClaim)
    )
    count += Assessment.objects.filter(employee__user_id=user.pk).count()
    count += EmployeeProfile.objects.filter(user_id=user.pk).count()
    return Holding(kind=RecordKind.LEARNING, count=count)


def person_holdings(*, user) -> dict[str, Holding]:
    """What the platform holds of ``user``, by kind of record: a few queries per kind,
    whatever the numbers."""
    drafts = Submission.objects.filter(applicant_id=user.pk, status=SubmissionStatus.DRAFT)
    notifications = Notification.objects.filter(recipient_id=user.pk)
    suggestions = Suggestion.objects.filter(user_id=user.pk)
    return {
        RecordKind.ACCOUNT: Holding(
            kind=RecordKind.ACCOUNT,
            count=1 + CitizenProfile.objects.filter(user_id=user.pk).count(),
        ),
        RecordKind.DRAFTS: Holding(
            kind=RecordKind.DRAFTS,
            count=drafts.count(),
            last_start=drafts.aggregate(last=Max("updated_at"))["last"],
        ),
        RecordKind.CASES: _cases(user),
        RecordKind.COMPLAINTS: _complaints(user),
        RecordKind.NOTIFICATIONS: Holding(
            kind=RecordKind.NOTIFICATIONS,
            count=notifications.count(),
            last_start=notifications.aggregate(last=Max("created_at"))["last"],
        ),
        RecordKind.SUGGESTIONS: Holding(
            kind=RecordKind.SUGGESTIONS,
            count=suggestions.count(),
            last_start=suggestions.aggregate(last=Max("created_at"))["last"],
        ),
        RecordKind.CONSENTS: _consents(user),
        RecordKind.LEARNING: _learning(user),
        RecordKind.AUDIT: Holding(
            kind=RecordKind.AUDIT,
            count=AuditEvent.objects.filter(subject_id=user.pk).count()
            + DataRequest.objects.filter(requester_id=user.pk).count(),
        ),
    }


# Erased now, or kept and until when, by kind.
ERASE = "erase"
KEEP = "keep"


@dataclass
class PlanRow:
    """What a deletion does with one kind of record of the person."""

    kind: str
    what: str  # ERASE or KEEP
    count: int
    action: str = ""  # of ERASE: EndAction.DELETE or EndAction.ANONYMISE
    # Of KEEP: the date the kept records are released (None: no date), and how many of them
    # are still running (their period starts when they end).
    until: datetime.date | None = None
    running: int = 0
    period_days: int | None = None
    legal_basis: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "count": self.count,
            "action": self.action,
            "until": self.until.isoformat() if self.until else None,
            "running": self.running,
            "period_days": self.period_days,
            "legal_basis": self.legal_basis,
        }


def scope_kinds(scope: str) -> list[str]:
    """The kinds of record that a deletion of ``scope`` covers."""
    if scope == DeletionScope.ALL:
        return list(RecordKind.values)
    return [scope]


def _until(rule: RetentionRule, holding: Holding) -> datetime.date | None:
    if rule.period_days is None or rule.action == EndAction.KEEP or holding.last_start is None:
        return None
    end = timezone.localtime(holding.last_start + datetime.timedelta(days=rule.period_days))
    # Records past their end are released by the next sweep.
    return max(end.date(), timezone.localdate())


def _basis(rule: RetentionRule | None) -> dict[str, str]:
    if rule is None:
        text = _("No retention rule is set for this kind of record; it is kept until one is.")
        return {"id": text, "en": text}
    return {"id": rule.legal_basis_id, "en": rule.legal_basis_en or rule.legal_basis_id}


def deletion_plan(*, user, scope: str, holdings: dict[str, Holding] | None = None) -> list[PlanRow]:
    """What deleting ``scope`` of ``user``'s data does, kind by kind, by the retention rules:
    what goes now (deleted or anonymised), and what a law keeps, with its legal basis and
    the date it is released. Kinds of which the person has nothing are left out.

    Consents in force are withdrawn by a deletion, so their period starts now."""
    rules = retention_rules()
    holdings = holdings or person_holdings(user=user)
    rows: list[PlanRow] = []
    for kind in scope_kinds(scope):
        holding = replace(holdings[kind])
        if not holding.count:
            continue
        rule = rules.get(kind)
        kept = rule is None or rule.kept_on_request
        if kind == RecordKind.CONSENTS and holding.running:
            holding.last_start, holding.running = timezone.now(), 0
        if not kept and kind in (RecordKind.CASES, RecordKind.COMPLAINTS) and holding.running:
            # Running cases and complaints cannot be anonymised: they stay until they end.
            rows.append(
                PlanRow(
                    kind=kind,
                    what=KEEP,
                    count=holding.running,
                    running=holding.running,
                    period_days=rule.period_days,
                    legal_basis=_basis(rule),
                )
            )
            holding.count -= holding.running
            holding.running = 0
        if kept:
            rows.append(
                PlanRow(
                    kind=kind,
                    what=KEEP,
                    count=holding.count,
                    until=_until(rule, holding) if rule else None,
                    running=holding.running,
                    period_days=rule.period_days if rule else None,
                    legal_basis=_basis(rule),
                )
            )
        elif holding.count:
            rows.append(PlanRow(kind=kind, what=ERASE, count=holding.count, action=rule.action))
    erased = {row.kind for row in rows if row.what == ERASE}
    has_profile = holdings[RecordKind.ACCOUNT].count > 1
    for row in list(rows):
        if (
            row.kind == RecordKind.CASES
            and row.what == KEEP
            and has_profile
            and (RecordKind.ACCOUNT in erased)
        ):
            # The identity in the citizen profile stays with the kept cases.
            rows.append(replace(row, kind=IDENTITY, count=1))
    return rows


# Not a kind of rule of its own: the identity in the citizen profile, kept with kept cases.
IDENTITY = "identity"


def kind_label(kind: str) -> str:
    """The words for a kind of record of a plan, in the active language."""
    if kind == IDENTITY:
        return _("Your identity in the profile (NIK, name, date of birth)")
    try:
        return str(RecordKind(kind).label)
    except ValueError:
        return kind


def has_open_deletion(*, user, scope: str) -> bool:
    return DataRequest.objects.filter(
        requester_id=user.pk, kind=RequestKind.DELETION, scope=scope, status=RequestStatus.OPEN
    ).exists()
