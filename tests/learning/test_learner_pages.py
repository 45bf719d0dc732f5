"""The learner's pages: the catalogue (search in any case, filters, keyset pages, a bounded
number of queries), the course page with its facts and why enrolment is refused, enrolling
and cancelling by POST, lessons (video only from known players, files only for enrolled
learners), quizzes that keep answers on error and explain after submitting, learning paths,
"My learning" with JP progress and suggestions for the largest gaps, certificates — and who
may see what: another learner's lessons and certificates are not found, a citizen has no
"My learning", an anonymous visitor is sent to sign in."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.learning.constants import (
    BookingStatus,
    EnrolmentStatus,
    LessonKind,
    Modality,
)
from satupintu.learning.models import Enrolment
from satupintu.learning.selectors.learner import course_suggestions, gap_suggestions
from satupintu.learning.services import enrolment_complete, jp_credit
from satupintu.learning.views.learner import video_embed_url
from tests.learning.factories import (
    AgencyFactory,
    ClassSessionFactory,
    CompetencyFactory,
    CourseFactory,
    EnrolmentFactory,
    LessonFactory,
    ProgrammeStepFactory,
    SessionBookingFactory,
    UserFactory,
    assess,
    give_position,
    make_learner,
    quiz_with_questions,
    right_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def url(name: str, *args, language: str = "id", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"learning:{name}", args=args or None, kwargs=kwargs or None)


def text(response) -> str:
    """The page's main content as text, without tags."""
    html = response.content.decode()
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture
def learner(client):
    user = make_learner(first_name="Dewi", last_name="Lestari")
    client.force_login(user)
    return user


# The catalogue -------------------------------------------------------------------------------


def test_search_finds_words_in_any_case_and_either_language(client):
    CourseFactory(title_id="Pelayanan Prima bagi ASN", title_en="Service Excellence")
    CourseFactory(title_id="Literasi Data", summary_id="Statistik dasar untuk kebijakan publik")
    CourseFactory(title_id="Pelayanan Tersembunyi", is_published=False)

    def titles(**params):
        response = client.get(url("catalogue"), params)
        assert response.status_code == 200
        return [course.title_id for course in response.context["page"].items]

    assert titles(q="PELAYANAN") == ["Pelayanan Prima bagi ASN"]
    assert titles(q="excellence") == ["Pelayanan Prima bagi ASN"]
    assert titles(q="statistik KEBIJAKAN") == ["Literasi Data"]
    assert titles(q="statistik prima") == []


def test_filters_by_mode_competency_provider_and_audience(client, learner):
    data = CompetencyFactory(code="literasi-data")
    provider = AgencyFactory(code="bpsdm-uji")
    classroom = CourseFactory(modality=Modality.CLASSROOM, title_id="A Kelas")
    built = CourseFactory(builds=[(data, 2)], title_id="B Data")
    provided = CourseFactory(provider=provider, title_id="C BPSDM")
    closed = CourseFactory(audience=[AgencyFactory()], title_id="D Tertutup")
    mine = CourseFactory(audience=[learner.employee.agency], title_id="E Untuk Saya")

    def codes(**params):
        return {c.code for c in client.get(url("catalogue"), params).context["page"].items}

    assert codes(modalitas="classroom") == {classroom.code}
    assert codes(kompetensi="literasi-data") == {built.code}
    assert codes(penyelenggara="bpsdm-uji") == {provided.code}
    assert closed.code in codes()
    fitting = codes(untuk_saya="1")
    assert closed.code not in fitting and {mine.code, built.code} <= fitting


def test_the_catalogue_is_paged_by_keyset_in_a_few_queries(client, django_assert_max_num_queries):
    competency = CompetencyFactory()
    for number in range(25):
        CourseFactory(title_id=f"Kursus {number:02d}", builds=[(competency, 2)])

    with django_assert_max_num_queries(8):
        first = client.get(url("catalogue"))
    assert len(first.context["page"].items) == 20
    next_url = first.context["next_url"]
    assert next_url and "setelah=" in next_url

    with django_assert_max_num_queries(8):
        second = client.get(next_url)
    titles = [course.title_id for course in second.context["page"].items]
    assert titles == [f"Kursus {number:02d}" for number in range(20, 25)]
    assert not second.context["next_url"]


