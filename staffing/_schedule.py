"""Shift scheduling at least cost: a mixed-integer programme solved by HiGHS.

The model (documented with examples in ``docs/scheduling.md``)
--------------------------------------------------------------
Sets: pools ``p`` (one blended pool, or one per channel), intervals ``i`` of
the horizon, shift options ``j`` (a template started at one interval of the
horizon, for one pool), breaks ``k`` of option ``j``'s template with their
allowed start offsets ``o``, and weekly tours ``u`` (a template, a start time
of day and a set of working days).

Variables (all integer except the shortfalls):

* ``x_j`` agents working option ``j`` (daily templates), or ``w_u`` agents on
  tour ``u``, whose option counts are ``x_j = sum of w_u over the tours
  working option j`` (tour templates);
* ``y_jko`` agents of option ``j`` taking break ``k`` at offset ``o``: the
  explicit break variables of Aykin (1996), with ``sum_o y_jko = x_j``;
* ``s_pi >= 0`` agents short in pool ``p``, interval ``i`` (soft coverage).

Coverage: ``sum_j a_ij x_j - sum_jko b_ijko y_jko + s_pi >= target_pi`` where
``a_ij = 1`` while option ``j`` is on shift and ``b_ijko = 1`` while that
break is taken. Because one template's break windows cannot overlap, any
agent-level assignment of the break counts is a valid roster.

Objective: paid cost (each option priced interval by interval with
premiums and overhead; an unpaid break subtracts the pay of the intervals it
covers, so the cost is exact wherever the break falls) plus
``under_penalty x sum s_pi``.

Rules: per-template headcount bounds; a cap on total headcount; bounds on
the part-time share (``PT - share x total <= 0`` is linear); a minimum of
agents on duty in open intervals. Headcount counts each tour once and each
daily shift on its start day, so with daily templates the caps hold day by
day.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import LinearConstraint

from ._workforce import on_duty_for
from .contracts import _check_columns
from .errors import ContractError, InfeasibleScheduleError, InvalidParameterError
from .shifts import (
    DAY_S,
    PAY_PARTS,
    WEEKDAY_NAMES,
    PayRates,
    ScheduleRules,
    ShiftTemplate,
    _check_rates,
    _check_rules,
    _check_template,
    _hhmm,
    clock_seconds,
    interval_pay,
)

BLENDED = "blended"

#: Columns of :attr:`Schedule.coverage`, in order.
COVERAGE_COLUMNS = ("channel", "interval_start", "agents_required", "agents_target",
                    "agents_scheduled", "agents_on_break", "agents_on_paid_break", "over",
                    "under", "is_open")
#: Columns of :attr:`Schedule.costs`, in order (the ``costs`` contract plus the breakdown).
COST_COLUMNS = ("channel", "interval_start", "agents_paid", "agent_hours", *PAY_PARTS, "cost")


@dataclass(frozen=True)
class Schedule:
    """A solved schedule: tidy tables and a summary.

    Attributes
    ----------
    shifts : pandas.DataFrame
        One row per shift start worked: ``shift_id`` (int), ``channel`` (the
        pool: ``"blended"`` or a channel), ``template``, ``shift_start``
        (timestamp), ``duration_s`` (s, breaks included), ``paid_s`` (s),
        ``headcount`` (agents starting then, int > 0).
    breaks : pandas.DataFrame
        ``shift_id``, ``break``, ``break_start`` (timestamp), ``duration_s``
        (s), ``is_paid``, ``headcount`` (agents of that shift taking the break
        then).
    tours : pandas.DataFrame
        Weekly tours worked: ``tour_id``, ``channel``, ``template``,
        ``start_time`` (``"HH:MM"``), ``start_time_s`` (s after midnight),
        ``days_on`` and ``days_off`` (e.g. ``"Mon Tue Wed Thu Fri"``),
        ``headcount``. Empty for daily templates.
    coverage : pandas.DataFrame
        Per pool and interval: ``channel``, ``interval_start``,
        ``agents_required`` (input, summed over blended channels),
        ``agents_target`` (after shrinkage), ``agents_scheduled`` (on duty, off
        break), ``agents_on_break`` (all breaks), ``agents_on_paid_break``,
        ``over``, ``under`` (agents, >= 0),
        ``is_open``. Passes the ``coverage`` contract.
    costs : pandas.DataFrame
        Per pool and interval: ``channel``, ``interval_start``,
        ``agents_paid``, ``agent_hours`` (h), ``wages``, ``night_premium``,
        ``weekend_premium``, ``holiday_premium``, ``overhead`` and ``cost``
        (currency). Passes the ``costs`` contract.
    summary : dict
        ``status`` (``"optimal"``: within ``mip_rel_gap``;
        ``"gap_above_target"``: the node budget ended first; ``"time_limit"``:
        the safety net cut the solve, so the schedule depends on the
        machine), ``mip_gap`` reached (relative), ``mip_rel_gap`` asked,
        ``max_nodes`` (the budget), ``mip_nodes`` (nodes explored),
        ``time_limit_s``, ``runtime_s``,
        ``cost``, ``objective`` (cost + shortfall penalty), ``solver_objective``
        (``objective`` + the closed-hours tie-break: among schedules of equal
        cost the solver prefers the one with fewer shift hours while the
        pool is closed and nobody is needed, each agent-interval weighing
        0.1% of the mean pay of one), ``closed_idle_agent_hours`` (those
        hours, breaks included), ``dual_bound``, ``under_penalty``,
        ``under_agent_intervals``, ``over_agent_intervals``, ``headcount``,
        ``n_shifts``, ``paid_hours``, ``fte``, ``n_variables``,
        ``n_constraints``, ``interval_s``, ``horizon_s``, ``shrinkage``, ``blend``.
    """

    shifts: pd.DataFrame
    breaks: pd.DataFrame
    tours: pd.DataFrame
    coverage: pd.DataFrame
    costs: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def _label(ts: pd.Timestamp, interval_s: float) -> str:
    end = ts + pd.Timedelta(seconds=interval_s)
    return f"{WEEKDAY_NAMES[ts.weekday()]} {ts:%Y-%m-%d %H:%M}-{end:%H:%M}"


def _horizon(requirements: pd.DataFrame, interval_s: float) -> tuple[pd.DatetimeIndex, list[str],
                                                                     np.ndarray]:
    """Check the requirements and return the horizon, the channels and a (channel x T) array."""
    func = "schedule_shifts()"
    _check_columns(func, "requirements", requirements,
                   ("channel", "interval_start", "agents_required"),
                   "Build it with staffing.requirements(), or rename the columns.")
    if requirements.empty:
        raise ContractError(f"{func}: 'requirements' has no rows. Give one row per channel and "
                            "interval of the horizon.")
    agents = pd.to_numeric(requirements["agents_required"], errors="coerce")
    bad = ~(agents >= 0) | (agents != np.floor(agents))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ContractError(
            f"{func}: 'requirements' column 'agents_required' must hold whole numbers >= 0; row "
            f"{row} (channel {requirements['channel'].iloc[row]!r}, interval_start "
            f"{requirements['interval_start'].iloc[row]}) has "
            f"{requirements['agents_required'].iloc[row]!r}. Missing requirements are never read "
            "as zero: fill the interval.")
    starts = pd.to_datetime(requirements["interval_start"])
    if starts.isna().any():
        raise ContractError(f"{func}: 'requirements' column 'interval_start' has missing values.")
    horizon = pd.DatetimeIndex(starts.drop_duplicates().sort_values())
    steps = (horizon[1:] - horizon[:-1]).total_seconds().to_numpy()
    if np.any(steps != interval_s):
        k = int(np.flatnonzero(steps != interval_s)[0])
        raise ContractError(
            f"{func}: the requirements' intervals are not consecutive {interval_s:g}-second "
            f"intervals: {horizon[k]} is followed by {horizon[k + 1]}. Give every interval of "
            "the horizon (0 agents where closed), and pass the right interval_s.")
    channels = sorted(map(str, requirements["channel"].unique()))
    table = pd.DataFrame({"channel": requirements["channel"].astype(str).to_numpy(),
                          "interval_start": starts.to_numpy(), "n": agents.to_numpy()})
    if table.duplicated(["channel", "interval_start"]).any():
        dup = table[table.duplicated(["channel", "interval_start"], keep=False)].iloc[0]
        raise ContractError(
            f"{func}: 'requirements' has two rows for channel {dup['channel']!r} at "
            f"{dup['interval_start']}. Keep one row per channel and interval.")
    wide = table.pivot(index="channel", columns="interval_start", values="n")
    wide = wide.reindex(index=channels, columns=horizon)
    if wide.isna().to_numpy().any():
        c, i = np.argwhere(wide.isna().to_numpy())[0]
        raise ContractError(
            f"{func}: channel {channels[c]!r} has no requirement for {horizon[i]} while other "
            "channels do. Give every channel every interval (0 where closed): a missing "
            "requirement is never read as zero.")
    return horizon, channels, wide.to_numpy(dtype=np.int64)


def _tour_patterns(t: ShiftTemplate) -> list[tuple[int, ...]]:
    k = t.days_per_week
    assert k is not None
    out = []
    for days_on in itertools.combinations(sorted(t.days), k):
        off = [d for d in range(7) if d not in days_on]
        if t.consecutive_days_off and off:
            # The days off form one block on the circular week.
            starts_of_block = [d for d in off if (d - 1) % 7 not in off]
            if len(starts_of_block) != 1:
                continue
        out.append(days_on)
    return out


def _local_dates(times) -> pd.DatetimeIndex:
    """Each timestamp's local calendar date, as a naive midnight.

    Read on the wall clock, not by normalising in the time zone: a zone whose clocks skip
    midnight (Africa/Cairo on 2026-04-24) has no local midnight that day.
    """
    index = pd.DatetimeIndex(times)
    wall = index.tz_localize(None) if index.tz is not None else index
    return wall.normalize()


@dataclass
class _Model:
    """The programme's pieces, kept together for building tables after the solve."""

    horizon: pd.DatetimeIndex
    interval_s: float
    pools: list[str]
    target: np.ndarray           # pools x T
    required: np.ndarray         # pools x T
    is_open: np.ndarray          # pools x T
    templates: list[ShiftTemplate]
    opt_template: list[int] = field(default_factory=list)
    opt_pool: list[int] = field(default_factory=list)
    opt_start: list[int] = field(default_factory=list)
    opt_len: list[int] = field(default_factory=list)
    opt_day: list[int] = field(default_factory=list)      # horizon day of the start
    # weekly tours: (template, pool, start time of day, working weekdays) and their options
    tours: list[tuple[int, int, float, tuple[int, ...]]] = field(default_factory=list)
    tour_opts: list[list[int]] = field(default_factory=list)
    # break groups (template, break index, pool): first break-start slot and slot count
    groups: list[tuple[int, int, int, int, int]] = field(default_factory=list)


