"""Report text is data, never markup: a report carrying script and event-handler HTML runs nothing in the dashboard."""
from __future__ import annotations

import json

import pytest

from geo.ingest import ingest_uploads
from geo.store import Store
from scripts.appserver import map_frame
from tests.e2e.conftest import select_place

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1;alert(1)">'
SCRIPT = "<script>window.__pwned=1;alert(2)</script>"
TEXT = (f"Ukrainian forces retook Kupiansk {IMG} on Saturday. {SCRIPT} "
        "Residents of Kupiansk <b onmouseover=\"window.__pwned=1\">cheered</b> [link](javascript:window.__pwned=1) "
        "and $x$ :red[stayed].")
REPORT = {"date": "2023-11-20", "source": '<svg onload="window.__pwned=1;alert(3)">Wire', "text": TEXT}


@pytest.fixture
def hostile_db(tmp_path, extractor):
    db = tmp_path / "hostile.sqlite"
    store = Store(db)
    outcomes = ingest_uploads([("hostile<img src=x onerror=alert(4)>.json", json.dumps([REPORT]).encode())],
                              store, extractor)
    assert outcomes and outcomes[0].ok and outcomes[0].events >= 1, outcomes
    store.close()
    return db


def test_script_in_a_report_never_runs(hostile_db, start_app, browser):
    page = browser.open(start_app(hostile_db))
    panel = select_place(page, "Kupiansk", "retook")
    panel.hover()  # would fire an onmouseover handler if one had been rendered
    panel.get_by_text("cheered").first.hover()
    page.wait_for_timeout(500)

    text = panel.inner_text()
    assert IMG in text and "<script>" in text  # shown as text, escaped
    assert '<svg onload="window.__pwned=1;alert(3)">Wire' in text  # the source too
    assert "[link](javascript:window.__pwned=1)" in text and "$x$" in text and ":red[stayed]" in text  # not Markdown
    report_html = panel.locator(".geo-excerpt, table.geo-history")
    assert report_html.count() >= 2
    assert panel.locator(".geo-excerpt img, .geo-excerpt script, .geo-excerpt svg, .geo-excerpt a, "
                         ".geo-history img, .geo-history svg, .geo-history a").count() == 0
    assert panel.locator("[onerror], [onload], [onmouseover], a[href^='javascript']").count() == 0
    assert panel.locator("mark", has_text="Kupiansk").count() >= 1
    assert page.evaluate("typeof window.__pwned") == "undefined"
    for frame in page.frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
    popup_markup = "document.querySelectorAll('.leaflet-popup-content img, .leaflet-popup-content svg').length"
    assert map_frame(page).evaluate(popup_markup) == 0
    assert browser.dialogs == []
    assert browser.foreign_requests() == []
