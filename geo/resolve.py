"""Choosing the right settlement among same-name candidates, from the report's own context.

There are dozens of Andriivkas and Novoselivkas.  The report usually says
which one it means: an oblast it names, a nearby town it names ("Andriivka,
south of Bakhmut"), or simply the front it is about.  Population breaks ties.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from .gazetteer import Gazetteer
from .models import Mention, Place
from .normalize import fold
from .toponyms import NOT_SETTLEMENTS


@dataclass(frozen=True)
class Resolution:
    """Each settlement mention with the place chosen for it; regions the report names."""

    places: tuple[tuple[Mention, Place], ...]
    regions: frozenset[str]  # admin1 ISO codes ("UA-63") and country codes named in the text


class _Ids(NamedTuple):
    """A mention's candidate ids sorted by kind."""

    settlements: tuple[str, ...]
    region_codes: tuple[str, ...]  # ISO codes of the oblasts and countries among them
    oblast: str | None  # the first oblast's ISO code, None if no candidate is an oblast


@lru_cache(maxsize=65536)
def _ids(candidates: tuple[str, ...]) -> _Ids:
    """Candidate ids split by kind once per distinct tuple (cached: names repeat, and a tuple may hold 100 ids)."""
    settlements = tuple(pid for pid in candidates if not pid.startswith(NOT_SETTLEMENTS))
    codes = tuple(pid.split(":", 1)[1] for pid in candidates if pid.startswith(("admin1:", "country:")))
    oblast = next((pid.split(":", 1)[1] for pid in candidates if pid.startswith("admin1:")), None)
    return _Ids(settlements, codes, oblast)


def named_regions(mentions: list[Mention], gazetteer: Gazetteer) -> frozenset[str]:
    """Oblasts and countries the text names, including towns used as region names ("province de Kharkiv")."""
    found: set[str] = set()
    for mention in mentions:
        ids = _ids(mention.candidates)
        found.update(ids.region_codes)
        if mention.role == "region" and ids.settlements:
            found.add(_largest(ids.settlements, gazetteer).admin1_iso)
    return frozenset(found)


def region_spots(mentions: list[Mention], gazetteer: Gazetteer) -> list[tuple[str, int]]:
    """(oblast ISO code, offset) of every region name in the text."""
    spots = []
    for mention in mentions:
        if mention.role == "region" or _ids(mention.candidates).oblast is not None:
            iso = _region_iso(mention, gazetteer)
            if iso:
                spots.append((iso, mention.start))
    return spots


_NO_QUALIFIERS: frozenset[str] = frozenset()


