"""Exporting reports for the national complaint system (see :mod:`satupintu.complaints.exchange`)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.complaints.exchange import EXCHANGES, exchange_for
from satupintu.complaints.selectors import complaint_export_list, complaint_scope
from satupintu.complaints.services.common import invalid
from satupintu.core.errors import Forbidden
from satupintu.core.services import audit_record


@transaction.atomic
def complaints_export(
    *,
    actor,
    date_from: datetime.date,
    date_to: datetime.date,
    fmt: str = "json",
    everything: bool = False,
) -> bytes:
    """The complaints filed between ``date_from`` and ``date_to`` (both included) in the
    exchange format ``fmt`` (``json``, ``csv`` or ``lapor``; see :mod:`satupintu.complaints.exchange`): those
    ``actor`` works, or every one with ``everything`` (the command line, ``actor`` None).

    Anonymous complaints carry no identity. The export is recorded in the audit trail, and
    so is each identified complainant with an account whose details it holds.
    """
    if fmt not in EXCHANGES:
        raise invalid("format", _("Choose JSON or CSV."), "invalid_format")
    if date_to < date_from:
        raise invalid("to", _("The end of the period is before its start."), "invalid_period")
    if not everything and not (
        complaint_scope(actor).coordinator or complaint_scope(actor).is_agency_staff
    ):
        raise Forbidden(_("Only complaint coordinators and agency staff may export complaints."))
    complaints = list(
        complaint_export_list(
            date_from=date_from, date_to=date_to, user=actor, everything=everything
        )
    )
    content = exchange_for(fmt, period=(date_from, date_to)).export(complaints)
    audit_record(
        actor=actor,
        action="complaints.exported",
        object_type="complaints.complaint",
        object_id=f"{date_from.isoformat()}..{date_to.isoformat()}",
        details={"format": fmt, "count": len(complaints)},
    )
    for complaint in complaints:
        if not complaint.is_anonymous and complaint.complainant_id:
            audit_record(
                actor=actor,
                action="complainant.exported",
                target=complaint,
                subject=complaint.complainant,
                details={"format": fmt},
            )
    return content
