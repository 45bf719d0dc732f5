"""The course catalogue over the API: search with filters, one course with everything a
learner needs to decide, and the learning path of a competency. Anyone may read it; a
signed-in employee also learns whether they may enrol, and their enrolment and bookings."""

import datetime
import uuid
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from satupintu.learning.api.common import (
    AgencyRef,
    CourseRef,
    ListQuery,
    VenueRef,
    agency_ref,
    course_ref,
    cursor_checked,
    errors,
    link,
    page_out,
    person_name,
)
from satupintu.learning.selectors import catalogue as catalogue_selectors
from satupintu.learning.selectors import learner as learner_selectors
from satupintu.learning.selectors import sessions as session_selectors

router = Router(tags=["learning: catalogue"])


class CompetencyRef(Schema):
    code: str
    name: str


class CompetencyBuilt(CompetencyRef):
    level: int = Field(description="The level (1–5) the course builds.")


class CourseItem(CourseRef):
    summary: str
    provider: AgencyRef
    competencies: list[CompetencyBuilt]
    requires_approval: bool
    issues_certificate: bool
    url: str | None = Field(description="The course's page on the site.")


class CourseList(Schema):
    items: list[CourseItem]
    next: str | None


def _course_item(request, course) -> dict:
    return {
        **course_ref(course),
        "summary": course.summary,
        "provider": agency_ref(course.provider),
        "competencies": [
            {"code": row.competency.code, "name": row.competency.name, "level": row.level}
            for row in course.competencies.all()
        ],
        "requires_approval": course.requires_approval,
        "issues_certificate": course.issues_certificate,
        "url": link(request, "learning:course", course.code),
    }


class CourseQuery(ListQuery):
    q: str = Field("", max_length=100, description="Words to find in titles and summaries.")
    modality: Literal[
        "", "self_paced", "classroom", "virtual", "coaching", "experiential", "blended"
    ] = ""
    competency: str = Field("", max_length=80, description="A competency's code.")
    provider: str = Field("", max_length=64, description="The providing agency's code.")
    fits_me: bool = Field(False, description="Only courses open to your agency (signed in).")


@router.get(
    "/courses", response={200: CourseList, **errors(400, 422)}, summary="Search the catalogue"
)
def course_list(request, query: Query[CourseQuery]):
    """Published courses matching every word of `q`, of one modality, building one
    competency, from one provider; by title, a page at a time."""
    page = catalogue_selectors.course_search(
        user=request.user,
        q=query.q,
        modality=query.modality or None,
        competency=query.competency or None,
        provider=query.provider or None,
        fits_me=query.fits_me,
        cursor=cursor_checked(query.cursor),
        size=query.limit,
    )
    return page_out(request, page, lambda course: _course_item(request, course))


class PrerequisiteOut(CourseRef):
    completed: bool | None = Field(description="Whether you completed it (signed in).")


class ProgrammeStepOut(Schema):
    order: int
    required: bool
    course: CourseRef


