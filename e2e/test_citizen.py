"""The citizen journey, end to end through the pages: find a service, apply, upload, save a
draft and come back to it, send it; the agency asks for more and the citizen answers; the
agency approves and the citizen downloads the outcome document, checks it on the public
verification page and answers the satisfaction survey (IKM).

The same application is then made with the keyboard alone (every control reached with Tab,
its focus visible), and the journey's pages are read at 200% zoom.

The service is BPJS Kesehatan's change of primary care facility (pindah FKTP): its form
has a question that depends on another answer and a file to upload, and its workflow asks
the applicant for more before the officer approves and issues the document.
"""

from __future__ import annotations

import base64
import re
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework import ZOOMED, look_zoomed

SEARCH = "pindah faskes"
SERVICE = "Pindah Fasilitas Kesehatan Tingkat Pertama (FKTP)"
SERVICE_CODE = "bpjs-kesehatan-surabaya.pindah-faskes"
OFFICER = "petugas.bpjs"
CARD_NUMBER = "0001234567890"
REQUEST = "Mohon unggah surat keterangan pindah dari kelurahan."
# Reloads of the inbox (about a second each) while the worker sends the survey's invitation:
# enough for a busy machine.
WORKER_ATTEMPTS = 60


# Files --------------------------------------------------------------------------------------


