"""forecast.html, backtest.html and the calibration report in Debian's chromium.

Each page is written by its ``ccplan`` command on bundled data; the test reads the numbers the
page SHOWS (the text of its tables, as drawn) and checks them against the files the same
command wrote (forecast CSV, scores CSV, fits CSV), recomputed here with pandas and formatted
the page's way. Screenshots at 1400 and 1000 px go to ``screenshots_folder()``. In this folder
for the session's one browser (``browser`` in conftest.py); the pages are static files, so the
Streamlit ``screenshot`` fixture (which waits for the app) does not apply.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import forecasting
from scenarios.cli import app
from tests.dashboard.conftest import screenshots_folder

REPO = Path(__file__).resolve().parents[2]
HISTORY = REPO / "scenarios" / "examples" / "data" / "anonymous_bank_history.csv"
CALLS_DAY = REPO / "tests" / "data" / "anonymous_bank_calls_day.csv"
WIDTHS = [1400, 1000]
runner = CliRunner()


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, object]:
    """The three commands run once on bundled data: their pages and tables, and stdout."""
    out = tmp_path_factory.mktemp("pages")
    forecast = runner.invoke(app, ["forecast", "--history", str(HISTORY), "--interval-s", "1800",
                                   "--horizon", "320", "--country", "IL",
                                   "--out", str(out / "fc.csv")])
    assert forecast.exit_code == 0, forecast.output
    backtest = runner.invoke(app, ["forecast", "backtest", "--history", str(HISTORY),
                                   "--horizon", "336", "--origins", "2", "--methods",
                                   "seasonal_naive,weekly_average", "--out", str(out / "bt")])
    assert backtest.exit_code == 0, backtest.output
    calibrate = runner.invoke(app, ["calibrate", str(CALLS_DAY), "--columns",
                                    "answered=AGENT,abandoned=HANG", "--skip-bad-rows",
                                    "--out", str(out / "cal")])
    assert calibrate.exit_code == 0, calibrate.output
    return {"out": out, "forecast_stdout": forecast.stdout}


def _open(browser, path: Path, width: int, n_charts: int):
    """A page at ``width`` px with its charts drawn, no script error, nothing off the side."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length "
                           f">= {n_charts}")
    assert errors == []
    assert page.locator(".js-plotly-plot").count() == n_charts
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    return context, page


def _tables(page) -> list[list[list[str]]]:
    """Every HTML table as shown: rows of cell texts (header row first)."""
    return page.evaluate("""() => [...document.querySelectorAll('table')].map(t =>
        [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())))""")


