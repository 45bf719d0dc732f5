"""The shared interface of the registries: datasets, adapters, and the HTTP adapter that a
deployment points at its real registries.

A registry (population, business, education) is a module of this package that declares a
:class:`Registry`: its datasets, the name of its source, what to tell the person when it
fails, and a built-in adapter that serves the records in this app's tables. Which adapter
answers is a setting per registry, ``SATUPINTU_REGISTRY_<CODE>_URL``: empty for the built-in
adapter, ``off`` for none, an ``http(s)://`` address for :class:`HttpAdapter`.

An adapter answers one dataset for one NIK: the data in the dataset's shape, ``None`` when
the registry has no record, or :class:`RegistryUnavailable` when it could not be asked or
gave an unusable answer. Adapters time out; nothing they raise reaches the person.
"""

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.functional import Promise

# An answer larger than this is not what the contract describes: it is refused.
MAX_ANSWER_BYTES = 1_048_576

# A shape says which fields of an answer are kept (data minimisation: nothing else is): None
# for a JSON scalar, a dict of shapes for an object, a one-item list for a list of them.
Shape = dict[str, Any] | list[Any] | None
ADDRESS: Shape = {"street": None, "village": None}
PERSON_REF: Shape = {"nik": None, "name": None}


class RegistryUnavailable(Exception):
    """The registry ``registry`` could not be asked, or gave an unusable answer.

    ``reason`` is ``timeout``, ``unreachable``, ``bad_answer`` or ``not_configured``;
    ``status`` is the HTTP status where there was one, ``cause`` the type of an unexpected
    error. None of them carries personal data, so the exception may be logged.
    """

    def __init__(
        self, reason: str, *, registry: str, status: int | None = None, cause: str = ""
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.registry = registry
        self.status = status
        self.cause = cause


@dataclass(frozen=True)
class Dataset:
    """What a registry can be asked for, as catalogue files and consents name it.

    ``name`` (``population.person``) is the name in catalogue files and consents; ``key``
    (``person``) the key of the answer; ``path`` (``person``) what the HTTP adapter appends
    to the registry's address; ``identity`` the field without which an answer is no record;
    ``label`` the plain name shown to the person; ``not_found`` what to tell them when the
    registry has no record. ``read``, when set, replaces the plain adapter call (a student is
    found through the family card).
    """

    name: str
    key: str
    registry: str
    path: str
    identity: str
    shape: dict[str, Any]
    label: Promise
    not_found: Promise
    read: Callable[["ReadContext", "Dataset"], dict | None] | None = None


class Adapter(Protocol):
    """Answers ``dataset`` for the person with ``nik``: a dict in the dataset's shape, None
    when there is no record; raises only :class:`RegistryUnavailable`."""

    def fetch(self, dataset: Dataset, nik: str) -> dict | None: ...


@dataclass(frozen=True)
class Registry:
    """One registry: its code, the name of its source, its datasets, its built-in adapter and
    the plain words for each way it can fail."""

    code: str
    source: Promise
    datasets: tuple[Dataset, ...]
    builtin: Callable[[], Adapter]
    timeout: Promise
    unreachable: Promise
    bad_answer: Promise
    not_configured: Promise

    @property
    def setting(self) -> str:
        return f"SATUPINTU_REGISTRY_{self.code.upper()}_URL"

    def reason(self, failure: RegistryUnavailable) -> str:
        """What to tell the person about ``failure``, in the active language."""
        message = {
            "timeout": self.timeout,
            "bad_answer": self.bad_answer,
            "not_configured": self.not_configured,
        }.get(failure.reason, self.unreachable)
        return str(message)

    def adapter(self) -> Adapter:
        """The adapter that the settings select, read at each call so that a change of
        settings (and a test's override) takes effect."""
        url = (getattr(settings, self.setting, "") or "").strip()
        if not url:
            return self.builtin()
        if url.lower() == "off":
            return NotConnected(self.code)
        return HttpAdapter(
            registry=self.code,
            url=url,
            token=getattr(settings, "SATUPINTU_REGISTRY_TOKEN", ""),
            timeout=float(getattr(settings, "SATUPINTU_REGISTRY_TIMEOUT", 3)),
        )


class NotConnected:
    """The adapter of a registry that this deployment has not connected (``off``)."""

    def __init__(self, registry: str) -> None:
        self.registry = registry

    def fetch(self, dataset: Dataset, nik: str) -> dict | None:
        raise RegistryUnavailable("not_configured", registry=self.registry)


class BuiltinAdapter:
    """The base of the built-in adapters: ``lookup`` reads this app's tables. A failing
    query becomes :class:`RegistryUnavailable`, inside a savepoint so that a caller's
    transaction stays usable."""

    registry = ""

    def fetch(self, dataset: Dataset, nik: str) -> dict | None:
        try:
            with transaction.atomic():
                return self.lookup(dataset, nik)
        except DatabaseError:
            raise RegistryUnavailable("unreachable", registry=self.registry) from None

    def lookup(self, dataset: Dataset, nik: str) -> dict | None:
        raise NotImplementedError


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A registry that answers with a redirect is misconfigured, and following it would send
    # the token (and the NIK) to another address: a redirect is an error.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpAdapter:
    """A registry behind HTTP: ``POST <url>/<dataset path>`` with the JSON body
    ``{"nik": …}`` and, when a token is set, ``Authorization: Bearer <token>``.

    200 with a JSON object is the record (only the fields of the dataset's shape are kept);
    404 with ``{"found": false}`` is no record. Anything else — no connection, no answer
    within ``timeout`` seconds, another status, a body that is not such JSON, a redirect —
    is :class:`RegistryUnavailable`. The NIK travels only in the body, never in the URL.
    """

    def __init__(self, *, registry: str, url: str, token: str, timeout: float) -> None:
        self.registry = registry
        parts = urlsplit(url)
        self.url = url.rstrip("/") if parts.scheme in ("http", "https") and parts.netloc else ""
        self.token = token
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects)

    def _unavailable(self, reason: str, status: int | None = None) -> RegistryUnavailable:
        return RegistryUnavailable(reason, registry=self.registry, status=status)

    def fetch(self, dataset: Dataset, nik: str) -> dict | None:
        if not self.url:
            raise self._unavailable("not_configured")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # The scheme is checked above (http or https only).
        request = urllib.request.Request(  # noqa: S310
            f"{self.url}/{dataset.path}",
            data=json.dumps({"nik": nik}).encode(),
            headers=headers,
            method="POST",
        )
        deadline = time.monotonic() + self.timeout
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = self._read(response, deadline)
        except urllib.error.HTTPError as error:
            with error:
                if error.code == 404 and self._says_not_found(error, deadline):
                    return None
            raise self._unavailable("unreachable", error.code) from None
        except urllib.error.URLError as error:
            reason = "timeout" if isinstance(error.reason, TimeoutError) else "unreachable"
            raise self._unavailable(reason) from None
        except TimeoutError:
            raise self._unavailable("timeout") from None
        except (OSError, http.client.HTTPException, ValueError):
            raise self._unavailable("unreachable") from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise self._unavailable("bad_answer") from None
        if not isinstance(answer, dict) or not isinstance(answer.get(dataset.identity), str):
            raise self._unavailable("bad_answer")
        try:
            return project(answer, dataset.shape)
        except ValueError:
            raise self._unavailable("bad_answer") from None

    def _read(self, response, deadline: float) -> bytes:
        # The socket's timeout bounds each wait; the deadline bounds the whole answer, so
        # that a registry sending a byte at a time cannot hold the person's page.
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise self._unavailable("bad_answer")
            if time.monotonic() > deadline:
                raise TimeoutError
            chunks.append(chunk)
        return b"".join(chunks)

    def _says_not_found(self, error: urllib.error.HTTPError, deadline: float) -> bool:
        # A 404 from a misrouted proxy must not read as "no record": the registry says so.
        try:
            answer = json.loads(self._read(error, deadline))
        except (
            ValueError,
            OSError,
            AttributeError,
            http.client.HTTPException,
            RegistryUnavailable,
        ):
            return False
        return isinstance(answer, dict) and answer.get("found") is False


