"""Opening-hours business case for a retail bank voice line: 8x5, extended, 24x7.

Run from the project root (reads ../shared/data, which only docs and benchmark
scripts may do)::

    python docs/scripts/business_case_example.py [--replications 0] [--time-limit 60]

Prints the markdown tables of docs/business_case.md. The demand week (one
week from Monday 2026-01-05, hourly, Europe/London, demand as it would arrive
24x7) is built from the Technion "Anonymous Bank" (Israel, 1999) data:

* intraday shape and weekday volumes: the full-year 6-minute arrival counts
  (VRU entries), averaged per weekday and hour over 1999. The Israeli working
  week Sunday-Thursday is mapped to Monday-Friday, so the busiest day (Sunday
  there) becomes Monday. The bank answered 07:00-24:00 on those days; the
  night hours are what arrived while it was closed, probably below what a
  24x7 line would see;
* VRU entries -> contacts for an agent: times the share of VRU entries that
  asked for an agent (queued or went straight to one), Sunday-Thursday from
  07:00 in the four months of per-call records (about 0.94);
* Saturday and Sunday: ASSUMED 45% and 25% of the mean weekday, with the mean
  weekday's intraday shape (the Israeli Friday and Saturday are a half day and
  the Sabbath, nothing like a western weekend);
* aht_s: mean talk time of the served calls of the four months (no wrap-up
  added, as in docs/validation.md);
* mean_patience_s: maximum-likelihood exponential patience of the four months,
  total time waited by queued calls / abandonments from the queue.

Everything else (shares, templates, pay) is an assumption stated in the doc.
The business case itself is a scenario file (written into a temporary folder
with the week's volumes, and printed) whose variants set ``hours:``, run by
``scenarios.run_scenario`` and compared with ``scenarios.comparison_table``
and ``scenarios.deltas``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from make_example_week import DEFAULT_DATA, ZERO_TIME, load_calls, offered_calls

from scenarios import comparison_table, deltas, load_scenarios, run_scenario

H = 3600.0
MONTHS = ("1999-01", "1999-02", "1999-08", "1999-10")
MISSING_DAYS = ("1999-01-11", "1999-01-12")  # not in the January per-call file
WEEK_START = "2026-01-05"  # a Monday
TZ = "Europe/London"
# Israeli weekday (Monday=0 ... Sunday=6) that plays each of our Monday..Friday.
ISRAELI_DAY_FOR = {0: 6, 1: 0, 2: 1, 3: 2, 4: 3}
WEEKEND_FACTOR = {5: 0.45, 6: 0.25}  # assumption: share of the mean weekday


def calibration() -> dict[str, float]:
    """AHT, patience and the agent share of VRU entries from the per-call records."""
    calls = pd.concat([offered_calls(load_calls(DEFAULT_DATA, m), []) for m in MONTHS])
    aht_s = float(calls.loc[calls["served"], "ser_time"].mean())
    queued = calls[calls["q_start"] != ZERO_TIME]
    patience_s = float(queued["q_time"].sum() / queued["abandoned"].sum())
    arrivals = pd.read_csv(DEFAULT_DATA / "arrivals_6min_1999.csv.gz",
                           parse_dates=["interval_start"])
    t = arrivals["interval_start"]
    in_months = t.dt.strftime("%Y-%m").isin(MONTHS) & ~t.dt.strftime("%Y-%m-%d").isin(
        MISSING_DAYS)
    working = t.dt.day_of_week.isin([6, 0, 1, 2, 3]) & (t.dt.hour >= 7)
    vru = float(arrivals.loc[in_months & working, "calls"].sum())
    o = calls["offer_time"]
    asked = float((o.dt.day_of_week.isin([6, 0, 1, 2, 3]) & (o.dt.hour >= 7)).sum())
    return {"aht_s": aht_s, "mean_patience_s": patience_s, "agent_share": asked / vru}


def demand_week(agent_share: float, aht_s: float) -> pd.DataFrame:
    """One week of hourly demand as it would arrive 24x7 (the ``demand`` table)."""
    arrivals = pd.read_csv(DEFAULT_DATA / "arrivals_6min_1999.csv.gz",
                           parse_dates=["interval_start"])
    t = arrivals["interval_start"]
    arrivals["day"] = t.dt.normalize()
    arrivals["weekday"] = t.dt.day_of_week
    arrivals["hour"] = t.dt.hour
    hourly = arrivals.groupby(["day", "weekday", "hour"], as_index=False)["calls"].sum()
    profile = hourly.groupby(["weekday", "hour"])["calls"].mean()  # mean over the year
    weekday_rows = [profile.loc[ISRAELI_DAY_FOR[d]].to_numpy() for d in range(5)]
    mean_weekday = np.mean(weekday_rows, axis=0)
    days = weekday_rows + [WEEKEND_FACTOR[5] * mean_weekday, WEEKEND_FACTOR[6] * mean_weekday]
    offered = agent_share * np.concatenate(days)
    starts = pd.date_range(WEEK_START, periods=7 * 24, freq="h", tz=TZ)
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": offered,
                         "aht_s": aht_s})


SCENARIO = """\
# Opening-hours business case for a retail bank voice line (docs/business_case.md).
name: bank
timezone: Europe/London
interval: 1h
horizon: {{start: {start}, days: 7}}
hours: 8x5
seed: 1
channels:
  voice: {{volume: {{file: voice.csv}}, aht: {aht_s:.1f}, target: 80% in 20s,
          patience: {patience_s:.1f}}}
