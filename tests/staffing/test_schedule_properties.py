"""Properties every schedule from schedule_shifts must have, over random small instances.

Each solution is checked against its own tables and the documented rules,
recomputed here from the ``shifts``, ``breaks`` and ``tours`` tables rather
than read back from the solver: agents on duty per interval, break windows,
one break of each kind per agent, tour patterns, headcount rules, pay
(priced with the rule in ``PayRates``' docstring) and the objective.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from staffing import schedule_shifts
from staffing.errors import InfeasibleScheduleError
from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

TZ = "Europe/Paris"
H = 3600.0
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SETTINGS = settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------
# Random instances.
# --------------------------------------------------------------------------------------


@st.composite
def daily_instances(draw):
    ivl = draw(st.sampled_from([1800.0, 3600.0]))
    n_t = draw(st.integers(6, 12))
    first_s = draw(st.sampled_from([6 * H, 8 * H]))
    day = draw(st.sampled_from(["2026-01-05", "2026-01-10"]))    # a Monday, a Saturday
    horizon = pd.date_range(pd.Timestamp(day, tz=TZ) + pd.Timedelta(seconds=first_s),
                            periods=n_t, freq=pd.Timedelta(seconds=ivl))
    channels = draw(st.sampled_from([["voice"], ["chat", "voice"]]))
    required = {ch: draw(st.lists(st.integers(0, 3), min_size=n_t, max_size=n_t))
                for ch in channels}
    blend = draw(st.booleans())
    wrap = draw(st.booleans())
    templates = []
    for k in range(draw(st.integers(1, 2))):
        n_len = draw(st.integers(2, min(6, n_t)))
        step = draw(st.sampled_from([1, 2]))
        n_starts = draw(st.integers(1, 3))
        first = draw(st.integers(0, n_t - 1 if wrap else n_t - n_len))
        breaks = ()
        if n_len >= 3 and draw(st.integers(0, 3)) > 0:
            earliest = draw(st.integers(1, n_len - 2))
            width = draw(st.integers(0, min(2, n_len - 1 - earliest)))
            breaks = (BreakRule("brk", ivl, earliest * ivl, (earliest + width) * ivl,
                                is_paid=draw(st.booleans())),)
        lo_count = draw(st.sampled_from([0, 0, 1]))
        hi_count = draw(st.sampled_from([None, None, 2, 4]))
        if hi_count is not None:
            hi_count = max(hi_count, lo_count)
        templates.append(ShiftTemplate(
            f"T{k}", n_len * ivl, first_s + first * ivl,
            first_s + (first + step * (n_starts - 1)) * ivl, start_step_s=step * ivl,
            breaks=breaks, hourly_rate=draw(st.sampled_from([15.0, 20.0, 24.0])),
            is_part_time=draw(st.booleans()), min_headcount=lo_count, max_headcount=hi_count,
            channels=draw(st.sampled_from([None, (channels[0],), (channels[-1],)]))))
    rules = ScheduleRules(
        coverage=draw(st.sampled_from(["soft", "soft", "hard"])),
        under_penalty=draw(st.sampled_from([None, 5.0, 30.0, 200.0])),
        blend=blend, wrap_around=wrap,
        shrinkage=draw(st.sampled_from([0.0, 0.0, 0.2])),
        min_agents_on_duty=draw(st.sampled_from([0, 0, 1])),
        max_total_headcount=draw(st.sampled_from([None, None, 3, 6])),
        max_part_time_share=draw(st.sampled_from([None, None, 0.5])),
        time_limit_s=20.0)
    if rules.coverage == "hard" or rules.min_agents_on_duty:
        # Hard rules need every interval coverable: add 2-interval shifts at every start.
        templates.append(ShiftTemplate("Fill", 2 * ivl, first_s, first_s + (n_t - 2) * ivl,
                                       start_step_s=ivl, hourly_rate=26.0))
    rates = PayRates(hourly_rates={"agent": 20.0},
                     overhead_per_paid_hour=draw(st.sampled_from([0.0, 3.0])),
                     night_premium=draw(st.sampled_from([0.0, 0.5])),
                     night_start_s=0.0, night_end_s=8 * H,
                     weekend_premium=draw(st.sampled_from([0.0, 0.25])))
    return _frame(horizon, required), templates, ivl, rules, rates


@st.composite
def week_instances(draw):
    ivl = 6 * H
    horizon = pd.date_range(pd.Timestamp("2026-01-05", tz=TZ), periods=28,
                            freq=pd.Timedelta(seconds=ivl))
    required = {"voice": draw(st.lists(st.integers(0, 2), min_size=28, max_size=28))}
    templates = []
    for k in range(draw(st.integers(1, 2))):
        consecutive = draw(st.booleans())
        if consecutive:   # a block of weekdays, so some tour has its days off in a row
            r, n_days = draw(st.integers(0, 6)), draw(st.integers(3, 7))
            days = tuple(sorted((r + q) % 7 for q in range(n_days)))
        else:
            days = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=3, max_size=7))))
        first = draw(st.integers(0, 3))
        last = draw(st.integers(first, 3))
        templates.append(ShiftTemplate(
            f"W{k}", draw(st.integers(1, 2)) * ivl, first * ivl, last * ivl, start_step_s=ivl,
            days=days, days_per_week=draw(st.integers(1, len(days))),
            consecutive_days_off=consecutive, is_part_time=draw(st.booleans()),
            max_headcount=draw(st.sampled_from([None, 3]))))
    rules = ScheduleRules(coverage="soft", under_penalty=draw(st.sampled_from([30.0, 300.0])),
                          wrap_around=draw(st.booleans()),
                          max_total_headcount=draw(st.sampled_from([None, 4])),
                          max_part_time_share=draw(st.sampled_from([None, 0.5])),
                          time_limit_s=20.0)
    rates = PayRates(weekend_premium=0.5, night_premium=0.25)
    # A template none of whose tours fits in the week is an input error (tested in
    # test_schedule_errors.py); draw instances where each template has a tour.
    assume(all(_some_tour_fits(t, ivl, 28, rules.wrap_around) for t in templates))
    return _frame(horizon, required), templates, ivl, rules, rates


def _some_tour_fits(t, ivl, n_t, wrap):
    n_len = round(t.length_s / ivl)
    for tod in _start_tods(t):
        for days_on in itertools.combinations(t.days, t.days_per_week):
            off = {d for d in range(7) if d not in days_on}
            if t.consecutive_days_off and off and not any(
                    off == {(r + q) % 7 for q in range(len(off))} for r in range(7)):
                continue
            # The horizon starts Monday 00:00, so weekday d at tod is position d*day + tod.
            if wrap or all((d * 86400 + tod) / ivl + n_len <= n_t for d in days_on):
                return True
    return False


def _frame(horizon, required):
    return pd.DataFrame([{"channel": ch, "interval_start": ts, "agents_required": n}
                         for ch, values in required.items()
                         for ts, n in zip(horizon, values, strict=True)])


def _solve(requirements, templates, ivl, rules, rates):
    return schedule_shifts(requirements, templates, interval_s=ivl, rules=rules, rates=rates)


# --------------------------------------------------------------------------------------
# Independent recomputation from the output tables.
# --------------------------------------------------------------------------------------


def _tod_s(ts) -> float:
    return ts.hour * 3600.0 + ts.minute * 60.0 + ts.second


def _price(ts, ivl, base, rates) -> float:
    hours = ivl / 3600.0
    tod = _tod_s(ts)
    lo, hi = rates.night_start_s, rates.night_end_s
    night = (lo <= tod < hi) if lo <= hi else (tod >= lo or tod < hi)
    share = (1.0 + rates.night_premium * night
             + rates.weekend_premium * (ts.weekday() in rates.weekend_days)
             + rates.holiday_premium * (ts.date() in set(rates.holidays)))
    return base * hours * share + rates.overhead_per_paid_hour * hours


def _start_tods(t) -> list[float]:
    out, s = [], float(t.earliest_start_s)
    while s <= t.latest_start_s + 1e-9:
        out.append(s)
        s += t.start_step_s
    return out


def _positions(horizon, start, duration_s, ivl, wrap):
    """Horizon positions of ``[start, start + duration_s)``; wraps round with wrap_around."""
    i = horizon.get_loc(start)
    n = round(duration_s / ivl)
    pos = [i + q for q in range(n)]
    if wrap:
        return [p % len(horizon) for p in pos]
    assert pos[-1] < len(horizon), f"a shift at {start} runs past the horizon"
    return pos


def check_schedule(sched, requirements, templates, ivl, rules, rates):
    by_name = {t.name: t for t in templates}
    horizon = pd.DatetimeIndex(sorted(requirements["interval_start"].unique()))
    n_t = len(horizon)
    wrap = rules.wrap_around
    shifts, breaks, tours, cov, costs = (sched.shifts, sched.breaks, sched.tours,
                                          sched.coverage, sched.costs)
    channels = sorted(requirements["channel"].unique())
    pools = ["blended"] if rules.blend else channels

    # Each shift is a start its template allows, in a pool it may serve.
    for row in shifts.itertuples():
        t = by_name[row.template]
        assert row.headcount > 0
        assert _tod_s(row.shift_start) in _start_tods(t), row
        assert row.shift_start.weekday() in t.days, row
        assert row.duration_s == t.length_s
        assert row.paid_s == t.length_s - sum(b.duration_s for b in t.breaks if not b.is_paid)
        assert row.channel in pools
        if not rules.blend and t.channels is not None:
            assert row.channel in t.channels, row

    # Breaks: inside their window, one of each per agent.
    shift_of = shifts.set_index("shift_id")
    for row in breaks.to_dict("records"):
        s = shift_of.loc[row["shift_id"]]
        t = by_name[s["template"]]
        rule = {b.name: b for b in t.breaks}[row["break"]]
        offset = (row["break_start"] - s["shift_start"]).total_seconds()
        if wrap:
            offset %= n_t * ivl
        assert rule.earliest_start_s <= offset <= rule.latest_start_s, (row, s)
        assert row["duration_s"] == rule.duration_s and row["is_paid"] == rule.is_paid
        assert row["headcount"] > 0
    taken = breaks.groupby(["shift_id", "break"])["headcount"].sum() if len(breaks) else {}
    for row in shifts.itertuples():
        for b in by_name[row.template].breaks:
            assert taken[(row.shift_id, b.name)] == row.headcount, (row, b)

    # Agents on duty per pool and interval, rebuilt from the two tables.
    on_shift = {p: np.zeros(n_t, int) for p in pools}
    on_break = {p: np.zeros(n_t, int) for p in pools}
    paid_cost = 0.0
    for row in shifts.itertuples():
        t = by_name[row.template]
        base = t.hourly_rate if t.hourly_rate is not None else rates.hourly_rates[t.agent_type]
        for i in _positions(horizon, row.shift_start, row.duration_s, ivl, wrap):
            on_shift[row.channel][i] += row.headcount
            paid_cost += row.headcount * _price(horizon[i], ivl, base, rates)
    for row in breaks.itertuples():
        s = shift_of.loc[row.shift_id]
        t = by_name[s["template"]]
        base = t.hourly_rate if t.hourly_rate is not None else rates.hourly_rates[t.agent_type]
        for i in _positions(horizon, row.break_start, row.duration_s, ivl, wrap):
            on_break[s["channel"]][i] += row.headcount
            if not row.is_paid:
                paid_cost -= row.headcount * _price(horizon[i], ivl, base, rates)
    keep = Fraction(1) - Fraction(rules.shrinkage).limit_denominator(10_000)
    for p in pools:
        sub = requirements if p == "blended" else requirements[requirements["channel"] == p]
        required = sub.groupby("interval_start")["agents_required"].sum().reindex(horizon)
        target = np.array([math.ceil(Fraction(int(r)) / keep) for r in required])
        c = cov[cov["channel"] == p].set_index("interval_start").reindex(horizon)
        duty = on_shift[p] - on_break[p]
        np.testing.assert_array_equal(c["agents_scheduled"].to_numpy(), duty)
        np.testing.assert_array_equal(c["agents_on_break"].to_numpy(), on_break[p])
        np.testing.assert_array_equal(c["agents_required"].to_numpy(), required.to_numpy())
        np.testing.assert_array_equal(c["agents_target"].to_numpy(), target)
        np.testing.assert_array_equal(c["under"].to_numpy(), np.maximum(target - duty, 0))
        np.testing.assert_array_equal(c["over"].to_numpy(), np.maximum(duty - target, 0))
        if rules.coverage == "hard":
            assert np.all(duty >= target), (p, duty, target)
        is_open = required.to_numpy() > 0
        assert np.all(duty[is_open] >= rules.min_agents_on_duty)

    # Headcount: tours once, daily shifts on their start day.
    tour_names = {t.name for t in templates if t.days_per_week is not None}
    daily = shifts[~shifts["template"].isin(tour_names)]
    start_day = daily["shift_start"].map(lambda ts: ts.date())
    n_tours = tours.groupby("template")["headcount"].sum() if len(tours) else pd.Series()
    for t in templates:
        if t.days_per_week is not None:
            n = int(n_tours.get(t.name, 0))
            assert t.min_headcount <= n <= (t.max_headcount or math.inf), (t.name, n)
            continue
        mine = daily[daily["template"] == t.name]
        per_day = mine.groupby(start_day[mine.index])["headcount"].sum()
        for d in per_day.index:
            assert per_day[d] <= (t.max_headcount or math.inf), (t.name, d)
        if t.min_headcount:
            # Days on which the template can start a shift that fits.
            run_days = {ts.date() for i, ts in enumerate(horizon)
                        if ts.weekday() in t.days and _tod_s(ts) in _start_tods(t)
                        and (wrap or i + round(t.length_s / ivl) <= n_t)}
            for d in run_days:
                assert per_day.get(d, 0) >= t.min_headcount, (t.name, d, per_day)
    part_time = {t.name for t in templates if t.is_part_time}
    tour_total = int(tours["headcount"].sum())
    tour_part = int(tours.loc[tours["template"].isin(part_time), "headcount"].sum())
    for d in sorted(set(start_day)) or [None]:
        mine = daily[start_day == d]
        total = tour_total + int(mine["headcount"].sum())
        part = tour_part + int(mine.loc[mine["template"].isin(part_time), "headcount"].sum())
        if rules.max_total_headcount is not None:
            assert total <= rules.max_total_headcount, (d, total)
        if rules.max_part_time_share is not None:
            assert part <= rules.max_part_time_share * total + 1e-9, (d, part, total)

    # Money: the costs table, the summary and an independent pricing agree.
    assert costs["cost"].sum() == pytest.approx(sched.summary["cost"], abs=1e-6)
    assert paid_cost == pytest.approx(sched.summary["cost"], abs=1e-6)
    under = int(cov["under"].sum())
    assert sched.summary["under_agent_intervals"] == under
    assert sched.summary["objective"] == pytest.approx(
        sched.summary["cost"] + sched.summary["under_penalty"] * under, rel=1e-9, abs=1e-6)


def check_tours(sched, templates, rules):
    by_name = {t.name: t for t in templates}
    for row in sched.tours.itertuples():
        t = by_name[row.template]
        on = [WEEKDAYS.index(d) for d in row.days_on.split()]
        off = [WEEKDAYS.index(d) for d in row.days_off.split()]
        assert len(on) == t.days_per_week, row
        assert sorted(on + off) == list(range(7)), row
        assert set(on) <= set(t.days), row
        if t.consecutive_days_off and off:
            assert any(set(off) == {(r + q) % 7 for q in range(len(off))} for r in range(7)), row
        assert t.earliest_start_s <= row.start_time_s <= t.latest_start_s
        assert row.start_time == f"{int(row.start_time_s) // 3600:02d}:" \
                                 f"{int(row.start_time_s) % 3600 // 60:02d}"


def expected_tour_shifts(sched):
    """Shift counts (template, channel, start) implied by the tours table alone."""
    out: dict[tuple, int] = {}
    for row in sched.tours.itertuples():
        for d in row.days_on.split():
            key = (row.template, row.channel, WEEKDAYS.index(d), row.start_time_s)
            out[key] = out.get(key, 0) + row.headcount
    return out


# --------------------------------------------------------------------------------------
# The properties.
# --------------------------------------------------------------------------------------


@SETTINGS
@given(daily_instances())
def test_daily_schedule_properties(instance):
    requirements, templates, ivl, rules, rates = instance
    before = requirements.copy()
    try:
        sched = _solve(*instance)
    except InfeasibleScheduleError:
        return                                      # hard rules that cannot all hold
    pd.testing.assert_frame_equal(requirements, before)   # input not mutated
    check_schedule(sched, requirements, templates, ivl, rules, rates)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(week_instances())
def test_weekly_tour_properties(instance):
    requirements, templates, ivl, rules, rates = instance
    try:
        sched = _solve(*instance)
    except InfeasibleScheduleError:
        return
    check_schedule(sched, requirements, templates, ivl, rules, rates)
    check_tours(sched, templates, rules)


def _late_start_week():
    """Tours of 7 days at 06:00 or 18:00, no wrap-around: Sunday 18:00 cannot fit, so no
    18:00 tour exists, and Monday 18:00-24:00 needs one agent."""
    horizon = pd.date_range(pd.Timestamp("2026-01-05", tz=TZ), periods=28, freq="6h")
    required = [0] * 28
    required[3] = 1
    return (_frame(horizon, {"voice": required}),
            [ShiftTemplate("T", 12 * H, 6 * H, 18 * H, start_step_s=12 * H, days_per_week=7)],
            6 * H, ScheduleRules(coverage="soft", under_penalty=1000.0), PayRates())


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(week_instances())
@example(_late_start_week())
def test_tour_template_shifts_are_exactly_the_tours(instance):
    # Every shift of a weekly-tour template belongs to a tour: the shifts table holds, for
    # each (template, weekday, start time), exactly the agents of the tours working it.
    requirements, templates, ivl, rules, rates = instance
    try:
        sched = _solve(*instance)
    except InfeasibleScheduleError:
        return
    got: dict[tuple, int] = {}
    for row in sched.shifts.itertuples():
        key = (row.template, row.channel, row.shift_start.weekday(), _tod_s(row.shift_start))
        got[key] = got.get(key, 0) + row.headcount
    assert got == expected_tour_shifts(sched), (
        f"shifts of tour templates that no tour explains:\n{sched.shifts}\n{sched.tours}")


@settings(max_examples=12)
@given(st.one_of(daily_instances(), week_instances()))
def test_same_inputs_same_tables(instance):
    try:
        first = _solve(*instance)
    except InfeasibleScheduleError:
        return
    second = _solve(*instance)
    for name in ("shifts", "breaks", "tours", "coverage", "costs"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    for key in ("cost", "objective", "headcount", "n_shifts", "under_agent_intervals"):
        assert first.summary[key] == second.summary[key]


def test_hard_coverage_property_on_a_fixed_instance():
    # A deterministic anchor for the checker itself: two templates, a break, two channels.
    horizon = pd.date_range("2026-01-05 08:00", periods=10, freq="30min", tz=TZ)
    requirements = _frame(horizon, {"voice": [1, 2, 2, 2, 1, 1, 2, 2, 1, 1],
                                    "chat": [0, 0, 1, 1, 1, 1, 1, 0, 0, 0]})
    templates = [ShiftTemplate("A", 3 * H, 8 * H, 9 * H, start_step_s=1800,
                               breaks=(BreakRule("b", 1800, H, 2 * H),)),
                 ShiftTemplate("B", 2 * H, 8 * H, 11 * H, start_step_s=H, is_part_time=True)]
    rules = ScheduleRules(coverage="hard", blend=False, max_part_time_share=0.5)
    sched = _solve(requirements, templates, 1800.0, rules, PayRates())
    check_schedule(sched, requirements, templates, 1800.0, rules, PayRates())
    assert sched.summary["under_agent_intervals"] == 0

