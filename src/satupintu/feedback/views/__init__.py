"""The survey's pages: ``survey`` (the one-time link and the counter) and ``reports`` (the
staff's IKM reports, exports and follow-up plans)."""
