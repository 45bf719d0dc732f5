"""The benchmark's load generator and report (issue: `make bench`): raw HTTP/1.1 with
keep-alive, chunked and sized bodies, every call counted with its status and X-Queries,
nearest-rank percentiles; the report's ratios to the floor and its met/missed verdicts; the
sessions the runner signs people in with. No figure of this machine is asserted here."""

import argparse
import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.bench import run
from satupintu.bench.load import (
    ERROR_SAMPLES,
    Connection,
    FlowFailed,
    Request,
    fetch,
    percentile,
    run_load,
    single,
)
from satupintu.bench.options import add_run_options

CHUNKS = [b'{"items": [', b"1, 2, 3", b"]}"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless a route says otherwise
    connections = 0
    lock = threading.Lock()

    def setup(self):
        super().setup()
        with Handler.lock:
            Handler.connections += 1

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, **headers: str):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/ok":
            self._send(200, b'{"status": "ok"}')
        elif self.path == "/queries":
            self._send(200, b"{}", X_Queries="3")
        elif self.path == "/fail":
            self._send(500, b"boom: " + b"x" * 1000)
        elif self.path == "/close":
            self.close_connection = True
            self._send(200, b"bye", Connection="close")
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in CHUNKS:
                self.wfile.write(f"{len(chunk):x};ext=1\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        else:
            self._send(404, b"no")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self._send(201, body)


@pytest.fixture
def server():
    Handler.connections = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def many(port: int, paths: list[str]):
    async def go():
        connection = Connection("127.0.0.1", port)
        try:
            return [await connection.request(Request("GET", path)) for path in paths], connection
        finally:
            await connection.close()

    return asyncio.run(go())


# Percentiles ----------------------------------------------------------------------------------


def test_percentiles_are_nearest_rank():
    values = [50, 15, 40, 20, 35]  # unsorted on purpose
    assert percentile(values, 5) == 15
    assert percentile(values, 30) == 20
    assert percentile(values, 40) == 20
    assert percentile(values, 50) == 35
    assert percentile(values, 100) == 50
    hundred = list(range(1, 101))
    assert (percentile(hundred, 50), percentile(hundred, 95), percentile(hundred, 99)) == (
        50,
        95,
        99,
    )
    assert percentile(list(range(1, 11)), 95) == 10  # rank ⌈9.5⌉ = 10: no interpolation
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 0)


# The HTTP client ------------------------------------------------------------------------------


def test_bodies_by_content_length_and_chunked(server):
    (sized, chunked), _connection = many(server, ["/ok", "/chunked"])
    posted = asyncio.run(fetch("127.0.0.1", server, Request("POST", "/", body=b"hello")))
    assert (sized.status, sized.body) == (200, b'{"status": "ok"}')
    assert chunked.status == 200 and chunked.body == b"".join(CHUNKS)
    assert (posted.status, posted.body) == (201, b"hello")


def test_a_kept_alive_connection_is_reused(server):
    responses, connection = many(server, ["/ok", "/chunked", "/ok", "/fail", "/ok"])
    assert [response.status for response in responses] == [200, 200, 200, 500, 200]
    assert connection.opened == 1
    assert Handler.connections == 1


def test_a_closed_connection_is_opened_again(server):
    responses, connection = many(server, ["/close", "/close", "/ok"])
    assert [response.body for response in responses] == [b"bye", b"bye", b'{"status": "ok"}']
    assert connection.opened == 3


# The load ---------------------------------------------------------------------------------------


def test_every_call_is_counted_with_its_errors_and_queries(server):
    made = {"ok": 0, "fail": 0}

    def produce(index: int) -> Request:
        path = "/fail" if index % 3 == 0 else "/queries"
        made["fail" if path == "/fail" else "ok"] += 1
        return Request("GET", path)

    result = asyncio.run(
        run_load(
            host="127.0.0.1",
            port=server,
            flow=single(produce),
            clients=3,
            duration=0.3,
            warmup=0.0,
        )
    )
    assert result.count == made["ok"] + made["fail"] == len(result.latencies_ns)
    assert result.errors == made["fail"] > 0
    assert result.mean_queries == 3.0  # only the answers that carry X-Queries
    assert len(result.queries) == made["ok"]
    assert len(result.error_samples) == min(ERROR_SAMPLES, made["fail"])
    assert result.error_samples[0].startswith("HTTP 500: boom")
    assert len(result.error_samples[0]) < 400  # the start of the body only
    assert result.connections == 3  # one kept-alive connection per client
    summary = result.summary()
    assert summary["count"] == result.count and summary["errors"] == result.errors
    assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"] <= summary["max_ms"]


