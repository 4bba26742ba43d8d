"""``run_scenario`` end to end on scenarios small enough to work by hand.

Every expected number below comes from outside the code under test:

- Erlang C and Erlang A are written here from their textbook formulas with
  ``mpmath`` (40 digits), not taken from ``staffing``;
- shrinkage, pay, FTE and closed-hours flows are worked by hand from the
  rules documented in ``docs/models.md`` ("Shrinkage and FTE"),
  ``docs/cost.md``, ``staffing.shifts.PayRates`` and
  ``scenarios.pipeline.closed_hours_demand``;
- the deferred (email) cases are small enough to follow the first-in,
  first-out backlog contact by contact.

Scenario files are written into ``tmp_path``; nothing is written into the
package tree.
"""

from __future__ import annotations

import math
from pathlib import Path

import mpmath as mp
import numpy as np
import pandas as pd
import pytest

from scenarios import load_scenarios, run_scenario, write_bundle
from scenarios.report import scenario_report_html
from staffing import requirements as staffing_requirements

HOUR_S = 3600.0


# ---------------------------------------------------------------------------------------------
# Independent references (mpmath)
# ---------------------------------------------------------------------------------------------


def erlang_c_service_level(n_agents: int, offered_load_erl: float, within_over_aht: float):
    """Erlang C service level ``1 - C(N, A) exp(-(N - A) T / AHT)`` (0 when ``N <= A``).

    ``C(N, A) = [A^N / N! * N / (N - A)] / [sum_{k<N} A^k / k! + A^N / N! * N / (N - A)]``,
    the probability of waiting in M/M/N (Erlang 1917; Gans, Koole & Mandelbaum 2003, eq. 2).
    """
    n = int(n_agents)
    with mp.workdps(40):
        a = mp.mpf(offered_load_erl)
        if n <= a:
            return mp.mpf(0)
        top = a**n / mp.factorial(n) * n / (n - a)
        wait = top / (mp.fsum(a**k / mp.factorial(k) for k in range(n)) + top)
        return +(1 - wait * mp.exp(-(n - a) * mp.mpf(within_over_aht)))


def erlang_a_measures(n_agents: int, arrival_rate: float, service_rate: float,
                      abandon_rate: float, within_s: float) -> dict[str, mp.mpf]:
    """M/M/n+M (Palm / Erlang A) by its birth-death chain, in mpmath.

    States k = number in system; births ``lam``; deaths ``min(k, n) mu + max(k - n, 0)
    theta`` (Garnett, Mandelbaum & Reiman 2002). By PASTA an arrival finds the stationary
    state. One that finds ``j`` waiting ahead is served when ``j + 1`` departures from the
    front have happened, each stage ``m`` (``m`` ahead) ending at rate ``n mu + m theta``,
    unless its own Exp(theta) patience runs out first. Hence

        P(served, wait <= T | j) = E[exp(-theta S) 1{S <= T}],  S = sum_m Exp(n mu + m theta)
                                 = prod_m (n mu + m theta) / (n mu + (m + 1) theta)
                                   * P(S' <= T),  S' = sum_{k=1}^{j+1} Exp(n mu + k theta)
                                 = n mu / (n mu + (j + 1) theta) * (1 - I_u(n mu/theta + 1, j + 1))

    with ``u = exp(-theta T)`` and ``I`` the regularised incomplete beta function (a sum of
    Exp(c + k), k = 1..K, is ``-log`` of a Beta(c + 1, K) variable). The service level is
    "answered within T / offered": P(no wait) + sum_j P(j) P(served, wait <= T | j).

    Returns ``service_level``, ``p_served`` (T = infinity), ``p_abandon_little``
    (theta E[queue] / lam, by Little's law on the abandonments) and ``p_wait``.
    """
    with mp.workdps(40):
        return _erlang_a(int(n_agents), *(mp.mpf(x) for x in (arrival_rate, service_rate,
                                                               abandon_rate, within_s)))


