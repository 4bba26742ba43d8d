"""Service-level bands: the share answered within several thresholds from one run (issue 16:
ACD reports give 10, 15, 20, 40, 60, 120 s), checked against the per-contact log counted by
hand, against each channel's own target, and against Erlang C / Erlang A in the stationary
limit."""

import numpy as np
import pandas as pd
import pytest

from simulator import SIM_INTERVAL_COLUMNS, ChannelModel, GroupModel, SimulationInputError, simulate
from staffing import queue_kpis

BANDS = (10.0, 15.0, 20.0, 40.0, 60.0, 120.0)


def _tables(offered, agents, aht_s=240.0, channels=("voice",)):
    starts = pd.date_range("2026-03-02 08:00", periods=len(offered), freq="15min", tz="UTC")
    forecast = pd.concat([pd.DataFrame({"channel": c, "interval_start": starts,
                                        "offered": np.asarray(offered, float), "aht_s": aht_s})
                          for c in channels], ignore_index=True)
    coverage = pd.concat([pd.DataFrame({"channel": c, "interval_start": starts,
                                        "agents_on_queue": np.asarray(agents)})
                          for c in channels], ignore_index=True)
    return forecast, coverage


@pytest.mark.parametrize("shared", [False, True])
def test_bands_match_the_contact_log_counted_by_hand(tmp_path, shared):
    forecast, coverage = _tables([40, 80, 60, 20, 5], [9, 10, 8, 6, 2], channels=("voice", "chat"))
    kwargs = {}
    if shared:
        coverage = (coverage.groupby("interval_start", as_index=False)["agents_on_queue"].sum()
                    .assign(group="team")[["group", "interval_start", "agents_on_queue"]])
        kwargs = {"groups": {"team": GroupModel(skills=("voice", "chat"))},
                  "channel_priority": ["voice", "chat"]}
    path = tmp_path / "contacts.parquet"
    intervals, _ = simulate(
        forecast, coverage, interval_s=900, n_replications=3, seed=11, contact_log=path,
        channels={"voice": ChannelModel(mean_patience_s=90.0),
                  "chat": ChannelModel(answer_within_s=60.0, mean_patience_s=400.0)},
        answer_within_bands_s=BANDS, **kwargs)
    band_columns = [f"answered_within_{t:g}s" for t in BANDS]
    assert list(intervals.columns) == [*SIM_INTERVAL_COLUMNS, *band_columns]
    log = pd.read_parquet(path)
    answered = log[log.outcome == "answered"]
    start = forecast.interval_start.min()
    checked = 0
    for row in intervals.itertuples():
        iv = int((row.interval_start - start) / pd.Timedelta("15min"))
        waits = answered[(answered.replication == row.replication)
                         & (answered.channel == row.channel) & (answered.interval == iv)].wait_s
        for t, column in zip(BANDS, band_columns, strict=True):
            assert getattr(row, column) == int((waits <= t).sum()), (row, t)
            checked += int((waits <= t).sum())
    assert checked > 0
    # Each band holds its share: bands only grow with the threshold.
    counts = intervals[band_columns].to_numpy()
    assert (np.diff(counts, axis=1) >= 0).all() and (counts[:, -1] <= intervals.answered).all()


def test_a_band_at_the_target_is_the_service_level():
    forecast, coverage = _tables([60] * 8, [12] * 8)
    intervals, summary = simulate(
        forecast, coverage, interval_s=900, n_replications=4, seed=2,
        channels={"voice": ChannelModel(answer_within_s=20.0, mean_patience_s=120.0)},
        answer_within_bands_s=(20, 10))
    assert (intervals["answered_within_20s"] == intervals["answered_within_target"]).all()
    kpi = summary.set_index("kpi")
    assert list(kpi.index) == ["service_level", "asa_s", "mean_wait_s", "abandon_rate",
                               "occupancy", "service_level_10s", "service_level_20s"]
    assert kpi.loc["service_level_20s"].equals(kpi.loc["service_level"])
    assert kpi.loc["service_level_10s", "mean"] <= kpi.loc["service_level", "mean"]


def test_without_bands_the_tables_are_as_before():
    forecast, coverage = _tables([60] * 4, [12] * 4)
    kwargs = {"interval_s": 900, "n_replications": 2, "seed": 5}
    plain = simulate(forecast, coverage, **kwargs)
    banded = simulate(forecast, coverage, answer_within_bands_s=(30,), **kwargs)
    assert list(plain[0].columns) == list(SIM_INTERVAL_COLUMNS)
    pd.testing.assert_frame_equal(plain[0], banded[0][list(SIM_INTERVAL_COLUMNS)])
    pd.testing.assert_frame_equal(plain[1], banded[1][banded[1].kpi != "service_level_30s"]
                                  .reset_index(drop=True))


@pytest.mark.slow
@pytest.mark.parametrize("patience", [None, 180.0])
def test_bands_agree_with_erlang_in_the_stationary_limit(patience):
    # Two days of identical intervals: a stationary M/M/30 (+M) queue. Each band's 99% interval
    # covers Erlang C's (or Erlang A's) share answered within that threshold.
    n = 192
    forecast, coverage = _tables([85.0] * n, [30] * n, aht_s=300.0)
    _, summary = simulate(forecast, coverage, interval_s=900, n_replications=6, seed=9,
                          confidence=0.99,
                          channels={"voice": ChannelModel(mean_patience_s=patience)},
                          answer_within_bands_s=BANDS)
    for t in BANDS:
        theory = float(queue_kpis(30, 85.0, 900, 300.0, t, patience).iloc[0]["service_level"])
        row = summary[summary.kpi == f"service_level_{t:g}s"].iloc[0]
        assert row.ci_low <= theory <= row.ci_high, (t, row.to_dict(), theory)


@pytest.mark.parametrize("bands", [(-1,), (float("nan"),), (10, 10), ("ten",), tuple(range(21))])
def test_bad_bands_are_refused_naming_them(bands):
    forecast, coverage = _tables([10], [3])
    with pytest.raises(SimulationInputError, match="answer_within_bands_s"):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 answer_within_bands_s=bands)
