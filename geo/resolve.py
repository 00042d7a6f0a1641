"""Choosing the right settlement among same-name candidates, from the report's own context.

There are dozens of Andriivkas and Novoselivkas.  The report usually says
which one it means: an oblast it names, a nearby town it names ("Andriivka,
south of Bakhmut"), or simply the front it is about.  Population breaks ties.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .gazetteer import Gazetteer, distance_km
from .models import Mention, Place

REGION_PREFIXES = ("admin1:", "country:", "water:")


@dataclass(frozen=True)
class Resolution:
    """Each settlement mention with the place chosen for it; regions the report names."""

    places: tuple[tuple[Mention, Place], ...]
    regions: frozenset[str]  # admin1 ISO codes ("UA-63") and country codes named in the text


def settlement_ids(mention: Mention) -> list[str]:
    return [pid for pid in mention.candidates if not pid.startswith(REGION_PREFIXES)]


def named_regions(mentions: list[Mention], gazetteer: Gazetteer) -> frozenset[str]:
    """Oblasts and countries the text names, including towns used as region names ("province de Kharkiv")."""
    found: set[str] = set()
    for mention in mentions:
        for pid in mention.candidates:
            if pid.startswith("admin1:"):
                found.add(pid.split(":", 1)[1])
            elif pid.startswith("country:"):
                found.add(pid.split(":", 1)[1])
        if mention.role == "region":
            ids = settlement_ids(mention)
            if ids:
                found.add(max((gazetteer.places[p] for p in ids), key=lambda p: p.population).admin1_iso)
    return frozenset(found)


def resolve(mentions: list[Mention], gazetteer: Gazetteer) -> Resolution:
    """Pick one place per settlement mention; the same name in one report means the same place."""
    regions = named_regions(mentions, gazetteer)
    groups: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.role != "region" and settlement_ids(mention):
            groups[mention.key].append(mention)

    chosen: dict[tuple[str, ...], Place] = {}
    candidates = {key: [gazetteer.places[p] for p in settlement_ids(ms[0])] for key, ms in groups.items()}
    # First the names that leave no doubt: one candidate, or one far bigger than all the others.
    for key, places in candidates.items():
        clear = _obvious(places, regions)
        if clear is not None:
            chosen[key] = clear
    # Then the rest, nearest first to what is already placed; twice, so new choices help the others.
    for _ in range(2):
        for key, places in candidates.items():
            if key in chosen and _obvious(places, regions) is not None:
                continue
            anchors = [(p, _closeness(groups[key], groups[k])) for k, p in chosen.items() if k != key]
            chosen[key] = max(places, key=lambda p: _score(p, regions, anchors))
    pairs = tuple((m, chosen[key]) for key, ms in groups.items() for m in ms)
    return Resolution(tuple(sorted(pairs, key=lambda pair: pair[0].start)), regions)


def _obvious(places: list[Place], regions: frozenset[str]) -> Place | None:
    if len(places) == 1:
        return places[0]
    biggest = sorted(places, key=lambda p: -p.population)
    if biggest[0].population >= 100000 and biggest[0].population >= 10 * max(1, biggest[1].population):
        return biggest[0]  # Kyiv is the capital even in a report about a village called Kyiv's oblast
    in_context = [p for p in places if p.admin1_iso in regions]
    pool = in_context or places
    ranked = sorted(pool, key=lambda p: -p.population)
    if len(ranked) == 1 and in_context:
        return ranked[0]
    if ranked[0].population >= 20000 and ranked[0].population >= 10 * max(1, ranked[1].population):
        return ranked[0]
    return None


def _closeness(these: list[Mention], those: list[Mention]) -> float:
    """1.0 when two names stand side by side ("Andriivka, south of Bakhmut"), less when far apart in the text."""
    gap = min(abs(a.start - b.start) for a in these for b in those)
    return 1.0 if gap < 80 else 0.5 if gap < 400 else 0.25


def _score(place: Place, regions: frozenset[str], anchors: list[tuple[Place, float]]) -> float:
    score = 0.35 * math.log10(place.population + 1)
    if place.admin1_iso in regions:
        score += 2.5
    if place.country == "UA":
        score += 0.5
    if place.precision == "exact":
        score += 0.3
    for anchor, closeness in anchors:
        km = distance_km(place.lat, place.lon, anchor.lat, anchor.lon)
        score += 3.0 * closeness * math.exp(-km / 40.0)
    return score
