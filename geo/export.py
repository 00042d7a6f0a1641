"""Exports: the map as a PNG or a self-contained HTML page, the places as GeoJSON, the events as CSV.

Everything works offline: the HTML page inlines its scripts, fonts and tiles,
and the PNG is a screenshot of that page in Debian's headless Chromium
(driven by Playwright, which never downloads a browser here).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .assets import inline_assets
from .mapping import STYLE_BY_STATUS, build_map
from .store import Filters, PlaceStatus, Store, StoredEvent

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
RENDER_TIMEOUT_MS = 30_000
CSV_COLUMNS = ["event_date", "location", "admin1", "country", "latitude", "longitude", "geo_precision", "status",
               "change", "confidence", "source", "language", "report", "notes"]
NOTES_MAX = 600

# True once Leaflet has drawn: the map exists, our markers were added, no tile layer is still loading,
# every tile image has decoded, and web fonts are ready.
MAP_DRAWN_JS = """() => {
    const el = document.querySelector('.folium-map');
    const map = el && window[el.id];
    if (!map || !map._loaded || document.body.dataset.geoMarkers === undefined) return false;
    let loading = false;
    map.eachLayer(l => { if (l instanceof L.GridLayer && l.isLoading()) loading = true; });
    const tiles = [...document.querySelectorAll('img.leaflet-tile')];
    return !loading && tiles.every(t => t.complete) && document.fonts.status === 'loaded';
}"""
# Leaflet fades tiles in over 200 ms from JS; show them at once so the screenshot never catches a half-faded tile.
_NO_FADE_CSS = ".leaflet-tile{opacity:1!important;transition:none!important}"


class ExportError(RuntimeError):
    """An export could not be written (no browser, the page did not draw, ...)."""


# ------------------------------------------------------------ data
def to_geojson(statuses: Sequence[PlaceStatus]) -> dict:
    """FeatureCollection of Points ([lon, lat]) with every PlaceStatus field, plus simplestyle colours."""
    features = []
    for s in statuses:
        style = STYLE_BY_STATUS.get(s.status)
        props = dataclasses.asdict(s)
        props.update({"status_label": style.label if style else s.status,
                      "marker-color": style.color if style else "#7f7f7f"})
        features.append({"type": "Feature", "id": s.place_id,
                         "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _cell(value: object) -> object:
    """Text cells that a spreadsheet would run as a formula get a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _notes(event: StoredEvent) -> str:
    """The first evidence sentence (and a second if the first is short), capped at NOTES_MAX characters."""
    texts = [" ".join(e.text.split()) for e in event.evidence if e.text.strip()]
    notes = texts[0] if texts else ""
    if len(texts) > 1 and len(notes) < 160:
        notes = f"{notes} {texts[1]}"
    return notes if len(notes) <= NOTES_MAX else notes[:NOTES_MAX - 1].rstrip() + "…"


def events_csv(events: Sequence[StoredEvent]) -> str:
    """ACLED-style table, one row per (report, place) event."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        row = [e.report_date or "", e.name, e.admin1, e.country, e.lat, e.lon, 1 if e.precision == "exact" else 2,
               e.status, e.change or "", round(e.confidence, 3), e.source, e.language, e.path, _notes(e)]
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


# ------------------------------------------------------------ map
def map_html(statuses: Sequence[PlaceStatus], *, title: str = "Control map", as_of: str | None = None) -> str:
    """A self-contained page (scripts, fonts, tiles inlined) that opens from file:// with no network."""
    return inline_assets(build_map(list(statuses), asset_base_url=None, title=title, as_of=as_of)
                         .get_root().render())


def render_png(html: str, path: str | Path, *, size: tuple[int, int] = (1600, 1000)) -> Path:
    """Screenshot of a self-contained map page once it has finished drawing."""
    if not CHROMIUM.exists():
        raise ExportError(f"PNG export needs Chromium at {CHROMIUM}; install it with "
                          "`sudo apt-get install -y chromium` (or `make chromium`)")
    try:
        from playwright.sync_api import Error as PlaywrightError, sync_playwright
    except ImportError as exc:
        raise ExportError("PNG export needs the Python package playwright (pip install -r requirements.txt); "
                          "do not run `playwright install`, it uses /usr/bin/chromium") from exc
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="geo-png-") as tmp:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
                    page.on("pageerror", lambda e: errors.append(str(e)))
                    page.goto(page_file.as_uri(), wait_until="load", timeout=RENDER_TIMEOUT_MS)
                    page.add_style_tag(content=_NO_FADE_CSS)
                    page.wait_for_function(MAP_DRAWN_JS, timeout=RENDER_TIMEOUT_MS)
                    page.screenshot(path=str(path), animations="disabled")
                finally:
                    browser.close()
        except PlaywrightError as exc:
            detail = f"; page errors: {errors}" if errors else ""
            raise ExportError(f"could not render the map to PNG: {exc.message.splitlines()[0]}{detail}") from exc
    return path


# ------------------------------------------------------------ all at once
def _title(filters: Filters) -> str:
    parts = []
    if filters.start:
        parts.append(f"reports from {filters.start}")
    for name, values in (("status", filters.statuses), ("language", filters.languages), ("source", filters.sources)):
        if values:
            parts.append(f"{name}: {', '.join(values)}")
    return "Control map" + (f" ({'; '.join(parts)})" if parts else "")


def export_all(store: Store, filters: Filters, *, png: str | Path | None = None, html: str | Path | None = None,
               geojson: str | Path | None = None, csv_path: str | Path | None = None,
               size: tuple[int, int] = (1600, 1000)) -> list[Path]:
    """Write the requested files from one query; the map title states the as-of date and active filters."""
    statuses = store.latest_status(filters)
    as_of = filters.end or max((s.last_report_date for s in statuses if s.last_report_date), default=None)
    written: list[Path] = []

    def target(p: str | Path) -> Path:
        out = Path(p)
        out.parent.mkdir(parents=True, exist_ok=True)
        written.append(out)
        return out

    if geojson:
        target(geojson).write_text(json.dumps(to_geojson(statuses), ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    if csv_path:
        events = [e for e in store.events(filters) if not filters.statuses or e.status in filters.statuses]
        target(csv_path).write_text(events_csv(events), encoding="utf-8", newline="")
    if html or png:
        page = map_html(statuses, title=_title(filters), as_of=as_of)
        if html:
            target(html).write_text(page, encoding="utf-8")
        if png:
            written.append(render_png(page, png, size=size))
    return written