def make_pdf(folder: Path, name: str, text: str) -> Path:
    """A small, valid one-page PDF that says ``text``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = folder / name
    canvas = Canvas(str(path), pagesize=A4)
    canvas.drawString(72, 760, text)
    canvas.showPage()
    canvas.save()
    return path


_STREAM = re.compile(
    rb"<<(?P<dict>(?:(?!>>\s*stream).)*?)>>\s*stream\r?\n(?P<data>.*?)endstream", re.S
)


def pdf_text(data: bytes) -> str:
    """The readable text of a PDF: its metadata and its content streams, decoded (ASCII85
    and Flate, as reportlab writes them), so that a test can look for a word in it."""
    parts = [data.decode("latin-1")]
    for match in _STREAM.finditer(data):
        stream, filters = match["data"].rstrip(b"\r\n"), match["dict"]
        try:
            if b"ASCII85Decode" in filters:
                stream = base64.a85decode(stream.strip(), adobe=stream.strip().startswith(b"<~"))
            if b"FlateDecode" in filters:
                stream = zlib.decompress(stream)
        except (ValueError, zlib.error):
            continue
        parts.append(stream.decode("latin-1"))
    return "\n".join(parts)


# Steps --------------------------------------------------------------------------------------


def search_and_open_service(journey, page) -> None:
    page.goto(journey.url())
    journey.look(page, "home")
    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill(SEARCH)
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(SEARCH)
    journey.look(page, "search-results")
    page.get_by_role("link", name=SERVICE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE)
    journey.look(page, "service")


def fill_form(page, *, card_number: str) -> None:
    page.get_by_label("Nomor kartu JKN").fill(card_number)
    page.get_by_label("FKTP saat ini", exact=True).fill("Puskesmas Tambakrejo")
    page.get_by_label("FKTP tujuan", exact=True).fill("Puskesmas Mulyorejo")
    page.get_by_label("Kecamatan FKTP tujuan").fill("Mulyorejo")
    page.get_by_role("radio", name="Pindah tempat tinggal").check()


def check_error_summary(page, fields: dict[str, str]) -> None:
    """The GOV.UK error pattern: a summary announced at the top that links to each field in
    error (following the link focuses the field), and each field marked invalid and
    described by its message."""
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", name="Ada yang perlu diperbaiki")).to_be_visible()
    for field_id, label in fields.items():
        link = summary.locator(f'a[href="#{field_id}"]')
        expect(link).to_have_count(1)
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        described = (field.get_attribute("aria-describedby") or "").split()
        errors = [
            ident for ident in described if page.locator(f"#{ident}.field-error").count() == 1
        ]
        assert errors, f"{label}: aria-describedby {described} names no error message"
        expect(page.locator(f"#{errors[0]}")).not_to_be_empty()
        link.click()
        expect(field).to_be_focused()


def officer_finds_case(journey, page, tracking: str):
    """The officer's queue, narrowed to the service and to cases nobody has taken, and the
    row with the tracking number."""
    page.goto(journey.url("petugas/"))
    journey.look(page, "officer-queue")
    page.get_by_text("Saring menurut layanan, tenggat atau petugas").click()
    page.get_by_label("Layanan", exact=True).select_option(SERVICE_CODE)
    page.get_by_label("Petugas", exact=True).select_option("unassigned")
    page.get_by_role("button", name="Tampilkan berkas").click()
    row = page.get_by_role("row").filter(has_text=tracking)
    expect(row).to_have_count(1)
    journey.look(page, "officer-queue-filtered")
    row.get_by_role("link", name=SERVICE).click()
    expect(page.get_by_text(tracking).first).to_be_visible()


def officer_step(page, name: str, **inputs: str) -> None:
    step = page.locator("form.step").filter(has=page.get_by_role("heading", name=name))
    for label, value in inputs.items():
        step.get_by_label(label).fill(value)
    step.get_by_role("button", name=name).click()


# The journey --------------------------------------------------------------------------------


def test_citizen(journey, tmp_path):
    citizen = journey.actor("warga")
    search_and_open_service(journey, citizen)
    citizen.get_by_role("link", name="Ajukan secara daring").click()
    journey.look(citizen, "apply")
    citizen.get_by_role("button", name="Mulai sekarang").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(SERVICE)
    draft_id = citizen.url.rstrip("/").rsplit("/", 1)[1]
    journey.look(citizen, "form")

    # Sent with the card number missing: the errors are announced and lead to the fields.
    fill_form(citizen, card_number="")
    citizen.get_by_role("button", name="Periksa dan kirim").click()
    check_error_summary(
        citizen,
        {"id_card_number": "Nomor kartu JKN", "id_proof_file": "Bukti pindah domisili atau tugas"},
    )
    journey.look(citizen, "form-errors")

    # Complete it, attach the proof of the move, save it for later.
    proof = make_pdf(tmp_path, "bukti-pindah.pdf", "Surat keterangan domisili")
    citizen.get_by_label("Nomor kartu JKN").fill(CARD_NUMBER)
    citizen.get_by_label("Bukti pindah domisili atau tugas").set_input_files(proof)
    citizen.get_by_role("button", name="Simpan dan lanjutkan nanti").click()
    expect(citizen.get_by_role("status").filter(has_text="tersimpan")).to_be_visible()
    journey.look(citizen, "saved")

    # Leave, come back through My services and resume it.
    citizen.goto(journey.url())
    menu = citizen.get_by_role("navigation", name="Menu utama")
    menu.get_by_role("link", name="Layanan saya").click()
    drafts = citizen.get_by_role("region", name="Belum dikirim")
    drafts.locator(f'a[href*="{draft_id}"]').filter(has_text="Lanjutkan").click()
    expect(citizen.get_by_label("Nomor kartu JKN")).to_have_value(CARD_NUMBER)
    expect(citizen.get_by_role("link", name="bukti-pindah.pdf")).to_be_visible()
    journey.look(citizen, "resumed")

    citizen.get_by_role("button", name="Periksa dan kirim").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        "Periksa jawaban Anda sebelum mengirim"
    )
    journey.look(citizen, "review")
    citizen.get_by_role("button", name="Kirim permohonan").click()
    expect(citizen.get_by_role("heading", name="Permohonan terkirim")).to_be_visible()
    tracking = citizen.locator(".tracking [aria-hidden=true]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", tracking), tracking
    journey.look(citizen, "submitted")
    citizen.get_by_role("link", name="Pantau permohonan ini").click()
    case_url = citizen.url
    journey.look(citizen, "case")

    # The officer takes the case and asks for more.
    officer = journey.actor(OFFICER)
    officer_finds_case(journey, officer, tracking)
    journey.look(officer, "officer-case")
    officer.get_by_role("button", name="Ambil berkas ini").click()
    officer_step(officer, "Mulai pemeriksaan")
    officer_step(
        officer,
        "Minta kelengkapan",
        **{"Pesan untuk pemohon": REQUEST},
    )
    expect(officer.get_by_text("Menunggu kelengkapan dari peserta").first).to_be_visible()
    journey.look(officer, "officer-asked")

    # The citizen sees the request and answers it with a message and a file.
    citizen.goto(journey.url("layanan-saya/"))
    waiting = citizen.get_by_role("status").filter(has_text="Instansi memerlukan sesuatu dari Anda")
    expect(waiting.get_by_text(tracking)).to_be_visible()
    journey.look(citizen, "my-services-waiting")
    citizen.goto(case_url)
    expect(citizen.get_by_text(REQUEST).first).to_be_visible()
    journey.look(citizen, "case-request")
    letter = make_pdf(tmp_path, "surat-pindah.pdf", "Surat keterangan pindah")
    reply = citizen.locator("#balas")
    reply.get_by_label("Pesan Anda").fill("Surat keterangan pindah dari kelurahan terlampir.")
    reply.get_by_label("Lampirkan berkas (tidak wajib)").set_input_files(letter)
    reply.get_by_role("button", name="Kirim").click()
    expect(citizen.get_by_role("status").filter(has_text="telah dikirim")).to_be_visible()
    expect(citizen.get_by_role("link", name="surat-pindah.pdf")).to_be_visible()
    journey.look(citizen, "case-answered")

    # The officer approves: the case ends with its outcome document.
    officer.reload()
    expect(officer.get_by_role("link", name="surat-pindah.pdf").first).to_be_visible()
    officer_step(officer, "Setujui pindah FKTP", **{"Nomor dokumen": f"FKTP/{tracking}"})
    expect(officer.get_by_role("heading", name="Dokumen hasil")).to_be_visible()
    journey.look(officer, "officer-issued")

    # The citizen downloads the document: a PDF with the application's tracking number.
    citizen.goto(case_url)
    result = citizen.get_by_role("region", name="Hasil layanan Anda")
    expect(result).to_be_visible()
    journey.look(citizen, "case-result")
    with citizen.expect_download() as download_info:
        result.get_by_role("link", name="Unduh dokumen (PDF)").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF-"), data[:20]
    text = pdf_text(data)
    assert tracking in text, "The outcome document does not carry the tracking number"
    code = re.search(r"/verifikasi/([0-9A-Z]{9})/", text)
    assert code, "The outcome document has no verification address"

    # Anyone can check it with the code printed under its QR code.
    visitor = journey.actor()
    visitor.goto(journey.url("verifikasi/"))
    journey.look(visitor, "verify-form")
    spaced = " ".join(code[1][i : i + 4] for i in range(0, 9, 4))
    visitor.get_by_label("Kode verifikasi").fill(spaced.lower())
    visitor.get_by_label("Kode verifikasi").press("Enter")
    expect(visitor.get_by_text(f"FKTP/{tracking}")).to_be_visible()
    journey.look(visitor, "verify-result")

    # The survey invitation arrives in the inbox once the worker has sent it.
    citizen.goto(journey.url("kotak-masuk/"))
    invitation = citizen.get_by_role("link", name=f"Bagaimana pelayanannya? {SERVICE}")
    for _attempt in range(WORKER_ATTEMPTS):
        try:
            expect(invitation.first).to_be_visible(timeout=1_000)
            break
        except AssertionError:
            citizen.reload()
    expect(invitation.first).to_be_visible()
    journey.look(citizen, "inbox")
    invitation.first.click()
    expect(citizen.get_by_role("heading", name="Bagaimana pelayanannya?")).to_be_visible()
    journey.look(citizen, "survey")
    questions = citizen.locator("fieldset").filter(has=citizen.locator(".survey-question__number"))
    expect(questions).to_have_count(9)
    for index in range(9):
        questions.nth(index).get_by_role("radio").nth(3).check()
    citizen.get_by_label("Saran Anda (tidak wajib)").fill("Prosesnya cepat dan jelas.")
    citizen.get_by_role("button", name="Kirim jawaban saya").click()
    expect(citizen.get_by_role("heading", name="Terima kasih")).to_be_visible()
    journey.look(citizen, "survey-done")


# Keyboard only -------------------------------------------------------------------------------

# The look of a control that shows focus: its outline, its shadow, its background.
_STYLE_JS = """
el => { const s = getComputedStyle(el);
  return {outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
          outlined: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow, background: s.backgroundColor}; }
