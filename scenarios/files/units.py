"""Units of the files: durations, times of day, weekdays and service-level targets, as
written and as seconds.

Durations are ``"8h30m"``, ``"30m"``, ``"90s"``, ``"1.5h"`` or seconds; times
of day ``"HH:MM"`` strings or seconds after midnight; days ``Mon`` .. ``Sun``
(full names too), ranges such as ``Mon-Fri`` (``Fri-Mon`` wraps), or ``all``;
targets ``"80% in 20s"`` or ``"80/20"`` (:func:`parse_target`, the one grammar
of the files and the command line).
The parsers raise ``ValueError`` with the rule ("must be a duration such as
8h30m ..."), which the schema errors put after the field's name; the
annotated types (:data:`Duration`, :data:`TimeOfDay`, :data:`Days`, ...) use
them in the pydantic sections of the scenario and rules files. The
formatters write seconds back as the files write them (:func:`format_clock`
is the one ``HH:MM`` of the files layer).
"""

from __future__ import annotations

import contextlib
import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

__all__ = [
    "DAY_NAMES",
    "DAY_S",
    "format_clock",
    "format_duration",
    "parse_duration",
    "parse_target",
    "parse_time",
    "parse_days",
    "days_text",
    "Duration",
    "PositiveDuration",
    "TimeOfDay",
    "Days",
]


#: Weekday names as the files write them, Monday first (index = ``date.weekday()``).
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Seconds in a day (without a clock change).
DAY_S = 86400.0

# ---------------------------------------------------------------------------------------------
# Human-friendly scalars
# ---------------------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*"
                       r"(?:(\d+(?:\.\d+)?)\s*s)?\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def format_duration(seconds: float) -> str:
    """Seconds as the file writes durations.

    Parameters
    ----------
    seconds : float
        A duration, seconds >= 0.

    Returns
    -------
    str
        Hours, minutes and seconds, each only when not zero.

    Examples
    --------
    >>> format_duration(30600), format_duration(1800), format_duration(45)
    ('8h30m', '30m', '45s')
    """
    s = float(seconds)
    h, rest = divmod(s, 3600.0)
    m, sec = divmod(rest, 60.0)
    parts = []
    if h:
        parts.append(f"{h:g}h")
    if m:
        parts.append(f"{m:g}m")
    if sec or not parts:
        parts.append(f"{sec:g}s")
    return "".join(parts)


def format_clock(seconds: float) -> str:
    """Seconds after midnight as ``HH:MM`` (the one clock format of the files layer).

    Parameters
    ----------
    seconds : float
        Seconds after midnight, rounded to the second; 86400 gives ``24:00``.

    Returns
    -------
    str
        Hours and minutes, two digits each.

    Examples
    --------
    >>> format_clock(25200)
    '07:00'
    """
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def parse_duration(value: Any) -> float:
    """A duration as seconds: ``"8h30m"``, ``"30m"``, ``"90s"``, ``"1.5h"`` or a number of seconds.

    Parameters
    ----------
    value : str or float
        As written in the file or given on the command line (where ``"180"``
        is a number of seconds).

    Returns
    -------
    float
        Seconds, >= 0.

    Raises
    ------
    ValueError
        With the rule (a message to put after the field's name).

    Examples
    --------
    >>> parse_duration("8h30m"), parse_duration("30m"), parse_duration(900), parse_duration("180")
    (30600.0, 1800.0, 900.0, 180.0)
    """
    number = _number(value)
    if number is None and isinstance(value, str):
        with contextlib.suppress(ValueError):
            number = float(value)  # "180" on the command line: seconds
    if number is not None:
        if not (math.isfinite(number) and number >= 0):
            raise ValueError("must be a duration >= 0, e.g. 8h30m, 30m or a number of seconds")
        return number
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match and any(match.groups()):
            h, m, s = (float(g) if g else 0.0 for g in match.groups())
            return h * 3600 + m * 60 + s
        if _CLOCK.match(value):
            raise ValueError("must be a duration such as 8h30m or 30m (a clock time such as "
                             "08:30 is ambiguous here)")
    raise ValueError("must be a duration such as 8h30m, 30m, 45s or a number of seconds")


_TARGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:%\s*(?:in|within)\s+|%?\s*/\s*)(\S.*?)\s*$",
                     re.IGNORECASE)


