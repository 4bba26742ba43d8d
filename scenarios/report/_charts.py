"""The pages of ``ccplan forecast`` (forecast.html) and ``ccplan forecast backtest``
(backtest.html).

Each page leads with its answer (the method used per channel and its backtest error; the
winning method per channel), then the charts at a readable scale. Pages are built with
:mod:`._page` (plotly.js inline once, fixed div ids, every text from results escaped), so
the same input gives byte-identical text. Nothing here forecasts: the interval and daily
forecasts come from :mod:`forecasting` (``Forecast.table`` and ``daily_totals``).
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._page import _pct, _table_html, figure_html, page_html
from ._style import COLOURS, escaped, local_times, numbers, rgba

#: Weeks of history before the forecast: intervals (readable hours) and daily totals.
INTERVAL_HISTORY_WEEKS = 2
DAILY_HISTORY_WEEKS = 4
_DAY_BUTTONS = [{"count": 1, "label": "1 day", "step": "day", "stepmode": "backward"},
                {"count": 3, "label": "3 days", "step": "day", "stepmode": "backward"},
                {"count": 7, "label": "1 week", "step": "day", "stepmode": "backward"},
                {"step": "all", "label": "all"}]


#: Said where auto had no backtest to race on (``forecasting.forecast``: under 4 weeks).
_NO_RACE = "no backtest: the history is too short (auto needs 4 weeks and more)"


def _contacts(value: float) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:,.0f}"


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
    if not math.isfinite(wape):
        return f"{channel}: {method} ({_NO_RACE})"
    return f"{channel}: {method} (backtest WAPE {_pct(wape)})"


def _methods_table(channels: list[str], methods: dict, daily: pd.DataFrame) -> str:
    """Per channel: the method used, its backtest WAPE, every candidate's, the horizon's total."""
    candidates = list(dict.fromkeys(m for c in channels
                                    for m in (methods.get(c) or {}).get("backtest_wape") or {}))
    header = ["channel", "method used", "its backtest WAPE"] + \
        [f"WAPE {m}" for m in candidates] + ["expected contacts, horizon"]
    rows = []
    for name in channels:
        info = methods.get(name) or {}
        scores = info.get("backtest_wape") or {}
        used = str(info.get("method", "?"))
        if used not in scores:
            own = "not backtested (given by --method)"
        elif not any(math.isfinite(v) for v in scores.values()):
            own = _NO_RACE
        else:
            own = _pct(scores[used])
        cells = [f"{_pct(scores[m])} (picked)" if m == used else
                 _pct(scores[m]) if m in scores else "-" for m in candidates]
        total = float(daily.loc[daily["channel"].astype(str) == name, "offered"].sum())
        rows.append([name, used, own, *cells, f"{_contacts(total)} contacts"])
    return _table_html(header, rows, [False, False, True] + [True] * len(candidates) + [True])


def _actual_days(past: pd.DataFrame, interval_s: float) -> pd.DataFrame:
    """Actual contacts per calendar day: a day with a missing or absent interval is unknown
    (NaN), never a partial sum."""
    per_day = int(round(86400 / interval_s))
    day = local_times(past["interval_start"]).dt.normalize()
    offered = past["offered"].to_numpy(dtype=float)
    grouped = pd.DataFrame({"day": day, "offered": offered}).groupby("day")["offered"]
    totals = grouped.sum(min_count=1)
    complete = (grouped.count() == per_day) & (grouped.size() == per_day)
    return pd.DataFrame({"date": totals.index, "offered": totals.where(complete).to_numpy()})


def _interval_figure(name: str, past: pd.DataFrame, ahead: pd.DataFrame, interval_s: float,
                     level: float) -> go.Figure:
    """The last weeks of history and the forecast with its interval range, a day selector and
    a range slider; the first view is the last 3 days of history and the first week ahead."""
    fig = go.Figure()
    x_ahead = local_times(ahead["interval_start"])
    fig.add_trace(go.Scatter(x=x_ahead, y=numbers(ahead["offered_hi"]), mode="lines",
                             line={"width": 0}, hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(x=x_ahead, y=numbers(ahead["offered_lo"]), mode="lines",
                             line={"width": 0}, fill="tonexty",
                             fillcolor=rgba(COLOURS[1], 0.25),
                             name=f"{level:g}% interval (per interval)", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=local_times(past["interval_start"]), y=numbers(past["offered"]),
                             mode="lines", line={"color": COLOURS[0], "width": 1.2},
                             name="actual"))
    fig.add_trace(go.Scatter(x=x_ahead, y=numbers(ahead["offered"]), mode="lines",
                             line={"color": COLOURS[1], "width": 2}, name="forecast"))
    start = x_ahead.iloc[0]
    end = min(x_ahead.iloc[-1], start + pd.Timedelta(days=7)) + pd.Timedelta(seconds=interval_s)
    fig.update_xaxes(range=[start - pd.Timedelta(days=3), end],
                     rangeselector={"buttons": _DAY_BUTTONS, "y": 1.02, "x": 0},
                     rangeslider={"visible": True, "thickness": 0.08}, type="date")
    fig.add_vline(x=start, line={"color": "#888", "dash": "dot", "width": 1})
    fig.update_yaxes(title_text=f"contacts per {interval_s / 60:g} min", rangemode="tozero")
    fig.update_layout(title={"text": f"{escaped([name])[0]}: contacts per interval, last "
                                     f"{INTERVAL_HISTORY_WEEKS} weeks and the forecast",
                             "y": 0.97},
                      height=480, hovermode="x unified", template="plotly_white",
                      margin={"t": 100, "l": 70, "r": 30, "b": 40},
                      legend={"orientation": "h", "y": 1.13, "x": 1, "xanchor": "right"})
    return fig


def _cut_by_horizon(days: pd.DataFrame, per_day: int) -> list[bool]:
    """Days the horizon cuts: the first or last forecast day with fewer intervals than a day
    (a daylight-saving day inside the horizon is a whole day of its own length)."""
    last = len(days) - 1
    return [bool(n < per_day and k in (0, last)) for k, n in enumerate(days["n_intervals"])]


def _daily_figure(name: str, past_days: pd.DataFrame, days: pd.DataFrame, level: float,
                  per_day: int) -> go.Figure:
    """Daily totals: actual days as bars, forecast days as bars with their daily interval (a
    day the horizon cuts is hatched: its bar holds only the forecast's part of it)."""
    cut_days = _cut_by_horizon(days, per_day)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=past_days["date"], y=numbers(past_days["offered"]), name="actual",
                         marker_color=COLOURS[0],
                         hovertemplate="%{x|%a %d %b}: %{y:,.0f} contacts<extra>actual</extra>"))
    x = local_times(days["date"])
    offered = days["offered"].to_numpy(dtype=float)
    fig.add_trace(go.Bar(
        x=x, y=numbers(offered), name=f"forecast ({level:g}% interval of the day)",
        marker={"color": rgba(COLOURS[1], 0.85),
                "pattern": {"shape": ["/" if cut else "" for cut in cut_days]}},
        error_y={"type": "data", "symmetric": False, "color": "#444", "thickness": 1.5,
                 "array": numbers(days["offered_hi"].to_numpy(dtype=float) - offered),
                 "arrayminus": numbers(offered - days["offered_lo"].to_numpy(dtype=float))},
        customdata=[[float(lo), float(hi), f" ({n} of {per_day} intervals)" if cut else ""]
                    for lo, hi, n, cut in zip(days["offered_lo"], days["offered_hi"],
                                              days["n_intervals"], cut_days, strict=True)],
        hovertemplate="%{x|%a %d %b}%{customdata[2]}: %{y:,.0f} contacts "
                      "[%{customdata[0]:,.0f}, %{customdata[1]:,.0f}]<extra>forecast</extra>"))
    # One tick a week, on Mondays (daily ticks collide at 1000 px); hover names every day.
    first = min([d for d in (past_days["date"].min(), x.min()) if pd.notna(d)])
    fig.update_xaxes(dtick=7 * 86400000, tick0=(first - pd.Timedelta(days=first.day_of_week)),
                     tickformat="%a %d %b %Y",
                     range=[first - pd.Timedelta(hours=14), x.max() + pd.Timedelta(hours=14)])
    fig.update_yaxes(title_text="contacts per day", rangemode="tozero", tickformat=",")
    fig.update_layout(title=f"{escaped([name])[0]}: contacts per day, last "
                            f"{DAILY_HISTORY_WEEKS} weeks and the forecast",
                      height=380, template="plotly_white", bargap=0.15,
                      margin={"t": 80, "l": 70, "r": 30, "b": 50},
                      legend={"orientation": "h", "y": 1.08, "x": 1, "xanchor": "right"})
    return fig