"""

# Remember how every control of a newly opened page looks without the focus.
_REMEMBER_JS = (
    """
() => {
  if (window.__unfocused) return;
  const style = """
    + _STYLE_JS
    + """;
  window.__unfocused = new WeakMap();
  for (const el of document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, [tabindex]')) {
    if (el !== document.activeElement) window.__unfocused.set(el, style(el));
  }
}
"""
)

# The focused control: what a person knows it by, and whether they can see that it has focus
# (its outline, shadow or background differs from its look without focus) on the screen.
_FOCUSED_JS = (
    """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = """
    + _STYLE_JS
    + """;
  const text = t => (t || '').replace(/\\s+/g, ' ').trim();
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  const now = style(el), before = window.__unfocused && window.__unfocused.get(el);
  const shows = before
    ? (now.outlined && now.outline !== before.outline) || now.shadow !== before.shadow
      || now.background !== before.background
    : now.outlined || now.shadow !== 'none';
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < innerHeight && box.left < innerWidth;
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id,
    name: text(el.getAttribute('aria-label') || label || el.textContent || el.value),
    href: el.getAttribute('href') || '', checked: !!el.checked,
    visible: shows && onScreen, onScreen,
  };
}
"""
)


def _describe(focused: dict) -> str:
    kind = f"{focused['tag']}[type={focused['type']}]" if focused["type"] else focused["tag"]
    return f"{kind} “{focused['name'][:60]}”" + (f" #{focused['id']}" if focused["id"] else "")


def focused(page) -> dict | None:
    """The control that has the focus, checked to show it."""
    page.evaluate(_REMEMBER_JS)
    return page.evaluate(_FOCUSED_JS)


def tab_to(journey, page, wanted, *, limit: int = 60) -> dict:
    """Press Tab until the focus reaches the control ``wanted`` (its name, or a test of the
    focused control's description); every control passed on the way must show its focus."""
    page.evaluate(_REMEMBER_JS)
    test = wanted if callable(wanted) else (lambda control: control["name"] == wanted)
    path = []
    for _step in range(limit):
        page.keyboard.press("Tab")
        control = focused(page)
        if control is None:
            continue
        path.append(_describe(control))
        if not control["visible"]:
            problem = f"{page.url}: no visible focus on {_describe(control)}"
            if problem not in journey.problems:
                journey.problems.append(problem)
        if test(control):
            return control
    raise AssertionError(f"Tab never reached {wanted!r} on {page.url}; passed: {path}")


def skip_to_main(page) -> None:
    """The first Tab of a page reaches the skip link; following it puts the focus on the
    main content, so the next Tab is the page's first control. (A form sent from a page
    opened at #main leads to a page opened there too: it starts in the main content.)"""
    if page.evaluate("document.activeElement.id") == "main":
        return
    page.keyboard.press("Tab")
    control = focused(page)
    assert control and control["name"] == "Langsung ke konten utama", control
    assert control["visible"], "The skip link does not show when it has the focus"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def follow(page, key: str = "Enter") -> None:
    """Press ``key`` on a link or a button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(journey, page, label: str, text: str) -> None:
    tab_to(journey, page, label)
    page.keyboard.type(text)


def test_citizen_keyboard(journey, tmp_path):
    """The citizen's part of the journey with the keyboard alone: Tab, Shift+Tab, Enter,
    Space, the arrow keys of a radio group and typing, never a click."""
    page = journey.actor("warga2")
    page.goto(journey.url())
    skip_to_main(page)
    tab_to(journey, page, lambda c: c["tag"] == "input" and c["type"] == "search")
    page.keyboard.type(SEARCH)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(SEARCH)
    journey.look(page, "search-results", axe=False)

    skip_to_main(page)
    tab_to(journey, page, SERVICE)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE)
    skip_to_main(page)
    tab_to(journey, page, "Ajukan secara daring")
    follow(page)
    skip_to_main(page)
    tab_to(journey, page, "Mulai sekarang")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE)
    draft_id = page.url.rstrip("/").rsplit("/", 1)[1]
    journey.look(page, "form", axe=False)

    # Sent empty: the focus lands on the error summary; its first link leads to the field.
    skip_to_main(page)
    tab_to(journey, page, "Periksa dan kirim")
    follow(page)
    expect(page.locator(".error-summary")).to_be_focused()
    journey.look(page, "form-errors", axe=False)
    first = tab_to(journey, page, lambda c: c["tag"] == "a")
    assert first["href"] == "#id_card_number", first
    page.keyboard.press("Enter")
    expect(page.get_by_label("Nomor kartu JKN")).to_be_focused()
    page.keyboard.type(CARD_NUMBER)
    type_into(journey, page, "FKTP saat ini", "Puskesmas Pacar Keling")
    type_into(journey, page, "FKTP tujuan", "Puskesmas Mulyorejo")
    type_into(journey, page, "Kecamatan FKTP tujuan", "Mulyorejo")
    tab_to(journey, page, lambda c: c["type"] == "radio")
    page.keyboard.press("ArrowDown")
    moved = focused(page)
    assert moved["name"] == "Pindah tempat tinggal" and moved["checked"], moved
    # The file to upload is asked for once the questions are updated for this answer.
    tab_to(journey, page, "Perbarui pertanyaan")
    follow(page)
    skip_to_main(page)
    tab_to(journey, page, "Bukti pindah domisili atau tugas")
    journey.look(page, "file-focused", axe=False)
    # The file chooser is the operating system's: the file is handed to the focused input.
    proof = make_pdf(tmp_path, "bukti-domisili.pdf", "Surat keterangan domisili")
    page.locator("input[type=file]:focus").set_input_files(proof)
    tab_to(journey, page, "Simpan dan lanjutkan nanti")
    follow(page)
    expect(page.get_by_role("status").filter(has_text="tersimpan")).to_be_visible()

    # Back later from the home page, through My services.
    page.goto(journey.url())
    tab_to(journey, page, "Layanan saya")
    follow(page)
    skip_to_main(page)
    tab_to(journey, page, lambda c: draft_id in c["href"] and c["name"].startswith("Lanjutkan"))
    follow(page)
    expect(page.get_by_label("Nomor kartu JKN")).to_have_value(CARD_NUMBER)
    expect(page.get_by_role("link", name="bukti-domisili.pdf")).to_be_visible()
    journey.look(page, "resumed", axe=False)
    # Shift+Tab goes back the way it came.
    tab_to(journey, page, "Periksa dan kirim", limit=120)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Periksa dan kirim"
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Periksa jawaban Anda sebelum mengirim"
    )
    skip_to_main(page)
    tab_to(journey, page, "Kirim permohonan", limit=120)
    follow(page)
    expect(page.get_by_role("heading", name="Permohonan terkirim")).to_be_visible()
    journey.look(page, "submitted", axe=False)


# 200% zoom -------------------------------------------------------------------------------------


def test_citizen_zoom(journey):
    """The journey's pages at 200% zoom of a desktop screen (WCAG 1.4.4 and 1.4.10): the
    text reflows into one column; nothing needs sideways scrolling or is cut off."""
    if journey.phone:
        pytest.skip("200% zoom is a desktop screen's: the phone size is checked by the journey")
    citizen = journey.actor("warga", screen=ZOOMED)
    citizen.goto(journey.url())
    look_zoomed(journey, citizen, "home")
    citizen.goto(journey.url(f"layanan/?q={SEARCH.replace(' ', '+')}"))
    look_zoomed(journey, citizen, "search-results")
    citizen.get_by_role("link", name=SERVICE, exact=True).click()
    look_zoomed(journey, citizen, "service")
    citizen.get_by_role("link", name="Ajukan secara daring").click()
    look_zoomed(journey, citizen, "apply")
    citizen.get_by_role("button", name="Mulai sekarang").click()
    citizen.get_by_role("button", name="Periksa dan kirim").click()
    expect(citizen.locator(".error-summary")).to_be_visible()
    look_zoomed(journey, citizen, "form-errors")
    citizen.get_by_role("link", name="Hapus permohonan ini").click()
    look_zoomed(journey, citizen, "delete-draft")
    citizen.get_by_role("button", name="Ya, hapus").click()
    look_zoomed(journey, citizen, "my-services")
    # The demo's birth certificate that was issued: its case page and its verification.
    citizen.get_by_role("listitem").filter(has_text="Akta terbit").get_by_role(
        "link", name="Penerbitan Akta Kelahiran"
    ).first.click()
    expect(citizen.get_by_role("region", name="Hasil layanan Anda")).to_be_visible()
    look_zoomed(journey, citizen, "case-result")
    citizen.get_by_role("link", name="periksa dokumen ini").click()
    look_zoomed(journey, citizen, "verify-result")
    citizen.goto(journey.url("kotak-masuk/"))
    look_zoomed(journey, citizen, "inbox")

    officer = journey.actor("petugas.dukcapil", screen=ZOOMED)
    officer.goto(journey.url("petugas/"))
    look_zoomed(journey, officer, "officer-queue")
    officer.get_by_role("row").nth(1).get_by_role("link").first.click()
    look_zoomed(journey, officer, "officer-case")
