"""The course catalogue as code (issue: Learn — courses with a modality, JP, competencies,
prerequisites, audience, capacity; blended programmes; self-paced lessons and quizzes tagged
with competencies): course files are checked against their format before anything is
written, every problem is reported with its file, path and a way to fix it, and loading
creates or updates courses by code — twice changes nothing, and lessons that learners have
progress on are kept."""

import textwrap
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from satupintu.core.models import AuditEvent
from satupintu.learning.catalogue_file import (
    COURSE_SCHEMA,
    CourseFileError,
    courses_load,
    courses_validate,
)
from satupintu.learning.constants import LessonKind, Modality
from satupintu.learning.models import Course, Lesson, LessonProgress, QuizAttempt
from tests.learning.factories import AgencyFactory, CompetencyFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refs():
    """The agencies and competencies the example files below refer to."""
    AgencyFactory(code="pusdiklat-uji")
    AgencyFactory(code="dinas-uji")
    CompetencyFactory(code="layanan-uji")
    CompetencyFactory(code="data-uji")


SELF_PACED = """
  - code: layanan-dasar
    title: {id: Layanan Dasar, en: Service Basics}
    summary: {id: Dasar pelayanan publik., en: The basics of public service.}
    description: {id: Untuk petugas loket., en: For counter staff.}
    modality: self_paced
    jp: 4
    provider: pusdiklat-uji
    audience_agencies: [dinas-uji]
    audience: {id: Petugas loket, en: Counter staff}
    capacity: 50
    competencies:
      - {code: layanan-uji, level: 2}
    lessons:
      - kind: text
        title: {id: Pengantar, en: Introduction}
        body: {id: Isi pengantar., en: The introduction.}
        minutes: 15
      - kind: video
        title: {id: Video, en: Video}
        video_url: https://www.youtube.com/watch?v=abc
      - kind: quiz
        title: {id: Kuis, en: Quiz}
        pass_mark: 80
        max_attempts: 3
        questions:
          - text: {id: Pertanyaan satu?, en: Question one?}
            competency: layanan-uji
            explanation: {id: Karena begitu., en: Because so.}
            choices:
              - {text: {id: Benar, en: Right}, correct: true}
              - {text: {id: Salah, en: Wrong}}
"""

CLASSROOM = """
  - code: layanan-lanjut
    title: {id: Layanan Lanjut, en: Advanced Service}
    summary: {id: Kelas tatap muka., en: A classroom course.}
    modality: classroom
    jp: 8
    provider: dinas-uji
    requires_approval: true
    issues_certificate: false
    prerequisites: [layanan-dasar]
    competencies:
      - {code: layanan-uji, level: 3}
"""

PROGRAMME = """
  - code: program-layanan
    title: {id: Program Layanan, en: Service Programme}
    summary: {id: Program terpadu., en: A blended programme.}
    modality: blended
    provider: pusdiklat-uji
    steps:
      - {course: layanan-dasar}
      - {course: layanan-lanjut}
      - {course: coaching-layanan, required: false}
  - code: coaching-layanan
    title: {id: Coaching Layanan, en: Service Coaching}
    summary: {id: Pendampingan., en: Coaching.}
    modality: coaching
    jp: 6
    provider: pusdiklat-uji
    published: false
"""


