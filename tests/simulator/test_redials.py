"""Redials (issue 16): a contact that abandons calls again with a probability, after a delay.

References, each written here:

* conservation, counted by hand from the per-contact log: every redial follows an abandoned
  attempt of the same customer, by exactly the redial delay; offered = first attempts +
  redials; the interval table's redials, first attempts answered and customers answered;
  with probability 1 every abandon has a redial, in the horizon or counted after it;
* the number of redials against the binomial expectation given the abandons (a constant
  probability, and a table by wait, whose expectation sums each abandon's probability);
* the stationary fixed point of M/M/n+M with redials: offered rate lambda = lambda0 /
  (1 - p P_abandon(lambda)), P_abandon from Erlang A written here as the birth-death chain of
  M/M/n+M (mpmath), against the simulation's 99% confidence intervals.

Each runs with the other behaviours (hang-ups within a time, pick-up delay, priority
classes, shared groups with chat concurrency, the contact log).
"""

import math

import mpmath
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulator import ChannelModel, GroupModel, SimulationInputError, simulate
from staffing import queue_kpis


def _forecast(offered, n, channels=("voice",), aht_s=300.0):
    starts = pd.date_range("2026-03-02 08:00", periods=n, freq="15min", tz="UTC")
    return pd.concat([pd.DataFrame({"channel": c, "interval_start": starts,
                                    "offered": float(offered), "aht_s": aht_s})
                      for c in channels], ignore_index=True)


def _coverage(forecast, agents, key="channel", name=None):
    frame = forecast[["channel", "interval_start"]].drop_duplicates("interval_start")
    frame = frame.assign(agents_on_queue=agents)
    if key == "group":
        frame = frame.drop(columns="channel").assign(group=name)
    return frame


def _check_conservation(intervals, log, redial_delay_s=None):
    """The interval table against the log, counted by hand (see the module docstring)."""
    assert (intervals["offered"] == intervals["answered"] + intervals["abandoned"]
            + intervals["waiting_at_end"]).all()
    start = intervals["interval_start"].min()
    iv = ((intervals["interval_start"] - start) / pd.Timedelta("15min")).astype(int)
    table = intervals.assign(interval=iv).set_index(["replication", "channel", "interval"])
    keys = ["replication", "channel", "interval"]
    first = log[log.attempt == 1]
    counts = pd.DataFrame({
        "offered": log.groupby(keys).size(),
        "redials": log[log.attempt > 1].groupby(keys).size(),
        "first_attempts_answered": first[first.outcome == "answered"].groupby(keys).size(),
    }).reindex(table.index, fill_value=0).fillna(0).astype(int)
    for column in counts:
        assert (counts[column] == table[column]).all(), column
    # offered = first attempts + redials
    assert ((table["offered"] - table["redials"])
            == first.groupby(keys).size().reindex(table.index, fill_value=0)).all()
    # customers answered, by the interval of their first attempt
    customer = ["replication", "channel", "customer"]
    answered = log[log.outcome == "answered"].set_index(customer).index
    firsts = first.set_index(customer)
    firsts = firsts.assign(got=firsts.index.isin(answered))
    by_first = firsts.groupby(keys)["got"].sum().reindex(table.index, fill_value=0)
    assert (by_first == table["customers_answered"]).all()
    assert log.groupby(customer)["outcome"].apply(lambda o: (o == "answered").sum() <= 1).all()
    # every redial follows an abandoned attempt of its customer, after it abandoned
    before = log.assign(attempt=log.attempt + 1).set_index([*customer, "attempt"])
    redials = log[log.attempt > 1].set_index([*customer, "attempt"])
    assert redials.index.isin(before.index).all()
    previous = before.loc[redials.index]
    assert (previous["outcome"] == "abandoned").all()
    gap = redials["arrival_s"] - (previous["arrival_s"] + previous["wait_s"])
    assert (gap > 0).all()
    if redial_delay_s is not None:
        assert np.allclose(gap, redial_delay_s)
    return table


