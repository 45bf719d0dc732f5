"""Requirement (UU PDP arts. 6 and 8, ARCHITECTURE "Data protection"): a signed-in person asks
from "My data" for their data to be corrected or deleted; the request is due 3×24 hours after
its receipt, and the due time is shown to everyone who sees it. A person sees only their own
requests; only a data protection officer answers (another citizen or an agency officer gets
404 or 403). A correction is applied to the account and profile and audited with the person
as subject; a refusal says why. Every answer is told to the person."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from satupintu.accounts import personal_data
from satupintu.core.errors import Conflict, DomainError, Forbidden
from satupintu.core.models import AuditEvent
from satupintu.notifications.models import Notification
from satupintu.privacy import services
from satupintu.privacy.constants import RESPONSE_TIME, RequestKind, RequestStatus
from satupintu.privacy.models import DataRequest

pytestmark = pytest.mark.django_db


def correction(user, field="address", value="Jl. Kenanga No. 9", **extra):
    return services.data_request_file(
        requester=user, kind=RequestKind.CORRECTION, field=field, proposed_value=value, **extra
    )


def deletion(user, scope="notifications"):
    return services.data_request_file(requester=user, kind=RequestKind.DELETION, scope=scope)


# Filing -----------------------------------------------------------------------------------


def test_a_request_is_due_72_clock_hours_after_it_is_received(people):
    before = timezone.now()
    filed = correction(people["warga"])
    assert filed.status == RequestStatus.OPEN
    assert before <= filed.received_at <= timezone.now()
    assert filed.due_at - filed.received_at == RESPONSE_TIME == datetime.timedelta(hours=72)


def test_filing_is_audited_for_the_person_and_tells_the_officer(people):
    filed = correction(people["warga"])
    event = AuditEvent.objects.get(action="data_request.filed")
    assert event.subject_id == event.actor_id == people["warga"].pk
    assert event.object_id == str(filed.public_id)
    told = Notification.objects.get(kind="privacy.request_received")
    assert told.recipient == people["ppdp"]
    assert filed.tracking in told.title and "Kenanga" not in told.body
    assert "data_request.filed" in personal_data.PURPOSES


def test_the_form_files_a_request_and_shows_its_due_time(people, as_user):
    client = as_user("warga")
    response = client.post(
        reverse("privacy:request_new", args=["koreksi"]),
        {"field": "birth_date", "proposed_value": "1992-03-26", "reason": "Salah satu hari."},
    )
    filed = DataRequest.objects.get(requester=people["warga"])
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:my_request", args=[filed.tracking])
    page = client.get(response["Location"]).content.decode()
    local_due = timezone.localtime(filed.due_at)
    assert f"{local_due:%H:%M}" in page and str(local_due.year) in page
    listing = client.get(reverse("privacy:my_requests")).content.decode()
    assert filed.tracking in listing


def test_a_form_with_a_mistake_keeps_what_was_typed_and_says_what_is_wrong(people, as_user):
    client = as_user("warga")
    response = client.post(
        reverse("privacy:request_new", args=["hapus"]),
        {"scope": "all", "reason": "alasan-saya-tetap"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "alasan-saya-tetap" in body
    assert "id_understood-error" in body
    assert not DataRequest.objects.exists()


def test_the_deletion_form_shows_the_retention_table(people, as_user):
    body = as_user("warga").get(reverse("privacy:request_new", args=["hapus"])).content.decode()
    assert "UU 43/2009" in body  # the legal basis of kept cases
    assert reverse("privacy:request_new", args=["lain"]) != ""
    assert as_user("warga").get(reverse("privacy:request_new", args=["lain"])).status_code == 404


def test_the_same_deletion_asked_twice_while_open_is_refused(people):
    deletion(people["warga"], scope="all")
    with pytest.raises(Conflict):
        deletion(people["warga"], scope="all")
    deletion(people["warga"], scope="notifications")  # another scope is another request
    assert DataRequest.objects.filter(requester=people["warga"]).count() == 2


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"kind": "correction", "field": "shoe_size", "proposed_value": "42"}, "field"),
        ({"kind": "correction", "field": "name", "proposed_value": " "}, "proposed_value"),
        ({"kind": "deletion", "scope": "everything"}, "scope"),
        ({"kind": "complaint"}, "kind"),
    ],
)
def test_a_request_that_says_too_little_is_refused_at_the_field(people, fields, path):
    with pytest.raises(DomainError) as refused:
        services.data_request_file(requester=people["warga"], **fields)
    assert refused.value.status == 422
    assert refused.value.errors[0]["path"] == path


def test_an_employee_without_a_citizen_profile_cannot_ask_to_correct_a_nik(people):
    with pytest.raises(DomainError) as refused:
        correction(people["petugas.dukcapil"], field="nik", value="3578056503920002")
    assert refused.value.code == "no_citizen_profile"


# Who sees what ----------------------------------------------------------------------------


def test_a_person_sees_only_their_own_requests(people, as_user):
    mine = correction(people["warga"], value="alamat-warga-satu")
    theirs = correction(people["warga2"], value="alamat-warga-dua")
    client = as_user("warga")
    listing = client.get(reverse("privacy:my_requests")).content.decode()
    assert mine.tracking in listing and theirs.tracking not in listing
    assert client.get(reverse("privacy:my_request", args=[theirs.tracking])).status_code == 404
    assert client.get(reverse("privacy:my_request", args=[mine.tracking])).status_code == 200


@pytest.mark.parametrize("username", ["warga2", "petugas.dukcapil", "admin.dukcapil"])
def test_only_the_officer_and_the_platform_admin_open_the_queue(people, as_user, username):
    filed = correction(people["warga"])
    client = as_user(username)
    assert client.get(reverse("privacy:queue")).status_code == 403
    assert client.get(reverse("privacy:request", args=[filed.tracking])).status_code == 403
    for name in ("request_correct", "request_refuse", "request_erase"):
        response = client.post(
            reverse(f"privacy:{name}", args=[filed.tracking]),
            {"field": "address", "value": "x", "reason": "x", "confirm": "on"},
        )
        assert response.status_code == 403
    assert DataRequest.objects.get(pk=filed.pk).status == RequestStatus.OPEN


def test_anonymous_visitors_are_sent_to_sign_in(people, client):
    filed = correction(people["warga"])
    for url in (
        reverse("privacy:my_requests"),
        reverse("privacy:my_request", args=[filed.tracking]),
        reverse("privacy:queue"),
        reverse("privacy:request", args=[filed.tracking]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_queue_orders_open_requests_by_due_time(people, as_user):
    later = correction(people["warga"])
    sooner = correction(people["warga2"])
    DataRequest.objects.filter(pk=sooner.pk).update(
        due_at=later.due_at - datetime.timedelta(hours=5)
    )
    body = as_user("ppdp").get(reverse("privacy:queue")).content.decode()
    assert body.index(sooner.tracking) < body.index(later.tracking)


def test_the_platform_admin_reads_but_does_not_answer(people, as_user):
    filed = correction(people["warga"])
    client = as_user("admin")
    assert client.get(reverse("privacy:queue")).status_code == 200
    page = client.get(reverse("privacy:request", args=[filed.tracking]))
    assert page.status_code == 200 and b"request_correct" not in page.content
    refused = client.post(
        reverse("privacy:request_refuse", args=[filed.tracking]), {"reason": "tidak"}
    )
    assert refused.status_code == 403
    with pytest.raises(Forbidden):
        services.data_request_refuse(data_request=filed, actor=people["admin"], reason="tidak")


def test_the_officer_opening_a_request_is_in_the_persons_history(people, as_user):
    filed = correction(people["warga"])
    page = as_user("ppdp").get(reverse("privacy:request", args=[filed.tracking]))
    assert people["warga"].citizen.nik in page.content.decode()
    event = AuditEvent.objects.get(action="data_request.viewed")
    assert (event.actor, event.subject) == (people["ppdp"], people["warga"])
    history = personal_data.personal_data_history(user=people["warga"]).rows
    assert history[0]["purpose"] == str(personal_data.PURPOSES["data_request.viewed"])


# Correction -------------------------------------------------------------------------------


def test_the_officer_applies_a_correction_which_is_audited_and_told(people, as_user):
    filed = correction(people["warga"], value="Jl. Kedungdoro Gg. III No. 21")
    response = as_user("ppdp").post(
        reverse("privacy:request_correct", args=[filed.tracking]),
        {"field": "address", "value": "Jl. Kedungdoro Gg. III No. 21", "answer": "Sudah."},
    )
    assert response.status_code == 302
    people["warga"].citizen.refresh_from_db()
    assert people["warga"].citizen.address == "Jl. Kedungdoro Gg. III No. 21"
    filed.refresh_from_db()
    assert filed.status == RequestStatus.DONE and filed.handled_by == people["ppdp"]
    assert filed.answered_at is not None and filed.answer == "Sudah."
    event = AuditEvent.objects.get(action="personal_data.corrected")
    assert event.subject == people["warga"] and event.details == {"field": "address"}
    assert Notification.objects.filter(
        recipient=people["warga"], kind="privacy.request_answered"
    ).exists()
    page = as_user("warga").get(reverse("privacy:my_request", args=[filed.tracking]))
    assert "Sudah." in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "check"),
    [
        ("name", "Siti Rahayu Ningsih", lambda u: u.citizen.full_name == u.get_full_name()),
        ("email", "siti.baru@contoh.id", lambda u: u.email == u.citizen.email),
        ("phone", "081299990000", lambda u: u.phone == u.citizen.phone == "081299990000"),
        ("birth_date", "1992-03-25", lambda u: u.citizen.birth_date == datetime.date(1992, 3, 25)),
        ("sex", "F", lambda u: u.citizen.sex == "F"),
        ("region_code", "35.78.05.1003", lambda u: u.citizen.region_code == "3578051003"),
    ],
)
def test_each_field_is_corrected_where_it_is_held(people, field, value, check):
    filed = correction(people["warga"], field=field, value=value)
    services.data_request_correct(
        data_request=filed, actor=people["ppdp"], field=field, value=value
    )
    user = type(people["warga"]).objects.select_related("citizen").get(pk=people["warga"].pk)
    assert check(user)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nik", "1234", "invalid"),
        ("nik", "3578101708850003", "nik_taken"),  # warga2's
        ("email", "budi.santoso@contoh.id", "email_taken"),
        ("birth_date", "2999-01-01", "invalid"),
        ("phone", "telepon saya", "invalid"),
    ],
)
def test_a_wrong_corrected_value_is_refused_and_changes_nothing(people, field, value, code):
    filed = correction(people["warga"], field=field, value=value)
    before = type(people["warga"].citizen).objects.filter(pk=people["warga"].citizen.pk).values()[0]
    with pytest.raises(DomainError) as refused:
        services.data_request_correct(
            data_request=filed, actor=people["ppdp"], field=field, value=value
        )
    assert refused.value.code == code
    after = type(people["warga"].citizen).objects.filter(pk=people["warga"].citizen.pk).values()[0]
    assert after == before
    assert DataRequest.objects.get(pk=filed.pk).status == RequestStatus.OPEN


def test_a_correction_page_with_a_wrong_value_says_so_next_to_the_field(people, as_user):
    filed = correction(people["warga"], field="nik", value="123")
    response = as_user("ppdp").post(
        reverse("privacy:request_correct", args=[filed.tracking]),
        {"field": "nik", "value": "123", "answer": ""},
    )
    assert response.status_code == 422
    assert "id_value-error" in response.content.decode()


def test_an_answered_request_cannot_be_answered_again(people):
    filed = correction(people["warga"])
    services.data_request_refuse(data_request=filed, actor=people["ppdp"], reason="Tidak jelas.")
    with pytest.raises(Conflict):
        services.data_request_correct(
            data_request=filed, actor=people["ppdp"], field="address", value="x"
        )


# Refusal ----------------------------------------------------------------------------------


def test_a_refusal_says_why_and_is_told_and_audited(people, as_user):
    filed = deletion(people["warga"], scope="cases")
    response = as_user("ppdp").post(
        reverse("privacy:request_refuse", args=[filed.tracking]),
        {"reason": "Identitas pemohon tidak dapat diverifikasi."},
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == RequestStatus.REFUSED
    assert filed.answer == "Identitas pemohon tidak dapat diverifikasi."
    assert AuditEvent.objects.filter(
        action="data_request.refused", subject=people["warga"]
    ).exists()
    page = as_user("warga").get(reverse("privacy:my_request", args=[filed.tracking]))
    assert "Identitas pemohon tidak dapat diverifikasi." in page.content.decode()
    with pytest.raises(DomainError):
        services.data_request_refuse(
            data_request=correction(people["warga"]), actor=people["ppdp"], reason="  "
        )
