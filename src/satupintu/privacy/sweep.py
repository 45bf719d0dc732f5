"""The sweep of data protection: it reminds the data protection officers of requests and
breach notices when half of their 3×24 hours is gone, escalates those whose time has run out
to the platform's administrators (and flags them), and applies the retention rules to the
records whose period has ended.

Each reminder and escalation happens once: the row is locked and its ``reminded_at`` or
``escalated_at`` set in the transaction that sends the notices, which carry deduplication
keys. The retention rules are applied once a day. ``satupintu worker`` enqueues the sweep on
its clock (``tasks.sweep_privacy``) and ``satupintu sweep`` runs it once.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from satupintu.privacy import notices
from satupintu.privacy.constants import REMIND_AFTER, RESPONSE_TIME, RequestStatus
from satupintu.privacy.models import Breach, DataRequest
from satupintu.privacy.services import retention_apply

# Time left when the reminder goes: half of the 3×24 hours.
REMIND_WHEN_LEFT = RESPONSE_TIME - REMIND_AFTER


@transaction.atomic
def _request_swept(pk: int, *, escalate: bool, now: datetime.datetime) -> int | None:
    """Remind about or escalate one open request, once; returns the notices sent, or None
    when there was nothing (any longer) to do."""
    data_request = DataRequest.objects.select_for_update().filter(pk=pk).first()
    if data_request is None or data_request.status != RequestStatus.OPEN:
        return None
    if escalate:
        if data_request.escalated_at is not None or data_request.due_at >= now:
            return None
        data_request.escalated_at = now
        data_request.reminded_at = data_request.reminded_at or now
        data_request.save(update_fields=["escalated_at", "reminded_at", "updated_at"])
        return notices.request_escalation(data_request)
    if data_request.reminded_at is not None or data_request.due_at > now + REMIND_WHEN_LEFT:
        return None
    data_request.reminded_at = now
    data_request.save(update_fields=["reminded_at", "updated_at"])
    return notices.request_reminder(data_request)


@transaction.atomic
def _breach_swept(pk: int, *, escalate: bool, now: datetime.datetime) -> int | None:
    breach = Breach.objects.select_for_update().filter(pk=pk).first()
    if breach is None or breach.is_notified:
        return None
    if escalate:
        if breach.escalated_at is not None or breach.notify_due_at >= now:
            return None
        breach.escalated_at = now
        breach.reminded_at = breach.reminded_at or now
        breach.save(update_fields=["escalated_at", "reminded_at", "updated_at"])
        return notices.breach_escalation(breach)
    if breach.reminded_at is not None or breach.notify_due_at > now + REMIND_WHEN_LEFT:
        return None
    breach.reminded_at = now
    breach.save(update_fields=["reminded_at", "updated_at"])
    return notices.breach_reminder(breach)


def _sweep(report: dict[str, Any], *, name: str, queryset, swept, now) -> None:
    overdue = queryset.filter(escalated_at__isnull=True, **{f"{name}__lt": now})
    due_soon = queryset.filter(
        reminded_at__isnull=True,
        escalated_at__isnull=True,
        **{f"{name}__lte": now + REMIND_WHEN_LEFT},
    )
    for escalate, rows in ((True, overdue), (False, due_soon)):
        for pk in list(rows.order_by(name, "pk").values_list("pk", flat=True)):
            sent = swept(pk, escalate=escalate, now=now)
            if sent is None:
                continue
            report["escalations" if escalate else "reminders"] += 1
            report["notifications"] += sent


def privacy_sweep(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Remind, escalate and apply the retention rules; safe to run as often as one likes.

    - Open requests with half of their time gone remind the data protection officers;
      overdue ones are flagged and go to the platform's administrators (and the officers).
    - The same for breaches whose people or authority are not yet told.
    - Each retention rule is applied, once a day, to the records whose period has ended.
    - Failed sign-ins (username and client address) are forgotten once their lockout window
      has passed: they count towards nothing any more.
    """
    now = now or timezone.now()
    requests: dict[str, Any] = {"reminders": 0, "escalations": 0, "notifications": 0}
    breaches: dict[str, Any] = {"reminders": 0, "escalations": 0, "notifications": 0}
    _sweep(
        requests,
        name="due_at",
        queryset=DataRequest.objects.filter(status=RequestStatus.OPEN),
        swept=_request_swept,
        now=now,
    )
    _sweep(
        breaches,
        name="notify_due_at",
        queryset=Breach.objects.filter(
            Q(subjects_notified_at__isnull=True) | Q(authority_notified_at__isnull=True)
        ),
        swept=_breach_swept,
        now=now,
    )
    return {
        "time": now.isoformat(),
        "requests": requests,
        "breaches": breaches,
        "retention": retention_apply(now=now),
        "sign_in_failures_forgotten": sign_in_failures_forget(now=now),
    }


def sign_in_failures_forget(*, now: datetime.datetime) -> int:
    """Delete the failed sign-ins whose last attempt is older than the lockout window: the
    lockout forgets them anyway, and they hold a username and a client address."""
    from axes.models import AccessAttempt

    cutoff = now - settings.AXES_COOLOFF_TIME
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted
