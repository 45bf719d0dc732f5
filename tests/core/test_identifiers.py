"""Requirement: NIK, KK and NIP are validated as REFERENCE.md ("Identifiers") says.

Hard checks (errors: the number is refused): the number of digits, a real birth date (with
+40 on the day for women in a NIK), serials that are not all zeros, a NIP's appointment month
and sex digit. Soft checks (warnings: the number is accepted): region codes not in the Home
Affairs data, an appointment before 18 or in the future, and a birth date or sex that differs
from the person's. New provinces (65, 91 to 96) are valid.
"""

import dataclasses
from datetime import date

import pytest
from django.utils import translation

from satupintu.core import regions
from satupintu.core.identifiers import (
    PROVINCES,
    IdentifierResult,
    validate_kk,
    validate_nik,
    validate_nip,
)

TODAY = date(2026, 6, 15)
SURABAYA = "357801"  # Kecamatan Karang Pilang, Kota Surabaya, Jawa Timur


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def nik(region: str = SURABAYA, ddmmyy: str = "120590", serial: str = "0001") -> str:
    return region + ddmmyy + serial


def check_nik(value: str, **kwargs) -> IdentifierResult:
    return validate_nik(value, today=TODAY, **kwargs)


def check_nip(value: str, **kwargs) -> IdentifierResult:
    return validate_nip(value, today=TODAY, **kwargs)


def first_district(province: str) -> str:
    regency = regions.children(province)[0].code
    return regions.children(regency)[0].code


# Provinces --------------------------------------------------------------------------------


def test_the_38_provinces_are_those_of_the_region_data():
    assert len(PROVINCES) == 38
    assert set(PROVINCES) == {region.code for region in regions.children()}
    assert PROVINCES["65"] == "Kalimantan Utara"
    assert PROVINCES["96"] == "Papua Barat Daya"


# NIK --------------------------------------------------------------------------------------


def test_a_mans_nik_from_surabaya():
    result = check_nik(nik(ddmmyy="120590"))

    assert result.is_valid
    assert result.errors == [] and result.warnings == []
    assert result.value == "3578011205900001"
    assert (result.province_code, result.region_code, result.district_code) == (
        "35",
        "3578",
        "357801",
    )
    assert result.birth_date == date(1990, 5, 12)
    assert result.sex == "M"


def test_a_womans_nik_has_the_day_plus_40():
    result = check_nik(nik(ddmmyy="650885"))  # born on the 25th

    assert result.is_valid
    assert result.birth_date == date(1985, 8, 25)
    assert result.sex == "F"


@pytest.mark.parametrize("province", ["65", "91", "92", "93", "94", "95", "96"])
def test_new_provinces_are_valid(province):
    result = check_nik(nik(region=first_district(province)))

    assert result.is_valid
    assert result.warnings == []
    assert result.province_code == province


@pytest.mark.parametrize(
    ("ddmmyy", "expected"),
    [
        ("010126", date(2026, 1, 1)),  # up to this year's two digits: 20YY
        ("150626", date(2026, 6, 15)),  # born today
        ("160626", date(1926, 6, 16)),  # later this year would be the future: 19YY
        ("010127", date(1927, 1, 1)),  # after this year's two digits: 19YY
        ("010100", date(2000, 1, 1)),
        ("290200", date(2000, 2, 29)),
        ("290224", date(2024, 2, 29)),
    ],
)
def test_the_two_digit_year(ddmmyy, expected):
    result = check_nik(nik(ddmmyy=ddmmyy))
    assert result.is_valid
    assert result.birth_date == expected


@pytest.mark.parametrize(
    ("ddmmyy", "code"),
    [
        ("310290", "birth_date"),  # 31 February
        ("710290", "birth_date"),  # 31 February, a woman
        ("290223", "birth_date"),  # 2023 is not a leap year
        ("000590", "birth_day"),
        ("320590", "birth_day"),
        ("400590", "birth_day"),
        ("720590", "birth_day"),
        ("121390", "birth_month"),
        ("120090", "birth_month"),
    ],
)
def test_a_birth_date_that_does_not_exist_is_an_error(ddmmyy, code):
    result = check_nik(nik(ddmmyy=ddmmyy))

    assert not result.is_valid
    assert result.error_codes == [code]
    assert result.birth_date is None


