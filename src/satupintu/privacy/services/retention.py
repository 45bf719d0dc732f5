"""Applying the retention rules: to one person's records when they ask for deletion
(``records_erase``), and to everyone's records whose period has ended (``retention_apply``,
run by the sweep in batches).

What each kind of record becomes:

- **account and citizen profile** — anonymised: no name, e-mail address, phone, address;
  no roles or business links; a password that matches nothing and an inactive account, so
  nobody signs in with it. The identity in the citizen profile (NIK, name, date of birth)
  stays while the person's applications and cases are kept, and is deleted with the last
  of them.
- **drafts** — deleted with their uploaded files.
- **applications and cases** — anonymised once all their cases have ended: the answers, the
  registry data, the messages, the reasons given on the timeline, the uploaded documents and
  the outcome document's PDF go; the tracking number, service, agency, dates and states stay
  for the public figures.
- **complaints** — anonymised once closed: nobody is linked to them any longer; the text
  stays (it is what the agencies answered and what the figures count).
- **notifications, suggestions, consents** — deleted.
- **learning records, audit events** — kept.

Files are removed from storage only after the transaction that removed their rows commits.
"""

import datetime
import hashlib
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case as Conditional
from django.db.models import Q, Value, When
from django.utils import timezone

from satupintu.accounts.models import (
    BusinessRepresentative,
    CitizenProfile,
    Consent,
    RoleAssignment,
    User,
)
from satupintu.accounts.services import consent_withdraw
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import (
    Case,
    CaseEvent,
    Document,
    Message,
    OutcomeDocument,
    Submission,
    Suggestion,
)
from satupintu.complaints.constants import Sender
from satupintu.complaints.models import Complaint, ComplaintEvent, ComplaintMessage
from satupintu.core.services import audit_record
from satupintu.notifications.models import Notification
from satupintu.privacy.constants import (
    DeletionScope,
    EndAction,
    RecordKind,
    RequestKind,
    RequestStatus,
)
from satupintu.privacy.models import DataRequest, RetentionRule
from satupintu.privacy.selectors import Holding

BATCH_SIZE = 500

# A follow-up code digest that no code has: an anonymised complaint is followed by nobody.
NO_CODE = hashlib.sha256(b"satupintu: anonymised, followed by nobody").hexdigest()


def _remove_after_commit(files: Iterable[tuple]) -> None:
    files = [(storage, name) for storage, name in files if name]
    if not files:
        return

    def remove() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)


# Applications and cases -------------------------------------------------------------------


def submissions_anonymise(*, submission_ids: list[int]) -> int:
    """Anonymise these applications and their cases (all of which have ended); returns how
    many there were. Safe to run twice."""
    if not submission_ids:
        return 0
    Submission.objects.filter(pk__in=submission_ids).update(
        answers={}, registry_data={}, prefill_sources={}, idempotency_key=""
    )
    Case.objects.filter(submission_id__in=submission_ids).update(answers={})
    Message.objects.filter(case__submission_id__in=submission_ids).exclude(body="").update(body="")
    for event in CaseEvent.objects.filter(
        case__submission_id__in=submission_ids, data__has_key="reason"
    ):
        event.data = {key: value for key, value in event.data.items() if key != "reason"}
        CaseEvent.objects.filter(pk=event.pk).update(data=event.data)
    documents = list(Document.objects.filter(submission_id__in=submission_ids))
    files = [(document.file.storage, document.file.name) for document in documents]
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    outcomes = list(
        OutcomeDocument.objects.filter(case__submission_id__in=submission_ids).exclude(pdf="")
    )
    files += [(outcome.pdf.storage, outcome.pdf.name) for outcome in outcomes]
    OutcomeDocument.objects.filter(pk__in=[outcome.pk for outcome in outcomes]).update(pdf="")
    _remove_after_commit(files)
    return len(submission_ids)


