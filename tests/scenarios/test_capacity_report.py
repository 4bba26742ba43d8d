"""The capacity report and its figures (``ccplan capacity``), on plans built per the contract.

The weekly and class tables come from the staffing engine (``staffing.capacity.
capacity_whatif``); the pipeline's own columns (week starts, the demand band, the risk
column, channels, months) are set here by hand with simple numbers. The figures must draw
exactly those columns (reshaping only), and what they draw must obey the plan's laws: stock
and flow (on the floor next week = this week + graduates - leavers), overtime + short = the
positive gap, the stacked monthly cost = the month's cost. Dates and month labels are worked
out by hand from Monday 2027-01-04. The report is opened in chromium at 1400 and 1000 px.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd
import pytest

from scenarios import figures
from scenarios.pipeline import CapacityResult
from scenarios.report import capacity_report_html
from staffing.capacity import AgentGroup, HiringClass, capacity_whatif

START = pd.Timestamp("2027-01-04")          # a Monday


def _months(start: pd.Timestamp, n_weeks: int) -> list[tuple[pd.Timestamp, int]]:
    """(first of month, days of the plan in it) over the plan's days."""
    days = pd.date_range(start, periods=7 * n_weeks, freq="D")
    counts = pd.Series(1, index=days).groupby(days.to_period("M")).sum()
    return [(p.to_timestamp(), int(n)) for p, n in counts.items()]


def capacity_result(*, scenario: str = "bank", groups: tuple[str, ...] = ("voice_team",),
                    n_weeks: int = 20, risk: bool = True, budget: bool = True,
                    plan: str = "given", currency: str = "XTS", scale: float = 1.0,
                    first_week: float = 6.0) -> CapacityResult:
    """A plan of ``n_weeks`` weeks from Monday 2027-01-04, one channel per group."""
    required = {g: [scale * (20.0 + 3 * k + (w % 5)) for w in range(n_weeks)]
                for k, g in enumerate(groups)}
    teams = [AgentGroup(g, starting_headcount=26.0 + 3 * k, attrition_weekly=0.01,
                        ramp=(0.6, 0.8), shrinkage=0.3, overtime_limit_fte=1.0,
                        wage_per_fte_week=900.0, hire_cost=3000.0,
                        training_cost_per_week=400.0) for k, g in enumerate(groups)]
    classes = [HiringClass(g, start_week=2, size=6, training_weeks=4, graduation_share=0.85)
               for g in groups]
    engine = capacity_whatif(required, teams, classes)
    weekly = engine.weekly.copy()
    weekly["week_start"] = START + pd.to_timedelta(7 * weekly["week"], unit="D")
    weekly["shrinkage"] = 0.3
    weekly["required_fte_lo"] = 0.9 * weekly["required_fte"]
    weekly["required_fte_hi"] = 1.1 * weekly["required_fte"]
    weekly["coverage_probability"] = (np.linspace(0.4, 0.95, len(weekly)) if risk
                                      else math.nan)
    channels = pd.DataFrame([
        {"channel": f"ch_{g}", "group": g, "week": w, "week_start": START + pd.Timedelta(weeks=w),
         "offered": 1000.0 + w, "offered_lo": 900.0 + w, "offered_hi": 1100.0 + w,
         "aht_s": 300.0, "required_fte": required[g][w],
         "expected_service_level": min(0.5 + 0.05 * w, 0.9), "handled": 950.0 + w}
        for g in groups for w in range(n_weeks)])
    rows = []
    for who in (*groups, "all") if len(groups) > 1 else ("all", *groups):
        for m, (month, days) in enumerate(_months(START, n_weeks)):
            wages, hiring = scale * 40_000.0 + m, 3000.0 * (m == 0)
            training, overtime = 800.0, 50.0 * m
            cost = wages + hiring + training + overtime
            spend = 45_000.0 if budget else math.nan
            rows.append({"month": month, "group": who, "days": days, "headcount": 30.0 + m,
                         "fte_on_floor": 29.0 + m, "available_fte": 20.0 + m,
                         "required_fte": 21.0 + m, "hires": 6.0 * (m == 0), "graduates": 5.1,
                         "leavers": 1.2, "wages": wages, "hiring_cost": hiring,
                         "training_cost": training, "overtime_cost": overtime, "cost": cost,
                         "offered": 4000.0, "handled": 3800.0, "cost_per_contact": cost / 4000,
                         "cost_per_handled": cost / 3800, "budget": spend,
                         "cost_vs_budget": cost / spend})
    monthly = pd.DataFrame(rows)
    table = engine.classes.copy()
    table["start_date"] = START + pd.to_timedelta(7 * table["start_week"], unit="D")
    table["first_floor_date"] = START + pd.to_timedelta(7 * table["first_floor_week"], unit="D")
    summary = dict(engine.summary)
    summary.update({"annual_cost": 1_234_567.0 * scale,
                    "annual_cost_basis": "the horizon's cost scaled to a year",
                    "min_coverage_probability": 0.4 if risk else math.nan,
                    "insurance_cost": 56_789.0 if risk else math.nan,
                    "first_week_meeting_target": first_week, "plan": plan})
    return CapacityResult(scenario=scenario, currency=currency, start=START, n_weeks=n_weeks,
                          weekly=weekly, channels=channels, monthly=monthly, classes=table,
                          summary=summary)