def test_every_redial_follows_an_abandon_with_priority_classes_pickup_and_hang_ups(tmp_path):
    # p = 1: every abandon redials, in the horizon or counted after it.
    forecast = _forecast(70, 16)
    path = tmp_path / "log.parquet"
    model = ChannelModel(
        mean_patience_s=60.0, hang_up_share=0.1, hang_up_within_s=8.0,
        priority_classes=[{"name": "gold", "share": 0.3, "head_start_s": 60.0},
                          {"name": "basic", "share": 0.7}],
        pickup_delay={"kind": "fixed", "value_s": 5.0}, redial_probability=1.0,
        redial_delay={"kind": "fixed", "value_s": 420.0})
    intervals, summary = simulate(forecast, _coverage(forecast, 20), interval_s=900,
                                  n_replications=3, seed=9, contact_log=path,
                                  channels={"voice": model})
    log = pd.read_parquet(path)
    table = _check_conservation(intervals, log, redial_delay_s=420.0)
    assert table["redials"].sum() > 100 and table["hung_up"].sum() > 0
    assert (log.attempt.max() >= 3) and set(log.priority_class) == {"gold", "basic"}
    # a redial keeps its customer's class and handle time
    by_customer = log.groupby(["replication", "channel", "customer"])
    assert (by_customer["priority_class"].nunique() == 1).all()
    assert (by_customer["handle_s"].nunique() == 1).all()
    assert (table["abandoned"].sum()
            == table["redials"].sum() + table["redials_after_horizon"].sum())
    answered = log[log.outcome == "answered"]
    assert (answered["pickup_s"] == 5.0).all() and (answered["wait_s"] >= 5.0 - 1e-9).all()
    # the summary's redial KPIs are the table's ratios
    kpis = summary.set_index("kpi")["mean"]
    per = intervals.groupby("replication")[["redials", "offered", "first_attempts_answered",
                                            "customers_answered"]].sum()
    first = per["offered"] - per["redials"]
    assert kpis["redial_share"] == pytest.approx((per["redials"] / per["offered"]).mean())
    assert kpis["first_attempts_answered_share"] == pytest.approx(
        (per["first_attempts_answered"] / first).mean())
    assert kpis["customers_answered_share"] == pytest.approx(
        (per["customers_answered"] / first).mean())


def test_redials_with_shared_agents_and_chat_concurrency(tmp_path):
    forecast = _forecast(45, 12, channels=("chat", "voice"), aht_s=400.0)
    coverage = _coverage(forecast, 14, key="group", name="team")
    path = tmp_path / "log.parquet"
    law = {"kind": "bands", "bands": [[3.0, 0.5], [9.0, 0.5]]}
    channels = {
        "voice": ChannelModel(mean_patience_s=90.0, hang_up_share=0.05, hang_up_within_s=5.0,
                              pickup_delay=law, redial_probability=0.6,
                              redial_delay={"kind": "exponential", "mean_s": 300.0}),
        "chat": ChannelModel(mean_patience_s=200.0, concurrency=2, stretch=0.2,
                             redial_probability=[(30.0, 0.2), (math.inf, 0.8)],
                             redial_delay={"kind": "empirical", "values_s": [60.0, 600.0]}),
    }
    intervals, summary = simulate(forecast, coverage, interval_s=900, n_replications=3, seed=4,
                                  contact_log=path, channels=channels,
                                  groups={"team": GroupModel(skills=("voice", "chat"))},
                                  channel_priority=["voice", "chat"])
    log = pd.read_parquet(path)
    table = _check_conservation(intervals, log)
    for channel in ("voice", "chat"):
        assert table.xs(channel, level="channel")["redials"].sum() > 20, channel
    # chat's redials come 60 s or 600 s after the abandon
    chat = log[log.channel == "chat"]
    before = chat.assign(attempt=chat.attempt + 1).set_index(["replication", "customer",
                                                              "attempt"])
    later = chat[chat.attempt > 1].set_index(["replication", "customer", "attempt"])
    prev = before.loc[later.index]
    gap = (later["arrival_s"] - prev["arrival_s"] - prev["wait_s"]).round(6)
    assert set(gap) <= {60.0, 600.0}
    assert {"redial_share", "group_occupancy"} <= set(summary.kpi)


