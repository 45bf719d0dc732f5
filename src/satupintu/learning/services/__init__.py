"""Every write of Learn, by purpose; import from here."""

from satupintu.learning.services.ledger import course_key, jp_credit

__all__ = ["course_key", "jp_credit"]

# Sessions, assignments and approvals, claims, catalogue editing by HR.
from satupintu.learning.services.assignments import enrolment_assign, enrolment_decide
from satupintu.learning.services.claims import claim_create, claim_decide
from satupintu.learning.services.course_editing import (
    course_publish,
    course_save,
    lesson_move,
    lesson_save,
)
from satupintu.learning.services.sessions import (
    attendance_check_in,
    attendance_mark,
    booking_cancel,
    booking_create,
    session_cancel,
    session_create,
)

__all__ += [
    "attendance_check_in",
    "attendance_mark",
    "booking_cancel",
    "booking_create",
    "claim_create",
    "claim_decide",
    "course_publish",
    "course_save",
    "enrolment_assign",
    "enrolment_decide",
    "lesson_move",
    "lesson_save",
    "session_cancel",
    "session_create",
]

# Enrolments, progress through lessons and quizzes, certificates.
from satupintu.learning.services.certificates import (  # noqa: E402
    certificate_issue,
    certificate_render_pdf,
    certificate_revoke,
)
from satupintu.learning.services.enrolment import (  # noqa: E402
    enrolment_cancel,
    enrolment_complete,
    enrolment_confirm_completion,
    enrolment_create,
    xapi_completion_record,
)
from satupintu.learning.services.progress import lesson_complete, quiz_submit  # noqa: E402

__all__ += [
    "certificate_issue",
    "certificate_render_pdf",
    "certificate_revoke",
    "enrolment_cancel",
    "enrolment_complete",
    "enrolment_confirm_completion",
    "enrolment_create",
    "lesson_complete",
    "quiz_submit",
    "xapi_completion_record",
]

# The course catalogue as code: course files loaded by code, all or nothing.
from satupintu.learning.catalogue_file import courses_load  # noqa: E402

__all__ += ["courses_load"]
