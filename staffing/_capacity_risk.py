"""Risk of the capacity plan: Monte Carlo runs of demand and supply, and a plan at a probability.

Public through :mod:`staffing.capacity` (``capacity_risk``, ``CapacityRisk``,
``plan_hiring_at_risk``). The expected model of that module gives every flow its mean; here each
run draws whole agents: binomial leavers per cohort and week at the same rates, binomial
graduates per class, and one requirement path per run. ``docs/capacity.md`` ("Risk") has the
model, the method of the plan at a probability and how both are checked.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _schedule
from ._capacity import (
    AgentGroup,
    CapacityPlan,
    HiringClass,
    HiringRules,
    Transfer,
    _bad,
    _base_flows,
    _check_inputs,
    _check_int,
    _check_rules,
    _check_share,
    _checked_classes,
    _Group,
    _start_weeks,
    capacity_whatif,
    plan_hiring,
)
from .errors import InvalidParameterError

#: Columns of :attr:`CapacityRisk.weekly`, in order.
RISK_COLUMNS = ("group", "week", "coverage_probability", "available_fte_mean",
                "available_fte_p10", "available_fte_p90", "required_fte_p10", "required_fte_p50",
                "required_fte_p90", "overtime_fte_mean", "short_fte_mean", "headcount_mean",
                "headcount_sd", "headcount_p10", "headcount_p90")
#: Runs when every requirement path has one row and ``n_runs`` is not given.
DEFAULT_RUNS = 1000
#: A run covers a week when its short FTE (after overtime) is at most this (float noise).
COVER_TOL_FTE = 1e-9
#: Tenure of agents past every early rate and ramp (starting headcount given as one number,
#: transfers): the same convention as the expected model.
_TENURED = 10**6
#: Added to a raised target so that a plan meeting it exactly is not on the boundary (FTE).
_MARGIN_FTE = 1e-6


@dataclass(frozen=True)
class CapacityRisk:
    """Monte Carlo risk of a capacity plan: per group and week, how likely supply covers demand.

    Attributes
    ----------
    weekly : pandas.DataFrame
        One row per group and week: ``group``, ``week``; ``coverage_probability`` (0-1: the
        share of runs whose available + overtime FTE covers the run's required FTE, i.e. whose
        short FTE is at most ``1e-9``); over runs, ``available_fte_mean``,
        ``available_fte_p10``, ``available_fte_p90`` (productive FTE); ``required_fte_p10``,
        ``required_fte_p50``, ``required_fte_p90`` (over the requirement paths);
        ``overtime_fte_mean``, ``short_fte_mean`` (>= 0); ``headcount_mean``, ``headcount_sd``
        (agents on the floor at the start of the week; the sample standard deviation),
        ``headcount_p10``, ``headcount_p90``. Percentiles interpolate linearly between runs.
    summary : dict
        ``n_runs``, ``seed``, ``min_coverage_probability``, ``mean_coverage_probability`` (over
        every group and week), ``n_weeks``.
    """

    weekly: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- inputs

def _check_paths(where: str, paths: Any, n_runs: Any) -> tuple[dict[str, np.ndarray], int]:
    """Per group a 2-D array (rows: runs, or 1) of required FTE; and the number of runs."""
    if not isinstance(paths, Mapping) or not paths:
        raise InvalidParameterError(
            f"{where}: required_fte_paths must map each group's name to an array (runs x "
            f"weeks) of required productive FTE, got {paths!r}.")
    out = {}
    for name, values in paths.items():
        try:
            arr = np.array(values, float)
        except (TypeError, ValueError):
            arr = None
        if arr is not None and arr.ndim == 1:
            arr = arr[None, :]
        if arr is None or arr.ndim != 2 or arr.size == 0:
            raise _bad(where, f"required_fte_paths[{name!r}]", values,
                       "must be an array of FTE, one row per run and one column per week",
                       "E.g. numpy.array([[30.5, 31.0], [29.0, 33.2]]); one row: no demand "
                       "uncertainty.")
        bad = np.argwhere(~np.isfinite(arr) | (arr < 0))
        if len(bad):
            r, t = (int(x) for x in bad[0])
            raise _bad(where, f"required_fte_paths[{name!r}][{r}, {t}]", float(arr[r, t]),
                       "must be a finite FTE >= 0",
                       "Fill the run's week; missing weeks are never read as zero.")
        out[name] = arr
    rows = sorted({a.shape[0] for a in out.values()} - {1})
    if len(rows) > 1:
        raise InvalidParameterError(
            f"{where}: required_fte_paths have groups with {rows} rows; give every group the "
            "same runs (or one row: no demand uncertainty).")
    if n_runs is None:
        return out, rows[0] if rows else DEFAULT_RUNS
    n = _check_int(where, "n_runs", n_runs, 1, None, "E.g. 1000.")
    if rows and rows[0] != n:
        raise _bad(where, "n_runs", n_runs, f"must equal the rows of required_fte_paths "
                   f"({rows[0]})", "Leave n_runs out, or give as many requirement paths.")
    return out, n


def _check_seed(where: str, seed: Any) -> int:
    return _check_int(where, "seed", seed, 0, None, "Give a whole number >= 0, e.g. 0.")


def _whole(where: str, name: str, value: float, fix: str) -> int:
    if float(value) != round(float(value)):
        raise _bad(where, name, value, "must be a whole number of agents in risk runs (they "
                   "draw whole leavers)", fix)
    return int(round(float(value)))


# ---------------------------------------------------------------- the runs

class _Cohort:
    """Agents who joined the floor together: their heads in every run, and their own stream."""

    __slots__ = ("entry", "tenure0", "heads", "rng", "order")

    def __init__(self, entry: int, tenure0: int, heads: np.ndarray,
                 rng: np.random.Generator, order: int) -> None:
        self.entry, self.tenure0, self.heads, self.rng, self.order = \
            entry, tenure0, heads, rng, order


def _stream(seed: int, group: str, *key: int) -> np.random.Generator:
    """A stream of its own per group and cohort, so a plan's draws for one cohort do not
    depend on the other cohorts or classes (common random numbers across plans)."""
    ss = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(group.encode()), *key))
    return np.random.Generator(np.random.PCG64(ss))


_BAND, _CLASS, _TRANSFER = 0, 1, 2


def _simulate(checked: dict[str, _Group], classes: Sequence[HiringClass],
              transfers: Sequence[Transfer], n_weeks: int, n_runs: int,
              seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per group, heads on the floor at the start of each week and productive FTE available,
    each an array (n_runs, n_weeks)."""
    cohorts: dict[str, list[_Cohort]] = {name: [] for name in checked}
    order = 0
    for name, g in checked.items():
        for k, (tenure, band) in enumerate(g.bands):
            cohorts[name].append(_Cohort(0, tenure, np.full(n_runs, int(band), np.int64),
                                         _stream(seed, name, _BAND, k), order))
            order += 1
    seen: dict[tuple[str, int], int] = {}
    for hc in classes:
        j = seen.get((hc.group, hc.start_week), 0)
        seen[(hc.group, hc.start_week)] = j + 1
        entry = hc.start_week + hc.training_weeks
        if entry >= n_weeks:
            continue
        rng = _stream(seed, hc.group, _CLASS, int(hc.start_week), j)
        grads = rng.binomial(int(hc.size), float(hc.graduation_share), n_runs).astype(np.int64)
        cohorts[hc.group].append(_Cohort(entry, 0, grads, rng, order))
        order += 1
    moves: dict[int, list[tuple[int, Transfer]]] = {}
    for k, tr in enumerate(transfers):
        moves.setdefault(int(tr.week), []).append((k, tr))
    heads = {name: np.zeros((n_runs, n_weeks), np.int64) for name in checked}
    prod = {name: np.zeros((n_runs, n_weeks)) for name in checked}
    for t in range(n_weeks):
        for name, g in checked.items():
            last = len(g.attrition) - 1
            for c in cohorts[name]:
                if c.entry > t:
                    continue
                tenure = min(c.tenure0 + t - c.entry, last)
                heads[name][:, t] += c.heads
                prod[name][:, t] += c.heads * g.ramp[tenure]
                rate = g.attrition[tenure]
                if rate > 0:
                    c.heads = c.heads - c.rng.binomial(c.heads, rate)
        for k, tr in moves.get(t, ()):
            # the longest-tenured agents move first; a run with fewer moves all it has
            want = np.full(n_runs, int(round(tr.headcount)), np.int64)
            moved = np.zeros(n_runs, np.int64)
            on_floor = [c for c in cohorts[tr.from_group] if c.entry <= t]
            for c in sorted(on_floor, key=lambda c: (-(c.tenure0 + t - c.entry), c.order)):
                take = np.minimum(want - moved, c.heads)
                c.heads = c.heads - take
                moved += take
            if t + 1 < n_weeks:
                rng = _stream(seed, tr.to_group, _TRANSFER, k)
                cohorts[tr.to_group].append(_Cohort(t + 1, n_weeks + _TENURED, moved, rng,
                                                    order))
                order += 1
    return {name: (heads[name], prod[name] * g.spec.fte_per_head * (1.0 - g.shrinkage)[None, :])
            for name, g in checked.items()}


