"""Self-contained HTML reports for one scenario result and for a comparison of several.

The pages open offline: plotly.js is embedded inline once per page and every
chart is a ``plotly`` figure written with ``include_plotlyjs=False`` and a
fixed ``div_id``. Nothing in a page depends on the clock or on random ids, so
the same result always gives byte-identical HTML. All text taken from results
(scenario and channel names, file paths, expectations) is escaped with
:func:`html.escape`. These functions only build the page text; the caller
writes it (``scenarios.files._output.write_text_atomic``).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..compare._table import comparison_table
from ..pipeline._result import ScenarioResult

#: Chart titles of the scenario report, in page order.
SCENARIO_CHART_TITLES = (
    "Contacts offered by interval",
    "Agents required and scheduled by interval",
    "Service level by interval",
    "Average speed of answer (ASA) by interval",
    "Cost breakdown over the horizon",
)
#: Chart title of the comparison report.
COMPARISON_CHART_TITLE = "Cost against service level"

_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")
_CHART_HEIGHT_PX = 430
_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5em 2em;
       color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.3em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { width: 14em; }
div.scroll { overflow-x: auto; max-width: 100%; }
ul.outcomes { list-style: none; padding-left: 0; }
ul.outcomes li { margin: 0.2em 0; }
span.pass { color: #1a7f37; font-weight: bold; }
span.fail { color: #c62828; font-weight: bold; }
p.note { color: #555; font-size: 0.9em; }
"""


# --- formatting ------------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _money(value: Any) -> str:
    return "n/a" if _is_missing(value) else f"{float(value):,.2f}"


def _pct(value: Any) -> str:
    return "n/a" if _is_missing(value) else f"{100 * float(value):.1f}%"


def _one_decimal(value: Any) -> str:
    return "n/a" if _is_missing(value) else f"{float(value):,.1f}"


def _two_decimals(value: Any) -> str:
    return "n/a" if _is_missing(value) else f"{float(value):,.2f}"


def _whole(value: Any) -> str:
    return "n/a" if _is_missing(value) else f"{float(value):,.0f}"


def _text(value: Any) -> str:
    return "n/a" if _is_missing(value) else str(value)


def _yes_no(value: Any) -> str:
    return "n/a" if _is_missing(value) else ("yes" if bool(value) else "no")


def _with_ci(value: Any, low: Any, high: Any, fmt: Callable[[Any], str]) -> str:
    """``value [low, high]``, or just ``value`` when the interval is unknown."""
    if _is_missing(low) or _is_missing(high):
        return fmt(value)
    return f"{fmt(value)} [{fmt(low)}, {fmt(high)}]"


def _currency_of(result: ScenarioResult) -> str:
    currency = result.summary.get("currency")
    return str(currency) if currency else "currency"


def _table_html(header: Sequence[str], rows: Sequence[Sequence[str]],
                numeric: Sequence[bool], css_class: str = "") -> str:
    """An HTML table; every cell is escaped here."""
    klass = f' class="{html.escape(css_class)}"' if css_class else ""
    # A wide table (the comparison has 17 columns) scrolls inside its box, not off the page.
    parts = ['<div class="scroll">', f"<table{klass}>", "<thead><tr>"]
    parts += [f"<th>{html.escape(h)}</th>" for h in header]
    parts.append("</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        cells = [f'<td class="num">{html.escape(c)}</td>' if is_num else
                 f"<td>{html.escape(c)}</td>" for c, is_num in zip(row, numeric, strict=True)]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>")
    return "\n".join(parts)


def _facts_html(facts: Sequence[tuple[str, str]]) -> str:
    """A two-column table of label and value; both escaped here."""
    rows = [f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
            for label, value in facts]
    return '<table class="facts">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"


