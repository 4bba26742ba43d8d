"""Constructed series whose forecasts follow by hand from the documented rules.

Every expected number below is worked out from the module docstrings
(``forecasting._models``, ``forecasting._daily``, ``forecasting._mstl``), not
taken from a run of the code:

* a seasonal-naive forecast of an exactly periodic series is that series;
* a constant series is forecast as that constant by every method;
* ``DailyProfile`` with a holiday calendar forecasts a weekday holiday as the
  model's value times the holiday factor (past holiday totals over what the
  fill gave them) with the mean profile of past holidays, the first working
  day after it with the catch-up factor, and, with no past holiday, like a
  Sunday.

Where statsmodels fits the daily totals, the value it gives for an exactly
weekly-periodic series is the series itself only to the tolerance at which
its optimiser stops (ETS: about 1e-5 relative with ``maxiter=200``), so those
checks use ``rtol=1e-3``; everything else is exact.
"""

import datetime
import warnings

import holidays
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecasting import DailyProfile, SeasonalNaive, WeeklyAverage, forecast
from forecasting.contracts import METHODS

INTERVAL_S = 3600
PER_DAY = 24
STEP = pd.Timedelta(seconds=INTERVAL_S)
WEEK = 7 * PER_DAY


def _frame(values, start, channel="voice"):
    starts = pd.date_range(start, periods=len(values), freq=STEP)
    return pd.DataFrame({"channel": channel, "interval_start": starts,
                         "offered": np.asarray(values, dtype=float)})


# --- seasonal naive and weekly average on periodic series ------------------------------------

def test_seasonal_naive_through_forecast_is_exact_with_gaps_and_two_channels():
    # Two channels with different weekly patterns (whole numbers, so every value is exact).
    # Four weeks; the last week of "voice" lacks its first 30 intervals, which the rule then
    # takes from the week before: the same values, as the series is periodic.
    week_voice = (np.arange(WEEK) * 7) % 53
    week_chat = (np.arange(WEEK) * 11) % 29
    voice = np.tile(week_voice, 4).astype(float)
    voice[3 * WEEK: 3 * WEEK + 30] = np.nan
    history = pd.concat([_frame(voice, "2026-01-05", "voice"),
                         _frame(np.tile(week_chat, 4), "2026-01-05", "chat")],
                        ignore_index=True)
    fc = forecast(history, 2 * WEEK, interval_s=INTERVAL_S, method="seasonal_naive").table
    for name, week in (("voice", week_voice), ("chat", week_chat)):
        part = fc[fc.channel == name]
        np.testing.assert_array_equal(part.offered.to_numpy(), np.tile(week, 2))
        # every one-season-ahead error in the history is 0: the interval has no width
        np.testing.assert_array_equal(part.offered_lo.to_numpy(), part.offered.to_numpy())
        np.testing.assert_array_equal(part.offered_hi.to_numpy(), part.offered.to_numpy())
        assert part.interval_start.iloc[0] == pd.Timestamp("2026-02-02 00:00")


def test_seasonal_naive_with_a_daily_season_needs_only_days_of_history():
    day = np.array([0, 0, 0, 0, 0, 0, 0, 3, 9, 14, 17, 15, 12, 16, 18, 13, 10, 7, 4, 2, 1, 0,
                    0, 0], dtype=float)
    history = _frame(np.tile(day, 3), "2026-01-07")  # three days: no week to look back on
    fc = SeasonalNaive(INTERVAL_S, season_s=86400.0).fit(history).predict(2 * PER_DAY + 7)
    np.testing.assert_array_equal(fc.offered.to_numpy(), np.resize(day, 2 * PER_DAY + 7))


def test_weekly_average_of_an_exactly_periodic_series_is_exact():
    week = (np.arange(WEEK) * 5) % 37  # whole numbers: their mean over 4 weeks is exact
    fc = WeeklyAverage(INTERVAL_S).fit(_frame(np.tile(week, 5), "2026-01-05")).predict(WEEK)
    np.testing.assert_array_equal(fc.offered.to_numpy(), week)


# --- a constant series, every method -------------------------------------------------------

CONSTANT = 17.0
#: Methods that compute the forecast exactly (a copy or a mean of equal numbers).
EXACT = ("seasonal_naive", "weekly_average")
#: On a constant series the ARIMA's innovations MLE divides by zero and the daily model falls
#: back to statsmodels' state-space fit, which takes several seconds there.
SLOW = ("daily_arima", "daily_ets_arima")


