"""The life-event format (issue: life events that fill each service's form): a service entry
says why it applies (`why`) and why not (`why_not`, required with `when`), its `map` fills
every field the service's form needs from a question, the profile, a registry the citizen
consented to, an earlier outcome or a constant, and `catalog validate` reports each mistake
as `file: path: message`."""

import copy
from pathlib import Path

import pytest
import yaml

from satupintu.catalog.format import DATASETS, parse_source, read_catalogue

EVENT = "life_events/uji.yaml"
TEXT = {"id": "Teks uji", "en": "Test text"}


def text(words: str) -> dict:
    return {"id": words, "en": words}


def service(code: str, form: list[dict], *, states: dict | None = None) -> dict:
    """A complete, valid service definition with ``form``; what a test does not look at is
    the least the schema asks for."""
    requirements = [
        {"code": field["requirement"], "name": text(field["key"]), "kind": "document"}
        for field in form
        if "requirement" in field
    ] or [{"code": "data-pemohon", "name": text("Data pemohon"), "kind": "data"}]
    return {
        "code": code,
        "agency": "dinas-uji",
        "unit": "loket",
        "categories": ["umum"],
        "name": text(code),
        "summary": TEXT,
        "requirements": requirements,
        "procedure": [TEXT],
        "form": form,
        "workflow": {
            "start": "diajukan",
            "states": states
            or {
                "diajukan": {"label": text("Diajukan")},
                "verifikasi": {"label": text("Verifikasi")},
                "terbit": {"label": text("Terbit"), "final": True, "outcome": True},
            },
            "transitions": [
                {"from": "diajukan", "to": "verifikasi", "by": "officer", "name": TEXT},
                {"from": "verifikasi", "to": "terbit", "by": "officer", "name": TEXT},
            ],
        },
        "deadline": {"working_days": 1},
        "fee": {"amount": 0},
        "product": {"name": TEXT},
        "complaints": {"channels": [{"kind": "satupintu"}]},
        "standard": {
            "legal_basis": ["UU 25/2009 tentang Pelayanan Publik"],
            "facilities": TEXT,
            "officer_competence": TEXT,
            "internal_supervision": TEXT,
            "officers": 1,
            "service_guarantee": TEXT,
            "security_guarantee": TEXT,
            "evaluation": TEXT,
        },
    }


def field(key: str, kind: str = "text", **extra) -> dict:
    return {"key": key, "type": kind, "label": text(key), **extra}


SEX = [{"value": "L", "label": text("Laki-laki")}, {"value": "P", "label": text("Perempuan")}]
PDF = {"accept": ["application/pdf"], "max_mb": 5}

SERVICES = {
    # A certificate: required fields of several types, and fields that a map may leave out
    # (prefilled, optional, asked only under a condition).
    "dinas-uji.akta": [
        field("child_name"),
        field("birth_date", "date"),
        field("sex", "choice", options=SEX),
        field("statement_file", "file", requirement="surat-lahir", **PDF),
        field("region", "region", level="city"),
        field("parent_nik", "nik", prefill="profile.nik"),
        field("remarks", "textarea", required=False),
        field("witness", "text", when="answers.sex == 'P'"),
    ],
    # A card that needs the certificate's number.
    "dinas-uji.kartu": [
        field("kk_number", "kk"),
        field("certificate_number"),
        field("segment", "choice", options=[{"value": "a", "label": TEXT}]),
        field("members", "number", integer=True),
    ],
    # Waits for the card, and through it for the certificate.
    "dinas-uji.arsip": [
        field("certificate_number"),
        field("certificate_date", "date"),
        field("certificate_copy", "file", requirement="salinan", **PDF),
    ],
}


