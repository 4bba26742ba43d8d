"""Time how fast the dashboard's Erlang views follow the knobs (issue: "well under a second").

Run from the project root::

    python benchmarks/bench_dashboard.py [--repeats 5]

A plain script, not a test. It drives the real app with Streamlit's AppTest
(the page script, the cache and the scenarios pipeline, no browser) and
times one rerun after the volume knob moves: to a value not seen before
(the quick run is computed) and back to a value already seen (served from
``st.cache_data``). Per bundled example file, whose scenarios (base,
variants, sweep points) the Scenarios page's quick view shows together.
The in-process time of the quick run of the base scenario alone is printed
too. No peer tool has such a view, so the figures are compared with the 1 s
target.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import streamlit
    from streamlit.testing.v1 import AppTest

    import scenarios

    print("ccplan dashboard benchmark (benchmarks/bench_dashboard.py)")
    print(f"  machine  {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, streamlit {streamlit.__version__}")
    print("\nOne rerun of the Scenarios page after the volume knob moves (median of "
          f"{args.repeats}), target 1 s")
    print(f"  {'file':22s} {'scenarios':>9s} {'shown':>6s} {'new value':>10s} "
          f"{'seen value':>11s} {'base alone':>11s}")
    for path in scenarios.example_files():
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
        at.run()
        at.selectbox(key="picked_box").set_value(f"bundled: {path.name}").run()
        if at.exception:
            sys.exit(f"{path.name}: {at.exception[0].value}")
        found = scenarios.load_scenarios(path)
        n = len(found)
        n_sweep = sum(s.kind == "sweep" for s in found)
        shown = n - (n_sweep if n_sweep > 4 else 0)   # the page's default (see scenarios.py)
        fresh, cached = [], []
        for k in range(args.repeats):
            value = round(1.05 + 0.05 * k, 2)
            t0 = time.perf_counter()
            at.slider(key="k_volume").set_value(value).run()
            fresh.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            at.slider(key="k_volume").set_value(1.0).run()
            cached.append(time.perf_counter() - t0)
        base = scenarios.load_scenarios(path, variants=False,
                                        overrides={"volume_scale": 1.3})[0].analytic()
        alone = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            scenarios.run_scenario(base)
            alone.append(time.perf_counter() - t0)
        print(f"  {path.name:22s} {n:9d} {shown:6d} {statistics.median(fresh):9.2f}s "
              f"{statistics.median(cached):10.2f}s {statistics.median(alone):10.2f}s")
    print("\n  new value: the quick run of the scenarios shown is computed (a sweep of more than "
          "four points starts toggled out); seen value: served from the cache; base alone: "
          "run_scenario of the base scenario's quick form, in process.")


if __name__ == "__main__":
    main()
