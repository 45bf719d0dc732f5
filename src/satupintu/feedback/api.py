"""The satisfaction survey over the API.

- ``GET /ikm``: the IKM report of a scope and period, for staff (their session) and
  agencies' systems (an API key acts for its agency). Aggregates only.
- ``GET /surveys/{token}`` and ``POST /surveys/{token}``: the survey behind a one-time link,
  read and answered without signing in; the token is the only credential and the answer is
  anonymous.
"""

import datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE_AND_SYSTEMS
from satupintu.core.errors import DomainError
from satupintu.core.ratelimits import rate_limited, survey_token
from satupintu.feedback import periods, selectors, services
from satupintu.feedback.constants import ELEMENTS, GRADE_LABELS, PROFILE_CHOICES

router = Router(tags=["satisfaction (IKM)"])


class Problem(Schema):
    path: str
    message: str


class ErrorOut(Schema):
    """The one shape of every error."""

    detail: str
    code: str
    errors: list[Problem] | None = Field(
        None, description="Each input that is wrong, with what is wrong with it."
    )


def _errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys((404, *statuses), ErrorOut)


# The report ----------------------------------------------------------------------------------


class IkmQuery(Schema):
    agency: str = Field("", max_length=64, description="An agency's code.")
    unit: str = Field("", max_length=64, description="A unit's code (name the agency if unclear).")
    service: str = Field("", max_length=130, description="A service's code.")
    office: str = Field("", max_length=64, description="A public service centre's code.")
    from_: datetime.date | None = Field(
        None, alias="from", description="First day of the period (with `to`)."
    )
    to: datetime.date | None = Field(None, description="Last day of the period, included.")
    period: str = Field(
        "",
        max_length=40,
        description="Instead of `from` and `to`: `2026-Q3`, `2026-H1` or `2026`. "
        "Default: the last complete quarter.",
    )


class ScopeOut(Schema):
    kind: Literal["agency", "unit", "service", "office", "all"]
    label: str
    agency: str | None
    unit: str | None
    service: str | None
    office: str | None


class PeriodOut(Schema):
    key: str
    label: str
    start: datetime.date
    end: datetime.date


class ElementOut(Schema):
    code: str = Field(description="U1 … U9.")
    name: str
    answers: int
    nrr: str | None = Field(description="The average on the 1–4 scale, two decimals.")
    weighted: str | None = Field(description="The average times the element's weight.")
    weak: bool = Field(description="Below the weak-element threshold.")


class TrendOut(Schema):
    period: PeriodOut
    respondents: int
    index: str | None
    grade: str | None


class FollowUpOut(Schema):
    plan: str
    published: bool
    published_at: datetime.datetime | None


class IkmOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    respondents: int = Field(description="Responses that answered at least one element.")
    responses: int
    population: int = Field(description="Cases of the scope that closed in the period.")
    required_sample: int = Field(description="Krejcie–Morgan, χ²=3.841, P=0.5, d=0.05.")
    sample_met: bool
    invitations: int = Field(description="Invitations sent in the period.")
    invitations_answered: int
    weight: str = Field(description='"0.111" or "1/9".')
    withheld: bool = Field(
        description="Too few respondents to show averages without revealing answers."
    )
    min_respondents: int
    ikm: str | None = Field(description="Σ NRR × weight, 1–4.")
    index: str | None = Field(description="IKM × 25, 25–100, two decimals (half-up).")
    grade: Literal["A", "B", "C", "D"] | None
    grade_label: str | None
    missing: list[str] = Field(description="Elements nobody answered.")
    elements: list[ElementOut] = Field(description="Weakest first.")
    trend: list[TrendOut] = Field(description="The four quarters up to the period's end.")
    followup: FollowUpOut | None


def _period_out(period: periods.Period) -> dict:
    return {"key": period.key, "label": period.label, "start": period.start, "end": period.end}


def _text(value) -> str | None:
    return None if value is None else str(value)


def _period_of(query: IkmQuery) -> periods.Period:
    try:
        if query.from_ or query.to:
            if not (query.from_ and query.to):
                raise ValueError("both")
            return periods.period_span(query.from_, query.to)
        if query.period:
            return periods.period_parse(query.period)
    except ValueError as exc:
        raise DomainError(
            _("Give the period as `from` and `to` (both), or as `period` like 2026-Q3."),
            code="invalid_period",
            status=422,
            errors=[{"path": "from", "message": str(exc)}],
        ) from exc
    return periods.last_complete_quarter(timezone.localdate())


