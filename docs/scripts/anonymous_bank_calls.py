"""The Anonymous Bank per-call records in the generic columns of ``ccplan calibrate``.

Run from the project root (reads ../shared/data, which only docs and benchmark
scripts may do)::

    python docs/scripts/anonymous_bank_calls.py --month 1999-02 --out /tmp/calls.csv
    python docs/scripts/anonymous_bank_calls.py --slice   # tests/data/anonymous_bank_calls_day.csv

Which calls are offered, and when, is decided by ``offered_calls`` of
``make_example_week.py`` (imported, not copied): PHANTOM records and AGENT
records with NO_SERVER are dropped; a call is offered if it queued or went
straight to an agent; its offer time is ``q_start`` (queued) or ``vru_exit``
(direct). Columns written:

* ``arrival``: the offer time, ``YYYY-MM-DD HH:MM:SS`` (Israel wall clock);
* ``channel``: ``voice`` for all (the bank ran one telephone operation);
* ``wait_s``: answered calls, ``ser_start`` minus the offer time (so a direct
  call's wait is the 0-3 s between leaving the VRU and the agent's answer;
  where the source's clocks disagree by up to 5 s (``vru_exit`` after
  ``ser_start``) the wait is 0, a larger disagreement stays negative and
  ``ccplan calibrate`` reports the row); abandoned calls, ``q_time``;
* ``outcome``: the source's spelling, ``AGENT`` or ``HANG`` (map them with
  ``--columns answered=AGENT,abandoned=HANG``);
* ``handle_s``: ``ser_time`` of answered calls, blank for abandoned ones;
* ``customer_id``: as in the source (0 = not identified);
* ``agent``: ``server`` (the agent's first name).

Rows are in offer-time order.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from make_example_week import DEFAULT_DATA, _seconds, load_calls, offered_calls

ROOT = Path(__file__).resolve().parents[2]
SLICE_OUT = ROOT / "tests" / "data" / "anonymous_bank_calls_day.csv"
SLICE_DAY = "1999-02-15"


def generic_calls(month: str, data_dir: Path = DEFAULT_DATA) -> pd.DataFrame:
    """One month's offered calls in the generic columns, in offer-time order."""
    calls = offered_calls(load_calls(data_dir, month), [])
    answered = calls["outcome"] == "AGENT"
    offer_clock = (calls["offer_time"] - calls["offer_time"].dt.normalize()).dt.total_seconds()
    answer_gap = _seconds(calls["ser_start"]) - offer_clock
    answer_gap = answer_gap + np.where(answer_gap < -12 * 3600, 86400, 0)
    # The source's vru_exit of a direct call is often a second or two after ser_start (its
    # clocks disagree): gaps down to -5 s are read as 0; larger ones stay (calibrate reports).
    answer_gap = np.where((answer_gap < 0) & (answer_gap >= -5), 0, answer_gap)
    wait = np.where(answered, answer_gap, calls["q_time"])
    out = pd.DataFrame({
        "arrival": calls["offer_time"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        "channel": "voice",
        "wait_s": wait.astype(int),
        "outcome": calls["outcome"],
        "handle_s": calls["ser_time"].where(answered).astype("Int64"),
        "customer_id": calls["customer_id"],
        "agent": calls["server"],
        "_t": calls["offer_time"],
    })
    return out.sort_values("_t", kind="stable").drop(columns="_t").reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="1999-02")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--slice", action="store_true",
                        help=f"write the test slice ({SLICE_DAY}) to {SLICE_OUT}")
    args = parser.parse_args()
    if args.slice:
        calls = generic_calls(SLICE_DAY[:7], args.data_dir)
        day = calls[calls["arrival"].str.startswith(SLICE_DAY)]
        day.to_csv(SLICE_OUT, index=False, lineterminator="\n")
        print(f"wrote {SLICE_OUT}: {len(day)} calls")
        return
    calls = generic_calls(args.month, args.data_dir)
    out = args.out or Path(f"calls_{args.month}_generic.csv")
    calls.to_csv(out, index=False, lineterminator="\n")
    print(f"wrote {out}: {len(calls)} calls")


if __name__ == "__main__":
    main()
