"""Which services of a life event apply, and why: the definition's conditions, the services'
own eligibility rules, and what each form receives from the shared answers."""

import pytest

from satupintu.cases.life_events import Sources, life_event_plan, plan_errors, start_order

AKTA = "dukcapil-surabaya.akta-kelahiran"
KK = "dukcapil-surabaya.perubahan-kk"
BPJS = "bpjs-kesehatan-surabaya.pendaftaran-peserta"

DEFINITION = {
    "code": "contoh",
    "questions": [
        {"key": "child_name", "type": "text", "label": {"id": "Nama", "en": "Name"}},
        {"key": "wants_insurance", "type": "yes_no", "label": {"id": "BPJS", "en": "BPJS"}},
        {"key": "segment", "type": "text", "label": {"id": "Segmen", "en": "Segment"}},
    ],
    "services": [
        {
            "service": AKTA,
            "why": {"id": "Akta wajib.", "en": "A certificate is required."},
            "map": {"child_name": "answers.child_name"},
        },
        {
            "service": KK,
            "after": {"service": AKTA, "state": "terbit"},
            "map": {
                "kk_number": {"value": "3578050101090001"},
                "change_reason": {"value": "kelahiran"},
                "new_member_name": "answers.child_name",
                "birth_certificate_number": f"outcome.{AKTA}.document_number",
            },
        },
        {
            "service": BPJS,
            "when": "answers.wants_insurance == true",
            "why_not": {"id": "Anda tidak meminta BPJS.", "en": "You did not ask for insurance."},
            "map": {"segment": "answers.segment", "participant_name": "answers.child_name"},
        },
    ],
}


def plan_for(answers, context=None, user=None):
    return {
        plan.code: plan
        for plan in life_event_plan(
            definition=DEFINITION,
            sources=Sources(answers=answers, user=user),
            context=context or {"applicant": {"kind": "citizen", "region": "3578"}},
        )
    }


@pytest.mark.django_db
def test_a_service_whose_condition_is_false_says_why_not_in_the_definitions_words():
    plans = plan_for({"child_name": "Ayu Lestari", "wants_insurance": False})
    assert not plans[BPJS].applies
    assert plans[BPJS].reasons == ["Anda tidak meminta BPJS."]
    assert plans[AKTA].applies
    assert plans[AKTA].reasons == ["Akta wajib."]


@pytest.mark.django_db
def test_the_services_own_eligibility_rule_explains_a_refusal():
    # The city pays contributions only for Surabaya residents (the service's own rule).
    outside = {"applicant": {"kind": "citizen", "region": "3515"}}
    answers = {"child_name": "Ayu Lestari", "wants_insurance": True, "segment": "pbpu_pemda"}
    plans = plan_for(answers, context=outside)
    assert not plans[BPJS].applies
    assert "Pemkot Surabaya" in plans[BPJS].reasons[0]
    assert plan_for(answers)[BPJS].applies


@pytest.mark.django_db
def test_a_dependant_waits_and_its_outcome_field_is_pending_until_then():
    plans = plan_for({"child_name": "Ayu Lestari", "wants_insurance": False})
    kk = plans[KK]
    assert kk.applies
    assert kk.answers["new_member_name"] == "Ayu Lestari"
    assert kk.answers["change_reason"] == "kelahiran"  # a constant
    assert kk.pending == {"birth_certificate_number": AKTA}
    assert any("dimulai otomatis" in reason.lower() for reason in kk.reasons)
    assert [plan.code for plan in start_order(list(plans.values()))] == [AKTA, KK]


@pytest.mark.django_db
def test_a_service_following_one_that_does_not_apply_does_not_apply_either():
    definition = {
        **DEFINITION,
        "services": [
            {**DEFINITION["services"][2]},
            {"service": KK, "after": {"service": BPJS, "state": "terdaftar"}, "map": {}},
        ],
    }
    plans = {
        plan.code: plan
        for plan in life_event_plan(
            definition=definition,
            sources=Sources(answers={"wants_insurance": False}, user=None),
            context={"applicant": {"kind": "citizen"}},
        )
    }
    assert not plans[KK].applies
    assert BPJS not in plans[KK].reasons[0]  # named by its name, not its code
    assert "tidak berlaku" in plans[KK].reasons[0]


@pytest.mark.django_db
def test_a_bad_shared_answer_is_reported_on_the_question_and_others_under_the_service():
    plans = life_event_plan(
        definition=DEFINITION,
        sources=Sources(answers={"child_name": "A", "wants_insurance": False}, user=None),
        context={"applicant": {"kind": "citizen", "region": "3578"}},
    )
    _cleaned, problems = plan_errors(plans=plans, context={}, uploads=None)
    paths = {problem.path for problem in problems}
    assert "child_name" in paths  # too short for the certificate's form: said on the question
    # The certificate's other required fields are not given by this small definition: they
    # are named with the service, since the applicant cannot type them here.
    assert any(path.startswith(f"{AKTA}.") for path in paths)
    # The outcome the family card waits for is not checked yet.
    assert f"{KK}.birth_certificate_number" not in paths
