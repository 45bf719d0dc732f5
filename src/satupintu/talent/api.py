"""Competencies over the API, under ``/api/v1/learning/``.

- ``GET competencies`` and ``GET competencies/{code}``: the framework and the agencies'
  technical dictionaries, with levels and behaviour indicators.
- ``GET positions``: positions with the level each competency requires (their SKJ).
- ``GET me/competencies``: the signed-in employee's position, job-person match and gaps.
- ``POST assessments``: human resources record an assessed level.

Employees (their session) and agencies' systems (an API key) read the framework and the
positions; a citizen is refused (403). Lists answer ``{"items", "next"}``, paged by keyset;
errors answer ``{"detail", "code"}``.
"""

import base64
import binascii
import datetime
import uuid

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE, PEOPLE_AND_SYSTEMS
from satupintu.core.errors import DomainError, Forbidden, NotFound
from satupintu.core.keyset import next_page_url as _next_url
from satupintu.talent import selectors, services
from satupintu.talent.constants import AssessmentSource, CompetencyGroup
from satupintu.talent.models import Competency

router = Router(tags=["competencies"])


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
    return dict.fromkeys((401, 403, *statuses), ErrorOut)


def _reader(request):
    user = request.auth
    if not selectors.framework_reader(user):
        raise Forbidden(_("Competencies are for the employees of an agency."))
    return user


def _cursor_encode(*parts: object) -> str:
    return base64.urlsafe_b64encode("|".join(map(str, parts)).encode()).decode().rstrip("=")


def _cursor_decode(value: str, parts: int) -> list[str]:
    try:
        decoded = base64.b64decode(
            value + "=" * (-len(value) % 4), altchars=b"-_", validate=True
        ).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        # ValueError: characters outside ASCII, which base64 refuses before decoding
        raise _invalid_cursor() from exc
    fields = decoded.split("|")
    if len(fields) != parts:
        raise _invalid_cursor()
    return fields


def _invalid_cursor() -> DomainError:
    return DomainError(
        _("The cursor is not valid; use the `next` link as given."), code="invalid_cursor"
    )


class Ref(Schema):
    code: str
    name: str


def _agency(agency) -> dict | None:
    return {"code": agency.code, "name": agency.name} if agency else None


# Competencies --------------------------------------------------------------------------------


class CompetencyOut(Schema):
    code: str
    group: CompetencyGroup
    group_label: str
    agency: Ref | None = Field(description="The owner of a technical dictionary.")
    name: str
    description: str


def _competency_out(competency: Competency) -> dict:
    return {
        "code": competency.code,
        "group": competency.group,
        "group_label": str(competency.get_group_display()),
        "agency": _agency(competency.agency),
        "name": competency.name,
        "description": competency.description,
    }


class CompetencyPage(Schema):
    items: list[CompetencyOut]
    next: str | None


class CompetencyQuery(Schema):
    group: CompetencyGroup | None = Field(None, description="One group only.")
    agency: str = Field("", max_length=64, description="One agency's technical dictionary.")
    limit: int = Field(50, ge=1, le=200)
    cursor: str = Field("", max_length=400, description="From the `next` link.")


@router.get(
    "competencies",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: CompetencyPage, **_errors(400, 422)},
    summary="Competencies of the framework",
    url_name="talent_competencies",
)
def competencies(request, query: Query[CompetencyQuery]):
    """Active competencies by group (managerial, socio-cultural, technical) and code; filter
    by `group` or by `agency` (an agency's code: its technical dictionary)."""
    _reader(request)
    found = selectors.competency_list(group=query.group, agency=query.agency or None)
    if query.cursor:
        group, code = _cursor_decode(query.cursor, 2)
        found = found.filter(group__gt=group) | found.filter(group=group, code__gt=code)
    page = list(found.order_by("group", "code")[: query.limit + 1])
    more, page = len(page) > query.limit, page[: query.limit]
    return {
        "items": [_competency_out(item) for item in page],
        "next": _next_url(request, _cursor_encode(page[-1].group, page[-1].code)) if more else None,
    }


class LevelOut(Schema):
    level: int
    description: str
    indicators: list[str]


class CompetencyDetailOut(CompetencyOut):
    levels: list[LevelOut]


@router.get(
    "competencies/{code}",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: CompetencyDetailOut, **_errors(404)},
    summary="One competency with its levels",
    url_name="talent_competency",
)
def competency(request, code: str):
    """The competency with this code, its five levels and their behaviour indicators."""
    _reader(request)
    found = selectors.competency_get(code=code[:80])
    return {
        **_competency_out(found),
        "levels": [
            {"level": level.level, "description": level.description, "indicators": level.indicators}
            for level in found.levels.all()
        ],
    }


# Positions -----------------------------------------------------------------------------------


class RequirementOut(Schema):
    competency: Ref
    group: CompetencyGroup
    level: int


class PositionOut(Schema):
    id: uuid.UUID
    agency: Ref
    code: str
    name: str
    requirements: list[RequirementOut]


class PositionPage(Schema):
    items: list[PositionOut]
    next: str | None


class PositionQuery(Schema):
    agency: str = Field("", max_length=64, description="One agency's positions.")
    limit: int = Field(25, ge=1, le=100)
    cursor: str = Field("", max_length=400, description="From the `next` link.")


