"""Exchanging complaints with the national complaint system (SP4N-LAPOR!).

The national system's integration API is not public, so this module holds an adapter
interface, :class:`ComplaintExchange`, and exports in a documented format that an operator
can hand over or that a future adapter can send:

- :class:`JsonExchange` — ``satupintu.complaints/1`` JSON (see docs/complaints.md);
- :class:`CsvExchange` — the same records, one line per complaint, for spreadsheets;
- :class:`LaporExchange` — the adapter for the national system: it exports the JSON format,
  and its :meth:`~LaporExchange.push` is not implemented until the API is available.

Identity follows the complaint's choices: an anonymous complaint is exported without any
identity (no name, contact, account, nor the case it was about, which would name the
applicant). Confidential complaints are exported with ``confidential: true``: the national
system must keep them off its public pages too.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.utils import timezone

from satupintu.complaints.models import Complaint
from satupintu.complaints.selectors import complainant_identity

FORMAT = "satupintu.complaints/1"

# The national system's names for the four classes of report.
LAPOR_CATEGORIES = {
    "complaint": "pengaduan",
    "aspiration": "aspirasi",
    "information": "permintaan_informasi",
    "whistleblowing": "whistleblowing",
}

CSV_COLUMNS = [
    "tracking",
    "category",
    "title",
    "description",
    "submitted_at",
    "status",
    "anonymous",
    "confidential",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "agency_code",
    "agency_name",
    "service_code",
    "service_name",
    "case_tracking",
    "routed_at",
    "first_follow_up_at",
    "closed_at",
    "rejection_reason",
    "rejection_note",
    "follow_up_count",
    "last_follow_up",
]


class ExchangeUnavailable(Exception):
    """The national system cannot be reached from here (no live integration)."""


class ComplaintExchange(Protocol):
    """What an exchange with a national or regional complaint system does."""

    #: A short name for logs and the command line.
    name: str
    #: The MIME type of what :meth:`export` makes.
    content_type: str

    def export(self, complaints: Iterable[Complaint]) -> bytes:
        """The complaints in this exchange's format."""
        ...

    def push(self, complaints: Sequence[Complaint]) -> dict[str, str]:
        """Send the complaints to the other system; returns each report number's id
        there. Raises :class:`ExchangeUnavailable` when it cannot."""
        ...


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def complaint_record(complaint: Complaint) -> dict[str, Any]:
    """One complaint in the exchange format. ``follow_ups`` are the agency's answers, oldest
    first; messages and internal notes are not exported."""
    identity = complainant_identity(complaint=complaint)
    reporter = None
    if identity.shown:
        reporter = {"name": identity.name, "email": identity.email, "phone": identity.phone}
    follow_ups = [
        {"at": _iso(message.created_at), "text": message.body}
        for message in complaint.messages.all()
        if message.is_follow_up
    ]
    case_tracking = None
    if complaint.case_id and not complaint.is_anonymous:
        case_tracking = complaint.case.submission.tracking
    return {
        "tracking": complaint.tracking,
        "category": LAPOR_CATEGORIES[complaint.kind],
        "title": complaint.title,
        "description": complaint.body,
        "submitted_at": _iso(complaint.submitted_at),
        "status": complaint.status,
        "anonymous": complaint.is_anonymous,
        "confidential": complaint.is_confidential,
        "reporter": reporter,
        "agency": {"code": complaint.agency.code, "name": complaint.agency.name_id}
        if complaint.agency_id
        else None,
        "service": {"code": complaint.service.code, "name": complaint.service.name_id}
        if complaint.service_id
        else None,
        "case_tracking": case_tracking,
        "routed_at": _iso(complaint.routed_at),
        "first_follow_up_at": _iso(complaint.followed_up_at),
        "closed_at": _iso(complaint.closed_at),
        "rejection": {"reason": complaint.rejection_reason, "note": complaint.rejection_note}
        if complaint.rejection_reason
        else None,
        "follow_ups": follow_ups,
    }


class JsonExchange:
    name = "json"
    content_type = "application/json"

    def __init__(self, *, period: tuple[Any, Any] | None = None) -> None:
        self.period = period

    def export(self, complaints: Iterable[Complaint]) -> bytes:
        records = [complaint_record(complaint) for complaint in complaints]
        document = {
            "format": FORMAT,
            "generated_at": timezone.now().isoformat(),
            "period": {"from": _iso(self.period[0]), "to": _iso(self.period[1])}
            if self.period
            else None,
            "count": len(records),
            "complaints": records,
        }
        return json.dumps(document, ensure_ascii=False, indent=2).encode()

    def push(self, complaints: Sequence[Complaint]) -> dict[str, str]:
        raise ExchangeUnavailable("A file export has nowhere to push to.")


class CsvExchange:
    name = "csv"
    content_type = "text/csv; charset=utf-8"

    def export(self, complaints: Iterable[Complaint]) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for complaint in complaints:
            record = complaint_record(complaint)
            reporter = record["reporter"] or {}
            follow_ups = record["follow_ups"]
            writer.writerow(
                {
                    **{key: record[key] for key in CSV_COLUMNS if key in record},
                    "anonymous": "1" if record["anonymous"] else "0",
                    "confidential": "1" if record["confidential"] else "0",
                    "reporter_name": reporter.get("name", ""),
                    "reporter_email": reporter.get("email", ""),
                    "reporter_phone": reporter.get("phone", ""),
                    "agency_code": (record["agency"] or {}).get("code", ""),
                    "agency_name": (record["agency"] or {}).get("name", ""),
                    "service_code": (record["service"] or {}).get("code", ""),
                    "service_name": (record["service"] or {}).get("name", ""),
                    "rejection_reason": (record["rejection"] or {}).get("reason", ""),
                    "rejection_note": (record["rejection"] or {}).get("note", ""),
                    "follow_up_count": len(follow_ups),
                    "last_follow_up": follow_ups[-1]["text"] if follow_ups else "",
                }
            )
        # With a byte-order mark, so that spreadsheet programs read it as UTF-8.
        return ("\ufeff" + out.getvalue()).encode()

    def push(self, complaints: Sequence[Complaint]) -> dict[str, str]:
        raise ExchangeUnavailable("A file export has nowhere to push to.")


class LaporExchange(JsonExchange):
    """The national complaint system (SP4N-LAPOR!). Its integration API is not public:
    :meth:`push` is a placeholder that an operator with access replaces; exports use the JSON
    format."""

    name = "lapor"

    def push(self, complaints: Sequence[Complaint]) -> dict[str, str]:
        raise ExchangeUnavailable(
            "The SP4N-LAPOR! integration API is not available; export the complaints and "
            "hand the file over instead."
        )


EXCHANGES: dict[str, type] = {"json": JsonExchange, "csv": CsvExchange, "lapor": LaporExchange}


def exchange_for(name: str, *, period: tuple[Any, Any] | None = None) -> ComplaintExchange:
    """The exchange called ``name`` (``json``, ``csv`` or ``lapor``)."""
    cls = EXCHANGES[name]
    return cls(period=period) if issubclass(cls, JsonExchange) else cls()