def write(folder, name: str, *entries: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("courses:" + "".join(entries), encoding="utf-8")


@pytest.fixture
def folder(tmp_path, refs):
    root = tmp_path / "courses"
    root.mkdir()
    write(root, "layanan.yaml", SELF_PACED, CLASSROOM)
    write(root, "program/program.yaml", PROGRAMME)
    return root


def problems_of(path) -> list[str]:
    return [str(problem) for problem in courses_validate(directory_or_file=path).problems]


# Loading -----------------------------------------------------------------------------------


def test_a_folder_loads_every_fact_of_its_courses(folder):
    result = courses_load(directory_or_file=folder)

    assert sorted(result.created) == [
        "coaching-layanan",
        "layanan-dasar",
        "layanan-lanjut",
        "program-layanan",
    ]
    assert result.files == 2
    basics = Course.objects.get(code="layanan-dasar")
    assert (basics.title_id, basics.title_en) == ("Layanan Dasar", "Service Basics")
    assert basics.description_en == "For counter staff."
    assert basics.modality == Modality.SELF_PACED
    assert basics.jp == Decimal(4)
    assert basics.provider.code == "pusdiklat-uji"
    assert list(basics.audience_agencies.values_list("code", flat=True)) == ["dinas-uji"]
    assert basics.audience_en == "Counter staff"
    assert basics.capacity == 50
    assert basics.is_published and basics.issues_certificate and not basics.requires_approval
    assert list(basics.competencies.values_list("competency__code", "level")) == [
        ("layanan-uji", 2)
    ]
    lessons = list(basics.lessons.order_by("order"))
    assert [lesson.kind for lesson in lessons] == [
        LessonKind.TEXT,
        LessonKind.VIDEO,
        LessonKind.QUIZ,
    ]
    assert lessons[0].minutes == 15 and lessons[1].video_url.startswith("https://")
    quiz = lessons[2]
    assert (quiz.pass_mark, quiz.max_attempts) == (80, 3)
    question = quiz.questions.get()
    assert question.competency.code == "layanan-uji"
    assert question.explanation_en == "Because so."
    assert list(question.choices.values_list("text_en", "is_correct")) == [
        ("Right", True),
        ("Wrong", False),
    ]

    advanced = Course.objects.get(code="layanan-lanjut")
    assert advanced.requires_approval and not advanced.issues_certificate
    assert list(advanced.prerequisites.values_list("code", flat=True)) == ["layanan-dasar"]
    assert not Course.objects.get(code="coaching-layanan").is_published


def test_a_programme_orders_its_steps_and_counts_the_jp_of_the_required_ones(folder):
    courses_load(directory_or_file=folder)

    programme = Course.objects.get(code="program-layanan")
    steps = list(programme.steps.order_by("order").values_list("course__code", "is_required"))
    assert steps == [
        ("layanan-dasar", True),
        ("layanan-lanjut", True),
        ("coaching-layanan", False),
    ]
    assert programme.jp == Decimal(12)  # 4 + 8; the optional coaching is not counted


def test_loading_twice_changes_nothing(folder):
    courses_load(directory_or_file=folder)
    stamps = dict(Course.objects.values_list("code", "updated_at"))
    lessons = list(Lesson.objects.values_list("public_id", flat=True).order_by("id"))
    events = AuditEvent.objects.filter(action="learning.courses_loaded").count()

    again = courses_load(directory_or_file=folder)

    assert again.created == [] and again.updated == []
    assert len(again.unchanged) == 4
    assert dict(Course.objects.values_list("code", "updated_at")) == stamps
    assert list(Lesson.objects.values_list("public_id", flat=True).order_by("id")) == lessons
    assert AuditEvent.objects.filter(action="learning.courses_loaded").count() == events == 1


def test_a_changed_course_is_updated_by_its_code(folder):
    courses_load(directory_or_file=folder)
    changed = CLASSROOM.replace("jp: 8", "jp: 10").replace("prerequisites: [layanan-dasar]", "")
    write(folder, "layanan.yaml", SELF_PACED, changed)

    result = courses_load(directory_or_file=folder)

    assert result.updated == ["layanan-lanjut", "program-layanan"]  # the programme's JP too
    advanced = Course.objects.get(code="layanan-lanjut")
    assert advanced.jp == Decimal(10)
    assert not advanced.prerequisites.exists()
    assert Course.objects.get(code="program-layanan").jp == Decimal(14)
    assert Course.objects.filter(code="layanan-lanjut").count() == 1


def test_a_single_file_can_be_loaded_on_its_own(folder):
    courses_load(directory_or_file=folder)
    write(folder, "layanan.yaml", SELF_PACED.replace("Layanan Dasar", "Layanan Prima"), CLASSROOM)

    result = courses_load(directory_or_file=folder / "layanan.yaml")

    assert result.files == 1 and result.updated == ["layanan-dasar"]
    assert Course.objects.get(code="layanan-dasar").title_id == "Layanan Prima"
    # Courses of other files are not touched, and not withdrawn either.
    assert Course.objects.get(code="program-layanan").is_published


def test_a_changed_lesson_without_progress_is_replaced(folder):
    courses_load(directory_or_file=folder)
    quiz = Lesson.objects.get(course__code="layanan-dasar", kind=LessonKind.QUIZ)
    write(
        folder,
        "layanan.yaml",
        SELF_PACED.replace("Pertanyaan satu?", "Pertanyaan yang diperbaiki?"),
        CLASSROOM,
    )

    result = courses_load(directory_or_file=folder)

    assert result.updated == ["layanan-dasar"] and result.notes == []
    quiz.refresh_from_db()
    assert quiz.questions.get().text_id == "Pertanyaan yang diperbaiki?"


def test_a_lesson_with_progress_is_kept_and_the_load_says_so(folder):
    courses_load(directory_or_file=folder)
    course = Course.objects.get(code="layanan-dasar")
    reading = course.lessons.get(order=1)
    LessonProgress.objects.create(enrolment=EnrolmentFactory(course=course), lesson=reading)
    write(
        folder,
        "layanan.yaml",
        SELF_PACED.replace("Isi pengantar.", "Isi baru.").replace(
            "Pertanyaan satu?", "Pertanyaan baru?"
        ),
        CLASSROOM,
    )

    result = courses_load(directory_or_file=folder)

    reading.refresh_from_db()
    assert reading.body_id == "Isi pengantar."  # kept
    assert course.lessons.get(order=3).questions.get().text_id == "Pertanyaan baru?"
    assert len(result.notes) == 1
    assert "layanan.yaml: courses[0].lessons[0]" in result.notes[0]
    assert "1 learner(s) have progress" in result.notes[0]
    assert "kept" in str(result)


def test_a_lesson_dropped_from_the_file_is_removed_unless_someone_took_it(folder):
    courses_load(directory_or_file=folder)
    course = Course.objects.get(code="layanan-dasar")
    quiz = course.lessons.get(order=3)
    without_quiz = SELF_PACED.split("      - kind: quiz")[0]
    write(folder, "layanan.yaml", without_quiz, CLASSROOM)
    QuizAttempt.objects.create(
        enrolment=EnrolmentFactory(course=course), lesson=quiz, score=50, passed=False
    )

    result = courses_load(directory_or_file=folder)
    assert course.lessons.filter(pk=quiz.pk).exists()
    assert "no longer in the file" in result.notes[0]

    QuizAttempt.objects.all().delete()
    result = courses_load(directory_or_file=folder)
    assert not course.lessons.filter(pk=quiz.pk).exists()
    assert result.updated == ["layanan-dasar"]


def test_a_download_lesson_stores_its_file(folder, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (folder / "files").mkdir()
    (folder / "files" / "panduan.pdf").write_bytes(b"%PDF-1.4 panduan")
    download = """
      - kind: file
        title: {id: Panduan, en: Guide}
        file: files/panduan.pdf
"""
    write(folder, "layanan.yaml", SELF_PACED + download, CLASSROOM)

    courses_load(directory_or_file=folder)
    lesson = Lesson.objects.get(course__code="layanan-dasar", kind=LessonKind.FILE)
    assert lesson.file.read() == b"%PDF-1.4 panduan"
    assert courses_load(directory_or_file=folder).updated == []

    (folder / "files" / "panduan.pdf").write_bytes(b"%PDF-1.4 panduan baru")
    assert courses_load(directory_or_file=folder).updated == ["layanan-dasar"]
    lesson.refresh_from_db()
    assert lesson.file.read() == b"%PDF-1.4 panduan baru"


def test_an_activity_id_may_move_to_another_course_in_one_load(folder):
    activity = "\n    external_activity_id: https://lms.example/activities/layanan"
    write(folder, "layanan.yaml", SELF_PACED + activity, CLASSROOM)
    courses_load(directory_or_file=folder)
    write(folder, "layanan.yaml", SELF_PACED, CLASSROOM + activity)

    courses_load(directory_or_file=folder)

    course = Course.objects.get(external_activity_id="https://lms.example/activities/layanan")
    assert course.code == "layanan-lanjut"


# Problems ----------------------------------------------------------------------------------


def test_a_problem_loads_nothing_from_any_file(folder):
    write(folder, "rusak.yaml", SELF_PACED.replace("layanan-dasar", "lain").replace("jp: 4", ""))

    with pytest.raises(CourseFileError) as raised, translation.override("en"):
        courses_load(directory_or_file=folder)

    assert raised.value.errors == [
        "rusak.yaml: courses[0].jp: is required: the lesson hours credited on completion"
    ]
    assert "nothing was loaded" in str(raised.value.detail)
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("title: {id: Layanan Dasar, en: Service Basics}", ""),
            "layanan.yaml: courses[0].title: is required",
        ),
        (
            ("modality: self_paced", "modality: webinar"),
            "layanan.yaml: courses[0].modality: 'webinar' is not allowed; use one of: "
            "self_paced, classroom, virtual, coaching, experiential, blended",
        ),
        (
            ("title: {id: Layanan Dasar, en: Service Basics}", "title: Layanan Dasar"),
            "layanan.yaml: courses[0].title: 'Layanan Dasar' is not of type 'object'; give the "
            "text in both languages as {id: …, en: …}",
        ),
        (
            ("capacity: 50", "capacity: 50\n    colour: red"),
            "layanan.yaml: courses[0]: unknown key ('colour' was unexpected)",
        ),
        (
            ("code: layanan-dasar", "code: Layanan_Dasar"),
            "layanan.yaml: courses[0].code: 'Layanan_Dasar' is not a valid code: use lower-case "
            "letters, digits and '-'",
        ),
        (
            ("jp: 4", "jp: 4.3"),
            "layanan.yaml: courses[0].jp: 4.3 is not a whole or half number of lesson hours",
        ),
        (
            ("https://www.youtube.com", "http://www.youtube.com"),
            "layanan.yaml: courses[0].lessons[1].video_url: 'http://www.youtube.com/watch?v=abc'"
            " is not a secure link: give an https:// address",
        ),
        (
            ("provider: pusdiklat-uji", "provider: tidak-ada"),
            "layanan.yaml: courses[0].provider: unknown agency 'tidak-ada'; use an agency code "
            "from organisations.yaml or the admin",
        ),
        (
            ("audience_agencies: [dinas-uji]", "audience_agencies: [dinas-lain]"),
            "layanan.yaml: courses[0].audience_agencies[0]: unknown agency 'dinas-lain'",
        ),
        (
            ("{code: layanan-uji, level: 2}", "{code: tak-dikenal, level: 2}"),
            "layanan.yaml: courses[0].competencies[0].code: unknown competency 'tak-dikenal'; "
            "use a code of the competency framework (see the competency pages) or load the "
            "agency's dictionary first",
        ),
        (
            ("{code: layanan-uji, level: 2}", "{code: layanan-uji, level: 6}"),
            "layanan.yaml: courses[0].competencies[0].level: 6 is greater than the maximum of 5",
        ),
        (
            ("competency: layanan-uji", "competency: data-uji"),
            "layanan.yaml: courses[0].lessons[2].questions[0].competency: 'data-uji' is not "
            "among the competencies this course builds (layanan-uji); add it to the course's "
            "competencies or tag the question with one of them",
        ),
        (
            ("{text: {id: Salah, en: Wrong}}", "{text: {id: Salah, en: Wrong}, correct: true}"),
            "layanan.yaml: courses[0].lessons[2].questions[0].choices: mark exactly one choice "
            "`correct: true` (this question has 2)",
        ),
        (
            ("video_url: https://www.youtube.com/watch?v=abc", ""),
            "layanan.yaml: courses[0].lessons[1].video_url: a video lesson needs the video's "
            "https:// link",
        ),
        (
            ("body: {id: Isi pengantar., en: The introduction.}", ""),
            "layanan.yaml: courses[0].lessons[0].body: a reading needs its text: add body: "
            "{id: …, en: …}",
        ),
        (
            ("minutes: 15", "minutes: 15\n        pass_mark: 60"),
            "layanan.yaml: courses[0].lessons[0].pass_mark: only a quiz has this; set kind: quiz "
            "or remove it",
        ),
        (
            ("prerequisites: [layanan-dasar]", "prerequisites: [layanan-lanjut]"),
            "layanan.yaml: courses[1].prerequisites[0]: a course cannot be its own prerequisite",
        ),
        (
            ("prerequisites: [layanan-dasar]", "prerequisites: [belum-ada]"),
            "layanan.yaml: courses[1].prerequisites[0]: unknown course 'belum-ada'",
        ),
        (
            ("modality: classroom", "modality: classroom\n    steps: [{course: a}, {course: b}]"),
            "layanan.yaml: courses[1].steps: only a blended programme has steps; set modality: "
            "blended",
        ),
    ],
)
def test_each_problem_names_its_file_path_and_fix(folder, change, expected):
    old, new = change
    text = (SELF_PACED + CLASSROOM).replace(old, new, 1)
    assert text != SELF_PACED + CLASSROOM
    write(folder, "layanan.yaml", text)

    assert expected in problems_of(folder)