def _build_options(m: _Model, wrap: bool) -> None:
    t_len = len(m.horizon)
    ivl = m.interval_s
    # Start times are read on the local clock (08:00 is 08:00 on a clock-change day too), and
    # days by their local date (no local midnight is needed: some zones skip it).
    tod = clock_seconds(m.horizon)
    weekday = m.horizon.day_of_week.to_numpy()
    wall = _local_dates(m.horizon)
    day_index = (wall - wall[0]).days.to_numpy()
    is_week = abs(t_len * ivl - 7 * DAY_S) < 1e-6
    for ti, t in enumerate(m.templates):
        n_len = int(round(t.length_s / ivl))
        starts = set(t.start_times_s())
        pools = list(range(len(m.pools)))
        if m.pools != [BLENDED] and t.channels is not None:
            unknown = [c for c in t.channels if c not in m.pools]
            if unknown:
                raise InvalidParameterError(
                    f"shift template {t.name!r}: channels {unknown} are not in the requirements "
                    f"(channels: {', '.join(m.pools)}). Fix the channel names.")
            pools = [m.pools.index(c) for c in t.channels]
        # Intervals whose time of day is a start time (within 1e-6 s): the nearest start
        # by binary search, so the cost is (intervals + starts) x log(starts), not their
        # product (a year of 1-minute intervals has 1,440 starts a day).
        ordered = np.array(sorted(starts), dtype=float)
        at = np.searchsorted(ordered, tod)
        gap = np.minimum(np.abs(tod - ordered[np.clip(at - 1, 0, len(ordered) - 1)]),
                         np.abs(tod - ordered[np.clip(at, 0, len(ordered) - 1)]))
        is_start = gap < 1e-6
        positions = [s for s in np.flatnonzero(is_start).tolist()
                     if weekday[s] in t.days and (wrap or s + n_len <= t_len)]
        if not positions:
            raise InvalidParameterError(
                f"shift template {t.name!r}: no start between {_hhmm(t.earliest_start_s)} and "
                f"{_hhmm(t.latest_start_s)} on its days lets a {t.length_s / 3600:g}-hour shift "
                f"fit in the horizon ({m.horizon[0]} to "
                f"{m.horizon[-1] + pd.Timedelta(seconds=ivl)}). Widen the start window or the "
                "days, give a longer horizon, or set wrap_around=True for a repeating week.")
        if t.days_per_week is not None and not is_week:
            raise InvalidParameterError(
                f"shift template {t.name!r}: weekly tours (days_per_week={t.days_per_week}) need "
                f"a horizon of exactly one week; the requirements cover "
                f"{t_len * ivl / 3600:g} hours. Give one week of requirements, or set "
                "days_per_week=None for a daily plan.")
        for p in pools:
            by_day_tod: dict[tuple[int, float], int] = {}
            for s in positions:
                j = len(m.opt_template)
                m.opt_template.append(ti)
                m.opt_pool.append(p)
                m.opt_start.append(s)
                m.opt_len.append(n_len)
                m.opt_day.append(int(day_index[s]))
                by_day_tod[(int(weekday[s]), round(float(tod[s])))] = j
            if t.days_per_week is None:
                continue
            if not t.same_start_time:
                # Days-off patterns only; each working day's shift is chosen on its own and
                # linked per weekday (see _program).
                days_with = {d for (d, _tod) in by_day_tod}
                for days_on in _tour_patterns(t):
                    if all(d in days_with for d in days_on):
                        m.tours.append((ti, p, float("nan"), days_on))
                        m.tour_opts.append([])
                continue
            for start_s in sorted({round(float(tod[s])) for s in positions}):
                for days_on in _tour_patterns(t):
                    opts = [by_day_tod.get((d, start_s)) for d in days_on]
                    if any(o is None for o in opts):
                        continue
                    m.tours.append((ti, p, float(start_s), days_on))
                    m.tour_opts.append([int(o) for o in opts])  # type: ignore[arg-type]
            if t.days_per_week is not None and not any(tu[0] == ti for tu in m.tours):
                raise InvalidParameterError(
                    f"shift template {t.name!r}: no weekly tour of {t.days_per_week} days fits: "
                    "every pattern needs a start on a day the template does not run or that "
                    "does not fit in the horizon. Allow more days, lower days_per_week, or set "
                    "consecutive_days_off=False.")


