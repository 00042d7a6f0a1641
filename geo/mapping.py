"""The control map: one coloured marker per place, a legend and a title, offline by default.

Used by the dashboard (inside ``st_folium``) and by the PNG/HTML export, so
both show the same map. No Streamlit import here.

Markers are drawn by one small script from a JSON array rather than one
folium element per place: folium renders ~1 ms per marker element (2,000
places -> 1.8 s and 2.6 MB per dashboard rerun); the array costs almost
nothing. Text from reports reaches the page only HTML-escaped and JSON-encoded.
"""
from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

from .assets import STATIC_DIR, TILE_BOUNDS, boundary_layers, offline_tile_layer, use_local_assets
from .models import STATUSES
from .store import PlaceStatus


@dataclass(frozen=True)
class MarkerStyle:
    color: str  # hex fill colour; also what the PNG test looks for
    awesome_color: str  # folium.Icon colour name, for awesome markers
    icon: str  # Font Awesome name
    label: str


STYLE_BY_STATUS: dict[str, MarkerStyle] = {
    "ukraine": MarkerStyle("#1f5fbf", "blue", "flag", "Held or retaken by Ukraine"),
    "russia": MarkerStyle("#d62728", "red", "flag", "Held or taken by Russia"),
    "contested": MarkerStyle("#ff8c00", "orange", "crosshairs", "Contested / fighting"),
    "mentioned": MarkerStyle("#7f7f7f", "gray", "circle-info", "Mentioned only"),
}
assert tuple(STYLE_BY_STATUS) == STATUSES

DEFAULT_CENTER = (48.5, 33.5)  # Ukraine
DEFAULT_ZOOM = 6
MARKER_RADIUS = 7
SELECTED_RADIUS = 15
SELECTED_COLOR = "#111111"
# When asset_base_url is None (export): a tile URL inline_assets recognises (and
# that also works from file:// on this machine if the page is not inlined).
EXPORT_TILE_BASE = STATIC_DIR.as_uri()

ONLINE_LAYERS = [  # (name, URL template, attribution); never loaded unless picked in the layer control
    ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     "&copy; OpenStreetMap contributors"),
    ("CARTO light (online)", "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
     "&copy; OpenStreetMap contributors &copy; CARTO"),
    ("Esri World Imagery (online)",
     "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
     "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community"),
]


