"""Self-contained plotly HTML charts for ``ccplan forecast`` and ``ccplan forecast backtest``.

The HTML embeds plotly.js (``include_plotlyjs=True``) so that it opens
offline. These functions only build the page text; the caller writes it
(``scenarios.files.output.write_text_atomic``).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._interval_figures import HISTORY_WEEKS
from ._style import COLOURS, rgba


def _pct(value: float | None) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{100 * value:.1f}%"


def pick_title(channel: str, info: dict | None) -> str:
    """Panel title: the channel, the method used and its backtest WAPE.

    Parameters
    ----------
    channel : str
        Channel name.
    info : dict or None
        ``forecast(...).methods[channel]``: ``method`` and
        ``backtest_wape`` (method to interval WAPE, 0-1; empty when the
        method was given rather than picked).

    Returns
    -------
    str
        E.g. ``"voice: weekly_average (backtest WAPE 12.3%)"``.
    """
    if not info:
        return str(channel)
    method = info.get("method", "?")
    wape = (info.get("backtest_wape") or {}).get(method)
    if wape is None:
        return f"{channel}: {method} (given by --method; not backtested)"
    return f"{channel}: {method} (backtest WAPE {_pct(wape)})"


def forecast_chart_html(history: pd.DataFrame, forecast: pd.DataFrame, methods: dict,
                        interval_s: float, title: str) -> str:
    """One panel per channel: the last weeks of history, the forecast and its prediction range.

    Parameters
    ----------
    history : pandas.DataFrame
        ``channel``, ``interval_start``, ``offered`` (actual contacts).
    forecast : pandas.DataFrame
        The ``forecast`` table: ``channel``, ``interval_start``, ``offered``,
        optional ``offered_lo`` and ``offered_hi`` (the prediction range).
    methods : dict
        ``Forecast.methods``: per channel, the method and its backtest WAPE.
    interval_s : float
        Interval length, seconds (used for the hover label only).
    title : str
        Page title.

    Returns
    -------
    str
        A complete HTML page with plotly.js inline.
    """
    channels = sorted(forecast["channel"].astype(str).unique())
    fig = make_subplots(rows=len(channels), cols=1, shared_xaxes=False,
                        subplot_titles=[pick_title(c, methods.get(c)) for c in channels],
                        vertical_spacing=min(0.08, 0.3 / max(len(channels), 1)))
    for row, name in enumerate(channels, start=1):
        past = history[history["channel"].astype(str) == name]
        if len(past):
            start = past["interval_start"].max() - pd.Timedelta(weeks=HISTORY_WEEKS)
            past = past[past["interval_start"] > start]
        ahead = forecast[forecast["channel"].astype(str) == name]
        first = row == 1
        if {"offered_lo", "offered_hi"} <= set(ahead.columns):
            fig.add_trace(go.Scatter(x=ahead["interval_start"], y=ahead["offered_hi"],
                                     mode="lines", line={"width": 0}, hoverinfo="skip",
                                     showlegend=False, legendgroup="range"), row=row, col=1)
            fig.add_trace(go.Scatter(x=ahead["interval_start"], y=ahead["offered_lo"],
                                     mode="lines", line={"width": 0}, fill="tonexty",
                                     fillcolor=rgba(COLOURS[1], 0.25), name="prediction range",
                                     legendgroup="range", showlegend=first), row=row, col=1)
        fig.add_trace(go.Scatter(x=past["interval_start"], y=past["offered"], mode="lines",
                                 line={"color": COLOURS[0], "width": 1}, name="actual",
                                 legendgroup="actual", showlegend=first), row=row, col=1)
        fig.add_trace(go.Scatter(x=ahead["interval_start"], y=ahead["offered"], mode="lines",
                                 line={"color": COLOURS[1], "width": 1.5}, name="forecast",
                                 legendgroup="forecast", showlegend=first), row=row, col=1)
        fig.update_yaxes(title_text=f"contacts per {interval_s / 60:g} min", rangemode="tozero",
                         row=row, col=1)
    fig.update_layout(title=title, height=max(420, 340 * len(channels)), hovermode="x unified",
                      template="plotly_white")
    return fig.to_html(full_html=True, include_plotlyjs=True)


def backtest_chart_html(by_day: pd.DataFrame, by_channel: pd.DataFrame, title: str) -> str:
    """WAPE by horizon day (one line per method) and WAPE by channel (bars per method).

    Parameters
    ----------
    by_day : pandas.DataFrame
        ``score_backtest(table, by=("method", "horizon_day"))``.
    by_channel : pandas.DataFrame
        ``score_backtest(table, by=("method", "channel"))``.
    title : str
        Page title.

    Returns
    -------
    str
        A complete HTML page with plotly.js inline.
    """
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.15,
                        subplot_titles=("Interval WAPE by horizon day (all channels pooled)",
                                        "Interval WAPE by channel"))
    methods = list(dict.fromkeys(list(by_day["method"]) + list(by_channel["method"])))
    for k, method in enumerate(methods):
        colour = COLOURS[k % len(COLOURS)]
        days = by_day[by_day["method"] == method].sort_values("horizon_day")
        fig.add_trace(go.Scatter(x=days["horizon_day"], y=days["wape"], mode="lines+markers",
                                 name=method, legendgroup=method, line={"color": colour}),
                      row=1, col=1)
        chans = by_channel[by_channel["method"] == method]
        fig.add_trace(go.Bar(x=chans["channel"].astype(str), y=chans["wape"], name=method,
                             legendgroup=method, showlegend=False, marker_color=colour),
                      row=2, col=1)
    fig.update_xaxes(title_text="horizon day (1 = first 24 h after the origin)", dtick=1,
                     row=1, col=1)
    fig.update_xaxes(title_text="channel", row=2, col=1)
    for row in (1, 2):
        fig.update_yaxes(title_text="WAPE", tickformat=".0%", rangemode="tozero", row=row, col=1)
    fig.update_layout(title=title, barmode="group", height=800, template="plotly_white")
    return fig.to_html(full_html=True, include_plotlyjs=True)
