"""The capacity plan through the pipeline (``run_capacity``, ``run_scenario``'s ``capacity``).

References are independent of the code under test: Erlang C written out here (the Erlang B
recursion and C = N B / (N - A (1 - B))), the wage and its night premium by hand, the
months' day shares of weeks counted by hand from the calendar, stock and flow conservation,
and the annual cost's two bases. Files are written into ``tmp_path``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios import ScenarioError, load_scenarios, run_scenario
from scenarios.compare import check_expectations
from scenarios.files import Scenario
from scenarios.pipeline import run_capacity
from scenarios.pipeline.contracts import CAPACITY_COLUMNS

#: One voice channel, 24x7, 30-minute intervals, a flat 4800 calls a day of 3 minutes:
#: 100 calls and 10 erlangs in every interval.
FLAT = (
    "horizon: {start: 2027-01-04, days: 7}\n"
    "pay: {hourly_rates: {agent: 20}, overhead_per_paid_hour: 5, night_premium: 0.25}\n"
    "channels:\n"
    "  voice: {volume: {daily: 4800, profile: flat}, aht: 3m, target: 80% in 20s}\n"
)


def _capacity(weeks: int = 13, headcount: float = 100, extra: str = "",
              group: str = "") -> str:
    return ("capacity:\n"
            f"  weeks: {weeks}\n"
            "  hours_per_fte_week: 40\n"
            f"{extra}"
            "  groups:\n"
            f"    phones: {{channels: [voice], headcount: {headcount}{group}}}\n")


def _scenario(tmp_path: Path, text: str, name: str = "plan.yaml") -> Scenario:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return Scenario.from_yaml(path)


def _erlang_c_sl(n: int, load: float, within_s: float, aht_s: float) -> float:
    """Service level of M/M/n (Erlang C), by the Erlang B recursion."""
    if n <= load:
        return 0.0
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    c = n * b / (n - load * (1 - b))
    return 1.0 - c * math.exp(-(n - load) * within_s / aht_s)


def _agents(load: float, target: float = 0.8) -> int:
    n = max(1, math.floor(load))
    while _erlang_c_sl(n, load, 20.0, 180.0) < target:
        n += 1
    return n


def _fte(load: float) -> float:
    """A flat week's required FTE: 336 half-hours x agents x 0.5 h / 40 h."""
    return 336 * _agents(load) * 0.5 / 40.0


#: Agents 10 erlangs need at 80% in 20 s with 3-minute calls.
N = _agents(10.0)


def test_the_representative_week_is_sized_by_hand(tmp_path):
    scn = _scenario(tmp_path, FLAT + _capacity())
    result = run_capacity(scn)
    assert N == 14 and _erlang_c_sl(13, 10.0, 20.0, 180.0) < 0.8
    assert result.channels["required_fte"].to_numpy() == pytest.approx(np.full(13, _fte(10)))
    assert result.channels["offered"].to_numpy() == pytest.approx(np.full(13, 33600.0))
    # The direct sizing gives the same: a week at the representative volume is a grid point.
    direct = run_capacity(scn, grid_step=0)
    assert direct.channels["required_fte"].tolist() == result.channels["required_fte"].tolist()


def test_growth_is_sized_directly_by_hand_and_interpolated_on_the_grid(tmp_path):
    scn = _scenario(tmp_path, FLAT + _capacity(extra="  demand: {growth: 25%}\n"))
    weeks = np.arange(13)
    scale = 1.25 ** (weeks / (365.25 / 7))
    direct = run_capacity(scn, grid_step=0)
    assert direct.channels["offered"].to_numpy() == pytest.approx(33600 * scale)
    assert direct.channels["required_fte"].to_numpy() == pytest.approx(
        [_fte(10 * s) for s in scale])
    grid = run_capacity(scn)
    k = np.log(scale) / np.log(1.01)
    lo, hi = 1.01 ** np.floor(k + 1e-9), 1.01 ** np.ceil(k - 1e-9)
    f_lo = np.array([_fte(10 * s) for s in lo])
    f_hi = np.array([_fte(10 * s) for s in hi])
    with np.errstate(invalid="ignore"):
        expected = np.where(hi > lo, f_lo + (f_hi - f_lo) * (scale - lo) / (hi - lo), f_lo)
    assert grid.channels["required_fte"].to_numpy() == pytest.approx(expected)
    # Both lie between the grid points around the week (agents never fall as volume rises).
    for values in (grid.channels["required_fte"].to_numpy(),
                   direct.channels["required_fte"].to_numpy()):
        assert np.all(values >= f_lo - 1e-9) and np.all(values <= f_hi + 1e-9)


