"""Benchmark ``staffing.schedule_shifts`` on a blended week: solver candidates and a greedy peer.

Run from the project root::

    python benchmarks/bench_schedule.py [--candidates all] [--reference]

A plain script, not a test. The instance: a week of 15-minute intervals
(672), three channels blended, 384 shift templates (length x start) with
break windows and weekly tours. The best known solution is
``BEST_KNOWN`` = 204,003.08 and the best proven bound ``BEST_BOUND`` =
201,548.75 (issue 14: several solvers and long runs); no solver lifts the
bound above the LP relaxation, so a certified gap of about 1.2% is the
floor, and the target is stated against the best known solution: within
0.1% of it in under 60 s of CPU on 2 cores, deterministic (two runs give the
same objective), with the certified gap printed beside it.

Candidates, side by side (CPU time is ``time.process_time`` of this process;
the solvers start no child processes; the machine may be shared, so CPU time
is the figure to compare, wall time is shown too):

- ``scipy two_stage (before)``: ccplan's approach before issue 14:
  ``scipy.optimize.milp`` (HiGHS bundled with scipy) in two stages (LP bound by
  interior point; shifts with breaks spread over their windows; breaks
  placed), stopped by a 60-s wall-clock limit: its result depends on the
  machine's speed and load.
- ``highspy direct ipm`` (ccplan's default now, ``method="auto"``): HiGHS
  through ``highspy`` on the whole model, one thread, seed 0, the LP
  relaxations by interior point (``mip_lp_solver="ipm"``), stopped by the
  gap or the node budget ``max_nodes``: deterministic. Run twice.
- ``highspy two_stage``: the two stages above through ``highspy``, on the
  node budget (deterministic).

Each is checked: coverage and pay recounted from the shifts and breaks
tables. The greedy peer (the textbook roster builder) shows what the
optimiser buys. It repeatedly adds the single agent (a tour: family, start
time, days-off pattern, breaks in the middle of their windows, the same
start every working day) that covers the most still-uncovered
agent-intervals per unit of cost, as long as one does and the shortfall
penalty it saves is above its pay. Its roster is priced here with the same
pay rules plus ccplan's shortfall penalty, so the objectives compare.

The instance is deterministic: Monday 2026-03-02 00:00 Europe/Paris, voice
(Erlang C, 80% in 20 s), chat (concurrency 2, 80% in 60 s) and email (80%
within an hour), a double-peak day and weekday factors; four families (FT8,
FT10, PT6, PT4) starting every 15 minutes round the clock, weekly tours with
consecutive days off and the start chosen day by day; a repeating week.

``--reference`` also runs the whole model in HiGHS for 600 s (wall) and
prints its objective and bound (a longer look at where the optimum lies).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import os
import platform
import statistics
import sys
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import scipy

from staffing import requirements, schedule_shifts
from staffing.errors import InfeasibleScheduleError
from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

IVL = 900                      # 15-minute intervals, seconds
PER_DAY = 96
T = 7 * PER_DAY                # 672 intervals
START = pd.Timestamp("2026-03-02 00:00", tz="Europe/Paris")   # a Monday
WEEKDAY_FACTOR = np.array([1.1, 1.0, 0.95, 0.95, 0.9, 0.6, 0.4])
H = 3600

RATES = PayRates(hourly_rates={"ft": 22.0, "pt": 20.0}, overhead_per_paid_hour=6.0,
                 night_premium=0.25, weekend_premium=0.2)
# mip_rel_gap 0.013 is the target restated as a certificate: the LP bound (the best proven) is
# 1.22% below the best known, so 1% cannot be certified by any solver (one asked for it works
# until its node budget), while a schedule certified within 1.3% of the bound costs at most
# bound / (1 - 0.013) = 204,203, within 0.1% of the best known.
RULES = ScheduleRules(wrap_around=True, max_part_time_share=0.4, mip_rel_gap=0.013)
#: Best known objective (cost + shortfall penalty) of this instance and the best proven lower
#: bound (issue 14: measured with several solvers and long runs).
BEST_KNOWN = 204_003.08
BEST_BOUND = 201_548.75
TARGET_CPU_S = 60.0
TARGET_VS_BEST = 0.001


# ---------------------------------------------------------------------------
# The instance
# ---------------------------------------------------------------------------

def day_shape(hours: np.ndarray, late: float) -> np.ndarray:
    """A smooth double peak: late morning and mid-afternoon, a low night."""
    def bump(mu, sd):
        return np.exp(-0.5 * ((hours - mu) / sd) ** 2)

    return 0.04 + bump(10.5, 1.6) + 0.8 * bump(15.0 + late, 1.9)


def build_requirements() -> pd.DataFrame:
    starts = pd.date_range(START, periods=T, freq="15min")
    hours = (np.arange(T) % PER_DAY) / 4.0 + 0.125        # mid-interval, hours
    weekday = WEEKDAY_FACTOR[np.arange(T) // PER_DAY]
    channels = [  # name, peak contacts per 15 min, AHT s, extra kwargs for requirements()
        ("voice", 180.0, 300.0, 0.0, {"answer_within_s": 20}),
        ("chat", 110.0, 600.0, 1.5, {"answer_within_s": 60, "concurrency": 2}),
        ("email", 40.0, 480.0, -1.0, {"answer_within_s": 3600}),
    ]
    out = []
    for name, peak, aht, late, kwargs in channels:
        offered = peak * weekday * day_shape(hours, late) / day_shape(np.array([10.5]), late)
        fc = pd.DataFrame({"channel": name, "interval_start": starts,
                           "offered": np.round(offered, 2), "aht_s": aht})
        out.append(requirements(fc, interval_s=IVL, service_level_target=0.8, **kwargs))
    return pd.concat(out, ignore_index=True)


def build_templates() -> list[ShiftTemplate]:
    def coffee(name, lo_h, hi_h):
        return BreakRule(name, 900, lo_h * H, hi_h * H, is_paid=True)

    def lunch(lo_h, hi_h):
        return BreakRule("lunch", 1800, lo_h * H, hi_h * H)

    common = {"earliest_start_s": 0, "latest_start_s": 23.75 * H, "start_step_s": IVL,
              "consecutive_days_off": True, "same_start_time": False}
    return [
        ShiftTemplate("FT8", 8.5 * H, breaks=(coffee("coffee1", 1.5, 2.5), lunch(3.5, 5.0),
                                              coffee("coffee2", 6.0, 7.0)),
                      days_per_week=5, agent_type="ft", **common),
        ShiftTemplate("FT10", 10.5 * H, breaks=(coffee("coffee1", 1.5, 2.5), lunch(4.0, 6.0),
                                                coffee("coffee2", 7.5, 8.5)),
                      days_per_week=4, agent_type="ft", **common),
        ShiftTemplate("PT6", 6 * H, breaks=(coffee("coffee", 2.5, 3.5),), days_per_week=5,
                      agent_type="pt", is_part_time=True, **common),
        ShiftTemplate("PT4", 4 * H, breaks=(coffee("coffee", 1.5, 2.5),), days_per_week=5,
                      agent_type="pt", is_part_time=True, **common),
    ]


def patterns(t: ShiftTemplate) -> list[tuple[int, ...]]:
    """Working weekdays of each tour: days_per_week days, the days off one block of the week."""
    out = []
    for on in itertools.combinations(range(7), t.days_per_week):
        off = [d for d in range(7) if d not in on]
        if not off or sum((d - 1) % 7 not in off for d in off) == 1:
            out.append(on)
    return out


# ---------------------------------------------------------------------------
# Pay, written out plainly (checked against ccplan's cost of its own schedule)
# ---------------------------------------------------------------------------

def pay_per_interval(rate: float) -> np.ndarray:
    """Pay of one agent for each interval of the week: base x hours x (1 + premiums) + overhead."""
    tod_h = (np.arange(T) % PER_DAY) / 4.0          # the interval's start, hours after midnight
    night = (tod_h >= 22) | (tod_h < 6)
    weekend = (np.arange(T) // PER_DAY) >= 5
    hours = IVL / H
    return (rate * hours * (1 + RATES.night_premium * night + RATES.weekend_premium * weekend)
            + RATES.overhead_per_paid_hour * hours)


def masks(t: ShiftTemplate) -> tuple[np.ndarray, np.ndarray]:
    """On-the-queue and paid intervals of one shift, breaks in the middle of their windows."""
    n = int(t.length_s // IVL)
    on, paid = np.ones(n, bool), np.ones(n, bool)
    for b in t.breaks:
        n_w = int((b.latest_start_s - b.earliest_start_s) // IVL)
        lo = int(b.earliest_start_s // IVL) + n_w // 2
        hi = lo + int(b.duration_s // IVL)
        on[lo:hi] = False
        if not b.is_paid:
            paid[lo:hi] = False
    return on, paid


def recount_ccplan(sched, templates) -> tuple[np.ndarray, float]:
    """Agents on the queue per interval and the pay, rebuilt from the shifts and breaks tables."""
    by_name = {t.name: t for t in templates}
    pay = {k: pay_per_interval(v) for k, v in RATES.hourly_rates.items()}

    def slot(ts):
        return int(round((pd.Timestamp(ts) - START).total_seconds() / IVL))

    on = np.zeros(T)
    cost = 0.0
    kind = {}
    for r in sched.shifts.itertuples():
        t = by_name[r.template]
        kind[r.shift_id] = t.agent_type
        pos = (slot(r.shift_start) + np.arange(int(r.duration_s // IVL))) % T
        on[pos] += r.headcount
        cost += r.headcount * pay[t.agent_type][pos].sum()
    for r in sched.breaks.itertuples():
        pos = (slot(r.break_start) + np.arange(int(r.duration_s // IVL))) % T
        on[pos] -= r.headcount
        if not r.is_paid:
            cost -= r.headcount * pay[kind[r.shift_id]][pos].sum()
    return on, cost


# ---------------------------------------------------------------------------
# The greedy peer
# ---------------------------------------------------------------------------

def greedy(templates, target: np.ndarray, penalty: float, max_pt_share: float):
    """Add the agent with the most still-uncovered agent-intervals per unit of cost, one by one.

    Candidates: every family x start time x days-off pattern, breaks mid-window,
    the same start every working day. Stops when every interval is covered or
    no candidate saves more shortfall penalty than it costs. Part-time agents
    are added only while the part-time share stays within ``max_pt_share``.
    Returns the chosen candidates as (template, start slot of day, days on).
    """
    cands, rows, costs, is_pt = [], [], [], []
    for t in templates:
        on, paid = masks(t)
        pay = pay_per_interval(RATES.hourly_rates[t.agent_type])
        offs_on, offs_paid = np.flatnonzero(on), np.flatnonzero(paid)
        for days in patterns(t):
            day0 = np.array(days)[:, None] * PER_DAY
            for s in range(PER_DAY):
                cover = np.zeros(T, np.float32)
                cover[((day0 + s + offs_on).ravel()) % T] = 1.0
                cands.append((t, s, days))
                rows.append(cover)
                costs.append(pay[((day0 + s + offs_paid).ravel()) % T].sum())
                is_pt.append(t.is_part_time)
    a = np.array(rows)
    cost = np.array(costs)
    is_pt = np.array(is_pt)
    resid = target.astype(np.int64).copy()
    chosen = []
    n_pt = 0
    while (resid > 0).any():
        gain = a @ (resid > 0).astype(np.float32)
        ok = gain * penalty > cost
        if n_pt + 1 > max_pt_share * (len(chosen) + 1):
            ok &= ~is_pt
        if not ok.any():
            break
        k = int(np.argmax(np.where(ok, gain / cost, -1.0)))
        chosen.append(cands[k])
        n_pt += bool(is_pt[k])
        resid -= a[k].astype(np.int64)
    return chosen, target - resid


def recount_greedy(chosen) -> tuple[np.ndarray, float]:
    """Agents on the queue per interval and the pay of a greedy roster, agent by agent."""
    on = np.zeros(T)
    cost = 0.0
    for t, s, days in chosen:
        on_mask, paid_mask = masks(t)
        pay = pay_per_interval(RATES.hourly_rates[t.agent_type])
        for d in days:
            for k in range(len(on_mask)):
                i = (d * PER_DAY + s + k) % T
                on[i] += on_mask[k]
                cost += pay[i] * paid_mask[k]
    return on, cost


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def print_machine() -> None:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    try:
        from scipy.optimize._highspy import _core as highs
        highs_v = (f"{highs.HIGHS_VERSION_MAJOR}.{highs.HIGHS_VERSION_MINOR}."
                   f"{highs.HIGHS_VERSION_PATCH} (bundled with scipy)")
    except (ImportError, AttributeError):
        highs_v = "bundled with scipy (version unknown)"
    print("Machine")
    print(f"  platform     {platform.platform()}")
    print(f"  cores        os.cpu_count()={os.cpu_count()}, usable={usable}")
    print(f"  python       {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"  numpy        {np.__version__}")
    print(f"  scipy        {scipy.__version__}, HiGHS {highs_v}")
    try:
        print(f"  ccplan       {importlib.metadata.version('ccplan')}")
    except importlib.metadata.PackageNotFoundError:
        print("  ccplan       not installed (run from the source tree)")


def _model_and_program(req, templates, rules):
    """ccplan's own model and programme (staffing._schedule), for the scipy candidate."""
    from staffing import _schedule as sch

    horizon, _channels, reqa = sch._horizon(req, IVL)
    required = reqa.sum(axis=0, keepdims=True)
    target = np.ceil(required / (1.0 - rules.shrinkage) - 1e-9).astype(np.int64)
    m = sch._Model(horizon, float(IVL), [sch.BLENDED], target, required, required > 0,
                 list(templates))
    sch._build_options(m, rules.wrap_around)
    return sch, m, sch._program(m, rules, RATES)


