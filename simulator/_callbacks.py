"""Callbacks ("virtual hold") of the time-varying centre: the offer, the callback lists, the rules.

A channel's ``callback`` setting (:class:`simulator.ChannelModel`) is checked
by :func:`callback_spec` into a :class:`CallbackSpec`; the engine
(``simulator._engine``) asks a :class:`Callbacks` of its environment at a few
points (a caller must queue, an agent looks for work, the horizon ends).

The offer
    A caller who arrives and must queue (no agent free for it) is told its
    expected wait, the ACD's estimate: ``(contacts waiting ahead of it + 1) x
    the channel's mean handle time of the interval (aht_s) / (agents on duty
    who serve the channel x concurrency)`` (infinite with no agent on duty).
    "Ahead of it" are the contacts of its channel still on the line and the
    callbacks that keep their place in the line (rule ``in_turn``); callbacks
    waiting in a callback list (``after_queue``, ``promise``) are not counted,
    and with priority classes every waiting contact of the channel counts. Above
    ``offer_above_s`` the caller is offered a callback and accepts with
    probability ``accept_share`` (a random stream of its own, so without
    callbacks every other draw is the same). An accepted caller leaves the line
    at once and never abandons; contacts of the initial backlog are never
    offered one.
Serving, by ``rule``
    ``after_queue``: an agent takes a callback only when no inbound contact it
    can serve (any of its skills, or its chat channel while it chats) is
    waiting; callbacks of its skills in channel priority order, each channel's
    first come first served (by acceptance). ``in_turn``: the callback keeps the
    caller's place in the line and is served when its turn comes, as if the
    caller had waited, without the risk of abandoning. ``promise``: as
    ``after_queue``, but a callback that has waited half of ``promise_s`` goes
    ahead of its channel's inbound line (not ahead of a more urgent channel's):
    half the window leaves the other half to reach it when every agent is busy
    with long contacts. The agent's work on a callback is ``dial_s`` + the
    contact's handle time: the outbound dial counts in the agent's time and in
    the handle time.
Counting (per interval of the original arrival)
    ``callbacks_offered``, ``callbacks_accepted``, ``callbacks_made`` (served),
    ``callbacks_kept`` (made within ``promise_s`` of the acceptance, which is
    the arrival), ``callbacks_pending`` (still waiting at the end of the
    horizon) and ``callback_wait_total_s`` (sum of the waits to callback of
    those made). Offered contacts are conserved: offered = answered + abandoned
    + waiting_at_end + callbacks_accepted, and callbacks_accepted =
    callbacks_made + callbacks_pending.
Service level, by ``service_level``
    ``excluded`` (default): an accepted callback leaves the inbound service
    level: its denominator, and the abandon rate's, count only the callers who
    stayed on the line (offered - callbacks_accepted). ``promise``: every
    offered contact is in the denominators; a callback made within
    ``promise_s`` counts as answered within the threshold (also in each
    service-level band), a later or pending one as a miss. In both, ``answered``,
    ``asa_s``, ``mean_wait_s`` and the wait percentiles are those of the callers
    on the line.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from ._errors import SimulationInputError

RULES = ("after_queue", "in_turn", "promise")
SERVICE_LEVELS = ("excluded", "promise")
_KEYS = ("offer_above_s", "accept_share", "rule", "promise_s", "dial_s", "service_level")


@dataclass(frozen=True)
class CallbackSpec:
    """A channel's checked callback setting (seconds, a share in [0, 1])."""

    offer_above_s: float
    accept_share: float
    rule: str
    promise_s: float
    dial_s: float
    sl_promise: bool


def callback_spec(where: str, value) -> CallbackSpec | None:
    """Check a channel's ``callback`` mapping (``where`` names it in errors)."""
    if value is None:
        return None
    example = ("{'offer_above_s': 120, 'accept_share': 0.4, 'rule': 'promise', "
               "'promise_s': 3600, 'dial_s': 20, 'service_level': 'excluded'}")
    if not isinstance(value, Mapping):
        raise SimulationInputError(f"{where} must be a mapping such as {example}, got "
                                   f"{value!r}.")
    unknown = sorted(map(str, set(value) - set(_KEYS)))
    if unknown:
        raise SimulationInputError(f"{where} has unknown keys {unknown}; allowed: "
                                   f"{', '.join(_KEYS)}.")
    for key in ("offer_above_s", "accept_share", "promise_s"):
        if key not in value:
            raise SimulationInputError(f"{where}.{key} is required, e.g. {example}.")

    def number(key, default, ok, rule):
        x = value.get(key, default)
        if not (isinstance(x, int | float) and not isinstance(x, bool) and ok(x)):
            raise SimulationInputError(f"{where}.{key} must be {rule}, got {x!r}.")
        return float(x)

    offer = number("offer_above_s", None, lambda x: x >= 0,
                   "a number >= 0 of seconds of expected wait (e.g. 120)")
    share = number("accept_share", None, lambda x: 0 <= x <= 1,
                   "a fraction in [0, 1] of the offered callers who accept (e.g. 0.4)")
    promise = number("promise_s", None, lambda x: 0 < x < math.inf,
                     "a finite number > 0 of seconds within which a callback is promised "
                     "(e.g. 3600)")
    dial = number("dial_s", 0.0, lambda x: 0 <= x < math.inf,
                  "a finite number >= 0 of seconds the agent spends dialling out (e.g. 20)")
    rule = value.get("rule", "after_queue")
    if rule not in RULES:
        raise SimulationInputError(f"{where}.rule must be one of {', '.join(RULES)}, got "
                                   f"{rule!r}.")
    level = value.get("service_level", "excluded")
    if level not in SERVICE_LEVELS:
        raise SimulationInputError(f"{where}.service_level must be one of "
                                   f"{', '.join(SERVICE_LEVELS)}, got {level!r}.")
    return CallbackSpec(offer, share, rule, promise, dial, level == "promise")


