"""Capacity: the long-range plan of a scenario's ``capacity:`` block, with a manager's knobs.

Pick a file whose scenarios have a ``capacity:`` block and one of its
scenarios; the knobs (an agent group's attrition, largest class and training
length; volume growth; the risk level) become overrides of the file, the same
fields a variant would set (``scenarios.load_scenarios(overrides=...)``), and
the plan is ``scenarios.pipeline.run_capacity`` (cached). The page draws the
weekly chart and the hiring plan from the result's tables; it computes
nothing itself.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import streamlit as st

import scenarios
from dashboard import _cached, _state, _tables
from scenarios import figures as figs

st.title("Capacity")
st.caption("The long-range plan: required against available FTE week by week, hiring "
           "classes, attrition, overtime and the year's cost (a scenario file's capacity: "
           "block, docs/capacity.md).")


def capacity_files() -> dict[str, tuple[str, str]]:
    """Files with at least one capacity plan, by label: (path, key)."""
    found: dict[str, tuple[str, str]] = {}
    for label, path in _state.sources().items():
        try:
            key = _cached.file_key(path)
            if _cached.capacity_scenarios(str(path), key):
                found[label] = (str(path), key)
        except (scenarios.ScenarioError, ValueError):
            continue   # a broken file: the Scenarios page shows its error
    return found


files = capacity_files()
if not files:
    st.info("No scenario file here has a capacity: block. Add one (docs/scenarios.md, "
            "'capacity:') or upload such a file on the Scenarios page.", icon=":material/info:")
    st.stop()
# One row each: a file's label in full (a half-width box cuts it at 1000 px).
label = st.selectbox("Scenario file", list(files), key="cap_file")
path, key = files[label]
names = _cached.capacity_scenarios(path, key)
name = st.selectbox("Scenario", names, key="cap_scenario")
base = next(s for s in _cached.load(path, key) if s.name == name)
spec = base.capacity
if spec is None:   # not reached: capacity_scenarios lists only scenarios with the block
    st.stop()
groups = {g.name: g for g in spec.groups}

st.subheader("Knobs")
k1, k2, k3 = st.columns(3)
group_name = k1.selectbox("Agent group", list(groups), key="cap_group",
                          help="The attrition, class size and training knobs act on this "
                               "group; the chart shows it.")
group = groups[group_name]


def knob(what: str, per_group: bool = True) -> str:
    """A knob's widget key: its own per scenario (and group), starting at the file's value."""
    return f"cap_{what}|{name}" + (f"|{group_name}" if per_group else "")


attrition_pct = k1.slider("Attrition (% a year)", 0.0, 80.0,
                          float(round(100 * group.attrition_annual, 1)), 0.5,
                          key=knob("attrition"),
                          help="Share of tenured agents who leave within a year.")
hiring = group.hiring
if hiring is not None:
    max_class = k2.number_input("Largest class (agents)", min_value=int(hiring.min_class_size),
                                max_value=500, value=int(hiring.max_class_size), step=1,
                                key=knob("max_class"))
    training = k2.slider("Training (weeks)", 0, max(26, int(hiring.training_weeks)),
                         int(hiring.training_weeks), 1, key=knob("training"))
else:
    k2.caption(f"{group_name} has no hiring rules in the file: its classes are as given.")
growth_pct = k3.slider("Volume growth (% a year)", -30.0, 50.0,
                       float(round(100 * spec.growth, 1)), 0.5, key=knob("growth", per_group=False),
                       help="Compounding weekly, on top of the demand source.")
risk_on = k3.toggle("Risk runs", value=spec.risk_probability is not None,
                    key=knob("risk_on", per_group=False),
                    help="Monte Carlo runs of demand and attrition: the probability that "
                         "supply covers each week's requirement.")
probability_pct = k3.slider("Cover the requirement with probability (%)", 50.0, 99.0,
                            float(round(100 * (spec.risk_probability or 0.9), 1)), 1.0,
                            key=knob("probability", per_group=False), disabled=not risk_on)

# The knobs that differ from the file, as overrides (the fields a variant would set).
overrides: dict[str, Any] = {}
where = f"capacity.groups.{group_name}"
if attrition_pct != round(100 * group.attrition_annual, 1):
    # The {annual, first_weeks} form keeps its early weeks; a plain rate is replaced.
    field = "attrition.annual" if group.early_attrition_weekly else "attrition"
    overrides[f"{where}.{field}"] = attrition_pct / 100.0
if hiring is not None:
    if max_class != hiring.max_class_size:
        overrides[f"{where}.hiring.max_class"] = int(max_class)
    if training != hiring.training_weeks:
        overrides[f"{where}.hiring.training"] = int(training)
if growth_pct != round(100 * spec.growth, 1):
    overrides["capacity.demand.growth"] = growth_pct / 100.0
if not risk_on and spec.risk_probability is not None:
    overrides["capacity.risk"] = None
elif risk_on and (spec.risk_probability is None
                  or probability_pct != round(100 * spec.risk_probability, 1)):
    overrides["capacity.risk.probability"] = probability_pct / 100.0
if risk_on and spec.plan == "optimise":
    st.caption("Risk runs on an optimised plan re-plan the classes at the probability, round "
               "after round of Monte Carlo runs: a few seconds for a small file, longer for "
               "many groups or a tight capacity.mip_gap. Each setting is computed once, then "
               "cached.")
st.caption("Knobs changed: " + (", ".join(f"{k} = {v}" for k, v in overrides.items())
                                 or "none") + ".")

try:
    with st.spinner("Planning the weeks (hiring classes, attrition, cost)..."):
        result = _cached.capacity(path, key, json.dumps(overrides, sort_keys=True), name)
except (scenarios.ScenarioError, ValueError) as err:
    st.error(str(err), icon=":material/error:")
    st.stop()

summary = result.summary
currency = result.currency


def shown(value: Any, fmt: str) -> str:
    """A summary value for a metric; n/a when missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return format(value, fmt)


