"""Uploaded files: the documents an applicant attaches to the form of a draft application,
files sent in a case's messages, and opening a stored file for the people who may see it.

Every upload is checked the same way before anything is stored:

- not empty, and not larger than the limit (the field's ``max_mb``, else its requirement's,
  else ``SATUPINTU_UPLOAD_MAX_MB``), counted while the file is read, whatever size the
  browser declared;
- its real type, read from its bytes (``puremagic``), is one that the field accepts (its
  ``accept``, else its requirement's, else PDF, JPEG and PNG). The name and the declared
  content type are ignored: a program, a web page or an SVG renamed ``.pdf`` is refused;
- a PDF ends as a PDF does (``%%EOF``): a file cut short by a dropped connection is refused
  rather than sent to an officer who cannot open it.

Files go through Django's default storage (the disk, or S3-compatible storage) under an
opaque name; the SHA-256 of the content is kept. A new upload for a field replaces the
previous one, which stays in the history (``replaced``). When anything fails, nothing is
written: neither a row nor a file.
"""

import hashlib
import re
import unicodedata
import zipfile
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.cases.answers.fields import (
    DEFAULT_ACCEPT,
    accepted_types,
    megabytes,
    size_limit_mb,
    type_names,
)
from satupintu.cases.constants import Actor, EventKind, SubmissionStatus
from satupintu.cases.models import Case, CaseEvent, Document, Message, Submission
from satupintu.cases.selectors import roles_on_case, staff_scope
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.core.services import audit_record

MB = 1024 * 1024
_CHUNK = 64 * 1024
_PDF_TAIL = 2048
_NAME_MAX_LENGTH = 200
# ``<key>`` or ``<group>[<index>].<key>``: the path of a file field, as in error paths.
_FIELD_KEY = re.compile(r"([a-z][a-z0-9_]*)(?:\[(\d{1,4})\]\.([a-z][a-z0-9_]*))?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f/\\]")
# Other names of the same types, in definitions or in the detector's answers.
_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
    "image/x-png": "image/png",
}
# Office Open XML files are ZIP archives; the folder inside tells which kind.
_OOXML_FOLDERS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt/",
}


# Checks ----------------------------------------------------------------------------------------


class _Rules:
    """What one upload may be: its types and its size limit, and the messages that name them."""

    def __init__(self, types: list[str], limit_mb: float):
        self.types = [_ALIASES.get(t, t) for t in types]
        self.limit_mb = limit_mb
        self.limit = int(limit_mb * MB)

    def refuse(self, code: str, status: int = 422, **values) -> DomainError:
        names = {"types": type_names(self.types), "mb": megabytes(self.limit_mb), **values}
        message = {
            "empty_file": _(
                "The file is empty (0 bytes). Upload the %(types)s file again, at most %(mb)s MB."
            ),
            "file_too_large": _(
                "The file is %(size)s MB; the limit is %(mb)s MB. Upload a smaller %(types)s "
                "file, for example a photo taken at a lower resolution or a scan in black "
                "and white."
            ),
            "file_type_not_allowed": _(
                "This file is not a %(types)s file, whatever its name says. Upload a "
                "%(types)s file of at most %(mb)s MB; a photo or a scan saved in one of these "
                "types is fine."
            ),
            "invalid_file": _(
                "The file seems incomplete or damaged. Upload the %(types)s file again, at "
                "most %(mb)s MB."
            ),
        }[code]
        return DomainError(message % names, code=code, status=status)


def _read(upload: UploadedFile, rules: _Rules) -> tuple[int, str]:
    """Size and SHA-256 of the upload, read in chunks; refused as soon as it is too large."""
    if upload is None or not hasattr(upload, "chunks"):
        raise rules.refuse("invalid_file")
    declared = getattr(upload, "size", None)
    if declared and declared > rules.limit:
        raise rules.refuse("file_too_large", status=413, size=megabytes(round(declared / MB, 1)))
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in upload.chunks(_CHUNK):
            size += len(chunk)
            if size > rules.limit:
                raise rules.refuse(
                    "file_too_large",
                    status=413,
                    size=_("more than %(mb)s") % {"mb": megabytes(rules.limit_mb)},
                )
            digest.update(chunk)
    except OSError:
        raise rules.refuse("invalid_file") from None
    if size == 0:
        raise rules.refuse("empty_file")
    return size, digest.hexdigest()


