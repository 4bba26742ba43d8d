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
* callbacks ("virtual hold", ``simulator._callbacks``): a caller who must
  queue may be offered one and leave the line; an agent takes callbacks by
  the channel's rule (after the inbound lines, in the caller's turn, or ahead
  of the line once due under a promise);
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
timeouts, each with one callback; the interval edges are scheduled first, so
at equal times an edge comes before staffing changes, and those before
contacts. At equal times SimPy runs events in the order they were scheduled.

Speed. A contact costs two events (its arrival and its completion), and
SimPy's part of that is fixed; the rest is kept small. The same contacts,
routed the same way, whatever the speed-ups below (every count the same):

* events are reused through SimPy's public API (as in ``simulator._queue``):
  SimPy sets a processed event's callbacks to None, and the event, given new
  callbacks, is scheduled again with ``Environment.schedule``, which takes
  the time (now + delay) and the place in the order exactly as a new
  ``env.timeout`` would: same times, same order, same results. A completion
  event goes back to its agent, an arrival event to its channel;
* an arrival event carries nothing: a channel's arrivals happen in the order
  they were scheduled (times sorted), so their data wait in a line, taken in
  turn;
* a channel's contacts of an interval are counted as offered at once, at the
  interval's start (whole numbers, so the same sum); an arrival that would
  fall on the horizon itself (a uniform draw rounded up) never happens, and
  is taken back at the end, as it was never counted before;
* agent time is not added at every event: an agent's busy period (from
  taking a contact while free to being free again, several contacts in a
  row or at once counting as one period) is added when it ends, to the
  intervals it spans, and the paid agent-seconds (agents paid x time) when
  the number paid or the interval changes; the answered contacts are counted
  in blocks by the ledger (``simulator._ledger``). The sums are the same
  quantities added over other spans and in another order: deterministic
  (same seed, same bits, serial or parallel), equal to the former sums
  within a few units in the last place (1.2e-15 relative on the reference
  runs), and every count unchanged.
"""

from __future__ import annotations

import math
from bisect import insort
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import repeat

import numpy as np
import simpy
from simpy.events import NORMAL

from ._behaviour import ANSWERED, PICKUP, REDIAL, Behaviour, is_active
from ._callbacks import Callbacks
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
        call_seeds = seed_seq.spawn(len(centre.specs))  # callbacks: after all the others
        _run(centre, ledger, range(len(centre.specs)), range(len(centre.group_skills)),
             [np.random.default_rng(s) for s in demand_seeds], np.random.default_rng(staff_seed),
             [np.random.default_rng(s) for s in hang_seeds],
             [_behaviour(spec, s) for spec, s in zip(centre.specs, behaviour_seeds, strict=True)],
             [np.random.default_rng(s) for s in call_seeds])
        return
    pool_of = {skills[0]: g for g, skills in enumerate(centre.group_skills)}
    for c, ch_seed in enumerate(seed_seq.spawn(len(centre.specs))):
        demand_seed, staff_seed = ch_seed.spawn(2)
        hang_seed = ch_seed.spawn(1)[0]
        behaviour_seed = ch_seed.spawn(1)[0]
        call_seed = ch_seed.spawn(1)[0]
        _run(centre, ledger, (c,), (pool_of[c],), [np.random.default_rng(demand_seed)],
             np.random.default_rng(staff_seed), [np.random.default_rng(hang_seed)],
             [_behaviour(centre.specs[c], behaviour_seed)], [np.random.default_rng(call_seed)])


def _behaviour(spec, seed_seq):
    """The channel's :class:`simulator._behaviour.Behaviour`, or None when it has none."""
    return Behaviour(spec, seed_seq) if is_active(spec) else None


