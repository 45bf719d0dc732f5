"""Certificates on completion: a unique number SERT/<year>/<6-digit sequence of the year>
(taken again when two issues reach for the same one), a 9-character verification code with a
check character, a bilingual A4 landscape PDF with a QR code to the verification page drawn
after commit, the download for the holder only, revocation by HR, and the public
verification page that shows the certificate with the holder's initials and no other
personal data."""

import base64
import datetime
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.accounts.constants import Role
from satupintu.core import tracking
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.learning.models import Certificate
from satupintu.learning.selectors.certificates import certificate_verify, initials
from satupintu.learning.services import (
    certificate_issue,
    certificate_revoke,
    enrolment_complete,
)
from satupintu.learning.services import certificates as certificate_services
from tests.learning.factories import (
    AgencyFactory,
    CompetencyFactory,
    CourseFactory,
    EnrolmentFactory,
    UserFactory,
    make_learner,
    make_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pdf_strings(data: bytes) -> str:
    """The strings that the PDF's pages draw, in order, from their content streams
    (deflated, perhaps ASCII85-encoded, as reportlab writes them)."""
    found = []
    for stream in re.findall(rb"(?<!end)stream\r?\n(.*?)\s*endstream", data, re.DOTALL):
        body = stream.strip()
        if body.endswith(b"~>"):
            body = base64.a85decode(body[:-2], adobe=False)
        try:
            body = zlib.decompress(body)
        except zlib.error:
            continue
        found += [
            item.decode("latin-1").replace("\\(", "(").replace("\\)", ")")
            for item in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", body)
        ]
    return " | ".join(found)


def _holder():
    return make_learner(first_name="Kusumawati", last_name="Anggraeni")


def complete(learner=None, course=None, **kwargs):
    enrolment = EnrolmentFactory(
        learner=learner or _holder(), course=course or CourseFactory(), **kwargs
    )
    return enrolment_complete(enrolment=enrolment)


def test_completion_issues_a_numbered_certificate_with_a_valid_code():
    enrolment = complete()
    year = timezone.localdate().year

    certificate = Certificate.objects.get(enrolment=enrolment)

    assert certificate.number == f"SERT/{year}/000001"
    assert len(certificate.verification_code) == 9
    assert tracking.normalise(certificate.verification_code) is not None
    assert certificate.holder_name == "Kusumawati Anggraeni"
    assert certificate.jp == enrolment.course.jp


def test_numbers_follow_each_other_and_start_again_each_year():
    last_year = timezone.now() - datetime.timedelta(days=366)
    old = EnrolmentFactory()
    enrolment_complete(enrolment=old, completed_at=last_year)
    first, second = complete(), complete()

    numbers = [Certificate.objects.get(enrolment=e).number for e in (old, first, second)]

    assert numbers == [
        f"SERT/{last_year.astimezone(timezone.get_current_timezone()).year}/000001",
        f"SERT/{timezone.localdate().year}/000001",
        f"SERT/{timezone.localdate().year}/000002",
    ]


def test_a_number_taken_meanwhile_is_not_reused(monkeypatch):
    complete()
    taken = Certificate.objects.get().number
    offered = iter([taken])
    real = certificate_services._next_number
    monkeypatch.setattr(
        certificate_services, "_next_number", lambda year: next(offered, None) or real(year)
    )

    enrolment = complete()

    assert Certificate.objects.get(enrolment=enrolment).number.endswith("/000002")


def test_issuing_twice_gives_the_same_certificate():
    enrolment = complete()
    assert certificate_issue(enrolment=enrolment) == Certificate.objects.get(enrolment=enrolment)
    assert Certificate.objects.count() == 1


def test_no_certificate_for_a_course_without_one_or_an_unfinished_course():
    complete(course=CourseFactory(issues_certificate=False))
    assert not Certificate.objects.exists()
    with pytest.raises(DomainError):
        certificate_issue(enrolment=EnrolmentFactory())


def test_the_pdf_is_drawn_after_commit(django_capture_on_commit_callbacks):
    data = CompetencyFactory(name_id="Literasi Data")
    course = CourseFactory(
        title_id="Statistik untuk Kebijakan",
        title_en="Statistics for Policy",
        builds=[(data, 3)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete(course=course)

    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.pdf
    content = certificate.pdf.read()
    assert content.startswith(b"%PDF")
    width, height = map(float, re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+)", content).groups())
    assert width > height  # landscape
    text = pdf_strings(content)
    for expected in (
        "SERTIFIKAT",
        "CERTIFICATE OF COMPLETION",
        "Kusumawati Anggraeni",
        "Statistik untuk Kebijakan",
        "Statistics for Policy",
        certificate.number,
        "Literasi Data",
        "4 JP",
    ):
        assert expected in text, expected
    address = reverse("cases:verify_code", args=[certificate.verification_code])
    assert address in text
    # The QR code is also a link to the same address.
    assert f"/URI (http://127.0.0.1:8000{address})".encode() in content


def test_the_holder_downloads_the_pdf_and_nobody_else(client):
    enrolment = complete()
    certificate = Certificate.objects.get(enrolment=enrolment)
    url = reverse("learning:certificate_download", args=[certificate.public_id])

    client.force_login(make_learner())
    assert client.get(url).status_code == 404

    client.force_login(enrolment.learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert f"sert-{timezone.localdate().year}-000001.pdf" in response["Content-Disposition"]


def test_hr_revokes_a_certificate_with_a_reason():
    enrolment = complete()
    certificate = Certificate.objects.get(enrolment=enrolment)
    hr, stranger = UserFactory(), UserFactory()
    make_role(hr, Role.HR, agency=enrolment.course.provider)
    make_role(stranger, Role.HR, agency=AgencyFactory())

    with pytest.raises(Forbidden):
        certificate_revoke(certificate=certificate, actor=stranger, reason="Salah terbit")
    with pytest.raises(DomainError):
        certificate_revoke(certificate=certificate, actor=hr, reason="  ")

    certificate = certificate_revoke(certificate=certificate, actor=hr, reason="Salah terbit")
    assert certificate.revoked_at is not None
    with pytest.raises(Conflict):
        certificate_revoke(certificate=certificate, actor=hr, reason="Lagi")


def test_initials_hide_the_name():
    assert initials("Kusumawati Anggraeni") == "K. A."
    assert initials("dr. Siti Nur Aisyah") == "D. S. N. A."
    assert initials("") == ""


# The public verification page -----------------------------------------------------------------


def _page(client, code, language="id"):
    with translation.override(language):
        return client.get(reverse("cases:verify_code", args=[code]))


def test_the_verification_page_shows_the_certificate_without_the_name(client):
    course = CourseFactory(title_id="Pelayanan Prima", title_en="Service Excellence")
    enrolment = complete(course=course)
    certificate = Certificate.objects.get(enrolment=enrolment)

    response = _page(client, certificate.verification_code)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Pelayanan Prima" in html
    assert certificate.number in html
    assert course.provider.name_id in html
    assert "K. A." in html
    for private in ("Kusumawati", "Anggraeni", enrolment.learner.username, "@"):
        assert private not in html.split("<main", 1)[1], private
    assert "valid" in response.context["status"]


def test_a_revoked_certificate_says_so(client):
    enrolment = complete()
    certificate = Certificate.objects.get(enrolment=enrolment)
    hr = UserFactory()
    make_role(hr, Role.HR)
    certificate_revoke(certificate=certificate, actor=hr, reason="Salah terbit")

    response = _page(client, certificate.verification_code, "en")

    assert response.status_code == 200
    assert response.context["status"] == "revoked"
    assert "revoked" in response.content.decode()
    assert "Salah terbit" not in response.content.decode()


def test_a_code_typed_with_dashes_and_lower_case_finds_the_certificate(client):
    certificate = Certificate.objects.get(enrolment=complete())
    code = certificate.verification_code
    typed = f"{code[:4]}-{code[4:8]}-{code[8]}".lower()

    response = _page(client, typed)

    assert response.status_code == 302
    assert response.url.endswith(f"/{code}/")
    assert certificate_verify(code).number == certificate.number


def test_an_unknown_code_is_still_not_found(client):
    body = "23456789"
    code = body + tracking.check_character(body)
    assert _page(client, code).status_code == 404
    assert certificate_verify(code) is None
