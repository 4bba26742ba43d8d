"""Customer behaviour through the pipeline: sized, simulated, counted and reported.

The analytic requirements are checked against Erlang C written out here (the Erlang B
recursion, and the service level ``1 - C exp(-(n - a) T / S)``), with the behaviour worked
into it by hand: hang-ups thin the queue's stream to ``(1 - p)`` and cap the service level
at ``1 - p``; a fixed pick-up delay ``d`` holds the agent ``S + d`` and leaves ``T - d`` of
the threshold; hang-ups that redial with probability ``r`` make ``x = first / (1 - r p)``
attempts. The closed-hours redials are counted by hand from the opening hours. The
simulated tables are checked for the laws (attempts = first attempts + redials, hang-ups
among the abandons) and for the behaviour being there at all (hung_up > 0, redials > 0).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from scenarios import load_scenarios, run_scenario
from scenarios.pipeline import ResultInvariantError, check_result
from scenarios.pipeline.contracts import BEHAVIOUR_COLUMNS, CHANNEL_COLUMNS, INTERVAL_COLUMNS
from scenarios.report import run_report_html

INTERVAL_S, AHT_S, WITHIN_S, TARGET = 1800.0, 240.0, 20.0, 0.8
PER_INTERVAL = 50.0                     # 2400 a day, flat


def _file(tmp_path: Path, channel: str, rest: str = "", name: str = "s.yaml",
          per_interval: float = PER_INTERVAL) -> Path:
    path = tmp_path / name
    path.write_text(
        "horizon: {start: 2026-03-02, days: 2}\n"
        "pay: {hourly_rates: {agent: 20}}\n"
        "channels:\n"
        "  voice:\n"
        f"    volume: {{daily: {48 * per_interval:g}, profile: flat}}\n"
        "    aht: 4m\n"
        "    target: 80% in 20s\n" + channel + rest, encoding="utf-8")
    return path


def _erlang_c(n: int, a: float) -> float:
    """Probability of waiting in M/M/n with a erlangs (Erlang B recursion, then C)."""
    if n <= a:
        return 1.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1.0 - b))


def _service_level(n: int, arrivals: float, service_s: float, within_s: float) -> float:
    """Erlang C: P(wait <= within) for ``arrivals`` contacts per interval held ``service_s``."""
    a = arrivals * service_s / INTERVAL_S
    if n <= a:
        return 0.0
    if within_s < 0:
        return 0.0
    return 1.0 - _erlang_c(n, a) * math.exp(-(n - a) * within_s / service_s)


def _agents(rule) -> int:
    return next(n for n in range(1, 1000) if rule(n))


def _middle(result, column: str = "agents_required") -> np.ndarray:
    """The column over the voice channel's intervals away from the horizon's edges."""
    rows = result.intervals[result.intervals["channel"] == "voice"]
    return rows[column].to_numpy()[8:-8]


def test_without_a_behaviour_the_tables_have_only_their_columns(tmp_path):
    result = run_scenario(load_scenarios(_file(tmp_path, ""))[0])
    assert tuple(result.channels.columns) == CHANNEL_COLUMNS
    assert tuple(result.intervals.columns) == INTERVAL_COLUMNS
    need = _agents(lambda n: _service_level(n, PER_INTERVAL, AHT_S, WITHIN_S) >= TARGET)
    assert (_middle(result) == need).all()


@pytest.mark.parametrize(("share", "volume"), [(0.04, 500.0), (0.19, 50.0)])
def test_hang_ups_lower_the_load_and_cap_the_service_level(tmp_path, share, volume):
    path = _file(tmp_path, f"    hang_up: {share}\n", per_interval=volume)
    result = run_scenario(load_scenarios(path)[0])
    need = _agents(lambda n: (1 - share) * _service_level(n, (1 - share) * volume,
                                                          AHT_S, WITHIN_S) >= TARGET)
    plain = _agents(lambda n: _service_level(n, volume, AHT_S, WITHIN_S) >= TARGET)
    assert (_middle(result) == need).all()
    # Theory: a few hang-ups lighten the load (fewer agents: 71 against 74 at 500 contacts
    # a half-hour); near 1 - target they cap the service level at 1 - p, so the queue itself
    # must do far better (more agents: 12 against 10 at 50).
    assert (need < plain) if share == 0.04 else (need > plain)
    # They leave at once in the analytic model: p of the attempts, counted apart.
    voice = result.channels.set_index("channel").loc["voice"]
    assert voice["hung_up"] == pytest.approx(share * voice["offered"], rel=1e-9)
    assert voice["hung_up"] <= voice["abandoned"] + 1e-9
    assert "redials" not in result.channels    # only the behaviours the file has


def test_a_fixed_pickup_delay_holds_the_agent_and_takes_from_the_threshold(tmp_path):
    path = _file(tmp_path, "    pickup_delay: 4s\n", per_interval=500.0)
    result = run_scenario(load_scenarios(path)[0])
    need = _agents(lambda n: _service_level(n, 500.0, AHT_S + 4.0, WITHIN_S - 4.0) >= TARGET)
    plain = _agents(lambda n: _service_level(n, 500.0, AHT_S, WITHIN_S) >= TARGET)
    assert (_middle(result) == need).all()
    assert need > plain
    # No hang-up or redial: the tables stay as they were.
    assert tuple(result.channels.columns) == CHANNEL_COLUMNS


def test_hang_ups_that_redial_raise_the_attempts_to_the_fixed_point(tmp_path):
    p, r = 0.1, 0.5
    first = 500.0
    path = _file(tmp_path, f"    hang_up: {p}\n    redial: {{probability: {r}, delay: 1m}}\n",
                 per_interval=first)
    result = run_scenario(load_scenarios(path)[0])
    attempts = first / (1 - r * p)                 # x = first + r p x
    need = _agents(lambda n: (1 - p) * _service_level(n, (1 - p) * attempts, AHT_S, WITHIN_S)
                   >= TARGET)
    without = _agents(lambda n: (1 - p) * _service_level(n, (1 - p) * first, AHT_S,
                                                         WITHIN_S) >= TARGET)
    assert (_middle(result) == need).all()
    assert need > without                           # redials add agents
    rows = result.intervals[result.intervals["channel"] == "voice"]
    assert np.allclose(rows["first_attempts"] + rows["redials"], rows["offered"])
    assert np.allclose(_middle(result, "redials"), attempts - first, rtol=1e-6)
    voice = result.channels.set_index("channel").loc["voice"]
    assert voice["first_attempts"] == pytest.approx(2 * 48 * first)
    assert voice["first_attempts"] + voice["redials"] == pytest.approx(voice["offered"])


def test_closed_hours_retries_are_counted_as_redials(tmp_path):
    # 08:00-20:00 every day, 50 contacts per half hour: 24 half-hours closed a day. Of each
    # night's arrivals, retry_share 0.5 call again after the opening (the model of closed
    # hours), as redials of their customers: day 1 00:00-08:00 (16 x 50 = 800 arrivals)
    # gives 400, the night from day 1 20:00 to day 2 08:00 (24 x 50 = 1200) gives 600; day 2
    # 20:00-24:00 retries after the horizon. Patience of 30 days: the queue's own abandons
    # (and their redials) are nil.
    channel = ("    patience: 720h\n"
               "    redial: {probability: 40%, delay: 10m}\n")
    rest = ("hours: {all: \"08:00-20:00\"}\n"
            "staffing: {method: erlang_a}\n"
            "out_of_hours: {lost_share: 0.2, retry_share: 0.5}\n")
    result = run_scenario(load_scenarios(_file(tmp_path, channel, rest))[0])
    voice = result.channels.set_index("channel").loc["voice"]
    assert voice["first_attempts"] == pytest.approx(2 * 24 * PER_INTERVAL)   # open arrivals
    assert voice["redials"] == pytest.approx(0.5 * (16 * 50) + 0.5 * (24 * 50), abs=0.05)
    assert voice["offered"] == pytest.approx(voice["first_attempts"] + voice["redials"])


def test_a_simulated_file_with_every_behaviour_shows_them(tmp_path):
    channel = ("    patience: 2m\n"
               "    hang_up: {share: 8%, within: 3s}\n"
               "    pickup_delay: {law: bands, bands: [{up_to: 5s, share: 70%}, "
               "{up_to: 15s, share: 30%}]}\n"
               "    redial: {probability: [{wait_up_to: 10s, probability: 30%}, "
               "{probability: 60%}], delay: 5m}\n")
    rest = "staffing: {method: erlang_a}\nsimulation: {replications: 3}\nseed: 5\n"
    result = run_scenario(load_scenarios(_file(tmp_path, channel, rest))[0])
    voice = result.channels.set_index("channel").loc["voice"]
    for column in (*BEHAVIOUR_COLUMNS["hang_up"], *BEHAVIOUR_COLUMNS["redial"]):
        assert column in result.channels and column in result.intervals, column
    assert voice["hung_up"] > 0 and voice["redials"] > 0
    assert voice["hung_up"] <= voice["abandoned"] + 1e-9
    assert voice["first_attempts"] == pytest.approx(2 * 48 * PER_INTERVAL)
    assert voice["first_attempts"] + voice["redials"] == pytest.approx(voice["offered"])
    assert 0 < voice["first_attempts_answered_share"] <= 1
    assert voice["handled"] + voice["abandoned"] <= voice["offered"] + 1e-6
    for column in ("hung_up", "first_attempts", "redials"):
        assert result.totals[column].iloc[0] == pytest.approx(result.channels[column].sum())
        assert result.summary["totals"][column] == pytest.approx(result.channels[column].sum())
    # The report's customer-behaviour table shows them; a file without them has no such table.
    page = run_report_html([result])
    assert "<h2>Customer behaviour</h2>" in page
    assert "redials (contacts)" in page and "hung up at once" in page
    plain = run_scenario(load_scenarios(_file(tmp_path, "", name="plain.yaml"))[0])
    page = run_report_html([plain])
    assert "Customer behaviour" not in page
    assert "redials (contacts)" not in page and "hung up at once" not in page


@pytest.mark.parametrize(("column", "factor", "words"), [
    ("hung_up", 2.0, "hung_up must be <= abandoned"),
    ("redials", 1.5, "first_attempts \\+ redials must equal offered")])
def test_check_result_holds_the_behaviour_laws(tmp_path, column, factor, words):
    path = _file(tmp_path, "    hang_up: 0.1\n    redial: {probability: 0.5, delay: 1m}\n")
    result = run_scenario(load_scenarios(path)[0])
    check_result(result)
    voice = result.channels["channel"] == "voice"
    broken = result.channels.copy()
    broken.loc[voice, column] = broken.loc[voice, "abandoned"] * factor + 1.0
    with pytest.raises(ResultInvariantError, match=f"channels.{words}"):
        check_result(dataclasses.replace(result, channels=broken))


def _delayed_service_level(n: int, delays: np.ndarray) -> float:
    """Erlang C with equally likely pick-up delays: held AHT + E[D], and the mean over the
    delays of P(wait <= T - d) (0 where d > T)."""
    service_s = AHT_S + float(delays.mean())
    return float(np.mean([_service_level(n, 500.0, service_s, WITHIN_S - d) for d in delays]))


@pytest.mark.parametrize("law", ["exponential", "bands"])
def test_a_pickup_delay_law_is_sized_by_its_64_quantiles(tmp_path, law):
    u = (np.arange(64) + 0.5) / 64
    if law == "exponential":
        # (81 agents; a fixed 10 s would give 78, the quantiles at k / 64 80)
        text, delays = "{law: exponential, mean: 10s}", -10.0 * np.log(1.0 - u)
    else:   # uniform 0-5 s with 60%, 5-30 s with 40%: the inverse of the piecewise CDF (82
        # agents; the mean, 8.5 s, fixed would give 77)
        text = "{law: bands, bands: [{up_to: 5s, share: 60%}, {up_to: 30s, share: 40%}]}"
        delays = np.where(u < 0.6, 5.0 * u / 0.6, 5.0 + 25.0 * (u - 0.6) / 0.4)
    path = _file(tmp_path, f"    pickup_delay: {text}\n", per_interval=500.0)
    result = run_scenario(load_scenarios(path)[0])
    need = _agents(lambda n: _delayed_service_level(n, delays) >= TARGET)
    assert (_middle(result) == need).all()


def test_callbacks_taken_by_every_queued_caller_empty_the_line(tmp_path):
    # Offered above 0 s and always accepted: every caller who would queue takes a callback,
    # so the callers on the line are all answered at once. With service_level: excluded the
    # service level (over the callers on the line) is exactly 1 and nobody abandons; with
    # promise and a promise of 1 s (hardly ever kept) it is the share answered at once,
    # 1 - accepted / offered.
    rest = "staffing: {method: erlang_a}\nsimulation: {replications: 3}\nseed: 3\n"
    excluded = ("    patience: 3m\n"
                "    callback: {offer_above: 0s, accept: 100%, promise: 1h, dial: 10s}\n")
    result = run_scenario(load_scenarios(_file(tmp_path, excluded, rest))[0])
    voice = result.channels.set_index("channel").loc["voice"]
    assert voice["service_level"] == 1.0 and voice["abandon_rate"] == 0.0
    assert voice["callbacks_offered"] > 0
    assert voice["callbacks_accepted"] == pytest.approx(voice["callbacks_offered"])
    assert 0 < voice["callbacks_kept"] <= voice["callbacks_accepted"] + 1e-9
    assert voice["handled"] <= voice["offered"] + 1e-6
    assert "redials" not in result.channels and "hung_up" not in result.channels
    promised = excluded.replace("promise: 1h", "promise: 1s").replace(
        "dial: 10s}", "dial: 10s, service_level: promise}")
    result = run_scenario(load_scenarios(_file(tmp_path, promised, rest, name="p.yaml"))[0])
    voice = result.channels.set_index("channel").loc["voice"]
    assert voice["callbacks_kept"] < 0.01 * voice["callbacks_accepted"]
    assert voice["service_level"] == pytest.approx(
        1 - (voice["callbacks_accepted"] - voice["callbacks_kept"]) / voice["offered"], abs=0.01)
    page = run_report_html([result])
    assert "callbacks kept (within the promise)" in page
    # Without simulation callbacks are not measured: NaN, never 0.
    quick = run_scenario(load_scenarios(_file(tmp_path, excluded, name="q.yaml"))[0])
    assert quick.channels[list(BEHAVIOUR_COLUMNS["callback"])].isna().all().all()