def parse_target(value: Any) -> tuple[float, float]:
    """A service-level target: ``"80% in 20s"``, ``"80% within 1m"`` or ``"80/20"``.

    The one grammar of targets, in the files and on the command line: a
    percentage, then ``% in`` (or ``% within``) or ``/``, then how soon a
    contact is answered as a duration (``20s``, ``1m``, ``24h``) or seconds
    (``20``).

    Parameters
    ----------
    value : str
        As written in the file or given to ``--target``.

    Returns
    -------
    tuple of (float, float)
        The service level as a fraction in (0, 1) and the answer-within
        time in seconds (>= 0).

    Raises
    ------
    ValueError
        With the rule (a message to put after the field's or option's name).

    Examples
    --------
    >>> parse_target("80% in 20s"), parse_target("80/20"), parse_target("95% within 24h")
    ((0.8, 20.0), (0.8, 20.0), (0.95, 86400.0))
    """
    match = _TARGET.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError("must look like '80% in 20s' or 80/20 (a percentage, then how soon: a "
                         "duration or seconds)")
    percent = float(match.group(1))
    if not 0 < percent < 100:
        raise ValueError(f"needs a percentage above 0% and below 100%, got {percent:g}%")
    if percent < 1:
        raise ValueError(f"needs a percentage, got {percent:g}% (for the fraction {percent:g} "
                         f"write {100 * percent:g}% in ... or {100 * percent:g}/...)")
    within = match.group(2)
    try:
        seconds = parse_duration(within)
    except ValueError as err:
        raise ValueError(f"needs how soon after the percentage, and {within!r} {err} (e.g. "
                         "'80% in 20s' or 80/20)") from None
    return percent / 100.0, seconds


def _parse_time(value: Any, *, allow_24: bool) -> float:
    top = "24:00" if allow_24 else "23:59"
    number = _number(value)
    if number is None and isinstance(value, str):
        match = _CLOCK.match(value)
        if match:
            h, m, s = (int(g) if g else 0 for g in match.groups())
            number = float(h * 3600 + m * 60 + s) if m < 60 and s < 60 else None
    if number is None:
        raise ValueError(f"must be a time of day such as \"07:00\" (00:00 to {top}) or seconds "
                         "after midnight")
    if not (0 <= number < DAY_S or (allow_24 and number == DAY_S)):
        raise ValueError(f"must be a time of day from 00:00 to {top} (seconds after midnight "
                         f"in [0, {86400 if allow_24 else 86399}])")
    return number


def parse_time(value: Any) -> float:
    """A time of day as seconds after midnight: ``"07:00"``, ``"07:00:30"`` or seconds.

    Parameters
    ----------
    value : str or float
        As written in the file; 00:00 to 23:59:59.

    Returns
    -------
    float
        Seconds after midnight, in [0, 86400).

    Raises
    ------
    ValueError
        With the rule (a message to put after the field's name).

    Examples
    --------
    >>> parse_time("07:00"), parse_time(3600)
    (25200.0, 3600.0)
    """
    return _parse_time(value, allow_24=False)


def parse_time_24(value: Any) -> float:
    """A time of day as :func:`parse_time`, or ``"24:00"`` (86400): the end of a day."""
    return _parse_time(value, allow_24=True)


def clock_or_none(text: str, *, allow_24: bool = False) -> float | None:
    """``"HH:MM"`` as seconds after midnight; ``None`` unless 00:00 to 23:59 (or 24:00).

    Examples
    --------
    >>> clock_or_none("08:30"), clock_or_none("24:00"), clock_or_none("24:00", allow_24=True)
    (30600.0, None, 86400.0)
    """
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match:
        return None
    hh, mm = int(match.group(1)), int(match.group(2))
    if mm >= 60 or not (hh < 24 or (allow_24 and hh == 24 and mm == 0)):
        return None
    return hh * 3600.0 + mm * 60.0


def _day(text: str) -> int:
    word = text.strip().lower()
    for i, (short, full) in enumerate(zip(DAY_NAMES, _FULL_DAY_NAMES, strict=True)):
        if word in (short.lower(), full):
            return i
    raise ValueError(f"has an unknown day {text.strip()!r}; use Mon, Tue, Wed, Thu, Fri, Sat, "
                     "Sun, a range such as Mon-Fri, or all")


def parse_days(value: Any) -> tuple[int, ...]:
    """Weekdays as numbers (0 = Monday): ``"Mon-Fri"``, ``["Sat", "Sun"]``, ``"all"``.

    Parameters
    ----------
    value : str or list of str
        Day names (full or three letters, any case), ranges, or ``all``.

    Returns
    -------
    tuple of int
        The days, sorted, 0 = Monday.

    Raises
    ------
    ValueError
        With the rule (a message to put after the field's name).

    Examples
    --------
    >>> parse_days("Mon-Fri"), parse_days(["Sat", "sun"]), parse_days("Fri-Mon")
    ((0, 1, 2, 3, 4), (5, 6), (0, 4, 5, 6))
    """
    items = value if isinstance(value, list | tuple) else [value]
    days: set[int] = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError("must be day names such as [Mon, Tue] or a range such as Mon-Fri "
                             "(day numbers are not accepted: is 0 Monday or Sunday?)")
        for part in item.split(","):
            if part.strip().lower() in ("all", "daily", "every day"):
                days.update(range(7))
            elif "-" in part:
                first, last = part.split("-", 1)
                lo, hi = _day(first), _day(last)
                days.update((lo + k) % 7 for k in range((hi - lo) % 7 + 1))
            elif part.strip():
                days.add(_day(part))
    if not days:
        raise ValueError("must name at least one day, e.g. Mon-Fri")
    return tuple(sorted(days))


