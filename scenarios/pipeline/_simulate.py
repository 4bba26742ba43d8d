"""Simulate stage: the plan's agents against random contacts, replication by replication.

:func:`simulator.simulate` with the groups' skills, the channels' patience,
concurrency and customer behaviour (``simulation.replications`` >= 2); the replications may be
split over an executor's workers, each keeping its own random stream, so the
tables equal those of one run. With ``staffing.method: simulation``,
:func:`judge` names the open intervals whose simulated service level falls
short of the target, for the requirements stage to raise.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulator import ChannelModel, GroupModel, simulate

from .._errors import ScenarioError
from ..files import ChannelSpec, Scenario
from ._schedule import StaffingPlan, scenario_groups
from .contracts import VERDICT_COLUMNS


@dataclass(frozen=True)
class Simulation:
    """The simulator's tables for one plan.

    Attributes
    ----------
    intervals : pandas.DataFrame
        ``sim_intervals``: per replication, channel and interval (see
        :func:`simulator.simulate`), with ``offered_counted``,
        ``within_counted`` and ``handled_counted``: the counts the service level,
        the abandon rate and the contacts handled read, by each channel's callback
        definition (without callbacks: ``offered``, ``answered_within_target``,
        ``answered``).
    summary : pandas.DataFrame
        The simulator's summary over replications (``channel``, ``kpi``,
        ``mean``, ``ci_low``, ``ci_high``); the pipeline reads the occupancy
        of groups (``group_occupancy``) and dedicated channels (``occupancy``).
    """

    intervals: pd.DataFrame
    summary: pd.DataFrame


def _behaviour(ch: ChannelSpec) -> dict[str, Any]:
    """The channel's customer behaviour as :class:`simulator.ChannelModel` fields: only those
    switched on (a channel without them builds the model it built before they existed)."""
    out: dict[str, Any] = {}
    if ch.hang_up_share > 0:
        out["hang_up_share"] = ch.hang_up_share
        if ch.hang_up_within_s > 0:
            out["hang_up_within_s"] = ch.hang_up_within_s
    if ch.pickup_delay is not None:
        out["pickup_delay"] = ch.pickup_delay
    if ch.redial_delay is not None:
        out["redial_probability"] = ch.redial_probability
        out["redial_delay"] = ch.redial_delay
    if ch.callback is not None:
        out["callback"] = ch.callback
    return out


def _simulator_channels(scn: Scenario) -> dict[str, ChannelModel]:
    """The simulator's ``channels`` argument: each channel's target, patience, concurrency
    and customer behaviour (hang-ups, pick-up delay, redials, callbacks)."""
    return {ch.name: ChannelModel(
        answer_within_s=ch.answer_within_s,
        mean_patience_s=None if ch.is_deferred else ch.mean_patience_s,
        concurrency=ch.concurrency, **_behaviour(ch)) for ch in scn.channels}


def simulate_plan(scn: Scenario, centre: pd.DataFrame, plan: StaffingPlan,
                  on_replication: Callable[[int], None] | None = None,
                  executor: concurrent.futures.Executor | None = None,
                  chunks: int = 1) -> Simulation:
    """Simulate the plan's agents on the queue against the demand the centre sees.

    Parameters
    ----------
    scn : Scenario
        The scenario (replications, seed, channels, groups).
    centre : pandas.DataFrame
        The ``centre_demand`` table.
    plan : StaffingPlan
        Its ``groups`` table gives the agents on the queue.
    on_replication : callable, optional
        Called with the number of replications done.
    executor : concurrent.futures.Executor, optional
        Where to run the replications, split into ``chunks`` parts.
    chunks : int, optional
        Parts the replications are split into.

    Returns
    -------
    Simulation
        The ``sim_intervals`` table and the simulator's summary.

    Raises
    ------
    ScenarioError
        A chunk failed on a worker (the message names its replications).
    """
    groups, _home = scenario_groups(scn)
    on_queue_by_group = plan.groups[["group", "interval_start", "agents_on_queue"]]
    sim, summary = _simulate(scn, centre, on_queue_by_group, groups, on_replication, executor,
                             chunks)
    return Simulation(_counted(scn, sim), summary)


def _counted(scn: Scenario, sim: pd.DataFrame) -> pd.DataFrame:
    """``sim_intervals`` with the counts the service level reads, by the channel's callback
    definition: ``offered_counted`` (the service level's and abandon rate's denominator: the
    offered, less the accepted callbacks with ``service_level: excluded``),
    ``within_counted`` (answered within target, plus the callbacks kept within the promise
    with ``service_level: promise``) and ``handled_counted`` (answered, plus callbacks made).
    Without callbacks they are ``offered``, ``answered_within_target`` and ``answered``."""
    offered = sim["offered"].to_numpy(dtype=float)
    within = sim["answered_within_target"].to_numpy(dtype=float)
    handled = sim["answered"].to_numpy(dtype=float)
    for ch in scn.channels:
        if ch.callback is None:
            continue
        rows = (sim["channel"] == ch.name).to_numpy()
        handled = np.where(rows, handled + sim["callbacks_made"].to_numpy(dtype=float), handled)
        if ch.callback["service_level"] == "promise":
            within = np.where(rows, within + sim["callbacks_kept"].to_numpy(dtype=float), within)
        else:
            offered = np.where(rows, offered - sim["callbacks_accepted"].to_numpy(dtype=float),
                               offered)
    return sim.assign(offered_counted=offered, within_counted=within, handled_counted=handled)


def judge(scn: Scenario, centre: pd.DataFrame, simulation: Simulation) -> pd.DataFrame:
    """Each interval's service level pooled over the replications, against the target.

    Parameters
    ----------
    scn : Scenario
        The scenario (targets; deferred channels are never judged here).
    centre : pandas.DataFrame
        The ``centre_demand`` table.
    simulation : Simulation
        The simulation of the plan.

    Returns
    -------
    pandas.DataFrame
        The ``verdict`` table (``VERDICT_COLUMNS``), in the order of ``centre``:
        an open interval of a live channel with simulated contacts is judged,
        and missed where answered within target / offered (as the channel's
        callbacks count them), summed over the replications, is below the
        channel's target.
    """
    pooled = simulation.intervals.groupby(["channel", "interval_start"], sort=False)[
        ["offered_counted", "within_counted"]].sum()
    parts = []
    for ch in scn.channels:
        rows = centre[centre["channel"] == ch.name]
        judged = np.zeros(len(rows), dtype=bool)
        sl = np.full(len(rows), np.nan)
        miss = np.zeros(len(rows), dtype=bool)
        if not ch.is_deferred:
            p = pooled.loc[ch.name].reindex(pd.DatetimeIndex(rows["interval_start"]))
            with np.errstate(divide="ignore", invalid="ignore"):
                sl = (p["within_counted"] / p["offered_counted"]).to_numpy()
            judged = rows["is_open"].to_numpy() & (p["offered_counted"].to_numpy() > 0)
            miss = judged & (sl < ch.service_level_target)
        parts.append(pd.DataFrame({"channel": ch.name,
                                   "interval_start": rows["interval_start"].reset_index(
                                       drop=True), "is_judged": judged,
                                   "service_level": np.where(judged, sl, np.nan),
                                   "is_miss": miss}))
    return pd.concat(parts, ignore_index=True)[list(VERDICT_COLUMNS)]


def _simulate(scn: Scenario, seen: pd.DataFrame, on_queue_by_group: pd.DataFrame,
              groups: dict[str, tuple[str, ...]], on_replication: Callable[[int], None] | None,
              executor: concurrent.futures.Executor | None = None, chunks: int = 1
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    settings = _simulator_channels(scn)
    forecast = seen[["channel", "interval_start", "offered", "aht_s"]]
    dedicated = (all(skills == (g,) for g, skills in groups.items())
                 and all(ch.concurrency == 1 for ch in scn.channels))
    kwargs: dict[str, Any] = {"interval_s": scn.interval_s, "channels": settings,
                              "n_replications": scn.n_replications, "seed": scn.seed}
    if dedicated:
        # One team per channel: the simulator's per-channel pools measure each channel's
        # occupancy interval by interval (shared-agent routing reports it per group only).
        coverage = on_queue_by_group.rename(columns={"group": "channel"})
    else:
        coverage = on_queue_by_group
        kwargs["groups"] = {g: GroupModel(skills=tuple(sk)) for g, sk in groups.items()}
        kwargs["channel_priority"] = [ch.name for ch in scn.channels]
    n = scn.n_replications
    if executor is None or chunks < 2 or n < 2:
        return simulate(forecast, coverage, on_replication=on_replication, **kwargs)
    # Replications split over workers: each keeps its own random stream (the simulator's
    # replications=), so the tables equal those of one run.
    parts = [list(range(n))[k::chunks] for k in range(min(chunks, n))]
    futures = [executor.submit(_simulate_chunk, forecast, coverage, part, kwargs)
               for part in parts]
    done = 0
    outputs = []
    for future, part in zip(futures, parts, strict=True):
        try:
            outputs.append(future.result())
        except Exception as err:  # name the replications, keep the reason
            raise ScenarioError(f"{scn.name}: replications {part} of the simulation failed "
                                f"on a worker: {type(err).__name__}: {err}") from err
        done += len(part)
        if on_replication is not None:
            on_replication(done)
    sim = pd.concat([o[0] for o in outputs], ignore_index=True)
    sim = sim.sort_values("replication", kind="stable").reset_index(drop=True)
    # The pipeline reads only the occupancy from the summary (per group, and per channel for
    # dedicated teams): the mean over all replications is the chunks' means weighted by their
    # replications.
    rows = []
    summaries = [o[1] for o in outputs]
    if all("kpi" in sm for sm in summaries):
        for kpi in ("group_occupancy", "occupancy"):
            for name in groups:
                means, weights = [], []
                for sm, part in zip(summaries, parts, strict=True):
                    hit = sm[(sm["kpi"] == kpi) & (sm["channel"] == name)]
                    if len(hit) and np.isfinite(float(hit["mean"].iloc[0])):
                        means.append(float(hit["mean"].iloc[0]))
                        weights.append(len(part))
                if means:
                    rows.append({"channel": name, "kpi": kpi,
                                 "mean": float(np.average(means, weights=weights)),
                                 "ci_low": np.nan, "ci_high": np.nan})
    return sim, pd.DataFrame(rows, columns=["channel", "kpi", "mean", "ci_low", "ci_high"])


def _simulate_chunk(forecast: pd.DataFrame, coverage: pd.DataFrame, replications: list[int],
                    kwargs: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Some replications of a simulation (runs in a worker process)."""
    return simulate(forecast, coverage, replications=replications, **kwargs)