# --------------------------------------------------------------------------------- figures

def traces(fig) -> dict[str, dict]:
    return {t["name"]: t for t in fig.to_plotly_json()["data"]}


def weekly_of(result, group: str) -> pd.DataFrame:
    rows = result.weekly[result.weekly["group"] == group]
    return rows.sort_values("week").reset_index(drop=True)


def test_fte_figure_draws_the_weekly_columns_and_the_demand_band():
    result = capacity_result()
    rows = weekly_of(result, "voice_team")
    drawn = traces(figures.capacity_figure(result, "fte"))
    assert drawn["required"]["y"] == pytest.approx(list(rows["required_fte"]))
    assert drawn["available (productive)"]["y"] == pytest.approx(list(rows["available_fte"]))
    # Mondays by hand: week k starts 2027-01-04 + 7k days.
    assert drawn["required"]["x"][:3] == ["2027-01-04", "2027-01-11", "2027-01-18"]
    assert drawn["required"]["x"][-1] == "2027-05-17"
    # The band: upper edge forwards, lower edge backwards (one closed polygon).
    band = drawn["required: prediction interval of demand"]
    n = len(rows)
    assert band["y"][:n] == pytest.approx(list(1.1 * rows["required_fte"]))
    assert band["y"][n:] == pytest.approx(list(0.9 * rows["required_fte"])[::-1])
    probability = drawn["probability that supply covers it (right axis)"]
    assert probability["yaxis"] == "y2"
    assert probability["y"] == pytest.approx(list(rows["coverage_probability"]))


def test_fte_figure_without_risk_has_no_probability_line():
    drawn = traces(figures.capacity_figure(capacity_result(risk=False), "fte"))
    assert set(drawn) == {"required: prediction interval of demand", "required",
                          "available (productive)"}


def test_no_band_when_the_demand_has_no_interval():
    result = capacity_result(risk=False)
    result.weekly["required_fte_lo"] = result.weekly["required_fte"]
    result.weekly["required_fte_hi"] = result.weekly["required_fte"]
    drawn = traces(figures.capacity_figure(result, "fte"))
    assert set(drawn) == {"required", "available (productive)"}


def test_headcount_figure_obeys_stock_and_flow():
    result = capacity_result()
    drawn = traces(figures.capacity_figure(result, "headcount"))
    stock = np.array(drawn["on the floor (start of week)"]["y"])
    graduates = np.array(drawn["graduates (onto the floor)"]["y"])
    leavers_below = np.array(drawn["leavers (below zero)"]["y"])
    assert (leavers_below <= 0).all() and (leavers_below < 0).any()
    # headcount(t+1) = headcount(t) + graduates(t) - leavers(t): no transfers in this plan.
    assert stock[1:] == pytest.approx(stock[:-1] + graduates[:-1] + leavers_below[:-1])
    # The one class of 6 starts in week 2, trains 4 weeks, 85% graduate at the end of week 5.
    hires = drawn["hires (class starts)"]["y"]
    assert hires[2] == 6 and sum(hires) == 6
    assert graduates[5] == pytest.approx(0.85 * 6) and graduates.sum() == pytest.approx(5.1)
    assert drawn["in training"]["y"][2:6] == pytest.approx([6, 6, 6, 6])


def test_overtime_and_short_stack_to_the_positive_gap():
    result = capacity_result()
    rows = weekly_of(result, "voice_team")
    fig = figures.capacity_figure(result, "overtime")
    drawn = traces(fig)
    stacked = np.array(drawn["overtime"]["y"]) + np.array(drawn["short (after overtime)"]["y"])
    gap = (rows["required_fte"] - rows["available_fte"]).clip(lower=0)
    assert stacked == pytest.approx(gap.to_numpy())
    assert max(drawn["overtime"]["y"]) == pytest.approx(1.0)       # the overtime limit
    assert fig.layout.barmode == "stack"


