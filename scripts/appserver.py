"""Run the dashboard on a free local port and drive it with Debian's Chromium (Playwright).

Shared by tests/e2e, bench/dashboard.py and scripts/screenshot.py::

    with running_app(db_path) as url, browser_context() as context:
        page = context.new_page()
        page.goto(url)
        frame = wait_for_markers(page)
        click_place(page, "Kupiansk")

Never downloads a browser: it uses /usr/bin/chromium.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = REPO_ROOT / "dashboard.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# geo.mapping's marker script sets body[data-geo-markers] once it has added the places; they are drawn as
# CircleMarkers (SVG paths in the overlay pane, like the oblast outlines) or as clusters in the marker pane.
MARKERS_DRAWN = ("document.body.dataset.geoMarkers !== undefined && !!document.querySelector("
                 "'.leaflet-marker-pane > *, .leaflet-overlay-pane path.leaflet-interactive')")
PANEL = ".st-key-place_panel"  # the container beside the map that shows the selected place


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not become healthy in {timeout:.0f} s")


@contextlib.contextmanager
def running_app(db_path: str | Path, port: int | None = None, log_path: str | Path | None = None,
                app: Path = APP) -> Iterator[str]:
    """`streamlit run dashboard.py` on 127.0.0.1:<free port> with GEO_DB_URL=db_path; yields the base URL."""
    port = port or free_port()
    env = {**os.environ, "GEO_DB_URL": str(db_path), "PYTHONUNBUFFERED": "1"}
    log = open(log_path, "wb") if log_path else tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextlib.contextmanager
def browser_context(width: int = 1600, height: int = 1000):
    """A fresh headless Chromium profile (Playwright, /usr/bin/chromium)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height})
        try:
            yield context
        finally:
            context.close()


def map_frame(page, timeout: float = 60_000):
    """The Leaflet map's frame, once the map object exists inside it."""
    page.wait_for_selector(MAP_IFRAME, timeout=timeout)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container").first.wait_for(timeout=timeout)
    handle = page.query_selector(MAP_IFRAME).content_frame()
    handle.wait_for_function("() => window.map && Object.keys(window.map._layers).length > 0", timeout=timeout)
    return handle


def wait_for_markers(page, timeout: float = 60_000):
    """Wait until markers (or marker clusters) are drawn in the map iframe; returns the iframe's Frame."""
    frame = map_frame(page, timeout)
    frame.wait_for_function(f"() => {MARKERS_DRAWN}", timeout=timeout)
    return frame


# Finds the marker whose tooltip starts with `name`, un-clusters it if needed, and
# returns its position in the iframe's viewport (a real mouse click goes there).
_LOCATE_JS = """
async (name) => {
  const want = name.toLowerCase();
  const text = (html) => {
    const d = document.createElement('div'); d.innerHTML = html; return d.textContent.trim(); };
  const all = [];  // [layer, its MarkerClusterGroup or null, tooltip text]
  const visit = (layer, cluster) => {
    if (layer.getLayers && !layer.getTooltip?.()) {
      layer.getLayers().forEach(l => visit(l, layer._featureGroup ? layer : cluster)); return; }
    const tip = layer.getTooltip && layer.getTooltip();
    if (!tip || !layer.getLatLng) return;
    const content = tip.getContent();
    all.push([layer, cluster, text(typeof content === 'string' ? content : content.innerHTML || '')]);
  };
  Object.values(window.map._layers).forEach(l => visit(l, null));
  const hit = all.find(([, , t]) => t.toLowerCase() === want)
    || all.find(([, , t]) => t.toLowerCase().startsWith(want + ' '));
  if (!hit) return null;
  const [layer, cluster] = hit;
  window.map.closePopup();  // an open popup can cover the marker
  if (cluster && !window.map.hasLayer(layer)) await new Promise(done => cluster.zoomToShowLayer(layer, done));
  // Zoom in until this marker is the topmost element under its centre (neighbours can overlap it).
  const box = window.map.getContainer().getBoundingClientRect();
  let p = null;
  for (let zoom = window.map.getZoom(); zoom <= window.map.getMaxZoom(); zoom++) {
    window.map.setView(layer.getLatLng(), zoom, {animate: false});
    if (cluster && !window.map.hasLayer(layer)) await new Promise(done => cluster.zoomToShowLayer(layer, done));
    await new Promise(requestAnimationFrame);
    p = window.map.latLngToContainerPoint(layer.getLatLng());
    const top = document.elementFromPoint(box.left + p.x, box.top + p.y);
    const mine = layer._path || layer._icon;
    if (top && mine && (top === mine || mine.contains(top))) break;
  }
  return {x: box.left + p.x, y: box.top + p.y, tooltip: hit[2]};
}
"""


