"""Downloads: the picked file's result tables as CSV, and the HTML report of ccplan run.

CSV text cells that begin with = + - @ (or a tab or carriage return) get a
leading apostrophe, so a spreadsheet shows them as text instead of running
them as formulas: the same writer as the ``ccplan`` commands'
(``scenarios.files.output.safe_csv_text``). Every table has a ``scenario``
column: one file holds the base, the variants and the sweep points.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import scenarios
from dashboard import _cached, _state

#: The result tables offered, with what a row is (units in scenarios/pipeline/_result.py).
TABLES = {
    "intervals": "scenario x channel x interval: contacts, agents, service level, ASA, cost",
    "channels": "scenario x channel: contacts, KPIs, target, cost per contact",
    "totals": "one row per scenario: KPIs, FTE, paid hours, weekly and annual cost, budget",
    "cost_breakdown": "scenario x component and use of the paid time",
    "shifts": "scenario x shift of the schedule (full run of a file with shifts)",
}

#: Width of the download buttons, px: the longest label (cost_breakdown.csv) in full.
BUTTON_WIDTH_PX = 215

st.title("Downloads")
cur = _state.current()
if cur is None:
    st.stop()
_state.caption(cur)
results, kind = _state.pick_results(cur, "dl_kind")
if cur.full_if_run() is None:
    st.caption("The quick run's tables (Erlang, no shifts, no simulation). Start the full run "
               "on the Scenarios page to download its tables and report too.")
stem = cur.path.stem

st.subheader("Tables (CSV)")
st.caption("UTF-8, comma-separated, one header row; times in ISO 8601 with their UTC offset; "
           "durations in seconds, fractions 0-1, money in "
           f"{cur.base.currency}. Text cells that begin with =, +, -, @, a tab or a carriage "
           "return get a leading apostrophe so spreadsheets do not run them as formulas "
           "(the same CSV as the ccplan commands write).")
for name, what in TABLES.items():
    # Each row names its scenario (the shifts table of a result does not carry it).
    frames = [frame if "scenario" in frame.columns
              else frame.assign(scenario=r.name)[["scenario", *frame.columns]]
              for r in results if len(frame := getattr(r, name))]
    if not frames:
        continue
    table = pd.concat(frames, ignore_index=True)
    file_name = f"{stem}_{kind}_{name}.csv"
    data = scenarios.files.output.safe_csv_text(table).encode("utf-8")
    # A row of its own sized to the button, so that no file name is cut at 1000 px.
    with st.container(horizontal=True, vertical_alignment="center", wrap=False):
        st.download_button(f"{name}.csv", data, file_name=file_name, mime="text/csv",
                           key=f"dl_{name}", on_click="ignore", icon=":material/download:",
                           width=BUTTON_WIDTH_PX)
        st.markdown(f"`{file_name}`: {what}. **{len(table):,} rows**, "
                    f"{len(table.columns)} columns.")

st.subheader("Report (HTML)")
st.caption("The page of ccplan run: the comparison, the base scenario's report with its "
           "charts, and every scenario's checks. One self-contained file that opens offline.")
try:
    page = _cached.report_html(str(cur.path), cur.key, cur.knobs_json, kind)
except (scenarios.ScenarioError, ValueError) as err:
    st.error(str(err), icon=":material/error:")
    st.stop()
file_name = f"{stem}_{kind}_report.html"
with st.container(horizontal=True, vertical_alignment="center", wrap=False):
    st.download_button("report.html", page.encode("utf-8"), file_name=file_name,
                       mime="text/html", key="dl_report", on_click="ignore",
                       icon=":material/download:", width=BUTTON_WIDTH_PX)
    st.markdown(f"`{file_name}`: **{len(page) / 1e6:.1f} MB** (plotly is inside, so it needs no "
                "network).")
