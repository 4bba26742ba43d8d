"""The Compare page (AppTest): its numbers against hand calculations, and the widgets.

Expected numbers come from outside the dashboard and the pipeline: a one-day
scenario with a flat volume, one-hour intervals and one voice channel sized
by Erlang C, worked here with ``mpmath`` (Erlang C from its textbook
formula), the shrinkage and pay rules of docs/scenarios.md (paid =
ceil(required / (1 - shrinkage)), on the queue = floor(paid x (1 -
shrinkage)), cost = paid x hours x hourly rate) and the definition of the
efficient frontier (no other point costs no more and serves at least as
well, better in one). The other files' rows are checked against
``scenarios.run_scenario`` called directly with the same settings.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import scenarios
from dashboard import _knobs
from tests.dashboard.dashboard_refs import APP, QUICK, erlang_c_service_level, knob

# One Monday, 24 one-hour intervals, a flat day (daily / 24 contacts an hour), AHT 4 min.
# Variants: 'busy' takes 3600 a day instead of 2400 (not volume_scale, so the volume knob
# multiplies it too); 'rich' aims at 90% in 20 s instead of 80%.
TINY = """\
name: tiny
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
currency: XTS
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c, shrinkage: 0.2}
pay: {hourly_rates: {agent: 20}}
budget: {per_week: 50000}
variants:
  busy: {channels: {voice: {volume: {daily: 3600}}}}
  rich: {channels: {voice: {target: 90% in 20s}}}
"""
#: scenario -> (contacts a day, service-level target) as TINY sets them.
TINY_PLANS = {"tiny": (2400, 0.80), "tiny / busy": (3600, 0.80), "tiny / rich": (2400, 0.90)}


# --- independent references --------------------------------------------------------------



def hand_plan(contacts_a_day: float, target: float, shrinkage: float = 0.2,
              hourly_rate: float = 20.0, aht_s: float = 240.0, within_s: float = 20.0) -> dict:
    """Cost and service level of the flat one-day plan, worked by hand."""
    per_hour = contacts_a_day / 24.0
    load = per_hour * aht_s / 3600.0
    n_required = math.floor(load) + 1
    while erlang_c_service_level(n_required, load, within_s / aht_s) < target:
        n_required += 1
    paid = math.ceil(n_required / (1.0 - shrinkage) - 1e-9)
    on_queue = math.floor(paid * (1.0 - shrinkage) + 1e-9)
    cost = 24 * paid * hourly_rate
    return {"cost": cost, "offered": contacts_a_day,
            "service_level": float(erlang_c_service_level(on_queue, load, within_s / aht_s)),
            "paid_hours": 24.0 * paid, "fte": 24.0 * paid / (37.5 / 7.0)}


def hand_efficient(points: dict[str, dict]) -> dict[str, bool]:
    """The definition of the frontier, point against point."""
    out = {}
    for name, p in points.items():
        out[name] = not any(
            q["cost"] <= p["cost"] and q["service_level"] >= p["service_level"]
            and (q["cost"] < p["cost"] or q["service_level"] > p["service_level"])
            for other, q in points.items() if other != name)
    return out


# --- helpers -----------------------------------------------------------------------------

def app_on(tmp_path: Path, text: str = TINY, name: str = "tiny.yaml") -> AppTest:
    """The app with ``text`` as an uploaded, picked file (as the upload widget leaves it)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["uploads"] = {name: str(path)}
    at.session_state["picked"] = f"uploaded: {name}"
    return at.run()


