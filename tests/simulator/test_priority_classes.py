"""Priority classes (head starts) within a channel, against the M/M/c priority formula."""

import math

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, SimulationInputError, simulate
from staffing import erlang_c


def _stationary(n_intervals=192, offered=50.0, agents=12, aht_s=180.0):
    starts = pd.date_range("2026-03-02 00:00", periods=n_intervals, freq="15min")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": offered,
                             "aht_s": aht_s})
    coverage = forecast[["channel", "interval_start"]].assign(agents_scheduled=agents)
    return forecast, coverage


def test_strict_priority_matches_the_non_preemptive_priority_formula(tmp_path):
    # M/M/c, two classes, identical exponential service, non-preemptive priority (Cobham):
    # W_k = (C / (c mu)) / ((1 - s_{k-1}) (1 - s_k)), s_k = sum_{i<=k} lambda_i / (c mu).
    forecast, coverage = _stationary()
    classes = [{"name": "premium", "share": 0.3, "head_start_s": 1e9},
               {"name": "regular", "share": 0.7, "head_start_s": 0.0}]
    path = tmp_path / "log.parquet"
    simulate(forecast, coverage, interval_s=900, n_replications=6, seed=21,
             channels={"voice": ChannelModel(priority_classes=classes)}, contact_log=path)
    log = pd.read_parquet(path)
    log = log[log.arrival_s > 3600.0]  # the first hour starts empty: leave it out
    c_mu = 12 / 180.0
    load = 50.0 * 180.0 / 900.0
    base = erlang_c(12, load) / c_mu
    s1 = 0.3 * load / 12
    s2 = load / 12
    expected = {"premium": base / (1 - s1), "regular": base / ((1 - s1) * (1 - s2)),
                "all": base / (1 - s2)}  # the total is Erlang C's mean wait: work conserved
    per_rep = {name: log[log.priority_class == name].groupby("replication").wait_s.mean()
               for name in ("premium", "regular")}
    per_rep["all"] = log.groupby("replication").wait_s.mean()
    for name, values in per_rep.items():
        half = 4.0321 * values.std(ddof=1) / math.sqrt(values.size)  # t(0.995, 5)
        assert abs(values.mean() - expected[name]) <= half, (name, values.mean(), expected)


def test_a_head_start_shortens_the_premium_wait(tmp_path):
    forecast, coverage = _stationary(n_intervals=96)
    classes = [{"name": "premium", "share": 0.2, "head_start_s": 90.0},
               {"name": "regular", "share": 0.8, "head_start_s": 0.0}]
    path = tmp_path / "log.parquet"
    simulate(forecast, coverage, interval_s=900, n_replications=3, seed=2, contact_log=path,
             channels={"voice": ChannelModel(priority_classes=classes, mean_patience_s=300.0)})
    waits = pd.read_parquet(path).groupby("priority_class").wait_s.mean()
    assert waits["premium"] < waits["regular"]


@pytest.mark.parametrize(
    ("classes", "match"),
    [
        ([{"name": "a", "share": 0.5}], "add up to 0.5, not 1"),
        ([{"name": "a", "share": 1.0, "head_start_s": -5}], r"priority_classes\[0\]"),
        ("premium", "must be a list"),
    ],
)
def test_bad_priority_classes(classes, match):
    forecast, coverage = _stationary(n_intervals=2)
    with pytest.raises(SimulationInputError, match=match):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"voice": ChannelModel(priority_classes=classes)})


def test_no_classes_same_result_as_before_classes_existed():
    # Without classes the queue is a plain FCFS line and draws no class numbers.
    forecast, coverage = _stationary(n_intervals=8)
    a, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=5)
    b, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=5,
                    channels={"voice": ChannelModel()})
    pd.testing.assert_frame_equal(a, b)
    assert np.isfinite(a.asa_s).all()
