"""The `satupintu` command (issue: foundation): its sub-commands exist, it runs as
`python -m satupintu.cli`, and the server refuses to start without a secret key."""

import os
import subprocess
import sys


def run(*args: str, cwd, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SATUPINTU_DEMO", "DEBUG"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "satupintu.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_the_commands(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "catalog", "manage"):
        assert command in result.stdout


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    result = run("serve", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_passes_through_to_django(tmp_path):
    result = run("manage", "check", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
