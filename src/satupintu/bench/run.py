"""``satupintu bench run``: serve the seeded database with gunicorn on loopback, load each
scenario, and write ``report.md`` and ``report.json``.

Every figure is also given as a ratio to the floor measured in the same run — a ninja
operation that answers constant JSON (``GET /api/v1/ping``) through the same middleware and
server — so that the report says what the application's own work costs on this machine, not
how fast the machine is. Latency is measured with one client (the cost of one request),
throughput with several concurrent clients. See docs/performance.md.
"""

import asyncio
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

from satupintu import bench
from satupintu.bench.load import (
    Connection,
    Flow,
    FlowFailed,
    Request,
    Response,
    fetch,
    run_load,
    single,
)

SQLITE_MESSAGE = (
    "The benchmark runs on PostgreSQL only: set DATABASE_URL=postgres://… to a database "
    "seeded with `satupintu bench seed`."
)
HOST = "127.0.0.1"
PING = "/api/v1/ping"
PAGE_SIZE = 25
WORKER_MEMORY_MB = 200

# The comparison the issue asks for: Open Zaak's published figures at 1 million cases.
ANCHORS = {
    "open_zaak_median_ms": [140, 240],
    "open_zaak_setup": "1 million cases, 10 replicas",
    "open_zaak_case_creations_per_s": 25,
}

# Why a target was missed and what to do next, by scenario: written after measuring.
NOTES: dict[str, str] = {
    "floor": "",
    "search": (
        "Ranking runs in Python over the in-memory index: Indonesian stemming of the query, "
        "typo tolerance by edit distance over the vocabulary of 2,000 services, BM25 sums, "
        "then one page of services read with their agencies and categories (4 queries). "
        "That is 15-20 ms where the floor is under 1 ms, so 3x the floor leaves no room "
        "for a database round trip. Next step: keep the ranked ids of the frequent queries "
        "per catalogue revision (results only change when the catalogue is loaded), and "
        "read the page of services in one query."
    ),
    "queue_first": (
        "The database part is small: the page's ids from the queue index (0.1 ms), the "
        "rows, their units and the workflow states, each under 1 ms. The rest is Python: "
        "Django building 25 cases with their service, agency and submission, and ninja "
        "checking the answer against its schema. Throughput is then bounded by CPU: two "
        "cores shared by two workers, PostgreSQL and the load generator. Next step: read "
        "the page as values rather than model instances and skip the check of our own "
        "output; more workers on more cores scale it linearly (nothing is shared but the "
        "database)."
    ),
    "queue_deep": (
        "The page 10,000 cases deep costs what page 1 costs (a row comparison on the "
        "queue index), so only the absolute targets are missed; see queue_first."
    ),
    "my_services": (
        "The cases come from one range of the index on (applicant, submitted_at, id), read "
        "in under 1 ms; the rest is the same Python cost as the officers' queue (see "
        "queue_first), with the same next step."
    ),
    "my_services_page": (
        "The HTML page does what the API does (see my_services) and renders the page with "
        "the header, suggestions and drafts: Django templates cost about 10 ms more here. "
        "Next step: cache the rendered header fragments per person, and the same as "
        "my_services."
    ),
    "submission": (
        "One submission is 16 statements in one transaction whose commit is flushed to "
        "disk: the answers checked against the form and its rules (CEL, interpreted), a "
        "tracking number, the case with its due date in working days, its timeline, the "
        "audit record and a notification queued after the commit. It takes about 18 ms of "
        "CPU in the web process here, so two cores that also run PostgreSQL and the load "
        "generator serve about 80 a second. 200 a second needs about 5 ms of CPU per "
        "submission: next steps are compiled rule programs instead of the interpreter, "
        "one insert for the case, its event and its audit record, and more workers on more "
        "cores (the work is independent per submission; Open Zaak's 25 a second used 10 "
        "replicas)."
    ),
    "life_event": (
        "The birth bundle is three calls, as a citizen makes them: the answers (a draft "
        "with registry consent and prefill), the birth statement upload (read, hashed, its "
        "type checked from its bytes, written to disk) and the submission, which opens four "
        "cases at three agencies (two of them waiting for the certificate), each with its "
        "timeline and audit record: 81 statements. Next step: the same work as for single "
        "submissions, and one calendar per agency per bundle rather than per case."
    ),
    "ikm": "",
    "performance": "",
    "performance_agency": "",
    "memory": (
        "Each worker holds Django, the apps and their libraries (about 115 MB at start), "
        "the search index of 2,000 services (about 30 MB since it is built in two streaming "
        "passes into packed arrays; 90 MB before), the CEL grammar, the calendars and what "
        "Python keeps of the peaks of the run: 4 MB over. Next step: build the index in the "
        "master before the workers fork (gunicorn --preload) so that they share it, or move "
        "a catalogue this large to PostgreSQL's full-text search."
    ),
}
NOT_EXPLAINED = "not explained yet"

