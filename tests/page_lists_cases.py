"""The table behind ``tests/test_page_lists.py``: every named page of the site, either a list
(with a way to fill it with rows that a given person may see) or not a list (with the reason).

A list's ``build`` makes the viewer and returns a ``Listing``: who looks, at which address,
and ``add(n)``, which makes ``n`` more rows that this person sees on that page and returns a
marker of each row (a text that the page shows for that row and for no other).
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts import personal_data
from satupintu.accounts.constants import Role
from satupintu.catalog.models import Service, ServiceVersion
from satupintu.learning.constants import EnrolmentStatus, Modality
from satupintu.learning.models import LearningClaim
from satupintu.learning.selectors import catalogue as learning_catalogue
from satupintu.learning.selectors import certificates as learning_certificates
from satupintu.learning.selectors import keyset as learning_keyset
from satupintu.learning.selectors import learner as learning_learner
from satupintu.learning.services import enrolment_complete
from satupintu.notifications.models import Notification
from satupintu.organisations.models import Agency, Partner, Unit
from satupintu.talent import selectors as talent_selectors

PAGE = settings.SATUPINTU_PAGE_SIZE
LEARN = learning_keyset.PAGE_SIZE
PERFORMANCE = 50  # feedback.views.performance
STAFF_QUEUE = 25  # cases.views.officer, cases.views.partner, complaints.views.staff, talent

_numbers = itertools.count(1)


def marker() -> str:
    """A text that no other row shows: fixed width, so no marker is part of another, and
    lowercase letters and digits, so it also serves as a code."""
    return f"baris{next(_numbers):06d}x"


@dataclass
class Listing:
    """Who looks at a list page, where, and how to give them more rows."""

    user: object | None
    url: str
    add: Callable[[int], list[str]]


@dataclass(frozen=True)
class ListPage:
    name: str
    build: Callable[[], Listing]
    page_size: int
    # Set when the page is not paginated for a reason that another change must fix.
    unpaginated: str = ""


# People and records ------------------------------------------------------------------------


def _people() -> dict:
    from satupintu.demo.people import demo_people_load

    demo_people_load()
    return {user.username: user for user in get_user_model().objects.all()}


def _open_cases(people, n: int, *, service: str, applicant: str = "warga") -> list:
    from tests.feedback.factories import open_case

    return [open_case(people, service, applicant) for _ in range(n)]


def _service(agency: Agency, unit: Unit, name: str) -> Service:
    """A service of ``agency`` named ``name``, on the definition of a shipped one."""
    model = Service.objects.exclude(current_version=None).order_by("code").first()
    service = Service.objects.create(
        code=f"{agency.code}.{name}",
        agency=agency,
        unit=unit,
        name_id=name,
        name_en=name,
        summary_id=model.summary_id,
        summary_en=model.summary_en,
    )
    definition = {**model.current_version.definition, "code": service.code}
    version = ServiceVersion.objects.create(
        service=service, number=1, definition=definition, content_hash=name
    )
    Service.objects.filter(pk=service.pk).update(current_version=version)
    return service


def _new_agency():
    from tests.learning.factories import AgencyFactory, UnitFactory

    agency = AgencyFactory()
    return agency, UnitFactory(agency=agency)


def _services_of(agency: Agency, unit: Unit) -> Callable[[int], list[str]]:
    def add(n: int) -> list[str]:
        names = [marker() for _ in range(n)]
        for name in names:
            _service(agency, unit, name)
        return names

    return add


def _agencies(n: int) -> list[str]:
    from tests.learning.factories import AgencyFactory

    names = [marker() for _ in range(n)]
    for name in names:
        AgencyFactory(name_id=name, name_en=name)
    return names


# Cases (the Work pillar) ---------------------------------------------------------------------

BIRTH = "dukcapil-surabaya.akta-kelahiran"
FOOD = "dinsos-surabaya.bantuan-pangan-isolasi"


def my_services() -> Listing:
    people = _people()

    def add(n):
        # Not the public id: the next page's address holds the last one of the page before.
        return [case.submission.tracking for case in _open_cases(people, n, service=BIRTH)]

    return Listing(people["warga"], reverse("cases:my_services"), add)


def officer_queue() -> Listing:
    people = _people()

    def add(n):
        return [str(case.public_id) for case in _open_cases(people, n, service=BIRTH)]

    return Listing(people["petugas.dukcapil"], reverse("cases:queue"), add)


def workload() -> Listing:
    from satupintu.cases.models import Case

    people = _people()

    def add(n):
        cases = _open_cases(people, n, service=BIRTH)
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(
            due_date=timezone.localdate() - datetime.timedelta(days=10)
        )
        return [str(case.public_id) for case in cases]

    return Listing(people["penyelia.dukcapil"], reverse("cases:workload"), add)


def partner_tasks() -> Listing:
    from satupintu.cases.models import Case

    people = _people()
    partner = Partner.objects.get(code="kampung-tangguh-wonokromo")

    def add(n):
        cases = _open_cases(people, n, service=FOOD)
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(partner=partner)
        return [str(case.public_id) for case in cases]

    return Listing(people["mitra.wonokromo"], reverse("cases:partner_tasks"), add)


# The catalogue and the public performance pages --------------------------------------------


def catalogue_services() -> Listing:
    agency, unit = _new_agency()
    url = reverse("catalog:services") + f"?agency={agency.code}"
    return Listing(None, url, _services_of(agency, unit))


def catalogue_agency() -> Listing:
    agency, unit = _new_agency()
    return Listing(None, reverse("catalog:agency", args=[agency.code]), _services_of(agency, unit))


def catalogue_agencies() -> Listing:
    return Listing(None, reverse("catalog:agencies"), _agencies)


def performance() -> Listing:
    return Listing(None, reverse("feedback:performance"), _agencies)


def agency_performance() -> Listing:
    agency, unit = _new_agency()
    return Listing(
        None,
        reverse("feedback:agency_performance", args=[agency.code]),
        _services_of(agency, unit),
    )


# Complaints ------------------------------------------------------------------------------


def _complaints(people, n: int, *, route: bool, filer: str = "warga") -> list[str]:
    from satupintu.complaints import services
    from tests.complaints.factories import agency, file

    titles = [marker() for _ in range(n)]
    for title in titles:
        complaint = file(people[filer], title=title).complaint
        if route:
            services.complaint_route(
                complaint=complaint, actor=people["koordinator.lapor"], agency=agency()
            )
    return titles


def complaints_mine() -> Listing:
    people = _people()
    return Listing(
        people["warga"],
        reverse("complaints:mine"),
        lambda n: _complaints(people, n, route=False),
    )


def complaints_public() -> Listing:
    people = _people()
    return Listing(None, reverse("complaints:public"), lambda n: _complaints(people, n, route=True))


def coordinator_queue() -> Listing:
    people = _people()
    return Listing(
        people["koordinator.lapor"],
        reverse("complaints:coordinator_queue"),
        lambda n: _complaints(people, n, route=False),
    )


def agency_complaints() -> Listing:
    people = _people()
    return Listing(
        people["petugas.dukcapil"],
        reverse("complaints:agency_queue"),
        lambda n: _complaints(people, n, route=True),
    )


# Notifications ----------------------------------------------------------------------------


def inbox() -> Listing:
    from tests.learning.factories import UserFactory

    user = UserFactory()

    def add(n):
        titles = [marker() for _ in range(n)]
        for title in titles:
            Notification.objects.create(recipient=user, kind="uji.baris", title=title, body=".")
        return titles

    return Listing(user, reverse("notifications:inbox"), add)


def my_data_history() -> Listing:
    """The processing history on a person's "My data" page: audit events about them."""
    from satupintu.core.services import audit_record
    from tests.learning.factories import UserFactory

    user = UserFactory()

    def add(n):
        names = [marker() for _ in range(n)]
        for name in names:
            audit_record(
                actor=None, action="uji.baris", object_type="uji", object_id=name, subject=user
            )
        return names

    return Listing(user, reverse("accounts:my_data"), add)


