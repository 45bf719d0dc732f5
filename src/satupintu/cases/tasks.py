"""Background work of the case engine (thin: each task calls a service).

Every task is safe to run twice: the notices carry deduplication keys, the sweep acts once a
day per case, and an outcome document's PDF is made once.
"""

from typing import Any

from django_tasks import task

from satupintu.cases.models import Case
from satupintu.cases.notices import case_notify, cases_sweep


@task()
def notify_case_event(*, case_id: int, kind: str, data: dict) -> int:
    """Tell the people concerned that ``kind`` happened to a case; returns how many
    notifications were new."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    return len(case_notify(case=case, kind=kind, data=data))


@task()
def render_outcome_document(*, outcome_id: int) -> None:
    """Make the PDF of an outcome document."""
    from satupintu.cases.outcomes import outcome_render_pdf
    from satupintu.cases.services.life_events import outcome_document_share

    outcome_render_pdf(outcome_id=outcome_id)
    outcome_document_share(outcome_id=outcome_id)


@task()
def sweep_cases() -> dict[str, Any]:
    """Remind officers of cases due soon and escalate overdue ones (see ``cases_sweep``);
    enqueued every few minutes by ``satupintu worker``, or run by ``satupintu sweep``. Once
    a day it also refreshes the month's performance figures of every service."""
    from satupintu.cases.services.performance import service_months_refresh_daily

    result = cases_sweep()
    result["service_months"] = service_months_refresh_daily()
    return result


@task()
def notify_suggestion(*, suggestion_id: int) -> bool:
    """Tell a person about a suggestion made for them (once)."""
    from satupintu.cases.models import Suggestion
    from satupintu.cases.services.suggestions import suggestion_notify

    suggestion = (
        Suggestion.objects.filter(pk=suggestion_id)
        .select_related("user", "life_event", "source_case__service")
        .first()
    )
    if suggestion is None:
        return False
    suggestion_notify(suggestion=suggestion)
    return True


@task()
def refresh_service_month(*, service_id: int, month: str) -> int:
    """Count one service's month again (after one of its cases closed)."""
    import datetime

    from satupintu.cases.services.performance import service_month_refresh
    from satupintu.catalog.models import Service

    service = Service.objects.filter(pk=service_id).select_related("agency").first()
    if service is None:
        return 0
    return service_month_refresh(
        service=service, month=datetime.date.fromisoformat(month)
    ).completed
