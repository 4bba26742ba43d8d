"""The two-stage solve and tours without a fixed start, against the direct MILP.

References: the direct solve's proven optimum (gap 0) on the same instance,
and identities the tables must satisfy whatever the method.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing import schedule_shifts
from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

H = 3600.0
IVL = 1800.0


def _day(req: list[int]) -> pd.DataFrame:
    starts = pd.date_range("2026-01-05 06:00", periods=len(req), freq="30min")
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "agents_required": req})


def _week(day_shape: list[int], scale: list[float]) -> pd.DataFrame:
    starts = pd.date_range("2026-01-05", periods=7 * 48, freq="30min")
    req = [int(round(v * scale[d])) for d in range(7) for v in day_shape]
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "agents_required": req})


def _on_duty(sched, horizon: pd.DatetimeIndex, interval_s: float) -> np.ndarray:
    """Agents on duty per interval, recounted from the shifts and breaks tables."""
    pos = {ts: i for i, ts in enumerate(horizon)}
    n = np.zeros(len(horizon), dtype=int)
    for row in sched.shifts.itertuples():
        k = pos[row.shift_start]
        for i in range(int(row.duration_s // interval_s)):
            n[(k + i) % len(horizon)] += row.headcount
    for row in sched.breaks.itertuples():
        k = pos[row.break_start]
        for i in range(int(row.duration_s // interval_s)):
            n[(k + i) % len(horizon)] -= row.headcount
    return n


WITH_BREAKS = ShiftTemplate(
    "FT6", 6 * H, 6 * H, 14 * H, start_step_s=IVL,
    breaks=(BreakRule("coffee", IVL, 1 * H, 2.5 * H, is_paid=True),
            BreakRule("lunch", IVL, 3 * H, 4.5 * H)))


@settings(max_examples=15)
@given(st.lists(st.integers(0, 6), min_size=20, max_size=20))
def test_two_stage_is_never_below_the_optimum_and_its_bound_never_above(req):
    """two_stage returns a feasible schedule: its objective >= the proven optimum,
    and its certificate (the LP bound) <= the optimum; the gap is (obj - bound) / obj."""
    requirements = _day(req)
    rates = PayRates(night_premium=0.3)
    exact = schedule_shifts(requirements, [WITH_BREAKS], interval_s=IVL, rates=rates,
                            rules=ScheduleRules(method="direct", mip_rel_gap=0.0))
    two = schedule_shifts(requirements, [WITH_BREAKS], interval_s=IVL, rates=rates,
                          rules=ScheduleRules(method="two_stage", mip_rel_gap=0.0))
    assert two.summary["method"] == "two_stage"
    opt = exact.summary["objective"]
    assert two.summary["objective"] >= opt - 1e-6
    # The bound and the gap are on the solver's objective (the cost + penalty + tie-break).
    bound = two.summary["dual_bound"]
    assert bound <= exact.summary["solver_objective"] + 1e-6
    obj = two.summary["solver_objective"]
    expected_gap = max(obj - bound, 0) / obj if obj > 0 else 0.0
    assert two.summary["mip_gap"] == pytest.approx(expected_gap, abs=1e-9)
    # The tables hold together: on duty recounted from shifts and breaks.
    horizon = pd.DatetimeIndex(requirements["interval_start"])
    np.testing.assert_array_equal(_on_duty(two, horizon, IVL),
                                  two.coverage["agents_scheduled"].to_numpy())
    penalty = two.summary["under_penalty"]
    assert two.summary["objective"] == pytest.approx(
        two.summary["cost"] + penalty * two.coverage["under"].sum())


def test_tours_without_a_fixed_start_link_patterns_to_days():
    """Flexible-start tours: on every weekday, the template's shifts equal the pattern
    agents working that day; each pattern works 5 days with the 2 days off together."""
    shape = [0] * 14 + [3, 5, 8, 8, 8, 6, 6, 8, 8, 8, 6, 4, 3, 2, 2, 2] + [0] * 18
    req = _week(shape, [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.3])
    t = ShiftTemplate("FT8", 8 * H, 6 * H, 12 * H, start_step_s=IVL, days_per_week=5,
                      same_start_time=False,
                      breaks=(BreakRule("lunch", IVL, 3 * H, 5 * H),))
    sched = schedule_shifts(req, [t], interval_s=IVL,
                            rules=ScheduleRules(coverage="hard", mip_rel_gap=0.0))
    tours = sched.tours
    assert (tours["start_time"] == "varies").all()
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for d, name in enumerate(names):
        working = tours.loc[tours["days_on"].str.contains(name), "headcount"].sum()
        shifts = sched.shifts.loc[sched.shifts["shift_start"].dt.day_of_week == d, "headcount"]
        assert shifts.sum() == working
    for days_on in tours["days_on"]:
        on = [names.index(x) for x in days_on.split()]
        assert len(on) == 5
        off = sorted(set(range(7)) - set(on))
        # Two days off in a row on the circular week.
        assert (off[1] - off[0]) % 7 == 1 or (off[0] - off[1]) % 7 == 1
    assert sched.summary["headcount"] == tours["headcount"].sum()
    assert (sched.coverage["under"] == 0).all()


@settings(max_examples=8)
@given(st.lists(st.integers(0, 4), min_size=8, max_size=8))
def test_a_flexible_start_never_costs_more_than_a_fixed_one(day):
    """Dropping the same-start rule relaxes the programme: the optimum cannot rise."""
    shape = [0] * 16 + [x for x in day for _ in range(2)] + [0] * 16
    req = _week(shape, [1, 1, 1, 1, 1, 1, 1])
    base = dict(length_s=4 * H, earliest_start_s=7 * H, latest_start_s=13 * H,
                start_step_s=2 * H, days_per_week=5)
    fixed = schedule_shifts(req, [ShiftTemplate("T", **base)], interval_s=IVL,
                            rules=ScheduleRules(mip_rel_gap=0.0))
    flexible = schedule_shifts(req, [ShiftTemplate("T", same_start_time=False, **base)],
                               interval_s=IVL, rules=ScheduleRules(mip_rel_gap=0.0))
    assert flexible.summary["objective"] <= fixed.summary["objective"] + 1e-6
