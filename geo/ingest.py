"""Reports into the store: one outcome per file, so a bad file is reported and the batch goes on.

Used by `python -m geo ingest` and by the dashboard's upload box.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .pipeline import Extractor
from .reports import ReportError, parse_report_bytes
from .store import Store


@dataclass(frozen=True)
class IngestOutcome:
    name: str  # file name (and "#n" for a row of a JSON/CSV export)
    added: bool  # False when the same report was already stored
    events: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def ingest_reports(items: Iterable, store: Store, extractor: Extractor) -> list[IngestOutcome]:
    """Store each report (or pass on each ReportError) from `load_reports`-style items."""
    outcomes = []
    for item in extractor.run(items):
        if isinstance(item, ReportError):
            outcomes.append(IngestOutcome(item.path, False, 0, item.reason))
            continue
        report, events, _ = item
        try:
            added = store.ingest(report, events)
        except Exception as exc:  # the database refused this one report; the others still go in
            outcomes.append(IngestOutcome(report.path, False, 0, f"could not store: {type(exc).__name__}: {exc}"))
            continue
        outcomes.append(IngestOutcome(report.path, added, len(events) if added else 0))
    return outcomes


def ingest_uploads(files: Iterable[tuple[str, bytes]], store: Store, extractor: Extractor) -> list[IngestOutcome]:
    """Uploaded or pasted files: (name, raw bytes) pairs, any supported format or encoding."""

    def parsed():
        for name, data in files:
            try:
                yield from parse_report_bytes(data, name)
            except ReportError as error:
                yield error

    return ingest_reports(parsed(), store, extractor)
