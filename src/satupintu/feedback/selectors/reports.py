"""The IKM reports: aggregates only.

A report is a handful of SUM and COUNT queries (GROUP BY quarter for the trend), never a
loop over responses, and no response, invitation or case is ever listed. Below
``SATUPINTU_IKM_MIN_RESPONDENTS`` respondents the averages are withheld, so that a report of
a small scope or a short period cannot be read back to the people who answered.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.functional import cached_property

from satupintu.cases.models import Case
from satupintu.feedback.constants import ELEMENT_FIELDS, ELEMENTS_BY_CODE
from satupintu.feedback.ikm import IkmResult, ikm_from_totals, required_sample_size
from satupintu.feedback.models import FollowUpPlan, SurveyInvitation, SurveyResponse
from satupintu.feedback.periods import Period, quarters_ending_with
from satupintu.feedback.selectors.access import ReportScope
from satupintu.organisations.models import Agency

SUGGESTIONS_SHOWN = 20
TREND_QUARTERS = 4


# Aggregates ---------------------------------------------------------------------------------


def answered_any_q() -> Q:
    q = Q()
    for name in ELEMENT_FIELDS.values():
        q |= Q(**{f"{name}__isnull": False})
    return q


def element_aggregates() -> dict:
    """SUM and COUNT of each element, and the respondents (responses that answered at least
    one element), as aggregate expressions: one pass over the rows."""
    expressions = {"respondents": Count("pk", filter=answered_any_q())}
    for name in ELEMENT_FIELDS.values():
        expressions[f"sum_{name}"] = Sum(name)
        expressions[f"n_{name}"] = Count(name)
    return expressions


def totals_of(row: dict) -> dict[str, tuple[int, int]]:
    """The (sum, count) per element code of a row that ``element_aggregates`` made."""
    return {
        code: (row.get(f"sum_{name}") or 0, row.get(f"n_{name}") or 0)
        for code, name in ELEMENT_FIELDS.items()
    }


def served_cases_q() -> Q:
    """Cases that were served: started (not waiting for another) and not called off."""
    # A missing key is NULL on every database; ``~Q(...=True)`` would drop those rows too.
    return Q(is_waiting=False, outcome__called_off__isnull=True)


def _day_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def population_served(*, scope: ReportScope, period: Period) -> int:
    """The cases of ``scope`` that closed in ``period`` (called-off ones left out): the
    population the survey samples."""
    start, end = _day_bounds(period)
    return Case.objects.filter(
        scope.filter_q(), served_cases_q(), is_open=False, closed_at__gte=start, closed_at__lt=end
    ).count()


@dataclass(frozen=True)
class ElementRow:
    code: str
    name: str
    answers: int
    nrr: Decimal | None
    weighted: Decimal | None
    weak: bool = False


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    respondents: int
    index: Decimal | None
    grade: str | None


@dataclass
class IkmReport:
    scope: ReportScope
    period: Period
    responses: int
    respondents: int
    population: int
    invited: int
    invitations_answered: int
    exact_weight: bool
    min_respondents: int
    # None when there are fewer respondents than ``min_respondents``.
    result: IkmResult | None
    trend: list[TrendPoint]
    followup: FollowUpPlan | None
    suggestions: list[str]

    @cached_property
    def required_sample(self) -> int:
        return required_sample_size(self.population)

    @property
    def sample_met(self) -> bool:
        return self.respondents >= self.required_sample

    @property
    def withheld(self) -> bool:
        return self.result is None and self.respondents > 0

    @cached_property
    def elements(self) -> list[ElementRow]:
        """The nine elements, weakest first; elements nobody answered last, in code order."""
        if self.result is None:
            return []
        result = self.result
        threshold = Decimal(str(settings.SATUPINTU_IKM_WEAK_NRR))
        answered = sorted(result.nrr_exact, key=lambda code: (result.nrr_exact[code], code))
        rows = [
            ElementRow(
                code=code,
                name=str(_element_name(code)),
                answers=result.answers[code],
                nrr=result.nrr[code],
                weighted=result.weighted(code),
                weak=result.nrr[code] < threshold,
            )
            for code in answered
        ]
        rows += [
            ElementRow(code=code, name=str(_element_name(code)), answers=0, nrr=None, weighted=None)
            for code in result.missing
        ]
        return rows


def _element_name(code: str):
    return ELEMENTS_BY_CODE[code].name


def _result(row: dict, *, exact_weight: bool, minimum: int) -> IkmResult | None:
    respondents = row.get("respondents") or 0
    if respondents < max(minimum, 1):
        return None
    return ikm_from_totals(totals_of(row), respondents=respondents, exact_weight=exact_weight)


def _whole_quarters(period: Period, quarters: list[Period]) -> bool:
    """Whether ``period`` is exactly a run of the trend's last quarters."""
    return period.end == quarters[-1].end and any(
        quarter.start == period.start for quarter in quarters
    )


