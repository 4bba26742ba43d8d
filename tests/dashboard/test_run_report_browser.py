"""The report of ``ccplan run`` (report.html) and ``ccplan compare`` (comparison.html) in
Debian's chromium: the numbers a reader sees are the result tables' numbers.

In this folder for the session's one browser (``browser`` in conftest.py). The pages are
built as the CLI builds them (``run_report_html`` into ``write_bundle``'s folder,
``comparison_report_html``) from real runs of the bundled examples; the expected numbers are
read back from the written CSV files (totals, shifts, intervals, cost breakdown) and
formatted here, each with its unit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scenarios import check_expectations, load_scenarios, run_many
from scenarios.report import comparison_report_html, run_report_html, write_bundle
from tests.dashboard.conftest import screenshots_folder

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
#: The four by-interval charts of a scenario's section (div ids after its prefix).
INTERVAL_CHARTS = ("volumes", "agents", "service-level", "asa")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """retail_bank's run folder (base, extended, 24x7) and its comparison with blended.yaml."""
    folder = tmp_path_factory.mktemp("reports")
    runs = {}
    for name in ("retail_bank", "blended"):
        results, failures = run_many(load_scenarios(EXAMPLES / f"{name}.yaml"), workers=2)
        assert failures == []
        runs[name] = results
    bank = runs["retail_bank"]
    outcomes = [o for r in bank for o in check_expectations(r)]
    write_bundle(bank, folder / "bank", report_html=run_report_html(bank, outcomes=outcomes),
                 outcomes=outcomes)
    comparison = folder / "comparison.html"
    comparison.write_text(comparison_report_html(bank + runs["blended"]), encoding="utf-8")
    return {"bank": folder / "bank", "comparison": comparison}


def _open(browser, path: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri())
    n_charts = path.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {n_charts}")
    return context, page, errors


def _shot(page, name: str) -> None:
    folder = screenshots_folder()
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _peak_on_shift(shifts: pd.DataFrame, starts: pd.Series) -> float:
    """Brute force: at every interval start, the agents of the shifts covering it."""
    if shifts.empty:
        return float("nan")
    begin = pd.to_datetime(shifts["shift_start"], utc=True)
    end = begin + pd.to_timedelta(shifts["duration_s"], unit="s")
    return float(max(int(shifts.loc[(begin <= t) & (t < end), "headcount"].sum())
                     for t in pd.to_datetime(starts.unique(), utc=True)))


