"""Writes of complaints. Every function is keyword-only, runs in one transaction, records
what it did on the complaint's timeline and in the audit trail, and leaves notifications to
tasks that are enqueued only when the transaction commits.

The flow: :func:`complaint_file` → the coordinator :func:`complaint_request_information`,
:func:`complaint_route` or :func:`complaint_reject` → the agency
:func:`complaint_follow_up` → :func:`complaint_close` by the sweep, or earlier
:func:`complaint_close_by_complainant` when the complainant is satisfied. Anyone concerned
writes with :func:`complaint_message_post`.
"""

from satupintu.complaints.services.exports import complaints_export
from satupintu.complaints.services.filing import Filed, complaint_file
from satupintu.complaints.services.handling import (
    complainant_identity_view,
    complaint_close,
    complaint_close_by_complainant,
    complaint_follow_up,
    complaint_message_post,
    complaint_reject,
    complaint_request_information,
    complaint_route,
)

__all__ = [
    "Filed",
    "complainant_identity_view",
    "complaint_close",
    "complaint_close_by_complainant",
    "complaint_file",
    "complaint_follow_up",
    "complaint_message_post",
    "complaint_reject",
    "complaint_request_information",
    "complaint_route",
    "complaints_export",
]