def _build_break_groups(m: _Model) -> None:
    """One group per (template, break, pool): the slots where its breaks may start."""
    ivl = m.interval_s
    starts: dict[tuple[int, int], list[int]] = {}
    for j in range(len(m.opt_template)):
        starts.setdefault((m.opt_template[j], m.opt_pool[j]), []).append(m.opt_start[j])
    for (ti, p), s_list in sorted(starts.items()):
        for k, b in enumerate(m.templates[ti].breaks):
            e = int(round(b.earliest_start_s / ivl))
            width = int(round(b.latest_start_s / ivl)) - e
            if width == 0:
                continue  # a fixed break: taken out of the shift's own coverage column
            t0 = min(s_list) + e
            m.groups.append((ti, k, p, t0, max(s_list) + e + width - t0 + 1))


def _assign_breaks(m: _Model, opt_n: np.ndarray, slots: np.ndarray):
    """Give each shift its breaks: earliest window first (exact for equal-width windows).

    Yields (option, break index, start slot on the unrolled line, agents).
    """
    ivl = m.interval_s
    opts_of: dict[tuple[int, int], list[int]] = {}
    for j_np in np.flatnonzero(opt_n > 0):
        j = int(j_np)
        opts_of.setdefault((m.opt_template[j], m.opt_pool[j]), []).append(j)
        for k, b in enumerate(m.templates[m.opt_template[j]].breaks):
            if b.latest_start_s == b.earliest_start_s:
                yield j, k, m.opt_start[j] + int(round(b.earliest_start_s / ivl)), int(opt_n[j])
    base = 0
    for ti, k, p, t0, n_g in m.groups:
        b = m.templates[ti].breaks[k]
        e = int(round(b.earliest_start_s / ivl))
        width = int(round(b.latest_start_s / ivl)) - e
        pending: list[list[int]] = []   # [option, agents left], in window order
        opening: dict[int, list[int]] = {}
        for j in sorted(opts_of.get((ti, p), []), key=lambda j: m.opt_start[j]):
            opening.setdefault(m.opt_start[j] + e - t0, []).append(j)
        for r in range(n_g):
            pending.extend([j, int(opt_n[j])] for j in opening.get(r, []))
            left = int(slots[base + r])
            while left > 0:
                if not pending or m.opt_start[pending[0][0]] + e + width - t0 < r:
                    raise RuntimeError("break assignment failed: the solution breaks the "
                                       "break-window conditions (please report this)")
                take = min(left, pending[0][1])
                yield pending[0][0], k, t0 + r, take
                pending[0][1] -= take
                left -= take
                if pending[0][1] == 0:
                    pending.pop(0)
            if pending and m.opt_start[pending[0][0]] + e + width - t0 <= r:
                raise RuntimeError("break assignment failed: a shift's break window closed "
                                   "without a break (please report this)")
        base += n_g


def _covered(start: int, n: int, t_len: int, wrap: bool) -> np.ndarray:
    pos = np.arange(start, start + n)
    return pos % t_len if wrap else pos


def schedule_shifts(requirements: pd.DataFrame, templates: list[ShiftTemplate] | tuple, *,
                    interval_s: float, rules: ScheduleRules | None = None,
                    rates: PayRates | None = None,
                    open_intervals: Any = None) -> Schedule:
    """Choose shifts, breaks and weekly tours that cover a requirement at least cost.

    Solved as a mixed-integer programme by HiGHS (``highspy``, one thread, a
    fixed seed), which stops on the gap ``rules.mip_rel_gap`` or the node
    budget ``rules.max_nodes``, never on wall time: the same inputs give the
    same schedule on any machine under any load. ``rules.time_limit_s`` is
    only a safety net (status ``"time_limit"``). The formulation is in the
    module docstring and ``docs/scheduling.md``.

    Parameters
    ----------
    requirements : pandas.DataFrame
        ``channel``, ``interval_start``, ``agents_required`` (agents on the
        queue, whole numbers >= 0): one row per channel and interval, the
        intervals consecutive and ``interval_s`` apart (0 where closed). The
        ``requirements`` contract of :func:`requirements` qualifies. Not
        modified.
    templates : sequence of ShiftTemplate
        The shift templates (unique names).
    interval_s : float
        Interval length, seconds, > 0 (never inferred from the rows).
    rules : ScheduleRules, optional
        Labour rules and solver settings (default ``ScheduleRules()``).
    rates : PayRates, optional
        Pay and premiums (default ``PayRates()``).
    open_intervals : sequence of timestamps or None, optional
        Intervals in which the centre is open (for ``min_agents_on_duty``).
        Default: those with a requirement above zero.

    Returns
    -------
    Schedule
        Shifts, breaks, tours, coverage, costs and the solver summary.

    Raises
    ------
    InvalidParameterError
        A template, rule or rate is out of range; the message names it.
    ContractError
        ``requirements`` lacks a column, an interval, or holds a bad value.
    InfeasibleScheduleError
        The rules cannot all hold; the message says why in planner's terms.

    Examples
    --------
    >>> import pandas as pd
    >>> starts = pd.date_range("2026-01-05 08:00", periods=8, freq="h")
    >>> req = pd.DataFrame({"channel": "voice", "interval_start": starts,
    ...                     "agents_required": [2, 3, 3, 3, 3, 3, 3, 1]})
    >>> sched = schedule_shifts(req, [ShiftTemplate("4h", 4 * 3600, 8 * 3600, 12 * 3600,
    ...                                             start_step_s=3600)], interval_s=3600)
    >>> int(sched.shifts["headcount"].sum()), float(sched.summary["cost"])
    (6, 480.0)
    """
    t0 = _clock()
    rules = ScheduleRules() if rules is None else rules
    rates = PayRates() if rates is None else rates
    if not (isinstance(interval_s, int | float) and math.isfinite(interval_s) and interval_s > 0):
        raise InvalidParameterError(f"schedule_shifts(): interval_s must be > 0 seconds, got "
                                    f"{interval_s!r}, e.g. 900 for 15 minutes.")
    interval_s = float(interval_s)
    if not isinstance(rules, ScheduleRules):
        raise InvalidParameterError(f"schedule_shifts(): rules must be a ScheduleRules, got "
                                    f"{type(rules).__name__}.")
    if not isinstance(rates, PayRates):
        raise InvalidParameterError(f"schedule_shifts(): rates must be a PayRates, got "
                                    f"{type(rates).__name__}.")
    _check_rules(rules)
    _check_rates(rates)
    horizon, channels, req = _horizon(requirements, interval_s)
    t_len = len(horizon)
    templates = list(templates)
    if not templates:
        raise InvalidParameterError("schedule_shifts(): no shift templates given. Give at least "
                                    "one ShiftTemplate.")
    names = [getattr(t, "name", None) for t in templates]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise InvalidParameterError(f"schedule_shifts(): template names must be unique; "
                                    f"{sorted(map(str, dup))} appear more than once. Rename them.")
    for t in templates:
        _check_template(t, interval_s, t_len * interval_s, rates)

    pools = [BLENDED] if rules.blend else channels
    required = req.sum(axis=0, keepdims=True) if rules.blend else req
    target = on_duty_for(required, rules.shrinkage)
    if open_intervals is None:
        is_open = required > 0
    else:
        wanted = pd.DatetimeIndex(pd.to_datetime(list(open_intervals)))
        mask = horizon.isin(wanted)
        is_open = np.broadcast_to(mask, required.shape).copy()
    m = _Model(horizon, interval_s, pools, target, required, is_open, templates)
    _build_options(m, rules.wrap_around)
    _precheck(m, rules)

    prog = _program(m, rules, rates)
    build_s = _clock() - t0
    sol = _solve(prog, rules, rates, t0, m)
    solve_s = _clock() - t0 - build_s
    x = np.round(sol.x).astype(np.int64)
    sched = _tables(m, x, prog.n_brk, rates, rules)
    summary = dict(sched.summary)
    summary.update({
        "status": sol.status,
        "method": sol.method,
        "solver_message": sol.message,
        "mip_gap": sol.gap,
        "mip_rel_gap": float(rules.mip_rel_gap),
        "time_limit_s": float(rules.time_limit_s),
        "max_nodes": int(rules.max_nodes),
        "mip_nodes": sol.nodes,
        "build_s": build_s,
        "solve_s": solve_s,
        "runtime_s": _clock() - t0,
        # cost + shortfall penalty, from the tables (the solver's own adds the tie-break).
        "objective": summary["cost"] + prog.penalty * summary["under_agent_intervals"],
        "solver_objective": sol.objective,
        "dual_bound": sol.bound,
        "under_penalty": prog.penalty,
        "n_variables": len(prog.c),
        "n_integer_variables": int(prog.integrality.sum()),
        "n_constraints": int(prog.constraints.A.shape[0]),
    })
    return Schedule(sched.shifts, sched.breaks, sched.tours, sched.coverage, sched.costs,
                    summary)