def _risk_inputs(where: str, required_fte_paths: Any, groups: Sequence[AgentGroup],
                 transfers: Sequence[Transfer], n_runs: Any, seed: Any):
    paths, runs = _check_paths(where, required_fte_paths, n_runs)
    seed = _check_seed(where, seed)
    n_weeks, checked, _ = _check_inputs(where, {k: v[0] for k, v in paths.items()}, groups,
                                        transfers)
    for name, g in checked.items():
        for k, (tenure, heads) in enumerate(g.bands):
            label = ("starting_headcount" if tenure >= n_weeks + _TENURED
                     else f"starting_headcount[{k}] heads")
            _whole(f"{where}: group {name!r}", label, heads,
                   "Give whole agents (round it; part-time is fte_per_head).")
    for k, tr in enumerate(transfers):
        _whole(where, f"transfers[{k}].headcount", tr.headcount, "Move whole agents.")
    return paths, runs, seed, n_weeks, checked


@dataclass(frozen=True)
class _Runs:
    """Per group, the runs' arrays (n_runs, n_weeks)."""

    required: np.ndarray
    available: np.ndarray
    heads: np.ndarray
    overtime: np.ndarray
    short: np.ndarray


def _runs(paths: dict[str, np.ndarray], checked: dict[str, _Group],
          classes: Sequence[HiringClass], transfers: Sequence[Transfer], n_weeks: int,
          n_runs: int, seed: int) -> dict[str, _Runs]:
    sim = _simulate(checked, classes, transfers, n_weeks, n_runs, seed)
    out = {}
    for name, g in checked.items():
        heads, avail = sim[name]
        req = np.broadcast_to(paths[name], (n_runs, n_weeks))
        gap = req - avail
        overtime = np.clip(gap, 0.0, g.overtime_limit[None, :])
        out[name] = _Runs(req, avail, heads, overtime, np.maximum(gap - overtime, 0.0))
    return out


