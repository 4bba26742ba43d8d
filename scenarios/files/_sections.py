"""Sections of a validated scenario document read into the values the scenario holds.

Opening hours (``hours:``, each day as ``"HH:MM-HH:MM"`` text or ``[open_s,
close_s]`` seconds after midnight, and the holidays it closes), the public-holiday
calendar, daily volumes by weekday and intraday profiles, and the first
instant of a local day. Each names the file and line of a value it refuses
(:func:`._sources.fail_in`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

from ._hours import OpeningHours
from ._model import ScenarioDocument
from ._sources import Source, fail_in
from ._yaml import Loc
from .units import clock_or_none, days_text, parse_days


def weekday_map(sources: list[Source], loc: Loc, mapping: dict[str, Any]) -> dict[int, Any]:
    """A mapping keyed by days (``Mon-Fri: x``) as values by weekday (0 = Monday)."""
    out: dict[int, Any] = {}
    for key, value in mapping.items():
        try:
            days = parse_days(key)
        except ValueError as err:
            raise fail_in(sources, (*loc, key), f"{err}. Keys are days such as Mon, Mon-Fri or "
                          "all.") from None
        for d in days:
            out[d] = value
    return out


def opening_hours(sources: list[Source], doc: ScenarioDocument, holidays: tuple[dt.date, ...]
                  ) -> OpeningHours:
    closed = holidays if doc.holidays.closed else ()
    if isinstance(doc.hours, str):
        if doc.hours in ("8x5", "extended", "24x7"):
            return OpeningHours.preset(doc.hours, closed)
        raise fail_in(sources, ("hours",), f"must be 8x5, extended, 24x7 or a mapping of days to "
                      f"hours, got {doc.hours!r}. E.g. hours: {{Mon-Fri: \"08:00-20:00\", "
                      f"Sat: \"09:00-13:00\"}}.")
    if not doc.hours:
        raise fail_in(sources, ("hours",), "is an empty mapping, which would keep the centre "
                      "closed every day without a word. Name the days and their hours, e.g. "
                      "hours: {Mon-Fri: \"08:00-20:00\", Sat-Sun: closed}, or use 24x7.")
    by_day = weekday_map(sources, ("hours",), doc.hours)
    pairs: list[tuple[float, float]] = []
    for d in range(7):
        value = by_day.get(d, "closed")
        # The key that set this day (the last one naming it, as weekday_map keeps it).
        key = next(k for k in reversed(doc.hours) if d in parse_days(k)) if d in by_day else ""
        if isinstance(value, list | tuple):
            pairs.append(_seconds_pair(sources, key, value))
            continue
        text = str(value).strip()
        if text.lower() == "closed":
            pairs.append((0.0, 0.0))
            continue
        match = re.match(r"^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$", text)
        if not match:
            raise fail_in(sources, ("hours", key), f"must be \"HH:MM-HH:MM\" or closed, got "
                          f"{text!r}. E.g. \"08:00-20:00\".")
        lo, hi = (clock_or_none(match.group(1)), clock_or_none(match.group(2), allow_24=True))
        if lo is None or hi is None:
            raise fail_in(sources, ("hours", key), f"{text!r} has a time that is not on the clock "
                          "(hours 00 to 23, or 24:00 for midnight at the end; minutes 00 to 59). "
                          "E.g. \"08:00-20:00\".")
        if hi == 0.0:
            hi = 86400.0
        if not 0 <= lo < hi <= 86400:
            raise fail_in(sources, ("hours", key), f"{text!r} must open before it closes, "
                          "within one day (24:00 is written 00:00 or 24:00). Split a night "
                          "over two days.")
        pairs.append((lo, hi))
    return OpeningHours("custom", tuple(pairs), tuple(closed))


def _seconds_pair(sources: list[Source], key: str, value: list[Any] | tuple[Any, ...]
                  ) -> tuple[float, float]:
    """A day's hours in the typed form, ``[open_s, close_s]`` in seconds after midnight."""
    is_numbers = len(value) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in value)
    if not is_numbers:
        raise fail_in(sources, ("hours", key), f"must be [open_s, close_s], two numbers of "
                      f"seconds after midnight, got {list(value)!r}. E.g. [28800, 72000] for "
                      "08:00-20:00, or write the text \"08:00-20:00\".")
    lo, hi = float(value[0]), float(value[1])
    if not 0 <= lo < hi <= 86400:
        raise fail_in(sources, ("hours", key), f"{list(value)!r} must open before it closes, "
                      "within one day: 0 <= open_s < close_s <= 86400 seconds after midnight "
                      "(86400 is midnight at the end). Split a night over two days.")
    return lo, hi


