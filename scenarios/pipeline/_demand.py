"""Demand stage: the contacts per channel and interval, as they arrive and as the centre sees them.

1. :func:`scenario_demand`, the ``demand`` table (24x7, as it would arrive):
   volumes per interval from a CSV, daily totals spread by an intraday
   profile, or :func:`forecasting.forecast` from a history file, on the
   scenario's local clock; then ``volume_scale``, ``aht_scale`` and
   ``channel_shift``, each applied once, here.
2. :func:`centre_demand`, the ``centre_demand`` table: opening hours applied
   by :func:`closed_hours_demand` (contacts arriving while closed are lost,
   retry after the next opening, or go elsewhere); deferred work (email)
   waits in its queue instead. Demand no plan can serve, or too large to
   run, is refused here.

The tables are described in :mod:`scenarios.pipeline.contracts`.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecasting import Forecast
from forecasting import forecast as forecast_volumes
from staffing.shifts import clock_seconds

from .._errors import InputFileError
from .._limits import MAX_FORECAST_GAP_DAYS, MAX_OFFERED_PER_INTERVAL, MAX_SIMULATED_CONTACTS
from ..files import Scenario
from ..files.history import read_history
from ..files.intervals import read_intervals_csv
from ._closed_hours import closed_hours_demand
from ._tables import local_days, scenario_grid
from .contracts import CENTRE_DEMAND_COLUMNS, DEMAND_COLUMNS, FLOW_COLUMNS


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
    days = local_days(grid)
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
                      ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The channel's history, its forecast over the scenario's horizon (with the interval) and
    the method chosen (``Forecast.methods``)."""
    path = spec["path"]
    key = (str(Path(path).resolve()), hashlib.sha256(Path(path).read_bytes()).hexdigest(), name)
    history = _history_cached(*key).copy()
    grid = scenario_grid(scn)
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
    result = _forecast_cached(*key, n_steps, scn.interval_s, spec["method"],
                              scn.holiday_country, scn.holiday_subdivision)
    full, methods = result.table.copy(), copy.deepcopy(result.methods)
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
    return history, fc, methods


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
                     subdivision: str | None) -> Forecast:
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
    _history, fc, _methods = _channel_forecast(scn, name, spec)
    offered = fc["offered"].to_numpy(dtype=float)
    aht = fc["aht_s"].to_numpy(dtype=float) if "aht_s" in fc else np.full(len(fc), aht_s)
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, aht_s)
    return np.clip(offered, 0.0, None), aht