def base_event() -> dict:
    """A valid life event over the three services above."""
    return {
        "code": "uji",
        "name": text("Uji"),
        "summary": TEXT,
        "questions": [
            field("child_name"),
            field("birth_date", "date"),
            field("sex", "choice", options=SEX),
            field("statement_file", "file", **PDF),
            field("birth_city", "region", level="city"),
            field("kk_number", "kk", prefill="registry.family_card.number"),
            field("members", "number", integer=True),
            field("wants_card", "yes_no"),
        ],
        "prefill": {"purpose": TEXT, "from": ["population.family_card"]},
        "services": [
            {
                "service": "dinas-uji.akta",
                "why": text("Setiap kelahiran dicatat."),
                "map": {
                    "child_name": "answers.child_name",
                    "birth_date": "answers.birth_date",
                    "sex": "answers.sex",
                    "statement_file": "answers.statement_file",
                    "region": "answers.birth_city",
                },
            },
            {
                "service": "dinas-uji.kartu",
                "when": "answers.wants_card == true",
                "why": text("Anda meminta kartu."),
                "why_not": text("Anda tidak meminta kartu."),
                "after": {"service": "dinas-uji.akta", "state": "terbit"},
                "map": {
                    "kk_number": "registry.family_card.number",
                    "certificate_number": "outcome.dinas-uji.akta.document_number",
                    "segment": {"value": "a"},
                    "members": "answers.members",
                },
            },
            {
                "service": "dinas-uji.arsip",
                "when": "answers.wants_card == true",
                "why_not": text("Tanpa kartu tidak ada arsip."),
                "after": {"service": "dinas-uji.kartu", "state": "terbit"},
                "map": {
                    "certificate_number": "outcome.dinas-uji.akta.document_number",
                    "certificate_date": "outcome.dinas-uji.akta.issued_on",
                    "certificate_copy": "outcome.dinas-uji.akta.document",
                },
            },
        ],
    }


def write(folder: Path, relative: str, data) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def folder(tmp_path) -> Path:
    """A small catalogue: one agency, three services and the life event above."""
    root = tmp_path / "definitions"
    write(
        root,
        "organisations.yaml",
        {
            "agencies": [
                {
                    "code": "dinas-uji",
                    "name": text("Dinas Uji"),
                    "level": "city",
                    "units": [{"code": "loket", "name": text("Loket")}],
                }
            ]
        },
    )
    write(root, "categories.yaml", {"categories": [{"code": "umum", "name": text("Umum")}]})
    for code, form in SERVICES.items():
        write(root, f"services/dinas-uji/{code.split('.')[1]}.yaml", service(code, form))
    write(root, EVENT, base_event())
    return root


def problems_with(folder: Path, change) -> list[str]:
    """The problems of the catalogue once ``change`` has edited the life event."""
    event = copy.deepcopy(base_event())
    change(event)
    write(folder, EVENT, event)
    return [str(problem) for problem in read_catalogue(folder).problems]


def test_the_small_catalogue_is_valid(folder):
    # Fields that are prefilled, optional or conditional need no source in the map.
    assert [str(problem) for problem in read_catalogue(folder).problems] == []


# Every field a service's form needs is given -------------------------------------------


def test_a_required_field_the_map_does_not_give_is_a_problem(folder):
    def change(event):
        del event["services"][0]["map"]["birth_date"]
        del event["services"][2]["map"]

    assert problems_with(folder, change) == [
        f"{EVENT}: services[0].map: the form of dinas-uji.akta needs 'birth_date' and the map "
        "does not give it; map it from a question, the profile, the registry, an outcome or a "
        "constant",
        *(
            f"{EVENT}: services[2].map: the form of dinas-uji.arsip needs '{key}' and the map "
            "does not give it; map it from a question, the profile, the registry, an outcome "
            "or a constant"
            for key in ("certificate_number", "certificate_date", "certificate_copy")
        ),
    ]


def test_a_field_that_is_not_in_the_form_is_a_problem(folder):
    problems = problems_with(
        folder, lambda e: e["services"][0]["map"].update(shoe_size="answers.members")
    )
    assert problems == [
        f"{EVENT}: services[0].map.shoe_size: 'shoe_size' is not a field of dinas-uji.akta's form"
    ]


# A question's answer must fit the field it fills ---------------------------------------


@pytest.mark.parametrize(
    ("target", "source", "message"),
    [
        (
            "birth_date",
            "answers.child_name",
            "answers.child_name is a text question and birth_date is a date field; map a "
            "question of type date",
        ),
        (
            "sex",
            "answers.members",
            "answers.members is a number question and sex is a choice field; map a question "
            "of type choice",
        ),
        (
            "child_name",
            "answers.statement_file",
            "answers.statement_file is a file question and child_name is a text field; a file "
            "can fill only a file field, and a file field only from a file question",
        ),
        (
            "statement_file",
            "answers.child_name",
            "answers.child_name is a text question and statement_file is a file field; a file "
            "can fill only a file field, and a file field only from a file question",
        ),
    ],
)
def test_an_answer_of_the_wrong_type_is_a_problem(folder, target, source, message):
    problems = problems_with(folder, lambda e: e["services"][0]["map"].update({target: source}))
    assert problems == [f"{EVENT}: services[0].map.{target}: {message}"]


def test_a_text_field_takes_any_simple_answer(folder):
    # A date, a number and a choice can be written into a text field as they are.
    for source in ("answers.birth_date", "answers.members", "answers.sex", "answers.kk_number"):
        problems = problems_with(
            folder, lambda e, s=source: e["services"][0]["map"].update(child_name=s)
        )
        assert problems == [], source