def compare(at: AppTest, include_others: bool = False) -> AppTest:
    at.switch_page("views/compare.py").run()
    box = at.checkbox(key="cmp_others")
    if box.value != include_others:
        box.set_value(include_others).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    """The first st.dataframe on the page that has ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}: "
                         f"{[list(f.value.columns) for f in at.dataframe]}")


def rows_by_scenario(table):
    return {row["scenario"]: row for _, row in table.iterrows()}


# --- tests -------------------------------------------------------------------------------

@pytest.mark.slow
def test_table_cost_service_level_fte_and_frontier_by_hand(tmp_path):
    at = compare(app_on(tmp_path))
    rows = rows_by_scenario(table_with(at, "cost (XTS)"))
    assert set(rows) == set(TINY_PLANS)
    hand = {name: hand_plan(*plan) for name, plan in TINY_PLANS.items()}
    for name, expected in hand.items():
        row = rows[name]
        assert row["cost (XTS)"] == pytest.approx(expected["cost"], abs=0.01)
        assert row["cost per contact (XTS)"] == pytest.approx(
            expected["cost"] / expected["offered"], abs=0.006)
        assert row["service level (%)"] == pytest.approx(100 * expected["service_level"],
                                                         abs=0.051)
        assert row["FTE"] == pytest.approx(expected["fte"], abs=0.051)
        assert row["abandoned (%)"] == 0.0                 # Erlang C: nobody hangs up
    # 'busy' offers 3,600 contacts a day, the others 2,400: the volumes differ, so the
    # frontier judges cost per handled contact (issue 14; Erlang C: every contact is handled,
    # so that is cost / offered). On total cost 'busy' was dominated by 'rich'; per contact it
    # is the cheapest plan (2.40 against 2.60, with a higher service level: the larger pool's
    # economy of scale), so it is 'tiny' that is beaten.
    per_contact = {n: {"cost": p["cost"] / p["offered"], "service_level": p["service_level"]}
                   for n, p in hand.items()}
    efficient = hand_efficient(per_contact)
    assert {n: bool(r["efficient"]) for n, r in rows.items()} == efficient
    assert hand_efficient(hand) == {"tiny": True, "tiny / busy": False, "tiny / rich": True}
    assert efficient == {"tiny": False, "tiny / busy": True, "tiny / rich": True}
    for name, row in rows.items():
        assert row["cost per handled contact (XTS)"] == pytest.approx(
            per_contact[name]["cost"], abs=0.006)
    assert any("cost per handled contact" in c.value and "different volumes" in c.value
               for c in at.caption)

    # The chart: titled, axes with units and basis, the frontier through the efficient points.
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    layout = spec["layout"]
    assert "Cost per handled contact against service level" in layout["title"]["text"]
    assert layout["xaxis"]["title"]["text"] == "cost per handled contact (XTS; volumes differ)"
    assert "service level" in layout["yaxis"]["title"]["text"]
    frontier = next(t for t in spec["data"] if t["name"] == "efficient frontier")
    on_frontier = sorted((per_contact[n]["cost"], per_contact[n]["service_level"])
                         for n, is_eff in efficient.items() if is_eff)
    assert frontier["x"] == pytest.approx([c for c, _ in on_frontier])
    assert frontier["y"] == pytest.approx([s for _, s in on_frontier])


@pytest.mark.slow
def test_volume_knob_on_the_scenarios_page_changes_the_compare_costs(tmp_path):
    at = app_on(tmp_path)
    knob(at, "Volume scale").set_value(1.5).run()
    assert not at.exception
    at = compare(at, include_others=True)
    rows = rows_by_scenario(table_with(at, "cost (XTS)"))
    for name, (daily, target) in TINY_PLANS.items():
        assert rows[name]["cost (XTS)"] == pytest.approx(hand_plan(1.5 * daily, target)["cost"],
                                                         abs=0.01)
        assert rows[name]["cost (XTS)"] != pytest.approx(hand_plan(daily, target)["cost"])

    # Another file: its own settings, with the volume knob (a scale) applied to it too.
    bank = next(p for p in scenarios.example_files() if p.name == "retail_bank.yaml")
    direct = [scenarios.run_scenario(s) for s in scenarios.load_scenarios(
        bank, overrides={**QUICK, "volume_scale": 1.5})]
    bank_rows = rows_by_scenario(table_with(at, "cost (GBP)"))
    for result in direct:
        assert bank_rows[result.name]["cost (GBP)"] == pytest.approx(
            float(result.totals["cost"].iloc[0]), abs=0.01)
    # Switched off, only the picked file is compared.
    at.checkbox(key="cmp_others").uncheck().run()
    assert [list(f.value.columns) for f in at.dataframe if "cost (GBP)" in f.value.columns] == []


def test_baseline_picks_the_deltas(tmp_path):
    at = compare(app_on(tmp_path))
    at.selectbox(key="cmp_baseline").set_value("tiny / rich").run()
    assert not at.exception
    deltas = rows_by_scenario(table_with(at, "Δ cost (XTS)"))
    hand = {name: hand_plan(*plan) for name, plan in TINY_PLANS.items()}
    base = hand["tiny / rich"]
    for name, expected in hand.items():
        assert deltas[name]["Δ cost (XTS)"] == pytest.approx(expected["cost"] - base["cost"],
                                                             abs=0.01)
        assert deltas[name]["Δ service level (points)"] == pytest.approx(
            100 * (expected["service_level"] - base["service_level"]), abs=0.051)
        # A year is 365.25 days; the horizon is one.
        assert deltas[name]["Δ annual cost (XTS)"] == pytest.approx(
            365.25 * (expected["cost"] - base["cost"]), abs=0.5)


def start_full_run(at: AppTest, path: Path) -> None:
    """Mark the full run as started for the file's current (untouched) knobs, as the Scenarios
    page's button does once its run is done; the page then runs it (cached) itself."""
    key = scenarios.load_scenarios(path, variants=False)[0].sha256
    at.session_state["full_run"] = (str(path), key, _knobs.as_json({}))