# Data protection -------------------------------------------------------------------------


def _protection_officer():
    from satupintu.accounts.models import RoleAssignment
    from tests.learning.factories import UserFactory

    officer = UserFactory()
    RoleAssignment.objects.create(user=officer, role=Role.DATA_PROTECTION_OFFICER)
    return officer


def _data_requests(user, n: int) -> list[str]:
    """Corrections of ``user``'s name; their references are what the lists show."""
    from satupintu.privacy.services import data_request_file

    return [
        data_request_file(
            requester=user, kind="correction", field="name", proposed_value=marker()
        ).tracking
        for _ in range(n)
    ]


def my_data_requests() -> Listing:
    from tests.learning.factories import UserFactory

    user = UserFactory()
    return Listing(user, reverse("privacy:my_requests"), lambda n: _data_requests(user, n))


def data_request_queue() -> Listing:
    from tests.learning.factories import UserFactory

    officer = _protection_officer()
    return Listing(officer, reverse("privacy:queue"), lambda n: _data_requests(UserFactory(), n))


def breach_register() -> Listing:
    from satupintu.privacy.services import BreachFacts, breach_record

    officer = _protection_officer()

    def add(n):
        titles = [marker() for _ in range(n)]
        for title in titles:
            breach_record(
                actor=officer,
                facts=BreachFacts(
                    title=title,
                    discovered_at=timezone.now() - datetime.timedelta(hours=1),
                    description=".",
                    data_kinds=["contact"],
                    people_affected=1,
                    measures=".",
                ),
            )
        return titles

    return Listing(officer, reverse("privacy:breaches"), add)


