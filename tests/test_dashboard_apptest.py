"""dashboard.py under Streamlit's AppTest: it starts on an empty database, draws the map, and answers a click."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.mapping import marker_tooltip
from geo.store import Store

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
# From data/reports/2022-09-11_en_kharkiv-counteroffensive.txt, the sentence that names Kupiansk.
KUPIANSK_SENTENCE = "a rail junction on the Oskil river"


def panel_text(at: AppTest) -> str:
    """Everything the panel's markdown says, as plain text."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", md.value)) for md in at.markdown)


@pytest.fixture
def app(tmp_path, monkeypatch):
    db = tmp_path / "control.sqlite"
    monkeypatch.setenv("GEO_DB_URL", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at, Store(db)


def test_first_start_loads_the_sample_reports_and_draws_the_map(app):
    at, store = app
    assert store.counts()["reports"] >= 16
    maps = at.get("component_instance")
    assert [m.proto.component_name for m in maps] == ["streamlit_folium.st_folium"]
    assert "Kupiansk" in maps[0].proto.json_args  # the markers travel inside the map's script
    assert at.title[0].value == "Control map"
    assert re.search(r"As of \*\*\d{4}-\d{2}-\d{2}\*\*", at.markdown[0].value)
    assert "Select a place" in panel_text(at)


def test_click_on_kupiansk_fills_the_panel(app):
    at, store = app
    kupiansk = next(p for p in store.latest_status() if p.name == "Kupiansk")
    at.session_state["control_map"] = {"last_object_clicked_tooltip": marker_tooltip(kupiansk),
                                       "last_object_clicked": {"lat": kupiansk.lat, "lng": kupiansk.lon}}
    at.run()
    assert not at.exception, at.exception
    assert any(md.value == "### Kupiansk" for md in at.markdown)
    text = panel_text(at)
    assert KUPIANSK_SENTENCE in text
    assert "<mark>Kupiansk</mark>" in " ".join(md.value for md in at.markdown)
    assert "Status history" in text and "Kharkiv Oblast" in " ".join(c.value for c in at.caption)


def test_click_without_tooltip_falls_back_to_the_nearest_place(app):
    at, store = app
    kupiansk = next(p for p in store.latest_status() if p.name == "Kupiansk")
    at.session_state["control_map"] = {"last_object_clicked_tooltip": None,
                                       "last_object_clicked": {"lat": kupiansk.lat + 0.005, "lng": kupiansk.lon}}
    at.run()
    assert any(md.value == "### Kupiansk" for md in at.markdown)


def test_click_on_an_oblast_outline_selects_nothing(app):
    at, _ = app
    at.session_state["control_map"] = {"last_object_clicked_tooltip": "Oblast: Kharkiv Oblast",
                                       "last_object_clicked": {"lat": 49.7, "lng": 37.6}}
    at.run()
    assert "Select a place" in panel_text(at)


def test_search_box_selects_a_town(app):
    at, store = app
    izium = next(p for p in store.latest_status() if p.name == "Izium")
    at.selectbox(key="search").set_value(izium.place_id).run()
    assert not at.exception, at.exception
    assert any(md.value == "### Izium" for md in at.markdown)


def test_status_filter_narrows_the_map(app):
    at, store = app
    before = at.markdown[0].value
    at.multiselect[0].set_value(["russia"]).run()
    russian = sum(1 for p in store.latest_status() if p.status == "russia")
    assert f"· {russian} places ·" in at.markdown[0].value and at.markdown[0].value != before


def test_pasted_report_is_added_and_shown(app):
    at, store = app
    before = store.counts()["reports"]
    at.text_area[0].input("date: 2024-02-17\nRussian forces captured Avdiivka after months of fighting.")
    at.button(key="FormSubmitter:add_reports-Add to the map").click().run()
    assert not at.exception, at.exception
    assert store.counts()["reports"] == before + 1
    assert any("✓" in s.value and "added with" in s.value for s in at.success)
    assert "2024-02-17" in at.markdown[0].value  # the new report moved the "as of" date
    at.text_area[0].input("date: 2024-02-17\nRussian forces captured Avdiivka after months of fighting.")
    at.button(key="FormSubmitter:add_reports-Add to the map").click().run()
    assert any("already stored" in s.value for s in at.info)
