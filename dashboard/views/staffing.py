"""Staffing and schedule: agents required against scheduled, coverage by weekday and time, shifts.

The day selector shows one local day or the whole horizon on the charts with
time along their axis (agents by interval, the shifts timeline), with the same
x range on both; the heatmap averages the horizon's weekdays and stays whole.

The intervals come from the full run when it has been run for these
settings, else from the quick run (interval staffing: no shift schedule).
The shifts timeline needs the full run; the page offers the same button as
the Scenarios page.
"""

from __future__ import annotations

import streamlit as st

import scenarios
from dashboard import _days, _layout, _state
from scenarios import figures as figs

st.title("Staffing and schedule")
cur = _state.current()
if cur is None:
    st.stop()
_state.caption(cur)

_state.full_run_button(cur, "staffing_full_button")

try:
    full = cur.full_if_run()
    results = full if full is not None else cur.quick()
except (scenarios.ScenarioError, ValueError) as err:
    st.error(str(err), icon=":material/error:")
    st.stop()

if full is None:
    st.caption("Showing the quick view: Erlang staffing paid interval by interval (no shift "
               "schedule). Run the full plan for the shifts.")
else:
    st.caption("Showing the full run: the shift schedule's agents on the queue.")

names = [r.name for r in results]
c1, c2 = st.columns(2)
name = c1.selectbox("Scenario", names, key="staffing_scenario")
result = results[names.index(name)]
channels = list(dict.fromkeys(result.intervals["channel"].astype(str)))
channel = c2.selectbox("Channel", channels, key="staffing_channel")

span = _days.pick(result, "staffing_day")
st.plotly_chart(_days.show_span(figs.staffing_figure(_days.rows_in(result.intervals, span),
                                                     channel), span),
                key="staffing_chart", width="stretch")
st.caption("Required: the agents on the queue the target needs (0 while closed). On the queue: "
           "agents on the queue after shrinkage; agents shared by a group are split among its "
           "channels by requirement, so they can be fractional.")
st.plotly_chart(_layout.thin_ticks(_layout.wrap_title(figs.coverage_heatmap(result.intervals,
                                                                            channel))),
                key="coverage_heatmap", width="stretch")
st.caption(figs.coverage_summary(result.intervals, channel))

st.subheader("Shifts")
if full is None:
    st.info("The shift timeline needs the full run (button above).", icon=":material/info:")
elif result.shifts.empty:
    st.info(f"{result.name} has no shift schedule (no `shifts:` in the file): agents are paid "
            "interval by interval.", icon=":material/info:")
else:
    schedule = result.summary.get("schedule") or {}
    status = schedule.get("status", "?")
    gap = schedule.get("mip_gap")
    gap_text = f", gap {100 * gap:.2f}%" if isinstance(gap, (int, float)) else ""
    idle = schedule.get("closed_idle_agent_hours")
    idle_text = (f" {idle:,.1f} agent-hours fall while closed with nobody needed."
                 if isinstance(idle, (int, float)) and idle > 0 else "")
    if status == "time_limit":
        st.warning(f"The shift solver stopped at its time limit (a safety net){gap_text}: this "
                   "plan depends on the machine's speed and load, and `ccplan check` fails it. "
                   "Raise `shifts.rules.time_limit_s` or lower `shifts.rules.max_nodes` (or set "
                   "`shifts.rules.allow_time_limit: true` to accept it).",
                   icon=":material/timer_off:")
    # As a planner reads it: "optimal within 0.2%" (of the best possible roster's cost).
    solver = (f"optimal within {100 * gap:.1f}% of the best possible cost"
              if status == "optimal" and isinstance(gap, (int, float))
              else f"{status.replace('_', ' ')}{gap_text}")
    st.caption(f"{len(result.shifts)} shifts, {int(result.shifts['headcount'].sum())} agents "
               f"starting them (schedule: {solver}). Each bar is one shift; the number "
               f"on it is its headcount.{idle_text}")
    when = "over the horizon" if span.label == _days.WHOLE else f"on {span.label}"
    st.plotly_chart(_days.show_span(figs.shifts_timeline(
        result.shifts, f"{result.name}: shifts {when} (every template and start time)"), span),
        key="shifts_timeline", width="stretch")
