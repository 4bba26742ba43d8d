"""The chat concurrency ("slots") requirement model of docs/models.md against simulation.

Run from the project root::

    python docs/scripts/chat_check.py

Chats take 10 minutes when worked alone; each chat an agent already has in hand
makes a new one last 20% longer (``stretch`` 0.2), up to 3 at once, so at full
concurrency a chat takes 10 x (1 + 0.2 x 2) = 14 minutes. The slots model sizes
agents with that full-concurrency handle time; the simulator (two days of
constant load, 10 replications) then measures the service level at that
staffing and one agent fewer. Prints the markdown table of docs/validation.md.
"""

from __future__ import annotations

import pandas as pd

from simulator import ChannelModel, GroupModel, simulate
from staffing import queue_kpis, required_agents

AHT_ALONE_S, K, STRETCH = 600.0, 3, 0.2
AHT_FULL_S = AHT_ALONE_S * (1 + STRETCH * (K - 1))
OFFERED = 45.0  # chats per 15 minutes
TARGET, WITHIN_S = 0.8, 60.0


def main() -> None:
    starts = pd.date_range("2026-03-02", periods=192, freq="15min")
    forecast = pd.DataFrame({"channel": "chat", "interval_start": starts, "offered": OFFERED,
                             "aht_s": AHT_ALONE_S})
    planned = int(required_agents(OFFERED, 900, AHT_FULL_S, TARGET, WITHIN_S, concurrency=K))
    print("| agents | slots model SL (AHT at full concurrency) | simulated SL (95% CI) | "
          "simulated mean wait s | simulated share of time agents have a chat |")
    print("|---|---|---|---|---|")
    for agents in (planned, planned - 1):
        model = queue_kpis(agents, OFFERED, 900, AHT_FULL_S, WITHIN_S, concurrency=K).iloc[0]
        coverage = pd.DataFrame({"group": "team", "interval_start": starts,
                                 "agents_scheduled": agents})
        intervals, summary = simulate(
            forecast, coverage, interval_s=900, n_replications=10, seed=11,
            groups={"team": GroupModel(skills=["chat"])},
            channels={"chat": ChannelModel(concurrency=K, stretch=STRETCH,
                                           answer_within_s=WITHIN_S)})
        sl = summary[summary.kpi == "service_level"].iloc[0]
        wait = summary[summary.kpi == "mean_wait_s"].iloc[0]
        occ = summary[summary.kpi == "group_occupancy"].iloc[0]
        print(f"| {agents} | {model.service_level:.1%} | {sl['mean']:.1%} ({sl.ci_low:.1%} - "
              f"{sl.ci_high:.1%}) | {wait['mean']:.1f} | {occ['mean']:.1%} |")
    print(f"\nSlots model: {planned} agents for {TARGET:.0%} in {WITHIN_S:.0f} s with "
          f"AHT {AHT_FULL_S:.0f} s at {K} chats each.")


if __name__ == "__main__":
    main()