def test_a_cursor_that_cannot_be_read_shows_the_first_page(client):
    CourseFactory(title_id="Satu-satunya")
    response = client.get(url("catalogue"), {"setelah": "!!rusak!!"})
    assert response.status_code == 200
    assert [c.title_id for c in response.context["page"].items] == ["Satu-satunya"]


# The course page -----------------------------------------------------------------------------


def test_the_course_page_shows_every_fact(client, learner):
    data = CompetencyFactory(name_id="Literasi Data")
    basics = CourseFactory(title_id="Dasar Statistik")
    course = CourseFactory(
        title_id="Analisis Kebijakan Berbasis Data",
        modality=Modality.CLASSROOM,
        jp=Decimal("12"),
        capacity=30,
        builds=[(data, 3)],
        requires=[basics],
        audience=[learner.employee.agency],
    )
    ClassSessionFactory(course=course, capacity=2)

    response = client.get(url("course", course.code))

    page = text(response)
    assert response.status_code == 200
    for expected in (
        "Analisis Kebijakan Berbasis Data",
        str(course.get_modality_display()),
        "12 JP",
        "Literasi Data",
        "level 3",
        "Dasar Statistik",
        learner.employee.agency.name_id,
        "30",
    ):
        assert expected in page, expected
    # Why the learner cannot enrol, and no enrol button.
    assert "Dasar Statistik" in " ".join(o.message for o in response.context["obstacles"])
    assert url("enrol", course.code) not in response.content.decode()
    assert len(response.context["sessions"]) == 1


def test_a_programme_lists_its_steps(client):
    programme = CourseFactory(modality=Modality.BLENDED, title_id="Program Kepemimpinan")
    ProgrammeStepFactory(
        programme=programme, course=CourseFactory(title_id="Langkah Satu"), order=1
    )
    ProgrammeStepFactory(programme=programme, course=CourseFactory(title_id="Langkah Dua"), order=2)

    page = text(client.get(url("course", programme.code)))

    assert page.index("Langkah Satu") < page.index("Langkah Dua")


def test_an_unpublished_or_unknown_course_is_not_found(client):
    assert client.get(url("course", CourseFactory(is_published=False).code)).status_code == 404
    assert client.get(url("course", "tidak-ada")).status_code == 404


def test_enrolling_and_cancelling_by_post(client, learner):
    course = CourseFactory()

    assert client.get(url("enrol", course.code)).status_code == 405
    response = client.post(url("enrol", course.code), follow=True)

    enrolment = Enrolment.objects.get(learner=learner, course=course)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert response.redirect_chain[-1][0] == url("course", course.code)
    assert url("cancel", course.code) in response.content.decode()

    client.post(url("cancel", course.code))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED


def test_a_refused_enrolment_says_why(client, learner):
    course = CourseFactory(audience=[AgencyFactory()])

    response = client.post(url("enrol", course.code), follow=True)

    assert not Enrolment.objects.exists()
    messages = [str(message) for message in response.context["messages"]]
    assert any("agenc" in message.lower() or "instansi" in message.lower() for message in messages)


