"""Summary stage: the result tables and the JSON summary of one scenario.

From the stages' long tables (:mod:`scenarios.pipeline.contracts`) to the
:class:`ScenarioResult` (its tables are described in
:mod:`scenarios.pipeline.contracts`): the ``intervals`` table joins them per
channel and interval; ``channels`` and ``totals`` sum them over the horizon
(with simulation, the measures over replications with their 95 % intervals,
:func:`simulator.mean_interval`); ``cost_breakdown`` is the cost report's;
the summary records the version, the file's hash, the seed and the totals.
"""

from __future__ import annotations

import math
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np
import pandas as pd

from simulator import mean_interval

from ..files import Scenario
from ._cost import Costs
from ._kpis import behaviours_on, whole_agents
from ._result import ScenarioResult, check_result
from ._schedule import StaffingPlan, scenario_groups
from ._simulate import Simulation
from ._tables import scenario_grid, wide
from .contracts import (
    BEHAVIOUR_COLUMNS,
    CHANNEL_COLUMNS,
    COST_BREAKDOWN_COLUMNS,
    FLOW_COLUMNS,
    INTERVAL_COLUMNS,
    ROUND_COLUMNS,
    TOTAL_COLUMNS,
)

#: The analytic measures of ``interval_kpis`` a channel's totals read.
_ERLANG = ("handled_erlang", "service_level_erlang", "asa_s_erlang", "abandon_rate_erlang",
           "occupancy_erlang")
#: The reported measures of ``interval_kpis``, as ``intervals`` names them.
_REPORTED = ("service_level", "service_level_low", "service_level_high", "asa_s", "asa_s_low",
             "asa_s_high", "abandon_rate", "abandon_rate_low", "abandon_rate_high",
             "mean_queue", "occupancy")


def _ccplan_version() -> str:
    try:
        return version("ccplan")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def scenario_result(scn: Scenario, centre: pd.DataFrame, flows: pd.DataFrame,
                    plan: StaffingPlan, simulation: Simulation | None, kpis: pd.DataFrame,
                    costs: Costs, rounds: pd.DataFrame) -> ScenarioResult:
    """Assemble and check the result of one scenario.

    Parameters
    ----------
    scn : Scenario
        The scenario.
    centre : pandas.DataFrame
        The ``centre_demand`` table.
    flows : pandas.DataFrame
        The ``flows`` table (where the contacts went), kept in the result.
    plan : StaffingPlan
        The requirements, schedule and agents on the queue.
    simulation : Simulation or None
        The plan's simulation, or ``None``.
    kpis : pandas.DataFrame
        The ``interval_kpis`` table.
    costs : Costs
        The ``costs`` table and the cost report.
    rounds : pandas.DataFrame
        The ``rounds`` table, kept in the result.

    Returns
    -------
    ScenarioResult
        Checked with :func:`check_result`.
    """
    grid = scenario_grid(scn)
    names = [ch.name for ch in scn.channels]
    # The per-channel arrays the three tables all read, pivoted once. With hang-ups or
    # redials, ``offered`` counts the attempts (first attempts + redials).
    offered = (wide(kpis, "attempts", names, grid) if "attempts" in kpis
               else wide(centre, "offered", names, grid))
    shared = {"offered": offered,
              "is_open": wide(centre, "is_open", names, grid, dtype=bool),
              "alloc": wide(plan.channels, "agents_on_queue", names, grid),
              "service_level": wide(kpis, "service_level", names, grid)}
    intervals = _intervals(scn, grid, names, centre, plan, kpis, costs, shared)
    channels = _channels(scn, grid, names, plan, simulation, kpis, costs, shared)
    behaviour = _behaviour_columns(scn, grid, names, centre, flows, kpis, shared)
    if behaviour:
        intervals = intervals.assign(**{k: v.ravel() for k, v in behaviour.items()})
        sums = _behaviour_totals(behaviour)
        if simulation is not None and "hung_up" in sums:
            # The abandoned of the channel's row are a ratio over the horizon's simulated
            # contacts: its hang-ups the same ratio's share of them.
            pooled = simulation.intervals.groupby("channel")[["hung_up", "abandoned"]].sum()
            pooled = pooled.reindex(names)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(pooled["abandoned"] > 0,
                                 pooled["hung_up"] / pooled["abandoned"], 0.0)
            sums["hung_up"] = channels["abandoned"].to_numpy(dtype=float) * share
        channels = channels.assign(**sums)
    totals = _totals(scn, grid, plan, simulation, costs, channels, shared)
    if behaviour:
        totals = totals.assign(**_behaviour_totals(
            {k: channels[k].to_numpy(dtype=float)[None, :] for k in behaviour}))
    bd = costs.report.breakdown
    bd = bd[bd["item"] != "total"]
    cost_breakdown = pd.DataFrame({
        "scenario": scn.name, "group": bd["view"].to_numpy(),
        "component": bd["item"].to_numpy(), "amount": bd["cost"].to_numpy(dtype=float),
        "share": bd["share"].to_numpy(dtype=float)})[list(COST_BREAKDOWN_COLUMNS)]
    has_shifts = scn.shift_rules is not None
    shifts = (plan.schedule.shifts.copy() if has_shifts else
              pd.DataFrame(columns=["shift_id", "template", "shift_start", "duration_s",
                                    "headcount"]))
    result = ScenarioResult(name=scn.name, intervals=intervals, channels=channels,
                            totals=totals, cost_breakdown=cost_breakdown,
                            shifts=shifts.reset_index(drop=True),
                            summary=_summary(scn, grid, plan, totals),
                            expectations=scn.expectations, label=scn.label,
                            long_label=scn.long_label,
                            flows=flows.assign(scenario=scn.name)[["scenario", *FLOW_COLUMNS]],
                            rounds=rounds.assign(scenario=scn.name)[["scenario",
                                                                     *ROUND_COLUMNS]])
    check_result(result)
    return result