def scipy_two_stage(req, templates, rules, time_limit_s: float = 60.0):
    """ccplan's solve before issue 14: scipy's milp in two stages, on a wall-clock limit."""
    import warnings

    from scipy.optimize import Bounds, linprog, milp

    sch, m, prog = _model_and_program(req, templates, rules)
    t0 = time.perf_counter()

    def run_milp(c, integrality, upper, constraints, limit, gap, lower=None):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lower = np.zeros(len(c)) if lower is None else lower
            return milp(c, integrality=integrality, bounds=Bounds(lower, upper),
                        constraints=constraints,
                        options={"time_limit": max(float(limit), 1.0), "mip_rel_gap": gap,
                                 "disp": False, "presolve": True, "random_seed": 0,
                                 "threads": 1})

    import scipy.sparse as sps

    cons = prog.constraints
    a = sps.csr_matrix(cons.A)
    lb, ub = np.asarray(cons.lb, float), np.asarray(cons.ub, float)
    eq = lb == ub
    ge = ~eq & np.isfinite(lb)
    le = ~eq & np.isfinite(ub)
    lp = linprog(prog.c, A_ub=sps.vstack([-a[ge], a[le]]).tocsr(), b_ub=np.r_[-lb[ge], ub[le]],
                 A_eq=a[eq], b_eq=lb[eq],
                 bounds=np.c_[np.zeros(len(prog.c)),
                              np.where(np.isfinite(prog.upper), prog.upper, np.nan)],
                 method="highs-ipm", options={"time_limit": time_limit_s})
    bound = float(lp.fun) if lp.status == 0 else None
    from dataclasses import replace as dc_replace

    prog1 = sch._program(dc_replace(m, groups=[]), rules, RATES, smooth_breaks=True)
    left = time_limit_s - (time.perf_counter() - t0)
    res1 = run_milp(prog1.c, prog1.integrality, prog1.upper, prog1.constraints,
                    max(left - 4.0, 0.5 * left), rules.mip_rel_gap / 2)
    prog = sch._program(m, rules, RATES)      # rebuild the break groups
    fixed = np.round(res1.x[:prog.n_shift])
    lower = np.zeros(len(prog.c))
    lower[:prog.n_shift] = fixed
    upper = prog.upper.copy()
    upper[:prog.n_shift] = fixed
    left = time_limit_s - (time.perf_counter() - t0)
    best = run_milp(prog.c, prog.integrality, upper, prog.constraints, max(left, 3.0), 0.0,
                    lower=lower)
    x = np.round(best.x).astype(np.int64)
    sched = sch._tables(m, x, prog.n_brk, RATES, rules)
    summary = dict(sched.summary)
    summary["objective"] = summary["cost"] + prog.penalty * summary["under_agent_intervals"]
    summary["solver_objective"] = float(best.fun)
    summary["dual_bound"] = bound
    summary["mip_gap"] = (float(best.fun) - bound) / float(best.fun) if bound else None
    summary["status"] = "time_limit (wall clock)"
    summary["under_penalty"] = prog.penalty
    return sch.Schedule(sched.shifts, sched.breaks, sched.tours, sched.coverage, sched.costs,
                      summary)


