"""Public numbers and the public list (complaints, 1 and 6): per agency and period, how many
complaints it received and the median working days to its follow-up, confidential ones
counted; the public list shows routed complaints that are not confidential, never a
confidential one, and nobody's name."""

import datetime

import pytest
from django.utils import timezone

from satupintu.complaints import selectors, services
from satupintu.complaints.models import Complaint
from tests.complaints.factories import SECRET_MARKERS, agency, file, url

pytestmark = pytest.mark.django_db


def routed_and_answered(people, *, routed_on=None, answered_on=None, **kwargs):
    """A complaint routed to Dukcapil on ``routed_on`` and first followed up on
    ``answered_on`` (if given)."""
    complaint = file(people["pelapor.rahasia"], **kwargs).complaint
    complaint = services.complaint_route(
        complaint=complaint, actor=people["koordinator.lapor"], agency=agency()
    )
    if answered_on:
        services.complaint_follow_up(
            complaint=complaint, actor=people["petugas.dukcapil"], body="Jawaban."
        )
    if routed_on:
        Complaint.objects.filter(pk=complaint.pk).update(
            routed_at=at(routed_on), followed_up_at=at(answered_on) if answered_on else None
        )
    return complaint


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def test_received_and_median_time_to_follow_up_per_agency(people):
    # Routed Mon 3 Aug and answered 1 (Tue 4) and 3 (Thu 6) working days later; routed Thu
    # 13 Aug and answered 4 working days later across Independence Day (Fri 14, Tue 18, Wed
    # 19, Thu 20); one not answered yet; one of them confidential.
    routed_and_answered(people, routed_on=d(8, 3), answered_on=d(8, 4), confidential=True)
    routed_and_answered(people, routed_on=d(8, 3), answered_on=d(8, 6))
    routed_and_answered(people, routed_on=d(8, 13), answered_on=d(8, 20))
    routed_and_answered(people, routed_on=d(8, 3))
    routed_and_answered(people, routed_on=d(9, 1), answered_on=d(9, 2))  # another period
    rows = selectors.complaint_stats(date_from=d(8, 1), date_to=d(8, 31))
    assert [row.agency.code for row in rows] == ["dukcapil-surabaya"]
    row = rows[0]
    assert row.received == 4  # the confidential one counted
    assert row.followed_up == 3
    assert row.median_follow_up_working_days == 3.0
    assert (
        selectors.complaint_stats(
            agency=agency("dpmptsp-surabaya"), date_from=d(8, 1), date_to=d(8, 31)
        )
        == []
    )
    september = selectors.complaint_stats(agency=agency(), date_from=d(9, 1), date_to=d(9, 30))
    assert [(r.received, r.median_follow_up_working_days) for r in september] == [(1, 1.0)]


def test_the_public_list_leaves_out_confidential_and_unrouted_ones_and_names(client, people):
    shown = routed_and_answered(people, title="Jalan rusak di depan kantor")
    hidden = routed_and_answered(people, title="Rahasia sekali", confidential=True)
    waiting = file(people["warga"], title="Belum diverifikasi").complaint
    page = client.get(url("public")).content.decode()
    assert shown.title in page
    assert hidden.title not in page and waiting.title not in page
    assert [marker for marker in SECRET_MARKERS if marker in page] == []
    assert hidden not in selectors.complaint_public_list()


def test_the_public_list_pages_by_keyset(client, people, django_assert_max_num_queries):
    for number in range(23):
        routed_and_answered(people, title=f"Laporan {number}")
    first = client.get(url("public"))
    assert first.context["next_url"]
    with django_assert_max_num_queries(6):
        second = client.get(url("public") + first.context["next_url"])
    titles = [row["complaint"].title for row in first.context["rows"] + second.context["rows"]]
    assert len(titles) == len(set(titles)) == 23
