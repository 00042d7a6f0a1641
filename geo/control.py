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
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .grammar import (
    ADMITTED, ADMITTED_AFTER, APPOSITIVE, APPOSITIVE_ASIDE, AREA_NOUN_AFTER, AREA_NOUN_BEFORE, ASIDE_THEN_AND,
    BREAK_OR_NAME, CLAUSE_BREAK, COMPASS, CONFIRMED, CONJUNCTION, CONTRAST, DESPITE, DESTINATION, ENDED,
    EXPELLED_OBJECT, FROM, GAP_AFTER_OBJECT, GAP_AFTER_VERB, GENITIVE_GAP, INCLUDING, MILITARY, NEGATED_BEFORE,
    NOMINAL, NOMINAL_LOSS, NOUN_GENDER, OTHER_EVENT, OUTSKIRTS, PARTICIPLE, PASSIVE_AGENT, PASSIVE_MARK,
    PASSIVE_PARTICIPLE, PRONOUN_GENDER, REFERENCE_LAST_WORDS, RELATIVE, SINCE, STILL_FOUGHT, STOPPED,
    SUBJECT_GAP,
)
from .models import Evidence, Mention, Place, Report, Vote
from .normalize import Sentence
from .scanner import PatternScanner, Prefiltered

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
    reference_scanner: PatternScanner
    negation: PatternScanner
    claim: PatternScanner
    hypothetical: Prefiltered
    reference_after: re.Pattern[str]
    past: Prefiltered
    months: Prefiltered  # named groups m1..m12
    metonymy_before: re.Pattern[str]
    metonymy_after: re.Pattern[str]


def _alternation(patterns: list[str]) -> str:
    """Patterns that start at a word boundary share one `\\b`, so most positions fail after a single test."""
    bounded = [p[2:] for p in patterns if p.startswith("\\b")]
    loose = [p for p in patterns if not p.startswith("\\b")]
    parts = ([f"\\b(?:{'|'.join(f'(?:{p})' for p in bounded)})"] if bounded else []) + [f"(?:{p})" for p in loose]
    return "|".join(parts)


def _union(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(_alternation(patterns), re.IGNORECASE)


def _prefiltered_union(patterns: list[str]) -> Prefiltered:
    return Prefiltered(_union(patterns), patterns)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = CUES_FILE) -> Lexicon:
    """Compile the cue file once per process."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Lexicon(
        effect_cues=PatternScanner({name: data["cues"][name] for name in EFFECT_ORDER}),
        any_actor=PatternScanner(data["actors"]),
        reference_scanner=PatternScanner({"reference": data["reference"]["before"]}),
        negation=PatternScanner({"negation": data["cues"]["negation"]}),
        claim=PatternScanner({"claim": data["cues"]["claim"]}),
        hypothetical=_prefiltered_union(data["cues"]["hypothetical"]),
        reference_after=_union(data["reference"]["after"]),
        past=_prefiltered_union(data["past"]["markers"]),
        months=Prefiltered(re.compile("|".join(f"(?P<m{k}>{_alternation(v)})" for k, v in data["months"].items()), re.IGNORECASE),
                           [p for v in data["months"].values() for p in v]),
        metonymy_before=re.compile("|".join(f"(?:{p})" for p in data["metonymy"]["before"]), re.IGNORECASE),
        metonymy_after=_union(data["metonymy"]["after"]),
    )


@dataclass(frozen=True)
class Cue:
    category: str
    start: int  # offsets into the report text
    end: int
    text: str


class SentenceCues:
    """Everything the lexicon finds in one sentence, shared by all its places.

    Each kind is looked for on first use: a sentence without a cue never needs its actors, and the
    sentence before one is only asked for its actors."""

    def __init__(self, sentence: Sentence, lexicon: Lexicon):
        self.sentence = sentence
        self._lexicon = lexicon

    @cached_property
    def cues(self) -> tuple[Cue, ...]:
        text, base = self.sentence.text, self.sentence.start
        cues = [Cue(name, base + start, base + end, text[start:end])
                for name, start, end in self._lexicon.effect_cues.finditer(text)]
        return tuple(sorted(cues, key=lambda c: c.start))

    @cached_property
    def actors(self) -> tuple[tuple[str, int, int, bool], ...]:
        """(side, start, end, names a military force)"""
        text, base = self.sentence.text, self.sentence.start
        return tuple((side, base + start, base + end, bool(MILITARY.search(text, start, min(len(text), end + 30))))
                     for side, start, end in self._lexicon.any_actor.finditer(text))

    @cached_property
    def clause_breaks(self) -> tuple[int, ...]:
        """Where (in the sentence) the commas, colons, dashes... that end a clause stand."""
        return tuple(m.start() for m in CLAUSE_BREAK.finditer(self.sentence.text))

    @cached_property
    def negations(self) -> tuple[tuple[int, int], ...]:
        base = self.sentence.start
        return tuple((base + s, base + e) for _, s, e in self._lexicon.negation.finditer(self.sentence.text))

    @cached_property
    def claims(self) -> tuple[tuple[int, int], ...]:
        """Doubt: "claimed", "not confirmed", "спростували"."""
        base = self.sentence.start
        return tuple((base + s, base + e) for _, s, e in self._lexicon.claim.finditer(self.sentence.text))


def mention_role(text: str, mention: Mention, place: Place, lexicon: Lexicon) -> str:
    """'reference' for a town that only locates something else, 'actor' for a capital standing for its government."""
    before, after = text[max(0, mention.start - 60):mention.start], text[mention.end:mention.end + 40]
    if place.kind == "capital":
        if lexicon.metonymy_before.search(before) or lexicon.metonymy_after.match(after):
            return "actor"
        first_cue = next(lexicon.effect_cues.finditer(after), None)
        if first_cue is not None and first_cue[1] == SUBJECT_GAP.match(after).end():
            return "actor"  # "Moscou contrôle désormais ...", "Kyiv retook ...": the capital is the subject
    if lexicon.reference_after.match(after):
        return "region"  # "the Donetsk front", "Бахмутський напрямок": a front line, not the town
    last_word = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
    if last_word.strip("'’") in REFERENCE_LAST_WORDS or last_word[-2:] in ("d'", "d’", "l'", "l’"):
        if next(lexicon.reference_scanner.finditer(before), None):
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
    before = bisect.bisect_left(breaks, offset - sc.sentence.start)  # the breaks that end before `offset`
    return sc.sentence.start + (breaks[before - 1] + 1 if before else 0)


def _clause(sc: SentenceCues, cue: Cue, opening: bool = True) -> str:
    """The cue's clause, plus (for dates) a short opening phrase of the sentence ("In July, ...")."""
    s = sc.sentence
    left = _clause_start(sc, cue.start) - s.start
    breaks = sc.clause_breaks
    after = bisect.bisect_left(breaks, cue.end - s.start)
    right = breaks[after] if after < len(breaks) else len(s.text)
    lead = s.text[:breaks[0]] if breaks else s.text
    return s.text[left:right] + (" " + lead if opening and len(lead.split()) <= 5 and left > 0 else "")


