"""The officers' pages (issue: officer pages): officers and supervisors work the cases of
their own unit — a queue by due date with filters and keyset pages, a case page with the
applicant's data (every view audited), documents, timeline, messages and internal notes, and
one form per allowed step that refuses a stale action; supervisors assign, forward and see
the workload. Nobody reaches another unit's case, citizens get 403, and every page renders
in Indonesian and English without JavaScript."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.accounts.constants import Role
from satupintu.accounts.models import RoleAssignment
from satupintu.cases import services
from satupintu.cases.models import Case, CaseEvent, Document, Message, OutcomeDocument
from satupintu.core.models import AuditEvent
from satupintu.organisations.models import Unit

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"
DEATH = "dukcapil-surabaya.akta-kematian"
BILLBOARD = "dpmptsp-surabaya.izin-reklame"
HYGIENE = "dinkes-surabaya.sertifikat-laik-higiene"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# akta-kelahiran: diajukan → verifikasi (officer) → perlu_data (officer, needs a message) …
START, CHECKING, WAITING = "diajukan", "verifikasi", "perlu_data"


def url(name: str, case: Case | None = None, *, language: str = "en", **kwargs) -> str:
    """The address of one of the officers' pages; English by default, so that the tests read
    the interface's own words whatever the Indonesian translation says."""
    if case is not None:
        kwargs["public_id"] = case.public_id
    with translation.override(language):
        return reverse(f"cases:{name}" if ":" not in name else name, kwargs=kwargs or None)


def step_index(case: Case, to: str) -> int:
    transitions = case.definition["workflow"]["transitions"]
    return next(i for i, t in enumerate(transitions) if t["from"] == case.state and t["to"] == to)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads of these tests go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path