def _redials_against_binomial(probability, p_of_wait, tmp_path, seed):
    forecast = _forecast(75, 24)
    path = tmp_path / "log.parquet"
    intervals, _ = simulate(forecast, _coverage(forecast, 22), interval_s=900,
                            n_replications=4, seed=seed, contact_log=path,
                            channels={"voice": ChannelModel(
                                mean_patience_s=100.0, hang_up_share=0.05,
                                redial_probability=probability,
                                redial_delay={"kind": "exponential", "mean_s": 900.0})})
    log = pd.read_parquet(path)
    abandoned = log[log.outcome == "abandoned"]
    p = np.array([p_of_wait(w) for w in abandoned["wait_s"]])
    made = intervals["redials"].sum() + intervals["redials_after_horizon"].sum()
    assert abs(made - p.sum()) <= 4 * math.sqrt((p * (1 - p)).sum()), (made, p.sum())
    return made


def test_redials_are_binomial_given_the_abandons(tmp_path):
    made = _redials_against_binomial(0.35, lambda w: 0.35, tmp_path, 3)
    assert made > 300


def test_redials_by_wait_are_binomial_given_the_abandons(tmp_path):
    table = [(10.0, 0.05), (60.0, 0.3), (math.inf, 0.8)]

    def p_of_wait(wait):  # the first row whose bound is >= the wait
        return next(p for bound, p in table if wait <= bound)

    made = _redials_against_binomial(table, p_of_wait, tmp_path, 5)
    assert made > 200


def _erlang_a_abandon(lam, mu, n, gamma):
    """P(abandon) of M/M/n+M: the birth-death chain (births lam, deaths min(j, n) mu +
    max(j - n, 0) gamma), truncated where its terms are below 1e-30; mpmath."""
    with mpmath.workdps(30):  # not mp.dps = 30: that would lower the precision of later tests
        lam, mu, gamma = mpmath.mpf(lam), mpmath.mpf(mu), mpmath.mpf(gamma)
        term, total, queue = mpmath.mpf(1), mpmath.mpf(1), mpmath.mpf(0)
        j = 0
        while True:
            j += 1
            term *= lam / (min(j, n) * mu + max(j - n, 0) * gamma)
            total += term
            queue += max(j - n, 0) * term
            if j > n and term < mpmath.mpf(10) ** -30 * total:
                break
        return float(gamma * queue / total / lam)


def test_the_erlang_a_chain_is_staffings_erlang_a():
    assert _erlang_a_abandon(66 / 900, 1 / 300, 20, 1 / 180) == pytest.approx(
        float(queue_kpis(20, 66.0, 900, 300.0, 20.0, 180.0).iloc[0]["abandon_rate"]), rel=1e-9)


