"""The Simulation page's headline: each channel's service level, ASA, abandonment and
occupancy over the horizon, against its target, with the simulation's 95% confidence interval.

Every number is a cell of the result's ``channels`` table (``service_level``
and its ``_low``/``_high`` bounds, ...); the targets are the channel's own
(``service_level_target`` in ``answer_within_s``), the file's ``expect:``
lines on that channel's measure (:func:`scenarios.check_expectations`, which
also says whether each holds) and the channel's ``max_occupancy``. Formatting
only: nothing is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

import scenarios
from scenarios.files import units

#: The measures of the headline: column, label, and the formatter of its values.
MEASURES = ("service_level", "asa_s", "abandon_rate", "occupancy")
LABELS = {"service_level": "Service level", "asa_s": "ASA (answered contacts)",
          "abandon_rate": "Abandoned", "occupancy": "Occupancy"}
#: What each measure is (the cards' help).
MEANINGS = {
    "service_level": "Share of the contacts offered over the horizon answered within the "
                     "target time (abandoned ones count as not answered in time).",
    "asa_s": "Average speed of answer: the mean wait of the contacts answered, seconds.",
    "abandon_rate": "Share of the contacts offered that hung up before an answer.",
    "occupancy": "Share of the agents' time on the queue spent handling contacts.",
}
_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def is_number(value: Any) -> bool:
    """Whether a table cell holds a finite number (NaN: not measured)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def shown(measure: str, value: Any, unit_of: Any = None) -> str:
    """A value as the page shows it: fractions as % (one decimal); ASA in s, or in min or h
    once it passes 2 min or 2 h (deferred work waits hours), in the unit ``unit_of`` (a value
    of the same measure, e.g. the estimate for its CI bounds) would take."""
    if not is_number(value):
        return "n/a"
    if measure == "asa_s":
        scale = float(unit_of) if is_number(unit_of) else float(value)
        if scale >= 7200:
            return f"{float(value) / 3600:.1f} h"
        if scale >= 120:
            return f"{float(value) / 60:.1f} min"
        return f"{float(value):.1f} s"
    return f"{100 * float(value):.1f}%"


def target_text(share: float, within_s: float) -> str:
    """A service-level target as the files write it: ``80% in 20s``."""
    return f"{100 * share:g}% in {units.format_duration(within_s)}"


@dataclass(frozen=True)
class Card:
    """One measure of one channel, ready to draw."""

    measure: str                # a column of MEASURES
    label: str
    value: str
    target: str | None          # "target 80% in 20s" etc.; None: no target
    is_met: bool | None         # None: no target
    interval: str               # "95% CI 87.9% to 92.9%", or why there is none
    note: str = ""              # e.g. the CI straddles the target


def _interval(measure: str, row: pd.Series, simulated: bool) -> tuple[str, float, float]:
    low, high = row.get(f"{measure}_low"), row.get(f"{measure}_high")
    if is_number(low) and is_number(high):
        estimate = row.get(measure)
        return (f"95% CI {shown(measure, low, estimate)} to {shown(measure, high, estimate)}",
                float(low), float(high))
    if not simulated:
        why = "Erlang prediction (no simulation): no confidence interval"
    elif measure == "occupancy":
        why = "no confidence interval in the results"
    else:
        why = "no confidence interval (no contacts measured)"
    return why, math.nan, math.nan


def cards(result: scenarios.ScenarioResult, channel: str, simulated: bool,
          outcomes: list[scenarios.compare.CheckOutcome],
          max_occupancy: float | None) -> list[Card]:
    """The four cards of ``channel`` (service level, ASA, abandoned, occupancy)."""
    rows = result.channels[result.channels["channel"].astype(str) == channel]
    row = rows.iloc[0] if len(rows) else pd.Series(dtype=object)
    out = []
    for measure in MEASURES:
        value = row.get(measure)
        interval, low, high = _interval(measure, row, simulated)
        target: str | None = None
        is_met: bool | None = None
        note = ""
        if measure == "service_level" and is_number(row.get("service_level_target")):
            goal = float(row["service_level_target"])
            target = f"target {target_text(goal, float(row['answer_within_s']))}"
            is_met = is_number(value) and float(value) >= goal
            if is_number(low) and low < goal <= high:
                note = "the 95% CI straddles the target"
        else:
            lines = [o for o in outcomes if o.metric == measure and o.scope == channel
                     and "of open intervals" not in o.expectation]
            if lines:
                outcome = lines[0]
                limit = (f"{outcome.limit:g} s" if measure == "asa_s"
                         else f"{100 * outcome.limit:g}%")
                target = f"expect {_SIGNS.get(outcome.op, outcome.op)} {limit}"
                is_met = bool(outcome.passed)
            elif measure == "occupancy" and max_occupancy is not None:
                target = f"cap {100 * max_occupancy:g}% (max_occupancy)"
                is_met = is_number(value) and float(value) <= max_occupancy + 1e-9
        out.append(Card(measure, LABELS[measure], shown(measure, value), target, is_met,
                        interval, note))
    return out
