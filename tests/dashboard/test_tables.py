"""dashboard._tables: formula-safe CSV cells and the comparison table as displayed.

The CSV rule is OWASP's "CSV injection" advice: a cell that begins with
= + - @ (or a tab or carriage return) is read as a formula by spreadsheets,
so it gets a leading apostrophe; numbers are left alone.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

import scenarios
from dashboard import _money_figures, _tables

FORMULAS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']
PLAIN = ["voice", "a=b", "1-2", " =1", "", "ünïcode €"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "text": FORMULAS + PLAIN,
        "number": np.arange(len(FORMULAS) + len(PLAIN), dtype=float) - 3.5,
        "count": np.arange(len(FORMULAS) + len(PLAIN)) - 5,
        "mixed": [None, math.nan, -2.0, "-x", "ok", 3, "=y", "y", "@", "+", "", "z", 0],
    })


def test_formula_cells_get_an_apostrophe_and_nothing_else_changes():
    table = frame()
    before = table.copy(deep=True)
    safe = _tables.csv_safe(table)
    pd.testing.assert_frame_equal(table, before)            # the input is not changed
    assert safe["text"].tolist() == ["'" + v for v in FORMULAS] + PLAIN
    pd.testing.assert_series_equal(safe["number"], table["number"])
    pd.testing.assert_series_equal(safe["count"], table["count"])
    mixed = safe["mixed"].tolist()
    assert mixed[0] is None and math.isnan(mixed[1])
    assert mixed[2:] == [-2.0, "'-x", "ok", 3, "'=y", "y", "'@", "'+", "", "z", 0]


def test_pandas_string_dtype_is_escaped_too():
    table = pd.DataFrame({"name": pd.array(["=cmd", "fine", None], dtype="string")})
    safe = _tables.csv_safe(table)
    assert safe["name"].tolist()[:2] == ["'=cmd", "fine"]
    assert safe["name"].isna().tolist() == [False, False, True]


def test_csv_bytes_parse_back():
    table = frame()
    data = _tables.to_csv_bytes(table)
    assert isinstance(data, bytes)
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8", keep_default_na=False,
                       na_values=[""])
    assert list(back.columns) == list(table.columns)
    assert back["number"].tolist() == pytest.approx(table["number"].tolist())
    assert back["count"].tolist() == table["count"].tolist()
    # Tab and CR survive inside quotes; every formula cell begins with the apostrophe.
    texts = back["text"].fillna("").tolist()
    formulas = FORMULAS
    assert texts[:len(formulas)] == ["'" + v for v in formulas]
    assert texts[len(formulas):] == PLAIN


def test_a_carriage_return_inside_a_cell_keeps_its_row():
    table = pd.DataFrame({"text": ["\rx", "y"], "number": [1.0, 2.0]})
    back = pd.read_csv(io.BytesIO(_tables.to_csv_bytes(table)))
    assert back["number"].tolist() == [1.0, 2.0]


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


def test_scenario_names_for_charts():
    # Sweep points keep their base and each field's last part; other names stay whole.
    name = "bank / channels.voice.aht=240, pay.hourly_rates.agent=19"
    assert _money_figures.compact_name(name) == "bank / aht=240, agent=19"
    assert _money_figures.short_label(name) == "aht=240, agent=19"
    formula = '=HYPERLINK("http://x","y")'
    assert _money_figures.compact_name(formula) == formula
    assert _money_figures.short_label(formula) == formula
    long = "x" * 40
    assert len(_money_figures.short_label(long)) == _money_figures.MAX_LABEL_CHARS
    # Short labels that would collide fall back to the full names.
    assert _money_figures.axis_labels(["a / v=1", "b / v=1"]) == ["a / v=1", "b / v=1"]
    assert _money_figures.axis_labels(["a", "a / busy"]) == ["a", "busy"]
    assert _money_figures.axis_labels(["<b>x</b>"]) == ["&lt;b&gt;x&lt;/b&gt;"]


def test_points_at_one_place_share_a_label_and_get_a_sensible_range():
    points = pd.DataFrame({"scenario": ["bank", "bank / corrected", "bank / dear"],
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
