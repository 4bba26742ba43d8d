"""Summary stage, per interval: the service each channel gets from the plan's agents.

The analytic prediction at the channel's whole agents on the queue
(:func:`staffing.queue_kpis`: Erlang C or A with concurrency; deferred work
by :func:`staffing.deferred_requirements`' backlog rule), and, when the
scenario simulates, the simulated means over replications with their 95 %
intervals (:func:`simulator.mean_interval`). The ``interval_kpis`` table is
described in :mod:`scenarios.pipeline.contracts`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from simulator import mean_interval
from staffing import deferred_requirements, queue_kpis

from ..files import Scenario
from ._requirements import analytic_behaviour
from ._simulate import Simulation
from ._tables import cube, long_table, scenario_grid, wide
from .contracts import BEHAVIOUR_COLUMNS, INTERVAL_KPI_COLUMNS


def whole_agents(agents_on_queue: np.ndarray) -> np.ndarray:
    """A channel's share of its group's agents on the queue, in whole agents (rounded down)."""
    return np.floor(agents_on_queue + 1e-9)


def interval_kpis(scn: Scenario, centre: pd.DataFrame, channel_staffing: pd.DataFrame,
                  simulation: Simulation | None) -> pd.DataFrame:
    """The ``interval_kpis`` table: analytic and reported service per channel and interval.

    Parameters
    ----------
    scn : Scenario
        The scenario (targets, patience, concurrency, method).
    centre : pandas.DataFrame
        The ``centre_demand`` table.
    channel_staffing : pandas.DataFrame
        The ``channel_staffing`` table: each channel's agents on the queue (the plan's, or
        the capacity plan's representative week at the agents available).
    simulation : Simulation or None
        The plan's simulation, or ``None`` (analytic only).

    Returns
    -------
    pandas.DataFrame
        ``INTERVAL_KPI_COLUMNS``, channels in file order, intervals in time order.
    """
    grid = scenario_grid(scn)
    n = len(grid)
    names = [ch.name for ch in scn.channels]
    k = len(names)
    offered = wide(centre, "offered", names, grid)
    aht = wide(centre, "aht_s", names, grid)
    is_open = wide(centre, "is_open", names, grid, dtype=bool)
    alloc = wide(channel_staffing, "agents_on_queue", names, grid)

    sl_e = np.full((k, n), np.nan)
    asa_e = np.full((k, n), np.nan)
    ab_e = np.full((k, n), np.nan)
    occ_e = np.full((k, n), np.nan)
    handled_e = np.zeros((k, n))       # analytic contacts handled (deferred: within capacity)
    # Deferred work is judged only where its deadline falls inside the horizon: contacts of
    # interval i are due by the end of interval i + floor(target / interval) - 1 (the rule of
    # staffing.deferred_requirements); later ones are neither met nor missed in this plan.
    judged = np.ones((k, n), dtype=bool)
    for ci, ch in enumerate(scn.channels):
        if ch.is_deferred:
            due = int(np.floor(ch.answer_within_s / scn.interval_s + 1e-9))
            judged[ci] = np.arange(n) + due - 1 < n
        else:
            # Contacts that meet the closed centre (redials: the simulation's callers do not
            # know the hours) count in offered, abandoned and redials, not in the service level.
            judged[ci] = is_open[ci]
    has_hang_up, has_redial, has_callback = behaviours_on(scn)
    attempts = offered.copy()          # first attempts + redials
    first_answered = np.full((k, n), np.nan)
    for ci, ch in enumerate(scn.channels):
        agents = whole_agents(alloc[ci])
        if ch.is_deferred:
            # staffing documents ``agents`` as an int or an array of ints; its annotation
            # says int only.
            plan_d = deferred_requirements(offered[ci], scn.interval_s, aht[ci],
                                           ch.answer_within_s, is_open=is_open[ci],
                                           agents=agents.astype(np.int64))
            met = plan_d["deadline_met"].to_numpy(dtype=float)
            sl_e[ci] = np.where((offered[ci] > 0) & judged[ci], met, np.nan)
            ab_e[ci] = np.where(offered[ci] > 0, 0.0, np.nan)
            handled_e[ci] = plan_d["handled"].to_numpy(dtype=float)
            # Busy share of the agents' time: the work done in the interval (each contact at
            # the handle time of the interval it arrived in) over their time.
            work = plan_d["handled_work_s"].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                occ_e[ci] = np.where(agents > 0, work / ch.concurrency
                                     / (agents * scn.interval_s), np.nan)
            continue
        patience = ch.mean_patience_s if scn.method != "erlang_c" else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            kp = queue_kpis(agents.astype(np.int64), offered[ci], scn.interval_s, aht[ci],
                            ch.answer_within_s, patience, concurrency=ch.concurrency,
                            **analytic_behaviour(ch))
        has = offered[ci] > 0
        if "first_attempts" in kp:
            attempts[ci] = kp["offered"].to_numpy()
            first_answered[ci] = np.where(has, np.where(
                agents == 0, 0.0, kp["first_attempt_answered"].to_numpy()), np.nan)
        else:
            first_answered[ci] = np.where(has, 1.0 - np.nan_to_num(
                kp["abandon_rate"].to_numpy() if "abandon_rate" in kp else np.zeros(n)), np.nan)
        nobody = has & (agents == 0)
        sl_e[ci] = np.where(has, np.where(nobody, 0.0, kp["service_level"].to_numpy()), np.nan)
        asa_e[ci] = np.where(has, np.where(nobody, np.nan, kp["asa_s"].to_numpy()), np.nan)
        ab = kp["abandon_rate"].to_numpy() if "abandon_rate" in kp else np.zeros(n)
        ab_e[ci] = np.where(has, np.where(nobody, 1.0, ab), np.nan)
        occ_e[ci] = np.where(agents > 0, kp["occupancy"].to_numpy(), np.nan)
        handled_e[ci] = attempts[ci] * (1.0 - np.nan_to_num(ab_e[ci]))
        if nobody.any():
            first_answered[ci] = np.where(nobody, 0.0, first_answered[ci])
    # The analytic hang-ups leave at once: a share of the attempts.
    hang_up = np.array([ch.hang_up_share for ch in scn.channels])[:, None]
    extra: dict[str, np.ndarray] = {}
    if has_hang_up or has_redial:
        extra = {"attempts": attempts, "hung_up": attempts * hang_up,
                 "first_attempts_answered_share": first_answered}

    if simulation is not None:
        cols = _simulated(simulation.intervals, names, grid, judged, occ_e)
        if extra:
            extra = _simulated_behaviour(simulation.intervals, names, grid, offered)
        if has_callback:
            extra.update(_simulated_callbacks(simulation.intervals, names, grid,
                                              extra.get("attempts", offered)))
    else:
        if has_callback:    # callbacks are simulated only: not measured without simulation
            extra.update({column: np.full((k, n), np.nan)
                          for column in BEHAVIOUR_COLUMNS["callback"]})
        cols = {"service_level": sl_e, "asa_s": asa_e, "abandon_rate": ab_e}
        for name in ("service_level", "asa_s", "abandon_rate"):
            cols[name + "_low"] = np.full((k, n), np.nan)
            cols[name + "_high"] = np.full((k, n), np.nan)
        cols["mean_queue"] = np.full((k, n), np.nan)
        cols["occupancy"] = occ_e
    table = long_table("channel", names, grid, {
        "is_judged": judged, "handled_erlang": handled_e, "service_level_erlang": sl_e,
        "asa_s_erlang": asa_e, "abandon_rate_erlang": ab_e, "occupancy_erlang": occ_e,
        **cols, **extra})
    return table[list(INTERVAL_KPI_COLUMNS) + list(extra)]


def behaviours_on(scn: Scenario) -> tuple[bool, bool, bool]:
    """Whether any channel of the scenario has hang-ups, whether any has redials, and whether
    any has callbacks."""
    return (any(ch.hang_up_share > 0 for ch in scn.channels),
            any(ch.redial_delay is not None for ch in scn.channels),
            any(ch.callback is not None for ch in scn.channels))


def _simulated_callbacks(sim: pd.DataFrame, names: list[str], grid: pd.DatetimeIndex,
                         attempts: np.ndarray) -> dict[str, np.ndarray]:
    """Callbacks offered, accepted and kept per channel and interval, on the plan's basis: the
    attempts times their shares of the simulated contacts, pooled over replications."""
    reps = sorted(sim["replication"].unique())
    offered = cube(sim, "offered", reps, names, grid).sum(axis=0)
    out = {}
    for column in BEHAVIOUR_COLUMNS["callback"]:
        counts = cube(sim, column, reps, names, grid).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[column] = attempts * np.where(offered > 0, counts / offered, 0.0)
    return out


def _simulated_behaviour(sim: pd.DataFrame, names: list[str], grid: pd.DatetimeIndex,
                         first: np.ndarray) -> dict[str, np.ndarray]:
    """The attempts, hang-ups and first attempts answered per channel and interval, from the
    simulation, on the plan's basis: the plan's first attempts ``first``, plus the mean
    simulated redials; hang-ups and first attempts answered as pooled shares."""
    reps = sorted(sim["replication"].unique())

    def pooled(col: str) -> np.ndarray:
        return cube(sim, col, reps, names, grid).sum(axis=0)

    offered, redials = pooled("offered"), pooled("redials")
    attempts = first + redials / len(reps)
    sim_first = offered - redials
    with np.errstate(divide="ignore", invalid="ignore"):
        hung_share = np.where(offered > 0, pooled("hung_up") / offered, 0.0)
        answered_share = np.where(sim_first > 0, pooled("first_attempts_answered") / sim_first,
                                  np.nan)
    return {"attempts": attempts, "hung_up": attempts * hung_share,
            "first_attempts_answered_share": answered_share}


def _simulated(sim: pd.DataFrame, names: list[str], grid: pd.DatetimeIndex, judged: np.ndarray,
               occ_e: np.ndarray) -> dict[str, np.ndarray]:
    """The simulated means over replications per channel and interval, with their bounds."""
    reps = sorted(sim["replication"].unique())

    def values(col: str) -> np.ndarray:
        return cube(sim, col, reps, names, grid)

    cols: dict[str, np.ndarray] = {}
    off_s = values("offered_counted")
    with np.errstate(divide="ignore", invalid="ignore"):
        sl_r = np.where((off_s > 0) & judged[None], values("within_counted") / off_s,
                        np.nan)
        ab_r = np.where(off_s > 0, values("abandoned") / off_s, np.nan)
        asa_r = np.where(values("answered") > 0, values("asa_s"), np.nan)
    counted = {"service_level": np.where(judged[None], off_s, 0.0).sum(axis=0),
               "asa_s": None, "abandon_rate": off_s.sum(axis=0)}
    for name, per_rep, kind in (("service_level", sl_r, "fraction"),
                                ("asa_s", asa_r, "nonnegative"),
                                ("abandon_rate", ab_r, "fraction")):
        mean, lo, hi = mean_interval(per_rep, kind=kind, n_contacts=counted[name])
        cols[name], cols[name + "_low"], cols[name + "_high"] = mean, lo, hi
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # intervals with no agents: NaN
        cols["mean_queue"] = np.nanmean(values("mean_queue"), axis=0)
        occ_sim = np.nanmean(values("occupancy"), axis=0)
    # Simulated where the simulator measures it per channel (dedicated teams); with shared
    # agents it measures groups only, and the channel's analytic occupancy stands in.
    cols["occupancy"] = np.where(np.isfinite(occ_sim), occ_sim, occ_e)
    return cols
