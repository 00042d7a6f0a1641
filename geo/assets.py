"""Offline map assets for folium: local JS/CSS, bundled tiles and boundaries.

folium (and streamlit-folium) load Leaflet, jQuery, Bootstrap, Font Awesome
and plugins from CDNs. This module points them at the copies in
``static/vendor`` (fetched by ``scripts/fetch_assets.py``), so that:

* inside Streamlit (``server.enableStaticServing = true``) a map uses
  ``/app/static/vendor/...``::

      m = use_local_assets(m, "/app/static")   # call last, after adding layers
      st_folium(m, key="map", ...)

* an exported page is self-contained::

      html = inline_assets(m.get_root().render())

Tiles: ``offline_tile_layer`` serves the bundled OSM tiles (zoom 0-6 over
Ukraine and its borders). In an exported page there is no server, so
``inline_assets`` embeds those tiles as data URIs (``embed_tiles=True``, about
1.5 MB); with ``embed_tiles=False`` the tile layer is blank and the
``boundary_layers`` (plain GeoJSON) are the base map.

No Streamlit import here.
"""
from __future__ import annotations

import base64
import json
import mimetypes
import re
from pathlib import Path
from typing import Any, Iterator

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

REPO_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO_ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
TILES_DIR = STATIC_DIR / "tiles"
BOUNDARIES_DIR = REPO_ROOT / "data" / "boundaries"

TILE_MAX_ZOOM = 6
TILE_BOUNDS = [[43.0, 20.0], [54.0, 42.0]]  # [[south, west], [north, east]] of the extract
OSM_ATTRIBUTION = "© OpenStreetMap contributors"

# CDN URLs used by folium 0.20 (Map, MarkerCluster) -> bundled file under VENDOR_DIR.
CDN_TO_VENDOR: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), f) for p, f in [
        (r"/leaflet@[^/]+/dist/leaflet\.js$", "leaflet/leaflet.js"),
        (r"/leaflet@[^/]+/dist/leaflet\.css$", "leaflet/leaflet.css"),
        (r"/jquery-3\.[\d.]+\.min\.js$", "jquery/jquery.min.js"),
        (r"/bootstrap@5\.[^/]+/dist/js/bootstrap\.bundle\.min\.js$", "bootstrap/js/bootstrap.bundle.min.js"),
        (r"/bootstrap@5\.[^/]+/dist/css/bootstrap\.min\.css$", "bootstrap/css/bootstrap.min.css"),
        (r"/bootstrap-glyphicons\.css$", "glyphicons/css/bootstrap-glyphicons.css"),
        (r"/fontawesome-free@6\.[^/]+/css/all\.min\.css$", "fontawesome-free/css/all.min.css"),
        (r"/leaflet\.awesome-markers(\.min)?\.js$", "leaflet.awesome-markers/leaflet.awesome-markers.js"),
        (r"/leaflet\.awesome-markers\.css$", "leaflet.awesome-markers/leaflet.awesome-markers.css"),
        (r"/leaflet\.awesome\.rotate(\.min)?\.css$", "folium/leaflet.awesome.rotate.min.css"),
        (r"/leaflet\.markercluster(-src)?\.js$", "leaflet.markercluster/leaflet.markercluster.js"),
        (r"/MarkerCluster\.css$", "leaflet.markercluster/MarkerCluster.css"),
        (r"/MarkerCluster\.Default\.css$", "leaflet.markercluster/MarkerCluster.Default.css"),
    ]
]


class AssetError(RuntimeError):
    """A map references an external asset that has no bundled copy."""


def _is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def vendor_path(url: str) -> Path | None:
    """Bundled file for a CDN URL, a ``.../vendor/<file>`` URL or a local path."""
    for pattern, rel in CDN_TO_VENDOR:
        if pattern.search(url):
            return VENDOR_DIR / rel
    if "/vendor/" in url:
        path = VENDOR_DIR / url.split("?")[0].rsplit("/vendor/", 1)[1]
        return path if path.is_file() else None
    path = Path(url.removeprefix("file://"))
    return path if not _is_remote(url) and path.is_file() else None


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


