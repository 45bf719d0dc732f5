"""The learner's journey through Learn: an employee of the civil registry finds the
self-paced course that closes their largest competency gap (outreach registration), enrols,
reads its lessons, fails its quiz once and passes it, completes the course, downloads the
certificate (a PDF whose verification code the public page confirms) and sees the lesson
hours of the year grow by the course's JP.

The learner is ``petugas.dukcapil``: the demo prepares their way (the course is suggested for
their gap, and they have not taken it yet). The answers come from the course's definition,
``definitions/courses/kependudukan.yaml`` (``layanan-jemput-bola``).
"""

from __future__ import annotations

import base64
import contextlib
import re
import zlib
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from casework import workspace

LEARNER = "petugas.dukcapil"
COURSE = "Layanan Jemput Bola Administrasi Kependudukan"
COURSE_JP = Decimal(4)
LESSONS = [
    "Siapa yang perlu dijemput",
    "Perlengkapan dan data di lapangan",
    "Melayani di rumah warga",
]
QUIZ = "Kuis layanan jemput bola"
# Each question of the quiz, its right answer and one wrong answer.
QUESTIONS = [
    (
        "Dari mana sebaiknya daftar sasaran jemput bola disusun?",
        "Dari data warga yang belum terlayani, bersama kelurahan dan mitra",
        "Dari siapa saja yang menelepon lebih dulu",
    ),
    (
        "Kapan perlengkapan perekaman sebaiknya diuji?",
        "Sehari sebelumnya di kantor",
        "Saat tiba di rumah warga",
    ),
    (
        "Keluarga warga lansia menawarkan uang terima kasih",
        "Menolak dengan sopan dan menjelaskan bahwa layanan gratis",
        "Menerima karena diberikan dengan ikhlas",
    ),
    (
        "Apa yang dilakukan dengan data hasil perekaman di lapangan?",
        "Disinkronkan pada hari yang sama dan hasil kunjungan dicatat",
        "Disimpan di laptop sampai akhir bulan",
    ),
]


def _jp_of_the_year(page) -> Decimal:
    """The learner's JP this year, as the progress panel of My learning says it."""
    panel = page.get_by_role("region", name=re.compile(r"Jam pelajaran tahun \d{4}"))
    expect(panel).to_be_visible()
    found = re.search(r"([\d.,]+) dari 20 JP", panel.inner_text())
    assert found, panel.inner_text()
    return Decimal(found.group(1).replace(".", "").replace(",", "."))


