"""The analytic behaviours of staffing (issue 16) against the simulator, a different method.

Stationary cases: constant volume and agents over two days, ten replications. Each KPI is
pooled per replication over the intervals after an eight-hour warm-up (answered within the
target / offered, abandoned / offered, the ASA weighted by answered contacts, attempts per
interval), and the analytic value must lie in the 99% t-interval of the replications' means.
The gaps where the analytic model is an approximation (a fixed pick-up delay against its
exponential service-time assumption, redials as a Poisson stream) are measured in
docs/validation.md, section 13; the cases here are chosen where they are inside the interval.
"""

import numpy as np
import pandas as pd
from scipy import stats

from simulator import ChannelModel, simulate
from staffing import queue_kpis

IVL = 900.0
N_INTERVALS = 192  # two days of 15 minutes
WARMUP = 32  # eight hours
REPLICATIONS = 10


def _simulate(offered, agents, aht_s, model, seed):
    starts = pd.date_range("2026-03-02", periods=N_INTERVALS, freq="15min", tz="UTC")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "offered": float(offered), "aht_s": aht_s})
    coverage = forecast[["channel", "interval_start"]].assign(agents_on_queue=agents)
    intervals, _ = simulate(forecast, coverage, interval_s=IVL, n_replications=REPLICATIONS,
                            seed=seed, channels={"voice": model})
    return intervals[intervals["interval_start"] >= starts[WARMUP]]


def _pooled(intervals):
    """Per-replication KPIs pooled over the intervals kept."""
    g = intervals.assign(asa_work=intervals["asa_s"].fillna(0.0) * intervals["answered"])
    g = g.groupby("replication")[["offered", "answered", "abandoned",
                                  "answered_within_target", "asa_work"]].sum()
    n_kept = intervals.groupby("replication").size()
    return pd.DataFrame({
        "service_level": g["answered_within_target"] / g["offered"],
        "abandon_rate": g["abandoned"] / g["offered"],
        "asa_s": g["asa_work"] / g["answered"],
        "offered": g["offered"] / n_kept,
    })


def _assert_inside(pooled, expected):
    half = stats.t.ppf(0.995, len(pooled) - 1) / np.sqrt(len(pooled))
    for kpi, value in expected.items():
        mean, sd = pooled[kpi].mean(), pooled[kpi].std(ddof=1)
        assert abs(mean - value) <= half * sd, (kpi, mean, half * sd, value)


def test_hang_ups_against_the_simulator():
    # 11.3 erlangs offered on 12 agents with 90 s patience; 8% hang up at once
    offered, agents, aht, patience, p = 45.0, 12, 225.0, 90.0, 0.08
    sim = _pooled(_simulate(offered, agents, aht,
                            ChannelModel(mean_patience_s=patience, hang_up_share=p), seed=5))
    kpis = queue_kpis(agents, offered, IVL, aht, 20.0, patience, hang_up_share=p).iloc[0]
    _assert_inside(sim, {k: float(kpis[k]) for k in ("service_level", "abandon_rate",
                                                     "asa_s")})
