"""One stationary queue (M/M/n or M/M/n+M), simulated on SimPy's event scheduler.

Used to validate the staffing engine and to benchmark. Contacts are not
SimPy processes: each arrival and each service completion is one scheduled
event with a callback, which keeps the cost per contact small. Service is
first come, first served, so a caller who runs out of patience can be
dropped when an agent next looks at the queue, at no event of its own, and
still exactly: under FCFS nobody behind them is served any earlier or later
because of when their departure is noticed.

Statistics are aggregated while the simulation runs, in batches of
consecutive contacts (by arrival order); memory does not grow with the
number of contacts. The first ``warmup_contacts`` contacts (default 10%, at
least 1,000) are simulated but not measured, since the queue starts empty.
Confidence intervals are batch-means intervals: the KPI is computed per
batch, and the interval is ``mean ± t(confidence, n_batches - 1) · sd /
sqrt(n_batches)``.
"""

from __future__ import annotations

import math
import warnings
from collections import deque
from dataclasses import asdict, dataclass

import numpy as np
import simpy
from simpy.events import NORMAL

from ._errors import SimulationInputError
from ._intervals import interval_from_se

_CHUNK = 1 << 15  # random numbers drawn per block
_KPIS = ("mean_wait_s", "p_wait", "abandon_rate", "service_level")


@dataclass(frozen=True)
class QueueResult:
    """KPIs of one simulated stationary queue, with confidence intervals.

    Definitions match :func:`staffing.queue_kpis`: ``mean_wait_s`` is the mean
    wait over all measured contacts (an abandoning contact's wait is its
    patience); ``p_wait`` the share that found every agent busy;
    ``abandon_rate`` the share that abandoned; ``service_level`` the share
    answered within ``answer_within_s`` (abandoned contacts count as misses).
    Every KPI ``x`` comes with ``x_ci_low`` and ``x_ci_high`` at
    ``confidence``. Fields can also be read as keys (``result["p_wait"]``).
    """

    mean_wait_s: float
    mean_wait_s_ci_low: float
    mean_wait_s_ci_high: float
    p_wait: float
    p_wait_ci_low: float
    p_wait_ci_high: float
    abandon_rate: float
    abandon_rate_ci_low: float
    abandon_rate_ci_high: float
    service_level: float
    service_level_ci_low: float
    service_level_ci_high: float
    offered: int
    answered: int
    abandoned: int
    waiting_at_end: int
    measured: int
    warmup_contacts: int
    n_batches: int
    confidence: float

    def __getitem__(self, key: str):
        return getattr(self, key)

    def to_dict(self) -> dict:
        """The result as a plain dict of its fields."""
        return asdict(self)


