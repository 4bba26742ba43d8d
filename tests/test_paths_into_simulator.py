"""A forecast's sample paths run through the simulator as ordinary forecast tables."""

import numpy as np
import pandas as pd

from forecasting import forecast, sample_paths
from simulator import simulate
from staffing.contracts import check_forecast


def test_each_path_is_a_forecast_the_simulator_runs_and_days_differ_between_paths():
    rng = np.random.default_rng(4)
    starts = pd.date_range("2026-01-05", periods=48 * 28, freq="30min")
    hours = starts.hour + starts.minute / 60
    day_level = np.repeat(rng.gamma(100, 0.01, 28), 48)  # days that run high or low (sd 10%)
    history = pd.DataFrame({"channel": "voice", "interval_start": starts,
                            "offered": rng.poisson(day_level * np.where(
                                (hours >= 8) & (hours < 18), 40.0, 0.0)), "aht_s": 240.0})
    fc = forecast(history, 96, interval_s=1800, method="daily_ets").table
    result = sample_paths(fc, 4, seed=0)
    paths = result.table
    assert 0.0 < result.day_sd["voice"][0] < 0.5
    daily = []
    for p in range(4):
        one = paths[paths.path == p].drop(columns="path")
        check_forecast(one)
        coverage = one[["channel", "interval_start"]].assign(agents_scheduled=30)
        intervals, _ = simulate(one, coverage, interval_s=1800, n_replications=2, seed=1)
        arrivals = intervals.groupby("replication").offered.sum().mean()
        expected = one.offered.sum()
        # Poisson arrivals around the path's rate: within 4 standard deviations of two runs
        assert abs(arrivals - expected) < 4 * np.sqrt(expected / 2)
        daily.append(one.offered.iloc[:48].sum())
    assert len(set(np.round(daily, 6))) == 4  # each path draws its own day level
