"""Browser tests: the real app (`streamlit run dashboard.py`) on a free local port, driven by /usr/bin/chromium.

The subprocess and browser helpers live in scripts/appserver.py (shared with the benchmark and the
screenshot script); these fixtures wrap them. Every test here is marked `browser`.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts.appserver import CHROMIUM, PANEL, browser_context, click_place, running_app, wait_for_markers


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"needs {CHROMIUM} (make chromium)"))


@pytest.fixture
def start_app(tmp_path):
    """start_app(db_path) -> base URL of the dashboard serving that database; stopped after the test."""
    with contextlib.ExitStack() as stack:
        def start(db_path: Path) -> str:
            return stack.enter_context(running_app(db_path, log_path=tmp_path / "streamlit.log"))
        yield start


class Browser:
    """A fresh Chromium profile that records every request of every page and frame, and every dialog."""

    def __init__(self, context):
        self.context = context
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str):
        page = self.context.new_page()
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.goto(url)
        wait_for_markers(page)
        return page

    def foreign_requests(self) -> list[str]:
        """Requests to anything but this machine (data:, blob: and about: URLs are local)."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def browser():
    with browser_context() as context:
        yield Browser(context)


def select_place(page, name: str, expect_text: str, timeout: float = 20_000):
    """Click `name`'s marker (once more if the first click did not land) until the panel shows `expect_text`."""
    panel = page.locator(PANEL)
    for attempt in range(2):
        click_place(page, name)
        try:
            panel.get_by_text(expect_text, exact=False).first.wait_for(timeout=timeout)
            return panel
        except Exception:
            if attempt:
                raise
    return panel
