"""The time-varying contact centre on SimPy's scheduler: agent groups serving channels.

One engine for every centre. A dedicated pool is a group with one skill (the
channel's own agents); shared agents are groups with several skills. What it
models:

* arrivals: per channel a non-homogeneous Poisson process, piecewise constant
  per interval: ``Poisson(offered)`` contacts in each interval, at independent
  uniform times inside it; optionally one gamma multiplier (mean 1) per
  calendar day, for the day-level correlation that forecast error has
  (over-dispersion); handle times and patience from the channel's laws
  (``simulator._distributions``); an optional backlog waiting at the start;
* routing, as most ACDs do it: a contact that arrives goes to the agent who
  has been idle longest among the idle agents with its channel's skill; if
  there is none it queues in its channel's line, first come first served (or,
  with priority classes, as if it had arrived its class's head start
  earlier); an agent who becomes free takes work by channel priority among
  its skills, then first come first served;
* chat-like channels (``concurrency`` > 1): an agent may hold several
  contacts of the channel at once; each lasts its drawn handle time x (1 +
  stretch x (contacts in hand - 1)), counted when it starts;
* agents on duty per group change over time (the coverage table or a
  roster): when the number rises, new agents look for work at once; when it
  falls, idle agents go first (the most recently idle), then busy agents
  picked at random (their time being up is unrelated to their calls), who
  finish the contact in hand and then go; the time past their edge is
  overtime, booked in the intervals where it is worked, up to the end of the
  horizon;
* abandonment is lazy: a contact that runs out of patience is dropped when an
  agent next looks at its line (exact under first come first served), and at
  the end of the horizon.

The rules are the same for every group, whatever its skills. When staffing
falls while every agent is busy, the busy agents who leave are drawn
uniformly among the group's busy agents (listed by arrival on duty); an agent
finishing past its time leaves once its contact ends, even if staffing rises
again meanwhile: the rise brings in new agents (the agents of a plan are
counts, and a rise is met by whoever comes on duty).

When every channel has its own pool (``Centre.separate``), the channels are
independent and each runs in its own environment with its own random streams
(demand and staffing spawned from the channel's seed); its true queue length
is tracked (for the maximum queue) and its contacts can be logged. Otherwise
all groups run in one environment, with one demand stream per channel and one
for staffing.
Demand and staffing decisions draw from separate streams, so two plans run
with the same seed see the same contacts (common random numbers).

Every count goes to a :class:`simulator._ledger.Ledger`. Events are SimPy
timeouts carrying their data as the event's value, each with one callback;
the interval edges are scheduled first, so at equal times an edge comes
before staffing changes, and those before contacts.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import simpy

from ._behaviour import ANSWERED, PICKUP, REDIAL, Behaviour, is_active
from ._ledger import Ledger


@dataclass(frozen=True)
class Centre:
    """What one replication simulates (checked inputs, in the engine's terms).

    ``offered`` and ``aht_s`` are (channels, intervals) arrays; ``specs`` the
    channels' checked settings (``simulator._models.ChannelSpec``);
    ``group_skills`` per group the channel indices it serves; ``changes`` per
    group the time-ordered (seconds, agents on duty) changes; ``priority`` the
    channel indices, most urgent first; ``separate``: every group is its own
    channel's pool (one skill, a channel served by no other group), so each
    channel runs alone (own environment and random streams, queue length
    tracked). The routing and staffing rules do not depend on it.
    """

    offered: np.ndarray
    aht_s: np.ndarray
    interval_s: float
    specs: tuple
    day_index: np.ndarray
    group_skills: tuple
    changes: tuple
    priority: tuple
    separate: bool


def run_replication(centre: Centre, ledger: Ledger, seed_seq: np.random.SeedSequence,
                    replication: int = 0) -> None:
    """Simulate the whole centre once, filling ``ledger``.

    Parameters
    ----------
    centre : Centre
        The centre.
    ledger : simulator._ledger.Ledger
        Receives every count (and, with its contact log, every contact, labelled with
        ``replication``).
    seed_seq : numpy.random.SeedSequence
        The replication's seed.
    replication : int, default 0
        The replication's number (labels the contact log's rows).
    """
    if ledger.log is not None:
        ledger.log.start(replication)
    if not centre.separate:
        *demand_seeds, staff_seed = seed_seq.spawn(len(centre.specs) + 1)
        # spawned after the others, so every other stream is as without hang-ups
        hang_seeds = seed_seq.spawn(len(centre.specs))
        behaviour_seeds = seed_seq.spawn(len(centre.specs))  # after those, for the same reason
        _run(centre, ledger, range(len(centre.specs)), range(len(centre.group_skills)),
             [np.random.default_rng(s) for s in demand_seeds], np.random.default_rng(staff_seed),
             [np.random.default_rng(s) for s in hang_seeds],
             [_behaviour(spec, s) for spec, s in zip(centre.specs, behaviour_seeds, strict=True)])
        return
    pool_of = {skills[0]: g for g, skills in enumerate(centre.group_skills)}
    for c, ch_seed in enumerate(seed_seq.spawn(len(centre.specs))):
        demand_seed, staff_seed = ch_seed.spawn(2)
        hang_seed = ch_seed.spawn(1)[0]
        behaviour_seed = ch_seed.spawn(1)[0]
        _run(centre, ledger, (c,), (pool_of[c],), [np.random.default_rng(demand_seed)],
             np.random.default_rng(staff_seed), [np.random.default_rng(hang_seed)],
             [_behaviour(centre.specs[c], behaviour_seed)])


def _behaviour(spec, seed_seq):
    """The channel's :class:`simulator._behaviour.Behaviour`, or None when it has none."""
    return Behaviour(spec, seed_seq) if is_active(spec) else None


