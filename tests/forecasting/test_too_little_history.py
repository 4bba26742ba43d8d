"""Too little history is an error naming the cause, never a forecast of NaN (issue 14, s. 3).

A one-day history, or a channel that one damaged cell creates ('vioce' for a single row),
used to give a forecast whose offered was NaN in 335 of 336 rows, silently. The minimum
per method (docs/forecasting.md): the weekly baselines need one week per channel and a
known value at every time of the week they forecast; the daily models 21 complete days;
MSTL two weeks with one known; auto races from 4 weeks and falls back on the weekly average.
"""

import numpy as np
import pandas as pd
import pytest

from forecasting import SeasonalNaive, WeeklyAverage, forecast
from forecasting.errors import HistoryError

INTERVAL_S = 1800
WEEK = 336


def _history(days, channel="voice", start="2026-01-05", closed_as_missing=False):
    starts = pd.date_range(start, periods=48 * days, freq="30min")
    hours = starts.hour + starts.minute / 60
    open_ = (hours >= 8) & (hours < 20)
    # the same week again and again: 20-24 contacts in open hours, 0 when closed
    offered = np.where(open_, 20.0 + (np.arange(starts.size) % WEEK) % 5, 0.0)
    if closed_as_missing:
        offered = np.where(open_, offered, np.nan)
    return pd.DataFrame({"channel": channel, "interval_start": starts, "offered": offered})


@pytest.mark.parametrize("model", [SeasonalNaive, WeeklyAverage])
def test_a_baseline_needs_one_week(model):
    name = model.__name__
    with pytest.raises(HistoryError, match=rf"{name}\.fit\(\): channel 'voice' has 48 intervals "
                       rf"of history \(2026-01-05 00:00:00 to 2026-01-05 23:30:00\); {name} needs "
                       r"at least one season of 7 days \(336 intervals of 1800 s\)"):
        model(INTERVAL_S).fit(_history(1))
    # Exactly one week is enough: every interval of the next week has been seen once.
    week = model(INTERVAL_S).fit(_history(7)).predict(WEEK)
    assert week["offered"].notna().all()


@pytest.mark.parametrize("method", ["auto", "seasonal_naive", "weekly_average"])
def test_forecast_of_a_one_day_history_is_refused(method):
    with pytest.raises(HistoryError, match=r"channel 'voice' has 48 intervals of history.*at "
                                           r"least one season of 7 days"):
        forecast(_history(1), WEEK, interval_s=INTERVAL_S, method=method)


def test_a_channel_made_by_one_typo_is_refused_by_name():
    history = _history(35)
    history.loc[500, "channel"] = "vioce"
    with pytest.raises(HistoryError, match=r"channel 'vioce' has 1 interval of history "
                                           r"\(2026-01-15 10:00:00 to 2026-01-15 10:00:00\).*typo"):
        forecast(history, WEEK, interval_s=INTERVAL_S)


def test_times_of_the_week_never_known_are_refused_naming_them():
    # Closed hours left out of the file read as missing, not zero: nothing is known about
    # them, so they cannot be forecast (they used to come out as NaN, silently).
    history = _history(28, closed_as_missing=True)
    for method in ("seasonal_naive", "weekly_average", "auto"):
        with pytest.raises(HistoryError, match=r"channel 'voice': 168 of the 336 intervals asked "
                           r"\(first 2026-02-02 00:00:00\).*\(Mon 00:00, Mon 00:30, .*Closed hours "
                           r"must be 0, not missing"):
            forecast(history, WEEK, interval_s=INTERVAL_S, method=method)


def test_a_short_horizon_over_known_times_is_fine():
    # Only the intervals asked must be known: the history ends on Monday 07:30 and the
    # next 8 intervals (08:00-11:30) were open on every earlier Monday.
    history = _history(29, closed_as_missing=True).iloc[: 28 * 48 + 16]
    fc = WeeklyAverage(INTERVAL_S).fit(history).predict(8)
    assert fc["interval_start"].iloc[0] == pd.Timestamp("2026-02-02 08:00")
    np.testing.assert_allclose(fc["offered"], 20.0 + np.arange(16, 24) % 5)


def test_one_missing_week_is_skipped_not_zero():
    # A whole week missing in the middle: the weekly average is that of the known weeks,
    # computed here by hand (the history repeats the same week, so it is that week).
    history = _history(35)
    history.loc[(history.index >= WEEK) & (history.index < 2 * WEEK), "offered"] = np.nan
    fc = forecast(history, WEEK, interval_s=INTERVAL_S, method="weekly_average").table
    expected = _history(7)["offered"].to_numpy()
    np.testing.assert_allclose(fc["offered"].to_numpy(), expected)


def test_no_forecast_holds_nan_offered():
    # Random gap patterns (whole weeks known at least once per slot): every forecast value
    # is a number, for every method that accepts the history.
    rng = np.random.default_rng(3)
    for _ in range(5):
        history = _history(35)
        drop = rng.random(len(history)) < 0.3
        drop[:WEEK] = False  # the first week is complete: every slot known once
        history.loc[drop, "offered"] = np.nan
        for method in ("seasonal_naive", "weekly_average"):
            fc = forecast(history, WEEK, interval_s=INTERVAL_S, method=method).table
            assert fc["offered"].notna().all(), method
