"""Where the analytic behaviours of staffing are approximations: the gaps (docs/validation.md, 13).

Run from the repository root: ``python docs/scripts/behaviour_check.py [redials|pickup]``.

* ``redials``: the stationary redial fixed point of ``staffing.queue_kpis`` against the exact
  stationary law of a queue with an orbit of redialling callers (the CTMC of
  ``tests/staffing/test_behaviour_analytic.py``), for redial delays from one minute to four
  hours.
* ``mg1``: the pick-up delay model's ASA on one agent without abandonment against the exact
  M/G/1 mean wait (Pollaczek-Khinchine) with the holding time ``D + S``, ``D`` fixed.
* ``pickup``: the pick-up delay model (exponential service time AHT + E[D], the delay convolved
  with the wait) against the simulator with a fixed delay, at delays from 5% to 50% of the
  handle time: two days, ten replications, eight hours of warm-up (the pooling of
  ``tests/staffing/test_behaviour_vs_simulation.py``), 99% t-intervals.
"""

import sys

import numpy as np
from scipy import stats

from simulator import ChannelModel
from staffing import queue_kpis
from tests.staffing.test_behaviour_analytic import _orbit_ctmc
from tests.staffing.test_behaviour_vs_simulation import _pooled, _simulate

IVL = 900.0


def redials() -> None:
    print("| agents | first attempts (erl) | r | mean redial delay | attempts: chain | "
          "fixed point | gap | abandon rate: chain | fixed point | gap |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    cases = [(4, 3.6, 0.6, d) for d in (60.0, 300.0, 1800.0, 3600.0, 14400.0)]
    cases += [(20, 19.0, 0.5, d) for d in (60.0, 600.0, 3600.0)]
    aht, patience, p = 300.0, 120.0, 0.05
    for n, load, r, delay in cases:
        first = load / aht * IVL
        kpis = queue_kpis(n, first, IVL, aht, 20.0, patience, hang_up_share=p,
                          redial_probability=r).iloc[0]
        m_max = int(max(40, 6 * r * 0.4 * first / IVL * delay + 30))
        attempts, ab = _orbit_ctmc(n, first / IVL, 1 / aht, 1 / patience, p, r, 1 / delay,
                                   k_max=n + 60, m_max=m_max)
        fp_att, fp_ab = float(kpis["offered"]) / IVL * 3600, float(kpis["abandon_rate"])
        ch_att = attempts * 3600
        print(f"| {n} | {load:g} | {r:g} | {delay:g} s | {ch_att:.2f}/h | {fp_att:.2f}/h | "
              f"{100 * (fp_att / ch_att - 1):+.2f}% | {ab:.4f} | {fp_ab:.4f} | "
              f"{100 * (fp_ab - ab):+.2f} pts |")


def mg1() -> None:
    print("| AHT | fixed delay | load (erl) | ASA: exact M/G/1 | model | gap |")
    print("|---|---|---|---|---|---|")
    for aht, delay in ((300.0, 6.0), (120.0, 30.0), (60.0, 30.0)):
        for rho in (0.6, 0.85):
            lam = rho / (aht + delay)
            second = delay**2 + 2 * delay * aht + 2 * aht**2  # E[(D + S)^2]
            exact = lam * second / (2 * (1 - rho)) + delay
            model = float(queue_kpis(1, lam * IVL, IVL, aht, 20.0, pickup_delay_s=delay)
                          .iloc[0]["asa_s"])
            print(f"| {aht:g} s | {delay:g} s | {rho:g} | {exact:.2f} s | {model:.2f} s | "
                  f"{100 * (model / exact - 1):+.1f}% |")


def pickup() -> None:
    print("| AHT | fixed delay | agents | offered /15 min | KPI | simulated (99% CI) | "
          "model | gap | model without the delay |")
    print("|---|---|---|---|---|---|---|---|---|")
    patience = 120.0
    for aht, delay, n, offered in ((300.0, 6.0, 30, 85.0), (120.0, 30.0, 12, 80.0),
                                   (60.0, 30.0, 8, 95.0)):
        model = ChannelModel(mean_patience_s=patience,
                             pickup_delay={"kind": "fixed", "value_s": delay})
        sim = _pooled(_simulate(offered, n, aht, model, seed=3))
        kpis = queue_kpis(n, offered, IVL, aht, 20.0, patience, pickup_delay_s=delay).iloc[0]
        plain = queue_kpis(n, offered, IVL, aht, 20.0, patience).iloc[0]
        half = stats.t.ppf(0.995, len(sim) - 1) / np.sqrt(len(sim))
        for kpi, scale, unit in (("service_level", 100, " %"), ("abandon_rate", 100, " %"),
                                 ("asa_s", 1, " s")):
            mean, hw = sim[kpi].mean() * scale, half * sim[kpi].std(ddof=1) * scale
            got, base = float(kpis[kpi]) * scale, float(plain[kpi]) * scale
            print(f"| {aht:g} s | {delay:g} s | {n} | {offered:g} | {kpi} | "
                  f"{mean:.2f} +- {hw:.2f}{unit} | {got:.2f}{unit} | {got - mean:+.2f} | "
                  f"{base:.2f}{unit} |")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["redials", "mg1", "pickup"]
    for part in parts:
        {"redials": redials, "mg1": mg1, "pickup": pickup}[part]()
        print()
