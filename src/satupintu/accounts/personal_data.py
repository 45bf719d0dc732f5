"""Everything the platform holds about one person, and the history of its processing
(UU PDP 27/2022: the data subject's right of access).

``personal_data_collect`` gathers the person's data from every app, section by section, in a
fixed number of queries however many cases, messages or notifications they have;
``personal_data_history`` pages through the audit events whose subject is the person, each
with who acted (an officer's name and agency, never another citizen's data), when, on what,
and why. The page and the JSON download (``accounts.views_personal_data``) and the API
operation (``accounts.api_personal_data``) read both; ``personal_data_export_record`` writes
the audit event that says the person took a copy.

Like the pages and the API, this module reads the models of the apps above ``accounts``: it is
the one place where the person's data of every app meets. ``COVERED`` and ``NOT_EXPORTED``
name every foreign key to a person in the platform; a test fails when a new one is in neither.
"""

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.models import (
    BusinessRepresentative,
    CitizenProfile,
    Consent,
    EmployeeProfile,
    RoleAssignment,
    User,
)
from satupintu.cases.models import Case, Document, Message, OutcomeDocument, Submission, Suggestion
from satupintu.cases.selectors import workflow_states_attach
from satupintu.complaints.models import Complaint, ComplaintMessage
from satupintu.core.keyset import after_q
from satupintu.core.language import pick
from satupintu.core.models import AuditEvent
from satupintu.core.services import audit_record
from satupintu.feedback.models import ServiceCentreStaff, SurveyInvitation
from satupintu.learning.models import (
    Certificate,
    Enrolment,
    JpEntry,
    LearningClaim,
    LessonProgress,
    QuizAttempt,
    SessionBooking,
)
from satupintu.lrs.selectors import statements_about
from satupintu.notifications.models import Notification
from satupintu.privacy.models import DataRequest
from satupintu.talent.models import Assessment

HISTORY_PAGE_SIZE = 20

# Every foreign key to a person (a user, their citizen or employee profile), by
# "app_label.Model.field", with the section of the export that holds what it points to…
COVERED: dict[str, str] = {
    "accounts.CitizenProfile.user": "citizen",
    "accounts.EmployeeProfile.user": "employee",
    "accounts.BusinessRepresentative.user": "businesses",
    "accounts.BusinessProfile.representatives": "businesses",
    "accounts.RoleAssignment.user": "roles",
    "accounts.Consent.user": "consents",
    "cases.Submission.applicant": "submissions",
    "cases.Case.applicant": "cases",
    "cases.Message.author": "cases (messages on the person's own cases)",
    "cases.Document.uploaded_by": "submissions (documents of the person's own applications)",
    "cases.Suggestion.user": "suggestions",
    "complaints.Complaint.complainant": "complaints (those not filed anonymously)",
    "complaints.ComplaintMessage.author": "complaints (messages on the person's complaints)",
    "notifications.Notification.recipient": "notifications",
    "feedback.ServiceCentreStaff.user": "employee (service centres)",
    "learning.Enrolment.learner": "learning",
    "learning.SessionBooking.learner": "learning",
    "learning.LearningClaim.learner": "learning",
    "learning.JpEntry.learner": "learning",
    "learning.Certificate.learner": "learning",
    "talent.Placement.employee": "employee",
    "talent.Assessment.employee": "learning (assessments)",
    "privacy.DataRequest.requester": "data_requests",
    "core.AuditEvent.subject": "history",
}

