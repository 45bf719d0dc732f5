"""Complaints over the API (SP4N-LAPOR! flow).

- **Anyone** files a report with ``POST /complaints``, signed in (session, with the CSRF
  token) or not. Without an account the answer carries a ``follow_up_code``, shown once;
  with the report number it opens the report: send it as the ``X-Follow-Up-Code`` header
  (never in the address, which ends up in logs).
- **The complainant** reads their report and writes about it at ``/complaints/{tracking}``.
- **The agency** — its officers and supervisors (session) or its systems (API key) — lists
  the reports routed to it, reads one and posts its follow-up under ``/agency/complaints``.
  A report that is not the caller's is "not found", whoever asks.

An anonymous report never shows who filed it to the agency: ``complainant`` is null and the
case it was about is left out. Lists answer ``{"items", "next"}``, paged by keyset.
"""

from ninja import Router

router = Router(tags=["complaints"])

# The operations register themselves on ``router`` when their modules are imported.
from satupintu.complaints.api import agency, complainant  # noqa: E402, F401
