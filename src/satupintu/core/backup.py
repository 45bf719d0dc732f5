"""Backups of a whole installation in one file, and their restoration.

An archive (``.tar.gz``) holds ``manifest.json``, the database dump and the uploaded files
under ``media/``. The manifest records the format, the application's version, the database
vendor, when the backup was made, the last applied migration of each app, the number of rows
of every table and the sha256 of every other member, so that a restore can refuse an archive
that was damaged, made for another kind of database or by a newer version of the code before
it touches anything.

PostgreSQL is dumped with ``pg_dump --format=custom`` inside an exported snapshot, so that the
row counts of the manifest describe exactly the dump; SQLite is copied with the online backup
API, never by copying the live file (a copy taken during a write is a broken database).

Only table names and counts are printed: nothing that identifies a person.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Tables that a freshly migrated, never used database already fills (Django's bookkeeping and
# the reference data of data migrations): a target holding rows in these only is still
# "empty", so that an operator may run ``migrate`` before restoring.
BOOKKEEPING_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "talent_competency",
        "talent_competencylevel",
    }
)
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is one line for the operator."""


@dataclass
class RestoreReport:
    """What a restore did: the archive's counts beside the counts found after ``migrate``."""

    created_at: str
    app_version: str
    media_files: int
    expected: dict[str, int] = field(default_factory=dict)
    actual: dict[str, int] = field(default_factory=dict)

    @property
    def differences(self) -> dict[str, tuple[int | None, int | None]]:
        """Tables whose count differs from the archive's (``None``: absent on that side)."""
        tables = sorted(set(self.expected) | set(self.actual))
        return {
            table: (self.expected.get(table), self.actual.get(table))
            for table in tables
            if self.expected.get(table) != self.actual.get(table)
        }


def _quiet(message: str) -> None:
    return None


# Row counts -----------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (quoted names)
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _postgresql_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p') "
        "AND pg_table_is_visible(c.oid) AND c.relnamespace <> 'pg_catalog'::regnamespace "
        "AND c.relnamespace <> 'information_schema'::regnamespace"
    )
    return [row[0] for row in cursor.fetchall()]


def database_row_counts(*, alias: str = "default") -> dict[str, int]:
    """Rows of every table of the configured database, by table name."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _count_rows(cursor, _postgresql_tables(cursor))
        return _count_rows(cursor, _sqlite_tables(cursor))


# Connections and migrations ---------------------------------------------------------------


def _vendor(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_env(alias: str = "default") -> dict[str, str]:
    """libpq's environment for the configured database: the password travels here, never on
    a command line, where any user of the machine could read it."""
    config = settings.DATABASES[alias]
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    options = config.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _pg_program(name: str) -> str:
    program = shutil.which(name)
    if not program:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools.")
    return program


def _applied_migrations(alias: str = "default") -> dict[str, str]:
    """The last applied migration of each app, in the order they were applied."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    latest: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


def _unknown_migrations(migrations: dict[str, str]) -> list[str]:
    """Migrations of the archive that this code does not have: the archive is newer."""
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known)


# Backup ---------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _dump_postgresql(target: Path) -> dict[str, int]:
    """Dump into ``target`` and count rows in the same snapshot."""
    import psycopg

    env = _pg_env()
    program = _pg_program("pg_dump")
    with psycopg.connect("", **_libpq_params(env)) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with snapshot.transaction(), snapshot.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            counts = _count_rows(cursor, _postgresql_tables(cursor))
            result = subprocess.run(  # noqa: S603 (fixed program, no shell)
                [
                    program,
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot_id}",
                    f"--file={target}",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
    if result.returncode != 0:
        raise BackupError("pg_dump failed: " + _first_line(result.stderr))
    return counts


def _libpq_params(env: dict[str, str]) -> dict[str, str]:
    names = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"}
    params = {key: env[variable] for variable, key in names.items() if env.get(variable)}
    params["dbname"] = env.get("PGDATABASE", "")
    if env.get("PGSSLMODE"):
        params["sslmode"] = env["PGSSLMODE"]
    return params


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def _dump_sqlite(target: Path) -> dict[str, int]:
    """Copy the live database page by page with SQLite's online backup API, then count the
    rows of the copy (which is what the archive holds)."""
    name = str(connections["default"].settings_dict["NAME"])
    # A connection of its own: Django's may be inside a write transaction, which SQLite's
    # backup cannot read through.
    live = sqlite3.connect(name, uri=name.startswith("file:"), timeout=20)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)
        return _count_rows(copy.cursor(), _sqlite_tables(copy.cursor()))
    finally:
        copy.close()
        live.close()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def backup_create(*, destination: Path, progress: Progress | None = None) -> Path:
    """Write an archive of the database and the uploaded files into the folder
    ``destination`` and return its path; the name carries the UTC time
    (``satupintu-20260130T021500Z.tar.gz``).

    The archive is written under a temporary name and renamed when complete, so that a copy
    job never picks up half a backup.
    """
    from satupintu import __version__

    say = progress or _quiet
    vendor = _vendor()
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    archive = destination / f"satupintu-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=destination, prefix=".backup-") as work:
        dump = Path(work) / DUMPS[vendor]
        say(f"Dumping the {vendor} database…")
        counts = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        say(f"{len(counts)} tables, {sum(counts.values())} rows.")
        files = _media_files(media_root)
        say(f"Checking {len(files)} uploaded files…")
        checksums = {DUMPS[vendor]: _sha256(dump)}
        for path in files:
            checksums[MEDIA_PREFIX + path.relative_to(media_root).as_posix()] = _sha256(path)
        manifest = {
            "format_version": FORMAT_VERSION,
            "app_version": __version__,
            "vendor": vendor,
            "created_at": now.isoformat(),
            "migrations": _applied_migrations(),
            "row_counts": counts,
            "checksums": checksums,
        }
        partial = Path(work) / archive.name
        say("Writing the archive…")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DUMPS[vendor], recursive=False)
            for path in files:
                arcname = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
                tar.add(path, arcname=arcname, recursive=False)
        partial.chmod(0o600)  # the archive holds personal data
        os.replace(partial, archive)
    say(f"Backup written: {archive} ({archive.stat().st_size} bytes).")
    return archive


