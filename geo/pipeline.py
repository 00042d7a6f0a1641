"""Report in, events out: the stages wired together, with no I/O of their own."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .control import Lexicon, SentenceCues, decide, load_lexicon, mention_role, sentence_votes
from .gazetteer import Gazetteer, default_gazetteer
from .geocoding import FallbackGeocoder, GazetteerGeocoder, relocate
from .models import Event, Evidence, Mention, Place, Report, Unresolved, Vote, make_event, make_evidence, make_mention
from .ner import load_proposer
from .normalize import split_sentences, tokenize
from .reports import ReportError
from .resolve import resolve
from .toponyms import matcher_for

# "the village of X", "le village de X", "село X": the text says X is a settlement even if we don't know it.
# The words are grouped by their first letter (in the same order within a letter, so the same leftmost-first
# choice; words with different first letters never match at one position): at each candidate letter `re` tries
# one group, not two dozen words one after the other.
_SETTLEMENT_WORD_THEN_NAME = (
    r"(?:v(?:illage|illages?\s+de|ille\s+de)|town|city|hamlet|settlement|l(?:ocalit[ée]\s+de|ocalidad\s+de)|bourg\s+de|Dorf|"
    r"Ortschaft|pueblo\s+de|aldea\s+de|сел(?:[оау]|ищ[еау]|і)|міст(?:о|а|ечк[оау])|пос(?:елок|[её]лк[аеу]|[её]лок)|деревн[яеюи]|"
    r"город[ау]?)\s+(?:of\s+)?([A-ZА-ЯІЇЄҐ][\w'’ʼ-]+(?:[ -][A-ZА-ЯІЇЄҐ][\w'’ʼ-]+)?)")
_SETTLEMENT_NOUN = re.compile(r"\b" + _SETTLEMENT_WORD_THEN_NAME)
# The same without the leading word boundary: a pattern that opens with case-sensitive letters lets `re` skip
# ahead in C to the next letter that can start one, instead of trying every alternative at every position.
_SETTLEMENT_NOUN_ANYWHERE = re.compile(_SETTLEMENT_WORD_THEN_NAME)


def _settlement_nouns(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_SETTLEMENT_NOUN.finditer(text)`, in a third less time: the leftmost match without the
    boundary is the leftmost match with it when it passes the boundary test; when it does not, search on from
    the next character."""
    pos = 0
    while (match := _SETTLEMENT_NOUN_ANYWHERE.search(text, pos)) is not None:
        bounded = _SETTLEMENT_NOUN.match(text, match.start())
        if bounded is None:
            pos = match.start() + 1
            continue
        yield bounded
        pos = bounded.end()