def project(value: Any, shape: Shape) -> Any:
    """``value`` cut down to ``shape``: missing fields become None, others are dropped.
    Raises ValueError when a value has the wrong kind (an object where text is expected)."""
    if shape is None:
        if value is None or isinstance(value, str | int | float | bool):
            return value
        raise ValueError("expected a scalar")
    if isinstance(shape, list):
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError("expected a list")
        return [project(item, shape[0]) for item in value]
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("expected an object")
    return {key: project(value.get(key), part) for key, part in shape.items()}


class ReadContext:
    """The reads of one call for one person: each registry's adapter made once, and each
    dataset read once, so that a dataset that needs another (a student is found through the
    family card) does not ask the registry twice. Failures are remembered too."""

    def __init__(self, *, nik: str, registries: dict[str, Registry]) -> None:
        self.nik = nik
        self.registries = registries
        self._adapters: dict[str, Adapter] = {}
        self._answers: dict[str, dict | RegistryUnavailable | None] = {}

    def adapter(self, registry: str) -> Adapter:
        if registry not in self._adapters:
            self._adapters[registry] = self.registries[registry].adapter()
        return self._adapters[registry]

    def fetch(self, dataset: Dataset) -> dict | None:
        """What ``dataset`` holds for this person, or None; raises RegistryUnavailable."""
        if dataset.name not in self._answers:
            try:
                if dataset.read is not None:
                    answer = dataset.read(self, dataset)
                else:
                    answer = self.adapter(dataset.registry).fetch(dataset, self.nik)
            except RegistryUnavailable as failure:
                answer = failure
            except Exception as error:
                # An adapter's bug must not reach the person either; its type is logged.
                answer = RegistryUnavailable(
                    "unreachable", registry=dataset.registry, cause=type(error).__name__
                )
            self._answers[dataset.name] = answer
        answer = self._answers[dataset.name]
        if isinstance(answer, RegistryUnavailable):
            raise answer
        return answer
