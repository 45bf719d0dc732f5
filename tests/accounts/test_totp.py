"""Requirement: a TOTP second factor is required of staff in production settings (issue
"TOTP second factor required for staff in production settings").

With ``SATUPINTU_STAFF_TOTP`` on, a staff member (anyone with a role, or the admin's users)
who signed in with a password is held back — pages redirect, the API answers 403 with the
code ``second_factor_required`` — until the session is verified: before they have an
authenticator they set one up from a QR code (an SVG the Content-Security-Policy allows) and
get ten recovery codes once; afterwards they give a code at each sign-in. Wrong codes are
refused and slow down; a recovery code works once; every attempt is audited, never the code.
They reset their own authenticator after a current code; a platform administrator resets
someone's in the admin. Citizens are never asked; API keys are not affected; with the
setting off nothing changes. The codes in these tests are computed from the device's key,
as an authenticator app computes them.
"""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from satupintu.accounts import second_factor
from satupintu.accounts.constants import Role
from satupintu.accounts.models import CitizenProfile, EmployeeProfile, RoleAssignment
from satupintu.accounts.services import api_key_create
from satupintu.core.errors import Forbidden
from satupintu.core.models import AuditEvent
from satupintu.organisations.models import Agency

pytestmark = pytest.mark.django_db

PASSWORD = "kopi-tubruk-pagi-hari"
LOGIN = "/en/akun/masuk/"
LOGOUT = "/en/akun/keluar/"
SETUP = "/en/akun/dua-langkah/pasang/"
VERIFY = "/en/akun/dua-langkah/"
RECOVERY = "/en/akun/dua-langkah/kode-pemulihan/"
MANAGE = "/en/akun/profil/dua-langkah/"
QUEUE = "/en/petugas/"
API_QUEUE = "/api/v1/cases"
START = "2026-03-02 01:00:00+00:00"


@pytest.fixture(autouse=True)
def staff_second_factor_on(settings):
    settings.SATUPINTU_STAFF_TOTP = True


def _employee(username: str, role: str | None) -> object:
    agency = Agency.objects.get(code="dukcapil-surabaya")
    unit = agency.units.get(code="pencatatan-sipil")
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name="Ahmad", last_name="Fauzi"
    )
    EmployeeProfile.objects.create(user=user, agency=agency, unit=unit, position="Pengadministrasi")
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, agency=agency, unit=unit)
    return user


@pytest.fixture
def officer():
    return _employee("petugas.dukcapil", Role.OFFICER)


@pytest.fixture
def platform_admin():
    user = get_user_model().objects.create_user(
        username="admin.platform", password=PASSWORD, is_staff=True
    )
    RoleAssignment.objects.create(user=user, role=Role.PLATFORM_ADMIN)
    return user


@pytest.fixture
def citizen():
    from datetime import date

    user = get_user_model().objects.create_user(
        username="warga-siti", email="siti.rahayu@contoh.id", password=PASSWORD
    )
    CitizenProfile.objects.create(
        user=user,
        nik="3578056503920001",
        full_name="Siti Rahayu",
        birth_date=date(1992, 3, 25),
        sex="F",
    )
    return user


