"""Nobody reaches another person's records (issue: "an access-matrix test generated from the
URL configuration and the OpenAPI schema, so that new endpoints are covered automatically:
every page and operation tried as anonymous, as a citizen, and as staff of another agency
against objects they must not reach → 403 or 404, never data").

One world (``tests/access_matrix_world.py``) holds what citizen A and employee A of agency A
own. Every page of the URLconf and every operation of the OpenAPI schema is in a table
(``tests/access_matrix_cases.py``): a new one fails here until it is added. Each is called
by anonymous, citizen B, the officer, supervisor and administrator of agency B (in Learn,
where officers are employees like any other, by an employee of B and B's HR, unit head or
trainer where their pages are; on public pages by a visitor, a citizen and an officer; for
partner tasks also by another partner; for the API also by agency B's key):

- an address that names A's records is refused — 401, 403 or 404; a page may also send an
  anonymous visitor to sign in, come back with an error message, or send a GET of an
  action's address to the record's page, which refuses in turn — and the record's owner
  does reach it (so the address is right);
- no answer shows any of A's personal data (names, NIK, NIP, e-mail, tracking numbers, file
  names, messages, complaint texts…), whatever its status;
- after a POST, PUT, PATCH or DELETE (or a GET) nothing of A's world has changed.

The world is made once for the module, in a transaction that is rolled back at its end; each
test runs in a savepoint of it, and each caller's request in a savepoint of its own.
"""

import functools
import json
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.constants import ERROR, SUCCESS
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from satupintu.api import api
from tests.access_matrix_cases import NOT_WALKED, OPERATIONS, PAGES, PUBLIC, TARGET, Entry
from tests.access_matrix_world import World, world_build

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
BASE = (ANONYMOUS, "citizen_b", "officer_b", "supervisor_b", "admin_b")
# Learn's people of B, each where their role has pages: the first whose words are in the
# address; otherwise the employee.
LEARN = [
    (("unit_", "talent:unit", "/approvals", "/confirmations"), "unit_head_b"),
    (("trainer", "attendance"), "trainer_b"),
    (("hr_", "talent:", "/assessments", "/assignments", "/claims", "/compliance"), "hr_b"),
]
REFUSED = {401, 403, 404}
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


# Discovery ---------------------------------------------------------------------------------


@functools.cache
def url_patterns() -> dict[str, tuple[str, ...]]:
    """The site's named pages and the parameters of each, from the URLconf."""
    found: dict[str, tuple[str, ...]] = {}

    def parameters(pattern) -> tuple[str, ...]:
        converters = getattr(pattern, "converters", None)
        return tuple(converters or pattern.regex.groupindex)

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(tuple(NOT_WALKED)):
                continue
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, inner)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"{route} has no name: name it, so the matrix can cover it"
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found[name] = parameters(entry.pattern)

    walk(get_resolver(), "", "")
    return found


@functools.cache
def schema() -> dict:
    return api.get_openapi_schema()


@functools.cache
def operations() -> dict[str, tuple[str, ...]]:
    """``"METHOD /path"`` of every operation of the API, with its path parameters."""
    return {
        f"{method.upper()} {path}": tuple(
            parameter["name"]
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "path"
        )
        for path, methods in schema()["paths"].items()
        for method, operation in methods.items()
    }


def is_multipart(key: str) -> bool:
    method, path = key.split(" ", 1)
    body = schema()["paths"][path][method.lower()].get("requestBody") or {}
    return "multipart/form-data" in body.get("content", {})


# Who calls ---------------------------------------------------------------------------------


def actors_of(key: str) -> tuple[str, ...]:
    """Who tries a page or an operation: everyone of B; in Learn, where officers and
    supervisors are employees like any other, an employee of B and B's HR, unit head or
    trainer where their pages are; on a public page, a visitor, a citizen and an officer."""
    entry = entry_of(key)
    api = " " in key
    if entry.kind == PUBLIC:
        actors = (ANONYMOUS, "citizen_b", "officer_b")
    elif key.startswith(("learning:", "talent:")) or "/learning/" in key:
        role = next((who for words, who in LEARN if any(word in key for word in words)), "")
        actors = (ANONYMOUS, "citizen_b", "admin_b", "employee_b") + ((role,) if role else ())
    else:
        actors = BASE
    if key.startswith("cases:partner") or "/partner/" in key:
        actors += ("partner_b",)
    if api:
        actors += ("api_key_b",)
    return actors


def cases() -> list:
    """Every page with each of its methods, and every operation."""
    params = [
        pytest.param(name, method, id=f"{name}-{method}")
        for name, entry in PAGES.items()
        for method in entry.methods
    ]
    params += [pytest.param(key, key.split(" ", 1)[0], id=key) for key in OPERATIONS]
    return params


# The world, once per module ------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("access-matrix-media")


@pytest.fixture(autouse=True)
def media_root(settings, world_media):
    """The world's files stay where it stored them (this replaces the conftest's fixture of
    the same name, which gives each test a new folder)."""
    settings.MEDIA_ROOT = world_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    from django.test.utils import override_settings

    atomic = transaction.atomic()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=world_media):
        atomic.__enter__()
        try:
            made = world_build()
            made.baseline = made.state()
            made.client, made.sessions = Client(), {}
            for name, user in {**made.actors, **made.owners}.items():
                client = Client()
                client.force_login(user)
                made.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


