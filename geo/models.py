"""The small immutable records that flow between pipeline stages.

file -> Report -> Mention -> Place -> Event -> store -> map / exports
"""
from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("ukraine", "russia", "contested", "mentioned")


@dataclass(frozen=True)
class Report:
    """One report's text and what we know about where it came from."""

    report_id: str  # content hash: the same text always gets the same id
    path: str  # the path (or upload name) as given, plus "#n" for rows of a JSON/CSV export
    text: str
    date: str | None = None  # ISO "YYYY-MM-DD" or "YYYY-MM"
    language: str = "und"
    source: str = ""
    title: str = ""
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: one settlement (or, for context only, a region)."""

    place_id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str = ""
    admin1_iso: str = ""
    population: int = 0
    kind: str = "village"  # capital, city, town, village
    precision: str = "exact"  # exact, or approximate (placed at its hromada centre)
    name_uk: str = ""
    name_ru: str = ""
    raion: str = ""
    hromada: str = ""
    source: str = "geonames"


@dataclass(frozen=True)
class Mention:
    """A stretch of report text that names a place; `key` is the folded name it matched."""

    surface: str
    start: int
    end: int
    key: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()  # place_ids, or region ids "admin1:UA-63"
    role: str = "place"  # place, region, reference, actor


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Vote:
    """What one sentence says about one place's control."""

    status: str
    change: str | None
    weight: float
    past: bool = False
    sentence: Evidence | None = None
    cue: str = ""


@dataclass(frozen=True)
class Event:
    """The status one report gives one place, with the text that supports it."""

    report: Report
    place: Place
    status: str
    change: str | None
    confidence: float
    mentions: tuple[Mention, ...]
    evidence: tuple[Evidence, ...]
    votes: tuple[Vote, ...] = field(default=(), compare=False)

    def to_record(self) -> dict:
        """The stable JSON shape of `geo extract --format jsonl`."""
        return {
            "report": self.report.path,
            "report_id": self.report.report_id,
            "report_date": self.report.date,
            "language": self.report.language,
            "source": self.report.source,
            "place_id": self.place.place_id,
            "name": self.place.name,
            "lat": self.place.lat,
            "lon": self.place.lon,
            "country": self.place.country,
            "admin1": self.place.admin1,
            "status": self.status,
            "change": self.change,
            "confidence": round(self.confidence, 3),
            "precision": self.place.precision,
            "mentions": [{"surface": m.surface, "start": m.start, "end": m.end} for m in self.mentions],
            "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in self.evidence],
        }


@dataclass(frozen=True)
class Unresolved:
    """A name the text treats as a place but no geocoder could place."""

    report: Report
    surface: str
    start: int
    end: int
    context: str

    def to_record(self) -> dict:
        return {
            "report": self.report.path,
            "report_date": self.report.date,
            "unresolved": self.surface,
            "start": self.start,
            "end": self.end,
            "context": self.context,
        }


# ------------------------------------------------------------ quick builders for the extraction path
# A frozen dataclass's __init__ sets each field through object.__setattr__ (to get past its own frozen
# __setattr__): about 0.1 µs a field, a few hundred thousand fields a second on the extraction path.  These
# functions build the very same objects (equal, same hash and repr, as frozen as ever for everyone else) by
# filling the new instance's __dict__, in a third of the time.  They take every field, in the class's order,
# and do no more than the generated __init__ does (none of these classes has a __post_init__).
# tests/test_models.py checks that each one builds what the class's own constructor builds.
_new = object.__new__


def make_mention(surface: str, start: int, end: int, key: tuple[str, ...], candidates: tuple[str, ...],
                 role: str) -> Mention:
    """`Mention(surface, start, end, key, candidates, role)`, quicker (see above)."""
    mention = _new(Mention)
    fields = mention.__dict__
    fields["surface"] = surface
    fields["start"] = start
    fields["end"] = end
    fields["key"] = key
    fields["candidates"] = candidates
    fields["role"] = role
    return mention


def make_evidence(text: str, start: int, end: int) -> Evidence:
    """`Evidence(text, start, end)`, quicker (see above)."""
    evidence = _new(Evidence)
    fields = evidence.__dict__
    fields["text"] = text
    fields["start"] = start
    fields["end"] = end
    return evidence


def make_vote(status: str, change: str | None, weight: float, past: bool, sentence: Evidence | None, cue: str) -> Vote:
    """`Vote(status, change, weight, past, sentence, cue)`, quicker (see above)."""
    vote = _new(Vote)
    fields = vote.__dict__
    fields["status"] = status
    fields["change"] = change
    fields["weight"] = weight
    fields["past"] = past
    fields["sentence"] = sentence
    fields["cue"] = cue
    return vote


def make_event(report: Report, place: Place, status: str, change: str | None, confidence: float,
               mentions: tuple[Mention, ...], evidence: tuple[Evidence, ...], votes: tuple[Vote, ...]) -> Event:
    """`Event(report, place, status, change, confidence, mentions, evidence, votes)`, quicker (see above)."""
    event = _new(Event)
    fields = event.__dict__
    fields["report"] = report
    fields["place"] = place
    fields["status"] = status
    fields["change"] = change
    fields["confidence"] = confidence
    fields["mentions"] = mentions
    fields["evidence"] = evidence
    fields["votes"] = votes
    return event
