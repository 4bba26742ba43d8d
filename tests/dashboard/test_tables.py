"""dashboard._tables: the comparison table as displayed; CSV comes from scenarios' writer."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import scenarios
from dashboard import _tables
from scenarios import report
from scenarios.report import figures as _money_figures


def test_downloads_use_the_clis_csv_writer_and_have_no_copy_of_their_own():
    # One writer (scenarios.files.output.safe_csv_text, tested in test_csv_escaping.py)
    # serves the ccplan commands and the Downloads page.
    assert not hasattr(_tables, "csv_safe") and not hasattr(_tables, "to_csv_bytes")
    page = (Path(_tables.__file__).parent / "views" / "downloads.py").read_text()
    assert "scenarios.files.output.safe_csv_text(" in page
    assert ".to_csv(" not in page


def _result(name: str, **values: float) -> scenarios.ScenarioResult:
    row = {"scenario": name, "offered": 1000.0, "handled": 950.0, "abandoned": 50.0,
           "service_level": 0.8, "asa_s": 12.34, "abandon_rate": 0.05, "occupancy": 0.81234,
           "open_intervals_meeting_target": 1.0, "cost": 1234.5678, "cost_per_contact": 1.2345,
           "cost_per_handled": 1.3, "fte": 10.06, "paid_hours": 377.4, "headcount": math.nan,
           "weekly_cost": 1234.5678, "annual_cost": 64000.0, "budget": math.nan,
           "budget_period": "", "cost_vs_budget": math.nan}
    row.update(values)
    empty = pd.DataFrame()
    return scenarios.ScenarioResult(name, empty, empty, pd.DataFrame([row]), empty, empty)


def test_summary_shows_percent_and_labels_money_with_the_currency():
    results = [_result("base"), _result("rich", cost=1500.0, service_level=0.9)]
    table = _tables.summary(results, "GBP")
    assert list(table.columns) == ["scenario", "cost (GBP)", "cost per contact (GBP)",
                                   "service level (%)", "ASA (s)", "abandoned (%)",
                                   "occupancy (%)", "FTE", "paid hours"]
    base = table.iloc[0]
    assert base["scenario"] == "base"
    assert base["cost (GBP)"] == 1234.57
    assert base["cost per contact (GBP)"] == 1.23
    assert base["service level (%)"] == 80.0
    assert base["abandoned (%)"] == 5.0
    assert base["occupancy (%)"] == 81.2
    assert base["ASA (s)"] == 12.3
    assert base["FTE"] == 10.1
    assert base["paid hours"] == 377.0
    assert table.iloc[1]["service level (%)"] == 90.0


def test_scenario_names_for_charts(tmp_path):
    # Sweep points keep their base and each field's last part; other names stay whole.
    name = "bank / channels.voice.aht=240, pay.hourly_rates.agent=19"
    (tmp_path / "bank.yaml").write_text(
        "horizon: {start: 2026-03-02, days: 1}\n"
        "channels: {voice: {volume: {daily: 500}, aht: 4m, target: 80% in 20s}}\n"
        "pay: {hourly_rates: {agent: 20}}\n"
        "sweep: {channels.voice.aht: [240.0], pay.hourly_rates.agent: [19]}\n")
    point = scenarios.load_scenarios(tmp_path / "bank.yaml")[-1]
    assert point.name == name
    assert report.scenario_label(point, short=False) == "bank / aht=240, agent=19"
    assert report.scenario_label(point) == "aht=240, agent=19"
    formula = '=HYPERLINK("http://x","y")'
    assert report.scenario_label(_result(formula), short=False) == formula
    assert report.scenario_label(_result(formula)) == formula
    long = "x" * 40
    assert len(report.scenario_label(_result(long))) == report.MAX_LABEL_CHARS
    # Short labels that would collide fall back to the full names.
    assert report.axis_labels(["a / v=1", "b / v=1"], ["v=1", "v=1"]) == [
        "a / v=1", "b / v=1"]
    assert report.axis_labels(["a", "a / busy"], ["a", "busy"]) == [
        "a", "busy"]
    assert report.axis_labels(["<b>x</b>"], ["<b>x</b>"]) == ["&lt;b&gt;x&lt;/b&gt;"]


def test_points_at_one_place_share_a_label_and_get_a_sensible_range():
    points = pd.DataFrame({"scenario": ["bank", "bank / corrected", "bank / dear"],
                           "label": ["bank", "corrected", "dear"],
                           "file": ["bank.yaml"] * 3, "cost": [100.0, 100.0, 120.0],
                           "service_level": [0.85, 0.85, 0.85],
                           "is_efficient": [True, True, False]})
    fig = _money_figures.frontier_figure(points, "ILS", "t")
    texts = [t for trace in fig.data if trace.text is not None for t in trace.text]
    assert sorted(texts) == ["", "bank (+1)", "dear"]
    hovers = [h for trace in fig.data if trace.customdata is not None for h in trace.customdata]
    assert hovers.count("bank<br>bank / corrected") == 2
    # Two efficient points at one place: no frontier line to draw.
    assert "efficient frontier" not in [trace.name for trace in fig.data]
    low, high = fig.layout.yaxis.range
    assert low < 0.85 < high and high - low <= 0.011           # +-0.5 points, not 0-150 %


def test_weekly_and_yearly_budgets_never_share_a_money_axis():
    # Issue 14: a weekly budget's plan (1,000 a week against 900) and a yearly one's (52,000 a
    # year against 60,000) were drawn as bars of 1,000 and 52,000 on one money axis. Now each
    # bar is the cost over its own budget: 1000/900 and 52000/60000, by hand.
    totals = pd.DataFrame({"scenario": ["weekly", "yearly"], "weekly_cost": [1000.0, 1000.0],
                           "annual_cost": [52_000.0, 52_000.0], "budget": [900.0, 60_000.0],
                           "budget_period": ["week", "year"],
                           "cost_vs_budget": [1000.0 / 900.0, 52_000.0 / 60_000.0]})
    fig = _money_figures.budget_figure(totals, "GBP")
    bars = sorted(v for trace in fig.data if trace.type == "bar" for v in trace.x)
    assert bars == pytest.approx([52_000.0 / 60_000.0, 1000.0 / 900.0])
    assert "share of its own budget" in fig.layout.xaxis.title.text
    assert "GBP" not in fig.layout.xaxis.title.text
    # One period: money on the axis, as before.
    one = _money_figures.budget_figure(totals.iloc[:1], "GBP")
    assert {v for trace in one.data if trace.type == "bar" for v in trace.x} == {1000.0}
    assert one.layout.xaxis.title.text == "cost per week (GBP)"