def test_problems_of_programmes(folder):
    write(
        folder,
        "program/program.yaml",
        PROGRAMME.replace("{course: layanan-lanjut}", "{course: layanan-dasar}")
        .replace("{course: coaching-layanan, required: false}", "{course: program-layanan}")
        .replace(
            "provider: pusdiklat-uji\n    steps", "provider: pusdiklat-uji\n    jp: 3\n    steps"
        ),
    )

    problems = problems_of(folder)

    assert problems == [
        "program/program.yaml: courses[0].jp: a programme's lesson hours come from its steps; "
        "remove jp (it is the sum of the required steps' JP)",
        "program/program.yaml: courses[0].steps[1].course: 'layanan-dasar' is already a step of "
        "this programme",
        "program/program.yaml: courses[0].steps[2].course: a programme cannot be a step of itself",
    ]


def test_a_programme_needs_steps_and_a_self_paced_course_needs_lessons(folder):
    write(
        folder,
        "program/program.yaml",
        PROGRAMME.split("    steps:")[0] + "\n  - code: mandiri-kosong\n"
        "    title: {id: Kosong, en: Empty}\n    summary: {id: Kosong., en: Empty.}\n"
        "    modality: self_paced\n    jp: 2\n    provider: pusdiklat-uji\n",
    )

    problems = problems_of(folder)

    assert (
        "program/program.yaml: courses[0].steps: a blended programme needs its courses in order "
        "as steps" in problems
    )
    assert (
        "program/program.yaml: courses[1].lessons: a self-paced course needs lessons, or an "
        "external_activity_id for content hosted elsewhere that reports its completions" in problems
    )