@router.get(
    "/ikm",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: IkmOut, **_errors(401, 403, 422)},
    summary="The satisfaction index (IKM) of a scope and period",
    url_name="ikm",
)
def ikm(request, query: Query[IkmQuery]):
    """The IKM report of an agency, unit, service or public service centre over a period:
    respondents, the population served and whether the sample is enough, each element's
    average (weakest first), the index and grade, the trend of the last four quarters, and
    the follow-up plan. Staff see their own agency's; an API key its agency's. Aggregates
    only: no response and no respondent is ever listed."""
    period = _period_of(query)
    scope = selectors.report_scope_resolve(
        user=request.auth,
        agency=query.agency,
        unit=query.unit,
        service=query.service,
        office=query.office,
    )
    report = selectors.ikm_report(scope=scope, period=period)
    result = report.result
    followup = report.followup
    return {
        "scope": {
            "kind": scope.kind,
            "label": scope.label,
            "agency": scope.agency.code if scope.agency else None,
            "unit": scope.unit.code if scope.unit else None,
            "service": scope.service.code if scope.service else None,
            "office": scope.office.code if scope.office else None,
        },
        "period": _period_out(period),
        "respondents": report.respondents,
        "responses": report.responses,
        "population": report.population,
        "required_sample": report.required_sample,
        "sample_met": report.sample_met,
        "invitations": report.invited,
        "invitations_answered": report.invitations_answered,
        "weight": "1/9" if report.exact_weight else "0.111",
        "withheld": report.withheld,
        "min_respondents": report.min_respondents,
        "ikm": _text(result.ikm) if result else None,
        "index": _text(result.index) if result else None,
        "grade": result.grade if result else None,
        "grade_label": str(GRADE_LABELS[result.grade]) if result and result.grade else None,
        "missing": list(result.missing) if result else [],
        "elements": [
            {
                "code": row.code,
                "name": row.name,
                "answers": row.answers,
                "nrr": _text(row.nrr),
                "weighted": _text(row.weighted),
                "weak": row.weak,
            }
            for row in report.elements
        ],
        "trend": [
            {
                "period": _period_out(point.period),
                "respondents": point.respondents,
                "index": _text(point.index),
                "grade": point.grade,
            }
            for point in report.trend
        ],
        "followup": {
            "plan": followup.plan,
            "published": followup.is_published,
            "published_at": followup.published_at,
        }
        if followup
        else None,
    }


# The survey by link ----------------------------------------------------------------------------


class ChoiceOut(Schema):
    value: int | str
    label: str


class QuestionOut(Schema):
    code: str
    name: str
    question: str
    choices: list[ChoiceOut]


class ProfileQuestionOut(Schema):
    field: str
    choices: list[ChoiceOut]


class SurveyOut(Schema):
    service: str
    agency: str
    answered: bool
    expires_at: datetime.datetime
    questions: list[QuestionOut] = Field(description="U1 … U9, each optional.")
    profile: list[ProfileQuestionOut] = Field(description="The optional respondent profile.")


class ProfileIn(Schema):
    age_band: str = ""
    sex: str = ""
    education: str = ""
    occupation: str = ""


class SurveyIn(Schema):
    answers: dict[str, int | None] = Field(
        default_factory=dict,
        description='Element code → 1–4, e.g. {"U1": 4, "U3": 2}; leave out (or null) what '
        "you do not answer.",
    )
    suggestion: str = Field("", max_length=2000)
    profile: ProfileIn = Field(default_factory=ProfileIn)


class ReceivedOut(Schema):
    received: bool
    submitted_on: datetime.date


@router.get(
    "/surveys/{token}",
    auth=None,
    response={200: SurveyOut, **_errors()},
    summary="The survey behind a one-time link",
    url_name="survey",
)
def survey_get(request, token: str):
    """The questions of the survey (in the language of `Accept-Language`) and whether it was
    answered already. No sign-in: the token from the link is the credential."""
    invitation = selectors.invitation_for_token(token=token)
    return {
        "service": invitation.service.name,
        "agency": invitation.agency.name,
        "answered": invitation.answered,
        "expires_at": invitation.expires_at,
        "questions": [
            {
                "code": element.code,
                "name": str(element.name),
                "question": str(element.question),
                "choices": [
                    {"value": value, "label": str(label)} for value, label in element.choices()
                ],
            }
            for element in ELEMENTS
        ],
        "profile": [
            {
                "field": name,
                "choices": [
                    {"value": value, "label": str(label)} for value, label in choices.choices
                ],
            }
            for name, choices in PROFILE_CHOICES.items()
        ],
    }


@router.post(
    "/surveys/{token}",
    auth=None,
    response={201: ReceivedOut, **_errors(400, 409, 410, 413, 422, 429)},
    summary="Answer the survey behind a one-time link",
    url_name="survey_answer",
)
@rate_limited("survey", api=True, person=survey_token)
def survey_answer(request, token: str, payload: SurveyIn):
    """Answer the survey once: each element (U1 … U9) 1–4 or left out, an optional
    suggestion and profile. A second answer is refused (409, `already_answered`), an expired
    link answers 410. The answer is stored without any link to the case or the person."""
    response = services.survey_response_submit(
        token=token,
        answers=payload.answers,
        suggestion=payload.suggestion,
        profile=payload.profile.model_dump(),
    )
    return Status(201, {"received": True, "submitted_on": response.submitted_on})