def locate_place(page, name: str) -> dict:
    """Page coordinates of the marker whose tooltip names `name` (scrolled into view)."""
    frame = map_frame(page)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    spot = frame.evaluate(_LOCATE_JS, name)
    if spot is None:
        raise LookupError(f"no marker with a tooltip for {name!r}")
    box = page.locator(MAP_IFRAME).bounding_box()
    return {"x": box["x"] + spot["x"], "y": box["y"] + spot["y"], "tooltip": spot["tooltip"]}


def click_place(page, name: str) -> str:
    """Really click (mouse) the marker of `name`; returns its tooltip text."""
    spot = locate_place(page, name)
    page.mouse.move(spot["x"], spot["y"])
    page.mouse.click(spot["x"], spot["y"])
    return spot["tooltip"]


# Timestamps on one clock (timeOrigin + now) in the map frame and in the page: pointerdown on the
# marker -> the panel's heading names the place and an excerpt quotes it -> the next frame is painted.
_ARM_FRAME_JS = """() => { window.__downAt = null; window.addEventListener('pointerdown',
    () => { window.__downAt = performance.timeOrigin + performance.now(); }, {capture: true, once: true}); }"""
_ARM_PAGE_JS = """(name) => {
  window.__panelAt = null;
  const panel = () => document.querySelector('%s');
  const ready = () => {
    const p = panel(), h = p && p.querySelector('h3');
    return h && h.textContent.includes(name)
      && [...p.querySelectorAll('blockquote')].some(b => b.textContent.includes(name)); };
  const observer = new MutationObserver(() => { if (!ready()) return; observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      window.__panelAt = performance.timeOrigin + performance.now(); }, 0)); });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
}""" % PANEL


def timed_click(page, name: str, timeout: float = 30_000) -> float:
    """Click `name`'s marker; seconds until the panel with its excerpt is painted (timed in the browser)."""
    spot = locate_place(page, name)
    page.mouse.move(spot["x"], spot["y"])
    frame = map_frame(page)
    frame.evaluate(_ARM_FRAME_JS)
    page.evaluate(_ARM_PAGE_JS, name)
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function("() => window.__panelAt !== null", timeout=timeout)
    return (page.evaluate("window.__panelAt") - frame.evaluate("window.__downAt")) / 1000


# Init script (every frame): when the first marker or cluster is added to a Leaflet map, note the time.
MARKER_CLOCK_JS = """
window.__markersAt = null;
const __markerPoll = setInterval(() => {  // polled: an observer set this early misses the frame's real document
  if (document.body && %s) {
    clearInterval(__markerPoll);
    requestAnimationFrame(() => setTimeout(() => {
      window.__markersAt = performance.timeOrigin + performance.now(); }, 0));
  }
}, 5);
""" % MARKERS_DRAWN


def timed_load(page, url: str, timeout: float = 60_000) -> float:
    """Seconds from navigation start to the first markers painted in the map (needs MARKER_CLOCK_JS)."""
    page.goto(url)
    frame = wait_for_markers(page, timeout)
    frame.wait_for_function("() => window.__markersAt !== null", timeout=timeout)
    return (frame.evaluate("window.__markersAt") - page.evaluate("performance.timeOrigin")) / 1000
