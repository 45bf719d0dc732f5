"""The pages of unit heads and of human resources.

Unit heads (``unit/pembelajaran/``): the requests awaiting their approval, coaching and
experiential learning to confirm, assigning a course to employees of their unit, and their
unit's compliance with the yearly 20 JP.

HR (``sdm/pembelajaran/``): the catalogue their agency provides (courses, the competencies
they build, lessons, publishing), scheduling and cancelling sessions, assignments, claims
for learning done elsewhere, and compliance per unit with exports.

Only unit heads and HR open them (others get 403, anonymous visitors the sign-in page), and
every read goes through the scoped selectors, so anything outside the person's units or
agency is "not found". Viewing or exporting employees' learning records is written to the
audit trail.
"""

from django.urls import path

from satupintu.learning.views.manage.catalogue import (
    hr_claim,
    hr_claims,
    hr_course,
    hr_course_create,
    hr_course_publish,
    hr_courses,
    hr_home,
    hr_lesson,
    hr_lesson_create,
    hr_lesson_move,
    hr_session_cancel,
    hr_session_create,
    hr_sessions,
)
from satupintu.learning.views.manage.people import (
    hr_assign,
    hr_compliance,
    hr_compliance_csv,
    hr_compliance_xlsx,
    hr_confirm,
    hr_decide,
    hr_requests,
    unit_assign,
    unit_compliance,
    unit_compliance_csv,
    unit_compliance_xlsx,
    unit_confirm,
    unit_decide,
    unit_home,
)

urlpatterns = [
    # Unit heads
    path("unit/pembelajaran/", unit_home, name="unit_home"),
    path("unit/pembelajaran/permintaan/<uuid:public_id>/", unit_decide, name="unit_decide"),
    path("unit/pembelajaran/selesai/<uuid:public_id>/", unit_confirm, name="unit_confirm"),
    path("unit/pembelajaran/tugaskan/", unit_assign, name="unit_assign"),
    path("unit/pembelajaran/kepatuhan/", unit_compliance, name="unit_compliance"),
    path("unit/pembelajaran/kepatuhan/unduh.csv", unit_compliance_csv, name="unit_compliance_csv"),
    path(
        "unit/pembelajaran/kepatuhan/unduh.xlsx",
        unit_compliance_xlsx,
        name="unit_compliance_xlsx",
    ),
    # Human resources
    path("sdm/pembelajaran/", hr_home, name="hr_home"),
    path("sdm/pembelajaran/permintaan/", hr_requests, name="hr_requests"),
    path("sdm/pembelajaran/permintaan/<uuid:public_id>/", hr_decide, name="hr_decide"),
    path("sdm/pembelajaran/selesai/<uuid:public_id>/", hr_confirm, name="hr_confirm"),
    path("sdm/pembelajaran/kursus/", hr_courses, name="hr_courses"),
    path("sdm/pembelajaran/kursus/baru/", hr_course_create, name="hr_course_create"),
    path("sdm/pembelajaran/kursus/<slug:code>/", hr_course, name="hr_course"),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/terbit/", hr_course_publish, name="hr_course_publish"
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/pelajaran/baru/",
        hr_lesson_create,
        name="hr_lesson_create",
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/pelajaran/<uuid:public_id>/",
        hr_lesson,
        name="hr_lesson",
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/pelajaran/<uuid:public_id>/pindah/",
        hr_lesson_move,
        name="hr_lesson_move",
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/sesi/baru/",
        hr_session_create,
        name="hr_session_create",
    ),
    path("sdm/pembelajaran/sesi/", hr_sessions, name="hr_sessions"),
    path(
        "sdm/pembelajaran/sesi/<uuid:public_id>/batal/",
        hr_session_cancel,
        name="hr_session_cancel",
    ),
    path("sdm/pembelajaran/tugaskan/", hr_assign, name="hr_assign"),
    path("sdm/pembelajaran/klaim/", hr_claims, name="hr_claims"),
    path("sdm/pembelajaran/klaim/<uuid:public_id>/", hr_claim, name="hr_claim"),
    path("sdm/pembelajaran/kepatuhan/", hr_compliance, name="hr_compliance"),
    path("sdm/pembelajaran/kepatuhan/unduh.csv", hr_compliance_csv, name="hr_compliance_csv"),
    path("sdm/pembelajaran/kepatuhan/unduh.xlsx", hr_compliance_xlsx, name="hr_compliance_xlsx"),
]
