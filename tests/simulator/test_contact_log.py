"""The per-contact Parquet log agrees with the aggregated table and is written atomically."""

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, simulate


def _tables():
    starts = pd.date_range("2026-03-02 08:00", periods=4, freq="15min")
    forecast = pd.DataFrame({"channel": ["voice"] * 4 + ["chat"] * 4,
                             "interval_start": list(starts) * 2,
                             "offered": [40.0, 80, 60, 10, 20, 30, 25, 5], "aht_s": 240.0})
    coverage = forecast[["channel", "interval_start"]].assign(
        agents_scheduled=[8, 10, 9, 1, 4, 5, 5, 1])
    return forecast, coverage


def test_log_rows_match_the_interval_table(tmp_path):
    forecast, coverage = _tables()
    path = tmp_path / "logs" / "contacts.parquet"
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=4,
                            channels={"voice": ChannelModel(mean_patience_s=60.0)},
                            contact_log=path)
    log = pd.read_parquet(path)
    assert list(log.columns) == ["replication", "channel", "interval", "arrival_s", "wait_s",
                                 "outcome", "handle_s", "priority_class"]
    counts = log.groupby(["replication", "channel", "interval", "outcome"]).size()
    for row in intervals.itertuples():
        iv = int((row.interval_start - forecast.interval_start.min()) / pd.Timedelta("15min"))
        for outcome, expected in (("answered", row.answered), ("abandoned", row.abandoned),
                                  ("waiting_at_end", row.waiting_at_end)):
            got = counts.get((row.replication, row.channel, iv, outcome), 0)
            assert got == expected
    answered = log[log.outcome == "answered"]
    assert np.all(answered.wait_s >= 0) and np.all(answered.handle_s > 0)
    assert not list(path.parent.glob("*.tmp"))


def test_no_log_file_is_left_when_the_run_fails(tmp_path):
    forecast, coverage = _tables()
    path = tmp_path / "contacts.parquet"
    with pytest.raises(KeyboardInterrupt):
        simulate(forecast, coverage, interval_s=900, n_replications=2, contact_log=path,
                 on_replication=lambda done: (_ for _ in ()).throw(KeyboardInterrupt()))
    assert not path.exists() and not list(tmp_path.glob("*"))
