"""Claims for learning done elsewhere: a learner asks HR to count a course, a seminar or a
training they followed outside Learn towards their 20 JP, with its certificate.

Rules:
- A learner claims for themselves: what they learned, who organised it, when it ended (not
  in the future; this year or last year), its lesson hours (0.5 to 200 JP), and the
  certificate: a PDF, JPEG or PNG file of at most 5 MB. The type is read from the file's
  bytes, whatever its name says; the file is stored under an opaque name.
- HR of the learner's agency (or of the whole government) decide, never on their own claim.
  A refusal says why. An approved claim credits its JP to the learner's ledger in the year
  the learning was completed (source CLAIM, key ``claim:<public id>``).
- The certificate is seen only by the learner and HR who may decide on the claim.
"""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.models import EmployeeProfile
from satupintu.core.errors import Conflict, Forbidden, NotFound
from satupintu.core.services import audit_record
from satupintu.core.uploads import UploadRefused, upload_type
from satupintu.learning.constants import ClaimStatus, JpSource
from satupintu.learning.models import LearningClaim
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.services.ledger import jp_credit
from satupintu.learning.services.notices import learner_notify
from satupintu.learning.services.sessions import REASON_MAX_LENGTH, invalid

CLAIM_JP_MIN = Decimal("0.5")
CLAIM_JP_MAX = Decimal(200)
CERTIFICATE_MAX_MB = 5
TEXT_MAX_LENGTH = 200
# The types a certificate may be, and the extension it is stored with.
CERTIFICATE_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


def claim_key(claim: LearningClaim) -> str:
    """The ledger key of an approved claim."""
    return f"claim:{claim.public_id}"


def _certificate_refused(code: str) -> Exception:
    messages = {
        "empty_file": _("The certificate file is empty. Upload it again: a PDF, JPEG or PNG file."),
        "file_too_large": _(
            "The certificate file is larger than %(mb)s MB. Upload a smaller PDF, JPEG or PNG "
            "file, for example a scan at a lower resolution."
        )
        % {"mb": CERTIFICATE_MAX_MB},
        "file_type_not_allowed": _(
            "The certificate must be a PDF, JPEG or PNG file, whatever its name says. Save or "
            "scan it in one of these types and upload it again."
        ),
        "invalid_file": _(
            "The certificate file seems incomplete or damaged. Upload the PDF, JPEG or PNG "
            "file again."
        ),
    }
    return invalid("certificate", messages[code], code=code)


def certificate_type(upload) -> str:
    """The content type of an uploaded certificate, read from its bytes: one of
    ``CERTIFICATE_TYPES``, else refused (with codes ``empty_file``, ``file_too_large``,
    ``file_type_not_allowed``, ``invalid_file``)."""
    try:
        return upload_type(upload, accept=CERTIFICATE_TYPES, max_mb=CERTIFICATE_MAX_MB)
    except UploadRefused as refused:
        raise _certificate_refused(refused.code) from None


