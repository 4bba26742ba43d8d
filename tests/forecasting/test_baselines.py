"""History cleaning and the baseline models: known answers, interface checks, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest

from forecasting import SeasonalNaive, WeeklyAverage, aggregate_contacts, clean_history, forecast
from forecasting.errors import HistoryError, NotFittedError
from staffing.contracts import check_forecast

WEEK = 96 * 7


def _history(values, start="2026-01-05", freq="15min", channel="voice", **extra):
    starts = pd.date_range(start, periods=len(values), freq=freq)
    return pd.DataFrame({"channel": channel, "interval_start": starts,
                         "offered": np.asarray(values, float), **extra})


def test_seasonal_naive_is_exact_on_a_periodic_series():
    week = (np.arange(WEEK) * 7) % 53
    history = _history(np.tile(week, 3))
    fc = SeasonalNaive(900).fit(history).predict(2 * WEEK)
    np.testing.assert_array_equal(fc.offered.to_numpy(), np.tile(week, 2))
    # no error in the history, so the interval has no width
    np.testing.assert_array_equal(fc.offered_lo.to_numpy(), fc.offered.to_numpy())
    assert fc.interval_start.iloc[0] == history.interval_start.iloc[-1] + pd.Timedelta("15min")


@pytest.mark.parametrize("model", [SeasonalNaive(900), WeeklyAverage(900)])
def test_a_constant_series_is_forecast_as_that_constant(model):
    fc = model.fit(_history([17.0] * (3 * WEEK))).predict(50)
    assert (fc.offered == 17.0).all()


def test_weekly_average_is_the_mean_of_the_last_four_weeks_and_skips_missing():
    weeks = [np.full(WEEK, v) for v in (10.0, 20.0, 30.0, 40.0, 50.0)]
    values = np.concatenate(weeks)
    values[-WEEK] = np.nan  # the latest week's first interval is missing
    fc = WeeklyAverage(900).fit(_history(values)).predict(2)
    # first interval: week 5 missing, so weeks 4, 3, 2, 1; second: weeks 5, 4, 3, 2
    assert fc.offered.tolist() == [(40 + 30 + 20 + 10) / 4, (50 + 40 + 30 + 20) / 4]


@pytest.mark.parametrize("model_class", [SeasonalNaive, WeeklyAverage])
def test_interface(model_class):
    rng = np.random.default_rng(0)
    history = _history(rng.poisson(20, 4 * WEEK), aht_s=rng.uniform(200, 300, 4 * WEEK))
    before = history.copy()
    model = model_class(900)
    fitted = model.fit(history)
    assert fitted is model
    first = model.predict(96)
    second = model.predict(96)  # predict changes nothing
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(history, before)  # the input is untouched
    check_forecast(first)  # the staffing engine accepts it
    assert (first.offered_lo <= first.offered).all() and (first.offered <= first.offered_hi).all()
    one_shot = forecast(history, 96, interval_s=900,
                        method={"SeasonalNaive": "seasonal_naive",
                                "WeeklyAverage": "weekly_average"}[model_class.__name__]).table
    pd.testing.assert_frame_equal(first, one_shot)
    with pytest.raises(NotFittedError, match="fit the model first"):
        model_class(900).predict(5)


def test_prediction_intervals_cover_about_their_level_on_a_poisson_series():
    rng = np.random.default_rng(1)
    values = rng.poisson(40, 9 * WEEK).astype(float)
    model = WeeklyAverage(900, level=80).fit(_history(values[: 8 * WEEK]))
    fc = model.predict(WEEK)
    inside = (values[8 * WEEK:] >= fc.offered_lo) & (values[8 * WEEK:] <= fc.offered_hi)
    assert 0.74 <= inside.mean() <= 0.86  # 672 Bernoulli(0.8) draws: 3 standard errors


def test_gaps_stay_missing_and_unsorted_rows_are_sorted_with_a_warning():
    history = _history([5.0, 6.0, 7.0, 8.0]).drop(index=2).iloc[::-1]
    with pytest.warns(UserWarning, match="not in time order; sorted them"):
        tidy = clean_history(history, interval_s=900)
    assert tidy.offered.isna().tolist() == [False, False, True, False]


def test_per_contact_records_become_counts():
    contacts = pd.DataFrame({"arrived": pd.to_datetime(
        ["2026-01-05 09:01", "2026-01-05 09:14", "2026-01-05 09:46"])})
    counts = aggregate_contacts(contacts, interval_s=900, time_column="arrived")
    assert counts.offered.tolist() == [2.0, 0.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda h: h.drop(columns="offered"), "no column 'offered'"),
        (lambda h: h.astype({"offered": object}).assign(offered=["a", 1, 2]),
         "row 0: offered 'a' is not a number"),
        (lambda h: h.assign(offered=[1.0, -2.0, 3.0]), "row 1: offered -2 is negative"),
        (lambda h: pd.concat([h, h.iloc[[1]]]), "repeat channel 'voice'"),
        (lambda h: h.assign(interval_start=h.interval_start + pd.to_timedelta([0, 60, 0], "s")),
         "not on the 900-second grid"),
    ],
)
def test_bad_history_names_the_problem(change, match):
    with pytest.raises(HistoryError, match=match):
        clean_history(change(_history([1.0, 2.0, 3.0])), interval_s=900)


def test_bad_forecast_arguments():
    history = _history([1.0] * WEEK)
    with pytest.raises(HistoryError, match="horizon must be a whole number"):
        forecast(history, 0, interval_s=900)
    with pytest.raises(HistoryError, match="method must be one of"):
        forecast(history, 5, interval_s=900, method="prophet")
    with pytest.raises(HistoryError, match="unknown holiday calendar country='XX'"):
        forecast(history, 5, interval_s=900, country="XX")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(forecast(history, 5, interval_s=900).table) == 5