def simulate_queue(n_agents: int, arrival_rate_per_s: float, aht_s: float,
                   mean_patience_s: float | None = None, n_contacts: int = 200_000,
                   seed: int = 0, answer_within_s: float = 20.0, *,
                   warmup_contacts: int | None = None, n_batches: int = 20,
                   confidence: float = 0.95) -> QueueResult:
    """Simulate one stationary M/M/n queue (M/M/n+M with patience) and measure its KPIs.

    Parameters
    ----------
    n_agents : int
        Agents, >= 0. Zero is valid: everyone waits and, with patience,
        abandons.
    arrival_rate_per_s : float
        Poisson arrival rate, contacts per second, > 0.
    aht_s : float
        Mean of the exponential handle time, seconds, > 0.
    mean_patience_s : float or None, optional
        MEAN of the exponential patience, seconds, > 0; ``None``: nobody
        abandons.
    n_contacts : int, optional
        Contacts to simulate, warm-up included, >= 2,000.
    seed : int, optional
        Seed of ``numpy.random.SeedSequence``; arrivals, handle times and
        patience draw from three spawned streams, so that two runs with the
        same seed and different ``n_agents`` see the same contacts (common
        random numbers).
    answer_within_s : float, optional
        Service-level threshold, seconds, >= 0.
    warmup_contacts : int, optional
        Contacts simulated but not measured at the start (the queue starts
        empty). Default: 10% of ``n_contacts``, at least 1,000.
    n_batches : int, optional
        Batches for the batch-means confidence intervals, >= 5.
    confidence : float, optional
        Level of the confidence intervals, in (0, 1).

    Returns
    -------
    QueueResult
        KPIs with confidence intervals, and counts: ``offered`` (measured
        contacts), ``answered``, ``abandoned``, ``waiting_at_end`` (measured
        contacts still queued when the run ends: only without patience and
        with no agent).

    Examples
    --------
    >>> r = simulate_queue(2, 1 / 60, 60, n_contacts=20_000, seed=1)
    >>> r.p_wait_ci_low < 1 / 3 < r.p_wait_ci_high   # Erlang C: 1 erlang on 2 agents
    True
    """
    func = "simulate_queue()"
    n_agents = _whole(func, "n_agents", n_agents, 0)
    rate = _positive(func, "arrival_rate_per_s", arrival_rate_per_s, "contacts per second")
    aht = _positive(func, "aht_s", aht_s, "seconds")
    patience = (math.inf if mean_patience_s is None
                else _positive(func, "mean_patience_s", mean_patience_s, "seconds"))
    n_contacts = _whole(func, "n_contacts", n_contacts, 2_000)
    seed = _whole(func, "seed", seed, 0)
    within = float(answer_within_s)
    if not within >= 0:
        raise SimulationInputError(f"{func}: answer_within_s must be >= 0 seconds, got "
                                   f"{answer_within_s!r}.")
    n_batches = _whole(func, "n_batches", n_batches, 5)
    if not 0 < confidence < 1:
        raise SimulationInputError(f"{func}: confidence must be in (0, 1), got {confidence!r}.")
    warm = (max(1_000, n_contacts // 10) if warmup_contacts is None
            else _whole(func, "warmup_contacts", warmup_contacts, 0))
    if n_contacts - warm < 10 * n_batches:
        raise SimulationInputError(
            f"{func}: n_contacts={n_contacts} leaves {n_contacts - warm} contacts after the "
            f"warm-up of {warm}, fewer than 10 per batch ({n_batches} batches). Simulate more "
            "contacts or shorten warmup_contacts."
        )
    if math.isinf(patience) and rate * aht >= n_agents:
        warnings.warn(
            f"{func}: offered load {rate * aht:.4g} erlangs on {n_agents} agents with no "
            "abandonment has no steady state: waits grow with n_contacts.",
            RuntimeWarning, stacklevel=2,
        )
    totals = _run(n_agents, rate, aht, patience, n_contacts, seed, within, warm, n_batches)
    return _summarise(totals, warm, n_batches, confidence)


def _run(n_agents, rate, aht, patience, n_contacts, seed, within, warm, n_batches):
    """Run the event simulation; return per-batch sums and overall counts."""
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)]
    arrival_rng, service_rng, patience_rng = streams
    batch_size = (n_contacts - warm) // n_batches
    # per batch: contacts, waited, abandoned, answered within T, sum of waits
    count = [0] * n_batches
    waited = [0] * n_batches
    gave_up = [0] * n_batches
    within_t = [0] * n_batches
    wait_sum = [0.0] * n_batches

    env = simpy.Environment()
    schedule, timeout = env.schedule, env.timeout
    queue: deque = deque()
    free = n_agents
    answered = abandoned = 0
    next_k = 0
    gaps = services = patiences = None

    def draws():
        nonlocal gaps, services, patiences
        gaps = arrival_rng.exponential(1.0 / rate, _CHUNK).tolist()
        services = service_rng.exponential(aht, _CHUNK).tolist()
        patiences = (patience_rng.exponential(patience, _CHUNK).tolist()
                     if math.isfinite(patience) else None)

    def measured(k, wait):
        """Add an answered contact's wait to its batch (after the warm-up)."""
        b = (k - warm) // batch_size
        if b >= n_batches:
            b = n_batches - 1
        count[b] += 1
        wait_sum[b] += wait
        if wait > 0.0:
            waited[b] += 1
        if wait <= within:
            within_t[b] += 1

    def give_up(k, wait):
        nonlocal abandoned
        if k >= warm:
            b = min((k - warm) // batch_size, n_batches - 1)
            count[b] += 1
            waited[b] += 1
            gave_up[b] += 1
            wait_sum[b] += wait
            abandoned += 1

    spare: list = []

    # Events are reused, through SimPy's public API (Environment.schedule, Event.callbacks):
    # SimPy sets an event's callbacks to None once processed, and an event given new
    # callbacks can be scheduled again. A completion event stays with its agent, the arrival
    # event with the arrival stream; both are made by env.timeout the first time.
    def on_done(event):
        nonlocal free, answered
        now = env.now
        while queue:
            k, arrived, deadline, service = queue.popleft()
            if deadline < now:  # gave up at its deadline, before this agent was free
                give_up(k, deadline - arrived)
                continue
            if k >= warm:
                measured(k, now - arrived)
                answered += 1
            event.callbacks = [on_done]
            schedule(event, NORMAL, service)
            return
        free += 1
        spare.append(event)  # the idle agent keeps its event for its next contact

    def on_arrival(event):
        nonlocal free, next_k, answered
        k = next_k
        i = k % _CHUNK
        now = env.now
        service = services[i]
        if free > 0:
            free -= 1
            if k >= warm:
                measured(k, 0.0)
                answered += 1
            if spare:
                done = spare.pop()
                done.callbacks = [on_done]
                schedule(done, NORMAL, service)
            else:  # a new agent's first contact: a new timeout (it schedules itself)
                timeout(service).callbacks.append(on_done)
        else:
            queue.append((k, now, now + patiences[i] if patiences is not None else math.inf,
                          service))
        next_k = k + 1
        if next_k < n_contacts:
            if i == _CHUNK - 1:
                draws()
            event.callbacks = [on_arrival]
            schedule(event, NORMAL, gaps[next_k % _CHUNK])

    draws()
    timeout(gaps[0]).callbacks.append(on_arrival)
    env.run()
    # Whoever is left queued: abandoned at their deadline, or (no patience) still waiting.
    waiting_at_end = 0
    for k, arrived, deadline, _service in queue:
        if math.isfinite(deadline):
            give_up(k, deadline - arrived)
        elif k >= warm:
            waiting_at_end += 1
    return {
        "count": count, "waited": waited, "gave_up": gave_up, "within": within_t,
        "wait_sum": wait_sum, "answered": answered, "abandoned": abandoned,
        "waiting_at_end": waiting_at_end,
    }


def _summarise(t, warm, n_batches, confidence) -> QueueResult:
    count = np.array(t["count"], dtype=float)
    per_batch = {
        "mean_wait_s": np.array(t["wait_sum"]) / np.maximum(count, 1.0),
        "p_wait": np.array(t["waited"]) / np.maximum(count, 1.0),
        "abandon_rate": np.array(t["gave_up"]) / np.maximum(count, 1.0),
        "service_level": np.array(t["within"]) / np.maximum(count, 1.0),
    }
    total = max(count.sum(), 1.0)
    overall = {
        "mean_wait_s": sum(t["wait_sum"]) / total,
        "p_wait": sum(t["waited"]) / total,
        "abandon_rate": sum(t["gave_up"]) / total,
        "service_level": sum(t["within"]) / total,
    }
    # Batch means: the batches are nearly independent, so the interval is the one for a mean
    # over replications, kept in the KPI's range (simulator._intervals).
    fields = {}
    for name in _KPIS:
        se = float(np.std(per_batch[name], ddof=1)) / math.sqrt(n_batches)
        low, high = interval_from_se(overall[name], se, n_batches - 1,
                                     kind="nonnegative" if name == "mean_wait_s" else "fraction",
                                     n_contacts=total, confidence=confidence)
        fields[name] = float(overall[name])
        fields[name + "_ci_low"] = float(low)
        fields[name + "_ci_high"] = float(high)
    return QueueResult(
        **fields,
        offered=int(count.sum()) + t["waiting_at_end"],
        answered=t["answered"],
        abandoned=t["abandoned"],
        waiting_at_end=t["waiting_at_end"],
        measured=int(count.sum()),
        warmup_contacts=warm,
        n_batches=n_batches,
        confidence=confidence,
    )


def _whole(func: str, name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not float(value).is_integer() or value < minimum:
        raise SimulationInputError(
            f"{func}: {name} must be a whole number >= {minimum}, got {value!r}."
        )
    return int(value)


def _positive(func: str, name: str, value, unit: str) -> float:
    number = float(value)
    if not (number > 0 and math.isfinite(number)):
        raise SimulationInputError(f"{func}: {name} must be a finite number > 0 {unit}, got "
                                   f"{value!r}.")
    return number
