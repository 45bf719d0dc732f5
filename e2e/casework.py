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


# A desktop screen of 1280×900 at 200% zoom: the page lays out in 640×450 CSS pixels.
ZOOMED = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}

# Elements that clip their own text (overflow hidden or clip, content larger than the box);
# screen-reader-only text, clipped to a pixel on purpose, is too small to count.
_CLIPPED = """() => [...document.body.querySelectorAll('*')].filter(el => {
  const s = getComputedStyle(el), box = el.getBoundingClientRect();
  const clips = v => v === 'hidden' || v === 'clip';
  if (box.width <= 2 || box.height <= 2 || !el.textContent.trim()) return false;
  return (clips(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
    || (clips(s.overflowY) && el.scrollHeight > el.clientHeight + 1);
}).map(el => el.tagName.toLowerCase() + ' “' + el.textContent.trim().slice(0, 40) + '”')"""


def look_zoomed(journey, page, name: str) -> None:
    """Look at a page at 200% zoom (WCAG 1.4.4, 1.4.10): nothing wider than the screen,
    no text cut off."""
    journey.look(page, f"zoom-{name}", axe=False)
    where = f"{name} at 200% ({page.url.removeprefix(journey.url().rstrip('/'))})"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        journey.problems.append(f"{where}: {overflow}px wider than the screen")
    for element in page.evaluate(_CLIPPED):
        journey.problems.append(f"{where}: text cut off in {element}")
