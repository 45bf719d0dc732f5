"""HR: their home page, the catalogue (courses, competencies, lessons, publishing),
sessions, and claims for learning done elsewhere."""

import contextlib

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from satupintu.core.errors import DomainError
from satupintu.core.pages import error_page, errors_to_form
from satupintu.core.services import audit_record
from satupintu.learning import services
from satupintu.learning.constants import SESSION_MODALITIES, ClaimStatus, Modality
from satupintu.learning.forms import (
    CancelSessionForm,
    CompetencyRowForm,
    CourseForm,
    DecisionForm,
    LessonForm,
    SessionForm,
)
from satupintu.learning.models import Course, Lesson
from satupintu.learning.selectors import manage as manage_selectors
from satupintu.learning.selectors import sessions as session_selectors
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.services.course_editing import publish_obstacles
from satupintu.learning.views.manage.common import (
    COMPETENCY_ROWS_EXTRA,
    _base,
    _page_urls,
    _person,
    hr_only,
)
from satupintu.learning.views.sessions import seat_counts
from satupintu.organisations.models import Agency, Office
from satupintu.talent.models import Competency

# HR: home ----------------------------------------------------------------------------------


@hr_only
@require_safe
def hr_home(request: HttpRequest) -> HttpResponse:
    """HR's learning page: where to manage the catalogue, sessions, assignments, claims
    and compliance, with what is waiting."""
    pending_claims = manage_selectors.claim_queue(user=request.user, limit=5)
    requests_page = manage_selectors.enrolment_requests(
        user=request.user, limit=5, unit_head_only=False
    )
    return render(
        request,
        "learning/manage/hr_home.html",
        {
            **_base(request, "hr"),
            "claims": pending_claims.items,
            "more_claims": pending_claims.has_next,
            "requests": requests_page.items,
            "more_requests": requests_page.has_next,
        },
    )


# HR: the catalogue -------------------------------------------------------------------------


@hr_only
@require_safe
def hr_courses(request: HttpRequest) -> HttpResponse:
    """The courses HR's agency provides, published or not."""
    query = request.GET.get("q", "")[:100].strip()
    page = manage_selectors.course_list_for_hr(
        user=request.user, q=query, cursor=request.GET.get("after", "")[:400]
    )
    return render(
        request,
        "learning/manage/courses.html",
        {
            **_base(request, "hr"),
            "courses": page.items,
            "query": query,
            **_page_urls(request, page, q=query),
        },
    )


def _providers(request: HttpRequest):
    access = learning_access(request.user)
    agencies = Agency.objects.filter(is_active=True).order_by("name_id")
    if not access.hr_everywhere:
        agencies = agencies.filter(pk__in=sorted(access.hr_agency_ids))
    return agencies


def _competency_forms(request: HttpRequest, course: Course | None) -> list[CompetencyRowForm]:
    competencies = list(Competency.objects.filter(is_active=True).order_by("group", "code")[:1000])
    current = (
        [
            {"competency": row.competency.code, "level": row.level}
            for row in course.competencies.select_related("competency").order_by("id")
        ]
        if course is not None and course.pk
        else []
    )
    count = len(current) + COMPETENCY_ROWS_EXTRA
    if request.method == "POST":
        with contextlib.suppress(ValueError):
            count = min(int(request.POST.get("competency_rows", count)), 50)
        return [
            CompetencyRowForm(request.POST, prefix=f"c{n}", competencies=competencies)
            for n in range(count)
        ]
    rows = current + [{}] * COMPETENCY_ROWS_EXTRA
    return [
        CompetencyRowForm(initial=row, prefix=f"c{n}", competencies=competencies)
        for n, row in enumerate(rows)
    ]


