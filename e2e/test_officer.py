"""An officer's day with one case, end to end: from the queue to the issued certificate.

A resident reports a death online. The civil registry's officer finds the new case in the
queue (a busy one, with filters and pages), takes it, starts checking and asks the resident
for a clearer document; the resident answers on the case's page with the file attached, which
gives the case back to the officer, who sends it for signature. The supervisor sees the
unit's workload, finds the case in the queue and signs and issues the certificate, which the
resident then finds on the case's page. Every page is looked at in each state of the case.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from casework import ZOOMED, choose, look_zoomed, pdf_file, png_file, step_form, tracking_number

DEATH = "Penerbitan Akta Kematian"
# Named as scanners name files: long, and without a space to wrap at on a phone.
SCAN = "pindaian_surat_keterangan_kematian_RSUD_dr_Soetomo_Surabaya_20261130_ulang.pdf"


def test_officer(journey):
    resident = journey.actor("warga2")
    tracking = report_a_death(journey, resident)
    case_url = resident.url

    # The queue: the registry's open cases by due date, more than one page of them.
    officer = journey.actor("petugas.dukcapil")
    officer.goto(journey.url("petugas/"))
    expect(officer.get_by_role("heading", level=1)).to_have_text("Antrean berkas")
    pages = officer.get_by_role("navigation", name="Halaman daftar berkas")
    expect(pages.get_by_role("link", name="Halaman berikutnya")).to_be_visible()
    journey.look(officer, "queue")
    pages.get_by_role("link", name="Halaman berikutnya").click()
    expect(officer.get_by_role("link", name="Halaman pertama")).to_be_visible()
    journey.look(officer, "queue-page-2")

    # The filters: death certificates that nobody has taken yet.
    officer.get_by_text("Saring menurut layanan, tenggat atau petugas").click()
    officer.get_by_label("Layanan", exact=True).select_option(label=DEATH)
    officer.get_by_label("Petugas", exact=True).select_option(label="Belum diambil")
    journey.look(officer, "queue-filters")
    officer.get_by_role("button", name="Tampilkan berkas").click()
    rows = officer.get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text=tracking)).to_have_count(1)
    for service in rows.locator("th[scope=row]").all_inner_texts():
        assert service == DEATH
    journey.look(officer, "queue-filtered")
    rows.filter(has_text=tracking).get_by_role("link", name=DEATH).click()

    # The case, new: nobody's yet.
    expect(officer.get_by_role("heading", level=1)).to_have_text(DEATH)
    expect(officer.get_by_text(tracking).first).to_be_visible()
    facts = officer.locator("dl.facts")
    expect(facts).to_contain_text("Belum diambil")
    journey.look(officer, "case-new")
    officer.get_by_role("button", name="Ambil berkas ini").click()
    expect(officer.get_by_text("Anda telah mengambil berkas ini")).to_be_visible()
    expect(facts).to_contain_text("Anda")
    journey.look(officer, "case-claimed")
    step_form(officer, "Mulai verifikasi").get_by_role("button").click()
    expect(facts).to_contain_text("Verifikasi data dan berkas")
    journey.look(officer, "case-checking")

    # Ask the resident for more: the clock stops until they answer. A request without a
    # message is refused, and the summary leads to the box to write it in.
    step_form(officer, "Minta kelengkapan").get_by_role("button").click()
    summary = officer.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(facts).to_contain_text("Verifikasi data dan berkas")
    journey.look(officer, "case-step-error")
    summary.get_by_role("link").first.click()
    ask = step_form(officer, "Minta kelengkapan")
    expect(ask.get_by_label("Pesan untuk pemohon")).to_be_focused()
    ask.get_by_label("Pesan untuk pemohon").fill(
        "Foto surat keterangan kematian kurang jelas. Mohon unggah ulang hasil pindaian."
    )
    ask.get_by_role("button").click()
    expect(facts).to_contain_text("Menunggu kelengkapan dari pelapor")
    expect(facts).to_contain_text("Dihentikan: menunggu pemohon")
    journey.look(officer, "case-waiting")

    # The resident sees the request on the case's page and answers it with the file.
    resident.goto(case_url)
    request = resident.locator(".notice", has_text="Instansi memerlukan sesuatu dari Anda")
    expect(request).to_contain_text("Foto surat keterangan kematian kurang jelas")
    journey.look(resident, "resident-asked")
    resident.get_by_label("Pesan Anda").fill("Berikut pindaian yang lebih jelas.")
    resident.get_by_label("Lampirkan berkas (tidak wajib)").set_input_files(pdf_file(SCAN))
    resident.get_by_role("button", name="Kirim", exact=True).click()
    expect(resident.get_by_text("Pesan Anda telah dikirim ke instansi.")).to_be_visible()
    expect(resident.locator("dl.facts")).to_contain_text("Verifikasi data dan berkas")
    journey.look(resident, "resident-answered")

    # Back with the officer: the answer and its file are there; send it for signature.
    officer.reload()
    thread = officer.get_by_role("region", name="Pesan dan catatan internal")
    expect(thread).to_contain_text("Berikut pindaian yang lebih jelas.")
    expect(thread.get_by_role("link", name=SCAN)).to_be_visible()
    expect(facts).to_contain_text("Verifikasi data dan berkas")
    journey.look(officer, "case-answered")
    step_form(officer, "Ajukan tanda tangan elektronik").get_by_role("button").click()
    expect(facts).to_contain_text("Menunggu tanda tangan elektronik")
    expect(officer.get_by_role("region", name="Langkah berikutnya")).to_have_count(0)
    journey.look(officer, "case-awaiting-signature")

    # The supervisor: the unit's workload, then the case from the queue, signed and issued.
    supervisor = journey.actor("penyelia.dukcapil")
    supervisor.goto(journey.url("petugas/"))
    supervisor.get_by_role("link", name="Beban kerja unit").click()
    people = supervisor.get_by_role("region", name="Berkas yang diproses per petugas")
    expect(people.get_by_role("row", name="Ahmad Fauzi")).to_be_visible()
    journey.look(supervisor, "workload")
    supervisor.get_by_role("navigation", name="Posisi Anda").get_by_role(
        "link", name="Antrean berkas"
    ).click()
    journey.look(supervisor, "supervisor-queue")
    supervisor.get_by_label("Cari berkas dengan nomor permohonannya").fill(tracking)
    supervisor.get_by_role("button", name="Cari").click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(DEATH)
    expect(supervisor.locator("dl.facts")).to_contain_text("Ahmad Fauzi")
    journey.look(supervisor, "case-to-sign")
    number = "3578-KM-" + datetime.date.today().strftime("%d%m%Y") + "-0107"
    issue = step_form(supervisor, "Tandatangani dan terbitkan akta")
    issue.get_by_label("Nomor dokumen").fill(number)
    issue.get_by_role("button").click()
    outcome = supervisor.get_by_role("region", name="Dokumen hasil layanan")
    expect(outcome).to_contain_text(number)
    expect(supervisor.locator("dl.facts")).to_contain_text("Akta kematian terbit")
    journey.look(supervisor, "case-issued")

    # The resident finds the certificate on the case's page.
    resident.goto(case_url)
    result = resident.get_by_role("region", name="Hasil layanan Anda")
    expect(result).to_contain_text(number)
    expect(result.get_by_role("link", name="Unduh dokumen (PDF)")).to_be_visible()
    journey.look(resident, "resident-result")


def report_a_death(journey, resident) -> str:
    """The resident applies for a death certificate through the service's pages; returns the
    tracking number, with the resident on the case's page."""
    resident.goto(journey.url("layanan/dukcapil-surabaya.akta-kematian/"))
    expect(resident.get_by_role("heading", level=1)).to_have_text(DEATH)
    journey.look(resident, "service")
    resident.get_by_role("link", name="Ajukan secara daring").first.click()
    journey.look(resident, "apply")
    resident.get_by_role("button", name="Mulai sekarang").click()

    died = datetime.date.today() - datetime.timedelta(days=1)
    resident.get_by_label("NIK almarhum/almarhumah").fill("3578100505450002")
    resident.get_by_label("Nama lengkap almarhum/almarhumah").fill("Slamet Santoso")
    resident.get_by_label("Nomor KK almarhum/almarhumah").fill("3578101203100004")
    resident.get_by_label("Tanggal meninggal").fill(died.isoformat())
    resident.get_by_label("Kota/kabupaten tempat meninggal").fill("Kota Surabaya")
    choose(resident, "Sebab kematian", "Sakit biasa/tua")
    choose(resident, "Hubungan pelapor dengan almarhum", "Anak")
    choose(
        resident,
        "Ada surat keterangan kematian dari dokter/rumah sakit atau kelurahan?",
        "Ya",
    )
    resident.get_by_role("button", name="Perbarui pertanyaan").last.click()
    resident.get_by_label("Surat keterangan kematian").set_input_files(
        png_file("surat-kematian.png")
    )
    journey.look(resident, "form")
    resident.get_by_role("button", name="Periksa dan kirim").click()
    expect(resident.get_by_text("surat-kematian.png")).to_be_visible()
    journey.look(resident, "review")
    resident.get_by_role("button", name="Kirim permohonan").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Permohonan terkirim")
    tracking = tracking_number(resident)
    journey.look(resident, "sent")
    resident.get_by_role("link", name="Pantau permohonan ini").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(DEATH)
    journey.look(resident, "resident-case")
    return tracking


def test_officer_zoom(journey):
    """The officers' dense pages at 200% zoom of a desktop screen: the queue's table becomes
    a list of cards, the case page one column; nothing needs sideways scrolling."""
    if journey.phone:
        pytest.skip("200% zoom is a desktop screen's; the phone size is the journey's own")
    supervisor = journey.actor("penyelia.dukcapil", screen=ZOOMED)
    supervisor.goto(journey.url("petugas/"))
    supervisor.get_by_text("Saring menurut layanan, tenggat atau petugas").click()
    look_zoomed(journey, supervisor, "queue")
    # Any case of the queue will do: it is only looked at.
    supervisor.get_by_role("table").get_by_role("link").first.click()
    expect(supervisor.get_by_role("heading", level=2, name="Pemohon")).to_be_visible()
    look_zoomed(journey, supervisor, "case")
    supervisor.goto(journey.url("petugas/beban-kerja/"))
    look_zoomed(journey, supervisor, "workload")
