"""The Simulation page (Streamlit AppTest).

A one-day scenario small enough to work by hand is written into ``tmp_path``
and picked as an upload: 1 h intervals, 24x7, a flat 2400 contacts a day
(100 an hour), AHT 4 min, 80% in 20 s, Erlang C, no shrinkage, no shifts,
5 replications. The expected numbers come from outside ``ccplan``:

- agents scheduled: the smallest N whose Erlang C service level reaches 80%
  (interval staffing without shrinkage schedules exactly that), with Erlang C
  written here from its textbook formula in ``mpmath``;
- the Erlang trace: the Erlang C service level and ASA
  (``C(N, A) AHT / (N - A)``) at those N agents, shown in percent and seconds.

The simulated means and bands come from the simulator, so the test checks
only their shape: a band on each side of the mean, per interval.
"""

from __future__ import annotations

import math
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import scenarios
from tests.dashboard.dashboard_refs import chart, values

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"

TINY_SIM = """\
name: tiny_sim
interval: 1h
horizon: {start: 2026-03-02, days: 1}     # a Monday; UTC
hours: 24x7
seed: 7
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c}
simulation: {replications: 5}
variants:
  analytic: {simulation: {replications: 0}}
"""

LOAD_ERL = 100 * 240 / 3600                   # 100 contacts an hour x 240 s
WITHIN_OVER_AHT = 20 / 240


# ---------------------------------------------------------------------------------------------
# Independent reference (mpmath)
# ---------------------------------------------------------------------------------------------


def erlang_c_wait_probability(n_agents: int, offered_load_erl: float):
    """``C(N, A) = [A^N / N! * N / (N - A)] / [sum_{k<N} A^k / k! + A^N / N! * N / (N - A)]``,
    the probability of waiting in M/M/N (Erlang 1917; Gans, Koole & Mandelbaum 2003, eq. 2)."""
    n = int(n_agents)
    with mp.workdps(40):
        a = mp.mpf(offered_load_erl)
        top = a**n / mp.factorial(n) * n / (n - a)
        return +(top / (mp.fsum(a**k / mp.factorial(k) for k in range(n)) + top))


def erlang_c_service_level(n_agents: int, offered_load_erl: float, within_over_aht: float):
    """``1 - C(N, A) exp(-(N - A) T / AHT)`` (0 when ``N <= A``)."""
    if n_agents <= offered_load_erl:
        return mp.mpf(0)
    wait = erlang_c_wait_probability(n_agents, offered_load_erl)
    with mp.workdps(40):
        return +(1 - wait * mp.exp(-(n_agents - mp.mpf(offered_load_erl))
                                   * mp.mpf(within_over_aht)))


def agents_required() -> int:
    n = math.floor(LOAD_ERL) + 1
    while erlang_c_service_level(n, LOAD_ERL, WITHIN_OVER_AHT) < 0.8:
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------




def names(spec: dict) -> list[str]:
    return [d.get("name") for d in spec["data"]]


def trace(spec: dict, name: str) -> dict:
    found = [d for d in spec["data"] if d.get("name") == name]
    assert len(found) == 1, names(spec)
    return found[0]




