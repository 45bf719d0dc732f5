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
from satupintu.catalog.models import Service
from satupintu.core.tracking import generate

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
        _demo_case_open(code, users[username], days_ago, steps, users)
    return Case.objects.filter(submission__applicant__username__in=["warga", "warga2"]).count()


def _demo_case_open(code: str, applicant, days_ago: int, steps: int, users: dict) -> None:
    """Open a case of ``code`` for ``applicant`` sent ``days_ago``, and let the supervisor
    take ``steps`` steps of its workflow forward."""
    service = Service.objects.filter(code=code, is_active=True).select_related("agency").first()
    if service is None:
        return
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
        "penyelia.dukcapil" if service.agency.code == "dukcapil-surabaya" else "penyelia.dpmptsp"
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


# Residents of Tegalsari who applied to the civil registry this week (they have no demo
# login): with them the registry's queue runs to a second page, as a real office's does.
# (first name, last name, birth date, sex)
RESIDENTS = [
    ("Agung", "Wibowo", datetime.date(1983, 4, 9), "M"),
    ("Ratna", "Sari", datetime.date(1990, 11, 2), "F"),
    ("Hadi", "Kusuma", datetime.date(1978, 6, 21), "M"),
    ("Wulan", "Pertiwi", datetime.date(1995, 1, 30), "F"),
    ("Eko", "Nugroho", datetime.date(1987, 9, 14), "M"),
    ("Indah", "Permata", datetime.date(1993, 7, 7), "F"),
    ("Joko", "Susilo", datetime.date(1969, 12, 25), "M"),
    ("Fitri", "Handayani", datetime.date(1998, 3, 18), "F"),
]
BACKLOG_SERVICES = [
    "dukcapil-surabaya.akta-kelahiran",
    "dukcapil-surabaya.akta-kematian",
    "dukcapil-surabaya.akta-perkawinan",
]
BACKLOG_SIZE = 24


def _resident_nik(birth_date: datetime.date, sex: str, serial: int) -> str:
    """A well-formed NIK of Tegalsari (357805): the day of birth, plus 40 for a woman."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"357805{day:02d}{birth_date:%m%y}{serial:04d}"


@transaction.atomic
def demo_backlog_load() -> int:
    """The civil registry's week of applications from residents, once: new ones, some being
    checked, some overdue. Returns how many of their cases exist."""
    from satupintu.accounts.models import CitizenProfile

    user_model = get_user_model()
    residents = user_model.objects.filter(username__startswith="penduduk.")
    if Case.objects.filter(submission__applicant__in=residents).exists():
        return Case.objects.filter(submission__applicant__in=residents).count()
    users = {
        user.username: user
        for user in user_model.objects.filter(
            username__in=["penyelia.dukcapil", "penyelia.dpmptsp"]
        )
    }
    people = []
    for serial, (first, last, born, sex) in enumerate(RESIDENTS, start=101):
        person, created = user_model.objects.get_or_create(
            username=f"penduduk.{first.lower()}",
            defaults={"first_name": first, "last_name": last},
        )
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        CitizenProfile.objects.get_or_create(
            user=person,
            defaults={
                "nik": _resident_nik(born, sex, serial),
                "full_name": f"{first} {last}",
                "birth_date": born,
                "sex": sex,
                "address": f"Jl. Kedungdoro No. {serial - 60}, Tegalsari",
                "region_code": "3578051003",
                "phone": f"0812300{serial:05d}",
            },
        )
        people.append(person)
    for index in range(BACKLOG_SIZE):
        _demo_case_open(
            BACKLOG_SERVICES[index % len(BACKLOG_SERVICES)],
            people[index % len(people)],
            days_ago=index % 5,
            steps=1 if index % 4 == 3 else 0,
            users=users,
        )
    return Case.objects.filter(submission__applicant__in=residents).count()


# A PDF of one empty page: the demo's stand-in for a scanned document.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (life event, citizen, answers beyond what the registries fill in, files to upload)
LIFE_EVENTS = [
    (
        "kelahiran",
        "warga2",
        {
            "child_name": "Rizky Aditya Santoso",
            "child_sex": "laki_laki",
            "birth_place_city": "3578",
            "birth_facility": "RS Bhakti Rahayu",
            "birth_weight": 3250,
            "mother_name": "Rina Wulandari",
            "mother_nik": "3578105005900002",
            "phone": "081298765432",
            "parents_status": "tercatat",
            "has_birth_statement": True,
            "puskesmas": "Puskesmas Tambakrejo",
            "hb0_given": True,
            "has_kia_book": True,
            "wants_kia": True,
            "kia_pickup": "kecamatan",
            "wants_insurance": True,
            "insurance_segment": "pbpu_pemda",
            "primary_facility": "Puskesmas Tambakrejo",
        },
        ["marriage_book_file", "birth_statement_file"],
    ),
    (
        "isolasi-mandiri",
        "warga",
        {
            "phone": "081234567890",
            "household_size": 4,
            "symptoms": ["demam", "batuk"],
            "comorbidities": ["tidak_ada"],
            "has_test_result": False,
            "needs_food": True,
            "dietary_needs": ["tidak_ada"],
            "delivery_notes": "Titipkan di pos RW 05 bila tidak ada yang membuka pintu.",
        },
        [],
    ),
]


@transaction.atomic
def demo_life_events_load() -> int:
    """One application per demo life event, sent through the same services as the pages:
    a birth (cases at three agencies, some waiting for the birth certificate) and a request
    for self-isolation support (the food delivery waits for a partner). Once only."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from satupintu.cases.documents import document_upload
    from satupintu.cases.services import submission_draft_save, submission_submit
    from satupintu.cases.services.life_events import life_event_draft_start
    from satupintu.catalog.models import LifeEvent

    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["warga", "warga2"])
    }
    sent = 0
    for code, username, answers, files in LIFE_EVENTS:
        applicant = users.get(username)
        event = (
            LifeEvent.objects.filter(code=code, is_active=True)
            .select_related("current_version")
            .first()
        )
        if applicant is None or event is None:
            continue
        if Submission.objects.filter(
            applicant=applicant, life_event_version__life_event=event
        ).exists():
            continue
        draft, _unavailable = life_event_draft_start(
            applicant=applicant, life_event=event, share_registry=True
        )
        today = timezone.localdate()
        dated = {
            "birth_date": (today - datetime.timedelta(days=3)).isoformat(),
            "isolation_start": (today - datetime.timedelta(days=1)).isoformat(),
        }
        questions = {q["key"] for q in event.current_version.definition.get("questions") or []}
        extra = {key: value for key, value in dated.items() if key in questions}
        draft = submission_draft_save(
            applicant=applicant, submission=draft, answers={**draft.answers, **extra, **answers}
        )
        for key in files:
            document_upload(
                submission=draft,
                field_key=key,
                upload=SimpleUploadedFile(f"{key}.pdf", DEMO_PDF, content_type="application/pdf"),
                actor=applicant,
            )
        submission_submit(submission=draft, actor=applicant)
        sent += 1
    return sent
