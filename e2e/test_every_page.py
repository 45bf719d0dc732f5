"""Every page that a link leads to, as each kind of person: beyond the journeys, the pages
that nobody walks through in a test still have to work and be usable.

Each person (a visitor, a citizen, officers, a supervisor, an agency admin, a partner, the
complaint coordinator, a trainer, HR, a unit head, the data protection officer) starts from
the pages the header offers them and follows the links on every page, breadth first. A page
is checked like the journeys' pages — axe-core, console errors, overflow at the phone size —
and a link that answers an error (a broken link, a page the person is offered but may not
see, a server error) is a problem too. Pages of one shape (the same path with other ids, the
same query with other values) are visited once, by the first person to reach them: the
template is what is checked, and the journeys check what the data says.

Only links are followed, never forms: nothing is changed on the way. The admin site, the API,
sign-out, file downloads and the language switch are left out. It runs at the phone size.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

PEOPLE = [
    None,
    "warga",
    "petugas.dukcapil",
    "penyelia.dukcapil",
    "admin.dukcapil",
    "mitra.wonokromo",
    "koordinator.lapor",
    "pelatih",
    "sdm.bpsdm",
    "kabid.dukcapil",
    "ppdp",
]
# Pages per person at most, so that a new kind of link cannot make the run endless.
MAX_PER_PERSON = 80
SKIP = re.compile(
    r"^/(?:en/)?(?:admin/|api/|i18n/|static/|media/|xapi/|akun/keluar)"
    r"|\.(?:pdf|png|jpe?g|svg|csv|xlsx|json|zip|ics)$"
    r"|/(?:unduh|download|berkas|file|ekspor|export)(?:/|$)"
)
# A path segment that names one object: a number, a UUID, a tracking number or a token.
ID_SEGMENT = re.compile(
    r"^(?:\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[A-Z]{2,4}-[0-9A-Z-]{5,}|[A-Za-z0-9_-]{20,})$"
)


def shape(path: str, query: str) -> str:
    """The shape of an address: ids replaced, query values dropped."""
    segments = ["{id}" if ID_SEGMENT.match(part) else part for part in path.split("/")]
    keys = sorted({key for key, _ in parse_qsl(query, keep_blank_values=True)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def links_of(page, origin: str, where: str) -> list[str]:
    """The same-origin links of the page's ``where`` (a CSS selector) worth following."""
    hrefs = page.eval_on_selector_all(
        f"{where} a[href]",
        "anchors => anchors.filter(a => !a.hasAttribute('download')).map(a => a.href)",
    )
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
            continue
        found.append(parts.path + ("?" + parts.query if parts.query else ""))
    return found


# Answers that explain the state of what a link names, not a broken link: a survey already
# answered (409), a link that has expired (410).
STATES = {409, 410}

# Pages named by a code under these paths (services, agencies, life events, courses…) share
# their template: a few of each are enough.
CODE_PARENTS = re.compile(
    r"^/(?:en/)?(?:layanan|instansi|peristiwa|kinerja|kompetensi|belajar/kursus|belajar/jalur"
    r"|sdm/pembelajaran/kursus)$"
)


class Shapes:
    """The shapes of address already visited; at most ``SIBLINGS`` pages under each of
    ``CODE_PARENTS``."""

    SIBLINGS = 3

    def __init__(self):
        self.seen: set[str] = set()
        self.children: dict[str, set[str]] = {}

    def is_new(self, address: str) -> bool:
        path, _, query = address.partition("?")
        key = shape("/" + path.lstrip("/"), query)
        if key in self.seen:
            return False
        segments = key.split("?")[0].rstrip("/").split("/")
        for depth in range(2, len(segments)):
            parent = "/".join(segments[:depth])
            if CODE_PARENTS.match(parent):
                siblings = self.children.setdefault(parent, set())
                if len(siblings) >= self.SIBLINGS and segments[depth] not in siblings:
                    return False
                siblings.add(segments[depth])
        self.seen.add(key)
        return True


def test_every_page(journey):
    if not journey.phone:
        pytest.skip("the pages are read at the phone size; the journeys cover the desktop")
    origin = journey.url().rstrip("/")
    followed = Shapes()  # links followed, by anyone
    checked: set[str] = set()  # pages checked, by where they ended up
    looked: dict[str, int] = {}
    for person in PEOPLE:
        page = journey.actor(person)
        label = person or "anonymous"
        # Each person follows the header's links (the same link may lead each person to a
        # page of their own), then whatever new the pages link to.
        page.goto(journey.url())
        queue = deque((link, True) for link in ["/", *links_of(page, origin, "header")])
        count = 0
        while queue and count < MAX_PER_PERSON:
            address, own = queue.popleft()
            if not followed.is_new(address) and not own:
                continue
            try:
                response = page.goto(journey.url(address))
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file, such as an outcome document
                raise
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            if response.status >= 400 and response.status not in STATES:
                journey.problems.append(f"{label}: {address} answered {response.status}")
                continue
            landed = urlsplit(page.url)
            if shape(landed.path, landed.query) not in checked:
                checked.add(shape(landed.path, landed.query))
                count += 1
                name = re.sub(r"[^a-z0-9]+", "-", landed.path.lower()).strip("-")
                journey.look(page, f"{label}-{name[:60] or 'home'}")
            queue.extend((link, False) for link in links_of(page, origin, "main"))
        looked[label] = count
    print("pages checked, by person:", looked)
    assert sum(looked.values()) > 100, f"too few pages were reached: {looked}"
