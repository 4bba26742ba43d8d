"""Money figures: cost against service level (the one frontier chart of the comparison report
and the dashboard's Compare page), cost per contact, the cost breakdown and the budget
(the Finance page). Reshaping for charts only: no maths.

Every figure has a title, axis titles with units (money in the scenario's
currency, service level in % of contacts answered within the target time)
and a legend under the plot, so that a 1400 x 900 window shows it whole.
Scenario names are user text: they are HTML-escaped before plotly draws them
(plotly reads ``<b>``, ``<a href>`` and the like in text and hover labels).
Each point's label is drawn where its box misses the markers, the frontier line
and the other labels (``_label_places``); one with no free place is left to the
hover text, which names every point.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from ._label_places import along, label_positions, to_pixels
from ._labels import axis_labels
from ._style import COLOURS, escaped, numbers

#: Above this many points the frontier chart draws the table's row numbers, when it has them.
MAX_POINT_LABELS = 6
#: The frontier chart's plot area, px, at the narrowest the reports draw it (a 1000 px page):
#: its labels are placed so that their boxes miss each other there.
REPORT_PLOT_PX = (700.0, 330.0)
CHART_HEIGHT_PX = 470
#: Title of the cost against service level chart (the frontier).
COMPARISON_CHART_TITLE = "Cost against service level"

_LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0.0}


def _finish(fig: go.Figure, title: str, x_title: str, y_title: str,
            height: int = CHART_HEIGHT_PX) -> go.Figure:
    fig.update_layout(title={"text": html.escape(title)}, xaxis_title={"text": x_title},
                      yaxis_title={"text": y_title}, showlegend=True, legend=_LEGEND_BELOW,
                      template="plotly_white", height=height,
                      margin={"l": 70, "r": 30, "t": 60, "b": 40},
                      hoverlabel={"namelength": -1})
    return fig


#: The frontier's cost basis (scenarios.comparison_table's ``frontier_basis``) in words.
_BASIS_WORDS = {"cost": "total cost", "cost_per_handled": "cost per handled contact"}
_BASIS_AXIS = {"cost": "cost over the horizon ({currency})",
               "cost_per_handled": "cost per handled contact ({currency}; volumes differ)"}


def frontier_figure(points: pd.DataFrame, currency: str,
                    title: str = COMPARISON_CHART_TITLE, *,
                    plot_px: tuple[float, float] = REPORT_PLOT_PX) -> go.Figure:
    """Cost against service level, one colour per scenario file, the efficient frontier dashed.

    The one frontier chart: the comparison report (``ccplan run``, ``ccplan
    compare``) and the dashboard's Compare page both draw it.

    Parameters
    ----------
    points : pandas.DataFrame
        One row per scenario of ONE comparison group (one currency, one
        horizon length): ``scenario`` (name shown in the hover), optional
        ``label`` (the text beside the point, from :func:`scenario_label`;
        default the name), optional ``number`` (the point's row in a table
        shown with the chart: the text beside the point when there are more
        than :data:`MAX_POINT_LABELS` places, which names would crowd),
        optional
        ``file`` (label of its file: one colour
        and legend entry per file; without, the legend reads "efficient" and
        "not efficient"), ``cost`` (currency over the horizon), ``service_level`` (0-1),
        and from :func:`scenarios.comparison_table` ``frontier_basis``,
        ``frontier_cost`` (the cost the frontier judges on: the total, or the
        cost per handled contact when the volumes differ) and
        ``is_efficient`` (bool). The x axis is ``frontier_cost`` and its title
        names the basis (without those two columns: ``cost``, total cost).
        Rows whose cost or service level is NaN are not drawn.
    currency : str
        Currency of ``cost`` (axis title).
    title : str, optional
        Chart title.
    plot_px : tuple of (float, float), optional
        Width and height in pixels of the plot area the labels are placed
        for (the narrowest the chart is drawn at; default: the reports').
        A label whose box would touch a marker, the frontier line or another
        label there is not drawn; the hover names every point.

    Returns
    -------
    plotly.graph_objects.Figure
        Filled markers are on the frontier, open ones are not; the dashed
        line joins the frontier's points in order of cost.
    """
    has_basis = "frontier_basis" in points.columns and len(points) > 0
    bases = list(dict.fromkeys(points["frontier_basis"].astype(str))) if has_basis else ["cost"]
    if len(bases) > 1:
        raise ValueError(f"frontier_figure(): the points mix frontier bases {bases}; draw one "
                         "comparison group (one currency and horizon) per chart.")
    basis = bases[0]
    if has_basis:
        points = points.assign(cost=points["frontier_cost"])
    finite = points["cost"].map(lambda v: math.isfinite(float(v))) & points[
        "service_level"].map(lambda v: math.isfinite(float(v)))
    plotted = points[finite].reset_index(drop=True)
    labels = plotted["label"] if "label" in plotted.columns else plotted["scenario"]
    fig = go.Figure()
    # Points at the same place (e.g. a variant that changes nothing in a quick run) share one
    # label, "name (+1)", drawn once; the hover of each lists them all.
    spot = [(round(float(c), 2), round(float(sl), 6))
            for c, sl in zip(plotted["cost"], plotted["service_level"], strict=True)]
    names_at: dict[tuple[float, float], list[str]] = {}
    for where, name in zip(spot, plotted["scenario"], strict=True):
        names_at.setdefault(where, []).append(str(name))
    if len(names_at) > MAX_POINT_LABELS and "number" in plotted.columns:
        # Many points and a table beside the chart: its row numbers, short enough to fit.
        labels = plotted["number"].astype(str)
    text, hover, seen = [], [], set()
    for where, first in zip(spot, labels, strict=True):
        others = len(names_at[where]) - 1
        text.append("" if where in seen else str(first) + (f" (+{others})" if others else ""))
        hover.append("<br>".join(escaped(names_at[where])))
        seen.add(where)
    frontier = plotted[plotted["is_efficient"].astype(bool)].sort_values(
        ["cost", "service_level"], kind="stable")
    has_line = len({spot[i] for i in frontier.index}) > 1
    placed: list[str | None] = [None] * len(plotted)
    if len(plotted):
        # Explicit ranges with room for the labels: plotly's own range around a single
        # place (all points alike) is meaningless (e.g. 0-150 %).
        x_range = _padded(plotted["cost"], 0.08, 0.02)
        y_range = _padded(plotted["service_level"], 0.12, 0.0, minimum=0.005)
        fig.update_xaxes(range=x_range)
        fig.update_yaxes(range=y_range)
        line = (along(to_pixels(frontier["cost"], frontier["service_level"], x_range, y_range,
                                plot_px)) if has_line else [])
        placed = label_positions(to_pixels(plotted["cost"], plotted["service_level"], x_range,
                                           y_range, plot_px), text, plot_px, line)
    plotted = plotted.assign(
        _text=[html.escape(s) if where else "" for s, where in zip(text, placed, strict=True)],
        _hover=hover, _position=[where or "top center" for where in placed])
    if has_line:
        fig.add_trace(go.Scatter(x=numbers(frontier["cost"]),
                                 y=numbers(frontier["service_level"]), mode="lines",
                                 line={"color": "#444444", "dash": "dash", "width": 1.5},
                                 name="efficient frontier", hoverinfo="skip"))
    has_files = "file" in plotted.columns
    files = list(dict.fromkeys(plotted["file"])) if has_files else [""]
    for k, file in enumerate(files):
        colour = COLOURS[k % len(COLOURS)]
        for is_efficient in (True, False):
            rows = plotted[(plotted["file"] == file if has_files else True)
                           & (plotted["is_efficient"].astype(bool) == is_efficient)]
            if len(rows) == 0:
                continue
            fig.add_trace(go.Scatter(
                x=numbers(rows["cost"]), y=numbers(rows["service_level"]),
                mode="markers+text", text=list(rows["_text"]),
                textposition=list(rows["_position"]),
                cliponaxis=False,
                marker={"size": 11, "color": colour, "line": {"color": colour, "width": 2},
                        "symbol": "circle" if is_efficient else "circle-open"},
                name=(html.escape(str(file)) + ("" if is_efficient else ": not efficient")
                      if has_files else ("efficient" if is_efficient else "not efficient")),
                legendgroup=html.escape(str(file)), customdata=list(rows["_hover"]),
                hovertemplate="%{customdata}<br>" + _BASIS_WORDS[basis] + " %{x:,.2f} "
                              + html.escape(currency)
                              + "<br>service level %{y:.1%}<extra></extra>"))
    fig.update_xaxes(tickformat=",")
    fig.update_yaxes(tickformat=".1%")
    _finish(fig, title, _BASIS_AXIS[basis].format(currency=html.escape(currency)),
            "service level (% answered in target time)")
    # The legend says what "efficient" was judged on (the axis says it too).
    fig.update_layout(legend_title_text=f"efficient on {_BASIS_WORDS[basis]}:")
    return fig


def _padded(values: pd.Series, share_of_span: float, share_of_value: float,
            minimum: float = 0.0) -> list[float]:
    """``[low, high]`` around the values, padded by a share of their span (or of their size
    when they are all alike), at least ``minimum``."""
    low, high = float(values.min()), float(values.max())
    pad = max(share_of_span * (high - low), minimum)
    if pad == 0.0:
        pad = share_of_value * max(abs(low), abs(high)) or 1.0
    return [low - pad, high + pad]


def cost_per_contact_figure(channels: pd.DataFrame, currency: str, scenario: str) -> go.Figure:
    """Cost per offered and per handled contact, by channel (bars).

    Parameters
    ----------
    channels : pandas.DataFrame
        The ``channels`` table of one result (``channel``,
        ``cost_per_contact``, ``cost_per_handled``; currency per contact).
    currency : str
        Currency (axis title).
    scenario : str
        The scenario's name (title).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fig = go.Figure()
    names = escaped(channels["channel"])
    for k, (column, label) in enumerate((("cost_per_contact", "per offered contact"),
                                         ("cost_per_handled", "per handled contact"))):
        fig.add_trace(go.Bar(x=names, y=numbers(channels[column]), name=label,
                             marker_color=COLOURS[k], texttemplate="%{y:,.2f}",
                             textposition="outside", cliponaxis=False,
                             hovertemplate="%{x}: %{y:,.2f} " + html.escape(currency)
                                           + f" {label}<extra></extra>"))
    fig.update_layout(barmode="group", uniformtext={"minsize": 10, "mode": "hide"})
    fig.update_yaxes(tickformat=",.2f", rangemode="tozero")
    return _finish(fig, f"Cost per contact by channel: {scenario}", "channel",
                   f"cost per contact ({html.escape(currency)})")


#: How the two halves of the cost breakdown are named on the chart.
BREAKDOWN_GROUPS = {"component": "what it pays (components)",
                    "use": "what the time buys (uses)"}


def breakdown_figure(cost_breakdown: pd.DataFrame, currency: str, scenario: str) -> go.Figure:
    """The horizon's cost as two stacked bars: its components and what the paid time buys.

    Parameters
    ----------
    cost_breakdown : pandas.DataFrame
        The ``cost_breakdown`` table of one result (``group``, ``component``,
        ``amount`` in currency, ``share`` 0-1). Items of amount 0 are left
        out (they would only crowd the legend).
    currency : str
        Currency (axis title).
    scenario : str
        The scenario's name (title).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fig = go.Figure()
    shown = cost_breakdown[cost_breakdown["amount"].abs() > 0]
    k = 0
    for group, group_label in BREAKDOWN_GROUPS.items():
        for _, row in shown[shown["group"] == group].iterrows():
            fig.add_trace(go.Bar(
                y=[group_label], x=[float(row["amount"])], orientation="h",
                name=html.escape(str(row["component"])), marker_color=COLOURS[k % len(COLOURS)],
                customdata=[[float(row["share"])]], texttemplate="%{customdata[0]:.0%}",
                textposition="inside", insidetextanchor="middle",
                hovertemplate=html.escape(str(row["component"])) + ": %{x:,.2f} "
                              + html.escape(currency)
                              + " (%{customdata[0]:.1%})<extra></extra>"))
            k += 1
    fig.update_layout(barmode="stack", uniformtext={"minsize": 11, "mode": "hide"})
    _finish(fig, f"Cost breakdown over the horizon: {scenario}",
            f"cost over the horizon ({html.escape(currency)})", "", height=380)
    # Legend at the right: up to nine items under the bars would cover the axis title.
    fig.update_layout(legend={"orientation": "v", "yanchor": "top", "y": 1.0, "x": 1.02,
                              "xanchor": "left", "traceorder": "normal"})
    fig.update_xaxes(tickformat=",")
    fig.update_yaxes(autorange="reversed")
    return fig


def _budget_share_figure(totals: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Cost as a share of each scenario's own budget (weekly and yearly budgets mixed)."""
    names = escaped(totals["scenario"])
    share = [float(v) for v in totals["cost_vs_budget"]]
    periods = [str(p) for p in totals["budget_period"]]
    fig = go.Figure()
    for flag, label, colour in ((False, "within budget", COLOURS[0]),
                                (True, "over budget", COLOURS[3])):
        idx = [i for i, v in enumerate(share) if (v > 1.0) == flag]
        if not idx:
            continue
        fig.add_trace(go.Bar(
            y=[labels[i] for i in idx], x=[share[i] for i in idx], orientation="h", name=label,
            marker_color=colour, customdata=[[names[i], periods[i]] for i in idx],
            texttemplate="%{x:.0%} of its %{customdata[1]}ly budget", textposition="inside",
            insidetextanchor="start",
            hovertemplate="%{customdata[0]}<br>%{x:.1%} of its budget per %{customdata[1]}"
                          "<extra></extra>"))
    fig.add_vline(x=1.0, line={"color": "#222222", "dash": "dash", "width": 2})
    fig.update_layout(barmode="overlay", uniformtext={"minsize": 10, "mode": "hide"})
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array",
                     categoryarray=labels)
    height = max(300, 140 + 38 * len(totals))
    return _finish(fig, "Cost against the budget",
                   "cost as a share of its own budget (weekly and yearly budgets: not one "
                   "money axis)", "", height=height)


