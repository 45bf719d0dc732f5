"""Requirement: the citizen's pages (issue "apply online and follow every case in one place").

A citizen signs in, starts an application from the service's page (for themselves or a
business they represent, when the service's eligibility rules allow it), fills in a form
prefilled from their profile that keeps what they typed and shows errors next to the fields,
uploads files as they go, saves and resumes, checks everything and sends it once however
often they press the button, reads a tracking number they can say aloud, and follows every
case in "My services" and on the case's page: status in plain words, due date, timeline,
the conversation with the agency (a reply to a request for information resumes the case),
their documents and the result. Nobody else sees any of it; every page works in Indonesian
and English, without JavaScript, in a bounded number of queries.
"""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from satupintu.cases.constants import SubmissionStatus
from satupintu.cases.models import Case, Document, Message, Submission
from satupintu.cases.services import case_transition, message_post
from satupintu.catalog.models import Service
from satupintu.core import tracking

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
LOSS_REPORT = "polrestabes-surabaya.surat-kehilangan"  # open to people and businesses

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name: str, *args, language: str = "id") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def text(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pdf(name: str = "surat-lahir.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ask_for_information(case: Case, people, message: str = "Mohon unggah KK yang terbaru.") -> Case:
    """The officer side: start checking, then ask the applicant for something."""
    officer = people["petugas.dukcapil"]
    case = case_transition(case=case, actor=officer, to="verifikasi")
    return case_transition(case=case, actor=officer, to="perlu_data", data={"message": message})


def drafts(user):
    return Submission.objects.filter(applicant=user, status=SubmissionStatus.DRAFT)


@pytest.fixture
def warga(client, people):
    client.force_login(people["warga"])
    return people["warga"]


# The way in -----------------------------------------------------------------------------


def test_the_service_page_offers_to_apply_online(client, people):
    service_page = client.get(url("catalog:service", BIRTH))
    assert url("cases:apply", BIRTH) in service_page.content.decode()
    assert "Ajukan" in text(service_page) or "Apply online" in text(service_page)


def test_anonymous_people_are_sent_to_sign_in_and_back(client, make_case):
    case = make_case(BIRTH)
    pages = [
        url("cases:apply", BIRTH),
        url("cases:my_services"),
        url("cases:case", case.public_id),
        url("cases:submitted", case.submission.public_id),
        url("cases:draft", case.submission.public_id),
        url("cases:review", case.submission.public_id),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(url("accounts:login")), page
        assert "next=" in response["Location"], page


def test_starting_an_application_makes_a_draft_prefilled_from_the_profile(client, warga):
    page = client.get(url("cases:apply", BIRTH))
    assert page.status_code == 200
    assert "Surat keterangan kelahiran" in text(page)  # what to have ready

    response = client.post(url("cases:apply", BIRTH))

    submission = drafts(warga).get()
    assert response.status_code == 302
    assert response["Location"] == url("cases:draft", submission.public_id)
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.answers.get("mother_nik") == warga.citizen.nik


def test_an_eligibility_rule_that_fails_shows_its_reason_and_starts_nothing(client, people):
    citizen = people["warga2"]
    citizen.citizen.region_code = "3515010001"  # Sidoarjo, not Surabaya
    citizen.citizen.save()
    client.force_login(citizen)

    page = client.get(url("cases:apply", BIRTH))
    assert "Families registered outside Surabaya" in text(page) or "di luar Surabaya" in text(page)
    response = client.post(url("cases:apply", BIRTH))

    assert response.status_code == 400
    assert "di luar Surabaya" in text(response)
    assert not drafts(citizen).exists()


def test_a_service_not_offered_online_cannot_be_started(client, warga):
    counter_only = "bapenda-jatim.balik-nama-kendaraan"
    page = client.get(url("cases:apply", counter_only, language="en"))
    assert "This service is not offered online" in text(page)
    assert "Start now" not in text(page)
    response = client.post(url("cases:apply", counter_only), {"applicant": "self"})
    assert response.status_code == 400
    assert not drafts(warga).exists()


def test_a_representative_chooses_between_themselves_and_their_business(client, warga):
    business = warga.businesses.get()
    page = client.get(url("cases:apply", LOSS_REPORT))
    assert business.name in text(page)

    missing = client.post(url("cases:apply", LOSS_REPORT))
    assert missing.status_code == 400
    assert not drafts(warga).exists()

    client.post(url("cases:apply", LOSS_REPORT), {"applicant": str(business.public_id)})
    assert drafts(warga).get().business == business


def test_someone_elses_business_cannot_be_chosen(client, people, warga):
    from satupintu.accounts.models import BusinessProfile

    other = BusinessProfile.objects.create(name="CV Lain", legal_form="cv")
    response = client.post(url("cases:apply", LOSS_REPORT), {"applicant": str(other.public_id)})
    assert response.status_code == 400
    assert not drafts(warga).exists()


# The form ------------------------------------------------------------------------------

BIRTH_ANSWERS = {
    "child_name": "Ayu Lestari",
    "child_sex": "perempuan",
    "birth_date": "2026-11-02",
    "birth_place_city": "3578",
    "kk_number": "3578051203150001",
    "parents_status": "tidak_kawin",
    "has_birth_statement": "true",
}


def start(client, service: str = BIRTH) -> Submission:
    client.post(url("cases:apply", service), {"applicant": "self"})
    return Submission.objects.filter(status=SubmissionStatus.DRAFT).latest("id")


def test_the_whole_journey_from_the_form_to_my_services(client, warga):
    draft = start(client)
    form_page = client.get(url("cases:draft", draft.public_id))
    assert f'value="{warga.citizen.nik}"' in form_page.content.decode()  # prefilled
    assert "birth_statement_file" not in form_page.content.decode()  # asked only if "yes"

    # Answer, then update the questions: the birth statement is now asked for.
    updated = client.post(
        url("cases:draft", draft.public_id),
        {**BIRTH_ANSWERS, "mother_nik": warga.citizen.nik, "update_questions": "1"},
    )
    assert updated.status_code == 200
    assert 'name="birth_statement_file"' in updated.content.decode()
    assert 'value="Ayu Lestari"' in updated.content.decode()

    # Upload it; the page says what was stored.
    uploaded = client.post(
        url("cases:draft", draft.public_id),
        {
            **BIRTH_ANSWERS,
            "mother_nik": warga.citizen.nik,
            "update_questions": "1",
            "birth_statement_file": pdf("surat-lahir.pdf"),
        },
    )
    assert "surat-lahir.pdf" in text(uploaded) and "PDF" in text(uploaded)
    document = Document.objects.get(submission=draft, replaced=False)
    assert document.field_key == "birth_statement_file"

    # Check and send → the last check of every answer and the document.
    checked = client.post(
        url("cases:draft", draft.public_id),
        {**BIRTH_ANSWERS, "mother_nik": warga.citizen.nik, "action": "check"},
    )
    assert checked.status_code == 302
    assert checked["Location"] == url("cases:review", draft.public_id)
    review = client.get(checked["Location"])
    assert "Ayu Lestari" in text(review) and "surat-lahir.pdf" in text(review)
    token = re.search(r'name="token" value="([^"]+)"', review.content.decode())[1]

    # A double click: two posts of the same page make one submission.
    first = client.post(url("cases:review", draft.public_id), {"token": token})
    second = client.post(url("cases:review", draft.public_id), {"token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url("cases:submitted", draft.public_id)
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED
    assert Case.objects.filter(submission=draft).count() == 1
    assert Submission.objects.filter(applicant=warga, idempotency_key=token).count() == 1

    # The confirmation: the tracking number, the agency, what happens next, by when.
    case = draft.cases.get()
    confirmation = client.get(first["Location"])
    page = text(confirmation)
    assert draft.tracking in page
    assert " ".join(draft.tracking.replace("-", "")) in page  # spelled out for reading aloud
    assert case.agency.name in page
    assert url("cases:case", case.public_id) in confirmation.content.decode()
    with translation.override("en"):
        english = text(client.get(url("cases:submitted", draft.public_id, language="en")))
        assert f"By {case.due_date:%A} {case.due_date.day} {case.due_date:%B %Y}" in english
        assert "An officer matches the data with the population registry" in english

    # My services lists it, and the form is closed now.
    listed = text(client.get(url("cases:my_services")))
    assert draft.tracking in listed
    again = client.get(url("cases:draft", draft.public_id))
    assert again.status_code == 302 and again["Location"] == url("cases:submitted", draft.public_id)


def test_a_saved_draft_keeps_what_was_typed_even_if_wrong_and_resumes(client, warga):
    draft = start(client)
    saved = client.post(
        url("cases:draft", draft.public_id),
        {"child_name": "Ayu Lestari", "kk_number": "12345", "action": "save"},
    )
    assert saved.status_code == 302 and saved["Location"] == url("cases:my_services")
    draft.refresh_from_db()
    assert draft.answers["child_name"] == "Ayu Lestari"
    assert draft.answers["kk_number"] == "12345"

    listed = client.get(url("cases:my_services"))
    assert url("cases:draft", draft.public_id) in listed.content.decode()
    resumed = client.get(url("cases:draft", draft.public_id)).content.decode()
    assert 'value="Ayu Lestari"' in resumed and 'value="12345"' in resumed


def test_wrong_answers_come_back_with_errors_next_to_them_and_what_was_typed(client, warga):
    draft = start(client)
    response = client.post(
        url("cases:draft", draft.public_id, language="en"),
        {**BIRTH_ANSWERS, "birth_date": "2999-01-01", "kk_number": "12345", "action": "check"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert 'href="#id_birth_date"' in html and 'href="#id_kk_number"' in html
    assert 'id="id_birth_date-error"' in html and 'aria-invalid="true"' in html
    assert "cannot be in the future" in text(response)
    assert 'value="12345"' in html and 'value="2999-01-01"' in html
    draft.refresh_from_db()
    assert draft.answers["kk_number"] == "12345"  # saved as typed all the same


def test_a_refused_upload_says_why_and_stores_nothing(client, warga):
    draft = start(client)
    response = client.post(
        url("cases:draft", draft.public_id, language="en"),
        {
            **BIRTH_ANSWERS,
            "action": "save",
            "birth_statement_file": SimpleUploadedFile(
                "surat.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    assert 'id="id_birth_statement_file-error"' in response.content.decode()
    assert not Document.objects.filter(submission=draft).exists()
    draft.refresh_from_db()
    assert draft.answers["child_name"] == "Ayu Lestari"  # the answers were saved anyway


def test_a_new_upload_replaces_the_previous_one(client, warga):
    draft = start(client)
    for name in ("pertama.pdf", "kedua.pdf"):
        client.post(
            url("cases:draft", draft.public_id),
            {**BIRTH_ANSWERS, "update_questions": "1", "birth_statement_file": pdf(name)},
        )
    page = text(client.get(url("cases:draft", draft.public_id)))
    assert "kedua.pdf" in page and "pertama.pdf" not in page
    assert Document.objects.filter(submission=draft, replaced=True).count() == 1


def test_add_another_adds_a_row_to_a_repeating_group(client, warga):
    draft = start(client, LOSS_REPORT)
    first = client.get(url("cases:draft", draft.public_id)).content.decode()
    assert 'name="lost_items-0-item_type"' in first and "lost_items-1-" not in first

    response = client.post(
        url("cases:draft", draft.public_id),
        {
            "lost_items-0-item_type": "ktp",
            "lost_items-0-owner_name": "Siti",
            "add_row": "lost_items",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="lost_items-1-item_type"' in html
    assert 'value="Siti"' in html


def test_errors_found_when_sending_send_the_applicant_back_to_the_form(client, warga):
    draft = start(client)
    # The form was never checked: sending goes back to it, with the errors next to fields.
    review = client.get(url("cases:review", draft.public_id))
    token = re.search(r'name="token" value="([^"]+)"', review.content.decode())[1]
    response = client.post(url("cases:review", draft.public_id, language="en"), {"token": token})
    assert response.status_code == 302
    assert response["Location"].startswith(url("cases:draft", draft.public_id, language="en"))
    back = client.get(response["Location"])
    assert 'class="error-summary"' in back.content.decode()
    assert 'id="id_child_name-error"' in back.content.decode()
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT and not draft.cases.exists()


def test_a_draft_can_be_deleted_after_a_confirmation(client, warga):
    draft = start(client)
    confirm = client.get(url("cases:draft_delete", draft.public_id))
    assert confirm.status_code == 200
    response = client.post(url("cases:draft_delete", draft.public_id))
    assert response.status_code == 302 and response["Location"] == url("cases:my_services")
    assert not drafts(warga).exists()
    assert (
        url("cases:draft", draft.public_id)
        not in client.get(url("cases:my_services")).content.decode()
    )


# My services ----------------------------------------------------------------------------


def test_my_services_lists_drafts_and_cases_with_their_status_and_next_step(
    client, warga, make_case, people
):
    waiting = ask_for_information(make_case(BIRTH), people)
    other = make_case("dukcapil-surabaya.kia")
    client.post(url("cases:apply", BIRTH))

    page = text(client.get(url("cases:my_services", language="en")))

    assert "Not sent yet" in page and "Birth Certificate" in page
    assert waiting.submission.tracking in page and other.submission.tracking in page
    assert "Waiting for the applicant" in page  # the state's label, not its code
    assert "The agency needs something from you" in page
    assert "Paused while the agency waits for you" in page
    assert "1 new message" in page
    assert "Ahmad" not in page  # never an officer's name


def test_my_services_pages_by_keyset(client, warga, make_case, settings):
    from satupintu.cases.views import citizen

    cases = [make_case(BIRTH) for _ in range(3)]
    old = citizen.MY_SERVICES_PAGE_SIZE
    citizen.MY_SERVICES_PAGE_SIZE = 2
    try:
        first = client.get(url("cases:my_services"))
        next_url = re.search(r'href="(\?setelah=[^"]+)"', first.content.decode())[1]
        second = client.get(url("cases:my_services") + unescape(next_url))
    finally:
        citizen.MY_SERVICES_PAGE_SIZE = old
    newest_first = sorted(cases, key=lambda case: (case.submitted_at, case.id), reverse=True)
    assert newest_first[0].submission.tracking in text(first)
    assert newest_first[2].submission.tracking not in text(first)
    assert newest_first[2].submission.tracking in text(second)
    assert newest_first[0].submission.tracking not in text(second)


def test_find_by_tracking_number_as_typed(client, warga, make_case):
    case = make_case(BIRTH)
    typed = case.submission.tracking.replace("-", " ").lower()

    found = client.get(url("cases:my_services"), {"nomor": typed})
    assert found.status_code == 302
    assert found["Location"] == url("cases:case", case.public_id)


def test_a_mistyped_tracking_number_says_so(client, warga, make_case):
    case = make_case(BIRTH)
    number = case.submission.tracking
    wrong = number[:-1] + next(c for c in tracking.ALPHABET if c != number[-1])

    response = client.get(url("cases:my_services", language="en"), {"nomor": wrong})

    assert response.status_code == 400
    assert "This is not a tracking number" in text(response)
    assert 'class="error-summary"' in response.content.decode()
    assert f'value="{wrong}"' in response.content.decode()  # what was typed stays


def test_a_tracking_number_of_someone_else_is_not_found(client, people, make_case):
    case = make_case(BIRTH, applicant="warga2")
    client.force_login(people["warga"])
    response = client.get(
        url("cases:my_services", language="en"), {"nomor": case.submission.tracking}
    )
    assert response.status_code == 400
    assert "no application with this tracking number" in text(response)


# The case page --------------------------------------------------------------------------


def test_the_case_page_shows_status_due_date_timeline_and_thread(client, warga, make_case, people):
    case = ask_for_information(make_case(BIRTH), people, message="Mohon unggah KK terbaru.")

    page = text(client.get(url("cases:case", case.public_id, language="en")))

    assert "Waiting for the applicant" in page
    assert "Paused while the agency waits for you" in page
    assert "Mohon unggah KK terbaru." in page
    assert "You sent your application" in page
    assert "Status: Checking documents and registry data" in page
    assert "Ahmad" not in page and "Fauzi" not in page  # the agency speaks, not the officer


def test_internal_notes_stay_hidden(client, warga, make_case, people):
    case = make_case(BIRTH)
    message_post(case=case, actor=people["petugas.dukcapil"], body="Catatan rahasia", internal=True)
    assert "Catatan rahasia" not in text(client.get(url("cases:case", case.public_id)))


def test_replying_to_a_request_for_information_resumes_the_case(client, warga, make_case, people):
    case = ask_for_information(make_case(BIRTH), people)
    assert case.is_paused

    response = client.post(
        url("cases:case", case.public_id),
        {"body": "Sudah saya unggah KK terbaru.", "attachment": pdf("kk.pdf")},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "verifikasi" and not case.is_paused
    reply = Message.objects.get(case=case, from_agency=False)
    assert reply.body == "Sudah saya unggah KK terbaru."
    attached = Document.objects.get(message=reply)
    page = client.get(url("cases:case", case.public_id))
    assert "kk.pdf" in text(page)
    download = client.get(url("cases:my_document", case.submission.public_id, attached.public_id))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_an_empty_reply_is_refused_next_to_the_field(client, warga, make_case):
    case = make_case(BIRTH)
    response = client.post(url("cases:case", case.public_id, language="en"), {"body": "  "})
    assert response.status_code == 400
    assert "Write a message first." in text(response)
    assert not Message.objects.filter(case=case).exists()


def test_a_refused_attachment_keeps_the_message_and_sends_nothing(client, warga, make_case):
    case = make_case(BIRTH)
    response = client.post(
        url("cases:case", case.public_id),
        {
            "body": "Ini berkasnya.",
            "attachment": SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )
    assert response.status_code == 400
    assert "Ini berkasnya." in response.content.decode()
    assert not Message.objects.filter(case=case).exists()


def test_the_result_can_be_downloaded_and_verified(client, warga, make_case, people):
    case = make_case(BIRTH)
    supervisor = people["penyelia.dukcapil"]
    case = case_transition(case=case, actor=supervisor, to="verifikasi")
    case = case_transition(case=case, actor=supervisor, to="menunggu_tte", data={"note": "ok"})
    case = case_transition(
        case=case, actor=supervisor, to="terbit", data={"document_number": "AL-3578-0001"}
    )

    page = client.get(url("cases:case", case.public_id, language="en"))
    outcome = case.outcome_document
    assert "AL-3578-0001" in text(page)
    assert url("cases:my_outcome", case.public_id) in page.content.decode()
    assert url("cases:verify_code", outcome.verification_code) in page.content.decode()
    download = client.get(url("cases:my_outcome", case.public_id))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


# Scope, languages, queries --------------------------------------------------------------


def test_another_citizen_gets_404_on_every_page(client, people, make_case):
    case = make_case(BIRTH)
    draft = Submission.objects.create(
        applicant=people["warga"],
        service_version=Service.objects.get(code=BIRTH).current_version,
        answers={},
    )
    client.force_login(people["warga"])
    client.post(
        url("cases:case", case.public_id), {"body": "Lampiran", "attachment": pdf("mine.pdf")}
    )
    document = Document.objects.get(submission=case.submission)

    client.force_login(people["warga2"])
    pages = [
        url("cases:draft", draft.public_id),
        url("cases:review", draft.public_id),
        url("cases:draft_delete", draft.public_id),
        url("cases:submitted", case.submission.public_id),
        url("cases:case", case.public_id),
        url("cases:my_outcome", case.public_id),
        url("cases:my_document", case.submission.public_id, document.public_id),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"body": "x", "token": "t"}).status_code in (404, 405), page
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT
    assert Message.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_pages_render_in_both_languages(client, warga, make_case, people, language):
    case = ask_for_information(make_case(BIRTH), people)
    client.post(url("cases:apply", BIRTH))
    draft = drafts(warga).get()
    pages = [
        url("cases:apply", BIRTH, language=language),
        url("cases:draft", draft.public_id, language=language),
        url("cases:review", draft.public_id, language=language),
        url("cases:draft_delete", draft.public_id, language=language),
        url("cases:submitted", case.submission.public_id, language=language),
        url("cases:my_services", language=language),
        url("cases:case", case.public_id, language=language),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in response.content.decode(), page
    expected = "Layanan saya" if language == "id" else "My services"
    assert expected in text(client.get(url("cases:my_services", language=language)))


def test_my_services_and_the_case_page_take_a_bounded_number_of_queries(
    client, warga, make_case, people, django_assert_max_num_queries
):
    for _ in range(6):
        ask_for_information(make_case(BIRTH), people)
    case = make_case(BIRTH)
    for number in range(5):
        message_post(case=case, actor=people["petugas.dukcapil"], body=f"Pesan {number}")
        message_post(case=case, actor=warga, body=f"Balasan {number}")
    client.post(url("cases:apply", BIRTH))

    # Ten, whatever the number of cases: one of them reads the workflow states of the page's
    # cases (only that part of their services' definitions).
    with django_assert_max_num_queries(10):
        assert client.get(url("cases:my_services")).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(url("cases:case", case.public_id)).status_code == 200
