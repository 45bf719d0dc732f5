"""Requirement: a strict Content-Security-Policy and a clean ``check --deploy`` under
production settings (issue "security hardening").

Every page carries a policy whose scripts come from the site itself only (no inline script,
no eval); no template has an inline script, an event-handler attribute or a style attribute
that the policy would block. The deployment checks pass with the settings that production
takes from its environment.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/en/",
    "/akun/masuk/",
    "/akun/daftar/",
    "/pengaduan/",
    "/admin/login/",
    "/api/v1/docs",
]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_a_policy_without_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200, path

    policy = directives(response["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert set(policy["frame-src"]) == {
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    }


def test_styles_are_strict_except_on_the_api_docs(client):
    assert directives(client.get("/")["Content-Security-Policy"])["style-src"] == ["'self'"]
    docs = directives(client.get("/api/v1/docs")["Content-Security-Policy"])
    assert "'unsafe-inline'" in docs["style-src"]
    assert docs["script-src"] == ["'self'"]


def test_the_api_docs_load_swagger_from_our_own_static_files(client):
    body = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', body)
    assert sources
    assert all(source.startswith("/static/") for source in sources), sources


def test_the_lesson_player_host_is_allowed_to_be_framed():
    # The learning module builds its player addresses for these hosts only.
    from satupintu.learning.views.learner import video_embed_url

    hosts = {
        re.match(r"https://[^/]+", video_embed_url(url)).group(0)
        for url in ("https://youtu.be/dQw4w9WgXcQ", "https://vimeo.com/76979871")
    }
    assert hosts <= set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"])


TEMPLATE_ROOTS = sorted(Path(settings.PACKAGE_DIR).rglob("templates"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "inline <script>"),
        (HANDLER, "on…= handler"),
        (STYLE_ATTRIBUTE, "style attribute"),
    ],
)
def test_no_template_needs_what_the_policy_blocks(pattern, what):
    offenders = [
        str(path.relative_to(settings.PACKAGE_DIR))
        for root in TEMPLATE_ROOTS
        for path in root.rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"{what} in {offenders}"


def production_environment(tmp_path, **changes) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SATUPINTU_", "SECURE_", "DJANGO_", "OIDC_"))
        and name not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "satupintu.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "layanan.contoh.go.id",
            "DEBUG": "0",
            "SATUPINTU_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
            **changes,
        }
    )
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    # A process of its own: the settings module decides "production" at import, outside
    # the test run.
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("changes", [{}, {"SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_PRELOAD": "1"}])
def test_check_deploy_is_clean_under_production_settings(tmp_path, changes):
    result = check_deploy(production_environment(tmp_path, **changes))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_catches_insecure_cookies(tmp_path):
    result = check_deploy(production_environment(tmp_path, SECURE_COOKIES="0"))
    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr


def read_setting(env: dict[str, str], name: str) -> str:
    # A process of its own, like ``check_deploy``: the settings decide at import.
    return subprocess.run(  # noqa: S603 - our own interpreter, a setting's name
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "True"),
        ({"SATUPINTU_STAFF_TOTP": "0"}, "False"),
        ({"SATUPINTU_DEMO": "1"}, "False"),
        ({"DEBUG": "1"}, "False"),
    ],
)
def test_production_settings_ask_staff_for_a_second_factor(tmp_path, changes, expected):
    env = production_environment(tmp_path, **changes)
    assert read_setting(env, "SATUPINTU_STAFF_TOTP") == expected


def test_the_favicon_address_leads_to_the_mark(client):
    """Browsers ask for /favicon.ico when a tab shows a file; it must not answer 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg") and "mark" in response["Location"]
    assert "max-age=86400" in response["Cache-Control"]
