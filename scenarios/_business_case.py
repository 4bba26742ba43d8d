"""Business case for opening hours: 8x5 against extended hours against 24x7.

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
``staffing.ScheduleRules.wrap_around``) or are reported as
``retry_beyond_horizon`` (``wrap_around=False``). Either way the contacts are
conserved exactly::

    arrived = offered (seen by the centre) + lost_closed + diverted + retry_beyond_horizon

and, after the queue,

    offered = handled + abandoned.

Pipeline of :func:`business_case` per option: the adjusted forecast ->
``staffing.requirements`` (Erlang C, or Erlang A with ``mean_patience_s``; 0
agents where closed) -> ``staffing.schedule_shifts`` with the option's open
intervals -> the scheduled agents evaluated per interval with
``staffing.queue_kpis`` (analytic), and optionally with ``simulator.simulate``
for a service level with a confidence interval.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from simulator import ChannelModel, mean_interval, simulate
from staffing import (
    PayRates,
    Schedule,
    ScheduleRules,
    ShiftTemplate,
    clock_seconds,
    queue_kpis,
    requirements,
)
from staffing import schedule_shifts as _schedule_shifts

from ._errors import InputFileError

DAY_S = 86400.0
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_CLOSED = (0.0, 0.0)

#: Columns of the flows table returned by :func:`closed_hours_demand`, in order.
FLOW_COLUMNS = ("channel", "interval_start", "is_open", "arrived", "arrived_while_open",
                "arrived_while_closed", "retried", "lost_closed", "diverted",
                "retry_beyond_horizon", "retries_landing", "offered")


def _hhmm(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}"


@dataclass(frozen=True)
class OpeningHours:
    """When the centre is open: one opening range per weekday, and closed holidays.

    Build one with :meth:`weekly` or :meth:`preset`; the fields are checked
    when the object is made.

    Parameters
    ----------
    name : str
        Label used in result tables, e.g. ``"extended"``.
    hours_by_weekday_s : tuple of 7 (float, float)
        Monday first: ``(open_s, close_s)`` in seconds after midnight (local
        wall-clock time), ``0 <= open_s <= close_s <= 86400``; ``(0, 0)`` for a
        closed day, ``(0, 86400)`` for all day. Ranges past midnight are not
        supported: split them over two days.
    holidays : tuple of datetime.date, optional
        Dates on which the centre is closed all day (default none).

    Examples
    --------
    >>> OpeningHours.preset("extended").describe()
    'Mon-Sat 08:00-20:00'
    """

    name: str
    hours_by_weekday_s: tuple[tuple[float, float], ...]
    holidays: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        where = f"OpeningHours {self.name!r}"
        hours = self.hours_by_weekday_s
        if not isinstance(hours, tuple | list) or len(hours) != 7:
            raise InputFileError(
                f"{where}: hours_by_weekday_s must hold 7 (open_s, close_s) pairs, Monday first, "
                f"got {hours!r}. Use (0, 0) for a closed day.")
        for d, pair in enumerate(hours):
            ok = isinstance(pair, tuple | list) and len(pair) == 2
            if ok:
                lo, hi = pair
                ok = all(isinstance(v, int | float) and math.isfinite(v) for v in pair)
                ok = ok and 0 <= lo <= hi <= DAY_S
            if not ok:
                raise InputFileError(
                    f"{where}: {_WEEKDAYS[d]} hours must be (open_s, close_s) with 0 <= open_s "
                    f"<= close_s <= 86400 seconds after midnight, got {pair!r}. Write 08:00-20:00 "
                    "as (28800, 72000); split ranges past midnight over two days.")
        if not all(isinstance(h, date) for h in self.holidays):
            raise InputFileError(f"{where}: holidays must be datetime.date values, got "
                                 f"{self.holidays!r}.")

    @classmethod
    def weekly(cls, name: str, open_s: float, close_s: float,
               days: Sequence[int] = (0, 1, 2, 3, 4),
               holidays: Sequence[date] = ()) -> OpeningHours:
        """The same hours on the given weekdays, closed on the others.

        Parameters
        ----------
        name : str
            Label of the option.
        open_s, close_s : float
            Opening and closing time, seconds after midnight,
            ``0 <= open_s <= close_s <= 86400``.
        days : sequence of int, optional
            Open weekdays, 0 = Monday ... 6 = Sunday (default Monday to Friday).
        holidays : sequence of datetime.date, optional
            Dates closed all day.

        Returns
        -------
        OpeningHours
            The opening hours.

        Examples
        --------
        >>> OpeningHours.weekly("late", 10 * 3600, 22 * 3600, days=(0, 1)).describe()
        'Mon-Tue 10:00-22:00'
        """
        bad = [d for d in days if d not in range(7)]
        if bad:
            raise InputFileError(f"OpeningHours {name!r}: days must be weekday numbers 0 "
                                 f"(Monday) to 6 (Sunday), got {list(days)!r}.")
        pairs = tuple((float(open_s), float(close_s)) if d in days else _CLOSED
                      for d in range(7))
        return cls(name, pairs, tuple(holidays))

    @classmethod
    def preset(cls, name: str, holidays: Sequence[date] = ()) -> OpeningHours:
        """One of the three standard options of the business case.

        Parameters
        ----------
        name : {"8x5", "extended", "24x7"}
            ``"8x5"``: Monday to Friday 09:00-17:00 (office hours: eight hours
            a day, five days, inside the extended hours so the three options
            are nested); ``"extended"``: Monday to Saturday 08:00-20:00;
            ``"24x7"``: always open.
        holidays : sequence of datetime.date, optional
            Dates closed all day (also for ``"24x7"`` if given).

        Returns
        -------
        OpeningHours
            The preset, named ``name``.

        Examples
        --------
        >>> OpeningHours.preset("8x5").describe()
        'Mon-Fri 09:00-17:00'
        >>> OpeningHours.preset("24x7").describe()
        'Mon-Sun 00:00-24:00'
        """
        if name == "8x5":
            return cls.weekly(name, 9 * 3600, 17 * 3600, (0, 1, 2, 3, 4), holidays)
        if name == "extended":
            return cls.weekly(name, 8 * 3600, 20 * 3600, (0, 1, 2, 3, 4, 5), holidays)
        if name == "24x7":
            return cls.weekly(name, 0, DAY_S, tuple(range(7)), holidays)
        raise InputFileError(f"OpeningHours.preset(): unknown preset {name!r}; choose '8x5', "
                             "'extended' or '24x7', or build other hours with "
                             "OpeningHours.weekly().")

    def describe(self) -> str:
        """Short text such as ``'Mon-Sat 08:00-20:00'`` (runs of days with equal hours).

        Returns
        -------
        str
            The open days and hours, ``'closed'`` if never open.
        """
        parts = []
        d = 0
        while d < 7:
            pair = tuple(self.hours_by_weekday_s[d])
            e = d
            while e + 1 < 7 and tuple(self.hours_by_weekday_s[e + 1]) == pair:
                e += 1
            if pair[1] > pair[0]:
                days = _WEEKDAYS[d] if d == e else f"{_WEEKDAYS[d]}-{_WEEKDAYS[e]}"
                parts.append(f"{days} {_hhmm(pair[0])}-{_hhmm(pair[1])}")
            d = e + 1
        text = ", ".join(parts) or "closed"
        if self.holidays:
            text += f" (closed on {len(self.holidays)} holiday(s))"
        return text

    def is_open(self, interval_start: Any, interval_s: float) -> np.ndarray:
        """Which intervals are open: their start falls inside the day's opening range.

        Parameters
        ----------
        interval_start : sequence of timestamps
            Left edges of the intervals (local wall-clock time is used).
        interval_s : float
            Interval length, seconds, > 0. Opening and closing times must fall
            on the interval grid, so an interval is either wholly open or
            wholly closed.

        Returns
        -------
        numpy.ndarray of bool
            One value per interval.

        Examples
        --------
        >>> starts = pd.date_range("2026-01-05 07:00", periods=3, freq="h")
        >>> OpeningHours.preset("extended").is_open(starts, 3600).tolist()
        [False, True, True]
        """
        for d, (lo, hi) in enumerate(self.hours_by_weekday_s):
            for label, v in (("open", lo), ("close", hi)):
                ratio = v / interval_s
                if abs(ratio - round(ratio)) > 1e-9:
                    raise InputFileError(
                        f"OpeningHours {self.name!r}: {_WEEKDAYS[d]} {label}s at {_hhmm(v)}, "
                        f"which is not on the {interval_s:g}-second interval grid. Move it to "
                        "an interval boundary, or use shorter intervals.")
        starts = pd.DatetimeIndex(pd.to_datetime(interval_start))
        tod = clock_seconds(starts)
        weekday = starts.day_of_week.to_numpy()
        lo_hi = np.asarray(self.hours_by_weekday_s, dtype=float)
        lo, hi = lo_hi[weekday, 0], lo_hi[weekday, 1]
        mask = (tod >= lo) & (tod < hi)
        if self.holidays:
            mask &= ~np.isin(np.asarray(starts.date), np.asarray(self.holidays))
        return np.asarray(mask, dtype=bool)


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


@dataclass(frozen=True)
class BusinessCase:
    """Result of :func:`business_case`: tidy tables, one option per opening-hours choice.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per option, in the order given: ``option``, ``hours`` (text),
        contacts (``arrived``, ``arrived_while_closed``, ``retried``,
        ``lost_closed``, ``diverted``, ``retry_beyond_horizon``, ``offered``,
        ``handled``, ``abandoned``, ``lost`` = lost_closed + abandoned,
        ``answered_within_target``), ``service_level`` (answered within target
        / offered to the centre, 0-1), ``service_level_of_demand`` (answered
        within target / arrived), ``cost`` (currency), ``cost_per_handled``,
        ``headcount``, ``fte``, ``paid_hours`` (h), ``under_agent_intervals``,
        ``overloaded_intervals`` (Erlang C intervals with agents <= load),
        ``solver_status``, ``mip_gap``; with simulation also
        ``sim_service_level``, ``sim_service_level_ci_low``,
        ``sim_service_level_ci_high``, ``sim_handled``.
    service_by_hour : pandas.DataFrame
        Per option, channel and hour of day (0-23, over all days of the
        horizon): ``offered``, ``handled``, ``answered_within_target``
        (contacts) and ``service_level`` (NaN where nothing was offered).
    incremental : pandas.DataFrame
        One row per compared pair: ``option_from``, ``option_to``,
        ``cost_from``, ``cost_to``, ``handled_from``, ``handled_to``,
        ``delta_cost``, ``delta_handled``, ``cost_per_incremental_contact``
        (= delta_cost / delta_handled; NaN when delta_handled is 0).
    intervals : pandas.DataFrame
        Per option, channel and interval: ``is_open``, ``arrived``,
        ``offered``, ``agents_required``, ``agents_scheduled``,
        ``agents_on_queue`` (after shrinkage), ``service_level``,
        ``abandon_rate``, ``handled``, ``abandoned``, ``answered_within_target``.
    flows : pandas.DataFrame
        The flows of :func:`closed_hours_demand` with an ``option`` column.
    schedules : dict of str to staffing.Schedule
        The solved schedule of each option.
    """

    summary: pd.DataFrame
    service_by_hour: pd.DataFrame
    incremental: pd.DataFrame
    intervals: pd.DataFrame
    flows: pd.DataFrame
    schedules: dict[str, Schedule] = field(default_factory=dict)


def _evaluate(seen: pd.DataFrame, coverage: pd.DataFrame, reqs: pd.DataFrame,
              interval_s: float, shrinkage: float, answer_within_s: float,
              mean_patience_s: float | None) -> pd.DataFrame:
    """Analytic KPIs per interval at the scheduled staffing."""
    on_duty = coverage.set_index(["channel", "interval_start"])["agents_scheduled"]
    key = pd.MultiIndex.from_frame(seen[["channel", "interval_start"]])
    scheduled = on_duty.reindex(key).to_numpy(dtype=float)
    # Agents on the phones: on duty less shrinkage, rounded down (so meeting the
    # scheduler's target ceil(required / (1 - shrinkage)) gives at least the requirement).
    on_queue = np.floor(scheduled * (1.0 - shrinkage) + 1e-9).astype(np.int64)
    offered = seen["offered"].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overloaded intervals: counted below
        kpis = queue_kpis(on_queue, offered, interval_s, seen["aht_s"].to_numpy(dtype=float),
                          answer_within_s, mean_patience_s)
    sl = kpis["service_level"].to_numpy()
    p_ab = kpis["abandon_rate"].to_numpy()
    # Nobody to answer: the contacts of that interval are lost, under Erlang C too.
    p_lost = np.where((on_queue == 0) & (offered > 0), 1.0, p_ab)
    load = kpis["offered_load_erl"].to_numpy()
    overloaded = (mean_patience_s is None) & (offered > 0) & (on_queue > 0) & (on_queue <= load)
    return pd.DataFrame({
        "channel": seen["channel"].to_numpy(), "interval_start": seen["interval_start"],
        "is_open": seen["is_open"].to_numpy(), "offered": offered,
        "agents_required": reqs["agents_required"].to_numpy(),
        "agents_scheduled": scheduled.astype(np.int64), "agents_on_queue": on_queue,
        "service_level": np.where(offered > 0, sl, np.nan),
        "abandon_rate": np.where(offered > 0, p_lost, np.nan),
        "handled": offered * (1.0 - p_lost), "abandoned": offered * p_lost,
        "answered_within_target": offered * np.where(offered > 0, sl, 0.0),
        "is_overloaded": overloaded,
    })


def _simulated(seen: pd.DataFrame, intervals: pd.DataFrame, interval_s: float,
               answer_within_s: float, mean_patience_s: float | None, n_replications: int,
               seed: int) -> dict[str, float]:
    coverage = intervals[["channel", "interval_start"]].copy()
    coverage["agents_on_queue"] = intervals["agents_on_queue"].to_numpy()
    setting = ChannelModel(answer_within_s=answer_within_s, mean_patience_s=mean_patience_s)
    channels = {str(c): setting for c in seen["channel"].unique()}
    sim, _ = simulate(seen[["channel", "interval_start", "offered", "aht_s"]], coverage,
                      interval_s=interval_s, channels=channels, n_replications=n_replications,
                      seed=seed)
    per = sim.groupby("replication")[["offered", "answered", "answered_within_target"]].sum()
    sl = (per["answered_within_target"] / per["offered"]).to_numpy()
    mean, low, high = mean_interval(sl[:, None], kind="fraction",
                                    n_contacts=float(per["offered"].sum()))
    return {"sim_service_level": float(mean[0]), "sim_service_level_ci_low": float(low[0]),
            "sim_service_level_ci_high": float(high[0]),
            "sim_handled": float(per["answered"].mean())}


def _pairs(names: list[str], compare: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(zip(names[:-1], names[1:], strict=True))
    for pair in compare:
        if not (isinstance(pair, tuple | list) and len(pair) == 2
                and all(p in names for p in pair)):
            raise InputFileError(
                f"business_case(): compare must hold (option_from, option_to) pairs of option "
                f"names ({', '.join(names)}), got {pair!r}.")
        if tuple(pair) not in out:
            out.append((str(pair[0]), str(pair[1])))
    return out


def business_case(demand: pd.DataFrame, options: Mapping[str, OpeningHours], *,
                  interval_s: float,
                  templates: Sequence[ShiftTemplate] | Mapping[str, Sequence[ShiftTemplate]],
                  retry_share: float, lost_share: float, rules: ScheduleRules | None = None,
                  rates: PayRates | None = None, service_level_target: float = 0.8,
                  answer_within_s: float = 20.0, mean_patience_s: float | None = None,
                  retry_spread_s: float = 7200.0, wrap_around: bool = True,
                  compare: Sequence[tuple[str, str]] = (),
                  n_replications: int | None = None, seed: int = 0) -> BusinessCase:
    """Compare opening-hours options on contacts handled and lost, service and cost.

    Per option: the demand the centre sees (:func:`closed_hours_demand`) ->
    ``staffing.requirements`` -> ``staffing.schedule_shifts`` on the option's
    open intervals -> the scheduled agents evaluated per interval with
    ``staffing.queue_kpis``, and with ``simulator.simulate`` if
    ``n_replications`` is given. Deterministic for given inputs (the
    scheduler's result may differ only if it stops at its time limit).

    Parameters
    ----------
    demand : pandas.DataFrame
        The ``forecast`` contract (``channel``, ``interval_start``, ``offered``
        contacts >= 0, ``aht_s`` seconds > 0): the demand as it would arrive
        24x7, every interval of the horizon (a whole week for weekly
        opening hours). Not modified.
    options : mapping of str to OpeningHours
        The options, by name, in the order to compare them (e.g. narrowest
        first).
    interval_s : float
        Interval length, seconds, > 0 (never inferred from the rows).
    templates : sequence of staffing.ShiftTemplate, or mapping of option name to one
        Shift templates, shared by all options or given per option.
    retry_share, lost_share : float
        Shares of the contacts arriving while closed that retry after the next
        opening and that are lost, each in [0, 1], together <= 1 (the rest is
        diverted to other channels).
    rules : staffing.ScheduleRules, optional
        Labour rules and solver settings. With several channels use
        ``blend=False`` (the evaluation needs agents per channel).
    rates : staffing.PayRates, optional
        Pay and premiums.
    service_level_target : float, optional
        Target share answered within ``answer_within_s``, in (0, 1); default 0.8.
    answer_within_s : float, optional
        Service-level threshold, seconds, >= 0; default 20.
    mean_patience_s : float or None, optional
        MEAN patience, seconds, > 0: Erlang A, and abandoned contacts count as
        lost. ``None`` (default): Erlang C, nobody abandons (contacts are lost
        in the queue only where no agent is on duty).
    retry_spread_s : float, optional
        Retries arrive evenly over this many seconds after the next opening,
        > 0 (default 7200).
    wrap_around : bool, optional
        The horizon repeats (default ``True``); see :func:`closed_hours_demand`.
    compare : sequence of (str, str), optional
        Pairs of options for the incremental table, besides consecutive ones.
    n_replications : int or None, optional
        Also simulate each option with this many replications (>= 2).
    seed : int, optional
        Seed of the simulation (the same for every option).

    Returns
    -------
    BusinessCase
        Summary, service level by hour, incremental table, per-interval
        results, contact flows and the schedules.

    Raises
    ------
    InputFileError
        A share, option, template mapping or the demand table is invalid.
    staffing.StaffingError
        Raised by the staffing steps (e.g. an unreachable target, an
        infeasible schedule); the message names the interval or rule.
    """
    func = "business_case()"
    interval_s = _check_positive(func, "interval_s", interval_s, "3600 for hourly intervals")
    _check_shares(func, retry_share, lost_share)
    if not isinstance(options, Mapping) or not options:
        raise InputFileError(f"{func}: options must map option names to OpeningHours, e.g. "
                             "{'8x5': OpeningHours.preset('8x5')}, got " f"{options!r}.")
    for name, hours in options.items():
        if not isinstance(hours, OpeningHours):
            raise InputFileError(f"{func}: options[{name!r}] must be an OpeningHours, got "
                                 f"{hours!r}.")
    names = [str(k) for k in options]
    if isinstance(templates, Mapping):
        missing = [n for n in names if n not in templates]
        if missing:
            raise InputFileError(f"{func}: templates has no entry for option(s) {missing}; give "
                                 "templates for every option, or one list for all.")
    if n_replications is not None and not (isinstance(n_replications, int)
                                           and n_replications >= 2):
        raise InputFileError(f"{func}: n_replications must be None (no simulation) or a whole "
                             f"number >= 2, got {n_replications!r}.")
    rules = ScheduleRules() if rules is None else rules
    channels = sorted(demand["channel"].astype(str).unique()) if isinstance(
        demand, pd.DataFrame) and "channel" in demand.columns else []
    if rules.blend and len(channels) > 1:
        raise InputFileError(
            f"{func}: rules.blend=True pools channels {channels} into one team, but the "
            "service level is evaluated per channel and needs each channel's agents. Set "
            "ScheduleRules(blend=False), or run one channel at a time.")
    pairs = _pairs(names, compare)

    rows, hour_parts, interval_parts, flow_parts = [], [], [], []
    schedules: dict[str, Schedule] = {}
    for name in names:
        hours = options[name]
        seen, flows = closed_hours_demand(demand, hours, interval_s=interval_s,
                                          retry_share=retry_share, lost_share=lost_share,
                                          retry_spread_s=retry_spread_s,
                                          wrap_around=wrap_around)
        reqs = requirements(seen, interval_s=interval_s,
                            service_level_target=service_level_target,
                            answer_within_s=answer_within_s, mean_patience_s=mean_patience_s)
        reqs["agents_required"] = np.where(seen["is_open"].to_numpy(), reqs["agents_required"], 0)
        opens = pd.DatetimeIndex(seen.loc[seen["is_open"], "interval_start"].unique())
        option_templates = templates[name] if isinstance(templates, Mapping) else templates
        sched = _schedule_shifts(reqs, list(option_templates), interval_s=interval_s,
                                 rules=rules, rates=rates, open_intervals=opens)
        schedules[name] = sched
        coverage = sched.coverage.copy()
        if rules.blend:  # one channel: the pool is that channel
            coverage["channel"] = channels[0]
        ev = _evaluate(seen, coverage, reqs, interval_s, rules.shrinkage, answer_within_s,
                       mean_patience_s)
        ev.insert(4, "arrived", flows["arrived"].to_numpy())
        n_over = int(ev["is_overloaded"].sum())
        if n_over:
            warnings.warn(
                f"{func}: option {name!r} has {n_over} interval(s) where the scheduled agents "
                "do not exceed the offered load under Erlang C (no abandonment): their service "
                "level is 0 and every contact is counted as handled eventually. Give "
                "mean_patience_s for Erlang A, or use coverage='hard'.",
                RuntimeWarning, stacklevel=2)
        ev.insert(0, "option", name)
        interval_parts.append(ev)
        fl = flows.copy()
        fl.insert(0, "option", name)
        flow_parts.append(fl)
        by_hour = ev.assign(hour=pd.DatetimeIndex(ev["interval_start"]).hour).groupby(
            ["channel", "hour"], as_index=False)[["offered", "handled",
                                                  "answered_within_target"]].sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            by_hour["service_level"] = np.where(
                by_hour["offered"] > 0, by_hour["answered_within_target"] / by_hour["offered"],
                np.nan)
        by_hour.insert(0, "option", name)
        hour_parts.append(by_hour)

        s = sched.summary
        offered = float(ev["offered"].sum())
        handled = float(ev["handled"].sum())
        within = float(ev["answered_within_target"].sum())
        arrived = float(flows["arrived"].sum())
        row: dict[str, Any] = {
            "option": name, "hours": hours.describe(), "arrived": arrived,
            "arrived_while_closed": float(flows["arrived_while_closed"].sum()),
            "retried": float(flows["retried"].sum()),
            "lost_closed": float(flows["lost_closed"].sum()),
            "diverted": float(flows["diverted"].sum()),
            "retry_beyond_horizon": float(flows["retry_beyond_horizon"].sum()),
            "offered": offered, "handled": handled,
            "abandoned": float(ev["abandoned"].sum()),
            "lost": float(flows["lost_closed"].sum() + ev["abandoned"].sum()),
            "answered_within_target": within,
            "service_level": within / offered if offered > 0 else np.nan,
            "service_level_of_demand": within / arrived if arrived > 0 else np.nan,
            "cost": float(s["cost"]),
            "cost_per_handled": float(s["cost"]) / handled if handled > 0 else np.nan,
            "headcount": int(s["headcount"]), "fte": float(s["fte"]),
            "paid_hours": float(s["paid_hours"]),
            "under_agent_intervals": int(s["under_agent_intervals"]),
            "overloaded_intervals": n_over,
            "solver_status": str(s["status"]),
            "mip_gap": s.get("mip_gap"),
        }
        if n_replications is not None:
            row.update(_simulated(seen, ev, interval_s, answer_within_s, mean_patience_s,
                                  n_replications, seed))
        rows.append(row)

    summary = pd.DataFrame(rows)
    by_name = summary.set_index("option")
    inc = []
    for a, b in pairs:
        d_cost = float(by_name.at[b, "cost"] - by_name.at[a, "cost"])
        d_handled = float(by_name.at[b, "handled"] - by_name.at[a, "handled"])
        inc.append({"option_from": a, "option_to": b,
                    "cost_from": float(by_name.at[a, "cost"]),
                    "cost_to": float(by_name.at[b, "cost"]),
                    "handled_from": float(by_name.at[a, "handled"]),
                    "handled_to": float(by_name.at[b, "handled"]),
                    "delta_cost": d_cost, "delta_handled": d_handled,
                    "cost_per_incremental_contact": (d_cost / d_handled if d_handled != 0
                                                     else np.nan)})
    incremental = pd.DataFrame(inc, columns=[
        "option_from", "option_to", "cost_from", "cost_to", "handled_from", "handled_to",
        "delta_cost", "delta_handled", "cost_per_incremental_contact"])
    return BusinessCase(
        summary=summary,
        service_by_hour=pd.concat(hour_parts, ignore_index=True),
        incremental=incremental,
        intervals=pd.concat(interval_parts, ignore_index=True),
        flows=pd.concat(flow_parts, ignore_index=True),
        schedules=schedules,
    )
