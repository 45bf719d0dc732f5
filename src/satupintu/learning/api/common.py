"""What every operation of the learning API shares: the error shape, keyset pages, the
small references to courses, agencies and people, and the check that the caller is an
employee."""

import base64
import binascii
import json
import uuid
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from satupintu.core.errors import DomainError, Forbidden, NotFound
from satupintu.learning.constants import Modality
from satupintu.learning.selectors.access import learning_access
from satupintu.learning.selectors.keyset import Page

CURSOR_MAX_LENGTH = 400


class Problem(Schema):
    path: str
    message: str


class ErrorOut(Schema):
    """The one shape of every error."""

    detail: str
    code: str
    errors: list[Problem] | None = Field(
        None, description="Each input that is wrong, with what is wrong with it."
    )


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers of an operation: 401 and 404 always, and ``statuses``."""
    return dict.fromkeys((401, 404, *statuses), ErrorOut)


def invalid_input(path: str, message: str, code: str = "invalid") -> DomainError:
    """A 422 naming the field that is wrong."""
    return DomainError(message, code=code, status=422, errors=[{"path": path, "message": message}])


# Pages --------------------------------------------------------------------------------------


class ListQuery(Schema):
    limit: int = Field(20, ge=1, le=100, description="How many items a page holds.")
    cursor: str = Field(
        "",
        max_length=CURSOR_MAX_LENGTH,
        description="From the `next` link of the previous page.",
    )


def cursor_checked(cursor: str) -> str | None:
    """The cursor as given, or None for the first page; 400 when it is not one of ours."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        if not isinstance(json.loads(raw.decode()), list):
            raise ValueError(cursor)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise DomainError(
            _("The cursor is not valid; use the `next` link as given."), code="invalid_cursor"
        ) from exc
    return cursor


def next_url(request, page: Page) -> str | None:
    """The address of the page after ``page``, or None on the last one."""
    if not page.has_next:
        return None
    params = request.GET.copy()
    params["cursor"] = page.next_cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def page_out(request, page: Page, item) -> dict:
    return {"items": [item(row) for row in page.items], "next": next_url(request, page)}


# Links --------------------------------------------------------------------------------------


def link(request, name: str, *args) -> str:
    """The absolute address of the page ``name``."""
    return request.build_absolute_uri(reverse(name, args=args))


# References ---------------------------------------------------------------------------------


class AgencyRef(Schema):
    code: str
    name: str


class VenueRef(Schema):
    """An office where a class meets."""

    code: str
    name: str


class CourseRef(Schema):
    code: str
    title: str
    modality: str
    modality_label: str
    jp: Decimal = Field(description="Lesson hours (JP) credited on completion.")


class PersonRef(Schema):
    name: str
    nip: str | None
    agency: AgencyRef | None
    unit: str | None = Field(description="The name of the person's unit.")


def agency_ref(agency) -> dict | None:
    return {"code": agency.code, "name": agency.name} if agency is not None else None


def course_ref(course) -> dict:
    return {
        "code": course.code,
        "title": course.title,
        "modality": course.modality,
        "modality_label": str(Modality(course.modality).label),
        "jp": course.jp,
    }


def person_name(user) -> str:
    return user.get_full_name() or user.username


def person_ref(user) -> dict:
    employee = getattr(user, "employee", None)
    return {
        "name": person_name(user),
        "nip": employee.nip if employee else None,
        "agency": agency_ref(employee.agency) if employee else None,
        "unit": employee.unit.name if employee and employee.unit_id else None,
    }


# Who calls ----------------------------------------------------------------------------------


def learner_of(request):
    """The signed-in employee; 403 for anyone else (a citizen, a system's key)."""
    user = request.auth
    if not learning_access(user).is_learner:
        raise Forbidden(
            _("My learning is for employees. Sign in with your employee account."),
            code="not_an_employee",
        )
    return user


def public_id(value: str, message: str) -> uuid.UUID:
    """``value`` as a public id; 404 with ``message`` when it is not one."""
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(message) from exc


def this_year() -> int:
    return timezone.localdate().year
