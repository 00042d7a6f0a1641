"""Who holds a place, according to one report.

Each sentence that names a place may carry a control cue ("retook", "s'est
emparé", "звільнили", "отошли"), an actor ("Ukrainian forces", "les Russes",
"ЗСУ", "ВС РФ") and modifiers (a denial, an unconfirmed claim, a month before
the report's date).  The cues are data (data/control_cues.toml); this module
turns them into one vote per sentence and the votes into one status.
"""
from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .grammar import (
    ADMITTED, ADMITTED_AFTER, APPOSITIVE, APPOSITIVE_ASIDE, AREA_NOUN_AFTER, AREA_NOUN_BEFORE, ASIDE_THEN_AND,
    BREAK_OR_NAME, CLAUSE_BREAK, COMPASS, CONFIRMED, CONJUNCTION, CONTRAST, DESPITE, DESTINATION, ENDED,
    EXPELLED_OBJECT, FROM, GAP_AFTER_OBJECT, GAP_AFTER_VERB, GENITIVE_GAP, INCLUDING, MILITARY, NEGATED_BEFORE,
    NOMINAL, NOMINAL_LOSS, NOUN_GENDER, OTHER_EVENT, OUTSKIRTS, PARTICIPLE, PASSIVE_AGENT, PASSIVE_MARK,
    PASSIVE_PARTICIPLE, PRONOUN_GENDER, REFERENCE_LAST_WORDS, RELATIVE, SINCE, STILL_FOUGHT, STOPPED,
    SUBJECT_GAP,
)
from .models import Evidence, Mention, Place, Report, Vote, make_evidence, make_vote
from .normalize import Sentence
from .scanner import EndAnchored, PatternScanner, Prefiltered, PrefilteredGroup, ScannerGroup, WordStartSearch

CUES_FILE = Path(__file__).resolve().parent.parent / "data" / "control_cues.toml"
WINDOW = 120  # characters between a cue and the place name it speaks of, in the same clause
NEAR = 45  # ... or in a neighbouring clause ("Shevchenkove, further east, was retaken")
# Changes of control and explicit statements of who holds a place; they outweigh talk of fighting.
DECISIVE = {"capture", "retake", "liberate", "occupied", "withdraw", "loss", "held_ukraine", "held_russia", "taken_by",
            "hands_of", "expel", "cleared"}
# category -> (how the status follows from the actor, weight, change label)
EFFECTS = {
    "capture": ("actor", 1.0, "captured"),
    "liberate": ("liberator", 1.0, "liberated"),
    "hold": ("actor", 0.6, "held"),
    "positions": ("actor", 0.6, "held"),
    "footage": ("actor", 0.6, "held"),
    "occupied": ("russia", 0.8, "occupied"),
    "withdraw": ("other", 1.0, "withdrawal"),
    "loss": ("loser", 0.9, "lost"),
    "fighting": ("contested", 0.7, "fighting"),
    "attempt": ("contested", 0.5, "attack"),
    "taken_by": ("actor_after", 1.0, "captured"),
    "hands_of": ("actor_after", 0.8, "held"),
    "retake": ("retaker", 1.0, "retaken"),
    "partial": ("contested", 0.8, "fighting"),
    "expel": ("expel", 1.0, "captured"),
    "cleared": ("loser_after", 1.0, "withdrawal"),
    "enter": ("actor", 0.7, "entered"),
    "held_ukraine": ("ukraine", 0.9, "held"),
    "held_russia": ("russia", 0.9, "held"),
}
EFFECT_ORDER = ("partial", "held_ukraine", "held_russia", "taken_by", "hands_of", "cleared", "attempt", "retake", "liberate",
                "expel", "capture", "enter", "occupied", "withdraw", "loss", "positions", "footage", "hold", "fighting")
OTHER_SIDE = {"ukraine": "russia", "russia": "ukraine"}


@dataclass(frozen=True)
class Lexicon:
    effect_cues: PatternScanner  # every category of EFFECTS, most specific first
    any_actor: PatternScanner
    reference_scanner: PatternScanner  # the forward reading of reference_before: tests/test_scanner.py checks one against the other
    negation: PatternScanner
    claim: PatternScanner
    hypothetical: Prefiltered
    reference_after: re.Pattern[str]
    past: Prefiltered
    months: Prefiltered  # named groups m1..m12
    metonymy_after: re.Pattern[str]
    reference_before: EndAnchored  # reference_scanner's patterns: does one end the text? (mention_role)
    metonymy_before_end: EndAnchored  # does a metonymy pattern ("selon", "according to") end the text? (mention_role)
    military: WordStartSearch  # grammar.MILITARY, searched only at the words its first letters begin (SentenceCues)
    sentence_scanners: ScannerGroup  # effect_cues, any_actor, negation, claim in one pass (SentenceCues)
    past_and_months: PrefilteredGroup  # past, months in one pass (_is_past)


def _alternation(patterns: list[str]) -> str:
    """Patterns that start at a word boundary share one `\\b`, so most positions fail after a single test."""
    bounded = [p[2:] for p in patterns if p.startswith("\\b")]
    loose = [p for p in patterns if not p.startswith("\\b")]
    parts = ([f"\\b(?:{'|'.join(f'(?:{p})' for p in bounded)})"] if bounded else []) + [f"(?:{p})" for p in loose]
    return "|".join(parts)


