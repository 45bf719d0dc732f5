"""Signals of the Learning Record Store, for the apps that act on learning records without
the LRS knowing them (the JP ledger of the learning app, for one)."""

from django.dispatch import Signal

# A statement was stored. Sent once per statement after the transaction that stored it
# commits, with ``statement`` (the statement as stored: the "exact" format, with its id,
# stored time and authority) and ``client`` (the LrsClient that sent it, or None when the
# platform itself stored it). A statement sent again with the same id is not stored again
# and sends nothing. A receiver that raises is logged and does not undo the statement.
statement_stored = Signal()
