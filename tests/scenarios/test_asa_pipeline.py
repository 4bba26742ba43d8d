"""The pipeline's two ASA columns (analytic and simulated) mean the same: answered contacts.

Issue 14: ``asa_s_erlang`` was Erlang A's mean wait over all offered contacts, ``asa_s`` the
simulator's mean over answered contacts. The reference is the first-principles
calculation of tests/staffing/test_asa_meaning.py.
"""

import numpy as np
import pytest

import scenarios
from tests.staffing.test_asa_meaning import hand_erlang_a_waits

SCENARIO = """\
name: asa
interval: 30m
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
currency: XTS
channels:
  voice: {volume: {daily: 9600, profile: flat}, aht: 100s, target: 80% in 20s,
          patience: 60s}
staffing: {method: erlang_a, shrinkage: 0.0}
pay: {hourly_rates: {agent: 20}}
simulation: {replications: 20}
"""


@pytest.mark.slow
def test_pipeline_shows_one_asa_analytic_and_simulated(tmp_path):
    path = tmp_path / "asa.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    analytic = scenarios.run_scenario(scenarios.load_scenarios(path,
                                                               overrides={"simulation": None})[0])
    rows = analytic.intervals
    agents = rows["agents_on_queue"].to_numpy()
    assert np.all(agents == agents[0]) and np.all(rows["offered"] == 200.0)
    hand_asa, _ = hand_erlang_a_waits(int(agents[0]), 200, 1800, 100, 60)
    # Without simulation the result's ASA is the analytic one, answered contacts only.
    assert rows["asa_s_erlang"].to_numpy() == pytest.approx(hand_asa, rel=1e-9)
    assert rows["asa_s"].to_numpy() == pytest.approx(hand_asa, rel=1e-9)
    assert float(analytic.totals["asa_s"].iloc[0]) == pytest.approx(hand_asa, rel=1e-9)
    # With simulation (the same staffing), the simulated ASA of the day (a stationary queue
    # apart from the empty start) has the analytic value inside its 95 % interval: the two
    # columns now measure the same thing (before, asa_s_erlang was the mean over all
    # offered, 11.33 s at 10 agents, and sat outside).
    sim = scenarios.run_scenario(scenarios.load_scenarios(path)[0])
    channel = sim.channels.iloc[0]
    assert sim.intervals["asa_s_erlang"].to_numpy() == pytest.approx(hand_asa, rel=1e-9)
    assert channel["asa_s_low"] <= hand_asa <= channel["asa_s_high"], (
        channel["asa_s_low"], hand_asa, channel["asa_s_high"])