# Calling -----------------------------------------------------------------------------------


def value_of(world: World, reference: str, parameter: str) -> str:
    """The URL value of ``reference``: ``"=text"`` itself, a value of the world,
    ``"name.attribute"``, or a record whose attribute is named by the parameter (``code``,
    ``tracking``; otherwise its public id)."""
    if reference.startswith("="):
        return reference[1:]
    if reference in world.values:
        return world.values[reference]
    name, _dot, attribute = reference.partition(".")
    attribute = attribute or (parameter if parameter in ("code", "tracking") else "public_id")
    return str(getattr(world[name], attribute))


def client_of(world: World, who: str) -> tuple[Client, dict]:
    """One client for the module, its cookies cleared for each caller: a new client would
    load the middleware again, and WhiteNoise's reads every static file."""
    client, headers = world.client, {}
    client.cookies = SimpleCookie()
    if who in world.keys:
        headers["authorization"] = f"Bearer {world.keys[who]}"
    elif who != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[who]
    return client, headers


def address(world: World, key: str, entry: Entry) -> str:
    if " " not in key:
        kwargs = {param: value_of(world, ref, param) for param, ref in entry.params.items()}
        return reverse(key, kwargs=kwargs or None)
    path = key.split(" ", 1)[1]
    for param, reference in entry.params.items():
        path = path.replace("{" + param + "}", value_of(world, reference, param))
    return path


def call(world: World, key: str, method: str, who: str) -> tuple[object, str, dict]:
    entry = entry_of(key)
    client, headers = client_of(world, who)
    url = address(world, key, entry)
    data = entry.data(world) if method in MUTATING else {}
    if method == "GET":
        response = client.get(url, headers=headers)
    elif " " not in key or is_multipart(key):
        response = client.generic(method, url, **_multipart(client, data), headers=headers)
    else:
        response = client.generic(
            method, url, json.dumps(data), content_type="application/json", headers=headers
        )
    return response, url, data


def _multipart(client: Client, data: dict) -> dict:
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    boundary = "AccessMatrixBoundary"
    return {
        "data": encode_multipart(boundary, data),
        "content_type": MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", boundary),
    }


def entry_of(key: str) -> Entry:
    return OPERATIONS[key] if " " in key else PAGES[key]


def text_of(response) -> str:
    """The body and the headers of a response, as text."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    headers = " ".join(f"{name}: {value}" for name, value in response.headers.items())
    return body.decode("utf-8", errors="replace") + "\n" + headers


def sent_texts(url: str, data: dict) -> str:
    """What the caller sent: a form that shows it back shows nobody's data."""
    values = [url]
    for value in data.values():
        values += value if isinstance(value, list) else [value]
    texts = []
    for value in values:
        if hasattr(value, "read"):
            value.seek(0)
            value = value.read().decode("utf-8", errors="replace")
        texts.append(str(value))
    return " ".join(texts)


def leaked(world: World, entry: Entry, response, url: str, data: dict) -> list[str]:
    text, sent = text_of(response), sent_texts(url, data)
    return [
        marker
        for marker in world.markers
        if marker in text and marker not in sent and marker not in entry.shows
    ]


def rows_written() -> int | None:
    """How many rows this connection has inserted, updated or deleted so far (None where
    the database does not say). A request that writes nothing changes nothing of A's; only
    one that writes is checked row by row."""
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_xact_all_tables"
            )
            return cursor.fetchone()[0]
    return None


def sends_to(response, name: str) -> bool:
    where = reverse(name)
    return response.status_code == 302 and response["Location"].split("?")[0].endswith(where)


def sends_to_sign_in(response) -> bool:
    return sends_to(response, "accounts:login")


def refused_with_a_message(response) -> bool:
    """An action of a page that refuses the way forms do: back with an error message."""
    levels = {message.level for message in get_messages(response.wsgi_request)}
    return response.status_code == 302 and ERROR in levels and SUCCESS not in levels


def page_refused(world: World, entry: Entry, response, who: str) -> bool:
    """A page refuses with 401, 403, 404 or 405; by sending an anonymous visitor to sign in
    (or to the entry's own way in); by coming back with an error message; or by sending
    the caller to the record's page, which refuses in turn (a GET of an action's address)."""
    if response.status_code in REFUSED | {405} or refused_with_a_message(response):
        return True
    if who == ANONYMOUS and sends_to(response, entry.sign_in or "accounts:login"):
        return True
    if response.status_code == 302 and response["Location"].startswith("/"):
        client, headers = client_of(world, who)
        followed = client.get(response["Location"], headers=headers)
        return followed.status_code in REFUSED
    return False


# The tables --------------------------------------------------------------------------------


def test_every_page_of_the_urlconf_is_in_the_table():
    missing = sorted(set(url_patterns()) - set(PAGES))
    assert not missing, (
        "pages without an entry in PAGES of tests/access_matrix_cases.py: "
        f"{missing}. Add target(owner, <parameter>=<record of the world>) when the address "
        "names somebody's records, else scoped(reason) or public(reason)."
    )


