"""The learner's pages: "My learning", the catalogue with its filters, a course, learning
paths by competency, lessons and quizzes, and certificates.

The catalogue, the course pages and the learning paths are open to anyone (they describe
published courses); everything else is the signed-in employee's own. Every action is a POST
form that works without JavaScript, and a refusal says why and what to do.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlparse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from satupintu.core.errors import DomainError, NotFound
from satupintu.core.pages import error_page
from satupintu.core.uploads import file_response
from satupintu.learning import services
from satupintu.learning.constants import (
    SESSION_MODALITIES,
    EnrolmentStatus,
    LessonKind,
    Modality,
)
from satupintu.learning.selectors import catalogue as catalogue_selectors
from satupintu.learning.selectors import certificates as certificate_selectors
from satupintu.learning.selectors import learner as learner_selectors

NAV = "learning"
YEAR_MIN = 2000


def _not_employee(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "403.html",
        {
            "detail": _(
                "My learning is for civil servants. If you work for an agency, ask its HR to "
                "link your account to your employee record."
            )
        },
        status=403,
    )


# My learning --------------------------------------------------------------------------------


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The learner's current and requested courses, upcoming sessions, JP progress of the
    year, largest gaps with suggested courses, completions, certificates and ledger."""
    if learner_selectors.employee_of(request.user) is None:
        return _not_employee(request)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("tahun", this_year))
    except ValueError:
        year = this_year
    if not YEAR_MIN <= year <= this_year:
        year = this_year
    cursor = request.GET.get("setelah", "")[:400]
    mine = learner_selectors.my_learning(
        learner=request.user,
        year=year,
        cursor=cursor,
        size=learner_selectors.MY_LEARNING_PAGE_SIZE,
    )
    base = reverse("learning:home")
    kept = {"tahun": year} if year != this_year else {}
    for booking in mine.bookings:
        booking.ical_url = reverse("learning:booking_ical", args=[booking.session.public_id])
    return render(
        request,
        "learning/learner/home.html",
        {
            "mine": mine,
            "year": year,
            "this_year": this_year,
            "years": learner_selectors.years_with_jp(learner=request.user),
            "calendar_url": reverse("learning:my_calendar"),
            "next_url": f"{base}?{urlencode({**kept, 'setelah': mine.next_cursor})}"
            if mine.next_cursor
            else "",
            "first_url": f"{base}?{urlencode(kept)}" if cursor else "",
            "claim_url": reverse("learning:claim_create"),
            "nav": NAV,
        },
    )


# The catalogue ------------------------------------------------------------------------------


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """Search and filter the published courses; a page at a time."""
    query = request.GET.get("q", "")[: catalogue_selectors.QUERY_MAX_LENGTH].strip()
    chosen = {
        "modality": request.GET.get("modalitas", "")[:20],
        "competency": request.GET.get("kompetensi", "")[:80],
        "provider": request.GET.get("penyelenggara", "")[:64],
        "fits_me": request.GET.get("untuk_saya", "") == "1",
    }
    page = catalogue_selectors.course_search(
        user=request.user,
        q=query,
        modality=chosen["modality"] or None,
        competency=chosen["competency"] or None,
        provider=chosen["provider"] or None,
        fits_me=chosen["fits_me"],
        cursor=request.GET.get("setelah", ""),
    )
    params = {
        key: value
        for key, value in (
            ("q", query),
            ("modalitas", chosen["modality"]),
            ("kompetensi", chosen["competency"]),
            ("penyelenggara", chosen["provider"]),
            ("untuk_saya", "1" if chosen["fits_me"] else ""),
        )
        if value
    }
    base = reverse("learning:catalogue")
    next_url = (
        f"{base}?{urlencode({**params, 'setelah': page.next_cursor})}" if page.has_next else ""
    )
    return render(
        request,
        "learning/learner/catalogue.html",
        {
            "page": page,
            "query": query,
            "chosen": chosen,
            "facets": catalogue_selectors.catalogue_facets(),
            "has_filters": any(v for k, v in params.items() if k != "q"),
            "is_later_page": bool(request.GET.get("setelah")),
            "first_url": f"{base}?{urlencode(params)}" if params else base,
            "next_url": next_url,
            "is_employee": learner_selectors.employee_of(request.user) is not None,
            "nav": NAV,
        },
    )


