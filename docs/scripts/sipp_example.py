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

from simulator import simulate
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


def svg_chart(times, erlang, sim_mean, sim_low, sim_high, agents, path):
    """A small self-contained SVG line chart (no plotting dependency)."""
    w, h, left, right, top, bottom = 900, 420, 70, 70, 50, 60
    n = len(times)

    def x(i):
        return left + i * (w - left - right) / (n - 1)

    def y(v):
        return top + (1.0 - v) * (h - top - bottom)

    a_max = max(agents) * 1.1

    def ya(v):
        return top + (1.0 - v / a_max) * (h - top - bottom)

    def line(values, fy):
        return " ".join(f"{x(i):.1f},{fy(v):.1f}" for i, v in enumerate(values))

    band = line(sim_high, y) + " " + " ".join(
        f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(sim_low))))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="15">Service level by '
        'interval: per-interval Erlang C plan vs simulation (40 replications)</text>',
        f'<polygon points="{band}" fill="#1f77b4" fill-opacity="0.2"/>',
        f'<polyline points="{line(sim_mean, y)}" fill="none" stroke="#1f77b4" '
        'stroke-width="2"/>',
        f'<polyline points="{line(erlang, y)}" fill="none" stroke="#ff7f0e" '
        'stroke-width="2" stroke-dasharray="6,4"/>',
        f'<polyline points="{line(agents, ya)}" fill="none" stroke="#7f7f7f" '
        'stroke-width="1.5"/>',
        f'<line x1="{left}" x2="{w - right}" y1="{y(TARGET):.1f}" y2="{y(TARGET):.1f}" '
        'stroke="#d62728" stroke-dasharray="2,3"/>',
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{h - bottom}" stroke="black"/>',
        f'<line x1="{left}" x2="{w - right}" y1="{h - bottom}" y2="{h - bottom}" '
        'stroke="black"/>',
        f'<line x1="{w - right}" x2="{w - right}" y1="{top}" y2="{h - bottom}" stroke="black"/>',
    ]
    for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        parts.append(f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">'
                     f'{v:.0%}</text>')
    for v in np.linspace(0, a_max, 5)[:-1]:
        parts.append(f'<text x="{w - right + 8}" y="{ya(v) + 4:.1f}">{v:.0f}</text>')
    for i in range(0, n, 4):
        parts.append(f'<text x="{x(i):.1f}" y="{h - bottom + 18}" text-anchor="middle">'
                     f'{times[i]:%H:%M}</text>')
    parts += [
        f'<text x="{w / 2}" y="{h - 15}" text-anchor="middle">interval start (local time)'
        '</text>',
        f'<text x="18" y="{h / 2}" transform="rotate(-90 18 {h / 2})" text-anchor="middle">'
        'service level (answered within 20 s / offered)</text>',
        f'<text x="{w - 18}" y="{h / 2}" transform="rotate(90 {w - 18} {h / 2})" '
        'text-anchor="middle">agents on duty</text>',
    ]
    legend = [("#ff7f0e", "Erlang C per interval (plan)", "6,4"),
              ("#1f77b4", "simulated, mean and 95% CI", ""),
              ("#7f7f7f", "agents on duty (right axis)", ""),
              ("#d62728", "target 80%", "2,3")]
    for k, (colour, label, dash) in enumerate(legend):
        yy = y(0.55) + 16 * k  # an empty band between the service level and agent lines
        xx = x(18)
        parts.append(f'<line x1="{xx}" x2="{xx + 24}" y1="{yy}" y2="{yy}" stroke="{colour}" '
                     f'stroke-width="2" stroke-dasharray="{dash}"/>')
        parts.append(f'<text x="{xx + 30}" y="{yy + 4}">{label}</text>')
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n")


def main() -> None:
    forecast, coverage = build_day()
    intervals, summary = simulate(forecast, coverage, interval_s=INTERVAL_S,
                                  channels={"support": {"answer_within_s": WITHIN_S}},
                                  n_replications=40, seed=2026)
    per = intervals.groupby("interval_start")["service_level"]
    mean = per.mean()
    half = 2.0227 * per.std(ddof=1) / np.sqrt(40)  # t(0.975, 39)
    agents = coverage["agents_scheduled"].to_numpy()
    erlang = queue_kpis(agents, forecast["offered"].to_numpy(), INTERVAL_S, AHT_S,
                        WITHIN_S)["service_level"].to_numpy()
    times = list(mean.index)
    svg_chart(times, erlang, mean.to_numpy(), (mean - half).to_numpy(),
              (mean + half).to_numpy(), agents, OUT)
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
