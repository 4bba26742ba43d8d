"""Simulation in the loop on real days of the Anonymous Bank: Erlang-only schedule vs the loop.

Run from the project root (reads ../shared/data, which only docs and benchmark
scripts may do)::

    python docs/scripts/sim_loop_example.py [--day 1999-02-16] [--replications 20]

Prints the tables of docs/simulation_in_the_loop.md. The set-up:

* volumes and AHT: the real 15-minute counts of the working days Sunday 14 to
  Thursday 18 February 1999 (scenarios/examples/data/anonymous_bank_week_voice.csv,
  07:00-24:00), used as if they were the forecast (a perfect forecast, so the
  only gap left is the one between Erlang and the day's dynamics);
* the simulator calibrated on the whole month's call records, as in
  docs/validation.md section 4: talk times resampled from all served calls
  (rescaled to each interval's AHT), exponential patience with the censored
  maximum-likelihood mean; Erlang A with that mean patience for the requirement;
* target 80 % answered within 20 s (of all offered); intervals with fewer than
  10 forecast calls are not judged;
* shifts on an hourly start grid: full-time 8.5 h (07:00-15:00 starts, a 30-min
  unpaid lunch 3-5 h in, paid 15-min breaks 1.5-2.5 h and 5.5-7 h in) and
  part-time 4 h (07:00-20:00 starts, a paid 15-min break 1.5-2.5 h in); 20 per
  paid hour, +25 % from 22:00; hard coverage.

For each day the loop runs from per-interval Erlang requirements (its round 0
is the Erlang-only schedule). Both schedules are then simulated again with
fresh random numbers (another seed, 100 replications) to see whether the fix
holds beyond the random numbers the loop tuned against.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from make_example_week import DEFAULT_DATA, ZERO_TIME, load_calls, offered_calls

from scenarios import schedule_with_simulation
from simulator import ChannelModel, simulate
from staffing import BreakRule, PayRates, ScheduleRules, ShiftTemplate

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "scenarios" / "examples" / "data" / "anonymous_bank_week_voice.csv"
DAYS = ["1999-02-14", "1999-02-15", "1999-02-16", "1999-02-17", "1999-02-18"]
INTERVAL_S = 900
TARGET, WITHIN_S, MIN_CONTACTS = 0.8, 20.0, 10.0
H = 3600.0
TEMPLATES = [
    ShiftTemplate("FT8.5", 8.5 * H, 7 * H, 15 * H, start_step_s=H, breaks=(
        BreakRule("break1", 900, 1.5 * H, 2.5 * H, is_paid=True),
        BreakRule("lunch", 1800, 3 * H, 5 * H),
        BreakRule("break2", 900, 5.5 * H, 7 * H, is_paid=True))),
    ShiftTemplate("PT4", 4 * H, 7 * H, 20 * H, start_step_s=H, is_part_time=True,
                  breaks=(BreakRule("break", 900, 1.5 * H, 2.5 * H, is_paid=True),)),
]
RULES = ScheduleRules(blend=False, coverage="hard")
RATES = PayRates(hourly_rates={"agent": 20.0}, night_premium=0.25)
SEED, CHECK_SEED, CHECK_REPLICATIONS = 2026, 99, 100


def calibrate(month: str = "1999-02") -> tuple[float, tuple[float, ...], float]:
    """Mean patience (s, censored exponential MLE) and the served talk times of the month."""
    calls = offered_calls(load_calls(DEFAULT_DATA, month), [])
    queued = calls[calls["q_start"] != ZERO_TIME]
    mean_patience_s = float(queued["q_time"].sum() / queued["abandoned"].sum())
    talk = calls.loc[calls["served"] & (calls["ser_time"] > 0), "ser_time"].to_numpy(float)
    return mean_patience_s, tuple(talk), float(talk.std() / talk.mean())


def day_forecast(day: str) -> pd.DataFrame:
    week = pd.read_csv(WEEK, parse_dates=["interval_start"])
    part = week[week["interval_start"].dt.normalize() == pd.Timestamp(day)]
    return part[["channel", "interval_start", "offered", "aht_s"]].astype(
        {"offered": float}).reset_index(drop=True)


def recheck(forecast, schedule, settings, judged):
    """Fresh random numbers: pooled SL per judged interval and how many miss (and clearly)."""
    coverage = schedule.coverage[["channel", "interval_start", "agents_scheduled"]]
    sims, _ = simulate(forecast, coverage, interval_s=INTERVAL_S, channels=settings,
                       n_replications=CHECK_REPLICATIONS, seed=CHECK_SEED)
    o = sims.pivot(index="interval_start", columns="replication", values="offered")
    w = sims.pivot(index="interval_start", columns="replication",
                   values="answered_within_target")
    sl = w.sum(axis=1) / o.sum(axis=1)
    resid = w - o.mul(sl, axis=0)
    se = np.sqrt((resid ** 2).sum(axis=1) / (CHECK_REPLICATIONS * (CHECK_REPLICATIONS - 1))
                 ) / (o.sum(axis=1) / CHECK_REPLICATIONS)
    sl, se = sl[judged].to_numpy(), se[judged].to_numpy()
    day = float(sims["answered_within_target"].sum() / sims["offered"].sum())
    return int((sl < TARGET).sum()), int((sl + 1.984 * se < TARGET).sum()), float(sl.min()), day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", default="1999-02-16", help="day whose rounds are printed")
    parser.add_argument("--replications", type=int, default=20)
    args = parser.parse_args()
    mean_patience_s, talk, cv = calibrate()
    print(f"Calibration (Feb 1999): mean patience {mean_patience_s:.0f} s (exponential MLE); "
          f"{len(talk)} served talk times, mean {np.mean(talk):.0f} s, CV {cv:.2f}.\n")
    extra = {"voice": {"handle_time": {"kind": "empirical", "values_s": talk}}}
    settings = {"voice": ChannelModel(answer_within_s=WITHIN_S,
                                      mean_patience_s=mean_patience_s, **extra["voice"])}
    common = {"interval_s": INTERVAL_S, "service_level_target": TARGET,
              "answer_within_s": WITHIN_S, "mean_patience_s": mean_patience_s,
              "rules": RULES, "rates": RATES, "n_replications": args.replications,
              "seed": SEED, "min_contacts": MIN_CONTACTS, "simulation_settings": extra}
    rows = []
    for day in DAYS:
        forecast = day_forecast(day)
        t0 = time.perf_counter()
        res = schedule_with_simulation(forecast, TEMPLATES, max_rounds=8, **common)
        runtime_s = time.perf_counter() - t0
        erlang = schedule_with_simulation(forecast, TEMPLATES, max_rounds=0, **common)
        judged = res.intervals.set_index("interval_start")["is_judged"]
        first, last = res.rounds.iloc[0], res.rounds.iloc[-1]
        check0 = recheck(forecast, erlang.schedule, settings, judged)
        check1 = recheck(forecast, res.schedule, settings, judged)
        rows.append((day, int(forecast["offered"].sum()), first, last, res, check0, check1,
                     runtime_s))
        if day == args.day:
            print(f"Rounds on {pd.Timestamp(day):%a %d %b %Y} ({int(first['n_judged'])} judged "
                  f"intervals, {args.replications} replications, seed {SEED}):\n")
            print("| round | cost | intervals missing | worst interval SL (at) | "
                  "agent-intervals added |")
            print("|---|---|---|---|---|")
            for r in res.rounds.itertuples():
                print(f"| {r.round} | {r.cost:,.0f} | {r.n_missed} | "
                      f"{r.worst_service_level:.1%} ({r.worst_interval_start:%H:%M}) | "
                      f"{r.agents_added} |")
            before = erlang.intervals.set_index("interval_start")
            after = res.intervals.set_index("interval_start")
            changed = before.index[before["is_miss"].to_numpy()
                                   | (after["agents_required"] != before["agents_required"])
                                   .to_numpy()]
            print("\nIntervals that missed in round 0 or whose requirement the loop raised:\n")
            print("| interval | calls | Erlang A req. | on queue, Erlang-only | SL, Erlang-only | "
                  "req. after loop | on queue after loop | SL after loop (95% CI) |")
            print("|---|---|---|---|---|---|---|---|")
            for t in changed:
                b, a = before.loc[t], after.loc[t]
                print(f"| {t:%H:%M} | {b.offered_expected:.0f} | {b.agents_required} | "
                      f"{b.agents_on_queue} | {b.service_level:.1%} | {a.agents_required} | "
                      f"{a.agents_on_queue} | {a.service_level:.1%} "
                      f"({a.service_level_ci_low:.1%}-{a.service_level_ci_high:.1%}) |")
            print()
    print("All five working days (cost in currency units; misses = judged intervals with "
          "pooled simulated SL below 80%):\n")
    print("| day | calls | Erlang-only cost | misses | worst SL | loop cost | extra cost | "
          "rounds | stop | misses after | worst SL after | runtime |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for day, calls, first, last, res, _, _, runtime_s in rows:
        extra_cost = last["cost"] - first["cost"]
        print(f"| {pd.Timestamp(day):%a %d %b} | {calls:,} | {first['cost']:,.0f} | "
              f"{first['n_missed']} | {first['worst_service_level']:.1%} | {last['cost']:,.0f} | "
              f"{extra_cost:+,.0f} ({extra_cost / first['cost']:+.1%}) | {len(res.rounds) - 1} | "
              f"{res.stop_reason} | {last['n_missed']} | {last['worst_service_level']:.1%} | "
              f"{runtime_s:.1f} s |")
    print(f"\nFresh random numbers (seed {CHECK_SEED}, {CHECK_REPLICATIONS} replications), same "
          "judged intervals: misses (clear misses: 95% CI entirely below 80%), worst interval, "
          "whole-day SL:\n")
    print("| day | Erlang-only: misses (clear) | worst | day SL | loop: misses (clear) | worst | "
          "day SL |")
    print("|---|---|---|---|---|---|---|")
    for day, _, _, _, _, c0, c1, _ in rows:
        print(f"| {pd.Timestamp(day):%a %d %b} | {c0[0]} ({c0[1]}) | {c0[2]:.1%} | {c0[3]:.1%} "
              f"| {c1[0]} ({c1[1]}) | {c1[2]:.1%} | {c1[3]:.1%} |")
    total0 = sum(r[2]["cost"] for r in rows)
    total1 = sum(r[3]["cost"] for r in rows)
    print(f"\nWeek (5 days): Erlang-only {total0:,.0f}, loop {total1:,.0f} "
          f"({(total1 - total0) / total0:+.1%}); misses {sum(r[2]['n_missed'] for r in rows)} -> "
          f"{sum(r[3]['n_missed'] for r in rows)}.")


if __name__ == "__main__":
    main()
