"""The knobs people turn on the Scenarios page, and the scenario overrides they make.

A :class:`Knobs` holds what the widgets show; :func:`defaults` reads them
from a scenario, so untouched knobs change nothing; :func:`overrides` turns
them into the ``overrides`` of :func:`scenarios.load_scenarios` (the same
fields a variant would set), as typed values (fractions 0-1, seconds), never
text for the loader to parse again. No maths here: scaling a number the user typed
is bookkeeping, the pipeline does the rest.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import scenarios
from scenarios.files import units

HOURS_CHOICES = ("8x5", "extended", "24x7", "custom")


@dataclass(frozen=True)
class Knobs:
    """What the knobs show (fractions 0-1 except where named ``_pct``)."""

    volume_scale: float = 1.0
    aht_scale: float = 1.0
    service_level_pct: float = 80.0          # target, percent
    answer_within_s: float = 20.0            # threshold, seconds
    hours: str = "24x7"                      # one of HOURS_CHOICES
    custom_open_s: float = 8 * 3600.0        # seconds after midnight
    custom_close_s: float = 20 * 3600.0      # seconds after midnight; 86400: midnight at the end
    custom_days: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")   # of units.DAY_NAMES
    patience_s: float | None = None          # mean patience, seconds (None: as in the file)
    wage_scale: float = 1.0                  # times the file's hourly rates
    night_premium_pct: float = 0.0
    weekend_premium_pct: float = 0.0
    shrinkage_pct: float = 0.0
    live_channels: tuple[str, ...] = field(default_factory=tuple)


def defaults(scn: scenarios.Scenario) -> Knobs:
    """The knobs as the scenario file sets them (turning nothing changes nothing)."""
    live = [c for c in scn.channels if not c.is_deferred]
    first = live[0] if live else scn.channels[0]
    patience = next((c.mean_patience_s for c in live if c.mean_patience_s is not None), None)
    hours = scn.hours.name if scn.hours.name in HOURS_CHOICES else "custom"
    open_days = [d for d in range(7) if scn.hours.hours_by_weekday_s[d][1] > 0]
    first_open = open_days[0] if open_days else 0
    lo, hi = scn.hours.hours_by_weekday_s[first_open]
    return Knobs(
        service_level_pct=round(100 * first.service_level_target, 1),
        answer_within_s=first.answer_within_s,
        hours=hours,
        custom_open_s=lo, custom_close_s=hi,
        custom_days=tuple(units.DAY_NAMES[d] for d in open_days) or ("Mon",),
        patience_s=patience,
        night_premium_pct=round(100 * scn.rates.night_premium, 1),
        weekend_premium_pct=round(100 * scn.rates.weekend_premium, 1),
        shrinkage_pct=round(100 * scn.shrinkage, 1),
        live_channels=tuple(c.name for c in live),
    )


def clock_s(text: str, *, closing: bool = False) -> float:
    """A time typed in an opening-hours knob, in seconds after midnight.

    ``closing=True``: 00:00 and 24:00 are midnight at the end of the day
    (86400), as in a scenario file's ``hours:``. Raises ``ValueError`` with
    the rule (from the files layer's :func:`scenarios.files.units.parse_time`).
    """
    if closing and text.strip() == "24:00":
        return units.DAY_S
    seconds = units.parse_time(text)
    return units.DAY_S if closing and seconds == 0 else seconds


def overrides(knobs: Knobs, scn: scenarios.Scenario) -> dict[str, Any]:
    """The fields the knobs change, as ``load_scenarios(overrides=...)`` takes them.

    Only knobs that differ from :func:`defaults` appear, so the file's own
    per-channel values stay where a knob was not touched.
    """
    base = defaults(scn)
    out: dict[str, Any] = {}
    if knobs.volume_scale != 1.0:
        out["volume_scale"] = scn.volume_scale * knobs.volume_scale
    if knobs.aht_scale != 1.0:
        out["aht_scale"] = scn.aht_scale * knobs.aht_scale
    if (knobs.service_level_pct, knobs.answer_within_s) != (base.service_level_pct,
                                                             base.answer_within_s):
        for c in base.live_channels:
            out[f"channels.{c}.target"] = {"service_level": knobs.service_level_pct / 100.0,
                                           "within": float(knobs.answer_within_s)}
    if knobs.hours != base.hours or (knobs.hours == "custom" and (
            knobs.custom_open_s, knobs.custom_close_s, knobs.custom_days)
            != (base.custom_open_s, base.custom_close_s, base.custom_days)):
        out["hours"] = hours_value(knobs)
    if knobs.patience_s is not None and knobs.patience_s != base.patience_s:
        for c in base.live_channels:
            out[f"channels.{c}.patience"] = float(knobs.patience_s)
    if knobs.wage_scale != 1.0:
        for agent_type, rate in scn.rates.hourly_rates.items():
            out[f"pay.hourly_rates.{agent_type}"] = rate * knobs.wage_scale
    if knobs.night_premium_pct != base.night_premium_pct:
        out["pay.night_premium"] = knobs.night_premium_pct / 100.0
    if knobs.weekend_premium_pct != base.weekend_premium_pct:
        out["pay.weekend_premium"] = knobs.weekend_premium_pct / 100.0
    if knobs.shrinkage_pct != base.shrinkage_pct:
        out["staffing.shrinkage"] = knobs.shrinkage_pct / 100.0
    return out


def hours_value(knobs: Knobs) -> Any:
    """The ``hours`` field for the chosen opening hours: a preset name, or a mapping of every
    day to ``[open_s, close_s]`` (seconds after midnight, the typed form) or ``"closed"``."""
    if knobs.hours != "custom":
        return knobs.hours
    return {day: ([knobs.custom_open_s, knobs.custom_close_s] if day in knobs.custom_days
                  else "closed")
            for day in units.DAY_NAMES}


def as_json(values: dict[str, Any]) -> str:
    """Overrides as canonical JSON text (a hashable cache key)."""
    return json.dumps(values, sort_keys=True)


def knobs_dict(knobs: Knobs) -> dict[str, Any]:
    """The knobs as a plain dict (for session state)."""
    return asdict(knobs)
