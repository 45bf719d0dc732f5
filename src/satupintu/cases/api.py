"""Applications and cases over the API.

Citizens, signed in with their session, send applications and follow their own cases.
Officers and supervisors (session) and agencies' back-end systems (API key) work the cases
of their unit or agency. Who may see what is decided by the selectors: a case outside the
caller's scope is "not found", never "forbidden", so that an answer never reveals that it
exists.

An API key acts through its service account, an agency-wide supervisor of the key's agency
(``accounts.services.api_key_service_account``): it sees every case of that agency and may
take the steps of its officers and supervisors.

Lists answer ``{"items", "next"}``, paged by keyset (never by offset); ``next`` is the URL of
the next page, or null.
"""

import base64
import binascii
import datetime
import uuid
from typing import Any, Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from satupintu.accounts import selectors as account_selectors
from satupintu.accounts.api_auth import PEOPLE, PEOPLE_AND_SYSTEMS
from satupintu.cases import documents, selectors, services
from satupintu.cases.constants import EventKind, SubmissionStatus
from satupintu.cases.models import Case, Message, Submission
from satupintu.catalog import selectors as catalog_selectors
from satupintu.core import tracking as tracking_numbers
from satupintu.core.errors import DomainError, Forbidden, NotFound
from satupintu.core.keyset import after_q
from satupintu.core.keyset import next_page_url as _next_url
from satupintu.core.language import pick
from satupintu.core.ratelimits import rate_limited
from satupintu.core.services import audit_record

router = Router(tags=["applications and cases"])

IDEMPOTENCY_KEY_MAX_LENGTH = 128


# Shared schemas and helpers ---------------------------------------------------------------


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
    return dict.fromkeys((401, 404, *statuses), ErrorOut)


class Ref(Schema):
    code: str
    name: str


def _ref(obj) -> dict:
    return {"code": obj.code, "name": obj.name}


def _state_label(case: Case, state: str | None = None) -> str:
    if state is None and case.is_waiting:
        return _("Waiting for another case of the application")
    if state is None and case.outcome.get("called_off"):
        return _("Not started: the service it waited for ended without its result")
    state = state or case.state
    return pick(case.workflow_states.get(state, {}).get("label")) or state


INVALID_CURSOR = "invalid_cursor"


def _invalid_cursor() -> DomainError:
    return DomainError(
        _("The cursor is not valid; use the `next` link as given."), code=INVALID_CURSOR
    )


def _cursor_encode(*parts: object) -> str:
    return base64.urlsafe_b64encode("|".join(map(str, parts)).encode()).decode().rstrip("=")


def _cursor_decode(value: str) -> tuple[str, int]:
    """The (key, id) pair of a cursor made by ``_cursor_encode``."""
    try:
        decoded = base64.b64decode(
            value + "=" * (-len(value) % 4), altchars=b"-_", validate=True
        ).decode()
        key, last_id = decoded.split("|")
        return key, int(last_id)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise _invalid_cursor() from exc


class ListQuery(Schema):
    limit: int = Field(25, ge=1, le=100)
    cursor: str = Field(
        "", max_length=400, description="From the `next` link of the previous page."
    )


# Submissions ------------------------------------------------------------------------------


class CaseSummary(Schema):
    id: uuid.UUID
    service: Ref
    agency: Ref
    state: str = Field(description="Empty while the case waits for another to reach a state.")
    state_label: str
    due_date: datetime.date
    waiting_for: uuid.UUID | None = Field(
        None, description="The case this one waits for before it starts (life events)."
    )


class SubmissionOut(Schema):
    tracking: str
    status: str
    submitted_at: datetime.datetime | None
    life_event: Ref | None = Field(None, description="The life event applied for, if any.")
    cases: list[CaseSummary] = Field(
        description="Every case the application opened, each with its agency and status: "
        "the bundle of a life event."
    )
    url: str = Field(description="The address of this submission in the API.")


def _case_summary(case: Case) -> dict:
    return {
        "id": case.public_id,
        "service": _ref(case.service),
        "agency": _ref(case.agency),
        "state": case.state,
        "state_label": _state_label(case),
        "due_date": case.due_date,
        "waiting_for": case.waits_for.public_id if case.is_waiting else None,
    }