def _check_jp(jp) -> Decimal:
    try:
        value = Decimal(str(jp))
    except (InvalidOperation, ValueError, TypeError):
        value = None
    if value is None or not value.is_finite():
        raise invalid("jp", _("Enter the lesson hours as a number, such as 8 or 2.5."))
    if value < CLAIM_JP_MIN or value > CLAIM_JP_MAX:
        raise invalid(
            "jp",
            _(
                "A claim counts between %(min)s and %(max)s JP. One JP is a lesson hour of 45 "
                "minutes."
            )
            % {"min": CLAIM_JP_MIN, "max": CLAIM_JP_MAX},
        )
    if value != value.quantize(Decimal("0.1")):
        raise invalid("jp", _("Give the lesson hours with at most one decimal, such as 2.5."))
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def claim_create(
    *,
    learner,
    title: str,
    provider: str,
    completed_on: datetime.date,
    jp: Decimal,
    certificate: UploadedFile,
    actor,
) -> LearningClaim:
    """Ask HR to count learning done elsewhere towards ``learner``'s 20 JP (see the module's
    rules). Nothing is stored when anything is refused."""
    if actor is None or actor.pk != learner.pk:
        raise Forbidden(_("Only the learner can claim their own learning."), code="not_allowed")
    if not learning_access(learner).is_learner:
        raise Forbidden(
            _("Claims are for employees. Sign in with your employee account."),
            code="not_an_employee",
        )
    title = " ".join((title or "").split())[:TEXT_MAX_LENGTH]
    provider = " ".join((provider or "").split())[:TEXT_MAX_LENGTH]
    if not title:
        raise invalid("title", _("Say what you learned, for example the course's name."))
    if not provider:
        raise invalid(
            "provider", _("Say who organised it, for example a university or a ministry.")
        )
    today = timezone.localdate()
    if completed_on is None:
        raise invalid("completed_on", _("Give the date the learning ended."))
    if completed_on > today:
        raise invalid(
            "completed_on", _("The date is in the future. Claim learning once it is completed.")
        )
    if completed_on.year < today.year - 1:
        raise invalid(
            "completed_on",
            _("Only learning completed this year or last year (%(year)s) can be claimed.")
            % {"year": today.year - 1},
        )
    jp = _check_jp(jp)
    content_type = certificate_type(certificate)
    claim = LearningClaim(
        learner=learner, title=title, provider=provider, completed_on=completed_on, jp=jp
    )
    stored = ""
    try:
        certificate.seek(0)
        claim.certificate.save(
            f"{uuid.uuid4().hex}{CERTIFICATE_TYPES[content_type]}", certificate, save=False
        )
        stored = claim.certificate.name
        claim.save()
        audit_record(
            actor=actor,
            action="learning.claim_created",
            target=claim,
            subject=learner,
            details={"jp": str(jp), "completed_on": completed_on.isoformat()},
        )
    except BaseException:
        if stored:
            claim.certificate.storage.delete(stored)
        raise
    return claim


@transaction.atomic
def claim_decide(*, claim: LearningClaim, approve: bool, actor, reason: str = "") -> LearningClaim:
    """Approve or refuse a pending claim as HR of the learner's agency. Approving credits
    the claim's JP to the learner's ledger; refusing needs a ``reason`` for the learner."""
    claim = (
        LearningClaim.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=claim.pk)
    )
    learner = claim.learner
    employee = EmployeeProfile.objects.filter(user_id=learner.pk).first()
    if actor is None or not learning_access(actor).covers_hr(employee):
        raise NotFound(_("There is no such claim among those of your agency."))
    if actor.pk == learner.pk:
        raise Forbidden(
            _("You cannot decide on your own claim. Another HR officer decides it."),
            code="own_claim",
        )
    if claim.status != ClaimStatus.PENDING:
        raise Conflict(
            _("This claim has already been decided: %(status)s.")
            % {"status": claim.get_status_display()},
            code="already_decided",
        )
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    if not approve and not reason:
        raise invalid(
            "reason", _("Say why you refuse the claim: the employee reads it and may claim again.")
        )
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.claim_approved" if approve else "learning.claim_refused",
        target=claim,
        subject=learner,
        details={"jp": str(claim.jp), "reason": reason},
    )
    if approve:
        jp_credit(
            learner=learner,
            jp=claim.jp,
            source=JpSource.CLAIM,
            key=claim_key(claim),
            occurred_on=claim.completed_on,
            description=claim.title,
            claim=claim,
            actor=actor,
        )

    def render() -> tuple[str, str]:
        if approve:
            return (
                _("Claim approved: %(title)s") % {"title": claim.title},
                _("HR approved your claim: %(jp)s JP are added to your lesson hours of %(year)s.")
                % {"jp": claim.jp, "year": claim.completed_on.year},
            )
        return (
            _("Claim not approved: %(title)s") % {"title": claim.title},
            _("HR did not approve your claim. Reason: %(reason)s") % {"reason": reason},
        )

    learner_notify(
        recipient=learner,
        kind="claim_decided",
        key=str(claim.public_id),
        render=render,
        url_name="learning:claims",
    )
    return claim