def _union(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(_alternation(patterns), re.IGNORECASE)


def _prefiltered_union(patterns: list[str]) -> Prefiltered:
    return Prefiltered(patterns, lambda keep: _union(kept) if (kept := [p for p in patterns if keep(p)]) else None)


def _month_union(months: dict[str, list[str]], keep: Callable[[str], bool]) -> re.Pattern[str] | None:
    """Named groups m1..m12, each the union of that month's names `keep` accepts."""
    kept = {k: [p for p in v if keep(p)] for k, v in months.items()}
    return re.compile("|".join(f"(?P<m{k}>{_alternation(v)})" for k, v in kept.items() if v), re.IGNORECASE) \
        if any(kept.values()) else None


@lru_cache(maxsize=4)
def load_lexicon(path: Path = CUES_FILE) -> Lexicon:
    """Compile the cue file once per process."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    effect_cues = PatternScanner({name: data["cues"][name] for name in EFFECT_ORDER})
    any_actor = PatternScanner(data["actors"])
    negation = PatternScanner({"negation": data["cues"]["negation"]})
    claim = PatternScanner({"claim": data["cues"]["claim"]})
    past = _prefiltered_union(data["past"]["markers"])
    months = Prefiltered([p for v in data["months"].values() for p in v], lambda keep: _month_union(data["months"], keep))
    return Lexicon(
        effect_cues=effect_cues,
        any_actor=any_actor,
        reference_scanner=PatternScanner({"reference": data["reference"]["before"]}),
        negation=negation,
        claim=claim,
        hypothetical=_prefiltered_union(data["cues"]["hypothetical"]),
        reference_after=_union(data["reference"]["after"]),
        past=past,
        months=months,
        metonymy_after=_union(data["metonymy"]["after"]),
        reference_before=EndAnchored(data["reference"]["before"]),
        metonymy_before_end=EndAnchored(data["metonymy"]["before"]),
        military=WordStartSearch(MILITARY),
        sentence_scanners=ScannerGroup([effect_cues, any_actor, negation, claim]),
        past_and_months=PrefilteredGroup([past, months]),
    )


class Cue(NamedTuple):
    """A cue found in a sentence.  (A NamedTuple, not a frozen dataclass: as immutable, and about twice as quick
    to build, which counts for the dozen or so cues of each report; Cue never leaves this module's reasoning.)"""

    category: str
    start: int  # offsets into the report text
    end: int
    text: str


_MATCH_START = re.Match.start


class _once:
    """`functools.cached_property` without its lock: the value is computed on first use and kept in the object's
    __dict__, where later look-ups find it without calling anything.

    (Python before 3.12 takes a lock on every first use of a cached_property, most of its cost; a report's
    sentences make about 66 first uses per report, and SentenceCues objects are never shared between threads.)"""

    def __init__(self, func: Callable):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class SentenceCues:
    """Everything the lexicon finds in one sentence, shared by all its places.

    Cues, actors, negations and claims are looked for together, on first use of any (one pass of the
    lexicon's scanners costs little more than one scanner's)."""

    def __init__(self, sentence: Sentence, lexicon: Lexicon):
        self.sentence = sentence
        self._lexicon = lexicon

    @_once
    def _found(self) -> list[list[tuple[str, int, int]]]:
        """(name, start, end) in the sentence, of effect_cues, any_actor, negation and claim."""
        return self._lexicon.sentence_scanners.finditer_each(self.sentence.text)

    @_once
    def cues(self) -> tuple[Cue, ...]:
        text, base = self.sentence.text, self.sentence.start
        cues = [Cue(name, base + start, base + end, text[start:end])
                for name, start, end in self._found[0]]
        return tuple(cues)  # (in order of start already: a scanner yields its matches so)

    @_once
    def actors(self) -> tuple[tuple[str, int, int, bool], ...]:
        """(side, start, end, names a military force)"""
        text, base = self.sentence.text, self.sentence.start
        military = self._lexicon.military.search  # MILITARY.search(...) is not None, tried at fewer places
        return tuple((side, base + start, base + end, military(text, start, min(len(text), end + 30)))
                     for side, start, end in self._found[1])

    @_once
    def clause_breaks(self) -> tuple[int, ...]:
        """Where (in the sentence) the commas, colons, dashes... that end a clause stand."""
        return tuple(map(_MATCH_START, CLAUSE_BREAK.finditer(self.sentence.text)))  # (offsets read off in C)

    @_once
    def negations(self) -> tuple[tuple[int, int], ...]:
        base = self.sentence.start
        return tuple((base + s, base + e) for _, s, e in self._found[2])

    @_once
    def claims(self) -> tuple[tuple[int, int], ...]:
        """Doubt: "claimed", "not confirmed", "спростували"."""
        base = self.sentence.start
        return tuple((base + s, base + e) for _, s, e in self._found[3])


def mention_role(text: str, mention: Mention, place: Place, lexicon: Lexicon) -> str:
    """'reference' for a town that only locates something else, 'actor' for a capital standing for its government."""
    before, after = text[max(0, mention.start - 60):mention.start], text[mention.end:mention.end + 40]
    if place.kind == "capital":
        if lexicon.metonymy_after.match(after) or lexicon.metonymy_before_end.search(before):
            return "actor"  # "Moscow said", "selon Kiev" (the anchored test after the name first: it is the cheaper)
        first_cue = lexicon.effect_cues.first(after)
        if first_cue is not None and first_cue[1] == SUBJECT_GAP.match(after).end():
            return "actor"  # "Moscou contrôle désormais ...", "Kyiv retook ...": the capital is the subject
    if lexicon.reference_after.match(after):
        return "region"  # "the Donetsk front", "Бахмутський напрямок": a front line, not the town
    words = before.rsplit(None, 1)  # (rsplit() drops trailing blanks: its last item is the last word, if any)
    last_word = words[-1].lower() if words else ""
    if last_word.strip("'’") in REFERENCE_LAST_WORDS or last_word[-2:] in ("d'", "d’", "l'", "l’"):
        # (the patterns all end in "$": read backwards, one try at the start; see scanner.EndAnchored)
        if lexicon.reference_before.search(before):
            return "reference"
    return mention.role


def _report_month(report: Report) -> tuple[int, int] | None:
    if not report.date:
        return None
    year, month = report.date.split("-")[:2]
    return int(year), int(month)


def _clause_start(sc: SentenceCues, offset: int) -> int:
    """Where the clause holding `offset` (a report offset) begins: after the last comma, colon, dash... before it."""
    breaks = sc.clause_breaks
    base = sc.sentence.start
    before = bisect.bisect_left(breaks, offset - base)  # the breaks that end before `offset`
    return base + (breaks[before - 1] + 1 if before else 0)


def _breaks_between(sc: SentenceCues, start: int, end: int) -> bool:
    """Does a comma, colon, dash... stand between two report offsets of the sentence?  (The same answer as
    CLAUSE_BREAK.search over that stretch, from the sentence's list of breaks: a bisection, no regex call.)"""
    breaks = sc.clause_breaks
    base = sc.sentence.start
    index = bisect.bisect_left(breaks, start - base)
    return index < len(breaks) and breaks[index] < end - base


def _clause_end(sc: SentenceCues, offset: int) -> int:
    """Where the clause holding `offset` (a report offset) ends: at the first comma, colon, dash... from it on, or at
    the end of the sentence.  (CLAUSE_BREAK.search from `offset`, read off the sentence's list of breaks.)"""
    breaks = sc.clause_breaks
    base = sc.sentence.start
    after = bisect.bisect_left(breaks, offset - base)
    return base + breaks[after] if after < len(breaks) else sc.sentence.end


def _clauses(sc: SentenceCues, cue: Cue) -> tuple[str, str]:
    """The cue's clause; and the same plus (for dates) a short opening phrase of the sentence ("In July, ...").
    (Both at once: every cue with a place needs the two.)"""
    s = sc.sentence
    left = _clause_start(sc, cue.start) - s.start
    clause = s.text[left:_clause_end(sc, cue.end) - s.start]
    if left > 0:  # there is a first break, and the cue's clause is not the opening one
        lead = s.text[:sc.clause_breaks[0]]
        if len(lead.split(None, 5)) <= 5:  # (at most 5 words: split(None, 5) stops splitting after the sixth)
            return clause, clause + " " + lead
    return clause, clause


def _is_past(clause: str, when: tuple[int, int] | None, lexicon: Lexicon) -> bool:
    """The report tells this as an earlier event: 'in July', 'at the start of the war', 'en mars'.
    `clause` is the cue's clause with the sentence's opening phrase (see `_clauses`); `when` the report's month."""
    past, months = lexicon.past_and_months.finditer_each(clause)  # lexicon.past and lexicon.months, in one pass
    if past:
        return True
    if when is None:
        return False
    return any(int(m.lastgroup[1:]) < when[1] and not SINCE.search(clause, 0, m.start()) for m in months)


def _nearest(pairs: list[tuple[tuple[str, int, int, bool], int]]) -> tuple[str, int, int, bool]:
    """The nearest of (actor, distance) pairs; on a tie, the first one."""
    best, distance = pairs[0]
    for actor, d in pairs:
        if d < distance:
            best, distance = actor, d
    return best


def _nearest_side(pairs: list[tuple[tuple[str, int, int, bool], int]]) -> str:
    """The side of the nearest of (actor, distance) pairs, a fighting force first; on a tie, the first one."""
    return _nearest([pair for pair in pairs if pair[0][3]] or pairs)[0]


def _actors_after(sc: SentenceCues, end: int) -> list[tuple[tuple[str, int, int, bool], int]]:
    """(actor, distance) for the actors after report offset `end`, in the same clause."""
    return [(a, a[1] - end) for a in sc.actors if a[1] >= end and not _breaks_between(sc, end, a[1])]


def _actor_for(cue: Cue, sc: SentenceCues, previous: SentenceCues | None, text: str, after: bool = False,
               same_sentence: bool = False) -> str | None:
    """The side doing what the cue says: the subject before it, a fighting force first ("Russian troops" over
    "the Russian border"); after it only for a passive agent ("taken by Ukrainian forces") or "fell to"."""
    s = sc.sentence
    actors = sc.actors
    start, end = cue.start, cue.end
    for actor in actors:
        if start <= actor[1] and actor[2] <= end:
            return actor[0]  # "the Russians left": the cue names its own subject
    after = after or PASSIVE_AGENT.match(text, end, s.end) is not None
    before_cue = [(a, start - a[2]) for a in actors if a[2] <= start]
    # (the actors after the cue, in its clause, are only listed when asked for: most cues have their subject before)
    after_cue = None
    if cue.category == "withdraw":  # "le retrait des troupes russes": the genitive names who leaves
        after_cue = _actors_after(sc, end)
        for a, d in after_cue:
            if d <= 25 and GENITIVE_GAP.fullmatch(text, end, a[1]):
                return a[0]
    if not after and before_cue:  # "Russia said it had finished withdrawing": the clause's own subject
        clause_start = _clause_start(sc, start)
        subject = [pair for pair in before_cue if pair[0][1] >= clause_start]
        if subject:
            return _nearest(subject)[0]
    if after or not before_cue:
        if after_cue is None:
            after_cue = _actors_after(sc, end)
        if after_cue:
            return _nearest_side(after_cue)
    if before_cue:
        return _nearest_side(before_cue)
    if previous is not None and not same_sentence and previous.actors:
        strong = [a for a in previous.actors if a[3]] or previous.actors
        return strong[-1][0]
    return None


def _status_for(category: str, actor: str | None, passive: bool = False) -> str | None:
    rule = EFFECTS[category][0]
    if rule == "expel":  # "drove the Russians out" gains the place; "were driven out" loses it
        rule = "other" if passive else "actor"
    if rule == "loser_after":
        rule = "other"
    if rule == "loser":  # "Ukraine lost X", "la défaite de Moscou"; a bare "X fell" in this war meant a Russian gain
        return OTHER_SIDE[actor] if actor else "russia"
    if rule == "contested":
        return "contested"
    if rule in ("russia", "ukraine"):
        return rule
    if rule == "liberator":
        return "russia" if actor == "russia" else "ukraine"
    if rule == "actor_after":
        return actor
    if rule == "retaker":  # "retaken" with no agent named: in this war's reporting, a Ukrainian counter-attack
        return actor or "ukraine"
    if actor is None:
        return None
    return actor if rule == "actor" else OTHER_SIDE[actor]


def sentence_votes(mentions: list[Mention], sc: SentenceCues, previous: SentenceCues | None, report: Report,
                   lexicon: Lexicon) -> dict[int, tuple[Mention, list[Vote]]]:
    """Votes of one sentence for the places it names, as {mention.start: (mention, votes)}: the pipeline looks
    votes up by the start (an int) and then checks the mention is the same, sparing the generated __hash__ of
    a Mention (its six fields, tuples among them) twice per mention.

    Each cue belongs to the place named nearest to it; places listed with that one
    ("Klishchiivka and Andriivka") share it.  A reference point ("20 km east of Kharkiv")
    only takes what is glued to it: an adjective right before it or a clause right after it.
    A place keeps at most two votes: the nearest cue about now, and the last it recounts from before.
    """
    named = [m for m in mentions if m.role == "place" or m.role == "reference"]
    if not named or not sc.cues:  # (names first: a sentence naming no place is not scanned for cues)
        return {}
    text = report.text
    named.sort(key=_start)
    named_starts = [m.start for m in named]
    sentence_start, sentence_end = sc.sentence.start, sc.sentence.end
    described = _inside_appositives(text, named)
    targets = [m for m in named if m.role == "place" and m.start not in described]
    relatives = _relative_clauses(text, sc, named)
    groups = _listed_together(text, targets)
    for m in named:
        if m.start not in groups:
            groups[m.start] = [m]
    candidates: dict[tuple[int, bool], list[tuple[int, Cue, str]]] = {}
    when = _report_month(report)
    for cue in sc.cues:
        start, end = cue.start, cue.end
        owner = None
        next_name = bisect.bisect_left(named_starts, end)  # the first name after the cue (names are sorted)
        if next_name < len(named) and named_starts[next_name] - end <= 1:
            owner = named[next_name]  # "окупованого Водяного"
        else:
            # "после взятия в начале октября Угледара", "через занятый российскими войсками в феврале Бердянск":
            # a noun or participle cue governs a place up to 25 or 60 characters on (the cue's word is only
            # looked at if a place stands that close)
            near = [m for m in targets if 0 <= m.start - end <= 60]
            if near:
                reach = _governing_reach(cue.text)
                if reach:
                    for m in near:
                        if m.start - end <= reach and not BREAK_OR_NAME.search(text[end:m.start]):
                            owner = m
                            break
        if owner is None:
            for m, (lo, hi) in relatives:
                if lo <= start < hi:
                    owner = m
                    break
        if owner is not None:
            gap = 0  # "Bakhmut, which Russian forces took in May": the cue speaks of the noun before "which"
        else:  # the nearest place the cue can reach (the first, on a tie): same clause, or the subject before an aside
            for m in targets:
                if _reaches(text, sc, cue, m):
                    d = _gap(cue, m)
                    if owner is None or d < gap:
                        owner, gap = m, d
            if owner is None:
                continue
        # (looked at once the cue has a place: these tests are dearer than finding the place, and only drop cues)
        if cue.category == "fighting":  # (the tests below only concern fighting: skipped for the other cues)
            if DESPITE.search(text, max(sentence_start, start - 30), start):
                continue  # "holds Chasiv Yar despite the assaults": the fighting is conceded, the holding is the news
            ended = ENDED.search(text, max(sentence_start, start - 40), start)
            if ended and OTHER_EVENT.search(ended.group()):
                ended = None  # "после отхода гарнизона бои переместились": after another event, not after the fighting
            if ended or STOPPED.match(text, end, sentence_end):
                continue  # "ending a siege", "to avoid encirclement", "бои прекратились": no fighting now
        clause, dated_clause = _clauses(sc, cue)
        # told as an earlier event: "at the start of the war", "en mars" (a month before the report's)
        past = _is_past(dated_clause, when, lexicon)
        members = groups[owner.start]
        extra = _gapped(text, sc, cue, owner, targets) + _included(text, sc, owner, groups, targets)
        if extra:
            members = members + extra
        for member in members:
            # now: the nearest cue; the past: the last one told (events are narrated in order)
            distance = -start if past else (0 if gap == 0 and member is owner else _gap(cue, member))
            key = (member.start, past)
            if key in candidates:
                candidates[key].append((distance, cue, clause))
            else:
                candidates[key] = [(distance, cue, clause)]
    if not candidates:
        return {}
    evidence = make_evidence(sc.sentence.text, sentence_start, sentence_end)  # (Evidence(...), quicker: see models)
    by_start = dict(zip(named_starts, named))
    votes: dict[int, tuple[Mention, list[Vote]]] = {}  # by the mention's start: cheaper to hash than the Mention
    for (start, past), ranked in sorted(candidates.items()):
        if len(ranked) > 1:
            # a change of control beats a nearer word of fighting or holding said of the same place
            ranked.sort(key=_decisive_then_nearest)
        mention = by_start[start]
        for _, cue, clause in ranked:
            vote = _vote(cue, past, sc, previous, lexicon, evidence, text, mention, clause)
            if vote is not None:
                if start in votes:
                    votes[start][1].append(vote)
                else:
                    votes[start] = (mention, [vote])
                break
    return votes


@lru_cache(maxsize=4096)
def _governing_reach(cue_text: str) -> int:
    """How far on a noun (25 characters: "взятия ... Угледара") or a participle (60: "занятый ... Бердянск") cue
    governs a place; 0 for other cues.  (Memoised on the cue's own words, not on any sentence: cue texts come from
    the lexicon and repeat across reports, and the two suffix searches cost more than the look-up.)"""
    if NOMINAL.search(cue_text):
        return 25
    return 60 if PARTICIPLE.search(cue_text) else 0


def _start(mention: Mention) -> int:
    return mention.start


def _decisive_then_nearest(candidate: tuple[int, Cue, str]) -> tuple[bool, int]:
    return candidate[1].category not in DECISIVE, candidate[0]


# Categories whose status does not depend on who acts or on a passive voice: fighting is "contested" whoever
# fights, "occupied" means Russian.  `_vote` does not look for their actor (a few regex calls per cue) since
# the answer could not change the vote.
_STATUS_WITHOUT_ACTOR = frozenset(c for c, (rule, _, _) in EFFECTS.items() if rule in ("contested", "russia", "ukraine"))


def _vote(cue: Cue, past: bool, sc: SentenceCues, previous: SentenceCues | None, lexicon: Lexicon,
          evidence: Evidence, text: str, mention: Mention, clause: str) -> Vote | None:
    """The vote of one cue for one place, or None.  `clause` is the cue's clause (`_clauses(sc, cue)[0]`)."""
    category = cue.category
    if lexicon.hypothetical.search(clause):
        return None  # "the next objective could be Siversk", "la perte de Pokrovsk menacerait..."
    sentence_start, sentence_end = sc.sentence.start, sc.sentence.end
    if category in ("occupied", "capture", "liberate") and (AREA_NOUN_AFTER.match(text, cue.end, sentence_end)
                                                           or AREA_NOUN_BEFORE.search(text, max(sentence_start, cue.start - 20), cue.start)):
        return None  # "окупованої частини області", "les territoires occupés": an area, not this place
    if category == "positions" and not FROM.search(text, max(0, cue.start - 12), cue.start) and \
            any(c.category in ("attempt", "fighting") and 0 <= cue.start - c.end <= 25 for c in sc.cues):
        return None  # "attacked positions near Verbove" (but not "attack from positions near X"): the attack decides
    rule, weight, change = EFFECTS[category]
    if category in _STATUS_WITHOUT_ACTOR:
        actor = None
    elif category == "liberate":  # only a Russian agent named right there turns "liberated" into a Russian capture
        actor = "russia" if any(a[0] == "russia" and a[2] <= cue.start for a in sc.actors) else None
    elif category == "loss":  # the loser: the subject of "lost", or "of Moscow" right after "the defeat"
        clause_start = _clause_start(sc, cue.start)
        nominal = bool(NOMINAL_LOSS.match(cue.text))  # "la caída de Bajmut": the word before is not the loser
        losers = [a for a in sc.actors if 0 <= a[1] - cue.end <= 15] if nominal else \
                 [a for a in sc.actors if clause_start <= a[1] and a[2] <= cue.start]
        if nominal and not losers and (ADMITTED.search(text, max(clause_start, cue.start - 40), cue.start)
                                       or ADMITTED_AFTER.match(text, cue.end, sentence_end)):
            # "Russian bloggers acknowledged the loss of X", "У Москві втрату X не визнали": who admits a loss
            # (or will not) is who suffered it
            losers = [a for a in sc.actors if clause_start <= a[1] and a[2] <= cue.start]
        actor = min(losers, key=lambda a: abs(a[1] - cue.start))[0] if losers else None
    else:
        actor = _actor_for(cue, sc, previous, text, after=rule in ("actor_after", "loser_after"),
                           same_sentence=category in ("retake", "footage"))
    passive = False  # only "expel" asks (see _status_for)
    if category == "expel":
        passive = bool(PASSIVE_MARK.search(text, max(sentence_start, cue.start - 25), cue.start)
                       or (PASSIVE_PARTICIPLE.match(cue.text) and not cue.text.lower().startswith(("driven out", "expelled")))
                       or PASSIVE_AGENT.match(text, cue.end, sentence_end)
                       # "окупантів вибили з X", "pushed Russian forces out": the object is the side driven out
                       or EXPELLED_OBJECT.search(text, max(sentence_start, cue.start - 30), cue.start)
                       or any(cue.start < a[1] and a[2] <= cue.end for a in sc.actors))
    status = _status_for(category, actor, passive)
    if status is None:
        return None
    if category == "withdraw" and mention.start >= cue.end and DESTINATION.match(text[cue.end:mention.start]):
        status, weight, change = actor or status, 0.6, "held"  # "pulled back to Lysychansk": they hold it now
    claimed = status != "contested" and (_doubted(cue, sc, text) or _quoted(text, cue))
    if category in ("capture", "hold", "enter", "positions") and mention.start >= cue.end and \
            OUTSKIRTS.search(text[cue.end:mention.start]):
        status, weight, change = "contested", 0.8, "fighting"  # "закрепились на окраинах Торецка": a foothold, not the town
    # (denials and attempts are looked for only where they can change the vote: a contested vote stays one)
    negated = None
    if not claimed and category in ("capture", "enter", "withdraw", "loss") and actor in OTHER_SIDE:
        negated = _negated(cue, sc)
        if negated:
            # "was never entered by Russian forces", "did not withdraw", "не потеряли": the place stays where it was;
            # a holding, not a change of control, so talk of fighting can still outweigh it
            held_by = actor if category in ("withdraw", "loss") else OTHER_SIDE[actor]
            return make_vote(held_by, "held", 0.6, past, evidence, "hold")  # (Vote(...), quicker: see models)
    if status != "contested":
        attempted = _attempted(cue, sc)
        if claimed or attempted or (_negated(cue, sc) if negated is None else negated):
            return make_vote("contested", "attack" if attempted else "claimed", 0.6, past, evidence, category)
    if category in ("capture", "enter", "retake", "liberate") and _still_fought(text, cue, sc):
        status, weight, change = "contested", 0.8, "fighting"  # "took Klishchiivka; fighting there was continuing"
    return make_vote(status, change, weight, past, evidence, category)


def _negated(cue: Cue, sc: SentenceCues) -> bool:
    """A denial just before the cue, or around it ("did not withdraw", "не потеряли")."""
    start = cue.start
    for s, e in sc.negations:
        if 0 <= start - e <= 30 or s <= start < e:
            return True
    return False


def _attempted(cue: Cue, sc: SentenceCues) -> bool:
    """An attempt just before the cue ("tried to capture")."""
    start = cue.start
    for c in sc.cues:
        if c.category == "attempt" and c.end <= start and start - c.end <= 30:
            return True
    return False


def _still_fought(text: str, cue: Cue, sc: SentenceCues) -> bool:
    fight = STILL_FOUGHT.search(text, cue.end, sc.sentence.end)
    return bool(fight) and not ENDED.search(text, max(sc.sentence.start, fight.start() - 40), fight.start())


def _relative_belongs_to_located(relative: str, between: str, reference: Mention) -> bool:
    """In "Авдеевку — город к северу от Донецка, который ..." the pronoun agrees with "город", the located place's
    noun; in "Нью-Йорк ... к западу от Горловки, которую ..." only with Горловка.  Without Slavic gender, the
    located place."""
    words = relative.split()
    gender = PRONOUN_GENDER.get(words[-1].lower()) if words else None
    if gender is None:
        return True
    noun = next((gender for word, gender in NOUN_GENDER if word.search(between)), None)
    if noun is not None:
        return noun == gender
    name = reference.key[-1] if reference.key else ""
    return gender != ("f" if name.endswith(("а", "я")) else "n" if name.endswith(("е", "о")) else "m")


_NON_BLANK = re.compile(r"\S")


def _next_char(text: str, pos: int, stop: int) -> str:
    """The first character of text[pos:stop] that is not blank, "" if none.  (Told from the next few characters
    without a regex call, the regex only for a run of blanks longer than the look: a cheap test before a long
    pattern that opens with blanks and some punctuation.)"""
    ahead = text[pos:min(pos + 8, stop)]
    rest = ahead.lstrip()
    if rest or len(ahead) < 8:
        return rest[:1]
    found = _NON_BLANK.search(text, pos + 8, stop)
    return found.group() if found else ""


def _relative_clauses(text: str, sc: SentenceCues, candidates: list[Mention]) -> list[tuple[Mention, tuple[int, int]]]:
    """Spans of relative clauses ("X, which ...") or participles ("d'Avdiïvka, tombée en février") right after a name."""
    spans = []
    sentence_end = sc.sentence.end
    for mention in candidates:
        if _next_char(text, mention.end, sentence_end) != ",":
            continue  # both shapes below (RELATIVE, APPOSITIVE) open with blanks and a comma
        match = RELATIVE.match(text, mention.end, sc.sentence.end)
        if match:
            stop = _clause_end(sc, match.end())
            owner = mention
            if mention.role == "reference" and COMPASS.search(text, max(sc.sentence.start, mention.start - 25), mention.start):
                # "Avdiivka, a town north of Donetsk, which Ukraine has held since 2014"
                located = [m for m in candidates if m.role == "place" and 0 < mention.start - m.end <= 80]
                if located and _relative_belongs_to_located(match.group(), text[located[-1].end:mention.start], mention):
                    owner = located[-1]
            spans.append((owner, (match.start(), stop)))
            continue
        comma = APPOSITIVE.match(text, mention.end, sc.sentence.end)
        if comma and any(comma.end() == c.start and c.category not in ("fighting", "partial", "attempt") for c in sc.cues):
            # "d'Avdiïvka, tombée en février": a participle right after the name describes it
            spans.append((mention, (comma.end(), _clause_end(sc, comma.end()))))
    return spans


def _reaches(text: str, sc: SentenceCues, cue: Cue, mention: Mention) -> bool:
    """Can this cue speak of this place? Not past a semicolon, not far away, not into another clause
    unless the place opens the clause ("Balakliia, a town of 27,000, was retaken") or follows "including"."""
    gap = _gap(cue, mention)
    forward = cue.end <= mention.start  # the place follows the cue
    if gap > WINDOW and not forward:
        return False  # (only a place after "including" is reached from further away)
    between = text[min(cue.end, mention.end):max(cue.start, mention.start)]
    if ";" in between or (forward and CONTRAST.search(between)):
        return False  # "X reste tenue par les Ukrainiens, tandis que Y ...": the cue is X's
    if gap <= NEAR:
        return True  # (told before the "including" test, which could only say yes too)
    if forward and INCLUDING.search(text, max(cue.end, mention.start - 30), mention.start):
        return True
    if gap > WINDOW:
        return False
    return not CLAUSE_BREAK.search(between) or _opens_clause(text, sc, mention, cue)


def _opens_clause(text: str, sc: SentenceCues, mention: Mention, cue: Cue) -> bool:
    """'Balakliia, a town of 27,000, was retaken': the name is the subject, an aside stands before its verb."""
    if cue.start < mention.end:
        return False
    lead = text[_clause_start(sc, mention.start):mention.start]
    between = text[mention.end:cue.start]
    appositive = between.count(",") == 2 and len(between.split()) <= 10 and not CLAUSE_BREAK.search(between.replace(",", ""))
    return appositive or (len(lead.split()) <= 2 and between.count(",") <= 3)


def _quoted(text: str, cue: Cue) -> bool:
    """« libéré », "liberated" in quotes: the report keeps its distance from the word."""
    return text[max(0, cue.start - 2):cue.start].strip()[-1:] in ("«", '"', "“", "„") and \
        text[cue.end:cue.end + 2].strip()[:1] in ("»", '"', "”", "“")


def _doubted(cue: Cue, sc: SentenceCues, text: str) -> bool:
    """A doubt word in the cue's clause, just before it, or after it up to a semicolon ("..., but Kyiv denied it")."""
    if not sc.claims:
        return False
    s = sc.sentence
    semicolon = text.find(";", cue.end, s.end)
    lo, hi = min(_clause_start(sc, cue.start), cue.start - 80), semicolon if semicolon >= 0 else s.end
    confirmed = CONFIRMED.search(text, max(s.start, cue.start - 80), cue.start)
    if confirmed and not NEGATED_BEFORE.search(text[max(s.start, confirmed.start() - 15):confirmed.start()]):
        return False  # "acknowledged ... that its troops had pulled out ... after two weeks of denials"
    return any(lo <= start < hi for start, _ in sc.claims)


def _gap(cue: Cue, mention: Mention) -> int:
    if cue.end <= mention.start:
        return mention.start - cue.end
    if cue.start >= mention.end:
        return cue.start - mention.end
    return 0


def _gapped(text: str, sc: SentenceCues, cue: Cue, owner: Mention, targets: list[Mention]) -> list[Mention]:
    """Places that share the cue through an elided verb; none if another cue stands in between."""
    after = max(owner.end, cue.end)
    if not targets or targets[-1].start <= after:
        return []  # (the usual case, told without a loop: no place after the cue and its owner)
    mention = next(m for m in targets if m.start > after)  # only the first can be gapped
    if owner.end <= cue.start:
        gap = GAP_AFTER_VERB.fullmatch(text, cue.end, mention.start)
    else:
        gap = GAP_AFTER_OBJECT.fullmatch(text, owner.end, mention.start)
    return [mention] if gap and not any(cue.end <= c.start < mention.start for c in sc.cues) else []


def _inside_appositives(text: str, named: list[Mention]) -> set[int]:
    """Starts of places named only inside an aside about the place before ("Avdiivka, a town on the northern outskirts
    of Donetsk"): they locate it, like "20 km east of Kharkiv", and take no cue of their own."""
    inside = set()
    for before, mention in zip(named, named[1:]):
        if before.role != "place":
            continue
        if _next_char(text, before.end, mention.start) not in (",", "—", "–"):
            continue  # the aside (APPOSITIVE_ASIDE) opens with blanks and a comma or dash
        if APPOSITIVE_ASIDE.fullmatch(text, before.end, mention.start):
            inside.add(mention.start)
    return inside


def _included(text: str, sc: SentenceCues, owner: Mention, groups: dict[int, list[Mention]],
              targets: list[Mention]) -> list[Mention]:
    """'withdrew from Kherson and the villages around it, including Chornobaivka': the list after 'including'
    shares what was said of the place before it."""
    if not targets or targets[-1].start <= owner.end:
        return []  # (the usual case, told without a loop: no place after the owner)
    mention = next(m for m in targets if m.start > owner.end)
    if mention.start - owner.end > 80:
        return []
    between = text[owner.end:mention.start]
    if ";" not in between and INCLUDING.search(between) \
            and not any(owner.end <= c.start < mention.start for c in sc.cues):
        return [m for m in groups[mention.start] if m is not owner]
    return []


def _listed_together(text: str, targets: list[Mention]) -> dict[int, list[Mention]]:
    """Runs of places joined only by commas and 'and' share their cues, also around a short aside
    ("Yampil, south-east of the town, and Drobysheve")."""
    groups: dict[int, list[Mention]] = {}
    run: list[Mention] = []
    for mention in targets:
        between = text[run[-1].end:mention.start] if run else ""
        if run and not (CONJUNCTION.match(between) or ASIDE_THEN_AND.match(between)):
            run = []
        run.append(mention)
        groups[mention.start] = run  # the earlier members already point at this same (growing) list
    return groups


class Verdict(NamedTuple):
    """What `decide` concludes for one place.  (A NamedTuple, not a frozen dataclass: as immutable, and about twice
    as quick to build; one is made for every place of every report and read once, by the pipeline.)"""

    status: str
    change: str | None
    confidence: float
    evidence: tuple[Evidence, ...]


def decide(place: Place, votes: list[Vote], mention_sentences: list[Evidence]) -> Verdict:
    """Combine sentence votes: a change of control outweighs talk of fighting; the past never overrides the present."""
    if not votes or place.country not in ("UA", "RU"):
        # a summit abroad, not a front line; or no sentence says anything of control (the common case: decided
        # here, without building the empty pools below)
        return Verdict("mentioned", None, 0.6, _unique(mention_sentences)[:3])
    current = [v for v in votes if not v.past]
    pool = [v for v in current if v.cue in DECISIVE and v.status != "contested"] or current
    confidence_scale = 1.0
    if not pool:
        if place.kind != "capital":
            pool = [v for v in votes if v.past and v.cue in DECISIVE and v.status != "contested"]
        confidence_scale = 0.6
    if not pool:
        return Verdict("mentioned", None, 0.6, _unique(mention_sentences)[:3])
    totals: dict[str, float] = {}
    for vote in pool:
        totals[vote.status] = totals.get(vote.status, 0.0) + vote.weight
    if len(totals) == 1:  # the usual case: the pool agrees, nothing to rank
        status = pool[0].status
        winners = pool
    else:
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0] != "contested"))
        status, top = ranked[0]
        if ranked[1][1] >= top * 0.5 and {ranked[0][0], ranked[1][0]} == {"ukraine", "russia"}:
            status = "contested"
        winners = [v for v in pool if v.status == status] or pool
    strongest = winners[0]  # the first of the heaviest
    for vote in winners:
        if vote.weight > strongest.weight:
            strongest = vote
    # (sum() as before, in the same order: the confidence must not change in its last bit)
    winning_weight = sum([v.weight for v in winners])
    agreement = winning_weight / sum([v.weight for v in votes if not v.past or confidence_scale < 1])
    strength = min(1.0, winning_weight / 1.5)
    confidence = confidence_scale * min(0.97, 0.35 + 0.3 * min(1.0, agreement) + 0.25 * strength + 0.05 * min(len(winners), 3))
    return Verdict(status, strongest.change, round(confidence, 3), _unique([v.sentence for v in winners if v.sentence]))


def _unique(items: list[Evidence]) -> tuple[Evidence, ...]:
    """One evidence per sentence start, in text order."""
    if len(items) == 1:
        return (items[0],)  # most places are named once: no set, no sort
    by_start: dict[int, Evidence] = {}
    for item in items:
        if item.start not in by_start:
            by_start[item.start] = item
    return tuple(by_start[start] for start in sorted(by_start))