def _pdf_text(data: bytes) -> str:
    """The text drawn on a PDF's pages: its content streams, decoded (ReportLab writes them
    compressed, then in ASCII85). Enough for the standard fonts the certificate uses, whose
    text is stored as it is."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\s*endstream", data, re.S):
        if stream.endswith(b"~>"):
            stream = base64.a85decode(stream[:-2])
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        text.append(stream.decode("latin-1"))
    return "\n".join(text)


def _question(page, text: str):
    return page.get_by_role("group", name=re.compile(re.escape(text)))


def test_learner(journey):
    page = journey.actor(LEARNER)

    # My learning: the JP so far, and the way to the catalogue.
    workspace(page, "Pembelajaran Saya")
    expect(page.get_by_role("heading", level=1, name="Pembelajaran Saya")).to_be_visible()
    jp_before = _jp_of_the_year(page)
    journey.look(page, "my-learning")

    # Find the course.
    page.get_by_role("link", name="Cari pelatihan").click()
    expect(page.get_by_role("heading", level=1, name="Katalog pelatihan")).to_be_visible()
    journey.look(page, "catalogue")
    page.get_by_label("Apa yang ingin Anda pelajari?").fill("jemput bola")
    page.get_by_role("search").get_by_role("button", name="Cari", exact=True).click()
    journey.look(page, "search-results")
    page.get_by_role("link", name=COURSE).click()
    expect(page.get_by_role("heading", level=1, name=COURSE)).to_be_visible()
    journey.look(page, "course")

    # Enrol, and work through the lessons.
    page.get_by_role("button", name=re.compile(r"^Daftar\b")).click()
    expect(page.get_by_role("status").filter(has_text="Anda sudah terdaftar")).to_be_visible()
    journey.look(page, "enrolled")
    page.get_by_role("link", name="Mulai materi pertama").click()
    for number, title in enumerate(LESSONS, start=1):
        expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
        expect(page.get_by_text(f"materi {number} dari {len(LESSONS) + 1}")).to_be_visible()
        journey.look(page, f"lesson-{number}")
        page.get_by_role("button", name="Tandai selesai dan lanjutkan").click()

    # The quiz: a question left unanswered is pointed out, and the answers given are kept.
    expect(page.get_by_role("heading", level=1, name=QUIZ)).to_be_visible()
    journey.look(page, "quiz")
    for question, _right, wrong in QUESTIONS[:2]:
        _question(page, question).get_by_label(wrong, exact=True).check()
    _question(page, QUESTIONS[2][0]).get_by_label(QUESTIONS[2][1], exact=True).check()
    page.get_by_role("button", name="Kirim jawaban saya").click()
    summary = page.get_by_role("alert").filter(has_text="Ada yang perlu diperbaiki")
    expect(summary).to_be_visible()
    journey.look(page, "quiz-unanswered")
    summary.get_by_role("link", name=re.compile("Pertanyaan 4")).click()
    last = _question(page, QUESTIONS[3][0])
    expect(last.get_by_role("radio").first).to_be_focused()
    expect(last).to_contain_text("Pilih satu jawaban untuk pertanyaan ini.")
    expect(_question(page, QUESTIONS[0][0]).get_by_label(QUESTIONS[0][2])).to_be_checked()

    # Two wrong answers of four: 50%, below the pass mark of 70%. The result is announced.
    last.get_by_label(QUESTIONS[3][1], exact=True).check()
    page.get_by_role("button", name="Kirim jawaban saya").click()
    expect(page.get_by_role("alert").filter(has_text="Nilai Anda 50%")).to_be_visible()
    expect(page.get_by_text("Belum lulus: 50% (batas lulus 70%)")).to_be_visible()
    expect(page.get_by_text("Sisa kesempatan Anda: 2 kali.")).to_be_visible()
    journey.look(page, "quiz-not-passed")

    # Again, every answer right.
    page.get_by_role("link", name="Coba lagi").click()
    for question, right, _wrong in QUESTIONS:
        _question(page, question).get_by_label(right, exact=True).check()
    page.get_by_role("button", name="Kirim jawaban saya").click()
    expect(
        page.get_by_role("status").filter(has_text="Anda lulus dengan nilai 100%")
    ).to_be_visible()
    journey.look(page, "quiz-passed")

    # The course is completed, with a certificate.
    page.get_by_role("link", name="Semua materi").click()
    mine = page.get_by_role("region", name="Keikutsertaan Anda di pelatihan ini")
    expect(mine).to_contain_text("Selesai")
    expect(mine).to_contain_text(re.compile(r"Sertifikat SERT/\d{4}/\d{6}"))
    number = re.search(r"SERT/\d{4}/\d{6}", mine.inner_text()).group(0)
    journey.look(page, "course-completed")
    with page.expect_download() as download:
        mine.get_by_role("link", name="Unduh PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    assert download.value.suggested_filename.endswith(".pdf")
    drawn = _pdf_text(pdf)
    assert number in drawn
    code = re.search(r"/verifikasi/([A-Z0-9]{9})/", drawn)
    assert code, "the certificate names no verification address"

    # The JP of the year grew by the course's 4 JP.
    workspace(page, "Pembelajaran Saya")
    assert _jp_of_the_year(page) == jp_before + COURSE_JP
    done = page.get_by_role("region", name="Pelatihan yang telah diselesaikan")
    expect(done.get_by_role("link", name=COURSE)).to_be_visible()
    expect(done).to_contain_text(number)
    journey.look(page, "my-learning-after")

    # My certificates, and anyone's check of the code printed on the PDF.
    done.get_by_role("link", name="Semua sertifikat saya").click()
    certificate = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", level=2, name=COURSE)
    )
    expect(certificate).to_contain_text(number)
    journey.look(page, "certificates")
    visitor = journey.actor()
    visitor.goto(journey.url("verifikasi/"))
    journey.look(visitor, "verify-form")
    visitor.get_by_label("Kode verifikasi").fill(code.group(1).lower())
    visitor.get_by_role("button", name="Periksa dokumen").click()
    expect(
        visitor.get_by_role("heading", level=1, name="Sertifikat ini asli dan berlaku")
    ).to_be_visible()
    expect(visitor.get_by_role("main")).to_contain_text(COURSE)
    expect(visitor.get_by_role("main")).to_contain_text(number)
    journey.look(visitor, "verified")