def test_a_choice_with_options_the_field_does_not_offer_is_a_problem(folder):
    def change(event):
        event["questions"][2]["options"].append({"value": "X", "label": TEXT})

    assert problems_with(folder, change) == [
        f"{EVENT}: services[0].map.sex: answers.sex may be X, which sex does not offer (its "
        "options: L, P); give the question the field's options"
    ]


def test_a_region_of_another_level_is_a_problem(folder):
    def change(event):
        event["questions"][4]["level"] = "district"

    assert problems_with(folder, change) == [
        f"{EVENT}: services[0].map.region: answers.birth_city is a region of level district "
        "and region one of level city; use the same level"
    ]


def test_a_file_question_must_accept_no_more_than_the_field(folder):
    def change(event):
        event["questions"][3]["accept"] = ["application/pdf", "image/png"]

    assert problems_with(folder, change) == [
        f"{EVENT}: services[0].map.statement_file: answers.statement_file accepts image/png, "
        "which statement_file does not take; give the question accept: [application/pdf] or "
        "fewer"
    ]


@pytest.mark.parametrize(
    ("target", "value", "message"),
    [
        ("segment", "b", "'b' is not an option of segment (its options: a)"),
        ("members", "tiga", "members is a number field: give a number"),
        ("members", 2.5, "members takes whole numbers: give an integer"),
        ("kk_number", 3578, "kk_number is a kk field: give the value as text (in quotes)"),
    ],
)
def test_a_constant_must_fit_its_field(folder, target, value, message):
    problems = problems_with(
        folder, lambda e: e["services"][1]["map"].update({target: {"value": value}})
    )
    assert problems == [f"{EVENT}: services[1].map.{target}: {message}"]


def test_a_constant_date_is_written_as_a_date(folder):
    def change(event):
        event["services"][2]["map"]["certificate_date"] = {"value": "15 Januari 2025"}

    assert problems_with(folder, change) == [
        f"{EVENT}: services[2].map.certificate_date: certificate_date is a date: write it as "
        "YYYY-MM-DD"
    ]
    assert (
        problems_with(
            folder,
            lambda e: e["services"][2]["map"].update(certificate_date={"value": "2025-01-15"}),
        )
        == []
    )


# Sources name what exists --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "answers.nickname",
            "answers.nickname is not a question of this life event (questions: birth_city, "
            "birth_date, child_name, kk_number, members, sex, statement_file, wants_card)",
        ),
        (
            "answers.child_name.first",
            "'answers.child_name.first' does not name a question; a map takes a whole answer as "
            "answers.<question key> (not a field inside a group)",
        ),
        ("profile.shoe_size", "'profile.shoe_size' is not known; use one of profile.address"),
        ("registry.pets.name", "'registry.pets.name' names no registry; use registry.person"),
        (
            "registry.family_card.members",
            "'registry.family_card.members' is not in the population.family_card registry",
        ),
        (
            "registry.person.name",
            "registry.person.name comes from the population.person registry, which this life "
            "event does not read; add population.person to prefill.from",
        ),
        (
            "nowhere.child_name",
            "'nowhere.child_name' is not allowed; use answers.<question>, profile.<attribute>",
        ),
    ],
)
def test_an_unknown_source_is_a_problem(folder, source, message):
    problems = problems_with(folder, lambda e: e["services"][0]["map"].update(child_name=source))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{EVENT}: services[0].map.child_name: {message}")


def test_a_map_value_of_the_wrong_shape_is_a_schema_problem(folder):
    problems = problems_with(
        folder, lambda e: e["services"][0]["map"].update(child_name={"valeu": "Budi"})
    )
    assert problems == [
        f"{EVENT}: services[0].map.child_name: {{'valeu': 'Budi'}} is not allowed; use "
        "answers.<question>, profile.<attribute>, business.<attribute>, registry.<dataset "
        "key>.<path>, outcome.<service code>.<field> or a constant as {value: …}"
    ]


# Registries: only with the citizen's consent, only what they hold ----------------------


def test_a_question_prefilled_from_a_registry_the_event_does_not_read_is_a_problem(folder):
    problems = problems_with(folder, lambda e: e["prefill"].update({"from": ["population.person"]}))
    assert problems == [
        f"{EVENT}: questions[5].prefill: registry.family_card.number comes from the "
        "population.family_card registry, which this life event does not read; add "
        "population.family_card to prefill.from",
        f"{EVENT}: services[1].map.kk_number: registry.family_card.number comes from the "
        "population.family_card registry, which this life event does not read; add "
        "population.family_card to prefill.from",
    ]


