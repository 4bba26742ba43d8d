"""Finance: cost per contact, the cost breakdown, annual cost, the budget, the business case.

For the picked file's scenarios (quick run, or the full run once started).
Everything shown is read from the results' ``totals``, ``channels`` and
``cost_breakdown`` tables; the business case's differences and cost per
incremental contact are ``scenarios.deltas`` and
``scenarios.compare.cost_per_incremental_contact``, converted from the horizon to a
week and a year for display, as the totals' ``weekly_cost`` and
``annual_cost`` do (a week is 7 days, a year 365.25).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

import scenarios
from dashboard import _layout, _state, _tables
from scenarios import figures as figs

#: Days of a week and of a year, as the totals' ``weekly_cost`` and ``annual_cost`` count them.
WEEK_DAYS = 7.0
YEAR_DAYS = 365.25

#: Height of the cost-per-contact chart, px.
PER_CONTACT_HEIGHT_PX = 340

#: Number formats of the tables (thousands separators).
MONEY = st.column_config.NumberColumn(format="%,.2f")
WHOLE = st.column_config.NumberColumn(format="%,.0f")


def horizon_days(result: scenarios.ScenarioResult) -> float:
    """The horizon's length in days, from the result's summary."""
    start = pd.Timestamp(result.summary["horizon_start"])
    end = pd.Timestamp(result.summary["horizon_end"])
    return (end - start).total_seconds() / 86400.0


def number(value: float, decimals: int) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:,.{decimals}f}"


def money(value: float, currency: str, decimals: int = 2) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:,.{decimals}f} {currency}"


st.title("Finance")
cur = _state.current()
if cur is None:
    st.stop()
_state.caption(cur)
results, kind = _state.pick_results(cur, "fin_kind")
_state.show_ranking_warning(cur)
currency = cur.base.currency
#: Every figure of the quick view says so (issue 14): it has no shifts and no simulation.
tag = "" if kind == "full" else ", quick view"
names = [r.name for r in results]
by_name = dict(zip(names, results, strict=True))


def picker_label(name: str) -> str:
    """The scenario's name, a sweep point's fields cut to their last part (its long label)."""
    return scenarios.report.scenario_label(by_name[name], short=False)


scenario = st.selectbox("Scenario", names, key="fin_scenario",
                        format_func=picker_label)
result = by_name[scenario]
totals = result.totals.iloc[0]
days = horizon_days(result)
st.caption(f"The {_state.KIND_WORDS[kind]} of **{scenario}**: {days:g}-day horizon, money in "
           f"{currency}.")

budget = float(totals["budget"])
# Quick figures say so on each label (issue 14); their cards are twice as wide, so that the
# longer labels read in full.
with _layout.card_row():
    for label, value, meaning in (
            (f"Cost over the horizon ({currency}){tag}", number(float(totals["cost"]), 0),
             f"Staff cost of the {days:g} days planned."),
            (f"Cost per contact ({currency}){tag}",
             number(float(totals["cost_per_contact"]), 2),
             "Cost over contacts offered (all channels)."),
            (f"Weekly cost ({currency}){tag}", number(float(totals["weekly_cost"]), 0),
             "The horizon's cost scaled to 7 days."),
            (f"Annual cost ({currency}){tag}", number(float(totals["annual_cost"]), 0),
             "The horizon's cost scaled to a year of 365.25 days.")):
        with _layout.card(width=_layout.CARD_WIDTH_PX * (1 if kind == "full" else 2)):
            st.metric(label, value, help=meaning)

st.subheader(f"Cost per contact by channel{tag}")
per_channel = result.channels[["channel", "offered", "handled", "cost", "cost_per_contact",
                               "cost_per_handled"]].copy()
per_channel = per_channel.rename(columns={
    "cost": f"cost ({currency})", "cost_per_contact": f"per offered ({currency})",
    "cost_per_handled": f"per handled ({currency})"}).round(2)
# One under the other: side by side, both were cut at 1000 px.
st.dataframe(per_channel, hide_index=True, width="stretch", key="fin_channels",
             height=_tables.whole_height(len(per_channel)),
             column_config={"offered": WHOLE, "handled": WHOLE, f"cost ({currency})": MONEY})
st.caption("Offered and handled: contacts over the horizon. Cost per contact: the channel's "
           "cost over its contacts offered, or handled (answered, and deferred work done).")
# Full width now: a lower chart keeps a channel's two bars from filling the screen.
st.plotly_chart(figs.cost_per_contact_figure(result.channels, currency, scenario)
                .update_layout(height=PER_CONTACT_HEIGHT_PX),
                key="fin_per_contact", width="stretch")

st.subheader(f"Cost breakdown{tag}")
st.plotly_chart(figs.breakdown_figure(result.cost_breakdown, currency, scenario),
                key="fin_breakdown", width="stretch")
breakdown = result.cost_breakdown[["group", "component", "amount", "share"]].copy()
breakdown["group"] = breakdown["group"].map({"component": "component", "use": "use of time"})
breakdown["share"] = (100.0 * breakdown["share"]).round(1)
breakdown["amount"] = breakdown["amount"].round(2)
breakdown = breakdown.rename(columns={"component": "item", "amount": f"amount ({currency})",
                                      "share": "share (%)"})
st.dataframe(breakdown, hide_index=True, width="stretch", key="fin_breakdown_table",
             height=_tables.whole_height(len(breakdown)),
             column_config={f"amount ({currency})": MONEY})
st.caption("Components: what the money pays (wages, premiums, overhead). Uses: what the paid "
              "time buys (handling contacts, idle, shrinkage, paid breaks). Each adds up to the "
              "horizon's cost.")

st.subheader(f"Annual cost and the budget{tag}")
all_totals = pd.concat([r.totals for r in results], ignore_index=True)
annual = all_totals[["scenario", "cost", "weekly_cost", "annual_cost", "budget",
                     "cost_vs_budget"]].copy()
annual["scenario"] = annual["scenario"].map(picker_label)
for column in ("cost", "weekly_cost", "annual_cost", "budget"):
    annual[column] = annual[column].round(0)
annual["cost_vs_budget"] = (100.0 * annual["cost_vs_budget"]).round(1)
annual = annual.rename(columns={
    "cost": f"horizon ({currency})", "weekly_cost": f"per week ({currency})",
    "annual_cost": f"per year ({currency})", "budget": f"budget ({currency})",
    "cost_vs_budget": "cost against budget (%)"})
with_budget = all_totals[all_totals["budget"].map(lambda v: math.isfinite(float(v)))]
if math.isfinite(budget):
    period = str(totals["budget_period"])
    spent = float(totals["weekly_cost"] if period == "week" else totals["annual_cost"])
    over = spent - budget
    with _layout.card_row():
        with _layout.card(width=2 * _layout.CARD_WIDTH_PX):     # the scenario's name is long
            st.metric(f"{scenario}: cost against the budget",
                      f"{float(totals['cost_vs_budget']):.1%}",
                      delta=f"{money(abs(over), currency, 0)} {'over' if over > 0 else 'under'}",
                      delta_color="inverse" if over > 0 else "normal",
                      delta_arrow="up" if over > 0 else "down",
                      help="The plan's cost over the budget's period, over the budget.")
        with _layout.card():
            st.metric(f"Cost per {period} ({currency})", number(spent, 0))
        with _layout.card():
            st.metric(f"Budget per {period} ({currency})", number(budget, 0))
else:
    st.info(f"{scenario}: no budget in the file.", icon=":material/info:")
if len(with_budget):
    budget_labels = [by_name[n].label for n in with_budget["scenario"]]
    st.plotly_chart(_layout.legend_below(figs.budget_figure(with_budget, currency,
                                                            budget_labels)),
                    key="fin_budget", width="stretch")
elif not math.isfinite(budget):
    st.caption("Add `budget: {per_week: ...}` (or `per_year`) to the file to see the plan "
               "against it.")
st.dataframe(annual, hide_index=True, width="stretch", key="fin_annual",
             column_config={column: WHOLE for column in annual.columns
                            if column.endswith(f"({currency})")})

st.subheader("Incremental business case")
st.caption("What moving from one scenario to another costs per extra contact handled, e.g. "
           "extended hours against 24x7.")
a, b = st.columns(2)
from_name = a.selectbox("From", names, index=0, key="fin_from",
                        format_func=picker_label)
to_name = b.selectbox("To", names, index=min(1, len(names) - 1), key="fin_to",
                      format_func=picker_label)
# The step from one scenario to the other, as scenarios' deltas give it (over the horizon, and
# per year); per week is the horizon's delta scaled to 7 days, as the totals' weekly_cost is.
pair = [by_name[from_name]] if from_name == to_name else [by_name[from_name], by_name[to_name]]
step_table = scenarios.deltas(scenarios.comparison_table(pair), from_name)
step = step_table.iloc[-1]
per_contact_all = float(scenarios.compare.cost_per_incremental_contact(step_table).iloc[-1])
from_days = horizon_days(by_name[from_name])
rows = []
for period, delta_cost, days_factor in (
        (f"over the horizon ({days:g} day{'' if days == 1 else 's'})", float(step["delta_cost"]),
         1.0),
        ("per week", float(step["delta_cost"]) * WEEK_DAYS / from_days, WEEK_DAYS / from_days),
        ("per year", float(step["delta_annual_cost"]), YEAR_DAYS / from_days)):
    rows.append({"period": period, f"Δ cost ({currency})": delta_cost,
                 "Δ contacts handled": float(step["delta_handled"]) * days_factor,
                 f"cost per incremental contact handled ({currency})": per_contact_all})
case = pd.DataFrame(rows)
per_week = rows[1]
per_contact = per_week[f"cost per incremental contact handled ({currency})"]
with _layout.card_row():
    with _layout.card():
        st.metric(f"Δ cost per week ({currency})", number(per_week[f"Δ cost ({currency})"], 0))
    with _layout.card():
        st.metric("Δ contacts handled per week", f"{per_week['Δ contacts handled']:,.0f}")
    with _layout.card(width=2 * _layout.CARD_WIDTH_PX):
        st.metric(f"Cost per incremental contact handled ({currency})", number(per_contact, 2))
st.dataframe(case.round(2), hide_index=True, width="stretch", key="fin_case",
             column_config={f"Δ cost ({currency})": MONEY, "Δ contacts handled": MONEY})
if from_name == to_name:
    st.info("Pick two different scenarios.", icon=":material/info:")
elif per_contact < 0:
    is_cheaper = per_week[f"Δ cost ({currency})"] < 0
    st.caption("Negative: the second scenario "
               + ("costs less and handles more contacts (a saving per contact gained)."
                  if is_cheaper else "costs more and handles fewer contacts."))
elif not math.isfinite(per_contact):
    change = per_week[f"Δ cost ({currency})"]
    what = "a pure cost" if change > 0 else "a pure saving" if change < 0 else "no change"
    st.info(f"Both handle the same contacts: moving from {from_name} to {to_name} is {what}, "
            "so there is no cost per incremental contact.", icon=":material/info:")
