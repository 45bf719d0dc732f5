"""A data subject's requests: filed by the person (:func:`data_request_file`), answered by a
data protection officer within 3×24 hours by correcting the data
(:func:`data_request_correct`), carrying out the deletion by the retention rules
(:func:`data_request_erase`) or refusing with a reason (:func:`data_request_refuse`).

Every answer is recorded on the request, audited with the person as subject (so that it is
in their history of processing) and told to the person.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from satupintu.accounts.constants import Sex
from satupintu.accounts.models import CitizenProfile, User
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.identifiers import validate_nik
from satupintu.core.services import audit_record
from satupintu.core.tracking import generate
from satupintu.notifications.selectors import recipient_language
from satupintu.privacy import notices, selectors
from satupintu.privacy.constants import (
    CITIZEN_FIELDS,
    RESPONSE_TIME,
    CorrectableField,
    DeletionScope,
    RecordKind,
    RequestKind,
    RequestStatus,
)
from satupintu.privacy.models import DataRequest
from satupintu.privacy.services.retention import records_erase

VALUE_MAX_LENGTH = 300
REASON_MAX_LENGTH = 2000


def invalid(path: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, status=422, errors=[{"path": path, "message": message}])


# Filing -----------------------------------------------------------------------------------


@transaction.atomic
def data_request_file(
    *,
    requester: User,
    kind: str,
    field: str = "",
    proposed_value: str = "",
    scope: str = "",
    reason: str = "",
) -> DataRequest:
    """File ``requester``'s request to correct (``field``, ``proposed_value``) or delete
    (``scope``) their data. It is due 3×24 hours from now; the data protection officers are
    told. Asking again for a deletion that is still open is refused (409)."""
    if not getattr(requester, "is_authenticated", False) or not requester.is_active:
        raise Forbidden(_("Sign in to ask about your data."))
    proposed_value, reason = proposed_value.strip(), reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise invalid("reason", _("Write at most 2000 characters."))
    if kind == RequestKind.CORRECTION:
        if field not in CorrectableField.values:
            raise invalid("field", _("Choose which data is wrong."))
        if not proposed_value:
            raise invalid("proposed_value", _("Write what it should be."))
        if len(proposed_value) > VALUE_MAX_LENGTH:
            raise invalid("proposed_value", _("Write at most 300 characters."))
        if field in CITIZEN_FIELDS and not CitizenProfile.objects.filter(user=requester).exists():
            raise invalid(
                "field",
                _("Your account has no citizen profile that holds this data."),
                "no_citizen_profile",
            )
        scope = ""
    elif kind == RequestKind.DELETION:
        if scope not in DeletionScope.values:
            raise invalid("scope", _("Choose what to delete."))
        if selectors.has_open_deletion(user=requester, scope=scope):
            raise _already_asked()
        field = proposed_value = ""
    else:
        raise invalid("kind", _("Choose a correction or a deletion."))
    now = timezone.now()
    try:
        with transaction.atomic():
            data_request = DataRequest.objects.create(
                tracking=generate(),
                requester=requester,
                kind=kind,
                field=field,
                proposed_value=proposed_value,
                scope=scope,
                reason=reason,
                received_at=now,
                due_at=now + RESPONSE_TIME,
            )
    except IntegrityError as exc:  # the same deletion asked twice at once
        raise _already_asked() from exc
    audit_record(
        actor=requester,
        action="data_request.filed",
        target=data_request,
        subject=requester,
        details={"kind": kind, "field": field, "scope": scope},
    )
    notices.request_received(data_request)
    return data_request


def _already_asked() -> Conflict:
    return Conflict(
        _("You have already asked for this deletion; it is being handled."),
        code="already_requested",
    )


# Answering --------------------------------------------------------------------------------


def _open_for_answer(data_request: DataRequest, actor: User, kind: str | None = None):
    if not selectors.privacy_scope(actor).handles:
        raise Forbidden(_("Only a data protection officer answers requests about personal data."))
    locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if locked.status != RequestStatus.OPEN:
        raise Conflict(_("This request has already been answered."), code="already_answered")
    if kind is not None and locked.kind != kind:
        raise Conflict(_("This is not that kind of request."), code="wrong_kind")
    return locked


def _close(data_request: DataRequest, *, actor: User, status: str, answer: str, outcome=None):
    data_request.status = status
    data_request.answered_at = timezone.now()
    data_request.handled_by = actor
    data_request.answer = answer
    if outcome is not None:
        data_request.outcome = outcome
    data_request.save()


def data_request_view(*, data_request: DataRequest, actor: User) -> None:
    """Record that an officer opened the request and the person's data shown with it."""
    audit_record(
        actor=actor,
        action="data_request.viewed",
        target=data_request,
        subject=data_request.requester,
    )


