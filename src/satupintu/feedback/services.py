"""Writes of the survey: invitations, answers (by link and at the counter), follow-up plans
and performance signals. Every function is keyword-only and runs in one transaction; the
ones that touch a person's data (an invitation names the applicant) or act for an officer
write the audit trail in it.

Answers themselves are anonymous: no audit event, no timestamp and no key ties a response
to its invitation (see ``models``).
"""

import datetime
import secrets
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from satupintu.cases.models import Case
from satupintu.catalog.models import Service
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.services import audit_record
from satupintu.feedback import selectors
from satupintu.feedback.constants import (
    ELEMENT_FIELDS,
    ELEMENTS,
    PROFILE_CHOICES,
    SUGGESTION_MAX_LENGTH,
    Channel,
)
from satupintu.feedback.ikm import ikm_from_totals
from satupintu.feedback.models import (
    FollowUpPlan,
    ServicePerformanceSignal,
    SurveyInvitation,
    SurveyResponse,
)
from satupintu.feedback.periods import Period
from satupintu.feedback.selectors import token_hash
from satupintu.notifications.selectors import recipient_language
from satupintu.notifications.services import notification_send
from satupintu.organisations.models import Office

PLAN_MAX_LENGTH = 5000
# How many of the weakest elements a performance signal names even when none is below the
# threshold.
WEAKEST_ELEMENTS = 2


# Invitations --------------------------------------------------------------------------------


def _eligible(case: Case) -> bool:
    """A case that ended after it started: not open, not waiting to start, not called off
    because the case it waited for ended without it."""
    return (
        not case.is_open
        and not case.is_waiting
        and case.closed_at is not None
        and not (case.outcome or {}).get("called_off")
    )


def _invitation_text(case: Case, expires_at: datetime.datetime) -> tuple[str, str]:
    facts = {
        "service": case.service.name,
        "agency": case.agency.name,
        "date": formats.date_format(timezone.localtime(expires_at), "j F Y"),
    }
    title = _("How was the service? %(service)s") % facts
    body = (
        _(
            "Your case for %(service)s at %(agency)s has ended. Please tell us in two minutes "
            "how the service was: nine short questions, each optional. Your answers are "
            "anonymous: the agency sees only totals, never who answered what. The link "
            "works once, until %(date)s."
        )
        % facts
    )
    return title, body