def _table(paths: dict[str, np.ndarray], runs: dict[str, _Runs], n_weeks: int, n_runs: int,
           seed: int) -> CapacityRisk:
    frames = []
    for name, r in runs.items():
        q_av = np.quantile(r.available, [0.1, 0.9], axis=0)
        q_req = np.quantile(paths[name], [0.1, 0.5, 0.9], axis=0)
        q_hc = np.quantile(r.heads, [0.1, 0.9], axis=0)
        frames.append(pd.DataFrame({
            "group": name, "week": np.arange(n_weeks, dtype=np.int64),
            "coverage_probability": (r.short <= COVER_TOL_FTE).mean(axis=0),
            "available_fte_mean": r.available.mean(axis=0),
            "available_fte_p10": q_av[0], "available_fte_p90": q_av[1],
            "required_fte_p10": q_req[0], "required_fte_p50": q_req[1],
            "required_fte_p90": q_req[2],
            "overtime_fte_mean": r.overtime.mean(axis=0), "short_fte_mean": r.short.mean(axis=0),
            "headcount_mean": r.heads.mean(axis=0),
            "headcount_sd": r.heads.std(axis=0, ddof=1) if n_runs > 1 else np.zeros(n_weeks),
            "headcount_p10": q_hc[0], "headcount_p90": q_hc[1]}))
    weekly = pd.concat(frames, ignore_index=True)[list(RISK_COLUMNS)]
    cover = weekly["coverage_probability"]
    return CapacityRisk(weekly, {"n_runs": int(n_runs), "seed": int(seed),
                                 "min_coverage_probability": float(cover.min()),
                                 "mean_coverage_probability": float(cover.mean()),
                                 "n_weeks": int(n_weeks)})


