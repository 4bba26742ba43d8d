"""Per-interval Erlang staffing (SIPP) against simulation on a short sharp peak.

Run from the project root::

    python docs/scripts/sipp_example.py

Writes docs/img/sipp_peak.svg and prints the markdown table used in
docs/validation.md. A day of 15-minute intervals, 08:00-20:00, 20 calls per
interval with a two-interval peak of 120 at 11:00, AHT 20 minutes, target 80%
in 20 s, nobody abandons. Agents per interval come from
``staffing.required_agents`` (Erlang C, each interval on its own); the
simulator then runs the day 40 times with those agents on duty.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from _svg import line_chart

from simulator import ChannelModel, simulate
from staffing import queue_kpis, required_agents

INTERVAL_S = 900.0
AHT_S = 1200.0
TARGET, WITHIN_S = 0.8, 20.0
OUT = Path("docs/img/sipp_peak.svg")


def build_day():
    starts = pd.date_range("2026-03-02 08:00", periods=48, freq="15min")
    offered = np.full(48, 20.0)
    offered[12:14] = 120.0  # 11:00 and 11:15
    agents = required_agents(offered, INTERVAL_S, AHT_S, TARGET, WITHIN_S)
    forecast = pd.DataFrame({"channel": "support", "interval_start": starts,
                             "offered": offered, "aht_s": AHT_S})
    coverage = pd.DataFrame({"channel": "support", "interval_start": starts,
                             "agents_scheduled": agents})
    return forecast, coverage


def main() -> None:
    forecast, coverage = build_day()
    intervals, summary = simulate(forecast, coverage, interval_s=INTERVAL_S,
                                  channels={"support": ChannelModel(answer_within_s=WITHIN_S)},
                                  n_replications=40, seed=2026)
    per = intervals.groupby("interval_start")["service_level"]
    mean = per.mean()
    half = 2.0227 * per.std(ddof=1) / np.sqrt(40)  # t(0.975, 39)
    agents = coverage["agents_scheduled"].to_numpy()
    erlang = queue_kpis(agents, forecast["offered"].to_numpy(), INTERVAL_S, AHT_S,
                        WITHIN_S)["service_level"].to_numpy()
    times = list(mean.index)
    line_chart(
        OUT, "Service level by interval: per-interval Erlang C plan vs simulation "
        "(40 replications)", [f"{t:%H:%M}" for t in times],
        [{"values": erlang, "label": "Erlang C per interval (plan)", "colour": "#ff7f0e",
          "dash": "6,4"},
         {"values": mean.to_numpy(), "label": "simulated, mean and 95% CI",
          "colour": "#1f77b4", "band": ((mean - half).to_numpy(), (mean + half).to_numpy())},
         {"values": [TARGET] * len(times), "label": "target 80%", "colour": "#d62728",
          "dash": "2,3"}],
        y_label="service level (answered within 20 s / offered)",
        x_label="interval start (local time)",
        right={"values": agents, "label": "agents on duty (right axis)", "colour": "#7f7f7f",
               "axis_label": "agents on duty"},
        legend_at=(0.4, 0.55),
    )
    print("| interval | offered | agents | Erlang C SL | simulated SL (95% CI) |")
    print("|---|---|---|---|---|")
    for i in range(10, 22):
        print(f"| {times[i]:%H:%M} | {forecast.offered[i]:.0f} | {agents[i]} | "
              f"{erlang[i]:.1%} | {mean.iloc[i]:.1%} ({mean.iloc[i] - half.iloc[i]:.1%} - "
              f"{mean.iloc[i] + half.iloc[i]:.1%}) |")
    day = summary[summary.kpi == "service_level"].iloc[0]
    print(f"\nWhole day: simulated {day['mean']:.1%} ({day.ci_low:.1%} - {day.ci_high:.1%}); "
          f"intervals below 80% in simulation: {(mean < TARGET).sum()} of {len(mean)}; "
          f"Erlang C plan below 80%: {(erlang < TARGET).sum()}.")
    print(f"Wrote {OUT}")


if __name__ == "__main__":
    main()
