"""A small load generator: concurrent clients on raw HTTP/1.1 connections over loopback.

Why not an existing tool: the benchmark must run from a fresh clone with nothing more than
the project's own dependencies, and it needs what generic tools do not give together — a
fresh request per call (a new ``Idempotency-Key``, another citizen), flows of several
requests that count as one (send the answers, upload a document, submit), and the
``X-Queries`` header that the server adds while it is benchmarked.

Each client keeps one connection open and reuses it while the server allows it (a server
that answers ``Connection: close``, such as gunicorn's sync workers, costs a reconnect per
request, which is counted). Latency is measured with ``perf_counter_ns`` from just before
the request is written to just after the whole body is read. A short warm-up runs first and
is not counted.
"""

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

# How many error answers are kept (their status and the start of their body) for the report.
ERROR_SAMPLES = 5
ERROR_BODY_CHARS = 300


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self, limit: int = ERROR_BODY_CHARS) -> str:
        return self.body[:limit].decode("utf-8", "replace")


class HttpError(Exception):
    """The server broke the protocol, or closed the connection in the middle of an answer."""


class FlowFailed(Exception):
    """A step of a flow answered what the flow did not expect: the flow counts as an error."""

    def __init__(self, response: Response, step: str = ""):
        super().__init__(f"{step}: HTTP {response.status}" if step else f"HTTP {response.status}")
        self.response = response
        self.step = step


