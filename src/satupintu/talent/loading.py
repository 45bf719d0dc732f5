"""Competency dictionaries and positions written in YAML: reading, checking and applying.

The format (one file may hold either list or both)::

    competencies:
      - code: integritas                # a slug, unique across the framework
        group: managerial               # technical (default), managerial or socio_cultural
        agency: dukcapil-surabaya       # the owner of a technical dictionary; omit otherwise
        name: {id: Integritas, en: Integrity}
        description: {id: …, en: …}
        active: true                    # optional
        levels:                         # exactly the five levels, 1 to 5
          - level: 1
            description: {id: …, en: …}
            indicators: {id: [… , …], en: [… , …]}
    positions:
      - agency: dukcapil-surabaya
        code: kepala-seksi-kelahiran
        name: {id: …, en: …}
        shared_level: 3                 # every managerial and socio-cultural competency at 3
        requirements: {dukcapil-pelayanan-adminduk: 4}

Applying is idempotent: a row whose values did not change is not written. The functions
take the model classes as arguments so that a data migration can use its historical models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.core.errors import DomainError
from satupintu.talent.constants import LEVEL_MAX, LEVEL_MIN, CompetencyGroup

FRAMEWORK_DIR = Path(__file__).resolve().parent / "framework"
MANAGERIAL_FILE = FRAMEWORK_DIR / "managerial.yaml"
DEMO_TECHNICAL_FILE = FRAMEWORK_DIR / "demo_technical.yaml"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHARED_GROUPS = (CompetencyGroup.MANAGERIAL.value, CompetencyGroup.SOCIO_CULTURAL.value)


@dataclass
class LoadResult:
    """What a load did: rows created and changed, and agencies it skipped."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    competencies: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    skipped_agencies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Models:
    """The model classes to write through (the app's, or a migration's historical ones)."""

    Agency: Any
    Competency: Any
    CompetencyLevel: Any
    Position: Any = None
    PositionRequirement: Any = None

    @classmethod
    def current(cls) -> Models:
        from satupintu.organisations.models import Agency
        from satupintu.talent.models import (
            Competency,
            CompetencyLevel,
            Position,
            PositionRequirement,
        )

        return cls(Agency, Competency, CompetencyLevel, Position, PositionRequirement)


# Reading -------------------------------------------------------------------------------------


