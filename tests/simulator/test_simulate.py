"""The time-varying simulator: theory in the stationary limit, conservation, errors."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import SIM_INTERVAL_COLUMNS, ChannelModel, SimulationInputError, simulate
from staffing import queue_kpis


def _tables(offered, agents, aht_s=300.0, channel="voice", start="2026-03-02 08:00"):
    starts = pd.date_range(start, periods=len(offered), freq="15min", tz="Europe/London")
    forecast = pd.DataFrame({"channel": channel, "interval_start": starts,
                             "offered": np.asarray(offered, float), "aht_s": aht_s})
    coverage = pd.DataFrame({"channel": channel, "interval_start": starts,
                             "agents_scheduled": np.asarray(agents)})
    return forecast, coverage


@pytest.mark.slow
@pytest.mark.parametrize("patience", [None, 120.0])
def test_constant_staffing_over_a_long_horizon_matches_erlang(patience):
    # 2 days of identical 15-minute intervals: the centre is a stationary queue, so the
    # replications' 99% intervals must cover the Erlang values (staffing engine).
    n = 192
    forecast, coverage = _tables([80.0] * n, [30] * n)
    channels = {"voice": ChannelModel(mean_patience_s=patience, answer_within_s=20.0)}
    _, summary = simulate(forecast, coverage, interval_s=900, channels=channels,
                          n_replications=6, seed=7, confidence=0.99)
    theory = queue_kpis(30, 80.0, 900, 300.0, 20.0, patience).iloc[0]
    pairs = {"service_level": "service_level", "asa_s": "asa_s",
             "mean_wait_s": "mean_wait_s", "abandon_rate": "abandon_rate", "occupancy": "occupancy"}
    for kpi, col in pairs.items():
        row = summary[(summary.channel == "voice") & (summary.kpi == kpi)].iloc[0]
        expected = float(theory[col])
        if patience is None and kpi == "abandon_rate":
            assert row["mean"] == 0.0
            continue
        assert row.ci_low <= expected <= row.ci_high, (kpi, row.to_dict(), expected)


@settings(max_examples=25, deadline=None)
@given(
    offered=st.lists(st.floats(0, 40), min_size=1, max_size=8),
    agents=st.lists(st.integers(0, 12), min_size=8, max_size=8),
    patience=st.sampled_from([None, 30.0, 300.0]),
    seed=st.integers(0, 2**31),
)
def test_every_contact_is_answered_abandoned_or_still_waiting(offered, agents, patience, seed):
    forecast, coverage = _tables(offered, agents[: len(offered)], aht_s=240.0)
    intervals, _ = simulate(forecast, coverage, interval_s=900,
                            channels={"voice": ChannelModel(mean_patience_s=patience)},
                            n_replications=2, seed=seed)
    assert list(intervals.columns) == list(SIM_INTERVAL_COLUMNS)
    total = intervals.answered + intervals.abandoned + intervals.waiting_at_end
    assert (intervals.offered == total).all()
    assert (intervals.answered_within_target <= intervals.answered).all()
    if patience is None:
        assert (intervals.abandoned == 0).all()


def test_same_seed_same_tables_and_replications_do_not_depend_on_their_number():
    forecast, coverage = _tables([50, 90, 120, 60], [10, 25, 30, 12])
    channels = {"voice": ChannelModel(mean_patience_s=90.0)}
    a, sa = simulate(forecast, coverage, interval_s=900, channels=channels,
                     n_replications=3, seed=3)
    b, sb = simulate(forecast, coverage, interval_s=900, channels=channels,
                     n_replications=3, seed=3)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(sa, sb)
    c, _ = simulate(forecast, coverage, interval_s=900, channels=channels,
                    n_replications=5, seed=3)
    pd.testing.assert_frame_equal(a, c[c.replication < 3].reset_index(drop=True))


def test_agents_leaving_finish_their_contact_and_record_overtime():
    # 20 busy agents, then none: those serving at the edge finish (overtime), nobody new is
    # served, and with patience the queue that builds up abandons.
    forecast, coverage = _tables([100, 100, 0, 0], [20, 20, 0, 0], aht_s=600.0)
    intervals, _ = simulate(forecast, coverage, interval_s=900,
                            channels={"voice": ChannelModel(mean_patience_s=60.0)},
                            n_replications=2, seed=1)
    third = intervals[intervals.interval_start == intervals.interval_start.max() -
                      pd.Timedelta("15min")]
    assert (third.overtime_s > 0).all()
    assert (third.offered == 0).all()
    assert intervals.abandoned.sum() > 0


def test_zero_agents_with_patience_everyone_abandons():
    forecast, coverage = _tables([30, 30], [0, 0])
    intervals, _ = simulate(forecast, coverage, interval_s=900,
                            channels={"voice": ChannelModel(mean_patience_s=20.0)},
                            n_replications=2)
    assert intervals.answered.sum() == 0
    assert (intervals.offered == intervals.abandoned + intervals.waiting_at_end).all()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda f, c: (f.drop(columns="aht_s"), c), r"'forecast' has no column 'aht_s'"),
        (lambda f, c: (f.assign(offered=[1.0, np.nan, 2.0]), c),
         r"'offered' must be >= 0 .* never read as zero"),
        (lambda f, c: (f, c.assign(agents_scheduled=[np.inf, 2, 2])), "finite number >= 0"),
        (lambda f, c: (f.drop(index=1), c), "follows .* by 1800 s, not interval_s=900"),
        (lambda f, c: (f, c.iloc[:2]), "same channels and intervals"),
    ],
)
def test_bad_tables_name_the_problem(change, match):
    forecast, coverage = change(*_tables([10, 12, 8], [3, 3, 3]))
    with pytest.raises(SimulationInputError, match=match):
        simulate(forecast, coverage, interval_s=900, n_replications=2)