def test_the_error_for_a_bad_day_says_what_days_are_allowed():
    [message] = check_nik(nik(ddmmyy="720590")).errors
    assert "72" in message
    assert "41 to 71" in message


def test_serial_0000_is_an_error():
    result = check_nik(nik(serial="0000"))
    assert result.error_codes == ["serial"]
    assert "0000" in result.errors[0]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("357801120590001", "length"),
        ("35780112059000011", "length"),
        ("", "required"),
        ("  ", "required"),
        ("35780112O5900001", "not_digits"),  # a letter O for a zero
        ("3578011205900001x", "not_digits"),
    ],
)
def test_the_shape_of_a_nik(value, code):
    result = check_nik(value)
    assert result.error_codes == [code]
    assert result.birth_date is None and result.province_code is None


def test_the_length_error_says_how_many_digits_there_are():
    [message] = check_nik("357801120590001").errors
    assert message == (
        "A NIK has 16 digits; this one has 15. Check the number on the KTP or the family card."
    )


def test_the_letters_error_names_the_letters():
    [message] = check_nik("35780112O5900001").errors
    assert "“O”" in message


@pytest.mark.parametrize(
    "value",
    [
        "3578 0112 0590 0001",
        "3578.0112.0590.0001",
        "3578-0112-0590-0001",
        " 3578011205900001\n",
        "３５７８０１１２０５９００００１",  # full-width digits
    ],
)
def test_spaces_dots_and_dashes_are_removed(value):
    result = check_nik(value)
    assert result.is_valid
    assert result.value == "3578011205900001"


def test_an_unknown_province_is_a_warning():
    result = check_nik(nik(region="990101"))

    assert result.is_valid
    assert result.warning_codes == ["unknown_province"]
    assert "99" in result.warnings[0]


def test_an_unknown_district_is_a_warning():
    result = check_nik(nik(region="357899"))

    assert result.is_valid
    assert result.warning_codes == ["unknown_district"]
    assert "357899" in result.warnings[0]


def test_a_different_birth_date_is_a_warning():
    result = check_nik(nik(ddmmyy="120590"), birth_date=date(1990, 5, 13))

    assert result.is_valid
    assert result.warning_codes == ["birth_date_mismatch"]
    assert result.birth_date == date(1990, 5, 12)


def test_the_same_birth_date_gives_no_warning_and_settles_the_century():
    # 01-03-20 reads as 2020; a person born in 1920 has the same NIK digits.
    result = check_nik(nik(ddmmyy="010320"), birth_date=date(1920, 3, 1))

    assert result.warnings == []
    assert result.birth_date == date(1920, 3, 1)


@pytest.mark.parametrize(
    ("ddmmyy", "sex", "warned"),
    [
        ("120590", "M", False),
        ("120590", "F", True),
        ("520590", "F", False),
        ("520590", "m", True),
    ],
)
def test_a_different_sex_is_a_warning(ddmmyy, sex, warned):
    result = check_nik(nik(ddmmyy=ddmmyy), sex=sex)
    assert result.is_valid
    assert result.warning_codes == (["sex_mismatch"] if warned else [])


def test_an_unknown_sex_value_is_a_programming_error():
    with pytest.raises(ValueError, match="sex"):
        check_nik(nik(), sex="L")


def test_several_problems_are_all_reported():
    result = check_nik(nik(region="990101", ddmmyy="121390", serial="0000"))
    assert result.error_codes == ["birth_month", "serial"]
    assert result.warning_codes == ["unknown_province"]


def test_the_result_is_frozen():
    result = check_nik(nik())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = "0"  # type: ignore[misc]


def test_today_defaults_to_the_current_date():
    assert validate_nik(nik(ddmmyy="120590")).birth_date == date(1990, 5, 12)


