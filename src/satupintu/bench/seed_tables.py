"""Writing generated rows into tables fast: PostgreSQL's COPY (psycopg 3 ``cursor.copy()``)
or, on SQLite, batched ``executemany`` — with a progress bar on stderr.

Rows come from generators as tuples of strings (or ``None`` for NULL), already in the form
the database reads back: both COPY's text format and SQLite's column affinity accept
``"42"`` for an integer, so one generator serves both databases. ``Dialect`` holds the few
spellings that differ (booleans, UUIDs, timestamps).
"""

import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection

# Rows per COPY write or executemany call: big enough to amortise the round trip, small
# enough that a chunk of rows never weighs much.
CHUNK = 5_000


class Dialect:
    """How values are spelt for the database in use."""

    def __init__(self, vendor: str):
        self.postgres = vendor == "postgresql"
        self.true = "t" if self.postgres else "1"
        self.false = "f" if self.postgres else "0"

    def boolean(self, value: bool) -> str:
        return self.true if value else self.false

    def uuid(self, bits: int) -> str:
        """A version-4 UUID from 128 random bits, as the database stores it (Django keeps
        UUIDs as 32 hex digits on SQLite)."""
        bits = (bits & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
        text = f"{bits:032x}"
        if not self.postgres:
            return text
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def timestamp(self, epoch: int) -> str:
        """A UTC timestamp from seconds since the epoch (Django stores UTC on SQLite, without
        an offset)."""
        text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
        return text + "+00" if self.postgres else text


def copy_text(value: str) -> str:
    """Escape a text value for COPY's text format (only generated JSON can need it)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class Progress:
    """One line per table on ``out``: a bar, rows done of the total, the rate and the time
    left, redrawn at most four times a second (only the final line when ``out`` is not a
    terminal, so that logs stay readable)."""

    WIDTH = 28

    def __init__(self, label: str, total: int, out: TextIO | None):
        self.label, self.total, self.out = label, max(total, 0), out
        self.started = time.monotonic()
        self.shown = 0.0
        self.live = bool(out) and getattr(out, "isatty", lambda: False)()

    def _line(self, done: int, elapsed: float) -> str:
        share = done / self.total if self.total else 1.0
        filled = min(self.WIDTH, int(share * self.WIDTH))
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 and done < self.total else 0.0
        return (
            f"{self.label:<22} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
            f"{done:>10,}/{self.total:,} {rate:>9,.0f} rows/s "
            f"{'ETA ' + _duration(left) if done < self.total else _duration(elapsed):>9}"
        )

    def update(self, done: int) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if now - self.shown >= 0.25:
            self.shown = now
            self.out.write("\r" + self._line(done, now - self.started))
            self.out.flush()

    def finish(self, done: int) -> float:
        elapsed = time.monotonic() - self.started
        if self.out:
            self.out.write(("\r" if self.live else "") + self._line(done, elapsed) + "\n")
            self.out.flush()
        return elapsed


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"


@dataclass
class TableTiming:
    label: str
    rows: int
    seconds: float


@dataclass
class TableWriter:
    """Writes rows into tables and remembers how long each took."""

    dialect: Dialect
    out: TextIO | None = sys.stderr
    timings: list[TableTiming] = field(default_factory=list)

    def write(
        self,
        *,
        model,
        columns: Sequence[str],
        rows: Iterable[tuple],
        total: int,
        label: str | None = None,
    ) -> int:
        """Write ``rows`` (tuples in the order of ``columns``, which are field names of
        ``model``) into its table; answer how many were written."""
        table = model._meta.db_table
        names = [model._meta.get_field(name).column for name in columns]
        progress = Progress(label or table, total, self.out)
        if self.dialect.postgres:
            done = self._copy(table, names, rows, progress)
        else:
            done = self._insert(table, names, rows, progress)
        self.timings.append(TableTiming(label or table, done, progress.finish(done)))
        return done

    def record(self, label: str, rows: int, seconds: float) -> None:
        """Time spent on something other than a bulk write (indexing, aggregates)."""
        self.timings.append(TableTiming(label, rows, seconds))
        if self.out:
            self.out.write(f"{label:<22} {rows:>10,} rows in {_duration(seconds)}\n")
            self.out.flush()

    def _copy(self, table: str, names: list[str], rows: Iterable[tuple], progress) -> int:
        quoted = ", ".join(f'"{name}"' for name in names)
        done = 0
        lines: list[str] = []
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy,
        ):
            for row in rows:
                lines.append("\t".join(["\\N" if value is None else value for value in row]))
                if len(lines) >= CHUNK:
                    lines.append("")
                    copy.write("\n".join(lines))
                    done += len(lines) - 1
                    lines.clear()
                    progress.update(done)
            if lines:
                lines.append("")
                copy.write("\n".join(lines))
                done += len(lines) - 1
        return done

    def _insert(self, table: str, names: list[str], rows: Iterable[tuple], progress) -> int:
        quoted = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join(["%s"] * len(names))
        # Names come from the models' metadata, never from input.
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'  # noqa: S608
        done = 0
        batch: list[tuple] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) >= CHUNK:
                    cursor.executemany(sql, batch)
                    done += len(batch)
                    batch.clear()
                    progress.update(done)
            if batch:
                cursor.executemany(sql, batch)
                done += len(batch)
        return done