# …or the reason why it is not part of the person's export.
NOT_EXPORTED: dict[str, str] = {
    "core.AuditEvent.actor": (
        "what the person did to other people's records is those people's history; what "
        "anyone did to the person's own records is in the history (subject)"
    ),
    "admin.LogEntry.user": "the operators' own log of changes made in the admin site",
    "accounts.ApiKey.service_account": "the account of an agency's system, not of a person",
    "otp_totp.TOTPDevice.user": (
        "the key of the staff member's authenticator app: a credential, which like the "
        "password is never exported (the profile says when it was set up)"
    ),
    "otp_static.StaticDevice.user": (
        "the staff member's unused recovery codes: credentials, never exported (the profile "
        "says how many are left)"
    ),
    "accounts.ApiKey.created_by": "an administrator's work record, about an agency's key",
    "cases.Case.assigned_to": "an officer's work on other people's cases",
    "cases.CaseEvent.actor": (
        "an officer's work on other people's cases; the timeline of the person's own cases "
        "is in the cases section"
    ),
    "complaints.Complaint.coordinator": "a coordinator's work on other people's complaints",
    "complaints.ComplaintEvent.actor": "staff work on complaints; the complaint itself is covered",
    "feedback.FollowUpPlan.written_by": "an official's work record on a service's survey results",
    "learning.Enrolment.assigned_by": "a manager's work on other employees' learning",
    "learning.Enrolment.decided_by": "a manager's work on other employees' learning",
    "learning.ClassSession.trainer": "a trainer's work: the schedule of a course, public to staff",
    "learning.SessionBooking.marked_by": "a trainer's work on other employees' attendance",
    "learning.LearningClaim.decided_by": "HR's work on other employees' claims",
    "learning.JpEntry.created_by": "HR's work on other employees' ledgers",
    "talent.Assessment.assessor": "an assessor's work on other employees' competencies",
    "lrs.LrsClient.created_by": "an administrator's work record, about a learning system",
    "privacy.DataRequest.handled_by": (
        "a data protection officer's work on other people's requests; the answer to the "
        "person's own requests is in the data_requests section"
    ),
    "privacy.Breach.recorded_by": "a data protection officer's work record, about a breach",
}

# Why each kind of event of the history happened, in the person's words. An action that is
# not here is shown with a general purpose (see ``_purpose``).
PURPOSES: dict[str, Any] = {
    "citizen.registered": gettext_lazy("You created your account."),
    "citizen.viewed": gettext_lazy(
        "An officer opened your case and your personal data to process your application."
    ),
    "case.viewed_by_partner": gettext_lazy(
        "A partner organisation opened your case to carry out its part of the service."
    ),
    "case.started": gettext_lazy("A case of your application was opened at the agency."),
    "case.transition": gettext_lazy("Your case moved to its next step."),
    "case.called_off": gettext_lazy("A case of your application was called off."),
    "submission.drafted": gettext_lazy("You started an application."),
    "submission.submitted": gettext_lazy("You sent an application."),
    "submission.deleted": gettext_lazy("You deleted a draft application."),
    "document.uploaded": gettext_lazy("A document was added to your application."),
    "document.attached": gettext_lazy("A document was attached to a message on your case."),
    "document.viewed": gettext_lazy(
        "An officer opened a document of your application to check it."
    ),
    "outcome.revoked": gettext_lazy("The document your case ended with was revoked."),
    "consent.granted": gettext_lazy("You consented to reading your data from registries."),
    "consent.declined": gettext_lazy("You declined reading your data from registries."),
    "consent.withdrawn": gettext_lazy("You withdrew a consent."),
    "registry.read": gettext_lazy(
        "Your data was read from a government registry, with your consent, to fill in an "
        "application."
    ),
    "suggestion.made": gettext_lazy("A service was suggested to you after a completed case."),
    "suggestion.dismissed": gettext_lazy("You dismissed a suggested service."),
    "survey.invited": gettext_lazy("You were invited to the satisfaction survey."),
    "complaint.filed": gettext_lazy("You filed a complaint."),
    "complainant.viewed": gettext_lazy(
        "A coordinator or an officer opened your complaint to handle it."
    ),
    "complainant.exported": gettext_lazy(
        "Your complaint was part of a report exported to handle complaints."
    ),
    "staff.created": gettext_lazy("An administrator created your staff account."),
    "staff.changed": gettext_lazy("An administrator changed your staff account."),
    "talent.assessment_recorded": gettext_lazy("A competency assessment of yours was recorded."),
    "talent.assessments_imported": gettext_lazy("Competency assessments of yours were imported."),
    "talent.assessments_viewed": gettext_lazy(
        "Your manager or HR looked at your competencies to plan your development."
    ),
    "talent.placement_set": gettext_lazy("Your position was recorded."),
    "personal_data.exported": gettext_lazy("You took a copy of your data."),
    "data_request.filed": gettext_lazy("You asked for your data to be corrected or deleted."),
    "data_request.viewed": gettext_lazy(
        "The data protection officer opened your request, and the data it is about, to answer it."
    ),
    "data_request.refused": gettext_lazy(
        "The data protection officer refused your request, and said why."
    ),
    "personal_data.corrected": gettext_lazy("Your data was corrected at your request."),
    "personal_data.erased": gettext_lazy(
        "Your data was deleted or anonymised at your request; what a law requires was kept."
    ),
    "retention.deleted": gettext_lazy(
        "A record of yours was deleted because its retention period ended."
    ),
    "retention.anonymised": gettext_lazy(
        "A record of yours was anonymised because its retention period ended."
    ),
    "retention.identity_released": gettext_lazy(
        "Your identity was deleted: none of your applications is kept any longer."
    ),
}

