"""Writes of the case engine. Every function is keyword-only, runs in one transaction,
records what it did on the case's timeline and in the audit trail, and leaves notifications
to tasks that are enqueued only when the transaction commits.

Modules by purpose: ``applications`` (drafts, submitting, opening a case), ``workflow``
(transitions, outcomes, claims, messages), ``life_events`` (one submission across agencies,
cases that wait for another), ``partners`` (tasks fulfilled by partner organisations) and
``suggestions`` (proactive service after a life-event signal).
"""

from satupintu.cases.services.applications import (
    case_open,
    submission_draft_delete,
    submission_draft_save,
    submission_send,
    submission_submit,
)
from satupintu.cases.services.workflow import (
    allowed_transitions,
    case_assign,
    case_claim,
    case_forward,
    case_transition,
    message_post,
    outcome_issue,
)

__all__ = [
    "allowed_transitions",
    "case_assign",
    "case_claim",
    "case_forward",
    "case_open",
    "case_transition",
    "message_post",
    "outcome_issue",
    "submission_draft_delete",
    "submission_draft_save",
    "submission_send",
    "submission_submit",
]
