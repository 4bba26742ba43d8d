"""Shift templates, breaks, labour rules and pay rates: the inputs of :func:`schedule_shifts`.

All four are frozen dataclasses that store what they are given; they are
checked when :func:`schedule_shifts` receives them (on the interval grid of
the requirements), and every error names the template, the field, the value
and the fix.

Times of day are local clock times in seconds after midnight (``7 * 3600`` is 07:00); offsets
inside a shift are seconds after the shift starts; weekdays are numbered as
Python numbers them (0 = Monday ... 6 = Sunday).

``clock_seconds`` reads that clock off timestamps, and ``interval_pay`` prices
one agent's intervals under a :class:`PayRates` (by the parts ``PAY_PARTS``).
This module is public: import its ``__all__`` from here
(``from staffing.shifts import ShiftTemplate``); the rest of it is private.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from .errors import InvalidParameterError

__all__ = [
    "PAY_PARTS",
    "BreakRule",
    "PayRates",
    "ScheduleRules",
    "ShiftTemplate",
    "clock_seconds",
    "interval_pay",
]

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_S = 86400.0


def clock_seconds(times: pd.DatetimeIndex) -> np.ndarray:
    """Local clock time of each timestamp, in seconds after midnight (float).

    The time on the clock, not the time elapsed since midnight: the two differ
    by the clock change on daylight-saving days, and some zones have no local
    midnight on those days. For a time-zone-aware index, its zone's clock.

    Parameters
    ----------
    times : pandas.DatetimeIndex or array-like of timestamps
        Naive (read as local) or time-zone-aware.

    Returns
    -------
    numpy.ndarray
        Seconds after midnight on the local clock, one per timestamp.

    Examples
    --------
    >>> import pandas as pd
    >>> clock_seconds(pd.DatetimeIndex(["2026-03-29 09:30"]).tz_localize("Europe/London"))
    array([34200.])
    """
    times = pd.DatetimeIndex(times)
    return (times.hour * 3600.0 + times.minute * 60.0 + times.second
            + times.microsecond / 1e6 + times.nanosecond / 1e9).to_numpy(dtype=float)


@dataclass(frozen=True)
class BreakRule:
    """One break in a shift and the window in which it may start.

    Parameters
    ----------
    name : str
        Label, e.g. ``"lunch"``.
    duration_s : float
        Length of the break, seconds, > 0, a whole number of intervals.
    earliest_start_s, latest_start_s : float
        Window for the break's start, seconds after the shift starts:
        ``0 <= earliest_start_s <= latest_start_s`` and the break must end by
        the end of the shift (``latest_start_s + duration_s <= length_s``).
    is_paid : bool, optional
        Paid breaks cost money but the agent is off the queue; unpaid breaks
        (default) are neither paid nor on the queue.

    Examples
    --------
    >>> BreakRule("lunch", 1800, 3 * 3600, 5 * 3600).is_paid
    False
    """

    name: str
    duration_s: float
    earliest_start_s: float
    latest_start_s: float
    is_paid: bool = False


@dataclass(frozen=True)
class ShiftTemplate:
    """A kind of shift: its length, the starts it may take, its breaks and its pay.

    Parameters
    ----------
    name : str
        Unique label, e.g. ``"FT8"``.
    length_s : float
        From the shift's start to its end, breaks included, seconds, > 0; a
        whole number of intervals.
    earliest_start_s, latest_start_s : float
        First and last start time of day, seconds after midnight, in
        ``[0, 86400)``; ``latest_start_s >= earliest_start_s``.
    start_step_s : float, optional
        Spacing of the start times, seconds, > 0 (default 1800). Starts fall
        on the interval grid.
    breaks : tuple of BreakRule, optional
        Breaks, in order; their windows may not let two breaks overlap.
    days : tuple of int, optional
        Weekdays on which the shift may start (0 = Monday); default all.
    days_per_week : int or None, optional
        ``None`` (default): each day's shifts are chosen on their own (a daily
        plan). An int from 1 to 7: weekly tours, each agent works this many
        days at the same start time (the horizon must be one week).
    consecutive_days_off : bool, optional
        With tours: the days off are consecutive (default, e.g. 5 on and 2
        off in a row), otherwise any days.
    same_start_time : bool, optional
        With tours: each agent starts at the same time every working day
        (default). ``False``: only the days-off pattern is fixed per agent and
        each day's start is chosen on its own (a much smaller programme for
        long start-time grids; the shifts table says which starts each day
        needs, and the tours table gives the patterns with ``start_time``
        ``"varies"``).
    agent_type : str, optional
        Key into :class:`PayRates` ``hourly_rates`` (default ``"agent"``).
    hourly_rate : float or None, optional
        Base pay per paid hour for this template, overriding the agent type's.
    is_part_time : bool, optional
        Counts toward the part-time share of :class:`ScheduleRules`.
    min_headcount, max_headcount : int, optional
        Bounds on the agents on this template: per tour template, agents on
        its tours; per daily template, shifts starting on each day it runs.
    channels : tuple of str or None, optional
        Channels the agents may work when channels are scheduled separately
        (``blend=False``); default all.

    Examples
    --------
    >>> t = ShiftTemplate("FT8", 8 * 3600, 7 * 3600, 11 * 3600, start_step_s=3600)
    >>> t.days
    (0, 1, 2, 3, 4, 5, 6)
    """

    name: str
    length_s: float
    earliest_start_s: float
    latest_start_s: float
    start_step_s: float = 1800.0
    breaks: tuple[BreakRule, ...] = ()
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    days_per_week: int | None = None
    consecutive_days_off: bool = True
    same_start_time: bool = True
    agent_type: str = "agent"
    hourly_rate: float | None = None
    is_part_time: bool = False
    min_headcount: int = 0
    max_headcount: int | None = None
    channels: tuple[str, ...] | None = None

    def start_times_s(self) -> list[float]:
        """Start times of day allowed by the grid, seconds after midnight.

        Returns
        -------
        list of float
            ``earliest_start_s, earliest_start_s + start_step_s, ...`` up to
            ``latest_start_s``.

        Examples
        --------
        >>> ShiftTemplate("x", 3600, 0, 7200, start_step_s=3600).start_times_s()
        [0.0, 3600.0, 7200.0]
        """
        n = int(math.floor((self.latest_start_s - self.earliest_start_s) / self.start_step_s
                           + 1e-9))
        return [float(self.earliest_start_s + k * self.start_step_s) for k in range(n + 1)]

    def paid_s(self) -> float:
        """Paid seconds of one shift: its length less its unpaid breaks.

        Examples
        --------
        >>> ShiftTemplate("x", 9 * 3600, 0, 0, breaks=(BreakRule("lunch", 3600, 3600, 7200),)
        ...               ).paid_s()
        28800.0
        """
        return float(self.length_s - sum(b.duration_s for b in self.breaks if not b.is_paid))


@dataclass(frozen=True)
class ScheduleRules:
    """Labour rules and solver settings of :func:`schedule_shifts`.

    Parameters
    ----------
    coverage : {"soft", "hard"}, optional
        ``"soft"`` (default): shortfalls are allowed at ``under_penalty`` per
        agent-interval; ``"hard"``: every interval gets at least its
        requirement, or the schedule is infeasible.
    under_penalty : float or None, optional
        Cost of one agent missing for one interval, currency, > 0. Default:
        ten times the dearest paid agent-interval, so the solver covers
        wherever the rules allow.
    blend : bool, optional
        ``True`` (default): one pool of agents serves all channels and the
        channels' requirements add up per interval. ``False``: each channel
        has its own agents.
    shrinkage : float, optional
        Share of on-duty time lost to absence, meetings and training (breaks
        are scheduled explicitly, so leave them out), in [0, 1). Agents on
        duty must reach ``ceil(agents_required / (1 - shrinkage))``.
    min_agents_on_duty : int, optional
        Agents on duty (off break) in every open interval, >= 0 (a hard rule).
    max_total_headcount : int or None, optional
        Cap on agents employed (tours count once; daily shifts per day).
    max_part_time_share, min_part_time_share : float or None, optional
        Bounds on the part-time share of the headcount, in [0, 1].
    wrap_around : bool, optional
        The horizon repeats (a standard week): a shift that runs past the end
        covers the first intervals. Default ``False``: shifts must end within
        the horizon.
    contracted_hours_per_week : float, optional
        Paid hours of one full-time agent per week, for FTE (default 37.5).
    time_limit_s : float, optional
        Safety net, seconds of wall time, > 0 (default 600). The solver stops on
        ``mip_rel_gap`` or ``max_nodes``, which do not depend on the machine's
        speed or load, so the same inputs give the same schedule anywhere. Only
        a solve still running after ``time_limit_s`` is interrupted; the
        schedule then has ``summary["status"] == "time_limit"`` and depends on
        the machine (raise the limit, or lower ``max_nodes``).
    max_nodes : int, optional
        Branch-and-bound nodes after which HiGHS stops with the best schedule
        found (status ``"gap_above_target"`` when its gap is above
        ``mip_rel_gap``), >= 0 (default 5000). A deterministic budget: the
        root node (cuts and heuristics) always runs in full.
    method : {"auto", "direct", "two_stage"}, optional
        ``"direct"``: HiGHS branch-and-cut on the whole model.
        ``"two_stage"``: choose shifts and tours with breaks spread evenly
        over their windows, then place the breaks exactly; the gap is
        reported against the LP bound of the full model.
        ``"auto"`` (default): direct; large models with break windows (over
        1500 shift and tour variables) solve their LP relaxations by interior
        point.
    mip_rel_gap : float, optional
        Relative MIP gap at which the solver stops, in [0, 1) (default
        0.001): it stops as soon as it holds a schedule certified within this
        gap of its bound.

    Examples
    --------
    >>> ScheduleRules(coverage="hard").blend
    True
    """

    coverage: str = "soft"
    under_penalty: float | None = None
    blend: bool = True
    shrinkage: float = 0.0
    min_agents_on_duty: int = 0
    max_total_headcount: int | None = None
    max_part_time_share: float | None = None
    min_part_time_share: float | None = None
    wrap_around: bool = False
    contracted_hours_per_week: float = 37.5
    time_limit_s: float = 600.0
    method: str = "auto"
    mip_rel_gap: float = 0.001
    max_nodes: int = 5000


@dataclass(frozen=True)
class PayRates:
    """What an agent-hour costs: base rates, premiums and overhead.

    The pay of one agent for one paid interval is ``base rate x hours x (1 +
    night premium [if the interval starts in the night window] + weekend
    premium [if it starts on a weekend day] + holiday premium [if it starts
    on a public holiday])`` plus ``overhead_per_paid_hour x hours``. Premiums
    add up (a Sunday night on a holiday gets all three).

    Parameters
    ----------
    hourly_rates : dict of str to float, optional
        Base pay per paid hour by agent type, currency >= 0 (default
        ``{"agent": 20.0}``). A template's own ``hourly_rate`` wins.
    overhead_per_paid_hour : float, optional
        Seats, IT, management per paid hour, currency >= 0 (no premiums).
    night_premium : float, optional
        Extra share of the base rate in the night window, >= 0 (0.25 = +25%).
    night_start_s, night_end_s : float, optional
        Night window, as local clock times in seconds after midnight (so
        22:00 is 22:00 on clock-change days too; an interval is in it by its
        start); wraps past midnight when the start is after the end (default
        22:00-06:00).
    weekend_premium : float, optional
        Extra share on ``weekend_days``, >= 0.
    weekend_days : tuple of int, optional
        Weekdays with the weekend premium (default Saturday and Sunday).
    holiday_premium : float, optional
        Extra share on ``holidays``, >= 0.
    holidays : tuple of datetime.date, optional
        Public holidays (e.g. from the ``holidays`` package).

    Examples
    --------
    >>> PayRates(night_premium=0.25).night_start_s / 3600
    22.0
    """

    hourly_rates: dict[str, float] = field(default_factory=lambda: {"agent": 20.0})
    overhead_per_paid_hour: float = 0.0
    night_premium: float = 0.0
    night_start_s: float = 22 * 3600.0
    night_end_s: float = 6 * 3600.0
    weekend_premium: float = 0.0
    weekend_days: tuple[int, ...] = (5, 6)
    holiday_premium: float = 0.0
    holidays: tuple[date, ...] = ()


def _hhmm(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _whole(where: str, name: str, value: float, interval_s: float, fix: str) -> int:
    ratio = value / interval_s
    if not math.isfinite(ratio) or abs(ratio - round(ratio)) > 1e-9:
        lo = math.floor(ratio) * interval_s
        raise InvalidParameterError(
            f"{where}: {name} = {value:g} s is not a whole number of {interval_s:g}-second "
            f"intervals. {fix} (e.g. {lo:g} or {lo + interval_s:g}).")
    return int(round(ratio))


def _check_template(t: ShiftTemplate, interval_s: float, horizon_s: float,
                   rates: PayRates) -> None:
    """Reject a template that cannot be scheduled, naming the field and the fix."""
    where = f"shift template {t.name!r}"
    if not isinstance(t, ShiftTemplate):
        raise InvalidParameterError(
            f"schedule_shifts(): templates must be ShiftTemplate objects, got {t!r}.")
    if not (t.length_s > 0):
        raise InvalidParameterError(f"{where}: length_s must be > 0 seconds, got {t.length_s!r}. "
                                    "Give the shift length including breaks, e.g. 30600.")
    _whole(where, "length_s", t.length_s, interval_s, "Make the shift length a multiple")
    if t.length_s > horizon_s:
        raise InvalidParameterError(
            f"{where}: length_s = {t.length_s:g} s ({t.length_s / 3600:g} h) does not fit in the "
            f"{horizon_s / 3600:g}-hour horizon of the requirements. Shorten the shift or give "
            "requirements for a longer horizon.")
    for name in ("earliest_start_s", "latest_start_s"):
        v = getattr(t, name)
        if not (0 <= v < DAY_S):
            raise InvalidParameterError(
                f"{where}: {name} must be a time of day in [0, 86400) seconds after midnight, "
                f"got {v!r}. Write 07:00 as 25200.")
        _whole(where, name, v, interval_s, "Put start times on the interval grid")
    if t.latest_start_s < t.earliest_start_s:
        raise InvalidParameterError(
            f"{where}: latest_start_s ({_hhmm(t.latest_start_s)}) is before earliest_start_s "
            f"({_hhmm(t.earliest_start_s)}). Swap them; for shifts starting around midnight "
            "use two templates.")
    if not (t.start_step_s > 0):
        raise InvalidParameterError(f"{where}: start_step_s must be > 0 seconds, got "
                                    f"{t.start_step_s!r}, e.g. 1800 for starts every 30 min.")
    _whole(where, "start_step_s", t.start_step_s, interval_s, "Make the start step a multiple")
    if not t.days or any(d not in range(7) for d in t.days) or len(set(t.days)) != len(t.days):
        raise InvalidParameterError(
            f"{where}: days must be distinct weekday numbers 0 (Monday) to 6 (Sunday), got "
            f"{t.days!r}.")
    if t.days_per_week is not None:
        if t.days_per_week not in range(1, 8):
            raise InvalidParameterError(
                f"{where}: days_per_week must be 1 to 7, or None for a daily plan, got "
                f"{t.days_per_week!r}.")
        if t.days_per_week > len(t.days):
            raise InvalidParameterError(
                f"{where}: days_per_week = {t.days_per_week} but the shift may only start on "
                f"{len(t.days)} days ({', '.join(WEEKDAY_NAMES[d] for d in sorted(t.days))}). "
                "Allow more days or lower days_per_week.")
    rate = t.hourly_rate if t.hourly_rate is not None else rates.hourly_rates.get(t.agent_type)
    if rate is None:
        raise InvalidParameterError(
            f"{where}: agent_type {t.agent_type!r} has no rate in PayRates.hourly_rates "
            f"(known: {', '.join(sorted(rates.hourly_rates)) or 'none'}). Add it, or give the "
            "template an hourly_rate.")
    if not (math.isfinite(rate) and rate >= 0):
        raise InvalidParameterError(f"{where}: hourly rate must be a finite number >= 0, got "
                                    f"{rate!r}. Give the base pay per paid hour, e.g. 20.")
    if t.min_headcount < 0 or (t.max_headcount is not None
                               and t.max_headcount < max(t.min_headcount, 0)):
        raise InvalidParameterError(
            f"{where}: headcount bounds must satisfy 0 <= min_headcount <= max_headcount, got "
            f"min_headcount={t.min_headcount!r}, max_headcount={t.max_headcount!r}.")
    previous_end = -1.0
    for b in t.breaks:
        bw = f"{where}, break {b.name!r}"
        if not (b.duration_s > 0):
            raise InvalidParameterError(f"{bw}: duration_s must be > 0 seconds, got "
                                        f"{b.duration_s!r}.")
        for name in ("duration_s", "earliest_start_s", "latest_start_s"):
            _whole(bw, name, getattr(b, name), interval_s, "Put breaks on the interval grid")
        if b.earliest_start_s < 0 or b.latest_start_s < b.earliest_start_s:
            raise InvalidParameterError(
                f"{bw}: the window must satisfy 0 <= earliest_start_s <= latest_start_s (seconds "
                f"after the shift starts), got {b.earliest_start_s:g} to {b.latest_start_s:g}.")
        if b.latest_start_s + b.duration_s > t.length_s:
            raise InvalidParameterError(
                f"{bw}: a break starting at {_hhmm(b.latest_start_s)} into the shift ends at "
                f"{_hhmm(b.latest_start_s + b.duration_s)}, after the shift's "
                f"{_hhmm(t.length_s)}. Move latest_start_s to at most "
                f"{t.length_s - b.duration_s:g} s, or shorten the break.")
        if b.earliest_start_s < previous_end:
            raise InvalidParameterError(
                f"{bw}: its window opens at {_hhmm(b.earliest_start_s)} into the shift, before "
                f"the previous break can end ({_hhmm(previous_end)}), so two breaks could "
                "overlap. List breaks in order and make their windows follow each other.")
        previous_end = b.latest_start_s + b.duration_s
    for name in ("hourly_rate",):
        v = getattr(t, name)
        if v is not None and not (math.isfinite(v) and v >= 0):
            raise InvalidParameterError(f"{where}: {name} must be >= 0, got {v!r}.")


def _check_rules(rules: ScheduleRules) -> None:
    """Reject labour rules outside their ranges, naming the field and the fix."""
    where = "ScheduleRules"
    if rules.method not in ("auto", "direct", "two_stage"):
        raise InvalidParameterError(f"{where}: method must be 'auto', 'direct' or "
                                    f"'two_stage', got {rules.method!r}.")
    if rules.coverage not in ("soft", "hard"):
        raise InvalidParameterError(f"{where}: coverage must be 'soft' or 'hard', got "
                                    f"{rules.coverage!r}.")
    checks = [
        ("under_penalty", rules.under_penalty, lambda v: v is None or v > 0, "> 0 (currency)"),
        ("shrinkage", rules.shrinkage, lambda v: 0 <= v < 1, "in [0, 1), e.g. 0.15"),
        ("min_agents_on_duty", rules.min_agents_on_duty, lambda v: v >= 0 and v == int(v),
         "a whole number >= 0"),
        ("max_total_headcount", rules.max_total_headcount,
         lambda v: v is None or (v >= 0 and v == int(v)), "a whole number >= 0"),
        ("max_part_time_share", rules.max_part_time_share,
         lambda v: v is None or 0 <= v <= 1, "in [0, 1]"),
        ("min_part_time_share", rules.min_part_time_share,
         lambda v: v is None or 0 <= v <= 1, "in [0, 1]"),
        ("contracted_hours_per_week", rules.contracted_hours_per_week, lambda v: v > 0,
         "> 0 hours, e.g. 37.5"),
        ("time_limit_s", rules.time_limit_s, lambda v: v > 0, "> 0 seconds"),
        ("mip_rel_gap", rules.mip_rel_gap, lambda v: 0 <= v < 1, "in [0, 1), e.g. 0.001"),
        ("max_nodes", rules.max_nodes, lambda v: 0 <= v <= 2**31 - 1 and v == int(v),
         "a whole number in [0, 2147483647], e.g. 1000"),
    ]
    for name, value, ok, rule in checks:
        try:
            good = bool(ok(value)) and (value is None or math.isfinite(value))
        except TypeError:
            good = False
        if not good:
            raise InvalidParameterError(f"{where}: {name} must be {rule}, got {value!r}.")
    lo, hi = rules.min_part_time_share, rules.max_part_time_share
    if lo is not None and hi is not None and lo > hi:
        raise InvalidParameterError(
            f"{where}: min_part_time_share ({lo:g}) is above max_part_time_share ({hi:g}).")


def _check_rates(rates: PayRates) -> None:
    """Reject negative or non-finite pay, naming the field and the fix."""
    where = "PayRates"
    for agent_type, rate in rates.hourly_rates.items():
        if not (isinstance(rate, int | float) and math.isfinite(rate) and rate >= 0):
            raise InvalidParameterError(
                f"{where}: hourly_rates[{agent_type!r}] must be a number >= 0, got {rate!r}. "
                "Give the base pay per paid hour, e.g. 20.")
    for name in ("overhead_per_paid_hour", "night_premium", "weekend_premium",
                 "holiday_premium"):
        v = getattr(rates, name)
        if not (isinstance(v, int | float) and math.isfinite(v) and v >= 0):
            raise InvalidParameterError(
                f"{where}: {name} must be a number >= 0, got {v!r}. Premiums are extra shares "
                "of the base rate (0.25 = +25%); overhead is currency per paid hour.")
    for name in ("night_start_s", "night_end_s"):
        v = getattr(rates, name)
        if not (0 <= v <= DAY_S):
            raise InvalidParameterError(f"{where}: {name} must be seconds after midnight in "
                                        f"[0, 86400], got {v!r}.")
    if any(d not in range(7) for d in rates.weekend_days):
        raise InvalidParameterError(f"{where}: weekend_days must be weekday numbers 0-6, got "
                                    f"{rates.weekend_days!r}.")


#: Parts of the pay of an agent-interval, in the order of the ``costs`` breakdown.
PAY_PARTS = ("wages", "night_premium", "weekend_premium", "holiday_premium", "overhead")


def interval_pay(interval_start: pd.DatetimeIndex, interval_s: float, base_rate: float,
                 rates: PayRates) -> dict[str, np.ndarray]:
    """Pay of one agent for each interval, by part (currency per agent-interval).

    An interval gets a premium when its start falls in the night window, on a
    weekend day or on a holiday (see :class:`PayRates`). All three go by the
    local clock time and date of the start (for a time-zone-aware horizon, the
    wall clock of its zone): the night window is 22:00-06:00 on the clock also
    on the days the clocks change, and on days whose midnight does not exist.

    Parameters
    ----------
    interval_start : pandas.DatetimeIndex or array-like of timestamps
        Left edges of the paid intervals, naive (local) or time-zone-aware.
    interval_s : float
        Interval length, seconds, > 0.
    base_rate : float
        The agent's hourly rate (currency per hour), >= 0.
    rates : PayRates
        Premiums, night window, weekend days, holidays and overhead.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per part of ``PAY_PARTS`` (``wages``, ``night_premium``,
        ``weekend_premium``, ``holiday_premium``, ``overhead``), currency per
        agent and interval, one value per interval.

    Examples
    --------
    >>> import pandas as pd
    >>> pay = interval_pay(pd.DatetimeIndex(["2026-01-05 21:00", "2026-01-05 22:00"]), 3600,
    ...                    20.0, PayRates(night_premium=0.25))
    >>> pay["night_premium"].tolist()
    [0.0, 5.0]
    """
    hours = interval_s / 3600.0
    ts = pd.DatetimeIndex(interval_start)
    tod = clock_seconds(ts)
    lo, hi = rates.night_start_s, rates.night_end_s
    is_night = (tod >= lo) & (tod < hi) if lo <= hi else (tod >= lo) | (tod < hi)
    is_weekend = np.isin(ts.day_of_week, list(rates.weekend_days))
    holiday_set = {pd.Timestamp(d).date() for d in rates.holidays}
    is_holiday = np.array([d in holiday_set for d in ts.date], dtype=bool)
    base = np.full(len(ts), base_rate * hours)
    return {
        "wages": base,
        "night_premium": base * rates.night_premium * is_night,
        "weekend_premium": base * rates.weekend_premium * is_weekend,
        "holiday_premium": base * rates.holiday_premium * is_holiday,
        "overhead": np.full(len(ts), rates.overhead_per_paid_hour * hours),
    }

