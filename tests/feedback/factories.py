"""Ready-made cases and survey answers for the survey's tests."""

import datetime

from django.utils import timezone

from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Submission
from satupintu.cases.services import case_open, case_transition
from satupintu.catalog.models import Service
from satupintu.core.tracking import generate
from satupintu.feedback.constants import Channel
from satupintu.feedback.models import SurveyResponse

BIRTH = "dukcapil-surabaya.akta-kelahiran"
DEATH = "dukcapil-surabaya.akta-kematian"
BILLBOARD = "dpmptsp-surabaya.izin-reklame"


def open_case(people, service_code: str = BIRTH, applicant: str = "warga") -> Case:
    service = Service.objects.get(code=service_code)
    now = timezone.now()
    submission = Submission.objects.create(
        applicant=people[applicant],
        service_version=service.current_version,
        answers={},
        status=SubmissionStatus.SUBMITTED,
        submitted_at=now,
        tracking=generate(),
    )
    return case_open(
        submission=submission,
        service_version=service.current_version,
        submitted_at=now,
        actor=people[applicant],
    )


def close_birth_case(case: Case, people) -> Case:
    """Walk a birth-certificate case to its final state "ditolak" (rejected): the shortest
    way to a final state, taken by the unit's supervisor."""
    supervisor = people["penyelia.dukcapil"]
    case = case_transition(case=case, actor=supervisor, to="verifikasi")
    return case_transition(
        case=case, actor=supervisor, to="ditolak", data={"reason": "Data tidak cocok."}
    )


def answer(
    service: Service | str,
    on: datetime.date | None = None,
    *,
    channel: str = Channel.ONLINE,
    office=None,
    suggestion: str = "",
    **scores: int,
) -> SurveyResponse:
    """One stored answer: ``answer(service, date, U1=4, U3=2)``."""
    if isinstance(service, str):
        service = Service.objects.get(code=service)
    return SurveyResponse.objects.create(
        service=service,
        unit_id=service.unit_id,
        agency_id=service.agency_id,
        office=office,
        channel=Channel.COUNTER if office else channel,
        submitted_on=on or timezone.localdate(),
        suggestion=suggestion,
        **{code.lower(): value for code, value in scores.items()},
    )
