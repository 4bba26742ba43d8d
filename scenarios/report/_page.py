"""The pieces every HTML page of the reports is built from: value formatting, escaped
tables and the page shell with plotly.js inline once.

Nothing depends on the clock or on random ids, so the same input always gives
byte-identical text. All text taken from results (scenario and channel names,
file paths, expectations) is escaped with :func:`html.escape` here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..pipeline import ScenarioResult

CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5em 2em;
       color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.3em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.facts th { width: 14em; }
div.scroll { overflow-x: auto; max-width: 100%; }
div.scroll tbody td:first-child { position: sticky; left: 0; background: #fff; }
div.scroll thead th:first-child { position: sticky; left: 0; z-index: 1; }
ul.outcomes { list-style: none; padding-left: 0; }
ul.outcomes li { margin: 0.2em 0; }
span.pass { color: #1a7f37; font-weight: bold; }
span.fail { color: #c62828; font-weight: bold; }
p.note { color: #555; font-size: 0.9em; }
th[title] { text-decoration: underline dotted; cursor: help; }
@media (max-width: 1100px) { table { font-size: 0.8em; } th, td { padding: 0.2em 0.4em; } }
div.kpis { display: flex; flex-wrap: wrap; gap: 0.5em; margin: 0.8em 0; }
div.kpi { border: 1px solid #ddd; border-radius: 4px; padding: 0.4em 0.8em; min-width: 9em;
          background: #fafafa; }
div.kpi-value { font-size: 1.25em; font-weight: bold; font-variant-numeric: tabular-nums; }
div.kpi-label { color: #555; font-size: 0.85em; }
details.scenario { border: 1px solid #ccc; border-radius: 4px; margin: 1em 0;
                   padding: 0 1em; }
details.scenario > summary { font-size: 1.2em; font-weight: bold; padding: 0.6em 0;
                             cursor: pointer; }
details.scenario > summary span.summary-numbers { font-weight: normal; color: #444;
                                                  font-size: 0.8em; }
"""

#: Plotly sizes a chart drawn inside a closed ``<details>`` for no width: resize the charts
#: of a section when it opens.
RESIZE_ON_OPEN = ("<script>document.querySelectorAll('details').forEach(function (d) {"
                  "d.addEventListener('toggle', function () { if (d.open) {"
                  "d.querySelectorAll('.js-plotly-plot').forEach(function (p) {"
                  "Plotly.Plots.resize(p); }); } }); });</script>")


# --- formatting --------------------------------------------------------------------------------

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
                numeric: Sequence[bool], css_class: str = "",
                tips: Sequence[str] | None = None) -> str:
    """An HTML table; every cell is escaped here. ``tips``: a tooltip per header cell
    (``""`` for none)."""
    klass = f' class="{html.escape(css_class)}"' if css_class else ""
    # A wide table (the comparison has 17 columns) scrolls inside its box, not off the page.
    parts = ['<div class="scroll">', f"<table{klass}>", "<thead><tr>"]
    tips = list(tips) if tips is not None else [""] * len(header)
    parts += [f'<th title="{html.escape(t, quote=True)}">{html.escape(h)}</th>' if t
              else f"<th>{html.escape(h)}</th>" for h, t in zip(header, tips, strict=True)]
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


def page_html(title: str, body: Sequence[str], *, plotly: bool = True) -> str:
    """A complete HTML page, with plotly.js inline exactly once unless ``plotly`` is False;
    ``title`` is escaped here."""
    scripts = ["<script type=\"text/javascript\">window.PlotlyConfig = {MathJaxConfig: 'local'};"
               "</script>",
               f'<script type="text/javascript">{get_plotlyjs()}</script>'] if plotly else []
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{CSS}</style>",
        *scripts,
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


def figure_html(fig: go.Figure, div_id: str) -> str:
    """A figure's ``<div>`` with a fixed id and no plotly.js (the page has it once)."""
    return str(fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                           config={"displaylogo": False}))