def _submission_out(request, submission: Submission) -> dict:
    cases = submission.cases.select_related(
        "service", "agency", "service_version", "waits_for"
    ).order_by("id")
    event = submission.life_event_version.life_event if submission.life_event_version_id else None
    return {
        "tracking": submission.tracking,
        "status": submission.status,
        "submitted_at": submission.submitted_at,
        "life_event": _ref(event) if event else None,
        "cases": [_case_summary(case) for case in cases],
        "url": request.build_absolute_uri(
            reverse("api:submission", kwargs={"tracking": submission.tracking})
        ),
    }


class SubmissionIn(Schema):
    service: str = Field(max_length=200, description="The code of the service applied for.")
    business: uuid.UUID | None = Field(
        None, description="The id of a business you represent, to apply on its behalf."
    )
    answers: dict[str, Any] = Field(
        default_factory=dict, description="The answers to the service's form, by field key."
    )


def idempotency_key_checked(header: str | None) -> str:
    """The Idempotency-Key header's value, or a 400 when it is too long."""
    key = (header or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise DomainError(
            _("The Idempotency-Key header may have at most %(count)d characters.")
            % {"count": IDEMPOTENCY_KEY_MAX_LENGTH},
            code="invalid_idempotency_key",
        )
    return key


def submission_with_key(user, key: str) -> Submission | None:
    """The application ``user`` already sent with the idempotency key ``key``, if any."""
    if not key:
        return None
    # The key is unique per applicant (a partial unique index): one indexed row.
    return Submission.objects.filter(applicant=user, idempotency_key=key).first()


def _invalid_input(path: str, message: str, code: str) -> DomainError:
    return DomainError(message, code=code, status=422, errors=[{"path": path, "message": message}])


def _service_and_business(user, payload: "SubmissionIn"):
    """The service applied for and the business applied for (if any), or 422 naming the
    field that is wrong."""
    try:
        service = catalog_selectors.service_get(code=payload.service, for_display=False)
    except NotFound as exc:
        raise _invalid_input("service", exc.detail, "unknown_service") from exc
    if payload.business is None:
        return service, None
    business = account_selectors.business_get_for_representative(
        user=user, public_id=payload.business
    )
    if business is None:
        raise _invalid_input(
            "business", _("You do not represent a business with this id."), "unknown_business"
        )
    return service, business


@router.post(
    "/submissions",
    auth=PEOPLE,
    response={201: SubmissionOut, 200: SubmissionOut, **_errors(400, 403, 413, 422, 429)},
    summary="Send an application",
    url_name="submission_create",
)
@rate_limited("submission", api=True)
def submission_create(
    request,
    payload: SubmissionIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description=(
            "Any string of at most 128 characters that you choose for this application. "
            "Sending the same key again returns the first application (200) instead of "
            "making a second."
        ),
    ),
):
    """Fill in a service's form and send it in one call: a case opens at the agency that
    owns the service, and the answer gives the tracking number and the case.

    Send an `Idempotency-Key` header to retry safely after a time-out: the same key from the
    same person returns the application it made the first time, with status 200 instead of
    201 — **whatever the body of the retry says**, even when it differs from the first (the
    key names the application, not its content). A key over 128 characters is refused
    (400). Answers that do not fit the form answer 422 with `errors: [{path, message}]`,
    one for each field that needs attention.
    """
    user = request.auth
    key = idempotency_key_checked(idempotency_key)
    earlier = submission_with_key(user, key)
    if earlier is not None:
        return Status(200, _submission_out(request, earlier))

    service, business = _service_and_business(user, payload)
    # One transaction: answers that are refused leave nothing behind. A concurrent call
    # with the same key that won the race gives its application (200).
    submission, created = services.submission_send(
        applicant=user,
        service=service,
        business=business,
        answers=payload.answers,
        idempotency_key=key,
    )
    return Status(201 if created else 200, _submission_out(request, submission))


