"""The catalogue format: reading a definitions folder and checking it.

``read_catalogue(path)`` returns a ``Catalogue`` with every document it could read and a
list of ``Problem``; ``Catalogue.problems`` is empty when the folder is valid.
"""

from satupintu.catalog.format.checks import check_catalogue
from satupintu.catalog.format.reading import Catalogue, Document, Problem, content_hash, read_folder


def read_catalogue(
    path, *, known_agencies=None, known_categories=None, known_services=None
) -> Catalogue:
    """Read and check the definitions folder at ``path``.

    ``known_*`` describe what already exists in the database (agency code → unit codes,
    category codes, service code → workflow state codes), so that a folder may refer to
    them without defining them again.
    """
    catalogue = read_folder(path)
    check_catalogue(
        catalogue,
        known_agencies=known_agencies or {},
        known_categories=known_categories or set(),
        known_services=known_services or {},
    )
    return catalogue


__all__ = ["Catalogue", "Document", "Problem", "content_hash", "read_catalogue"]