def resolve(mentions: list[Mention], gazetteer: Gazetteer, text: str = "") -> Resolution:
    """Pick one place per settlement mention; the same name in one report means the same place,
    unless the report itself tells two apart by their oblasts ("Кам'янське Запорізької області")."""
    regions = named_regions(mentions, gazetteer)
    qualified = oblast_qualifiers(mentions, gazetteer, text) if text else {}
    qualifiers_of_key: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for mention in mentions:
        if mention.start not in qualified:
            continue
        if _CONFUSED_WITH.search(text, max(0, mention.start - 70), mention.start):
            regions -= {qualified[mention.start]}  # "not to be confused with X, Y region": Y is not the report's area
        else:
            qualifiers_of_key[mention.key].add(qualified[mention.start])
    groups: dict[tuple[tuple[str, ...], str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.role != "region" and _ids(mention.candidates).settlements:
            isos = qualifiers_of_key.get(mention.key, _NO_QUALIFIERS)
            # an unqualified repeat joins the one qualified reading, if the report gave only one
            iso = qualified.get(mention.start) or (next(iter(isos)) if len(isos) == 1 else "")
            groups[(mention.key, iso)].append(mention)

    candidates_of = {}
    # The names that leave no doubt whatever the regions: one candidate, or one far bigger than all the others.
    chosen: dict[tuple[tuple[str, ...], str], Place] = {}
    readings, nearness = _caches(gazetteer)
    for key, ms in groups.items():
        candidates_of[key], obvious = readings.of(key, ms[0].candidates)
        if obvious is not None:
            chosen[key] = obvious
    # An oblast the report names is its area, unless the report's certain places all lie elsewhere: then a
    # closing line about Crimea must not pull every Storozheve there, except a name written right beside it.
    certain = {p.admin1_iso for p in chosen.values() if p.country in ("UA", "RU")}
    distant = frozenset(iso for iso in regions if certain and iso not in certain and "-" in iso)
    spots = region_spots(mentions, gazetteer)
    starts = {key: sorted(m.start for m in ms) for key, ms in groups.items()}
    open_keys: dict[tuple[tuple[str, ...], str], _Candidates] = {}
    for key, places in candidates_of.items():
        if key in chosen:
            continue
        near = {iso for iso, start in spots if _nearest_gap((start,), starts[key]) < 80}
        strong, weak = (regions - distant) | (distant & near), distant - near
        clear = _obvious(places, strong)
        if clear is not None:
            chosen[key] = clear
        else:
            open_keys[key] = _Candidates(places, strong, weak, nearness)
    # Then the rest, by closeness to what is already placed; twice, so new choices help the others.
    # The places chosen so far stay; each open name's closeness to every other name is worked out once.
    closeness_of = {key: {other: _closeness(starts[key], starts[other]) for other in groups if other[0] != key[0]}
                    for key in open_keys}  # not the same name read in another oblast
    fixed_anchors = {key: _anchors(chosen.items(), closeness_of[key]) for key in open_keys}
    scored_with: dict[tuple[tuple[str, ...], str], list[tuple[Place, float]]] = {}
    for _ in range(2 if len(open_keys) > 1 else 1):
        for key, candidates in open_keys.items():
            # the fixed places first, then the open names chosen so far, in the order they were placed
            anchors = list(_anchors(((other, chosen[other]) for other in open_keys if other in chosen),
                                    closeness_of[key], dict(fixed_anchors[key])).values())
            if anchors != scored_with.get(key):  # the same anchors as last round give the same choice
                chosen[key] = candidates.best(anchors)
                scored_with[key] = anchors
    pairs = tuple((m, chosen[key]) for key, ms in groups.items() for m in ms)
    return Resolution(tuple(sorted(pairs, key=lambda pair: pair[0].start)), regions)


def _anchors(placed: Iterable[tuple[tuple[tuple[str, ...], str], Place]], closeness_of: dict[tuple[tuple[str, ...], str], float],
             anchors: dict[str, tuple[Place, float]] | None = None) -> dict[str, tuple[Place, float]]:
    """Placed names as anchors: place_id -> (place, closeness), the closest mention of a place counting."""
    anchors = {} if anchors is None else anchors
    for other, place in placed:
        closeness = closeness_of.get(other)
        if closeness is not None and closeness > anchors.get(place.place_id, (place, 0.0))[1]:
            anchors[place.place_id] = (place, closeness)
    return anchors


# What may stand between a village and the oblast that qualifies it: "Andriivka, Donetsk region",
# "Andriivka in the Donetsk region", "Andriïvka, dans la région de Donetsk", "Андріївка Донецької області".
_QUALIFIER_GAP = re.compile(r"[\s,(]*(?:(?:in|the|of|de|la|du|dans|en|im|der|des|в|у|на|région|region|province|oblast|gebiet|"
                            r"provincia)\s+)*", re.IGNORECASE)


_CONFUSED_WITH = re.compile(r"(?:confused|confondu\w*|confondre|плутати|путать|verwechseln|confundi\w*|confundir)\b", re.IGNORECASE)


def oblast_qualifiers(mentions: list[Mention], gazetteer: Gazetteer, text: str) -> dict[int, str]:
    """Settlement mentions (by start offset) followed right away by an oblast name: that oblast's ISO code."""
    found = {}
    for mention, following in zip(mentions, mentions[1:]):
        if mention.role == "region" or following.role != "region" or following.start - mention.end > 30:
            continue
        gap = _QUALIFIER_GAP.match(text, mention.end, following.start)
        if gap is None or gap.end() != following.start:
            continue
        iso = _region_iso(following, gazetteer)
        if iso.startswith(("UA-", "RU-")):
            found[mention.start] = iso
    return found


def _region_iso(mention: Mention, gazetteer: Gazetteer) -> str:
    ids = _ids(mention.candidates)
    if ids.oblast is not None:
        return ids.oblast
    return _largest(ids.settlements, gazetteer).admin1_iso if ids.settlements else ""


_POPULATION = attrgetter("population")


def _largest(settlements: tuple[str, ...], gazetteer: Gazetteer) -> Place:
    """The biggest settlement a name may stand for: the one "province de Kharkiv" names."""
    return max(map(gazetteer.places.__getitem__, settlements), key=_POPULATION)


class _Candidates:
    """Same-name places, scored against the anchors (the places already chosen in the report).

    Candidate c scores base[c] + sum over anchors a of 3 * weight[a] * exp(-km(c, a) / 40), counting only anchors
    within 200 km.  That was one numpy expression per call (`scores_numpy`), ~25 numpy operations whose fixed cost
    (~1 us each) was most of resolve's time for the usual 2-80 candidates x 8-28 anchors.  Now each anchor's
    nearness to the candidates, exp(-km / 40) for those within 200 km, is kept per candidate list (`_NearnessCache`:
    the same name gives the same list in every report), and a call adds up only the non-zero terms in Python.

    Nearness values come from the numpy expression itself (`_nearness`, run for anchors not seen before); the
    sums are plain Python, equal to `scores_numpy`'s up to rounding in the last bits (tests/test_resolve_scores.py)."""

    def __init__(self, places: list[Place], regions: frozenset[str], weak_regions: frozenset[str] = frozenset(),
                 nearness: _NearnessCache | None = None):
        self.places = places
        self.base = [_static_score(p, regions, weak_regions) for p in places]
        # anchor place_id -> ((candidate index, exp(-km / 40)), ...) for the candidates within 200 km of it
        self._near = (_NearnessCache() if nearness is None else nearness).of(places)

    def best(self, anchors: list[tuple[Place, float]]) -> Place:
        """The best-scoring candidate, the first of equals (as np.argmax gives it)."""
        scores = self.scores(anchors)
        return self.places[scores.index(max(scores))]

    def scores(self, anchors: list[tuple[Place, float]]) -> list[float]:
        """Every candidate's score: its static score plus the nearness of each anchor within 200 km."""
        near = self._near
        unseen = [a for a, _ in anchors if a.place_id not in near]
        if unseen:
            if len(near) + len(unseen) > 4096:  # bounded on an endless stream of reports
                near.clear()
                unseen = [a for a, _ in anchors]  # the anchors seen before need their nearness again
            self._nearness(unseen)
        totals = list(self.base)
        for anchor, closeness in anchors:
            weight = 3.0 * closeness
            for i, nearness in near[anchor.place_id]:
                totals[i] += weight * nearness
        return totals

    def scores_numpy(self, anchors: list[tuple[Place, float]]) -> list[float]:
        """The original vectorised scores: the reference `scores` is tested against."""
        km = _km(self.places, [a for a, _ in anchors])
        weight = np.array([c for _, c in anchors])
        score = np.array(self.base) + (3.0 * weight[None, :] * np.exp(-km / 40.0) * (km < 200)).sum(axis=1)
        return score.tolist()

    def _nearness(self, anchors: list[Place]) -> None:
        """exp(-km / 40) between every candidate and each of these anchors, by the numpy expression of
        `scores_numpy` (elementwise: a pair's value does not depend on the others computed with it); kept in `_near`."""
        km = _km(self.places, anchors)
        near, within = np.exp(-km / 40.0).T.tolist(), (km < 200).T.tolist()
        for anchor, values, flags in zip(anchors, near, within):
            self._near[anchor.place_id] = tuple((i, value) for i, (value, flag) in enumerate(zip(values, flags)) if flag)


def _km(places: list[Place], anchors: list[Place]) -> np.ndarray:
    """Distances in km, candidates x anchors, by the flat-earth formula the scores were tuned with."""
    lat, lon = np.array([p.lat for p in places]), np.array([p.lon for p in places])
    a_lat, a_lon = np.array([a.lat for a in anchors]), np.array([a.lon for a in anchors])
    x = (a_lon[None, :] - lon[:, None]) * np.cos(np.radians((a_lat[None, :] + lat[:, None]) / 2))
    return 111.2 * np.hypot(x, a_lat[None, :] - lat[:, None])


class _NearnessCache(dict):
    """Candidate place_ids -> {anchor place_id -> ((candidate index, exp(-km / 40)), ...) within 200 km}.

    One per gazetteer (`_caches`): a place_id stands for the same coordinates only within one gazetteer.
    Bounded: cleared when it holds too many candidate lists."""

    LIMIT = 20_000  # candidate lists

    def of(self, places: list[Place]) -> dict[str, tuple[tuple[int, float], ...]]:
        key = tuple(p.place_id for p in places)
        near = self.get(key)
        if near is None:
            if len(self) >= self.LIMIT:
                self.clear()
            near = self[key] = {}
        return near


class _ReadingsCache(dict):
    """(name key, oblast qualifier, candidate ids) -> (the name's candidate places, the obvious one or None).

    Both depend on nothing else in the report, and the same names come back report after report, so they are worked
    out once (a place list, the alias filter and the size test cost more than the look-up).  One per gazetteer;
    bounded.  The place lists are shared: nothing downstream changes them."""

    def __init__(self, gazetteer: Gazetteer):
        super().__init__()
        self.gazetteer = gazetteer

    def of(self, key: tuple[tuple[str, ...], str], candidates: tuple[str, ...]) -> tuple[list[Place], Place | None]:
        found = self.get((key, candidates))
        if found is None:
            if len(self) >= 65536:
                self.clear()
            places = list(map(self.gazetteer.places.__getitem__, _ids(candidates).settlements))
            if key[1]:
                places = [p for p in places if p.admin1_iso == key[1]] or places
            places = _own_names_first(places, key[0])
            found = self[(key, candidates)] = (places, _obvious(places, frozenset()))
        return found


_shared_caches: tuple[Gazetteer, _ReadingsCache, _NearnessCache] | None = None


def _caches(gazetteer: Gazetteer) -> tuple[_ReadingsCache, _NearnessCache]:
    """The report-independent caches for this gazetteer, made anew when the gazetteer changes."""
    global _shared_caches
    if _shared_caches is None or _shared_caches[0] is not gazetteer:
        _shared_caches = (gazetteer, _ReadingsCache(gazetteer), _NearnessCache())
    return _shared_caches[1], _shared_caches[2]


_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "e", "ж": "zh", "з": "z", "и": "y", "і": "i",
    "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ы": "y", "э": "e",
    "ъ": ""})
