"""Control map dashboard: Streamlit widgets and layout only; the work is done in geo/.

    streamlit run dashboard.py        (GEO_DB_URL picks the database; default data/control.sqlite)
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

import folium
import streamlit as st

import mapview
from geo import export, mapping
from geo.ingest import ingest_uploads
from geo.store import DEFAULT_DB, Excerpt, Filters, PlaceStatus, Store

SAMPLE_REPORTS = Path(__file__).resolve().parent / "data" / "reports"
UPLOAD_TYPES = ["txt", "md", "html", "htm", "json", "jsonl", "csv"]
STYLES = mapping.STYLE_BY_STATUS
MAP_HEIGHT = 680
SEARCH_ZOOM = 10
CLICK_FALLBACK_KM = 1.0  # a click that carries no tooltip selects a place this close (not a cluster centre)

st.set_page_config(layout="wide", page_title="Control map", page_icon="🗺️")
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.5rem}</style>")  # less blank space on top


# ------------------------------------------------------------------ data (cached)
@st.cache_resource(show_spinner="Loading the gazetteer…")
def get_extractor():
    from geo.pipeline import Extractor

    return Extractor()


@st.cache_resource(show_spinner="Opening the database…")
def get_store(url: str) -> Store:
    store = Store(url)
    if store.counts()["reports"] == 0:  # first start: the bundled sample reports, so the map is not empty
        files = [(f"data/reports/{p.name}", p.read_bytes()) for p in sorted(SAMPLE_REPORTS.iterdir()) if p.is_file()]
        ingest_uploads(files, store, get_extractor())
    return store


@st.cache_data(show_spinner=False, max_entries=32)
def latest(url: str, version: tuple, filters: Filters) -> list[PlaceStatus]:
    return get_store(url).latest_status(filters)


@st.cache_data(show_spinner=False, max_entries=64)
def history(url: str, version: tuple, filters: Filters, place_id: str):
    return get_store(url).place_history(place_id, filters)


@st.cache_data(show_spinner=False, max_entries=8)
def facets(url: str, version: tuple) -> dict:
    return get_store(url).facets()


@st.cache_resource(show_spinner=False, max_entries=8)
def map_payload(url: str, version: tuple, filters: Filters, as_of: str | None) -> mapview.MapPayload:
    """The map serialised once per data and filter state; a click only re-sends it (see mapview.py)."""
    return mapview.serialise(mapping.build_map(latest(url, version, filters), title="Control map", as_of=as_of))


def clear_queries() -> None:
    for cached in (latest, history, facets, map_payload):
        cached.clear()


# ------------------------------------------------------------------ small renderers
_INERT = {ord(ch): f"&#{ord(ch)};" for ch in "&<>\"'\\`*_[]{}()#+!|~$:"}


def safe(text: object) -> str:
    """Report text for st.markdown(unsafe_allow_html=True): HTML-escaped and inert as Markdown, on one line."""
    return re.sub(r"\s+", " ", ("" if text is None else str(text)).translate(_INERT))


def badge(status: str) -> str:
    style = STYLES.get(status, STYLES["mentioned"])
    return (f'<span style="background:{style.color};color:#fff;border-radius:0.8em;padding:0.1em 0.6em;'
            f'font-size:0.85em;white-space:nowrap">{safe(style.label)}</span>')


def highlighted(excerpt: Excerpt) -> str:
    """The sentence with the place's name(s) in <mark>; every piece escaped."""
    parts, pos = [], 0
    for start, end in sorted(excerpt.highlights):
        if start < pos:
            continue
        parts += [safe(excerpt.text[pos:start]), "<mark>", safe(excerpt.text[start:end]), "</mark>"]
        pos = end
    parts.append(safe(excerpt.text[pos:]))
    return "".join(parts)


def selection_ring(place: PlaceStatus | None) -> folium.FeatureGroup | None:
    """The ring around the selected place: sent beside the map, so selecting never reloads the map."""
    if place is None:
        return None
    group = folium.FeatureGroup(name="Selected", control=False)
    ring = folium.CircleMarker([place.lat, place.lon], radius=mapping.SELECTED_RADIUS, color=mapping.SELECTED_COLOR,
                               weight=3, fill=False, class_name="geo-selected")
    ring.options["interactive"] = False
    return group.add_child(ring)


