"""geo: turn war reports into a map of who holds which town, with the sentences that say so."""

__version__ = "0.1.0"
