"""Reads of the survey, already scoped to what the caller may see.

Modules by purpose: ``access`` (who sees which reports, and report scopes), ``reports``
(the aggregates of a report) and ``survey`` (the invitation behind a link, counter
collection).
"""

from satupintu.feedback.selectors.access import (
    ReportAccess,
    ReportScope,
    ScopeChoices,
    followup_may_write,
    office_service_ids,
    report_access,
    report_scope_resolve,
    scope_choices,
)
from satupintu.feedback.selectors.reports import (
    ElementRow,
    IkmReport,
    TrendPoint,
    element_aggregates,
    followup_plan_for,
    followup_plans_published,
    ikm_report,
    population_served,
    served_cases_q,
    totals_of,
)
from satupintu.feedback.selectors.survey import (
    counter_may_collect,
    counter_offices,
    counter_services,
    invitation_for_token,
    token_hash,
)

__all__ = [
    "ElementRow",
    "IkmReport",
    "ReportAccess",
    "ReportScope",
    "ScopeChoices",
    "TrendPoint",
    "counter_may_collect",
    "counter_offices",
    "counter_services",
    "element_aggregates",
    "followup_may_write",
    "followup_plan_for",
    "followup_plans_published",
    "ikm_report",
    "invitation_for_token",
    "office_service_ids",
    "population_served",
    "report_access",
    "report_scope_resolve",
    "scope_choices",
    "served_cases_q",
    "token_hash",
    "totals_of",
]
