"""Build the requirements of the bundled scheduling example from the bundled real week.

Reads ``scenarios/examples/data/anonymous_bank_week_voice.csv`` (one real week of a bank
call centre, 15-minute intervals; see ``SOURCE.md`` there), sums it to hourly intervals
(``offered`` summed, ``aht_s`` the call-weighted mean), lays it on the full week from
Sunday 1999-02-14 00:00 to Sunday 1999-02-21 00:00 (closed hours: 0 contacts), and computes
the agents required per hour with :func:`staffing.requirements` (Erlang C, 80% answered
within 20 s). Writes ``scenarios/examples/schedule/requirements.csv`` and the hourly
contacts it was computed from, ``forecast.csv`` (for ``ccplan cost``).

Run from the project root::

    python docs/scripts/make_schedule_example.py           # writes the file
    python docs/scripts/make_schedule_example.py --check   # rebuilds in memory, compares
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import staffing

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "scenarios" / "examples" / "data" / "anonymous_bank_week_voice.csv"
FOLDER = ROOT / "scenarios" / "examples" / "schedule"
INTERVAL_S = 3600


def build() -> tuple[pd.DataFrame, pd.DataFrame]:
    week = pd.read_csv(WEEK, parse_dates=["interval_start"])
    week["work_s"] = week["offered"] * week["aht_s"]
    week["hour"] = week["interval_start"].dt.floor("h")
    hourly = week.groupby("hour").agg(offered=("offered", "sum"), work_s=("work_s", "sum"))
    grid = pd.date_range("1999-02-14", "1999-02-21", freq="h", inclusive="left")
    hourly = hourly.reindex(grid, fill_value=0)
    aht_s = (hourly["work_s"] / hourly["offered"].where(hourly["offered"] > 0)).fillna(180.0)
    forecast = pd.DataFrame({"channel": "voice", "interval_start": grid,
                             "offered": hourly["offered"].to_numpy(dtype=float),
                             "aht_s": aht_s.round(1).to_numpy()})
    req = staffing.requirements(forecast, interval_s=INTERVAL_S, service_level_target=0.8,
                                answer_within_s=20)
    return forecast, req[["channel", "interval_start", "agents_required"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file, no write")
    args = parser.parse_args()
    forecast, req = build()
    status = 0
    for name, table in (("forecast.csv", forecast), ("requirements.csv", req)):
        out = FOLDER / name
        text = table.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S")
        if args.check:
            same = out.read_text() == text
            print(f"{name}: " + ("identical" if same else f"DIFFERENT from {out}"))
            status |= not same
        else:
            out.write_text(text)
            print(f"wrote {len(table)} rows to {out}")
    if not args.check:
        print(f"peak {req['agents_required'].max()} agents, {req['agents_required'].sum()} "
              "agent-hours")
    return status


if __name__ == "__main__":
    sys.exit(main())
