"""The partner portal over the API: the tasks given to the caller's partner organisations.

Only the people of a partner organisation have tasks (403 `partner_only` for anyone else); a
task of another organisation, or a case given to no partner of the caller, is "not found". A
task shows only the answers that the service's definition lets partners see
(`partners.sees`), and every read of one is recorded in the audit trail.

A step is taken with the task's `version`, as on the pages: if the task changed since, the
step is refused (409 `case_changed`). A step that needs a file (a proof of delivery: a photo
or a PDF) is sent as multipart/form-data to `POST /partner/tasks/{id}/transitions/with-file`;
the JSON operation refuses it with 422 `file_required`, naming that address.

Lists answer ``{"items", "next"}``, paged by keyset (never by offset).
"""

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE_AND_SYSTEMS
from satupintu.cases import selectors, services
from satupintu.cases.api import (
    ListQuery,
    Ref,
    _cursor_decode,
    _cursor_encode,
    _errors,
    _invalid_cursor,
    _next_url,
    _ref,
    _state_label,
)
from satupintu.cases.constants import Actor, EventKind
from satupintu.cases.models import Case
from satupintu.cases.services.partners import partner_visible_answers
from satupintu.cases.views.partner import attach_proof, task_area
from satupintu.core.errors import DomainError, Forbidden, NotFound
from satupintu.core.keyset import after_q
from satupintu.core.language import pick
from satupintu.core.services import audit_record

router = Router(tags=["partner tasks"])


def _partner_only(user) -> None:
    if not selectors.partner_ids(user):
        raise Forbidden(
            _("Only the people of a partner organisation have tasks."), code="partner_only"
        )


def _task_for(user, task_id: str) -> Case:
    _partner_only(user)
    try:
        public_id = uuid.UUID(task_id)
    except ValueError as exc:
        raise NotFound(_("There is no such task for your organisation.")) from exc
    return selectors.partner_task_get(user=user, public_id=public_id)


# Lists -------------------------------------------------------------------------------------


class TaskItem(Schema):
    id: uuid.UUID
    service: Ref
    agency: Ref = Field(description="The agency that coordinates the task.")
    partner: Ref = Field(description="Your organisation that was given the task.")
    area: str | None = Field(
        description="The village and district of the address, when your organisation may see it."
    )
    state: str
    state_label: str
    is_open: bool
    due_date: datetime.date
    closed_at: datetime.datetime | None
    version: int = Field(description="Send it back as `version` with a step.")


class TaskList(Schema):
    items: list[TaskItem]
    next: str | None


class TaskQuery(ListQuery):
    closed: bool = Field(
        False, description="Finished tasks (the latest first) instead of open ones."
    )


def _task_item(case: Case, answers: dict | None = None) -> dict:
    answers = partner_visible_answers(case=case) if answers is None else answers
    return {
        "id": case.public_id,
        "service": _ref(case.service),
        "agency": _ref(case.agency),
        "partner": _ref(case.partner),
        "area": task_area(case, answers) or None,
        "state": case.state,
        "state_label": _state_label(case),
        "is_open": case.is_open,
        "due_date": case.due_date,
        "closed_at": case.closed_at,
        "version": case.version,
    }


@router.get(
    "/partner/tasks",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: TaskList, **_errors(400, 403, 422)},
    summary="The tasks of your partner organisation",
    url_name="partner_tasks",
)
def task_list(request, query: Query[TaskQuery]):
    """The tasks that agencies gave to your partner organisation: open ones by due date (the
    earliest first), or with `closed=true` finished ones (the latest first)."""
    user = request.auth
    _partner_only(user)
    tasks = selectors.partner_task_list(user=user, closed=query.closed)
    if query.closed:
        tasks = tasks.order_by("-due_date", "-id")
    if query.cursor:
        key, last_id = _cursor_decode(query.cursor)
        try:
            due = datetime.date.fromisoformat(key)
        except ValueError as exc:
            raise _invalid_cursor() from exc
        tasks = tasks.filter(after_q(["due_date", "id"], (due, last_id), descending=query.closed))
    page = list(tasks[: query.limit + 1])
    more = len(page) > query.limit
    page = page[: query.limit]
    last = page[-1] if page else None
    return {
        "items": [_task_item(case) for case in page],
        "next": _next_url(request, _cursor_encode(last.due_date.isoformat(), last.pk))
        if more
        else None,
    }


# One task ----------------------------------------------------------------------------------


class StepOut(Schema):
    to: str
    to_label: str
    name: str
    requires: list[str] = Field(description="What the step needs: reason, note, file, …")
    needs_file: bool = Field(
        description="Send this step as multipart/form-data to `/transitions/with-file`."
    )


class TaskStateOut(Schema):
    id: uuid.UUID
    state: str
    state_label: str
    is_open: bool
    due_date: datetime.date
    version: int = Field(description="Send it back as `version` with a step.")
    allowed_transitions: list[StepOut] = Field(description="The steps you may take now.")


class TaskEventOut(Schema):
    at: datetime.datetime
    kind: str
    kind_label: str
    from_state: str
    to_state: str
    by: str = Field(description="The role of whoever did it; nobody is named.")
    reason: str | None = Field(None, description="The reason your organisation gave.")


