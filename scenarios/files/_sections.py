"""Sections of a validated scenario document read into the values the scenario holds.

Opening hours (``hours:``, each day as ``"HH:MM-HH:MM"`` text or ``[open_s,
close_s]`` seconds after midnight, and the holidays it closes), the public-holiday
calendar, daily volumes by weekday and intraday profiles, a channel's customer
behaviour (``hang_up``, ``pickup_delay``, ``redial``, ``callback``, in the
simulator's terms), and the first instant of a local day. Each names the file and
line of a value it refuses (:func:`._sources.fail_in`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

from .._limits import (
    MAX_AHT_S,
    MAX_CALLBACK_S,
    MAX_LAW_CV,
    MAX_PATIENCE_S,
    MAX_PICKUP_DELAY_S,
    MAX_REDIAL_DELAY_S,
)
from ._hours import OpeningHours
from ._model import ScenarioDocument, _Callback, _Channel, _HangUp, _Law, _Redial
from ._sources import Source, fail_in
from ._yaml import Loc
from .units import clock_or_none, days_text, format_duration, parse_days


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



def channel_behaviour(sources: list[Source], name: str, ch: _Channel) -> dict[str, Any]:
    """A channel's ``hang_up``, ``pickup_delay``, ``redial`` and ``callback``, checked.

    Returns
    -------
    dict
        The :class:`._model.ChannelSpec` fields ``hang_up_share``,
        ``hang_up_within_s``, ``pickup_delay``, ``redial_probability``,
        ``redial_delay`` and ``callback``, in the simulator's terms (seconds,
        fractions 0-1, laws as ``{"kind": ..., "mean_s" | "value_s" |
        "values_s" | "bands": ...}``); the fields the channel leaves out are
        left out (their defaults: off).
    """
    loc: Loc = ("channels", name)
    given = [k for k in ("hang_up", "pickup_delay", "redial", "callback")
             if getattr(ch, k) is not None]
    if ch.deferred and given:
        raise fail_in(sources, (*loc, given[0]), "is for live contacts (calls, chats), and "
                      f"{name} is deferred work (deferred: true), which has no queue to hang up "
                      f"from, no answer to pick up and no callbacks. Remove {given[0]}:, or set "
                      "deferred: false.")
    out: dict[str, Any] = {}
    if ch.hang_up is not None:
        out.update(_hang_up(sources, (*loc, "hang_up"), ch.hang_up))
    if ch.pickup_delay is not None:
        out["pickup_delay"] = _law_spec(
            sources, (*loc, "pickup_delay"), ch.pickup_delay, bare="fixed",
            limit_s=MAX_PICKUP_DELAY_S, what="It is the time from an agent taking a contact to "
            "the answer (ring time, system delay), e.g. pickup_delay: 4s.")
    if ch.redial is not None:
        if ch.patience is None and ch.hang_up is None:
            raise fail_in(sources, (*loc, "redial"), f"would never happen: {name} has neither "
                          "patience nor hang_up, so no caller abandons and none calls again. "
                          "Give the callers a patience (e.g. patience: 3m) or a hang_up share, "
                          "or remove redial:.")
        out.update(_redial(sources, (*loc, "redial"), ch.redial))
    if ch.callback is not None:
        out["callback"] = _callback(sources, (*loc, "callback"), ch.callback)
    return out


def _hang_up(sources: list[Source], loc: Loc, hang_up: float | _HangUp) -> dict[str, float]:
    share, within = (hang_up, 0.0) if isinstance(hang_up, float) else (hang_up.share,
                                                                        hang_up.within)
    at = loc if isinstance(hang_up, float) else (*loc, "share")
    if share >= 1:
        raise fail_in(sources, at, f"must be below 100%, got {share:.0%}: it is the share of "
                      "callers who hang up whatever the wait, and with every caller gone there "
                      "is nothing to plan. E.g. hang_up: 4%.")
    if within > MAX_PATIENCE_S:
        raise fail_in(sources, (*loc, "within"), f"must be at most {MAX_PATIENCE_S / 86400:g} "
                      f"days, got {within:g} s. It is the longest a hang-up waits before "
                      "leaving (uniform from 0), e.g. within: 5s; 0 leaves at once.")
    return {"hang_up_share": share, "hang_up_within_s": within}


def _seconds(value: float) -> str:
    """A duration for a message: as the file writes it, and in seconds."""
    return f"{format_duration(value)} ({value:g} s)"


#: The keys each law takes (besides ``law``), and how to write it.
_LAW_KEYS = {
    "fixed": (("value",), "{law: fixed, value: 4s}"),
    "exponential": (("mean",), "{law: exponential, mean: 4s}"),
    "lognormal": (("mean", "cv"), "{law: lognormal, mean: 4s, cv: 0.5}"),
    "empirical": (("values",), "{law: empirical, values: [2s, 3s, 5s]}"),
    "bands": (("bands",), "{law: bands, bands: [{up_to: 5s, share: 60%}, "
                          "{up_to: 10s, share: 40%}]}"),
}


def _law_spec(sources: list[Source], loc: Loc, law: float | _Law, *, bare: str,
              limit_s: float, what: str) -> dict[str, Any]:
    """A delay's law in the simulator's form; a bare duration is ``bare`` (fixed or the mean
    of an exponential). ``what``: what the delay is, with an example (for the limits)."""
    limit = (f"at most {limit_s / 86400:g} days" if limit_s >= 86400
             else f"at most {format_duration(limit_s)}")
    if isinstance(law, float):
        if law > limit_s:
            raise fail_in(sources, loc, f"must be {limit}, got {_seconds(law)}. {what}")
        return ({"kind": "fixed", "value_s": law} if bare == "fixed"
                else {"kind": "exponential", "mean_s": law})
    needed, example = _LAW_KEYS[law.law]
    written = sorted(law.model_fields_set - {"law"})
    extra = [k for k in written if k not in needed]
    if extra:
        raise fail_in(sources, (*loc, extra[0]), f"is not used by law: {law.law}, which takes "
                      f"{' and '.join(needed)}. Remove it, or change the law, e.g. {example}.")
    missing = [k for k in needed if k not in written]
    if missing:
        raise fail_in(sources, loc, f"(law: {law.law}) needs {' and '.join(missing)}, e.g. "
                      f"{example}.")
    if law.law == "fixed":
        value = float(law.value or 0.0)
        if value > limit_s:
            raise fail_in(sources, (*loc, "value"), f"must be {limit}, got {_seconds(value)}. "
                          f"{what}")
        return {"kind": "fixed", "value_s": value}
    if law.law in ("exponential", "lognormal"):
        mean = float(law.mean or 0.0)
        if mean > limit_s:
            raise fail_in(sources, (*loc, "mean"), f"must be {limit}, got {_seconds(mean)}. "
                          f"{what}")
        if law.law == "exponential":
            return {"kind": "exponential", "mean_s": mean}
        cv = float(law.cv or 0.0)
        if cv > MAX_LAW_CV:
            raise fail_in(sources, (*loc, "cv"), f"must be at most {MAX_LAW_CV:g}, got {cv:g}. "
                          "It is the standard deviation over the mean, e.g. cv: 0.5.")
        return {"kind": "lognormal", "mean_s": mean, "cv": cv}
    if law.law == "empirical":
        values = [float(v) for v in law.values or ()]
        for i, v in enumerate(values):
            if v > limit_s:
                raise fail_in(sources, (*loc, "values", i), f"must be {limit}, got {_seconds(v)}. "
                              f"{what}")
        return {"kind": "empirical", "values_s": tuple(values)}
    bands: list[tuple[float, float]] = []
    for i, band in enumerate(law.bands or ()):
        upper = float(band.up_to)
        if upper > limit_s:
            raise fail_in(sources, (*loc, "bands", i, "up_to"), f"must be {limit}, got "
                          f"{_seconds(upper)}. {what}")
        if bands and upper <= bands[-1][0]:
            raise fail_in(sources, (*loc, "bands", i, "up_to"), f"must be above the band "
                          f"before ({format_duration(bands[-1][0])}), got "
                          f"{format_duration(upper)}: each band runs from the previous up_to "
                          "(the first from 0) to its own. List the bands in increasing order.")
        bands.append((upper, float(band.share)))
    total = sum(share for _, share in bands)
    if abs(total - 1.0) > 1e-6:
        shares = " + ".join(f"{share:.4g}" for _, share in bands)
        raise fail_in(sources, (*loc, "bands"), f"shares add up to {total:.6g} ({shares}); "
                      "they must add up to 100%: each is the share of delays inside its band. "
                      f"E.g. {example}.")
    return {"kind": "bands", "bands": tuple(bands)}


def _redial(sources: list[Source], loc: Loc, redial: _Redial) -> dict[str, Any]:
    probability: float | tuple[tuple[float, float], ...]
    if isinstance(redial.probability, float):
        probability = redial.probability
    else:
        rows: list[tuple[float, float]] = []
        last = len(redial.probability) - 1
        for i, step in enumerate(redial.probability):
            at: Loc = (*loc, "probability", i)
            if i == last:
                if step.wait_up_to is not None:
                    raise fail_in(sources, (*at, "wait_up_to"), "must be left out in the last "
                                  "row, which covers every longer wait (so no caller is left "
                                  "without a probability). Add a last row, e.g. {probability: "
                                  "40%}.")
                rows.append((math.inf, step.probability))
                continue
            if step.wait_up_to is None:
                raise fail_in(sources, at, "has no wait_up_to: only the last row may leave it "
                              "out (it covers every longer wait). E.g. {wait_up_to: 10s, "
                              "probability: 5%}.")
            bound = float(step.wait_up_to)
            if bound > MAX_PATIENCE_S:
                raise fail_in(sources, (*at, "wait_up_to"), f"must be at most "
                              f"{MAX_PATIENCE_S / 86400:g} days (the longest patience), got "
                              f"{bound:g} s. E.g. wait_up_to: 10s.")
            if rows and bound <= rows[-1][0]:
                raise fail_in(sources, (*at, "wait_up_to"), f"must be above the row before "
                              f"({format_duration(rows[-1][0])}), got "
                              f"{format_duration(bound)}: each row covers the waits from the "
                              "previous bound to its own. List the rows by increasing "
                              "wait_up_to.")
            rows.append((bound, step.probability))
        probability = tuple(rows)
    delay = _law_spec(sources, (*loc, "delay"), redial.delay, bare="exponential",
                      limit_s=MAX_REDIAL_DELAY_S, what="It is the time from an abandon to the "
                      "redial, e.g. delay: 10m (the mean of an exponential).")
    return {"redial_probability": probability, "redial_delay": delay}


def _callback(sources: list[Source], loc: Loc, callback: _Callback) -> dict[str, Any]:
    for key in ("offer_above", "promise"):
        value = getattr(callback, key)
        if value > MAX_CALLBACK_S:
            raise fail_in(sources, (*loc, key), f"must be at most {MAX_CALLBACK_S / 86400:g} "
                          f"days, got {value:g} s. E.g. {key}: "
                          f"{'2m' if key == 'offer_above' else '1h'}.")
    if callback.dial > MAX_AHT_S:
        raise fail_in(sources, (*loc, "dial"), f"must be at most {MAX_AHT_S / 3600:g}h, got "
                      f"{callback.dial:g} s. It is the agent's time to dial the customer "
                      "back, added to the handle time, e.g. dial: 20s.")
    return {"offer_above_s": float(callback.offer_above), "accept_share": callback.accept,
            "rule": callback.rule, "promise_s": float(callback.promise),
            "dial_s": float(callback.dial), "service_level": callback.service_level}
