"""daily_totals: a day's total and its interval, checked against simulation of the model and
against textbook limits (never by summing interval bounds)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting import daily_totals, sample_paths
from forecasting.errors import HistoryError


def _forecast(mu, day_sd, level=80.0, days=2, per_day=6, channel="voice"):
    """Intervals built by hand from the model: Poisson counts around a day level of relative
    standard deviation ``day_sd``."""
    z = stats.norm.ppf(0.5 + level / 200)
    mu = np.resize(np.asarray(mu, dtype=float), per_day * days)
    sd = np.sqrt(mu + (day_sd * mu) ** 2)
    starts = pd.date_range("2026-03-02 09:00", periods=per_day, freq="30min")
    starts = starts.append([starts + pd.Timedelta(days=d) for d in range(1, days)])
    return pd.DataFrame({"channel": channel, "interval_start": starts, "offered": mu,
                         "offered_lo": np.maximum(mu - z * sd, 0), "offered_hi": mu + z * sd})


def test_the_interval_holds_the_simulated_day_totals_at_its_level():
    # Independent reference: draw the day levels (sample_paths) and the Poisson counts, sum
    # each day, and count how often the total falls inside the interval.
    fc = _forecast([30.0, 80.0, 120.0, 90.0, 60.0, 20.0], day_sd=0.12, level=80)
    days = daily_totals(fc, level=80)
    n = 20_000
    rates = sample_paths(fc, n, seed=11).table["offered"].to_numpy().reshape(n, 2, -1)
    totals = np.random.default_rng(12).poisson(rates).sum(axis=2)
    for d in range(2):
        lo, hi = days.offered_lo.iloc[d], days.offered_hi.iloc[d]
        inside = ((totals[:, d] >= lo) & (totals[:, d] <= hi)).mean()
        # a discrete interval covers at least its level; 4 binomial standard errors of slack
        assert 0.80 - 4 * np.sqrt(0.16 / n) <= inside <= 0.84
        below = (totals[:, d] < lo).mean()
        assert below <= 0.10 + 4 * np.sqrt(0.09 / n)
    assert days.offered.tolist() == pytest.approx([400.0, 400.0])
    assert days.day_sd.tolist() == pytest.approx([0.12, 0.12], rel=1e-9)
    # the simulated variance is the model's M + (sigma M)^2 (within 5%)
    assert totals[:, 0].var() == pytest.approx(400 + (0.12 * 400) ** 2, rel=0.05)


def test_the_day_interval_is_narrower_than_the_sum_of_interval_bounds():
    fc = _forecast(50.0, day_sd=0.05, days=1)
    day = daily_totals(fc).iloc[0]
    assert day.offered_hi - day.offered_lo < (fc.offered_hi - fc.offered_lo).sum()


def test_without_a_day_level_the_total_is_poisson():
    # Textbook: a sum of independent Poisson counts is Poisson with the summed mean (here by
    # brute force over its probability mass, not scipy's ppf).
    fc = _forecast(25.0, day_sd=0.0, days=1, per_day=4)
    day = daily_totals(fc, level=90).iloc[0]
    mass, cdf, k, bounds = np.exp(-100.0), 0.0, 0, {}
    while "hi" not in bounds:
        cdf += mass
        if cdf >= 0.05 and "lo" not in bounds:
            bounds["lo"] = k
        if cdf >= 0.95:
            bounds["hi"] = k
        k += 1
        mass *= 100.0 / k
    assert (day.offered_lo, day.offered_hi) == (bounds["lo"], bounds["hi"])
    assert day.day_sd == 0.0


def test_days_and_channels_are_kept_apart_and_cut_days_are_flagged():
    fc = pd.concat([_forecast(10.0, 0.1, days=2), _forecast(5.0, 0.2, days=2, channel="chat")],
                   ignore_index=True).iloc[:-2]
    days = daily_totals(fc)
    assert days.channel.tolist() == ["voice", "voice", "chat", "chat"]
    assert days.n_intervals.tolist() == [6, 6, 6, 4]
    assert days.offered.tolist() == pytest.approx([60.0, 60.0, 30.0, 20.0])
    assert days.date.tolist() == [pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-03")] * 2
    assert (days.offered_lo <= days.offered).all() and (days.offered <= days.offered_hi).all()


def test_a_zone_aware_forecast_keeps_its_zone_and_a_closed_day_is_zero():
    fc = _forecast(10.0, 0.1, days=2)
    fc.loc[6:, ["offered", "offered_lo", "offered_hi"]] = 0.0
    fc["interval_start"] = fc.interval_start.dt.tz_localize("Europe/Paris")
    days = daily_totals(fc)
    assert days.date.tolist() == [pd.Timestamp("2026-03-02", tz="Europe/Paris"),
                                  pd.Timestamp("2026-03-03", tz="Europe/Paris")]
    assert days.iloc[1][["offered", "offered_lo", "offered_hi"]].tolist() == [0.0, 0.0, 0.0]


def test_bad_input_names_the_column_and_the_level():
    fc = _forecast(10.0, 0.1)
    with pytest.raises(HistoryError, match="no column offered_hi"):
        daily_totals(fc.drop(columns="offered_hi"))
    with pytest.raises(HistoryError, match=r"level must be in \(0, 100\).*got 120"):
        daily_totals(fc, level=120)
    before = fc.copy()
    daily_totals(fc)
    pd.testing.assert_frame_equal(fc, before)