def esc(text: Any) -> str:
    """HTML-escape report text; also ` $ \\ so it is inert inside folium's JS template literals."""
    return (html.escape("" if text is None else str(text), quote=True)
            .replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;"))


def _norm(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------ lookups
def marker_tooltip(status: PlaceStatus) -> str:
    """Plain-text tooltip, "Name · Admin1": what st_folium returns as last_object_clicked_tooltip."""
    return _norm(f"{status.name} · {status.admin1}" if status.admin1 else status.name)


def place_for_tooltip(statuses: Sequence[PlaceStatus], tooltip: str | None, *,
                      lat: float | None = None, lon: float | None = None) -> PlaceStatus | None:
    """The place a clicked tooltip names; if two places share it, the one nearest (lat, lon), else the first."""
    if not tooltip:
        return None
    wanted = _norm(tooltip)
    matches = [s for s in statuses if marker_tooltip(s) == wanted]
    if len(matches) > 1 and lat is not None and lon is not None:
        return nearest_place(matches, lat, lon)
    return matches[0] if matches else None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def nearest_place(statuses: Sequence[PlaceStatus], lat: float, lon: float, *,
                  max_km: float | None = None) -> PlaceStatus | None:
    """Fallback lookup of a click by coordinates (None if nothing within max_km)."""
    best = min(statuses, key=lambda s: _km(lat, lon, s.lat, s.lon), default=None)
    if best is None or (max_km is not None and _km(lat, lon, best.lat, best.lon) > max_km):
        return None
    return best


# ------------------------------------------------------------ map pieces
def popup_html(s: PlaceStatus) -> str:
    """Popup body; every report-derived string escaped."""
    style = STYLE_BY_STATUS.get(s.status, STYLE_BY_STATUS["mentioned"])
    change = f" ({esc(s.change)})" if s.change else ""
    rows = [f"<b>{esc(s.name)}</b>",
            esc(s.admin1),
            f'<span style="color:{style.color}">&#9679;</span> {esc(style.label)}{change}',
            f"Since: {esc(s.since or 'unknown')}",
            f"Last report: {esc(s.last_report_date or 'undated')} ({s.reports} report{'s' if s.reports != 1 else ''})",
            f"Source: {esc(s.last_source or 'unknown')}"]
    if s.precision != "exact":
        rows.append("<i>Approximate location (hromada centre)</i>")
    return '<div style="min-width:180px">' + "<br>".join(r for r in rows if r) + "</div>"


class StatusMarkers(MacroElement):
    """Adds one L.circleMarker per place to its parent layer (FeatureGroup or MarkerCluster).

    Each marker carries ``options.status`` (read by the cluster icons) and a
    tooltip/popup; exact places are opaque with a white rim, approximate ones
    lighter with a dashed rim. Sets ``document.body.dataset.geoMarkers`` when done.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var styles = {{ this.colors|tojson }}, parent = {{ this._parent.get_name() }};
            var rows = {{ this.rows|tojson }};
            rows.forEach(function (r) {
                var c = styles[r[2]] || styles.mentioned, exact = r[3];
                var m = L.circleMarker([r[0], r[1]], {
                    radius: {{ this.radius }}, status: r[2], placeId: r[6],
                    color: exact ? "#ffffff" : c, weight: exact ? 1.5 : 2, dashArray: exact ? null : "3 3",
                    fillColor: c, fillOpacity: exact ? 1.0 : 0.45, opacity: 1.0});
                m.bindTooltip(r[4], {sticky: true});
                m.bindPopup(r[5], {maxWidth: 320});
                parent.addLayer(m);
            });
            document.body.dataset.geoMarkers = String({{ this.rows|length }});
        })();
        {% endmacro %}
    """)

    def __init__(self, statuses: Sequence[PlaceStatus], radius: int = MARKER_RADIUS):
        super().__init__()
        self._name = "StatusMarkers"
        self.radius = int(radius)
        self.colors = {k: v.color for k, v in STYLE_BY_STATUS.items()}
        self.rows = [[s.lat, s.lon, s.status if s.status in STYLE_BY_STATUS else "mentioned",
                      s.precision == "exact", esc(marker_tooltip(s)), popup_html(s), s.place_id]
                     for s in statuses]


def cluster_icon_js() -> str:
    """iconCreateFunction: a disc in the majority status colour of the cluster's markers (ties: first in STATUSES)."""
    colors = json.dumps({k: v.color for k, v in STYLE_BY_STATUS.items()})
    order = json.dumps(list(STATUSES))
    return f"""function (cluster) {{
        var colors = {colors}, order = {order}, counts = {{}}, best = order[order.length - 1];
        cluster.getAllChildMarkers().forEach(function (m) {{
            var s = m.options.status; counts[s] = (counts[s] || 0) + 1; }});
        order.forEach(function (s) {{ if ((counts[s] || 0) > (counts[best] || 0)) best = s; }});
        var n = cluster.getChildCount(), size = n < 10 ? 30 : n < 100 ? 36 : 44;
        return L.divIcon({{
            html: '<div style="width:' + size + 'px;height:' + size + 'px;'
                + 'font:bold 13px sans-serif;line-height:' + (size - 4) + 'px;text-align:center;color:#fff;'
                + 'border-radius:50%;background:' + colors[best] + ';border:2px solid #fff;'
                + 'box-sizing:border-box;box-shadow:0 0 3px rgba(0,0,0,.5)">' + n + '</div>',
            className: 'geo-cluster geo-cluster-' + best, iconSize: L.point(size, size)}});
    }}"""


class MapOverlay(MacroElement):
    """A box of static HTML inside the map (legend, title), so the PNG and the HTML export show it too.

    With ``position`` ("bottomleft", ...) it is a Leaflet control, stacked with the scale bar;
    without, a free box positioned by ``style``.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, box = L.DomUtil.create("div", {{ this.css_class|tojson }});
            box.setAttribute("style", {{ this.style|tojson }});
            box.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            {%- if this.position %}
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () { return box; };
            control.addTo(map);
            {%- else %}
            map.getContainer().appendChild(box);
            {%- endif %}
        })();
        {% endmacro %}
    """)

    def __init__(self, html_text: str, css_class: str, style: str, position: str | None = None):
        super().__init__()
        self._name = "MapOverlay"
        self.html = html_text
        self.css_class = css_class
        self.style = style
        self.position = position


_BOX = ("background:rgba(255,255,255,0.92);border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,0.35);"
        "font:13px/1.35 'Helvetica Neue',Arial,sans-serif;color:#222;")


def legend_html() -> str:
    """The four statuses with their colours, and the approximate-location symbol."""
    def dot(fill: str, rim: str, dashed: bool = False, opacity: float = 1.0) -> str:
        return (f'<span style="display:inline-block;width:12px;height:12px;border-radius:50%;vertical-align:-2px;'
                f'margin-right:6px;background:{fill};opacity:{opacity};'
                f'border:2px {"dashed" if dashed else "solid"} {rim}"></span>')
    rows = [f"{dot(s.color, '#ffffff')}{esc(s.label)}" for s in STYLE_BY_STATUS.values()]
    rows.append(f"{dot('#bbbbbb', '#7f7f7f', dashed=True, opacity=0.8)}Approximate location")
    return "<b>Status</b><br>" + "<br>".join(rows)


