"""The charts of each scenario's section in the report of ``ccplan run``: volumes, agents,
service level and ASA by interval (one time axis: the same range and a day selector on
each), agents required, scheduled and short by weekday and time of day, and the cost
breakdown (two stacked bars, each the whole cost).

Every chart is a ``plotly`` figure with deterministic content (timestamps as
local wall-clock text, NaN as gaps), so the page that embeds it is
byte-identical for the same result.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..pipeline import ScenarioResult
from ._interval_figures import _TICK_STOPS, staffing_heatmaps
from ._money_figures import breakdown_figure
from ._page import _currency_of, _is_missing, _pct
from ._style import COLOURS, local_times, numbers, rgba

#: Chart titles of the scenario report, in page order.
SCENARIO_CHART_TITLES = (
    "Contacts offered by interval",
    "Agents required and scheduled by interval",
    "Service level by interval",
    "Average speed of answer (ASA) by interval",
    "Agents by weekday and time of day",
    "Cost breakdown over the horizon",
)
_CHART_HEIGHT_PX = 450
#: Above this many days the time axis gets a range slider instead of one button per day.
MAX_DAY_BUTTONS = 14


def _finish(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0.0, "xanchor": "left", "y": 0.97,
                             "yanchor": "top", "yref": "container"},
                      xaxis_title={"text": x_title},
                      yaxis_title={"text": y_title}, showlegend=True, template="plotly_white",
                      height=_CHART_HEIGHT_PX, margin={"l": 70, "r": 20, "t": 95, "b": 105},
                      # Under the plot, so that every chart's plot has the page's full width
                      # and charts of one time axis line up.
                      legend={"orientation": "h", "yref": "container", "y": 0.0,
                              "yanchor": "bottom", "x": 0.0, "xanchor": "left"})
    return fig


def _time_axis(fig: go.Figure, result: ScenarioResult) -> go.Figure:
    """One time axis for every by-interval chart: the horizon's whole range (so the charts
    end on the same day), clock times when zoomed in, and a day selector (one button per
    day, or a range slider past :data:`MAX_DAY_BUTTONS` days)."""
    stamps = local_times(result.intervals["interval_start"]).dropna() \
        if "interval_start" in result.intervals.columns else pd.Series(dtype="datetime64[ns]")
    fig.update_xaxes(tickformatstops=_TICK_STOPS)
    if stamps.empty:
        return fig
    interval_s = result.summary.get("interval_s")
    step = pd.Timedelta(seconds=float(interval_s)) if not _is_missing(interval_s) and interval_s \
        else pd.Timedelta(0)
    start, end = stamps.min(), stamps.max() + step
    whole = [start.strftime(_STAMP), end.strftime(_STAMP)]
    fig.update_xaxes(range=whole)
    days = pd.date_range(start.normalize(), end, freq="D")
    days = days[days < end]
    if len(days) <= 1:
        return fig
    if len(days) > MAX_DAY_BUTTONS:
        fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.08})
        return fig
    buttons = [{"label": "whole horizon", "method": "relayout", "args": [{"xaxis.range": whole}]}]
    buttons += [{"label": day.strftime("%a %d %b"), "method": "relayout",
                 "args": [{"xaxis.range": [max(day, start).strftime(_STAMP),
                                           min(day + pd.Timedelta(days=1), end).strftime(_STAMP)]}]}
                for day in days]
    fig.update_layout(updatemenus=[{
        "type": "buttons", "direction": "right", "buttons": buttons, "showactive": True,
        "active": 0, "x": 0.0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
        "pad": {"t": 0, "b": 6}, "font": {"size": 11}}])
    return fig


_STAMP = "%Y-%m-%d %H:%M:%S"
#: Decimals kept in the charts' values (0.01 % of a fraction; the tables have the full values):
#: a week of intervals per scenario stays a small page.
_DIGITS = 4


def _shown(values: pd.Series) -> list[float | None]:
    """Values for a chart: :func:`numbers` rounded to :data:`_DIGITS` decimals."""
    return [None if v is None else round(v, _DIGITS) for v in numbers(values)]


def _local_times(values: pd.Series) -> list[str | None]:
    """Timestamps as local wall-clock text (fixed text keeps the page byte-identical)."""
    return [None if pd.isna(t) else t.strftime("%Y-%m-%d %H:%M:%S") for t in local_times(values)]


def _band(x: Sequence[str | None], low: pd.Series, high: pd.Series, name: str, colour: str,
          group: str) -> go.Scatter | None:
    """A filled confidence band drawn only over runs where both bounds are known.

    Each run of consecutive intervals with finite bounds becomes one closed
    polygon (upper edge forwards, lower edge backwards); runs are separated by
    ``None`` so that plotly closes each one separately (``fill="toself"``).
    A run of a single interval has no width and so shows nothing. Returns
    ``None`` when no interval has both bounds.
    """
    low_arr = np.asarray(low, dtype=float)
    high_arr = np.asarray(high, dtype=float)
    known = np.isfinite(low_arr) & np.isfinite(high_arr) & np.array([t is not None for t in x])
    xs: list[str | None] = []
    ys: list[float | None] = []
    start = 0
    n = len(known)
    while start < n:
        if not known[start]:
            start += 1
            continue
        stop = start
        while stop < n and known[stop]:
            stop += 1
        run = range(start, stop)
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [x[i] for i in run] + [x[i] for i in reversed(run)]
        ys += ([round(float(high_arr[i]), _DIGITS) for i in run]
               + [round(float(low_arr[i]), _DIGITS) for i in reversed(run)])
        start = stop
    if not xs:
        return None
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=rgba(colour, 0.2),
                      line={"width": 0, "color": colour}, name=name, legendgroup=group,
                      hoverinfo="skip")


def _channel_order(result: ScenarioResult) -> list[str]:
    names: list[str] = []
    for table in (result.channels, result.intervals):
        if "channel" in table.columns:
            names += [str(c) for c in table["channel"]]
    return list(dict.fromkeys(names))


def _channel_intervals(result: ScenarioResult, channel: str) -> pd.DataFrame:
    intervals = result.intervals
    if "channel" not in intervals.columns:
        return intervals.iloc[0:0]
    rows = intervals[intervals["channel"].astype(str) == channel]
    return rows.sort_values("interval_start", kind="stable")


def _x_title(result: ScenarioResult) -> str:
    zone = result.summary.get("timezone")
    if not zone and "interval_start" in result.intervals.columns:
        dtype = result.intervals["interval_start"].dtype
        zone = str(dtype.tz) if isinstance(dtype, pd.DatetimeTZDtype) else ""
    where = f", {html.escape(str(zone))}" if zone else ""
    return f"interval start (local time{where})"


def _interval_label(result: ScenarioResult) -> str:
    interval_s = result.summary.get("interval_s")
    if _is_missing(interval_s) or not interval_s:
        return "interval"
    return f"{float(interval_s) / 60:g} min"


def _volumes_figure(result: ScenarioResult) -> go.Figure:
    fig = go.Figure()
    for k, channel in enumerate(_channel_order(result)):
        rows = _channel_intervals(result, channel)
        fig.add_trace(go.Scatter(x=_local_times(rows["interval_start"]),
                                 y=_shown(rows["offered"]), mode="lines", line_shape="hv",
                                 line={"color": COLOURS[k % len(COLOURS)]},
                                 name=html.escape(channel)))
    return _time_axis(_finish(fig, SCENARIO_CHART_TITLES[0], _x_title(result),
                              f"contacts offered per {_interval_label(result)}"), result)


def _agents_figure(result: ScenarioResult) -> go.Figure:
    fig = go.Figure()
    for k, channel in enumerate(_channel_order(result)):
        rows = _channel_intervals(result, channel)
        colour = COLOURS[k % len(COLOURS)]
        x = _local_times(rows["interval_start"])
        label = html.escape(channel)
        fig.add_trace(go.Scatter(x=x, y=_shown(rows["agents_required"]), mode="lines",
                                 line_shape="hv", line={"color": colour, "dash": "dash"},
                                 name=f"{label}: required", legendgroup=label))
        fig.add_trace(go.Scatter(x=x, y=_shown(rows["agents_on_queue"]), mode="lines",
                                 line_shape="hv", line={"color": colour},
                                 name=f"{label}: scheduled", legendgroup=label))
    fig.update_yaxes(rangemode="tozero")
    return _time_axis(_finish(fig, SCENARIO_CHART_TITLES[1], _x_title(result),
                              "agents on the queue"), result)


def _targets(result: ScenarioResult) -> dict[str, tuple[float, float]]:
    """Per channel: (service-level target 0-1, answer-within seconds)."""
    channels = result.channels
    if not {"channel", "service_level_target"} <= set(channels.columns):
        return {}
    within = (channels["answer_within_s"] if "answer_within_s" in channels.columns
              else pd.Series(np.nan, index=channels.index))
    return {str(c): (float(t), float(w))
            for c, t, w in zip(channels["channel"], channels["service_level_target"], within,
                               strict=True)}


def _interval_measure_figure(result: ScenarioResult, column: str, measure: str, title: str,
                             y_title: str, with_target: bool) -> go.Figure:
    fig = go.Figure()
    targets = _targets(result) if with_target else {}
    for k, channel in enumerate(_channel_order(result)):
        rows = _channel_intervals(result, channel)
        colour = COLOURS[k % len(COLOURS)]
        label = html.escape(channel)
        x = _local_times(rows["interval_start"])
        band = _band(x, rows[f"{column}_low"], rows[f"{column}_high"],
                     f"{label}: confidence interval", colour, label)
        if band is not None:
            fig.add_trace(band)
        fig.add_trace(go.Scatter(x=x, y=_shown(rows[column]), mode="lines+markers",
                                 marker={"size": 4}, line={"color": colour},
                                 name=f"{label}: {measure}", legendgroup=label))
        target, within_s = targets.get(channel, (math.nan, math.nan))
        known_x = [t for t in x if t is not None]
        if math.isfinite(target) and known_x:
            within = f" in {within_s:g} s" if math.isfinite(within_s) else ""
            fig.add_trace(go.Scatter(x=[known_x[0], known_x[-1]], y=[target, target],
                                     mode="lines", line={"color": colour, "dash": "dot"},
                                     name=f"{label}: target {_pct(target)}{within}",
                                     legendgroup=label))
    if with_target:
        fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    else:
        fig.update_yaxes(rangemode="tozero")
    return _time_axis(_finish(fig, title, _x_title(result), y_title), result)


def _heatmaps_figure(result: ScenarioResult) -> go.Figure:
    if not {"interval_start", "agents_required", "agents_on_queue"} <= set(
            result.intervals.columns) or result.intervals.empty:
        fig = go.Figure()
        fig.update_layout(title={"text": SCENARIO_CHART_TITLES[4] + ": no intervals"},
                          template="plotly_white", height=200)
        return fig
    fig = staffing_heatmaps(result.intervals)
    fig.update_layout(template="plotly_white")
    return fig


def _cost_breakdown_figure(result: ScenarioResult) -> go.Figure:
    """The cost split two ways (:func:`~scenarios.report.figures.breakdown_figure`): what it
    pays and what the paid time buys, each bar the whole cost."""
    breakdown = result.cost_breakdown
    if not {"group", "component", "amount", "share"} <= set(breakdown.columns):
        breakdown = pd.DataFrame(columns=["group", "component", "amount", "share"])
    fig = breakdown_figure(breakdown, _currency_of(result), result.label)
    fig.update_layout(title={"text": SCENARIO_CHART_TITLES[5] + ": each bar is the whole cost, "
                                     "split two ways"})
    return fig


def scenario_figures(result: ScenarioResult) -> list[go.Figure]:
    """The scenario report's six charts, titled :data:`SCENARIO_CHART_TITLES`, in page order."""
    return [
        _volumes_figure(result),
        _agents_figure(result),
        _interval_measure_figure(result, "service_level", "service level",
                                 SCENARIO_CHART_TITLES[2],
                                 "service level (% answered within target time)", True),
        _interval_measure_figure(result, "asa_s", "ASA", SCENARIO_CHART_TITLES[3], "ASA (s)",
                                 False),
        _heatmaps_figure(result),
        _cost_breakdown_figure(result),
    ]