def scenario_forecast(scn: Scenario) -> tuple[pd.DataFrame, Forecast]:
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
    forecast : forecasting.Forecast
        ``table``: ``channel``, ``interval_start``, ``offered``,
        ``offered_lo``, ``offered_hi`` (the 80% prediction interval, contacts)
        over the scenario's horizon, before ``volume_scale`` and
        ``channel_shift``; ``methods``: per channel, the method used and the
        backtest scores that chose it. Both tables empty when no channel
        forecasts.
    """
    histories, forecasts, methods = [], [], {}
    for ch in scn.channels:
        if ch.volume["kind"] != "history":
            continue
        history, fc, channel_methods = _channel_forecast(scn, ch.name, ch.volume)
        histories.append(history[["channel", "interval_start", "offered"]].assign(
            channel=ch.name))
        forecasts.append(fc[["channel", "interval_start", "offered", "offered_lo",
                             "offered_hi"]].assign(channel=ch.name))
        methods.update(channel_methods)
    if not forecasts:
        empty = pd.DataFrame(columns=["channel", "interval_start", "offered"])
        return empty, Forecast(table=empty.assign(offered_lo=[], offered_hi=[]), methods={})
    return (pd.concat(histories, ignore_index=True),
            Forecast(table=pd.concat(forecasts, ignore_index=True), methods=methods))


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
    grid = scenario_grid(scn)
    offered: dict[str, np.ndarray] = {}
    aht: dict[str, np.ndarray] = {}
    for ch in scn.channels:
        kind = ch.volume["kind"]
        if kind == "daily":
            o, a = _daily_demand(scn, ch.volume, grid), np.full(len(grid), ch.aht_s)
        elif kind == "file":
            o, a = _file_demand(scn, ch.name, ch.volume["path"], grid, ch.aht_s)
        else:
            o, a = _history_demand(scn, ch.name, ch.volume, grid, ch.aht_s)
        # The scales are applied once, here: to the channel's handle time and to the
        # file's or the forecast's own handle times alike.
        offered[ch.name], aht[ch.name] = o * scn.volume_scale, a * scn.aht_scale
    for src, dst, share in scn.channel_shift:
        moved = offered[src] * share
        offered[src] = offered[src] - moved
        offered[dst] = offered[dst] + moved
    parts = [pd.DataFrame({"channel": ch.name, "interval_start": grid,
                           "offered": offered[ch.name], "aht_s": aht[ch.name]})
             for ch in scn.channels]
    return pd.concat(parts, ignore_index=True)[list(DEMAND_COLUMNS)]


def centre_demand(scn: Scenario, demand: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demand the centre sees under its opening hours, and where the rest went.

    Parameters
    ----------
    scn : Scenario
        The scenario (its hours, ``out_of_hours`` shares and deferred channels).
    demand : pandas.DataFrame
        The ``demand`` table of :func:`scenario_demand`.

    Returns
    -------
    centre : pandas.DataFrame
        The ``centre_demand`` table (``CENTRE_DEMAND_COLUMNS``).
    flows : pandas.DataFrame
        The ``flows`` table (``FLOW_COLUMNS``) of :func:`closed_hours_demand`;
        deferred work arriving while closed waits in its queue (it is
        offered, never lost, retried or diverted).

    Both have the channels in file order and the intervals in time order.

    Raises
    ------
    InputFileError
        Contacts arrive but the centre never opens; an interval holds too
        many contacts; the simulation would generate too many.
    """
    grid = scenario_grid(scn)
    is_open_grid = scn.hours.is_open(grid, scn.interval_s)
    deferred = {ch.name for ch in scn.channels if ch.is_deferred}
    live = demand[~demand["channel"].isin(deferred)]
    parts, flow_parts = [], []
    if not live.empty:
        # Whole weeks repeat (retries of Sunday night land on Monday morning).
        wrap = len(local_days(grid).unique()) % 7 == 0
        seen_live, flows = closed_hours_demand(
            live, scn.hours, interval_s=scn.interval_s, retry_share=scn.retry_share,
            lost_share=scn.lost_share, retry_spread_s=scn.retry_spread_s, wrap_around=wrap)
        parts.append(seen_live[list(CENTRE_DEMAND_COLUMNS)])
        flow_parts.append(flows)
    for ch in scn.channels:
        if ch.name in deferred:
            rows = demand[demand["channel"] == ch.name].copy()
            rows["is_open"] = is_open_grid
            parts.append(rows)
            offered = rows["offered"].to_numpy(dtype=float)
            zero = np.zeros(len(rows))
            flow_parts.append(pd.DataFrame({
                "channel": ch.name, "interval_start": rows["interval_start"].to_numpy(),
                "is_open": is_open_grid, "arrived": offered,
                "arrived_while_open": np.where(is_open_grid, offered, 0.0),
                "arrived_while_closed": np.where(is_open_grid, 0.0, offered),
                "retried": zero, "lost_closed": zero, "diverted": zero,
                "retry_beyond_horizon": zero, "retries_landing": zero, "offered": offered},
                columns=list(FLOW_COLUMNS)))
    seen = pd.concat(parts, ignore_index=True)
    _check_work(scn, demand, seen, is_open_grid)
    return _in_file_order(scn, seen), _in_file_order(scn, pd.concat(flow_parts,
                                                                    ignore_index=True))


def _in_file_order(scn: Scenario, table: pd.DataFrame) -> pd.DataFrame:
    """Rows by channel in the file's order, then by interval."""
    order = {ch.name: i for i, ch in enumerate(scn.channels)}
    return table.sort_values(["channel", "interval_start"], key=lambda s: s.map(order)
                             if s.name == "channel" else s, kind="stable").reset_index(drop=True)


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

