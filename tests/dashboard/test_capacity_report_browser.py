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
        # ... and shows each plan's summary, money headed with the currency.
        header, *rows = page.evaluate("""() => [...document.querySelector('table').rows]
            .map(r => [...r.cells].map(c => c.innerText.trim().replace(/\\s+/g, ' ')))""")
        assert header[:5] == ["scenario", "annual cost (XTS)", "cost over the horizon (XTS)",
                              "hires", "lowest weekly coverage"]
        assert "insurance cost (XTS)" in header and "currency" not in header
        for plan, row in zip(plans, rows, strict=True):
            shown = dict(zip(header, row, strict=True))
            summary = plan.summary
            assert shown["scenario"] == plan.scenario
            assert shown["annual cost (XTS)"] == f"{summary['annual_cost']:,.0f}"
            assert shown["cost over the horizon (XTS)"] == f"{summary['cost']:,.0f}"
            assert shown["hires"] == f"{summary['hires_total']:,.0f}"
            assert shown["lowest weekly coverage"] == \
                f"{100 * summary['min_weekly_coverage']:.1f}%"
            assert shown["insurance cost (XTS)"] == f"{summary['insurance_cost']:,.0f}"
        # The first plan's headline cards: its annual cost first, with the currency.
        card = page.locator("div.headline > div").first.inner_text().split("\n")
        assert card == [f"{plans[0].summary['annual_cost']:,.0f}", "annual cost (XTS)"]
        folder = screenshots_folder()
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"capacity-report-{width}.png"), full_page=True)
    finally:
        context.close()