@pytest.mark.parametrize(("headcount", "first_week"), [
    (4.2 * N, 0), (4.2 * (N - 1), None), (4.2 * (N - 0.25), "by the blend")])
def test_the_expected_service_level_at_the_agents_available(tmp_path, headcount, first_week):
    scn = _scenario(tmp_path, FLAT + _capacity(headcount=headcount))
    result = run_capacity(scn)
    # Required 4.2 x N FTE; available = headcount (no attrition, shrinkage, part-time):
    # the ratio gives a = N x ratio agents in every interval: floor(a) agents, one more for
    # the share a - floor(a) of the time.
    a = N * headcount / (4.2 * N)
    low = math.floor(a + 1e-9)
    share = a - low
    expected = (1 - share) * _erlang_c_sl(low, 10.0, 20.0, 180.0) + (
        share * _erlang_c_sl(low + 1, 10.0, 20.0, 180.0) if share > 1e-9 else 0.0)
    assert result.channels["expected_service_level"].to_numpy() == pytest.approx(
        np.full(13, expected), rel=1e-9)
    if first_week == "by the blend":
        assert 0 < share < 1
        first_week = 0 if expected >= 0.8 else None
    assert result.summary["first_week_meeting_target"] == first_week


def test_the_wage_per_fte_week_by_hand(tmp_path):
    scn = _scenario(tmp_path, FLAT + _capacity())
    weekly = run_capacity(scn).weekly
    # Flat staffing: 8 of 24 hours in the night window (22:00-06:00) at +25%.
    wage = 20 * 40 * (1 + 0.25 * 8 / 24) + 5 * 40
    assert (weekly["wages"] / weekly["fte_on_floor"]).to_numpy() == pytest.approx(
        np.full(13, wage))


def test_monthly_totals_split_weeks_by_their_days(tmp_path):
    text = FLAT.replace("2027-01-04", "2027-03-29") + _capacity(
        headcount=70, group=", attrition: 20%, hiring: {training: 2w, cost_per_hire: 1000, "
        "training_cost_per_week: 300}, classes: [{start: 0, size: 6}, {start: 5, size: 4}]")
    result = run_capacity(_scenario(tmp_path, text))
    weekly = result.weekly.set_index("week")
    monthly = result.monthly.set_index(["month", "group"])
    # Week 0 is Mon 29 March to Sun 4 April: 3 days of March, 4 of April. Week 4 is
    # 26 April to 2 May: 5 days of April, 2 of May.
    march = monthly.loc[(pd.Timestamp("2027-03-01"), "phones")]
    assert march["days"] == 3
    for col in ("cost", "hires", "wages", "hiring_cost", "leavers"):
        assert march[col] == pytest.approx(3 / 7 * weekly.loc[0, col])
    assert march["headcount"] == pytest.approx(weekly.loc[0, "headcount"])
    april = monthly.loc[(pd.Timestamp("2027-04-01"), "phones")]
    days = {0: 4, 1: 7, 2: 7, 3: 7, 4: 5}
    assert april["days"] == 30
    assert april["cost"] == pytest.approx(sum(d / 7 * weekly.loc[w, "cost"]
                                              for w, d in days.items()))
    assert april["headcount"] == pytest.approx(sum(d * weekly.loc[w, "headcount"]
                                                   for w, d in days.items()) / 30)
    # Conservation: the months add up to the weeks, and "all" to the groups.
    groups = result.monthly[result.monthly["group"] != "all"]
    for col in ("cost", "hires", "graduates", "leavers", "offered", "handled"):
        source = result.channels if col in ("offered", "handled") else result.weekly
        assert groups[col].sum() == pytest.approx(source[col].sum())
    alls = result.monthly[result.monthly["group"] == "all"].set_index("month")
    assert alls["cost"].to_numpy() == pytest.approx(
        groups.groupby("month")["cost"].sum().to_numpy())
    assert result.monthly["days"].groupby(result.monthly["group"]).sum().tolist() == [91, 91]
    assert (alls["cost_per_contact"] == alls["cost"] / alls["offered"]).all()