@transaction.atomic
def data_request_refuse(*, data_request: DataRequest, actor: User, reason: str) -> DataRequest:
    """Refuse the request, saying why (the person's identity could not be verified, a law
    keeps the data…)."""
    reason = reason.strip()
    if not reason:
        raise invalid("reason", _("Say why the request is refused."))
    if len(reason) > REASON_MAX_LENGTH:
        raise invalid("reason", _("Write at most 2000 characters."))
    data_request = _open_for_answer(data_request, actor)
    _close(data_request, actor=actor, status=RequestStatus.REFUSED, answer=reason)
    audit_record(
        actor=actor,
        action="data_request.refused",
        target=data_request,
        subject=data_request.requester,
        details={"kind": data_request.kind},
    )
    notices.request_answered(data_request)
    return data_request


# Correction -------------------------------------------------------------------------------

_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


def _corrected_value(field: str, value, *, user: User, citizen: CitizenProfile | None):
    """``value`` checked for ``field``, in the form it is stored in."""
    if isinstance(value, str):
        value = value.strip()
    if value in ("", None):
        raise invalid("value", _("Write the corrected value."))
    if field in CITIZEN_FIELDS and citizen is None:
        raise invalid("field", _("This person has no citizen profile."), "no_citizen_profile")
    if field == CorrectableField.NAME:
        if len(value) > 150:
            raise invalid("value", _("A name has at most 150 characters."))
        return value
    if field == CorrectableField.NIK:
        result = validate_nik(value, birth_date=citizen.birth_date, sex=citizen.sex)
        if not result.is_valid:
            raise invalid("value", " ".join(result.errors))
        taken = CitizenProfile.objects.filter(nik=result.value).exclude(pk=citizen.pk).exists()
        if taken:
            raise invalid("value", _("Another account has this NIK."), "nik_taken")
        return result.value
    if field == CorrectableField.BIRTH_DATE:
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError as exc:
                raise invalid("value", _("Write the date as YYYY-MM-DD.")) from exc
        if not datetime.date(1900, 1, 1) <= value <= timezone.localdate():
            raise invalid("value", _("The date of birth must be in the past."))
        return value
    if field == CorrectableField.SEX:
        if value not in Sex.values:
            raise invalid("value", _("Choose male or female."))
        return value
    if field == CorrectableField.ADDRESS:
        if len(value) > 300:
            raise invalid("value", _("An address has at most 300 characters."))
        return value
    if field == CorrectableField.REGION_CODE:
        code = re.sub(r"[.\s]", "", value)
        if not (code.isascii() and code.isdigit()) or not 2 <= len(code) <= 13:
            raise invalid("value", _("A region code has 2 to 13 digits."))
        return code
    if field == CorrectableField.PHONE:
        if not _PHONE.match(value):
            raise invalid("value", _("Write a phone number of digits, such as 081234567890."))
        return value
    if field == CorrectableField.EMAIL:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise invalid("value", _("Write a valid e-mail address.")) from exc
        taken = get_user_model().objects.filter(email__iexact=value).exclude(pk=user.pk)
        if taken.exists():
            raise invalid("value", _("Another account has this e-mail address."), "email_taken")
        return value
    raise invalid("field", _("Choose which data to correct."))


def _apply(field: str, value, *, user: User, citizen: CitizenProfile | None) -> None:
    if field == CorrectableField.NAME:
        user.first_name, user.last_name = value[:150], ""
        if citizen is not None:
            citizen.full_name = value
    elif field == CorrectableField.PHONE:
        user.phone = value[:20]
        if citizen is not None:
            citizen.phone = value
    elif field == CorrectableField.EMAIL:
        user.email = value
        if citizen is not None:
            citizen.email = value
    else:
        setattr(citizen, field, value)
    user.save()
    if citizen is not None:
        citizen.save()