def _slow_for_some(methods):
    return [pytest.param(m, marks=pytest.mark.slow) if m in SLOW else m for m in methods]


@pytest.mark.parametrize("method", _slow_for_some(METHODS))
def test_a_constant_series_is_forecast_as_that_constant(method):
    # Five weeks of 17 contacts every hour, from Monday midnight to Sunday midnight: the daily
    # models see 35 complete days of 408, MSTL five full weeks.
    history = _frame(np.full(35 * PER_DAY, CONSTANT), "2026-01-05")
    fc = forecast(history, 3 * PER_DAY + 5, interval_s=INTERVAL_S, method=method).table
    assert len(fc) == 3 * PER_DAY + 5
    if method in EXACT:
        assert (fc.offered == CONSTANT).all()
        # no error in the history, so the interval has no width
        assert (fc.offered_lo == CONSTANT).all() and (fc.offered_hi == CONSTANT).all()
    else:
        np.testing.assert_allclose(fc.offered.to_numpy(), CONSTANT, rtol=1e-6)


@pytest.mark.parametrize("method", _slow_for_some(["daily_ets", "daily_arima"]))
def test_a_constant_series_leaves_only_the_poisson_part_of_the_daily_interval(method):
    # The daily model fits a constant series without error, so the day's deviation is 0 and
    # an interval's variance is its Poisson part alone: 17 +- z * sqrt(17), z the 90th
    # percentile of the normal distribution for the default 80% interval.
    history = _frame(np.full(35 * PER_DAY, CONSTANT), "2026-01-05")
    fc = forecast(history, PER_DAY, interval_s=INTERVAL_S, method=method).table
    half_width = stats.norm.ppf(0.9) * np.sqrt(CONSTANT)
    np.testing.assert_allclose(fc.offered_hi.to_numpy(), CONSTANT + half_width, rtol=1e-6)
    np.testing.assert_allclose(fc.offered_lo.to_numpy(), CONSTANT - half_width, rtol=1e-6)


# --- public holidays -----------------------------------------------------------------------

WEEKDAY_TOTAL, WEEKEND_TOTAL = 1000.0, 400.0
HOLIDAY_FACTOR, CATCH_UP_FACTOR = 0.3, 1.2


def _bump(peak_hour, width_h):
    hours = np.arange(PER_DAY)
    shape = np.where((hours >= 6) & (hours < 22),
                     np.exp(-0.5 * ((hours - peak_hour) / width_h) ** 2), 0.0)
    return shape / shape.sum()


WEEKDAY_SHAPE = _bump(14, 2.5)
WEEKEND_SHAPE = _bump(12, 4.0)
HOLIDAY_SHAPE = _bump(10, 1.5)


def _holiday_history(first_day, n_days, holiday_days, catch_up_days):
    """Weekdays 1000 contacts, weekends 400, each spread by its shape (no noise); a holiday
    brings 30% of a weekday with its own shape, a catch-up day 120% with the weekday shape."""
    days = pd.date_range(first_day, periods=n_days, freq="D")
    rows = []
    for day in days:
        if day in holiday_days:
            rows.append(HOLIDAY_FACTOR * WEEKDAY_TOTAL * HOLIDAY_SHAPE)
        elif day in catch_up_days:
            rows.append(CATCH_UP_FACTOR * WEEKDAY_TOTAL * WEEKDAY_SHAPE)
        elif day.day_of_week < 5:
            rows.append(WEEKDAY_TOTAL * WEEKDAY_SHAPE)
        else:
            rows.append(WEEKEND_TOTAL * WEEKEND_SHAPE)
    return _frame(np.concatenate(rows), days[0])


#: French public holidays of May 2026 in the history, the first working day after each, and
#: the two days the forecast opens with: Whit Monday, then its catch-up Tuesday.
MAY_HOLIDAYS = pd.to_datetime(["2026-05-01", "2026-05-08", "2026-05-14"])  # Fri, Fri, Thu
MAY_CATCH_UP = pd.to_datetime(["2026-05-04", "2026-05-11", "2026-05-15"])  # Mon, Mon, Fri


@pytest.fixture(scope="module")
def may_history():
    calendar = holidays.country_holidays("FR", years=2026)
    for day in MAY_HOLIDAYS.append(pd.DatetimeIndex(["2026-05-25"])):
        assert day.date() in calendar  # the construction relies on these being holidays
    assert datetime.date(2026, 4, 6) in calendar  # Easter Monday: before the history starts
    # Six weeks from Monday 13 April to Sunday 24 May 2026.
    return _holiday_history("2026-04-13", 42, MAY_HOLIDAYS, MAY_CATCH_UP)