# Competencies ----------------------------------------------------------------------------


def framework() -> Listing:
    from tests.talent.factories import CompetencyFactory, EmployeeFactory

    reader = EmployeeFactory().user

    def add(n):
        names = [marker() for _ in range(n)]
        for name in names:
            CompetencyFactory(name_id=name, name_en=name)
        return names

    return Listing(reader, reverse("talent:framework"), add)


def unit_competencies() -> Listing:
    from tests.talent.factories import EmployeeFactory, UserFactory, role, unit

    the_unit = unit("dinkes-surabaya", "kesmas")
    head = UserFactory()
    role(head, Role.UNIT_HEAD, unit=the_unit)

    def add(n):
        names = [marker() for _ in range(n)]
        for name in names:
            EmployeeFactory(agency=the_unit.agency, unit=the_unit, user__first_name=name)
        return names

    return Listing(head, reverse("talent:unit"), add)


# Learn ------------------------------------------------------------------------------------


def _courses(n: int, **fields) -> list:
    from tests.learning.factories import CourseFactory

    return [CourseFactory(code=(name := marker()), title_id=name, **fields) for _ in range(n)]


def my_learning() -> Listing:
    from tests.learning.factories import EnrolmentFactory, make_learner

    learner = make_learner()

    def add(n):
        courses = _courses(n)
        for course in courses:
            EnrolmentFactory(learner=learner, course=course)
        return [course.title_id for course in courses]

    return Listing(learner, reverse("learning:home"), add)


def course_catalogue() -> Listing:
    from tests.learning.factories import AgencyFactory, make_learner

    provider = AgencyFactory()
    url = reverse("learning:catalogue") + f"?penyelenggara={provider.code}"

    def add(n):
        return [course.title_id for course in _courses(n, provider=provider)]

    return Listing(make_learner(), url, add)


def learning_path() -> Listing:
    from tests.learning.factories import CompetencyFactory, make_learner

    competency = CompetencyFactory()

    def add(n):
        return [course.title_id for course in _courses(n, builds=[(competency, 2)])]

    return Listing(make_learner(), reverse("learning:path", args=[competency.code]), add)


def certificates() -> Listing:
    from tests.learning.factories import EnrolmentFactory, make_learner

    learner = make_learner()

    def add(n):
        courses = _courses(n)
        for course in courses:
            enrolment_complete(enrolment=EnrolmentFactory(learner=learner, course=course))
        return [course.title_id for course in courses]

    return Listing(learner, reverse("learning:certificates"), add)


