"""Time the scenario pipeline against the targets of the scenario-files issue.

Run from the project root::

    python benchmarks/bench_pipeline.py [--repeats 3] [--skip-demo] [--startup-only]

A plain script, not a test. Targets (2 cores): a small command (``ccplan
erlang`` on one interval) under 0.8 s of CPU in a new process, an Erlang-only
``ccplan run`` of a week in under 5 s, and ``ccplan demo`` in under 2 minutes.

Start-up: ``ccplan erlang ...``, ``ccplan --help`` and ``python -c pass``,
each in a new process, interleaved over several rounds; the CPU time (user +
system) of each child is read from ``resource.getrusage(RUSAGE_CHILDREN)``
before and after, and the median is printed with its ratio to ``python -c
pass``. Bytecode is compiled once into a temporary folder
(``PYTHONPYCACHEPREFIX``), as an installed ccplan has it, and nothing is
written into the source tree.

The pipeline times are
timed as a user meets them: the ``ccplan`` command in a fresh process
(interpreter start and imports included), wall clock, median of the repeats.
The Erlang-only scenario is written here: one week of 15-minute intervals
(672), voice, chat (concurrency 2) and email (24 h), Erlang A, interval
staffing (no shift templates), no simulation. The in-process time of
``scenarios.run_scenario`` on the same file is printed too. No peer tool
runs scenario files, so the ratio printed is against the target.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEEK = """\
name: erlang_week
timezone: Europe/Paris
interval: 15m
horizon: {start: 2026-03-02, days: 7}
hours: {Mon-Fri: "08:00-20:00", Sat: "09:00-17:00", Sun: "10:00-16:00"}
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
  email: {volume: {daily: 500}, aht: 6m, target: 95% in 24h, deferred: true}
staffing: {method: erlang_a, shrinkage: 0.3}
pay: {hourly_rates: {agent: 19}, weekend_premium: 0.25, weekend_days: Sat-Sun}
expect: ["service_level >= 0.8"]
"""


def _ccplan() -> list[str]:
    return [sys.executable, "-m", "scenarios.cli"]


#: The small command the start-up target is about (the README's first erlang line).
ERLANG = ["erlang", "--offered", "100", "--interval-s", "1800", "--aht-s", "180", "--target",
          "80/20"]
STARTUP_TARGET_CPU_S = 0.8
#: What ccplan erlang cannot start without (the Erlang formulas need numpy and scipy.special;
#: typer builds the command line and checks each option's type with pydantic, rich prints the
#: table; one interval needs no pandas): its floor, printed beside it.
LIBRARIES = ("import numpy, scipy.special, typer.main, rich.console, rich.table; "
             "from pydantic import BeforeValidator, Field, TypeAdapter")


def _child_times(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def startup(rounds: int) -> None:
    """Start-up CPU of a small command, ``--help``, the libraries the command needs and an
    empty interpreter, interleaved."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   PYTHONPYCACHEPREFIX=cache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {"python -c pass": [sys.executable, "-c", "pass"],
                    "import the libraries erlang needs": [sys.executable, "-c", LIBRARIES],
                    "ccplan --help": [*_ccplan(), "--help"],
                    "ccplan " + " ".join(ERLANG): [*_ccplan(), *ERLANG]}
        for args in commands.values():  # compiles the bytecode once
            _child_times(args, env)
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        wall: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, args in commands.items():
                c, w = _child_times(args, env)
                cpu[name].append(c)
                wall[name].append(w)
    base = statistics.median(cpu["python -c pass"])
    print(f"\nStart-up in a new process (median of {rounds} interleaved rounds; CPU = user + "
          "system of the child)")
    width = max(len(name) for name in commands)
    for name in commands:
        c = statistics.median(cpu[name])
        print(f"  {name:<{width}}  CPU {c:5.2f} s  wall {statistics.median(wall[name]):5.2f} s  "
              f"({c / base:5.1f}x python -c pass)")
    erlang = statistics.median(cpu["ccplan " + " ".join(ERLANG)])
    print(f"  target ccplan erlang < {STARTUP_TARGET_CPU_S:g} s CPU: "
          f"{'MET' if erlang < STARTUP_TARGET_CPU_S else 'NOT MET'} (CPU / target "
          f"{erlang / STARTUP_TARGET_CPU_S:.2f})")


def _time_command(args: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--startup-only", action="store_true",
                        help="Time the start-up of small commands only.")
    parser.add_argument("--rounds", type=int, default=7, help="Rounds of the start-up timing.")
    args = parser.parse_args()
    import numpy
    import pandas
    import scipy

    print("ccplan pipeline benchmark (benchmarks/bench_pipeline.py)")
    print(f"  machine  {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {numpy.__version__}, pandas "
          f"{pandas.__version__}, scipy {scipy.__version__}")
    startup(args.rounds)
    if args.startup_only:
        return
    sys.path.insert(0, str(ROOT))
    from scenarios import load_scenarios, run_scenario

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "week.yaml").write_text(WEEK, encoding="utf-8")
        scn = load_scenarios(folder / "week.yaml")[0]
        inproc = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            result = run_scenario(scn)
            inproc.append(time.perf_counter() - t0)
        rows = len(result.intervals)
        runs = [_time_command([*_ccplan(), "run", "week.yaml", "--out", "out"], folder)
                for _ in range(args.repeats)]
        run_s = statistics.median(runs)
        print("\nErlang-only `ccplan run` of a week (672 x 15 min, 3 channels, Erlang A, "
              "interval staffing)")
        print(f"  run_scenario in process   median {statistics.median(inproc):.2f} s "
              f"({rows} interval rows)")
        print(f"  ccplan run (new process)  median {run_s:.2f} s over {args.repeats} runs "
              f"({', '.join(f'{t:.2f}' for t in runs)})")
        print(f"  target 5 s: {'MET' if run_s < 5 else 'NOT MET'} (time / target "
              f"{run_s / 5:.2f})")
        if not args.skip_demo:
            demo = _time_command([*_ccplan(), "demo"], folder)
            print("\n`ccplan demo` (the bundled examples, 3 files, 7 scenarios, with shifts, "
                  "simulation and checks)")
            print(f"  wall clock {demo:.1f} s")
            print(f"  target 120 s: {'MET' if demo < 120 else 'NOT MET'} (time / target "
                  f"{demo / 120:.2f})")


if __name__ == "__main__":
    main()