PURPOSE_LEARNING = gettext_lazy("Your learning record was kept up to date.")
PURPOSE_OTHER = gettext_lazy("Your data was processed to deliver a service of the platform.")

# The words for the objects of the history, by "app_label.model".
OBJECT_NAMES: dict[str, Any] = {
    "cases.case": gettext_lazy("case"),
    "cases.submission": gettext_lazy("application"),
    "cases.document": gettext_lazy("document"),
    "cases.outcomedocument": gettext_lazy("outcome document"),
    "cases.suggestion": gettext_lazy("suggestion"),
    "accounts.user": gettext_lazy("account"),
    "accounts.consent": gettext_lazy("consent"),
    "complaints.complaint": gettext_lazy("complaint"),
    "privacy.datarequest": gettext_lazy("request about your data"),
}


def _purpose(action: str) -> str:
    if action in PURPOSES:
        return str(PURPOSES[action])
    if action.startswith("learning."):
        return str(PURPOSE_LEARNING)
    return str(PURPOSE_OTHER)


def _actor_description(event: AuditEvent, *, person: User) -> dict[str, str]:
    """Who acted, as far as the person may know: themselves, the system, an officer by name,
    position and agency, or an agency's system. Another citizen is never named."""
    actor = event.actor
    if actor is None:
        return {"name": _("The system"), "role": "", "agency": ""}
    if actor.pk == person.pk:
        return {"name": _("You"), "role": "", "agency": ""}
    employee = getattr(actor, "employee", None)
    if employee is not None:
        return {
            "name": actor.get_full_name() or actor.username,
            "role": employee.position or _("Officer"),
            "agency": employee.agency.name,
        }
    api_key = getattr(actor, "api_key", None)
    if api_key is not None:
        return {"name": _("A system of the agency"), "role": "", "agency": api_key.agency.name}
    if actor.is_staff or actor.is_superuser:
        return {
            "name": actor.get_full_name() or actor.username,
            "role": _("Operator"),
            "agency": "",
        }
    return {"name": _("Another user"), "role": "", "agency": ""}


def _history_rows(events, *, person: User) -> list[dict[str, Any]]:
    return [
        {
            "when": event.created_at,
            "action": event.action,
            "purpose": _purpose(event.action),
            "by": _actor_description(event, person=person),
            "object_type": str(OBJECT_NAMES.get(event.object_type, event.object_type)),
            "object_id": event.object_id,
            "cursor": event.pk,
        }
        for event in events
    ]