def _days_table(days: pd.DataFrame, per_day: int, level: float) -> str:
    rows = []
    for row, cut in zip(days.itertuples(index=False), _cut_by_horizon(days, per_day),
                        strict=True):
        note = f"{row.n_intervals} of {per_day} intervals" if cut else ""
        rows.append([f"{pd.Timestamp(row.date):%a %d %b %Y}", f"{_contacts(row.offered)}",
                     f"{_contacts(row.offered_lo)} to {_contacts(row.offered_hi)}",
                     f"{_pct(row.day_sd)}", note])
    return _table_html(["day", "expected contacts", f"{level:g}% interval of the day",
                        "day level's sd", "part of the day"], rows,
                       [False, True, True, True, False])


def forecast_chart_html(history: pd.DataFrame, forecast: pd.DataFrame, methods: dict,
                        interval_s: float, title: str, *, daily: pd.DataFrame,
                        level: float) -> str:
    """The forecast page: the method per channel with its backtest error first, then per
    channel the intervals (last weeks and forecast, with a day selector) and the daily totals
    with their interval, as a chart and a table.

    Parameters
    ----------
    history : pandas.DataFrame
        ``channel``, ``interval_start``, ``offered`` (actual contacts; NaN = missing).
    forecast : pandas.DataFrame
        The ``forecast`` table: ``channel``, ``interval_start``, ``offered``,
        ``offered_lo``, ``offered_hi`` (contacts).
    methods : dict
        ``Forecast.methods``: per channel, the method and its backtest WAPE (0-1).
    interval_s : float
        Interval length, seconds.
    title : str
        Page title (escaped here).
    daily : pandas.DataFrame
        ``forecasting.daily_totals(forecast, level=level)``: per channel and
        day, ``date``, ``n_intervals``, ``offered``, ``offered_lo``,
        ``offered_hi`` (contacts), ``day_sd`` (fraction).
    level : float
        Level of the prediction intervals, percent.

    Returns
    -------
    str
        A complete HTML page with plotly.js inline once.
    """
    channels = sorted(forecast["channel"].astype(str).unique())
    per_day = int(round(86400 / interval_s))
    body = [f"<h1>{html.escape(title)}</h1>",
            '<p class="note">Per channel, the method forecasts each interval; "auto" races '
            "the candidates on the last weeks of the history (interval WAPE: the sum of "
            "absolute errors over the sum of actual contacts, lower is better) and uses the "
            "best.</p>",
            "<h2>Method used per channel and its backtest error</h2>",
            _methods_table(channels, methods, daily)]
    for k, name in enumerate(channels):
        past = history[history["channel"].astype(str) == name]
        ahead = forecast[forecast["channel"].astype(str) == name]
        days = daily[daily["channel"].astype(str) == name]
        end = past["interval_start"].max() if len(past) else None
        recent = past if end is None else \
            past[past["interval_start"] > end - pd.Timedelta(weeks=INTERVAL_HISTORY_WEEKS)]
        past_days = _actual_days(past, interval_s)
        if len(past_days):
            past_days = past_days[past_days["date"] > past_days["date"].max()
                                  - pd.Timedelta(weeks=DAILY_HISTORY_WEEKS)]
        body += [f"<h2>{html.escape(pick_title(name, methods.get(name)))}</h2>",
                 figure_html(_interval_figure(name, recent, ahead, interval_s, level),
                             f"forecast-{k}-intervals"),
                 figure_html(_daily_figure(name, past_days, days, level, per_day),
                             f"forecast-{k}-days"),
                 f"<h3>{html.escape(name)}: forecast per day</h3>",
                 _days_table(days, per_day, level)]
    body.append(
        f'<p class="note">How the interval of a day is obtained: not by adding up the '
        f"intervals' bounds (an interval's bounds are not all reached on the same day). "
        f"forecasting.daily_totals fits, per day, the model the simulator's sample paths use: "
        f"each interval's count is Poisson around the forecast times one level shared by the "
        f"whole day, whose standard deviation (the tables' day level's sd, a share of the "
        f"day's expected contacts) is fitted to the intervals' {level:g}% ranges. The day's "
        f"total is then negative binomial (Poisson when that deviation is 0), and its "
        f"{level:g}% interval is that law's central quantiles, in whole contacts.</p>")
    return page_html(title, body)


