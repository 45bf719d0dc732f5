"""Every write of Learn, by purpose; import from here."""

from satupintu.learning.services.ledger import course_key, jp_credit

__all__ = ["course_key", "jp_credit"]
