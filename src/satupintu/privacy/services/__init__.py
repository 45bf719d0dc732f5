"""Writes of data protection. Every function is keyword-only, runs in one transaction and
writes its audit event in it; the people concerned are told in their inbox.

- A person's requests: :func:`data_request_file`, answered by :func:`data_request_correct`,
  :func:`data_request_erase` or :func:`data_request_refuse`.
- The breach register: :func:`breach_record`, :func:`breach_update`, :func:`breach_notified`.
- Retention: :func:`retention_apply`, run by the sweep.
"""

from satupintu.privacy.services.breaches import (
    BreachFacts,
    breach_notified,
    breach_record,
    breach_update,
)
from satupintu.privacy.services.requests import (
    data_request_correct,
    data_request_erase,
    data_request_file,
    data_request_refuse,
    data_request_view,
)
from satupintu.privacy.services.retention import retention_apply

__all__ = [
    "BreachFacts",
    "breach_notified",
    "breach_record",
    "breach_update",
    "data_request_correct",
    "data_request_erase",
    "data_request_file",
    "data_request_refuse",
    "data_request_view",
    "retention_apply",
]
