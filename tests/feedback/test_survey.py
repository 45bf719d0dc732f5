"""Answering the survey (docs/ikm.md, "The survey"): the one-time link opens without signing
in, on the page and over the API, in Indonesian and English; the nine elements have their
own answer words and are each optional; one answer per case (a second attempt is told it
was answered); the answer is stored by element code with no link to the case or the person;
an unknown or expired link is refused."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.core.errors import Conflict
from satupintu.feedback import services
from satupintu.feedback.models import SurveyInvitation, SurveyResponse
from satupintu.notifications.models import Notification
from tests.feedback.factories import close_birth_case, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(people):
    """A closed case of ``warga`` with its invitation; returns (invitation, token)."""
    case = close_birth_case(open_case(people), people)
    invitation = services.invitation_create(case_id=case.pk)
    notice = Notification.objects.get(recipient=people["warga"], kind="feedback.survey")
    token = notice.link.rstrip("/").rsplit("/", 1)[-1]
    return invitation, token


def survey_url(token: str, language: str = "id") -> str:
    with translation.override(language):
        return reverse("feedback:survey", kwargs={"token": token})


def text(response) -> str:
    return response.content.decode()


ANSWERS = {
    "U1": "4",
    "U2": "3",
    "U3": "2",
    "U5": "4",
    "U9": "3",
    "sex": "F",
    "suggestion": "Cepat.",
}


def test_the_link_opens_without_signing_in_and_works_on_a_phone(invited):
    invitation, token = invited
    response = Client().get(survey_url(token))
    assert response.status_code == 200
    page = text(response)
    assert 'name="viewport"' in page
    assert invitation.service.name in page
    for code in ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"):
        assert f'name="{code}"' in page
    # No login, no personal data on the page; the token never goes to other sites. Not
    # "no-referrer": under it browsers send the form with "Origin: null" and CSRF refuses it.
    assert "Siti" not in page and "3578056503920001" not in page
    assert response["Referrer-Policy"] == "same-origin"


def test_the_english_page_has_each_elements_own_answer_words(invited):
    _invitation, token = invited
    response = Client().get(survey_url(token, "en"))
    assert response.status_code == 200
    page = text(response)
    assert survey_url(token, "en").startswith("/en/")
    for words in (
        "Very suitable",  # U1, U5
        "Very easy",  # U2
        "Very fast",  # U3
        "Very expensive",  # U4
        "Free",  # U4
        "Very competent",  # U6
        "Very polite and friendly",  # U7
        "Exists but does not work",  # U8
        "Well managed",  # U8
        "Adequate",  # U9
        "Very good",  # U9
    ):
        assert words in page, words


def test_answering_stores_one_anonymous_response_by_element_code(invited):
    invitation, token = invited
    invited_at = invitation.updated_at
    client = Client()
    response = client.post(survey_url(token), ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:survey_done")
    assert client.get(response["Location"]).status_code == 200

    stored = SurveyResponse.objects.get()
    assert (stored.u1, stored.u2, stored.u3, stored.u5, stored.u9) == (4, 3, 2, 4, 3)
    # Unanswered elements are simply absent.
    assert (stored.u4, stored.u6, stored.u7, stored.u8) == (None, None, None, None)
    assert stored.sex == "F" and stored.suggestion == "Cepat."
    assert stored.service_id == invitation.service_id
    assert stored.agency_id == invitation.agency_id
    assert stored.submitted_on == timezone.localdate()
    # Nothing ties the response to the invitation, the case or the person.
    field_names = {field.name for field in SurveyResponse._meta.get_fields()}
    assert not field_names & {"invitation", "case", "user", "applicant", "created_at"}
    invitation.refresh_from_db()
    assert invitation.answered
    # Answering wrote no time on the invitation either.
    assert invitation.updated_at == invited_at


def test_a_second_attempt_is_told_the_survey_was_answered(invited):
    _invitation, token = invited
    client = Client()
    client.post(survey_url(token), ANSWERS)
    again = client.post(survey_url(token, "en"), {"U1": "1"})
    assert again.status_code == 409
    assert "already answered" in text(again)
    reopened = client.get(survey_url(token, "en"))
    assert reopened.status_code == 409
    assert "already answered" in text(reopened)
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().u1 == 4


def test_the_service_refuses_a_second_answer_too(invited):
    _invitation, token = invited
    services.survey_response_submit(token=token, answers={"U1": 4})
    with pytest.raises(Conflict) as refused:
        services.survey_response_submit(token=token, answers={"U1": 1})
    assert refused.value.code == "already_answered"
    assert SurveyResponse.objects.count() == 1


def test_every_question_is_optional_but_something_must_be_said(invited):
    _invitation, token = invited
    empty = Client().post(survey_url(token, "en"), {})
    assert empty.status_code == 400
    assert "Answer at least one question, or write a suggestion." in text(empty)
    assert not SurveyResponse.objects.exists()
    only_a_suggestion = Client().post(survey_url(token), {"suggestion": "Tambah kursi."})
    assert only_a_suggestion.status_code == 302
    assert SurveyResponse.objects.get().u1 is None


def test_an_answer_off_the_scale_is_shown_next_to_its_question_and_kept(invited):
    _invitation, token = invited
    response = Client().post(survey_url(token, "en"), {"U1": "5", "U2": "3", "suggestion": "Ok"})
    assert response.status_code == 400
    page = text(response)
    assert "Choose one of the four answers." in page
    assert 'id="id_U1-error"' in page
    # What was typed is kept.
    assert re.search(r'<input type="radio" name="U2" value="3"[^>]*checked', page)
    assert "Ok</textarea>" in page
    assert not SurveyResponse.objects.exists()


def test_an_unknown_link_is_not_found(db):
    response = Client().get(survey_url("x" * 43, "en"))
    assert response.status_code == 404
    assert "not valid" in text(response)


def test_an_expired_link_is_refused(invited):
    invitation, token = invited
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = Client().post(survey_url(token, "en"), ANSWERS)
    assert response.status_code == 410
    assert "closed" in text(response)
    assert not SurveyResponse.objects.exists()


# Over the API ----------------------------------------------------------------------------------


def test_the_api_shows_the_questions_without_signing_in(invited):
    invitation, token = invited
    response = Client().get(f"/api/v1/surveys/{token}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is False
    assert body["service"] == invitation.service.name_en
    codes = [question["code"] for question in body["questions"]]
    assert codes == [f"U{n}" for n in range(1, 10)]
    u4 = body["questions"][3]
    assert [choice["label"] for choice in u4["choices"]] == [
        "Very expensive",
        "Fairly expensive",
        "Cheap",
        "Free",
    ]


def test_the_api_takes_one_answer_per_case(invited):
    _invitation, token = invited
    payload = {"answers": {"U1": 4, "U3": 2, "U8": None}, "profile": {"education": "senior"}}
    first = Client().post(
        f"/api/v1/surveys/{token}", json.dumps(payload), content_type="application/json"
    )
    assert first.status_code == 201, first.content
    assert first.json()["received"] is True
    stored = SurveyResponse.objects.get()
    assert (stored.u1, stored.u3, stored.u8, stored.education) == (4, 2, None, "senior")
    second = Client().post(
        f"/api/v1/surveys/{token}", json.dumps(payload), content_type="application/json"
    )
    assert second.status_code == 409
    assert second.json()["code"] == "already_answered"


def test_the_api_refuses_bad_answers_with_their_paths(invited):
    _invitation, token = invited
    response = Client().post(
        f"/api/v1/surveys/{token}",
        json.dumps({"answers": {"U1": 9, "U12": 3}, "profile": {"sex": "X"}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    paths = {error["path"] for error in response.json()["errors"]}
    assert paths == {"U1", "U12", "sex"}
    assert not SurveyResponse.objects.exists()


def test_the_api_answers_404_for_an_unknown_token(db):
    response = Client().post(
        "/api/v1/surveys/" + "y" * 43,
        json.dumps({"answers": {"U1": 4}}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_survey"
