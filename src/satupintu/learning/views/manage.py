"""The pages of unit heads and of human resources.

Unit heads (``unit/pembelajaran/``): the requests awaiting their approval, coaching and
experiential learning to confirm, assigning a course to employees of their unit, and their
unit's compliance with the yearly 20 JP.

HR (``sdm/pembelajaran/``): the catalogue their agency provides (courses, the competencies
they build, lessons, publishing), scheduling and cancelling sessions, assignments, claims
for learning done elsewhere, and compliance per unit with exports.

Only unit heads and HR open them (others get 403, anonymous visitors the sign-in page), and
every read goes through the scoped selectors, so anything outside the person's units or
agency is "not found". Viewing or exporting employees' learning records is written to the
audit trail.
"""

import contextlib
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from satupintu.core.errors import DomainError
from satupintu.core.pages import error_page, errors_to_form, pages_for
from satupintu.core.services import audit_record
from satupintu.learning import exports, services
from satupintu.learning.constants import SESSION_MODALITIES, ClaimStatus, Modality
from satupintu.learning.forms import (
    AssignForm,
    CancelSessionForm,
    CompetencyRowForm,
    ComplianceForm,
    CourseForm,
    DecisionForm,
    LessonForm,
    SessionForm,
)
from satupintu.learning.models import Course, Lesson
from satupintu.learning.selectors import compliance as compliance_selectors
from satupintu.learning.selectors import manage as manage_selectors
from satupintu.learning.selectors import sessions as session_selectors
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.services.course_editing import publish_obstacles
from satupintu.learning.views.sessions import seat_counts
from satupintu.organisations.models import Agency, Office, Unit
from satupintu.talent.models import Competency

COMPETENCY_ROWS_EXTRA = 3

unit_heads_only = pages_for(
    lambda user: learning_access(user).is_unit_head,
    gettext_lazy("These pages are for the heads of units."),
)
hr_only = pages_for(
    lambda user: learning_access(user).is_hr,
    gettext_lazy("These pages are for human resources."),
)


def _base(request: HttpRequest, area: str) -> dict:
    """What every staff page needs: the person's access (for the links between the staff
    pages), the header's current item and the staff area ("unit" or "hr")."""
    return {"access": learning_access(request.user), "nav": "learning_staff", "staff_area": area}


def _person(user) -> str:
    return user.get_full_name() or user.username


def _page_urls(request: HttpRequest, page, *, param: str = "after", **keep) -> dict:
    """The links of a keyset-paged list: next page, and back to the first."""
    params = {key: value for key, value in keep.items() if value}
    base = request.path + ("?" + urlencode(params) if params else "")
    joiner = "&" if params else "?"
    return {
        "next_url": f"{base}{joiner}{urlencode({param: page.next_cursor})}"
        if page.has_next
        else "",
        "first_url": base if request.GET.get(param) else "",
    }


def _safe_back(request: HttpRequest, default: str) -> str:
    target = (request.POST.get("next") or "")[:300]
    return target if target.startswith("/") and not target.startswith("//") else default


# Unit heads and HR: requests, confirmations -------------------------------------------------


def _requests_context(request: HttpRequest, *, unit_head_only: bool) -> dict:
    requests_page = manage_selectors.enrolment_requests(
        user=request.user,
        cursor=request.GET.get("after", "")[:400],
        unit_head_only=unit_head_only,
    )
    confirm_page = manage_selectors.enrolments_to_confirm(
        user=request.user, limit=50, unit_head_only=unit_head_only
    )
    return {
        "requests": requests_page.items,
        "to_confirm": confirm_page.items,
        "more_to_confirm": confirm_page.has_next,
        **_page_urls(request, requests_page),
    }


@unit_heads_only
@require_safe
def unit_home(request: HttpRequest) -> HttpResponse:
    """The unit head's page: requests awaiting approval, learning to confirm."""
    return _requests_page(request, "unit")