def show_panel(place_id: str, place: PlaceStatus | None, events: list) -> None:
    """Name, oblast, current status; every excerpt naming the place (newest first); the status history."""
    first = place or (events[0] if events else None)
    st.markdown(f"### {safe(first.name if first else place_id)}", unsafe_allow_html=True)
    if first:
        st.caption(safe(first.admin1) + (" · approximate location" if first.precision != "exact" else ""))
    if place:
        st.markdown(f"{badge(place.status)} &nbsp;since {safe(place.since or 'an undated report')} · "
                    f"{place.reports} report{'s' * (place.reports != 1)}", unsafe_allow_html=True)
    else:
        st.caption("Not on the map with the current filters.")
    if not events:
        return
    st.markdown("#### What the reports say")
    st.markdown("\n\n".join(  # one HTML block per report: raw HTML, not Markdown, and all of it escaped
        f'<div class="geo-excerpt"><div style="font-size:0.85em;color:#555">{safe(e.report_date or "undated")} · '
        f'{safe(e.source or e.path)} · {badge(e.status)}</div>'
        + "".join(f'<blockquote style="margin:0.2em 0 0.7em 0">{highlighted(x)}</blockquote>'
                  for x in e.excerpts or e.evidence) + "</div>" for e in events), unsafe_allow_html=True)
    st.markdown("#### Status history")
    rows = "".join(f"<tr><td>{safe(e.report_date or 'undated')}</td><td>{badge(e.status)}</td>"
                   f"<td>{safe(e.change or '')}</td><td>{safe(e.source)}</td></tr>" for e in reversed(events))
    st.markdown(f'<table class="geo-history" style="font-size:0.85em;width:100%"><tr><th>Date</th><th>Status</th>'
                f"<th>Change</th><th>Source</th></tr>{rows}</table>", unsafe_allow_html=True)


def png_bytes(places: list[PlaceStatus], title: str, as_of: str | None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="geo-png-") as tmp:
        return export.render_png(export.map_html(places, title=title, as_of=as_of), Path(tmp) / "map.png").read_bytes()


def add_reports(files: list[tuple[str, bytes]], store: Store) -> list[tuple[str, str]]:
    """(kind, message) per outcome; kind is success, info or error."""
    results = []
    for outcome in ingest_uploads(files, store, get_extractor()):
        if outcome.error:
            results.append(("error", f"✗ {outcome.name}: {outcome.error}"))
        elif outcome.added:
            results.append(("success", f"✓ {outcome.name}: added with {outcome.events} place(s)"))
        else:
            results.append(("info", f"{outcome.name}: already stored"))
    clear_queries()
    return results


# ------------------------------------------------------------------ page
db_url = os.environ.get("GEO_DB_URL") or str(DEFAULT_DB)
store = get_store(db_url)
version = tuple(store.counts().values())  # changes when reports are added, here or by the CLI
facet = facets(db_url, version)
state = st.session_state

with st.sidebar:
    st.header("Filters")
    search_slot = st.container()
    first, last = (dt.date.fromisoformat(d) for d in facet["dates"]) if facet["dates"] else (None, None)
    start = end = None
    if first:
        picked = st.date_input("Report dates", value=(first, last), min_value=first, max_value=last,
                               key=f"dates-{first}-{last}",  # new data widens the range
                               help="The map shows each town's latest status as of the end date.")
        start, end = (list(picked) + [last])[:2] if picked else (first, last)
    statuses = st.multiselect("Statuses", list(STYLES), format_func=lambda s: STYLES[s].label,
                              placeholder="All statuses")
    languages = st.multiselect("Languages", facet["languages"], placeholder="All languages")
    sources = st.multiselect("Sources", facet["sources"], placeholder="All sources")

filters = Filters(start.isoformat() if start and start != first else None,  # a full range keeps undated reports
                  end.isoformat() if end and end != last else None,
                  tuple(statuses), tuple(languages), tuple(sources))
as_of = (end or last).isoformat() if (end or last) else None
places = latest(db_url, version, filters)
by_id = {p.place_id: p for p in places}

