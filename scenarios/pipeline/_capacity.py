"""The long-range capacity plan of a scenario: weekly FTE, hiring, attrition, the year's cost.

:func:`run_capacity` runs a scenario's ``capacity:`` block (docs/capacity.md "From the
scenario file"):

1. weekly demand per channel (:mod:`._capacity_demand`);
2. the required productive FTE per week from the representative week, sized on a volume grid
   (:mod:`._capacity_sizing`), summed over each group's channels;
3. supply (:mod:`staffing.capacity`): one ``AgentGroup`` per group, the shrinkage plan per
   week, the part-time mix as FTE per head, the wage per FTE-week from the scenario's pay;
   the given classes priced by ``capacity_whatif`` or the classes planned by
   ``plan_hiring``;
4. with ``risk:``, the forecast's sample paths sized into requirement paths and the Monte
   Carlo runs (``capacity_risk``; ``plan_hiring_at_risk`` when planning, and the insurance
   cost against the point plan);
5. the expected service level per week and channel at the agents available;
6. finance by month and the annual cost (:mod:`._capacity_finance`); the plan's laws
   (:func:`check_capacity`).

The tables are described in :mod:`scenarios.pipeline.contracts` ("Capacity tables").
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from staffing.capacity import (
    AgentGroup,
    CapacityPlan,
    CapacityRisk,
    HiringClass,
    HiringRules,
    Transfer,
    capacity_risk,
    capacity_whatif,
    plan_hiring,
    plan_hiring_at_risk,
    shrinkage_plan,
    weekly_attrition,
)
from staffing.shifts import interval_pay

from .._errors import ScenarioError
from ..files import CapacitySpec, Scenario
from ._capacity_demand import weekly_demand
from ._capacity_finance import annual_cost, monthly_table
from ._capacity_result import CapacityResult
from ._capacity_sizing import GRID_STEP, WeekSizer, representative_scenario
from ._result import ResultInvariantError, ScenarioResult, names_the_file
from ._summary import jsonable
from .contracts import CAPACITY_COLUMNS

Progress = Callable[[str], None]


def _wage_per_fte_week(scn: Scenario, sizer: WeekSizer, channels: tuple[str, ...],
                       hours: float) -> float:
    """Base rate x hours x (1 + the night and weekend premiums' share of the representative
    week's required agent-hours) + overhead x hours."""
    rates = sizer.scn.rates
    base = float(rates.hourly_rates["agent"])
    starts, agents = sizer.week_agents(channels)
    pay = interval_pay(starts, sizer.scn.interval_s, base, rates)
    paid = float(np.sum(agents * pay["wages"]))
    extra = float(np.sum(agents * (pay["night_premium"] + pay["weekend_premium"])))
    share = extra / paid if paid > 0 else 0.0
    return base * hours * (1.0 + share) + float(rates.overhead_per_paid_hour) * hours


def _shrinkage(spec: CapacitySpec, weeks: pd.DatetimeIndex) -> np.ndarray:
    """Shrinkage per week (0-1): ``staffing.capacity.shrinkage_plan``'s total."""
    plan = shrinkage_plan(weeks, spec.shrinkage, hours_per_fte_week=spec.hours_per_fte_week,
                          holidays=spec.holidays)
    return plan["total"].to_numpy(dtype=float)


def _groups(scn: Scenario, spec: CapacitySpec, sizer: WeekSizer, shrinkage: np.ndarray,
            overtime: dict[str, np.ndarray]) -> list[AgentGroup]:
    out = []
    for g in spec.groups:
        wage = _wage_per_fte_week(scn, sizer, g.channels, spec.hours_per_fte_week)
        overtime_week = wage * (1.0 + g.overtime_premium)
        if not spec.short_penalty > overtime_week:
            raise ScenarioError(
                f"capacity.short_penalty must exceed the cost of an FTE-week of overtime in "
                f"group {g.name!r} ({wage:,.2f} a week x (1 + {g.overtime_premium:g}) = "
                f"{overtime_week:,.2f}), got {spec.short_penalty:g}: else the plan would "
                "rather leave a week short than pay overtime. Raise it, e.g. short_penalty: "
                f"{10 ** math.ceil(math.log10(overtime_week * 2)):.0f}.")
        out.append(AgentGroup(
            g.name, starting_headcount=g.headcount,
            attrition_weekly=weekly_attrition(g.attrition_annual),
            early_attrition_weekly=g.early_attrition_weekly, ramp=g.ramp,
            shrinkage=shrinkage.tolist(), fte_per_head=g.fte_per_head,
            overtime_limit_fte=overtime[g.name].tolist(),
            wage_per_fte_week=wage,
            hire_cost=g.hiring.cost_per_hire if g.hiring else 0.0,
            training_cost_per_week=g.hiring.training_cost_per_week if g.hiring else 0.0,
            overtime_premium=g.overtime_premium,
            short_penalty_per_fte_week=spec.short_penalty))
    return out


def _rules(spec: CapacitySpec) -> list[HiringRules]:
    return [HiringRules(g.name, training_weeks=g.hiring.training_weeks,
                        graduation_share=g.hiring.graduation_share,
                        min_class_size=g.hiring.min_class_size,
                        max_class_size=g.hiring.max_class_size,
                        lead_time_weeks=g.hiring.lead_time_weeks,
                        allowed_start_weeks=list(range(g.hiring.lead_time_weeks, spec.n_weeks,
                                                       g.hiring.every_weeks)))
            for g in spec.groups if g.hiring is not None]


def _classes(spec: CapacitySpec) -> list[HiringClass]:
    return [HiringClass(g.name, start_week=week, size=size,
                        training_weeks=g.hiring.training_weeks,
                        graduation_share=g.hiring.graduation_share)
            for g in spec.groups if g.hiring is not None for week, size in g.classes]


@dataclass(frozen=True)
class _Supply:
    """The plan, its Monte Carlo risk (``None`` without ``risk:``) and the insurance cost
    (the plan at the probability's cost - the point plan's; NaN unless both exist)."""

    plan: CapacityPlan
    risk: CapacityRisk | None
    insurance_cost: float


def _supply(scn: Scenario, spec: CapacitySpec, sizer: WeekSizer, required: dict[str, Any],
            shrinkage: np.ndarray, paths: dict[str, np.ndarray] | None) -> _Supply:
    """The given plan priced, or the plan found; with ``risk:`` its Monte Carlo runs.

    The overtime limit is a share of the group's contracted FTE on the floor, in productive
    FTE: for a given plan that week's own (the floor does not depend on overtime, so a first
    pass without overtime gives it exactly); for a planned one the staff already there
    (without the new classes, which the limit cannot depend on in a linear programme). With
    ``risk:`` and ``plan: optimise`` the plan is ``plan_hiring_at_risk``'s at the probability
    and ``insurance_cost`` its cost over the point plan's (``plan_hiring``).
    """
    transfers = [Transfer(w, a, b, h) for w, a, b, h in spec.transfers]
    rules = _rules(spec)
    classes = _classes(spec) if spec.plan == "given" else []
    zero = {g.name: np.zeros(spec.n_weeks) for g in spec.groups}
    first = capacity_whatif(required, _groups(scn, spec, sizer, shrinkage, zero), classes,
                            transfers=transfers, rules=rules)
    floor = first.weekly.set_index(["group", "week"])["fte_on_floor"]
    limits = {g.name: g.overtime_limit_share * floor.loc[g.name].to_numpy(dtype=float)
              * (1.0 - shrinkage) for g in spec.groups}
    groups = _groups(scn, spec, sizer, shrinkage, limits)
    if spec.plan == "given":
        plan = capacity_whatif(required, groups, classes, transfers=transfers, rules=rules)
        risk = (None if paths is None else capacity_risk(
            paths, groups, classes, transfers=transfers, rules=rules, n_runs=spec.risk_runs,
            seed=scn.seed))
        return _Supply(plan, risk, float("nan"))
    point = plan_hiring(required, groups, rules, transfers=transfers,
                        mip_rel_gap=spec.mip_gap, max_nodes=spec.max_nodes)
    if paths is None:
        return _Supply(point, None, float("nan"))
    assert spec.risk_probability is not None
    plan, risk = plan_hiring_at_risk(paths, groups, rules, probability=spec.risk_probability,
                                     required_fte=required, transfers=transfers,
                                     n_runs=spec.risk_runs, seed=scn.seed,
                                     mip_rel_gap=spec.mip_gap, max_nodes=spec.max_nodes)
    return _Supply(plan, risk, float(plan.summary["cost"] - point.summary["cost"]))


def _requirement_paths(sizer: WeekSizer, spec: CapacitySpec, table: pd.DataFrame,
                       paths: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Required productive FTE per group, run and week, from the demand's sample paths (a
    channel without paths repeats its point in every run), sized on the grid (1% when the
    weeks are sized directly: the runs hold thousands of distinct volumes)."""
    out: dict[str, np.ndarray] = {}
    for g in spec.groups:
        total = np.zeros((spec.risk_runs, spec.n_weeks))
        for c in g.channels:
            rows = table[table["channel"] == c].sort_values("week")
            aht = rows["aht_s"].to_numpy(dtype=float)[None, :]
            total = total + sizer.required_fte(c, paths[c], aht,
                                               grid_step=sizer.grid_step or GRID_STEP)
        out[g.name] = total
    return out


@names_the_file
def run_capacity(scenario: Scenario, *, progress: Progress | None = None,
                 grid_step: float = GRID_STEP) -> CapacityResult:
    """Run a scenario's long-range capacity plan (its ``capacity:`` block).

    Parameters
    ----------
    scenario : Scenario
        A scenario whose file has a ``capacity:`` block.
    progress : callable, optional
        Called with the name of each step as it starts.
    grid_step : float, optional
        Relative step of the volume grid the representative week is sized on (default
        0.01); 0 sizes every week directly (the benchmark compares the two). The risk runs'
        sample paths are sized on a grid either way (1% when 0).

    Returns
    -------
    CapacityResult
        The weekly, channels, monthly and classes tables and the summary, checked by
        :func:`check_capacity`.

    Raises
    ------
    ScenarioError
        The scenario has no ``capacity:`` block, or a step fails; the message names the
        file, the scenario and the fix.
    """
    step = progress or (lambda _name: None)
    spec = scenario.capacity
    if spec is None:
        raise ScenarioError(f"{scenario.path}: scenario {scenario.name!r} has no capacity: "
                            "block. Add one, e.g. capacity: {weeks: 52, groups: {team: "
                            "{channels: [voice], headcount: 100}}}.")
    if not 0 <= grid_step < 1:
        raise ScenarioError(f"run_capacity(): grid_step must be in [0, 1), got {grid_step!r}. "
                            "E.g. 0.01 (1%), or 0 to size every week directly.")
    step("capacity: representative week")
    sizer = WeekSizer(representative_scenario(scenario, spec.service_level_floor),
                      spec.hours_per_fte_week, grid_step)
    step("capacity: demand")
    demand = weekly_demand(scenario, spec, sizer.arrivals, sizer.aht_s)
    home = {c: g.name for g in spec.groups for c in g.channels}
    table = demand.table.assign(group=demand.table["channel"].map(home))
    step("capacity: requirement")
    for col, src in (("required_fte", "offered"), ("required_fte_lo", "offered_lo"),
                     ("required_fte_hi", "offered_hi")):
        table[col] = 0.0
        for c, rows in table.groupby("channel", sort=False):
            table.loc[rows.index, col] = sizer.required_fte(
                str(c), rows[src].to_numpy(dtype=float), rows["aht_s"].to_numpy(dtype=float))
    by_group = table.groupby(["group", "week"])[["required_fte", "required_fte_lo",
                                                  "required_fte_hi"]].sum()
    required = {g.name: by_group.loc[g.name, "required_fte"].reindex(
        range(spec.n_weeks), fill_value=0.0).to_numpy() for g in spec.groups}
    weeks = pd.date_range(spec.start, periods=spec.n_weeks, freq="7D")
    shrinkage = _shrinkage(spec, weeks)
    paths = None
    if spec.risk_probability is not None:
        step("capacity: requirement paths")
        paths = _requirement_paths(sizer, spec, table, demand.paths)
    step("capacity: supply")
    supply = _supply(scenario, spec, sizer, required, shrinkage, paths)
    plan = supply.plan
    weekly = plan.weekly.copy()
    weekly["week_start"] = weeks[weekly["week"].to_numpy()]
    weekly["shrinkage"] = shrinkage[weekly["week"].to_numpy()]
    keys = pd.MultiIndex.from_frame(weekly[["group", "week"]])
    weekly["required_fte_lo"] = by_group["required_fte_lo"].reindex(keys).to_numpy()
    weekly["required_fte_hi"] = by_group["required_fte_hi"].reindex(keys).to_numpy()
    weekly["coverage_probability"] = (
        np.nan if supply.risk is None else supply.risk.weekly.set_index(["group", "week"])[
            "coverage_probability"].reindex(keys).to_numpy(dtype=float))
    weekly = weekly[list(CAPACITY_COLUMNS["weekly"])]
    step("capacity: service")
    channels = _channels(sizer, table, weekly)
    step("capacity: finance")
    monthly = monthly_table(scenario, spec, weekly, channels)
    classes = plan.classes.copy()
    classes["start_date"] = spec.start + pd.to_timedelta(7 * classes["start_week"], unit="D")
    classes["first_floor_date"] = spec.start + pd.to_timedelta(
        7 * classes["first_floor_week"], unit="D")
    classes = classes[list(CAPACITY_COLUMNS["classes"])]
    summary = _summary(scenario, spec, supply, weekly, channels, sizer, grid_step)
    result = CapacityResult(scenario.long_label, scenario.currency, spec.start, spec.n_weeks,
                            weekly, channels, monthly, classes, summary)
    check_capacity(result)
    return result


def _channels(sizer: WeekSizer, table: pd.DataFrame, weekly: pd.DataFrame) -> pd.DataFrame:
    """Per channel and week: the contacts the centre sees, and the expected service at the
    agents available (the group's ratio of available + overtime to required, at most 5)."""
    staff = weekly.set_index(["group", "week"])
    have = (staff["available_fte"] + staff["overtime_fte"]).to_numpy(dtype=float)
    need = staff["required_fte"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = pd.Series(np.where(need > 0, np.minimum(have / need, 5.0), 5.0),
                          index=staff.index)
    keys = pd.MultiIndex.from_frame(table[["group", "week"]])
    service = sizer.service(table.assign(ratio=ratio.reindex(keys).to_numpy()))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(table["offered"] > 0, service["offered"] / table["offered"], 0.0)
    out = table.assign(offered=service["offered"], offered_lo=table["offered_lo"] * share,
                       offered_hi=table["offered_hi"] * share,
                       expected_service_level=service["expected_service_level"],
                       handled=service["handled"])
    return out[list(CAPACITY_COLUMNS["channels"])].reset_index(drop=True)


def _first_week_meeting_target(scn: Scenario, channels: pd.DataFrame) -> int | None:
    """The first week from which every channel's expected service level reaches its target."""
    targets = {ch.name: ch.service_level_target for ch in scn.channels}
    ok = channels.assign(ok=[not (lvl < targets[c] - 1e-9) for c, lvl in
                             zip(channels["channel"], channels["expected_service_level"],
                                 strict=True)]).groupby("week")["ok"].all().sort_index()
    bad = np.flatnonzero(~ok.to_numpy())
    if not len(bad):
        return 0
    first = int(bad[-1]) + 1
    return first if first < len(ok) else None


def _summary(scn: Scenario, spec: CapacitySpec, supply: _Supply, weekly: pd.DataFrame,
             channels: pd.DataFrame, sizer: WeekSizer, grid_step: float) -> dict[str, Any]:
    plan, risk = supply.plan, supply.risk
    annual, basis = annual_cost(weekly, spec.n_weeks)
    # Python numbers (NaN stays NaN here; ScenarioResult.summary["capacity"] is the JSON form).
    out: dict[str, Any] = {key: value.item() if isinstance(value, np.generic) else value
                           for key, value in plan.summary.items()}
    out.update({
        "scenario": scn.long_label, "currency": scn.currency,
        "start": spec.start.date().isoformat(), "n_weeks": spec.n_weeks, "plan": spec.plan,
        "annual_cost": annual, "annual_cost_basis": basis,
        "hires_total": int(plan.summary["hires_total"]),
        "min_weekly_coverage": float(weekly["coverage"].min()),
        "min_coverage_probability": (float("nan") if risk is None else
                                     float(risk.summary["min_coverage_probability"])),
        "insurance_cost": supply.insurance_cost,
        "risk_probability": spec.risk_probability, "risk_runs": spec.risk_runs if risk else 0,
        "first_week_meeting_target": _first_week_meeting_target(scn, channels),
        "grid_step": grid_step, "weeks_sized": sizer.n_sized})
    return out


def with_capacity(result: ScenarioResult, capacity: CapacityResult) -> ScenarioResult:
    """``result`` with its capacity plan: the totals' ``annual_cost`` (and a yearly budget's
    ``cost_vs_budget``) from the plan's annual cost, never one week x 52.18."""
    totals = result.totals.copy()
    totals["annual_cost"] = float(capacity.summary["annual_cost"])
    if (totals["budget_period"] == "year").all():
        totals["cost_vs_budget"] = totals["annual_cost"] / totals["budget"]
    summary = dict(result.summary)
    summary["totals"] = {**summary.get("totals", {}),
                         "annual_cost": jsonable(totals["annual_cost"].iloc[0]),
                         "cost_vs_budget": jsonable(totals["cost_vs_budget"].iloc[0])}
    summary["capacity"] = jsonable({k: v for k, v in capacity.summary.items()})
    return dataclasses.replace(result, totals=totals, summary=summary, capacity=capacity)


#: Capacity columns that are fractions (0-1), and columns that are >= 0, by table.
_CAPACITY_FRACTIONS = {"weekly": ("shrinkage", "coverage", "coverage_probability"),
                       "channels": ("expected_service_level",)}
_CAPACITY_NONNEGATIVE = {
    "weekly": ("headcount", "trainees", "hires", "graduates", "training_dropouts", "leavers",
               "fte_on_floor", "available_fte", "required_fte", "overtime_fte", "short_fte",
               "wages", "hiring_cost", "training_cost", "overtime_cost", "cost"),
    "channels": ("offered", "offered_lo", "offered_hi", "aht_s", "required_fte", "handled"),
    "monthly": ("days", "headcount", "hires", "leavers", "cost", "offered", "handled")}


def check_capacity(capacity: CapacityResult) -> None:
    """The capacity plan's laws: fractions in [0, 1], stocks, flows and money >= 0, handled
    <= offered, the interval around the volume, and the months adding up to the weeks.

    Raises :class:`ResultInvariantError` (a bug in ccplan) naming the table and column."""
    problems = []
    for table, columns in _CAPACITY_FRACTIONS.items():
        for col in columns:
            v = getattr(capacity, table)[col].to_numpy(dtype=float)
            if np.any(np.isfinite(v) & ((v < -1e-9) | (v > 1 + 1e-9))):
                problems.append(f"{table}.{col} must be in [0, 1]")
    for table, columns in _CAPACITY_NONNEGATIVE.items():
        for col in columns:
            v = getattr(capacity, table)[col].to_numpy(dtype=float)
            if np.any(v < -1e-6 * np.maximum(1.0, np.abs(v).max(initial=0.0))):
                problems.append(f"{table}.{col} must be >= 0")
    ch = capacity.channels
    if np.any(ch["handled"] > ch["offered"] * (1 + 1e-9) + 1e-9):
        problems.append("channels.handled must be <= offered")
    if np.any((ch["offered_lo"] > ch["offered"] * (1 + 1e-9) + 1e-9)
              | (ch["offered"] > ch["offered_hi"] * (1 + 1e-9) + 1e-9)):
        problems.append("channels.offered must lie in [offered_lo, offered_hi]")
    months = capacity.monthly[capacity.monthly["group"] != "all"]
    for col in ("cost", "hires", "leavers"):
        total = float(capacity.weekly[col].sum())
        if abs(float(months[col].sum()) - total) > 1e-6 * max(1.0, abs(total)):
            problems.append(f"monthly.{col} must add up to the weeks' ({total:g})")
    if problems:
        raise ResultInvariantError(f"capacity plan of {capacity.scenario!r}: the tables break "
                                   "their laws (a bug in ccplan; please report it with the "
                                   "file): " + "; ".join(problems) + ".")
