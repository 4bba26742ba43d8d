"""forecast(on_channel=...) reports each finished channel, in order, serial or parallel."""

import numpy as np
import pandas as pd
import pytest

from forecasting import forecast


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_each_channel_is_reported_once_and_parallel_equals_serial(n_jobs):
    rng = np.random.default_rng(0)
    starts = pd.date_range("2026-01-05", periods=48 * 21, freq="30min")
    history = pd.concat([pd.DataFrame({"channel": name, "interval_start": starts,
                                       "offered": rng.poisson(20.0, len(starts))})
                         for name in ("chat", "email", "voice")], ignore_index=True)
    calls = []
    fc = forecast(history, 48, interval_s=1800, method="weekly_average", n_jobs=n_jobs,
                  on_channel=lambda done, total: calls.append((done, total))).table
    assert calls == [(1, 3), (2, 3), (3, 3)]
    serial = forecast(history, 48, interval_s=1800, method="weekly_average").table
    pd.testing.assert_frame_equal(fc, serial)
