"""mapview sends streamlit-folium's component exactly what st_folium would, from a payload serialised once."""
from __future__ import annotations

import folium
import pytest
import streamlit_folium

import mapview
from geo.mapping import build_map
from geo.store import PlaceStatus

PLACES = [PlaceStatus(f"p{i}", name, lat, lon, "UA", "Kharkiv Oblast", "exact", status, None, "2022-09-10",
                      "2022-09-10", "Wire", 1)
          for i, (name, lat, lon, status) in enumerate([("Kupiansk", 49.71, 37.62, "ukraine"),
                                                        ("Izium", 49.21, 37.26, "russia"),
                                                        ("Lyman", 48.99, 37.80, "contested")])]
RETURNED = ["last_object_clicked_tooltip", "last_object_clicked"]


def ring() -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Selected", control=False)
    return group.add_child(folium.CircleMarker([49.71, 37.62], radius=15, fill=False))


@pytest.fixture
def sent(monkeypatch):
    """The keyword arguments each call hands to the component (no Streamlit runtime needed)."""
    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs) or kwargs["default"])
    return calls


@pytest.mark.parametrize("with_layer", [False, True])
def test_payload_matches_st_folium(sent, with_layer):
    streamlit_folium.st_folium(build_map(PLACES), key="control_map", returned_objects=RETURNED, height=640,
                               use_container_width=True, feature_group_to_add=ring() if with_layer else None,
                               center=(49.7, 37.6), zoom=10)
    value = mapview.show(mapview.serialise(build_map(PLACES)), key="control_map", returned_objects=RETURNED,
                         height=640, layer=ring() if with_layer else None, center=(49.7, 37.6), zoom=10)
    expected, actual = sent
    assert value == {"last_object_clicked_tooltip": None, "last_object_clicked": None}
    assert expected.keys() == actual.keys()
    for name in expected:
        if name != "on_change":
            assert actual[name] == (list(expected[name]) if name == "center" else expected[name]), name
    assert "Kupiansk" in actual["script"]


def test_a_cached_payload_can_be_shown_again_and_again(sent):
    payload = mapview.serialise(build_map(PLACES))
    for _ in range(3):
        mapview.show(payload, key="control_map", returned_objects=RETURNED, layer=ring())
    assert len({call["key"] for call in sent}) == 1  # same component instance: the browser keeps the map
    assert len({call["script"] for call in sent}) == 1
