"""Catalogue management by HR: the facts of a course and the competencies it builds, its
lessons and their order, and publishing.

Rules:
- HR of an agency manage the courses their agency provides (and create courses only for
  it); HR of the whole government manage every course.
- A course is published only when it can be followed: a self-paced course has lessons, a
  blended programme has steps, and every course but a programme gives JP.
- Lessons keep a gapless order from 1; moving one swaps it with its neighbour.
- A lesson's file for learners to download is a PDF, JPEG or PNG file of at most 20 MB, as
  its bytes say, whatever its name.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.core.uploads import UploadRefused, upload_type
from satupintu.learning.constants import Modality
from satupintu.learning.models import Course, CourseCompetency, Lesson
from satupintu.learning.selectors.access import learning_access

LESSON_FILE_TYPES = {"application/pdf", "image/jpeg", "image/png"}
LESSON_FILE_MAX_MB = 20


def _check_lesson_file(lesson: Lesson) -> None:
    upload = lesson.file
    if not upload or getattr(upload, "_committed", True):
        return  # no file, or the one already stored
    lesson_file_check(upload.file)


def lesson_file_check(upload) -> None:
    """Refuse (``DomainError``, with the field's message) a lesson's file that is not a
    complete PDF, JPEG or PNG of at most ``LESSON_FILE_MAX_MB``, read from its bytes. The
    pages and the admin check every new file with it."""
    try:
        upload_type(upload, accept=LESSON_FILE_TYPES, max_mb=LESSON_FILE_MAX_MB)
    except UploadRefused as refused:
        if refused.code == "file_too_large":
            message = _(
                "The file is larger than %(mb)s MB. Upload a smaller PDF, JPEG or PNG file."
            ) % {"mb": LESSON_FILE_MAX_MB}
        elif refused.code == "empty_file":
            message = _("The file is empty. Upload it again: a PDF, JPEG or PNG file.")
        else:
            message = _(
                "A lesson's file must be a PDF, JPEG or PNG file, whatever its name says, "
                "and complete. Save it in one of these types and upload it again."
            )
        raise DomainError(
            message, code=refused.code, status=422, errors=[{"path": "file", "message": message}]
        ) from None


def _refuse_unless_manages(actor, course: Course) -> None:
    if not learning_access(actor).manages_course(course):
        raise Forbidden(
            _("Only HR of the agency that provides this course may change it."),
            code="not_allowed",
        )


@transaction.atomic
def course_save(
    *,
    course: Course,
    actor,
    audience: list | None = None,
    prerequisites: list | None = None,
    competencies: list[tuple] | None = None,
) -> Course:
    """Save a new or changed ``course`` (its fields already set) with its audience
    agencies, prerequisites and ``competencies`` ``[(Competency, level), …]`` (each given
    list replaces the current one)."""
    _refuse_unless_manages(actor, course)
    if course.pk is not None:
        stored = Course.objects.select_for_update().get(pk=course.pk)
        _refuse_unless_manages(actor, stored)
    created = course.pk is None
    course.save()
    if audience is not None:
        course.audience_agencies.set(audience)
    if prerequisites is not None:
        if any(other.pk == course.pk for other in prerequisites):
            raise DomainError(
                _("A course cannot be its own prerequisite."), code="invalid", status=422
            )
        course.prerequisites.set(prerequisites)
    if competencies is not None:
        levels: dict[int, tuple] = {}
        for competency, level in competencies:
            if not 1 <= int(level) <= 5:
                raise DomainError(
                    _("Competency levels run from 1 to 5."), code="invalid", status=422
                )
            levels[competency.pk] = (competency, int(level))
        CourseCompetency.objects.filter(course=course).exclude(
            competency_id__in=list(levels)
        ).delete()
        for competency, level in levels.values():
            CourseCompetency.objects.update_or_create(
                course=course, competency=competency, defaults={"level": level}
            )
    audit_record(
        actor=actor,
        action="learning.course_created" if created else "learning.course_changed",
        target=course,
        details={"code": course.code},
    )
    return course


def publish_obstacles(course: Course) -> list[str]:
    """Why ``course`` cannot be published yet (empty when it can)."""
    problems = []
    if course.modality == Modality.SELF_PACED and not course.lessons.exists():
        problems.append(_("A self-paced course needs at least one lesson."))
    if course.modality == Modality.BLENDED and not course.steps.exists():
        problems.append(_("A blended programme needs its steps (the courses it is made of) first."))
    if course.modality != Modality.BLENDED and not course.jp:
        problems.append(_("Give the course its lesson hours (JP) first."))
    return problems


@transaction.atomic
def course_publish(*, course: Course, actor, publish: bool) -> Course:
    """Publish ``course`` in the catalogue, or take it out (learners already enrolled keep
    their place)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    _refuse_unless_manages(actor, course)
    if publish:
        problems = publish_obstacles(course)
        if problems:
            raise DomainError(" ".join(problems), code="not_ready", status=422)
    if course.is_published != publish:
        course.is_published = publish
        course.save(update_fields=["is_published", "updated_at"])
        audit_record(
            actor=actor,
            action="learning.course_published" if publish else "learning.course_unpublished",
            target=course,
            details={"code": course.code},
        )
    return course


@transaction.atomic
def lesson_save(*, lesson: Lesson, actor) -> Lesson:
    """Save a new lesson at the end of its course, or a changed one in its place."""
    course = Course.objects.select_for_update().get(pk=lesson.course_id)
    _refuse_unless_manages(actor, course)
    _check_lesson_file(lesson)
    created = lesson.pk is None
    if created:
        last = Lesson.objects.filter(course=course).aggregate(last=Max("order"))["last"] or 0
        lesson.order = last + 1
    lesson.save()
    audit_record(
        actor=actor,
        action="learning.lesson_created" if created else "learning.lesson_changed",
        target=lesson,
        details={"course": course.code, "order": lesson.order},
    )
    return lesson


@transaction.atomic
def lesson_move(*, lesson: Lesson, actor, up: bool) -> Lesson:
    """Move a lesson one place up (earlier) or down, swapping it with its neighbour. At
    either end nothing moves."""
    course = Course.objects.select_for_update().get(pk=lesson.course_id)
    _refuse_unless_manages(actor, course)
    lesson = Lesson.objects.get(pk=lesson.pk)
    neighbours = Lesson.objects.filter(course=course)
    neighbour = (
        neighbours.filter(order__lt=lesson.order).order_by("-order").first()
        if up
        else neighbours.filter(order__gt=lesson.order).order_by("order").first()
    )
    if neighbour is None:
        return lesson
    mine, theirs = lesson.order, neighbour.order
    # The order is unique per course: park one lesson out of the way while they swap.
    parked = (Lesson.objects.filter(course=course).aggregate(last=Max("order"))["last"] or 0) + 1
    Lesson.objects.filter(pk=lesson.pk).update(order=parked)
    Lesson.objects.filter(pk=neighbour.pk).update(order=mine)
    Lesson.objects.filter(pk=lesson.pk).update(order=theirs)
    lesson.order = theirs
    audit_record(
        actor=actor,
        action="learning.lesson_moved",
        target=lesson,
        details={"course": course.code, "from": mine, "to": theirs},
    )
    return lesson
