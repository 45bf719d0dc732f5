"""Outcome documents, verifiable by QR (issue: cases — "outcome document (verifiable by QR)").

The PDF that a case ends with names the applicant and carries the document number, the issue
date and a QR code for the absolute verification address; it is made once however often it is
asked for; it downloads under a name without personal data. Anyone can check a code — typed in
any case, with spaces or dashes — on a public page that says whether the document is valid,
revoked or expired, or that no document has the code, and that never shows personal data.
Only a supervisor of the case's unit revokes a document.
"""

import base64
import contextlib
import datetime
import re
import shutil
import subprocess
import zlib
from collections import deque

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.cases.outcomes import (
    outcome_pdf_response,
    outcome_render_pdf,
    outcome_revoke,
    outcome_status,
    verification_code_display,
    verification_code_normalise,
)
from satupintu.cases.services import case_transition, outcome_issue
from satupintu.core import tracking
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
PUBLIC_URL = "https://layanan.contoh.go.id"
NUMBER = "3578-LT-12052025-0042"
# The demo applicant `warga` (tests/cases/conftest.py, satupintu/demo/people.py).
APPLICANT_NAME = "Siti Rahayu"
APPLICANT_NIK = "3578056503920001"
PERSONAL = (APPLICANT_NAME, "Siti", "Rahayu", APPLICANT_NIK, "Kedungdoro", "siti.rahayu")
# Optional tools that read the PDF as a person would (poppler-utils, zbar-tools).
PDFTOTEXT, PDFTOPPM, ZBARIMG = map(shutil.which, ("pdftotext", "pdftoppm", "zbarimg"))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SATUPINTU_PUBLIC_URL = PUBLIC_URL + "/"
    return settings.MEDIA_ROOT


def walk_to_outcome(case, people, number=NUMBER):
    """Take ``case`` along the shortest path of its workflow to a state with an outcome: the
    applicant's steps as `warga`, everyone else's as the supervisor `penyelia.dukcapil`."""
    workflow = case.definition["workflow"]
    paths, queue = {case.state: []}, deque([case.state])
    while queue:
        state = queue.popleft()
        for step in workflow["transitions"]:
            if step["from"] == state and step["to"] not in paths:
                paths[step["to"]] = [*paths[state], step]
                queue.append(step["to"])
    target = next(state for state in paths if workflow["states"][state].get("outcome"))
    for step in paths[target]:
        actor = people["warga"] if step["by"] == "applicant" else people["penyelia.dukcapil"]
        data = dict.fromkeys(step.get("requires", []), "Sudah diperiksa")
        if workflow["states"][step["to"]].get("outcome"):
            data["document_number"] = number
        case = case_transition(case=case, actor=actor, to=step["to"], data=data)
    return case


@pytest.fixture
def outcome(make_case, people):
    case = walk_to_outcome(make_case(BIRTH), people)
    return case.outcome_document


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace collapsed: by pdftotext when it is installed, else from
    the strings of the page's (deflated) content stream."""
    if PDFTOTEXT:
        text = subprocess.run(  # noqa: S603 - a fixed tool on our own file
            [PDFTOTEXT, "-layout", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
    else:
        parts = []
        for stream in re.findall(rb"(?<!end)stream\r?\n(.*?)\s*endstream", data, re.DOTALL):
            # reportlab writes page content as ASCII85 of deflated bytes.
            if stream.rstrip().endswith(b"~>"):
                stream = base64.a85decode(stream.rstrip()[:-2])
            with contextlib.suppress(zlib.error):
                stream = zlib.decompress(stream)
            parts += re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", stream)
        text = " ".join(part.decode("latin-1").replace("\\", "") for part in parts)
    return " ".join(text.split())


def verify_page(client, code, language="id"):
    with translation.override(language):
        url = reverse("cases:verify_code", args=[code])
    return client.get(url)


# The PDF ----------------------------------------------------------------------------------


def test_reaching_the_outcome_state_issues_a_document_with_a_well_formed_code(outcome):
    assert outcome.number == NUMBER
    assert verification_code_normalise(outcome.verification_code) == outcome.verification_code
    assert outcome.case.is_open is False
    assert not outcome.pdf


def test_the_pdf_carries_the_number_the_applicant_and_the_verification_address(outcome):
    outcome_render_pdf(outcome_id=outcome.pk)

    outcome.refresh_from_db()
    assert outcome.pdf.name == f"outcomes/{outcome.public_id.hex}.pdf"
    with outcome.pdf.open("rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF-")
    code = outcome.verification_code
    url = f"{PUBLIC_URL}/verifikasi/{code}/"
    # The QR code is also a link to the address it encodes.
    assert f"/URI ({url})".encode() in data
    text = pdf_text(data)
    assert NUMBER in text
    assert APPLICANT_NAME in text
    assert verification_code_display(code) in text and len(code) == 9
    assert f"{PUBLIC_URL}/verifikasi/" in text
    assert "Kutipan akta kelahiran" in text  # the product, in Indonesian …
    assert "Birth certificate extract" in text  # … and in English
    assert "Dinas Kependudukan" in text or outcome.case.agency.name_id in text
    issued = timezone.localdate(outcome.issued_at)
    with translation.override("id"):
        from django.utils.formats import date_format

        assert date_format(issued, "j F Y") in text


@pytest.mark.skipif(
    not (PDFTOPPM and ZBARIMG),
    reason="needs pdftoppm (poppler-utils) and zbarimg (zbar-tools) to read the QR code",
)
def test_the_qr_code_reads_as_the_absolute_verification_address(outcome, tmp_path):
    outcome_render_pdf(outcome_id=outcome.pk)
    outcome.refresh_from_db()
    pdf = tmp_path / "outcome.pdf"
    pdf.write_bytes(outcome.pdf.read())
    # At 60 dpi, about what a phone's camera sees of a printed page.
    subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [PDFTOPPM, "-png", "-r", "60", "-singlefile", pdf, tmp_path / "page"], check=True
    )
    scanned = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [ZBARIMG, "--quiet", "--raw", tmp_path / "page.png"], capture_output=True, check=True
    ).stdout.decode()
    assert scanned.strip() == f"{PUBLIC_URL}/verifikasi/{outcome.verification_code}/"


