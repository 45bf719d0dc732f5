"""Signals of the case engine, for apps that build on it without it knowing them (the
satisfaction survey of a finished case, for one). Sent once the change is committed."""

from django.dispatch import Signal

# A case reached a final state. Sent after the transaction commits, with ``case_id`` (the
# case's primary key) and ``state`` (the final state's code).
case_closed = Signal()
