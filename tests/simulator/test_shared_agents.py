"""Shared agents (groups with skills): pooling, channel priority and errors."""

import math

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, GroupModel, SimulationInputError, simulate
from staffing import erlang_c, queue_kpis

T99_5 = 4.0321  # t(0.995, 5): 99% interval over 6 replications


def _forecast(loads, n_intervals=192, aht_s=180.0):
    starts = pd.date_range("2026-03-02", periods=n_intervals, freq="15min")
    frames = [pd.DataFrame({"channel": name, "interval_start": starts,
                            "offered": load * 900.0 / aht_s, "aht_s": aht_s})
              for name, load in loads.items()]
    return pd.concat(frames, ignore_index=True), starts


def _coverage(starts, agents):
    return pd.concat([pd.DataFrame({"group": g, "interval_start": starts, "agents_scheduled": n})
                      for g, n in agents.items()], ignore_index=True)


def _mean_wait(intervals, channel=None):
    part = intervals if channel is None else intervals[intervals.channel == channel]
    part = part[part.interval_start > part.interval_start.min()]  # first interval starts empty
    waits = (part.mean_wait_s * part.offered).groupby(part.replication).sum()
    return waits / part.groupby("replication").offered.sum()


def test_one_pool_serving_two_channels_by_priority_matches_theory():
    # 12 agents with both skills, voice before chat, identical exponential handle times: an
    # M/M/12 queue with two non-preemptive priority classes. Cobham: W_k = (C / (c mu)) /
    # ((1 - s_{k-1})(1 - s_k)); together the channels wait as in Erlang C with the total load.
    forecast, starts = _forecast({"voice": 6.0, "chat": 4.0})
    intervals, summary = simulate(forecast, _coverage(starts, {"all": 12}), interval_s=900,
                                  groups={"all": GroupModel(skills=["voice", "chat"])},
                                  channel_priority=["voice", "chat"], n_replications=6, seed=3)
    c_mu = 12 / 180.0
    base = erlang_c(12, 10.0) / c_mu
    s1, s2 = 6.0 / 12, 10.0 / 12
    expected = {"voice": base / (1 - s1), "chat": base / ((1 - s1) * (1 - s2)),
                None: base / (1 - s2)}
    for channel, value in expected.items():
        waits = _mean_wait(intervals, channel)
        half = T99_5 * waits.std(ddof=1) / math.sqrt(waits.size)
        assert abs(waits.mean() - value) <= half, (channel, waits.mean(), value)
    group = summary[summary.kpi == "group_occupancy"].iloc[0]
    assert group.channel == "all" and group.ci_low <= 10.0 / 12 <= group.ci_high


def test_dedicated_groups_behave_like_dedicated_pools():
    forecast, starts = _forecast({"voice": 8.0, "chat": 3.0})
    intervals, _ = simulate(forecast, _coverage(starts, {"v": 10, "c": 5}), interval_s=900,
                            groups={"v": GroupModel(skills=["voice"]),
                                    "c": GroupModel(skills=["chat"])},
                            n_replications=6, seed=4,
                            channels={"voice": ChannelModel(mean_patience_s=120.0)})
    for channel, (n, load, patience) in {"voice": (10, 8.0, 120.0),
                                         "chat": (5, 3.0, None)}.items():
        theory = float(queue_kpis(n, load * 5, 900, 180.0, 20, patience).mean_wait_s[0])
        waits = _mean_wait(intervals, channel)
        half = T99_5 * waits.std(ddof=1) / math.sqrt(waits.size)
        assert abs(waits.mean() - theory) <= half, (channel, waits.mean(), theory)
    assert intervals.occupancy.isna().all() and intervals.agents_on_duty.isna().all()


