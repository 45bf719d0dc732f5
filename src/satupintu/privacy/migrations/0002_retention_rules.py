"""The default retention rules, one per kind of record. Platform administrators change them
in the admin to the agency's records retention schedule (JRA); this migration only adds the
rules that are missing."""

from django.db import migrations

YEAR = 365

RULES = [
    {
        "kind": "account",
        "period_days": None,
        "action": "anonymise",
        "kept_on_request": False,
        "legal_basis_id": (
            "UU PDP 27/2022 pasal 8 dan pasal 16 ayat (2): data pribadi dihapus atas permintaan "
            "subjek data. Nama, alamat e-mail, telepon dan alamat langsung dianonimkan dan akun "
            "tidak dapat dipakai masuk lagi. Identitas pada profil (NIK, nama, tanggal lahir) "
            "tetap disimpan selama permohonan dan perkaranya disimpan, lalu dihapus."
        ),
        "legal_basis_en": (
            "UU PDP 27/2022 arts. 8 and 16(2): personal data are erased at the person's request. "
            "Name, e-mail address, phone and address are anonymised at once and the account can "
            "no longer sign in. The identity in the profile (NIK, name, date of birth) stays as "
            "long as the person's applications and cases are kept, then it is deleted."
        ),
    },
    {
        "kind": "drafts",
        "period_days": 180,
        "action": "delete",
        "kept_on_request": False,
        "legal_basis_id": (
            "Permohonan yang tidak pernah dikirim tidak wajib disimpan: dihapus atas permintaan "
            "atau 180 hari setelah terakhir diubah (UU PDP pasal 16 ayat (2): data dihapus bila "
            "masa retensinya berakhir)."
        ),
        "legal_basis_en": (
            "Nothing requires keeping an application that was never sent: deleted on request, "
            "or 180 days after its last change (UU PDP art. 16(2): data are erased when their "
            "retention period ends)."
        ),
    },
    {
        "kind": "cases",
        "period_days": 5 * YEAR,
        "action": "anonymise",
        "kept_on_request": True,
        "legal_basis_id": (
            "Arsip penyelenggaraan pelayanan publik (UU 25/2009 tentang Pelayanan Publik; "
            "UU 43/2009 tentang Kearsipan dan jadwal retensi arsip instansi): disimpan 5 tahun "
            "setelah perkara terakhir ditutup, lalu dianonimkan. UU PDP pasal 15 mengecualikan "
            "data yang wajib disimpan untuk penyelenggaraan negara."
        ),
        "legal_basis_en": (
            "Public-service archive (UU 25/2009 on Public Services; UU 43/2009 on Archives and "
            "the agency's records retention schedule): kept for 5 years after the last case "
            "closes, then anonymised. UU PDP art. 15 exempts what state administration must "
            "keep."
        ),
    },
    {
        "kind": "complaints",
        "period_days": 5 * YEAR,
        "action": "anonymise",
        "kept_on_request": True,
        "legal_basis_id": (
            "Pengelolaan pengaduan pelayanan publik (Perpres 76/2013; UU 25/2009): disimpan "
            "5 tahun setelah ditutup, lalu identitas pelapor dihapus; isi pengaduan tetap untuk "
            "statistik pelayanan."
        ),
        "legal_basis_en": (
            "Handling of public-service complaints (Perpres 76/2013; UU 25/2009): kept for "
            "5 years after closing, then who filed it is removed; the text stays for the "
            "figures of public services."
        ),
    },
    {
        "kind": "notifications",
        "period_days": YEAR,
        "action": "delete",
        "kept_on_request": False,
        "legal_basis_id": (
            "Salinan kabar tentang permohonan, yang catatannya ada pada permohonan itu sendiri: "
            "dihapus atas permintaan atau setelah 1 tahun."
        ),
        "legal_basis_en": (
            "Copies of news about applications, whose record is the application itself: "
            "deleted on request, or after 1 year."
        ),
    },
    {
        "kind": "suggestions",
        "period_days": YEAR,
        "action": "delete",
        "kept_on_request": False,
        "legal_basis_id": (
            "Saran layanan adalah kemudahan, bukan kewajiban: dihapus atas permintaan atau "
            "setelah 1 tahun."
        ),
        "legal_basis_en": (
            "Suggested services are a convenience, not a duty: deleted on request, or after "
            "1 year."
        ),
    },
    {
        "kind": "consents",
        "period_days": 5 * YEAR,
        "action": "delete",
        "kept_on_request": True,
        "legal_basis_id": (
            "Pengendali wajib dapat menunjukkan bukti persetujuan (UU PDP pasal 24): persetujuan "
            "yang ditarik atau ditolak disimpan 5 tahun, lalu dihapus. Atas permintaan "
            "penghapusan, persetujuan yang masih berlaku langsung ditarik."
        ),
        "legal_basis_en": (
            "The controller must be able to show the consent it relied on (UU PDP art. 24): "
            "withdrawn and declined consents are kept for 5 years, then deleted. On a deletion "
            "request, consents still in force are withdrawn at once."
        ),
    },
    {
        "kind": "learning",
        "period_days": None,
        "action": "keep",
        "kept_on_request": True,
        "legal_basis_id": (
            "Bagian dari catatan kepegawaian ASN (UU 20/2023 tentang ASN; PP 11/2017 tentang "
            "Manajemen PNS: pengembangan kompetensi). Sertifikat harus tetap dapat diverifikasi. "
            "Bagian kepegawaian instansi memutuskan pengelolaan selanjutnya."
        ),
        "legal_basis_en": (
            "Part of the civil servant's personnel record (UU 20/2023 on the Civil Service; "
            "PP 11/2017 on Civil Servant Management: competency development). Certificates must "
            "stay verifiable. The agency's HR decides anything further."
        ),
    },
    {
        "kind": "audit",
        "period_days": None,
        "action": "keep",
        "kept_on_request": True,
        "legal_basis_id": (
            "Catatan seluruh kegiatan pemrosesan yang wajib disimpan pengendali (UU PDP pasal 31) "
            "dan bukti bahwa permintaan subjek data dijawab; juga riwayat pemrosesan yang dapat "
            "dilihat orang itu sendiri (pasal 7). Tidak diubah dan tidak dihapus."
        ),
        "legal_basis_en": (
            "The record of all processing that the controller must keep (UU PDP art. 31) and the "
            "proof that requests were answered; also the history of processing the person can "
            "read (art. 7). Never changed or deleted."
        ),
    },
]


def add_rules(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in RULES:
        RetentionRule.objects.get_or_create(kind=rule["kind"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
