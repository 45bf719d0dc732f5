"""Background work of the case engine (thin: each task calls a service)."""

from django_tasks import task


@task()
def notify_case_event(*, case_id: int, kind: str, data: dict) -> None:
    """Tell the people concerned that something happened to a case (being built)."""


@task()
def render_outcome_document(*, outcome_id: int) -> None:
    """Make the PDF of an outcome document (being built)."""
