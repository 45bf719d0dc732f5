"""Backup and restore (issue: `satupintu backup` and `satupintu restore` for PostgreSQL and
SQLite, data and uploaded files): an archive restored into a fresh database holds the same
rows, the same case and the same uploaded bytes; a restore refuses a damaged archive, one of
another database vendor or of newer code, and a database that already holds data unless
forced, before it changes anything."""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from satupintu import cli
from satupintu.core.backup import (
    BackupError,
    backup_create,
    backup_restore,
    database_row_counts,
)

# A 1x1 grey JPEG, as a camera would write it; a birth statement may be a JPEG.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb00430050373c463c32504641465a55505f78c882786e"
    "6e78f5afb991c8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffffc0000b080001000101011100ffc40014000100000000000000000000000000000000ffc4001410010000"
    "0000000000000000000000000000ffda0008010100003f003fffd9"
)
KEY_TABLES = ("accounts_user", "catalog_service", "cases_case", "cases_document", "core_auditevent")

# Runs in a process of its own against the source database: a citizen's case with an
# uploaded birth statement, then the backup through the command line.
SEED = textwrap.dedent(
    """
    import json, os, sys
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    django.setup()
    from pathlib import Path
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone
    from satupintu import cli
    from satupintu.cases.constants import SubmissionStatus
    from satupintu.cases.documents import document_upload
    from satupintu.cases.models import Submission
    from satupintu.cases.services import case_open
    from satupintu.catalog.models import Service
    from satupintu.catalog.services import catalog_load
    from satupintu.demo.people import demo_people_load

    call_command("migrate", "--no-input", verbosity=0)
    catalog_load(directory=Path(settings.PACKAGE_DIR) / "definitions")
    demo_people_load()
    citizen = get_user_model().objects.get(username="warga")
    service = Service.objects.get(code="dukcapil-surabaya.akta-kelahiran")
    submission = Submission.objects.create(
        applicant=citizen, service_version=service.current_version,
        status=SubmissionStatus.DRAFT,
    )
    document = document_upload(
        submission=submission, field_key="birth_statement_file",
        upload=SimpleUploadedFile("surat.jpg", bytes.fromhex(sys.argv[2]), "image/jpeg"),
        actor=citizen,
    )
    now = timezone.now()
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, now
    submission.tracking = f"T{submission.pk:07d}"
    submission.save()
    case = case_open(
        submission=submission, service_version=service.current_version,
        submitted_at=now, actor=citizen,
    )
    assert cli.main(["backup", "--output", sys.argv[1]]) == 0
    print(json.dumps({"case": str(case.public_id), "document": str(document.public_id)}))
    """
)

# Runs against the restored database: what is there.
INSPECT = textwrap.dedent(
    """
    import json, os, sys
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    django.setup()
    from satupintu.cases.models import Case, Document
    from satupintu.core.backup import database_row_counts

    case = Case.objects.select_related("service").get(public_id=sys.argv[1])
    document = Document.objects.get(public_id=sys.argv[2])
    with document.file.open("rb") as handle:
        content = handle.read()
    print(json.dumps({
        "counts": database_row_counts(),
        "service": case.service.code,
        "applicant": case.applicant.username,
        "file": content.hex(),
    }))
    """
)


def run(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def environment(tmp_path: Path, name: str, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="satupintu.settings",
        SATUPINTU_VAR_DIR=str(tmp_path / name),
        SATUPINTU_MEDIA_ROOT=str(tmp_path / name / "media"),
        SATUPINTU_TASKS="database",
        SECRET_KEY="backup-test-key",
    )
    return env


def archive_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def round_trip(tmp_path: Path, source_url: str, target_url: str) -> None:
    """Seed and back up the source, restore into the fresh target, look at what is there."""
    source_env = environment(tmp_path, "source", source_url)
    seeded = run(SEED, str(tmp_path / "backups"), JPEG.hex(), env=source_env)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    (archive,) = (tmp_path / "backups").glob("satupintu-*.tar.gz")
    manifest = archive_manifest(archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["migrations"]["cases"].startswith("00")
    assert any(name.startswith("media/documents/") for name in manifest["checksums"])
    # Nothing about the citizen goes to the terminal.
    assert "warga" not in seeded.stdout and "surat" not in seeded.stdout

    target_env = environment(tmp_path, "target", target_url)
    restored = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "satupintu.cli", "restore", str(archive)],
        env=target_env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr[-2000:]
    assert "have the row counts of the backup" in restored.stdout

    found = run(INSPECT, ids["case"], ids["document"], env=target_env)
    assert found.returncode == 0, found.stderr[-2000:]
    state = json.loads(found.stdout.strip().splitlines()[-1])
    assert state["service"] == "dukcapil-surabaya.akta-kelahiran"
    assert state["applicant"] == "warga"
    assert bytes.fromhex(state["file"]) == JPEG
    for table in KEY_TABLES:
        assert state["counts"][table] == manifest["row_counts"][table] > 0, table
    assert state["counts"] == manifest["row_counts"]

    # The target now holds data: a second restore is refused without --force.
    again = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "satupintu.cli", "restore", str(archive)],
        env=target_env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert again.returncode == 2
    assert "already holds data" in again.stderr and len(again.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the configured database is not SQLite")
def test_an_sqlite_backup_restores_into_a_fresh_database(tmp_path):
    round_trip(
        tmp_path,
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'fresh' / 'target.sqlite3'}",
    )