def budget_figure(totals: pd.DataFrame, currency: str,
                  labels: Sequence[str] | None = None) -> go.Figure:
    """Each scenario's cost over its budget's period against the budget (horizontal bars).

    Parameters
    ----------
    totals : pandas.DataFrame
        One ``totals`` row per scenario with a budget: ``scenario``,
        ``weekly_cost``, ``annual_cost``, ``budget`` (currency per
        ``budget_period``, ``"week"`` or ``"year"``) and ``cost_vs_budget``.
    currency : str
        Currency (axis title).
    labels : sequence of str, optional
        Each row's scenario label (``ScenarioResult.label``), for the bars
        (:func:`axis_labels`); default: the names.

    Returns
    -------
    plotly.graph_objects.Figure
        Bars over budget are red; the budget is a line (one value) or a
        marker per scenario (budgets that differ). When weekly and yearly
        budgets meet, money per week and per year never share an axis: the
        bars are each plan's cost as a share of its own budget, the budget
        the 100 % line.
    """
    periods = list(dict.fromkeys(totals["budget_period"].astype(str)))
    shown = axis_labels(list(totals["scenario"]),
                        list(totals["scenario"].astype(str)) if labels is None else labels)
    if len(periods) > 1:
        return _budget_share_figure(totals, shown)
    cost = [float(row["weekly_cost"] if row["budget_period"] == "week" else row["annual_cost"])
            for _, row in totals.iterrows()]
    names = escaped(totals["scenario"])
    is_over = [float(v) > 1.0 for v in totals["cost_vs_budget"]]
    fig = go.Figure()
    for flag, label, colour in ((False, "within budget", COLOURS[0]),
                                (True, "over budget", COLOURS[3])):
        idx = [i for i, over in enumerate(is_over) if over == flag]
        if not idx:
            continue
        fig.add_trace(go.Bar(
            y=[shown[i] for i in idx], x=[cost[i] for i in idx], orientation="h", name=label,
            marker_color=colour, customdata=[[names[i], float(totals["cost_vs_budget"].iloc[i])]
                                             for i in idx],
            texttemplate="%{customdata[1]:.0%} of budget", textposition="inside",
            insidetextanchor="start",
            hovertemplate="%{customdata[0]}<br>%{x:,.0f} " + html.escape(currency)
                          + " (%{customdata[1]:.1%} of the budget)<extra></extra>"))
    budgets = [float(b) for b in totals["budget"]]
    period = periods[0] if len(periods) == 1 else "its period"
    if len(set(budgets)) == 1 and len(periods) == 1:
        fig.add_vline(x=budgets[0], line={"color": "#222222", "dash": "dash", "width": 2})
        fig.update_xaxes(range=[0.0, 1.08 * max([budgets[0], *cost])])
        # A one-point line: nothing drawn, but the budget gets its legend entry.
        fig.add_trace(go.Scatter(x=[budgets[0]], y=[shown[0]],
                                 mode="lines", line={"color": "#222222", "dash": "dash"},
                                 name=f"budget: {budgets[0]:,.0f} {html.escape(currency)} "
                                      f"per {period}", hoverinfo="skip"))
    else:
        fig.add_trace(go.Scatter(x=budgets, y=shown, mode="markers", name="budget",
                                 marker={"symbol": "line-ns-open", "size": 26,
                                         "line": {"width": 3, "color": "#222222"}},
                                 hovertemplate="budget %{x:,.0f} " + html.escape(currency)
                                               + "<extra></extra>"))
    fig.update_layout(barmode="overlay", uniformtext={"minsize": 10, "mode": "hide"})
    fig.update_xaxes(tickformat=",", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array",
                     categoryarray=shown)
    height = max(300, 140 + 38 * len(totals))
    return _finish(fig, "Cost against the budget", f"cost per {period} ({html.escape(currency)})",
                   "", height=height)