@dataclass
class Extractor:
    """Holds what is built once (gazetteer, matcher index, lexicon, geocoder) and runs reports through it."""

    gazetteer: Gazetteer = field(default_factory=default_gazetteer)
    geocoder: GazetteerGeocoder | FallbackGeocoder | None = None
    lexicon: Lexicon = field(default_factory=load_lexicon)
    ner_model: str | None = None  # e.g. "fr_core_news_sm": optional, proposes extra candidates

    def __post_init__(self) -> None:
        self.matcher = matcher_for(self.gazetteer)
        self.ner = load_proposer(self.ner_model, self.matcher)

    def extract(self, report: Report) -> tuple[list[Event], list[Unresolved]]:
        """Every settlement the report names, with the status the report gives it."""
        text = report.text
        mentions = self.matcher.match(text)  # tokenizes into word columns itself: no Token made per word
        if self.ner is not None:
            mentions = sorted(mentions + self.ner.propose(text, mentions), key=lambda m: m.start)
        resolution = resolve(mentions, self.gazetteer, text)
        sentences = split_sentences(text)
        starts = [s.start for s in sentences]
        lexicon = self.lexicon

        unresolved = self._unresolved(report, mentions)
        found_online, unresolved = self._geocode_unknown(unresolved)
        # Each mention once: its role, its place, its sentence (index), grouped by place and by sentence.
        by_place: dict[str, list[tuple[Mention, int]]] = {}
        places: dict[str, Place] = {}
        by_sentence: dict[int, list[Mention]] = {}
        mapped: set[str] = set()  # places named at least once as a place, not only as an actor or a region
        for mention, place in (*resolution.places, *found_online):
            place_id = place.place_id
            role = mention_role(text, mention, place, lexicon)
            # (Mention(...) built by make_mention, a third of the constructor's time, see models; and not
            # `dataclasses.replace`, which costs several times more, once per mention)
            mention = make_mention(mention.surface, mention.start, mention.end, mention.key, (place_id,), role)
            index = max(0, bisect.bisect_right(starts, mention.start) - 1)
            located = by_place.get(place_id)  # (one look-up when the place is known, not two)
            if located is not None:
                located.append((mention, index))
            else:
                by_place[place_id] = [(mention, index)]
                places[place_id] = place
            in_sentence = by_sentence.get(index)
            if in_sentence is not None:
                in_sentence.append(mention)
            else:
                by_sentence[index] = [mention]
            if role != "actor" and role != "region":
                mapped.add(place_id)
        analysed: dict[int, SentenceCues] = {}

        def cues_at(index: int) -> SentenceCues:
            if index not in analysed:
                analysed[index] = SentenceCues(sentences[index], lexicon)
            return analysed[index]

        # votes by the start of the mention they are for: an int to hash, not a Mention (see sentence_votes)
        votes_at: dict[int, tuple[Mention, list[Vote]]] = {}
        for index, sentence_mentions in by_sentence.items():
            previous = cues_at(index - 1) if index > 0 else None
            votes_at.update(sentence_votes(sentence_mentions, cues_at(index), previous, report, lexicon))

        events: list[Event] = []
        evidence_of: dict[int, Evidence] = {}  # one Evidence per sentence, shared by its mentions
        for place_id, located in by_place.items():
            if place_id not in mapped:
                continue  # "les forces de Kiev": a government, not a place on the map
            votes, mention_sentences = [], []
            for mention, index in located:
                evidence = evidence_of.get(index)
                if evidence is None:
                    sentence = sentences[index]
                    evidence = evidence_of[index] = make_evidence(sentence.text, sentence.start, sentence.end)
                mention_sentences.append(evidence)
                found = votes_at.get(mention.start)
                # (the same lookup as a dict keyed by Mention: an equal mention has the same start; `is` settles
                # nearly every case without comparing fields)
                if found is not None and (found[0] is mention or found[0] == mention):
                    votes.extend(found[1])
            place = places[place_id]
            verdict = decide(place, votes, mention_sentences)
            if self.geocoder is not None:
                place = relocate(place, self.geocoder)
            events.append(make_event(report, place, verdict.status, verdict.change, verdict.confidence,
                                     tuple([m for m, _ in located]), verdict.evidence, tuple(votes)))  # (Event(...))
        events.sort(key=lambda e: e.mentions[0].start)
        return events, unresolved

    def _geocode_unknown(self, unresolved: list[Unresolved]) -> tuple[list[tuple[Mention, Place]], list[Unresolved]]:
        """With an online geocoder configured, place the names the gazetteer lacks ("the village of X")."""
        if not isinstance(self.geocoder, FallbackGeocoder) or not unresolved:
            return [], unresolved
        found, still = [], []
        for item in unresolved:
            location = self.geocoder.geocode_online(f"{item.surface}, Ukraine")
            if location is None:
                still.append(item)
                continue
            raw = location.raw or {}
            ident = raw.get("osm_id") or raw.get("place_id") or f"{location.latitude:.4f},{location.longitude:.4f}"
            place = Place(f"{self.geocoder.online.backend.split(':')[0]}:{ident}", item.surface,
                          round(location.latitude, 5), round(location.longitude, 5), "UA", precision="exact",
                          source=self.geocoder.online.backend)
            key = tuple(t.folded for t in tokenize(item.surface))
            found.append((Mention(item.surface, item.start, item.end, key, (place.place_id,)), place))
        return found, still

    def _unresolved(self, report: Report, mentions: list[Mention]) -> list[Unresolved]:
        """Names the text calls a settlement that the gazetteer does not hold."""
        known: list[tuple[int, int]] | None = None  # (sorted only if the text has such a phrase: most have none)
        found = []
        for match in _settlement_nouns(report.text):
            if known is None:
                known = sorted([(m.start, m.end) for m in mentions])
                known_starts = [s for s, _ in known]
            start, end = match.span(1)
            i = bisect.bisect_right(known_starts, start) - 1
            if i >= 0 and known[i][0] <= start < known[i][1]:
                continue  # the gazetteer knows this name (mentions do not overlap, so the one starting before is enough)
            context = report.text[max(0, match.start() - 60):end + 60].replace("\n", " ")
            found.append(Unresolved(report, match.group(1), start, end, context.strip()))
        return found

    def run(self, items: Iterable[Report | ReportError]) -> Iterator[tuple[Report, list[Event], list[Unresolved]] | ReportError]:
        """Each report's events, in order; errors pass through so the caller can report them and go on."""
        for item in items:
            if isinstance(item, ReportError):
                yield item
                continue
            try:
                events, unresolved = self.extract(item)
            except Exception as exc:  # one broken report must not stop the batch
                yield ReportError(item.path, f"extraction failed: {type(exc).__name__}: {exc}")
                continue
            yield item, events, unresolved
