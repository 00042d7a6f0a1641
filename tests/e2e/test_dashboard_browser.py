"""The dashboard in a real browser: markers drawn offline, a click fills the panel, no request leaves 127.0.0.1."""
from __future__ import annotations

import pytest

from scripts.appserver import map_frame
from tests.e2e.conftest import select_place

pytestmark = pytest.mark.browser

# From data/reports/2022-09-11_en_kharkiv-counteroffensive.txt, the sentence that names Kupiansk.
KUPIANSK_SENTENCE = "a rail junction on the Oskil river"


def test_click_on_kupiansk_shows_its_excerpts_and_nothing_leaves_the_machine(tmp_path, start_app, browser):
    url = start_app(tmp_path / "fresh.sqlite")  # empty: the app loads the bundled sample reports itself
    page = browser.open(url)  # waits for the markers inside the st_folium iframe

    panel = select_place(page, "Kupiansk", KUPIANSK_SENTENCE)

    assert panel.locator("h3").first.inner_text().strip() == "Kupiansk"
    assert "Kharkiv Oblast" in panel.inner_text()
    quote = panel.locator("blockquote", has_text=KUPIANSK_SENTENCE).first
    assert quote.locator("mark").first.inner_text() == "Kupiansk"  # the name is highlighted
    assert panel.locator("table.geo-history tr").count() >= 3  # header + one row per report
    leaflet = map_frame(page)
    leaflet.wait_for_selector("path.geo-selected", state="attached")  # the ring comes with the map, after the panel
    assert leaflet.locator("path.geo-selected").count() == 1

    page.wait_for_timeout(500)  # let late requests (tiles, fonts) be recorded too
    assert browser.requests, "no request was recorded"
    assert browser.foreign_requests() == []
    assert browser.page_errors == []


def test_search_box_selects_and_zooms_to_a_town(tmp_path, start_app, browser):
    url = start_app(tmp_path / "fresh.sqlite")
    page = browser.open(url)
    leaflet = map_frame(page)
    zoom_before = leaflet.evaluate("window.map.getZoom()")

    search = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    search.click()
    page.keyboard.type("Kupiansk")
    page.get_by_role("option", name="Kupiansk · Kharkiv Oblast").click()

    page.locator(".st-key-place_panel").get_by_text(KUPIANSK_SENTENCE).first.wait_for()
    leaflet.wait_for_selector("path.geo-selected", state="attached")
    leaflet.wait_for_function(f"() => window.map.getZoom() > {zoom_before}")
    center = leaflet.evaluate("window.map.getCenter()")
    assert abs(center["lat"] - 49.71) < 0.05 and abs(center["lng"] - 37.61) < 0.05
    assert browser.foreign_requests() == []


def test_upload_adds_a_report_and_names_the_file_that_failed(tmp_path, start_app, browser):
    good = tmp_path / "new-report.txt"
    good.write_text("date: 2024-03-01\nRussian forces captured Robotyne after weeks of assaults.\n", encoding="utf-8")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00" * 50)
    page = browser.open(start_app(tmp_path / "fresh.sqlite"))

    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Add reports").click()
    sidebar.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(good), str(bad)])
    sidebar.get_by_role("button", name="Add to the map").click()

    sidebar.get_by_text("✓ new-report.txt: added with").wait_for()
    assert sidebar.get_by_text("✗ broken.txt:").count() == 1  # the bad file is named, the good one still went in
    page.get_by_text("As of 2024-03-01").wait_for()  # the new report is on the map
    assert browser.foreign_requests() == []