def _history_queryset(*, user: User):
    return AuditEvent.objects.filter(subject_id=user.pk).select_related(
        "actor__employee__agency", "actor__api_key__agency"
    )


@dataclass
class HistoryPage:
    rows: list[dict[str, Any]]
    next_after: int | None


def personal_data_history(
    *, user: User, after: str | None = None, limit: int = HISTORY_PAGE_SIZE
) -> HistoryPage:
    """A page of the processing history of ``user``'s data, newest first, after the event
    ``after`` of an earlier page (a keyset on the index of subject and time). An ``after`` that
    is not one of the person's events starts from the top."""
    events = _history_queryset(user=user).order_by("-created_at", "-id")
    if after:
        try:
            key = AuditEvent.objects.filter(subject_id=user.pk, pk=int(after)).values_list(
                "created_at", "id"
            )
            found = key.first()
        except ValueError:
            found = None
        if found is not None:
            events = events.filter(after_q(["created_at", "id"], found, descending=True))
    rows = list(events[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return HistoryPage(
        rows=_history_rows(rows, person=user), next_after=rows[-1].pk if more else None
    )


# The sections ----------------------------------------------------------------------------


def _account(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or "",
        "phone": user.phone,
        "language": user.language,
        "joined": user.date_joined,
        "last_login": user.last_login,
    }


def _citizen(user: User) -> dict[str, Any] | None:
    citizen = CitizenProfile.objects.filter(user_id=user.pk).first()
    if citizen is None:
        return None
    return {
        "nik": citizen.nik,
        "full_name": citizen.full_name,
        "birth_date": citizen.birth_date,
        "sex": citizen.get_sex_display(),
        "address": citizen.address,
        "region_code": citizen.region_code,
        "phone": citizen.phone,
        "email": citizen.email,
        "created": citizen.created_at,
        "updated": citizen.updated_at,
    }


def _employee(user: User) -> dict[str, Any] | None:
    employee = (
        EmployeeProfile.objects.filter(user_id=user.pk)
        .select_related("agency", "unit", "placement__position")
        .first()
    )
    if employee is None:
        return None
    placement = getattr(employee, "placement", None)
    centres = ServiceCentreStaff.objects.filter(user_id=user.pk).select_related("office")
    return {
        "nip": employee.nip or "",
        "agency": employee.agency.name,
        "unit": employee.unit.name if employee.unit else "",
        "position": employee.position,
        "placement": (
            {"position": placement.position.name, "since": placement.since} if placement else None
        ),
        "service_centres": [centre.office.name for centre in centres],
        "created": employee.created_at,
    }


def _businesses(user: User) -> list[dict[str, Any]]:
    links = BusinessRepresentative.objects.filter(user_id=user.pk).select_related("business")
    return [
        {
            "name": link.business.name,
            "nib": link.business.nib or "",
            "legal_form": link.business.get_legal_form_display(),
            "address": link.business.address,
            "position": link.position,
            "since": link.since,
        }
        for link in links.order_by("business__name", "id")
    ]


def _roles(user: User) -> list[dict[str, Any]]:
    roles = RoleAssignment.objects.filter(user_id=user.pk).select_related(
        "agency", "unit", "partner"
    )
    return [
        {
            "role": role.get_role_display(),
            "agency": role.agency.name if role.agency else "",
            "unit": role.unit.name if role.unit else "",
            "partner": role.partner.name if role.partner else "",
            "since": role.created_at,
        }
        for role in roles.order_by("role", "id")
    ]


def _consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "purpose": consent.purpose_text(),
            "purpose_code": consent.purpose_code,
            "datasets": list(consent.datasets),
            "granted": consent.granted,
            "decided": consent.decided_at,
            "withdrawn": consent.withdrawn_at,
        }
        for consent in Consent.objects.filter(user_id=user.pk).order_by("-decided_at", "-id")
    ]


