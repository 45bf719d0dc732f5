"""What the survey listens for in the case engine."""

from typing import Any


def invite_when_case_closed(sender: Any, *, case_id: int, state: str, **kwargs: Any) -> None:
    """A case reached a final state (the signal comes after the commit): queue the task that
    invites its applicant to the survey. Whether the case earns an invitation is the
    service's to decide (``invitation_create``)."""
    from satupintu.feedback import tasks

    tasks.invite_to_survey.enqueue(case_id=case_id)
