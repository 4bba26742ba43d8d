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
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from make_example_week import DEFAULT_DATA, ZERO_TIME, load_calls, offered_calls

from scenarios import OpeningHours, business_case
from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

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
    """One week of hourly demand as it would arrive 24x7 (the forecast contract)."""
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

    lunch = BreakRule("lunch", H, 3 * H, 5 * H)  # unpaid, 3-5 h after the start
    templates = [
        ShiftTemplate("FT8", 9 * H, 0, 23 * H, start_step_s=H, breaks=(lunch,)),
        ShiftTemplate("PT4", 4 * H, 0, 23 * H, start_step_s=H, is_part_time=True),
    ]
    rules = ScheduleRules(shrinkage=0.2, wrap_around=True, time_limit_s=args.time_limit,
                          mip_rel_gap=0.001)
    rates = PayRates(hourly_rates={"agent": 15.0}, overhead_per_paid_hour=7.0,
                     night_premium=0.30, weekend_premium=0.25)
    options = {name: OpeningHours.preset(name) for name in ("8x5", "extended", "24x7")}
    t0 = time.perf_counter()
    case = business_case(
        demand, options, interval_s=H, templates=templates, rules=rules, rates=rates,
        service_level_target=0.8, answer_within_s=20.0,
        mean_patience_s=cal["mean_patience_s"], retry_share=0.6, lost_share=0.3,
        retry_spread_s=2 * H, compare=[("8x5", "24x7")],
        n_replications=args.replications or None, seed=1)
    elapsed = time.perf_counter() - t0

    s = case.summary
    table = s[["option", "hours", "arrived", "offered", "handled", "lost_closed", "abandoned",
               "diverted", "service_level", "cost", "cost_per_handled", "headcount", "fte",
               "solver_status", "mip_gap"]].copy()
    print(_markdown(table, {"arrived": ".0f", "offered": ".0f", "handled": ".0f",
                            "lost_closed": ".0f", "abandoned": ".0f", "diverted": ".0f",
                            "service_level": ".3f", "cost": ",.0f", "cost_per_handled": ".2f",
                            "fte": ".1f", "mip_gap": ".4f"}))
    if args.replications:
        sim = s[["option", "service_level", "sim_service_level", "sim_service_level_ci_low",
                 "sim_service_level_ci_high", "handled", "sim_handled"]]
        print()
        print(_markdown(sim, {c: ".3f" for c in sim.columns if "service" in c}
                        | {"handled": ".0f", "sim_handled": ".0f"}))
    print()
    print(_markdown(case.incremental[["option_from", "option_to", "delta_cost", "delta_handled",
                                      "cost_per_incremental_contact"]],
                    {"delta_cost": ",.0f", "delta_handled": ".0f",
                     "cost_per_incremental_contact": ".2f"}))
    print()
    hourly = case.service_by_hour.pivot(index="hour", columns="option", values="service_level")
    offered = case.service_by_hour.pivot(index="hour", columns="option", values="offered")
    hourly = hourly[list(options)]
    offered = offered[list(options)]
    by_hour = pd.DataFrame({"hour": [f"{h:02d}:00" for h in hourly.index]})
    for name in options:
        by_hour[f"offered {name}"] = offered[name].to_numpy()
        by_hour[f"SL {name}"] = hourly[name].to_numpy()
    print(_markdown(by_hour, {c: ".0f" for c in by_hour.columns if c.startswith("offered")}
                    | {c: ".3f" for c in by_hour.columns if c.startswith("SL")}))
    print(f"\nbusiness_case() took {elapsed:.1f} s")


if __name__ == "__main__":
    main()
