"""The pipeline: forecast -> requirements -> schedule -> simulation -> cost, for one scenario.

:func:`run_scenario` is the one place that knows the order of the stages;
the CLI (``ccplan run``, ``compare``, ``check``, ``demo``) and the dashboard
call it. Each stage is a public function of an engine package:

1. Demand (24x7, as it would arrive) per channel and interval: volumes per
   interval from a CSV, daily totals spread by an intraday profile, or
   :func:`forecasting.forecast` from a history file; then ``volume_scale``,
   ``aht_scale`` and ``channel_shift``.
2. Opening hours: :func:`closed_hours_demand` (contacts arriving while closed
   are lost, retry after the next opening, or go elsewhere). Deferred work
   (email) waits in its queue instead.
3. Requirements (agents on the queue): :func:`staffing.requirements`
   (Erlang C, or Erlang A with the channel's patience; chat concurrency) and
   :func:`staffing.deferred_requirements` for deferred work; 0 while closed.
4. Staffing: each agent group (one per channel unless ``agents:`` says
   otherwise; a channel belongs to the first group with its skill) needs the
   sum of its channels' requirements on the queue, raised by shrinkage.
   With ``shifts:`` the group's agents come from
   :func:`staffing.schedule_shifts` (groups are the pools); without, agents
   are paid interval by interval (a one-interval "shift" per interval, so
   the same pay rules and cost model apply). Agents on the queue = agents on
   duty x (1 - shrinkage), rounded down.
5. Simulation (``simulation.replications`` >= 2): :func:`simulator.simulate`
   with the groups' skills, the channels' patience and concurrency; the
   per-interval results get confidence intervals across replications. With
   ``staffing.method: simulation`` the intervals whose simulated service
   level misses the target get one more agent on the queue and the plan is
   re-staffed, for at most ``max_rounds`` rounds.
6. Cost: :func:`staffing.cost_report` per group; a group's cost is shared
   among its channels by workload (offered x AHT / concurrency).

Same scenario, same seed: identical tables (the scheduler runs with fixed
threads and seed).
"""

from __future__ import annotations

import concurrent.futures
import copy
import functools
import hashlib
import math
import warnings
from collections.abc import Callable
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecasting import ForecastingError
from forecasting import forecast as forecast_volumes
from simulator import ChannelModel, GroupModel, SimulatorError, mean_interval, simulate
from staffing import (
    PayRates,
    ScheduleRules,
    ShiftTemplate,
    StaffingError,
    clock_seconds,
    cost_report,
    deferred_requirements,
    queue_kpis,
    requirements,
    schedule_shifts,
)

from ._business_case import closed_hours_demand
from ._errors import InputFileError, ScenarioError
from ._history_files import read_history
from ._intervals import read_intervals_csv
from ._limits import MAX_FORECAST_GAP_DAYS, MAX_OFFERED_PER_INTERVAL, MAX_SIMULATED_CONTACTS
from ._result import (
    CHANNEL_COLUMNS,
    COST_BREAKDOWN_COLUMNS,
    INTERVAL_COLUMNS,
    TOTAL_COLUMNS,
    ScenarioResult,
    check_result,
)
from ._scenario import Scenario

Progress = Callable[[str], None]


def _ccplan_version() -> str:
    try:
        return version("ccplan")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# ---------------------------------------------------------------------------------------------
# 1-2. Demand
# ---------------------------------------------------------------------------------------------


def _grid(scn: Scenario) -> pd.DatetimeIndex:
    # Wall-clock intervals in the scenario's zone (a daylight-saving day has 23 or 25 hours:
    # the grid follows absolute time from local midnight of the first day).
    return pd.date_range(scn.start, periods=scn.n_intervals,
                         freq=pd.Timedelta(seconds=scn.interval_s))


