"""Interface checks over every model in ``forecasting.contracts.METHODS`` (STYLE.md 4 and 9).

The same checks for each model, as scikit-learn's ``parametrize_with_checks``
and statsforecast's ``assert_class`` do: ``fit`` returns the model, ``fit``
then ``predict`` equals the one-shot ``forecast(method=...)``, the output
meets the ``forecast`` contract, the input frame is left alone, ``predict``
refuses to run unfitted or with a bad horizon, and the output continues the
history on its grid.

One fitted model and one one-shot forecast per method are shared by the
module (an ETS fit of the daily totals alone takes one to two seconds). The checks
that need more fits (two channels, a second level, a refit) are marked slow
for the methods in ``SLOW_METHODS`` only.
"""

import copy
import re
import types

import numpy as np
import pandas as pd
import pytest

from forecasting import forecast, make_model
from forecasting.contracts import METHODS
from forecasting.errors import HistoryError, NotFittedError
from staffing.contracts import check_forecast

INTERVAL_S = 3600
PER_DAY = 24
STEP = pd.Timedelta(seconds=INTERVAL_S)
#: Two days and a few hours: not a whole number of days, so the daily models must cut.
HORIZON = 2 * PER_DAY + 5
FORECAST_COLUMNS = ["channel", "interval_start", "offered", "offered_lo", "offered_hi"]
#: Methods whose fits take from half a second (ARIMA, MSTL) to two (ETS by L-BFGS).
SLOW_METHODS = ("daily_ets", "daily_arima", "daily_ets_arima", "mstl")


def _history(channel="voice", n_days=49, weekday_total=900.0, seed=0):
    """Poisson counts, 60-minute intervals from Monday 5 January 2026, closed (0) at night.

    Seven weeks: from 49 daily totals on, statsmodels' innovations MLE can fit the
    daily ARIMA (below that the daily model falls back to the slower state-space fit).
    """
    rng = np.random.default_rng(seed)
    hours = np.arange(PER_DAY)
    shape = np.where((hours >= 8) & (hours < 20), np.exp(-0.5 * ((hours - 13) / 3) ** 2), 0.0)
    shape /= shape.sum()
    totals = np.where(np.arange(n_days) % 7 < 5, weekday_total, 0.4 * weekday_total)
    values = rng.poisson(np.outer(totals, shape)).ravel().astype(float)
    starts = pd.date_range("2026-01-05", periods=values.size, freq=STEP)
    return pd.DataFrame({"channel": channel, "interval_start": starts, "offered": values})


def _slow_for_some(methods=METHODS):
    return [pytest.param(m, marks=pytest.mark.slow) if m in SLOW_METHODS else m
            for m in methods]


@pytest.fixture(scope="module", params=METHODS)
def method(request):
    return request.param


@pytest.fixture(scope="module")
def fitted(method):
    """One model fitted by make_model, with what the checks need to see."""
    history = _history()
    before = copy.deepcopy(history)
    model = make_model(method, INTERVAL_S)
    returned = model.fit(history)
    first = model.predict(HORIZON)
    second = model.predict(HORIZON)
    return types.SimpleNamespace(history=history, before=before, model=model,
                                 returned=returned, first=first, second=second)


@pytest.fixture(scope="module")
def one_shot(method):
    """The same history through forecast(method=...)."""
    history = _history()
    before = copy.deepcopy(history)
    result = forecast(history, HORIZON, interval_s=INTERVAL_S, method=method)
    return types.SimpleNamespace(history=history, before=before, result=result.table,
                                 methods=result.methods)


@pytest.mark.slow
def test_fit_returns_the_model_itself(fitted):
    assert fitted.returned is fitted.model


@pytest.mark.slow
def test_fit_then_predict_equals_the_one_shot_forecast(fitted, one_shot, method):
    pd.testing.assert_frame_equal(fitted.first, one_shot.result)
    assert one_shot.methods["voice"]["method"] == method


def test_predict_changes_nothing(fitted):
    pd.testing.assert_frame_equal(fitted.first, fitted.second)


