"""Demand under opening hours: what the centre sees when it is closed part of the day.

The model of closed hours (documented with an example in ``docs/business_case.md``)
-----------------------------------------------------------------------------------
``demand`` is the demand as it would arrive if the centre never closed: a
``forecast`` table (``channel``, ``interval_start``, ``offered``, ``aht_s``).
An :class:`OpeningHours` says which intervals are open. Contacts arriving in an
open interval are offered there. Of the contacts arriving in a closed interval

* ``retry_share`` try again after the centre next opens. They are spread over
  the first ``retry_spread_s`` seconds of that opening, evenly in time: an open
  interval gets the share of the spread window it overlaps (if the centre
  closes again before the window ends, the open part of the window takes them
  all). They take the ``aht_s`` of the interval they land in, and retry once:
  if they then abandon, they are lost;
* ``lost_share`` are lost (they never call again);
* the rest, ``1 - retry_share - lost_share``, are *diverted*: served
  elsewhere (app, branch, web), neither handled by the centre nor lost. Set the
  two shares to add up to 1 if nobody is diverted.

At the end of the horizon, contacts whose next opening is past the horizon
either land at the first opening of the horizon (``wrap_around=True``, the
default: the horizon is a standard week that repeats, as in
``staffing.shifts.ScheduleRules.wrap_around``) or are reported as
``retry_beyond_horizon`` (``wrap_around=False``). Either way the contacts are
conserved exactly::

    arrived = offered (seen by the centre) + lost_closed + diverted + retry_beyond_horizon

and, after the queue,

    offered = handled + abandoned.

:func:`scenarios.run_scenario` applies it in its demand stage (live channels
only: deferred work waits in its queue); the result's ``flows`` table holds
the flows. An opening-hours business case is a scenario file whose variants
set ``hours:`` (``scenarios/examples/retail_bank.yaml``), compared with
:func:`scenarios.comparison_table` and :func:`scenarios.deltas`
(docs/business_case.md).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .._errors import InputFileError
from ..files import OpeningHours
from .contracts import FLOW_COLUMNS


def _check_share(func: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            math.isfinite(value) and 0 <= value <= 1):
        raise InputFileError(
            f"{func}: {name} must be a fraction in [0, 1] of the contacts arriving while "
            f"closed, got {value!r}. E.g. retry_share=0.6, lost_share=0.3.")
    return float(value)


def _check_shares(func: str, retry_share: Any, lost_share: Any) -> tuple[float, float]:
    r = _check_share(func, "retry_share", retry_share)
    lo = _check_share(func, "lost_share", lost_share)
    if r + lo > 1 + 1e-12:
        raise InputFileError(
            f"{func}: retry_share + lost_share must be <= 1, got {r:g} + {lo:g} = {r + lo:g}. "
            "They are shares of the same contacts; the rest (1 - both) is diverted to other "
            "channels. Lower one of them.")
    return r, lo


def _check_positive(func: str, name: str, value: Any, example: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            math.isfinite(value) and value > 0):
        raise InputFileError(f"{func}: {name} must be > 0 seconds, got {value!r}, e.g. {example}.")
    return float(value)


def _demand_grid(func: str, demand: pd.DataFrame, interval_s: float) -> dict[str, pd.DataFrame]:
    """Check ``demand`` and split it into per-channel frames on consecutive intervals."""
    if not isinstance(demand, pd.DataFrame):
        raise InputFileError(f"{func}: 'demand' must be a pandas DataFrame (the forecast "
                             f"contract), got {type(demand).__name__}.")
    need = ("channel", "interval_start", "offered", "aht_s")
    missing = [c for c in need if c not in demand.columns]
    if missing:
        raise InputFileError(
            f"{func}: 'demand' has no column {', '.join(map(repr, missing))} (found: "
            f"{', '.join(map(str, demand.columns))}). Give the forecast table: channel, "
            "interval_start, offered, aht_s.")
    if demand.empty:
        raise InputFileError(f"{func}: 'demand' has no rows.")
    for col, rule, ok in (("offered", "a number >= 0 of contacts", demand["offered"] >= 0),
                          ("aht_s", "> 0 seconds", demand["aht_s"] > 0)):
        bad = ~ok.to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputFileError(
                f"{func}: 'demand' column {col!r} must be {rule}; row {i} (channel "
                f"{demand['channel'].iloc[i]!r}, interval_start "
                f"{demand['interval_start'].iloc[i]}) has {demand[col].iloc[i]!r}. Missing "
                "values are never read as zero: fill it.")
    out: dict[str, pd.DataFrame] = {}
    for name in sorted(demand["channel"].astype(str).unique()):
        part = demand[demand["channel"].astype(str) == name]
        part = part.sort_values("interval_start", kind="stable")
        starts = pd.DatetimeIndex(pd.to_datetime(part["interval_start"]))
        if starts.has_duplicates:
            raise InputFileError(f"{func}: 'demand' has two rows for channel {name!r} at "
                                 f"{starts[starts.duplicated()][0]}. Keep one row per interval.")
        steps = np.asarray((starts[1:] - starts[:-1]).total_seconds(), dtype=float)
        gap = np.flatnonzero(steps != interval_s)
        if gap.size:
            k = int(gap[0])
            raise InputFileError(
                f"{func}: 'demand' channel {name!r}: interval_start {starts[k + 1]} follows "
                f"{starts[k]} by {steps[k]:g} s, not interval_s={interval_s:g}. Give every "
                "interval of the horizon: the demand as it would arrive 24x7.")
        out[name] = pd.DataFrame({"interval_start": starts,
                                  "offered": part["offered"].to_numpy(dtype=float),
                                  "aht_s": part["aht_s"].to_numpy(dtype=float)})
    return out


def _landing_weights(is_open: np.ndarray, first: int, interval_s: float, spread_s: float,
                     wrap: bool) -> tuple[np.ndarray, np.ndarray]:
    """Intervals that receive the retries of an opening at ``first``, and their weights.

    Each open interval of that opening gets its overlap with the first
    ``spread_s`` seconds after the opening; the weights are normalised to 1.
    """
    n = is_open.size
    idx, overlap = [], []
    k = 0
    while k < n:
        i = first + k
        if i >= n:
            if not wrap:
                break
            i -= n
        if not is_open[i] or k * interval_s >= spread_s:
            break
        idx.append(i)
        overlap.append(min((k + 1) * interval_s, spread_s) - k * interval_s)
        k += 1
    w = np.asarray(overlap, dtype=float)
    return np.asarray(idx, dtype=np.int64), w / w.sum()


def _flows_one(arrived: np.ndarray, is_open: np.ndarray, interval_s: float, retry: float,
               lost: float, spread_s: float, wrap: bool) -> dict[str, np.ndarray]:
    n = arrived.size
    closed = ~is_open
    x = np.where(closed, arrived, 0.0)
    retried = retry * x
    lost_closed = lost * x
    diverted = np.maximum(x - retried - lost_closed, 0.0)
    landing = np.zeros(n)
    beyond = np.zeros(n)
    # Openings: open intervals whose predecessor is closed (cyclically with wrap-around).
    prev_closed = np.roll(closed, 1)
    if not wrap:
        prev_closed[0] = False
    openings = np.flatnonzero(is_open & prev_closed)
    # Closed runs; each sends its retries to the next opening.
    i = 0
    while i < n:
        if not closed[i]:
            i += 1
            continue
        j = i
        while j < n and closed[j]:
            j += 1
        total = float(retried[i:j].sum())
        after = openings[openings >= j]
        if after.size:
            first = int(after[0])
        elif wrap and openings.size:
            first = int(openings[0])
        else:
            first = -1
        if first < 0:
            beyond[i:j] = retried[i:j]
        elif total > 0:
            idx, w = _landing_weights(is_open, first, interval_s, spread_s, wrap)
            share = total * w
            share[-1] = total - share[:-1].sum()
            np.add.at(landing, idx, share)
        i = j
    arrived_open = np.where(is_open, arrived, 0.0)
    return {"is_open": is_open, "arrived": arrived, "arrived_while_open": arrived_open,
            "arrived_while_closed": x, "retried": retried, "lost_closed": lost_closed,
            "diverted": diverted, "retry_beyond_horizon": beyond, "retries_landing": landing,
            "offered": arrived_open + landing}


def closed_hours_demand(demand: pd.DataFrame, hours: OpeningHours, *, interval_s: float,
                        retry_share: float, lost_share: float, retry_spread_s: float = 7200.0,
                        wrap_around: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demand the centre sees under given opening hours, and where the rest went.

    Parameters
    ----------
    demand : pandas.DataFrame
        The ``forecast`` contract (``channel``, ``interval_start``, ``offered``
        in contacts >= 0, ``aht_s`` in seconds > 0) for the demand as it would
        arrive 24x7: every interval of the horizon, ``interval_s`` apart. Not
        modified.
    hours : OpeningHours
        When the centre is open.
    interval_s : float
        Interval length, seconds, > 0 (never inferred from the rows).
    retry_share : float
        Share of the contacts arriving while closed that call again after the
        next opening, in [0, 1].
    lost_share : float
        Share of them that are lost, in [0, 1]; ``retry_share + lost_share <=
        1``, the rest being diverted to other channels.
    retry_spread_s : float, optional
        The retries arrive evenly over this many seconds after the next
        opening, > 0 (default 7200, two hours).
    wrap_around : bool, optional
        ``True`` (default): the horizon repeats (a standard week), so the
        contacts of the last closed hours retry at the first opening of the
        horizon. ``False``: they are counted in ``retry_beyond_horizon``.

    Returns
    -------
    forecast : pandas.DataFrame
        The ``forecast`` contract as the centre sees it: ``channel``,
        ``interval_start``, ``offered`` (contacts arriving while open plus
        retries landing; 0 where closed), ``aht_s``, and ``is_open`` (bool).
    flows : pandas.DataFrame
        One row per channel and interval, columns :data:`FLOW_COLUMNS`
        (contacts): ``arrived`` = ``arrived_while_open`` +
        ``arrived_while_closed``; ``arrived_while_closed`` = ``retried`` +
        ``lost_closed`` + ``diverted``; ``retries_landing`` (retries offered in
        this interval); ``offered`` = ``arrived_while_open`` +
        ``retries_landing``; ``retry_beyond_horizon`` (retried contacts whose
        next opening is past the horizon, only without wrap-around). Summed
        over the horizon: arrived = offered + lost_closed + diverted +
        retry_beyond_horizon.

    Raises
    ------
    InputFileError
        A share, ``interval_s`` or ``retry_spread_s`` is out of range, or
        ``demand`` lacks a column, an interval or holds a bad value.

    Examples
    --------
    >>> starts = pd.date_range("2026-01-05 06:00", periods=5, freq="h")
    >>> demand = pd.DataFrame({"channel": "voice", "interval_start": starts,
    ...                        "offered": [10.0, 20.0, 30.0, 30.0, 30.0], "aht_s": 240.0})
    >>> seen, flows = closed_hours_demand(demand, OpeningHours.preset("extended"),
    ...                                   interval_s=3600, retry_share=0.5, lost_share=0.5)
    >>> seen["offered"].tolist()
    [0.0, 0.0, 37.5, 37.5, 30.0]
    """
    func = "closed_hours_demand()"
    interval_s = _check_positive(func, "interval_s", interval_s, "3600 for hourly intervals")
    retry, lost = _check_shares(func, retry_share, lost_share)
    spread = _check_positive(func, "retry_spread_s", retry_spread_s, "7200 for two hours")
    if not isinstance(hours, OpeningHours):
        raise InputFileError(f"{func}: hours must be an OpeningHours, got {hours!r}. Build one "
                             "with OpeningHours.preset('8x5') or OpeningHours.weekly(...).")
    per_channel = _demand_grid(func, demand, interval_s)
    seen_parts, flow_parts = [], []
    for name, part in per_channel.items():
        starts = pd.DatetimeIndex(part["interval_start"])
        is_open = hours.is_open(starts, interval_s)
        f = _flows_one(part["offered"].to_numpy(), is_open, interval_s, retry, lost, spread,
                       bool(wrap_around))
        flow_parts.append(pd.DataFrame({"channel": name, "interval_start": starts, **f},
                                       columns=list(FLOW_COLUMNS)))
        seen_parts.append(pd.DataFrame({"channel": name, "interval_start": starts,
                                        "offered": f["offered"],
                                        "aht_s": part["aht_s"].to_numpy(), "is_open": is_open}))
    seen = pd.concat(seen_parts, ignore_index=True)
    flows = pd.concat(flow_parts, ignore_index=True)
    return seen, flows


