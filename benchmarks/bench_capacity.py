"""Benchmark the long-range capacity plan (issue 17): the engine, and the scenario file's plan.

Run from the project root::

    python benchmarks/bench_capacity.py [--rounds 5] [--skip-engine]

A plain script, not a test. Two parts.

**The plan from a scenario file** (``scenarios.run_capacity``), the issue's targets on 2 cores:
a 78-week plan, 3 channels (voice; chat, two at once; email, 95% within 24 h) in 2 groups
(``voice_team``: voice; ``digital_team``: chat and email), a weekly history of 156 weeks per
channel written here (seeded: trend, yearly wave, noise), a shrinkage plan by category,
tenure bands, early attrition, a ramp, a transfer, hiring rules per group. Three runs of the
same file:

- ``whatif``: the hiring classes given (``plan: given``: the classes ``milp`` finds),
  target < 2 s;
- ``milp``: the classes chosen at least cost (``plan: optimise``, ``mip_gap: 1%``), target
  < 30 s, with the gap HiGHS proves;
- ``risk``: the given plan with 1,000 Monte Carlo risk runs (forecast sample paths x binomial
  leavers), target < 10 s (the risk runs alone: this minus ``whatif``).

Each is printed beside the same run with every week sized directly
(``run_capacity(scenario, grid_step=0)``: the representative week's intervals scaled to each
week's volume and handle time and sized by the pipeline's requirements stage, week by week,
without the cache's 1% volume grid); the ratio is what the cache buys. The risk runs'
sample paths are sized on the grid even then (the pipeline does so: sized directly, every
run's 78 weeks would be sized on their own), so their direct time is given as the number of
runs times the time of sizing one plan's 78 weeks directly with the staffing functions
alone (below), an extrapolation that says what the cache saves. The cached weekly FTE is
also compared with
``grid_step=0`` and with the staffing functions alone (:func:`staffing.requirements`,
Erlang A, and :func:`staffing.deferred_requirements` on every interval of the 78 weeks,
written here, not the pipeline's code). Rounds are interleaved (each round runs every job in
turn, after one warm-up round not counted); the medians of wall and CPU time
(``time.process_time``; HiGHS runs on one thread) are printed. The machine is shared: CPU
time is the figure to compare.

**The engine alone** (``staffing.capacity``, ``--skip-engine`` leaves it out): the what-if and
the hiring MILP on a 78-week, two-group instance whose requirement is an input array, with
the 1% plan checked against the same MILP solved to 0.1%.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from staffing import deferred_requirements, requirements
from staffing.capacity import (
    AgentGroup,
    HiringClass,
    HiringRules,
    Transfer,
    capacity_whatif,
    plan_hiring,
    weekly_attrition,
)

N_WEEKS = 78
HISTORY_WEEKS = 156

SCENARIO = """\
name: bench_capacity
timezone: Europe/London
interval: 30m
horizon: {start: 2027-01-04, days: 7}
hours: {Mon-Fri: "08:00-20:00", Sat: "09:00-17:00", Sun: "10:00-16:00"}
holidays: {country: GB, subdivision: ENG, closed: false}
currency: GBP
seed: 17
channels:
  voice:
    volume: {daily: {Mon-Fri: 2400, Sat: 1200, Sun: 400},
             profile: {"08:00": 7, "10:00": 10, "12:00": 7, "14:00": 9, "17:00": 5, "20:00": 0}}
    aht: 4m30s
    target: 80% in 20s
    patience: 3m
  chat:
    volume: {daily: 900, profile: {"08:00": 5, "12:00": 8, "18:00": 10, "20:00": 0}}
    aht: 9m
    target: 80% in 60s
    patience: 5m
    concurrency: 2
  email: {volume: {daily: 500, profile: {"08:00": 1, "20:00": 0}}, aht: 6m,
          target: 95% in 24h, deferred: true}