def _is_past(cue: Cue, sc: SentenceCues, report: Report, lexicon: Lexicon) -> bool:
    """The report tells this as an earlier event: 'in July', 'at the start of the war', 'en mars'."""
    clause = _clause(sc, cue)
    if lexicon.past.search(clause):
        return True
    when = _report_month(report)
    if when is None:
        return False
    return any(int(m.lastgroup[1:]) < when[1] and not SINCE.search(clause, 0, m.start())
               for m in lexicon.months.finditer(clause))


def _actor_for(cue: Cue, sc: SentenceCues, previous: SentenceCues | None, text: str, after: bool = False,
               same_sentence: bool = False) -> str | None:
    """The side doing what the cue says: the subject before it, a fighting force first ("Russian troops" over
    "the Russian border"); after it only for a passive agent ("taken by Ukrainian forces") or "fell to"."""
    s = sc.sentence
    inside = [a for a in sc.actors if cue.start <= a[1] and a[2] <= cue.end]
    if inside:
        return inside[0][0]  # "the Russians left": the cue names its own subject
    after = after or bool(PASSIVE_AGENT.match(text, cue.end, s.end))
    before_cue = [(a, cue.start - a[2]) for a in sc.actors if a[2] <= cue.start]
    after_cue = [(a, a[1] - cue.end) for a in sc.actors if a[1] >= cue.end
                 and not CLAUSE_BREAK.search(s.text, cue.end - s.start, a[1] - s.start)]
    if cue.category == "withdraw":  # "le retrait des troupes russes": the genitive names who leaves
        genitive = [a for a, d in after_cue if d <= 25 and GENITIVE_GAP.fullmatch(text, cue.end, a[1])]
        if genitive:
            return genitive[0][0]
    clause_start = _clause_start(sc, cue.start)
    subject = [(a, d) for a, d in before_cue if a[1] >= clause_start]
    if subject and not after:  # "Russia said it had finished withdrawing": the clause's own subject
        return min(subject, key=lambda pair: pair[1])[0][0]
    for pool in ((after_cue, before_cue) if after else (before_cue, after_cue)):
        if pool:
            strong = [(a, d) for a, d in pool if a[3]] or pool
            return min(strong, key=lambda pair: pair[1])[0][0]
    if previous is not None and previous.actors and not same_sentence:
        strong = [a for a in previous.actors if a[3]] or list(previous.actors)
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
                   lexicon: Lexicon) -> dict[Mention, list[Vote]]:
    """Votes of one sentence for the places it names.

    Each cue belongs to the place named nearest to it; places listed with that one
    ("Klishchiivka and Andriivka") share it.  A reference point ("20 km east of Kharkiv")
    only takes what is glued to it: an adjective right before it or a clause right after it.
    A place keeps at most two votes: the nearest cue about now, and the last it recounts from before.
    """
    text = report.text
    named = sorted((m for m in mentions if m.role in ("place", "reference")), key=lambda m: m.start)
    if not sc.cues or not named:
        return {}
    described = _inside_appositives(text, named)
    targets = [m for m in named if m.role == "place" and m.start not in described]
    relatives = _relative_clauses(text, sc, named)
    groups = _listed_together(text, targets)
    for m in named:
        groups.setdefault(m.start, [m])
    candidates: dict[tuple[int, bool], list[tuple[int, Cue]]] = {}
    for cue in sc.cues:
        if cue.category == "fighting":  # (the tests below only concern fighting: skipped for the other cues)
            if DESPITE.search(text, max(sc.sentence.start, cue.start - 30), cue.start):
                continue  # "holds Chasiv Yar despite the assaults": the fighting is conceded, the holding is the news
            ended = ENDED.search(text, max(sc.sentence.start, cue.start - 40), cue.start)
            if ended and OTHER_EVENT.search(ended.group()):
                ended = None  # "после отхода гарнизона бои переместились": after another event, not after the fighting
            if ended or STOPPED.match(text, cue.end, sc.sentence.end):
                continue  # "ending a siege", "to avoid encirclement", "бои прекратились": no fighting now
        owner = next((m for m in named if 0 <= m.start - cue.end <= 1), None)  # "окупованого Водяного"
        nominal = NOMINAL.search(cue.text)
        if owner is None and (nominal or PARTICIPLE.search(cue.text)):
            # "после взятия в начале октября Угледара", "через занятый российскими войсками в феврале Бердянск"
            reach = 25 if nominal else 60
            owner = next((m for m in targets if 0 <= m.start - cue.end <= reach
                          and not BREAK_OR_NAME.search(text[cue.end:m.start])), None)
        owner = owner or next((m for m, (lo, hi) in relatives if lo <= cue.start < hi), None)
        if owner is not None:
            gap = 0  # "Bakhmut, which Russian forces took in May": the cue speaks of the noun before "which"
        else:  # the nearest place the cue can reach: same clause, or the subject before an aside
            reachable = [(m, _gap(cue, m)) for m in targets if _reaches(text, sc, cue, m)]
            if not reachable:
                continue
            owner, gap = min(reachable, key=lambda pair: pair[1])
        past = _is_past(cue, sc, report, lexicon)
        for member in groups[owner.start] + _gapped(text, sc, cue, owner, targets) + _included(text, sc, owner, groups, targets):
            # now: the nearest cue; the past: the last one told (events are narrated in order)
            distance = -cue.start if past else (0 if gap == 0 and member is owner else _gap(cue, member))
            candidates.setdefault((member.start, past), []).append((distance, cue))
    evidence = Evidence(sc.sentence.text, sc.sentence.start, sc.sentence.end)
    by_start = {m.start: m for m in named}
    votes: dict[Mention, list[Vote]] = {}
    for (start, past), ranked in sorted(candidates.items()):
        # a change of control beats a nearer word of fighting or holding said of the same place
        for _, cue in sorted(ranked, key=lambda pair: (pair[1].category not in DECISIVE, pair[0])):
            vote = _vote(cue, past, sc, previous, lexicon, evidence, text, by_start[start])
            if vote is not None:
                votes.setdefault(by_start[start], []).append(vote)
                break
    return votes