def _save(page, name: str, width: int) -> None:
    folder = screenshots_folder()
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_forecast_page_shows_the_pick_and_the_days_of_the_csv(written, browser, width):
    out = written["out"]
    fc = pd.read_csv(out / "fc.csv", parse_dates=["interval_start"])
    # The pick and every candidate's WAPE, as ccplan printed them (3 decimals of a fraction).
    line = next(s for s in written["forecast_stdout"].splitlines() if s.startswith("voice:"))
    picked = line.split(":")[1].split("(")[0].strip()
    scores = {name: float(value) for name, value in
              (part.split() for part in line.split("WAPE:")[1].rstrip(")").split(","))}
    context, page = _open(browser, out / "fc.html", width, n_charts=2)
    try:
        header, row = _tables(page)[0]
        # Headline first: the method table is the first thing under the title.
        box = page.locator("table").first.bounding_box()
        assert box is not None and box["y"] + box["height"] < 900
        shown = dict(zip(header, row, strict=True))
        assert shown["channel"] == "voice" and shown["method used"] == picked
        assert shown["its backtest WAPE"] == _pct(scores[picked])
        for name, wape in scores.items():
            marker = " (picked)" if name == picked else ""
            assert shown[f"WAPE {name}"] == _pct(wape) + marker
        assert shown["expected contacts, horizon"] == f"{fc['offered'].sum():,.0f} contacts"

        # The days: expected contacts are the CSV's intervals summed per day; the interval is
        # forecasting.daily_totals' on that CSV (not the summed interval bounds).
        days_shown = _tables(page)[1][1:]
        by_day = fc.groupby(fc["interval_start"].dt.normalize())
        daily = forecasting.daily_totals(fc, level=80)
        assert len(days_shown) == by_day.ngroups == 7  # 320 intervals: 6 days and a part
        for cells, (day, part), lo, hi in zip(days_shown, by_day, daily["offered_lo"],
                                              daily["offered_hi"], strict=True):
            assert cells[0] == f"{day:%a %d %b %Y}"
            assert cells[1] == f"{part['offered'].sum():,.0f}"
            assert cells[2] == f"{lo:,.0f} to {hi:,.0f}"
            if part["offered"].sum() > 0:  # the Sabbath morning is closed: 0 to 0
                assert hi - lo < (part["offered_hi"] - part["offered_lo"]).sum()
        assert days_shown[-1][4] == "32 of 48 intervals"
        assert "negative binomial" in page.locator("p.note").last.inner_text()
        # The interval chart has the day selector and the range slider; forecast and actual
        # lines are drawn in both charts.
        assert page.locator("#forecast-0-intervals .rangeselector .button").count() == 4
        assert page.locator("#forecast-0-intervals .rangeslider-container").count() == 1
        assert page.locator("#forecast-0-intervals .scatterlayer path.js-line").count() >= 2
        assert page.locator("#forecast-0-days .barlayer .point").count() > 30
        _save(page, "forecast-report", width)
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_backtest_page_leads_with_the_winner_of_the_scores_csv(written, browser, width):
    out = written["out"] / "bt"
    scores = pd.read_csv(out / "scores_by_channel.csv")
    best = scores.loc[scores["wape"].idxmin()]
    runner_up = scores.drop(index=scores["wape"].idxmin()).sort_values("wape").iloc[0]
    context, page = _open(browser, out / "backtest.html", width, n_charts=2)
    try:
        tables = _tables(page)
        header, row = tables[0]
        box = page.locator("table").first.bounding_box()
        assert box is not None and box["y"] + box["height"] < 900
        shown = dict(zip(header, row, strict=True))
        assert shown["channel"] == "voice" and shown["best method"] == best["method"]
        assert shown["interval WAPE"] == _pct(best["wape"])
        assert shown["daily WAPE"] == _pct(best["daily_wape"])
        assert shown["bias"] == _pct(best["bias"])
        assert shown["interval coverage"] == _pct(best["coverage"])
        assert shown["runner-up (interval WAPE)"] == \
            f"{runner_up['method']} ({_pct(runner_up['wape'])})"
        # Every score of the CSV is in the last table, in its order.
        every = tables[-1][1:]
        assert [r[1] for r in every] == list(scores["method"])
        assert [r[3] for r in every] == [_pct(v) for v in scores["wape"]]
        assert page.locator("#backtest-by-horizon-day .scatterlayer path.js-line").count() == 2
        _save(page, "backtest-report", width)
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_calibration_report_leads_with_the_fits_of_fits_csv(written, browser, width):
    out = written["out"] / "cal"
    fits = pd.read_csv(out / "fits.csv").set_index("quantity")
    n_charts = 6  # survival, handle time, pick-up delay, gaps, redial bands and delays
    context, page = _open(browser, out / "report.html", width, n_charts=n_charts)
    try:
        header, row = _tables(page)[0]
        shown = dict(zip(header, row, strict=True))
        aht, patience = fits.loc["aht_s"], fits.loc["mean_patience_s"]
        assert shown["contacts"] == f"{fits.loc['contacts', 'value']:,.0f}"
        assert shown["mean handle time (AHT)"].split() == (
            f"{aht['value']:.1f} s ({aht['value'] / 60:.1f} min) "
            f"[{aht['low']:.1f}, {aht['high']:.1f}]").split()
        assert shown["mean patience"].split() == (
            f"{patience['value']:.1f} s ({patience['value'] / 60:.1f} min) "
            f"[{patience['low']:.1f}, {patience['high']:.1f}]").split()
        redial = fits.loc["redial_probability"]
        assert shown["redial probability after an abandon"] == (
            f"{100 * redial['value']:.2f}% [{100 * redial['low']:.2f}%, "
            f"{100 * redial['high']:.2f}%]")
        hang = fits.loc["hang_up_share"]
        assert shown["instant hang-ups, share of contacts"].startswith(
            f"{100 * hang['value']:.2f}%")
        # The redial chart names each band's counts under its bar (a zero bar included).
        ticks = page.evaluate("() => [...document.querySelectorAll('#calibration-0-4 .xtick "
                              "text')].map(t => t.textContent)")
        assert len(ticks) == 4 and all("redialled" in t for t in ticks)
        _save(page, "calibration-report", width)
    finally:
        context.close()