class _DefaultIconPath(MacroElement):
    """Sets ``L.Icon.Default.imagePath`` before any marker is created.

    Leaflet guesses it from leaflet.css, which inside streamlit-folium's iframe
    is often not applied yet when the first ``L.marker`` is built (folium makes
    every marker with the default icon, then calls ``setIcon``); the guess then
    yields ``.../vendor/leafletmarker-icon.png`` (404). Left alone if already set
    (``inline_assets`` sets it to data URIs).
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "if (typeof L.Icon.Default.imagePath !== 'string') "
        "{ L.Icon.Default.imagePath = {{ this.path|tojson }}; }"
        "{% endmacro %}"
    )

    def __init__(self, path: str):
        super().__init__()
        self._name = "DefaultIconPath"
        self.path = path


def use_local_assets(m: folium.Map, base_url: str, strict: bool = True) -> folium.Map:
    """Point the JS/CSS links of ``m`` and all its children at ``{base_url}/vendor/...``.

    Sets instance attributes (folium's ``default_js``/``default_css`` are class
    attributes shared by every map; they are left untouched). streamlit-folium
    reads the same attributes from the map and every child, so this covers
    both ``st_folium`` and ``m.get_root().render()``. Call it after all layers
    and plugins are added. With ``strict``, a CDN link that has no bundled copy
    raises :class:`AssetError` instead of failing silently offline.
    """
    base = base_url.rstrip("/")
    if not any(isinstance(c, _DefaultIconPath) for c in m._children.values()):
        icon_path = _DefaultIconPath(f"{base}/vendor/leaflet/images/")
        m.add_child(icon_path)
        m._children.move_to_end(icon_path.get_name(), last=False)  # before the markers
    for el in _walk(m):
        if not isinstance(el, JSCSSMixin):
            continue
        for attr in ("default_js", "default_css"):
            links = []
            for name, url in getattr(el, attr):
                path = vendor_path(url)
                if path is not None and path.is_relative_to(VENDOR_DIR):
                    url = f"{base}/vendor/{path.relative_to(VENDOR_DIR).as_posix()}"
                elif strict and _is_remote(url):
                    raise AssetError(f"{type(el).__name__} needs {url}, which is not bundled "
                                     "(add it to scripts/fetch_assets.py and CDN_TO_VENDOR)")
                links.append((name, url))
            setattr(el, attr, links)
    return m


# --------------------------------------------------------------- inlining
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc=["']([^"']+)["'][^>]*>\s*</script>""", re.I)
_LINK_CSS = re.compile(r"""<link\b[^>]*?\brel=["']?stylesheet["']?[^>]*>""", re.I)
_HREF = re.compile(r"""\bhref=["']([^"']+)["']""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_TTF_FALLBACK = re.compile(r""",\s*url\([^)]*\.ttf\)\s*format\(["']truetype["']\)""")
_TILE_TEMPLATE = re.compile(r"""(["'])([^"'\s]*/tiles/)\{z\}/\{x\}/\{y\}\.png\1""")
_EXTERNAL_REF = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["'](?!data:)([^"']+)["']""", re.I)
_BLANK_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
              "YAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _asset(url: str) -> Path:
    path = vendor_path(url)
    if path is None:
        raise AssetError(f"cannot inline {url}: no bundled copy")
    return path


def _inline_css(path: Path) -> str:
    """CSS text with every url(...) turned into a data: URI (woff2 preferred over ttf)."""
    css = path.read_text(encoding="utf-8")
    if ".woff2" in css:
        css = _TTF_FALLBACK.sub("", css)

    def repl(m: re.Match[str]) -> str:
        ref = m.group(2)
        if ref.startswith(("data:", "#")):
            return m.group(0)
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            raise AssetError(f"{path.name} references missing {ref}")
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(repl, css)


def _leaflet_fix_js() -> str:
    """Leaflet finds its default marker images through the CSS URL; give them as data URIs."""
    img = VENDOR_DIR / "leaflet" / "images"
    opts = {k: _data_uri(img / f) for k, f in (("iconUrl", "marker-icon.png"),
                                               ("iconRetinaUrl", "marker-icon-2x.png"),
                                               ("shadowUrl", "marker-shadow.png"))}
    return f"L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({json.dumps(opts)});"


def _tiles_js(embed: bool) -> str:
    """Serve ``offline-tiles://`` tile layers from data URIs of the bundled tiles (or blank)."""
    tiles = {p.relative_to(TILES_DIR).with_suffix("").as_posix(): _data_uri(p)
             for p in sorted(TILES_DIR.glob("*/*/*.png"))} if embed else {}
    return ("(function(){var T=" + json.dumps(tiles) + ",B=" + json.dumps(_BLANK_PNG) + ","
            "g=L.TileLayer.prototype.getTileUrl;L.TileLayer.prototype.getTileUrl=function(c){"
            "if(this._url.indexOf('offline-tiles://')!==0)return g.call(this,c);"
            "return T[this._getZoomForUrl()+'/'+c.x+'/'+c.y]||B;};})();")


def _local_tiles(m: re.Match[str]) -> str:
    prefix = m.group(2)
    if _is_remote(prefix) and not re.match(r"(https?:)?//(127\.0\.0\.1|localhost)[:/]", prefix):
        return m.group(0)  # an online layer: leave it
    return f"{m.group(1)}offline-tiles://{{z}}/{{x}}/{{y}}{m.group(1)}"


def inline_assets(html: str, embed_tiles: bool = True) -> str:
    """Make folium's rendered page (``m.get_root().render()``) self-contained.

    Every ``<script src>`` / ``<link rel=stylesheet>`` that points at a bundled
    asset (CDN URL, ``.../vendor/...`` URL or path) becomes inline code, with
    fonts and images as data: URIs (woff2 only, ttf fallbacks dropped). Tile
    URL templates ending in ``/tiles/{z}/{x}/{y}.png`` (from
    :func:`offline_tile_layer`, any base URL) are served from the embedded
    bundled tiles, or drawn blank if ``embed_tiles`` is False. Tile URLs of
    online layers are left as they are (they fail harmlessly offline).

    Raises :class:`AssetError` if a script, stylesheet, link or image tag with
    an external or unknown reference would remain.
    """
    html = _TILE_TEMPLATE.sub(_local_tiles, html)
    uses_tiles = "offline-tiles://" in html
    leaflet_js = VENDOR_DIR / "leaflet" / "leaflet.js"
    bodies: list[str] = []

    def keep(text: str) -> str:  # park inlined code so the final check ignores it
        bodies.append(text)
        return f"\0INLINED{len(bodies) - 1}\0"

    def script(m: re.Match[str]) -> str:
        path = _asset(m.group(1))
        js = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        if path == leaflet_js:
            js += "\n" + _leaflet_fix_js() + ("\n" + _tiles_js(embed_tiles) if uses_tiles else "")
        return keep(f"<script>\n{js}\n</script>")

    def link(m: re.Match[str]) -> str:
        href = _HREF.search(m.group(0))
        if href is None:
            return m.group(0)
        return keep(f"<style>\n{_inline_css(_asset(href.group(1)))}\n</style>")

    html = _LINK_CSS.sub(link, _SCRIPT_SRC.sub(script, html))
    left = _EXTERNAL_REF.findall(html)
    if left:
        raise AssetError(f"references left that cannot be inlined: {left}")
    return re.sub(r"\0INLINED(\d+)\0", lambda m: bodies[int(m.group(1))], html)


# ------------------------------------------------------------ base layers
def offline_tile_layer(base_url: str, **kwargs: Any) -> folium.TileLayer:
    """TileLayer on the bundled OSM tiles (``{base_url}/tiles/{z}/{x}/{y}.png``, zoom 0-6).

    Above zoom 6 Leaflet upscales the zoom-6 tiles. Requests are limited to
    the extract's bounds. Create the map with ``tiles=None`` and add this.
    """
    options: dict[str, Any] = dict(name="OpenStreetMap (offline)", attr=OSM_ATTRIBUTION,
                                   max_native_zoom=TILE_MAX_ZOOM, max_zoom=12,
                                   bounds=TILE_BOUNDS)
    options.update(kwargs)
    return folium.TileLayer(tiles=f"{base_url.rstrip('/')}/tiles/{{z}}/{{x}}/{{y}}.png", **options)


def load_boundaries(name: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection ``data/boundaries/<name>.geojson``."""
    return json.loads((BOUNDARIES_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


def boundary_layer(name: str = "ukraine_admin1", layer_name: str = "Oblasts",
                   color: str = "#666666", fill: str = "#f2efe9") -> folium.GeoJson:
    """Oblast outlines (thin grey lines, light fill, tooltip with the name): a base map without tiles."""
    style = {"color": color, "weight": 1, "fillColor": fill, "fillOpacity": 0.35}
    return folium.GeoJson(
        load_boundaries(name), name=layer_name,
        style_function=lambda _feature: style,
        highlight_function=lambda _feature: {"weight": 2, "fillOpacity": 0.5},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["Oblast:"]),
    )


def boundary_layers() -> list[folium.GeoJson]:
    """Ukraine's 27 admin-1 units and the 5 Russian border oblasts (lighter)."""
    return [boundary_layer("ukraine_admin1", "Ukraine oblasts"),
            boundary_layer("russia_border_admin1", "Russian border oblasts",
                           color="#999999", fill="#e6e6e6")]
