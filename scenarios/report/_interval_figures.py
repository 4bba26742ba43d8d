"""Plotly figures (and small tables beside them) for the Forecast, Staffing and Simulation pages.

Reshaping only (STYLE.md section 11): every number drawn is a column of a
table the pipeline produced (``scenarios.pipeline.scenario_forecast`` or a
``ScenarioResult``). The figures pick rows, convert units for display
(fractions to percent, seconds to timestamps) and average the coverage gap
over the horizon's days for the heatmap; they compute no requirement,
service level or forecast.

The x axes show local clock time: ``interval_start`` is tz-aware in the
scenario's time zone, and is drawn as its wall-clock time in that zone.
Trace names are stable (the dashboard tests read them): see the ``TRACE_*``
constants.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from staffing.shifts import clock_seconds

from ..files.units import DAY_NAMES, format_clock
from ._style import COLOURS, local_times, rgba

#: Weeks of history drawn before the forecast.
HISTORY_WEEKS = 4

#: Chart height, px (fits a 900 px window with the page title and one control row).
HEIGHT = 430

TRACE_HISTORY = "history (actual)"
TRACE_FORECAST = "forecast"
TRACE_BAND = "80% prediction interval"
TRACE_DEMAND = "offered (scenario demand)"
TRACE_REQUIRED = "agents required"
TRACE_SCHEDULED = "agents on the queue"
TRACE_SIMULATED = "simulated (mean)"
TRACE_CI = "95% confidence interval"
TRACE_ERLANG = "Erlang (per interval)"
TRACE_TARGET = "target"

#: Simulation measures: column, chart title, y-axis label, display scale (fractions to %).
KPIS: dict[str, tuple[str, str, float]] = {
    "service_level": ("Service level", "service level (%)", 100.0),
    "asa_s": ("Average speed of answer", "ASA (s)", 1.0),
    "abandon_rate": ("Abandonment", "abandoned (% of offered)", 100.0),
    "mean_queue": ("Queue length", "mean contacts waiting", 1.0),
}

_BLUE, _ORANGE, _GREEN, _GREY = COLOURS[0], COLOURS[1], COLOURS[2], COLOURS[7]
_BAND_FILL = rgba(_BLUE, 0.18)


_DAY_MS = 86_400_000
#: Date ticks: clock time under the day when zoomed in below a day, the day alone above.
_TICK_STOPS = [
    {"dtickrange": [None, _DAY_MS - 1], "value": "%H:%M<br>%a %d %b"},
    {"dtickrange": [_DAY_MS, None], "value": "%a %d %b"},
]


def _layout(fig: go.Figure, title: str, y_title: str, x_title: str = "local time",
            height: int = HEIGHT, legend_rows: int = 1) -> go.Figure:
    """Title top left, legend along the bottom of the figure (below the x-axis title)."""
    bottom = 80 + 22 * legend_rows
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "yref": "container"},
        height=height, margin={"l": 70, "r": 20, "t": 50, "b": bottom},
        hovermode="x unified", plot_bgcolor="white",
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                "xanchor": "left", "x": 0.0},
    )
    fig.update_xaxes(title_text=x_title, tickformatstops=_TICK_STOPS, showgrid=True,
                     gridcolor="#eeeeee", linecolor="#999999")
    fig.update_yaxes(title_text=y_title, rangemode="tozero", gridcolor="#eeeeee",
                     zerolinecolor="#cccccc")
    return fig


def _lines(rows: pd.DataFrame, column: str, scale: float = 1.0) -> list[float]:
    return [float(v) * scale for v in rows[column].to_numpy(dtype=float)]


def _band(fig: go.Figure, x: pd.Series, low: list[float], high: list[float], name: str,
          interval_s: float | None = None, colour: str = _BAND_FILL) -> None:
    """A shaded band between ``low`` and ``high``.

    Drawn as one filled polygon per run of intervals where both edges are
    known (a gap, e.g. a closed interval, ends a polygon instead of being
    bridged). With ``interval_s`` each value holds for its whole interval
    (steps), as the by-interval lines are drawn; without, points are joined
    by straight lines. The edges are also drawn as invisible lines named
    ``"<name> (lower)"`` and ``"<name> (upper)"``, so hovering shows them.
    """
    times = list(pd.to_datetime(x))
    step = pd.Timedelta(seconds=interval_s) if interval_s else None
    poly_x: list[Any] = []
    poly_y: list[float | None] = []
    run: list[int] = []

    def close(run: list[int]) -> None:
        if not run:
            return
        top_x, top_y, bottom_x, bottom_y = [], [], [], []
        for i in run:
            edges = [times[i], times[i] + step] if step is not None else [times[i]]
            top_x += edges
            top_y += [high[i]] * len(edges)
            bottom_x += edges
            bottom_y += [low[i]] * len(edges)
        poly_x.extend(top_x + bottom_x[::-1] + [top_x[0], None])
        poly_y.extend(top_y + bottom_y[::-1] + [top_y[0], None])

    for i in range(len(times)):
        if math.isfinite(low[i]) and math.isfinite(high[i]):
            run.append(i)
        else:
            close(run)
            run = []
    close(run)
    fig.add_trace(go.Scatter(x=poly_x, y=poly_y, name=name, mode="lines", fill="toself",
                             fillcolor=colour, line={"width": 0}, hoverinfo="skip"))
    shape = "hv" if step is not None else "linear"
    for edge, values in (("lower", low), ("upper", high)):
        fig.add_trace(go.Scatter(x=x, y=values, name=f"{name} ({edge})", mode="lines",
                                 line={"width": 0, "shape": shape, "color": colour},
                                 showlegend=False))


# --------------------------------------------------------------------------------------------
# Forecast
# --------------------------------------------------------------------------------------------


def forecast_figure(history: pd.DataFrame, forecast: pd.DataFrame, channel: str,
                    interval_s: float) -> go.Figure:
    """The last weeks of a channel's history, its forecast and the 80% prediction interval.

    Parameters
    ----------
    history : pandas.DataFrame
        ``channel``, ``interval_start``, ``offered`` (contacts).
    forecast : pandas.DataFrame
        ``channel``, ``interval_start``, ``offered``, ``offered_lo``, ``offered_hi``
        (contacts) over the scenario's horizon.
    channel : str
        The channel drawn.
    interval_s : float
        Interval length, seconds (for the axis label).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    past = history[history["channel"].astype(str) == channel].sort_values("interval_start")
    ahead = forecast[forecast["channel"].astype(str) == channel].sort_values("interval_start")
    past_x = local_times(past["interval_start"])
    if len(past_x):
        keep = (past_x >= past_x.iloc[-1] - pd.Timedelta(weeks=HISTORY_WEEKS)).to_numpy()
        past, past_x = past[keep], past_x[keep].reset_index(drop=True)
    ahead_x = local_times(ahead["interval_start"])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=past_x, y=_lines(past, "offered"), name=TRACE_HISTORY,
                             mode="lines", line={"color": _GREY, "width": 1.2}))
    _band(fig, ahead_x, _lines(ahead, "offered_lo"), _lines(ahead, "offered_hi"), TRACE_BAND)
    fig.add_trace(go.Scatter(x=ahead_x, y=_lines(ahead, "offered"), name=TRACE_FORECAST,
                             mode="lines", line={"color": _BLUE, "width": 1.6}))
    minutes = f"{interval_s / 60:g}"
    return _layout(fig, f"{channel}: last {HISTORY_WEEKS} weeks of history and the forecast",
                   f"contacts offered per {minutes} min")