@transaction.atomic
def data_request_correct(
    *, data_request: DataRequest, actor: User, field: str, value, answer: str = ""
) -> DataRequest:
    """Correct the person's ``field`` to ``value`` in their account and citizen profile, and
    close the request. The officer may correct another field than the one named (a request
    about "something else" names none)."""
    if len(answer.strip()) > REASON_MAX_LENGTH:
        raise invalid("answer", _("Write at most 2000 characters."))
    data_request = _open_for_answer(data_request, actor, RequestKind.CORRECTION)
    user = User.objects.select_for_update().get(pk=data_request.requester_id)
    citizen = CitizenProfile.objects.select_for_update().filter(user_id=user.pk).first()
    if field not in CorrectableField.values or field == CorrectableField.OTHER:
        raise invalid("field", _("Choose which data to correct."))
    value = _corrected_value(field, value, user=user, citizen=citizen)
    _apply(field, value, user=user, citizen=citizen)
    _close(
        data_request,
        actor=actor,
        status=RequestStatus.DONE,
        answer=answer.strip(),
        outcome={"corrected": field},
    )
    audit_record(
        actor=actor,
        action="personal_data.corrected",
        target=data_request,
        subject=user,
        details={"field": field},
    )
    notices.request_answered(data_request)
    return data_request


# Deletion ---------------------------------------------------------------------------------


def _answer_mail(data_request: DataRequest, plan: list) -> tuple[str, str]:
    """The answer to a deletion that closed the account, for the e-mail (in the active
    language)."""
    lines = [
        _("Your data was deleted as you asked (request %(tracking)s).")
        % {"tracking": data_request.tracking},
        "",
    ]
    kept = [row for row in plan if row.what == selectors.KEEP]
    if kept:
        lines.append(_("A law requires us to keep the following:"))
        for row in kept:
            if row.until:
                lines.append(
                    _("- %(kind)s (%(count)d): kept until %(until)s.")
                    % {
                        "kind": selectors.kind_label(row.kind),
                        "count": row.count,
                        "until": formats.date_format(row.until, "j F Y"),
                    }
                )
            else:
                lines.append(
                    _("- %(kind)s (%(count)d): kept.")
                    % {"kind": selectors.kind_label(row.kind), "count": row.count}
                )
        lines.append("")
    lines.append(_("Your account is closed: you can no longer sign in with it."))
    if data_request.answer:
        lines += ["", data_request.answer]
    return (_("Your data was deleted"), "\n".join(lines))


@transaction.atomic
def data_request_erase(*, data_request: DataRequest, actor: User, answer: str = "") -> DataRequest:
    """Carry out a deletion by the retention rules, all of it in this transaction: what may go
    is deleted or anonymised now; what a law keeps stays, and the answer lists it with its
    legal basis and the date it is released. Files go once the transaction commits.

    A deletion of everything closes the account; its answer then goes by e-mail to the
    address the account had, since the account has neither any longer."""
    if len(answer.strip()) > REASON_MAX_LENGTH:
        raise invalid("answer", _("Write at most 2000 characters."))
    data_request = _open_for_answer(data_request, actor, RequestKind.DELETION)
    user = User.objects.select_for_update().get(pk=data_request.requester_id)
    address, language = user.email or "", recipient_language(user)
    holdings = selectors.person_holdings(user=user)
    plan = selectors.deletion_plan(user=user, scope=data_request.scope, holdings=holdings)
    rules = selectors.retention_rules()
    keep_identity = any(row.kind == selectors.IDENTITY for row in plan)
    erased: dict[str, int] = {}
    for kind in selectors.scope_kinds(data_request.scope):
        count = records_erase(
            user=user, kind=kind, holding=holdings[kind], rules=rules, keep_identity=keep_identity
        )
        if count:
            erased[kind] = count
    _close(
        data_request,
        actor=actor,
        status=RequestStatus.DONE,
        answer=answer.strip(),
        outcome={"rows": [row.as_dict() for row in plan]},
    )
    audit_record(
        actor=actor,
        action="personal_data.erased",
        target=data_request,
        subject=user,
        details={
            "scope": data_request.scope,
            "erased": erased,
            "kept": {row.kind: row.count for row in plan if row.what == selectors.KEEP},
        },
    )
    closed = RecordKind.ACCOUNT in erased
    if closed:
        notices.mail_after_commit(
            address=address, language=language, render=lambda: _answer_mail(data_request, plan)
        )
    else:
        notices.request_answered(data_request)
    return data_request