def _vote(cue: Cue, past: bool, sc: SentenceCues, previous: SentenceCues | None, lexicon: Lexicon,
          evidence: Evidence, text: str, mention: Mention) -> Vote | None:
    category = cue.category
    if lexicon.hypothetical.search(_clause(sc, cue, opening=False)):
        return None  # "the next objective could be Siversk", "la perte de Pokrovsk menacerait..."
    if category in ("occupied", "capture", "liberate") and (AREA_NOUN_AFTER.match(text, cue.end, sc.sentence.end)
                                                           or AREA_NOUN_BEFORE.search(text, max(sc.sentence.start, cue.start - 20), cue.start)):
        return None  # "окупованої частини області", "les territoires occupés": an area, not this place
    if category == "positions" and not FROM.search(text, max(0, cue.start - 12), cue.start) and \
            any(c.category in ("attempt", "fighting") and 0 <= cue.start - c.end <= 25 for c in sc.cues):
        return None  # "attacked positions near Verbove" (but not "attack from positions near X"): the attack decides
    if category == "liberate":  # only a Russian agent named right there turns "liberated" into a Russian capture
        actor = "russia" if any(a[0] == "russia" and a[2] <= cue.start for a in sc.actors) else None
    elif category == "loss":  # the loser: the subject of "lost", or "of Moscow" right after "the defeat"
        clause_start = _clause_start(sc, cue.start)
        nominal = bool(NOMINAL_LOSS.match(cue.text))  # "la caída de Bajmut": the word before is not the loser
        losers = [a for a in sc.actors if 0 <= a[1] - cue.end <= 15] if nominal else \
                 [a for a in sc.actors if clause_start <= a[1] and a[2] <= cue.start]
        if nominal and not losers and (ADMITTED.search(text, max(clause_start, cue.start - 40), cue.start)
                                       or ADMITTED_AFTER.match(text, cue.end, sc.sentence.end)):
            # "Russian bloggers acknowledged the loss of X", "У Москві втрату X не визнали": who admits a loss
            # (or will not) is who suffered it
            losers = [a for a in sc.actors if clause_start <= a[1] and a[2] <= cue.start]
        actor = min(losers, key=lambda a: abs(a[1] - cue.start))[0] if losers else None
    else:
        actor = _actor_for(cue, sc, previous, text, after=EFFECTS[category][0] in ("actor_after", "loser_after"),
                           same_sentence=category in ("retake", "footage"))
    passive = bool(PASSIVE_MARK.search(text, max(sc.sentence.start, cue.start - 25), cue.start)
                   or (PASSIVE_PARTICIPLE.match(cue.text) and not cue.text.lower().startswith(("driven out", "expelled")))
                   or PASSIVE_AGENT.match(text, cue.end, sc.sentence.end))
    if category == "expel" and (EXPELLED_OBJECT.search(text, max(sc.sentence.start, cue.start - 30), cue.start)
                                or any(cue.start < a[1] and a[2] <= cue.end for a in sc.actors)):
        passive = True  # "окупантів вибили з X", "pushed Russian forces out": the object is the side driven out
    status = _status_for(category, actor, passive)
    if status is None:
        return None
    _, weight, change = EFFECTS[category]
    if category == "withdraw" and mention.start >= cue.end and DESTINATION.match(text[cue.end:mention.start]):
        status, weight, change = actor or status, 0.6, "held"  # "pulled back to Lysychansk": they hold it now
    negated = any(0 <= cue.start - e <= 30 or s <= cue.start < e for s, e in sc.negations)
    attempted = any(c.category == "attempt" and c.end <= cue.start and cue.start - c.end <= 30 for c in sc.cues)
    claimed = status != "contested" and (_doubted(cue, sc, text) or _quoted(text, cue))
    if category in ("capture", "hold", "enter", "positions") and mention.start >= cue.end and \
            OUTSKIRTS.search(text[cue.end:mention.start]):
        status, weight, change = "contested", 0.8, "fighting"  # "закрепились на окраинах Торецка": a foothold, not the town
    if negated and not claimed and category in ("capture", "enter", "withdraw", "loss") and actor in OTHER_SIDE:
        # "was never entered by Russian forces", "did not withdraw", "не потеряли": the place stays where it was;
        # a holding, not a change of control, so talk of fighting can still outweigh it
        held_by = actor if category in ("withdraw", "loss") else OTHER_SIDE[actor]
        return Vote(held_by, "held", 0.6, past, evidence, "hold")
    if (negated or attempted or claimed) and status != "contested":
        status, weight, change = "contested", 0.6, "attack" if attempted else "claimed"
    elif category in ("capture", "enter", "retake", "liberate") and _still_fought(text, cue, sc):
        status, weight, change = "contested", 0.8, "fighting"  # "took Klishchiivka; fighting there was continuing"
    return Vote(status, change, weight, past, evidence, category)


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