def days_text(days: list[int]) -> str:
    """Weekdays as the file writes them.

    Parameters
    ----------
    days : list of int
        Weekdays, 0 (Monday) to 6 (Sunday).

    Returns
    -------
    str
        Consecutive days as ranges, the rest listed: ``"Mon-Fri"``,
        ``"Tue-Thu, Sun"``.

    Examples
    --------
    >>> days_text([1, 2, 3, 6])
    'Tue-Thu, Sun'
    """
    runs: list[list[int]] = []
    for d in sorted(days):
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}-{DAY_NAMES[r[-1]]}"
                     for r in runs)


def _positive_duration(value: Any) -> float:
    try:
        seconds = parse_duration(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise ValueError("must be a duration > 0, e.g. 4m, 30s or a number of seconds")
    return seconds


_PERCENT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$")


def parse_share(value: Any) -> float:
    """A share as a fraction: ``"4%"`` or ``0.04`` (a number is a fraction, never percent).

    Parameters
    ----------
    value : str or float
        As written in the file.

    Returns
    -------
    float
        The fraction, in [0, 1].

    Raises
    ------
    ValueError
        With the rule (a message to put after the field's name).

    Examples
    --------
    >>> parse_share("4%"), parse_share(0.04), parse_share("100%")
    (0.04, 0.04, 1.0)
    """
    number = _number(value)
    if number is None and isinstance(value, str):
        match = _PERCENT.match(value)
        if match:
            percent = float(match.group(1))
            if 0 <= percent <= 100:
                return percent / 100.0
            raise ValueError("must be a share from 0% to 100%")
    if number is None:
        raise ValueError("must be a share such as 4% or 0.04 (a number is a fraction 0-1)")
    if not (math.isfinite(number) and 0 <= number <= 1):
        hint = (f" (a number is a fraction 0-1: for {number:g} percent write {number:g}%)"
                if math.isfinite(number) and 1 < number <= 100 else "")
        raise ValueError(f"must be a share from 0 to 1, e.g. 4% or 0.04{hint}")
    return number


# ---------------------------------------------------------------------------------------------
# As pydantic types
# ---------------------------------------------------------------------------------------------

# JSON Schema (for editors) of the human-friendly scalars: what is written, not what is parsed.
DURATION_JSON = {"anyOf": [{"type": "number", "minimum": 0},
                            {"type": "string",
                             "pattern": r"^\s*((\d+(\.\d+)?\s*(h|m|min|s)\s*)+|\d+(\.\d+)?\s*)$"}],
                  "description": "a duration: 8h30m, 30m, 45s, 1.5h or a number of seconds"}
_CLOCK_JSON = {"anyOf": [{"type": "number", "minimum": 0},
                         {"type": "string", "pattern": r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*$"}],
               "description": "a time of day \"HH:MM\" (quoted) or seconds after midnight"}
_DAYS_JSON = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
              "description": "days: Mon-Fri, [Mon, Wed], Sat-Sun or all"}

#: Seconds, >= 0, written as a duration (:func:`parse_duration`).
Duration = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(DURATION_JSON)]
#: Seconds, > 0, written as a duration (a handle time, an interval).
PositiveDuration = Annotated[float, BeforeValidator(_positive_duration),
                             WithJsonSchema(DURATION_JSON)]
#: Seconds after midnight in [0, 86400), written as a time of day (:func:`parse_time`).
TimeOfDay = Annotated[float, BeforeValidator(parse_time), WithJsonSchema(_CLOCK_JSON)]
#: Seconds after midnight in [0, 86400], ``"24:00"`` allowed (:func:`parse_time_24`).
TimeOfDay24 = Annotated[float, BeforeValidator(parse_time_24), WithJsonSchema(_CLOCK_JSON)]
#: Weekdays, 0 = Monday, sorted (:func:`parse_days`).
Days = Annotated[tuple[int, ...], BeforeValidator(parse_days), WithJsonSchema(_DAYS_JSON)]
#: A fraction in [0, 1] (never percent).
Fraction = Annotated[float, Field(ge=0, le=1)]
_SHARE_JSON = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
                         {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%\s*$"}],
               "description": "a share: 4% or the fraction 0.04"}
#: A share in [0, 1], written ``"4%"`` or as the fraction ``0.04`` (:func:`parse_share`).
Share = Annotated[float, BeforeValidator(parse_share), WithJsonSchema(_SHARE_JSON)]
#: A number >= 0 (money, rates).
NonNegative = Annotated[float, Field(ge=0)]
#: A whole number >= 0.
Count = Annotated[int, Field(ge=0)]