@pytest.mark.slow
def test_quick_or_full_once_the_full_run_exists(tmp_path):
    at = compare(app_on(tmp_path))
    assert len(at.get("radio")) == 0                    # no full run yet: nothing to choose
    start_full_run(at, tmp_path / "tiny.yaml")
    at = compare(at.run())
    radio = at.radio(key="cmp_kind")
    assert radio.options == ["quick", "full"]
    # Issue 14: once the full plan exists it is shown by default, and said so.
    assert radio.value == "full"
    assert "its full plan (shift schedule and simulation)" in " ".join(
        c.value for c in at.caption)
    radio.set_value("quick").run()
    assert "its quick view (interval Erlang, no shifts, no simulation)" in " ".join(
        c.value for c in at.caption)
    radio.set_value("full").run()
    assert not at.exception, [e.value for e in at.exception]
    # TINY has no shifts and no simulation: the full run is priced as the hand plan too.
    rows = rows_by_scenario(table_with(at, "cost (XTS)"))
    assert rows["tiny"]["cost (XTS)"] == pytest.approx(hand_plan(2400, 0.8)["cost"], abs=0.01)


def test_compare_page_after_the_full_run_button(tmp_path):
    # The button's run must not leave its progress bar in the cache (a later cache hit would
    # replay it onto a bar that no longer exists: CacheReplayClosureError).
    at = app_on(tmp_path)
    at.button(key="full_button").click().run()
    assert not at.exception
    at = compare(at)
    at.radio(key="cmp_kind").set_value("full").run()
    assert not at.exception, [e.value for e in at.exception]
    rows = rows_by_scenario(table_with(at, "cost (XTS)"))
    assert rows["tiny / busy"]["cost (XTS)"] == pytest.approx(hand_plan(3600, 0.8)["cost"],
                                                              abs=0.01)


# --- sweep labels (issue 18) -------------------------------------------------------------

#: TINY's base at AHT 4m30s, swept over AHT 4m and 5m and two hourly rates: five points apart.
SWEEP = TINY.split("variants:")[0].replace("aht: 4m", "aht: 4m30s") + """\
sweep:
  channels.voice.aht: [240, 300]
  pay.hourly_rates.agent: [20, 22]
"""
#: Each point by its swept values in the file's units (the base by its name).
SWEEP_LABELS = {"tiny", "aht 4m, 20 XTS/h", "aht 4m, 22 XTS/h", "aht 5m, 20 XTS/h",
                "aht 5m, 22 XTS/h"}


def drawn_labels(spec: dict) -> list[str]:
    """The texts drawn beside the chart's points (empty ones left out)."""
    return [text for trace in spec["data"] if "text" in (trace.get("mode") or "")
            for text in trace.get("text") or [] if text]


def test_sweep_points_are_labelled_by_their_swept_values(tmp_path):
    at = compare(app_on(tmp_path, SWEEP, "sweep.yaml"))
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-cmp_chart_0")]
    assert len(found) == 1
    labels = drawn_labels(json.loads(found[0].proto.spec))
    assert sorted(labels) == sorted(SWEEP_LABELS)


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 1000])
def test_sweep_labels_do_not_overlap_in_the_browser(page, screenshot, tmp_path, width):
    """In chromium, at both widths: every label is drawn, and no two labels' boxes (as the
    browser lays them out) overlap."""
    from playwright.sync_api import expect

    from tests.dashboard.conftest import READY, cut_texts
    from tests.dashboard.test_browser import choose

    page.set_viewport_size({"width": width, "height": 900})
    page.locator('[data-testid="stExpander"]').filter(
        has_text="Upload a scenario file (YAML)").locator("summary").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "sweep.yaml", "mimeType": "application/x-yaml",
                "buffer": SWEEP.encode("utf-8")}])
    expect(page.locator('[data-testid="stFileChipName"]')).to_have_text("sweep.yaml")
    choose(page, "Scenario file", "uploaded: sweep.yaml")
    # The first visit also runs every bundled file (quick): longer than go_to waits.
    page.locator('[data-testid="stSidebarNavLink"]').filter(
        has=page.locator('span[label="Compare"]')).click()
    expect(page.locator(READY)).to_have_count(1, timeout=600_000)
    box = page.locator('[data-testid="stCheckbox"]').filter(has_text="Also compare")
    if box.locator("input").is_checked():
        box.locator("label").first.click()
        page.wait_for_timeout(500)
        expect(page.locator(READY)).to_have_count(1, timeout=600_000)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    texts = chart.locator(".textpoint text")
    expect(texts).to_have_count(len(SWEEP_LABELS))
    page.wait_for_timeout(500)
    boxes = texts.evaluate_all("els => els.map(e => { const r = e.getBoundingClientRect(); "
                               "return [e.textContent, r.left, r.top, r.right, r.bottom]; })")
    assert {b[0] for b in boxes} == SWEEP_LABELS
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, f"labels overlap at {width} px: {a} and {b}"
    assert not cut_texts(page), cut_texts(page)
    screenshot(page, f"compare-sweep-{width}", width=width)