@router.get(
    "positions",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: PositionPage, **_errors(400, 422)},
    summary="Positions and the competency levels they require",
    url_name="talent_positions",
)
def positions(request, query: Query[PositionQuery]):
    """Positions (of one agency when `agency` is given) with their competency standard."""
    _reader(request)
    found = selectors.position_list(agency=query.agency or None).order_by("id")
    if query.cursor:
        (last,) = _cursor_decode(query.cursor, 1)
        if not (last.isascii() and last.isdigit()):
            raise _invalid_cursor()
        found = found.filter(id__gt=int(last))
    page = list(found[: query.limit + 1])
    more, page = len(page) > query.limit, page[: query.limit]
    return {
        "items": [
            {
                "id": position.public_id,
                "agency": _agency(position.agency),
                "code": position.code,
                "name": position.name,
                "requirements": [
                    {
                        "competency": {
                            "code": requirement.competency.code,
                            "name": requirement.competency.name,
                        },
                        "group": requirement.competency.group,
                        "level": requirement.level,
                    }
                    for requirement in position.requirements.all()
                ],
            }
            for position in page
        ],
        "next": _next_url(request, _cursor_encode(page[-1].pk)) if more else None,
    }


# My competencies -----------------------------------------------------------------------------


class GapOut(Schema):
    competency: Ref
    group: CompetencyGroup
    required: int
    actual: int | None = Field(description="The latest assessed level; null if never assessed.")
    gap: int = Field(description="required − (actual or 0), never below 0.")
    source: AssessmentSource | None
    assessed_on: datetime.date | None


class LevelHeldOut(Schema):
    competency: Ref
    group: CompetencyGroup
    level: int
    source: AssessmentSource
    assessed_on: datetime.date


class PlacementOut(Schema):
    position: Ref
    agency: Ref
    since: datetime.date


class MyCompetenciesOut(Schema):
    placement: PlacementOut | None
    jpm: str | None = Field(description="Job-person match in percent, two decimals.")
    band: str | None = Field(description="optimal, fairly_optimal or less_optimal.")
    band_label: str | None
    gaps: list[GapOut] = Field(description="The position's requirements, the largest gap first.")
    other: list[LevelHeldOut] = Field(description="Levels held in competencies not required.")


@router.get(
    "me/competencies",
    auth=PEOPLE,
    response={200: MyCompetenciesOut, **_errors()},
    summary="My competencies against my position's standard",
    url_name="talent_mine",
)
def my_competencies(request):
    """Your position, your job-person match and its band, and each requirement of your
    position with your current level, the largest gap first."""
    employee = selectors.employee_of(request.auth)
    if employee is None:
        raise Forbidden(_("Competencies are for the employees of an agency."))
    overview = selectors.competency_overview(employee=employee)
    placement = overview.placement
    return {
        "placement": {
            "position": {"code": placement.position.code, "name": placement.position.name},
            "agency": _agency(placement.position.agency),
            "since": placement.since,
        }
        if placement
        else None,
        "jpm": None if overview.jpm is None else str(overview.jpm),
        "band": overview.band.value if overview.band else None,
        "band_label": str(overview.band.label) if overview.band else None,
        "gaps": [
            {
                "competency": {"code": gap.competency.code, "name": gap.competency.name},
                "group": gap.competency.group,
                "required": gap.required,
                "actual": gap.actual,
                "gap": gap.gap,
                "source": gap.source,
                "assessed_on": gap.assessed_on,
            }
            for gap in overview.gaps
        ],
        "other": [
            {
                "competency": {"code": a.competency.code, "name": a.competency.name},
                "group": a.competency.group,
                "level": a.level,
                "source": a.source,
                "assessed_on": a.assessed_on,
            }
            for a in overview.other
        ],
    }


# Assessments ---------------------------------------------------------------------------------


class AssessmentIn(Schema):
    nip: str = Field(min_length=18, max_length=18, pattern=r"^\d{18}$")
    competency: str = Field(max_length=80, description="The competency's code.")
    level: int = Field(ge=1, le=5)
    assessed_on: datetime.date
    source: AssessmentSource = Field(
        AssessmentSource.ENTERED,
        description="`entered` or `assessment_centre` (quizzes and imports record their own).",
    )
    evidence: str = Field("", max_length=300)


class AssessmentOut(Schema):
    id: uuid.UUID
    nip: str
    competency: Ref
    level: int
    source: AssessmentSource
    assessed_on: datetime.date
    evidence: str


@router.post(
    "assessments",
    auth=PEOPLE,
    response={201: AssessmentOut, **_errors(400, 404, 413, 422)},
    summary="Record an assessed level (human resources)",
    url_name="talent_assessment_create",
)
def assessment_create(request, payload: AssessmentIn):
    """Record the level an employee (by NIP) was found to have in one competency. For human
    resources of the employee's agency, or government-wide HR. Earlier assessments are kept;
    the latest counts."""
    user = request.auth
    if not selectors.talent_scope(user).is_hr:
        raise Forbidden(_("Only human resources staff may record assessments."))
    if payload.source not in (AssessmentSource.ENTERED, AssessmentSource.ASSESSMENT_CENTRE):
        raise DomainError(
            _("Record only `entered` or `assessment_centre` here."),
            code="invalid_source",
            status=422,
            errors=[{"path": "source", "message": _("Use entered or assessment_centre.")}],
        )
    employee = selectors.employee_get_for_hr(user=user, nip=payload.nip)
    found = selectors.assessable_competencies(user=user).filter(code=payload.competency).first()
    if found is None:
        raise NotFound(
            _("There is no competency with this code. Choose one from the competency list."),
            code="unknown_competency",
        )
    assessment = services.assessment_record(
        employee=employee,
        competency=found,
        level=payload.level,
        source=payload.source,
        assessed_on=payload.assessed_on,
        actor=user,
        evidence=payload.evidence,
    )
    return Status(
        201,
        {
            "id": assessment.public_id,
            "nip": employee.nip,
            "competency": {"code": found.code, "name": found.name},
            "level": assessment.level,
            "source": assessment.source,
            "assessed_on": assessment.assessed_on,
            "evidence": assessment.evidence,
        },
    )