def _headline_texts(totals: pd.Series, peak: float, currency: str) -> dict[str, str]:
    """The headline boxes as the reader should see them, units included."""
    return {
        "cost": f"{totals['cost']:,.2f} {currency}",
        "cost_per_contact": f"{totals['cost_per_contact']:,.2f} {currency}",
        "service_level": f"{100 * totals['service_level']:.1f}%",
        "asa_s": f"{totals['asa_s']:.1f} s",
        "abandon_rate": f"{100 * totals['abandon_rate']:.1f}%",
        "occupancy": f"{100 * totals['occupancy']:.1f}%",
        "fte": f"{totals['fte']:,.2f} FTE",
        "headcount": f"{totals['headcount']:,.0f} agents",
        "peak_agents_on_shift": f"{peak:,.0f} agents",
    }


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 1000])
def test_run_report_shows_every_scenario_with_its_table_numbers(browser, pages, width):
    folder = pages["bank"]
    totals = pd.read_csv(folder / "totals.csv")
    shifts = pd.read_csv(folder / "shifts.csv")
    intervals = pd.read_csv(folder / "intervals.csv")
    breakdown = pd.read_csv(folder / "cost_breakdown.csv")
    context, page, errors = _open(browser, folder / "report.html", width)
    try:
        sections = page.locator("details.scenario")
        assert sections.count() == len(totals) == 3
        # The base is open, the variants closed (the reader opens the one they want).
        assert page.locator("details.scenario[open]").count() == 1
        assert page.locator("details#scenario-1").get_attribute("open") is not None
        for k, row in totals.iterrows():
            name = row["scenario"]
            peak = _peak_on_shift(shifts[shifts["scenario"] == name],
                                  intervals.loc[intervals["scenario"] == name, "interval_start"])
            section = page.locator(f"details#scenario-{k + 1}")
            section.evaluate("d => { d.open = true; }")
            for kpi, text in _headline_texts(row, peak, "GBP").items():
                shown = section.locator(f'[data-kpi="{kpi}"] .kpi-value').inner_text()
                assert shown == text, (name, kpi)
            # The comparison table at the top says the same headcount and peak.
            cells = page.locator("table").first.locator("tbody tr").nth(k).locator("td")
            header = [h.strip() for h in
                      page.locator("table").first.locator("thead th").all_inner_texts()]
            assert cells.nth(header.index("headcount (agents)")).inner_text() == \
                f"{row['headcount']:,.0f}"
            assert cells.nth(header.index("peak agents on shift (agents)")).inner_text() == \
                f"{peak:,.0f}"
            prefix = "ccplan" if k == 0 else f"ccplan-{k + 1}"
            # A chart drawn while its section was closed fills the section once opened.
            page.wait_for_timeout(300)
            plot_width = page.evaluate(
                f"document.getElementById('{prefix}-volumes').getBoundingClientRect().width")
            section_width = section.bounding_box()["width"]
            assert plot_width > 0.85 * section_width, (name, plot_width, section_width)
            # The four by-interval charts show one range: they end on the same day.
            ranges = {tuple(page.evaluate(
                f"document.getElementById('{prefix}-{chart}')._fullLayout.xaxis.range"))
                for chart in INTERVAL_CHARTS}
            assert len(ranges) == 1, ranges
            # Each bar of the cost breakdown sums to the scenario's cost (totals.csv), and
            # to the cost_breakdown.csv rows of its view.
            bars = page.evaluate(
                f"document.getElementById('{prefix}-cost-breakdown').data"
                ".map(t => [t.y[0], t.x[0]])")
            by_view: dict[str, float] = {}
            for view, amount in bars:
                by_view[view] = by_view.get(view, 0.0) + amount
            mine = breakdown[breakdown["scenario"] == name]
            assert len(by_view) == 2
            for view_total, group in zip(by_view.values(), ("component", "use"), strict=True):
                assert view_total == pytest.approx(row["cost"], rel=1e-9)
                assert view_total == pytest.approx(
                    mine.loc[mine["group"] == group, "amount"].sum(), rel=1e-9)
        # A day button narrows the chart to that day.
        page.locator("#ccplan-volumes .updatemenu-button").nth(2).click()
        page.wait_for_timeout(300)
        day = page.evaluate("document.getElementById('ccplan-volumes')._fullLayout.xaxis.range")
        assert pd.Timestamp(day[1]) - pd.Timestamp(day[0]) == pd.Timedelta(days=1)
        page.locator("#ccplan-volumes .updatemenu-button").nth(0).click()
        assert errors == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, f"run-report-{width}")
    finally:
        context.close()


def _overlaps(boxes: list[dict]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j
            and a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 1000])
def test_comparison_page_numbers_basis_and_labels(browser, pages, width):
    context, page, errors = _open(browser, pages["comparison"], width)
    bank = pd.read_csv(pages["bank"] / "totals.csv")
    try:
        header = [h.strip() for h in page.locator("table").first.locator("thead th")
                  .all_inner_texts()]
        rows = page.locator("table").first.locator("tbody tr")
        for k, row in bank.iterrows():
            cells = rows.nth(k).locator("td")
            # Two currencies: every amount names its own.
            assert cells.nth(header.index("cost")).inner_text() == f"{row['cost']:,.2f} GBP"
            assert cells.nth(header.index("headcount (agents)")).inner_text() == \
                f"{row['headcount']:,.0f}"
        solver = cells.nth(header.index("shift schedule (solver)")).inner_text()
        assert solver.startswith("optimal within ") and solver.endswith("%")
        # The legend and the table say which basis each frontier judges on.
        legends = page.locator(".legendtitletext").evaluate_all(
            "els => els.map(e => e.textContent)")
        assert legends == ["efficient on cost per handled contact:", "efficient on total cost:"]
        basis = header.index("frontier judged on")
        assert {rows.nth(k).locator("td").nth(basis).inner_text() for k in range(5)} == {
            "cost per handled contact", "total cost"}
        # No two point labels overlap, on either chart.
        for div in ("ccplan-frontier", "ccplan-frontier-2"):
            texts = page.locator(f"#{div} .textpoint text")
            boxes = [texts.nth(i).bounding_box() for i in range(texts.count())]
            assert len(boxes) >= 2
            assert _overlaps(boxes) == [], div
        assert errors == []
        _shot(page, f"comparison-{width}")
    finally:
        context.close()