def test_enrolling_needs_the_csrf_token(learner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(url("enrol", CourseFactory().code)).status_code == 403
    assert not Enrolment.objects.exists()


def test_signing_in_is_needed_to_enrol(client):
    response = client.post(url("enrol", CourseFactory().code))
    assert response.status_code == 302
    assert "/akun/" in response.url


# Lessons and quizzes -------------------------------------------------------------------------


@pytest.fixture
def module(learner):
    course = CourseFactory(title_id="Keamanan Siber untuk ASN")
    reading = LessonFactory(course=course, order=1, body_id="Gunakan kata sandi yang kuat.")
    video = LessonFactory(
        course=course,
        order=2,
        kind=LessonKind.VIDEO,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    quiz = quiz_with_questions(course=course, count=2, order=3, pass_mark=100)
    enrolment = EnrolmentFactory(learner=learner, course=course)
    return {
        "course": course,
        "reading": reading,
        "video": video,
        "quiz": quiz,
        "enrolment": enrolment,
    }


def test_only_enrolled_learners_open_lessons(client, module):
    address = url("lesson", module["course"].code, module["reading"].public_id)
    assert "Gunakan kata sandi yang kuat." in text(client.get(address))

    client.force_login(make_learner())
    assert client.get(address).status_code == 404
    assert (
        client.post(
            url("lesson_done", module["course"].code, module["reading"].public_id)
        ).status_code
        == 404
    )


def test_a_lesson_of_another_course_is_not_found(client, module):
    other = LessonFactory()
    assert client.get(url("lesson", module["course"].code, other.public_id)).status_code == 404


def test_marking_done_goes_on_to_the_next_lesson(client, module):
    course = module["course"]

    response = client.post(url("lesson_done", course.code, module["reading"].public_id))

    assert response.status_code == 302
    assert response.url == url("lesson", course.code, module["video"].public_id)
    module["enrolment"].refresh_from_db()
    assert module["enrolment"].progress == 33


def test_a_youtube_video_is_embedded_from_its_id_only(client, module):
    page = client.get(url("lesson", module["course"].code, module["video"].public_id))
    html = page.content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert html.count("<iframe") == 1


@pytest.mark.parametrize(
    ("link", "embed"),
    [
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", None),  # not https
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
        ('https://youtu.be/abc"onload="x', None),
        ("javascript:alert(1)", None),
        ("https://vimeo.com/channels/staffpicks", None),
    ],
)
def test_only_known_players_are_embedded(link, embed):
    assert video_embed_url(link) == embed


def test_another_video_is_a_plain_link(client, module):
    module["video"].video_url = "https://video.jatimprov.go.id/materi/42"
    module["video"].save()
    html = client.get(
        url("lesson", module["course"].code, module["video"].public_id)
    ).content.decode()
    assert "<iframe" not in html
    assert 'href="https://video.jatimprov.go.id/materi/42"' in html


def test_a_quiz_keeps_the_answers_and_marks_the_question_left_out(client, module):
    course, quiz = module["course"], module["quiz"]
    first, second = quiz.questions.order_by("order")
    right = right_answers(quiz)

    response = client.post(
        url("quiz", course.code, quiz.public_id),
        {f"q-{first.public_id}": right[str(first.public_id)]},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'value="{right[str(first.public_id)]}" checked', html)
    rows = {row["question"].pk: row for row in response.context["quiz_rows"]}
    assert rows[second.pk]["error"] and not rows[first.pk]["error"]
    # The question left out says so, and is described by its error; the summary links to it
    # and does not repeat the same problem in general words.
    name = f"q-{second.public_id}"
    assert f'aria-describedby="{name}-error"' in html and f'id="{name}-error"' in html
    assert f'href="#{name}-1"' in html
    assert "Answer every question" not in html and "Jawab semua pertanyaan" not in html


def test_a_passed_quiz_shows_the_score_and_explanations_and_completes_the_course(client, module):
    course, quiz, enrolment = module["course"], module["quiz"], module["enrolment"]
    client.post(url("lesson_done", course.code, module["reading"].public_id))
    client.post(url("lesson_done", course.code, module["video"].public_id))
    answers = {f"q-{key}": value for key, value in right_answers(quiz).items()}

    response = client.post(url("quiz", course.code, quiz.public_id), answers, follow=True)

    assert response.status_code == 200
    page = text(response)
    assert "100%" in page
    assert (
        "Because that is the right answer." in page or "Karena itulah jawaban yang benar." in page
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_a_lesson_file_is_downloaded_by_enrolled_learners_only(client, module):
    reading = module["reading"]
    reading.file.save("panduan-kata-sandi.pdf", ContentFile(b"%PDF-1.4 panduan"))
    address = url("lesson_file", module["course"].code, reading.public_id)

    response = client.get(address)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 panduan"

    client.force_login(make_learner())
    assert client.get(address).status_code == 404


# Learning paths ------------------------------------------------------------------------------


def test_a_learning_path_orders_courses_by_level(client):
    competency = CompetencyFactory(code="komunikasi-uji")
    CourseFactory(title_id="Lanjutan", builds=[(competency, 4)])
    CourseFactory(title_id="Dasar", builds=[(competency, 1)])
    CourseFactory(title_id="Menengah", builds=[(competency, 2)])
    CourseFactory(title_id="Tersembunyi", builds=[(competency, 3)], is_published=False)

    response = client.get(url("path", competency.code))

    assert [step.level for step in response.context["levels"]] == [1, 2, 4]
    page = text(response)
    assert page.index("Dasar") < page.index("Menengah") < page.index("Lanjutan")
    assert "Tersembunyi" not in page
    assert client.get(url("path", "tidak-ada")).status_code == 404


# My learning -------------------------------------------------------------------------------


def test_my_learning_needs_a_signed_in_employee(client):
    response = client.get(url("home"))
    assert response.status_code == 302 and "/akun/" in response.url
    client.force_login(UserFactory())
    assert client.get(url("home")).status_code == 403


def test_my_learning_shows_courses_sessions_jp_gaps_and_certificates(
    client, learner, django_assert_max_num_queries
):
    data = CompetencyFactory(name_id="Literasi Data")
    give_position(learner, [(data, 3)])
    assess(learner, data, 1)
    suggested = CourseFactory(title_id="Statistik untuk Kebijakan", builds=[(data, 3)])
    current = EnrolmentFactory(
        learner=learner, course=CourseFactory(title_id="Menulis Naskah Dinas")
    )
    current.progress = 40
    current.save()
    EnrolmentFactory(
        learner=learner,
        course=CourseFactory(title_id="Coaching Supervisor", requires_approval=True),
        status=EnrolmentStatus.REQUESTED,
    )
    session = ClassSessionFactory(
        course=CourseFactory(title_id="Kelas SPBE", modality=Modality.CLASSROOM)
    )
    SessionBookingFactory(session=session, learner=learner, status=BookingStatus.WAITLISTED)
    enrolment_complete(
        enrolment=EnrolmentFactory(
            learner=learner, course=CourseFactory(title_id="Integritas", jp=Decimal(6))
        )
    )
    jp_credit(
        learner=learner,
        jp=Decimal("2.5"),
        source="claim",
        key="claim:lokakarya",
        occurred_on=timezone.localdate(),
        description="Lokakarya",
    )

    with django_assert_max_num_queries(30):
        response = client.get(url("home"))

    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    for expected in (
        "Menulis Naskah Dinas",
        "40%",
        "Coaching Supervisor",
        "Kelas SPBE",
        "Integritas",
        "SERT/",
        "Literasi Data",
        "Statistik untuk Kebijakan",
        "1 → 3",
        "Lokakarya",
    ):
        assert expected in page, expected
    assert 'max="20"' in html and 'value="8.5"' in html
    assert "8,5" in page  # the number in words, not only in the bar
    assert suggested.code in html


def test_my_learning_in_english(client, learner):
    response = client.get(url("home", language="en"))
    assert response.status_code == 200
    assert "My learning" in response.content.decode()


def test_my_learning_of_another_year(client, learner):
    earlier = timezone.now() - datetime.timedelta(days=370)
    enrolment_complete(
        enrolment=EnrolmentFactory(learner=learner, course=CourseFactory(jp=Decimal(7))),
        completed_at=earlier,
    )
    year = timezone.localtime(earlier).year

    assert client.get(url("home")).context["mine"].jp.total == 0
    assert client.get(url("home"), {"tahun": year}).context["mine"].jp.total == Decimal(7)
    assert client.get(url("home"), {"tahun": "bukan"}).status_code == 200


def test_certificates_are_listed_for_their_holder(client, learner):
    enrolment_complete(
        enrolment=EnrolmentFactory(learner=learner, course=CourseFactory(title_id="Etika ASN"))
    )
    enrolment_complete(
        enrolment=EnrolmentFactory(course=CourseFactory(title_id="Milik Orang Lain"))
    )

    page = text(client.get(url("certificates")))

    assert "Etika ASN" in page
    assert "Milik Orang Lain" not in page


# Suggestions for the largest gaps --------------------------------------------------------------


@pytest.fixture
def gaps(learner):
    """Data literacy: required 4, at 1 (gap 3); communication: required 3, at 2 (gap 1);
    integrity: required 2, at 2 (no gap)."""
    data, talk, integrity = (
        CompetencyFactory(name_id=n) for n in ("Data", "Komunikasi", "Integritas")
    )
    give_position(learner, [(data, 4), (talk, 3), (integrity, 2)])
    assess(learner, data, 1)
    assess(learner, talk, 2)
    assess(learner, integrity, 2)
    return {"data": data, "talk": talk, "integrity": integrity}


def test_suggestions_follow_the_largest_gap_and_explain_themselves(learner, gaps):
    data_course = CourseFactory(title_id="Data Lanjut", builds=[(gaps["data"], 4)])
    talk_course = CourseFactory(title_id="Komunikasi Publik", builds=[(gaps["talk"], 3)])
    CourseFactory(title_id="Integritas Lagi", builds=[(gaps["integrity"], 3)])

    suggestions = course_suggestions(learner=learner)

    assert [s.course for s in suggestions] == [data_course, talk_course]
    assert (
        suggestions[0].reason == "Closes your gap in Data: 1 → 4"
        or "1 → 4" in suggestions[0].reason
    )


def test_a_course_below_the_required_level_is_not_suggested(learner, gaps):
    CourseFactory(builds=[(gaps["data"], 3)])
    assert course_suggestions(learner=learner) == []


def test_prerequisites_met_first_then_the_smallest_level_jump(learner, gaps):
    missing = CourseFactory()
    needs_more = CourseFactory(
        title_id="A Butuh Prasyarat", builds=[(gaps["data"], 4)], requires=[missing]
    )
    bigger = CourseFactory(title_id="B Level Lima", builds=[(gaps["data"], 5)])
    exact = CourseFactory(title_id="C Level Empat", builds=[(gaps["data"], 4)])

    (group, *_rest) = gap_suggestions(learner=learner)

    assert [s.course for s in group.suggestions] == [exact, bigger, needs_more]
    assert not group.suggestions[-1].prerequisites_met


def test_courses_taken_closed_or_unpublished_are_not_suggested(learner, gaps):
    taken = CourseFactory(builds=[(gaps["data"], 4)])
    EnrolmentFactory(learner=learner, course=taken)
    done = CourseFactory(builds=[(gaps["data"], 4)])
    enrolment_complete(enrolment=EnrolmentFactory(learner=learner, course=done))
    CourseFactory(builds=[(gaps["data"], 4)], audience=[AgencyFactory()])
    CourseFactory(builds=[(gaps["data"], 4)], is_published=False)
    open_to_me = CourseFactory(builds=[(gaps["data"], 4)], audience=[learner.employee.agency])

    assert [s.course for s in course_suggestions(learner=learner)] == [open_to_me]


def test_without_a_position_there_are_no_suggestions(learner):
    CourseFactory(builds=[(CompetencyFactory(), 3)])
    assert course_suggestions(learner=learner) == []


def test_suggestions_read_a_fixed_number_of_queries(learner, gaps, django_assert_max_num_queries):
    for number in range(6):
        CourseFactory(builds=[(gaps["data"], 4), (gaps["talk"], 3)], requires=[CourseFactory()])
        CourseFactory(title_id=f"Kursus {number}", builds=[(gaps["talk"], 4)])

    with django_assert_max_num_queries(7):
        suggestions = course_suggestions(learner=learner, limit=5)

    assert len(suggestions) == 5