@router.get(
    "/submissions/{tracking}",
    auth=PEOPLE,
    response={200: SubmissionOut, **_errors()},
    summary="One of your applications, by its tracking number",
    url_name="submission",
)
def submission_get(request, tracking: str):
    """Your application with this tracking number (any case, with or without dashes), and
    the state of each of its cases. A number whose check character does not match answers 404
    with the code `invalid_tracking`: it was mistyped."""
    normalised = tracking_numbers.normalise(tracking)
    if normalised is None:
        raise NotFound(
            _(
                "This is not a valid tracking number. Check it against your receipt — it looks "
                "like K7QM-4XRT-9 — and try again."
            ),
            code="invalid_tracking",
        )
    submission = selectors.submission_get_by_tracking(user=request.auth, tracking=normalised)
    return _submission_out(request, submission)


# The citizen's cases ---------------------------------------------------------------------


class MyCaseItem(CaseSummary):
    tracking: str | None
    is_open: bool
    is_paused: bool = Field(description="The case waits on you; its clock is stopped.")
    submitted_at: datetime.datetime
    closed_at: datetime.datetime | None


class MyCaseList(Schema):
    items: list[MyCaseItem]
    next: str | None


@router.get(
    "/my/cases",
    auth=PEOPLE,
    response={200: MyCaseList, **_errors(400, 422)},
    summary="Your cases",
)
def my_cases(request, query: Query[ListQuery]):
    """The cases of your applications (and of the businesses you represent), newest first."""
    cases = selectors.case_list_for_applicant(user=request.auth)
    if query.cursor:
        key, last_id = _cursor_decode(query.cursor)
        try:
            submitted_at = datetime.datetime.fromisoformat(key)
        except ValueError as exc:
            raise _invalid_cursor() from exc
        cases = cases.filter(
            after_q(["submitted_at", "id"], (submitted_at, last_id), descending=True)
        )
    page = selectors.workflow_states_attach(list(cases[: query.limit + 1]))
    more = len(page) > query.limit
    page = page[: query.limit]
    items = [
        {
            **_case_summary(case),
            "tracking": case.submission.tracking,
            "is_open": case.is_open,
            "is_paused": case.is_paused,
            "submitted_at": case.submitted_at,
            "closed_at": case.closed_at,
        }
        for case in page
    ]
    last = page[-1] if page else None
    return {
        "items": items,
        "next": _next_url(request, _cursor_encode(last.submitted_at.isoformat(), last.pk))
        if more
        else None,
    }


# The officers' queue ---------------------------------------------------------------------


class QueueQuery(ListQuery):
    state: str = Field("", max_length=64, description="A state of the service's workflow.")
    service: str = Field("", max_length=200, description="A service's code.")
    due: Literal["", "overdue", "soon"] = Field(
        "", description="`overdue`: past the due date; `soon`: due within three days."
    )
    assigned: Literal["", "me", "unassigned"] = ""
    closed: bool = Field(False, description="Closed cases instead of open ones.")


class QueueItem(CaseSummary):
    tracking: str | None
    unit: Ref
    is_open: bool
    is_paused: bool
    submitted_at: datetime.datetime
    assigned_to: str | None = Field(description="The officer's name.")
    version: int


class QueueList(Schema):
    items: list[QueueItem]
    next: str | None


def _staff_only(user) -> None:
    if not selectors.is_staff_member(user):
        raise Forbidden(
            _("Only officers, supervisors and agencies' systems have cases to work."),
            code="staff_only",
        )


@router.get(
    "/cases",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: QueueList, **_errors(400, 403, 422)},
    summary="The cases you work",
)
def case_list(request, query: Query[QueueQuery]):
    """The cases of your unit (of your agency, for agency-wide roles and API keys), earliest
    due first. The list holds no personal data; `GET /cases/{id}` gives it, and records that
    it was read."""
    user = request.auth
    _staff_only(user)
    after = None
    if query.cursor:
        key, last_id = _cursor_decode(query.cursor)
        try:
            after = (datetime.date.fromisoformat(key), last_id)
        except ValueError as exc:
            raise _invalid_cursor() from exc
    page = selectors.case_queue(
        user=user,
        filters=selectors.QueueFilters(
            state=query.state,
            service=query.service,
            due=query.due,
            assigned=query.assigned,
            closed=query.closed,
        ),
        after=after,
        limit=query.limit + 1,
    )
    more = len(page) > query.limit
    page = page[: query.limit]
    items = [
        {
            **_case_summary(case),
            "tracking": case.submission.tracking,
            "unit": _ref(case.unit),
            "is_open": case.is_open,
            "is_paused": case.is_paused,
            "submitted_at": case.submitted_at,
            "assigned_to": case.assigned_to.get_full_name() or case.assigned_to.username
            if case.assigned_to
            else None,
            "version": case.version,
        }
        for case in page
    ]
    last = page[-1] if page else None
    return {
        "items": items,
        "next": _next_url(request, _cursor_encode(last.due_date.isoformat(), last.pk))
        if more
        else None,
    }