def _course_form_page(request: HttpRequest, course: Course | None) -> HttpResponse:
    providers = _providers(request)
    form = CourseForm(request.POST or None, instance=course or Course(), providers=providers)
    rows = _competency_forms(request, course)
    status = 200
    if request.method == "POST":
        # Every form is validated, so that each shows its own errors.
        rows_valid = [row.is_valid() for row in rows]
        valid = form.is_valid() and all(rows_valid)
        if valid:
            chosen = [
                (row.cleaned_data["competency_obj"], row.cleaned_data["level"])
                for row in rows
                if row.cleaned_data.get("competency_obj")
            ]
            codes = [competency.code for competency, _level in chosen]
            if len(codes) != len(set(codes)):
                form.add_error(None, _("Name each competency once."))
                valid = False
        if valid:
            try:
                with transaction.atomic():
                    saved = services.course_save(
                        course=form.save(commit=False),
                        actor=request.user,
                        audience=list(form.cleaned_data["audience_agencies"]),
                        prerequisites=list(form.cleaned_data["prerequisites"]),
                        competencies=chosen,
                    )
            except DomainError as error:
                if error.status == 403:
                    return error_page(request, error)
                errors_to_form(form, error)
            else:
                messages.success(request, _("The course is saved."))
                return redirect("learning:hr_course", code=saved.code)
        status = 422
    context = {
        **_base(request, "hr"),
        "form": form,
        "competency_rows": rows,
        "course": course,
    }
    if course is not None:
        context.update(
            {
                "lessons": manage_selectors.course_lessons(course=course),
                "obstacles": publish_obstacles(course),
                "is_session_course": course.modality in SESSION_MODALITIES,
                "sessions": session_selectors.session_list_for_course(course=course),
                "is_self_paced": course.modality == Modality.SELF_PACED,
            }
        )
    return render(request, "learning/manage/course_form.html", context, status=status)


@hr_only
def hr_course_create(request: HttpRequest) -> HttpResponse:
    """A new course of HR's agency (not published until HR publish it)."""
    return _course_form_page(request, None)


@hr_only
def hr_course(request: HttpRequest, code: str) -> HttpResponse:
    """A course's facts and competencies (editable), its lessons and sessions, publishing."""
    course = manage_selectors.course_get_for_hr(user=request.user, code=code)
    return _course_form_page(request, course)


@hr_only
@require_POST
def hr_course_publish(request: HttpRequest, code: str) -> HttpResponse:
    course = manage_selectors.course_get_for_hr(user=request.user, code=code)
    publish = request.POST.get("publish") == "1"
    try:
        services.course_publish(course=course, actor=request.user, publish=publish)
    except DomainError as error:
        if error.status == 403:
            return error_page(request, error)
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("The course is published in the catalogue.")
            if publish
            else _("The course is taken out of the catalogue; enrolled learners keep their place."),
        )
    return redirect("learning:hr_course", code=course.code)


