"""The Compare page's point labels: a sweep point by its swept values, placed apart.

``scenarios.figures.frontier_figure`` labels a few points by name and leaves a
crowded chart to its hover text. A sweep's chart is crowded by nature, yet its
reader asks which point is "AHT 4m at 19 EUR/h". Here each point is labelled
by what tells it apart (a sweep point: its swept values in the file's units,
e.g. ``aht 4m, 19 EUR/h``; another scenario: its label), and each label goes
where its box, estimated for the narrowest chart the page draws (a 1000 px
window), misses the markers and the labels placed before it. A label with no
free place is left to the hover text rather than drawn over another.
Display only: the points and their values are the figure's.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

import scenarios
from dashboard import _layout
from scenarios.files import units

#: Last keys of override paths that are durations (seconds in the file's typed values).
DURATION_KEYS = ("aht", "patience", "within", "answer_within", "interval", "warmup",
                 "training", "duration")
#: Last keys that are fractions (0-1), shown in %.
SHARE_KEYS = ("shrinkage", "service_level", "night_premium", "weekend_premium",
              "holiday_premium", "max_occupancy", "growth", "attrition", "overhead")
#: The plot area assumed, px (a 1000 px window: about 440 x 300; the wider window has room).
PLOT_PX = (440.0, 300.0)
CHAR_PX = 6.6          # one character at plotly's 12 px font
LINE_PX = 15.0         # one line of text
MARKER_PX = 7.0        # a marker's half width
#: Where a label may go, in order of preference, as (plotly position, dx, dy) of its box's
#: anchor: dx in label widths from the point (-1: left of it), dy in lines (+: above).
POSITIONS = (("top center", -0.5, 1), ("bottom center", -0.5, -1), ("middle right", 0, 0),
             ("middle left", -1, 0), ("top right", 0, 1), ("top left", -1, 1),
             ("bottom right", 0, -1), ("bottom left", -1, -1))


def value_text(key: str, value: Any, currency: str) -> str:
    """One swept value as a reader writes it: ``aht 4m``, ``19 EUR/h``, ``shrinkage 30%``."""
    parts = key.split(".")
    last = parts[-1]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{last} {value}"
    if "hourly_rates" in parts:
        return f"{value:g} {currency}/h" + ("" if last == "agent" else f" ({last})")
    if last in DURATION_KEYS:
        return f"{last} {units.format_duration(float(value))}"
    if last in SHARE_KEYS and abs(float(value)) <= 1:
        return f"{last} {100 * float(value):g}%"
    if last.endswith("_scale"):
        return f"{last.removesuffix('_scale')} ×{value:g}"
    return f"{last} {value:g}"


def point_label(result: scenarios.ScenarioResult, currency: str) -> str:
    """A sweep point's swept values (``aht 4m, 19 EUR/h``), else the scenario's chart label."""
    overrides = result.summary.get("overrides") or {}
    if " / " in result.name and overrides and "=" in result.label:
        return ", ".join(value_text(k, v, currency) for k, v in overrides.items())
    return scenarios.report.scenario_label(result)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def positions(points: Sequence[tuple[float, float]], texts: Sequence[str],
              plot_px: tuple[float, float] = PLOT_PX,
              lines: Sequence[tuple[float, float]] = ()) -> list[str | None]:
    """A plotly text position per point (pixels, origin bottom left), None: no free place.

    Points are placed left to right; each label takes the first of
    :data:`POSITIONS` whose box stays inside the plot and misses every marker,
    every point of ``lines`` (pixels along the drawn lines) and every label
    placed before it.
    """
    boxes = [(x - MARKER_PX, y - MARKER_PX, x + MARKER_PX, y + MARKER_PX) for x, y in points]
    boxes += [(x - 1, y - 1, x + 1, y + 1) for x, y in lines]
    chosen: list[str | None] = [None] * len(points)
    for i in sorted(range(len(points)), key=lambda k: points[k]):
        if not texts[i]:
            continue
        x, y = points[i]
        width = len(texts[i]) * CHAR_PX
        for name, dx, dy in POSITIONS:
            left = x + dx * width + (MARKER_PX if dx == 0 else -MARKER_PX if dx == -1 else 0)
            bottom = y + dy * (MARKER_PX + 0.5 * LINE_PX) - 0.5 * LINE_PX
            box = (left, bottom, left + width, bottom + LINE_PX)
            inside = box[0] >= -20 and box[2] <= plot_px[0] + 20 and box[3] <= plot_px[1] + 10
            if inside and not any(_overlaps(box, other) for other in boxes):
                chosen[i] = name
                boxes.append(box)
                break
    return chosen


def _line_pixels(fig: go.Figure, xaxis: Sequence[float], yaxis: Sequence[float],
                 step_px: float = 3.0) -> list[tuple[float, float]]:
    """Points every ``step_px`` along the figure's lines (e.g. the frontier), in pixels."""
    out: list[tuple[float, float]] = []
    for trace in fig.data:
        if not isinstance(trace, go.Scatter) or trace.mode != "lines" or trace.x is None:
            continue
        corners = [((float(x) - xaxis[0]) / (xaxis[1] - xaxis[0]) * PLOT_PX[0],
                    (float(y) - yaxis[0]) / (yaxis[1] - yaxis[0]) * PLOT_PX[1])
                   for x, y in zip(trace.x, trace.y, strict=True)
                   if x is not None and y is not None]
        for (x0, y0), (x1, y1) in zip(corners, corners[1:], strict=False):
            n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step_px))
            out += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(n + 1)]
    return out


