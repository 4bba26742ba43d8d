"""Fixes found by a review of the forecasting engine, each checked against values known by hand.

- backtest: every method is scored on the same rows, compared hour for hour with the actuals.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from forecasting import backtest, score_backtest

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
