"""Shared fixtures: the example catalogue loaded once per test database."""

from pathlib import Path

import pytest
from django.conf import settings

# Every log record of the suite is scanned for personal data (tests/logscan.py).
pytest_plugins = ["tests.logscan"]

EXAMPLE_CATALOG = Path(settings.PACKAGE_DIR) / "definitions"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped example catalogue into the test database once; each test runs in a
    transaction that is rolled back, so tests may change it freely."""
    from satupintu.catalog.services import catalog_load

    with django_db_blocker.unblock():
        catalog_load(directory=EXAMPLE_CATALOG)


@pytest.fixture
def catalog_dir(tmp_path):
    """A writable copy of the example catalogue."""
    import shutil

    target = tmp_path / "definitions"
    shutil.copytree(EXAMPLE_CATALOG, target)
    return target


@pytest.fixture(autouse=True)
def public_figures_uncached(settings):
    """The public performance figures are computed for each request in tests (the site
    keeps them a few minutes); ``tests/feedback/test_performance_page.py`` checks the cache."""
    settings.SATUPINTU_PUBLIC_FIGURES_SECONDS = 0


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded and generated files of each test go to a folder of its own, never to the
    demo's ``var/media``, and never to another test process's."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the platform's default language: a request to an English page
    leaves English active in the thread, which would leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def ratelimits_off(settings):
    """Rate limits are off in tests; ``tests/core/test_ratelimits.py`` turns them on."""
    settings.SATUPINTU_RATELIMITS_ENABLED = False


@pytest.fixture(autouse=True)
def staff_second_factor_off(settings):
    """Staff sign in with ``force_login`` in tests and give no second factor;
    ``tests/accounts/test_totp.py`` turns it on."""
    settings.SATUPINTU_STAFF_TOTP = False
