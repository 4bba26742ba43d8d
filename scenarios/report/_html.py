"""Self-contained HTML reports across scenarios: the comparison (``ccplan compare``), the
one page of ``ccplan run`` (the comparison, then the base scenario's report) and
the index page of ``ccplan demo``.

The pages open offline (plotly.js inline once) and are byte-identical for the
same results; every text taken from results is escaped. These functions only
build the page text; the caller writes it
(``scenarios.files.output.write_text_atomic``).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ..compare import comparison_table, solver_text
from ..pipeline import ScenarioResult
from ._labels import scenario_label
from ._money_figures import MAX_POINT_LABELS, frontier_figure
from ._page import (
    RESIZE_ON_OPEN,
    _money,
    _one_decimal,
    _pct,
    _table_html,
    _text,
    _two_decimals,
    _whole,
    _yes_no,
    figure_html,
    page_html,
)
from ._scenario_report import (
    HEADCOUNT_NOTE,
    _scenario_body,
    _scenario_sections,
)


def _comparison_currency(results: Sequence[ScenarioResult]) -> str:
    currencies = list(dict.fromkeys(str(r.summary["currency"]) for r in results
                                    if r.summary.get("currency")))
    if len(currencies) == 1:
        return currencies[0]
    if not currencies:
        return "currency"
    return "mixed: " + ", ".join(currencies)


#: The basis the frontier judges on, in words, for the table.
_BASIS_WORDS = {"cost": "total cost", "cost_per_handled": "cost per handled contact"}


def _budget_cell(text: str, period: Any) -> str:
    return f"{text} / {period}" if period and text != "n/a" and text != "-" else text


#: Tooltips of the comparison table's headers (also said in the note under it).
_TIPS = {
    "headcount": "agents the shift schedule needs: each weekly tour's agents once, plus the "
                 "daily shifts of the busiest day (n/a without a shift schedule)",
    "peak": "the most agents whose shifts cover one moment, summed over all groups, breaks "
            "included: seats and logins at the busiest time (n/a without a shift schedule)",
    "schedule": "the shift solver's verdict: 'optimal within 0.8%' means no roster costs more "
                "than 0.8% less; a stop at the time limit depends on the machine's speed",
    "efficient": "no other scenario of the same group costs no more and reaches at least the "
                 "same service level while being better in one of the two",
}


def _comparison_body(results: Sequence[ScenarioResult]) -> tuple[str, list[str]]:
    results = list(results)
    table = comparison_table(results)
    currency = _comparison_currency(results)
    title = "Scenario comparison"
    body = [f"<h1>{html.escape(title)}</h1>"]
    if len(table) == 0:
        body.append('<p class="note">No scenarios to compare.</p>')
    groups = list(dict.fromkeys(table["comparison_group"].astype(str)))
    points = table.assign(label=[scenario_label(r) for r in results],
                          number=range(1, len(table) + 1))
    # Past MAX_POINT_LABELS points the charts number them by their row here.
    is_numbered = len(table) > MAX_POINT_LABELS
    mixed = currency.startswith("mixed")
    unit = "" if mixed else f" ({currency})"   # mixed currencies: each amount names its own

    def money(value: Any, row_currency: str) -> str:
        text = _money(value)
        return f"{text} {row_currency}" if mixed and text != "n/a" else text

    # The reader's columns first (what each plan costs, serves and needs, and whether it is
    # efficient); the finance detail after them (the table scrolls sideways, the scenario
    # stays in view).
    spec: tuple[tuple[str, str, str, Callable[[Any], str], bool], ...] = (
        ("scenario", "scenario", "", _text, False),
        ("cost_text", f"cost{unit}", "", _text, True),
        ("per_contact_text", f"cost per offered contact{unit}", "", _text, True),
        ("per_handled_text", f"cost per handled contact{unit}", "", _text, True),
        ("service_level", "service level", "", _pct, True),
        ("asa_s", "ASA (s)", "", _one_decimal, True),
        ("abandon_rate", "abandon rate", "", _pct, True),
        ("occupancy", "occupancy", "", _pct, True),
        ("fte", "FTE", "", _two_decimals, True),
        ("headcount", "headcount (agents)", _TIPS["headcount"], _whole, True),
        ("peak_agents_on_shift", "peak agents on shift (agents)", _TIPS["peak"], _whole, True),
        ("is_efficient", "efficient", _TIPS["efficient"], _yes_no, False),
        ("basis_text", "frontier judged on", "", _text, False),
        ("schedule", "shift schedule (solver)", _TIPS["schedule"], _text, False),
        ("paid_hours", "paid hours (h)", "", _one_decimal, True),
        ("annual_text", f"annual cost{unit}", "", _text, True),
        ("budget_text", f"budget{unit}", "", _text, True),
        ("cost_vs_budget", "cost vs budget", "", _pct, True),
        ("comparison_group", "compared within", "", _text, False),
    )
    columns = tuple(c for c, *_rest in spec)
    header = tuple(h for _c, h, *_rest in spec)
    tips = tuple(t for _c, _h, t, *_rest in spec)
    formats = tuple(f for *_rest, f, _n in spec)
    numeric = tuple(n for *_rest, n in spec)
    long_label = {r.name: r.long_label for r in results}  # sweep points' fields, short
    row_currency = list(table["currency"])
    shown = table.assign(
        scenario=[long_label.get(s, s) for s in table["scenario"]],
        cost_text=[money(v, c) for v, c in zip(table["cost"], row_currency, strict=True)],
        per_contact_text=[money(v, c) for v, c in zip(table["cost_per_contact"], row_currency,
                                                      strict=True)],
        per_handled_text=[money(v, c) for v, c in zip(table["cost_per_handled"], row_currency,
                                                      strict=True)],
        annual_text=[money(v, c) for v, c in zip(table["annual_cost"], row_currency,
                                                 strict=True)],
        budget_text=[_budget_cell(money(b, c), p) for b, p, c in zip(
            table["budget"], table["budget_period"], row_currency, strict=True)],
        basis_text=[_BASIS_WORDS.get(b, b) for b in table["frontier_basis"]],
        schedule=[solver_text(st, gap) for st, gap in zip(
            table["schedule_status"], table["schedule_gap"], strict=True)])
    keep = list(range(len(columns)))
    if len(groups) == 1:
        # One group: its name and basis are said once under the table, not on every row.
        keep = [k for k, c in enumerate(columns) if c not in ("comparison_group", "basis_text")]
    rows = [tuple(formats[k](row[k]) for k in keep)
            for row in shown[list(columns)].itertuples(index=False, name=None)]
    head, is_num, tip = [header[k] for k in keep], [numeric[k] for k in keep], [
        tips[k] for k in keep]
    if is_numbered:
        rows = [(str(n), *row) for n, row in enumerate(rows, start=1)]
        head, is_num, tip = (["#", *head], [True, *is_num],
                             ["the point's number on the cost against service level chart",
                              *tip])
    if rows:
        body.append(_table_html(head, rows, is_num, tips=tip))
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
                    + judged + " " + html.escape(HEADCOUNT_NOTE) + " Shift schedule: "
                    + html.escape(_TIPS["schedule"]) + ".</p>")
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
        body.append(figure_html(frontier_figure(points, currency), "ccplan-frontier"))
    for k, group in enumerate(groups):
        part = points[points["comparison_group"].astype(str) == group]
        if len(groups) > 1:
            body.append(f"<h2>{html.escape(group)}</h2>")
        group_currency = str(part["currency"].iloc[0]) or "currency"
        body.append(figure_html(frontier_figure(part, group_currency),
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
    return page_html(title, body)


def run_report_html(results: Sequence[ScenarioResult], *,
                    outcomes: Sequence[Any] = ()) -> str:
    """The one self-contained page of ``ccplan run``: the comparison, then every scenario.

    With a single result this is :func:`scenario_report_html`; with variants
    or sweep points, the comparison of all of them (table and cost against
    service level) comes first, then one collapsible section per scenario
    (``<details>``; the base open, the others closed), each with its headline
    numbers first (cost, cost per contact, service level, ASA, abandon rate,
    occupancy, FTE, headcount, peak agents on shift), then its facts, tables,
    expectation outcomes and charts. plotly.js is embedded once; the same
    arguments give byte-identical text.

    Parameters
    ----------
    results : sequence of ScenarioResult
        The base scenario first. Not changed.
    outcomes : sequence, optional
        Expectation outcomes (attributes ``scenario``, ``expectation``,
        ``passed``, ``message``) of any of the results; each is listed in its
        scenario's section.

    Returns
    -------
    str
        A complete HTML page.
    """
    results = list(results)
    if not results:
        return comparison_report_html([])
    base = results[0]
    if len(results) == 1:
        mine = [o for o in outcomes if getattr(o, "scenario", base.name) == base.name]
        title, body = _scenario_body(base, mine)
        return page_html(title, body)
    _ctitle, comparison = _comparison_body(results)
    table = comparison_table(results)
    currency = _comparison_currency(results)
    page = [f"<h1>{html.escape(base.name)}: {len(results)} scenarios</h1>", *comparison[1:],
            "<h2>Each scenario</h2>",
            '<p class="note">Click a scenario to open or close its section: headline numbers, '
            "facts, tables, checks and charts. The base is open.</p>"]
    for k, result in enumerate(results):
        row = table.iloc[k]
        mine = [o for o in outcomes if getattr(o, "scenario", base.name) == result.name]
        money = _money(row["cost"])
        numbers = (f"{money} {row['currency'] or currency}, service level "
                   f"{_pct(row['service_level'])}, {_two_decimals(row['fte'])} FTE")
        page.append(f'<details class="scenario" id="scenario-{k + 1}"'
                    + (" open" if k == 0 else "") + ">")
        page.append(f"<summary>{html.escape(result.long_label)} "
                    f'<span class="summary-numbers">{html.escape(numbers)}</span></summary>')
        page += _scenario_sections(result, mine, row,
                                   id_prefix="ccplan" if k == 0 else f"ccplan-{k + 1}", level=3)
        page.append("</details>")
    page.append(RESIZE_ON_OPEN)
    return page_html(f"{base.name}: {len(results)} scenarios", page)


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
    abandon rate, occupancy, FTE, headcount, peak agents on shift and the
    expectations passed), then the
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
        "contact. " + html.escape(HEADCOUNT_NOTE) + "</p>",
    ]
    if failed:
        items = "".join(f'<li><span class="fail">FAIL</span> {html.escape(o.message)}</li>'
                        for o in failed)
        body.append(f'<ul class="outcomes">{items}</ul>')
    header_tail = ("service level", "ASA (s)", "abandon rate", "occupancy", "FTE",
                   "headcount (agents)", "peak agents on shift (agents)", "checks passed")
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
        long_label = {r.name: r.long_label for r in results}
        for row in table.itertuples(index=False):
            mine = [o for o in outcomes if o.scenario == row.scenario]
            passed = sum(1 for o in mine if o.passed)
            rows.append((_text(long_label.get(row.scenario, row.scenario)), _money(row.cost),
                         _money(row.cost_per_contact),
                         _pct(row.service_level), _one_decimal(row.asa_s),
                         _pct(row.abandon_rate), _pct(row.occupancy), _two_decimals(row.fte),
                         _whole(row.headcount), _whole(row.peak_agents_on_shift),
                         f"{passed} of {len(mine)}"))
        header = ("scenario", f"cost ({currency})", f"cost per contact ({currency})",
                  *header_tail)
        body.append(_table_html(header, rows, (False,) + (True,) * 10,
                                tips=("",) * 8 + (_TIPS["headcount"], _TIPS["peak"], "")))
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
    return page_html(title, body, plotly=False)
