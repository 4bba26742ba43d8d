"""The HTML report of one scenario result: its facts, totals, channels, expectations and
the five charts of :mod:`scenarios.report._scenario_figures`.

The page opens offline: plotly.js is embedded inline once and every chart is
written with ``include_plotlyjs=False`` and a fixed ``div_id``; the same
result always gives byte-identical HTML. The function only builds the page
text; the caller writes it (``scenarios.files.output.write_text_atomic``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ..compare import comparison_table, solver_text
from ..pipeline import ScenarioResult
from ._page import (
    _currency_of,
    _facts_html,
    _is_missing,
    _money,
    _one_decimal,
    _pct,
    _table_html,
    _text,
    _two_decimals,
    _whole,
    _with_ci,
    figure_html,
    page_html,
)
from ._scenario_figures import scenario_figures

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
            parts.append(solver_text(schedule.get("status"), schedule.get("mip_gap")))
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
    header: tuple[str, ...] = (
              "channel", "offered (contacts)", "handled (contacts)", "abandoned (contacts)",
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


def _behaviour_html(result: ScenarioResult) -> str:
    """The customer-behaviour table (a table of its own, so that the channels table stays
    readable); empty when no channel has a behaviour."""
    channels = result.channels
    cells = [cell for cell in _BEHAVIOUR_CELLS if cell[0] in channels.columns]
    if len(channels) == 0 or not cells:
        return ""
    header = ("channel",) + tuple(label for _column, label, _fmt in cells)
    rows = [(_text(row["channel"]),
             *(fmt(row[column]) for column, _label, fmt in cells))
            for _, row in channels.iterrows()]
    note = ('<p class="note">With redials, offered counts every attempt: first attempts '
            "(one per customer) + redials. Hang-ups and callbacks are described in "
            "docs/scenarios.md.</p>")
    return ("<h2>Customer behaviour</h2>\n" + note + "\n"
            + _table_html(header, rows, (False,) + (True,) * len(cells)))


#: The customer-behaviour columns of the channels table (``BEHAVIOUR_COLUMNS``), as the report
#: heads and writes them; shown only when the result has them (a channel has the behaviour).
_BEHAVIOUR_CELLS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("hung_up", "hung up at once (short abandons)", _one_decimal),
    ("first_attempts", "first attempts (customers)", _one_decimal),
    ("redials", "redials (contacts)", _one_decimal),
    ("first_attempts_answered_share", "first attempts answered", _pct),
    ("callbacks_offered", "callbacks offered", _one_decimal),
    ("callbacks_accepted", "callbacks accepted", _one_decimal),
    ("callbacks_kept", "callbacks kept (within the promise)", _one_decimal),
)


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


#: The headline numbers of a scenario, first in its section: comparison-table column, label,
#: and the text of the value (with its unit; ``{currency}`` filled in).
_HEADLINE: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("cost", "cost over the horizon", lambda v: f"{_money(v)} {{currency}}"),
    ("cost_per_contact", "cost per offered contact", lambda v: f"{_money(v)} {{currency}}"),
    ("service_level", "service level", _pct),
    ("asa_s", "ASA (mean wait of answered)", lambda v: f"{_one_decimal(v)} s"),
    ("abandon_rate", "abandoned", _pct),
    ("occupancy", "occupancy", _pct),
    ("fte", "FTE (paid hours / full-time week)", lambda v: f"{_two_decimals(v)} FTE"),
    ("headcount", "headcount (agents the roster needs)", lambda v: f"{_whole(v)} agents"),
    ("peak_agents_on_shift", "peak agents on shift", lambda v: f"{_whole(v)} agents"),
)

#: What the headcount and peak figures mean (the comparison table's header says it too).
HEADCOUNT_NOTE = ("Headcount: the agents the shift schedule needs (each weekly tour's agents "
                  "once, plus the daily shifts of the busiest day). Peak agents on shift: the "
                  "most agents whose shifts cover one moment, breaks included (seats and "
                  "logins at the busiest time). Both are n/a without a shift schedule.")


def _headline_html(result: ScenarioResult, row: pd.Series) -> str:
    """The headline numbers as a row of boxes, each with its unit; ``data-kpi`` names the
    comparison-table column it shows."""
    currency = html.escape(_currency_of(result))
    boxes = []
    for column, label, fmt in _HEADLINE:
        value = row[column] if column in row.index else None
        text = (html.escape(fmt(value)).replace("{currency}", currency)
                if not _is_missing(value) else "n/a")
        if _is_missing(value) and column in ("headcount", "peak_agents_on_shift"):
            text = "n/a (no shift schedule)"
        boxes.append(f'<div class="kpi" data-kpi="{column}"><div class="kpi-value">{text}</div>'
                     f'<div class="kpi-label">{html.escape(label)}</div></div>')
    solver = solver_text(row.get("schedule_status"), row.get("schedule_gap"))
    return ('<div class="kpis">' + "".join(boxes) + "</div>\n"
            f'<p class="note">Shift schedule: <strong>{html.escape(solver)}</strong>. '
            + html.escape(HEADCOUNT_NOTE) + "</p>")


def _capacity_html(result: ScenarioResult, h: str) -> str:
    """A short summary of the scenario's capacity plan (``capacity:``), or ``""`` without one;
    the full report is ``ccplan capacity``'s."""
    capacity = result.capacity
    if capacity is None:
        return ""
    summary = capacity.summary
    currency = capacity.currency or _currency_of(result)

    def get(key: str) -> Any:
        value = summary.get(key)
        return None if _is_missing(value) else value

    first = get("first_week_meeting_target")
    start = pd.Timestamp(capacity.start)
    facts = [
        ("plan", f"{_text(get('plan'))}, {capacity.n_weeks} weeks from {start:%a %Y-%m-%d}"),
        ("cost over the plan", f"{_money(get('cost'))} {currency}"),
        ("annual cost", f"{_money(get('annual_cost'))} {currency}"
                        + (f" ({get('annual_cost_basis')})" if get("annual_cost_basis") else "")),
        ("hires", f"{_one_decimal(get('hires_total'))} agents"),
        ("short", f"{_one_decimal(get('short_fte_weeks'))} FTE-weeks"),
        ("overtime", f"{_one_decimal(get('overtime_fte_weeks'))} FTE-weeks"),
        ("lowest weekly coverage", _pct(get("min_weekly_coverage"))),
        ("first week meeting the target", "none" if first is None else
         f"week {int(first)} (from {start + pd.Timedelta(weeks=int(first)):%a %Y-%m-%d})"),
    ]
    if get("status"):
        facts.append(("hiring plan (solver)", solver_text(get("status"), get("mip_gap"))))
    file = result.summary.get("file")
    command = f"ccplan capacity {file}" if file else "ccplan capacity FILE"
    return (f"<{h}>Capacity plan (the weeks ahead)</{h}>\n" + _facts_html(facts) + "\n"
            f'<p class="note"><code>{html.escape(command)}</code> writes the full capacity '
            "report (weekly headcount and hiring, the requirement against the supply, months "
            "for finance).</p>")


