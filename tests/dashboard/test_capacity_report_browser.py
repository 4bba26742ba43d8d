"""The capacity report (``ccplan capacity``'s capacity.html) in Debian's chromium.

In this folder for the session's one browser (``browser`` in conftest.py): a second
``sync_playwright`` in the same process fails while the session's is open. The plans are the
ones ``tests/scenarios/test_capacity_report.py`` builds per the contract.
"""

from __future__ import annotations

import re

import pytest

from scenarios.report import capacity_report_html
from tests.dashboard.conftest import screenshots_folder
from tests.scenarios.test_capacity_report import capacity_result


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 1000])
def test_report_in_chromium(tmp_path, browser, width):
    plans = [capacity_result(scenario="bank / 8x5", groups=("voice_team", "chat_team")),
             capacity_result(scenario="bank / 24x7", scale=1.3)]
    path = tmp_path / "capacity.html"
    path.write_text(capacity_report_html(plans), encoding="utf-8")
    n_charts = len(re.findall(r'class="plotly-graph-div"', path.read_text()))
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(path.as_uri())
        page.wait_for_function(f"document.querySelectorAll('.main-svg').length >= {n_charts}")
        assert errors == []
        # Every chart drew its traces; nothing runs off the page sideways.
        assert page.locator(".js-plotly-plot").count() == n_charts
        assert page.locator(".js-plotly-plot .scatterlayer path.js-line").count() > 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # The comparison table (the headline numbers of several plans) is on the first screen.
        box = page.locator("table").first.bounding_box()
        assert box is not None and box["y"] + box["height"] < 900
        folder = screenshots_folder()
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"capacity-report-{width}.png"), full_page=True)
    finally:
        context.close()
