"""Shrinkage, FTE and deferred-work staffing, checked by hand and by an independent bound."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing import agents_on_queue, deferred_requirements, fte, scheduled_agents
from staffing.errors import InfeasibleTargetError, InvalidParameterError


def test_scheduled_agents_by_hand():
    # 14 on the queue with 30% shrinkage: 14 / 0.7 = 20 exactly (no float round-up to 21).
    assert scheduled_agents(14, 0.3) == 20
    # 15 / 0.7 = 21.43 -> 22
    assert scheduled_agents(15, 0.3) == 22
    assert scheduled_agents([0, 1, 10], 0.0).tolist() == [0, 1, 10]


@pytest.mark.parametrize("bad", [1.0, -0.1, float("nan")])
def test_scheduled_agents_rejects_bad_shrinkage(bad):
    with pytest.raises(InvalidParameterError, match="shrinkage"):
        scheduled_agents(10, bad)


def test_agents_on_queue_by_hand():
    # 20 on duty with 30% shrinkage: 20 x 0.7 = 14 exactly (no float round-down to 13).
    assert agents_on_queue(20, 0.3) == 14
    # 10 x 0.7 = 7 (float: 6.999...), 15 x 0.7 = 10.5 -> 10, 21 x 0.7 = 14.7 -> 14.
    assert agents_on_queue([10, 15, 21], 0.3).tolist() == [7, 10, 14]
    assert agents_on_queue([0, 1, 10], 0.0).tolist() == [0, 1, 10]
    # 1 agent with any shrinkage > 0 leaves nobody on the queue.
    assert agents_on_queue(1, 0.01) == 0


@pytest.mark.parametrize("bad", [1.0, -0.1, float("nan")])
def test_agents_on_queue_rejects_bad_shrinkage(bad):
    with pytest.raises(InvalidParameterError, match="shrinkage"):
        agents_on_queue(10, bad)


def test_agents_on_queue_rejects_fractional_agents():
    with pytest.raises(InvalidParameterError, match="agents_on_duty must be a whole number"):
        agents_on_queue(2.5, 0.3)


SHRINKAGES = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.65, 0.7, 0.9, 0.99]


@pytest.mark.parametrize("shrinkage", SHRINKAGES)
def test_shrinkage_conversions_match_exact_arithmetic(shrinkage):
    """Brute force in exact rational arithmetic (the shrinkage as the decimal it is written
    as): on duty -> on queue is floor(y (1 - s)); on queue -> on duty is the fewest y whose
    floor(y (1 - s)) reaches x, found by counting up."""
    keep = 1 - Fraction(str(shrinkage))
    on_duty = np.arange(0, 301)
    expected_on_queue = [math.floor(y * keep) for y in on_duty]
    assert agents_on_queue(on_duty, shrinkage).tolist() == expected_on_queue
    required = np.arange(0, 101)
    expected_on_duty = [next(y for y in range(0, 10_001) if math.floor(y * keep) >= x)
                        for x in required]
    assert scheduled_agents(required, shrinkage).tolist() == expected_on_duty


@settings(max_examples=200, deadline=None)
@given(agents=st.integers(0, 100_000), per_mille=st.integers(0, 999))
def test_shrinkage_conversions_are_inverse(agents, per_mille):
    """Scheduling for a requirement leaves at least the requirement on the queue, and on duty
    never falls below what a queue of that size needs (shrinkage as planners write it, to
    0.1%: then y (1 - s) is a whole number or at least 0.001 from one, beyond float noise)."""
    shrinkage = per_mille / 1000
    on_duty = scheduled_agents(agents, shrinkage)
    assert agents_on_queue(on_duty, shrinkage) >= agents
    assert scheduled_agents(agents_on_queue(agents, shrinkage), shrinkage) <= agents
    # The fewest: one agent fewer on duty leaves too few on the queue.
    if on_duty > 0:
        assert agents_on_queue(on_duty - 1, shrinkage) < agents


def test_fte_by_hand():
    # 20 agents for 8 hours a day on 5 days = 800 agent-hours; 40 h contracts -> 20 FTE.
    week = [20] * (8 * 5)
    assert fte(week, 3600, 40.0) == pytest.approx(20.0)
    # The same hours over a two-week period are half the FTE.
    assert fte(week, 3600, 40.0, period_s=14 * 86400) == pytest.approx(10.0)
    # 15-minute intervals: 4 per hour.
    assert fte([8] * (4 * 37), 900, 37.0) == pytest.approx(8.0)


def _level_bound(arrivals, cap_per_agent, k):
    """Independent answer for an always-open centre (min-plus / network calculus).

    With a constant rate c·cap, FIFO work done by the end of interval t is
    H(t) = min_{-1 <= u <= t} A(u) + c·cap·(t - u), A(-1) = 0, A = cumulative
    arrivals. Arrivals of interval s are done by interval s+k-1 iff
    c >= (A(s) - A(u)) / (cap·(s + k - 1 - u)) for every u < s.
    """
    cum = np.concatenate([[0.0], np.cumsum(arrivals)])  # cum[u+1] = A(u)
    n = len(arrivals)
    need = 0.0
    for s in range(n):
        if s + k - 1 >= n:
            continue
        for u in range(-1, s):
            need = max(need, (cum[s + 1] - cum[u + 1]) / (cap_per_agent * (s + k - 1 - u)))
    return int(np.ceil(need - 1e-9))


@settings(max_examples=60, deadline=None)
@given(
    arrivals=st.lists(st.integers(0, 60), min_size=1, max_size=30),
    k=st.integers(1, 8),
    aht_s=st.sampled_from([120.0, 300.0, 600.0]),
)
def test_deferred_level_matches_min_plus_bound(arrivals, k, aht_s):
    interval_s = 900.0
    plan = deferred_requirements(arrivals, interval_s, aht_s, k * interval_s)
    expected = _level_bound(np.array(arrivals, float), interval_s / aht_s, k)
    assert int(plan.agents_required.to_numpy().max(initial=0)) == expected
    assert plan.deadline_met.all()


def test_deferred_by_hand_with_closed_hours():
    # 12 emails arrive overnight (closed), 6 min each = 72 agent-minutes; due within 4 h;
    # the centre opens in interval 2 (hourly intervals) and the emails are due by interval 3,
    # so two open hours must do 72 minutes: 1 agent (60 min/h) is enough, 0 is not.
    offered = [12, 0, 0, 0, 0, 0]
    is_open = [False, False, True, True, True, True]
    plan = deferred_requirements(offered, 3600, 360, 4 * 3600, is_open=is_open)
    assert plan.agents_required.tolist() == [0, 0, 1, 1, 1, 1]
    assert plan.backlog.tolist()[:4] == pytest.approx([12, 12, 2, 0])
    # Due within 3 h: only interval 2 is open in the window -> 72 min in one hour -> 2 agents.
    plan = deferred_requirements(offered, 3600, 360, 3 * 3600, is_open=is_open)
    assert int(plan.agents_required.max()) == 2


def test_deferred_closed_window_is_infeasible():
    with pytest.raises(InfeasibleTargetError, match="interval 0"):
        deferred_requirements([5, 0, 0], 3600, 300, 2 * 3600, is_open=[False, False, True])


def test_deferred_rejects_target_shorter_than_interval():
    with pytest.raises(InvalidParameterError, match="response_within_s"):
        deferred_requirements([5, 0], 3600, 300, 600)


def test_deferred_reverse_mode_evaluates_a_given_level():
    # 12 emails, 6 min each, due within 3 h, open from interval 2 only: 1 agent handles 10
    # an hour, so interval 0's emails are not all done by interval 2; 2 agents do it.
    offered = [12, 0, 0, 0]
    is_open = [False, False, True, True]
    one = deferred_requirements(offered, 3600, 360, 3 * 3600, is_open=is_open, agents=1)
    two = deferred_requirements(offered, 3600, 360, 3 * 3600, is_open=is_open, agents=2)
    assert not one.deadline_met[0] and two.deadline_met.all()
    assert one.backlog.tolist() == pytest.approx([12, 12, 2, 0])
    with pytest.raises(InvalidParameterError, match="agents must be a whole number"):
        deferred_requirements(offered, 3600, 360, 3 * 3600, agents=-1)
