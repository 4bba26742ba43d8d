"""Pay of one agent for one paid interval, split into wages, premiums and overhead."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._shifts import PayRates

#: Parts of the pay of an agent-interval, in the order of the ``costs`` breakdown.
PAY_PARTS = ("wages", "night_premium", "weekend_premium", "holiday_premium", "overhead")


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


def interval_pay(interval_start: pd.DatetimeIndex, interval_s: float, base_rate: float,
                 rates: PayRates) -> dict[str, np.ndarray]:
    """Pay of one agent for each interval, by part (currency per agent-interval).

    An interval gets a premium when its start falls in the night window, on a
    weekend day or on a holiday (see :class:`PayRates`). All three go by the
    local clock time and date of the start (for a time-zone-aware horizon, the
    wall clock of its zone): the night window is 22:00-06:00 on the clock also
    on the days the clocks change, and on days whose midnight does not exist.
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
