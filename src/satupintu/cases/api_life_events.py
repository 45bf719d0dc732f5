"""Life events over the API: which services apply (and why), and one submission that opens a
case at each agency.

`POST /life-events/{code}/evaluate` answers for anybody, signed in or not: it reads only the
answers given (and, when signed in, the applicant's own profile for the rules). The bundle's
status is the submission resource, `GET /submissions/{tracking}`.
"""

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from satupintu.accounts import selectors as account_selectors
from satupintu.accounts.api_auth import PEOPLE
from satupintu.cases import selectors
from satupintu.cases.answers import applicant_context
from satupintu.cases.api import (
    ListQuery,
    SubmissionOut,
    _cursor_decode,
    _cursor_encode,
    _errors,
    _invalid_cursor,
    _invalid_input,
    _next_url,
    _submission_out,
    idempotency_key_checked,
    submission_with_key,
)
from satupintu.cases.life_events import Sources, life_event_plan
from satupintu.cases.models import Suggestion
from satupintu.cases.services import life_events as life_event_services
from satupintu.cases.services import submission_draft_save, submission_submit
from satupintu.catalog import selectors as catalog_selectors
from satupintu.core.errors import DomainError

router = Router(tags=["life events"])


class EvaluateIn(Schema):
    answers: dict[str, Any] = Field(
        default_factory=dict, description="Answers to the life event's questions, by key."
    )


class PlanItem(Schema):
    service: str = Field(description="The service's code.")
    name: str
    agency: str
    applies: bool
    reasons: list[str] = Field(
        description="Why it applies, or why not, in plain words from the definition."
    )
    after: dict[str, str] | None = Field(
        None, description="The service and state it waits for before it starts."
    )


class EvaluateOut(Schema):
    life_event: str
    services: list[PlanItem]


def _items(plans) -> list[dict]:
    return [
        {key: item[key] for key in ("service", "name", "agency", "applies", "reasons", "after")}
        for item in life_event_services.plan_summary(plans)
    ]


@router.post(
    "/life-events/{code}/evaluate",
    auth=None,
    response={200: EvaluateOut, **_errors(400, 413, 422)},
    summary="Which services of a life event apply, and why",
    url_name="life_event_evaluate",
)
def life_event_evaluate(request, code: str, payload: EvaluateIn):
    """Given answers to the life event's questions, each of its services with whether it
    applies and the reasons in plain words. Nothing is saved and no registry is read."""
    event = catalog_selectors.life_event_get(code=code[:64])
    user = request.user if request.user.is_authenticated else None
    plans = life_event_plan(
        definition=event.current_version.definition,
        sources=Sources(answers=payload.answers, user=user),
        context=applicant_context(user=user),
    )
    return {"life_event": event.code, "services": _items(plans)}


class LifeEventSubmissionIn(Schema):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the life event's questions; they take precedence over what "
        "the registries fill in.",
    )
    share_registry: bool = Field(
        False,
        description="Your consent to fill in what the registries named by the life event "
        "know, for the purpose it states. It is recorded either way.",
    )
    suggestion: uuid.UUID | None = Field(
        None, description="The suggestion this application starts from, if any."
    )
    business: uuid.UUID | None = Field(
        None, description="The id of a business you represent, to apply on its behalf."
    )


@router.post(
    "/life-events/{code}/submissions",
    auth=PEOPLE,
    response={201: SubmissionOut, 200: SubmissionOut, **_errors(400, 409, 413, 422)},
    summary="Apply for a life event: one submission, a case at each agency",
    url_name="life_event_submission_create",
)
def life_event_submission_create(
    request,
    code: str,
    payload: LifeEventSubmissionIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="As for `POST /submissions`: the same key returns the first application.",
    ),
):
    """Answer the life event's questions once: every service that applies becomes a case at
    its agency, all together or none. Services that wait for another start by themselves.

    Answers that do not fit answer 422 with `errors: [{path, message}]`: a path is a
    question's key or, for a field the questions do not give, `<service code>.<field>`.
    What was sent is kept as a draft (its id is in `draft`) to fix with `PUT /drafts/{id}`
    and send with `POST /drafts/{id}/submit`; upload files to it with
    `POST /drafts/{id}/documents`.
    """
    user = request.auth
    key = idempotency_key_checked(idempotency_key)
    earlier = submission_with_key(user, key)
    if earlier is not None:
        return Status(200, _submission_out(request, earlier))
    event = catalog_selectors.life_event_get(code=code[:64])
    suggestion = None
    if payload.suggestion is not None:
        suggestion = Suggestion.objects.filter(
            user=user, public_id=payload.suggestion, life_event=event
        ).first()
    business = None
    if payload.business is not None:
        business = account_selectors.business_get_for_representative(
            user=user, public_id=payload.business
        )
        if business is None:
            raise _invalid_input(
                "business", _("You do not represent a business with this id."), "unknown_business"
            )
    draft, _unavailable = life_event_services.life_event_draft_start(
        applicant=user,
        life_event=event,
        share_registry=payload.share_registry,
        suggestion=suggestion,
        business=business,
    )
    draft = submission_draft_save(
        applicant=user, submission=draft, answers={**draft.answers, **payload.answers}
    )
    try:
        with transaction.atomic():
            submission = submission_submit(submission=draft, actor=user, idempotency_key=key)
    except DomainError as error:
        error.extra = {"draft": str(draft.public_id)}
        raise
    return Status(200 if submission.pk != draft.pk else 201, _submission_out(request, submission))


class SuggestionItem(Schema):
    id: uuid.UUID
    life_event: str = Field(description="The code of the life event suggested.")
    signal: str = Field(description="What happened: the signal of the finished case.")
    after_service: str = Field(description="The code of the service whose case sent it.")
    services: list[str] = Field(description="The event's services not applied for yet.")
    answers: dict[str, Any] = Field(
        description="The event's answers already known; send the id as `suggestion` when "
        "applying and they are filled in."
    )
    created_at: datetime.datetime


class SuggestionList(Schema):
    items: list[SuggestionItem]
    next: str | None = None


@router.get(
    "/my/suggestions",
    auth=PEOPLE,
    response={200: SuggestionList, **_errors(400, 422)},
    summary="Life events suggested to you after a finished case",
    url_name="my_suggestions",
)
def my_suggestions(request, query: Query[ListQuery]):
    """Your open suggestions, newest first (one per life event and finished case). Start
    one with `POST /life-events/{code}/submissions` and its id as `suggestion`."""
    after = None
    if query.cursor:
        key, last_id = _cursor_decode(query.cursor)
        try:
            after = (datetime.datetime.fromisoformat(key), last_id)
        except ValueError as exc:
            raise _invalid_cursor() from exc
    page = selectors.suggestion_list_open(user=request.auth, limit=query.limit + 1, after=after)
    more = len(page) > query.limit
    page = page[: query.limit]
    last = page[-1] if page else None
    return {
        "items": [
            {
                "id": suggestion.public_id,
                "life_event": suggestion.life_event.code,
                "signal": suggestion.signal,
                "after_service": suggestion.source_case.service.code,
                "services": suggestion.services,
                "answers": suggestion.answers,
                "created_at": suggestion.created_at,
            }
            for suggestion in page
        ],
        "next": _next_url(request, _cursor_encode(last.created_at.isoformat(), last.pk))
        if more
        else None,
    }