@pytest.mark.slow
def test_a_holiday_gets_its_factor_and_its_profile_and_the_next_day_its_catch_up(may_history):
    # Special days are left out of the fit and filled with the same weekday a week earlier, so
    # the model sees exactly 1000 every weekday and 400 every weekend day. Holiday factor:
    # 3 x 300 / (3 x 1000) = 0.3; catch-up factor: 3 x 1200 / (3 x 1000) = 1.2. The holiday
    # profile is the mean of three identical holiday shapes; Tuesday's profile (and the
    # Monday-Friday mean it is pooled with) come from ordinary days only: the weekday shape.
    fc = DailyProfile(INTERVAL_S, country="FR").fit(may_history).predict(7 * PER_DAY)
    days = fc.offered.to_numpy().reshape(7, PER_DAY)
    assert fc.interval_start.iloc[0] == pd.Timestamp("2026-05-25 00:00")  # Whit Monday
    np.testing.assert_allclose(days[0], 0.3 * 1000.0 * HOLIDAY_SHAPE, rtol=1e-3)
    np.testing.assert_allclose(days[1], 1.2 * 1000.0 * WEEKDAY_SHAPE, rtol=1e-3)
    np.testing.assert_allclose(days[2], 1000.0 * WEEKDAY_SHAPE, rtol=1e-3)  # ordinary Wed
    np.testing.assert_allclose(days[5], 400.0 * WEEKEND_SHAPE, rtol=1e-3)  # Saturday


@pytest.mark.slow
def test_without_a_calendar_the_holiday_is_an_ordinary_weekday(may_history):
    # No day is special: the model is fitted on the raw daily totals (holidays and catch-up
    # days as they came) and Whit Monday gets that model's value for a Monday, with no factor.
    # Its profile is Monday's: every Monday in the history has the weekday shape, and the
    # Monday-Friday mean it is pulled halfway towards holds 27 weekday-shaped days and the
    # three holidays: 0.5 x weekday + 0.5 x (0.9 x weekday + 0.1 x holiday).
    fc = DailyProfile(INTERVAL_S).fit(may_history).predict(PER_DAY)
    monday = fc.offered.to_numpy()
    totals = may_history.offered.to_numpy().reshape(-1, PER_DAY).sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = ETSModel(totals, error="add", trend="add", damped_trend=True, seasonal="add",
                          seasonal_periods=7).fit(disp=False, maxiter=200)
    assert monday.sum() == pytest.approx(max(direct.forecast(1)[0], 0.0), rel=1e-6)
    assert monday.sum() > 0.9 * WEEKDAY_TOTAL  # nowhere near the 30% of a holiday
    np.testing.assert_allclose(monday / monday.sum(),
                               0.95 * WEEKDAY_SHAPE + 0.05 * HOLIDAY_SHAPE, atol=1e-12)


@pytest.mark.slow
def test_a_holiday_with_none_before_it_is_forecast_like_a_sunday():
    # Six weeks from Monday 1 June to Sunday 12 July 2026 hold no French public holiday; the
    # forecast week holds Tuesday 14 July. With no past holiday its factor is the recent
    # Sunday-to-weekday ratio (last 28 ordinary days: 400 / 1000) and its profile Sunday's; the
    # catch-up Wednesday has no past catch-up day, so its factor is 1.
    calendar = holidays.country_holidays("FR", years=2026)
    first = datetime.date(2026, 6, 1)
    assert not any(first + datetime.timedelta(days=d) in calendar for d in range(42))
    assert datetime.date(2026, 7, 14) in calendar
    history = _holiday_history("2026-06-01", 42, pd.DatetimeIndex([]), pd.DatetimeIndex([]))
    fc = DailyProfile(INTERVAL_S, country="FR").fit(history).predict(4 * PER_DAY)
    days = fc.offered.to_numpy().reshape(4, PER_DAY)
    np.testing.assert_allclose(days[0], 1000.0 * WEEKDAY_SHAPE, rtol=1e-3)  # Monday 13 July
    np.testing.assert_allclose(days[1], 1000.0 * 0.4 * WEEKEND_SHAPE, rtol=1e-3)  # 14 July
    np.testing.assert_allclose(days[2], 1000.0 * WEEKDAY_SHAPE, rtol=1e-3)  # catch-up day
