"""Collecting answers at the counter (docs/ikm.md, "At the counter"): an officer chooses a
service of their unit (and the service centre), hands the tablet over, and every answer goes
back to an empty form with a thank-you; service centre staff collect at their centre; no one
else may, and nobody's name is stored."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from satupintu.core.models import AuditEvent
from satupintu.feedback.constants import Channel
from satupintu.feedback.models import ServiceCentreStaff, SurveyResponse
from satupintu.organisations.models import Office
from tests.feedback.factories import BILLBOARD, BIRTH

pytestmark = pytest.mark.django_db


def counter_url(language: str = "en", **params) -> str:
    with translation.override(language):
        url = reverse("feedback:counter")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_collects_one_answer_per_submit_and_gets_an_empty_form(people):
    client = signed_in(people["petugas.dukcapil"])
    chooser = client.get(counter_url())
    assert chooser.status_code == 200
    assert BIRTH in chooser.content.decode()
    assert BILLBOARD not in chooser.content.decode()  # another agency's service

    form = client.get(counter_url(service=BIRTH))
    assert form.status_code == 200
    assert 'name="U9"' in form.content.decode()

    response = client.post(counter_url(), {"service": BIRTH, "U1": "4", "U7": "3"})
    assert response.status_code == 302
    next_page = client.get(response["Location"])
    page = next_page.content.decode()
    assert "Thank you!" in page
    # Back to an empty form for the next person: nothing chosen.
    assert "checked" not in page
    client.post(counter_url(), {"service": BIRTH, "U1": "2"})

    assert SurveyResponse.objects.count() == 2
    first = SurveyResponse.objects.get(u7=3)
    assert first.channel == Channel.COUNTER and first.office is None
    assert first.service.code == BIRTH
    # The audit trail says who collected, never which answer.
    events = AuditEvent.objects.filter(action="survey.collected_at_counter")
    assert events.count() == 2
    assert all(event.object_id == "" for event in events)


def test_an_officer_collects_at_a_service_centre_that_offers_the_service(people):
    client = signed_in(people["petugas.dukcapil"])
    page = client.get(counter_url(service=BIRTH)).content.decode()
    assert "mpp-siola" in page
    client.post(counter_url(), {"service": BIRTH, "office": "mpp-siola", "U1": "4"})
    assert SurveyResponse.objects.get().office.code == "mpp-siola"


def test_a_service_centres_staff_collect_for_the_services_offered_there(people):
    person = people["warga2"]
    ServiceCentreStaff.objects.create(user=person, office=Office.objects.get(code="mpp-siola"))
    client = signed_in(person)
    assert BILLBOARD in client.get(counter_url()).content.decode()
    client.post(counter_url(), {"service": BILLBOARD, "office": "mpp-siola", "U2": "3"})
    stored = SurveyResponse.objects.get()
    assert stored.office.code == "mpp-siola" and stored.agency.code == "dpmptsp-surabaya"


def test_a_citizen_may_not_collect(people):
    client = signed_in(people["warga"])
    assert client.get(counter_url()).status_code == 403
    assert client.post(counter_url(), {"service": BIRTH, "U1": "4"}).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_an_officer_may_not_collect_for_another_agencys_service(people):
    client = signed_in(people["petugas.dpmptsp"])
    response = client.post(counter_url(), {"service": BIRTH, "U1": "4"})
    # The service is not theirs to choose: the page asks for one of theirs again.
    assert response.status_code == 200
    assert 'name="U1"' not in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_counter_answer_with_nothing_in_it_is_refused(people):
    client = signed_in(people["petugas.dukcapil"])
    response = client.post(counter_url(), {"service": BIRTH})
    assert response.status_code == 400
    assert "Answer at least one question, or write a suggestion." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_admin_shows_answers_to_the_platform_administrator_but_no_invitations(people):
    from satupintu.feedback.models import SurveyInvitation

    client = signed_in(people["admin"])
    assert client.get("/admin/feedback/surveyresponse/").status_code == 200
    assert client.get("/admin/feedback/followupplan/").status_code == 200
    assert client.get("/admin/feedback/serviceperformancesignal/").status_code == 200
    assert client.get("/admin/feedback/servicecentrestaff/add/").status_code == 200
    # Invitations name a case, and so a person: they are not in the admin at all.
    from django.contrib import admin

    assert SurveyInvitation not in admin.site._registry
    assert client.get("/admin/feedback/surveyinvitation/").status_code == 404
    # An agency administrator does not see the answers.
    assert (
        signed_in(people["admin.dukcapil"]).get("/admin/feedback/surveyresponse/").status_code
        == 403
    )
