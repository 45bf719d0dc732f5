"""Requirement: sign-in throttling and lockout (issue "security hardening").

After five wrong passwords for one username from one address, signing in is paused for
15 minutes, even with the right password, and the page says until when. The pause ends by
itself; a successful sign-in clears the count; another address is not locked out.
"""

from datetime import timedelta

import pytest
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.utils import timezone
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

PASSWORD = "kopi-tubruk-pagi-hari"
LOGIN = "/en/akun/masuk/"
EMAIL = "siti.rahayu@contoh.id"


@pytest.fixture
def citizen():
    return get_user_model().objects.create_user(
        username="siti.rahayu", email=EMAIL, password=PASSWORD
    )


def attempt(client, password: str, *, username: str = EMAIL, address: str = "10.1.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times: int, **kwargs):
    return [attempt(client, "wrong-password", **kwargs).status_code for _ in range(times)]


def signed_in(client) -> bool:
    return client.get("/en/akun/profil/").status_code == 200


def test_five_wrong_passwords_lock_the_account_from_that_address(client, citizen):
    # The URLs (and the API's schemas) load before the clock stops.
    assert client.get(LOGIN).status_code == 200
    with freeze_time("2026-03-02 01:00:00+00:00"):
        assert fail(client, 4) == [200, 200, 200, 200]

        fifth = attempt(client, "wrong-password")

        assert fifth.status_code == 429
        assert fifth["Retry-After"] == str(15 * 60)
        body = fifth.content.decode()
        assert "Sign-in paused" in body
        # 01:00 UTC is 08:00 in Jakarta: try again after 08:15.
        assert "08:15" in body
        # Even the right password is refused now, with any spelling of the username.
        right = attempt(client, PASSWORD, username=EMAIL.upper())
        assert right.status_code == 429
        assert not signed_in(client)


def test_the_lockout_ends_after_the_cool_off(client, citizen):
    fail(client, 5)
    assert attempt(client, PASSWORD).status_code == 429

    with freeze_time(timezone.now() + timedelta(minutes=16)):
        response = attempt(client, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_an_operator_can_lift_a_lockout(client, citizen):
    fail(client, 5)
    reset(username=citizen.username)
    assert attempt(client, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_count(client, citizen):
    fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()

    assert fail(client, 4) == [200, 200, 200, 200]
    assert attempt(client, PASSWORD).status_code == 302


def test_another_address_is_not_locked_out(client, citizen):
    fail(client, 5)
    assert attempt(client, PASSWORD, address="10.1.0.2").status_code == 302


def test_the_limits_come_from_settings(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert fail(client, 2) == [200, 429]


def test_signing_in_without_a_request_is_not_counted(client, citizen):
    # A shell or a test client's login() has no address to count by.
    assert client.login(username=EMAIL, password=PASSWORD)
