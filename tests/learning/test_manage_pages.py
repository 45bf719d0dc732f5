"""The pages of trainers, unit heads and HR (Learn: "Trainer: my sessions, attendance,
participants' progress. HR: catalogue management, assignments, compliance"), and the
learner's session, check-in and claim pages: every flow works with plain forms, a form that
is refused keeps what was typed and says what is wrong next to the field, lists are paged
and read a bounded number of queries, and viewing employees' records is audited."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.core.models import AuditEvent
from satupintu.learning.constants import (
    BookingStatus,
    ClaimStatus,
    EnrolmentStatus,
    LessonKind,
    Modality,
)
from satupintu.learning.models import (
    ClassSession,
    Course,
    Enrolment,
    JpEntry,
    LearningClaim,
    Lesson,
    SessionBooking,
)
from tests.learning.factories import (
    ClassSessionFactory,
    CompetencyFactory,
    CourseFactory,
    OfficeFactory,
    certificate_upload,
    make_learner,
    staff_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return staff_world()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def url(name, *args):
    """English addresses, so that the tests read the interface's own words whatever the
    Indonesian translation says."""
    with translation.override("en"):
        return reverse(f"learning:{name}", args=args)


# The trainer -------------------------------------------------------------------------------


def test_the_trainer_sees_their_sessions_a_page_at_a_time(
    client, world, django_assert_max_num_queries
):
    trainer = world["trainer"]
    start = world["session"].starts_at
    for day in range(1, 30):
        ClassSessionFactory(
            course=world["classroom"],
            trainer=trainer,
            starts_at=start + datetime.timedelta(days=day),
            ends_at=start + datetime.timedelta(days=day, hours=2),
        )
    client.force_login(trainer)
    client.get(url("trainer_sessions"))
    with django_assert_max_num_queries(8):
        first = client.get(url("trainer_sessions"))
    assert first.status_code == 200
    assert text(first).count(world["classroom"].title) == 25
    next_url = first.context["next_url"]
    assert next_url
    with django_assert_max_num_queries(8):
        second = client.get(next_url)
    assert text(second).count(world["classroom"].title) == 5
    assert not second.context["next_url"]
    past = client.get(url("trainer_sessions") + "?lampau=1")
    assert past.status_code == 200 and world["classroom"].title not in text(past)


def test_the_session_page_shows_participants_progress_waitlist_and_qr(client, world):
    session = world["session"]
    session.capacity = 1
    session.save()
    waiting = make_learner(first_name="Wulan", last_name="Anggraini")
    client.force_login(waiting)
    client.post(url("booking_create", session.public_id))
    Enrolment.objects.filter(pk=world["booking"].enrolment_id).update(progress=40)

    client.force_login(world["trainer"])
    page = client.get(url("trainer_session", session.public_id))
    assert page.status_code == 200
    body = text(page)
    assert world["learner"].get_full_name() in body and 'value="40"' in body
    assert "Wulan Anggraini" in body  # on the waiting list
    assert url("trainer_session_qr", session.public_id) in body
    assert session.checkin_token in body  # the check-in address, for those without a camera
    assert AuditEvent.objects.filter(
        action="learning.session_roster_viewed", actor=world["trainer"]
    ).exists()

    qr = client.get(url("trainer_session_qr", session.public_id))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content


def test_the_trainers_list_marks_attendance_and_moves_the_ledger(client, world):
    session = world["session"]
    now = timezone.now()
    ClassSession.objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(minutes=5), ends_at=now + datetime.timedelta(hours=2)
    )
    client.force_login(world["trainer"])
    nothing = client.post(url("attendance_mark", session.public_id), {})
    assert nothing.status_code == 422 and "Tick the learners who are present." in text(nothing)

    done = client.post(
        url("attendance_mark", session.public_id), {"present": [str(world["booking"].public_id)]}
    )
    assert done.status_code == 302
    entry = JpEntry.objects.get(learner=world["learner"])
    assert entry.jp == Decimal(8) and entry.session_id == session.pk
    world["booking"].refresh_from_db()
    assert world["booking"].attended_at is not None

    stale = client.post(url("attendance_mark", session.public_id), {"present": ["not-a-booking"]})
    assert stale.status_code == 422


# The learner: a session, check-in, claims ---------------------------------------------------


def test_a_learner_books_and_cancels_on_the_session_page(client, world):
    session = ClassSessionFactory(course=world["classroom"], capacity=1)
    learner, second = make_learner(), make_learner()
    client.force_login(learner)
    page = client.get(url("session", session.public_id))
    assert page.status_code == 200 and "Book a seat" in page.content.decode()
    client.post(url("booking_create", session.public_id))
    booking = SessionBooking.objects.get(session=session, learner=learner)
    assert booking.status == BookingStatus.CONFIRMED
    assert (
        url("booking_ical", session.public_id)
        in client.get(url("session", session.public_id)).content.decode()
    )

    client.force_login(second)
    client.post(url("booking_create", session.public_id))
    assert "number 1 on the waiting list" in text(client.get(url("session", session.public_id)))

    client.force_login(learner)
    client.post(url("booking_cancel", session.public_id))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert SessionBooking.objects.get(session=session, learner=second).status == "confirmed"
    # A GET does not act.
    assert client.get(url("booking_create", session.public_id)).status_code == 405


def test_qr_check_in_page(client, world):
    session = world["session"]
    now = timezone.now()
    ClassSession.objects.filter(pk=session.pk).update(
        starts_at=now + datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2)
    )
    check_in = url("check_in", session.checkin_token)
    assert client.get(check_in).status_code == 302  # sign in first

    stranger = make_learner()
    client.force_login(stranger)
    refused = client.post(check_in)
    assert refused.status_code == 409 and "You have no seat in this session" in text(refused)

    client.force_login(world["learner"])
    page = client.get(check_in)
    # The code stays on this site; "no-referrer" would make browsers post with "Origin: null".
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert "I am here: check me in" in page.content.decode()
    assert client.post(check_in).status_code == 302
    assert JpEntry.objects.filter(learner=world["learner"], session=session).exists()
    assert client.get(url("check_in", "wrong-token")).status_code == 404


def test_claiming_keeps_what_was_typed_and_says_what_is_wrong(client, world):
    learner = make_learner()
    client.force_login(learner)
    assert client.get(url("claim_create")).status_code == 200
    refused = client.post(
        url("claim_create"),
        {
            "title": "Kursus Statistik Terapan",
            "provider": "BPS Provinsi",
            "completed_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "jp": "12",
            "certificate": certificate_upload(),
        },
    )
    assert refused.status_code == 422
    body = text(refused)
    assert "Kursus Statistik Terapan" in body and "BPS Provinsi" in body
    assert "The date is in the future." in body
    wrong_file = client.post(
        url("claim_create"),
        {
            "title": "Kursus Statistik Terapan",
            "provider": "BPS Provinsi",
            "completed_on": timezone.localdate().isoformat(),
            "jp": "12",
            "certificate": certificate_upload(b"MZ\x90\x00 program", "sertifikat.pdf"),
        },
    )
    assert wrong_file.status_code == 422
    assert "must be a PDF, JPEG or PNG file" in text(wrong_file)

    done = client.post(
        url("claim_create"),
        {
            "title": "Kursus Statistik Terapan",
            "provider": "BPS Provinsi",
            "completed_on": timezone.localdate().isoformat(),
            "jp": "12",
            "certificate": certificate_upload(),
        },
    )
    assert done.status_code == 302
    mine = client.get(url("claims"))
    assert "Kursus Statistik Terapan" in text(mine)
    assert LearningClaim.objects.get(learner=learner).status == ClaimStatus.PENDING


# The unit head -----------------------------------------------------------------------------


def test_the_unit_head_decides_and_confirms(client, world):
    client.force_login(world["head"])
    home = client.get(url("unit_home"))
    assert home.status_code == 200
    body = text(home)
    assert world["needs_approval"].title in body and world["coaching"].course.title in body

    refused = client.post(
        url("unit_decide", world["request"].public_id), {"decision": "refuse", "reason": "   "}
    )
    # A refusal needs a reason: the page comes back with the error next to the request.
    assert refused.status_code == 422
    assert "Say why you refuse: the employee reads it." in text(refused)
    assert 'value="refuse" id="refuse-' + str(world["request"].public_id) + '" checked' in text(
        refused
    )
    world["request"].refresh_from_db()
    assert world["request"].status == EnrolmentStatus.REQUESTED

    client.post(
        url("unit_decide", world["request"].public_id),
        {"decision": "refuse", "reason": "Ikuti angkatan berikutnya"},
    )
    world["request"].refresh_from_db()
    assert world["request"].status == EnrolmentStatus.REJECTED
    assert world["request"].reason == "Ikuti angkatan berikutnya"

    client.post(url("unit_confirm", world["coaching"].public_id))
    world["coaching"].refresh_from_db()
    assert world["coaching"].status == EnrolmentStatus.COMPLETED


def test_the_unit_head_assigns_from_a_checklist(client, world):
    course = CourseFactory()
    colleague = make_learner(unit=world["unit"])
    client.force_login(world["head"])
    page = client.get(url("unit_assign"))
    assert page.status_code == 200 and colleague.get_full_name() in text(page)
    assert world["other_learner"].get_full_name() not in text(page)

    refused = client.post(url("unit_assign"), {"course": course.code})
    assert refused.status_code == 422 and "Choose at least one employee." in text(refused)

    done = client.post(
        url("unit_assign"),
        {"course": course.code, "learners": [str(colleague.pk)], "due_on": ""},
    )
    assert done.status_code == 302
    assert Enrolment.objects.get(learner=colleague, course=course).source == "supervisor"


# HR ----------------------------------------------------------------------------------------


def test_hr_manages_a_course_its_competencies_and_lessons(client, world):
    competency = CompetencyFactory()
    client.force_login(world["hr"])
    assert client.get(url("hr_home")).status_code == 200
    assert client.get(url("hr_course_create")).status_code == 200
    fields = {
        "code": "analisis-data-dasar",
        "title_id": "Analisis Data Dasar",
        "title_en": "Basic Data Analysis",
        "modality": Modality.SELF_PACED,
        "jp": "6",
        "provider": str(world["agency"].pk),
        "issues_certificate": "on",
        "competency_rows": "3",
        "c0-competency": competency.code,
        "c0-level": "",
    }
    refused = client.post(url("hr_course_create"), fields)
    assert refused.status_code == 422
    assert "Choose the level the course builds." in text(refused)
    assert "Analisis Data Dasar" in text(refused)
    other_provider = client.post(
        url("hr_course_create"), {**fields, "provider": str(world["other_agency"].pk)}
    )
    assert other_provider.status_code == 422  # not an agency this HR may choose

    done = client.post(url("hr_course_create"), {**fields, "c0-level": "3"})
    assert done.status_code == 302
    course = Course.objects.get(code="analisis-data-dasar")
    assert not course.is_published
    assert list(course.competencies.values_list("competency__code", "level")) == [
        (competency.code, 3)
    ]

    # Publishing needs a lesson first.
    client.post(url("hr_course_publish", course.code), {"publish": "1"})
    course.refresh_from_db()
    assert not course.is_published
    for title in ("Pengantar", "Kuis akhir"):
        client.post(
            url("hr_lesson_create", course.code),
            {
                "kind": LessonKind.QUIZ if title == "Kuis akhir" else LessonKind.TEXT,
                "title_id": title,
                "body_id": "Isi.",
                "minutes": "10",
                "pass_mark": "70",
            },
        )
    lessons = list(Lesson.objects.filter(course=course).order_by("order"))
    assert [lesson.title_id for lesson in lessons] == ["Pengantar", "Kuis akhir"]
    client.post(url("hr_lesson_move", course.code, lessons[1].public_id), {"up": "1"})
    assert list(
        Lesson.objects.filter(course=course).order_by("order").values_list("title_id", flat=True)
    ) == ["Kuis akhir", "Pengantar"]
    client.post(url("hr_course_publish", course.code), {"publish": "1"})
    course.refresh_from_db()
    assert course.is_published

    edit = client.get(url("hr_course", course.code))
    assert edit.status_code == 200 and "Kuis akhir" in text(edit)
    video = client.post(
        url("hr_lesson", course.code, lessons[0].public_id),
        {"kind": LessonKind.VIDEO, "title_id": "Video", "minutes": "5", "pass_mark": "70"},
    )
    assert video.status_code == 422 and "Give the link of the video." in text(video)


def test_hr_course_list_is_paged_and_scoped(client, world, django_assert_max_num_queries):
    for number in range(30):
        CourseFactory(provider=world["agency"], code=f"kursus-hr-{number:02d}")
    CourseFactory(provider=world["other_agency"], code="kursus-lain")
    client.force_login(world["hr"])
    client.get(url("hr_courses"))
    with django_assert_max_num_queries(8):
        first = client.get(url("hr_courses"))
    assert "kursus-lain" not in text(first)
    assert first.context["next_url"]
    second = client.get(first.context["next_url"])
    assert len(first.context["courses"]) + len(second.context["courses"]) == 30 + 4
    found = client.get(url("hr_courses") + "?q=hr-07")
    assert [course.code for course in found.context["courses"]] == ["kursus-hr-07"]
    assert client.get(url("hr_course", "kursus-lain")).status_code == 404


def test_hr_schedules_and_cancels_a_session(client, world):
    office = OfficeFactory()
    client.force_login(world["hr"])
    course = world["classroom"]
    new = url("hr_session_create", course.code)
    assert client.get(new).status_code == 200
    start = (timezone.localtime() + datetime.timedelta(days=14)).replace(second=0, microsecond=0)
    fields = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30",
        "trainer": str(world["trainer"].pk),
        "office": str(office.public_id),
        "room": "Aula Utama",
    }
    refused = client.post(new, fields)
    assert refused.status_code == 422
    assert "Choose an end after the start." in text(refused) and "Aula Utama" in text(refused)

    fields["ends_at"] = (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    done = client.post(new, fields)
    assert done.status_code == 302
    session = ClassSession.objects.get(course=course, room="Aula Utama")
    assert session.trainer == world["trainer"] and session.office == office

    listed = client.get(url("hr_sessions"))
    assert listed.status_code == 200 and course.title in text(listed)

    client.post(url("hr_session_cancel", session.public_id), {"reason": "Banjir"})
    session.refresh_from_db()
    assert session.cancelled_at is not None
    self_paced = client.get(url("hr_session_create", world["self_paced"].code))
    assert self_paced.status_code == 302


def test_hr_assigns_by_nip(client, world):
    course = CourseFactory()
    client.force_login(world["hr"])
    colleague = make_learner(agency=world["agency"])
    outsider = world["other_learner"]
    refused = client.post(
        url("hr_assign"),
        {"course": course.code, "nips": f"{colleague.employee.nip}\n{outsider.employee.nip}"},
    )
    assert refused.status_code == 422
    assert outsider.employee.nip in text(refused)
    assert not Enrolment.objects.filter(course=course).exists()
    bad = client.post(url("hr_assign"), {"course": course.code, "nips": "12345"})
    assert bad.status_code == 422 and "18-digit" in text(bad)
    done = client.post(url("hr_assign"), {"course": course.code, "nips": colleague.employee.nip})
    assert done.status_code == 302
    assert Enrolment.objects.get(course=course).learner == colleague


def test_hr_decides_a_claim_from_the_queue(client, world, django_assert_max_num_queries):
    for _ in range(5):
        learner = make_learner(agency=world["agency"])
        LearningClaim.objects.create(
            learner=learner,
            title="Seminar",
            provider="Kementerian",
            completed_on=timezone.localdate(),
            jp=Decimal(2),
            certificate="learning/claims/x.pdf",
        )
    client.force_login(world["hr"])
    client.get(url("hr_claims"))
    with django_assert_max_num_queries(10):
        queue = client.get(url("hr_claims"))
    assert queue.status_code == 200 and len(queue.context["claims"]) == 6
    claim = world["claim"]
    page = client.get(url("hr_claim", claim.public_id))
    assert page.status_code == 200 and "LAN RI" in text(page)
    assert AuditEvent.objects.filter(
        action="learning.claim_viewed", subject=world["learner"]
    ).exists()
    refused = client.post(url("hr_claim", claim.public_id), {"decision": "refuse", "reason": ""})
    assert refused.status_code == 422 and "Say why you refuse" in text(refused)
    done = client.post(url("hr_claim", claim.public_id), {"decision": "approve"})
    assert done.status_code == 302
    assert JpEntry.objects.get(learner=world["learner"]).jp == Decimal(10)
    approved = client.get(url("hr_claims") + "?status=disetujui")
    assert [c.pk for c in approved.context["claims"]] == [claim.pk]


def test_hr_sees_requests_and_compliance(client, world):
    client.force_login(world["hr"])
    requests = client.get(url("hr_requests"))
    assert requests.status_code == 200 and world["needs_approval"].title in text(requests)
    client.post(url("hr_decide", world["request"].public_id), {"decision": "approve"})
    world["request"].refresh_from_db()
    assert world["request"].status == EnrolmentStatus.ACTIVE
    compliance = client.get(url("hr_compliance"))
    assert compliance.status_code == 200
    assert world["learner"].get_full_name() in text(compliance)
    assert world["other_learner"].get_full_name() not in text(compliance)


def test_pages_in_english(client, world):
    with translation.override("en"):
        home = url("hr_home")
        session = url("trainer_session", world["session"].public_id)
    assert home.startswith("/en/")
    client.force_login(world["hr"])
    response = client.get(home)
    assert response.status_code == 200 and "Learning management (HR)" in text(response)
    client.force_login(world["trainer"])
    assert "Participants and attendance" in text(client.get(session))


def test_a_lesson_kind_file_needs_its_file(client, world):
    client.force_login(world["hr"])
    course = world["self_paced"]
    refused = client.post(
        url("hr_lesson_create", course.code),
        {"kind": LessonKind.FILE, "title_id": "Unduhan", "minutes": "5", "pass_mark": "70"},
    )
    assert refused.status_code == 422 and "Upload the file to download." in text(refused)
    assert not Lesson.objects.filter(title_id="Unduhan").exists()


def test_a_lesson_file_is_checked_by_its_bytes(client, world):
    client.force_login(world["hr"])
    course = world["self_paced"]
    fields = {"kind": LessonKind.FILE, "minutes": "5", "pass_mark": "70"}
    script = certificate_upload(b"<html><script>alert(1)</script></html>", name="materi.pdf")
    refused = client.post(
        url("hr_lesson_create", course.code), {**fields, "title_id": "Palsu", "file": script}
    )
    assert refused.status_code == 422 and "PDF, JPEG or PNG" in text(refused)
    assert not Lesson.objects.filter(title_id="Palsu").exists()

    accepted = client.post(
        url("hr_lesson_create", course.code),
        {**fields, "title_id": "Materi", "file": certificate_upload(name="materi.pdf")},
    )
    assert accepted.status_code == 302
    assert Lesson.objects.get(title_id="Materi").file


def test_the_unit_heads_queue_and_hr_sessions_read_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(30):
        learner = make_learner(unit=world["unit"])
        Enrolment.objects.create(
            learner=learner, course=world["needs_approval"], status=EnrolmentStatus.REQUESTED
        )
        ClassSessionFactory(course=world["classroom"])
    client.force_login(world["head"])
    client.get(url("unit_home"))
    with django_assert_max_num_queries(12):
        home = client.get(url("unit_home"))
    assert len(home.context["requests"]) == 25 and home.context["next_url"]
    rest = client.get(home.context["next_url"])
    assert len(rest.context["requests"]) == 6  # 30 and the world's own request

    client.force_login(world["hr"])
    client.get(url("hr_sessions"))
    with django_assert_max_num_queries(8):
        sessions = client.get(url("hr_sessions"))
    assert len(sessions.context["rows"]) == 25 and sessions.context["next_url"]


def test_the_admin_shows_every_learn_model(admin_client, world):
    from satupintu.learning import models

    for model in (
        models.Course,
        models.Lesson,
        models.Question,
        models.ClassSession,
        models.Enrolment,
        models.SessionBooking,
        models.LearningClaim,
        models.JpEntry,
        models.Certificate,
        models.LessonProgress,
        models.QuizAttempt,
    ):
        changelist = reverse(f"admin:learning_{model._meta.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, model
    course = reverse("admin:learning_course_change", args=[world["classroom"].pk])
    assert admin_client.get(course).status_code == 200
    session = reverse("admin:learning_classsession_change", args=[world["session"].pk])
    assert world["learner"].get_full_name() in admin_client.get(session).content.decode()