@dataclass(frozen=True)
class _Program:
    c: np.ndarray
    integrality: np.ndarray
    upper: np.ndarray
    constraints: LinearConstraint
    n_shift: int
    n_slot: int
    n_brk: int
    penalty: float


def _program(m: _Model, rules: ScheduleRules, rates: PayRates,
             smooth_breaks: bool = False) -> _Program:
    """Build the programme's matrices (layout: x_j, w_u, b_t, P_t, s_pi).

    ``smooth_breaks`` (stage 1 of the two-stage solve): no break variables; each
    shift covers each interval by the share of the time it is off break when its
    breaks start evenly over their windows, and is priced the same way.
    """
    horizon, interval_s, templates = m.horizon, m.interval_s, m.templates
    target, is_open = m.target, m.is_open
    t_len = len(horizon)
    m.groups = []
    n_opt = len(m.opt_template)
    n_tour = len(m.tours)
    n_shift = n_opt + n_tour          # variables x_j, then w_u
    if not smooth_breaks:
        _build_break_groups(m)
    n_slot = sum(g[4] for g in m.groups)
    n_brk = 2 * n_slot                  # break starts b_t, then pending counts P_t
    n_p = len(m.pools)
    soft_rows = np.flatnonzero(target.ravel() > 0) if rules.coverage == "soft" else np.array([],
                                                                                             int)
    n_short = len(soft_rows)
    n_var = n_shift + n_brk + n_short

    # Pay per agent-interval by template, summed over parts (currency).
    pay = {ti: interval_pay(horizon, interval_s, _base_rate(t, rates), rates)
           for ti, t in enumerate(templates)}
    pay_total = {ti: np.sum(list(parts.values()), axis=0) for ti, parts in pay.items()}
    opt_cost = np.zeros(n_opt)
    # Agent-intervals of shifts (breaks included) while the pool is closed and nobody is
    # needed: the tie-break below.
    idle = (~is_open & (target <= 0)).astype(float)
    opt_idle = np.zeros(n_opt)
    cov_rows: list[np.ndarray] = []
    cov_cols: list[np.ndarray] = []
    cov_vals: list[np.ndarray] = []
    for j in range(n_opt):
        pos = _covered(m.opt_start[j], m.opt_len[j], t_len, rules.wrap_around)
        paid = np.ones(len(pos))
        on = np.ones(len(pos))
        for b in templates[m.opt_template[j]].breaks:
            lo = int(round(b.earliest_start_s / interval_s))
            width = int(round(b.latest_start_s / interval_s)) - lo
            if width and not smooth_breaks:
                continue               # a break group's variables place it
            n_b = int(round(b.duration_s / interval_s))
            off = np.zeros(len(pos))   # share of the shift's agents on this break
            for s0 in range(lo, lo + width + 1):
                off[s0:s0 + n_b] += 1.0 / (width + 1)
            on -= off
            if not b.is_paid:
                paid -= off
        opt_cost[j] = float(pay_total[m.opt_template[j]][pos] @ paid)
        opt_idle[j] = float(idle[m.opt_pool[j], pos].sum())
        keep = on > 1e-12
        cov_rows.append(m.opt_pool[j] * t_len + pos[keep])
        cov_cols.append(np.full(int(keep.sum()), j))
        cov_vals.append(on[keep])
    a_opt = sp.csr_matrix((np.concatenate(cov_vals),
                           (np.concatenate(cov_rows), np.concatenate(cov_cols))),
                          shape=(n_p * t_len, n_opt))
    # Tours appear only in their link rows, so coverage rows stay short (faster LPs).
    a_shift = sp.hstack([a_opt, sp.csr_matrix((n_p * t_len, n_tour))]).tocsr()

    # Implicit breaks (Bechtold & Jacobs 1990): b_t agents of a group start the break at
    # slot t (on an unrolled line, so a repeating week needs no circular matching), and
    # P_t agents of the group have their window open but no break yet:
    #   P_t = P_{t-1} + (shifts whose window opens at t) - b_t,
    #   0 <= P_t <= shifts whose window opened in (t - width, t].
    # Windows of one group have equal width, so these prefix conditions are exactly
    # Hall's condition: a break can be given to every shift (see _assign_breaks).
    brk_cost = np.zeros(n_brk)
    b_rows: list[np.ndarray] = []
    b_cols: list[np.ndarray] = []
    link_r: list[int] = []
    link_c: list[int] = []
    link_v: list[float] = []
    n_link = 0
    pend_r: list[int] = []
    pend_c: list[int] = []
    pend_v: list[float] = []
    n_pend = 0
    base = 0
    opts_of: dict[tuple[int, int], list[int]] = {}
    for j in range(n_opt):
        opts_of.setdefault((m.opt_template[j], m.opt_pool[j]), []).append(j)
    for ti, k, p, slot0, n_g in m.groups:
        brk = templates[ti].breaks[k]
        n_b = int(round(brk.duration_s / interval_s))
        e = int(round(brk.earliest_start_s / interval_s))
        width = int(round(brk.latest_start_s / interval_s)) - e
        opening: dict[int, list[int]] = {}
        for j in opts_of[(ti, p)]:
            opening.setdefault(m.opt_start[j] + e - slot0, []).append(j)
        for r in range(n_g):
            pos = _covered(slot0 + r, n_b, t_len, rules.wrap_around)
            if not brk.is_paid:
                brk_cost[base + r] = -pay_total[ti][pos].sum()
            b_rows.append(p * t_len + pos)
            b_cols.append(np.full(len(pos), base + r))
            # balance row: P_r - P_{r-1} + b_r - sum x_j(opening at r) = 0
            link_r += [n_link, n_link]
            link_c += [n_shift + n_slot + base + r, n_shift + base + r]
            link_v += [1.0, 1.0]
            if r:
                link_r.append(n_link)
                link_c.append(n_shift + n_slot + base + r - 1)
                link_v.append(-1.0)
            for j in opening.get(r, []):
                link_r.append(n_link)
                link_c.append(j)
                link_v.append(-1.0)
            n_link += 1
            # cap row: P_r - sum x_j(opened in (r - width, r]) <= 0
            pend_r.append(n_pend)
            pend_c.append(n_shift + n_slot + base + r)
            pend_v.append(1.0)
            for q in range(max(0, r - width + 1), r + 1):
                for j in opening.get(q, []):
                    pend_r.append(n_pend)
                    pend_c.append(j)
                    pend_v.append(-1.0)
            n_pend += 1
        base += n_g
    a_brk = sp.csr_matrix((np.ones(sum(map(len, b_rows))),
                           (np.concatenate(b_rows) if b_rows else np.array([], int),
                            np.concatenate(b_cols) if b_cols else np.array([], int))),
                          shape=(n_p * t_len, n_brk))

    penalty = rules.under_penalty
    if penalty is None:
        dearest = max(float(pt.max()) for pt in pay_total.values())
        penalty = 10.0 * max(dearest, 1.0)
    # Tie-break: among schedules of the same cost, the one with the fewest agent-intervals of
    # shifts while closed and nobody is needed (a full-time shift from 06:00 costs what one
    # from 09:00 does when the centre opens at 09:00 and the afternoon is covered anyway).
    # Each such agent-interval weighs _IDLE_WEIGHT of the mean pay of an agent-interval, so it
    # trades at most that share of the idle time's pay for real cost. Costs and the reported
    # objective come from the tables, never from c.
    mean_pay = float(np.mean([pt.mean() for pt in pay_total.values()]))
    c = np.concatenate([opt_cost + _IDLE_WEIGHT * max(mean_pay, 1e-6) * opt_idle,
                        np.zeros(n_tour), brk_cost, np.full(n_short, penalty)])

    blocks: list[sp.spmatrix] = []
    lbs: list[np.ndarray] = []
    ubs: list[np.ndarray] = []

    def add(rows: sp.spmatrix, lb: np.ndarray, ub: np.ndarray) -> None:
        blocks.append(sp.csr_matrix(rows))
        lbs.append(np.asarray(lb, float))
        ubs.append(np.asarray(ub, float))

    # Coverage rows (only where someone is needed).
    need_rows = np.flatnonzero(target.ravel() > 0)
    if len(need_rows):
        short = sp.csr_matrix((np.ones(n_short), (np.searchsorted(need_rows, soft_rows),
                                                  np.arange(n_short))),
                              shape=(len(need_rows), n_short))
        add(sp.hstack([a_shift[need_rows], -a_brk[need_rows], short]),
            target.ravel()[need_rows], np.full(len(need_rows), np.inf))
    # Minimum on duty in open intervals (hard).
    if rules.min_agents_on_duty > 0:
        rows = np.flatnonzero(is_open.ravel())
        if len(rows):
            add(sp.hstack([a_shift[rows], -a_brk[rows], sp.csr_matrix((len(rows), n_short))]),
                np.full(len(rows), rules.min_agents_on_duty), np.full(len(rows), np.inf))
    if n_slot:
        width_all = n_shift + n_brk + n_short
        add(sp.csr_matrix((link_v, (link_r, link_c)), shape=(n_link, width_all)),
            np.zeros(n_link), np.zeros(n_link))
        add(sp.csr_matrix((pend_v, (pend_r, pend_c)), shape=(n_pend, width_all)),
            np.full(n_pend, -np.inf), np.zeros(n_pend))
    # Patterns without a fixed start: per template, pool and weekday, the shifts worked
    # equal the agents whose pattern works that day.
    flex = [u for u, (ti, *_r) in enumerate(m.tours) if not templates[ti].same_start_time]
    if flex:
        weekday = horizon.day_of_week.to_numpy()
        key_rows: dict[tuple[int, int, int], int] = {}
        r_idx, c_idx, vals = [], [], []
        for j in range(n_opt):
            t = templates[m.opt_template[j]]
            if t.days_per_week is None or t.same_start_time:
                continue
            key = (m.opt_template[j], m.opt_pool[j], int(weekday[m.opt_start[j]]))
            r = key_rows.setdefault(key, len(key_rows))
            r_idx.append(r)
            c_idx.append(j)
            vals.append(1.0)
        for u in flex:
            ti, p, _s, days_on = m.tours[u]
            for d in days_on:
                r = key_rows.setdefault((ti, p, d), len(key_rows))
                r_idx.append(r)
                c_idx.append(n_opt + u)
                vals.append(-1.0)
        n_rows = len(key_rows)
        link = sp.csr_matrix((vals, (r_idx, c_idx)), shape=(n_rows, n_shift))
        add(sp.hstack([link, sp.csr_matrix((n_rows, n_brk + n_short))]),
            np.zeros(n_rows), np.zeros(n_rows))
    # Tour links: x_j - sum of the tours working option j = 0 (tour templates' options).
    if any(m.tour_opts):
        tour_opt = sorted({j for opts in m.tour_opts for j in opts})
        row_of = {j: r for r, j in enumerate(tour_opt)}
        r_idx = [row_of[j] for j in tour_opt]
        c_idx = list(tour_opt)
        vals = [1.0] * len(tour_opt)
        for u, opts in enumerate(m.tour_opts):
            for j in opts:
                r_idx.append(row_of[j])
                c_idx.append(n_opt + u)
                vals.append(-1.0)
        link = sp.csr_matrix((vals, (r_idx, c_idx)), shape=(len(tour_opt), n_shift))
        add(sp.hstack([link, sp.csr_matrix((len(tour_opt), n_brk + n_short))]),
            np.zeros(len(tour_opt)), np.zeros(len(tour_opt)))
    # Headcount rules.
    for row, lb, ub in _headcount_rows(m, rules):
        add(sp.hstack([sp.csr_matrix(row.reshape(1, -1)), sp.csr_matrix((1, n_brk + n_short))]),
            np.array([lb]), np.array([ub]))

    upper = np.full(n_var, np.inf)
    for j in range(n_opt):
        t = templates[m.opt_template[j]]
        if t.max_headcount is not None and t.days_per_week is None:
            upper[j] = t.max_headcount
    for u, (ti, *_rest) in enumerate(m.tours):
        if templates[ti].max_headcount is not None:
            upper[n_opt + u] = templates[ti].max_headcount
    # A tour template's shift that no tour works (e.g. its week would not fit) is never used.
    in_tour = {j for opts in m.tour_opts for j in opts}
    for j in range(n_opt):
        t = templates[m.opt_template[j]]
        if t.days_per_week is not None and t.same_start_time and j not in in_tour:
            upper[j] = 0.0
    upper[n_shift + n_brk:] = target.ravel()[soft_rows]
    integrality = np.concatenate([np.ones(n_shift + n_slot), np.zeros(n_slot + n_short)])
    a_all = sp.vstack(blocks).tocsr() if blocks else sp.csr_matrix((0, n_var))
    constraints = LinearConstraint(a_all, np.concatenate(lbs) if lbs else [],
                                   np.concatenate(ubs) if ubs else [])
    return _Program(c, integrality, upper, constraints, n_shift, n_slot, n_brk, float(penalty))


