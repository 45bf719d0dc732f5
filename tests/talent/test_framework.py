"""The competency framework (issue: Learn — competencies): the 8 managerial and 1
socio-cultural competencies with levels 1–5, level descriptions and 2–4 behaviour indicators
in Indonesian and English, shipped as YAML, loaded by migration and again, idempotently, by
``framework_load``; technical dictionaries per agency in the same format, loadable by
``satupintu manage talent_load``."""

import pytest
from django.core.management import CommandError, call_command

from satupintu.core.errors import DomainError
from satupintu.talent import loading
from satupintu.talent.constants import CompetencyGroup
from satupintu.talent.models import Competency, CompetencyLevel, Position, PositionRequirement
from satupintu.talent.services import dictionary_load, framework_load
from tests.talent.factories import MANAGERIAL_CODES, SOCIO_CULTURAL_CODES

pytestmark = pytest.mark.django_db

TECHNICAL = """
competencies:
  - code: uji-arsip-digital
    agency: dukcapil-surabaya
    name: {id: Pengelolaan Arsip Digital, en: Digital Records}
    levels:
%s
positions:
  - agency: dukcapil-surabaya
    code: arsiparis
    name: {id: Arsiparis, en: Archivist}
    shared_level: 2
    requirements: {uji-arsip-digital: 3, integritas: 3}
"""


def levels_yaml(count: int = 5) -> str:
    return "\n".join(
        f"      - {{level: {n}, description: {{id: Tingkat {n}, en: Level {n}}}, "
        f"indicators: {{id: [Satu, Dua], en: [One, Two]}}}}"
        for n in range(1, count + 1)
    )


def test_the_migration_loaded_nine_competencies_with_five_levels_each():
    shared = Competency.objects.filter(agency__isnull=True)
    assert sorted(
        shared.filter(group=CompetencyGroup.MANAGERIAL).values_list("code", flat=True)
    ) == sorted(MANAGERIAL_CODES)
    assert (
        list(shared.filter(group=CompetencyGroup.SOCIO_CULTURAL).values_list("code", flat=True))
        == SOCIO_CULTURAL_CODES
    )
    levels = CompetencyLevel.objects.filter(competency__in=shared)
    assert levels.count() == 9 * 5
    for level in levels:
        assert level.description_id and level.description_en
        for language in ("id", "en"):
            indicators = getattr(level, f"indicators_{language}").splitlines()
            assert 2 <= len(indicators) <= 4, (level.competency.code, level.level, language)
    assert all(c.name_en and c.name_id and c.description_en for c in shared)


def test_framework_load_again_changes_nothing():
    before = {level.pk: level.updated_at for level in CompetencyLevel.objects.all()}
    result = framework_load()
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == 9 + 45
    assert {level.pk: level.updated_at for level in CompetencyLevel.objects.all()} == before


def test_framework_load_applies_an_edit(tmp_path):
    text = loading.MANAGERIAL_FILE.read_text(encoding="utf-8").replace(
        "Acting honestly, consistently", "Acting honestly and consistently", 1
    )
    edited = tmp_path / "managerial.yaml"
    edited.write_text(text, encoding="utf-8")

    result = framework_load(path=edited)

    assert result.updated == 1
    assert Competency.objects.get(code="integritas").description_en.startswith(
        "Acting honestly and consistently"
    )


def test_a_technical_dictionary_with_positions_loads_once():
    text = TECHNICAL % levels_yaml()
    first = dictionary_load(text=text)
    assert first.competencies == ["uji-arsip-digital"]
    assert first.positions == ["dukcapil-surabaya/arsiparis"]
    competency = Competency.objects.get(code="uji-arsip-digital")
    assert (competency.group, competency.agency.code) == ("technical", "dukcapil-surabaya")
    assert competency.levels.count() == 5
    position = Position.objects.get(code="arsiparis")
    levels = dict(position.requirements.values_list("competency__code", "level"))
    # Every shared competency at 2, with integritas raised to 3, plus the technical one.
    assert len(levels) == 10
    assert levels["uji-arsip-digital"] == 3
    assert levels["integritas"] == 3
    assert levels["perekat-bangsa"] == 2

    second = dictionary_load(text=text)
    assert (second.created, second.updated) == (0, 0)
    assert PositionRequirement.objects.filter(position=position).count() == 10


