"""Personal data never appears in logs (issue: no personal data in logs, URLs or error
reports): a pytest plugin that reads every log record the suite produces and fails the run
when one carries a NIK, a NIP or an e-mail address.

A handler on the root logger sees every logger from DEBUG up for the whole session; a
logger that the settings give a level of its own (``django`` at INFO, ``django.db.backends``
at WARNING, ``celpy`` at WARNING) keeps it, as it does in production. Each record is
formatted (message with its arguments, plus the exception text) and scanned with
``satupintu.core.redaction.scan``, which says what a NIK, a NIP and an e-mail address are.
The records are read before any formatter, so this finds the code that logs personal data
even though production's log formatter would mask it.

Findings are printed at the end of the session, with the value masked, and make the exit
status a failure. Under pytest-xdist each worker scans its own records and hands its
findings to the controller, which reports them all.

Loggers of test tooling (factory_boy, Faker) are not scanned: they log the test data that a
factory builds, not what the application writes.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import pytest

from satupintu.core.redaction import scan

#: Loggers whose records are the test tooling's own, not the application's.
IGNORED_LOGGERS = ("factory", "faker")

_KEY = "satupintu_logscan"
_OUTPUT_KEY = "satupintu_logscan_findings"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in one log record, already masked."""

    test: str
    logger: str
    level: str
    kind: str
    text: str

    def excerpt(self, width: int = 240) -> str:
        """The part of the record around the first masked value: some records are long."""
        start = max(self.text.find("*") - width // 2, 0)
        prefix = "…" if start else ""
        suffix = "…" if start + width < len(self.text) else ""
        return prefix + self.text[start : start + width] + suffix


def record_text(record: logging.LogRecord) -> str:
    """What a log record says wherever it is written: the message with its arguments, the
    exception and the stack, as ``logging.Formatter`` puts them."""
    formatter = logging.Formatter("%(message)s")
    return formatter.format(record)


class ScanningHandler(logging.Handler):
    """Collects the findings of every record that reaches the root logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.findings: list[Finding] = []
        self.test = "(outside any test)"

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        return not any(
            name == ignored or name.startswith(ignored + ".") for ignored in IGNORED_LOGGERS
        )

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record_text(record)
        except Exception:
            # A record that cannot be formatted is logging's own error, reported by it.
            return
        masked, kinds = scan(text)
        for kind in dict.fromkeys(kinds):
            self.findings.append(
                Finding(
                    test=self.test,
                    logger=record.name,
                    level=record.levelname,
                    kind=kind,
                    text=masked,
                )
            )


class LogScan:
    """The plugin object: keeps the handler on the root logger and reports at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.handler = ScanningHandler()
        self.root_level: int | None = None
        self.handler_levels: dict[logging.Handler, int] = {}
        self.findings: list[Finding] = []

    def attach(self) -> None:
        """Put the handler on the root logger, and let DEBUG records through to it only:
        the other handlers of the root logger keep the level they had."""
        root = logging.getLogger()
        if self.root_level is None:
            self.root_level = root.level
        if self.handler not in root.handlers:
            root.addHandler(self.handler)
        if root.level != logging.DEBUG:
            for handler in root.handlers:
                if handler is not self.handler and handler.level == logging.NOTSET:
                    self.handler_levels[handler] = handler.level
                    handler.setLevel(self.root_level)
            root.setLevel(logging.DEBUG)

    def detach(self) -> None:
        root = logging.getLogger()
        root.removeHandler(self.handler)
        for handler, level in self.handler_levels.items():
            handler.setLevel(level)
        if self.root_level is not None:
            root.setLevel(self.root_level)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.attach()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem):
        # Django's or a test's own logging configuration may have replaced the root
        # logger's handlers since the last test.
        self.attach()
        self.handler.test = item.nodeid
        yield
        self.handler.test = "(between tests)"

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        """On the xdist controller: collect what a worker found."""
        output = getattr(node, "workeroutput", None) or {}
        self.findings.extend(Finding(**finding) for finding in output.get(_OUTPUT_KEY, []))

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.detach()
        self.findings.extend(self.handler.findings)
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:
            # An xdist worker: the controller reports and fails the run.
            workeroutput[_OUTPUT_KEY] = [asdict(finding) for finding in self.findings]
            return
        if self.findings and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.findings or hasattr(self.config, "workeroutput"):
            return
        terminalreporter.section("personal data in logs", sep="=", red=True, bold=True)
        # The same record written in many tests is shown once, with the first of them.
        tests_by_record: dict[tuple[str, str, str, str], list[str]] = {}
        for finding in self.findings:
            key = (finding.logger, finding.level, finding.kind, finding.excerpt())
            tests_by_record.setdefault(key, []).append(finding.test)
        for (logger, level, kind, excerpt), tests in tests_by_record.items():
            more = f" (and {len(tests) - 1} more)" if len(tests) > 1 else ""
            terminalreporter.line(
                f"{tests[0]}{more}: {kind} in a record of {logger!r} ({level}): {excerpt}", red=True
            )
        terminalreporter.line(
            f"{len(self.findings)} log record(s) carry personal data: log a public id or a "
            "masked value instead.",
            red=True,
            bold=True,
        )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(LogScan(config), _KEY)


def pytest_unconfigure(config: pytest.Config) -> None:
    plugin = config.pluginmanager.get_plugin(_KEY)
    if plugin is not None:
        config.pluginmanager.unregister(plugin)