def read(text: str | bytes) -> dict:
    """Parse YAML text into the format's mapping, or raise ``DomainError``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise DomainError(
            _("The file is not valid YAML%(where)s. Check its indentation and quotes.")
            % {"where": where},
            code="invalid_yaml",
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict) or not ({"competencies", "positions"} & set(data)):
        raise DomainError(
            _("The file must hold a list named `competencies`, `positions` or both."),
            code="invalid_format",
        )
    return data


def read_file(path: str | Path) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(
            _("The file %(path)s cannot be read as UTF-8 text.") % {"path": path},
            code="unreadable",
        ) from exc
    return read(text)


# Checking ------------------------------------------------------------------------------------


class _Problems:
    def __init__(self):
        self.items: list[dict[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append({"path": path, "message": message})


def _pair(value, path: str, problems: _Problems, *, required: bool = True) -> dict[str, str]:
    """A ``{id, en}`` text; a plain string is taken as both."""
    if value is None and not required:
        return {"id": "", "en": ""}
    if isinstance(value, str):
        value = {"id": value, "en": value}
    if not isinstance(value, dict) or not str(value.get("id") or "").strip():
        problems.add(path, _("Give the text in Indonesian (`id`) and English (`en`)."))
        return {"id": "", "en": ""}
    text_id = str(value.get("id")).strip()
    return {"id": text_id, "en": str(value.get("en") or "").strip() or text_id}


def _lines(value, path: str, problems: _Problems) -> dict[str, str]:
    """Behaviour indicators: ``{id: [...], en: [...]}``, stored one per line."""
    if value is None:
        return {"id": "", "en": ""}
    if not isinstance(value, dict):
        problems.add(path, _("Give the indicators as lists under `id` and `en`."))
        return {"id": "", "en": ""}
    out = {}
    for language in ("id", "en"):
        items = value.get(language) or []
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list):
            problems.add(f"{path}.{language}", _("Give the indicators as a list."))
            items = []
        out[language] = "\n".join(" ".join(str(item).split()) for item in items if item)
    if not out["en"]:
        out["en"] = out["id"]
    return out


def _level(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return (
        number if LEVEL_MIN <= number <= LEVEL_MAX and str(number) == str(value).strip() else None
    )


def check(data: dict) -> dict:
    """Check the whole mapping and answer it normalised; raise ``DomainError`` with every
    problem (``errors``: path and message) when anything is wrong."""
    problems = _Problems()
    competencies = []
    codes: set[str] = set()
    raw_competencies = data.get("competencies") or []
    if not isinstance(raw_competencies, list):
        problems.add("competencies", _("`competencies` must be a list."))
        raw_competencies = []
    groups = {choice.value for choice in CompetencyGroup}
    for index, item in enumerate(raw_competencies):
        path = f"competencies[{index}]"
        if not isinstance(item, dict):
            problems.add(path, _("Each competency must be a mapping with a code and a name."))
            continue
        code = str(item.get("code") or "").strip()
        if not SLUG.match(code) or len(code) > 80:
            problems.add(
                f"{path}.code",
                _("Give a code of lowercase letters, digits and hyphens, at most 80 long."),
            )
        elif code in codes:
            problems.add(f"{path}.code", _("The code %(code)s appears twice.") % {"code": code})
        codes.add(code)
        group = str(item.get("group") or CompetencyGroup.TECHNICAL.value)
        if group not in groups:
            problems.add(
                f"{path}.group",
                _("The group must be one of: %(groups)s.") % {"groups": ", ".join(sorted(groups))},
            )
        agency = str(item.get("agency") or "").strip() or None
        if group in SHARED_GROUPS and agency:
            problems.add(
                f"{path}.agency",
                _("Managerial and socio-cultural competencies belong to no agency: remove it."),
            )
        levels_raw = item.get("levels") or []
        levels = {}
        if not isinstance(levels_raw, list):
            levels_raw = []
        for level_index, level_item in enumerate(levels_raw):
            level_path = f"{path}.levels[{level_index}]"
            if not isinstance(level_item, dict):
                problems.add(level_path, _("Each level must be a mapping."))
                continue
            number = _level(level_item.get("level"))
            if number is None:
                problems.add(f"{level_path}.level", _("The level must be a whole number 1 to 5."))
                continue
            if number in levels:
                problems.add(
                    f"{level_path}.level",
                    _("Level %(level)s appears twice.") % {"level": number},
                )
            levels[number] = {
                "description": _pair(
                    level_item.get("description"), f"{level_path}.description", problems
                ),
                "indicators": _lines(
                    level_item.get("indicators"), f"{level_path}.indicators", problems
                ),
            }
            for language in ("id", "en"):
                if len(levels[number]["description"][language]) > 300:
                    problems.add(
                        f"{level_path}.description.{language}",
                        _("Keep the description of a level to 300 characters."),
                    )
        if sorted(levels) != list(range(LEVEL_MIN, LEVEL_MAX + 1)):
            problems.add(f"{path}.levels", _("Describe each of the levels 1 to 5, once."))
        competencies.append(
            {
                "code": code,
                "group": group,
                "agency": agency,
                "name": _pair(item.get("name"), f"{path}.name", problems),
                "description": _pair(
                    item.get("description"), f"{path}.description", problems, required=False
                ),
                "active": bool(item.get("active", True)),
                "levels": levels,
            }
        )

    positions = []
    raw_positions = data.get("positions") or []
    if not isinstance(raw_positions, list):
        problems.add("positions", _("`positions` must be a list."))
        raw_positions = []
    seen_positions: set[tuple[str, str]] = set()
    for index, item in enumerate(raw_positions):
        path = f"positions[{index}]"
        if not isinstance(item, dict):
            problems.add(path, _("Each position must be a mapping with an agency and a code."))
            continue
        agency = str(item.get("agency") or "").strip()
        code = str(item.get("code") or "").strip()
        if not agency:
            problems.add(f"{path}.agency", _("Give the code of the agency the position is in."))
        if not SLUG.match(code) or len(code) > 80:
            problems.add(
                f"{path}.code",
                _("Give a code of lowercase letters, digits and hyphens, at most 80 long."),
            )
        elif (agency, code) in seen_positions:
            problems.add(f"{path}.code", _("The code %(code)s appears twice.") % {"code": code})
        seen_positions.add((agency, code))
        shared_level = item.get("shared_level")
        if shared_level is not None and _level(shared_level) is None:
            problems.add(f"{path}.shared_level", _("The level must be a whole number 1 to 5."))
        requirements = {}
        raw_requirements = item.get("requirements") or {}
        if not isinstance(raw_requirements, dict):
            problems.add(
                f"{path}.requirements",
                _("Give the requirements as `competency code: level` pairs."),
            )
            raw_requirements = {}
        for competency_code, level in raw_requirements.items():
            number = _level(level)
            if number is None:
                problems.add(
                    f"{path}.requirements.{competency_code}",
                    _("The level must be a whole number 1 to 5."),
                )
                continue
            requirements[str(competency_code)] = number
        positions.append(
            {
                "agency": agency,
                "code": code,
                "name": _pair(item.get("name"), f"{path}.name", problems),
                "shared_level": _level(shared_level) if shared_level is not None else None,
                "requirements": requirements,
            }
        )
    if problems.items:
        raise DomainError(
            ngettext(
                "The file has %(count)s problem; nothing was loaded. Fix it and load it again.",
                "The file has %(count)s problems; nothing was loaded. Fix them and load it again.",
                len(problems.items),
            )
            % {"count": len(problems.items)},
            code="invalid_definition",
            errors=problems.items,
        )
    return {"competencies": competencies, "positions": positions}


# Applying ------------------------------------------------------------------------------------


def _upsert(model, lookup: dict, values: dict, result: LoadResult):
    """Create the row, or change it only where ``values`` differ (so a second load writes
    nothing)."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        result.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=[*changed, "updated_at"])
        result.updated += 1
    else:
        result.unchanged += 1
    return row