def _run(centre: Centre, ledger: Ledger, channels: Sequence[int], groups: Sequence[int],
         demand: list[np.random.Generator], staff_rng: np.random.Generator,
         hang_up: list[np.random.Generator], behaviours: list,
         callback: list[np.random.Generator]) -> None:
    """One SimPy environment: ``channels`` (with their ``demand`` and ``hang_up`` streams,
    ``behaviours`` and ``callback`` streams, in that order) served by ``groups``."""
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
    timeout, schedule = env.timeout, env.schedule
    # ledger methods, bound once (the hot path)
    offered_, answered_, abandoned_ = ledger.offered, ledger.answered, ledger.abandoned
    book_overtime = ledger.overtime

    # Lines of waiting contacts, per channel: (interval, arrived, deadline, handle, id, class,
    # tag); the tag (simulator._behaviour) is None for channels without issue 16's behaviours.
    # First come first served; with priority classes, by arrival minus the class's head start.
    # A callback keeping its place in the line (rule in_turn) has a negative id.
    lines: dict = {}
    push: dict = {}
    pop: dict = {}
    for c in channels:
        heads = specs[c].head_starts_s
        if heads:
            heap: list = []
            lines[c] = heap
            push[c] = (lambda item, heap=heap, heads=heads:
                       heappush(heap, (item[1] - heads[item[5]], item[4], item)))
            pop[c] = lambda heap=heap: heappop(heap)[2]
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
                early.discard(heappop(dl)[1])
            length = len(dl) - len(early)
        else:
            length = len(lines[c]) - (calls.in_line.get(c, 0) if calls is not None else 0)
        ledger.queue_length(c, iv, length)

    # agents[a] = [group, state, idle since, contacts in hand, channel in hand, version,
    # spare completion events, busy since (-1: not busy), its completion callback]; state 0
    # idle, 1 busy, 2 busy and leaving, 3 gone. Idle agents per channel: a line of (idle
    # since, agent) kept in order (agents become idle as time goes on, so an entry goes at
    # the end, or, at the same time as an agent numbered higher, in its place: the line is
    # then a heap's order, taken from the front); stale entries (the agent no longer idle
    # since then) are skipped.
    agents: list[list] = []  # indexed by agent, numbered from 0 as they come on duty
    idle_by_channel: dict = {c: deque() for c in channels}
    open_slots: dict = {c: [] for c in channels}  # (load, since, version, agent)
    on_duty: dict[int, set[int]] = {g: set() for g in groups}  # agents who stay (idle, busy)
    # agent -> edge (its time up), for the busy agents past their time
    leaving: dict[int, dict[int, float]] = {g: {} for g in groups}
    skills_order = {g: [c for c in centre.priority if c in centre.group_skills[g]]
                    for g in groups}
    iv_now = 0  # the current interval
    state = {"seq": 0}  # the last contact id
    cb_specs = {c: specs[c].callback for c in channels if specs[c].callback is not None}
    calls = (Callbacks(cb_specs, {c: callback[k] for k, c in enumerate(channels)},
                       {c: [on_duty[g] for g in groups if c in centre.group_skills[g]]
                        for c in cb_specs},
                       {c: specs[c].concurrency for c in cb_specs}, centre.aht_s, ledger, push)
             if cb_specs else None)
    conc = {c: specs[c].concurrency for c in channels}
    stretch = {c: specs[c].stretch for c in channels}
    # Paid agent-seconds: the agents paid (on duty, or past their time and finishing) x the
    # time since the last change of that number or of the interval, added at each change.
    books = [(on_duty[g], leaving[g], ledger.agent_time_cells(g)) for g in groups]
    last = 0.0

    def account(now):
        nonlocal last
        dt = now - last
        if dt > 0:
            for staying, gone, cells in books:
                cells[iv_now][1] += (len(staying) + len(gone)) * dt
        last = now

    # Busy agent-seconds: each busy period (from taking a contact while free to being free
    # again, or to the end) is added when it ends; one inside the current interval at once.
    busy_time = ledger.busy
    busy_cells = {g: ledger.agent_time_cells(g) for g in groups}
    edge_now = 0.0  # the current interval's start

    def serve(agent, c, iv, arrived, service, cls, now, tag, callback=False):
        hold = 0.0  # the pick-up delay: the agent is held, the caller waits
        if callback:  # the dial replaces the pick-up delay
            service = calls.made(c, iv, arrived, now, service, cls, tag)
        elif tag is None:
            answered_(c, iv, arrived, now, service, cls)
        else:
            tag[ANSWERED] = True
            hold = tag[PICKUP]
            answered_(c, iv, arrived, now + hold, service, cls, tag)
        info = agents[agent]
        if info[7] < 0.0:  # a busy period starts (else it goes on: the next contact)
            info[7] = now
        info[1], info[3], info[4] = 1, info[3] + 1, c
        info[5] += 1
        if conc[c] > 1:
            service *= 1.0 + stretch[c] * (info[3] - 1)
            if info[3] < conc[c]:
                heappush(open_slots[c], (info[3], now, info[5], agent))
        spare = info[6]
        if spare:  # the agent's event of a contact it finished, scheduled again
            event = spare.pop()
            event.callbacks = [info[8]]
            schedule(event, NORMAL, hold + service)
        else:
            timeout(hold + service).callbacks.append(info[8])

    group_skills = centre.group_skills

    def next_waiting(c, now):
        """The first contact still waiting in channel c's line (dropping those gone), after a
        callback due under the promise rule: (interval, arrived, handle, class, callback)."""
        if calls is not None:
            got = calls.due(c, now)
            if got is not None:
                return got
        line, take = lines[c], pop[c]
        while line:
            iv, arrived, deadline, service, cid, cls, tag = take()
            if deadline < now:
                abandoned_(c, iv, arrived, deadline - arrived, service, cls, tag)
                continue
            if separate and math.isfinite(deadline):
                answered_early[c].add(cid)
            if calls is not None:
                calls.left(c, cid, deadline)
            return iv, arrived, service, cls, tag, cid < 0
        return None

    def take_work(agent, info, now):
        """The agent (``info``: its entry in ``agents``) takes the most urgent waiting contact
        it can serve, or else a callback from a list, or else becomes idle (in the idle heaps
        of its skills)."""
        order = skills_order[info[0]]
        for c in order:
            if not lines[c] and calls is None:
                continue
            got = next_waiting(c, now)
            if got is not None:
                iv, arrived, service, cls, tag, is_callback = got
                serve(agent, c, iv, arrived, service, cls, now, tag, is_callback)
                fill_chats(agent, c, now)
                return
        listed = calls.next_in_list(order) if calls is not None else None
        if listed is not None:
            c, (iv, arrived, service, cls, tag, _) = listed
            serve(agent, c, iv, arrived, service, cls, now, tag, True)
            fill_chats(agent, c, now)
            return
        info[1], info[2] = 0, now
        info[5] += 1
        start = info[7]
        if start >= 0.0:  # its busy period ends
            if start >= edge_now:  # inside the current interval (the ledger's first case)
                busy_cells[info[0]][iv_now][0] += now - start
            else:
                busy_time(info[0], start, now)
            info[7] = -1.0
        for c in group_skills[info[0]]:
            idle = idle_by_channel[c]
            if idle and idle[-1][0] == now and idle[-1][1] > agent:
                insort(idle, (now, agent))
            else:
                idle.append((now, agent))

    def fill_chats(agent, c, now):
        """An agent in chat takes more waiting chats while it has free slots."""
        info = agents[agent]
        while conc[c] > 1 and info[1] == 1 and info[3] < conc[c]:
            got = next_waiting(c, now)
            if got is None:
                listed = calls.next_in_list((c,)) if calls is not None else None
                if listed is None:
                    return
                got = listed[1]
            serve(agent, c, *got[:4], now, got[4], got[5])

    def least_loaded(c):
        """An agent already in chat on channel c with a free slot, the least loaded."""
        heap = open_slots[c]
        while heap:
            load, _since, version, agent = heappop(heap)
            info = agents[agent]
            if info[1] == 1 and info[4] == c and info[3] == load and info[5] == version:
                return agent
        return None

    def completion_of(agent, info):
        """The callback of the completion events of ``agent`` (``info``: its entry)."""

        def on_done(event):
            now = env.now
            info[6].append(event)
            c = info[4]  # the channel of every contact in hand
            info[3] -= 1
            info[5] += 1
            g = info[0]
            if info[1] == 2:  # past its time: goes once its last contact ends
                if info[3] == 0:
                    busy_time(g, info[7], now)
                    info[7] = -1.0
                    account(now)
                    book_overtime(g, leaving[g].pop(agent), now)
                    info[1] = 3
                return
            if info[3] > 0:  # still chatting: take another chat, or offer the free slot
                fill_chats(agent, c, now)
                if info[3] < conc[c]:
                    heappush(open_slots[c], (info[3], now, info[5], agent))
                return
            info[1] = 0
            take_work(agent, info, now)
        return on_done

    def arrivals_of(c):
        """The callback of channel ``c``'s arrival events."""
        line, spare = due[c], spare_arrivals[c]

        def on_arrival(event):
            now = env.now
            spare.append(event)
            iv, service, give, cls, tag = line.popleft()
            arrive(now, c, iv, service, give, cls, tag)
        return on_arrival

    def on_redial(event):
        """A customer calls again, unless the attempt it follows was answered after all."""
        c, service, cls, tag = event.value
        if tag[ANSWERED]:
            return
        now = env.now
        give, again = behaviour_of[c].redial(tag)
        ledger.redial(c, iv_now)
        offered_(c, iv_now)
        arrive(now, c, iv_now, service, give, cls, again)

    def plan_redial(c, iv, service, cls, tag, abandon_s):
        """If this attempt abandons at ``abandon_s``, its customer calls again (when drawn)."""
        when = abandon_s + tag[REDIAL]
        if when < horizon:
            timeout(when - env.now, (c, service, cls, tag)).callbacks.append(on_redial)
        else:
            late.append((c, iv, tag, abandon_s))

    def arrive(now, c, iv, service, give, cls, tag):
        """A contact arrives (already counted as offered)."""
        if give < 0.0:  # hangs up at once (the draw marks it with a negative patience)
            hung_up_(c, iv, now, service, cls, tag)
            if tag is not None and tag[REDIAL] > 0:
                plan_redial(c, iv, service, cls, tag, now)
            return
        agent = None  # the longest idle agent with the skill (skipping stale entries)
        line = idle_by_channel[c]
        while line:
            since, idle = line.popleft()
            info = agents[idle]
            if info[1] == 0 and info[2] == since:
                agent = idle
                break
        if agent is None and conc[c] > 1:
            agent = least_loaded(c)
        if agent is not None:
            serve(agent, c, iv, now, service, cls, now, tag)
            return
        state["seq"] += 1
        cid = state["seq"]
        deadline = now + give
        if calls is not None and calls.arrives(c, iv, now, service, cls, cid, deadline, tag):
            return  # took a callback: left the line (and never redials)
        push[c]((iv, now, deadline, service, cid, cls, tag))
        if tag is not None and tag[REDIAL] > 0 and deadline < math.inf:
            plan_redial(c, iv, service, cls, tag, deadline)
        if separate:
            if math.isfinite(deadline):
                heappush(deadlines[c], (deadline, cid))
            note_queue(c, now, iv)

    def new_agent(g, now):
        agent = len(agents)
        info = [g, 0, now, 0, -1, 0, [], -1.0, None]
        info[8] = completion_of(agent, info)
        agents.append(info)
        on_duty[g].add(agent)
        take_work(agent, info, now)

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
            if rest:  # every idle agent has gone: those staying are busy
                listed = sorted(staying)  # by arrival on duty
                for j in np.sort(staff_rng.choice(len(listed), size=rest,
                                                  replace=False)).tolist():
                    agent = listed[j]
                    staying.discard(agent)
                    agents[agent][1] = 2
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

    # Arrivals: one event per contact, scheduled when its interval begins, with its channel's
    # callback; a channel's arrivals happen in the order they are scheduled (their times
    # sorted), so their data wait in the channel's ``due`` line, taken in turn. Events are
    # reused through SimPy's public API (as in simulator._queue): SimPy sets an event's
    # callbacks to None once processed, and an event given new callbacks is scheduled again
    # with Environment.schedule, at the same time and in the same order as a new timeout
    # would be (so results are those of fresh events); an arrival's event goes back to its
    # channel's spares, a completion's to its agent's.
    due: dict = {c: deque() for c in channels}
    spare_arrivals: dict = {c: [] for c in channels}
    on_arrival = {c: arrivals_of(c) for c in channels}

    def on_interval(event):
        nonlocal iv_now, edge_now
        now = env.now
        account(now)
        iv = event.value
        iv_now, edge_now = iv, now
        ledger.fold_waits()
        for c in channels:
            if separate:
                note_queue(c, now, iv)
            rng = rng_of[c]
            n = rng.poisson(centre.offered[c, iv] * factors[c][centre.day_index[iv]])
            if not n:
                continue
            offered_(c, iv, n)  # counted at once (exact: whole numbers); see the end of the run
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
            due[c].extend(zip(repeat(iv), services, gives, classes, tags, strict=False))
            spare, callback_c = spare_arrivals[c], on_arrival[c]
            for t in times:
                if spare:
                    arrival = spare.pop()
                    arrival.callbacks = [callback_c]
                    schedule(arrival, NORMAL, t)
                else:
                    timeout(t).callbacks.append(callback_c)

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
                if calls is not None:
                    calls.joined(c, state["seq"], g_)
                if tag is not None and tag[REDIAL] > 0 and g_ < math.inf:
                    plan_redial(c, 0, s_, k_, tag, g_)
                if separate and math.isfinite(g_):
                    heappush(deadlines[c], (g_, state["seq"]))
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
    for info in agents:  # busy at the end: busy until the end
        if info[7] >= 0.0:
            busy_time(info[0], info[7], horizon)
    for c in channels:  # an arrival rounded to the horizon itself never happened: not offered
        for iv, *_ in due[c]:
            offered_(c, iv, -1)
    for g in groups:  # still serving past their time at the end: paid so far
        for edge in leaving[g].values():
            book_overtime(g, edge, horizon)
    if calls is not None:
        calls.close(horizon)
    for c in channels:
        for iv, arrived, deadline, service, cid, cls, tag in contents(c):
            if cid < 0:  # a callback in the line (rule in_turn)
                ledger.callback_pending(c, iv, arrived, horizon, specs[c].callback.dial_s + service,
                                        cls, tag)
            elif deadline <= horizon:
                abandoned_(c, iv, arrived, deadline - arrived, service, cls, tag)
            else:
                ledger.waiting_at_end(c, iv, arrived, horizon, service, cls, tag)
    for c, iv, tag, abandon_s in late:  # the attempt did abandon: its redial is past the end
        if not tag[ANSWERED] and abandon_s <= horizon:
            ledger.redial_after_horizon(c, iv)