def test_warm_up_calls_are_not_counted(server):
    made = []

    def produce(index: int) -> Request:
        made.append(index)
        return Request("GET", "/ok")

    result = asyncio.run(
        run_load(
            host="127.0.0.1", port=server, flow=single(produce), clients=1, duration=0.2, warmup=0.2
        )
    )
    assert 0 < result.count < len(made)
    assert result.errors == 0 and result.mean_queries is None


def test_a_flow_that_fails_and_a_refused_connection_are_errors(server):
    async def flow(connection, index):
        response = await connection.request(Request("GET", "/ok"))
        raise FlowFailed(response, "second step")

    failed = asyncio.run(
        run_load(host="127.0.0.1", port=server, flow=flow, clients=1, duration=0.1, warmup=0)
    )
    assert failed.count == failed.errors > 0
    assert failed.error_samples[0].startswith("second step: HTTP 200")

    closed = run.free_port()  # nothing listens there
    refused = asyncio.run(
        run_load(
            host="127.0.0.1",
            port=closed,
            flow=single(lambda index: Request("GET", "/")),
            clients=1,
            duration=0.1,
            warmup=0,
        )
    )
    assert refused.count == refused.errors > 0
    assert "ConnectionRefusedError" in refused.error_samples[0]


# The report -------------------------------------------------------------------------------------


def phase(p50: float, throughput: float, errors: int = 0, clients: int = 1, duration=20.0):
    return {
        "clients": clients,
        "duration_s": duration,
        "count": 1000,
        "errors": errors,
        "throughput": throughput,
        "p50_ms": p50,
        "p95_ms": p50 * 2,
        "p99_ms": p50 * 3,
        "mean_queries": 4.0,
        "error_samples": ["HTTP 500: boom"] if errors else [],
    }


def scenario(p50: float, throughput: float, errors: int = 0, duration: float = 20.0) -> dict:
    return {
        "title": "…",
        "request": "GET /…",
        "failure": None,
        "latency": phase(p50, 1000 / p50),
        "throughput": phase(p50 * 4, throughput, errors, clients=8, duration=duration),
    }


def made_up_report(**changes) -> dict:
    scenarios = {
        "floor": scenario(2.0, 1000.0),
        "search": scenario(5.0, 400.0),  # 2.5× the floor: met
        "queue_first": scenario(12.0, 250.0),  # over 10 ms: missed; throughput met
        "queue_deep": scenario(13.2, 240.0),  # 1.1× page 1
        "submission": scenario(30.0, 210.0, errors=2, duration=60.0),  # errors: missed
        "ikm": {"title": "…", "request": "GET /api/v1/ikm", "failure": "HTTP 403: nope"},
    }
    scenarios.update(changes)
    return {
        "started_at": "2026-11-30T05:00:00+00:00",
        "options": {"clients": 8, "workers": 2, "duration": 20},
        "machine": {"cores": 2, "python": "3.11", "postgresql": "16", "rows": {"cases.Case": 10}},
        "scenarios": scenarios,
        "memory": {"workers": [{"pid": 10, "rss_mb": 150.0}, {"pid": 11, "rss_mb": 230.5}]},
    }


def verdicts(report: dict, name: str) -> dict[str, str]:
    return {item["target"]: item["verdict"] for item in report["scenarios"][name]["targets"]}


