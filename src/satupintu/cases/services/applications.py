"""Applications: drafts, submitting one, and opening the case of a service.

Every function here is keyword-only, runs in one transaction, records what it did on the
case's timeline and in the audit trail, and leaves notifications to tasks that are enqueued
only when the transaction commits.
"""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import BusinessProfile
from satupintu.cases.answers import applicant_context, validate_answers
from satupintu.cases.answers.validation import _takes_files
from satupintu.cases.constants import Actor, EventKind, SubmissionStatus
from satupintu.cases.models import Case, CaseEvent, Submission
from satupintu.catalog.models import Service
from satupintu.core import tracking
from satupintu.core.calendar import WorkingCalendar
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.services import audit_record


def _notify(kind: str, case: Case, **data: Any) -> None:
    """Enqueue the notification of ``kind`` about ``case`` once the transaction commits."""
    from satupintu.cases import tasks

    case_id = case.pk
    transaction.on_commit(
        lambda: tasks.notify_case_event.enqueue(case_id=case_id, kind=kind, data=data)
    )


def _check_business(applicant, business: BusinessProfile | None) -> None:
    if business is not None and not business.representatives.filter(pk=applicant.pk).exists():
        raise Forbidden(_("You do not represent this business."))


def _check_applicant_kind(service_version, business) -> None:
    applicants = service_version.definition.get("applicants", ["citizen"])
    kind = "business" if business else "citizen"
    if kind not in applicants:
        if kind == "citizen":
            raise DomainError(
                _("This service is for businesses: apply on behalf of a business you represent."),
                code="business_required",
            )
        raise DomainError(
            _("This service is for individuals: apply in your own name."), code="citizen_required"
        )


# Drafts and submission -------------------------------------------------------------------


@transaction.atomic
def submission_draft_save(
    *,
    applicant,
    service: Service | None = None,
    submission: Submission | None = None,
    business: BusinessProfile | None = None,
    answers: dict[str, Any],
) -> Submission:
    """Start or update a draft application. Drafts keep whatever was typed, valid or not, so
    that the applicant can stop and come back later."""
    if submission is None:
        if service is None or service.current_version is None or not service.is_active:
            raise NotFound(_("This service is not offered."))
        _check_business(applicant, business)
        _check_applicant_kind(service.current_version, business)
        submission = Submission.objects.create(
            applicant=applicant,
            business=business,
            service_version=service.current_version,
            answers=answers,
        )
        audit_record(
            actor=applicant, action="submission.drafted", target=submission, subject=applicant
        )
        return submission
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.applicant_id != applicant.pk:
        raise NotFound(_("There is no such application among yours."))
    if submission.status != SubmissionStatus.DRAFT:
        raise Conflict(
            _("This application has already been submitted; it can no longer be changed."),
            code="already_submitted",
        )
    submission.answers = answers
    submission.save(update_fields=["answers", "updated_at"])
    return submission


@transaction.atomic
def submission_draft_delete(*, submission: Submission, actor) -> None:
    """Throw away a draft (and the files uploaded to it). A submitted application cannot be
    deleted; it is the record of a case."""
    submission = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
    if submission.applicant_id != actor.pk:
        raise NotFound(_("There is no such application among yours."))
    if submission.status != SubmissionStatus.DRAFT:
        raise Conflict(
            _("This application has already been submitted; it can no longer be deleted."),
            code="already_submitted",
        )
    files = [document.file for document in submission.documents.all()]
    audit_record(actor=actor, action="submission.deleted", target=submission, subject=actor)
    submission.documents.all().delete()
    submission.delete()

    def remove_files():
        for file in files:
            file.storage.delete(file.name)

    transaction.on_commit(remove_files)


def _due_date(
    *, calendar: WorkingCalendar, start: datetime.date, working_days: int, paused: int
) -> datetime.date:
    return calendar.add_working_days(start, working_days + paused)


@transaction.atomic
def submission_submit(*, submission: Submission, actor, idempotency_key: str = "") -> Submission:
    """Submit a draft: check every answer, give it a tracking number and open its case at the
    agency that owns the service, with its due date in working days.

    Submitting twice (a double click, a retry after a time-out) returns the submission that
    was made the first time and creates nothing more.
    """
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related(
            "service_version__service__agency", "service_version__service__unit", "business"
        )
        .get(pk=submission.pk)
    )
    if submission.applicant_id != actor.pk:
        raise NotFound(_("There is no such application among yours."))
    if submission.life_event_version_id:
        from satupintu.cases.services.life_events import life_event_submit

        return life_event_submit(
            submission=submission, actor=actor, idempotency_key=idempotency_key
        )
    sent = submission_already_sent(
        submission=submission, actor=actor, idempotency_key=idempotency_key
    )
    if sent is not None:
        return sent

    version = submission.service_version
    cleaned = _answers_checked(
        version=version,
        answers=submission.answers,
        applicant=actor,
        business=submission.business,
        submission=submission,
    )
    submission.answers = cleaned
    earlier = submission_stamp(submission=submission, actor=actor, idempotency_key=idempotency_key)
    if earlier is not None:
        return earlier
    now = submission.submitted_at
    case_open(
        submission=submission,
        service_version=version,
        submitted_at=now,
        actor=actor,
        answers=cleaned,
    )
    audit_record(
        actor=actor,
        action="submission.submitted",
        target=submission,
        subject=actor,
        details={"tracking": submission.tracking},
    )
    return submission


