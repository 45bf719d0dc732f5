"""Fixtures of the LRS: clients with credentials and callers that use them."""

import pytest

from satupintu.lrs.services import lrs_client_create
from tests.lrs.factories import Xapi, basic


@pytest.fixture
def credentials(db):
    client, secret = lrs_client_create(name="Course player")
    return client, secret


@pytest.fixture
def lrs_client(credentials):
    return credentials[0]


@pytest.fixture
def xapi(credentials):
    client, secret = credentials
    return Xapi(basic(client.key, secret))


@pytest.fixture
def reader(db):
    client, secret = lrs_client_create(name="Dashboard", can_write=False)
    return Xapi(basic(client.key, secret))
