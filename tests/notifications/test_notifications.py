"""Notifications (issue: notifications and background work): a notification exists once per
deduplication key; its e-mail is queued only after commit, only when the recipient has an
address, and goes out once however often the task runs; the inbox shows a person their own
notifications only, newest first, paged by keyset, and marks them read with a plain form."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from satupintu.core.errors import NotFound
from satupintu.notifications.models import Notification
from satupintu.notifications.selectors import (
    notification_inbox,
    notification_unread_count,
    recipient_language,
)
from satupintu.notifications.services import (
    notification_email,
    notification_mark_all_read,
    notification_mark_read,
    notification_send,
)
from satupintu.notifications.tasks import send_notification_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    """Each test starts in the default language, and leaves it as it found it (a request to
    an /en/ page leaves English active)."""
    with translation.override("id"):
        yield


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user(
        username="alice", email="alice@contoh.id", password="x" * 12
    )


@pytest.fixture
def bob(db):
    return get_user_model().objects.create_user(
        username="bob", email="bob@contoh.id", password="x" * 12
    )


@pytest.fixture
def no_address(db):
    return get_user_model().objects.create_user(username="tanpa-surel", password="x" * 12)


def send(recipient, key="", title="Permohonan diterima", **extra):
    return notification_send(
        recipient=recipient,
        kind="test.event",
        title=title,
        body="Nomor pelacakan K7QM-4XRT-9.",
        link="/layanan-saya/",
        dedup_key=key or None,
        **extra,
    )


# Sending ----------------------------------------------------------------------------------


def test_the_same_key_makes_one_notification(alice):
    first = send(alice, key="case:1:submitted:1")
    again = send(alice, key="case:1:submitted:1")
    assert first is not None and again is None
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_without_a_key_every_send_makes_a_notification(alice):
    send(alice)
    send(alice)
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_the_email_is_queued_after_commit_when_there_is_an_address(
    alice, no_address, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as with_address:
        send(alice)
    with django_capture_on_commit_callbacks() as without_address:
        notification = send(no_address)
    assert len(with_address) == 1
    assert without_address == []
    assert notification is not None  # in the inbox all the same


def test_nothing_is_queued_for_a_send_that_rolled_back(alice, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(alice)
        raise RuntimeError("the change that caused it failed")
    assert callbacks == []
    assert not Notification.objects.exists()


def test_an_inactive_account_gets_nothing(alice):
    alice.is_active = False
    alice.save()
    assert send(alice) is None


def test_the_notification_records_the_language_it_was_written_in(alice):
    assert recipient_language(alice) == "id"  # the platform's default
    assert send(alice).language == "id"


# E-mail -----------------------------------------------------------------------------------


def test_the_email_goes_out_once_however_often_the_task_runs(alice, settings):
    settings.DEFAULT_FROM_EMAIL = "Satupintu <no-reply@layanan.contoh.go.id>"
    notification = send(alice, key="once")
    assert send_notification_email.call(notification_id=notification.pk) is True
    assert send_notification_email.call(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@contoh.id"]
    assert message.subject == "Permohonan diterima"
    assert "K7QM-4XRT-9" in message.body and "/layanan-saya/" in message.body
    # The same Message-ID on every attempt, so that a copy sent twice is one message.
    message_id = f"<notification.{notification.public_id}@layanan.contoh.go.id>"
    assert message.extra_headers["Message-ID"] == message_id
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_email_when_the_address_was_removed_before_sending(alice):
    notification = send(alice)
    alice.email = ""
    alice.save()
    assert notification_email(notification_id=notification.pk) is False
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_no_email_for_a_notification_that_is_gone(alice):
    notification = send(alice)
    notification_id = notification.pk
    notification.delete()
    assert notification_email(notification_id=notification_id) is False
    assert mail.outbox == []


def test_a_failed_send_leaves_the_notification_unsent_for_a_retry(alice, monkeypatch):
    notification = send(alice)

    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        notification_email(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert notification_email(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_the_email_links_to_the_site_when_its_address_is_known(alice, settings):
    settings.SATUPINTU_PUBLIC_URL = "https://layanan.contoh.go.id/"
    notification_email(notification_id=send(alice).pk)
    assert "https://layanan.contoh.go.id/layanan-saya/" in mail.outbox[0].body


# Reading ----------------------------------------------------------------------------------


def test_marking_read_is_for_the_recipient_only(alice, bob):
    notification = send(alice)
    with pytest.raises(NotFound):
        notification_mark_read(notification=notification, user=bob)
    notification.refresh_from_db()
    assert notification.read_at is None
    notification_mark_read(notification=notification, user=alice)
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    notification_mark_read(notification=notification, user=alice)  # again: no change
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_unread_count_and_mark_all(alice, bob):
    for _ in range(3):
        send(alice)
    send(bob)
    assert notification_unread_count(user=alice) == 3
    assert notification_mark_all_read(user=alice) == 3
    assert notification_unread_count(user=alice) == 0
    assert notification_unread_count(user=bob) == 1


def test_the_inbox_pages_newest_first_by_keyset(alice, bob, settings):
    settings.SATUPINTU_PAGE_SIZE = 4
    for number in range(10):
        send(alice, title=f"n{number}")
    send(bob, title="not alice's")
    # Ties on the time are broken by id, so no notification is skipped or shown twice.
    same_time = timezone.now() - datetime.timedelta(minutes=1)
    Notification.objects.filter(title__in=["n3", "n4", "n5"]).update(created_at=same_time)
    seen, after = [], None
    while True:
        page = notification_inbox(user=alice, after=after)
        seen += [n.title for n in page.notifications]
        if page.next_after is None:
            break
        after = page.next_after
    expected = [
        n.title for n in Notification.objects.filter(recipient=alice).order_by("-created_at", "-id")
    ]
    assert seen == expected and len(seen) == 10


def test_the_inbox_costs_one_query_a_page(alice, django_assert_num_queries):
    for _ in range(25):
        send(alice)
    with django_assert_num_queries(1):
        first = notification_inbox(user=alice)
    with django_assert_num_queries(2):  # the key of `after`, then the page
        notification_inbox(user=alice, after=first.next_after)


def test_someone_elses_notification_is_no_key_for_paging(alice, bob):
    send(alice)
    other = send(bob)
    page = notification_inbox(user=alice, after=other.public_id)
    assert len(page.notifications) == 1  # from the top, nothing of bob's


# The inbox page ---------------------------------------------------------------------------


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_inbox_shows_only_ones_own_notifications(client, alice, bob):
    send(alice, title="Untuk Alice")
    send(bob, title="Untuk Bob")
    client.force_login(alice)
    response = client.get("/kotak-masuk/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Untuk Alice" in page and "Untuk Bob" not in page


def test_the_inbox_in_english(client, alice):
    send(alice, title="Untuk Alice")
    client.force_login(alice)
    response = client.get("/en/kotak-masuk/")
    assert response.status_code == 200
    assert "Mark as read" in response.content.decode()


def test_marking_read_with_a_form(client, alice):
    notification = send(alice)
    client.force_login(alice)
    url = reverse("notifications:mark_read", args=[notification.public_id])
    assert client.get(url).status_code == 405  # a change is never a GET
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_someone_elses_notification_is_not_found(client, alice, bob):
    notification = send(bob)
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_read", args=[notification.public_id]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read_with_a_form(client, alice, bob):
    send(alice)
    send(alice)
    send(bob)
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert notification_unread_count(user=alice) == 0
    assert notification_unread_count(user=bob) == 1


def test_a_link_that_is_not_a_path_is_not_shown(client, alice):
    notification_send(
        recipient=alice,
        kind="test.event",
        title="Judul",
        body="Isi",
        link="https://elsewhere.example/",
    )
    client.force_login(alice)
    assert "elsewhere.example" not in client.get("/kotak-masuk/").content.decode()


# Admin ------------------------------------------------------------------------------------


def test_platform_admins_see_notifications_read_only(client, alice):
    notification = send(alice)
    admin = get_user_model().objects.create_superuser(
        username="root", email="root@contoh.id", password="x" * 12
    )
    client.force_login(admin)
    assert client.get("/admin/notifications/notification/").status_code == 200
    change = client.get(f"/admin/notifications/notification/{notification.pk}/change/")
    assert change.status_code == 200
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    client.force_login(alice)
    assert client.get("/admin/notifications/notification/").status_code == 302  # not staff
