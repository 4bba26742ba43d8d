"""forecast(method="auto"): the pick by rolling-origin backtest, per channel."""

import numpy as np
import pandas as pd
import pytest

from forecasting import forecast
from forecasting.contracts import AUTO_CANDIDATES
from staffing.contracts import check_forecast

PER_DAY = 48


def _series(daily_totals, seed=0, channel="voice"):
    rng = np.random.default_rng(seed)
    hours = np.arange(PER_DAY) / 2
    shape = np.where((hours >= 8) & (hours < 20), np.exp(-0.5 * ((hours - 13) / 3) ** 2), 0.0)
    shape /= shape.sum()
    values = rng.poisson(np.outer(daily_totals, shape)).ravel().astype(float)
    starts = pd.date_range("2026-01-05", periods=values.size, freq="30min")
    return pd.DataFrame({"channel": channel, "interval_start": starts, "offered": values})


@pytest.mark.slow
def test_a_growing_channel_gets_the_trend_model_a_flat_one_is_scored_too():
    days = np.arange(70)
    growing = _series(2000 + 40 * days, seed=1, channel="growing")
    flat = _series(np.full(70, 2000.0), seed=2, channel="flat")
    history = pd.concat([growing, flat], ignore_index=True)
    result = forecast(history, 7 * PER_DAY, interval_s=1800)
    fc = result.table
    report = result.methods
    assert report["growing"]["method"] == "daily_ets_arima"
    scores = report["growing"]["backtest_wape"]
    assert scores["daily_ets_arima"] < min(scores["weekly_average"], scores["seasonal_naive"])
    assert set(report["flat"]["backtest_wape"]) == set(AUTO_CANDIDATES)
    check_forecast(fc.assign(aht_s=300.0))
    # the growing channel's next week is forecast above its last week (the trend is kept)
    last_week = growing.offered.to_numpy()[-7 * PER_DAY:].sum()
    next_week = fc[fc.channel == "growing"].offered.sum()
    assert next_week > last_week


def test_daily_model_is_left_out_when_history_does_not_end_at_midnight():
    history = _series(np.full(35, 1500.0)).iloc[:-5]  # ends at 21:30
    result = forecast(history, 10, interval_s=1800)
    fc = result.table
    assert set(result.methods["voice"]["backtest_wape"]) == {"seasonal_naive",
                                                             "weekly_average"}
    assert fc.interval_start.iloc[0] == history.interval_start.iloc[-1] + pd.Timedelta("30min")


def test_handle_times_come_along_when_the_history_has_them():
    history = _series(np.full(35, 1500.0)).assign(aht_s=240.0)
    fc = forecast(history, PER_DAY, interval_s=1800, method="daily_ets").table
    assert (fc.aht_s == 240.0).all()


def test_a_calendar_with_a_baseline_method_says_it_is_not_used():
    import pytest

    history = _series(np.full(28, 1000.0))
    with pytest.warns(UserWarning, match="does not model public holidays"):
        forecast(history, 4, interval_s=1800, method="weekly_average", country="FR")
