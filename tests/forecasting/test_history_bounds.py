"""Histories whose dates would build an absurd grid are refused before any grid is built.

Issue 14, section 3: one ``interval_start`` of 0001-01-01 grew the grid from the year 1 to
now (35 million 30-minute intervals per channel, past 5 GB). Dates outside 1970..2200 are
refused naming the rows; so is a span too long for the interval length (the bound is in
the message).
"""

import time

import numpy as np
import pandas as pd
import pytest

from forecasting import aggregate_contacts, clean_history, forecast
from forecasting.errors import HistoryError


def _history(days=21, start="2026-01-05", freq="30min"):
    starts = pd.date_range(start, periods=days * 48, freq=freq)
    return pd.DataFrame({"channel": "voice", "interval_start": starts,
                         "offered": np.arange(starts.size) % 7})


@pytest.mark.parametrize("stamp", ["0001-01-01 00:00", "1969-12-31 23:30", "2201-01-01 00:00",
                                   "9999-12-31 00:00"])
def test_a_date_outside_1970_2200_is_refused_naming_the_row(stamp):
    history = _history()
    history["interval_start"] = history["interval_start"].astype(object)
    history.loc[3, "interval_start"] = pd.Timestamp(stamp)
    started = time.perf_counter()
    with pytest.raises(HistoryError, match=rf"history row 3: interval_start {stamp}:00 is outside "
                                           r"1970-01-01\.\.2200-12-31 \(1 row\)\. Fix the date"):
        clean_history(history, interval_s=1800)
    assert time.perf_counter() - started < 5.0  # no grid was built first


def test_every_bad_row_is_counted_and_the_first_ten_listed():
    history = _history()
    history["interval_start"] = history["interval_start"].astype(object)
    bad = [5, 9, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]
    history.loc[bad, "interval_start"] = pd.Timestamp("1900-01-01")
    with pytest.raises(HistoryError, match=r"history rows 5, 9, 40, 41, 42, 43, 44, 45, 46, 47, "
                                           r"\.\.\.: .*\(12 rows\)"):
        clean_history(history, interval_s=1800)


def test_time_zone_aware_dates_are_judged_on_their_wall_clock():
    history = _history(days=2, start="1970-01-01 00:00")
    history["interval_start"] = history["interval_start"].dt.tz_localize("Europe/Paris")
    assert len(clean_history(history, interval_s=1800)) == 96  # 00:00 Paris is in range
    early = history.copy()
    early["interval_start"] = early["interval_start"] - pd.Timedelta(minutes=30)
    with pytest.raises(HistoryError, match=r"history row 0: interval_start 1969-12-31 23:30"):
        clean_history(early, interval_s=1800)


def test_the_edges_of_the_range_are_accepted():
    first = clean_history(_history(days=1, start="1970-01-01"), interval_s=1800)
    last = clean_history(_history(days=1, start="2200-12-31"), interval_s=1800)
    assert first["interval_start"].iloc[0] == pd.Timestamp("1970-01-01")
    assert last["interval_start"].iloc[-1] == pd.Timestamp("2200-12-31 23:30")


def test_a_grid_beyond_the_bound_is_refused_with_the_bound():
    # One-minute intervals from 1971-01-05 00:00 to 2026-01-05 01:35: 55 years with 14 leap
    # days are 20,089 days, so 20,089 x 1,440 + 95 + 1 = 28,928,256 intervals.
    history = _history(days=2, freq="1min")
    history.loc[0, "interval_start"] = pd.Timestamp("1971-01-05 00:00")
    with pytest.raises(HistoryError, match=r"history channel 'voice' runs from 1971-01-05 "
                       r"00:00:00 \(history row 0\) to 2026-01-05 01:35:00 \(history row 95\): "
                       r"28,928,256 intervals of 60 s, .* at most 5,000,000\. Check the dates"):
        clean_history(history, interval_s=60)


def test_the_bound_counts_all_channels_together():
    # Three channels of one-minute intervals from 2020-01-01 00:00 to 2023-06-04 11:59: 1,250
    # days (2020 is a leap year) x 1,440 + 719 + 1 = 1,800,720 each, 5,402,160 in all.
    parts = []
    for name in ("voice", "chat", "email"):
        parts.append(pd.DataFrame({"channel": name, "offered": [1.0, 2.0],
                                   "interval_start": pd.to_datetime(["2020-01-01 00:00",
                                                                     "2023-06-04 11:59"])}))
    history = pd.concat(parts, ignore_index=True)
    with pytest.raises(HistoryError, match=r"1,800,720 intervals of 60 s, 5,402,160 over all "
                                           r"channels; a history may hold at most 5,000,000"):
        clean_history(history, interval_s=60)
    # One channel alone (1.8 million) is within the bound.
    assert len(clean_history(parts[0], interval_s=60)) == 1_800_720


def test_forecast_refuses_it_too():
    history = _history()
    history["interval_start"] = history["interval_start"].astype(object)
    history.loc[7, "interval_start"] = pd.Timestamp("0001-01-01")
    with pytest.raises(HistoryError, match=r"row 7: interval_start 0001-01-01"):
        forecast(history, 48, interval_s=1800, method="weekly_average")


def test_contacts_outside_the_range_or_too_spread_are_refused():
    contacts = pd.DataFrame({"arrived": pd.to_datetime(["2026-01-05 09:01", "2026-01-05 09:07",
                                                        "0001-01-01 10:00"])})
    with pytest.raises(HistoryError, match=r"aggregate_contacts\(\): contacts row 2: "
                                           r"interval_start 0001-01-01 10:00:00 is outside"):
        aggregate_contacts(contacts, interval_s=900, time_column="arrived")
    contacts.loc[2, "arrived"] = pd.Timestamp("1971-01-01")
    with pytest.raises(HistoryError, match=r"at most 5,000,000"):
        aggregate_contacts(contacts, interval_s=60, time_column="arrived")