def timed(solve):
    """Run ``solve()``; return its result, CPU seconds (this process and its children) and wall."""
    def cpu():
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    c0, w0 = cpu(), time.perf_counter()
    out = solve()
    return out, cpu() - c0, time.perf_counter() - w0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", default="all",
                        help="comma-separated: scipy, ipm, two_stage (default all)")
    parser.add_argument("--reference", action="store_true",
                        help="also solve the whole model directly in HiGHS for 600 s")
    args = parser.parse_args()
    wanted = ({"scipy", "ipm", "two_stage"} if args.candidates == "all"
              else set(args.candidates.split(",")))

    print("ccplan shift-scheduling benchmark (benchmarks/bench_schedule.py)")
    print_machine()
    req = build_requirements()
    templates = build_templates()
    per_channel = req.pivot(index="interval_start", columns="channel",
                            values="agents_required")
    target = per_channel.sum(axis=1).to_numpy(dtype=np.int64)
    n_starts = sum(len(t.start_times_s()) for t in templates)
    n_patterns = sum(len(patterns(t)) for t in templates)
    print("\nInstance")
    print(f"  week         {START:%a %Y-%m-%d %H:%M} {START.tz}, {IVL // 60}-minute intervals, "
          "repeating (wrap_around=True)")
    print(f"  intervals    {T}")
    print("  channels     " + ", ".join(
        f"{c} peak {int(per_channel[c].max())}" for c in per_channel.columns)
        + f"; blended peak {target.max()}, total {target.sum():,} agent-intervals")
    print(f"  templates    {n_starts} (length x start) in {len(templates)} families "
          f"({', '.join(t.name for t in templates)}), starts every 15 min round the clock")
    print(f"  tours        {n_patterns} days-off patterns (consecutive days off; "
          "start chosen day by day)")
    print(f"  rules        max part-time share {RULES.max_part_time_share:g}, "
          f"mip_rel_gap {RULES.mip_rel_gap:g}, max_nodes {RULES.max_nodes}, "
          f"time limit {RULES.time_limit_s:g} s (safety net)")
    print(f"  best known   {BEST_KNOWN:,.2f}; best proven bound {BEST_BOUND:,.2f} "
          f"({BEST_KNOWN / BEST_BOUND - 1:.2%} apart)")

    candidates = []
    if "scipy" in wanted:
        candidates.append(("scipy two_stage (before)", 1,
                           lambda: scipy_two_stage(req, templates, RULES)))
    if "ipm" in wanted:
        candidates.append(("highspy direct ipm (default)", 2,
                           lambda: schedule_shifts(req, templates, interval_s=IVL, rules=RULES,
                                                   rates=RATES)))
    if "two_stage" in wanted:
        candidates.append(("highspy two_stage", 2,
                           lambda: schedule_shifts(req, templates, interval_s=IVL, rates=RATES,
                                                   rules=replace(RULES, method="two_stage"))))
    rows = []
    last = None
    for name, repeats, solve in candidates:
        runs = []
        for k in range(repeats):
            try:
                sched, cpu_s, wall_s = timed(solve)
            except InfeasibleScheduleError as err:
                print(f"\n{name}, run {k + 1}: no schedule: {err}", flush=True)
                break
            s = sched.summary
            on, cost = recount_ccplan(sched, templates)
            under = int(np.maximum(target - on, 0).sum())
            agree = (np.array_equal(on, sched.coverage["agents_scheduled"].to_numpy())
                     and under == s["under_agent_intervals"]
                     and abs(cost - s["cost"]) < 1e-6 * s["cost"])
            gap = s["mip_gap"]
            print(f"\n{name}, run {k + 1}: status {s['status']}, objective {s['objective']:,.2f} "
                  f"({s['objective'] / BEST_KNOWN - 1:+.3%} vs best known), certified gap "
                  f"{'n/a' if gap is None else f'{gap:.2%}'}, CPU {cpu_s:.1f} s, "
                  f"wall {wall_s:.1f} s; tables recounted: {'agree' if agree else 'DISAGREE'}",
                  flush=True)
            runs.append((sched, cpu_s, wall_s))
            if s["status"] == "time_limit":
                break        # cut by the wall clock: a second run would not tell anything
        if not runs:
            continue
        objs = {round(r[0].summary["objective"], 6) for r in runs}
        same = (len(objs) == 1 and all(r[0].shifts.equals(runs[0][0].shifts)
                                       and r[0].breaks.equals(runs[0][0].breaks) for r in runs))
        sched = runs[-1][0]
        cut = sched.summary["status"].startswith("time_limit")
        rows.append((name, sched.summary, statistics.median(r[1] for r in runs),
                     statistics.median(r[2] for r in runs),
                     "no (wall-clock limit)" if cut or repeats == 1
                     else "yes (2 runs, same tables)" if same else "NO"))
        last = sched

    print("\nCandidates (objective = cost + shortfall penalty; certified gap against each "
          "one's own bound)")
    print(f"  {'candidate':30s} {'objective':>12s} {'vs best':>8s} {'cert. gap':>9s} "
          f"{'CPU s':>7s} {'wall s':>7s}  deterministic")
    for name, s, cpu_s, wall_s, det in rows:
        gap = s["mip_gap"]
        print(f"  {name:30s} {s['objective']:12,.2f} {s['objective'] / BEST_KNOWN - 1:+8.3%} "
              f"{'n/a' if gap is None else f'{gap:.2%}':>9s} {cpu_s:7.1f} {wall_s:7.1f}  {det}")

    if last is not None:
        s = last.summary
        print("\nGreedy (most uncovered agent-intervals per unit of cost, one agent at a time)")
        t0 = time.perf_counter()
        chosen, covered = greedy(templates, target, s["under_penalty"],
                                 RULES.max_part_time_share)
        greedy_s = time.perf_counter() - t0
        on_g, cost_g = recount_greedy(chosen)
        under_g = int(np.maximum(target - on_g, 0).sum())
        obj_g = cost_g + s["under_penalty"] * under_g
        n_pt = sum(t.is_part_time for t, _s, _d in chosen)
        print(f"  runtime      {greedy_s:.1f} s")
        print(f"  roster       {len(chosen)} agents ({n_pt} part-time), "
              + ", ".join(f"{t.name} {sum(c[0] is t for c in chosen)}" for t in templates))
        print(f"  objective    {obj_g:,.2f}  ({obj_g / BEST_KNOWN - 1:+.2%} vs best known; cost "
              f"{cost_g:,.2f} + shortfall penalty {s['under_penalty']:g} x {under_g} "
              "agent-intervals)")
        print(f"  check        coverage recounted agent by agent: "
              f"{'agree' if np.array_equal(on_g, covered) else 'DISAGREE'}")

    print(f"\nTarget: within {TARGET_VS_BEST:.1%} of the best known in under {TARGET_CPU_S:g} s "
          "of CPU, deterministic")
    for name, s, cpu_s, _wall_s, det in rows:
        ok = (s["objective"] <= BEST_KNOWN * (1 + TARGET_VS_BEST) and cpu_s < TARGET_CPU_S
              and det.startswith("yes"))
        print(f"  {name:30s} {'MET' if ok else 'NOT MET'}")

    if args.reference:
        print("\nReference: method='direct', 600 s")
        ref = schedule_shifts(req, templates, interval_s=IVL, rates=RATES,
                              rules=replace(RULES, time_limit_s=600, max_nodes=2**31 - 1,
                                            mip_rel_gap=0.0))
        r = ref.summary
        print(f"  runtime      {r['runtime_s']:.1f} s, status {r['status']}")
        print(f"  objective    {r['objective']:,.2f} ({r['objective'] / BEST_KNOWN - 1:+.3%} vs "
              "best known)")
        rb = r["dual_bound"]
        print(f"  HiGHS bound  {rb:,.2f}, gap {r['mip_gap']:.3%}" if rb is not None
              else "  HiGHS bound  none")


if __name__ == "__main__":
    main()
