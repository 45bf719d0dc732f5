"""A signed-in employee's records over the API: the JP ledger of a year, certificates,
and claims for learning done elsewhere."""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.db import transaction
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from satupintu.accounts.api_auth import PEOPLE
from satupintu.learning import services
from satupintu.learning.api.common import (
    CourseRef,
    ListQuery,
    course_ref,
    cursor_checked,
    errors,
    learner_of,
    link,
    page_out,
    this_year,
)
from satupintu.learning.api.enrolments import CertificateRef, certificate_ref
from satupintu.learning.constants import JpSource
from satupintu.learning.selectors import certificates as certificate_selectors
from satupintu.learning.selectors import learner as learner_selectors
from satupintu.learning.selectors import mine

router = Router(tags=["learning: my learning"], auth=PEOPLE)


# JP -----------------------------------------------------------------------------------------


class JpEntryOut(Schema):
    date: datetime.date
    jp: Decimal
    source: str
    source_label: str
    description: str
    course: str | None = Field(description="The code of the course that earned it.")


class JpOut(Schema):
    year: int
    total: Decimal
    right: Decimal = Field(description="The yearly right: 20 JP.")
    percent: int = Field(description="Of the right, at most 100.")
    remaining: Decimal
    reached: bool
    entries: list[JpEntryOut] = Field(description="The ledger of the year, newest first.")


def jp_out(progress) -> dict:
    return {
        "year": progress.year,
        "total": progress.total,
        "right": progress.right,
        "percent": progress.percent,
        "remaining": progress.remaining,
        "reached": progress.reached,
        "entries": [
            {
                "date": entry.occurred_on,
                "jp": entry.jp,
                "source": entry.source,
                "source_label": str(JpSource(entry.source).label),
                "description": entry.description,
                "course": entry.course.code if entry.course_id else None,
            }
            for entry in progress.entries
        ],
    }


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="This year by default.")


@router.get("/me/jp", response={200: JpOut, **errors(403, 422)}, summary="Your JP of a year")
def jp_get(request, query: Query[YearQuery]):
    """Your lesson hours (JP) of a year against the yearly right of 20, and the ledger that
    makes them up: completed courses, attended sessions, approved claims."""
    learner = learner_of(request)
    return jp_out(learner_selectors.jp_progress(learner=learner, year=query.year or this_year()))


# Certificates -------------------------------------------------------------------------------


class CertificateOut(CertificateRef):
    course: CourseRef
    jp: Decimal
    issued_at: datetime.datetime
    status: Literal["valid", "revoked"]
    pdf_url: str | None


class CertificateList(Schema):
    items: list[CertificateOut]
    next: str | None


def _certificate_out(request, certificate) -> dict:
    return {
        **certificate_ref(request, certificate),
        "course": course_ref(certificate.course),
        "jp": certificate.jp,
        "issued_at": certificate.issued_at,
        "status": "revoked" if certificate.revoked_at else "valid",
        "pdf_url": link(request, "learning:certificate_download", certificate.public_id),
    }


@router.get(
    "/me/certificates",
    response={200: CertificateList, **errors(400, 403, 422)},
    summary="Your certificates",
)
def certificate_list(request, query: Query[ListQuery]):
    """Your certificates, newest first, each with its number, its verification code (anyone
    can check it at `verify_url`) and its PDF."""
    learner = learner_of(request)
    page = certificate_selectors.certificate_list(
        learner=learner, cursor=cursor_checked(query.cursor), size=query.limit
    )
    return page_out(request, page, lambda certificate: _certificate_out(request, certificate))


# Claims -------------------------------------------------------------------------------------


class ClaimOut(Schema):
    id: uuid.UUID
    title: str
    provider: str
    completed_on: datetime.date
    jp: Decimal
    status: str = Field(description="pending, approved or rejected.")
    status_label: str
    reason: str = Field(description="Why HR refused it, if they did.")
    claimed_at: datetime.datetime
    decided_at: datetime.datetime | None


def claim_out(claim) -> dict:
    return {
        "id": claim.public_id,
        "title": claim.title,
        "provider": claim.provider,
        "completed_on": claim.completed_on,
        "jp": claim.jp,
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "reason": claim.reason,
        "claimed_at": claim.created_at,
        "decided_at": claim.decided_at,
    }


class ClaimList(Schema):
    items: list[ClaimOut]
    next: str | None


@router.get(
    "/me/claims",
    response={200: ClaimList, **errors(400, 403, 422)},
    summary="Your claims for learning done elsewhere",
)
def claim_list(request, query: Query[ListQuery]):
    learner = learner_of(request)
    page = mine.claim_page_for_learner(
        learner=learner, cursor=cursor_checked(query.cursor), limit=query.limit
    )
    return page_out(request, page, claim_out)


@router.post(
    "/me/claims",
    response={201: ClaimOut, **errors(400, 403, 413, 422)},
    summary="Claim learning done elsewhere",
)
def claim_create(
    request,
    title: Form[str],
    provider: Form[str],
    completed_on: Form[datetime.date],
    jp: Form[Decimal],
    certificate: File[UploadedFile],
):
    """Ask HR to count a course, seminar or training you followed outside Learn towards your
    20 JP (multipart form): what you learned, who organised it, the day it ended (this year
    or last), its lesson hours (0.5 to 200) and its certificate (PDF, JPEG or PNG, at most
    5 MB). An approved claim credits its JP in the year it was completed."""
    learner = learner_of(request)
    with transaction.atomic():
        claim = services.claim_create(
            learner=learner,
            title=title,
            provider=provider,
            completed_on=completed_on,
            jp=jp,
            certificate=certificate,
            actor=learner,
        )
    return Status(201, claim_out(claim))