click = state.get("control_map")  # st_folium copies each new click here (and AppTest sets it directly)
if click and click != state.get("_seen_click"):
    state["_seen_click"] = click
    where = click.get("last_object_clicked") or {}
    tooltip = click.get("last_object_clicked_tooltip")
    hit = mapping.place_for_tooltip(places, tooltip, lat=where.get("lat"), lon=where.get("lng"))
    if hit is None and not tooltip and where.get("lat") is not None:
        hit = mapping.nearest_place(places, where["lat"], where["lng"], max_km=CLICK_FALLBACK_KM)
    if hit is not None:
        state["selected"] = hit.place_id
        state["search"] = None

selected = state.get("selected")

st.title("Control map")
counts = {s: sum(p.status == s for p in places) for s in STYLES}
st.markdown(f"As of **{as_of or 'undated'}** · {len(places)} places · " + " &nbsp; ".join(
    f'<span style="color:{STYLES[s].color}">●</span> {safe(STYLES[s].label)}: **{n}**' for s, n in counts.items()),
    unsafe_allow_html=True)

map_col, panel_col = st.columns([3, 2])
with panel_col:  # filled before the map, so a click's answer reaches the browser before the map is re-sent
    with st.container(key="place_panel", height=MAP_HEIGHT, border=False):
        if selected:
            show_panel(selected, by_id.get(selected), history(db_url, version, filters, selected))
        else:
            st.markdown("### Select a place")
            st.info("Click a marker on the map, or type a town's name under *Find a town*, "
                    "to read what each report says about it.")
with search_slot:  # filled after the panel, whose answer to a click goes out first
    st.selectbox("Find a town", list(by_id), format_func=lambda pid: mapping.marker_tooltip(by_id[pid]), index=None,
                 key="search", placeholder="Type a name…",
                 on_change=lambda: state.update(selected=state["search"] or state.get("selected")))
focus = by_id.get(state.get("search"))
with map_col:
    mapview.show(map_payload(db_url, version, filters, as_of), key="control_map", height=MAP_HEIGHT,
                 returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
                 layer=selection_ring(by_id.get(selected)),
                 center=(focus.lat, focus.lon) if focus else None, zoom=SEARCH_ZOOM if focus else None)

with st.sidebar:
    st.header("Reports")
    with st.expander("Add reports", expanded=bool(state.get("outcomes")), icon=":material/upload_file:"):
        with st.form("add_reports", clear_on_submit=True, border=False):
            uploads = st.file_uploader("Report files", type=UPLOAD_TYPES, accept_multiple_files=True)
            pasted = st.text_area("…or paste a report", height=120)
            pasted_date = st.date_input("Date of the pasted report (optional)", value=None)
            if st.form_submit_button("Add to the map", type="primary"):
                files = [(f.name, f.getvalue()) for f in uploads or []]
                if pasted.strip():
                    header = f"date: {pasted_date.isoformat()}\n" if pasted_date else ""
                    files.append((f"pasted-{dt.datetime.now():%Y%m%d-%H%M%S}.txt", (header + pasted).encode("utf-8")))
                state["outcomes"] = add_reports(files, store) if files else [("info", "Nothing to add.")]
                st.rerun()  # draw the map again with the new reports
        for kind, message in state.get("outcomes", []):
            getattr(st, kind)(safe(message))

    st.header("Export")
    export_title = "Control map"
    st.download_button("Map as PNG", lambda: png_bytes(places, export_title, as_of), file_name="control-map.png",
                       mime="image/png", on_click="ignore", width="stretch")
    st.download_button("Map as HTML (self-contained)", lambda: export.map_html(places, title=export_title, as_of=as_of),
                       file_name="control-map.html", mime="text/html", on_click="ignore", width="stretch")
    st.download_button("Places as GeoJSON", lambda: json.dumps(export.to_geojson(places), ensure_ascii=False),
                       file_name="control-places.geojson", mime="application/geo+json", on_click="ignore",
                       width="stretch")
    st.download_button("Events as CSV", lambda: export.events_csv(
        [e for e in store.events(filters) if not filters.statuses or e.status in filters.statuses]),
        file_name="control-events.csv", mime="text/csv", on_click="ignore", width="stretch")