def holiday_dates(sources: list[Source], doc: ScenarioDocument, years: list[int]
                  ) -> tuple[dt.date, ...]:
    dates = set(doc.holidays.dates)
    if doc.holidays.country is not None:
        import holidays

        try:
            calendar = holidays.country_holidays(doc.holidays.country,
                                                 subdiv=doc.holidays.subdivision, years=years)
        except NotImplementedError as err:
            which = "subdivision" if doc.holidays.subdivision else "country"
            raise fail_in(sources, ("holidays", which), f"is not known to the holidays package "
                          f"({err}). Use an ISO 3166 code such as GB, FR or IL and one of its "
                          "subdivision codes.") from None
        dates.update(calendar)
    return tuple(sorted(dates))


def volume_profile(sources: list[Source], loc: Loc, profile: Any) -> Any:
    if profile is None or profile == "flat":
        return "flat"
    out: dict[float, float] = {}
    for key, weight in profile.items():
        seconds = clock_or_none(str(key))
        if seconds is None:
            raise fail_in(sources, (*loc, key), "profile keys must be times of day \"HH:MM\" "
                          "from \"00:00\" to \"23:59\" (the weight holds from that time to the "
                          f"next key, the last one to midnight), got {key!r}. A key at or after "
                          "24:00 would take the day's volume with it; to end the day early give "
                          "a key with weight 0, e.g. \"22:00\": 0.")
        out[seconds] = float(weight)
    if sum(out.values()) <= 0:
        raise fail_in(sources, loc, "needs a weight above 0. E.g. profile: {\"08:00\": 5, "
                      "\"12:00\": 8, \"18:00\": 0}.")
    return dict(sorted(out.items()))


def daily_totals(sources: list[Source], loc: Loc, daily: Any, start: dt.date,
                 days: int) -> dict[int, float]:
    """Contacts per weekday (0 = Monday): one number for every day, or each day of the
    horizon (``days`` days from ``start``) by name (a day it includes may not be left out)."""
    if not isinstance(daily, dict):
        return dict.fromkeys(range(7), daily)
    by_day = weekday_map(sources, loc, daily)
    needed = {(start.weekday() + k) % 7 for k in range(min(days, 7))}
    missing = sorted(d for d in needed if by_day.get(d) is None)
    if missing:
        written = [f"{k}: {v:g}" for k, v in daily.items() if isinstance(v, int | float)]
        added = [f"{run}: 0" for run in days_text(missing).split(", ")]
        raise fail_in(sources, loc, f"gives no number for {days_text(missing)}, which the "
                      f"horizon ({start}, {days} days) includes; a day left out "
                      "is not read as 0. Give every day, 0 for a day without contacts, e.g. "
                      f"daily: {{{', '.join(written + added)}}}, or one number for every day.")
    return by_day


def day_start(day: dt.date, timezone: str) -> pd.Timestamp:
    """The first instant of a local calendar day.

    Local midnight, or where the clocks skip it (a clock change at 00:00, as in
    Africa/Cairo on 2026-04-24) the first time the day has (01:00 there); where midnight
    comes twice (the clocks go back at 01:00 to 00:00) the first of the two.
    """
    return pd.Timestamp(day).tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")

