"""The ledger's wait histogram, binned in blocks with numpy, against one-at-a-time binning.

Reference: Python's ``bisect.bisect_right`` on the bin edges, one wait at a time (a bin holds
the waits from its edge, included, to the next edge, excluded), counted here in plain dicts.
Unit test of a private helper (``simulator._ledger``), as STYLE section 2 allows.
"""

from bisect import bisect_right
from collections import Counter

import numpy as np

from simulator._ledger import WAIT_EDGES, Ledger


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
