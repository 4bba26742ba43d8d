"""The charts of the long-range capacity plan (``ccplan capacity``, the dashboard's Capacity page).

Reshaping only: every number drawn is a column of a ``CapacityResult`` table
(``weekly``, ``monthly``; documented in ``scenarios.pipeline.contracts``).
The figures pick rows, turn fractions into percent and draw leavers below
zero; they compute no requirement, supply or cost.

Weeks are drawn at their Monday (``week_start``), months at their first day,
as plain date text (the page is byte-identical for the same result). User
text (group and scenario names) is HTML-escaped before plotly draws it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..pipeline import CapacityResult
from ._scenario_figures import _band
from ._style import COLOURS, escaped, numbers

#: Chart titles by name, for :func:`capacity_figure` (``{group}`` is the agent group's name).
CAPACITY_CHART_TITLES = {
    "fte": "Required and available productive FTE by week: {group}",
    "headcount": "Headcount: on the floor and in training (top), weekly flows (bottom): {group}",
    "overtime": "Overtime and FTE short by week (together: the gap to the requirement): {group}",
    "cost": "Cost by month against the budget: {group}",
    "service_level": "Expected service level by week, at the available FTE",
}
#: Title of the comparison chart (several scenarios).
COMPARISON_TITLE = "Cost by month, by scenario"
#: Which of the weekly charts are drawn per agent group (the cost chart is per month).
WEEKLY_CHARTS = ("fte", "headcount", "overtime")
CHART_HEIGHT_PX = 460

#: The legend at the foot of the figure, under the x-axis title and its (maybe tilted) ticks.
_LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                 "xanchor": "left", "x": 0.0, "traceorder": "normal"}
_BLUE, _ORANGE, _GREEN, _RED, _PURPLE, _GREY = (COLOURS[0], COLOURS[1], COLOURS[2], COLOURS[3],
                                                COLOURS[4], COLOURS[7])
#: Monthly cost columns stacked in the cost chart, with their legend names.
COST_PARTS = (("wages", "wages"), ("hiring_cost", "hiring"), ("training_cost", "training"),
              ("overtime_cost", "overtime"))


def _finish(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0.0, "xanchor": "left"},
                      xaxis_title={"text": x_title}, yaxis_title={"text": y_title},
                      showlegend=True, legend=_LEGEND_BELOW, template="plotly_white",
                      height=CHART_HEIGHT_PX, margin={"l": 70, "r": 70, "t": 60, "b": 110},
                      hovermode="x unified", hoverlabel={"namelength": -1})
    return fig


def _days(values: pd.Series) -> list[str]:
    """Dates as ``YYYY-MM-DD`` text (fixed text: the page is byte-identical)."""
    return [pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]


def groups_of(result: CapacityResult) -> list[str]:
    """The agent groups of a result, in the order of its weekly table."""
    return list(dict.fromkeys(str(g) for g in result.weekly["group"]))


def _group_rows(result: CapacityResult, group: str | None) -> tuple[str, pd.DataFrame]:
    """The weekly rows of one group (the only one when ``group`` is None), by week."""
    names = groups_of(result)
    if group is None:
        if len(names) != 1:
            raise ValueError(f"capacity_figure(): the plan has {len(names)} agent groups "
                             f"({', '.join(names)}); give group= one of them.")
        group = names[0]
    if group not in names:
        raise ValueError(f"capacity_figure(): group={group!r} is not in the plan; its groups "
                         f"are {', '.join(names)}.")
    rows = result.weekly[result.weekly["group"].astype(str) == group]
    return group, rows.sort_values("week", kind="stable").reset_index(drop=True)


def _has_values(rows: pd.DataFrame, column: str) -> bool:
    return column in rows.columns and bool(pd.to_numeric(rows[column], errors="coerce")
                                           .map(lambda v: math.isfinite(float(v))).any())


def _fte_figure(result: CapacityResult, group: str | None) -> go.Figure:
    name, rows = _group_rows(result, group)
    x = _days(rows["week_start"])
    fig = go.Figure()
    # The band only where the demand has an interval (a table without one gives lo = hi).
    if _has_values(rows, "required_fte_lo") and _has_values(rows, "required_fte_hi") and bool(
            (rows["required_fte_hi"] > rows["required_fte_lo"]).any()):
        band = _band(x, rows["required_fte_lo"], rows["required_fte_hi"],
                     "required: prediction interval of demand", _BLUE, "required")
        if band is not None:
            fig.add_trace(band)
    weeks = [int(w) for w in rows["week"]]
    fig.add_trace(go.Scatter(x=x, y=numbers(rows["required_fte"]), mode="lines",
                             line={"color": _BLUE, "width": 2.5}, name="required",
                             legendgroup="required", customdata=weeks,
                             hovertemplate="week %{customdata}: %{y:,.1f} FTE"))
    fig.add_trace(go.Scatter(x=x, y=numbers(rows["available_fte"]), mode="lines",
                             line={"color": _GREEN, "width": 2.5},
                             name="available (productive)",
                             hovertemplate="%{y:,.1f} FTE"))
    if _has_values(rows, "coverage_probability"):
        fig.add_trace(go.Scatter(x=x, y=numbers(rows["coverage_probability"]), yaxis="y2",
                                 mode="lines", line={"color": _PURPLE, "dash": "dot"},
                                 name="probability that supply covers it (right axis)",
                                 hovertemplate="%{y:.0%} of risk runs covered"))
        fig.update_layout(yaxis2={"title": {"text": "probability covered"}, "overlaying": "y",
                                  "side": "right", "range": [0, 1.05], "tickformat": ".0%",
                                  "dtick": 0.2, "showgrid": False})
    # No forced zero: the gap between required and available is what the reader looks for.
    fig.update_layout(yaxis={"tickformat": ","})
    return _finish(fig, CAPACITY_CHART_TITLES["fte"].format(group=html.escape(name)),
                   "week starting (Monday)", "productive FTE")


def _headcount_figure(result: CapacityResult, group: str | None) -> go.Figure:
    name, rows = _group_rows(result, group)
    x = _days(rows["week_start"])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4],
                        vertical_spacing=0.08)
    fig.add_trace(go.Scatter(x=x, y=numbers(rows["headcount"]), mode="lines",
                             line={"color": "#222222", "width": 2.5, "shape": "hv"},
                             name="on the floor (start of week)",
                             hovertemplate="on the floor: %{y:,.1f}"), row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=numbers(rows["trainees"]), mode="lines",
                             line={"color": _ORANGE, "width": 2, "shape": "hv"},
                             name="in training", hovertemplate="in training: %{y:,.1f}"),
                  row=1, col=1)
    for column, label, colour in (("hires", "hires (class starts)", _BLUE),
                                  ("graduates", "graduates (onto the floor)", _GREEN)):
        fig.add_trace(go.Bar(x=x, y=numbers(rows[column]), name=label, marker_color=colour,
                             hovertemplate=f"{label}: %{{y:,.1f}}"), row=2, col=1)
    fig.add_trace(go.Bar(x=x, y=numbers(-rows["leavers"]), name="leavers (below zero)",
                         marker_color=_RED, customdata=numbers(rows["leavers"]),
                         hovertemplate="leavers: %{customdata:,.1f}"), row=2, col=1)
    _finish(fig, CAPACITY_CHART_TITLES["headcount"].format(group=html.escape(name)), "", "")
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text="agents", rangemode="tozero", tickformat=",", row=1, col=1)
    fig.update_yaxes(title_text="agents per week", tickformat=",", zeroline=True,
                     zerolinecolor="#999999", row=2, col=1)
    fig.update_xaxes(title_text="week starting (Monday)", row=2, col=1)
    fig.update_layout(height=580)
    return fig


def _overtime_figure(result: CapacityResult, group: str | None) -> go.Figure:
    name, rows = _group_rows(result, group)
    x = _days(rows["week_start"])
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=numbers(rows["overtime_fte"]), name="overtime",
                         marker_color=_ORANGE, hovertemplate="overtime: %{y:,.2f} FTE"))
    fig.add_trace(go.Bar(x=x, y=numbers(rows["short_fte"]), name="short (after overtime)",
                         marker_color=_RED, hovertemplate="short: %{y:,.2f} FTE"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(rangemode="tozero", tickformat=",")
    return _finish(fig, CAPACITY_CHART_TITLES["overtime"].format(group=html.escape(name)),
                   "week starting (Monday)", "productive FTE")


def month_labels(months: pd.Series, days: pd.Series) -> list[str]:
    """``Jan 2027``, with the plan's days when the plan covers part of the month only."""
    labels = []
    for month, n_days in zip(months, days, strict=True):
        stamp = pd.Timestamp(month)
        label = stamp.strftime("%b %Y")
        if math.isfinite(float(n_days)) and float(n_days) < stamp.days_in_month:
            label += f" ({float(n_days):g} d)"
        labels.append(label)
    return labels


