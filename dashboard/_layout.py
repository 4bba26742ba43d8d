"""Layout shared by the pages: headline cards that wrap, and legends that keep off the axes.

``st.columns`` squeezes four metrics into a 1000 px window until their
labels and values end in an ellipsis. Cards of a fixed width in a wrapping
row stay whole: four abreast at 1400 px, two by two at 1000 px.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import plotly.graph_objects as go
import streamlit as st

#: Width of a headline card, px: four fit abreast at 1400 px, two at 1000 px.
CARD_WIDTH_PX = 218


@contextmanager
def card_row() -> Iterator[None]:
    """A row of cards that wraps onto more rows when the window is narrow."""
    with st.container(horizontal=True, gap="small"):
        yield


@contextmanager
def card(width: int = CARD_WIDTH_PX) -> Iterator[None]:
    """One bordered card of the row (a metric and its captions)."""
    with st.container(border=True, width=width):
        yield


def legend_below(fig: go.Figure, bottom_px: int = 110) -> go.Figure:
    """Put the legend at the foot of the figure, under the x-axis title (never over it)."""
    fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 0.0,
                              "yanchor": "bottom", "x": 0.0, "xanchor": "left"},
                      margin={"b": bottom_px})
    return fig


#: Longest title line, characters, that a 1000 px window shows whole.
MAX_TITLE_CHARS = 70


def wrap_title(fig: go.Figure) -> go.Figure:
    """Break a long title before its last parenthesis (or after its colon) onto a second line,
    with room for it: a 1000 px window cut it off at the right."""
    text = fig.layout.title.text or ""
    if len(text) <= MAX_TITLE_CHARS or "<br>" in text:
        return fig
    cut = text.rfind(" (")
    if cut <= 0:
        cut = text.find(": ") + 1
    if cut <= 0:
        return fig
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 60
    fig.update_layout(title_text=text[:cut].rstrip() + "<br>" + text[cut:].lstrip(),
                      margin={"t": top + 22})
    return fig


def thin_ticks(fig: go.Figure, most: int = 12) -> go.Figure:
    """Keep every other x tick label while there are more than ``most`` (tilted clock times
    ran into each other at 1000 px)."""
    ticks = fig.layout.xaxis.tickvals
    while ticks is not None and len(ticks) > most:
        ticks = ticks[::2]
    if ticks is not None:
        fig.update_xaxes(tickvals=list(ticks))
    return fig
