"""The Capacity page: a file's ``capacity:`` block with a manager's knobs (AppTest and chromium).

The knobs must act exactly as the same fields written in the file do (the override path is the
variants' path): moving the attrition knob to 40% must give the numbers of the file's own
``churn`` variant, and the growth knob at 40% those of its ``grow`` variant. The classes table
is checked by hand (a class starting Monday 2027-01-18 that trains 4 weeks is on the floor
from Monday 2027-02-15). In chromium, the page is drawn, the attrition slider redraws the weekly
chart, and the page is saved at 1400 and 1000 px.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from streamlit.testing.v1 import AppTest

import scenarios
from tests.dashboard.dashboard_refs import APP

PLAN = """\
name: tiny
interval: 1h
horizon: {start: 2027-01-04, days: 7}
hours: 24x7
currency: XTS
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c, shrinkage: 0.2}
pay: {hourly_rates: {agent: 20}}
capacity:
  weeks: 13
  start: 2027-01-04
  groups:
    voice_team:
      channels: [voice]
      headcount: 60
      attrition: 20%
      overtime: {limit: 5%, premium: 50%}
      hiring: {training: 2w, graduate: 90%, min_class: 1, max_class: 10, cost_per_hire: 3000}
      classes: [{start: 2027-01-18, size: 6}]
variants:
  churn: {capacity: {groups: {voice_team: {attrition: 40%}}}}
  grow: {capacity: {demand: {growth: 40%}}}
