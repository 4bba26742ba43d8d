"""The Staffing and schedule page (Streamlit AppTest).

A one-day scenario small enough to work by hand is written into ``tmp_path``
and picked as an upload: 1 h intervals, 24x7, a flat 2400 contacts a day
(100 an hour), AHT 4 min, 80% in 20 s, Erlang C, no shrinkage. Every number
the test expects comes from outside ``ccplan``:

- agents required: the smallest N whose Erlang C service level reaches 80%,
  with Erlang C written here from its textbook formula in ``mpmath``;
- agents scheduled on the quick run: interval staffing without shrinkage
  pays exactly the agents required, so over/under coverage is 0 everywhere;
- the shift schedule: with three back-to-back 8-hour shifts (00:00, 08:00,
  16:00) and a flat requirement of N, the only schedule that covers every
  hour at least cost has N agents on each shift.

The charts are read from ``at.get("plotly_chart")[i].proto.spec`` (plotly JSON).
"""

from __future__ import annotations

import base64
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.dashboard_refs import chart, erlang_c_service_level, knob, trace
from tests.schedule_clock import CUT_WEEK, jump_after_first_schedule

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"

TINY = """\
name: tiny
interval: 1h
horizon: {start: 2026-03-02, days: 1}     # a Monday; UTC
hours: 24x7
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c}
variants:
  slow: {channels: {voice: {aht: 6m}}}
"""

SHIFTS = """\
shifts:
  templates:
    - {name: eight_hours, length: 8h, start: {earliest: "00:00", latest: "16:00", step: 8h}}
  rules: {coverage: hard}
"""


# ---------------------------------------------------------------------------------------------
# Independent reference (mpmath)
# ---------------------------------------------------------------------------------------------


def agents_required(per_hour: float, aht_s: float = 240.0, within_s: float = 20.0,
                    target: float = 0.8) -> int:
    """The smallest N with an Erlang C service level >= target (N - 1 misses it)."""
    load = per_hour * aht_s / 3600.0
    n = math.floor(load) + 1
    while erlang_c_service_level(n, load, within_s / aht_s) < target:
        n += 1
    assert erlang_c_service_level(n - 1, load, within_s / aht_s) < target
    return n


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def app_with(path: Path) -> AppTest:
    """The app with ``path`` uploaded and picked, after its first run (the Scenarios page)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["uploads"] = {path.name: str(path)}
    at.session_state["picked"] = f"uploaded: {path.name}"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at






def values(data: dict, axis: str = "y") -> list[float]:
    """A trace's numbers, whether plotly wrote a list or a typed array (``dtype``, ``bdata``)."""
    raw = data[axis]
    if isinstance(raw, dict):                          # plotly >= 6 encodes numpy arrays
        raw = np.frombuffer(base64.b64decode(raw["bdata"]), dtype=raw["dtype"]).tolist()
    return [math.nan if v is None else float(v) for v in raw]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_quick_run_required_is_erlang_c_and_scheduled_equals_required(tmp_path):
    at = open_page(app_with(write(tmp_path, TINY)), "views/staffing.py")
    n_required = agents_required(100.0)

    spec = chart(at, "staffing_chart")
    assert values(trace(spec, "agents required")) == [n_required] * 24
    assert values(trace(spec, "agents on the queue")) == [n_required] * 24
    # The x axis is local time: the 24 hours of Monday 2 March 2026, from midnight.
    x = pd.to_datetime(trace(spec, "agents required")["x"])
    assert list(x) == list(pd.date_range("2026-03-02 00:00", periods=24, freq="h"))

    heat = chart(at, "coverage_heatmap")["data"][0]
    assert heat["type"] == "heatmap"
    assert heat["y"] == ["Mon"]                        # a one-day horizon: Monday only
    assert heat["x"] == [f"{h:02d}:00" for h in range(24)]
    assert heat["z"] == [[0.0] * 24]                   # scheduled = required everywhere
    assert heat["colorbar"]["title"]["text"] == "agents over (+) / under (-)"
    assert heat["zmid"] == 0
    # No full run yet: the timeline waits for it.
    assert any("needs the full run" in i.value for i in at.info)