def test_prerequisites_that_go_round_in_a_circle_are_refused(folder):
    write(
        folder,
        "layanan.yaml",
        SELF_PACED.replace("capacity: 50", "capacity: 50\n    prerequisites: [layanan-lanjut]"),
        CLASSROOM,
    )

    assert problems_of(folder) == [
        "layanan.yaml: courses[0].prerequisites: prerequisites go round in a circle: "
        "layanan-dasar → layanan-lanjut → layanan-dasar; remove one of them"
    ]


def test_a_code_defined_twice_and_a_key_written_twice_are_refused(folder):
    write(folder, "tambahan.yaml", CLASSROOM)
    assert problems_of(folder) == [
        "tambahan.yaml: courses[0].code: 'layanan-lanjut' is already defined in layanan.yaml "
        "(courses[1])"
    ]

    (folder / "tambahan.yaml").write_text(
        textwrap.dedent(
            """\
            courses:
              - code: dua-kali
                code: dua-kali
            """
        ),
        encoding="utf-8",
    )
    problems = problems_of(folder)
    assert len(problems) == 1
    assert problems[0].startswith("tambahan.yaml: (file): not valid YAML: line 3, column 5")
    assert "the key 'code' appears twice" in problems[0]


def test_an_activity_id_completes_one_course_only(folder):
    activity = "\n    external_activity_id: https://lms.example/activities/layanan"
    write(folder, "layanan.yaml", SELF_PACED + activity, CLASSROOM + activity)

    assert problems_of(folder) == [
        "layanan.yaml: courses[1].external_activity_id: 'https://lms.example/activities/layanan'"
        " is already the activity of the course 'layanan-dasar'; an activity completes one course"
    ]


