"""The answers engine (issue: a citizen applies online): every field type of the catalogue
format is read and checked as docs/catalogue.md describes, with messages that say how to fix
the answer and errors at the path of their field; ``when`` hides questions (a hidden
required question is not required, and its answer is dropped); repeating groups respect
their minimum and maximum; ``required_if`` makes a document necessary; prefill fills in what
the profile knows without overwriting what was typed; the page's form asks the visible
questions, keeps typed values and reports the same errors as the API."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from satupintu.accounts.models import BusinessProfile
from satupintu.cases.answers import (
    ADD_ROW_BUTTON,
    UPDATE_BUTTON,
    answers_from_cleaned_data,
    applicant_context,
    build_form,
    initial_from_answers,
    merge_prefill,
    prefill,
    validate_answers,
    visible_fields,
)
from satupintu.cases.answers.context import today
from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Document, Submission
from satupintu.catalog.models import Service

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
MARRIAGE = "dukcapil-surabaya.akta-perkawinan"
WEDDING = "kemenag-surabaya.pendaftaran-nikah"
JOBS = "disnaker-surabaya.kartu-pencari-kerja"
SAVINGS = "diskopukm-jatim.izin-usaha-simpan-pinjam"
COOPERATIVE_ID = "diskopukm-jatim.sertifikat-nik-koperasi"
RESIDENCE = "imigrasi-surabaya.perpanjangan-itas"
LAND = "atrbpn-surabaya.pengecekan-sertifikat"
SCHOOL = "dindik-jatim.spmb-sma-smk"

WOMAN = {"applicant": {"kind": "citizen", "age": 32, "sex": "F", "region": "3578"}}
MAN = {"applicant": {"kind": "citizen", "age": 40, "sex": "M", "region": "3578"}}
NIK_WOMAN = "3578056503920001"  # born 25-03-1992, Tegalsari, Surabaya
NIK_MAN = "3578101708850003"
KK = "3578050101120001"


@pytest.fixture(autouse=True)
def english():
    # Messages are asserted in English, the msgids; the Indonesian test below switches back.
    with translation.override("en"):
        yield


def definition(code: str) -> dict:
    return Service.objects.get(code=code).current_version.definition


def field_of(code: str, key: str) -> dict:
    return next(field for field in definition(code)["form"] if field["key"] == key)


def check(code: str, key: str, value, **changes):
    """The cleaned value and the errors of one real field, asked on its own."""
    field = {**field_of(code, key), **changes}
    field.pop("when", None)
    cleaned, errors = validate_answers(
        definition={"form": [field], "requirements": []}, answers={key: value}, context=WOMAN
    )
    return cleaned.get(key), [(error.path, error.message) for error in errors]


def birth_answers(**changes) -> dict:
    answers = {
        "child_name": "Ayu Lestari",
        "child_sex": "perempuan",
        "birth_date": "2024-08-17",
        "birth_place_city": "3578",
        "kk_number": KK,
        "mother_nik": NIK_WOMAN,
        "parents_status": "tercatat",
        "has_birth_statement": True,
    }
    answers.update(changes)
    return answers


def post(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def draft(user, code: str = BIRTH, answers=None) -> Submission:
    return Submission.objects.create(
        applicant=user,
        service_version=Service.objects.get(code=code).current_version,
        answers=answers or {},
        status=SubmissionStatus.DRAFT,
    )


def uploaded(submission: Submission, field_key: str) -> Document:
    """A stored upload, made directly (the upload checks are tested in test_documents)."""
    return Document.objects.create(
        submission=submission,
        field_key=field_key,
        file=f"documents/test/{field_key}",
        original_name="scan.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=submission.applicant,
    )


# The applicant's context -------------------------------------------------------------------


def test_a_citizens_context_has_age_sex_kind_and_city(people):
    context = applicant_context(user=people["warga"])
    born = datetime.date(1992, 3, 25)
    now = today()
    age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
    assert context == {"applicant": {"kind": "citizen", "age": age, "sex": "F", "region": "3578"}}


def test_age_is_counted_on_the_date_in_jakarta(people, settings, monkeypatch):
    # 24 March 2026, 18:00 UTC is already 25 March in Jakarta: Siti (born 25 March 1992)
    # turns 34 there, whatever time zone the server is configured with.
    settings.TIME_ZONE = "UTC"
    moment = datetime.datetime(2026, 3, 24, 18, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert applicant_context(user=people["warga"])["applicant"]["age"] == 34
    monkeypatch.setattr(timezone, "now", lambda: moment - datetime.timedelta(hours=2))
    assert applicant_context(user=people["warga"])["applicant"]["age"] == 33


def test_a_business_context_names_the_business(people):
    business = BusinessProfile.objects.get(representatives=people["warga"])
    context = applicant_context(user=people["warga"], business=business)
    assert context["applicant"]["kind"] == "business"
    assert context["business"] == {
        "legal_form": "koperasi",
        "nib": "9120001234567",
        "region": "3578",
    }


def test_what_is_not_known_is_left_out(people):
    context = applicant_context(user=people["petugas.dukcapil"])  # staff: no citizen profile
    assert context == {"applicant": {"kind": "citizen"}}
    business = BusinessProfile(name="Baru", legal_form="cv", nib=None, region_code="")
    assert applicant_context(user=None, business=business)["business"] == {"legal_form": "cv"}


# Visibility ------------------------------------------------------------------------------------


def test_when_reads_the_applicant_and_the_answers_as_typed_on_a_page():
    form = definition(BIRTH)["form"]
    keys = lambda fields: {field["key"] for field in fields}  # noqa: E731
    assert "mother_nik" in keys(visible_fields(fields=form, answers={}, context=WOMAN))
    assert "mother_nik" not in keys(visible_fields(fields=form, answers={}, context=MAN))
    for typed, shown, hidden in (
        ("true", "birth_statement_file", "sptjm_birth_file"),
        ("ya", "birth_statement_file", "sptjm_birth_file"),
        (False, "sptjm_birth_file", "birth_statement_file"),
    ):
        visible = keys(
            visible_fields(fields=form, answers={"has_birth_statement": typed}, context=WOMAN)
        )
        assert shown in visible and hidden not in visible
    # An unanswered question makes the questions that depend on it hidden.
    visible = keys(visible_fields(fields=form, answers={}, context=WOMAN))
    assert not visible & {"birth_statement_file", "sptjm_birth_file", "marriage_book_file"}


def test_a_question_that_depends_on_a_hidden_one_is_hidden_too():
    fields = [
        {"key": "has_car", "type": "yes_no", "label": {"id": "Mobil?", "en": "Car?"}},
        {
            "key": "car_is_new",
            "type": "yes_no",
            "label": {"id": "Baru?", "en": "New?"},
            "when": "answers.has_car == true",
        },
        {
            "key": "invoice",
            "type": "text",
            "label": {"id": "Faktur", "en": "Invoice"},
            "when": "answers.car_is_new == true",
        },
    ]
    shown = visible_fields(
        fields=fields, answers={"has_car": "false", "car_is_new": "true"}, context=WOMAN
    )
    assert [field["key"] for field in shown] == ["has_car"]


def test_a_hidden_required_question_is_not_required_and_its_answer_is_dropped():
    cleaned, errors = validate_answers(
        definition=definition(BIRTH),
        answers=birth_answers(mother_nik="not a nik", has_birth_statement="false"),
        context=MAN,
    )
    paths = {error.path for error in errors}
    assert "mother_nik" not in paths and "mother_nik" not in cleaned
    assert "birth_statement_file" not in paths  # hidden: no birth statement
    cleaned, errors = validate_answers(
        definition=definition(BIRTH), answers=birth_answers(mother_nik=""), context=WOMAN
    )
    assert [(error.path, error.message) for error in errors] == [
        ("mother_nik", "Enter mother's NIK: 16 digits, as on the KTP or the family card.")
    ]


def test_a_complete_application_is_cleaned_to_json_types():
    cleaned, errors = validate_answers(
        definition=definition(BIRTH),
        answers=birth_answers(
            child_name="  Ayu   Lestari ",
            birth_date="17-08-2024",
            kk_number="3578 0501 0112 0001",
            has_birth_statement="ya",
            unknown_question="dropped",
        ),
        context=WOMAN,
    )
    assert errors == []
    assert cleaned == {
        "child_name": "Ayu Lestari",
        "child_sex": "perempuan",
        "birth_date": "2024-08-17",
        "birth_place_city": "3578",
        "kk_number": KK,
        "mother_nik": NIK_WOMAN,
        "parents_status": "tercatat",
        "has_birth_statement": True,
    }


# Field types -----------------------------------------------------------------------------------


def test_text_length_and_pattern():
    assert check(BIRTH, "child_name", " Ayu\n Lestari ") == ("Ayu Lestari", [])
    value, errors = check(BIRTH, "child_name", "Al")
    assert value is None and errors == [("child_name", "Enter at least 3 characters; this has 2.")]
    assert "at most 60 characters; this has 61" in check(BIRTH, "child_name", "A" * 61)[1][0][1]
    assert check(RESIDENCE, "passport_number", "C1234567") == ("C1234567", [])
    value, errors = check(RESIDENCE, "passport_number", "C12-34")
    assert value is None and "not in the expected form" in errors[0][1]
    # A long wrong answer is quoted only in part.
    message = check(RESIDENCE, "passport_number", "Z" * 300, max_length=1000)[1][0][1]
    assert "Z" * 25 not in message and len(message) < 200


def test_text_without_a_limit_is_still_bounded():
    field = {**field_of(BIRTH, "child_name")}
    del field["max_length"]
    _cleaned, errors = validate_answers(
        definition={"form": [field]}, answers={"child_name": "A" * 501}, context=WOMAN
    )
    assert "at most 500" in errors[0].message


def test_textarea_keeps_its_lines_and_its_limit():
    assert check(JOBS, "skills", " Menjahit\r\nMengemudi ") == ("Menjahit\nMengemudi", [])
    assert "at most 1000" in check(JOBS, "skills", "x" * 1001)[1][0][1]


def test_numbers_are_read_as_people_write_them():
    assert check(JOBS, "graduation_year", "2015") == (2015, [])
    assert check(JOBS, "graduation_year", 2015) == (2015, [])
    assert check(SAVINGS, "members_count", "1.500") == (1500, [])
    assert check(SAVINGS, "members_count", "1,500,000", max=None) == (1500000, [])
    assert check(JOBS, "graduation_year", "2015,5")[1] == [
        ("graduation_year", "Enter a whole number, without a decimal part, for example 12.")
    ]
    assert check(JOBS, "graduation_year", "1969")[1] == [
        ("graduation_year", "Enter a number of at least 1970.")
    ]
    assert "at most 2100" in check(JOBS, "graduation_year", 2101)[1][0][1]
    assert "Enter a number" in check(JOBS, "graduation_year", "dua ribu")[1][0][1]
    assert "Enter a number" in check(JOBS, "graduation_year", True)[1][0][1]
    assert "too large" in check(JOBS, "graduation_year", "9" * 20)[1][0][1]
    # A number that may have decimals.
    assert check(JOBS, "graduation_year", "2,5", integer=False, min=0) == (2.5, [])
    assert check(JOBS, "graduation_year", "2.5", integer=False, min=0) == (2.5, [])


def test_money_is_whole_rupiah():
    assert check(SAVINGS, "initial_capital", "Rp 1.500.000,-") == (1500000, [])
    assert check(SAVINGS, "initial_capital", 2_000_000_000) == (2_000_000_000, [])
    assert check(SAVINGS, "initial_capital", "1500000,50")[1] == [
        ("initial_capital", "Enter the amount in whole rupiah, without cents.")
    ]
    assert check(SAVINGS, "initial_capital", "-5")[1] == [
        ("initial_capital", "Enter an amount of at least Rp0.")
    ]


def test_dates_with_limits_including_today_in_jakarta():
    now = today()
    assert check(BIRTH, "birth_date", "2024-08-17") == ("2024-08-17", [])
    assert check(BIRTH, "birth_date", "17/08/2024") == ("2024-08-17", [])
    assert check(BIRTH, "birth_date", now.isoformat()) == (now.isoformat(), [])
    assert "real date" in check(BIRTH, "birth_date", "31-02-2024")[1][0][1]
    assert "real date" in check(BIRTH, "birth_date", "kemarin")[1][0][1]
    tomorrow = (now + datetime.timedelta(days=1)).isoformat()
    assert check(BIRTH, "birth_date", tomorrow)[1] == [
        ("birth_date", "The date cannot be in the future: enter today's date or an earlier one.")
    ]
    yesterday = (now - datetime.timedelta(days=1)).isoformat()
    assert "cannot be in the past" in check(WEDDING, "akad_date", yesterday)[1][0][1]
    assert check(WEDDING, "akad_date", now.isoformat()) == (now.isoformat(), [])
    assert "on or after" in check(BIRTH, "birth_date", "2000-01-01", min="2010-01-01")[1][0][1]


def test_choices_one_or_several():
    assert check(BIRTH, "child_sex", "perempuan") == ("perempuan", [])
    value, errors = check(BIRTH, "child_sex", "tidak tahu" * 10)
    assert value is None and "is not one of the options" in errors[0][1]
    assert "tidak tahu" * 3 not in errors[0][1]
    assert check(WEDDING, "special_cases", ["wna", "tidak_ada", "wna"]) == (
        ["tidak_ada", "wna"],
        [],
    )
    assert check(WEDDING, "special_cases", "wna") == (["wna"], [])
    assert "not one of the options" in check(WEDDING, "special_cases", ["wna", "mars"])[1][0][1]
    assert check(WEDDING, "special_cases", [])[1] == [
        ("special_cases", "Choose at least one option for special circumstances.")
    ]


def test_yes_no_is_a_boolean_and_no_is_an_answer():
    for typed, expected in (("true", True), ("ya", True), ("tidak", False), (False, False)):
        assert check(BIRTH, "has_birth_statement", typed) == (expected, [])
    assert check(BIRTH, "has_birth_statement", "mungkin")[1] == [
        ("has_birth_statement", "Answer yes or no.")
    ]
    assert check(BIRTH, "has_birth_statement", None)[1] == [
        ("has_birth_statement", "Answer yes or no.")
    ]


def test_nik_hard_errors_block_and_warnings_do_not():
    assert check(BIRTH, "mother_nik", "3578 0565-0392 0001") == (NIK_WOMAN, [])
    assert "16 digits; this one has 4" in check(BIRTH, "mother_nik", "1234")[1][0][1]
    assert "day of birth" in check(BIRTH, "mother_nik", "3578059903920001")[1][0][1]
    # A district missing from the region list is only a warning: the NIK is accepted.
    assert check(BIRTH, "mother_nik", "3578996503920001") == ("3578996503920001", [])


def test_family_card_and_business_numbers():
    assert check(BIRTH, "kk_number", KK) == (KK, [])
    assert "ends in 0000" in check(BIRTH, "kk_number", "3578050101120000")[1][0][1]
    assert check(SAVINGS, "nib", "9120 0012 3456 7") == ("9120001234567", [])
    assert check(SAVINGS, "nib", "12345")[1] == [
        ("nib", "A NIB has 13 digits; this one has 5. Check the number on the OSS certificate.")
    ]
    assert "only digits" in check(SAVINGS, "nib", "91200O1234567")[1][0][1]


def test_email_and_phone():
    assert check(COOPERATIVE_ID, "ods_email", " Siti@Contoh.ID ") == ("Siti@contoh.id", [])
    assert "nama@contoh.id" in check(COOPERATIVE_ID, "ods_email", "siti@")[1][0][1]
    for typed in ("0812-3456-7890", "+62 812 3456 7890", "6281234567890", "+62 (0)812 3456 7890"):
        assert check(JOBS, "phone", typed) == ("081234567890", []), typed
    assert "starts with 08" in check(JOBS, "phone", "031-5312144")[1][0][1]
    assert "10 to 14 digits" in check(JOBS, "phone", "0812345")[1][0][1]
    assert "10 to 14 digits" in check(JOBS, "phone", "08123456789012345")[1][0][1]


def test_regions_by_code_or_by_name_at_the_fields_level():
    assert check(BIRTH, "birth_place_city", "3578") == ("3578", [])
    assert check(BIRTH, "birth_place_city", "35.78") == ("3578", [])
    assert check(BIRTH, "birth_place_city", "Kota Surabaya, Jawa Timur (3578)") == ("3578", [])
    assert check(BIRTH, "birth_place_city", "Surabaya") == ("3578", [])
    assert "province" in check(BIRTH, "birth_place_city", "35")[1][0][1]
    assert (
        "no city or regency with the code 9999" in check(BIRTH, "birth_place_city", "9999")[1][0][1]
    )
    assert check(LAND, "land_village", "Kedungdoro") == ("3578051003", [])
    # Two districts are called Tegalsari: the message lists both with their codes.
    value, errors = check(WEDDING, "kua_district", "Tegalsari")
    assert value is None and "357805" in errors[0][1] and "351023" in errors[0][1]
    assert check(WEDDING, "kua_district", "Tegalsari, Kota Surabaya") == ("357805", [])
    assert "No district" in check(WEDDING, "kua_district", "Atlantis")[1][0][1]


def test_an_address_has_a_street_and_a_village():
    answers = {"street": "Jl. Kedungdoro No. 12", "village": "3578051003"}
    assert check(RESIDENCE, "residence_address", answers) == (answers, [])
    value, errors = check(RESIDENCE, "residence_address", {"street": "Jl. Kenari 3"})
    assert value is None and [path for path, _message in errors] == ["residence_address.village"]
    value, errors = check(RESIDENCE, "residence_address", {"street": "", "village": "99"})
    assert [path for path, _message in errors] == [
        "residence_address.street",
        "residence_address.village",
    ]
    assert check(RESIDENCE, "residence_address", None)[1][0][0] == "residence_address"


def test_a_file_field_is_answered_by_the_submissions_upload(people):
    submission = draft(people["warga"])
    answers = birth_answers()
    _cleaned, errors = validate_answers(
        definition=definition(BIRTH), answers=answers, context=WOMAN, submission=submission
    )
    assert {error.path for error in errors} == {"birth_statement_file", "marriage_book_file"}
    assert "PDF, JPEG or PNG, at most 5 MB" in errors[0].message
    document = uploaded(submission, "birth_statement_file")
    replaced = uploaded(submission, "marriage_book_file")
    replaced.replaced = True
    replaced.save()
    cleaned, errors = validate_answers(
        definition=definition(BIRTH), answers=answers, context=WOMAN, submission=submission
    )
    assert cleaned["birth_statement_file"] == str(document.public_id)
    assert [error.path for error in errors] == ["marriage_book_file"]
    # Without a submission the uploads cannot be looked at, and are not demanded.
    _cleaned, errors = validate_answers(
        definition=definition(BIRTH), answers=answers, context=WOMAN
    )
    assert errors == []


# Groups ----------------------------------------------------------------------------------------


def witness(name="Budi Santoso", nik=NIK_MAN):
    return {"name": name, "nik": nik}


def test_a_group_needs_between_min_and_max_items_each_checked_at_its_path():
    fields = definition(MARRIAGE)
    context = MAN

    def witnesses(items):
        cleaned, errors = validate_answers(
            definition=fields, answers={"witnesses": items}, context=context
        )
        return cleaned.get("witnesses"), [
            (error.path, error.message) for error in errors if error.path.startswith("witnesses")
        ]

    assert witnesses([witness(), witness("Siti Rahayu", NIK_WOMAN)]) == (
        [witness(), witness("Siti Rahayu", NIK_WOMAN)],
        [],
    )
    assert witnesses([witness()])[1] == [("witnesses", "Add at least 2 entries. There is 1 now.")]
    assert witnesses([witness()] * 3)[1] == [("witnesses", "Enter at most 2 entries; remove 1.")]
    _value, errors = witnesses([witness(), witness(nik="1234")])
    assert [path for path, _message in errors] == ["witnesses[1].nik"]
    assert witnesses(None)[1] == [("witnesses", "Add at least 2 entries. There are 0 now.")]
    assert witnesses("Budi")[1][0][0] == "witnesses"


def test_empty_rows_shown_by_a_page_are_checked_up_to_the_minimum_and_ignored_beyond():
    fields = definition(MARRIAGE)
    _cleaned, errors = validate_answers(
        definition=fields, answers={"witnesses": [{}, witness(), {}]}, context=MAN
    )
    group_errors = [error.path for error in errors if error.path.startswith("witnesses")]
    assert group_errors == ["witnesses[0].name", "witnesses[0].nik"]


def test_an_optional_group_may_stay_empty_but_a_started_item_is_checked():
    fields = definition(JOBS)

    def experience(items):
        cleaned, errors = validate_answers(
            definition=fields, answers={"experience": items}, context=WOMAN
        )
        return cleaned.get("experience"), [e.path for e in errors if e.path.startswith("exp")]

    assert experience([]) == (None, [])
    assert experience([{"employer": "", "position": ""}]) == (None, [])
    item = {"employer": "PT Maju", "position": "Kasir", "years": "3"}
    assert experience([item]) == ([{**item, "years": 3}], [])
    assert experience([{"employer": "PT Maju"}])[1] == [
        "experience[0].position",
        "experience[0].years",
    ]


# Document requirements -----------------------------------------------------------------------


def test_a_requirement_whose_rule_holds_needs_its_file_even_when_the_field_is_optional(people):
    # As if the service had made the birth statement optional and relied on required_if.
    changed = definition(BIRTH)
    for field in changed["form"]:
        if field["key"] == "birth_statement_file":
            field["required"] = False
            field.pop("when")
    submission = draft(people["warga"])
    uploaded(submission, "marriage_book_file")
    _cleaned, errors = validate_answers(
        definition=changed, answers=birth_answers(), context=WOMAN, submission=submission
    )
    assert [(error.path, error.message) for error in errors] == [
        (
            "birth_statement_file",
            "Upload Birth statement from the hospital, community health centre, clinic, doctor "
            "or midwife: your answers make it necessary.",
        )
    ]
    # Without a birth statement the requirement's rule does not hold.
    answers = birth_answers(has_birth_statement=False)
    uploaded(submission, "sptjm_birth_file")
    _cleaned, errors = validate_answers(
        definition=changed, answers=answers, context=WOMAN, submission=submission
    )
    assert errors == []


def test_answers_that_are_not_an_object_are_refused():
    cleaned, errors = validate_answers(definition=definition(BIRTH), answers=[1], context=WOMAN)
    assert cleaned == {} and errors[0].path == ""


# Prefill ------------------------------------------------------------------------------------------


def test_prefill_from_the_citizen_profile(people):
    answers = prefill(definition=definition(JOBS), user=people["warga"])
    assert answers == {
        "nik": NIK_WOMAN,
        "full_name": "Siti Rahayu",
        "phone": "081234567890",
    }
    assert prefill(definition=definition(BIRTH), user=people["warga"]) == {"mother_nik": NIK_WOMAN}
    assert prefill(definition=definition(BIRTH), user=people["petugas.dukcapil"]) == {}


def test_prefill_from_the_business_and_its_address(people):
    business = BusinessProfile.objects.filter(representatives=people["warga"]).first()
    business.nib, business.address, business.region_code = (
        "9120001234567",
        "Jl. Tunjungan 1",
        "3578051003",
    )
    answers = prefill(definition=definition(SAVINGS), user=people["warga"], business=business)
    assert answers["nib"] == "9120001234567"
    assert answers["cooperative_name"] == business.name
    assert answers["office_address"] == {"street": "Jl. Tunjungan 1", "village": "3578051003"}
    assert (
        validate_answers(
            definition={"form": [field_of(SAVINGS, "office_address")]},
            answers={"office_address": answers["office_address"]},
            context=WOMAN,
        )[1]
        == []
    )


def test_prefill_never_overwrites_what_was_typed():
    typed = {"nik": "3578101708850003", "full_name": "", "has_certificates": False}
    prefilled = {"nik": NIK_WOMAN, "full_name": "Siti Rahayu", "has_certificates": True}
    assert merge_prefill(answers=typed, prefilled=prefilled) == {
        "nik": "3578101708850003",
        "full_name": "Siti Rahayu",
        "has_certificates": False,
    }


# The page's form ------------------------------------------------------------------------------


def test_the_form_asks_the_visible_questions_with_fitting_inputs():
    form = build_form(definition=definition(BIRTH), initial=birth_answers(), context=WOMAN)
    assert not form.is_bound
    assert "mother_nik" in form.fields and "sptjm_birth_file" not in form.fields
    assert "birth_statement_file" in form.fields  # has_birth_statement is true in the draft
    html = {name: str(form[name]) for name in form.fields}
    assert (
        'type="date"' in html["birth_date"] and f'max="{today().isoformat()}"' in html["birth_date"]
    )
    assert 'value="2024-08-17"' in html["birth_date"]
    assert (
        'inputmode="numeric"' in html["mother_nik"] and 'inputmode="numeric"' in html["kk_number"]
    )
    assert 'type="radio"' in html["has_birth_statement"]
    assert 'value="true" id="id_has_birth_statement_0" checked' in html["has_birth_statement"]
    assert 'type="radio"' in html["child_sex"]
    assert 'type="file"' in html["birth_statement_file"]
    assert (
        'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"'
        in html["birth_statement_file"]
    )
    assert "Kota Surabaya, Jawa Timur (3578)" in html["birth_place_city"]
    form = build_form(definition=definition(BIRTH), initial={}, context=MAN)
    assert "mother_nik" not in form.fields


def test_long_choices_are_a_list_and_phones_use_the_number_keyboard():
    form = build_form(definition=definition(MARRIAGE), context=MAN)
    assert "<select" in str(form["religion"])  # seven options
    assert 'type="checkbox"' in str(form["special_cases"])
    form = build_form(definition=definition(JOBS), context=WOMAN)
    phone = str(form["phone"])
    assert 'type="tel"' in phone and 'inputmode="numeric"' in phone
    assert "<textarea" in str(form["skills"])


def test_labels_and_hints_are_in_the_active_language():
    with translation.override("id"):
        form = build_form(definition=definition(BIRTH), context=WOMAN)
        assert form.fields["child_name"].label == "Nama lengkap anak"
        assert "Permendagri 73/2022" in form.fields["child_name"].help_text
    form = build_form(definition=definition(BIRTH), context=WOMAN)
    assert form.fields["child_name"].label == "Child's full name"
    form = build_form(definition=definition(JOBS), context=WOMAN)
    assert form.fields["major"].label == "Major or field of study (optional)"


def test_group_rows_are_numbered_fields_with_room_to_add_another():
    form = build_form(definition=definition(MARRIAGE), context=MAN)
    assert {"witnesses-0-name", "witnesses-0-nik", "witnesses-1-name", "witnesses-1-nik"} <= set(
        form.fields
    )
    assert "witnesses-2-name" not in form.fields
    entry = next(entry for entry in form.layout() if entry.key == "witnesses")
    assert [row.number for row in entry.rows] == [1, 2]
    assert entry.can_add is False  # two witnesses exactly
    form = build_form(
        definition=definition(SCHOOL),
        data=post(**{"school_choices-0-npsn": "20532145", ADD_ROW_BUTTON: "school_choices"}),
        context=WOMAN,
    )
    assert form.refresh_requested and not form.is_valid() and not form.errors
    assert "school_choices-1-npsn" in form.fields
    entry = next(entry for entry in form.layout() if entry.key == "school_choices")
    assert len(entry.rows) == 2 and entry.can_add
    assert str(form["school_choices-0-npsn"]).count('value="20532145"') == 1


def test_updating_the_questions_shows_the_ones_that_now_apply_without_errors():
    data = post(child_name="Ayu", has_birth_statement="false", **{UPDATE_BUTTON: "1"})
    form = build_form(definition=definition(BIRTH), data=data, context=WOMAN)
    assert form.refresh_requested
    assert not form.is_valid() and not form.errors
    assert "sptjm_birth_file" in form.fields and "birth_statement_file" not in form.fields
    assert form.draft_answers()["has_birth_statement"] == "false"
    assert 'value="Ayu"' in str(form["child_name"])


def test_an_invalid_post_keeps_typed_values_and_puts_errors_next_to_their_fields():
    data = post(
        child_name="Ayu Lestari",
        birth_date="31-02-2024",
        kk_number="3578 0501",
        mother_nik=NIK_WOMAN,
        has_birth_statement="true",
        special="x",
    )
    form = build_form(definition=definition(BIRTH), data=data, context=WOMAN)
    assert not form.is_valid()
    assert "real date" in form.errors["birth_date"][0]
    assert "16 digits" in form.errors["kk_number"][0]
    assert form.errors["child_sex"] == ["Choose child's sex."]
    assert "child_name" not in form.errors
    assert 'value="31-02-2024"' in str(form["birth_date"])
    assert 'value="3578 0501"' in str(form["kk_number"])
    summary = form.error_summary()
    assert summary[0] == {"id": "id_child_sex_0", "message": "Choose child's sex."}
    assert {item["id"] for item in summary} >= {"id_birth_date", "id_kk_number"}


def test_errors_in_group_rows_and_addresses_reach_their_boxes():
    data = post(
        groom_nik=NIK_MAN,
        bride_nik=NIK_WOMAN,
        **{
            "witnesses-0-name": "Budi Santoso",
            "witnesses-0-nik": NIK_MAN,
            "witnesses-1-name": "Rina",
            "witnesses-1-nik": "1234",
        },
    )
    form = build_form(definition=definition(MARRIAGE), data=data, context=MAN)
    assert not form.is_valid()
    assert "16 digits" in form.errors["witnesses-1-nik"][0]
    assert "witnesses-0-nik" not in form.errors
    data = post(akad_place="luar_kua", akad_address_street="Jl. Kenari 3")
    form = build_form(definition=definition(WEDDING), data=data, context=WOMAN)
    assert not form.is_valid()
    assert "village" in form.errors["akad_address_village"][0]
    assert "akad_address_street" not in form.errors


def test_a_valid_post_gives_the_cleaned_answers():
    values = {
        "child_name": "Ayu Lestari",
        "child_sex": "perempuan",
        "birth_date": "2024-08-17",
        "birth_place_city": "Surabaya",
        "kk_number": KK,
        "mother_nik": NIK_WOMAN,
        "parents_status": "tercatat",
        "has_birth_statement": "true",
    }
    form = build_form(definition=definition(BIRTH), data=post(**values), context=WOMAN)
    assert form.is_valid(), form.errors
    assert form.answers == birth_answers()


def test_form_values_and_answers_convert_both_ways():
    fields = definition(MARRIAGE)
    answers = {
        "groom_nik": NIK_MAN,
        "witnesses": [witness(), witness("Siti Rahayu", NIK_WOMAN)],
        "special_cases": ["wna"],
    }
    initial = initial_from_answers(definition=fields, answers=answers)
    assert initial["witnesses-1-name"] == "Siti Rahayu"
    assert initial["special_cases"] == ["wna"]
    assert answers_from_cleaned_data(definition=fields, cleaned_data=initial) == answers
    wedding = initial_from_answers(
        definition=definition(WEDDING),
        answers={"both_muslim": True, "akad_address": {"street": "Jl. A", "village": "3578051003"}},
    )
    assert wedding["both_muslim"] == "true"
    assert wedding["akad_address_village"].endswith("(3578051003)")


def test_the_form_checks_uploads_of_the_draft(people):
    submission = draft(people["warga"])
    values = {key: str(value) for key, value in birth_answers().items()}
    values["has_birth_statement"] = "true"
    form = build_form(
        definition=definition(BIRTH), data=post(**values), context=WOMAN, submission=submission
    )
    assert not form.is_valid()
    assert set(form.errors) == {"birth_statement_file", "marriage_book_file"}
    uploaded(submission, "birth_statement_file")
    uploaded(submission, "marriage_book_file")
    form = build_form(
        definition=definition(BIRTH), data=post(**values), context=WOMAN, submission=submission
    )
    assert form.is_valid(), form.errors
    assert "Uploaded: scan.pdf" in form.fields["birth_statement_file"].help_text
    form = build_form(
        definition=definition(BIRTH), data=post(**values), context=WOMAN, submission=submission
    )
    form.add_upload_error("birth_statement_file", "This file is not a PDF file.")
    assert not form.is_valid()
    assert form.errors["birth_statement_file"] == ["This file is not a PDF file."]
