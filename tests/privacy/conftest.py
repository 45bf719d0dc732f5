"""Fixtures for data protection: the demo's people (citizens ``warga`` and ``warga2``,
Dukcapil's officers, the platform administrator ``admin`` and the data protection officer
``ppdp``), and clients signed in as any of them."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from satupintu.demo.people import demo_people_load


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def people(db):
    demo_people_load()
    return {user.username: user for user in get_user_model().objects.all()}


@pytest.fixture
def as_user(people):
    def login(username: str) -> Client:
        client = Client()
        client.force_login(people[username])
        return client

    return login
