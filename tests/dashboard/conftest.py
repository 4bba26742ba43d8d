"""Fixtures of the dashboard's browser tests (../shared/TESTING.md).

- ``app_url``: ``streamlit run dashboard/app.py`` on a free local port, once per session;
  ready when ``/_stcore/health`` answers 200 (deadline below), stopped in the teardown. If it
  exits or never becomes healthy, the test fails with the server's log.
- ``browser``: Debian's chromium (``/usr/bin/chromium``) driven by playwright; never
  ``playwright install``, whose download cannot work here.
- ``page``: a fresh browser context (a new Streamlit session) at 1400x900 per test.
- ``screenshot``: saves the whole page, grown to the height of ``stMain`` (which scrolls inside
  itself), as a PNG under ``$CCPLAN_SCREENSHOTS`` or ``test-artifacts/screenshots/`` at the
  repository root, which CI keeps. Nothing is written into the package tree.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "dashboard" / "app.py"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 900}
#: Seconds the server may take to answer its health check (cold imports on a busy machine).
SERVER_DEADLINE_S = 90.0
#: Milliseconds a retrying ``expect`` waits (its own default is 5 s; reruns can take longer).
EXPECT_TIMEOUT_MS = 20_000
#: The app is connected and no script is running: the page is drawn (TESTING.md).
READY = ('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
         '[data-test-script-state="notRunning"]')


def screenshots_folder() -> Path:
    """Where screenshots go: ``$CCPLAN_SCREENSHOTS`` or ``test-artifacts/screenshots/``."""
    folder = os.environ.get("CCPLAN_SCREENSHOTS")
    return Path(folder) if folder else REPO / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a dashboard served by ``streamlit run`` for this test session."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "streamlit", "run", str(APP),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + SERVER_DEADLINE_S
            while not _healthy(url):
                if server.poll() is not None:
                    pytest.fail(f"streamlit exited with code {server.returncode} before it "
                                f"was healthy; its log:\n{log_path.read_text(errors='replace')}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit was not healthy within {SERVER_DEADLINE_S:g} s on "
                                f"{url}; its log:\n{log_path.read_text(errors='replace')}")
                time.sleep(0.25)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium, headless, through playwright (one for the session)."""
    from playwright.sync_api import expect, sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM,
                                      args=["--disable-gpu", "--disable-quic"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, app_url: str) -> Iterator[object]:
    """A new session of the dashboard at 1400x900, with the app drawn."""
    context = browser.new_context(viewport=dict(VIEWPORT))
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    tab = context.new_page()
    try:
        tab.goto(app_url)
        wait_ready(tab)
        yield tab
    finally:
        context.close()


def wait_ready(page) -> None:
    """Wait until the app is connected and its script has finished (the page is drawn)."""
    from playwright.sync_api import expect

    expect(page.locator(READY)).to_have_count(1, timeout=30_000)


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, name, width=1400)``: the whole page, ``width`` px wide, as
    ``<folder>/<name>.png``; returns the path. The page is back at 1400x900 afterwards."""

    def take(page, name: str, width: int = VIEWPORT["width"]) -> Path:
        if width != page.viewport_size["width"]:
            page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
        wait_ready(page)
        height = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.body.scrollHeight; }")
        page.set_viewport_size({"width": width,
                                "height": max(VIEWPORT["height"], int(height))})
        try:
            # Two animation frames: the page has laid itself out at the new height.
            page.evaluate("() => new Promise(done => requestAnimationFrame("
                          "() => requestAnimationFrame(done)))")
            page.wait_for_timeout(100)
            wait_ready(page)
            folder = screenshots_folder()
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{name}.png"
            page.screenshot(path=str(path), full_page=True)
            return path
        finally:
            page.set_viewport_size(dict(VIEWPORT))

    return take


#: Texts the page cuts with an ellipsis: a label, value or button too wide for its box.
_CUT_TEXTS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
  .filter(e => {
  const style = getComputedStyle(e);
  return style.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1
         && e.offsetParent !== null && e.textContent.trim();
}).map(e => e.textContent.trim())"""
#: The widths every page is looked at (issue 18).
WIDTHS = (1400, 1000)


def cut_texts(page) -> list[str]:
    """The texts of the page shown cut off with an ellipsis (none on a readable page)."""
    return list(page.evaluate(_CUT_TEXTS))


def at_both_widths(page, screenshot, name: str) -> None:
    """At 1400 and 1000 px: nothing cut off, and the page saved as ``<name>-<width>.png``."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": VIEWPORT["height"]})
        page.wait_for_timeout(500)
        wait_ready(page)
        assert not cut_texts(page), f"cut off at {width} px: {cut_texts(page)}"
        screenshot(page, f"{name}-{width}", width=width)


def upload(page, name: str, text: str) -> None:
    """Upload a scenario file on the Scenarios page and pick it."""
    from playwright.sync_api import expect

    page.locator('[data-testid="stExpander"]').filter(
        has_text="Upload a scenario file (YAML)").locator("summary").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/x-yaml", "buffer": text.encode("utf-8")}])
    expect(page.locator('[data-testid="stFileChipName"]')).to_have_text(name)
    from tests.dashboard.test_browser import choose

    choose(page, "Scenario file", f"uploaded: {name}")


def metric_values(page, *, wait_for: str | None = None) -> dict[str, str]:
    """The metrics shown: label -> value, as the page writes them.

    ``wait_for``: a label that must be among them; the cards are read again (the page may
    still be drawing them after a rerun) until it is, for up to EXPECT_TIMEOUT_MS.
    """
    cards = page.locator('[data-testid="stMetric"]')
    deadline = time.monotonic() + EXPECT_TIMEOUT_MS / 1000
    while True:
        wait_ready(page)
        shown = {cards.nth(i).locator('[data-testid="stMetricLabel"]').inner_text().strip():
                 cards.nth(i).locator('[data-testid="stMetricValue"]').inner_text().strip()
                 for i in range(cards.count())}
        if wait_for is None or wait_for in shown or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(250)
