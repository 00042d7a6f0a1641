"""The embedded database: reports, places and events, behind one small class.

SQLite by default (one file under data/); the SQL is SQLAlchemy Core, so a
PostgreSQL URL works the same when a team shares one database.  Ingest is
idempotent (a report's id is its content hash) and atomic per report.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (Column, Float, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint,
                        create_engine, func, select)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from .models import Event, Report
from .normalize import split_sentences

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "control.sqlite"

metadata = MetaData()
reports_table = Table(
    "reports", metadata,
    Column("report_id", String(40), primary_key=True),
    Column("path", Text, nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("language", String(8), nullable=False),
    Column("report_date", String(10)),
    Column("date_key", String(10), index=True),  # sortable: "2022-09" is stored as "2022-09-01"
    Column("text", Text, nullable=False),
    Column("encoding", String(20), nullable=False),
    Column("ingested_at", String(32), nullable=False),
)
places_table = Table(
    "places", metadata,
    Column("place_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("country", String(2), nullable=False),
    Column("admin1", Text, nullable=False, default=""),
    Column("admin1_iso", String(10), nullable=False, default=""),
    Column("precision", String(12), nullable=False, default="exact"),
    Column("kind", String(12), nullable=False, default="village"),
    Column("population", Integer, nullable=False, default=0),
)
events_table = Table(
    "events", metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(40), ForeignKey("reports.report_id", ondelete="CASCADE"), nullable=False, index=True),
    Column("place_id", String(64), ForeignKey("places.place_id"), nullable=False, index=True),
    Column("status", String(12), nullable=False),
    Column("change", String(20)),
    Column("confidence", Float, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON [{text, start, end}]
    Column("mentions", Text, nullable=False),  # JSON [{surface, start, end}]
    Column("excerpts", Text, nullable=False),  # JSON [{text, highlights: [[start, end], ...]}] relative to each sentence
    UniqueConstraint("report_id", "place_id"),
)


def date_key(date: str | None) -> str | None:
    if not date:
        return None
    return date if len(date) == 10 else f"{date}-01"


@dataclass(frozen=True)
class Excerpt:
    text: str
    highlights: tuple[tuple[int, int], ...]  # character spans of the place's name inside `text`


@dataclass(frozen=True)
class StoredEvent:
    """One row of the events table joined with its report and place."""

    report_id: str
    path: str
    source: str
    title: str
    language: str
    report_date: str | None
    date_key: str | None
    place_id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    precision: str
    status: str
    change: str | None
    confidence: float
    evidence: tuple[Excerpt, ...]
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True)
class PlaceStatus:
    """Where a place stands as of a date: its latest status, and since when it has had it."""

    place_id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    precision: str
    status: str
    change: str | None
    since: str | None
    last_report_date: str | None
    last_source: str
    reports: int


@dataclass(frozen=True)
class Filters:
    start: str | None = None  # ISO dates, inclusive
    end: str | None = None
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def excerpts_for(report: Report, event: Event) -> list[dict]:
    """Every sentence that names the place, with the name's spans inside it."""
    out: dict[int, dict] = {}
    for sentence in split_sentences(report.text):
        for mention in event.mentions:
            if sentence.start <= mention.start < sentence.end:
                item = out.setdefault(sentence.start, {"text": sentence.text, "highlights": []})
                item["highlights"].append([mention.start - sentence.start, mention.end - sentence.start])
    return [out[k] for k in sorted(out)]


