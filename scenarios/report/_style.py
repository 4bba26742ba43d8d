"""What every figure shares, in the reports and the dashboard alike: the colour palette and
the conversions of values for plotly (NaN as a gap, user text escaped)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

#: The colour palette of every figure: plotly's default sequence ("D3"), in order.
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def rgba(colour: str, alpha: float) -> str:
    """``"#1f77b4"``, 0.2 -> ``"rgba(31,119,180,0.2)"`` (a palette colour, see-through)."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def numbers(values: pd.Series | np.ndarray) -> list[float | None]:
    """Floats for plotly, with ``None`` (a gap in a line) where the value is NaN or infinite."""
    return [None if not math.isfinite(v) else float(v)
            for v in np.asarray(values, dtype=float)]


def local_times(values: pd.Series) -> pd.Series:
    """Timestamps as the scenario's wall-clock time (tz-aware values lose only the zone label:
    plotly.js would otherwise shift them to the viewer's zone)."""
    stamps = pd.to_datetime(values)
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    return stamps.reset_index(drop=True)


def escaped(values: Iterable[Any]) -> list[str]:
    """User text (scenario and channel names) escaped: plotly reads ``<b>``, ``<a href>``."""
    return [html.escape(str(v)) for v in values]
