"""Scoring extraction output against gold labels (shared by bench/accuracy.py and the accuracy regression test)."""
from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = ("ukraine", "russia", "contested", "mentioned")
MATCH_KM = 15.0
CLOSE_KM = 5.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    close: int = 0
    status_pairs: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (gold, predicted, alternatives)
    reports: int = 0

    def add(self, other: "Tally") -> None:
        self.tp += other.tp; self.fp += other.fp; self.fn += other.fn; self.close += other.close
        self.status_pairs += other.status_pairs; self.reports += other.reports

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def within_5km(self) -> float:
        return self.close / self.tp if self.tp else 0.0

    @property
    def status_accuracy(self) -> float:
        pairs = self.status_pairs
        return sum(1 for g, p, alt in pairs if p == g or p in alt) / len(pairs) if pairs else 0.0

    @property
    def status_macro_f1(self) -> float:
        scores = []
        resolved = [(p if (p == g or p in alt) else g, p) if p in alt else (g, p) for g, p, alt in self.status_pairs]
        for status in STATUSES:
            tp = sum(1 for g, p in resolved if g == status and p == status)
            fp = sum(1 for g, p in resolved if g != status and p == status)
            fn = sum(1 for g, p in resolved if g == status and p != status)
            if tp + fp + fn == 0:
                continue
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        return sum(scores) / len(scores) if scores else 0.0


def score_report(gold_places: list[dict], predicted: list[dict]) -> tuple[Tally, list[str]]:
    """Greedy one-to-one matching of predictions to gold places within MATCH_KM; optional gold places cost nothing."""
    tally, notes = Tally(reports=1), []
    unused = list(predicted)
    for gold in sorted(gold_places, key=lambda g: g.get("optional", False)):
        # nearest first; two predictions on the same point (a village placed at its hromada's centre) go by name
        best = min(unused, key=lambda p: (round(km(gold["lat"], gold["lon"], p["lat"], p["lon"]), 3),
                                          p.get("name") != gold["name"]), default=None)
        distance = km(gold["lat"], gold["lon"], best["lat"], best["lon"]) if best else float("inf")
        if best is not None and distance <= MATCH_KM:
            unused.remove(best)
            if gold.get("optional"):
                continue
            tally.tp += 1
            tally.close += distance <= CLOSE_KM
            alternatives = tuple(gold.get("alt_status") or ())
            tally.status_pairs.append((gold["status"], best["status"], alternatives))
            if best["status"] != gold["status"] and best["status"] not in alternatives:
                notes.append(f"status {gold['name']}: gold {gold['status']} got {best['status']}")
        elif not gold.get("optional"):
            tally.fn += 1
            notes.append(f"missed {gold['name']}")
    for extra in unused:
        tally.fp += 1
        notes.append(f"extra {extra['name']} ({extra['status']})")
    return tally, notes


def load_gold(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def by_language(results: list[tuple[str, Tally]]) -> dict[str, Tally]:
    out: dict[str, Tally] = defaultdict(Tally)
    for language, tally in results:
        out[language].add(tally)
        out["all"].add(tally)
    return dict(out)