def test_a_question_prefilled_from_an_unknown_registry_path_is_a_problem(folder):
    problems = problems_with(
        folder, lambda e: e["questions"][5].update(prefill="registry.family_card.colour")
    )
    assert problems == [
        f"{EVENT}: questions[5].prefill: 'registry.family_card.colour' is not in the "
        "population.family_card registry; use one of registry.family_card.address, "
        "registry.family_card.father.name, registry.family_card.father.nik, "
        "registry.family_card.head.name, registry.family_card.head.nik, "
        "registry.family_card.mother.name, registry.family_card.mother.nik, "
        "registry.family_card.number"
    ]


def test_only_the_four_registries_may_be_read(folder):
    problems = problems_with(folder, lambda e: e["prefill"]["from"].append("tax.returns"))
    assert problems == [
        f"{EVENT}: prefill.from[1]: 'tax.returns' is not allowed; use one of: population.person, "
        "population.family_card, business.registration, education.student"
    ]


def test_a_question_prefill_that_is_no_source_is_a_schema_problem(folder):
    problems = problems_with(folder, lambda e: e["questions"][0].update(prefill="kk.number"))
    assert problems == [
        f"{EVENT}: questions[0].prefill: 'kk.number' is not allowed; use profile.<attribute>, "
        "business.<attribute> or registry.<dataset key>.<path>"
    ]


def test_a_service_form_cannot_prefill_from_a_registry(folder):
    form = copy.deepcopy(SERVICES["dinas-uji.akta"])
    form[0]["prefill"] = "registry.person.name"
    write(folder, "services/dinas-uji/akta.yaml", service("dinas-uji.akta", form))
    problems = [str(problem) for problem in read_catalogue(folder).problems]
    assert problems[0].startswith(
        "services/dinas-uji/akta.yaml: form[0].prefill: 'registry.person.name' is not allowed; "
        "use one of: profile.name, profile.nik"
    )


def test_every_registry_path_is_a_source():
    for dataset in DATASETS.values():
        for path in dataset.paths:
            source = parse_source(f"registry.{dataset.key}.{path}")
            assert (source.kind, source.dataset, source.path) == ("registry", dataset, path)


# Outcomes are known only for what the service waits for -------------------------------


def test_an_outcome_the_service_does_not_wait_for_is_a_problem(folder):
    def change(event):
        del event["services"][1]["after"]
        event["services"][2]["after"]["service"] = "dinas-uji.akta"

    assert problems_with(folder, change) == [
        f"{EVENT}: services[1].map.certificate_number: the outcome of dinas-uji.akta is not "
        "known when dinas-uji.kartu starts, as dinas-uji.kartu does not wait for it; add "
        "after: {service: dinas-uji.akta, state: terbit} to this service or to a service it "
        "waits for"
    ]


def test_an_outcome_waited_for_at_a_state_without_outcome_is_a_problem(folder):
    def change(event):
        event["services"][1]["after"]["state"] = "verifikasi"

    problems = problems_with(folder, change)
    assert problems[0] == (
        f"{EVENT}: services[1].map.certificate_number: dinas-uji.kartu waits for dinas-uji.akta "
        "to reach 'verifikasi', where no outcome is issued, so "
        "outcome.dinas-uji.akta.document_number is not known yet; wait for a state with "
        "outcome: true (its outcome states: terbit)"
    )
    # dinas-uji.arsip waits for it through dinas-uji.kartu: the same problem, three times.
    assert [p.split(": ")[1] for p in problems[1:]] == [
        "services[2].map.certificate_number",
        "services[2].map.certificate_date",
        "services[2].map.certificate_copy",
    ]


def test_an_outcome_of_a_service_outside_the_event_is_a_problem(folder):
    problems = problems_with(
        folder,
        lambda e: e["services"][2]["map"].update(
            certificate_number="outcome.dinas-uji.paspor.document_number"
        ),
    )
    assert problems == [
        f"{EVENT}: services[2].map.certificate_number: 'dinas-uji.paspor' is not a service of "
        "this life event"
    ]


@pytest.mark.parametrize(
    ("target", "source", "message"),
    [
        (
            "certificate_number",
            "outcome.dinas-uji.akta.number",
            "'outcome.dinas-uji.akta.number' is not an outcome; write outcome.<service "
            "code>.<field> with the field document_number, issued_on or document",
        ),
        (
            "certificate_copy",
            "outcome.dinas-uji.akta.document_number",
            "outcome.dinas-uji.akta.document_number fills kk or nib or text or textarea fields "
            "only, and certificate_copy is a file field; a file field can take "
            "outcome.<service>.document",
        ),
    ],
)
def test_an_outcome_part_must_exist_and_fit(folder, target, source, message):
    problems = problems_with(folder, lambda e: e["services"][2]["map"].update({target: source}))
    assert problems == [f"{EVENT}: services[2].map.{target}: {message}"]


