"""The catalogue as code (issue: foundation): `catalog validate` reports each problem as
`file: path.to.field: what is wrong`; `catalog load` is all-or-nothing and idempotent; a
changed definition becomes a new version, an unchanged one does not."""

import shutil
from pathlib import Path

import pytest
import yaml

from satupintu.catalog.format import read_catalogue
from satupintu.catalog.models import LifeEvent, Service, ServiceVersion
from satupintu.catalog.services import DefinitionError, catalog_load, catalog_validate
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SERVICE = "services/dukcapil-surabaya/akta-kelahiran.yaml"


def edit(folder: Path, relative: str, change) -> None:
    path = folder / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    return [str(problem) for problem in read_catalogue(folder).problems]


def test_the_shipped_catalogue_is_valid(catalog_dir):
    catalogue = read_catalogue(catalog_dir)
    assert catalogue.problems == []
    assert len(catalogue.services) >= 60
    assert len(catalogue.life_events) >= 6
    agencies = {document.data["agency"] for document in catalogue.services}
    assert len(agencies) >= 15


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("deadline"), f"{SERVICE}: deadline: is required"),
        (lambda d: d["name"].pop("en"), f"{SERVICE}: name.en: is required"),
        (lambda d: d.update(name="Akta"), f"{SERVICE}: name: 'Akta' is not of type 'object'"),
        (
            lambda d: d.update(unit="loket-99"),
            f"{SERVICE}: unit: 'loket-99' is not a unit of dukcapil-surabaya",
        ),
        (
            lambda d: d.update(agency="dinas-fiktif"),
            f"{SERVICE}: agency: unknown agency 'dinas-fiktif'",
        ),
        (
            lambda d: d["deadline"].update(working_days=-1),
            f"{SERVICE}: deadline.working_days: -1 is less than",
        ),
        (
            lambda d: d["fee"].update(amount="gratis"),
            f"{SERVICE}: fee.amount: 'gratis' is not of type 'integer'",
        ),
        (
            lambda d: d.update(categories=["tidak-ada"]),
            f"{SERVICE}: categories[0]: unknown category 'tidak-ada'",
        ),
        (
            lambda d: d.update(colour="blue"),
            f"{SERVICE}: (file): unknown key ('colour' was unexpected)",
        ),
        (
            lambda d: d["form"][0].update(type="slider"),
            f"{SERVICE}: form[0].type: 'slider' is not allowed",
        ),
        (
            lambda d: d["workflow"].update(start="nowhere"),
            f"{SERVICE}: workflow.start: unknown state 'nowhere'",
        ),
        (
            lambda d: d["workflow"]["transitions"][0].update(to="selesia"),
            f"{SERVICE}: workflow.transitions[0].to: unknown state 'selesia'",
        ),
        (
            lambda d: d.setdefault("eligibility", []).append(
                {"rule": "applicant.age >=", "reason": {"id": "x", "en": "x"}}
            ),
            "is not valid CEL",
        ),
        (
            lambda d: d.setdefault("eligibility", []).append(
                {"rule": "answers.no_such_question == true", "reason": {"id": "x", "en": "x"}}
            ),
            "answers.no_such_question is not a question of this form",
        ),
        (
            lambda d: d.update(form=[f for f in d["form"] if f["type"] != "file"]),
            "no field of the form collects this document",
        ),
        (
            lambda d: d["form"].append(dict(d["form"][0])),
            "appears twice in this form",
        ),
    ],
)
def test_validation_names_file_field_and_problem(catalog_dir, change, expected):
    edit(catalog_dir, SERVICE, change)
    problems = problems_of(catalog_dir)
    assert any(expected in problem for problem in problems), problems