def _page(title: str, body: Sequence[str]) -> str:
    """A complete HTML page with plotly.js inline exactly once; ``title`` is escaped here."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "<script type=\"text/javascript\">window.PlotlyConfig = {MathJaxConfig: 'local'};"
        "</script>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


# --- charts ----------------------------------------------------------------------------------

def _figure_html(fig: go.Figure, div_id: str) -> str:
    return str(fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                           config={"displaylogo": False}))


def _finish(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(title={"text": title}, xaxis_title={"text": x_title},
                      yaxis_title={"text": y_title}, showlegend=True, template="plotly_white",
                      height=_CHART_HEIGHT_PX)
    return fig


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _local_times(values: pd.Series) -> list[str | None]:
    """Timestamps as local wall-clock text (plotly.js ignores time-zone offsets)."""
    stamps = pd.to_datetime(values)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_localize(None)
    return [None if pd.isna(t) else t.strftime("%Y-%m-%d %H:%M:%S") for t in stamps]


def _numbers(values: pd.Series | np.ndarray) -> list[float | None]:
    """Floats with NaN as ``None`` (a gap in a plotly line)."""
    return [None if not math.isfinite(v) else float(v)
            for v in np.asarray(values, dtype=float)]


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
        ys += [float(high_arr[i]) for i in run] + [float(low_arr[i]) for i in reversed(run)]
        start = stop
    if not xs:
        return None
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=_rgba(colour, 0.2),
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
                                 y=_numbers(rows["offered"]), mode="lines", line_shape="hv",
                                 line={"color": _COLOURS[k % len(_COLOURS)]},
                                 name=html.escape(channel)))
    return _finish(fig, SCENARIO_CHART_TITLES[0], _x_title(result),
                   f"contacts offered per {_interval_label(result)}")


def _agents_figure(result: ScenarioResult) -> go.Figure:
    fig = go.Figure()
    for k, channel in enumerate(_channel_order(result)):
        rows = _channel_intervals(result, channel)
        colour = _COLOURS[k % len(_COLOURS)]
        x = _local_times(rows["interval_start"])
        label = html.escape(channel)
        fig.add_trace(go.Scatter(x=x, y=_numbers(rows["agents_required"]), mode="lines",
                                 line_shape="hv", line={"color": colour, "dash": "dash"},
                                 name=f"{label}: required", legendgroup=label))
        fig.add_trace(go.Scatter(x=x, y=_numbers(rows["agents_on_queue"]), mode="lines",
                                 line_shape="hv", line={"color": colour},
                                 name=f"{label}: scheduled", legendgroup=label))
    fig.update_yaxes(rangemode="tozero")
    return _finish(fig, SCENARIO_CHART_TITLES[1], _x_title(result), "agents on the queue")


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
        colour = _COLOURS[k % len(_COLOURS)]
        label = html.escape(channel)
        x = _local_times(rows["interval_start"])
        band = _band(x, rows[f"{column}_low"], rows[f"{column}_high"],
                     f"{label}: confidence interval", colour, label)
        if band is not None:
            fig.add_trace(band)
        fig.add_trace(go.Scatter(x=x, y=_numbers(rows[column]), mode="lines+markers",
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
    return _finish(fig, title, _x_title(result), y_title)


def _cost_breakdown_figure(result: ScenarioResult) -> go.Figure:
    fig = go.Figure()
    breakdown = result.cost_breakdown
    currency = html.escape(_currency_of(result))
    if {"group", "component", "amount"} <= set(breakdown.columns):
        groups = list(dict.fromkeys(str(g) for g in breakdown["group"]))
        for k, group in enumerate(groups):
            rows = breakdown[breakdown["group"].astype(str) == group]
            share = (_numbers(rows["share"]) if "share" in rows.columns
                     else [None] * len(rows))
            fig.add_trace(go.Bar(x=[html.escape(str(c)) for c in rows["component"]],
                                 y=_numbers(rows["amount"]), customdata=share,
                                 name=html.escape(group),
                                 marker_color=_COLOURS[k % len(_COLOURS)],
                                 hovertemplate=("%{x}: %{y:,.2f} " + currency
                                                + " (%{customdata:.1%} of cost)")))
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=",")
    return _finish(fig, SCENARIO_CHART_TITLES[4], "component", f"amount ({currency})")


# --- scenario report -------------------------------------------------------------------------

def _status_gap_text(status: Any, gap: Any) -> str:
    """``optimal, gap 0.40%``; a schedule cut by the safety net is shouted."""
    if _is_missing(status) or status == "":
        return "no shift schedule"
    shown = "STOPPED AT THE TIME LIMIT" if status == "time_limit" else str(status)
    if isinstance(gap, int | float) and not isinstance(gap, bool) and math.isfinite(gap):
        return f"{shown}, gap {100 * gap:.2f}%"
    return f"{shown}, gap n/a"


#: How the schedule summary's solver fields read in the report: key -> text of the value.
_SCHEDULE_FIELDS: dict[str, Callable[[Any], str]] = {
    "mip_rel_gap": lambda v: f"gap asked {100 * v:.2f}%",
    "max_nodes": lambda v: f"node budget {v:,}",
    "time_limit_s": lambda v: f"safety-net time limit {v:,.0f} s",
    "allow_time_limit": lambda v: ("a stop at the time limit is allowed by the file" if v
                                   else "a stop at the time limit fails ccplan check"),
    "objective": lambda v: f"objective {v:,.2f}",
    "dual_bound": lambda v: f"bound {v:,.2f}",
    "closed_idle_agent_hours": lambda v: f"{v:,.1f} agent-hours while closed with nobody needed",
}


def _schedule_text(schedule: Any) -> str:
    if _is_missing(schedule):
        return "no shift schedule"
    if isinstance(schedule, dict):
        parts = []
        if "status" in schedule:
            parts.append(_status_gap_text(schedule.get("status"), schedule.get("mip_gap")))
        for key, value in schedule.items():
            if key in ("status", "mip_gap"):
                continue
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if key in _SCHEDULE_FIELDS and (number and math.isfinite(value)
                                            or isinstance(value, bool)):
                parts.append(_SCHEDULE_FIELDS[key](value))
            elif key == "gap" and number:
                parts.append(f"gap {100 * value:.2f}%" if math.isfinite(value) else "gap n/a")
            else:
                parts.append(f"{key} {_text(value)}")
        if schedule.get("status") == "time_limit":
            parts.append("the solve was cut by its time limit (a safety net): this plan depends "
                         "on the machine's speed and load")
        return ", ".join(parts) if parts else "n/a"
    return str(schedule)


def _summary_facts(result: ScenarioResult) -> list[tuple[str, str]]:
    summary = result.summary
    n_replications = summary.get("n_replications")
    replications = _text(n_replications)
    if n_replications == 0:
        replications = "0 (analytic only, no simulation)"
    start, end = summary.get("horizon_start"), summary.get("horizon_end")
    horizon = f"{_text(start)} to {_text(end)}"
    extras = []
    if summary.get("timezone"):
        extras.append(str(summary["timezone"]))
    if not _is_missing(summary.get("interval_s")):
        extras.append(f"intervals of {float(summary['interval_s']):g} s")
    if extras:
        horizon += f" ({', '.join(extras)})"
    facts = [
        ("scenario", result.name),
        ("file", _text(summary.get("file"))),
        ("ccplan version", _text(summary.get("ccplan_version"))),
        ("scenario SHA-256", _text(summary.get("scenario_sha256"))),
        ("seed", _text(summary.get("seed"))),
        ("replications", replications),
        ("horizon", horizon),
        ("staffing method", _text(summary.get("staffing_method"))),
        ("currency", _text(summary.get("currency"))),
        ("schedule (solver)", _schedule_text(summary.get("schedule"))),
    ]
    overrides = summary.get("overrides")
    if overrides:
        text = (", ".join(f"{k} = {v}" for k, v in overrides.items())
                if isinstance(overrides, dict) else str(overrides))
        facts.append(("overrides", text))
    return facts


#: Totals rows of the scenario report: column, label, formatter.
_TOTAL_ROWS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("offered", "offered (contacts)", _one_decimal),
    ("handled", "handled (contacts)", _one_decimal),
    ("abandoned", "abandoned (contacts)", _one_decimal),
    ("service_level", "service level", _pct),
    ("asa_s", "ASA (s)", _one_decimal),
    ("abandon_rate", "abandon rate", _pct),
    ("occupancy", "occupancy", _pct),
    ("open_intervals_meeting_target", "open intervals meeting target", _pct),
    ("cost", "cost over the horizon ({currency})", _money),
    ("cost_per_contact", "cost per offered contact ({currency})", _money),
    ("cost_per_handled", "cost per handled contact ({currency})", _money),
    ("fte", "FTE", _two_decimals),
    ("paid_hours", "paid hours (h)", _one_decimal),
    ("headcount", "headcount (agents)", _whole),
    ("weekly_cost", "weekly cost ({currency})", _money),
    ("annual_cost", "annual cost ({currency})", _money),
    ("budget", "budget ({currency})", _money),
    ("budget_period", "budget period", _text),
    ("cost_vs_budget", "cost vs budget", _pct),
)


def _totals_html(result: ScenarioResult) -> str:
    totals = result.totals
    if len(totals) == 0:
        return '<p class="note">No totals.</p>'
    row = totals.iloc[0]
    currency = _currency_of(result)
    rows = [(label.format(currency=currency), fmt(row[column]) if column in row.index else "n/a")
            for column, label, fmt in _TOTAL_ROWS]
    return _table_html(("measure", "value"), rows, (False, True))


def _channels_html(result: ScenarioResult) -> str:
    channels = result.channels
    if len(channels) == 0:
        return '<p class="note">No channels.</p>'
    currency = _currency_of(result)
    header = ("channel", "offered (contacts)", "handled (contacts)", "abandoned (contacts)",
              "service level [CI]", "target", "ASA (s) [CI]", "abandon rate [CI]",
              "occupancy", "open intervals meeting target", f"cost ({currency})",
              f"cost per offered contact ({currency})", f"cost per handled contact ({currency})")

    def get(row: pd.Series, column: str) -> Any:
        return row[column] if column in row.index else None

    rows = []
    for _, row in channels.iterrows():
        target = _pct(get(row, "service_level_target"))
        within = get(row, "answer_within_s")
        if not _is_missing(within) and target != "n/a":
            target += f" in {float(within):g} s"
        rows.append((
            _text(get(row, "channel")),
            _one_decimal(get(row, "offered")),
            _one_decimal(get(row, "handled")),
            _one_decimal(get(row, "abandoned")),
            _with_ci(get(row, "service_level"), get(row, "service_level_low"),
                     get(row, "service_level_high"), _pct),
            target,
            _with_ci(get(row, "asa_s"), get(row, "asa_s_low"), get(row, "asa_s_high"),
                     _one_decimal),
            _with_ci(get(row, "abandon_rate"), get(row, "abandon_rate_low"),
                     get(row, "abandon_rate_high"), _pct),
            _pct(get(row, "occupancy")),
            _pct(get(row, "open_intervals_meeting_target")),
            _money(get(row, "cost")),
            _money(get(row, "cost_per_contact")),
            _money(get(row, "cost_per_handled")),
        ))
    return _table_html(header, rows, (False,) + (True,) * (len(header) - 1))


def _breakdown_table_html(result: ScenarioResult) -> str:
    breakdown = result.cost_breakdown
    if len(breakdown) == 0 or not {"group", "component", "amount"} <= set(breakdown.columns):
        return '<p class="note">No cost breakdown.</p>'
    rows = [(_text(row["group"]), _text(row["component"]), _money(row["amount"]),
             _pct(row["share"] if "share" in row.index else None))
            for _, row in breakdown.iterrows()]
    return _table_html(("group", "component", f"amount ({_currency_of(result)})",
                        "share of cost"), rows, (False, False, True, True))


def _outcomes_html(outcomes: Sequence[Any], expectations: Sequence[str]) -> str:
    if not outcomes:
        if not expectations:
            return ""
        listed = "\n".join(f"<li>{html.escape(str(e))}</li>" for e in expectations)
        return ("<h2>Expectations</h2>\n"
                '<p class="note">Not evaluated for this report.</p>\n'
                f'<ul class="outcomes">\n{listed}\n</ul>')
    items: list[str] = []
    n_passed = 0
    for outcome in outcomes:
        passed = bool(getattr(outcome, "passed", False))
        n_passed += passed
        verdict = ('<span class="pass">PASS</span>' if passed
                   else '<span class="fail">FAIL</span>')
        expectation = html.escape(str(getattr(outcome, "expectation", "")))
        message = html.escape(str(getattr(outcome, "message", "")))
        detail = f": {message}" if message else ""
        items.append(f"<li>{verdict} <code>{expectation}</code>{detail}</li>")
    return (f"<h2>Expectations</h2>\n<p>{n_passed} of {len(outcomes)} passed.</p>\n"
            '<ul class="outcomes">\n' + "\n".join(items) + "\n</ul>")


def _scenario_body(result: ScenarioResult, outcomes: Sequence[Any],
                   id_prefix: str = "ccplan") -> tuple[str, list[str]]:
    title = f"Scenario report: {result.name}"
    figures = [
        _volumes_figure(result),
        _agents_figure(result),
        _interval_measure_figure(result, "service_level", "service level",
                                 SCENARIO_CHART_TITLES[2],
                                 "service level (% answered within target time)", True),
        _interval_measure_figure(result, "asa_s", "ASA", SCENARIO_CHART_TITLES[3], "ASA (s)",
                                 False),
        _cost_breakdown_figure(result),
    ]
    ids = tuple(f"{id_prefix}-{n}" for n in ("volumes", "agents", "service-level", "asa",
                                              "cost-breakdown"))
    body = [
        f"<h1>{html.escape(title)}</h1>",
        _facts_html(_summary_facts(result)),
        "<h2>Totals</h2>",
        _totals_html(result),
        "<h2>Channels</h2>",
        '<p class="note">[CI]: confidence interval of the simulated mean, where known.</p>',
        _channels_html(result),
    ]
    outcome_section = _outcomes_html(list(outcomes), result.expectations)
    if outcome_section:
        body.append(outcome_section)
    body.append("<h2>By interval</h2>")
    for fig, div_id in zip(figures[:4], ids[:4], strict=True):
        body.append(_figure_html(fig, div_id))
    body += ["<h2>Cost breakdown</h2>", _breakdown_table_html(result),
             _figure_html(figures[4], ids[4])]
    return title, body


def scenario_report_html(result: ScenarioResult, *, outcomes: Sequence[Any] = ()) -> str:
    """A self-contained HTML report of one scenario result.

    The page holds the summary facts (file, ccplan version, SHA-256 of the
    scenario file, seed, replications, horizon, staffing method, schedule
    solver status and gap), the totals and per-channel tables, the
    expectation outcomes and five charts (titles in
    :data:`SCENARIO_CHART_TITLES`): contacts offered by interval, agents
    required against scheduled by interval, service level by interval with
    its confidence band and the channel's target, ASA by interval with its
    confidence band, and the cost breakdown. plotly.js is embedded once, so
    the page opens offline; the same arguments give byte-identical text.

    Parameters
    ----------
    result : ScenarioResult
        The result; its tables follow :mod:`scenarios.pipeline._result` (``intervals``
        needs ``channel``, ``interval_start``, ``offered``,
        ``agents_required``, ``agents_on_queue``, ``service_level`` and
        ``asa_s`` with their ``_low``/``_high`` bounds). Not changed.
    outcomes : sequence, optional
        Expectation outcomes, each with attributes ``expectation`` (str),
        ``passed`` (bool) and ``message`` (str); shown as a pass/fail list.
        Without outcomes, the result's ``expectations`` are listed as not
        evaluated.

    Returns
    -------
    str
        A complete HTML page. Money has two decimals and thousands
        separators; fractions are shown as percentages.

    Examples
    --------
    >>> import pandas as pd
    >>> from scenarios.pipeline._result import INTERVAL_COLUMNS, ScenarioResult
    >>> empty = pd.DataFrame()
    >>> intervals = pd.DataFrame(columns=list(INTERVAL_COLUMNS))
    >>> page = scenario_report_html(ScenarioResult("demo", intervals, empty, empty, empty, empty))
    >>> page.startswith("<!DOCTYPE html>"), "<h1>Scenario report: demo</h1>" in page
    (True, True)
    """
    title, body = _scenario_body(result, outcomes)
    return _page(title, body)


# --- comparison report -----------------------------------------------------------------------

def _comparison_currency(results: Sequence[ScenarioResult]) -> str:
    currencies = list(dict.fromkeys(str(r.summary["currency"]) for r in results
                                    if r.summary.get("currency")))
    if len(currencies) == 1:
        return currencies[0]
    if not currencies:
        return "currency"
    return "mixed: " + ", ".join(currencies)


#: Above this many points the scatter shows names on hover only (labels would overlap).
_MAX_POINT_LABELS = 6


def _short_label(name: str) -> str:
    """``base / channels.voice.aht=240, pay.x=19`` -> ``aht=240, x=19`` (the part that differs)."""
    tail = name.split(" / ", 1)[1] if " / " in name else name
    parts = [p.strip() for p in tail.split(",")]
    return ", ".join(p.split("=", 1)[0].rsplit(".", 1)[-1] + "=" + p.split("=", 1)[1]
                     if "=" in p else p for p in parts)


#: Axis titles of the frontier chart by the basis the frontier judges on.
_BASIS_AXIS = {"cost": "cost over the horizon ({currency})",
               "cost_per_handled": "cost per handled contact ({currency}; volumes differ)"}
#: The basis in words, for the table.
_BASIS_WORDS = {"cost": "total cost", "cost_per_handled": "cost per handled contact"}


def _frontier_figure(table: pd.DataFrame, currency: str) -> go.Figure:
    """One comparison group's scatter: the cost the frontier judges on against service level."""
    fig = go.Figure()
    bases = [b for b in dict.fromkeys(table["frontier_basis"].astype(str)) if b]
    basis = bases[0] if len(bases) == 1 else "cost"
    x_col = "frontier_cost" if len(bases) == 1 else "cost"
    plotted = table[np.isfinite(table[x_col].to_numpy(dtype=float))
                    & np.isfinite(table["service_level"].to_numpy(dtype=float))]
    efficient = plotted[plotted["is_efficient"].to_numpy(dtype=bool)]
    dominated = plotted[~plotted["is_efficient"].to_numpy(dtype=bool)]
    frontier = efficient.sort_values([x_col, "service_level"], kind="stable")
    if len(frontier):
        fig.add_trace(go.Scatter(x=_numbers(frontier[x_col]),
                                 y=_numbers(frontier["service_level"]), mode="lines",
                                 line={"color": _COLOURS[0], "dash": "dash"},
                                 name="efficient frontier", hoverinfo="skip"))
    # Point labels only while they stay readable; past that, the names are in the hover text.
    labelled = len(plotted) <= _MAX_POINT_LABELS
    what = "cost per handled contact" if basis == "cost_per_handled" else "cost"
    for rows, name, colour in ((efficient, "efficient", _COLOURS[0]),
                               (dominated, "not efficient", _COLOURS[7])):
        if len(rows) == 0:
            continue
        names = [html.escape(str(s)) for s in rows["scenario"]]
        fig.add_trace(go.Scatter(x=_numbers(rows[x_col]), y=_numbers(rows["service_level"]),
                                 mode="markers+text" if labelled else "markers",
                                 marker={"size": 10, "color": colour},
                                 text=[_short_label(n) for n in names] if labelled else None,
                                 customdata=names,
                                 textposition="top center", name=name,
                                 hovertemplate="%{customdata}<br>" + what + " %{x:,.2f}<br>"
                                               "service level %{y:.1%}<extra></extra>"))
    fig.update_xaxes(tickformat=",")
    fig.update_yaxes(tickformat=".1%")
    return _finish(fig, COMPARISON_CHART_TITLE,
                   _BASIS_AXIS[basis].format(currency=html.escape(currency)),
                   "service level (% answered within target time)")