def test_scenario_selectbox_shows_the_variant(tmp_path):
    at = open_page(app_with(write(tmp_path, TINY)), "views/staffing.py")
    box = at.selectbox(key="staffing_scenario")
    assert box.options == ["tiny", "tiny / slow"]
    box.select("tiny / slow").run()
    assert not at.exception
    slow = agents_required(100.0, aht_s=360.0)          # the variant's AHT: 6 min
    assert slow != agents_required(100.0)
    assert values(trace(chart(at, "staffing_chart"), "agents required")) == [slow] * 24


def test_volume_knob_changes_the_agents_required(tmp_path):
    at = app_with(write(tmp_path, TINY))
    knob(at, "Volume scale").set_value(1.3).run()     # the Scenarios page's knob
    assert not at.exception
    open_page(at, "views/staffing.py")
    scaled = agents_required(130.0)
    assert scaled != agents_required(100.0)
    spec = chart(at, "staffing_chart")
    assert values(trace(spec, "agents required")) == [scaled] * 24
    assert values(trace(spec, "agents on the queue")) == [scaled] * 24
    # The knob applies to the variant too: 130 an hour at its 6-minute AHT.
    at.selectbox(key="staffing_scenario").select("tiny / slow").run()
    assert values(trace(chart(at, "staffing_chart"), "agents required")) == \
        [agents_required(130.0, aht_s=360.0)] * 24