def _answers_checked(
    *, version, answers, applicant, business, submission: Submission | None
) -> dict[str, Any]:
    """The cleaned answers to ``version``'s form, or ``DomainError`` (422) naming each field
    that needs attention."""
    cleaned, errors = validate_answers(
        definition=version.definition,
        answers=answers,
        context=applicant_context(user=applicant, business=business),
        submission=submission,
        # Without a draft there is no upload: a required file is missing.
        uploads=None if submission is not None else {},
    )
    if errors:
        raise DomainError(
            _("Some answers need your attention before the application can be sent."),
            code="invalid_answers",
            status=422,
            errors=[{"path": error.path, "message": str(error.message)} for error in errors],
        )
    return cleaned


@transaction.atomic
def submission_send(
    *,
    applicant,
    service: Service,
    business: BusinessProfile | None = None,
    answers: dict[str, Any],
    idempotency_key: str = "",
) -> tuple[Submission, bool]:
    """Check and send an application in one step, as the API does: the same checks and
    records as saving a draft and submitting it, without the draft in between (nothing is
    kept when an answer is refused). Returns the application and whether it is new: sending
    again with the same idempotency key (a retry, or a concurrent call that won the race)
    returns the first application."""
    version = service.current_version
    if version is None or not service.is_active:
        raise NotFound(_("This service is not offered."))
    version.service = service  # with the agency and unit the caller read alongside it
    _check_business(applicant, business)
    _check_applicant_kind(version, business)
    # A form with file fields needs its uploads on a draft first: none are given here.
    cleaned = _answers_checked(
        version=version, answers=answers, applicant=applicant, business=business, submission=None
    )
    submission = Submission(
        applicant=applicant, business=business, service_version=version, answers=cleaned
    )
    earlier = submission_stamp(
        submission=submission, actor=applicant, idempotency_key=idempotency_key
    )
    if earlier is not None:
        return earlier, False
    case_open(
        submission=submission,
        service_version=version,
        submitted_at=submission.submitted_at,
        actor=applicant,
        answers=cleaned,
        claim_documents=False,
    )
    audit_record(
        actor=applicant,
        action="submission.submitted",
        target=submission,
        subject=applicant,
        details={"tracking": submission.tracking},
    )
    return submission, True


def submission_already_sent(
    *, submission: Submission, actor, idempotency_key: str = ""
) -> Submission | None:
    """The submission that sending ``submission`` again would return — itself when it was
    sent, or an earlier one sent with the same idempotency key — or ``None`` when it is a
    draft to send now. A withdrawn application cannot be sent."""
    if submission.status == SubmissionStatus.SUBMITTED:
        return submission
    if submission.status != SubmissionStatus.DRAFT:
        raise Conflict(_("This application was withdrawn."), code="withdrawn")
    if idempotency_key:
        return (
            Submission.objects.filter(applicant=actor, idempotency_key=idempotency_key)
            .exclude(pk=submission.pk)
            .first()
        )
    return None


def submission_stamp(
    *, submission: Submission, actor, idempotency_key: str = ""
) -> Submission | None:
    """Mark a checked draft as sent, with a new tracking number (inside the caller's
    transaction). Returns the earlier submission when the same idempotency key won a race,
    else ``None``."""
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.idempotency_key = idempotency_key
    for _attempt in range(5):
        submission.tracking = tracking.generate()
        try:
            with transaction.atomic():
                submission.save()
            return None
        except IntegrityError:
            if idempotency_key and (
                earlier := Submission.objects.filter(
                    applicant=actor, idempotency_key=idempotency_key
                ).first()
            ):
                return earlier
            continue
    # 30^8 numbers make five collisions in a row impossible in practice.
    raise Conflict(_("Please try again."), code="tracking_collision")  # pragma: no cover


def case_open(
    *,
    submission: Submission,
    service_version,
    submitted_at: datetime.datetime,
    actor,
    answers: dict[str, Any] | None = None,
    claim_documents: bool = True,
) -> Case:
    """Open the case of one service of a submission (called inside a submission's
    transaction), with the answers to the service's form (the submission's by default).
    With ``claim_documents`` the submission's uploads become the case's."""
    service = service_version.service
    definition = service_version.definition
    start = timezone.localdate(submitted_at)
    # This year and the next cover any deadline from today; the calendar grows if not.
    calendar = WorkingCalendar.for_agency(service.agency, years=(start.year, start.year + 1))
    case = Case.objects.create(
        submission=submission,
        applicant_id=submission.applicant_id,
        business_id=submission.business_id,
        service_version=service_version,
        service=service,
        agency=service.agency,
        unit=service.unit,
        state=definition["workflow"]["start"],
        submitted_at=submitted_at,
        due_date=_due_date(
            calendar=calendar,
            start=start,
            working_days=definition["deadline"]["working_days"],
            paused=0,
        ),
        answers=submission.answers if answers is None else answers,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.SUBMITTED,
        actor=actor,
        actor_role=Actor.APPLICANT,
        to_state=case.state,
        data={"tracking": submission.tracking},
    )
    if claim_documents and _takes_files(definition.get("form") or []):
        submission.documents.filter(case__isnull=True).update(case=case)
    _notify("submitted", case)
    return case
