"""Requirement: form errors are announced and linked to their fields (issue "Accessibility:
form errors announced and linked to their fields").

When a form comes back with errors, the error summary at the top is an alert that takes the
focus as the page opens (``autofocus``, no script needed) and links to each field in error;
each field in error is marked ``aria-invalid`` and described by its message — a text box
itself, a group of radio buttons on each button with the message on its fieldset, and a
repeating group of questions on its fieldset.
"""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Submission

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
LOSS_REPORT = "polrestabes-surabaya.surat-kehilangan"  # open to people and businesses


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the elements by id."""

    def __init__(self, html: str):
        super().__init__()
        self.all: list[tuple[str, dict[str, str]]] = []
        self.by_id: dict[str, tuple[str, dict[str, str]]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, {name: value or "" for name, value in attrs})
        self.all.append(element)
        if element[1].get("id"):
            self.by_id[element[1]["id"]] = element

    def where(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            found
            for name, found in self.all
            if name == tag and all(found.get(key) == value for key, value in attrs.items())
        ]


def url(name: str, *args) -> str:
    with translation.override("id"):
        return reverse(name, args=args)


@pytest.fixture
def warga(client, people):
    client.force_login(people["warga"])
    return people["warga"]


def summary_of(page: Elements) -> dict[str, str]:
    summaries = page.where("div", **{"class": "error-summary"})
    assert len(summaries) == 1
    return summaries[0]


def test_the_application_form_links_and_marks_every_field_in_error(client, warga):
    client.post(url("cases:apply", BIRTH), {"applicant": "self"})
    draft = Submission.objects.filter(applicant=warga, status=SubmissionStatus.DRAFT).get()

    response = client.post(
        url("cases:draft", draft.public_id),
        {"child_name": "", "birth_date": "2026-11-02", "action": "check"},
    )

    assert response.status_code == 400
    page = Elements(response.content.decode())
    summary = summary_of(page)
    assert summary["role"] == "alert" and "autofocus" in summary and summary["tabindex"] == "-1"
    links = {attrs["href"] for tag, attrs in page.all if tag == "a" and "href" in attrs}
    # A text box: the link goes to the box, which names its message.
    assert "#id_child_name" in links
    _tag, box = page.by_id["id_child_name"]
    assert box["aria-invalid"] == "true"
    assert "id_child_name-error" in box["aria-describedby"].split()
    assert "id_child_name-error" in page.by_id
    # Radio buttons: the link goes to the first; each is invalid; the fieldset names the message.
    assert "#id_child_sex_0" in links
    radios = page.where("input", type="radio", name="child_sex")
    assert radios and all(radio.get("aria-invalid") == "true" for radio in radios)
    fieldsets = [
        attrs
        for tag, attrs in page.all
        if tag == "fieldset" and "id_child_sex-error" in attrs.get("aria-describedby", "")
    ]
    assert len(fieldsets) == 1 and "id_child_sex-error" in page.by_id


def test_fields_without_errors_are_not_marked(client, warga):
    client.post(url("cases:apply", BIRTH), {"applicant": "self"})
    draft = Submission.objects.filter(applicant=warga, status=SubmissionStatus.DRAFT).get()

    page = Elements(client.get(url("cases:draft", draft.public_id)).content.decode())

    assert not page.where("div", **{"class": "error-summary"})
    assert not [attrs for _tag, attrs in page.all if "aria-invalid" in attrs]


def test_choosing_no_applicant_marks_the_choices_and_focuses_the_summary(client, warga):
    response = client.post(url("cases:apply", LOSS_REPORT))

    assert response.status_code == 400
    page = Elements(response.content.decode())
    assert "autofocus" in summary_of(page)
    radios = page.where("input", type="radio", name="applicant")
    assert len(radios) == 2 and all(radio.get("aria-invalid") == "true" for radio in radios)


def test_the_shared_summary_takes_the_focus(client, warga):
    response = client.get(url("cases:my_services"), {"nomor": "not a number"})

    assert response.status_code == 400
    page = Elements(response.content.decode())
    summary = summary_of(page)
    assert summary["role"] == "alert" and "autofocus" in summary
    _tag, box = page.by_id["id_nomor"]
    assert box["aria-invalid"] == "true" and "id_nomor-error" in box["aria-describedby"]


class Choice(forms.Form):
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)


@pytest.mark.parametrize(("data", "invalid"), [({}, True), ({"colour": "red"}, False)])
def test_choice_input_marks_each_option_of_a_field_in_error(data, invalid):
    form = Choice(data)
    form.is_valid()
    html = Template(
        "{% load satupintu_tags %}{% for option in form.colour %}"
        "{% choice_input option form.colour %}{% endfor %}"
    ).render(Context({"form": form}))

    inputs = Elements(html).where("input", type="radio")
    assert len(inputs) == 2
    assert all((radio.get("aria-invalid") == "true") is invalid for radio in inputs)
