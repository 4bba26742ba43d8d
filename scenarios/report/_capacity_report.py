"""The HTML report of the long-range capacity plan (``ccplan capacity``).

Headline numbers first (the year's cost, hires, the lowest weekly coverage,
the first week at target, the cost of the risk insurance), then the charts of
:mod:`scenarios.report._capacity_figures`, the hiring classes and the
monthly finance table. With several plans (the base and its variants, e.g.
8x5 / extended / 24x7) a comparison section comes first.

Like the other reports the page opens offline (plotly.js inline once, fixed
``div_id``\\ s) and the same results give byte-identical text; user text is
escaped in :mod:`scenarios.report._page`. The function builds the text only;
the caller writes it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ..compare import solver_text
from ..pipeline import CapacityResult
from ._capacity_figures import (
    WEEKLY_CHARTS,
    capacity_comparison_figure,
    capacity_figure,
    groups_of,
    month_labels,
)
from ._page import (
    _facts_html,
    _is_missing,
    _money,
    _one_decimal,
    _pct,
    _table_html,
    _text,
    _two_decimals,
    _whole,
    figure_html,
    page_html,
)

#: The headline boxes: a row of cards (inline styles: the shared page CSS stays as it is).
_CARDS = "display:flex;flex-wrap:wrap;align-items:flex-start;gap:0.8em;margin:0.8em 0 1.2em 0"
_CARD = ("border:1px solid #ddd;border-radius:6px;padding:0.5em 0.9em;flex:1 1 9em;"
         "max-width:16em;background:#fafafa")
_CARD_VALUE = "font-size:1.35em;font-weight:bold;font-variant-numeric:tabular-nums"
_CARD_LABEL = "color:#555;font-size:0.85em"


def _number(value: Any) -> float:
    """A summary value as a float; NaN when missing or not a number."""
    if _is_missing(value) or isinstance(value, bool):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _date(value: Any) -> str:
    return "n/a" if _is_missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _week_date(result: CapacityResult, week: float) -> str:
    """``week 12 (2027-03-29)``: a week of the plan and its Monday."""
    monday = pd.Timestamp(result.start) + pd.Timedelta(days=7 * int(week))
    return f"week {int(week)} ({monday.strftime('%Y-%m-%d')})"


def _first_week_text(result: CapacityResult) -> str:
    week = _number(result.summary.get("first_week_meeting_target"))
    if not math.isfinite(week):
        return "not within the plan"
    return _week_date(result, week)


def _first_week_card(result: CapacityResult) -> tuple[str, str]:
    """(value, label) of the first-week box: ``week 6`` and its Monday in the label."""
    week = _number(result.summary.get("first_week_meeting_target"))
    if not math.isfinite(week):
        return "not reached", "first week meeting every target: none within the plan"
    monday = pd.Timestamp(result.start) + pd.Timedelta(days=7 * int(week))
    return f"week {int(week)}", f"first week meeting every target (Monday {monday:%Y-%m-%d})"


def _money_whole(value: Any) -> str:
    return "n/a" if _is_missing(value) else f"{float(value):,.0f}"


def _headlines(result: CapacityResult) -> list[tuple[str, str, str]]:
    """(value, label, tooltip) of each headline box, in reading order."""
    summary = result.summary
    currency = html.escape(str(result.currency))
    basis = _text(summary.get("annual_cost_basis"))
    boxes = [
        (_money_whole(summary.get("annual_cost")), f"annual cost ({currency})",
         f"basis: {basis}"),
        (_whole(summary.get("hires_total")), "hires over the plan",
         "people starting in hiring classes, all groups"),
        (_pct(summary.get("min_weekly_coverage")), "lowest weekly coverage",
         "(available + overtime) / required FTE, worst week and group, at most 100%"),
        (*_first_week_card(result),
         "the first week whose expected service level reaches every channel's target and "
         "stays there"),
    ]
    probability = _number(summary.get("min_coverage_probability"))
    if math.isfinite(probability):
        boxes.append((_pct(probability), "lowest weekly probability covered",
                      "share of the Monte Carlo risk runs in which supply covers the requirement"
                      ", worst week and group"))
    insurance = _number(summary.get("insurance_cost"))
    if math.isfinite(insurance):
        shown = _money_whole(insurance)
    else:
        shown = "n/a" if math.isfinite(probability) else "no risk runs"
    boxes.append((shown, f"insurance cost ({currency})",
                  "the plan optimised at the asked probability minus the plan for the point "
                  "forecast (risk runs with plan: optimise)"))
    return boxes


def _headlines_html(result: CapacityResult) -> str:
    parts = [f'<div class="headline" style="{_CARDS}">']
    for value, label, tooltip in _headlines(result):
        parts.append(f'<div style="{_CARD}" title="{html.escape(tooltip)}">'
                     f'<div style="{_CARD_VALUE}">{html.escape(value)}</div>'
                     f'<div style="{_CARD_LABEL}">{label}</div></div>')
    parts.append("</div>")
    return "".join(parts)


def _plan_text(result: CapacityResult) -> str:
    summary = result.summary
    plan = str(summary.get("plan", ""))
    if plan == "optimise":
        status = summary.get("status")
        solver = solver_text(status, summary.get("mip_gap"))
        text = f"optimised hiring classes (MILP, HiGHS): {solver}"
    elif plan == "given":
        text = "the hiring classes given in the file (what-if)"
    else:
        text = _text(summary.get("plan"))
    return text


def _facts(result: CapacityResult) -> list[tuple[str, str]]:
    summary = result.summary
    start = pd.Timestamp(result.start)
    end = start + pd.Timedelta(days=7 * int(result.n_weeks) - 1)
    return [
        ("scenario", str(result.scenario)),
        ("horizon", f"{int(result.n_weeks)} weeks, {start.strftime('%Y-%m-%d')} to "
                    f"{end.strftime('%Y-%m-%d')}"),
        ("agent groups", ", ".join(groups_of(result))),
        ("hiring plan", _plan_text(result)),
        (f"cost over the horizon ({result.currency})", _money(summary.get("cost"))),
        ("annual cost basis", _text(summary.get("annual_cost_basis"))),
        ("FTE-weeks short after overtime", _one_decimal(summary.get("short_fte_weeks"))),
        ("FTE-weeks of overtime", _one_decimal(summary.get("overtime_fte_weeks"))),
        ("currency", str(result.currency)),
    ]


#: The hiring classes table: column, heading, formatter.
_CLASS_CELLS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("group", "group", _text),
    ("start_date", "class starts (Monday, week)", _date),
    ("size", "hires", _whole),
    ("training_weeks", "training (weeks)", _whole),
    ("graduation_share", "graduate", _pct),
    ("graduates", "graduates (expected)", _one_decimal),
    ("first_floor_date", "first week on the floor (Monday, week)", _date),
)
#: The week number shown beside each date of the classes table.
_CLASS_WEEKS = {"start_date": "start_week", "first_floor_date": "first_floor_week"}


def _classes_html(result: CapacityResult) -> str:
    classes = result.classes
    if len(classes) == 0:
        return '<p class="note">No hiring classes: the starting headcount carries the plan.</p>'
    ordered = classes.sort_values(["start_week", "group"], kind="stable")
    rows = []
    for _, row in ordered.iterrows():
        cells = []
        for column, _h, fmt in _CLASS_CELLS:
            text = fmt(row[column])
            if column in _CLASS_WEEKS:
                text += f" (week {_whole(row[_CLASS_WEEKS[column]])})"
            cells.append(text)
        rows.append(tuple(cells))
    return _table_html(tuple(h for _c, h, _f in _CLASS_CELLS), rows,
                       tuple(c != "group" for c, _h, _f in _CLASS_CELLS))


#: The monthly finance table: column, heading ({currency} filled in), formatter.
_MONTH_CELLS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("headcount", "on the floor", _one_decimal),
    ("fte_on_floor", "FTE on the floor", _one_decimal),
    ("available_fte", "available FTE", _one_decimal),
    ("required_fte", "required FTE", _one_decimal),
    ("hires", "hires", _one_decimal),
    ("leavers", "leavers", _one_decimal),
    ("cost", "cost ({currency})", _money_whole),
    ("offered", "contacts offered", _whole),
    ("cost_per_contact", "cost per contact ({currency})", _two_decimals),
    ("budget", "budget ({currency})", _money_whole),
    ("cost_vs_budget", "cost / budget", _pct),
)


def _monthly_table(result: CapacityResult, group: str) -> str:
    monthly = result.monthly
    rows_of = monthly[monthly["group"].astype(str) == group].sort_values("month", kind="stable")
    labels = month_labels(rows_of["month"], rows_of["days"])
    currency = str(result.currency)
    header = ("month",) + tuple(h.format(currency=currency) for _c, h, _f in _MONTH_CELLS)
    rows = [(label, *(fmt(row[column]) for column, _h, fmt in _MONTH_CELLS))
            for label, (_, row) in zip(labels, rows_of.iterrows(), strict=True)]
    return _table_html(header, rows, (False,) + (True,) * len(_MONTH_CELLS))


def _monthly_html(result: CapacityResult) -> str:
    groups = groups_of(result)
    note = ('<p class="note">On the floor, hires and leavers count agents; FTE are full-time '
            "equivalents. Stocks (on the floor, FTE) are the month's day-weighted means; "
            "flows and money are the month's totals, a week split across two months by its "
            "days. A month the plan covers in part shows its days.</p>")
    parts = [note, _monthly_table(result, "all")]
    if len(groups) > 1:
        for group in groups:
            parts.append(f"<details><summary>By group: {html.escape(group)}</summary>"
                         f"{_monthly_table(result, group)}</details>")
    return "\n".join(parts)


def _plan_sections(result: CapacityResult, level: int, prefix: str) -> list[str]:
    """The sections of one plan (headings at ``level``), div ids starting with ``prefix``."""
    h = f"h{level}"
    currency = html.escape(str(result.currency))
    body = [_headlines_html(result), _facts_html(_facts(result)),
            f"<{h}>Required and available FTE by week</{h}>",
            '<p class="note">Productive FTE: full-time equivalents answering contacts, after '
            "the shrinkage plan. The band is the requirement at the ends of the demand's "
            "prediction interval.</p>"]
    groups = groups_of(result)
    for k, group in enumerate(groups):
        body.append(figure_html(capacity_figure(result, "fte", group=group),
                                f"{prefix}-fte-{k}"))
    body.append(figure_html(capacity_figure(result, "service_level"), f"{prefix}-service"))
    titles = {"headcount": "Headcount: stock and flows",
              "overtime": "Overtime and FTE short"}
    for chart in WEEKLY_CHARTS[1:]:
        body.append(f"<{h}>{titles[chart]}</{h}>")
        for k, group in enumerate(groups):
            body.append(figure_html(capacity_figure(result, chart, group=group),
                                    f"{prefix}-{chart}-{k}"))
    body += [f"<{h}>Cost by month against the budget ({currency})</{h}>",
             figure_html(capacity_figure(result, "cost"), f"{prefix}-cost"),
             f"<{h}>Hiring classes</{h}>", _classes_html(result),
             f"<{h}>Monthly finance</{h}>", _monthly_html(result)]
    return body


def _comparison_html(results: Sequence[CapacityResult]) -> list[str]:
    """The plans side by side: money headed with the currency when they share one (else a
    currency column); the risk columns only when a plan has risk runs."""
    currencies = {str(r.currency) for r in results}
    unit = f" ({next(iter(currencies))})" if len(currencies) == 1 else ""
    risky = any(math.isfinite(_number(r.summary.get(key))) for r in results
                for key in ("min_coverage_probability", "insurance_cost"))
    header = ["scenario", f"annual cost{unit}", f"cost over the horizon{unit}", "hires",
              "lowest weekly coverage", "first week meeting every target"]
    numeric = [False, True, True, True, True, False]
    if risky:
        header += ["lowest probability covered", f"insurance cost{unit}"]
        numeric += [True, True]
    if not unit:
        header.append("currency")
        numeric.append(False)
    rows = []
    for r in results:
        s = r.summary
        row = [str(r.scenario), _money_whole(s.get("annual_cost")), _money_whole(s.get("cost")),
               _whole(s.get("hires_total")), _pct(s.get("min_weekly_coverage")),
               _first_week_text(r)]
        if risky:
            row += [_pct(s.get("min_coverage_probability")),
                    _money_whole(s.get("insurance_cost"))]
        if not unit:
            row.append(str(r.currency))
        rows.append(tuple(row))
    note = ('<p class="note">Lowest weekly coverage: (available + overtime) / required FTE in '
            "the worst week and group, at most 100%."
            + ("" if risky else " No plan has risk runs (probability covered, insurance cost).")
            + "</p>")
    body = ["<h2>Comparison</h2>", _table_html(header, rows, numeric), note]
    if len({str(r.currency) for r in results}) == 1:
        body.append(figure_html(capacity_comparison_figure(results), "capacity-compare-cost"))
    else:
        body.append('<p class="note">The plans are in different currencies: no common cost '
                    "chart.</p>")
    return body


def capacity_report_html(results: Sequence[CapacityResult]) -> str:
    """A self-contained HTML report of one or several long-range capacity plans.

    For each plan: headline numbers (annual cost, hires, lowest weekly
    coverage, the first week meeting every channel's target, the lowest
    probability covered and the insurance cost when the plan has risk
    runs), its facts (horizon, groups, how the hiring plan was made and the
    solver's status), required against available FTE by week with the
    demand's band and the probability covered, the expected service level
    by week, headcount stock and flows, overtime and FTE short, cost by
    month against the budget, the hiring classes and the monthly finance
    table. With several plans a comparison (a table, and cost by month per
    plan) comes first. plotly.js is embedded once, so the page opens
    offline; the same results give byte-identical text.

    Parameters
    ----------
    results : sequence of CapacityResult
        The plans (``scenarios.pipeline.run_capacity``), the base first;
        their tables follow ``scenarios.pipeline.contracts``. Not changed.

    Returns
    -------
    str
        A complete HTML page; money in the plans' currency, fractions as
        percentages.

    Raises
    ------
    ValueError
        No plan given.
    """
    if not results:
        raise ValueError("capacity_report_html(): no capacity plan given; run "
                         "scenarios.pipeline.run_capacity on a scenario with a capacity: block.")
    if len(results) == 1:
        title = f"Capacity plan: {results[0].scenario}"
        body = [f"<h1>{html.escape(title)}</h1>", *_plan_sections(results[0], 2, "capacity")]
        return page_html(title, body)
    title = f"Capacity plans: {len(results)} scenarios"
    body = [f"<h1>{html.escape(title)}</h1>", *_comparison_html(results)]
    for k, result in enumerate(results):
        body.append(f"<h2>{html.escape(str(result.scenario))}</h2>")
        body += _plan_sections(result, 3, f"capacity-{k}")
    return page_html(title, body)
