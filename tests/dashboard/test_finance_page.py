"""The Finance page (AppTest): cost per contact, breakdown, annual cost, budget, business case.

Expected numbers are worked by hand for a one-day, one-hour-interval, flat,
single-voice-channel scenario sized by Erlang C (written here with
``mpmath``): paid agents = ceil(required / (1 - shrinkage)), cost = paid x 24
h x hourly rate, a week is 7 days and a year 365.25 (docs/scenarios.md);
Erlang C has no abandonment, so every offered contact is handled. The
bundled retail bank's business case is checked against
``scenarios.run_scenario`` called directly with the quick run's settings.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import scenarios
from tests.dashboard.dashboard_refs import APP, QUICK, erlang_c_service_level

TINY = """\
name: tiny
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
currency: XTS
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c, shrinkage: 0.2}
pay: {hourly_rates: {agent: 20}, overhead_per_paid_hour: 5}
budget: {per_week: 60000}
variants:
  busy: {channels: {voice: {volume: {daily: 3600}}}}
  dear: {pay: {hourly_rates: {agent: 24}}}
"""
NO_BUDGET = TINY.replace("budget: {per_week: 60000}\n", "")




def hand_cost(contacts_a_day: float, hourly_rate: float = 20.0, overhead: float = 5.0) -> float:
    """The flat day's cost: Erlang C agents for 80% in 20 s, shrinkage 0.2, paid 24 h."""
    load = contacts_a_day / 24.0 * 240.0 / 3600.0
    n_required = math.floor(load) + 1
    while erlang_c_service_level(n_required, load, 20.0 / 240.0) < 0.8:
        n_required += 1
    paid = -(-5 * n_required // 4)                     # ceil(n / 0.8) in integers
    return 24.0 * paid * (hourly_rate + overhead)


def app_on(tmp_path: Path, text: str = TINY, name: str = "tiny.yaml") -> AppTest:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["uploads"] = {name: str(path)}
    at.session_state["picked"] = f"uploaded: {name}"
    at.run()
    at.switch_page("views/finance.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def chart(at: AppTest, title_start: str) -> dict:
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if spec["layout"]["title"]["text"].startswith(title_start):
            return spec
    raise AssertionError(f"no chart titled {title_start!r}")


def number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%"))


def test_headline_channel_and_breakdown_by_hand(tmp_path):
    at = app_on(tmp_path)
    cost = hand_cost(2400)
    assert number(metric(at, "Cost over the horizon (XTS)")) == pytest.approx(cost, abs=0.5)
    assert number(metric(at, "Cost per contact (XTS)")) == pytest.approx(cost / 2400, abs=0.005)
    assert number(metric(at, "Weekly cost (XTS)")) == pytest.approx(7 * cost, abs=0.5)
    assert number(metric(at, "Annual cost (XTS)")) == pytest.approx(365.25 * cost, abs=0.5)

    bars = chart(at, "Cost per contact by channel")
    assert bars["layout"]["yaxis"]["title"]["text"] == "cost per contact (XTS)"
    for trace in bars["data"]:
        assert trace["x"] == ["voice"]
        assert trace["y"] == pytest.approx([cost / 2400])   # Erlang C: handled = offered

    # Components: wages 20 and overhead 5 per paid hour; no premiums in the file.
    parts = {t["name"]: t["x"][0] for t in chart(at, "Cost breakdown")["data"]}
    assert parts["wages"] == pytest.approx(cost * 20 / 25)
    assert parts["overhead"] == pytest.approx(cost * 5 / 25)
    assert "night premium" not in parts                     # zero items are left out
    # Uses: shrinkage is 0.2 of every paid hour.
    assert parts["shrinkage"] == pytest.approx(0.2 * cost)


def test_budget_metric_and_chart_by_hand(tmp_path):
    at = app_on(tmp_path)
    cost = hand_cost(2400)
    assert number(metric(at, "tiny: cost against the budget")) == pytest.approx(
        100 * 7 * cost / 60000, abs=0.05)
    assert number(metric(at, "Budget per week (XTS)")) == 60000
    spec = chart(at, "Cost against the budget")
    bars = {name: x for t in spec["data"] if t["type"] == "bar"
            for name, x in zip(t["y"], t["x"], strict=True)}
    assert bars == pytest.approx({"tiny": 7 * cost, "busy": 7 * hand_cost(3600),
                                  "dear": 7 * hand_cost(2400, hourly_rate=24)})
    over = {y for t in spec["data"] if t["name"] == "over budget" for y in t["y"]}
    assert over == {n for n, v in bars.items() if v > 60000} == {"busy", "dear"}
    assert spec["layout"]["shapes"][0]["x0"] == 60000        # the budget line

    # The picked scenario follows the selectbox.
    at.selectbox(key="fin_scenario").set_value("tiny / busy").run()
    assert number(metric(at, "tiny / busy: cost against the budget")) == pytest.approx(
        100 * 7 * hand_cost(3600) / 60000, abs=0.05)


def test_no_budget_in_the_file(tmp_path):
    at = app_on(tmp_path, NO_BUDGET)
    assert not at.exception
    assert "no budget in the file" in " ".join(i.value for i in at.info)
    assert not any(m.label.startswith("Budget per") for m in at.metric)


def test_incremental_business_case_by_hand(tmp_path):
    at = app_on(tmp_path)
    at.selectbox(key="fin_from").set_value("tiny").run()
    at.selectbox(key="fin_to").set_value("tiny / busy").run()
    assert not at.exception
    case = table_with(at, "Δ contacts handled").set_index("period")
    delta_cost = hand_cost(3600) - hand_cost(2400)
    delta_handled = 3600 - 2400
    assert case.loc["over the horizon (1 day)", "Δ cost (XTS)"] == pytest.approx(delta_cost)
    assert case.loc["over the horizon (1 day)", "Δ contacts handled"] == pytest.approx(
        delta_handled)
    assert case.loc["per week", "Δ cost (XTS)"] == pytest.approx(7 * delta_cost)
    assert case.loc["per week", "Δ contacts handled"] == pytest.approx(7 * delta_handled)
    assert case.loc["per year", "Δ cost (XTS)"] == pytest.approx(365.25 * delta_cost, abs=0.01)
    assert case.loc["per year", "Δ contacts handled"] == pytest.approx(365.25 * delta_handled,
                                                                       abs=0.01)
    per_contact = case["cost per incremental contact handled (XTS)"]
    assert per_contact.to_numpy() == pytest.approx([delta_cost / delta_handled] * 3, abs=0.005)
    assert number(metric(at, "Cost per incremental contact handled")) == pytest.approx(
        delta_cost / delta_handled, abs=0.005)

    # Same contacts handled (only the wage differs): no cost per incremental contact.
    at.selectbox(key="fin_to").set_value("tiny / dear").run()
    assert not at.exception
    case = table_with(at, "Δ contacts handled").set_index("period")
    assert case.loc["per week", "Δ contacts handled"] == 0
    assert case.loc["per week", "Δ cost (XTS)"] == pytest.approx(
        7 * (hand_cost(2400, hourly_rate=24) - hand_cost(2400)))
    assert case["cost per incremental contact handled (XTS)"].isna().all()
    assert metric(at, "Cost per incremental contact handled") == "n/a"
    assert "a pure cost" in " ".join(i.value for i in at.info)


@pytest.mark.slow
def test_bundled_retail_bank_business_case_matches_a_direct_run():
    at = AppTest.from_file(APP, default_timeout=60).run()   # the default file: retail_bank
    at.switch_page("views/finance.py").run()
    assert not at.exception
    at.selectbox(key="fin_from").set_value("retail_bank / extended").run()
    at.selectbox(key="fin_to").set_value("retail_bank / 24x7").run()
    bank = next(p for p in scenarios.example_files() if p.name == "retail_bank.yaml")
    found = {s.name: s for s in scenarios.load_scenarios(bank, overrides=QUICK)}
    ext, full_week = (scenarios.run_scenario(found[n]).totals.iloc[0]
                      for n in ("retail_bank / extended", "retail_bank / 24x7"))
    case = table_with(at, "Δ contacts handled").set_index("period")
    expected = (full_week["cost"] - ext["cost"]) / (full_week["handled"] - ext["handled"])
    assert case.loc["over the horizon (7 days)",
                    "cost per incremental contact handled (GBP)"] == pytest.approx(expected,
                                                                                   abs=0.005)


@pytest.mark.slow
def test_finance_page_in_the_browser(page, screenshot, tmp_path):
    """In chromium: the headline shows the cost worked by hand for the flat day (and its
    week and year), nothing is cut off at 1400 or 1000 px, and the page is saved at both."""
    from tests.dashboard.conftest import at_both_widths, metric_values, upload
    from tests.dashboard.test_browser import go_to

    upload(page, "tiny.yaml", TINY)
    go_to(page, "Finance")
    shown = metric_values(page, wait_for="Cost over the horizon (XTS), quick view")
    cost = hand_cost(2400)
    assert shown["Cost over the horizon (XTS), quick view"] == f"{cost:,.0f}"
    assert shown["Cost per contact (XTS), quick view"] == f"{cost / 2400:,.2f}"
    assert shown["Weekly cost (XTS), quick view"] == f"{7 * cost:,.0f}"
    assert shown["Annual cost (XTS), quick view"] == f"{365.25 * cost:,.0f}"
    assert shown["Budget per week (XTS)"] == "60,000"
    at_both_widths(page, screenshot, "finance")
