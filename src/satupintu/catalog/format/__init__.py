"""The catalogue format: reading a definitions folder and checking it.

``read_catalogue(path)`` returns a ``Catalogue`` with every document it could read and a
list of ``Problem``; ``Catalogue.problems`` is empty when the folder is valid.
"""

from satupintu.catalog.format.checks import check_catalogue
from satupintu.catalog.format.reading import Catalogue, Document, Problem, content_hash, read_folder
from satupintu.catalog.format.sources import (
    DATASETS,
    OUTCOME_FIELDS,
    PREFILL_ATTRIBUTES,
    Dataset,
    Source,
    SourceError,
    parse_source,
)


def read_catalogue(
    path,
    *,
    known_agencies=None,
    known_categories=None,
    known_services=None,
    known_partners=None,
) -> Catalogue:
    """Read and check the definitions folder at ``path``.

    ``known_*`` describe what already exists in the database (agency code → unit codes,
    category codes, service code → workflow state codes, partner codes), so that a folder
    may refer to them without defining them again.
    """
    catalogue = read_folder(path)
    check_catalogue(
        catalogue,
        known_agencies=known_agencies or {},
        known_categories=known_categories or set(),
        known_services=known_services or {},
        known_partners=known_partners or set(),
    )
    return catalogue


__all__ = [
    "DATASETS",
    "OUTCOME_FIELDS",
    "PREFILL_ATTRIBUTES",
    "Catalogue",
    "Dataset",
    "Document",
    "Problem",
    "Source",
    "SourceError",
    "content_hash",
    "parse_source",
    "read_catalogue",
]