def _relative_clauses(text: str, sc: SentenceCues, candidates: list[Mention]) -> list[tuple[Mention, tuple[int, int]]]:
    """Spans of relative clauses ("X, which ...") or participles ("d'Avdiïvka, tombée en février") right after a name."""
    spans = []
    for mention in candidates:
        match = RELATIVE.match(text, mention.end, sc.sentence.end)
        if match:
            stop = CLAUSE_BREAK.search(text, match.end(), sc.sentence.end)
            owner = mention
            if mention.role == "reference" and COMPASS.search(text, max(sc.sentence.start, mention.start - 25), mention.start):
                # "Avdiivka, a town north of Donetsk, which Ukraine has held since 2014"
                located = [m for m in candidates if m.role == "place" and 0 < mention.start - m.end <= 80]
                if located and _relative_belongs_to_located(match.group(), text[located[-1].end:mention.start], mention):
                    owner = located[-1]
            spans.append((owner, (match.start(), stop.start() if stop else sc.sentence.end)))
            continue
        comma = APPOSITIVE.match(text, mention.end, sc.sentence.end)
        if comma and any(comma.end() == c.start and c.category not in ("fighting", "partial", "attempt") for c in sc.cues):
            # "d'Avdiïvka, tombée en février": a participle right after the name describes it
            stop = CLAUSE_BREAK.search(text, comma.end(), sc.sentence.end)
            spans.append((mention, (comma.end(), stop.start() if stop else sc.sentence.end)))
    return spans