def test_cost_figure_stacks_to_the_monthly_cost_and_draws_the_budget():
    result = capacity_result()
    fig = figures.capacity_figure(result, "cost")
    drawn = traces(fig)
    stacked = sum(np.array(drawn[name]["y"]) for name in ("wages", "hiring", "training",
                                                         "overtime"))
    months = result.monthly[result.monthly["group"] == "all"].sort_values("month")
    assert stacked == pytest.approx(months["cost"].to_numpy())
    assert drawn["budget"]["y"] == pytest.approx(list(months["budget"]))
    # 20 weeks from Monday 4 January 2027 end on Sunday 23 May: January has 28 days of the
    # plan, May 23; February to April are whole.
    assert drawn["wages"]["x"] == ["Jan 2027 (28 d)", "Feb 2027", "Mar 2027", "Apr 2027",
                                   "May 2027 (23 d)"]
    assert "budget" not in traces(figures.capacity_figure(capacity_result(budget=False), "cost"))


def test_service_level_figure_one_line_per_channel():
    result = capacity_result(groups=("voice_team", "chat_team"))
    drawn = traces(figures.capacity_figure(result, "service_level"))
    assert set(drawn) == {"ch_voice_team", "ch_chat_team"}
    rows = result.channels[result.channels["channel"] == "ch_chat_team"].sort_values("week")
    assert drawn["ch_chat_team"]["y"] == pytest.approx(list(rows["expected_service_level"]))
    only = traces(figures.capacity_figure(result, "service_level", group="chat_team"))
    assert set(only) == {"ch_chat_team"}


def test_groups_are_picked_by_name_and_bad_names_are_refused():
    result = capacity_result(groups=("voice_team", "chat_team"))
    with pytest.raises(ValueError, match=r"2 agent groups \(voice_team, chat_team\); give "
                                         r"group= one of them"):
        figures.capacity_figure(result, "fte")
    drawn = traces(figures.capacity_figure(result, "fte", group="chat_team"))
    assert drawn["required"]["y"] == pytest.approx(
        list(weekly_of(result, "chat_team")["required_fte"]))
    with pytest.raises(ValueError, match="group='email' is not in the plan; its groups are "
                                         "voice_team, chat_team"):
        figures.capacity_figure(result, "headcount", group="email")
    with pytest.raises(ValueError, match="chart='gap' is not one of fte, headcount, overtime, "
                                         "cost, service_level"):
        figures.capacity_figure(result, "gap")
    # The cost chart of one group reads that group's monthly rows.
    one = traces(figures.capacity_figure(result, "cost", group="chat_team"))
    assert len(one["wages"]["y"]) == 5


def test_comparison_figure_one_bar_series_per_plan_months_in_order():
    plans = [capacity_result(scenario="bank / 8x5"),
             capacity_result(scenario="bank / 24x7", scale=1.3)]
    # The second plan's table starts a month later (its January row dropped).
    late = plans[1].monthly[plans[1].monthly["month"] > pd.Timestamp("2027-01-31")]
    plans[1] = CapacityResult(**{**plans[1].__dict__, "monthly": late.reset_index(drop=True)})
    fig = figures.capacity_comparison_figure(plans)
    drawn = traces(fig)
    assert set(drawn) == {"bank / 8x5", "bank / 24x7"}
    for plan in plans:
        months = plan.monthly[plan.monthly["group"] == "all"].sort_values("month")
        assert drawn[plan.scenario]["y"] == pytest.approx(list(months["cost"]))
    assert drawn["bank / 24x7"]["x"] == ["Feb 2027", "Mar 2027", "Apr 2027", "May 2027 (23 d)"]
    assert list(fig.layout.xaxis.categoryarray) == ["Jan 2027 (28 d)", "Feb 2027", "Mar 2027",
                                                    "Apr 2027", "May 2027 (23 d)"]
    assert fig.layout.barmode == "group"
    labelled = traces(figures.capacity_comparison_figure(plans, ["8x5", "24x7"]))
    assert set(labelled) == {"8x5", "24x7"}
    with pytest.raises(ValueError, match="in XTS, EUR; compare plans of one currency"):
        figures.capacity_comparison_figure([plans[0], capacity_result(currency="EUR")])
    with pytest.raises(ValueError, match="2 plans but 1 labels"):
        figures.capacity_comparison_figure(plans, ["8x5"])


def test_user_text_is_escaped_in_figures():
    result = capacity_result(groups=("<b>team</b>",), scenario="<i>x</i>")
    fig = figures.capacity_figure(result, "fte", group="<b>team</b>")
    assert "&lt;b&gt;team&lt;/b&gt;" in fig.layout.title.text
    comparison = figures.capacity_comparison_figure([result])
    assert comparison.data[0].name == "&lt;i&gt;x&lt;/i&gt;"