@dataclass(frozen=True)
class _Solution:
    x: np.ndarray
    objective: float
    bound: float | None
    gap: float | None
    status: str
    method: str
    message: str
    nodes: int = 0


#: Above this many shift and tour variables (with break windows), "auto" solves the root LP by
#: interior point (see _solve).
_DIRECT_MAX_SHIFT_VARS = 1500
#: Weight of the pay of agent-intervals on duty while closed and nobody is needed, added to a
#: shift's objective coefficient as a tie-break (see _program).
_IDLE_WEIGHT = 1e-3


def _clock() -> float:
    """Seconds on a monotonic clock: the only wall-clock reading of the solve (the safety net).

    Nothing that shapes the schedule reads it; it only stops a solve that runs past
    ``ScheduleRules.time_limit_s`` (tests patch it to run a slowed-down machine).
    """
    return time.monotonic()


@dataclass(frozen=True)
class _MipResult:
    x: np.ndarray | None
    fun: float
    bound: float | None
    gap: float | None
    status: str          # "optimal", "budget", "time_limit", "infeasible", "no_solution"
    message: str
    nodes: int = 0       # branch-and-bound nodes explored


def _highs_model(c, integrality, lower, upper, constraints) -> Any:
    a = sp.csc_matrix(constraints.A)
    lp = highspy.HighsLp()
    n = len(c)
    inf = highspy.kHighsInf
    lb, ub = np.asarray(constraints.lb, float), np.asarray(constraints.ub, float)
    lp.num_col_ = n
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = np.asarray(c, float)
    lp.col_lower_ = np.asarray(lower, float)
    lp.col_upper_ = np.where(np.isfinite(upper), upper, inf)
    lp.row_lower_ = np.where(np.isfinite(lb), lb, -inf)
    lp.row_upper_ = np.where(np.isfinite(ub), ub, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    if integrality is not None:
        lp.integrality_ = [highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous
                           for v in integrality]
    return lp


_BANNER_LOCK = threading.Lock()
_banner_done = False


def _new_highs() -> Any:
    """A silent ``highspy.Highs``: HiGHS prints a banner to the C-level stdout on its first
    construction in a process, which would land in the middle of ccplan's own output (and in
    files written by ``ccplan ... > file``); the first one is built with stdout on /dev/null."""
    global _banner_done
    with _BANNER_LOCK:
        if _banner_done:
            h = highspy.Highs()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "wb") as null:
                    os.dup2(null.fileno(), 1)
                    h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_done = True
    h.setOptionValue("output_flag", False)
    return h