# One case --------------------------------------------------------------------------------


def _case_for(user, case_id: str) -> tuple[Case, bool]:
    """The case with the public id ``case_id`` as ``user`` may see it, and whether they see
    it as staff (else as its applicant)."""
    try:
        public_id = uuid.UUID(case_id)
    except ValueError as exc:
        raise NotFound(_("There is no such case."), code="not_found") from exc
    if selectors.is_staff_member(user):
        try:
            return selectors.case_get_for_staff(user=user, public_id=public_id), True
        except NotFound:
            pass
    return selectors.case_get_for_applicant(user=user, public_id=public_id), False


def _via(user) -> dict:
    prefix = getattr(user, "api_key_prefix", None)
    return {"via": "api", **({"api_key": prefix} if prefix else {})}


class TransitionOut(Schema):
    to: str
    to_label: str
    name: str
    by: str = Field(description="The role that takes this step.")
    requires: list[str] = Field(description="What the step needs: message, reason, note, …")


def _transitions(case: Case, user) -> list[dict]:
    return [
        {
            "to": transition["to"],
            "to_label": _state_label(case, transition["to"]),
            "name": pick(transition.get("name")) or transition["to"],
            "by": transition["by"],
            "requires": list(transition.get("requires", [])),
        }
        for transition in services.allowed_transitions(case=case, user=user)
    ]


class CaseStateOut(Schema):
    id: uuid.UUID
    state: str
    state_label: str
    is_open: bool
    is_paused: bool
    due_date: datetime.date
    version: int = Field(description="Send it back as `expected_version` with a step.")
    allowed_transitions: list[TransitionOut] = Field(description="The steps you may take now.")


def _case_state(case: Case, user) -> dict:
    return {
        "id": case.public_id,
        "state": case.state,
        "state_label": _state_label(case),
        "is_open": case.is_open,
        "is_paused": case.is_paused,
        "due_date": case.due_date,
        "version": case.version,
        "allowed_transitions": _transitions(case, user),
    }


class BusinessOut(Schema):
    id: uuid.UUID
    name: str
    nib: str | None
    legal_form: str


class ApplicantOut(Schema):
    name: str
    nik: str | None = None
    birth_date: datetime.date | None = None
    sex: str | None = None
    address: str | None = None
    region_code: str | None = None
    phone: str | None = None
    email: str | None = None
    business: BusinessOut | None = None


class EventOut(Schema):
    at: datetime.datetime
    kind: str
    kind_label: str
    from_state: str
    to_state: str
    by: str = Field(description="The role of whoever did it.")
    actor: str | None = Field(None, description="Who did it (for staff only).")
    internal: bool


class MessageOut(Schema):
    id: uuid.UUID
    at: datetime.datetime
    from_agency: bool
    internal: bool
    body: str
    author: str | None = Field(None, description="Who wrote it (for staff only).")


class CaseDetail(CaseStateOut):
    tracking: str | None
    service: Ref
    agency: Ref
    unit: Ref
    submitted_at: datetime.datetime
    closed_at: datetime.datetime | None
    assigned_to: str | None
    outcome: dict[str, Any]
    answers: dict[str, Any]
    applicant: ApplicantOut | None = Field(
        description="The applicant's personal data: for staff only, and every read is recorded."
    )
    events: list[EventOut]
    messages: list[MessageOut]


def _name(user) -> str:
    return user.get_full_name() or user.username


def _applicant(submission: Submission) -> dict:
    person = submission.applicant
    profile = getattr(person, "citizen", None)
    data: dict[str, Any] = {"name": profile.full_name if profile else _name(person)}
    if profile is not None:
        data |= {
            field: getattr(profile, field)
            for field in ("nik", "birth_date", "sex", "address", "region_code", "phone", "email")
        }
    if submission.business is not None:
        business = submission.business
        data["business"] = {
            "id": business.public_id,
            "name": business.name,
            "nib": business.nib,
            "legal_form": business.legal_form,
        }
    return data


