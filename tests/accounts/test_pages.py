"""Requirement: citizens sign up, sign in and out, and see their own profile (issue
"catalogue pages and accounts").

Sign-up asks for e-mail, password twice, full name, NIK (checked as the population registry
does: hard errors block, warnings do not), date of birth, sex, an optional phone and an
explicit consent to the privacy notice (UU PDP). A form that fails keeps what was typed and
says next to each field what is wrong, with a summary that links to the fields (GOV.UK
error pattern). Login accepts an e-mail address or a username; logout is a POST; the profile
page needs a signed-in person.
"""

import re
from datetime import date
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from satupintu.accounts.constants import Role, Sex
from satupintu.accounts.models import CitizenProfile, EmployeeProfile, RoleAssignment
from satupintu.core.models import AuditEvent
from satupintu.organisations.models import Agency

pytestmark = pytest.mark.django_db

PASSWORD = "kopi-tubruk-pagi-hari"
# A woman born on 25 March 1992, first registered in Tegalsari, Surabaya (day 25 + 40 = 65).
NIK = "3578056503920001"


def url(name: str, language: str = "id") -> str:
    with translation.override(language):
        return reverse(name)


def signup_data(**changes) -> dict:
    data = {
        "email": "siti.rahayu@contoh.id",
        "full_name": "Siti Rahayu",
        "nik": "3578 0565 0392 0001",
        "birth_date": "1992-03-25",
        "sex": Sex.FEMALE,
        "phone": "0812-3456-7890",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def field_error(body: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="id_{field}-error">(.*?)</p>', body, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match[1])).strip() if match else ""


def input_value(body: str, field: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', body)
    if not tag:
        return None
    value = re.search(r'value="([^"]*)"', tag[0])
    return unescape(value[1]) if value else None


def test_sign_up_creates_a_citizen_and_signs_in(client):
    response = client.post(url("accounts:signup"), signup_data())
    assert response.status_code == 302 and response["Location"] == url("accounts:profile")

    user = get_user_model().objects.get(email="siti.rahayu@contoh.id")
    assert user.check_password(PASSWORD)
    assert NIK not in user.username and "siti" not in user.username.lower()
    profile = CitizenProfile.objects.get(user=user)
    assert profile.nik == NIK  # spaces removed
    assert profile.birth_date == date(1992, 3, 25) and profile.sex == Sex.FEMALE
    assert profile.full_name == "Siti Rahayu" and profile.phone == "081234567890"

    event = AuditEvent.objects.get(action="citizen.registered", subject=user)
    recorded = str(event.details) + event.object_id
    for personal in (NIK, "siti", "Rahayu", "0812", "1992"):
        assert personal.lower() not in recorded.lower()

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Siti Rahayu" in body and NIK in body
    assert "Akun Anda sudah siap" in body  # Indonesian is the default language


def test_the_sign_up_page_asks_for_explicit_consent_to_the_privacy_notice(client):
    body = client.get(url("accounts:signup", "en")).content.decode()
    assert 'type="checkbox" name="consent"' in body and " checked" not in body
    assert f'href="{url("accounts:privacy", "en")}"' in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nik": "1234"}, "nik", "16"),
        ({"nik": "3578051302920000"}, "nik", "0000"),
        ({"nik": "3578059903920001"}, "nik", "99"),
        ({"password2": "something-else-entirely"}, "password2", "The passwords are not the same"),
        ({"password1": "short", "password2": "short"}, "password1", "at least 10 characters"),
        ({"consent": None}, "consent", "tick the box to agree to the privacy notice"),
        ({"email": "not-an-address"}, "email", "Enter an e-mail address in the right format"),
        ({"birth_date": "2999-01-01"}, "birth_date", "Date of birth must be in the past"),
        ({"birth_date": "kemarin"}, "birth_date", "for example 17-08-1985"),
        ({"sex": None}, "sex", "Select your sex"),
        ({"phone": "12345"}, "phone", "0812 3456 7890"),
        ({"full_name": ""}, "full_name", "Enter your full name"),
    ],
)
def test_sign_up_errors_are_shown_next_to_the_field_and_keep_what_was_typed(
    client, changes, field, message
):
    response = client.post(url("accounts:signup", "en"), signup_data(**changes))
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="siti.rahayu@contoh.id").exists()
    body = response.content.decode()
    assert message in field_error(body, field), field_error(body, field)
    # The summary links to the field with the error.
    assert 'class="error-summary"' in body
    assert re.search(rf'<a href="#id_{field}(_0)?">', body)
    assert "<title>Error:" in body
    # What was typed stays (but passwords are never sent back).
    typed = signup_data(**changes)
    for name in ("email", "full_name", "nik", "phone"):
        if name != field or name in typed:
            assert (input_value(body, name) or "") == typed.get(name, ""), name
    assert input_value(body, "password1") is None
    if field != "sex":
        assert 'value="F" required checked' in body or re.search(r'value="F"[^>]*checked', body)


def test_the_date_of_birth_may_be_typed_day_first(client):
    response = client.post(url("accounts:signup"), signup_data(birth_date="25-03-1992"))
    assert response.status_code == 302
    assert CitizenProfile.objects.get(nik=NIK).birth_date == date(1992, 3, 25)


def test_a_nik_warning_does_not_block_sign_up(client):
    # The NIK says 25 March 1992; the person says 26 March: a warning, not an error.
    response = client.post(
        url("accounts:signup", "en"), signup_data(birth_date="1992-03-26"), follow=True
    )
    assert response.redirect_chain[-1][0] == url("accounts:profile", "en")
    assert CitizenProfile.objects.filter(nik=NIK).exists()
    body = unescape(response.content.decode())
    assert "is not the birth date entered" in body
    assert 'class="notice notice--warning"' in body