def test_the_annual_cost_basis_and_the_scenario_totals(tmp_path):
    short = run_scenario(_scenario(tmp_path, FLAT + _capacity(weeks=13)))
    cost = short.capacity.weekly["cost"].sum()
    assert short.capacity.summary["annual_cost"] == pytest.approx(cost * 365.25 / 91)
    assert short.capacity.summary["annual_cost_basis"] == "13 weeks x 365.25 / 91"
    assert short.totals["annual_cost"].iloc[0] == short.capacity.summary["annual_cost"]
    assert short.summary["totals"]["annual_cost"] == short.capacity.summary["annual_cost"]
    long = run_capacity(_scenario(tmp_path, FLAT + _capacity(weeks=60), "long.yaml"))
    first52 = long.weekly.loc[long.weekly["week"] < 52, "cost"].sum()
    assert long.summary["annual_cost"] == pytest.approx(first52 * 365.25 / 364)
    assert long.summary["annual_cost_basis"] == "first 52 weeks x 365.25 / 364"


def test_a_yearly_budget_is_judged_on_the_plan(tmp_path):
    text = FLAT + "budget: {per_year: 5000000}\n" + _capacity()
    result = run_scenario(_scenario(tmp_path, text))
    totals = result.totals.iloc[0]
    assert totals["cost_vs_budget"] == pytest.approx(totals["annual_cost"] / 5_000_000)
    alls = result.capacity.monthly[result.capacity.monthly["group"] == "all"]
    assert alls["budget"].to_numpy() == pytest.approx(alls["days"] * 5_000_000 / 365.25)


def test_stock_and_flow_hold_through_the_pipeline(tmp_path):
    text = (FLAT.replace("channels:\n", "channels:\n  chat: {volume: {daily: 900, profile: "
                         "flat}, aht: 6m, target: 80% in 60s, concurrency: 2}\n")
            + "capacity:\n  weeks: 20\n  groups:\n"
            "    phones: {channels: [voice], headcount: 100, attrition: {annual: 30%, "
            "first_weeks: [5%, 5%]}, ramp: [50%, 80%], hiring: {training: 3w, graduate: 80%}, "
            "classes: [{start: 2, size: 10}]}\n"
            "    web: {channels: [chat], headcount: 20, attrition: 20%}\n"
            "  transfers: [{week: 6, from: phones, to: web, headcount: 4}]\n")
    weekly = run_capacity(_scenario(tmp_path, text)).weekly
    for _, g in weekly.groupby("group"):
        h = g["headcount"].to_numpy()
        flow = (g["graduates"] - g["leavers"] + g["transfers_in"] - g["transfers_out"]).to_numpy()
        assert h[1:] == pytest.approx(h[:-1] + flow[:-1])
    assert weekly.loc[weekly["group"] == "phones", "hires"].sum() == 10
    assert weekly.loc[weekly["group"] == "web", "transfers_in"].sum() == 4


def test_events_scale_the_weeks_they_cover(tmp_path):
    extra = ("  events:\n"
             "    - {from: 2027-01-18, to: 2027-01-31, channel: voice, volume: +25%}\n"
             "    - {from: 2027-02-15, to: 2027-02-16, channel: voice, volume: +35%, aht: 4m}\n")
    result = run_capacity(_scenario(tmp_path, FLAT + _capacity(extra=extra)), grid_step=0)
    offered = result.channels["offered"].to_numpy()
    expected = np.full(13, 33600.0)
    expected[[2, 3]] *= 1.25                   # two whole weeks
    expected[6] *= 1 + 0.35 * 2 / 7            # two days of a week
    assert offered == pytest.approx(expected)
    # the event's contacts at 4m, the rest at 3m
    event = 33600 * (2 / 7) * 1.35
    rest = 33600 * (5 / 7)
    assert result.channels["aht_s"].iloc[6] == pytest.approx((event * 240 + rest * 180)
                                                             / (event + rest))
    # aht_scale (a variant's knob) scales every handle time, the event's too.
    scaled = run_capacity(_scenario(tmp_path, FLAT + "aht_scale: 1.5\n"
                                    + _capacity(extra=extra), "slow.yaml"), grid_step=0)
    assert scaled.channels["aht_s"].to_numpy() == pytest.approx(
        1.5 * result.channels["aht_s"].to_numpy())