def _winners_table(by_channel: pd.DataFrame) -> str:
    """Per channel: the method with the lowest interval WAPE, its scores and the runner-up."""
    rows = []
    for name, part in by_channel.groupby(by_channel["channel"].astype(str), sort=True):
        ranked = part[np.isfinite(part["wape"].to_numpy(dtype=float))].sort_values(
            "wape", kind="stable")
        if ranked.empty:
            rows.append([name, "none could run", "n/a", "n/a", "n/a", "n/a", "-"])
            continue
        best = ranked.iloc[0]
        second = ranked.iloc[1] if len(ranked) > 1 else None
        runner = "-" if second is None else f"{second['method']} ({_pct(second['wape'])})"
        rows.append([name, str(best["method"]), _pct(best["wape"]), _pct(best["daily_wape"]),
                     _pct(best["bias"]), _pct(best["coverage"]), runner])
    return _table_html(["channel", "best method", "interval WAPE", "daily WAPE", "bias",
                        "interval coverage", "runner-up (interval WAPE)"], rows,
                       [False, False, True, True, True, True, False])


def _scores_table(by_channel: pd.DataFrame) -> str:
    rows = [[str(r.channel), str(r.method), f"{int(r.n):,}", _pct(r.wape), _pct(r.daily_wape),
             _pct(r.bias), "n/a" if not math.isfinite(r.mase) else f"{r.mase:.2f}",
             _pct(r.coverage)] for r in by_channel.itertuples(index=False)]
    return _table_html(["channel", "method", "intervals scored", "interval WAPE", "daily WAPE",
                        "bias", "MASE", "interval coverage"], rows,
                       [False, False, True, True, True, True, True, True])


