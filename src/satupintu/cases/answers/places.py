"""Regions in answers: a Home Affairs code, or a name that people type on a page without
JavaScript.

An answer to a ``region`` field (and the village of an ``address``) is stored as the code in
digits. What arrives may be that code (``3578``, or dotted ``35.78``), the way a page shows a
known region (``Kota Surabaya, Jawa Timur (3578)``) or a name (``Surabaya``,
``Tegalsari, Kota Surabaya``): a name is taken when exactly one region of the field's level
answers to it, and otherwise the message lists the candidates with their codes.
"""

import re

from django.utils.translation import gettext as _

from satupintu.core import regions

LEVELS: dict[str, regions.RegionLevel] = {"province": 1, "city": 2, "district": 3, "village": 4}
CODE_LENGTHS: dict[int, int] = {1: 2, 2: 4, 3: 6, 4: 10}
_CANDIDATES_SHOWN = 5
_SEARCH_LIMIT = 20
_CODE = re.compile(r"[0-9][0-9.\s]*[0-9]|[0-9]")
_TRAILING_CODE = re.compile(r"\(\s*([0-9][0-9.\s]*)\)\s*$")
_PREFIXES = re.compile(
    r"^(?:kota administrasi|kabupaten|kab\.?|kota|kecamatan|kec\.?|distrik|kelurahan|kel\.?|"
    r"desa|provinsi|prov\.?)\s+",
    re.IGNORECASE,
)


class RegionProblem(ValueError):
    """The text does not name exactly one region of the level; the message says what to do."""


def level_name(level: int) -> str:
    return {
        1: _("province"),
        2: _("city or regency"),
        3: _("district (kecamatan)"),
        4: _("village (kelurahan or desa)"),
    }[level]


def _plain(name: str) -> str:
    return _PREFIXES.sub("", " ".join(name.lower().split()))


def short(text: str, limit: int = 30) -> str:
    """At most ``limit`` characters of what someone typed, for a message."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display(code: str) -> str:
    """How a page shows a region: its name with its parents and its code, which reads back
    as the same region."""
    region = regions.get_region(code)
    return f"{region.path} ({region.code})" if region else code


def resolve(text, level: int) -> str:
    """The code of the one region of ``level`` that ``text`` names; ``RegionProblem`` when
    there is none or more than one."""
    text = " ".join(str(text).split())
    trailing = _TRAILING_CODE.search(text)
    candidate = trailing.group(1) if trailing else text
    if _CODE.fullmatch(candidate):
        code = re.sub(r"[.\s]", "", candidate)
        return _check_code(code, level)
    return _by_name(text, level)


def _check_code(code: str, level: int) -> str:
    if regions.region_exists(code, level=level):  # type: ignore[arg-type]
        return code
    found = regions.region_level(code)
    if found is not None:
        raise RegionProblem(
            _("%(code)s is the code of a %(found)s; enter a %(level)s here.")
            % {"code": code, "found": level_name(found), "level": level_name(level)}
        )
    raise RegionProblem(
        _("There is no %(level)s with the code %(code)s. Check the code, or type the name instead.")
        % {"level": level_name(level), "code": short(code, 16)}
    )


def _by_name(text: str, level: int) -> str:
    name, *within = [part.strip() for part in text.split(",") if part.strip()]
    found = regions.search(name, level=level, limit=_SEARCH_LIMIT)  # type: ignore[arg-type]
    if within:
        wanted = [_plain(part) for part in within]
        found = [
            region
            for region in found
            if all(any(_plain(p) == w for p in region.path.split(",")[1:]) for w in wanted)
        ]
    exact = [region for region in found if _plain(region.name) == _plain(name)]
    if len(exact) == 1:
        return exact[0].code
    if len(found) == 1 and not exact:
        return found[0].code
    if not found:
        raise RegionProblem(
            _(
                "No %(level)s called “%(text)s” was found. Check the spelling, or enter its "
                "Home Affairs code."
            )
            % {"level": level_name(level), "text": short(text)}
        )
    shown = (exact or found)[:_CANDIDATES_SHOWN]
    raise RegionProblem(
        _(
            "More than one %(level)s matches “%(text)s”: %(candidates)s. Enter the code in "
            "brackets of the one you mean, or add its city after a comma."
        )
        % {
            "level": level_name(level),
            "text": short(text),
            "candidates": "; ".join(f"{region.path} ({region.code})" for region in shown),
        }
    )
