"""Daily totals by ETS times an intraday profile, against statsmodels called directly."""

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecasting import DailyProfile
from forecasting.errors import HistoryError
from staffing.contracts import check_forecast

PER_DAY = 48  # 30-minute intervals


def _history(n_days=42, seed=0):
    rng = np.random.default_rng(seed)
    hours = np.arange(PER_DAY) / 2
    shape = np.where((hours >= 8) & (hours < 20), np.exp(-0.5 * ((hours - 13) / 3) ** 2), 0.0)
    shape /= shape.sum()
    level = 1000 + 300 * (np.arange(n_days) % 7 < 5) + rng.normal(0, 30, n_days)
    values = rng.poisson(np.outer(level, shape)).ravel().astype(float)
    starts = pd.date_range("2026-01-05", periods=n_days * PER_DAY, freq="30min")
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": values}), shape


@pytest.mark.slow
def test_daily_totals_are_statsmodels_ets_and_the_profile_spreads_them():
    history, shape = _history()
    model = DailyProfile(1800).fit(history)
    fc = model.predict(7 * PER_DAY)
    daily = history.offered.to_numpy().reshape(-1, PER_DAY).sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = ETSModel(daily, error="add", trend="add", damped_trend=True, seasonal="add",
                          seasonal_periods=7).fit(disp=False, maxiter=200)
    expected = np.maximum(direct.forecast(7), 0.0)
    ours = fc.offered.to_numpy().reshape(-1, PER_DAY).sum(axis=1)
    np.testing.assert_allclose(ours, expected, rtol=1e-6)
    # Closed intervals stay closed, the shape follows the history.
    first = fc.offered.to_numpy()[:PER_DAY]
    assert (first[shape == 0] == 0).all()
    # Each share is the mean of 4 days of Poisson counts (about 100 a busy interval, so a
    # relative error near 5%): the spread must sit within 0.01 of the true shape everywhere.
    assert np.abs(first / first.sum() - shape).max() < 0.01
    check_forecast(fc.assign(aht_s=300.0))
    assert (fc.offered_lo <= fc.offered).all() and (fc.offered <= fc.offered_hi).all()
    assert fc.interval_start.iloc[0] == pd.Timestamp("2026-02-16 00:00")


@pytest.mark.slow
def test_interval_coverage_is_near_its_level_on_new_weeks():
    history, _ = _history(n_days=63, seed=3)
    fitted, actual = history.iloc[: 56 * PER_DAY], history.iloc[56 * PER_DAY:]
    fc = DailyProfile(1800, level=80).fit(fitted).predict(7 * PER_DAY)
    open_ = actual.offered.to_numpy() > 0
    inside = ((actual.offered.to_numpy() >= fc.offered_lo.to_numpy())
              & (actual.offered.to_numpy() <= fc.offered_hi.to_numpy()))[open_]
    assert 0.7 <= inside.mean() <= 0.95


def test_too_little_history_or_missing_nights_are_named():
    history, _ = _history(n_days=14)
    with pytest.raises(HistoryError, match="14 complete days; the daily model needs at least 21"):
        DailyProfile(1800).fit(history)
    history, _ = _history(n_days=30)
    open_only = history[history.interval_start.dt.hour.between(8, 19)]
    with pytest.raises(HistoryError, match="Closed hours must be 0, not missing"):
        DailyProfile(1800).fit(open_only)


@pytest.mark.slow
def test_public_holidays_get_their_factor_and_their_own_profile():
    # Weekdays bring 1000 contacts and weekends 500, peaking at 14:00; a French public holiday
    # brings 40% of its weekday's volume, peaking at 10:00. History: 11 weeks from Monday
    # 5 October 2026 (holidays 1 and 11 November); the forecast week holds Christmas (Friday).
    hours = np.arange(PER_DAY) / 2
    normal = np.exp(-0.5 * ((hours - 14) / 2.5) ** 2)
    festive = np.exp(-0.5 * ((hours - 10) / 2.0) ** 2)
    normal, festive = normal / normal.sum(), festive / festive.sum()
    days = pd.date_range("2026-10-05", periods=77, freq="D")
    holidays_fr = {pd.Timestamp("2026-11-01"), pd.Timestamp("2026-11-11")}
    rows = []
    for day in days:
        total = 1000.0 if day.day_of_week < 5 else 500.0
        shape = normal
        if day in holidays_fr:
            total, shape = 0.4 * total, festive
        rows.append(total * shape)
    history = pd.DataFrame({"channel": "voice",
                            "interval_start": pd.date_range(days[0], periods=77 * PER_DAY,
                                                            freq="30min"),
                            "offered": np.concatenate(rows)})
    fc = DailyProfile(1800, country="FR").fit(history).predict(7 * PER_DAY)
    per_day = fc.offered.to_numpy().reshape(7, PER_DAY)
    thursday, christmas = per_day[3], per_day[4]  # 24 and 25 December 2026
    assert thursday.sum() == pytest.approx(1000.0, rel=0.02)
    assert christmas.sum() == pytest.approx(400.0, rel=0.02)
    assert np.argmax(christmas) == np.argmax(festive)
    assert np.argmax(thursday) == np.argmax(normal)
    without = DailyProfile(1800).fit(history).predict(7 * PER_DAY)
    assert without.offered.to_numpy().reshape(7, PER_DAY)[4].sum() > 900.0


def test_unknown_holiday_calendar_is_named():
    history, _ = _history()
    with pytest.raises(HistoryError, match="unknown holiday calendar country='XX'"):
        DailyProfile(1800, country="XX").fit(history)
    with pytest.raises(HistoryError, match="subdivision 'NY' needs a country"):
        DailyProfile(1800, subdivision="NY").fit(history)