def _claims(learners: Callable[[], object], n: int) -> list[str]:
    titles = [marker() for _ in range(n)]
    for title in titles:
        LearningClaim.objects.create(
            learner=learners(),
            title=title,
            provider="LAN RI",
            completed_on=timezone.localdate() - datetime.timedelta(days=3),
            jp=Decimal(4),
            certificate="learning/claims/sertifikat.pdf",
        )
    return titles


def my_claims() -> Listing:
    from tests.learning.factories import make_learner

    learner = make_learner()
    return Listing(learner, reverse("learning:claims"), lambda n: _claims(lambda: learner, n))


def trainer_sessions() -> Listing:
    from tests.learning.factories import AgencyFactory, ClassSessionFactory, make_staff

    trainer = make_staff(Role.TRAINER, agency=AgencyFactory())

    def add(n):
        courses = _courses(n, modality=Modality.CLASSROOM)
        for course in courses:
            ClassSessionFactory(course=course, trainer=trainer)
        return [course.title_id for course in courses]

    return Listing(trainer, reverse("learning:trainer_sessions"), add)


def _requests(unit, n: int) -> list[str]:
    from tests.learning.factories import EnrolmentFactory, make_learner

    courses = _courses(n, requires_approval=True)
    for course in courses:
        EnrolmentFactory(
            learner=make_learner(unit=unit), course=course, status=EnrolmentStatus.REQUESTED
        )
    return [course.title_id for course in courses]


def _unit_head():
    from tests.learning.factories import UnitFactory, make_staff

    unit = UnitFactory()
    return make_staff(Role.UNIT_HEAD, unit=unit), unit


def unit_home() -> Listing:
    head, unit = _unit_head()
    return Listing(head, reverse("learning:unit_home"), lambda n: _requests(unit, n))


def hr_requests() -> Listing:
    from tests.learning.factories import UnitFactory, make_staff

    unit = UnitFactory()
    hr = make_staff(Role.HR, agency=unit.agency)
    return Listing(hr, reverse("learning:hr_requests"), lambda n: _requests(unit, n))


def _hr():
    from tests.learning.factories import AgencyFactory, make_staff

    agency = AgencyFactory()
    return make_staff(Role.HR, agency=agency), agency


def hr_courses() -> Listing:
    hr, agency = _hr()
    return Listing(
        hr,
        reverse("learning:hr_courses"),
        lambda n: [course.title_id for course in _courses(n, provider=agency)],
    )


def hr_sessions() -> Listing:
    from tests.learning.factories import ClassSessionFactory

    hr, agency = _hr()

    def add(n):
        courses = _courses(n, provider=agency, modality=Modality.CLASSROOM)
        for course in courses:
            ClassSessionFactory(course=course)
        return [course.title_id for course in courses]

    return Listing(hr, reverse("learning:hr_sessions"), add)


def hr_claims() -> Listing:
    from tests.learning.factories import UnitFactory, make_learner

    hr, agency = _hr()
    unit = UnitFactory(agency=agency)
    return Listing(
        hr, reverse("learning:hr_claims"), lambda n: _claims(lambda: make_learner(unit=unit), n)
    )


def _employees(unit, n: int) -> list[str]:
    from tests.learning.factories import make_learner

    names = [marker() for _ in range(n)]
    for name in names:
        make_learner(unit=unit, first_name=name, last_name="")
    return names


def unit_compliance() -> Listing:
    head, unit = _unit_head()
    return Listing(head, reverse("learning:unit_compliance"), lambda n: _employees(unit, n))


def hr_compliance() -> Listing:
    from tests.learning.factories import UnitFactory

    hr, agency = _hr()
    unit = UnitFactory(agency=agency)
    return Listing(hr, reverse("learning:hr_compliance"), lambda n: _employees(unit, n))


# The table ---------------------------------------------------------------------------------


