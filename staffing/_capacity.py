"""The expected model of :mod:`staffing.capacity`: supply week by week, and the hiring MILP.

Private: the model is described in the docstring of :mod:`staffing.capacity` (and
``docs/capacity.md``), which re-exports the public names.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import LinearConstraint

from . import _schedule
from .errors import InvalidParameterError

#: Weeks in a year (365.25 days / 7), for annual attrition rates.
WEEKS_PER_YEAR = 365.25 / 7

#: Columns of :attr:`CapacityPlan.weekly`, in order.
WEEKLY_COLUMNS = ("group", "week", "headcount", "trainees", "hires", "graduates",
                  "training_dropouts", "leavers", "transfers_in", "transfers_out",
                  "fte_on_floor", "available_fte", "required_fte", "gap_fte", "overtime_fte",
                  "short_fte", "coverage", "wages", "hiring_cost", "training_cost",
                  "overtime_cost", "cost", "short_penalty")
#: Columns of :attr:`CapacityPlan.classes`, in order.
CLASS_COLUMNS = ("group", "start_week", "size", "training_weeks", "graduation_share",
                 "first_floor_week", "graduates")


@dataclass(frozen=True)
class AgentGroup:
    """One agent group (skill set): its supply, attrition, ramp-up and cost.

    Parameters
    ----------
    name : str
        The group's name (unique in a plan).
    starting_headcount : float or sequence of (int, float)
        Agents on the floor at the start of week 0, >= 0: one number (all tenured: past the ramp
        and the early attrition), or tenure bands ``((tenure_weeks, heads), ...)`` with the
        weeks each band has already spent on the floor.
    attrition_weekly : float
        Share of tenured agents who leave each week, in [0, 1). From an annual rate use
        :func:`weekly_attrition`.
    early_attrition_weekly : sequence of float, optional
        Weekly attrition in an agent's first weeks on the floor (entry ``k`` for week ``k``),
        each in [0, 1); ``attrition_weekly`` after. Default: none.
    ramp : sequence of float, optional
        Productivity (share of a tenured agent's) in the first weeks on the floor, each in
        (0, 1]; 1 after. Default: none (full from the first week).
    shrinkage : float or sequence of float, optional
        Share of paid time not productive, per week (one value or one per week), in [0, 1).
        Default 0.
    fte_per_head : float, optional
        Contracted FTE per agent (the full-time/part-time mix), in (0, 1]. Default 1.
    overtime_limit_fte : float or sequence of float, optional
        Most overtime per week, in productive FTE, >= 0 (one value or one per week). Default 0.
    wage_per_fte_week : float, optional
        Pay of one FTE for one week (currency), >= 0. Default 0.
    hire_cost : float, optional
        Cost per hire (currency), >= 0, booked in the class's start week. Default 0.
    training_cost_per_week : float, optional
        Cost per trainee per training week on top of the wage (currency), >= 0. Default 0.
    overtime_premium : float, optional
        Premium on the wage for overtime, >= 0 (0.5: time and a half). Default 0.5.
    short_penalty_per_fte_week : float, optional
        Penalty per productive FTE-week short after overtime (currency), above the cost of an
        FTE-week of overtime. Default 10,000.
    """

    name: str
    starting_headcount: float | Sequence[tuple[int, float]]
    attrition_weekly: float
    early_attrition_weekly: Sequence[float] = ()
    ramp: Sequence[float] = ()
    shrinkage: float | Sequence[float] = 0.0
    fte_per_head: float = 1.0
    overtime_limit_fte: float | Sequence[float] = 0.0
    wage_per_fte_week: float = 0.0
    hire_cost: float = 0.0
    training_cost_per_week: float = 0.0
    overtime_premium: float = 0.5
    short_penalty_per_fte_week: float = 10_000.0


@dataclass(frozen=True)
class HiringClass:
    """A hiring class: agents who start training together.

    Parameters
    ----------
    group : str
        The group they are hired into.
    start_week : int
        First training week, in [0, n_weeks).
    size : int
        Agents hired, >= 1.
    training_weeks : int
        Weeks of training before the floor, >= 0 and at most the horizon.
    graduation_share : float, optional
        Share of the class that graduates, in [0, 1]. Default 1.
    """

    group: str
    start_week: int
    size: int
    training_weeks: int
    graduation_share: float = 1.0


@dataclass(frozen=True)
class HiringRules:
    """What the hiring plan of one group may do: class sizes, training, lead time.

    Parameters
    ----------
    group : str
        The group these rules hire for.
    training_weeks : int
        Training length of every class, >= 0 and below the horizon.
    graduation_share : float, optional
        Share of a class that graduates, in [0, 1]. Default 1.
    min_class_size : int, optional
        Smallest class, >= 1. Default 1.
    max_class_size : int, optional
        Largest class, >= ``min_class_size``. Default 20.
    lead_time_weeks : int, optional
        First week a class may start (recruiting takes this long), >= 0. Default 0.
    allowed_start_weeks : sequence of int or None, optional
        Weeks in which a class may start (e.g. every fourth Monday); default every week from
        the lead time on. Weeks before the lead time, or whose graduates would not reach the
        floor inside the horizon, are not used.
    """

    group: str
    training_weeks: int
    graduation_share: float = 1.0
    min_class_size: int = 1
    max_class_size: int = 20
    lead_time_weeks: int = 0
    allowed_start_weeks: Sequence[int] | None = None


@dataclass(frozen=True)
class Transfer:
    """Tenured agents moved from one group to another at the end of a week.

    Parameters
    ----------
    week : int
        The week at whose end they move, in [0, n_weeks).
    from_group : str
        The group they leave.
    to_group : str
        The group they join (another group of the plan).
    headcount : float
        Agents moved, > 0.
    """

    week: int
    from_group: str
    to_group: str
    headcount: float


@dataclass(frozen=True)
class CapacityPlan:
    """The weekly supply of every group under a hiring plan, and what it costs.

    Attributes
    ----------
    weekly : pandas.DataFrame
        One row per group and week: ``group``, ``week``; the stock ``headcount`` (on the floor,
        start of week) and ``trainees``; the flows ``hires``, ``graduates``,
        ``training_dropouts``, ``leavers``, ``transfers_in``, ``transfers_out`` (agents,
        expected, fractional); ``fte_on_floor`` (contracted FTE), ``available_fte``
        (productive), ``required_fte``, ``gap_fte`` (required - available; < 0 is a surplus),
        ``overtime_fte``, ``short_fte`` (>= 0), ``coverage`` ((available + overtime) /
        required, capped at 1; 1 when nothing is required); the costs ``wages``,
        ``hiring_cost``, ``training_cost``, ``overtime_cost``, their sum ``cost``, and
        ``short_penalty`` (currency).
    classes : pandas.DataFrame
        One row per hiring class: ``group``, ``start_week``, ``size``, ``training_weeks``,
        ``graduation_share``, ``first_floor_week``, ``graduates`` (expected).
    summary : dict
        ``cost`` (the horizon's), ``wages``, ``hiring_cost``, ``training_cost``,
        ``overtime_cost``, ``short_penalty``, ``objective`` (cost + penalty), ``hires_total``,
        ``short_fte_weeks``, ``overtime_fte_weeks``, ``min_weekly_coverage``, ``n_weeks``;
        from :func:`plan_hiring` also ``status`` (``"optimal"``: within ``mip_rel_gap``;
        ``"gap_above_target"``: the node budget ended first; ``"time_limit"``: the wall-clock
        safety net cut the solve, so the plan depends on the machine), ``mip_gap``,
        ``mip_rel_gap``, ``max_nodes``, ``mip_nodes``, ``dual_bound``, ``time_limit_s``,
        ``runtime_s``.
    """

    weekly: pd.DataFrame
    classes: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def weekly_attrition(annual_rate: float) -> float:
    """The weekly attrition rate that compounds to an annual one.

    ``1 - (1 - annual_rate) ** (1 / 52.18)``, with 52.18 = 365.25 / 7 weeks per year.

    Parameters
    ----------
    annual_rate : float
        Share of agents who leave within a year, in [0, 1).

    Returns
    -------
    float
        Weekly rate, in [0, 1).

    Examples
    --------
    >>> round(weekly_attrition(0.3), 6)
    0.006812
    """
    _check_share("weekly_attrition()", "annual_rate", annual_rate, upper_open=True,
                 fix="Give the share who leave in a year, e.g. 0.3 for 30%.")
    return float(1.0 - (1.0 - annual_rate) ** (1.0 / WEEKS_PER_YEAR))


# ---------------------------------------------------------------- validation

def _bad(where: str, name: str, value: Any, rule: str, fix: str) -> InvalidParameterError:
    return InvalidParameterError(f"{where}: {name} {rule}, got {value!r}. {fix}")


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(x, bool) \
        and math.isfinite(float(x))


def _is_array_like(x: Any) -> bool:
    """A list, tuple, numpy array or pandas Series: one value per week."""
    return hasattr(x, "__len__") and not isinstance(x, str | bytes | Mapping)


def _check_share(where: str, name: str, value: Any, *, upper_open: bool, fix: str,
                 lower_open: bool = False) -> None:
    if not _is_number(value):
        raise _bad(where, name, value, "must be a finite number", fix)
    low_ok = value > 0 if lower_open else value >= 0
    high_ok = value < 1 if upper_open else value <= 1
    if not (low_ok and high_ok):
        rng = f"{'(' if lower_open else '['}0, 1{')' if upper_open else ']'}"
        raise _bad(where, name, value, f"must be a share in {rng}", fix)


def _check_int(where: str, name: str, value: Any, low: int, high: int | None, fix: str) -> int:
    if not isinstance(value, int | np.integer) or isinstance(value, bool):
        raise _bad(where, name, value, "must be a whole number", fix)
    if value < low or (high is not None and value > high):
        rule = f"must be in [{low}, {high}]" if high is not None else f"must be >= {low}"
        raise _bad(where, name, value, rule, fix)
    return int(value)


def _check_nonneg(where: str, name: str, value: Any, fix: str) -> float:
    if not _is_number(value) or value < 0:
        raise _bad(where, name, value, "must be a finite number >= 0", fix)
    return float(value)


def _per_week(where: str, name: str, value: Any, n_weeks: int, check, fix: str) -> np.ndarray:
    if _is_number(value):
        check(value)
        return np.full(n_weeks, float(value))
    arr = list(value) if _is_array_like(value) else None
    if arr is None or len(arr) != n_weeks:
        raise _bad(where, name, value if arr is None else f"{len(arr)} values",
                   f"must be one number or one per week ({n_weeks})", fix)
    for k, v in enumerate(arr):
        check(v, f"{name}[{k}]")
    return np.asarray(arr, float)


@dataclass(frozen=True)
class _Group:
    """A checked group: per-week arrays and the tenure curves."""

    spec: AgentGroup
    bands: tuple[tuple[int, float], ...]
    attrition: np.ndarray   # weekly rate by tenure week 0 .. n_weeks (the last is tenured)
    ramp: np.ndarray        # productivity by tenure week 0 .. n_weeks
    shrinkage: np.ndarray
    overtime_limit: np.ndarray
    overtime_cost: float


def _check_group(g: Any, where: str, n_weeks: int) -> _Group:
    if not isinstance(g, AgentGroup):
        raise InvalidParameterError(f"{where}: groups must hold AgentGroup objects, got "
                                    f"{type(g).__name__}.")
    w = f"{where}: group {g.name!r}"
    if _is_number(g.starting_headcount):
        bands: tuple[tuple[int, float], ...] = (
            (n_weeks + 10**6, _check_nonneg(w, "starting_headcount", g.starting_headcount,
                                            "Give the agents on the floor in week 0, e.g. 40.")),)
    else:
        try:
            raw = [(t, h) for t, h in g.starting_headcount]  # type: ignore[union-attr]
        except (TypeError, ValueError):
            raise _bad(w, "starting_headcount", g.starting_headcount,
                       "must be a number or tenure bands ((tenure_weeks, heads), ...)",
                       "E.g. 40, or ((0, 5), (52, 35)).") from None
        bands = tuple((_check_int(w, f"starting_headcount[{k}] tenure_weeks", t, 0, None,
                                  "Give the weeks this band has been on the floor."),
                       _check_nonneg(w, f"starting_headcount[{k}] heads", h,
                                     "Give the agents in this band, e.g. 5."))
                      for k, (t, h) in enumerate(raw))
    _check_share(w, "attrition_weekly", g.attrition_weekly, upper_open=True,
                 fix="Give the weekly share who leave, e.g. 0.005, or weekly_attrition(annual).")
    early = list(g.early_attrition_weekly)
    for k, v in enumerate(early):
        _check_share(w, f"early_attrition_weekly[{k}]", v, upper_open=True,
                     fix="Give each early week's leaving share, e.g. 0.02.")
    ramp = list(g.ramp)
    for k, v in enumerate(ramp):
        _check_share(w, f"ramp[{k}]", v, upper_open=False, lower_open=True,
                     fix="Give the productivity of week k on the floor as a share, e.g. 0.6.")
    longest = max(len(early), len(ramp)) + n_weeks + 2
    attrition = np.full(longest, float(g.attrition_weekly))
    attrition[:len(early)] = early
    prod = np.ones(longest)
    prod[:len(ramp)] = ramp

    def share_below_1(name: str, fix: str):
        def check(v, label=name):
            _check_share(w, label, v, upper_open=True, fix=fix)
        return check

    def nonneg(name: str, fix: str):
        def check(v, label=name):
            _check_nonneg(w, label, v, fix)
        return check

    shrink = _per_week(w, "shrinkage", g.shrinkage, n_weeks,
                       share_below_1("shrinkage", "Give the unproductive share, e.g. 0.3."),
                       "Give one share or one per week.")
    ot_fix = "Give the most overtime per week in FTE, e.g. 2, or 0 for none."
    limit = _per_week(w, "overtime_limit_fte", g.overtime_limit_fte, n_weeks,
                      nonneg("overtime_limit_fte", ot_fix), ot_fix)
    _check_share(w, "fte_per_head", g.fte_per_head, upper_open=False, lower_open=True,
                 fix="Give the contracted FTE per agent, e.g. 0.9 for a part-time mix.")
    for name in ("wage_per_fte_week", "hire_cost", "training_cost_per_week", "overtime_premium",
                 "short_penalty_per_fte_week"):
        _check_nonneg(w, name, getattr(g, name), "Give an amount >= 0 in the plan's currency.")
    overtime_cost = g.wage_per_fte_week * (1 + g.overtime_premium)
    if g.short_penalty_per_fte_week <= overtime_cost:
        raise _bad(w, "short_penalty_per_fte_week", g.short_penalty_per_fte_week,
                   f"must exceed the cost of an FTE-week of overtime ({overtime_cost:g})",
                   "Raise the penalty (or lower the premium): overtime is used before a gap is "
                   "left open.")
    return _Group(g, bands, attrition, prod, shrink, limit, float(overtime_cost))


def _check_inputs(where: str, required_fte: Mapping[str, Any], groups: Sequence[AgentGroup],
                  transfers: Sequence[Transfer]) -> tuple[int, dict[str, _Group], dict]:
    if not isinstance(required_fte, Mapping) or not required_fte:
        raise InvalidParameterError(f"{where}: required_fte must map each group's name to its "
                                    f"required productive FTE per week, got {required_fte!r}.")
    req = {}
    for name, values in required_fte.items():
        try:
            arr = np.asarray(values, float) if _is_array_like(values) else None
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.ndim != 1 or len(arr) == 0:
            raise _bad(where, f"required_fte[{name!r}]", values,
                       "must be a list of FTE, one per week", "E.g. [30.5, 31.0, ...].")
        bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
        if len(bad):
            raise _bad(where, f"required_fte[{name!r}][{bad[0]}]", float(arr[bad[0]]),
                       "must be a finite FTE >= 0",
                       "Fill the week's requirement; missing weeks are never read as zero.")
        req[name] = arr
    lengths = {len(a) for a in req.values()}
    if len(lengths) > 1:
        raise InvalidParameterError(f"{where}: required_fte has groups of different lengths "
                                    f"{sorted(lengths)}; give every group the same weeks.")
    n_weeks = lengths.pop()
    checked: dict[str, _Group] = {}
    for g in groups:
        cg = _check_group(g, where, n_weeks)
        if g.name in checked:
            raise _bad(where, "groups", g.name, "must have unique names", "Rename the group.")
        checked[g.name] = cg
    if set(checked) != set(req):
        raise InvalidParameterError(
            f"{where}: required_fte names the groups {sorted(req)} but groups are "
            f"{sorted(checked)}. Give one AgentGroup per requirement, with the same names.")
    for k, tr in enumerate(transfers):
        w = f"transfers[{k}]"
        if not isinstance(tr, Transfer):
            raise _bad(where, w, tr, "must be a Transfer", "Build it with Transfer(...).")
        _check_int(where, f"{w}.week", tr.week, 0, n_weeks - 1, "Move agents inside the horizon.")
        for side in ("from_group", "to_group"):
            if getattr(tr, side) not in checked:
                raise _bad(where, f"{w}.{side}", getattr(tr, side), f"must be one of "
                           f"{sorted(checked)}", "Name a group of the plan.")
        if tr.from_group == tr.to_group:
            raise _bad(where, f"{w}.to_group", tr.to_group, "must differ from from_group",
                       "Drop the transfer or name another group.")
        if not _is_number(tr.headcount) or tr.headcount <= 0:
            raise _bad(where, f"{w}.headcount", tr.headcount, "must be > 0",
                       "Give the agents moved, e.g. 3.")
    return n_weeks, checked, req


# ---------------------------------------------------------------- dynamics

_FLOWS = ("headcount", "trainees", "hires", "graduates", "training_dropouts", "leavers",
          "transfers_in", "transfers_out", "fte_on_floor", "available_fte")


def _cohort(g: _Group, n_weeks: int, entry_week: int, tenure0: int, heads: float,
            out: dict[str, np.ndarray]) -> None:
    """Add a cohort of ``heads`` agents on the floor from ``entry_week`` with ``tenure0``."""
    if entry_week >= n_weeks:
        return
    weeks = np.arange(entry_week, n_weeks)
    tenure = np.minimum(tenure0 + weeks - entry_week, len(g.attrition) - 1)
    rate = g.attrition[tenure]
    alive = heads * np.concatenate(([1.0], np.cumprod(1.0 - rate[:-1])))
    out["headcount"][weeks] += alive
    out["leavers"][weeks] += alive * rate
    fte = alive * g.spec.fte_per_head
    out["fte_on_floor"][weeks] += fte
    out["available_fte"][weeks] += fte * g.ramp[tenure] * (1.0 - g.shrinkage[weeks])


def _zeros(n_weeks: int) -> dict[str, np.ndarray]:
    return {k: np.zeros(n_weeks) for k in _FLOWS}


def _class_flows(g: _Group, n_weeks: int, start: int, size: float, training_weeks: int,
                 graduation_share: float, out: dict[str, np.ndarray]) -> None:
    """Add one hiring class (its trainees, then its graduates as a cohort)."""
    out["hires"][start] += size
    end = min(start + training_weeks, n_weeks)
    out["trainees"][start:end] += size
    last = start + training_weeks - 1
    if last < n_weeks:  # with no training, last = start - 1: they join at the week's start
        out["graduates"][last] += size * graduation_share
        out["training_dropouts"][last] += size * (1 - graduation_share)
        _cohort(g, n_weeks, last + 1, 0, size * graduation_share, out)


def _base_flows(n_weeks: int, groups: dict[str, _Group],
                transfers: Sequence[Transfer]) -> dict[str, dict[str, np.ndarray]]:
    """Flows of every group without any hiring class: the starting bands and the transfers."""
    flows = {name: _zeros(n_weeks) for name in groups}
    for name, g in groups.items():
        for tenure, heads in g.bands:
            _cohort(g, n_weeks, 0, tenure, heads, flows[name])
    tenured = n_weeks + 10**6
    for tr in transfers:
        h = float(tr.headcount)
        flows[tr.from_group]["transfers_out"][tr.week] += h
        flows[tr.to_group]["transfers_in"][tr.week] += h
        _cohort(groups[tr.from_group], n_weeks, tr.week + 1, tenured, -h, flows[tr.from_group])
        _cohort(groups[tr.to_group], n_weeks, tr.week + 1, tenured, h, flows[tr.to_group])
    return flows


def _costs(g: _Group, f: dict[str, np.ndarray], overtime: np.ndarray,
           short: np.ndarray) -> dict[str, np.ndarray]:
    s = g.spec
    wages = s.wage_per_fte_week * s.fte_per_head * (f["headcount"] + f["trainees"])
    return {"wages": wages, "hiring_cost": s.hire_cost * f["hires"],
            "training_cost": s.training_cost_per_week * f["trainees"],
            "overtime_cost": g.overtime_cost * overtime,
            "short_penalty": s.short_penalty_per_fte_week * short}


def _tables(where: str, n_weeks: int, groups: dict[str, _Group], req: dict[str, np.ndarray],
            flows: dict[str, dict[str, np.ndarray]], classes: list[tuple]) -> CapacityPlan:
    frames = []
    for name, g in groups.items():
        f = flows[name]
        if (f["headcount"] < -1e-6).any():
            t = int(np.flatnonzero(f["headcount"] < -1e-6)[0])
            raise InvalidParameterError(
                f"{where}: transfers: group {name!r} would have {f['headcount'][t]:.2f} "
                f"agents in week {t}: more agents are moved out than it has. Move fewer, or "
                "later.")
        gap = req[name] - f["available_fte"]
        overtime = np.clip(gap, 0.0, g.overtime_limit)
        short = np.maximum(gap - overtime, 0.0)
        costs = _costs(g, f, overtime, short)
        cover = np.where(req[name] > 0,
                         np.minimum((f["available_fte"] + overtime) / np.where(
                             req[name] > 0, req[name], 1.0), 1.0), 1.0)
        cost = (costs["wages"] + costs["hiring_cost"] + costs["training_cost"]
                + costs["overtime_cost"])
        frames.append(pd.DataFrame({
            "group": name, "week": np.arange(n_weeks), **{k: f[k] for k in _FLOWS},
            "required_fte": req[name], "gap_fte": gap, "overtime_fte": overtime,
            "short_fte": short, "coverage": cover, **{k: costs[k] for k in costs},
            "cost": cost}))
    weekly = pd.concat(frames, ignore_index=True)[list(WEEKLY_COLUMNS)]
    table = pd.DataFrame(classes, columns=["group", "start_week", "size", "training_weeks",
                                           "graduation_share"])
    table = table.sort_values(["group", "start_week"], kind="stable").reset_index(drop=True)
    table["first_floor_week"] = table["start_week"] + table["training_weeks"]
    table["graduates"] = table["size"] * table["graduation_share"]
    table = table.astype({"start_week": "int64", "size": "int64", "training_weeks": "int64",
                          "first_floor_week": "int64", "graduation_share": "float64",
                          "graduates": "float64"})
    sums = {k: float(weekly[k].sum()) for k in ("cost", "wages", "hiring_cost", "training_cost",
                                               "overtime_cost", "short_penalty")}
    summary = {**sums, "objective": sums["cost"] + sums["short_penalty"],
               "hires_total": int(table["size"].sum()),
               "short_fte_weeks": float(weekly["short_fte"].sum()),
               "overtime_fte_weeks": float(weekly["overtime_fte"].sum()),
               "min_weekly_coverage": float(weekly["coverage"].min()), "n_weeks": n_weeks}
    return CapacityPlan(weekly, table[list(CLASS_COLUMNS)], summary)


def capacity_whatif(required_fte: Mapping[str, Sequence[float]], groups: Sequence[AgentGroup],
                    classes: Sequence[HiringClass] = (), *, transfers: Sequence[Transfer] = (),
                    rules: Sequence[HiringRules] = ()) -> CapacityPlan:
    """Weekly headcount, flows, available FTE, gap, overtime and cost under a given hiring plan.

    The model (expected values, stock and flow exact) is in the module docstring and
    ``docs/capacity.md``.

    Parameters
    ----------
    required_fte : mapping of str to sequence of float
        Per group, the productive FTE required in each week (>= 0; every group the same number
        of weeks, which sets the horizon).
    groups : sequence of AgentGroup
        One per group of ``required_fte``.
    classes : sequence of HiringClass, optional
        The hiring classes. Default none.
    transfers : sequence of Transfer, optional
        Agents moved between groups. Default none.
    rules : sequence of HiringRules, optional
        At most one per group; when given, each class of that group must keep them (size
        within the class limits, start from the lead time on and in the allowed weeks, the
        rules' training length and graduation share). Default none.

    Returns
    -------
    CapacityPlan
        The weekly table, the classes and the summary.

    Raises
    ------
    InvalidParameterError
        An input is out of range; the message names the field, the value and the fix.

    Examples
    --------
    >>> team = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.1,
    ...                   wage_per_fte_week=1000)
    >>> plan = capacity_whatif({"voice": [9, 9, 9]}, [team],
    ...                        [HiringClass("voice", start_week=0, size=2, training_weeks=1)])
    >>> plan.weekly["headcount"].round(2).tolist()
    [10.0, 11.0, 9.9]
    >>> plan.weekly["overtime_fte"].round(2).tolist(), plan.weekly["short_fte"].round(2).tolist()
    ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0])
    """
    where = "capacity_whatif()"
    n_weeks, checked, req = _check_inputs(where, required_fte, groups, transfers)
    hiring = _check_rules(where, rules, checked, n_weeks)
    flows = _base_flows(n_weeks, checked, transfers)
    rows = []
    for c in _checked_classes(where, classes, checked, hiring, n_weeks):
        _class_flows(checked[c.group], n_weeks, c.start_week, c.size, c.training_weeks,
                     c.graduation_share, flows[c.group])
        rows.append((c.group, c.start_week, c.size, c.training_weeks,
                     float(c.graduation_share)))
    return _tables(where, n_weeks, checked, req, flows, rows)


def _checked_classes(where: str, classes: Sequence[HiringClass], checked: dict[str, _Group],
                     hiring: dict[str, tuple[int, HiringRules]],
                     n_weeks: int) -> list[HiringClass]:
    """Check the given hiring classes (and against their group's rules); return them."""
    out = []
    for k, c in enumerate(classes):
        w = f"classes[{k}]"
        if not isinstance(c, HiringClass):
            raise _bad(where, w, c, "must be a HiringClass", "Build it with HiringClass(...).")
        if c.group not in checked:
            raise _bad(where, f"{w}.group", c.group, f"must be one of {sorted(checked)}",
                       "Name a group of the plan.")
        start = _check_int(where, f"{w}.start_week", c.start_week, 0, n_weeks - 1,
                           f"Start the class inside the {n_weeks}-week horizon.")
        _check_int(where, f"{w}.size", c.size, 1, None, "Hire at least one agent.")
        weeks = _check_int(where, f"{w}.training_weeks", c.training_weeks, 0, n_weeks,
                           f"Training cannot be longer than the horizon ({n_weeks} weeks); "
                           "shorten it or plan a longer horizon.")
        if weeks == 0 and start == 0:
            raise _bad(where, f"{w}.start_week", start, "must be >= 1 for a class without "
                       "training (its agents would join the floor before the horizon starts)",
                       "Count them in starting_headcount as a band with tenure 0.")
        _check_share(where, f"{w}.graduation_share", c.graduation_share, upper_open=False,
                     fix="Give the share who graduate, e.g. 0.85.")
        if c.group in hiring:
            _keeps_rules(where, w, c, *hiring[c.group])
        out.append(c)
    return out


# ---------------------------------------------------------------- the hiring plan

def _keeps_rules(where: str, w: str, c: HiringClass, k: int, r: HiringRules) -> None:
    """A given class against its group's rules (``rules[k]``)."""
    rw = f"rules[{k}]"
    if c.size > r.max_class_size:
        raise _bad(where, f"{w}.size", c.size, f"must be at most {rw}.max_class_size "
                   f"({r.max_class_size})", "Split the class in two, or raise max_class_size.")
    if c.size < r.min_class_size:
        raise _bad(where, f"{w}.size", c.size, f"must be at least {rw}.min_class_size "
                   f"({r.min_class_size})", "Hire more, merge it with another class, or lower "
                   "min_class_size.")
    if c.start_week < r.lead_time_weeks:
        raise _bad(where, f"{w}.start_week", c.start_week, f"must be >= {rw}.lead_time_weeks "
                   f"({r.lead_time_weeks})", "Start the class later, or shorten the lead time.")
    if r.allowed_start_weeks is not None and c.start_week not in set(r.allowed_start_weeks):
        raise _bad(where, f"{w}.start_week", c.start_week, f"must be one of {rw}."
                   f"allowed_start_weeks {sorted(r.allowed_start_weeks)}",
                   "Move the class to an allowed week, or allow this one.")
    for name in ("training_weeks", "graduation_share"):
        if getattr(c, name) != getattr(r, name):
            raise _bad(where, f"{w}.{name}", getattr(c, name), f"must equal {rw}.{name} "
                       f"({getattr(r, name)})", "Give the class its group's rules, or change them.")

def _check_rules(where: str, rules: Sequence[HiringRules], groups: dict[str, _Group],
                 n_weeks: int) -> dict[str, tuple[int, HiringRules]]:
    """Check the rules; per group, the position of its rules and the rules."""
    out = {}
    for k, r in enumerate(rules):
        w = f"rules[{k}]"
        if not isinstance(r, HiringRules):
            raise _bad(where, w, r, "must be a HiringRules", "Build it with HiringRules(...).")
        if r.group not in groups:
            raise _bad(where, f"{w}.group", r.group, f"must be one of {sorted(groups)}",
                       "Name a group of the plan.")
        if r.group in out:
            raise _bad(where, f"{w}.group", r.group, "has rules twice", "Merge them into one.")
        _check_int(where, f"{w}.training_weeks", r.training_weeks, 0, n_weeks - 1,
                   f"Training must end inside the {n_weeks}-week horizon; shorten it or plan "
                   "a longer horizon.")
        _check_share(where, f"{w}.graduation_share", r.graduation_share, upper_open=False,
                     fix="Give the share who graduate, e.g. 0.85.")
        lo = _check_int(where, f"{w}.min_class_size", r.min_class_size, 1, None,
                        "The smallest class has at least one agent.")
        _check_int(where, f"{w}.max_class_size", r.max_class_size, lo, None,
                   f"Raise max_class_size to at least min_class_size ({lo}).")
        _check_int(where, f"{w}.lead_time_weeks", r.lead_time_weeks, 0, n_weeks - 1,
                   "The lead time must leave weeks to start a class in.")
        if r.allowed_start_weeks is not None:
            for j, s in enumerate(r.allowed_start_weeks):
                _check_int(where, f"{w}.allowed_start_weeks[{j}]", s, 0, n_weeks - 1,
                           "Name weeks inside the horizon.")
        out[r.group] = (k, r)
    return out


def _start_weeks(r: HiringRules, n_weeks: int) -> list[int]:
    """Weeks a planned class may start: allowed, from the lead time on, and with graduates
    reaching the floor inside the horizon (and not before it starts)."""
    weeks = range(n_weeks) if r.allowed_start_weeks is None else sorted(set(
        r.allowed_start_weeks))
    return [s for s in weeks
            if s >= r.lead_time_weeks and 1 <= s + r.training_weeks < n_weeks]


def _unit_class(g: _Group, n_weeks: int, start: int, r: HiringRules) -> dict[str, np.ndarray]:
    f = _zeros(n_weeks)
    _class_flows(g, n_weeks, start, 1.0, r.training_weeks, r.graduation_share, f)
    return f


def plan_hiring(required_fte: Mapping[str, Sequence[float]], groups: Sequence[AgentGroup],
                rules: Sequence[HiringRules], *, transfers: Sequence[Transfer] = (),
                mip_rel_gap: float = 0.001, max_nodes: int = 20_000,
                time_limit_s: float = 120.0) -> CapacityPlan:
    """The hiring classes and overtime that meet the requirement at least total cost.

    A mixed-integer programme: per group and allowed start week an integer class size
    ``n_s`` in ``{0} U [min_class_size, max_class_size]`` (a binary opens the class), per week
    overtime ``o_t`` in ``[0, overtime_limit_fte]`` and a shortfall ``u_t >= 0`` with
    ``available_t(n) + o_t + u_t >= required_t`` and ``headcount_t(n) >= 0``; the cost
    (wages, hiring, training, overtime) plus ``short_penalty_per_fte_week x u_t`` is minimised.
    ``available_t`` and the costs are linear in ``n`` under the model of
    :func:`capacity_whatif`, which prices the plan found. Solved by HiGHS (``highspy``, one
    thread, seed 0), stopped by ``mip_rel_gap`` or ``max_nodes``, never by wall time: the same
    inputs give the same plan on any machine. ``time_limit_s`` is only a safety net; if it
    fires, the status is ``"time_limit"`` and a ``RuntimeWarning`` says so. Groups without
    rules hire nobody.

    Parameters
    ----------
    required_fte : mapping of str to sequence of float
        Per group, the productive FTE required in each week (>= 0, same length for all).
    groups : sequence of AgentGroup
        One per group of ``required_fte``.
    rules : sequence of HiringRules
        At most one per group: when and how it may hire.
    transfers : sequence of Transfer, optional
        Agents moved between groups (fixed, not planned). Default none.
    mip_rel_gap : float, optional
        Relative gap at which the solve stops, in [0, 1). Default 0.001.
    max_nodes : int, optional
        Branch-and-bound node budget, >= 1. Default 20,000.
    time_limit_s : float, optional
        Wall-clock safety net, seconds, > 0. Default 120.

    Returns
    -------
    CapacityPlan
        Priced by :func:`capacity_whatif`, with the solver's ``status``, ``mip_gap`` and
        ``dual_bound`` in the summary.

    Raises
    ------
    InvalidParameterError
        An input is out of range; the message names the field, the value and the fix.

    Examples
    --------
    >>> team = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.0,
    ...                   wage_per_fte_week=1000, hire_cost=500)
    >>> plan = plan_hiring({"voice": [10, 10, 12, 12]}, [team],
    ...                    [HiringRules("voice", training_weeks=1, max_class_size=5)])
    >>> plan.classes[["start_week", "size"]].values.tolist(), plan.summary["short_fte_weeks"]
    ([[1, 2]], 0.0)
    """
    where = "plan_hiring()"
    t0 = _schedule._clock()
    _check_share(where, "mip_rel_gap", mip_rel_gap, upper_open=True, fix="E.g. 0.001.")
    _check_int(where, "max_nodes", max_nodes, 1, None, "E.g. 20000.")
    if not _is_number(time_limit_s) or time_limit_s <= 0:
        raise _bad(where, "time_limit_s", time_limit_s, "must be > 0 seconds", "E.g. 120.")
    n_weeks, checked, req = _check_inputs(where, required_fte, groups, transfers)
    hiring = _check_rules(where, rules, checked, n_weeks)
    base = _base_flows(n_weeks, checked, transfers)
    zero = np.zeros(n_weeks)
    # the cost of the staff already there (a constant of the objective, for the bound)
    base_cost = sum(float(v.sum()) for name, g in checked.items()
                    for v in _costs(g, base[name], zero, zero).values())

    # Columns: per group [n_s..., y_s..., o_t..., u_t...].
    cost: list[float] = []
    integ: list[int] = []
    upper: list[float] = []
    rows, lbs = [], []
    col = 0
    layout = []
    for name, g in checked.items():
        r = hiring[name][1] if name in hiring else None
        starts = _start_weeks(r, n_weeks) if r else []
        units = [_unit_class(g, n_weeks, s, r) for s in starts] if r else []
        ns = len(starts)
        unit_cost = [sum(float(v.sum()) for v in _costs(g, u, zero, zero).values())
                     for u in units]
        cost += unit_cost + [0.0] * ns + [g.overtime_cost] * n_weeks \
            + [g.spec.short_penalty_per_fte_week] * n_weeks
        integ += [1] * (2 * ns) + [0] * (2 * n_weeks)
        hi = r.max_class_size if r else 0
        upper += [hi] * ns + [1] * ns + list(g.overtime_limit) + [np.inf] * n_weeks
        avail = np.array([u["available_fte"] for u in units]).reshape(ns, n_weeks).T
        heads = np.array([u["headcount"] for u in units]).reshape(ns, n_weeks).T
        eye = sp.identity(n_weeks, format="csr")
        zt = sp.csr_matrix((n_weeks, ns))
        zw = sp.csr_matrix((n_weeks, n_weeks))
        # cover: avail(n) + o + u >= required - base available
        rows.append((col, sp.hstack([sp.csr_matrix(avail), zt, eye, eye])))
        lbs.append((req[name] - base[name]["available_fte"], np.full(n_weeks, np.inf)))
        # stock: heads(n) >= -base headcount
        rows.append((col, sp.hstack([sp.csr_matrix(heads), zt, zw, zw])))
        lbs.append((-base[name]["headcount"], np.full(n_weeks, np.inf)))
        if ns:
            en = sp.identity(ns, format="csr")
            lo = r.min_class_size if r else 0
            # n - max*y <= 0 and n - min*y >= 0
            zn = sp.csr_matrix((ns, 2 * n_weeks))
            rows.append((col, sp.hstack([en, -hi * en, zn])))
            lbs.append((np.full(ns, -np.inf), np.zeros(ns)))
            rows.append((col, sp.hstack([en, -lo * en, zn])))
            lbs.append((np.zeros(ns), np.full(ns, np.inf)))
        layout.append((name, col, starts, r.training_weeks if r else 0,
                       r.graduation_share if r else 1.0))
        col += 2 * ns + 2 * n_weeks
    a = sp.vstack([sp.hstack([sp.csr_matrix((m.shape[0], c0)), m,
                              sp.csr_matrix((m.shape[0], col - c0 - m.shape[1]))])
                   for c0, m in rows], format="csr")
    lb = np.concatenate([x[0] for x in lbs])
    ub = np.concatenate([x[1] for x in lbs])
    res = _schedule._highs(np.asarray(cost, float), np.asarray(integ, bool),
                           np.asarray(upper, float), LinearConstraint(a, lb, ub),
                           gap=mip_rel_gap, deadline=t0 + time_limit_s, max_nodes=max_nodes)
    if res.x is None and res.status == "time_limit":
        raise InvalidParameterError(
            f"{where}: the wall-clock safety net (time_limit_s={time_limit_s:g} s) stopped the "
            "solve before it found any hiring plan. Raise time_limit_s.")
    if res.x is None and res.status != "infeasible":
        raise InvalidParameterError(
            f"{where}: the node budget (max_nodes={max_nodes}) ended before any hiring plan "
            f"was found ({res.message}). Raise max_nodes.")
    if res.x is None:
        raise InvalidParameterError(
            f"{where}: no hiring plan keeps every group's headcount >= 0 ({res.message}): the "
            "transfers move more agents out than the group has and can hire. Move fewer "
            "agents, later, or allow earlier classes.")
    x = np.round(res.x)
    classes = []
    for name, c0, starts, training_weeks, graduation_share in layout:
        for j, s in enumerate(starts):
            if x[c0 + j] > 0:
                classes.append(HiringClass(name, s, int(x[c0 + j]), training_weeks,
                                           graduation_share))
    plan = capacity_whatif(required_fte, groups, classes, transfers=transfers, rules=rules)
    objective = plan.summary["objective"]
    # with no class to choose (no rules, or no allowed week) HiGHS solves an LP: its optimum
    # is the bound (HiGHS reports no MIP dual bound then)
    solver_bound = res.fun if not any(integ) and res.status == "optimal" else res.bound
    bound = None if solver_bound is None else solver_bound + base_cost
    gap = (max(objective - bound, 0.0) / max(abs(objective), 1e-9)
           if bound is not None else None)
    if res.status == "time_limit":
        status = "time_limit"
        warnings.warn(f"{where}: the wall-clock safety net ({time_limit_s:g} s) cut the solve; "
                      "this plan depends on the machine's speed. Raise time_limit_s, or lower "
                      "max_nodes so the node budget ends the solve first.", RuntimeWarning,
                      stacklevel=2)
    elif gap is not None and gap <= mip_rel_gap + 1e-9:
        status = "optimal"
    else:
        status = "gap_above_target"
    plan.summary.update({"status": status, "mip_gap": gap, "mip_rel_gap": float(mip_rel_gap),
                         "max_nodes": int(max_nodes), "mip_nodes": res.nodes,
                         "dual_bound": bound, "time_limit_s": float(time_limit_s),
                         "runtime_s": _schedule._clock() - t0})
    return plan