def _budget_cell(value: Any, period: Any) -> str:
    text = _money(value)
    return f"{text} / {period}" if period and text != "n/a" and text != "-" else text


def _comparison_body(results: Sequence[ScenarioResult]) -> tuple[str, list[str]]:
    results = list(results)
    table = comparison_table(results)
    currency = _comparison_currency(results)
    title = "Scenario comparison"
    body = [f"<h1>{html.escape(title)}</h1>"]
    if len(table) == 0:
        body.append('<p class="note">No scenarios to compare.</p>')
    groups = list(dict.fromkeys(table["comparison_group"].astype(str)))
    header = ("scenario", f"cost ({currency})", f"cost per offered contact ({currency})",
              f"cost per handled contact ({currency})",
              "service level", "ASA (s)", "abandon rate", "occupancy", "FTE", "paid hours (h)",
              f"annual cost ({currency})", f"budget ({currency})", "cost vs budget",
              "compared within", "frontier judged on", "efficient",
              "schedule")
    formats: tuple[Callable[[Any], str], ...] = (
        _text, _money, _money, _money, _pct, _one_decimal, _pct, _pct, _two_decimals,
        _one_decimal, _money, _text, _pct, _text, _text, _yes_no, _text)
    columns = ("scenario", "cost", "cost_per_contact", "cost_per_handled", "service_level",
               "asa_s", "abandon_rate", "occupancy", "fte", "paid_hours", "annual_cost",
               "budget_text", "cost_vs_budget", "comparison_group", "basis_text",
               "is_efficient", "schedule")
    shown = table.assign(
        budget_text=[_budget_cell(b, p) for b, p in zip(table["budget"], table["budget_period"],
                                                        strict=True)],
        basis_text=[_BASIS_WORDS.get(b, b) for b in table["frontier_basis"]],
        schedule=[_status_gap_text(st, gap) for st, gap in zip(
            table["schedule_status"], table["schedule_gap"], strict=True)])
    numeric = (False,) + (True,) * 12 + (False,) * 4
    keep = list(range(len(columns)))
    if len(groups) == 1:
        # One group: its name and basis are said once under the table, not on every row.
        keep = [k for k, c in enumerate(columns) if c not in ("comparison_group", "basis_text")]
    rows = [tuple(formats[k](row[k]) for k in keep)
            for row in shown[list(columns)].itertuples(index=False, name=None)]
    if rows:
        body.append(_table_html([header[k] for k in keep], rows, [numeric[k] for k in keep]))
        judged = ""
        if len(groups) == 1:
            basis = str(table["frontier_basis"].iloc[0])
            judged = (f" All scenarios here are {html.escape(groups[0])}; the frontier is "
                      f"judged on {html.escape(_BASIS_WORDS.get(basis, basis))}.")
        body.append('<p class="note">Efficient: no other scenario of the same group (one '
                    "currency, one horizon length) costs no more and reaches at least the same "
                    "service level while being better in one of the two. The cost judged is the "
                    "total over the horizon when every scenario of the group offers the same "
                    "volume, else the cost per handled contact (a lower total that serves fewer "
                    "contacts is not a cheaper plan). Budgets are per the period shown."
                    + judged + "</p>")
        cut = table.loc[table["schedule_status"] == "time_limit", "scenario"].tolist()
        if cut:
            body.append('<p class="note"><strong>Schedule stopped at its time limit</strong> '
                        "(the safety net) for " + html.escape(", ".join(map(str, cut)))
                        + ": those plans depend on the machine's speed and load; raise "
                        "shifts.rules.time_limit_s or lower shifts.rules.max_nodes.</p>")
    unplotted = [str(s) for s, c, sl in zip(table["scenario"], table["frontier_cost"],
                                            table["service_level"], strict=True)
                 if not (math.isfinite(c) and math.isfinite(sl))]
    if unplotted:
        body.append('<p class="note">Not plotted (cost or service level unknown): '
                    + html.escape(", ".join(unplotted)) + "</p>")
    if not groups:
        body.append(_figure_html(_frontier_figure(table, currency), "ccplan-frontier"))
    for k, group in enumerate(groups):
        part = table[table["comparison_group"].astype(str) == group]
        if len(groups) > 1:
            body.append(f"<h2>{html.escape(group)}</h2>")
        group_currency = str(part["currency"].iloc[0]) or "currency"
        body.append(_figure_html(_frontier_figure(part, group_currency),
                                 "ccplan-frontier" if k == 0 else f"ccplan-frontier-{k + 1}"))
    return title, body


