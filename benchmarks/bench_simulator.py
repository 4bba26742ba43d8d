"""Benchmark ``simulator.simulate_queue`` against ciw 3.x and an idiomatic SimPy model.

Run from the project root::

    python benchmarks/bench_simulator.py [--contacts 200000]

A plain script, not a test. M/M/50 at 90% load (AHT 180 s), 200,000 contacts,
without and with exponential patience (mean 120 s). Each of the three
simulators runs the same queue in the same process; the script prints
contacts per second and the ratios, and checks that each agrees with Erlang
C / Erlang A (staffing.queue_kpis) within its own 99% batch-means interval.

The idiomatic SimPy model is written here: a process per contact and a
``simpy.Resource`` for the agents (with patience: ``yield request |
env.timeout(patience)``). ciw is the peer of the dev extra
(``pip install -e ".[dev]"``); without it that column is skipped.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import math
import platform
import time
import tracemalloc

import numpy as np
import simpy
from scipy import stats

from simulator import simulate_queue
from staffing import queue_kpis

try:
    import ciw
except ImportError:  # pragma: no cover - optional peer
    ciw = None

N_AGENTS = 50
AHT_S = 180.0
LOAD = 0.9 * N_AGENTS
RATE = LOAD / AHT_S
PATIENCE_S = 120.0
WITHIN_S = 20.0
N_BATCHES = 20


def batch_ci(waits, abandoned, warm):
    """KPIs with 99% batch-means intervals from per-contact waits (arrival order)."""
    waits = np.asarray(waits[warm:], dtype=float)
    abandoned = np.asarray(abandoned[warm:], dtype=bool)
    size = waits.size // N_BATCHES
    per = {"mean_wait_s": [], "p_wait": [], "abandon_rate": [], "service_level": []}
    for b in range(N_BATCHES):
        w, ab = waits[b * size:(b + 1) * size], abandoned[b * size:(b + 1) * size]
        per["mean_wait_s"].append(w.mean())
        per["p_wait"].append((w > 0).mean())
        per["abandon_rate"].append(ab.mean())
        per["service_level"].append(((w <= WITHIN_S) & ~ab).mean())
    t = stats.t.ppf(0.995, N_BATCHES - 1) / math.sqrt(N_BATCHES)
    return {k: (float(np.mean(v)), t * float(np.std(v, ddof=1))) for k, v in per.items()}


def run_simpy(n_contacts, patience, seed):
    """A process per contact, a Resource for the agents: the way SimPy's docs model queues."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / RATE, n_contacts)
    services = rng.exponential(AHT_S, n_contacts)
    patiences = rng.exponential(patience, n_contacts) if patience else None
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=N_AGENTS)
    waits = np.zeros(n_contacts)
    abandoned = np.zeros(n_contacts, dtype=bool)

    def contact(k):
        arrived = env.now
        with agents.request() as req:
            if patiences is None:
                yield req
            else:
                result = yield req | env.timeout(patiences[k])
                if req not in result:
                    waits[k] = env.now - arrived
                    abandoned[k] = True
                    return
            waits[k] = env.now - arrived
            yield env.timeout(services[k])

    def source():
        for k in range(n_contacts):
            yield env.timeout(gaps[k])
            env.process(contact(k))

    env.process(source())
    env.run()
    return waits, abandoned


def run_ciw(n_contacts, patience, seed):
    """ciw 3.x: one node, exponential arrivals, service and (optionally) reneging."""
    kwargs = {
        "arrival_distributions": [ciw.dists.Exponential(rate=RATE)],
        "service_distributions": [ciw.dists.Exponential(rate=1 / AHT_S)],
        "number_of_servers": [N_AGENTS],
    }
    if patience:
        kwargs["reneging_time_distributions"] = [ciw.dists.Exponential(rate=1 / patience)]
    network = ciw.create_network(**kwargs)
    ciw.seed(seed)  # ciw's own API seeds its global generators (peer only; not in ccplan)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_customers(n_contacts, method="Arrive")
    records = sorted(sim.get_all_records(), key=lambda r: r.arrival_date)
    waits = [r.waiting_time for r in records]
    abandoned = [r.record_type == "renege" for r in records]
    return waits, abandoned