def _highs(c, integrality, upper, constraints, *, gap: float, deadline: float,
           max_nodes: int, lp_solver: str = "choose", lower=None) -> _MipResult:
    """Solve by HiGHS (its own interface, highspy) on one thread with a fixed seed.

    It stops at the asked relative ``gap`` or after ``max_nodes`` branch-and-bound nodes
    (status ``"budget"``): both deterministic, so the same inputs give the same schedule on any
    machine under any load. ``deadline`` (a :func:`_clock` reading) is only the safety net:
    past it, the solve is interrupted (status ``"time_limit"``). ``integrality=None`` solves
    an LP (interior point, then crossover: its optimum is a certificate, so it must be exact).
    """
    h = _new_highs()
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("presolve", "on")
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("mip_max_nodes", int(max_nodes))
    if integrality is None:
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
    else:
        h.setOptionValue("mip_lp_solver", lp_solver)
    left = deadline - _clock()
    # HiGHS's own clock backs up the interrupt below (a sub-MIP does not call back).
    h.setOptionValue("time_limit", float(max(left, 0.01)))
    stopped = []
    reached = []

    def interrupt(event: Any) -> None:
        if _clock() > deadline:
            stopped.append(True)
            event.interrupt()

    def improved(event: Any) -> None:
        # HiGHS checks its gap at set points only (not between the root's heuristics, where
        # large models spend most of their time); stop as soon as a new schedule is within
        # the asked gap of the bound. Deterministic: solutions arrive in the same order.
        out = event.data_out
        obj, bound = float(out.objective_function_value), float(out.mip_dual_bound)
        if np.isfinite(obj) and np.isfinite(bound) and obj - bound <= gap * max(abs(obj), 1e-9):
            reached.append(True)
            event.interrupt()
        else:
            interrupt(event)

    for callback in (h.cbMipInterrupt, h.cbIpmInterrupt, h.cbSimplexInterrupt):
        callback.subscribe(interrupt)
    if integrality is not None:
        h.cbMipImprovingSolution.subscribe(improved)
    lower = np.zeros(len(c)) if lower is None else lower
    h.passModel(_highs_model(c, integrality, lower, upper, constraints))
    if left <= 0:
        stopped.append(True)
    else:
        h.run()
    model_status = h.getModelStatus()
    message = h.modelStatusToString(model_status)
    info = h.getInfo()
    ms = highspy.HighsModelStatus
    if reached and not stopped:
        status = "optimal"
        message = "the gap asked is reached"
    elif stopped or model_status in (ms.kTimeLimit, ms.kInterrupt):
        status = "time_limit"
        message = "stopped at the time limit (safety net)"
    elif model_status == ms.kOptimal:
        status = "optimal"
    elif model_status in (ms.kSolutionLimit, ms.kIterationLimit):
        status = "budget"
    elif model_status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
        status = "infeasible"
    else:
        status = "no_solution"
    has_x = (info.primal_solution_status == 2 if integrality is not None
             else model_status == ms.kOptimal)
    x = np.asarray(h.getSolution().col_value, float) if has_x and status != "infeasible" else None
    if integrality is None:
        fun = float(info.objective_function_value)
        return _MipResult(x, fun, fun if model_status == ms.kOptimal else None, 0.0, status,
                          message)
    nodes = max(int(info.mip_node_count), 0)
    bound = float(info.mip_dual_bound)
    mip_gap = float(info.mip_gap)
    return _MipResult(x, float(info.objective_function_value) if x is not None else math.nan,
                      bound if np.isfinite(bound) else None,
                      mip_gap if np.isfinite(mip_gap) else None, status, message, nodes)


def _certificate(prog: _Program, deadline: float) -> float | None:
    """Optimum of the LP relaxation (interior point): a lower bound on any schedule's cost."""
    lp = _highs(prog.c, None, prog.upper, prog.constraints, gap=0.0, deadline=deadline,
                max_nodes=0)
    return lp.bound


def _solve(prog: _Program, rules: ScheduleRules, rates: PayRates, t0: float,
           m: _Model) -> _Solution:
    """Solve the programme directly, or in two stages when asked.

    ``direct`` (and ``auto``): HiGHS branch-and-cut on the whole model; the gap
    is HiGHS's. Large models with break windows solve their LP relaxations by
    interior point (the break-window variables make them degenerate and slow
    for the dual simplex). ``two_stage``: (1) bound the optimum by the LP
    relaxation of the full model; (2) choose shifts and tours in a model
    without break variables, where a shift covers each interval by the share
    of its agents off break when breaks start evenly over their windows; (3)
    with those shifts fixed, place the breaks in their windows by a small
    exact MILP. The gap is reported against the bound of (1), a true
    optimality certificate.

    Every stage stops on its gap or its node budget (``rules.max_nodes``), never on time,
    so the schedule is a function of the inputs; ``rules.time_limit_s`` only interrupts a
    solve that runs past it (status ``"time_limit"``).
    """
    deadline = t0 + rules.time_limit_s
    method = rules.method
    has_windows = any(b.latest_start_s > b.earliest_start_s for t in m.templates
                      for b in t.breaks)
    large = has_windows and prog.n_shift > _DIRECT_MAX_SHIFT_VARS
    if method in ("auto", "direct"):
        res = _highs(prog.c, prog.integrality, prog.upper, prog.constraints,
                     gap=rules.mip_rel_gap, deadline=deadline, max_nodes=rules.max_nodes,
                     lp_solver="ipm" if large else "choose")
        if res.status == "infeasible":
            raise _infeasible(m, rules, res.message)
        if res.x is None:
            raise _no_solution(rules, res.message, budget=res.status == "budget")
        status = res.status
        if status == "budget":
            status = ("optimal" if res.gap is not None and res.gap <= rules.mip_rel_gap + 1e-9
                      else "gap_above_target")
        return _Solution(res.x, res.fun, res.bound, res.gap, status, "direct", res.message,
                         res.nodes)
    # The certificate first: the LP relaxation of the full model (interior point).
    bound = _certificate(prog, deadline)
    # Stage 1: no break variables; each shift covers each interval by the share of its agents
    # off break when breaks start evenly over their windows.
    prog1 = _program(replace(m, groups=[]), rules, rates, smooth_breaks=True)
    res1 = _highs(prog1.c, prog1.integrality, prog1.upper, prog1.constraints,
                  gap=rules.mip_rel_gap / 2, deadline=deadline, max_nodes=rules.max_nodes)
    if res1.status == "infeasible":
        raise _infeasible(m, rules, res1.message)
    best = None
    messages = [f"stage 1 (breaks spread over their windows): {res1.message}"]
    timed_out = res1.status == "time_limit"
    if res1.x is not None:
        # Stage 2: the same shifts and tours; breaks placed in their windows, exactly.
        n_shift = prog.n_shift
        fixed = np.round(res1.x[:n_shift])
        lower = np.zeros(len(prog.c))
        lower[:n_shift] = fixed
        upper = prog.upper.copy()
        upper[:n_shift] = fixed
        # Placing the breaks of stage 1's shifts is small: it gets at least a tenth of the
        # time limit even when stage 1 used it all, so a cut stage 1 still gives a schedule.
        best = _highs(prog.c, prog.integrality, upper, prog.constraints, gap=0.0,
                      deadline=max(deadline, _clock() + 0.1 * rules.time_limit_s),
                      max_nodes=rules.max_nodes, lower=lower)
        messages.append(f"stage 2 (breaks placed): {best.message}")
        timed_out = timed_out or best.status == "time_limit"
        if best.x is None:
            best = None
    if best is None or best.x is None:
        raise _no_solution(rules, "; ".join(messages) or "stage 1 found no schedule",
                           budget=not timed_out)
    fun = float(best.fun)
    gap = max(fun - bound, 0.0) / max(abs(fun), 1e-9) if bound is not None else None
    status = ("time_limit" if timed_out
              else "optimal" if gap is not None and gap <= rules.mip_rel_gap + 1e-9
              else "gap_above_target")
    return _Solution(best.x, fun, bound, gap, status, "two_stage",
                     "; ".join(messages) + "; gap against the LP bound of the full model",
                     res1.nodes + best.nodes)


