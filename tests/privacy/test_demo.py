"""Requirement (demo): the demo has a data protection officer ``ppdp`` whose pages are not
empty — an open request of ``warga2`` and a breach to notify — and loading twice adds
nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.demo.people import DEMO_PASSWORD, demo_load
from satupintu.privacy.models import Breach, DataRequest
from tests.conftest import EXAMPLE_CATALOG

pytestmark = pytest.mark.django_db


def test_the_demo_officer_has_a_request_and_a_breach():
    logins = demo_load(catalog_dir=EXAMPLE_CATALOG)
    assert "ppdp" in {username for _role, username in logins}
    demo_load(catalog_dir=EXAMPLE_CATALOG)
    request = DataRequest.objects.get()
    assert request.requester.username == "warga2" and request.is_open
    breach = Breach.objects.get()
    assert not breach.is_notified
    client = Client()
    assert client.login(username="ppdp", password=DEMO_PASSWORD)
    assert request.tracking in client.get(reverse("privacy:queue")).content.decode()
    assert breach.title in client.get(reverse("privacy:breaches")).content.decode()
    notice = client.get(reverse("privacy:breach_notice", args=[breach.tracking]))
    assert notice.status_code == 200