def _month_rows(result: CapacityResult, group: str) -> pd.DataFrame:
    monthly = result.monthly
    rows = monthly[monthly["group"].astype(str) == group]
    if len(rows) == 0:
        names = list(dict.fromkeys(str(g) for g in monthly["group"]))
        raise ValueError(f"capacity_figure(): no monthly rows for group={group!r}; the "
                         f"monthly table has {', '.join(names)}.")
    return rows.sort_values("month", kind="stable").reset_index(drop=True)


def _cost_figure(result: CapacityResult, group: str | None) -> go.Figure:
    name = "all" if group is None else group
    rows = _month_rows(result, name)
    x = month_labels(rows["month"], rows["days"])
    currency = html.escape(str(result.currency))
    fig = go.Figure()
    for k, (column, label) in enumerate(COST_PARTS):
        fig.add_trace(go.Bar(x=x, y=numbers(rows[column]), name=label,
                             marker_color=COLOURS[k % len(COLOURS)],
                             hovertemplate=f"{label}: %{{y:,.0f}} {currency}"))
    if _has_values(rows, "budget"):
        share = numbers(rows["cost_vs_budget"]) if "cost_vs_budget" in rows.columns else None
        fig.add_trace(go.Scatter(x=x, y=numbers(rows["budget"]), mode="lines+markers",
                                 line={"color": "#222222", "dash": "dash", "width": 2},
                                 marker={"symbol": "line-ew-open", "size": 18,
                                         "line": {"width": 3}},
                                 name="budget", customdata=share,
                                 hovertemplate="budget: %{y:,.0f} " + currency
                                               + " (cost %{customdata:.0%} of it)"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(rangemode="tozero", tickformat=",")
    where = "all groups" if name == "all" else name
    return _finish(fig, CAPACITY_CHART_TITLES["cost"].format(group=html.escape(where)),
                   "month (days of the plan in it, where not all)", f"cost ({currency})")


def _service_level_figure(result: CapacityResult, group: str | None) -> go.Figure:
    channels = result.channels
    if group is not None:
        channels = channels[channels["group"].astype(str) == group]
    fig = go.Figure()
    for k, channel in enumerate(dict.fromkeys(str(c) for c in channels["channel"])):
        rows = channels[channels["channel"].astype(str) == channel].sort_values(
            "week", kind="stable")
        fig.add_trace(go.Scatter(x=_days(rows["week_start"]),
                                 y=numbers(rows["expected_service_level"]), mode="lines",
                                 line={"color": COLOURS[k % len(COLOURS)], "width": 2.5},
                                 name=html.escape(channel),
                                 hovertemplate=html.escape(channel) + ": %{y:.1%}"))
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return _finish(fig, CAPACITY_CHART_TITLES["service_level"], "week starting (Monday)",
                   "expected service level")


_CHARTS = {"fte": _fte_figure, "headcount": _headcount_figure, "overtime": _overtime_figure,
           "cost": _cost_figure, "service_level": _service_level_figure}


def capacity_figure(result: CapacityResult, chart: str, *, group: str | None = None
                    ) -> go.Figure:
    """One chart of a long-range capacity plan.

    Parameters
    ----------
    result : CapacityResult
        The plan (``scenarios.pipeline.run_capacity``); its tables follow
        ``scenarios.pipeline.contracts``. Not changed.
    chart : {"fte", "headcount", "overtime", "cost", "service_level"}
        ``"fte"``: required productive FTE by week with the band of the
        demand's prediction interval (``required_fte_lo`` to
        ``required_fte_hi``), the available productive FTE, and, with risk
        runs, the probability that supply covers the requirement (right
        axis, 0-100 %). ``"headcount"``: agents on the floor and in
        training (lines) and the weekly flows (bars, right axis): hires,
        graduates, and leavers drawn below zero. ``"overtime"``: overtime
        and FTE short after overtime, stacked (together: the week's gap).
        ``"cost"``: cost by month stacked by wages, hiring, training and
        overtime, the budget as a dashed line where the plan has one.
        ``"service_level"``: each channel's expected service level by week
        at the available FTE (0-100 %).
    group : str, optional
        The agent group. ``"fte"``, ``"headcount"``, ``"overtime"``:
        required when the plan has several groups, default its only one.
        ``"cost"``: a group of the monthly table, default ``"all"`` (every
        group). ``"service_level"``: the group's channels, default all.

    Returns
    -------
    plotly.graph_objects.Figure
        Titled as ``CAPACITY_CHART_TITLES`` of this module says, legend
        under the plot.

    Raises
    ------
    ValueError
        An unknown chart or group (the message lists the known ones).
    """
    if chart not in _CHARTS:
        raise ValueError(f"capacity_figure(): chart={chart!r} is not one of "
                         f"{', '.join(_CHARTS)}.")
    return _CHARTS[chart](result, group)


def capacity_comparison_figure(results: Sequence[CapacityResult],
                               labels: Sequence[str] | None = None) -> go.Figure:
    """Cost by month of several capacity plans (e.g. 8x5, extended and 24x7), side by side.

    Parameters
    ----------
    results : sequence of CapacityResult
        The plans; their ``monthly`` rows of group ``"all"`` are drawn.
        Plans in different currencies are refused (one money axis).
    labels : sequence of str, optional
        A label per plan for the legend (default: each plan's ``scenario``).

    Returns
    -------
    plotly.graph_objects.Figure
        Grouped bars, one colour per plan, months in calendar order; titled
        ``"Cost by month, by scenario"``.

    Raises
    ------
    ValueError
        The plans' currencies differ, or the labels are not one per plan.
    """
    currencies = list(dict.fromkeys(str(r.currency) for r in results))
    if len(currencies) > 1:
        raise ValueError(f"capacity_comparison_figure(): the plans are in {', '.join(currencies)}"
                         "; compare plans of one currency on one chart.")
    names = [str(r.scenario) for r in results] if labels is None else [str(v) for v in labels]
    if len(names) != len(results):
        raise ValueError(f"capacity_comparison_figure(): {len(results)} plans but "
                         f"{len(names)} labels; give one label per plan.")
    currency = html.escape(currencies[0]) if currencies else ""
    # One category per month, in calendar order, named as the first plan that has it names
    # it (a month a plan covers in part shows its days).
    months: dict[pd.Timestamp, str] = {}
    for result in results:
        rows = _month_rows(result, "all")
        for month, label in zip(rows["month"], month_labels(rows["month"], rows["days"]),
                                strict=True):
            months.setdefault(pd.Timestamp(month), label)
    order = [months[m] for m in sorted(months)]
    fig = go.Figure()
    for k, (result, label) in enumerate(zip(results, escaped(names), strict=True)):
        rows = _month_rows(result, "all")
        fig.add_trace(go.Bar(x=[months[pd.Timestamp(m)] for m in rows["month"]],
                             y=numbers(rows["cost"]), name=label,
                             marker_color=COLOURS[k % len(COLOURS)],
                             hovertemplate=label + ", %{x}: %{y:,.0f} " + currency
                                           + "<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order)
    fig.update_yaxes(rangemode="tozero", tickformat=",")
    _finish(fig, COMPARISON_TITLE, "month (days of the plan in it, where not all)",
            f"cost ({currency})")
    fig.update_layout(hovermode="closest", margin={"b": 140})
    return fig