def _document(document: Document) -> dict[str, Any]:
    return {
        "name": document.original_name,
        "type": document.content_type,
        "size": document.size,
        "requirement": document.requirement or document.field_key,
        "uploaded": document.created_at,
        "replaced": document.replaced,
    }


def _submissions(user: User) -> list[dict[str, Any]]:
    submissions = list(
        Submission.objects.filter(applicant_id=user.pk)
        .select_related("service_version__service", "life_event_version__life_event", "business")
        .defer("service_version__definition", "life_event_version__definition")
        .order_by("-created_at", "-id")
    )
    documents: dict[int, list[dict[str, Any]]] = {}
    for document in Document.objects.filter(submission__applicant_id=user.pk).order_by(
        "created_at", "id"
    ):
        documents.setdefault(document.submission_id, []).append(_document(document))
    return [
        {
            "tracking": submission.tracking or "",
            "subject": submission.subject.name,
            "on_behalf_of": submission.business.name if submission.business else "",
            "status": submission.get_status_display(),
            "created": submission.created_at,
            "submitted": submission.submitted_at,
            "answers": submission.answers,
            "registry_data": submission.registry_data,
            "documents": documents.get(submission.pk, []),
        }
        for submission in submissions
    ]


def _cases(user: User) -> list[dict[str, Any]]:
    cases = workflow_states_attach(
        list(
            Case.objects.filter(applicant_id=user.pk)
            .select_related("service", "agency", "unit", "submission", "outcome_document")
            .order_by("-submitted_at", "-id")
        )
    )
    messages: dict[int, list[dict[str, Any]]] = {}
    for message in Message.objects.filter(case__applicant_id=user.pk, internal=False).order_by(
        "created_at", "id"
    ):
        messages.setdefault(message.case_id, []).append(
            {
                "from": _("You") if message.author_id == user.pk else _("The agency"),
                "sent": message.created_at,
                "text": message.body,
            }
        )
    invitations = {
        invitation.case_id: invitation
        for invitation in SurveyInvitation.objects.filter(case__applicant_id=user.pk)
    }
    rows = []
    for case in cases:
        outcome = getattr(case, "outcome_document", None)
        invitation = invitations.get(case.pk)
        rows.append(
            {
                "tracking": case.submission.tracking or "",
                "service": case.service.name,
                "agency": case.agency.name,
                "unit": case.unit.name,
                "state": pick(case.workflow_states.get(case.state, {}).get("label")) or case.state,
                "open": case.is_open,
                "submitted": case.submitted_at,
                "due": case.due_date,
                "closed": case.closed_at,
                "answers": case.answers,
                "outcome_document": _outcome(outcome) if outcome else None,
                "messages": messages.get(case.pk, []),
                "survey_invitation": (
                    {
                        "sent": invitation.created_at,
                        "expires": invitation.expires_at,
                        "answered": invitation.answered,
                    }
                    if invitation
                    else None
                ),
            }
        )
    return rows


def _outcome(outcome: OutcomeDocument) -> dict[str, Any]:
    return {
        "number": outcome.number,
        "issued": outcome.issued_at,
        "valid_until": outcome.valid_until,
        "revoked": outcome.revoked_at,
        "revoked_reason": outcome.revoked_reason,
    }


def _complaints(user: User) -> list[dict[str, Any]]:
    # Complaints filed anonymously are not tied to the person, even when they were signed in.
    mine = Q(complainant_id=user.pk, is_anonymous=False)
    messages: dict[int, list[dict[str, Any]]] = {}
    for message in ComplaintMessage.objects.filter(
        complaint__complainant_id=user.pk, complaint__is_anonymous=False, internal=False
    ).order_by("created_at", "id"):
        messages.setdefault(message.complaint_id, []).append(
            {
                "from": message.get_sender_display(),
                "sent": message.created_at,
                "text": message.body,
            }
        )
    return [
        {
            "tracking": complaint.tracking,
            "kind": complaint.get_kind_display(),
            "status": complaint.get_status_display(),
            "title": complaint.title,
            "text": complaint.body,
            "agency": complaint.agency.name if complaint.agency else "",
            "confidential": complaint.is_confidential,
            "submitted": complaint.submitted_at,
            "closed": complaint.closed_at,
            "messages": messages.get(complaint.pk, []),
        }
        for complaint in Complaint.objects.filter(mine)
        .select_related("agency")
        .order_by("-submitted_at", "-id")
    ]