def _message_out(message: Message, *, as_staff: bool) -> dict:
    return {
        "id": message.public_id,
        "at": message.created_at,
        "from_agency": message.from_agency,
        "internal": message.internal,
        "body": message.body,
        "author": _name(message.author) if as_staff else None,
    }


def _case_detail(case: Case, user, *, as_staff: bool) -> dict:
    events = selectors.case_timeline(case=case, include_internal=as_staff)
    messages = selectors.case_messages(case=case, include_internal=as_staff)
    return {
        **_case_state(case, user),
        "tracking": case.submission.tracking,
        "service": _ref(case.service),
        "agency": _ref(case.agency),
        "unit": _ref(case.unit),
        "submitted_at": case.submitted_at,
        "closed_at": case.closed_at,
        "assigned_to": _name(case.assigned_to) if case.assigned_to else None,
        "outcome": case.outcome,
        "answers": case.answers,
        "applicant": _applicant(case.submission) if as_staff else None,
        "events": [
            {
                "at": event.created_at,
                "kind": event.kind,
                "kind_label": str(EventKind(event.kind).label),
                "from_state": event.from_state,
                "to_state": event.to_state,
                "by": event.actor_role,
                "actor": _name(event.actor) if as_staff and event.actor else None,
                "internal": event.internal,
            }
            for event in events
        ],
        "messages": [_message_out(message, as_staff=as_staff) for message in messages],
    }


@router.get(
    "/cases/{id}",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: CaseDetail, **_errors()},
    summary="One case",
)
def case_get(request, id: str):
    """A case you applied for or work on: its state, the steps you may take now, its
    timeline and messages. Staff also get the applicant's personal data; each such read is
    recorded in the audit trail (UU PDP)."""
    user = request.auth
    case, as_staff = _case_for(user, id)
    if as_staff:
        audit_record(
            actor=user,
            action="citizen.viewed",
            target=case,
            subject=case.submission.applicant,
            details=_via(user),
        )
    return _case_detail(case, user, as_staff=as_staff)


class TransitionIn(Schema):
    to: str = Field(max_length=64, description="The state to move the case to.")
    message: str | None = Field(None, max_length=5000, description="To the applicant.")
    reason: str | None = Field(
        None, max_length=5000, description="Why, for a rejection; the applicant sees it."
    )
    document_number: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=5000, description="Internal: staff only see it.")
    expected_version: int | None = Field(
        None,
        ge=1,
        description="The `version` you saw: if the case changed since, the step is refused "
        "(409 `case_changed`).",
    )


@router.post(
    "/cases/{id}/transitions",
    auth=PEOPLE_AND_SYSTEMS,
    response={200: CaseStateOut, **_errors(400, 403, 409, 413, 422)},
    summary="Take a step in a case's workflow",
)
def case_transition(request, id: str, payload: TransitionIn):
    """Move the case to `to` by a step that its workflow allows from its current state for
    your role, with what that step requires. 409 when no step leads there from here (the
    answer names where it can go) or when the case changed since `expected_version`
    (`case_changed`); 403 when the step is another role's (the answer names the role); 422
    when something the step requires is missing (`errors` names it)."""
    user = request.auth
    case, _as_staff = _case_for(user, id)
    case = services.case_transition(
        case=case,
        actor=user,
        to=payload.to,
        data=payload.model_dump(include={"message", "reason", "document_number", "note"}),
        expected_version=payload.expected_version,
    )
    return _case_state(case, user)


class MessageIn(Schema):
    body: str = Field(max_length=5000)
    internal: bool = Field(False, description="An internal note between staff.")


@router.post(
    "/cases/{id}/messages",
    auth=PEOPLE_AND_SYSTEMS,
    response={201: MessageOut, **_errors(400, 403, 413, 422)},
    summary="Write in a case's thread",
)
def case_message(request, id: str, payload: MessageIn):
    """Write to the applicant (staff), to the agency (the applicant) or, with `internal`, an
    internal note between staff. An applicant's answer while the case waits on them may take
    the case back to the agency."""
    user = request.auth
    case, as_staff = _case_for(user, id)
    message = services.message_post(
        case=case, actor=user, body=payload.body, internal=payload.internal
    )
    return Status(201, _message_out(message, as_staff=as_staff))