@require_safe
def course(request: HttpRequest, code: str) -> HttpResponse:
    """Everything about one course, whether the visitor may enrol, and their progress."""
    try:
        course = catalogue_selectors.course_get(code=code)
    except NotFound as error:
        return error_page(request, error)
    user = request.user
    signed_in = user.is_authenticated
    employee = learner_selectors.employee_of(user)
    enrolment = learner_selectors.enrolment_current(learner=user, course=course)
    open_enrolment = (
        enrolment
        if enrolment
        and enrolment.status
        in (
            EnrolmentStatus.REQUESTED,
            EnrolmentStatus.ACTIVE,
        )
        else None
    )
    obstacles = (
        learner_selectors.enrolment_obstacles(learner=user, course=course) if signed_in else []
    )
    completed = learner_selectors.completed_course_ids(learner=user) if signed_in else set()
    prerequisites = [
        {"course": prerequisite, "met": prerequisite.pk in completed}
        for prerequisite in course.prerequisites.all()
    ]
    steps = [{"step": step, "done": step.course_id in completed} for step in course.steps.all()]
    lessons = learner_selectors.course_lessons(course)
    done = learner_selectors.done_lesson_ids(
        enrolment if enrolment and enrolment.status != EnrolmentStatus.CANCELLED else None
    )
    seats = []
    if course.modality in SESSION_MODALITIES:
        seats = catalogue_selectors.upcoming_sessions(course=course, learner=user)
        for seat in seats:
            seat.book_url = reverse("learning:booking_create", args=[seat.session.public_id])
            seat.ical_url = (
                reverse("learning:booking_ical", args=[seat.session.public_id])
                if seat.booking
                else None
            )
    can_open_lessons = enrolment is not None and enrolment.status in (
        EnrolmentStatus.ACTIVE,
        EnrolmentStatus.COMPLETED,
    )
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in done), None)
    return render(
        request,
        "learning/learner/course.html",
        {
            "course": course,
            "description": course.localised("description"),
            "audience_text": course.localised("audience"),
            "competencies": list(course.competencies.all()),
            "audience": list(course.audience_agencies.all()),
            "open_to_me": learner_selectors.open_to(course, employee),
            "prerequisites": prerequisites,
            "steps": steps,
            "lessons": lessons,
            "done_ids": done,
            "next_lesson": next_lesson,
            "can_open_lessons": can_open_lessons,
            "enrolment": enrolment,
            "open_enrolment": open_enrolment,
            "certificate": getattr(enrolment, "certificate", None)
            if enrolment and enrolment.status == EnrolmentStatus.COMPLETED
            else None,
            "obstacles": obstacles,
            "seats_left": learner_selectors.seats_left(course),
            "sessions": seats,
            "is_session_course": course.modality in SESSION_MODALITIES,
            "is_confirmed_course": course.modality in (Modality.COACHING, Modality.EXPERIENTIAL),
            "signed_in": signed_in,
            "is_employee": employee is not None,
            "nav": NAV,
        },
    )


@login_required
@require_POST
def enrol(request: HttpRequest, code: str) -> HttpResponse:
    try:
        course = catalogue_selectors.course_get(code=code)
        enrolment = services.enrolment_create(
            learner=request.user, course=course, actor=request.user
        )
    except NotFound as error:
        return error_page(request, error)
    except DomainError as error:
        messages.error(request, error.detail)
        for problem in error.errors[1:]:
            messages.error(request, problem["message"])
        return redirect("learning:course", code=code)
    if enrolment.status == EnrolmentStatus.REQUESTED:
        messages.success(
            request,
            _(
                "Your request to join this course was sent to your unit head. You can start "
                "once they approve it."
            ),
        )
    elif enrolment.status == EnrolmentStatus.COMPLETED:
        messages.success(
            request, _("You have already completed every required step of this programme.")
        )
    else:
        messages.success(request, _("You are enrolled. You can start now."))
    return redirect("learning:course", code=code)


@login_required
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    try:
        course = catalogue_selectors.course_get(code=code)
        enrolment = learner_selectors.enrolment_current(learner=request.user, course=course)
        if enrolment is None:
            raise NotFound(_("You are not enrolled in this course."), code="not_enrolled")
        services.enrolment_cancel(enrolment=enrolment, actor=request.user)
    except NotFound as error:
        return error_page(request, error)
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("learning:course", code=code)
    messages.success(
        request,
        _(
            "Your enrolment was cancelled, with your bookings of its sessions that have not started."
        ),
    )
    return redirect("learning:course", code=code)


@require_safe
def learning_path(request: HttpRequest, code: str) -> HttpResponse:
    """The courses that build one competency, by the level they build."""
    from satupintu.talent.selectors import competency_get

    try:
        competency = competency_get(code=code[:80])
    except NotFound as error:
        return error_page(request, error)
    cursor = request.GET.get("setelah", "")[:400]
    page = catalogue_selectors.learning_path_page(competency=competency, cursor=cursor)
    levels = page.levels
    described = {level.level: level.description for level in competency.levels.all()}
    for step in levels:
        step.description = described.get(step.level, "")
    employee = learner_selectors.employee_of(request.user)
    gap = None
    if employee is not None:
        from satupintu.talent.selectors import competency_gaps

        gap = next(
            (
                item
                for item in competency_gaps(employee=employee)
                if item.competency.pk == competency.pk
            ),
            None,
        )
    return render(
        request,
        "learning/learner/path.html",
        {
            "competency": competency,
            "levels": levels,
            "gap": gap,
            "next_url": f"{request.path}?{urlencode({'setelah': page.next_cursor})}"
            if page.next_cursor
            else "",
            "first_url": request.path if cursor else "",
            "nav": NAV,
        },
    )


