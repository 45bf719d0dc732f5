"""Learn listens to the learning record store: a completion of one of our courses, reported
by our own modules or by content hosted elsewhere, completes the learner's enrolment or
credits their JP (see ``services.enrolment.xapi_completion_record``).

The store sends its signal after the statement is committed, so a failure here never loses
the statement; it is logged (without personal data) and the statement stays in the store.
"""

import logging

from satupintu.learning.services.enrolment import xapi_completion_record

logger = logging.getLogger(__name__)


def statement_stored(sender, statement: dict, client=None, **kwargs) -> None:
    """Receiver of ``lrs.signals.statement_stored``."""
    try:
        xapi_completion_record(statement=statement)
    except Exception as error:
        statement_id = statement.get("id", "?") if isinstance(statement, dict) else "?"
        logger.warning(
            "The xAPI statement %s could not be credited: %s", statement_id, type(error).__name__
        )