def test_demand_from_a_table_and_its_interval(tmp_path):
    weeks = pd.date_range("2027-01-04", periods=13, freq="7D")
    table = pd.DataFrame({"channel": "voice", "week_start": weeks,
                          "offered": np.linspace(30000, 42000, 13)})
    table["offered_lo"] = table["offered"] * 0.9
    table["offered_hi"] = table["offered"] * 1.1
    table.to_csv(tmp_path / "plan.csv", index=False)
    text = FLAT + "volume_scale: 1.1\n" + _capacity(extra="  demand: {table: plan.csv}\n")
    result = run_capacity(_scenario(tmp_path, text))
    assert result.channels["offered"].to_numpy() == pytest.approx(table["offered"] * 1.1)
    w = result.weekly
    assert (w["required_fte_lo"] <= w["required_fte"] + 1e-9).all()
    assert (w["required_fte"] <= w["required_fte_hi"] + 1e-9).all()
    assert (w["required_fte_lo"] < w["required_fte_hi"]).all()
    table.iloc[:-1].to_csv(tmp_path / "plan.csv", index=False)
    with pytest.raises(ScenarioError, match=r"plan\.csv has no row for channel 'voice', week "
                                            r"2027-03-29; a missing week is never read as 0"):
        run_capacity(_scenario(tmp_path, text))


@pytest.mark.slow
def test_demand_forecast_from_a_history(tmp_path):
    weeks = pd.date_range("2023-01-02", periods=156, freq="7D")
    rng = np.random.default_rng(3)
    season = 1 + 0.2 * np.sin(2 * np.pi * np.arange(156) / 52.18)
    pd.DataFrame({"channel": "voice", "week_start": weeks,
                  "offered": np.round(30000 * season * rng.lognormal(0, 0.03, 156))}).to_csv(
        tmp_path / "hist.csv", index=False)
    result = run_capacity(_scenario(tmp_path, FLAT + _capacity(
        weeks=13, extra="  demand: {history: hist.csv, level: 90%}\n")))
    assert result.start == weeks[-1] + pd.Timedelta(days=7)
    c = result.channels
    assert (c["offered_lo"] < c["offered"]).all() and (c["offered"] < c["offered_hi"]).all()
    assert (result.weekly["required_fte_lo"] <= result.weekly["required_fte_hi"]).all()


def test_the_hiring_plan_is_optimised_within_the_rules(tmp_path):
    text = FLAT + _capacity(weeks=26, headcount=40, group=", attrition: 25%, hiring: "
                            "{training: 3w, min_class: 4, max_class: 12, lead_time: 2w, "
                            "every: 2w, cost_per_hire: 2000}")
    result = run_capacity(_scenario(tmp_path, text.replace("capacity:\n", "capacity:\n"
                                                           "  mip_gap: 1%\n")))
    summary = result.summary
    assert summary["plan"] == "optimise" and summary["status"] == "optimal"
    assert summary["mip_rel_gap"] == 0.01 and summary["mip_gap"] <= 0.01
    classes = result.classes
    assert len(classes) > 0 and summary["hires_total"] == classes["size"].sum()
    assert classes["start_week"].isin(range(2, 26, 2)).all()
    assert classes["size"].between(4, 12).all()
    assert (classes["start_date"] == result.start + pd.to_timedelta(
        7 * classes["start_week"], unit="D")).all()
    assert (classes["start_date"].dt.day_of_week == 0).all()
    assert list(classes.columns) == list(CAPACITY_COLUMNS["classes"])


def test_tables_follow_the_contract_and_runs_are_identical(tmp_path):
    text = FLAT + _capacity(weeks=14, extra="  demand: {growth: 5%}\n")
    scn = _scenario(tmp_path, text)
    first, second = run_capacity(scn), run_capacity(scn)
    for name in ("weekly", "channels", "monthly", "classes"):
        table = getattr(first, name)
        assert list(table.columns) == list(CAPACITY_COLUMNS[name])
        assert isinstance(table.index, pd.RangeIndex)
        pd.testing.assert_frame_equal(table, getattr(second, name))
    assert first.summary == second.summary or all(
        (a == b) or (isinstance(a, float) and math.isnan(a) and math.isnan(b))
        for a, b in zip(first.summary.values(), second.summary.values(), strict=True))
    fractions = first.weekly[["coverage", "shrinkage"]].to_numpy()
    assert ((fractions >= 0) & (fractions <= 1)).all()
    assert first.weekly["coverage_probability"].isna().all()


