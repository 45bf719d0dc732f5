"""The staff side of Learn over the API: trainers' sessions and attendance, unit heads' and
HR's approvals, assignments and confirmations, HR's claims queue, and compliance with the
yearly 20 JP per unit.

Scope comes from the roles (``selectors.access``): a trainer sees the sessions they teach,
a unit head the employees of the units they head, HR of an agency that agency, HR of the
whole government every agency. Calling an operation without its role answers 403; an id
outside the caller's scope answers 404. Reading who is behind is recorded in the audit
trail, as on the pages.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE_AND_SYSTEMS
from satupintu.core.errors import Forbidden, NotFound
from satupintu.core.services import audit_record
from satupintu.learning import services
from satupintu.learning.api.common import (
    AgencyRef,
    CourseRef,
    ListQuery,
    PersonRef,
    VenueRef,
    agency_ref,
    course_ref,
    cursor_checked,
    errors,
    invalid_input,
    link,
    page_out,
    person_name,
    person_ref,
    public_id,
    this_year,
)
from satupintu.learning.api.records import ClaimOut, claim_out
from satupintu.learning.constants import YEARLY_JP_RIGHT, ClaimStatus
from satupintu.learning.selectors import catalogue as catalogue_selectors
from satupintu.learning.selectors import compliance as compliance_selectors
from satupintu.learning.selectors import manage as manage_selectors
from satupintu.learning.selectors import sessions as session_selectors
from satupintu.learning.selectors.access import learning_access

router = Router(tags=["learning: staff"], auth=PEOPLE_AND_SYSTEMS)


def _trainer_or_hr(request):
    user = request.auth
    access = learning_access(user)
    if not (access.trainer or access.is_hr):
        raise Forbidden(
            _("Sessions to teach are for trainers (widyaiswara) and human resources."),
            code="trainers_only",
        )
    return user


def _manager(request):
    user = request.auth
    if not learning_access(user).manages_people:
        raise Forbidden(
            _("This is for unit heads and human resources."), code="learning_staff_only"
        )
    return user


def _hr(request):
    user = request.auth
    if not learning_access(user).is_hr:
        raise Forbidden(_("This is for human resources."), code="hr_only")
    return user


def _via(user) -> dict:
    prefix = getattr(user, "api_key_prefix", None)
    return {"via": "api", **({"api_key": prefix} if prefix else {})}


# Trainers -----------------------------------------------------------------------------------


class StaffSessionOut(Schema):
    id: uuid.UUID
    course: CourseRef
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: VenueRef | None
    room: str
    online_url: str
    trainer: str | None
    capacity: int
    seats_taken: int
    waiting: int
    cancelled: bool


def _session_out(session) -> dict:
    return {
        "id": session.public_id,
        "course": course_ref(session.course),
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue": agency_ref(session.office) if session.office_id else None,
        "room": session.room,
        "online_url": session.online_url,
        "trainer": person_name(session.trainer) if session.trainer_id else None,
        "capacity": session.capacity,
        "seats_taken": session.seats_taken,
        "waiting": session.waiting,
        "cancelled": session.cancelled_at is not None,
    }


class StaffSessionList(Schema):
    items: list[StaffSessionOut]
    next: str | None


class SessionQuery(ListQuery):
    past: bool = Field(False, description="Sessions that have ended, latest first.")


@router.get(
    "/trainer/sessions",
    response={200: StaffSessionList, **errors(400, 403, 422)},
    summary="The sessions you teach",
)
def trainer_sessions(request, query: Query[SessionQuery]):
    """Your sessions to come (soonest first), or with `past` those that have ended, with
    the seats taken and the number waiting."""
    user = _trainer_or_hr(request)
    page = session_selectors.session_list_for_trainer(
        user=user, past=query.past, cursor=cursor_checked(query.cursor), limit=query.limit
    )
    return page_out(request, page, _session_out)


class Participant(Schema):
    booking: uuid.UUID = Field(description="Send it to mark the participant present.")
    learner: PersonRef
    status: str
    booked_at: datetime.datetime
    attended_at: datetime.datetime | None
    check_in_method: str = Field(description="qr or list, once present.")
    progress: int | None = Field(description="Their progress in the course, in percent.")


class RosterOut(StaffSessionOut):
    participants: list[Participant] = Field(description="Those with a seat, in booking order.")
    waiting_list: list[Participant] = Field(description="In the order they will move up.")
    attended: int
    check_in_url: str | None = Field(description="What the session's QR code opens.")


def _participant(booking) -> dict:
    return {
        "booking": booking.public_id,
        "learner": person_ref(booking.learner),
        "status": booking.status,
        "booked_at": booking.created_at,
        "attended_at": booking.attended_at,
        "check_in_method": booking.check_in_method,
        "progress": booking.enrolment.progress if booking.enrolment_id else None,
    }


def _roster_out(request, session) -> dict:
    roster = session_selectors.session_roster(session=session)
    return {
        **_session_out(session),
        "participants": [_participant(booking) for booking in roster.confirmed],
        "waiting_list": [_participant(booking) for booking in roster.waitlist],
        "attended": roster.attended,
        "check_in_url": link(request, "learning:check_in", session.checkin_token),
    }


@router.get(
    "/trainer/sessions/{id}",
    response={200: RosterOut, **errors(403, 422)},
    summary="A session you teach, with its participants",
)
def trainer_session(request, id: uuid.UUID):
    """A session you teach (or whose course you manage as HR): its participants with their
    attendance and their progress in the course, and the waiting list."""
    user = _trainer_or_hr(request)
    session = session_selectors.session_get_for_staff(user=user, public_id=id)
    return _roster_out(request, session)


class AttendanceIn(Schema):
    present: list[uuid.UUID] = Field(
        max_length=500, description="The booking ids of those present."
    )


@router.post(
    "/trainer/sessions/{id}/attendance",
    response={200: RosterOut, **errors(400, 403, 409, 413, 422)},
    summary="Mark who was present",
)
def attendance_mark(request, id: uuid.UUID, payload: AttendanceIn):
    """Mark participants present from your list, from 30 minutes before the start. Each one
    completes the course by attendance: their JP are credited and their certificate issued.
    Those already marked stay as they are."""
    user = _trainer_or_hr(request)
    session = session_selectors.session_get_for_staff(user=user, public_id=id)
    seats = {
        booking.public_id: booking.learner
        for booking in session_selectors.session_roster(session=session).confirmed
    }
    unknown = [str(booking) for booking in payload.present if booking not in seats]
    if unknown:
        raise invalid_input(
            "present",
            _("These bookings hold no seat in this session: %(ids)s. Reload the list.")
            % {"ids": ", ".join(unknown)},
            "no_seat",
        )
    services.attendance_mark(
        session=session,
        learners_present=[seats[booking] for booking in dict.fromkeys(payload.present)],
        actor=user,
    )
    session = session_selectors.session_get_for_staff(user=user, public_id=id)
    return _roster_out(request, session)


# Unit heads and HR: approvals, assignments, confirmations --------------------------------------


class StaffEnrolmentOut(Schema):
    id: uuid.UUID
    learner: PersonRef
    course: CourseRef
    status: str
    status_label: str
    source: str
    progress: int
    due_on: datetime.date | None
    enrolled_at: datetime.datetime


def _staff_enrolment(enrolment) -> dict:
    return {
        "id": enrolment.public_id,
        "learner": person_ref(enrolment.learner),
        "course": course_ref(enrolment.course),
        "status": enrolment.status,
        "status_label": enrolment.get_status_display(),
        "source": enrolment.source,
        "progress": enrolment.progress,
        "due_on": enrolment.due_on,
        "enrolled_at": enrolment.created_at,
    }


class StaffEnrolmentList(Schema):
    items: list[StaffEnrolmentOut]
    next: str | None


@router.get(
    "/approvals",
    response={200: StaffEnrolmentList, **errors(400, 403, 422)},
    summary="Enrolments awaiting your approval",
)
def approval_list(request, query: Query[ListQuery]):
    """Self-enrolments in courses that need approval, of the employees of the units you head
    (and, as HR, of your agency), oldest first."""
    user = _manager(request)
    page = manage_selectors.enrolment_requests(
        user=user, cursor=cursor_checked(query.cursor), limit=query.limit, unit_head_only=False
    )
    return page_out(request, page, _staff_enrolment)


class DecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=300, description="Needed to refuse: the learner reads it.")


@router.post(
    "/approvals/{id}",
    response={200: StaffEnrolmentOut, **errors(400, 403, 409, 413, 422)},
    summary="Approve or refuse an enrolment",
)
def approval_decide(request, id: uuid.UUID, payload: DecisionIn):
    """Approve a request (the learner may start) or refuse it with a reason. Your own
    request goes to someone else (403)."""
    user = _manager(request)
    enrolment = manage_selectors.enrolment_get_for_manager(user=user, public_id=id)
    enrolment = services.enrolment_decide(
        enrolment=enrolment, approve=payload.approve, actor=user, reason=payload.reason
    )
    return _staff_enrolment(manage_selectors.enrolment_get_for_manager(user=user, public_id=id))


class AssignmentIn(Schema):
    course: str = Field(max_length=80, description="The code of the course.")
    employees: list[str] = Field(
        min_length=1, max_length=100, description="The NIPs of the employees."
    )
    due_on: datetime.date | None = Field(None, description="The day to finish by.")


@router.post(
    "/assignments",
    response={201: list[StaffEnrolmentOut], **errors(400, 403, 409, 413, 422)},
    summary="Assign a course to employees",
)
def assignment_create(request, payload: AssignmentIn):
    """Enrol employees you cover (the units you head; as HR, your agency) in a course, with
    a day to finish by: all of them or, when one cannot be enrolled, none (the answer says
    who and why). Approval is not needed for an assignment."""
    user = _manager(request)
    try:
        course = catalogue_selectors.course_get(code=payload.course)
    except NotFound as exc:
        raise invalid_input("course", str(exc.detail), "course_not_found") from exc
    employees, missing = manage_selectors.employees_by_nip(user=user, nips=payload.employees)
    if missing:
        raise invalid_input(
            "employees",
            _("No employee you cover has these NIPs: %(nips)s. Check the numbers.")
            % {"nips": ", ".join(missing)},
            "unknown_employees",
        )
    enrolments = services.enrolment_assign(
        course=course,
        learners=[employee.user for employee in employees],
        actor=user,
        due_on=payload.due_on,
    )
    return Status(
        201,
        [
            _staff_enrolment(
                manage_selectors.enrolment_get_for_manager(user=user, public_id=item.public_id)
            )
            for item in enrolments
        ],
    )


@router.get(
    "/confirmations",
    response={200: StaffEnrolmentList, **errors(400, 403, 422)},
    summary="Coaching and experiential courses to confirm",
)
def confirmation_list(request, query: Query[ListQuery]):
    """Coaching and experiential enrolments in progress (secondments, job shadowing) of the
    employees you cover, whose completion you may confirm; oldest first."""
    user = _manager(request)
    page = manage_selectors.enrolments_to_confirm(
        user=user, cursor=cursor_checked(query.cursor), limit=query.limit, unit_head_only=False
    )
    return page_out(request, page, _staff_enrolment)


@router.post(
    "/confirmations/{id}",
    response={200: StaffEnrolmentOut, **errors(400, 403, 409, 422)},
    summary="Confirm that a coaching or experiential course is completed",
)
def confirmation_create(request, id: uuid.UUID):
    """Complete the enrolment: its JP are credited and its certificate issued."""
    user = _manager(request)
    enrolment = manage_selectors.enrolment_get_for_manager(user=user, public_id=id)
    services.enrolment_confirm_completion(enrolment=enrolment, actor=user)
    return _staff_enrolment(manage_selectors.enrolment_get_for_manager(user=user, public_id=id))


# HR: claims ---------------------------------------------------------------------------------


class StaffClaimOut(ClaimOut):
    learner: PersonRef
    certificate_url: str | None = Field(description="The certificate file (HR and learner).")


def _staff_claim(request, claim) -> dict:
    return {
        **claim_out(claim),
        "learner": person_ref(claim.learner),
        "certificate_url": link(request, "learning:claim_certificate", claim.public_id),
    }


class StaffClaimList(Schema):
    items: list[StaffClaimOut]
    next: str | None


class ClaimQuery(ListQuery):
    status: Literal["pending", "approved", "rejected"] = "pending"


@router.get(
    "/claims",
    response={200: StaffClaimList, **errors(400, 403, 422)},
    summary="Claims of your agency's employees",
)
def claim_queue(request, query: Query[ClaimQuery]):
    """Claims for learning done elsewhere by the employees you work for as HR, of one
    status (awaiting a decision by default), oldest first."""
    user = _hr(request)
    page = manage_selectors.claim_queue(
        user=user,
        status=ClaimStatus(query.status),
        cursor=cursor_checked(query.cursor),
        limit=query.limit,
    )
    return page_out(request, page, lambda claim: _staff_claim(request, claim))


@router.post(
    "/claims/{id}/decision",
    response={200: StaffClaimOut, **errors(400, 403, 409, 413, 422)},
    summary="Approve or refuse a claim",
)
def claim_decide(request, id: uuid.UUID, payload: DecisionIn):
    """Approving credits the claim's JP to the employee's ledger in the year the learning
    was completed; refusing needs a reason. Nobody decides on their own claim (403)."""
    user = _hr(request)
    claim = manage_selectors.claim_get_for_hr(user=user, public_id=id)
    services.claim_decide(claim=claim, approve=payload.approve, actor=user, reason=payload.reason)
    return _staff_claim(request, manage_selectors.claim_get_for_hr(user=user, public_id=id))


# Compliance ---------------------------------------------------------------------------------


class UnitRef(Schema):
    id: uuid.UUID
    code: str
    name: str


class UnitComplianceOut(Schema):
    agency: AgencyRef
    unit: UnitRef | None = Field(description="Null: the agency's employees without a unit.")
    employees: int
    reached: int = Field(description="Employees with at least 20 JP this year.")
    behind: int
    percent: Decimal = Field(description="The share who reached 20 JP, in percent.")
    average_jp: Decimal


class TotalOut(Schema):
    employees: int
    reached: int
    percent: Decimal
    average_jp: Decimal


class ComplianceOut(Schema):
    year: int
    right: Decimal
    units: list[UnitComplianceOut]
    total: TotalOut


class ComplianceQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="This year by default.")


@router.get(
    "/compliance",
    response={200: ComplianceOut, **errors(403, 422)},
    summary="Compliance with the 20 JP per unit",
)
def compliance(request, query: Query[ComplianceQuery]):
    """For each unit you see (the units you head; as HR, your agency's or every agency's):
    its employees, how many reached 20 JP in the year, the share, and the average JP. The
    employees behind are at `compliance/behind`."""
    user = request.auth
    year = query.year or this_year()
    rows = compliance_selectors.compliance_by_unit(user=user, year=year)
    summary = compliance_selectors.compliance_summary(rows)
    return {
        "year": year,
        "right": YEARLY_JP_RIGHT,
        "units": [
            {
                "agency": agency_ref(row.agency),
                "unit": {"id": row.unit.public_id, "code": row.unit.code, "name": row.unit.name}
                if row.unit
                else None,
                "employees": row.employees,
                "reached": row.reached,
                "behind": row.behind,
                "percent": row.percent,
                "average_jp": row.average_jp,
            }
            for row in rows
        ],
        "total": {
            "employees": summary.employees,
            "reached": summary.reached,
            "percent": summary.percent,
            "average_jp": summary.average_jp,
        },
    }


class StandingOut(Schema):
    employee: PersonRef
    jp: Decimal
    remaining: Decimal


class StandingList(Schema):
    items: list[StandingOut]
    next: str | None


class BehindQuery(ListQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="This year by default.")
    unit: str = Field("", max_length=40, description="A unit's id, to see only that unit.")


@router.get(
    "/compliance/behind",
    response={200: StandingList, **errors(400, 403, 422)},
    summary="Employees behind on their 20 JP",
)
def compliance_behind(request, query: Query[BehindQuery]):
    """The employees you see (of one unit, if you say) with fewer than 20 JP in the year,
    the furthest behind first. Each read is recorded in the audit trail."""
    user = request.auth
    year = query.year or this_year()
    unit = None
    if query.unit:
        unit = compliance_selectors.unit_get_for_compliance(
            user=user, public_id=public_id(query.unit, _("There is no such unit."))
        )
    page = compliance_selectors.learners_behind(
        user=user, year=year, unit=unit, cursor=cursor_checked(query.cursor), limit=query.limit
    )
    audit_record(
        actor=user,
        action="learning.compliance_viewed",
        object_type="learning.compliance",
        object_id=str(year),
        details={
            "year": year,
            "unit": str(unit.public_id) if unit else None,
            "employees_listed": len(page.items),
            **_via(user),
        },
    )
    return page_out(
        request,
        page,
        lambda standing: {
            "employee": person_ref(standing.employee.user),
            "jp": standing.jp,
            "remaining": standing.remaining,
        },
    )
