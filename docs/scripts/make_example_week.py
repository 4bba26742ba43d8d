"""Build the bundled example week of real contact-centre volumes.

Reads the Technion "Anonymous Bank" (Israel, 1999) per-call records kept in the
shared data folder (``../shared/data/anonymous-bank-israel-1999/calls_1999-02.csv.gz``
relative to the project root) and writes one week of 15-minute intervals to
``scenarios/examples/data/anonymous_bank_week_voice.csv``.

Run from the project root::

    python docs/scripts/make_example_week.py            # default week 1999-02-14 .. 02-20
    python docs/scripts/make_example_week.py --check    # rebuild in memory, compare, no write

Definitions (see ``scenarios/examples/data/SOURCE.md`` for the reasoning):

* dropped records: ``outcome == PHANTOM`` (spurious) and ``outcome == AGENT`` with
  ``server == NO_SERVER`` (no agent recorded, median 6 s "service", almost never queued);
* offered: the remaining calls that entered the agent queue (``q_start != 0:00:00``) or
  were connected straight to an agent (``outcome == AGENT`` without queueing); a call that
  hung up in the VRU without queueing never asked for an agent and is not offered;
* offer time: ``q_start`` for queued calls, ``vru_exit`` for calls that went straight to an
  agent (times after midnight of a call that entered the VRU before midnight are moved to
  the next day); a call is counted in the 15-minute interval containing its offer time;
* abandoned: offered calls with ``outcome == HANG`` (they hung up in the queue);
* aht_s: mean ``ser_time`` of the served calls (AGENT, named agent) of the interval;
* mean_queue_wait_s: mean ``q_time`` of all offered calls of the interval (0 for calls that
  did not queue).

Only intervals inside the centre's opening hours are written: Sun-Thu 07:00-24:00,
Fri 07:00-14:00, Sat from the 15-minute interval of the first offered call after
17:00 (end of the Sabbath; 19:30 on 1999-02-20) to 24:00. Offered calls outside these
hours are reported and dropped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "anonymous-bank-israel-1999"
DEFAULT_OUT = ROOT / "scenarios" / "examples" / "data" / "anonymous_bank_week_voice.csv"
DEFAULT_START = "1999-02-14"  # a Sunday: the Israeli working week runs Sunday to Saturday
INTERVAL = pd.Timedelta(minutes=15)
COLUMNS = ["channel", "interval_start", "offered", "aht_s", "abandoned", "mean_queue_wait_s"]
ZERO_TIME = "0:00:00"


def _seconds(clock: pd.Series) -> pd.Series:
    """``H:MM:SS`` clock strings -> seconds after midnight."""
    parts = clock.str.split(":", expand=True).astype(int)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def load_calls(data_dir: Path, month: str) -> pd.DataFrame:
    path = data_dir / f"calls_{month}.csv.gz"
    calls = pd.read_csv(path, dtype=str)
    calls["q_time"] = calls["q_time"].astype(int)
    calls["ser_time"] = calls["ser_time"].astype(int)
    return calls


def offered_calls(calls: pd.DataFrame, report: list[str]) -> pd.DataFrame:
    """Drop spurious records and return the offered calls with their offer timestamp."""
    phantom = calls["outcome"] == "PHANTOM"
    no_server = (calls["outcome"] == "AGENT") & (calls["server"] == "NO_SERVER")
    report.append(f"dropped PHANTOM records: {int(phantom.sum())}")
    report.append(f"dropped AGENT records with NO_SERVER: {int(no_server.sum())}")
    calls = calls[~phantom & ~no_server].copy()

    queued = calls["q_start"] != ZERO_TIME
    direct = (calls["outcome"] == "AGENT") & ~queued
    vru_hang = ~queued & ~direct
    report.append(f"not offered (hung up in the VRU, never queued): {int(vru_hang.sum())}")
    calls = calls[queued | direct].copy()
    queued = queued[calls.index]

    entry_s = _seconds(calls["vru_entry"])
    offer_s = _seconds(calls["q_start"].where(queued, calls["vru_exit"]))
    # Clock times are within `date`; a call entering before midnight and queueing after it
    # has offer time < entry time by almost a day.  (Small negative differences are clock
    # skew in the source, e.g. vru_exit a minute before vru_entry, and are left alone.)
    rollover = (offer_s - entry_s) < -12 * 3600
    report.append(f"offer time moved past midnight: {int(rollover.sum())}")
    offer_s = offer_s + np.where(rollover, 86400, 0)
    calls["offer_time"] = pd.to_datetime(calls["date"]) + pd.to_timedelta(offer_s, unit="s")
    calls["abandoned"] = (calls["outcome"] == "HANG").astype(int)
    calls["served"] = calls["outcome"] == "AGENT"
    return calls


def saturday_opening(offered: pd.DataFrame, day: pd.Timestamp) -> pd.Timestamp:
    """Left edge of the interval holding the first offered call after 17:00 on a Saturday."""
    times = offered["offer_time"]
    evening = times[(times >= day + pd.Timedelta(hours=17)) & (times < day + pd.Timedelta(days=1))]
    if evening.empty:
        raise SystemExit(f"no offered call on Saturday evening {day.date()}")
    return evening.min().floor("15min")


def opening_intervals(offered: pd.DataFrame, start: pd.Timestamp) -> pd.DatetimeIndex:
    """All 15-minute interval starts inside opening hours for the 7 days from ``start``."""
    slots = []
    for k in range(7):
        day = start + pd.Timedelta(days=k)
        weekday = day.day_of_week  # Monday=0 ... Sunday=6
        if weekday == 4:  # Friday
            first, last = day + pd.Timedelta(hours=7), day + pd.Timedelta(hours=14)
        elif weekday == 5:  # Saturday: after the end of the Sabbath
            first, last = saturday_opening(offered, day), day + pd.Timedelta(days=1)
        else:  # Sunday to Thursday
            first, last = day + pd.Timedelta(hours=7), day + pd.Timedelta(days=1)
        slots.append(pd.date_range(first, last - INTERVAL, freq="15min"))
    return slots[0].append(slots[1:])


def build(data_dir: Path, start: str, report: list[str]) -> pd.DataFrame:
    start_ts = pd.Timestamp(start)
    if start_ts.day_of_week != 6:
        report.append(f"note: {start} is not a Sunday")
    last_day = start_ts + pd.Timedelta(days=6)
    if last_day.month != start_ts.month:
        raise SystemExit("the week must lie inside one monthly file")
    calls = load_calls(data_dir, start_ts.strftime("%Y-%m"))
    day = pd.to_datetime(calls["date"])
    calls = calls[(day >= start_ts) & (day <= last_day)]
    report.append(f"records dated {start_ts.date()} .. {last_day.date()}: {len(calls)}")
    offered = offered_calls(calls, report)

    slots = opening_intervals(offered, start_ts)
    offered = offered.assign(interval_start=offered["offer_time"].dt.floor("15min"))
    inside = offered["interval_start"].isin(slots)
    outside = offered[~inside]
    report.append(f"offered calls outside opening hours (dropped): {len(outside)}")
    for when, n in outside.groupby("interval_start").size().items():
        report.append(f"    {when:%a %Y-%m-%d %H:%M}: {n}")
    offered = offered[inside]

    groups = offered.groupby("interval_start")
    table = pd.DataFrame(
        {
            "offered": groups.size(),
            "abandoned": groups["abandoned"].sum(),
            "mean_queue_wait_s": groups["q_time"].mean(),
            "aht_s": offered[offered["served"]].groupby("interval_start")["ser_time"].mean(),
        }
    ).reindex(slots)
    table["offered"] = table["offered"].fillna(0).astype(int)
    table["abandoned"] = table["abandoned"].fillna(0).astype(int)
    table["aht_s"] = table["aht_s"].round(1)
    table["mean_queue_wait_s"] = table["mean_queue_wait_s"].round(1)
    table.index.name = "interval_start"
    table = table.reset_index()
    table["interval_start"] = table["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    table["channel"] = "voice"
    return table[COLUMNS].sort_values("interval_start", ignore_index=True)


def summary(table: pd.DataFrame) -> list[str]:
    served = table["offered"] - table["abandoned"]
    weighted_aht = (table["aht_s"].fillna(0) * served).sum() / served.sum()
    ts = pd.to_datetime(table["interval_start"])
    lines = [
        f"rows: {len(table)}",
        f"total offered: {table['offered'].sum()}, abandoned: {table['abandoned'].sum()}, "
        f"served: {served.sum()}",
        f"call-weighted mean AHT: {weighted_aht:.1f} s",
        f"max offered in one interval: {table['offered'].max()} "
        f"({table.loc[table['offered'].idxmax(), 'interval_start']})",
        f"intervals with offered 0: {(table['offered'] == 0).sum()}, "
        f"with aht_s empty: {table['aht_s'].isna().sum()}",
    ]
    for day, rows in table.groupby(ts.dt.date):
        t = pd.to_datetime(rows["interval_start"])
        lines.append(
            f"    {day:%a %Y-%m-%d} {t.min():%H:%M}-{(t.max() + INTERVAL):%H:%M} "
            f"intervals={len(rows)} offered={rows['offered'].sum()}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--start", default=DEFAULT_START, help="first day (ISO date)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with the existing output instead of writing it",
    )
    args = parser.parse_args(argv)

    report: list[str] = []
    table = build(args.data_dir, args.start, report)
    print("\n".join(report + summary(table)))
    text = table.to_csv(index=False, lineterminator="\n")
    if args.check:
        same = args.out.exists() and args.out.read_text() == text
        print(f"{args.out}: {'identical' if same else 'DIFFERS'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"wrote {args.out} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