def test_expect_lines_judge_the_plan(tmp_path):
    text = FLAT + "expect: [\"annual_cost <= 4.2M\", \"hires_total <= 60\", " \
        "\"min_weekly_coverage >= 95%\", \"capacity_cost <= 100\"]\n" + _capacity()
    result = run_scenario(_scenario(tmp_path, text))
    outcomes = {o.metric: o for o in check_expectations(result)}
    annual = result.capacity.summary["annual_cost"]
    assert outcomes["annual_cost"].value == annual
    assert outcomes["annual_cost"].passed == (annual <= 4.2e6)
    assert outcomes["hires_total"].passed and outcomes["hires_total"].value == 0
    assert outcomes["min_weekly_coverage"].value == result.capacity.summary[
        "min_weekly_coverage"]
    assert not outcomes["capacity_cost"].passed
    plain = run_scenario(_scenario(tmp_path, FLAT + "expect: [\"hires_total <= 60\"]\n",
                                   "plain.yaml"))
    (outcome,) = check_expectations(plain)
    assert not outcome.passed and "has no capacity: block" in outcome.message


def test_variants_run_their_own_plans(tmp_path):
    text = FLAT + _capacity(group=", attrition: 10%") + (
        "variants:\n  churn: {capacity: {groups: {phones: {attrition: 40%}}}}\n")
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    base, churn = (run_capacity(s) for s in load_scenarios(path))
    assert churn.scenario == "v / churn"
    last = (base.weekly["headcount"].iloc[-1], churn.weekly["headcount"].iloc[-1])
    # 12 weeks of the weekly rate that compounds to the annual one
    assert last[0] == pytest.approx(100 * 0.9 ** (12 / (365.25 / 7)))
    assert last[1] == pytest.approx(100 * 0.6 ** (12 / (365.25 / 7)))


def test_a_scenario_without_the_block_is_refused(tmp_path):
    scn = _scenario(tmp_path, FLAT)
    with pytest.raises(ScenarioError, match="has no capacity: block. Add one"):
        run_capacity(scn)


def test_risk_without_variance_covers_exactly_where_the_expected_plan_does(tmp_path):
    # No forecast (one demand path) and no attrition: every run is the expected plan.
    text = FLAT + _capacity(weeks=13, headcount=59, extra="  risk: {runs: 200}\n"
                            "  shrinkage: {leave: {Jan-Feb: 0%, Mar: 10%, Apr-Dec: 0%}}\n")
    result = run_capacity(_scenario(tmp_path, text))
    w = result.weekly
    assert set(w["coverage_probability"]) <= {0.0, 1.0}
    assert (w["coverage_probability"] == (w["short_fte"] <= 1e-9)).all()
    assert (w["short_fte"] > 0).any() and (w["short_fte"] == 0).any()
    assert result.summary["min_coverage_probability"] == 0.0
    assert result.summary["risk_runs"] == 200


@pytest.mark.slow
def test_the_plan_at_a_probability_and_its_insurance_cost(tmp_path):
    weeks = pd.date_range("2023-01-02", periods=156, freq="7D")
    rng = np.random.default_rng(5)
    pd.DataFrame({"channel": "voice", "week_start": weeks,
                  "offered": np.round(33600 * rng.lognormal(0, 0.05, 156))}).to_csv(
        tmp_path / "hist.csv", index=False)
    group = (", attrition: 20%, hiring: {training: 2w, min_class: 1, max_class: 15, "
             "cost_per_hire: 1500}")
    risky = FLAT + _capacity(weeks=13, headcount=50, group=group, extra=(
        "  demand: {history: hist.csv}\n  risk: {probability: 90%, runs: 300}\n"))
    point = risky.replace("  risk: {probability: 90%, runs: 300}\n", "")
    at_risk = run_capacity(_scenario(tmp_path, risky))
    plain = run_capacity(_scenario(tmp_path, point, "point.yaml"))
    s = at_risk.summary
    assert s["plan"] == "optimise" and s["risk_probability"] == 0.9
    assert s["insurance_cost"] == pytest.approx(s["cost"] - plain.summary["cost"])
    assert s["insurance_cost"] >= 0
    prob = at_risk.weekly["coverage_probability"]
    assert prob.between(0, 1).all() and prob.notna().all()
    assert s["min_coverage_probability"] == prob.min()
    # the point plan's requirement is the same forecast's
    assert at_risk.weekly["required_fte"].tolist() == plain.weekly["required_fte"].tolist()