def label_points(fig: go.Figure, labels: Mapping[tuple[float, float], str]) -> go.Figure:
    """Label the figure's markers: ``labels`` by (x, y) as the figure plots them.

    Points drawn at the same place get one label, ``text (+n)``. Labels with no
    free place are dropped (the hover names every point). Also puts the legend
    under the x-axis title, so neither covers the other.
    """
    xaxis, yaxis = fig.layout.xaxis.range, fig.layout.yaxis.range
    traces = [t for t in fig.data if isinstance(t, go.Scatter) and t.mode
              and "markers" in t.mode]
    if not traces or xaxis is None or yaxis is None:
        return fig
    spots: list[tuple[int, int]] = []
    texts: list[str] = []
    pixels: list[tuple[float, float]] = []
    seen: dict[tuple[float, float], int] = {}
    for t, trace in enumerate(traces):
        for k, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)):
            if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
                continue
            where = (round(float(x), 6), round(float(y), 8))
            spots.append((t, k))
            if where in seen:
                texts.append("")
                first = seen[where]
                base, _, count = texts[first].partition(" (+")
                n = int(count.rstrip(")")) + 1 if count else 1
                texts[first] = f"{base} (+{n})"
            else:
                seen[where] = len(texts)
                texts.append(labels.get(where, ""))
            pixels.append(((float(x) - xaxis[0]) / (xaxis[1] - xaxis[0]) * PLOT_PX[0],
                           (float(y) - yaxis[0]) / (yaxis[1] - yaxis[0]) * PLOT_PX[1]))
    placed = positions(pixels, texts, lines=_line_pixels(fig, xaxis, yaxis))
    per_trace: dict[int, tuple[list[str], list[str]]] = {
        t: ([""] * len(trace.x), ["top center"] * len(trace.x)) for t, trace in enumerate(traces)}
    for (t, k), text, where in zip(spots, texts, placed, strict=True):
        if where is not None:
            per_trace[t][0][k] = html.escape(text)
            per_trace[t][1][k] = where
    for t, trace in enumerate(traces):
        trace.update(mode="markers+text", text=per_trace[t][0], textposition=per_trace[t][1],
                     textfont={"size": 12}, cliponaxis=False)
    return _layout.legend_below(fig)