def _sum_rows(rows: list[dict]) -> dict:
    """The sums of aggregate rows made by ``element_aggregates`` (plus ``responses``)."""
    keys = ["responses", "respondents"]
    for name in ELEMENT_FIELDS.values():
        keys += [f"sum_{name}", f"n_{name}"]
    return {key: sum(row.get(key) or 0 for row in rows) for key in keys}


def ikm_report(
    *,
    scope: ReportScope,
    period: Period,
    exact_weight: bool | None = None,
    trend_quarters: int = TREND_QUARTERS,
) -> IkmReport:
    """The IKM report of ``scope`` over ``period``, with the trend of the ``trend_quarters``
    quarters up to the period's end. Five aggregate queries (answers, trend, population,
    invitations, suggestions) and one for the follow-up plan, whatever the number of
    answers; four when the period is a run of the trend's quarters (a quarter, a half year,
    a year), whose answers the trend has summed already."""
    exact_weight = settings.SATUPINTU_IKM_EXACT_WEIGHT if exact_weight is None else exact_weight
    minimum = settings.SATUPINTU_IKM_MIN_RESPONDENTS
    responses = SurveyResponse.objects.filter(scope.responses_q())
    in_period = responses.filter(submitted_on__range=(period.start, period.end))

    quarters = quarters_ending_with(period.end, trend_quarters) if trend_quarters else []
    by_quarter = {}
    if quarters:
        by_quarter = {
            quarter_row["quarter"]: quarter_row
            for quarter_row in responses.filter(
                submitted_on__range=(quarters[0].start, quarters[-1].end)
            )
            .annotate(quarter=TruncQuarter("submitted_on"))
            .values("quarter")
            .annotate(responses=Count("pk"), **element_aggregates())
            .order_by("quarter")
        }
    if quarters and _whole_quarters(period, quarters):
        # A year (or a run of whole quarters) is the sum of its quarters: no second pass
        # over the same answers.
        row = _sum_rows(
            [
                by_quarter[quarter.start]
                for quarter in quarters
                if quarter.start in by_quarter and quarter.start >= period.start
            ]
        )
    else:
        row = in_period.aggregate(responses=Count("pk"), **element_aggregates())
    result = _result(row, exact_weight=exact_weight, minimum=minimum)

    trend = []
    if quarters:
        for quarter in quarters:
            quarter_row = by_quarter.get(quarter.start, {})
            quarter_result = _result(quarter_row, exact_weight=exact_weight, minimum=minimum)
            trend.append(
                TrendPoint(
                    period=quarter,
                    respondents=quarter_row.get("respondents", 0),
                    index=quarter_result.index if quarter_result else None,
                    grade=quarter_result.grade if quarter_result else None,
                )
            )

    start, end = _day_bounds(period)
    invitations = SurveyInvitation.objects.filter(
        scope.filter_q(), created_at__gte=start, created_at__lt=end
    ).aggregate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
    suggestions: list[str] = []
    if result is not None:
        # Ordered by the random primary key: no order of arrival, no date, no service.
        suggestions = list(
            in_period.exclude(suggestion="")
            .order_by("pk")
            .values_list("suggestion", flat=True)[:SUGGESTIONS_SHOWN]
        )
    return IkmReport(
        scope=scope,
        period=period,
        responses=row["responses"],
        respondents=row["respondents"],
        population=population_served(scope=scope, period=period),
        invited=invitations["invited"],
        invitations_answered=invitations["answered"],
        exact_weight=exact_weight,
        min_respondents=minimum,
        result=result,
        trend=trend,
        followup=followup_plan_for(scope=scope, period=period),
        suggestions=suggestions,
    )


# Follow-up plans ----------------------------------------------------------------------------


def followup_plan_for(*, scope: ReportScope, period: Period) -> FollowUpPlan | None:
    return FollowUpPlan.objects.filter(
        scope_key=scope.key, period_start=period.start, period_end=period.end
    ).first()


def followup_plans_published(*, agency: Agency | None = None) -> QuerySet[FollowUpPlan]:
    """Published follow-up plans (and so published reports), newest period first: what a
    public page may show."""
    plans = FollowUpPlan.objects.filter(is_published=True)
    if agency is not None:
        plans = plans.filter(agency=agency)
    return plans.select_related("agency", "unit", "service", "office").order_by(
        "-period_start", "scope_key"
    )
