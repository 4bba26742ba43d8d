"""Scenario comparison: Pareto flags on hand-made points and deltas worked by hand.

``scenarios/__init__.py`` does not export these names yet (the lead wires the
public API), so the tests import from the module.
"""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from scenarios.compare import (
    comparison_table,
    cost_per_incremental_contact,
    deltas,
    pareto_efficient,
)
from scenarios.pipeline import ScenarioResult
from scenarios.pipeline.contracts import (
    CHANNEL_COLUMNS,
    COST_BREAKDOWN_COLUMNS,
    INTERVAL_COLUMNS,
    TOTAL_COLUMNS,
)

MEASURES = ["cost", "cost_per_contact", "service_level", "asa_s", "abandon_rate", "occupancy",
            "fte", "paid_hours", "annual_cost", "budget", "cost_vs_budget",
            "offered", "handled", "cost_per_handled"]
# Issue 14 added the group, basis and budget-period columns after the measures.
COLUMNS = ["scenario", *MEASURES, "budget_period", "currency", "horizon_days",
           "comparison_group", "frontier_basis", "frontier_cost", "is_efficient",
           "schedule_status", "schedule_gap", "headcount", "peak_agents_on_shift"]


def make_result(name, *, cost=1000.0, service_level=0.8, currency="EUR", days=None,
                **totals):
    """A small ScenarioResult: 2 channels x 3 quarter-hours with every documented column.

    ``totals`` overrides entries of the one-row ``totals`` table.
    """
    starts = pd.date_range("2026-01-05 09:00", periods=3, freq="15min", tz="Europe/London")
    rows = []
    for channel in ("voice", "chat"):
        for i, start in enumerate(starts):
            level = 0.7 + 0.05 * i
            rows.append({
                "scenario": name, "channel": channel, "interval_start": start, "is_open": True,
                "offered": 10.0 + i, "aht_s": 240.0, "agents_required": 3 + i,
                "agents_on_queue": 3.5 + i, "service_level_erlang": level,
                "asa_s_erlang": 20.0, "abandon_rate_erlang": 0.02,
                "service_level": level, "service_level_low": level - 0.05,
                "service_level_high": level + 0.05, "asa_s": 20.0, "asa_s_low": 15.0,
                "asa_s_high": 25.0, "abandon_rate": 0.02, "abandon_rate_low": 0.01,
                "abandon_rate_high": 0.03, "mean_queue": 0.4, "occupancy": 0.8,
                "cost": cost / 6,
            })
    intervals = pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS))
    channels = pd.DataFrame([{
        "scenario": name, "channel": channel, "offered": 33.0, "handled": 32.0,
        "abandoned": 1.0, "service_level": 0.75, "service_level_low": 0.7,
        "service_level_high": 0.8, "asa_s": 20.0, "asa_s_low": 15.0, "asa_s_high": 25.0,
        "abandon_rate": 0.03, "abandon_rate_low": 0.01, "abandon_rate_high": 0.05,
        "occupancy": 0.8, "service_level_target": 0.8, "answer_within_s": 20.0,
        "open_intervals_meeting_target": 1 / 3, "cost": cost / 2,
        "cost_per_contact": cost / 2 / 33, "cost_per_handled": cost / 2 / 32,
    } for channel in ("voice", "chat")], columns=list(CHANNEL_COLUMNS))
    row = {
        "scenario": name, "offered": 66.0, "handled": 64.0, "abandoned": 2.0,
        "service_level": service_level, "asa_s": 20.0, "abandon_rate": 0.03,
        "occupancy": 0.8, "open_intervals_meeting_target": 1 / 3, "cost": cost,
        "cost_per_contact": cost / 66, "cost_per_handled": cost / 64, "fte": 4.0,
        "paid_hours": 6.0, "headcount": 5.0, "weekly_cost": cost * 4,
        "annual_cost": cost * 4 * 52, "budget": math.nan, "budget_period": "",
        "cost_vs_budget": math.nan,
    }
    row.update(totals)
    horizon = ({} if days is None else
               {"horizon_start": "2026-01-05T00:00:00+00:00",
                "horizon_end": (pd.Timestamp("2026-01-05T00:00:00+00:00")
                                + pd.Timedelta(days=days)).isoformat()})
    breakdown = pd.DataFrame(
        [(name, "component", "wages", 0.8 * cost, 0.8),
         (name, "component", "overhead", 0.2 * cost, 0.2)],
        columns=list(COST_BREAKDOWN_COLUMNS))
    shifts = pd.DataFrame(columns=["shift_id", "template", "shift_start", "duration_s",
                                   "headcount"])
    return ScenarioResult(name=name, intervals=intervals, channels=channels,
                          totals=pd.DataFrame([row], columns=list(TOTAL_COLUMNS)),
                          cost_breakdown=breakdown, shifts=shifts,
                          summary={"name": name, "currency": currency, **horizon})


