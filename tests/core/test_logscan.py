"""The log scan of the test suite (issue: no personal data in logs, URLs or error reports)
finds a NIK, a NIP or an e-mail address in a log record and masks it, and leaves alone the
numbers that only look like one: any sixteen digits, a tracking number."""

import logging

import pytest

from satupintu.core import tracking
from satupintu.core.redaction import mask, scan
from tests.logscan import ScanningHandler

NIK = "3578054107880002"  # a woman born 1 July 1988, registered in Surabaya
NIP = "198503152010011001"  # born 15 March 1985, appointed January 2010, a man


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (f"Citizen {NIK} signed in", "NIK", NIK),
        (f"nik={NIK}", "NIK", NIK),
        (f"Employee {NIP} was enrolled", "NIP", NIP),
        ("Mail to siti.rahayu@contoh.id bounced", "email", "siti.rahayu@contoh.id"),
        ("<Siti.Rahayu+kasus@Mail.Contoh.co.id>", "email", "Siti.Rahayu+kasus@Mail.Contoh.co.id"),
    ],
)
def test_personal_data_in_a_record_is_found_and_masked(text, kind, value):
    masked, kinds = scan(text)
    assert kinds == [kind]
    assert value not in masked
    assert mask(kind, value) in masked


def test_a_masked_number_keeps_only_its_ends():
    assert mask("NIK", NIK) == "3578**********02"
    assert mask("email", "siti.rahayu@contoh.id") == "s***@contoh.id"


@pytest.mark.parametrize(
    "text",
    [
        # Sixteen digits that are no NIK: month 78, then a province that does not exist.
        "Batch 1234567890123456 stored",
        "Batch 9901014107880002 stored",
        # A NIK's digits inside a longer number or a word are not a NIK.
        f"Order 9{NIK} stored",
        f"key a{NIK}b",
        # Eighteen digits with an appointment month 13.
        "Reference 198503152010131001",
        "An address without a domain: siti@localhost",
    ],
)
def test_numbers_that_only_look_like_personal_data_are_left_alone(text):
    assert scan(text) == (text, [])


def test_a_tracking_number_is_left_alone():
    text = f"Complaint {tracking.generate()} is overdue"
    assert scan(text) == (text, [])


def test_the_handler_scans_the_arguments_and_the_exception_of_a_record():
    handler = ScanningHandler()
    handler.test = "the test"
    logger = logging.getLogger("satupintu.logscan_example")
    logger.addHandler(handler)
    # These records are made to be found: they must not reach the suite's own scan.
    logger.propagate = False
    try:
        logger.info("Looked up %s", NIK)
        try:
            raise ValueError("no account for siti.rahayu@contoh.id")
        except ValueError:
            logger.exception("Sign-in failed")
        logger.info("Case %s moved", tracking.generate())
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert [(finding.kind, finding.logger) for finding in handler.findings] == [
        ("NIK", "satupintu.logscan_example"),
        ("email", "satupintu.logscan_example"),
    ]
    assert all(finding.test == "the test" for finding in handler.findings)
    assert NIK not in handler.findings[0].text
    assert "siti.rahayu@contoh.id" not in handler.findings[1].text


def test_records_of_test_factories_are_not_scanned():
    handler = ScanningHandler()
    record = logging.LogRecord("factory.generate", logging.DEBUG, "", 0, NIK, None, None)
    assert not handler.filter(record)


def test_the_log_formatter_of_the_settings_masks_what_the_code_did_not_mean_to_log(capsys):
    """Production's last line of defence: a database error can quote the value that broke a
    constraint. The configured formatter masks it in the message and in the traceback."""
    import logging.config

    from django.conf import settings

    config = {**settings.LOGGING, "disable_existing_loggers": False}
    config["handlers"] = {
        "out": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stdout",
        }
    }
    config["root"] = {"handlers": [], "level": "INFO"}
    config["loggers"] = {"satupintu.redaction-test": {"handlers": ["out"], "propagate": False}}
    logging.config.dictConfig(config)
    logger = logging.getLogger("satupintu.redaction-test")
    try:
        raise ValueError(f"Key (nik)=({NIK}) already exists; owner siti.rahayu@contoh.id")
    except ValueError:
        logger.exception("Could not save the profile of %s", NIP)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    written = capsys.readouterr().out
    assert "Could not save the profile of 1985" in written and "Traceback" in written
    assert NIK not in written and NIP not in written and "siti.rahayu@" not in written
    assert mask("NIK", NIK) in written and "s***@contoh.id" in written
