"""Officers find a case by its tracking number (issue: browser journeys — the officer finds
the case the applicant calls about by its reference): typed as the applicant reads it out,
it opens the case when one case of the officer's units has it, lists the cases of a life
event's application when several have it (the ones waiting to start say what they wait for),
and says so next to the box — without revealing anything — when the number is mistyped or
belongs to another unit's or agency's case."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.cases.models import Case, Submission

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
BILLBOARD = "dpmptsp-surabaya.izin-reklame"


def queue(**params) -> str:
    with translation.override("en"):
        address = reverse("cases:queue")
    return address + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def officer_case(case: Case) -> str:
    with translation.override("en"):
        return reverse("cases:officer_case", kwargs={"public_id": case.public_id})


@pytest.fixture
def as_user(client, people):
    def login(username: str):
        client.force_login(people[username])
        return client

    return login


@pytest.fixture
def birth_bundle(people, settings, tmp_path):
    """The demo's birth application of ``warga2``: the birth certificate open at the civil
    registry, the family card and the child identity card waiting for it, and cases at the
    health office and the health insurance."""
    from satupintu.demo.cases import demo_life_events_load

    settings.MEDIA_ROOT = tmp_path
    demo_life_events_load()
    return Submission.objects.get(life_event_version__life_event__code="kelahiran")


def test_one_case_with_the_number_opens_at_once_however_it_is_typed(as_user, make_case):
    case = make_case(BIRTH)
    client = as_user("petugas.dukcapil")
    number = case.submission.tracking
    for typed in (number, number.lower(), number.replace("-", ""), f" {number[:4]} {number[5:]}"):
        response = client.get(queue(nomor=typed.replace(" ", "+")))
        assert response.status_code == 302, typed
        assert response["Location"] == officer_case(case)


def test_several_cases_of_a_life_event_are_listed_with_what_the_waiting_ones_wait_for(
    as_user, people, birth_bundle
):
    # An officer of the whole agency: every unit of the civil registry.
    officer = people["petugas.dukcapil"]
    birth = Case.objects.get(submission=birth_bundle, service__code=BIRTH)
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER, agency=birth.agency)
    own = Case.objects.filter(submission=birth_bundle, agency=birth.agency)
    assert own.count() == 3 and own.filter(is_waiting=True).count() == 2

    response = as_user("petugas.dukcapil").get(queue(nomor=birth_bundle.tracking))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Cases with the tracking number {birth_bundle.tracking}" in page
    for case in own.select_related("service"):
        assert officer_case(case) in page
    assert "Waiting for “Birth Certificate”" in page
    assert "Waiting for “Family Card Update”" in page
    # Only the civil registry's cases: the health office's and the insurer's are not here.
    others = Case.objects.filter(submission=birth_bundle).exclude(agency=birth.agency)
    assert others.exists()
    for case in others:
        assert officer_case(case) not in page
    # A list of one application: no pages, no filters.
    assert 'rel="next"' not in page and 'name="service"' not in page
    # Each case listed opens, the waiting ones too.
    client = as_user("petugas.dukcapil")
    for case in own:
        assert client.get(officer_case(case)).status_code == 200


def test_a_number_of_another_agency_is_not_found_and_reveals_nothing(as_user, make_case):
    billboard = make_case(BILLBOARD, applicant="warga2")
    response = as_user("petugas.dukcapil").get(queue(nomor=billboard.submission.tracking))
    page = response.content.decode()
    assert response.status_code == 400
    assert "No case of your units has the tracking number" in page
    # The message is next to the box, and the summary at the top leads to it.
    assert 'href="#id_nomor"' in page
    box = re.search(r'<input[^>]*id="id_nomor"[^>]*>', page).group(0)
    assert 'aria-describedby="id_nomor-hint id_nomor-error"' in box
    assert 'aria-invalid="true"' in box
    assert officer_case(billboard) not in page
    assert "Cases with the tracking number" not in page  # the usual queue, below the box


def test_a_mistyped_number_is_explained_and_kept_in_the_box(as_user, make_case):
    case = make_case(BIRTH)
    number = case.submission.tracking
    # Change the check character: the typing mistake is caught before any search.
    wrong = number[:-1] + ("A" if number[-1] != "A" else "B")
    response = as_user("petugas.dukcapil").get(queue(nomor=wrong))
    page = response.content.decode()
    assert response.status_code == 400
    assert "This is not a tracking number" in page
    assert f'value="{wrong}"' in page
    assert "Cases with the tracking number" not in page


def test_citizens_cannot_search_the_queue(as_user, make_case):
    case = make_case(BIRTH)
    response = as_user("warga").get(queue(nomor=case.submission.tracking))
    assert response.status_code == 403