class Callbacks:
    """The callbacks of one environment (module docstring): offers, lists, waiting counts.

    Parameters
    ----------
    specs : dict of int to CallbackSpec
        The channels with callbacks.
    rngs : dict of int to numpy.random.Generator
        Per channel with callbacks, its acceptance stream.
    serving : dict of int to list of set
        Per channel, the on-duty agent sets of the groups that serve it.
    concurrency : dict of int to int
        Per channel, contacts one agent works at once.
    aht_s : numpy.ndarray
        (channels, intervals) mean handle times, seconds.
    ledger : simulator._ledger.Ledger
        Receives the counts.
    push : dict of int to callable
        Per channel, puts an entry into its line (``in_turn`` callbacks).
    """

    def __init__(self, specs, rngs, serving, concurrency, aht_s, ledger, push):
        self.specs, self.rngs, self.serving = specs, rngs, serving
        self.concurrency, self.aht_s, self.ledger, self.push = concurrency, aht_s, ledger, push
        self.lists = {c: deque() for c in specs}  # (iv, accepted, handle, class, tag)
        # Contacts in the line still waiting: a heap of finite deadlines, those taken from the
        # line before their deadline (discounted until it pops), and the entries that never
        # give up (no patience; in_turn callbacks, which are also counted apart).
        self.deadlines = {c: [] for c in specs}
        self.taken = {c: set() for c in specs}
        self.endless = dict.fromkeys(specs, 0)
        self.in_line = dict.fromkeys(specs, 0)

    def joined(self, c, cid, deadline):
        """An entry joins channel ``c``'s line."""
        if c in self.specs:
            if math.isfinite(deadline):
                heapq.heappush(self.deadlines[c], (deadline, cid))
            else:
                self.endless[c] += 1

    def left(self, c, cid, deadline):
        """An entry is taken from channel ``c``'s line by an agent (``cid`` < 0: a callback)."""
        if c in self.specs:
            if math.isfinite(deadline):
                self.taken[c].add(cid)
            else:
                self.endless[c] -= 1
                if cid < 0:
                    self.in_line[c] -= 1

    def waiting(self, c, now):
        """Entries of channel ``c``'s line still waiting at ``now``."""
        heap, taken = self.deadlines[c], self.taken[c]
        while heap and heap[0][0] < now:
            taken.discard(heapq.heappop(heap)[1])
        return len(heap) - len(taken) + self.endless[c]

    def arrives(self, c, iv, now, handle_s, cls, cid, deadline, tag=None):
        """A caller of channel ``c`` must queue: offers a callback when the expected wait
        exceeds the threshold. True if the caller accepted (and left the line); otherwise the
        caller is counted as waiting."""
        spec = self.specs.get(c)
        if spec is not None:
            agents = sum(len(on_duty) for on_duty in self.serving[c]) * self.concurrency[c]
            ahead = self.waiting(c, now)
            expected = (ahead + 1) * self.aht_s[c, iv] / agents if agents else math.inf
            if expected > spec.offer_above_s:
                accepted = bool(self.rngs[c].random() < spec.accept_share)
                self.ledger.callback_offered(c, iv, accepted)
                if accepted:
                    if spec.rule == "in_turn":  # keeps its place; never gives up
                        self.push[c]((iv, now, math.inf, handle_s, -cid, cls, tag))
                        self.endless[c] += 1
                        self.in_line[c] += 1
                    else:
                        self.lists[c].append((iv, now, handle_s, cls, tag))
                    return True
        self.joined(c, cid, deadline)
        return False

    def due(self, c, now):
        """Under ``promise``, channel ``c``'s oldest callback if it has waited half the promise
        (it goes ahead of the inbound line), as the engine's line entries: (interval,
        arrived, handle, class, tag, True)."""
        spec = self.specs.get(c)
        if spec is None or spec.rule != "promise":
            return None
        waiting = self.lists[c]
        if waiting and now - waiting[0][1] >= 0.5 * spec.promise_s:
            return (*waiting.popleft(), True)
        return None

    def next_in_list(self, order):
        """The first callback waiting in the lists of the channels ``order`` (most urgent
        first): (channel, (interval, arrived, handle, class, tag, True)), or None."""
        for c in order:
            waiting = self.lists.get(c)
            if waiting:
                return c, (*waiting.popleft(), True)
        return None

    def made(self, c, iv, arrived, now, handle_s, cls, tag=None):
        """An agent starts a callback at ``now``: counted; returns the agent's work on it,
        seconds (the dial + the handle time)."""
        work = self.specs[c].dial_s + handle_s
        self.ledger.callback_made(c, iv, arrived, now, work, cls, tag)
        return work

    def close(self, horizon_s):
        """The callbacks still in the lists at the end of the horizon are pending."""
        for c, waiting in self.lists.items():
            for iv, arrived, handle_s, cls, tag in waiting:
                self.ledger.callback_pending(c, iv, arrived, horizon_s,
                                             self.specs[c].dial_s + handle_s, cls, tag)
