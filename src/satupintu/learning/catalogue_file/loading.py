"""Loading checked course files into the catalogue, all or nothing."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import ngettext

from satupintu.core.errors import DomainError
from satupintu.core.services import audit_record
from satupintu.learning.catalogue_file.checks import courses_validate, file_bytes
from satupintu.learning.catalogue_file.reading import CourseEntry, Problem
from satupintu.learning.constants import LessonKind, Modality
from satupintu.learning.models import (
    Choice,
    Course,
    CourseCompetency,
    Lesson,
    LessonProgress,
    ProgrammeStep,
    Question,
    QuizAttempt,
)
from satupintu.organisations.models import Agency
from satupintu.talent.models import Competency

# Defaults of a lesson, as the Lesson model has them.
LESSON_MINUTES = 10
PASS_MARK = 70


class CourseFileError(DomainError):
    """The course files have problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        count = len(problems)
        super().__init__(
            ngettext(
                "%(count)d problem in the course files; nothing was loaded.",
                "%(count)d problems in the course files; nothing was loaded.",
                count,
            )
            % {"count": count},
            code="invalid_course_files",
            errors=[str(problem) for problem in problems],
        )
        self.problems = problems


@dataclass
class LoadResult:
    """What a load did: courses created, updated and left as they were, and lessons kept
    because learners have progress on them."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        total = len(self.created) + len(self.updated) + len(self.unchanged)
        text = (
            f"Loaded {total} courses from {self.files} files: {len(self.created)} new, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged."
        )
        return "\n".join([text, *self.notes])


def _text_of(data: dict, key: str) -> tuple[str, str]:
    value = data.get(key) or {}
    return value.get("id", ""), value.get("en", "")


def _lesson_wanted(entry: CourseEntry, lesson: dict) -> dict:
    """A lesson as written, in the shape ``_lesson_stored`` gives of a stored one."""
    kind = lesson["kind"]
    quiz = kind == LessonKind.QUIZ
    content = file_bytes(entry, lesson["file"]) if kind == LessonKind.FILE else None
    return {
        "kind": kind,
        "title": _text_of(lesson, "title"),
        "body": _text_of(lesson, "body"),
        "video_url": lesson.get("video_url", ""),
        "file": hashlib.sha256(content).hexdigest() if content is not None else "",
        "minutes": lesson.get("minutes", LESSON_MINUTES),
        "pass_mark": lesson.get("pass_mark", PASS_MARK) if quiz else PASS_MARK,
        "max_attempts": lesson.get("max_attempts") if quiz else None,
        "questions": [
            {
                "text": _text_of(question, "text"),
                "explanation": _text_of(question, "explanation"),
                "competency": question.get("competency"),
                "choices": [
                    (*_text_of(choice, "text"), bool(choice.get("correct")))
                    for choice in question["choices"]
                ],
            }
            for question in lesson.get("questions", [])
        ],
    }


def _stored_file_hash(lesson: Lesson) -> str:
    if not lesson.file:
        return ""
    try:
        with lesson.file.open("rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return "missing"


def _lesson_stored(lesson: Lesson) -> dict:
    return {
        "kind": lesson.kind,
        "title": (lesson.title_id, lesson.title_en),
        "body": (lesson.body_id, lesson.body_en),
        "video_url": lesson.video_url,
        "file": _stored_file_hash(lesson),
        "minutes": lesson.minutes,
        "pass_mark": lesson.pass_mark,
        "max_attempts": lesson.max_attempts,
        "questions": [
            {
                "text": (question.text_id, question.text_en),
                "explanation": (question.explanation_id, question.explanation_en),
                "competency": question.competency.code if question.competency_id else None,
                "choices": [
                    (choice.text_id, choice.text_en, choice.is_correct)
                    for choice in question.choices.all()
                ],
            }
            for question in lesson.questions.all()
        ],
    }


def _lesson_write(
    lesson: Lesson, entry: CourseEntry, written: dict, wanted: dict, competencies
) -> None:
    lesson.kind = wanted["kind"]
    lesson.title_id, lesson.title_en = wanted["title"]
    lesson.body_id, lesson.body_en = wanted["body"]
    lesson.video_url = wanted["video_url"]
    lesson.minutes = wanted["minutes"]
    lesson.pass_mark = wanted["pass_mark"]
    lesson.max_attempts = wanted["max_attempts"]
    if wanted["kind"] == LessonKind.FILE:
        content = file_bytes(entry, written["file"])
        if content is not None and _stored_file_hash(lesson) != wanted["file"]:
            lesson.file.save(Path(written["file"]).name, ContentFile(content), save=False)
    else:
        lesson.file = ""
    lesson.save()
    Question.objects.filter(lesson=lesson).delete()
    for order, question in enumerate(wanted["questions"], start=1):
        stored = Question.objects.create(
            lesson=lesson,
            order=order,
            text_id=question["text"][0],
            text_en=question["text"][1],
            explanation_id=question["explanation"][0],
            explanation_en=question["explanation"][1],
            competency=competencies.get(question["competency"]),
        )
        Choice.objects.bulk_create(
            Choice(question=stored, order=number, text_id=text_id, text_en=text_en, is_correct=ok)
            for number, (text_id, text_en, ok) in enumerate(question["choices"], start=1)
        )


def _lessons_sync(
    course: Course,
    stored_lessons: list[Lesson],
    entry: CourseEntry,
    *,
    competencies: dict[str, Competency],
    used: set[int],
    notes: list[str],
) -> bool:
    """Bring the course's lessons (``stored_lessons``, with their questions and choices) in
    line with the file, lesson by lesson in order. A lesson that learners have progress on
    (``used``) is kept as it is, and said so; True when anything changed."""
    written = entry.data.get("lessons", [])
    wanted = [_lesson_wanted(entry, lesson) for lesson in written]
    stored = {lesson.order: lesson for lesson in stored_lessons}
    if not stored and not wanted:
        return False
    changed = False

    def keep(lesson: Lesson, position: str, what: str) -> None:
        learners = set(
            LessonProgress.objects.filter(lesson=lesson).values_list("enrolment_id", flat=True)
        ) | set(QuizAttempt.objects.filter(lesson=lesson).values_list("enrolment_id", flat=True))
        notes.append(
            f"{entry.file}: {entry.path}.{position}: {what}, but {len(learners)} learner(s) have "
            f"progress on the lesson '{lesson.title_id}', so it was kept as it is. Add the new "
            "content as another lesson instead."
        )

    for order, want in enumerate(wanted, start=1):
        lesson = stored.get(order)
        if lesson is not None and _lesson_stored(lesson) == want:
            continue
        if lesson is not None and lesson.pk in used:
            keep(lesson, f"lessons[{order - 1}]", "the lesson changed")
            continue
        _lesson_write(
            lesson or Lesson(course=course, order=order),
            entry,
            written[order - 1],
            want,
            competencies,
        )
        changed = True
    for order, lesson in sorted(stored.items()):
        if order <= len(wanted):
            continue
        if lesson.pk in used:
            keep(lesson, "lessons", f"lesson {order} is no longer in the file")
            continue
        lesson.delete()
        changed = True
    return changed


def _course_fields(data: dict, jp: Decimal, providers: dict[str, Agency]) -> dict:
    return {
        "title_id": data["title"]["id"],
        "title_en": data["title"]["en"],
        "summary_id": data["summary"]["id"],
        "summary_en": data["summary"]["en"],
        "description_id": _text_of(data, "description")[0],
        "description_en": _text_of(data, "description")[1],
        "modality": data["modality"],
        "jp": jp,
        "provider_id": providers[data["provider"]].pk,
        "audience_id": _text_of(data, "audience")[0],
        "audience_en": _text_of(data, "audience")[1],
        "capacity": data.get("capacity"),
        "requires_approval": data.get("requires_approval", False),
        "issues_certificate": data.get("issues_certificate", True),
        "external_activity_id": data.get("external_activity_id") or None,
        "is_published": data.get("published", True),
    }


def _programme_jp(data: dict, jp_of: dict[str, Decimal]) -> Decimal:
    return sum(
        (jp_of[step["course"]] for step in data["steps"] if step.get("required", True)),
        Decimal(0),
    )


@transaction.atomic
def courses_load(*, directory_or_file: str | Path, actor=None) -> LoadResult:
    """Load the course file at ``directory_or_file`` (or every course file under a folder).

    Checks everything first and raises ``CourseFileError`` (writing nothing) when any file
    has a problem. Then creates or updates each course by its code, in one transaction: a
    course whose file did not change is left as it is, so loading twice changes nothing.
    Lessons are replaced one by one, and only when their content changed and no learner has
    progress on them; a lesson that is kept is named in ``LoadResult.notes``. A course that
    is no longer in the files is left as it is (unpublish it with ``published: false``).
    """
    files = courses_validate(directory_or_file=directory_or_file)
    if files.problems:
        raise CourseFileError(files.problems)
    result = LoadResult(files=files.files)
    entries = files.entries
    providers = {agency.code: agency for agency in Agency.objects.all()}
    competencies = {
        competency.code: competency
        for competency in Competency.objects.filter(
            code__in={
                item["code"] for entry in entries for item in entry.data.get("competencies", [])
            }
        )
    }
    # What the database holds of these courses, read once: a load that changes nothing
    # costs a fixed number of queries.
    existing = {
        course.code: course
        for course in Course.objects.filter(
            code__in=[entry.data["code"] for entry in entries]
        ).prefetch_related(
            "audience_agencies",
            "prerequisites",
            Prefetch("competencies", CourseCompetency.objects.select_related("competency")),
            Prefetch("steps", ProgrammeStep.objects.select_related("course").order_by("order")),
            Prefetch(
                "lessons",
                Lesson.objects.order_by("order").prefetch_related(
                    Prefetch(
                        "questions",
                        Question.objects.select_related("competency")
                        .order_by("order")
                        .prefetch_related(Prefetch("choices", Choice.objects.order_by("order"))),
                    )
                ),
            ),
        )
    }
    stored = {
        code: {
            "audience": {agency.code for agency in course.audience_agencies.all()},
            "prerequisites": {other.code for other in course.prerequisites.all()},
            "competencies": {
                (item.competency.code, item.level) for item in course.competencies.all()
            },
            "steps": [(step.course.code, step.is_required) for step in course.steps.all()],
            "lessons": list(course.lessons.all()),
        }
        for code, course in existing.items()
    }
    empty = {"audience": set(), "prerequisites": set(), "competencies": set(), "steps": []}
    course_ids = [course.pk for course in existing.values()]
    used = set(
        LessonProgress.objects.filter(lesson__course_id__in=course_ids).values_list(
            "lesson_id", flat=True
        )
    ) | set(
        QuizAttempt.objects.filter(lesson__course_id__in=course_ids).values_list(
            "lesson_id", flat=True
        )
    )
    jp_of = dict(Course.objects.exclude(modality=Modality.BLENDED).values_list("code", "jp")) | {
        entry.data["code"]: Decimal(str(entry.data["jp"]))
        for entry in entries
        if entry.data["modality"] != Modality.BLENDED
    }

    # An activity id may move from one course to another in the same load: free them first.
    activity_of = {entry.data["code"]: entry.data.get("external_activity_id") for entry in entries}
    moving = [
        course.pk
        for code, course in existing.items()
        if course.external_activity_id and course.external_activity_id != activity_of[code]
    ]
    if moving:
        Course.objects.filter(pk__in=moving).update(external_activity_id=None)
        for course in existing.values():
            if course.pk in moving:
                course.external_activity_id = None

    changed: set[str] = set()
    courses: dict[str, Course] = {}
    for entry in entries:
        data = entry.data
        code = data["code"]
        jp = (
            _programme_jp(data, jp_of)
            if data["modality"] == Modality.BLENDED
            else Decimal(str(data["jp"]))
        )
        values = _course_fields(data, jp, providers)
        course = existing.get(code)
        if course is None:
            course = Course.objects.create(code=code, **values)
            result.created.append(code)
        else:
            different = [name for name, value in values.items() if getattr(course, name) != value]
            if different:
                for name in different:
                    setattr(course, name, values[name])
                course.save(update_fields=[*different, "updated_at"])
                changed.add(code)
        courses[code] = course

    all_courses = {
        course.code: course
        for course in Course.objects.filter(
            code__in={
                code
                for entry in entries
                for code in [
                    *entry.data.get("prerequisites", []),
                    *(step["course"] for step in entry.data.get("steps", [])),
                ]
            }
        )
    } | courses
    for entry in entries:
        data = entry.data
        code = data["code"]
        course = courses[code]
        before = stored.get(code, empty)

        audience = set(data.get("audience_agencies", []))
        if audience != before["audience"]:
            course.audience_agencies.set([providers[agency] for agency in audience])
            changed.add(code)

        prerequisites = set(data.get("prerequisites", []))
        if prerequisites != before["prerequisites"]:
            course.prerequisites.set([all_courses[other] for other in prerequisites])
            changed.add(code)

        built = {(item["code"], item["level"]) for item in data.get("competencies", [])}
        if built != before["competencies"]:
            CourseCompetency.objects.filter(course=course).delete()
            CourseCompetency.objects.bulk_create(
                CourseCompetency(course=course, competency=competencies[comp], level=level)
                for comp, level in sorted(built)
            )
            changed.add(code)

        steps = [(step["course"], step.get("required", True)) for step in data.get("steps", [])]
        if steps != before["steps"]:
            ProgrammeStep.objects.filter(programme=course).delete()
            ProgrammeStep.objects.bulk_create(
                ProgrammeStep(
                    programme=course, course=all_courses[step], order=order, is_required=required
                )
                for order, (step, required) in enumerate(steps, start=1)
            )
            changed.add(code)

        if _lessons_sync(
            course,
            before.get("lessons", []),
            entry,
            competencies=competencies,
            used=used,
            notes=result.notes,
        ):
            changed.add(code)

    for entry in entries:
        code = entry.data["code"]
        if code in result.created:
            continue
        (result.updated if code in changed else result.unchanged).append(code)
    if result.changed:
        audit_record(
            actor=actor,
            action="learning.courses_loaded",
            object_type="learning.course",
            object_id=str(directory_or_file)[-64:],
            details={"created": result.created, "updated": result.updated},
        )
    return result
