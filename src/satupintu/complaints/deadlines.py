"""The complaint timetable, in working days (``core.calendar``: national holidays, collective
leave, agency closures).

=====================  =========================================  ===================
step                   deadline                                   calendar
=====================  =========================================  ===================
verify (coordinator)   filed + 3 working days + days paused       national
follow-up (agency)     routed + 5 working days                    the agency's
close                  last follow-up or answer + 10 working days the agency's
=====================  =========================================  ===================

The numbers are settings (``SATUPINTU_COMPLAINT_VERIFY_DAYS``,
``SATUPINTU_COMPLAINT_FOLLOW_UP_DAYS``, ``SATUPINTU_COMPLAINT_CLOSE_DAYS``), read from
Django's settings or else from the environment. The coordinator works for the whole
platform, so the verification step counts national working days; the agency's steps count
the agency's own (its closures included). Only the verification step pauses: while the
coordinator waits for the complainant, the working days spent waiting are added to it.
"""

import datetime
import os

from django.conf import settings

from satupintu.complaints.constants import STEP_OF_STATUS, Step
from satupintu.core.calendar import WorkingCalendar

DEFAULTS = {
    "SATUPINTU_COMPLAINT_VERIFY_DAYS": 3,
    "SATUPINTU_COMPLAINT_FOLLOW_UP_DAYS": 5,
    "SATUPINTU_COMPLAINT_CLOSE_DAYS": 10,
}
SETTING_OF_STEP = {
    Step.VERIFY: "SATUPINTU_COMPLAINT_VERIFY_DAYS",
    Step.FOLLOW_UP: "SATUPINTU_COMPLAINT_FOLLOW_UP_DAYS",
    Step.CLOSE: "SATUPINTU_COMPLAINT_CLOSE_DAYS",
}


def _setting(name: str) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or DEFAULTS[name]
    return max(int(value), 1)


def working_days_for(step: str) -> int:
    """How many working days ``step`` has."""
    return _setting(SETTING_OF_STEP[Step(step)])


def remind_days_before() -> int:
    """How many working days before a deadline the sweep reminds (shared with cases)."""
    return max(int(getattr(settings, "SATUPINTU_REMIND_DAYS_BEFORE", 1)), 0)


def step_of(status: str) -> Step | None:
    """The step a complaint in ``status`` is in (None once it is closed or rejected)."""
    return STEP_OF_STATUS.get(status)


def calendar_for(*, step: str, agency_id: int | None) -> WorkingCalendar:
    """The calendar ``step`` counts in: national for the coordinator's step, the agency's
    for the agency's steps."""
    return WorkingCalendar.for_agency(None if step == Step.VERIFY else agency_id)


def due_date(
    *,
    step: str,
    start: datetime.date,
    calendar: WorkingCalendar,
    paused_working_days: int = 0,
) -> datetime.date:
    """The deadline of ``step`` started on ``start``, moved by the working days spent
    waiting on the complainant."""
    return calendar.add_working_days(start, working_days_for(step) + paused_working_days)