def _requests_page(request: HttpRequest, area: str, **extra) -> HttpResponse:
    """The page with the requests: the unit head's, or HR's."""
    unit_head_only = area == "unit"
    context = {
        **_base(request, area),
        **_requests_context(request, unit_head_only=unit_head_only),
        "area": area,
        **extra,
    }
    if unit_head_only:
        context["units"] = list(
            Unit.objects.filter(pk__in=sorted(learning_access(request.user).unit_ids))
            .select_related("agency")
            .order_by("name_id")
        )
    if request.method == "GET":
        audit_record(
            actor=request.user,
            action="learning.requests_viewed",
            object_type="learning.enrolment",
            details={
                "area": area,
                "requests": len(context["requests"]),
                "to_confirm": len(context["to_confirm"]),
            },
        )
    template = "unit_home" if unit_head_only else "requests"
    return render(
        request,
        f"learning/manage/{template}.html",
        context,
        status=422 if extra.get("failed_form") else 200,
    )


def _decide(request: HttpRequest, public_id, area: str) -> HttpResponse:
    """Approve or refuse a request (the unit head's page, or HR's). A refused form comes
    back on the page, next to its request, with what was typed."""
    enrolment = manage_selectors.enrolment_get_for_manager(
        user=request.user, public_id=public_id, unit_head_only=area == "unit"
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_decide(
                enrolment=enrolment,
                approve=form.approve,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            if error.status == 404:
                return error_page(request, error)
            if error.status != 409:
                errors_to_form(form, error)
            else:
                messages.error(request, error.detail)
                return redirect(_requests_url(area))
        else:
            message = (
                _("The enrolment of %(name)s is approved.")
                if form.approve
                else _("The enrolment of %(name)s is refused; they are told why.")
            )
            messages.success(request, message % {"name": _person(enrolment.learner)})
            return redirect(_requests_url(area))
    return _requests_page(request, area, failed_form=form, failed_id=enrolment.public_id)


def _requests_url(area: str) -> str:
    return reverse("learning:unit_home" if area == "unit" else "learning:hr_requests")


def _confirm(request: HttpRequest, public_id, area: str) -> HttpResponse:
    """Confirm that an employee completed a coaching or experiential course."""
    enrolment = manage_selectors.enrolment_get_for_manager(
        user=request.user, public_id=public_id, unit_head_only=area == "unit"
    )
    back = _requests_url(area)
    try:
        services.enrolment_confirm_completion(enrolment=enrolment, actor=request.user)
    except DomainError as error:
        if error.status == 404:
            return error_page(request, error)
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("%(course)s is completed for %(name)s; its lesson hours are counted.")
            % {"course": enrolment.course.title, "name": _person(enrolment.learner)},
        )
    return redirect(back)


@unit_heads_only
@require_POST
def unit_decide(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(request, public_id, "unit")


@unit_heads_only
@require_POST
def unit_confirm(request: HttpRequest, public_id) -> HttpResponse:
    return _confirm(request, public_id, "unit")


@hr_only
@require_POST
def hr_decide(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(request, public_id, "hr")


@hr_only
@require_POST
def hr_confirm(request: HttpRequest, public_id) -> HttpResponse:
    return _confirm(request, public_id, "hr")


@hr_only
@require_safe
def hr_requests(request: HttpRequest) -> HttpResponse:
    """HR's view of requests awaiting approval and learning to confirm in their agency."""
    return _requests_page(request, "hr")


# Assignments -------------------------------------------------------------------------------


def _assign(request: HttpRequest, *, area: str) -> HttpResponse:
    by_nip = area == "hr"
    courses = list(manage_selectors.course_choices_for_assignment(user=request.user))
    employees = [] if by_nip else manage_selectors.assignable_employees(user=request.user)
    form = AssignForm(
        request.POST or None,
        courses=courses,
        employees=employees,
        by_nip=by_nip,
        initial={"course": request.GET.get("kursus", "")[:80]},
    )
    status = 200
    if request.method == "POST":
        learners = []
        if form.is_valid():
            if by_nip:
                found, missing = manage_selectors.employees_by_nip(
                    user=request.user, nips=form.cleaned_data["nips"]
                )
                if missing:
                    form.add_error(
                        "nips",
                        _("No employee you manage has these NIPs: %(nips)s")
                        % {"nips": ", ".join(missing[:10])},
                    )
                learners = [employee.user for employee in found]
            else:
                learners = form.cleaned_data["learners"]
        if form.is_valid() and learners:
            try:
                enrolments = services.enrolment_assign(
                    course=form.cleaned_data["course"],
                    learners=learners,
                    actor=request.user,
                    due_on=form.cleaned_data.get("due_on"),
                )
            except DomainError as error:
                if error.status == 403:
                    return error_page(request, error)
                field = "nips" if by_nip else "learners"
                form.add_error(field if error.errors else None, error.detail)
            else:
                messages.success(
                    request,
                    _(
                        "%(course)s is assigned to %(count)s employees; they are told in their inbox."
                    )
                    % {
                        "course": form.cleaned_data["course"].title,
                        "count": len(enrolments),
                    },
                )
                return redirect("learning:unit_assign" if area == "unit" else "learning:hr_assign")
        status = 422
    return render(
        request,
        "learning/manage/assign.html",
        {**_base(request, area), "form": form, "area": area},
        status=status,
    )


@unit_heads_only
def unit_assign(request: HttpRequest) -> HttpResponse:
    """Assign a course to employees of the unit head's units."""
    return _assign(request, area="unit")


@hr_only
def hr_assign(request: HttpRequest) -> HttpResponse:
    """Assign a course to employees of HR's agency, by NIP."""
    return _assign(request, area="hr")


# Compliance --------------------------------------------------------------------------------


def _compliance_units(request: HttpRequest) -> list[Unit]:
    access = learning_access(request.user)
    units = Unit.objects.select_related("agency").order_by("agency__name_id", "name_id")
    if not access.hr_everywhere:
        units = units.filter(
            Q(pk__in=sorted(access.unit_ids)) | Q(agency_id__in=sorted(access.hr_agency_ids))
        )
    return list(units[:2000])


def _compliance_scope(request: HttpRequest):
    form = ComplianceForm(
        {"year": request.GET.get("tahun", ""), "unit": request.GET.get("unit", "")}
        if request.GET
        else None,
        units=_compliance_units(request),
    )
    year, unit = form.chosen()
    return form, year, unit


def _compliance(request: HttpRequest, *, area: str) -> HttpResponse:
    form, year, unit = _compliance_scope(request)
    units = compliance_selectors.compliance_by_unit(user=request.user, year=year)
    if unit is not None:
        units = [row for row in units if row.unit is not None and row.unit.pk == unit.pk]
    summary = compliance_selectors.compliance_summary(units)
    page = compliance_selectors.learners_behind(
        user=request.user, year=year, unit=unit, cursor=request.GET.get("after", "")[:400]
    )
    audit_record(
        actor=request.user,
        action="learning.compliance_viewed",
        object_type="learning.compliance",
        object_id=str(year),
        details={
            "year": year,
            "unit": str(unit.public_id) if unit else None,
            "employees_listed": len(page.items),
        },
    )
    query = {"tahun": year, "unit": str(unit.public_id) if unit else ""}
    export_query = urlencode({key: value for key, value in query.items() if value})
    prefix = "learning:unit_compliance" if area == "unit" else "learning:hr_compliance"
    return render(
        request,
        "learning/manage/compliance.html",
        {
            **_base(request, area),
            "form": form,
            "year": year,
            "unit": unit,
            "units": units,
            "summary": summary,
            "behind": page.items,
            **_page_urls(request, page, **query),
            "csv_url": f"{reverse(prefix + '_csv')}?{export_query}",
            "xlsx_url": f"{reverse(prefix + '_xlsx')}?{export_query}",
            "area": area,
        },
    )


def _compliance_export(request: HttpRequest, *, kind: str) -> HttpResponse:
    _form, year, unit = _compliance_scope(request)
    rows = compliance_selectors.compliance_rows(user=request.user, year=year, unit=unit)
    scope = unit.code if unit else "semua"
    audit_record(
        actor=request.user,
        action="learning.compliance_exported",
        object_type="learning.compliance",
        object_id=str(year),
        details={"year": year, "unit": str(unit.public_id) if unit else None, "format": kind},
    )
    if kind == "csv":
        response = exports.compliance_csv(rows, year=year, scope=scope)
    else:
        units = compliance_selectors.compliance_by_unit(user=request.user, year=year)
        if unit is not None:
            units = [row for row in units if row.unit is not None and row.unit.pk == unit.pk]
        response = exports.compliance_xlsx(rows, units=units, year=year, scope=scope)
    response["Cache-Control"] = "private, no-store"
    return response


@unit_heads_only
@require_safe
def unit_compliance(request: HttpRequest) -> HttpResponse:
    """The unit head's units: compliance with the 20 JP and who is behind."""
    return _compliance(request, area="unit")


@unit_heads_only
@require_safe
def unit_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="csv")


@unit_heads_only
@require_safe
def unit_compliance_xlsx(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="xlsx")


@hr_only
@require_safe
def hr_compliance(request: HttpRequest) -> HttpResponse:
    """Compliance with the 20 JP per unit of HR's agency (or every agency)."""
    return _compliance(request, area="hr")


@hr_only
@require_safe
def hr_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="csv")


@hr_only
@require_safe
def hr_compliance_xlsx(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, kind="xlsx")


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


urlpatterns = [
    # Unit heads
    path("unit/pembelajaran/", unit_home, name="unit_home"),
    path("unit/pembelajaran/permintaan/<uuid:public_id>/", unit_decide, name="unit_decide"),
    path("unit/pembelajaran/selesai/<uuid:public_id>/", unit_confirm, name="unit_confirm"),
    path("unit/pembelajaran/tugaskan/", unit_assign, name="unit_assign"),
    path("unit/pembelajaran/kepatuhan/", unit_compliance, name="unit_compliance"),
    path("unit/pembelajaran/kepatuhan/unduh.csv", unit_compliance_csv, name="unit_compliance_csv"),
    path(
        "unit/pembelajaran/kepatuhan/unduh.xlsx",
        unit_compliance_xlsx,
        name="unit_compliance_xlsx",
    ),
    # Human resources
    path("sdm/pembelajaran/", hr_home, name="hr_home"),
    path("sdm/pembelajaran/permintaan/", hr_requests, name="hr_requests"),
    path("sdm/pembelajaran/permintaan/<uuid:public_id>/", hr_decide, name="hr_decide"),
    path("sdm/pembelajaran/selesai/<uuid:public_id>/", hr_confirm, name="hr_confirm"),
    path("sdm/pembelajaran/kursus/", hr_courses, name="hr_courses"),
    path("sdm/pembelajaran/kursus/baru/", hr_course_create, name="hr_course_create"),
    path("sdm/pembelajaran/kursus/<slug:code>/", hr_course, name="hr_course"),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/terbit/", hr_course_publish, name="hr_course_publish"
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/pelajaran/baru/",
        hr_lesson_create,
        name="hr_lesson_create",
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/pelajaran/<uuid:public_id>/",
        hr_lesson,
        name="hr_lesson",
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/pelajaran/<uuid:public_id>/pindah/",
        hr_lesson_move,
        name="hr_lesson_move",
    ),
    path(
        "sdm/pembelajaran/kursus/<slug:code>/sesi/baru/",
        hr_session_create,
        name="hr_session_create",
    ),
    path("sdm/pembelajaran/sesi/", hr_sessions, name="hr_sessions"),
    path(
        "sdm/pembelajaran/sesi/<uuid:public_id>/batal/",
        hr_session_cancel,
        name="hr_session_cancel",
    ),
    path("sdm/pembelajaran/tugaskan/", hr_assign, name="hr_assign"),
    path("sdm/pembelajaran/klaim/", hr_claims, name="hr_claims"),
    path("sdm/pembelajaran/klaim/<uuid:public_id>/", hr_claim, name="hr_claim"),
    path("sdm/pembelajaran/kepatuhan/", hr_compliance, name="hr_compliance"),
    path("sdm/pembelajaran/kepatuhan/unduh.csv", hr_compliance_csv, name="hr_compliance_csv"),
    path("sdm/pembelajaran/kepatuhan/unduh.xlsx", hr_compliance_xlsx, name="hr_compliance_xlsx"),
]
