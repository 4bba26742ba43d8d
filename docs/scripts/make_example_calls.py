"""Build the bundled example of one row per contact: a week of offered calls with their times.

Reads the Technion "Anonymous Bank" (Israel, 1999) per-call records kept in the
shared data folder (``../shared/data/anonymous-bank-israel-1999/calls_1999-02.csv.gz``
relative to the project root) and writes, for the week Sunday 1999-02-14 to
Saturday 1999-02-20, one row per offered call to
``scenarios/examples/data/anonymous_bank_calls_week.csv.gz``: the README's
example of ``ccplan forecast --contacts`` with a renamed column.

Run from the project root::

    python docs/scripts/make_example_calls.py            # writes the file
    python docs/scripts/make_example_calls.py --check    # rebuild in memory, compare, no write

Which calls are offered, and when, is decided by ``offered_calls`` of
``make_example_week.py`` (imported, not copied), exactly as for the week and
history files: PHANTOM records and AGENT records with NO_SERVER are dropped; a
call is offered if it queued or went straight to an agent; its offer time is
``q_start`` (queued) or ``vru_exit`` (direct), moved to the next day when it lies
more than 12 h before the VRU entry. Calls are kept when their offer time falls in
the week, whatever their ``date``; nothing is cut for opening hours.

One column, ``offered_at``: the offer time, naive local wall clock (Israel; no
DST in February 1999), ``YYYY-MM-DD HH:MM:SS``, rows in time order. Nothing else
about the call (no customer id, no agent name) is written. The gzip header
carries no file name and mtime 0, so the bytes depend only on the content (and
the zlib build); ``--check`` compares the decompressed text.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

import pandas as pd
from make_example_week import DEFAULT_DATA, load_calls, offered_calls

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "scenarios" / "examples" / "data" / "anonymous_bank_calls_week.csv.gz"
DEFAULT_START = "1999-02-14"  # a Sunday: the Israeli working week runs Sunday to Saturday


def build(data_dir: Path, start: str, report: list[str]) -> str:
    """The CSV text: header ``offered_at``, one line per call offered in the 7 days from start."""
    first = pd.Timestamp(start)
    end = first + pd.Timedelta(days=7)
    calls = load_calls(data_dir, first.strftime("%Y-%m"))
    offered = offered_calls(calls, report)
    times = offered["offer_time"]
    week = times[(times >= first) & (times < end)].sort_values(kind="stable")
    report.append(f"offered calls in {first:%Y-%m-%d} .. {end - pd.Timedelta(days=1):%Y-%m-%d}: "
                  f"{len(week)}")
    per_day = week.dt.strftime("%a %d %b").value_counts(sort=False)
    report.append("per day: " + ", ".join(f"{day} {n}" for day, n in per_day.items()))
    table = pd.DataFrame({"offered_at": week.dt.strftime("%Y-%m-%d %H:%M:%S")})
    return str(table.to_csv(index=False, lineterminator="\n"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--start", default=DEFAULT_START, help="first day (ISO date, a Sunday)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="compare with the existing output instead of writing it")
    args = parser.parse_args(argv)

    report: list[str] = []
    text = build(args.data_dir, args.start, report)
    print("\n".join(report))
    if args.check:
        same = args.out.exists() and gzip.decompress(args.out.read_bytes()).decode() == text
        print(f"{args.out}: {'identical' if same else 'DIFFERS'}")
        return 0 if same else 1
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=buffer, mode="wb", mtime=0) as handle:
        handle.write(text.encode())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(buffer.getvalue())
    print(f"wrote {args.out} ({len(buffer.getvalue())} bytes; {len(text.encode())} uncompressed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
