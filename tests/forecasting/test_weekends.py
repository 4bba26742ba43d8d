"""The country's weekend: which days pool their profiles, and holidays with nothing to learn."""

import warnings

import numpy as np
import pandas as pd
import pytest

from forecasting import DailyProfile, forecast


def _deterministic(start, end, hours_by_weekday, level=100.0, unknown_days=()):
    """Exactly `level` contacts per open half hour; NaN days are unknown, not closed."""
    idx = pd.date_range(start, end, freq="30min", inclusive="left")
    offered = np.zeros(len(idx))
    for wd, spec in hours_by_weekday.items():
        on_day = idx.day_of_week == wd
        if spec is None:
            offered[on_day] = np.nan
        else:
            opens, closes = spec
            offered[on_day & (idx.hour >= opens) & (idx.hour < closes)] = level
    for day in unknown_days:
        offered[idx.normalize() == pd.Timestamp(day)] = np.nan
    return pd.DataFrame({"channel": "q", "interval_start": idx, "offered": offered})


def test_a_weekday_only_centre_forecasts_an_unseen_holiday_as_its_own_weekday():
    # Mon-Fri 07:00-21:00, weekends absent (unknown), Labor Day absent: no past holiday and no
    # weekend to learn from, so Columbus Day (Monday 2003-10-13) is an ordinary Monday.
    week = {wd: (7, 21) for wd in range(5)} | {5: None, 6: None}
    history = _deterministic("2003-08-04", "2003-10-13", week, unknown_days=["2003-09-01"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fc = forecast(history, 48, interval_s=1800, method="daily_ets", country="US").table
    offered = fc.offered.to_numpy()
    assert offered[:14] == pytest.approx(0.0, abs=1e-9)       # 00:00-07:00 closed
    assert offered[14:42] == pytest.approx(100.0, rel=1e-3)   # open hours as any Monday
    assert offered[42:] == pytest.approx(0.0, abs=1e-9)


def test_israeli_fridays_keep_their_half_day_profile():
    # Sunday-Thursday 08:00-18:00, Friday 08:00-13:00, Saturday closed (0). In Israel the
    # weekend is Friday-Saturday, so Friday's profile is not pooled with the working days.
    week = {wd: (8, 18) for wd in (6, 0, 1, 2, 3)} | {4: (8, 13), 5: (0, 0)}
    history = _deterministic("1999-08-01", "1999-10-31", week)
    model = DailyProfile(1800, country="IL", history_days=91)
    fc = model.fit(history).predict(7 * 48)
    friday = fc[fc.interval_start.dt.day_of_week == 4].offered.to_numpy()
    assert friday[26:] == pytest.approx(0.0, abs=1e-9)  # 13:00 onwards closed, as in history
    assert friday[16:26] == pytest.approx(friday[16], rel=1e-9)  # flat 08:00-13:00
    sunday = fc[fc.interval_start.dt.day_of_week == 6].offered.to_numpy()
    assert sunday[16:36].min() > 0 and sunday[36:] == pytest.approx(0.0, abs=1e-9)
    # With the French (Saturday-Sunday) weekend Friday would be pooled and leak past 13:00.
    french = DailyProfile(1800, country="FR", history_days=91).fit(history).predict(7 * 48)
    leaked = french[french.interval_start.dt.day_of_week == 4].offered.to_numpy()[26:36]
    assert leaked.min() > 1.0