def test_the_input_frame_is_unchanged(fitted, one_shot):
    pd.testing.assert_frame_equal(fitted.history, fitted.before)  # by fit and predict
    pd.testing.assert_frame_equal(one_shot.history, one_shot.before)  # by forecast()


def test_the_output_meets_the_forecast_contract(fitted, one_shot):
    for result in (fitted.first, one_shot.result):
        assert list(result.columns) == FORECAST_COLUMNS
        assert isinstance(result.index, pd.RangeIndex)
        check_forecast(result if "aht_s" in result else result.assign(aht_s=300.0))


def test_bounds_are_ordered_and_not_negative(fitted):
    result = fitted.first
    values = result[["offered", "offered_lo", "offered_hi"]].to_numpy()
    assert np.isfinite(values).all()
    assert (result.offered_lo >= 0).all()
    assert (result.offered_lo <= result.offered).all()
    assert (result.offered <= result.offered_hi).all()


def test_interval_start_continues_the_history_at_the_interval_step(fitted):
    last = fitted.history.interval_start.iloc[-1]
    expected = pd.date_range(last + STEP, periods=HORIZON, freq=STEP)
    assert len(fitted.first) == HORIZON
    assert (fitted.first.channel == "voice").all()
    np.testing.assert_array_equal(fitted.first.interval_start.to_numpy(), expected.to_numpy())


def test_a_numpy_integer_horizon_is_accepted(fitted):
    pd.testing.assert_frame_equal(fitted.model.predict(np.int64(HORIZON)), fitted.first)


def test_predict_before_fit_says_to_fit_first(method):
    with pytest.raises(NotFittedError, match=r"predict\(\): fit the model first"):
        make_model(method, INTERVAL_S).predict(5)


@pytest.mark.parametrize("horizon", [0, -1, 1.5, "3", True])
def test_a_bad_horizon_is_named(fitted, horizon):
    with pytest.raises(HistoryError,
                       match="horizon must be a whole number of intervals >= 1, got "
                             + re.escape(f"{horizon!r}.")):
        fitted.model.predict(horizon)


@pytest.mark.parametrize("method_", _slow_for_some())
def test_two_channels_in_one_history_give_the_same_as_each_alone(method_):
    voice = _history("voice", seed=0)
    chat = _history("chat", weekday_total=400.0, seed=1)
    both = pd.concat([voice, chat], ignore_index=True)
    together = forecast(both, HORIZON, interval_s=INTERVAL_S, method=method_).table
    assert together.channel.tolist() == ["chat"] * HORIZON + ["voice"] * HORIZON
    for alone in (voice, chat):
        name = alone.channel.iloc[0]
        expected = forecast(alone, HORIZON, interval_s=INTERVAL_S, method=method_).table
        got = together[together.channel == name].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("method_", _slow_for_some())
def test_a_95_percent_interval_is_wider_than_an_80_percent_one(method_):
    history = _history()
    narrow = forecast(history, HORIZON, interval_s=INTERVAL_S, method=method_, level=80).table
    wide = forecast(history, HORIZON, interval_s=INTERVAL_S, method=method_, level=95).table
    pd.testing.assert_series_equal(wide.offered, narrow.offered)  # the point does not move
    width_80 = (narrow.offered_hi - narrow.offered_lo).to_numpy()
    width_95 = (wide.offered_hi - wide.offered_lo).to_numpy()
    assert (width_95 >= width_80).all()
    assert width_95.sum() > width_80.sum()


@pytest.mark.parametrize("method_", _slow_for_some())
def test_fitting_twice_is_fitting_once_on_the_newer_data(method_):
    older = _history("chat", weekday_total=400.0, seed=1)
    newer = _history("voice", seed=2)
    refitted = make_model(method_, INTERVAL_S).fit(older).fit(newer).predict(HORIZON)
    fresh = make_model(method_, INTERVAL_S).fit(newer).predict(HORIZON)
    pd.testing.assert_frame_equal(refitted, fresh)
