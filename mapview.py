"""st_folium, but the folium Map is serialised once per data/filter state instead of on every rerun.

Every Streamlit rerun (a click on a marker is one) must send the map component again.
`st_folium` renders the whole folium Map to JavaScript each time: about 0.3 s of
CPU for 2,000 places, which also holds the GIL while the panel's answer waits to
be sent. A Map cannot simply be cached and passed again: st_folium renames its
elements while serialising, and a second serialisation emits references to
variables that no longer exist.

So `serialise(m)` does st_folium's rendering steps once (callers cache the
result), and `show(payload, ...)` hands that payload to streamlit-folium's own
component, with what changes per run (the selection layer, the view) passed
beside it. Same component, same frontend, same session-state key behaviour as
`st_folium(m, key=..., returned_objects=..., use_container_width=True)`.

Uses streamlit-folium 0.27 internals (pinned <0.28 in requirements.txt);
tests/test_mapview.py checks the payload equals what st_folium itself sends.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium as sf


@dataclass(frozen=True)
class MapPayload:
    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def serialise(m: folium.Map) -> MapPayload:
    """The component arguments st_folium(m, render=False) would compute (consumes `m`: don't reuse it)."""
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    stack = [m]
    while stack:  # the order st_folium walks the tree in, depth first
        element = stack.pop()
        css += [href for _, href in getattr(element, "default_css", [])]
        js += [src for _, src in getattr(element, "default_js", [])]
        stack.extend(reversed(list(getattr(element, "_children", {}).values())))
    return MapPayload(script, header, html, sf.get_full_id(m), tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js)))


def _layer_script(layer: folium.FeatureGroup) -> str:
    """st_folium's `feature_group_to_add` JavaScript, built on a throwaway map."""
    return sf._get_feature_group_string(layer, map=folium.Map(tiles=None), idx=0)


def show(payload: MapPayload, *, key: str, returned_objects: Sequence[str], height: int = 700,
         layer: folium.FeatureGroup | None = None, center: tuple[float, float] | None = None,
         zoom: int | None = None) -> dict:
    """Draw the map full width; `layer` and the view change without reloading it. Returns the clicked fields."""
    hash_key = sf.generate_js_hash(payload.script, key, False)

    def on_change() -> None:  # as st_folium: the latest value also lands in st.session_state[key]
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=payload.script, header=payload.header, html=payload.html, id=payload.map_id, key=hash_key,
        height=height, width=None, returned_objects=list(returned_objects),
        default={name: None for name in returned_objects},  # st_folium's default for the click fields
        zoom=zoom, center=list(center) if center else None,
        feature_group=_layer_script(layer) if layer is not None else None, return_on_hover=False,
        layer_control=None, pixelated=False, css_links=list(payload.css_links), js_links=list(payload.js_links),
        on_change=on_change, wrap_longitude=False)