class Store:
    """Reports, places and events in SQLite (default) or any SQLAlchemy URL."""

    def __init__(self, url_or_path: str | Path | None = None):
        url = str(url_or_path or os.environ.get("GEO_DB_URL") or DEFAULT_DB)
        if "://" not in url:
            Path(url).parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{Path(url).resolve()}"
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ------------------------------------------------------------

    def has_report(self, report_id: str) -> bool:
        with self.engine.connect() as db:
            return db.execute(select(reports_table.c.report_id).where(reports_table.c.report_id == report_id)).first() is not None

    def ingest(self, report: Report, events: Iterable[Event]) -> bool:
        """Store one report and its events in one transaction; False if it was already there."""
        if self.has_report(report.report_id):
            return False
        events = list(events)
        try:
            with self.engine.begin() as db:
                db.execute(reports_table.insert().values(
                    report_id=report.report_id, path=report.path, source=report.source, title=report.title,
                    language=report.language, report_date=report.date, date_key=date_key(report.date),
                    text=report.text, encoding=report.encoding,
                    ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
                for event in events:
                    self._upsert_place(db, event)
                    db.execute(events_table.insert().values(
                        report_id=report.report_id, place_id=event.place.place_id, status=event.status,
                        change=event.change, confidence=event.confidence,
                        evidence=json.dumps([{"text": e.text, "start": e.start, "end": e.end} for e in event.evidence],
                                            ensure_ascii=False),
                        mentions=json.dumps([{"surface": m.surface, "start": m.start, "end": m.end}
                                             for m in event.mentions], ensure_ascii=False),
                        excerpts=json.dumps(excerpts_for(report, event), ensure_ascii=False)))
        except IntegrityError:
            if self.has_report(report.report_id):  # a concurrent ingest of the same report won
                return False
            raise
        return True

    @staticmethod
    def _upsert_place(db, event: Event) -> None:
        p = event.place
        values = dict(name=p.name, lat=p.lat, lon=p.lon, country=p.country, admin1=p.admin1,
                      admin1_iso=p.admin1_iso, precision=p.precision, kind=p.kind, population=p.population)
        exists = db.execute(select(places_table.c.place_id).where(places_table.c.place_id == p.place_id)).first()
        if exists:
            db.execute(places_table.update().where(places_table.c.place_id == p.place_id).values(**values))
        else:
            db.execute(places_table.insert().values(place_id=p.place_id, **values))

    # --- reading ------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as db:
            return {name: db.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in (("reports", reports_table), ("places", places_table), ("events", events_table))}

    def facets(self) -> dict[str, list[str]]:
        """Values the dashboard offers as filters."""
        with self.engine.connect() as db:
            languages = [r[0] for r in db.execute(select(reports_table.c.language).distinct().order_by(reports_table.c.language))]
            sources = [r[0] for r in db.execute(select(reports_table.c.source).distinct().order_by(reports_table.c.source))]
            dates = [r[0] for r in db.execute(select(reports_table.c.date_key).where(reports_table.c.date_key.is_not(None))
                                              .order_by(reports_table.c.date_key))]
        return {"languages": languages, "sources": sources, "dates": [dates[0], dates[-1]] if dates else []}

    def events(self, filters: Filters = Filters(), place_id: str | None = None) -> list[StoredEvent]:
        """Events matching the filters, oldest first; undated reports count as the oldest, so they never
        override what a dated report says (and a history listed newest first ends with them)."""
        r, p, e = reports_table, places_table, events_table
        query = (select(r.c.report_id, r.c.path, r.c.source, r.c.title, r.c.language, r.c.report_date, r.c.date_key,
                        p.c.place_id, p.c.name, p.c.lat, p.c.lon, p.c.country, p.c.admin1, p.c.precision,
                        e.c.status, e.c.change, e.c.confidence, e.c.evidence, e.c.excerpts)
                 .select_from(e.join(r, e.c.report_id == r.c.report_id).join(p, e.c.place_id == p.c.place_id)))
        if filters.start:
            query = query.where(r.c.date_key >= filters.start)
        if filters.end:
            query = query.where(r.c.date_key <= filters.end)
        if filters.languages:
            query = query.where(r.c.language.in_(filters.languages))
        if filters.sources:
            query = query.where(r.c.source.in_(filters.sources))
        if place_id:
            query = query.where(e.c.place_id == place_id)
        query = query.order_by(r.c.date_key, r.c.path, e.c.event_id)
        with self.engine.connect() as db:
            rows = db.execute(query).all()
        out = [StoredEvent(
            row.report_id, row.path, row.source, row.title, row.language, row.report_date, row.date_key, row.place_id,
            row.name, row.lat, row.lon, row.country, row.admin1, row.precision, row.status, row.change, row.confidence,
            tuple(Excerpt(x["text"], ()) for x in json.loads(row.evidence)),
            tuple(Excerpt(x["text"], tuple(tuple(h) for h in x["highlights"])) for x in json.loads(row.excerpts)),
        ) for row in rows]
        return sorted(out, key=lambda ev: (ev.date_key is not None, ev.date_key or ""))

    def place_history(self, place_id: str, filters: Filters = Filters()) -> list[StoredEvent]:
        """Every report's word on one place, newest first."""
        return list(reversed(self.events(Filters(filters.start, filters.end, (), filters.languages, filters.sources),
                                          place_id=place_id)))

    def latest_status(self, filters: Filters = Filters()) -> list[PlaceStatus]:
        """Each place's status as of `filters.end`; a bare mention never erases a known status."""
        by_place: dict[str, list[StoredEvent]] = {}
        for event in self.events(Filters(filters.start, filters.end, (), filters.languages, filters.sources)):
            by_place.setdefault(event.place_id, []).append(event)
        out = []
        for history in by_place.values():
            claims = [e for e in history if e.status != "mentioned"]
            latest = claims[-1] if claims else history[-1]
            since = latest.date_key
            for earlier in reversed(claims[:-1] if claims else []):
                if earlier.status != latest.status or earlier.date_key is None:
                    break
                since = earlier.date_key
            last = history[-1]
            status = PlaceStatus(latest.place_id, latest.name, latest.lat, latest.lon, latest.country, latest.admin1,
                                 latest.precision, latest.status, latest.change, since, last.report_date,
                                 last.source, len({e.report_id for e in history}))
            if not filters.statuses or status.status in filters.statuses:
                out.append(status)
        return sorted(out, key=lambda s: s.name)
