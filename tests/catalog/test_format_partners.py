"""Partner fulfilment in the service format (issue: community and business partners deliver
some services): a service names the partner organisations that may fulfil its cases and the
form fields they may see; an officer hands a case to a partner (`requires: [partner]`) and the
partner takes its own steps (`by: partner`). `catalog validate` reports every mistake as
`file: path: message`."""

from pathlib import Path

import pytest
import yaml

from satupintu.catalog.format import read_catalogue

FOOD = "services/dinsos-surabaya/bantuan-pangan-isolasi.yaml"
BIRTH = "services/dukcapil-surabaya/akta-kelahiran.yaml"


def edit(folder: Path, relative: str, change) -> None:
    path = folder / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_after(folder: Path, relative: str, change) -> list[str]:
    edit(folder, relative, change)
    return [str(problem) for problem in read_catalogue(folder).problems]


def transition(data: dict, source: str, target: str) -> int:
    """The index of the transition from ``source`` to ``target``."""
    return next(
        index
        for index, step in enumerate(data["workflow"]["transitions"])
        if (step["from"], step["to"]) == (source, target)
    )


def test_the_food_support_is_fulfilled_by_partners(catalog_dir):
    catalogue = read_catalogue(catalog_dir)
    assert catalogue.problems == []
    (food,) = [d.data for d in catalogue.services if d.path == FOOD]
    steps = {
        (t["from"], t["to"], t["by"]): t.get("requires", [])
        for t in food["workflow"]["transitions"]
    }
    assert steps[("diajukan", "ditugaskan_mitra", "officer")] == ["partner"]
    assert ("ditugaskan_mitra", "diterima_mitra", "partner") in steps
    assert steps[("ditugaskan_mitra", "diajukan", "partner")] == ["reason"]
    assert steps[("diterima_mitra", "terkirim", "partner")] == ["file", "note"]
    assert food["workflow"]["states"]["terkirim"]["final"] is True


def test_an_unknown_partner_is_a_problem(catalog_dir):
    problems = problems_after(
        catalog_dir, FOOD, lambda d: d["partners"]["organisations"].append("warung-fiktif")
    )
    assert problems == [
        f"{FOOD}: partners.organisations[4]: unknown partner 'warung-fiktif'; define it under "
        "partners in organisations.yaml (known partners: kampung-tangguh-wonokromo, "
        "katering-sehat-nusantara, koperasi-warung-rakyat, pkk-tegalsari)"
    ]


def test_a_partner_can_see_only_fields_of_the_form(catalog_dir):
    problems = problems_after(
        catalog_dir, FOOD, lambda d: d["partners"]["sees"].append("medical_history")
    )
    assert problems == [
        f"{FOOD}: partners.sees[7]: 'medical_history' is not a field of this service's form; a "
        "partner can see only top-level fields of the form"
    ]


def test_partners_must_say_what_they_see(catalog_dir):
    problems = problems_after(catalog_dir, FOOD, lambda d: d["partners"].pop("sees"))
    assert problems == [f"{FOOD}: partners.sees: is required"]


def test_a_partner_step_needs_a_service_with_partners(catalog_dir):
    def change(data):
        data["workflow"]["transitions"][0]["by"] = "partner"
        data["workflow"]["transitions"][1]["requires"] = ["message", "partner"]

    assert problems_after(catalog_dir, BIRTH, change) == [
        f"{BIRTH}: workflow.transitions[0].by: only a service fulfilled by partners has steps "
        "taken by a partner; add partners: {organisations: […], sees: […]} or choose another "
        "role",
        f"{BIRTH}: workflow.transitions[1].requires: only a service fulfilled by partners can "
        "hand a case to a partner; add partners: {organisations: […], sees: […]} or remove "
        "partner",
    ]


def test_a_service_with_partners_needs_a_step_that_hands_the_case_over(catalog_dir):
    def change(data):
        data["workflow"]["transitions"][transition(data, "diajukan", "ditugaskan_mitra")][
            "requires"
        ] = []

    assert problems_after(catalog_dir, FOOD, change) == [
        f"{FOOD}: partners: no step hands the case to a partner; add requires: [partner] to the "
        "officer's transition that assigns it"
    ]


def test_a_service_with_partners_needs_a_step_the_partner_takes(catalog_dir):
    def change(data):
        for step in data["workflow"]["transitions"]:
            if step["by"] == "partner":
                step["by"] = "officer"

    assert problems_after(catalog_dir, FOOD, change) == [
        f"{FOOD}: partners: no step is taken by a partner; add the partner's transitions (by: "
        "partner), such as accepting and delivering"
    ]


def test_only_an_officer_chooses_the_partner(catalog_dir):
    def change(data):
        index = transition(data, "ditugaskan_mitra", "diterima_mitra")
        data["workflow"]["transitions"][index]["requires"] = ["partner"]

    problems = problems_after(catalog_dir, FOOD, change)
    assert problems == [
        f"{FOOD}: workflow.transitions[2].requires: an officer or a supervisor chooses the "
        "partner; give this step by: officer"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["partners"].update(organisations=[]),
            f"{FOOD}: partners.organisations: [] should be non-empty",
        ),
        (
            lambda d: d["workflow"]["transitions"][0].update(requires=["courier"]),
            f"{FOOD}: workflow.transitions[0].requires[0]: 'courier' is not allowed; use one of: "
            "message, reason, document_number, file, note, partner",
        ),
    ],
)
def test_the_schema_shapes_partners(catalog_dir, change, expected):
    assert expected in problems_after(catalog_dir, FOOD, change)
