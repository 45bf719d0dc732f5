"""Background work of the survey (thin: each task calls a service).

Both tasks are safe to run twice: a case gets one invitation whatever happens, and the
signals of a service and quarter are one row that a second run overwrites with the same
figures.
"""

import datetime

from django_tasks import task

from satupintu.feedback import periods, services


@task()
def invite_to_survey(*, case_id: int) -> bool:
    """Invite the applicant of a closed case to the survey; False when the case earns no
    invitation or already has one."""
    return services.invitation_create(case_id=case_id) is not None


@task()
def compute_service_signals(*, start: str, end: str) -> int:
    """Compute the performance signals of every service for the period from ``start`` to
    ``end`` (ISO dates); returns how many services have a signal."""
    period = periods.period_span(
        datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )
    return services.service_signals_compute(period=period)