def test_priority_serves_the_urgent_channel_first_in_overload():
    forecast, starts = _forecast({"voice": 5.0, "chat": 5.0}, n_intervals=16)
    intervals, _ = simulate(forecast, _coverage(starts, {"all": 9}), interval_s=900,
                            groups={"all": GroupModel(skills=["voice", "chat"])},
                            channel_priority=["chat", "voice"], n_replications=2, seed=1,
                            channels={"voice": ChannelModel(mean_patience_s=60.0),
                                      "chat": ChannelModel(mean_patience_s=60.0)})
    sl = intervals.groupby("channel").answered_within_target.sum() / \
        intervals.groupby("channel").offered.sum()
    assert sl["chat"] > sl["voice"]
    assert np.isfinite(intervals.service_level).all()


@pytest.mark.parametrize(
    ("groups", "agents", "match"),
    [
        ({"all": GroupModel(skills=["voice", "email"])}, {"all": 3}, r"skills \['email'\]"),
        ({"all": GroupModel(skills=[])}, {"all": 3}, "needs 'skills'"),
        ({"a": GroupModel(skills=["voice"]), "b": GroupModel(skills=["voice"])}, {"a": 3},
         "same groups and intervals"),
    ],
)
def test_group_errors(groups, agents, match):
    forecast, starts = _forecast({"voice": 2.0}, n_intervals=2)
    with pytest.raises(SimulationInputError, match=match):
        simulate(forecast, _coverage(starts, agents), interval_s=900, groups=groups,
                 n_replications=2)


def test_bad_values_name_the_channel_or_the_group():
    forecast, starts = _forecast({"voice": 2.0, "chat": 1.0}, n_intervals=2)
    forecast.loc[3, "offered"] = np.nan
    groups = {"all": GroupModel(skills=["voice", "chat"])}
    with pytest.raises(SimulationInputError, match=r"channel 'chat' interval_start .* has nan"):
        simulate(forecast, _coverage(starts, {"all": 3}), interval_s=900, groups=groups,
                 n_replications=2)
    forecast, starts = _forecast({"voice": 2.0}, n_intervals=2)
    coverage = _coverage(starts, {"all": 3})
    coverage.loc[1, "agents_scheduled"] = -1
    with pytest.raises(SimulationInputError, match=r"group 'all' interval_start"):
        simulate(forecast, coverage, interval_s=900,
                 groups={"all": GroupModel(skills=["voice"])}, n_replications=2)


def test_group_occupancy_is_the_work_done_over_the_paid_time_when_staffing_swings():
    # Staffing drops every other interval under load, so agents leave while serving and
    # finish their contact in overtime. Conservation: a group's busy time is the handle time
    # of the contacts it answered (answered x the mean AHT, exponential draws: ~1% noise at
    # ~17,000 contacts), its paid time the scheduled agent time plus that overtime.
    n_iv = 96
    forecast, starts = _forecast({"voice": 9.0, "chat": 6.0}, n_intervals=n_iv)
    swing = np.arange(n_iv) % 2 == 0
    agents = {"v": np.where(swing, 12, 8), "c": np.where(swing, 9, 5)}
    n_rep = 4
    intervals, summary = simulate(
        forecast, _coverage(starts, agents), interval_s=900,
        groups={"v": GroupModel(skills=["voice"]), "c": GroupModel(skills=["chat"])},
        n_replications=n_rep, seed=5, channels={"voice": ChannelModel(mean_patience_s=120.0),
                                                "chat": ChannelModel(mean_patience_s=120.0)})
    occupancy = summary[summary.kpi == "group_occupancy"].set_index("channel")
    for group, channel in {"v": "voice", "c": "chat"}.items():
        mine = intervals[intervals.channel == channel]
        busy_s = mine.answered.sum() / n_rep * 180.0
        paid_s = agents[group].sum() * 900.0 + mine.overtime_s.sum() / n_rep
        assert mine.overtime_s.sum() > 0              # agents did leave while serving
        assert occupancy.loc[group, "mean"] == pytest.approx(busy_s / paid_s, rel=0.03)
        assert occupancy.loc[group, "ci_high"] <= 1.0
