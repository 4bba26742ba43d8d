"""Simulation: service level, ASA, abandonment and queue length by interval, with confidence bands.

Beside each simulated mean is the Erlang (per-interval, analytic) prediction
at the agents scheduled. Needs the full run; the page offers the same button
as the Scenarios page.
"""

from __future__ import annotations

import streamlit as st

import scenarios
from dashboard import _state
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
c1, c2 = st.columns(2)
name = c1.selectbox("Scenario", names, key="simulation_scenario")
result = full[names.index(name)]
channels = list(dict.fromkeys(result.intervals["channel"].astype(str)))
channel = c2.selectbox("Channel", channels, key="simulation_channel")

n_replications = int(result.summary.get("n_replications") or 0)
simulated = n_replications > 0
if simulated:
    st.caption(f"{n_replications} replications. Solid: the simulated mean; band: its 95% "
               "confidence interval; dashed: Erlang's prediction for the interval at the "
               "agents scheduled.")
else:
    st.info(f"{result.name} has no simulation (replications 0, or no `simulation:` in the "
            "file). Only the Erlang (per-interval) prediction is shown.",
            icon=":material/info:")

kpis = list(figs.KPIS) if simulated else [k for k in figs.KPIS if k != "mean_queue"]
targets = result.channels.set_index(result.channels["channel"].astype(str))
target = float(targets.loc[channel, "service_level_target"]) if channel in targets.index else None
for start in range(0, len(kpis), 2):
    cols = st.columns(2)
    for col, kpi in zip(cols, kpis[start:start + 2], strict=False):
        fig = figs.kpi_figure(result.intervals, channel, kpi, simulated,
                              interval_s=float(result.summary.get("interval_s")
                                               or cur.base.interval_s),
                              target=target if kpi == "service_level" else None)
        col.plotly_chart(fig, key=f"sim_{kpi}", width="stretch")