def _local_days(grid: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Each interval's local date (naive midnight): zones that skip midnight have no
    tz-aware midnight to normalise to."""
    wall = grid.tz_localize(None) if grid.tz is not None else grid
    return wall.normalize()


def _daily_demand(scn: Scenario, spec: dict[str, Any], grid: pd.DatetimeIndex) -> np.ndarray:
    # The profile is read on the wall clock (09:00 is 09:00 on a clock-change day too): the
    # hour skipped in spring takes no weight, the hour repeated in autumn takes its weight
    # twice, and the day's total is then spread over the intervals the day really has.
    seconds = clock_seconds(grid)
    profile = spec["profile"]
    if profile == "flat":
        weight = np.ones(len(grid))
    else:
        keys = np.array(list(profile), dtype=float)
        values = np.array(list(profile.values()), dtype=float)
        # The weight of the last key at or before each instant, integrated over the interval.
        weight = np.zeros(len(grid))
        edges = np.r_[keys, 86400.0]
        for k in range(len(keys)):
            lo = np.maximum(seconds, edges[k])
            hi = np.minimum(seconds + scn.interval_s, edges[k + 1])
            weight += values[k] * np.clip(hi - lo, 0.0, None)
    days = _local_days(grid)
    out = np.zeros(len(grid))
    for day in days.unique():
        mask = days == day
        total = weight[mask].sum()
        daily = float(spec["daily"][int(day.day_of_week)])
        if total > 0:
            out[mask] = daily * weight[mask] / total
    return out


def _local_starts(path: Any, name: str, column: pd.Series, timezone: str) -> pd.DatetimeIndex:
    """A volumes file's ``interval_start`` on the scenario's local clock.

    Times with UTC offsets are converted (they may differ across a clock change); times
    without are local wall-clock times: the hour repeated when the clocks go back is told
    apart by the order of the rows, and times the clocks skip become NaT.
    """
    try:
        starts = pd.DatetimeIndex(pd.to_datetime(column))
    except (ValueError, TypeError):
        try:   # e.g. +01:00 and +00:00 in one file: the instants are exact in UTC
            starts = pd.DatetimeIndex(pd.to_datetime(column, utc=True))
        except (ValueError, TypeError) as err:
            raise InputFileError(f"{path}: channel {name!r}: interval_start must be date-times "
                                 f"such as 2026-03-02 09:00 ({err}).") from None
    if starts.tz is not None:
        return starts.tz_convert(timezone)
    try:
        return starts.tz_localize(timezone, ambiguous="infer", nonexistent="NaT")
    except (ValueError, TypeError) as err:   # pytz/zoneinfo AmbiguousTimeError is a ValueError
        raise InputFileError(
            f"{path}: channel {name!r}: the local times repeated when the clocks of {timezone} "
            f"go back cannot be told apart ({err}). Write interval_start with its UTC offset "
            "(e.g. 2026-10-25T01:00+01:00 and 2026-10-25T01:00+00:00), or the rows in time "
            "order.") from None


def _file_demand(scn: Scenario, name: str, path: Any, grid: pd.DatetimeIndex,
                 aht_s: float) -> tuple[np.ndarray, np.ndarray]:
    table = read_intervals_csv(path, aht_s)
    if "interval_start" not in table.columns:
        raise InputFileError(f"{path}: needs an interval_start column (one row per interval of "
                             f"the horizon {grid[0]} .. {grid[-1]}).")
    if "channel" in table.columns:
        table = table[table["channel"].astype(str) == name]
    starts = _local_starts(path, name, table["interval_start"], scn.timezone)
    offered = table["offered"].to_numpy(dtype=float)
    gone = np.asarray(starts.isna())
    if (gone & (offered > 0)).any():
        when = table["interval_start"].iloc[int(np.flatnonzero(gone & (offered > 0))[0])]
        raise InputFileError(
            f"{path}: channel {name!r} has contacts at {when}, a time the clocks of "
            f"{scn.timezone} skip (a clock change). Move them to a time that exists, or give "
            "interval_start with its UTC offset.")
    series = pd.DataFrame({"offered": offered, "aht_s": table["aht_s"].to_numpy(dtype=float)},
                          index=starts)[~gone]
    dup = series.index.duplicated(keep="first")
    if dup.any():
        raise InputFileError(
            f"{path}: channel {name!r} has more than one row for {series.index[dup][0]}. Give "
            "each interval once (on the day the clocks go back, write the repeated hour with "
            "its UTC offset, or its two rows in time order).")
    series = series.reindex(grid)
    missing = series["offered"].isna().to_numpy()
    if missing.any():
        first = grid[int(np.flatnonzero(missing)[0])]
        raise InputFileError(
            f"{path}: channel {name!r} has no volume for {int(missing.sum())} interval(s) of the "
            f"horizon, the first {first:%a %Y-%m-%d %H:%M}. Give every interval (0 where no "
            "contacts are expected): missing data is never read as zero.")
    aht = series["aht_s"].to_numpy(dtype=float)
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, aht_s)
    return series["offered"].to_numpy(dtype=float), aht


def _channel_forecast(scn: Scenario, name: str, spec: dict[str, Any]
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The channel's history and its forecast over the scenario's horizon (with the interval)."""
    path = spec["path"]
    key = (str(Path(path).resolve()), hashlib.sha256(Path(path).read_bytes()).hexdigest(), name)
    history = _history_cached(*key).copy()
    grid = _grid(scn)
    last = pd.Timestamp(pd.to_datetime(history["interval_start"]).max())
    naive_start = grid[0].tz_localize(None)
    last = last.tz_convert(scn.timezone).tz_localize(None) if last.tz is not None else last
    first_needed = last + pd.Timedelta(seconds=scn.interval_s)
    if naive_start < first_needed:
        raise InputFileError(
            f"{path}: the history runs to {last}, but the scenario's horizon starts "
            f"{naive_start}. Start the horizon after the history ({first_needed:%Y-%m-%d}), "
            "or give volumes with volume: {file: ...}.")
    gap = naive_start - first_needed
    if gap > pd.Timedelta(days=MAX_FORECAST_GAP_DAYS):
        raise InputFileError(
            f"{scn.path}: channels.{name}.volume.history: {path} runs to {last}, but the "
            f"scenario's horizon starts {naive_start:%Y-%m-%d}, {gap.days:,} days later; "
            f"ccplan forecasts at most {MAX_FORECAST_GAP_DAYS} days past the end of a "
            "history. Give a newer history, start the horizon earlier (horizon.start), or "
            "give volumes with volume: {file: ...}.")
    # The forecast runs on the history's wall clock (no clock changes); each interval of the
    # horizon takes the forecast of its local wall-clock time. So across a clock change the
    # profile stays on the clock (09:00 stays 09:00): the hour skipped in spring has no row,
    # and the hour repeated in autumn takes that wall-clock time's forecast twice.
    wall = grid.tz_localize(None)
    step = pd.Timedelta(seconds=scn.interval_s)
    n_steps = int(round((wall.max() - first_needed) / step)) + 1
    full = _forecast_cached(*key, n_steps, scn.interval_s, spec["method"],
                            scn.holiday_country, scn.holiday_subdivision).copy()
    full.attrs = copy.deepcopy(full.attrs)
    methods = full.attrs.get("methods", {})
    times = pd.DatetimeIndex(pd.to_datetime(full["interval_start"]))
    if times.tz is not None:
        times = times.tz_convert(scn.timezone).tz_localize(None)
    pos = times.get_indexer(wall)
    if (pos < 0).any():
        missing = wall[pos < 0][0]
        raise InputFileError(f"{path}: the forecast of channel {name!r} has no value for "
                             f"{missing} (local time); the history's intervals must be "
                             f"{scn.interval_s:g} s apart on the wall clock, as the scenario's.")
    fc = full.iloc[pos].reset_index(drop=True)
    fc.attrs["methods"] = methods
    return history, fc


@functools.lru_cache(maxsize=16)
def _history_cached(path: str, digest: str, name: str) -> pd.DataFrame:
    """A channel's rows of a history file, read once per content (``digest``); callers copy."""
    history = read_history(Path(path), channel=name)
    history = history[history["channel"].astype(str) == name] if "channel" in history else history
    if history.empty:
        raise InputFileError(f"{path}: no rows for channel {name!r}. Name the channel in a "
                             "'channel' column or leave the column out.")
    return history


@functools.lru_cache(maxsize=16)
def _forecast_cached(path: str, digest: str, name: str, horizon: int,
                     interval_s: float, method: str, country: str | None,
                     subdivision: str | None) -> pd.DataFrame:
    """The forecast of a history file, remembered while the file is unchanged.

    Knobs such as volume or AHT scale leave the forecast as it is; the
    dashboard then re-forecasts only when the file, the horizon or the method
    change. Keyed on the file's path and the SHA-256 of its bytes; callers
    get a copy.
    """
    history = _history_cached(path, digest, name)
    return forecast_volumes(history, horizon, interval_s=interval_s, method=method,
                            country=country, subdivision=subdivision)


def _history_demand(scn: Scenario, name: str, spec: dict[str, Any], grid: pd.DatetimeIndex,
                    aht_s: float) -> tuple[np.ndarray, np.ndarray]:
    _history, fc = _channel_forecast(scn, name, spec)
    offered = fc["offered"].to_numpy(dtype=float)
    aht = fc["aht_s"].to_numpy(dtype=float) if "aht_s" in fc else np.full(len(fc), aht_s)
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, aht_s)
    return np.clip(offered, 0.0, None), aht


