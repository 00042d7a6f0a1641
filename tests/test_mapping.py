"""The control map: a coloured marker per place, legend, title, local assets, escaped report text, clusters."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.assets import inline_assets
from geo.mapping import (STYLE_BY_STATUS, build_map, marker_tooltip, nearest_place, place_for_tooltip)
from geo.store import PlaceStatus

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
TAG_URL = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']""", re.I)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def place(name: str, status: str, lat: float, lon: float, admin1: str = "Donetsk Oblast", *,
          precision: str = "exact", source: str = "Test wire", place_id: str | None = None) -> PlaceStatus:
    return PlaceStatus(place_id or f"test:{name}:{lat}", name, lat, lon, "UA", admin1, precision, status,
                       "captured" if status == "russia" else None, "2023-05-21", "2023-11-17", source, 2)


PLACES = [
    place("Bakhmut", "russia", 48.5956, 38.0003),
    place("Kupiansk", "ukraine", 49.7106, 37.6156, "Kharkiv Oblast"),
    place("Avdiivka", "contested", 48.1394, 37.7497),
    place("Kramatorsk", "mentioned", 48.7389, 37.5844),
    place("Krynky", "contested", 46.7317, 33.0897, "Kherson Oblast", precision="approximate"),
]
HOSTILE = place(SCRIPT, "russia", 47.5, 36.0, admin1=f"{IMG} `${{alert(2)}}` \\u0041", source=IMG)


def marker_rows(html: str) -> list[list]:
    """The marker data the page draws from (one row per place)."""
    match = re.search(r"^\s*var rows = (\[.*\]);$", html, re.M)
    assert match, "no marker data in the page"
    return json.loads(match.group(1))


def test_one_marker_per_place_with_status_colours_legend_and_title():
    m = build_map(PLACES, as_of="2023-11-17", title="Control map")
    html = m.get_root().render()
    rows = marker_rows(html)
    assert [(r[0], r[1], r[2]) for r in rows] == [(p.lat, p.lon, p.status) for p in PLACES]
    assert [r[6] for r in rows] == [p.place_id for p in PLACES]
    assert [r[3] for r in rows] == [True, True, True, True, False]  # Krynky drawn as approximate
    styles = json.loads(re.search(r"var styles = (\{.*?\})", html).group(1))
    assert styles == {k: v.color for k, v in STYLE_BY_STATUS.items()}
    assert len(set(styles.values())) == 4
    for style in STYLE_BY_STATUS.values():  # legend
        assert style.label in html and style.color in html
    assert "Control map \\u0026mdash; as of 2023-11-17" in html  # title box (JSON-encoded HTML)
    assert "<title>Control map — as of 2023-11-17</title>" in html


def test_view_fits_the_theatre_not_far_away_mentions():
    far = [place("Hiroshima", "mentioned", 34.4, 132.45, "Japan"),
           place("Brussels", "mentioned", 50.85, 4.35, "Belgium")]
    html = build_map(PLACES + far).get_root().render()
    fit = re.search(r"\.fitBounds\(\s*(\[\[.*?\]\])", html, re.S)
    (south, west), (north, east) = json.loads(fit.group(1))
    assert 46 < south < north < 50 and 32 < west < east < 39
    assert len(marker_rows(html)) == len(PLACES) + 2  # still drawn


def test_only_local_assets_with_app_static():
    html = build_map(PLACES).get_root().render()
    urls = TAG_URL.findall(html)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert not re.search(r"cdn\.jsdelivr|cdnjs|unpkg|code\.jquery|netdna|bootstrapcdn", html)
    assert '"/app/static/tiles/{z}/{x}/{y}.png"' in html


def test_online_layers_are_listed_but_not_added():
    html = build_map(PLACES).get_root().render()
    for host in ("tile.openstreetmap.org", "basemaps.cartocdn.com", "server.arcgisonline.com"):
        var = re.search(r"var (tile_layer_\w+) = L\.tileLayer\(\s*\"https://[^\"]*" + re.escape(host), html)
        assert var, host
        assert f"{var.group(1)}.addTo(" not in html  # loaded only when picked in the layer control
    assert "tile.openstreetmap.org" not in build_map(PLACES, online_layers=False).get_root().render()


def test_report_text_is_escaped():
    html = build_map(PLACES + [HOSTILE], asset_base_url=None).get_root().render()
    for raw in (SCRIPT, IMG, "<img", "${alert", "`$"):
        assert raw not in html, raw
    row = marker_rows(html)[-1]
    assert row[4] == ("&lt;script&gt;alert(1)&lt;/script&gt; · &lt;img src=x onerror=alert(1)&gt; "
                      "&#96;&#36;{alert(2)}&#96; &#92;u0041")
    assert "Source: &lt;img src=x onerror=alert(1)&gt;" in row[5]


