"""Dashboard speed on a large database: time to markers, and click-to-panel time.

Builds (once, cached under .cache/bench/) a database of about 10,000 events on
2,000 real Ukrainian places from the bundled gazetteer, through the real
pipeline: 2,000 synthetic reports of five one-sentence claims each
("Ukrainian forces retook X." / "Russian troops captured X." / "Fighting
continues near X."). Then starts the app on a free port and measures in
headless Chromium (Playwright):

* load:  navigation start -> first markers (or clusters) painted in the map iframe;
* click: pointerdown on a place's marker (a real mouse click) -> the panel with
  its excerpt painted. 0.25 s of it is streamlit-folium's own debounce before
  the click even leaves the browser.

Both are timed inside the browser (performance.timeOrigin + now, then the next
painted frame): Playwright's own polling runs late while the page is busy.
Median of 3 (after one warm-up load that pays for imports and the first query).
Targets: load < 2 s, click < 0.5 s.

    python bench/dashboard.py [--places 2000] [--events 10000] [--runs 3] [--rebuild]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from appserver import (MARKER_CLOCK_JS, PANEL, browser_context, running_app, timed_click,  # noqa: E402
                       timed_load)

TEMPLATES = ["Ukrainian forces retook {}.", "Russian troops captured {}.", "Fighting continues near {}."]


def pick_places(count: int, seed: int) -> list:
    """Ukrainian settlements whose name no other gazetteer entry shares, so each sentence resolves to one place."""
    from geo.gazetteer import default_gazetteer
    from geo.normalize import fold

    gazetteer = default_gazetteer()
    owners: dict[str, set[str]] = {}
    for place_id, forms in gazetteer.names.items():
        for form in forms:
            owners.setdefault(fold(form), set()).add(place_id)
    candidates = [p for p in gazetteer.places.values()
                  if p.country == "UA" and p.precision == "exact" and len(p.name) > 4 and " " not in p.name
                  and owners.get(fold(p.name)) == {p.place_id} and fold(p.name) not in gazetteer.common_words]
    candidates.sort(key=lambda p: p.place_id)
    return random.Random(seed).sample(candidates, min(count, len(candidates)))


def build_database(path: Path, places: int, events: int, seed: int = 11) -> None:
    from geo.ingest import ingest_reports
    from geo.pipeline import Extractor
    from geo.reports import make_report
    from geo.store import Store

    chosen = pick_places(places, seed)
    rng = random.Random(seed)
    per_report = 5
    slots = [chosen[i % len(chosen)] for i in range(events)]
    rng.shuffle(slots)
    reports = []
    for n in range(0, len(slots), per_report):
        day = 1 + (n // per_report) % 1000  # ~3 years of reports
        date = time.strftime("%Y-%m-%d", time.gmtime(1646092800 + day * 86400))  # from 2022-03-01
        body = " ".join(rng.choice(TEMPLATES).format(p.name) for p in slots[n:n + per_report])
        reports.append(make_report(f"date {date}\n{body}", f"bench/{n // per_report:05d}.txt",
                                   source=f"Bench wire {n % 7}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store(tmp)
    outcomes = ingest_reports(reports, store, Extractor())
    failed = [o for o in outcomes if not o.ok]
    store.close()
    tmp.rename(path)
    counts = Store(path).counts()
    print(f"built {path.name}: {counts} in {time.perf_counter() - started:.0f} s"
          f"{f'; {len(failed)} failed' if failed else ''}", file=sys.stderr)


def measure(db: Path, runs: int, targets: list[str]) -> tuple[float, list[float], list[float]]:
    loads, clicks = [], []
    with running_app(db) as url, browser_context() as context:
        context.add_init_script(MARKER_CLOCK_JS)
        page = context.new_page()
        cold = timed_load(page, url, timeout=120_000)
        page.close()
        for run in range(runs):
            page = context.new_page()
            loads.append(timed_load(page, url))
            page.wait_for_timeout(1000)  # let the first render settle
            name = targets[run % len(targets)]
            clicks.append(timed_click(page, name))  # un-clusters and zooms to the marker first (not timed)
            page.locator(f"{PANEL} blockquote", has_text=name).first.wait_for()
            page.close()
    return cold, loads, clicks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--places", type=int, default=2000)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    db = ROOT / ".cache" / "bench" / f"dashboard-{args.places}-{args.events}.sqlite"
    if args.rebuild or not db.exists():
        db.unlink(missing_ok=True)
        build_database(db, args.places, args.events)
    from geo.store import Store

    store = Store(db)
    statuses = store.latest_status()
    targets = [s.name for s in random.Random(3).sample([s for s in statuses if s.status != "mentioned"], args.runs)]
    print(f"database: {store.counts()}, {len(statuses)} places on the map", file=sys.stderr)
    cold, loads, clicks = measure(db, args.runs, targets)
    print(f"first load (cold server): {cold:.2f} s")
    for label, values, target in (("load -> markers drawn: ", loads, "2 s"),
                                  ("click -> panel excerpt:", clicks, "0.5 s")):
        runs = ", ".join(f"{x:.2f}" for x in values)
        print(f"{label}  median {statistics.median(values):.2f} s  (runs: {runs}; target < {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
