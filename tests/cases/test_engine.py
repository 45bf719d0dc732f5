"""The case engine (issue: cases): transitions by the roles the definition names, with
what they require; due dates in working days that move while the case waits on the
applicant; concurrent actions; claims, assignment and forwarding."""

import datetime

import pytest

from satupintu.cases.constants import EventKind
from satupintu.cases.models import Case, Message
from satupintu.cases.services import (
    allowed_transitions,
    case_assign,
    case_claim,
    case_transition,
    message_post,
)
from satupintu.core.calendar import add_working_days
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"


def workflow(case):
    return case.definition["workflow"]


def first_step(case, by):
    return next(
        t for t in workflow(case)["transitions"] if t["from"] == case.state and t["by"] == by
    )


def test_a_new_case_is_due_after_the_services_working_days(make_case):
    case = make_case(BIRTH)
    days = case.definition["deadline"]["working_days"]
    assert case.state == workflow(case)["start"]
    assert (
        case.due_date
        == add_working_days(case.submitted_at.astimezone().date(), days, agency=case.agency)
        or days == 0
    )
    assert case.events.get().kind == EventKind.SUBMITTED


def test_officer_takes_a_step_and_the_applicant_cannot(make_case, people):
    case = make_case(BIRTH)
    step = first_step(case, "officer")
    with pytest.raises(Forbidden):
        case_transition(case=case, actor=people["warga"], to=step["to"])
    case = case_transition(
        case=case,
        actor=people["petugas.dukcapil"],
        to=step["to"],
        data=dict.fromkeys(step.get("requires", []), "x"),
    )
    assert case.state == step["to"] and case.version == 2


def test_officers_of_another_agency_cannot_act(make_case, people):
    case = make_case(BIRTH)
    step = first_step(case, "officer")
    with pytest.raises(Forbidden):
        case_transition(case=case, actor=people["petugas.dpmptsp"], to=step["to"])
    assert allowed_transitions(case=case, user=people["petugas.dpmptsp"]) == []
    with pytest.raises(NotFound):
        case_claim(case=case, actor=people["petugas.dpmptsp"])


def test_a_step_the_state_does_not_allow_is_a_conflict_naming_what_is_allowed(make_case, people):
    case = make_case(BIRTH)
    final = next(code for code, state in workflow(case)["states"].items() if state.get("outcome"))
    with pytest.raises(Conflict) as raised:
        case_transition(case=case, actor=people["penyelia.dukcapil"], to=final)
    assert raised.value.code == "transition_not_allowed"
    assert (
        "dapat berpindah ke" in raised.value.detail
    )  # Indonesian by default: "From here it can go to"


def test_required_fields_are_enforced(make_case, people):
    case = make_case(BIRTH)
    # Walk to a state with a step that requires something.
    officer = people["penyelia.dukcapil"]
    while True:
        options = allowed_transitions(case=case, user=officer)
        needing = [t for t in options if t.get("requires")]
        if needing:
            break
        case = case_transition(case=case, actor=officer, to=options[0]["to"])
    with pytest.raises(DomainError) as raised:
        case_transition(case=case, actor=officer, to=needing[0]["to"])
    assert raised.value.status == 422
    assert {e["path"] for e in raised.value.errors} == set(needing[0]["requires"])


def test_two_officers_at_once_one_wins(make_case, people):
    case = make_case(BIRTH)
    step = first_step(case, "officer")
    seen_version = case.version
    case_transition(
        case=case, actor=people["petugas.dukcapil"], to=step["to"], expected_version=seen_version
    )
    with pytest.raises(Conflict) as raised:
        case_transition(
            case=case,
            actor=people["penyelia.dukcapil"],
            to=step["to"],
            expected_version=seen_version,
        )
    assert raised.value.code == "case_changed"
    assert Case.objects.get(pk=case.pk).events.filter(kind=EventKind.TRANSITION).count() == 1


def test_waiting_on_the_applicant_moves_the_due_date(make_case, people):
    case = make_case(BIRTH)
    officer = people["penyelia.dukcapil"]
    monday = datetime.date(2026, 8, 10)
    # Go to a state from which the officer can ask for information.
    for _ in range(5):
        pause = [
            t
            for t in allowed_transitions(case=case, user=officer)
            if workflow(case)["states"][t["to"]].get("pauses_clock")
        ]
        if pause:
            break
        case = case_transition(
            case=case,
            actor=officer,
            to=allowed_transitions(case=case, user=officer)[0]["to"],
            today=monday,
        )
    due_before = case.due_date
    case = case_transition(
        case=case,
        actor=officer,
        to=pause[0]["to"],
        data={"message": "Unggah ulang surat lahir."},
        today=monday,
    )
    assert case.is_paused and case.paused_since == monday
    assert Message.objects.filter(case=case, from_agency=True, internal=False).exists()
    # Monday 10 Aug → Tuesday 18 Aug 2026: 17 Aug (Independence Day) is a holiday, so the
    # case waited 5 working days (11, 12, 13, 14, 18).
    back = next(
        t for t in allowed_transitions(case=case, user=people["warga"]) if t["by"] == "applicant"
    )
    case = case_transition(
        case=case, actor=people["warga"], to=back["to"], today=datetime.date(2026, 8, 18)
    )
    assert not case.is_paused and case.paused_working_days == 5
    assert case.due_date == add_working_days(due_before, 5, agency=case.agency)


def test_applicant_answer_resumes_the_case(make_case, people):
    case = make_case(BIRTH)
    officer = people["penyelia.dukcapil"]
    for _ in range(5):
        pause = [
            t
            for t in allowed_transitions(case=case, user=officer)
            if workflow(case)["states"][t["to"]].get("pauses_clock")
        ]
        if pause:
            break
        case = case_transition(
            case=case, actor=officer, to=allowed_transitions(case=case, user=officer)[0]["to"]
        )
    case = case_transition(
        case=case, actor=officer, to=pause[0]["to"], data={"message": "Mohon lengkapi."}
    )
    message_post(case=case, actor=people["warga"], body="Sudah saya unggah.")
    case.refresh_from_db()
    assert not case.is_paused


def test_internal_notes_are_for_officers_only(make_case, people):
    case = make_case(BIRTH)
    with pytest.raises(Forbidden):
        message_post(case=case, actor=people["warga"], body="x", internal=True)
    with pytest.raises(NotFound):
        message_post(case=case, actor=people["warga2"], body="halo")
    note = message_post(
        case=case, actor=people["petugas.dukcapil"], body="Cek NIK ibu.", internal=True
    )
    assert note.internal and note.from_agency


def test_claim_and_assign(make_case, people):
    case = make_case(BIRTH)
    case = case_claim(case=case, actor=people["petugas.dukcapil"])
    assert case.assigned_to == people["petugas.dukcapil"]
    with pytest.raises(Forbidden):
        case_assign(case=case, actor=people["petugas.dukcapil"], assignee=None)
    case = case_assign(
        case=case, actor=people["penyelia.dukcapil"], assignee=people["penyelia.dukcapil"]
    )
    assert case.assigned_to == people["penyelia.dukcapil"]
    with pytest.raises(DomainError):
        case_assign(
            case=case, actor=people["penyelia.dukcapil"], assignee=people["petugas.dpmptsp"]
        )
