"""Scale-out benchmark: a 200-point sweep with 10 replications each, serial against 2 workers.

Run from the project root::

    python benchmarks/bench_scale.py [--points 200] [--dask]

A plain script, not a test. Target of the scale-out issue: a speed-up of at
least 1.7x on 2 cores. The sweep is written here: one day of 30-minute
intervals, a voice line sized by Erlang A and simulated with 10
replications, volume scale x AHT on a 20 x 10 grid (200 points), interval
staffing. The same scenarios run through ``scenarios.run_many`` serially
(``workers=1``, in this process) and on 2 local processes (``workers=2``,
started inside the timed run), and optionally on a Dask LocalCluster with 2
workers; the tables are checked to be identical and the speed-up printed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCENARIO = """\
name: sweep
timezone: Europe/London
interval: 30m
horizon: {start: 2026-03-02, days: 1}
hours: {Mon-Fri: "08:00-20:00"}
seed: 2026
channels:
  voice:
    volume: {daily: 2000, profile: {"08:00": 6, "10:00": 10, "13:00": 8, "17:00": 5, "20:00": 0}}
    aht: 4m
    target: 80% in 20s
    patience: 3m
staffing: {method: erlang_a, shrinkage: 0.3}
simulation: {replications: 10}
sweep:
  volume_scale: {from: 0.8, to: 1.75, step: 0.05}
  channels.voice.aht: {from: 180, to: 315, step: 15}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200,
                        help="sweep points to run (the first N of the 20 x 10 grid)")
    parser.add_argument("--dask", action="store_true", help="also time a Dask LocalCluster")
    parser.add_argument("--one", type=int, default=0, metavar="N",
                        help="also time ONE scenario (a week) with N replications, serial "
                             "against 2 workers (its replications split)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import numpy
    import pandas as pd

    import scenarios
    from scenarios import run_many

    print("ccplan scale-out benchmark (benchmarks/bench_scale.py)")
    print(f"  machine  {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {numpy.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.yaml"
        path.write_text(SCENARIO, encoding="utf-8")
        found = [s for s in scenarios.load_scenarios(path) if s.kind == "sweep"][:args.points]
    print(f"  sweep    {len(found)} points x {found[0].n_replications} replications, "
          f"{found[0].n_intervals} intervals each")
    timings = {}
    outputs = {}
    runs = [("serial (workers=1)", {"workers": 1}), ("2 processes (workers=2)", {"workers": 2})]
    if args.dask:
        runs.append(("Dask LocalCluster, 2 workers", {"workers": 2, "dask": "local"}))
    for label, options in runs:
        t0 = time.perf_counter()
        results, failures = run_many(found, **options)
        timings[label] = time.perf_counter() - t0
        if failures:
            sys.exit(f"{label}: {len(failures)} scenario(s) failed: {failures[0].message}")
        outputs[label] = results
        print(f"  {label:30s} {timings[label]:7.1f} s")
    serial = outputs[runs[0][0]]
    for label, _ in runs[1:]:
        for a, b in zip(serial, outputs[label], strict=True):
            for table in ("intervals", "channels", "totals", "cost_breakdown"):
                pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))
        print(f"  {label}: tables identical to the serial run")
    speedup = timings[runs[0][0]] / timings[runs[1][0]]
    print(f"\n  speed-up on 2 processes: {speedup:.2f}x (target >= 1.7x: "
          f"{'MET' if speedup >= 1.7 else 'NOT MET'})")
    if args.dask:
        print(f"  speed-up on Dask LocalCluster: "
              f"{timings[runs[0][0]] / timings[runs[2][0]]:.2f}x")
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "week.yaml"
            text = SCENARIO.split("sweep:")[0].replace("days: 1", "days: 7").replace(
                "replications: 10", f"replications: {args.one}")
            path.write_text(text, encoding="utf-8")
            week = scenarios.load_scenarios(path)
        print(f"\nOne scenario, {week[0].n_intervals} intervals, {args.one} replications")
        t0 = time.perf_counter()
        serial, _ = run_many(week, workers=1)
        t_serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        split, failures = run_many(week, workers=2)
        t_split = time.perf_counter() - t0
        if failures:
            sys.exit(f"one scenario: {failures[0].message}")
        pd.testing.assert_frame_equal(serial[0].intervals, split[0].intervals)
        print(f"  serial {t_serial:.1f} s, 2 workers (replications split) {t_split:.1f} s: "
              f"{t_serial / t_split:.2f}x; tables identical")


if __name__ == "__main__":
    main()
