"""Requirement (UU PDP art. 46): a data protection officer records a personal-data breach —
when it was discovered, what happened, which kinds of data, how many people, the cause and the
measures taken — with its notification deadline 3×24 hours after the discovery; records when
the people concerned and the authority were told; lists breaches by deadline with the overdue
ones marked; and prints a notice that says which personal data were disclosed, when and how,
and what is done to handle it and recover, in Indonesian or English."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.models import AuditEvent
from satupintu.privacy import services
from satupintu.privacy.constants import DataKind
from satupintu.privacy.forms import MOMENT
from satupintu.privacy.models import Breach
from satupintu.privacy.services import BreachFacts
from tests.privacy.factories import ago

pytestmark = pytest.mark.django_db


def facts(**changes) -> BreachFacts:
    values = {
        "title": "Ekspor terkirim ke alamat salah",
        "discovered_at": ago(hours=5),
        "occurred_at": ago(hours=9),
        "description": "Berkas CSV dikirim ke alamat e-mail di luar instansi.",
        "data_kinds": [DataKind.IDENTITY, DataKind.HEALTH],
        "people_affected": 37,
        "cause": "Alamat diketik manual.",
        "measures": "Penerima menghapus berkas; ekspor tidak lagi lewat e-mail.",
        "contact": "ppdp@contoh.go.id",
    }
    return BreachFacts(**{**values, **changes})


def form_data(**changes) -> dict:
    data = {
        "title": "Laptop petugas hilang",
        "discovered_at": timezone.localtime(ago(hours=2)).strftime(MOMENT),
        "occurred_at": "",
        "description": "Laptop berisi unduhan berkas pemohon hilang di kereta.",
        "data_kinds": [DataKind.DOCUMENTS, DataKind.CONTACT],
        "data_other": "",
        "people_affected": "12",
        "cause": "",
        "measures": "Akun petugas dikunci; disk terenkripsi; pemohon dihubungi.",
        "contact": "",
    }
    return {**data, **changes}


def test_the_notice_is_due_72_hours_after_the_discovery(people):
    breach = services.breach_record(actor=people["ppdp"], facts=facts())
    assert breach.notify_due_at - breach.discovered_at == datetime.timedelta(hours=72)
    assert breach.recorded_by == people["ppdp"]
    assert AuditEvent.objects.filter(action="breach.recorded", object_id=str(breach.public_id))
    later = ago(hours=1)
    changed = services.breach_update(
        breach=breach, actor=people["ppdp"], facts=facts(discovered_at=later)
    )
    assert changed.notify_due_at == later + datetime.timedelta(hours=72)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"discovered_at": timezone.now() + datetime.timedelta(days=1)}, "discovered_at"),
        ({"occurred_at": ago(hours=1)}, "occurred_at"),
        ({"data_kinds": []}, "data_kinds"),
        ({"data_kinds": ["shoe_size"]}, "data_kinds"),
        ({"data_kinds": [DataKind.OTHER]}, "data_other"),
        ({"measures": " "}, "measures"),
    ],
)
def test_a_record_that_is_not_right_is_refused_at_the_field(people, changes, path):
    with pytest.raises(DomainError) as refused:
        services.breach_record(actor=people["ppdp"], facts=facts(**changes))
    assert path in [problem["path"] for problem in refused.value.errors]
    assert not Breach.objects.exists()


def test_only_the_officer_keeps_the_register(people, as_user):
    with pytest.raises(Forbidden):
        services.breach_record(actor=people["admin"], facts=facts())
    breach = services.breach_record(actor=people["ppdp"], facts=facts())
    for username in ("warga", "petugas.dukcapil", "admin.dukcapil"):
        client = as_user(username)
        assert client.get(reverse("privacy:breaches")).status_code == 403
        assert (
            client.get(reverse("privacy:breach_notice", args=[breach.tracking])).status_code == 403
        )
        assert client.post(reverse("privacy:breach_new"), form_data()).status_code == 403
    admin = as_user("admin")
    assert admin.get(reverse("privacy:breach", args=[breach.tracking])).status_code == 200
    assert admin.post(reverse("privacy:breach_new"), form_data()).status_code == 403
    assert Breach.objects.count() == 1


def test_the_officer_records_a_breach_from_the_form(people, as_user):
    client = as_user("ppdp")
    response = client.post(reverse("privacy:breach_new"), form_data())
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:breach", args=[breach.tracking])
    assert breach.data_kinds == [DataKind.DOCUMENTS, DataKind.CONTACT]
    assert breach.people_affected == 12
    refused = client.post(
        reverse("privacy:breach_new"), form_data(measures="", title="judul-tetap")
    )
    assert refused.status_code == 422
    assert "judul-tetap" in refused.content.decode()
    assert Breach.objects.count() == 1


def test_the_register_lists_by_deadline_and_marks_the_overdue(people, as_user):
    overdue = services.breach_record(
        actor=people["ppdp"],
        facts=facts(title="judul-terlambat", discovered_at=ago(hours=80), occurred_at=None),
    )
    recent = services.breach_record(
        actor=people["ppdp"],
        facts=facts(title="judul-baru", discovered_at=ago(hours=1), occurred_at=None),
    )
    done = services.breach_record(actor=people["ppdp"], facts=facts(title="judul-selesai"))
    services.breach_notified(
        breach=done, actor=people["ppdp"], subjects_at=ago(minutes=30), authority_at=ago(minutes=20)
    )
    body = as_user("ppdp").get(reverse("privacy:breaches")).content.decode()
    assert body.index("judul-terlambat") < body.index("judul-baru")
    assert "judul-selesai" not in body, "the default list shows what is still to notify"
    row = body[body.index("judul-terlambat") :].split("</tr>")[0]
    assert "badge--overdue" in row
    everything = as_user("ppdp").get(reverse("privacy:breaches") + "?semua=1").content.decode()
    assert all(title in everything for title in ("judul-terlambat", "judul-baru", "judul-selesai"))
    assert overdue.tracking in everything and recent.tracking in everything


def test_recording_the_notices_closes_the_deadline(people, as_user):
    breach = services.breach_record(actor=people["ppdp"], facts=facts())
    client = as_user("ppdp")
    told = timezone.localtime(ago(hours=1)).strftime(MOMENT)
    response = client.post(
        reverse("privacy:breach_notify", args=[breach.tracking]), {"subjects_at": told}
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.subjects_notified_at is not None and not breach.is_notified
    client.post(reverse("privacy:breach_notify", args=[breach.tracking]), {"authority_at": told})
    breach.refresh_from_db()
    assert breach.is_notified
    assert AuditEvent.objects.filter(action="breach.notified").count() == 2
    assert (
        client.post(reverse("privacy:breach_notify", args=[breach.tracking]), {}).status_code == 422
    )


def test_the_notice_says_what_art_46_requires(people, as_user):
    breach = services.breach_record(actor=people["ppdp"], facts=facts())
    body = as_user("ppdp").get(reverse("privacy:breach_notice", args=[breach.tracking]))
    text = body.content.decode()
    assert body.status_code == 200
    # Which personal data were disclosed.
    assert str(DataKind.IDENTITY.label) in text and str(DataKind.HEALTH.label) in text
    assert "37" in text
    # When and how.
    assert timezone.localtime(breach.discovered_at).strftime("%H:%M") in text
    assert timezone.localtime(breach.occurred_at).strftime("%H:%M") in text
    assert breach.description in text
    # What is done to handle it and recover.
    assert breach.measures in text
    assert breach.contact in text and breach.tracking in text
    # Printable with the site's print stylesheet, without inline styles.
    assert "print.css" in text and "style=" not in text


def test_the_notice_has_an_english_translation(people, as_user):
    breach = services.breach_record(actor=people["ppdp"], facts=facts())
    with translation.override("en"):
        url = reverse("privacy:breach_notice", args=[breach.tracking])
    assert url.startswith("/en/")
    text = as_user("ppdp").get(url).content.decode()
    assert "Notice of a personal-data breach" in text
    assert "What we are doing to handle it and recover" in text
