"""The ledger's wait histogram, binned in blocks with numpy, against one-at-a-time binning.

Reference: Python's ``bisect.bisect_right`` on the bin edges, one wait at a time (a bin holds
the waits from its edge, included, to the next edge, excluded), counted here in plain dicts.
The answered contacts' counts and sums, also made in blocks, against a count one contact at a
time written here.
Unit test of a private helper (``simulator._ledger``), as STYLE section 2 allows.
"""

import math
from bisect import bisect_right
from collections import Counter

import numpy as np

from simulator._ledger import WAIT_EDGES, Ledger, intervals_table


def _waits(rng, n):
    """Waits that hit the edges exactly, fall just either side of them, and in between."""
    edges = WAIT_EDGES[rng.integers(0, WAIT_EDGES.size, n)]
    return np.concatenate([
        [0.0, 0.0], edges, np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf).clip(0.0),
        rng.exponential(60.0, n), rng.uniform(0.0, 1.0, n)])


def test_block_binning_equals_one_wait_at_a_time_whenever_the_blocks_are_folded():
    rng = np.random.default_rng(7)
    n_channels, n_intervals = 2, 5
    ledger = Ledger(n_channels, n_intervals, 2, 900.0, [20.0, 20.0])
    expected: Counter = Counter()
    for step in range(6):
        waits = _waits(rng, 200)
        channels = rng.integers(0, n_channels, waits.size)
        intervals = rng.integers(0, n_intervals, waits.size)
        for c, iv, wait in zip(channels.tolist(), intervals.tolist(), waits.tolist(),
                               strict=True):
            kind = rng.integers(0, 3)
            if kind == 0:
                ledger.answered(c, iv, 0.0, wait)  # waits now - arrived = wait
            elif kind == 1:
                ledger.abandoned(c, iv, 0.0, wait)
            else:
                ledger.hung_up(c, iv, 0.0)
                wait = 0.0
            expected[c, iv, bisect_right(WAIT_EDGES.tolist(), wait) - 1] += 1
        if step % 2:
            ledger.fold_waits()  # as the engine does at an interval's start
    _, hist, _ = ledger.close([[0], [1]], {})
    got = {(c, iv, b): int(hist[c, iv, b]) for c, iv, b in zip(*np.nonzero(hist), strict=True)}
    assert got == dict(expected)
    assert hist.sum() == sum(expected.values())


def _overlap_by_interval(begin, end, interval_s, n_intervals):
    """Seconds of [begin, end) in each interval; the last interval also takes what lies past
    its end (the ledger's rule for time counted up to the horizon)."""
    out = [0.0] * n_intervals
    for i in range(n_intervals):
        lo = i * interval_s
        hi = math.inf if i == n_intervals - 1 else lo + interval_s
        out[i] += max(0.0, min(end, hi) - max(begin, lo))
    return out


def test_answered_contacts_counted_in_blocks_equal_one_at_a_time():
    """Answered contacts, noted and counted in blocks (folded at random points), against a
    count one contact at a time written here: answered, within the threshold (a wait equal
    to it counts), within each band, the maximum and mean wait, the queue time split over
    the intervals the wait spans."""
    rng = np.random.default_rng(11)
    n_channels, n_intervals, interval_s = 2, 4, 900.0
    within, bands = [20.0, 60.0], [10.0, 20.0, 60.0]
    ledger = Ledger(n_channels, n_intervals, 1, interval_s, within, bands_s=bands)
    answered = np.zeros((n_channels, n_intervals), dtype=int)
    in_time = np.zeros((n_channels, n_intervals), dtype=int)
    in_band = np.zeros((n_channels, n_intervals, len(bands)), dtype=int)
    wait_sum = np.zeros((n_channels, n_intervals))
    wait_max = np.zeros((n_channels, n_intervals))
    queue_s = np.zeros((n_channels, n_intervals))
    for _ in range(3000):
        c, iv = int(rng.integers(0, n_channels)), int(rng.integers(0, n_intervals))
        arrived = iv * interval_s + float(rng.uniform(0.0, interval_s))
        wait = float(rng.choice([0.0, 10.0, 20.0, 60.0, float(rng.exponential(300.0))]))
        ledger.answered(c, iv, arrived, arrived + wait)
        wait = (arrived + wait) - arrived  # the wait as the ledger sees it
        answered[c, iv] += 1
        in_time[c, iv] += wait <= within[c]
        in_band[c, iv] += [wait <= t for t in bands]
        wait_sum[c, iv] += wait
        wait_max[c, iv] = max(wait_max[c, iv], wait)
        queue_s[c] += _overlap_by_interval(arrived, arrived + wait, interval_s, n_intervals)
        if rng.random() < 0.002:
            ledger.fold_waits()
    counters, hist, group_time = ledger.close([[0, 1]], {})
    starts = np.arange(n_intervals)
    table = intervals_table([counters], [hist], ["a", "b"], starts,
                            np.zeros((n_channels, n_intervals)), interval_s, [0], bands)
    for c, name in enumerate(["a", "b"]):
        rows = table[table.channel == name]
        assert rows.answered.tolist() == answered[c].tolist()
        assert rows.answered_within_target.tolist() == in_time[c].tolist()
        for k, t in enumerate(bands):
            assert rows[f"answered_within_{t:g}s"].tolist() == in_band[c, :, k].tolist()
        assert rows.max_wait_s.tolist() == wait_max[c].tolist()
        np.testing.assert_allclose(rows.asa_s, wait_sum[c] / answered[c], rtol=1e-12)
        np.testing.assert_allclose(rows.mean_queue, queue_s[c] / interval_s, rtol=1e-12)