# --- Pareto flags ----------------------------------------------------------------------------

def test_pareto_flags_on_hand_made_points():
    # a (100, 0.80) is beaten by d (90, 0.80): cheaper, same level.
    # c (120, 0.85) is beaten by b (120, 0.90): same cost, higher level.
    # e (150, 0.90) is beaten by b: dearer, same level.
    # f and g have a NaN and are never efficient.
    cost = [100.0, 120.0, 120.0, 90.0, 150.0, math.nan, 130.0]
    level = [0.80, 0.90, 0.85, 0.80, 0.90, 0.99, math.nan]
    assert pareto_efficient(cost, level).tolist() == [False, True, False, True, False, False,
                                                      False]


def test_identical_points_are_both_efficient_unless_something_beats_them():
    assert pareto_efficient([100.0, 100.0], [0.8, 0.8]).tolist() == [True, True]
    assert pareto_efficient([100.0, 100.0, 99.0], [0.8, 0.8, 0.8]).tolist() == [
        False, False, True]


def test_nan_points_do_not_dominate_others():
    # The NaN-cost point has a better level, but cannot dominate anything.
    assert pareto_efficient([math.nan, 100.0], [0.99, 0.5]).tolist() == [False, True]
    assert pareto_efficient([50.0, 100.0], [math.nan, 0.5]).tolist() == [False, True]


def test_pareto_rejects_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        pareto_efficient([1.0, 2.0], [0.5])


# --- comparison_table ------------------------------------------------------------------------

def test_comparison_table_copies_totals_in_input_order():
    results = [make_result("rich", cost=1200.0, service_level=0.9, budget=5000.0,
                           cost_vs_budget=0.96),
               make_result("lean", cost=800.0, service_level=0.6),
               make_result("waste", cost=1300.0, service_level=0.85),
               make_result("unknown", cost=900.0, service_level=math.nan)]
    table = comparison_table(results)
    assert list(table.columns) == COLUMNS
    assert isinstance(table.index, pd.RangeIndex)
    assert table["scenario"].tolist() == ["rich", "lean", "waste", "unknown"]
    assert table["cost"].tolist() == [1200.0, 800.0, 1300.0, 900.0]
    assert table["annual_cost"].tolist() == [1200.0 * 208, 800.0 * 208, 1300.0 * 208,
                                             900.0 * 208]
    assert table["budget"].iloc[0] == 5000.0
    assert math.isnan(table["budget"].iloc[1])
    assert table["cost_vs_budget"].iloc[0] == 0.96
    assert table["fte"].tolist() == [4.0] * 4
    assert table["is_efficient"].dtype == bool
    # waste: rich is cheaper and better; unknown has no service level.
    assert table["is_efficient"].tolist() == [True, True, False, False]


def _on_shift_by_brute_force(shifts, step_s=60.0):
    """The most agents on shift at any whole minute of the day span, counting each shift's
    agents at every minute ``t`` with ``start <= t < start + duration`` (the reference)."""
    starts = pd.to_datetime(shifts["shift_start"])
    ends = starts + pd.to_timedelta(shifts["duration_s"], unit="s")
    best = 0
    t = starts.min()
    while t < ends.max():
        on = sum(int(h) for s, e, h in zip(starts, ends, shifts["headcount"], strict=True)
                 if s <= t < e)
        best = max(best, on)
        t += pd.Timedelta(seconds=step_s)
    return best


def test_headcount_and_peak_agents_on_shift():
    # Shifts on a minute grid, across midnight and two groups; one ends exactly as another
    # starts (half-open: not both at once).
    day = pd.Timestamp("2026-03-02 00:00", tz="Europe/London")
    shifts = pd.DataFrame({
        "shift_id": range(6), "channel": ["voice", "voice", "chat", "voice", "chat", "voice"],
        "template": ["a"] * 6,
        "shift_start": [day + pd.Timedelta(hours=h) for h in (6, 14, 10, 22, 13.5, 30)],
        "duration_s": [8 * 3600.0, 8 * 3600.0, 4 * 3600.0, 8 * 3600.0, 0.5 * 3600, 8 * 3600.0],
        "headcount": [12, 9, 4, 3, 7, 5]})
    with_shifts = make_result("rostered", headcount=31.0)
    with_shifts = dataclasses.replace(with_shifts, shifts=shifts)
    table = comparison_table([with_shifts, make_result("interval staffing",
                                                       headcount=math.nan)])
    # 13:30-14:00: 12 (06-14) + 4 (10-14) + 7 (13:30-14:00) = 23; at 14:00 those three leave.
    assert _on_shift_by_brute_force(shifts) == 23
    assert table["peak_agents_on_shift"].iloc[0] == 23
    assert table["headcount"].iloc[0] == 31.0                 # the totals column, as it is
    # No shift schedule: unknown, not zero.
    assert math.isnan(table["peak_agents_on_shift"].iloc[1])
    assert math.isnan(table["headcount"].iloc[1])