def _reaches(text: str, sc: SentenceCues, cue: Cue, mention: Mention) -> bool:
    """Can this cue speak of this place? Not past a semicolon, not far away, not into another clause
    unless the place opens the clause ("Balakliia, a town of 27,000, was retaken") or follows "including"."""
    gap = _gap(cue, mention)
    between = text[min(cue.end, mention.end):max(cue.start, mention.start)]
    if ";" in between or (cue.end <= mention.start and CONTRAST.search(between)):
        return False  # "X reste tenue par les Ukrainiens, tandis que Y ...": the cue is X's
    if cue.end <= mention.start and INCLUDING.search(text, max(cue.end, mention.start - 30), mention.start):
        return True
    if gap > WINDOW:
        return False
    return gap <= NEAR or not CLAUSE_BREAK.search(between) or _opens_clause(text, sc, mention, cue)


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
    mention = next((m for m in targets if m.start > max(owner.end, cue.end)), None)  # only the first can be gapped
    if mention is None:
        return []
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
        if before.role == "place" and APPOSITIVE_ASIDE.fullmatch(text, before.end, mention.start):
            inside.add(mention.start)
    return inside


def _included(text: str, sc: SentenceCues, owner: Mention, groups: dict[int, list[Mention]],
              targets: list[Mention]) -> list[Mention]:
    """'withdrew from Kherson and the villages around it, including Chornobaivka': the list after 'including'
    shares what was said of the place before it."""
    mention = next((m for m in targets if m.start > owner.end), None)
    if mention is None:
        return []
    between = text[owner.end:mention.start]
    if len(between) <= 80 and ";" not in between and INCLUDING.search(between) \
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


@dataclass(frozen=True)
class Verdict:
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
    past = [v for v in votes if v.past and place.kind != "capital"]
    pool = [v for v in current if v.cue in DECISIVE and v.status != "contested"] or current
    confidence_scale = 1.0
    if not pool:
        pool = [v for v in past if v.cue in DECISIVE and v.status != "contested"]
        confidence_scale = 0.6
    if not pool:
        return Verdict("mentioned", None, 0.6, _unique(mention_sentences)[:3])
    totals: dict[str, float] = {}
    for vote in pool:
        totals[vote.status] = totals.get(vote.status, 0.0) + vote.weight
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0] != "contested"))
    status, top = ranked[0]
    if len(ranked) > 1 and ranked[1][1] >= top * 0.5 and {ranked[0][0], ranked[1][0]} == {"ukraine", "russia"}:
        status = "contested"
    winners = [v for v in pool if v.status == status] or pool
    change = max(winners, key=lambda v: v.weight).change
    winning_weight = sum(v.weight for v in winners)
    agreement = winning_weight / sum(v.weight for v in votes if not v.past or confidence_scale < 1)
    strength = min(1.0, winning_weight / 1.5)
    confidence = confidence_scale * min(0.97, 0.35 + 0.3 * min(1.0, agreement) + 0.25 * strength + 0.05 * min(len(winners), 3))
    return Verdict(status, change, round(confidence, 3), _unique([v.sentence for v in winners if v.sentence]))


def _unique(items: list[Evidence]) -> tuple[Evidence, ...]:
    """One evidence per sentence start, in text order."""
    if len(items) == 1:
        return (items[0],)  # most places are named once: no set, no sort
    by_start: dict[int, Evidence] = {}
    for item in items:
        if item.start not in by_start:
            by_start[item.start] = item
    return tuple(by_start[start] for start in sorted(by_start))
