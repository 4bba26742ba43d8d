"""The behaviour estimators of ``ccplan calibrate`` (forecasting.behaviour) against references
written here: a Kaplan-Meier worked by hand and a brute-force product-limit loop, the
censored exponential likelihood maximised numerically, and records simulated here with numpy
with known patience, hang-up share, pick-up delay and redials (the true value inside the
confidence interval at the stated rate)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from forecasting.behaviour import (
    after_contact_gaps,
    calibrate,
    exponential_patience,
    instant_hang_up_share,
    kaplan_meier,
    law_values,
    pickup_delays,
    redials,
)


def _binomial_floor(n: int, level: float) -> int:
    """Fewest intervals out of n that must cover the truth when each covers with prob
    >= level (one-sided, 1 in 10,000 chance of failing a correct estimator)."""
    return int(stats.binom.ppf(1e-4, n, level))


# --- Kaplan-Meier -------------------------------------------------------------------------------

def test_kaplan_meier_worked_by_hand():
    # waits 1, 2, 2(censored), 3, 4(censored), 5: at risk 6, 5, 3, 1 at the abandon times.
    waits = np.array([1.0, 2.0, 2.0, 3.0, 4.0, 5.0])
    abandoned = np.array([True, True, False, True, False, True])
    km = kaplan_meier(waits, abandoned, level=0.95)
    assert km["time_s"].tolist() == [1.0, 2.0, 3.0, 5.0]
    assert km["at_risk"].tolist() == [6, 5, 3, 1]
    expected = [5 / 6, 5 / 6 * 4 / 5, 5 / 6 * 4 / 5 * 2 / 3, 0.0]
    assert km["survival"].to_numpy() == pytest.approx(expected, abs=1e-12)
    # Greenwood at t = 2: sum d / (n (n - d)) = 1/30 + 1/20; log-log band
    s = 4 / 6
    v = (1 / 30 + 1 / 20) / math.log(s) ** 2
    z = stats.norm.ppf(0.975)
    row = km.iloc[1]
    assert row["survival_low"] == pytest.approx(s ** math.exp(z * math.sqrt(v)), rel=1e-12)
    assert row["survival_high"] == pytest.approx(s ** math.exp(-z * math.sqrt(v)), rel=1e-12)
    # the last abandon empties the risk set: survival 0, band collapsed
    assert km.iloc[3][["survival", "survival_low", "survival_high"]].tolist() == [0, 0, 0]


def _product_limit_brute_force(waits, abandoned, t):
    """P(patience > t): the product over abandon times u <= t of (1 - d(u) / n(u))."""
    s = 1.0
    for u in sorted(set(waits[abandoned].tolist())):
        if u > t:
            break
        at_risk = sum(1 for w in waits if w >= u)
        died = sum(1 for w, a in zip(waits, abandoned, strict=True) if w == u and a)
        s *= 1.0 - died / at_risk
    return s


@pytest.mark.parametrize("seed", range(5))
def test_kaplan_meier_matches_brute_force_with_ties(seed):
    rng = np.random.default_rng(seed)
    waits = rng.integers(0, 15, size=60).astype(float)  # many ties
    abandoned = rng.random(60) < 0.4
    km = kaplan_meier(waits, abandoned)
    for row in km.itertuples():
        assert row.survival == pytest.approx(
            _product_limit_brute_force(waits, abandoned, row.time_s), abs=1e-12)
        assert row.survival_low <= row.survival <= row.survival_high


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    waits = np.random.default_rng(3).exponential(100.0, 500)
    km = kaplan_meier(waits, np.ones(500, dtype=bool))
    empirical = [(waits > t).mean() for t in km["time_s"]]
    assert km["survival"].to_numpy() == pytest.approx(empirical, abs=1e-12)


# --- exponential patience -----------------------------------------------------------------------

def test_exponential_patience_maximises_the_censored_likelihood():
    rng = np.random.default_rng(7)
    waits = rng.exponential(50.0, 400)
    abandoned = rng.random(400) < 0.3

    def minus_log_likelihood(log_mean):
        rate = math.exp(-log_mean)
        return -(abandoned.sum() * math.log(rate) - rate * waits.sum())

    best = optimize.minimize_scalar(minus_log_likelihood, bounds=(0.0, 12.0), method="bounded",
                                    options={"xatol": 1e-10})
    assert exponential_patience(waits, abandoned).value == pytest.approx(math.exp(best.x),
                                                                         rel=1e-6)


@pytest.mark.parametrize(("mean_answer_s", "answered_share"), [(20.0, 0.9), (400.0, 0.33)])
def test_exponential_patience_covers_the_truth(mean_answer_s, answered_share):
    # patience exponential (mean 200 s), censored by an independent exponential answer time
    rng = np.random.default_rng(11)
    true_mean, n_sets, covered, shares = 200.0, 300, 0, []
    for _ in range(n_sets):
        patience = rng.exponential(true_mean, 1500)
        answer = rng.exponential(mean_answer_s, 1500)
        waits, abandoned = np.minimum(patience, answer), patience < answer
        shares.append(1 - abandoned.mean())
        fit = exponential_patience(waits, abandoned, level=0.95)
        covered += fit.low <= true_mean <= fit.high
    assert np.mean(shares) == pytest.approx(answered_share, abs=0.01)  # the censoring asked for
    assert covered >= _binomial_floor(n_sets, 0.95)


def test_exponential_patience_without_abandons_is_unbounded_not_zero():
    fit = exponential_patience(np.array([10.0, 20.0]), np.array([False, False]))
    assert fit.value == math.inf and fit.high == math.inf and 0 < fit.low < math.inf
    empty = exponential_patience(np.array([]), np.array([], dtype=bool))
    assert math.isnan(empty.value)


# --- instant hang-ups ---------------------------------------------------------------------------

def _centre(rng, n, *, hang_up_share, mean_patience_s, mean_answer_s):
    """Contacts: a share hang up at once (wait 0); the others abandon at an exponential
    patience unless answered first (an independent exponential answer time)."""
    hang = rng.random(n) < hang_up_share
    patience = rng.exponential(mean_patience_s, n)
    answer = rng.exponential(mean_answer_s, n)
    waits = np.where(hang, 0.0, np.minimum(patience, answer))
    abandoned = hang | (patience < answer)
    return waits, abandoned


def test_hang_up_share_and_patience_recovered_together():
    rng = np.random.default_rng(5)
    n_sets, share_ok, patience_ok, within = 200, 0, 0, 5.0
    for _ in range(n_sets):
        waits, abandoned = _centre(rng, 20_000, hang_up_share=0.04, mean_patience_s=300.0,
                                   mean_answer_s=20.0)
        beyond = waits > within
        patience = exponential_patience(np.maximum(waits - within, 0.0), abandoned & beyond)
        share = instant_hang_up_share(waits, abandoned, within_s=within,
                                      mean_patience_s=patience.value)
        share_ok += share.low <= 0.04 <= share.high
        patience_ok += patience.low <= 300.0 <= patience.high
    assert patience_ok >= _binomial_floor(n_sets, 0.95)
    # the shift by the expected patient short abandons treats them as known: allow 90%
    assert share_ok >= _binomial_floor(n_sets, 0.90)


def test_counting_every_short_abandon_overstates_hang_ups():
    # why the patient short abandons are taken off: 1.4% of callers here are patient
    # callers who left within 5 s, and counting them misses the truth (0) far outside the CI
    waits, abandoned = _centre(np.random.default_rng(2), 50_000, hang_up_share=0.0,
                               mean_patience_s=300.0, mean_answer_s=20.0)
    raw = instant_hang_up_share(waits, abandoned, within_s=5.0)
    assert raw.low > 0.01
    net = instant_hang_up_share(waits, abandoned, within_s=5.0, mean_patience_s=300.0)
    assert net.low == 0.0 and net.high < 0.005


# --- pick-up delay ------------------------------------------------------------------------------

def test_pickup_delays_by_hand():
    # agent 0: busy 0-100, then answers contact 1 (arrived 150) at 152; contact 2 arrives at
    # 160 while contact 3 (arrived 155) waits -> not counted; agent 1's first contact is
    # never counted; agent 0's contact 4 comes after a 2000 s gap (a break) -> not counted.
    arrival = np.array([0.0, 150.0, 160.0, 155.0, 3000.0, 10.0])
    wait = np.array([0.0, 2.0, 30.0, 100.0, 3.0, 1.0])
    answered = np.ones(6, dtype=bool)
    handle = np.array([100.0, 50.0, 40.0, 20.0, 60.0, 500.0])
    agent = np.array([0, 0, 1, 0, 0, 1])
    chosen = pickup_delays(arrival, wait, answered, handle, agent, np.ones(6, dtype=bool),
                           max_idle_gap_s=600.0)
    assert chosen.tolist() == [False, True, False, False, False, False]


def _multi_server_records(rng, n, n_agents, delay_law):
    """FIFO queue, n_agents agents; the longest-free agent takes the next contact; the answer
    comes a pick-up delay after the agent takes it (the simulator's rule)."""
    arrival = np.cumsum(rng.exponential(60.0, n))
    handle = rng.exponential(100.0, n)
    delay = delay_law(n)
    free_at = np.zeros(n_agents)
    wait, agent, idle_taken = np.zeros(n), np.zeros(n, dtype=int), np.zeros(n, dtype=bool)
    for i in range(n):
        k = int(np.argmin(free_at))
        take = max(arrival[i], free_at[k])
        idle_taken[i] = free_at[k] <= arrival[i]
        wait[i] = take + delay[i] - arrival[i]
        free_at[k] = take + delay[i] + handle[i]
        agent[i] = k
    return arrival, wait, handle, agent, delay, idle_taken


def test_pickup_delays_recover_the_delay_law():
    rng = np.random.default_rng(9)
    arrival, wait, handle, agent, delay, idle_taken = _multi_server_records(
        rng, 6000, 3, lambda n: rng.uniform(1.0, 6.0, n))
    chosen = pickup_delays(arrival, wait, np.ones(wait.size, dtype=bool), handle, agent,
                           np.ones(wait.size, dtype=bool), max_idle_gap_s=1e9)
    assert chosen.sum() > 1000
    assert idle_taken[chosen].all()  # each one really found its agent idle
    assert wait[chosen] == pytest.approx(delay[chosen])  # so its wait is its delay
    # and the selection does not bend the law: uniform on [1, 6]
    assert stats.kstest(wait[chosen], stats.uniform(1.0, 5.0).cdf).pvalue > 1e-3


def test_after_contact_gaps_are_the_delay_under_load():
    # when the agent's next contact was already waiting, the gap from the end of the
    # previous contact to the answer is that contact's pick-up delay, exactly
    rng = np.random.default_rng(10)
    arrival, wait, handle, agent, delay, _ = _multi_server_records(
        rng, 6000, 3, lambda n: rng.uniform(1.0, 6.0, n))
    everyone = np.ones(wait.size, dtype=bool)
    gaps = after_contact_gaps(arrival, wait, everyone, handle, agent, everyone,
                              max_idle_gap_s=1e9)
    assert gaps.size > 1000
    assert stats.kstest(gaps, stats.uniform(1.0, 5.0).cdf).pvalue > 1e-3
    # 20 s between contacts (after-call work or a delay: under load the records cannot tell
    # them apart) reads as 20 s in every gap
    held = _multi_server_records(np.random.default_rng(10), 6000, 3,
                                 lambda n: np.full(n, 20.0))
    gaps = after_contact_gaps(held[0], held[1], everyone, held[2], held[3], everyone,
                              max_idle_gap_s=1e9)
    assert gaps == pytest.approx(np.full(gaps.size, 20.0))


# --- redials ------------------------------------------------------------------------------------

def _redial_records(rng, n_customers, probability_by_band, mean_delay_s):
    """Each customer calls once (uniform over 60 days); abandons with prob. 0.3 after a wait
    uniform in [0, 200] s; then redials with the band's probability after an exponential
    delay; the redial is answered. Plus unknown callers (-1) calling at random."""
    first = rng.uniform(0, 60 * 86400.0, n_customers)
    gives_up = rng.random(n_customers) < 0.3
    waits = np.where(gives_up, rng.uniform(0, 200.0, n_customers), 10.0)
    bands = np.searchsorted([5.0, 30.0, 120.0], waits, side="left")
    p = np.asarray(probability_by_band)[bands]
    again = gives_up & (rng.random(n_customers) < p)
    delay = rng.exponential(mean_delay_s, n_customers)
    ids = np.arange(n_customers)
    n_unknown = n_customers // 2
    arrival = np.concatenate([first, (first + waits + delay)[again],
                              rng.uniform(0, 60 * 86400.0, n_unknown)])
    wait = np.concatenate([waits, np.full(again.sum(), 10.0), np.zeros(n_unknown)])
    abandoned = np.concatenate([gives_up, np.zeros(again.sum(), bool), np.ones(n_unknown, bool)])
    customer = np.concatenate([ids, ids[again], np.full(n_unknown, -1)])
    return arrival, wait, abandoned, customer


def test_redials_recover_probability_by_band_and_delay():
    rng = np.random.default_rng(4)
    probabilities, mean_delay, window = (0.1, 0.3, 0.5, 0.6), 900.0, 3600.0
    in_window = 1.0 - math.exp(-window / mean_delay)
    n_sets, covered = 40, np.zeros(5, dtype=int)
    for _ in range(n_sets):
        arrival, wait, abandoned, customer = _redial_records(rng, 40_000, probabilities,
                                                             mean_delay)
        fit = redials(arrival, wait, abandoned, customer, window_s=window)
        overall, bands, delays = fit.probability, fit.bands, fit.delays_s
        assert fit.is_redial.sum() == overall.events  # each redial is one later contact
        assert (customer[fit.is_redial] >= 0).all()
        truth = [p * in_window for p in probabilities]
        hits = (bands["probability_low"] <= truth) & (truth <= bands["probability_high"])
        covered[:4] += hits.to_numpy()
        # the delays are the exponential truncated at the window (KS against that law)
        truncated = stats.truncexpon(b=window / mean_delay, scale=mean_delay)
        covered[4] += stats.kstest(delays, truncated.cdf).pvalue > 0.05
    assert (covered[:4] >= _binomial_floor(n_sets, 0.95)).all()
    assert covered[4] >= _binomial_floor(n_sets, 0.95)
    assert overall.n == int(bands["abandons"].sum())  # unknown callers are nobody's abandons


def test_redials_leave_out_abandons_too_close_to_the_end():
    # one customer abandons 100 s before the records end: whether they redial is unknown
    arrival = np.array([0.0, 1000.0, 5000.0, 5000.0])
    wait = np.array([10.0, 0.0, 10.0, 0.0])
    abandoned = np.array([True, False, True, False])
    customer = np.array([7, 7, 8, -1])
    fit = redials(arrival, wait, abandoned, customer, window_s=3600.0)
    assert (fit.probability.n, fit.probability.events) == (1, 1)
    assert fit.delays_s.tolist() == [990.0]
    assert fit.is_redial.tolist() == [False, True, False, False]


# --- the whole calibration ----------------------------------------------------------------------

def test_calibrate_on_simulated_records():
    rng = np.random.default_rng(21)
    n = 30_000
    waits, abandoned = _centre(rng, n, hang_up_share=0.03, mean_patience_s=250.0,
                               mean_answer_s=30.0)
    handle = rng.gamma(4.0, 60.0, n)  # mean 240 s, cv 0.5
    arrival = pd.Timestamp("2026-01-05") + pd.to_timedelta(np.sort(rng.uniform(0, 30 * 86400, n)),
                                                           unit="s")
    records = pd.DataFrame({"arrival": arrival, "channel": "voice", "wait_s": waits,
                            "outcome": np.where(abandoned, "abandoned", "answered"),
                            "handle_s": np.where(abandoned, np.nan, handle)})
    result = calibrate(records)
    fits = result.fits.set_index("quantity")
    for quantity, truth in (("mean_patience_s", 250.0), ("hang_up_share", 0.03),
                            ("aht_s", 240.0)):
        assert fits.loc[quantity, "low"] <= truth <= fits.loc[quantity, "high"], quantity
    assert fits.loc["handle_cv", "value"] == pytest.approx(0.5, abs=0.02)
    assert fits.loc["naive_mean_patience_s", "value"] < 0.2 * 250.0  # why it is not used
    assert any("agent column" in note for note in result.notes)
    assert any("customer_id" in note for note in result.notes)
    assert result.arrivals["offered"].sum() == n


def test_calibrate_fits_each_channel_on_its_own_records():
    rng = np.random.default_rng(22)
    parts = []
    for name, mean_patience, mean_answer in (("voice", 300.0, 20.0), ("chat", 60.0, 40.0)):
        waits, abandoned = _centre(rng, 20_000, hang_up_share=0.0,
                                   mean_patience_s=mean_patience, mean_answer_s=mean_answer)
        arrival = pd.Timestamp("2026-01-05") + pd.to_timedelta(
            np.sort(rng.uniform(0, 20 * 86400, waits.size)), unit="s")
        parts.append(pd.DataFrame({"arrival": arrival, "channel": name, "wait_s": waits,
                                   "outcome": np.where(abandoned, "abandoned", "answered"),
                                   "handle_s": rng.exponential(200.0, waits.size)}))
    records = pd.concat(parts).sort_values("arrival", kind="stable").reset_index(drop=True)
    fits = calibrate(records).fits.set_index(["channel", "quantity"])
    for name, truth in (("voice", 300.0), ("chat", 60.0)):
        fit = fits.loc[(name, "mean_patience_s")]
        assert fit["low"] <= truth <= fit["high"], name
        assert fits.loc[(name, "contacts"), "value"] == 20_000


def test_law_values_are_the_means_of_equal_probability_slices():
    # 1..100 in 20 slices of 5 samples: slice i holds 5i+1 .. 5i+5, mean 5i + 3
    values = law_values(np.arange(1.0, 101.0), 20)
    assert values.tolist() == pytest.approx([5 * i + 3 for i in range(20)])
    # 7 samples in 3 slices of 7/3: a sample on an edge is shared in proportion (by hand)
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
    third = 7 / 3
    expected = [(1 + 2 + 4 / 3) / third, (4 * 2 / 3 + 8 + 16 * 2 / 3) / third,
                (16 / 3 + 32 + 64) / third]
    assert law_values(x, 3).tolist() == pytest.approx(expected)
    # a skewed law keeps its mean (mid-rank quantiles would give 0 here)
    skewed = np.array([0.0] * 95 + [40.0] * 5)
    assert law_values(skewed, 10).mean() == pytest.approx(skewed.mean())
    assert law_values(np.array([]), 20).size == 0