def test_rendering_twice_keeps_one_file(outcome, media):
    outcome_render_pdf(outcome_id=outcome.pk)
    outcome.refresh_from_db()
    first_name = outcome.pdf.name
    first = (media / first_name).read_bytes()

    outcome_render_pdf(outcome_id=outcome.pk)

    outcome.refresh_from_db()
    assert outcome.pdf.name == first_name
    assert (media / first_name).read_bytes() == first
    assert [path.name for path in (media / "outcomes").iterdir()] == [
        f"{outcome.public_id.hex}.pdf"
    ]


def test_a_lost_file_or_a_file_left_by_a_rolled_back_attempt_is_replaced(outcome, media):
    # A file whose transaction rolled back: on disk, not on the row.
    left_over = media / "outcomes" / f"{outcome.public_id.hex}.pdf"
    left_over.parent.mkdir(parents=True)
    left_over.write_bytes(b"half")

    outcome_render_pdf(outcome_id=outcome.pk)
    outcome.refresh_from_db()
    assert outcome.pdf.name == f"outcomes/{left_over.name}"
    assert left_over.read_bytes().startswith(b"%PDF-")
    assert len(list(left_over.parent.iterdir())) == 1

    left_over.unlink()  # storage lost the file
    outcome_render_pdf(outcome_id=outcome.pk)
    assert left_over.read_bytes().startswith(b"%PDF-")


def test_the_download_renders_on_demand_and_is_named_by_the_number(outcome):
    response = outcome_pdf_response(outcome)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="3578-lt-12052025-0042.pdf"' in disposition
    assert "Siti" not in disposition and APPLICANT_NIK not in disposition
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    outcome.refresh_from_db()
    assert outcome.pdf.name


def test_a_document_issued_directly_also_renders(make_case, people):
    case = make_case(BIRTH)
    document = outcome_issue(case=case, actor=people["penyelia.dukcapil"], number="A/1")
    outcome_render_pdf(outcome_id=document.pk)
    document.refresh_from_db()
    with document.pdf.open("rb") as file:
        assert "A/1" in pdf_text(file.read())


# Status -----------------------------------------------------------------------------------


def test_status_is_valid_then_expired_after_its_last_day_and_revoked_wins(outcome, people):
    today = datetime.date(2025, 6, 2)
    assert outcome_status(outcome, today=today) == "valid"
    outcome.valid_until = today
    assert outcome_status(outcome, today=today) == "valid"
    assert outcome_status(outcome, today=today + datetime.timedelta(days=1)) == "expired"
    outcome = outcome_revoke(outcome=outcome, actor=people["penyelia.dukcapil"], reason="Salah")
    assert outcome_status(outcome, today=today + datetime.timedelta(days=1)) == "revoked"


# The public page --------------------------------------------------------------------------


def assert_no_personal_data(response):
    html = response.content.decode()
    for value in PERSONAL:
        assert value not in html, value


def test_a_valid_document_shows_what_it_is_and_no_personal_data(client, outcome):
    response = verify_page(client, outcome.verification_code)

    assert response.status_code == 200
    assert response.context["status"] == "valid"
    html = response.content.decode()
    assert NUMBER in html
    assert "Kutipan akta kelahiran" in html
    assert outcome.case.agency.name_id in html
    assert verification_code_display(outcome.verification_code) in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"]
    assert_no_personal_data(response)

    english = verify_page(client, outcome.verification_code, language="en")
    assert "This document is authentic and valid" in english.content.decode()
    assert "Birth certificate extract" in english.content.decode()
    assert_no_personal_data(english)