def test_a_requirement_removed_from_the_file_is_removed():
    dictionary_load(text=TECHNICAL % levels_yaml())
    dictionary_load(text=(TECHNICAL % levels_yaml()).replace("    shared_level: 2\n", ""))
    assert dict(
        PositionRequirement.objects.filter(position__code="arsiparis").values_list(
            "competency__code", "level"
        )
    ) == {"uji-arsip-digital": 3, "integritas": 3}


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (TECHNICAL % levels_yaml(4), "competencies[0].levels"),
        (
            (TECHNICAL % levels_yaml()).replace("code: uji-arsip-digital", "code: Arsip Digital"),
            "competencies[0].code",
        ),
        (
            (TECHNICAL % levels_yaml()).replace("uji-arsip-digital: 3", "uji-arsip-digital: 7"),
            "positions[0].requirements.uji-arsip-digital",
        ),
        (
            (TECHNICAL % levels_yaml()).replace(
                "    agency: dukcapil-surabaya\n    name: {id: Peng",
                "    agency: dukcapil-surabaya\n    group: managerial\n    name: {id: Peng",
            ),
            "competencies[0].agency",
        ),
    ],
)
def test_a_bad_file_loads_nothing_and_says_where(text, path):
    with pytest.raises(DomainError) as error:
        dictionary_load(text=text)
    assert path in [problem["path"] for problem in error.value.errors]
    assert not Competency.objects.filter(code__in=["uji-arsip-digital", "arsip-digital"]).exists()


def test_an_unknown_agency_is_an_error_unless_skipped():
    text = (TECHNICAL % levels_yaml()).replace("dukcapil-surabaya", "dinas-tidak-ada")
    with pytest.raises(DomainError) as error:
        dictionary_load(text=text)
    assert error.value.code == "unknown_agency"

    result = dictionary_load(text=text, skip_missing_agencies=True)
    assert result.skipped_agencies == ["dinas-tidak-ada"]
    assert result.competencies == []
    assert not Competency.objects.filter(code="uji-arsip-digital").exists()


def test_a_position_requiring_an_unknown_competency_is_an_error():
    text = (TECHNICAL % levels_yaml()).replace("integritas: 3", "tidak-ada: 3")
    with pytest.raises(DomainError) as error:
        dictionary_load(text=text)
    assert error.value.code == "unknown_competency"
    # All or nothing: the competency of the same file was not kept either.
    assert not Competency.objects.filter(code="uji-arsip-digital").exists()


def test_invalid_yaml_is_a_clear_error():
    with pytest.raises(DomainError) as error:
        dictionary_load(text="competencies: [\n  - code: x")
    assert error.value.code == "invalid_yaml"


def test_the_command_loads_a_file_and_reports(tmp_path, capsys):
    path = tmp_path / "arsip.yaml"
    path.write_text(TECHNICAL % levels_yaml(), encoding="utf-8")
    call_command("talent_load", str(path))
    assert "1 competencies, 1 positions" in capsys.readouterr().out
    assert Competency.objects.filter(code="uji-arsip-digital").exists()

    call_command("talent_load", "--framework")
    assert "9 competencies" in capsys.readouterr().out


def test_the_command_fails_with_every_problem(tmp_path):
    path = tmp_path / "arsip.yaml"
    path.write_text(TECHNICAL % levels_yaml(3), encoding="utf-8")
    with pytest.raises(CommandError, match=r"competencies\[0\]\.levels"):
        call_command("talent_load", str(path))


def test_the_shipped_demo_dictionaries_are_valid():
    data = loading.check(loading.read_file(loading.DEMO_TECHNICAL_FILE))
    by_agency: dict[str, int] = {}
    for item in data["competencies"]:
        assert item["group"] == "technical"
        by_agency[item["agency"]] = by_agency.get(item["agency"], 0) + 1
    for agency in (
        "dukcapil-surabaya",
        "dpmptsp-jatim",
        "dinsos-surabaya",
        "diskopukm-jatim",
        "dinkes-surabaya",
    ):
        assert 3 <= by_agency[agency] <= 5