def capacity_risk(required_fte_paths: Mapping[str, Any], groups: Sequence[AgentGroup],
                  classes: Sequence[HiringClass] = (), *, transfers: Sequence[Transfer] = (),
                  rules: Sequence[HiringRules] = (), n_runs: int | None = None,
                  seed: int = 0) -> CapacityRisk:
    """Monte Carlo runs of demand and supply: how likely each week's requirement is covered.

    Each run takes one requirement path per group and draws the supply in whole agents under
    the model of :func:`capacity_whatif` (same timing, rates, ramp, shrinkage and overtime):
    each cohort (a starting tenure band, a class's graduates, a transfer's arrivals) loses
    ``Binomial(heads, rate)`` leavers at the end of every week at the rate of its tenure; a
    class graduates ``Binomial(size, graduation_share)``; a transfer moves the
    longest-tenured agents of its group first, and in a run where the group has fewer agents it
    moves all it has. Overtime fills the run's gap up to ``overtime_limit_fte``. Demand and
    supply are drawn independently. The means of the runs are the expected model's values.

    Draws are reproducible: the same inputs and ``seed`` give identical tables. Every cohort
    draws from a stream of its own (keyed by the seed, the group's name and the cohort: band
    number, class start week, transfer number), so adding a class leaves the other cohorts'
    draws alone (common random numbers between plans).

    Parameters
    ----------
    required_fte_paths : mapping of str to array
        Per group, the required productive FTE (>= 0) as an array (runs x weeks), one row per
        run (e.g. from forecast sample paths), or one row (a 1-D array too): no demand
        uncertainty. Groups with several rows have the same number.
    groups : sequence of AgentGroup
        One per group. Starting headcounts (and tenure bands) must be whole agents.
    classes : sequence of HiringClass, optional
        The hiring plan. Default none.
    transfers : sequence of Transfer, optional
        Agents moved between groups, whole agents. Default none.
    rules : sequence of HiringRules, optional
        When given, each class must keep its group's rules (as in :func:`capacity_whatif`).
    n_runs : int or None, optional
        Runs, >= 1. Default: the rows of the requirement paths, or 1,000 when every group has
        one row. Must equal the rows when a group has several.
    seed : int, optional
        Seed of the draws, >= 0. Default 0.

    Returns
    -------
    CapacityRisk
        Per group and week the coverage probability and the spread of supply and demand.

    Raises
    ------
    InvalidParameterError
        An input is out of range (the message names the field, the value and the fix),
        including a fractional starting headcount or transfer.

    Examples
    --------
    >>> team = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.0)
    >>> risk = capacity_risk({"voice": [[9.0, 11.0], [10.0, 10.0]]}, [team])
    >>> risk.weekly["coverage_probability"].tolist()
    [1.0, 0.5]
    """
    where = "capacity_risk()"
    paths, runs, seed, n_weeks, checked = _risk_inputs(where, required_fte_paths, groups,
                                                       transfers, n_runs, seed)
    hiring = _check_rules(where, rules, checked, n_weeks)
    cls = _checked_classes(where, classes, checked, hiring, n_weeks)
    return _table(paths, _runs(paths, checked, cls, transfers, n_weeks, runs, seed), n_weeks,
                  runs, seed)