_VOWELS = re.compile(r"[aeiouyjwh\s-]+")


@lru_cache(maxsize=65536)
def _skeleton(name: str) -> str:
    """Consonants of a name in Latin letters: 'Slovyansk', 'Sloviansk' and 'Слов'янськ' all give 'slvnsk'."""
    return _VOWELS.sub("", fold(name).translate(_CYRILLIC_TO_LATIN).replace("g", "h"))


def _skeletons(place: Place) -> set[str]:
    return {_skeleton(n) for n in (place.name, place.name_uk, place.name_ru) if n}


def _own_names_first(places: list[Place], key: tuple[str, ...]) -> list[Place]:
    """A historical alias never beats a town's own name: GeoNames lists 'Slov'yansk' among Nikopol's old names,
    but 'Sloviansk' is Sloviansk.  Kept when the alias holder dwarfs every town named so (Dnipropetrovsk)."""
    if len(places) < 2:
        return places
    # Only a town (10,000 people) can be an alias holder: without one, or if every one has the name, nothing is dropped.
    towns = [p for p in places if p.population >= 10000]
    if not towns:
        return places
    wanted = _skeleton(" ".join(key))
    if all(wanted in _skeletons(p) for p in towns):
        return places

    own = [p for p in places if wanted in _skeletons(p)]
    if not own or len(own) == len(places):
        return places
    # by place_id: one gazetteer record per id, and comparing whole records field by field is slow
    own_ids = {p.place_id for p in own}
    # only towns carry historical aliases; a village may be another reading of an inflected word ("Бердичів")
    aliased = [p for p in places if p.place_id not in own_ids and p.population >= 10000]
    if not aliased or max(p.population for p in own) * 10 < max(p.population for p in aliased):
        return places
    aliased_ids = {p.place_id for p in aliased}
    return [p for p in places if p.place_id not in aliased_ids]