def test_a_nik_warning_is_shown_beside_the_field_when_another_error_blocks(client):
    response = client.post(
        url("accounts:signup", "en"),
        signup_data(birth_date="1992-03-26", password2="different-password-x"),
    )
    body = unescape(response.content.decode())
    assert '<p class="field-warning" role="status">' in body
    assert "is not the birth date entered" in body


@pytest.mark.parametrize(
    "duplicate",
    [
        {
            "email": "SITI.RAHAYU@contoh.id",
            "nik": "3578101708850003",
            "birth_date": "1985-08-17",
            "sex": Sex.MALE,
        },
        {"email": "someone.else@contoh.id"},
    ],
    ids=["same e-mail", "same NIK"],
)
def test_a_duplicate_email_or_nik_is_refused_with_one_message(client, duplicate):
    assert client.post(url("accounts:signup"), signup_data()).status_code == 302
    client.logout()
    response = client.post(url("accounts:signup", "en"), signup_data(**duplicate))
    assert response.status_code == 200
    body = unescape(response.content.decode())
    assert "An account already exists with this e-mail address or NIK" in body
    assert input_value(body, "email") == duplicate.get("email", "siti.rahayu@contoh.id")
    assert get_user_model().objects.filter(citizen__isnull=False).count() == 1


def test_a_signed_in_person_does_not_see_the_sign_up_form(client):
    client.post(url("accounts:signup"), signup_data())
    assert client.get(url("accounts:signup"))["Location"] == url("accounts:profile")


# Sign in and out -------------------------------------------------------------------------


@pytest.fixture
def citizen(client):
    client.post(url("accounts:signup"), signup_data())
    client.logout()
    return get_user_model().objects.get(email="siti.rahayu@contoh.id")


@pytest.fixture
def officer():
    agency = Agency.objects.get(code="dukcapil-surabaya")
    unit = agency.units.get(code="pencatatan-sipil")
    user = get_user_model().objects.create_user(
        username="petugas.dukcapil",
        email="petugas@dukcapil.go.id",
        password=PASSWORD,
        first_name="Ahmad",
        last_name="Fauzi",
    )
    EmployeeProfile.objects.create(
        user=user, nip="198703152010011002", agency=agency, unit=unit, position="Pengadministrasi"
    )
    RoleAssignment.objects.create(user=user, role=Role.OFFICER, agency=agency, unit=unit)
    return user


@pytest.mark.parametrize("login", ["siti.rahayu@contoh.id", "Siti.Rahayu@Contoh.id"])
def test_a_citizen_signs_in_with_the_email_address(client, citizen, login):
    response = client.post(url("accounts:login"), {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(url("accounts:profile")).status_code == 200


def test_staff_sign_in_with_a_username_and_land_where_they_were_going(client, officer):
    target = url("accounts:profile", "en")
    response = client.post(
        url("accounts:login"),
        {"username": "petugas.dukcapil", "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


def test_a_wrong_password_is_refused_with_a_clear_message(client, citizen):
    response = client.post(
        url("accounts:login", "en"), {"username": "siti.rahayu@contoh.id", "password": "wrong"}
    )
    assert response.status_code == 200
    body = unescape(response.content.decode())
    assert "do not match an account" in body
    assert 'class="error-summary"' in body and '<a href="#id_username">' in body
    assert input_value(body, "username") == "siti.rahayu@contoh.id"


def test_empty_login_says_what_to_enter(client):
    body = client.post(url("accounts:login", "en"), {}).content.decode()
    assert "Enter your e-mail address or username" in field_error(body, "username")
    assert "Enter your password" in field_error(body, "password")


def test_sign_out_is_a_post_from_every_page(client, citizen):
    client.force_login(citizen)
    body = client.get(url("catalog:home")).content.decode()
    assert re.search(
        rf'<form class="inline-form" action="{url("accounts:logout")}" method="post">', body
    )
    assert client.get(url("accounts:logout")).status_code == 405
    response = client.post(url("accounts:logout"))
    assert response.status_code == 302
    assert client.get(url("accounts:profile")).status_code == 302


def test_the_header_offers_sign_in_and_sign_up_to_visitors(client):
    body = client.get(url("catalog:services")).content.decode()
    assert f'href="{url("accounts:login")}?next=/layanan/"' in body
    assert f'href="{url("accounts:signup")}"' in body


# Profile ---------------------------------------------------------------------------------


def test_the_profile_needs_a_signed_in_person(client):
    response = client.get(url("accounts:profile", "en"))
    assert response.status_code == 302
    assert response["Location"] == url("accounts:login", "en") + "?next=" + url(
        "accounts:profile", "en"
    )


def test_the_profile_shows_the_citizen_their_own_data(client, citizen, officer):
    client.force_login(citizen)
    body = client.get(url("accounts:profile", "en")).content.decode()
    assert "Siti Rahayu" in body and NIK in body and "25 March 1992" in body
    assert "Citizen: you can apply for services" in body
    assert "Ahmad" not in body and "198703152010011002" not in body


def test_the_profile_shows_staff_their_work_and_roles(
    client, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(6):
        response = client.get(url("accounts:profile", "en"))
    body = unescape(response.content.decode())
    assert "198703152010011002" in body
    assert "Surabaya City Population and Civil Registration Office" in body
    assert "Civil Registration Division" in body
    assert "Officer" in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_privacy_notice_explains_purpose_basis_rights_and_retention(client, language):
    response = client.get(url("accounts:privacy", language))
    assert response.status_code == 200
    if language == "en":
        body = response.content.decode()
        for words in (
            "lawful basis",
            "Correct data",
            "Delete your account",
            "How long we keep it",
            "3 × 24 hours",
        ):
            assert words in body