def test_the_grid_agrees_with_sizing_every_week_directly(tmp_path):
    text = (
        "horizon: {start: 2027-01-04, days: 7}\n"
        "hours: extended\n"
        "pay: {hourly_rates: {agent: 18}}\n"
        "staffing: {method: erlang_a}\n"
        "channels:\n"
        "  voice: {volume: {daily: {Mon-Fri: 2600, Sat: 1400, Sun: 0}, profile: "
        "{\"08:00\": 6, \"12:00\": 9, \"17:00\": 5, \"20:00\": 0}}, aht: 5m, "
        "target: 80% in 20s, patience: 3m}\n"
        "  chat: {volume: {daily: 600, profile: {\"08:00\": 1, \"20:00\": 0}}, aht: 6m, "
        "target: 80% in 60s, concurrency: 2, patience: 5m}\n"
        "  email: {volume: {daily: 300, profile: flat}, aht: 8m, target: 95% in 72h, "
        "deferred: true}\n"
        "capacity:\n"
        "  weeks: 78\n"
        "  demand: {growth: 40%}\n"
        "  events:\n"
        "    - {from: 2027-03-03, to: 2027-03-19, channel: voice, volume: +33%}\n"
        "    - {from: 2027-06-01, to: 2027-06-30, channel: chat, volume: -20%, aht: 7m}\n"
        "  groups:\n"
        "    phones: {channels: [voice], headcount: 80, attrition: 30%}\n"
        "    digital: {channels: [chat, email], headcount: 20, attrition: 30%}\n")
    scn = _scenario(tmp_path, text)
    grid, direct = run_capacity(scn), run_capacity(scn, grid_step=0)
    assert grid.summary["weeks_sized"] < direct.summary["weeks_sized"]
    g = grid.channels.set_index(["channel", "week"])["required_fte"]
    d = direct.channels.set_index(["channel", "week"])["required_fte"]
    # The documented bound: 1% of the requirement plus one agent in every open interval
    # of the week (extended hours: 6 days x 12 h = 72 agent-hours / 37.5 h per FTE).
    bound = 0.01 * d + 72 / 37.5
    assert ((g - d).abs() <= bound).all()
    for channel in ("voice", "chat", "email"):
        rel = ((g - d).abs() / d).loc[channel]
        assert rel.mean() < 0.005, channel
    assert (grid.channels["expected_service_level"]
            - direct.channels["expected_service_level"]).abs().max() < 0.05


def test_a_service_level_floor_sizes_to_it_and_judges_against_the_target(tmp_path):
    scn = _scenario(tmp_path, FLAT + _capacity(headcount=500, extra=(
        "  service_level_floor: 60%\n")))
    result = run_capacity(scn)
    floor_agents = _agents(10.0, target=0.6)
    assert floor_agents < N
    assert result.channels["required_fte"].to_numpy() == pytest.approx(
        np.full(13, 336 * floor_agents * 0.5 / 40))
    # 500 agents available: the ratio is capped at 5 times the (floor's) requirement.
    expected = _erlang_c_sl(5 * floor_agents, 10.0, 20.0, 180.0)
    assert result.channels["expected_service_level"].to_numpy() == pytest.approx(
        np.full(13, expected))
    assert result.summary["first_week_meeting_target"] == 0


