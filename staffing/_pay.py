"""Pay of one agent for one paid interval, split into wages, premiums and overhead."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._shifts import PayRates

#: Parts of the pay of an agent-interval, in the order of the ``costs`` breakdown.
PAY_PARTS = ("wages", "night_premium", "weekend_premium", "holiday_premium", "overhead")


def interval_pay(interval_start: pd.DatetimeIndex, interval_s: float, base_rate: float,
                 rates: PayRates) -> dict[str, np.ndarray]:
    """Pay of one agent for each interval, by part (currency per agent-interval).

    An interval gets a premium when its start falls in the night window, on a
    weekend day or on a holiday (see :class:`PayRates`).
    """
    hours = interval_s / 3600.0
    ts = pd.DatetimeIndex(interval_start)
    tod = (ts - ts.normalize()).total_seconds().to_numpy()
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