def _suggestions(user: User) -> list[dict[str, Any]]:
    return [
        {
            "life_event": suggestion.life_event.name,
            "services": list(suggestion.services),
            "status": suggestion.get_status_display(),
            "created": suggestion.created_at,
        }
        for suggestion in Suggestion.objects.filter(user_id=user.pk)
        .select_related("life_event")
        .order_by("-created_at", "-id")
    ]


def _notifications(user: User) -> list[dict[str, Any]]:
    return [
        {
            "title": notification.title,
            "text": notification.body,
            "sent": notification.created_at,
            "read": notification.read_at,
            "emailed": notification.emailed_at,
        }
        for notification in Notification.objects.filter(recipient_id=user.pk).order_by(
            "-created_at", "-id"
        )
    ]


def _learning(user: User) -> dict[str, list[dict[str, Any]]]:
    enrolments = Enrolment.objects.filter(learner_id=user.pk).select_related("course")
    bookings = SessionBooking.objects.filter(learner_id=user.pk).select_related("session__course")
    assessments = Assessment.objects.filter(employee__user_id=user.pk).select_related("competency")
    return {
        "enrolments": [
            {
                "course": enrolment.course.title,
                "status": enrolment.get_status_display(),
                "source": enrolment.get_source_display(),
                "progress": enrolment.progress,
                "enrolled": enrolment.created_at,
                "completed": enrolment.completed_at,
            }
            for enrolment in enrolments.order_by("-created_at", "-id")
        ],
        "sessions": [
            {
                "course": booking.session.course.title,
                "starts": booking.session.starts_at,
                "status": booking.get_status_display(),
                "attended": booking.attended_at,
            }
            for booking in bookings.order_by("-created_at", "-id")
        ],
        "jp_ledger": [
            {
                "year": entry.year,
                "jp": entry.jp,
                "source": entry.get_source_display(),
                "date": entry.occurred_on,
                "description": entry.description,
            }
            for entry in JpEntry.objects.filter(learner_id=user.pk).order_by("-occurred_on", "-id")
        ],
        "certificates": [
            {
                "number": certificate.number,
                "course": certificate.course.title,
                "holder_name": certificate.holder_name,
                "jp": certificate.jp,
                "issued": certificate.issued_at,
                "revoked": certificate.revoked_at,
            }
            for certificate in Certificate.objects.filter(learner_id=user.pk)
            .select_related("course")
            .order_by("-issued_at", "-id")
        ],
        "claims": [
            {
                "title": claim.title,
                "provider": claim.provider,
                "completed": claim.completed_on,
                "jp": claim.jp,
                "status": claim.get_status_display(),
                "reason": claim.reason,
                "created": claim.created_at,
            }
            for claim in LearningClaim.objects.filter(learner_id=user.pk).order_by(
                "-created_at", "-id"
            )
        ],
        "assessments": [
            {
                "competency": assessment.competency.name,
                "level": assessment.level,
                "source": assessment.get_source_display(),
                "assessed": assessment.assessed_on,
                "evidence": assessment.evidence,
            }
            for assessment in assessments.order_by("-assessed_on", "-created_at")
        ],
        "lessons": [
            {
                "course": progress.lesson.course.title,
                "lesson": progress.lesson.title,
                "completed": progress.completed_at,
                "best_score": progress.best_score,
            }
            for progress in LessonProgress.objects.filter(enrolment__learner_id=user.pk)
            .select_related("lesson__course")
            .order_by("-completed_at", "-id")
        ],
        "quiz_attempts": [
            {
                "course": attempt.lesson.course.title,
                "quiz": attempt.lesson.title,
                "score": attempt.score,
                "passed": attempt.passed,
                "answered": attempt.created_at,
                "answers": attempt.answers,
            }
            for attempt in QuizAttempt.objects.filter(enrolment__learner_id=user.pk)
            .select_related("lesson__course")
            .order_by("-created_at", "-id")
        ],
        "xapi_statements": [
            {
                "id": str(statement.public_id),
                "stored": statement.stored,
                "voided": statement.voided,
                "statement": statement.payload,
            }
            for statement in statements_about(agents=_xapi_agents(user))
        ],
    }