def test_workflow_soundness_is_checked(catalog_dir):
    def break_workflow(data):
        states = data["workflow"]["states"]
        states["limbo"] = {"label": {"id": "Limbo", "en": "Limbo"}}
        states["tunggu"] = {"label": {"id": "Tunggu", "en": "Wait"}, "pauses_clock": True}
        data["workflow"]["transitions"].append(
            {
                "from": data["workflow"]["start"],
                "to": "tunggu",
                "by": "officer",
                "name": {"id": "a", "en": "a"},
            }
        )
        data["workflow"]["transitions"].append(
            {
                "from": "tunggu",
                "to": data["workflow"]["start"],
                "by": "officer",
                "name": {"id": "b", "en": "b"},
            }
        )

    edit(catalog_dir, SERVICE, break_workflow)
    problems = "\n".join(problems_of(catalog_dir))
    assert f"{SERVICE}: workflow.states.limbo: cannot be reached from the start state" in problems
    assert f"{SERVICE}: workflow.states.limbo: no transition leads out of this state" in problems
    assert f"{SERVICE}: workflow.states.tunggu: the clock waits on the applicant here" in problems


def test_yaml_errors_and_duplicate_keys_are_reported(catalog_dir):
    (catalog_dir / "services/dukcapil-surabaya/rusak.yaml").write_text(
        "code: [unclosed\n", encoding="utf-8"
    )
    (catalog_dir / "services/dukcapil-surabaya/ganda.yaml").write_text(
        "code: a\ncode: b\n", encoding="utf-8"
    )
    problems = "\n".join(problems_of(catalog_dir))
    assert "services/dukcapil-surabaya/rusak.yaml: (file): not valid YAML: line 2" in problems
    assert (
        "services/dukcapil-surabaya/ganda.yaml: (file): not valid YAML: line 2, column 1: the key 'code' appears twice"
        in problems
    )


def test_life_event_references_are_checked(catalog_dir):
    def change(data):
        data["services"][0]["service"] = "dukcapil-surabaya.tidak-ada"
        data["services"][-1]["after"] = {"service": data["services"][-1]["service"], "state": "x"}

    edit(catalog_dir, "life_events/kelahiran.yaml", change)
    problems = "\n".join(problems_of(catalog_dir))
    assert (
        "life_events/kelahiran.yaml: services[0].service: unknown service 'dukcapil-surabaya.tidak-ada'"
        in problems
    )
    assert (
        "a service cannot wait for itself" in problems
        or "is not a service of this life event" in problems
    )


def test_validate_command_prints_problems_and_exits_non_zero(catalog_dir, capsys):
    from satupintu.cli import main

    edit(catalog_dir, SERVICE, lambda d: d["workflow"]["transitions"][0].update(to="selesia"))
    assert main(["catalog", "validate", str(catalog_dir)]) == 1
    out = capsys.readouterr()
    assert f"{SERVICE}: workflow.transitions[0].to: unknown state 'selesia'" in out.out
    assert "1 problem in" in out.err


def test_validate_command_succeeds_on_a_valid_folder(catalog_dir, capsys):
    from satupintu.cli import main

    assert main(["catalog", "validate", str(catalog_dir)]) == 0
    assert "files are valid" in capsys.readouterr().out


def test_reloading_an_unchanged_catalogue_writes_nothing(catalog_dir):
    versions = ServiceVersion.objects.count()
    report = catalog_load(directory=catalog_dir)
    assert report.services_new == [] and report.services_changed == []
    assert report.services_unchanged == Service.objects.filter(is_active=True).count()
    assert ServiceVersion.objects.count() == versions


def test_reformatting_a_definition_is_not_a_change(catalog_dir):
    path = catalog_dir / SERVICE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # Same content, different key order and layout.
    path.write_text(
        yaml.safe_dump(
            dict(reversed(list(data.items()))), allow_unicode=True, default_flow_style=True
        )
    )
    report = catalog_load(directory=catalog_dir)
    assert report.services_changed == []


