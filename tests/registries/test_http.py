"""Requirement: a deployment plugs a real registry in through the HTTP adapter
(``SATUPINTU_REGISTRY_<NAME>_URL``): it POSTs ``{"nik": …}`` to ``<URL>/<dataset>`` with the
bearer token, never puts the NIK in a URL, keeps only the documented fields, and fails softly
— a timeout, a refused connection, a 5xx, bad JSON or a redirect becomes a plain-words reason
in ``unavailable`` and a warning in the log without personal data.

The registry is a real HTTP server on 127.0.0.1, started in a thread by the test.
"""

import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from satupintu.accounts.services import consent_record
from satupintu.core.models import AuditEvent
from satupintu.registries.services import registry_read
from tests.registries.factories import CitizenProfileFactory

pytestmark = pytest.mark.django_db

NIK = "3578056503920001"
CHILD = "3578055407160001"
TOKEN = "rahasia-registri-uji"

PERSON = {
    "nik": NIK,
    "name": "Siti Rahayu",
    "sex": "F",
    "birth_date": "1992-03-25",
    "birth_place": "Surabaya",
    "religion": "islam",
    "marital_status": "kawin",
    "occupation": "Wiraswasta",
    "kk_number": "3578050302150007",
    "address": {"street": "Jl. Kedungdoro Gg. III No. 12", "village": "3578051003"},
}


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    headers: dict = field(default_factory=lambda: {"Content-Type": "application/json"})


def route(answer, status: int = 200, delay: float = 0.0) -> Route:
    body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
    return Route(status=status, body=body, delay=delay)


