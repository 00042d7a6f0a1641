"""Extraction speed: reports per second on 1,000 reports of about 500 words, one core, default (no NER) path.

Reports are made by shuffling the sentences of the bundled sample reports (all four languages),
so the place density and the cue density are those of real reports.

    python bench/extraction.py [--reports 1000] [--words 500]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.gazetteer import load_gazetteer  # noqa: E402
from geo.normalize import split_sentences  # noqa: E402
from geo.pipeline import Extractor  # noqa: E402
from geo.reports import ReportError, load_reports, make_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def synthetic_reports(count: int, words: int, seed: int = 7) -> list:
    sentences = []
    for item in load_reports([ROOT / "data" / "reports"]):
        if not isinstance(item, ReportError):
            sentences += [s.text for s in split_sentences(item.text)]
    rng = random.Random(seed)
    reports = []
    for n in range(count):
        body, size = [], 0
        while size < words:
            sentence = rng.choice(sentences)
            body.append(sentence)
            size += len(sentence.split())
        reports.append(make_report(f"date 2023-{1 + n % 12:02d}-15\n" + " ".join(body), f"synthetic/{n}.txt"))
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--words", type=int, default=500)
    args = parser.parse_args()

    started = time.perf_counter()
    gazetteer = load_gazetteer()
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    extractor = Extractor(gazetteer=gazetteer)
    index_seconds = time.perf_counter() - started

    reports = synthetic_reports(args.reports, args.words)
    total_words = sum(len(r.text.split()) for r in reports)
    extractor.extract(reports[0])  # warm the lexicon caches
    runs = []
    events = 0
    for _ in range(3):
        started = time.perf_counter()
        events = sum(len(extractor.extract(r)[0]) for r in reports)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    print(f"gazetteer load       {load_seconds:8.2f} s   ({len(gazetteer.places):,} places, {len(gazetteer.regions)} regions)")
    print(f"matcher index build  {index_seconds:8.2f} s   ({len(extractor.matcher.phrases):,} name keys)")
    print(f"reports              {len(reports):8,d}     ({total_words / len(reports):.0f} words each, {events:,} events)")
    print(f"extraction           {len(reports) / best:8.0f} reports/s  (best of 3; median {len(reports) / statistics.median(runs):.0f})")
    print(f"                     {total_words / best / 1000:8.0f} k words/s")


if __name__ == "__main__":
    main()
