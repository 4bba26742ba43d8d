"""Customer behaviour beyond patience (issue 16): hang-ups within a time, pick-up delay, redials.

One :class:`Behaviour` per channel that has any of them, with random streams of its own
(spawned after every other stream of the replication, so that the other draws are the same
as without). It gives each contact a *tag*, a small list the engine carries with the contact
and the ledger reads::

    [attempt, first interval, customer, pick-up delay (s), is a hang-up,
     redial delay (s) if this attempt abandons (-1: no redial), answered]

``attempt`` counts from 1 (a redial is 2, 3, ...); ``first interval`` is the interval of
the customer's first attempt; ``customer`` numbers the channel's customers in a replication
from 0. Contacts of a channel without these behaviours carry no tag (``None``).

Draws per first attempt (vectorised, per interval): the hang-up's patience (uniform in
[0, ``hang_up_within_s``]; a draw for every contact, used by the hang-ups), the pick-up
delay, the redial coin and the redial delay, each from its own stream. A redial attempt
draws its patience, hang-up coin, hang-up patience, pick-up delay, redial coin and delay,
in that order, from a fifth stream, in blocks. The redial decision is made when the attempt
arrives, with the probability of the wait it would have on abandoning (its patience; 0 for
a hang-up leaving at once): the engine uses it only if the attempt does abandon.
"""

from __future__ import annotations

import numpy as np

_BLOCK = 256  # draws per refill of a redial attempt's streams

#: Positions in a tag.
ATTEMPT, FIRST_INTERVAL, CUSTOMER, PICKUP, HANG, REDIAL, ANSWERED = range(7)


def is_active(spec) -> bool:
    """Whether a channel's checked settings (``ChannelSpec``) need a :class:`Behaviour`."""
    return (spec.pickup is not None or spec.redial_delay is not None
            or (spec.hang_up_share > 0 and spec.hang_up_within_s > 0))


class Behaviour:
    """One channel's behaviour draws and its customers' numbering, for one replication.

    Parameters
    ----------
    spec : simulator._models.ChannelSpec
        The channel's checked settings.
    seed_seq : numpy.random.SeedSequence
        The channel's behaviour seed (five streams are spawned from it).
    """

    def __init__(self, spec, seed_seq: np.random.SeedSequence):
        self.spec = spec
        self.within_rng, self.pickup_rng, self.coin_rng, self.delay_rng, retry = (
            np.random.default_rng(s) for s in seed_seq.spawn(5))
        self.next_customer = 0
        self.bounds = np.asarray(spec.redial_bounds_s, dtype=float)
        self.probs = np.asarray(spec.redial_probabilities, dtype=float)
        self._retry = retry
        self._buffers: dict[str, list] = {}

    def first_attempts(self, iv: int, gives: list, hangs: list | None) -> tuple[list, list]:
        """Tags (and patience, a hang-up's made uniform when it may wait) of ``len(gives)``
        first attempts arriving in interval ``iv``; ``gives`` marks a hang-up leaving at once
        with -1, ``hangs`` says which contacts are hang-ups (None: none)."""
        spec, n = self.spec, len(gives)
        if hangs is not None and spec.hang_up_within_s > 0:
            waits = (self.within_rng.random(n) * spec.hang_up_within_s).tolist()
            gives = [w if h else g for h, w, g in zip(hangs, waits, gives, strict=True)]
        delays = (spec.pickup.sample(self.pickup_rng, spec.pickup_mean_s, n, rescale=False)
                  .tolist() if spec.pickup is not None else [0.0] * n)
        redials = [-1.0] * n
        if spec.redial_delay is not None:
            coins = self.coin_rng.random(n)
            later = spec.redial_delay.sample(self.delay_rng, spec.redial_delay.mean_s, n,
                                             rescale=False)
            p = self._probability(np.maximum(np.asarray(gives, dtype=float), 0.0))
            redials = np.where(coins < p, later, -1.0).tolist()
        hang = hangs or [False] * n
        first = self.next_customer
        self.next_customer += n
        tags = [[1, iv, first + k, delays[k], hang[k], redials[k], False] for k in range(n)]
        return gives, tags

    def redial(self, tag: list) -> tuple[float, list]:
        """The patience (-1: hangs up at once) and tag of the customer's next attempt."""
        spec = self.spec
        give = self._next("patience", lambda n: spec.patience.sample(
            self._retry, spec.patience_mean_s, n, rescale=False))
        hang = False
        if spec.hang_up_share > 0:
            hang = self._next("hang", lambda n: self._retry.random(n)) < spec.hang_up_share
            within = self._next("within", lambda n: self._retry.random(n)) * spec.hang_up_within_s
            if hang:
                give = within if spec.hang_up_within_s > 0 else -1.0
        delay = (self._next("pickup", lambda n: spec.pickup.sample(
            self._retry, spec.pickup_mean_s, n, rescale=False)) if spec.pickup is not None
            else 0.0)
        coin = self._next("coin", lambda n: self._retry.random(n))
        later = self._next("later", lambda n: spec.redial_delay.sample(
            self._retry, spec.redial_delay.mean_s, n, rescale=False))
        again = later if coin < float(self._probability(np.array([max(give, 0.0)]))[0]) else -1.0
        return give, [tag[ATTEMPT] + 1, tag[FIRST_INTERVAL], tag[CUSTOMER], delay, hang, again,
                      False]

    def _probability(self, waits: np.ndarray) -> np.ndarray:
        """Redial probability by the wait before abandoning (0 above the last bound)."""
        k = np.searchsorted(self.bounds, waits, side="left")
        return np.where(k < self.probs.size, self.probs[np.minimum(k, self.probs.size - 1)],
                        0.0)

    def _next(self, name: str, refill) -> float:
        """The next draw of one kind for redial attempts (refilled in blocks of _BLOCK)."""
        buf = self._buffers.get(name)
        if not buf:
            buf = self._buffers[name] = np.asarray(refill(_BLOCK), dtype=float).tolist()[::-1]
        return buf.pop()