def _candidates(upload: UploadedFile) -> set[str]:
    """The content types the bytes most likely are (the detector's best matches)."""
    upload.seek(0)
    try:
        # No file name: the detector would otherwise trust the extension.
        matches = puremagic.magic_stream(upload)
    except (puremagic.PureError, ValueError, OSError):
        matches = []
    finally:
        upload.seek(0)
    if not matches:
        return set()
    best = max(match.confidence for match in matches)
    return {
        _ALIASES.get(match.mime_type, match.mime_type)
        for match in matches
        if match.confidence == best and match.mime_type
    }


def _confirmed(content_type: str, upload: UploadedFile, size: int) -> bool:
    """Checks beyond the first bytes, for types whose signature says too little."""
    try:
        if content_type == "application/pdf":
            upload.seek(max(size - _PDF_TAIL, 0))
            return b"%%EOF" in upload.read(_PDF_TAIL)
        if content_type in _OOXML_FOLDERS:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
            folder = _OOXML_FOLDERS[content_type]
            return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
        return True
    except (OSError, zipfile.BadZipFile):
        return False
    finally:
        upload.seek(0)


def _content_type(upload: UploadedFile, rules: _Rules, size: int) -> str:
    found = _candidates(upload)
    for content_type in rules.types:
        if content_type in found:
            if not _confirmed(content_type, upload, size):
                raise rules.refuse("invalid_file")
            return content_type
    raise rules.refuse("file_type_not_allowed")


def _original_name(upload: UploadedFile) -> str:
    """The file's name as the person knows it, without folders or control characters."""
    name = unicodedata.normalize("NFC", PurePath(str(upload.name or "")).name)
    name = _CONTROL.sub("", name).strip() or _("document")
    if len(name) > _NAME_MAX_LENGTH:
        suffix = PurePath(name).suffix[:10]
        name = name[: _NAME_MAX_LENGTH - len(suffix)] + suffix
    return name


def _store(document: Document, upload: UploadedFile, finish) -> Document:
    """Write the file, then ``finish`` the rows; if anything fails, remove the file again."""
    stored = ""
    try:
        upload.seek(0)
        document.file.save(document.original_name, upload, save=False)
        stored = document.file.name
        finish()
    except BaseException:
        if stored:
            document.file.storage.delete(stored)
        raise
    return document


# Form fields -----------------------------------------------------------------------------------


def _file_field(definition: dict, field_key: str) -> dict:
    """The file field at ``field_key`` (``birth_statement_file`` or ``heirs[0].ktp_file``)."""
    unknown = DomainError(
        _("This form has no upload called “%(key)s”.") % {"key": field_key[:64]},
        code="invalid_field",
    )
    match = _FIELD_KEY.fullmatch(field_key or "")
    if not match:
        raise unknown
    key, index, sub_key = match[1], match[2], match[3]
    field = next((f for f in definition.get("form") or [] if f["key"] == key), None)
    if field is not None and sub_key is not None:
        if field["type"] != "group":
            raise unknown
        repeat = field.get("repeat") or {}
        if repeat.get("max") is not None and int(index) >= repeat["max"]:
            raise unknown
        field = next((f for f in field["fields"] if f["key"] == sub_key), None)
    if field is None or field["type"] != "file":
        raise unknown
    return field