@transaction.atomic
def invitation_create(
    *, case_id: int, now: datetime.datetime | None = None
) -> SurveyInvitation | None:
    """Invite the applicant of a closed case to the survey: an invitation with a one-time
    token (only its hash is kept), and a notification in the applicant's inbox (and e-mail)
    in their language, whose link carries the token.

    Returns None, and does nothing, for a case that is gone, still open, called off or never
    started, and for a case that has its invitation already (one per case, however often
    this runs).
    """
    case = (
        Case.objects.select_related("service", "agency", "unit", "submission__applicant")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not _eligible(case):
        return None
    if SurveyInvitation.objects.filter(case=case).exists():
        return None
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    expires_at = now + datetime.timedelta(days=settings.SATUPINTU_IKM_SURVEY_DAYS)
    try:
        with transaction.atomic():
            invitation = SurveyInvitation.objects.create(
                case=case,
                service=case.service,
                unit=case.unit,
                agency=case.agency,
                token_hash=token_hash(token),
                expires_at=expires_at,
            )
    except IntegrityError:
        # Another worker invited for this case between our check and our insert.
        return None
    applicant = case.submission.applicant
    with translation.override(recipient_language(applicant)):
        title, body = _invitation_text(case, expires_at)
        link = reverse("feedback:survey", kwargs={"token": token})
    notification_send(
        recipient=applicant,
        kind="feedback.survey",
        title=title,
        body=body,
        link=link,
        dedup_key=f"survey:{invitation.pk}",
    )
    audit_record(
        actor=None,
        action="survey.invited",
        target=invitation,
        subject=applicant,
        details={"case": str(case.public_id)},
    )
    return invitation


# Answers -----------------------------------------------------------------------------------


def _invalid(errors: list[dict[str, str]]) -> DomainError:
    return DomainError(
        _("Some answers are not valid."), code="invalid_answers", status=422, errors=errors
    )


def answers_clean(
    *,
    answers: Mapping[str, Any],
    suggestion: str = "",
    profile: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields of a response from what a respondent gave: ``answers`` maps element codes
    ("U1" … "U9") to 1–4 (None or "" or absent: not answered); ``profile`` the optional
    age band, sex, education and occupation. Raises a ``DomainError`` (422) listing each
    field that is wrong, and when nothing at all was answered or suggested."""
    errors: list[dict[str, str]] = []
    fields: dict[str, Any] = {}
    by_code = {str(code).strip().upper(): value for code, value in (answers or {}).items()}
    for code in sorted(set(by_code) - set(ELEMENT_FIELDS)):
        errors.append({"path": code, "message": _("There is no such question.")})
    for element in ELEMENTS:
        value = by_code.get(element.code)
        if value is None or value == "":
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if isinstance(value, bool) or score not in range(1, 5) or str(value).strip() != str(score):
            errors.append({"path": element.code, "message": _("Choose one of the four answers.")})
            continue
        fields[element.field] = score
    suggestion = (suggestion or "").strip()
    if len(suggestion) > SUGGESTION_MAX_LENGTH:
        errors.append(
            {
                "path": "suggestion",
                "message": _("Keep your suggestion to %(count)s characters or fewer.")
                % {"count": SUGGESTION_MAX_LENGTH},
            }
        )
    fields["suggestion"] = suggestion
    profile = profile or {}
    for name in sorted(set(profile) - set(PROFILE_CHOICES)):
        errors.append({"path": name, "message": _("There is no such question.")})
    for name, choices in PROFILE_CHOICES.items():
        value = profile.get(name) or ""
        if value and value not in choices.values:
            errors.append({"path": name, "message": _("Choose one of the answers given.")})
            continue
        fields[name] = value
    if not errors and not suggestion and not any(f in fields for f in ELEMENT_FIELDS.values()):
        errors.append(
            {
                "path": "U1",
                "message": _("Answer at least one question, or write a suggestion."),
            }
        )
    if errors:
        raise _invalid(errors)
    return fields


@transaction.atomic
def survey_response_submit(
    *,
    token: str,
    answers: Mapping[str, Any],
    suggestion: str = "",
    profile: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> SurveyResponse:
    """Store the answer to the survey of the invitation whose link carries ``token``.

    Refuses an unknown token (404), an invitation answered before (409, code
    ``already_answered``), an expired one (410) and answers that are not valid (422). The
    invitation is marked answered by a conditional update in this transaction, so two
    answers sent at once store one. The response keeps no link to the invitation.
    """
    invitation = selectors.invitation_for_token(token=token)
    if invitation.answered:
        raise _already_answered()
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This survey closed on %(date)s. Thank you all the same.")
            % {"date": formats.date_format(timezone.localtime(invitation.expires_at), "j F Y")},
            code="survey_expired",
            status=410,
        )
    fields = answers_clean(answers=answers, suggestion=suggestion, profile=profile)
    # Neither ``updated_at`` nor any other time is written: when it was answered stays unknown.
    if not SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True):
        raise _already_answered()
    return SurveyResponse.objects.create(
        service_id=invitation.service_id,
        unit_id=invitation.unit_id,
        agency_id=invitation.agency_id,
        channel=Channel.ONLINE,
        submitted_on=today or timezone.localdate(),
        **fields,
    )


def _already_answered() -> Conflict:
    return Conflict(
        _("This survey was already answered. Each case can be rated once: thank you."),
        code="already_answered",
    )


@transaction.atomic
def counter_response_submit(
    *,
    actor,
    service: Service,
    office: Office | None = None,
    answers: Mapping[str, Any],
    suggestion: str = "",
    profile: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> SurveyResponse:
    """Store an anonymous answer collected at a counter, on a tablet that an officer (or a
    service centre's staff member) hands to the person they served. The officer must work
    the service (or serve at ``office``, which must offer it)."""
    if not selectors.counter_may_collect(user=actor, service=service, office=office):
        raise Forbidden(
            _("You may collect answers only for the services of your unit or service centre."),
            code="not_your_service",
        )
    fields = answers_clean(answers=answers, suggestion=suggestion, profile=profile)
    response = SurveyResponse.objects.create(
        service=service,
        unit_id=service.unit_id,
        agency_id=service.agency_id,
        office=office,
        channel=Channel.COUNTER,
        submitted_on=today or timezone.localdate(),
        **fields,
    )
    # Who collected how many answers, never which: the event names no response.
    audit_record(
        actor=actor,
        action="survey.collected_at_counter",
        object_type="feedback.surveyresponse",
        object_id="",
        details={"service": service.code, "office": office.code if office else ""},
    )
    return response


# Follow-up plans ---------------------------------------------------------------------------


@transaction.atomic
def followup_plan_save(
    *,
    actor,
    scope: "selectors.ReportScope",
    period: Period,
    plan: str,
    publish: bool = False,
) -> FollowUpPlan:
    """Write (or rewrite) the provider's follow-up plan for a scope and period, and publish
    it or take it back. Agency administrators and supervisors write their agency's plans
    (a unit's supervisor, their unit's); platform administrators any."""
    if not selectors.followup_may_write(user=actor, scope=scope):
        raise Forbidden(
            _("Only the agency's administrators and supervisors may write its follow-up plan."),
            code="followup_not_allowed",
        )
    plan = (plan or "").strip()
    if not plan or len(plan) > PLAN_MAX_LENGTH:
        message = (
            _("Write what the agency will do about these results.")
            if not plan
            else _("Keep the plan to %(count)s characters or fewer.") % {"count": PLAN_MAX_LENGTH}
        )
        raise DomainError(
            message, code="invalid_plan", status=422, errors=[{"path": "plan", "message": message}]
        )
    existing = (
        FollowUpPlan.objects.select_for_update()
        .filter(scope_key=scope.key, period_start=period.start, period_end=period.end)
        .first()
    )
    followup = existing or FollowUpPlan(
        scope_kind=scope.kind,
        scope_key=scope.key,
        agency=scope.agency,
        unit=scope.unit,
        service=scope.service,
        office=scope.office,
        period_start=period.start,
        period_end=period.end,
    )
    followup.plan = plan
    followup.written_by = actor
    if publish and not followup.is_published:
        followup.published_at = timezone.now()
    elif not publish:
        followup.published_at = None
    followup.is_published = publish
    followup.save()
    audit_record(
        actor=actor,
        action="ikm.followup_saved",
        target=followup,
        details={"scope": scope.key, "period": period.key, "published": publish},
    )
    return followup


# Performance signals -----------------------------------------------------------------------


def _weak_elements(result, threshold: Fraction) -> list[dict[str, Any]]:
    """The elements below ``threshold`` and, whatever their averages, the two weakest;
    weakest first."""
    ranked = sorted(result.nrr_exact.items(), key=lambda item: (item[1], item[0]))
    chosen = [code for code, value in ranked if value < threshold]
    for code, _value in ranked[:WEAKEST_ELEMENTS]:
        if code not in chosen:
            chosen.append(code)
    return [
        {"code": code, "nrr": str(result.nrr[code]), "below": result.nrr_exact[code] < threshold}
        for code in sorted(chosen, key=lambda code: (result.nrr_exact[code], code))
    ]


@transaction.atomic
def service_signals_compute(
    *, period: Period, today: datetime.date | None = None, exact_weight: bool | None = None
) -> int:
    """For every service with answers or cases due in ``period``: its weak IKM elements
    (below ``SATUPINTU_IKM_WEAK_NRR``, and the two weakest) and its share of overdue cases
    (of the cases due in the period: closed after the due date, or still open, not waiting
    on the applicant, past it on ``today``). Two aggregate queries whatever the number of
    answers; one row per service and period, rewritten when run again.

    Services with fewer answers than ``SATUPINTU_IKM_MIN_RESPONDENTS`` get no IKM figures:
    a handful of answers says little and could be read back to the people who gave them.
    """
    today = today or timezone.localdate()
    exact_weight = settings.SATUPINTU_IKM_EXACT_WEIGHT if exact_weight is None else exact_weight
    threshold = Fraction(Decimal(str(settings.SATUPINTU_IKM_WEAK_NRR)))
    minimum = settings.SATUPINTU_IKM_MIN_RESPONDENTS
    answers = {
        row["service"]: row
        for row in SurveyResponse.objects.filter(submitted_on__range=(period.start, period.end))
        .values("service")
        .annotate(**selectors.element_aggregates())
        .order_by()
    }
    overdue = Q(is_open=False, closed_at__date__gt=F("due_date")) | Q(
        is_open=True, is_paused=False, due_date__lt=today
    )
    cases = {
        row["service"]: row
        for row in Case.objects.filter(
            selectors.served_cases_q(), due_date__range=(period.start, period.end)
        )
        .values("service")
        .annotate(due=Count("id"), overdue=Count("id", filter=overdue))
        .order_by()
    }
    service_ids = set(answers) | set(cases)
    owners = {
        pk: (agency_id, unit_id)
        for pk, agency_id, unit_id in Service.objects.filter(pk__in=service_ids).values_list(
            "pk", "agency_id", "unit_id"
        )
    }
    now = timezone.now()
    rows = []
    for service_id in sorted(service_ids):
        agency_id, unit_id = owners[service_id]
        row = answers.get(service_id) or {}
        respondents = row.get("respondents", 0)
        result = (
            ikm_from_totals(
                selectors.totals_of(row), respondents=respondents, exact_weight=exact_weight
            )
            if respondents >= max(minimum, 1)
            else None
        )
        due = cases.get(service_id, {}).get("due", 0)
        late = cases.get(service_id, {}).get("overdue", 0)
        rows.append(
            ServicePerformanceSignal(
                service_id=service_id,
                agency_id=agency_id,
                unit_id=unit_id,
                period_start=period.start,
                period_end=period.end,
                respondents=respondents,
                ikm_index=result.index if result else None,
                grade=(result.grade or "") if result else "",
                weak_elements=_weak_elements(result, threshold) if result else [],
                cases_due=due,
                cases_overdue=late,
                overdue_share=(Decimal(late) / Decimal(due)).quantize(Decimal("0.0001"))
                if due
                else None,
                computed_at=now,
            )
        )
    ServicePerformanceSignal.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["service", "period_start", "period_end"],
        update_fields=[
            "respondents",
            "ikm_index",
            "grade",
            "weak_elements",
            "cases_due",
            "cases_overdue",
            "overdue_share",
            "computed_at",
            "updated_at",
        ],
    )
    return len(rows)