def demand_figure(intervals: pd.DataFrame, channel: str, interval_s: float) -> go.Figure:
    """The contacts the scenario plans for, per interval (``intervals.offered``).

    Parameters
    ----------
    intervals : pandas.DataFrame
        ``ScenarioResult.intervals`` (``channel``, ``interval_start``, ``offered``).
    channel : str
        The channel drawn.
    interval_s : float
        Interval length, seconds (for the axis label).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    rows = intervals[intervals["channel"].astype(str) == channel].sort_values("interval_start")
    fig = go.Figure(go.Scatter(x=local_times(rows["interval_start"]), y=_lines(rows, "offered"),
                               name=TRACE_DEMAND, mode="lines",
                               line={"color": _BLUE, "shape": "hv"}))
    fig.update_layout(showlegend=True)
    return _layout(fig, f"{channel}: contacts offered by interval (the demand the scenario uses)",
                   f"contacts offered per {interval_s / 60:g} min")


def backtest_table(info: Mapping[str, Any] | None) -> pd.DataFrame:
    """The backtest scores of one channel as a display table (WAPE in %, the pick flagged).

    Parameters
    ----------
    info : mapping or None
        One channel's method choice: ``method`` and ``backtest_wape`` (method
        to WAPE, 0-1).

    Returns
    -------
    pandas.DataFrame
        ``method``, ``backtest WAPE (%)``, ``picked``, best first. Empty when
        the file named the method (nothing was backtested).
    """
    info = info or {}
    picked = info.get("method")
    scores = dict(info.get("backtest_wape") or {})
    rows = [{"method": name,
             "backtest WAPE (%)": (round(100.0 * float(wape), 2)
                                   if wape is not None and math.isfinite(float(wape)) else None),
             "picked": name == picked}
            for name, wape in sorted(scores.items(), key=lambda kv: (kv[1] is None, kv[1]))]
    return pd.DataFrame(rows, columns=["method", "backtest WAPE (%)", "picked"])


# --------------------------------------------------------------------------------------------
# Staffing and schedule
# --------------------------------------------------------------------------------------------


def staffing_figure(intervals: pd.DataFrame, channel: str) -> go.Figure:
    """Agents required against agents on the queue (``agents_on_queue``), per interval.

    Parameters
    ----------
    intervals : pandas.DataFrame
        ``ScenarioResult.intervals`` (``channel``, ``interval_start``,
        ``agents_required``, ``agents_on_queue``).
    channel : str
        The channel drawn.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    rows = intervals[intervals["channel"].astype(str) == channel].sort_values("interval_start")
    x = local_times(rows["interval_start"])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=_lines(rows, "agents_required"), name=TRACE_REQUIRED,
                             mode="lines", line={"color": _ORANGE, "shape": "hv", "width": 2}))
    fig.add_trace(go.Scatter(x=x, y=_lines(rows, "agents_on_queue"), name=TRACE_SCHEDULED,
                             mode="lines",
                             line={"color": _BLUE, "shape": "hv", "width": 1.5, "dash": "dot"}))
    return _layout(fig, f"{channel}: agents required against agents on the queue",
                   "agents")