@pytest.fixture
def simulation_page(tmp_path):
    """The Simulation page with the tiny scenario picked, before the full run."""
    path = tmp_path / "tiny_sim.yaml"
    path.write_text(TINY_SIM, encoding="utf-8")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["uploads"] = {path.name: str(path)}
    at.session_state["picked"] = f"uploaded: {path.name}"
    at.run()
    at.switch_page("views/simulation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_before_the_full_run_the_page_offers_it(simulation_page):
    at = simulation_page
    assert not at.get("plotly_chart")
    assert any("full plan" in i.value for i in at.info)
    assert at.button(key="simulation_full_button").label.startswith("Run the full plan")


@pytest.mark.slow
def test_full_run_draws_bands_and_erlang_beside_the_simulation(simulation_page):
    at = simulation_page
    at.button(key="simulation_full_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["full_run"][0].endswith("tiny_sim.yaml")
    assert at.selectbox(key="simulation_scenario").options == ["tiny_sim", "tiny_sim / analytic"]

    n_agents = agents_required()
    sl = chart(at, "sim_service_level")
    assert set(names(sl)) == {"95% confidence interval", "95% confidence interval (lower)",
                              "95% confidence interval (upper)",
                              "simulated (mean)",
                              "Erlang (per interval)", "target"}
    # The Erlang line: Erlang C at the N agents scheduled, in percent.
    expected_sl = 100 * float(erlang_c_service_level(n_agents, LOAD_ERL, WITHIN_OVER_AHT))
    assert values(trace(sl, "Erlang (per interval)")) == pytest.approx(
        [expected_sl] * 24, rel=1e-9)
    assert values(trace(sl, "target")) == pytest.approx([80.0, 80.0])
    # The band: lower and upper edges around the simulated mean, every hour.
    low = values(trace(sl, "95% confidence interval (lower)"))
    high = values(trace(sl, "95% confidence interval (upper)"))
    mean = values(trace(sl, "simulated (mean)"))
    assert len(low) == len(high) == len(mean) == 24
    assert np.isfinite(low).all() and np.isfinite(high).all()
    assert (low <= mean + 1e-9).all() and (mean <= high + 1e-9).all()
    assert (high - low).max() > 0
    # ... shaded as one polygon over the 24 hours (every hour has a band here): the upper
    # edge left to right, the lower edge back, each value held for its hour.
    polygon = trace(sl, "95% confidence interval")
    assert polygon["fill"] == "toself"
    poly_y = values(polygon)
    assert np.isnan(poly_y[-1])                        # one run, closed, then a gap marker
    assert poly_y[:48] == pytest.approx(np.repeat(high, 2))
    assert poly_y[48:96] == pytest.approx(np.repeat(low, 2)[::-1])

    # ASA: C(N, A) x AHT / (N - A), seconds.
    asa = chart(at, "sim_asa_s")
    expected_asa = float(erlang_c_wait_probability(n_agents, LOAD_ERL) * 240
                         / (n_agents - LOAD_ERL))
    assert values(trace(asa, "Erlang (per interval)")) == pytest.approx(
        [expected_asa] * 24, rel=1e-9)
    assert "95% confidence interval" in names(asa)
    assert "95% confidence interval" in names(chart(at, "sim_abandon_rate"))
    # Queue length: simulated only (no analytic column), in contacts waiting.
    queue = chart(at, "sim_mean_queue")
    assert names(queue) == ["simulated (mean)"]
    assert (values(trace(queue, "simulated (mean)")) >= 0).all()
    assert queue["layout"]["yaxis"]["title"]["text"] == "mean contacts waiting"


def test_a_scenario_without_simulation_says_so(simulation_page):
    at = simulation_page
    at.button(key="simulation_full_button").click().run()
    at.selectbox(key="simulation_scenario").select("tiny_sim / analytic").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("has no simulation" in i.value for i in at.info)
    sl = chart(at, "sim_service_level")
    assert names(sl) == ["Erlang (per interval)", "target"]
    expected_sl = 100 * float(erlang_c_service_level(agents_required(), LOAD_ERL,
                                                     WITHIN_OVER_AHT))
    assert values(trace(sl, "Erlang (per interval)")) == pytest.approx(
        [expected_sl] * 24, rel=1e-9)
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith("-sim_mean_queue")]


def headline(at) -> dict[str, tuple[str, str]]:
    """The headline cards: label -> (value, delta)."""
    return {m.label: (m.value, m.delta) for m in at.metric}


@pytest.mark.slow
def test_headline_is_the_channels_table_with_its_confidence_intervals(simulation_page, tmp_path):
    """Issue 18: the page leads with service level, ASA, abandonment and occupancy over the
    horizon, as the result's channels table has them (a direct run of the same file and seed
    through the public API), each CI as the table bounds it, the target met or not."""
    at = simulation_page
    at.button(key="simulation_full_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    path = tmp_path / "tiny_sim.yaml"
    direct = scenarios.run_scenario(scenarios.load_scenarios(path)[0])
    row = direct.channels.iloc[0]
    shown = headline(at)
    assert shown["Service level"][0] == f"{100 * row['service_level']:.1f}%"
    assert shown["ASA (answered contacts)"][0] == f"{row['asa_s']:.1f} s"
    assert shown["Abandoned"][0] == f"{100 * row['abandon_rate']:.1f}%"
    assert shown["Occupancy"][0] == f"{100 * row['occupancy']:.1f}%"
    verdict = "met" if row["service_level"] >= 0.8 else "not met"
    assert shown["Service level"][1] == f"target 80% in 20s: {verdict}"
    captions = [c.value for c in at.caption]
    for column, unit in (("service_level", "%"), ("abandon_rate", "%")):
        low, high = 100 * row[f"{column}_low"], 100 * row[f"{column}_high"]
        assert any(c.startswith(f"95% CI {low:.1f}{unit} to {high:.1f}{unit}")
                   for c in captions), captions
    assert any(c.startswith(f"95% CI {row['asa_s_low']:.1f} s to {row['asa_s_high']:.1f} s")
               for c in captions), captions


@pytest.mark.slow
def test_headline_of_the_analytic_variant_is_erlang_c(simulation_page):
    """Without simulation the headline is Erlang C at the agents scheduled, worked here in
    mpmath: every hour alike, so the horizon's service level and ASA are one hour's; no
    abandonment (Erlang C); occupancy A / N. No confidence interval."""
    at = simulation_page
    at.button(key="simulation_full_button").click().run()
    at.selectbox(key="simulation_scenario").select("tiny_sim / analytic").run()
    assert not at.exception, [e.value for e in at.exception]
    n_agents = agents_required()
    shown = headline(at)
    expected_sl = 100 * float(erlang_c_service_level(n_agents, LOAD_ERL, WITHIN_OVER_AHT))
    expected_asa = float(erlang_c_wait_probability(n_agents, LOAD_ERL) * 240
                         / (n_agents - LOAD_ERL))
    assert shown["Service level"] == (f"{expected_sl:.1f}%", "target 80% in 20s: met")
    assert shown["ASA (answered contacts)"][0] == f"{expected_asa:.1f} s"
    assert shown["Abandoned"][0] == "0.0%"
    assert shown["Occupancy"][0] == f"{100 * LOAD_ERL / n_agents:.1f}%"
    captions = " ".join(c.value for c in at.caption)
    assert "Erlang prediction (no simulation): no confidence interval" in captions
    assert "95% CI" not in captions


@pytest.mark.slow
def test_simulation_page_in_the_browser(page, screenshot, tmp_path):
    """In chromium: the headline shown is the channels table of a direct run (same file and
    seed), nothing is cut off at 1400 or 1000 px, and the page is saved at both widths."""
    from playwright.sync_api import expect

    from tests.dashboard.conftest import at_both_widths, metric_values, upload, wait_ready
    from tests.dashboard.test_browser import go_to

    path = tmp_path / "tiny_sim.yaml"
    path.write_text(TINY_SIM, encoding="utf-8")
    row = scenarios.run_scenario(scenarios.load_scenarios(path)[0]).channels.iloc[0]
    upload(page, "tiny_sim.yaml", TINY_SIM)
    go_to(page, "Simulation")
    page.get_by_role("button", name="Run the full plan (shifts and simulation)").click()
    expect(page.get_by_text("Against target, over the horizon")).to_be_visible(timeout=300_000)
    wait_ready(page)
    shown = metric_values(page, wait_for="Service level")
    assert shown["Service level"] == f"{100 * row['service_level']:.1f}%"
    assert shown["ASA (answered contacts)"] == f"{row['asa_s']:.1f} s"
    assert shown["Abandoned"] == f"{100 * row['abandon_rate']:.1f}%"
    assert shown["Occupancy"] == f"{100 * row['occupancy']:.1f}%"
    expect(page.get_by_text(f"95% CI {100 * row['service_level_low']:.1f}% to "
                            f"{100 * row['service_level_high']:.1f}%")).to_be_visible()
    at_both_widths(page, screenshot, "simulation")


def test_headline_asa_reads_in_seconds_minutes_or_hours():
    """Deferred work (email) waits hours: 14,592.5 s reads 4.1 h, not 14592.5 s; a CI bound
    takes its estimate's unit (unit test of the private formatter)."""
    from dashboard import _headline

    assert _headline.shown("asa_s", 7.24) == "7.2 s"
    assert _headline.shown("asa_s", 150.0) == "2.5 min"          # 150 / 60
    assert _headline.shown("asa_s", 14592.5) == "4.1 h"          # 14592.5 / 3600 = 4.05
    assert _headline.shown("asa_s", 90.0, 14592.5) == "0.0 h"
    assert _headline.shown("service_level", 0.8271) == "82.7%"
    assert _headline.shown("occupancy", float("nan")) == "n/a"