# Lessons and quizzes ------------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^[0-9]{4,12}$")


def video_embed_url(url: str) -> str | None:
    """The player address for an https link to a YouTube or Vimeo video, built from the
    video's id alone (so nothing else from the link reaches the page); None for any other
    link, which the page shows as a plain link."""
    try:
        parsed = urlparse(url or "")
    except ValueError:
        return None
    if parsed.scheme != "https":
        return None
    host = (parsed.hostname or "").lower()
    if host.startswith("www.") or host.startswith("m."):
        host = host.split(".", 1)[1]
    video_id = ""
    if host == "youtu.be":
        video_id = parsed.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parsed.path == "/watch":
            from urllib.parse import parse_qs

            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    elif host == "vimeo.com":
        vimeo_id = parsed.path.strip("/").split("/")[0]
        return f"https://player.vimeo.com/video/{vimeo_id}" if _VIMEO_ID.match(vimeo_id) else None
    elif host == "player.vimeo.com" and parsed.path.startswith("/video/"):
        vimeo_id = parsed.path.split("/")[2]
        return f"https://player.vimeo.com/video/{vimeo_id}" if _VIMEO_ID.match(vimeo_id) else None
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return None


def _quiz_rows(view, answers: dict | None = None, errors: dict | None = None) -> list[dict]:
    """Each question of a quiz with its choices, the one chosen (kept after an error), and
    the error next to it."""
    answers, errors = answers or {}, errors or {}
    rows = []
    for question in view.questions:
        key = str(question.public_id)
        rows.append(
            {
                "question": question,
                "name": f"q-{key}",
                "choices": [
                    {"choice": choice, "checked": answers.get(key) == str(choice.pk)}
                    for choice in question.choices.all()
                ],
                "error": errors.get(key, ""),
            }
        )
    return rows


def _lesson_context(request: HttpRequest, course, view, *, answers=None, errors=None, **extra):
    lesson = view.lesson
    return {
        "course": course,
        "view": view,
        "lesson": lesson,
        "embed_url": video_embed_url(lesson.video_url) if lesson.video_url else None,
        "file_name": lesson.file.name.rsplit("/", 1)[-1] if lesson.file else "",
        "is_quiz": lesson.kind == LessonKind.QUIZ,
        "quiz_rows": _quiz_rows(view, answers, errors),
        "errors": errors or {},
        "can_submit": view.enrolment.status == EnrolmentStatus.ACTIVE
        and (view.attempts_left is None or view.attempts_left > 0),
        "nav": NAV,
        **extra,
    }


def _lesson_or_error(request: HttpRequest, code: str, public_id):
    course = catalogue_selectors.course_get(code=code)
    view = learner_selectors.lesson_view(learner=request.user, course=course, public_id=public_id)
    return course, view


@login_required
@require_safe
def lesson(request: HttpRequest, code: str, public_id) -> HttpResponse:
    """A lesson: its text, video or file, "mark as done", and the way on; or a quiz."""
    try:
        course, view = _lesson_or_error(request, code, public_id)
    except NotFound as error:
        return error_page(request, error)
    context = _lesson_context(request, course, view)
    if view.latest_attempt is not None and request.GET.get("hasil") == "1":
        context["result"] = _result(view, view.latest_attempt.answers)
    return render(request, "learning/learner/lesson.html", context)


@login_required
@require_POST
def lesson_done(request: HttpRequest, code: str, public_id) -> HttpResponse:
    try:
        _course, view = _lesson_or_error(request, code, public_id)
        services.lesson_complete(enrolment=view.enrolment, lesson=view.lesson, actor=request.user)
    except NotFound as error:
        return error_page(request, error)
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("learning:lesson", code=code, public_id=public_id)
    view.enrolment.refresh_from_db()
    if view.enrolment.status == EnrolmentStatus.COMPLETED:
        messages.success(request, _("You have completed the course. Well done!"))
        return redirect("learning:course", code=code)
    if view.next is not None:
        return redirect("learning:lesson", code=code, public_id=view.next.public_id)
    messages.success(request, _("Lesson done."))
    return redirect("learning:course", code=code)


def _result(view, answers: dict) -> list[dict]:
    """Each question with the answer given, the right answer and the explanation."""
    rows = []
    for question in view.questions:
        chosen = str(answers.get(str(question.public_id), ""))
        choices = list(question.choices.all())
        rows.append(
            {
                "question": question,
                "chosen": next((c for c in choices if str(c.pk) == chosen), None),
                "right": next((c for c in choices if c.is_correct), None),
            }
        )
    return rows