def test_a_download_must_be_a_file_beside_the_course_file(folder, tmp_path):
    (tmp_path / "rahasia.txt").write_text("x")
    download = """
      - kind: file
        title: {id: Panduan, en: Guide}
        file: ../rahasia.txt
"""
    write(folder, "layanan.yaml", SELF_PACED + download, CLASSROOM)

    assert problems_of(folder) == [
        "layanan.yaml: courses[0].lessons[3].file: '../rahasia.txt' is not a file in the folder "
        "of layanan.yaml; put the file there and give its path relative to the course file"
    ]


def test_empty_and_missing_files_and_folders(tmp_path, refs):
    assert problems_of(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: (file): there is no such file or folder"
    ]
    assert problems_of(tmp_path) == [f"{tmp_path}: (file): holds no course files (*.yaml)"]
    (tmp_path / "kosong.yaml").write_text("")
    assert problems_of(tmp_path) == [
        "kosong.yaml: (file): the file is empty; write `courses:` and a list of courses"
    ]


def test_the_schema_is_a_json_schema_of_the_file(tmp_path):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(COURSE_SCHEMA)
    assert COURSE_SCHEMA["required"] == ["courses"]


# The command -------------------------------------------------------------------------------


def test_the_command_loads_checks_and_prints_the_schema(folder, capsys):
    call_command("learning_load", str(folder), "--check")
    assert "2 file(s) are valid: 4 course(s)." in capsys.readouterr().out
    assert not Course.objects.exists()

    call_command("learning_load", str(folder))
    assert "Loaded 4 courses from 2 files: 4 new, 0 updated, 0 unchanged." in (
        capsys.readouterr().out
    )

    call_command("learning_load", "--schema")
    assert '"$id": "https://satupintu.example/schema/courses.json"' in capsys.readouterr().out


