"""Demo cases, so that officers have a queue to work on the first time they sign in: cases of
the two demo agencies in different states — new, waiting on the applicant, overdue, done."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Submission
from satupintu.cases.services import allowed_transitions, case_open, case_transition
from satupintu.cases.tracking import generate
from satupintu.catalog.models import Service

SAMPLE_NIK = "3578056503920001"


def sample_answers(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Plausible answers for a form, field by field, for demonstration only."""
    answers: dict[str, Any] = {}
    for field in fields:
        kind, key = field["type"], field["key"]
        if kind in {"text", "textarea"}:
            answers[key] = "Contoh isian"[: field.get("max_length", 200)]
        elif kind in {"number", "money"}:
            answers[key] = max(
                int(field.get("min", 1) if not isinstance(field.get("min"), str) else 1), 1
            )
        elif kind == "date":
            answers[key] = "2026-11-02"
        elif kind == "choice":
            value = field["options"][0]["value"]
            answers[key] = [value] if field.get("multiple") else value
        elif kind == "yes_no":
            answers[key] = False
        elif kind in {"nik", "kk"}:
            answers[key] = SAMPLE_NIK
        elif kind == "nib":
            answers[key] = "9120001234567"
        elif kind == "email":
            answers[key] = "siti.rahayu@contoh.id"
        elif kind == "phone":
            answers[key] = "081234567890"
        elif kind == "region":
            answers[key] = {
                "province": "35",
                "city": "3578",
                "district": "357805",
                "village": "3578051003",
            }[field.get("level", "city")]
        elif kind == "address":
            answers[key] = {"street": "Jl. Kedungdoro Gg. III No. 12", "village": "3578051003"}
        elif kind == "group":
            count = field.get("repeat", {}).get("min", 1) or 1
            answers[key] = [sample_answers(field["fields"]) for _ in range(count)]
    return answers


# (service, citizen, days ago, steps to take by the officer side)
PLAN = [
    ("dukcapil-surabaya.akta-kelahiran", "warga", 0, 0),
    ("dukcapil-surabaya.akta-kelahiran", "warga2", 1, 1),
    ("dukcapil-surabaya.akta-kematian", "warga2", 9, 0),
    ("dukcapil-surabaya.akta-kelahiran", "warga2", 6, 1),
    ("dukcapil-surabaya.akta-kelahiran", "warga", 3, 99),
    ("dpmptsp-surabaya.pendampingan-nib", "warga", 2, 0),
    ("dpmptsp-surabaya.pendampingan-nib", "warga2", 8, 1),
]


@transaction.atomic
def demo_cases_load() -> int:
    """Open the demo cases once; loading again changes nothing. Returns how many exist."""
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=["warga", "warga2", "penyelia.dukcapil", "penyelia.dpmptsp"]
        )
    }
    if Case.objects.filter(submission__applicant__username__in=["warga", "warga2"]).exists():
        return Case.objects.filter(submission__applicant__username__in=["warga", "warga2"]).count()
    for code, username, days_ago, steps in PLAN:
        service = Service.objects.filter(code=code, is_active=True).select_related("agency").first()
        if service is None:
            continue
        applicant = users[username]
        submitted_at = timezone.now() - datetime.timedelta(days=days_ago)
        definition = service.current_version.definition
        submission = Submission.objects.create(
            applicant=applicant,
            service_version=service.current_version,
            answers=sample_answers(definition["form"]),
            status=SubmissionStatus.SUBMITTED,
            submitted_at=submitted_at,
            tracking=generate(),
        )
        case = case_open(
            submission=submission,
            service_version=service.current_version,
            submitted_at=submitted_at,
            actor=applicant,
        )
        supervisor = users[
            "penyelia.dukcapil"
            if service.agency.code == "dukcapil-surabaya"
            else "penyelia.dpmptsp"
        ]
        visited = {case.state}
        for _ in range(steps):
            options = [
                t for t in allowed_transitions(case=case, user=supervisor) if t["by"] != "applicant"
            ]
            if not options:
                break
            # Walk forward: prefer steps that neither reject nor wait on the applicant.
            states = definition["workflow"]["states"]
            options.sort(
                key=lambda t: (
                    t["to"] in visited,
                    bool(states[t["to"]].get("final")) and not states[t["to"]].get("outcome"),
                    bool(states[t["to"]].get("pauses_clock")),
                )
            )
            step = options[0]
            visited.add(step["to"])
            data = {
                field: "DEMO/2026/001" if field == "document_number" else "Mohon dilengkapi."
                for field in step.get("requires", [])
            }
            case = case_transition(
                case=case,
                actor=supervisor,
                to=step["to"],
                data=data,
                today=timezone.localdate(submitted_at),
            )
    return Case.objects.filter(submission__applicant__username__in=["warga", "warga2"]).count()