def attach(case: Case, name: str = "surat-lahir.pdf", **fields) -> Document:
    return Document.objects.create(
        submission=case.submission,
        case=case,
        file=ContentFile(PDF, name="x.pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=case.submission.applicant,
        **fields,
    )


@pytest.fixture
def as_user(client, people):
    def login(username: str):
        client.force_login(people[username])
        return client

    return login


def trackings_in(response) -> list[str]:
    return re.findall(
        r'<span class="nowrap">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])</span>', text(response)
    )


# Access --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, make_case):
    case = make_case(BIRTH)
    for address in (url("queue"), url("officer_case", case), url("workload")):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(url("accounts:login"))


def test_citizens_get_403_on_every_page_and_form(as_user, make_case):
    case = make_case(BIRTH)
    client = as_user("warga")  # the applicant herself: still not an officer
    for address in (url("queue"), url("workload"), url("officer_case", case)):
        assert client.get(address).status_code == 403
    response = client.post(url("officer_claim", case), {"version": case.version})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.assigned_to is None


def test_the_header_links_to_the_queue_for_staff_only(as_user):
    queue = f'href="{url("queue")}"'
    assert queue in text(as_user("petugas.dukcapil").get(url("catalog:home")))
    assert queue not in text(as_user("warga").get(url("catalog:home")))


# The queue -------------------------------------------------------------------------------


def test_the_queue_shows_only_the_cases_of_the_officers_unit(as_user, make_case):
    birth = make_case(BIRTH)
    billboard = make_case(BILLBOARD, applicant="warga2")

    for username, own, other in (
        ("petugas.dukcapil", birth, billboard),
        ("petugas.dpmptsp", billboard, birth),
    ):
        page = as_user(username).get(url("queue"))
        assert page.status_code == 200
        shown = trackings_in(page)
        assert own.submission.tracking in shown
        assert other.submission.tracking not in shown
        # Whatever else is there (the demo's cases) is of the same unit too.
        assert set(
            Case.objects.filter(submission__tracking__in=shown).values_list("unit", flat=True)
        ) == {own.unit_id}
    # Not through a filter either: another agency's service is not a filter one can choose.
    page = as_user("petugas.dpmptsp").get(url("queue") + f"?service={BIRTH}")
    assert birth.submission.tracking not in text(page)


def test_a_row_shows_service_state_due_date_badges_and_officer(as_user, make_case, people):
    today = timezone.localdate()
    overdue, due_today, paused = make_case(BIRTH), make_case(BIRTH), make_case(BIRTH)
    Case.objects.filter(pk=overdue.pk).update(
        due_date=today - datetime.timedelta(days=14), assigned_to=people["petugas.dukcapil"]
    )
    Case.objects.filter(pk=due_today.pk).update(due_date=today)
    Case.objects.filter(pk=paused.pk).update(is_paused=True, state=WAITING)

    page = text(as_user("petugas.dukcapil").get(url("queue")))
    assert "Birth Certificate" in page
    assert "Submitted" in page and "Waiting for the applicant" in page
    assert re.search(r"Overdue by \d+ working days", page)
    assert "Due today" in page
    assert "Paused: waiting for the applicant" in page
    assert "<strong>You</strong>" in page  # the overdue one is the officer's own


def test_filters_by_status_with_counts_service_deadline_and_officer(as_user, make_case, people):
    officer = people["petugas.dukcapil"]
    today = timezone.localdate()
    births = [make_case(BIRTH) for _ in range(3)]
    death = make_case(DEATH)
    Case.objects.filter(pk=births[0].pk).update(state=CHECKING, assigned_to=officer)
    Case.objects.filter(pk=births[1].pk).update(due_date=today - datetime.timedelta(days=10))
    closed = make_case(BIRTH)
    Case.objects.filter(pk=closed.pk).update(
        is_open=False, state="terbit", closed_at=timezone.now()
    )
    client = as_user("petugas.dukcapil")

    page = text(client.get(url("queue")))
    open_cases = Case.objects.filter(unit=births[0].unit, is_open=True)
    for state, label in ((START, "Submitted"), (CHECKING, "Checking documents and registry data")):
        count = open_cases.filter(state=state).count()
        assert f'{label} <span class="count">({count})</span>' in page

    tracking = {case.pk: case.submission.tracking for case in [*births, death, closed]}
    mine = set(tracking.values())

    def shown(query: str) -> set[str]:
        return set(trackings_in(client.get(url("queue") + query))) & mine

    assert shown(f"?state={CHECKING}") == {tracking[births[0].pk]}
    assert shown(f"?service={DEATH}") == {tracking[death.pk]}
    assert shown("?due=overdue") == {tracking[births[1].pk]}
    assert shown("?assigned=me") == {tracking[births[0].pk]}
    assert shown("?assigned=unassigned") == {tracking[c.pk] for c in (births[1], births[2], death)}
    assert shown("?closed=1") == {tracking[closed.pk]}
    # Filters combine; an unknown value is ignored rather than refused.
    assert shown(f"?service={BIRTH}&assigned=unassigned") == {
        tracking[births[1].pk],
        tracking[births[2].pk],
    }
    assert shown("?state=nonsense&due=later") == shown("")


def test_an_officer_of_several_units_filters_by_unit(as_user, make_case, people):
    officer = people["petugas.dukcapil"]
    birth, identity_card = make_case(BIRTH), make_case("dukcapil-surabaya.ktp-el")
    RoleAssignment.objects.create(
        user=officer, role=Role.OFFICER, agency=birth.agency, unit=identity_card.unit
    )
    client = as_user("petugas.dukcapil")
    page = text(client.get(url("queue")))
    assert 'name="unit"' in page
    assert {birth.submission.tracking, identity_card.submission.tracking} <= set(
        trackings_in(client.get(url("queue")))
    )
    shown = set(trackings_in(client.get(url("queue") + f"?unit={identity_card.unit.public_id}")))
    assert identity_card.submission.tracking in shown and birth.submission.tracking not in shown
    # With one unit there is nothing to choose.
    assert 'name="unit"' not in text(as_user("penyelia.dukcapil").get(url("queue")))


def test_keyset_pages_neither_repeat_nor_skip_a_case(as_user, make_case):
    cases = [make_case(BIRTH) for _ in range(60)]
    today = timezone.localdate()
    # Several cases share each due date, so the id has to break the ties.
    for number, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(due_date=today + datetime.timedelta(days=number % 4))
    expected = list(
        Case.objects.filter(unit=cases[0].unit, is_open=True)
        .order_by("due_date", "id")
        .values_list("submission__tracking", flat=True)
    )
    client = as_user("petugas.dukcapil")
    seen, address, pages = [], url("queue"), 0
    while address:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert not any("OFFSET" in query["sql"].upper() for query in queries)
        seen += trackings_in(response)
        pages += 1
        found = re.search(r'rel="next" href="([^"]+)"', text(response))
        address = url("queue") + found.group(1).replace("&amp;", "&") if found else ""
    assert pages == -(-len(expected) // 25) >= 3
    assert seen == expected  # every case once, in (due date, id) order
    # The cursor is opaque: neither the date nor the id appears as such.
    first = client.get(url("queue"))
    cursor = re.search(r'rel="next" href="\?after=([^"]+)"', text(first)).group(1)
    assert str(cases[0].pk) not in cursor and "-" not in cursor


def test_the_queue_costs_the_same_queries_on_page_1_and_page_3(
    as_user, make_case, django_assert_max_num_queries
):
    for _ in range(60):
        make_case(BIRTH)
    client = as_user("petugas.dukcapil")
    client.get(url("queue"))  # warm the per-process caches (holiday package)

    def count(address: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        found = re.search(r'rel="next" href="([^"]+)"', text(response))
        return len(queries), (url("queue") + found.group(1).replace("&amp;", "&")) if found else ""

    first, page_2 = count(url("queue"))
    _, page_3 = count(page_2)
    third, _ = count(page_3)
    assert first == third
    # Thirteen, whatever the number of cases: the page's ids come first from the queue's
    # index, and its units and assignees in queries of their own rather than as joins (the
    # planner's time grows fast with each join).
    with django_assert_max_num_queries(13):
        client.get(page_3)


# The case page ---------------------------------------------------------------------------


def test_the_case_page_shows_the_applicant_answers_documents_and_timeline(as_user, make_case):
    case = make_case(
        BIRTH,
        answers={
            "child_name": "Ayu Rahayu Putri",
            "child_sex": "perempuan",
            "has_birth_statement": True,
            "parents_status": "tercatat",
        },
    )
    attach(case, field_key="birth_statement_file", requirement="surat-keterangan-lahir")
    page = text(as_user("petugas.dukcapil").get(url("officer_case", case)))
    # The applicant: name, NIK, contact.
    assert "Siti Rahayu" in page and "3578056503920001" in page and "081234567890" in page
    # Answers with their questions, in the form's order, choices in words.
    assert page.index("Child&#x27;s full name") < page.index("Child&#x27;s sex")
    assert "Ayu Rahayu Putri" in page and "Female" in page and "Married and registered" in page
    # The document, downloadable through the officers' document address.
    assert "surat-lahir.pdf" in page
    document = case.submission.documents.get()
    assert url("officer_document", case, document_id=document.public_id) in page
    # The timeline starts with the submission.
    assert re.search(r"<strong>Submitted</strong>", page)


def test_an_officer_downloads_a_document_and_the_opening_is_recorded(as_user, make_case, people):
    case = make_case(BIRTH)
    document = attach(case, field_key="birth_statement_file")
    response = as_user("petugas.dukcapil").get(
        url("officer_document", case, document_id=document.public_id)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action="document.viewed",
        object_id=str(document.public_id),
        actor=people["petugas.dukcapil"],
        subject=people["warga"],
    ).exists()


def test_a_step_that_requires_a_file_sends_it_with_its_message(client, make_case):
    case = make_case(HYGIENE)
    officer = get_user_model().objects.create_user("petugas.higiene", first_name="Rina")
    RoleAssignment.objects.create(
        user=officer, role=Role.OFFICER, agency=case.agency, unit=case.unit
    )
    Case.objects.filter(pk=case.pk).update(state="uji_lab")
    case.refresh_from_db()
    index = step_index(case, WAITING)
    client.force_login(officer)
    address = url("officer_transition", case)
    page = text(client.get(url("officer_case", case)))
    assert 'enctype="multipart/form-data"' in page and f'name="t{index}-file"' in page

    # Without the file: 422, the error next to the file input, nothing applied.
    response = client.post(
        address, {"version": case.version, "transition": index, f"t{index}-message": "Gagal uji."}
    )
    assert response.status_code == 422
    assert f'id="id_t{index}-file-error"' in text(response)
    # Not a PDF, whatever its name: refused by the documents service, nothing applied.
    response = client.post(
        address,
        {
            "version": case.version,
            "transition": index,
            f"t{index}-message": "Gagal uji.",
            f"t{index}-file": SimpleUploadedFile(
                "hasil.pdf", b"<html>hi</html>", "application/pdf"
            ),
        },
    )
    assert response.status_code == 422
    assert f'id="id_t{index}-file-error"' in text(response)
    case.refresh_from_db()
    assert case.state == "uji_lab" and not Message.objects.filter(case=case).exists()

    response = client.post(
        address,
        {
            "version": case.version,
            "transition": index,
            f"t{index}-message": "Sampel air tidak memenuhi syarat.",
            f"t{index}-file": SimpleUploadedFile("hasil-lab.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == WAITING
    message = Message.objects.get(case=case)
    assert message.body == "Sampel air tidak memenuhi syarat." and not message.internal
    assert [d.original_name for d in message.documents.all()] == ["hasil-lab.pdf"]
    assert "hasil-lab.pdf" in text(client.get(url("officer_case", case)))


def test_viewing_the_case_records_one_audit_event_per_view(as_user, make_case, people):
    case = make_case(BIRTH)
    client = as_user("petugas.dukcapil")
    client.get(url("officer_case", case))
    client.get(url("officer_case", case))
    views = AuditEvent.objects.filter(
        action="citizen.viewed", object_id=str(case.public_id), actor=people["petugas.dukcapil"]
    )
    assert views.count() == 2
    assert {event.subject_id for event in views} == {people["warga"].pk}


def test_the_queue_itself_shows_no_personal_data_and_audits_nothing(as_user, make_case):
    make_case(BIRTH)
    page = text(as_user("petugas.dukcapil").get(url("queue")))
    assert "3578056503920001" not in page and "Siti" not in page
    assert not AuditEvent.objects.filter(action="citizen.viewed").exists()


def test_an_officer_claims_a_case(as_user, make_case, people):
    case = make_case(BIRTH)
    client = as_user("petugas.dukcapil")
    assert "Take this case" in text(client.get(url("officer_case", case)))
    response = client.post(url("officer_claim", case), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == people["petugas.dukcapil"]
    # A second officer claiming with the page they had open is told it changed.
    response = as_user("penyelia.dukcapil").post(url("officer_claim", case), {"version": 1})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.assigned_to == people["petugas.dukcapil"]


def test_a_step_asks_for_what_it_requires_next_to_the_field(as_user, make_case):
    case = make_case(BIRTH)
    client = as_user("petugas.dukcapil")
    index = step_index(case, CHECKING)
    response = client.post(
        url("officer_transition", case), {"version": case.version, "transition": index}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CHECKING

    # Asking the applicant for more needs a message: without one, 422 and the error sits
    # next to the message field.
    index = step_index(case, WAITING)
    response = client.post(
        url("officer_transition", case), {"version": case.version, "transition": index}
    )
    assert response.status_code == 422
    page = text(response)
    field = f"id_t{index}-message"
    assert re.search(rf'id="{field}-error"', page)
    assert f'href="#{field}"' in page
    case.refresh_from_db()
    assert case.state == CHECKING

    response = client.post(
        url("officer_transition", case),
        {"version": case.version, "transition": index, f"t{index}-message": "Mohon unggah KK."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == WAITING and case.is_paused
    assert Message.objects.get(case=case).body == "Mohon unggah KK."


def test_a_stale_step_is_refused_with_the_new_state_and_keeps_what_was_typed(
    as_user, make_case, people
):
    case = make_case(BIRTH)
    services.case_transition(case=case, actor=people["petugas.dukcapil"], to=CHECKING)
    case.refresh_from_db()
    stale = case.version
    index = step_index(case, WAITING)
    # Meanwhile a colleague asks for the data (the case is now waiting on the applicant).
    services.case_transition(
        case=case, actor=people["penyelia.dukcapil"], to=WAITING, data={"message": "Kirim KK."}
    )
    case.refresh_from_db()
    before = (case.state, case.version, Message.objects.filter(case=case).count())

    response = as_user("petugas.dukcapil").post(
        url("officer_transition", case),
        {"version": stale, "transition": index, f"t{index}-message": "Tolong lengkapi akta nikah"},
    )
    assert response.status_code == 409
    page = text(response)
    assert "This case changed while you were looking at it" in page
    assert "Waiting for the applicant" in page  # the new state
    assert "Tolong lengkapi akta nikah" in page  # what they typed is kept
    case.refresh_from_db()
    assert (case.state, case.version, Message.objects.filter(case=case).count()) == before


def test_a_step_that_is_not_the_officers_shows_why(as_user, make_case, people):
    case = make_case(BIRTH)
    services.case_transition(case=case, actor=people["petugas.dukcapil"], to=CHECKING)
    case.refresh_from_db()
    rejected = step_index(case, "ditolak")  # the supervisor's step
    page = text(as_user("petugas.dukcapil").get(url("officer_case", case)))
    assert f'name="transition" value="{rejected}"' not in page
    response = as_user("petugas.dukcapil").post(
        url("officer_transition", case),
        {"version": case.version, "transition": rejected, f"t{rejected}-reason": "x"},
    )
    assert response.status_code == 403
    assert "Only the supervisor may take this step." in text(response)
    case.refresh_from_db()
    assert case.state == CHECKING


def test_officers_write_to_the_applicant_and_add_internal_notes(as_user, make_case):
    case = make_case(BIRTH)
    client = as_user("petugas.dukcapil")
    address = url("officer_message", case)
    assert (
        client.post(address, {"body": "Berkas kami periksa.", "audience": "applicant"}).status_code
        == 302
    )
    assert (
        client.post(address, {"body": "Cek ulang NIK ibu.", "audience": "internal"}).status_code
        == 302
    )
    assert client.post(address, {"body": "  ", "audience": "internal"}).status_code == 422
    to_applicant, note = Message.objects.filter(case=case).order_by("id")
    assert not to_applicant.internal and to_applicant.from_agency
    assert note.internal
    page = text(client.get(url("officer_case", case)))
    assert page.count("Internal — the applicant does not see this") == 1
    assert page.index("Berkas kami periksa.") < page.index("Cek ulang NIK ibu.")


def test_only_a_supervisor_assigns_and_only_to_officers_of_the_unit(as_user, make_case, people):
    case = make_case(BIRTH)
    officer, supervisor = people["petugas.dukcapil"], people["penyelia.dukcapil"]
    assert 'name="assignee"' not in text(as_user("petugas.dukcapil").get(url("officer_case", case)))
    response = as_user("petugas.dukcapil").post(
        url("officer_assign", case), {"version": case.version, "assignee": officer.pk}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.assigned_to is None

    client = as_user("penyelia.dukcapil")
    page = text(client.get(url("officer_case", case)))
    assert 'name="assignee"' in page and "Ahmad Fauzi" in page and "Nur Aini" not in page
    foreign = people["petugas.dpmptsp"]
    response = client.post(
        url("officer_assign", case), {"version": case.version, "assignee": foreign.pk}
    )
    assert response.status_code == 422
    response = client.post(
        url("officer_assign", case), {"version": case.version, "assignee": officer.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == officer
    assert CaseEvent.objects.filter(case=case, kind="assigned", actor=supervisor).exists()


def test_a_supervisor_forwards_a_case_to_another_unit_of_the_agency(as_user, make_case):
    case = make_case(BIRTH)
    other = Unit.objects.get(agency=case.agency, code="pendaftaran-penduduk")
    client = as_user("penyelia.dukcapil")
    response = client.post(
        url("officer_forward", case),
        {"version": case.version, "unit": str(other.public_id), "note": "Urusan KK."},
    )
    assert response.status_code == 302 and response["Location"] == url("queue")
    case.refresh_from_db()
    assert case.unit == other
    # The case has left the unit: it is no longer in its queue nor on its page.
    assert client.get(url("officer_case", case)).status_code == 404


def test_an_officer_of_another_agency_reaches_the_case_nowhere(as_user, make_case, people):
    case = make_case(BIRTH)
    document = attach(case, field_key="birth_statement_file")
    OutcomeDocument.objects.create(
        case=case, number="AL-1", verification_code="ABCD2345X", issued_at=timezone.now()
    )
    before = (
        Case.objects.filter(pk=case.pk).values().get(),
        CaseEvent.objects.filter(case=case).count(),
        Message.objects.filter(case=case).count(),
    )
    version = case.version
    own_unit = Unit.objects.get(agency__code="dpmptsp-surabaya", code="perizinan-usaha")
    for username in ("petugas.dpmptsp", "penyelia.dpmptsp"):
        client = as_user(username)
        assert case.submission.tracking not in text(client.get(url("queue")))
        assert case.submission.tracking not in text(client.get(url("workload")))
        gets = [
            url("officer_case", case),
            url("officer_document", case, document_id=document.public_id),
            url("officer_outcome", case),
        ]
        for address in gets:
            assert client.get(address).status_code == 404, address
        posts = {
            "officer_claim": {"version": version},
            "officer_transition": {"version": version, "transition": 0},
            "officer_message": {"body": "Halo", "audience": "applicant"},
            "officer_assign": {"version": version, "assignee": people[username].pk},
            "officer_forward": {"version": version, "unit": str(own_unit.public_id)},
            "officer_outcome_revoke": {"reason": "Salah"},
        }
        for name, data in posts.items():
            assert client.post(url(name, case), data).status_code == 404, name
    assert (
        Case.objects.filter(pk=case.pk).values().get(),
        CaseEvent.objects.filter(case=case).count(),
        Message.objects.filter(case=case).count(),
    ) == before
    assert not AuditEvent.objects.filter(object_id=str(case.public_id)).exists()


# Workload --------------------------------------------------------------------------------


def test_a_supervisor_sees_the_workload_and_reassigns_an_overdue_case(as_user, make_case, people):
    officer = people["petugas.dukcapil"]
    late = make_case(BIRTH)
    make_case(BIRTH)
    Case.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=10), assigned_to=officer
    )
    late.refresh_from_db()
    assert as_user("petugas.dukcapil").get(url("workload")).status_code == 403

    client = as_user("penyelia.dukcapil")
    response = client.get(url("workload"))
    assert response.status_code == 200
    page = text(response)
    assert "Ahmad Fauzi" in page and "Not taken yet" in page
    assert late.submission.tracking in page
    response = client.post(
        url("officer_assign", late),
        {
            "version": late.version,
            "assignee": people["penyelia.dukcapil"].pk,
            "next": url("workload") + "#overdue",
        },
    )
    assert response.status_code == 302 and response["Location"] == url("workload") + "#overdue"
    late.refresh_from_db()
    assert late.assigned_to == people["penyelia.dukcapil"]


# Languages -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_renders_in_both_languages(as_user, make_case, language):
    case = make_case(BIRTH)
    client = as_user("penyelia.dukcapil")
    addresses = [
        url(name, case if name == "officer_case" else None, language=language)
        for name in ("queue", "officer_case", "workload")
    ]
    for address in addresses:
        assert address.startswith("/en/") == (language == "en")
        response = client.get(address)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in text(response)
    service = "Penerbitan Akta Kelahiran" if language == "id" else "Birth Certificate"
    assert service in text(client.get(url("officer_case", case, language=language)))