class Registry:
    """A registry on 127.0.0.1: answers each path as its ``routes`` say and records every
    request (path, headers, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[dict] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                registry.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(self.rfile.read(length) or b"null"),
                    }
                )
                answer = registry.routes.get(self.path, route({"found": False}, 404))
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    pass  # the client gave up (the timeout test)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def registry():
    with (
        Registry() as server,
        override_settings(
            SATUPINTU_REGISTRY_POPULATION_URL=server.url,
            SATUPINTU_REGISTRY_BUSINESS_URL=server.url + "/oss",
            SATUPINTU_REGISTRY_EDUCATION_URL=server.url + "/dapodik/",
            SATUPINTU_REGISTRY_TOKEN=TOKEN,
            SATUPINTU_REGISTRY_TIMEOUT=0.2,
        ),
    ):
        yield server


@pytest.fixture
def siti():
    return CitizenProfileFactory(nik=NIK).user


def read(user, datasets):
    consent = consent_record(
        user=user,
        purpose_code="prefill:kelahiran",
        purpose={"id": "Mengisi data kelahiran", "en": "Prefill the birth services"},
        datasets=datasets,
        granted=True,
    )
    return registry_read(user=user, datasets=datasets, consent=consent, purpose="prefill:kelahiran")


def test_a_record_is_read_with_the_nik_in_the_body_and_the_token_in_the_header(registry, siti):
    registry.routes["/api/v1/person"] = route({**PERSON, "mothers_maiden_name": "Rahasia"})

    answer = read(siti, ["population.person"])

    assert answer.data == {"person": PERSON}  # the undocumented field is not kept
    assert answer.sources == {"person": "Dispendukcapil — data kependudukan (SIAK)"}
    assert answer.unavailable == {}
    (request,) = registry.requests
    assert request["path"] == "/api/v1/person"
    assert NIK not in request["path"]
    assert request["body"] == {"nik": NIK}
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Content-Type"] == "application/json"


def test_each_registry_has_its_own_address_and_the_student_is_found_by_the_childs_nik(
    registry, siti
):
    registry.routes["/api/v1/family-card"] = route(
        {
            "number": "3578050302150007",
            "address": PERSON["address"],
            "head": {"nik": "3578051201890001", "name": "Agus Prasetyo"},
            "mother": {"nik": NIK, "name": "Siti Rahayu"},
            "father": {"nik": "3578051201890001", "name": "Agus Prasetyo"},
            "members": [
                {
                    "nik": NIK,
                    "name": "Siti Rahayu",
                    "sex": "F",
                    "relationship": "istri",
                    "birth_date": "1992-03-25",
                },
                {
                    "nik": CHILD,
                    "name": "Putri",
                    "sex": "F",
                    "relationship": "ANAK",
                    "birth_date": "2016-07-14",
                },
            ],
        }
    )
    registry.routes["/api/v1/dapodik/student"] = route(
        {
            "nisn": "0167381924",
            "nik": CHILD,
            "name": "Putri",
            "school_name": "SDN Kedungdoro",
            "school_npsn": "20532871",
            "level": "SD",
            "grade": 4,
        }
    )

    answer = read(siti, ["population.family_card", "education.student", "business.registration"])

    assert answer.data["family_card"]["mother"] == {"nik": NIK, "name": "Siti Rahayu"}
    assert answer.data["student"]["nisn"] == "0167381924"
    assert [r["path"] for r in registry.requests] == [
        "/api/v1/family-card",  # read once, for both datasets
        "/api/v1/dapodik/student",
        "/api/v1/oss/registration",
    ]
    assert registry.requests[1]["body"] == {"nik": CHILD}
    # 404 with {"found": false}: the registry has no record.
    assert answer.unavailable == {
        "business.registration": (
            "OSS tidak memiliki usaha aktif yang terdaftar atas NIK di profil Anda; isi sendiri "
            "datanya."
        )
    }


def test_a_registry_that_does_not_answer_in_time_is_unavailable(registry, siti, caplog):
    registry.routes["/api/v1/person"] = route(PERSON, delay=1.0)

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="satupintu.registries"):
        answer = read(siti, ["population.person"])
    elapsed = time.monotonic() - started

    assert elapsed < 0.9, elapsed
    assert answer.data == {}
    assert answer.unavailable["population.person"] == (
        "Registri kependudukan tidak menjawab tepat waktu; isi sendiri datanya, atau coba lagi "
        "nanti."
    )
    assert "timeout" in caplog.text and "population.person" in caplog.text
    assert NIK not in caplog.text and "Siti" not in caplog.text
    event = AuditEvent.objects.get(action="registry.read")
    assert event.details == {
        "dataset": "population.person",
        "purpose": "prefill:kelahiran",
        "found": False,
    }


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(route({"detail": "kesalahan server"}, 500), id="500"),
        pytest.param(route({"detail": "tidak tersedia"}, 503), id="503"),
        pytest.param(route(b"<html>Not Found</html>", 404), id="404-not-the-registry"),
    ],
)
def test_a_registry_error_is_unavailable(registry, siti, caplog, answer):
    registry.routes["/api/v1/person"] = answer
    with caplog.at_level(logging.WARNING, logger="satupintu.registries"):
        result = read(siti, ["population.person"])
    assert result.data == {}
    assert result.unavailable["population.person"] == (
        "Registri kependudukan tidak dapat dihubungi; isi sendiri datanya."
    )
    assert f"HTTP {answer.status}" in caplog.text
    assert NIK not in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b"[1, 2]", id="not-an-object"),
        pytest.param(json.dumps({"name": "Siti Rahayu"}).encode(), id="no-nik"),
        pytest.param(json.dumps({**PERSON, "address": "Jl. Kedungdoro"}).encode(), id="shape"),
    ],
)
def test_a_bad_answer_is_unavailable(registry, siti, body):
    registry.routes["/api/v1/person"] = route(body)
    result = read(siti, ["population.person"])
    assert result.data == {}
    assert result.unavailable["population.person"] == (
        "Registri kependudukan memberi jawaban yang tidak dapat kami baca; isi sendiri datanya."
    )


def test_a_registry_that_refuses_the_connection_is_unavailable(siti):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now.
    with override_settings(
        SATUPINTU_REGISTRY_POPULATION_URL=f"http://127.0.0.1:{port}",
        SATUPINTU_REGISTRY_TIMEOUT=0.2,
    ):
        result = read(siti, ["population.person", "population.family_card"])
    assert result.data == {}
    assert set(result.unavailable) == {"population.person", "population.family_card"}
    assert "tidak dapat dihubungi" in result.unavailable["population.family_card"]


def test_a_redirect_is_not_followed(registry, siti):
    target = Registry()
    with target:
        target.routes["/person"] = route(PERSON)
        registry.routes["/api/v1/person"] = Route(
            status=307, headers={"Location": target.url.removesuffix("/api/v1") + "/person"}
        )
        result = read(siti, ["population.person"])
    assert result.data == {}
    assert target.requests == []  # the token went nowhere else
    assert "population.person" in result.unavailable


@override_settings(SATUPINTU_REGISTRY_POPULATION_URL="ftp://registri.example/")
def test_an_address_that_is_not_http_is_not_configured(siti):
    result = read(siti, ["population.person"])
    assert "tidak terhubung" in result.unavailable["population.person"]
