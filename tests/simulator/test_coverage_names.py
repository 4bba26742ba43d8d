"""The simulator's agents are ``agents_on_queue``; ``agents_scheduled`` is read as an alias.

Issue 14: ``agents_scheduled`` meant three things (the schedule's agents on duty, the
simulator's agents answering, the results' agents on the queue). The simulator's input is
now named for what it simulates; files and callers with the old name give the same result.
"""

import pandas as pd
import pytest

from simulator import SimulationInputError, simulate


def tables():
    starts = pd.date_range("2026-03-02 09:00", periods=4, freq="15min")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": 30.0,
                             "aht_s": 180.0})
    coverage = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "agents_on_queue": [6, 7, 7, 6]})
    return forecast, coverage


def test_old_name_gives_the_same_tables():
    forecast, coverage = tables()
    new = simulate(forecast, coverage, interval_s=900, n_replications=3, seed=2)
    old = simulate(forecast, coverage.rename(columns={"agents_on_queue": "agents_scheduled"}),
                   interval_s=900, n_replications=3, seed=2)
    pd.testing.assert_frame_equal(new[0], old[0])
    pd.testing.assert_frame_equal(new[1], old[1])


def test_missing_column_names_the_new_one():
    forecast, coverage = tables()
    with pytest.raises(SimulationInputError, match="no column 'agents_on_queue'"):
        simulate(forecast, coverage.drop(columns=["agents_on_queue"]), interval_s=900,
                 n_replications=2)
