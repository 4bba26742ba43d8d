"""Build the bundled example history of real contact-centre volumes (30-minute intervals).

Reads the Technion "Anonymous Bank" (Israel, 1999) per-call records kept in the
shared data folder (``../shared/data/anonymous-bank-israel-1999/calls_1999-MM.csv.gz``
relative to the project root) and writes consecutive whole weeks of 30-minute
intervals, every interval of the day (00:00-23:30), to
``scenarios/examples/data/anonymous_bank_history.csv`` for ``ccplan forecast``.

Run from the project root::

    python docs/scripts/make_example_history.py            # 6 weeks from Sun 1999-01-17
    python docs/scripts/make_example_history.py --check    # rebuild in memory, compare, no write

Which calls are offered, when, and which records are dropped is decided by
``offered_calls`` of ``make_example_week.py`` (imported, not copied): PHANTOM
records and AGENT records with NO_SERVER are dropped; a call is offered if it
queued or went straight to an agent; its offer time is ``q_start`` (queued) or
``vru_exit`` (direct), moved to the next day when it lies more than 12 h before
the VRU entry. Differences from the week file, which keeps only opening hours
in 15-minute intervals: every 30-minute interval of the day is written, so
offered calls outside opening hours are kept and closed intervals show
``offered`` 0 with ``aht_s`` empty.

Columns: ``channel`` (``voice``), ``interval_start`` (naive local wall clock),
``offered`` (calls whose offer time falls in the interval; empty on a day the
source has no records at all: missing, not zero) and ``aht_s`` (mean ``ser_time``
of the served calls offered in the interval, rounded to 0.1 s; empty when none
was served, or when that mean is 0 s, which ``ccplan`` would reject).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from make_example_week import DEFAULT_DATA, load_calls, offered_calls

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "scenarios" / "examples" / "data" / "anonymous_bank_history.csv"
# A Sunday (the Israeli working week runs Sunday to Saturday), after the two days
# missing from the January file (11-12 Jan); 6 weeks reach Saturday 27 Feb, the
# last whole week of the February file.
DEFAULT_START = "1999-01-17"
DEFAULT_WEEKS = 6
INTERVAL = pd.Timedelta(minutes=30)
COLUMNS = ["channel", "interval_start", "offered", "aht_s"]


def _months(first: pd.Timestamp, last: pd.Timestamp) -> list[str]:
    """Monthly files to read: those of ``first`` .. ``last``."""
    return sorted({d.strftime("%Y-%m") for d in pd.date_range(first, last, freq="D")})


def build(data_dir: Path, start: str, weeks: int, report: list[str]) -> pd.DataFrame:
    start_ts = pd.Timestamp(start)
    if start_ts.day_of_week != 6:
        report.append(f"note: {start} is not a Sunday")
    end_ts = start_ts + pd.Timedelta(days=7 * weeks)  # exclusive
    days = pd.date_range(start_ts, end_ts - pd.Timedelta(days=1), freq="D")
    # The day before the start is read too (when its month is available) so that a call
    # entering before midnight and offered after it lands in the first day.
    months = _months(start_ts - pd.Timedelta(days=1), days[-1])
    available = [m for m in months if (data_dir / f"calls_{m}.csv.gz").exists()]
    if not set(_months(start_ts, days[-1])) <= set(available):
        raise SystemExit(f"per-call files missing for {sorted(set(months) - set(available))}")
    calls = pd.concat([load_calls(data_dir, m) for m in available], ignore_index=True)
    recorded = set(pd.to_datetime(calls["date"]).unique())
    missing_days = [d for d in days if d not in recorded]
    report.append(f"read {', '.join(available)}: {len(calls)} records")

    offered = offered_calls(calls, report)
    t = offered["offer_time"]
    inside = (t >= start_ts) & (t < end_ts)
    dated = pd.to_datetime(offered["date"])
    report.append(f"offered calls in {start_ts.date()} .. {days[-1].date()}: {int(inside.sum())}"
                  f" (of {len(offered)} in the files read)")
    report.append("    of which dated the day before and offered after midnight: "
                  f"{int((inside & (dated < start_ts)).sum())}")
    report.append("    dated inside but offered after midnight of the last day (dropped): "
                  f"{int((~inside & (dated >= start_ts) & (dated < end_ts)).sum())}")
    offered = offered[inside].assign(interval_start=t[inside].dt.floor(INTERVAL))

    slots = pd.date_range(start_ts, end_ts - INTERVAL, freq=INTERVAL)
    groups = offered.groupby("interval_start")
    table = pd.DataFrame(
        {
            "offered": groups.size(),
            "aht_s": offered[offered["served"]].groupby("interval_start")["ser_time"].mean(),
        }
    ).reindex(slots)
    table["offered"] = table["offered"].fillna(0).astype("Int64")
    table["aht_s"] = table["aht_s"].round(1)
    # A mean talk time of 0 s (every served call of the interval has ser_time 0) is no
    # handle time: ccplan requires aht_s > 0, so such cells are left empty like unknown ones.
    zero_aht = table["aht_s"] == 0
    report.append(f"intervals whose served calls all have ser_time 0 (aht_s left empty): "
                  f"{int(zero_aht.sum())}")
    table.loc[zero_aht, "aht_s"] = pd.NA
    for day in missing_days:
        report.append(f"no records at all on {day:%a %Y-%m-%d}: its intervals are left empty "
                      "(missing, not zero)")
        on_day = (table.index >= day) & (table.index < day + pd.Timedelta(days=1))
        table.loc[on_day, ["offered", "aht_s"]] = pd.NA
    table.index.name = "interval_start"
    table = table.reset_index()
    table["interval_start"] = table["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    table["channel"] = "voice"
    return table[COLUMNS]


def summary(table: pd.DataFrame) -> list[str]:
    ts = pd.to_datetime(table["interval_start"])
    aht = table["aht_s"].dropna()
    weighted = (table["aht_s"] * table["offered"]).sum() / table.loc[aht.index, "offered"].sum()
    lines = [
        f"rows: {len(table)} ({ts.min()} .. {ts.max()})",
        f"total offered: {table['offered'].sum()}",
        f"intervals with offered 0: {(table['offered'] == 0).sum()}, offered empty: "
        f"{table['offered'].isna().sum()}, aht_s empty: {table['aht_s'].isna().sum()}",
        f"aht_s range {aht.min()} .. {aht.max()} s; offered-weighted mean {weighted:.1f} s",
        f"max offered in one interval: {table['offered'].max()} "
        f"({table.loc[table['offered'].idxmax(), 'interval_start']})",
    ]
    for _week, rows in table.groupby((ts - ts.min()).dt.days // 7):
        t = pd.to_datetime(rows["interval_start"])
        daily = rows.groupby(t.dt.date)["offered"].sum(min_count=1)
        lines.append(f"    week {t.min():%a %Y-%m-%d}: offered {rows['offered'].sum()}, per day "
                     + " ".join("-" if pd.isna(v) else str(v) for v in daily))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--start", default=DEFAULT_START, help="first day (ISO date, a Sunday)")
    parser.add_argument("--weeks", type=int, default=DEFAULT_WEEKS, help="number of weeks")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with the existing output instead of writing it",
    )
    args = parser.parse_args(argv)

    report: list[str] = []
    table = build(args.data_dir, args.start, args.weeks, report)
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