def test_comparison_table_of_nothing_is_empty_with_columns():
    table = comparison_table([])
    assert list(table.columns) == COLUMNS
    assert len(table) == 0


def test_comparison_table_shows_the_schedule_status_and_gap():
    """Issue 14: a schedule cut by the time limit (the safety net) shows as such, beside its
    gap; a scenario without shifts has no status."""
    import dataclasses

    cut = dataclasses.replace(make_result("cut"), summary={"schedule": {
        "status": "time_limit", "mip_gap": 0.31, "mip_rel_gap": 0.01}})
    done = dataclasses.replace(make_result("done"), summary={"schedule": {
        "status": "optimal", "mip_gap": 0.004}})
    table = comparison_table([cut, done, make_result("interval")])
    assert table["schedule_status"].tolist() == ["time_limit", "optimal", ""]
    assert table["schedule_gap"].iloc[:2].tolist() == [0.31, 0.004]
    assert math.isnan(table["schedule_gap"].iloc[2])


def test_comparison_table_rejects_malformed_totals():
    good = make_result("a")
    two_rows = ScenarioResult("two", good.intervals, good.channels,
                              pd.concat([good.totals, good.totals], ignore_index=True),
                              good.cost_breakdown, good.shifts)
    with pytest.raises(ValueError, match=r"results\[1\] \('two'\) has 2 rows"):
        comparison_table([good, two_rows])
    no_fte = ScenarioResult("nofte", good.intervals, good.channels,
                            good.totals.drop(columns=["fte"]), good.cost_breakdown, good.shifts)
    with pytest.raises(ValueError, match="no column 'fte'"):
        comparison_table([no_fte])


# --- deltas ----------------------------------------------------------------------------------

def test_deltas_by_hand():
    results = [make_result("base", cost=1000.0, service_level=0.80, budget=4000.0,
                           cost_vs_budget=1.0, fte=4.0, asa_s=20.0),
               make_result("more", cost=1250.0, service_level=0.90, budget=4000.0,
                           cost_vs_budget=1.25, fte=5.0, asa_s=12.5),
               make_result("nobudget", cost=900.0, service_level=0.75)]
    table = comparison_table(results)
    before = table.copy()
    out = deltas(table, "base")
    pd.testing.assert_frame_equal(table, before)
    assert list(out.columns) == ["scenario"] + [f"delta_{c}" for c in MEASURES]
    assert out["scenario"].tolist() == ["base", "more", "nobudget"]
    # Worked by hand from the numbers above.
    assert out["delta_cost"].tolist() == [0.0, 250.0, -100.0]
    assert out["delta_service_level"].tolist() == pytest.approx([0.0, 0.10, -0.05])
    assert out["delta_fte"].tolist() == [0.0, 1.0, 0.0]
    assert out["delta_asa_s"].tolist() == [0.0, -7.5, 0.0]
    assert out["delta_annual_cost"].tolist() == [0.0, 250.0 * 208, -100.0 * 208]
    assert out["delta_cost_vs_budget"].iloc[1] == pytest.approx(0.25)
    assert math.isnan(out["delta_budget"].iloc[2])
    assert np.all(out.drop(columns=["scenario", "delta_budget", "delta_cost_vs_budget"])
                  .iloc[0] == 0.0)


def test_deltas_unknown_baseline_names_the_available_scenarios():
    table = comparison_table([make_result("base"), make_result("lean", cost=900.0)])
    with pytest.raises(ValueError, match=r"baseline 'nope'.*available: 'base', 'lean'"):
        deltas(table, "nope")


def test_deltas_duplicate_baseline_is_ambiguous():
    table = comparison_table([make_result("base"), make_result("base", cost=900.0)])
    with pytest.raises(ValueError, match="occurs 2 times"):
        deltas(table, "base")


# --- comparison groups and the frontier's basis (issue 14) -----------------------------------

