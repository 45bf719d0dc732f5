"""The complaint journey (SP4N-LAPOR! flow): somebody without an account files an anonymous
complaint about a service and gets its report number and follow-up code; with both, in
another browser, they read its status on the follow page. The complaint coordinator
(``koordinator.lapor``) verifies it and routes it to the civil registry, whose officer
(``petugas.dukcapil``: officers of the unit a report is routed to, or of the agency when no
unit is chosen, answer it) posts the follow-up. The complainant opens the report again with
the number and code, reads the answer, is satisfied and closes it; the report shows closed,
to them and to the agency.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from casework import workspace

TITLE = "Akta kelahiran anak saya belum terbit"
BODY = (
    "Permohonan akta kelahiran anak saya sudah lewat tiga minggu, tetapi belum ada kabar. "
    "Mohon dicek."
)
SERVICE = "Penerbitan Akta Kelahiran"
AGENCY = "Dinas Kependudukan dan Pencatatan Sipil Kota Surabaya"
FOLLOW_UP = (
    "Akta kelahiran sudah kami terbitkan hari ini dan dapat diunduh di Layanan saya. Mohon "
    "maaf atas keterlambatannya: berkas sempat tertahan karena verifikasi ulang."
)
TRACKING = re.compile(r"ADU-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]")
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
# The complainant's button and the answer to it (Indonesian, or English where the
# translation is missing).
CLOSE = re.compile(r"^(Saya puas|I am satisfied)")
CLOSED = re.compile(r"Laporan Anda sudah ditutup|Your report is closed")


def _fact(page, term: str):
    """The value of a fact (``<dt>term</dt><dd>value</dd>``) of the page."""
    return (
        page.locator("dl.facts > div").filter(has=page.get_by_text(term, exact=True)).locator("dd")
    )


def _follow(journey, tracking: str, code: str, *, from_home: bool = True):
    """A browser without an account opens the report with its number and code, found from
    the home page or straight from the follow page's address."""
    page = journey.actor()
    if from_home:
        page.goto(journey.url())
        page.get_by_role("contentinfo").get_by_role("link", name="Sampaikan pengaduan").click()
        page.get_by_role("link", name="Ikuti laporan yang Anda kirim tanpa akun").click()
    else:
        page.goto(journey.url("pengaduan/lacak/"))
    expect(page.get_by_role("heading", level=1, name="Ikuti laporan")).to_be_visible()
    page.get_by_label("Nomor laporan").fill(tracking.lower())
    page.get_by_label("Kode akses").fill(code)
    page.get_by_role("button", name="Buka laporan").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    return page


def test_complaint(journey):
    # An anonymous complaint, without an account. A title left out is pointed out first.
    page = journey.actor()
    page.goto(journey.url())
    page.get_by_role("contentinfo").get_by_role("link", name="Sampaikan pengaduan").click()
    expect(page.get_by_role("heading", level=1, name="Sampaikan pengaduan")).to_be_visible()
    journey.look(page, "report-form")
    page.get_by_label("Pengaduan", exact=True).check()
    page.get_by_label("Tentang apa?").select_option(label=SERVICE)
    page.get_by_label("Apa yang terjadi?").fill(BODY)
    page.get_by_label("Anonim: sembunyikan identitas saya").check()
    page.get_by_role("button", name="Kirim laporan").click()
    summary = page.get_by_role("alert").filter(has_text="Ada yang perlu diperbaiki")
    expect(summary).to_be_visible()
    journey.look(page, "report-form-error")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Judul")).to_be_focused()
    expect(page.get_by_label("Apa yang terjadi?")).to_have_value(BODY)
    expect(page.get_by_label("Anonim: sembunyikan identitas saya")).to_be_checked()
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_role("button", name="Kirim laporan").click()

    # The report number and the follow-up code, shown once.
    expect(page.get_by_role("heading", level=1, name="Laporan terkirim")).to_be_visible()
    tracking = TRACKING.search(page.get_by_role("main").inner_text()).group(0)
    code_panel = page.get_by_role("region", name="Kode akses Anda")
    code = CODE.search(code_panel.inner_text()).group(0)
    journey.look(page, "report-sent")

    # Another browser opens it with both: it is being verified.
    follower = _follow(journey, tracking, code)
    expect(_fact(follower, "Status")).to_have_text("Sedang diverifikasi")
    journey.look(follower, "follow-received")

    # The coordinator verifies it and sends it to the civil registry.
    coordinator = journey.actor("koordinator.lapor")
    workspace(coordinator, "Antrean koordinator")
    row = coordinator.get_by_role("row").filter(has_text=tracking)
    expect(row).to_contain_text(TITLE)
    journey.look(coordinator, "coordinator-queue")
    row.get_by_role("link", name=TITLE).click()
    expect(coordinator.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(coordinator.get_by_role("region", name="Pelapor")).to_contain_text("Anonim")
    journey.look(coordinator, "coordinator-complaint")
    coordinator.get_by_label("Instansi yang bertanggung jawab").select_option(label=AGENCY)
    coordinator.get_by_label("Catatan untuk instansi (tidak wajib)").fill(
        "Mohon dicek status permohonannya."
    )
    coordinator.get_by_role("button", name="Teruskan ke instansi").click()
    expect(_fact(coordinator, "Status")).to_have_text("Di instansi")
    journey.look(coordinator, "coordinator-routed")

    # The civil registry's officer posts the follow-up.
    officer = journey.actor("petugas.dukcapil")
    workspace(officer, "Pengaduan ke instansi Anda")
    row = officer.get_by_role("row").filter(has_text=tracking)
    journey.look(officer, "agency-queue")
    row.get_by_role("link", name=TITLE).click()
    expect(officer.get_by_text("Mohon dicek status permohonannya.")).to_be_visible()
    journey.look(officer, "agency-complaint")
    officer.get_by_label("Tindak lanjut instansi").fill(FOLLOW_UP)
    officer.get_by_role("button", name="Kirim tindak lanjut").click()
    expect(_fact(officer, "Status")).to_have_text("Sudah ditindaklanjuti")
    journey.look(officer, "agency-followed-up")

    # The complainant opens it again with the number and code, and reads the answer.
    follower = _follow(journey, tracking, code, from_home=False)
    answer = follower.get_by_role("region", name="Tindak lanjut instansi")
    expect(answer).to_contain_text(FOLLOW_UP)
    expect(_fact(follower, "Status")).to_have_text("Sudah ditindaklanjuti")
    expect(_fact(follower, "Berikutnya")).to_contain_text("Ditutup pada")
    journey.look(follower, "follow-answered")

    # Satisfied, they close it: the report shows closed, and nobody can write on it.
    answer.get_by_role("button", name=CLOSE).click()
    expect(follower.get_by_role("status").filter(has_text=CLOSED)).to_be_visible()
    expect(_fact(follower, "Status")).to_have_text("Selesai")
    expect(follower.get_by_text("Laporan ini sudah ditutup.")).to_be_visible()
    expect(follower.get_by_role("button", name="Kirim")).to_have_count(0)
    journey.look(follower, "follow-closed")

    # The agency sees it closed too.
    officer.reload()
    expect(_fact(officer, "Status")).to_have_text("Selesai")
    expect(officer.get_by_role("button", name="Kirim tindak lanjut")).to_have_count(0)
    journey.look(officer, "agency-closed")