def comparison_report_html(results: Sequence[ScenarioResult]) -> str:
    """A self-contained HTML report comparing scenario results.

    The page holds the :func:`~scenarios.compare._table.comparison_table` (money
    with two decimals and thousands separators, fractions as percentages)
    and, per comparison group (one currency and horizon length), a scatter of
    the cost the frontier judges on (x: total cost, or cost per handled
    contact when the group's volumes differ; the axis says which) against
    service level (y, shown as %) titled :data:`COMPARISON_CHART_TITLE`,
    with each point labelled by its scenario and the efficient frontier
    drawn as a line through the efficient points in order of cost.
    Scenarios whose cost or service level is NaN are listed in the table
    but not plotted. plotly.js is embedded once; the same arguments give byte-identical text.

    Parameters
    ----------
    results : sequence of ScenarioResult
        The results, in the order the table lists them. Not changed.

    Returns
    -------
    str
        A complete HTML page.

    Raises
    ------
    ValueError
        When a result's ``totals`` is malformed (see
        :func:`~scenarios.compare._table.comparison_table`).

    Examples
    --------
    >>> page = comparison_report_html([])
    >>> page.startswith("<!DOCTYPE html>"), "No scenarios to compare." in page
    (True, True)
    """
    title, body = _comparison_body(results)
    return _page(title, body)


