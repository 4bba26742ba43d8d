"""sample_paths: scenarios whose spread matches the forecast's intervals, days moving as one."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting import sample_paths
from forecasting.errors import HistoryError


def _forecast(mu=200.0, day_sd=0.1, level=80.0, days=2, per_day=4):
    """A forecast table whose intervals are built by hand from a known model."""
    z = stats.norm.ppf(0.5 + level / 200)
    sd = np.sqrt(mu + (day_sd * mu) ** 2)
    starts = pd.date_range("2026-03-02 09:00", periods=per_day, freq="30min")
    starts = starts.append([starts + pd.Timedelta(days=d) for d in range(1, days)])
    n = len(starts)
    return pd.DataFrame({"channel": "voice", "interval_start": starts,
                         "offered": np.full(n, mu), "offered_lo": np.full(n, mu - z * sd),
                         "offered_hi": np.full(n, mu + z * sd), "aht_s": 300.0})


def test_the_day_level_is_recovered_and_paths_average_to_the_forecast():
    fc = _forecast(mu=200.0, day_sd=0.1)
    result = sample_paths(fc, 4000, seed=3)
    paths = result.table
    assert result.day_sd["voice"] == pytest.approx([0.1, 0.1], rel=1e-9)
    rates = paths.offered.to_numpy().reshape(4000, -1)
    # mean 200, sd 20 per day: the mean of 4000 paths is within 4 standard errors of 200
    assert abs(rates.mean() - 200.0) < 4 * 20 / np.sqrt(4000)
    assert rates[:, 0].std() == pytest.approx(20.0, rel=0.05)
    assert (paths.aht_s == 300.0).all() and "offered_lo" not in paths


def test_poisson_counts_of_the_paths_fall_in_the_forecast_interval_at_its_level():
    fc = _forecast(mu=400.0, day_sd=0.15, level=80)
    paths = sample_paths(fc, 5000, seed=5).table
    counts = np.random.default_rng(9).poisson(paths.offered.to_numpy())
    lo, hi = fc.offered_lo.iloc[0], fc.offered_hi.iloc[0]
    inside = ((counts >= lo) & (counts <= hi)).mean()
    assert 0.77 <= inside <= 0.83


def test_intervals_of_a_day_move_together_days_follow_the_correlation():
    fc = _forecast(mu=300.0, day_sd=0.2, days=2)
    rates = sample_paths(fc, 4000, seed=1).table.offered.to_numpy().reshape(4000, -1)
    same_day = np.corrcoef(rates[:, 0], rates[:, 3])[0, 1]
    other_day = np.corrcoef(rates[:, 0], rates[:, 4])[0, 1]
    assert same_day == pytest.approx(1.0, abs=1e-12)  # one multiplier per day
    assert abs(other_day) < 4 / np.sqrt(4000)
    linked = sample_paths(fc, 4000, seed=1, day_correlation=0.6).table.offered.to_numpy()
    linked = linked.reshape(4000, -1)
    # Gamma multipliers of sd 0.2 through a Gaussian copula: Pearson correlation near 0.6
    assert np.corrcoef(linked[:, 0], linked[:, 4])[0, 1] == pytest.approx(0.6, abs=0.05)


def test_pure_poisson_intervals_give_no_day_level_and_seeds_repeat():
    fc = _forecast(mu=100.0, day_sd=0.0)
    paths = sample_paths(fc, 10, seed=2).table
    assert np.allclose(paths.offered, 100.0)
    pd.testing.assert_frame_equal(sample_paths(_forecast(), 7, seed=11).table,
                                  sample_paths(_forecast(), 7, seed=11).table)


@pytest.mark.parametrize("kwargs, message", [
    ({"n_paths": 0}, "n_paths must be a whole number >= 1"),
    ({"n_paths": 3, "level": 100}, "level must be in"),
    ({"n_paths": 3, "day_correlation": 1.0}, "day_correlation must be in"),
])
def test_bad_arguments_are_named(kwargs, message):
    n = kwargs.pop("n_paths")
    with pytest.raises(HistoryError, match=message):
        sample_paths(_forecast(), n, **kwargs)
    with pytest.raises(HistoryError, match="no column offered_hi"):
        sample_paths(_forecast().drop(columns="offered_hi"), 2)