def _erlang_a(n, lam, mu, theta, t):
    free = [mp.mpf(1)]
    for k in range(1, n + 1):
        free.append(free[-1] * lam / (k * mu))
    waiting = [free[n]]                      # state n + j, j = 0, 1, ...
    j = 0
    while True:
        j += 1
        waiting.append(waiting[-1] * lam / (n * mu + j * theta))
        if j > 5 and waiting[-1] < mp.mpf(10) ** -32 * free[n]:
            break
    total = mp.fsum(free[:n]) + mp.fsum(waiting)
    p_free = mp.fsum(free[:n]) / total
    x = n * mu / theta + 1
    u = mp.exp(-theta * t)
    within = served = queue = mp.mpf(0)
    for j, weight in enumerate(waiting):
        p = weight / total
        s = n * mu / (n * mu + (j + 1) * theta)
        served += p * s
        within += p * s * (1 - mp.betainc(x, j + 1, 0, u, regularized=True))
        queue += j * p
    return {"service_level": p_free + within, "p_served": p_free + served,
            "p_abandon_little": theta * queue / lam, "p_wait": 1 - p_free}


def smallest(meets, start: int = 1) -> int:
    """The smallest whole ``n >= start`` with ``meets(n)``."""
    n = start
    while not meets(n):
        n += 1
    return n