def test_every_operation_of_the_api_is_in_the_table():
    missing = sorted(set(operations()) - set(OPERATIONS))
    assert not missing, (
        "operations without an entry in OPERATIONS of tests/access_matrix_cases.py: "
        f"{missing}. Add target(owner, <parameter>=<record of the world>) when the address "
        "or the body names somebody's records, else scoped(reason) or public(reason)."
    )


def test_every_entry_of_the_tables_still_exists():
    gone = sorted((set(PAGES) - set(url_patterns())) | (set(OPERATIONS) - set(operations())))
    assert not gone, f"entries of tests/access_matrix_cases.py for nothing: {gone}"


@pytest.mark.parametrize("key", [*PAGES, *OPERATIONS])
def test_each_entry_gives_every_parameter_and_a_reason(key):
    found = {**url_patterns(), **operations()}
    if key not in found:
        pytest.skip("not in the URLconf or the schema (see the test above)")
    entry = entry_of(key)
    assert set(entry.params) == set(found[key]), (
        f"{key} takes {sorted(found[key])}; the table maps {sorted(entry.params)}"
    )
    assert entry.kind == TARGET or entry.reason, "say why anyone may call it"


def test_the_walk_finds_pages_operations_and_their_parameters():
    assert url_patterns()["cases:officer_document"] == ("public_id", "document_id")
    assert operations()["GET /api/v1/cases/{id}"] == ("id",)
    assert not any(name.startswith("admin:") for name in url_patterns())


# Owners reach their records ------------------------------------------------------------------


def owned() -> list:
    return [
        pytest.param(key, id=key)
        for key, entry in [*PAGES.items(), *OPERATIONS.items()]
        if entry.owner
    ]


@pytest.mark.parametrize("key", owned())
def test_the_owner_reaches_what_the_others_may_not(world, key):
    """Proof that each address names the record it should: its owner is not refused."""
    entry = entry_of(key)
    who = entry.owner
    method = key.split(" ", 1)[0] if " " in key else "GET" if "GET" in entry.methods else "POST"
    response, url, _data = call(world, key, method, who)
    if response.status_code == 405 and method == "GET":
        response, url, _data = call(world, key, "POST", who)
    assert response.status_code not in REFUSED | {405}, (url, response.status_code)
    assert not sends_to_sign_in(response), url


# Others reach nothing ------------------------------------------------------------------------


def problems_of(world: World, key: str, method: str, who: str) -> list[str]:
    """What is wrong when ``who`` calls ``key``: shown data, no refusal, a change."""
    entry = entry_of(key)
    before = rows_written()
    try:
        response, url, data = call(world, key, method, who)
    except Exception as error:  # a 500: the test client raises the view's exception
        return [f"{method} {key} as {who} raised {error!r}"]
    status, problems = response.status_code, []

    shown = leaked(world, entry, response, url, data)
    if shown:
        problems.append(f"{method} {url} as {who} ({status}) shows {shown}")

    if entry.kind == TARGET:
        refused = status in REFUSED if " " in key else page_refused(world, entry, response, who)
        if not refused:
            problems.append(f"{method} {url} as {who}: {status}, not refused")
    elif status >= 500:
        problems.append(f"{method} {url} as {who}: {status}")

    # Whatever the method: a page that changes something on GET is no better.
    if (before is None or rows_written() != before) and world.state() != world.baseline:
        problems.append(f"{method} {url} as {who} changed A's records")
    return problems


@pytest.mark.parametrize(("key", "method"), cases())
def test_nobody_else_reaches_a_persons_records(world, key, method):
    """Each caller in a savepoint of its own, so that one caller's request cannot hide or
    cause another's problem; every problem is reported, with the address and the caller."""
    problems = []
    for who in actors_of(key):
        with transaction.atomic():
            problems += problems_of(world, key, method, who)
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


# Pages and operations whose owners see A's personal data: the same check, as the owner,
# finds it, so its silence for everybody else means something.
SHOWN_TO_OWNERS = [
    "cases:case",
    "cases:officer_case",
    "cases:partner_task",
    "complaints:complaint",
    "complaints:agency_complaint",
    "learning:hr_claim",
    "learning:trainer_session",
    "talent:employee",
    "privacy:request",
    "GET /api/v1/cases/{id}",
    "GET /api/v1/complaints/{tracking}",
    "GET /api/v1/partner/tasks/{id}",
]


@pytest.mark.parametrize("key", SHOWN_TO_OWNERS)
def test_the_check_sees_the_data_that_owners_see(world, key):
    entry = entry_of(key)
    response, url, data = call(world, key, "GET", entry.owner)
    assert response.status_code == 200, (url, response.status_code)
    assert leaked(world, entry, response, url, data), url


def test_the_check_sees_a_change(world):
    from satupintu.cases.models import Message

    before = rows_written()
    Message.objects.filter(case=world["case_a"]).update(body="diubah")
    assert before is None or rows_written() != before
    assert world.state() != world.baseline
