"""Records of every kind for a person, and times relative to now."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Document, Submission
from satupintu.catalog.models import Service

BIRTH = "dukcapil-surabaya.akta-kelahiran"


def draft_with_file(user, *, content: bytes = b"%PDF-1.4 draft") -> tuple[Submission, Document]:
    """A draft application of ``user`` with one uploaded file."""
    service = Service.objects.get(code=BIRTH)
    draft = Submission.objects.create(
        applicant=user,
        service_version=service.current_version,
        status=SubmissionStatus.DRAFT,
        answers={"nama_anak": "Bayi Rahasia"},
    )
    document = Document(
        submission=draft,
        field_key="surat_kelahiran",
        original_name="surat-lahir.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        uploaded_by=user,
    )
    document.file.save("surat-lahir.pdf", ContentFile(content), save=False)
    document.save()
    return draft, document


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)