def _no_solution(rules: ScheduleRules, message: str,
                 budget: bool = False) -> InfeasibleScheduleError:
    if budget:
        return InfeasibleScheduleError(
            f"schedule_shifts(): the solver found no schedule within its node budget of "
            f"{rules.max_nodes} nodes ({message}). Raise ScheduleRules.max_nodes (rules."
            "max_nodes in a rules file), use fewer start times (a larger start_step_s) or fewer "
            "templates.")
    return InfeasibleScheduleError(
        f"schedule_shifts(): the solver found no schedule within the time limit of "
        f"{rules.time_limit_s:g} s ({message}). Raise ScheduleRules.time_limit_s, use fewer "
        "start times (a larger start_step_s) or fewer templates.")


def _base_rate(t: ShiftTemplate, rates: PayRates) -> float:
    return float(t.hourly_rate if t.hourly_rate is not None else rates.hourly_rates[t.agent_type])


def _headcount_rows(m: _Model, rules: ScheduleRules):
    """Rows over the shift variables for template bounds, the total cap and part-time shares."""
    n_opt = len(m.opt_template)
    tmpl = np.array(m.opt_template + [tu[0] for tu in m.tours], dtype=np.int64)
    is_tour = np.r_[np.zeros(n_opt, bool), np.ones(len(m.tours), bool)]
    opt_is_daily = np.array([m.templates[t].days_per_week is None for t in m.opt_template], bool)
    # Options of tour templates are counted through their tours, never on their own.
    day = np.r_[np.where(opt_is_daily, m.opt_day, -2), np.full(len(m.tours), -1)]
    part = np.array([m.templates[t].is_part_time for t in tmpl], dtype=bool)
    days = sorted({d for d in day.tolist() if d >= 0}) or [None]
    for ti, t in enumerate(m.templates):
        if t.min_headcount == 0 and t.max_headcount is None:
            continue
        hi = np.inf if t.max_headcount is None else t.max_headcount
        if t.days_per_week is not None:
            yield (tmpl == ti).astype(float), t.min_headcount, hi
        else:
            for d in sorted({d for d in day[tmpl == ti].tolist() if d >= 0}):
                yield ((tmpl == ti) & (day == d)).astype(float), t.min_headcount, hi
    for d in days:
        counted = is_tour | (day == d) if d is not None else is_tour.copy()
        total = counted.astype(float)
        if rules.max_total_headcount is not None:
            yield total, -np.inf, rules.max_total_headcount
        pt = (counted & part).astype(float)
        if rules.max_part_time_share is not None:
            yield pt - rules.max_part_time_share * total, -np.inf, 0.0
        if rules.min_part_time_share is not None and rules.min_part_time_share > 0:
            yield pt - rules.min_part_time_share * total, 0.0, np.inf


def _precheck(m: _Model, rules: ScheduleRules) -> None:
    """Explain in planner's terms the infeasibilities that are visible before solving."""
    t_len = len(m.horizon)
    n_p = len(m.pools)
    covered = np.zeros((n_p, t_len), dtype=bool)
    for j in range(len(m.opt_template)):
        covered[m.opt_pool[j], _covered(m.opt_start[j], m.opt_len[j], t_len,
                                        rules.wrap_around)] = True
    need = np.zeros((n_p, t_len), dtype=np.int64)
    if rules.coverage == "hard":
        need = m.target.copy()
    if rules.min_agents_on_duty > 0:
        need = np.maximum(need, np.where(m.is_open, rules.min_agents_on_duty, 0))
    gaps = np.argwhere((need > 0) & ~covered)
    if len(gaps):
        p, i = gaps[0]
        pool = "" if m.pools == [BLENDED] else f" on channel {m.pools[p]!r}"
        more = f" (and {len(gaps) - 1} more intervals)" if len(gaps) > 1 else ""
        raise InfeasibleScheduleError(
            f"{_label(m.horizon[i], m.interval_s)} needs {need[p, i]} agents{pool} but no shift "
            f"template covers it{more}. Add a template or start time that covers it, or use "
            "coverage='soft' to leave it short at a penalty.")
    if rules.min_part_time_share and not any(t.is_part_time for t in m.templates):
        raise InfeasibleScheduleError(
            f"min_part_time_share is {rules.min_part_time_share:g} but no template is part-time. "
            "Mark a template is_part_time=True, or drop the rule.")
    cap = rules.max_total_headcount
    if cap is not None:
        # Tour minimums count every day; a daily template's minimum on the days it runs.
        tour_floor = sum(t.min_headcount for t in m.templates if t.days_per_week is not None)
        runs: dict[int, set[int]] = {}
        for j, ti in enumerate(m.opt_template):
            if m.templates[ti].days_per_week is None:
                runs.setdefault(m.opt_day[j], set()).add(ti)
        day_floor = {d: tour_floor + sum(m.templates[ti].min_headcount for ti in tis)
                     for d, tis in runs.items()} or {0: tour_floor}
        d_worst = max(day_floor, key=lambda d: day_floor[d])
        if day_floor[d_worst] > cap:
            day = _local_dates(m.horizon[:1])[0] + pd.Timedelta(days=d_worst)
            when = f" on {WEEKDAY_NAMES[day.weekday()]} {day:%Y-%m-%d}" if runs else ""
            raise InfeasibleScheduleError(
                f"the templates' min_headcount add up to {day_floor[d_worst]} agents{when}, "
                f"above max_total_headcount {cap}. Lower the minimums or raise the cap.")
    if cap is not None:
        # With tours only, no interval can hold more agents than the cap.
        only_tours = all(t.days_per_week is not None for t in m.templates)
        limit = cap if only_tours else None
        if limit is not None:
            over = np.argwhere(need > limit)
            if len(over):
                p, i = over[0]
                raise InfeasibleScheduleError(
                    f"{_label(m.horizon[i], m.interval_s)} needs {need[p, i]} agents on duty but "
                    f"max_total_headcount is {limit}. Raise the cap, or use coverage='soft'.")


def _infeasible(m: _Model, rules: ScheduleRules, message: str) -> InfeasibleScheduleError:
    """Name the rules that together make the programme infeasible."""
    active = []
    if rules.coverage == "hard":
        active.append("coverage='hard' (every interval fully covered)")
    if rules.min_agents_on_duty:
        active.append(f"min_agents_on_duty={rules.min_agents_on_duty}")
    if rules.max_total_headcount is not None:
        active.append(f"max_total_headcount={rules.max_total_headcount}")
    if rules.max_part_time_share is not None:
        active.append(f"max_part_time_share={rules.max_part_time_share:g}")
    if rules.min_part_time_share:
        active.append(f"min_part_time_share={rules.min_part_time_share:g}")
    for t in m.templates:
        if t.min_headcount or t.max_headcount is not None:
            active.append(f"template {t.name!r} headcount {t.min_headcount}.."
                          f"{'' if t.max_headcount is None else t.max_headcount}")
    return InfeasibleScheduleError(
        "no schedule meets all the rules together: " + "; ".join(active or ["(none)"])
        + ". Relax one of them (coverage='soft' shows where the requirement cannot be met). "
        f"Solver: {message}")


