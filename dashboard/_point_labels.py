"""The Compare page's point labels: a sweep point by its swept values.

A sweep's chart is crowded by nature, yet its reader asks which point is "AHT 4m
at 19 EUR/h". Here each point is labelled by what tells it apart (a sweep point:
its swept values in the file's units, e.g. ``aht 4m, 19 EUR/h``; another
scenario: its label); ``scenarios.figures.frontier_figure`` places the labels
apart for the page's plot size (:data:`PLOT_PX`) and leaves one with no free
place to the hover text. Display only.
"""

from __future__ import annotations

from typing import Any

import scenarios
from scenarios.files import units

#: Last keys of override paths that are durations (seconds in the file's typed values).
DURATION_KEYS = ("aht", "patience", "within", "answer_within", "interval", "warmup",
                 "training", "duration")
#: Last keys that are fractions (0-1), shown in %.
SHARE_KEYS = ("shrinkage", "service_level", "night_premium", "weekend_premium",
              "holiday_premium", "max_occupancy", "growth", "attrition", "overhead")
#: The plot area assumed, px (a 1000 px window: about 440 x 300; the wider window has room).
PLOT_PX = (440.0, 300.0)


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
