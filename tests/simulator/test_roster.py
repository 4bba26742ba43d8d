"""Rosters of shifts and breaks in the simulator."""

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, SimulationInputError, simulate

T0 = pd.Timestamp("2026-03-02 08:00")


def _forecast(offered, aht_s=300.0):
    starts = pd.date_range(T0, periods=len(offered), freq="15min")
    return pd.DataFrame({"channel": "voice", "interval_start": starts,
                         "offered": np.asarray(offered, float), "aht_s": aht_s})


def _row(agent, activity, start_min, end_min, channel="voice"):
    return {"channel": channel, "agent": agent, "activity": activity,
            "start": T0 + pd.Timedelta(minutes=start_min),
            "end": T0 + pd.Timedelta(minutes=end_min)}


def test_a_roster_on_interval_edges_equals_the_same_coverage():
    # Agents 3, 5, 5, 2 per interval as shifts; the simulation must be identical to the
    # coverage table with those numbers (same seed, same draws).
    roster = pd.DataFrame([_row("a", "shift", 0, 60), _row("b", "shift", 0, 45),
                           _row("c", "shift", 0, 45), _row("d", "shift", 15, 45),
                           _row("e", "shift", 15, 60)])
    forecast = _forecast([40, 60, 50, 20])
    coverage = forecast[["channel", "interval_start"]].assign(agents_scheduled=[3, 5, 5, 2])
    channels = {"voice": ChannelModel(mean_patience_s=120.0)}
    by_roster, _ = simulate(forecast, roster=roster, interval_s=900, channels=channels,
                            n_replications=3, seed=9)
    by_coverage, _ = simulate(forecast, coverage, interval_s=900, channels=channels,
                              n_replications=3, seed=9)
    pd.testing.assert_frame_equal(by_roster, by_coverage, check_dtype=False)


def test_breaks_inside_an_interval_lower_the_average_agents_on_duty():
    roster = pd.DataFrame([_row("a", "shift", 0, 30), _row("b", "shift", 0, 30),
                           _row("b", "break", 20, 25)])
    intervals, _ = simulate(_forecast([5, 5]), roster=roster, interval_s=900,
                            n_replications=2)
    first = intervals[intervals.replication == 0].agents_on_duty.tolist()
    assert first == pytest.approx([2.0, 2.0 - 5 / 15])


def test_a_shift_ending_mid_call_records_overtime():
    roster = pd.DataFrame([_row(f"x{i}", "shift", 0, 15) for i in range(10)])
    intervals, _ = simulate(_forecast([120, 0], aht_s=900.0), roster=roster, interval_s=900,
                            n_replications=2)
    assert (intervals[intervals.interval_start > T0].overtime_s > 0).all()


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ([_row("a", "shift", 30, 0)], r"row 0: end .* is not after start"),
        ([_row("a", "shift", 0, 60), _row("a", "break", 50, 70)],
         r"row 1: the break of agent 'a' does not lie inside"),
        ([_row("a", "shift", 0, 60), _row("a", "break", 10, 20), _row("a", "break", 15, 25)],
         r"rows 1 and 2: two breaks of agent 'a' overlap"),
        ([_row("a", "shift", 0, 30), _row("a", "shift", 20, 60)],
         r"rows 0 and 1: two shifts of agent 'a' overlap"),
        ([_row("a", "shift", 0, 60, channel="chat")], r"row 0: channel 'chat' is not in"),
        ([{**_row("a", "shift", 0, 60), "activity": "lunch"}], "activity must be 'shift'"),
    ],
)
def test_roster_errors_name_the_row(rows, match):
    with pytest.raises(SimulationInputError, match=match):
        simulate(_forecast([5, 5, 5, 5]), roster=pd.DataFrame(rows), interval_s=900,
                 n_replications=2)


def test_coverage_or_roster_not_both():
    forecast = _forecast([5])
    coverage = forecast[["channel", "interval_start"]].assign(agents_scheduled=1)
    roster = pd.DataFrame([_row("a", "shift", 0, 15)])
    with pytest.raises(SimulationInputError, match="not both or neither"):
        simulate(forecast, coverage, roster=roster, interval_s=900, n_replications=2)