# Drafts: applications with documents -----------------------------------------------------


class DocumentOut(Schema):
    id: uuid.UUID
    field: str
    name: str
    content_type: str
    size: int
    sha256: str


class DraftOut(Schema):
    id: uuid.UUID
    service: str | None = Field(description="The service applied for (null for a life event).")
    life_event: str | None = Field(None, description="The life event applied for, if any.")
    status: str
    answers: dict[str, Any]
    documents: list[DocumentOut]


class DraftAnswersIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict)


def _draft_out(submission: Submission) -> dict:
    return {
        "id": submission.public_id,
        "service": submission.service_version.service.code
        if submission.service_version_id
        else None,
        "life_event": submission.life_event_version.life_event.code
        if submission.life_event_version_id
        else None,
        "status": submission.status,
        "answers": submission.answers,
        "documents": [
            {
                "id": d.public_id,
                "field": d.field_key,
                "name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
            }
            for d in selectors.submission_documents(submission=submission)
        ],
    }


def _draft_for(user, draft_id: uuid.UUID) -> Submission:
    return selectors.submission_get_for_applicant(user=user, public_id=draft_id)


@router.post(
    "/drafts",
    auth=PEOPLE,
    response={201: DraftOut, **_errors(400, 403, 413, 422)},
    summary="Start an application that needs documents",
    url_name="draft_create",
)
def draft_create(request, payload: SubmissionIn):
    """Start a draft application (answers may be incomplete). Upload its documents with
    `POST /drafts/{id}/documents`, then send it with `POST /drafts/{id}/submit`. Services
    whose forms have no file fields can be sent in one call with `POST /submissions`."""
    service, business = _service_and_business(request.auth, payload)
    draft = services.submission_draft_save(
        applicant=request.auth, service=service, business=business, answers=payload.answers
    )
    return Status(201, _draft_out(draft))


@router.put(
    "/drafts/{id}",
    auth=PEOPLE,
    response={200: DraftOut, **_errors(400, 409, 413, 422)},
    summary="Replace a draft's answers",
    url_name="draft_update",
)
def draft_update(request, id: uuid.UUID, payload: DraftAnswersIn):
    draft = _draft_for(request.auth, id)
    draft = services.submission_draft_save(
        applicant=request.auth, submission=draft, answers=payload.answers
    )
    return _draft_out(draft)


@router.post(
    "/drafts/{id}/documents",
    auth=PEOPLE,
    response={201: DocumentOut, **_errors(400, 409, 413, 422)},
    summary="Upload a document to a draft",
    url_name="draft_document",
)
def draft_document(request, id: uuid.UUID, field: Form[str], file: File[UploadedFile]):
    """Multipart upload of one file for the form field `field` (for a file inside a repeating
    group: `group[0].key`). The file's real content type is checked against what the field
    accepts, and its size against the field's limit; a new upload for the same field replaces
    the previous one."""
    draft = _draft_for(request.auth, id)
    document = documents.document_upload(
        submission=draft, field_key=field[:200], upload=file, actor=request.auth
    )
    return Status(
        201,
        {
            "id": document.public_id,
            "field": document.field_key,
            "name": document.original_name,
            "content_type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
        },
    )


@router.post(
    "/drafts/{id}/submit",
    auth=PEOPLE,
    response={201: SubmissionOut, 200: SubmissionOut, **_errors(409, 422, 429)},
    summary="Send a draft application",
    url_name="draft_submit",
)
@rate_limited("submission", api=True)
def draft_submit(
    request,
    id: uuid.UUID,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Check every answer and document and send the draft: a case opens at the agency.
    Sending an already-sent draft again returns it (200)."""
    draft = _draft_for(request.auth, id)
    key = idempotency_key_checked(idempotency_key)
    already = draft.status == SubmissionStatus.SUBMITTED
    submission = services.submission_submit(
        submission=draft, actor=request.auth, idempotency_key=key
    )
    return Status(
        200 if already or submission.pk != draft.pk else 201, _submission_out(request, submission)
    )