def sign_in(client: Client, user, next_url: str = "") -> object:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def current_code(user, *, ahead: int = 0) -> str:
    """The code an authenticator app shows now (``ahead`` time steps later), from the key of
    ``user``'s newest device."""
    device = TOTPDevice.objects.filter(user=user).order_by("-id").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def recovery_codes_on(body: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", body)


def field_error(body: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="id_{field}-error">(.*?)</p>', body, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match[1])).strip() if match else ""


def enrol(client: Client, user) -> list[str]:
    """Set up the authenticator through the pages; returns the recovery codes shown."""
    assert client.get(SETUP).status_code == 200
    response = client.post(SETUP, {"code": current_code(user), "next": QUEUE})
    assert response.status_code == 302, field_error(response.content.decode(), "code")
    return recovery_codes_on(client.get(response["Location"]).content.decode())


def actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .filter(action__startswith="second_factor.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# Enrolment ----------------------------------------------------------------------------------


def test_an_officer_who_signs_in_is_held_back_until_they_set_up_the_app(client, officer):
    sign_in(client, officer, next_url=QUEUE)

    page = client.get(QUEUE)
    assert page.status_code == 302
    assert page["Location"] == SETUP + "?next=%2Fen%2Fpetugas%2F"
    assert client.get("/en/admin/")["Location"].startswith(SETUP)
    api = client.get(API_QUEUE)
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    assert api.json()["detail"]

    # The health check, the API's documentation and the setup page stay open; so does
    # signing out.
    assert client.get("/api/v1/ping").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get(SETUP).status_code == 200
    assert client.post(LOGOUT).status_code == 302
    assert client.get(QUEUE)["Location"].startswith(LOGIN)


def test_the_setup_page_shows_a_qr_code_that_the_policy_allows_and_the_key(client, officer):
    sign_in(client, officer)

    response = client.get(SETUP + "?next=/en/petugas/")

    body = response.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    image = re.search(r'<img class="qr-code" src="([^"]+)"', body)[1]
    assert image.startswith("data:image/svg+xml;base64,")
    policy = response["Content-Security-Policy"]
    assert "data:" in re.search(r"img-src ([^;]+)", policy)[1].split()
    assert "style=" not in body and "<script" not in body
    groups = second_factor.totp_secret_groups(device=device)
    assert " ".join(groups) in body
    assert all(len(group) == 4 for group in groups[:-1])
    assert 'autocomplete="one-time-code"' in body
    assert 'inputmode="numeric"' in body
    assert response["Cache-Control"].startswith("max-age=0")
    # A reload shows the same key: the app scanned already keeps working.
    assert " ".join(groups) in client.get(SETUP).content.decode()
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_an_officer_confirms_with_a_real_code_and_receives_recovery_codes_once(client, officer):
    sign_in(client, officer, next_url=QUEUE)
    client.get(SETUP)

    response = client.post(SETUP, {"code": current_code(officer), "next": QUEUE})

    assert response.status_code == 302
    assert response["Location"].startswith(RECOVERY)
    shown = client.get(response["Location"])
    body = shown.content.decode()
    codes = recovery_codes_on(body)
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT == 10
    assert len(set(codes)) == 10
    assert "Write these codes down now" in body
    assert f'href="{QUEUE}"' in body
    stored = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in codes}
    # Shown once: the page no longer has them.
    assert recovery_codes_on(client.get(RECOVERY).content.decode()) == []

    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(QUEUE).status_code == 200
    assert client.get(API_QUEUE).status_code == 200
    assert client.get(SETUP)["Location"] == "/en/akun/profil/dua-langkah/"
    assert actions(officer) == ["second_factor.verified", "second_factor.enrolled"]


def test_a_wrong_first_code_does_not_confirm_the_app(client, officer):
    sign_in(client, officer)
    client.get(SETUP)
    wrong = f"{(int(current_code(officer)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 200
    assert "This code is not right" in field_error(response.content.decode(), "code")
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(QUEUE).status_code == 302
    assert not StaticDevice.objects.filter(user=officer).exists()


# Signing in with a device ---------------------------------------------------------------------


def test_an_officer_with_an_app_must_give_a_code_at_every_sign_in(client, officer):
    client.get(LOGIN)  # the URLs load before the clock stops
    with freeze_time(START) as clock:
        sign_in(client, officer)
        enrol(client, officer)
        client.post(LOGOUT)
        clock.tick(30)

        sign_in(client, officer, next_url=QUEUE)
        held = client.get(QUEUE)
        assert held.status_code == 302
        assert held["Location"] == VERIFY + "?next=%2Fen%2Fpetugas%2F"
        assert client.get(API_QUEUE).status_code == 403
        page = client.get(held["Location"])
        body = page.content.decode()
        assert page.status_code == 200
        assert 'autocomplete="one-time-code"' in body
        assert 'inputmode="numeric"' in body

        response = client.post(VERIFY, {"code": current_code(officer), "next": QUEUE})

        assert response.status_code == 302
        assert response["Location"] == QUEUE
        assert client.get(QUEUE).status_code == 200
        assert client.get(API_QUEUE).status_code == 200


def test_a_wrong_code_is_refused_and_wrong_codes_slow_down(client, officer):
    client.get(LOGIN)
    with freeze_time(START) as clock:
        sign_in(client, officer)
        enrol(client, officer)
        client.post(LOGOUT)
        clock.tick(30)
        sign_in(client, officer)
        right = current_code(officer)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"

        refused = client.post(VERIFY, {"code": wrong})

        assert refused.status_code == 200
        assert "This code is not right" in field_error(refused.content.decode(), "code")
        assert client.get(QUEUE).status_code == 302
        # Straight after a wrong code even the right one waits (1 second, then 2, 4, …).
        throttled = client.post(VERIFY, {"code": right})
        assert throttled.status_code == 429
        assert "Wait 1 second" in field_error(throttled.content.decode(), "code")
        assert client.get(QUEUE).status_code == 302

        clock.tick(2)
        assert client.post(VERIFY, {"code": right}).status_code == 302
        assert client.get(QUEUE).status_code == 200

    failures = AuditEvent.objects.filter(action="second_factor.failed", actor=officer)
    assert [event.details["reason"] for event in failures.order_by("id")] == ["wrong", "throttled"]
    for event in AuditEvent.objects.filter(actor=officer):
        assert right not in str(event.details) and wrong not in str(event.details)


def test_a_code_that_is_not_six_digits_is_refused_by_the_form(client, officer):
    sign_in(client, officer)
    enrol(client, officer)
    client.post(LOGOUT)
    sign_in(client, officer)

    response = client.post(VERIFY, {"code": "12ab"})

    assert "Enter the 6 digits" in field_error(response.content.decode(), "code")
    assert client.get(QUEUE).status_code == 302


def test_a_recovery_code_works_once(client, officer):
    client.get(LOGIN)
    with freeze_time(START):
        sign_in(client, officer)
        codes = enrol(client, officer)
        client.post(LOGOUT)

        sign_in(client, officer)
        response = client.post(VERIFY, {"recovery_code": codes[0].upper(), "next": QUEUE})

        assert response.status_code == 302
        assert client.get(QUEUE).status_code == 200
        assert StaticToken.objects.filter(device__user=officer).count() == 9
        client.post(LOGOUT)

        sign_in(client, officer)
        again = client.post(VERIFY, {"recovery_code": codes[0]})

        body = again.content.decode()
        assert "used already" in field_error(body, "recovery_code")
        assert '<details class="filters__more" open>' in body
        assert client.get(QUEUE).status_code == 302


def test_a_citizen_is_never_asked(client, citizen):
    sign_in(client, citizen)

    assert client.get("/en/akun/profil/").status_code == 200
    assert client.get("/en/layanan-saya/").status_code == 200
    assert client.get("/api/v1/my/cases").status_code == 200
    assert client.get(VERIFY)["Location"] == "/en/"
    assert client.get(SETUP).status_code == 404
    assert not TOTPDevice.objects.filter(user=citizen).exists()


def test_an_employee_without_a_role_is_not_asked(client):
    learner = _employee("pegawai.belajar", None)
    sign_in(client, learner)
    assert client.get("/en/akun/profil/").status_code == 200


def test_with_the_setting_off_nothing_changes(client, officer, settings):
    settings.SATUPINTU_STAFF_TOTP = False
    sign_in(client, officer, next_url=QUEUE)

    assert client.get(QUEUE).status_code == 200
    assert client.get(API_QUEUE).status_code == 200
    assert client.get(SETUP).status_code == 404
    assert "Two-step sign-in" not in client.get("/en/akun/profil/").content.decode()


def test_any_way_of_signing_in_is_held_back(officer):
    # An identity provider's sign-in ends in ``login`` like the form's; force_login does too.
    client = Client()
    client.force_login(officer)
    assert client.get(QUEUE)["Location"].startswith(SETUP)


def test_api_keys_are_not_affected_even_beside_an_unverified_session(client, officer):
    _key, secret = api_key_create(
        agency=Agency.objects.get(code="dukcapil-surabaya"), name="Sistem antrian", actor=None
    )
    assert Client().get(API_QUEUE, headers={"authorization": f"Bearer {secret}"}).status_code == 200

    sign_in(client, officer)
    assert client.get(API_QUEUE).status_code == 403
    assert client.get(API_QUEUE, headers={"x-api-key": secret}).status_code == 200
    # The session does not count beside a key: an operation for people only refuses it.
    assert client.get("/api/v1/my/cases", headers={"x-api-key": secret}).status_code == 401


# Resetting ------------------------------------------------------------------------------------


def test_a_staff_member_resets_their_own_app_after_a_current_code(client, officer):
    client.get(LOGIN)
    with freeze_time(START) as clock:
        sign_in(client, officer)
        enrol(client, officer)
        assert "Two-step sign-in" in client.get("/en/akun/profil/").content.decode()
        clock.tick(30)

        refused = client.post(MANAGE, {"action": "reset", "reset-code": "000000"})
        assert "This code is not right" in field_error(refused.content.decode(), "reset-code")
        assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
        clock.tick(2)

        response = client.post(MANAGE, {"action": "reset", "reset-code": current_code(officer)})

        assert response.status_code == 302
        assert response["Location"] == SETUP
        assert not TOTPDevice.objects.filter(user=officer).exists()
        assert not StaticDevice.objects.filter(user=officer).exists()
        # The session is no longer verified: the next page asks for a new app.
        assert client.get(QUEUE)["Location"].startswith(SETUP)
        assert "second_factor.reset" in actions(officer)


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    client.get(LOGIN)
    with freeze_time(START) as clock:
        sign_in(client, officer)
        old = enrol(client, officer)
        clock.tick(30)

        response = client.post(MANAGE, {"action": "renew", "renew-code": current_code(officer)})

        assert response.status_code == 302
        new = recovery_codes_on(client.get(response["Location"]).content.decode())
        assert len(new) == 10 and not set(new) & set(old)
        stored = set(
            StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
        )
        assert stored == {code.replace("-", "") for code in new}


def _verified_client(user, clock) -> Client:
    client = Client()
    sign_in(client, user)
    enrol(client, user)
    clock.tick(30)
    return client


def test_a_platform_administrator_resets_a_lost_phone_in_the_admin(officer, platform_admin):
    Client().get(LOGIN)
    with freeze_time(START) as clock:
        officer_client = _verified_client(officer, clock)
        assert officer_client.get(QUEUE).status_code == 200
        admin_client = _verified_client(platform_admin, clock)

        response = admin_client.post(
            "/en/admin/accounts/user/",
            {"action": "reset_second_factor", "_selected_action": [officer.pk]},
        )

        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=officer).exists()
        assert not StaticDevice.objects.filter(user=officer).exists()
        # The officer's session stops being verified at once.
        assert officer_client.get(QUEUE)["Location"].startswith(SETUP)
        event = AuditEvent.objects.get(action="second_factor.reset", object_id=str(officer.pk))
        assert event.actor == platform_admin
        assert event.subject == officer
        assert event.details["by"] == "administrator"
        # The administrator's own app is untouched.
        assert TOTPDevice.objects.filter(user=platform_admin, confirmed=True).exists()


def test_only_a_platform_administrator_may_reset_someone_else(officer):
    agency_admin = _employee("admin.dukcapil", Role.AGENCY_ADMIN)
    TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)

    with pytest.raises(Forbidden):
        second_factor.second_factor_reset(user=officer, actor=agency_admin)

    assert TOTPDevice.objects.filter(user=officer).exists()


def test_the_admin_does_not_show_authenticator_keys():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