# Restore --------------------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The archive holds a file outside its folders ({name}); refused.")
    return path.as_posix()


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError("This file is not a Satupintu backup (no manifest).") from exc
    if not isinstance(manifest, dict) or "checksums" not in manifest:
        raise BackupError("This file is not a Satupintu backup (unreadable manifest).")
    return manifest


def _check_manifest(manifest: dict, vendor: str) -> None:
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            f"The backup's format ({manifest.get('format_version')}) is newer than this "
            f"version of Satupintu reads ({FORMAT_VERSION}); upgrade Satupintu first."
        )
    if manifest.get("vendor") != vendor:
        raise BackupError(
            f"The backup is of a {manifest.get('vendor')} database but the configured "
            f"database is {vendor}; configure a {manifest.get('vendor')} database to restore it."
        )
    unknown = _unknown_migrations(manifest.get("migrations") or {})
    if unknown:
        raise BackupError(
            f"The backup was made by a newer version of Satupintu ({manifest.get('app_version')}"
            f"; migration {unknown[0]} is unknown here); upgrade Satupintu first."
        )


def _unpack(tar: tarfile.TarFile, manifest: dict, staging: Path) -> None:
    """Extract every member into ``staging``, checking each one's sha256 on the way; a
    missing, extra or altered member refuses the whole archive."""
    expected = dict(manifest["checksums"])
    for member in tar:
        if member.name == MANIFEST or member.isdir():
            continue
        name = _safe_name(member.name)
        if not member.isfile() or name not in expected:
            raise BackupError(f"The archive holds {name}, which its manifest does not list.")
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with tar.extractfile(member) as source, target.open("wb") as sink:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != expected.pop(name):
            raise BackupError(f"The archive is damaged: the checksum of {name} is wrong.")
    if expected:
        raise BackupError(f"The archive is incomplete: {sorted(expected)[0]} is missing.")


def _holds_data() -> bool:
    counts = database_row_counts()
    return any(rows for table, rows in counts.items() if table not in BOOKKEEPING_TABLES)


def _restore_postgresql(dump: Path) -> None:
    program = _pg_program("pg_restore")
    connections.close_all()
    result = subprocess.run(  # noqa: S603 (fixed program, no shell)
        [
            program,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_pg_env()['PGDATABASE']}",
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError("pg_restore failed: " + _first_line(result.stderr))


def _restore_sqlite(dump: Path) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    with sqlite3.connect(dump) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The database in the archive fails SQLite's integrity check.")
    check.close()
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, staged)
    # A write-ahead log left by the old database must not be replayed into the new one.
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staged, target)


def _restore_media(staging: Path, say: Progress) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    files = _media_files(staging)
    if media_root.exists() and any(media_root.iterdir()):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        media_root.rename(kept)
        say(f"The previous uploaded files are kept in {kept}.")
    elif media_root.exists():
        media_root.rmdir()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staging), str(media_root))
    return len(files)


def backup_restore(
    *, source: Path, force: bool = False, progress: Progress | None = None
) -> RestoreReport:
    """Restore the archive ``source`` into the configured database and media folder, then
    bring the schema up to date with ``migrate``.

    Refuses with :class:`BackupError`, before changing anything, when the archive is not a
    backup, is damaged, is of another database vendor or of a newer version of the code, or
    when the configured database already holds data and ``force`` is not given.
    """
    from django.core.management import call_command

    say = progress or _quiet
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not a readable .tar.gz archive.") from exc
    with tar, tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work:
        manifest = _read_manifest(tar)
        _check_manifest(manifest, vendor)
        if not force and _holds_data():
            raise BackupError(
                "The configured database already holds data; restore into an empty database "
                "or add --force to replace it."
            )
        staging = Path(work)
        say("Checking the archive…")
        _unpack(tar, manifest, staging)
        dump = staging / DUMPS[vendor]
        say(f"Restoring the {vendor} database…")
        if vendor == "postgresql":
            _restore_postgresql(dump)
        else:
            _restore_sqlite(dump)
        dump.unlink()
        say("Restoring the uploaded files…")
        media_dir = staging / MEDIA_PREFIX.rstrip("/")
        media_dir.mkdir(exist_ok=True)
        media_files = _restore_media(media_dir, say)
    say("Bringing the database up to date (migrate)…")
    call_command("migrate", "--no-input", verbosity=0)
    return RestoreReport(
        created_at=manifest.get("created_at", ""),
        app_version=manifest.get("app_version", ""),
        media_files=media_files,
        expected=manifest.get("row_counts") or {},
        actual=database_row_counts(),
    )