staffing: {{method: erlang_a, shrinkage: 0.2}}
shifts:
  templates:
    - name: FT8
      length: 9h
      start: {{earliest: "00:00", latest: "23:00", step: 1h}}
      breaks: [{{name: lunch, duration: 1h, window: [3h, 5h], paid: false}}]
    - {{name: PT4, length: 4h, start: {{earliest: "00:00", latest: "23:00", step: 1h}},
       part_time: true}}
  rules: {{coverage: soft, wrap_around: true, time_limit_s: {time_limit:g}, mip_rel_gap: 0.001}}
pay:
  hourly_rates: {{agent: 15}}
  overhead_per_paid_hour: 7
  night_premium: 0.3
  night: {{start: "22:00", end: "06:00"}}
  weekend_premium: 0.25
  weekend_days: Sat-Sun
out_of_hours: {{retry_share: 0.6, lost_share: 0.3, retry_spread: 2h}}
simulation: {{replications: {replications}}}
variants:
  extended: {{hours: extended}}
  24x7: {{hours: 24x7}}
"""


def _markdown(df: pd.DataFrame, formats: dict[str, str]) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for _, row in df.iterrows():
        cells = []
        for c in cols:
            v = row[c]
            fmt = formats.get(c)
            cells.append("" if (isinstance(v, float) and np.isnan(v))
                         else format(v, fmt) if fmt else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=0,
                        help="also simulate each option (0: analytic only)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()

    cal = calibration()
    demand = demand_week(cal["agent_share"], cal["aht_s"])
    print(f"calibration: aht_s={cal['aht_s']:.1f}, mean_patience_s={cal['mean_patience_s']:.1f}, "
          f"agent share of VRU entries={cal['agent_share']:.4f}")
    print(f"demand: {demand['offered'].sum():.1f} contacts in the week "
          f"(Mon {demand['offered'].iloc[:24].sum():.1f}, peak hour "
          f"{demand['offered'].max():.1f})\n")

    folder = Path(tempfile.mkdtemp(prefix="business_case_"))
    demand[["interval_start", "offered"]].to_csv(folder / "voice.csv", index=False)
    text = SCENARIO.format(start=WEEK_START, aht_s=cal["aht_s"],
                           patience_s=cal["mean_patience_s"], time_limit=args.time_limit,
                           replications=args.replications)
    (folder / "bank.yaml").write_text(text, encoding="utf-8")
    print(text)
    t0 = time.perf_counter()
    results = [run_scenario(scn) for scn in load_scenarios(folder / "bank.yaml")]
    elapsed = time.perf_counter() - t0
    options = {"8x5": results[0], "extended": results[1], "24x7": results[2]}

    rows = []
    for name, res in options.items():
        t = res.totals.iloc[0]
        flows = res.flows
        rows.append({"option": name, "arrived": flows["arrived"].sum(), "offered": t["offered"],
                     "handled": t["handled"], "lost_closed": flows["lost_closed"].sum(),
                     "abandoned": t["abandoned"], "diverted": flows["diverted"].sum(),
                     "service_level": t["service_level"], "cost": t["cost"],
                     "cost_per_handled": t["cost_per_handled"], "headcount": t["headcount"],
                     "fte": t["fte"], "solver_status": res.summary["schedule"]["status"],
                     "mip_gap": res.summary["schedule"]["mip_gap"]})
    print(_markdown(pd.DataFrame(rows), {
        "arrived": ".0f", "offered": ".0f", "handled": ".0f", "lost_closed": ".0f",
        "abandoned": ".0f", "diverted": ".0f", "service_level": ".3f", "cost": ",.0f",
        "cost_per_handled": ".2f", "headcount": ".0f", "fte": ".1f", "mip_gap": ".4f"}))
    if args.replications:
        sim = pd.DataFrame([{
            "option": name,
            "service_level (Erlang A)": float(
                (res.intervals["service_level_erlang"] * res.intervals["offered"]).sum()
                / res.intervals["offered"].sum()),
            **res.channels.iloc[0][["service_level", "service_level_low",
                                    "service_level_high"]].to_dict()}
            for name, res in options.items()])
        print()
        print(_markdown(sim, {c: ".3f" for c in sim.columns if c != "option"}))
    print()
    table = comparison_table(results)
    inc = []
    for a, b in (("8x5", "extended"), ("extended", "24x7"), ("8x5", "24x7")):
        row = deltas(table, options[a].name).set_index("scenario").loc[options[b].name]
        inc.append({"option_from": a, "option_to": b, "delta_cost": row["delta_cost"],
                    "delta_handled": row["delta_handled"],
                    "cost_per_incremental_contact": row["delta_cost"] / row["delta_handled"]})
    print(_markdown(pd.DataFrame(inc), {"delta_cost": ",.0f", "delta_handled": ".0f",
                                        "cost_per_incremental_contact": ".2f"}))
    print()
    by_hour = pd.DataFrame({"hour": [f"{h:02d}:00" for h in range(24)]})
    for name, res in options.items():
        iv = res.intervals
        hour = pd.DatetimeIndex(iv["interval_start"]).hour
        within = (iv["service_level"] * iv["offered"]).where(iv["offered"] > 0, 0.0)
        grouped = pd.DataFrame({"hour": hour, "offered": iv["offered"],
                                "within": within}).groupby("hour").sum().reindex(range(24))
        by_hour[f"offered {name}"] = grouped["offered"].to_numpy()
        by_hour[f"SL {name}"] = np.where(grouped["offered"] > 0,
                                         grouped["within"] / grouped["offered"].where(
                                             grouped["offered"] > 0), np.nan)
    print(_markdown(by_hour, {c: ".0f" for c in by_hour.columns if c.startswith("offered")}
                    | {c: ".3f" for c in by_hour.columns if c.startswith("SL")}))
    print(f"\nrun_scenario took {elapsed:.1f} s for the three options")


if __name__ == "__main__":
    main()
