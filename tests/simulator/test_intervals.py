"""Confidence intervals of simulated means stay in range and cover the theory value.

References: the Student-t interval and Wilson's score interval written out by hand
below; Erlang A's stationary KPIs from the mpmath reference of
tests/staffing/test_erlang_mpmath.py (birth-death chain, independent of staffing).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator import interval_from_se, mean_interval, simulate_queue
from tests.staffing.test_erlang_mpmath import ref_kpis

fractions = st.lists(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3), min_size=2,
                     max_size=12)
waits = st.lists(st.lists(st.floats(0.0, 1e4), min_size=3, max_size=3), min_size=2,
                 max_size=12)


@settings(max_examples=200, deadline=None)
@given(fractions)
def test_fraction_bounds_stay_in_unit_interval_and_hold_the_mean(rows):
    mean, low, high = mean_interval(np.array(rows), kind="fraction")
    assert np.all((low >= 0.0) & (high <= 1.0))
    assert np.all((low <= mean + 1e-12) & (mean <= high + 1e-12))


@settings(max_examples=200, deadline=None)
@given(waits)
def test_wait_bounds_stay_nonnegative_and_hold_the_mean(rows):
    mean, low, high = mean_interval(np.array(rows), kind="nonnegative")
    assert np.all(low >= 0.0)
    assert np.all((low <= mean * (1 + 1e-12)) & (mean <= high * (1 + 1e-12)))


def test_old_t_interval_leaves_the_range_on_the_same_data():
    # The case the issue names: a service level near 1 with a wide spread. The symmetric
    # t-interval (the old method) goes above 1; the new one does not.
    rows = np.array([1.0, 1.0, 0.8, 1.0, 0.95])
    m, s, r = rows.mean(), rows.std(ddof=1), rows.size
    t = stats.t.ppf(0.975, r - 1)
    assert m + t * s / math.sqrt(r) > 1.0
    _, low, high = mean_interval(rows[:, None], kind="fraction")
    assert 0.0 <= low[0] < m < high[0] <= 1.0


def test_small_spread_gives_the_t_interval():
    # Far from the bounds (n_eff huge) Wilson at the effective size is the t-interval.
    rng = np.random.default_rng(3)
    rows = 0.5 + 0.001 * rng.standard_normal(20)
    m, s = rows.mean(), rows.std(ddof=1)
    half = stats.t.ppf(0.975, 19) * s / math.sqrt(20)
    _, low, high = mean_interval(rows[:, None], kind="fraction")
    assert low[0] == pytest.approx(m - half, rel=1e-4)
    assert high[0] == pytest.approx(m + half, rel=1e-4)
    _, low, high = mean_interval((100 + rows)[:, None], kind="nonnegative")
    assert low[0] == pytest.approx(100 + m - half, rel=1e-6)
    assert high[0] == pytest.approx(100 + m + half, rel=1e-6)


def test_no_spread_falls_back_to_wilson_of_the_counted_contacts():
    # Every replication answers all its contacts in time: the t-interval is [1, 1]. Wilson's
    # interval for 100 of 100 (z = t quantile on 4 d.f.) is [1 / (1 + z^2 / 100), 1].
    z = stats.t.ppf(0.975, 4)
    _, low, high = mean_interval(np.ones((5, 1)), kind="fraction", n_contacts=[100.0])
    assert low[0] == pytest.approx(1.0 / (1.0 + z * z / 100.0), rel=1e-12)
    assert high[0] == 1.0
    _, low, high = mean_interval(np.zeros((5, 1)), kind="fraction", n_contacts=[100.0])
    assert low[0] == 0.0
    assert high[0] == pytest.approx((z * z / 100.0) / (1.0 + z * z / 100.0), rel=1e-12)


def test_wilson_at_effective_size_by_hand():
    # p = 0.9, se = 0.03, 9 d.f.: n_eff = 0.09 / 0.0009 = 100; Wilson's formula by hand.
    z = stats.t.ppf(0.975, 9)
    n = 100.0
    centre = (0.9 + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(0.9 * 0.1 / n + z * z / (4 * n * n))
    low, high = interval_from_se(0.9, 0.03, 9, kind="fraction")
    assert float(low) == pytest.approx(centre - half, rel=1e-12)
    assert float(high) == pytest.approx(centre + half, rel=1e-12)


def test_one_replication_has_no_interval():
    mean, low, high = mean_interval([[0.7]], kind="fraction")
    assert mean[0] == 0.7 and math.isnan(low[0]) and math.isnan(high[0])


@pytest.mark.slow
def test_intervals_cover_erlang_a_theory_at_nominal_rate():
    # Stationary M/M/10+M (the case: 200 calls in 30 min, AHT 100 s, patience 60 s).
    # Each replication is one simulate_queue run (warm-up left out); 200 sets of 5
    # replications; each set's 95 % interval should hold the theory value ~95 % of the time.
    # With 200 sets the count of hits is Binomial(200, 0.95): 3 sd below is 181.
    ref = ref_kpis(10, 200, 1800, 100, 20, 60)
    theory = {"abandon_rate": float(ref["abandon_rate"]),
              "service_level": float(ref["service_level"]),
              "mean_wait_s": float(ref["mean_wait_s"])}
    kinds = {"abandon_rate": "fraction", "service_level": "fraction", "mean_wait_s": "nonnegative"}
    n_sets, n_rep = 200, 5
    hits = dict.fromkeys(theory, 0)
    in_range = True
    for s in range(n_sets):
        runs = [simulate_queue(10, 200 / 1800, 100, mean_patience_s=60, answer_within_s=20,
                               n_contacts=3000, warmup_contacts=1000, n_batches=5,
                               seed=1000 * s + r) for r in range(n_rep)]
        for kpi, truth in theory.items():
            values = np.array([[run[kpi]] for run in runs])
            _, low, high = mean_interval(values, kind=kinds[kpi],
                                         n_contacts=[n_rep * 2000.0])
            hits[kpi] += int(low[0] <= truth <= high[0])
            if kinds[kpi] == "fraction":
                in_range &= bool(low[0] >= 0 and high[0] <= 1)
            else:
                in_range &= bool(low[0] >= 0)
    assert in_range
    for kpi, count in hits.items():
        assert 181 <= count <= 199, (kpi, count, theory[kpi])