def test_a_revoked_document_says_so_with_the_date_and_not_the_reason(client, outcome, people):
    outcome_revoke(
        outcome=outcome, actor=people["penyelia.dukcapil"], reason="Data ibu Siti Rahayu salah"
    )

    response = verify_page(client, outcome.verification_code, language="en")

    assert response.status_code == 200
    assert response.context["status"] == "revoked"
    html = response.content.decode()
    assert "This document has been revoked" in html
    revoked = timezone.localdate(outcome.revoked_at)
    assert f"revoked it on {revoked.day} {revoked:%B %Y}" in html
    assert NUMBER in html
    assert "salah" not in html
    assert_no_personal_data(response)


def test_an_expired_document_says_since_when(client, outcome):
    outcome.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    outcome.save()

    response = verify_page(client, outcome.verification_code, language="en")

    assert response.context["status"] == "expired"
    assert "This document has expired" in response.content.decode()
    assert_no_personal_data(response)


def test_an_unknown_code_and_an_impossible_code_get_the_same_answer(client, outcome):
    unknown = tracking.generate().replace("-", "")
    while unknown == outcome.verification_code:  # pragma: no cover
        unknown = tracking.generate().replace("-", "")
    impossible = outcome.verification_code[:8] + next(
        char for char in tracking.ALPHABET if char != outcome.verification_code[8]
    )

    answers = [verify_page(client, code, language="en") for code in (unknown, impossible)]

    for response in answers:
        assert response.status_code == 404
        assert response.context["status"] == "not_found"
        assert "No document has this code" in response.content.decode()
        assert NUMBER not in response.content.decode()


@pytest.mark.parametrize("typed", ["{spaced}", "{lower}", "{dashed}", " {dashed_lower} "])
def test_the_form_accepts_the_code_in_any_case_with_spaces_and_dashes(client, outcome, typed):
    code = outcome.verification_code
    value = typed.format(
        spaced=verification_code_display(code),
        lower=code.lower(),
        dashed=tracking.format_tracking(code),
        dashed_lower=tracking.format_tracking(code).lower(),
    )

    response = client.get(reverse("cases:verify"), {"kode": value})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:verify_code", args=[code])


def test_a_code_typed_into_the_address_goes_to_its_canonical_page(client, outcome):
    code = outcome.verification_code
    response = verify_page(client, tracking.format_tracking(code).lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:verify_code", args=[code])
    assert client.get(response["Location"]).context["status"] == "valid"


def test_the_form_works_without_javascript_and_explains_a_wrong_code(client):
    empty = client.get(reverse("cases:verify"))
    assert empty.status_code == 200
    html = empty.content.decode()
    assert 'method="get"' in html and 'name="kode"' in html

    with translation.override("en"):
        url = reverse("cases:verify")
    wrong = client.get(url, {"kode": "abc-12"})
    assert wrong.status_code == 200
    html = wrong.content.decode()
    assert "There is a problem" in html
    assert "Enter the code exactly as printed" in html
    assert 'value="abc-12"' in html  # what was typed is kept
    assert 'aria-invalid="true"' in html

    blank = client.get(url, {"kode": "  "})
    assert "Enter the verification code printed on the document" in blank.content.decode()


def test_normalising_codes():
    body = "K7QM4XRT"
    code = body + tracking.check_character(body)
    assert verification_code_normalise(f"{code[:4].lower()} {code[4:8]}-{code[8]}") == code
    assert verification_code_normalise(code[:8]) is None
    assert verification_code_normalise(code + "2") is None
    assert verification_code_normalise("") is None
    assert verification_code_display(code) == f"{code[:4]} {code[4:8]} {code[8]}"


# Revocation -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["petugas.dukcapil", "penyelia.dpmptsp", "warga", "warga2"])
def test_only_a_supervisor_of_the_cases_unit_revokes(outcome, people, username):
    with pytest.raises(Forbidden):
        outcome_revoke(outcome=outcome, actor=people[username], reason="Salah cetak")
    outcome.refresh_from_db()
    assert outcome.revoked_at is None


def test_a_supervisor_revokes_once_with_a_reason_and_it_is_audited(outcome, people):
    supervisor = people["penyelia.dukcapil"]
    with pytest.raises(DomainError) as raised:
        outcome_revoke(outcome=outcome, actor=supervisor, reason="   ")
    assert raised.value.status == 422 and raised.value.errors[0]["path"] == "reason"

    revoked = outcome_revoke(outcome=outcome, actor=supervisor, reason="  Salah   cetak ")

    assert revoked.revoked_at is not None
    assert revoked.revoked_reason == "Salah cetak"
    event = AuditEvent.objects.get(action="outcome.revoked")
    assert event.actor == supervisor
    assert event.object_id == str(outcome.public_id)
    assert event.subject == people["warga"]
    with pytest.raises(Conflict):
        outcome_revoke(outcome=outcome, actor=supervisor, reason="Lagi")