def test_ratios_to_the_floor_and_verdicts():
    report = run.report_judge(made_up_report())
    scenarios = report["scenarios"]
    assert scenarios["search"]["ratios"] == {"p50": 2.5, "throughput": 0.4}
    assert scenarios["floor"]["ratios"] == {"p50": 1.0, "throughput": 1.0}
    assert verdicts(report, "search") == {"p50 ≤ 3× the floor's p50": "met"}
    assert scenarios["search"]["verdict"] == "met"
    assert verdicts(report, "queue_first") == {
        "p50 ≤ 10 ms": "missed",
        "≥ 200 per second at the concurrent clients": "met",
    }
    assert scenarios["queue_first"]["verdict"] == "missed"
    # The deep page against page 1: 13.2 / 12 = 1.1, within 1.2×.
    assert verdicts(report, "queue_deep")["p50 ≤ 1.2× queue_first's p50"] == "met"
    assert verdicts(report, "submission") == {
        "≥ 200 per second at the concurrent clients": "met",
        "sustained for 60 s": "met",
        "0 errors": "missed",
    }
    assert scenarios["ikm"]["verdict"] == "not measured"
    assert scenarios["ikm"]["ratios"] == {"p50": None, "throughput": None}
    assert report["memory"]["verdict"] == "missed"  # 230.5 MB > 200 MB


def test_a_slower_deep_page_and_a_short_run_miss_their_targets():
    report = run.report_judge(
        made_up_report(
            queue_deep=scenario(15.0, 240.0),  # 1.25× page 1
            submission=scenario(30.0, 250.0, duration=5.0),
            search=scenario(6.5, 300.0),  # 3.25× the floor
        )
    )
    assert verdicts(report, "queue_deep")["p50 ≤ 1.2× queue_first's p50"] == "missed"
    assert verdicts(report, "submission")["sustained for 60 s"] == "missed"
    assert verdicts(report, "search") == {"p50 ≤ 3× the floor's p50": "missed"}
    without_floor = made_up_report()
    del without_floor["scenarios"]["floor"]
    judged = run.report_judge(without_floor)
    assert verdicts(judged, "search") == {"p50 ≤ 3× the floor's p50": "not measured"}


def test_the_markdown_report():
    report = run.report_judge(made_up_report())
    text = run.report_markdown(report, notes={"queue_first": "The queue sorts in Python."})
    assert "| search | 5.00 | 15.00 | 400.0 | 0 | 4.0 | 2.50× | 0.40× | met |" in text
    assert "| queue_first |" in text and "| missed |" in text
    assert "**queue_first** (p50 ≤ 10 ms): The queue sorts in Python." in text
    assert "**submission** (0 errors): not explained yet" in text
    assert "**memory** (≤ 200 MB per worker): not explained yet" in text
    assert "HTTP 403: nope" in text  # the failed scenario says why
    assert "**ikm**" not in text and "Not measured (the scenario failed" in text
    assert "140–240 ms" in text and "25 case creations" in text
    assert "(8.4×)" in text  # 210 submissions per second against 25
    assert "| 11 | 230.5 |" in text


# Signing in and refusing ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_prepared_session_signs_in_with_csrf():
    user = get_user_model().objects.create_user(username="bench-test", password="x" * 12)
    identity = run.identity_sign_in(user)
    cookies = dict(part.split("=", 1) for part in identity.headers["Cookie"].split("; "))
    client = Client(enforce_csrf_checks=True)
    client.cookies.load(cookies)

    mine = client.get("/api/v1/my/cases")
    assert mine.status_code == 200, mine.content
    unknown = {"service": "no-such-service", "answers": {}}
    with_token = client.post(
        "/api/v1/submissions",
        unknown,
        content_type="application/json",
        headers={"X-CSRFToken": identity.headers["X-CSRFToken"]},
    )
    assert with_token.status_code == 422, with_token.content  # past the CSRF check
    without = client.post("/api/v1/submissions", unknown, content_type="application/json")
    assert without.status_code == 403 and without.json()["code"] == "csrf_failed"

    run.identities_sign_out([identity])
    assert client.get("/api/v1/my/cases").status_code == 401


@pytest.mark.django_db
def test_the_runner_refuses_sqlite_or_an_unseeded_database(monkeypatch, capsys, tmp_path):
    from django.db import connection

    monkeypatch.setenv("SECRET_KEY", "insecure-key-for-tests-only")
    parser = argparse.ArgumentParser()
    add_run_options(parser)
    args = parser.parse_args(["--output", str(tmp_path)])

    assert run.main(args) == 2
    message = capsys.readouterr().err
    if connection.vendor == "postgresql":
        assert "satupintu bench seed --scale S" in message
    else:
        assert message.strip() == run.SQLITE_MESSAGE
    assert not (tmp_path / "report.md").exists()