def _behaviour_columns(scn: Scenario, grid: pd.DatetimeIndex, names: list[str],
                       centre: pd.DataFrame, flows: pd.DataFrame, kpis: pd.DataFrame,
                       shared: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The customer-behaviour columns of ``intervals`` (``BEHAVIOUR_COLUMNS`` of the
    behaviours some channel has), per channel and interval.

    Callbacks are simulated only (NaN without simulation). The first attempts are the
    contacts the centre sees; with redials, the contacts that
    met the closed centre and call again after it opens (``out_of_hours.retry_share``) are
    redials of their customers, not first attempts. Redials = attempts - first attempts.
    """
    has_hang_up, has_redial, has_callback = behaviours_on(scn)
    out: dict[str, np.ndarray] = {}
    if has_hang_up:
        out["hung_up"] = wide(kpis, "hung_up", names, grid)
    if has_redial:
        redial = np.array([ch.redial_delay is not None for ch in scn.channels])[:, None]
        landing = np.nan_to_num(wide(flows, "retries_landing", names, grid))
        first = wide(centre, "offered", names, grid) - np.where(redial, landing, 0.0)
        out["first_attempts"] = first
        out["redials"] = shared["offered"] - first
        out["first_attempts_answered_share"] = wide(kpis, "first_attempts_answered_share",
                                                    names, grid)
    if has_callback:
        out.update({column: wide(kpis, column, names, grid)
                    for column in BEHAVIOUR_COLUMNS["callback"]})
    return out


def _behaviour_totals(behaviour: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The behaviour columns of ``channels``: counts summed over the horizon, the share of
    first attempts answered weighted by the first attempts."""
    out = {k: v.sum(axis=1) for k, v in behaviour.items()
           if k != "first_attempts_answered_share"}
    if "first_attempts_answered_share" in behaviour:
        share, first = behaviour["first_attempts_answered_share"], behaviour["first_attempts"]
        ok = np.isfinite(share) & (first > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["first_attempts_answered_share"] = (np.where(ok, share * first, 0.0).sum(axis=1)
                                                    / np.where(ok, first, 0.0).sum(axis=1))
    return {k: out[k] for col in BEHAVIOUR_COLUMNS.values() for k in col if k in out}


def _intervals(scn: Scenario, grid: pd.DatetimeIndex, names: list[str], centre: pd.DataFrame,
               plan: StaffingPlan, kpis: pd.DataFrame, costs: Costs,
               shared: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ``intervals`` table: the stages' tables side by side per channel and interval."""
    n = len(grid)

    def col(table: pd.DataFrame, column: str, dtype: Any = float) -> np.ndarray:
        return wide(table, column, names, grid, dtype=dtype).ravel()

    return pd.DataFrame({
        "scenario": scn.name,
        "channel": np.repeat(names, n),
        "interval_start": grid[np.tile(np.arange(len(grid)), len(names))],
        "is_open": shared["is_open"].ravel(),
        "offered": shared["offered"].ravel(), "aht_s": col(centre, "aht_s"),
        "agents_required": col(plan.requirements, "agents_required", np.int64),
        "agents_on_queue": shared["alloc"].ravel(),
        "service_level_erlang": col(kpis, "service_level_erlang"),
        "asa_s_erlang": col(kpis, "asa_s_erlang"),
        "abandon_rate_erlang": col(kpis, "abandon_rate_erlang"),
        **{name: col(kpis, name) for name in _REPORTED},
        "cost": col(costs.intervals, "cost"),
    })[list(INTERVAL_COLUMNS)]


def _channels(scn: Scenario, grid: pd.DatetimeIndex, names: list[str], plan: StaffingPlan,
              simulation: Simulation | None, kpis: pd.DataFrame, costs: Costs,
              shared: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ``channels`` table: each channel's measures over the horizon."""
    offered, is_open, alloc = shared["offered"], shared["is_open"], shared["alloc"]
    judged = wide(kpis, "is_judged", names, grid, dtype=bool)
    erlang = {name: wide(kpis, name, names, grid) for name in _ERLANG}
    sl = shared["service_level"]
    cost = wide(costs.intervals, "cost", names, grid)
    sim = simulation.intervals if simulation is not None else None
    sim_summary = simulation.summary if simulation is not None else None
    rows = []
    for ci, ch in enumerate(scn.channels):
        c = ch.name
        off = float(offered[ci].sum())
        m = _channel_measures(sim, c, off, offered[ci], {k: v[ci] for k, v in erlang.items()},
                              whole_agents(alloc[ci]),
                              _summary_value(sim_summary, "occupancy", c), grid[judged[ci]])
        meets = _share_meeting(sl[ci], is_open[ci], offered[ci], ch.service_level_target)
        c_cost = float(cost[ci].sum())
        rows.append({
            "scenario": scn.name, "channel": c, "offered": off, **m,
            "service_level_target": ch.service_level_target,
            "answer_within_s": ch.answer_within_s, "open_intervals_meeting_target": meets,
            "cost": c_cost, "cost_per_contact": c_cost / off if off > 0 else np.nan,
            "cost_per_handled": c_cost / m["handled"] if m["handled"] > 0 else np.nan})
    return pd.DataFrame(rows)[list(CHANNEL_COLUMNS)]


def _totals(scn: Scenario, grid: pd.DatetimeIndex, plan: StaffingPlan,
            simulation: Simulation | None, costs: Costs, channels_t: pd.DataFrame,
            shared: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ``totals`` row: the channels' measures over all channels, FTE, cost and budget."""
    n = len(grid)
    groups, _home = scenario_groups(scn)
    offered, is_open, alloc = shared["offered"], shared["is_open"], shared["alloc"]
    on_queue = wide(plan.groups, "agents_on_queue", list(groups), grid, key="group")
    sl_all = shared["service_level"]
    sim_summary = simulation.summary if simulation is not None else None
    summary_s = plan.schedule.summary
    horizon_days = n * scn.interval_s / 86400.0
    off_all = float(channels_t["offered"].sum())
    handled_all = float(channels_t["handled"].sum())

    def weighted(col: str, w: str) -> float:
        v = channels_t[col].to_numpy(dtype=float)
        ww = channels_t[w].to_numpy(dtype=float)
        ok = np.isfinite(v) & (ww > 0)
        return float(np.sum(v[ok] * ww[ok]) / np.sum(ww[ok])) if ok.any() else float("nan")

    live_rows = channels_t[~channels_t["channel"].isin(
        [ch.name for ch in scn.channels if ch.is_deferred])]
    asa_v = live_rows["asa_s"].to_numpy(dtype=float)
    asa_w = live_rows["handled"].to_numpy(dtype=float)
    ok = np.isfinite(asa_v) & (asa_w > 0)
    # ASA over the channels answered live: deferred work's hours-long waits are not averaged in.
    live_asa = float(np.sum(asa_v[ok] * asa_w[ok]) / np.sum(asa_w[ok])) if ok.any() else np.nan
    total_cost = float(costs.report.summary["cost"])
    weekly = total_cost * 7.0 / horizon_days
    annual = total_cost * 365.25 / horizon_days
    budget = np.nan
    period = ""
    vs = np.nan
    if scn.budget is not None:
        budget, period = scn.budget
        vs = (weekly if period == "week" else annual) / budget if budget > 0 else np.inf
    meets_all = _share_meeting(sl_all.ravel(), is_open.ravel(), offered.ravel(),
                               np.repeat([ch.service_level_target for ch in scn.channels], n))
    has_shifts = scn.shift_rules is not None
    return pd.DataFrame([{
        "scenario": scn.name, "offered": off_all, "handled": handled_all,
        "abandoned": float(channels_t["abandoned"].sum()),
        "service_level": weighted("service_level", "offered"),
        "asa_s": live_asa,
        "abandon_rate": float(channels_t["abandoned"].sum()) / off_all if off_all > 0 else np.nan,
        "occupancy": _total_occupancy(sim_summary, on_queue, list(groups),
                                      _agent_time_average(channels_t["occupancy"], alloc)),
        "open_intervals_meeting_target": meets_all,
        "cost": total_cost, "cost_per_contact": total_cost / off_all if off_all > 0 else np.nan,
        "cost_per_handled": total_cost / handled_all if handled_all > 0 else np.nan,
        "fte": float(summary_s["fte"]), "paid_hours": float(summary_s["paid_hours"]),
        "headcount": float(summary_s["headcount"]) if has_shifts else np.nan,
        "weekly_cost": weekly, "annual_cost": annual, "budget": budget,
        "budget_period": period, "cost_vs_budget": vs}])[list(TOTAL_COLUMNS)]


def _summary(scn: Scenario, grid: pd.DatetimeIndex, plan: StaffingPlan,
             totals: pd.DataFrame) -> dict[str, Any]:
    """The JSON-able summary: provenance, horizon, solver and totals."""
    summary_s = plan.schedule.summary
    has_shifts = scn.shift_rules is not None
    return {
        "name": scn.name, "file": str(scn.path), "ccplan_version": _ccplan_version(),
        "scenario_sha256": scn.sha256, "seed": scn.seed,
        "n_replications": scn.n_replications, "interval_s": scn.interval_s,
        "timezone": scn.timezone, "horizon_start": grid[0].isoformat(),
        "horizon_end": (grid[-1] + pd.Timedelta(seconds=scn.interval_s)).isoformat(),
        "staffing_method": scn.method, "currency": scn.currency,
        "schedule": ({"status": summary_s.get("status"), "mip_gap": summary_s.get("mip_gap"),
                      "mip_rel_gap": summary_s.get("mip_rel_gap"),
                      "max_nodes": summary_s.get("max_nodes"),
                      "time_limit_s": summary_s.get("time_limit_s"),
                      "allow_time_limit": bool(scn.shift_rules is not None
                                               and scn.shift_rules.allow_time_limit),
                      "objective": summary_s.get("objective"),
                      "dual_bound": summary_s.get("dual_bound"),
                      "closed_idle_agent_hours": summary_s.get("closed_idle_agent_hours")}
                     if has_shifts else None),
        "overrides": {str(key): jsonable(v) for key, v in scn.overrides.items()},
        "totals": {key: jsonable(v) for key, v in totals.iloc[0].items()},
    }


def _summary_value(sim_summary: pd.DataFrame | None, kpi: str, name: str) -> float:
    """The simulator summary's mean of ``kpi`` for ``name`` (NaN when it has none)."""
    if sim_summary is None or "kpi" not in sim_summary:
        return float("nan")
    hit = sim_summary[(sim_summary["kpi"] == kpi) & (sim_summary["channel"] == name)]
    return float(hit["mean"].iloc[0]) if len(hit) else float("nan")


def _agent_time_average(occupancy: pd.Series, alloc: np.ndarray) -> float:
    """Channels' occupancy weighted by their agents' time: busy time over agent time."""
    occ = occupancy.to_numpy(dtype=float)
    weight = alloc.sum(axis=1)
    ok = np.isfinite(occ) & (weight > 0)
    return float(np.sum(occ[ok] * weight[ok]) / np.sum(weight[ok])) if ok.any() else np.nan


def _total_occupancy(sim_summary: pd.DataFrame | None, on_queue: np.ndarray,
                     group_names: list[str], fallback: float) -> float:
    """The simulated occupancy of shared groups, weighted by their agent time; else fallback."""
    if sim_summary is None or "kpi" not in sim_summary:
        return fallback
    rows = sim_summary[sim_summary["kpi"] == "group_occupancy"].set_index("channel")["mean"]
    if rows.empty:
        return fallback
    occ = np.array([float(rows.get(g, np.nan)) for g in group_names])
    weight = on_queue.sum(axis=1)
    ok = np.isfinite(occ) & (weight > 0)
    return float(np.sum(occ[ok] * weight[ok]) / np.sum(weight[ok])) if ok.any() else fallback


def jsonable(value: Any) -> Any:
    """``value`` for JSON: numpy scalars as Python numbers, non-finite floats as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _share_meeting(sl: np.ndarray, is_open: np.ndarray, offered: np.ndarray,
                   target: Any) -> float:
    rows = is_open & (offered > 0) & np.isfinite(sl)
    if not rows.any():
        return float("nan")
    tgt = np.broadcast_to(target, sl.shape)
    return float(np.mean(sl[rows] >= tgt[rows] - 1e-12))


def _channel_measures(sim: pd.DataFrame | None, c: str, off: float, offered: np.ndarray,
                      erlang: dict[str, np.ndarray], agents: np.ndarray,
                      sim_occupancy: float, judged: pd.DatetimeIndex) -> dict[str, float]:
    """A channel's measures over the horizon: analytic (``erlang``: its row of each
    ``*_erlang`` column of ``interval_kpis``), or from the simulation's replications."""
    handled_e, sl_e, asa_e, ab_e, occ_e = (erlang[name] for name in _ERLANG)
    # Occupancy over the horizon is busy time over agent time: the analytic per-interval
    # values weighted by the agents on the queue; the simulator's own busy / paid ratio for
    # dedicated teams.
    oka = np.isfinite(occ_e) & (agents > 0)
    occ_analytic = (float(np.sum(occ_e[oka] * agents[oka]) / np.sum(agents[oka])) if oka.any()
                    else float("nan"))
    if sim is None:
        w = np.where(np.isfinite(sl_e), offered, 0.0)
        within = float(np.nansum(sl_e * w))
        abandoned = float(np.nansum(ab_e * offered))
        handled = float(handled_e.sum())
        ans = offered * (1 - np.nan_to_num(ab_e))
        ok = np.isfinite(asa_e) & (ans > 0)
        asa = float(np.sum(asa_e[ok] * ans[ok]) / np.sum(ans[ok])) if ok.any() else np.nan
        occ = occ_analytic
        nan = float("nan")
        judged_off = float(w.sum())       # contacts whose deadline is inside the horizon
        return {"handled": handled, "abandoned": abandoned,
                "service_level": within / judged_off if judged_off > 0 else nan,
                "service_level_low": nan, "service_level_high": nan,
                "asa_s": asa, "asa_s_low": nan, "asa_s_high": nan,
                "abandon_rate": abandoned / off if off > 0 else nan,
                "abandon_rate_low": nan, "abandon_rate_high": nan, "occupancy": occ}
    rows = sim[sim["channel"] == c]
    per = rows.groupby("replication").agg(
        offered=("offered_counted", "sum"), arrived=("offered", "sum"),
        answered=("answered", "sum"), handled=("handled_counted", "sum"),
        abandoned=("abandoned", "sum"),
        wait=("asa_s", lambda s: float(np.nansum(s.to_numpy() * rows.loc[s.index, "answered"]
                                                 .to_numpy()))))
    # The service level over the intervals whose deadlines fall inside the horizon.
    in_time = rows[pd.DatetimeIndex(rows["interval_start"]).isin(judged)]
    per_sl = in_time.groupby("replication")[["offered_counted", "within_counted"]].sum()
    per_sl = per_sl.reindex(per.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = (per_sl["within_counted"] / per_sl["offered_counted"]).to_numpy(dtype=float)
        ab = (per["abandoned"] / per["offered"]).to_numpy(dtype=float)
        asa = (per["wait"] / per["answered"]).to_numpy(dtype=float)
    out: dict[str, float] = {}
    counted = {"service_level": float(per_sl["offered_counted"].sum()), "asa_s": None,
               "abandon_rate": float(per["offered"].sum())}
    for name, values, kind in (("service_level", sl, "fraction"), ("asa_s", asa, "nonnegative"),
                               ("abandon_rate", ab, "fraction")):
        n_c = counted[name]
        counts = np.array([n_c]) if n_c is not None and n_c > 0 else None
        mean, lo, hi = mean_interval(values[:, None], kind=kind, n_contacts=counts)
        out[name], out[name + "_low"], out[name + "_high"] = (float(mean[0]), float(lo[0]),
                                                              float(hi[0]))
    out["occupancy"] = sim_occupancy if math.isfinite(sim_occupancy) else occ_analytic
    # Handled and abandoned on the plan's basis: the expected contacts offered times the
    # simulated shares (ratio estimator). The simulated replications' own volumes are Poisson
    # draws around the expectation, so their raw means could add up to more than ``offered``
    # (a total abandonment rate of 1.006 was seen); the shares cannot.
    sim_offered = float(per["arrived"].sum())
    if sim_offered > 0:
        out["handled"] = off * float(per["handled"].sum()) / sim_offered
        out["abandoned"] = off * float(per["abandoned"].sum()) / sim_offered
    else:
        out["handled"] = out["abandoned"] = 0.0
    return out