staffing: {method: erlang_a, shrinkage: 0.3}
pay: {hourly_rates: {agent: 19}, overhead_per_paid_hour: 5}
capacity:
  weeks: 78
  start: 2027-01-04
  demand: {history: history.csv, level: 80%}
  hours_per_fte_week: 37.5
  shrinkage:
    annual_leave: {Jan: 6%, Feb-Jun: 8%, Jul-Aug: 15%, Sep-Nov: 8%, Dec: 14%}
    public_holidays: {per_holiday: 7.5h}
    sickness: 4%
    training: 2%
    meetings: {per_week: 1h}
  groups:
    voice_team:
      channels: [voice]
      headcount: [{tenure: 2w, heads: 6}, {tenure: 30w, heads: 10}, {tenure: 200w, heads: 40}]
      part_time: {share: 20%, fte: 0.5}
      attrition: {annual: 35%, first_weeks: [3%, 2.5%, 2%, 1.5%, 1%, 1%, 0.8%, 0.8%]}
      ramp: [40%, 55%, 70%, 80%, 90%, 95%]
      overtime: {limit: 5%, premium: 50%}
      hiring: {training: 5w, graduate: 85%, min_class: 6, max_class: 18, lead_time: 6w,
               every: 1w, cost_per_hire: 2500, training_cost_per_week: 300}
    digital_team:
      channels: [chat, email]
      headcount: 30
      attrition: {annual: 30%, first_weeks: [3%, 2%, 1%]}
      ramp: [70%, 80%, 90%, 95%]
      overtime: {limit: 5%, premium: 50%}
      hiring: {training: 3w, graduate: 90%, min_class: 4, max_class: 12, lead_time: 6w,
               every: 1w, cost_per_hire: 2000, training_cost_per_week: 250}
  transfers: [{week: 20, from: voice_team, to: digital_team, headcount: 3}]
  plan: optimise
  mip_gap: 1%
  short_penalty: 6000
variants:
  whatif:
    capacity:
      plan: given
      groups:
        voice_team: {classes: [{start: 6, size: 6}, {start: 41, size: 9}, {start: 42, size: 6},
                               {start: 55, size: 6}, {start: 59, size: 6}]}
        digital_team: {classes: [{start: 43, size: 4}, {start: 45, size: 4}, {start: 61, size: 5}]}
  risk:
    capacity:
      plan: given
      groups:
        voice_team: {classes: [{start: 6, size: 6}, {start: 41, size: 9}, {start: 42, size: 6},
                               {start: 55, size: 6}, {start: 59, size: 6}]}
        digital_team: {classes: [{start: 43, size: 4}, {start: 45, size: 4}, {start: 61, size: 5}]}
      risk: {probability: 90%, runs: 1000}