def _obvious(places: list[Place], regions: frozenset[str]) -> Place | None:
    domestic = [p for p in places if p.country in ("UA", "RU")]
    places = domestic or places  # "New York" in a report about Toretsk is Niu-York, not the city abroad
    if len(places) == 1:
        return places[0]
    # the biggest (the first of equals, as a stable sort gives) and the runner-up's size; sorting plain ints is quick
    populations = list(map(_POPULATION, places))
    top, runner_up = sorted(populations, reverse=True)[:2]
    if top >= 100000 and top >= 10 * max(1, runner_up):
        return places[populations.index(top)]  # Kyiv is the capital even in a report about a village called Kyiv's oblast
    if not regions:  # the first pass, before any region counts
        return None
    in_context = [p for p in places if p.admin1_iso in regions]
    if len(in_context) == 1:
        return in_context[0]
    return None


def _closeness(these: list[int], those: list[int]) -> float:
    """3.0 when two names stand side by side ("Andriivka, south of Bakhmut"), less when far apart in the text
    (both lists of offsets sorted)."""
    # most names occur once: then the gap is a plain difference, no bisection needed
    gap = abs(these[0] - those[0]) if len(these) == 1 and len(those) == 1 else _nearest_gap(these, those)
    return 3.0 if gap < 40 else 1.0 if gap < 80 else 0.5 if gap < 400 else 0.25