def plan_hiring_at_risk(required_fte_paths: Mapping[str, Any], groups: Sequence[AgentGroup],
                        rules: Sequence[HiringRules], *, probability: float,
                        required_fte: Mapping[str, Sequence[float]] | None = None,
                        transfers: Sequence[Transfer] = (), n_runs: int | None = None,
                        seed: int = 0, max_rounds: int = 8, mip_rel_gap: float = 0.001,
                        max_nodes: int = 20_000,
                        time_limit_s: float = 120.0) -> tuple[CapacityPlan, CapacityRisk]:
    """The least-cost hiring plan found whose coverage probability reaches ``probability``.

    A heuristic, not a chance-constrained optimum: :func:`plan_hiring` is solved against a
    raised requirement, and the requirement is raised again where the runs of
    :func:`capacity_risk` fall short:

    1. The target per group and week starts at the larger of the point requirement and the
       ``probability``-quantile of the requirement paths; weeks before the group's first
       possible graduates (lead time + training) are capped at what the staff already
       there and overtime give (no class can change them).
    2. Solve :func:`plan_hiring` against the target; run the Monte Carlo on its classes.
    3. In every week hiring can reach, let ``e`` be the quantile over runs of ``required -
       available - overtime limit`` (the supply the week lacks at that level) and raise the
       target to at least the plan's expected available FTE + the overtime limit + ``e``
       (covered weeks keep what they need, short weeks get more). The level aims two
       standard errors of the coverage estimate above ``probability`` (0.919 for 0.9 and
       1,000 runs), so that a reshuffled plan does not land just below it.
    4. Repeat from 2 until no week is below ``probability`` that the last solve met its
       target in (a week the solve left short stays so however high its target), the
       classes stop changing, or ``max_rounds`` solves. Targets only rise.
    5. Repair: the MILP leaves a week short of its target where the shortfall penalty is
       cheaper than a class (a small gap in a peak week). While a reachable week is below
       ``probability``, take the first such week (any group); per allowed start week whose
       graduates reach it, the agents its lack asks for: the ``probability``-quantile of
       ``required - available`` minus the overtime limit, over a graduate's expected FTE in
       that week (ramp, shrinkage, graduation share), at least one (a new class at least
       ``min_class_size``, none above ``max_class_size``); add them where they cost least to
       the horizon's end (hire, training, wages; the latest start on a tie); then run the
       Monte Carlo again. A week that even full classes could not lift to the probability
       gets nobody (hires there would cost without reaching it) and stays below.

    Every step is deterministic. The plan returned is priced by :func:`capacity_whatif`
    against the point requirement, so its cost compares with the point plan's
    (``insurance_cost``: the caller's subtraction). Weeks before a group's first possible
    graduates depend on the staff already there and overtime only; they, and weeks hiring
    could not lift, are listed in the summary.

    Parameters
    ----------
    required_fte_paths : mapping of str to array
        As in :func:`capacity_risk`.
    groups : sequence of AgentGroup
        As in :func:`capacity_risk` (whole agents).
    rules : sequence of HiringRules
        As in :func:`plan_hiring`.
    probability : float
        Coverage probability to reach in every week, in (0, 1), e.g. 0.9.
    required_fte : mapping of str to sequence of float or None, optional
        The point requirement per group and week (e.g. from the point forecast). Default: the
        mean of the paths per week.
    transfers : sequence of Transfer, optional
        Whole agents moved between groups. Default none.
    n_runs : int or None, optional
        As in :func:`capacity_risk`.
    seed : int, optional
        Seed of the runs, >= 0. Default 0.
    max_rounds : int, optional
        Most MILP solves, >= 1. Default 8.
    mip_rel_gap : float, optional
        Each solve's relative gap, as in :func:`plan_hiring`. Default 0.001.
    max_nodes : int, optional
        Each solve's node budget, as in :func:`plan_hiring`. Default 20,000.
    time_limit_s : float, optional
        Each solve's wall-clock safety net, seconds, as in :func:`plan_hiring`. Default 120.

    Returns
    -------
    (CapacityPlan, CapacityRisk)
        The plan (priced against the point requirement; its summary adds
        ``risk_probability``, ``risk_rounds`` (solves), ``risk_repair_hires`` (hires step 5
        added), ``risk_n_runs``, ``risk_seed``,
        ``min_coverage_probability``, ``weeks_below_probability`` (per group, the weeks whose
        coverage stays below the probability), the last solve's ``status``, ``mip_gap``,
        ``mip_rel_gap``, ``max_nodes``, ``mip_nodes``, ``dual_bound`` (against its raised
        target), ``time_limit_s``, and ``runtime_s`` over all rounds), and its Monte Carlo risk.

    Raises
    ------
    InvalidParameterError
        An input is out of range; the message names the field, the value and the fix.

    Examples
    --------
    >>> team = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.0,
    ...                   wage_per_fte_week=1000, hire_cost=500)
    >>> paths = {"voice": [[10, 10, 10, 10], [10, 10, 12, 12], [10, 10, 13, 13]]}
    >>> plan, risk = plan_hiring_at_risk(paths, [team], [HiringRules("voice", training_weeks=1)],
    ...                                  probability=0.9)
    >>> plan.classes[["start_week", "size"]].values.tolist()
    [[1, 3]]
    >>> risk.weekly["coverage_probability"].tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    where = "plan_hiring_at_risk()"
    t0 = _schedule._clock()
    _check_share(where, "probability", probability, upper_open=True, lower_open=True,
                 fix="Give the coverage probability to reach, e.g. 0.9.")
    _check_int(where, "max_rounds", max_rounds, 1, None, "E.g. 8.")
    paths, runs, seed, n_weeks, checked = _risk_inputs(where, required_fte_paths, groups,
                                                       transfers, n_runs, seed)
    if required_fte is None:
        point = {name: p.mean(axis=0) for name, p in paths.items()}
    else:
        _, _, req = _check_inputs(where, required_fte, groups, transfers)
        point = req
        if {len(v) for v in point.values()} != {n_weeks}:
            raise _bad(where, "required_fte", f"{len(next(iter(point.values())))} weeks",
                       f"must have the weeks of required_fte_paths ({n_weeks})",
                       "Give the point requirement for the same weeks.")
    hiring = _check_rules(where, rules, checked, n_weeks)
    reach = {}
    for name in checked:
        rule = hiring[name][1] if name in hiring else None
        first = [s + rule.training_weeks for s in _start_weeks(rule, n_weeks)] if rule else []
        reach[name] = np.arange(n_weeks) >= (min(first) if first else n_weeks)
    # weeks no class can reach keep the staff already there: asking more of them would only
    # add a constant shortfall penalty to every solve (and loosen its relative gap)
    base = _base_flows(n_weeks, checked, transfers)
    target = {}
    for name, g in checked.items():
        reachable = base[name]["available_fte"] + g.overtime_limit
        wanted = np.maximum(point[name], np.quantile(paths[name], probability, axis=0,
                                                     method="inverted_cdf"))
        target[name] = np.where(reach[name], wanted, np.minimum(wanted, reachable))
    # the lifts aim two standard errors of the runs' coverage estimate above the probability,
    # so that a reshuffled plan (other classes, other draws) does not land just below it
    aim = min(probability + 2.0 * np.sqrt(probability * (1.0 - probability) / runs), 1.0)
    previous: list[HiringClass] | None = None
    rounds = 0
    while True:
        rounds += 1
        solved = plan_hiring(target, groups, rules, transfers=transfers,
                             mip_rel_gap=mip_rel_gap, max_nodes=max_nodes,
                             time_limit_s=time_limit_s)
        classes = [HiringClass(*row) for row in solved.classes[
            ["group", "start_week", "size", "training_weeks", "graduation_share"]].itertuples(
                index=False)]
        sim = _runs(paths, checked, classes, transfers, n_weeks, runs, seed)
        if classes == previous or rounds >= max_rounds:
            break
        previous = classes
        raised = False
        expected = solved.weekly.set_index(["group", "week"])["available_fte"]
        for name, g in checked.items():
            r = sim[name]
            lack = np.quantile(r.required - r.available - g.overtime_limit[None, :], aim,
                               axis=0, method="inverted_cdf")
            # a week the solve left short of its target cannot be lifted by raising it more
            # (the class limits bind, or the penalty is cheaper than a class)
            met = solved.weekly.loc[solved.weekly["group"] == name, "short_fte"].to_numpy() \
                <= _MARGIN_FTE
            short = ((r.short <= COVER_TOL_FTE).mean(axis=0) < probability) & reach[name] & met
            # every reachable week keeps what it needs (covered weeks too: a later plan must
            # not take their margin away); short weeks get more
            lifted = expected.loc[name].to_numpy() + g.overtime_limit + lack + _MARGIN_FTE
            target[name] = np.where(reach[name], np.maximum(target[name], lifted),
                                    target[name])
            raised |= bool(short.any())
        if not raised:
            break
    classes, sim, added = _repair(paths, checked, classes, transfers, hiring, reach, n_weeks,
                                  runs, seed, probability, sim)
    risk = _table(paths, sim, n_weeks, runs, seed)
    plan = capacity_whatif(point, groups, classes, transfers=transfers, rules=rules)
    cover = risk.weekly["coverage_probability"].to_numpy()
    below = risk.weekly.loc[cover < probability, ["group", "week"]]
    plan.summary.update({
        **{k: solved.summary[k] for k in ("status", "mip_gap", "mip_rel_gap", "max_nodes",
                                          "mip_nodes", "dual_bound", "time_limit_s")},
        "runtime_s": _schedule._clock() - t0, "risk_probability": float(probability),
        "risk_rounds": rounds, "risk_repair_hires": added, "risk_n_runs": int(runs),
        "risk_seed": int(seed),
        "min_coverage_probability": risk.summary["min_coverage_probability"],
        "weeks_below_probability": {name: [int(w) for w in below.loc[below["group"] == name,
                                                                     "week"]]
                                    for name in checked}})
    return plan, risk


def _repair(paths: dict[str, np.ndarray], checked: dict[str, _Group],
            classes: list[HiringClass], transfers: Sequence[Transfer],
            hiring: dict[str, tuple[int, HiringRules]], reach: dict[str, np.ndarray],
            n_weeks: int, runs: int, seed: int, probability: float,
            sim: dict[str, _Runs]) -> tuple[list[HiringClass], dict[str, _Runs], int]:
    """Step 5 of :func:`plan_hiring_at_risk`: agents into the latest class that reaches the
    first week below the probability, as many as its lack asks for, then the runs again; the
    classes, their runs, the hires added."""
    sizes = {(c.group, int(c.start_week)): int(c.size) for c in classes}
    stuck: set[tuple[str, int]] = set()
    added = 0
    for _ in range(20 * n_weeks * len(checked)):
        below = [(int(w), name) for name, r in sim.items()
                 for w in np.flatnonzero(((r.short <= COVER_TOL_FTE).mean(axis=0)
                                          < probability) & reach[name])
                 if (name, int(w)) not in stuck]
        if not below:
            break
        week, name = min(below, key=lambda x: (x[0], list(checked).index(x[1])))
        rule, g, r = hiring[name][1], checked[name], sim[name]
        lack = float(np.quantile(r.required[:, week] - r.available[:, week],
                                 probability, method="inverted_cdf")) - g.overtime_limit[week]
        starts = sorted((s for s in _start_weeks(rule, n_weeks)
                         if s + rule.training_weeks <= week), reverse=True)
        # a graduate's expected FTE in that week, by start (attrition aside: the Monte Carlo
        # that follows checks)
        per_head = {s: g.spec.fte_per_head * rule.graduation_share * (1.0 - g.shrinkage[week])
                    * g.ramp[min(week - s - rule.training_weeks, len(g.ramp) - 1)]
                    for s in starts}
        room = sum((rule.max_class_size - sizes.get((name, s), 0)) * per_head[s]
                   for s in starts)
        if room < lack:  # even full classes would not reach the probability: hire nobody
            stuck.add((name, week))
            continue
        options = []
        for start in starts:
            size = sizes.get((name, start), 0)
            if size < rule.max_class_size:
                more = max(1, math.ceil(lack / per_head[start] - 1e-9)) \
                    if per_head[start] > 0 else 1
                new = min(max(size + more, rule.min_class_size), rule.max_class_size)
                # an agent's cost to the horizon's end (attrition aside): hire, training, wages
                unit = (g.spec.hire_cost + rule.training_weeks * g.spec.training_cost_per_week
                        + g.spec.wage_per_fte_week * g.spec.fte_per_head * (n_weeks - start))
                options.append(((new - size) * unit, -start, new, size))
        _, neg_start, new, size = min(options)
        sizes[(name, -neg_start)] = new
        added += new - size
        classes = [HiringClass(g, s, n, hiring[g][1].training_weeks,
                               hiring[g][1].graduation_share)
                   for (g, s), n in sorted(sizes.items())]
        sim = _runs(paths, checked, classes, transfers, n_weeks, runs, seed)
    return classes, sim, added