"""
NO_CAPACITY = PLAN.split("capacity:")[0]


def app_on(tmp_path: Path, text: str = PLAN, name: str = "tiny_capacity.yaml") -> AppTest:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["uploads"] = {name: str(path)}
    at.run()
    at.switch_page("views/capacity.py").run()
    assert not at.exception, [e.value for e in at.exception]
    if text is PLAN:
        at.selectbox(key="cap_file").set_value(f"uploaded: {name}").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def fte_chart(at: AppTest) -> dict:
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-cap_fte")]
    assert len(found) == 1
    return json.loads(found[0].proto.spec)


def trace(spec: dict, name: str) -> list[float]:
    return next(t["y"] for t in spec["data"] if t["name"] == name)


def test_the_attrition_knob_equals_the_files_churn_variant(tmp_path):
    at = app_on(tmp_path)
    base = metrics(at)
    assert base["Hires over the plan (agents)"] == "6"                  # the one given class of 6
    at.selectbox(key="cap_scenario").set_value("tiny / churn").run()
    churn, churn_chart = metrics(at), fte_chart(at)
    at.selectbox(key="cap_scenario").set_value("tiny").run()
    at.slider(key="cap_attrition|tiny|voice_team").set_value(40.0).run()
    assert not at.exception
    assert metrics(at) == churn
    assert trace(fte_chart(at), "available (productive)") == pytest.approx(
        trace(churn_chart, "available (productive)"))
    assert metrics(at) != base
    captions = " ".join(c.value for c in at.caption)
    assert "capacity.groups.voice_team.attrition = 0.4" in captions


def test_the_growth_knob_equals_the_files_grow_variant(tmp_path):
    at = app_on(tmp_path)
    at.selectbox(key="cap_scenario").set_value("tiny / grow").run()
    grow = trace(fte_chart(at), "required")
    at.selectbox(key="cap_scenario").set_value("tiny").run()
    flat = trace(fte_chart(at), "required")
    at.slider(key="cap_growth|tiny").set_value(40.0).run()
    assert not at.exception
    assert trace(fte_chart(at), "required") == pytest.approx(grow)
    assert grow[-1] > flat[-1]


def test_the_hiring_plan_table_and_the_training_knob_by_hand(tmp_path):
    at = app_on(tmp_path)
    table = at.dataframe[0].value
    assert table.to_dict("records") == [{
        "class starts": "2027-01-18", "week": 2, "hires": 6,
        "training (wk)": 2, "graduates (exp.)": 5.4, "on the floor": "2027-02-01"}]
    at.slider(key="cap_training|tiny|voice_team").set_value(4).run()
    assert not at.exception
    row = at.dataframe[0].value.iloc[0]
    assert (row["training (wk)"], row["on the floor"]) == (4, "2027-02-15")


def test_the_risk_knob_turns_on_the_monte_carlo_runs(tmp_path):
    at = app_on(tmp_path)
    assert metrics(at)["P(covered), worst week"] == "n/a"
    names = {t["name"] for t in fte_chart(at)["data"]}
    assert "probability that supply covers it (right axis)" not in names
    at.toggle(key="cap_risk_on|tiny").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)["P(covered), worst week"]
    assert shown.endswith("%") and 0.0 <= float(shown.rstrip("%")) <= 100.0
    probability = trace(fte_chart(at), "probability that supply covers it (right axis)")
    assert all(0.0 <= p <= 1.0 for p in probability)
    assert "capacity.risk.probability = 0.9" in " ".join(c.value for c in at.caption)


def test_a_knob_out_of_the_files_rules_shows_the_loaders_error(tmp_path):
    at = app_on(tmp_path)
    # A largest class below the given class of 6 breaks the hiring rules.
    at.number_input(key="cap_max_class|tiny|voice_team").set_value(3).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "capacity.groups.voice_team.hiring.max_class" in errors or "max_class" in errors


def test_no_file_with_a_capacity_block(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text(NO_CAPACITY, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["uploads"] = {"plain.yaml": str(path)}
    at.run()
    at.switch_page("views/capacity.py").run()
    assert not at.exception
    labels = at.selectbox(key="cap_file").options if len(at.selectbox) else []
    assert "uploaded: plain.yaml" not in labels


# ------------------------------------------------------------------------------- browser

@pytest.mark.slow
def test_capacity_page_in_the_browser(page: Page, screenshot, tmp_path):
    from tests.dashboard.conftest import at_both_widths, metric_values
    from tests.dashboard.test_browser import choose, go_to, plotly_signature, set_slider

    name = "tiny_capacity.yaml"
    path = tmp_path / name
    path.write_text(PLAN, encoding="utf-8")
    page.locator('[data-testid="stExpander"]').filter(
        has_text="Upload a scenario file (YAML)").locator("summary").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/x-yaml",
                "buffer": PLAN.encode("utf-8")}])
    expect(page.locator('[data-testid="stFileChipName"]')).to_have_text(name)
    go_to(page, "Capacity")
    choose(page, "Scenario file", f"uploaded: {name}")
    expect(page.get_by_text("Hires over the plan")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    before = plotly_signature(page)
    assert before[0], "the Capacity page draws no trace"
    screenshot(page, "capacity")
    set_slider(page, "Attrition (% a year)", 40.0, low=0.0, high=80.0, step=0.5)
    expect(page.get_by_text("capacity.groups.voice_team.attrition = 0.4")).to_be_visible()
    after = plotly_signature(page)
    assert after[0] != before[0], "the weekly chart did not change with the attrition"
    screenshot(page, "capacity-attrition-40")
    page.set_viewport_size({"width": 1000, "height": 900})
    expect(page.get_by_text("Hires over the plan")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1000
    # The headline is the plan's summary (the same overrides through the public API).
    found = scenarios.load_scenarios(
        path, overrides={"capacity.groups.voice_team.attrition": 0.4})
    plan = scenarios.pipeline.run_capacity(next(s for s in found if s.name == "tiny"))
    shown = metric_values(page, wait_for="Annual cost (XTS)")
    assert shown["Annual cost (XTS)"] == f"{plan.summary['annual_cost']:,.0f}"
    assert shown["Hires over the plan (agents)"] == f"{plan.summary['hires_total']:,.0f}"
    at_both_widths(page, screenshot, "capacity")
