"""The timetable (complaints, 2): the coordinator routes within 3 working days, the agency
follows up within 5, and the complaint closes 10 working days after the follow-up unless
someone answers, which restarts the wait — counted in working days across weekends, national
holidays and agency closures, with the clock paused while the complainant is asked for more.

The dates are in August and September 2026: Monday 17 August is Independence Day and Tuesday
25 August the Prophet's Birthday.
"""

import datetime

import pytest

from satupintu.complaints import services
from satupintu.complaints.constants import ComplaintStatus, Sender
from satupintu.core.models import NonWorkingDay, NonWorkingDayKind
from tests.complaints.factories import agency, file

pytestmark = pytest.mark.django_db

THU_13_AUG = datetime.date(2026, 8, 13)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def test_verification_is_due_in_3_working_days_over_a_weekend_and_a_holiday(people):
    complaint = file(people["warga"], today=THU_13_AUG).complaint
    # Fri 14 (1), weekend, Mon 17 Independence Day, Tue 18 (2), Wed 19 (3).
    assert complaint.due_date == d(8, 19)


def test_asking_for_information_pauses_the_verification_clock(people):
    coordinator = people["koordinator.lapor"]
    complaint = file(people["warga"], today=THU_13_AUG).complaint
    complaint = services.complaint_request_information(
        complaint=complaint, actor=coordinator, message="Di loket mana?", today=d(8, 14)
    )
    assert complaint.is_paused and complaint.status == ComplaintStatus.NEEDS_INFO
    # The complainant answers on Wednesday 19: two working days waited (Tue 18, Wed 19).
    services.complaint_message_post(
        complaint=complaint,
        actor=people["warga"],
        body="Loket 3.",
        sender=Sender.COMPLAINANT,
        today=d(8, 19),
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and not complaint.is_paused
    assert complaint.paused_working_days == 2
    # 3 + 2 working days after Thu 13: Fri 14, Tue 18, Wed 19, Thu 20, Fri 21.
    assert complaint.due_date == d(8, 21)


def test_the_follow_up_is_due_in_5_of_the_agency_s_working_days(people):
    complaint = file(people["warga"], today=THU_13_AUG).complaint
    complaint = services.complaint_route(
        complaint=complaint, actor=people["koordinator.lapor"], agency=agency(), today=d(8, 21)
    )
    # Mon 24 (1), Tue 25 holiday, Wed 26 (2), Thu 27 (3), Fri 28 (4), Mon 31 (5).
    assert complaint.due_date == d(8, 31)
    assert complaint.status == ComplaintStatus.ROUTED


def test_an_agency_closure_moves_only_that_agency_s_deadline(people):
    NonWorkingDay.objects.create(
        date=d(8, 24), kind=NonWorkingDayKind.CLOSURE, name="Tutup", agency=agency()
    )
    coordinator = people["koordinator.lapor"]
    closed = services.complaint_route(
        complaint=file(people["warga"], today=THU_13_AUG).complaint,
        actor=coordinator,
        agency=agency(),
        today=d(8, 21),
    )
    other = services.complaint_route(
        complaint=file(people["warga"], today=THU_13_AUG).complaint,
        actor=coordinator,
        agency=agency("dpmptsp-surabaya"),
        today=d(8, 21),
    )
    assert closed.due_date == d(9, 1)
    assert other.due_date == d(8, 31)


def test_it_closes_10_working_days_after_the_follow_up_and_an_answer_restarts_the_wait(people):
    complaint = services.complaint_route(
        complaint=file(people["warga"], today=THU_13_AUG).complaint,
        actor=people["koordinator.lapor"],
        agency=agency(),
        today=d(8, 21),
    )
    services.complaint_follow_up(
        complaint=complaint,
        actor=people["petugas.dukcapil"],
        body="Akta sudah terbit.",
        today=d(8, 31),
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FOLLOWED_UP
    # Sep 1, 2, 3, 4, 7, 8, 9, 10, 11, 14.
    assert complaint.due_date == d(9, 14)
    services.complaint_message_post(
        complaint=complaint,
        actor=people["warga"],
        body="Belum saya terima.",
        sender=Sender.COMPLAINANT,
        today=d(9, 10),
    )
    complaint.refresh_from_db()
    # Ten working days after Thursday 10 September.
    assert complaint.due_date == d(9, 24)
    # The agency answering restarts it too; an internal note does not.
    services.complaint_message_post(
        complaint=complaint,
        actor=people["petugas.dukcapil"],
        body="Catatan untuk koordinator.",
        sender=Sender.AGENCY,
        internal=True,
        today=d(9, 15),
    )
    complaint.refresh_from_db()
    assert complaint.due_date == d(9, 24)
    services.complaint_message_post(
        complaint=complaint,
        actor=people["petugas.dukcapil"],
        body="Silakan ambil di loket 2.",
        sender=Sender.AGENCY,
        today=d(9, 15),
    )
    complaint.refresh_from_db()
    assert complaint.due_date == d(9, 29)


def test_the_numbers_of_days_are_settings(people, settings):
    settings.SATUPINTU_COMPLAINT_VERIFY_DAYS = 1
    complaint = file(people["warga"], today=THU_13_AUG).complaint
    assert complaint.due_date == d(8, 14)
