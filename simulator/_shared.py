"""Shared agents: agent groups with skill sets, serving several channels (one SimPy run).

Routing, as most ACDs do it:

* a contact that arrives goes to the agent who has been idle longest among the
  idle agents with its channel's skill; if there is none it queues in its
  channel's line (first come, first served);
* an agent who becomes free takes work by channel priority (the
  ``channel_priority`` order, among its skills), first come first served
  within a channel;
* agents per group change over time (coverage per group and interval, or a
  roster by group): new agents look for work at once; when the number falls,
  idle agents go first (the most recently idle), then busy agents picked at
  random, who finish the contact in hand (overtime recorded in the intervals
  where it is worked, up to the end of the horizon).

Abandonment is lazy as in the dedicated-pool engine (exact under FCFS per
channel). Statistics are kept per channel and interval of arrival, as there.
Busy and paid time belong to agents, not channels, so per-channel occupancy is
not defined here (NaN); the per-group occupancy is returned separately.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import deque

import numpy as np
import simpy
from simpy.events import NORMAL, URGENT

from ._centre import (
    _ABANDONED,
    _ANSWERED,
    _EDGE_LIST,
    _MAX_QUEUE,
    _MAX_WAIT,
    _OFFERED,
    _OVERTIME_S,
    _QUEUE_S,
    _WAIT_ALL,
    _WAIT_ANSWERED,
    _WAITING_END,
    _WITHIN,
    N_COUNTERS,
    WAIT_EDGES,
    _at,
    _event,
    draw_arrivals,
)


def run_shared_replication(offered, aht_s, interval_s, specs, day_index, seed_seq,
                           group_skills, group_changes, priority):
    """One replication of the whole centre with shared agents.

    Parameters
    ----------
    offered, aht_s : numpy.ndarray
        Shape (channels, intervals).
    interval_s : float
        Interval length, seconds.
    specs : list of dict
        Per channel, as for the dedicated engine (no priority classes).
    day_index : numpy.ndarray
        Calendar day of each interval.
    seed_seq : numpy.random.SeedSequence
        The replication's seed.
    group_skills : list of list of int
        Per group, the channels (indices) its agents can serve.
    group_changes : list of list of (float, int)
        Per group, time-ordered (seconds, agents on duty) changes.
    priority : list of int
        Channel indices, most urgent first.

    Returns
    -------
    tuple of numpy.ndarray
        Counters (channels, intervals, N_COUNTERS), wait histograms (channels,
        intervals, bins), and per group and interval busy and paid
        agent-seconds (groups, intervals, 2).
    """
    n_ch, n_iv = offered.shape
    n_gr = len(group_skills)
    stats = np.zeros((n_ch, n_iv, N_COUNTERS))
    hist = np.zeros((n_ch, n_iv, WAIT_EDGES.size))
    group_time = np.zeros((n_gr, n_iv, 2))
    # Separate streams: one per channel for demand, one for staffing decisions (common
    # random numbers across plans, and across channel sets).
    *demand_seeds, staff_seed = seed_seq.spawn(n_ch + 1)
    demand = [np.random.default_rng(sd) for sd in demand_seeds]
    staff_rng = np.random.default_rng(staff_seed)
    horizon = n_iv * interval_s
    env = simpy.Environment()
    schedule = env.schedule
    lines = [deque() for _ in range(n_ch)]
    # idle agents per channel: heap of (idle since, agent); stale entries are skipped
    idle_by_channel: list[list] = [[] for _ in range(n_ch)]
    # agent -> [group, state, idle_since]; state 0 idle, 1 busy, 2 busy and leaving, 3 gone
    agents: dict[int, list] = {}
    on_duty = [set() for _ in range(n_gr)]  # agents who stay (idle or busy)
    leaving_at: dict[int, tuple] = {}
    skills_order = [[c for c in priority if c in group_skills[g]] for g in range(n_gr)]
    state = {"iv": 0, "last": 0.0, "next_id": 0}
    busy = [0] * n_gr  # staying agents who are serving
    gone_later = [0] * n_gr  # agents past their time, finishing a contact
    within = [s["within_s"] for s in specs]
    n_days = int(day_index.max()) + 1 if day_index.size else 0
    factors = [demand[c].gamma(1.0 / s["overdispersion_cv"] ** 2, s["overdispersion_cv"] ** 2,
                               n_days) if s["overdispersion_cv"] > 0 else np.ones(n_days)
               for c, s in enumerate(specs)]

    def account(now):
        dt = now - state["last"]
        if dt > 0:
            iv = state["iv"]
            for g in range(n_gr):
                group_time[g, iv, 0] += (busy[g] + gone_later[g]) * dt
                group_time[g, iv, 1] += (len(on_duty[g]) + gone_later[g]) * dt
        state["last"] = now

    def queued(c, arrived, end):
        i0 = int(arrived // interval_s)
        i1 = min(int(end // interval_s), n_iv - 1)
        for i in range(i0, i1 + 1):
            lo, hi = max(arrived, i * interval_s), min(end, (i + 1) * interval_s)
            if hi > lo:
                stats[c, i, _QUEUE_S] += hi - lo

    def record(c, iv, arrived, wait, answered):
        row = stats[c, iv]
        hist[c, iv, bisect_right(_EDGE_LIST, wait) - 1] += 1
        row[_WAIT_ALL] += wait
        if wait > row[_MAX_WAIT]:
            row[_MAX_WAIT] = wait
        if wait > 0:
            queued(c, arrived, arrived + wait)
        if answered:
            row[_ANSWERED] += 1
            row[_WAIT_ANSWERED] += wait
            if wait <= within[c]:
                row[_WITHIN] += 1
        else:
            row[_ABANDONED] += 1

    # Chat-like channels: an agent may hold up to `concurrency` contacts of that channel at
    # once; each lasts its drawn handle time x (1 + stretch x (chats in hand - 1)), the
    # number in hand counted when it starts. agents[a] = [group, state, idle since, load,
    # channel in hand, version]; state 0 idle, 1 busy, 2 busy and leaving, 3 gone.
    conc = [int(s.get("concurrency", 1)) for s in specs]
    stretch = [float(s.get("stretch", 0.0)) for s in specs]
    open_slots: list[list] = [[] for _ in range(n_ch)]  # (load, since, version, agent)

    def serve(agent, c, iv, arrived, service, now):
        record(c, iv, arrived, now - arrived, True)
        info = agents[agent]
        if info[3] == 0:
            busy[info[0]] += 1
        info[1], info[3], info[4] = 1, info[3] + 1, c
        info[5] += 1
        if conc[c] > 1:
            service *= 1.0 + stretch[c] * (info[3] - 1)
            if info[3] < conc[c]:
                heapq.heappush(open_slots[c], (info[3], now, info[5], agent))
        done = _event(env, on_done)
        done._value = (agent, c)
        schedule(done, NORMAL, service)

    def make_idle(agent, now):
        info = agents[agent]
        info[1], info[2] = 0, now
        info[5] += 1
        for c in group_skills[info[0]]:
            heapq.heappush(idle_by_channel[c], (now, agent))

    def next_waiting(c, now):
        """The first contact still waiting in channel c's line (dropping those gone)."""
        line = lines[c]
        while line:
            iv, arrived, deadline, service = line.popleft()
            if deadline < now:
                record(c, iv, arrived, deadline - arrived, False)
                continue
            return iv, arrived, service
        return None

    def take_work(agent, now):
        """The agent takes the most urgent waiting contact it can serve; False if none."""
        for c in skills_order[agents[agent][0]]:
            got = next_waiting(c, now)
            if got is not None:
                serve(agent, c, got[0], got[1], got[2], now)
                fill_chats(agent, c, now)
                return True
        return False

    def fill_chats(agent, c, now):
        """An agent in chat takes more waiting chats while it has free slots."""
        info = agents[agent]
        while conc[c] > 1 and info[1] == 1 and info[3] < conc[c]:
            got = next_waiting(c, now)
            if got is None:
                return
            serve(agent, c, got[0], got[1], got[2], now)

    def longest_idle(c):
        heap = idle_by_channel[c]
        while heap:
            since, agent = heapq.heappop(heap)
            info = agents[agent]
            if info[1] == 0 and info[2] == since:
                return agent
        return None

    def least_loaded(c):
        """An agent already in chat on channel c with a free slot, the least loaded."""
        heap = open_slots[c]
        while heap:
            load, _since, version, agent = heapq.heappop(heap)
            info = agents[agent]
            if info[1] == 1 and info[4] == c and info[3] == load and info[5] == version:
                return agent
        return None

    def on_done(event):
        now = env.now
        account(now)
        agent, c = event._value
        info = agents[agent]
        info[3] -= 1
        info[5] += 1
        if info[1] == 2:  # past its time: goes once its last contact ends
            if info[3] == 0:
                book_overtime(info[0], leaving_at.pop(agent)[1], now)
                gone_later[info[0]] -= 1
                info[1] = 3
            return
        if info[3] > 0:  # still chatting: take another chat, or offer the free slot
            fill_chats(agent, c, now)
            if info[3] < conc[c]:
                heapq.heappush(open_slots[c], (info[3], now, info[5], agent))
            return
        busy[info[0]] -= 1
        info[1] = 0
        if not take_work(agent, now):
            make_idle(agent, now)

    overtime = np.zeros((n_gr, n_iv))

    def book_overtime(g, edge, end):
        """Group g's agent worked from its edge to ``end`` past its time: overtime, in the
        intervals where it is worked (as its paid time is)."""
        i0 = int(edge // interval_s)
        i1 = min(int(end // interval_s), n_iv - 1)
        for i in range(i0, i1 + 1):
            lo, hi = max(edge, i * interval_s), min(end, (i + 1) * interval_s)
            if hi > lo:
                overtime[g, i] += hi - lo

    def on_arrival(event):
        now = env.now
        account(now)
        c, iv, service, give = event._value
        stats[c, iv, _OFFERED] += 1
        agent = longest_idle(c)
        if agent is None and conc[c] > 1:
            agent = least_loaded(c)
        if agent is not None:
            serve(agent, c, iv, now, service, now)
        else:
            lines[c].append((iv, now, now + give, service))

    def on_staff(event):
        now = env.now
        account(now)
        g, target = event._value
        staying = on_duty[g]
        if target > len(staying):
            for _ in range(target - len(staying)):
                agent = state["next_id"]
                state["next_id"] += 1
                agents[agent] = [g, 0, now, 0, -1, 0]
                staying.add(agent)
                if not take_work(agent, now):
                    make_idle(agent, now)
        elif target < len(staying):
            drop = len(staying) - target
            idle = sorted((a for a in staying if agents[a][1] == 0),
                          key=lambda a: -agents[a][2])  # the most recently idle go first
            for agent in idle[:drop]:
                staying.discard(agent)
                agents[agent][1] = 3
            rest = drop - min(drop, len(idle))
            if rest:
                # (named apart from `busy`, the per-group counter decremented below)
                serving = sorted(a for a in staying if agents[a][1] == 1)
                for j in np.sort(staff_rng.choice(len(serving), size=rest,
                                                  replace=False)).tolist():
                    agent = serving[j]
                    staying.discard(agent)
                    agents[agent][1] = 2
                    busy[g] -= 1
                    gone_later[g] += 1
                    leaving_at[agent] = (g, now)

    def on_interval(event):
        now = env.now
        account(now)
        iv = event._value
        state["iv"] = iv
        for c, spec in enumerate(specs):
            times, services, gives = draw_arrivals(
                demand[c], offered[c, iv] * factors[c][day_index[iv]], aht_s[c, iv], spec,
                interval_s)
            for t, s, gv in zip(times, services, gives, strict=True):
                _at(env, on_arrival, (c, iv, s, gv), t)
        if iv + 1 < n_iv:
            _at(env, on_interval, iv + 1, interval_s, URGENT)

    for c, spec in enumerate(specs):  # contacts already waiting at the start
        backlog = int(spec["initial_backlog"])
        if backlog:
            services = spec["handle"].sample(demand[c], aht_s[c, 0], backlog, rescale=True)
            gives = spec["patience"].sample(demand[c], spec["patience_mean_s"], backlog,
                                            rescale=False)
            for s_, g_ in zip(services.tolist(), gives.tolist(), strict=True):
                lines[c].append((0, 0.0, g_, s_))
            stats[c, 0, _OFFERED] += backlog
    _at(env, on_interval, 0, 0.0, URGENT)
    for g, steps in enumerate(group_changes):
        for t, target in steps:
            _at(env, on_staff, (g, int(target)), t)
    env.run(until=horizon)
    account(horizon)
    for g, edge in leaving_at.values():  # still serving past their time at the end
        book_overtime(g, edge, horizon)
    for c, line in enumerate(lines):
        for iv, arrived, deadline, _service in line:
            if deadline <= horizon:
                record(c, iv, arrived, deadline - arrived, False)
            else:  # still waiting: the wait so far counts in the mean, maximum and p90 alike
                wait = horizon - arrived
                stats[c, iv, _WAITING_END] += 1
                stats[c, iv, _WAIT_ALL] += wait
                if wait > stats[c, iv, _MAX_WAIT]:
                    stats[c, iv, _MAX_WAIT] = wait
                hist[c, iv, bisect_right(_EDGE_LIST, wait) - 1] += 1
                queued(c, arrived, horizon)
    # overtime is reported with the channels the group serves, split evenly
    for g in range(n_gr):
        for c in group_skills[g]:
            stats[c, :, _OVERTIME_S] += overtime[g] / len(group_skills[g])
    stats[:, :, _MAX_QUEUE] = math.nan
    return stats, hist, group_time

