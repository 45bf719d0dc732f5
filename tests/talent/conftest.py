"""Fixtures of the competency framework's tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield
