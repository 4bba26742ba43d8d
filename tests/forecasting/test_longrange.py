"""forecasting.longrange: the weekly long-range forecast, its baseline and planner events.

References are independent of the code: the formula that generated a synthetic series
(trend, yearly season, holiday effect), the nominal level of an interval checked on series
simulated from the model's own family, the event arithmetic done by hand, and the
same-week-last-year rule read off the history by index.
"""

import holidays
import numpy as np
import pandas as pd
import pytest

from forecasting.errors import HistoryError
from forecasting.longrange import (
    MIN_HISTORY_WEEKS,
    apply_events,
    long_range_forecast,
    seasonal_naive_weekly,
)

EPOCH = pd.Timestamp("2000-01-03")


def _log_mean(weeks, level=1000.0, growth=0.05, amplitude=0.2, holiday_effect=0.0):
    """log(expected weekly volume): level, growth per year, a yearly sine, holiday dips."""
    days = (weeks - EPOCH).days.to_numpy(dtype=float) + 3.0
    mean = np.log(level) + growth * (days - days[0]) / 365.25 \
        + amplitude * np.sin(2 * np.pi * days / 365.25)
    if holiday_effect:
        fr = holidays.country_holidays("FR")
        counts = np.array([sum(d in fr for d in pd.date_range(w, periods=5).date)
                           for w in weeks])
        mean = mean + holiday_effect * counts
    return mean


def _series(n_weeks=208, noise=0.03, seed=0, level_sd=0.0, **kw):
    """Weekly volumes: exp(known log mean + a random-walk level (sd level_sd) + noise)."""
    weeks = pd.date_range("2019-01-07", periods=n_weeks, freq="7D")
    rng = np.random.default_rng(seed)
    errors = np.cumsum(rng.normal(0, level_sd, n_weeks)) + rng.normal(0, noise, n_weeks)
    offered = np.exp(_log_mean(weeks, **kw) + errors)
    return pd.DataFrame({"channel": "voice", "week_start": weeks, "offered": offered})


def test_known_trend_and_season_are_recovered_a_year_ahead():
    hist = _series(noise=0.03)
    fc = long_range_forecast(hist, horizon_weeks=52).table
    all_weeks = hist.week_start.iloc[0] + pd.to_timedelta(7 * np.arange(260), unit="D")
    truth = np.exp(_log_mean(all_weeks)[208:])
    # the forecast mean of a log-normal with sd ~0.03: within 4% of the true curve everywhere
    np.testing.assert_allclose(fc.offered.to_numpy(), truth, rtol=0.04)
    # and the yearly swing (peak over trough, true ratio exp(0.4) = 1.49) within 5%
    ratio = (fc.offered / truth).to_numpy()
    assert ratio.std() < 0.015
    assert fc.week_start.iloc[0] == hist.week_start.iloc[-1] + pd.Timedelta(days=7)
    assert (fc.horizon_week.to_numpy() == np.arange(1, 53)).all()
    assert (fc.offered_lo < fc.offered).all() and (fc.offered < fc.offered_hi).all()


def test_public_holidays_dip_is_learned_from_the_calendar():
    # each working-day holiday takes 15% off the week (log -0.1625)
    effect = np.log(0.85)
    hist = _series(noise=0.02, holiday_effect=effect)
    with_cal = long_range_forecast(hist, horizon_weeks=52, country="FR").table
    all_weeks = hist.week_start.iloc[0] + pd.to_timedelta(7 * np.arange(260), unit="D")
    truth = np.exp(_log_mean(all_weeks, holiday_effect=effect)[208:])
    np.testing.assert_allclose(with_cal.offered.to_numpy(), truth, rtol=0.04)
    without = long_range_forecast(hist, horizon_weeks=52).table
    err_with = np.abs(with_cal.offered - truth).sum()
    err_without = np.abs(without.offered - truth).sum()
    assert err_with < 0.5 * err_without


@pytest.mark.slow
def test_interval_coverage_is_near_nominal_on_simulated_series():
    # 60 series from the model's family (a random-walk level, sd 0.02 a week, plus noise sd
    # 0.04, on the log scale); the share of future weeks inside the 80% interval, over
    # 60 x 26 weeks, is near 0.80.
    inside, total = 0, 0
    for seed in range(60):
        full = _series(n_weeks=182, noise=0.04, level_sd=0.02, seed=seed)
        hist, future = full.iloc[:156], full.iloc[156:]
        fc = long_range_forecast(hist, horizon_weeks=26, level=80).table
        actual = future.offered.to_numpy()
        inside += int(((actual >= fc.offered_lo.to_numpy())
                       & (actual <= fc.offered_hi.to_numpy())).sum())
        total += len(actual)
    # weeks of one series are correlated; 0.80 +- 0.06 is about 3 standard errors of 60 series
    assert abs(inside / total - 0.80) < 0.06


def test_sample_paths_match_the_intervals_and_are_deterministic():
    hist = _series(noise=0.04, level_sd=0.02)
    a = long_range_forecast(hist, horizon_weeks=26, n_paths=2000, seed=7)
    b = long_range_forecast(hist, horizon_weeks=26, n_paths=2000, seed=7)
    pd.testing.assert_frame_equal(a.paths, b.paths)
    pd.testing.assert_frame_equal(a.table, b.table)
    c = long_range_forecast(hist, horizon_weeks=26, n_paths=2000, seed=8)
    assert not np.allclose(a.paths.offered, c.paths.offered)
    assert len(a.paths) == 2000 * 26 and (a.paths.offered >= 0).all()
    # simulation vs the analytic interval: the paths' 10% / 90% quantiles and mean
    q = a.paths.groupby("horizon_week").offered.quantile([0.1, 0.9]).unstack()
    np.testing.assert_allclose(q[0.1].to_numpy(), a.table.offered_lo.to_numpy(), rtol=0.02)
    np.testing.assert_allclose(q[0.9].to_numpy(), a.table.offered_hi.to_numpy(), rtol=0.02)
    mean = a.paths.groupby("horizon_week").offered.mean().to_numpy()
    np.testing.assert_allclose(mean, a.table.offered.to_numpy(), rtol=0.01)


def test_daily_history_is_summed_into_whole_weeks():
    weekly_hist = _series(n_weeks=100)
    days = pd.date_range("2019-01-06", periods=7 * 100 + 3, freq="D")  # a Sunday .. a Tuesday
    per_day = np.full(len(days), np.nan)
    for i, w in enumerate(weekly_hist.offered):
        per_day[1 + 7 * i: 8 + 7 * i] = w / 7
    per_day[0], per_day[-2:] = 5.0, 5.0  # the partial weeks at either end
    daily = pd.DataFrame({"channel": "voice", "date": days, "offered": per_day})
    from_daily = long_range_forecast(daily, horizon_weeks=13)
    from_weekly = long_range_forecast(weekly_hist, horizon_weeks=13)
    # the same weeks (sums equal to rounding), so the same forecast up to the optimiser
    np.testing.assert_allclose(from_daily.table.offered, from_weekly.table.offered, rtol=1e-3)
    assert from_daily.weeks_used["voice"] == (pd.Timestamp("2019-01-07"),
                                              weekly_hist.week_start.iloc[-1])


def test_seasonal_naive_repeats_the_same_week_last_year():
    hist = _series(n_weeks=120, noise=0.1)
    fc = seasonal_naive_weekly(hist, horizon_weeks=60)
    values = hist.offered.to_numpy()
    n = len(values)
    for h in (1, 13, 52):
        assert fc.offered.iloc[h - 1] == values[n + h - 1 - 52]
    for h in (53, 60):
        assert fc.offered.iloc[h - 1] == values[n + h - 1 - 104]
    assert (fc.offered_lo <= fc.offered).all() and (fc.offered <= fc.offered_hi).all()
    with pytest.raises(HistoryError, match="60-week horizon needs at least 105"):
        seasonal_naive_weekly(hist.iloc[:80], horizon_weeks=60)


def _plan():
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-05", "2026-01-12"])
    return pd.DataFrame({"channel": ["voice", "voice", "chat", "chat"], "week_start": weeks,
                         "offered": [700.0, 1400.0, 350.0, 350.0],
                         "offered_lo": [600.0, 1200.0, 300.0, 300.0],
                         "offered_hi": [800.0, 1600.0, 400.0, 400.0],
                         "aht_s": [300.0, 300.0, 600.0, 600.0]})


def test_events_are_applied_exactly_as_by_hand():
    plan = _plan()
    events = pd.DataFrame({
        "channel": ["voice", "voice", "chat"],
        "start": ["2026-01-10", "2026-01-12", "2026-01-12"],   # Sat .. Tue: 2 days + 2 days
        "end": ["2026-01-13", "2026-01-18", "2026-01-18"],
        "volume_change": [0.35, -0.14, 0.5],
        "aht_s": [np.nan, np.nan, 420.0]})
    out = apply_events(plan, events)
    # voice week 1: 2 of 7 days at +35% -> x 1.1; week 2: 2/7 * 0.35 + 7/7 * -0.14 = -0.04
    assert out.offered.tolist() == pytest.approx([770.0, 1344.0, 350.0, 525.0])
    assert out.offered_hi.tolist() == pytest.approx([880.0, 1536.0, 400.0, 600.0])
    # chat week 2: the whole week at +50% with aht 420 s -> every contact at 420 s
    assert out.aht_s.tolist() == pytest.approx([300.0, 300.0, 600.0, 420.0])
    pd.testing.assert_frame_equal(plan, _plan())  # the input is not modified
    # a 3-day AHT event: 3/7 of base volume at +40% -> (4/7*600 + 3/7*1.4*420) / (4/7 + 3/7*1.4)
    part = pd.DataFrame({"channel": ["chat"], "start": ["2026-01-05"], "end": ["2026-01-07"],
                         "volume_change": [0.4], "aht_s": [420.0]})
    out = apply_events(plan, part)
    assert out.aht_s.iloc[2] == pytest.approx((4 * 600 + 3 * 1.4 * 420) / (4 + 3 * 1.4))
    assert out.offered.iloc[2] == pytest.approx(350.0 * (1 + 3 / 7 * 0.4))


@pytest.mark.parametrize("event, message", [
    ({"start": "2026-01-18", "end": "2026-01-20"}, "outside the horizon 2026-01-05..2026-01-18"),
    ({"start": "2025-12-30", "end": "2026-01-06"}, "outside the horizon"),
    ({"channel": "email"}, "channel not in the forecast"),
    ({"volume_change": -1.0}, "volume_change must be a fraction > -1"),
    ({"start": "2026-01-09", "end": "2026-01-07"}, "before start"),
    ({"aht_s": -5.0}, "aht_s must be > 0"),
])
def test_bad_events_name_the_row_field_and_fix(event, message):
    row = {"channel": "voice", "start": "2026-01-06", "end": "2026-01-07",
           "volume_change": 0.1, "aht_s": np.nan} | event
    with pytest.raises(HistoryError, match=message):
        apply_events(_plan(), pd.DataFrame([row]))


def test_bad_history_errors_name_the_field_and_the_fix():
    hist = _series(n_weeks=120)
    with pytest.raises(HistoryError, match=f"77 whole weeks.*at least {MIN_HISTORY_WEEKS}"):
        long_range_forecast(hist.iloc[:77], horizon_weeks=13)
    with pytest.raises(HistoryError, match="gap in week_start after 2019-03-04.*never read as"):
        long_range_forecast(hist.drop(index=9), horizon_weeks=13)
    negative = hist.copy()
    negative.loc[5, "offered"] = -3
    with pytest.raises(HistoryError, match="offered must be a count >= 0.*-3.*2019-02-11"):
        long_range_forecast(negative, horizon_weeks=13)
    missing = hist.copy()
    missing.loc[5, "offered"] = np.nan
    with pytest.raises(HistoryError, match="offered must be a count >= 0"):
        long_range_forecast(missing, horizon_weeks=13)
    shifted = hist.assign(week_start=hist.week_start + pd.Timedelta(days=1))
    with pytest.raises(HistoryError, match="week_start must be a Monday.*Tuesday"):
        long_range_forecast(shifted, horizon_weeks=13)
    with pytest.raises(HistoryError, match="neither 'week_start' nor 'date'"):
        long_range_forecast(hist.rename(columns={"week_start": "week"}), horizon_weeks=13)
    with pytest.raises(HistoryError, match="horizon_weeks must be a whole number of weeks"):
        long_range_forecast(hist, horizon_weeks=0)
    with pytest.raises(HistoryError, match="level must be a percent"):
        long_range_forecast(hist, horizon_weeks=13, level=180)
    with pytest.raises(HistoryError, match="unknown holiday calendar"):
        long_range_forecast(hist, horizon_weeks=13, country="XX")