def backtest_chart_html(by_day: pd.DataFrame, by_channel: pd.DataFrame, title: str) -> str:
    """The backtest page: the best method per channel first, every score, then WAPE by
    horizon day (one line per method) and by channel (bars per method).

    Parameters
    ----------
    by_day : pandas.DataFrame
        ``score_backtest(table, by=("method", "horizon_day"))``.
    by_channel : pandas.DataFrame
        ``score_backtest(table, by=("method", "channel"))``.
    title : str
        Page title (escaped here).

    Returns
    -------
    str
        A complete HTML page with plotly.js inline once.
    """
    methods = list(dict.fromkeys(list(by_day["method"]) + list(by_channel["method"])))
    days = go.Figure()
    bars = go.Figure()
    for k, method in enumerate(methods):
        colour = COLOURS[k % len(COLOURS)]
        label = escaped([method])[0]
        part = by_day[by_day["method"] == method].sort_values("horizon_day")
        days.add_trace(go.Scatter(x=part["horizon_day"], y=numbers(part["wape"]),
                                  mode="lines+markers", name=label, line={"color": colour},
                                  hovertemplate="day %{x}: %{y:.1%}<extra>" + label +
                                  "</extra>"))
        chans = by_channel[by_channel["method"] == method]
        bars.add_trace(go.Bar(x=escaped(chans["channel"]), y=numbers(chans["wape"]),
                              name=label, marker_color=colour,
                              text=[_pct(v) for v in chans["wape"]], textposition="outside",
                              hovertemplate="%{x}: %{y:.1%}<extra>" + label + "</extra>"))
    days.update_xaxes(title_text="horizon day (1 = the first 24 h after the origin)", dtick=1)
    bars.update_xaxes(title_text="channel")
    for fig, name, height in ((days, "Interval WAPE by horizon day (channels pooled)", 420),
                              (bars, "Interval WAPE by channel", 380)):
        fig.update_yaxes(title_text="interval WAPE", tickformat=".0%", rangemode="tozero")
        fig.update_layout(title=name, height=height, template="plotly_white",
                          barmode="group", margin={"t": 90, "l": 70, "r": 30, "b": 50},
                          legend={"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"})
    body = [f"<h1>{html.escape(title)}</h1>",
            "<h2>Best method per channel</h2>",
            _winners_table(by_channel),
            '<p class="note">Interval WAPE: the sum of absolute errors over the sum of actual '
            "contacts, per interval (lower is better); daily WAPE the same on daily totals. "
            "Bias: the forecast's excess over the actuals, in % of the actuals (> 0: "
            "over-forecast). Interval coverage: the share of actual intervals inside the "
            "prediction interval (near its level is right). MASE < 1 beats the in-sample "
            "seasonal naive.</p>",
            figure_html(days, "backtest-by-horizon-day"),
            figure_html(bars, "backtest-by-channel"),
            "<h2>Every method and channel</h2>",
            _scores_table(by_channel)]
    return page_html(title, body)
