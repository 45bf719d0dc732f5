"""Browser journeys against the real server (``make e2e``).

The demo data is loaded once into a seed database; each screen size then gets a copy of it,
served by gunicorn with production settings (debug off, the strict Content-Security-Policy,
static files from the manifest) and a task worker, and driven by Debian's Chromium through
Playwright. Nothing here touches the database directly: the journeys go through the pages.

Every page a journey looks at (``Journey.look``) is saved as a screenshot under
``var/screenshots/<journey>/<size>/`` and checked with axe-core; the test fails at its end if
a page had a serious or critical accessibility violation, a console error (a blocked script
or style shows up there), a horizontal scrollbar at the phone size, or a failed request. The server's log of each
journey is scanned for personal data (NIK, NIP, e-mail addresses) as the suite's logs are.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "var" / "screenshots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "satupintu-demo"
SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
# axe-core impacts that fail a journey; E2E_AXE_IMPACTS=minor,moderate,serious,critical
# lists the lesser ones too, for a look at what else could be better.
BLOCKING_IMPACTS = set(os.environ.get("E2E_AXE_IMPACTS", "serious,critical").split(","))


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _base_env(var_dir: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DEBUG", "SATUPINTU_DEMO", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        {
            "SATUPINTU_VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "e2e-" + "k" * 60,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on the loopback: the reverse proxy that adds TLS is not here.
            "SECURE_COOKIES": "0",
            "SATUPINTU_TASKS": "database",
            # Sign-ins and submissions of many journeys come from one address.
            "SATUPINTU_RATELIMITS_ENABLED": "0",
            "SATUPINTU_STAFF_TOTP": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# Throwaway databases: a commit need not wait for the disk (the demo's load makes thousands).
_NO_SYNC = 'ALTER DATABASE "{name}" SET synchronous_commit = off'


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute(statement)


@dataclass
class Seed:
    var_dir: Path
    database_url: str


@pytest.fixture(scope="session")
def seed(tmp_path_factory) -> Seed:
    """The demo data, loaded once (``satupintu demo --no-serve``)."""
    var_dir = tmp_path_factory.mktemp("seed")
    database_url = os.environ.get("E2E_DATABASE_URL", "")
    if database_url.startswith("postgres"):
        name = database_url.rsplit("/", 1)[1]
        _postgres_admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres_admin(database_url, f'CREATE DATABASE "{name}"')
        _postgres_admin(database_url, _NO_SYNC.format(name=name))
    else:
        database_url = f"sqlite:///{var_dir / 'satupintu.sqlite3'}"
    env = _base_env(var_dir, database_url)
    env["SATUPINTU_DEMO"] = "1"
    subprocess.run(
        [sys.executable, "-m", "satupintu.cli", "demo", "--no-serve"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return Seed(var_dir, database_url)


def _copy_database(seed: Seed, var_dir: Path, size: str) -> str:
    if seed.database_url.startswith("postgres"):
        name = seed.database_url.rsplit("/", 1)[1]
        copy = f"{name}_{size}"
        _postgres_admin(seed.database_url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        _postgres_admin(seed.database_url, f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        _postgres_admin(seed.database_url, _NO_SYNC.format(name=copy))
        return seed.database_url.rsplit("/", 1)[0] + "/" + copy
    shutil.copy(seed.var_dir / "satupintu.sqlite3", var_dir / "satupintu.sqlite3")
    return f"sqlite:///{var_dir / 'satupintu.sqlite3'}"


@dataclass
class Server:
    url: str
    size: str
    var_dir: Path
    log: Path


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "api/v1/ping", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The server did not answer within 90 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session", params=list(SIZES))
def server(request, seed, tmp_path_factory):
    """A copy of the demo served by gunicorn and a task worker, one per screen size."""
    size = request.param
    var_dir = tmp_path_factory.mktemp(f"server-{size}")
    media = seed.var_dir / "media"
    if media.exists():
        shutil.copytree(media, var_dir / "media")
    env = _base_env(var_dir, _copy_database(seed, var_dir, size))
    port = _free_port()
    log = var_dir / "server.log"
    with log.open("w") as out:
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "satupintu.cli", "worker", "--sweep-minutes", "0"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            ),
            subprocess.Popen(
                [sys.executable, "-m", "satupintu.cli", "serve", "--bind", f"127.0.0.1:{port}"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            ),
        ]
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, processes[1], log)
        yield Server(url, size, var_dir, log)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.exit(f"Chromium is not at {CHROMIUM}: run `make e2e`, which installs it.", 1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@dataclass
class Journey:
    """One journey at one screen size: its actors' pages, screenshots and findings."""

    name: str
    server: Server
    browser: object
    folder: Path
    problems: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)
    shots: int = 0

    @property
    def size(self) -> str:
        return self.server.size

    @property
    def phone(self) -> bool:
        return self.size == "phone"

    def url(self, path: str = "") -> str:
        return self.server.url + path.lstrip("/")

    def actor(self, username: str | None = None, *, language: str = "id", screen=None):
        """A new browser (its own cookies) at the journey's screen size (or ``screen``, the
        options of a browser context such as ``viewport``), signed in as ``username`` when
        one is given."""
        context = self.browser.new_context(
            **(screen or SIZES[self.size]),
            locale="id-ID" if language == "id" else "en-GB",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        label = username or "anonymous"

        def on_console(message):
            # A page's own 4xx answer is deliberate (a form with errors is answered 400, a
            # missing page 404) and the journey checks what it says; Chromium still logs it.
            own_answer = message.location.get("url") == page.url and message.text.startswith(
                "Failed to load resource: the server responded with a status of 4"
            )
            if message.type == "error" and not own_answer:
                self.problems.append(f"{label}: console error on {page.url}: {message.text}")

        def on_response(response):
            if response.status >= 500:
                self.problems.append(f"{label}: {response.status} from {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"{label}: {error}"))
        page.on("response", on_response)
        if username:
            self.sign_in(page, username)
        return page

    def sign_in(self, page, username: str) -> None:
        page.goto(self.url("akun/masuk/"))
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_load_state()
        if "/akun/masuk/" in page.url:
            raise AssertionError(f"{username} could not sign in: {page.inner_text('main')}")

    def look(self, page, name: str, *, axe: bool = True) -> None:
        """Save a screenshot of the page and check it: accessibility, reflow."""
        page.wait_for_load_state()
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        where = f"{name} ({page.url.removeprefix(self.server.url.rstrip('/'))})"
        if self.phone:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 1:
                self.problems.append(f"{where}: {overflow}px wider than the phone's screen")
        if axe:
            for violation in _axe(page):
                if violation["impact"] in BLOCKING_IMPACTS:
                    targets = ", ".join(
                        " ".join(str(part) for part in node["target"])
                        for node in violation["nodes"][:3]
                    )
                    self.problems.append(
                        f"{where}: axe {violation['impact']} {violation['id']}: "
                        f"{violation['help']} [{targets}]"
                    )

    def close(self) -> None:
        for context in self.contexts:
            context.close()


_AXE_SCRIPT: str | None = None


def _axe(page) -> list[dict]:
    global _AXE_SCRIPT
    if _AXE_SCRIPT is None:
        import axe_playwright_python

        _AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_AXE_SCRIPT)
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations'], "
        "runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'wcag22aa', 'best-practice']}})"
    )
    return results["violations"]


def _personal_data_in_log(text: str) -> list[str]:
    """Lines of the server's log that carry a NIK, a NIP or an e-mail address, masked."""
    from django.conf import settings

    if not settings.configured:
        # The identifiers' checks need only the time zone, not the whole project.
        settings.configure(USE_TZ=True, TIME_ZONE="Asia/Jakarta")
    from satupintu.core.redaction import scan

    found = []
    for line in text.splitlines():
        masked, kinds = scan(line)
        if kinds:
            found.append(f"the server logged {', '.join(sorted(set(kinds)))}: {masked[:240]}")
    return found


@pytest.fixture
def journey(request, server, browser):
    name = request.node.originalname.removeprefix("test_")
    folder = SCREENSHOTS / name / server.size
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    journey = Journey(name, server, browser, folder)
    log_start = server.log.stat().st_size
    try:
        yield journey
    finally:
        journey.close()
    with server.log.open(errors="replace") as log:
        log.seek(log_start)
        journey.problems.extend(_personal_data_in_log(log.read()))
    if journey.problems:
        pytest.fail(
            f"{len(journey.problems)} problem(s) on the way (screenshots in {folder}):\n"
            + "\n".join(f"- {problem}" for problem in journey.problems),
            pytrace=False,
        )