def _keeps_cases(user_id: int, *, before: datetime.datetime) -> bool:
    """Whether the person still has cases that are kept: running ones, and those that closed
    at or after ``before``."""
    cases = Case.objects.filter(applicant_id=user_id)
    return cases.filter(Q(is_open=True) | Q(is_waiting=True) | Q(closed_at__gte=before)).exists()


def identity_release(*, user_id: int, actor=None) -> bool:
    """Delete the citizen profile (the identity) of a person whose account was deleted, once
    none of their cases is kept any longer."""
    deleted, _counts = CitizenProfile.objects.filter(user_id=user_id).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="retention.identity_released",
            object_type="accounts.user",
            object_id=str(user_id),
            subject=User(pk=user_id),
        )
    return bool(deleted)


# Complaints -------------------------------------------------------------------------------


def complaints_anonymise(*, complaint_ids: list[int]) -> int:
    """Link these (closed) complaints to nobody: no account, name, e-mail address or phone,
    no follow-up code that works. Safe to run twice."""
    if not complaint_ids:
        return 0
    ComplaintMessage.objects.filter(
        complaint_id__in=complaint_ids, sender=Sender.COMPLAINANT
    ).update(author=None)
    ComplaintEvent.objects.filter(complaint_id__in=complaint_ids, by=Sender.COMPLAINANT).update(
        actor=None
    )
    Complaint.objects.filter(pk__in=complaint_ids).update(
        complainant=None,
        is_anonymous=True,
        name="",
        email="",
        phone="",
        idempotency_key="",
        follow_up_code_hash=Conditional(
            When(follow_up_code_hash="", then=Value(NO_CODE)), default="follow_up_code_hash"
        ),
    )
    return len(complaint_ids)


# The account ------------------------------------------------------------------------------


