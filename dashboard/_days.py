"""The day selector of the pages with week-long interval charts (Staffing, Simulation).

A week of 15-minute intervals squeezed into one chart hides the hour a
planner asks about. The selector shows the whole horizon or one local day;
the page keeps only that day's rows before it calls a figure, and every
chart that shares the time axis gets the same x range (the whole horizon, or
the day from 00:00 to 24:00), so their axes start and end on the same day.
Reshaping only: rows are picked, nothing is computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import scenarios

#: The selector's first option.
WHOLE = "Whole horizon"
#: Most days shown as buttons; a longer horizon gets a drop-down list.
MAX_BUTTONS = 8


@dataclass(frozen=True)
class Span:
    """What the charts show: ``[start, end)`` in the scenario's wall-clock time (naive)."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp


def wall_clock(values: pd.Series) -> pd.Series:
    """Timestamps as the scenario's wall-clock time, as the figures draw them (zone dropped)."""
    stamps = pd.to_datetime(values)
    return stamps.dt.tz_localize(None) if stamps.dt.tz is not None else stamps


def horizon(result: scenarios.ScenarioResult) -> Span:
    """The result's whole horizon, in its own time zone's wall-clock time."""
    zone = result.summary.get("timezone")

    def local(text: str) -> pd.Timestamp:
        stamp = pd.Timestamp(text)
        if stamp.tzinfo is not None:
            stamp = (stamp.tz_convert(zone) if zone else stamp).tz_localize(None)
        return stamp

    return Span(WHOLE, local(result.summary["horizon_start"]),
                local(result.summary["horizon_end"]))


def days(result: scenarios.ScenarioResult) -> list[Span]:
    """Each local calendar day the horizon touches, 00:00 to 24:00 (cut to the horizon)."""
    whole = horizon(result)
    out = []
    day = whole.start.normalize()
    while day < whole.end:
        following = day + pd.Timedelta(days=1)
        out.append(Span(f"{day:%a %d %b}", max(day, whole.start), min(following, whole.end)))
        day = following
    return out


def pick(result: scenarios.ScenarioResult, key: str) -> Span:
    """Draw the selector (buttons, or a list for a long horizon) and return what it shows."""
    options = [horizon(result), *days(result)]
    by_label = {span.label: span for span in options}
    labels = list(by_label)
    help_text = ("One local day (00:00 to 24:00) or the whole horizon; every chart below that "
                 "has time along its axis shows the same span.")
    if len(labels) <= MAX_BUTTONS:
        picked = st.segmented_control("Show", labels, default=WHOLE, key=key, required=True,
                                      help=help_text, wrap=True)
    else:
        picked = st.selectbox("Show", labels, index=0, key=key, help=help_text)
    return by_label.get(str(picked), options[0])


def rows_in(table: pd.DataFrame, span: Span, column: str = "interval_start") -> pd.DataFrame:
    """The rows of ``table`` whose ``column`` (wall-clock time) lies in ``[start, end)``."""
    local = wall_clock(table[column])
    return table[((local >= span.start) & (local < span.end)).to_numpy()]


def show_span(fig: go.Figure, span: Span) -> go.Figure:
    """Set the figure's x axis to the span (the same start and end on every chart)."""
    fig.update_xaxes(range=[span.start.isoformat(), span.end.isoformat()])
    return fig