def check(name, kpis, theory):
    bad = [f"{k} {v:.4f}+-{h:.4f} vs {theory[k]:.4f}" for k, (v, h) in kpis.items()
           if abs(v - theory[k]) > max(h, 1e-9)]
    return "agree" if not bad else "DISAGREE: " + "; ".join(bad)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=200_000)
    args = parser.parse_args()
    n = args.contacts
    warm = n // 10
    print("ccplan simulator benchmark (benchmarks/bench_simulator.py)")
    print(f"  {platform.platform()}, python {platform.python_version()}, simpy "
          f"{importlib.metadata.version('simpy')}, numpy {np.__version__}, ciw "
          f"{importlib.metadata.version('ciw') if ciw else 'not installed'}")
    print(f"M/M/{N_AGENTS}, load {LOAD:g} erlangs (90%), AHT {AHT_S:g} s, {n:,} contacts, "
          f"first {warm:,} not measured\n")
    for patience in (None, PATIENCE_S):
        label = "no abandonment" if patience is None else f"mean patience {patience:g} s"
        theory_row = queue_kpis(N_AGENTS, RATE * 3600, 3600, AHT_S, WITHIN_S, patience).iloc[0]
        theory = {"mean_wait_s": theory_row.mean_wait_s, "p_wait": theory_row.p_wait,
                  "abandon_rate": theory_row.abandon_rate,
                  "service_level": theory_row.service_level}
        print(f"== {label}")
        rates = {}
        t0 = time.perf_counter()
        r = simulate_queue(N_AGENTS, RATE, AHT_S, patience, n_contacts=n, seed=1,
                           confidence=0.99, warmup_contacts=warm)
        rates["ccplan"] = n / (time.perf_counter() - t0)
        ours = {k: (r[k], (r[k + "_ci_high"] - r[k + "_ci_low"]) / 2) for k in theory}
        print(f"  ccplan simulate_queue  {rates['ccplan']:>10,.0f} contacts/s   "
              f"{check('ccplan', ours, theory)}")
        t0 = time.perf_counter()
        waits, ab = run_simpy(n, patience, 1)
        rates["simpy"] = n / (time.perf_counter() - t0)
        print(f"  idiomatic SimPy        {rates['simpy']:>10,.0f} contacts/s   "
              f"{check('simpy', batch_ci(waits, ab, warm), theory)}")
        if ciw is not None:
            t0 = time.perf_counter()
            waits, ab = run_ciw(n, patience, 1)
            rates["ciw"] = n / (time.perf_counter() - t0)
            print(f"  ciw                    {rates['ciw']:>10,.0f} contacts/s   "
                  f"{check('ciw', batch_ci(waits, ab, warm), theory)}")
        print(f"  ccplan / idiomatic SimPy: {rates['ccplan'] / rates['simpy']:.2f}x (target >= 4x)")
        if "ciw" in rates:
            print(f"  ccplan / ciw:             {rates['ccplan'] / rates['ciw']:.2f}x "
                  "(target >= 8x)")
        else:
            print('  ciw not installed: pip install -e ".[dev]" to compare with it')
        print()
    memory_check(n // 4)
    return n


def memory_check(n):
    """Peak Python memory of simulate_queue at n and 4n contacts (flat: no per-contact state)."""
    peaks = []
    for size in (n, 4 * n):
        tracemalloc.start()
        simulate_queue(N_AGENTS, RATE, AHT_S, PATIENCE_S, n_contacts=size, seed=2)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    print(f"Memory (tracemalloc peak, with patience): {peaks[0] / 1e6:.2f} MB at {n:,} contacts, "
          f"{peaks[1] / 1e6:.2f} MB at {4 * n:,} ({peaks[1] / peaks[0]:.2f}x for 4x the contacts)")


def centre_week(shared=False):
    """A week of a 300-agent, three-channel centre with shifts and breaks, 10 replications:
    three dedicated pools, or (``shared``) one group of the same agents with all three
    skills."""
    import pandas as pd

    from simulator import ChannelModel, GroupModel, simulate

    starts = pd.date_range("2026-03-02 00:00", periods=7 * 96, freq="15min")
    hour = starts.hour + starts.minute / 60
    shape = np.exp(-0.5 * ((hour - 11) / 2.5) ** 2) + 0.8 * np.exp(-0.5 * ((hour - 16) / 2) ** 2)
    shape = np.where((hour >= 7) & (hour < 22), shape + 0.1, 0.0)
    plans = {"voice": (150, 300.0, 0.55), "chat": (90, 420.0, 0.3), "email": (60, 600.0, 0.15)}
    frames, rows = [], []
    for channel, (n_agents, aht, share) in plans.items():
        offered = shape / shape.sum() * 150_000 * share
        frames.append(pd.DataFrame({"channel": channel, "interval_start": starts,
                                    "offered": offered, "aht_s": aht}))
        for day in range(7):
            base = pd.Timestamp("2026-03-02") + pd.Timedelta(days=day)
            for k in range(n_agents):
                start = base + pd.Timedelta(hours=7) + pd.Timedelta(minutes=30 * (k % 14))
                rows.append((channel, f"{channel}{k}", "shift", start,
                             start + pd.Timedelta(hours=8)))
                lunch = start + pd.Timedelta(hours=4)
                rows.append((channel, f"{channel}{k}", "break", lunch,
                             lunch + pd.Timedelta(minutes=30)))
    forecast = pd.concat(frames, ignore_index=True)
    roster = pd.DataFrame(rows, columns=["channel", "agent", "activity", "start", "end"])
    kwargs = {}
    if shared:
        roster = roster.drop(columns="channel").assign(group="all")
        kwargs = {"groups": {"all": GroupModel(skills=tuple(plans))},
                  "channel_priority": list(plans)}
    t0 = time.perf_counter()
    intervals, summary = simulate(forecast, roster=roster, interval_s=900, n_replications=10,
                                  seed=1, channels={c: ChannelModel(mean_patience_s=180.0)
                                                    for c in plans}, **kwargs)
    seconds = time.perf_counter() - t0
    contacts = intervals.groupby("replication").offered.sum().mean()
    print(f"Centre week{' (one shared group)' if shared else ''}: 3 channels, "
          f"{sum(p[0] for p in plans.values())} agents a day in "
          f"8-hour shifts with a 30-minute break, {contacts:,.0f} contacts a replication, "
          f"10 replications: {seconds:.1f} s (target < 60 s; one process)")


def empirical_law_cost(rounds=3):
    """A week (672 intervals of 15 min, 60 contacts each, 18 agents, 4 replications) with
    exponential handle times and with an empirical law of 20,000 values: CPU medians, ratio."""
    import pandas as pd

    from simulator import ChannelModel, simulate

    starts = pd.date_range("2026-03-02", periods=672, freq="15min", tz="UTC")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": 60.0,
                             "aht_s": 240.0})
    coverage = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "agents_on_queue": 18})
    values = np.random.default_rng(0).lognormal(5.0, 0.8, 20_000).tolist()
    laws = {"exponential": ChannelModel(mean_patience_s=PATIENCE_S),
            "empirical": ChannelModel(mean_patience_s=PATIENCE_S,
                                      handle_time={"kind": "empirical", "values_s": values})}
    cpu = {name: [] for name in laws}
    for _ in range(rounds):  # interleaved
        for name, model in laws.items():
            t0 = time.process_time()
            simulate(forecast, coverage, interval_s=900, channels={"voice": model},
                     n_replications=4, seed=1)
            cpu[name].append(time.process_time() - t0)
    med = {name: sorted(v)[len(v) // 2] for name, v in cpu.items()}
    print(f"Handle-time law, a week of one channel (4 replications, CPU median of {rounds}): "
          f"exponential {med['exponential']:.2f} s, empirical (20,000 values) "
          f"{med['empirical']:.2f} s ({med['empirical'] / med['exponential']:.2f}x)")


HANG_UP_SHARE = 0.05
PICKUP_S = 4.0
REDIAL_P = 0.3
REDIAL_MEAN_S = 600.0


def all_four_behaviours(n_contacts, rounds=3):
    """M/M/50 at 90% load with exponential patience (mean 120 s), 5% hang-ups at once, a
    fixed pick-up delay of 4 s and redials (30% of those who waited before abandoning, after
    an exponential 10 minutes): ccplan's ``simulate()`` on a one-channel stationary centre
    (two replications, ``n_contacts`` first attempts in all) against ciw modelling the same
    (baulking for the hang-ups; reneging to an infinite-server delay node that routes back
    with probability 0.3; service = delay + handle time, the wait measured + delay; one run
    of the same total time). ciw's redials do not hang up (its baulking acts on arrivals from
    outside only): ccplan's do, 5% of 3% of the contacts. Interleaved rounds, CPU time,
    medians; prints the ratio of contacts (redials included) per CPU second."""
    import pandas as pd

    from simulator import ChannelModel, simulate

    per_interval = RATE * 900
    n_iv = max(1, round(n_contacts / (2 * per_interval)))
    starts = pd.date_range("2026-03-02", periods=n_iv, freq="15min", tz="UTC")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "offered": per_interval, "aht_s": AHT_S})
    coverage = forecast[["channel", "interval_start"]].assign(agents_on_queue=N_AGENTS)
    # hang-ups (a wait of 0) do not redial, as in ciw, whose baulked customers leave
    model = ChannelModel(mean_patience_s=PATIENCE_S, hang_up_share=HANG_UP_SHARE,
                         pickup_delay={"kind": "fixed", "value_s": PICKUP_S},
                         redial_probability=[(1e-9, 0.0), (math.inf, REDIAL_P)],
                         redial_delay={"kind": "exponential", "mean_s": REDIAL_MEAN_S})

    def run_ccplan(seed):
        intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2,
                                seed=seed, channels={"voice": model})
        total = intervals[["offered", "answered_within_target", "abandoned", "redials"]].sum()
        return int(total["offered"]), {
            "service_level": total["answered_within_target"] / total["offered"],
            "abandon_rate": total["abandoned"] / total["offered"],
            "redial_share": total["redials"] / total["offered"]}

    def run_ciw_model(seed):
        class RenegeToRedial(ciw.routing.Direct):
            def next_node_for_jockeying(self, ind):
                return self.simulation.nodes[2]

        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(rate=RATE), None],
            service_distributions=[ciw.dists.Deterministic(PICKUP_S)
                                   + ciw.dists.Exponential(rate=1 / AHT_S),
                                   ciw.dists.Exponential(rate=1 / REDIAL_MEAN_S)],
            number_of_servers=[N_AGENTS, float("inf")],
            reneging_time_distributions=[ciw.dists.Exponential(rate=1 / PATIENCE_S), None],
            baulking_functions=[lambda n, **_: HANG_UP_SHARE, None],
            routing=ciw.routing.NetworkRouting(routers=[
                RenegeToRedial(to=-1), ciw.routing.Probabilistic(destinations=[1],
                                                                 probs=[REDIAL_P])]))
        ciw.seed(seed)  # ciw's own API seeds its global generators (peer only)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(2 * n_iv * 900.0)
        records = [r for r in sim.get_all_records() if r.node == 1]
        served = [r for r in records if r.record_type == "service"]
        offered = len(records)
        return offered, {
            "service_level": sum(r.waiting_time + PICKUP_S <= WITHIN_S for r in served)
            / offered,
            "abandon_rate": sum(r.record_type in ("renege", "baulk") for r in records) / offered,
            # a customer's visits to node 1 after its first are its redials
            "redial_share": (offered - len({r.id_number for r in records})) / offered}

    runners = {"ccplan": run_ccplan}
    if ciw is not None:
        runners["ciw"] = run_ciw_model
    cpu = {name: [] for name in runners}
    kpis = {}
    for k in range(rounds):  # interleaved
        for name, run in runners.items():
            t0 = time.process_time()
            offered, kpis[name] = run(k + 1)
            cpu[name].append(offered / (time.process_time() - t0))
    med = {name: sorted(v)[len(v) // 2] for name, v in cpu.items()}
    print(f"All four behaviours (patience, hang-ups, pick-up delay, redials), M/M/{N_AGENTS} at "
          f"90%, {n_contacts:,} first attempts, CPU median of {rounds} interleaved rounds:")
    for name in runners:
        shown = ", ".join(f"{k} {v:.4f}" for k, v in kpis[name].items())
        print(f"  {name:<7} {med[name]:>10,.0f} contacts/CPU s   ({shown})")
    if ciw is not None:
        print(f"  ccplan simulate() / ciw: {med['ccplan'] / med['ciw']:.2f}x (target >= 8x)")
    else:
        print('  ciw not installed: pip install -e ".[dev]" to compare with it')


if __name__ == "__main__":
    contacts = main()
    centre_week()
    centre_week(shared=True)
    empirical_law_cost()
    all_four_behaviours(contacts)