def _run(centre: Centre, ledger: Ledger, channels: Sequence[int], groups: Sequence[int],
         demand: list[np.random.Generator], staff_rng: np.random.Generator,
         hang_up: list[np.random.Generator], behaviours: list) -> None:
    """One SimPy environment: ``channels`` (with their ``demand`` and ``hang_up`` streams and
    ``behaviours``, in that order) served by ``groups``."""
    interval_s = centre.interval_s
    n_iv = centre.offered.shape[1]
    horizon = n_iv * interval_s
    separate = centre.separate
    specs = centre.specs
    rng_of = dict(zip(channels, demand, strict=True))
    hang_rng_of = dict(zip(channels, hang_up, strict=True))
    behaviour_of = dict(zip(channels, behaviours, strict=True))
    late: list = []  # (channel, interval, tag, abandon time): redials due past the horizon
    hung_up_ = ledger.hung_up
    env = simpy.Environment()
    timeout = env.timeout
    # ledger methods, bound once (the hot path)
    offered_, answered_, abandoned_ = ledger.offered, ledger.answered, ledger.abandoned
    book_overtime = ledger.overtime

    # Lines of waiting contacts, per channel: (interval, arrived, deadline, handle, id, class,
    # tag); the tag (simulator._behaviour) is None for channels without issue 16's behaviours.
    # First come first served; with priority classes, by arrival minus the class's head start.
    lines: dict = {}
    push: dict = {}
    pop: dict = {}
    for c in channels:
        heads = specs[c].head_starts_s
        if heads:
            heap: list = []
            lines[c] = heap
            push[c] = (lambda item, heap=heap, heads=heads:
                       heapq.heappush(heap, (item[1] - heads[item[5]], item[4], item)))
            pop[c] = lambda heap=heap: heapq.heappop(heap)[2]
        else:
            line: deque = deque()
            lines[c] = line
            push[c], pop[c] = line.append, line.popleft

    def contents(c):
        return [entry[2] for entry in lines[c]] if specs[c].head_starts_s else list(lines[c])

    # With separate channels the true queue length is tracked (for the maximum queue): the
    # line keeps callers who have already given up until an agent looks, so a heap of the
    # queued callers' deadlines is kept apart, and those answered before their deadline are
    # discounted until their deadline pops.
    deadlines: dict = {c: [] for c in channels}
    answered_early: dict = {c: set() for c in channels}

    def note_queue(c, now, iv):
        dl = deadlines[c]
        if math.isfinite(specs[c].patience_mean_s) or dl:
            early = answered_early[c]
            while dl and dl[0][0] <= now:
                early.discard(heapq.heappop(dl)[1])
            length = len(dl) - len(early)
        else:
            length = len(lines[c])
        ledger.queue_length(c, iv, length)

    # agents[a] = [group, state, idle since, contacts in hand, channel in hand, version];
    # state 0 idle, 1 busy, 2 busy and leaving, 3 gone. Idle agents per channel: a heap of
    # (idle since, agent); stale entries (the agent no longer idle since then) are skipped.
    agents: dict[int, list] = {}
    idle_by_channel: dict = {c: [] for c in channels}
    open_slots: dict = {c: [] for c in channels}  # (load, since, version, agent)
    on_duty: dict[int, set[int]] = {g: set() for g in groups}  # agents who stay (idle, busy)
    busy: dict[int, set[int]] = {g: set() for g in groups}  # busy agents who stay
    # agent -> edge (its time up), for the busy agents past their time
    leaving: dict[int, dict[int, float]] = {g: {} for g in groups}
    skills_order = {g: [c for c in centre.priority if c in centre.group_skills[g]]
                    for g in groups}
    state = {"iv": 0, "next_id": 0, "seq": 0}  # interval, next agent, last contact id
    conc = {c: specs[c].concurrency for c in channels}
    stretch = {c: specs[c].stretch for c in channels}
    # Busy and paid agent-seconds since the last event go to the current interval (every
    # event, so that sums are formed in one order whatever the engine does in between).
    books = [(busy[g], on_duty[g], leaving[g], ledger.agent_time_cells(g))
             for g in groups]
    last = 0.0

    def account(now):
        nonlocal last
        dt = now - last
        if dt > 0:
            iv = state["iv"]
            for serving, staying, gone, cells in books:
                cell = cells[iv]
                cell[0] += (len(serving) + len(gone)) * dt
                cell[1] += (len(staying) + len(gone)) * dt
        last = now

    def serve(agent, c, iv, arrived, service, cls, now, tag):
        hold = 0.0  # the pick-up delay: the agent is held, the caller waits
        if tag is None:
            answered_(c, iv, arrived, now, service, cls)
        else:
            tag[ANSWERED] = True
            hold = tag[PICKUP]
            answered_(c, iv, arrived, now + hold, service, cls, tag)
        info = agents[agent]
        if info[3] == 0:
            busy[info[0]].add(agent)
        info[1], info[3], info[4] = 1, info[3] + 1, c
        info[5] += 1
        if conc[c] > 1:
            service *= 1.0 + stretch[c] * (info[3] - 1)
            if info[3] < conc[c]:
                heapq.heappush(open_slots[c], (info[3], now, info[5], agent))
        timeout(hold + service, (agent, c)).callbacks.append(on_done)

    def make_idle(agent, now):
        info = agents[agent]
        info[1], info[2] = 0, now
        info[5] += 1
        for c in centre.group_skills[info[0]]:
            heapq.heappush(idle_by_channel[c], (now, agent))

    def next_waiting(c, now):
        """The first contact still waiting in channel c's line (dropping those gone)."""
        line, take = lines[c], pop[c]
        while line:
            iv, arrived, deadline, service, cid, cls, tag = take()
            if deadline < now:
                abandoned_(c, iv, arrived, deadline - arrived, service, cls, tag)
                continue
            if separate and math.isfinite(deadline):
                answered_early[c].add(cid)
            return iv, arrived, service, cls, tag
        return None

    def take_work(agent, now):
        """The agent takes the most urgent waiting contact it can serve; False if none."""
        for c in skills_order[agents[agent][0]]:
            got = next_waiting(c, now)
            if got is not None:
                serve(agent, c, got[0], got[1], got[2], got[3], now, got[4])
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
            serve(agent, c, got[0], got[1], got[2], got[3], now, got[4])

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
        agent, c = event.value
        info = agents[agent]
        info[3] -= 1
        info[5] += 1
        g = info[0]
        if info[1] == 2:  # past its time: goes once its last contact ends
            if info[3] == 0:
                book_overtime(g, leaving[g].pop(agent), now)
                info[1] = 3
            return
        if info[3] > 0:  # still chatting: take another chat, or offer the free slot
            fill_chats(agent, c, now)
            if info[3] < conc[c]:
                heapq.heappush(open_slots[c], (info[3], now, info[5], agent))
            return
        busy[g].remove(agent)
        info[1] = 0
        if not take_work(agent, now):
            make_idle(agent, now)

    def on_arrival(event):
        now = env.now
        account(now)
        arrive(now, *event.value)

    def on_redial(event):
        """A customer calls again, unless the attempt it follows was answered after all."""
        c, service, cls, tag = event.value
        if tag[ANSWERED]:
            return
        now = env.now
        account(now)
        give, again = behaviour_of[c].redial(tag)
        ledger.redial(c, state["iv"])
        arrive(now, c, state["iv"], service, give, cls, again)

    def plan_redial(c, iv, service, cls, tag, abandon_s):
        """If this attempt abandons at ``abandon_s``, its customer calls again (when drawn)."""
        when = abandon_s + tag[REDIAL]
        if when < horizon:
            timeout(when - env.now, (c, service, cls, tag)).callbacks.append(on_redial)
        else:
            late.append((c, iv, tag, abandon_s))

    def arrive(now, c, iv, service, give, cls, tag):
        offered_(c, iv)
        if give < 0.0:  # hangs up at once (the draw marks it with a negative patience)
            hung_up_(c, iv, now, service, cls, tag)
            if tag is not None and tag[REDIAL] > 0:
                plan_redial(c, iv, service, cls, tag, now)
            return
        agent = longest_idle(c)
        if agent is None and conc[c] > 1:
            agent = least_loaded(c)
        if agent is not None:
            serve(agent, c, iv, now, service, cls, now, tag)
            return
        state["seq"] += 1
        cid = state["seq"]
        deadline = now + give
        push[c]((iv, now, deadline, service, cid, cls, tag))
        if tag is not None and tag[REDIAL] > 0 and deadline < math.inf:
            plan_redial(c, iv, service, cls, tag, deadline)
        if separate:
            if math.isfinite(deadline):
                heapq.heappush(deadlines[c], (deadline, cid))
            note_queue(c, now, iv)

    def new_agent(g, now):
        agent = state["next_id"]
        state["next_id"] += 1
        agents[agent] = [g, 0, now, 0, -1, 0]
        on_duty[g].add(agent)
        if not take_work(agent, now):
            make_idle(agent, now)

    def on_staff(event):
        now = env.now
        account(now)
        g, target = event.value
        staying = on_duty[g]
        if target > len(staying):
            for _ in range(target - len(staying)):
                new_agent(g, now)
        elif target < len(staying):
            drop = len(staying) - target
            idle = sorted((a for a in staying if agents[a][1] == 0),
                          key=lambda a: -agents[a][2])  # the most recently idle go first
            for agent in idle[:drop]:
                staying.discard(agent)
                agents[agent][1] = 3
            rest = drop - min(drop, len(idle))
            if rest:
                serving = busy[g]
                listed = sorted(serving)  # by arrival on duty
                for j in np.sort(staff_rng.choice(len(listed), size=rest,
                                                  replace=False)).tolist():
                    agent = listed[j]
                    staying.discard(agent)
                    agents[agent][1] = 2
                    serving.remove(agent)
                    leaving[g][agent] = now

    def draw(c, n, aht):
        """n contacts of channel c: handle times, patiences and classes (demand stream)."""
        spec, rng = specs[c], rng_of[c]
        services = spec.handle.sample(rng, aht, n, rescale=True).tolist()
        gives = spec.patience.sample(rng, spec.patience_mean_s, n, rescale=False).tolist()
        shares = spec.class_shares
        classes = (rng.choice(len(shares), size=n, p=shares).tolist() if shares else [0] * n)
        return services, gives, classes

    factors = {}
    n_days = int(centre.day_index.max()) + 1 if centre.day_index.size else 0
    for c in channels:  # forecast error as one multiplier per calendar day (gamma, mean 1)
        cv = specs[c].overdispersion_cv
        factors[c] = (rng_of[c].gamma(1.0 / cv**2, cv**2, n_days) if cv > 0
                      else np.ones(n_days))

    def on_interval(event):
        now = env.now
        account(now)
        iv = event.value
        state["iv"] = iv
        for c in channels:
            if separate:
                note_queue(c, now, iv)
            rng = rng_of[c]
            n = rng.poisson(centre.offered[c, iv] * factors[c][centre.day_index[iv]])
            if not n:
                continue
            times = np.sort(rng.uniform(0.0, interval_s, n)).tolist()
            services, gives, classes = draw(c, n, centre.aht_s[c, iv])
            share = specs[c].hang_up_share
            hangs = None
            if share > 0.0:
                hangs = (hang_rng_of[c].random(n) < share).tolist()
                gives = [-1.0 if h else gv for h, gv in zip(hangs, gives, strict=True)]
            tags = [None] * n
            if behaviour_of[c] is not None:
                gives, tags = behaviour_of[c].first_attempts(iv, gives, hangs)
            for t, s, gv, k, tag in zip(times, services, gives, classes, tags, strict=True):
                timeout(t, (c, iv, s, gv, k, tag)).callbacks.append(on_arrival)

    for c in channels:  # contacts already waiting at the start, counted in the first interval
        backlog = specs[c].initial_backlog
        if backlog:
            services, gives, classes = draw(c, backlog, centre.aht_s[c, 0])
            tags = [None] * backlog
            if behaviour_of[c] is not None:
                gives, tags = behaviour_of[c].first_attempts(0, gives, None)
            for s_, g_, k_, tag in zip(services, gives, classes, tags, strict=True):
                state["seq"] += 1
                push[c]((0, 0.0, g_, s_, state["seq"], k_, tag))
                if tag is not None and tag[REDIAL] > 0 and g_ < math.inf:
                    plan_redial(c, 0, s_, k_, tag, g_)
                if separate and math.isfinite(g_):
                    heapq.heappush(deadlines[c], (g_, state["seq"]))
            offered_(c, 0, backlog)
    edge = 0.0
    for iv in range(n_iv):  # first, so that an edge comes before anything else at its time
        timeout(edge, iv).callbacks.append(on_interval)
        edge += interval_s
    for g in groups:
        for t, target in centre.changes[g]:
            timeout(t, (g, int(target))).callbacks.append(on_staff)
    env.run(until=horizon)
    account(horizon)
    for g in groups:  # still serving past their time at the end: paid so far
        for edge in leaving[g].values():
            book_overtime(g, edge, horizon)
    for c in channels:
        for iv, arrived, deadline, service, _cid, cls, tag in contents(c):
            if deadline <= horizon:
                abandoned_(c, iv, arrived, deadline - arrived, service, cls, tag)
            else:
                ledger.waiting_at_end(c, iv, arrived, horizon, service, cls, tag)
    for c, iv, tag, abandon_s in late:  # the attempt did abandon: its redial is past the end
        if not tag[ANSWERED] and abandon_s <= horizon:
            ledger.redial_after_horizon(c, iv)
