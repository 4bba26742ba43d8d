"""Chat concurrency in the simulator (shared-agent engine)."""

import math

import pandas as pd
import pytest

from simulator import ChannelModel, GroupModel, SimulationInputError, simulate
from staffing import queue_kpis

T99_5 = 4.0321  # t(0.995, 5)


def _chat(load_erl, agents, n_intervals=192, aht_s=600.0):
    starts = pd.date_range("2026-03-02", periods=n_intervals, freq="15min")
    forecast = pd.DataFrame({"channel": "chat", "interval_start": starts,
                             "offered": load_erl * 900.0 / aht_s, "aht_s": aht_s})
    coverage = pd.DataFrame({"group": "team", "interval_start": starts,
                             "agents_scheduled": agents})
    return forecast, coverage


def _waits(intervals):
    part = intervals[intervals.interval_start > intervals.interval_start.min()]
    total = (part.mean_wait_s * part.offered).groupby(part.replication).sum()
    return total / part.groupby("replication").offered.sum()


def test_without_stretch_k_chats_per_agent_is_erlang_c_with_k_servers_each():
    # Each chat lasts its own handle time whatever else the agent does: n agents with k
    # slots are n k identical servers, i.e. the staffing engine's concurrency model.
    forecast, coverage = _chat(load_erl=20.0, agents=8)
    intervals, summary = simulate(forecast, coverage, interval_s=900, n_replications=6, seed=5,
                                  groups={"team": GroupModel(skills=["chat"])},
                                  channels={"chat": ChannelModel(concurrency=3, stretch=0.0,
                                                                 answer_within_s=60.0)})
    theory = queue_kpis(8, 20.0 * 900 / 600.0, 900, 600.0, 60.0, concurrency=3).iloc[0]
    waits = _waits(intervals)
    half = T99_5 * waits.std(ddof=1) / math.sqrt(waits.size)
    assert abs(waits.mean() - theory.asa_s) <= half, (waits.mean(), theory.asa_s)
    sl = summary[summary.kpi == "service_level"].iloc[0]
    assert sl.ci_low <= theory.service_level <= sl.ci_high


def test_stretch_makes_chats_slower_and_waits_longer():
    forecast, coverage = _chat(load_erl=14.0, agents=8, n_intervals=96)
    runs = {}
    for stretch in (0.0, 0.3):
        intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=4, seed=7,
                                groups={"team": GroupModel(skills=["chat"])},
                                channels={"chat": ChannelModel(concurrency=3, stretch=stretch)})
        runs[stretch] = _waits(intervals).mean()
    assert runs[0.3] > 2 * runs[0.0]


def test_agents_leave_after_their_last_chat():
    forecast, coverage = _chat(load_erl=20.0, agents=8, n_intervals=4)
    coverage["agents_scheduled"] = [8, 8, 0, 0]
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=1,
                            groups={"team": GroupModel(skills=["chat"])},
                            channels={"chat": ChannelModel(concurrency=3, mean_patience_s=120.0)})
    third = intervals[intervals.interval_start == intervals.interval_start.min() +
                      pd.Timedelta("30min")]
    assert (third.overtime_s > 0).all() and (third.answered == 0).all()


def test_concurrency_needs_groups_and_valid_values():
    forecast, _ = _chat(load_erl=2.0, agents=2, n_intervals=2)
    coverage = forecast[["channel", "interval_start"]].assign(agents_scheduled=2)
    with pytest.raises(SimulationInputError, match="concurrency needs shared-agent routing"):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"chat": ChannelModel(concurrency=3)})
    with pytest.raises(SimulationInputError, match="concurrency must be a whole number"):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"chat": ChannelModel(concurrency=0)})
