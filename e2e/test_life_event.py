"""The birth of a child, end to end: one application for every service the birth needs.

A mother reports the birth once. She lets the site fill in what the population registry
knows, answers the rest, uploads the birth statement and the marriage book, and sends it; the
application's page then shows one case per service, the family card waiting for the birth
certificate. An officer of the civil registry finds the birth certificate case by its
tracking number, takes it and works it to the end; the supervisor signs and issues the
certificate. The family card case then starts on its own (a task of the worker), which the
mother sees on the same page.
"""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import expect

from casework import choose, pdf_file, png_file, reload_until, step_form, tracking_number


def test_life_event(journey):
    mother = journey.actor("warga")
    born = datetime.date.today() - datetime.timedelta(days=2)
    child = "Bagus Adi Prasetyo"

    # The life event's page, and the start: consent to read the registries.
    mother.goto(journey.url("peristiwa/kelahiran/"))
    expect(mother.get_by_role("heading", level=1)).to_have_text("Kelahiran anak")
    journey.look(mother, "life-event")
    mother.get_by_role("link", name="Mulai: satu permohonan untuk semuanya").click()
    expect(mother.get_by_role("heading", level=1)).to_have_text("Kelahiran anak")
    journey.look(mother, "consent")
    # Starting without answering the consent question is refused; the error leads to it.
    mother.get_by_role("button", name="Mulai sekarang").click()
    mother.get_by_role("alert").get_by_role("link").click()
    expect(mother.get_by_label("Ya, isikan data saya untuk tujuan ini")).to_be_focused()
    journey.look(mother, "consent-error")
    mother.get_by_label("Ya, isikan data saya untuk tujuan ini").check()
    mother.get_by_role("button", name="Mulai sekarang").click()

    # The questions, with what the family card says already filled in.
    known = mother.get_by_role("region", name="Terisi dari data yang sudah diketahui")
    expect(known).to_contain_text("3578050302150007")
    expect(known).to_contain_text("Siti Rahayu")
    expect(mother.get_by_label("Nama ibu")).to_have_value("Siti Rahayu")
    expect(mother.get_by_label("Nomor KK orang tua")).to_have_value("3578050302150007")
    expect(mother.get_by_label("NIK ibu")).to_have_value("3578056503920001")
    journey.look(mother, "questions-prefilled")

    mother.get_by_label("Nama lengkap anak").fill(child)
    choose(mother, "Jenis kelamin anak", "Laki-laki")
    mother.get_by_label("Tanggal lahir").fill(born.isoformat())
    mother.get_by_label("Kota/kabupaten tempat lahir").fill("Kota Surabaya")
    mother.get_by_label("Tempat bersalin").fill("RSUD dr. Soetomo")
    mother.get_by_label("Berat lahir (gram)").fill("3100")
    choose(mother, "Status perkawinan orang tua", "Menikah dan tercatat")
    choose(mother, "Apakah ada surat keterangan lahir dari fasilitas kesehatan?", "Ya")
    mother.get_by_label("Puskesmas dekat rumah").fill("Puskesmas Kedungdoro")
    choose(mother, "Bayi sudah mendapat imunisasi Hepatitis B (HB-0) di tempat bersalin?", "Ya")
    choose(mother, "Sudah menerima Buku KIA dari tempat bersalin?", "Ya")
    choose(mother, "Buatkan Kartu Identitas Anak (KIA) sekalian", "Ya")
    choose(mother, "Daftarkan bayi ke BPJS Kesehatan", "Tidak")
    # The answers decide which documents are needed: ask for the questions that now apply.
    mother.get_by_role("button", name="Perbarui pertanyaan").last.click()

    mother.get_by_label("Buku nikah/akta perkawinan orang tua").set_input_files(
        pdf_file("buku-nikah.pdf")
    )
    mother.get_by_label("Surat keterangan lahir").set_input_files(png_file("surat-lahir.png"))
    choose(mother, "Tempat pengambilan KIA", "Kantor kecamatan domisili")
    journey.look(mother, "questions-answered")
    mother.get_by_role("button", name="Periksa dan kirim").click()

    # The last check: every answer, the documents, and what the answers start.
    expect(mother.get_by_role("heading", level=1)).to_have_text(
        "Periksa jawaban Anda sebelum mengirim"
    )
    expect(mother.get_by_text("buku-nikah.pdf")).to_be_visible()
    expect(mother.get_by_text("surat-lahir.png")).to_be_visible()
    plan = mother.get_by_role("region", name="Yang dimulai oleh jawaban Anda")
    expect(plan).to_contain_text("Penerbitan Akta Kelahiran")
    expect(plan).to_contain_text("Pendaftaran Peserta JKN")  # among those not included
    journey.look(mother, "review")
    mother.get_by_role("button", name="Kirim permohonan").click()

    # The application's page: one case per service, the family card waits for the birth
    # certificate, the child identity card for the family card.
    expect(mother.get_by_role("heading", level=1)).to_have_text("Permohonan terkirim")
    tracking = tracking_number(mother)
    bundle_url = mother.url
    certificate = case_panel(mother, "Penerbitan Akta Kelahiran")
    family_card = case_panel(mother, "Perubahan Kartu Keluarga")
    expect(certificate).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(case_panel(mother, "Pendaftaran Bayi Baru Lahir")).to_contain_text(
        "Dinas Kesehatan Kota Surabaya"
    )
    expect(family_card).to_contain_text("Menunggu “Penerbitan Akta Kelahiran”")
    expect(case_panel(mother, "Penerbitan Kartu Identitas Anak")).to_contain_text(
        "Menunggu “Perubahan Kartu Keluarga”"
    )
    expect(mother.get_by_role("region", name=re.compile("BPJS"))).to_have_count(0)
    journey.look(mother, "bundle-sent")

    # An officer of the civil registry finds the birth certificate case by its number.
    officer = journey.actor("petugas.dukcapil")
    officer.goto(journey.url("petugas/"))
    journey.look(officer, "queue")
    officer.get_by_label("Cari berkas dengan nomor permohonannya").fill(tracking.lower())
    officer.get_by_role("button", name="Cari").click()
    # Of the application's cases only this one is in the officer's unit: it opens at once.
    expect(officer.get_by_role("heading", level=1)).to_have_text("Penerbitan Akta Kelahiran")
    expect(officer.get_by_text(child).first).to_be_visible()
    journey.look(officer, "case-new")
    officer.get_by_role("button", name="Ambil berkas ini").click()
    expect(officer.get_by_text("Anda telah mengambil berkas ini")).to_be_visible()
    journey.look(officer, "case-claimed")
    officer.get_by_role("button", name="Mulai verifikasi").click()
    expect(officer.get_by_text("Selesai. Status berkas sekarang")).to_be_visible()
    journey.look(officer, "case-checking")
    step = step_form(officer, "Entri SIAK selesai, ajukan TTE")
    step.get_by_label("Catatan internal").fill("Data sesuai SIAK; berkas lengkap.")
    step.get_by_role("button").click()
    expect(officer.get_by_text("Menunggu tanda tangan elektronik").first).to_be_visible()
    journey.look(officer, "case-awaiting-signature")

    # The supervisor signs and issues the certificate.
    supervisor = journey.actor("penyelia.dukcapil")
    supervisor.goto(officer.url)
    journey.look(supervisor, "case-to-sign")
    step = step_form(supervisor, "Tandatangani dan terbitkan akta")
    step.get_by_label("Nomor dokumen").fill("3578-LU-" + born.strftime("%d%m%Y") + "-0042")
    step.get_by_role("button").click()
    expect(supervisor.get_by_role("region", name="Dokumen hasil")).to_be_visible()
    journey.look(supervisor, "case-issued")

    # The family card case starts once the certificate is out (the worker's task).
    mother.goto(bundle_url)
    family_card = case_panel(mother, "Perubahan Kartu Keluarga")
    reload_until(mother, family_card.get_by_text("Diajukan", exact=True))
    expect(case_panel(mother, "Penerbitan Akta Kelahiran")).to_contain_text("Akta terbit")
    expect(case_panel(mother, "Penerbitan Kartu Identitas Anak")).to_contain_text(
        "Menunggu “Perubahan Kartu Keluarga”"
    )
    journey.look(mother, "bundle-family-card-started")
    case_panel(mother, "Perubahan Kartu Keluarga").get_by_role("link").click()
    expect(mother.get_by_role("heading", level=1)).to_have_text("Perubahan Kartu Keluarga")
    journey.look(mother, "family-card-case")


def case_panel(page, service: str):
    """The panel of one case on the application's page, by the start of its service's name."""
    return page.get_by_role("region", name=re.compile("^" + re.escape(service)))
