"""Learn over the API (issue: Learn — "the same through the API (`/api/v1/learning/...`)"):
anyone searches the catalogue and reads learning paths; an employee enrols, works through
lessons and quizzes, books and cancels seats, reads their JP ledger and certificates and
claims learning done elsewhere; trainers mark attendance; unit heads approve and assign; HR
decide claims and see compliance per unit. Lists are paged by keyset with a bounded number
of queries; errors have the one shape `{"detail", "code"}`; nobody reaches another person's
records (404) or another role's operations (403)."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.core.models import AuditEvent
from satupintu.learning.constants import (
    BookingStatus,
    ClaimStatus,
    EnrolmentStatus,
    Modality,
)
from satupintu.learning.models import ClassSession, Enrolment, JpEntry, LearningClaim
from tests.learning.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ClassSessionFactory,
    CompetencyFactory,
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    ProgrammeStepFactory,
    UserFactory,
    make_learner,
    quiz_with_questions,
    staff_world,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/learning"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code"} and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return staff_world()


def self_paced_course(**fields):
    """A course with a reading and a quiz of two questions."""
    course = CourseFactory(**fields)
    LessonFactory(course=course, order=1)
    quiz_with_questions(course=course, count=2, order=2, pass_mark=50, max_attempts=2)
    return course


# The catalogue ------------------------------------------------------------------------------


def test_anyone_searches_the_catalogue_a_page_at_a_time(client):
    competency = CompetencyFactory()
    for number in range(5):
        CourseFactory(title_id=f"Layanan Jemput Bola {number}", builds=[(competency, 2)])
    CourseFactory(title_id="Layanan Jemput Bola tersembunyi", is_published=False)
    CourseFactory(title_id="Kelas Statistik", modality=Modality.CLASSROOM)

    first = client.get(f"{API}/courses", {"q": "jemput bola", "limit": 3})
    assert first.status_code == 200, first.content
    body = first.json()
    assert [item["title"] for item in body["items"]] == [
        f"Layanan Jemput Bola {n}" for n in range(3)
    ]
    assert body["items"][0]["competencies"] == [
        {"code": competency.code, "name": competency.name_id, "level": 2}
    ]
    second = client.get(body["next"]).json()
    assert [item["title"] for item in second["items"]] == [
        "Layanan Jemput Bola 3",
        "Layanan Jemput Bola 4",
    ]
    assert second["next"] is None

    assert client.get(f"{API}/courses", {"modality": "classroom", "q": "statistik"}).json()[
        "items"
    ][0]["modality_label"]
    assert len(client.get(f"{API}/courses", {"competency": competency.code}).json()["items"]) == 5


def test_bad_filters_and_cursors_are_refused_in_the_error_shape(client):
    assert_error(client.get(f"{API}/courses", {"modality": "webinar"}), 422, "invalid")
    assert_error(client.get(f"{API}/courses", {"cursor": "not-a-cursor!"}), 400, "invalid_cursor")
    assert_error(client.get(f"{API}/courses/tidak-ada"), 404, "course_not_found")


def test_the_catalogue_costs_the_same_queries_for_any_page(client, django_assert_max_num_queries):
    competency = CompetencyFactory()
    for _number in range(30):
        CourseFactory(builds=[(competency, 3)])
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/courses", {"limit": 25})
    assert len(response.json()["items"]) == 25


def test_a_course_says_everything_and_whether_i_may_enrol():
    first = CourseFactory(title_id="Dasar")
    course = self_paced_course(requires=[first], capacity=10)
    session_course = CourseFactory(modality=Modality.CLASSROOM)
    ClassSessionFactory(course=session_course, capacity=3)
    learner = make_learner()

    anonymous = Client().get(f"{API}/courses/{course.code}").json()
    assert anonymous["me"] is None
    assert [lesson["kind"] for lesson in anonymous["lessons"]] == ["text", "quiz"]
    assert anonymous["prerequisites"][0]["completed"] is None
    assert anonymous["seats_left"] == 10

    mine = as_user(learner).get(f"{API}/courses/{course.code}").json()
    assert mine["prerequisites"][0]["completed"] is False
    assert mine["me"]["may_enrol"] is False
    assert mine["me"]["obstacles"][0]["code"] == "prerequisites"

    sessions = Client().get(f"{API}/courses/{session_course.code}").json()["sessions"]
    assert sessions[0]["seats_left"] == 3 and sessions[0]["venue"]["code"]
    detail = Client().get(f"{API}/sessions/{sessions[0]['id']}").json()
    assert detail["course"]["code"] == session_course.code and detail["cancelled"] is False


def test_a_programme_lists_its_steps_in_order():
    step = ProgrammeStepFactory(order=1)
    ProgrammeStepFactory(programme=step.programme, order=2, is_required=False)

    steps = Client().get(f"{API}/courses/{step.programme.code}").json()["steps"]

    assert [(s["order"], s["required"]) for s in steps] == [(1, True), (2, False)]


def test_the_learning_path_of_a_competency_goes_by_level(client):
    competency = CompetencyFactory()
    CourseFactory(title_id="Lanjut", builds=[(competency, 3)])
    CourseFactory(title_id="Dasar", builds=[(competency, 2)])

    body = client.get(f"{API}/paths/{competency.code}").json()

    assert body["competency"]["code"] == competency.code
    assert [(level["level"], level["courses"][0]["title"]) for level in body["levels"]] == [
        (2, "Dasar"),
        (3, "Lanjut"),
    ]
    assert_error(client.get(f"{API}/paths/tidak-ada"), 404)


# My learning --------------------------------------------------------------------------------


def test_an_employee_enrols_learns_passes_the_quiz_and_sees_jp_and_certificate(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    course = self_paced_course(jp=Decimal(6))
    learner = make_learner()
    client = as_user(learner)

    created = post(client, f"{API}/me/enrolments", {"course": course.code})
    assert created.status_code == 201, created.content
    enrolment = created.json()
    assert enrolment["status"] == "active" and enrolment["course"]["code"] == course.code

    detail = client.get(f"{API}/me/enrolments/{enrolment['id']}").json()
    reading, quiz = detail["lessons"]
    assert (reading["done"], quiz["kind"]) == (False, "quiz")

    done = post(client, f"{API}/me/enrolments/{enrolment['id']}/lessons/{reading['id']}/complete")
    assert done.status_code == 200, done.content
    assert done.json()["enrolment"]["progress"] == 50

    lesson = client.get(quiz["url"]).json()
    questions = lesson["quiz"]["questions"]
    assert lesson["quiz"]["attempts_left"] == 2
    assert all(set(choice) == {"id", "text"} for q in questions for choice in q["choices"])

    wrong = {q["id"]: q["choices"][1]["id"] for q in questions}
    failed = post(client, f"{quiz['url']}/attempts", {"answers": wrong})
    assert failed.status_code == 201, failed.content
    assert failed.json()["passed"] is False and failed.json()["attempts_left"] == 1
    assert failed.json()["answers"][0]["explanation"]

    right = {q["id"]: q["choices"][0]["id"] for q in questions}
    passed = post(client, f"{quiz['url']}/attempts", {"answers": right}).json()
    assert passed["passed"] is True and passed["score"] == 100
    assert all(answer["correct"] for answer in passed["answers"])
    assert passed["enrolment"]["status"] == "completed"
    assert passed["enrolment"]["certificate"]["verify_url"]

    jp = client.get(f"{API}/me/jp").json()
    assert jp["year"] == timezone.localdate().year
    assert Decimal(jp["total"]) == Decimal(6) and jp["percent"] == 30
    assert jp["entries"][0]["course"] == course.code
    certificates = client.get(f"{API}/me/certificates").json()["items"]
    assert certificates[0]["course"]["code"] == course.code
    assert certificates[0]["status"] == "valid"

    summary = client.get(f"{API}/me").json()
    assert Decimal(summary["jp"]["total"]) == Decimal(6)
    assert summary["certificates"][0]["number"] == certificates[0]["number"]

    used_up = post(client, f"{quiz['url']}/attempts", {"answers": right})
    assert_error(used_up, 409, "no_attempts_left")


def test_enrolment_errors_say_why():
    learner = make_learner()
    client = as_user(learner)
    course = CourseFactory()
    needs_approval = CourseFactory(requires_approval=True)

    assert post(client, f"{API}/me/enrolments", {"course": course.code}).status_code == 201
    assert_error(
        post(client, f"{API}/me/enrolments", {"course": course.code}), 409, "already_enrolled"
    )
    body = assert_error(post(client, f"{API}/me/enrolments", {"course": "tidak-ada"}), 422)
    assert body["errors"][0]["path"] == "course"
    requested = post(client, f"{API}/me/enrolments", {"course": needs_approval.code}).json()
    assert requested["status"] == "requested"

    cancelled = post(client, f"{API}/me/enrolments/{requested['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert_error(post(client, f"{API}/me/enrolments/{requested['id']}/cancel"), 409, "not_open")

    listed = client.get(f"{API}/me/enrolments", {"status": "active"}).json()["items"]
    assert [item["course"]["code"] for item in listed] == [course.code]


def test_my_lists_cost_the_same_queries_for_any_page(django_assert_max_num_queries):
    learner = make_learner()
    for _number in range(25):
        EnrolmentFactory(learner=learner)
    for _number in range(12):
        ClassSessionFactory().bookings.create(learner=learner, status=BookingStatus.CONFIRMED)
    client = as_user(learner)

    with django_assert_max_num_queries(7):
        page = client.get(f"{API}/me/enrolments", {"limit": 20}).json()
    assert len(page["items"]) == 20 and page["next"]
    with django_assert_max_num_queries(7):
        assert len(client.get(page["next"]).json()["items"]) == 5
    with django_assert_max_num_queries(7):
        assert len(client.get(f"{API}/me/bookings").json()["items"]) == 12


# Sessions -----------------------------------------------------------------------------------


def test_an_employee_books_waits_and_moves_up_when_a_seat_frees():
    session = ClassSessionFactory(capacity=1)
    first, second = make_learner(), make_learner()

    booked = post(as_user(first), f"{API}/me/bookings", {"session": str(session.public_id)})
    assert booked.status_code == 201, booked.content
    assert booked.json()["status"] == "confirmed" and booked.json()["calendar_url"]
    again = post(as_user(first), f"{API}/me/bookings", {"session": str(session.public_id)})
    assert again.status_code == 200
    waiting = post(as_user(second), f"{API}/me/bookings", {"session": str(session.public_id)})
    assert waiting.json()["status"] == "waitlisted"

    cancelled = post(as_user(first), f"{API}/me/bookings/{session.public_id}/cancel")
    assert cancelled.json()["status"] == "cancelled"

    mine = as_user(second).get(f"{API}/me/bookings").json()["items"]
    assert mine[0]["status"] == "confirmed" and mine[0]["promoted_at"]
    unknown = post(as_user(first), f"{API}/me/bookings", {"session": str(uuid.uuid4())})
    assert assert_error(unknown, 422)["errors"][0]["path"] == "session"


# Claims -------------------------------------------------------------------------------------


def test_an_employee_claims_learning_done_elsewhere_with_a_certificate(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    learner = make_learner()
    client = as_user(learner)
    form = {
        "title": "Pelatihan Analisis Kebijakan",
        "provider": "Lembaga Administrasi Negara",
        "completed_on": (timezone.localdate() - datetime.timedelta(days=5)).isoformat(),
        "jp": "8",
    }

    created = client.post(
        f"{API}/me/claims",
        {**form, "certificate": SimpleUploadedFile("s.pdf", PDF_BYTES)},
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    assert client.get(f"{API}/me/claims").json()["items"][0]["title"] == form["title"]

    refused = client.post(
        f"{API}/me/claims", {**form, "certificate": SimpleUploadedFile("s.pdf", b"hello")}
    )
    assert_error(refused, 422)
    assert LearningClaim.objects.count() == 1
    image = client.post(
        f"{API}/me/claims", {**form, "certificate": SimpleUploadedFile("s.png", PNG_BYTES)}
    )
    assert image.status_code == 201


# Access -------------------------------------------------------------------------------------


def test_nobody_reaches_another_persons_records(world):
    mine, other = world["learner"], world["other_learner"]
    enrolment = Enrolment.objects.filter(learner=mine).first()
    lesson = world["lesson"]
    stranger = as_user(other)

    assert_error(stranger.get(f"{API}/me/enrolments/{enrolment.public_id}"), 404)
    assert_error(post(stranger, f"{API}/me/enrolments/{enrolment.public_id}/cancel"), 404)
    assert_error(
        stranger.get(f"{API}/me/enrolments/{enrolment.public_id}/lessons/{lesson.public_id}"),
        404,
    )
    assert_error(stranger.get(f"{API}/me/enrolments/not-an-id"), 404)
    assert_error(post(stranger, f"{API}/me/bookings/{world['session'].public_id}/cancel"), 404)
    assert stranger.get(f"{API}/me/claims").json()["items"] == []
    assert stranger.get(f"{API}/me/bookings").json()["items"] == []
    Enrolment.objects.get(pk=enrolment.pk)  # untouched


def test_people_who_are_not_employees_have_no_learning(world):
    citizen = as_user(UserFactory())
    for path in ("me", "me/enrolments", "me/bookings", "me/jp", "me/certificates", "me/claims"):
        assert_error(citizen.get(f"{API}/{path}"), 403, "not_an_employee")
        assert_error(Client().get(f"{API}/{path}"), 401, "unauthenticated")
    assert_error(post(citizen, f"{API}/me/enrolments", {"course": world["self_paced"].code}), 403)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "compliance"),
        ("get", "compliance/behind"),
        ("get", "claims"),
        ("get", "approvals"),
        ("get", "confirmations"),
        ("get", "trainer/sessions"),
        ("post", "assignments"),
    ],
)
def test_a_learner_calling_staff_operations_is_refused(world, method, path):
    client = as_user(world["learner"])
    if method == "get":
        response = client.get(f"{API}/{path}")
    else:
        response = post(client, f"{API}/{path}", {"course": "x", "employees": ["1"]})
    assert_error(response, 403)


def test_staff_of_another_agency_or_unit_find_nothing(world):
    other_hr, other_head = as_user(world["other_hr"]), as_user(world["other_head"])
    claim, request = world["claim"], world["request"]

    assert_error(post(other_hr, f"{API}/claims/{claim.public_id}/decision", {"approve": True}), 404)
    assert other_hr.get(f"{API}/claims").json()["items"] == []
    assert_error(post(other_head, f"{API}/approvals/{request.public_id}", {"approve": True}), 404)
    assert other_head.get(f"{API}/approvals").json()["items"] == []
    other_trainer = as_user(world["other_trainer"])
    assert_error(other_trainer.get(f"{API}/trainer/sessions/{world['session'].public_id}"), 404)
    assigned = post(
        other_head,
        f"{API}/assignments",
        {"course": world["self_paced"].code, "employees": [world["learner"].employee.nip]},
    )
    assert assert_error(assigned, 422, "unknown_employees")["errors"][0]["path"] == "employees"
    assert_error(
        other_hr.get(f"{API}/compliance/behind", {"unit": str(world["unit"].public_id)}), 404
    )


# Staff --------------------------------------------------------------------------------------


def test_a_trainer_marks_attendance_and_the_learner_gets_the_jp(world):
    session, learner = world["session"], world["learner"]
    trainer = as_user(world["trainer"])

    listed = trainer.get(f"{API}/trainer/sessions").json()["items"]
    assert [item["id"] for item in listed] == [str(session.public_id)]
    roster = trainer.get(f"{API}/trainer/sessions/{session.public_id}").json()
    booking = roster["participants"][0]
    assert booking["learner"]["nip"] == learner.employee.nip and roster["check_in_url"]

    too_early = post(
        trainer,
        f"{API}/trainer/sessions/{session.public_id}/attendance",
        {"present": [booking["booking"]]},
    )
    assert_error(too_early, 409, "too_early")
    ClassSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    unknown = post(
        trainer,
        f"{API}/trainer/sessions/{session.public_id}/attendance",
        {"present": [str(uuid.uuid4())]},
    )
    assert_error(unknown, 422, "no_seat")
    marked = post(
        trainer,
        f"{API}/trainer/sessions/{session.public_id}/attendance",
        {"present": [booking["booking"]]},
    )
    assert marked.status_code == 200, marked.content
    assert marked.json()["attended"] == 1
    assert marked.json()["participants"][0]["check_in_method"] == "list"
    assert JpEntry.objects.get(learner=learner).jp == Decimal(8)


def test_a_unit_head_approves_assigns_and_confirms(world):
    head = as_user(world["head"])
    request, learner = world["request"], world["learner"]

    queue = head.get(f"{API}/approvals").json()["items"]
    assert [item["id"] for item in queue] == [str(request.public_id)]
    refused = post(head, f"{API}/approvals/{request.public_id}", {"approve": False})
    assert assert_error(refused, 422)["errors"][0]["path"] == "reason"
    approved = post(head, f"{API}/approvals/{request.public_id}", {"approve": True})
    assert approved.json()["status"] == "active"
    assert_error(post(head, f"{API}/approvals/{request.public_id}", {"approve": True}), 409)

    course = CourseFactory()
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assigned = post(
        head,
        f"{API}/assignments",
        {"course": course.code, "employees": [learner.employee.nip], "due_on": due},
    )
    assert assigned.status_code == 201, assigned.content
    assert assigned.json()[0]["source"] == "supervisor" and assigned.json()[0]["due_on"] == due

    coaching = world["coaching"]
    to_confirm = head.get(f"{API}/confirmations").json()["items"]
    assert str(coaching.public_id) in [item["id"] for item in to_confirm]
    confirmed = post(head, f"{API}/confirmations/{coaching.public_id}")
    assert confirmed.json()["status"] == "completed"


def test_hr_decide_claims_never_their_own(world):
    hr = as_user(world["hr"])
    claim = world["claim"]

    queue = hr.get(f"{API}/claims").json()["items"]
    assert queue[0]["id"] == str(claim.public_id) and queue[0]["learner"]["nip"]
    decided = post(hr, f"{API}/claims/{claim.public_id}/decision", {"approve": True})
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved"
    assert JpEntry.objects.get(learner=world["learner"], claim=claim).jp == Decimal(10)
    assert hr.get(f"{API}/claims", {"status": "approved"}).json()["items"][0]["status"] == (
        ClaimStatus.APPROVED
    )


def test_hr_see_compliance_per_unit_and_who_is_behind(world, django_assert_max_num_queries):
    hr = as_user(world["hr"])
    unit = world["unit"]
    for _number in range(8):
        make_learner(unit=unit)

    body = hr.get(f"{API}/compliance").json()
    row = next(item for item in body["units"] if item["unit"] and item["unit"]["code"] == unit.code)
    assert row["employees"] >= 9 and row["reached"] == 0 and row["behind"] == row["employees"]
    assert body["year"] == timezone.localdate().year and Decimal(body["right"]) == Decimal(20)
    assert body["total"]["employees"] >= row["employees"]

    with django_assert_max_num_queries(10):
        behind = hr.get(f"{API}/compliance/behind", {"unit": str(unit.public_id), "limit": 5})
    page = behind.json()
    assert len(page["items"]) == 5 and page["next"]
    assert Decimal(page["items"][0]["remaining"]) == Decimal(20)
    assert AuditEvent.objects.filter(
        action="learning.compliance_viewed", actor=world["hr"], details__via="api"
    ).exists()
    assert hr.get(page["next"]).status_code == 200

    everywhere = as_user(world["everywhere_hr"]).get(f"{API}/compliance").json()
    agencies = {item["agency"]["code"] for item in everywhere["units"]}
    assert {world["agency"].code, world["other_agency"].code} <= agencies


def test_staff_lists_cost_the_same_queries_for_any_page(world, django_assert_max_num_queries):
    trainer = world["trainer"]
    for _number in range(15):
        ClassSessionFactory(course=world["classroom"], trainer=trainer)
    for _number in range(10):
        EnrolmentFactory(
            learner=make_learner(unit=world["unit"]),
            course=world["needs_approval"],
            status=EnrolmentStatus.REQUESTED,
        )

    as_trainer, as_head, as_hr = as_user(trainer), as_user(world["head"]), as_user(world["hr"])
    with django_assert_max_num_queries(8):
        sessions = as_trainer.get(f"{API}/trainer/sessions", {"limit": 10}).json()
    assert len(sessions["items"]) == 10
    with django_assert_max_num_queries(8):
        requests = as_head.get(f"{API}/approvals").json()
    assert len(requests["items"]) == 11
    with django_assert_max_num_queries(8):
        claims = as_hr.get(f"{API}/claims").json()
    assert len(claims["items"]) == 1


def test_an_api_key_of_an_agency_is_not_hr(world):
    from satupintu.accounts.services import api_key_create

    _key, secret = api_key_create(agency=world["agency"], name="Sistem SDM", actor=None)

    response = Client().get(f"{API}/compliance", headers={"authorization": f"Bearer {secret}"})

    assert_error(response, 403)


def test_the_openapi_schema_lists_the_learning_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in (
        "/api/v1/learning/courses",
        "/api/v1/learning/courses/{code}",
        "/api/v1/learning/me/enrolments/{id}/lessons/{lesson}/complete",
        "/api/v1/learning/me/enrolments/{id}/lessons/{lesson}/attempts",
        "/api/v1/learning/me/jp",
        "/api/v1/learning/compliance",
        "/api/v1/learning/trainer/sessions/{id}/attendance",
    ):
        assert path in paths, path