def test_tooltip_lookup():
    assert marker_tooltip(PLACES[0]) == "Bakhmut · Donetsk Oblast"
    assert place_for_tooltip(PLACES, "  Kupiansk · Kharkiv Oblast ") == PLACES[1]
    assert place_for_tooltip(PLACES, "Kupiansk · Donetsk Oblast") is None
    assert place_for_tooltip(PLACES, None) is None
    assert place_for_tooltip([HOSTILE], marker_tooltip(HOSTILE)) == HOSTILE
    twin_a = place("Andriivka", "contested", 48.50, 37.96, place_id="a")
    twin_b = place("Andriivka", "ukraine", 47.80, 37.10, place_id="b")
    assert place_for_tooltip([twin_a, twin_b], "Andriivka · Donetsk Oblast", lat=47.81, lon=37.1) == twin_b
    assert nearest_place(PLACES, 48.6, 38.01) == PLACES[0]
    assert nearest_place(PLACES, 40.0, 20.0, max_km=50) is None
    assert nearest_place([], 48.6, 38.0) is None


def test_selected_place_gets_a_ring_that_lets_clicks_through():
    html = build_map(PLACES, selected=PLACES[2].place_id).get_root().render()
    ring = re.search(r"L\.circleMarker\(\s*\[([\d.]+), ([\d.]+)\],\s*(\{.*?\})\s*\)", html, re.S)
    assert ring and (float(ring.group(1)), float(ring.group(2))) == (PLACES[2].lat, PLACES[2].lon)
    options = json.loads(ring.group(3))
    assert options["className"] == "geo-selected" and options["interactive"] is False
    assert options["radius"] > 7
    assert "geo-selected" not in build_map(PLACES).get_root().render()
    assert "geo-selected" in build_map(PLACES, selected=marker_tooltip(PLACES[2])).get_root().render()


def cluster_places(n: int) -> list[PlaceStatus]:
    """n places near Bakhmut, three quarters held by Russia."""
    return [place(f"Village {i}", "russia" if i % 4 else "ukraine", 48.5 + i * 0.001, 38.0 + i * 0.001)
            for i in range(n)]


def test_clustering_above_threshold():
    assert "markerClusterGroup" not in build_map(cluster_places(20)).get_root().render()
    html = build_map(cluster_places(20), cluster_above=10).get_root().render()
    assert "L.markerClusterGroup(" in html and "iconCreateFunction" in html
    assert len(marker_rows(html)) == 20
    assert re.search(r'/app/static/vendor/leaflet\.markercluster/leaflet\.markercluster\.js', html)


@pytest.fixture(scope="module")
def page_factory(tmp_path_factory):
    """Opens an inlined map page in headless Chromium; records requests, page errors and dialogs."""
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    from geo.export import MAP_DRAWN_JS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        log: dict[str, list[str]] = {"requests": [], "errors": [], "dialogs": []}

        def open_page(m, name: str):
            path = tmp_path_factory.mktemp("pages") / f"{name}.html"
            path.write_text(inline_assets(m.get_root().render()), encoding="utf-8")
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.on("request", lambda r: log["requests"].append(r.url))
            page.on("pageerror", lambda e: log["errors"].append(str(e)))
            page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
            page.goto(path.as_uri())
            page.wait_for_function(MAP_DRAWN_JS, timeout=20000)
            return page

        yield open_page, log
        browser.close()


@pytest.mark.browser
def test_clusters_take_the_majority_colour_in_the_browser(page_factory):
    open_page, log = page_factory
    page = open_page(build_map(cluster_places(20), asset_base_url=None, cluster_above=10, zoom=7,
                               center=(48.5, 38.0)), "clusters")
    cluster = page.locator(".geo-cluster")
    assert cluster.count() == 1
    assert "geo-cluster-russia" in cluster.get_attribute("class")
    assert cluster.inner_text().strip() == "20"
    colour = page.evaluate("() => getComputedStyle(document.querySelector('.geo-cluster div')).backgroundColor")
    assert colour == "rgb(214, 39, 40)"  # #d62728
    assert not log["errors"], log["errors"]


@pytest.mark.browser
def test_hostile_text_stays_text_in_the_browser(page_factory):
    open_page, log = page_factory
    page = open_page(build_map(PLACES + [HOSTILE], asset_base_url=None), "hostile")
    # Open every tooltip and popup, and read the tooltip the way streamlit-folium does (innerHTML -> textContent).
    texts = page.evaluate("""() => {
        const el = document.querySelector('.folium-map'), map = window[el.id], out = [];
        map.eachLayer(l => { if (l.getTooltip && l.getTooltip() && l.options.status) {
            l.openTooltip(); l.openPopup();
            const span = document.createElement('span'); span.innerHTML = l.getTooltip().getContent();
            out.push(span.textContent.trim()); } });
        return out; }""")
    assert marker_tooltip(HOSTILE) in texts
    assert {marker_tooltip(p) for p in PLACES} <= set(texts)
    popup = page.locator(".leaflet-popup-content").last.inner_text()
    assert IMG in popup and SCRIPT in popup
    assert page.locator("img[src='x']").count() == 0
    assert not log["dialogs"] and not log["errors"], log