LIST_PAGES = [
    ListPage("cases:my_services", my_services, PAGE),
    ListPage("cases:queue", officer_queue, STAFF_QUEUE),
    ListPage("cases:workload", workload, STAFF_QUEUE),
    ListPage("cases:partner_tasks", partner_tasks, STAFF_QUEUE),
    ListPage("catalog:services", catalogue_services, PAGE),
    ListPage("catalog:agencies", catalogue_agencies, PAGE),
    ListPage("catalog:agency", catalogue_agency, PAGE),
    ListPage("feedback:performance", performance, PERFORMANCE),
    ListPage("feedback:agency_performance", agency_performance, PERFORMANCE),
    ListPage("complaints:mine", complaints_mine, 20),
    ListPage("complaints:public", complaints_public, 20),
    ListPage("complaints:coordinator_queue", coordinator_queue, STAFF_QUEUE),
    ListPage("complaints:agency_queue", agency_complaints, STAFF_QUEUE),
    ListPage("notifications:inbox", inbox, PAGE),
    ListPage("accounts:my_data", my_data_history, personal_data.HISTORY_PAGE_SIZE),
    ListPage("privacy:my_requests", my_data_requests, PAGE),
    ListPage("privacy:queue", data_request_queue, STAFF_QUEUE),
    ListPage("privacy:breaches", breach_register, STAFF_QUEUE),
    ListPage("talent:framework", framework, talent_selectors.FRAMEWORK_PAGE_SIZE),
    ListPage("talent:unit", unit_competencies, STAFF_QUEUE),
    ListPage("learning:home", my_learning, learning_learner.MY_LEARNING_PAGE_SIZE),
    ListPage("learning:catalogue", course_catalogue, learning_catalogue.PAGE_SIZE),
    ListPage("learning:path", learning_path, learning_catalogue.PATH_PAGE_SIZE),
    ListPage("learning:certificates", certificates, learning_certificates.PAGE_SIZE),
    ListPage("learning:claims", my_claims, LEARN),
    ListPage("learning:trainer_sessions", trainer_sessions, LEARN),
    ListPage("learning:unit_home", unit_home, LEARN),
    ListPage("learning:hr_requests", hr_requests, LEARN),
    ListPage("learning:hr_courses", hr_courses, LEARN),
    ListPage("learning:hr_sessions", hr_sessions, LEARN),
    ListPage("learning:hr_claims", hr_claims, LEARN),
    ListPage("learning:unit_compliance", unit_compliance, LEARN),
    ListPage("learning:hr_compliance", hr_compliance, LEARN),
]

FORM = "a form"
ONE = "one record and what belongs to it"
DOWNLOAD = "a download"
REDIRECT = "an action that redirects"
EXPORT = "export"
SUMMARY = "a fixed-size summary"