def run_report_html(results: Sequence[ScenarioResult], *,
                    outcomes: Sequence[Any] = ()) -> str:
    """The one self-contained page of ``ccplan run``: the comparison, then the base scenario.

    With a single result this is :func:`scenario_report_html`; with variants
    or sweep points, the comparison of all of them (table and cost against
    service level) comes first, then the base scenario's full report, then
    the expectation outcomes of the other scenarios. plotly.js is embedded
    once; the same arguments give byte-identical text.

    Parameters
    ----------
    results : sequence of ScenarioResult
        The base scenario first. Not changed.
    outcomes : sequence, optional
        Expectation outcomes (attributes ``scenario``, ``expectation``,
        ``passed``, ``message``) of any of the results.

    Returns
    -------
    str
        A complete HTML page.
    """
    results = list(results)
    if not results:
        return comparison_report_html([])
    base = results[0]
    mine = [o for o in outcomes if getattr(o, "scenario", base.name) == base.name]
    title, body = _scenario_body(base, mine)
    if len(results) == 1:
        return _page(title, body)
    _ctitle, comparison = _comparison_body(results)
    others = [o for o in outcomes if getattr(o, "scenario", base.name) != base.name]
    page = [f"<h1>{html.escape(base.name)}: {len(results)} scenarios</h1>", *comparison[1:],
            "<hr>", *body]
    if others:
        page.append(_outcomes_html(others, ()).replace(
            "<h2>Expectations</h2>", "<h2>Expectations of the variants and sweep points</h2>"))
    return _page(f"{base.name}: {len(results)} scenarios", page)