def test_different_volumes_are_judged_per_handled_contact():
    # The case. 24x7 offers 15,500 contacts and handles 15,000 for 55,200 (3.68 per
    # handled contact); 8x5 offers 12,340, handles 12,000 for 51,480 (4.29). By total cost 8x5
    # is cheaper and, with a higher service level, would push 24x7 off the frontier; per
    # handled contact 24x7 is cheaper, so both are efficient.
    wide = make_result("24x7", cost=55_200.0, service_level=0.85, offered=15_500.0,
                       handled=15_000.0, cost_per_handled=55_200.0 / 15_000.0, days=7)
    short = make_result("8x5", cost=51_480.0, service_level=0.86, offered=12_340.0,
                        handled=12_000.0, cost_per_handled=51_480.0 / 12_000.0, days=7)
    table = comparison_table([wide, short])
    assert table["frontier_basis"].tolist() == ["cost_per_handled"] * 2
    assert table["frontier_cost"].tolist() == pytest.approx([3.68, 4.29])
    assert table["is_efficient"].tolist() == [True, True]
    # On total cost (the old basis) 24x7 would be dominated:
    assert pareto_efficient(table["cost"], table["service_level"]).tolist() == [False, True]


def test_same_volumes_are_judged_on_total_cost():
    a = make_result("a", cost=1000.0, service_level=0.80, days=7)
    b = make_result("b", cost=900.0, service_level=0.85, days=7)
    table = comparison_table([a, b])
    assert table["frontier_basis"].tolist() == ["cost", "cost"]
    assert table["frontier_cost"].tolist() == [1000.0, 900.0]
    assert table["is_efficient"].tolist() == [False, True]
    assert table["comparison_group"].tolist() == ["EUR, 7-day horizon"] * 2


def test_two_currencies_are_never_on_one_frontier():
    # 900 EUR is not "cheaper" than 1000 GBP: each currency has its own frontier, so the
    # pound scenario stays efficient although its number is larger and its level lower.
    gbp = make_result("gbp", cost=1000.0, service_level=0.80, currency="GBP", days=7)
    eur = make_result("eur", cost=900.0, service_level=0.85, currency="EUR", days=7)
    eur2 = make_result("eur2", cost=950.0, service_level=0.84, currency="EUR", days=7)
    table = comparison_table([gbp, eur, eur2])
    assert table["comparison_group"].tolist() == ["GBP, 7-day horizon", "EUR, 7-day horizon",
                                                  "EUR, 7-day horizon"]
    assert table["is_efficient"].tolist() == [True, True, False]
    out = deltas(table, "eur")
    assert math.isnan(out["delta_cost"].iloc[0])          # GBP minus EUR: not a number
    assert out["delta_cost"].iloc[2] == 50.0
    assert out["delta_service_level"].iloc[0] == pytest.approx(-0.05)


def test_horizons_of_different_length_are_separate_groups():
    week = make_result("week", cost=1000.0, service_level=0.80, days=7)
    year = make_result("year", cost=52_000.0, service_level=0.70, days=364)
    table = comparison_table([week, year])
    assert table["horizon_days"].tolist() == [7.0, 364.0]
    assert table["comparison_group"].nunique() == 2
    assert table["is_efficient"].tolist() == [True, True]


def test_weekly_and_yearly_budgets_are_not_subtracted():
    weekly = make_result("weekly", budget=4000.0, budget_period="week", cost_vs_budget=1.0)
    yearly = make_result("yearly", budget=200_000.0, budget_period="year",
                         cost_vs_budget=1.04)
    table = comparison_table([weekly, yearly])
    assert table["budget_period"].tolist() == ["week", "year"]
    out = deltas(table, "weekly")
    assert math.isnan(out["delta_budget"].iloc[1])
    assert out["delta_cost_vs_budget"].iloc[1] == pytest.approx(0.04)


def test_cost_per_incremental_contact_by_hand():
    # Extended -> 24x7: 6,000 more for 1,500 more handled is 4.00 per extra contact; a wage
    # change alone (same contacts) has none; a cheaper plan that handles more is negative;
    # an unknown cost delta (another comparison group) stays unknown.
    delta = pd.DataFrame({"scenario": ["ext", "24x7", "dear", "lean", "other"],
                          "delta_cost": [0.0, 6000.0, 500.0, -300.0, math.nan],
                          "delta_handled": [0.0, 1500.0, 0.0, 100.0, 50.0]})
    out = cost_per_incremental_contact(delta)
    assert out.name == "cost_per_incremental_contact"
    assert out.iloc[1] == pytest.approx(4.0)
    assert out.iloc[3] == pytest.approx(-3.0)
    assert math.isnan(out.iloc[0]) and math.isnan(out.iloc[2]) and math.isnan(out.iloc[4])
    with pytest.raises(ValueError, match="delta_handled"):
        cost_per_incremental_contact(delta.drop(columns=["delta_handled"]))
