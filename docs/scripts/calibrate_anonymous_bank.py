"""Calibrate the simulator on one month of the Anonymous Bank call records and compare.

Run from the project root (reads ../shared/data, which only docs and benchmark
scripts may do)::

    python docs/scripts/calibrate_anonymous_bank.py [--month 1999-02] [--replications 10]

Writes docs/img/anonymous_bank_calibration.svg and prints the markdown table of
docs/validation.md, section 4. Calibration, from the records alone:

* working days Sunday to Thursday, 07:00-24:00, in 30-minute intervals;
* offered per interval: calls that entered the agent queue or went straight to
  an agent (as in scenarios/examples/data/SOURCE.md); the simulator draws
  Poisson volumes around these counts;
* handle times: the empirical distribution of all served calls' talk times
  (``ser_time > 0``), rescaled to each interval's mean talk time;
* patience: exponential, with the maximum-likelihood rate for censored
  exponential patience, abandonments / total time waited by all queued calls;
* agents on duty per interval: the number of distinct agents who were serving
  at some moment of the interval (an estimate: idle agents leave no record, and
  an agent seen for five minutes counts for the whole interval).

Then each day is simulated with its own volumes and agents, and the actual and
simulated abandonment rate, share answered within 20 s (of offered) and mean
wait (over offered) are compared by hour of day, pooled over the month.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from _svg import line_chart
from make_example_week import DEFAULT_DATA, ZERO_TIME, _seconds, load_calls, offered_calls

from simulator import ChannelModel, simulate

INTERVAL = pd.Timedelta(minutes=30)
OPEN_H, CLOSE_H = 7, 24
WORKDAYS = {6, 0, 1, 2, 3}  # Sunday .. Thursday (pandas: Monday = 0)
OUT = Path("docs/img/anonymous_bank_calibration.svg")


def kaplan_meier_quantiles(waits, abandoned, n=20_000):
    """Patience quantiles from waits: abandonments observe patience, answers censor it.

    The Kaplan-Meier estimate of the patience distribution, read at n evenly spaced
    probabilities; the mass left beyond the longest observed wait (callers who would have
    waited longer than anyone did) is put at ten times that wait.
    """
    order = np.argsort(waits, kind="stable")
    waits, abandoned = waits[order], abandoned[order]
    at_risk = waits.size - np.arange(waits.size)
    survival = np.cumprod(np.where(abandoned, 1.0 - 1.0 / at_risk, 1.0))
    cdf = 1.0 - survival
    probs = (np.arange(n) + 0.5) / n
    idx = np.searchsorted(cdf, probs, side="left")
    values = np.where(idx < waits.size, waits[np.minimum(idx, waits.size - 1)],
                      10.0 * waits.max())
    return np.maximum(values, 0.0)


def prepare(month: str):
    calls = offered_calls(load_calls(DEFAULT_DATA, month), [])
    calls["day"] = calls["offer_time"].dt.normalize()
    calls = calls[calls["day"].dt.day_of_week.isin(WORKDAYS)]
    opening = calls["day"] + pd.Timedelta(hours=OPEN_H)
    calls["iv"] = ((calls["offer_time"] - opening) // INTERVAL).astype(int)
    n_iv = (CLOSE_H - OPEN_H) * 2
    calls = calls[(calls["iv"] >= 0) & (calls["iv"] < n_iv)].copy()
    served = calls[calls["served"] & (calls["ser_time"] > 0)]
    queued = calls[calls["q_start"] != ZERO_TIME]
    mean_patience = queued["q_time"].sum() / max(int(queued["abandoned"].sum()), 1)
    patience_values = kaplan_meier_quantiles(queued["q_time"].to_numpy(float),
                                             queued["abandoned"].to_numpy(bool))
    # agents: distinct servers whose service overlaps each interval
    start_s = _seconds(served["ser_start"]) - OPEN_H * 3600
    end_s = start_s + served["ser_time"]
    first = (start_s // 1800).clip(0, n_iv - 1).astype(int)
    last = ((end_s - 1) // 1800).clip(0, n_iv - 1).astype(int)
    spans = pd.DataFrame({"day": served["day"].to_numpy(), "server": served["server"].to_numpy(),
                          "first": first.to_numpy(), "last": last.to_numpy()})
    rows = [(d, srv, i) for d, srv, a, b in spans.itertuples(index=False)
            for i in range(a, b + 1)]
    on_duty = (pd.DataFrame(rows, columns=["day", "server", "iv"]).drop_duplicates()
               .groupby(["day", "iv"]).size())
    # lower bound: the most agents talking at the same moment within the interval
    talking = {}
    for day, part in pd.DataFrame({"day": served["day"].to_numpy(), "start": start_s.to_numpy(),
                                   "end": end_s.to_numpy()}).groupby("day"):
        times = np.concatenate([part["start"].to_numpy(), part["end"].to_numpy()])
        steps = np.concatenate([np.ones(len(part)), -np.ones(len(part))])
        order = np.lexsort((steps, times))  # at equal times an end comes before a start
        times, level = times[order], np.cumsum(steps[order])
        iv = np.clip(times // 1800, 0, n_iv - 1).astype(int)
        peak = np.zeros(n_iv)
        np.maximum.at(peak, iv, level)
        talking[day] = pd.Series(peak.astype(int))
    lower = pd.concat(talking, names=["day", "iv"])
    days = sorted(calls["day"].unique())
    estimates = {"upper": on_duty, "lower": lower}
    return calls, served, (mean_patience, patience_values), estimates, days, n_iv


def actual_by_hour(calls):
    calls = calls.assign(hour=OPEN_H + calls["iv"] // 2,
                         within=(calls["served"] & (calls["q_time"] <= 20)).astype(int))
    g = calls.groupby("hour")
    return pd.DataFrame({"offered": g.size(), "abandon": g["abandoned"].mean(),
                         "within_20s": g["within"].mean(), "mean_wait_s": g["q_time"].mean()})


def simulated_by_hour(calls, served, patience, on_duty, days, n_iv, replications):
    talk = served["ser_time"].to_numpy(dtype=float)
    frames = []
    for k, day in enumerate(days):
        today = calls[calls["day"] == day]
        starts = pd.date_range(day + pd.Timedelta(hours=OPEN_H), periods=n_iv, freq=INTERVAL)
        offered = today.groupby("iv").size().reindex(range(n_iv), fill_value=0)
        aht = (today[today["served"] & (today["ser_time"] > 0)].groupby("iv")["ser_time"]
               .mean().reindex(range(n_iv)).fillna(talk.mean()))
        agents = on_duty.loc[day].reindex(range(n_iv), fill_value=0) if day in on_duty.index \
            else pd.Series(0, index=range(n_iv))
        forecast = pd.DataFrame({"channel": "voice", "interval_start": starts,
                                 "offered": offered.to_numpy(float), "aht_s": aht.to_numpy()})
        coverage = pd.DataFrame({"channel": "voice", "interval_start": starts,
                                 "agents_scheduled": agents.to_numpy()})
        intervals, _ = simulate(
            forecast, coverage, interval_s=INTERVAL.total_seconds(), n_replications=replications,
            seed=1000 + k,
            channels={"voice": ChannelModel(
                patience=patience,
                handle_time={"kind": "empirical", "values_s": talk.tolist()})},
        )
        frames.append(intervals)
    sim = pd.concat(frames, ignore_index=True)
    sim["hour"] = sim["interval_start"].dt.hour
    sim["wait_total"] = sim["mean_wait_s"].fillna(0) * sim["offered"]
    g = sim.groupby("hour")
    total = g["offered"].sum()
    return pd.DataFrame({"abandon": g["abandoned"].sum() / total,
                         "within_20s": g["answered_within_target"].sum() / total,
                         "mean_wait_s": g["wait_total"].sum() / total,
                         "agents": g["agents_on_duty"].mean()})


def main_table(actual, sims, days):
    print("\n| hour | offered/day | agents seen / most talking at once | abandoned: actual / "
          "simulated (most talking .. seen) | answered within 20 s: actual / simulated | "
          "mean wait s: actual / simulated |")
    print("|---|---|---|---|---|---|")
    lo, up = sims["lower"], sims["upper"]
    for hour in actual.index:
        a, low, high = actual.loc[hour], lo.loc[hour], up.loc[hour]
        print(f"| {hour:02d}:00 | {a.offered / len(days):.0f} | {high.agents:.1f} / "
              f"{low.agents:.1f} | {a.abandon:.1%} / {low.abandon:.1%} .. {high.abandon:.1%} | "
              f"{a.within_20s:.1%} / {low.within_20s:.1%} .. {high.within_20s:.1%} | "
              f"{a.mean_wait_s:.0f} / {low.mean_wait_s:.0f} .. {high.mean_wait_s:.0f} |")


def main() -> None:  # noqa: PLR0915 - a report script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="1999-02")
    parser.add_argument("--replications", type=int, default=10)
    args = parser.parse_args()
    calls, served, patience, on_duty, days, n_iv = prepare(args.month)
    actual = actual_by_hour(calls)
    mean_patience, km_values = patience
    laws = {"exponential": {"kind": "exponential", "mean_s": float(mean_patience)},
            "Kaplan-Meier": {"kind": "empirical", "values_s": km_values.tolist()}}
    sims = {(law, name): simulated_by_hour(calls, served, spec, est, days, n_iv,
                                           args.replications)
            for law, spec in laws.items() for name, est in on_duty.items()}
    cv = served["ser_time"].std() / served["ser_time"].mean()
    print(f"{args.month}: {len(days)} working days, {len(calls):,} offered calls, "
          f"{int(calls['abandoned'].sum()):,} abandoned; mean talk time "
          f"{served['ser_time'].mean():.0f} s (CV {cv:.2f}); estimated mean patience "
          f"{mean_patience:.0f} s (exponential MLE); Kaplan-Meier median patience "
          f"{np.median(km_values):.0f} s")
    for law in laws:
        print(f"\nPatience {law}:")
        main_table(actual, {"lower": sims[(law, "lower")], "upper": sims[(law, "upper")]},
                   days)
    weights = actual["offered"]
    print(f"\nWhole month: abandoned {calls['abandoned'].mean():.1%} actual; simulated:")
    for (law, name), sim_ in sims.items():
        agents = "most talking at once" if name == "lower" else "agents seen"
        print(f"  patience {law}, agents {agents}: "
              f"{np.average(sim_['abandon'], weights=weights):.1%} abandoned, "
              f"{np.average(sim_['within_20s'], weights=weights):.1%} within 20 s")
    sim = sims[("Kaplan-Meier", "lower")]
    hours = [f"{h:02d}:00" for h in actual.index]
    line_chart(
        OUT, f"Anonymous Bank, {args.month}, by hour: actual vs simulated "
        f"({args.replications} replications a day)", hours,
        [{"values": actual["within_20s"].to_numpy(), "label": "answered within 20 s, actual",
          "colour": "#1f77b4"},
         {"values": sim["within_20s"].to_numpy(),
          "label": "answered within 20 s, simulated (most talking at once)",
          "colour": "#1f77b4", "dash": "6,4"},
         {"values": actual["abandon"].to_numpy(), "label": "abandoned, actual",
          "colour": "#d62728"},
         {"values": sim["abandon"].to_numpy(),
          "label": "abandoned, simulated (most talking at once)",
          "colour": "#d62728", "dash": "6,4"},
         {"values": sims[("Kaplan-Meier", "upper")]["abandon"].to_numpy(),
          "label": "abandoned, simulated (agents seen)", "colour": "#d62728", "dash": "2,3"}],
        y_label="share of offered calls", x_label="hour of day (local time)",
    )
    print(f"Wrote {OUT}")


if __name__ == "__main__":
    main()
