"""Time ``ccplan calibrate`` on the Anonymous Bank's four months of per-call records.

Run from the project root (reads ../shared/data, which only docs and benchmark
scripts may do)::

    python benchmarks/bench_calibrate.py [--data-dir DIR] [--repeats 3]

The four monthly files (1999-01, -02, -08, -10; 141,646 records) are converted to
the generic columns by ``docs/scripts/anonymous_bank_calls.py`` (offered calls
only: PHANTOM and NO_SERVER records dropped, as everywhere in the docs) into one
CSV in a temporary folder; then the command as a user runs it (a new process,
``--columns answered=AGENT,abandoned=HANG --skip-bad-rows``) is timed, whole:
start-up, reading, estimating, writing the snippet, tables and the HTML report.
Issue 16 asks for under 30 s. There is no peer to time against (no other tool
calibrates these behaviours from a calls file); the figure printed is the
median of the repeats, with the fitted patience, naive and censored.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "scripts"))
from anonymous_bank_calls import generic_calls  # noqa: E402
from make_example_week import DEFAULT_DATA  # noqa: E402

MONTHS = ("1999-01", "1999-02", "1999-08", "1999-10")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        calls_csv = Path(folder) / "anonymous_bank_calls.csv"
        calls = pd.concat([generic_calls(m, args.data_dir) for m in MONTHS], ignore_index=True)
        calls.to_csv(calls_csv, index=False, lineterminator="\n")
        raw = sum(len(pd.read_csv(args.data_dir / f"calls_{m}.csv.gz", usecols=[0]))
                  for m in MONTHS)
        print(f"{raw:,} records in the four months; {len(calls):,} offered calls written "
              f"({calls_csv.stat().st_size / 1e6:.1f} MB)")
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "scenarios.cli", "calibrate", str(calls_csv),
                 "--columns", "answered=AGENT,abandoned=HANG", "--skip-bad-rows",
                 "--out", str(Path(folder) / "out")],
                capture_output=True, text=True, cwd=ROOT, check=False)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(done.stderr)
        print(done.stdout)
        fits = pd.read_csv(Path(folder) / "out" / "fits.csv").set_index("quantity")
        print(f"patience: censored exponential MLE {fits.loc['mean_patience_s', 'value']:.0f} s "
              f"(CI {fits.loc['mean_patience_s', 'low']:.0f}-"
              f"{fits.loc['mean_patience_s', 'high']:.0f}); naive mean wait of the abandoned "
              f"{fits.loc['naive_mean_patience_s', 'value']:.0f} s")
        print(f"ccplan calibrate: median {statistics.median(times):.2f} s over {args.repeats} "
              f"runs ({', '.join(f'{t:.2f}' for t in times)}); issue 16 asks < 30 s")


if __name__ == "__main__":
    main()