def legend() -> MapOverlay:
    return MapOverlay(legend_html(), "geo-legend", _BOX + "padding:8px 10px;", position="bottomleft")


def title_box(title: str, as_of: str | None = None) -> MapOverlay:
    text = f"{esc(title)} &mdash; as of {esc(as_of)}" if as_of else esc(title)
    return MapOverlay(f"<b>{text}</b>", "geo-title",
                      _BOX + "position:absolute;z-index:1000;top:10px;left:50%;transform:translateX(-50%);"
                      "padding:6px 14px;font-size:16px;white-space:nowrap;pointer-events:none;")


def _view(statuses: Sequence[PlaceStatus], center: tuple[float, float] | None,
          zoom: int | None) -> tuple[tuple[float, float], int, list[list[float]] | None]:
    """Start view: given centre/zoom, else fit the places in the theatre, else Ukraine.

    Places outside the bundled tiles' extent (Brussels or Hiroshima named in passing) are drawn
    but do not pull the view out to the whole world.
    """
    (south, west), (north, east) = TILE_BOUNDS
    statuses = [s for s in statuses if south <= s.lat <= north and west <= s.lon <= east] or statuses
    if center is None and zoom is None and statuses:
        lats, lons = [s.lat for s in statuses], [s.lon for s in statuses]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
        mid = ((bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2)
        return mid, DEFAULT_ZOOM, bounds
    if center is None and statuses:
        center = (sum(s.lat for s in statuses) / len(statuses), sum(s.lon for s in statuses) / len(statuses))
    return center or DEFAULT_CENTER, zoom or DEFAULT_ZOOM, None


# ------------------------------------------------------------ the map
def build_map(statuses: list[PlaceStatus], *, asset_base_url: str | None = "/app/static",
              title: str = "Control map", as_of: str | None = None, selected: str | None = None,
              center: tuple[float, float] | None = None, zoom: int | None = None,
              online_layers: bool = True, cluster_above: int = 300) -> folium.Map:
    """The control map for the dashboard (asset_base_url="/app/static") or export (None, then inline_assets).

    ``selected`` is a place_id (a tooltip text also works); that place gets a ring.
    Above ``cluster_above`` places, markers cluster, each cluster coloured by its majority status.
    """
    location, zoom_start, bounds = _view(statuses, center, zoom)
    m = folium.Map(location=list(location), zoom_start=zoom_start, tiles=None, control_scale=True,
                   min_zoom=3, max_zoom=18)
    offline_tile_layer(asset_base_url or EXPORT_TILE_BASE, max_zoom=18).add_to(m)  # z7+ upscales z6
    if online_layers:
        for name, url, attr in ONLINE_LAYERS:
            folium.TileLayer(tiles=url, attr=attr, name=name, show=False, max_zoom=18).add_to(m)
    for layer in boundary_layers():
        layer.add_to(m)

    if len(statuses) > cluster_above:
        group: folium.MacroElement = MarkerCluster(name="Places", icon_create_function=cluster_icon_js(),
                                                   options={"maxClusterRadius": 40, "showCoverageOnHover": False})
    else:
        group = folium.FeatureGroup(name="Places")
    group.add_child(StatusMarkers(statuses))
    group.add_to(m)

    chosen = next((s for s in statuses if s.place_id == selected), None) if selected else None
    if selected and chosen is None:
        chosen = place_for_tooltip(statuses, selected)
    if chosen is not None:  # a ring that lets clicks through to the marker under it
        ring = folium.CircleMarker([chosen.lat, chosen.lon], radius=SELECTED_RADIUS, color=SELECTED_COLOR,
                                   weight=3, fill=False, class_name="geo-selected")
        ring.options["interactive"] = False
        ring.add_to(m)

    if bounds is not None:
        pad = 0.05 if bounds[0] != bounds[1] else 0.3
        m.fit_bounds([[bounds[0][0] - pad, bounds[0][1] - pad], [bounds[1][0] + pad, bounds[1][1] + pad]],
                     padding_top_left=(40, 60), padding_bottom_right=(40, 30), max_zoom=9)
    m.add_child(legend())
    m.add_child(title_box(title, as_of))
    folium.LayerControl(collapsed=True).add_to(m)
    m.get_root().title = esc(f"{title} — as of {as_of}" if as_of else title)
    if asset_base_url is not None:
        use_local_assets(m, asset_base_url)
    return m
