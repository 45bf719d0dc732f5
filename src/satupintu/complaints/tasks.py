"""Background work of complaints (thin: each task calls a notice or the sweep).

Every task is safe to run twice: notices carry deduplication keys, e-mails are sent once per
row, and the sweep acts once a day per complaint and step.
"""

from typing import Any

from django_tasks import task

from satupintu.complaints.models import Complaint
from satupintu.complaints.notices import complaint_mail_send, complaint_notify
from satupintu.complaints.sweep import complaints_sweep


@task()
def notify_complaint_event(*, complaint_id: int, kind: str, data: dict) -> int:
    """Tell the people concerned that ``kind`` happened to a complaint; returns how many
    notices were new."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return 0
    return complaint_notify(complaint=complaint, kind=kind, data=data)


@task()
def send_complaint_mail(*, mail_id: int) -> bool:
    """E-mail a complainant without an account that their report has news (once)."""
    return complaint_mail_send(mail_id=mail_id)


@task()
def sweep_complaints() -> dict[str, Any]:
    """Close, remind and escalate complaints (see ``complaints_sweep``); enqueued every few
    minutes by ``satupintu worker``, or run by ``satupintu sweep``."""
    return complaints_sweep()