def _lesson_page(request: HttpRequest, course: Course, lesson: Lesson | None) -> HttpResponse:
    form = LessonForm(
        request.POST or None, request.FILES or None, instance=lesson or Lesson(course=course)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.lesson_save(lesson=form.save(commit=False), actor=request.user)
            except DomainError as error:
                if error.status == 403:
                    return error_page(request, error)
                errors_to_form(form, error)
            else:
                messages.success(request, _("The lesson is saved."))
                return redirect("learning:hr_course", code=course.code)
        status = 422
    return render(
        request,
        "learning/manage/lesson_form.html",
        {**_base(request, "hr"), "form": form, "course": course, "lesson": lesson},
        status=status,
    )


@hr_only
def hr_lesson_create(request: HttpRequest, code: str) -> HttpResponse:
    course = manage_selectors.course_get_for_hr(user=request.user, code=code)
    return _lesson_page(request, course, None)


@hr_only
def hr_lesson(request: HttpRequest, code: str, public_id) -> HttpResponse:
    course = manage_selectors.course_get_for_hr(user=request.user, code=code)
    lesson = manage_selectors.lesson_get_for_hr(
        user=request.user, course=course, public_id=public_id
    )
    return _lesson_page(request, course, lesson)


@hr_only
@require_POST
def hr_lesson_move(request: HttpRequest, code: str, public_id) -> HttpResponse:
    course = manage_selectors.course_get_for_hr(user=request.user, code=code)
    lesson = manage_selectors.lesson_get_for_hr(
        user=request.user, course=course, public_id=public_id
    )
    services.lesson_move(lesson=lesson, actor=request.user, up=request.POST.get("up") == "1")
    return redirect(f"{reverse('learning:hr_course', args=[course.code])}#pelajaran")


# HR: sessions ------------------------------------------------------------------------------


@hr_only
def hr_session_create(request: HttpRequest, code: str) -> HttpResponse:
    """Schedule a session of a classroom or virtual-classroom course."""
    course = manage_selectors.course_get_for_hr(user=request.user, code=code)
    if course.modality not in SESSION_MODALITIES:
        messages.error(request, _("Sessions are for classroom and virtual-classroom courses."))
        return redirect("learning:hr_course", code=course.code)
    trainers = manage_selectors.trainers_for_course(course=course)
    offices = list(Office.objects.order_by("name_id")[:500])
    form = SessionForm(request.POST or None, course=course, trainers=trainers, offices=offices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_create(
                    course=course,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    capacity=data["capacity"],
                    actor=request.user,
                    trainer=data["trainer_user"],
                    office=data["office_obj"],
                    room=data.get("room") or "",
                    online_url=data.get("online_url") or "",
                    jp=data.get("jp"),
                )
            except DomainError as error:
                if error.status == 403:
                    return error_page(request, error)
                errors_to_form(form, error)
            else:
                messages.success(request, _("The session is scheduled and open for booking."))
                return redirect("learning:trainer_session", public_id=session.public_id)
        status = 422
    return render(
        request,
        "learning/manage/session_form.html",
        {**_base(request, "hr"), "form": form, "course": course},
        status=status,
    )


@hr_only
@require_safe
def hr_sessions(request: HttpRequest) -> HttpResponse:
    """The sessions of HR's courses: upcoming, or past."""
    past = request.GET.get("lampau") == "1"
    page = session_selectors.session_list_for_hr(
        user=request.user, past=past, cursor=request.GET.get("after", "")[:400]
    )
    return render(
        request,
        "learning/manage/sessions.html",
        {
            **_base(request, "hr"),
            "rows": [{"session": s, "seats": seat_counts(s)} for s in page.items],
            "past": past,
            **_page_urls(request, page, lampau="1" if past else ""),
        },
    )


@hr_only
@require_POST
def hr_session_cancel(request: HttpRequest, public_id) -> HttpResponse:
    session = session_selectors.session_get_for_staff(user=request.user, public_id=public_id)
    form = CancelSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the session is cancelled: the learners read it."))
        return redirect("learning:trainer_session", public_id=session.public_id)
    try:
        services.session_cancel(
            session=session, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        if error.status == 403:
            return error_page(request, error)
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The session is cancelled; everyone booked on it is told."))
    return redirect("learning:trainer_session", public_id=session.public_id)


# HR: claims --------------------------------------------------------------------------------


CLAIM_FILTERS = {
    "": ClaimStatus.PENDING,
    "disetujui": ClaimStatus.APPROVED,
    "ditolak": ClaimStatus.REJECTED,
}


@hr_only
@require_safe
def hr_claims(request: HttpRequest) -> HttpResponse:
    """Claims of HR's agency's employees: awaiting a decision, approved, or refused."""
    chosen = request.GET.get("status", "")
    status = CLAIM_FILTERS.get(chosen, ClaimStatus.PENDING)
    page = manage_selectors.claim_queue(
        user=request.user, status=status, cursor=request.GET.get("after", "")[:400]
    )
    audit_record(
        actor=request.user,
        action="learning.claims_viewed",
        object_type="learning.learningclaim",
        details={"status": status, "claims": len(page.items)},
    )
    return render(
        request,
        "learning/manage/claims.html",
        {
            **_base(request, "hr"),
            "claims": page.items,
            "status": status,
            "chosen": chosen if chosen in CLAIM_FILTERS else "",
            **_page_urls(request, page, status=chosen if chosen in CLAIM_FILTERS else ""),
        },
    )


@hr_only
def hr_claim(request: HttpRequest, public_id) -> HttpResponse:
    """One claim with its certificate, and the decision."""
    claim = manage_selectors.claim_get_for_hr(user=request.user, public_id=public_id)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.claim_decide(
                    claim=claim,
                    approve=form.approve,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                if error.status == 404:
                    return error_page(request, error)
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The claim is approved and its lesson hours are counted.")
                    if form.approve
                    else _("The claim is refused; the employee is told why."),
                )
                return redirect("learning:hr_claims")
        status = 422
    else:
        audit_record(
            actor=request.user,
            action="learning.claim_viewed",
            target=claim,
            subject=claim.learner,
        )
    return render(
        request,
        "learning/manage/claim.html",
        {
            **_base(request, "hr"),
            "claim": claim,
            "employee": getattr(claim.learner, "employee", None),
            "name": _person(claim.learner),
            "form": form,
            "own": claim.learner_id == request.user.pk,
        },
        status=status,
    )