week = summary.get("first_week_meeting_target")
reached = week is not None and not (isinstance(week, float) and not math.isfinite(week))
monday = (f": Monday {pd.Timestamp(result.start) + pd.Timedelta(weeks=int(week)):%Y-%m-%d}"
          if reached else "")
m1, m2, m3 = st.columns(3)
m1.metric(f"Annual cost ({currency})", shown(summary.get("annual_cost"), ",.0f"),
          help=str(summary.get("annual_cost_basis", "")))
m2.metric("Hires over the plan (agents)", shown(summary.get("hires_total"), ",.0f"))
m3.metric("Lowest weekly coverage", shown(summary.get("min_weekly_coverage"), ".1%"),
          help="(available + overtime) / required productive FTE, worst week and group.")
m4, m5, m6 = st.columns(3)
m4.metric("First week at target", f"week {int(week)}" if reached else "not reached",
          help="The first week whose expected service level reaches every channel's target "
               f"and stays there{monday}.")
m5.metric("P(covered), worst week", shown(summary.get("min_coverage_probability"), ".1%"),
          help="Share of the Monte Carlo risk runs in which supply covers the requirement, "
               "worst week and group (risk runs only).")
m6.metric(f"Insurance cost ({currency})", shown(summary.get("insurance_cost"), ",.0f"),
          help="The plan at the asked probability minus the plan for the point forecast "
               "(risk runs only).")

st.plotly_chart(figs.capacity_figure(result, "fte", group=group_name), key="cap_fte",
                width="stretch")
st.plotly_chart(figs.capacity_figure(result, "cost"), key="cap_cost", width="stretch")

st.subheader("Hiring plan")
classes = result.classes
if len(classes) == 0:
    st.info("No hiring classes: the starting headcount carries the plan.",
            icon=":material/info:")
else:
    table = pd.DataFrame({
        "group": classes["group"],
        "class starts": pd.to_datetime(classes["start_date"]).dt.strftime("%Y-%m-%d"),
        "week": classes["start_week"],
        "hires": classes["size"],
        "training (wk)": classes["training_weeks"],
        "graduates (exp.)": classes["graduates"].round(1),
        "on the floor": pd.to_datetime(classes["first_floor_date"]).dt.strftime("%Y-%m-%d"),
    })
    if table["group"].nunique() == 1:     # the chart and the knobs name the one group
        table = table.drop(columns=["group"])
    st.dataframe(table, hide_index=True, width="stretch", key="cap_classes",
                 height=_tables.whole_height(len(table)))
    st.caption("hires: agents starting the class; training (wk): weeks of training; graduates "
               "(exp.): hires expected to finish it (attrition in training); on the floor: the "
               "Monday they start taking contacts.")
