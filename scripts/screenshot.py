#!/usr/bin/env python3
"""Screenshot of the dashboard with Kupiansk selected: the real app on the sample reports, in headless Chromium.

    python scripts/screenshot.py [OUT.png]      (default docs/dashboard.png; 1600x1000)

Starts `streamlit run dashboard.py` on a free local port with a fresh database (the app loads the
bundled sample reports on first start), clicks Kupiansk's marker and saves the page.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from appserver import (PANEL, REPO_ROOT, browser_context, click_place, map_frame, running_app,  # noqa: E402
                       wait_for_markers)

PLACE = "Kupiansk"
EXCERPT = "a rail junction on the Oskil river"  # data/reports/2022-09-11_en_kharkiv-counteroffensive.txt


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else REPO_ROOT / "docs" / "dashboard.png").resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="geo-shot-") as tmp, \
            running_app(Path(tmp) / "control.sqlite") as url, browser_context(1600, 1000) as context:
        page = context.new_page()
        page.goto(url)
        wait_for_markers(page, timeout=120_000)
        click_place(page, PLACE)
        page.locator(PANEL).get_by_text(EXCERPT).first.wait_for(timeout=30_000)
        leaflet = map_frame(page)
        leaflet.evaluate("""() => { window.map.closePopup();
            window.map.eachLayer(l => l.closeTooltip && l.closeTooltip()); }""")
        leaflet.evaluate("window.map.setView([48.9, 37.3], 7, {animate: false})")  # the north-east (tiles stop at z6)
        page.mouse.move(5, 995)  # no hover tooltip in the picture
        page.wait_for_timeout(1500)  # tiles
        page.screenshot(path=str(out))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
