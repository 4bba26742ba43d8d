"""Instant hang-ups (issue 16): a share of arriving contacts leaves at once whatever the wait.

Reference: thinning a Poisson stream leaves a Poisson stream, so the contacts that stay form
an M/M/n+M queue at (1 - p) times the load (staffing's Erlang A, an independent engine). Over
all offered contacts, the share answered within the target is (1 - p) x Erlang A's, the
abandon rate p + (1 - p) x Erlang A's, and the ASA of answered contacts Erlang A's."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from simulator import ChannelModel, SimulationInputError, simulate
from staffing import queue_kpis


def _tables(offered, agents, aht_s=300.0):
    starts = pd.date_range("2026-03-02 08:00", periods=len(offered), freq="15min", tz="UTC")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": starts,
                             "offered": np.asarray(offered, float), "aht_s": aht_s})
    coverage = forecast[["channel", "interval_start"]].assign(agents_on_queue=agents)
    return forecast, coverage


@pytest.mark.slow
@pytest.mark.parametrize(("offered", "share", "patience"), [(95.0, 0.15, 180.0),
                                                            (85.0, 0.05, None)])
def test_hang_ups_thin_the_queue_as_erlang_a_says(offered, share, patience):
    # 95 contacts of 300 s per 15 min is 31.7 erlangs on 30 agents: only patience and the
    # hang-ups keep it stable; 85 x 0.95 is 26.9 erlangs, a stable Erlang C queue.
    n = 192
    forecast, coverage = _tables([offered] * n, [30] * n)
    intervals, summary = simulate(
        forecast, coverage, interval_s=900, n_replications=6, seed=21, confidence=0.99,
        channels={"voice": ChannelModel(mean_patience_s=patience, hang_up_share=share)})
    kept = queue_kpis(30, offered * (1 - share), 900, 300.0, 20.0, patience).iloc[0]
    expected = {"service_level": (1 - share) * float(kept["service_level"]),
                "abandon_rate": share + (1 - share) * float(kept["abandon_rate"]),
                "asa_s": float(kept["asa_s"])}
    for kpi, value in expected.items():
        row = summary[summary.kpi == kpi].iloc[0]
        assert row.ci_low <= value <= row.ci_high, (kpi, row.to_dict(), value)
    # The share that hung up is p, within 4 binomial standard errors.
    hung, offered = intervals["hung_up"].sum(), intervals["offered"].sum()
    assert abs(hung / offered - share) <= 4 * math.sqrt(share * (1 - share) / offered)


def test_without_patience_the_only_abandons_are_the_hang_ups(tmp_path):
    forecast, coverage = _tables([60, 80, 40, 10], [6, 7, 5, 2], aht_s=240.0)
    path = tmp_path / "contacts.parquet"
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=3, seed=4,
                            channels={"voice": ChannelModel(hang_up_share=0.3)},
                            contact_log=path)
    assert (intervals["abandoned"] == intervals["hung_up"]).all()
    assert intervals["hung_up"].sum() > 0
    assert (intervals["offered"] == intervals["answered"] + intervals["abandoned"]
            + intervals["waiting_at_end"]).all()
    log = pd.read_parquet(path)
    abandoned = log[log.outcome == "abandoned"]
    assert len(abandoned) == intervals["hung_up"].sum() and (abandoned["wait_s"] == 0).all()


def test_no_hang_ups_by_default():
    forecast, coverage = _tables([60] * 4, [12] * 4)
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=2, seed=3,
                            channels={"voice": ChannelModel(mean_patience_s=60.0)})
    assert (intervals["hung_up"] == 0).all()


@pytest.mark.parametrize("share", [1.0, -0.1, True, "3%", math.nan])
def test_a_bad_share_is_refused_naming_the_field(share):
    forecast, coverage = _tables([10], [3])
    with pytest.raises(SimulationInputError, match=r"channels\['voice'\].hang_up_share"):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"voice": ChannelModel(hang_up_share=share)})


# Hang-ups within a time (hang_up_within_s = w > 0): each hang-up's patience is uniform in
# [0, w]; it queues and is answered if an agent takes it first.
#
# Reference: M/M/n+G (Baccelli & Hebuterne 1981; Zeltyn & Mandelbaum 2005), the patience law
# G being the mixture of the hang-ups' uniform and the others' exponential. The virtual wait
# V (what an infinitely patient arrival would wait) is 0 with probability proportional to
# sum_{j<n} a^j / j!, and has the density lambda a^(n-1)/(n-1)! exp(lambda H(x) - n mu x)
# for x > 0, H(x) = integral_0^x P(patience > u) du, with the same normalising constant. An
# arrival with patience tau (independent of V, by PASTA) is answered iff V <= tau.


def _mmng(lam, aht_s, n, share, within_s, mean_patience_s, answer_within_s):
    """Service level, abandon rate, hung-up share and ASA of M/M/n+G (scipy quad)."""
    mu, a = 1 / aht_s, lam * aht_s

    def hang_survival(u):
        return max(0.0, 1 - u / within_s)

    def survival(u):
        return share * hang_survival(u) + (1 - share) * math.exp(-u / mean_patience_s)

    def big_h(x):
        hang = x - x * x / (2 * within_s) if x < within_s else within_s / 2
        return share * hang + (1 - share) * mean_patience_s * (1 - math.exp(-x / mean_patience_s))

    below = sum(a**j / math.factorial(j) for j in range(n))
    top = a ** (n - 1) / math.factorial(n - 1)

    def v(x):
        return lam * top * math.exp(lam * big_h(x) - n * mu * x)

    def quad(f, lo, hi):  # split at w, where the uniform patience ends
        if lo < within_s < hi:
            return quad(f, lo, within_s) + quad(f, within_s, hi)
        return integrate.quad(f, lo, hi, limit=200)[0]

    z = below + quad(v, 0, math.inf)
    answered = below + quad(lambda x: v(x) * survival(x), 0, math.inf)
    return {
        "service_level": (below + quad(lambda x: v(x) * survival(x), 0, answer_within_s)) / z,
        "abandon_rate": 1 - answered / z,
        "hung_up": share * quad(lambda x: v(x) * (1 - hang_survival(x)), 0, math.inf) / z,
        "asa_s": quad(lambda x: x * v(x) * survival(x), 0, math.inf) / answered,
    }


def test_the_m_m_n_g_reference_is_erlang_a_without_hang_ups():
    # The reference above, checked against staffing's Erlang A (an independent engine).
    got = _mmng(33 / 900, 300.0, 10, 0.0, 20.0, 120.0, 20.0)
    want = queue_kpis(10, 33.0, 900, 300.0, 20.0, 120.0).iloc[0]
    for kpi in ("service_level", "abandon_rate", "asa_s"):
        assert got[kpi] == pytest.approx(float(want[kpi]), rel=1e-6), kpi


def test_hang_ups_within_a_time_match_m_m_n_g():
    # 33 contacts of 300 s per 15 min on 10 agents (11 erlangs), 20% of them hang-ups
    # leaving within 20 s, the others with a mean patience of 120 s.
    n, reps = 192, 8
    forecast, coverage = _tables([33.0] * n, [10] * n)
    intervals, summary = simulate(
        forecast, coverage, interval_s=900, n_replications=reps, seed=2, confidence=0.99,
        channels={"voice": ChannelModel(mean_patience_s=120.0, hang_up_share=0.2,
                                        hang_up_within_s=20.0)})
    want = _mmng(33 / 900, 300.0, 10, 0.2, 20.0, 120.0, 20.0)
    for kpi in ("service_level", "abandon_rate", "asa_s"):
        row = summary[summary.kpi == kpi].iloc[0]
        assert row.ci_low <= want[kpi] <= row.ci_high, (kpi, row.to_dict(), want[kpi])
    per = intervals.groupby("replication")[["hung_up", "offered"]].sum()
    shares = per["hung_up"] / per["offered"]
    half = stats.t.ppf(0.995, reps - 1) * shares.std(ddof=1) / math.sqrt(reps)
    assert abs(shares.mean() - want["hung_up"]) <= half, (shares.mean(), half, want)
    # Leaving at once instead would make every hang-up leave: a share of 0.2, far outside.
    assert not abs(shares.mean() - 0.2) <= half


def test_with_no_agent_every_hang_up_leaves_within_its_time(tmp_path):
    forecast, coverage = _tables([80, 120, 60, 100], [0] * 4)
    path = tmp_path / "log.parquet"
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=4, seed=6,
                            contact_log=path,
                            channels={"voice": ChannelModel(hang_up_share=0.25,
                                                            hang_up_within_s=30.0)})
    # Nobody else abandons (no patience): the abandons are the hang-ups, every one of them,
    # and their number is Binomial(offered, 0.25).
    assert (intervals["abandoned"] == intervals["hung_up"]).all()
    assert (intervals["answered"] == 0).all()
    hung, offered = intervals["hung_up"].sum(), intervals["offered"].sum()
    assert abs(hung - 0.25 * offered) <= 4 * math.sqrt(offered * 0.25 * 0.75)
    # Their waits are uniform on [0, 30 s] (Kolmogorov-Smirnov).
    waits = pd.read_parquet(path).query("outcome == 'abandoned'")["wait_s"]
    assert len(waits) == hung
    assert stats.kstest(waits, stats.uniform(0, 30).cdf).pvalue > 1e-3


def test_with_idle_agents_every_hang_up_is_answered():
    forecast, coverage = _tables([40, 60, 50], [60] * 3, aht_s=120.0)
    intervals, _ = simulate(forecast, coverage, interval_s=900, n_replications=3, seed=2,
                            channels={"voice": ChannelModel(hang_up_share=0.5,
                                                            hang_up_within_s=10.0)})
    assert (intervals["answered"] == intervals["offered"]).all()
    assert intervals["hung_up"].sum() == 0 and intervals["offered"].sum() > 0


@pytest.mark.parametrize("within", [-1.0, math.inf, math.nan, True, "5s"])
def test_a_bad_hang_up_time_is_refused_naming_the_field(within):
    forecast, coverage = _tables([10], [3])
    with pytest.raises(SimulationInputError, match=r"channels\['voice'\].hang_up_within_s"):
        simulate(forecast, coverage, interval_s=900, n_replications=2,
                 channels={"voice": ChannelModel(hang_up_share=0.1, hang_up_within_s=within)})
