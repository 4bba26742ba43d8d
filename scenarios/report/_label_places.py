"""Where a scatter's point labels go, so that a reader can read them: each label's box, in
pixels of the plot area, misses every marker, the drawn lines and the labels placed before it.

Display only: the points and their values are the figure's. Used by the frontier chart
(:func:`scenarios.figures.frontier_figure`) of the reports and the dashboard alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

CHAR_PX = 6.6          # one character at plotly's 12 px font
LINE_PX = 15.0         # one line of text
MARKER_PX = 7.0        # a marker's half width
#: Where a label may go, in order of preference, as (plotly position, dx, dy) of its box's
#: anchor: dx in label widths from the point (-1: left of it), dy in lines (+: above).
POSITIONS = (("top center", -0.5, 1), ("bottom center", -0.5, -1), ("middle right", 0, 0),
             ("middle left", -1, 0), ("top right", 0, 1), ("top left", -1, 1),
             ("bottom right", 0, -1), ("bottom left", -1, -1))

Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def to_pixels(xs: Sequence[float], ys: Sequence[float], x_range: Sequence[float],
              y_range: Sequence[float], plot_px: tuple[float, float]) -> list[tuple[float, float]]:
    """Data coordinates as pixels of a ``plot_px`` plot area (origin bottom left)."""
    return [((float(x) - x_range[0]) / (x_range[1] - x_range[0]) * plot_px[0],
             (float(y) - y_range[0]) / (y_range[1] - y_range[0]) * plot_px[1])
            for x, y in zip(xs, ys, strict=True)]


def along(corners: Sequence[tuple[float, float]],
          step_px: float = 3.0) -> list[tuple[float, float]]:
    """Points every ``step_px`` pixels along the line through ``corners`` (pixels)."""
    out: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:], strict=False):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step_px))
        out += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(n + 1)]
    return out


def label_positions(points: Sequence[tuple[float, float]], texts: Sequence[str],
                    plot_px: tuple[float, float],
                    lines: Sequence[tuple[float, float]] = ()) -> list[str | None]:
    """A plotly text position per point (pixels, origin bottom left); None: no free place.

    Points are placed left to right; each label takes the first of :data:`POSITIONS` whose
    box stays inside the plot and misses every marker, every point of ``lines`` (pixels
    along the drawn lines, :func:`along`) and every label placed before it. A point with
    an empty text gets None.
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
