"""Accuracy on the team's multilingual evaluation set, side by side with two peers.

    python bench/accuracy.py [--eval-dir tests/data/eval] [--details]

Systems:
- geo: this project (bundled gazetteer, control classifier; the default, no-NER path);
- geotext: `geotext` 0.4 with its own city list (GeoNames cities15000), names placed with our gazetteer;
- spacy-fr: spaCy `fr_core_news_sm` NER (LOC, GPE, and PER/MISC which it gives to towns), names placed with our gazetteer.
The peers have no control model, so every place they find is "mentioned".
A prediction matches a gold place within 15 km; "within 5 km" is the share of matches that close.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.score import Tally, by_language, load_gold, score_report  # noqa: E402
from geo.geocoding import GazetteerGeocoder  # noqa: E402
from geo.pipeline import Extractor  # noqa: E402
from geo.reports import read_report_file  # noqa: E402

LANGUAGE_ORDER = ["en", "fr", "uk", "ru", "de", "es", "all"]


def geo_system(extractor: Extractor):
    def run(report) -> list[dict]:
        return [e.to_record() for e in extractor.extract(report)[0]]
    return run


def placed(names: list[str], geocoder: GazetteerGeocoder) -> list[dict]:
    """Peers find names; put each distinct name on the map with the gazetteer's most populous match."""
    out, seen = [], set()
    for name in names:
        location = geocoder.geocode(name)
        if location is None or location.raw["place_id"] in seen:
            continue
        seen.add(location.raw["place_id"])
        out.append({"name": location.raw["name"], "lat": location.latitude, "lon": location.longitude,
                    "status": "mentioned"})
    return out


def geotext_system(geocoder: GazetteerGeocoder):
    from geotext import GeoText

    def run(report) -> list[dict]:
        return placed(GeoText(report.text).cities, geocoder)
    return run


def spacy_system(geocoder: GazetteerGeocoder):
    import spacy

    nlp = spacy.load("fr_core_news_sm")

    def run(report) -> list[dict]:
        names = [ent.text for ent in nlp(report.text).ents if ent.label_ in ("LOC", "GPE", "PER", "MISC")]
        return placed(names, geocoder)
    return run


def evaluate(run, cases: list[tuple[dict, object]]) -> tuple[dict[str, Tally], float, list[str]]:
    results, notes = [], []
    started = time.perf_counter()
    predictions = [run(report) for _, report in cases]
    seconds = time.perf_counter() - started
    for (gold, _), predicted in zip(cases, predictions):
        tally, why = score_report(gold["places"], predicted)
        results.append((gold["language"], tally))
        notes += [f"{gold['report']}: {n}" for n in why]
    return by_language(results), len(cases) / seconds, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", default=str(ROOT / "tests" / "data" / "eval"))
    parser.add_argument("--details", action="store_true", help="list every miss, extra and wrong status of geo")
    parser.add_argument("--only", choices=["geo", "geotext", "spacy-fr"], action="append")
    args = parser.parse_args()

    eval_dir = Path(args.eval_dir)
    gold = load_gold(sorted(eval_dir.glob("gold*.jsonl")))
    cases = [(g, read_report_file(eval_dir / "reports" / g["report"])[0]) for g in gold]
    extractor = Extractor()
    geocoder = GazetteerGeocoder(extractor.gazetteer)
    systems = {"geo": lambda: geo_system(extractor), "geotext": lambda: geotext_system(geocoder),
               "spacy-fr": lambda: spacy_system(geocoder)}
    rows = []
    for name, make in systems.items():
        if args.only and name not in args.only:
            continue
        try:
            run = make()
        except (ImportError, OSError) as exc:
            print(f"# {name}: not installed ({exc}); pip install -r requirements-bench.txt", file=sys.stderr)
            continue
        tallies, speed, notes = evaluate(run, cases)
        rows.append((name, tallies, speed))
        if args.details and name == "geo":
            print("\n".join(notes))
    print(f"\n{len(cases)} reports, {sum(len(g['places']) for g, _ in cases)} gold places (optional ones cost nothing)\n")
    print("| system | lang | reports | toponym P | toponym R | toponym F1 | within 5 km | status acc | status macro-F1 | reports/s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, tallies, speed in rows:
        for language in LANGUAGE_ORDER:
            t = tallies.get(language)
            if t is None:
                continue
            rate = f"{speed:.0f}" if language == "all" else ""
            print(f"| {name} | {language} | {t.reports} | {t.precision:.3f} | {t.recall:.3f} | {t.f1:.3f} | "
                  f"{t.within_5km:.3f} | {t.status_accuracy:.3f} | {t.status_macro_f1:.3f} | {rate} |")


if __name__ == "__main__":
    main()