# Why a service does not apply ----------------------------------------------------------


def test_a_condition_without_why_not_is_a_problem(folder):
    problems = problems_with(folder, lambda e: e["services"][1].pop("why_not"))
    assert problems == [
        f"{EVENT}: services[1].why_not: is required with when: say in plain words, in both "
        "languages, why this service does not apply when its condition is false"
    ]


def test_why_not_without_a_condition_is_a_problem(folder):
    problems = problems_with(folder, lambda e: e["services"][0].update(why_not=TEXT))
    assert problems == [
        f"{EVENT}: services[0].why_not: is shown only when the service's when is false, and "
        "this service has no when; remove why_not or add a when"
    ]


def test_why_and_why_not_are_bilingual(folder):
    problems = problems_with(folder, lambda e: e["services"][1].update(why="Anda meminta kartu."))
    assert problems == [
        f"{EVENT}: services[1].why: 'Anda meminta kartu.' is not of type 'object'; give the "
        "text in both languages as {id: …, en: …}"
    ]


# Services that wait for each other in a circle -----------------------------------------


@pytest.mark.django_db
def test_catalog_validate_reports_services_waiting_in_a_circle(folder, capsys):
    from satupintu.cli import main

    def change(event):
        event["services"][0]["after"] = {"service": "dinas-uji.arsip", "state": "terbit"}

    problems_with(folder, change)
    assert main(["catalog", "validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{EVENT}: services[0].after: the services wait for each other in a circle, so none of "
        "them would ever start: dinas-uji.akta → dinas-uji.arsip → dinas-uji.kartu → "
        "dinas-uji.akta; remove one of these after"
    ) in out


# The shipped catalogue -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    from django.conf import settings

    return read_catalogue(Path(settings.PACKAGE_DIR) / "definitions")


def test_the_shipped_catalogue_follows_the_format(shipped):
    assert [str(problem) for problem in shipped.problems] == []
    for document in shipped.life_events:
        for entry in document.data["services"]:
            assert "map" in entry, (document.path, entry["service"])
            if "when" in entry:
                assert entry["why_not"]["id"] and entry["why_not"]["en"]


def test_a_birth_reaches_three_agencies_from_one_submission(shipped):
    (birth,) = [d.data for d in shipped.life_events if d.data["code"] == "kelahiran"]
    agencies = {entry["service"].split(".")[0] for entry in birth["services"]}
    unconditional = {
        entry["service"].split(".")[0] for entry in birth["services"] if "when" not in entry
    }
    assert agencies >= {"dukcapil-surabaya", "dinkes-surabaya", "bpjs-kesehatan-surabaya"}
    assert unconditional >= {"dukcapil-surabaya", "dinkes-surabaya"}
    family_card = next(
        e for e in birth["services"] if e["service"] == "dukcapil-surabaya.perubahan-kk"
    )
    assert family_card["after"] == {
        "service": "dukcapil-surabaya.akta-kelahiran",
        "state": "terbit",
    }
    assert (
        family_card["map"]["birth_certificate_number"]
        == "outcome.dukcapil-surabaya.akta-kelahiran.document_number"
    )
    # The family card number comes from the registry through a question, so that a citizen
    # who does not consent can type it.
    (kk,) = [q for q in birth["questions"] if q["key"] == "kk_number"]
    assert kk["prefill"] == "registry.family_card.number"
    assert all(
        entry["map"].get("kk_number", "answers.kk_number") == "answers.kk_number"
        for entry in birth["services"]
    )


def test_self_isolation_support_is_delivered_by_partners(shipped):
    (event,) = [d.data for d in shipped.life_events if d.data["code"] == "isolasi-mandiri"]
    assert [entry["service"] for entry in event["services"]] == [
        "dinkes-surabaya.pemantauan-isolasi",
        "dinsos-surabaya.bantuan-pangan-isolasi",
    ]
    (food,) = [
        d.data
        for d in shipped.services
        if d.data["code"] == "dinsos-surabaya.bantuan-pangan-isolasi"
    ]
    partners = {p["code"] for p in shipped.organisations.data["partners"]}
    assert set(food["partners"]["organisations"]) == partners
    assert "recipient_nik" not in food["partners"]["sees"]
