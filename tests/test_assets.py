"""Offline map assets: bundled files exist, links are local, inlined pages are self-contained."""
from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest
from folium.plugins import MarkerCluster

from geo.assets import (
    BOUNDARIES_DIR, TILES_DIR, VENDOR_DIR, AssetError, boundary_layers, inline_assets,
    offline_tile_layer, use_local_assets, vendor_path,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
TAG_URL = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']""", re.I)


def make_map(base_url: str = "/app/static") -> folium.Map:
    m = folium.Map(location=[49.0, 32.0], zoom_start=6, tiles=None)
    offline_tile_layer(base_url).add_to(m)
    for layer in boundary_layers():
        layer.add_to(m)
    cluster = MarkerCluster().add_to(m)
    folium.Marker([49.99, 36.23], tooltip="Kharkiv",
                  icon=folium.Icon(color="red", icon="info-sign")).add_to(cluster)
    folium.Marker([48.59, 38.0], tooltip="Bakhmut",
                  icon=folium.Icon(color="blue", icon="star", prefix="fa", angle=45)).add_to(m)
    folium.Marker([47.1, 37.55], tooltip="Mariupol").add_to(m)  # Leaflet's default icon
    return m


def all_links(m: folium.Map) -> list[str]:
    """Every JS/CSS link folium or streamlit-folium would load for this map."""
    def walk(el):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)
    return [url for el in walk(m) for attr in ("default_js", "default_css")
            for _, url in getattr(el, attr, [])]


def test_every_folium_link_has_a_bundled_file():
    links = all_links(make_map())  # still the CDN URLs
    assert any("leaflet" in u for u in links) and any("markercluster" in u for u in links)
    for url in links:
        path = vendor_path(url)
        assert path is not None and path.is_file(), url


def test_bundled_css_references_exist_and_licences_present():
    for css in VENDOR_DIR.rglob("*.css"):
        for ref in re.findall(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""", css.read_text()):
            if not ref.startswith(("data:", "#")):
                assert (css.parent / ref.split("?")[0].split("#")[0]).is_file(), (css, ref)
    for pkg in VENDOR_DIR.iterdir():
        if pkg.is_dir() and pkg.name != "folium":
            assert list(pkg.glob("LICENSE*")), pkg
    assert not list(VENDOR_DIR.rglob("*.map"))
    assert (VENDOR_DIR / "README.md").is_file()
    for name in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
        assert (VENDOR_DIR / "leaflet" / "images" / name).is_file()


def test_boundaries():
    ua = json.loads((BOUNDARIES_DIR / "ukraine_admin1.geojson").read_text())
    ru = json.loads((BOUNDARIES_DIR / "russia_border_admin1.geojson").read_text())
    names = {f["properties"]["name"] for f in ua["features"]}
    assert len(ua["features"]) == 27 and {"Crimea", "Sevastopol", "Kharkiv"} <= names
    assert len({f["properties"]["iso_3166_2"] for f in ua["features"]}) == 27
    assert {f["properties"]["iso_3166_2"] for f in ru["features"]} == {
        "RU-BEL", "RU-KRS", "RU-BRY", "RU-VOR", "RU-ROS"}
    size = sum(p.stat().st_size for p in BOUNDARIES_DIR.glob("*.geojson"))
    assert size < 1_000_000


def test_tiles_cover_zoom_0_to_6():
    for z in range(7):
        assert list((TILES_DIR / str(z)).glob("*/*.png")), z
    assert (TILES_DIR / "6/38/21.png").is_file()  # Kharkiv


def test_use_local_assets_leaves_no_remote_links_and_class_untouched():
    cdn_before = list(folium.Map.default_js)
    m = use_local_assets(make_map(), "/app/static")
    assert folium.Map.default_js == cdn_before  # class attribute not mutated
    links = all_links(m)
    assert links and all(u.startswith("/app/static/vendor/") for u in links), links
    html = m.get_root().render()
    urls = TAG_URL.findall(html)
    assert urls and not [u for u in urls if u.startswith(("http:", "https:", "//"))], urls
    assert "/app/static/tiles/{z}/{x}/{y}.png" in html
    assert 'L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/"' in html


def test_use_local_assets_rejects_unbundled_cdn_link():
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(AssetError, match="not bundled"):
        use_local_assets(m, "/app/static")


def test_inline_assets_is_self_contained():
    m = make_map()
    for html in (m.get_root().render(),  # CDN links
                 use_local_assets(make_map(), "/app/static").get_root().render()):
        out = inline_assets(html)
        assert not TAG_URL.findall(out)
        assert "offline-tiles://{z}/{x}/{y}" in out and "/tiles/{z}" not in out
        assert re.search(r"url\(\"data:font/woff2;base64,", out)


def test_inline_assets_raises_on_unknown_reference():
    html = '<html><head><script src="https://example.org/x.js"></script></head></html>'
    with pytest.raises(AssetError):
        inline_assets(html)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_inlined_map_renders_offline_in_chromium(tmp_path):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    page_file = tmp_path / "map.html"
    page_file.write_text(inline_assets(make_map().get_root().render()), encoding="utf-8")
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_selector(".leaflet-marker-pane > *", state="visible", timeout=15000)
            page.wait_for_selector(".leaflet-tile-loaded", timeout=15000)
            markers = page.locator(".leaflet-marker-pane > *")
            assert markers.count() == 3
            for i in range(3):
                assert markers.nth(i).is_visible()
            assert page.locator(".awesome-marker i.glyphicon-info-sign").count() == 1
            assert page.locator("path.leaflet-interactive").count() >= 32  # oblasts
            for family in ("Font Awesome 6 Free", "Glyphicons Halflings"):  # icon fonts loaded
                page.wait_for_function(
                    "f => [...document.fonts].some(x => x.family.replace(/\"/g, '') === f"
                    " && x.status === 'loaded')", arg=family, timeout=10000)
        finally:
            browser.close()
    assert not errors, errors
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert not outside, outside
