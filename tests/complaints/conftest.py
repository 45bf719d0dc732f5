"""Fixtures for complaints: the demo's people (with the complaint coordinator
``koordinator.lapor``), a second coordinator, a citizen whose identity the anonymity tests
look for, and clients signed in as anyone."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.demo.people import demo_people_load
from tests.complaints.factories import make_citizen


@pytest.fixture(autouse=True)
def indonesian():
    """Each test starts in the default language and leaves it so."""
    with translation.override("id"):
        yield


@pytest.fixture
def people(db):
    """The demo people: citizens `warga` and `warga2`; Dukcapil Surabaya's `petugas.dukcapil`
    (officer), `penyelia.dukcapil` (supervisor) and `admin.dukcapil` (agency admin), unit
    pencatatan-sipil; DPMPTSP's `petugas.dpmptsp`; the coordinator `koordinator.lapor`; a
    second coordinator `koordinator.dua`; and `pelapor.rahasia`, a citizen with a distinctive
    name, e-mail, phone and NIK."""
    demo_people_load()
    user_model = get_user_model()
    second = user_model.objects.create_user(
        "koordinator.dua", email="koordinator.dua@contoh.id", first_name="Agus", last_name="Salim"
    )
    RoleAssignment.objects.create(user=second, role=Role.COMPLAINT_COORDINATOR)
    make_citizen()
    return {user.username: user for user in user_model.objects.all()}


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Call a service the way a page does: its tasks run when it commits (the tests' task
    backend runs them at once)."""

    def call(function, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return call


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def as_user(client, people):
    def login(username: str):
        client.force_login(people[username])
        return client

    return login