def test_full_run_draws_the_shifts_as_a_timeline(tmp_path):
    at = open_page(app_with(write(tmp_path, TINY + SHIFTS)), "views/staffing.py")
    assert "full_run" not in at.session_state
    at.button(key="staffing_full_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["full_run"][0] == str(tmp_path / "tiny.yaml")

    n_required = agents_required(100.0)
    spec = chart(at, "staffing_chart")
    assert values(trace(spec, "agents on the queue")) == [n_required] * 24

    bars = chart(at, "shifts_timeline")["data"]
    assert [b["type"] for b in bars] == ["bar"]        # one template: one trace
    bar = bars[0]
    assert bar["orientation"] == "h"
    assert list(bar["y"]) == ["eight_hours 00:00", "eight_hours 08:00", "eight_hours 16:00"]
    assert values(bar, "text") == [n_required] * 3   # the headcount on each bar
    assert list(pd.to_datetime(bar["base"])) == list(
        pd.date_range("2026-03-02 00:00", periods=3, freq="8h"))
    assert values(bar, "x") == [8 * 3600 * 1000.0] * 3   # duration in ms on a date axis

    # Another rerun (a cache hit) draws the same page: the cached run replays cleanly.
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(chart(at, "shifts_timeline")["data"]) == 1


def test_full_run_without_shifts_says_so(tmp_path):
    at = open_page(app_with(write(tmp_path, TINY)), "views/staffing.py")
    at.button(key="staffing_full_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("no shift schedule" in i.value for i in at.info)


def test_broken_file_shows_its_error(tmp_path):
    at = app_with(write(tmp_path, TINY.replace("aht: 4m", "aht: -30")))
    open_page(at, "views/staffing.py")
    assert any("aht" in e.value for e in at.error)


def test_full_run_reports_shift_hours_while_closed(tmp_path):
    # Open 09:00-17:00 with 100 calls an hour then and none outside; 10-hour shifts can start
    # 07:00-09:00, so every agent spends 2 of its 10 hours while closed, whichever start the
    # solver picks: N agents a day (the Erlang C requirement of 100 calls an hour) leave 2N
    # agent-hours while closed.
    text = TINY.replace("hours: 24x7", 'hours: {Mon: "09:00-17:00", Tue-Sun: closed}').replace(
        "daily: 2400, profile: flat", 'daily: 800, profile: {"00:00": 0, "09:00": 1, "17:00": 0}')
    shifts = """\
shifts:
  templates:
    - {name: ten_hours, length: 10h, start: {earliest: "07:00", latest: "09:00", step: 1h}}
  rules: {coverage: hard}
"""
    at = open_page(app_with(write(tmp_path, text + shifts)), "views/staffing.py")
    at.button(key="staffing_full_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    n_required = agents_required(100.0)
    bars = chart(at, "shifts_timeline")["data"]
    assert sum(values(bars[0], "text")) == n_required
    expected = f"{2 * n_required:,.1f} agent-hours fall while closed with nobody needed."
    assert any(expected in c.value for c in at.caption), [c.value for c in at.caption]




@pytest.mark.slow
def test_full_run_cut_by_the_time_limit_shows_a_warning(tmp_path, monkeypatch):
    """Issue 14: a schedule cut by its safety net is flagged on the page, with its gap. The
    solver's clock jumps a year ahead when a solve finds its first schedule (far from the
    1% asked on this week), so the safety net fires deterministically."""
    jumps = jump_after_first_schedule(monkeypatch)
    week = write(tmp_path, CUT_WEEK.replace("EXTRA", ""))
    at = open_page(app_with(week), "views/staffing.py")
    assert not at.warning or not any("time limit" in w.value for w in at.warning)
    at.button(key="staffing_full_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert jumps  # the safety net did fire
    texts = [w.value for w in at.warning]
    assert any("stopped at its time limit (a safety net), gap" in t
               and "shifts.rules.time_limit_s" in t for t in texts), texts
    assert any("schedule: time limit, gap" in c.value for c in at.caption), \
        [c.value for c in at.caption]


TWO_DAYS = TINY.replace("days: 1}", "days: 2}").replace(
    "daily: 2400", "daily: {Mon: 2400, Tue: 1200}")


def test_day_selector_shows_one_day_with_the_axis_on_that_day(tmp_path):
    """Issue 18: the week-long chart shows one local day on request. Monday has 100 contacts
    an hour and Tuesday 50: picking Tuesday draws its 24 hours only, each at the Erlang C
    requirement of 50 an hour, on an axis from Tuesday 00:00 to Wednesday 00:00; the whole
    horizon draws both days on an axis from Monday 00:00 to Wednesday 00:00."""
    at = open_page(app_with(write(tmp_path, TWO_DAYS)), "views/staffing.py")
    control = at.segmented_control(key="staffing_day")
    assert control.options == ["Whole horizon", "Mon 02 Mar", "Tue 03 Mar"]
    whole = chart(at, "staffing_chart")
    assert values(trace(whole, "agents required")) == (
        [agents_required(100.0)] * 24 + [agents_required(50.0)] * 24)
    assert whole["layout"]["xaxis"]["range"] == ["2026-03-02T00:00:00", "2026-03-04T00:00:00"]

    control.set_value("Tue 03 Mar").run()
    assert not at.exception, [e.value for e in at.exception]
    day = chart(at, "staffing_chart")
    required = trace(day, "agents required")
    assert values(required) == [agents_required(50.0)] * 24
    assert pd.to_datetime(required["x"]).min() == pd.Timestamp("2026-03-03 00:00")
    assert pd.to_datetime(required["x"]).max() == pd.Timestamp("2026-03-03 23:00")
    assert day["layout"]["xaxis"]["range"] == ["2026-03-03T00:00:00", "2026-03-04T00:00:00"]


@pytest.mark.slow
def test_staffing_page_in_the_browser(page, screenshot, tmp_path):
    """In chromium, after the full run of three back-to-back 8-hour shifts: the page says 3
    shifts and 3 N agents (N the Erlang C requirement by hand, on each shift), picking a day
    keeps the page whole, nothing is cut off at 1400 or 1000 px, and it is saved at both."""
    from playwright.sync_api import expect

    from tests.dashboard.conftest import at_both_widths, upload, wait_ready
    from tests.dashboard.test_browser import go_to

    upload(page, "tiny.yaml", TINY + SHIFTS)
    go_to(page, "Staffing and schedule")
    page.get_by_role("button", name="Run the full plan (shifts and simulation)").click()
    n_required = agents_required(100.0)
    expect(page.get_by_text(f"3 shifts, {3 * n_required} agents starting them")).to_be_visible(
        timeout=300_000)
    page.locator('[data-testid="stButtonGroup"] button').filter(has_text="Mon 02 Mar").click()
    wait_ready(page)
    expect(page.get_by_text("shifts on Mon 02 Mar")).to_be_visible()
    at_both_widths(page, screenshot, "staffing")
