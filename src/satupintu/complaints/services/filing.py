"""Filing a report: identity, anonymity, the follow-up code and idempotency."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.cases.constants import Actor
from satupintu.cases.models import Case
from satupintu.cases.selectors import roles_on_case
from satupintu.catalog.models import Service
from satupintu.complaints import codes
from satupintu.complaints.constants import (
    BODY_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ComplaintKind,
    EventKind,
    Sender,
    Step,
)
from satupintu.complaints.models import Complaint
from satupintu.complaints.services.common import (
    event_add,
    invalid,
    notify_on_commit,
    start_step,
    text_checked,
    today_or_now,
)
from satupintu.core.errors import Conflict, DomainError
from satupintu.core.language import active_language
from satupintu.core.services import audit_record
from satupintu.organisations.models import Agency, Unit

# An anonymous caller's Idempotency-Key is as good as its follow-up code (a retry with it
# shows the code again), so it must be hard to guess.
ANONYMOUS_KEY_MIN_LENGTH = 16
IDEMPOTENCY_KEY_MAX_LENGTH = 128


# Filing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filed:
    """A complaint as filing left it. ``code`` is the follow-up code of a complainant without
    an account: shown once, never stored (None for an account, and on a replay whose code can
    no longer be derived). ``replayed`` is true when an earlier call with the same
    idempotency key made it."""

    complaint: Complaint
    code: str | None
    replayed: bool


def _idempotency_key(key: str, *, signed_in: bool) -> str:
    key = (key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise DomainError(
            _("The Idempotency-Key header may have at most %(count)d characters.")
            % {"count": IDEMPOTENCY_KEY_MAX_LENGTH},
            code="invalid_idempotency_key",
        )
    if key and not signed_in and len(key) < ANONYMOUS_KEY_MIN_LENGTH:
        raise DomainError(
            _(
                "Without signing in, the Idempotency-Key must have at least %(count)d "
                "characters: use a random one, such as a UUID."
            )
            % {"count": ANONYMOUS_KEY_MIN_LENGTH},
            code="weak_idempotency_key",
        )
    return key


def _earlier(actor, key: str) -> Filed | None:
    """What a call with the same idempotency key made before, if anything."""
    if not key:
        return None
    stored = codes.key_hash(key)
    if getattr(actor, "is_authenticated", False):
        earlier = Complaint.objects.filter(complainant=actor, idempotency_key=stored).first()
        return Filed(earlier, None, True) if earlier else None
    earlier = Complaint.objects.filter(complainant__isnull=True, idempotency_key=stored).first()
    if earlier is None:
        return None
    code = codes.code_derive(idempotency_key=key, public_id=earlier.public_id)
    matches = codes.code_matches(
        tracking_number=earlier.tracking, code=code, stored=earlier.follow_up_code_hash
    )
    return Filed(earlier, code if matches else None, True)


def _subject(
    actor, *, service: Service | None, agency: Agency | None, case: Case | None
) -> tuple[Service | None, Agency | None, Unit | None]:
    """The service, the responsible agency candidate and its unit: the case's when the
    complaint is about one of the complainant's cases, else the service's, else the agency."""
    if case is not None:
        if not getattr(actor, "is_authenticated", False) or Actor.APPLICANT not in roles_on_case(
            actor, case
        ):
            raise invalid("case", _("You have no such case."), "unknown_case")
        return case.service, case.agency, case.unit
    if service is not None:
        return service, service.agency, service.unit
    return None, agency, None


@transaction.atomic
def complaint_file(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    service: Service | None = None,
    agency: Agency | None = None,
    case: Case | None = None,
    anonymous: bool = False,
    confidential: bool = False,
    name: str = "",
    email: str = "",
    phone: str = "",
    idempotency_key: str = "",
    today: datetime.date | None = None,
) -> Filed:
    """File a complaint, an aspiration, an information request or a whistle-blowing report.

    ``actor`` is the signed-in person, or an anonymous user (no account): then the answer
    carries a follow-up code, which with the report number opens the complaint. A signed-in
    complainant's identity is their account's; without an account ``name``, ``email`` and
    ``phone`` are what they left. ``anonymous`` hides the identity from everyone who works
    the complaint and keeps no name and no phone (an e-mail or the account only serves to
    tell them of news); ``confidential`` keeps the complaint off every public page.

    The same ``idempotency_key`` again returns the first complaint (``replayed``) whatever
    the rest says; without an account the key must be at least 16 characters.
    """
    signed_in = getattr(actor, "is_authenticated", False)
    key = _idempotency_key(idempotency_key, signed_in=signed_in)
    earlier = _earlier(actor, key)
    if earlier is not None:
        return earlier

    if kind not in ComplaintKind.values:
        raise invalid("kind", _("Choose what kind of report this is."), "invalid_kind")
    title = text_checked(
        title, path="title", limit=TITLE_MAX_LENGTH, required=_("Give your report a title.")
    )
    body = text_checked(
        body, path="body", limit=BODY_MAX_LENGTH, required=_("Describe what happened.")
    )
    service, agency, unit = _subject(actor, service=service, agency=agency, case=case)
    if signed_in:
        name = email = phone = ""
    else:
        name = text_checked(name, path="name", limit=NAME_MAX_LENGTH)
        phone = text_checked(phone, path="phone", limit=PHONE_MAX_LENGTH)
        email = text_checked(email, path="email", limit=254)
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise invalid(
                    "email", _("Enter an e-mail address such as nama@contoh.id."), "invalid_email"
                ) from exc
        if anonymous:
            name = phone = ""  # an anonymous complaint keeps no identity; the e-mail only tells

    today = today_or_now(today)
    complaint = Complaint(
        kind=kind,
        title=title,
        body=body,
        service=service,
        agency=agency,
        unit=unit,
        case=case,
        complainant=actor if signed_in else None,
        name=name,
        email=email,
        phone=phone,
        language=active_language(),
        is_anonymous=anonymous,
        is_confidential=confidential,
        idempotency_key=codes.key_hash(key),
        submitted_at=timezone.now(),
    )
    start_step(complaint, Step.VERIFY, today)
    code = None
    if not signed_in:
        code = (
            codes.code_derive(idempotency_key=key, public_id=complaint.public_id)
            if key
            else codes.code_generate()
        )
    for _attempt in range(5):
        complaint.tracking = codes.tracking_generate()
        if code:
            complaint.follow_up_code_hash = codes.code_hash(
                tracking_number=complaint.tracking, code=code
            )
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:
            # Another call with the same key won the race, or (rarely) the number was taken.
            if (earlier := _earlier(actor, key)) is not None:
                return earlier
    else:  # pragma: no cover - five random numbers taken in a row
        raise Conflict(_("Please try again."), code="tracking_conflict")

    # An anonymous complainant's account is kept on the complaint only, so that they can
    # follow it: the timeline and the audit trail do not name it.
    named = actor if signed_in and not anonymous else None
    event_add(complaint, EventKind.FILED, by=Sender.COMPLAINANT, actor=named, data={"kind": kind})
    audit_record(
        actor=named,
        action="complaint.filed",
        target=complaint,
        subject=named,
        details={"kind": kind, "anonymous": anonymous, "confidential": confidential},
    )
    notify_on_commit("filed", complaint)
    return Filed(complaint, code, False)
