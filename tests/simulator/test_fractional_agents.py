"""Fractional agents on duty in the coverage table (issue 16): 3.4 is an average over the
interval, as an ACD report gives it. Checked against the same staffing given as a roster of
shifts (a different input route to the same engine) and against the paid time by hand."""

import numpy as np
import pandas as pd
import pytest

from simulator import ChannelModel, simulate

START = pd.Timestamp("2026-03-02 08:00")


def _forecast(n=4):
    starts = pd.date_range(START, periods=n, freq="15min")
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": 30.0,
                         "aht_s": 240.0})


def _roster(agents, interval_s=900.0):
    """The same staffing as shifts: per interval, floor(a) agents all through it and one more
    for its first fraction (each agent its own shift)."""
    rows = []
    for i, a in enumerate(agents):
        begin = START + pd.Timedelta(seconds=i * interval_s)
        whole = int(np.floor(a))
        spans = [(begin, begin + pd.Timedelta(seconds=interval_s))] * whole
        if a - whole > 0:
            spans.append((begin, begin + pd.Timedelta(seconds=(a - whole) * interval_s)))
        rows += [{"channel": "voice", "agent": f"a{i}_{k}", "activity": "shift", "start": s,
                  "end": e} for k, (s, e) in enumerate(spans)]
    return pd.DataFrame(rows)


def test_fractional_coverage_is_the_roster_with_a_part_interval_agent():
    agents = [3.4, 5.0, 4.75, 2.5]
    forecast = _forecast()
    coverage = forecast[["channel", "interval_start"]].assign(agents_on_queue=agents)
    kwargs = {"interval_s": 900, "n_replications": 3, "seed": 8,
              "channels": {"voice": ChannelModel(mean_patience_s=120.0)}}
    by_coverage, summary_c = simulate(forecast, coverage, **kwargs)
    by_roster, summary_r = simulate(forecast, roster=_roster(agents), **kwargs)
    pd.testing.assert_frame_equal(by_coverage, by_roster)
    pd.testing.assert_frame_equal(summary_c, summary_r)
    # The agents on duty are the averages given (time-weighted), in every replication.
    for r in range(3):
        np.testing.assert_allclose(
            by_coverage[by_coverage.replication == r]["agents_on_duty"], agents, rtol=1e-12)


@pytest.mark.parametrize("agents", [[0.5, 0.5, 0.5, 0.5], [1.2, 0.0, 3.9, 2.0]])
def test_agents_on_duty_average_to_the_numbers_given(agents):
    # Fractions below one agent and zero-agent intervals included: the agent-seconds on duty
    # are sum(agents) x 900 s, and every contact is still answered, abandoned or waiting.
    forecast = _forecast()
    coverage = forecast[["channel", "interval_start"]].assign(agents_on_queue=agents)
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=1)
    for _, rep in intervals.groupby("replication"):
        scheduled = float((rep["agents_on_duty"] * 900.0).sum())
        assert scheduled == pytest.approx(sum(agents) * 900.0, rel=1e-12)
        assert (rep["offered"] == rep["answered"] + rep["abandoned"]
                + rep["waiting_at_end"]).all()