def test_the_command_fails_with_the_problems(folder, capsys):
    write(
        folder,
        "layanan.yaml",
        SELF_PACED.replace("provider: pusdiklat-uji", "provider: x"),
        CLASSROOM,
    )

    with (
        pytest.raises(CommandError, match="1 problem in the course files"),
        translation.override("en"),
    ):
        call_command("learning_load", str(folder))

    assert "layanan.yaml: courses[0].provider: unknown agency 'x'" in capsys.readouterr().out


def test_a_load_that_changes_nothing_costs_the_same_queries_for_any_number_of_courses(folder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    courses_load(directory_or_file=folder)
    with CaptureQueriesContext(connection) as four:
        courses_load(directory_or_file=folder)
    write(
        folder,
        "lebih.yaml",
        *(SELF_PACED.replace("layanan-dasar", f"dasar-{n}") for n in range(5)),
    )
    courses_load(directory_or_file=folder)

    with CaptureQueriesContext(connection) as nine:
        result = courses_load(directory_or_file=folder)

    assert len(result.unchanged) == 9
    assert len(nine) == len(four) <= 20


def test_a_circle_through_courses_already_loaded_is_refused(folder):
    courses_load(directory_or_file=folder)  # layanan-lanjut needs layanan-dasar
    write(
        folder,
        "layanan.yaml",
        SELF_PACED.replace("capacity: 50", "capacity: 50\n    prerequisites: [layanan-lanjut]"),
    )

    problems = problems_of(folder / "layanan.yaml")

    assert problems == [
        "layanan.yaml: courses[0].prerequisites: prerequisites go round in a circle: "
        "layanan-dasar → layanan-lanjut → layanan-dasar; remove one of them"
    ]
