"""Where a value of a life event comes from: the sources of a ``map`` (``answers.child_name``,
``registry.family_card.number``, ``{value: pbpu_mandiri}``…) and the registry paths that a
question may be prefilled from.

The tables here are the contract between the catalogue and the code that fills a case from
a life event: a definition may only name what is listed, so that every source it names can
be resolved.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


def _prefill_attributes() -> dict[str, frozenset[str]]:
    """The ``profile.*`` and ``business.*`` attributes of common.json's prefill enum: the
    schema is the one list, and a map may name the same attributes."""
    common = json.loads((SCHEMA_DIR / "common.json").read_text(encoding="utf-8"))
    attributes: dict[str, set[str]] = {"profile": set(), "business": set()}
    for name in common["$defs"]["prefill"]["enum"]:
        root, _, attribute = name.partition(".")
        attributes[root].add(attribute)
    return {root: frozenset(names) for root, names in attributes.items()}


PREFILL_ATTRIBUTES = _prefill_attributes()


@dataclass(frozen=True)
class Dataset:
    """A registry a life event may read with the citizen's consent (``prefill.from``)."""

    name: str  # as written in prefill.from
    key: str  # as written after ``registry.``
    paths: frozenset[str]  # what a source may name after ``registry.<key>.``


DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            "population.person",
            "person",
            frozenset(
                {
                    "nik",
                    "name",
                    "sex",
                    "birth_date",
                    "birth_place",
                    "religion",
                    "marital_status",
                    "occupation",
                    "kk_number",
                    "address",  # an address: {street, village}
                }
            ),
        ),
        Dataset(
            "population.family_card",
            "family_card",
            # The card's ``members`` are a list, which a single field cannot take.
            frozenset(
                {
                    "number",
                    "address",
                    "head.nik",
                    "head.name",
                    "mother.nik",
                    "mother.name",
                    "father.nik",
                    "father.name",
                }
            ),
        ),
        Dataset(
            "business.registration",
            "business",
            frozenset({"nib", "name", "legal_form", "address", "owner_nik"}),
        ),
        Dataset(
            "education.student",
            "student",
            frozenset({"nisn", "nik", "name", "school_name", "school_npsn", "level", "grade"}),
        ),
    )
}
DATASET_BY_KEY: dict[str, Dataset] = {dataset.key: dataset for dataset in DATASETS.values()}

# What the outcome of an earlier service in the bundle gives: the number and the date of
# the document it issued, and the document itself (for a file field).
OUTCOME_FIELDS = ("document_number", "issued_on", "document")


class SourceError(ValueError):
    """A source that names nothing the platform knows; the message says how to fix it."""


@dataclass(frozen=True)
class Source:
    """One parsed source.

    ``kind`` is ``answers``, ``profile``, ``business``, ``registry``, ``outcome`` or
    ``value``. ``name`` is the question key, the attribute, the registry key (``person``) or
    the service code; ``path`` the registry path (``mother.nik``) or the outcome field;
    ``value`` the constant.
    """

    kind: str
    name: str = ""
    path: str = ""
    value: Any = None

    @property
    def dataset(self) -> Dataset | None:
        return DATASET_BY_KEY.get(self.name) if self.kind == "registry" else None


def parse_source(raw: str | dict) -> Source:
    """The ``Source`` that ``raw`` (a map's value or a prefill) names; ``SourceError`` if it
    names nothing the platform knows."""
    if isinstance(raw, dict):
        return Source("value", value=raw["value"])
    root, _, rest = raw.partition(".")
    if root == "answers":
        if not rest or "." in rest:
            raise SourceError(
                f"'{raw}' does not name a question; a map takes a whole answer as "
                "answers.<question key> (not a field inside a group)"
            )
        return Source("answers", rest)
    if root in PREFILL_ATTRIBUTES:
        if rest not in PREFILL_ATTRIBUTES[root]:
            known = ", ".join(f"{root}.{name}" for name in sorted(PREFILL_ATTRIBUTES[root]))
            raise SourceError(f"'{raw}' is not known; use one of {known}")
        return Source(root, rest)
    if root == "registry":
        key, _, path = rest.partition(".")
        dataset = DATASET_BY_KEY.get(key)
        if dataset is None:
            known = ", ".join(f"registry.{d.key} (from {d.name})" for d in DATASET_BY_KEY.values())
            raise SourceError(f"'{raw}' names no registry; use {known}")
        if path not in dataset.paths:
            known = ", ".join(f"registry.{key}.{name}" for name in sorted(dataset.paths))
            raise SourceError(f"'{raw}' is not in the {dataset.name} registry; use one of {known}")
        return Source("registry", key, path)
    if root == "outcome":
        service, _, field = rest.rpartition(".")
        if not service or "." not in service or field not in OUTCOME_FIELDS:
            raise SourceError(
                f"'{raw}' is not an outcome; write outcome.<service code>.<field> with the field "
                + ", ".join(OUTCOME_FIELDS[:-1])
                + f" or {OUTCOME_FIELDS[-1]}"
            )
        return Source("outcome", service, field)
    raise SourceError(
        f"'{raw}' is not a source; use answers.<question>, profile.<attribute>, "
        "business.<attribute>, registry.<dataset key>.<path>, outcome.<service code>.<field> "
        "or a constant as {value: …}"
    )
