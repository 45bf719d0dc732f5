"""The demo's data protection: one open request from ``warga2`` (a house number typed wrong)
and one breach still to notify, so that the data protection officer's pages (``ppdp``) are not
empty. Loading twice changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from satupintu.privacy.constants import CorrectableField, DataKind, RequestKind
from satupintu.privacy.models import Breach, DataRequest
from satupintu.privacy.services import BreachFacts, breach_record, data_request_file


@transaction.atomic
def demo_privacy_load() -> None:
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["warga2", "ppdp"])
    }
    citizen, officer = users.get("warga2"), users.get("ppdp")
    if citizen is not None and not DataRequest.objects.filter(requester=citizen).exists():
        data_request_file(
            requester=citizen,
            kind=RequestKind.CORRECTION,
            field=CorrectableField.ADDRESS,
            proposed_value="Jl. Tambaksari Selatan No. 17",
            reason="Nomor rumah saya 17, bukan 7; lihat KTP.",
        )
    if officer is not None and not Breach.objects.exists():
        discovered = timezone.now() - datetime.timedelta(hours=20)
        breach_record(
            actor=officer,
            facts=BreachFacts(
                title="Ekspor pengaduan terkirim ke alamat e-mail yang salah",
                discovered_at=discovered,
                occurred_at=discovered - datetime.timedelta(hours=3),
                description=(
                    "Berkas ekspor pengaduan satu minggu (CSV) dikirim seorang petugas ke alamat "
                    "e-mail di luar instansi karena salah ketik. Penerima telah diminta menghapus "
                    "berkas dan menyatakan telah menghapusnya."
                ),
                data_kinds=[DataKind.IDENTITY, DataKind.CONTACT],
                people_affected=37,
                cause="Alamat penerima diketik manual; tidak ada pemeriksaan domain penerima.",
                measures=(
                    "Penerima dihubungi dan menghapus berkas; ekspor kini hanya dapat diunduh dari "
                    "halaman petugas, tidak dikirim lewat e-mail; petugas diberi pembinaan."
                ),
                contact="ppdp@satupintu.jatimprov.go.id",
            ),
        )
