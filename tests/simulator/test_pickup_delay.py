"""Pick-up delay (issue 16): between an agent taking a contact and the answer.

The agent is held for delay + handle time, the customer's wait includes the delay, nobody
abandons during it. References, each written here:

* light load on many agents (nobody queues; the busy agents are an M/G/infinity system started
  empty): every answered wait is the delay exactly, so the service level is 1 or 0 by the
  threshold and the ASA is the delay; the expected busy time over the horizon is
  lambda x integral of (T - u) P(delay + handle > u) du (scipy quad), which pins the agent
  being held for delay + handle;
* one agent (M/G/1 with service delay + handle time): Pollaczek-Khinchine's mean queue wait
  lambda E[H^2] / (2 (1 - rho)), plus the mean delay, is the ASA; the share that queued at all
  is rho (PASTA). E[D] and E[D^2] of the banded law come from scipy quad over its density.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from simulator import ChannelModel, SimulationInputError, simulate


def _tables(offered, agents, n, aht_s):
    starts = pd.date_range("2026-03-02", periods=n, freq="15min", tz="UTC")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": offered,
                             "aht_s": aht_s})
    coverage = forecast[["channel", "interval_start"]].assign(agents_on_queue=agents)
    return forecast, coverage


def _kpi(summary, kpi):
    return summary[summary.kpi == kpi].iloc[0]


def test_light_load_waits_exactly_the_delay_and_holds_the_agent(tmp_path):
    # 100 contacts of 60 s per 15 min on 40 agents (10 erlangs with the 30 s delay): the
    # chance that all 40 are busy is below 1e-9, so every contact is taken at once.
    delay, aht, n, lam = 30.0, 60.0, 32, 100 / 900
    forecast, coverage = _tables(100.0, 40, n, aht)
    path = tmp_path / "log.parquet"
    runs = {}
    for within in (40.0, 20.0):  # the threshold above and below the delay
        runs[within] = simulate(
            forecast, coverage, interval_s=900, n_replications=8, seed=3, confidence=0.99,
            contact_log=path if within == 40.0 else None,
            channels={"voice": ChannelModel(answer_within_s=within, mean_patience_s=2.0,
                                            pickup_delay={"kind": "fixed", "value_s": delay})})
    intervals, summary = runs[40.0]
    # mean patience 2 s < the 30 s delay, yet nobody abandons: no abandon during the delay
    assert intervals["abandoned"].sum() == 0
    assert (intervals["answered"] == intervals["offered"]).all()
    assert _kpi(summary, "service_level")["mean"] == 1.0
    assert _kpi(runs[20.0][1], "service_level")["mean"] == 0.0
    assert _kpi(summary, "asa_s")["mean"] == pytest.approx(delay, abs=1e-9)
    log = pd.read_parquet(path)
    assert np.allclose(log["wait_s"], delay) and (log["pickup_s"] == delay).all()
    # Busy time: M/G/infinity from empty, holding time H = delay + Exp(aht).
    horizon = n * 900.0

    def survival(u):
        return 1.0 if u < delay else math.exp(-(u - delay) / aht)

    busy = lam * (integrate.quad(lambda u: (horizon - u) * survival(u), 0, delay)[0]
                  + integrate.quad(lambda u: (horizon - u) * survival(u), delay, horizon,
                                   limit=200)[0])
    occupancy = _kpi(summary, "occupancy")
    assert occupancy.ci_low <= busy / (40 * horizon) <= occupancy.ci_high, (occupancy, busy)
    # Held for the handle time alone, the occupancy would be out of the interval.
    assert not occupancy.ci_low <= lam * aht / 40 * (1 - aht / horizon) <= occupancy.ci_high


def test_one_agent_is_pollaczek_khinchine_with_the_delay_in_the_service(tmp_path):
    bands = [[4.0, 0.5], [12.0, 0.5]]  # uniform on (0, 4] or (4, 12], half each

    def density(x):
        return 0.5 / 4 if 0 < x <= 4 else 0.5 / 8 if 4 < x <= 12 else 0.0

    mean_d = integrate.quad(lambda x: x * density(x), 0, 12, points=[4])[0]
    mean_d2 = integrate.quad(lambda x: x * x * density(x), 0, 12, points=[4])[0]
    aht, rho = 60.0, 0.6
    lam = rho / (mean_d + aht)
    mean_h2 = mean_d2 + 2 * mean_d * aht + 2 * aht**2
    asa = lam * mean_h2 / (2 * (1 - rho)) + mean_d
    n, reps = 672, 8
    forecast, coverage = _tables(lam * 900, 1, n, aht)
    path = tmp_path / "log.parquet"
    _, summary = simulate(forecast, coverage, interval_s=900, n_replications=reps, seed=5,
                          confidence=0.99, contact_log=path,
                          channels={"voice": ChannelModel(
                              pickup_delay={"kind": "bands", "bands": bands})})
    row = _kpi(summary, "asa_s")
    assert row.ci_low <= asa <= row.ci_high, (row.to_dict(), asa)
    log = pd.read_parquet(path)
    log = log[log.outcome == "answered"]
    queued = (log["wait_s"] - log["pickup_s"] > 1e-9).groupby(log["replication"]).mean()
    half = stats.t.ppf(0.995, reps - 1) * queued.std(ddof=1) / math.sqrt(reps)
    assert abs(queued.mean() - rho) <= half, (queued.mean(), half)
    # The delays drawn follow the bands: half below 4 s, none above 12 s, mean E[D].
    assert log["pickup_s"].between(0, 12, inclusive="right").all()
    assert abs((log["pickup_s"] <= 4).mean() - 0.5) < 4 * math.sqrt(0.25 / len(log))
    assert abs(log["pickup_s"].mean() - mean_d) < 4 * math.sqrt(
        (mean_d2 - mean_d**2) / len(log))


def test_a_zero_delay_gives_the_tables_without_delay():
    forecast, coverage = _tables(60.0, 14, 12, 240.0)
    kwargs = {"interval_s": 900, "n_replications": 3, "seed": 8}
    plain = simulate(forecast, coverage, channels={"voice": ChannelModel(mean_patience_s=90.0)},
                     **kwargs)
    zero = simulate(forecast, coverage, channels={"voice": ChannelModel(
        mean_patience_s=90.0, pickup_delay={"kind": "fixed", "value_s": 0.0})}, **kwargs)
    pd.testing.assert_frame_equal(plain[0], zero[0])
    pd.testing.assert_frame_equal(plain[1], zero[1])


@pytest.mark.parametrize("law", [
    3.0, {"kind": "none"}, {"kind": "fixed", "value_s": -1.0}, {"kind": "fixed"},
    {"kind": "fixed", "value_s": 2.0, "mean_s": 2.0}, {"kind": "bands", "bands": [[5, 0.5]]},
    {"kind": "bands", "bands": [[5, 0.5], [4, 0.5]]}, {"kind": "bands", "bands": [[0, 1.0]]},
    {"kind": "exponential"}, {"kind": "empirical", "values_s": []},
])
def test_a_bad_pickup_delay_is_refused_naming_the_channel_and_field(law):
    forecast, coverage = _tables(10.0, 3, 1, 240.0)
    with pytest.raises(SimulationInputError, match=r"channels\['voice'\]\.pickup_delay"):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"voice": ChannelModel(pickup_delay=law)})
