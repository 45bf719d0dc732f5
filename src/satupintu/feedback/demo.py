"""Demo survey answers, so that the IKM reports have something to show the first time: a few
hundred anonymous answers about the two demo agencies' services over the last four
quarters, made from a fixed seed (the same answers on every machine), with a published
follow-up plan and the performance signals of the last complete quarter.

Loading twice changes nothing: every answer has an id derived from its service, quarter and
number, so a second load inserts nothing new.
"""

import datetime
import random
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from satupintu.catalog.models import Service
from satupintu.feedback import periods, services
from satupintu.feedback.constants import ELEMENTS, PROFILE_CHOICES, Channel
from satupintu.feedback.models import FollowUpPlan, SurveyResponse
from satupintu.organisations.models import Office

AGENCIES = ("dukcapil-surabaya", "dpmptsp-surabaya")
QUARTERS = 4
SEED = "satupintu-ikm-demo"
NAMESPACE = uuid.UUID("6f1c2b1e-4f5d-4a8e-9a51-2f0e7f3c9d10")

# How each agency tends to be rated: the elements it does worse on.
WEAK = {"dukcapil-surabaya": {"U3": -0.7, "U9": -0.3}, "dpmptsp-surabaya": {"U8": -0.8, "U2": -0.4}}
# The elements people skip more often.
SKIPPED = {"U8": 0.2, "U4": 0.05}

SUGGESTIONS = [
    "Antrean di loket terlalu panjang pada hari Senin.",
    "Petugas ramah dan menjelaskan dengan jelas. Terima kasih.",
    "Mohon informasi status permohonan lebih sering diperbarui.",
    "Ruang tunggu perlu tambahan kursi dan kipas angin.",
    "Persyaratan di situs dan di loket sebaiknya sama.",
    "Prosesnya lebih cepat dari yang saya kira.",
    "Saya tidak tahu ke mana harus menyampaikan pengaduan.",
]


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.6))))


def _answers(rng: random.Random, agency: str, trend: float) -> dict:
    base = 3.25 + trend
    fields = {}
    for element in ELEMENTS:
        if rng.random() < SKIPPED.get(element.code, 0.03):
            continue
        fields[element.field] = _score(rng, base + WEAK.get(agency, {}).get(element.code, 0))
    for name, choices in PROFILE_CHOICES.items():
        fields[name] = rng.choice(["", *choices.values])
    if rng.random() < 0.15:
        fields["suggestion"] = rng.choice(SUGGESTIONS)
    return fields


@transaction.atomic
def demo_surveys_load(*, today: datetime.date | None = None) -> int:
    """Create the demo answers (once); returns how many answers the demo services have."""
    today = today or timezone.localdate()
    quarters = periods.quarters_ending_with(today, QUARTERS)
    demo_services = list(
        Service.objects.filter(agency__code__in=AGENCIES, is_active=True)
        .select_related("agency", "current_version")
        .order_by("code")
    )
    offices = {office.code: office for office in Office.objects.all()}
    rows = []
    for service in demo_services:
        agency = service.agency.code
        counter_offices = [
            offices[code]
            for code in (service.current_version.definition.get("offices") or [])
            if code in offices
        ]
        for position, quarter in enumerate(quarters):
            rng = random.Random(f"{SEED}:{service.code}:{quarter.key}")
            last_day = min(quarter.end, today)
            days = (last_day - quarter.start).days
            # Services get a little better quarter after quarter.
            trend = 0.08 * position
            for number in range(rng.randint(6, 12)):
                at_counter = bool(counter_offices) and rng.random() < 0.3
                rows.append(
                    SurveyResponse(
                        id=uuid.uuid5(NAMESPACE, f"{service.code}:{quarter.key}:{number}"),
                        service=service,
                        unit_id=service.unit_id,
                        agency_id=service.agency_id,
                        office=rng.choice(counter_offices) if at_counter else None,
                        channel=Channel.COUNTER if at_counter else Channel.ONLINE,
                        submitted_on=quarter.start + datetime.timedelta(days=rng.randint(0, days)),
                        **_answers(rng, agency, trend),
                    )
                )
    SurveyResponse.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    _followup_load(quarters[-2] if len(quarters) > 1 else quarters[-1])
    services.service_signals_compute(period=periods.last_complete_quarter(today), today=today)
    return SurveyResponse.objects.filter(service__in=demo_services).count()


def _followup_load(quarter: periods.Period) -> None:
    """A published follow-up plan of the population office for the last complete quarter."""
    from satupintu.feedback.selectors import ReportScope

    author = get_user_model().objects.filter(username="admin.dukcapil").first()
    service = Service.objects.filter(code="dukcapil-surabaya.akta-kelahiran").first()
    if author is None or service is None:
        return
    scope = ReportScope(agency=service.agency)
    if FollowUpPlan.objects.filter(
        scope_key=scope.key, period_start=quarter.start, period_end=quarter.end
    ).exists():
        return
    services.followup_plan_save(
        actor=author,
        scope=scope,
        period=quarter,
        plan=(
            "1. Waktu penyelesaian (U3): menambah dua petugas verifikasi pada jam sibuk dan "
            "memantau tenggat setiap pagi; target akhir triwulan berikutnya.\n"
            "2. Sarana dan prasarana (U9): menambah kursi ruang tunggu dan layar antrean di "
            "MPP Siola.\n"
            "Penanggung jawab: Sekretaris Dinas."
        ),
        publish=True,
    )