def percentile(values: list[float], pct: float) -> float | None:
    """The nearest-rank percentile of ``values``: the smallest value such that at least
    ``pct`` per cent of the values are at or below it (no interpolation: a reported latency
    is one that a request really had)."""
    if not values:
        return None
    if not 0 < pct <= 100:
        raise ValueError("pct must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(pct / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


async def _read_headers(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    line = await reader.readuntil(b"\r\n")
    parts = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise HttpError(f"not an HTTP/1.x status line: {line[:80]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            return status, headers
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        value = value.strip()
        # Repeated headers (Set-Cookie) are joined; the generator reads none of them.
        headers[name] = f"{headers[name]}, {value}" if name in headers else value


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        size = int(line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            # Trailers, if any, end with an empty line.
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return bytes(body)
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise HttpError("a chunk does not end with CRLF")


class Connection:
    """One client's HTTP/1.1 connection, opened when needed and reused while the server
    keeps it alive."""

    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0
        # Filled by every request: the X-Queries of the flow in progress.
        self.queries = 0
        self.queries_seen = False

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.opened += 1

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    def _encode(self, request: Request) -> bytes:
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "keep-alive"}
        headers.update(request.headers)
        if request.body or request.method in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(request.body))
        head = f"{request.method} {request.path} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()
        )
        return head.encode("latin-1") + b"\r\n" + request.body

    async def request(self, request: Request) -> Response:
        """Send ``request`` and read the whole answer. A connection that the server closed
        while it was idle is replaced once, before anything of the answer was read."""
        reused = self.writer is not None
        try:
            return await self._exchange(request)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            await self.close()
            if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            return await self._exchange(request)

    async def _exchange(self, request: Request) -> Response:
        if self.writer is None:
            await self._open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(self._encode(request))
        await self.writer.drain()
        status, headers = await _read_headers(self.reader)
        while 100 <= status < 200:  # 100 Continue and other interim answers
            status, headers = await _read_headers(self.reader)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = await _read_chunked(self.reader)
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif status in (204, 304) or request.method == "HEAD":
            body = b""
        else:  # the body ends when the server closes the connection
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        if "x-queries" in headers:
            self.queries += int(headers["x-queries"])
            self.queries_seen = True
        return Response(status=status, headers=headers, body=body)


# A flow: what one call of the benchmark does, given a connection and its sequence number
# (to vary what it sends). It answers the final response, or raises FlowFailed.
Flow = Callable[[Connection, int], Awaitable[Response]]


def single(produce: Callable[[int], Request]) -> Flow:
    """The flow of one request made by ``produce`` (called anew for every request)."""

    async def flow(connection: Connection, index: int) -> Response:
        return await connection.request(produce(index))

    return flow


@dataclass
class LoadResult:
    clients: int
    duration: float  # seconds from the first counted request to the last answer
    count: int  # calls counted (errors included)
    errors: int
    latencies_ns: list[int] = field(repr=False, default_factory=list)
    queries: list[int] = field(repr=False, default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    connections: int = 0

    @property
    def throughput(self) -> float:
        return self.count / self.duration if self.duration > 0 else 0.0

    def latency_ms(self, pct: float) -> float | None:
        value = percentile(self.latencies_ns, pct)
        return None if value is None else value / 1e6

    @property
    def mean_ms(self) -> float | None:
        if not self.latencies_ns:
            return None
        return sum(self.latencies_ns) / len(self.latencies_ns) / 1e6

    @property
    def mean_queries(self) -> float | None:
        return sum(self.queries) / len(self.queries) if self.queries else None

    def summary(self) -> dict:
        """The figures of the report (milliseconds, calls per second)."""
        return {
            "clients": self.clients,
            "duration_s": round(self.duration, 3),
            "count": self.count,
            "errors": self.errors,
            "throughput": round(self.throughput, 1),
            "p50_ms": _round(self.latency_ms(50)),
            "p95_ms": _round(self.latency_ms(95)),
            "p99_ms": _round(self.latency_ms(99)),
            "mean_ms": _round(self.mean_ms),
            "max_ms": _round(max(self.latencies_ns) / 1e6 if self.latencies_ns else None),
            "mean_queries": _round(self.mean_queries, 2),
            "connections": self.connections,
            "error_samples": self.error_samples,
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


async def run_load(
    *,
    host: str,
    port: int,
    flow: Flow,
    clients: int,
    duration: float,
    warmup: float = 1.0,
    progress: Callable[[int, int, float], None] | None = None,
    start_index: int = 0,
) -> LoadResult:
    """Run ``flow`` from ``clients`` concurrent clients for ``warmup`` seconds (not
    counted), then for ``duration`` seconds. Calls that start before the end are finished
    and counted. ``progress(count, errors, elapsed)`` is called about once a second."""
    result = LoadResult(clients=clients, duration=0.0, count=0, errors=0)
    loop_clock = time.perf_counter
    counter = iter(range(start_index, 2**62))
    begin = loop_clock()
    measure_from = begin + warmup
    stop_at = measure_from + duration
    last_answer = measure_from

    async def client() -> None:
        nonlocal last_answer
        connection = Connection(host, port)
        try:
            while (now := loop_clock()) < stop_at:
                counted = now >= measure_from
                connection.queries, connection.queries_seen = 0, False
                started = time.perf_counter_ns()
                error = None
                try:
                    response = await flow(connection, next(counter))
                    if not response.ok:
                        error = f"HTTP {response.status}: {response.text()}"
                except FlowFailed as failed:
                    error = f"{failed}: {failed.response.text()}"
                except (OSError, HttpError, asyncio.IncompleteReadError, ValueError) as exc:
                    await connection.close()
                    error = f"{type(exc).__name__}: {exc}"[:ERROR_BODY_CHARS]
                elapsed = time.perf_counter_ns() - started
                if not counted:
                    continue
                last_answer = max(last_answer, loop_clock())
                result.count += 1
                result.latencies_ns.append(elapsed)
                if connection.queries_seen:
                    result.queries.append(connection.queries)
                if error is not None:
                    result.errors += 1
                    if len(result.error_samples) < ERROR_SAMPLES:
                        result.error_samples.append(error)
        finally:
            result.connections += connection.opened
            await connection.close()

    async def report() -> None:
        while True:
            await asyncio.sleep(1.0)
            now = loop_clock()
            if progress is not None and now >= measure_from:
                progress(result.count, result.errors, now - measure_from)

    reporter = asyncio.create_task(report())
    try:
        await asyncio.gather(*(client() for _ in range(clients)))
    finally:
        reporter.cancel()
    result.duration = max(last_answer - measure_from, 1e-9)
    return result


def load_run(**kwargs) -> LoadResult:
    """``run_load`` from synchronous code (its own event loop)."""
    return asyncio.run(run_load(**kwargs))


async def fetch(host: str, port: int, request: Request) -> Response:
    """One request on a connection of its own (for checks before and between runs)."""
    connection = Connection(host, port)
    try:
        return await connection.request(request)
    finally:
        await connection.close()