# KK ---------------------------------------------------------------------------------------


def test_a_valid_family_card_number():
    result = validate_kk("3578 0123 0410 0012")

    assert result.is_valid
    assert result.warnings == []
    assert result.value == "3578012304100012"
    assert (result.province_code, result.region_code, result.district_code) == (
        "35",
        "3578",
        "357801",
    )
    assert result.birth_date is None and result.sex is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("357801230410001", "length"),
        ("35780123041000121", "length"),
        ("", "required"),
        ("3578012304I00012", "not_digits"),
        ("3578012304100000", "serial"),
    ],
)
def test_family_card_errors(value, code):
    result = validate_kk(value)
    assert not result.is_valid
    assert result.error_codes == [code]


@pytest.mark.parametrize(
    ("value", "code"),
    [("9901012304100012", "unknown_province"), ("3578992304100012", "unknown_district")],
)
def test_family_card_region_warnings(value, code):
    result = validate_kk(value)
    assert result.is_valid
    assert result.warning_codes == [code]


def test_a_family_card_from_a_new_province():
    result = validate_kk(first_district("93") + "0101230001")
    assert result.is_valid and result.warnings == []


# NIP --------------------------------------------------------------------------------------


def test_a_mans_nip():
    result = check_nip("19900512 201503 1 001")

    assert result.is_valid and result.warnings == []
    assert result.value == "199005122015031001"
    assert result.birth_date == date(1990, 5, 12)
    assert result.appointment == (2015, 3)
    assert result.appointment_year == 2015
    assert result.employee_kind == "pns"
    assert result.sex == "M"
    assert result.province_code is None


def test_a_womans_nip():
    result = check_nip("198508252010012002")
    assert result.is_valid and result.warnings == []
    assert result.sex == "F"
    assert result.birth_date == date(1985, 8, 25)


def test_a_contract_civil_servants_number():
    """NI PPPK: a code (21, 24, …) where a PNS number has the appointment month."""
    result = check_nip("199003152022212001")

    assert result.is_valid and result.warnings == []
    assert result.employee_kind == "pppk"
    assert result.appointment is None
    assert result.appointment_year == 2022
    assert result.sex == "F"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("19900512201503100", "length"),
        ("1990051220150310011", "length"),
        ("", "required"),
        ("1990O5122015031001", "not_digits"),
        ("199002312015031001", "birth_date"),  # 31 February
        ("199000122015031001", "birth_date"),  # month 00
        ("202701012015031001", "birth_date_future"),
        ("199005122015131001", "appointment_month"),
        ("199005122015001001", "appointment_month"),
        ("199005122015033001", "sex"),
        ("199005122015030001", "sex"),
        ("199005122015031000", "serial"),
    ],
)
def test_nip_errors(value, code):
    result = check_nip(value)
    assert not result.is_valid
    assert result.error_codes == [code]


@pytest.mark.parametrize(
    ("value", "warnings"),
    [
        ("200005122017031001", ["appointment_before_adult"]),  # appointed at 16
        ("200005122018041001", ["appointment_before_adult"]),  # a month before turning 18
        ("200005122018051001", []),  # the month of the 18th birthday
        ("199005122026071001", ["appointment_future"]),
        ("199005122026061001", []),  # this month
        ("199003152027212001", ["appointment_future"]),  # PPPK, next year
        ("200803152025212001", ["appointment_before_adult"]),  # PPPK, 17 that year
    ],
)
def test_nip_appointment_warnings(value, warnings):
    result = check_nip(value)
    assert result.is_valid
    assert result.warning_codes == warnings


def test_nip_mismatches_with_the_person_are_warnings():
    result = check_nip("199005122015031001", birth_date=date(1990, 5, 21), sex="F")
    assert result.is_valid
    assert result.warning_codes == ["birth_date_mismatch", "sex_mismatch"]


def test_nip_matching_the_person_gives_no_warning():
    result = check_nip("199005122015031001", birth_date=date(1990, 5, 12), sex="M")
    assert result.warnings == []