@pytest.mark.slow
def test_sample_paths_get_the_growth_scale_and_events_of_the_point(tmp_path):
    weeks = pd.date_range("2023-01-02", periods=156, freq="7D")
    rng = np.random.default_rng(8)
    pd.DataFrame({"channel": "voice", "week_start": weeks,
                  "offered": np.round(33600 * rng.lognormal(0, 0.02, 156))}).to_csv(
        tmp_path / "hist.csv", index=False)
    start = weeks[-1] + pd.Timedelta(days=7)
    event = start + pd.Timedelta(days=14)
    extra = ("  demand: {history: hist.csv, growth: 20%}\n  risk: {runs: 400}\n"
             f"  events: [{{from: {event.date()}, to: {(event + pd.Timedelta(days=6)).date()}, "
             "channel: voice, volume: +50%}]\n")
    text = FLAT + "volume_scale: 1.2\n" + _capacity(weeks=13, headcount=80, extra=extra)
    result = run_capacity(_scenario(tmp_path, text))
    # The runs' mean requirement follows the point's: same growth, scale and event (the
    # paths' mean is the forecast's mean within its sampling error).
    point = result.weekly["required_fte"].to_numpy()
    prob = result.weekly["coverage_probability"].to_numpy()
    assert point[2] > 1.3 * point[1]                # the event's week
    assert prob[2] < prob[1]                        # and its risk


def test_deferred_work_is_sized_for_the_steady_state(tmp_path):
    text = ("horizon: {start: 2027-01-04, days: 7}\n"
            "hours: 8x5\n"
            "pay: {hourly_rates: {agent: 20}}\n"
            "channels:\n"
            "  email: {volume: {daily: 300, profile: flat}, aht: 8m, target: 95% in 72h, "
            "deferred: true}\n")
    first = run_capacity(_scenario(tmp_path, text + "capacity:\n  weeks: 13\n  groups:\n"
                                   "    back: {channels: [email], headcount: 1}\n"))
    need = float(first.weekly["required_fte"].iloc[0])
    # The week's work must be done in the week: 2100 emails x 8 min over 40 open hours is
    # 7 agents at the least, 7 x 40 h / 37.5 h FTE.
    assert need >= 7 * 40 / 37.5 - 1e-9
    staffed = run_capacity(_scenario(tmp_path, text + "capacity:\n  weeks: 13\n  groups:\n"
                                     f"    back: {{channels: [email], headcount: {need}}}\n",
                                     "staffed.yaml"))
    c = staffed.channels
    # Staffed at the requirement, every week but the last (whose late emails are due after
    # the plan) meets the target, and the middle weeks handle all they are offered: the
    # backlog does not grow from week to week.
    assert (c["expected_service_level"].iloc[:-1] >= 0.95).all()
    assert c["handled"].iloc[1:-1].to_numpy() == pytest.approx(c["offered"].iloc[1:-1])


def test_a_week_too_large_to_size_is_refused(tmp_path):
    extra = "  events: [{from: 2027-01-18, to: 2027-01-24, channel: voice, volume: 2000000%}]\n"
    with pytest.raises(ScenarioError, match=r"plan\.yaml: scenario 'plan': capacity: channel "
                                            r"'voice' would be offered 2,0\d\d,\d+ contacts in "
                                            r"one interval .* more than the 1,000,000"):
        run_capacity(_scenario(tmp_path, FLAT + _capacity(extra=extra)))


def test_a_penalty_below_the_overtime_cost_is_refused_by_its_field(tmp_path):
    extra = "  short_penalty: 1000\n"
    # 20 x 40 x (1 + 1/12) + 5 x 40 = 1066.67 a week; overtime at +50%: 1600.
    with pytest.raises(ScenarioError, match=r"capacity\.short_penalty must exceed the cost of an "
                                            r"FTE-week of overtime in group 'phones' \(1,066\.67 a "
                                            r"week x \(1 \+ 0\.5\) = 1,600\.00\), got 1000.*"
                                            r"short_penalty: 10000"):
        run_capacity(_scenario(tmp_path, FLAT + _capacity(extra=extra)))


def test_the_scenario_summary_carries_the_plan_as_json(tmp_path):
    import json

    result = run_scenario(_scenario(tmp_path, FLAT + _capacity()))
    text = json.dumps(result.summary, allow_nan=False)
    capacity = json.loads(text)["capacity"]
    assert capacity["insurance_cost"] is None                 # NaN without risk runs
    assert capacity["annual_cost"] == pytest.approx(result.capacity.summary["annual_cost"])
    assert capacity["plan"] == "given" and capacity["n_weeks"] == 13
