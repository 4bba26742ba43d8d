"""Instant hang-ups (issue 16): a share of arriving contacts leaves at once whatever the wait.

Reference: thinning a Poisson stream leaves a Poisson stream, so the contacts that stay form
an M/M/n+M queue at (1 - p) times the load (staffing's Erlang A, an independent engine). Over
all offered contacts, the share answered within the target is (1 - p) x Erlang A's, the
abandon rate p + (1 - p) x Erlang A's, and the ASA of answered contacts Erlang A's."""

import math

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, SimulationInputError, simulate
from staffing import queue_kpis


def _tables(offered, agents, aht_s=300.0):
    starts = pd.date_range("2026-03-02 08:00", periods=len(offered), freq="15min", tz="UTC")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "offered": np.asarray(offered, float), "aht_s": aht_s})
    coverage = forecast[["channel", "interval_start"]].assign(agents_on_queue=agents)
    return forecast, coverage


@pytest.mark.slow
@pytest.mark.parametrize(("offered", "share", "patience"), [(95.0, 0.15, 180.0),
                                                            (85.0, 0.05, None)])
def test_hang_ups_thin_the_queue_as_erlang_a_says(offered, share, patience):
    # 95 contacts of 300 s per 15 min is 31.7 erlangs on 30 agents: only patience and the
    # hang-ups keep it stable; 85 x 0.95 is 26.9 erlangs, a stable Erlang C queue.
    n = 192
    forecast, coverage = _tables([offered] * n, [30] * n)
    intervals, summary = simulate(
        forecast, coverage, interval_s=900, n_replications=6, seed=21, confidence=0.99,
        channels={"voice": ChannelModel(mean_patience_s=patience, hang_up_share=share)})
    kept = queue_kpis(30, offered * (1 - share), 900, 300.0, 20.0, patience).iloc[0]
    expected = {"service_level": (1 - share) * float(kept["service_level"]),
                "abandon_rate": share + (1 - share) * float(kept["abandon_rate"]),
                "asa_s": float(kept["asa_s"])}
    for kpi, value in expected.items():
        row = summary[summary.kpi == kpi].iloc[0]
        assert row.ci_low <= value <= row.ci_high, (kpi, row.to_dict(), value)
    # The share that hung up is p, within 4 binomial standard errors.
    hung, offered = intervals["hung_up"].sum(), intervals["offered"].sum()
    assert abs(hung / offered - share) <= 4 * math.sqrt(share * (1 - share) / offered)


def test_without_patience_the_only_abandons_are_the_hang_ups(tmp_path):
    forecast, coverage = _tables([60, 80, 40, 10], [6, 7, 5, 2], aht_s=240.0)
    path = tmp_path / "contacts.parquet"
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=3, seed=4,
                            channels={"voice": ChannelModel(hang_up_share=0.3)},
                            contact_log=path)
    assert (intervals["abandoned"] == intervals["hung_up"]).all()
    assert intervals["hung_up"].sum() > 0
    assert (intervals["offered"] == intervals["answered"] + intervals["abandoned"]
            + intervals["waiting_at_end"]).all()
    log = pd.read_parquet(path)
    abandoned = log[log.outcome == "abandoned"]
    assert len(abandoned) == intervals["hung_up"].sum() and (abandoned["wait_s"] == 0).all()


def test_no_hang_ups_by_default():
    forecast, coverage = _tables([60] * 4, [12] * 4)
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=3,
                            channels={"voice": ChannelModel(mean_patience_s=60.0)})
    assert (intervals["hung_up"] == 0).all()


@pytest.mark.parametrize("share", [1.0, -0.1, True, "3%", math.nan])
def test_a_bad_share_is_refused_naming_the_field(share):
    forecast, coverage = _tables([10], [3])
    with pytest.raises(SimulationInputError, match=r"channels\['voice'\].hang_up_share"):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"voice": ChannelModel(hang_up_share=share)})