def test_offered_rate_is_the_stationary_fixed_point():
    # 20 agents, 66 first attempts of 300 s per 15 min (22 erlangs), mean patience 180 s,
    # half of those who abandon call again after a mean of 10 minutes.
    n_agents, aht, patience, p, first = 20, 300.0, 180.0, 0.5, 66.0
    lam0 = first / 900

    def excess(lam):
        return lam * (1 - p * _erlang_a_abandon(lam, 1 / aht, n_agents, 1 / patience)) - lam0

    lam = float(mpmath.findroot(excess, lam0 * 1.1))
    expected = {"offered": lam * 900, "abandon_rate": _erlang_a_abandon(
        lam, 1 / aht, n_agents, 1 / patience), "redial_share": 1 - lam0 / lam}
    n, warm, reps = 192, 8, 8
    forecast = _forecast(first, n)
    intervals, _ = simulate(forecast, _coverage(forecast, n_agents), interval_s=900,
                            n_replications=reps, seed=12, channels={"voice": ChannelModel(
                                mean_patience_s=patience, redial_probability=p,
                                redial_delay={"kind": "exponential", "mean_s": 600.0})})
    start = intervals["interval_start"].min() + warm * pd.Timedelta("15min")
    per = intervals[intervals.interval_start >= start].groupby("replication")[
        ["offered", "abandoned", "redials"]].sum()
    got = {"offered": per["offered"] / (n - warm), "abandon_rate": per["abandoned"]
           / per["offered"], "redial_share": per["redials"] / per["offered"]}
    for kpi, values in got.items():
        half = stats.t.ppf(0.995, reps - 1) * values.std(ddof=1) / math.sqrt(reps)
        assert abs(values.mean() - expected[kpi]) <= half, (kpi, values.mean(), half,
                                                              expected[kpi])
    # Without redials (the fixed point's first step) the offered rate is far below.
    assert (got["offered"].mean() - first) > 3 * half


@pytest.mark.parametrize(("field", "settings"), [
    ("redial_probability", {"redial_probability": 1.5}),
    ("redial_probability", {"redial_probability": -0.1}),
    ("redial_probability", {"redial_probability": "35%"}),
    ("redial_probability", {"redial_probability": []}),
    ("redial_probability", {"redial_probability": [(10.0, 0.1), (5.0, 0.2)]}),
    ("redial_probability", {"redial_probability": [(10.0, 1.2)]}),
    ("redial_probability", {"redial_probability": [(0.0, 0.5)]}),
    ("redial_delay", {"redial_probability": 0.3}),
    ("redial_delay", {"redial_probability": 0.3,
                      "redial_delay": {"kind": "fixed", "value_s": 0.0}}),
    ("redial_delay", {"redial_probability": 0.3,
                      "redial_delay": {"kind": "empirical", "values_s": [0.0, 60.0]}}),
    ("redial_delay", {"redial_probability": 0.3, "redial_delay": {"kind": "none"}}),
    ("redial_delay", {"redial_probability": 0.3, "redial_delay": 600.0}),
])
def test_bad_redial_settings_are_refused_naming_the_channel_and_field(field, settings):
    forecast = _forecast(10, 1)
    with pytest.raises(SimulationInputError, match=rf"channels\['voice'\]\.{field}"):
        simulate(forecast, _coverage(forecast, 3), interval_s=900, n_replications=2,
                 channels={"voice": ChannelModel(mean_patience_s=60.0, **settings)})


def test_same_seed_same_tables_and_a_split_run_is_the_whole_run():
    forecast = _forecast(60, 8, channels=("chat", "voice"))
    model = ChannelModel(mean_patience_s=60.0, hang_up_share=0.1, hang_up_within_s=5.0,
                         pickup_delay={"kind": "exponential", "mean_s": 4.0},
                         redial_probability=0.5,
                         redial_delay={"kind": "lognormal", "mean_s": 300.0, "cv": 0.5})
    kwargs = {"interval_s": 900, "n_replications": 4, "seed": 7,
              "channels": {"voice": model, "chat": model}}
    coverage = pd.concat([_coverage(forecast, 16).assign(channel=c) for c in ("chat", "voice")],
                         ignore_index=True)
    whole = simulate(forecast, coverage, **kwargs)
    again = simulate(forecast, coverage, **kwargs)
    pd.testing.assert_frame_equal(whole[0], again[0])
    pd.testing.assert_frame_equal(whole[1], again[1])
    part = simulate(forecast, coverage, replications=[2, 3], **kwargs)[0]
    pd.testing.assert_frame_equal(part, whole[0][whole[0].replication >= 2]
                                  .reset_index(drop=True))
    assert whole[0]["redials"].sum() > 0
