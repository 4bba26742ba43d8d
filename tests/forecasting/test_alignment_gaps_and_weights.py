"""Fixes found by a review of the forecasting engine, each checked against values known by hand.

- backtest: every method is scored on the same rows, compared hour for hour with the actuals;
- daily models: holiday factors are right when a holiday falls in the first week of history;
- seasonal baselines: 0 <= offered_lo <= offered <= offered_hi, also on a trending series;
- handle time: the offered-weighted 4-week average of the same interval, whatever the method;
- history: a row without a channel is an error naming it; with time-zone-aware times an
  absent pass of the repeated autumn hour leaves the slot missing; aggregate_contacts works on
  time-zone-aware contacts in that hour.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from forecasting import (
    DailyProfile,
    SeasonalNaive,
    WeeklyAverage,
    aggregate_contacts,
    backtest,
    clean_history,
    forecast,
    sample_paths,
    score_backtest,
)
from forecasting.errors import HistoryError

WEEK_H = 168


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# --- 1. backtest alignment --------------------------------------------------------------------


def test_backtest_scores_every_method_on_the_same_hours_from_midnight():
    # The same day every day: open 08:00-17:59 with 10 + hour contacts, closed otherwise.
    # The history ends at 11:00, so the last origin would fall at noon.
    n = 6 * WEEK_H + 12
    start = pd.date_range("2024-01-01", periods=n, freq="h")
    hour = np.arange(n) % 24
    pattern = np.where((hour >= 8) & (hour < 18), 10.0 + hour, 0.0)
    history = pd.DataFrame({"channel": "v", "interval_start": start, "offered": pattern})
    table = backtest(history, interval_s=3600, horizon=24, n_origins=2,
                     methods=["seasonal_naive", "daily_ets"])
    # Origins at midnight, for every method.
    assert (table.origin == table.origin.dt.normalize()).all()
    rows = {m: g[["origin", "interval_start", "actual"]].reset_index(drop=True)
            for m, g in table.groupby("method")}
    pd.testing.assert_frame_equal(rows["seasonal_naive"], rows["daily_ets"])
    # Each actual is the pattern at that hour of the day.
    expected = np.where((table.interval_start.dt.hour >= 8) & (table.interval_start.dt.hour < 18),
                        10.0 + table.interval_start.dt.hour, 0.0)
    np.testing.assert_array_equal(table.actual.to_numpy(), expected)
    daily = table[table.method == "daily_ets"]
    # The profile puts nothing in the closed hours: the forecast there is exactly 0.
    assert (daily.offered[daily.actual == 0] == 0).all()
    scores = score_backtest(table, by=("method",)).set_index("method")
    assert scores.loc["seasonal_naive", "wape"] == 0.0
    assert scores.loc["daily_ets", "wape"] < 0.02  # was 2.0: compared with the wrong hours
    assert scores.loc["seasonal_naive", "n"] == scores.loc["daily_ets", "n"] == 48


# --- 2. holiday factors with a holiday in the first week ---------------------------------------


@pytest.mark.slow
def test_holiday_factors_with_a_holiday_in_the_first_week():
    # Mon-Fri 100 contacts, Sat 30, Sun 20; the working-day holidays 2024-01-01 and 2024-04-01
    # (Mondays) bring 20 and the catch-up days after them 130. The fill for a holiday is the
    # same weekday's ordinary total, 100, so the factors are 40 / 200 = 0.2 and 260 / 200 = 1.3.
    # The fill for 2024-01-01 used to be the mean over all weekdays (~80), giving 0.22 and 1.46.
    days = pd.date_range("2024-01-01", "2024-04-28", freq="D")
    totals = pd.Series([{5: 30.0, 6: 20.0}.get(d.dayofweek, 100.0) for d in days], index=days)
    totals[pd.to_datetime(["2024-01-01", "2024-04-01"])] = 20.0
    totals[pd.to_datetime(["2024-01-02", "2024-04-02"])] = 130.0
    per_day = 4  # six-hour intervals: the day's contacts in the second and third quarter
    start = pd.date_range(days[0], periods=len(days) * per_day, freq="6h")
    offered = np.repeat(totals.to_numpy(), per_day) * np.tile([0.0, 0.5, 0.5, 0.0], len(days))
    history = pd.DataFrame({"channel": "v", "interval_start": start, "offered": offered})
    model = DailyProfile(6 * 3600, country="FR").fit(history)
    factors = model.channels_["v"]["factors"]
    assert factors[1] == pytest.approx(0.2, abs=1e-12)
    assert factors[3] == pytest.approx(1.3, abs=1e-12)


# --- 3. prediction intervals of the seasonal baselines ------------------------------------------


def _weekly(values: np.ndarray) -> pd.DataFrame:
    start = pd.date_range("2024-01-01", periods=values.size, freq="h")
    return pd.DataFrame({"channel": "v", "interval_start": start, "offered": values})


@pytest.mark.parametrize("model_class", [SeasonalNaive, WeeklyAverage])
@pytest.mark.parametrize("slope", [0.1, -0.1])
def test_baseline_interval_holds_the_point_forecast(model_class, slope):
    # A weekly pattern plus a trend of 0.1 per hour: every one-week-ahead error of seasonal
    # naive is +16.8 (growing) or -16.8 (declining), so both error quantiles have one sign.
    n = 6 * WEEK_H
    pattern = np.tile(np.arange(WEEK_H) % 24 + np.repeat(np.arange(7), 24), 6).astype(float)
    trend = np.arange(n) * slope
    values = pattern + (trend if slope > 0 else trend - trend.min())
    fc = model_class(3600).fit(_weekly(values)).predict(WEEK_H)
    assert (fc.offered_lo >= 0).all()
    assert (fc.offered_lo <= fc.offered).all() and (fc.offered <= fc.offered_hi).all()
    if model_class is SeasonalNaive:
        # The whole error range lies on one side: the other end is the point itself.
        width = fc.offered_hi - fc.offered if slope > 0 else fc.offered - fc.offered_lo
        assert np.allclose(width[fc.offered > 16.8], 16.8)
    # sample_paths reads the spread from offered_hi - offered: it must not be negative.
    paths = sample_paths(fc, 2, seed=0)
    assert all(np.isfinite(v).all() and min(v) >= 0 for v in paths.day_sd.values())


# --- 4 and 5. handle time -------------------------------------------------------------------


def _aht_history() -> pd.DataFrame:
    # Monday 09:00: weeks 1-3 bring 100 calls of 300 s, week 4 one call of 1000 s.
    # Every other hour: 1 call of 300 s, except Tuesday 09:00, which never has calls.
    offered = np.tile(np.where(np.arange(WEEK_H) % 24 == 9, 100.0, 1.0), 4)
    aht = np.full(offered.size, 300.0)
    offered[3 * WEEK_H + 9] = 1.0
    aht[3 * WEEK_H + 9] = 1000.0
    tuesday_9 = 24 + 9 + WEEK_H * np.arange(4)
    offered[tuesday_9] = 0.0
    aht[tuesday_9] = [100.0, 200.0, 300.0, 400.0]
    history = _weekly(offered)
    history["aht_s"] = aht
    return history


@pytest.mark.parametrize("method", ["seasonal_naive", "weekly_average", None])
def test_aht_is_the_offered_weighted_four_week_average(method):
    history = _aht_history()
    if method is None:
        fc = WeeklyAverage(3600).fit(history).predict(WEEK_H)
    else:
        fc = forecast(history, WEEK_H, interval_s=3600, method=method).table
    # (3 x 100 x 300 + 1 x 1000) / 301 = 302.33 s, not the plain mean 475 or last week's 1000.
    assert fc.aht_s.iloc[9] == pytest.approx(91000.0 / 301.0)
    assert round(fc.aht_s.iloc[9], 1) == 302.3
    # No calls in any of the 4 weeks: the plain mean of the handle times, (100+...+400)/4.
    assert fc.aht_s.iloc[24 + 9] == pytest.approx(250.0)
    assert fc.aht_s.iloc[10] == pytest.approx(300.0)


# --- 6. rows without a channel -------------------------------------------------------------


def test_row_without_channel_is_an_error_naming_it():
    history = pd.DataFrame({"channel": ["v", None, "v", np.nan],
                            "interval_start": pd.date_range("2024-01-01", periods=4, freq="h"),
                            "offered": 1.0})
    with pytest.raises(HistoryError, match=re.escape(
            "clean_history(): history rows 1, 3: channel is empty")) as caught:
        clean_history(history, interval_s=3600)
    assert "name the channel" in str(caught.value)


def test_contact_without_channel_is_an_error_naming_it():
    contacts = pd.DataFrame({"ts": pd.date_range("2024-01-01", periods=3, freq="10min"),
                             "queue": ["a", "b", None]})
    with pytest.raises(HistoryError, match=re.escape(
            "aggregate_contacts(): row 2: queue is empty")):
        aggregate_contacts(contacts, interval_s=1800, time_column="ts", channel_column="queue")


# --- 7 and 8. the repeated autumn hour with time-zone-aware times -------------------------------

LONDON = "Europe/London"  # 2024-10-27: 01:00 BST (00:00 UTC) becomes 01:00 GMT (01:00 UTC)


def _aware(drop: list[str]) -> pd.DataFrame:
    utc = pd.date_range("2024-10-26 22:00Z", "2024-10-27 04:00Z", freq="h")
    utc = utc[~utc.isin(pd.to_datetime(drop, utc=True))]
    return pd.DataFrame({"channel": "v", "interval_start": utc, "offered": 10.0})


def test_absent_pass_of_the_repeated_hour_is_missing():
    wall = pd.date_range("2024-10-26 23:00", "2024-10-27 04:00", freq="h")
    complete = clean_history(_aware([]), interval_s=3600, tz=LONDON)
    assert complete.interval_start.tolist() == list(wall)
    assert complete.offered.tolist() == [10.0, 10.0, 20.0, 10.0, 10.0, 10.0]
    for absent in ("2024-10-27 01:00Z", "2024-10-27 00:00Z"):  # second pass, then first pass
        tidy = clean_history(_aware([absent]), interval_s=3600, tz=LONDON)
        assert tidy.interval_start.tolist() == list(wall)
        assert tidy.offered.iloc[[0, 1, 3, 4, 5]].tolist() == [10.0] * 5
        assert np.isnan(tidy.offered.iloc[2])  # half the hour unknown: not 10


def test_history_starting_or_ending_inside_the_repeated_hour_leaves_it_missing():
    second_pass_only = _aware(["2024-10-26 22:00Z", "2024-10-26 23:00Z", "2024-10-27 00:00Z"])
    tidy = clean_history(second_pass_only, interval_s=3600, tz=LONDON)
    assert tidy.interval_start.iloc[0] == pd.Timestamp("2024-10-27 01:00")
    assert np.isnan(tidy.offered.iloc[0]) and tidy.offered.iloc[1:].tolist() == [10.0] * 3
    first_pass_only = _aware(["2024-10-27 01:00Z", "2024-10-27 02:00Z", "2024-10-27 03:00Z",
                              "2024-10-27 04:00Z"])
    tidy = clean_history(first_pass_only, interval_s=3600, tz=LONDON)
    assert tidy.interval_start.iloc[-1] == pd.Timestamp("2024-10-27 01:00")
    assert np.isnan(tidy.offered.iloc[-1]) and tidy.offered.iloc[:-1].tolist() == [10.0] * 2


def test_aggregate_contacts_in_the_repeated_hour():
    # 01:10 and 01:20 BST (first pass), 01:30 GMT (second pass), in 30-minute intervals.
    times = pd.to_datetime(["2024-10-27 00:10Z", "2024-10-27 00:20Z", "2024-10-27 01:30Z"])
    contacts = pd.DataFrame({"ts": times.tz_convert(LONDON)})
    counts = aggregate_contacts(contacts, interval_s=1800, time_column="ts")
    expected = pd.date_range("2024-10-27 00:00Z", periods=4, freq="30min").tz_convert(LONDON)
    assert list(counts.interval_start) == list(expected)
    assert counts.offered.tolist() == [2.0, 0.0, 0.0, 1.0]
    tidy = clean_history(counts, interval_s=1800)
    assert tidy.interval_start.tolist() == list(pd.date_range("2024-10-27 01:00", periods=2,
                                                              freq="30min"))
    assert tidy.offered.tolist() == [2.0, 1.0]
