"""My learning at a glance over the API: what the "My learning" page shows, for a
signed-in employee."""

from ninja import Router, Schema
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE
from satupintu.learning.api.bookings import BookingOut, booking_out
from satupintu.learning.api.common import (
    CourseRef,
    course_ref,
    errors,
    learner_of,
)
from satupintu.learning.api.enrolments import (
    CertificateRef,
    EnrolmentOut,
    certificate_ref,
    enrolment_out,
)
from satupintu.learning.api.records import JpOut, jp_out
from satupintu.learning.selectors import learner as learner_selectors

router = Router(tags=["learning: my learning"], auth=PEOPLE)


# My learning ----------------------------------------------------------------------------------


class GapCourse(Schema):
    course: CourseRef
    level: int = Field(description="The level the course builds.")
    prerequisites_met: bool
    reason: str


class MyGapOut(Schema):
    competency: str
    competency_name: str
    required: int
    actual: int | None
    gap: int
    suggestions: list[GapCourse]


class MyLearningOut(Schema):
    jp: JpOut
    current: list[EnrolmentOut]
    requested: list[EnrolmentOut] = Field(description="Awaiting your unit head's approval.")
    bookings: list[BookingOut] = Field(description="Sessions to come.")
    gaps: list[MyGapOut] = Field(description="Your largest competency gaps and courses for them.")
    certificates: list[CertificateRef] = Field(description="The latest ones.")


@router.get("/me", response={200: MyLearningOut, **errors(403)}, summary="My learning at a glance")
def my_learning(request):
    """What "My learning" shows: courses in progress and awaiting approval, sessions to
    come, this year's JP, your largest gaps with the courses that close them, and your
    latest certificates."""
    learner = learner_of(request)
    found = learner_selectors.my_learning(learner=learner)
    return {
        "jp": jp_out(found.jp),
        "current": [enrolment_out(request, enrolment) for enrolment in found.current],
        "requested": [enrolment_out(request, enrolment) for enrolment in found.requested],
        "bookings": [booking_out(request, booking) for booking in found.bookings],
        "gaps": [
            {
                "competency": group.gap.competency.code,
                "competency_name": group.gap.competency.name,
                "required": group.gap.required,
                "actual": group.gap.actual,
                "gap": group.gap.gap,
                "suggestions": [
                    {
                        "course": course_ref(suggestion.course),
                        "level": suggestion.level,
                        "prerequisites_met": suggestion.prerequisites_met,
                        "reason": suggestion.reason,
                    }
                    for suggestion in group.suggestions
                ],
            }
            for group in found.gaps
        ],
        "certificates": [
            certificate_ref(request, certificate) for certificate in found.certificates
        ],
    }
