"""Capacity plan, step 1: the weekly demand per channel (point, interval, sample paths).

The source (``capacity.demand``) is one of:

- none: the representative week's arrivals (the scenario's own first 7 days, after
  ``volume_scale``, ``aht_scale`` and ``channel_shift``), every week;
- ``history``: a weekly or daily history forecast by
  :func:`forecasting.longrange.long_range_forecast` (the scenario's holiday calendar; the
  interval at ``level``; with risk runs, its sample paths), times ``volume_scale``; a history
  with ``aht_s`` gives each channel the volume-weighted handle time of its last 52 weeks
  (times ``aht_scale``);
- ``table``: weekly volumes given for every channel and week of the plan (``offered_lo`` and
  ``offered_hi`` optional, ``aht_s`` optional), times ``volume_scale``.

Then ``growth`` (a year, compounding weekly: week ``t`` times ``(1 + growth) ** (t / 52.18)``)
and the planner's ``events`` (:func:`forecasting.longrange.apply_events`), on the point, the
interval and the paths alike (an event's handle time times ``aht_scale``, like every
handle time). ``channel_shift`` is not applied to a source's volumes (they are
the channels' own). A week without its own handle time takes the representative week's.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.longrange import LongRangeForecast, apply_events, long_range_forecast

from .._errors import ScenarioError
from ..files import CapacitySpec, Scenario

#: Weeks in a year (365.25 / 7), for growth.
WEEKS_PER_YEAR = 365.25 / 7
#: Columns of the weekly demand table.
DEMAND_WEEK_COLUMNS = ("channel", "week", "week_start", "offered", "offered_lo", "offered_hi",
                       "aht_s")


@dataclass(frozen=True)
class WeeklyDemand:
    """Arrivals per channel and week: ``table`` (:data:`DEMAND_WEEK_COLUMNS`) and, per
    channel, sample paths ``(n_paths, n_weeks)`` (one row, the point, without a forecast)."""

    table: pd.DataFrame
    paths: dict[str, np.ndarray]


def _fail(scn: Scenario, message: str) -> ScenarioError:
    return ScenarioError(f"{scn.path}: scenario {scn.name!r}: capacity.demand: {message}")


def _weeks(spec: CapacitySpec) -> pd.DatetimeIndex:
    return pd.date_range(spec.start, periods=spec.n_weeks, freq="7D")


def _check_channels(scn: Scenario, found: set[str], path: object) -> None:
    names = [ch.name for ch in scn.channels]
    missing = [c for c in names if c not in found]
    extra = sorted(found - set(names))
    if missing or extra:
        raise _fail(scn, f"{path}: the file's channels ({', '.join(sorted(found))}) must be the "
                    f"scenario's ({', '.join(names)}); "
                    + (f"missing: {', '.join(missing)}. Add their rows" if missing else
                       f"not in the scenario: {', '.join(extra)}. Remove their rows, or add "
                       "the channels") + ".")


@functools.lru_cache(maxsize=8)
def _forecast(path: str, digest: str, horizon: int, level: float, country: str | None,
              subdivision: str | None, n_paths: int, seed: int) -> LongRangeForecast:
    """The long-range forecast of a history, remembered while its rows are unchanged
    (``digest``): variants and the dashboard's knobs that leave the demand alone reuse it.
    Callers copy what they change."""
    history = CapacitySpec.read_demand(Path(path))
    when = "week_start" if "week_start" in history else "date"
    return long_range_forecast(history[["channel", when, "offered"]], horizon_weeks=horizon,
                               level=level * 100, country=country, subdivision=subdivision,
                               n_paths=n_paths, seed=seed)


def _from_history(scn: Scenario, spec: CapacitySpec, base_aht: dict[str, float]
                  ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    assert spec.history is not None
    history = CapacitySpec.read_demand(spec.history)
    _check_channels(scn, set(history["channel"]), spec.history)
    when = "week_start" if "week_start" in history else "date"
    last = history.groupby("channel")[when].max()
    if when == "date":
        first_fc = (last + pd.Timedelta(days=1)).map(lambda d: d - pd.Timedelta(days=d.weekday()))
    else:
        first_fc = last + pd.Timedelta(days=7)
    offsets = ((spec.start - first_fc).dt.days // 7).astype(int)
    if (offsets < 0).any():
        c = offsets.idxmin()
        raise _fail(scn, f"history: channel {c!r}'s history runs to {last[c].date()}, after "
                    f"capacity.start ({spec.start.date()}): the plan must start after the "
                    f"history. Start the plan on {first_fc[c].date()} or later.")
    horizon = int(offsets.max()) + spec.n_weeks
    if horizon > 156:
        raise _fail(scn, f"history: the plan ends {horizon} weeks after the history's last "
                    "week; the forecast reaches at most 156. Start the plan earlier, or give "
                    "a more recent history.")
    n_paths = spec.risk_runs if spec.risk_probability is not None else 0
    digest = hashlib.sha256(spec.history.read_bytes()).hexdigest()
    fc = _forecast(str(spec.history), digest, horizon, spec.level, scn.holiday_country,
                   scn.holiday_subdivision, n_paths, scn.seed)
    weeks = _weeks(spec)
    table = fc.table[fc.table["week_start"].isin(weeks)].copy()
    aht = dict(base_aht)
    if "aht_s" in history:
        for c, part in history.sort_values(when).groupby("channel"):
            tail = part.tail(52 * (7 if when == "date" else 1))
            if tail["offered"].sum() > 0:
                aht[str(c)] = float((tail["offered"] * tail["aht_s"]).sum()
                                    / tail["offered"].sum()) * scn.aht_scale
    table["aht_s"] = table["channel"].map(aht)
    paths = None
    if fc.paths is not None:
        paths = fc.paths[fc.paths["week_start"].isin(weeks)].copy()
    return table, paths


def _from_table(scn: Scenario, spec: CapacitySpec, base_aht: dict[str, float]) -> pd.DataFrame:
    given = spec.demand_table()
    assert given is not None
    if "week_start" not in given:
        raise _fail(scn, f"table: {spec.table} has no week_start column; give one row per "
                    "channel and week (week_start a Monday).")
    _check_channels(scn, set(given["channel"]), spec.table)
    weeks = _weeks(spec)
    keys = pd.MultiIndex.from_product([[ch.name for ch in scn.channels], weeks],
                                      names=["channel", "week_start"])
    if given.duplicated(["channel", "week_start"]).any():
        row = given[given.duplicated(["channel", "week_start"])].iloc[0]
        raise _fail(scn, f"table: {spec.table} has two rows for channel {row['channel']!r}, "
                    f"week {row['week_start'].date()}. Keep one.")
    table = given.set_index(["channel", "week_start"]).reindex(keys)
    if table["offered"].isna().any():
        c, w = table.index[table["offered"].isna().to_numpy()][0]
        raise _fail(scn, f"table: {spec.table} has no row for channel {c!r}, week "
                    f"{w.date()}; a missing week is never read as 0. Give every week of the "
                    "plan.")
    table = table.reset_index()
    for col in ("offered_lo", "offered_hi"):
        if col not in table:
            table[col] = table["offered"]
    if "aht_s" in table:
        table["aht_s"] = table["aht_s"] * scn.aht_scale
        table["aht_s"] = table["aht_s"].fillna(table["channel"].map(base_aht))
    else:
        table["aht_s"] = table["channel"].map(base_aht)
    return table


def weekly_demand(scn: Scenario, spec: CapacitySpec, base_arrivals: dict[str, float],
                  base_aht: dict[str, float]) -> WeeklyDemand:
    """The plan's weekly arrivals per channel, with their interval and sample paths.

    Parameters
    ----------
    scn : Scenario
        The scenario (channels, ``volume_scale``, ``aht_scale``, holiday calendar, seed).
    spec : CapacitySpec
        Its ``capacity:`` block.
    base_arrivals, base_aht : dict of str to float
        The representative week's arrivals (contacts) and handle time (s) per channel.

    Returns
    -------
    WeeklyDemand
    """
    weeks = _weeks(spec)
    names = [ch.name for ch in scn.channels]
    paths_table = None
    if spec.history is not None:
        table, paths_table = _from_history(scn, spec, base_aht)
        scale = scn.volume_scale
    elif spec.table is not None:
        table = _from_table(scn, spec, base_aht)
        scale = scn.volume_scale
    else:
        table = pd.DataFrame({"channel": np.repeat(names, len(weeks)),
                              "week_start": np.tile(weeks, len(names))})
        for col in ("offered", "offered_lo", "offered_hi"):
            table[col] = table["channel"].map(base_arrivals).astype(float)
        table["aht_s"] = table["channel"].map(base_aht)
        scale = 1.0   # the representative week is already scaled
    week_no = {w: i for i, w in enumerate(weeks)}
    growth = (1.0 + spec.growth) ** (np.arange(len(weeks)) / WEEKS_PER_YEAR)

    def shaped(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        frame = frame.copy()
        frame["week"] = frame["week_start"].map(week_no).astype(int)
        for col in columns:
            frame[col] = frame[col].astype(float) * scale * growth[frame["week"].to_numpy()]
        if spec.events:
            frame = apply_events(frame, _events(spec, scn.aht_scale), value_columns=columns)
        return frame

    # The events' factor per channel and week (apply_events scales every value column by
    # the same factor), kept to shape the sample paths the same way.
    unit = shaped(table.assign(unit=1.0), ("unit",))
    table = shaped(table, ("offered", "offered_lo", "offered_hi"))
    table["channel"] = pd.Categorical(table["channel"], categories=names)
    table = table.sort_values(["channel", "week"], kind="stable").reset_index(drop=True)
    table["channel"] = table["channel"].astype(str)
    factor = unit.set_index(["channel", "week"])["unit"]
    paths: dict[str, np.ndarray] = {}
    if paths_table is not None:
        for c in names:
            part = paths_table[paths_table["channel"] == c]
            wide = part.pivot(index="path", columns="week_start", values="offered")
            wide = wide.reindex(columns=weeks).to_numpy(dtype=float)
            shape = scale * growth * factor.loc[c].reindex(range(len(weeks))).to_numpy()
            paths[c] = wide * shape[None, :]
    else:
        for c in names:
            paths[c] = table.loc[table["channel"] == c, "offered"].to_numpy(dtype=float)[None, :]
    return WeeklyDemand(table[list(DEMAND_WEEK_COLUMNS)], paths)


def _events(spec: CapacitySpec, aht_scale: float) -> pd.DataFrame:
    """The events as ``apply_events`` reads them; their handle times times ``aht_scale``."""
    return pd.DataFrame({
        "channel": [e.channel for e in spec.events],
        "start": [pd.Timestamp(e.start) for e in spec.events],
        "end": [pd.Timestamp(e.end) for e in spec.events],
        "volume_change": [e.volume_change for e in spec.events],
        "aht_s": [np.nan if e.aht_s is None else e.aht_s * aht_scale for e in spec.events]})
