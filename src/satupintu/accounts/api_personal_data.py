"""``GET /api/v1/me/data``: everything the platform holds about the signed-in person and the
history of its processing, as one document (UU PDP: the right of access)."""

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from satupintu.accounts import personal_data
from satupintu.accounts.api_auth import PEOPLE
from satupintu.core.api_errors import error_responses

router = Router(tags=["my data"])


class PersonalDataOut(Schema):
    """One person's data by section, and the history of its processing, newest first."""

    generated: datetime
    account: dict[str, Any]
    citizen: dict[str, Any] | None
    employee: dict[str, Any] | None
    businesses: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    submissions: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    complaints: list[dict[str, Any]]
    suggestions: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    learning: dict[str, list[dict[str, Any]]]
    data_requests: list[dict[str, Any]]
    history: list[dict[str, Any]]


@router.get(
    "/me/data",
    auth=PEOPLE,
    response={200: PersonalDataOut, **error_responses(401)},
    summary="Everything held about me",
)
def my_data(request):
    """Your account, profiles, applications and cases (with your answers, documents listed
    without their contents, messages), complaints, consents, notifications and learning
    records (lessons, quiz attempts and xAPI statements included), your requests to correct
    or delete your data, and who processed your data, when and why. Survey answers are
    anonymous and not linked to you, so they are not included. Taking the copy is recorded."""
    data = personal_data.personal_data_collect(user=request.auth)
    personal_data.personal_data_export_record(user=request.auth, channel="api")
    return data