def apply(data: dict, *, models: Models, skip_missing_agencies: bool = False) -> LoadResult:
    """Write checked ``data`` (see ``check``) through ``models``. An agency that does not
    exist is an error, or skipped (with what belongs to it) when ``skip_missing_agencies``."""
    result = LoadResult()
    agency_codes = {item["agency"] for item in data["competencies"] if item["agency"]} | {
        item["agency"] for item in data["positions"]
    }
    agencies = {a.code: a for a in models.Agency.objects.filter(code__in=agency_codes)}
    missing = sorted(agency_codes - set(agencies))
    if missing and not skip_missing_agencies:
        raise DomainError(
            _(
                "There is no agency with the code %(codes)s. Load the agencies first or fix the code."
            )
            % {"codes": ", ".join(missing)},
            code="unknown_agency",
        )
    result.skipped_agencies = missing

    for item in data["competencies"]:
        if item["agency"] and item["agency"] not in agencies:
            continue
        competency = _upsert(
            models.Competency,
            {"code": item["code"]},
            {
                "group": item["group"],
                "agency": agencies.get(item["agency"]) if item["agency"] else None,
                "name_id": item["name"]["id"],
                "name_en": item["name"]["en"],
                "description_id": item["description"]["id"],
                "description_en": item["description"]["en"],
                "is_active": item["active"],
            },
            result,
        )
        for number, level in sorted(item["levels"].items()):
            _upsert(
                models.CompetencyLevel,
                {"competency": competency, "level": number},
                {
                    "description_id": level["description"]["id"],
                    "description_en": level["description"]["en"],
                    "indicators_id": level["indicators"]["id"],
                    "indicators_en": level["indicators"]["en"],
                },
                result,
            )
        result.competencies.append(item["code"])

    if data["positions"]:
        _apply_positions(data["positions"], agencies, models=models, result=result)
    return result


def _apply_positions(positions: list[dict], agencies: dict, *, models: Models, result) -> None:
    positions = [item for item in positions if item["agency"] in agencies]
    wanted = {code for item in positions for code in item["requirements"]}
    competencies = {c.code: c for c in models.Competency.objects.filter(code__in=wanted)}
    unknown = sorted(wanted - set(competencies))
    if unknown:
        raise DomainError(
            _(
                "A position requires a competency that does not exist: %(codes)s. Load its "
                "dictionary first or fix the code."
            )
            % {"codes": ", ".join(unknown)},
            code="unknown_competency",
        )
    shared = list(
        models.Competency.objects.filter(group__in=SHARED_GROUPS, is_active=True).order_by("code")
    )
    for item in positions:
        agency = agencies[item["agency"]]
        position = _upsert(
            models.Position,
            {"agency": agency, "code": item["code"]},
            {"name_id": item["name"]["id"], "name_en": item["name"]["en"]},
            result,
        )
        levels: dict[int, tuple[Any, int]] = {}
        if item["shared_level"]:
            for competency in shared:
                levels[competency.pk] = (competency, item["shared_level"])
        for code, level in item["requirements"].items():
            competency = competencies[code]
            levels[competency.pk] = (competency, level)
        models.PositionRequirement.objects.filter(position=position).exclude(
            competency_id__in=list(levels)
        ).delete()
        for competency, level in levels.values():
            _upsert(
                models.PositionRequirement,
                {"position": position, "competency": competency},
                {"level": level},
                result,
            )
        result.positions.append(f"{item['agency']}/{item['code']}")