def test_a_changed_definition_becomes_a_new_version(catalog_dir):
    service = Service.objects.get(code="dukcapil-surabaya.akta-kelahiran")
    first = service.current_version

    edit(
        catalog_dir,
        SERVICE,
        lambda d: d["deadline"].update(working_days=d["deadline"]["working_days"] + 2),
    )
    report = catalog_load(directory=catalog_dir)

    service.refresh_from_db()
    assert report.services_changed == ["dukcapil-surabaya.akta-kelahiran"]
    assert service.current_version.number == first.number + 1
    assert (
        service.current_version.definition["deadline"]["working_days"]
        == first.definition["deadline"]["working_days"] + 2
    )
    # The old version is kept as it was, for the cases that started on it.
    first.refresh_from_db()
    assert (
        first.definition["deadline"]["working_days"] + 2
        == service.current_version.definition["deadline"]["working_days"]
    )
    assert AuditEvent.objects.filter(action="catalog.load").exists()


def test_a_removed_definition_is_withdrawn_and_a_restored_one_comes_back(catalog_dir):
    (catalog_dir / SERVICE).rename(catalog_dir / "akta-kelahiran.yaml.off")
    for event in (catalog_dir / "life_events").glob("*.yaml"):
        if "dukcapil-surabaya.akta-kelahiran" in event.read_text(encoding="utf-8"):
            event.unlink()
    report = catalog_load(directory=catalog_dir)
    assert report.services_withdrawn == ["dukcapil-surabaya.akta-kelahiran"]
    assert not Service.objects.get(code="dukcapil-surabaya.akta-kelahiran").is_active

    (catalog_dir / "akta-kelahiran.yaml.off").rename(catalog_dir / SERVICE)
    report = catalog_load(directory=catalog_dir)
    service = Service.objects.get(code="dukcapil-surabaya.akta-kelahiran")
    assert service.is_active
    assert service.versions.count() == 1  # the same content is the same version


def test_an_invalid_folder_loads_nothing(catalog_dir):
    edit(
        catalog_dir,
        SERVICE,
        lambda d: d["deadline"].update(working_days=d["deadline"]["working_days"] + 5),
    )
    edit(catalog_dir, "services/dukcapil-surabaya/ktp-el.yaml", lambda d: d.pop("workflow"))
    versions = ServiceVersion.objects.count()
    with pytest.raises(DefinitionError) as raised:
        catalog_load(directory=catalog_dir)
    assert any("ktp-el.yaml: workflow: is required" in line for line in raised.value.errors)
    assert ServiceVersion.objects.count() == versions
    service = Service.objects.get(code="dukcapil-surabaya.akta-kelahiran")
    assert service.current_version.number == 1


def test_load_command_reports_and_refuses_invalid_folders(catalog_dir, capsys):
    from satupintu.cli import main

    assert main(["catalog", "load", str(catalog_dir)]) == 0
    assert "0 new versions" in capsys.readouterr().out
    shutil.copy(catalog_dir / SERVICE, catalog_dir / "services/dukcapil-surabaya/salinan.yaml")
    assert main(["catalog", "load", str(catalog_dir)]) == 1
    out = capsys.readouterr()
    assert (
        "salinan.yaml: code: 'dukcapil-surabaya.akta-kelahiran' is already defined in another file"
        in out.out
    )
    assert "nothing was loaded" in out.err


def test_life_events_are_versioned_too(catalog_dir):
    event = LifeEvent.objects.get(code="kelahiran")
    edit(
        catalog_dir,
        "life_events/kelahiran.yaml",
        lambda d: d["summary"].update(en="Register a birth once."),
    )
    catalog_load(directory=catalog_dir)
    event.refresh_from_db()
    assert event.current_version.number == 2
    assert event.summary_en == "Register a birth once."


def test_validate_reports_a_missing_folder(tmp_path):
    catalogue = catalog_validate(directory=tmp_path / "nowhere")
    assert [str(p) for p in catalogue.problems] == [
        f"{tmp_path / 'nowhere'}: (file): is not a folder of definitions"
    ]
