"""The long-range supply model and the hiring plan (issue 17), against independent references.

* Stock and flow: every week's ``headcount[t + 1] = headcount[t] + graduates[t] - leavers[t]
  + transfers_in[t] - transfers_out[t]`` (and the trainees' own balance), on a plan with
  tenure bands, early attrition, a ramp, dropouts and transfers.
* Hand calculations: headcount, leavers, the ramp, available FTE, overtime and every cost of a
  six-week plan, written out as arithmetic here; transfers between two groups; the annual to
  weekly attrition rate compounded back.
* The MILP: its optimal plan's objective equals the least objective of a brute-force
  enumeration of every allowed plan (each priced by ``capacity_whatif``), and its own dual
  bound agrees with that price (its linear model is the what-if's).
* Bad input: the message names the field, the value and the fix.
* Determinism: the same inputs give identical tables; the wall-clock safety net that fires
  says so (status and a warning).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.capacity import (
    AgentGroup,
    HiringClass,
    HiringRules,
    Transfer,
    capacity_whatif,
    plan_hiring,
    weekly_attrition,
)
from staffing.errors import InvalidParameterError
from tests.schedule_clock import jump_after_first_schedule


def _assert_stock_and_flow(weekly: pd.DataFrame) -> None:
    for _, g in weekly.groupby("group", sort=False):
        h = g["headcount"].to_numpy()
        nxt = (h + g["graduates"] - g["leavers"] + g["transfers_in"] - g["transfers_out"])
        np.testing.assert_allclose(h[1:], nxt.to_numpy()[:-1], rtol=0, atol=1e-9)
        tr = g["trainees"].to_numpy()
        nxt_tr = tr[:-1] + g["hires"].to_numpy()[1:] - g["graduates"].to_numpy()[:-1] \
            - g["training_dropouts"].to_numpy()[:-1]
        np.testing.assert_allclose(tr[1:], nxt_tr, rtol=0, atol=1e-9)
        assert (g["headcount"] >= -1e-12).all() and (g["leavers"] >= -1e-12).all()


def test_stock_and_flow_conserve_with_bands_ramp_dropouts_and_transfers():
    n = 20
    a = AgentGroup("voice", starting_headcount=((0, 4), (3, 6), (200, 30)),
                   attrition_weekly=0.01, early_attrition_weekly=(0.05, 0.04, 0.03, 0.02),
                   ramp=(0.4, 0.6, 0.8), shrinkage=0.3, fte_per_head=0.85,
                   overtime_limit_fte=2.0, wage_per_fte_week=900)
    b = AgentGroup("chat", starting_headcount=12, attrition_weekly=0.02,
                   shrinkage=[0.2 + 0.01 * t for t in range(n)])
    classes = [HiringClass("voice", 2, 8, 3, 0.75), HiringClass("voice", 9, 5, 4, 0.8),
               HiringClass("chat", 1, 3, 0), HiringClass("chat", 15, 6, 6)]
    transfers = [Transfer(4, "voice", "chat", 2.0), Transfer(11, "chat", "voice", 1.5)]
    plan = capacity_whatif({"voice": [30.0] * n, "chat": [10.0] * n}, [a, b], classes,
                           transfers=transfers)
    w = plan.weekly
    _assert_stock_and_flow(w)
    assert w["hires"].sum() == 8 + 5 + 3 + 6
    # every hire graduates or drops out, except the class still training at the horizon's end
    done = w["graduates"].sum() + w["training_dropouts"].sum()
    assert done == pytest.approx(8 + 5 + 3)
    assert w["transfers_in"].sum() == w["transfers_out"].sum() == 3.5
    assert ((w["coverage"] >= 0) & (w["coverage"] <= 1)).all()
    np.testing.assert_allclose(w["gap_fte"], w["required_fte"] - w["available_fte"])
    np.testing.assert_allclose(w["overtime_fte"] + w["short_fte"],
                               np.maximum(w["gap_fte"], 0), atol=1e-12)
    assert plan.summary["cost"] == pytest.approx(w["cost"].sum())


def _tenure_vector_model(n, group, classes, transfers):
    """A different method: the group's agents as a vector over tenure buckets, moved a week at
    a time (bucket K holds everyone with K or more weeks on the floor)."""
    early, ramp = list(group.early_attrition_weekly), list(group.ramp)
    k_max = max(len(early), len(ramp))
    rate = np.array([early[k] if k < len(early) else group.attrition_weekly
                     for k in range(k_max + 1)])
    prod = np.array([ramp[k] if k < len(ramp) else 1.0 for k in range(k_max + 1)])
    v = np.zeros(k_max + 1)
    for tenure, heads in group.starting_headcount:
        v[min(tenure, k_max)] += heads
    shrink = np.broadcast_to(np.asarray(group.shrinkage, float), (n,))
    out = {"headcount": [], "leavers": [], "available_fte": []}
    for t in range(n):
        out["headcount"].append(v.sum())
        out["leavers"].append((v * rate).sum())
        out["available_fte"].append((v * prod).sum() * group.fte_per_head * (1 - shrink[t]))
        survivors = v * (1 - rate)
        v = np.zeros(k_max + 1)
        v[1:] += survivors[:-1]
        v[-1] += survivors[-1]
        v[0] += sum(c.size * c.graduation_share for c in classes
                    if c.start_week + c.training_weeks - 1 == t)
        v[-1] += sum(tr.headcount for tr in transfers if tr.week == t and tr.to_group == group.name)
        v[-1] -= sum(tr.headcount for tr in transfers
                     if tr.week == t and tr.from_group == group.name)
    return {k: np.asarray(x) for k, x in out.items()}


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_cohorts_match_a_tenure_vector_model(data):
    n = data.draw(st.integers(3, 15))
    share = st.floats(0.0, 0.3)
    group = AgentGroup(
        "voice",
        starting_headcount=tuple(data.draw(st.lists(st.tuples(st.integers(0, 12),
                                                              st.floats(0, 20)), max_size=3))),
        attrition_weekly=data.draw(share),
        early_attrition_weekly=tuple(data.draw(st.lists(share, max_size=5))),
        ramp=tuple(data.draw(st.lists(st.floats(0.1, 1.0), max_size=5))),
        shrinkage=data.draw(st.floats(0.0, 0.5)), fte_per_head=data.draw(st.floats(0.5, 1.0)))
    other = AgentGroup("chat", starting_headcount=50, attrition_weekly=0.0)
    classes = [HiringClass("voice", start, data.draw(st.integers(1, 9)), weeks,
                           data.draw(st.floats(0.0, 1.0)))
               for start, weeks in data.draw(st.lists(st.tuples(st.integers(1, n - 1),
                                                               st.integers(0, n)), max_size=3))]
    transfers = [Transfer(week, "chat", "voice", data.draw(st.floats(0.5, 5)))
                 for week in data.draw(st.lists(st.integers(0, n - 1), max_size=2))]
    plan = capacity_whatif({"voice": [1.0] * n, "chat": [1.0] * n}, [group, other], classes,
                           transfers=transfers)
    w = plan.weekly[plan.weekly["group"] == "voice"]
    ref = _tenure_vector_model(n, group, classes, transfers)
    for column, values in ref.items():
        np.testing.assert_allclose(w[column], values, rtol=1e-9, atol=1e-9)
    _assert_stock_and_flow(plan.weekly)


def test_six_weeks_by_hand():
    g = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.1,
                   early_attrition_weekly=(0.2,), ramp=(0.5, 0.8), shrinkage=0.2,
                   fte_per_head=0.9, overtime_limit_fte=1.0, wage_per_fte_week=1000,
                   hire_cost=300, training_cost_per_week=50, overtime_premium=0.5,
                   short_penalty_per_fte_week=5000)
    required = [7.0, 7.0, 7.0, 7.0, 7.0, 7.0]
    plan = capacity_whatif({"voice": required}, [g], [HiringClass("voice", 1, 4, 2, 0.75)])
    w = plan.weekly
    tenured = [10 * 0.9**t for t in range(6)]
    new = [0, 0, 0, 3.0, 3 * 0.8, 3 * 0.8 * 0.9]          # 0.75 x 4 graduate after week 2
    np.testing.assert_allclose(w["headcount"], np.add(tenured, new))
    np.testing.assert_allclose(w["trainees"], [0, 4, 4, 0, 0, 0])
    np.testing.assert_allclose(w["graduates"], [0, 0, 3, 0, 0, 0])
    np.testing.assert_allclose(w["training_dropouts"], [0, 0, 1, 0, 0, 0])
    np.testing.assert_allclose(w["leavers"], [1.0, 0.9, 0.81, 0.729 + 3 * 0.2,
                                              0.6561 + 2.4 * 0.1, 0.59049 + 2.16 * 0.1])
    productive = [tenured[t] + new[t] * (0.5, 0.8, 1.0)[min(t - 3, 2)] if t >= 3 else tenured[t]
                  for t in range(6)]
    available = 0.9 * 0.8 * np.asarray(productive)
    np.testing.assert_allclose(w["available_fte"], available)
    overtime = np.clip(7.0 - available, 0, 1.0)
    short = np.maximum(7.0 - available - overtime, 0)
    np.testing.assert_allclose(w["overtime_fte"], overtime)
    np.testing.assert_allclose(w["short_fte"], short)
    assert short[0] == 0 and short[2] > 0   # 7.2 FTE in week 0; 5.83 + 1 overtime in week 2
    np.testing.assert_allclose(w["wages"], 900 * (np.add(tenured, new) + [0, 4, 4, 0, 0, 0]))
    np.testing.assert_allclose(w["hiring_cost"], [0, 1200, 0, 0, 0, 0])
    np.testing.assert_allclose(w["training_cost"], [0, 200, 200, 0, 0, 0])
    np.testing.assert_allclose(w["overtime_cost"], 1500 * overtime)
    np.testing.assert_allclose(w["short_penalty"], 5000 * short)
    total = (900 * (sum(tenured) + sum(new) + 8) + 1200 + 400 + 1500 * overtime.sum())
    assert plan.summary["cost"] == pytest.approx(total)
    assert plan.summary["objective"] == pytest.approx(total + 5000 * short.sum())
    assert plan.classes.to_dict("records") == [
        {"group": "voice", "start_week": 1, "size": 4, "training_weeks": 2,
         "graduation_share": 0.75, "first_floor_week": 3, "graduates": 3.0}]


def test_tenure_bands_follow_their_own_early_attrition_and_ramp():
    g = AgentGroup("voice", starting_headcount=((1, 10),), attrition_weekly=0.05,
                   early_attrition_weekly=(0.3, 0.2), ramp=(0.5, 0.7))
    w = capacity_whatif({"voice": [0.0] * 3}, [g]).weekly
    np.testing.assert_allclose(w["headcount"], [10, 8, 8 * 0.95])
    np.testing.assert_allclose(w["available_fte"], [7, 8, 8 * 0.95])


def test_transfers_by_hand():
    a = AgentGroup("a", starting_headcount=10, attrition_weekly=0.1)
    b = AgentGroup("b", starting_headcount=5, attrition_weekly=0.0)
    w = capacity_whatif({"a": [0.0] * 4, "b": [0.0] * 4}, [a, b],
                        transfers=[Transfer(1, "a", "b", 2.0)]).weekly
    ha = [10, 9, 10 * 0.9**2 - 2, (10 * 0.9**2 - 2) * 0.9]
    np.testing.assert_allclose(w.loc[w["group"] == "a", "headcount"], ha)
    np.testing.assert_allclose(w.loc[w["group"] == "b", "headcount"], [5, 5, 7, 7])
    _assert_stock_and_flow(w)


def test_zero_training_puts_the_class_on_the_floor_in_its_start_week():
    g = AgentGroup("voice", starting_headcount=0, attrition_weekly=0.0)
    w = capacity_whatif({"voice": [0.0] * 3}, [g], [HiringClass("voice", 1, 3, 0)]).weekly
    np.testing.assert_allclose(w["headcount"], [0, 3, 3])
    np.testing.assert_allclose(w["trainees"], [0, 0, 0])
    np.testing.assert_allclose(w["graduates"], [3, 0, 0])
    _assert_stock_and_flow(w)


def test_requirements_and_shrinkage_as_arrays_and_series():
    g = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.0,
                   shrinkage=np.array([0.1, 0.2, 0.3]))
    as_list = capacity_whatif({"voice": [5.0, 6.0, 7.0]}, [g]).weekly
    as_series = capacity_whatif({"voice": pd.Series([5.0, 6.0, 7.0])}, [g]).weekly
    pd.testing.assert_frame_equal(as_list, as_series)
    np.testing.assert_allclose(as_list["available_fte"], [9, 8, 7])


def test_a_plan_keeps_its_rules_when_priced_again():
    g = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.02, wage_per_fte_week=100,
                   short_penalty_per_fte_week=1000)
    rules = [HiringRules("voice", training_weeks=1, min_class_size=2, max_class_size=3,
                         lead_time_weeks=1, allowed_start_weeks=[1, 3, 5])]
    plan = plan_hiring({"voice": [10, 11, 12, 13, 14, 15, 16, 16]}, [g], rules)
    assert len(plan.classes) and set(plan.classes["start_week"]) <= {1, 3, 5}
    assert plan.classes["size"].between(2, 3).all()


def test_annual_attrition_compounds_back():
    weekly = weekly_attrition(0.3)
    assert (1 - weekly) ** (365.25 / 7) == pytest.approx(0.7, rel=1e-12)
    assert weekly_attrition(0.0) == 0.0


# ---------------------------------------------------------------- the MILP against brute force

def _brute_force(required, groups, rules, transfers=()):
    """Least objective over every plan the rules allow, each priced by capacity_whatif."""
    n = len(next(iter(required.values())))
    options = []
    for r in rules:
        starts = [s for s in (r.allowed_start_weeks or range(n))
                  if s >= r.lead_time_weeks and s + r.training_weeks < n]
        sizes = [0, *range(r.min_class_size, r.max_class_size + 1)]
        options += [(r, s, sizes) for s in starts]
    best = math.inf
    for choice in itertools.product(*(sizes for _, _, sizes in options)):
        classes = [HiringClass(r.group, s, k, r.training_weeks, r.graduation_share)
                   for (r, s, _), k in zip(options, choice, strict=True) if k]
        best = min(best, capacity_whatif(required, groups, classes,
                                         transfers=transfers).summary["objective"])
    return best


def test_milp_equals_brute_force_one_group():
    g = AgentGroup("voice", starting_headcount=((0, 2), (100, 8)), attrition_weekly=0.04,
                   early_attrition_weekly=(0.1,), ramp=(0.5, 0.75), shrinkage=0.25,
                   overtime_limit_fte=0.6, wage_per_fte_week=1000, hire_cost=800,
                   training_cost_per_week=150, short_penalty_per_fte_week=4000)
    required = {"voice": [7.0, 7.2, 7.5, 8.0, 9.0, 9.5, 10.0, 10.0, 9.0]}
    rules = [HiringRules("voice", training_weeks=2, graduation_share=0.8, min_class_size=2,
                         max_class_size=4, lead_time_weeks=1, allowed_start_weeks=[0, 1, 2, 4])]
    plan = plan_hiring(required, [g], rules, mip_rel_gap=0.0)
    best = _brute_force(required, [g], rules)
    assert plan.summary["objective"] == pytest.approx(best, rel=1e-9)
    assert plan.summary["dual_bound"] == pytest.approx(best, rel=1e-7)
    assert plan.summary["status"] == "optimal"
    assert set(plan.classes["start_week"]) <= {1, 2, 4}          # lead time drops week 0
    assert plan.classes["size"].between(2, 4).all()
    _assert_stock_and_flow(plan.weekly)


def test_milp_equals_brute_force_two_groups_with_a_transfer():
    a = AgentGroup("voice", starting_headcount=6, attrition_weekly=0.05, ramp=(0.6,),
                   overtime_limit_fte=0.5, wage_per_fte_week=800, hire_cost=500,
                   short_penalty_per_fte_week=3000)
    b = AgentGroup("chat", starting_headcount=4, attrition_weekly=0.02, shrinkage=0.1,
                   wage_per_fte_week=700, hire_cost=1500, training_cost_per_week=100,
                   short_penalty_per_fte_week=2500)
    required = {"voice": [5.0, 6.0, 7.0, 8.0, 8.0, 7.0], "chat": [3.0, 3.0, 5.0, 5.0, 6.0, 6.0]}
    rules = [HiringRules("voice", training_weeks=1, min_class_size=1, max_class_size=3,
                         allowed_start_weeks=[0, 2, 3]),
             HiringRules("chat", training_weeks=1, graduation_share=0.5, min_class_size=2,
                         max_class_size=3, lead_time_weeks=1, allowed_start_weeks=[0, 1, 3])]
    transfers = [Transfer(1, "voice", "chat", 1.0)]
    plan = plan_hiring(required, [a, b], rules, transfers=transfers, mip_rel_gap=0.0)
    best = _brute_force(required, [a, b], rules, transfers)
    assert plan.summary["objective"] == pytest.approx(best, rel=1e-9)
    assert plan.summary["dual_bound"] == pytest.approx(best, rel=1e-7)


def test_a_group_without_rules_hires_nobody():
    a = AgentGroup("voice", starting_headcount=5, attrition_weekly=0.0, wage_per_fte_week=100,
                   short_penalty_per_fte_week=1000)
    b = AgentGroup("chat", starting_headcount=1, attrition_weekly=0.0)
    plan = plan_hiring({"voice": [5, 5, 6, 6], "chat": [2, 2, 2, 2]}, [a, b],
                       [HiringRules("voice", training_weeks=1)])
    assert set(plan.classes["group"]) == {"voice"}
    assert plan.weekly.loc[plan.weekly["group"] == "chat", "short_fte"].sum() == 4.0


def test_no_class_to_choose_is_solved_exactly():
    g = AgentGroup("voice", starting_headcount=5, attrition_weekly=0.0, wage_per_fte_week=10,
                   overtime_limit_fte=0.5, short_penalty_per_fte_week=100)
    for rules in ([], [HiringRules("voice", training_weeks=1, lead_time_weeks=2)]):
        plan = plan_hiring({"voice": [5, 6, 7]}, [g], rules)
        # 15 agent-weeks of wages, overtime 0.5 in weeks 1 and 2, short 0.5 and 1.5
        assert plan.summary["objective"] == pytest.approx(150 + 15 * 1.0 + 100 * 2.0)
        assert plan.summary["status"] == "optimal" and plan.summary["mip_gap"] == 0.0
        assert plan.classes.empty


def test_plan_is_deterministic():
    g = AgentGroup("voice", starting_headcount=40, attrition_weekly=weekly_attrition(0.35),
                   ramp=(0.5, 0.7, 0.9), shrinkage=0.3, overtime_limit_fte=2,
                   wage_per_fte_week=1000, hire_cost=2000, training_cost_per_week=200)
    required = {"voice": list(25 + 8 * np.sin(np.arange(30) / 5))}
    rules = [HiringRules("voice", training_weeks=3, graduation_share=0.85, min_class_size=4,
                         max_class_size=12, lead_time_weeks=2)]
    one = plan_hiring(required, [g], rules)
    two = plan_hiring(required, [g], rules)
    pd.testing.assert_frame_equal(one.weekly, two.weekly)
    pd.testing.assert_frame_equal(one.classes, two.classes)
    keep = {k: v for k, v in one.summary.items() if k != "runtime_s"}
    assert keep == {k: v for k, v in two.summary.items() if k != "runtime_s"}


def test_the_safety_net_that_fires_is_reported(monkeypatch):
    jumps = jump_after_first_schedule(monkeypatch)
    g = AgentGroup("voice", starting_headcount=40, attrition_weekly=weekly_attrition(0.35),
                   ramp=(0.5, 0.7, 0.9), shrinkage=0.3, overtime_limit_fte=2,
                   wage_per_fte_week=1000, hire_cost=2000, training_cost_per_week=200)
    required = {"voice": list(25 + 8 * np.sin(np.arange(52) / 5))}
    rules = [HiringRules("voice", training_weeks=3, graduation_share=0.85, min_class_size=4,
                         max_class_size=12, lead_time_weeks=2)]
    with pytest.warns(RuntimeWarning, match="safety net"):
        plan = plan_hiring(required, [g], rules, mip_rel_gap=0.0)
    assert jumps and plan.summary["status"] == "time_limit"


# ---------------------------------------------------------------- bad input

GOOD = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.01)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: capacity_whatif({"voice": [1.0] * 4}, [AgentGroup("voice", 10, -0.01)]),
     r"group 'voice': attrition_weekly must be a share in \[0, 1\), got -0.01\. Give the weekly"),
    (lambda: capacity_whatif({"voice": [1.0] * 4}, [GOOD], [HiringClass("voice", 0, 3, 5)]),
     r"classes\[0\]\.training_weeks must be in \[0, 4\], got 5\. Training cannot be longer"),
    (lambda: plan_hiring({"voice": [1.0] * 4}, [GOOD], [HiringRules("voice", 4)]),
     r"rules\[0\]\.training_weeks must be in \[0, 3\], got 4\. Training must end inside"),
    (lambda: plan_hiring({"voice": [1.0] * 4}, [GOOD],
                         [HiringRules("voice", 1, min_class_size=8, max_class_size=5)]),
     r"rules\[0\]\.max_class_size must be >= 8, got 5\. Raise max_class_size"),
    (lambda: capacity_whatif({"voice": [1.0] * 4}, [GOOD], [HiringClass("voice", 4, 3, 0)]),
     r"classes\[0\]\.start_week must be in \[0, 3\], got 4\. Start the class inside"),
    (lambda: capacity_whatif({"voice": [1.0] * 4}, [GOOD], [HiringClass("voice", 0, 3, 0)]),
     r"classes\[0\]\.start_week must be >= 1 for a class without training.*starting_headcount"),
    (lambda: capacity_whatif({"voice": [1.0] * 4}, [GOOD], [HiringClass("voice", 0, 0, 1)]),
     r"classes\[0\]\.size must be >= 1, got 0"),
    (lambda: capacity_whatif({"voice": [1.0, float("nan"), 1.0]}, [GOOD]),
     r"required_fte\['voice'\]\[1\] must be a finite FTE >= 0, got nan\. .*never read as zero"),
    (lambda: capacity_whatif({"voice": [1.0] * 3}, [AgentGroup("voice", 10, 0.0,
                                                              ramp=(0.5, 0.0))]),
     r"ramp\[1\] must be a share in \(0, 1\], got 0.0"),
    (lambda: capacity_whatif({"voice": [1.0] * 3}, [AgentGroup("voice", 10, 0.0,
                                                              shrinkage=[0.1, 0.2])]),
     r"shrinkage must be one number or one per week \(3\), got '2 values'"),
    (lambda: capacity_whatif({"voice": [1.0] * 3}, [AgentGroup(
        "voice", 10, 0.0, wage_per_fte_week=1000, short_penalty_per_fte_week=1200)]),
     r"short_penalty_per_fte_week must exceed the cost of an FTE-week of overtime \(1500\)"),
    (lambda: capacity_whatif({"chat": [1.0] * 3}, [GOOD]),
     r"required_fte names the groups \['chat'\] but groups are \['voice'\]"),
    (lambda: capacity_whatif({"voice": [1.0] * 3, "chat": [1.0] * 3},
                             [GOOD, AgentGroup("chat", 1, 0.0)],
                             transfers=[Transfer(0, "chat", "voice", 3.0)]),
     r"capacity_whatif\(\): transfers: group 'chat' would have -2.00 agents in week 1.*Move"),
    (lambda: capacity_whatif({"voice": [1.0] * 3}, [GOOD],
                             transfers=[Transfer(0, "voice", "sales", 1.0)]),
     r"transfers\[0\]\.to_group must be one of \['voice'\], got 'sales'"),
    (lambda: weekly_attrition(1.2), r"annual_rate must be a share in \[0, 1\), got 1.2"),
    (lambda: capacity_whatif({"voice": [1.0] * 6}, [GOOD], [HiringClass("voice", 2, 15, 1)],
                             rules=[HiringRules("voice", 1, max_class_size=12)]),
     r"classes\[0\]\.size must be at most rules\[0\]\.max_class_size \(12\), got 15\. Split"),
    (lambda: capacity_whatif({"voice": [1.0] * 6}, [GOOD], [HiringClass("voice", 1, 5, 1)],
                             rules=[HiringRules("voice", 1, lead_time_weeks=2)]),
     r"classes\[0\]\.start_week must be >= rules\[0\]\.lead_time_weeks \(2\), got 1"),
    (lambda: capacity_whatif({"voice": [1.0] * 6}, [GOOD], [HiringClass("voice", 3, 5, 1)],
                             rules=[HiringRules("voice", 1, allowed_start_weeks=[2, 4])]),
     r"classes\[0\]\.start_week must be one of rules\[0\]\.allowed_start_weeks \[2, 4\]"),
    (lambda: capacity_whatif({"voice": [1.0] * 6}, [GOOD], [HiringClass("voice", 3, 5, 2)],
                             rules=[HiringRules("voice", 1)]),
     r"classes\[0\]\.training_weeks must equal rules\[0\]\.training_weeks \(1\), got 2"),
])
def test_bad_input_names_the_field_the_value_and_the_fix(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


def test_transfers_no_plan_can_cover_are_an_error():
    a = AgentGroup("a", starting_headcount=2, attrition_weekly=0.0)
    b = AgentGroup("b", starting_headcount=0, attrition_weekly=0.0)
    with pytest.raises(InvalidParameterError, match="no hiring plan keeps every group's "
                       "headcount >= 0.*Move fewer"):
        plan_hiring({"a": [0.0] * 4, "b": [0.0] * 4}, [a, b],
                    [HiringRules("a", training_weeks=2, lead_time_weeks=1)],
                    transfers=[Transfer(0, "a", "b", 5.0)])