class LessonOutline(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    title: str
    minutes: int


class SessionOut(Schema):
    id: uuid.UUID
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: VenueRef | None = Field(description="The office where it meets (classroom).")
    room: str
    online: bool = Field(description="A virtual class; its link is in your booking.")
    trainer: str | None
    capacity: int
    seats_left: int
    waiting: int
    my_booking: str | None = Field(description="`confirmed` or `waitlisted` (signed in).")


class ObstacleOut(Schema):
    code: str
    message: str


class MyEnrolmentRef(Schema):
    id: uuid.UUID
    status: str
    status_label: str
    progress: int


class MeOut(Schema):
    enrolment: MyEnrolmentRef | None
    may_enrol: bool
    obstacles: list[ObstacleOut] = Field(description="Why you may not enrol now, if so.")


class CourseDetail(CourseItem):
    description: str
    audience: str
    audience_agencies: list[AgencyRef] = Field(description="Empty: open to every agency.")
    capacity: int | None
    seats_left: int | None
    prerequisites: list[PrerequisiteOut]
    steps: list[ProgrammeStepOut] = Field(
        description="The courses of a blended programme, in order."
    )
    lessons: list[LessonOutline]
    sessions: list[SessionOut] = Field(description="Sessions to come, soonest first.")
    me: MeOut | None = Field(description="For a signed-in employee.")


def session_out(seat) -> dict:
    session = seat.session
    return {
        "id": session.public_id,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue": {"code": session.office.code, "name": session.office.name}
        if session.office_id
        else None,
        "room": session.room,
        "online": bool(session.online_url),
        "trainer": person_name(session.trainer) if session.trainer_id else None,
        "capacity": session.capacity,
        "seats_left": seat.seats_left,
        "waiting": seat.waiting,
        "my_booking": seat.booking.status if seat.booking else None,
    }


@router.get("/courses/{code}", response={200: CourseDetail, **errors()}, summary="One course")
def course_get(request, code: str):
    """Every fact of a published course: what it builds, for whom, its prerequisites, its
    steps or lessons, and its sessions to come. Signed in as an employee, `me` says whether
    you may enrol (and why not), with your enrolment."""
    course = catalogue_selectors.course_get(code=code)
    user = request.user
    employee = learner_selectors.employee_of(user)
    done = learner_selectors.completed_course_ids(learner=user) if employee else set()
    me = None
    if employee is not None:
        enrolment = learner_selectors.enrolment_current(learner=user, course=course)
        obstacles = learner_selectors.enrolment_obstacles(learner=user, course=course)
        me = {
            "enrolment": {
                "id": enrolment.public_id,
                "status": enrolment.status,
                "status_label": enrolment.get_status_display(),
                "progress": enrolment.progress,
            }
            if enrolment
            else None,
            "may_enrol": not obstacles,
            "obstacles": [{"code": o.code, "message": o.message} for o in obstacles],
        }
    return {
        **_course_item(request, course),
        "description": course.localised("description"),
        "audience": course.localised("audience"),
        "audience_agencies": [agency_ref(agency) for agency in course.audience_agencies.all()],
        "capacity": course.capacity,
        "seats_left": learner_selectors.seats_left(course),
        "prerequisites": [
            {**course_ref(other), "completed": (other.pk in done) if employee else None}
            for other in course.prerequisites.all()
        ],
        "steps": [
            {"order": step.order, "required": step.is_required, "course": course_ref(step.course)}
            for step in course.steps.all()
        ],
        "lessons": [
            {
                "id": lesson.public_id,
                "kind": lesson.kind,
                "kind_label": lesson.get_kind_display(),
                "title": lesson.title,
                "minutes": lesson.minutes,
            }
            for lesson in learner_selectors.course_lessons(course)
        ],
        "sessions": [
            session_out(seat)
            for seat in catalogue_selectors.upcoming_sessions(
                course=course, learner=user if employee else None
            )
        ],
        "me": me,
    }


class PathLevelOut(Schema):
    level: int
    description: str
    courses: list[CourseRef]


class PathOut(Schema):
    competency: CompetencyRef
    levels: list[PathLevelOut]


@router.get(
    "/paths/{competency}",
    response={200: PathOut, **errors()},
    summary="The learning path of a competency",
)
def learning_path(request, competency: str):
    """The published courses that build a competency (by its code), grouped by the level
    they build, lowest first."""
    from satupintu.talent.selectors import competency_get

    found = competency_get(code=competency[:80])
    described = {level.level: level.description for level in found.levels.all()}
    levels = catalogue_selectors.learning_path(competency=found)
    return {
        "competency": {"code": found.code, "name": found.name},
        "levels": [
            {
                "level": step.level,
                "description": described.get(step.level, ""),
                "courses": [course_ref(course) for course in step.courses],
            }
            for step in levels
        ],
    }


class SessionDetail(SessionOut):
    course: CourseRef
    cancelled: bool


@router.get(
    "/sessions/{id}", response={200: SessionDetail, **errors(422)}, summary="One class session"
)
def session_get(request, id: uuid.UUID):
    """A session of a published course, with its seats left and the length of its waiting
    list."""
    session = session_selectors.session_get_for_learner(public_id=id)
    user = request.user
    booking = session_selectors.booking_for_learner(learner=user, session=session)
    seat = catalogue_selectors.SessionSeat(
        session=session,
        confirmed=session.seats_taken,
        waiting=session.waiting,
        booking=booking,
    )
    return {
        **session_out(seat),
        "course": course_ref(session.course),
        "cancelled": session.cancelled_at is not None,
    }
