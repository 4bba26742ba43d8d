"""Simulation: the KPIs against target first, then service level, ASA, abandonment and queue
length by interval, with confidence bands.

The headline gives each channel's service level, ASA, abandonment and
occupancy over the horizon (the result's ``channels`` table), each against
its target and with the simulation's 95% confidence interval. The charts
below show one day or the whole horizon (the day selector); beside each
simulated mean is the Erlang (per-interval, analytic) prediction at the
agents scheduled. Needs the full run; the page offers the same button as the
Scenarios page.
"""

from __future__ import annotations

import streamlit as st

import scenarios
from dashboard import _cached, _days, _headline, _layout, _state
from scenarios import figures as figs

st.title("Simulation")
cur = _state.current()
if cur is None:
    st.stop()
_state.caption(cur)

_state.full_run_button(cur, "simulation_full_button")

try:
    full = cur.full_if_run()
except (scenarios.ScenarioError, ValueError) as err:
    st.error(str(err), icon=":material/error:")
    st.stop()
if full is None:
    st.info("The simulation runs with the full plan: press the button above (it takes seconds "
            "to a minute).", icon=":material/info:")
    st.stop()

names = [r.name for r in full]
name = st.selectbox("Scenario", names, key="simulation_scenario")
result = full[names.index(name)]
channels = list(dict.fromkeys(result.channels["channel"].astype(str)))

n_replications = int(result.summary.get("n_replications") or 0)
simulated = n_replications > 0

st.subheader("Against target, over the horizon")
if simulated:
    st.caption(f"{result.name}: {n_replications} replications of the whole horizon. Each "
               "figure is the simulated value over the horizon with its 95% confidence "
               "interval; the target is the channel's own (service level) or the file's "
               "`expect:` line on that measure.")
else:
    st.info(f"{result.name} has no simulation (replications 0, or no `simulation:` in the "
            "file). The figures are Erlang's per-interval predictions, without confidence "
            "intervals.", icon=":material/info:")
try:
    scenario = next((s for s in _cached.load(str(cur.path), cur.key, cur.knobs_json, "full")
                     if s.name == result.name), None)
except (scenarios.ScenarioError, ValueError):
    scenario = None
caps = {c.name: c.max_occupancy for c in scenario.channels} if scenario is not None else {}
outcomes = _cached.checks([result])
for channel in channels:
    if len(channels) > 1:
        st.markdown(f"**{channel}**")
    with _layout.card_row():
        for card in _headline.cards(result, channel, simulated, outcomes, caps.get(channel)):
            with _layout.card():
                verdict = None if card.is_met is None else (
                    f"{card.target}: {'met' if card.is_met else 'not met'}")
                st.metric(card.label, card.value, delta=verdict, delta_arrow="off",
                          delta_color="normal" if card.is_met else "inverse",
                          help=_headline.MEANINGS[card.measure])
                st.caption(card.interval + ("" if card.target else "; no target in the file"))
                if card.note:
                    st.caption(f":orange[{card.note}]")

st.subheader("By interval")
channel = st.selectbox("Channel", channels, key="simulation_channel")
span = _days.pick(result, "simulation_day")
rows = _days.rows_in(result.intervals, span)
if simulated:
    st.caption("Solid: the simulated mean; band: its 95% confidence interval; dashed: "
               "Erlang's prediction for the interval at the agents scheduled.")
kpis = list(figs.KPIS) if simulated else [k for k in figs.KPIS if k != "mean_queue"]
targets = result.channels.set_index(result.channels["channel"].astype(str))
target = float(targets.loc[channel, "service_level_target"]) if channel in targets.index else None
interval_s = float(result.summary.get("interval_s") or cur.base.interval_s)
for kpi in kpis:
    fig = figs.kpi_figure(rows, channel, kpi, simulated, interval_s=interval_s,
                          target=target if kpi == "service_level" else None)
    st.plotly_chart(_days.show_span(fig, span), key=f"sim_{kpi}", width="stretch")