def scenario_forecast(scn: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """History and forecast of the channels whose volumes come from a history file.

    Parameters
    ----------
    scn : Scenario
        The scenario.

    Returns
    -------
    history : pandas.DataFrame
        ``channel``, ``interval_start`` (as in the file), ``offered``
        (contacts; NaN where missing).
    forecast : pandas.DataFrame
        ``channel``, ``interval_start``, ``offered``, ``offered_lo``,
        ``offered_hi`` (the 80% prediction interval, contacts) over the
        scenario's horizon, before ``volume_scale`` and ``channel_shift``;
        ``attrs["methods"]`` holds, per channel, the method used and the
        backtest scores that chose it. Both empty when no channel forecasts.
    """
    histories, forecasts, methods = [], [], {}
    for ch in scn.channels:
        if ch.volume["kind"] != "history":
            continue
        history, fc = _channel_forecast(scn, ch.name, ch.volume)
        histories.append(history[["channel", "interval_start", "offered"]].assign(
            channel=ch.name))
        forecasts.append(fc[["channel", "interval_start", "offered", "offered_lo",
                             "offered_hi"]].assign(channel=ch.name))
        methods.update(fc.attrs.get("methods", {}))
    if not forecasts:
        empty = pd.DataFrame(columns=["channel", "interval_start", "offered"])
        return empty, empty.assign(offered_lo=[], offered_hi=[])
    out = pd.concat(forecasts, ignore_index=True)
    out.attrs["methods"] = methods
    return pd.concat(histories, ignore_index=True), out


def scenario_demand(scn: Scenario) -> pd.DataFrame:
    """The demand as it would arrive 24x7: the ``forecast`` table of the scenario.

    Parameters
    ----------
    scn : Scenario
        The scenario.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start`` (tz-aware), ``offered`` (contacts),
        ``aht_s`` (s), after ``volume_scale``, ``aht_scale`` and
        ``channel_shift``; channels in file order.
    """
    grid = _grid(scn)
    offered: dict[str, np.ndarray] = {}
    aht: dict[str, np.ndarray] = {}
    for ch in scn.channels:
        kind = ch.volume["kind"]
        if kind == "daily":
            offered[ch.name] = _daily_demand(scn, ch.volume, grid)
            aht[ch.name] = np.full(len(grid), ch.aht_s)
        elif kind == "file":
            # ch.aht_s is already scaled; the file's own handle times get the same scale.
            o, a = _file_demand(scn, ch.name, ch.volume["path"], grid,
                                ch.aht_s / scn.aht_scale)
            offered[ch.name], aht[ch.name] = o, a * scn.aht_scale
        else:
            o, a = _history_demand(scn, ch.name, ch.volume, grid, ch.aht_s / scn.aht_scale)
            offered[ch.name], aht[ch.name] = o, a * scn.aht_scale
        offered[ch.name] = offered[ch.name] * scn.volume_scale
    for src, dst, share in scn.channel_shift:
        moved = offered[src] * share
        offered[src] = offered[src] - moved
        offered[dst] = offered[dst] + moved
    parts = [pd.DataFrame({"channel": ch.name, "interval_start": grid,
                           "offered": offered[ch.name], "aht_s": aht[ch.name]})
             for ch in scn.channels]
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# 3-4. Requirements and staffing
# ---------------------------------------------------------------------------------------------


def _groups(scn: Scenario) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    groups = scn.groups or {ch.name: (ch.name,) for ch in scn.channels}
    home: dict[str, str] = {}
    for g, skills in groups.items():
        for c in skills:
            home.setdefault(c, g)
    return groups, home


def _requirements(scn: Scenario, seen: pd.DataFrame, extra: dict[str, np.ndarray]
                  ) -> pd.DataFrame:
    parts = []
    for ch in scn.channels:
        rows = seen[seen["channel"] == ch.name].reset_index(drop=True)
        is_open = rows["is_open"].to_numpy()
        if ch.is_deferred:
            try:
                plan = deferred_requirements(rows["offered"].to_numpy(), scn.interval_s,
                                             rows["aht_s"].to_numpy(), ch.answer_within_s,
                                             is_open=is_open)
            except StaffingError as err:
                raise ScenarioError(f"{scn.path}: channel {ch.name!r}: {err}") from None
            need = plan["agents_required"].to_numpy(dtype=np.int64)
        else:
            patience = ch.mean_patience_s if scn.method != "erlang_c" else None
            try:
                req = requirements(rows[["channel", "interval_start", "offered", "aht_s"]],
                                   interval_s=scn.interval_s,
                                   service_level_target=ch.service_level_target,
                                   answer_within_s=ch.answer_within_s,
                                   mean_patience_s=patience, max_occupancy=ch.max_occupancy,
                                   concurrency=ch.concurrency)
            except StaffingError as err:
                raise ScenarioError(f"{scn.path}: channel {ch.name!r}: {err}") from None
            need = req["agents_required"].to_numpy(dtype=np.int64)
        need = np.where(is_open, need + extra.get(ch.name, 0), 0).astype(np.int64)
        parts.append(pd.DataFrame({"channel": ch.name, "interval_start": rows["interval_start"],
                                   "agents_required": need}))
    return pd.concat(parts, ignore_index=True)


def _check_work(scn: Scenario, demand: pd.DataFrame, seen: pd.DataFrame,
                is_open: np.ndarray) -> None:
    """Refuse demand no plan can serve, and work too large to run, before staffing.

    Raises
    ------
    InputFileError
        The centre is closed for the whole horizon while contacts arrive; a channel's
        interval holds more than ``MAX_OFFERED_PER_INTERVAL`` contacts (or a non-finite
        number); the simulation would generate more than ``MAX_SIMULATED_CONTACTS``.
    """
    totals = demand.groupby("channel", sort=False)["offered"].sum()
    asked = [(name, float(totals.get(name, 0.0))) for name in (c.name for c in scn.channels)]
    asked = [(name, total) for name, total in asked if total > 0]
    if asked and not np.asarray(is_open).any():
        end = scn.start + pd.Timedelta(seconds=scn.n_intervals * scn.interval_s)
        closed = " and public holidays" if scn.hours.holidays else ""
        which = ", ".join(f"{name} ({total:,.0f})" for name, total in asked)
        raise InputFileError(
            f"{scn.path}: hours: the centre is never open from {scn.start:%a %Y-%m-%d %H:%M} "
            f"to {end:%a %Y-%m-%d %H:%M} (hours {scn.hours.name}{closed}), but contacts "
            f"arrive on {which}: nothing would be answered or staffed. Open the hours on a day "
            "of the horizon (e.g. hours: 24x7 or {Mon-Fri: \"08:00-20:00\"}), or move the "
            "horizon.")
    served = seen[seen["is_open"]].groupby("channel", sort=False)["offered"].sum()
    for name, total in asked:
        if not float(served.get(name, 0.0)) > 0:
            warnings.warn(
                f"{scn.path}: channels.{name}: all its {total:,.0f} contacts arrive while the "
                f"centre is closed and none come back in open hours (out_of_hours: lost_share "
                f"{scn.lost_share:g}, retry_share {scn.retry_share:g}): the plan offers it "
                "nothing. Set out_of_hours.retry_share, or open the hours when it arrives.",
                UserWarning, stacklevel=3)
    offered = seen["offered"].to_numpy(dtype=float)
    bad = ~np.isfinite(offered) | (offered > MAX_OFFERED_PER_INTERVAL)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        row = seen.iloc[k]
        raise InputFileError(
            f"{scn.path}: channels.{row['channel']}.volume gives "
            f"{f'{offered[k]:,.0f}' if np.isfinite(offered[k]) else offered[k]} contacts in "
            f"the interval starting {pd.Timestamp(row['interval_start']):%a %Y-%m-%d %H:%M} "
            f"(volume_scale {scn.volume_scale:g} applied); at most "
            f"{MAX_OFFERED_PER_INTERVAL:,.0f} per channel and interval. Check the volumes (a "
            "misplaced decimal point?) and volume_scale.")
    if scn.n_replications >= 2:
        rounds = scn.max_rounds if scn.method == "simulation" else 1
        contacts = float(offered.sum()) * scn.n_replications * rounds
        if contacts > MAX_SIMULATED_CONTACTS:
            per = f" x {rounds} rounds (method: simulation)" if rounds > 1 else ""
            raise InputFileError(
                f"{scn.path}: simulation.replications: {scn.n_replications} replications of "
                f"{offered.sum():,.0f} offered contacts{per} would simulate {contacts:,.0f} "
                f"contacts; at most {MAX_SIMULATED_CONTACTS:,.0f}. Use fewer replications, a "
                "shorter horizon, or replications: 0 (analytic).")


def _interval_template(scn: Scenario, rates: PayRates) -> ShiftTemplate:
    # Interval staffing pays the 'agent' rate (the loader requires it without shifts, and
    # Scenario.analytic supplies it from the first template with them).
    if "agent" not in rates.hourly_rates:
        known = ", ".join(rates.hourly_rates) or "none"
        raise ScenarioError(f"{scn.path}: pay.hourly_rates has no 'agent' rate (found: "
                            f"{known}); interval staffing pays every agent that rate. Add it, "
                            "e.g. hourly_rates: {agent: 20}.")
    return ShiftTemplate("interval", scn.interval_s, 0.0, 86400.0 - scn.interval_s,
                         start_step_s=scn.interval_s, agent_type="agent")


def _schedule(scn: Scenario, group_req: pd.DataFrame, open_intervals: pd.DatetimeIndex):
    if scn.shift_rules is not None:
        sr = scn.shift_rules
        rules = replace(sr.rules, blend=False, shrinkage=scn.shrinkage)
        try:
            return schedule_shifts(group_req, list(sr.templates), interval_s=scn.interval_s,
                                   rules=rules, rates=sr.rates, open_intervals=open_intervals)
        except StaffingError as err:
            raise ScenarioError(f"{scn.path}: {err}") from None
    rules = ScheduleRules(coverage="hard", blend=False, shrinkage=scn.shrinkage,
                          mip_rel_gap=0.0)
    return schedule_shifts(group_req, [_interval_template(scn, scn.rates)],
                           interval_s=scn.interval_s, rules=rules, rates=scn.rates,
                           open_intervals=open_intervals)


def _allocate(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split each column's total over the rows by weight (equal split where weights are 0)."""
    w = np.asarray(weights, dtype=float)
    s = w.sum(axis=0, keepdims=True)
    even = np.full_like(w, 1.0 / w.shape[0])
    share = np.where(s > 0, w / np.where(s > 0, s, 1.0), even)
    return share * total[None, :]


# ---------------------------------------------------------------------------------------------
# 5. Simulation
# ---------------------------------------------------------------------------------------------


def _simulate(scn: Scenario, seen: pd.DataFrame, on_queue_by_group: pd.DataFrame,
              groups: dict[str, tuple[str, ...]], on_replication: Callable[[int], None] | None,
              executor: concurrent.futures.Executor | None = None, chunks: int = 1
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    settings = {ch.name: ChannelModel(
        answer_within_s=ch.answer_within_s,
        mean_patience_s=None if ch.is_deferred else ch.mean_patience_s,
        concurrency=ch.concurrency) for ch in scn.channels}
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


# ---------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------


def _names_the_file(run: Callable[..., ScenarioResult]) -> Callable[..., ScenarioResult]:
    """Every error a scenario's run raises names its file.

    A :class:`ScenarioError` that does not name it gets ``<file>: scenario
    '<name>': `` in front; an error the engines raise on purpose
    (``StaffingError``, ``SimulatorError``, ``ForecastingError``) becomes a
    :class:`ScenarioError` with the same prefix and its own message.
    """

    @functools.wraps(run)
    def named(scn: Scenario, *args: Any, **kwargs: Any) -> ScenarioResult:
        try:
            return run(scn, *args, **kwargs)
        except ScenarioError as err:
            if str(scn.path) in str(err):
                raise
            raise type(err)(f"{scn.path}: scenario {scn.name!r}: {err}") from err
        except (StaffingError, SimulatorError, ForecastingError) as err:
            raise ScenarioError(f"{scn.path}: scenario {scn.name!r}: {err}") from err

    return named


@_names_the_file
def run_scenario(scn: Scenario, *, on_stage: Progress | None = None,
                 on_replication: Callable[[int], None] | None = None,
                 executor: concurrent.futures.Executor | None = None,
                 chunks: int = 1) -> ScenarioResult:
    """Run one scenario through forecast, requirements, schedule, simulation and cost.

    Parameters
    ----------
    scn : Scenario
        From :func:`load_scenarios` or :meth:`Scenario.from_yaml`.
    on_stage : callable, optional
        Called with the name of each stage as it starts (progress display).
    on_replication : callable, optional
        Called with the number of replications done (progress display).
    executor : concurrent.futures.Executor, optional
        Where to run the simulation's replications, split into ``chunks``
        parts (a process pool, or a Dask client's ``get_executor()``). The
        tables are the same as without: each replication keeps its stream.
    chunks : int, optional
        Parts the replications are split into (the executor's workers).

    Returns
    -------
    ScenarioResult
        The tables and summary described in :mod:`scenarios._result`.

    Raises
    ------
    ScenarioError
        A stage failed; the message names the file and what to change
        (e.g. an unreachable target, a schedule that cannot meet the rules).
    """
    step = on_stage or (lambda _name: None)
    groups, home = _groups(scn)
    step("demand")
    demand = scenario_demand(scn)
    grid = _grid(scn)
    is_open_grid = scn.hours.is_open(grid, scn.interval_s)
    deferred = {ch.name for ch in scn.channels if ch.is_deferred}
    live = demand[~demand["channel"].isin(deferred)]
    parts = []
    if not live.empty:
        # Whole weeks repeat (retries of Sunday night land on Monday morning).
        wrap = len(_local_days(grid).unique()) % 7 == 0
        seen_live, _flows = closed_hours_demand(
            live, scn.hours, interval_s=scn.interval_s, retry_share=scn.retry_share,
            lost_share=scn.lost_share, retry_spread_s=scn.retry_spread_s, wrap_around=wrap)
        seen_live = seen_live[["channel", "interval_start", "offered", "aht_s", "is_open"]]
        seen_live = seen_live.assign(arrived=_flows["arrived"].to_numpy(),
                                     lost_closed=_flows["lost_closed"].to_numpy())
        parts.append(seen_live)
    for ch in scn.channels:
        if ch.name in deferred:
            rows = demand[demand["channel"] == ch.name].copy()
            rows["is_open"] = is_open_grid
            rows["arrived"] = rows["offered"]
            rows["lost_closed"] = 0.0
            parts.append(rows)
    order = {ch.name: i for i, ch in enumerate(scn.channels)}
    seen = pd.concat(parts, ignore_index=True)
    _check_work(scn, demand, seen, is_open_grid)
    seen = seen.sort_values(["channel", "interval_start"], key=lambda s: s.map(order)
                            if s.name == "channel" else s, kind="stable").reset_index(drop=True)
    channels = [ch.name for ch in scn.channels]
    n = scn.n_intervals
    open_any = pd.DatetimeIndex(seen.loc[seen["is_open"], "interval_start"].unique())

    extra: dict[str, np.ndarray] = {}
    rounds = scn.max_rounds if scn.method == "simulation" else 1
    for round_no in range(rounds):
        step("requirements")
        req = _requirements(scn, seen, extra)
        need = req["agents_required"].to_numpy().reshape(len(channels), n)
        group_need = np.array([need[[channels.index(c) for c in channels if home[c] == g]]
                               .sum(axis=0) for g in groups])
        group_req = pd.DataFrame({
            "channel": np.repeat(list(groups), n),
            "interval_start": np.tile(grid, len(groups)),
            "agents_required": group_need.ravel()})
        step("schedule")
        sched = _schedule(scn, group_req, open_any)
        cov = sched.coverage.set_index(["channel", "interval_start"])["agents_scheduled"]
        on_duty = np.array([cov.loc[g].reindex(grid).to_numpy(dtype=float) for g in groups])
        on_queue = np.floor(on_duty * (1.0 - scn.shrinkage) + 1e-9)
        # Each channel's share of its home group's agents, by requirement (then workload).
        alloc = np.zeros((len(channels), n))
        for gi, g in enumerate(groups):
            rows = [channels.index(c) for c in channels if home[c] == g]
            load = (seen["offered"].to_numpy() * seen["aht_s"].to_numpy()).reshape(
                len(channels), n)[rows]
            weights = np.where(need[rows].sum(axis=0, keepdims=True) > 0, need[rows], load)
            alloc[rows] = _allocate(on_queue[gi], weights)
        on_queue_table = pd.DataFrame({"group": np.repeat(list(groups), n),
                                       "interval_start": np.tile(grid, len(groups)),
                                       "agents_on_queue": on_queue.ravel().astype(np.int64)})
        sim = sim_summary = None
        if scn.n_replications >= 2:
            step("simulation")
            sim, sim_summary = _simulate(scn, seen, on_queue_table, groups, on_replication,
                                         executor, chunks)
        if scn.method != "simulation" or sim is None or round_no == rounds - 1:
            break
        misses = _misses(scn, seen, sim, channels, n)
        if not misses.any():
            break
        for ci, c in enumerate(channels):
            extra[c] = extra.get(c, np.zeros(n, dtype=np.int64)) + misses[ci].astype(np.int64)

    step("cost")
    return _result(scn, seen, req, sched, alloc, sim, sim_summary, on_queue, groups, home,
                   channels, grid)


def _misses(scn: Scenario, seen: pd.DataFrame, sim: pd.DataFrame, channels: list[str],
            n: int) -> np.ndarray:
    """Open intervals whose pooled simulated service level is below the channel's target."""
    pooled = sim.groupby(["channel", "interval_start"], sort=False)[
        ["offered", "answered_within_target"]].sum()
    out = np.zeros((len(channels), n), dtype=bool)
    for ci, ch in enumerate(scn.channels):
        if ch.is_deferred:
            continue
        rows = seen[seen["channel"] == ch.name]
        p = pooled.loc[ch.name].reindex(pd.DatetimeIndex(rows["interval_start"]))
        with np.errstate(divide="ignore", invalid="ignore"):
            sl = (p["answered_within_target"] / p["offered"]).to_numpy()
        out[ci] = rows["is_open"].to_numpy() & (p["offered"].to_numpy() > 0) & (
            sl < ch.service_level_target)
    return out


def _result(scn: Scenario, seen: pd.DataFrame, req: pd.DataFrame, sched: Any,
            alloc: np.ndarray, sim: pd.DataFrame | None, sim_summary: pd.DataFrame | None,
            on_queue: np.ndarray, groups: dict[str, tuple[str, ...]], home: dict[str, str],
            channels: list[str], grid: pd.DatetimeIndex) -> ScenarioResult:
    n = len(grid)
    k = len(channels)
    specs = {ch.name: ch for ch in scn.channels}
    offered = seen["offered"].to_numpy(dtype=float).reshape(k, n)
    aht = seen["aht_s"].to_numpy(dtype=float).reshape(k, n)
    is_open = seen["is_open"].to_numpy(dtype=bool).reshape(k, n)
    need = req["agents_required"].to_numpy().reshape(k, n)

    # Analytic prediction at the agents each channel gets.
    sl_e = np.full((k, n), np.nan)
    asa_e = np.full((k, n), np.nan)
    ab_e = np.full((k, n), np.nan)
    occ_e = np.full((k, n), np.nan)
    handled_e = np.zeros((k, n))       # analytic contacts handled (deferred: within capacity)
    # Deferred work is judged only where its deadline falls inside the horizon: contacts of
    # interval i are due by the end of interval i + floor(target / interval) - 1 (the rule of
    # staffing.deferred_requirements); later ones are neither met nor missed in this plan.
    judged = np.ones((k, n), dtype=bool)
    for ci, c in enumerate(channels):
        if specs[c].is_deferred:
            due = int(np.floor(specs[c].answer_within_s / scn.interval_s + 1e-9))
            judged[ci] = np.arange(n) + due - 1 < n
    for ci, c in enumerate(channels):
        ch = specs[c]
        agents = np.floor(alloc[ci] + 1e-9)
        if ch.is_deferred:
            plan = deferred_requirements(offered[ci], scn.interval_s, aht[ci],
                                         ch.answer_within_s, is_open=is_open[ci],
                                         agents=agents.astype(np.int64))
            met = plan["deadline_met"].to_numpy(dtype=float)
            sl_e[ci] = np.where((offered[ci] > 0) & judged[ci], met, np.nan)
            ab_e[ci] = np.where(offered[ci] > 0, 0.0, np.nan)
            handled_e[ci] = plan["handled"].to_numpy(dtype=float)
            # Busy share of the agents' time: the work done in the interval (each contact at
            # the handle time of the interval it arrived in) over their time.
            work = plan["handled_work_s"].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                occ_e[ci] = np.where(agents > 0, work / ch.concurrency
                                     / (agents * scn.interval_s), np.nan)
            continue
        patience = ch.mean_patience_s if scn.method != "erlang_c" else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            kp = queue_kpis(agents.astype(np.int64), offered[ci], scn.interval_s, aht[ci],
                            ch.answer_within_s, patience, concurrency=ch.concurrency)
        has = offered[ci] > 0
        nobody = has & (agents == 0)
        sl_e[ci] = np.where(has, np.where(nobody, 0.0, kp["service_level"].to_numpy()), np.nan)
        asa_e[ci] = np.where(has, np.where(nobody, np.nan, kp["asa_s"].to_numpy()), np.nan)
        ab = kp["abandon_rate"].to_numpy() if "abandon_rate" in kp else np.zeros(n)
        ab_e[ci] = np.where(has, np.where(nobody, 1.0, ab), np.nan)
        occ_e[ci] = np.where(agents > 0, kp["occupancy"].to_numpy(), np.nan)
        handled_e[ci] = offered[ci] * (1.0 - np.nan_to_num(ab_e[ci]))

    cols: dict[str, np.ndarray] = {}
    if sim is not None:
        sim = sim.sort_values(["replication", "channel", "interval_start"], key=lambda s: s.map(
            {c: i for i, c in enumerate(channels)}) if s.name == "channel" else s, kind="stable")
        reps = sorted(sim["replication"].unique())
        r = len(reps)

        def cube(col: str) -> np.ndarray:
            return sim[col].to_numpy(dtype=float).reshape(r, k, n)
        off_s = cube("offered")
        with np.errstate(divide="ignore", invalid="ignore"):
            sl_r = np.where((off_s > 0) & judged[None], cube("answered_within_target") / off_s,
                            np.nan)
            ab_r = np.where(off_s > 0, cube("abandoned") / off_s, np.nan)
            asa_r = np.where(cube("answered") > 0, cube("asa_s"), np.nan)
        counted = {"service_level": np.where(judged[None], off_s, 0.0).sum(axis=0),
                   "asa_s": None, "abandon_rate": off_s.sum(axis=0)}
        for name, values, kind in (("service_level", sl_r, "fraction"),
                                   ("asa_s", asa_r, "nonnegative"),
                                   ("abandon_rate", ab_r, "fraction")):
            mean, lo, hi = mean_interval(values, kind=kind, n_contacts=counted[name])
            cols[name], cols[name + "_low"], cols[name + "_high"] = mean, lo, hi
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # intervals with no agents: NaN
            cols["mean_queue"] = np.nanmean(cube("mean_queue"), axis=0)
            occ_sim = np.nanmean(cube("occupancy"), axis=0)
        # Simulated where the simulator measures it per channel (dedicated teams); with shared
        # agents it measures groups only, and the channel's analytic occupancy stands in.
        cols["occupancy"] = np.where(np.isfinite(occ_sim), occ_sim, occ_e)
    else:
        cols["service_level"], cols["asa_s"], cols["abandon_rate"] = sl_e, asa_e, ab_e
        for name in ("service_level", "asa_s", "abandon_rate"):
            cols[name + "_low"] = np.full((k, n), np.nan)
            cols[name + "_high"] = np.full((k, n), np.nan)
        cols["mean_queue"] = np.full((k, n), np.nan)
        cols["occupancy"] = occ_e

    # Cost: the schedule priced per group, shared among the group's channels by workload.
    workload = []
    for g in groups:
        rows = [channels.index(c) for c in channels if home[c] == g]
        load = (offered[rows] * aht[rows] / np.array(
            [specs[channels[i]].concurrency for i in rows])[:, None]).sum(axis=0)
        workload.append(pd.DataFrame({"channel": g, "interval_start": grid,
                                      "offered": offered[rows].sum(axis=0),
                                      "aht_s": np.where(offered[rows].sum(axis=0) > 0,
                                                        load / np.maximum(
                                                            offered[rows].sum(axis=0), 1e-12),
                                                        1.0)}))
    report = cost_report(sched, pd.concat(workload, ignore_index=True))
    by_int = report.by_interval.set_index(["channel", "interval_start"])["cost"]
    cost = np.zeros((k, n))
    for g in groups:
        rows = [channels.index(c) for c in channels if home[c] == g]
        load = offered[rows] * aht[rows] / np.array(
            [specs[channels[i]].concurrency for i in rows])[:, None]
        total = by_int.loc[g].reindex(grid).to_numpy(dtype=float)
        fallback = load.sum(axis=1, keepdims=True) * np.ones((1, n))
        weights = np.where(load.sum(axis=0, keepdims=True) > 0, load, fallback)
        cost[rows] = _allocate(total, weights)

    intervals = pd.DataFrame({
        "scenario": scn.name,
        "channel": np.repeat(channels, n),
        "interval_start": np.tile(grid, k),
        "is_open": is_open.ravel(),
        "offered": offered.ravel(), "aht_s": aht.ravel(),
        "agents_required": need.ravel().astype(np.int64),
        "agents_on_queue": alloc.ravel(),
        "service_level_erlang": sl_e.ravel(), "asa_s_erlang": asa_e.ravel(),
        "abandon_rate_erlang": ab_e.ravel(),
        **{name: np.asarray(cols[name]).ravel() for name in (
            "service_level", "service_level_low", "service_level_high", "asa_s", "asa_s_low",
            "asa_s_high", "abandon_rate", "abandon_rate_low", "abandon_rate_high",
            "mean_queue", "occupancy")},
        "cost": cost.ravel(),
    })[list(INTERVAL_COLUMNS)]

    ch_rows = []
    summary_s = sched.summary
    horizon_days = n * scn.interval_s / 86400.0
    for ci, c in enumerate(channels):
        ch = specs[c]
        off = float(offered[ci].sum())
        m = _channel_measures(sim, c, off, offered[ci], handled_e[ci], sl_e[ci], asa_e[ci],
                              ab_e[ci], occ_e[ci], np.floor(alloc[ci] + 1e-9),
                              _summary_value(sim_summary, "occupancy", c), grid[judged[ci]])
        meets = _share_meeting(cols["service_level"][ci], is_open[ci], offered[ci],
                               ch.service_level_target)
        c_cost = float(cost[ci].sum())
        ch_rows.append({
            "scenario": scn.name, "channel": c, "offered": off, **m,
            "service_level_target": ch.service_level_target,
            "answer_within_s": ch.answer_within_s, "open_intervals_meeting_target": meets,
            "cost": c_cost, "cost_per_contact": c_cost / off if off > 0 else np.nan,
            "cost_per_handled": c_cost / m["handled"] if m["handled"] > 0 else np.nan})
    channels_t = pd.DataFrame(ch_rows)[list(CHANNEL_COLUMNS)]
    off_all = float(channels_t["offered"].sum())
    handled_all = float(channels_t["handled"].sum())

    def weighted(col: str, w: str) -> float:
        v = channels_t[col].to_numpy(dtype=float)
        ww = channels_t[w].to_numpy(dtype=float)
        ok = np.isfinite(v) & (ww > 0)
        return float(np.sum(v[ok] * ww[ok]) / np.sum(ww[ok])) if ok.any() else float("nan")

    live_rows = channels_t[~channels_t["channel"].isin(
        [c for c in channels if specs[c].is_deferred])]
    asa_v = live_rows["asa_s"].to_numpy(dtype=float)
    asa_w = live_rows["handled"].to_numpy(dtype=float)
    ok = np.isfinite(asa_v) & (asa_w > 0)
    # ASA over the channels answered live: deferred work's hours-long waits are not averaged in.
    live_asa = float(np.sum(asa_v[ok] * asa_w[ok]) / np.sum(asa_w[ok])) if ok.any() else np.nan
    total_cost = float(report.summary["cost"])
    weekly = total_cost * 7.0 / horizon_days
    annual = total_cost * 365.25 / horizon_days
    budget = np.nan
    period = ""
    vs = np.nan
    if scn.budget is not None:
        budget, period = scn.budget
        vs = (weekly if period == "week" else annual) / budget if budget > 0 else np.inf
    sl_all = cols["service_level"]
    meets_all = _share_meeting(sl_all.ravel(), is_open.ravel(), offered.ravel(),
                               np.repeat([specs[c].service_level_target for c in channels], n))
    has_shifts = scn.shift_rules is not None
    totals = pd.DataFrame([{
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

    bd = report.breakdown
    bd = bd[bd["item"] != "total"]
    cost_breakdown = pd.DataFrame({
        "scenario": scn.name, "group": bd["view"].to_numpy(),
        "component": bd["item"].to_numpy(), "amount": bd["cost"].to_numpy(dtype=float),
        "share": bd["share"].to_numpy(dtype=float)})[list(COST_BREAKDOWN_COLUMNS)]
    shifts = (sched.shifts.copy() if has_shifts else
              pd.DataFrame(columns=["shift_id", "template", "shift_start", "duration_s",
                                    "headcount"]))
    summary = {
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
        "overrides": {str(key): _jsonable(v) for key, v in scn.overrides.items()},
        "totals": {key: _jsonable(v) for key, v in totals.iloc[0].items()},
    }
    result = ScenarioResult(name=scn.name, intervals=intervals, channels=channels_t,
                            totals=totals, cost_breakdown=cost_breakdown,
                            shifts=shifts.reset_index(drop=True), summary=summary,
                            expectations=scn.expectations)
    check_result(result)
    return result


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


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _share_meeting(sl: np.ndarray, is_open: np.ndarray, offered: np.ndarray,
                   target: Any) -> float:
    rows = is_open & (offered > 0) & np.isfinite(sl)
    if not rows.any():
        return float("nan")
    tgt = np.broadcast_to(target, sl.shape)
    return float(np.mean(sl[rows] >= tgt[rows] - 1e-12))


def _channel_measures(sim: pd.DataFrame | None, c: str, off: float, offered: np.ndarray,
                      handled_e: np.ndarray, sl_e: np.ndarray, asa_e: np.ndarray,
                      ab_e: np.ndarray, occ_e: np.ndarray, agents: np.ndarray,
                      sim_occupancy: float, judged: pd.DatetimeIndex) -> dict[str, float]:
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
        offered=("offered", "sum"), answered=("answered", "sum"),
        abandoned=("abandoned", "sum"), within=("answered_within_target", "sum"),
        wait=("asa_s", lambda s: float(np.nansum(s.to_numpy() * rows.loc[s.index, "answered"]
                                                 .to_numpy()))))
    # The service level over the intervals whose deadlines fall inside the horizon.
    in_time = rows[pd.DatetimeIndex(rows["interval_start"]).isin(judged)]
    per_sl = in_time.groupby("replication")[["offered", "answered_within_target"]].sum()
    per_sl = per_sl.reindex(per.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = (per_sl["answered_within_target"] / per_sl["offered"]).to_numpy(dtype=float)
        ab = (per["abandoned"] / per["offered"]).to_numpy(dtype=float)
        asa = (per["wait"] / per["answered"]).to_numpy(dtype=float)
    out: dict[str, float] = {}
    counted = {"service_level": float(per_sl["offered"].sum()), "asa_s": None,
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
    sim_offered = float(per["offered"].sum())
    if sim_offered > 0:
        out["handled"] = off * float(per["answered"].sum()) / sim_offered
        out["abandoned"] = off * float(per["abandoned"].sum()) / sim_offered
    else:
        out["handled"] = out["abandoned"] = 0.0
    return out