def _clock_texts(stamps: pd.Series) -> list[str]:
    """Each timestamp's local time of day as ``HH:MM`` (the files layer's one clock format)."""
    return [format_clock(s) for s in clock_seconds(stamps)]


def weekday_time_grid(stamps: pd.Series, values: Any) -> pd.DataFrame:
    """Mean of ``values`` per weekday (rows) and local time of day (columns).

    Averaged over the horizon's days with that weekday; rows are the
    weekdays present, in Monday-first order, columns ``HH:MM`` (local time of
    the interval start). The one grid of every weekday x time-of-day heatmap.
    """
    local = local_times(stamps)
    cells = pd.DataFrame({
        "weekday": [DAY_NAMES[d] for d in local.dt.day_of_week],
        "time": _clock_texts(local),
        "value": pd.Series(values, dtype=float).to_numpy(),
    })
    grid = cells.pivot_table(index="weekday", columns="time", values="value", aggfunc="mean")
    present = [d for d in DAY_NAMES if d in grid.index]
    return grid.reindex(index=present, columns=sorted(grid.columns))


def coverage_grid(intervals: pd.DataFrame, channel: str) -> pd.DataFrame:
    """Mean ``agents_on_queue - agents_required`` per weekday (rows) and time of day (columns)
    (:func:`weekday_time_grid`)."""
    rows = intervals[intervals["channel"].astype(str) == channel]
    return weekday_time_grid(rows["interval_start"],
                             rows["agents_on_queue"].to_numpy(dtype=float)
                             - rows["agents_required"].to_numpy(dtype=float))


