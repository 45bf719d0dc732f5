"""Checking what a schema cannot say: references between courses and to the database,
the rules of each modality and lesson kind, circles of prerequisites."""

import io
from collections import defaultdict
from pathlib import Path

from satupintu.core.uploads import stored_type
from satupintu.learning.catalogue_file.reading import CourseEntry, CourseFiles, course_files_read
from satupintu.learning.constants import LessonKind, Modality
from satupintu.learning.models import Course
from satupintu.learning.services.course_editing import LESSON_FILE_TYPES
from satupintu.organisations.models import Agency
from satupintu.talent.models import Competency

# Most bytes of a file that a lesson offers for download.
LESSON_FILE_MAX_BYTES = 20 * 1024 * 1024


def file_bytes(entry: CourseEntry, relative: str) -> bytes | None:
    target = (entry.folder / relative).resolve()
    if not target.is_relative_to(entry.folder.resolve()) or not target.is_file():
        return None
    return target.read_bytes()


def _check_lesson(files: CourseFiles, entry: CourseEntry, index: int, lesson: dict, comps) -> None:
    where = f"{entry.path}.lessons[{index}]"
    problem = lambda path, message: files.problem(entry.file, f"{where}{path}", message)  # noqa: E731
    kind = lesson["kind"]
    if kind == LessonKind.TEXT and "body" not in lesson:
        problem(".body", "a reading needs its text: add body: {id: …, en: …}")
    if kind == LessonKind.VIDEO and "video_url" not in lesson:
        problem(".video_url", "a video lesson needs the video's https:// link")
    if kind != LessonKind.VIDEO and "video_url" in lesson:
        problem(".video_url", "only a video lesson has a video link; set kind: video")
    if kind == LessonKind.FILE:
        if "file" not in lesson:
            problem(".file", "a download needs the file: give its path next to the course file")
        else:
            content = file_bytes(entry, lesson["file"])
            if content is None:
                problem(
                    ".file",
                    f"'{lesson['file']}' is not a file in the folder of {entry.file}; put the "
                    "file there and give its path relative to the course file",
                )
            elif len(content) > LESSON_FILE_MAX_BYTES:
                problem(".file", "the file is larger than 20 MB; make it smaller or link to it")
            elif stored_type(io.BytesIO(content)) not in LESSON_FILE_TYPES:
                # Read from its bytes: a web page or a program named .pdf is no download.
                problem(
                    ".file",
                    f"'{lesson['file']}' is not a PDF, JPEG or PNG file, whatever its name "
                    "says; save it as one of these",
                )
    elif "file" in lesson:
        problem(".file", "only a download lesson has a file; set kind: file")
    if kind == LessonKind.QUIZ:
        if "questions" not in lesson:
            problem(".questions", "a quiz needs at least one question")
    else:
        for key in ("questions", "pass_mark", "max_attempts"):
            if key in lesson:
                problem(f".{key}", "only a quiz has this; set kind: quiz or remove it")
    for number, question in enumerate(lesson.get("questions", [])):
        correct = sum(1 for choice in question["choices"] if choice.get("correct"))
        if correct != 1:
            problem(
                f".questions[{number}].choices",
                f"mark exactly one choice `correct: true` (this question has {correct})",
            )
        code = question.get("competency")
        if code and code not in comps:
            built = ", ".join(sorted(comps)) or "none"
            problem(
                f".questions[{number}].competency",
                f"'{code}' is not among the competencies this course builds ({built}); add it "
                "to the course's competencies or tag the question with one of them",
            )


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in ``graph`` (code → codes), as the list of codes around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for following in sorted(graph.get(node, ())):
            if state.get(following) == 1:
                return [*stack[stack.index(following) :], following]
            if following not in state and (found := visit(following)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def course_files_check(files: CourseFiles) -> None:
    """Add the problems of references between courses and to the database: agencies,
    competencies, prerequisites, programme steps, quiz tags, activity ids."""
    entries = files.entries
    codes = [entry.data["code"] for entry in entries]
    agencies = set(Agency.objects.values_list("code", flat=True))
    wanted_competencies = {
        item["code"] for entry in entries for item in entry.data.get("competencies", [])
    } | {
        question["competency"]
        for entry in entries
        for lesson in entry.data.get("lessons", [])
        for question in lesson.get("questions", [])
        if question.get("competency")
    }
    competencies = dict(
        Competency.objects.filter(code__in=wanted_competencies).values_list("code", "is_active")
    )
    in_files = {entry.data["code"]: entry.data for entry in entries}
    in_database = {
        course.code: course
        for course in Course.objects.exclude(code__in=in_files).only(
            "code", "modality", "external_activity_id"
        )
    }
    known = set(in_files) | set(in_database)
    modality_of = {code: data["modality"] for code, data in in_files.items()} | {
        code: course.modality for code, course in in_database.items()
    }

    seen: dict[str, CourseEntry] = {}
    activity_ids: dict[str, str] = {
        course.external_activity_id: code
        for code, course in in_database.items()
        if course.external_activity_id
    }
    # The prerequisite graph: the files' courses, and the database's for the others.
    prerequisites: dict[str, set[str]] = defaultdict(set)
    if in_database:
        for course_code, prerequisite in Course.prerequisites.through.objects.filter(
            from_course__code__in=in_database
        ).values_list("from_course__code", "to_course__code"):
            prerequisites[course_code].add(prerequisite)

    for entry, code in zip(entries, codes, strict=True):
        data = entry.data
        problem = lambda path, message, entry=entry: files.problem(  # noqa: E731
            entry.file, f"{entry.path}.{path}", message
        )
        if code in seen:
            other = seen[code]
            problem("code", f"'{code}' is already defined in {other.file} ({other.path})")
            continue
        seen[code] = entry
        modality = data["modality"]
        if data["provider"] not in agencies:
            problem(
                "provider",
                f"unknown agency '{data['provider']}'; use an agency code from "
                "organisations.yaml or the admin",
            )
        for index, agency in enumerate(data.get("audience_agencies", [])):
            if agency not in agencies:
                problem(f"audience_agencies[{index}]", f"unknown agency '{agency}'")
        built: set[str] = set()
        for index, item in enumerate(data.get("competencies", [])):
            where = f"competencies[{index}].code"
            if item["code"] in built:
                problem(where, f"'{item['code']}' appears twice; give each competency once")
            built.add(item["code"])
            if item["code"] not in competencies:
                problem(
                    where,
                    f"unknown competency '{item['code']}'; use a code of the competency "
                    "framework (see the competency pages) or load the agency's dictionary first",
                )
            elif not competencies[item["code"]]:
                problem(where, f"the competency '{item['code']}' is no longer in use")
        if modality == Modality.BLENDED:
            if "steps" not in data:
                problem("steps", "a blended programme needs its courses in order as steps")
            if "jp" in data:
                problem(
                    "jp",
                    "a programme's lesson hours come from its steps; remove jp (it is the sum "
                    "of the required steps' JP)",
                )
        else:
            if "steps" in data:
                problem("steps", "only a blended programme has steps; set modality: blended")
            if "jp" not in data:
                problem("jp", "is required: the lesson hours credited on completion")
        if "lessons" in data and modality != Modality.SELF_PACED:
            problem(
                "lessons",
                "only a self-paced course has lessons; a course of this modality is completed "
                "by attendance or by confirmation",
            )
        if (
            modality == Modality.SELF_PACED
            and "lessons" not in data
            and "external_activity_id" not in data
        ):
            problem(
                "lessons",
                "a self-paced course needs lessons, or an external_activity_id for content "
                "hosted elsewhere that reports its completions",
            )
        for index, lesson in enumerate(data.get("lessons", [])):
            _check_lesson(files, entry, index, lesson, built)
        for index, prerequisite in enumerate(data.get("prerequisites", [])):
            if prerequisite == code:
                problem(f"prerequisites[{index}]", "a course cannot be its own prerequisite")
            elif prerequisite not in known:
                problem(f"prerequisites[{index}]", f"unknown course '{prerequisite}'")
        prerequisites[code] = set(data.get("prerequisites", [])) - {code}
        step_codes: set[str] = set()
        for index, step in enumerate(data.get("steps", [])):
            where = f"steps[{index}].course"
            step_code = step["course"]
            if step_code == code:
                problem(where, "a programme cannot be a step of itself")
            elif step_code not in known:
                problem(where, f"unknown course '{step_code}'; define it in a course file")
            elif modality_of[step_code] == Modality.BLENDED:
                problem(where, f"'{step_code}' is a programme; a step is a single course")
            if step_code in step_codes:
                problem(where, f"'{step_code}' is already a step of this programme")
            step_codes.add(step_code)
        steps = data.get("steps")
        if steps and not any(step.get("required", True) for step in steps):
            problem("steps", "mark at least one step as required (the default)")
        activity = data.get("external_activity_id")
        if activity:
            if activity in activity_ids and activity_ids[activity] != code:
                problem(
                    "external_activity_id",
                    f"'{activity}' is already the activity of the course "
                    f"'{activity_ids[activity]}'; an activity completes one course",
                )
            activity_ids.setdefault(activity, code)

    cycle = _cycle({code: edges & known for code, edges in prerequisites.items()})
    if cycle:
        first = seen.get(cycle[0]) or seen.get(cycle[1])
        files.problem(
            first.file if first else str(files.root),
            f"{first.path}.prerequisites" if first else "",
            "prerequisites go round in a circle: " + " → ".join(cycle) + "; remove one of them",
        )


def courses_validate(*, directory_or_file: str | Path) -> CourseFiles:
    """Read and check course files without writing anything; ``.problems`` is empty when
    every file is valid."""
    files = course_files_read(directory_or_file)
    if not files.problems:
        course_files_check(files)
    files.problems.sort()
    return files
