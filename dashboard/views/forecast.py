"""Forecast: history against forecast with its prediction interval, per channel; backtest scores.

Channels whose volumes come from a history file are forecast by
``scenarios.pipeline.scenario_forecast`` (through ``_cached.forecast``). For the others
(daily totals with a profile, or a volumes file) the page says so and shows
the demand the scenario uses: ``offered`` of the quick run's ``intervals``.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

import scenarios
from dashboard import _cached, _state
from scenarios import figures as figs

#: History shown before the forecast (the figure draws at most 4 weeks).
HISTORY_WEEKS = {"4 weeks": 4, "1 week": 1}
_SOURCES = {"daily": "daily totals with an intraday profile", "file": "a volumes file"}

st.title("Forecast")
cur = _state.current()
if cur is None:
    st.stop()
_state.caption(cur)

try:
    with st.spinner("Forecasting from the history (backtests pick the method)..."):
        history, forecast, methods = _cached.forecast(str(cur.path), cur.key, cur.knobs_json)
    results = cur.quick()
except (scenarios.ScenarioError, ValueError) as err:
    st.error(str(err), icon=":material/error:")
    st.stop()

channels = [c.name for c in cur.base.channels]
channel = st.selectbox("Channel", channels, key="forecast_channel")
volume_kind = next(c.volume["kind"] for c in cur.base.channels if c.name == channel)
base = results[0]

if volume_kind == "history" and channel in set(forecast["channel"].astype(str)):
    info = methods.get(channel, {})
    method = info.get("method", "?")
    st.caption(f"Forecast method: **{method}**. The shaded band is the 80% prediction "
               "interval. The forecast is drawn before the file's volume scale and channel "
               "shift; the demand the plan uses (after them and the volume knob) is on the "
               "Staffing page.")
    # A week of forecast after four of history is a thin slice at the right: the reader may
    # keep only the last week of history, so the forecast gets most of the width.
    weeks = st.segmented_control("History shown before the forecast", list(HISTORY_WEEKS),
                                 default="4 weeks", key="forecast_history_weeks", required=True)
    shown = history
    if weeks != "4 weeks" and len(history):
        stamps = history["interval_start"]
        keep = HISTORY_WEEKS.get(str(weeks), 4)
        shown = history[stamps >= stamps.max() - pd.Timedelta(weeks=keep)
                        + pd.Timedelta(seconds=cur.base.interval_s)]
    fig = figs.forecast_figure(shown, forecast, channel, cur.base.interval_s)
    if weeks == "1 week":
        fig.update_layout(title_text=f"{html.escape(channel)}: last week of history and the "
                                     "forecast")
    st.plotly_chart(fig, key="forecast_chart", width="stretch")
    st.subheader("Backtest accuracy")
    table = figs.backtest_table(info)
    if table.empty:
        st.info(f"The file names the method ({method}), so no backtest chose it. Set "
                "`method: auto` in the channel's volume to compare the methods.",
                icon=":material/info:")
    else:
        st.caption("WAPE (weighted absolute percentage error: sum of |actual - forecast| over "
                   "the sum of actuals) of each candidate on weekly backtests of the history; "
                   "the lowest is picked.")
        st.dataframe(table, hide_index=True, key="backtest_table",
                     column_config={"picked": st.column_config.CheckboxColumn("picked")})
else:
    source = _SOURCES.get(volume_kind, volume_kind)
    st.info(f"Channel {channel} has no history to forecast from: its volumes are given as "
            f"{source}. Below is the demand the scenario uses ({base.name}, with the knobs "
            "applied, after opening hours).", icon=":material/info:")
    st.plotly_chart(figs.demand_figure(base.intervals, channel, cur.base.interval_s),
                    key="demand_chart", width="stretch")
