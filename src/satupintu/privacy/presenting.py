"""How retention rules and the answer to a deletion read on a page and in the API, in the
active language."""

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.core.language import pick
from satupintu.privacy import selectors
from satupintu.privacy.constants import (
    WITHOUT_PERIOD_TEXT,
    CorrectableField,
    EndAction,
    RecordKind,
)
from satupintu.privacy.models import DataRequest, RetentionRule

YEAR = 365


def period_text(days: int | None) -> str:
    if days is None:
        return _("No end of its own")
    if days and days % YEAR == 0:
        years = days // YEAR
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def rule_rows(rules: dict[str, RetentionRule]) -> list[dict[str, Any]]:
    """The retention table, one row per kind of record, in the order of the kinds."""
    rows = []
    for kind in RecordKind.values:
        rule = rules.get(kind)
        if rule is None:
            continue
        rows.append(
            {
                "kind": kind,
                "label": str(RecordKind(kind).label),
                "period": period_text(rule.period_days)
                if rule.period_days is not None
                else str(WITHOUT_PERIOD_TEXT.get(kind, _("No end of its own"))),
                "starts": rule.starts,
                "action": str(EndAction(rule.action).label),
                "kept_on_request": rule.kept_on_request,
                "legal_basis": rule.legal_basis,
            }
        )
    return rows


def outcome_rows(data_request: DataRequest) -> list[dict[str, Any]]:
    """What a carried-out request did, row by row: for a correction, the data corrected; for
    a deletion, each kind of record erased or kept, with its legal basis and release date."""
    outcome = data_request.outcome or {}
    if "corrected" in outcome:
        try:
            label = str(CorrectableField(outcome["corrected"]).label)
        except ValueError:
            label = outcome["corrected"]
        return [{"label": label, "what": "corrected"}]
    return _rows(outcome.get("rows", []))


def _rows(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for row in stored:
        until = row.get("until")
        rows.append(
            {
                "kind": row.get("kind", ""),
                "label": selectors.kind_label(row.get("kind", "")),
                "what": row.get("what", ""),
                "deleted": row.get("action") == EndAction.DELETE,
                "count": row.get("count", 0),
                "until": datetime.date.fromisoformat(until) if until else None,
                "running": row.get("running", 0),
                "period": period_text(row.get("period_days")),
                "legal_basis": pick(row.get("legal_basis") or {}),
            }
        )
    return rows


def plan_rows(plan: list[selectors.PlanRow]) -> list[dict[str, Any]]:
    """A deletion's plan as the officer sees it before carrying it out."""
    return _rows([row.as_dict() for row in plan])