def coverage_summary(intervals: pd.DataFrame, channel: str) -> str:
    """One line under the heatmap: the largest mean shortfall and surplus, and where.

    Parameters
    ----------
    intervals : pandas.DataFrame
        ``ScenarioResult.intervals`` (``channel``, ``interval_start``,
        ``agents_required``, ``agents_on_queue``).
    channel : str
        The channel drawn.

    Returns
    -------
    str
        A sentence for the caption.
    """
    cells = coverage_grid(intervals, channel).stack().dropna()
    if cells.empty:
        return "No intervals to show."
    if (cells == 0).all():
        return ("Scheduled equals required in every interval (white everywhere): interval "
                "staffing, or a schedule that matches the requirement exactly.")
    (low_day, low_time), (high_day, high_time) = cells.idxmin(), cells.idxmax()
    short = (f"largest mean shortfall {cells.min():+.1f} agents ({low_day} {low_time})"
             if cells.min() < 0 else "no shortfall")
    surplus = (f"largest mean surplus {cells.max():+.1f} agents ({high_day} {high_time})"
               if cells.max() > 0 else "no surplus")
    return f"Red: fewer agents than required; blue: more. {short.capitalize()}; {surplus}."


def coverage_heatmap(intervals: pd.DataFrame, channel: str) -> go.Figure:
    """Weekday by time of day: agents over (+) or under (-) the requirement, on average.

    Parameters
    ----------
    intervals : pandas.DataFrame
        ``ScenarioResult.intervals`` (``channel``, ``interval_start``,
        ``agents_required``, ``agents_on_queue``).
    channel : str
        The channel drawn.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    grid = coverage_grid(intervals, channel)
    values = grid.to_numpy(dtype=float)
    finite = values[~pd.isna(values)]
    reach = float(max(abs(finite.min()), abs(finite.max()), 1.0)) if finite.size else 1.0
    fig = go.Figure(go.Heatmap(
        z=[[None if pd.isna(v) else round(float(v), 2) for v in row] for row in values],
        x=list(grid.columns), y=list(grid.index), colorscale="RdBu", zmid=0.0,
        zmin=-reach, zmax=reach, xgap=1, ygap=1,
        colorbar={"title": {"text": "agents over (+) / under (-)", "side": "right"}},
        hovertemplate="%{y} %{x}: %{z:+.2f} agents<extra></extra>",
    ))
    fig.update_layout(
        title={"text": f"{channel}: over- and under-coverage by weekday and time of day "
                       "(mean over the horizon's days)", "x": 0.0, "xanchor": "left"},
        height=max(260, 60 + 38 * len(grid.index) + 110),
        margin={"l": 60, "r": 20, "t": 60, "b": 70},
    )
    step = max(1, len(grid.columns) // 24)
    fig.update_xaxes(title_text="time of day (local, interval start)", tickangle=-45,
                     tickmode="array", tickvals=list(grid.columns)[::step])
    fig.update_yaxes(title_text="weekday", autorange="reversed")
    return fig


#: The three panels of :func:`staffing_heatmaps`: title, colour scale.
STAFFING_PANELS = (("agents required", "Oranges"), ("agents on the queue (scheduled)", "Blues"),
                   ("agents short (required - scheduled, where positive)", "Reds"))


def staffing_heatmaps(intervals: pd.DataFrame) -> go.Figure:
    """Weekday by time of day, all channels together: agents required, scheduled and short.

    Each interval's ``agents_required`` and ``agents_on_queue`` are summed over
    the channels; short is ``max(required - on queue, 0)`` per interval. Each
    cell is the mean over the horizon's days with that weekday
    (:func:`weekday_time_grid`). Required and scheduled share one colour range,
    so the same shade is the same number of agents in both.

    Parameters
    ----------
    intervals : pandas.DataFrame
        ``ScenarioResult.intervals`` (``channel``, ``interval_start``,
        ``agents_required``, ``agents_on_queue``).

    Returns
    -------
    plotly.graph_objects.Figure
        Three heatmaps stacked, sharing the time-of-day axis.
    """
    summed = (intervals.assign(_required=intervals["agents_required"].astype(float),
                               _scheduled=intervals["agents_on_queue"].astype(float))
              .groupby("interval_start", sort=True)[["_required", "_scheduled"]].sum()
              .reset_index())
    short = (summed["_required"] - summed["_scheduled"]).clip(lower=0.0)
    grids = [weekday_time_grid(summed["interval_start"], summed[column])
             for column in ("_required", "_scheduled")]
    grids.append(weekday_time_grid(summed["interval_start"], short))
    n_days = max(1, len(grids[0].index))
    titles = [title for title, _scale in STAFFING_PANELS]
    if not (short > 0).any():
        titles[2] += ": none, every interval has its agents"
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                        subplot_titles=titles)
    top = max([float(g.max().max()) for g in grids[:2] if g.size] + [1.0])
    panel_height = 1.0 / 3
    for k, (grid, (title, scale)) in enumerate(zip(grids, STAFFING_PANELS, strict=True)):
        values = grid.to_numpy(dtype=float)
        finite = values[~pd.isna(values)]
        high = top if k < 2 else float(max(finite.max() if finite.size else 0.0, 1.0))
        fig.add_trace(go.Heatmap(
            z=[[None if pd.isna(v) else round(float(v), 2) for v in row] for row in values],
            x=list(grid.columns), y=list(grid.index), colorscale=scale, zmin=0.0, zmax=high,
            xgap=1, ygap=1, name=title,
            colorbar={"title": {"text": "agents", "side": "right"}, "len": panel_height * 0.8,
                      "y": 1.0 - panel_height * (k + 0.5), "yanchor": "middle",
                      "thickness": 14},
            hovertemplate="%{y} %{x}: %{z:.1f} agents " + title.split(" (")[0]
                          + "<extra></extra>"), row=k + 1, col=1)
    step = max(1, len(grids[0].columns) // 24)
    fig.update_xaxes(tickangle=-45, tickmode="array", tickvals=list(grids[0].columns)[::step])
    fig.update_xaxes(title_text="time of day (local, interval start)", row=3, col=1)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        title={"text": "Agents by weekday and time of day, all channels<br><sup>mean over "
                       "the horizon's days of that weekday</sup>", "x": 0.0, "xanchor": "left",
               "xref": "paper"},
        height=3 * (22 * n_days + 70) + 150, margin={"l": 60, "r": 20, "t": 80, "b": 70},
        plot_bgcolor="white")
    return fig


def shift_rows(shifts: pd.DataFrame) -> pd.DataFrame:
    """The shifts as timeline bars: local start and end, a row per template and start time."""
    start = local_times(shifts["shift_start"])
    end = start + pd.to_timedelta(shifts["duration_s"].to_numpy(dtype=float), unit="s")
    out = pd.DataFrame({
        "template": shifts["template"].astype(str).to_numpy(),
        "start": start, "end": end,
        "headcount": shifts["headcount"].to_numpy(dtype=int),
        "hours": shifts["duration_s"].to_numpy(dtype=float) / 3600.0,
    })
    out["row"] = out["template"] + " " + _clock_texts(out["start"])
    if "channel" in shifts and shifts["channel"].nunique() > 1:     # several agent groups
        out["row"] = shifts["channel"].astype(str).to_numpy() + ": " + out["row"]
    return out.sort_values(["template", "start"]).reset_index(drop=True)


def shifts_timeline(shifts: pd.DataFrame, title: str) -> go.Figure:
    """The schedule's shifts as a timeline, one row per template and start time.

    Each bar is labelled by its headcount (agents starting that shift).

    Parameters
    ----------
    shifts : pandas.DataFrame
        ``ScenarioResult.shifts``: ``template``, ``shift_start``, ``duration_s``
        (s), ``headcount``, optional ``channel`` (agent group).
    title : str
        Chart title.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    bars = shift_rows(shifts)
    order = sorted(bars["row"].unique(), key=lambda r: (r.rsplit(" ", 1)[1], r))
    fig = px.timeline(bars, x_start="start", x_end="end", y="row", color="template",
                      text="headcount",
                      hover_data={"headcount": True, "hours": ":.1f", "row": False},
                      category_orders={"row": order},
                      color_discrete_sequence=COLOURS[:5])
    fig.update_traces(textposition="inside", insidetextanchor="middle", textangle=0,
                      textfont={"size": 11}, marker_line={"width": 0.5, "color": "white"})
    height = max(320, 22 * len(order) + 190)
    _layout(fig, title, "shift (template, start time)", height=height)
    # Earliest start time at the top, as a roster reads.
    fig.update_yaxes(autorange=True, rangemode="normal", tickfont={"size": 11},
                     categoryorder="array", categoryarray=order[::-1])
    fig.update_layout(hovermode="closest", legend_title_text="template",
                      uniformtext={"minsize": 8, "mode": "hide"})
    return fig


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------


