"""Benchmark ``forecasting.forecast`` on every AXA queue: two years in, four weeks out.

Run from the project root (reads ../shared/data)::

    python benchmarks/bench_forecast.py

A plain script, not a test. All 26 AXA assistance queues, 30-minute history
from 2011-01-01 00:00 to 2012-12-24 00:00 (the last Monday before the
challenge's held-out week, which leaves the data missing from 2012-12-28 on),
a 4-week forecast (4 x 336 intervals):

* ``forecast(method="auto", country="FR", n_jobs=-1)``, timed twice, each
  with PASS/FAIL against the target (< 60 s on 2 cores), and what auto picked;
* each of ``forecasting.contracts.METHODS`` alone on the same queues (``n_jobs=-1``),
  timed once.

Timings include the start of the worker processes. The machine is shared and
noisy: read a single timing as a rough figure.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting import Forecast, forecast
from forecasting.contracts import METHODS

DATA = Path("../shared/data/axa-assistance-30min/received_calls_30min_by_assignment.csv.gz")
HISTORY_START = pd.Timestamp("2011-01-01 00:00")
HISTORY_END = pd.Timestamp("2012-12-24 00:00")  # exclusive: the last Monday before the gap
HORIZON = 4 * 336  # four weeks of 30-minute intervals
TARGET_AUTO_S = 60.0
REPEATS_AUTO = 2


def version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def load_history() -> pd.DataFrame:
    """All 26 queues as a ``history`` table, 2011-01-01 to HISTORY_END (missing stays NaN)."""
    wide = pd.read_csv(DATA, parse_dates=["interval_start"])
    tail = wide[wide["interval_start"] >= HISTORY_END]
    gap = tail[tail.drop(columns="interval_start").isna().all(axis=1)]
    print(f"Data: {len(wide.columns) - 1} queues, {wide['interval_start'].iloc[0]} to "
          f"{wide['interval_start'].iloc[-1]}; after {HISTORY_END:%Y-%m-%d %H:%M}, "
          f"{len(gap)} of {len(tail)} half hours are missing for every queue"
          + (f" (from {gap['interval_start'].iloc[0]:%Y-%m-%d %H:%M})" if len(gap) else ""))
    wide = wide[(wide["interval_start"] >= HISTORY_START)
                & (wide["interval_start"] < HISTORY_END)]
    long = wide.melt(id_vars="interval_start", var_name="channel", value_name="offered")
    return long[["channel", "interval_start", "offered"]]


def timed_forecast(history: pd.DataFrame, method: str) -> tuple[float, Forecast]:
    with warnings.catch_warnings():
        # Non-daily methods warn that they ignore the holiday calendar; expected here.
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        result = forecast(history, HORIZON, interval_s=1800, country="FR", method=method,
                          n_jobs=-1)
        return time.perf_counter() - started, result


def main() -> int:
    print("ccplan forecast benchmark (benchmarks/bench_forecast.py)")
    print()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    print(f"Machine: {platform.platform()}; os.cpu_count()={os.cpu_count()}, usable={usable}; "
          f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"statsmodels {version('statsmodels')}, ccplan {version('ccplan')}")
    history = load_history()
    n_queues = history["channel"].nunique()
    print(f"History: {n_queues} queues x {len(history) // n_queues:,} half hours "
          f"({HISTORY_START:%Y-%m-%d} to {HISTORY_END:%Y-%m-%d %H:%M}), "
          f"{int(history['offered'].isna().sum()):,} cells missing; horizon {HORIZON} intervals "
          "(4 weeks)")
    print()

    print(f"forecast(method='auto', country='FR', n_jobs=-1), {REPEATS_AUTO} runs "
          f"(target < {TARGET_AUTO_S:g} s)")
    auto_times = []
    result = None
    for run in range(1, REPEATS_AUTO + 1):
        seconds, result = timed_forecast(history, "auto")
        auto_times.append(seconds)
        verdict = "PASS" if seconds < TARGET_AUTO_S else "FAIL"
        print(f"  run {run}: {seconds:6.1f} s  {verdict}")
    picks = Counter(info["method"] for info in result.methods.values())
    print("  auto picked: " + ", ".join(f"{m} {n}" for m, n in picks.most_common()))
    by_pick: dict[str, list[str]] = {}
    for channel, info in sorted(result.methods.items()):
        by_pick.setdefault(info["method"], []).append(channel)
    for method, channels in by_pick.items():
        print(f"    {method}: {', '.join(channels)}")
    print()

    print("Each method alone, all queues, n_jobs=-1 (one run each)")
    for method in METHODS:
        seconds, _ = timed_forecast(history, method)
        print(f"  {method:<16} {seconds:6.1f} s")
    print()
    best = min(auto_times)
    print(f"Verdict: auto on {n_queues} queues, best of {REPEATS_AUTO} {best:.1f} s "
          f"(target < {TARGET_AUTO_S:g} s): {'PASS' if best < TARGET_AUTO_S else 'FAIL'}")
    return 0 if best < TARGET_AUTO_S else 1


if __name__ == "__main__":
    sys.exit(main())
