"""The way to the complaint coordinator's queue: the header of every page links to it for a
coordinator (whose sign-in leads to the home page, as everyone's) and for nobody else."""

import pytest

from tests.complaints.factories import url

pytestmark = pytest.mark.django_db

LINK = f'href="{url("coordinator_queue")}"'


def test_the_coordinator_finds_the_queue_in_the_header(as_user):
    client = as_user("koordinator.lapor")
    home = client.get("/en/").content.decode()
    assert f"{LINK}>Coordinator's queue<" in home
    queue = client.get(url("coordinator_queue")).content.decode()
    assert f'{LINK} aria-current="page"' in queue


@pytest.mark.parametrize("username", ["warga", "petugas.dukcapil", "admin.dukcapil"])
def test_nobody_else_sees_it(as_user, username):
    assert LINK not in as_user(username).get("/en/").content.decode()