def ceil_div(num: int, den: int) -> int:
    return -(-num // den)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def write_scenario(folder: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run_file(path: Path, index: int = 0):
    return run_scenario(load_scenarios(path)[index])


def rows(result, channel: str) -> pd.DataFrame:
    out = result.intervals[result.intervals["channel"] == channel]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# The references check themselves
# ---------------------------------------------------------------------------------------------


def test_references_agree_with_textbook_cases_and_each_other():
    # Erlang C: 1 erlang on 2 agents waits with probability 1/3 (STYLE.md section 9), so at
    # T = 0 the service level is 2/3.
    assert abs(3 * erlang_c_service_level(2, 1.0, 0.0) - 2) < 1e-35
    # Erlang A: patience -> infinity gives Erlang C (Garnett et al. 2002).
    a_measures = erlang_a_measures(3, 1 / 180, 1 / 180, 1e-13, 20)
    assert float(a_measures["service_level"]) == pytest.approx(
        float(erlang_c_service_level(3, 1.0, 20 / 180)), abs=1e-9)
    # Erlang A: the abandoned share from the waiting-time law equals Little's law on the
    # queue (theta E[Q] = abandonments per unit time), two different sums over the chain.
    m = erlang_a_measures(7, 100 / 3600, 1 / 180, 1 / 120, 20)
    assert float(1 - m["p_served"]) == pytest.approx(float(m["p_abandon_little"]), rel=1e-25)
    assert 0 < m["service_level"] < m["p_served"] < 1


# ---------------------------------------------------------------------------------------------
# 1. Interval staffing, Erlang C, shrinkage, pay and FTE by hand
# ---------------------------------------------------------------------------------------------

FLAT_DAY = """\
name: flat
interval: 1h
horizon: {start: 2026-03-02, days: 1}     # a Monday; UTC, no holidays
hours: 24x7
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c, shrinkage: 0.2}
pay:
  hourly_rates: {agent: 20}
  overhead_per_paid_hour: 5
  night_premium: 0.5
  night: {start: "22:00", end: "06:00"}
"""


def test_flat_day_requirements_shrinkage_cost_and_fte_by_hand(tmp_path):
    result = run_file(write_scenario(tmp_path, FLAT_DAY))
    voice = rows(result, "voice")
    assert len(voice) == 24

    # 2400 contacts a day, flat: 100 per hour; 100 x 240 s / 3600 s = 20/3 erlangs.
    load = 100 * 240 / 3600
    n_required = smallest(lambda n: erlang_c_service_level(n, load, 20 / 240) >= 0.8,
                          start=math.floor(load) + 1)
    assert erlang_c_service_level(n_required - 1, load, 20 / 240) < 0.8
    assert voice["offered"].tolist() == pytest.approx([100.0] * 24)
    assert voice["agents_required"].tolist() == [n_required] * 24

    # Shrinkage 0.2: ceil(req / 0.8) agents paid (on duty), floor(paid x 0.8) on the queue;
    # in integers ceil(5 req / 4) and floor(4 paid / 5).
    paid = ceil_div(5 * n_required, 4)
    on_queue = (4 * paid) // 5
    assert voice["agents_on_queue"].tolist() == pytest.approx([on_queue] * 24)
    assert voice["is_open"].all()
    # The analytic prediction is the Erlang C service level at the agents on the queue.
    expected_sl = float(erlang_c_service_level(on_queue, load, 20 / 240))
    assert voice["service_level_erlang"].to_numpy() == pytest.approx([expected_sl] * 24,
                                                                      rel=1e-9)
    assert voice["service_level"].to_numpy() == pytest.approx([expected_sl] * 24, rel=1e-9)

    # Pay: base 20 x (1 + 0.5 at night) + overhead 5, per paid agent-hour. Intervals that
    # start 22:00-05:00 are night (8 of them).
    hours = pd.DatetimeIndex(voice["interval_start"]).hour
    is_night = (hours >= 22) | (hours < 6)
    assert int(is_night.sum()) == 8
    per_interval = np.where(is_night, paid * (20 * 1.5 + 5), paid * (20 + 5)) * 1.0
    assert voice["cost"].to_numpy() == pytest.approx(per_interval, rel=1e-12)
    total = 16 * paid * 25 + 8 * paid * 35
    totals = result.totals.iloc[0]
    assert totals["cost"] == pytest.approx(total, rel=1e-12)
    assert result.channels.iloc[0]["cost"] == pytest.approx(total, rel=1e-12)
    assert totals["cost_per_contact"] == pytest.approx(total / 2400, rel=1e-12)
    assert result.channels.iloc[0]["cost_per_contact"] == pytest.approx(total / 2400, rel=1e-12)

    # FTE: paid hours / (37.5 h a week x horizon in weeks); one day is 1/7 week.
    paid_hours = 24 * paid
    assert totals["paid_hours"] == pytest.approx(paid_hours, rel=1e-12)
    assert totals["fte"] == pytest.approx(paid_hours / (37.5 / 7), rel=1e-12)
    # The horizon repeated: a week is 7 days, a year 365.25.
    assert totals["weekly_cost"] == pytest.approx(7 * total, rel=1e-12)
    assert totals["annual_cost"] == pytest.approx(365.25 * total, rel=1e-12)
    assert math.isnan(totals["headcount"])          # no shift schedule

    # The finance view: wages 20 per paid hour, night premium 10 per night hour, overhead 5.
    parts = result.cost_breakdown.set_index(["group", "component"])["amount"]
    assert parts[("component", "wages")] == pytest.approx(20 * paid_hours, rel=1e-12)
    assert parts[("component", "night premium")] == pytest.approx(10 * 8 * paid, rel=1e-12)
    assert parts[("component", "overhead")] == pytest.approx(5 * paid_hours, rel=1e-12)
    assert parts[("component", "weekend premium")] == pytest.approx(0.0, abs=1e-9)
    # What it buys: shrinkage is 0.2 of every paid hour; handling is the workload (100 x 240 s
    # = 20/3 agent-hours an hour) priced at the interval's cost per paid agent-hour.
    assert parts[("use", "shrinkage")] == pytest.approx(0.2 * total, rel=1e-9)
    handling = float(np.sum(per_interval / paid * (100 * 240 / 3600)))
    assert parts[("use", "handling contacts")] == pytest.approx(handling, rel=1e-9)
    assert parts[("use", "paid breaks")] == pytest.approx(0.0, abs=1e-9)
    for group in ("component", "use"):
        assert parts[group].sum() == pytest.approx(total, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# 2. Closed hours: lost, retried, diverted over a wrap-around week
# ---------------------------------------------------------------------------------------------

CLOSED_WEEK = """\
name: office_hours
interval: 1h
horizon: {start: 2026-03-02, days: 7}     # Monday to Sunday: the week wraps around
hours: 8x5                                # Mon-Fri 09:00-17:00
channels:
  voice: {volume: {daily: 480, profile: flat}, aht: 4m, target: 80% in 20s}
out_of_hours: {lost_share: 0.3, retry_share: 0.5, retry_spread: 2h}
"""


def test_closed_hours_flows_over_a_wrap_around_week_by_hand(tmp_path):
    result = run_file(write_scenario(tmp_path, CLOSED_WEEK))
    voice = rows(result, "voice")
    per_hour = 480 / 24                         # 20 contacts arrive every hour, 24x7
    starts = pd.DatetimeIndex(voice["interval_start"])
    open_by_hand = (starts.day_of_week < 5) & (starts.hour >= 9) & (starts.hour < 17)
    assert voice["is_open"].to_numpy().tolist() == open_by_hand.tolist()

    # Arrived 7 x 480; while closed: 16 h on each weekday and 24 h on Sat and Sun = 128 h.
    arrived = 7 * 480
    closed = 128 * per_hour
    lost = 0.3 * closed
    diverted = 0.2 * closed                     # 1 - 0.3 lost - 0.5 retry
    assert result.totals.iloc[0]["offered"] == pytest.approx(arrived - lost - diverted,
                                                             rel=1e-12)
    assert voice["offered"].sum() == pytest.approx(arrived - lost - diverted, rel=1e-12)

    # Retries arrive evenly over the first two hours after the next opening. Monday 09:00
    # gets the Friday 17:00 -> Monday 09:00 run (7 + 48 + 9 = 64 h, wrapping round the
    # week); Tuesday to Friday 09:00 get the 16 h night before.
    expected = np.where(open_by_hand, per_hour, 0.0)
    for day in range(5):
        night_hours = 64 if day == 0 else 16
        for hour in (9, 10):
            i = day * 24 + hour
            expected[i] += 0.5 * night_hours * per_hour / 2
    assert voice["offered"].to_numpy() == pytest.approx(expected, rel=1e-12, abs=1e-12)

    # Nothing is needed or paid while closed; while open, Erlang C by hand on what is seen.
    closed_rows = voice[~voice["is_open"]]
    assert (closed_rows["agents_required"] == 0).all()
    assert (closed_rows["cost"] == 0).all()
    for offered in sorted(set(expected[open_by_hand])):
        load = offered * 240 / 3600
        need = smallest(lambda n, load=load: erlang_c_service_level(n, load, 20 / 240) >= 0.8,
                        start=math.floor(load) + 1)
        got = voice.loc[np.isclose(voice["offered"], offered) & voice["is_open"],
                        "agents_required"]
        assert set(got) == {need}, offered
    # Interval staffing without shrinkage: the agents paid are the agents required, at the
    # default 20 per hour with no premiums.
    assert voice["cost"].to_numpy() == pytest.approx(
        20.0 * voice["agents_required"].to_numpy(), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# 3. Simulation against Erlang A
# ---------------------------------------------------------------------------------------------

STATIONARY_A = """\
name: stationary
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
seed: 3
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 3m, target: 80% in 20s, patience: 2m}
staffing: {method: erlang_a}
simulation: {replications: 10}
"""


def test_simulated_service_level_interval_contains_erlang_a(tmp_path):
    result = run_file(write_scenario(tmp_path, STATIONARY_A))
    voice = rows(result, "voice")
    lam, mu, theta = 100 / HOUR_S, 1 / 180, 1 / 120

    def measures(n):
        return erlang_a_measures(n, lam, mu, theta, 20)

    n_required = smallest(lambda n: measures(n)["service_level"] >= 0.8)
    assert measures(n_required - 1)["service_level"] < 0.8
    assert voice["agents_required"].tolist() == [n_required] * 24
    assert voice["agents_on_queue"].tolist() == pytest.approx([n_required] * 24)  # no shrinkage
    theory = measures(n_required)
    sl, abandon_rate = float(theory["service_level"]), float(1 - theory["p_served"])
    # The analytic columns are Erlang A at the agents on the queue.
    assert voice["service_level_erlang"].to_numpy() == pytest.approx([sl] * 24, rel=1e-7)
    assert voice["abandon_rate_erlang"].to_numpy() == pytest.approx([abandon_rate] * 24, rel=1e-7)

    # The simulated channel figures: a 95% t-interval over 10 replications of one
    # stationary day (M/M/n+M with constant staffing) must hold the theory.
    channel = result.channels.set_index("channel").loc["voice"]
    assert channel["service_level_low"] <= sl <= channel["service_level_high"]
    assert channel["abandon_rate_low"] <= abandon_rate <= channel["abandon_rate_high"]
    # ... and be narrow enough for that to mean something.
    assert channel["service_level_high"] - channel["service_level_low"] < 0.1
    assert channel["abandon_rate_high"] - channel["abandon_rate_low"] < 0.05
    # Conservation: every simulated contact is handled or abandoned (means over replications,
    # contacts still waiting at the end of the day aside); about 2400 arrive (Poisson).
    assert channel["handled"] + channel["abandoned"] == pytest.approx(2400, rel=0.05)


# ---------------------------------------------------------------------------------------------
# 4. Deferred work (email): 24 h target, nights closed
# ---------------------------------------------------------------------------------------------

EMAIL = """\
name: email
interval: 1h
horizon: {start: 2026-03-02, days: 2}
hours: {all: "09:00-17:00"}
channels:
  email: {volume: {file: email.csv}, aht: 6m, target: 95% in 24h, deferred: true}
"""

EMAIL_ONE_AGENT = EMAIL + """\
shifts:
  templates: [{name: day, length: 8h, start: "09:00"}]
  rules: {coverage: soft, under_penalty: 1000, max_total_headcount: 1, time_limit_s: 10}
"""


def _email_volumes(folder: Path) -> None:
    # 10 emails in each of the first 18 hours (Mon 00:00-18:00), none afterwards: 180 in all,
    # every deadline (arrival hour + 24 h) inside the two-day horizon.
    starts = pd.date_range("2026-03-02", periods=48, freq="h", tz="UTC")
    offered = [10.0 if i < 18 else 0.0 for i in range(48)]
    pd.DataFrame({"interval_start": starts, "offered": offered}).to_csv(
        folder / "email.csv", index=False)


def test_deferred_email_level_by_hand(tmp_path):
    # By hand (fluid FIFO, 10 emails per agent-hour at 6 min each, open 09-17, index s = hour
    # of the horizon; contacts of hour s are due by the end of hour s + 23):
    # one agent does 80 on Monday; hours 0-9 (100 emails) are due before Tuesday opens: fails.
    # Two agents do 160 on Monday (>= 100) and the last 20 on Tuesday 09:00: every deadline met.
    _email_volumes(tmp_path)
    result = run_file(write_scenario(tmp_path, EMAIL))
    email = rows(result, "email")
    is_open = email["is_open"].to_numpy()
    assert email["agents_required"].tolist() == np.where(is_open, 2, 0).tolist()
    assert email["agents_on_queue"].tolist() == pytest.approx(np.where(is_open, 2, 0))
    channel = result.channels.iloc[0]
    assert channel["offered"] == pytest.approx(180.0)
    assert channel["service_level"] == pytest.approx(1.0)
    # 2 agents x 16 open hours x 20 per hour.
    assert result.totals.iloc[0]["cost"] == pytest.approx(2 * 16 * 20.0)


def test_deferred_email_service_level_is_the_share_of_deadlines_met(tmp_path):
    # The schedule may employ one agent a day (09:00-17:00), half the level of 2: by hand,
    # Monday's agent clears 80 emails, so the emails of hours 0-7 (cumulative 80) meet their
    # deadline (end of hour s + 23 falls before Tuesday opens) and hours 8 and 9 (due before
    # Tuesday opens, cumulative 90 and 100 > 80) miss. Hours 10-17 are due Tuesday at hour
    # s + 23 = 33..40, when 80 + 10 (s - 9) = 10 s - 10 are done against 10 (s + 1) arrived:
    # all miss. Met: 8 hours x 10 = 80 of 180.
    _email_volumes(tmp_path)
    result = run_file(write_scenario(tmp_path, EMAIL_ONE_AGENT))
    email = rows(result, "email")
    is_open = email["is_open"].to_numpy()
    assert email["agents_on_queue"].tolist() == pytest.approx(np.where(is_open, 1, 0))
    met = np.array([1.0] * 8 + [0.0] * 10 + [np.nan] * 30)
    assert email["service_level"].to_numpy() == pytest.approx(met, nan_ok=True)
    assert result.channels.iloc[0]["service_level"] == pytest.approx(80 / 180, rel=1e-12)
    assert result.totals.iloc[0]["service_level"] == pytest.approx(80 / 180, rel=1e-12)
    assert result.totals.iloc[0]["cost"] == pytest.approx(2 * 8 * 20.0)


def test_deferred_email_handled_within_capacity(tmp_path):
    _email_volumes(tmp_path)
    result = run_file(write_scenario(tmp_path, EMAIL_ONE_AGENT))
    channel = result.channels.iloc[0]
    capacity = 16 * HOUR_S / 360.0          # one agent, 16 open hours, 6 minutes an email
    assert channel["handled"] <= capacity + 1e-9


# ---------------------------------------------------------------------------------------------
# 5. A blended group: voice and chat on one team
# ---------------------------------------------------------------------------------------------

BLENDED = """\
name: blended
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: {all: "08:00-20:00"}
channels:
  voice:
    volume: {daily: 1200, profile: {"08:00": 1, "12:00": 2, "16:00": 1, "20:00": 0}}
    aht: 4m
    target: 80% in 20s
  chat: {volume: {daily: 600, profile: flat}, aht: 8m, target: 80% in 60s, concurrency: 2}
agents:
  team: {skills: [voice, chat]}
staffing: {method: erlang_c, shrinkage: 0.3}
pay: {hourly_rates: {agent: 18}, overhead_per_paid_hour: 4}
"""


def test_blended_group_carries_the_sum_of_its_channels(tmp_path):
    result = run_file(write_scenario(tmp_path, BLENDED))
    voice, chat = rows(result, "voice"), rows(result, "chat")
    is_open = voice["is_open"].to_numpy()
    hours = pd.DatetimeIndex(voice["interval_start"]).hour
    assert is_open.tolist() == ((hours >= 8) & (hours < 20)).tolist()

    # Voice: weights 1, 2, 1 over 08-12, 12-16, 16-20 share 1200 a day: 75, 150, 75 an hour.
    # Chat arrives 25 an hour round the clock; closed hours divert it (no retry, no loss).
    voice_offered = np.where(is_open, np.where((hours >= 12) & (hours < 16), 150.0, 75.0), 0)
    chat_offered = np.where(is_open, 25.0, 0.0)
    assert voice["offered"].to_numpy() == pytest.approx(voice_offered)
    assert chat["offered"].to_numpy() == pytest.approx(chat_offered)

    def voice_need(offered):
        load = offered * 240 / 3600
        return smallest(lambda n: erlang_c_service_level(n, load, 20 / 240) >= 0.8,
                        start=math.floor(load) + 1)

    # Chat: each agent is two servers with handle time 480 s; the smallest server count for
    # 80% in 60 s, in agents rounded up.
    chat_load = 25 * 480 / 3600
    chat_slots = smallest(lambda n: erlang_c_service_level(n, chat_load, 60 / 480) >= 0.8,
                          start=math.floor(chat_load) + 1)
    need_voice = np.array([voice_need(o) if o > 0 else 0 for o in voice_offered])
    need_chat = np.where(is_open, ceil_div(chat_slots, 2), 0)
    assert voice["agents_required"].tolist() == need_voice.tolist()
    assert chat["agents_required"].tolist() == need_chat.tolist()
    # The same through staffing.requirements on each channel's own forecast (open hours).
    for table, target, within, conc in ((voice, 0.8, 20, 1), (chat, 0.8, 60, 2)):
        open_rows = table[table["is_open"]]
        req = staffing_requirements(
            open_rows[["channel", "interval_start", "offered", "aht_s"]].reset_index(drop=True),
            interval_s=HOUR_S, service_level_target=target, answer_within_s=within,
            concurrency=conc)
        assert open_rows["agents_required"].tolist() == req["agents_required"].tolist()

    # The team: ceil(sum / 0.7) paid, floor(paid x 0.7) on the queue, shared by requirement.
    group_need = need_voice + need_chat
    paid = np.array([ceil_div(10 * int(g), 7) for g in group_need])
    on_queue = (7 * paid) // 10
    sched = voice["agents_on_queue"].to_numpy() + chat["agents_on_queue"].to_numpy()
    assert sched == pytest.approx(on_queue, abs=1e-9)
    share = np.divide(need_voice, group_need, out=np.zeros(24), where=group_need > 0)
    assert voice["agents_on_queue"].to_numpy() == pytest.approx(on_queue * share, abs=1e-9)

    # Cost: paid x (18 + 4) per hour; each channel's part by workload (offered x AHT /
    # concurrency); the channels add up to the total.
    cost = paid * 22.0
    total = float(cost.sum())
    totals = result.totals.iloc[0]
    assert totals["cost"] == pytest.approx(total, rel=1e-12)
    assert totals["paid_hours"] == pytest.approx(float(paid.sum()), rel=1e-12)
    work_voice = voice_offered * 240
    work_chat = chat_offered * 480 / 2
    work = work_voice + work_chat
    voice_cost = np.divide(cost * work_voice, work, out=np.zeros(24), where=work > 0)
    assert voice["cost"].to_numpy() == pytest.approx(voice_cost, rel=1e-12, abs=1e-9)
    assert (voice["cost"] + chat["cost"]).to_numpy() == pytest.approx(cost, rel=1e-12)
    by_channel = result.channels.set_index("channel")["cost"]
    assert by_channel.sum() == pytest.approx(total, rel=1e-12)
    assert by_channel["voice"] == pytest.approx(float(voice_cost.sum()), rel=1e-12)
    assert result.intervals["cost"].sum() == pytest.approx(total, rel=1e-12)
    assert totals["cost_per_contact"] == pytest.approx(
        total / (voice_offered.sum() + chat_offered.sum()), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# 6. Determinism
# ---------------------------------------------------------------------------------------------

SEEDED = """\
name: seeded
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: {all: "08:00-20:00"}
seed: 7
channels:
  voice:
    volume: {daily: 600, profile: {"08:00": 1, "12:00": 2, "16:00": 1, "20:00": 0}}
    aht: 4m
    target: 80% in 20s
    patience: 3m
staffing: {method: erlang_a, shrinkage: 0.1}
shifts:
  templates: [{name: four, length: 4h, start: {earliest: "08:00", latest: "16:00", step: 1h}}]
  rules: {coverage: hard, time_limit_s: 10}
simulation: {replications: 3}
variants:
  busy: {volume_scale: 1.2}
"""

TABLES = ("intervals", "channels", "totals", "cost_breakdown", "shifts")


def _run_all(path: Path):
    return [run_scenario(scn) for scn in load_scenarios(path)]


@pytest.mark.slow
def test_same_seed_same_tables_and_same_bundle_bytes(tmp_path):
    path = write_scenario(tmp_path, SEEDED)
    first, second = _run_all(path), _run_all(path)
    assert [r.name for r in first] == ["seeded", "seeded / busy"]
    for a, b in zip(first, second, strict=True):
        for table in TABLES:
            pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))
        assert a.summary == b.summary
    assert not first[0].shifts.empty           # the scheduler ran, and ran the same way

    out_a = write_bundle(first, tmp_path / "a", report_html=scenario_report_html(first[0]))
    out_b = write_bundle(second, tmp_path / "b", report_html=scenario_report_html(second[0]))
    names_a = sorted(p.name for p in out_a.iterdir())
    assert names_a == sorted(p.name for p in out_b.iterdir())
    assert "report.html" in names_a and "intervals.parquet" in names_a
    for name in names_a:
        assert (out_a / name).read_bytes() == (out_b / name).read_bytes(), name


def test_another_seed_changes_the_simulation_only(tmp_path):
    base = _run_all(write_scenario(tmp_path, SEEDED))[0]
    other = _run_all(write_scenario(tmp_path, SEEDED.replace("seed: 7", "seed: 8"),
                                    "other.yaml"))[0]
    a, b = base.intervals, other.intervals
    # The plan does not depend on the seed ...
    for col in ("offered", "agents_required", "agents_on_queue", "service_level_erlang",
                "cost"):
        pd.testing.assert_series_equal(a[col], b[col])
    # ... the simulated figures do.
    open_rows = a["is_open"].to_numpy()
    assert not np.allclose(a.loc[open_rows, "service_level"], b.loc[open_rows, "service_level"])
    assert base.channels["handled"].iloc[0] != other.channels["handled"].iloc[0]
    assert base.summary["seed"] == 7 and other.summary["seed"] == 8


@pytest.mark.slow
def test_simulated_occupancy_depends_on_the_seed(tmp_path):
    base = _run_all(write_scenario(tmp_path, SEEDED))[0]
    other = _run_all(write_scenario(tmp_path, SEEDED.replace("seed: 7", "seed: 8"),
                                    "other.yaml"))[0]
    open_rows = base.intervals["is_open"].to_numpy()
    assert not np.allclose(base.intervals.loc[open_rows, "occupancy"],
                           other.intervals.loc[open_rows, "occupancy"])


# ---------------------------------------------------------------------------------------------
# 7. Atomic output folder
# ---------------------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def flat_results(tmp_path):
    return [run_file(write_scenario(tmp_path, FLAT_DAY))]


def _previous_bundle(tmp_path: Path, results) -> tuple[Path, dict[str, bytes]]:
    parent = tmp_path / "runs"
    out = write_bundle(results, parent / "out", report_html="<html>previous</html>")
    return out, _snapshot(out)


def test_crash_while_writing_a_table_keeps_the_previous_folder(tmp_path, flat_results,
                                                               monkeypatch):
    out, before = _previous_bundle(tmp_path, flat_results)
    real = pd.DataFrame.to_parquet
    calls = []

    def fail_after_first(self, *args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise OSError("disk full (simulated)")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_after_first)
    with pytest.raises(OSError, match="simulated"):
        write_bundle(flat_results, out, report_html="<html>new</html>")
    assert len(calls) == 2                    # it failed midway, after one Parquet file
    assert _snapshot(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["out"]   # no temporary or .old folder


def test_crash_while_writing_the_report_keeps_the_previous_folder(tmp_path, flat_results):
    out, before = _previous_bundle(tmp_path, flat_results)

    class Unwritable:
        """Not text: writing it as report.html raises, after every table is written."""

    with pytest.raises(TypeError):
        write_bundle(flat_results, out, report_html=Unwritable())  # type: ignore[arg-type]
    assert _snapshot(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["out"]


def test_first_crash_leaves_no_folder_at_all(tmp_path, flat_results):
    parent = tmp_path / "runs"
    parent.mkdir()
    with pytest.raises(TypeError):
        write_bundle(flat_results, parent / "out", report_html=None)  # type: ignore[arg-type]
    assert list(parent.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Occupancy over the horizon: busy time over agent time
# ---------------------------------------------------------------------------------------------


def test_channel_and_total_occupancy_are_busy_time_over_agent_time(tmp_path):
    # Voice: a quiet night and a busy day, so the intervals' occupancies differ widely; in
    # Erlang C every answered contact is served, so an interval's busy agent-time is its load
    # A = offered x AHT / interval (erlangs) and its agent time N. Email (deferred, 24 h):
    # every contact is handled within the day, busy time offered x AHT.
    # By hand: occupancy = sum A / sum N per channel; total = all busy time / all agent time.
    path = write_scenario(tmp_path, """\
timezone: UTC
interval: 1h
horizon: {start: 2026-03-02, days: 1}
channels:
  voice:
    volume: {daily: 2600, profile: {"00:00": 1, "08:00": 20, "18:00": 1}}
    aht: 4m
    target: 80% in 20s
  email:
    volume: {daily: 240, profile: flat}
    aht: 6m
    target: 95% in 24h
    deferred: true
staffing: {method: erlang_c}
""")
    res = run_file(path)
    voice, email = rows(res, "voice"), rows(res, "email")
    busy = {"voice": float((voice["offered"] * voice["aht_s"]).sum()),
            "email": float((email["offered"] * email["aht_s"]).sum())}
    agent_s = {"voice": float(voice["agents_on_queue"].sum() * HOUR_S),
               "email": float(email["agents_on_queue"].sum() * HOUR_S)}
    assert (voice["agents_on_queue"] == np.floor(voice["agents_on_queue"])).all()
    ch = res.channels.set_index("channel")
    for c in ("voice", "email"):
        assert ch.loc[c, "occupancy"] == pytest.approx(busy[c] / agent_s[c], rel=1e-9)
    # The contacts-weighted mean of the intervals' occupancies (what was reported before) is
    # visibly higher for voice: the busy day's high occupancy gets most of the weight.
    offered_weighted = float(np.average(voice["occupancy"], weights=voice["offered"]))
    assert offered_weighted > busy["voice"] / agent_s["voice"] + 0.01
    total = res.totals["occupancy"].iloc[0]
    assert total == pytest.approx(sum(busy.values()) / sum(agent_s.values()), rel=1e-9)


@pytest.mark.parametrize("replications", [0, 2])
def test_deferred_work_is_judged_only_where_its_deadline_is_inside_the_horizon(tmp_path,
                                                                             replications):
    # Email, 24 h target, two days of hourly intervals: contacts of hour i are due by the end
    # of hour i + 23, so hours 0-24 (25 of them) are judged and hours 25-47 are not: their
    # service level is left empty, never counted as met (the plan says nothing past the
    # horizon) nor as missed (the simulation ends before their deadline).
    path = write_scenario(tmp_path, f"""\
timezone: UTC
interval: 1h
horizon: {{start: 2026-03-02, days: 2}}
channels:
  email:
    volume: {{daily: 240, profile: flat}}
    aht: 6m
    target: 95% in 24h
    deferred: true
staffing: {{method: erlang_c}}
simulation: {{replications: {replications}}}
""")
    res = run_file(path)
    email = rows(res, "email")
    assert email["service_level"].iloc[:25].notna().all()
    assert email["service_level"].iloc[25:].isna().all()
    sl = res.channels.set_index("channel").loc["email", "service_level"]
    assert 0.0 <= sl <= 1.0
    if replications == 0:
        # Sized to meet every judged deadline: each judged hour is met, so 1.0 exactly.
        assert (email["service_level"].iloc[:25] == 1.0).all() and sl == 1.0
