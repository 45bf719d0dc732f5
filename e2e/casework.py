"""What the journeys through applications and cases share: small files to upload, the
tracking number of a confirmation page, answers to radio questions, and waiting for the
worker's tasks."""

from __future__ import annotations

import re
import struct
import time
import zlib

from playwright.sync_api import expect

# A one-page PDF, as a scanner would make it (the smallest the upload check accepts).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(width: int = 8, height: int = 8) -> bytes:
    """A small grey PNG: a photographed document, as far as the upload check can tell."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf_file(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def png_file(name: str) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": png()}


def tracking_number(page) -> str:
    """The tracking number on a confirmation page (spelt out for screen readers)."""
    text = page.locator(".tracking [aria-hidden=true]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", text), text
    return text


def choose(page, question: str, answer: str) -> None:
    """Pick ``answer`` of the radio group whose legend is ``question``."""
    page.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True).check()


def reload_until(page, locator, *, seconds: float = 30) -> None:
    """Reload ``page`` until ``locator`` shows: a task of the worker is on its way. Fails
    after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        page.reload()
        try:
            expect(locator).to_be_visible(timeout=1_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def step_form(page, name: str):
    """The form of one workflow step on the officer's case page, by the step's name."""
    return page.locator("form.step").filter(has=page.get_by_role("heading", name=name, exact=True))


# A 1280×900 screen at 200%: the page lays out in 640×450 CSS pixels, drawn at twice the size.
ZOOMED = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}

# Text that the page cuts off: an element that clips what overflows it (overflow hidden or
# clip) while its content is larger than its box. Screen-reader-only text (clipped to a pixel
# on purpose) and empty boxes do not count.
_CUT_OFF_JS = """
() => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    const clips = v => v === 'hidden' || v === 'clip';
    if (!clips(s.overflowX) && !clips(s.overflowY) && s.textOverflow !== 'ellipsis') continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 2 || box.height <= 2 || !el.textContent.trim()) continue;
    if ((clips(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (clips(s.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
      found.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
        + ' “' + el.textContent.replace(/\\s+/g, ' ').trim().slice(0, 50) + '”');
    }
  }
  return found;
}
"""


def look_zoomed(journey, page, name: str) -> None:
    """Look at a page at 200% zoom (WCAG 1.4.4, 1.4.10): no sideways scrolling, no text cut
    off; a screenshot to look at."""
    journey.look(page, f"zoom-{name}", axe=False)
    where = page.url.removeprefix(journey.url().rstrip("/"))
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        journey.problems.append(f"{name} ({where}) at 200%: {overflow}px wider than the screen")
    for element in page.evaluate(_CUT_OFF_JS):
        journey.problems.append(f"{name} ({where}) at 200%: text cut off in {element}")


def workspace(page, link: str) -> None:
    """Follow one of the staff's links: open the header's workspace menu, then the link."""
    menu = page.get_by_role("navigation", name="Menu utama")
    menu.locator("summary", has_text="Ruang kerja").click()
    menu.get_by_role("link", name=link).click()