# What people type into the search box, typos included.
SEARCH_QUERIES = [
    "akta kelahiran",
    "izin usaha",
    "kartu keluarga",
    "ktp elektronik",
    "surat pindah",
    "akta kematian",
    "bpjs kesehatan",
    "nib",
    "pajak kendaraan",
    "sertifikat tanah",
    "skck",
    "izin reklame",
    "daftar sekolah",
    "imunisasi bayi",
    "santunan kematian",
    "koperasi",
    "akta kelahrian",
    "kartu kluarga",
    "ijin usaha",
    "pindah faskes",
    "surat nikah",
    "perubahan data kk",
]

# The single-service submission: a shipped service whose form is short and needs no upload.
SUBMISSION_SERVICE = "bpjs-kesehatan-surabaya.perubahan-data-peserta"
# The life event: a birth, with the child identity card asked for, opens four cases
# (certificate, family card, immunisation, child identity card). Its answers need one
# document, so one application is three calls: the answers (the draft is kept and the
# missing document named), the upload, the submission.
LIFE_EVENT = "kelahiran"
LIFE_EVENT_CASES = 4
LIFE_EVENT_UPLOADS = {"birth_statement_file"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# Targets and verdicts ------------------------------------------------------------------------

MET, MISSED, NOT_MEASURED = "met", "missed", "not measured"
PHASES = ("latency", "throughput")


@dataclass(frozen=True)
class Target:
    """One figure a scenario must reach. ``kind`` says which figure:

    - ``p50_ms``: the median at one client is at most ``value`` ms;
    - ``p50_floor``: the median is at most ``value`` times the floor's median;
    - ``p50_of``: the median is at most ``value`` times scenario ``other``'s median;
    - ``throughput``: at least ``value`` calls per second at the concurrent clients;
    - ``sustained_s``: the throughput phase lasted at least ``value`` seconds;
    - ``no_errors``: no call of either phase failed.
    """

    kind: str
    value: float = 0
    other: str = ""

    def text(self) -> str:
        return {
            "p50_ms": f"p50 ≤ {self.value:g} ms",
            "p50_floor": f"p50 ≤ {self.value:g}× the floor's p50",
            "p50_of": f"p50 ≤ {self.value:g}× {self.other}'s p50",
            "throughput": f"≥ {self.value:g} per second at the concurrent clients",
            "sustained_s": f"sustained for {self.value:g} s",
            "no_errors": "0 errors",
        }[self.kind]


TARGETS: dict[str, list[Target]] = {
    "search": [Target("p50_floor", 3)],
    "queue_first": [Target("p50_ms", 10), Target("throughput", 200)],
    "queue_deep": [
        Target("p50_ms", 10),
        Target("p50_of", 1.2, "queue_first"),
        Target("throughput", 200),
    ],
    "my_services": [Target("p50_ms", 10)],
    "my_services_page": [Target("p50_ms", 10)],
    "submission": [Target("throughput", 200), Target("sustained_s", 60), Target("no_errors")],
    "life_event": [Target("throughput", 80), Target("no_errors")],
    "ikm": [Target("p50_ms", 300)],
    "performance": [Target("p50_ms", 50)],
    "performance_agency": [Target("p50_ms", 50)],
}


def _p50(scenario: dict | None) -> float | None:
    if not scenario or scenario.get("failure"):
        return None
    return (scenario.get("latency") or {}).get("p50_ms")


def _throughput(scenario: dict | None) -> float | None:
    if not scenario or scenario.get("failure"):
        return None
    return (scenario.get("throughput") or {}).get("throughput")


def _ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return round(value / base, 2)


def target_verdict(target: Target, name: str, scenarios: dict) -> tuple[str, str]:
    """(verdict, the figure it was judged on) of ``target`` for scenario ``name``, from the
    figures in ``scenarios`` (a report's ``scenarios``)."""
    scenario = scenarios.get(name)
    if not scenario or scenario.get("failure"):
        return NOT_MEASURED, "the scenario failed"
    p50 = _p50(scenario)
    if target.kind in ("p50_ms", "p50_floor", "p50_of"):
        if p50 is None:
            return NOT_MEASURED, "no latency measured"
        if target.kind == "p50_ms":
            return (MET if p50 <= target.value else MISSED), f"p50 {p50:.2f} ms"
        other = "floor" if target.kind == "p50_floor" else target.other
        base = _p50(scenarios.get(other))
        if base is None:
            return NOT_MEASURED, f"{other} was not measured"
        ratio = p50 / base
        return (MET if ratio <= target.value else MISSED), f"{ratio:.2f}× ({p50:.2f} ms)"
    if target.kind == "throughput":
        rate = _throughput(scenario)
        if rate is None:
            return NOT_MEASURED, "no throughput measured"
        return (MET if rate >= target.value else MISSED), f"{rate:.1f}/s"
    if target.kind == "sustained_s":
        seconds = (scenario.get("throughput") or {}).get("duration_s") or 0
        return (MET if seconds >= target.value else MISSED), f"{seconds:.0f} s"
    if target.kind == "no_errors":
        errors = sum((scenario.get(phase) or {}).get("errors", 0) for phase in PHASES)
        return (MET if errors == 0 else MISSED), f"{errors} errors"
    raise ValueError(f"unknown target kind {target.kind!r}")


def scenario_verdict(verdicts: list[str]) -> str:
    if not verdicts:
        return ""
    if NOT_MEASURED in verdicts:
        return NOT_MEASURED
    return MISSED if MISSED in verdicts else MET


def memory_verdict(workers: list[dict], limit_mb: float = WORKER_MEMORY_MB) -> str:
    if not workers:
        return NOT_MEASURED
    return MET if all(worker["rss_mb"] <= limit_mb for worker in workers) else MISSED


def report_judge(report: dict) -> dict:
    """Add to ``report`` each scenario's ratios to the floor, the verdict of each of its
    targets, and the verdict of the workers' memory. Pure: the figures in, the verdicts out."""
    scenarios = report["scenarios"]
    floor = scenarios.get("floor")
    for name, scenario in scenarios.items():
        scenario["ratios"] = {
            "p50": _ratio(_p50(scenario), _p50(floor)),
            "throughput": _ratio(_throughput(scenario), _throughput(floor)),
        }
        judged = []
        for target in TARGETS.get(name, []):
            verdict, actual = target_verdict(target, name, scenarios)
            judged.append({"target": target.text(), "verdict": verdict, "actual": actual})
        scenario["targets"] = judged
        scenario["verdict"] = scenario_verdict([item["verdict"] for item in judged])
    memory = report.setdefault("memory", {"workers": []})
    memory["limit_mb"] = WORKER_MEMORY_MB
    memory["verdict"] = memory_verdict(memory.get("workers", []))
    return report


# The Markdown report -------------------------------------------------------------------------


def _num(value, digits: int = 2, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}"


def report_markdown(report: dict, notes: dict[str, str] | None = None) -> str:
    """The report for people: a summary, a table per scenario, the workers' memory, the
    anchors, and for each missed target why and what to do next (``notes``)."""
    notes = NOTES if notes is None else notes
    options = report.get("options", {})
    machine = report.get("machine", {})
    clients = options.get("clients", 8)
    lines = [
        "# Satupintu benchmark",
        "",
        f"Run {report.get('started_at', '')}; {machine.get('cores', '?')} cores, Python "
        f"{machine.get('python', '?')}, PostgreSQL {machine.get('postgresql', '?')}; gunicorn "
        f"with {options.get('workers', '?')} workers on loopback. Latency with 1 client, "
        f"throughput with {clients} clients, {options.get('duration', '?')} s per phase.",
        "",
        "Ratios are to the floor measured in the same run: `GET /api/v1/ping`, constant JSON "
        "through the same middleware and server.",
        "",
        "## Summary",
        "",
        f"| scenario | p50 ms | p99 ms | req/s at {clients} | errors | queries/req "
        "| p50 × floor | req/s × floor | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    scenarios = report.get("scenarios", {})
    for name, scenario in scenarios.items():
        latency = scenario.get("latency") or {}
        throughput = scenario.get("throughput") or {}
        ratios = scenario.get("ratios") or {}
        errors = sum((scenario.get(phase) or {}).get("errors", 0) for phase in PHASES)
        verdict = scenario.get("verdict") or ("reference" if name == "floor" else "")
        if scenario.get("failure"):
            verdict = "failed"
        lines.append(
            f"| {name} | {_num(latency.get('p50_ms'))} | {_num(latency.get('p99_ms'))} "
            f"| {_num(throughput.get('throughput'), 1)} | {_num(errors)} "
            f"| {_num(_queries(scenario), 1)} | {_num(ratios.get('p50'), 2, '×')} "
            f"| {_num(ratios.get('throughput'), 2, '×')} | {verdict} |"
        )
    for name, scenario in scenarios.items():
        lines += ["", f"## {name}", "", scenario.get("title", ""), ""]
        if scenario.get("request"):
            lines += [f"`{scenario['request']}`", ""]
        if scenario.get("failure"):
            lines += ["**Failed before the load:**", "", "```", scenario["failure"], "```"]
            continue
        latency = scenario.get("latency") or {}
        throughput = scenario.get("throughput") or {}
        ratios = scenario.get("ratios") or {}
        rows = [
            ("p50 / p95 / p99 at 1 client", _triple(latency)),
            (
                f"req/s at {throughput.get('clients', clients)} clients",
                f"{_num(throughput.get('throughput'), 1)} "
                f"(over {_num(throughput.get('duration_s'), 1)} s)",
            ),
            (
                f"p50 / p99 at {throughput.get('clients', clients)} clients",
                f"{_num(throughput.get('p50_ms'))} / {_num(throughput.get('p99_ms'))} ms",
            ),
            (
                "calls / errors",
                f"{_num(latency.get('count'))} / {_num(latency.get('errors'))} at 1 client; "
                f"{_num(throughput.get('count'))} / {_num(throughput.get('errors'))} at "
                f"{throughput.get('clients', clients)}",
            ),
            ("queries per call", _num(_queries(scenario), 1)),
            ("p50 ratio to the floor", _num(ratios.get("p50"), 2, "×")),
            ("throughput ratio to the floor", _num(ratios.get("throughput"), 2, "×")),
        ]
        for item in scenario.get("targets", []):
            rows.append((f"target: {item['target']}", f"**{item['verdict']}** ({item['actual']})"))
        lines += ["| figure | value |", "|---|---|"]
        lines += [f"| {label} | {value} |" for label, value in rows]
        samples = [*latency.get("error_samples", []), *throughput.get("error_samples", [])]
        if samples:
            lines += ["", "First errors:", "", "```", *samples[:5], "```"]

    memory = report.get("memory", {})
    lines += [
        "",
        "## Memory of the web workers after the run",
        "",
        "| worker pid | resident MB |",
        "|---|---:|",
    ]
    lines += [
        f"| {worker['pid']} | {_num(float(worker['rss_mb']), 1)} |"
        for worker in memory.get("workers", [])
    ]
    lines += [
        "",
        f"Target: each ≤ {memory.get('limit_mb', WORKER_MEMORY_MB)} MB — "
        f"**{memory.get('verdict', NOT_MEASURED)}**.",
    ]

    submission = _throughput(scenarios.get("submission"))
    low, high = ANCHORS["open_zaak_median_ms"]
    medians = [
        p50
        for name, scenario in scenarios.items()
        if name != "floor" and (p50 := _p50(scenario)) is not None
    ]
    lines += [
        "",
        "## Anchors",
        "",
        f"- Open Zaak publishes a median of {low}–{high} ms over its API endpoints at "
        f"{ANCHORS['open_zaak_setup']}.",
        f"- Here, the median of the scenarios' p50 at 1 client: "
        f"{_num(_median(medians))} ms (2 workers, one machine).",
        f"- Open Zaak: about {ANCHORS['open_zaak_case_creations_per_s']} case creations per "
        f"second. Here: {_num(submission, 1)} single-service submissions per second"
        + (
            f" ({submission / ANCHORS['open_zaak_case_creations_per_s']:.1f}×)."
            if submission
            else "."
        ),
    ]

    missed = [
        (name, item)
        for name, scenario in scenarios.items()
        for item in scenario.get("targets", [])
        if item["verdict"] == MISSED
    ]
    if memory.get("verdict") == MISSED:
        missed.append(("memory", {"target": f"≤ {WORKER_MEMORY_MB} MB per worker"}))
    if missed:
        lines += ["", "## Missed targets: why, and the next step", ""]
        for name, item in missed:
            lines.append(f"- **{name}** ({item['target']}): {notes.get(name) or NOT_EXPLAINED}")
    unmeasured = [name for name, scenario in scenarios.items() if scenario.get("failure")]
    if unmeasured:
        lines += [
            "",
            "Not measured (the scenario failed before the load; see its section): "
            + ", ".join(unmeasured)
            + ".",
        ]
    rows = machine.get("rows") or {}
    if rows:
        lines += ["", "## Data", "", "| table | rows (estimate) |", "|---|---:|"]
        lines += [f"| {table} | {_num(count)} |" for table, count in rows.items()]
    return "\n".join(lines) + "\n"


def _triple(phase: dict) -> str:
    return (
        f"{_num(phase.get('p50_ms'))} / {_num(phase.get('p95_ms'))} / "
        f"{_num(phase.get('p99_ms'))} ms"
    )


def _queries(scenario: dict) -> float | None:
    for phase in PHASES:
        value = (scenario.get(phase) or {}).get("mean_queries")
        if value is not None:
            return value
    return None


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


# Signing in without the login form -------------------------------------------------------------


@dataclass
class Identity:
    """A signed-in person's cookies and CSRF header."""

    username: str
    headers: dict[str, str]
    nik: str = ""
    session_key: str = ""


def identity_sign_in(user) -> Identity:
    """A session for ``user`` as ``django.contrib.auth.login`` would store it, and a CSRF
    token (the same secret in the cookie and the header)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    backend = next(
        (path for path in settings.AUTHENTICATION_BACKENDS if "EmailOrUsername" in path),
        settings.AUTHENTICATION_BACKENDS[-1],
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )
    profile = getattr(user, "citizen", None)
    return Identity(
        username=user.username,
        headers={"Cookie": cookie, "X-CSRFToken": csrf},
        nik=profile.nik if profile else "",
        session_key=session.session_key,
    )


def identities_sign_out(identities: list[Identity]) -> None:
    """Delete the sessions made for the run, so that runs leave no sign-ins behind."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for identity in identities:
        store(session_key=identity.session_key).delete()


# The scenarios ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    title: str
    request: str
    flow: Flow | None = None
    # Made just before the scenario runs (the deep page is found by paging).
    prepare: Callable[[], Flow] | None = None
    # Checks the answer of the call made before the load; a message when it is wrong.
    check: Callable[[Response], str | None] | None = None
    throughput_duration: float | None = None


def _json_headers(identity: Identity | None = None) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if identity is not None:
        headers.update(identity.headers)
    return headers


def _get(path: str, identity: Identity | None = None, *, html: bool = False) -> Flow:
    headers = _json_headers(identity)
    if html:
        headers["Accept"] = "text/html"
    return single(lambda index: Request("GET", path, headers))


def _post_json(path: str, identity: Identity, payload: dict, key: str | None = None) -> Request:
    headers = {**_json_headers(identity), "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return Request("POST", path, headers, json.dumps(payload).encode())


def submission_answers(nik: str) -> dict:
    """A valid application to change one's care class at BPJS Kesehatan."""
    return {
        "card_number": "0001234567890",
        "nik": nik or "3578056503920001",
        "change_type": "kelas_rawat",
        "new_class": "kelas_2",
    }


def life_event_answers() -> dict:
    """A birth reported by a Surabaya family, with the child identity card asked for: four
    cases. The one document it needs (the birth statement) is uploaded separately."""
    birth = datetime.date.today() - datetime.timedelta(days=3)
    return {
        "child_name": "Ayu Lestari Prasetyo",
        "child_sex": "perempuan",
        "birth_date": birth.isoformat(),
        "birth_place_city": "3578",
        "birth_facility": "RSUD dr. Soetomo",
        "birth_weight": 3100,
        "kk_number": "3578101203100004",
        "mother_name": "Rina Santoso",
        "mother_nik": "3578105007900002",
        "home_address": {"street": "Jl. Tambaksari Selatan No. 7", "village": "3578101001"},
        "phone": "081298765432",
        "parents_status": "tidak_kawin",
        "has_birth_statement": True,
        "puskesmas": "Puskesmas Tambakrejo",
        "hb0_given": True,
        "has_kia_book": True,
        "wants_kia": True,
        "kia_pickup": "mpp_siola",
        "wants_insurance": False,
    }


def _multipart(fields: dict[str, str], file_field: str, name: str, content: bytes):
    boundary = f"satupintu-bench-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def life_event_flow(submitters: list[Identity]) -> Flow:
    """One life-event application as an API client makes it: the answers (the draft is
    kept and the missing document named), the document, the submission."""
    answers = life_event_answers()

    async def flow(connection: Connection, index: int) -> Response:
        identity = submitters[index % len(submitters)]
        key = uuid.uuid4().hex
        first = await connection.request(
            _post_json(
                f"/api/v1/life-events/{LIFE_EVENT}/submissions",
                identity,
                {"answers": answers, "share_registry": False},
                key,
            )
        )
        if first.ok:
            return first
        if first.status != 422:
            raise FlowFailed(first, "answers")
        body = json.loads(first.body)
        missing = {error["path"] for error in body.get("errors") or []}
        if not body.get("draft") or not missing or missing - LIFE_EVENT_UPLOADS:
            raise FlowFailed(first, "answers")
        draft = body["draft"]
        for path in sorted(missing):
            content, boundary = _multipart({"field": path}, "file", "surat-lahir.pdf", PDF)
            headers = {
                **_json_headers(identity),
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            }
            uploaded = await connection.request(
                Request("POST", f"/api/v1/drafts/{draft}/documents", headers, content)
            )
            if uploaded.status != 201:
                raise FlowFailed(uploaded, "upload")
        sent = await connection.request(
            Request(
                "POST",
                f"/api/v1/drafts/{draft}/submit",
                {**_json_headers(identity), "Idempotency-Key": key},
            )
        )
        if sent.status != 201:
            raise FlowFailed(sent, "submit")
        return sent

    return flow


def _expect_cases(count: int) -> Callable[[Response], str | None]:
    def check(response: Response) -> str | None:
        cases = json.loads(response.body).get("cases", [])
        if len(cases) != count:
            services = ", ".join(case["service"]["code"] for case in cases)
            return f"expected {count} cases, the application opened {len(cases)}: {services}"
        return None

    return check


def _expect_items(response: Response) -> str | None:
    if not json.loads(response.body).get("items"):
        return "the list is empty: is the database seeded?"
    return None


def queue_deep_find(port: int, officer: Identity, depth: int) -> str:
    """The path of the officer's queue page that starts ``depth`` cases deep, found by
    following ``next`` from page 1 as a client would."""

    async def follow() -> str:
        connection = Connection(HOST, port)
        path = f"/api/v1/cases?limit={PAGE_SIZE}"
        try:
            for page in range(depth // PAGE_SIZE):
                response = await connection.request(Request("GET", path, _json_headers(officer)))
                if not response.ok:
                    raise RuntimeError(
                        f"page {page + 1}: HTTP {response.status}: {response.text()}"
                    )
                following = json.loads(response.body).get("next")
                if not following:
                    raise RuntimeError(
                        f"the officer's queue ends after {(page + 1) * PAGE_SIZE} cases or "
                        f"fewer; the deep page needs {depth} (seed a larger scale)"
                    )
                parts = urlsplit(following)
                path = f"{parts.path}?{parts.query}"
            return path
        finally:
            await connection.close()

    return asyncio.run(follow())


def scenarios_build(
    *, port: int, people: dict[str, Identity], submitters: list[Identity], args
) -> list[Scenario]:
    officer = people[bench.OFFICER]
    citizen = people[bench.HEAVY_CITIZEN]
    supervisor = people[bench.SUPERVISOR]
    agency = args.agency
    ikm_path = f"/api/v1/ikm?agency={agency}&period={args.ikm_year}"

    def search(index: int) -> Request:
        query = quote_plus(SEARCH_QUERIES[index % len(SEARCH_QUERIES)])
        return Request("GET", f"/api/v1/services?q={query}", _json_headers())

    def submission(index: int) -> Request:
        identity = submitters[index % len(submitters)]
        return _post_json(
            "/api/v1/submissions",
            identity,
            {"service": SUBMISSION_SERVICE, "answers": submission_answers(identity.nik)},
            uuid.uuid4().hex,
        )

    def deep() -> Flow:
        path = queue_deep_find(port, officer, args.queue_depth)
        return _get(path, officer)

    return [
        Scenario(
            "floor", "The floor: a ninja operation answering constant JSON.", PING, _get(PING)
        ),
        Scenario(
            "search",
            f"Service search, rotating through {len(SEARCH_QUERIES)} queries (typos too).",
            "GET /api/v1/services?q=…",
            single(search),
            check=_expect_items,
        ),
        Scenario(
            "queue_first",
            "The officer's queue, page 1 (the heavy agency's first unit).",
            "GET /api/v1/cases",
            _get("/api/v1/cases", officer),
            check=_expect_items,
        ),
        Scenario(
            "queue_deep",
            f"The officer's queue, the page {args.queue_depth:,} cases deep (found by "
            "following `next`).",
            "GET /api/v1/cases?cursor=…",
            prepare=deep,
            check=_expect_items,
        ),
        Scenario(
            "my_services",
            f"The heavy citizen's cases ({bench.HEAVY_CITIZEN_CASES:,} at full scale).",
            "GET /api/v1/my/cases",
            _get("/api/v1/my/cases", citizen),
            check=_expect_items,
        ),
        Scenario(
            "my_services_page",
            "The heavy citizen's “my services” page (HTML).",
            "GET /layanan-saya/",
            _get("/layanan-saya/", citizen, html=True),
        ),
        Scenario(
            "submission",
            f"One application to `{SUBMISSION_SERVICE}`, validated and audited, as rotating "
            f"citizens, each with a new Idempotency-Key.",
            "POST /api/v1/submissions",
            single(submission),
            check=_expect_cases(1),
            throughput_duration=args.sustain,
        ),
        Scenario(
            "life_event",
            f"A `{LIFE_EVENT}` life-event application opening {LIFE_EVENT_CASES} cases, as "
            "rotating citizens: three calls (answers, the one document, submit) count as one.",
            f"POST /api/v1/life-events/{LIFE_EVENT}/submissions, "
            "POST /api/v1/drafts/{id}/documents, POST /api/v1/drafts/{id}/submit",
            life_event_flow(submitters),
            check=_expect_cases(LIFE_EVENT_CASES),
        ),
        Scenario(
            "ikm",
            f"The IKM report of {agency} for {args.ikm_year}, as its supervisor.",
            f"GET {ikm_path}",
            _get(ikm_path, supervisor),
        ),
        Scenario(
            "performance",
            "The public performance page.",
            "GET /kinerja/",
            _get("/kinerja/", html=True),
        ),
        Scenario(
            "performance_agency",
            f"The public performance page of {agency}.",
            f"GET /kinerja/{agency}/",
            _get(f"/kinerja/{agency}/", html=True),
        ),
    ]


# Running ------------------------------------------------------------------------------------


def _progress(name: str, phase: str) -> Callable[[int, int, float], None]:
    tty = sys.stdout.isatty()

    def show(count: int, errors: int, elapsed: float) -> None:
        if tty:
            rate = count / elapsed if elapsed else 0
            print(
                f"\r  {name} {phase}: {rate:,.0f} req/s, {count:,} calls, {errors:,} errors   ",
                end="",
                flush=True,
            )

    return show


async def _call_once(port: int, flow: Flow) -> Response:
    connection = Connection(HOST, port)
    try:
        return await flow(connection, 0)
    finally:
        await connection.close()


def scenario_run(scenario: Scenario, *, port: int, args) -> dict:
    """One scenario: a call to check it works, a latency phase (1 client), a throughput
    phase (``args.clients``). A scenario that cannot start is recorded, not raised."""
    result: dict = {"title": scenario.title, "request": scenario.request, "failure": None}
    print(f"{scenario.name}: {scenario.request}", flush=True)
    try:
        flow = scenario.flow if scenario.prepare is None else scenario.prepare()
        response = asyncio.run(_call_once(port, flow))
        problem = None if response.ok else f"HTTP {response.status}: {response.text()}"
        if problem is None and scenario.check is not None:
            problem = scenario.check(response)
    except FlowFailed as failed:
        problem = f"{failed}: {failed.response.text()}"
    except Exception as exc:  # recorded in the report: one broken scenario spoils no other
        problem = f"{type(exc).__name__}: {exc}"[:300]
    if problem is not None:
        print(f"  failed: {problem}", flush=True)
        result["failure"] = problem
        return result
    warmup = min(2.0, max(1.0, args.duration / 5))
    phases = (
        ("latency", 1, args.duration),
        ("throughput", args.clients, scenario.throughput_duration or args.duration),
    )
    for phase, clients, duration in phases:
        outcome = asyncio.run(
            run_load(
                host=HOST,
                port=port,
                flow=flow,
                clients=clients,
                duration=duration,
                warmup=warmup,
                progress=_progress(scenario.name, phase),
            )
        )
        summary = outcome.summary()
        result[phase] = summary
        print(
            f"\r  {scenario.name} {phase} ({clients} client{'s' if clients > 1 else ''}): "
            f"{summary['throughput']:,.1f} req/s, p50 {summary['p50_ms']} ms, "
            f"p99 {summary['p99_ms']} ms, {summary['errors']} errors" + " " * 10,
            flush=True,
        )
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_environment(*, secret_key: str, media_root: str) -> dict[str, str]:
    env = os.environ.copy()
    for name in ("SATUPINTU_DEMO", "DEBUG"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "satupintu.settings",
            "SATUPINTU_BENCH_QUERIES": "1",
            "SECRET_KEY": secret_key,
            "DEBUG": "0",
            "ALLOWED_HOSTS": HOST,
            "SECURE_COOKIES": "0",
            "SATUPINTU_RATELIMITS_ENABLED": "0",
            # The load's officers have sessions made without signing in, and no phone.
            "SATUPINTU_STAFF_TOTP": "0",
            "SATUPINTU_MEDIA_ROOT": media_root,
            "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
        }
    )
    # As deployed (docs/operators.md): Redis for the cache and the task queue when one runs
    # here, so that notifications are queued the way production queues them.
    if not env.get("REDIS_URL") and _listening(HOST, 6379):
        env["REDIS_URL"] = f"redis://{HOST}:6379/0"
    return env


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def server_start(*, port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "satupintu.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
    ]
    with log.open("ab") as stream:
        return subprocess.Popen(  # noqa: S603
            command, env=env, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True
        )


def server_wait(process: subprocess.Popen, port: int, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {process.returncode}")
        try:
            response = asyncio.run(fetch(HOST, port, Request("GET", PING)))
            if response.ok:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {PING} within {timeout:.0f} s")


def server_warm(port: int, workers: int) -> None:
    """Have every worker answer before anything is measured: a worker's first request
    loads the URLs, the API schema and the translations, which takes seconds."""
    asyncio.run(
        run_load(
            host=HOST,
            port=port,
            flow=_get(PING),
            clients=workers * 4,
            duration=3.0,
            warmup=0.0,
        )
    )


def server_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_memory(master_pid: int) -> list[dict]:
    """The resident memory (VmRSS) of each child of the gunicorn master."""
    children: set[int] = set()
    for task in Path(f"/proc/{master_pid}/task").glob("*"):
        try:
            children.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            continue
    workers = []
    for pid in sorted(children):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                workers.append({"pid": pid, "rss_mb": round(int(line.split()[1]) / 1024, 1)})
    return workers


def machine_facts() -> dict:
    from django.apps import apps
    from django.db import connection

    labels = [
        "accounts.User",
        "accounts.CitizenProfile",
        "accounts.EmployeeProfile",
        "catalog.Service",
        "cases.Submission",
        "cases.Case",
        "cases.CaseEvent",
        "feedback.SurveyResponse",
        "core.AuditEvent",
        "learning.JpEntry",
    ]
    tables = {}
    for label in labels:
        try:
            tables[apps.get_model(label)._meta.db_table] = label
        except LookupError:
            continue
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            [list(tables)],
        )
        estimates = dict(cursor.fetchall())
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgresql": version,
        "rows": {
            # -1: never analysed, so PostgreSQL has no estimate.
            label: int(estimates[table]) if estimates[table] >= 0 else None
            for table, label in tables.items()
            if table in estimates
        },
    }


def people_missing() -> list[str]:
    from django.contrib.auth import get_user_model

    wanted = [
        bench.OFFICER,
        bench.SUPERVISOR,
        bench.HEAVY_CITIZEN,
        bench.SUBMITTER_USERNAME.format(1),
        bench.SUBMITTER_USERNAME.format(bench.SUBMITTERS),
    ]
    found = set(
        get_user_model().objects.filter(username__in=wanted).values_list("username", flat=True)
    )
    return [name for name in wanted if name not in found]


def people_sign_in() -> tuple[dict[str, Identity], list[Identity]]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.select_related("citizen")
    people = {
        user.username: identity_sign_in(user)
        for user in users.filter(
            username__in=[bench.OFFICER, bench.SUPERVISOR, bench.HEAVY_CITIZEN]
        )
    }
    names = [bench.SUBMITTER_USERNAME.format(i) for i in range(1, bench.SUBMITTERS + 1)]
    submitters = [identity_sign_in(user) for user in users.filter(username__in=names)]
    return people, submitters


def _setup() -> None:
    # The sessions the runner writes are signed with the key the server uses: one key for
    # both, made up for this run unless one is set.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    import django

    django.setup()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(args) -> int:
    _setup()
    from django.conf import settings
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        print(SQLITE_MESSAGE, file=sys.stderr)
        return 2
    missing = people_missing()
    if missing:
        print(
            f"The benchmark data is missing ({', '.join(missing)} not found): run "
            "`satupintu bench seed --scale S` first.",
            file=sys.stderr,
        )
        return 2
    from satupintu.organisations.models import Agency

    if not Agency.objects.filter(code=args.agency).exists():
        print(
            f"There is no agency {args.agency}: run `satupintu bench seed` first.", file=sys.stderr
        )
        return 2

    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    print("Signing in the benchmark's people…", flush=True)
    people, submitters = people_sign_in()
    machine = machine_facts()
    connections.close_all()

    media = tempfile.mkdtemp(prefix="satupintu-bench-media-")
    env = server_environment(secret_key=settings.SECRET_KEY, media_root=media)
    log = output / "gunicorn.log"
    log.write_bytes(b"")
    print("Collecting static files…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "satupintu.cli", "manage", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        check=True,
    )
    port = free_port()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    print(f"Starting gunicorn ({args.workers} workers) on {HOST}:{port}…", flush=True)
    server = server_start(port=port, workers=args.workers, env=env, log=log)
    scenarios: dict[str, dict] = {}
    memory: list[dict] = []
    try:
        server_wait(server, port)
        server_warm(port, args.workers)
        only = {name.strip() for name in args.only.split(",") if name.strip()}
        for scenario in scenarios_build(port=port, people=people, submitters=submitters, args=args):
            if only and scenario.name not in only and scenario.name != "floor":
                continue
            scenarios[scenario.name] = scenario_run(scenario, port=port, args=args)
        memory = worker_memory(server.pid)
    except KeyboardInterrupt:
        print("\nInterrupted: writing what was measured.", file=sys.stderr)
    except RuntimeError as exc:
        print(f"{exc}; see {log}", file=sys.stderr)
        return 1
    finally:
        server_stop(server)
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(media, ignore_errors=True)
        identities_sign_out([*people.values(), *submitters])

    report = report_judge(
        {
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "options": {
                "duration": args.duration,
                "sustain": args.sustain,
                "workers": args.workers,
                "clients": args.clients,
                "agency": args.agency,
                "ikm_year": args.ikm_year,
                "queue_depth": args.queue_depth,
            },
            "machine": machine,
            "scenarios": scenarios,
            "memory": {"workers": memory},
            "anchors": ANCHORS,
            "notes": {name: note or NOT_EXPLAINED for name, note in NOTES.items()},
        }
    )
    (output / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (output / "report.md").write_text(report_markdown(report))
    print(f"Report: {output / 'report.md'} and {output / 'report.json'}")
    return 0