def _tables(m: _Model, x: np.ndarray, n_brk: int, rates: PayRates,
            rules: ScheduleRules) -> Schedule:
    t_len = len(m.horizon)
    ivl = m.interval_s
    n_p = len(m.pools)
    n_opt = len(m.opt_template)
    n_shift = n_opt + len(m.tours)
    opt_n = x[:n_opt]
    tour_n = x[n_opt:n_shift]
    brk_y = x[n_shift:n_shift + n_brk // 2]
    on_shift = np.zeros((n_p, t_len), dtype=np.int64)
    on_break = np.zeros((n_p, t_len), dtype=np.int64)
    on_paid_break = np.zeros((n_p, t_len), dtype=np.int64)
    paid = np.zeros((n_p, t_len), dtype=np.int64)
    parts = {k: np.zeros((n_p, t_len)) for k in PAY_PARTS}
    agents_paid_by_tmpl: dict[int, np.ndarray] = {}
    rows = []
    shift_id_of: dict[int, int] = {}
    order = sorted(np.flatnonzero(opt_n > 0),
                   key=lambda j: (m.opt_start[j], m.templates[m.opt_template[j]].name,
                                  m.opt_pool[j]))
    for sid, j in enumerate(order):
        shift_id_of[int(j)] = sid
        t = m.templates[m.opt_template[j]]
        pos = _covered(m.opt_start[j], m.opt_len[j], t_len, rules.wrap_around)
        on_shift[m.opt_pool[j], pos] += opt_n[j]
        if m.opt_template[j] not in agents_paid_by_tmpl:   # not setdefault: one array a shift
            agents_paid_by_tmpl[m.opt_template[j]] = np.zeros((n_p, t_len), int)   # is O(T^2)
        paid_j = agents_paid_by_tmpl[m.opt_template[j]]
        paid_j[m.opt_pool[j], pos] += opt_n[j]
        rows.append({"shift_id": sid, "channel": m.pools[m.opt_pool[j]], "template": t.name,
                     "shift_start": m.horizon[m.opt_start[j]], "duration_s": float(t.length_s),
                     "paid_s": t.paid_s(), "headcount": int(opt_n[j])})
    brk_rows = []
    for j, k, slot, n_agents in _assign_breaks(m, opt_n, brk_y):
        t = m.templates[m.opt_template[j]]
        b = t.breaks[k]
        pos = _covered(slot, int(round(b.duration_s / ivl)), t_len, rules.wrap_around)
        on_break[m.opt_pool[j], pos] += n_agents
        if b.is_paid:
            on_paid_break[m.opt_pool[j], pos] += n_agents
        if not b.is_paid:
            agents_paid_by_tmpl[m.opt_template[j]][m.opt_pool[j], pos] -= n_agents
        brk_rows.append({"shift_id": shift_id_of[j], "break": b.name,
                         "break_start": m.horizon[slot % t_len],
                         "duration_s": float(b.duration_s), "is_paid": bool(b.is_paid),
                         "headcount": int(n_agents)})
    for ti, n_paid in agents_paid_by_tmpl.items():
        t = m.templates[ti]
        pay = interval_pay(m.horizon, ivl, _base_rate(t, rates), rates)
        for k in PAY_PARTS:
            parts[k] += n_paid * pay[k][None, :]
        paid += n_paid
    scheduled = on_shift - on_break
    shifts = pd.DataFrame(rows, columns=["shift_id", "channel", "template", "shift_start",
                                         "duration_s", "paid_s", "headcount"])
    breaks = pd.DataFrame(brk_rows, columns=["shift_id", "break", "break_start", "duration_s",
                                             "is_paid", "headcount"])
    breaks = breaks.sort_values(["shift_id", "break_start", "break"]).reset_index(drop=True)
    tour_rows = []
    for (ti, p, start_s, days_on), n_tour in zip(m.tours, tour_n, strict=True):
        if n_tour > 0:
            tour_rows.append({"channel": m.pools[p], "template": m.templates[ti].name,
                              "start_time": _hhmm(start_s) if start_s == start_s else "varies",
                              "start_time_s": start_s,
                              "days_on": " ".join(WEEKDAY_NAMES[d] for d in days_on),
                              "days_off": " ".join(WEEKDAY_NAMES[d] for d in range(7)
                                                   if d not in days_on),
                              "headcount": int(n_tour)})
    tours = pd.DataFrame(tour_rows, columns=["channel", "template", "start_time", "start_time_s",
                                             "days_on", "days_off", "headcount"])
    tours = tours.sort_values(["start_time_s", "template", "channel", "days_on"]).reset_index(
        drop=True)
    tours.insert(0, "tour_id", np.arange(len(tours)))
    pool_col = np.repeat(np.array(m.pools, dtype=object), t_len)
    starts_col = np.tile(m.horizon, n_p)
    coverage = pd.DataFrame({
        "channel": pool_col, "interval_start": starts_col,
        "agents_required": m.required.ravel(), "agents_target": m.target.ravel(),
        "agents_scheduled": scheduled.ravel(), "agents_on_break": on_break.ravel(),
        "agents_on_paid_break": on_paid_break.ravel(),
        "over": np.maximum(scheduled - m.target, 0).ravel(),
        "under": np.maximum(m.target - scheduled, 0).ravel(),
        "is_open": m.is_open.ravel(),
    })
    costs = pd.DataFrame({"channel": pool_col, "interval_start": starts_col,
                          "agents_paid": paid.ravel(),
                          "agent_hours": paid.ravel() * ivl / 3600.0,
                          **{k: parts[k].ravel() for k in PAY_PARTS}})
    costs["cost"] = costs[list(PAY_PARTS)].sum(axis=1)
    # Headcount: tours once; daily shifts by start day (the busiest day counts).
    tour_heads = int(tour_n.sum())
    daily = shifts[~shifts["template"].isin([t.name for t in m.templates
                                             if t.days_per_week is not None])]
    # By local calendar date (the wall clock's date: some zones have no local midnight).
    per_day = (daily.groupby(_local_dates(daily["shift_start"]))["headcount"].sum()
               if len(daily) else pd.Series(dtype=float))
    headcount = tour_heads + (int(per_day.max()) if len(per_day) else 0)
    paid_hours = float(costs["agent_hours"].sum())
    # FTE per week, the horizon's calendar days repeating (one day counts as 1/7 week).
    weeks = math.ceil(t_len * ivl / DAY_S - 1e-9) / 7.0
    summary = {
        "cost": float(costs["cost"].sum()),
        "under_agent_intervals": int(coverage["under"].sum()),
        "over_agent_intervals": int(coverage["over"].sum()),
        # Shift time (breaks included) while the pool is closed and nobody is needed.
        "closed_idle_agent_hours": float(
            ((on_shift * (~m.is_open & (m.target <= 0))).sum()) * ivl / 3600.0),
        "headcount": headcount,
        "n_shifts": int(shifts["headcount"].sum()),
        "paid_hours": paid_hours,
        "fte": paid_hours / (rules.contracted_hours_per_week * weeks),
        "interval_s": ivl,
        "horizon_s": t_len * ivl,
        "shrinkage": float(rules.shrinkage),
        "blend": bool(rules.blend),
    }
    return Schedule(shifts, breaks, tours, coverage, costs, summary)
