"""The time-varying contact centre on SimPy's scheduler (first slice: dedicated pools).

What this slice models, per channel and independently of the other channels:

* arrivals: a non-homogeneous Poisson process, piecewise constant per
  interval: ``Poisson(offered)`` contacts in each interval, at independent
  uniform times inside it;
* volumes: optionally one gamma multiplier (mean 1) per calendar day, for the
  day-level correlation that forecast error has (over-dispersion);
* handle times: exponential, lognormal or empirical with the interval's
  ``aht_s`` as mean; patience exponential, lognormal, empirical or none
  (see ``_distributions``); an optional backlog waiting at the start;
* agents: a number on duty per interval (the ``coverage`` table). When it
  rises, the new agents take waiting contacts at once; when it falls, idle
  agents leave first; if more must go, that many busy agents, picked at
  random (their time being up is unrelated to their calls), finish the
  contact in hand and then go (the time past the interval edge is recorded as
  overtime, in the intervals where it is worked, up to the end of the horizon;
  if staffing rises again first, such an agent stays on and is paid overtime
  until then), so per interval paid time = scheduled time + overtime;
* service: first come, first served. A contact that runs out of patience is
  dropped when an agent next looks at the queue (exact under FCFS), and at
  the end of the horizon.

Statistics are kept per (channel, interval in which the contact arrived) as
the simulation runs; the clock is float seconds from the start of the first
interval. Skills, shared agents, shifts with breaks, chat concurrency and
email backlogs come in later slices of the simulator issue.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import deque

import numpy as np
import simpy
from simpy.events import NORMAL, URGENT, Timeout

# Per-interval counters kept for each channel (index into a row of floats).
_OFFERED, _ANSWERED, _ABANDONED, _WITHIN, _WAIT_ALL, _WAIT_ANSWERED, _BUSY_S, _DUTY_S, \
    _OVERTIME_S, _MAX_WAIT, _WAITING_END, _QUEUE_S, _MAX_QUEUE = range(13)
N_COUNTERS = 13
#: Edges of the wait histogram kept per interval (seconds): 0 exactly, then log-spaced bins
#: from 0.5 s to a week, each about 5% wide; percentiles interpolate inside a bin.
WAIT_EDGES = np.concatenate([[0.0], np.geomspace(0.5, 7 * 86400.0, 300)])
_EDGE_LIST = WAIT_EDGES.tolist()


def draw_arrivals(rng, expected, aht_s, spec, interval_s):
    """One interval's contacts: Poisson(expected) arrival offsets (sorted, uniform in the
    interval), handle times with mean ``aht_s`` and patiences, as lists."""
    n = rng.poisson(expected)
    if not n:
        return [], [], []
    times = np.sort(rng.uniform(0.0, interval_s, n))
    services = spec["handle"].sample(rng, aht_s, n, rescale=True)
    gives = spec["patience"].sample(rng, spec["patience_mean_s"], n, rescale=False)
    return times.tolist(), services.tolist(), gives.tolist()


def _at(env, callback, value, delay, priority=NORMAL):
    """Schedule ``callback(event)`` in ``delay`` seconds, with ``event._value = value``."""
    ev = _event(env, callback)
    ev._value = value
    env.schedule(ev, priority, delay)


def _event(env, callback):
    """A bare scheduled event with one callback (a Timeout without its constructor)."""
    ev = Timeout.__new__(Timeout)
    ev.env = env
    ev.callbacks = [callback]
    ev._value = None
    ev._ok = True
    return ev


def run_replication(offered, aht_s, changes, interval_s, channels, day_index, seed_seq,
                    log=None, replication=0, names=()):
    """Simulate every channel over the horizon once.

    Parameters
    ----------
    offered, aht_s : numpy.ndarray
        Shape (channels, intervals): expected contacts and mean handle time (s).
    changes : list of list of (float, int)
        Per channel, time-ordered (seconds, agents on duty) changes.
    interval_s : float
        Interval length, seconds.
    channels : list of dict
        Per channel: ``within_s``, ``handle`` and ``patience`` (Distribution),
        ``patience_mean_s``, ``overdispersion_cv``, ``initial_backlog``.
    day_index : numpy.ndarray
        Calendar day of each interval (0, 1, ...), for the day-level volume
        multiplier.
    seed_seq : numpy.random.SeedSequence
        The replication's seed; each channel draws from its own spawn of it.
    log : ContactLog, optional
        Receives one row per contact; ``replication`` and ``names`` label them.

    Returns
    -------
    tuple of numpy.ndarray
        Counters, shape (channels, intervals, N_COUNTERS), and wait histograms,
        shape (channels, intervals, len(WAIT_EDGES)).
    """
    n_ch, n_iv = offered.shape
    out = np.zeros((n_ch, n_iv, N_COUNTERS))
    hist = np.zeros((n_ch, n_iv, WAIT_EDGES.size))
    for c, ch_seed in enumerate(seed_seq.spawn(n_ch)):
        # Demand (arrivals, handle times, patience) and staffing decisions draw from separate
        # streams, so two plans run with the same seed see the same contacts (common random
        # numbers): comparing them is not noise.
        demand_seed, staff_seed = ch_seed.spawn(2)
        ch_rng = (np.random.default_rng(demand_seed), np.random.default_rng(staff_seed))
        if log is not None:
            log.switch(replication, names[c], channels[c].get("class_names", ("",)))
        _run_channel(offered[c], aht_s[c], changes[c], interval_s, channels[c], day_index,
                     ch_rng, out[c], hist[c], log)
    return out, hist


def _run_channel(offered, aht, changes, interval_s, spec, day_index, rngs, stats, hist,
                 log=None):
    rng, staff_rng = rngs
    n_iv = offered.size
    within = float(spec["within_s"])
    handle, patience, patience_mean = spec["handle"], spec["patience"], spec["patience_mean_s"]
    cv = float(spec["overdispersion_cv"])
    # Forecast error as one multiplier per calendar day (gamma, mean 1, the given CV).
    n_days = int(day_index.max()) + 1 if day_index.size else 0
    day_factor = (rng.gamma(1.0 / cv**2, cv**2, n_days) if cv > 0 else np.ones(n_days))
    horizon = n_iv * interval_s
    env = simpy.Environment()
    schedule = env.schedule
    # Waiting contacts: (interval, arrived, deadline, handle, id, class). First come, first
    # served; with priority classes, ordered by arrival minus the class's head start.
    heads = spec.get("head_starts_s", ())
    shares = spec.get("class_shares", ())
    if heads:
        heap: list = []

        def push(item):
            heapq.heappush(heap, (item[1] - heads[item[5]], item[4], item))

        def pop():
            return heapq.heappop(heap)[2]

        def waiting():
            return len(heap)

        def leftovers():
            return [entry[2] for entry in heap]
    else:
        line: deque = deque()
        push, pop = line.append, line.popleft

        def waiting():
            return len(line)

        def leftovers():
            return list(line)

    def draw_classes(n):
        return rng.choice(len(shares), size=n, p=shares).tolist() if heads else [0] * n
    # duty: agents on duty who stay (busy or idle); busy: of those, the ones serving.
    # Agents past the end of their time who are still serving are tracked by their service
    # event in `leaving` (event -> edge time); they go when that contact ends.
    state = {"duty": 0, "busy": 0, "last": 0.0, "iv": 0}
    serving: dict = {}  # service-completion event -> None, for agents who stay
    leaving: dict = {}
    # The deque keeps callers who have already given up until an agent looks. The true
    # queue length is tracked apart: a heap of the queued callers' deadlines, where those
    # answered before their deadline are discounted until their deadline pops.
    deadlines: list = []
    answered_early = {"n": 0, "ids": set()}
    seq = {"n": 0}

    def true_queue(now):
        while deadlines and deadlines[0][0] <= now:
            _, cid = heapq.heappop(deadlines)
            if cid in answered_early["ids"]:
                answered_early["ids"].discard(cid)
                answered_early["n"] -= 1
        return len(deadlines) - answered_early["n"]

    def note_queue(now, iv):
        length = true_queue(now) if math.isfinite(patience_mean) or deadlines else waiting()
        if length > stats[iv][_MAX_QUEUE]:
            stats[iv][_MAX_QUEUE] = length

    def account(now):
        """Add busy and paid agent-seconds since the last change to the current interval."""
        dt = now - state["last"]
        if dt > 0:
            row = stats[state["iv"]]
            row[_BUSY_S] += (state["busy"] + len(leaving)) * dt
            row[_DUTY_S] += (state["duty"] + len(leaving)) * dt
        state["last"] = now

    def spread(col, begin, end):
        """Add the time from ``begin`` to ``end`` to counter ``col`` of the intervals it spans."""
        i0 = int(begin // interval_s)
        i1 = min(int(end // interval_s), n_iv - 1)
        if i0 == i1:
            stats[i0][col] += end - begin
            return
        stats[i0][col] += (i0 + 1) * interval_s - begin
        for i in range(i0 + 1, i1):
            stats[i][col] += interval_s
        stats[i1][col] += end - i1 * interval_s

    def queued(arrived, end):
        """Spread the time a contact spent waiting over the intervals it spans."""
        spread(_QUEUE_S, arrived, end)

    def overtime(edge, end):
        """Book an agent's time past its edge as overtime in the intervals where it is worked
        (as its paid time is), so that per interval paid = scheduled + overtime."""
        if end > edge:
            spread(_OVERTIME_S, edge, end)

    def start(iv, arrived, service, now, cls=0):
        wait = now - arrived
        if log is not None:
            log.add(iv, arrived, wait, 0, service, cls)
        hist[iv][bisect_right(_EDGE_LIST, wait) - 1] += 1
        if wait > 0.0:
            queued(arrived, now)
        row = stats[iv]
        row[_ANSWERED] += 1
        row[_WAIT_ALL] += wait
        row[_WAIT_ANSWERED] += wait
        if wait <= within:
            row[_WITHIN] += 1
        if wait > row[_MAX_WAIT]:
            row[_MAX_WAIT] = wait
        state["busy"] += 1
        done = _event(env, on_done)
        serving[done] = None
        schedule(done, NORMAL, service)

    def abandon(iv, waited, arrived, service=float("nan"), cls=0):
        if log is not None:
            log.add(iv, arrived, waited, 1, service, cls)
        hist[iv][bisect_right(_EDGE_LIST, waited) - 1] += 1
        queued(arrived, arrived + waited)
        row = stats[iv]
        row[_ABANDONED] += 1
        row[_WAIT_ALL] += waited
        if waited > row[_MAX_WAIT]:
            row[_MAX_WAIT] = waited

    def next_from_queue(now):
        """A free agent takes the first contact still waiting; True if one was found."""
        while waiting():
            iv, arrived, deadline, service, cid, cls = pop()
            if deadline < now:
                abandon(iv, deadline - arrived, arrived, service, cls)
                continue
            if math.isfinite(deadline):
                answered_early["ids"].add(cid)
                answered_early["n"] += 1
            start(iv, arrived, service, now, cls)
            return True
        return False

    def on_done(event):
        now = env.now
        account(now)
        edge = leaving.pop(event, None)
        if edge is not None:  # past its time: this agent leaves; its overtime is recorded
            overtime(edge, now)
            return
        del serving[event]
        state["busy"] -= 1
        next_from_queue(now)

    def on_arrival(event):
        now = env.now
        account(now)
        iv, service, give, cls = event._value
        stats[iv][_OFFERED] += 1
        if state["duty"] > state["busy"]:
            start(iv, now, service, now, cls)
        else:
            deadline = now + give
            seq["n"] += 1
            push((iv, now, deadline, service, seq["n"], cls))
            if math.isfinite(deadline):
                heapq.heappush(deadlines, (deadline, seq["n"]))
            note_queue(now, iv)

    def set_staff(target, now):
        """Change the number of agents on duty to ``target`` at ``now``."""
        if target >= state["duty"]:
            # Agents finishing past their time stay on instead, then new agents come. The time
            # from their edge until now was worked past their time: overtime.
            while leaving and state["duty"] < target:
                back, edge = leaving.popitem()
                overtime(edge, now)
                serving[back] = None
                state["duty"] += 1
                state["busy"] += 1
            state["duty"] = target
            while state["duty"] > state["busy"] and next_from_queue(now):
                pass
        else:
            drop = state["duty"] - target
            idle_leave = min(drop, state["duty"] - state["busy"])
            busy_leave = drop - idle_leave
            state["duty"] = target
            if busy_leave:
                # Which busy agents' time is up is unrelated to their calls: pick at random.
                events = list(serving)
                picks = staff_rng.choice(len(events), size=busy_leave, replace=False)
                for j in np.sort(picks).tolist():
                    ev = events[j]
                    del serving[ev]
                    leaving[ev] = now
                state["busy"] -= busy_leave

    def on_staff(event):
        now = env.now
        account(now)
        set_staff(event._value, now)

    def on_interval(event):
        now = env.now
        account(now)
        iv = event._value
        state["iv"] = iv
        note_queue(now, iv)
        times, services, gives = draw_arrivals(rng, offered[iv] * day_factor[day_index[iv]],
                                               aht[iv], spec, interval_s)
        if times:
            classes = draw_classes(len(times))
            for t, s, g, k in zip(times, services, gives, classes, strict=True):
                _at(env, on_arrival, (iv, s, g, k), t)
        if iv + 1 < n_iv:
            _at(env, on_interval, iv + 1, interval_s, URGENT)

    backlog = int(spec["initial_backlog"])
    if backlog:  # contacts already waiting at the start, counted in the first interval
        services = handle.sample(rng, aht[0], backlog, rescale=True)
        gives = patience.sample(rng, patience_mean, backlog, rescale=False)
        for s_, g_, k_ in zip(services.tolist(), gives.tolist(), draw_classes(backlog),
                              strict=True):
            seq["n"] += 1
            push((0, 0.0, g_, s_, seq["n"], k_))
            if math.isfinite(g_):
                heapq.heappush(deadlines, (g_, seq["n"]))
        stats[0][_OFFERED] += backlog
    _at(env, on_interval, 0, 0.0, URGENT)
    for t, target in changes:  # agents on duty: from the coverage table or the roster
        _at(env, on_staff, int(target), t)
    env.run(until=horizon)
    account(horizon)
    for edge in leaving.values():  # still serving past their time at the end: paid so far
        overtime(edge, horizon)
    for iv, arrived, deadline, service, _cid, cls in leftovers():
        if deadline <= horizon:
            abandon(iv, deadline - arrived, arrived, service, cls)
        else:
            # Still waiting: the wait so far counts in the mean, the maximum and the p90 alike.
            wait = horizon - arrived
            if log is not None:
                log.add(iv, arrived, wait, 2, service, cls)
            row = stats[iv]
            row[_WAITING_END] += 1
            row[_WAIT_ALL] += wait
            if wait > row[_MAX_WAIT]:
                row[_MAX_WAIT] = wait
            hist[iv][bisect_right(_EDGE_LIST, wait) - 1] += 1
            queued(arrived, horizon)