def kpi_figure(intervals: pd.DataFrame, channel: str, kpi: str, simulated: bool,
               interval_s: float, target: float | None = None) -> go.Figure:
    """One measure by interval: the simulated mean with its confidence band, and Erlang beside it.

    Parameters
    ----------
    intervals : pandas.DataFrame
        ``ScenarioResult.intervals``.
    channel : str
        The channel drawn.
    kpi : str
        One of :data:`KPIS` (``mean_queue`` has no analytic column and no band).
    simulated : bool
        Whether the scenario simulated; without, the ``kpi`` column holds the
        analytic value and only the Erlang line is drawn.
    interval_s : float
        Interval length, seconds (the band holds each value for its interval).
    target : float, optional
        The channel's target for this measure (0-1 for service level), drawn
        as a flat line.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    title, y_title, scale = KPIS[kpi]
    rows = intervals[intervals["channel"].astype(str) == channel].sort_values("interval_start")
    x = local_times(rows["interval_start"])
    fig = go.Figure()
    if simulated:
        if f"{kpi}_low" in rows:
            _band(fig, x, _lines(rows, f"{kpi}_low", scale), _lines(rows, f"{kpi}_high", scale),
                  TRACE_CI, interval_s=interval_s)
        fig.add_trace(go.Scatter(x=x, y=_lines(rows, kpi, scale), name=TRACE_SIMULATED,
                                 mode="lines", line={"color": _BLUE, "shape": "hv",
                                                     "width": 1.6}))
    if f"{kpi}_erlang" in rows:
        fig.add_trace(go.Scatter(x=x, y=_lines(rows, f"{kpi}_erlang", scale), name=TRACE_ERLANG,
                                 mode="lines", line={"color": _ORANGE, "shape": "hv",
                                                     "width": 1.4, "dash": "dash"}))
    if target is not None and len(x):
        fig.add_trace(go.Scatter(x=[x.iloc[0], x.iloc[-1]], y=[target * scale] * 2,
                                 name=TRACE_TARGET, mode="lines", hoverinfo="skip",
                                 line={"color": _GREEN, "width": 1, "dash": "dot"}))
    fig.update_layout(showlegend=True)
    _layout(fig, f"{channel}: {title.lower()} by interval", y_title, height=400,
            legend_rows=2)
    # Symmetric t-intervals of a few replications can reach below 0 (or above 100%): the
    # axis stops at the measure's possible range (hovering shows the interval as computed).
    if kpi == "service_level":
        fig.update_yaxes(range=[0, 105])
    else:
        fig.update_yaxes(autorangeoptions={"minallowed": 0})
    return fig