# --- the demo's index page -------------------------------------------------------------------

def _count(n: float, noun: str) -> str:
    """``1 day``, ``7 days``, ``0.5 days``."""
    return f"{n:g} {noun}" + ("" if n == 1 else "s")


def _horizon_text(result: ScenarioResult) -> str:
    """``Horizon: 7 days from Mon 2026-03-02 (Europe/London), 30-minute intervals.``"""
    summary = result.summary
    try:
        start = pd.Timestamp(summary["horizon_start"])
        end = pd.Timestamp(summary["horizon_end"])
        interval_min = float(summary["interval_s"]) / 60.0
    except (KeyError, TypeError, ValueError):
        return "Horizon: not recorded."
    zone = summary.get("timezone")
    if zone:
        start, end = start.tz_convert(zone), end.tz_convert(zone)
    days = (end - start) / pd.Timedelta(days=1)
    where = f" ({zone})" if zone else ""
    return (f"Horizon: {_count(days, 'day')} from {start:%a %Y-%m-%d}{where}, "
            f"{interval_min:g}-minute intervals.")


def demo_index_html(examples: Sequence[tuple[str, str, str, Sequence[ScenarioResult]]], *,
                    outcomes: Sequence[Any] = ()) -> str:
    """The index page of ``ccplan demo``: every example's key figures, checks and report link.

    One section per example file: its description, a link to the example's
    own report (``<folder>/report.html``, relative to the index) and a table
    of its scenarios (cost, cost per offered contact, service level, ASA,
    abandon rate, occupancy, FTE and the expectations passed), then the
    failed expectations, if any. The page has no charts (each example's
    report has them) and no script, so it is small and opens offline; the
    same arguments give byte-identical text.

    Parameters
    ----------
    examples : sequence of (str, str, str, sequence of ScenarioResult)
        Per example file, in page order: the folder its bundle was written
        to (relative to the index page), the file's name, a description
        (plain text; may be empty) and its results, base scenario first.
    outcomes : sequence, optional
        Expectation outcomes (attributes ``scenario``, ``passed``,
        ``message``) of any of the results.

    Returns
    -------
    str
        A complete HTML page. Money has two decimals and thousands
        separators; fractions are shown as percentages.

    Examples
    --------
    >>> page = demo_index_html([])
    >>> page.startswith("<!DOCTYPE html>"), "0 of 0 expectations passed" in page
    (True, True)
    """
    outcomes = list(outcomes)
    failed = [o for o in outcomes if not o.passed]
    n_scenarios = sum(len(results) for *_rest, results in examples)
    verdict = "pass" if not failed else "fail"
    title = "ccplan demo: the bundled example scenarios"
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{_count(len(examples), 'example file')}, {_count(n_scenarios, 'scenario')}, each "
        "run end to end: forecast, staffing requirements, the shift schedule and the "
        "simulation where the file asks for them, and cost. Checks: "
        f'<span class="{verdict}">{len(outcomes) - len(failed)} of {len(outcomes)} '
        "expectations passed</span>.</p>",
        '<p class="note">Each example has a folder beside this page with its full report '
        "(charts by interval, the cost breakdown, every check) and its tables: intervals, "
        "channels and totals (CSV and Parquet), cost_breakdown.csv, shifts.csv and "
        "summary.json. Cost is over each scenario's horizon; cost per contact is per offered "
        "contact.</p>",
    ]
    if failed:
        items = "".join(f'<li><span class="fail">FAIL</span> {html.escape(o.message)}</li>'
                        for o in failed)
        body.append(f'<ul class="outcomes">{items}</ul>')
    header_tail = ("service level", "ASA (s)", "abandon rate", "occupancy", "FTE",
                   "checks passed")
    for folder, file_name, description, results in examples:
        results = list(results)
        href = html.escape(f"{folder}/report.html", quote=True)
        body.append(f"<h2>{html.escape(file_name)}</h2>")
        if description:
            # `code` spans of the file's comment shown as code
            body.append("<p>" + re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(description))
                        + "</p>")
        if results:
            body.append(f"<p>{html.escape(_horizon_text(results[0]))}</p>")
        body.append(f'<p><a href="{href}">Open the report of {html.escape(file_name)}</a> '
                    f"(folder {html.escape(folder)}/)</p>")
        if not results:
            body.append('<p class="note">No scenario results.</p>')
            continue
        table = comparison_table(results)
        currency = _comparison_currency(results)
        rows = []
        for row in table.itertuples(index=False):
            mine = [o for o in outcomes if o.scenario == row.scenario]
            passed = sum(1 for o in mine if o.passed)
            rows.append((_text(row.scenario), _money(row.cost), _money(row.cost_per_contact),
                         _pct(row.service_level), _one_decimal(row.asa_s),
                         _pct(row.abandon_rate), _pct(row.occupancy), _two_decimals(row.fte),
                         f"{passed} of {len(mine)}"))
        header = ("scenario", f"cost ({currency})", f"cost per contact ({currency})",
                  *header_tail)
        body.append(_table_html(header, rows, (False,) + (True,) * 8))
        mine_failed = [o for o in failed if any(o.scenario == r.name for r in results)]
        if mine_failed:
            items = "".join(f'<li><span class="fail">FAIL</span> {html.escape(o.message)}</li>'
                            for o in mine_failed)
            body.append(f'<ul class="outcomes">{items}</ul>')
    version = next((str(r.summary["ccplan_version"]) for *_rest, rs in examples for r in rs
                    if r.summary.get("ccplan_version")), None)
    if version is not None:
        body.append(f'<p class="note">Written by ccplan {html.escape(version)} '
                    "(<code>ccplan demo</code>).</p>")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])