NOT_LIST_PAGES = {
    "favicon": REDIRECT,
    # Accounts
    "accounts:login": FORM,
    "accounts:logout": REDIRECT,
    "accounts:signup": FORM,
    "accounts:profile": "one person's profile; earlier consents are cut to the latest 20",
    "accounts:consent_withdraw": REDIRECT,
    "accounts:privacy": "a fixed text",
    "accounts:my_data_download": DOWNLOAD,
    "accounts:second_factor_verify": FORM,
    "accounts:second_factor_setup": FORM,
    "accounts:recovery_codes": "the ten recovery codes just made, shown once",
    "accounts:second_factor_manage": FORM,
    # Cases
    "cases:apply": FORM,
    "cases:draft": FORM,
    "cases:review": ONE,
    "cases:submitted": ONE,
    "cases:my_document": DOWNLOAD,
    "cases:draft_delete": FORM,
    "cases:case": ONE,
    "cases:my_outcome": DOWNLOAD,
    "cases:life_event_apply": FORM,
    "cases:suggestion": ONE,
    "cases:officer_case": ONE,
    "cases:officer_claim": REDIRECT,
    "cases:officer_transition": REDIRECT,
    "cases:officer_message": REDIRECT,
    "cases:officer_assign": REDIRECT,
    "cases:officer_forward": REDIRECT,
    "cases:officer_outcome": FORM,
    "cases:officer_outcome_revoke": FORM,
    "cases:officer_document": DOWNLOAD,
    "cases:partner_task": ONE,
    "cases:partner_step": REDIRECT,
    "cases:verify": FORM,
    "cases:verify_code": ONE,
    # Catalogue
    "catalog:home": "a preview of the first agencies (catalog.views.HOME_AGENCIES) with a "
    "link to the paged list of all of them",
    "catalog:service": ONE,
    "catalog:life_event": ONE,
    # Feedback
    "feedback:survey_done": "a fixed text",
    "feedback:survey": FORM,
    "feedback:counter": FORM,
    "feedback:reports": SUMMARY,
    "feedback:report_csv": EXPORT,
    "feedback:report_xlsx": EXPORT,
    "feedback:report_pdf": EXPORT,
    "feedback:followup": FORM,
    # Complaints
    "complaints:file": FORM,
    "complaints:follow": FORM,
    "complaints:complaint": ONE,
    "complaints:complaint_close": REDIRECT,
    "complaints:coordinator_complaint": ONE,
    "complaints:coordinator_route": FORM,
    "complaints:coordinator_reject": FORM,
    "complaints:coordinator_request": FORM,
    "complaints:coordinator_message": FORM,
    "complaints:agency_complaint": ONE,
    "complaints:agency_follow_up": FORM,
    "complaints:agency_message": FORM,
    "complaints:export": EXPORT,
    # Competencies
    "talent:mine": "one employee's profile: the competencies of their position",
    "talent:competency": ONE,
    "talent:assessment_new": FORM,
    "talent:import": FORM,
    "talent:import_template": DOWNLOAD,
    "talent:employee": ONE,
    # Learn
    "learning:course": ONE,
    "learning:enrol": REDIRECT,
    "learning:cancel": REDIRECT,
    "learning:lesson": ONE,
    "learning:lesson_done": REDIRECT,
    "learning:quiz": FORM,
    "learning:lesson_file": DOWNLOAD,
    "learning:certificate_download": DOWNLOAD,
    "learning:session": ONE,
    "learning:booking_create": REDIRECT,
    "learning:booking_cancel": REDIRECT,
    "learning:booking_ical": DOWNLOAD,
    "learning:my_calendar": DOWNLOAD,
    "learning:check_in": ONE,
    "learning:claim_create": FORM,
    "learning:claim_certificate": DOWNLOAD,
    "learning:trainer_session": "one session; its roster is bounded by the session's seats",
    "learning:trainer_session_qr": DOWNLOAD,
    "learning:attendance_mark": REDIRECT,
    "learning:unit_decide": REDIRECT,
    "learning:unit_confirm": REDIRECT,
    "learning:unit_assign": FORM,
    "learning:unit_compliance_csv": EXPORT,
    "learning:unit_compliance_xlsx": EXPORT,
    "learning:hr_home": SUMMARY,
    "learning:hr_decide": REDIRECT,
    "learning:hr_confirm": REDIRECT,
    "learning:hr_course_create": FORM,
    "learning:hr_course": FORM,
    "learning:hr_course_publish": REDIRECT,
    "learning:hr_lesson_create": FORM,
    "learning:hr_lesson": FORM,
    "learning:hr_lesson_move": REDIRECT,
    "learning:hr_session_create": FORM,
    "learning:hr_session_cancel": REDIRECT,
    "learning:hr_assign": FORM,
    "learning:hr_claim": ONE,
    "learning:hr_compliance_csv": EXPORT,
    "learning:hr_compliance_xlsx": EXPORT,
    "learning:manage_home": REDIRECT,
    # Notifications
    "notifications:mark_all_read": REDIRECT,
    "notifications:mark_read": REDIRECT,
    # Data protection
    "privacy:request_new": FORM,
    "privacy:my_request": ONE,
    "privacy:request": ONE,
    "privacy:request_correct": FORM,
    "privacy:request_erase": FORM,
    "privacy:request_refuse": FORM,
    "privacy:breach_new": FORM,
    "privacy:breach": ONE,
    "privacy:breach_edit": FORM,
    "privacy:breach_notify": FORM,
    "privacy:breach_notice": "the printable notice of one breach",
}
