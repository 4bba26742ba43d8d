"""simulate_queue against Erlang C and Erlang A from the staffing engine (a different method).

The tolerance is the simulation's own 99% confidence interval (batch means). Seeds are fixed,
so each case is deterministic; they were not chosen to pass.
"""

import math
import warnings

import numpy as np
import pytest

from simulator import SimulationInputError, simulate_queue
from staffing import queue_kpis

# (agents, offered load in erlangs, AHT s, mean patience s or None)
CASES = [
    (2, 1.0, 60.0, None),
    (2, 1.6, 60.0, 90.0),
    (12, 10.0, 180.0, None),
    (12, 11.5, 180.0, 120.0),
    (100, 92.0, 300.0, None),
    (100, 105.0, 300.0, 200.0),  # overloaded with abandonment: Erlang A is stable
]
SLOW_CASES = [
    (500, 480.0, 240.0, None),
    (500, 520.0, 240.0, 180.0),
]
KPI_PAIRS = [("p_wait", "p_wait"), ("service_level", "service_level"),
             ("mean_wait_s", "mean_wait_s"), ("abandon_rate", "abandon_rate")]


def _check(n, load, aht, patience, n_contacts, seed):
    rate = load / aht
    result = simulate_queue(n, rate, aht, patience, n_contacts=n_contacts, seed=seed,
                            answer_within_s=20.0, confidence=0.99)
    theory = queue_kpis(n, rate * 3600.0, 3600.0, aht, 20.0, patience).iloc[0]
    for sim_name, kpi in KPI_PAIRS:
        expected = float(theory[kpi])
        low, high = result[sim_name + "_ci_low"], result[sim_name + "_ci_high"]
        if patience is None and sim_name == "abandon_rate":
            assert result.abandon_rate == 0.0
            continue
        assert low <= expected <= high, (
            f"n={n} load={load} patience={patience}: {sim_name} CI [{low:.5f}, {high:.5f}] "
            f"misses the Erlang value {expected:.5f}"
        )


@pytest.mark.parametrize(("n", "load", "aht", "patience"), CASES)
def test_stationary_queue_matches_erlang(n, load, aht, patience):
    _check(n, load, aht, patience, n_contacts=120_000, seed=11)


@pytest.mark.slow
@pytest.mark.parametrize(("n", "load", "aht", "patience"), SLOW_CASES)
def test_large_stationary_queue_matches_erlang(n, load, aht, patience):
    # Large systems fluctuate slowly, so batch means within one run are the weakest part of
    # the method here; use independent replications (the textbook interval) instead: the
    # 99% t-interval of the mean over 8 runs with different seeds.
    rate = load / aht
    runs = [simulate_queue(n, rate, aht, patience, n_contacts=300_000, seed=1000 + r)
            for r in range(8)]
    theory = queue_kpis(n, rate * 3600.0, 3600.0, aht, 20.0, patience).iloc[0]
    t99 = 3.4995  # t quantile 0.995 with 7 degrees of freedom
    for sim_name, kpi in KPI_PAIRS:
        values = np.array([run[sim_name] for run in runs])
        half = t99 * values.std(ddof=1) / math.sqrt(values.size)
        expected = float(theory[kpi])
        assert abs(values.mean() - expected) <= max(half, 1e-12), (
            f"n={n} load={load} patience={patience}: {sim_name} {values.mean():.5f} +- "
            f"{half:.5f} misses the Erlang value {expected:.5f}"
        )


def test_littles_law_within_the_interval():
    # Little: mean number waiting = arrival rate x mean wait; the time-average queue from
    # theory must sit inside the simulated wait's interval scaled by the rate.
    n, load, aht = 12, 10.0, 180.0
    rate = load / aht
    result = simulate_queue(n, rate, aht, n_contacts=120_000, seed=5, confidence=0.99)
    mean_queue = float(queue_kpis(n, rate * 3600, 3600, aht, 20).mean_queue[0])
    assert rate * result.mean_wait_s_ci_low <= mean_queue <= rate * result.mean_wait_s_ci_high


def test_conservation_and_zero_agents():
    # With no agent and patience, everyone waits and abandons; waits are the patience.
    result = simulate_queue(0, 0.1, 100.0, 50.0, n_contacts=20_000, seed=2)
    assert result.answered == 0 and result.abandon_rate == 1.0 and result.p_wait == 1.0
    assert result.offered == result.answered + result.abandoned + result.waiting_at_end
    assert result.mean_wait_s_ci_low <= 50.0 <= result.mean_wait_s_ci_high
    # Without patience nobody leaves: they are still waiting at the end, reported as such.
    with pytest.warns(RuntimeWarning, match="no steady state"):
        stuck = simulate_queue(0, 0.1, 100.0, None, n_contacts=5_000, seed=2)
    assert stuck.waiting_at_end == stuck.offered and stuck.answered == 0


@pytest.mark.parametrize("patience", [None, 60.0])
def test_counts_add_up(patience):
    result = simulate_queue(3, 0.02, 120.0, patience, n_contacts=10_000, seed=9)
    assert result.offered == result.answered + result.abandoned + result.waiting_at_end
    assert result.measured == 10_000 - result.warmup_contacts


def test_same_seed_same_result_and_common_random_numbers():
    a = simulate_queue(5, 0.03, 120.0, 90.0, n_contacts=20_000, seed=42)
    b = simulate_queue(5, 0.03, 120.0, 90.0, n_contacts=20_000, seed=42)
    assert a == b
    # Same contacts, one more agent: waits can only fall under FCFS with the same draws.
    more = simulate_queue(6, 0.03, 120.0, 90.0, n_contacts=20_000, seed=42)
    assert more.mean_wait_s <= a.mean_wait_s and more.abandon_rate <= a.abandon_rate


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_agents": -1}, "n_agents must be a whole number >= 0"),
        ({"n_agents": 2.5}, "n_agents"),
        ({"arrival_rate_per_s": 0}, "arrival_rate_per_s must be a finite number > 0"),
        ({"aht_s": float("nan")}, "aht_s"),
        ({"mean_patience_s": -5}, "mean_patience_s"),
        ({"n_contacts": 100}, "n_contacts must be a whole number >= 2000"),
        ({"confidence": 1.5}, "confidence"),
    ],
)
def test_bad_input_names_the_argument(kwargs, match):
    args = {"n_agents": 2, "arrival_rate_per_s": 0.01, "aht_s": 60.0} | kwargs
    with pytest.raises(SimulationInputError, match=match):
        simulate_queue(**args)


def test_no_warning_for_a_stable_queue():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = simulate_queue(3, 0.02, 100.0, n_contacts=5_000, seed=1)
    assert math.isfinite(result.mean_wait_s) and np.isfinite(result.service_level)
