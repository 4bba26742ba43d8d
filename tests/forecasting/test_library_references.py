"""Models that wrap statsmodels, against statsmodels called directly on the same numbers.

The calls are the ones the module docstrings describe:

* ``DailyProfile(daily_model="arima")``: daily totals by
  ``ARIMA(order=(1, 0, 1), seasonal_order=(0, 1, 1, 7)).fit(method="innovations_mle")``;
* ``DailyProfile(daily_model="ets+arima")``: the mean of that and of the ETS
  fit of ``tests/forecasting/test_daily_profile.py``;
* ``MSTLForecast``: ``MSTL(periods=(intervals a day, intervals a week))`` on
  the last 8 weeks, the two seasons carried forward, the rest by
  ``ETSModel(error="add")``.

A daily forecast is summed over each day before the comparison (the profile
spreads the day's total over its intervals). The ETS comparison of daily
totals alone is in ``test_daily_profile.py``.
"""

import types
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.seasonal import MSTL

from forecasting import DailyProfile, MSTLForecast

INTERVAL_S = 3600
PER_DAY = 24
N_DAYS = 56  # innovations MLE needs about 49 daily totals for the seasonal ARIMA's start
N_AHEAD = 7


def _counts(n_days, per_day, seed, start="2026-01-05"):
    """Poisson counts with a slow trend and a weekly pattern, closed (0) at night."""
    rng = np.random.default_rng(seed)
    hours = np.arange(per_day) * 24.0 / per_day
    shape = np.where((hours >= 8) & (hours < 20), np.exp(-0.5 * ((hours - 13) / 3) ** 2), 0.0)
    shape /= shape.sum()
    day = np.arange(n_days)
    totals = (800 + 4 * day) * np.where(day % 7 < 5, 1.0, 0.45)
    values = rng.poisson(np.outer(totals, shape)).ravel().astype(float)
    starts = pd.date_range(start, periods=values.size, freq=pd.Timedelta(days=1) / per_day)
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": values})


@pytest.fixture(scope="module")
def daily():
    history = _counts(N_DAYS, PER_DAY, seed=5)
    totals = history.offered.to_numpy().reshape(-1, PER_DAY).sum(axis=1)
    return types.SimpleNamespace(history=history, totals=totals)


def _direct_arima(totals):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ARIMA(totals, order=(1, 0, 1),
                     seasonal_order=(0, 1, 1, 7)).fit(method="innovations_mle")


def _direct_ets(totals):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ETSModel(totals, error="add", trend="add", damped_trend=True, seasonal="add",
                        seasonal_periods=7).fit(disp=False, maxiter=200)


@pytest.mark.slow
def test_daily_arima_totals_and_their_interval_are_statsmodels_arima(daily):
    fc = DailyProfile(INTERVAL_S, daily_model="arima").fit(daily.history).predict(
        N_AHEAD * PER_DAY)
    direct = _direct_arima(daily.totals).get_forecast(N_AHEAD)
    mean = np.asarray(direct.predicted_mean)
    point = fc.offered.to_numpy().reshape(N_AHEAD, PER_DAY)
    np.testing.assert_allclose(point.sum(axis=1), np.maximum(mean, 0.0), rtol=1e-6)
    # The interval, by the module docstring: the day's standard deviation from ARIMA's 80%
    # interval; an interval's variance (share x that deviation)^2 + its expected count.
    z = stats.norm.ppf(0.9)
    day_sd = (np.asarray(direct.conf_int(alpha=0.2))[:, 1] - mean) / z
    share = point / point.sum(axis=1, keepdims=True)
    sd = np.sqrt((share * day_sd[:, None]) ** 2 + point)
    np.testing.assert_allclose(fc.offered_hi.to_numpy(), (point + z * sd).ravel(), rtol=1e-6)
    np.testing.assert_allclose(fc.offered_lo.to_numpy(),
                               np.maximum(point - z * sd, 0.0).ravel(), rtol=1e-6, atol=1e-9)


@pytest.mark.slow
def test_daily_ets_arima_totals_are_the_mean_of_the_two_statsmodels_fits(daily):
    fc = DailyProfile(INTERVAL_S, daily_model="ets+arima").fit(daily.history).predict(
        N_AHEAD * PER_DAY)
    ets = np.asarray(_direct_ets(daily.totals).forecast(N_AHEAD))
    arima = np.asarray(_direct_arima(daily.totals).forecast(N_AHEAD))
    ours = fc.offered.to_numpy().reshape(N_AHEAD, PER_DAY).sum(axis=1)
    np.testing.assert_allclose(ours, np.maximum((ets + arima) / 2, 0.0), rtol=1e-6)


@pytest.mark.parametrize("interval_s", [3600, pytest.param(1800, marks=pytest.mark.slow)])
def test_mstl_is_statsmodels_mstl_and_ets_on_the_last_eight_weeks(interval_s):
    per_day = int(86400 / interval_s)
    week = 7 * per_day
    # Nine weeks, so that leaving out the first one (the model keeps the last eight) matters.
    history = _counts(63, per_day, seed=7)
    horizon = week + 3
    fc = MSTLForecast(interval_s).fit(history).predict(horizon)

    series = history.offered.to_numpy()[-8 * week:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seasonal = np.asarray(MSTL(series, periods=(per_day, week)).fit().seasonal)
        adjusted = series - seasonal.sum(axis=1)
        smoother = ETSModel(pd.Series(adjusted), error="add").fit(disp=False)
    prediction = smoother.get_prediction(start=smoother.nobs, end=smoother.nobs + horizon - 1)
    level = np.asarray(prediction.predicted_mean)
    bounds = np.asarray(prediction.pred_int(alpha=0.2))
    # The seasons' last cycles carried forward: the history ends at midnight on a Sunday, so
    # the forecast starts where both cycles start again.
    season = np.resize(seasonal[-per_day:, 0], horizon) + np.resize(seasonal[-week:, 1], horizon)
    np.testing.assert_allclose(fc.offered.to_numpy(), np.maximum(level + season, 0.0),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(fc.offered_lo.to_numpy(), np.maximum(bounds[:, 0] + season, 0.0),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(fc.offered_hi.to_numpy(), np.maximum(bounds[:, 1] + season, 0.0),
                               rtol=1e-6, atol=1e-9)
