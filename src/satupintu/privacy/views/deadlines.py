"""How a deadline of 3×24 hours reads on a page: overdue, due soon (half of the time gone),
or the time left."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from satupintu.privacy.constants import REMIND_AFTER, RESPONSE_TIME


@dataclass(frozen=True)
class Deadline:
    at: datetime.datetime
    kind: str  # "overdue", "soon", "met" (answered) or ""
    hours: int  # hours left (or late, when overdue)


def deadline_of(due_at: datetime.datetime, *, running: bool, now=None) -> Deadline:
    now = now or timezone.now()
    if not running:
        return Deadline(at=due_at, kind="met", hours=0)
    left = due_at - now
    if left < datetime.timedelta(0):
        return Deadline(at=due_at, kind="overdue", hours=int(-left.total_seconds() // 3600))
    kind = "soon" if left <= RESPONSE_TIME - REMIND_AFTER else ""
    return Deadline(at=due_at, kind=kind, hours=int(left.total_seconds() // 3600))