#: The div ids of a section's charts, after its prefix, in the order of ``scenario_figures``.
_CHART_IDS = ("volumes", "agents", "service-level", "asa", "staffing-heatmap", "cost-breakdown")


def _scenario_sections(result: ScenarioResult, outcomes: Sequence[Any], row: pd.Series,
                       id_prefix: str = "ccplan", level: int = 2) -> list[str]:
    """One scenario's report below its title: headline numbers first, then the facts,
    tables, checks and charts; headings at ``level``."""
    h = f"h{level}"
    figures = scenario_figures(result)
    ids = [f"{id_prefix}-{n}" for n in _CHART_IDS]
    body = [
        _headline_html(result, row),
        f"<{h}>Facts</{h}>",
        _facts_html(_summary_facts(result)),
        f"<{h}>Totals</{h}>",
        _totals_html(result),
        f"<{h}>Channels</{h}>",
        '<p class="note">[CI]: confidence interval of the simulated mean, where known.</p>',
        _channels_html(result),
    ]
    behaviour = _behaviour_html(result)
    if behaviour:
        body.append(behaviour.replace("<h2>", f"<{h}>").replace("</h2>", f"</{h}>"))
    capacity = _capacity_html(result, h)
    if capacity:
        body.append(capacity)
    outcome_section = _outcomes_html(list(outcomes), result.expectations)
    if outcome_section:
        body.append(outcome_section.replace("<h2>", f"<{h}>").replace("</h2>", f"</{h}>"))
    body.append(f"<{h}>By interval</{h}>")
    body.append('<p class="note">The four charts share one time axis (local time): pick a day '
                "with the buttons above each chart, or drag across a chart to zoom; "
                "double-click to see the whole horizon again.</p>")
    for fig, div_id in zip(figures[:4], ids[:4], strict=True):
        body.append(figure_html(fig, div_id))
    body += [f"<{h}>By weekday and time of day</{h}>", figure_html(figures[4], ids[4]),
             f"<{h}>Cost breakdown</{h}>",
             '<p class="note">The same cost split two ways: what it pays (wages, premiums, '
             "overhead) and what the paid time buys (handling contacts, idle, shrinkage, "
             "breaks). Each bar sums to the cost over the horizon; they are not added "
             "together.</p>",
             _breakdown_table_html(result), figure_html(figures[5], ids[5])]
    return body


def _scenario_body(result: ScenarioResult, outcomes: Sequence[Any]) -> tuple[str, list[str]]:
    title = f"Scenario report: {result.name}"
    row = comparison_table([result]).iloc[0] if len(result.totals) == 1 else pd.Series(
        dtype=object)
    return title, [f"<h1>{html.escape(title)}</h1>",
                   *_scenario_sections(result, outcomes, row)]


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
        The result; its tables follow :mod:`scenarios.pipeline.contracts` (``intervals``
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
    >>> from scenarios.pipeline import ScenarioResult
    >>> from scenarios.pipeline.contracts import INTERVAL_COLUMNS
    >>> empty = pd.DataFrame()
    >>> intervals = pd.DataFrame(columns=list(INTERVAL_COLUMNS))
    >>> page = scenario_report_html(ScenarioResult("demo", intervals, empty, empty, empty, empty))
    >>> page.startswith("<!DOCTYPE html>"), "<h1>Scenario report: demo</h1>" in page
    (True, True)
    """
    title, body = _scenario_body(result, outcomes)
    return page_html(title, body)