def _xapi_agents(user: User) -> list[dict[str, Any]]:
    """The identifiers by which learning records name the person: their account on this
    platform (``learning.statements``: the employee profile's public id) and their e-mail
    address, plain or as its SHA-1 digest."""
    agents: list[dict[str, Any]] = []
    employee_id = (
        EmployeeProfile.objects.filter(user_id=user.pk).values_list("public_id", flat=True).first()
    )
    if employee_id is not None:
        home = settings.SATUPINTU_PUBLIC_URL.rstrip("/")
        agents += [
            {"account": {"homePage": page, "name": str(employee_id)}} for page in (home, home + "/")
        ]
    if user.email:
        for address in dict.fromkeys((user.email, user.email.lower())):
            mbox = f"mailto:{address}"
            digest = hashlib.sha1(mbox.encode(), usedforsecurity=False).hexdigest()
            agents += [{"mbox": mbox}, {"mbox_sha1sum": digest}]
    return agents


def _data_requests(user: User) -> list[dict[str, Any]]:
    return [
        {
            "reference": item.tracking,
            "kind": item.get_kind_display(),
            "about": item.subject_text,
            "proposed_value": item.proposed_value,
            "reason": item.reason,
            "status": item.get_status_display(),
            "received": item.received_at,
            "due": item.due_at,
            "answered": item.answered_at,
            "answer": item.answer,
        }
        for item in DataRequest.objects.filter(requester_id=user.pk).order_by("-received_at", "-id")
    ]


def personal_data_collect(*, user: User, with_history: bool = True) -> dict[str, Any]:
    """Everything the platform holds about ``user``, by section, and (``with_history``) the
    whole history of its processing, newest first.

    The values are Python values (dates, decimals) that Django's JSON encoder writes. File
    contents are not included: documents are listed by name, type, size and date. Survey
    answers are not included because they are anonymous by construction and tied to no one.
    The number of queries does not depend on how much the person has.
    """
    is_employee = EmployeeProfile.objects.filter(user_id=user.pk).exists()
    data: dict[str, Any] = {
        "generated": timezone.now(),
        "account": _account(user),
        "citizen": _citizen(user),
        "employee": _employee(user) if is_employee else None,
        "businesses": _businesses(user),
        "roles": _roles(user),
        "consents": _consents(user),
        "submissions": _submissions(user),
        "cases": _cases(user),
        "complaints": _complaints(user),
        "suggestions": _suggestions(user),
        "notifications": _notifications(user),
        "learning": _learning(user),
        "data_requests": _data_requests(user),
    }
    if with_history:
        events = _history_queryset(user=user).order_by("-created_at", "-id")
        data["history"] = [
            {key: value for key, value in row.items() if key != "cursor"}
            for row in _history_rows(events, person=user)
        ]
    return data


def personal_data_export_record(*, user: User, channel: str) -> None:
    """Record that ``user`` took a copy of their data (``channel``: "page", "file", "api")."""
    audit_record(
        actor=user,
        action="personal_data.exported",
        target=user,
        subject=user,
        details={"channel": channel},
    )


def export_file_name() -> str:
    """A file name that says what the file is and when, and nothing about whom."""
    return f"satupintu-data-{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:8]}.json"