@pytest.fixture
def postgres_databases():
    """Two databases of their own beside the test database: the source and the fresh target."""
    import psycopg

    config = settings.DATABASES["default"]
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    names = [f"{config['NAME']}_src", f"{config['NAME']}_dst"]

    def execute(statement: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(statement)

    for name in names:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        execute(f'CREATE DATABASE "{name}"')
    credentials = quote(config.get("USER") or "", safe="")
    if config.get("PASSWORD"):
        credentials += ":" + quote(config["PASSWORD"], safe="")
    address = f"{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}"
    yield [f"postgres://{credentials}@{address}/{name}" for name in names]
    for name in names:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the configured database is not PostgreSQL"
)
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="the PostgreSQL client tools are not installed",
)
def test_a_postgresql_backup_restores_into_a_fresh_database(tmp_path, postgres_databases):
    source_url, target_url = postgres_databases
    round_trip(tmp_path, source_url, target_url)


# Refusals --------------------------------------------------------------------------------------


def place_upload(media_root: Path) -> None:
    upload = Path(media_root) / "documents" / "ab" / "abcdef"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(JPEG)


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of the test database (which holds the example catalogue) and one upload.

    Made before any test transaction opens: SQLite's backup cannot read a database that a
    transaction is writing."""
    from django.test import override_settings

    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    media_root = tmp_path_factory.mktemp("backup-media")
    place_upload(media_root)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        return backup_create(destination=tmp_path_factory.mktemp("backups"))


@pytest.fixture(autouse=True)
def media_upload(settings):
    """The upload that a refused restore must leave in place."""
    place_upload(settings.MEDIA_ROOT)


def rewrite(archive: Path, *, manifest=None, member=None) -> Path:
    """A copy of ``archive`` with its manifest changed by ``manifest`` or the bytes of its
    uploaded file changed by ``member``."""
    target = archive.with_name(f"changed-{len(list(archive.parent.iterdir()))}.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as sink:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif info.name.startswith("media/") and member:
                data = member(data)
            info.size = len(data)
            sink.addfile(info, io.BytesIO(data))
    return target


def unchanged(media_root: Path, counts: dict[str, int]) -> bool:
    return (
        Path(media_root) / "documents" / "ab" / "abcdef"
    ).read_bytes() == JPEG and database_row_counts() == counts


@pytest.mark.django_db
def test_a_database_that_holds_data_is_not_replaced_without_force(archive, settings, capsys):
    counts = database_row_counts()
    assert counts["catalog_service"] > 0
    with pytest.raises(BackupError, match="already holds data"):
        backup_restore(source=archive)
    assert cli.main(["restore", str(archive)]) == 2
    error = capsys.readouterr().err.strip()
    assert "--force" in error and len(error.splitlines()) == 1
    assert unchanged(settings.MEDIA_ROOT, counts)


@pytest.mark.django_db
def test_an_archive_with_an_altered_file_is_refused_even_with_force(archive, settings):
    counts = database_row_counts()
    damaged = rewrite(archive, member=lambda data: data[:-2] + b"\x00\x00")
    with pytest.raises(BackupError, match="checksum of media/documents/ab/abcdef is wrong"):
        backup_restore(source=damaged, force=True)
    assert unchanged(settings.MEDIA_ROOT, counts)


@pytest.mark.django_db
def test_an_archive_of_another_database_vendor_is_refused(archive, settings):
    counts = database_row_counts()
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    foreign = rewrite(archive, manifest=lambda manifest: {**manifest, "vendor": other})
    with pytest.raises(BackupError, match=f"backup is of a {other} database"):
        backup_restore(source=foreign, force=True)
    assert unchanged(settings.MEDIA_ROOT, counts)


@pytest.mark.django_db
def test_an_archive_of_newer_code_is_refused(archive, settings):
    counts = database_row_counts()

    def newer(manifest):
        return {**manifest, "migrations": {**manifest["migrations"], "cases": "0999_future"}}

    with pytest.raises(BackupError, match=r"newer version of Satupintu .*cases\.0999_future"):
        backup_restore(source=rewrite(archive, manifest=newer), force=True)
    assert unchanged(settings.MEDIA_ROOT, counts)


@pytest.mark.django_db
def test_the_manifest_describes_the_archive(archive):
    manifest = archive_manifest(archive)
    assert manifest["format_version"] == 1 and manifest["vendor"] == connection.vendor
    assert manifest["row_counts"]["catalog_service"] == database_row_counts()["catalog_service"]
    assert set(manifest["checksums"]) == {
        "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3",
        "media/documents/ab/abcdef",
    }
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