def _nearest_gap(offsets: Iterable[int], sorted_others: list[int]) -> int:
    """The smallest distance between an offset and another; by bisection, so a name repeated a thousand times
    in a long report costs n log n, not n squared."""
    best = 10 ** 9
    for offset in offsets:
        i = bisect.bisect_left(sorted_others, offset)
        if i < len(sorted_others) and sorted_others[i] - offset < best:
            best = sorted_others[i] - offset
        if i > 0 and offset - sorted_others[i - 1] < best:
            best = offset - sorted_others[i - 1]
    return best


def _static_score(place: Place, regions: frozenset[str], weak_regions: frozenset[str] = frozenset()) -> float:
    """What speaks for a candidate before looking at the other places: size, a named oblast, Ukraine."""
    score = _size_score(place.population)
    if place.admin1_iso in regions:
        score += 2.5
    elif place.admin1_iso in weak_regions:
        score += 0.8
    if place.country == "UA":
        score += 0.5
    elif place.country != "RU":
        score -= 1.5  # a city abroad only when nothing in Ukraine or Russia bears the name
    if place.precision == "exact":
        score += 0.3
    return score


@lru_cache(maxsize=65536)
def _size_score(population: int) -> float:
    """The weight of a population (cached: many villages share a size, and log10 is a call)."""
    return 0.35 * math.log10(population + 1)
