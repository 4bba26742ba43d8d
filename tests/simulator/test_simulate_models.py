"""Distributions, over-dispersion, backlog, wait percentiles and queue length of the simulator."""

import math

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, SimulationInputError, simulate
from staffing import erlang_c, queue_kpis


def _tables(offered, agents, aht_s=300.0, interval_s=900, start="2026-03-02 00:00"):
    starts = pd.date_range(start, periods=len(offered), freq=pd.Timedelta(seconds=interval_s))
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "offered": np.asarray(offered, float), "aht_s": aht_s})
    coverage = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "agents_scheduled": np.asarray(agents)})
    return forecast, coverage


def _summary_row(summary, kpi):
    return summary[summary.kpi == kpi].iloc[0]


@pytest.mark.parametrize("handle_time", [
    {"kind": "lognormal", "cv": 2.0},
    {"kind": "empirical", "values_s": [30.0, 60.0, 90.0, 600.0, 1200.0]},
])
def test_occupancy_is_load_over_agents_whatever_the_handle_time_law(handle_time):
    # M/G/n without abandonment: busy agents on average = arrival rate x mean handle time,
    # whatever the distribution, so occupancy = load / agents (the interval's AHT is kept).
    n = 96
    forecast, coverage = _tables([60.0] * n, [25] * n)
    _, summary = simulate(forecast, coverage, interval_s=900,
                          channels={"voice": ChannelModel(handle_time=handle_time)},
                          n_replications=6, seed=5, confidence=0.99)
    row = _summary_row(summary, "occupancy")
    assert row.ci_low <= (60.0 * 300.0 / 900.0) / 25 <= row.ci_high


def test_empirical_patience_with_no_agent_gives_back_the_patience_law():
    values = [10.0, 20.0, 40.0, 80.0, 160.0]
    forecast, coverage = _tables([200.0] * 8, [0] * 8)
    intervals, summary = simulate(forecast, coverage, interval_s=900,
                                  channels={"voice": ChannelModel(patience={"kind": "empirical",
                                                                   "values_s": values})},
                                  n_replications=4, seed=3, confidence=0.99)
    row = _summary_row(summary, "mean_wait_s")
    assert row.ci_low <= np.mean(values) <= row.ci_high
    assert (intervals.abandoned + intervals.waiting_at_end == intervals.offered).all()
    # Every wait is one of the values; the 90th percentile of this law lies in [80, 160].
    assert intervals.p90_wait_s.between(80.0 * 0.95, 160.0 * 1.05).all()


def test_p90_wait_and_mean_queue_against_erlang_c():
    # One long interval: the per-interval percentile is the percentile of every wait.
    # Erlang C: P(W > t) = C exp(-(n mu - lam) t), so the 90th percentile solves it = 0.1.
    n_agents, offered, aht, interval_s = 12, 10.0 * 86400 / 180.0, 180.0, 86400
    forecast, coverage = _tables([offered], [n_agents], aht_s=aht, interval_s=interval_s)
    intervals, _ = simulate(forecast, coverage, interval_s=interval_s, n_replications=8,
                            seed=8)
    load = offered * aht / interval_s
    c = erlang_c(n_agents, load)
    p90 = math.log(c / 0.1) / ((n_agents - load) / aht)
    t99 = 3.4995  # t(0.995, 7): a 99% interval over the 8 replications
    half = t99 * intervals.p90_wait_s.std(ddof=1) / math.sqrt(8)
    # plus 5% for the width of the histogram bins the percentile is read from
    assert abs(intervals.p90_wait_s.mean() - p90) <= half + 0.05 * p90
    mean_queue = float(queue_kpis(n_agents, offered, interval_s, aht, 20).mean_queue[0])
    half_q = t99 * intervals.mean_queue.std(ddof=1) / math.sqrt(8)
    assert abs(intervals.mean_queue.mean() - mean_queue) <= half_q


def test_overdispersion_makes_day_totals_vary_more_than_poisson():
    forecast, coverage = _tables([1000.0 / 96] * 96, [6] * 96)

    def day_totals(cv):
        intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=30,
                                seed=1, channels={"voice": ChannelModel(overdispersion_cv=cv,
                                                                        mean_patience_s=60.0)})
        return intervals.groupby("replication").offered.sum().to_numpy()

    plain, spread = day_totals(0.0), day_totals(0.3)
    # Poisson: variance = mean. Gamma-Poisson with CV 0.3: mean + 0.09 mean^2 (about 90x).
    assert plain.var(ddof=1) / plain.mean() < 2.0
    assert spread.var(ddof=1) / spread.mean() > 10.0


def test_initial_backlog_waits_first_and_counts_in_the_first_interval():
    forecast, coverage = _tables([0.0, 0.0, 0.0], [0, 2, 2], aht_s=60.0)
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2,
                            channels={"voice": ChannelModel(initial_backlog=30)})
    first = intervals[intervals.interval_start == intervals.interval_start.min()]
    assert (first.offered == 30).all()
    # No agent in the first 15 minutes, so every one of them waits at least that long.
    assert (first.answered_within_target == 0).all()
    assert (first.answered + first.waiting_at_end == 30).all()


@pytest.mark.parametrize(
    ("setting", "match"),
    [
        ({"handle_time": {"kind": "lognormal"}}, r"handle_time.cv must be a number > 0"),
        ({"handle_time": {"kind": "none"}}, r"handle_time.kind must be one of"),
        ({"patience": {"kind": "empirical", "values_s": []}}, "values_s must be a non-empty"),
        ({"patience": {"kind": "exponential"}}, r"patience.mean_s must be a number > 0"),
        ({"mean_patience_s": 60, "patience": {"kind": "none"}}, "not both"),
        ({"overdispersion_cv": -1}, "overdispersion_cv must be a number >= 0"),
        ({"initial_backlog": 2.5}, "initial_backlog must be a whole number"),
    ],
)
def test_bad_channel_settings_are_named(setting, match):
    forecast, coverage = _tables([10.0], [2])
    with pytest.raises(SimulationInputError, match=match):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"voice": ChannelModel(**setting)})


def test_an_unknown_channel_setting_is_refused_naming_it():
    # The settings were a dict of string keys, checked by simulate() ("unknown keys
    # ['shrinkage']"); a ChannelModel has no such field, and its constructor says which.
    with pytest.raises(TypeError, match="shrinkage"):
        ChannelModel(**{"shrinkage": 0.3})


def test_max_queue_with_nobody_to_answer_is_everyone_so_far():
    # No agent and no patience: every contact stays, so the longest queue in an interval is
    # all contacts up to its end; with patience, the time-average queue is rate x patience.
    forecast, coverage = _tables([12.0, 30.0, 7.0], [0, 0, 0])
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=6)
    for _, rep in intervals.groupby("replication"):
        assert rep.max_queue.tolist() == rep.offered.cumsum().tolist()
    forecast, coverage = _tables([90.0] * 16, [0] * 16)
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=8, seed=6,
                            channels={"voice": ChannelModel(mean_patience_s=100.0)})
    steady = intervals[intervals.interval_start > intervals.interval_start.min()]
    per_rep = steady.groupby("replication").mean_queue.mean()
    half = 3.4995 * per_rep.std(ddof=1) / math.sqrt(per_rep.size)
    assert abs(per_rep.mean() - 90.0 / 900 * 100.0) <= half
    assert (steady.max_queue >= steady.mean_queue).all()

