"""Demo complaints, so that the coordinator and the agencies have something to handle the
first time they sign in: reports in every state, one of them overdue for routing (the sweep
escalates it to the other coordinators). Loading again changes nothing: each report is filed
with its own idempotency key, and a replay takes no further step."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from satupintu.cases.models import Case
from satupintu.catalog.models import Service
from satupintu.complaints import services
from satupintu.complaints.constants import ComplaintKind, RejectionReason, Sender
from satupintu.complaints.models import Complaint
from satupintu.core.calendar import WorkingCalendar
from satupintu.organisations.models import Agency

COORDINATOR = "koordinator.lapor"


def _backdate(complaint: Complaint, day: datetime.date, **fields: datetime.date) -> None:
    """Make a demo report look filed (and handled) on earlier days."""

    def at(value: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(9, 30)))

    Complaint.objects.filter(pk=complaint.pk).update(
        submitted_at=at(day), **{name: at(value) for name, value in fields.items()}
    )


@transaction.atomic
def demo_complaints_load(*, today: datetime.date | None = None) -> int:
    """File the demo reports once; returns how many reports exist."""
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=["warga", "warga2", COORDINATOR, "petugas.dukcapil", "petugas.dpmptsp"]
        )
    }
    if len(users) < 5:
        return 0  # the demo people are not there
    today = today or timezone.localdate()
    calendar = WorkingCalendar.for_agency(None)

    def back(days: int) -> datetime.date:
        return calendar.add_working_days(today, -days)

    coordinator = users[COORDINATOR]
    nobody = AnonymousUser()
    birth = Service.objects.filter(code="dukcapil-surabaya.akta-kelahiran").first()
    death = Service.objects.filter(code="dukcapil-surabaya.akta-kematian").first()
    dukcapil = Agency.objects.filter(code="dukcapil-surabaya").first()
    dpmptsp = Agency.objects.filter(code="dpmptsp-surabaya").first()
    if not (birth and death and dukcapil and dpmptsp):
        return 0

    def file(key: str, actor, day: datetime.date, **kwargs):
        return services.complaint_file(
            actor=actor, idempotency_key=f"demo-complaint-{key}", today=day, **kwargs
        )

    # 1. Filed five working days ago and never routed: overdue, escalated by the sweep.
    filed = file(
        "overdue-routing",
        users["warga"],
        back(5),
        kind=ComplaintKind.COMPLAINT,
        title="Akta kelahiran belum terbit setelah tiga minggu",
        body="Saya mengajukan akta kelahiran anak saya tiga minggu lalu dan belum ada kabar.",
        service=birth,
    )
    if not filed.replayed:
        _backdate(filed.complaint, back(5))

    # 2. Whistle-blowing without an account: anonymous and confidential, due soon.
    filed = file(
        "anonymous-whistleblowing",
        nobody,
        today,
        kind=ComplaintKind.WHISTLEBLOWING,
        title="Permintaan uang pelicin di loket perizinan",
        body="Seorang petugas loket meminta uang tambahan agar berkas cepat diproses.",
        agency=dpmptsp,
        anonymous=True,
        confidential=True,
    )

    # 3. Routed to Dukcapil two working days ago: waiting for its follow-up.
    filed = file(
        "routed",
        users["warga2"],
        back(3),
        kind=ComplaintKind.COMPLAINT,
        title="Antrean akta kematian terlalu lama",
        body="Saya menunggu lebih dari empat jam di loket akta kematian.",
        service=death,
    )
    if not filed.replayed:
        services.complaint_route(
            complaint=filed.complaint,
            actor=coordinator,
            agency=dukcapil,
            note="Mohon dicek jadwal loket pada hari tersebut.",
            today=back(2),
        )
        _backdate(filed.complaint, back(3), routed_at=back(2))

    # 4. About one of the citizen's own cases, anonymous: routed and followed up.
    case = Case.objects.filter(submission__applicant=users["warga"]).order_by("id").first()
    filed = file(
        "followed-up",
        users["warga"],
        back(6),
        kind=ComplaintKind.COMPLAINT,
        title="Persyaratan yang diminta berbeda dengan Standar Pelayanan",
        body="Petugas meminta fotokopi dokumen yang tidak tercantum dalam persyaratan.",
        case=case,
        service=None if case else birth,
        anonymous=True,
    )
    if not filed.replayed:
        services.complaint_route(
            complaint=filed.complaint, actor=coordinator, agency=dukcapil, today=back(5)
        )
        services.complaint_follow_up(
            complaint=filed.complaint,
            actor=users["petugas.dukcapil"],
            body="Terima kasih. Petugas telah diingatkan; persyaratan mengikuti Standar Pelayanan.",
            today=back(1),
        )
        _backdate(filed.complaint, back(6), routed_at=back(5), followed_up_at=back(1))

    # 5. An aspiration without an account, with a name: the coordinator asked for more.
    filed = file(
        "needs-information",
        nobody,
        back(1),
        kind=ComplaintKind.ASPIRATION,
        title="Usul layanan perizinan pada hari Sabtu",
        body="Mohon loket perizinan dibuka pada hari Sabtu untuk pelaku usaha kecil.",
        agency=dpmptsp,
        name="Rina Wulandari",
        email="rina.wulandari@contoh.id",
    )
    if not filed.replayed:
        services.complaint_request_information(
            complaint=filed.complaint,
            actor=coordinator,
            message="Di kantor mana usul ini berlaku? Mohon sebutkan alamatnya.",
            today=today,
        )
        _backdate(filed.complaint, back(1))

    # 6. A duplicate, rejected with the reason.
    filed = file(
        "rejected",
        users["warga2"],
        back(2),
        kind=ComplaintKind.INFORMATION,
        title="Jam buka loket akta kematian",
        body="Jam berapa loket akta kematian buka?",
        service=death,
    )
    if not filed.replayed:
        services.complaint_message_post(
            complaint=filed.complaint,
            actor=coordinator,
            body="Jam buka ada di halaman layanan, bagian Jangka Waktu dan Lokasi.",
            sender=Sender.COORDINATOR,
        )
        services.complaint_reject(
            complaint=filed.complaint,
            actor=coordinator,
            reason=RejectionReason.NOT_A_COMPLAINT,
            note="Informasi ini tersedia di halaman layanan; silakan lihat tautan di pesan kami.",
        )
        _backdate(filed.complaint, back(2))

    return Complaint.objects.count()
