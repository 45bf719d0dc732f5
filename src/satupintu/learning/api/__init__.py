"""Learn over the API, under ``/api/v1/learning/``.

- The catalogue (anyone): ``courses``, ``courses/{code}``, ``paths/{competency}``,
  ``sessions/{id}``.
- My learning (a signed-in employee): ``me``, ``me/enrolments`` with their lessons and
  quizzes, ``me/bookings``, ``me/jp``, ``me/certificates``, ``me/claims``.
- Staff: ``trainer/sessions`` with attendance, ``approvals``, ``assignments``,
  ``confirmations``, ``claims`` and ``compliance`` for unit heads and human resources.

People use their signed-in session; agencies' systems an API key (staff operations only).
Lists answer ``{"items", "next"}``, paged by keyset; errors answer ``{"detail", "code"}``.
Every operation calls the services and selectors of Learn, which decide who may do what.
"""

from ninja import Router

from satupintu.learning.api import bookings, catalogue, enrolments, learner, records, staff

router = Router()
router.add_router("", catalogue.router)
router.add_router("", learner.router)
router.add_router("", enrolments.router)
router.add_router("", bookings.router)
router.add_router("", records.router)
router.add_router("", staff.router)

__all__ = ["router"]