# ---------------------------------------------------------------------------------- report

def text_of(page: str) -> str:
    """The page's visible words: tags dropped, entities unescaped, scripts left out."""
    body = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_report_opens_with_the_headline_numbers():
    page = capacity_report_html([capacity_result()])
    words = " ".join(text_of(page).split())
    first_chart = page.index('id="capacity-fte-0"')
    for value in ("1,234,567", "annual cost (XTS)", "6 hires over the plan", "77.0%",
                  "week 6", "first week meeting every target (Monday 2027-02-15)",
                  "40.0%", "56,789"):
        assert value in words
    for value in ("1,234,567", "56,789", "week 6"):
        assert page.index(value) < first_chart
    # min weekly coverage of the engine's table, as a percentage.
    coverage = capacity_result().weekly["coverage"].min()
    assert f"{100 * coverage:.1f}% lowest weekly coverage" in words


def test_insurance_is_not_applicable_to_a_given_plan_with_risk_runs():
    result = capacity_result()
    result.summary["insurance_cost"] = math.nan
    words = " ".join(text_of(capacity_report_html([result])).split())
    assert "n/a insurance cost (XTS)" in words and "no risk runs" not in words


def test_report_without_risk_says_so_and_a_missed_target_is_named():
    page = capacity_report_html([capacity_result(risk=False, first_week=math.nan)])
    words = " ".join(text_of(page).split())
    assert "no risk runs insurance cost (XTS)" in words
    assert "probability covered" not in words.split("Required and available")[0]
    assert "not reached first week meeting every target: none within the plan" in words


def test_report_sections_classes_and_months_by_hand():
    result = capacity_result(plan="optimise")
    result.summary.update({"status": "optimal", "mip_gap": 0.004})
    page = capacity_report_html([result])
    words = " ".join(text_of(page).split())
    for heading in ("Required and available FTE by week", "Headcount: stock and flows",
                    "Overtime and FTE short", "Cost by month against the budget (XTS)",
                    "Hiring classes", "Monthly finance"):
        assert f"<h2>{heading}</h2>" in page
    assert ("optimised hiring classes (MILP, HiGHS): optimal within 0.4%"
            in words)
    assert "20 weeks, 2027-01-04 to 2027-05-23" in words
    # The class: starts Monday of week 2 (18 January), on the floor from week 6 (15 February).
    assert ("voice_team 2027-01-18 (week 2) 6 4 85.0% 5.1 2027-02-15 (week 6)") in words
    # One monthly row per month of group "all", the partial months with their days.
    assert "Jan 2027 (28 d) 30.0 29.0 20.0 21.0 6.0 1.2 43,800" in words
    assert "May 2027 (23 d)" in words
    assert "<details>" not in page                      # one group: no per-group tables
    for div in ("capacity-fte-0", "capacity-service", "capacity-headcount-0",
                "capacity-overtime-0", "capacity-cost"):
        assert page.count(f'id="{div}"') == 1


def test_several_plans_start_with_the_comparison():
    plans = [capacity_result(scenario="bank / 8x5", groups=("voice_team", "chat_team")),
             capacity_result(scenario="bank / 24x7", scale=1.3, risk=False,
                             first_week=math.nan)]
    page = capacity_report_html(plans)
    words = " ".join(text_of(page).split())
    assert page.index("<h2>Comparison</h2>") < page.index("<h2>bank / 8x5</h2>") < page.index(
        "<h2>bank / 24x7</h2>")
    assert page.index('id="capacity-compare-cost"') < page.index("<h2>bank / 8x5</h2>")
    assert "bank / 8x5 1,234,567" in words and "bank / 24x7 1,604,937" in words
    assert "week 6 (2027-02-15)" in words and "not within the plan" in words
    # Two groups: one weekly chart per group, and monthly tables per group folded away.
    assert page.count('id="capacity-0-fte-') == 2 and page.count('id="capacity-1-fte-') == 1
    assert page.count("<details>") == 2
    ids = re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', page)
    assert len(ids) == len(set(ids))
    assert page.count("Plotly.newPlot") == len(ids)


def test_report_is_byte_identical_escaped_and_refuses_nothing():
    plans = [capacity_result(scenario="<script>alert(1)</script>")]
    page = capacity_report_html(plans)
    assert page == capacity_report_html(plans)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    with pytest.raises(ValueError, match="no capacity plan given"):
        capacity_report_html([])
