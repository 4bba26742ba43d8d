"""What a schedule costs: by interval, channel, day, week and year, and what the money buys.

:func:`cost_report` reads a :class:`Schedule` (its ``coverage`` and ``costs``
tables and ``summary``) and a ``workload`` table, and returns a
:class:`CostReport`. The rules, with a worked example, are in
``docs/cost.md``; in short:

* **Paid time** of a pool in an interval is ``agents_paid x interval_s``. It is
  split by use: *paid breaks* (``agents_on_paid_break``), *shrinkage*
  (on-duty time ``agents_scheduled x interval_s`` times the schedule's
  ``shrinkage``), *handling contacts* (``min(workload, available)`` where
  available = on duty - shrinkage) and *paid but idle* (available -
  handling). The interval's cost is split in proportion to these times.
* **Workload** of a channel in an interval is ``offered x aht_s /
  concurrency`` agent-seconds. Workload above the available time is not
  handled by anyone; it costs nothing and is reported separately as
  ``excess_workload_hours``.
* **Allocation**: a per-channel pool's costs belong to its channel. The
  blended pool's costs in an interval go to the channels in proportion to
  their workload in that interval; in an interval with no workload, in
  proportion to each channel's workload over the whole horizon (equally if
  the horizon has no workload at all, with a warning).
* **Year**: ``cost x 365.25 / horizon days``, i.e. the horizon is taken to
  repeat all year.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from ._schedule import BLENDED, Schedule
from .contracts import _check_columns
from .errors import ContractError, InvalidParameterError
from .shifts import PAY_PARTS

DAYS_PER_YEAR = 365.25
_FUNC = "cost_report()"
_WORKLOAD_COLUMNS = ("channel", "interval_start", "offered", "aht_s")
_USES = (("handling", "handling contacts"), ("idle", "paid but idle"),
         ("shrinkage", "shrinkage"), ("paid_breaks", "paid breaks"))
_PART_LABELS = {"wages": "wages", "night_premium": "night premium",
                "weekend_premium": "weekend premium", "holiday_premium": "holiday premium",
                "overhead": "overhead"}
#: Columns of :attr:`CostReport.by_interval`, in order.
BY_INTERVAL_COLUMNS = (
    "channel", "interval_start", "offered", "handled", "workload_hours", "allocation_share",
    "agent_hours", "handling_hours", "idle_hours", "shrinkage_hours", "paid_break_hours",
    "excess_workload_hours", *PAY_PARTS, "cost", "cost_handling", "cost_idle",
    "cost_shrinkage", "cost_paid_breaks")


@dataclass(frozen=True)
class CostReport:
    """Staff cost of a schedule, by interval, channel, day, week and year.

    Money is in the currency of the schedule's :class:`PayRates`; hours are
    agent-hours (reporting figures: the pipeline's durations stay in
    seconds). Built by :func:`cost_report`; ``docs/cost.md`` explains every
    figure.

    Attributes
    ----------
    by_interval : pandas.DataFrame
        One row per channel and interval (passes the ``costs`` contract):
        ``channel``, ``interval_start``; ``offered`` (contacts), ``handled``
        (contacts; NaN when the workload has no ``handled`` column);
        ``workload_hours`` (offered x AHT / concurrency, h);
        ``allocation_share`` (0-1: the channel's share of its pool's cost in
        this interval; 1 for a per-channel pool); ``agent_hours`` (paid, h)
        and its uses ``handling_hours``, ``idle_hours``, ``shrinkage_hours``,
        ``paid_break_hours`` (h, adding up to ``agent_hours``);
        ``excess_workload_hours`` (workload beyond the available time, h; not
        costed); ``wages``, ``night_premium``, ``weekend_premium``,
        ``holiday_premium``, ``overhead``, ``cost`` (currency, ``cost`` the
        sum of the five parts); ``cost_handling``, ``cost_idle``,
        ``cost_shrinkage``, ``cost_paid_breaks`` (currency, adding up to
        ``cost``).
    by_channel : pandas.DataFrame
        One row per channel: ``channel``, ``offered``, ``handled``,
        ``workload_hours``, ``paid_hours``, ``handling_hours``,
        ``idle_hours``, ``excess_workload_hours`` (h), ``cost``,
        ``cost_idle`` (currency), ``cost_per_offered`` and
        ``cost_per_handled`` (currency per contact; NaN when there are no
        contacts, or for ``cost_per_handled`` when ``handled`` was not
        given), ``share_of_cost`` (0-1), ``cost_per_year`` (currency).
    by_day : pandas.DataFrame
        One row per calendar date of the horizon (the date on which the
        interval starts, in the schedule's time zone): ``date``
        (``datetime.date``), ``agent_hours`` (h), the five pay parts and
        ``cost`` (currency). All channels together.
    by_week : pandas.DataFrame
        One row per week (Monday to Sunday): ``week_start`` (the Monday,
        ``datetime.date``), ``horizon_days`` (days of the horizon falling in
        that week; a partial week is not scaled up), ``agent_hours``, the
        five pay parts and ``cost``.
    annual : pandas.DataFrame
        ``item`` (``"wages"``, ``"night premium"``, ``"weekend premium"``,
        ``"holiday premium"``, ``"overhead"``, ``"total"``),
        ``cost_horizon`` and ``cost_per_year`` (currency):
        ``cost_per_year = cost_horizon x 365.25 / horizon days``.
    breakdown : pandas.DataFrame
        ``view`` (``"component"`` or ``"use"``), ``item``, ``agent_hours``
        (h), ``cost`` (currency), ``share`` (0-1 of the total cost). The
        component rows are the five pay parts and ``"total"``; their hours
        are the paid hours carrying that part (all paid hours for wages,
        overhead and total). The use rows are ``"handling contacts"``,
        ``"paid but idle"``, ``"shrinkage"``, ``"paid breaks"`` and
        ``"total"``; the four uses add up to the total (to rounding).
    summary : dict
        ``cost``, ``cost_per_year`` (currency), ``horizon_days``,
        ``annual_factor`` (365.25 / horizon days), ``paid_hours``,
        ``workload_hours``, ``handling_hours``, ``idle_hours``,
        ``excess_workload_hours`` (h), ``offered``, ``handled`` (``None``
        when not given), ``cost_per_offered``, ``cost_per_handled``
        (``None`` when not given or no contacts), ``has_handled``,
        ``blend``, ``interval_s``, ``shrinkage``.

    See Also
    --------
    cost_report : Builds it.
    Schedule : The schedule it prices.
    """

    by_interval: pd.DataFrame
    by_channel: pd.DataFrame
    by_day: pd.DataFrame
    by_week: pd.DataFrame
    annual: pd.DataFrame
    breakdown: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def _bad_row(where: str, table: str, df: pd.DataFrame, col: str, rule: str, bad: np.ndarray,
             fix: str) -> ContractError:
    row = int(np.flatnonzero(bad)[0])
    value = df[col].iloc[row]
    value = value.item() if isinstance(value, np.generic) else value
    return ContractError(
        f"{where}: '{table}' column {col!r} must be {rule}; row {row} (channel "
        f"{df['channel'].iloc[row]!r}, interval_start {df['interval_start'].iloc[row]}) has "
        f"{value!r}. {fix}")


def _check_workload(workload: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Validate the workload table; return a clean copy and whether ``handled`` was given."""
    _check_columns(_FUNC, "workload", workload, _WORKLOAD_COLUMNS,
                   "Pass the forecast table (channel, interval_start, offered, aht_s), or "
                   "rename the columns.")
    if workload.empty:
        raise ContractError(f"{_FUNC}: 'workload' has no rows. Give one row per channel and "
                            "interval of the schedule's horizon.")
    has_handled = "handled" in workload.columns
    out = pd.DataFrame({"channel": workload["channel"].astype(str).to_numpy()})
    fix = "Fill or drop that interval: missing volumes are never read as zero."
    for col, rule, ok in (
        ("offered", "a finite number of contacts >= 0", lambda v: v >= 0),
        ("aht_s", "a finite number of seconds > 0, e.g. 240", lambda v: v > 0),
        ("handled", "a finite number of contacts >= 0", lambda v: v >= 0),
    ):
        if col == "handled" and not has_handled:
            continue
        values = pd.to_numeric(workload[col], errors="coerce").to_numpy(dtype=float)
        bad = ~(np.isfinite(values) & ok(values))
        if bad.any():
            raise _bad_row(_FUNC, "workload", workload, col, rule, bad, fix)
        out[col] = values
    if not has_handled:
        out["handled"] = np.nan
    try:
        starts = pd.to_datetime(workload["interval_start"]).reset_index(drop=True)
    except (TypeError, ValueError) as exc:
        raise ContractError(f"{_FUNC}: 'workload' column 'interval_start' must hold timestamps "
                            f"({exc}).") from None
    if starts.isna().any():
        raise _bad_row(_FUNC, "workload", workload, "interval_start", "a timestamp",
                       starts.isna().to_numpy(), fix)
    out["interval_start"] = starts
    dup = out.duplicated(["channel", "interval_start"], keep=False).to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        raise ContractError(
            f"{_FUNC}: 'workload' has two rows for channel {out['channel'].iloc[row]!r} at "
            f"{out['interval_start'].iloc[row]}. Keep one row per channel and interval.")
    return out, has_handled


def _check_schedule(schedule: Schedule) -> tuple[pd.DataFrame, float, float, bool]:
    """Validate the schedule; return one row per pool and interval, interval_s, shrinkage, blend."""
    if not isinstance(schedule, Schedule):
        raise InvalidParameterError(f"{_FUNC}: schedule must be a staffing.Schedule (from "
                                    f"schedule_shifts()), got {type(schedule).__name__}.")
    summary = schedule.summary
    for key in ("interval_s", "horizon_s", "shrinkage", "blend"):
        if key not in summary:
            raise ContractError(f"{_FUNC}: schedule.summary has no {key!r} (found: "
                                f"{', '.join(map(str, summary))}). Build the schedule with "
                                "schedule_shifts(), or add the key.")
    interval_s = float(summary["interval_s"])
    shrinkage = float(summary["shrinkage"])
    if not (math.isfinite(interval_s) and interval_s > 0):
        raise ContractError(f"{_FUNC}: schedule.summary['interval_s'] must be > 0 seconds, got "
                            f"{summary['interval_s']!r}.")
    if not (0 <= shrinkage < 1):
        raise ContractError(f"{_FUNC}: schedule.summary['shrinkage'] must be in [0, 1), got "
                            f"{summary['shrinkage']!r}.")
    need = {"coverage": ("channel", "interval_start", "agents_scheduled",
                         "agents_on_paid_break"),
            "costs": ("channel", "interval_start", "agents_paid", *PAY_PARTS, "cost")}
    for name, cols in need.items():
        table = getattr(schedule, name)
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ContractError(
                f"{_FUNC}: schedule.{name} has no column {', '.join(map(repr, missing))} "
                f"(found: {', '.join(map(str, table.columns))}). Build the schedule with "
                "schedule_shifts().")
    keys = ["channel", "interval_start"]
    cov = schedule.coverage[list(need["coverage"])]
    pool = schedule.costs[list(need["costs"])].merge(cov, on=keys, how="outer", indicator=True)
    if (pool["_merge"] != "both").any() or len(pool) != len(schedule.costs):
        raise ContractError(f"{_FUNC}: schedule.coverage and schedule.costs must have the same "
                            "(channel, interval_start) rows, once each.")
    pool = pool.drop(columns="_merge")
    pool["channel"] = pool["channel"].astype(str)
    pool["interval_start"] = pd.to_datetime(pool["interval_start"])
    for col in ("agents_paid", "agents_scheduled", "agents_on_paid_break", *PAY_PARTS, "cost"):
        values = pd.to_numeric(pool[col], errors="coerce").to_numpy(dtype=float)
        bad = ~(np.isfinite(values) & (values >= 0))
        if bad.any():
            raise _bad_row(_FUNC, "schedule", pool, col, "a finite number >= 0", bad,
                           "Build the schedule with schedule_shifts().")
        pool[col] = values
    odd = (pool["agents_paid"] != pool["agents_scheduled"] + pool["agents_on_paid_break"])
    if odd.any():
        row = int(np.flatnonzero(odd.to_numpy())[0])
        r = pool.iloc[row]
        raise ContractError(
            f"{_FUNC}: schedule pool {r['channel']!r} at {r['interval_start']} pays "
            f"{r['agents_paid']:g} agents but has {r['agents_scheduled']:g} on duty and "
            f"{r['agents_on_paid_break']:g} on a paid break; paid agents must be exactly those "
            "on duty plus those on a paid break. Fix the schedule's coverage or costs table.")
    parts = pool[list(PAY_PARTS)].sum(axis=1).to_numpy()
    off = ~np.isclose(parts, pool["cost"].to_numpy(), rtol=1e-9, atol=1e-9)
    off |= (pool["agents_paid"].to_numpy() == 0) & (pool["cost"].to_numpy() != 0)
    if off.any():
        row = int(np.flatnonzero(off)[0])
        r = pool.iloc[row]
        raise ContractError(
            f"{_FUNC}: schedule.costs row for {r['channel']!r} at {r['interval_start']} has "
            f"cost {r['cost']!r}, but its parts add up to {parts[row]!r} for "
            f"{r['agents_paid']:g} paid agents. cost must be the sum of {', '.join(PAY_PARTS)}, "
            "and 0 when nobody is paid.")
    horizon = pd.DatetimeIndex(pool["interval_start"].drop_duplicates().sort_values())
    n_pools = pool["channel"].nunique()
    if len(pool) != n_pools * len(horizon) or not math.isclose(
            len(horizon) * interval_s, float(summary["horizon_s"])):
        raise ContractError(
            f"{_FUNC}: the schedule must have every pool in every one of its "
            f"{float(summary['horizon_s']) / interval_s:g} intervals (horizon_s / interval_s); "
            f"found {len(pool)} rows for {n_pools} pools and {len(horizon)} interval starts.")
    blend = bool(summary["blend"])
    if blend and set(pool["channel"]) != {BLENDED}:
        raise ContractError(f"{_FUNC}: schedule.summary['blend'] is True, so its pool must be "
                            f"{BLENDED!r}; found {sorted(set(pool['channel']))}.")
    return pool, interval_s, shrinkage, blend


def _align_times(workload: pd.DataFrame, pool: pd.DataFrame) -> None:
    """Put the workload's interval starts in the schedule's time zone and unit (in place)."""
    tz_s = pool["interval_start"].dt.tz
    tz_w = workload["interval_start"].dt.tz
    if (tz_s is None) != (tz_w is None):
        raise ContractError(
            f"{_FUNC}: 'workload' column 'interval_start' is "
            f"{'time-zone naive' if tz_w is None else f'in {tz_w}'} but the schedule's is "
            f"{'time-zone naive' if tz_s is None else f'in {tz_s}'}. Use timestamps in the "
            "scenario's time zone for both (Series.dt.tz_localize).")
    if tz_s is not None:
        workload["interval_start"] = workload["interval_start"].dt.tz_convert(tz_s)
    workload["interval_start"] = workload["interval_start"].dt.as_unit("ns")
    pool["interval_start"] = pool["interval_start"].dt.as_unit("ns")


def _check_coverage_of(workload: pd.DataFrame, pool: pd.DataFrame, blend: bool) -> list[str]:
    """Every channel must have every interval of the horizon, and no other; return channels."""
    channels = sorted(set(workload["channel"]))
    pools = sorted(set(pool["channel"]))
    if not blend and channels != pools:
        raise ContractError(
            f"{_FUNC}: the schedule has one pool per channel ({', '.join(pools)}) but "
            f"'workload' has channels {', '.join(channels)}. Give the workload of exactly the "
            "scheduled channels.")
    horizon = pd.DatetimeIndex(pool["interval_start"].drop_duplicates().sort_values())
    for channel in channels:
        have = pd.DatetimeIndex(workload.loc[workload["channel"] == channel, "interval_start"])
        absent = horizon.difference(have)
        if len(absent):
            raise ContractError(
                f"{_FUNC}: 'workload' has no row for channel {channel!r} at {absent[0]} (and "
                f"{len(absent) - 1} more intervals of the schedule). Give every channel every "
                "interval of the schedule's horizon (offered 0 where closed): a missing "
                "workload is never read as zero.")
        extra = have.difference(horizon)
        if len(extra):
            raise ContractError(
                f"{_FUNC}: 'workload' has a row for channel {channel!r} at {extra[0]}, outside "
                f"the schedule's horizon ({horizon[0]} to {horizon[-1]}). Keep only the "
                "schedule's intervals.")
    return channels


def _check_concurrency(concurrency: Mapping[str, float] | None,
                       channels: list[str]) -> dict[str, float]:
    if concurrency is None:
        return dict.fromkeys(channels, 1.0)
    if not isinstance(concurrency, Mapping):
        raise InvalidParameterError(f"{_FUNC}: concurrency must be a dict of channel to "
                                    f"contacts per agent, got {type(concurrency).__name__}.")
    unknown = [c for c in concurrency if str(c) not in channels]
    if unknown:
        raise InvalidParameterError(
            f"{_FUNC}: concurrency names channel {unknown[0]!r}, which is not in the workload "
            f"(channels: {', '.join(channels)}). Fix the channel name.")
    out = dict.fromkeys(channels, 1.0)
    for channel, value in concurrency.items():
        if not (isinstance(value, int | float) and math.isfinite(value) and value >= 1):
            raise InvalidParameterError(
                f"{_FUNC}: concurrency[{channel!r}] must be a number >= 1 (contacts one agent "
                f"handles at once, e.g. 2 for chat), got {value!r}.")
        out[str(channel)] = float(value)
    return out


def _ratio(num: np.ndarray | float, den: np.ndarray | float) -> np.ndarray:
    """``num / den``, NaN where ``den`` is 0 (an undefined rate, never an infinite one)."""
    num_a = np.asarray(num, dtype=float)
    den_a = np.asarray(den, dtype=float)
    return np.divide(num_a, den_a, out=np.full(np.broadcast(num_a, den_a).shape, np.nan),
                     where=den_a != 0)


def _money_by(pool: pd.DataFrame, key: pd.Series, name: str) -> pd.DataFrame:
    cols = ["agent_hours", *PAY_PARTS, "cost"]
    out = pool[cols].groupby(key.rename(name), sort=True).sum().reset_index()
    return out


def cost_report(schedule: Schedule, workload: pd.DataFrame, *,
                concurrency: Mapping[str, float] | None = None) -> CostReport:
    """Price a schedule: cost by interval, channel, day, week and year, and what it buys.

    Each interval's paid time is split into handling contacts, paid but idle,
    shrinkage and paid breaks, and its cost in proportion. The blended pool's
    cost is shared among the channels by their workload in the interval (by
    their workload over the horizon where the interval has none). The rules
    are in the module docstring and ``docs/cost.md``.

    Parameters
    ----------
    schedule : Schedule
        From :func:`schedule_shifts`. Read: ``coverage`` (``channel``,
        ``interval_start``, ``agents_scheduled``, ``agents_on_paid_break``),
        ``costs`` (``channel``, ``interval_start``, ``agents_paid``, the pay
        parts and ``cost``) and ``summary`` (``interval_s``, ``horizon_s``,
        ``shrinkage``, ``blend``). Paid agents must be those on duty plus
        those on a paid break.
    workload : pandas.DataFrame
        The ``forecast`` table: ``channel``, ``interval_start``, ``offered``
        (contacts, >= 0, no NaN), ``aht_s`` (seconds, > 0); optional
        ``handled`` (contacts handled, >= 0, e.g. the mean answered of the
        simulation). One row per channel and interval of the schedule's
        horizon, no more, no fewer; with ``blend=False`` exactly the
        scheduled channels. Without ``handled``, the handled figures are NaN
        (``None`` in the summary): nothing is assumed. Extra columns are
        ignored. Not modified.
    concurrency : dict of str to float, optional
        Contacts one agent works at once, by channel, >= 1 (e.g. ``{"chat":
        2}``); channels not named get 1.

    Returns
    -------
    CostReport
        ``by_interval``, ``by_channel``, ``by_day``, ``by_week``, ``annual``,
        ``breakdown`` and ``summary`` (see :class:`CostReport`).

    Raises
    ------
    ContractError
        ``workload`` lacks a column, a row or holds a bad value, or the
        schedule's tables are inconsistent; the message names the column, the
        row and the value.
    InvalidParameterError
        ``schedule`` is not a :class:`Schedule`, or ``concurrency`` is out of
        range.

    Warns
    -----
    UserWarning
        A blended pool is paid but the horizon has no workload (its cost is
        split equally), or a channel handled more contacts than were offered.

    See Also
    --------
    schedule_shifts : Builds the schedule, priced pool by pool.
    CostReport : The tables returned.

    Examples
    --------
    >>> import pandas as pd
    >>> from staffing import schedule_shifts
    >>> from staffing.shifts import ShiftTemplate
    >>> starts = pd.date_range("2026-01-05 09:00", periods=2, freq="h")
    >>> req = pd.DataFrame({"channel": "voice", "interval_start": starts,
    ...                     "agents_required": [1, 1]})
    >>> two_hours = ShiftTemplate("2h", 7200, 9 * 3600, 9 * 3600, start_step_s=3600)
    >>> sched = schedule_shifts(req, [two_hours], interval_s=3600)
    >>> workload = pd.DataFrame({"channel": "voice", "interval_start": starts,
    ...                          "offered": [5.0, 5.0], "aht_s": [360.0, 360.0]})
    >>> report = cost_report(sched, workload)
    >>> float(report.summary["cost"]), float(report.summary["cost_per_offered"])
    (40.0, 4.0)
    >>> print(report.breakdown.query("view == 'use'")[["item", "cost", "share"]]
    ...       .to_string(index=False))
                 item  cost  share
    handling contacts  20.0    0.5
        paid but idle  20.0    0.5
            shrinkage   0.0    0.0
          paid breaks   0.0    0.0
                total  40.0    1.0
    """
    pool, interval_s, shrinkage, blend = _check_schedule(schedule)
    work, has_handled = _check_workload(workload)
    _align_times(work, pool)
    channels = _check_coverage_of(work, pool, blend)
    conc = _check_concurrency(concurrency, channels)

    # Per pool and interval: paid time and its uses (agent-seconds), cost by use.
    pool["paid_s"] = pool["agents_paid"] * interval_s
    on_duty_s = pool["agents_scheduled"] * interval_s
    pool["paid_breaks_s"] = pool["agents_on_paid_break"] * interval_s
    pool["shrinkage_s"] = on_duty_s * shrinkage
    available_s = on_duty_s - pool["shrinkage_s"]
    work["pool"] = BLENDED if blend else work["channel"]
    work["workload_s"] = (work["offered"] * work["aht_s"]
                          / work["channel"].map(conc).astype(float))
    pool_work = (work.groupby(["pool", "interval_start"])["workload_s"].sum()
                 .rename("pool_workload_s").reset_index())
    pool = pool.merge(pool_work, left_on=["channel", "interval_start"],
                      right_on=["pool", "interval_start"], how="left").drop(columns="pool")
    pool["pool_workload_s"] = pool["pool_workload_s"].fillna(0.0)
    pool["handling_s"] = np.minimum(pool["pool_workload_s"], available_s)
    pool["idle_s"] = available_s - pool["handling_s"]
    pool["excess_s"] = pool["pool_workload_s"] - pool["handling_s"]
    pool["agent_hours"] = pool["paid_s"] / 3600.0
    for use, _ in _USES:
        pool[f"cost_{use}"] = pool["cost"].to_numpy() * np.nan_to_num(
            _ratio(pool[f"{use}_s"].to_numpy(), pool["paid_s"].to_numpy()))

    # Each channel's share of its pool's cost in each interval.
    horizon_work = work.groupby("channel")["workload_s"].sum()
    pool_total = work.groupby("pool")["workload_s"].sum()
    n_in_pool = work.groupby("pool")["channel"].nunique()
    for p, total in pool_total.items():
        paid = pool.loc[pool["channel"] == p, "cost"].sum()
        if total == 0 and n_in_pool[p] > 1 and paid > 0:
            warnings.warn(f"{_FUNC}: the channels of pool {p!r} have no workload in the whole "
                          f"horizon, so its cost ({paid:g}) is split equally among "
                          f"{n_in_pool[p]} channels.", stacklevel=2)
    fallback = np.where(
        work["pool"].map(pool_total).to_numpy() > 0,
        _ratio(work["channel"].map(horizon_work).to_numpy(),
               work["pool"].map(pool_total).to_numpy()),
        1.0 / work["pool"].map(n_in_pool).to_numpy())
    rows = work.merge(pool, left_on=["pool", "interval_start"],
                      right_on=["channel", "interval_start"], how="left",
                      suffixes=("", "_pool"))
    in_interval = rows["pool_workload_s"].to_numpy()
    share = np.where(in_interval > 0, _ratio(rows["workload_s"].to_numpy(), in_interval),
                     fallback)
    rows["allocation_share"] = share
    rows["workload_hours"] = rows["workload_s"] / 3600.0
    for src, dst in (("paid_s", "agent_hours"), ("handling_s", "handling_hours"),
                     ("idle_s", "idle_hours"), ("shrinkage_s", "shrinkage_hours"),
                     ("paid_breaks_s", "paid_break_hours"),
                     ("excess_s", "excess_workload_hours")):
        rows[dst] = rows[src] / 3600.0 * share
    for col in (*PAY_PARTS, "cost", *(f"cost_{u}" for u, _ in _USES)):
        rows[col] = rows[col] * share
    by_interval = (rows[list(BY_INTERVAL_COLUMNS)].sort_values(["channel", "interval_start"])
                   .reset_index(drop=True))

    # Calendar views: straight from the pools (exactly as priced).
    horizon_days = len(pool) / pool["channel"].nunique() * interval_s / 86400.0
    factor = DAYS_PER_YEAR / horizon_days
    total = float(pool["cost"].sum())
    dates = pool["interval_start"].dt.date
    by_day = _money_by(pool, dates, "date")
    week = dates.map(lambda d: d - timedelta(days=d.weekday()))
    by_week = _money_by(pool, week, "week_start")
    per_pool_intervals = pool.groupby(week.rename("week_start"))["channel"].size()
    by_week.insert(1, "horizon_days",
                   by_week["week_start"].map(per_pool_intervals).to_numpy()
                   / pool["channel"].nunique() * interval_s / 86400.0)

    # By channel.
    sums = by_interval.groupby("channel", sort=True)[
        ["offered", "workload_hours", "agent_hours", "handling_hours", "idle_hours",
         "excess_workload_hours", "cost", "cost_idle"]].sum()
    handled = (by_interval.groupby("channel", sort=True)["handled"].sum().to_numpy()
               if has_handled else np.full(len(sums), np.nan))
    by_channel = pd.DataFrame({
        "channel": sums.index.to_numpy(), "offered": sums["offered"].to_numpy(),
        "handled": handled, "workload_hours": sums["workload_hours"].to_numpy(),
        "paid_hours": sums["agent_hours"].to_numpy(),
        "handling_hours": sums["handling_hours"].to_numpy(),
        "idle_hours": sums["idle_hours"].to_numpy(),
        "excess_workload_hours": sums["excess_workload_hours"].to_numpy(),
        "cost": sums["cost"].to_numpy(), "cost_idle": sums["cost_idle"].to_numpy(),
        "cost_per_offered": _ratio(sums["cost"].to_numpy(), sums["offered"].to_numpy()),
        "cost_per_handled": _ratio(sums["cost"].to_numpy(), handled),
        "share_of_cost": _ratio(sums["cost"].to_numpy(), total),
        "cost_per_year": sums["cost"].to_numpy() * factor,
    })
    if has_handled:
        over = by_channel[by_channel["handled"] > by_channel["offered"] + 1e-9]
        if len(over):
            r = over.iloc[0]
            warnings.warn(f"{_FUNC}: channel {r['channel']!r} handled {r['handled']:g} contacts "
                          f"but was offered {r['offered']:g} over the horizon; check the "
                          "'handled' column.", stacklevel=2)

    # Breakdown and the year.
    paid_hours = float(pool["agent_hours"].sum())
    comp_hours = [paid_hours if part in ("wages", "overhead")
                  else float(pool.loc[pool[part] > 0, "agent_hours"].sum()) for part in PAY_PARTS]
    comp_cost = [float(pool[part].sum()) for part in PAY_PARTS]
    use_hours = [float(pool[f"{u}_s"].sum()) / 3600.0 for u, _ in _USES]
    use_cost = [float(pool[f"cost_{u}"].sum()) for u, _ in _USES]
    breakdown = pd.DataFrame({
        "view": ["component"] * (len(PAY_PARTS) + 1) + ["use"] * (len(_USES) + 1),
        "item": [*(_PART_LABELS[p] for p in PAY_PARTS), "total",
                 *(label for _, label in _USES), "total"],
        "agent_hours": [*comp_hours, paid_hours, *use_hours, paid_hours],
        "cost": [*comp_cost, total, *use_cost, total],
    })
    breakdown["share"] = _ratio(breakdown["cost"].to_numpy(), total)
    annual = pd.DataFrame({"item": [*(_PART_LABELS[p] for p in PAY_PARTS), "total"],
                           "cost_horizon": [*comp_cost, total]})
    annual["cost_per_year"] = annual["cost_horizon"] * factor

    offered = float(work["offered"].sum())
    handled_total = float(work["handled"].sum()) if has_handled else None
    summary: dict[str, Any] = {
        "cost": total,
        "cost_per_year": total * factor,
        "horizon_days": horizon_days,
        "annual_factor": factor,
        "paid_hours": paid_hours,
        "workload_hours": float(work["workload_s"].sum()) / 3600.0,
        "handling_hours": use_hours[0],
        "idle_hours": use_hours[1],
        "excess_workload_hours": float(pool["excess_s"].sum()) / 3600.0,
        "offered": offered,
        "handled": handled_total,
        "cost_per_offered": total / offered if offered > 0 else None,
        "cost_per_handled": (total / handled_total if handled_total else None),
        "has_handled": has_handled,
        "blend": blend,
        "interval_s": interval_s,
        "shrinkage": shrinkage,
    }
    return CostReport(by_interval, by_channel, by_day, by_week, annual, breakdown, summary)