class TaskDetail(TaskItem):
    answers: dict[str, Any] = Field(
        description="The answers your organisation may see, by form field key — nothing else."
    )
    allowed_transitions: list[StepOut]
    events: list[TaskEventOut] = Field(description="The public timeline, without internal notes.")


def _steps(case: Case, user) -> list[dict]:
    return [
        {
            "to": transition["to"],
            "to_label": _state_label(case, transition["to"]),
            "name": pick(transition.get("name")) or transition["to"],
            "requires": list(transition.get("requires", [])),
            "needs_file": "file" in transition.get("requires", []),
        }
        for transition in services.allowed_transitions(case=case, user=user)
        if transition["by"] == Actor.PARTNER
    ]


def _task_state(case: Case, user) -> dict:
    return {
        "id": case.public_id,
        "state": case.state,
        "state_label": _state_label(case),
        "is_open": case.is_open,
        "due_date": case.due_date,
        "version": case.version,
        "allowed_transitions": _steps(case, user),
    }


@router.get(
    "/partner/tasks/{id}",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: TaskDetail, **_errors(403)},
    summary="One task of your partner organisation",
    url_name="partner_task",
)
def task_get(request, id: str):
    """A task given to your organisation: the service, the coordinating agency, the answers
    your organisation may see, the public timeline and the steps you may take now. Each read
    is recorded in the audit trail (UU PDP)."""
    user = request.auth
    case = _task_for(user, id)
    audit_record(
        actor=user,
        action="case.viewed_by_partner",
        target=case,
        subject=case.submission.applicant,
        details={"via": "api"},
    )
    answers = partner_visible_answers(case=case)
    events = selectors.case_timeline(case=case, include_internal=False)
    return {
        **_task_item(case, answers),
        "answers": answers,
        "allowed_transitions": _steps(case, user),
        "events": [
            {
                "at": event.created_at,
                "kind": event.kind,
                "kind_label": str(EventKind(event.kind).label)
                if event.kind in EventKind.values
                else event.kind,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "by": event.actor_role,
                "reason": (event.data or {}).get("reason")
                if event.actor_role == Actor.PARTNER
                else None,
            }
            for event in events
        ],
    }


class TaskTransitionIn(Schema):
    to: str = Field(max_length=64, description="The state to move the task to.")
    reason: str | None = Field(
        None,
        max_length=5000,
        description="Why you decline; the agency and the applicant read it.",
    )
    note: str | None = Field(None, max_length=5000, description="For the agency's officers only.")
    message: str | None = Field(None, max_length=5000, description="To the applicant.")
    version: int = Field(
        ge=1,
        description="The `version` you saw: if the task changed since, the step is refused "
        "(409 `case_changed`).",
    )


def _with_file_url(case: Case) -> str:
    return reverse("api:partner_task_transition_with_file", kwargs={"id": str(case.public_id)})


@router.post(
    "/partner/tasks/{id}/transitions",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: TaskStateOut, **_errors(400, 403, 409, 413, 422)},
    summary="Take a step in a task",
    url_name="partner_task_transition",
)
def task_transition(request, id: str, payload: TaskTransitionIn):
    """Move the task to `to` by one of your organisation's steps (accept, decline with a
    `reason`, …), with the `version` you saw. A step that needs a file answers 422
    `file_required`: send it to `/transitions/with-file` as multipart/form-data."""
    user = request.auth
    case = _task_for(user, id)
    step = next((s for s in _steps(case, user) if s["to"] == payload.to), None)
    if step is not None and step["needs_file"]:
        raise DomainError(
            _(
                "This step needs a file, the proof of delivery: send the step with the file as "
                "multipart/form-data to %(url)s, or take it in the partner portal."
            )
            % {"url": _with_file_url(case)},
            code="file_required",
            status=422,
            errors=[{"path": "file", "message": _("Send the photo or PDF with the step.")}],
        )
    changed = services.case_transition(
        case=case,
        actor=user,
        to=payload.to,
        data=payload.model_dump(include={"reason", "note", "message"}),
        expected_version=payload.version,
    )
    return _task_state(changed, user)


@router.post(
    "/partner/tasks/{id}/transitions/with-file",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: TaskStateOut, **_errors(400, 403, 409, 413, 422)},
    summary="Take a step in a task, with a proof of delivery",
    url_name="partner_task_transition_with_file",
)
def task_transition_with_file(
    request, id: str, payload: Form[TaskTransitionIn], file: File[UploadedFile]
):
    """Multipart/form-data: the fields of `POST /partner/tasks/{id}/transitions` and `file`,
    a photo or a PDF (JPG, PNG or PDF) that proves the delivery. Its real type and size are
    checked; the agency's officers see it with the step's `note`, the applicant does not. The
    step and its file stand or fall together."""
    user = request.auth
    case = _task_for(user, id)
    data = payload.model_dump(include={"reason", "note", "message"})
    data["file"] = file.name
    # The file is kept with the step's note for the officers: one is written for a step that
    # does not ask for it.
    step = next((s for s in _steps(case, user) if s["to"] == payload.to), None)
    if step is None or "note" not in step["requires"]:
        data["note"] = data.get("note") or _("Proof of delivery attached.")
    with transaction.atomic():
        changed = services.case_transition(
            case=case, actor=user, to=payload.to, data=data, expected_version=payload.version
        )
        attach_proof(case=changed, actor=user, upload=file)
    return _task_state(changed, user)