@transaction.atomic
def document_upload(
    *,
    submission: Submission,
    field_key: str,
    upload: UploadedFile,
    actor,
    requirement: str = "",
) -> Document:
    """Store ``upload`` as the answer to the file field ``field_key`` of a draft application
    (``<key>``, or ``<group>[<index>].<key>`` inside a repeating group), replacing the
    field's previous upload, which stays in the history.

    Only the applicant may upload, and only while the application is a draft. Refuses with
    ``DomainError`` codes ``empty_file``, ``file_too_large``, ``file_type_not_allowed`` or
    ``invalid_file`` (a message that names the accepted types and the limit), and
    ``invalid_field`` for a field the form does not have; nothing is stored then.
    """
    submission = (
        # Locked so that two uploads to one field cannot both stay current; only the
        # submission's row (its service version is a nullable join that cannot be locked).
        Submission.objects.select_for_update(of=("self",))
        .select_related("service_version")
        .get(pk=submission.pk)
    )
    if not getattr(actor, "is_authenticated", False) or submission.applicant_id != actor.pk:
        raise NotFound(_("There is no such application among yours."))
    if submission.status != SubmissionStatus.DRAFT:
        raise Conflict(
            _(
                "This application has been sent and its form can no longer change. Send "
                "further documents with a message on the page of your case."
            ),
            code="already_submitted",
        )
    definition = submission.form_definition
    field = _file_field(definition, field_key)
    requirements = {r["code"]: r for r in definition.get("requirements") or []}
    code = field.get("requirement") or requirement
    if requirement and (
        requirement not in requirements
        or (field.get("requirement") and requirement != field["requirement"])
    ):
        raise DomainError(
            _("This upload collects another requirement of the service."), code="invalid_field"
        )
    rules = _Rules(
        accepted_types(field, requirements.get(code)),
        size_limit_mb(field, requirements.get(code)),
    )
    size, sha256 = _read(upload, rules)
    content_type = _content_type(upload, rules, size)

    document = Document(
        submission=submission,
        field_key=field_key,
        requirement=code or "",
        original_name=_original_name(upload),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )

    def finish() -> None:
        previous = list(
            Document.objects.filter(
                submission=submission, field_key=field_key, replaced=False, message__isnull=True
            ).values_list("public_id", flat=True)
        )
        Document.objects.filter(public_id__in=previous).update(replaced=True)
        document.save()
        audit_record(
            actor=actor,
            action="document.uploaded",
            target=document,
            subject=submission.applicant,
            details={
                "submission": str(submission.public_id),
                "field": field_key,
                "content_type": content_type,
                "size": size,
                "replaces": [str(public_id) for public_id in previous],
            },
        )

    return _store(document, upload, finish)


# Messages --------------------------------------------------------------------------------------


@transaction.atomic
def document_attach_to_message(
    *, case: Case, message: Message, upload: UploadedFile, actor
) -> Document:
    """Attach ``upload`` to ``message``, which ``actor`` wrote in ``case``'s thread: the
    applicant, or an officer of the case. Same checks as ``document_upload``, with PDF, JPEG
    and PNG accepted up to ``SATUPINTU_UPLOAD_MAX_MB``."""
    roles = roles_on_case(actor, case)
    if not roles:
        raise NotFound(_("There is no such case among yours."))
    if message is None or message.case_id != case.pk:
        raise NotFound(_("There is no such message in this case."))
    if message.author_id != actor.pk:
        raise Forbidden(_("You can attach files only to your own messages."))
    rules = _Rules(list(DEFAULT_ACCEPT), settings.SATUPINTU_UPLOAD_MAX_MB)
    size, sha256 = _read(upload, rules)
    content_type = _content_type(upload, rules, size)
    document = Document(
        submission=case.submission,
        case=case,
        message=message,
        original_name=_original_name(upload),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )

    def finish() -> None:
        document.save()
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.DOCUMENT,
            actor=actor,
            actor_role=Actor.OFFICER if message.from_agency else Actor.APPLICANT,
            internal=message.internal,
        )
        audit_record(
            actor=actor,
            action="document.attached",
            target=document,
            subject=case.submission.applicant,
            details={
                "case": str(case.public_id),
                "message": str(message.public_id),
                "content_type": content_type,
                "size": size,
            },
        )

    return _store(document, upload, finish)


# Opening ---------------------------------------------------------------------------------------


@transaction.atomic
def document_open(*, document: Document, actor) -> File:
    """The stored file of ``document``, opened for reading, for its applicant (or another
    representative of the business that applied) or for staff
    whose units handle its case (each staff access is recorded in the audit trail as
    ``document.viewed``). Anyone else — and the applicant, for a file attached to an internal
    note — gets "not found"."""
    not_found = NotFound(_("There is no such document."))
    if not getattr(actor, "is_authenticated", False):
        raise not_found
    submission = document.submission
    represents = (
        submission.business_id and submission.business.representatives.filter(pk=actor.pk).exists()
    )
    if submission.applicant_id == actor.pk or represents:
        if document.message_id and document.message.internal:
            raise not_found
        return document.file.storage.open(document.file.name, "rb")
    if document.case_id:
        cases = [document.case]
    elif submission.life_event_version_id:
        # A life event's shared upload: each agency reads its own case's copy only.
        cases = []
    else:
        cases = list(submission.cases.all())
    scope = staff_scope(actor)
    case = next((case for case in cases if scope.covers(case)), None)
    if case is None:
        raise not_found
    audit_record(
        actor=actor,
        action="document.viewed",
        target=document,
        subject=submission.applicant,
        details={"case": str(case.public_id)},
    )
    return document.file.storage.open(document.file.name, "rb")