"""


def history(seed: int = 17) -> pd.DataFrame:
    """156 weeks of weekly volumes per channel: a trend, a yearly wave, log-normal noise."""
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2024-01-01", periods=HISTORY_WEEKS, freq="7D")
    t = np.arange(HISTORY_WEEKS)
    parts = []
    for channel, level, growth in (("voice", 13_600, -0.03), ("chat", 5_400, 0.12),
                                   ("email", 3_500, 0.04)):
        mean = (level * (1 + growth) ** (t / 52.18 - 3)
                * (1 + 0.12 * np.sin(2 * np.pi * t / 52.18) + 0.05 * np.cos(4 * np.pi * t / 52.18)))
        offered = rng.poisson(mean * rng.lognormal(0.0, 0.04, HISTORY_WEEKS))
        parts.append(pd.DataFrame({"channel": channel, "week_start": weeks, "offered": offered}))
    return pd.concat(parts, ignore_index=True)


def direct_weekly_fte(scn, week: pd.DataFrame, channels: pd.DataFrame,
                      hours_per_fte_week: float) -> pd.DataFrame:
    """Required productive FTE per channel and week, sizing every interval of every week.

    ``week``: the representative week's intervals (``channel``, ``interval_start``,
    ``offered``, ``aht_s``, ``is_open``: the scenario's own week as the pipeline staffs it);
    ``channels``: ``channel``, ``week``, ``offered``, ``aht_s`` per week (the plan's demand).
    Each week's intervals are the representative week's, scaled to the week's volume and
    handle time; a live channel is sized in one call over all its intervals, a deferred one
    week by week.
    """
    out = []
    interval_h = scn.interval_s / 3600
    for ch in scn.channels:
        rep = week[week["channel"] == ch.name]
        shape = rep["offered"].to_numpy(dtype=float)
        shape = shape / shape.sum()
        per = channels[channels["channel"] == ch.name].sort_values("week")
        offered = np.outer(per["offered"].to_numpy(dtype=float), shape).ravel()
        aht = np.repeat(per["aht_s"].to_numpy(dtype=float), shape.size)
        n_weeks = len(per)
        if ch.is_deferred:
            # One constant level per call (deferred_requirements sizes the work of its whole
            # input at one level), so each week is its own call, as the pipeline's week is.
            is_open = rep["is_open"].to_numpy(dtype=bool)
            need = np.concatenate([deferred_requirements(
                offered[k * shape.size:(k + 1) * shape.size], scn.interval_s,
                aht[k * shape.size:(k + 1) * shape.size], ch.answer_within_s,
                is_open=is_open)["agents_required"].to_numpy() for k in range(n_weeks)])
        else:
            starts = pd.date_range(rep["interval_start"].iloc[0], periods=offered.size,
                                   freq=pd.Timedelta(seconds=scn.interval_s))
            table = pd.DataFrame({"channel": ch.name, "interval_start": starts,
                                  "offered": offered, "aht_s": aht})
            patience = ch.mean_patience_s if scn.method != "erlang_c" else None
            need = requirements(table, interval_s=scn.interval_s,
                                service_level_target=ch.service_level_target,
                                answer_within_s=ch.answer_within_s, mean_patience_s=patience,
                                max_occupancy=ch.max_occupancy,
                                concurrency=ch.concurrency)["agents_required"].to_numpy()
        hours = need.reshape(n_weeks, shape.size).sum(axis=1) * interval_h
        out.append(pd.DataFrame({"channel": ch.name, "week": per["week"].to_numpy(),
                                 "required_fte_direct": hours / hours_per_fte_week}))
    return pd.concat(out, ignore_index=True)


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def scenario_part(rounds: int) -> None:
    from scenarios import load_scenarios, run_scenario
    from scenarios.pipeline import run_capacity

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        history().to_csv(folder / "history.csv", index=False)
        (folder / "bench.yaml").write_text(SCENARIO, encoding="utf-8")
        loaded = {s.name.split(" / ")[-1]: s for s in load_scenarios(folder / "bench.yaml")}
        runs = {"whatif": loaded["whatif"], "milp": loaded["bench_capacity"],
                "risk": loaded["risk"]}
        # The representative week as the pipeline staffs it (the file without its capacity
        # block), and the plan's weekly demand.
        (alone,) = load_scenarios(folder / "bench.yaml", variants=False,
                                  overrides={"capacity": None})
        week = run_scenario(alone).intervals
        scn = runs["whatif"]
        plan = run_capacity(scn)
        hours_per_fte_week = scn.capacity.hours_per_fte_week
        jobs = {}
        for name, s in runs.items():
            jobs[name] = lambda s=s: run_capacity(s)
            if name != "risk":
                jobs[name + " direct"] = lambda s=s: run_capacity(s, grid_step=0)
        jobs["staffing alone"] = lambda: direct_weekly_fte(scn, week, plan.channels,
                                                           hours_per_fte_week)
        wall: dict[str, list[float]] = {name: [] for name in jobs}
        cpu: dict[str, list[float]] = {name: [] for name in jobs}
        results = {}
        for k in range(rounds + 1):   # round 0 warms up and is not counted
            for name, job in jobs.items():
                results[name], w, c = _timed(job)
                if k:
                    wall[name].append(w)
                    cpu[name].append(c)

    med = {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in jobs}
    print(f"\nThe plan from a scenario file (scenarios.run_capacity): {N_WEEKS} weeks, 3 channels, "
          f"2 groups, history of {HISTORY_WEEKS} weeks; medians of {rounds} interleaved rounds "
          "after a warm-up round")
    print(f"  {'run':<24}{'wall s':>8}{'CPU s':>8}   target")
    targets = {"whatif": 2, "milp": 30, "risk": 10}
    for name, (w, c) in med.items():
        mark = (f"< {targets[name]} s: {'MET' if w < targets[name] else 'NOT MET'}"
                if name in targets else "")
        print(f"  {name:<24}{w:>8.2f}{c:>8.2f}   {mark}")
    n_runs = runs["risk"].capacity.risk_runs
    print("  The representative week's cache against sizing every week directly (grid_step=0), "
          "CPU time:")
    for name in ("whatif", "milp"):
        direct, cached = med[name + " direct"][1], med[name][1]
        print(f"    {name:<7} {direct:.2f} s direct / {cached:.2f} s cached = "
              f"{direct / cached:.1f}x")
    alone = med["staffing alone"][1]
    print(f"    risk    about {n_runs} x {alone:.2f} s = {n_runs * alone:.0f} s direct (each run's "
          f"78 weeks x 3 channels sized by the staffing functions alone) / {med['risk'][1]:.2f} "
          f"s cached = about {n_runs * alone / med['risk'][1]:.0f}x")
    print(f"  risk runs alone (risk - whatif): {med['risk'][0] - med['whatif'][0]:.2f} s wall, "
          f"{med['risk'][1] - med['whatif'][1]:.2f} s CPU")
    s = results["milp"].summary
    print(f"  MILP: status {s['status']}, proved gap {s['mip_gap']:.4%} (asked "
          f"{s['mip_rel_gap']:.1%}), {s['mip_nodes']} nodes, hires {s['hires_total']:g}, annual "
          f"cost {s['annual_cost']:,.0f}")
    w, r = results["whatif"].summary, results["risk"].summary
    print(f"  whatif (the given plan): hires {w['hires_total']:g}, min weekly coverage "
          f"{w['min_weekly_coverage']:.3f}, short FTE-weeks {w['short_fte_weeks']:.1f}; risk: "
          f"{n_runs} runs, coverage probability min {r['min_coverage_probability']:.3f}, mean "
          f"{results['risk'].weekly['coverage_probability'].mean():.3f}")
    for name in ("whatif", "milp"):
        a = results[name].channels["required_fte"].to_numpy()
        b = results[name + " direct"].channels["required_fte"].to_numpy()
        print(f"  {name}: cached weekly FTE against grid_step=0: max |difference| "
              f"{np.max(np.abs(a - b) / b):.2%}, mean {np.mean(np.abs(a - b) / b):.2%}")
    direct = results["whatif direct"].channels[["channel", "week", "required_fte"]]
    alone = direct.merge(results["staffing alone"], on=["channel", "week"])
    gap = (alone["required_fte"] - alone["required_fte_direct"]).abs().groupby(alone["channel"])
    print("  grid_step=0 against the staffing functions alone, max |difference| by channel: "
          + ", ".join(f"{ch} {v:.2g} FTE" for ch, v in gap.max().items())
          + " (deferred work: the pipeline carries the backlog between weeks; here each week "
          "is sized on its own)")
    cached = results["whatif"].channels[["channel", "week", "required_fte"]]
    both = cached.merge(results["staffing alone"], on=["channel", "week"])
    rel = (both["required_fte"] - both["required_fte_direct"]).abs() / both["required_fte_direct"]
    print(f"  cached weekly FTE against the staffing functions alone (staffing.requirements and "
          f"deferred_requirements on every interval, written here): max |difference| "
          f"{rel.max():.2%}, mean {rel.mean():.2%} ({len(both)} channel-weeks)")


def instance():
    """The engine's 78-week, two-group instance: requirement, groups, rules, transfers."""
    weeks = np.arange(N_WEEKS)
    wave = 1 + 0.12 * np.sin(2 * np.pi * weeks / 52.18) + 0.25 * ((weeks >= 40) & (weeks < 52))
    required = {"voice": list(np.round(80 * wave * (1 + 0.002 * weeks), 2)),
                "chat": list(np.round(30 * wave * (1 + 0.004 * weeks), 2))}
    early = tuple(np.linspace(0.03, weekly_attrition(0.35), 8))
    ramp = (0.4, 0.55, 0.7, 0.8, 0.9, 0.95)
    shrink = [0.3 + 0.05 * ((w % 52) in range(26, 34)) for w in weeks]   # summer leave
    groups = [
        AgentGroup("voice", starting_headcount=((2, 10), (30, 20), (200, 100)),
                   attrition_weekly=weekly_attrition(0.35), early_attrition_weekly=early,
                   ramp=ramp, shrinkage=shrink, fte_per_head=0.9, overtime_limit_fte=4.0,
                   wage_per_fte_week=1050.0, hire_cost=2500.0, training_cost_per_week=300.0,
                   overtime_premium=0.5, short_penalty_per_fte_week=6000.0),
        AgentGroup("chat", starting_headcount=48, attrition_weekly=weekly_attrition(0.3),
                   early_attrition_weekly=early, ramp=ramp[2:], shrinkage=shrink,
                   fte_per_head=0.95, overtime_limit_fte=2.0, wage_per_fte_week=1000.0,
                   hire_cost=2000.0, training_cost_per_week=250.0, overtime_premium=0.5,
                   short_penalty_per_fte_week=6000.0),
    ]
    rules = [HiringRules("voice", training_weeks=5, graduation_share=0.85, min_class_size=6,
                         max_class_size=18, lead_time_weeks=6),
             HiringRules("chat", training_weeks=3, graduation_share=0.9, min_class_size=4,
                         max_class_size=12, lead_time_weeks=6)]
    transfers = [Transfer(20, "voice", "chat", 3.0), Transfer(45, "voice", "chat", 2.0)]
    return required, groups, rules, transfers


def engine_part(rounds: int) -> None:
    required, groups, rules, transfers = instance()
    plan, milp_s, milp_cpu = _timed(lambda: plan_hiring(required, groups, rules,
                                                        transfers=transfers, mip_rel_gap=0.01))
    again = plan_hiring(required, groups, rules, transfers=transfers, mip_rel_gap=0.01)
    same = (plan.classes.equals(again.classes)
            and plan.summary["objective"] == again.summary["objective"])
    classes = list(_classes(plan))

    wall, cpu = [], []
    for _ in range(rounds):
        _, w, c = _timed(lambda: capacity_whatif(required, groups, classes, transfers=transfers))
        wall.append(w)
        cpu.append(c)

    tight, tight_s, _ = _timed(lambda: plan_hiring(required, groups, rules, transfers=transfers,
                                                   mip_rel_gap=1e-3, max_nodes=200_000,
                                                   time_limit_s=600))
    s, ts = plan.summary, tight.summary
    print(f"\nThe engine alone (staffing.capacity): {N_WEEKS} weeks, 2 groups, requirement "
          f"given; {len(classes)} classes planned, {s['hires_total']} hires")
    print(f"  what-if (median of {rounds}): {statistics.median(wall):.4f} s wall, "
          f"{statistics.median(cpu):.4f} s CPU (target < 2 s)")
    print(f"  MILP at 1%:   {milp_s:.2f} s wall, {milp_cpu:.2f} s CPU, status {s['status']}, "
          f"proved gap {s['mip_gap']:.4%}, {s['mip_nodes']} nodes, objective "
          f"{s['objective']:,.0f} (target < 30 s); two runs identical: {same}")
    print(f"  MILP at 0.1%: {tight_s:.2f} s, status {ts['status']}, objective "
          f"{ts['objective']:,.0f}, bound {ts['dual_bound']:,.0f}")
    print(f"  1% plan above the best bound: "
          f"{(s['objective'] - ts['dual_bound']) / s['objective']:.4%}; "
          f"short FTE-weeks {s['short_fte_weeks']:.2f}, overtime FTE-weeks "
          f"{s['overtime_fte_weeks']:.2f}, cost {s['cost']:,.0f}")


def _classes(plan):
    for row in plan.classes.itertuples(index=False):
        yield HiringClass(row.group, int(row.start_week), int(row.size), int(row.training_weeks),
                          float(row.graduation_share))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-engine", action="store_true")
    args = parser.parse_args()
    print("ccplan capacity benchmark (benchmarks/bench_capacity.py)")
    print(f"  {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"highspy {importlib.metadata.version('highspy')}, statsmodels "
          f"{importlib.metadata.version('statsmodels')}")
    scenario_part(args.rounds)
    if not args.skip_engine:
        engine_part(args.rounds)


if __name__ == "__main__":
    main()