def account_anonymise(*, user: User, keep_identity: bool) -> None:
    """Anonymise the account: nobody can sign in with it, and it says nothing of whom it
    was. The citizen profile loses its contact details; its identity goes too unless
    ``keep_identity`` (kept cases still need it)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.username = f"terhapus-{uuid.uuid4().hex[:20]}"
    user.first_name = user.last_name = user.phone = ""
    user.email = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.filter(user_id=user.pk).delete()
    BusinessRepresentative.objects.filter(user_id=user.pk).delete()
    profiles = CitizenProfile.objects.filter(user_id=user.pk)
    if keep_identity:
        profiles.update(address="", region_code="", phone="", email="", updated_at=timezone.now())
    else:
        profiles.delete()


# One person, on request -------------------------------------------------------------------


def records_erase(
    *,
    user: User,
    kind: str,
    holding: Holding,
    rules: dict[str, RetentionRule],
    keep_identity: bool = False,
) -> int:
    """Erase now ``user``'s records of ``kind`` that may go (``holding`` from
    ``selectors.person_holdings``): by the rule's action, for a rule that does not keep
    them. Consents that a rule keeps are withdrawn (their processing stops). The account's
    identity stays with ``keep_identity`` (kept cases need it). Returns how many records
    went."""
    rule = rules.get(kind)
    kept = rule is None or rule.kept_on_request
    if kind == RecordKind.CONSENTS:
        if kept:
            for consent in Consent.objects.filter(
                user_id=user.pk, granted=True, withdrawn_at__isnull=True
            ):
                consent_withdraw(user=user, consent=consent)
            return 0
        return Consent.objects.filter(user_id=user.pk).delete()[0]
    if kept:
        return 0
    if kind == RecordKind.DRAFTS:
        return _drafts_delete(
            Submission.objects.filter(applicant_id=user.pk, status=SubmissionStatus.DRAFT)
        )
    if kind == RecordKind.CASES:
        return submissions_anonymise(submission_ids=holding.ids)
    if kind == RecordKind.COMPLAINTS:
        return complaints_anonymise(complaint_ids=holding.ids)
    if kind == RecordKind.NOTIFICATIONS:
        return Notification.objects.filter(recipient_id=user.pk).delete()[0]
    if kind == RecordKind.SUGGESTIONS:
        return Suggestion.objects.filter(user_id=user.pk).delete()[0]
    if kind == RecordKind.ACCOUNT:
        account_anonymise(user=user, keep_identity=keep_identity)
        return holding.count
    return 0


def _drafts_delete(drafts) -> int:
    drafts = list(drafts)
    if not drafts:
        return 0
    documents = list(Document.objects.filter(submission__in=drafts))
    _remove_after_commit((document.file.storage, document.file.name) for document in documents)
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    return (
        Submission.objects.filter(pk__in=[draft.pk for draft in drafts])
        .delete()[1]
        .get("cases.Submission", 0)
    )


# Everyone, at the end of the period (the sweep) -------------------------------------------


def _batches(queryset, *, size: int) -> Iterable[list[int]]:
    """The primary keys of ``queryset``, in batches in key order, read one batch at a time
    (rows handled by an earlier batch may have left the query)."""
    last = 0
    while True:
        keys = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not keys:
            return
        yield keys
        last = keys[-1]


def _expire_drafts(cutoff: datetime.datetime, size: int) -> int:
    done = 0
    old = Submission.objects.filter(status=SubmissionStatus.DRAFT, updated_at__lt=cutoff)
    for keys in _batches(old, size=size):
        with transaction.atomic():
            drafts = list(
                Submission.objects.select_for_update().filter(
                    pk__in=keys, status=SubmissionStatus.DRAFT, updated_at__lt=cutoff
                )
            )
            for draft in drafts:
                audit_record(
                    actor=None,
                    action="retention.deleted",
                    target=draft,
                    subject=User(pk=draft.applicant_id),
                    details={"kind": RecordKind.DRAFTS},
                )
            done += _drafts_delete(drafts)
    return done


def _expire_cases(rule: RetentionRule, cutoff: datetime.datetime, size: int) -> int:
    """Anonymise the applications whose last case closed before ``cutoff``: those of cases
    that closed since the rule was last applied (``swept_until``), so that each run reads
    only the cases that closed in between."""
    ended = Case.objects.filter(is_open=False, is_waiting=False, closed_at__lt=cutoff)
    if rule.swept_until is not None:
        ended = ended.filter(closed_at__gte=rule.swept_until)
    candidates = Submission.objects.filter(pk__in=ended.values("submission_id"))
    done = 0
    for keys in _batches(candidates, size=size):
        with transaction.atomic():
            still_kept = set(
                Case.objects.filter(submission_id__in=keys)
                .filter(Q(is_open=True) | Q(is_waiting=True) | Q(closed_at__gte=cutoff))
                .values_list("submission_id", flat=True)
            )
            rows = list(
                Submission.objects.select_for_update()
                .filter(pk__in=[key for key in keys if key not in still_kept])
                .values_list("pk", "applicant_id")
            )
            for pk, applicant_id in rows:
                audit_record(
                    actor=None,
                    action="retention.anonymised",
                    object_type="cases.submission",
                    object_id=str(pk),
                    subject=User(pk=applicant_id),
                    details={"kind": RecordKind.CASES},
                )
            done += submissions_anonymise(submission_ids=[pk for pk, _applicant in rows])
    _identities_release(cutoff)
    return done


def _identities_release(cutoff: datetime.datetime) -> None:
    """Delete the identity of the people whose account was deleted at their request and
    whose cases are no longer kept (all of them closed before ``cutoff``)."""
    erased = (
        DataRequest.objects.filter(
            kind=RequestKind.DELETION,
            scope=DeletionScope.ALL,
            status=RequestStatus.DONE,
            requester__citizen__isnull=False,
        )
        .values_list("requester_id", flat=True)
        .distinct()
    )
    for user_id in list(erased):
        if not _keeps_cases(user_id, before=cutoff):
            with transaction.atomic():
                identity_release(user_id=user_id)


def _expire_complaints(cutoff: datetime.datetime, size: int) -> int:
    identified = Q(complainant__isnull=False) | ~Q(name="") | ~Q(email="") | ~Q(phone="")
    old = Complaint.objects.filter(identified, is_open=False, closed_at__lt=cutoff)
    done = 0
    for keys in _batches(old, size=size):
        with transaction.atomic():
            rows = list(
                Complaint.objects.select_for_update()
                .filter(pk__in=keys)
                .values_list("pk", "public_id", "complainant_id")
            )
            for _pk, public_id, complainant_id in rows:
                audit_record(
                    actor=None,
                    action="retention.anonymised",
                    object_type="complaints.complaint",
                    object_id=str(public_id),
                    subject=User(pk=complainant_id) if complainant_id else None,
                    details={"kind": RecordKind.COMPLAINTS},
                )
            done += complaints_anonymise(complaint_ids=[row[0] for row in rows])
    return done


def _expire_rows(kind: str, queryset, size: int) -> int:
    """Delete the rows of ``queryset`` in batches; one audit event per batch says how many
    (these rows are copies and conveniences, not records of a service)."""
    done = 0
    for keys in _batches(queryset, size=size):
        with transaction.atomic():
            deleted = (
                queryset.model.objects.filter(pk__in=keys)
                .delete()[1]
                .get(queryset.model._meta.label, 0)
            )
            audit_record(
                actor=None,
                action="retention.deleted",
                object_type=queryset.model._meta.label_lower,
                details={"kind": kind, "count": deleted},
            )
            done += deleted
    return done


def rule_expire(*, rule: RetentionRule, now: datetime.datetime, size: int = BATCH_SIZE) -> int:
    """Apply ``rule`` to the records whose period ended before ``now``; returns how many
    records were deleted or anonymised."""
    if rule.period_days is None or rule.action == EndAction.KEEP:
        return 0
    cutoff = now - datetime.timedelta(days=rule.period_days)
    if rule.kind == RecordKind.DRAFTS:
        return _expire_drafts(cutoff, size)
    if rule.kind == RecordKind.CASES:
        return _expire_cases(rule, cutoff, size)
    if rule.kind == RecordKind.COMPLAINTS:
        return _expire_complaints(cutoff, size)
    if rule.kind == RecordKind.NOTIFICATIONS:
        return _expire_rows(rule.kind, Notification.objects.filter(created_at__lt=cutoff), size)
    if rule.kind == RecordKind.SUGGESTIONS:
        return _expire_rows(rule.kind, Suggestion.objects.filter(created_at__lt=cutoff), size)
    if rule.kind == RecordKind.CONSENTS:
        ended = Q(withdrawn_at__lt=cutoff) | Q(granted=False, decided_at__lt=cutoff)
        return _expire_rows(rule.kind, Consent.objects.filter(ended), size)
    return 0


def retention_apply(
    *, now: datetime.datetime | None = None, size: int = BATCH_SIZE
) -> dict[str, int]:
    """Apply every rule whose period ended for some records, once a day per rule (however
    often the sweep runs); returns the number of records deleted or anonymised by kind."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    report: dict[str, int] = {}
    for rule in RetentionRule.objects.filter(period_days__isnull=False).exclude(
        action=EndAction.KEEP
    ):
        if rule.swept_on is not None and rule.swept_on >= today:
            continue
        count = rule_expire(rule=rule, now=now, size=size)
        cutoff = now - datetime.timedelta(days=rule.period_days)
        # Up to the cut-off: the next run starts there (never moving back, should the
        # period have grown since).
        swept_until = max(cutoff, rule.swept_until) if rule.swept_until else cutoff
        RetentionRule.objects.filter(pk=rule.pk).update(swept_on=today, swept_until=swept_until)
        report[rule.kind] = count
    return report