@login_required
@require_http_methods(["POST"])
def quiz(request: HttpRequest, code: str, public_id) -> HttpResponse:
    """Submit a quiz. Unanswered questions are shown again with the answers kept."""
    try:
        course, view = _lesson_or_error(request, code, public_id)
    except NotFound as error:
        return error_page(request, error)
    answers = {
        str(question.public_id): request.POST.get(f"q-{question.public_id}", "")[:20]
        for question in view.questions
    }
    try:
        attempt = services.quiz_submit(
            enrolment=view.enrolment, lesson=view.lesson, answers=answers, actor=request.user
        )
    except DomainError as error:
        errors = {problem.get("path"): problem.get("message") for problem in error.errors}
        return render(
            request,
            "learning/learner/lesson.html",
            _lesson_context(
                request, course, view, answers=answers, errors=errors, error=error.detail
            ),
            status=400 if error.status < 500 else error.status,
        )
    if attempt.passed:
        messages.success(
            request,
            _("You passed with %(score)s%%. The explanations are below.")
            % {"score": attempt.score},
        )
    else:
        messages.warning(
            request,
            _(
                "You scored %(score)s%%; the pass mark is %(pass_mark)s%%. Read the explanations, "
                "review the lessons, and try again."
            )
            % {"score": attempt.score, "pass_mark": view.lesson.pass_mark},
        )
    return redirect(
        reverse("learning:lesson", kwargs={"code": code, "public_id": public_id}) + "?hasil=1"
    )


@login_required
@require_safe
def lesson_file(request: HttpRequest, code: str, public_id) -> HttpResponse:
    """The downloadable file of a lesson, for learners enrolled in the course."""
    try:
        _course, view = _lesson_or_error(request, code, public_id)
    except NotFound as error:
        return error_page(request, error)
    lesson = view.lesson
    if not lesson.file or not lesson.file.storage.exists(lesson.file.name):
        return error_page(
            request, NotFound(_("This lesson has no file to download."), code="no_file")
        )
    name = lesson.file.name.rsplit("/", 1)[-1]
    stem, _dot, extension = name.rpartition(".")
    filename = f"{slugify(stem or name) or 'berkas'}.{extension}" if stem else slugify(name)
    # Downloaded, with the type its bytes say (not the one its name suggests).
    return file_response(lesson.file.storage.open(lesson.file.name, "rb"), filename=filename)


# Certificates -------------------------------------------------------------------------------


@login_required
@require_safe
def certificates(request: HttpRequest) -> HttpResponse:
    """The learner's certificates, newest first."""
    page = certificate_selectors.certificate_list(
        learner=request.user, cursor=request.GET.get("setelah", "")
    )
    base = reverse("learning:certificates")
    return render(
        request,
        "learning/learner/certificates.html",
        {
            "page": page,
            "next_url": f"{base}?{urlencode({'setelah': page.next_cursor})}"
            if page.has_next
            else "",
            "is_later_page": bool(request.GET.get("setelah")),
            "nav": NAV,
        },
    )


@login_required
@require_safe
def certificate_download(request: HttpRequest, public_id) -> HttpResponse:
    """The PDF of one of the learner's own certificates."""
    from satupintu.learning.services.certificates import certificate_pdf_response

    try:
        certificate = certificate_selectors.certificate_get_for_learner(
            learner=request.user, public_id=public_id
        )
    except NotFound as error:
        return error_page(request, error)
    return certificate_pdf_response(certificate)


urlpatterns = [
    path("belajar/", home, name="home"),
    path("belajar/katalog/", catalogue, name="catalogue"),
    path("belajar/kursus/<slug:code>/", course, name="course"),
    path("belajar/kursus/<slug:code>/daftar/", enrol, name="enrol"),
    path("belajar/kursus/<slug:code>/batal/", cancel, name="cancel"),
    path("belajar/kursus/<slug:code>/pelajaran/<uuid:public_id>/", lesson, name="lesson"),
    path(
        "belajar/kursus/<slug:code>/pelajaran/<uuid:public_id>/selesai/",
        lesson_done,
        name="lesson_done",
    ),
    path("belajar/kursus/<slug:code>/pelajaran/<uuid:public_id>/kuis/", quiz, name="quiz"),
    path(
        "belajar/kursus/<slug:code>/pelajaran/<uuid:public_id>/berkas/",
        lesson_file,
        name="lesson_file",
    ),
    path("belajar/jalur/<slug:code>/", learning_path, name="path"),
    path("belajar/sertifikat/", certificates, name="certificates"),
    path(
        "belajar/sertifikat/<uuid:public_id>/unduh/",
        certificate_download,
        name="certificate_download",
    ),
]
