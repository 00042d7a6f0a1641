"""resolve's candidate scores in plain Python equal the numpy expression they replaced (up to the last bits)."""
from __future__ import annotations

import math
import random

from geo.gazetteer import Gazetteer
from geo.resolve import _Candidates, _NearnessCache


def test_scores_match_numpy(gazetteer: Gazetteer) -> None:
    rng = random.Random(7)
    # places of the front and around it, so that many pairs lie within 200 km; duplicates give exact ties
    places = [p for p in gazetteer.places.values() if p.country in ("UA", "RU")]
    front = [p for p in places if 46.5 < p.lat < 49.5 and 35.0 < p.lon < 39.5]
    cache = _NearnessCache()
    for _ in range(1500):
        pool = front if rng.random() < 0.8 else places
        candidates = rng.sample(pool, rng.choice([1, 2, 3, 5, 9, 20, 60]))
        if rng.random() < 0.2:
            candidates.append(candidates[0])
        scored = _Candidates(candidates, frozenset({"UA-14", "UA-23"}), frozenset({"UA-65"}), cache)
        anchors = [(p, rng.choice([3.0, 1.0, 0.5, 0.25])) for p in rng.sample(pool, rng.choice([1, 3, 7, 8, 9, 15, 16, 23, 40, 130]))]
        if rng.random() < 0.5:
            scored.scores(anchors[: len(anchors) // 2])  # some nearness values computed in another shape first
        ours, reference = scored.scores(anchors), scored.scores_numpy(anchors)
        assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) for a, b in zip(ours, reference))
        best = scored.best(anchors)
        top = max(reference)
        assert any(c is best and math.isclose(r, top, rel_tol=1e-12) for c, r in zip(candidates, reference))
    assert scored.scores([]) == scored.base
