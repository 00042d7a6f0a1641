"""Exports of the sample reports: GeoJSON, ACLED-style CSV, a self-contained HTML page and a PNG."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.export import CSV_COLUMNS, MAP_DRAWN_JS, events_csv, export_all, map_html, render_png, to_geojson
from geo.ingest import ingest_reports
from geo.mapping import STYLE_BY_STATUS
from geo.pipeline import Extractor
from geo.reports import load_reports
from geo.store import Excerpt, Filters, PlaceStatus, Store, StoredEvent

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor: Extractor) -> Store:
    """The sample reports, ingested once (the gazetteer takes 1-2 s to load)."""
    db = Store(tmp_path_factory.mktemp("db") / "t.sqlite")
    outcomes = ingest_reports(load_reports([str(ROOT / "data" / "reports")]), db, extractor)
    assert outcomes and all(o.ok for o in outcomes)
    yield db
    db.close()


@pytest.fixture(scope="module")
def statuses(store) -> list[PlaceStatus]:
    return store.latest_status()


def test_geojson_is_a_feature_collection_with_every_field(statuses):
    data = json.loads(json.dumps(to_geojson(statuses)))  # plain JSON
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(statuses) > 20
    fields = {f.name for f in dataclasses.fields(PlaceStatus)}
    for feature, s in zip(data["features"], statuses):
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [s.lon, s.lat]}
        assert -180 <= s.lon <= 180 and -90 <= s.lat <= 90
        assert fields <= set(feature["properties"])
        assert feature["properties"]["status"] == s.status
        assert feature["properties"]["marker-color"] == STYLE_BY_STATUS[s.status].color
    by_name = {f["properties"]["name"]: f["properties"] for f in data["features"]}
    assert by_name["Mariupol"]["status"] == "russia"
    assert {"ukraine", "russia", "contested"} <= {s.status for s in statuses}


def test_events_csv_columns_and_rows(store):
    events = store.events()
    rows = list(csv.DictReader(io.StringIO(events_csv(events))))
    assert list(rows[0]) == CSV_COLUMNS == [
        "event_date", "location", "admin1", "country", "latitude", "longitude", "geo_precision", "status",
        "change", "confidence", "source", "language", "report", "notes"]
    assert len(rows) == len(events)
    assert {r["geo_precision"] for r in rows} <= {"1", "2"}
    assert {r["status"] for r in rows} <= set(STYLE_BY_STATUS)
    mariupol = next(r for r in rows if r["location"] == "Mariupol" and r["event_date"] == "2022-05-20")
    assert mariupol["status"] == "russia" and mariupol["language"] == "ru"
    assert float(mariupol["latitude"]) == pytest.approx(47.095, abs=0.01)
    assert "Азовсталь" in mariupol["notes"]
    assert all(r["notes"] for r in rows if r["status"] != "mentioned")


def test_csv_cells_cannot_become_spreadsheet_formulas():
    event = StoredEvent("r1", "x.txt", "=HYPERLINK(\"http://evil\")", "", "en", "2023-01-01", "2023-01-01",
                        "p1", "@SUM(A1)", 48.0, -37.5, "UA", "+1", "exact", "russia", None, 0.9,
                        (Excerpt("-2 villages fell.", ()),), ())
    row = next(csv.DictReader(io.StringIO(events_csv([event]))))
    assert row["source"].startswith("'=") and row["location"] == "'@SUM(A1)" and row["admin1"] == "'+1"
    assert row["notes"] == "'-2 villages fell." and row["longitude"] == "-37.5"


@pytest.mark.browser
@needs_chromium
def test_png_export_shows_the_status_colours(store, tmp_path):
    started = time.perf_counter()
    written = export_all(store, Filters(), png=tmp_path / "map.png")
    elapsed = time.perf_counter() - started
    assert written == [tmp_path / "map.png"]
    print(f"PNG export (query + page + cold browser): {elapsed:.1f} s")
    from PIL import Image

    def colour_counts(path: Path) -> dict[str, int]:
        image = Image.open(path).convert("RGB")
        assert image.size == (1600, 1000)
        counts = dict.fromkeys(("ukraine", "russia", "contested"), 0)
        targets = {k: tuple(int(STYLE_BY_STATUS[k].color[i:i + 2], 16) for i in (1, 3, 5)) for k in counts}
        for n, pixel in image.getcolors(maxcolors=1 << 24):
            for status, rgb in targets.items():
                if all(abs(a - b) <= 8 for a, b in zip(pixel, rgb)):
                    counts[status] += n
        return counts

    with_markers = colour_counts(tmp_path / "map.png")
    # The legend alone also shows the colours: markers must add clearly more.
    legend_only = colour_counts(render_png(map_html([]), tmp_path / "empty.png"))
    for status in with_markers:
        assert with_markers[status] > legend_only[status] + 300, (status, with_markers, legend_only)


@pytest.mark.browser
@needs_chromium
def test_html_export_opens_offline_with_every_marker(statuses, tmp_path):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    page_file = tmp_path / "map.html"
    page_file.write_text(map_html(statuses, title="Control map", as_of="2023-11-17"), encoding="utf-8")
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_function(MAP_DRAWN_JS, timeout=20000)
            fills = page.evaluate("() => [...document.querySelectorAll('path.leaflet-interactive')]"
                                  ".map(p => p.getAttribute('fill'))")
            title = page.locator(".geo-title").inner_text()
            legend = page.locator(".geo-legend").inner_text()
            tiles = page.locator("img.leaflet-tile-loaded").count()
            # Picking an online layer is the only way to reach the network; nothing else may.
            online_layers = page.locator(".leaflet-control-layers-base label", has_text="online").count()
        finally:
            browser.close()
    assert not errors, errors
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not outside, outside
    for status, style in STYLE_BY_STATUS.items():
        assert fills.count(style.color) == sum(1 for s in statuses if s.status == status), status
        assert style.label in legend
    assert title == "Control map — as of 2023-11-17"
    assert tiles > 4 and online_layers == 3


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "-q", "export", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_export_writes_files_and_end_date_limits_the_map(store, tmp_path):
    db = store.url.removeprefix("sqlite:///")
    out = tmp_path / "out"
    done = run_cli("--db", db, "--geojson", str(out / "x.geojson"), "--csv", str(out / "y.csv"),
                   "--html", str(out / "z.html"))
    assert done.returncode == 0, done.stderr
    everything = json.loads((out / "x.geojson").read_text(encoding="utf-8"))["features"]
    assert len(list(csv.reader((out / "y.csv").open(encoding="utf-8")))) > len(everything)
    assert "<script src=" not in (out / "z.html").read_text(encoding="utf-8")

    done = run_cli("--db", db, "--end", "2022-12-31", "--geojson", str(out / "2022.geojson"),
                   "--html", str(out / "2022.html"))
    assert done.returncode == 0, done.stderr
    until_2022 = json.loads((out / "2022.geojson").read_text(encoding="utf-8"))["features"]
    assert 0 < len(until_2022) < len(everything)
    assert max(f["properties"]["last_report_date"] for f in until_2022) <= "2022-12-31"
    assert "as of 2022-12-31" in (out / "2022.html").read_text(encoding="utf-8")

    assert run_cli("--db", db).returncode == 2  # nothing asked for
